//! Every `Error` kind built with `ErrorBuilder` and matched as a consumer's error handling would.

use std::time::Duration;

use finpass_client::test_util::ErrorBuilder;
use finpass_client::{Error, ErrorKind};

const KINDS: [ErrorKind; 10] = [
    ErrorKind::Config,
    ErrorKind::InvalidRequest,
    ErrorKind::Api,
    ErrorKind::RateLimited,
    ErrorKind::Decode,
    ErrorKind::Connect,
    ErrorKind::Timeout,
    ErrorKind::Transport,
    ErrorKind::ResponseTooLarge,
    ErrorKind::WaitDeadline,
];

/// What a consumer might do with each kind.
fn handle(e: &Error) -> &'static str {
    match e.kind() {
        ErrorKind::Config => "fix configuration",
        ErrorKind::InvalidRequest => "fix input",
        ErrorKind::Api if e.code() == Some("invalid_mobile_number") => "ask for another number",
        ErrorKind::Api => "report",
        ErrorKind::RateLimited => "back off",
        ErrorKind::Decode => "alert: contract drift",
        ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::Transport => "retry later",
        ErrorKind::ResponseTooLarge => "raise the cap",
        ErrorKind::WaitDeadline => "poll again later",
        _ => "unknown",
    }
}

#[test]
fn every_error_kind_can_be_built_and_matched() {
    let handled: Vec<_> = KINDS
        .iter()
        .map(|kind| {
            let e = ErrorBuilder::new(*kind).operation("aa_initialize").build();
            assert_eq!((e.kind(), e.operation()), (*kind, Some("aa_initialize")));
            assert!(e.to_string().starts_with("aa_initialize: "), "{e}");
            handle(&e)
        })
        .collect();
    assert_eq!(
        handled,
        [
            "fix configuration",
            "fix input",
            "report",
            "back off",
            "alert: contract drift",
            "retry later",
            "retry later",
            "retry later",
            "raise the cap",
            "poll again later"
        ]
    );
    let mobile = ErrorBuilder::new(ErrorKind::Api)
        .status(422)
        .message("Invalid Mobile Number")
        .message_code("invalid_mobile_number")
        .build();
    assert_eq!(handle(&mobile), "ask for another number");
}

#[test]
fn every_field_is_read_back_through_the_accessors() {
    let e = ErrorBuilder::new(ErrorKind::RateLimited)
        .operation("multi_bureau_fetch")
        .status(429)
        .message("Rate limit exceeded")
        .message_code("rate_limit_exceeded")
        .error_code("E429")
        .attempts(3)
        .retryable(true)
        .retry_after(Duration::from_secs(120))
        .request_id("req-7")
        .build();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        (e.message(), e.message_code(), e.error_code()),
        (
            Some("Rate limit exceeded"),
            Some("rate_limit_exceeded"),
            Some("E429")
        )
    );
    assert_eq!(
        (e.attempts(), e.is_retryable(), e.retry_after()),
        (3, true, Some(Duration::from_secs(120)))
    );
    assert_eq!((e.request_id(), e.body()), (Some("req-7"), None));
    let shown = e.to_string();
    assert!(
        shown.contains("HTTP 429")
            && shown.contains("asks for 120 s")
            && shown.contains("after 3 attempts"),
        "{shown}"
    );
}

#[test]
fn a_built_error_hides_body_values_as_a_real_one_does() {
    let body = r#"{"success": true, "data": {"pan": "ABCDE1234F", "mobile_number": "9876543210"}}"#;
    let e = ErrorBuilder::new(ErrorKind::Decode)
        .status(200)
        .body(body)
        .build();
    let shown = format!("{e} {e:?} {e:#?}");
    assert!(
        !shown.contains("ABCDE1234F") && !shown.contains("9876543210"),
        "{shown}"
    );
    assert_eq!(e.body(), Some(body.as_bytes()), "still readable on purpose");
    let api = ErrorBuilder::new(ErrorKind::Api)
        .status(404)
        .body(r#"{"success": false, "message": "not found", "message_code": "not_found"}"#)
        .build();
    assert_eq!(
        (api.message(), api.code()),
        (Some("not found"), Some("not_found"))
    );
}
