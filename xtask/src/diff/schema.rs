//! The schema half of `cargo xtask diff`: two versions of one schema compared in a direction
//! (request or response), plus the schema helpers `drift` shares.

use std::collections::BTreeSet;

use finpass_contract::Spec;
use serde_json::Value;

use super::{Dir, Walker, str_at};

impl Walker<'_> {
    pub(super) fn schema(&mut self, dir: Dir, at: &str, old: &Value, new: &Value) {
        let refs = (str_at(old, "$ref"), str_at(new, "$ref"));
        if !refs.0.is_empty() && !refs.1.is_empty() && !self.seen.insert(refs) {
            return;
        }
        let (old, new) = (flatten(self.old, old), flatten(self.new, new));
        self.types(dir, at, &old, &new);
        self.enums(dir, at, &old, &new);
        self.properties(dir, at, &old, &new);
        if let (Some(i_old), Some(i_new)) = (old.get("items"), new.get("items")) {
            self.schema(dir, &format!("{at}[]"), i_old, i_new);
        }
        if let (Some(a_old @ Value::Object(_)), Some(a_new @ Value::Object(_))) = (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            self.schema(dir, &format!("{at}.*"), a_old, a_new);
        }
        // Plain (non-enum) unions: compare branch by branch while their shape is unchanged.
        for key in ["oneOf", "anyOf"] {
            if let (Some(Value::Array(b_old)), Some(Value::Array(b_new))) =
                (old.get(key), new.get(key))
                && b_old.len() == b_new.len()
                && known_enum(&old).is_none()
            {
                for (o, n) in b_old.iter().zip(b_new) {
                    self.schema(dir, at, o, n);
                }
            }
        }
    }

    fn types(&mut self, dir: Dir, at: &str, old: &Value, new: &Value) {
        let (Some(t_old), Some(t_new)) = (types(old), types(new)) else {
            return;
        };
        // Safe directions: a request may accept more types, a response may send fewer.
        let breaking = match dir {
            Dir::Request => !t_old.is_subset(&t_new),
            Dir::Response => !t_new.is_subset(&t_old),
        };
        if t_old != t_new {
            let detail = format!("type {} → {}", join(&t_old), join(&t_new));
            self.push(breaking, "changed-type", at, &detail);
        }
    }

    fn enums(&mut self, dir: Dir, at: &str, old: &Value, new: &Value) {
        let (e_old, e_new) = (known_enum(old), known_enum(new));
        match (dir, e_old, e_new) {
            (Dir::Request, None, Some(_)) => self.push(
                true,
                "narrowed-request-enum",
                at,
                "the value is now restricted to an enum",
            ),
            (dir, Some(e_old), Some(e_new)) => {
                let removed: Vec<String> = e_old.difference(&e_new).cloned().collect();
                let added: Vec<String> = e_new.difference(&e_old).cloned().collect();
                if !removed.is_empty() {
                    let rule = if dir == Dir::Request {
                        "narrowed-request-enum"
                    } else {
                        "removed-response-enum-value"
                    };
                    self.push(
                        true,
                        rule,
                        at,
                        &format!("enum value(s) removed: {}", removed.join(", ")),
                    );
                }
                if !added.is_empty() {
                    self.push(
                        false,
                        "added-enum-value",
                        at,
                        &format!("enum value(s) added: {}", added.join(", ")),
                    );
                }
            }
            _ => {}
        }
    }

    fn properties(&mut self, dir: Dir, at: &str, old: &Value, new: &Value) {
        let props = |s: &Value| {
            s.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (p_old, p_new) = (props(old), props(new));
        let (r_old, r_new) = (required(old), required(new));
        for (name, s_old) in &p_old {
            let field = format!("{at}.{name}");
            match (p_new.get(name), dir) {
                (None, Dir::Response) => {
                    self.push(true, "removed-response-field", &field, "the field is gone")
                }
                (None, Dir::Request) => self.push(
                    false,
                    "removed-request-field",
                    &field,
                    "the field is no longer documented",
                ),
                (Some(s_new), _) => {
                    if dir == Dir::Response && r_old.contains(name) && !r_new.contains(name) {
                        self.push(
                            true,
                            "response-field-now-optional",
                            &field,
                            "the field may now be absent",
                        );
                    }
                    self.schema(dir, &field, s_old, s_new);
                }
            }
        }
        for name in p_new.keys().filter(|n| !p_old.contains_key(*n)) {
            let field = format!("{at}.{name}");
            match dir {
                Dir::Response => self.push(false, "added-response-field", &field, "new field"),
                Dir::Request if !r_new.contains(name) => {
                    self.push(false, "added-request-field", &field, "new optional field")
                }
                Dir::Request => {}
            }
        }
        if dir == Dir::Request {
            for name in r_new.difference(&r_old) {
                let detail = if p_old.contains_key(name) {
                    "the field became required"
                } else {
                    "new required field"
                };
                self.push(
                    true,
                    "newly-required-request-field",
                    &format!("{at}.{name}"),
                    detail,
                );
            }
        }
    }
}

/// The schema with `$ref`s followed and `allOf` branches merged (properties and `required` united), so
/// a field moved between `allOf` branches is not mistaken for a removal.
pub fn flatten(spec: &Spec, schema: &Value) -> Value {
    let schema = spec.resolve(schema);
    let Some(branches) = schema.get("allOf").and_then(Value::as_array) else {
        return schema.clone();
    };
    let mut merged = schema.clone();
    let map = merged
        .as_object_mut()
        .expect("a schema with allOf is an object");
    map.remove("allOf");
    for branch in branches {
        let branch = flatten(spec, branch);
        for (key, value) in branch.as_object().into_iter().flatten() {
            match (key.as_str(), map.get_mut(key)) {
                ("properties", Some(Value::Object(props))) => {
                    props.extend(value.as_object().cloned().unwrap_or_default());
                }
                ("required", Some(Value::Array(list))) => {
                    list.extend(value.as_array().cloned().unwrap_or_default())
                }
                (_, None) => {
                    map.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
    }
    merged
}

/// The JSON types a schema admits, `null` included when nullable; `None` when it does not say.
pub fn types(schema: &Value) -> Option<BTreeSet<String>> {
    let mut out: BTreeSet<String> = match schema.get("type") {
        Some(Value::String(t)) => [t.clone()].into(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ if schema.get("properties").is_some() => ["object".to_owned()].into(),
        _ if known_enum(schema).is_some() => ["string".to_owned()].into(),
        _ => return None,
    };
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        out.insert("null".into());
    }
    Some(out)
}

/// The documented values of a closed `enum`, or the known branch of an `x-finpass-open-enum` `oneOf`.
pub fn known_enum(schema: &Value) -> Option<BTreeSet<String>> {
    let values = match schema.get("enum") {
        Some(values) => values,
        None if schema.get("x-finpass-open-enum") == Some(&Value::Bool(true)) => schema
            .get("oneOf")?
            .as_array()?
            .iter()
            .find(|branch| branch.get("not").is_none() && branch.get("enum").is_some())?
            .get("enum")?,
        None => return None,
    };
    Some(
        values
            .as_array()?
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
    )
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join("|")
}
