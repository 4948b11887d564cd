//! Personal data in `Debug`, as an application sees it (public API only): `{:?}` of an AA Initialize
//! request builder, of the request, of the decoded response and of `Response<T>` shows the journey's
//! `client_id` but none of the mobile number, PAN or e-mail; `Reveal` is the one way to print them.

use crate::support;

use finpass_client::{Reveal, types};
use serde_json::json;
use support::{FaultServer, Reply, Sleeps};

const MOBILE: &str = "9876543210";
const PAN: &str = "ABCDE1234F";
const EMAIL: &str = "ravi.k@example.in";
const CLIENT_ID: &str = "aa_6989cbcf_a136a4017";

fn assert_hidden(what: &str, shown: &str) {
    for value in [MOBILE, PAN, EMAIL, "ravi.k", "98765"] {
        assert!(!shown.contains(value), "{what} shows `{value}`: {shown}");
    }
}

fn request() -> types::builder::AaInitializeRequest {
    types::AaInitializeRequest::builder()
        .mobile_number(MOBILE)
        .pan_number(PAN)
        .email(EMAIL)
        .consent_type("loan_underwriting")
}

fn response_body() -> serde_json::Value {
    json!({
        "data": {"client_id": CLIENT_ID, "mobile_number": MOBILE, "pan_number": PAN, "email_id": EMAIL,
                 "redirect_url": "https://webvwlive.finvu.in/onboarding?fi=x"},
        "status_code": 200, "success": true, "message": "Success", "message_code": "success"
    })
}

#[test]
fn the_request_builder_and_the_request_show_their_categories_not_the_person() {
    let builder = request();
    let shown = format!("{builder:?} {builder:#?}");
    assert_hidden("the builder", &shown);
    assert!(
        shown.contains("<redacted: contact>") && shown.contains("<redacted: identifier>"),
        "{shown}"
    );
    // Non-personal fields are shown as before.
    assert!(shown.contains("LoanUnderwriting"), "{shown}");

    let request = types::AaInitializeRequest::try_from(builder).unwrap();
    assert_hidden("the request", &format!("{request:?} {request:#?}"));
    let revealed = format!("{:?}", Reveal(&request));
    for value in [MOBILE, PAN, EMAIL] {
        assert!(revealed.contains(value), "{revealed}");
    }
}

#[test]
fn a_decoded_response_shows_the_client_id_and_hides_the_person() {
    let response: types::AaInitializeResponse = serde_json::from_value(response_body()).unwrap();
    let shown = format!("{response:?} {response:#?}");
    assert!(shown.contains(CLIENT_ID), "{shown}");
    assert_hidden("the response", &shown);
    // A null optional value stays visible as `None`: presence is not personal data.
    let absent: types::AaInitializeData = serde_json::from_value(json!({
        "client_id": CLIENT_ID, "mobile_number": MOBILE, "pan_number": null, "email_id": null,
        "redirect_url": "https://example.test"}))
    .unwrap();
    assert!(
        format!("{absent:?}").contains("pan_number: None"),
        "{absent:?}"
    );
    // The values are all there, for a caller who asks.
    assert_eq!(response.data.mobile_number, MOBILE);
    assert!(format!("{:#?}", Reveal(&response)).contains(EMAIL));
}

#[tokio::test]
async fn response_metadata_wrapper_shows_the_same_redacted_value() {
    let server = FaultServer::start(vec![Reply::json(200, response_body())]).await;
    let finpass = support::client(&server.url(), &Sleeps::default());
    let response = finpass
        .aa_initialize(request())
        .with_response()
        .await
        .unwrap();
    let shown = format!("{response:?}");
    assert!(
        shown.contains(CLIENT_ID) && shown.contains("200"),
        "{shown}"
    );
    assert_hidden("Response<T>", &shown);
}

#[test]
fn undocumented_members_keep_their_keys_and_hide_their_values() {
    let bureau: types::MultiBureauFetchResponse = serde_json::from_value(json!({
        "status": "completed",
        "cibil": {"score": 781, "name": "Ravi Kumar", "pan": PAN},
        "mobile": MOBILE
    }))
    .unwrap();
    let shown = format!("{bureau:?}");
    assert!(
        shown.contains("\"cibil\": \"<redacted: credit>\""),
        "{shown}"
    );
    assert!(shown.contains("completed"), "{shown}");
    assert_hidden("the bureau response", &shown);
    assert!(!shown.contains("781") && !shown.contains("Ravi"), "{shown}");
}
