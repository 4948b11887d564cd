//! Shared fixtures: a client pointed at an httpmock server, with fixed test credentials.

use finpass_client::{Finpass, RetryConfig};
use finpass_contract::{Operation, Spec};
use httpmock::MockServer;
use serde_json::{Value, json};

/// Test credentials. Not secrets, but treated as such: snapshots redact them after asserting them.
pub const API_KEY: &str = "test-key-7d1f";
pub const API_SECRET: &str = "test-secret-canary-93b2";

/// A client for `server` with retries off, so one call is one request.
pub fn client(server: &MockServer) -> Finpass {
    Finpass::builder()
        .credentials(API_KEY, API_SECRET)
        .base_url(server.base_url())
        .retry(RetryConfig::disabled())
        .build()
        .expect("valid test configuration")
}

/// The typed error as a snapshot-friendly JSON value (no credentials can be in it).
pub fn error_summary(e: &finpass_client::Error) -> serde_json::Value {
    serde_json::json!({
        "kind": format!("{:?}", e.kind()),
        "status": e.status().map(|s| s.as_u16()),
        "message_code": e.message_code(),
        "error_code": e.error_code(),
        "message": e.message(),
        "attempts": e.attempts(),
        "retryable": e.is_retryable(),
    })
}

/// A loopback server that answers successive requests with successive JSON bodies (the last one
/// repeats), counting the requests: for waiters, which poll one endpoint until its status changes.
pub struct Sequence {
    pub base_url: String,
    pub hits: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    _task: tokio::task::JoinHandle<()>,
}

impl Sequence {
    pub async fn serve(bodies: Vec<serde_json::Value>) -> Sequence {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = hits.clone();
        let bodies = std::sync::Arc::new(bodies);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (counter, bodies) = (counter.clone(), bodies.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |_req| {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        let body = bodies[n.min(bodies.len() - 1)].to_string();
                        async move {
                            let mut response = hyper::Response::new(http_body_util::Full::new(
                                bytes::Bytes::from(body),
                            ));
                            response
                                .headers_mut()
                                .insert("content-type", "application/json".parse().unwrap());
                            Ok::<_, std::convert::Infallible>(response)
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        Sequence {
            base_url,
            hits,
            _task: task,
        }
    }

    pub fn hits(&self) -> usize {
        self.hits.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for Sequence {
    fn drop(&mut self) {
        self._task.abort();
    }
}

/// A sleep function that returns at once and records what it was asked to sleep.
pub fn recording_sleep() -> (
    finpass_client::SleepFn,
    std::sync::Arc<std::sync::Mutex<Vec<std::time::Duration>>>,
) {
    let slept = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = slept.clone();
    let sleep: finpass_client::SleepFn = std::sync::Arc::new(move |d| {
        log.lock().unwrap().push(d);
        Box::pin(async {})
    });
    (sleep, slept)
}

/// The JSON arguments `call_by_operation_id` takes for `op`: the request example (documented first)
/// as `body`, and every query parameter from its example.
pub fn operation_args(spec: &Spec, op: &Operation<'_>) -> Value {
    let mut args = json!({});
    if let Some(body) = spec
        .examples()
        .into_iter()
        .filter(|e| e.operation == op.id && e.slot == "request")
        .min_by_key(|e| e.source != Some("documented"))
    {
        args["body"] = body.value.clone();
    }
    for p in spec.parameters(op) {
        if p["in"] == "query" {
            let value = p
                .get("example")
                .or(p["schema"].get("example"))
                .and_then(Value::as_str)
                .unwrap_or("client_test_0001");
            args[p["name"].as_str().unwrap()] = json!(value);
        }
    }
    args
}

/// Every member of `decoded` appears with the same value in `example` (the typed client may drop
/// members its types do not name, never change or invent one).
pub fn is_faithful(decoded: &Value, example: &Value) -> bool {
    match (decoded, example) {
        (Value::Object(d), Value::Object(e)) => d
            .iter()
            .all(|(k, v)| e.get(k).is_some_and(|ev| is_faithful(v, ev))),
        (Value::Array(d), Value::Array(e)) => {
            d.len() == e.len() && d.iter().zip(e).all(|(a, b)| is_faithful(a, b))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

/// A mock that answers any request: for tests that prove nothing reaches the wire
/// (`assert_calls_async(0)`).
pub async fn any_request(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await
}
