//! The one rule for where the client may send a request: HTTPS, plain HTTP only to loopback (local
//! mocks), never user information in the URL, and, for report downloads, no loopback, private or
//! link-local address either (a pre-signed link or one of its redirects must not reach into the
//! caller's own network). A leaf: the API base URL (config) and every download hop use it.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Which hosts a URL may name, beyond the HTTPS requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hosts {
    /// Any host (the API base URL: a company may front Finpass with its own gateway).
    Any,
    /// Public addresses only (report links and their redirects).
    Public,
    /// Public addresses and loopback (tests that opt in explicitly); still no private network.
    PublicOrLoopback,
}

/// Why a URL was refused. `Display` is a whole sentence naming the scheme or host, never a path or
/// query (a pre-signed link's query is a credential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `user:password@` in the URL.
    UserInfo,
    /// A scheme other than `https` (or `http` to loopback).
    Scheme(String),
    /// Plain `http://` to a host that is not loopback.
    PlainHttp(String),
    /// A loopback, private, link-local or unspecified address where only public hosts are allowed.
    NotPublic(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UserInfo => f.write_str("user information (`user:password@`) is not allowed"),
            Refusal::Scheme(scheme) => {
                write!(f, "HTTPS is required; `{scheme}://` is not supported")
            }
            Refusal::PlainHttp(host) => write!(
                f,
                "HTTPS is required: plain http:// is only allowed to loopback, not to `{host}`"
            ),
            Refusal::NotPublic(host) => write!(
                f,
                "`{host}` is a loopback, private or link-local address, which is refused here"
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Whether `url` names a loopback host, where plain HTTP is allowed.
pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => is_localhost(d),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Checks `url` against the rule; `hosts` says which addresses are acceptable.
pub(crate) fn check(url: &url::Url, hosts: Hosts) -> Result<(), Refusal> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::UserInfo);
    }
    let host = url.host();
    let loopback = is_loopback(url);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(Refusal::PlainHttp(host_name(url))),
        other => return Err(Refusal::Scheme(other.to_owned())),
    }
    let public = match &host {
        Some(url::Host::Domain(d)) => !is_localhost(d),
        Some(url::Host::Ipv4(ip)) => is_public(IpAddr::V4(*ip)),
        Some(url::Host::Ipv6(ip)) => is_public(IpAddr::V6(*ip)),
        None => false,
    };
    let allowed = match hosts {
        Hosts::Any => true,
        Hosts::Public => public,
        Hosts::PublicOrLoopback => public || loopback,
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::NotPublic(host_name(url)))
    }
}

/// Whether a resolved address may be contacted under `hosts` (names are checked after DNS too, so a
/// public-looking name that resolves into the private network is refused).
pub(crate) fn address_allowed(ip: IpAddr, hosts: Hosts) -> bool {
    match hosts {
        Hosts::Any => true,
        Hosts::Public => is_public(ip),
        Hosts::PublicOrLoopback => is_public(ip) || ip.is_loopback(),
    }
}

fn is_localhost(domain: &str) -> bool {
    let d = domain.trim_end_matches('.');
    d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
}

fn host_name(url: &url::Url) -> String {
    url.host_str().unwrap_or_default().to_owned()
}

/// Globally routable: not loopback, private (RFC 1918, unique local), link-local, shared (CGNAT),
/// unspecified, broadcast, documentation or multicast.
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b);
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || shared
        || a == 0)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00;
    let link_local = first & 0xffc0 == 0xfe80;
    !(ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || unique_local || link_local)
}

/// The TLS checks a settings hook (`ClientBuilder::http_settings`) cannot switch off: certificate
/// and host name verification. Applied after the hook, so it wins.
pub(crate) fn verified(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    let builder = builder
        .tls_danger_accept_invalid_certs(false)
        .tls_danger_accept_invalid_hostnames(false);
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(url: &str, hosts: Hosts) -> Result<(), Refusal> {
        check(&url::Url::parse(url).unwrap(), hosts)
    }

    #[test]
    fn https_anywhere_plain_http_only_to_loopback() {
        for ok in [
            "https://api.finpass.ai",
            "https://10.0.0.7",
            "http://127.0.0.1:8080",
            "http://localhost:1/",
            "http://[::1]:9",
        ] {
            assert_eq!(checked(ok, Hosts::Any), Ok(()), "{ok}");
        }
        assert!(matches!(
            checked("http://api.finpass.ai", Hosts::Any),
            Err(Refusal::PlainHttp(h)) if h == "api.finpass.ai"
        ));
        assert!(matches!(
            checked("http://10.0.0.7:8080", Hosts::Any),
            Err(Refusal::PlainHttp(_))
        ));
        assert!(matches!(
            checked("ftp://x", Hosts::Any),
            Err(Refusal::Scheme(s)) if s == "ftp"
        ));
        assert_eq!(
            checked("https://u:p@api.finpass.ai", Hosts::Any),
            Err(Refusal::UserInfo)
        );
    }

    #[test]
    fn public_only_refuses_loopback_private_and_link_local_hosts() {
        for refused in [
            "https://127.0.0.1/r.pdf",
            "https://localhost/r.pdf",
            "https://a.localhost./r.pdf",
            "https://10.1.2.3/",
            "https://172.16.0.1/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/",
            "https://[fe80::1]/",
            "https://[fd00::1]/",
            "https://[::ffff:10.0.0.1]/",
        ] {
            assert!(
                matches!(checked(refused, Hosts::Public), Err(Refusal::NotPublic(_))),
                "{refused}"
            );
        }
        for ok in [
            "https://reports.s3.ap-south-1.amazonaws.com/x.pdf?X-Amz-Signature=1",
            "https://8.8.8.8/",
            "https://[2001:4860::1]/",
        ] {
            assert_eq!(checked(ok, Hosts::Public), Ok(()), "{ok}");
        }
        // The opt-in admits loopback and nothing else of the private network.
        assert_eq!(
            checked("http://127.0.0.1:9/r.pdf", Hosts::PublicOrLoopback),
            Ok(())
        );
        assert!(checked("https://10.1.2.3/", Hosts::PublicOrLoopback).is_err());
        assert!(checked("http://example.com/", Hosts::PublicOrLoopback).is_err());
    }

    #[test]
    fn refusals_never_show_the_path_or_query() {
        let e = checked("http://reports.example.com/r.pdf?sig=SECRET", Hosts::Public).unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains("HTTPS is required"), "{shown}");
        assert!(
            !shown.contains("SECRET") && !shown.contains("r.pdf"),
            "{shown}"
        );
    }

    #[test]
    fn resolved_addresses_follow_the_same_rule() {
        let private: IpAddr = "10.0.0.1".parse().unwrap();
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        let public: IpAddr = "1.1.1.1".parse().unwrap();
        assert!(!address_allowed(private, Hosts::Public));
        assert!(!address_allowed(lo, Hosts::Public));
        assert!(address_allowed(lo, Hosts::PublicOrLoopback));
        assert!(!address_allowed(private, Hosts::PublicOrLoopback));
        assert!(address_allowed(public, Hosts::Public));
        assert!(address_allowed(private, Hosts::Any));
    }
}
