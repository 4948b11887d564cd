//! No personal data in errors, black-box: malformed 2xx bodies, 4xx HTML pages and 5xx bodies full of
//! canary PANs, mobile numbers and e-mail addresses go through the real call path, and none of those
//! values may appear in the error's `Display`, `Debug` (plain and pretty), its source chain, or any
//! tracing output at TRACE (this binary's subscriber captures everything, reqwest and hyper included).
//! The raw bytes stay available through `body()`.

use crate::support;

use finpass_client::ErrorKind;
use serde_json::json;
use support::{ALL, Op, Reply, everything_shown, failure, trace_log};

const PAN: &str = "ABCDE1234F";
const MOBILE: &str = "9876543210";
const EMAIL: &str = "ravi.k@example.in";
const NAME: &str = "Ravikumar Sundaresan";

fn assert_no_personal_data(what: &str, text: &str) {
    for canary in [
        PAN,
        MOBILE,
        EMAIL,
        NAME,
        "ravi.k@",
        "98765432",
        "Sundaresan",
    ] {
        assert!(!text.contains(canary), "{what} shows `{canary}`: {text}");
    }
}

/// A 2xx body of the wrong shape whose wrongly typed values are the personal data itself, so that a
/// serde message would quote them: `success` is a boolean for the envelopes, `status` a string for the
/// bureau response.
fn malformed_2xx() -> serde_json::Value {
    json!({
        "success": format!("{PAN} {EMAIL}"),
        "status": 9_876_543_210u64,
        "status_code": MOBILE,
        "message": format!("Dear {NAME}, your PAN {PAN} is linked to {MOBILE}"),
        "message_code": MOBILE,
        "data": {"pan": PAN, "mobile_number": MOBILE, "email": EMAIL, "name": NAME,
                 "by_pan": {PAN: MOBILE}},
    })
}

#[tokio::test]
async fn a_malformed_2xx_keeps_status_200_and_shows_none_of_its_values() {
    let log = trace_log();
    for op in ALL {
        let body = malformed_2xx().to_string();
        let (_, err) = failure(
            op,
            vec![Reply::raw(200, "application/json", body.as_bytes())],
        )
        .await;
        assert_eq!(err.kind(), ErrorKind::Decode, "{op:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        let shown = everything_shown(&err);
        assert!(shown.contains("200"), "{shown}");
        assert_no_personal_data(&format!("{op:?} error"), &shown);
        // On purpose, the caller still gets the exact bytes.
        assert_eq!(err.body(), Some(body.as_bytes()));
    }
    let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    assert!(
        text.contains("finpass.attempt"),
        "the capture works: {text}"
    );
    assert_no_personal_data("trace output", &text);
}

#[tokio::test]
async fn error_pages_and_5xx_bodies_show_only_the_envelope_fields() {
    let log = trace_log();
    let html = format!(
        "<!DOCTYPE html><html><body><h1>Request blocked</h1><p>{NAME} / {PAN} / {MOBILE} / {EMAIL}</p></body></html>"
    );
    let envelope = json!({"success": false, "message": "Internal error", "message_code": "E500",
        "data": {"pan": PAN, "mobile_number": MOBILE, "email": EMAIL}});
    let replies = [
        (403, Reply::raw(403, "text/html", html.as_bytes())),
        (404, Reply::raw(404, "text/html", html.as_bytes())),
        (
            500,
            Reply::raw(
                500,
                "text/plain",
                format!("upstream failed for {EMAIL}").as_bytes(),
            ),
        ),
        (502, Reply::raw(502, "text/html", html.as_bytes())),
        (503, Reply::json(503, envelope)),
    ];
    for (status, reply) in replies {
        for op in ALL {
            let (_, err) = failure(op, vec![reply.clone()]).await;
            assert_eq!(err.kind(), ErrorKind::Api, "{status} {op:?}: {err}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            let shown = everything_shown(&err);
            assert_no_personal_data(&format!("{status} {op:?} error"), &shown);
            if status == 503 {
                // The documented fields of an error envelope are what the caller needs to act on.
                assert!(
                    shown.contains("Internal error") && shown.contains("E500"),
                    "{shown}"
                );
            }
            if status == 403 {
                assert!(shown.contains("HTML body"), "{shown}");
            }
        }
    }
    let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    assert_no_personal_data("trace output", &text);
}

#[tokio::test]
async fn an_envelope_message_in_an_error_status_is_still_shown() {
    // The rule hides values, not the envelope: `message` and `message_code` of a 4xx are documented.
    let envelope = json!({"success": false, "message": "mobile_number is invalid", "message_code": "INVALID_MOBILE"});
    let (_, err) = failure(Op::AaInitialize, vec![Reply::json(422, envelope)]).await;
    let shown = err.to_string();
    assert!(
        shown.contains("mobile_number is invalid") && shown.contains("INVALID_MOBILE"),
        "{shown}"
    );
}
