//! What each operation sends and receives, value by value: the walk from an operation's parameters,
//! request body and success response down to every classified value.

use serde_json::Value;

use super::{Class, Marker, class, is_object, keeps_undeclared, marker, resolve, type_name};
use crate::spec::pointer_token as token;

/// One classified value an operation sends or receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Where it sits in the body (`data.reports[].account_number`; `data.*` for undeclared members),
    /// or the parameter's name and place (`client_id (query)`).
    pub path: String,
    /// The marker (`None` for undeclared members nobody classified, and in [`all_values`] for every
    /// value nobody classified).
    pub marker: Option<Marker>,
    /// Undeclared members (`x.*`) rather than a declared value.
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
    flows_with(doc, false)
}

/// [`flows`] plus every value nobody classified (`marker: None`, `members: false`), so that the
/// gate can tell a classification removed from a value removed.
pub fn all_values(doc: &Value) -> Vec<Flow> {
    flows_with(doc, true)
}

fn flows_with(doc: &Value, all: bool) -> Vec<Flow> {
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
                    (None, Class::Plain) if all => request.push(field(None, false)),
                    (None, Class::Plain) => {}
                }
            }
            if let Some(body) = op.get("requestBody") {
                let (body, b_at) = resolve(doc, body, &format!("{at}/requestBody"));
                let required = body.get("required") == Some(&Value::Bool(true));
                if let Some((media, schema)) = first_media_schema(body) {
                    let s_at = format!("{b_at}/content/{}/schema", token(media));
                    let mut walk = Walk {
                        doc,
                        all,
                        out: &mut request,
                    };
                    walk.walk(schema, &s_at, "", required, 0);
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
                    let mut walk = Walk {
                        doc,
                        all,
                        out: &mut response,
                    };
                    walk.walk(schema, &s_at, "", true, 0);
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

/// The values below a schema, collected into `out`.
struct Walk<'a> {
    doc: &'a Value,
    /// Unclassified values too.
    all: bool,
    out: &'a mut Vec<Field>,
}

impl Walk<'_> {
    /// Collects the values below `node` (a schema at pointer `at`), at body path `path`. An array of
    /// values is one value (`tags`); an array of objects is walked into (`reports[].account_number`).
    fn walk(&mut self, node: &Value, at: &str, path: &str, required: bool, depth: usize) {
        if depth > 24 {
            return; // a recursive schema; the spec has none, and a map need not follow one
        }
        let own = marker(node).ok().flatten();
        let (schema, s_at) = resolve(self.doc, node, at);
        let mut found = own.clone().or_else(|| marker(schema).ok().flatten());
        let mut found_at = if own.is_some() {
            at.to_owned()
        } else {
            s_at.clone()
        };
        if type_name(schema) == Some("array") {
            let items = schema.get("items").unwrap_or(&Value::Null);
            let items_at = format!("{s_at}/items");
            let (item_schema, i_at) = resolve(self.doc, items, &items_at);
            if is_object(item_schema) {
                self.walk(items, &items_at, &format!("{path}[]"), required, depth + 1);
                return;
            }
            if found.is_none() {
                found = marker(items)
                    .ok()
                    .flatten()
                    .or_else(|| marker(item_schema).ok().flatten());
                found_at = i_at;
            }
        } else if is_object(schema) {
            self.members(schema, &s_at, path, required, found, depth);
            return;
        }
        match found {
            Some(m) => self
                .out
                .push(value_field(path, Some(m), required, &found_at)),
            None if self.all => self.out.push(value_field(path, None, required, &s_at)),
            None => {}
        }
    }

    /// The declared members of an object, then its undeclared ones (under the object's marker).
    fn members(
        &mut self,
        schema: &Value,
        s_at: &str,
        path: &str,
        required: bool,
        found: Option<Marker>,
        depth: usize,
    ) {
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
            self.walk(property, &p_at, &child, needed, depth + 1);
        }
        if keeps_undeclared(schema) {
            self.out.push(Field {
                path: if path.is_empty() {
                    "*".to_owned()
                } else {
                    format!("{path}.*")
                },
                marker: found.filter(Marker::is_personal),
                members: true,
                required: false,
                at: s_at.to_owned(),
            });
        }
    }
}

fn value_field(path: &str, marker: Option<Marker>, required: bool, at: &str) -> Field {
    Field {
        path: if path.is_empty() {
            "(the whole body)".to_owned()
        } else {
            path.to_owned()
        },
        marker,
        members: false,
        required,
        at: at.to_owned(),
    }
}
