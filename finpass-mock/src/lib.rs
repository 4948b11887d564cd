//! A Finpass mock driven by the Finpass spec (by default the one `finpass-contract` embeds): it
//! serves the spec's own examples, and answers what a test tells it to with per-operation [`Rule`]s.
//!
//! The same engine backs finpass-client's `test_util` (and its quickstart), the contract tests and
//! `finpass-spec mock`. For each request it finds the operation by method and path, then:
//! 1. answers the operation's `401` example when `x-api-key` or `x-api-secret` is missing or wrong,
//!    before reading the body (an unauthenticated caller cannot make the mock buffer anything);
//! 2. answers `413` when the body is larger than [`MAX_REQUEST_BODY`] (declared or streamed);
//! 3. records the request in the journal ([`MockServer::requests`], credentials redacted, and the
//!    values the spec classifies as personal data too unless [`MockServer::keep_personal_data`]);
//! 4. answers with the most recently added [`Rule`] for the operation whose conditions hold and that
//!    is not used up or removed (the last added wins; see [`MockServer::add`]);
//! 5. with no such rule, the spec-driven answer: the `422` example (violations listed in
//!    `x-finpass-mock-violations`) when a required query parameter is missing or the JSON body breaks
//!    the request schema; the example chosen with `Prefer: code=NNN` or `Prefer: example=NAME` (as
//!    Prism does); otherwise the first `2xx` example.
//!
//! Rules answer before the request checks of step 5, so a rule can answer a request the spec would
//! refuse; the journal shows what was sent either way.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use finpass_contract::{Spec, Validators};

mod journal;
mod lookup;
mod personal;
mod replay;
mod rules;
mod spec_answer;

pub use journal::{JOURNAL_BODY_BUDGET, JOURNAL_CAPACITY, REDACTED, RecordedRequest};
pub use replay::{MAX_CAPTURE_FILE, ReplayError};
pub use rules::{ErrorEnvelope, Reply, Rule, RuleError, RuleId};

use journal::Journal;
use rules::{ReplyKind, RuleSet};
use spec_answer::json_response;

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
    rules: Mutex<RuleSet>,
    journal: Mutex<Journal>,
    /// The request values the spec classifies, redacted in the journal unless a test keeps them.
    personal: personal::Classified,
}

/// The connection is closed without an answer ([`Reply::drop_connection`]).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a mock rule")
    }
}

impl std::error::Error for Dropped {}

/// A running mock on a loopback port. Dropping it stops the server.
pub struct MockServer {
    addr: SocketAddr,
    engine: Arc<Engine>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
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
            personal: personal::Classified::of(spec.doc()),
            spec,
            validators,
            auth,
            body_limit,
            rules: Mutex::default(),
            journal: Mutex::default(),
        });
        let serving = engine.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let engine = serving.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let engine = engine.clone();
                        async move { engine.answer(req).await }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(MockServer { addr, engine, task })
    }

    /// `http://127.0.0.1:PORT`, to use as the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received so far, oldest first (bounded: see [`JOURNAL_CAPACITY`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.engine.journal).snapshot()
    }

    /// The requests received so far for one operation, oldest first.
    pub fn requests_to(&self, operation_id: &str) -> Vec<RecordedRequest> {
        let mut requests = self.requests();
        requests.retain(|r| r.operation_id.as_deref() == Some(operation_id));
        requests
    }

    /// How many old requests the journal has forgotten to stay within its bounds.
    pub fn forgotten_requests(&self) -> usize {
        lock(&self.engine.journal).forgotten()
    }

    /// Empties the journal.
    pub fn clear_requests(&self) {
        lock(&self.engine.journal).clear();
    }

    /// Whether the journal keeps the request values the spec classifies as personal data
    /// (`x-finpass-personal`) as sent. Off by default: a journal ends up in assertion messages and CI
    /// logs, so they are kept as `"<redacted: CATEGORY>"` (in `json`, `body` and `query`), as
    /// finpass-client's `Debug` shows them. Requests received before keep their redaction.
    pub fn keep_personal_data(&self, keep: bool) {
        self.engine.personal.keep(keep);
    }
}

/// A poisoned lock only means a test thread panicked while holding it; the data is still usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Engine {
    /// Adds `request` to the journal, its personal data redacted unless a test asked to keep it.
    fn record(&self, mut request: RecordedRequest) {
        self.personal.redact(&mut request);
        lock(&self.journal).push(request);
    }

    async fn answer(&self, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Dropped> {
        let received_at = tokio::time::Instant::now();
        let (parts, body) = req.into_parts();
        let method = parts.method.as_str().to_uppercase();
        let operations = self.spec.operations();
        let op = operations
            .iter()
            .find(|op| op.method == method && op.path == parts.uri.path());
        let headers = RecordedRequest::headers_of(&parts.headers);
        let recorded = |body: Bytes, json: Option<Value>, rule: Option<RuleId>| RecordedRequest {
            operation_id: op.map(|op| op.id.to_owned()),
            method: method.clone(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().unwrap_or("").to_owned(),
            headers: headers.clone(),
            body,
            json,
            rule,
            received_at,
        };
        let Some(op) = op else {
            self.record(recorded(Bytes::new(), None, None));
            let message = "no such operation in the spec";
            return Ok(json_response(
                404,
                Some(&json!({"success": false, "message": message})),
            ));
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
            self.record(recorded(Bytes::new(), None, None));
            return Ok(self.example(op, Some("401"), &[]));
        }
        let Some(body) = self.read_body(header("content-length"), body).await else {
            self.record(recorded(Bytes::new(), None, None));
            let message = format!(
                "request body over the mock's limit of {} bytes",
                self.body_limit
            );
            return Ok(json_response(
                413,
                Some(&json!({"success": false, "message": message})),
            ));
        };
        let json = serde_json::from_slice::<Value>(&body).ok();
        let query = parts.uri.query().unwrap_or("");
        let chosen = lock(&self.rules).take(op.id, &headers, query, json.as_ref());
        self.record(recorded(
            body.clone(),
            json,
            chosen.as_ref().map(|(id, _)| *id),
        ));
        let spec_default = || self.spec_answer(op, query, &parts.headers, &body);
        let Some((_, reply)) = chosen else {
            return Ok(spec_default());
        };
        if let Some(delay) = reply.delay {
            tokio::time::sleep(delay).await;
        }
        let mut response = match &reply.kind {
            ReplyKind::SpecDefault => spec_default(),
            ReplyKind::Example(name) => match self.spec.named_response_example(op, name) {
                Some((status, value)) => json_response(status, Some(value)),
                None => json_response(500, None),
            },
            ReplyKind::Json(status, value) => json_response(*status, value.as_ref()),
            ReplyKind::Error(envelope) => json_response(
                envelope.status,
                Some(&envelope.body(self.errors_repeat_status(op))),
            ),
            ReplyKind::Drop => return Err(Dropped),
        };
        for (name, value) in &reply.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value.as_str()),
            ) {
                response.headers_mut().append(name, value);
            }
        }
        Ok(response)
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
}

#[cfg(test)]
mod tests;

// The README's examples are compiled and run as doctests, so the crate page cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
