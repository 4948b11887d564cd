//! [`Finpass`]: the client users hold, and the one call path every operation takes.
//!
//! One method per operation is generated onto it (`facade/generated.rs`, rendered from progenitor's
//! output): each converts its arguments and hands them, with a function that builds the request from
//! them with progenitor's request builder, to `Finpass::call` (`calls.rs`), which returns the
//! [`Call`](crate::Call). Awaited, the call runs the attempts (`crate::exchange`: retries, timeouts,
//! the bounded read) and decodes the last answer once (`crate::decode`) into the typed value or the
//! crate's one [`Error`]. The upload, the report download and the waiters (`crate::upload`,
//! `crate::download`, `crate::wait`) return calls made the same way.

use std::sync::Arc;

use progenitor_client::ClientInfo;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::endpoint::Endpoints;
use crate::headers::RequestHeaders;
use crate::runtime::{CallSettings, Runtime, Timeouts};
use crate::{Error, ErrorKind, RetryConfig};

// The call path every method takes: `call`, `call_once`.
mod calls;
// The generated methods and envelope rules (`cargo xtask generate`).
mod generated;

/// A Finpass API client. Cheap to clone (one reference count); clones share the connection pool.
///
/// Build one with [`Finpass::builder`] or [`Finpass::from_env`]. `Debug` never shows credentials.
#[derive(Clone)]
pub struct Finpass {
    parts: Arc<Parts>,
}

struct Parts {
    /// progenitor's client: the base URL and the HTTP client the request builders use.
    raw: crate::generated::Client,
    /// Every operation's URL, parsed once.
    endpoints: Endpoints,
    /// The headers every request starts from: the credentials among them.
    headers: Arc<RequestHeaders>,
    runtime: Runtime,
}

impl std::fmt::Debug for Finpass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finpass")
            .field("base_url", &self.parts.raw.baseurl())
            .field("runtime", &self.parts.runtime)
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

impl Finpass {
    /// A client of the API at `base_url` (validated), sending with `http`.
    pub(crate) fn from_parts(
        base_url: &str,
        http: reqwest::Client,
        credentials: HeaderMap,
        runtime: Runtime,
    ) -> Result<Self, Error> {
        let endpoints = Endpoints::new(base_url)?;
        let headers = Arc::new(RequestHeaders::new(credentials, base_url)?);
        let raw = crate::generated::Client::new_with_client(base_url, http);
        Ok(Finpass::assemble(raw, endpoints, headers, runtime))
    }

    fn assemble(
        raw: crate::generated::Client,
        endpoints: Endpoints,
        headers: Arc<RequestHeaders>,
        runtime: Runtime,
    ) -> Self {
        Finpass {
            parts: Arc::new(Parts {
                raw,
                endpoints,
                headers,
                runtime,
            }),
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
        self.parts.raw.baseurl()
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
        self.with_settings(|settings| settings.retry = retry)
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
        self.with_settings(|settings| settings.set_timeouts(timeouts))
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
    /// value. A header the client sends by default, `user-agent` or `accept`, is replaced by yours;
    /// a name added twice sends both values. Report downloads never carry these headers.
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
        Ok(self.with_settings(|settings| {
            let mut headers = HeaderMap::clone(&settings.headers);
            headers.append(name, value);
            settings.headers = Arc::new(headers);
        }))
    }

    /// A client value sharing this one's connections whose calls obey changed [`CallSettings`].
    pub(crate) fn with_settings(&self, change: impl FnOnce(&mut CallSettings)) -> Self {
        let mut runtime = self.parts.runtime.clone();
        change(&mut runtime.settings);
        let raw = &self.parts.raw;
        let raw = crate::generated::Client::new_with_client(raw.baseurl(), raw.client().clone());
        // The endpoints and headers are shared: the base URL and credentials are the same.
        let parts = &self.parts;
        Finpass::assemble(raw, parts.endpoints.clone(), parts.headers.clone(), runtime)
    }

    /// progenitor's client, whose request builders the generated methods use.
    pub(crate) fn raw(&self) -> &crate::generated::Client {
        &self.parts.raw
    }

    pub(crate) fn runtime(&self) -> &Runtime {
        &self.parts.runtime
    }
}
