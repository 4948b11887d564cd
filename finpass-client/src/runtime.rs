//! [`Runtime`]: what every call consults besides the HTTP client — the per-call settings
//! ([`CallSettings`]: retries, attempt timeout, deadline, extra headers), the response size caps, the
//! sleep used for backoff — and the `User-Agent` API calls and report downloads send. A leaf: it
//! imports no generated code and nothing that sends.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::retry::RetryConfig;

/// Default cap on one API response body: the largest documented payloads (AA-BSA statements of a
/// year of transactions, ~11 MB) with ample headroom. A body past the cap is never held in memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// Default cap on one report download (`Finpass::download_report`): statement PDFs of many accounts
/// over long periods, with headroom.
pub const DEFAULT_MAX_DOWNLOAD_BYTES: u64 = 256 * 1024 * 1024;
/// What a `Finpass` sends as `User-Agent`: on API calls (`crate::headers`) and report downloads.
pub(crate) const USER_AGENT: &str = concat!("finpass-rust/", env!("CARGO_PKG_VERSION"));

/// Sleeps for a duration. Replaceable so that tests can observe backoff without waiting for it.
pub type SleepFn = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// A hook that configures the underlying [`reqwest::ClientBuilder`]: proxy, root certificates,
/// client identity (mTLS), pool sizes. See
/// [`ClientBuilder::http_settings`](crate::ClientBuilder::http_settings).
pub type HttpSettings = Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

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
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::Timeouts;
    ///
    /// assert_eq!(Timeouts::default().connect(Duration::from_secs(10)), Timeouts::default());
    /// let fail_fast = Timeouts::default().connect(Duration::from_secs(2));
    /// ```
    pub fn connect(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }
    /// Time allowed for one attempt, from sending the request to the last byte of the body.
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::Timeouts;
    ///
    /// assert_eq!(Timeouts::default().attempt(Duration::from_secs(30)), Timeouts::default());
    /// // Large statements: more time per attempt, and for the whole call.
    /// let large = Timeouts::default()
    ///     .attempt(Duration::from_secs(120))
    ///     .deadline(Duration::from_secs(300));
    /// ```
    pub fn attempt(mut self, timeout: Duration) -> Self {
        self.attempt = timeout;
        self
    }
    /// Time allowed for the whole call, attempts and backoff together.
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::Timeouts;
    ///
    /// assert_eq!(Timeouts::default().deadline(Duration::from_secs(90)), Timeouts::default());
    /// let interactive = Timeouts::default().deadline(Duration::from_secs(15));
    /// ```
    pub fn deadline(mut self, timeout: Duration) -> Self {
        self.deadline = timeout;
        self
    }
}

/// What each call of one client value obeys, each setting held once and read only from here: the
/// retry policy, the attempt timeout, the call's deadline, the extra headers. [`ClientBuilder`] sets
/// them; `Finpass::with_retry`, `with_timeouts` and `with_header` return a client value with one of
/// them changed, which then holds for that value's calls whichever way it changed (shorter or
/// longer, on or off). The connect timeout is not here: it belongs to the connection pool.
///
/// [`ClientBuilder`]: crate::ClientBuilder
#[derive(Clone)]
pub(crate) struct CallSettings {
    pub(crate) retry: RetryConfig,
    /// Time allowed for one attempt, from sending to the last byte of the body.
    pub(crate) attempt_timeout: Duration,
    /// Time allowed for the whole call, attempts and backoff together.
    pub(crate) deadline: Duration,
    /// Headers added to every request of this client value (`Finpass::with_header`); never to
    /// report downloads.
    pub(crate) headers: Arc<HeaderMap>,
}

impl CallSettings {
    /// Takes the attempt timeout and the deadline of `timeouts` (not its connect timeout).
    pub(crate) fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.attempt_timeout = timeouts.attempt;
        self.deadline = timeouts.deadline;
    }
}

impl std::fmt::Debug for CallSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallSettings")
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("deadline", &self.deadline)
            // Names only: a per-call header may carry a token.
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Everything a client's calls consult besides the HTTP client that sends them.
#[derive(Clone)]
pub(crate) struct Runtime {
    pub(crate) settings: CallSettings,
    /// The connect timeout the HTTP clients were built with, for a download client built per call.
    pub(crate) connect_timeout: Duration,
    pub(crate) sleep: SleepFn,
    /// Largest response body read, in bytes.
    pub(crate) max_response_bytes: u64,
    /// Largest report download read, in bytes.
    pub(crate) max_download_bytes: u64,
    /// The report-download client, built with the API client's settings but no credentials.
    pub(crate) download: Option<reqwest::Client>,
    /// The caller's HTTP settings hook, for a download client built per call (loopback opt-in).
    pub(crate) http_settings: Option<HttpSettings>,
    #[cfg(feature = "capture")]
    pub(crate) capture: Option<Arc<crate::capture::Capture>>,
}

impl Runtime {
    pub(crate) fn new(retry: RetryConfig, timeouts: Timeouts) -> Self {
        Runtime {
            settings: CallSettings {
                retry,
                attempt_timeout: timeouts.attempt,
                deadline: timeouts.deadline,
                headers: Arc::default(),
            },
            connect_timeout: timeouts.connect,
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_download_bytes: DEFAULT_MAX_DOWNLOAD_BYTES,
            download: None,
            http_settings: None,
            #[cfg(feature = "capture")]
            capture: None,
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("settings", &self.settings)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_download_bytes", &self.max_download_bytes)
            .finish_non_exhaustive()
    }
}
