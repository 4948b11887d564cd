//! Headers a page requires that OpenAPI 3.0 cannot declare, the operation's
//! `x-finpass.required-headers`: BSA Statement Result's `Content-Type: application/json` on a GET
//! without a body (DECISIONS.md, BSA-7). The client sends them, the mock refuses a call without them,
//! and the exported spec keeps the marker for other languages.

use finpass_client::test_util::{MOCK_API_KEY, MOCK_API_SECRET, MockFinpass};
use finpass_contract::Spec;
use serde_json::{Value, json};

const POINTER: &str =
    "/paths/~1api~1v1~1services~1bsa~1statement-result/get/x-finpass/required-headers";

#[tokio::test]
async fn the_client_sends_the_statement_results_content_type_and_no_body() {
    let mock = MockFinpass::start().await.unwrap();
    mock.client()
        .bsa_statement_result("bank_statement_69753dcc_5b1c0a7e")
        .await
        .expect("the mock answers a call with the header");
    let sent = mock.requests_to("bsa_statement_result");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "GET");
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
    assert!(
        sent[0].body.is_empty(),
        "a GET body is dropped by proxies (HTTP-1)"
    );

    // A GET whose page asks for no content type still sends none (AABSA-2).
    mock.client()
        .aa_bsa_status("bsa_clnt_a1b2c3d4e5f6")
        .await
        .unwrap();
    assert_eq!(
        mock.requests_to("aa_bsa_status")[0].header("content-type"),
        None
    );
}

#[tokio::test]
async fn the_mock_answers_a_statement_result_without_the_header_with_its_422() {
    let mock = MockFinpass::start().await.unwrap();
    let url = format!(
        "{}/api/v1/services/bsa/statement-result?client_id=bank_statement_69753dcc_5b1c0a7e",
        mock.base_url()
    );
    let http = reqwest::Client::new();
    let get = |content_type: Option<&'static str>| {
        let mut request = http
            .get(&url)
            .header("x-api-key", MOCK_API_KEY)
            .header("x-api-secret", MOCK_API_SECRET);
        if let Some(value) = content_type {
            request = request.header("content-type", value);
        }
        request.send()
    };

    let refused = get(None).await.unwrap();
    assert_eq!(refused.status(), 422);
    let violations = refused.headers()["x-finpass-mock-violations"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        violations.contains("Content-Type") && violations.contains("application/json"),
        "{violations}"
    );
    let wrong = get(Some("text/plain")).await.unwrap();
    assert_eq!(wrong.status(), 422);
    let accepted = get(Some("application/json; charset=utf-8")).await.unwrap();
    assert_eq!(accepted.status(), 200);
}

#[test]
fn the_exported_spec_keeps_the_required_header() {
    let exports: [(&str, Value); 3] = [
        (
            "finpass.json",
            serde_json::from_str(include_str!("../../../openapi/dist/finpass.json")).unwrap(),
        ),
        (
            "finpass.3.1.json",
            serde_json::from_str(include_str!("../../../openapi/dist/finpass.3.1.json")).unwrap(),
        ),
        (
            "finpass.yaml",
            Spec::from_yaml(include_str!("../../../openapi/dist/finpass.yaml"))
                .unwrap()
                .doc()
                .clone(),
        ),
    ];
    for (file, doc) in exports {
        let headers = doc
            .pointer(POINTER)
            .unwrap_or_else(|| panic!("{file}: no {POINTER}"));
        assert_eq!(headers[0]["name"], json!("Content-Type"), "{file}");
        assert_eq!(headers[0]["value"], json!("application/json"), "{file}");
    }
}
