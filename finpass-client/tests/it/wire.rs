//! What a request carries on the wire. The client copies its own headers into each request
//! (`Host` and `Content-Length` among them, which hyper would otherwise add): each must arrive
//! once, with the value hyper would have written, over HTTP/1.1.

use crate::support;

use std::sync::Arc;

use finpass_client::{Finpass, StatementFile, reqwest};
use support::{ALL, API_KEY, CANARY_SECRET, FaultServer, Op, Reply, Sleeps, client};

/// The values of header `name` in a lower-cased request head.
fn values<'h>(head: &'h str, name: &str) -> Vec<&'h str> {
    let prefix = format!("{name}:");
    head.lines()
        .filter_map(|line| line.strip_prefix(prefix.as_str()))
        .map(str::trim)
        .collect()
}

/// `head` carries the client's own `Host` (the server's address) and credentials, each once.
fn assert_the_clients_own(head: &str, server: &FaultServer) {
    let host = format!("127.0.0.1:{}", server.port);
    assert_eq!(values(head, "host"), [host.as_str()], "{head}");
    let (key, secret) = (
        API_KEY.to_ascii_lowercase(),
        CANARY_SECRET.to_ascii_lowercase(),
    );
    assert_eq!(values(head, "x-api-key"), [key], "{head}");
    assert_eq!(values(head, "x-api-secret"), [secret], "{head}");
}

/// The one request `op` sends to a server that answers it, and its body; `adapt` turns the test's
/// client into the one that sends.
async fn sent_by(op: Op, adapt: impl FnOnce(&str) -> Finpass) -> (FaultServer, String, Vec<u8>) {
    let server = FaultServer::start(vec![Reply::json(200, op.success_body())]).await;
    let finpass = adapt(&server.url());
    op.run(&finpass).await.unwrap();
    let head = server.requests.lock().unwrap()[0].clone();
    let body = server.bodies.lock().unwrap()[0].clone();
    (server, head, body)
}

/// [`sent_by`] the test's client with the per-call headers `extra`, added in order.
async fn sent(op: Op, extra: &[(&'static str, &'static str)]) -> (FaultServer, String, Vec<u8>) {
    sent_by(op, |url| {
        let mut finpass = client(url, &Sleeps::default());
        for &(name, value) in extra {
            finpass = finpass.with_header(name, value).unwrap();
        }
        finpass
    })
    .await
}

#[tokio::test]
async fn every_operation_sends_each_header_once_with_host_and_length_its_own() {
    for op in ALL {
        let (server, head, body) = sent(op, &[]).await;
        let case = format!("{op:?}: {head}");
        // What this build speaks; HTTP/2 is not compiled in here, so `http1_only` is not what holds it.
        let request_line = head.lines().next().unwrap_or_default();
        assert!(request_line.ends_with(" http/1.1"), "{case}");
        assert_the_clients_own(&head, &server);
        assert_eq!(values(&head, "accept"), ["application/json"], "{case}");
        assert_eq!(values(&head, "user-agent").len(), 1, "{case}");
        assert!(values(&head, "transfer-encoding").is_empty(), "{case}");
        if op == Op::AaBsaStatus {
            // A GET: no body, so no framing headers at all.
            assert!(values(&head, "content-length").is_empty(), "{case}");
            assert!(values(&head, "content-type").is_empty(), "{case}");
            assert!(body.is_empty(), "{case}");
        } else {
            assert_eq!(
                values(&head, "content-type"),
                ["application/json"],
                "{case}"
            );
            let length = body.len().to_string();
            assert_eq!(values(&head, "content-length"), [length.as_str()], "{case}");
            // The length announced is the whole body: it parses, and nothing was cut.
            let json: serde_json::Value = serde_json::from_slice(&body).expect(&case);
            assert!(json.is_object(), "{case}");
        }
    }
}

#[tokio::test]
async fn a_per_call_header_travels_beside_the_clients_own() {
    let (_server, head, _) = sent(Op::AaInitialize, &[("x-correlation-id", "loan-7")]).await;
    assert_eq!(values(&head, "x-correlation-id"), ["loan-7"], "{head}");
    assert_eq!(
        values(&head, "content-type"),
        ["application/json"],
        "{head}"
    );
    assert_eq!(values(&head, "host").len(), 1, "{head}");
}

#[tokio::test]
async fn a_per_call_header_of_a_name_the_client_sends_replaces_it_and_repeats_add_up() {
    let extra = [
        ("user-agent", "lender-app/3.1"),
        ("accept", "application/json; charset=utf-8"),
        ("x-tag", "a"),
        ("x-tag", "b"),
    ];
    let (_server, head, _) = sent(Op::AaInitialize, &extra).await;
    assert_eq!(values(&head, "user-agent"), ["lender-app/3.1"], "{head}");
    assert_eq!(
        values(&head, "accept"),
        ["application/json; charset=utf-8"],
        "{head}"
    );
    assert_eq!(values(&head, "x-tag"), ["a", "b"], "{head}");
}

#[tokio::test]
async fn the_clients_headers_win_over_defaults_an_http_settings_hook_sets() {
    let (server, head, _) = sent_by(Op::AaBsaStatus, |url| {
        support::builder(url, &Sleeps::default())
            .http_settings(Arc::new(|http: reqwest::ClientBuilder| {
                let mut defaults = reqwest::header::HeaderMap::new();
                for (name, value) in [
                    ("host", "elsewhere.example"),
                    ("x-api-key", "hook-key"),
                    ("x-team", "risk"),
                ] {
                    defaults.insert(name, reqwest::header::HeaderValue::from_static(value));
                }
                http.default_headers(defaults).user_agent("hook-agent/1")
            }))
            .build()
            .unwrap()
    })
    .await;
    assert_the_clients_own(&head, &server);
    assert_eq!(values(&head, "user-agent").len(), 1, "{head}");
    assert!(
        values(&head, "user-agent")[0].starts_with("finpass-rust/"),
        "{head}"
    );
    assert_eq!(values(&head, "x-team"), ["risk"], "{head}");
}

#[tokio::test]
async fn the_upload_keeps_its_multipart_type_and_leaves_its_framing_to_hyper() {
    let server = FaultServer::start(vec![Reply::json(200, serde_json::json!({}))]).await;
    let finpass = client(&server.url(), &Sleeps::default());
    let statement =
        StatementFile::from_bytes("march-2024.pdf", &b"%PDF-1.4 statement"[..]).unwrap();
    // The reply is not a valid upload answer; what was sent is what this test reads.
    let _ = finpass.bsa_upload_statement(statement).await;
    let head = server.requests.lock().unwrap()[0].clone();
    let content_type = values(&head, "content-type");
    assert_eq!(content_type.len(), 1, "{head}");
    assert!(
        content_type[0].starts_with("multipart/form-data; boundary="),
        "{head}"
    );
    assert_eq!(values(&head, "host").len(), 1, "{head}");
    // A streamed body's length is not ours to announce: one framing header, whichever was chosen.
    let length = values(&head, "content-length");
    let chunked = values(&head, "transfer-encoding");
    assert_eq!(length.len() + chunked.len(), 1, "{head}");
    if let [length] = length[..] {
        // The server read as much as announced: the whole form, the statement in it.
        let body = server.bodies.lock().unwrap()[0].clone();
        assert_eq!(length, body.len().to_string(), "{head}");
        let statement = b"%PDF-1.4 statement";
        assert!(
            body.windows(statement.len()).any(|w| w == statement),
            "{head}"
        );
    } else {
        assert_eq!(chunked, ["chunked"], "{head}");
    }
}
