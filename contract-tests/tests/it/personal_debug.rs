//! Personal data never reaches `Debug`: for every operation of the spec, a generated request and a
//! generated success response carry fresh canary values wherever the spec classifies a value
//! (`x-finpass-personal`) and in every member the spec does not declare; decoded into the client's
//! types, neither `{:?}` nor `{:#?}` of the value or of its builder shows any canary, and
//! `Reveal(&value)` shows every one of them (so the canaries really are inside the value), except a
//! `credential`, which stays a secret even then.

use std::fmt::Debug;

use finpass_client::{Reveal, types};
use finpass_contract::{Spec, personal};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use personal::Class;

/// The component of each operation's request body and success response, with how to show it.
macro_rules! shown {
    ($($name:ident),* $(,)?) => {
        /// `Debug` of `value` decoded as the component `name`: plain and pretty of the value and
        /// of its builder, and the value under `Reveal`.
        fn shown(name: &str, value: Value) -> Option<Result<(String, String), String>> {
            match name {
                $(stringify!($name) => Some(debug_of::<types::$name, types::builder::$name>(value)),)*
                _ => None,
            }
        }
    };
}

shown! {
    AaInitializeRequest, AaInitializeResponse, AaFetchJsonReportRequest, AaFetchJsonReportResponse,
    AaFetchStatementPdfRequest, AaFetchStatementPdfResponse, AaRefreshDataRequest, AaRefreshDataResponse,
    BsaUploadStatementRequest, BsaUploadStatementResponse, BsaStatementResultResponse,
    MultiBureauFetchRequest, MultiBureauFetchResponse, CorporateCinLookupRequest,
    CorporateCinLookupResponse, CorporateLlpinLookupRequest, CorporateLlpinLookupResponse,
    CorporatePanLookupRequest, CorporatePanLookupResponse, CorporateCompanyAutocompleteRequest,
    CorporateCompanyAutocompleteResponse, ItrAnalyzeRequest, ItrAnalyzeResponse, ItrStatusRequest,
    ItrStatusResponse, ItrFullDataRequest, ItrFullDataResponse, AaBsaInitializeRequest,
    AaBsaInitializeResponse, AaBsaStatusResponse, AaBsaStatementResultResponse,
    AaBsaAnalysisJsonResponse,
}

fn debug_of<T, B>(value: Value) -> Result<(String, String), String>
where
    T: DeserializeOwned + Debug + Clone,
    B: From<T> + Debug,
{
    let typed: T = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let builder = B::from(typed.clone());
    Ok((
        format!("{typed:?}\n{typed:#?}\n{builder:?}\n{builder:#?}"),
        format!("{:?}", Reveal(&typed)),
    ))
}

/// A small deterministic generator, seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn chars(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

/// Builds instances with canaries at the classified places, collecting the canaries.
struct Planter<'a> {
    doc: &'a Value,
    rng: Rng,
    /// Text that must not show in `Debug`, and whether it must show under `Reveal`.
    canaries: Vec<(String, bool)>,
    /// Whether the canary being planted may be revealed (not a credential).
    revealable: bool,
}

impl Planter<'_> {
    /// A canary value of `schema` (a classified value).
    fn canary(&mut self, schema: &Value) -> Value {
        let (schema, _) = personal::resolve(self.doc, schema, "");
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let value = values[(self.rng.next() % values.len() as u64) as usize].clone();
            if let Some(text) = value.as_str() {
                // Shown by `Reveal` as the variant name, so matched without case.
                self.canaries.push((text.to_lowercase(), self.revealable));
            }
            return value;
        }
        let value = match schema.get("type").and_then(Value::as_str) {
            Some("number") => {
                let n = 100_000.0 + (self.rng.next() % 90_000_000) as f64 / 100.0 + 0.01;
                Value::from(n)
            }
            Some("integer") => Value::from(10_000_000 + (self.rng.next() % 80_000_000) as i64),
            Some("array") => {
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                return json!([self.canary(&items)]);
            }
            _ => match schema.get("pattern").and_then(Value::as_str) {
                Some("^[0-9]{10}$") => Value::from(self.rng.chars(b"0123456789", 10)),
                // A PAN (`PanUpperCase`, `Pan` in either case): upper case, which the client sends.
                Some("^[A-Z0-9]{10}$" | "^[A-Za-z0-9]{10}$") => Value::from(format!(
                    "{}{}",
                    self.rng.chars(b"ABCDEFGHJKLMNPQRSTUVWXYZ", 5),
                    self.rng.chars(b"0123456789", 5)
                )),
                Some(other) => panic!("no canary for the pattern {other}: add one"),
                None if schema.get("maxLength") == Some(&json!(0)) => return json!(""),
                None => Value::from(format!(
                    "cnry{}",
                    self.rng.chars(b"abcdefghijklmnopqrstuvwxyz0123456789", 10)
                )),
            },
        };
        let text = match &value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.canaries.push((text, self.revealable));
        value
    }

    /// Members the spec does not declare, each holding a canary.
    fn members(&mut self, into: &mut Map<String, Value>) {
        let text = self.canary(&json!({"type": "string"}));
        let number = self.canary(&json!({"type": "number"}));
        into.insert("undocumented_text".into(), text);
        into.insert("undocumented_nested".into(), json!({"amount": number}));
    }

    /// An instance of `schema` that the client's type accepts, canaries included.
    fn instance(&mut self, schema: &Value, depth: u8) -> Value {
        assert!(depth < 16, "the spec has no recursive schema");
        match personal::class(self.doc, schema, None) {
            Class::Value(marker) => {
                self.revealable = !marker.categories.iter().any(|c| c == "credential");
                let canary = self.canary(schema);
                self.revealable = true;
                return canary;
            }
            Class::Members(_) => {
                let mut map = Map::new();
                self.members(&mut map);
                let (resolved, _) = personal::resolve(self.doc, schema, "");
                return if resolved.get("type") == Some(&json!("array")) {
                    json!([Value::Object(map)])
                } else {
                    Value::Object(map)
                };
            }
            Class::Plain => {}
        }
        let (resolved, _) = personal::resolve(self.doc, schema, "");
        if personal::is_object(resolved) {
            let mut map = Map::new();
            for (key, sub) in resolved
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                map.insert(key.clone(), self.instance(sub, depth + 1));
            }
            if personal::keeps_undeclared(resolved) {
                self.members(&mut map);
            }
            return Value::Object(map);
        }
        if resolved.get("type") == Some(&json!("array")) {
            let items = resolved.get("items").cloned().unwrap_or(json!({}));
            return json!([self.instance(&items, depth + 1)]);
        }
        crate::schemars::samples::valid_sample(self.doc, resolved, depth + 1)
    }
}

/// `(operation, side, component)` for every request body and success response of the spec.
fn bodies(doc: &Value) -> Vec<(String, &'static str, String)> {
    let mut out = Vec::new();
    let component = |media: Option<&Value>| {
        media
            .and_then(|c| c.as_object())
            .and_then(|c| c.values().next())
            .and_then(|m| m.pointer("/schema/$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .map(str::to_owned)
    };
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("a path item").values() {
            let id = op["operationId"].as_str().expect("operationId").to_owned();
            if let Some(name) = component(op.pointer("/requestBody/content")) {
                out.push((id.clone(), "request", name));
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                if status.starts_with('2')
                    && let Some(name) = component(response.get("content"))
                {
                    out.push((id.clone(), "response", name));
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_classified_value_reaches_debug_of_any_request_or_response(seed in any::<u64>()) {
        let spec = Spec::embedded();
        let doc = spec.doc();
        let bodies = bodies(doc);
        prop_assert!(bodies.len() >= 30, "{} bodies", bodies.len());
        for (operation, side, component) in bodies {
            let schema = json!({"$ref": format!("#/components/schemas/{component}")});
            let mut planter = Planter { doc, rng: Rng(seed), canaries: Vec::new(), revealable: true };
            let value = planter.instance(&schema, 0);
            let (plain, revealed) = shown(&component, value.clone())
                .unwrap_or_else(|| panic!("add {component} ({operation} {side}) to `shown!`"))
                .map_err(|e| TestCaseError::fail(format!("{operation} {side}: {e}: {value}")))?;
            let (plain_lower, revealed_lower) = (plain.to_lowercase(), revealed.to_lowercase());
            for (canary, revealable) in planter.canaries.iter().filter(|c| !c.0.is_empty()) {
                prop_assert!(
                    !plain_lower.contains(&canary.to_lowercase()),
                    "{operation} {side}: `{canary}` shows in Debug:\n{plain}"
                );
                prop_assert!(
                    !revealable || revealed_lower.contains(&canary.to_lowercase()),
                    "{operation} {side}: `{canary}` was planted but `Reveal` does not show it:\n{revealed}"
                );
            }
        }
    }
}

#[test]
fn every_operation_with_personal_data_has_canaries_planted() {
    // The property above proves nothing for an operation whose samples carry no canary: make sure
    // the classified ones do (AA Initialize sends a mobile number and receives it back).
    let spec = Spec::embedded();
    let doc = spec.doc();
    let mut planter = Planter {
        doc,
        rng: Rng(7),
        canaries: Vec::new(),
        revealable: true,
    };
    let request = planter.instance(
        &json!({"$ref": "#/components/schemas/AaInitializeRequest"}),
        0,
    );
    let mobile = request["mobile_number"].as_str().unwrap().to_owned();
    assert!(planter.canaries.contains(&(mobile, true)), "{request}");
    let (plain, _) = shown("AaInitializeRequest", request).unwrap().unwrap();
    assert!(plain.contains("<redacted: contact>"), "{plain}");
}
