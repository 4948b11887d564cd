//! [`Finpass`]: the client users hold. One method per operation is generated onto it (see
//! `generated.rs`); each runs progenitor's request builder through [`Finpass::call`], which turns
//! every outcome into the crate's one [`Error`].

use std::future::Future;

use progenitor_client::{ClientInfo, Error as RawError, ResponseValue};
use tracing::Instrument;

use crate::error::ApiFields;
use crate::runtime::{CallRecord, Runtime, Timeouts};
use crate::{ClientBuilder, Error, ErrorKind, RetryConfig, generated};

/// A Finpass API client. Cheap to clone; clones share the connection pool.
///
/// Build one with [`Finpass::builder`] or [`Finpass::from_env`]. `Debug` never shows credentials.
#[derive(Clone)]
pub struct Finpass {
    raw: generated::Client,
}

impl std::fmt::Debug for Finpass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finpass")
            .field("base_url", &self.raw.baseurl())
            .field("runtime", self.raw.inner())
            .field("credentials", &"[redacted]")
            .finish()
    }
}

impl Finpass {
    /// A builder; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `FINPASS_API_KEY`, `FINPASS_API_SECRET` and (optionally)
    /// `FINPASS_BASE_URL`. A missing or empty variable is an error that names it.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::new().from_env().build()
    }

    /// A client for production with explicit credentials.
    pub fn new(api_key: impl Into<String>, api_secret: impl Into<String>) -> Result<Self, Error> {
        ClientBuilder::new()
            .credentials(api_key, api_secret)
            .build()
    }

    pub(crate) fn from_parts(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self {
        Finpass {
            raw: generated::Client::new_with_client(base_url, http, runtime),
        }
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.raw.baseurl()
    }

    /// A client that shares this one's connections but uses other retry settings, e.g.
    /// `finpass.with_retry(RetryConfig::disabled()).multi_bureau_fetch(..)`.
    pub fn with_retry(&self, retry: RetryConfig) -> Self {
        self.with_runtime(|rt| rt.retry = retry)
    }

    /// A client that shares this one's connections but uses other timeouts (connect timeout excepted:
    /// it belongs to the connection pool).
    pub fn with_timeouts(&self, timeouts: Timeouts) -> Self {
        self.with_runtime(|rt| {
            rt.timeouts = Timeouts {
                connect: rt.timeouts.connect,
                ..timeouts
            }
        })
    }

    fn with_runtime(&self, change: impl FnOnce(&mut Runtime)) -> Self {
        let mut runtime = self.raw.inner().clone();
        change(&mut runtime);
        Finpass::from_parts(self.raw.baseurl(), self.raw.client().clone(), runtime)
    }

    pub(crate) fn raw(&self) -> &generated::Client {
        &self.raw
    }

    /// Runs one generated request and maps its outcome to [`Error`]. A 2xx envelope that says
    /// `success: false` is an API error too.
    ///
    /// Not an `async fn`: an async fn keeps its argument inline in its own future, so progenitor's
    /// large request future would be moved (memcpy) through every level that awaits the call. Boxing
    /// it here, before the returned future exists, moves it exactly once (BENCHMARKS.md).
    pub(crate) fn call<'a, T: Envelope, E>(
        &'a self,
        operation: &'static str,
        request: impl Future<Output = Result<ResponseValue<T>, RawError<E>>> + 'a,
    ) -> impl Future<Output = Result<T, Error>> + 'a {
        let request = Box::pin(request);
        async move {
            let span = tracing::debug_span!("finpass.call", operation);
            let recorded = crate::runtime::recorded(request);
            // A disabled span (no subscriber wants it) would only be entered and exited on every
            // poll for nothing.
            let (result, record) = if span.is_disabled() {
                recorded.await
            } else {
                recorded.instrument(span).await
            };
            if let Some(capture) = &self.raw.inner().capture {
                capture.record(operation, record.status, record.body.as_deref());
            }
            match result {
                Ok(value) if value.says_failure() => Err(from_record(
                    operation,
                    ErrorKind::Api,
                    "Finpass reported `success: false`",
                    record,
                )),
                Ok(value) => Ok(value.into_inner()),
                Err(raw) => Err(map_error(operation, raw, record)),
            }
        }
    }
}

/// A decoded success body that can still report failure (`success: false` in the envelope).
/// Implemented for every generated type by `cargo xtask generate`.
pub(crate) trait Envelope {
    fn says_failure(&self) -> bool;
}

fn map_error<E>(operation: &'static str, raw: RawError<E>, record: CallRecord) -> Error {
    match raw {
        RawError::InvalidRequest(message) => {
            let mut e = Error::new(
                ErrorKind::InvalidRequest,
                format!("invalid request, nothing was sent: {message}"),
            );
            e.operation = Some(operation);
            e
        }
        RawError::CommunicationError(source) | RawError::ResponseBodyError(source) => {
            let (kind, detail) = if source.is_connect() {
                (ErrorKind::Connect, "could not connect")
            } else if source.is_timeout() {
                (ErrorKind::Timeout, "timed out")
            } else {
                (ErrorKind::Transport, "transport failure")
            };
            from_record(operation, kind, detail, record).with_source(source.without_url())
        }
        RawError::InvalidResponsePayload(_, source) => {
            // A 2xx that says `success: false` is Finpass reporting a failure in a shape we could not type.
            if record
                .body
                .as_deref()
                .map(ApiFields::from_body)
                .and_then(|f| f.success)
                == Some(false)
            {
                return from_record(
                    operation,
                    ErrorKind::Api,
                    "Finpass reported `success: false`",
                    record,
                );
            }
            if record.status.is_some_and(|s| !s.is_success()) {
                let kind = if record.retry_after_over_cap.is_some() {
                    ErrorKind::RateLimited
                } else {
                    ErrorKind::Api
                };
                return from_record(
                    operation,
                    kind,
                    "Finpass returned an error in an undocumented shape",
                    record,
                )
                .with_source(source);
            }
            from_record(
                operation,
                ErrorKind::Decode,
                "response does not match the documented contract",
                record,
            )
            .with_source(source)
        }
        RawError::ErrorResponse(_) | RawError::UnexpectedResponse(_) => {
            let kind = if record.retry_after_over_cap.is_some() {
                ErrorKind::RateLimited
            } else {
                ErrorKind::Api
            };
            from_record(operation, kind, "Finpass returned an error", record)
        }
        RawError::InvalidUpgrade(source) => from_record(
            operation,
            ErrorKind::Transport,
            "unexpected upgrade",
            record,
        )
        .with_source(source.without_url()),
        RawError::Custom(message) => from_record(operation, ErrorKind::Transport, message, record),
    }
}

pub(crate) fn from_record(
    operation: &'static str,
    kind: ErrorKind,
    detail: impl Into<String>,
    record: CallRecord,
) -> Error {
    let mut e = Error::new(kind, detail);
    e.operation = Some(operation);
    e.status = record.status;
    e.attempts = record.attempts;
    e.retryable = record.retryable;
    e.retry_after = record.retry_after_over_cap;
    e.request_id = record.request_id;
    if let Some(body) = record.body {
        e.api = ApiFields::from_body(&body);
        e.body = Some(body);
    }
    e
}
