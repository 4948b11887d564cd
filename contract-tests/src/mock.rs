//! A Finpass mock driven entirely by `openapi/finpass.yaml`: it serves the spec's own examples.
//!
//! The same engine backs the quickstart's embedded mock, the contract tests and `cargo xtask mock`.
//! For each request it finds the operation by method and path, then answers with:
//! - the operation's `401` example when `x-api-key` or `x-api-secret` is missing or wrong;
//! - the `422` example (violations listed in `x-finpass-mock-violations`) when a required query
//!   parameter is missing or the JSON body breaks the request schema;
//! - the example chosen with `Prefer: code=NNN` or `Prefer: example=NAME` (as Prism does);
//! - otherwise the first `2xx` example.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::schema::Validators;
use crate::spec::{Operation, Spec, pointer_token};

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
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let validators = Validators::new(&spec);
        let engine = Arc::new(Engine {
            spec,
            validators,
            auth,
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
        let body = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
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
