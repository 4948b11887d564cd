//! Consent, gender, consent type, company name and the bureau list.

use super::*;

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
async fn a_refused_enum_value_names_the_field_and_the_accepted_values() {
    let server = MockServer::start_async().await;
    let mock = crate::support::any_request(&server).await;
    let finpass = client(&server);
    let gender = finpass
        .multi_bureau_fetch(multi_bureau().gender("Male"))
        .await
        .unwrap_err();
    let consent_type = finpass
        .aa_bsa_initialize(aa_bsa_initialize().consent_type("loan_monitor"))
        .await
        .unwrap_err();
    mock.assert_calls_async(0).await;
    for (e, field, accepted) in [
        (&gender, "gender", "`male`, `female`"),
        (
            &consent_type,
            "consent_type",
            "`loan_underwriting`, `loan_monitoring`",
        ),
    ] {
        let text = e.to_string();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{text}");
        assert!(
            names_field(&text, field) && text.contains(&format!("expected one of {accepted}")),
            "{text}"
        );
    }
    // The typed builder says the same without a client.
    let e = types::MultiBureauFetchRequest::try_from(multi_bureau().gender("Male")).unwrap_err();
    assert!(e.to_string().contains("`male`, `female`"), "{e}");
}

#[tokio::test]
async fn malformed_consent_type_and_empty_company_name_are_rejected_before_the_wire() {
    // One consent type for both Initialize calls, its two documented values (DECISIONS.md, AA-18).
    for consent_type in [
        "Loan_Underwriting",
        "loan underwriting",
        "1loan",
        "loan_collection",
        "",
    ] {
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
        let e = refused_by_the_dispatcher("multi_bureau_fetch", body).await;
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
async fn aa_bsa_consent_type_is_one_of_the_two_documented_values() {
    // The AA-BSA page closes the list (DECISIONS.md, AABSA-4); AA Initialize takes the same type (AA-18).
    use types::ConsentType;
    for undocumented in ["loan_collection", "LOAN_MONITORING", ""] {
        assert!(
            ConsentType::try_from(undocumented).is_err(),
            "{undocumented:?}"
        );
        let body = json!({"mobile_number": "9999000000", "consent_type": undocumented});
        let e = refused_by_the_dispatcher("aa_bsa_initialize", body).await;
        assert!(
            e.to_string().contains("loan_underwriting")
                && e.to_string().contains("loan_monitoring"),
            "{undocumented:?}: {e}"
        );
    }
    for (consent_type, wire) in [
        (ConsentType::LoanUnderwriting, "loan_underwriting"),
        (ConsentType::LoanMonitoring, "loan_monitoring"),
    ] {
        assert_sent(
            "aa_bsa_initialize",
            json!({"mobile_number": "9999000000", "consent_type": wire}),
            |f| async move {
                f.aa_bsa_initialize(aa_bsa_initialize().consent_type(consent_type))
                    .await
            },
        )
        .await;
        // One story: the same value, typed or as its text, in both Initialize builders.
        assert_eq!(consent_type.as_str(), wire);
        assert_sent(
            "aa_bsa_initialize",
            json!({"mobile_number": "9999000000", "consent_type": wire}),
            |f| async move {
                f.aa_bsa_initialize(aa_bsa_initialize().consent_type(wire))
                    .await
            },
        )
        .await;
        let aa = |consent: types::builder::AaInitializeRequest| async move {
            let body = json!({"mobile_number": "9999000000", "consent_type": wire});
            assert_sent("aa_initialize", body, |f| async move {
                f.aa_initialize(consent).await
            })
            .await;
        };
        aa(aa_initialize().consent_type(consent_type)).await;
        aa(aa_initialize().consent_type(wire)).await;
    }
}
