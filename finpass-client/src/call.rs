//! [`Call`]: what every [`Finpass`](crate::Finpass) method returns. `.await` it for the typed value,
//! or call [`Call::with_response`] first for the value together with the call's HTTP metadata.
//!
//! The metadata travels in the call's own output (the future resolves to a [`Response`]), so there is
//! nothing to look up afterwards, and asking for it on any other future does not compile.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::Error;
use crate::response::Response;

type Boxed<T> = Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send>>;

/// One Finpass call: a future of the typed body (`.await` gives `Result<T, Error>`), or, through
/// [`Call::with_response`], of the body with its HTTP metadata.
///
/// The request is built (and its input validated) when the method is called; nothing is sent until
/// the call is awaited or polled. A call owns what it needs: it is `Send + 'static`, so it can be
/// spawned, joined or stored like any future.
///
/// ```no_run
/// use finpass_client::{Call, types};
///
/// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
/// // Two status polls at once, each on its own task.
/// let first: Call<types::AaBsaStatusResponse> = finpass.aa_bsa_status("bsa_clnt_a1b2c3d4e5f6");
/// let second = tokio::spawn(finpass.aa_bsa_status("bsa_clnt_f6e5d4c3b2a1"));
/// let (first, second) = (first.await?, second.await.expect("not cancelled")?);
/// println!("{:?} and {:?}", first.data.status, second.data.status);
/// # Ok(())
/// # }
/// ```
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<T> {
    future: Boxed<T>,
}

impl<T> Call<T> {
    /// A call whose outcome `future` computes. One allocation, so that the call has one nameable
    /// type whatever runs it (an operation, the upload, a download, a waiter).
    pub(crate) fn new(
        future: impl Future<Output = Result<Response<T>, Error>> + Send + 'static,
    ) -> Self {
        Call {
            future: Box::pin(future),
        }
    }

    /// Resolves to the typed body together with the call's [`Response`] metadata: status, headers,
    /// request id, attempts and elapsed time. A failure is the same [`Error`] a plain `.await` gives
    /// (it carries the same information). For a waiter (`wait_for_*`) the metadata is that of its
    /// last poll.
    ///
    /// ```no_run
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let status = finpass
    ///     .aa_bsa_status("aa_bsa_123")
    ///     .with_response()
    ///     .await?;
    /// tracing::info!(request_id = status.request_id(), attempts = status.attempts(), "polled");
    /// println!("journey status: {:?}", status.data.status);
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_response(self) -> ResponseFuture<T> {
        ResponseFuture {
            future: self.future,
        }
    }
}

impl<T> Future for Call<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.future
            .as_mut()
            .poll(cx)
            .map(|result| result.map(Response::into_inner))
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

/// The future [`Call::with_response`] returns: the typed body with its HTTP metadata.
#[must_use = "a call sends nothing until it is awaited"]
pub struct ResponseFuture<T> {
    future: Boxed<T>,
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<Response<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.future.as_mut().poll(cx)
    }
}

impl<T> std::fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
