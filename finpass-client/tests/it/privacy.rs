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
async fn error_pages_and_5xx_bodies_show_only_the_envelope_codes() {
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
                // The code is what the caller acts on; of the message, only words the spec's own
                // messages use are shown (none here), and the error says that it hid some.
                assert!(
                    shown.contains("E500") && shown.contains("[partly hidden"),
                    "{shown}"
                );
                assert_eq!(err.message(), Some("Internal error"));
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
async fn an_envelope_message_shows_its_documented_words_and_hides_the_rest() {
    // A documented message is shown as it is, with its code.
    let envelope = json!({"success": false, "message": "Invalid Mobile Number", "message_code": "invalid_mobile_number"});
    let (_, err) = failure(Op::AaInitialize, vec![Reply::json(422, envelope)]).await;
    let shown = err.to_string();
    assert!(
        shown.contains(": Invalid Mobile Number") && shown.contains("invalid_mobile_number"),
        "{shown}"
    );
    assert!(!shown.contains("partly hidden"), "{shown}");
    // A message that echoes a person's data keeps only the words the spec's messages use
    // (DECISIONS.md, PD-2); the full text is one deliberate call away.
    let message = format!("No journey found for {MOBILE} ({NAME}, {EMAIL}, PAN {PAN})");
    let envelope = json!({"success": false, "message": message, "message_code": "not_found"});
    let (_, err) = failure(Op::AaBsaStatus, vec![Reply::json(404, envelope)]).await;
    let shown = everything_shown(&err);
    assert_no_personal_data("error", &shown);
    assert!(
        shown.contains("No journey found for …") && shown.contains("PAN …)"),
        "{shown}"
    );
    assert!(
        err.to_string()
            .contains("[partly hidden: see Error::message()]"),
        "{err}"
    );
    assert_eq!(err.message(), Some(message.as_str()));
    let revealed = format!("{}", finpass_client::Reveal(&err));
    assert!(
        revealed.contains(MOBILE) && revealed.contains(NAME),
        "{revealed}"
    );
}
