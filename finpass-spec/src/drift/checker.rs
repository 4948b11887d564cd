//! Checks one capture against its operation's response schema.

use std::collections::BTreeSet;

use finpass_contract::Spec;
use serde_json::{Map, Value};

use super::{Finding, Kind, safe_key};
use finpass_contract::personal;

use crate::diff::{flatten, known_enum, types};
use crate::gate::Severity;
use crate::spec_check::personal::looks_personal;

/// How much a kind of drift matters to a consumer of the generated client.
fn severity(kind: Kind) -> Severity {
    match kind {
        Kind::TypeMismatch | Kind::MissingRequiredField | Kind::InvalidCapture => {
            Severity::Breaking
        }
        Kind::UnknownField
        | Kind::UnknownEnumValue
        | Kind::UndocumentedStatus
        | Kind::UnknownOperation
        | Kind::UnclassifiedPersonalData => Severity::Warning,
        Kind::UndocumentedMember => Severity::Info,
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
        severity: severity(kind),
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

    /// A value outside a closed enum fails decoding; outside an open one it is only news.
    fn unknown_enum_value(&mut self, schema: &Value, path: &str, count: usize) {
        let mut f = finding(
            Kind::UnknownEnumValue,
            self.status,
            path,
            &format!("one of {count} documented values"),
            "string",
        );
        if schema.get("x-finpass-open-enum") != Some(&Value::Bool(true)) {
            f.severity = Severity::Breaking;
        }
        self.out.insert(f);
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
                Some(_) => self.unknown_enum_value(&schema, path, values.len()),
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
        // The spec says it does not know every member here: `additionalProperties: true` or `{}`,
        // or `x-finpass-undocumented`.
        let open = schema.get("x-finpass-undocumented") == Some(&Value::Bool(true))
            || matches!(schema.get("additionalProperties"), Some(Value::Bool(true)))
            || schema
                .get("additionalProperties")
                .is_some_and(|a| a.as_object().is_some_and(Map::is_empty));
        for (name, value) in fields {
            let member = format!("{path}.{}", safe_key(name));
            match (properties.and_then(|p| p.get(name)), map_values) {
                (Some(field_schema), _) => {
                    if self.unclassified_value(field_schema) {
                        self.personal_looking(name, &member, value);
                    }
                    self.walk(field_schema, value, &format!("{path}.{name}"), depth + 1)
                }
                (None, Some(value_schema)) => {
                    self.walk(value_schema, value, &format!("{path}.*"), depth + 1)
                }
                (None, None) => {
                    self.report(
                        if open {
                            Kind::UndocumentedMember
                        } else {
                            Kind::UnknownField
                        },
                        &member,
                        "not documented",
                        type_name(value),
                    );
                    // Undeclared members are classified by the object's own marker, if any.
                    if personal::marker(schema).ok().flatten().is_none() {
                        self.personal_looking(name, &member, value);
                    }
                }
            }
        }
    }

    /// Whether a declared member's schema leaves its value unclassified (no marker on it, on what it
    /// refers to, or a `none`), and it is a value rather than an object with its own members.
    fn unclassified_value(&self, field_schema: &Value) -> bool {
        let doc = self.spec.doc();
        let (resolved, _) = personal::resolve(doc, field_schema, "");
        let marked = |node: &Value| personal::marker(node).ok().flatten().is_some();
        // An object with members of its own, or a list of them: its members are judged one by one.
        let container = |node: &Value| {
            let (node, _) = personal::resolve(doc, node, "");
            personal::is_object(node) && node.get("properties").is_some()
        };
        personal::class(doc, field_schema, None) == personal::Class::Plain
            && !marked(field_schema)
            && !marked(resolved)
            && !container(resolved)
            && !resolved.get("items").is_some_and(container)
    }

    /// Reports a member whose name says it holds a person's data.
    fn personal_looking(&mut self, name: &str, member: &str, value: &Value) {
        if !value.is_object() && looks_personal(name, "").is_some() {
            self.report(
                Kind::UnclassifiedPersonalData,
                member,
                "`x-finpass-personal` on the member (or its object)",
                type_name(value),
            );
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

fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join("|")
}
