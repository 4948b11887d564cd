//! [`Response`]: a typed body with the HTTP metadata of the call that returned it, the output of
//! [`Call::with_response`](crate::Call::with_response).

use std::ops::Deref;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};

/// `x-request-id`, read from the headers when asked for (a constant: a string key is parsed on every
/// lookup).
pub(crate) const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The HTTP side of one successful call.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub attempts: u32,
    pub elapsed: Duration,
}

/// A typed response body together with the HTTP metadata of the call that returned it.
///
/// Dereferences to the body, so `response.data.client_id` reads as on the plain value.
///
/// ```no_run
/// use finpass_client::{Finpass, types};
///
/// # async fn run(finpass: Finpass) -> Result<(), finpass_client::Error> {
/// let journey = finpass
///     .aa_initialize(
///         types::AaInitializeRequest::builder()
///             .mobile_number("9999000000")
///             .consent_type("loan_underwriting"),
///     )
///     .with_response()
///     .await?;
/// println!(
///     "{} after {} attempt(s), request id {:?}: journey {}",
///     journey.status(),
///     journey.attempts(),
///     journey.request_id(),
///     journey.data.client_id,
/// );
/// # Ok(())
/// # }
/// ```
pub struct Response<T> {
    value: T,
    meta: Meta,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, meta: Meta) -> Self {
        Response { value, meta }
    }

    /// The HTTP status of the response (a 2xx the spec declares for the operation).
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6").with_response().await?;
    /// assert!(status.status().is_success());
    /// # Ok(())
    /// # }
    /// ```
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// The response headers.
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6").with_response().await?;
    /// let content_type = status.headers().get("content-type");
    /// # Ok(())
    /// # }
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The `x-request-id` response header, the id to quote to Finpass support. The Finpass docs do
    /// not document a request-id header; this is the one the client reads when a server sends it.
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6").with_response().await?;
    /// println!("request id {}", status.request_id().unwrap_or("none"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.meta.headers.get(X_REQUEST_ID)?.to_str().ok()
    }

    /// How many attempts the call made (1 when it succeeded at once; retries add to it).
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6").with_response().await?;
    /// if status.attempts() > 1 {
    ///     println!("succeeded after {} retries", status.attempts() - 1);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn attempts(&self) -> u32 {
        self.meta.attempts
    }

    /// Time from sending the first attempt to reading the last body, backoff included.
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6").with_response().await?;
    /// println!("polled in {} ms", status.elapsed().as_millis());
    /// # Ok(())
    /// # }
    /// ```
    pub fn elapsed(&self) -> Duration {
        self.meta.elapsed
    }

    /// The typed body, without the metadata.
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6").with_response().await?;
    /// let body: finpass_client::types::AaBsaStatusResponse = status.into_inner();
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> AsRef<T> for Response<T> {
    fn as_ref(&self) -> &T {
        &self.value
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    // Header names only: a value may be a cookie or a signed token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.meta.status)
            .field("request_id", &self.request_id())
            .field("attempts", &self.meta.attempts)
            .field("elapsed", &self.meta.elapsed)
            .field(
                "header_names",
                &self.meta.headers.keys().collect::<Vec<_>>(),
            )
            .field("value", &self.value)
            .finish()
    }
}
