//! [`Finpass`]: the client users hold, and the one call path every operation takes.
//!
//! One method per operation is generated onto it (`facade/generated.rs`, rendered from progenitor's
//! output): each builds its request with progenitor's request builder and hands it to
//! [`Finpass::call`], which returns the [`Call`]. Awaited, the call runs the attempts
//! (`crate::exchange`: retries, timeouts, the bounded read) and decodes the last answer once
//! (`crate::decode`) into the typed value or the crate's one [`Error`]. The upload, the report
//! download and the waiters (`crate::upload`, `crate::download`, `crate::wait`) return calls made
//! the same way.

use std::future::Future;
use std::sync::Arc;

use progenitor_client::{ClientInfo, Error as RawError};
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::call::Call;
use crate::decode::Envelope;
use crate::endpoint::Endpoints;
use crate::exchange::{Attempts, Exchange};
use crate::operation::RetryClass;
use crate::runtime::{CallSettings, Runtime, Timeouts};
use crate::{Error, ErrorKind, RetryConfig};

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
        runtime: Runtime,
    ) -> Result<Self, Error> {
        let endpoints = Endpoints::new(base_url)?;
        let raw = crate::generated::Client::new_with_client(base_url, http);
        Ok(Finpass::assemble(raw, endpoints, runtime))
    }

    fn assemble(raw: crate::generated::Client, endpoints: Endpoints, runtime: Runtime) -> Self {
        Finpass {
            parts: Arc::new(Parts {
                raw,
                endpoints,
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
        // The endpoints are shared: the base URL is the same, so nothing is parsed again.
        Finpass::assemble(raw, self.parts.endpoints.clone(), runtime)
    }

    /// progenitor's client, whose request builders the generated methods use.
    pub(crate) fn raw(&self) -> &crate::generated::Client {
        &self.parts.raw
    }

    pub(crate) fn runtime(&self) -> &Runtime {
        &self.parts.runtime
    }

    /// The call of a generated operation: `build` is progenitor's request builder, given the
    /// operation's URL (its only errors: input that breaks the spec's constraints, or a request
    /// reqwest cannot build).
    pub(crate) fn call<T>(
        &self,
        operation: &'static str,
        build: impl FnOnce(Url) -> Result<reqwest::Request, RawError>,
    ) -> Call<T>
    where
        T: DeserializeOwned + Envelope + Send + 'static,
    {
        self.call_request(operation, |url| {
            build(url).map_err(|raw| refused(operation, raw))
        })
    }

    /// The call of an operation whose request `build` makes from the operation's URL (progenitor's
    /// builder, or the handwritten upload's): this client value's extra headers are added, the
    /// attempts run, the answer is decoded once.
    pub(crate) fn call_request<T>(
        &self,
        operation: &'static str,
        build: impl FnOnce(Url) -> Result<reqwest::Request, Error>,
    ) -> Call<T>
    where
        T: DeserializeOwned + Envelope + Send + 'static,
    {
        let Some(endpoint) = self.parts.endpoints.find(operation) else {
            return Call::new(std::future::ready(Err(unknown(operation))));
        };
        let rules = endpoint.op;
        let mut request = match build(endpoint.url.clone()) {
            Ok(request) => request,
            Err(refused) => return Call::new(std::future::ready(Err(refused))),
        };
        let headers = request.headers_mut();
        for (name, value) in self.runtime().settings.headers.iter() {
            headers.append(name, value.clone());
        }
        // Headers the operation's page requires that the generated request cannot carry
        // (`x-finpass.required-headers`: BSA Statement Result's `Content-Type` on a GET, DECISIONS.md
        // BSA-7). The generator checked both parts; the fallible forms keep a panic out of the call.
        for &(name, value) in rules.required_headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.insert(name, value);
            }
        }
        // Held by the call, once, for all its attempts (`exchange::run` sends copies while it may
        // retry).
        let mut request = Some(request);
        let finpass = self.clone();
        Call::new(async move {
            let runtime = finpass.runtime();
            let http = finpass.raw().client();
            let cap = runtime.max_response_bytes;
            let exchange = finpass
                .exchange(operation, http, Some(rules.retry), cap, &mut request)
                .await;
            #[cfg(feature = "capture")]
            if let Some(capture) = &runtime.capture {
                let (status, body) = match &exchange.last {
                    Ok(answer) => (Some(answer.status), answer.body.as_deref().ok()),
                    Err(_) => (None, None),
                };
                capture.record(operation, status, body);
            }
            crate::decode::json(operation, rules.success, exchange)
        })
    }

    /// Runs the attempts of one call under this client value's settings, in the call's span.
    pub(crate) fn exchange<'a>(
        &'a self,
        operation: &'static str,
        http: &'a reqwest::Client,
        class: Option<RetryClass>,
        cap: u64,
        request: &'a mut Option<reqwest::Request>,
    ) -> impl Future<Output = Exchange> + 'a {
        let runtime = self.runtime();
        let rules = Attempts {
            http,
            settings: &runtime.settings,
            class,
            cap,
            sleep: &runtime.sleep,
        };
        let span = crate::exchange::live(tracing::debug_span!("finpass.call", operation));
        crate::exchange::run(rules, request).instrument(span)
    }
}

/// The error of a call to an operation the spec this client was generated from lacks: nothing was
/// sent. (Generated methods and the table come from the same spec, so only a generator bug gets here.)
fn unknown(operation: &'static str) -> Error {
    Error::new(
        ErrorKind::InvalidRequest,
        "the spec this client was generated from has no such operation, nothing was sent",
    )
    .in_operation(operation)
}

/// The error of a request progenitor's builder refused to build: nothing was sent.
fn refused(operation: &'static str, raw: RawError) -> Error {
    let error = match raw {
        RawError::InvalidRequest(message) => Error::new(
            ErrorKind::InvalidRequest,
            format!("invalid request, nothing was sent: {message}"),
        ),
        RawError::CommunicationError(source) => Error::new(
            ErrorKind::InvalidRequest,
            "the request could not be built, nothing was sent",
        )
        .with_source(source.without_url()),
        _ => Error::new(
            ErrorKind::InvalidRequest,
            "the request could not be built, nothing was sent",
        ),
    };
    error.in_operation(operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_operation_the_table_lacks_is_refused_before_its_request_is_built() {
        let finpass = Finpass::builder()
            .credentials("key", "secret")
            .base_url("http://127.0.0.1:9")
            .build()
            .expect("client");
        let mut built = false;
        let call: Call<crate::types::AaInitializeResponse> =
            finpass.call_request("no_such_operation", |_url| {
                built = true;
                Err(Error::new(ErrorKind::InvalidRequest, "not reached"))
            });
        let error = call.await.expect_err("no such operation");
        assert!(!built, "the request of an unknown operation was built");
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        assert!(error.to_string().contains("no such operation"), "{error}");
    }
}
