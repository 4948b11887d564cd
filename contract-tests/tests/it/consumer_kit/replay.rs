//! A retry sends the same request again. A call keeps its converted input, not its request, and
//! builds each retry's request from it: these tests hold the rebuilt request to the first one, body
//! and headers, including the client value's own headers and the ones the operation requires.

use finpass_client::test_util::{MockFinpass, Reply, Rule};
use finpass_client::types;

/// A mock whose `operation` answers one 503 (reads are retried), then the spec's answer. The last
/// rule added answers first, so the 503 is added last.
async fn one_503_then_the_answer(operation: &str) -> MockFinpass {
    let mock = MockFinpass::start().await.unwrap();
    mock.add(Rule::new(operation).reply(Reply::spec_default()))
        .unwrap();
    mock.add(Rule::new(operation).times(1).reply(Reply::status(503)))
        .unwrap();
    mock
}

#[tokio::test]
async fn a_retried_post_sends_the_same_body_and_headers_again() {
    let mock = one_503_then_the_answer("aa_fetch_json_report").await;
    let tagged = mock
        .client()
        .with_header("x-correlation-id", "loan-7")
        .unwrap();
    let body = types::AaFetchJsonReportRequest::builder()
        .client_id("aa_clnt_a1b2c3")
        .request_id("req_9f8e7d");

    let report = tagged
        .aa_fetch_json_report(body)
        .with_response()
        .await
        .unwrap();

    assert_eq!(report.attempts(), 2, "the 503, then the answer");
    let sent = mock.requests_to("aa_fetch_json_report");
    assert_eq!(sent.len(), 2);
    let json = sent[0].json.as_ref().expect("a JSON body");
    assert_eq!(json["client_id"], "aa_clnt_a1b2c3");
    assert_eq!(json["request_id"], "req_9f8e7d");
    assert_eq!(sent[1].body, sent[0].body, "the retry's body");
    assert_eq!(sent[1].headers, sent[0].headers, "the retry's headers");
    assert_eq!(sent[1].header("x-correlation-id"), Some("loan-7"));
}

#[tokio::test]
async fn a_retried_call_keeps_the_header_its_operation_requires() {
    let mock = one_503_then_the_answer("bsa_statement_result").await;

    let result = mock
        .client()
        .bsa_statement_result("bsa_clnt_a1b2c3")
        .with_response()
        .await
        .unwrap();

    assert_eq!(result.attempts(), 2, "the 503, then the answer");
    let sent = mock.requests_to("bsa_statement_result");
    assert_eq!(sent.len(), 2);
    for request in &sent {
        // The page requires it on this GET (DECISIONS.md BSA-7); the mock refuses a request without it.
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            request.query_param("client_id").as_deref(),
            Some("bsa_clnt_a1b2c3")
        );
    }
    assert_eq!(sent[1].headers, sent[0].headers);
}
