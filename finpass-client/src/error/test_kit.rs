//! [`ErrorBuilder`]: an [`Error`] of any kind, for tests of the code that handles it (feature
//! `test-util`). Built errors show and hide exactly what real ones do: `Display` and `Debug` go
//! through the same code, so a body's values never appear in them.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

use super::{ApiFields, Error, ErrorKind};

/// Builds an [`Error`] of any [`ErrorKind`], as a call would have returned it.
///
/// Only with the `test-util` feature. Fields not set stay as a call would leave them when it knows
/// nothing: no status, no operation, no envelope fields, 0 attempts, not retryable.
///
/// ```
/// use finpass_client::ErrorKind;
/// use finpass_client::test_util::ErrorBuilder;
///
/// let error = ErrorBuilder::new(ErrorKind::Api)
///     .operation("aa_initialize")
///     .status(422)
///     .message("Invalid Mobile Number")
///     .message_code("invalid_mobile_number")
///     .attempts(1)
///     .build();
/// assert_eq!(error.code(), Some("invalid_mobile_number"));
/// assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
/// ```
#[derive(Debug)]
#[must_use]
pub struct ErrorBuilder {
    error: Error,
    api: Option<ApiFields>,
}

impl ErrorBuilder {
    /// An error of `kind` with the description a real one of that kind has.
    pub fn new(kind: ErrorKind) -> ErrorBuilder {
        let detail = match kind {
            ErrorKind::Config => "invalid configuration",
            ErrorKind::InvalidRequest => "the request was rejected before it was sent",
            ErrorKind::Api => "Finpass returned an error",
            ErrorKind::RateLimited => "Finpass is rate limiting this client",
            ErrorKind::Decode => "response does not match the documented contract",
            ErrorKind::Connect => "could not connect",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Transport => "transport failure",
            ErrorKind::ResponseTooLarge => {
                "the response body is larger than the limit; it was not read"
            }
            ErrorKind::WaitDeadline => "gave up waiting",
        };
        ErrorBuilder {
            error: Error::new(kind, detail),
            api: None,
        }
    }

    /// The `operationId` of the failed call.
    pub fn operation(mut self, operation_id: &'static str) -> ErrorBuilder {
        self.error.operation = Some(operation_id);
        self
    }

    /// The HTTP status of the last response. A number that is not an HTTP status code (100–999)
    /// leaves the error without a status, as a call that got no response has.
    pub fn status(mut self, status: u16) -> ErrorBuilder {
        self.error.status = StatusCode::from_u16(status).ok();
        self
    }

    /// The raw response body. Its envelope fields (`message`, `message_code`, `error_code`,
    /// `success`) are read from it as a call would, unless set with the methods below.
    pub fn body(mut self, body: impl Into<Bytes>) -> ErrorBuilder {
        self.error.body = Some(body.into());
        self
    }

    /// Finpass's `message`.
    pub fn message(mut self, message: impl Into<String>) -> ErrorBuilder {
        self.api.get_or_insert_default().message = Some(message.into());
        self
    }

    /// Finpass's `message_code` (Account Aggregator family).
    pub fn message_code(mut self, code: impl Into<String>) -> ErrorBuilder {
        self.api.get_or_insert_default().message_code = Some(code.into());
        self
    }

    /// Finpass's `error_code` (ITR family).
    pub fn error_code(mut self, code: impl Into<String>) -> ErrorBuilder {
        self.api.get_or_insert_default().error_code = Some(code.into());
        self
    }

    /// How many attempts were made.
    pub fn attempts(mut self, attempts: u32) -> ErrorBuilder {
        self.error.attempts = attempts;
        self
    }

    /// Whether repeating the call could succeed.
    pub fn retryable(mut self, retryable: bool) -> ErrorBuilder {
        self.error.retryable = retryable;
        self
    }

    /// The `Retry-After` delay that exceeded the cap ([`Duration::MAX`]: present but unreadable).
    pub fn retry_after(mut self, delay: Duration) -> ErrorBuilder {
        self.error.retry_after = Some(delay);
        self
    }

    /// The request id the server sent.
    pub fn request_id(mut self, request_id: impl Into<String>) -> ErrorBuilder {
        self.error.request_id = Some(request_id.into());
        self
    }

    /// The error.
    pub fn build(self) -> Error {
        let mut error = self.error;
        let mut api = error
            .body
            .as_deref()
            .map(ApiFields::from_body)
            .unwrap_or_default();
        if let Some(set) = self.api {
            api.message = set.message.or(api.message);
            api.message_code = set.message_code.or(api.message_code);
            api.error_code = set.error_code.or(api.error_code);
            if error.body.is_none() {
                api.success = Some(false);
            }
        }
        error.api = api;
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_from_the_body_yield_to_explicit_ones_and_values_stay_hidden() {
        let body = r#"{"success": false, "message": "PAN ABCDE1234F not found", "message_code": "not_found"}"#;
        let error = ErrorBuilder::new(ErrorKind::Api)
            .status(404)
            .body(body)
            .message_code("explicit")
            .build();
        assert_eq!(error.message(), Some("PAN ABCDE1234F not found"));
        assert_eq!(error.code(), Some("explicit"));
        assert_eq!(error.body(), Some(body.as_bytes()));
        let decode = ErrorBuilder::new(ErrorKind::Decode)
            .status(200)
            .body(body)
            .build();
        let shown = format!("{decode} {decode:?}");
        assert!(!shown.contains("ABCDE1234F"), "{shown}");
    }
}
