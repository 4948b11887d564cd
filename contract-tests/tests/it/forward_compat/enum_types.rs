//! The open-enum types themselves: documented values decode as `Known`, anything else as `Other`,
//! both round-trip, and a caller compares, matches and prints them without spelling out `Known(…)`.

use super::*;

/// What a decoder of one open-enum type makes of a JSON value: whether it chose `Other`, and the
/// value re-encoded.
type Decoder = fn(&Value) -> Result<(bool, Value), String>;
/// Whether the `…Other` newtype of an open enum accepts a string.
type OtherAccepts = fn(String) -> bool;

macro_rules! open_enum_types {
    ($($name:ident / $other:ident),* $(,)?) => {
        vec![$({
            fn decode(value: &Value) -> Result<(bool, Value), String> {
                let typed: types::$name =
                    serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
                let is_other = match &typed {
                    types::$name::Known(_) => false,
                    types::$name::Other(_) => true,
                };
                // The wire text three ways (`as_str`, `Display`, and `FromStr` back to the same
                // value), and `known()` agrees with the variant.
                let text = value.as_str().expect("only strings decode");
                let name = stringify!($name);
                assert_eq!(typed.as_str(), text, "{name}");
                assert_eq!(typed.to_string(), text, "{name}");
                assert_eq!(text.parse::<types::$name>().ok().as_ref(), Some(&typed), "{name}");
                assert_eq!(typed.known().is_none(), is_other, "{name}");
                Ok((is_other, serde_json::to_value(&typed).unwrap()))
            }
            fn other_accepts(value: String) -> bool {
                types::$other::try_from(value).is_ok()
            }
            (stringify!($name), decode as Decoder, other_accepts as OtherAccepts)
        }),*]
    };
}

/// The spec's open-enum components: name, and the values of their `Known` branch.
fn spec_open_enums(spec: &Spec) -> Vec<(String, Vec<String>)> {
    let schemas = spec.doc()["components"]["schemas"].as_object().unwrap();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    schemas
        .iter()
        .filter(|(_, s)| s.get("x-finpass-open-enum") == Some(&json!(true)))
        .map(|(name, s)| {
            let branches = s["oneOf"].as_array().unwrap_or_else(|| {
                panic!("{name}: an open enum is a `oneOf` of a Known and an Other branch")
            });
            assert_eq!(branches.len(), 2, "{name}: Known and Other branches");
            let known = strings(&branches[0]["enum"]);
            assert_eq!(
                branches[0]["title"],
                json!(format!("{name}Known")),
                "{name}"
            );
            assert_eq!(
                branches[1]["title"],
                json!(format!("{name}Other")),
                "{name}"
            );
            assert!(!known.is_empty(), "{name}: no known values");
            assert_eq!(
                strings(&branches[1]["not"]["enum"]),
                known,
                "{name}: the Other branch must exclude exactly the known values"
            );
            (name.clone(), known)
        })
        .collect()
}

#[test]
fn every_open_enum_type_decodes_undocumented_values_as_other_and_round_trips() {
    let spec = Spec::embedded();
    let open = spec_open_enums(&spec);
    let types = open_enum_types![
        AaBsaConsentType / AaBsaConsentTypeOther,
        AaBsaJourneyStatus / AaBsaJourneyStatusOther,
        AaStatementReportStatus / AaStatementReportStatusOther,
        BsaStatementStatus / BsaStatementStatusOther,
        ItrJobStatus / ItrJobStatusOther,
    ];
    let tested: BTreeSet<&str> = types.iter().map(|(name, _, _)| *name).collect();
    let in_spec: BTreeSet<&str> = open.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        tested, in_spec,
        "every open enum of the spec is tested here, and only those"
    );
    assert!(in_spec.len() >= MIN_OPEN_ENUM_TYPES, "{in_spec:?}");

    for (name, decode, other_accepts) in types {
        let known = &open.iter().find(|(n, _)| n == name).unwrap().1;
        for value in known {
            let (is_other, back) = decode(&json!(value)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!is_other, "{name}: documented `{value}` decoded as Other");
            assert_eq!(back, json!(value), "{name}: `{value}` does not round-trip");
            assert!(
                !other_accepts(value.clone()),
                "{name}: the Other branch accepts documented `{value}`"
            );
        }
        // Undocumented values: a new status, a case variant of a documented one, the empty string.
        let mut undocumented = vec![FUTURE_VALUE.to_owned(), String::new()];
        undocumented.extend(known.iter().map(|k| {
            if k.chars().any(|c| c.is_ascii_lowercase()) {
                k.to_ascii_uppercase()
            } else {
                k.to_ascii_lowercase()
            }
        }));
        for value in undocumented {
            let (is_other, back) = decode(&json!(value))
                .unwrap_or_else(|e| panic!("{name}: undocumented `{value}` fails: {e}"));
            assert!(is_other, "{name}: undocumented `{value}` decoded as Known");
            assert_eq!(back, json!(value), "{name}: `{value}` does not round-trip");
            assert!(other_accepts(value.clone()), "{name}: `{value}`");
        }
        // Open means any string, not any JSON.
        for not_a_string in [json!(7), json!(null), json!(["initiated"]), json!({})] {
            assert!(
                decode(&not_a_string).is_err(),
                "{name}: {not_a_string} decoded"
            );
        }
    }
}

#[test]
fn named_forward_compatible_values_decode_as_other() {
    // The cut-off lifecycle row of AA-BSA (DECISIONS.md, AABSA-5) and plausible new statuses.
    let status: types::AaBsaJourneyStatus = serde_json::from_value(json!("data_fetched")).unwrap();
    assert!(
        matches!(&status, types::AaBsaJourneyStatus::Other(o) if o.as_str() == "data_fetched"),
        "{status:?}"
    );
    assert_eq!(
        serde_json::to_value(&status).unwrap(),
        json!("data_fetched")
    );

    let status: types::ItrJobStatus = serde_json::from_value(json!("queued")).unwrap();
    assert!(matches!(&status, types::ItrJobStatus::Other(o) if o.as_str() == "queued"));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("queued"));

    let status: types::BsaStatementStatus =
        serde_json::from_value(json!("partially_completed")).unwrap();
    assert!(matches!(&status, types::BsaStatementStatus::Other(_)));
    assert_eq!(
        serde_json::to_value(&status).unwrap(),
        json!("partially_completed")
    );

    let status: types::AaStatementReportStatus = serde_json::from_value(json!("EXPIRED")).unwrap();
    assert!(matches!(&status, types::AaStatementReportStatus::Other(_)));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("EXPIRED"));

    let consent: types::AaBsaConsentType =
        serde_json::from_value(json!("loan_collection")).unwrap();
    assert!(matches!(&consent, types::AaBsaConsentType::Other(_)));
    assert_eq!(
        serde_json::to_value(&consent).unwrap(),
        json!("loan_collection")
    );

    // A documented value still decodes as its Known variant.
    let status: types::AaBsaJourneyStatus =
        serde_json::from_value(json!("consent_granted")).unwrap();
    assert_eq!(
        status,
        types::AaBsaJourneyStatus::Known(types::AaBsaJourneyStatusKnown::ConsentGranted)
    );
}

/// The call sites a caller writes (DECISIONS.md, AABSA-5: a status may be one the docs do not list).
#[test]
fn open_enums_compare_match_and_print_like_their_values() {
    use types::{AaBsaJourneyStatus, AaBsaJourneyStatusKnown};
    let status: AaBsaJourneyStatus = serde_json::from_value(json!("analysis_complete")).unwrap();

    // Compare with a documented value, either way round.
    assert!(status == AaBsaJourneyStatusKnown::AnalysisComplete);
    assert!(AaBsaJourneyStatusKnown::AnalysisComplete == status);
    assert!(status != AaBsaJourneyStatusKnown::ConsentPending);

    // Match on the documented values; an undocumented one is `None`.
    let next_step = |status: &AaBsaJourneyStatus| match status.known() {
        Some(AaBsaJourneyStatusKnown::AnalysisComplete) => "fetch the analysis",
        Some(_) => "keep polling",
        None => "look at it",
    };
    assert_eq!(next_step(&status), "fetch the analysis");

    // Print it as Finpass sent it, documented or not.
    assert_eq!(format!("journey {status}"), "journey analysis_complete");
    let cut_off: AaBsaJourneyStatus = "data_fetched".parse().unwrap();
    assert_eq!((cut_off.known(), cut_off.as_str()), (None, "data_fetched"));
    assert_eq!(next_step(&cut_off), "look at it");
    assert!(cut_off != AaBsaJourneyStatusKnown::AnalysisComplete);

    // The documented values alone print the same way.
    assert_eq!(
        AaBsaJourneyStatusKnown::ConsentPending.as_str(),
        "consent_pending"
    );
    assert_eq!(
        status,
        AaBsaJourneyStatus::from(AaBsaJourneyStatusKnown::AnalysisComplete)
    );
}
