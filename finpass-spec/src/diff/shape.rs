//! What a schema admits, read the same way by `diff` and `drift`: `$ref`s followed, `allOf` merged,
//! its JSON types (nullable included) and its documented enum values.

use std::collections::{BTreeMap, BTreeSet};

use finpass_contract::Spec;
use serde_json::Value;

use super::walk::resolve_at;
use crate::yaml_pos::token;

/// A schema with `$ref`s followed and `allOf` merged, and where its properties are written.
#[derive(Debug)]
pub struct Flat {
    /// The merged schema.
    pub value: Value,
    /// Property name → pointer of its schema (inside whichever `allOf` branch holds it).
    pub props: BTreeMap<String, String>,
}

/// The schema with `$ref`s followed and `allOf` branches merged (properties and `required` united), so
/// a field moved between `allOf` branches is not mistaken for a removal.
pub fn flatten(spec: &Spec, schema: &Value) -> Value {
    flatten_at(spec, "", schema).value
}

/// [`flatten`], also saying where (JSON pointer, from `pointer`, the schema's own) each property is
/// written.
pub fn flatten_at(spec: &Spec, pointer: &str, schema: &Value) -> Flat {
    let (pointer, _) = resolve_at(spec, pointer, schema);
    let schema = spec.resolve(schema);
    let own = |name: &String| {
        (
            name.clone(),
            format!("{pointer}/properties/{}", token(name)),
        )
    };
    let mut props: BTreeMap<String, String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(n, _)| own(n))
        .collect();
    let Some(branches) = schema.get("allOf").and_then(Value::as_array) else {
        return Flat {
            value: schema.clone(),
            props,
        };
    };
    let mut merged = schema.clone();
    let Some(map) = merged.as_object_mut() else {
        return Flat {
            value: schema.clone(),
            props,
        };
    };
    map.remove("allOf");
    for (i, branch) in branches.iter().enumerate() {
        let branch = flatten_at(spec, &format!("{pointer}/allOf/{i}"), branch);
        for (name, at) in branch.props {
            props.entry(name).or_insert(at);
        }
        for (key, value) in branch.value.as_object().into_iter().flatten() {
            match (key.as_str(), map.get_mut(key)) {
                ("properties", Some(Value::Object(p))) => {
                    p.extend(value.as_object().cloned().unwrap_or_default())
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
    Flat {
        value: merged,
        props,
    }
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

pub(super) fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

pub(super) fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join("|")
}
