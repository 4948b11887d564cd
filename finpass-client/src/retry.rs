//! When to try a call again, decided per operation class (see [`RetryClass`]).
//!
//! A duplicate bureau pull costs money and leaves a second enquiry on someone's credit file, so
//! side-effecting operations are retried only when the request provably did not run.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::operation::RetryClass;

/// Retry settings. The defaults: 2 retries, exponential backoff from 500 ms up to 8 s with full
/// jitter, and `Retry-After` honoured up to 60 s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) jitter: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryConfig {
    /// No retries at all: every call makes exactly one attempt.
    pub fn disabled() -> Self {
        RetryConfig {
            max_retries: 0,
            ..Self::default()
        }
    }
    /// How many times a failed attempt may be repeated (attempts = retries + 1).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }
    /// First backoff delay; it doubles per retry up to [`RetryConfig::max_backoff`].
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }
    /// Largest backoff delay.
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }
    /// Longest `Retry-After` the client waits for; a longer one ends the call with
    /// [`ErrorKind::RateLimited`](crate::ErrorKind::RateLimited) carrying the delay.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }
    /// Turns jitter off (exact delays; useful in tests).
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }
}

/// What one attempt ended in, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Any status; retry rules look at the code.
    Status(StatusCode),
    /// The connection was never established: the request did not reach the server.
    Connect,
    /// The attempt timed out after the request may have been sent.
    Timeout,
    /// Another transport failure (reset, TLS, broken body): the request may have run.
    Transport,
}

impl Outcome {
    /// The outcome of an attempt that got no response.
    pub(crate) fn of_error(e: &reqwest::Error) -> Self {
        if e.is_connect() {
            Outcome::Connect
        } else if e.is_timeout() {
            Outcome::Timeout
        } else {
            Outcome::Transport
        }
    }
}

/// Whether the outcome may be retried for this class of operation.
pub(crate) fn is_retryable(class: RetryClass, outcome: Outcome) -> bool {
    match (class, outcome) {
        (_, Outcome::Connect) => true,
        (_, Outcome::Status(s)) if s == StatusCode::TOO_MANY_REQUESTS => true,
        (RetryClass::Read, Outcome::Timeout) => true,
        (RetryClass::Read, Outcome::Status(s)) => matches!(s.as_u16(), 408 | 500 | 502 | 503 | 504),
        _ => false,
    }
}

/// The next step after a retryable outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Wait this long, then try again.
    Retry(Duration),
    /// The server asked to wait longer than the cap: stop and report it.
    TooLongToWait(Duration),
    /// Out of retries or out of time.
    GiveUp,
}

impl RetryConfig {
    /// Decides what follows retryable attempt number `attempt` (1-based), given the time left.
    pub(crate) fn next(
        &self,
        attempt: u32,
        headers: Option<&HeaderMap>,
        remaining: Duration,
    ) -> Next {
        let asked = headers.and_then(retry_after);
        if let Some(delay) = asked
            && delay > self.max_retry_after
        {
            return Next::TooLongToWait(delay);
        }
        if attempt > self.max_retries {
            return Next::GiveUp;
        }
        let delay = asked.unwrap_or_else(|| self.backoff(attempt));
        if delay >= remaining {
            Next::GiveUp
        } else {
            Next::Retry(delay)
        }
    }

    /// Exponential backoff with full jitter: uniform in `[0, min(max, initial * 2^(attempt-1))]`.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1 << (attempt - 1).min(16));
        let ceiling = exp.min(self.max_backoff);
        if self.jitter {
            ceiling.mul_f64(fastrand::f64())
        } else {
            ceiling
        }
    }
}

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3). A date in the past means now.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn side_effecting_operations_retry_only_when_the_request_did_not_run() {
        let s = |c| Outcome::Status(StatusCode::from_u16(c).unwrap());
        for (outcome, read, side) in [
            (Outcome::Connect, true, true),
            (s(429), true, true),
            (Outcome::Timeout, true, false),
            (s(503), true, false),
            (s(500), true, false),
            (s(408), true, false),
            (Outcome::Transport, false, false),
            (s(400), false, false),
            (s(401), false, false),
            (s(422), false, false),
        ] {
            assert_eq!(
                is_retryable(RetryClass::Read, outcome),
                read,
                "read {outcome:?}"
            );
            assert_eq!(
                is_retryable(RetryClass::SideEffecting, outcome),
                side,
                "side {outcome:?}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        let soon = SystemTime::now() + Duration::from_secs(120);
        let parsed = retry_after(&headers(&httpdate::fmt_http_date(soon))).unwrap();
        assert!(
            parsed > Duration::from_secs(100) && parsed <= Duration::from_secs(120),
            "{parsed:?}"
        );
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon")), None);
    }

    #[test]
    fn next_step_respects_retries_cap_and_deadline() {
        let cfg = RetryConfig::default().without_jitter();
        let long = Duration::from_secs(600);
        assert_eq!(
            cfg.next(1, None, long),
            Next::Retry(Duration::from_millis(500))
        );
        assert_eq!(cfg.next(2, None, long), Next::Retry(Duration::from_secs(1)));
        assert_eq!(cfg.next(3, None, long), Next::GiveUp);
        assert_eq!(
            cfg.next(1, Some(&headers("2")), long),
            Next::Retry(Duration::from_secs(2))
        );
        assert_eq!(
            cfg.next(1, Some(&headers("61")), long),
            Next::TooLongToWait(Duration::from_secs(61))
        );
        assert_eq!(
            cfg.next(1, Some(&headers("2")), Duration::from_secs(1)),
            Next::GiveUp
        );
        assert_eq!(RetryConfig::disabled().next(1, None, long), Next::GiveUp);
    }
}
