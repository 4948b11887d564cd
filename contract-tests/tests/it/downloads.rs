//! Report links from Fetch PDF Report point at another host: downloading one must never carry the
//! Finpass credentials there. Two loopback servers: the API, and the "object store".

use finpass_client::types;
use httpmock::prelude::*;
use serde_json::json;

use crate::support::{API_KEY, API_SECRET, client};

#[tokio::test]
async fn report_download_sends_no_credentials_to_the_link_host() {
    let api = MockServer::start_async().await;
    let store = MockServer::start_async().await;
    let link = format!(
        "{}/reports/aa_1/HDFC.pdf?X-Amz-Signature=abc",
        store.base_url()
    );
    let listing = api
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v1/services/account-aggregator/fetch-statement-pdf")
                .header("x-api-key", API_KEY)
                .header("x-api-secret", API_SECRET);
            then.status(200).header("content-type", "application/json").json_body(json!({
                "data": {"client_id": "aa_1", "reports": [
                    {"fip_id": "HDFC-FIP", "account_number": "XXXX1234", "status": "READY", "statement_report_link": link}
                ]},
                "status_code": 200, "success": true, "message": "Success", "message_code": "success"
            }));
        })
        .await;
    let leaked = store
        .mock_async(|when, then| {
            when.is_true(|req| {
                req.headers().keys().any(|k| {
                    k.as_str().eq_ignore_ascii_case("x-api-key")
                        || k.as_str().eq_ignore_ascii_case("x-api-secret")
                })
            });
            then.status(500);
        })
        .await;
    let pdf = store
        .mock_async(|when, then| {
            when.method(GET)
                .path("/reports/aa_1/HDFC.pdf")
                .query_param("X-Amz-Signature", "abc");
            then.status(200)
                .header("content-type", "application/pdf")
                .body("%PDF-1.4 report");
        })
        .await;

    let finpass = client(&api);
    let reports = finpass
        .aa_fetch_statement_pdf(types::AaFetchStatementPdfRequest::builder().client_id("aa_1"))
        .await
        .unwrap();
    let link = reports.data.reports[0]
        .statement_report_link
        .as_deref()
        .unwrap();
    let bytes = finpass
        .download_report_allowing_loopback(link)
        .await
        .unwrap();

    assert_eq!(&bytes[..], b"%PDF-1.4 report");
    listing.assert_async().await;
    pdf.assert_async().await;
    leaked.assert_calls_async(0).await;
}

#[tokio::test]
async fn expired_links_and_insecure_links_are_typed_errors() {
    let store = MockServer::start_async().await;
    store
        .mock_async(|when, then| {
            when.any_request();
            then.status(403).body(
                "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
            );
        })
        .await;
    let finpass = client(&store);
    let e = finpass
        .download_report_allowing_loopback(&format!("{}/r.pdf", store.base_url()))
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(403));
    assert!(e.body().unwrap().starts_with(b"<Error>"));
    let e = finpass
        .download_report("http://reports.example.com/r.pdf")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("HTTPS is required"), "{e}");
}
