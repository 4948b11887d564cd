//! What an [`Exchange`] means to the caller: the typed value of a declared success, decoded once from
//! the bounded body, or the crate's one [`Error`] for anything else, keeping the HTTP status whatever
//! the body was.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::ApiFields;
use crate::exchange::{Answer, Exchange, Failure};
use crate::response::{Meta, Response, X_REQUEST_ID};
use crate::{Error, ErrorKind};

/// A decoded success body that can still report failure (`success: false` in the envelope).
/// Implemented for every success type by `cargo xtask generate`, from the type's `success` field.
pub(crate) trait Envelope {
    fn says_failure(&self) -> bool;
}

/// The typed value of an API call's exchange, or the error it stands for. `success`: the 2xx
/// statuses the spec declares for the operation. A 2xx envelope that says `success: false` is an
/// API error too.
pub(crate) fn json<T: DeserializeOwned + Envelope>(
    operation: &'static str,
    success: &[u16],
    exchange: Exchange,
) -> Result<Response<T>, Error> {
    let (mut seen, last) = Seen::split(operation, exchange);
    let Answer {
        status,
        headers,
        body,
    } = last.map_err(|failure| seen.failed(failure))?;
    let (attempts, elapsed) = (seen.attempts, seen.elapsed);
    seen.headers = Some(&headers);
    let body = match body {
        Ok(body) => body,
        Err(cap) => return Err(seen.too_large(cap, "response body")),
    };
    if !success.contains(&status.as_u16()) {
        return Err(rejected(seen, body));
    }
    match serde_json::from_slice::<T>(&body) {
        Ok(value) if value.says_failure() => Err(seen.error(
            ErrorKind::Api,
            "Finpass reported `success: false`",
            Some(body),
        )),
        Ok(value) => Ok(Response::new(
            value,
            Meta {
                status,
                headers,
                attempts,
                elapsed,
            },
        )),
        // A 2xx that says `success: false` is Finpass reporting a failure in a shape we could not type.
        Err(_) if ApiFields::from_body(&body).success == Some(false) => Err(seen.error(
            ErrorKind::Api,
            "Finpass reported `success: false`",
            Some(body),
        )),
        // Said with the JSON path and the expected type only (a second, path-tracking parse on this
        // failure path): serde's own message quotes the value, which may be personal data.
        Err(_) => {
            let failure = crate::error::decode_failure::<T>(&body);
            Err(seen.error(
                ErrorKind::Decode,
                format!("response does not match the documented contract {failure}"),
                Some(body),
            ))
        }
    }
}

/// A status the operation does not declare as success: a rate limit (every final 429, and any
/// answer whose `Retry-After` stopped the retries) or an API error.
fn rejected(mut seen: Seen<'_>, body: Bytes) -> Error {
    let status = seen.status.unwrap_or_default();
    if status == StatusCode::TOO_MANY_REQUESTS && seen.retry_after.is_none() {
        seen.retry_after = seen.headers.and_then(crate::retry::asked_delay);
    }
    let kind = if status == StatusCode::TOO_MANY_REQUESTS || seen.retry_after.is_some() {
        ErrorKind::RateLimited
    } else {
        ErrorKind::Api
    };
    let fields = ApiFields::from_body(&body);
    let detail =
        if fields.message.is_some() || fields.message_code.is_some() || fields.error_code.is_some()
        {
            "Finpass returned an error"
        } else {
            "Finpass returned an error in an undocumented shape"
        };
    seen.error(kind, detail, Some(body))
}

/// What an error keeps of an exchange besides its body.
pub(crate) struct Seen<'a> {
    pub operation: &'static str,
    pub attempts: u32,
    pub elapsed: Duration,
    pub retryable: bool,
    pub retry_after: Option<Duration>,
    pub status: Option<StatusCode>,
    /// The last response's headers (only its request id goes into an error).
    pub headers: Option<&'a HeaderMap>,
}

impl Seen<'_> {
    /// What the attempts saw, and the last attempt's answer or why it got none.
    pub(crate) fn split(
        operation: &'static str,
        exchange: Exchange,
    ) -> (Self, Result<Answer, Failure>) {
        let Exchange {
            attempts,
            elapsed,
            retryable,
            too_long_to_wait,
            last,
        } = exchange;
        let seen = Seen {
            operation,
            attempts,
            elapsed,
            retryable,
            retry_after: too_long_to_wait,
            status: last.as_ref().ok().map(|answer| answer.status),
            headers: None,
        };
        (seen, last)
    }

    /// The error of an attempt that got no answer, classified once (`crate::error::Transport`).
    pub(crate) fn failed(&self, failure: Failure) -> Error {
        let (kind, detail) = failure.kind().kind_and_detail();
        let error = self.error(kind, detail, None);
        match failure {
            Failure::TimedOut => error,
            Failure::Transport(source) => error.with_source(source.without_url()),
        }
    }

    /// A body past the cap: nothing of it was kept; the status is.
    pub(crate) fn too_large(&self, cap: u64, what: &str) -> Error {
        self.error(
            ErrorKind::ResponseTooLarge,
            format!(
                "the {what} is larger than the {cap}-byte limit; reading stopped there and nothing of it was kept"
            ),
            None,
        )
    }

    pub(crate) fn error(
        &self,
        kind: ErrorKind,
        detail: impl Into<String>,
        body: Option<Bytes>,
    ) -> Error {
        let mut e = Error::new(kind, detail).in_operation(self.operation);
        e.status = self.status;
        e.attempts = self.attempts;
        e.retryable = self.retryable;
        e.retry_after = self.retry_after;
        e.request_id = self
            .headers
            .and_then(|h| h.get(X_REQUEST_ID))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Some(body) = body {
            e.api = ApiFields::from_body(&body);
            e.body = Some(body);
        }
        e
    }
}
