//! The spec-driven answer, given when no rule matches: request checks (`422`), `Prefer`, examples.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{HeaderMap, Response, StatusCode};
use serde_json::{Value, json};

use super::Engine;
use finpass_contract::spec::{Operation, pointer_token};

impl Engine {
    /// The `422` example when the request breaks the spec, else the example `Prefer` picks, else the
    /// first `2xx` example.
    pub(super) fn spec_answer(
        &self,
        op: &Operation<'_>,
        query: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Response<Full<Bytes>> {
        let violations = self.request_violations(op, query, headers, body);
        if !violations.is_empty() {
            return self.example(op, Some("422"), &violations);
        }
        match parse_prefer(header(headers, "prefer")) {
            Prefer::Code(code) => self.example(op, Some(&code), &[]),
            Prefer::Example(name) => match self.spec.named_response_example(op, &name) {
                Some((status, value)) => json_response(status, Some(value)),
                None => json_response(
                    404,
                    Some(&json!({"success": false, "message": "no example of that name"})),
                ),
            },
            Prefer::Nothing => self.example(op, None, &[]),
        }
    }

    fn request_violations(
        &self,
        op: &Operation<'_>,
        query: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Vec<String> {
        let mut out = Vec::new();
        // Headers the page requires that OpenAPI cannot declare (`x-finpass.required-headers`,
        // DECISIONS.md BSA-7). The media type decides, not its parameters (`; charset=utf-8`).
        let required = op.op.pointer("/x-finpass/required-headers");
        for entry in required.and_then(Value::as_array).into_iter().flatten() {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or("");
            let (name, value) = (text("name"), text("value"));
            let sent = header(headers, &name.to_ascii_lowercase());
            if !sent
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case(value)
            {
                out.push(format!(
                    "header `{name}: {value}` is required (x-finpass.required-headers)"
                ));
            }
        }
        let content_type = header(headers, "content-type");
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

    pub(super) fn example(
        &self,
        op: &Operation<'_>,
        status: Option<&str>,
        violations: &[String],
    ) -> Response<Full<Bytes>> {
        let Some((code, value)) = self.spec.response_example(op, status) else {
            let code = status.and_then(|s| s.parse().ok()).unwrap_or(500);
            let message = format!("the spec has no example for {} {:?}", op.id, status);
            return json_response(code, Some(&json!({"success": false, "message": message})));
        };
        let mut response = json_response(code, Some(value));
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

    /// Whether the operation's documented error bodies carry `status_code` (the AA envelope).
    pub(super) fn errors_repeat_status(&self, op: &Operation<'_>) -> bool {
        let responses = op.op.get("responses").and_then(Value::as_object);
        responses.into_iter().flatten().any(|(code, response)| {
            let schema = self
                .spec
                .resolve(response)
                .pointer("/content/application~1json/schema")
                .map(|s| self.spec.resolve(s));
            !code.starts_with('2')
                && schema.is_some_and(|s| s.pointer("/properties/status_code").is_some())
        })
    }
}

enum Prefer {
    Code(String),
    Example(String),
    Nothing,
}

/// The text of header `name` (lower case), trimmed; empty when absent or not text.
fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
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

/// A response with this status and JSON body (none: empty body, no content type).
pub(super) fn json_response(status: u16, value: Option<&Value>) -> Response<Full<Bytes>> {
    let body = value.map_or_else(Vec::new, |v| serde_json::to_vec(v).unwrap_or_default());
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if value.is_some() {
        response
            .headers_mut()
            .insert("content-type", "application/json".parse().expect("static"));
    }
    response
}
