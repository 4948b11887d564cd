//! Report downloads: the link and every redirect hop must be HTTPS to a public host (tests opt in to
//! loopback explicitly), at most three hops, no `Referer`, no credentials. Loopback servers only: a
//! refused hop is refused before any connection, so the public-looking targets are never contacted.

use crate::support;

use finpass_client::{ErrorKind, Finpass};
use support::{FaultServer, Reply, Sleeps, client};

const PDF: &[u8] = b"%PDF-1.4 report";

fn redirect(to: &str) -> Reply {
    Reply::status(302).header("location", to)
}

async fn finpass() -> Finpass {
    client("http://127.0.0.1:9", &Sleeps::default())
}

#[tokio::test]
async fn loopback_links_are_refused_unless_a_test_opts_in() {
    let store = FaultServer::start(vec![Reply::raw(200, "application/pdf", PDF)]).await;
    let finpass = finpass().await;
    let plain = format!("{}/r.pdf", store.url());
    let err = finpass.download_report(&plain).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
    assert!(
        err.to_string().contains("loopback, private or link-local"),
        "{err}"
    );
    let tls = plain.replacen("http://", "https://", 1);
    assert!(finpass.download_report(&tls).await.is_err());
    assert_eq!(store.connections(), 0);

    let body = finpass
        .download_report_allowing_loopback(&plain)
        .await
        .unwrap();
    assert_eq!(&body[..], PDF);
    // Even opted in, the rest of the private network stays out of reach.
    for private in [
        "https://10.1.2.3/r.pdf",
        "https://169.254.169.254/latest/meta-data",
    ] {
        let err = finpass
            .download_report_allowing_loopback(private)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{private}: {err}");
    }
}

#[tokio::test]
async fn every_redirect_hop_is_checked() {
    let finpass = finpass().await;
    for (location, refusal) in [
        ("http://reports.example.com/r.pdf", "HTTPS is required"),
        ("https://10.0.0.7/r.pdf", "loopback, private or link-local"),
        ("https://[fd00::1]/r.pdf", "loopback, private or link-local"),
        (
            "https://169.254.169.254/latest/meta-data",
            "loopback, private or link-local",
        ),
        ("ftp://reports.example.com/r.pdf", "HTTPS is required"),
    ] {
        let store = FaultServer::start(vec![redirect(location)]).await;
        let err = finpass
            .download_report_allowing_loopback(&format!("{}/r.pdf", store.url()))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{location}: {err}");
        let shown = err.to_string();
        assert!(
            shown.contains("refused") && shown.contains(refusal),
            "{location}: {shown}"
        );
        assert_eq!(store.request_count(), 1, "{location}");
    }
}

#[tokio::test]
async fn user_information_in_a_redirect_is_refused() {
    let target = FaultServer::start(vec![Reply::raw(200, "application/pdf", PDF)]).await;
    let with_user = target.url().replacen("http://", "http://user:pw@", 1);
    let store = FaultServer::start(vec![redirect(&with_user)]).await;
    let err = finpass()
        .await
        .download_report_allowing_loopback(&store.url())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("user information"), "{err}");
    assert_eq!(target.connections(), 0);
}

#[tokio::test]
async fn at_most_three_hops_are_followed() {
    // servers[0] → servers[1] → … → servers[5], which answers.
    let mut servers = vec![FaultServer::start(vec![Reply::raw(200, "application/pdf", PDF)]).await];
    for _ in 0..5 {
        let next = format!("{}/next", servers[0].url());
        servers.insert(0, FaultServer::start(vec![redirect(&next)]).await);
    }
    let finpass = finpass().await;
    let body = finpass
        .download_report_allowing_loopback(&servers[2].url())
        .await
        .unwrap();
    assert_eq!(&body[..], PDF, "three hops are fine");
    let err = finpass
        .download_report_allowing_loopback(&servers[0].url())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("more than 3 redirects"), "{err}");
    let requests: Vec<usize> = servers.iter().map(FaultServer::request_count).collect();
    assert_eq!(
        requests,
        [1, 1, 2, 2, 1, 1],
        "the fourth hop was never made"
    );
}

/// The download client is a second reqwest client; it names the SDK as the API client does.
#[tokio::test]
async fn a_download_names_the_sdk_and_its_version_in_user_agent() {
    let store = FaultServer::start(vec![Reply::raw(200, "application/pdf", PDF)]).await;
    let link = format!("{}/r.pdf?X-Amz-Signature=sig-7d1e", store.url());
    finpass()
        .await
        .download_report_allowing_loopback(&link)
        .await
        .unwrap();
    support::assert_names_the_sdk(&store.requests.lock().unwrap()[0]);
}

#[tokio::test]
async fn a_followed_hop_carries_no_referer_and_no_credentials() {
    let target = FaultServer::start(vec![Reply::raw(200, "application/pdf", PDF)]).await;
    let store = FaultServer::start(vec![redirect(&format!("{}/final.pdf", target.url()))]).await;
    let link = format!("{}/r.pdf?X-Amz-Signature=sig-7d1e", store.url());
    let body = finpass()
        .await
        .download_report_allowing_loopback(&link)
        .await
        .unwrap();
    assert_eq!(&body[..], PDF);
    for head in [
        &store.requests.lock().unwrap()[0],
        &target.requests.lock().unwrap()[0],
    ] {
        assert!(!head.contains("referer:"), "{head}");
        assert!(
            !head.contains("x-api-key") && !head.contains("x-api-secret"),
            "{head}"
        );
    }
}
