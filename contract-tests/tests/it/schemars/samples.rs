//! Instances to validate a component with: the spec's own examples of it (component examples and the
//! parts of operation examples that are of this component), a valid sample built from its schema, and
//! mutations of that sample that break one rule each.

use finpass_contract::Spec;
use serde_json::{Map, Value, json};

/// One instance and how it was made.
pub struct Sample {
    pub label: String,
    pub value: Value,
    /// Built to satisfy the spec (a failure is a bug of the sample builder, not a finding).
    pub valid: bool,
}

/// Every sample of the component `name` (the spec document `doc` has `nullable` rewritten).
pub fn samples(spec: &Spec, doc: &Value, name: &str) -> Vec<Sample> {
    let target = format!("#/components/schemas/{name}");
    let mut out = Vec::new();
    let Some(schema) = doc.pointer(&format!("/components/schemas/{name}")) else {
        return out;
    };
    if let Some(example) = schema.get("example") {
        out.push(sample("`example` of the component", example.clone()));
    }
    for ex in spec.examples() {
        let Some(at) = doc.pointer(&ex.schema_pointer) else {
            continue;
        };
        let mut found = Vec::new();
        find(doc, at, ex.value, &target, &mut found, 0);
        for value in found {
            let label = format!("from example `{}` of {} {}", ex.name, ex.operation, ex.slot);
            out.push(sample(&label, value));
        }
    }
    let valid = valid_sample(doc, schema, 0);
    out.push(Sample {
        valid: true,
        ..sample("built from the schema", valid.clone())
    });
    out.extend(mutations(doc, schema, &valid));
    out
}

fn sample(label: &str, value: Value) -> Sample {
    Sample {
        label: format!("({label}) `{value}`"),
        value,
        valid: false,
    }
}

/// The parts of `value` (an instance of `schema`) that are instances of the `target` reference.
fn find(doc: &Value, schema: &Value, value: &Value, target: &str, out: &mut Vec<Value>, depth: u8) {
    if depth > 12 {
        return;
    }
    if schema.get("$ref").and_then(Value::as_str) == Some(target) {
        out.push(value.clone());
        return;
    }
    let schema = resolve(doc, schema);
    for key in ["anyOf", "oneOf", "allOf"] {
        for alt in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            find(doc, alt, value, target, out, depth + 1);
        }
    }
    if let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for (key, sub) in props {
            if let Some(v) = obj.get(key) {
                find(doc, sub, v, target, out, depth + 1);
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for v in list {
            find(doc, items, v, target, out, depth + 1);
        }
    }
}

fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(p) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        match doc.pointer(p) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// An instance the schema accepts: its example when it has one, else built from its keywords, with
/// every property present.
pub fn valid_sample(doc: &Value, schema: &Value, depth: u8) -> Value {
    let schema = resolve(doc, schema);
    if depth > 0
        && let Some(example) = schema.get("example")
    {
        return example.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alt) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return valid_sample(doc, alt, depth + 1);
        }
    }
    let t = types(schema);
    let has = |x: &str| t.contains(&x);
    if has("object") || schema.get("properties").is_some() {
        let mut obj = Map::new();
        for (key, sub) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            obj.insert(key.clone(), valid_sample(doc, sub, depth + 1));
        }
        return Value::Object(obj);
    }
    if has("array") {
        let item = schema
            .get("items")
            .map_or(json!("x"), |i| valid_sample(doc, i, depth + 1));
        return json!([item]);
    }
    if has("string") {
        if let Some(example) = schema.get("example") {
            return example.clone();
        }
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(4);
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        return json!(
            "text"
                .repeat(4)
                .chars()
                .take(min.max(4).min(max) as usize)
                .collect::<String>()
        );
    }
    if has("integer") {
        return json!(1);
    }
    if has("number") {
        return json!(1.5);
    }
    if has("boolean") {
        return json!(true);
    }
    json!({})
}

/// A value of another JSON type than every type `schema` allows (none when it allows any).
fn wrong_type(schema: &Value) -> Option<Value> {
    let t = types(schema);
    if t.is_empty() {
        return None;
    }
    let candidates = [
        ("string", json!("wrong type")),
        ("integer", json!(12345)),
        ("boolean", json!(false)),
        ("array", json!(["wrong type"])),
        ("object", json!({"wrong": "type"})),
    ];
    let allowed = |ty: &str| t.contains(&ty) || (ty == "integer" && t.contains(&"number"));
    candidates
        .into_iter()
        .find(|(ty, _)| !allowed(ty))
        .map(|(_, v)| v)
}

/// Values of `schema` that break one of its own rules, each with what it breaks.
fn breaking_values(doc: &Value, schema: &Value) -> Vec<(String, Value)> {
    let schema = resolve(doc, schema);
    let mut out = Vec::new();
    if let Some(v) = wrong_type(schema) {
        out.push(("of the wrong type".into(), v));
    }
    if schema.get("enum").is_some() {
        out.push(("outside the enum".into(), json!("not-a-listed-value")));
    }
    if schema.get("pattern").is_some() {
        out.push(("breaking the pattern".into(), json!("!! no match !!")));
    }
    if let Some(min) = schema
        .get("minLength")
        .and_then(Value::as_u64)
        .filter(|m| *m > 0)
    {
        out.push((
            "shorter than minLength".into(),
            json!("x".repeat(min as usize - 1)),
        ));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        out.push((
            "longer than maxLength".into(),
            json!("x".repeat(max as usize + 1)),
        ));
    }
    if schema.get("minItems").and_then(Value::as_u64) == Some(1) {
        out.push(("with fewer items than minItems".into(), json!([])));
    }
    if schema.get("uniqueItems") == Some(&json!(true)) {
        let item = schema
            .get("items")
            .map_or(json!("x"), |i| valid_sample(doc, i, 1));
        out.push(("with a repeated item".into(), json!([item.clone(), item])));
    }
    out
}

/// The valid sample with one rule broken: the component's own value, each required property
/// dropped, each property given a value that breaks its schema.
fn mutations(doc: &Value, schema: &Value, valid: &Value) -> Vec<Sample> {
    let schema = resolve(doc, schema);
    let mut out: Vec<Sample> = breaking_values(doc, schema)
        .into_iter()
        .map(|(what, v)| sample(&format!("the value {what}"), v))
        .collect();
    let Some(obj) = valid.as_object() else {
        return out;
    };
    for key in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = key.as_str().unwrap_or_default();
        let mut broken = obj.clone();
        if broken.remove(key).is_some() {
            out.push(sample(
                &format!("without required `{key}`"),
                Value::Object(broken),
            ));
        }
    }
    for (key, sub) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (what, v) in breaking_values(doc, sub) {
            let mut broken = obj.clone();
            broken.insert(key.clone(), v);
            out.push(sample(&format!("`{key}` {what}"), Value::Object(broken)));
        }
    }
    out
}
