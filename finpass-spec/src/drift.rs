//! `finpass-spec drift`: do real Finpass responses still match the spec?
//!
//! An undocumented member is reported wherever it appears, because the point is to learn what the
//! docs do not show; inside an object the spec marks open or undocumented it is expected, so it is
//! `info` there and only a `warning` in a documented object. What would make the generated client
//! fail (a type change, a missing required field, a value outside a closed enum) is `breaking`.
//!
//! Privacy: capture bodies hold personal financial data. Nothing derived from a *value* ever reaches a
//! report: findings carry JSON paths (array indices collapsed to `[]`, data-like keys replaced by
//! `<key>`) and JSON type names only, and the optional sample in the JSON report goes through
//! [`redact_values`] (the client's own redaction rule). Capture files are parsed as untyped JSON first,
//! because serde's typed errors quote the offending value.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use finpass_contract::Spec;
use serde::Serialize;
use serde_json::Value;

use crate::gate::{self, Position, Severity};
use crate::spec_check::LoadedSpec;

mod checker;
mod report;
pub use checker::{check_capture, type_name};
pub use finpass_client::capture::{redact_values, safe_key};
pub use report::{render_human, render_json};

/// The largest capture file read (the client caps API bodies at 64 MiB; a capture is smaller).
pub const MAX_CAPTURE_BYTES: u64 = 64 << 20;
/// The most capture files one run reads.
pub const MAX_CAPTURES: usize = 100_000;

/// What went wrong, as a stable id for CI annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A member the spec does not name, inside an object it documents.
    UnknownField,
    /// A member the spec does not name, inside an object it marks open or undocumented.
    UndocumentedMember,
    /// A field the schema requires is absent.
    MissingRequiredField,
    /// A value of another JSON type than the schema's.
    TypeMismatch,
    /// A value outside an enum (closed: breaking; open: a new value to learn).
    UnknownEnumValue,
    /// A status the operation does not declare.
    UndocumentedStatus,
    /// A capture whose method and path match no operation.
    UnknownOperation,
    /// A capture file that is not readable JSON of the capture shape (or too large).
    InvalidCapture,
    /// A captured member whose name says it is a person's data (mobile, PAN, name, …) that the spec
    /// does not classify (`x-finpass-personal`): the client would print it in `Debug`, the
    /// personal-data map does not list it.
    #[serde(rename = "personal-data-unclassified-member")]
    UnclassifiedPersonalData,
}

/// One kind of drift at one place. Holds no value from a body, by construction.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// What drifted.
    pub kind: Kind,
    /// How much it matters to a client.
    pub severity: Severity,
    /// The captured response's status.
    pub status: String,
    /// The JSON path in the body (indices as `[]`, data-like keys as `<key>`).
    pub path: String,
    /// What the spec says (a type, an enum, a field list).
    pub expected: String,
    /// What the capture had: a JSON type name, never a value.
    pub found: String,
}

/// Findings of one operation over all its captures.
#[derive(Debug, Default, Serialize)]
pub struct OperationReport {
    /// How many captures of the operation were read.
    pub captures: usize,
    /// Each finding with the number of captures that show it.
    pub findings: BTreeMap<String, (Finding, usize)>,
    /// The shape of the first drifting body, values redacted.
    pub redacted_sample: Option<Value>,
}

/// The whole report, keyed by operationId (or `METHOD path` when no operation matches).
#[derive(Debug, Default)]
pub struct Report {
    /// How many captures were read.
    pub captures: usize,
    /// Per operation (or `METHOD path`).
    pub operations: BTreeMap<String, OperationReport>,
}

impl Report {
    /// Whether any capture drifted (an `info` finding is not drift).
    pub fn has_drift(&self) -> bool {
        self.operations.values().any(|op| {
            op.findings
                .values()
                .any(|(f, _)| f.severity != Severity::Info)
        })
    }
}

/// Checks every `*.json` capture under `dir` (recursively, symlinks skipped) against `spec`.
pub fn check_dir(spec: &Spec, dir: &Path) -> Result<Report> {
    let mut files = Vec::new();
    collect_files(dir, &mut files).with_context(|| format!("reading {}", dir.display()))?;
    if files.is_empty() {
        bail!("no *.json captures under {}", dir.display());
    }
    files.sort();
    let mut report = Report::default();
    for file in files {
        let capture = match read_capture(&file)? {
            Some(text) => serde_json::from_str(&text).unwrap_or(Value::Null),
            // Too large to be a capture: counted as an invalid capture, never read whole.
            None => Value::Null,
        };
        add_capture(spec, &capture, &mut report);
    }
    Ok(report)
}

/// The file's text, or `None` when it is larger than [`MAX_CAPTURE_BYTES`].
fn read_capture(file: &Path) -> Result<Option<String>> {
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_CAPTURE_BYTES + 1).read_to_end(&mut bytes))
        .with_context(|| format!("reading {}", file.display()))?;
    if bytes.len() as u64 > MAX_CAPTURE_BYTES {
        return Ok(None);
    }
    // A syntax error message names a line and column, never the text there.
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Regular `*.json` files only: symlinks (to files or directories) are skipped, so a link loop or a
/// link out of the capture directory cannot multiply or widen what is read.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            collect_files(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
            if out.len() >= MAX_CAPTURES {
                bail!("more than {MAX_CAPTURES} captures under {}", dir.display());
            }
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
        entry.redacted_sample = capture.get("body").map(redact_values);
    }
    for finding in findings {
        let key = format!("{finding:?}");
        entry.findings.entry(key).or_insert((finding, 0)).1 += 1;
    }
}

fn rule(kind: Kind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The report as gate findings, each located at the operation's response (or the operation) in the
/// spec file.
pub fn findings(spec: &LoadedSpec, report: &Report) -> Vec<gate::Finding> {
    let mut out = Vec::new();
    for (operation, op) in &report.operations {
        let found = spec.spec.operation(operation);
        let label = match &found {
            Some(o) => format!("{operation} ({} {})", o.method, o.path),
            None => operation.clone(),
        };
        for (f, count) in op.findings.values() {
            let rule = rule(f.kind);
            let at = if f.path.is_empty() {
                String::new()
            } else {
                format!(" {}", f.path)
            };
            let location = if f.status.is_empty() {
                at.trim().to_owned()
            } else {
                format!("response {}{at}", f.status)
            };
            let position = found.as_ref().map(|o| {
                let base = format!(
                    "/paths/{}/{}",
                    crate::yaml_pos::token(o.path),
                    o.method.to_lowercase()
                );
                let response = format!("{base}/responses/{}", crate::yaml_pos::token(&f.status));
                let pos = spec.pos(&schema_node(&spec.spec, &response, &f.path));
                Position {
                    file: spec.file.clone(),
                    line: pos.line,
                    col: pos.col,
                }
            });
            out.push(gate::Finding {
                severity: f.severity,
                rule: rule.clone(),
                operations: vec![label.clone()],
                location,
                detail: format!(
                    "expected {}, found {} (in {count} capture(s))",
                    f.expected, f.found
                ),
                fingerprint: gate::fingerprint(&[
                    "drift",
                    operation,
                    &rule,
                    &f.status,
                    &f.path,
                    &f.expected,
                    &f.found,
                ]),
                position,
                accepted: None,
            });
        }
    }
    out
}

/// The spec node a finding's JSON path (`$.data.items[].id`) leads to from a response, for
/// annotations: the schema of that member, or of the nearest object that holds it.
fn schema_node(spec: &Spec, response: &str, path: &str) -> String {
    let json = "/content/application~1json/schema";
    let Some(mut schema) = spec
        .doc()
        .pointer(response)
        .map(|r| spec.resolve(r))
        .and_then(|r| r.pointer(json))
    else {
        return response.to_owned();
    };
    let (mut at, _) = crate::diff::resolve_at(spec, &format!("{response}{json}"), schema);
    let steps = path.strip_prefix('$').unwrap_or("").replace("[]", ".[]");
    // `.name`, `[]` and `.*` steps; a data-like `<key>` step cannot be followed further.
    for step in steps.split('.') {
        let flat = crate::diff::flatten_at(spec, &at, schema);
        let next = match step {
            "" => continue,
            "[]" => flat.value.get("items").map(|_| format!("{at}/items")),
            "*" => flat
                .value
                .get("additionalProperties")
                .map(|_| format!("{at}/additionalProperties")),
            name => flat.props.get(name).cloned(),
        };
        let Some(next) = next else { break };
        let Some(value) = spec.doc().pointer(&next) else {
            break;
        };
        (at, _) = crate::diff::resolve_at(spec, &next, value);
        schema = value;
    }
    at
}
