//! The checks with precise messages: references, schema types, operationIds, the OpenAPI version.
//! Each problem is `(JSON pointer, message)`; the caller turns pointers into lines.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::yaml_pos::token;

const TYPES_30: &[&str] = &["array", "boolean", "integer", "number", "object", "string"];

pub(super) fn check(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
        out.push((
            "/openapi".into(),
            format!("`openapi: {version}` is not an OpenAPI 3.0.x or 3.1.x version"),
        ));
        return out;
    }
    references(doc, doc, "", &mut out);
    let is_31 = version.starts_with("3.1.");
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            schema_types(
                schema,
                &format!("/components/schemas/{}", token(name)),
                is_31,
                &mut out,
            );
        }
    }
    for part in ["paths", "components"] {
        if let Some(value) = doc.get(part) {
            embedded_schemas(value, &format!("/{part}"), is_31, &mut out);
        }
    }
    operation_ids(doc, &mut out);
    out
}

/// Every `$ref` must point at a node of this document.
fn references(doc: &Value, value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let here = format!("{at}/$ref");
                match target.strip_prefix('#') {
                    Some(pointer) if doc.pointer(pointer).is_some() => {}
                    Some(_) => out.push((
                        here,
                        format!("`$ref: {target}` points at nothing in this file"),
                    )),
                    None => out.push((
                        here,
                        format!("`$ref: {target}` points outside this file; the spec must be self-contained"),
                    )),
                }
            }
            for (key, child) in map {
                references(doc, child, &format!("{at}/{}", token(key)), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                references(doc, child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Schemas embedded in parameters, media types and headers sit under a `schema` key.
fn embedded_schemas(value: &Value, at: &str, is_31: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}/{}", token(key));
                match key.as_str() {
                    "schema" => schema_types(child, &here, is_31, out),
                    "schemas" | "example" | "examples" => {}
                    _ => embedded_schemas(child, &here, is_31, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                embedded_schemas(child, &format!("{at}/{i}"), is_31, out);
            }
        }
        _ => {}
    }
}

fn schema_types(schema: &Value, at: &str, is_31: bool, out: &mut Vec<(String, String)>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(kind) = map.get("type") {
        let allowed = |t: &Value| {
            t.as_str()
                .is_some_and(|t| TYPES_30.contains(&t) || (is_31 && t == "null"))
        };
        let valid = match kind {
            Value::Array(list) if is_31 => list.iter().all(allowed),
            other => allowed(other),
        };
        if !valid {
            let shown = kind
                .as_str()
                .map_or_else(|| kind.to_string(), str::to_owned);
            out.push((
                format!("{at}/type"),
                format!(
                    "schema `type: {shown}` is not a JSON Schema type (one of {})",
                    TYPES_30.join(", ")
                ),
            ));
        }
    }
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = map.get(key) {
            schema_types(child, &format!("{at}/{key}"), is_31, out);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            for (i, branch) in branches.iter().enumerate() {
                schema_types(branch, &format!("{at}/{key}/{i}"), is_31, out);
            }
        }
    }
    if let Some(Value::Object(props)) = map.get("properties") {
        for (name, child) in props {
            schema_types(
                child,
                &format!("{at}/properties/{}", token(name)),
                is_31,
                out,
            );
        }
    }
}

/// operationIds name the generated methods: two operations cannot share one.
fn operation_ids(doc: &Value, out: &mut Vec<(String, String)>) {
    let mut first: BTreeMap<&str, String> = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let here = format!("{} {path}", method.to_uppercase());
            match first.get(id) {
                Some(other) => out.push((
                    format!("/paths/{}/{method}/operationId", token(path)),
                    format!("operationId `{id}` is used twice: by {other} and by {here}"),
                )),
                None => {
                    first.insert(id, here);
                }
            }
        }
    }
}
