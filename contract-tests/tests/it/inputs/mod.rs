//! Input validation: a PAN, CIN, LLPIN, mobile number, consent, gender or bureau list that
//! breaks a documented constraint is rejected before anything reaches the wire, with an
//! `InvalidRequest` error naming the field. PAN, CIN and LLPIN in lower case are accepted and sent
//! upper-cased, to every operation (DECISIONS.md, CORP-5).
//!
//! Every rejection runs against a mock that matches any request and must see none. (The BSA upload's
//! file-type check belongs to the handwritten `bsa_upload_statement` and is tested with it.)

use std::future::Future;

use finpass_client::types::{self, MultiBureauBureau};
use finpass_client::{Error, ErrorKind, Finpass};
use finpass_contract::{Spec, Validators};
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::client;

/// Not 10 letters and digits. (`ABCDE12345` or `12345ABCDE` are accepted: the docs promise only
/// "10-character alphanumeric", DECISIONS.md MB-1.)
const PAN_CASES: &[&str] = &[
    "ABCD1234F",   // 9 characters
    "ABCDE1234FG", // 11 characters
    "ABCDE-234F",  // symbol
    "ABCDE 234F",  // inner space
    "ABCDÉ1234F",  // non-ASCII letter
    "",
];
const CIN_CASES: &[&str] = &[
    "U72200MH2009PLC12345",   // 20 characters
    "U72200MH2009PLC1234567", // 22 characters
    "U72200MH2009PLC12345-",  // 21 characters, one a symbol
    "U72200MH2009 LC123456",  // 21 characters, one a space
    "",
];
/// Not the documented `AAA-1234` layout (three letters or digits, a hyphen, four letters or digits;
/// `123-ABCD` is accepted, DECISIONS.md CORP-3).
const LLPIN_CASES: &[&str] = &[
    "AAA1234",   // no hyphen
    "AB-1234",   // two characters before the hyphen
    "AAA-12345", // five after it
    "AAA_1234",  // wrong separator
    "AAA-12-4",  // second hyphen
    "",
];
const MOBILE_CASES: &[&str] = &[
    "999900000",     // 9 digits
    "99990000001",   // 11 digits
    "99990000ab",    // letters
    "+919999000000", // country code
    "99990 00000",   // space
    "",
];

/// `name` occurs in `text` as a whole identifier (so `pan` is not found in `pan_number`).
fn names_field(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        !text[..at].chars().next_back().is_some_and(ident)
            && !text[at + name.len()..].chars().next().is_some_and(ident)
    })
}

/// Runs `call` against a mock that accepts anything, and checks it was refused before the wire:
/// `InvalidRequest`, no status, no attempt, no request seen, and the message names `field`.
/// `value` (personal data) must not be echoed back (test values differ from the shapes the
/// messages give as examples).
async fn assert_rejected<T, F, Fut>(case: &str, field: &str, value: &str, call: F)
where
    T: std::fmt::Debug,
    F: FnOnce(Finpass) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"success": true}));
        })
        .await;
    let outcome = call(client(&server)).await;
    mock.assert_calls_async(0).await;
    let e = match outcome {
        Ok(v) => panic!("{case}: accepted, decoded {v:?}"),
        Err(e) => e,
    };
    let text = e.to_string();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{case}: {text}");
    assert_eq!(e.status(), None, "{case}: {text}");
    assert_eq!(e.attempts(), 0, "{case}: {text}");
    assert!(
        names_field(&text, field),
        "{case}: the error does not name `{field}`: {text}"
    );
    if value.trim().len() >= 4 {
        assert!(
            !text.contains(value.trim()),
            "{case}: the error echoes the rejected value: {text}"
        );
    }
}

fn multi_bureau() -> types::builder::MultiBureauFetchRequest {
    types::MultiBureauFetchRequest::builder()
        .pan("ABCDE1234F")
        .name("Ashok Kumar")
        .mobile_number("9999000000")
        .consent("Y")
        .gender("male")
        .bureaus(vec![
            MultiBureauBureau::Equifax,
            MultiBureauBureau::Experian,
        ])
}

fn aa_initialize() -> types::builder::AaInitializeRequest {
    types::AaInitializeRequest::builder()
        .mobile_number("9999000000")
        .consent_type("loan_underwriting")
}

fn aa_bsa_initialize() -> types::builder::AaBsaInitializeRequest {
    types::AaBsaInitializeRequest::builder().mobile_number("9999000000")
}

fn itr_analyze() -> types::builder::ItrAnalyzeRequest {
    types::ItrAnalyzeRequest::builder()
        .username("ABCDE1234F")
        // An owned `String`: the password is a secret type (`ItrPortalPassword`, DECISIONS.md SEC-1).
        .password(String::from("your_itr_portal_password"))
}

/// Serves the spec's first success example of `op` for exactly `body`, runs `call`, and checks the
/// request arrived once with that body.
async fn assert_sent<T, F, Fut>(op_id: &str, body: Value, call: F)
where
    T: std::fmt::Debug,
    F: FnOnce(Finpass) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let spec = Spec::embedded();
    let op = spec.operation(op_id).unwrap();
    let (status, example) = spec.response_example(&op, None).unwrap();
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(op.method.as_str())
                .path(op.path)
                .header("content-type", "application/json")
                .json_body(body.clone());
            then.status(status)
                .header("content-type", "application/json")
                .json_body(example.clone());
        })
        .await;
    let outcome = call(client(&server)).await;
    mock.assert_calls_async(1).await;
    outcome.unwrap_or_else(|e| panic!("{op_id}: {e}"));
}

/// Sends `body` to `op_id` through the JSON dispatcher (what spec-walking tools use) against a mock
/// that accepts anything; the request must be refused before the wire, as `InvalidRequest` with no
/// attempt. Returns the error for the caller's own checks of its message.
async fn refused_by_the_dispatcher(op_id: &str, body: Value) -> Error {
    let server = MockServer::start_async().await;
    let mock = crate::support::any_request(&server).await;
    let e = client(&server)
        .call_by_operation_id(op_id, json!({ "body": body }))
        .await
        .expect("generated")
        .expect_err(&format!("{op_id}: {body} accepted"));
    mock.assert_calls_async(0).await;
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{op_id}: {e}");
    assert_eq!(e.attempts(), 0, "{op_id}: {e}");
    e
}

mod identifiers;
mod multi_bureau;
