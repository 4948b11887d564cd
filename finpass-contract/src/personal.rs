//! The spec's personal-data classification (`x-finpass-personal`, openapi/README.md) as data: the
//! markers, how a property is classified once `$ref`s are followed, and every classified value an
//! operation sends or receives. The client's redacting `Debug` (generator), the spec check, the gate
//! and the personal-data map all read it from here, so they cannot disagree.
//!
//! It reads only the spec as JSON, so it serves any spec a tool loads (an older revision in a diff, a
//! variant in a test), not only the embedded one.

use serde_json::Value;

use crate::spec::pointer_token as token;

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

/// `node` with its `$ref` chain followed (at most 16 hops), and the pointer it was found at.
pub fn resolve<'a>(doc: &'a Value, node: &'a Value, at: &str) -> (&'a Value, String) {
    let mut node = node;
    let mut at = at.to_owned();
    for _ in 0..16 {
        let Some(target) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = target.strip_prefix('#') else {
            break;
        };
        let Some(next) = doc.pointer(pointer) else {
            break;
        };
        node = next;
        at = pointer.to_owned();
    }
    (node, at)
}

/// Whether a schema is an object (declared members or an open map), not a value.
pub fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
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
    if schema.get("type").and_then(Value::as_str) == Some("array")
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

/// One classified value an operation sends or receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Where it sits in the body (`data.reports[].account_number`; `data.*` for undeclared members),
    /// or the parameter's name and place (`client_id (query)`).
    pub path: String,
    /// The marker (`None` only for undeclared members nobody classified).
    pub marker: Option<Marker>,
    /// Undeclared members rather than a declared value.
    pub members: bool,
    /// Present in every request/response that follows the spec (required at every level).
    pub required: bool,
    /// JSON pointer of the node that gives the classification (the marker's place, or the object).
    pub at: String,
}

/// What one operation sends and receives, value by value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// `operationId`.
    pub operation: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Parameters and request-body values (multipart parts included).
    pub request: Vec<Field>,
    /// Values of the success (2xx) response body.
    pub response: Vec<Field>,
}

/// Every operation of `doc`, by operation id, with its classified values (and its `none` values,
/// whose marker has no category, so the gate can see a classification removed).
pub fn flows(doc: &Value) -> Vec<Flow> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let at = format!("/paths/{}/{method}", token(path));
            let mut request = Vec::new();
            for (i, parameter) in op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let (parameter, p_at) = resolve(doc, parameter, &format!("{at}/parameters/{i}"));
                let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
                let place = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
                let own = marker(parameter).ok().flatten();
                let schema = parameter.get("schema").unwrap_or(&Value::Null);
                let required = parameter.get("required") == Some(&Value::Bool(true));
                let field = |marker, members| Field {
                    path: format!("{name} ({place})"),
                    marker,
                    members,
                    required,
                    at: p_at.clone(),
                };
                match (own, class(doc, schema, None)) {
                    (Some(m), _) => request.push(field(Some(m), false)),
                    (None, Class::Value(m)) => request.push(field(Some(m), false)),
                    (None, Class::Members(m)) => request.push(field(m, true)),
                    (None, Class::Plain) => {}
                }
            }
            if let Some(body) = op.get("requestBody") {
                let (body, b_at) = resolve(doc, body, &format!("{at}/requestBody"));
                let required = body.get("required") == Some(&Value::Bool(true));
                if let Some((media, schema)) = first_media_schema(body) {
                    let s_at = format!("{b_at}/content/{}/schema", token(media));
                    walk(doc, schema, &s_at, "", required, 0, &mut request);
                }
            }
            let mut response = Vec::new();
            for (status, resp) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if !status.starts_with('2') {
                    continue;
                }
                let (resp, r_at) = resolve(doc, resp, &format!("{at}/responses/{status}"));
                if let Some((media, schema)) = first_media_schema(resp) {
                    let s_at = format!("{r_at}/content/{}/schema", token(media));
                    walk(doc, schema, &s_at, "", true, 0, &mut response);
                }
            }
            out.push(Flow {
                operation: id.to_owned(),
                method: method.to_uppercase(),
                path: path.clone(),
                request,
                response,
            });
        }
    }
    out.sort_by(|a, b| a.operation.cmp(&b.operation));
    out
}

fn first_media_schema(holder: &Value) -> Option<(&str, &Value)> {
    let (media, body) = holder.get("content")?.as_object()?.iter().next()?;
    Some((media.as_str(), body.get("schema")?))
}

/// Collects the classified values below `node` (a schema at pointer `at`), at body path `path`.
fn walk(
    doc: &Value,
    node: &Value,
    at: &str,
    path: &str,
    required: bool,
    depth: usize,
    out: &mut Vec<Field>,
) {
    if depth > 24 {
        return; // a recursive schema; the spec has none, and a map need not follow one
    }
    let own = marker(node).ok().flatten();
    let (schema, s_at) = resolve(doc, node, at);
    let found = own.clone().or_else(|| marker(schema).ok().flatten());
    let found_at = if own.is_some() { at } else { s_at.as_str() };
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        if let Some(m) = found.filter(|_| !is_object(schema)) {
            out.push(value_field(path, m, required, found_at));
        } else if let Some(items) = schema.get("items") {
            let items_at = format!("{s_at}/items");
            walk(
                doc,
                items,
                &items_at,
                &format!("{path}[]"),
                required,
                depth + 1,
                out,
            );
        }
        return;
    }
    if !is_object(schema) {
        if let Some(m) = found {
            out.push(value_field(path, m, required, found_at));
        }
        return;
    }
    let required_names: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    // Sorted, whatever serde_json's map type keeps: the map and the gate must not depend on it.
    let mut properties: Vec<(&String, &Value)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .collect();
    properties.sort_by(|a, b| a.0.cmp(b.0));
    for (name, property) in properties {
        let child = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        let p_at = format!("{s_at}/properties/{}", token(name));
        let needed = required && required_names.contains(&name.as_str());
        walk(doc, property, &p_at, &child, needed, depth + 1, out);
    }
    if keeps_undeclared(schema) {
        let personal = found.filter(Marker::is_personal);
        out.push(Field {
            path: if path.is_empty() {
                "*".to_owned()
            } else {
                format!("{path}.*")
            },
            marker: personal,
            members: true,
            required: false,
            at: s_at.clone(),
        });
    }
}

fn value_field(path: &str, marker: Marker, required: bool, at: &str) -> Field {
    Field {
        path: if path.is_empty() {
            "(the whole body)".to_owned()
        } else {
            path.to_owned()
        },
        marker: Some(marker),
        members: false,
        required,
        at: at.to_owned(),
    }
}


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
