//! How a `Finpass` method becomes a [`Call`]: the operation's endpoint is looked up, its request is
//! built (progenitor's builder, or the upload's), this client value's headers are added, and the
//! call's future runs the attempts (`crate::exchange`) and decodes the last answer once
//! (`crate::decode`).
//!
//! A generated operation keeps its converted input (a few small values), not its request: the first
//! request is built from a clone of the input and a retry builds its request again the same way, so
//! no call copies a whole request (URL, header map, body) in case a retry follows.

use std::future::Future;

use progenitor_client::{ClientInfo, Error as RawError};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Request, Url};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::Finpass;
use crate::call::Call;
use crate::decode::Envelope;
use crate::endpoint::Endpoint;
use crate::exchange::{Attempts, Exchange};
use crate::operation::{Operation, RetryClass};
use crate::{Error, ErrorKind};

/// How a generated operation builds its request: progenitor's builder, given progenitor's client, the
/// call's converted input and the operation's URL. A plain function: the input is all a call keeps.
pub(crate) type Build<I> = fn(&crate::generated::Client, &I, Url) -> Result<Request, RawError>;

/// An argument converted into what its setter takes; a failure keeps the reason, which names the
/// field when the input was a builder (`error converting supplied value for pan_number: …`).
pub(crate) fn converted<T, E: std::fmt::Display>(
    value: Result<T, E>,
    target: &str,
    field: &str,
) -> Result<T, String> {
    value.map_err(|e| format!("conversion to `{target}` for {field} failed: {e}"))
}

/// [`converted`], for a conversion whose error cannot be shown.
pub(crate) fn converted_opaque<T, E>(
    value: Result<T, E>,
    target: &str,
    field: &str,
) -> Result<T, String> {
    value.map_err(|_| format!("conversion to `{target}` for {field} failed"))
}

impl Finpass {
    /// The call of a generated operation: `input` is its converted arguments (`Err`: why one did
    /// not convert, and nothing is sent), `build` progenitor's request builder. The request is built
    /// now, so invalid input fails before anything is sent, and again from `input` for each retry.
    pub(crate) fn call<T, I>(
        &self,
        operation: &'static str,
        input: Result<I, String>,
        build: Build<I>,
    ) -> Call<T>
    where
        T: DeserializeOwned + Envelope + Send + 'static,
        I: Send + 'static,
    {
        let input = match input {
            Ok(input) => input,
            Err(message) => return failed(refused(operation, RawError::InvalidRequest(message))),
        };
        let again = move |finpass: &Finpass, url| {
            build(finpass.raw(), &input, url).map_err(|raw| refused(operation, raw))
        };
        match self.request(operation, |url| again(self, url)) {
            Ok((rules, request)) => self.start(operation, rules, request, Some(again)),
            Err(refused) => failed(refused),
        }
    }

    /// The call of an operation whose request `build` makes once, from the operation's URL: the
    /// upload, whose multipart body is a stream. It is attempted once.
    pub(crate) fn call_once<T>(
        &self,
        operation: &'static str,
        build: impl FnOnce(Url) -> Result<Request, Error>,
    ) -> Call<T>
    where
        T: DeserializeOwned + Envelope + Send + 'static,
    {
        match self.request(operation, build) {
            Ok((rules, request)) => self.start(operation, rules, request, None::<Again>),
            Err(refused) => failed(refused),
        }
    }

    /// The operation's rules and a request `build` makes for it, with this client value's headers:
    /// the first request, and each retry's.
    fn request(
        &self,
        operation: &'static str,
        build: impl FnOnce(Url) -> Result<Request, Error>,
    ) -> Result<(&'static Operation, Request), Error> {
        let endpoint = self.endpoint(operation)?;
        let mut request = build(endpoint.url.clone())?;
        self.add_headers(&mut request, endpoint.op);
        Ok((endpoint.op, request))
    }

    /// The request of a retry, built again like the first. `None`, logged, if it no longer builds:
    /// then the call ends with the answer it has (the same input and rules built the first, so only
    /// a bug gets here).
    fn retry_request(
        &self,
        operation: &'static str,
        again: &mut impl FnMut(&Finpass, Url) -> Result<Request, Error>,
    ) -> Option<Request> {
        match self.request(operation, |url| again(self, url)) {
            Ok((_, request)) => Some(request),
            Err(error) => {
                // The kind only: a refusal's message may quote the input.
                let kind = error.kind();
                tracing::warn!(
                    operation,
                    ?kind,
                    "a retry's request could not be built again"
                );
                None
            }
        }
    }

    /// The operation's endpoint: its rules and URL.
    fn endpoint(&self, operation: &'static str) -> Result<&Endpoint, Error> {
        self.parts
            .endpoints
            .find(operation)
            .ok_or_else(|| unknown(operation))
    }

    /// The client's headers (`crate::headers`), this client value's extra headers, then the headers
    /// the operation's page requires that the generated request cannot carry.
    fn add_headers(&self, request: &mut Request, rules: &Operation) {
        self.parts.headers.apply(request);
        let headers = request.headers_mut();
        let extra = &self.runtime().settings.headers;
        if !extra.is_empty() {
            // Each name replaces the request's (a `User-Agent` of the caller's own); a name added
            // twice keeps both values.
            headers.extend(HeaderMap::clone(extra));
        }
        // `x-finpass.required-headers`: BSA Statement Result's `Content-Type` on a GET, DECISIONS.md
        // BSA-7. The generator checked both parts; the fallible forms keep a panic out of the call.
        for &(name, value) in rules.required_headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.insert(name, value);
            }
        }
    }

    /// The call's future: the attempts, then one decode. `again` builds a retry's request; `None`:
    /// one attempt.
    fn start<T, A>(
        &self,
        operation: &'static str,
        rules: &'static Operation,
        first: Request,
        mut again: Option<A>,
    ) -> Call<T>
    where
        T: DeserializeOwned + Envelope + Send + 'static,
        A: FnMut(&Finpass, Url) -> Result<Request, Error> + Send + 'static,
    {
        // Handed to reqwest now (nothing is sent before the call is polled): the call keeps
        // reqwest's boxed request, not a second copy of it.
        let first = self.raw().client().execute(first);
        let finpass = self.clone();
        Call::new(async move {
            let runtime = finpass.runtime();
            let http = finpass.raw().client();
            let cap = runtime.max_response_bytes;
            // Borrowed where the call keeps it: the input is not copied again into this future.
            let finpass = &finpass;
            let mut again = again
                .as_mut()
                .map(|build| move || finpass.retry_request(operation, build));
            let exchange = finpass
                .exchange(
                    operation,
                    Some(rules.retry),
                    cap,
                    &|request| http.execute(request),
                    first,
                    again
                        .as_mut()
                        .map(|a| a as &mut (dyn FnMut() -> Option<Request> + Send)),
                )
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

    /// Runs the attempts of one call under this client value's settings, in the call's span:
    /// `first` (a request handed to reqwest), then, while a retry is allowed, what `again` builds,
    /// handed to reqwest by `send`.
    pub(crate) fn exchange<'a, S>(
        &'a self,
        operation: &'static str,
        class: Option<RetryClass>,
        cap: u64,
        send: &'a (dyn Fn(Request) -> S + Sync),
        first: S,
        again: Option<&'a mut (dyn FnMut() -> Option<Request> + Send)>,
    ) -> impl Future<Output = Exchange> + 'a
    where
        S: Future<Output = reqwest::Result<reqwest::Response>> + 'a,
    {
        let runtime = self.runtime();
        let rules = Attempts {
            send,
            settings: &runtime.settings,
            class,
            cap,
            sleep: &runtime.sleep,
        };
        let span = crate::exchange::live(tracing::debug_span!("finpass.call", operation));
        crate::exchange::run(rules, first, again).instrument(span)
    }
}

/// The `None` of [`Finpass::start`]'s `again` for a call attempted once.
type Again = fn(&Finpass, Url) -> Result<Request, Error>;

/// A call that fails before anything is sent.
fn failed<T: Send + 'static>(error: Error) -> Call<T> {
    Call::new(std::future::ready(Err(error)))
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
            finpass.call_once("no_such_operation", |_url| {
                built = true;
                Err(Error::new(ErrorKind::InvalidRequest, "not reached"))
            });
        let error = call.await.expect_err("no such operation");
        assert!(!built, "the request of an unknown operation was built");
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        assert!(error.to_string().contains("no such operation"), "{error}");
    }

    #[test]
    fn a_failed_conversion_names_the_field_and_keeps_the_reason_when_it_can() {
        let shown = converted::<u8, _>(Err("pan_number: not a PAN"), "Request", "body");
        assert_eq!(
            shown.unwrap_err(),
            "conversion to `Request` for body failed: pan_number: not a PAN"
        );
        let opaque = converted_opaque::<u8, _>(Err(()), "String", "client_id");
        assert_eq!(
            opaque.unwrap_err(),
            "conversion to `String` for client_id failed"
        );
    }
}
