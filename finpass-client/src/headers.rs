//! The headers of every API request, made once per client: the credentials, `User-Agent`, `Accept`
//! and `Host`, and a place for `Content-Type` and `Content-Length`.
//!
//! A request's headers start as a copy of these, so for a generated operation the map reqwest
//! and hyper take to the wire already holds every header it sends and does not grow on the way
//! (headers added after the copy, per call or by the hook, still grow it: a cost, not an error).
//! Grown there, it cost two reallocations a call, past glibc's per-thread cache: reqwest hands
//! hyper a copy with room for exactly the request's entries (`HeaderMap::clone`), then hyper-util
//! added `Host` and hyper `Content-Length`
//! ([BENCHMARKS.md](https://github.com/finpass-rs/finpass-rs/blob/main/BENCHMARKS.md), "Headers
//! made once"). `Host` is therefore set here, which is why API calls speak HTTP/1.1 only
//! (`ClientBuilder::build`): over HTTP/2 a `Host` beside `:authority` is refused by some servers.

use reqwest::header::{
    ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderValue, USER_AGENT,
};
use reqwest::{Request, Url};

use crate::{Error, ErrorKind};

/// The client's headers, ready to copy into each request.
pub(crate) struct RequestHeaders {
    /// For a request whose body is in memory (every generated operation with a body): its own
    /// `Content-Type` and its body's length fill the places.
    with_body: HeaderMap,
    /// For a request without a body, or with a streamed one (the upload), whose framing reqwest and
    /// hyper decide.
    without_body: HeaderMap,
}

impl RequestHeaders {
    /// The headers of a client with `credentials` (header name and value, marked sensitive) calling
    /// the API at `base`, a validated base URL.
    pub(crate) fn new(credentials: HeaderMap, base: &str) -> Result<Self, Error> {
        let mut without_body = credentials;
        without_body.insert(
            USER_AGENT,
            HeaderValue::from_static(crate::runtime::USER_AGENT),
        );
        without_body.insert(ACCEPT, HeaderValue::from_static("application/json"));
        without_body.insert(HOST, host(base)?);
        let mut with_body = without_body.clone();
        // Places: the request's own `Content-Type` and its body's length replace them.
        with_body.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        with_body.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        Ok(RequestHeaders {
            with_body,
            without_body,
        })
    }

    /// Gives `request` a copy of the client's headers; the request's own headers (the builder's
    /// `Accept` and `Content-Type`) replace the client's of the same name.
    pub(crate) fn apply(&self, request: &mut Request) {
        let length = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .map(<[u8]>::len);
        let own = std::mem::take(request.headers_mut());
        let brings_content_type = own.contains_key(CONTENT_TYPE);
        let mut headers = match length {
            Some(_) => self.with_body.clone(),
            None => self.without_body.clone(),
        };
        headers.extend(own);
        if let Some(length) = length {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
            if !brings_content_type {
                headers.remove(CONTENT_TYPE);
            }
        }
        *request.headers_mut() = headers;
    }
}

/// `Host` as hyper-util would write it for `base`: the host, and the port unless it is the scheme's.
fn host(base: &str) -> Result<HeaderValue, Error> {
    let url = Url::parse(base).ok();
    let host = url.as_ref().and_then(|url| {
        let name = url.host_str()?;
        Some(match url.port() {
            Some(port) => format!("{name}:{port}"),
            None => name.to_owned(),
        })
    });
    host.and_then(|host| HeaderValue::from_str(&host).ok())
        .ok_or_else(|| Error::new(ErrorKind::Config, "base URL: it names no host"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_keeps_a_port_only_when_it_is_not_the_schemes() {
        for (base, expected) in [
            ("https://api.finpass.ai", "api.finpass.ai"),
            ("https://api.finpass.ai:443", "api.finpass.ai"),
            ("https://api.finpass.ai:8443/prefix", "api.finpass.ai:8443"),
            ("http://127.0.0.1:4017", "127.0.0.1:4017"),
            ("http://[::1]:4017", "[::1]:4017"),
            ("http://localhost", "localhost"),
        ] {
            assert_eq!(host(base).expect(base), expected, "{base}");
        }
        assert_eq!(
            host("data:text/plain,x").unwrap_err().kind(),
            ErrorKind::Config
        );
    }

    fn request(method: reqwest::Method, body: Option<&'static str>) -> Request {
        let client = reqwest::Client::new();
        let mut builder = client
            .request(method, "http://127.0.0.1:4017/x")
            .header(ACCEPT, "application/json");
        if let Some(body) = body {
            builder = builder.header(CONTENT_TYPE, "text/plain").body(body);
        }
        builder.build().expect("request")
    }

    fn client_headers() -> RequestHeaders {
        let mut credentials = HeaderMap::new();
        credentials.insert("x-api-key", HeaderValue::from_static("key"));
        credentials.insert("x-api-secret", HeaderValue::from_static("secret"));
        RequestHeaders::new(credentials, "http://127.0.0.1:4017").expect("headers")
    }

    #[test]
    fn a_body_in_memory_gets_its_length_and_keeps_its_own_content_type() {
        let mut post = request(reqwest::Method::POST, Some("12345"));
        client_headers().apply(&mut post);
        let headers = post.headers();
        assert_eq!(headers[CONTENT_LENGTH], "5");
        assert_eq!(headers.get_all(CONTENT_TYPE).iter().count(), 1);
        assert_eq!(headers[CONTENT_TYPE], "text/plain");
        assert_eq!(headers[HOST], "127.0.0.1:4017");
        assert_eq!(headers["x-api-key"], "key");
        assert_eq!(headers.len(), 7, "{headers:?}");
    }

    #[test]
    fn a_request_without_a_body_gets_no_framing_headers() {
        let mut get = request(reqwest::Method::GET, None);
        client_headers().apply(&mut get);
        let headers = get.headers();
        assert!(!headers.contains_key(CONTENT_LENGTH), "{headers:?}");
        assert!(!headers.contains_key(CONTENT_TYPE), "{headers:?}");
        assert_eq!(headers.get_all(ACCEPT).iter().count(), 1);
        assert_eq!(headers.len(), 5, "{headers:?}");
    }

    #[test]
    fn a_body_without_a_content_type_gets_none() {
        let client = reqwest::Client::new();
        let mut post = client
            .post("http://127.0.0.1:4017/x")
            .body("{}")
            .build()
            .expect("request");
        client_headers().apply(&mut post);
        assert!(!post.headers().contains_key(CONTENT_TYPE));
        assert_eq!(post.headers()[CONTENT_LENGTH], "2");
    }
}
