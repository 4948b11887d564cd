//! `finpass-spec diff <old> [<new>]`: which spec changes break code that uses the client.
//!
//! Judged at the wire, from the caller's side: a response may only get *wider* in what it adds (new
//! fields, statuses, values of open enums), never lose what callers read; a request may only get
//! *looser* (new optional fields, more enum values, relaxed constraints), never demand more.
//! Operations are matched by method and path, so a changed path or method shows up as a removed
//! operation (plus an added one). A change inside a shared node (a component schema, a security
//! scheme) is one finding naming that node and listing the operations it touches.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::gate::{self, Finding, Position, Severity};
use crate::source::SpecSource;
use crate::spec_check::{self, LoadedSpec};

mod constraints;
mod pattern;
mod personal;
mod request;
mod schema;
mod security;
mod shape;
mod walk;

pub use shape::{Flat, flatten, flatten_at, known_enum, types};
pub use walk::resolve_at;

/// Which spec a change is located in: the new one, or the old one for something removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The spec before the change.
    Old,
    /// The spec after it.
    New,
}

/// One difference between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// How much it matters to code that uses a client of the old spec.
    pub severity: Severity,
    /// Stable rule id (`removed-operation`, `changed-type`, …).
    pub rule: &'static str,
    /// `operationId (METHOD path)` of the old side (the new side for added operations); the first
    /// of [`Change::operations`].
    pub operation: String,
    /// Every operation the change touches (several when it sits in a shared node).
    pub operations: Vec<String>,
    /// Where in the (first) operation: `response 200 $.data.items[].id`, `request $.mobile_number`.
    pub location: String,
    /// The shared node the change sits in, when it is one: `schema InitResponse.data.redirect_url`,
    /// `security scheme ApiSecret`.
    pub shared: Option<String>,
    /// What changed, in words, naming the field, parameter, header or value.
    pub detail: String,
    /// The spec [`Change::pointer`] points into.
    pub side: Side,
    /// JSON pointer of the changed node in the `side` spec.
    pub pointer: String,
    /// Stable id of the change (see [`gate::fingerprint`]).
    pub fingerprint: String,
}

impl Change {
    /// Whether code written against the old spec may break.
    pub fn is_breaking(&self) -> bool {
        self.severity == Severity::Breaking
    }
}

/// One side of a comparison.
#[derive(Debug)]
pub struct Loaded {
    /// How the side was named (`main:openapi/finpass.yaml`, `openapi/finpass.yaml`).
    pub label: String,
    /// The side's spec, checked.
    pub spec: LoadedSpec,
}

/// Reads one side: an existing file, `REV:PATH`, or a bare git revision meaning the `spec` file at
/// that revision (looked up in the git repository that holds it). Every side passes the spec checks.
pub fn load_side(arg: &str, spec: &SpecSource) -> Result<Loaded> {
    let path = Path::new(arg);
    if path.is_file() {
        return Ok(Loaded {
            label: arg.to_owned(),
            spec: spec_check::load(path)?,
        });
    }
    let spec = match (spec.file(), arg.contains(':')) {
        (Some(file), _) => file,
        // `REV:PATH` is looked up from the current directory.
        (None, true) => Path::new("."),
        (None, false) => bail!(
            "`{arg}` is not a file, and a bare git revision needs a spec file to look up in it: \
             pass --spec PATH, or name the side as REV:PATH"
        ),
    };
    // `REV:PATH` is git's own form (PATH from the repository root); a bare revision means the spec
    // file at that revision (`./NAME` from the spec's directory).
    let spec_dir = match spec.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let (rev, file, object) = match arg.split_once(':') {
        Some((rev, file)) => (rev, file.to_owned(), arg.to_owned()),
        None => {
            let name = spec.file_name().unwrap_or_default().to_string_lossy();
            (arg, spec.display().to_string(), format!("{arg}:./{name}"))
        }
    };
    let output = Command::new("git")
        .arg("-C")
        .arg(&spec_dir)
        .args(["show", &object])
        .output()
        .context("running git")?;
    if !output.status.success() {
        bail!(
            "`{arg}` is neither a file nor a git revision holding the spec (`git show {object}`: {})",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = String::from_utf8(output.stdout).context("the spec is not UTF-8")?;
    if text.len() as u64 > crate::paths::MAX_SPEC_BYTES {
        bail!("{rev}:{file} is larger than the spec size limit");
    }
    Ok(Loaded {
        label: format!("{rev}:{file}"),
        spec: spec_check::from_text(&file, text)?,
    })
}

/// Every difference, breaking ones first, each group sorted; a change in a shared node once.
pub fn compare(old: &LoadedSpec, new: &LoadedSpec) -> Vec<Change> {
    let index = |spec: &LoadedSpec| -> BTreeMap<(String, String), String> {
        spec.spec
            .operations()
            .iter()
            .map(|op| ((op.path.to_owned(), op.method.clone()), op.id.to_owned()))
            .collect()
    };
    let (old_ops, new_ops) = (index(old), index(new));
    let label = |id: &str, (path, method): &(String, String)| format!("{id} ({method} {path})");
    let op_pointer = |(path, method): &(String, String)| {
        format!(
            "/paths/{}/{}",
            crate::yaml_pos::token(path),
            method.to_lowercase()
        )
    };
    let mut raw = Vec::new();
    for (key, id) in &old_ops {
        let mut walker = walk::Walker::new(&old.spec, &new.spec, label(id, key), op_pointer(key));
        match new_ops.get(key) {
            None => walker.push_op(
                Severity::Breaking,
                "removed-operation",
                Side::Old,
                "the operation is gone (or its path or method changed)",
            ),
            Some(new_id) => {
                if new_id != id {
                    walker.push_op(
                        Severity::Breaking,
                        "changed-operation-id",
                        Side::New,
                        &format!("operationId `{id}` renamed to `{new_id}`: the generated method name changes"),
                    );
                }
                walker.operation_pair();
            }
        }
        raw.extend(walker.out);
    }
    for (key, id) in &new_ops {
        if !old_ops.contains_key(key) {
            let mut walker =
                walk::Walker::new(&old.spec, &new.spec, label(id, key), op_pointer(key));
            walker.push_op(
                Severity::Info,
                "added-operation",
                Side::New,
                "new operation",
            );
            raw.extend(walker.out);
        }
    }
    // Personal data flowing in a new way is its own finding (`personal-data-…`), next to any
    // breaking change of the same value.
    let mut out = group(raw);
    out.extend(personal::changes(old, new));
    out.sort();
    out
}

/// Merges the copies of one change in a shared node (one per operation that reaches it).
fn group(raw: Vec<walk::Raw>) -> Vec<Change> {
    let mut merged: BTreeMap<Vec<String>, Change> = BTreeMap::new();
    let mut seen: HashSet<(Vec<String>, String)> = HashSet::new();
    for r in raw {
        let key = match &r.shared {
            Some(shared) => vec![
                r.rule.to_owned(),
                r.severity.as_str().into(),
                shared.clone(),
                r.detail.clone(),
            ],
            None => vec![
                r.rule.to_owned(),
                r.severity.as_str().into(),
                r.op_key.clone(),
                r.location.clone(),
                r.detail.clone(),
            ],
        };
        if !seen.insert((key.clone(), r.operation.clone())) {
            continue;
        }
        if let Some(existing) = merged.get_mut(&key) {
            existing.operations.push(r.operation);
            continue;
        }
        let mut parts: Vec<&str> = vec!["diff"];
        parts.extend(
            key.iter()
                .map(String::as_str)
                .filter(|p| *p != r.severity.as_str()),
        );
        let fingerprint = gate::fingerprint(&parts);
        merged.insert(
            key,
            Change {
                severity: r.severity,
                rule: r.rule,
                operation: r.operation.clone(),
                operations: vec![r.operation],
                location: r.location,
                shared: r.shared,
                detail: r.detail,
                side: r.side,
                pointer: r.pointer,
                fingerprint,
            },
        );
    }
    let mut out: Vec<Change> = merged.into_values().collect();
    for c in &mut out {
        c.operations.sort();
    }
    out.sort();
    out
}

/// The changes as gate findings, located in the file of their side.
pub fn findings(old: &Loaded, new: &Loaded, changes: &[Change]) -> Vec<Finding> {
    changes
        .iter()
        .map(|c| {
            let side = if c.side == Side::Old { old } else { new };
            let pos = side.spec.pos(&c.pointer);
            let location = match (&c.shared, c.operations.len()) {
                (Some(shared), n) if n > 1 => shared.clone(),
                _ => c.location.clone(),
            };
            Finding {
                severity: c.severity,
                rule: c.rule.to_owned(),
                operations: c.operations.clone(),
                location,
                detail: c.detail.clone(),
                fingerprint: c.fingerprint.clone(),
                position: Some(Position {
                    file: side.spec.file.clone(),
                    line: pos.line,
                    col: pos.col,
                }),
                accepted: None,
            }
        })
        .collect()
}
