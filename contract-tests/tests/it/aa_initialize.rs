//! The wire contract of AA Initialize, both directions: what the client sends (method, path, both
//! credentials, content type, exact JSON body) and what it makes of every documented response.

use finpass_client::{ErrorKind, types};
use finpass_contract::Spec;
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::{API_KEY, API_SECRET, client, error_summary};

const PATH: &str = "/api/v1/services/account-aggregator/init";

fn minimal_request() -> types::builder::AaInitializeRequest {
    types::AaInitializeRequest::builder()
        .mobile_number("9999000000")
        .consent_type("loan_underwriting")
}

/// The request example the docs' curl sample sends, which is also what `minimal_request` must produce.
fn documented_minimal_body() -> Value {
    let spec = Spec::embedded();
    let ex = spec
        .examples()
        .into_iter()
        .find(|e| e.operation == "aa_initialize" && e.name == "curl_minimal")
        .unwrap();
    ex.value.clone()
}

/// Serves `status` with the spec's example `name` for the exact documented request.
async fn serve<'a>(server: &'a MockServer, name: &str) -> (httpmock::Mock<'a>, u16) {
    let spec = Spec::embedded();
    let op = spec.operation("aa_initialize").unwrap();
    let (status, body) = spec
        .named_response_example(&op, name)
        .expect("example exists");
    let body = body.clone();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(PATH)
                .header("x-api-key", API_KEY)
                .header("x-api-secret", API_SECRET)
                .header("content-type", "application/json")
                .json_body(documented_minimal_body());
            then.status(status)
                .header("content-type", "application/json")
                .json_body(body);
        })
        .await;
    (mock, status)
}

#[tokio::test]
async fn aa_initialize_minimal_request_sends_only_what_was_set() {
    let request: types::AaInitializeRequest = minimal_request().try_into().unwrap();
    let sent = serde_json::to_value(&request).unwrap();
    assert_eq!(
        sent,
        documented_minimal_body(),
        "absent optional fields must not be sent, not even as \"\""
    );
    insta::assert_json_snapshot!("aa_initialize_request_body", sent);
}

#[tokio::test]
async fn aa_initialize_200_decodes_into_the_typed_envelope() {
    for example in ["success", "success_long_client_id"] {
        let server = MockServer::start_async().await;
        let (mock, _) = serve(&server, example).await;
        let journey = client(&server)
            .aa_initialize(minimal_request())
            .await
            .expect("documented 200");
        mock.assert_async().await;
        assert!(journey.success);
        assert_eq!(journey.data.pan_number, None);
        // The decoded values themselves (documented example data), so revealed on purpose; the
        // redacted `Debug` is tested in `personal_debug`.
        let journey = finpass_client::Reveal(&journey);
        insta::assert_debug_snapshot!(format!("aa_initialize_{example}"), journey);
    }
}

#[tokio::test]
async fn aa_initialize_documented_errors_keep_status_and_message_code() {
    for (example, status, code) in [
        ("unauthorized", 401, "unauthorized"),
        ("invalid_mobile_number", 422, "invalid_mobile_number"),
        ("rate_limited", 429, "rate_limit_exceeded"),
    ] {
        let server = MockServer::start_async().await;
        let (mock, served) = serve(&server, example).await;
        assert_eq!(served, status);
        let error = client(&server)
            .aa_initialize(minimal_request())
            .await
            .unwrap_err();
        mock.assert_async().await;
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.message_code(), Some(code));
        // A final 429 is a rate limit, every other error status an API error.
        let kind = if status == 429 {
            ErrorKind::RateLimited
        } else {
            ErrorKind::Api
        };
        assert_eq!(error.kind(), kind);
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains(API_SECRET) && !shown.contains(API_KEY),
            "credentials leaked: {shown}"
        );
        insta::assert_json_snapshot!(
            format!("aa_initialize_error_{status}"),
            error_summary(&error)
        );
    }
}

#[tokio::test]
async fn invalid_mobile_number_never_reaches_the_wire() {
    let server = MockServer::start_async().await;
    let mock = crate::support::any_request(&server).await;
    for bad in ["12345", "99990000001", "99990000ab", ""] {
        let request = types::AaInitializeRequest::builder()
            .mobile_number(bad)
            .consent_type("loan_underwriting");
        let error = client(&server).aa_initialize(request).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{bad}: {error}");
        assert!(
            error.to_string().contains("mobile_number"),
            "the error must name the field: {error}"
        );
        assert_eq!(error.attempts(), 0);
    }
    let missing = types::AaInitializeRequest::builder().mobile_number("9999000000");
    let error = client(&server).aa_initialize(missing).await.unwrap_err();
    assert!(error.to_string().contains("consent_type"), "{error}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn responses_that_break_the_contract_are_typed_errors_with_their_status() {
    let cases: [(u16, &str, Value, ErrorKind); 6] = [
        (
            200,
            "application/json",
            json!({"data": {"client_id": 5}, "success": true}),
            ErrorKind::Decode,
        ),
        (
            200,
            "application/json",
            json!({"status_code": 200, "success": true, "message": "ok", "message_code": "ok"}),
            ErrorKind::Decode,
        ),
        (
            200,
            "text/html",
            json!("<html><body>Bad gateway</body></html>"),
            ErrorKind::Decode,
        ),
        (401, "text/html", json!("<html>401</html>"), ErrorKind::Api),
        (
            502,
            "text/html",
            json!("<html><body>502 Bad Gateway</body></html>"),
            ErrorKind::Api,
        ),
        (
            200,
            "application/json",
            json!({"data": null, "success": false, "message": "Consent service down", "status_code": 200, "message_code": "x"}),
            ErrorKind::Api,
        ),
    ];
    let mut seen = Vec::new();
    for (status, content_type, body, kind) in cases {
        let server = MockServer::start_async().await;
        let raw = match &body {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        server
            .mock_async(|when, then| {
                when.method(POST).path(PATH);
                then.status(status)
                    .header("content-type", content_type)
                    .body(raw.clone());
            })
            .await;
        let error = client(&server)
            .aa_initialize(minimal_request())
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{error}");
        assert_eq!(error.kind(), kind, "{status} {raw}: {error}");
        assert_eq!(error.body(), Some(raw.as_bytes()), "the raw body is kept");
        seen.push(json!({"served": status, "content_type": content_type, "error": error_summary(&error), "display": error.to_string()}));
    }
    insta::assert_json_snapshot!("aa_initialize_contract_breaks", seen);
}
