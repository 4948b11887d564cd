//! Hostile and broken response bodies, envelopes that report failure, and redirects. Whatever the body,
//! the error keeps the HTTP status, nothing panics, and a redirect is never followed.

use crate::support;

use finpass_client::ErrorKind;
use serde_json::json;
use support::{ALL, API_KEY, CANARY_SECRET, FaultServer, Op, Reply, Sleeps, client};

/// Bodies a gateway, a proxy or a buggy server might send instead of the documented JSON.
fn hostile_bodies() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    vec![
        (
            "html",
            "text/html",
            b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
        ),
        ("empty", "application/json", Vec::new()),
        (
            "truncated",
            "application/json",
            br#"{"success": true, "data": {"client_id": "aa"#.to_vec(),
        ),
        (
            "wrong shape",
            "application/json",
            br#"{"success": "yes", "data": [1, 2, 3], "message": 7}"#.to_vec(),
        ),
        ("array", "application/json", b"[]".to_vec()),
        ("null", "application/json", b"null".to_vec()),
        ("deeply nested", "application/json", deep.into_bytes()),
        (
            "invalid utf-8",
            "application/json",
            vec![b'{', 0xff, 0xfe, b'}'],
        ),
    ]
}

#[tokio::test]
async fn hostile_bodies_keep_the_status_under_every_status() {
    for status in [200u16, 401, 422, 502] {
        for (name, content_type, body) in hostile_bodies() {
            for op in ALL {
                let server =
                    FaultServer::start(vec![Reply::raw(status, content_type, &body)]).await;
                let err = op
                    .run(&client(&server.url(), &Sleeps::default()))
                    .await
                    .unwrap_err();
                let case = format!("{status} {name} {op:?}: {err:?}");
                assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{case}");
                // A 2xx that cannot be typed breaks the contract; an error status stays an API error
                // whatever its body, so callers can branch on the status alone.
                let kind = if status == 200 {
                    ErrorKind::Decode
                } else {
                    ErrorKind::Api
                };
                assert_eq!(err.kind(), kind, "{case}");
                let attempts = if status == 502 {
                    op.attempts_if(true, false)
                } else {
                    1
                };
                assert_eq!(
                    (err.attempts(), server.request_count()),
                    (attempts, attempts as usize),
                    "{case}"
                );
                assert_eq!(err.body(), Some(&body[..]), "{case}");
                assert!(err.to_string().contains(&status.to_string()), "{case}");
            }
        }
    }
}

#[tokio::test]
async fn display_shows_at_most_one_kilobyte_of_a_huge_body() {
    let body = format!("<html>{}</html>", "x".repeat(20_000));
    let server = FaultServer::start(vec![Reply::raw(200, "text/html", body.as_bytes())]).await;
    let err = Op::AaInitialize
        .run(&client(&server.url(), &Sleeps::default()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(
        err.body().map(<[u8]>::len),
        Some(body.len()),
        "the raw body is kept whole"
    );
    let shown = err.to_string();
    assert!(shown.len() < 1024 + 300, "{} bytes shown", shown.len());
    // Not even an excerpt: a 2xx body may be full of personal data.
    assert!(!format!("{err} {err:?}").contains("xxxxxxxx"), "{shown}");
    assert!(format!("{err:?}").len() < 1024 + 1000);
}

#[tokio::test]
async fn success_false_in_a_2xx_is_an_api_error() {
    for op in ALL {
        // Both a bare failure envelope (which the success type cannot hold) and a complete body whose
        // `success` flag is false (for multi_bureau_fetch, whose type has no envelope, the flag is read
        // from the raw body).
        let mut full = op.success_body();
        full["success"] = json!(false);
        let bare =
            json!({"success": false, "message": "consent rejected", "message_code": "AA_REJECTED"});
        for body in [bare, full] {
            let server = FaultServer::start(vec![Reply::json(200, body.clone())]).await;
            let err = op
                .run(&client(&server.url(), &Sleeps::default()))
                .await
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Api, "{op:?} {body}: {err:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
            assert_eq!(err.attempts(), 1);
            assert!(!err.is_retryable());
        }
    }
}

#[tokio::test]
async fn error_envelope_fields_and_request_id_are_surfaced() {
    let body = json!({"success": false, "message": "mobile_number is invalid", "message_code": "INVALID_MOBILE"});
    let server = FaultServer::start(vec![
        Reply::json(422, body).header("x-request-id", "req-8c1f"),
    ])
    .await;
    let err = Op::AaInitialize
        .run(&client(&server.url(), &Sleeps::default()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.message(), Some("mobile_number is invalid"));
    assert_eq!(err.code(), Some("INVALID_MOBILE"));
    assert_eq!(err.request_id(), Some("req-8c1f"));
    assert_eq!(err.operation(), Some("aa_initialize"));
    let shown = err.to_string();
    assert!(
        shown.contains("422") && shown.contains("INVALID_MOBILE"),
        "{shown}"
    );
}

#[tokio::test]
async fn acceptance_redirects_are_not_followed_and_credentials_stay_home() {
    for status in [301u16, 302, 303, 307, 308] {
        for op in ALL {
            let elsewhere = FaultServer::start(vec![Reply::json(200, op.success_body())]).await;
            let location = format!(
                "{}/api/v1/services/account-aggregator/init",
                elsewhere.url()
            );
            let origin =
                FaultServer::start(vec![Reply::status(status).header("location", &location)]).await;
            let err = op
                .run(&client(&origin.url(), &Sleeps::default()))
                .await
                .unwrap_err();

            assert_eq!(
                elsewhere.connections(),
                0,
                "{status} {op:?}: the other port was contacted"
            );
            assert_eq!(err.kind(), ErrorKind::Api, "{status} {op:?}: {err:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert_eq!((err.attempts(), origin.request_count()), (1, 1));
            // The origin did get the credentials: the assertion above would notice a forwarded request.
            let head = origin.requests.lock().unwrap()[0].clone();
            assert!(head.contains(&format!("x-api-key: {API_KEY}")), "{head}");
            assert!(head.contains(&format!(
                "x-api-secret: {}",
                CANARY_SECRET.to_ascii_lowercase()
            )));
            assert!(!format!("{err} {err:?}").contains(CANARY_SECRET));
        }
    }
}

/// The head of one AA-BSA Status call as the server received it (lower-cased).
async fn status_call_head() -> String {
    let server = FaultServer::start(vec![Reply::json(200, Op::AaBsaStatus.success_body())]).await;
    Op::AaBsaStatus
        .run(&client(&server.url(), &Sleeps::default()))
        .await
        .unwrap();
    server.requests.lock().unwrap()[0].clone()
}

#[tokio::test]
async fn progenitor_api_version_header_is_not_sent() {
    let head = status_call_head().await;
    assert!(
        head.starts_with("get /api/v1/aa-bsa-journey/status?client_id=bsa_clnt_1 "),
        "{head}"
    );
    assert!(!head.contains("api-version:"), "{head}");
}

/// README: every request says which SDK sent it (`User-Agent: finpass-rust/<version>`). It is also
/// what decides `concurrent_throughput_ratio` (BENCHMARKS.md), so its removal must be deliberate.
#[tokio::test]
async fn an_api_call_names_the_sdk_and_its_version_in_user_agent() {
    support::assert_names_the_sdk(&status_call_head().await);
}
