//! PAN, CIN, LLPIN and mobile numbers: malformed ones never reach the wire; lower case is normalised.

use super::*;

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
async fn a_malformed_optional_pan_is_rejected_before_the_wire() {
    // AA Initialize's `pan_number` is optional: its builder takes `Option<Pan>`, so a caller's string
    // must be parsed first, and that parse is the rejection.
    let parsed = "ABCDE12345".parse::<finpass_client::ids::Pan>();
    let e = parsed.expect_err("malformed PAN parsed");
    assert!(e.to_string().contains("PAN") && !e.to_string().contains("ABCDE12345"));

    // Through the JSON dispatcher the whole request is refused before the wire.
    let server = MockServer::start_async().await;
    let mock = crate::support::any_request(&server).await;
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
