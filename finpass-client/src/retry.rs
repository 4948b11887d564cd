//! When to try a call again, decided per operation class (see [`RetryClass`]).
//!
//! A duplicate bureau pull costs money and leaves a second enquiry on someone's credit file, so
//! side-effecting operations are retried only when the request provably did not run. Billed lookups
//! follow the same rule unless the client says they are free ([`RetryConfig::retry_billed_as_read`]).

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::Transport;
use crate::operation::RetryClass;

mod after;
pub(crate) use after::RetryAfter;

/// Retry settings. The defaults: 2 retries, exponential backoff from 500 ms up to 8 s with full
/// jitter, `Retry-After` honoured up to 60 s, and billed lookups retried only when the request
/// provably did not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) jitter: bool,
    pub(crate) billed_as_read: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            billed_as_read: false,
        }
    }
}

impl RetryConfig {
    /// No retries at all: every call makes exactly one attempt.
    ///
    /// ```
    /// use finpass_client::RetryConfig;
    ///
    /// let once = RetryConfig::disabled();
    /// assert_eq!(once, RetryConfig::default().max_retries(0));
    /// ```
    pub fn disabled() -> Self {
        RetryConfig {
            max_retries: 0,
            ..Self::default()
        }
    }
    /// How many times a failed attempt may be repeated (attempts = retries + 1).
    ///
    /// ```
    /// use finpass_client::RetryConfig;
    ///
    /// assert_eq!(RetryConfig::default().max_retries(2), RetryConfig::default()); // the default
    /// let patient = RetryConfig::default().max_retries(5); // up to 6 attempts
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }
    /// First backoff delay; it doubles per retry up to [`RetryConfig::max_backoff`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::RetryConfig;
    ///
    /// let default = RetryConfig::default();
    /// assert_eq!(default.clone().initial_backoff(Duration::from_millis(500)), default);
    /// let eager = RetryConfig::default().initial_backoff(Duration::from_millis(100));
    /// ```
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }
    /// Largest backoff delay.
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::RetryConfig;
    ///
    /// let default = RetryConfig::default();
    /// assert_eq!(default.clone().max_backoff(Duration::from_secs(8)), default);
    /// let gentle = RetryConfig::default().max_retries(6).max_backoff(Duration::from_secs(30));
    /// ```
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }
    /// Longest `Retry-After` the client waits for; a longer one ends the call with
    /// [`ErrorKind::RateLimited`](crate::ErrorKind::RateLimited) carrying the delay.
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::RetryConfig;
    ///
    /// let default = RetryConfig::default();
    /// assert_eq!(default.clone().max_retry_after(Duration::from_secs(60)), default);
    /// // A batch job can afford to wait out a longer rate limit than an interactive request.
    /// let batch = RetryConfig::default().max_retry_after(Duration::from_secs(300));
    /// ```
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }
    /// Turns jitter off (exact delays; useful in tests).
    ///
    /// ```
    /// use finpass_client::RetryConfig;
    ///
    /// let exact = RetryConfig::default().without_jitter();
    /// assert_ne!(exact, RetryConfig::default());
    /// ```
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }
    /// Whether operations of class [`RetryClass::Billed`] (the corporate lookups) are retried like
    /// reads: also after a timeout, a dropped connection, 408 and 5xx gateway errors, when the server
    /// may have run (and charged) the call. Off by default: turn it on only if your contract with
    /// Finpass says these calls are free. Side-effecting calls (a bureau pull, which also leaves an
    /// enquiry on the person's credit file) are never affected.
    ///
    /// ```
    /// use finpass_client::RetryConfig;
    ///
    /// // Our contract with Finpass makes company lookups free: retry them like reads.
    /// let retry = RetryConfig::default().retry_billed_as_read(true);
    /// assert_ne!(retry, RetryConfig::default());
    /// ```
    pub fn retry_billed_as_read(mut self, on: bool) -> Self {
        self.billed_as_read = on;
        self
    }

    /// Whether the outcome may be retried for this class of operation under these settings.
    pub(crate) fn is_retryable(&self, class: RetryClass, outcome: Outcome) -> bool {
        let class = match class {
            RetryClass::Billed if self.billed_as_read => RetryClass::Read,
            class => class,
        };
        is_retryable(class, outcome)
    }
}

/// What one attempt ended in, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Any status; retry rules look at the code.
    Status(StatusCode),
    /// No response: the transport failed (see [`Transport`] for what each kind implies).
    Failed(Transport),
}

/// Whether the outcome may be retried for this class of operation. Only what provably did not run
/// (no connection, a 429) is repeated for every class; a read is also repeated when it may have run.
fn is_retryable(class: RetryClass, outcome: Outcome) -> bool {
    match (class, outcome) {
        (_, Outcome::Failed(Transport::Connect)) => true,
        (_, Outcome::Status(s)) if s == StatusCode::TOO_MANY_REQUESTS => true,
        (
            RetryClass::Read,
            Outcome::Failed(Transport::Timeout | Transport::DroppedBeforeResponse),
        ) => true,
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
        let asked = match headers.and_then(retry_after) {
            // Unknown length: longer than any cap (reported as `Duration::MAX`), never "no delay".
            Some(RetryAfter::Unreadable) => return Next::TooLongToWait(Duration::MAX),
            Some(RetryAfter::Delay(delay)) if delay > self.max_retry_after => {
                return Next::TooLongToWait(delay);
            }
            Some(RetryAfter::Delay(delay)) => Some(delay),
            None => None,
        };
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

/// The `Retry-After` header, if present (see [`RetryAfter`]).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<RetryAfter> {
    let value = headers.get(RETRY_AFTER)?;
    Some(after::parse(value.as_bytes(), SystemTime::now()))
}

/// The delay a `Retry-After` header asks for, as errors report it: [`Duration::MAX`] when the
/// header is present but unreadable (longer than any cap, never "no delay").
pub(crate) fn asked_delay(headers: &HeaderMap) -> Option<Duration> {
    retry_after(headers).map(|asked| match asked {
        RetryAfter::Delay(delay) => delay,
        RetryAfter::Unreadable => Duration::MAX,
    })
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
    fn side_effecting_and_billed_operations_retry_only_when_the_request_did_not_run() {
        let s = |c| Outcome::Status(StatusCode::from_u16(c).unwrap());
        let failed = Outcome::Failed;
        for (outcome, read, side) in [
            (failed(Transport::Connect), true, true),
            (s(429), true, true),
            (failed(Transport::Timeout), true, false),
            (failed(Transport::DroppedBeforeResponse), true, false),
            (s(503), true, false),
            (s(500), true, false),
            (s(408), true, false),
            (failed(Transport::Other), false, false),
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
            let (strict, free) = (
                RetryConfig::default(),
                RetryConfig::default().retry_billed_as_read(true),
            );
            assert_eq!(
                strict.is_retryable(RetryClass::Billed, outcome),
                side,
                "billed {outcome:?}"
            );
            assert_eq!(
                free.is_retryable(RetryClass::Billed, outcome),
                read,
                "billed as read {outcome:?}"
            );
            // The switch concerns billed lookups only.
            assert_eq!(
                free.is_retryable(RetryClass::SideEffecting, outcome),
                side,
                "side, switch on {outcome:?}"
            );
        }
    }

    #[test]
    fn retry_after_reads_the_header_and_reports_unreadable_values() {
        assert_eq!(
            retry_after(&headers("7")),
            Some(RetryAfter::Delay(Duration::from_secs(7)))
        );
        let soon = SystemTime::now() + Duration::from_secs(120);
        let Some(RetryAfter::Delay(parsed)) = retry_after(&headers(&httpdate::fmt_http_date(soon)))
        else {
            panic!("a date is a delay")
        };
        assert!(
            parsed > Duration::from_secs(100) && parsed <= Duration::from_secs(120),
            "{parsed:?}"
        );
        assert_eq!(retry_after(&headers("soon")), Some(RetryAfter::Unreadable));
        assert_eq!(retry_after(&HeaderMap::new()), None);
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
        // Unreadable is never "no delay": it ends the call like a delay over the cap, whatever the cap.
        for value in ["-1", "1.5", "garbage"] {
            let lenient = cfg.clone().max_retry_after(Duration::from_secs(86_400));
            assert_eq!(
                lenient.next(1, Some(&headers(value)), long),
                Next::TooLongToWait(Duration::MAX),
                "{value}"
            );
        }
    }
}
