//! `cargo xtask drift`: do real Finpass responses still match the spec?
//!
//! The check is stricter than the spec on purpose: an undocumented field is reported even inside an
//! object the spec leaves open, because the point is to learn what the docs do not show.
//!
//! Privacy: capture bodies hold personal financial data. Nothing derived from a *value* ever reaches a
//! report: findings carry JSON paths (array indices collapsed to `[]`, data-like keys replaced by
//! `<key>`) and JSON type names only, and the optional sample in the JSON report goes through
//! [`redact`]. Capture files are parsed as untyped JSON first, because serde's typed errors quote the
//! offending value.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};
use finpass_contract::Spec;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::diff::{flatten, known_enum, types};

mod report;
pub use report::{render_human, render_json};

/// What went wrong, as a stable id for CI annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    UnknownField,
    MissingRequiredField,
    TypeMismatch,
    UnknownEnumValue,
    UndocumentedStatus,
    UnknownOperation,
    InvalidCapture,
}

/// One kind of drift at one place. Holds no value from a body, by construction.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub status: String,
    pub path: String,
    pub expected: String,
    pub found: String,
}

/// Findings of one operation over all its captures.
#[derive(Debug, Default, Serialize)]
pub struct OperationReport {
    pub captures: usize,
    /// Each finding with the number of captures that show it.
    pub findings: BTreeMap<String, (Finding, usize)>,
    /// The shape of the first drifting body, values redacted.
    pub redacted_sample: Option<Value>,
}

/// The whole report, keyed by operationId (or `METHOD path` when no operation matches).
#[derive(Debug, Default)]
pub struct Report {
    pub captures: usize,
    pub operations: BTreeMap<String, OperationReport>,
}

impl Report {
    /// Whether any capture drifted.
    pub fn has_drift(&self) -> bool {
        self.operations.values().any(|op| !op.findings.is_empty())
    }
}

/// Checks every `*.json` capture under `dir` (recursively) against `spec`.
pub fn check_dir(spec: &Spec, dir: &Path) -> Result<Report> {
    let mut files = Vec::new();
    collect_files(dir, &mut files).with_context(|| format!("reading {}", dir.display()))?;
    if files.is_empty() {
        bail!("no *.json captures under {}", dir.display());
    }
    files.sort();
    let mut report = Report::default();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        // A syntax error message names a line and column, never the text there.
        let capture: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        add_capture(spec, &capture, &mut report);
    }
    Ok(report)
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Adds one capture (`{"method","path","status","body"[, "operation_id"]}`) to the report.
pub fn add_capture(spec: &Spec, capture: &Value, report: &mut Report) {
    report.captures += 1;
    let (operation, findings) = check_capture(spec, capture);
    let entry = report.operations.entry(operation).or_default();
    entry.captures += 1;
    if !findings.is_empty() && entry.redacted_sample.is_none() {
        entry.redacted_sample = capture.get("body").map(redact);
    }
    for finding in findings {
        let key = format!("{finding:?}");
        entry.findings.entry(key).or_insert((finding, 0)).1 += 1;
    }
}

/// The operation a capture belongs to and its distinct findings.
pub fn check_capture(spec: &Spec, capture: &Value) -> (String, BTreeSet<Finding>) {
    let mut out = BTreeSet::new();
    let text = |key: &str| capture.get(key).and_then(Value::as_str);
    let status = capture.get("status").and_then(Value::as_u64);
    let (Some(method), Some(path), Some(status), Some(body)) =
        (text("method"), text("path"), status, capture.get("body"))
    else {
        out.insert(finding(
            Kind::InvalidCapture,
            "",
            "",
            "{method, path, status, body}",
            type_name(capture),
        ));
        return ("(invalid captures)".into(), out);
    };
    let path = path.split('?').next().unwrap_or("");
    let method = method.to_uppercase();
    let op = match text("operation_id") {
        Some(id) => spec.operation(id),
        None => spec
            .operations()
            .into_iter()
            .find(|op| op.method == method && op.path == path),
    };
    let Some(op) = op else {
        let shown: Vec<String> = path.split('/').map(safe_key).collect();
        out.insert(finding(
            Kind::UnknownOperation,
            "",
            "",
            "an operation of the spec",
            "none",
        ));
        return (format!("{method} {}", shown.join("/")), out);
    };
    let status = status.to_string();
    let Some(response) = op.op.get("responses").and_then(|r| r.get(&status)) else {
        out.insert(finding(
            Kind::UndocumentedStatus,
            &status,
            "",
            "a documented status",
            &status,
        ));
        return (op.id.to_owned(), out);
    };
    let schema = spec
        .resolve(response)
        .pointer("/content/application~1json/schema");
    if let Some(schema) = schema {
        Checker {
            spec,
            status: &status,
            out: &mut out,
        }
        .walk(schema, body, "$", 0);
    }
    (op.id.to_owned(), out)
}

fn finding(kind: Kind, status: &str, path: &str, expected: &str, found: &str) -> Finding {
    Finding {
        kind,
        status: status.into(),
        path: path.into(),
        expected: expected.into(),
        found: found.into(),
    }
}

struct Checker<'a> {
    spec: &'a Spec,
    status: &'a str,
    out: &'a mut BTreeSet<Finding>,
}

impl Checker<'_> {
    fn report(&mut self, kind: Kind, path: &str, expected: &str, found: &str) {
        self.out
            .insert(finding(kind, self.status, path, expected, found));
    }

    fn walk(&mut self, schema: &Value, value: &Value, path: &str, depth: usize) {
        if depth > 64 {
            return; // a recursive schema deeper than any real body
        }
        let schema = flatten(self.spec, schema);
        let expected = types(&schema).unwrap_or_default();
        if value.is_null() {
            if !expected.is_empty() && !expected.contains("null") {
                self.report(Kind::TypeMismatch, path, &join(&expected), "null");
            }
            return;
        }
        if let Some(values) = known_enum(&schema) {
            match value.as_str() {
                // "" is what `redact` leaves: the value was removed before capture, nothing to compare.
                Some("") => {}
                Some(s) if values.contains(s) => {}
                Some(_) => self.report(
                    Kind::UnknownEnumValue,
                    path,
                    &format!("one of {} documented values", values.len()),
                    "string",
                ),
                None => self.report(Kind::TypeMismatch, path, "string", type_name(value)),
            }
            return;
        }
        if let Some(branches) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
        {
            return self.union(branches, value, path, depth);
        }
        if !expected.is_empty() && !admits(&expected, value) {
            return self.report(Kind::TypeMismatch, path, &join(&expected), type_name(value));
        }
        match value {
            Value::Object(fields) => self.object(&schema, fields, path, depth),
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.walk(item_schema, item, &format!("{path}[]"), depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// The branch that fits best: none of its findings if one fits, else the closest branch's.
    fn union(&mut self, branches: &[Value], value: &Value, path: &str, depth: usize) {
        let mut best: Option<BTreeSet<Finding>> = None;
        for branch in branches {
            let mut found = BTreeSet::new();
            Checker {
                spec: self.spec,
                status: self.status,
                out: &mut found,
            }
            .walk(branch, value, path, depth + 1);
            if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                best = Some(found);
            }
        }
        self.out.extend(best.unwrap_or_default());
    }

    fn object(&mut self, schema: &Value, fields: &Map<String, Value>, path: &str, depth: usize) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !fields.contains_key(name) {
                self.report(
                    Kind::MissingRequiredField,
                    &format!("{path}.{name}"),
                    "present",
                    "absent",
                );
            }
        }
        // A map's keys are data (dates, account numbers): its entries share one path.
        let map_values = schema
            .get("additionalProperties")
            .filter(|a| a.as_object().is_some_and(|m| !m.is_empty()));
        for (name, value) in fields {
            match (properties.and_then(|p| p.get(name)), map_values) {
                (Some(field_schema), _) => {
                    self.walk(field_schema, value, &format!("{path}.{name}"), depth + 1)
                }
                (None, Some(value_schema)) => {
                    self.walk(value_schema, value, &format!("{path}.*"), depth + 1)
                }
                (None, None) => self.report(
                    Kind::UnknownField,
                    &format!("{path}.{}", safe_key(name)),
                    "not documented",
                    type_name(value),
                ),
            }
        }
    }
}

fn admits(expected: &BTreeSet<String>, value: &Value) -> bool {
    let name = type_name(value);
    expected.contains(name) || (name == "integer" && expected.contains("number"))
}

/// The JSON type of a value: the only thing about a value a report may name.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// An object key as a report may show it. Field names are schema, but some objects are keyed by data
/// (a date, an account or mobile number, a PAN, an e-mail): those become `<key>`. Data-like means: not
/// identifier-shaped, or a run of 4+ digits with no lower-case letter (`ABCDE1234F`, `9876543210`,
/// `2024-05-01`), which keeps names such as `fy2024_income`.
pub fn safe_key(key: &str) -> String {
    let identifier = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let mut run = 0;
    let long_digit_run = key.chars().any(|c| {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        run >= 4
    });
    let has_lower = key.chars().any(|c| c.is_ascii_lowercase());
    let looks_like_data = long_digit_run && !has_lower;
    if key.is_empty() || (identifier && !looks_like_data) {
        key.to_owned()
    } else {
        "<key>".to_owned()
    }
}

/// A body with every value removed but its shape kept: strings → `""`, integers → `0`, other numbers →
/// `0.0` (so integer/number drift stays visible), booleans and nulls kept, data-like keys → `<key>`.
/// This is the redaction recommended for finpass-client's capture hook; here it sanitises the sample
/// shown in JSON reports.
pub fn redact(body: &Value) -> Value {
    match body {
        Value::String(_) => Value::String(String::new()),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!(0),
        Value::Number(_) => json!(0.0),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (safe_key(k), redact(v))).collect())
        }
        other => other.clone(),
    }
}

fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join("|")
}
