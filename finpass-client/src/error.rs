//! The one error type of the crate. It keeps the HTTP status whatever the body was (JSON envelope,
//! gateway HTML, empty, truncated), and never holds a credential.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use serde::Deserialize;

/// Longest body excerpt `Display` shows.
const DISPLAY_BODY_LIMIT: usize = 1024;

/// What went wrong, broadly. Match on it; new kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad configuration: missing or empty credential, bad or insecure base URL.
    Config,
    /// The input was rejected before anything was sent (the message names the field).
    InvalidRequest,
    /// Finpass answered with an error status, or with `success: false`.
    Api,
    /// Finpass answered 429 and asked to wait longer than the configured cap (see [`Error::retry_after`]).
    RateLimited,
    /// The response did not match the documented contract (wrong type, missing field, HTML, …).
    Decode,
    /// No connection could be made.
    Connect,
    /// An attempt or the whole call ran out of time.
    Timeout,
    /// Any other transport failure (reset, TLS, broken body).
    Transport,
    /// The response body was larger than the configured cap
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); it was not
    /// read. The status is kept.
    ResponseTooLarge,
}

/// Error returned by every Finpass call.
pub struct Error {
    pub(crate) kind: ErrorKind,
    pub(crate) operation: Option<&'static str>,
    pub(crate) status: Option<StatusCode>,
    pub(crate) api: ApiFields,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) retryable: bool,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Option<Bytes>,
    pub(crate) detail: String,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The machine-readable parts of a Finpass error body, whichever envelope it used.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub(crate) struct ApiFields {
    #[serde(default, deserialize_with = "lenient_string")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub message_code: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub error_code: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub success: Option<bool>,
}

impl ApiFields {
    /// Best-effort read of an error body; anything that is not a JSON object yields nothing.
    pub(crate) fn from_body(body: &[u8]) -> Self {
        serde_json::from_slice(body).unwrap_or_default()
    }
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(serde_json::Value::deserialize(d)?.as_bool())
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Error {
            kind,
            operation: None,
            status: None,
            api: ApiFields::default(),
            request_id: None,
            attempts: 0,
            retryable: false,
            retry_after: None,
            body: None,
            detail: detail.into(),
            source: None,
        }
    }

    /// Names the operation the error belongs to.
    pub(crate) fn in_operation(mut self, operation: &'static str) -> Self {
        self.operation = Some(operation);
        self
    }

    /// The one classification of a transport failure (no response): what kind it is and how to say it.
    pub(crate) fn transport_kind(source: &reqwest::Error) -> (ErrorKind, &'static str) {
        if source.is_connect() {
            (ErrorKind::Connect, "could not connect")
        } else if source.is_timeout() {
            (ErrorKind::Timeout, "timed out")
        } else {
            (ErrorKind::Transport, "transport failure")
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The broad kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The `operationId` of the call that failed, when the failure belongs to a call.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }
    /// The HTTP status of the last response, whatever its body was.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }
    /// Finpass's human-readable `message`, when the body had one.
    pub fn message(&self) -> Option<&str> {
        self.api.message.as_deref()
    }
    /// Finpass's `message_code` (Account Aggregator family), when present.
    pub fn message_code(&self) -> Option<&str> {
        self.api.message_code.as_deref()
    }
    /// Finpass's `error_code` (ITR family), when present.
    pub fn error_code(&self) -> Option<&str> {
        self.api.error_code.as_deref()
    }
    /// `message_code` or `error_code`, whichever the envelope carried.
    pub fn code(&self) -> Option<&str> {
        self.message_code().or(self.error_code())
    }
    /// A request id, if the server sent one (`x-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// How many HTTP attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
    /// Whether repeating the same call later could succeed, given the operation's retry class.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }
    /// The delay the server asked for with `Retry-After`, when it exceeded the configured cap.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
    /// The raw response body, exactly as received.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = self.operation {
            write!(f, "{op}: ")?;
        }
        f.write_str(&self.detail)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status}")?;
            if let Some(code) = self.code() {
                write!(f, ", {code}")?;
            }
            f.write_str(")")?;
        }
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if (self.kind == ErrorKind::Decode || self.api == ApiFields::default())
            && let Some(body) = &self.body
        {
            write!(f, "; body: {}", excerpt(body))?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("message", &self.api.message)
            .field("code", &self.code())
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .field("retryable", &self.retryable)
            .field("retry_after", &self.retry_after)
            .field("detail", &self.detail)
            .field("body", &self.body.as_deref().map(excerpt))
            .field("source", &self.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// At most [`DISPLAY_BODY_LIMIT`] bytes of a body, lossily decoded, cut on a character boundary.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= DISPLAY_BODY_LIMIT {
        return text.into_owned();
    }
    let mut end = DISPLAY_BODY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_truncates_long_bodies_to_one_kilobyte() {
        let mut e = Error::new(ErrorKind::Decode, "response did not match the contract");
        e.body = Some(Bytes::from(vec![b'x'; 5000]));
        let shown = e.to_string();
        assert!(shown.contains("(5000 bytes in all)"), "{shown}");
        assert!(shown.len() < DISPLAY_BODY_LIMIT + 200, "{}", shown.len());
    }

    #[test]
    fn api_fields_ignore_wrong_types_instead_of_failing() {
        let f = ApiFields::from_body(br#"{"message": 3, "message_code": "x", "success": "no"}"#);
        assert_eq!(f.message, None);
        assert_eq!(f.message_code.as_deref(), Some("x"));
        assert_eq!(f.success, None);
        assert_eq!(ApiFields::from_body(b"<html>"), ApiFields::default());
    }
}
