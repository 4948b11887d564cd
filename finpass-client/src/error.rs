//! The one error type of the crate. It keeps the HTTP status whatever the body was (JSON envelope,
//! gateway HTML, empty, truncated), and never holds a credential. `Display` and `Debug` never show a
//! value from a response body (see [`privacy`]): only the error envelope's documented fields.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use serde::Deserialize;

#[allow(
    dead_code,
    reason = "generated from the spec; regenerate with `cargo xtask generate`"
)]
mod generated;
mod message;
mod privacy;
#[cfg(feature = "test-util")]
pub(crate) mod test_kit;
mod transport;
#[cfg(feature = "dispatch")]
pub(crate) use privacy::value_free;
pub(crate) use privacy::{decode_failure, describe_body};
pub(crate) use transport::Transport;

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
    /// Finpass is rate limiting: the call's last answer was a 429 (retried as far as the retry
    /// settings allow, or not at all), or a `Retry-After` asked to wait longer than the configured
    /// cap. [`Error::retry_after`] carries the delay the server asked for, when it sent one.
    RateLimited,
    /// The response did not match the documented contract (wrong type, missing field, HTML, …).
    Decode,
    /// No connection could be made.
    Connect,
    /// An HTTP timeout: an attempt or the whole call ran out of time (a waiter's deadline is
    /// [`ErrorKind::WaitDeadline`]).
    Timeout,
    /// Any other transport failure (reset, TLS, broken body).
    Transport,
    /// The response body was larger than the configured cap
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); it was not
    /// read. The status is kept.
    ResponseTooLarge,
    /// A waiter (`Finpass::wait_for_*`) reached its deadline
    /// ([`WaitOptions::deadline`](crate::WaitOptions::deadline)) before the job left its
    /// in-progress states; the message names the last status seen, or the last poll's failure.
    WaitDeadline,
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

    /// Attaches the underlying error. A serde_json error quotes the value it choked on, so it is kept
    /// only as its value-free message.
    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        let source: Box<dyn std::error::Error + Send + Sync> = Box::new(source);
        self.source = Some(match source.downcast::<serde_json::Error>() {
            Ok(serde) => Box::new(ValueFree(privacy::value_free(&serde))),
            Err(other) => other,
        });
        self
    }

    /// Whether the body's documented envelope fields (`message`, `message_code`, `error_code`) may be
    /// shown: only for an error status. A 2xx body is never shown, not even its `message` when it
    /// says `success: false` (the accessors still return it, on purpose).
    fn envelope_shown(&self) -> bool {
        self.kind != ErrorKind::Decode && self.status.is_some_and(|s| !s.is_success())
    }

    /// The `message` as `Display` and `Debug` show it, and whether words were hidden: only the words
    /// the spec's own messages use ([DECISIONS.md, PD-2](https://github.com/finpass-rs/finpass-rs/blob/main/openapi/DECISIONS.md)), all of it under
    /// [`crate::Reveal`].
    fn message_shown(&self, f: &fmt::Formatter<'_>) -> Option<(String, bool)> {
        let message = self.message().filter(|_| self.envelope_shown())?;
        Some(if crate::personal::revealing(f) {
            (message.to_owned(), false)
        } else {
            message::shown(message, generated::MESSAGE_WORDS)
        })
    }

    /// The broad kind of failure.
    /// ```
    /// use finpass_client::{ErrorKind, Finpass};
    /// let err = Finpass::builder().build().unwrap_err(); // no credentials
    /// assert_eq!(err.kind(), ErrorKind::Config);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The `operationId` of the call that failed, when the failure belongs to a call.
    /// ```
    /// let err = finpass_client::StatementFile::from_bytes("statement.docx", "…").unwrap_err();
    /// assert_eq!(err.operation(), Some("bsa_upload_statement"));
    /// ```
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }
    /// The HTTP status of the last response, whatever its body was.
    /// ```
    /// fn is_auth_failure(err: &finpass_client::Error) -> bool {
    ///     err.status() == Some(finpass_client::reqwest::StatusCode::UNAUTHORIZED)
    /// }
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }
    /// Finpass's human-readable `message`, when the body had one, in full. `Display` and `Debug`
    /// show only the words of it that the spec's own messages use (the rest may be a person's data),
    /// so read it here, or print the error inside [`Reveal`](crate::Reveal), when you need all of it.
    /// ```
    /// fn explain(err: &finpass_client::Error) -> &str {
    ///     err.message().unwrap_or("Finpass could not be reached")
    /// }
    /// ```
    pub fn message(&self) -> Option<&str> {
        self.api.message.as_deref()
    }
    /// Finpass's `message_code` (Account Aggregator family), when present.
    /// ```
    /// fn needs_new_consent(err: &finpass_client::Error) -> bool {
    ///     err.message_code() == Some("consent_required")
    /// }
    /// ```
    pub fn message_code(&self) -> Option<&str> {
        self.api.message_code.as_deref()
    }
    /// Finpass's `error_code` (ITR family), when present.
    /// ```
    /// fn itr_input_rejected(err: &finpass_client::Error) -> bool {
    ///     err.error_code() == Some("INVALID_INPUT")
    /// }
    /// ```
    pub fn error_code(&self) -> Option<&str> {
        self.api.error_code.as_deref()
    }
    /// `message_code` or `error_code`, whichever the envelope carried.
    /// ```
    /// fn log(err: &finpass_client::Error) {
    ///     eprintln!("Finpass error code: {}", err.code().unwrap_or("none"));
    /// }
    /// ```
    pub fn code(&self) -> Option<&str> {
        self.message_code().or(self.error_code())
    }
    /// A request id, if the server sent one (`x-request-id`).
    /// ```
    /// fn log(err: &finpass_client::Error) {
    ///     eprintln!("{err} (request id {})", err.request_id().unwrap_or("none"));
    /// }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// How many HTTP attempts were made (0 when nothing was sent).
    /// ```
    /// let err = finpass_client::Finpass::builder().build().unwrap_err();
    /// assert_eq!(err.attempts(), 0); // refused before anything was sent
    /// ```
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
    /// Whether repeating the same call later could succeed, given the operation's retry class.
    /// ```
    /// fn next_step(err: &finpass_client::Error) -> &'static str {
    ///     if err.is_retryable() { "try again later" } else { "fix the request" }
    /// }
    /// ```
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }
    /// On a [`ErrorKind::RateLimited`] error, the delay the server asked for with `Retry-After`
    /// (seconds or an HTTP date), when it sent one. [`Duration::MAX`] when the header was present but
    /// unreadable (`-1`, `1.5`, garbage): an unreadable delay is treated as longer than any cap,
    /// never as no delay.
    /// ```
    /// fn retry_in(err: &finpass_client::Error) -> Option<std::time::Duration> {
    ///     err.retry_after().filter(|delay| *delay != std::time::Duration::MAX)
    /// }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
    /// The raw response body, exactly as received. It may hold personal data: `Display` and `Debug`
    /// never show it, so log it only on purpose.
    /// ```
    /// fn body_len(err: &finpass_client::Error) -> usize {
    ///     err.body().map_or(0, <[u8]>::len) // the bytes may be personal data: count, don't log
    /// }
    /// ```
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
        let shown = self.envelope_shown();
        if let Some(status) = self.status {
            write!(f, " (HTTP {status}")?;
            if let Some(code) = self.code().filter(|_| shown) {
                write!(f, ", {code}")?;
            }
            f.write_str(")")?;
        }
        if let Some((message, hidden)) = self.message_shown(f) {
            write!(f, ": {message}")?;
            if hidden {
                f.write_str(" [partly hidden: see Error::message()]")?;
            }
        }
        if let Some(delay) = self
            .retry_after
            .filter(|_| self.kind == ErrorKind::RateLimited)
        {
            if delay == Duration::MAX {
                f.write_str(
                    "; its Retry-After could not be read, so it counts as too long to wait",
                )?;
            } else {
                write!(f, "; Retry-After asks for {} s", delay.as_secs())?;
            }
        }
        if (self.kind == ErrorKind::Decode || self.api == ApiFields::default())
            && let Some(body) = &self.body
        {
            write!(f, "; {}", describe_body(body))?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.envelope_shown();
        let message = self.message_shown(f).map(|(text, _)| text);
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("message", &message)
            .field("code", &self.code().filter(|_| shown))
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .field("retryable", &self.retryable)
            .field("retry_after", &self.retry_after)
            .field("detail", &self.detail)
            .field("body", &self.body.as_deref().map(describe_body))
            .field("source", &self.source)
            .finish()
    }
}

/// A source error reduced to a message without values (see [`Error::with_source`]).
#[derive(Debug)]
struct ValueFree(String);

impl fmt::Display for ValueFree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueFree {}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests;
