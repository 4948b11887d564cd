//! Downloading the pre-signed report links that Fetch PDF Report returns. The links point at another
//! host (object storage), so the download uses a separate HTTP client that has no Finpass credentials:
//! the API key and secret can never reach that host, whatever the link says.

use std::sync::OnceLock;

use bytes::Bytes;
use progenitor_client::ClientInfo;

use crate::{Error, ErrorKind, Finpass};

const OPERATION: &str = "download_report";

/// One pool for all report downloads: no default headers, so no credentials; a few redirects are
/// fine here because there is nothing secret to forward.
fn download_client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .user_agent(concat!("finpass-rust/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .expect("a client without custom TLS settings always builds")
    })
}

fn failed(kind: ErrorKind, detail: impl Into<String>) -> Error {
    let mut e = Error::new(kind, detail);
    e.operation = Some(OPERATION);
    e
}

impl Finpass {
    /// Downloads a report from a pre-signed link, e.g. `statement_report_link` of
    /// [`Finpass::aa_fetch_statement_pdf`]. The request carries **no** Finpass credentials. The link
    /// must be HTTPS (plain HTTP only to loopback). Links expire: on `403`, fetch the report list again.
    pub async fn download_report(&self, link: &str) -> Result<Bytes, Error> {
        let url = check_link(link)?;
        let timeout = self.raw().inner().timeouts.attempt;
        let response = download_client()
            .get(url)
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| transport(e.without_url()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport(e.without_url()))?;
        if !status.is_success() {
            let mut e = failed(
                ErrorKind::Api,
                "the report link was refused (it may have expired)",
            );
            e.status = Some(status);
            e.attempts = 1;
            e.body = Some(body);
            return Err(e);
        }
        Ok(body)
    }
}

/// HTTPS, or plain HTTP to a loopback host (local mocks); never user information in the URL.
fn check_link(link: &str) -> Result<reqwest::Url, Error> {
    let url = reqwest::Url::parse(link.trim()).map_err(|e| {
        failed(
            ErrorKind::InvalidRequest,
            format!("report link is not a valid URL ({e})"),
        )
    })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(failed(
            ErrorKind::InvalidRequest,
            "HTTPS is required for report links",
        )),
    }
}

fn transport(source: reqwest::Error) -> Error {
    let kind = if source.is_connect() {
        ErrorKind::Connect
    } else if source.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    let mut e = failed(kind, "the report download failed").with_source(source);
    e.attempts = 1;
    e
}
