//! Metadata of a successful call: [`Response`], reached with [`WithResponse::with_response`].
//!
//! Every call already records its status, headers, request id and attempts (`crate::hooks`); this
//! hands them to a caller who asks. `with_response()` wraps any call's future, so the methods keep
//! returning the plain typed value and existing call sites keep compiling, in the way
//! `tracing::Instrument` wraps a future with a span.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::task::futures::TaskLocalFuture;

use crate::{Error, ErrorKind};

/// The HTTP side of one successful call, as recorded by the client.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub request_id: Option<String>,
    pub attempts: u32,
    pub elapsed: Duration,
}

type Slot = Arc<Mutex<Option<Meta>>>;

tokio::task_local! {
    static WANTED: Slot;
}

/// Hands the metadata of a successful call to an enclosing [`WithResponse::with_response`], if any.
/// Without one this is a failed task-local lookup and nothing else.
pub(crate) fn deliver(meta: impl FnOnce() -> Meta) {
    let _ = WANTED.try_with(|slot| {
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(meta());
    });
}

/// A typed response body together with the HTTP metadata of the call that returned it.
///
/// Dereferences to the body, so `response.data.client_id` reads as on the plain value.
///
/// ```no_run
/// use finpass_client::{Finpass, WithResponse, types};
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
    /// The HTTP status of the response (a 2xx the spec declares for the operation).
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// use finpass_client::WithResponse;
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
    /// use finpass_client::WithResponse;
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
    /// use finpass_client::WithResponse;
    /// let status = finpass.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6").with_response().await?;
    /// println!("request id {}", status.request_id().unwrap_or("none"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id.as_deref()
    }

    /// How many attempts the call made (1 when it succeeded at once; retries add to it).
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// use finpass_client::WithResponse;
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
    /// use finpass_client::WithResponse;
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
    /// use finpass_client::WithResponse;
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
            .field("request_id", &self.meta.request_id)
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

/// Adds [`with_response`](WithResponse::with_response) to the future of every [`Finpass`] call.
///
/// Import it (`use finpass_client::WithResponse;`) to get the status, headers, request id, attempts
/// and elapsed time of a successful call next to its typed body. Failed calls carry the same
/// information in [`Error`]. For a waiter (`wait_for_*`) the metadata is that of its last poll.
///
/// [`Finpass`]: crate::Finpass
pub trait WithResponse<T>: Future<Output = Result<T, Error>> + Sized {
    /// Resolves to the typed body together with the call's [`Response`] metadata.
    ///
    /// Wrapping a future that makes no Finpass call fails with [`ErrorKind::InvalidRequest`].
    ///
    /// ```no_run
    /// use finpass_client::{Finpass, WithResponse};
    ///
    /// # async fn run(finpass: Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass
    ///     .aa_bsa_status("aa_bsa_123")
    ///     .with_response()
    ///     .await?;
    /// tracing::info!(request_id = status.request_id(), attempts = status.attempts(), "polled");
    /// # Ok(())
    /// # }
    /// ```
    fn with_response(self) -> ResponseFuture<Self> {
        let slot = Slot::default();
        ResponseFuture {
            inner: Box::pin(WANTED.scope(slot.clone(), self)),
            slot,
        }
    }
}

impl<F, T> WithResponse<T> for F where F: Future<Output = Result<T, Error>> {}

/// The future [`WithResponse::with_response`] returns.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<F> {
    // Boxed so that no pin projection is needed; one allocation, only when metadata is asked for.
    inner: Pin<Box<TaskLocalFuture<Slot, F>>>,
    slot: Slot,
}

impl<F> std::fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<F, T> Future for ResponseFuture<F>
where
    F: Future<Output = Result<T, Error>>,
{
    type Output = Result<Response<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let value = match self.inner.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result?,
        };
        let meta = self
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Poll::Ready(match meta {
            Some(meta) => Ok(Response { value, meta }),
            None => Err(Error::new(
                ErrorKind::InvalidRequest,
                "with_response() wraps a future that made no Finpass call; there is no metadata",
            )),
        })
    }
}
