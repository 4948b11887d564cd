//! What a request carries on the wire. The client copies its own headers into each request
//! (`Host` and `Content-Length` among them, which hyper would otherwise add): each must arrive
//! once, with the value hyper would have written, over HTTP/1.1.

use crate::support;

use finpass_client::StatementFile;
use support::{ALL, API_KEY, CANARY_SECRET, FaultServer, Op, Reply, Sleeps, client};

/// The values of header `name` in a lower-cased request head.
fn values<'h>(head: &'h str, name: &str) -> Vec<&'h str> {
    let prefix = format!("{name}:");
    head.lines()
        .filter_map(|line| line.strip_prefix(prefix.as_str()))
        .map(str::trim)
        .collect()
}

/// The one request `op` sends to a server that answers it, and its body.
async fn sent(op: Op, extra: Option<(&str, &str)>) -> (FaultServer, String, Vec<u8>) {
    let server = FaultServer::start(vec![Reply::json(200, op.success_body())]).await;
    let mut finpass = client(&server.url(), &Sleeps::default());
    if let Some((name, value)) = extra {
        finpass = finpass.with_header(name, value).unwrap();
    }
    op.run(&finpass).await.unwrap();
    let head = server.requests.lock().unwrap()[0].clone();
    let body = server.bodies.lock().unwrap()[0].clone();
    (server, head, body)
}

#[tokio::test]
async fn every_operation_sends_each_header_once_with_host_and_length_its_own() {
    for op in ALL {
        let (server, head, body) = sent(op, None).await;
        let case = format!("{op:?}: {head}");
        let request_line = head.lines().next().unwrap_or_default();
        assert!(request_line.ends_with(" http/1.1"), "{case}");
        let host = format!("127.0.0.1:{}", server.port);
        assert_eq!(values(&head, "host"), [host.as_str()], "{case}");
        assert_eq!(
            values(&head, "x-api-key"),
            [API_KEY.to_ascii_lowercase()],
            "{case}"
        );
        let secret = CANARY_SECRET.to_ascii_lowercase();
        assert_eq!(values(&head, "x-api-secret"), [secret], "{case}");
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
    let (_server, head, _) = sent(Op::AaInitialize, Some(("x-correlation-id", "loan-7"))).await;
    assert_eq!(values(&head, "x-correlation-id"), ["loan-7"], "{head}");
    assert_eq!(
        values(&head, "content-type"),
        ["application/json"],
        "{head}"
    );
    assert_eq!(values(&head, "host").len(), 1, "{head}");
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
    // A streamed body's length is not ours to announce: one framing header, whichever hyper chose.
    let framing = values(&head, "content-length").len() + values(&head, "transfer-encoding").len();
    assert_eq!(framing, 1, "{head}");
}
