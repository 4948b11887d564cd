//! The progenitor hooks: every generated request passes through [`ClientHooks`] here, which is where
//! retries, per-attempt timeouts, the call deadline and tracing live. No generated code is edited.
//!
//! Each attempt's body is read in full inside `exec` (bounded by the attempt timeout, so a slow-drip
//! body ends in a timeout) and handed back to the generated decoder as a rebuilt response. What the
//! attempts saw is written to a task-local [`CallRecord`] that `Finpass::call` turns into an error that
//! keeps the HTTP status even when the body does not decode.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::HeaderName;
use reqwest::{Request, Response, ResponseBuilderExt, StatusCode};
use tokio::time::Instant;
use tracing::Instrument;

use crate::generated::Client;
use crate::retry::{self, Next, Outcome, RetryConfig};

/// Sleeps for a duration. Replaceable so that tests can observe backoff without waiting for it.
pub type SleepFn = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Timeouts applied to every call. Defaults: connect 10 s, each attempt 30 s, the whole call
/// (attempts and backoff together) 90 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) attempt: Duration,
    pub(crate) deadline: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            deadline: Duration::from_secs(90),
        }
    }
}

impl Timeouts {
    /// Time allowed to establish a connection.
    pub fn connect(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }
    /// Time allowed for one attempt, from sending the request to the last byte of the body.
    pub fn attempt(mut self, timeout: Duration) -> Self {
        self.attempt = timeout;
        self
    }
    /// Time allowed for the whole call, attempts and backoff together.
    pub fn deadline(mut self, timeout: Duration) -> Self {
        self.deadline = timeout;
        self
    }
}

/// Per-client (or per-call) behaviour, carried as progenitor's inner type.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: Timeouts,
    pub(crate) sleep: SleepFn,
    pub(crate) capture: Option<Arc<crate::capture::Capture>>,
}

impl Runtime {
    pub(crate) fn new(retry: RetryConfig, timeouts: Timeouts) -> Self {
        Runtime {
            retry,
            timeouts,
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            capture: None,
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

/// What the attempts of one call saw; read by `Finpass::call` after the generated code returns.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    pub attempts: u32,
    pub status: Option<StatusCode>,
    /// `x-request-id` of the last response, if any (the only header errors report).
    pub request_id: Option<String>,
    pub body: Option<Bytes>,
    pub retryable: bool,
    pub retry_after_over_cap: Option<Duration>,
}

tokio::task_local! {
    // Boxed: tokio swaps the value into and out of its thread-local slot on every poll of the call,
    // so a pointer is copied there instead of the whole record.
    static CALL: Box<RefCell<CallRecord>>;
}

/// Runs `call` with a fresh record and returns the record next to its output.
pub(crate) async fn recorded<F: Future>(call: F) -> (F::Output, CallRecord) {
    CALL.scope(Box::default(), async move {
        let output = call.await;
        (output, CALL.with(|record| record.take()))
    })
    .await
}

fn note(update: impl FnOnce(&mut CallRecord)) {
    // Outside `recorded` (never the case through `Finpass`) there is simply nothing to note.
    let _ = CALL.try_with(|record| update(&mut record.borrow_mut()));
}

// Constants, not `&str` keys: a string key is parsed as a header name on every lookup.
const API_VERSION: HeaderName = HeaderName::from_static("api-version");
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

impl ClientHooks<Runtime> for Client {
    async fn pre<E>(
        &self,
        request: &mut Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        // progenitor adds `api-version: <info.version>` to every request; Finpass documents no such header.
        let headers = request.headers_mut();
        headers.remove(API_VERSION);
        // Room for what reqwest and hyper add next (credentials, user agent, content length), so
        // the map is not grown and rehashed while the request is sent.
        headers.reserve(8);
        Ok(())
    }

    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        let runtime = self.inner();
        let class = crate::operation::retry_class(info.operation_id);
        let started = Instant::now();
        let deadline = started + runtime.timeouts.deadline;
        let mut pending = request;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // The copy for a retry is made only while a retry can still follow: on the last attempt
            // (every attempt with retries disabled) `next` can no longer answer `Retry`. Whether the
            // body could be copied is still what decides below, as before.
            let clonable = pending.body().is_none_or(|b| b.as_bytes().is_some());
            let again = if clonable && attempt <= runtime.retry.max_retries {
                pending.try_clone()
            } else {
                None
            };
            let remaining = deadline.saturating_duration_since(Instant::now());
            *pending.timeout_mut() = Some(runtime.timeouts.attempt.min(remaining));
            // Fields are numbers and flags only: no header value or body ever reaches a span.
            let span = tracing::debug_span!(
                "finpass.attempt",
                attempt,
                status = tracing::field::Empty,
                retry_delay_ms = tracing::field::Empty,
            );
            let once = attempt_once(self.client(), pending);
            // A disabled span would only be entered and exited on every poll for nothing.
            let result = if span.is_disabled() {
                once.await
            } else {
                once.instrument(span.clone()).await
            };
            let outcome = Outcome::of(&result);
            if let Outcome::Status(status) = outcome {
                span.record("status", status.as_u16());
            }
            let retryable = retry::is_retryable(class, outcome);
            tracing::debug!(parent: &span, ?outcome, retryable, "attempt finished");
            note(|r| {
                r.attempts = attempt;
                r.retryable = retryable;
                match &result {
                    Ok(response) => {
                        r.status = Some(response.status());
                        r.request_id = response
                            .headers()
                            .get(X_REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                    }
                    Err(_) => (r.status, r.request_id, r.body) = (None, None, None),
                }
            });
            if !clonable || !retryable {
                return result;
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            let headers = result.as_ref().ok().map(Response::headers);
            match runtime.retry.next(attempt, headers, remaining) {
                Next::Retry(delay) => {
                    let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                    span.record("retry_delay_ms", delay_ms);
                    tracing::debug!(parent: &span, delay_ms, "retrying");
                    (runtime.sleep)(delay).await;
                    pending =
                        again.expect("copied: a retry follows only while attempt <= max_retries");
                }
                Next::TooLongToWait(delay) => {
                    note(|r| r.retry_after_over_cap = Some(delay));
                    return result;
                }
                Next::GiveUp => return result,
            }
        }
    }
}

/// Sends one attempt and reads its whole body, so the attempt timeout covers a slow body too.
async fn attempt_once(client: &reqwest::Client, request: Request) -> reqwest::Result<Response> {
    let mut response = client.execute(request).await?;
    let status = response.status();
    let version = response.version();
    // Taken, not cloned: the rebuilt response is the only one that needs them.
    let headers = std::mem::take(response.headers_mut());
    // Without its URL, reqwest's `From<http::Response>` parses a placeholder URL for every response
    // (~3.4 k instructions per call in the profile); a clone of the real one is a copy.
    let url = response.url().clone();
    let body = response.bytes().await?;
    note(|r| r.body = Some(body.clone()));
    let mut rebuilt = http::Response::builder()
        .status(status)
        .version(version)
        .url(url)
        .body(body)
        .expect("status and version come from a valid response");
    *rebuilt.headers_mut() = headers;
    Ok(Response::from(rebuilt))
}
