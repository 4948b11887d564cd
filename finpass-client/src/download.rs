//! Downloading the pre-signed report links that Fetch PDF Report returns. The links point at another
//! host (object storage), so the download uses a separate HTTP client that has no Finpass credentials:
//! the API key and secret can never reach that host, whatever the link says.
//!
//! The link and every redirect hop pass the one URL rule ([`crate::https`]): HTTPS, no user
//! information, and only public addresses, checked on the URL and again on what its name resolves
//! to, so neither the link nor a redirect can reach into the caller's own network. At most
//! [`MAX_REDIRECTS`] hops are followed, and no `Referer` is sent (it would carry the signed query).
//!
//! A download is a call like any other once its request is built: the same attempt runner (one
//! attempt, the client's attempt timeout and deadline, the download size cap), the same [`Call`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::decode::Seen;
use crate::exchange::{Exchange, Failure};
use crate::https::{self, Hosts, Refusal};
use crate::response::{Meta, Response};
use crate::runtime::USER_AGENT;
use crate::{Call, Error, ErrorKind, Finpass};

const OPERATION: &str = "download_report";
/// Redirect hops followed before giving up (object stores use one at most).
const MAX_REDIRECTS: usize = 3;

/// What the download client is built from: the API client's settings that apply to another host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DownloadSettings {
    /// The API client's connect timeout.
    pub connect_timeout: Duration,
    /// Which hosts a link and its redirects may name: [`Hosts::Public`], except in tests that opt in.
    pub hosts: Hosts,
}

/// The client for report downloads: no credentials among its default headers, no `Referer`, each
/// redirect hop checked, names resolved to public addresses only. A build failure is an error.
pub(crate) fn download_client(
    builder: reqwest::ClientBuilder,
    settings: &DownloadSettings,
) -> Result<reqwest::Client, Error> {
    let hosts = settings.hosts;
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(TooManyRedirects);
        }
        match https::check(attempt.url(), hosts) {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(refusal),
        }
    });
    let mut builder = https::verified(builder)
        .user_agent(USER_AGENT)
        .connect_timeout(settings.connect_timeout)
        .referer(false)
        .https_only(hosts == Hosts::Public)
        .redirect(policy);
    if hosts != Hosts::Any {
        builder = builder.dns_resolver(Arc::new(CheckedResolver { hosts }));
    }
    builder.build().map_err(|e| {
        failed(
            ErrorKind::Config,
            "could not build the report download client",
        )
        .with_source(e)
    })
}

#[derive(Debug)]
struct TooManyRedirects;

impl std::fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {MAX_REDIRECTS} redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// Resolves with the system resolver and keeps only the addresses the rule allows, so a public-looking
/// name that points into the private network is refused before a connection is made.
struct CheckedResolver {
    hosts: Hosts,
}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let hosts = self.hosts;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| https::address_allowed(addr.ip(), hosts))
                .collect();
            if found.is_empty() {
                return Err(Box::new(Refusal::NotPublic(host)) as Box<_>);
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

fn failed(kind: ErrorKind, detail: impl Into<String>) -> Error {
    let mut e = Error::new(kind, detail);
    e.operation = Some(OPERATION);
    e
}

impl Finpass {
    /// Downloads a report from a pre-signed link, e.g. `statement_report_link` of
    /// [`Finpass::aa_fetch_statement_pdf`]. The request carries **no** Finpass credentials. The link
    /// and every redirect must be HTTPS to a public host. Links expire: on `403`, fetch the report
    /// list again.
    ///
    /// ```no_run
    /// use finpass_client::types::AaFetchStatementPdfRequest;
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let request = AaFetchStatementPdfRequest::builder()
    ///     .client_id("aa_6989cbcf_a136a40db8abb6b691067");
    /// let pdfs = finpass.aa_fetch_statement_pdf(request).await?;
    /// for report in &pdfs.data.reports {
    ///     if let Some(link) = &report.statement_report_link {
    ///         let pdf = finpass.download_report(link).await?;
    ///         println!("{}: {} bytes", report.fip_id, pdf.len());
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn download_report(&self, link: &str) -> Call<Bytes> {
        self.download(link, Hosts::Public)
    }

    /// [`Finpass::download_report`] that also accepts loopback hosts, over plain HTTP too: for tests
    /// against local servers only. The private network stays refused.
    #[doc(hidden)]
    pub fn download_report_allowing_loopback(&self, link: &str) -> Call<Bytes> {
        self.download(link, Hosts::PublicOrLoopback)
    }

    fn download(&self, link: &str, hosts: Hosts) -> Call<Bytes> {
        let (http, request) = match self.report_request(link, hosts) {
            Ok(prepared) => prepared,
            Err(refused) => return Call::new(std::future::ready(Err(refused))),
        };
        // Handed to reqwest now, like an operation's request; sent when the call is polled.
        let sent = http.execute(request);
        let finpass = self.clone();
        Call::new(async move {
            let cap = finpass.runtime().max_download_bytes;
            // Never retried (so `send` is never called): a link may be single-use, and an expired
            // one stays expired.
            let exchange = finpass
                .exchange(OPERATION, None, cap, &|r| http.execute(r), sent, None)
                .await;
            report(exchange)
        })
    }

    /// The link, checked, as a GET on the client that may fetch it.
    fn report_request(
        &self,
        link: &str,
        hosts: Hosts,
    ) -> Result<(reqwest::Client, reqwest::Request), Error> {
        let url = reqwest::Url::parse(link.trim()).map_err(|e| {
            failed(
                ErrorKind::InvalidRequest,
                format!("report link is not a valid URL ({e})"),
            )
        })?;
        https::check(&url, hosts).map_err(|refusal| {
            failed(ErrorKind::InvalidRequest, format!("report link: {refusal}"))
        })?;
        let runtime = self.runtime();
        let client = match (&runtime.download, hosts) {
            (Some(client), Hosts::Public) => client.clone(),
            // The loopback opt-in (tests) and a client made without the builder: built for this call.
            _ => {
                let settings = DownloadSettings {
                    connect_timeout: runtime.connect_timeout,
                    hosts,
                };
                let builder = match &runtime.http_settings {
                    Some(hook) => hook(reqwest::Client::builder()),
                    None => reqwest::Client::builder(),
                };
                download_client(builder, &settings)?
            }
        };
        let request = client.get(url).build().map_err(|e| {
            failed(
                ErrorKind::InvalidRequest,
                "report link: the request could not be built",
            )
            .with_source(e.without_url())
        })?;
        Ok((client, request))
    }
}

/// The report's bytes, or the error the download's exchange stands for.
fn report(exchange: Exchange) -> Result<Response<Bytes>, Error> {
    let (mut seen, last) = Seen::split(OPERATION, exchange);
    let answer = last.map_err(|failure| transport(&seen, failure))?;
    let (attempts, elapsed) = (seen.attempts, seen.elapsed);
    seen.headers = Some(&answer.headers);
    let body = match answer.body {
        Ok(body) => body,
        Err(cap) => return Err(seen.too_large(cap, "report")),
    };
    if !answer.status.is_success() {
        return Err(seen.error(
            ErrorKind::Api,
            "the report link was refused (it may have expired)",
            Some(body),
        ));
    }
    let meta = Meta {
        status: answer.status,
        headers: answer.headers,
        attempts,
        elapsed,
    };
    Ok(Response::new(body, meta))
}

/// A failed download; a refused redirect or address says which rule refused it.
fn transport(seen: &Seen<'_>, failure: Failure) -> Error {
    let refused = match &failure {
        Failure::Transport(source) => refusal(source),
        Failure::TimedOut => None,
    };
    if let Some(why) = refused {
        return seen.error(
            ErrorKind::Transport,
            format!("the report download was refused: {why}"),
            None,
        );
    }
    let mut e = seen.failed(failure);
    e.detail = format!("the report download failed: {}", e.detail);
    e
}

/// The rule that refused a redirect hop or a resolved address, from anywhere in the error's chain.
fn refusal(source: &reqwest::Error) -> Option<String> {
    let mut cause = std::error::Error::source(source);
    let mut refused = None;
    while let Some(c) = cause {
        if let Some(r) = c.downcast_ref::<Refusal>() {
            refused = Some(r.to_string());
        } else if c.is::<TooManyRedirects>() {
            refused = Some(c.to_string());
        }
        cause = c.source();
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_builds_for_every_host_rule() {
        for hosts in [Hosts::Any, Hosts::Public, Hosts::PublicOrLoopback] {
            let settings = DownloadSettings {
                connect_timeout: Duration::from_secs(1),
                hosts,
            };
            let client = download_client(reqwest::Client::builder(), &settings);
            assert!(client.is_ok(), "{hosts:?}");
        }
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused_unless_opted_in() {
        use reqwest::dns::Resolve;
        let name = |n: &str| n.parse::<reqwest::dns::Name>().unwrap();
        let public_only = CheckedResolver {
            hosts: Hosts::Public,
        };
        let err = public_only.resolve(name("localhost")).await.err().unwrap();
        assert!(err.to_string().contains("`localhost`"), "{err}");
        let opted_in = CheckedResolver {
            hosts: Hosts::PublicOrLoopback,
        };
        let found: Vec<_> = opted_in.resolve(name("localhost")).await.unwrap().collect();
        assert!(found.iter().all(|a| a.ip().is_loopback()) && !found.is_empty());
    }
}
