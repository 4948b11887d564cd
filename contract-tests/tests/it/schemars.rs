//! The `schemars` feature: the JSON Schema derived from each Rust type says what the spec's component
//! says. For every component of `openapi/finpass.yaml`: property names, required sets, enum values
//! and constraint keywords match, and both schemas accept or reject alike the spec's examples and
//! generated samples (a valid one, and mutations that drop a required property, use a wrong type, a
//! value outside an enum, a pattern or length violation). The comparison is `compare::compare`; the
//! last test proves it reports a component that disagrees with its type.

mod compare;
pub(crate) mod samples;

use finpass_client::types;
use finpass_contract::Spec;
use serde_json::Value;

use compare::{SpecSide, compare};

/// Spec component → the Rust type that stands for it. A component missing here fails
/// `every_component_has_a_rust_type`, so a new schema cannot be skipped silently.
macro_rules! components {
    ($($name:ident => $ty:ty,)*) => {
        const LISTED: &[&str] = &[$(stringify!($name)),*];

        /// `schema_for!` of the Rust type of `component`, as JSON.
        fn derived(component: &str) -> Option<Value> {
            match component {
                $(stringify!($name) => Some(
                    serde_json::to_value(::schemars::schema_for!($ty)).expect("a schema is JSON"),
                ),)*
                _ => None,
            }
        }
    };
}

components! {
    MobileNumber => types::MobileNumber,
    ConsentType => types::ConsentType,
    AaInitializeRequest => types::AaInitializeRequest,
    AaInitializeResponse => types::AaInitializeResponse,
    AaInitializeData => types::AaInitializeData,
    AaErrorEnvelope => types::AaErrorEnvelope,
    AaFetchJsonReportRequest => types::AaFetchJsonReportRequest,
    AaFetchJsonReportResponse => types::AaFetchJsonReportResponse,
    AaFetchJsonReportData => types::AaFetchJsonReportData,
    AaFetchStatementPdfRequest => types::AaFetchStatementPdfRequest,
    AaFetchStatementPdfResponse => types::AaFetchStatementPdfResponse,
    AaFetchStatementPdfData => types::AaFetchStatementPdfData,
    AaFetchStatementPdfReport => types::AaFetchStatementPdfReport,
    AaStatementReportStatus => types::AaStatementReportStatus,
    AaRefreshDataRequest => types::AaRefreshDataRequest,
    AaRefreshDataResponse => types::AaRefreshDataResponse,
    AaRefreshDataData => types::AaRefreshDataData,
    BsaUploadStatementRequest => types::BsaUploadStatementRequest,
    BsaUploadStatementResponse => types::BsaUploadStatementResponse,
    BsaUploadStatementData => types::BsaUploadStatementData,
    BsaStatementStatus => types::BsaStatementStatus,
    BsaStatementResultResponse => types::BsaStatementResultResponse,
    BsaStatementResultAccountInfo => types::BsaStatementResultAccountInfo,
    Pan => finpass_client::ids::Pan,
    PanUpperCase => finpass_client::ids::Pan,
    MultiBureauFetchRequest => types::MultiBureauFetchRequest,
    MultiBureauGender => types::MultiBureauGender,
    MultiBureauBureaus => finpass_client::Bureaus,
    MultiBureauBureau => types::MultiBureauBureau,
    MultiBureauFetchResponse => types::MultiBureauFetchResponse,
    Cin => finpass_client::ids::Cin,
    FinpassErrorEnvelope => types::FinpassErrorEnvelope,
    CorporateCinLookupRequest => types::CorporateCinLookupRequest,
    CorporateCinLookupResponse => types::CorporateCinLookupResponse,
    CorporateCinLookupData => types::CorporateCinLookupData,
    Llpin => finpass_client::ids::Llpin,
    CorporateLlpinLookupRequest => types::CorporateLlpinLookupRequest,
    CorporateLlpinLookupResponse => types::CorporateLlpinLookupResponse,
    CorporateLlpinLookupData => types::CorporateLlpinLookupData,
    CorporatePanLookupRequest => types::CorporatePanLookupRequest,
    CorporatePanLookupResponse => types::CorporatePanLookupResponse,
    CorporatePanLookupData => types::CorporatePanLookupData,
    CorporateCompanyAutocompleteRequest => types::CorporateCompanyAutocompleteRequest,
    CorporateCompanyAutocompleteResponse => types::CorporateCompanyAutocompleteResponse,
    CorporateCompanyAutocompleteMatch => types::CorporateCompanyAutocompleteMatch,
    ItrErrorEnvelope => types::ItrErrorEnvelope,
    ItrJobStatus => types::ItrJobStatus,
    ItrAnalyzeRequest => types::ItrAnalyzeRequest,
    ItrPortalPassword => finpass_client::PortalPassword,
    ItrAnalyzeResponse => types::ItrAnalyzeResponse,
    ItrAnalyzeData => types::ItrAnalyzeData,
    ItrStatusRequest => types::ItrStatusRequest,
    ItrStatusResponse => types::ItrStatusResponse,
    ItrStatusData => types::ItrStatusData,
    ItrFullDataRequest => types::ItrFullDataRequest,
    ItrFullDataResponse => types::ItrFullDataResponse,
    ItrFullDataData => types::ItrFullDataData,
    ItrFullDataRecord => types::ItrFullDataRecord,
    AaBsaJourneyStatus => types::AaBsaJourneyStatus,
    AaBsaConsentType => types::AaBsaConsentType,
    AaBsaInitializeRequest => types::AaBsaInitializeRequest,
    AaBsaInitializeResponse => types::AaBsaInitializeResponse,
    AaBsaInitializeData => types::AaBsaInitializeData,
    AaBsaStatusResponse => types::AaBsaStatusResponse,
    AaBsaStatusData => types::AaBsaStatusData,
    AaBsaStatementResultResponse => types::AaBsaStatementResultResponse,
    AaBsaStatementResultData => types::AaBsaStatementResultData,
    AaBsaStatementAccount => types::AaBsaStatementAccount,
    AaBsaStatementTransaction => finpass_client::Transaction,
    AaBsaAnalysisJsonResponse => types::AaBsaAnalysisJsonResponse,
    AaBsaAnalysisJsonData => types::AaBsaAnalysisJsonData,
    AaBsaAnalysisPeriod => types::AaBsaAnalysisPeriod,
    AaBsaAnalysisSummary => types::AaBsaAnalysisSummary,
    AaBsaAnalysisIncome => types::AaBsaAnalysisIncome,
    AaBsaSalaryCredit => types::AaBsaSalaryCredit,
}

/// What schemars 0.8 cannot say about a generated type, listed precisely: a property that is
/// required and nullable is an `Option` that typify deserialises with `Option::deserialize` (the key
/// must be present), but schemars leaves every `Option` field out of `required`, and a field-level
/// `#[schemars(required)]` cannot be set through typify's settings (its patches are per type). Each
/// entry explains exactly two kinds of difference: the required set, and the sample that drops the
/// property (the spec rejects it, the derived schema accepts it).
const REQUIRED_AND_NULLABLE: &[(&str, &[&str])] = &[
    ("AaInitializeData", &["email_id", "pan_number"]),
    ("CorporateCompanyAutocompleteMatch", &["cin", "llpin"]),
    ("CorporatePanLookupData", &["cin", "llpin"]),
];

/// One Rust type for two spec components (DECISIONS.md, MB-1): `ids::Pan` stands for `Pan` (either
/// case) and for `PanUpperCase` (upper case only). Its schema is `Pan`'s, what it accepts from a
/// caller; it sends upper case, which `PanUpperCase` allows. These are the differences that explains:
/// the pattern, on the component and on the two properties that use it.
const ONE_PAN_TYPE: &[&str] = &[
    "AaInitializeRequest.pan_number: pattern: spec `\"^[A-Z0-9]{10}$\"`, Rust `\"^[A-Za-z0-9]{10}$\"`",
    "MultiBureauFetchRequest.pan: pattern: spec `\"^[A-Z0-9]{10}$\"`, Rust `\"^[A-Za-z0-9]{10}$\"`",
    "PanUpperCase: pattern: spec `\"^[A-Z0-9]{10}$\"`, Rust `\"^[A-Za-z0-9]{10}$\"`",
];

/// Whether `difference` is one that [`REQUIRED_AND_NULLABLE`] explains, and which entry.
fn explained(difference: &str) -> Option<(&'static str, Option<&'static str>)> {
    REQUIRED_AND_NULLABLE.iter().find_map(|(component, props)| {
        if difference
            == format!(
                "{component}: required: only in the spec {props:?}, only in the Rust type []"
            )
        {
            return Some((*component, None));
        }
        props.iter().find_map(|p| {
            let drop = format!("{component}: sample (without required `{p}`) ");
            (difference.starts_with(&drop)
                && difference.contains("the spec rejects, the Rust type's schema accepts"))
            .then_some((*component, Some(*p)))
        })
    })
}

#[test]
fn every_component_has_a_rust_type() {
    let spec = Spec::embedded();
    let components: Vec<&str> = spec.doc()["components"]["schemas"]
        .as_object()
        .expect("the spec has component schemas")
        .keys()
        .map(String::as_str)
        .collect();
    let missing: Vec<_> = components.iter().filter(|c| !LISTED.contains(c)).collect();
    let stale: Vec<_> = LISTED.iter().filter(|c| !components.contains(c)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "add to `components!` in contract-tests/tests/it/schemars.rs: {missing:?}; no longer in the spec: {stale:?}"
    );
}

#[test]
fn every_derived_schema_agrees_with_its_spec_component() {
    let spec = Spec::embedded();
    let side = SpecSide::new(&spec);
    let (mut found, mut samples) = (Vec::new(), 0);
    for name in LISTED {
        let report = compare(&side, name, &derived(name).expect("listed"));
        found.extend(report.differences);
        samples += report.samples;
    }
    // Every component has its valid sample and at least one mutation; most have many more.
    assert!(
        samples >= 6 * LISTED.len(),
        "only {samples} samples validated"
    );
    println!("{} components, {samples} samples", LISTED.len());
    found.sort();
    let unexpected: Vec<_> = found
        .iter()
        .filter(|d| explained(d).is_none() && !ONE_PAN_TYPE.contains(&d.as_str()))
        .collect();
    let seen: Vec<_> = found.iter().filter_map(|d| explained(d)).collect();
    let mut fixed: Vec<String> = ONE_PAN_TYPE
        .iter()
        .filter(|d| !found.iter().any(|f| f == *d))
        .map(|d| d.to_string())
        .collect();
    for (component, props) in REQUIRED_AND_NULLABLE {
        for p in props.iter().map(|p| Some(*p)).chain([None]) {
            if !seen.contains(&(*component, p)) {
                fixed.push(format!("{component} {p:?}"));
            }
        }
    }
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "the Rust types' JSON Schemas and the spec disagree:\n{}\n\nknown differences no longer found (update REQUIRED_AND_NULLABLE or ONE_PAN_TYPE): {fixed:?}",
        unexpected
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn a_spec_schema_that_disagrees_with_its_type_is_reported() {
    let wrong = Spec::from_yaml(include_str!("fixtures/schemars-wrong.yaml")).unwrap();
    let side = SpecSide::new(&wrong);
    let report = |name: &str| {
        compare(&side, name, &derived(name).unwrap())
            .differences
            .join("\n")
    };

    let mobile = report("MobileNumber");
    assert!(
        mobile.contains("MobileNumber: pattern: spec `\"^[0-9]{9}$\"`, Rust `\"^[0-9]{10}$\"`"),
        "{mobile}"
    );
    assert!(
        mobile.contains("MobileNumber: sample (`example` of the component) `\"999900000\"`: the spec accepts, the Rust type's schema rejects"),
        "{mobile}"
    );
    let gender = report("MultiBureauGender");
    assert!(
        gender.contains(
            "MultiBureauGender: enum values: only in the spec [\"f\"], only in the Rust type [\"female\"]"
        ),
        "{gender}"
    );
    let request = report("AaInitializeRequest");
    assert!(
        request.contains(
            "AaInitializeRequest: required: only in the spec [\"email\"], only in the Rust type []"
        ),
        "{request}"
    );
    assert!(
        request.contains("AaInitializeRequest: sample (without required `email`)"),
        "{request}"
    );
    let password = report("ItrPortalPassword");
    assert!(
        password.contains("ItrPortalPassword: writeOnly: spec absent, Rust `true`"),
        "{password}"
    );
}
