//! The one classification of reqwest transport failures, for retries, downloads and the call path.

use super::ErrorKind;

/// What kind of transport failure a reqwest error is: the one classification used by retries,
/// downloads and the call path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    /// No connection was made: the request did not reach the server.
    Connect,
    /// The attempt ran out of time after the request may have been sent.
    Timeout,
    /// The connection was reset or closed before any response arrived (hyper's "incomplete
    /// message"): the request may have run, but nothing was answered.
    DroppedBeforeResponse,
    /// Anything else: TLS, a body broken after the response began, a redirect refused, …
    Other,
}

impl Transport {
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_connect() {
            return Transport::Connect;
        }
        if error.is_timeout() {
            return Transport::Timeout;
        }
        // Once the response head has arrived, a broken body is not a dropped connection.
        if error.is_body() || error.is_decode() || error.is_redirect() {
            return Transport::Other;
        }
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            if let Some(hyper) = cause.downcast_ref::<hyper::Error>()
                && hyper.is_incomplete_message()
            {
                return Transport::DroppedBeforeResponse;
            }
            if let Some(io) = cause.downcast_ref::<std::io::Error>()
                && matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::BrokenPipe
                        | std::io::ErrorKind::UnexpectedEof
                )
            {
                return Transport::DroppedBeforeResponse;
            }
            source = cause.source();
        }
        Transport::Other
    }

    /// The public kind and a short description, for the error the caller sees.
    pub(crate) fn kind_and_detail(self) -> (ErrorKind, &'static str) {
        match self {
            Transport::Connect => (ErrorKind::Connect, "could not connect"),
            Transport::Timeout => (ErrorKind::Timeout, "timed out"),
            Transport::DroppedBeforeResponse => (
                ErrorKind::Transport,
                "the connection closed before a response arrived",
            ),
            Transport::Other => (ErrorKind::Transport, "transport failure"),
        }
    }
}
