//! Input validation (issue 3): a PAN, CIN, LLPIN, mobile number, consent, gender or bureau list that
//! breaks a documented constraint is rejected before anything reaches the wire, with an
//! `InvalidRequest` error naming the field. PAN, CIN and LLPIN in lower case are accepted and sent
//! upper-cased (the corporate pages say the server upper-cases them).
//!
//! Every rejection runs against a mock that matches any request and must see none. (The BSA upload's
//! file-type check belongs to the handwritten `bsa_upload_statement` and is tested with it.)

use std::future::Future;

use finpass_client::types::{self, MultiBureauBureau};
use finpass_client::{Error, ErrorKind, Finpass};
use finpass_contract::Spec;
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::client;

const PAN_CASES: &[&str] = &[
    "ABCDE12345",  // last character a digit
    "ABCD1234F",   // 9 characters
    "ABCDE1234FG", // 11 characters
    "12345ABCDE",  // digits first
    "ABCDE-234F",  // symbol
    "",
];
const CIN_CASES: &[&str] = &[
    "U72200MH2009PLC12345",   // 20 characters
    "U72200MH2009PLC1234567", // 22 characters
    "U72200MH2009PLC12345-",  // 21 characters, one a symbol
    "U72200MH2009 LC123456",  // 21 characters, one a space
    "",
];
const LLPIN_CASES: &[&str] = &[
    "AAA1234",   // no hyphen
    "AB-1234",   // two letters
    "AAA-12345", // five digits
    "AAA_1234",  // wrong separator
    "123-ABCD",  // swapped
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
        .password("your_itr_portal_password")
}

#[tokio::test]
async fn malformed_pans_are_rejected_before_the_wire_naming_the_field() {
    for &pan in PAN_CASES {
        assert_rejected(
            &format!("multi_bureau_fetch pan {pan:?}"),
            "pan",
            pan,
            |f| async move { f.multi_bureau_fetch(multi_bureau().pan(pan)).await },
        )
        .await;
        assert_rejected(
            &format!("corporate_pan_lookup {pan:?}"),
            "pan",
            pan,
            |f| async move {
                f.corporate_pan_lookup(types::CorporatePanLookupRequest::builder().pan(pan))
                    .await
            },
        )
        .await;
        // The ITR login is the taxpayer's PAN, under the name `username`.
        assert_rejected(
            &format!("itr_analyze username {pan:?}"),
            "username",
            pan,
            |f| async move { f.itr_analyze(itr_analyze().username(pan)).await },
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_cins_are_rejected_before_the_wire_naming_the_field() {
    for &cin in CIN_CASES {
        assert_rejected(
            &format!("corporate_cin_lookup {cin:?}"),
            "cin",
            cin,
            |f| async move {
                f.corporate_cin_lookup(types::CorporateCinLookupRequest::builder().cin(cin))
                    .await
            },
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_llpins_are_rejected_before_the_wire_naming_the_field() {
    for &llpin in LLPIN_CASES {
        assert_rejected(
            &format!("corporate_llpin_lookup {llpin:?}"),
            "llpin",
            llpin,
            |f| async move {
                f.corporate_llpin_lookup(types::CorporateLlpinLookupRequest::builder().llpin(llpin))
                    .await
            },
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_mobile_numbers_are_rejected_before_the_wire_naming_the_field() {
    for &mobile in MOBILE_CASES {
        let case = |op: &str| format!("{op} mobile_number {mobile:?}");
        assert_rejected(
            &case("aa_initialize"),
            "mobile_number",
            mobile,
            |f| async move { f.aa_initialize(aa_initialize().mobile_number(mobile)).await },
        )
        .await;
        assert_rejected(
            &case("aa_bsa_initialize"),
            "mobile_number",
            mobile,
            |f| async move {
                f.aa_bsa_initialize(aa_bsa_initialize().mobile_number(mobile))
                    .await
            },
        )
        .await;
        assert_rejected(
            &case("multi_bureau_fetch"),
            "mobile_number",
            mobile,
            |f| async move {
                f.multi_bureau_fetch(multi_bureau().mobile_number(mobile))
                    .await
            },
        )
        .await;
    }
}

#[tokio::test]
async fn consent_other_than_y_is_rejected_before_the_wire() {
    for consent in ["N", "y", "yes", ""] {
        assert_rejected(
            &format!("consent {consent:?}"),
            "consent",
            "",
            |f| async move { f.multi_bureau_fetch(multi_bureau().consent(consent)).await },
        )
        .await;
    }
}

#[tokio::test]
async fn gender_other_than_male_or_female_is_rejected_before_the_wire() {
    for gender in ["other", "Male", "FEMALE", "m", ""] {
        assert_rejected(
            &format!("gender {gender:?}"),
            "gender",
            "",
            |f| async move { f.multi_bureau_fetch(multi_bureau().gender(gender)).await },
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_consent_type_and_empty_company_name_are_rejected_before_the_wire() {
    for consent_type in ["Loan_Underwriting", "loan underwriting", "1loan", ""] {
        assert_rejected(
            &format!("consent_type {consent_type:?}"),
            "consent_type",
            "",
            |f| async move {
                f.aa_initialize(aa_initialize().consent_type(consent_type))
                    .await
            },
        )
        .await;
    }
    assert_rejected("company_name \"\"", "company_name", "", |f| async move {
        f.corporate_company_autocomplete(
            types::CorporateCompanyAutocompleteRequest::builder().company_name(""),
        )
        .await
    })
    .await;
}

/// Bureau names as a caller holds them (configuration, another service), turned into the typed list
/// with the generated parser; the builder reports a bad one as a `bureaus` error.
struct BureauNames(&'static [&'static str]);

impl TryFrom<BureauNames> for finpass_client::Bureaus {
    type Error = finpass_client::InvalidBureaus;
    fn try_from(names: BureauNames) -> Result<Self, Self::Error> {
        names.0.try_into()
    }
}

#[tokio::test]
async fn unknown_bureaus_are_rejected_before_the_wire() {
    // Through the typed builder an unknown bureau cannot even be written: `bureaus` takes
    // `MultiBureauBureau` values. From strings, the builder names the field.
    for names in [
        &["equifax", "transunion"][..],
        &["Equifax"][..],
        &["CIBIL", "crif"][..],
    ] {
        assert_rejected(
            &format!("bureaus {names:?}"),
            "bureaus",
            "",
            |f| async move {
                f.multi_bureau_fetch(multi_bureau().bureaus(BureauNames(names)))
                    .await
            },
        )
        .await;
    }

    // Through the JSON dispatcher (what spec-walking tools use) it is refused before the wire too.
    let spec = Spec::embedded();
    let request = spec
        .examples()
        .into_iter()
        .find(|e| e.operation == "multi_bureau_fetch" && e.slot == "request")
        .unwrap()
        .value
        .clone();
    for bureaus in [json!(["equifax", "transunion"]), json!(["EXPERIAN"])] {
        let mut body = request.clone();
        body["bureaus"] = bureaus.clone();
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.any_request();
                then.status(200).json_body(json!({"status": "completed"}));
            })
            .await;
        let e = client(&server)
            .call_by_operation_id("multi_bureau_fetch", json!({ "body": body }))
            .await
            .expect("generated")
            .expect_err("unknown bureau accepted");
        mock.assert_calls_async(0).await;
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{bureaus}: {e}");
        assert_eq!(e.attempts(), 0, "{bureaus}: {e}");
        // serde names the accepted values but not the member; the argument is named.
        assert!(
            names_field(&e.to_string(), "body") && e.to_string().contains("equifax"),
            "{bureaus}: {e}"
        );
    }
}

#[tokio::test]
async fn an_empty_bureau_list_is_rejected_before_the_wire() {
    assert_rejected("bureaus []", "bureaus", "", |f| async move {
        f.multi_bureau_fetch(multi_bureau().bureaus(Vec::<MultiBureauBureau>::new()))
            .await
    })
    .await;
}

#[tokio::test]
async fn a_repeated_bureau_is_rejected_before_the_wire() {
    assert_rejected("bureaus [cibil, cibil]", "bureaus", "", |f| async move {
        f.multi_bureau_fetch(
            multi_bureau().bureaus(vec![MultiBureauBureau::Cibil, MultiBureauBureau::Cibil]),
        )
        .await
    })
    .await;
}

#[tokio::test]
async fn a_malformed_optional_pan_is_rejected_before_the_wire() {
    // AA Initialize's `pan_number` is optional: its builder takes `Option<Pan>`, so a caller's string
    // must be parsed first, and that parse is the rejection.
    let parsed = "ABCDE12345".parse::<finpass_client::ids::Pan>();
    let e = parsed.expect_err("malformed PAN parsed");
    assert!(e.to_string().contains("PAN") && !e.to_string().contains("ABCDE12345"));

    // Through the JSON dispatcher the whole request is refused before the wire.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let body = json!({
        "mobile_number": "9999000000",
        "consent_type": "loan_underwriting",
        "pan_number": "ABCDE12345",
    });
    let e = client(&server)
        .call_by_operation_id("aa_initialize", json!({ "body": body }))
        .await
        .expect("generated")
        .expect_err("malformed PAN accepted");
    mock.assert_calls_async(0).await;
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    assert!(e.to_string().contains("PAN"), "{e}");
    assert!(!e.to_string().contains("ABCDE12345"), "{e}");
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

#[tokio::test]
async fn lower_case_identifiers_are_accepted_and_sent_upper_cased() {
    assert_sent(
        "corporate_pan_lookup",
        json!({"pan": "AABCT1234E"}),
        |f| async move {
            f.corporate_pan_lookup(types::CorporatePanLookupRequest::builder().pan("aabct1234e"))
                .await
        },
    )
    .await;
    assert_sent(
        "corporate_cin_lookup",
        json!({"cin": "U74999MH2021PTC123456"}),
        |f| async move {
            f.corporate_cin_lookup(
                types::CorporateCinLookupRequest::builder().cin("u74999mh2021ptc123456"),
            )
            .await
        },
    )
    .await;
    assert_sent(
        "corporate_llpin_lookup",
        json!({"llpin": "AAA-1234"}),
        |f| async move {
            f.corporate_llpin_lookup(
                types::CorporateLlpinLookupRequest::builder().llpin("aaa-1234"),
            )
            .await
        },
    )
    .await;
    // Mixed case too, and the PAN inside the other requests that carry one.
    assert_sent(
        "corporate_cin_lookup",
        json!({"cin": "L22210MH1995PLC084781"}),
        |f| async move {
            f.corporate_cin_lookup(
                types::CorporateCinLookupRequest::builder().cin("l22210Mh1995pLc084781"),
            )
            .await
        },
    )
    .await;
    assert_sent(
        "multi_bureau_fetch",
        json!({
            "pan": "ABCDE1234F",
            "name": "Ashok Kumar",
            "mobile_number": "9999000000",
            "consent": "Y",
            "gender": "male",
            "bureaus": ["equifax", "experian"],
        }),
        |f| async move { f.multi_bureau_fetch(multi_bureau().pan("abcde1234f")).await },
    )
    .await;
    assert_sent(
        "itr_analyze",
        json!({"username": "ABCDE1234F", "password": "your_itr_portal_password"}),
        |f| async move { f.itr_analyze(itr_analyze().username("abcde1234f")).await },
    )
    .await;
}
