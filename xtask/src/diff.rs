//! `cargo xtask diff <old> [<new>]`: which spec changes break code that uses the client.
//!
//! Judged at the wire, from the caller's side: a response may only get *wider* in what it adds (new
//! fields, statuses, enum values), never lose what callers read; a request may only get *looser*
//! (new optional fields, more enum values), never demand more. Operations are matched by method and
//! path, so a changed path or method shows up as a removed operation (plus an added one).

use std::collections::{BTreeMap, HashSet};
use std::process::Command;

use anyhow::{Context, Result, bail};
use finpass_contract::Spec;
use serde::Serialize;
use serde_json::{Value, json};

use crate::paths;

mod schema;
pub use schema::{flatten, known_enum, types};

/// One difference between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Whether code written against the old spec may break.
    pub breaking: bool,
    /// Stable rule id (`removed-operation`, `changed-type`, …), for CI annotations and tests.
    pub rule: &'static str,
    /// `operationId (METHOD path)` of the old side (the new side for added operations).
    pub operation: String,
    /// Where in the operation: `response 200 .data.items[].id`, `request .mobile_number`, ….
    pub location: String,
    /// What changed, in words.
    pub detail: String,
}

/// Reads one side: an existing file, `REV:PATH`, or a bare git revision meaning the spec at that rev.
pub fn load_side(arg: &str) -> Result<(String, Spec)> {
    let root = paths::root();
    let as_file = if std::path::Path::new(arg).is_absolute() {
        arg.into()
    } else {
        root.join(arg)
    };
    let (label, text) = if std::path::Path::new(arg).is_file() || as_file.is_file() {
        let file = if std::path::Path::new(arg).is_file() {
            std::path::PathBuf::from(arg)
        } else {
            as_file
        };
        (
            arg.to_owned(),
            std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?,
        )
    } else {
        let object = if arg.contains(':') {
            arg.to_owned()
        } else {
            format!("{arg}:{}", paths::SPEC)
        };
        let output = Command::new("git")
            .args(["show", &object])
            .current_dir(&root)
            .output()
            .context("running git")?;
        if !output.status.success() {
            bail!(
                "`{arg}` is neither a file nor a git revision holding the spec (`git show {object}`: {})",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        (
            object,
            String::from_utf8(output.stdout).context("the spec is not UTF-8")?,
        )
    };
    let spec = Spec::from_yaml(&text).with_context(|| format!("parsing {label}"))?;
    Ok((label, spec))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

struct Walker<'a> {
    old: &'a Spec,
    new: &'a Spec,
    operation: String,
    out: Vec<Change>,
    /// `$ref` pairs already compared under this body, so recursive schemas terminate.
    seen: HashSet<(String, String)>,
}

/// Every difference, breaking ones first, each group sorted.
pub fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    let index = |spec: &Spec| -> BTreeMap<(String, String), String> {
        spec.operations()
            .iter()
            .map(|op| ((op.path.to_owned(), op.method.clone()), op.id.to_owned()))
            .collect()
    };
    let (old_ops, new_ops) = (index(old), index(new));
    let mut out = Vec::new();
    let label = |id: &str, (path, method): &(String, String)| format!("{id} ({method} {path})");
    for (key, id) in &old_ops {
        let Some(new_id) = new_ops.get(key) else {
            out.push(change(
                true,
                "removed-operation",
                label(id, key),
                "",
                "the operation is gone (or its path or method changed)",
            ));
            continue;
        };
        let mut walker = Walker {
            old,
            new,
            operation: label(id, key),
            out: Vec::new(),
            seen: HashSet::new(),
        };
        if new_id != id {
            walker.push(
                true,
                "changed-operation-id",
                "operationId",
                &format!("renamed to `{new_id}`: the generated method name changes"),
            );
        }
        let op_old = old.operation(id).expect("indexed above");
        let op_new = new.operation(new_id).expect("indexed above");
        walker.operation_pair(op_old.op, op_new.op);
        out.extend(walker.out);
    }
    for (key, id) in &new_ops {
        if !old_ops.contains_key(key) {
            out.push(change(
                false,
                "added-operation",
                label(id, key),
                "",
                "new operation",
            ));
        }
    }
    out.sort_by(|a, b| b.breaking.cmp(&a.breaking).then(a.cmp(b)));
    out.dedup();
    out
}

fn change(
    breaking: bool,
    rule: &'static str,
    operation: String,
    location: &str,
    detail: &str,
) -> Change {
    Change {
        breaking,
        rule,
        operation,
        location: location.to_owned(),
        detail: detail.to_owned(),
    }
}

impl Walker<'_> {
    fn push(&mut self, breaking: bool, rule: &'static str, location: &str, detail: &str) {
        self.out.push(change(
            breaking,
            rule,
            self.operation.clone(),
            location.trim(),
            detail,
        ));
    }

    fn operation_pair(&mut self, old: &Value, new: &Value) {
        let (sec_old, sec_new) = (security(self.old, old), security(self.new, new));
        if sec_old != sec_new {
            self.push(
                true,
                "changed-security",
                "security",
                "the required credentials changed",
            );
        }
        self.parameters(old, new);
        self.request_body(old.get("requestBody"), new.get("requestBody"));
        self.responses(old, new);
    }

    fn parameters(&mut self, old: &Value, new: &Value) {
        let collect = |spec: &Spec, op: &Value| -> BTreeMap<(String, String), Value> {
            op.get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| spec.resolve(p).clone())
                .map(|p| ((str_at(&p, "in"), str_at(&p, "name")), p))
                .collect()
        };
        let (old_params, new_params) = (collect(self.old, old), collect(self.new, new));
        for ((place, name), p_new) in &new_params {
            let at = format!("{place} parameter `{name}`");
            let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
            match old_params.get(&(place.clone(), name.clone())) {
                None if required(p_new) => self.push(
                    true,
                    "newly-required-parameter",
                    &at,
                    "new required parameter",
                ),
                None => self.push(false, "added-parameter", &at, "new optional parameter"),
                Some(p_old) => {
                    if required(p_new) && !required(p_old) {
                        self.push(
                            true,
                            "newly-required-parameter",
                            &at,
                            "the parameter became required",
                        );
                    }
                    if let (Some(s_old), Some(s_new)) = (p_old.get("schema"), p_new.get("schema")) {
                        self.seen.clear();
                        self.schema(Dir::Request, &at, s_old, s_new);
                    }
                }
            }
        }
    }

    fn request_body(&mut self, old: Option<&Value>, new: Option<&Value>) {
        let Some(new) = new.map(|b| self.new.resolve(b)) else {
            return;
        };
        let required = |b: &Value| b.get("required").and_then(Value::as_bool).unwrap_or(false);
        let Some(old) = old.map(|b| self.old.resolve(b)) else {
            if required(new) {
                self.push(
                    true,
                    "newly-required-request-field",
                    "request body",
                    "a request body is now required",
                );
            }
            return;
        };
        if required(new) && !required(old) {
            self.push(
                true,
                "newly-required-request-field",
                "request body",
                "the request body became required",
            );
        }
        self.content(Dir::Request, "request", old, new);
    }

    fn responses(&mut self, old: &Value, new: &Value) {
        let map = |op: &Value| {
            op.get("responses")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (old_map, new_map) = (map(old), map(new));
        for (status, r_old) in &old_map {
            let at = format!("response {status}");
            match new_map.get(status) {
                None => self.push(
                    true,
                    "removed-status",
                    &at,
                    "the status is no longer documented",
                ),
                Some(r_new) => {
                    let (r_old, r_new) = (
                        self.old.resolve(r_old).clone(),
                        self.new.resolve(r_new).clone(),
                    );
                    self.content(Dir::Response, &at, &r_old, &r_new);
                }
            }
        }
        for status in new_map.keys().filter(|s| !old_map.contains_key(*s)) {
            self.push(
                false,
                "added-status",
                &format!("response {status}"),
                "new documented status",
            );
        }
    }

    /// Compares the schemas of the media types both sides share; a dropped media type is a type change.
    fn content(&mut self, dir: Dir, at: &str, old: &Value, new: &Value) {
        let content = |v: &Value| {
            v.get("content")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (c_old, c_new) = (content(old), content(new));
        for (media, m_old) in &c_old {
            match c_new.get(media) {
                None => self.push(
                    true,
                    "changed-type",
                    at,
                    &format!("media type `{media}` is gone"),
                ),
                Some(m_new) => {
                    if let (Some(s_old), Some(s_new)) = (m_old.get("schema"), m_new.get("schema")) {
                        self.seen.clear();
                        self.schema(dir, &format!("{at} $"), s_old, s_new);
                    }
                }
            }
        }
    }
}

/// The operation's effective security, with scheme names replaced by their definitions, so renaming a
/// scheme is not a change but moving an API key to another header is.
fn security(spec: &Spec, op: &Value) -> Value {
    let requirements = op
        .get("security")
        .or_else(|| spec.doc().get("security"))
        .cloned()
        .unwrap_or(json!([]));
    let schemes = spec
        .doc()
        .pointer("/components/securitySchemes")
        .cloned()
        .unwrap_or(json!({}));
    let mut resolved: Vec<Vec<String>> = requirements
        .as_array()
        .into_iter()
        .flatten()
        .map(|req| {
            let mut parts: Vec<String> = req
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, scopes)| {
                    let scheme = schemes
                        .get(name)
                        .map(|s| spec.resolve(s).clone())
                        .unwrap_or(Value::Null);
                    let mut scheme = crate::export::canonical(&scheme);
                    if let Some(m) = scheme.as_object_mut() {
                        m.remove("description");
                    }
                    format!("{scheme}{scopes}")
                })
                .collect();
            parts.sort();
            parts
        })
        .collect();
    resolved.sort();
    json!(resolved)
}

fn str_at(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// The human report.
pub fn render_human(old: &str, new: &str, changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut out = format!("comparing {old} → {new}\n");
    for (title, want) in [("BREAKING", true), ("not breaking", false)] {
        let group: Vec<&Change> = changes.iter().filter(|c| c.breaking == want).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title} ({}):\n", group.len()));
        for c in group {
            let location = if c.location.is_empty() {
                String::new()
            } else {
                format!(" at {}", c.location)
            };
            out.push_str(&format!(
                "  [{}] {}{location}: {}\n",
                c.rule, c.operation, c.detail
            ));
        }
    }
    out.push_str(&match breaking {
        0 => "\nno breaking change\n".to_owned(),
        n => format!("\n{n} breaking change(s)\n"),
    });
    out
}

/// The JSON report (`--format json`).
pub fn render_json(old: &str, new: &str, changes: &[Change]) -> Value {
    json!({
        "old": old,
        "new": new,
        "breaking": changes.iter().any(|c| c.breaking),
        "changes": changes,
    })
}
