//! Unit tests of `Error`: what `Display` and `Debug` show, and never show.

use super::*;

const PAN: &str = "ABCDE1234F";
const MOBILE: &str = "9876543210";
const EMAIL: &str = "ravi.k@example.in";

fn failed(status: u16, kind: ErrorKind, body: String) -> Error {
    let mut e = Error::new(kind, "call failed");
    e.status = Some(StatusCode::from_u16(status).unwrap());
    e.api = ApiFields::from_body(body.as_bytes());
    e.body = Some(Bytes::from(body));
    e
}

fn shown(e: &Error) -> String {
    format!("{e} | {e:?} | {e:#?}")
}

#[test]
fn a_2xx_body_never_shows_any_of_its_values() {
    let body = format!(
        r#"{{"success": true, "message": "PAN {PAN}", "message_code": "{MOBILE}", "data": {{"email": "{EMAIL}"}}}}"#
    );
    let e = failed(200, ErrorKind::Decode, body.clone());
    let text = shown(&e);
    for canary in [PAN, MOBILE, EMAIL] {
        assert!(!text.contains(canary), "{canary}: {text}");
    }
    assert!(
        text.contains("HTTP 200")
            && text.contains(&format!("a {}-byte JSON-like body", body.len())),
        "{text}"
    );
    assert_eq!(
        e.body(),
        Some(body.as_bytes()),
        "the raw bytes stay available"
    );
    assert_eq!(
        e.message(),
        Some(&*format!("PAN {PAN}")),
        "and so do the accessors"
    );
}

#[test]
fn error_statuses_show_the_envelope_fields_and_nothing_else() {
    let body = format!(
        r#"{{"success": false, "message": "Invalid Mobile Number {MOBILE}", "message_code": "INVALID_MOBILE", "data": {{"mobile_number": "{MOBILE}"}}}}"#
    );
    let text = shown(&failed(422, ErrorKind::Api, body));
    // The message's documented words and the code; the echoed number is hidden (DECISIONS.md, PD-2).
    assert!(
        text.contains("Invalid Mobile Number …") && text.contains("INVALID_MOBILE"),
        "{text}"
    );
    assert!(!text.contains(MOBILE), "{text}");
    let html = format!("<html><body>Blocked request for {EMAIL} / {PAN}</body></html>");
    let text = shown(&failed(502, ErrorKind::Api, html.clone()));
    assert!(
        !text.contains(EMAIL) && !text.contains(PAN) && !text.contains("Blocked"),
        "{text}"
    );
    assert!(
        text.contains(&format!("a {}-byte HTML body", html.len())),
        "{text}"
    );
    // A 2xx body is never shown, not even the message of a `success: false` envelope; the
    // accessor still returns it for whoever asks on purpose.
    let error = failed(
        200,
        ErrorKind::Api,
        r#"{"success": false, "message": "consent rejected"}"#.into(),
    );
    let text = shown(&error);
    assert!(!text.contains("consent rejected"), "{text}");
    assert_eq!(error.message(), Some("consent rejected"));
}

#[test]
fn a_serde_source_keeps_only_its_value_free_message() {
    let serde = serde_json::from_str::<u64>(&format!("\"{MOBILE}\"")).unwrap_err();
    assert!(
        serde.to_string().contains(MOBILE),
        "the premise: serde quotes the value"
    );
    let e = Error::new(ErrorKind::Decode, "bad").with_source(serde);
    let mut text = shown(&e);
    text.push_str(&std::error::Error::source(&e).unwrap().to_string());
    assert!(!text.contains(MOBILE), "{text}");
    assert!(
        text.contains("invalid type: string, expected u64"),
        "{text}"
    );
}

#[test]
fn an_unreadable_retry_after_is_named_in_the_message() {
    let mut e = failed(429, ErrorKind::RateLimited, String::new());
    e.retry_after = Some(Duration::MAX);
    assert!(
        e.to_string().contains("Retry-After could not be read"),
        "{e}"
    );
    e.retry_after = Some(Duration::from_secs(120));
    assert!(e.to_string().contains("asks for 120 s"), "{e}");
}

#[test]
fn api_fields_ignore_wrong_types_instead_of_failing() {
    let f = ApiFields::from_body(br#"{"message": 3, "message_code": "x", "success": "no"}"#);
    assert_eq!(f.message, None);
    assert_eq!(f.message_code.as_deref(), Some("x"));
    assert_eq!(f.success, None);
    assert_eq!(ApiFields::from_body(b"<html>"), ApiFields::default());
}
