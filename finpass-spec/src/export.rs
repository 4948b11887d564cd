//! `finpass-spec export`: the spec as other generators want it, in a `dist/` directory beside it
//! (`openapi/dist/` in the repository).
//!
//! The handwritten YAML is ordered for people (operations grouped by product, fields in docs order).
//! The export is ordered for machines: every object's keys sorted, so a diff of the export shows only
//! contract changes and never a reshuffle. Array order is kept because it carries meaning (`oneOf`
//! branches, `enum` order that generators turn into variant order, `servers`, `tags`).

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use crate::spec_check::LoadedSpec;
use crate::{freshness, spec_check};

/// The exported files, by name inside the output directory, in the order they are written.
pub const JSON: &str = "finpass.json";
/// The YAML twin of [`JSON`] (same content, same order).
pub const YAML: &str = "finpass.yaml";
/// OpenAPI 3.1 rendering: `nullable` → type arrays, schema `example` → `examples`.
pub const JSON_31: &str = "finpass.3.1.json";

/// Every exported file (name, content), rendered from spec text, which must pass the spec checks
/// (every `$ref` inside the file, so the export is self-contained). `file` names it in messages.
pub fn render(file: &str, spec_text: &str) -> Result<Vec<(&'static str, String)>> {
    render_loaded(&spec_check::from_text(file, spec_text.to_owned())?)
}

/// Every exported file (name, content) of a spec that passed the checks.
pub fn render_loaded(loaded: &LoadedSpec) -> Result<Vec<(&'static str, String)>> {
    let doc = canonical(&loaded.doc);
    let json = serde_json::to_string_pretty(&doc)? + "\n";
    // Quoted for YAML 1.1 readers too (PyYAML must read what the JSON holds).
    let yaml = crate::yaml_out::to_yaml(&doc);
    let json_31 = serde_json::to_string_pretty(&canonical(&to_openapi_31(&doc)))? + "\n";
    Ok(vec![(JSON, json), (YAML, yaml), (JSON_31, json_31)])
}

/// Writes the export of `loaded` into `out` (created if missing); returns the files that changed.
pub fn export(loaded: &LoadedSpec, out: &Path) -> Result<Vec<&'static str>> {
    let mut changed = Vec::new();
    for (file, content) in render_loaded(loaded)? {
        let target = out.join(file);
        if read(&target) == content {
            continue;
        }
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        std::fs::write(&target, content)
            .with_context(|| format!("writing {}", target.display()))?;
        changed.push(file);
    }
    Ok(changed)
}

/// Fails with a unified diff for every file in `out` that differs from a fresh export of `loaded`,
/// and with file and line for every one that breaks the official OpenAPI 3.0/3.1 schema. `fix` is
/// the command the message tells the reader to run.
pub fn check(loaded: &LoadedSpec, out: &Path, fix: &str) -> Result<()> {
    let mut errors = Vec::new();
    for file in [JSON, YAML, JSON_31] {
        if let Err(e) = spec_check::load(&out.join(file)) {
            errors.push(e.to_string());
        }
    }
    for (file, content) in render_loaded(loaded)? {
        let path = out.join(file);
        let shown = path.display().to_string();
        if let Err(e) = freshness::compare(&shown, &read(&path), &content, fix) {
            errors.push(format!("{e:#}"));
        }
    }
    if !errors.is_empty() {
        bail!("{}", errors.join("\n\n"));
    }
    Ok(())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .replace("\r\n", "\n")
}

/// A copy with every object's keys sorted. Built explicitly rather than relying on serde_json's map
/// type, because another crate in the build may switch on `preserve_order`.
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&map[k])))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The OpenAPI 3.1 form of a 3.0 document. Only schema objects change, so the walk follows schema
/// positions instead of rewriting every key named `nullable` or `example` (a media type's `example`
/// is still valid in 3.1, and a property may legitimately be called `example`).
pub fn to_openapi_31(doc: &Value) -> Value {
    let mut doc = doc.clone();
    doc["openapi"] = Value::from("3.1.0");
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.values_mut().for_each(schema_31);
    }
    for key in ["paths", "components"] {
        if let Some(part) = doc.get_mut(key) {
            rewrite_embedded_schemas(part);
        }
    }
    doc
}

/// Schemas embedded in parameters, media types and headers sit under a `schema` key.
fn rewrite_embedded_schemas(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "schema" => schema_31(child),
                    // Component schemas are handled by the caller; example values are data, not schemas.
                    "schemas" | "example" | "examples" => {}
                    _ => rewrite_embedded_schemas(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_embedded_schemas),
        _ => {}
    }
}

fn schema_31(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = map.get_mut(key) {
            schema_31(child);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            branches.iter_mut().for_each(schema_31);
        }
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        props.values_mut().for_each(schema_31);
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), Value::Array(vec![example]));
    }
    if map.remove("nullable") == Some(Value::Bool(true)) {
        nullable_31(map);
    }
}

fn nullable_31(map: &mut Map<String, Value>) {
    if let Some(Value::String(t)) = map.get("type") {
        let t = t.clone();
        map.insert(
            "type".into(),
            Value::Array(vec![Value::from(t), Value::from("null")]),
        );
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            values.push(Value::Null);
        }
    } else {
        // `$ref` or a composition: keep it whole as one branch next to `null`.
        let inner = Value::Object(std::mem::take(map));
        let null = serde_json::json!({"type": "null"});
        map.insert("anyOf".into(), Value::Array(vec![inner, null]));
    }
}

/// One line per operation: `METHOD path operationId statuses`, in path order. Snapshotted by the
/// tests so every contract change shows up in review as a one-line diff.
pub fn operation_list(doc: &Value) -> Vec<String> {
    let spec =
        finpass_contract::Spec::from_yaml(&doc.to_string()).expect("a JSON document is valid YAML");
    let mut rows: Vec<(&str, String, String)> = spec
        .operations()
        .iter()
        .map(|op| {
            let mut statuses: Vec<&str> = op
                .op
                .get("responses")
                .and_then(Value::as_object)
                .map(|r| r.keys().map(String::as_str).collect())
                .unwrap_or_default();
            statuses.sort();
            let line = format!(
                "{:<6} {} {} [{}]",
                op.method,
                op.path,
                op.id,
                statuses.join(", ")
            );
            (op.path, op.method.clone(), line)
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, _, line)| line).collect()
}
