//! The spec's personal-data classification (`x-finpass-personal`, the categories are in the
//! [spec's README](https://github.com/finpass-rs/finpass-rs/blob/main/openapi/README.md)) as data: the
//! markers, how a property is classified once `$ref`s are followed, and every classified value an
//! operation sends or receives. The client's redacting `Debug` (generator), the spec check, the gate
//! and the personal-data map all read it from here, so they cannot disagree.
//!
//! It reads only the spec as JSON, so it serves any spec a tool loads (an older revision in a diff, a
//! variant in a test), not only the embedded one.

use serde_json::Value;

/// The categories a marker may name, in the order the map lists them.
pub const CATEGORIES: [&str; 7] = [
    "identifier",
    "contact",
    "name",
    "demographic",
    "financial",
    "credit",
    "credential",
];
/// A personal-looking name whose value is not personal data (needs a note saying why).
pub const NONE: &str = "none";
/// The label of undeclared members that no marker classifies.
pub const UNCLASSIFIED: &str = "unclassified";
/// The marker.
pub const KEY: &str = "x-finpass-personal";
/// The note beside it: masking, expiry, retention, or why a `none` is not personal data.
pub const NOTE_KEY: &str = "x-finpass-personal-note";

/// One `x-finpass-personal` marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The categories, in [`CATEGORIES`] order; empty for `none`.
    pub categories: Vec<String>,
    /// `x-finpass-personal-note`.
    pub note: Option<String>,
}

impl Marker {
    /// Whether the value is personal data (not `none`).
    pub fn is_personal(&self) -> bool {
        !self.categories.is_empty()
    }

    /// `contact`, `name, contact, financial`, or `none`: what `Debug` prints inside `<redacted: …>`.
    pub fn label(&self) -> String {
        if self.categories.is_empty() {
            NONE.to_owned()
        } else {
            self.categories.join(", ")
        }
    }
}

/// The marker at `node`, if any; `Err` says what is wrong with a malformed one.
pub fn marker(node: &Value) -> Result<Option<Marker>, String> {
    let Some(value) = node.get(KEY) else {
        if node.get(NOTE_KEY).is_some() {
            return Err(format!("`{NOTE_KEY}` without `{KEY}`"));
        }
        return Ok(None);
    };
    let names: Vec<&str> = match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| format!("`{KEY}` lists a non-string"))
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(format!(
                "`{KEY}` must be a category or a list of categories"
            ));
        }
    };
    let note = match node.get(NOTE_KEY) {
        None => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(_) => return Err(format!("`{NOTE_KEY}` must be a non-empty string")),
    };
    if names == [NONE] {
        if note.is_none() {
            return Err(format!(
                "`{KEY}: none` needs an `{NOTE_KEY}` saying why the value is not personal data"
            ));
        }
        return Ok(Some(Marker {
            categories: Vec::new(),
            note,
        }));
    }
    if names.is_empty() {
        return Err(format!("`{KEY}` lists no category"));
    }
    for name in &names {
        if !CATEGORIES.contains(name) {
            return Err(format!(
                "`{KEY}: {name}` is not a category; expected one of {CATEGORIES:?}, or `none` alone"
            ));
        }
    }
    let categories: Vec<String> = CATEGORIES
        .iter()
        .filter(|c| names.contains(c))
        .map(|c| (*c).to_owned())
        .collect();
    if categories.len() != names.len() {
        return Err(format!("`{KEY}` names a category twice"));
    }
    Ok(Some(Marker { categories, note }))
}

/// `node` with its `$ref` chain followed (at most 16 hops), and the pointer it was found at. The
/// OpenAPI 3.1 form of a nullable reference (`anyOf: [X, {type: null}]`, what the 3.1 export writes)
/// is followed to `X`, so both renderings classify alike.
pub fn resolve<'a>(doc: &'a Value, node: &'a Value, at: &str) -> (&'a Value, String) {
    let mut node = node;
    let mut at = at.to_owned();
    for _ in 0..16 {
        if let Some(inner) = nullable_31(node) {
            node = inner;
            at = format!("{at}/anyOf/0");
            continue;
        }
        let Some((next, pointer)) = crate::spec::follow_ref(doc, node) else {
            break;
        };
        node = next;
        at = pointer.to_owned();
    }
    (node, at)
}

/// `X` of `{anyOf: [X, {type: null}]}` (and nothing else beside it).
fn nullable_31(node: &Value) -> Option<&Value> {
    let map = node.as_object()?;
    let [inner, null] = map.get("anyOf")?.as_array()?.as_slice() else {
        return None;
    };
    (map.len() == 1 && null == &serde_json::json!({"type": "null"})).then_some(inner)
}

/// The schema's `type`: the string, or the one type besides `null` of a 3.1 type list.
pub fn type_name(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(types) => {
            let mut named = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null");
            match (named.next(), named.next()) {
                (Some(t), None) => Some(t),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether a schema is an object (declared members or an open map), not a value.
pub fn is_object(schema: &Value) -> bool {
    type_name(schema) == Some("object")
        || schema.get("properties").is_some()
        || schema.get("additionalProperties").is_some()
}

/// Whether an object keeps members it does not declare (`additionalProperties` other than `false`).
pub fn keeps_undeclared(schema: &Value) -> bool {
    schema
        .get("additionalProperties")
        .is_some_and(|ap| ap != &Value::Bool(false))
}

fn declares_members(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

/// How a property's (or a parameter's) value is classified, once `$ref`s are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A personal value (or an array of them): redacted whole.
    Value(Marker),
    /// An open map (or an array of them): keys kept, values redacted under the object's marker
    /// (`None`: unclassified).
    Members(Option<Marker>),
    /// Not personal data itself: not classified, `none`, or an object whose members say.
    Plain,
}

/// The class of the schema `node` (a property's schema, a parameter's `schema`, an array's `items`).
/// A marker beside the node (a parameter's own) is passed as `own`.
pub fn class(doc: &Value, node: &Value, own: Option<&Marker>) -> Class {
    let own = own.cloned().or_else(|| marker(node).ok().flatten());
    let (schema, _) = resolve(doc, node, "");
    let marker = own.or_else(|| marker(schema).ok().flatten());
    if type_name(schema) == Some("array")
        && let Some(items) = schema.get("items")
    {
        return match (&marker, class(doc, items, None)) {
            (Some(m), _) if m.is_personal() => Class::Value(m.clone()),
            (_, inner) => inner,
        };
    }
    if is_object(schema) {
        return if declares_members(schema) {
            Class::Plain
        } else {
            Class::Members(marker.filter(Marker::is_personal))
        };
    }
    match marker {
        Some(m) if m.is_personal() => Class::Value(m),
        _ => Class::Plain,
    }
}

// What each operation sends and receives, value by value.
mod flows;
pub use flows::{Field, Flow, all_values, flows};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn markers_parse_and_malformed_ones_are_named() {
        let m = marker(&json!({KEY: ["financial", "name"], NOTE_KEY: "why"}))
            .unwrap()
            .unwrap();
        assert_eq!(m.label(), "name, financial");
        assert!(marker(&json!({KEY: "none"})).unwrap_err().contains("needs"));
        assert!(
            marker(&json!({KEY: "secret"}))
                .unwrap_err()
                .contains("not a category")
        );
        assert!(
            marker(&json!({KEY: ["name", "name"]}))
                .unwrap_err()
                .contains("twice")
        );
        assert!(marker(&json!({NOTE_KEY: "x"})).is_err());
        assert_eq!(marker(&json!({"type": "string"})).unwrap(), None);
    }

    #[test]
    fn a_ref_to_a_classified_value_classifies_the_property_and_objects_classify_members() {
        let doc = json!({"components": {"schemas": {
            "Mobile": {"type": "string", KEY: "contact"},
            "Open": {"type": "object", "additionalProperties": true, KEY: "credit"},
            "Body": {"type": "object", "required": ["mobile"], "additionalProperties": {}, KEY: "financial",
                "properties": {
                    "mobile": {"$ref": "#/components/schemas/Mobile"},
                    "list": {"type": "array", "items": {"$ref": "#/components/schemas/Open"}},
                    "bank_name": {"type": "string", KEY: "none", NOTE_KEY: "the bank's"}}}}},
            "paths": {"/x": {"post": {"operationId": "x",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}}},
                "responses": {"200": {"description": "ok"}}}}}});
        let body = &doc["components"]["schemas"]["Body"]["properties"];
        assert!(
            matches!(class(&doc, &body["mobile"], None), Class::Value(m) if m.label() == "contact")
        );
        assert!(
            matches!(class(&doc, &body["list"], None), Class::Members(Some(m)) if m.label() == "credit")
        );
        assert_eq!(class(&doc, &body["bank_name"], None), Class::Plain);
        let flow = &flows(&doc)[0];
        let paths: Vec<_> = flow.request.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["bank_name", "list[].*", "mobile", "*"]);
        assert!(flow.request[2].required && !flow.request[0].is_personal_field());
    }

    impl Field {
        fn is_personal_field(&self) -> bool {
            self.marker.as_ref().is_some_and(Marker::is_personal)
        }
    }
}
