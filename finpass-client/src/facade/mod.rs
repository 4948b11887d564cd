//! [`Finpass`]: the client users hold, and the one call path every operation takes.
//!
//! One method per operation is generated onto it (`facade/generated.rs`, rendered from progenitor's
//! output); each runs progenitor's request builder through [`Finpass::call`]. The hooks
//! (`crate::hooks`) send the request and keep the body; `call` decodes it into the typed value once and
//! turns every other outcome into the crate's one [`Error`], keeping the HTTP status whatever the body.

use std::future::Future;

use progenitor_client::{ClientInfo, Error as RawError};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::ApiFields;
use crate::hooks::CallRecord;
use crate::runtime::{Runtime, Timeouts};
use crate::{Error, ErrorKind, RetryConfig};

// The generated methods and envelope rules (`cargo xtask generate`).
mod generated;

/// A Finpass API client. Cheap to clone; clones share the connection pool.
///
/// Build one with [`Finpass::builder`] or [`Finpass::from_env`]. `Debug` never shows credentials.
#[derive(Clone)]
pub struct Finpass {
    raw: crate::generated::Client,
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

/// Headers the client sets itself; `Finpass::with_header` refuses them (lower case, as `HeaderName`
/// prints).
const OWNED_HEADERS: &[&str] = &[
    "x-api-key",
    "x-api-secret",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
];

/// A decoded success body that can still report failure (`success: false` in the envelope).
/// Implemented for every success type by `cargo xtask generate`, from the type's `success` field.
pub(crate) trait Envelope {
    fn says_failure(&self) -> bool;
}

impl Finpass {
    pub(crate) fn from_parts(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self {
        Finpass {
            raw: crate::generated::Client::new_with_client(base_url, http, runtime),
        }
    }

    /// The base URL calls go to.
    ///
    /// ```
    /// let finpass = finpass_client::Finpass::new("your-api-key", "your-api-secret")?;
    /// assert_eq!(finpass.base_url(), "https://api.finpass.ai");
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        self.raw.baseurl()
    }

    /// A client that shares this one's connections but uses other retry settings, e.g.
    /// `finpass.with_retry(RetryConfig::disabled()).multi_bureau_fetch(..)`.
    ///
    /// ```no_run
    /// use finpass_client::RetryConfig;
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// // A status poll is safe to repeat: allow more retries for this call only.
    /// let patient = finpass.with_retry(RetryConfig::default().max_retries(5));
    /// let status = patient.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_retry(&self, retry: RetryConfig) -> Self {
        self.with_runtime(|rt| rt.retry = retry)
    }

    /// A client that shares this one's connections but uses other timeouts (connect timeout excepted:
    /// it belongs to the connection pool).
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use finpass_client::Timeouts;
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// // A year of transactions is a large body: give this one call more time.
    /// let slow = finpass.with_timeouts(Timeouts::default().attempt(Duration::from_secs(120)));
    /// let result = slow.aa_bsa_statement_result("bsa_clnt_a1b2c3d4e5f6").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_timeouts(&self, timeouts: Timeouts) -> Self {
        self.with_runtime(|rt| {
            rt.timeouts = Timeouts {
                connect: rt.timeouts.connect,
                ..timeouts
            }
        })
    }

    /// A client that shares this one's connections and adds a header to every request it sends,
    /// e.g. a correlation id for one call:
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass
    ///     .with_header("x-correlation-id", "loan-2024-0042")?
    ///     .aa_bsa_status("aa_bsa_123")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// Headers the client owns are refused with [`ErrorKind::InvalidRequest`]: the credentials
    /// (`x-api-key`, `x-api-secret`) and the message framing (`host`, `content-length`,
    /// `content-type`, `transfer-encoding`, `connection`). The error names the header, never its
    /// value. Report downloads never carry these headers.
    pub fn with_header<N, V>(&self, name: N, value: V) -> Result<Self, Error>
    where
        N: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        let name = name.try_into().map_err(|_| {
            Error::new(
                ErrorKind::InvalidRequest,
                "with_header: the header name is not a valid HTTP header name",
            )
        })?;
        if OWNED_HEADERS.contains(&name.as_str()) {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("with_header: `{name}` is set by the client and cannot be set per call"),
            ));
        }
        let value = value.try_into().map_err(|_| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("with_header: the value of `{name}` is not a valid HTTP header value"),
            )
        })?;
        Ok(self.with_runtime(|rt| {
            let mut headers = HeaderMap::clone(&rt.extra_headers);
            headers.append(name, value);
            rt.extra_headers = std::sync::Arc::new(headers);
        }))
    }

    fn with_runtime(&self, change: impl FnOnce(&mut Runtime)) -> Self {
        let mut runtime = self.raw.inner().clone();
        change(&mut runtime);
        Finpass::from_parts(self.raw.baseurl(), self.raw.client().clone(), runtime)
    }

    pub(crate) fn raw(&self) -> &crate::generated::Client {
        &self.raw
    }

    /// Runs one request through the hooks and decodes what they recorded. A 2xx envelope that says
    /// `success: false` is an API error too. `request` is progenitor's `send()` (or the handwritten
    /// upload's equivalent): only its request building and its transport errors matter here, its
    /// own decoding never runs (see `crate::hooks`).
    ///
    /// Not an `async fn`: an async fn keeps its argument inline in its own future, so progenitor's
    /// large request future would be moved (memcpy) through every level that awaits the call. Boxing
    /// it here, before the returned future exists, moves it exactly once.
    pub(crate) fn call<'a, T, R, E>(
        &'a self,
        operation: &'static str,
        request: impl Future<Output = Result<R, RawError<E>>> + 'a,
    ) -> impl Future<Output = Result<T, Error>> + 'a
    where
        T: DeserializeOwned + Envelope,
    {
        let request = Box::pin(request);
        async move {
            let span = tracing::debug_span!("finpass.call", operation);
            let recorded = crate::hooks::recorded(request);
            // A disabled span (no subscriber wants it) would only be entered and exited on every
            // poll for nothing.
            let (result, record) = if span.is_disabled() {
                recorded.await
            } else {
                recorded.instrument(span).await
            };
            #[cfg(feature = "capture")]
            if let Some(capture) = &self.raw.inner().capture {
                capture.record(operation, record.status, record.body.as_deref());
            }
            match result {
                Err(RawError::InvalidRequest(message)) => Err(Error::new(
                    ErrorKind::InvalidRequest,
                    format!("invalid request, nothing was sent: {message}"),
                )
                .in_operation(operation)),
                _ if record.status.is_some() => decode(operation, record),
                Err(raw) => Err(transport_error(operation, raw, record)),
                Ok(_) => Err(from_record(
                    operation,
                    ErrorKind::Transport,
                    "no response was recorded",
                    record,
                )),
            }
        }
    }
}

/// The typed value of a recorded response, or the error it stands for.
fn decode<T: DeserializeOwned + Envelope>(
    operation: &'static str,
    record: CallRecord,
) -> Result<T, Error> {
    let status = record.status.expect("decode runs on a recorded response");
    if let Some(limit) = record.too_large {
        return Err(from_record(
            operation,
            ErrorKind::ResponseTooLarge,
            format!(
                "the response body is larger than the {limit}-byte limit; reading stopped there and nothing of it was kept"
            ),
            record,
        ));
    }
    let declared = crate::operation::find(operation).map_or(status.is_success(), |op| {
        op.success.contains(&status.as_u16())
    });
    if !declared {
        let kind = if record.retry_after_over_cap.is_some() {
            ErrorKind::RateLimited
        } else {
            ErrorKind::Api
        };
        let fields = record
            .body
            .as_deref()
            .map(ApiFields::from_body)
            .unwrap_or_default();
        let detail = if fields.message.is_some()
            || fields.message_code.is_some()
            || fields.error_code.is_some()
        {
            "Finpass returned an error"
        } else {
            "Finpass returned an error in an undocumented shape"
        };
        return Err(from_record(operation, kind, detail, record));
    }
    let body = record.body.as_deref().unwrap_or_default();
    match serde_json::from_slice::<T>(body) {
        Ok(value) if value.says_failure() => Err(from_record(
            operation,
            ErrorKind::Api,
            "Finpass reported `success: false`",
            record,
        )),
        Ok(value) => {
            crate::response::deliver(|| crate::response::Meta {
                status,
                headers: record.headers,
                request_id: record.request_id,
                attempts: record.attempts,
                elapsed: record.elapsed,
            });
            Ok(value)
        }
        // A 2xx that says `success: false` is Finpass reporting a failure in a shape we could not type.
        Err(_) if ApiFields::from_body(body).success == Some(false) => Err(from_record(
            operation,
            ErrorKind::Api,
            "Finpass reported `success: false`",
            record,
        )),
        // Said with the JSON path and the expected type only (a second, path-tracking parse on this
        // failure path): serde's own message quotes the value, which may be personal data.
        Err(_) => {
            let failure = crate::error::decode_failure::<T>(body);
            Err(from_record(
                operation,
                ErrorKind::Decode,
                format!("response does not match the documented contract {failure}"),
                record,
            ))
        }
    }
}

/// A call that got no response: what the transport reported.
fn transport_error<E>(operation: &'static str, raw: RawError<E>, record: CallRecord) -> Error {
    match raw {
        RawError::CommunicationError(source) | RawError::ResponseBodyError(source) => {
            let (kind, detail) = crate::error::Transport::of(&source).kind_and_detail();
            from_record(operation, kind, detail, record).with_source(source.without_url())
        }
        RawError::InvalidUpgrade(source) => from_record(
            operation,
            ErrorKind::Transport,
            "unexpected upgrade",
            record,
        )
        .with_source(source.without_url()),
        RawError::Custom(message) => from_record(operation, ErrorKind::Transport, message, record),
        // Decoding and status errors cannot happen without a recorded response; say so plainly.
        _ => from_record(
            operation,
            ErrorKind::Transport,
            "no response was recorded",
            record,
        ),
    }
}

pub(crate) fn from_record(
    operation: &'static str,
    kind: ErrorKind,
    detail: impl Into<String>,
    record: CallRecord,
) -> Error {
    let mut e = Error::new(kind, detail).in_operation(operation);
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
