//! What a consumer can ask of one call and of the HTTP client: the metadata of a success
//! (`with_response`), extra headers per call (`with_header`), their own reqwest settings
//! (`http_settings`) that cannot switch off the client's rules, and gzip (feature `gzip`).

use crate::support;

use std::sync::Arc;

use finpass_client::{ErrorKind, Finpass, reqwest};
use httpmock::prelude::*;
use support::{API_KEY, CANARY_SECRET, FaultServer, Op, Reply, Sleeps, client};

const STATUS_PATH: &str = "/api/v1/aa-bsa-journey/status";

#[tokio::test]
async fn a_success_carries_status_headers_request_id_and_attempts() {
    let body = Op::AaBsaStatus.success_body();
    let server = FaultServer::start(vec![
        Reply::status(503),
        Reply::json(200, body.clone()).header("x-request-id", "req-7781"),
    ])
    .await;
    let finpass = client(&server.url(), &Sleeps::default());

    let response = finpass
        .aa_bsa_status("aa_bsa_1")
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("req-7781"));
    assert_eq!(response.attempts(), 2, "one 503, then the success");
    assert_eq!(response.headers()["x-request-id"], "req-7781");
    // Derefs to the typed body: the same value a plain call returns.
    assert_eq!(response.data.client_id, body["data"]["client_id"]);
    let plain = finpass.aa_bsa_status("aa_bsa_1").await.unwrap();
    assert_eq!(plain.data.client_id, response.into_inner().data.client_id);
}

#[tokio::test]
async fn a_failure_is_the_same_error_with_or_without_metadata() {
    let server = FaultServer::start(vec![Reply::json(
        400,
        serde_json::json!({"success": false, "message": "bad client_id", "message_code": "invalid"}),
    )])
    .await;
    let finpass = client(&server.url(), &Sleeps::default());
    let err = finpass
        .aa_bsa_status("x")
        .with_response()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.message_code(), Some("invalid"));
    // A future that makes no Finpass call has no `with_response()` at all: a compile error now,
    // shown from a crate outside the workspace (`xtask/tests/outside_crate.rs`).
}

#[tokio::test]
async fn calls_in_flight_together_each_carry_their_own_metadata() {
    let server = MockServer::start_async().await;
    for (client_id, request_id) in [("aa_bsa_1", "req-1"), ("aa_bsa_2", "req-2")] {
        let body = Op::AaBsaStatus.success_body();
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(STATUS_PATH)
                    .query_param("client_id", client_id);
                then.status(200)
                    .header("x-request-id", request_id)
                    .json_body(body);
            })
            .await;
    }
    let finpass = client(&server.base_url(), &Sleeps::default());
    // Stored, spawned and joined like any future: a call owns what it needs.
    let second = tokio::spawn(finpass.aa_bsa_status("aa_bsa_2").with_response());
    let first = finpass.aa_bsa_status("aa_bsa_1").with_response();
    let (first, second) = tokio::join!(first, second);
    let (first, second) = (first.unwrap(), second.unwrap().unwrap());
    assert_eq!(
        (first.request_id(), second.request_id()),
        (Some("req-1"), Some("req-2"))
    );
    assert_eq!((first.attempts(), second.attempts()), (1, 1));
}

#[tokio::test]
async fn a_per_call_header_reaches_the_server_on_that_client_only() {
    let server = MockServer::start_async().await;
    let body = Op::AaBsaStatus.success_body();
    let tagged = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(STATUS_PATH)
                .header("x-correlation-id", "loan-2024-0042");
            then.status(200).json_body(body.clone());
        })
        .await;
    let untagged = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(STATUS_PATH)
                .header_missing("x-correlation-id");
            then.status(200).json_body(body.clone());
        })
        .await;
    let finpass = client(&server.base_url(), &Sleeps::default());
    finpass
        .with_header("x-correlation-id", "loan-2024-0042")
        .unwrap()
        .aa_bsa_status("aa_bsa_1")
        .await
        .unwrap();
    finpass.aa_bsa_status("aa_bsa_1").await.unwrap();
    tagged.assert_calls_async(1).await;
    untagged.assert_calls_async(1).await;
}

/// A 200 that takes a second to come: shorter than one attempt timeout, longer than the other.
async fn slow_status(server: &MockServer) {
    server
        .mock_async(|when, then| {
            when.method(GET).path(STATUS_PATH);
            then.status(200)
                .json_body(Op::AaBsaStatus.success_body())
                .delay(std::time::Duration::from_secs(1));
        })
        .await;
}

#[tokio::test]
async fn a_per_call_attempt_timeout_wins_over_the_clients_either_way() {
    use std::time::Duration;
    let server = MockServer::start_async().await;
    slow_status(&server).await;
    let timeouts = |attempt| finpass_client::Timeouts::default().attempt(attempt);
    let patient = support::builder(&server.base_url(), &Sleeps::default())
        .timeouts(timeouts(Duration::from_secs(30)))
        .retry(finpass_client::RetryConfig::disabled())
        .build()
        .unwrap();
    let err = patient
        .with_timeouts(timeouts(Duration::from_millis(200)))
        .aa_bsa_status("aa_bsa_1")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");

    let hasty = support::builder(&server.base_url(), &Sleeps::default())
        .timeouts(timeouts(Duration::from_millis(200)))
        .retry(finpass_client::RetryConfig::disabled())
        .build()
        .unwrap();
    assert!(hasty.aa_bsa_status("aa_bsa_1").await.is_err());
    hasty
        .with_timeouts(timeouts(Duration::from_secs(30)))
        .aa_bsa_status("aa_bsa_1")
        .await
        .unwrap();
}

#[test]
fn headers_the_client_owns_and_bad_values_are_refused_by_name() {
    let finpass = client("http://127.0.0.1:9", &Sleeps::default());
    for owned in ["x-api-key", "X-API-SECRET", "host", "content-type"] {
        let err = finpass.with_header(owned, "v").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert!(
            err.to_string().contains(&owned.to_ascii_lowercase()),
            "{err}"
        );
    }
    let err = finpass
        .with_header("x-note", "PAN ABCDE1234F\n")
        .unwrap_err();
    assert!(err.to_string().contains("`x-note`"), "{err}");
    assert!(!format!("{err} {err:?}").contains("ABCDE1234F"), "{err:?}");
    let err = finpass.with_header("bad name", "v").unwrap_err();
    assert!(err.to_string().contains("header name"), "{err}");
}

/// A hook that tries to follow redirects and adds a header of its own.
fn permissive_settings() -> finpass_client::HttpSettings {
    Arc::new(|http: reqwest::ClientBuilder| {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-team", reqwest::header::HeaderValue::from_static("risk"));
        http.redirect(reqwest::redirect::Policy::limited(5))
            .default_headers(headers)
    })
}

#[tokio::test]
async fn http_settings_apply_but_cannot_switch_off_the_no_redirect_rule() {
    let elsewhere = MockServer::start_async().await;
    let stolen = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let server = MockServer::start_async().await;
    let redirect = server
        .mock_async(|when, then| {
            when.method(GET).path(STATUS_PATH).header("x-team", "risk");
            then.status(302)
                .header("location", elsewhere.url("/steal").as_str());
        })
        .await;
    let finpass = support::builder(&server.base_url(), &Sleeps::default())
        .http_settings(permissive_settings())
        .build()
        .unwrap();
    let err = finpass.aa_bsa_status("aa_bsa_1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302), "{err:?}");
    redirect.assert_calls_async(1).await;
    stolen.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_download_client_uses_the_same_settings_and_no_credentials() {
    let store = MockServer::start_async().await;
    let report = store
        .mock_async(|when, then| {
            when.method(GET)
                .path("/r.pdf")
                .header("x-team", "risk")
                .header_missing("x-api-key")
                .header_missing("x-api-secret");
            then.status(200).body("%PDF-1.4");
        })
        .await;
    let finpass = Finpass::builder()
        .credentials(API_KEY, CANARY_SECRET)
        .base_url("http://127.0.0.1:9")
        .http_settings(permissive_settings())
        .build()
        .unwrap();
    let pdf = finpass
        .download_report_allowing_loopback(&store.url("/r.pdf"))
        .with_response()
        .await
        .unwrap();
    assert_eq!(&pdf[..], b"%PDF-1.4");
    assert_eq!((pdf.status().as_u16(), pdf.attempts()), (200, 1));
    report.assert_calls_async(1).await;
}

/// Feature `gzip`. Without it the tests are listed as ignored with the command that runs them, never
/// left out without a word (`required-features` on a test target would skip it silently).
mod gzip {
    use std::io::Write;

    use super::*;

    fn gzipped(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[tokio::test]
    #[cfg_attr(
        not(feature = "gzip"),
        ignore = "needs the `gzip` feature: cargo test -p finpass-client --features gzip"
    )]
    async fn a_gzip_body_is_decoded() {
        let body = Op::AaBsaStatus.success_body();
        let server = FaultServer::start(vec![
            Reply::raw(
                200,
                "application/json",
                &gzipped(body.to_string().as_bytes()),
            )
            .header("content-encoding", "gzip"),
        ])
        .await;
        let finpass = client(&server.url(), &Sleeps::default());
        let status = finpass.aa_bsa_status("aa_bsa_1").await.unwrap();
        assert_eq!(status.data.client_id, body["data"]["client_id"]);
    }

    #[tokio::test]
    #[cfg_attr(
        not(feature = "gzip"),
        ignore = "needs the `gzip` feature: cargo test -p finpass-client --features gzip"
    )]
    async fn the_size_cap_counts_decoded_bytes() {
        // 8 MiB of spaces compress to a few KiB: the cap must stop the decoded stream, not the wire.
        let bomb = gzipped(&vec![b' '; 8 << 20]);
        assert!(bomb.len() < 64 << 10);
        let server = FaultServer::start(vec![
            Reply::raw(200, "application/json", &bomb).header("content-encoding", "gzip"),
        ])
        .await;
        let finpass = support::builder(&server.url(), &Sleeps::default())
            .max_response_bytes(1 << 20)
            .build()
            .unwrap();
        let err = finpass.aa_bsa_status("aa_bsa_1").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    }
}
