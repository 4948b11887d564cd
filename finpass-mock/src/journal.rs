//! The request journal: what the mock received, to assert what a client sent.
//!
//! Credential values never enter it: `x-api-key`, `x-api-secret`, `authorization`, `cookie` and
//! `proxy-authorization` are kept as `[redacted]` (so a test can still see that they were sent). It is
//! bounded: it keeps the most recent [`JOURNAL_CAPACITY`] requests and at most
//! [`JOURNAL_BODY_BUDGET`] bytes of bodies, forgetting the oldest first (each body is already capped
//! by [`MAX_REQUEST_BODY`](super::MAX_REQUEST_BODY)).

use std::collections::VecDeque;

use bytes::Bytes;
use serde_json::Value;

use super::lookup::{header_value, query_value};
use super::rules::RuleId;

/// Most requests the journal keeps.
pub const JOURNAL_CAPACITY: usize = 1024;
/// Most body bytes the journal keeps, all requests together (the newest request is always kept).
pub const JOURNAL_BODY_BUDGET: usize = 64 * 1024 * 1024;

/// What a credential header's value is replaced with.
pub const REDACTED: &str = "[redacted]";

const CREDENTIAL_HEADERS: &[&str] = &[
    "x-api-key",
    "x-api-secret",
    "authorization",
    "proxy-authorization",
    "cookie",
];

/// One request the mock received.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The `operationId` of the operation the method and path belong to, if any.
    pub operation_id: Option<String>,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string (empty when there was none).
    pub query: String,
    /// Headers with lower-case names, in the order received; credential values are `[redacted]`.
    pub headers: Vec<(String, String)>,
    /// The body as received (empty when the mock did not read it: refused credentials, too large).
    pub body: Bytes,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// The rule that answered, if one did.
    pub rule: Option<RuleId>,
    /// When the mock began to handle the request, on the tokio clock of the runtime it runs on: under
    /// `tokio::time::pause()` that is the paused clock, so a test can assert the time between two
    /// requests (a waiter's interval, a retry's backoff) without waiting for it.
    pub received_at: tokio::time::Instant,
}

impl RecordedRequest {
    /// The value of header `name` (any case), if it was sent and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, &name.to_ascii_lowercase())
    }

    /// The percent-decoded value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        query_value(&self.query, name)
    }

    /// Headers as the journal keeps them: lower-case names, credentials redacted, non-text values
    /// dropped.
    pub(crate) fn headers_of(map: &hyper::HeaderMap) -> Vec<(String, String)> {
        map.iter()
            .filter_map(|(name, value)| {
                let name = name.as_str().to_ascii_lowercase();
                let value = if CREDENTIAL_HEADERS.contains(&name.as_str()) {
                    REDACTED.to_owned()
                } else {
                    value.to_str().ok()?.to_owned()
                };
                Some((name, value))
            })
            .collect()
    }
}

/// The bounded list of received requests.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: VecDeque<RecordedRequest>,
    body_bytes: usize,
    forgotten: usize,
}

impl Journal {
    pub(crate) fn push(&mut self, request: RecordedRequest) {
        self.body_bytes += request.body.len();
        self.entries.push_back(request);
        while self.entries.len() > JOURNAL_CAPACITY
            || (self.body_bytes > JOURNAL_BODY_BUDGET && self.entries.len() > 1)
        {
            if let Some(old) = self.entries.pop_front() {
                self.body_bytes -= old.body.len();
                self.forgotten += 1;
            }
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn forgotten(&self) -> usize {
        self.forgotten
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.body_bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: usize) -> RecordedRequest {
        RecordedRequest {
            operation_id: None,
            method: "GET".into(),
            path: "/".into(),
            query: String::new(),
            headers: Vec::new(),
            body: Bytes::from(vec![b'x'; body]),
            json: None,
            rule: None,
            received_at: tokio::time::Instant::now(),
        }
    }

    #[test]
    fn credential_values_are_never_kept() {
        let mut map = hyper::HeaderMap::new();
        map.insert("x-api-key", "key-canary".parse().unwrap());
        map.insert("X-API-SECRET", "secret-canary".parse().unwrap());
        map.insert("authorization", "Bearer token-canary".parse().unwrap());
        map.insert("x-correlation-id", "c-1".parse().unwrap());
        let headers = RecordedRequest::headers_of(&map);
        let text = format!("{headers:?}");
        assert!(!text.contains("canary"), "{text}");
        assert_eq!(header_value(&headers, "x-api-secret"), Some(REDACTED));
        assert_eq!(header_value(&headers, "x-correlation-id"), Some("c-1"));
    }

    #[test]
    fn the_journal_forgets_the_oldest_past_its_bounds() {
        let mut journal = Journal::default();
        for _ in 0..JOURNAL_CAPACITY + 5 {
            journal.push(request(0));
        }
        assert_eq!(journal.snapshot().len(), JOURNAL_CAPACITY);
        assert_eq!(journal.forgotten(), 5);
        journal.clear();
        journal.push(request(JOURNAL_BODY_BUDGET - 10));
        journal.push(request(20));
        assert_eq!(journal.snapshot().len(), 1, "the budget is kept");
        assert_eq!(journal.snapshot()[0].body.len(), 20, "the newest survives");
        journal.push(request(JOURNAL_BODY_BUDGET + 1));
        assert_eq!(journal.snapshot().len(), 1, "even when alone over budget");
    }
}
