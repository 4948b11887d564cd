//! A Finpass mock driven entirely by `openapi/finpass.yaml`: it serves the spec's own examples.
//!
//! The same engine backs the quickstart's embedded mock, the contract tests and `cargo xtask mock`.
//! For each request it finds the operation by method and path, then answers with:
//! - the operation's `401` example when `x-api-key` or `x-api-secret` is missing or wrong, before
//!   reading the body (an unauthenticated caller cannot make the mock buffer anything);
//! - `413` when the body is larger than [`MAX_REQUEST_BODY`] (declared or streamed);
//! - the `422` example (violations listed in `x-finpass-mock-violations`) when a required query
//!   parameter is missing or the JSON body breaks the request schema;
//! - the example chosen with `Prefer: code=NNN` or `Prefer: example=NAME` (as Prism does);
//! - otherwise the first `2xx` example.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::schema::Validators;
use crate::spec::{Operation, Spec, pointer_token};

/// Largest request body the mock reads: the statement upload is the largest documented request, and
/// the docs give no size limit for it ("maximum file size limits may apply"), so this is headroom for
/// a many-page scanned PDF.
pub const MAX_REQUEST_BODY: usize = 32 * 1024 * 1024;

/// Credentials the mock accepts. `None` accepts any non-empty key and secret.
#[derive(Debug, Clone, Default)]
pub struct MockAuth {
    /// Expected `(x-api-key, x-api-secret)`.
    pub expected: Option<(String, String)>,
}

struct Engine {
    spec: Spec,
    validators: Validators,
    auth: MockAuth,
    body_limit: usize,
}

/// A running mock on a loopback port. Dropping it stops the server.
pub struct MockServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl MockServer {
    /// Starts the mock of the embedded spec on an ephemeral loopback port.
    pub async fn start() -> std::io::Result<MockServer> {
        Self::start_with(
            Spec::embedded(),
            MockAuth::default(),
            SocketAddr::from(([127, 0, 0, 1], 0)),
        )
        .await
    }

    /// Starts a mock of `spec` on `addr` with the given credential check.
    pub async fn start_with(
        spec: Spec,
        auth: MockAuth,
        addr: SocketAddr,
    ) -> std::io::Result<MockServer> {
        Self::serve(spec, auth, addr, MAX_REQUEST_BODY).await
    }

    async fn serve(
        spec: Spec,
        auth: MockAuth,
        addr: SocketAddr,
        body_limit: usize,
    ) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let validators = Validators::new(&spec);
        let engine = Arc::new(Engine {
            spec,
            validators,
            auth,
            body_limit,
        });
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let engine = engine.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let engine = engine.clone();
                        async move { Ok::<_, Infallible>(engine.answer(req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(MockServer { addr, task })
    }

    /// `http://127.0.0.1:PORT`, to use as the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Engine {
    async fn answer(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let (parts, body) = req.into_parts();
        let method = parts.method.as_str().to_uppercase();
        let Some(op) = self
            .spec
            .operations()
            .into_iter()
            .find(|op| op.method == method && op.path == parts.uri.path())
        else {
            return json_response(
                404,
                &json!({"success": false, "message": "no such operation in openapi/finpass.yaml"}),
            );
        };
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .trim()
        };
        if !self.authorised(header("x-api-key"), header("x-api-secret")) {
            return self.example(&op, Some("401"), &[]);
        }
        let Some(body) = self.read_body(header("content-length"), body).await else {
            let message = format!(
                "request body over the mock's limit of {} bytes",
                self.body_limit
            );
            return json_response(413, &json!({"success": false, "message": message}));
        };
        let violations = self.request_violations(
            &op,
            parts.uri.query().unwrap_or(""),
            header("content-type"),
            &body,
        );
        if !violations.is_empty() {
            return self.example(&op, Some("422"), &violations);
        }
        match parse_prefer(header("prefer")) {
            Prefer::Code(code) => self.example(&op, Some(&code), &[]),
            Prefer::Example(name) => match self.spec.named_response_example(&op, &name) {
                Some((status, value)) => json_response(status, value),
                None => json_response(
                    404,
                    &json!({"success": false, "message": "no example of that name"}),
                ),
            },
            Prefer::Nothing => self.example(&op, None, &[]),
        }
    }

    /// The body, read up to the limit; `None` when it is (or says it is) larger. A body that breaks
    /// off for another reason is treated as empty, which the request checks then report.
    async fn read_body(&self, declared: &str, body: Incoming) -> Option<Bytes> {
        if declared
            .parse::<u64>()
            .is_ok_and(|n| n > self.body_limit as u64)
        {
            return None;
        }
        match Limited::new(body, self.body_limit).collect().await {
            Ok(collected) => Some(collected.to_bytes()),
            Err(e) if e.is::<LengthLimitError>() => None,
            Err(_) => Some(Bytes::new()),
        }
    }

    fn authorised(&self, key: &str, secret: &str) -> bool {
        match &self.auth.expected {
            Some((k, s)) => key == k && secret == s,
            None => !key.is_empty() && !secret.is_empty(),
        }
    }

    fn request_violations(
        &self,
        op: &Operation<'_>,
        query: &str,
        content_type: &str,
        body: &[u8],
    ) -> Vec<String> {
        let mut out = Vec::new();
        for param in self.spec.parameters(op) {
            let name = param.get("name").and_then(Value::as_str).unwrap_or("");
            let required = param
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let in_query = param.get("in").and_then(Value::as_str) == Some("query");
            let present = query
                .split('&')
                .any(|pair| pair.split('=').next() == Some(name) && pair.len() > name.len() + 1);
            if in_query && required && !present {
                out.push(format!("query parameter `{name}` is required"));
            }
        }
        let Some(request_body) = op.op.get("requestBody").map(|b| self.spec.resolve(b)) else {
            return out;
        };
        let content = request_body.get("content").and_then(Value::as_object);
        if content.is_some_and(|c| c.contains_key("multipart/form-data")) {
            if !content_type.starts_with("multipart/form-data") {
                out.push("body must be multipart/form-data".into());
            } else if !contains(body, b"name=\"file\"") {
                out.push("multipart field `file` is required".into());
            }
            return out;
        }
        let pointer = format!(
            "/paths/{}/{}/requestBody/content/application~1json/schema",
            pointer_token(op.path),
            op.method.to_lowercase()
        );
        match serde_json::from_slice::<Value>(body) {
            Err(e) => out.push(format!("body is not JSON: {e}")),
            Ok(instance) => match self.validators.violations(&pointer, &instance) {
                Ok(found) => out.extend(found.iter().map(ToString::to_string)),
                Err(e) => out.push(e),
            },
        }
        out
    }

    fn example(
        &self,
        op: &Operation<'_>,
        status: Option<&str>,
        violations: &[String],
    ) -> Response<Full<Bytes>> {
        let Some((code, value)) = self.spec.response_example(op, status) else {
            let code = status.and_then(|s| s.parse().ok()).unwrap_or(500);
            let message = format!("the spec has no example for {} {:?}", op.id, status);
            return json_response(code, &json!({"success": false, "message": message}));
        };
        let mut response = json_response(code, value);
        if !violations.is_empty() {
            let joined = violations.join("; ").replace(['\r', '\n'], " ");
            if let Ok(v) = joined.parse() {
                response
                    .headers_mut()
                    .insert("x-finpass-mock-violations", v);
            }
        }
        response
    }
}

enum Prefer {
    Code(String),
    Example(String),
    Nothing,
}

fn parse_prefer(header: &str) -> Prefer {
    for part in header.split([',', ';']) {
        let part = part.trim();
        if let Some(code) = part.strip_prefix("code=") {
            return Prefer::Code(code.trim().to_owned());
        }
        if let Some(name) = part.strip_prefix("example=") {
            return Prefer::Example(name.trim().to_owned());
        }
    }
    Prefer::Nothing
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn json_response(status: u16, value: &Value) -> Response<Full<Bytes>> {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert("content-type", "application/json".parse().expect("static"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    const INIT: &str = "POST /api/v1/services/account-aggregator/init HTTP/1.1\r\nhost: mock\r\n";
    const CREDENTIALS: &str = "x-api-key: k\r\nx-api-secret: s\r\n";

    async fn start(body_limit: usize) -> MockServer {
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        MockServer::serve(Spec::embedded(), MockAuth::default(), addr, body_limit)
            .await
            .unwrap()
    }

    /// Sends `request` as is and returns the status of the answer. The requests below announce more
    /// body than they send, so a mock that waited for it would never answer: the watchdog turns that
    /// hang into a failure (it is not a timing assertion; it only fires on a broken mock).
    async fn status_of(server: &MockServer, request: &[u8]) -> u16 {
        let exchange = async {
            let mut stream = TcpStream::connect(server.addr()).await.unwrap();
            stream.write_all(request).await.unwrap();
            let mut head = [0u8; 12];
            stream.read_exact(&mut head).await.unwrap();
            String::from_utf8_lossy(&head[9..12]).parse().unwrap()
        };
        tokio::time::timeout(Duration::from_secs(60), exchange)
            .await
            .expect("the mock waited for a body it should not read")
    }

    #[tokio::test]
    async fn auth_is_checked_before_the_body_is_read() {
        let server = start(MAX_REQUEST_BODY).await;
        let request = format!("{INIT}content-length: 1000000000\r\n\r\n{{\"mob");
        assert_eq!(status_of(&server, request.as_bytes()).await, 401);
    }

    #[tokio::test]
    async fn a_declared_body_over_the_limit_is_413_without_reading_it() {
        let server = start(1024).await;
        let request = format!("{INIT}{CREDENTIALS}content-length: 1025\r\n\r\n{{");
        assert_eq!(status_of(&server, request.as_bytes()).await, 413);
    }

    #[tokio::test]
    async fn a_streamed_body_past_the_limit_is_413() {
        let server = start(1024).await;
        let mut request = format!("{INIT}{CREDENTIALS}transfer-encoding: chunked\r\n\r\n");
        for _ in 0..4 {
            request.push_str(&format!("200\r\n{}\r\n", "x".repeat(512)));
        }
        request.push_str("0\r\n\r\n");
        assert_eq!(status_of(&server, request.as_bytes()).await, 413);
    }

    #[tokio::test]
    async fn a_body_within_the_limit_is_read_and_checked() {
        let server = start(1024).await;
        let request = format!("{INIT}{CREDENTIALS}content-length: 3\r\n\r\nnot");
        assert_eq!(
            status_of(&server, request.as_bytes()).await,
            422,
            "not JSON"
        );
    }
}
