//! progenitor's hooks (`ClientHooks`, a generator setting): every generated request passes through
//! here, which is where retries, per-attempt timeouts, the call deadline, the response size cap and
//! tracing live. No generated code is edited.
//!
//! The hooks own the wire; progenitor only builds the request. Each attempt's body is read here, once
//! and bounded (by the attempt timeout, so a slow-drip body ends in a timeout, and by the size cap),
//! into a task-local [`CallRecord`]. The response handed back to the generated code has nothing left
//! to read: the drained response itself, or, when a body went past the cap and was left unread, a
//! bodiless stand-in with a status no operation declares. Whatever the generated code makes of it is
//! ignored; the facade decodes the recorded body into the typed value, once (`crate::facade`).

use std::cell::RefCell;
use std::future::Future;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{CONTENT_LENGTH, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Request, Response, ResponseBuilderExt, StatusCode, Url};
use tokio::time::Instant;
use tracing::Instrument;

use crate::generated::Client;
use crate::retry::{Next, Outcome};
use crate::runtime::Runtime;

/// What the attempts of one call saw; read by the facade after the generated code returns.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    pub attempts: u32,
    pub status: Option<StatusCode>,
    /// `x-request-id` of the last response, if any (the only header errors report).
    pub request_id: Option<String>,
    /// The last response's headers (handed to `with_response()` callers on success).
    pub headers: HeaderMap,
    /// From the first attempt to the end of the last one.
    pub elapsed: Duration,
    pub body: Option<Bytes>,
    pub retryable: bool,
    pub retry_after_over_cap: Option<Duration>,
    /// The size cap the last response's body went past (declared or streamed), in bytes.
    pub too_large: Option<u64>,
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

/// The status of the stand-in response (see `read`). No Finpass operation declares it, so the
/// generated match takes its `UnexpectedResponse` arm without reading a body. (Were one to declare
/// it, the generated code would fail to decode an empty body, which the facade ignores: the outcome
/// comes from the record either way.)
fn stand_in_status() -> StatusCode {
    StatusCode::from_u16(599).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl ClientHooks<Runtime> for Client {
    async fn pre<E>(
        &self,
        request: &mut Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        // progenitor adds `api-version: <info.version>` to every request; Finpass documents no such header.
        let headers = request.headers_mut();
        headers.remove(API_VERSION);
        // The caller's per-call headers (`Finpass::with_header`); names that the client owns were
        // refused when they were set.
        for (name, value) in self.inner().extra_headers.iter() {
            headers.append(name, value.clone());
        }
        Ok(())
    }

    // `pending` is the parameter itself: an async fn keeps its parameters in its future, so a
    // local copy would add a second request-sized field (and a move) to it.
    async fn exec(&self, mut pending: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        let runtime = self.inner();
        let (class, required_headers) = crate::operation::for_call(info.operation_id);
        // Headers the operation's page requires that the generated request cannot carry
        // (`x-finpass.required-headers`: BSA Statement Result's `Content-Type` on a GET, DECISIONS.md
        // BSA-7), set before the first retry copy is made. The generator checked both parts; the
        // fallible forms keep a panic out of the hook.
        for &(name, value) in required_headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                pending.headers_mut().insert(name, value);
            }
        }
        let started = Instant::now();
        let deadline = started + runtime.timeouts.deadline;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // The copy for a retry is made only while a retry can still follow: on the last attempt
            // (every attempt with retries disabled) `next` can no longer answer `Retry`. Whether the
            // body could be copied is still what decides below, as before.
            let clonable = pending.body().is_none_or(|b| b.as_bytes().is_some());
            let again = if clonable && attempt <= runtime.retry.max_retries {
                retry_copy(&pending)
            } else {
                None
            };
            // The shared reqwest client carries the builder's attempt timeout (`config.rs`); a
            // request-level one, which costs reqwest an extensions map per request, is set only when
            // this call's differs: a per-call `with_timeouts`, or a deadline nearer than an attempt.
            let remaining = deadline.saturating_duration_since(Instant::now());
            let timeout = runtime.timeouts.attempt.min(remaining);
            if timeout != runtime.client_attempt_timeout {
                *pending.timeout_mut() = Some(timeout);
            }
            // Fields are numbers and flags only: no header value or body ever reaches a span.
            let span = tracing::debug_span!(
                "finpass.attempt",
                attempt,
                status = tracing::field::Empty,
                retry_delay_ms = tracing::field::Empty,
            );
            // Handed to reqwest here rather than inside `attempt_once`, whose future would otherwise
            // carry the request through each level (~1 k bytes more in the call's boxed future).
            let sent = if span.is_disabled() {
                self.client().execute(pending)
            } else {
                span.in_scope(|| self.client().execute(pending))
            };
            let once = attempt_once(sent, runtime.max_response_bytes);
            // A disabled span would only be entered and exited on every poll for nothing.
            let result = if span.is_disabled() {
                once.await
            } else {
                once.instrument(span.clone()).await
            };
            let outcome = match &result {
                Ok(answer) => Outcome::Status(answer.status),
                Err(e) => Outcome::of_error(e),
            };
            if let Outcome::Status(status) = outcome {
                span.record("status", status.as_u16());
            }
            let too_large = result.as_ref().is_ok_and(|a| a.body.is_err());
            let retryable = !too_large && runtime.retry.is_retryable(class, outcome);
            tracing::debug!(parent: &span, ?outcome, retryable, "attempt finished");
            note(|r| (r.attempts, r.retryable) = (attempt, retryable));
            if clonable && retryable {
                let remaining = deadline.saturating_duration_since(Instant::now());
                let headers = result.as_ref().ok().map(|a| &a.headers);
                match runtime.retry.next(attempt, headers, remaining) {
                    Next::Retry(delay) => {
                        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                        span.record("retry_delay_ms", delay_ms);
                        tracing::debug!(parent: &span, delay_ms, "retrying");
                        (runtime.sleep)(delay).await;
                        pending = again
                            .expect("copied: a retry follows only while attempt <= max_retries");
                        continue;
                    }
                    Next::TooLongToWait(delay) => note(|r| r.retry_after_over_cap = Some(delay)),
                    Next::GiveUp => {}
                }
            }
            note(|r| r.elapsed = started.elapsed());
            return finish(result);
        }
    }
}

/// Bodies up to this size are copied for a retry; larger ones are shared (reqwest's `try_clone`).
const COPIED_BODY_BYTES: usize = 64 * 1024;

/// The copy of `request` kept for a retry, or `None` when its body cannot be replayed.
///
/// Built from the parts rather than with `Request::try_clone`, which also gives every copy a timeout
/// slot in a freshly allocated extensions map and then replaces that map (~0.6 k instructions per
/// call). The requests seen here carry no extensions: progenitor and the upload build them with
/// reqwest's builder, and the copy is made before this attempt's timeout is set.
fn retry_copy(request: &Request) -> Option<Request> {
    let body = match request.body().map(reqwest::Body::as_bytes) {
        None => None,
        Some(Some(bytes)) if bytes.len() <= COPIED_BODY_BYTES => {
            Some(reqwest::Body::from(Bytes::copy_from_slice(bytes)))
        }
        Some(_) => return request.try_clone(),
    };
    let mut copy = Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    *copy.body_mut() = body;
    Some(copy)
}

/// Moves the last attempt's answer into the call record and hands progenitor a response with
/// nothing left to read.
fn finish(result: reqwest::Result<Answer>) -> reqwest::Result<Response> {
    let answer = result?;
    let request_id = answer
        .headers
        .get(X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    note(|r| {
        r.status = Some(answer.status);
        r.request_id = request_id;
        r.headers = answer.headers;
        match answer.body {
            Ok(body) => r.body = Some(body),
            Err(cap) => r.too_large = Some(cap),
        }
    });
    Ok(answer.handed_back)
}

/// A bodiless response with the stand-in status, for an attempt whose body was left unread.
fn stand_in(url: Url) -> Response {
    let stand_in = http::Response::builder()
        .status(stand_in_status())
        // Without a URL, reqwest's `From<http::Response>` parses a placeholder URL (~3.4 k
        // instructions in the profile); moving the real one is free.
        .url(url)
        .body(Bytes::new())
        .expect("a fixed status and an empty body always build");
    Response::from(stand_in)
}

/// One attempt's answer: status, headers, and the body or the cap it went past.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Result<Bytes, u64>,
    /// What the generated code gets back (see `read`).
    handed_back: Response,
}

/// Sends one attempt and reads its whole body (at most `cap` bytes), so the attempt timeout covers a
/// slow body too. A transport failure is noted as the attempt's outcome (no status, no body).
async fn attempt_once(
    sent: impl Future<Output = reqwest::Result<Response>>,
    cap: u64,
) -> reqwest::Result<Answer> {
    let result = read(sent, cap).await;
    if result.is_err() {
        note(|r| {
            (r.status, r.request_id, r.body, r.too_large) = (None, None, None, None);
            r.headers.clear();
        });
    }
    result
}

async fn read(
    sent: impl Future<Output = reqwest::Result<Response>>,
    cap: u64,
) -> reqwest::Result<Answer> {
    let mut response = sent.await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let body = if declared.is_some_and(|len| len > cap) {
        // Refused before reading: dropping the response closes the connection.
        Err(cap)
    } else {
        read_capped(&mut response, cap).await?
    };
    // A body read to its end leaves the response drained (its headers are in `headers`), so it is
    // handed back as it is: the generated code's own decoding finds nothing to read, and rebuilding
    // a response cost ~1.4 k instructions per call. One whose body went past the cap still has
    // unread bytes that the generated code would read without a bound: it is dropped here, which
    // closes the connection, and a bodiless stand-in goes back instead.
    let handed_back = match body {
        Ok(_) => response,
        Err(_) => stand_in(response.url().clone()),
    };
    Ok(Answer {
        status,
        headers,
        body,
        handed_back,
    })
}

/// The body, or `Err(cap)` as soon as it streams past `cap` bytes. A body that arrives as one chunk
/// (the usual case) is kept without a copy.
pub(crate) async fn read_capped(
    response: &mut Response,
    cap: u64,
) -> reqwest::Result<Result<Bytes, u64>> {
    let mut first: Option<Bytes> = None;
    let mut rest: Option<BytesMut> = None;
    let mut total = 0u64;
    while let Some(chunk) = response.chunk().await? {
        total = total.saturating_add(chunk.len() as u64);
        if total > cap {
            return Ok(Err(cap));
        }
        match (&mut first, &mut rest) {
            (None, _) => first = Some(chunk),
            (Some(head), None) => {
                let mut joined = BytesMut::with_capacity(head.len() + chunk.len());
                joined.extend_from_slice(head);
                joined.extend_from_slice(&chunk);
                rest = Some(joined);
            }
            (Some(_), Some(joined)) => joined.extend_from_slice(&chunk),
        }
    }
    Ok(Ok(match (first, rest) {
        (_, Some(joined)) => joined.freeze(),
        (Some(head), None) => head,
        (None, None) => Bytes::new(),
    }))
}
