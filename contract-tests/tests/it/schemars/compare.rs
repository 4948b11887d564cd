//! The comparison of one Rust type's derived JSON Schema with its spec component: property names,
//! required sets, enum values and constraint keywords, then validation of the spec's examples and of
//! generated samples (valid ones and mutations), which both schemas must accept or reject alike.
//! Every disagreement is one line naming the component and the difference.

use std::collections::{BTreeMap, BTreeSet};

use finpass_contract::{Spec, Validators, schema::rewrite_nullable};
use jsonschema::Validator;
use serde_json::{Value, json};

use super::samples::{Sample, samples};

/// The spec side: the document (nullable rewritten) and its validators.
pub struct SpecSide<'a> {
    pub spec: &'a Spec,
    pub doc: Value,
    pub validators: Validators,
}

impl<'a> SpecSide<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        let mut doc = spec.doc().clone();
        rewrite_nullable(&mut doc);
        SpecSide {
            spec,
            doc,
            validators: Validators::new(spec),
        }
    }
}

/// A schema and the document its `$ref`s resolve in.
#[derive(Clone, Copy)]
struct Side<'a> {
    root: &'a Value,
}

impl<'a> Side<'a> {
    fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| self.root.pointer(p))
            else {
                break;
            };
            schema = target;
        }
        schema
    }

    /// The schema without an `Option`'s null alternative (`anyOf: [X, {type: null}]` → X) or the
    /// `allOf: [X]` wrapper schemars puts around a `$ref` that has a description.
    fn non_null(&self, schema: &'a Value) -> &'a Value {
        let schema = self.resolve(schema);
        for key in ["anyOf", "allOf"] {
            if let Some(alts) = schema.get(key).and_then(Value::as_array) {
                let rest: Vec<_> = alts.iter().filter(|a| !is_null_type(a)).collect();
                if let [only] = rest.as_slice() {
                    return self.non_null(only);
                }
            }
        }
        schema
    }

    fn properties(&self, schema: &'a Value) -> BTreeMap<&'a str, &'a Value> {
        let schema = self.non_null(schema);
        let own = schema.get("properties").and_then(Value::as_object);
        let all_of = schema.get("allOf").and_then(Value::as_array);
        let mut out: BTreeMap<_, _> = own
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        for part in all_of.into_iter().flatten() {
            out.extend(self.properties(part));
        }
        out
    }

    fn required(&self, schema: &'a Value) -> BTreeSet<&'a str> {
        let schema = self.non_null(schema);
        let list = schema.get("required").and_then(Value::as_array);
        list.into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }

    /// Enum values reachable through `$ref`s and `oneOf`/`anyOf`/`allOf` (not `not`), null excluded.
    fn enum_values(&self, schema: &'a Value, out: &mut BTreeSet<String>) {
        let schema = self.resolve(schema);
        for v in schema
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !v.is_null() {
                out.insert(v.as_str().map_or_else(|| v.to_string(), str::to_owned));
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for alt in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.enum_values(alt, out);
            }
        }
    }

    /// The constraint keywords of a schema (through `$ref`s and an `Option`'s null alternative).
    fn constraints(&self, schema: &'a Value) -> BTreeMap<&'static str, Value> {
        const KEYWORDS: [&str; 11] = [
            "pattern",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "uniqueItems",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "writeOnly",
        ];
        let schema = self.non_null(schema);
        KEYWORDS
            .iter()
            .filter_map(|k| Some((*k, schema.get(*k)?.clone())))
            .collect()
    }
}

fn is_null_type(schema: &Value) -> bool {
    schema.get("type") == Some(&json!("null"))
}

/// What [`compare`] found.
#[derive(Default)]
pub struct Report {
    /// Every disagreement, one line each, naming the component.
    pub differences: Vec<String>,
    /// How many instances both schemas validated.
    pub samples: usize,
}

/// Every disagreement between the spec's component `name` and `rust` (a `schema_for!` as JSON).
pub fn compare(spec: &SpecSide, name: &str, rust: &Value) -> Report {
    let mut report = Report::default();
    let out = &mut report.differences;
    let pointer = format!("/components/schemas/{name}");
    let Some(spec_schema) = spec.doc.pointer(&pointer) else {
        out.push(format!("{name}: no such component in the spec"));
        return report;
    };
    let (s, r) = (Side { root: &spec.doc }, Side { root: rust });
    structure(name, "", s, spec_schema, r, rust, out);
    let (sp, rp) = (s.properties(spec_schema), r.properties(rust));
    for (prop, spec_prop) in &sp {
        if let Some(rust_prop) = rp.get(prop) {
            structure(name, prop, s, spec_prop, r, rust_prop, out);
        }
    }

    let rust_validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(rust)
    {
        Ok(v) => v,
        Err(e) => {
            out.push(format!("{name}: the derived schema does not compile: {e}"));
            return report;
        }
    };
    for Sample {
        label,
        value,
        valid,
    } in samples(spec.spec, &spec.doc, name)
    {
        if valid
            && !spec
                .validators
                .violations(&pointer, &value)
                .is_ok_and(|v| v.is_empty())
        {
            // The mutations of an invalid base prove nothing: say so rather than pass quietly.
            out.push(format!(
                "{name}: sample {label} should be valid but breaks the spec; fix samples.rs"
            ));
        }
        agree(spec, &pointer, name, &rust_validator, &label, &value, out);
        report.samples += 1;
    }
    report
}

/// Property names, required sets, enum values and constraints of one schema (`at` = property or
/// `""` for the component itself).
fn structure<'a>(
    name: &str,
    at: &str,
    s: Side<'a>,
    spec: &'a Value,
    r: Side<'a>,
    rust: &'a Value,
    out: &mut Vec<String>,
) {
    let here = if at.is_empty() {
        name.to_owned()
    } else {
        format!("{name}.{at}")
    };
    let (sp, rp) = (s.properties(spec), r.properties(rust));
    if at.is_empty() {
        let (sk, rk): (BTreeSet<_>, BTreeSet<_>) = (sp.keys().collect(), rp.keys().collect());
        diff(&here, "properties", &sk, &rk, out);
        diff(&here, "required", &s.required(spec), &r.required(rust), out);
    }
    let (spec, rust) = (s.non_null(spec), r.non_null(rust));
    let mut pairs = vec![(spec, rust, "")];
    if let (Some(si), Some(ri)) = (spec.get("items"), rust.get("items")) {
        pairs.push((si, ri, " items"));
    }
    for (sv, rv, suffix) in pairs {
        let (mut se, mut re) = (BTreeSet::new(), BTreeSet::new());
        s.enum_values(sv, &mut se);
        r.enum_values(rv, &mut re);
        diff(&here, &format!("enum values{suffix}"), &se, &re, out);
        let (sc, rc) = (s.constraints(sv), r.constraints(rv));
        for key in sc.keys().chain(rc.keys()).collect::<BTreeSet<_>>() {
            let (a, b) = (sc.get(key), rc.get(key));
            if a != b {
                out.push(format!(
                    "{here}{suffix}: {key}: spec {}, Rust {}",
                    show(a),
                    show(b)
                ));
            }
        }
    }
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "absent".into(), |v| format!("`{v}`"))
}

fn diff<T: Ord + std::fmt::Display>(
    here: &str,
    what: &str,
    spec: &BTreeSet<T>,
    rust: &BTreeSet<T>,
    out: &mut Vec<String>,
) {
    let only = |a: &BTreeSet<T>, b: &BTreeSet<T>| {
        a.difference(b).map(ToString::to_string).collect::<Vec<_>>()
    };
    let (only_spec, only_rust) = (only(spec, rust), only(rust, spec));
    if !only_spec.is_empty() || !only_rust.is_empty() {
        out.push(format!(
            "{here}: {what}: only in the spec {only_spec:?}, only in the Rust type {only_rust:?}"
        ));
    }
}

fn agree(
    spec: &SpecSide,
    pointer: &str,
    name: &str,
    rust: &Validator,
    label: &str,
    value: &Value,
    out: &mut Vec<String>,
) {
    let spec_errors = match spec.validators.violations(pointer, value) {
        Ok(v) => v,
        Err(e) => {
            out.push(format!("{name}: {e}"));
            return;
        }
    };
    let rust_errors: Vec<String> = rust.iter_errors(value).map(|e| e.to_string()).collect();
    let verdict = |ok: bool| if ok { "accepts" } else { "rejects" };
    if spec_errors.is_empty() != rust_errors.is_empty() {
        let why = spec_errors
            .first()
            .map(ToString::to_string)
            .or_else(|| rust_errors.first().cloned())
            .unwrap_or_default();
        out.push(format!(
            "{name}: sample {label}: the spec {}, the Rust type's schema {} ({why})",
            verdict(spec_errors.is_empty()),
            verdict(rust_errors.is_empty()),
        ));
    }
}
