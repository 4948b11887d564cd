//! The spec's `pattern` checks are generated as plain code (`xtask/src/patterns.rs`), not run by a
//! regex engine: they must accept exactly what the pattern does. Each is compared with `regress` (the
//! engine typify would have used) on the pattern read from the embedded spec, over strings built
//! from the pattern's alphabet and its neighbours, and on the boundaries by hand. (`MobileNumber` is
//! the one generated pattern type: PAN, CIN and LLPIN are handwritten, `ConsentType` is an enum.)

use std::str::FromStr;
use std::sync::OnceLock;

use finpass_client::types::MobileNumber;
use proptest::prelude::*;

fn pattern(schema: &str) -> regress::Regex {
    static SPEC: OnceLock<finpass_contract::Spec> = OnceLock::new();
    let spec = SPEC.get_or_init(finpass_contract::Spec::embedded);
    let text = spec.doc()["components"]["schemas"][schema]["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("{schema} has a pattern in the spec"));
    regress::Regex::new(text).unwrap()
}

fn agree<T: FromStr>(schema: &str, value: &str) -> Result<(), TestCaseError>
where
    T::Err: std::fmt::Display,
{
    let regex = pattern(schema);
    let parsed = T::from_str(value);
    prop_assert_eq!(
        parsed.is_ok(),
        regex.find(value).is_some(),
        "{} {:?}",
        schema,
        value
    );
    if let Err(e) = parsed {
        // The message names the rule; the builder adds the field.
        prop_assert!(e.to_string().contains("doesn't match pattern"), "{}", e);
    }
    Ok(())
}

#[test]
fn boundaries_agree_with_the_regex() {
    for value in [
        "",
        "9999000000",
        "999900000",
        "99990000001",
        "99990000a0",
        "٩٩٩٩٠٠٠٠٠٠",
        " 9999000000",
        "9999000000\n",
    ] {
        agree::<MobileNumber>("MobileNumber", value).unwrap();
    }
}

#[test]
fn a_builder_names_the_field_and_the_rule() {
    let err = finpass_client::types::AaInitializeRequest::builder()
        .mobile_number("12345")
        .consent_type("loan_underwriting");
    let err = finpass_client::types::AaInitializeRequest::try_from(err).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("mobile_number") && message.contains("^[0-9]{10}$"),
        "{message}"
    );
}

proptest! {
    #[test]
    fn mobile_numbers_agree_with_the_regex(value in "[0-9a٩ \n]{0,12}") {
        agree::<MobileNumber>("MobileNumber", &value)?;
    }
}
