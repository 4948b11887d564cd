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
async fn a_malformed_optional_pan_is_rejected_before_the_wire_naming_the_field() {
    // AA Initialize's `pan_number` is optional; its setter takes the text a caller holds, as the
    // required `mobile_number` does, and the rejection comes at send time naming the field.
    for &pan in PAN_CASES {
        assert_rejected(
            &format!("aa_initialize pan_number {pan:?}"),
            "pan_number",
            pan,
            |f| async move { f.aa_initialize(aa_initialize().pan_number(pan)).await },
        )
        .await;
        let owned: Option<String> = Some(pan.to_owned());
        assert_rejected(
            &format!("aa_initialize pan_number Some({pan:?})"),
            "pan_number",
            pan,
            |f| async move { f.aa_initialize(aa_initialize().pan_number(owned)).await },
        )
        .await;
    }

    // Through the JSON dispatcher the whole request is refused before the wire.
    let body = json!({
        "mobile_number": "9999000000",
        "consent_type": "loan_underwriting",
        "pan_number": "ABCDE-1234",
    });
    let e = refused_by_the_dispatcher("aa_initialize", body).await;
    assert!(e.to_string().contains("PAN"), "{e}");
    assert!(!e.to_string().contains("ABCDE-1234"), "{e}");
}

#[tokio::test]
async fn an_optional_pan_is_taken_as_text_or_typed_and_sent_upper_cased() {
    let sent = json!({
        "mobile_number": "9999000000",
        "consent_type": "loan_underwriting",
        "pan_number": "ABCPS1234K",
    });
    let typed: finpass_client::ids::Pan = "ABCPS1234K".parse().unwrap();
    let from_a_form: Option<String> = Some("abcps1234k".to_owned());
    let held = String::from("ABCPS1234K");
    for request in [
        aa_initialize().pan_number("ABCPS1234K"),
        aa_initialize().pan_number(String::from("abcps1234k")),
        aa_initialize().pan_number(&held),
        aa_initialize().pan_number(from_a_form.clone()),
        aa_initialize().pan_number(from_a_form.as_deref()),
        aa_initialize().pan_number(typed.clone()),
        aa_initialize().pan_number(Some(typed.clone())),
    ] {
        assert_sent("aa_initialize", sent.clone(), |f| async move {
            f.aa_initialize(request).await
        })
        .await;
    }
    // `None` leaves it out, as not calling the setter does.
    let none: Option<&str> = None;
    assert_sent(
        "aa_initialize",
        json!({"mobile_number": "9999000000", "consent_type": "loan_underwriting"}),
        |f| async move { f.aa_initialize(aa_initialize().pan_number(none)).await },
    )
    .await;
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
    // AA Initialize's page says nothing of case (`PanUpperCase`): upper case is what it gets.
    assert_sent(
        "aa_initialize",
        json!({
            "mobile_number": "9999000000",
            "consent_type": "loan_underwriting",
            "pan_number": "ABCDE1234F",
        }),
        |f| async move {
            let pan: finpass_client::ids::Pan = "abcde1234f".parse().expect("a valid PAN");
            f.aa_initialize(aa_initialize().pan_number(Some(pan))).await
        },
    )
    .await;
}

/// How a spec component treats the case of letters (DECISIONS.md, CORP-5, MB-1).
#[derive(Clone, Copy, PartialEq)]
enum Case {
    /// Either case: the component accepts a value exactly when the client does, as typed.
    Either,
    /// Upper case only: the component accepts what the client sends (the value upper-cased).
    Upper,
}

/// Checks `T`'s parser (the client-side check) against the spec's `schema` pattern on `seed` and on
/// every one-character edit of it: the two must accept exactly the same values. The client trims and
/// upper-cases; the spec sees the trimmed value as typed (`Case::Either`) or upper-cased (`Case::Upper`).
fn agrees_with_the_spec<T: std::str::FromStr>(
    validators: &Validators,
    schema: &str,
    seed: &str,
    case: Case,
) {
    let mut candidates = vec![
        seed.to_owned(),
        seed.to_ascii_lowercase(),
        format!(" {seed} "),
    ];
    for at in 0..=seed.len() {
        candidates.push(format!(
            "{}{}",
            &seed[..at],
            &seed[at.min(seed.len() - 1) + 1..]
        ));
        for c in ['A', 'z', '7', '-', '_', ' ', 'é'] {
            candidates.push(format!("{}{c}{}", &seed[..at], &seed[at..]));
            if at < seed.len() {
                candidates.push(format!("{}{c}{}", &seed[..at], &seed[at + 1..]));
            }
        }
    }
    let pointer = format!("/components/schemas/{schema}");
    let (mut accepted, mut rejected) = (0, 0);
    for candidate in &candidates {
        let client = candidate.parse::<T>().is_ok();
        let normalised = match case {
            Case::Either => candidate.trim().to_owned(),
            Case::Upper => candidate.trim().to_ascii_uppercase(),
        };
        let spec = validators
            .violations(&pointer, &json!(normalised))
            .unwrap()
            .is_empty();
        assert_eq!(
            client,
            spec,
            "{schema}: the client {} {candidate:?}, the spec pattern {}",
            if client { "accepts" } else { "rejects" },
            if spec { "accepts it" } else { "rejects it" }
        );
        if client {
            accepted += 1;
        } else {
            rejected += 1;
        }
    }
    assert!(
        accepted > 3 && rejected > 3,
        "{schema}: {accepted} accepted, {rejected} rejected"
    );
}

#[test]
fn the_client_checks_pan_cin_and_llpin_exactly_as_the_spec_patterns_do() {
    // `finpass-client/src/ids.rs` hand-writes the spec's `Pan`, `PanUpperCase`, `Cin` and `Llpin`
    // patterns (typify cannot upper-case first); the two must not drift apart (DECISIONS.md, MB-1,
    // CORP-2, CORP-3, CORP-5). `Pan`, `Cin` and `Llpin` take either case, as the client does; one client
    // type, `Pan`, also stands for `PanUpperCase`, which takes what it sends.
    use finpass_client::ids::{Cin, Llpin, Pan};
    let spec = Spec::embedded();
    let validators = Validators::new(&spec);
    agrees_with_the_spec::<Pan>(&validators, "Pan", "ABCDE1234F", Case::Either);
    agrees_with_the_spec::<Pan>(&validators, "PanUpperCase", "ABCDE1234F", Case::Upper);
    agrees_with_the_spec::<Cin>(&validators, "Cin", "U74999MH2021PTC123456", Case::Either);
    agrees_with_the_spec::<Llpin>(&validators, "Llpin", "AAA-1234", Case::Either);
}

#[test]
fn the_spec_accepts_lower_case_where_its_pages_say_the_server_upper_cases() {
    // What a client generated from the export checks: the values of the issue (DECISIONS.md, CORP-5),
    // and that the PANs whose pages say nothing of case stay upper case (MB-1).
    let spec = Spec::embedded();
    let validators = Validators::new(&spec);
    let accepts = |schema: &str, value: &str| {
        validators
            .violations(&format!("/components/schemas/{schema}"), &json!(value))
            .unwrap()
            .is_empty()
    };
    assert!(accepts("Cin", "u74999mh2021ptc123456"));
    assert!(accepts("Llpin", "aaa-1234"));
    assert!(accepts("Pan", "aabct1234e"));
    assert!(!accepts("PanUpperCase", "hdfpk7601l"));
    assert!(accepts("PanUpperCase", "HDFPK7601L"));
    let pan_of = |pointer: &str| spec.doc().pointer(pointer).cloned();
    let schemas = "/components/schemas";
    for (field, component) in [
        ("CorporatePanLookupRequest/properties/pan", "Pan"),
        ("ItrAnalyzeRequest/properties/username", "Pan"),
        ("MultiBureauFetchRequest/properties/pan", "PanUpperCase"),
        ("AaInitializeRequest/properties/pan_number", "PanUpperCase"),
    ] {
        assert_eq!(
            pan_of(&format!("{schemas}/{field}/$ref")),
            Some(json!(format!("#{schemas}/{component}"))),
            "{field}"
        );
    }
}
