//! One call on the wire: its attempts, and what they saw.
//!
//! [`run`] sends a built request, reads each answer's body once (bounded by the size cap, and by the
//! attempt timeout, so a slow-drip body ends in a timeout too), and repeats the request when the
//! operation's retry class and the [`CallSettings`] allow it. Everything the attempts learnt comes
//! back as one [`Exchange`]; turning it into the typed value or an error is the caller's
//! (`crate::decode`). Nothing here knows an operation's types.

use std::future::Future;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use reqwest::{Request, Response, StatusCode};
use tokio::time::Instant;
use tracing::Instrument;

use crate::error::Transport;
use crate::operation::RetryClass;
use crate::retry::{Next, Outcome};
use crate::runtime::{CallSettings, SleepFn};

/// Where and under which rules one call's attempts run.
pub(crate) struct Attempts<'a, S> {
    /// Hands a request to reqwest (`reqwest::Client::execute`), which sends it when polled.
    pub send: &'a (dyn Fn(Request) -> S + Sync),
    pub settings: &'a CallSettings,
    /// The operation's retry class; `None`: a single attempt (report downloads).
    pub class: Option<RetryClass>,
    /// Largest body read, in bytes.
    pub cap: u64,
    pub sleep: &'a SleepFn,
}

/// What the attempts of one call saw.
pub(crate) struct Exchange {
    pub attempts: u32,
    /// From sending the first attempt to the end of the last one, backoff included.
    pub elapsed: Duration,
    /// Whether repeating the last attempt could succeed, for the operation's retry class.
    pub retryable: bool,
    /// The `Retry-After` that stopped the retries because it asked for more than the client waits
    /// (`Duration::MAX`: present but unreadable).
    pub too_long_to_wait: Option<Duration>,
    /// The last attempt's answer, or why it got none.
    pub last: Result<Answer, Failure>,
}

/// A response: status, headers and the whole body, or the cap the body went past (then nothing of
/// it was kept, and the connection was closed).
pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Result<Bytes, u64>,
}

/// Why an attempt got no answer.
pub(crate) enum Failure {
    /// The attempt's time (its timeout, or what was left of the call's deadline) ran out.
    TimedOut,
    /// The transport failed: no connection, a reset, TLS, a body broken off, a refused redirect.
    Transport(reqwest::Error),
}

impl Failure {
    pub(crate) fn kind(&self) -> Transport {
        match self {
            Failure::TimedOut => Transport::Timeout,
            Failure::Transport(e) => Transport::of(e),
        }
    }
}

/// Runs the attempts of one call: `first` (a request already handed to reqwest), then, for each
/// retry the operation's class and the settings allow, the request `again` builds (`None`: the call
/// is attempted once, e.g. a streamed upload; `again` giving `None`: no retry), sent after the wait.
/// reqwest's future keeps its request boxed, so this future holds a pointer per attempt, never a
/// whole request.
pub(crate) async fn run<S>(
    rules: Attempts<'_, S>,
    first: S,
    mut again: Option<&mut (dyn FnMut() -> Option<Request> + Send)>,
) -> Exchange
where
    S: Future<Output = reqwest::Result<Response>>,
{
    let retry = &rules.settings.retry;
    let started = Instant::now();
    // `None`: a deadline too far away to represent, i.e. none.
    let deadline = started.checked_add(rules.settings.deadline);
    let left = || {
        deadline.map_or(Duration::MAX, |d| {
            d.saturating_duration_since(Instant::now())
        })
    };
    let mut attempt = 0u32;
    let mut sent = first;
    loop {
        attempt += 1;
        let limit = rules.settings.attempt_timeout.min(left());
        // Fields are numbers only: no header value or body ever reaches a span.
        let span = live(tracing::debug_span!(
            "finpass.attempt",
            attempt,
            status = tracing::field::Empty,
            retry_delay_ms = tracing::field::Empty,
        ));
        // The answer stays inside this block: only a retry's delay and request leave it, so nothing
        // of this attempt is kept through the wait for the next one (nor takes room in the call's
        // future while it waits).
        let (delay, next) = {
            let read = tokio::time::timeout(limit, read(sent, rules.cap));
            let last = match read.instrument(span.clone()).await {
                Ok(answer) => answer.map_err(Failure::Transport),
                // Dropping the unfinished attempt closes its connection.
                Err(_elapsed) => Err(Failure::TimedOut),
            };
            let outcome = match &last {
                Ok(answer) => {
                    span.record("status", answer.status.as_u16());
                    Outcome::Status(answer.status)
                }
                Err(failure) => Outcome::Failed(failure.kind()),
            };
            // A body past the cap would be past it again.
            let too_large = last.as_ref().is_ok_and(|a| a.body.is_err());
            let retryable = !too_large
                && rules
                    .class
                    .is_some_and(|class| retry.is_retryable(class, outcome));
            tracing::debug!(parent: &span, ?outcome, retryable, "attempt finished");
            let decision = if retryable && again.is_some() {
                let headers = last.as_ref().ok().map(|a| &a.headers);
                retry.next(attempt, headers, left())
            } else {
                Next::GiveUp
            };
            // The retry's request is built now, from the call's input: without one, no retry.
            let next = match decision {
                Next::Retry(_) => again.as_mut().and_then(|build| build()),
                _ => None,
            };
            match (decision, next) {
                (Next::Retry(delay), Some(next)) => (delay, next),
                (decision, _) => {
                    return Exchange {
                        attempts: attempt,
                        elapsed: started.elapsed(),
                        retryable,
                        too_long_to_wait: match decision {
                            Next::TooLongToWait(delay) => Some(delay),
                            _ => None,
                        },
                        last,
                    };
                }
            }
        };
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        span.record("retry_delay_ms", delay_ms);
        tracing::debug!(parent: &span, delay_ms, "retrying");
        (rules.sleep)(delay).await;
        sent = (rules.send)(next);
    }
}

/// `span`, or `Span::none()` when no subscriber wants it: entering, recording into and dropping that
/// cost nothing (a disabled span still consults `log` each time when tracing's `log` feature is on).
pub(crate) fn live(span: tracing::Span) -> tracing::Span {
    if span.is_disabled() {
        tracing::Span::none()
    } else {
        span
    }
}

/// One attempt's answer: the response, then its whole body (at most `cap` bytes).
async fn read(
    sent: impl Future<Output = reqwest::Result<Response>>,
    cap: u64,
) -> reqwest::Result<Answer> {
    let mut response = sent.await?;
    // `Content-Length`, as reqwest reads it (none for a compressed body, whose decoded size counts).
    let body = if response.content_length().is_some_and(|len| len > cap) {
        // Refused before reading: dropping the response closes the connection.
        Err(cap)
    } else {
        read_capped(&mut response, cap).await?
    };
    Ok(Answer {
        status: response.status(),
        headers: std::mem::take(response.headers_mut()),
        body,
    })
}

/// The body, or `Err(cap)` as soon as it streams past `cap` bytes. A body that arrives as one chunk
/// (the usual case) is kept without a copy.
async fn read_capped(response: &mut Response, cap: u64) -> reqwest::Result<Result<Bytes, u64>> {
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
