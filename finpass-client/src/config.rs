//! Building a [`Finpass`] client: credentials, base URL, timeouts and retries, from explicit values or
//! the environment. Credentials are held as secrets and never appear in `Debug`, errors or logs.

use reqwest::header::HeaderMap;
use secrecy::SecretString;

use crate::runtime::{HttpSettings, Runtime, SleepFn, Timeouts};

// What `build` checks: credentials, header values, the base URL.
mod checks;
use crate::{Error, ErrorKind, Finpass, RetryConfig};
pub(crate) use checks::validate_base_url;
use checks::{EnvLookup, credential, sensitive};

impl Finpass {
    /// A builder; see [`ClientBuilder`].
    /// ```
    /// use finpass_client::{Finpass, RetryConfig};
    /// let builder = Finpass::builder().credentials("your-api-key", "your-api-secret");
    /// let finpass = builder.retry(RetryConfig::default().max_retries(3)).build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `FINPASS_API_KEY`, `FINPASS_API_SECRET` and (optionally)
    /// `FINPASS_BASE_URL`. A missing or empty variable is an error that names it.
    /// ```no_run
    /// let finpass = finpass_client::Finpass::from_env()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::new().from_env().build()
    }

    /// A client for production with explicit credentials.
    /// ```
    /// let finpass = finpass_client::Finpass::new("your-api-key", "your-api-secret")?;
    /// assert_eq!(finpass.base_url(), finpass_client::DEFAULT_BASE_URL);
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn new(api_key: impl Into<String>, api_secret: impl Into<String>) -> Result<Self, Error> {
        ClientBuilder::new()
            .credentials(api_key, api_secret)
            .build()
    }
}

/// Production base URL, the only environment the Finpass docs name.
pub const DEFAULT_BASE_URL: &str = "https://api.finpass.ai";
/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "FINPASS_API_KEY";
/// Environment variable holding the API secret.
pub const ENV_API_SECRET: &str = "FINPASS_API_SECRET";
/// Optional environment variable overriding the base URL.
pub const ENV_BASE_URL: &str = "FINPASS_BASE_URL";

/// Builder for [`Finpass`]. Explicitly set values win over the environment.
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<SecretString>,
    api_secret: Option<SecretString>,
    base_url: Option<String>,
    env: Option<EnvLookup>,
    retry: RetryConfig,
    timeouts: Timeouts,
    sleep: Option<SleepFn>,
    max_response_bytes: Option<u64>,
    max_download_bytes: Option<u64>,
    http_settings: Option<HttpSettings>,
    #[cfg(feature = "capture")]
    capture: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field(
                "api_secret",
                &self.api_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("base_url", &self.base_url)
            .field("from_env", &self.env.is_some())
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("http_settings", &self.http_settings.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// An empty builder: nothing is read from the environment unless [`ClientBuilder::from_env`] is called.
    /// ```
    /// let builder = finpass_client::ClientBuilder::new();
    /// let finpass = builder.credentials("your-api-key", "your-api-secret").build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Fills whatever is not set explicitly from `FINPASS_API_KEY`, `FINPASS_API_SECRET` and
    /// `FINPASS_BASE_URL`.
    /// ```no_run
    /// use finpass_client::{Finpass, Timeouts};
    /// let timeouts = Timeouts::default().deadline(std::time::Duration::from_secs(120));
    /// let finpass = Finpass::builder().from_env().timeouts(timeouts).build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn from_env(self) -> Self {
        self.from_env_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`] with a custom variable lookup (tests, secret stores).
    /// ```
    /// use finpass_client::{ENV_API_KEY, ENV_API_SECRET, Finpass};
    /// // E.g. values read from a secret store at start-up.
    /// let store = std::collections::HashMap::from([
    ///     (ENV_API_KEY, "your-api-key"),
    ///     (ENV_API_SECRET, "your-api-secret"),
    /// ]);
    /// let finpass = Finpass::builder()
    ///     .from_env_lookup(move |var| store.get(var).map(|value| value.to_string()))
    ///     .build()?;
    /// assert_eq!(finpass.base_url(), "https://api.finpass.ai");
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn from_env_lookup(mut self, lookup: impl Fn(&str) -> Option<String> + 'static) -> Self {
        self.env = Some(Box::new(lookup));
        self
    }

    /// The API key and secret issued by Finpass.
    /// ```
    /// let finpass = finpass_client::Finpass::builder()
    ///     .credentials("your-api-key", "your-api-secret")
    ///     .build()?;
    /// assert!(!format!("{finpass:?}").contains("your-api-secret"));
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn credentials(
        mut self,
        api_key: impl Into<String>,
        api_secret: impl Into<String>,
    ) -> Self {
        self.api_key = Some(SecretString::from(api_key.into()));
        self.api_secret = Some(SecretString::from(api_secret.into()));
        self
    }

    /// Base URL; `https://` is required except for loopback hosts (local mocks).
    /// ```
    /// use finpass_client::Finpass;
    /// let local = |url: &str| {
    ///     let builder = Finpass::builder().credentials("your-api-key", "your-api-secret");
    ///     builder.base_url(url).build()
    /// };
    /// assert_eq!(local("http://127.0.0.1:8080/")?.base_url(), "http://127.0.0.1:8080");
    /// assert!(local("http://api.finpass.ai").is_err(), "plain HTTP to a remote host");
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Retry behaviour for every call (see [`RetryConfig`]).
    /// ```
    /// use std::time::Duration;
    /// let retry = finpass_client::RetryConfig::default().max_backoff(Duration::from_secs(20));
    /// let finpass = finpass_client::Finpass::builder()
    ///     .credentials("your-api-key", "your-api-secret")
    ///     .retry(retry)
    ///     .build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Connect, attempt and whole-call timeouts (see [`Timeouts`]).
    /// ```
    /// use std::time::Duration;
    /// let timeouts = finpass_client::Timeouts::default().connect(Duration::from_secs(3));
    /// let finpass = finpass_client::Finpass::builder()
    ///     .credentials("your-api-key", "your-api-secret")
    ///     .timeouts(timeouts)
    ///     .build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Replaces the sleep used between retries and by waiters (tests observe delays with it).
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// // Records the backoff delays and returns at once: a test that never sleeps for real.
    /// let delays = Arc::new(Mutex::new(Vec::new()));
    /// let log = delays.clone();
    /// let finpass = finpass_client::Finpass::builder()
    ///     .credentials("your-api-key", "your-api-secret")
    ///     .sleep_fn(Arc::new(move |delay| {
    ///         log.lock().unwrap().push(delay);
    ///         Box::pin(async {})
    ///     }))
    ///     .build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn sleep_fn(mut self, sleep: SleepFn) -> Self {
        self.sleep = Some(sleep);
        self
    }

    /// The largest response body a call reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES), 64 MiB). A larger
    /// `Content-Length` fails before the body is read, a body that streams past it stops at the cap;
    /// both end in [`ErrorKind::ResponseTooLarge`] with the status kept.
    /// ```
    /// let finpass = finpass_client::Finpass::builder()
    ///     .credentials("your-api-key", "your-api-secret")
    ///     .max_response_bytes(16 << 20)
    ///     .build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// The largest report a [`Finpass::download_report`] reads, in bytes (default
    /// [`DEFAULT_MAX_DOWNLOAD_BYTES`](crate::DEFAULT_MAX_DOWNLOAD_BYTES), 256 MiB); past it the download
    /// ends in [`ErrorKind::ResponseTooLarge`].
    /// ```
    /// let finpass = finpass_client::Finpass::builder()
    ///     .credentials("your-api-key", "your-api-secret")
    ///     .max_download_bytes(32 << 20)
    ///     .build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn max_download_bytes(mut self, limit: u64) -> Self {
        self.max_download_bytes = Some(limit);
        self
    }

    /// Configures the HTTP client the API calls and the report downloads use: a proxy, extra root
    /// certificates, a client identity for mTLS, pool settings. The hook runs first; the client's
    /// own rules are applied after it and win: no redirects for API calls (they would hand the
    /// credentials to another host), HTTP/1.1 for API calls, every download hop checked,
    /// certificate and host name verification on, HTTPS only (except to a loopback base URL), the
    /// connect timeout of [`ClientBuilder::timeouts`], and on API calls the client's own headers
    /// (credentials, `User-Agent`, `Accept`, `Host`) over default headers the hook sets. The
    /// attempt timeout and the deadline are the client's own, applied to every call; a `timeout`
    /// set in the hook would only add a second limit, which reqwest counts from when a request is
    /// handed to it (for the first attempt, when the method is called; for a retry, after its
    /// wait). Headers a hook sets go to the download host too, so keep secrets out of them.
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use finpass_client::{Finpass, reqwest};
    ///
    /// # fn run(pem: &[u8]) -> Result<Finpass, Box<dyn std::error::Error>> {
    /// let corporate_ca = reqwest::Certificate::from_pem(pem)?;
    /// let proxy = reqwest::Proxy::https("http://proxy.internal:3128")?;
    /// let finpass = Finpass::builder()
    ///     .from_env()
    ///     .http_settings(Arc::new(move |http: reqwest::ClientBuilder| {
    ///         http.proxy(proxy.clone()).add_root_certificate(corporate_ca.clone())
    ///     }))
    ///     .build()?;
    /// # Ok(finpass)
    /// # }
    /// ```
    pub fn http_settings(mut self, settings: HttpSettings) -> Self {
        self.http_settings = Some(settings);
        self
    }

    /// Writes a redacted copy of every response into `dir`, for `finpass-spec drift --recorded DIR`.
    /// Off by default (feature `capture`). Values that could identify a person are not written (see
    /// [`capture::redact`](crate::capture::redact)).
    /// ```
    /// let finpass = finpass_client::Finpass::builder()
    ///     .credentials("your-api-key", "your-api-secret")
    ///     .capture_responses("target/captures")
    ///     .build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    #[cfg(feature = "capture")]
    pub fn capture_responses(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.capture = Some(dir.into());
        self
    }

    /// Builds the client, or names what is missing or wrong (never showing a credential).
    /// ```
    /// use finpass_client::{ErrorKind, Finpass};
    /// assert_eq!(Finpass::builder().build().unwrap_err().kind(), ErrorKind::Config);
    /// let finpass = Finpass::builder()
    ///     .credentials("your-api-key", "your-api-secret")
    ///     .build()?;
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn build(self) -> Result<Finpass, Error> {
        let api_key = credential(self.api_key, &self.env, ENV_API_KEY)?;
        let api_secret = credential(self.api_secret, &self.env, ENV_API_SECRET)?;
        let base_url = match (
            self.base_url,
            self.env.as_ref().and_then(|env| env(ENV_BASE_URL)),
        ) {
            (Some(url), _) => url,
            (None, Some(url)) if !url.trim().is_empty() => url,
            _ => DEFAULT_BASE_URL.to_owned(),
        };
        let base_url = validate_base_url(&base_url)?;

        let mut credentials = HeaderMap::new();
        credentials.insert("x-api-key", sensitive(&api_key, "API key")?);
        credentials.insert("x-api-secret", sensitive(&api_secret, "API secret")?);
        let hook = |builder| match &self.http_settings {
            Some(settings) => settings(builder),
            None => builder,
        };
        let loopback =
            reqwest::Url::parse(&base_url).is_ok_and(|url| crate::https::is_loopback(&url));
        let http = crate::https::verified(hook(reqwest::Client::builder()))
            // Each request carries the client's `Host` (`crate::headers`): over HTTP/2 it would go
            // beside `:authority`, which some servers refuse.
            .http1_only()
            .connect_timeout(self.timeouts.connect)
            // Following a redirect would hand x-api-key/x-api-secret to whatever host it names.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!loopback)
            .build()
            .map_err(|e| {
                Error::new(ErrorKind::Config, "could not build the HTTP client").with_source(e)
            })?;
        let download = crate::download::download_client(
            hook(reqwest::Client::builder()),
            &crate::download::DownloadSettings {
                connect_timeout: self.timeouts.connect,
                hosts: crate::https::Hosts::Public,
            },
        )?;
        let mut runtime = Runtime::new(self.retry, self.timeouts);
        if let Some(sleep) = self.sleep {
            runtime.sleep = sleep;
        }
        if let Some(limit) = self.max_response_bytes {
            runtime.max_response_bytes = limit;
        }
        if let Some(limit) = self.max_download_bytes {
            runtime.max_download_bytes = limit;
        }
        runtime.download = Some(download);
        runtime.http_settings = self.http_settings;
        #[cfg(feature = "capture")]
        {
            runtime.capture = self
                .capture
                .map(|dir| std::sync::Arc::new(crate::capture::Capture::new(dir)));
        }
        Finpass::from_parts(&base_url, http, credentials, runtime)
    }
}
