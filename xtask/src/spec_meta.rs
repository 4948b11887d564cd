//! The `x-finpass` operation markers, read once from the parsed spec and emitted as a table the
//! handwritten runtime consults (retry class per operation) and the README coverage table renders.

use anyhow::{Context, Result, bail};
use openapiv3::{MediaType, OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// One operation as the generator and the runtime see it.
#[derive(Debug, Clone)]
pub struct OperationMeta {
    pub id: String,
    pub method: String,
    pub path: String,
    pub retry: String,
    pub docs: String,
    /// The request body's schema is wholly inferred (`x-finpass-undocumented`); false without a body.
    pub request_inferred: bool,
    /// The success body's schema is wholly inferred (`x-finpass-undocumented`).
    pub response_inferred: bool,
    /// Every declared error response, in spec order, with what the docs show of it.
    pub errors: Vec<ErrorResponseMeta>,
}

/// One declared error response and its `x-finpass: {status, body}` marker: whether the docs show
/// the status code and the body, or we inferred them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponseMeta {
    pub status: String,
    pub status_documented: bool,
    pub body_documented: bool,
}

/// Every operation in path order, with its markers validated.
pub fn operations(spec: &OpenAPI) -> Result<Vec<OperationMeta>> {
    let mut out = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            bail!("{path}: `$ref` path items are not supported by progenitor");
        };
        for (method, op) in item.iter() {
            let id = op.operation_id.clone().with_context(|| {
                format!("{method} {path}: every operation needs an operationId")
            })?;
            let marker = op
                .extensions
                .get("x-finpass")
                .with_context(|| format!("{id}: missing the `x-finpass` marker"))?;
            let field = |name: &str, allowed: &[&str]| -> Result<String> {
                let value = marker.get(name).and_then(|v| v.as_str()).with_context(|| {
                    format!("{id}: `x-finpass.{name}` is missing or not a string")
                })?;
                if !allowed.contains(&value) {
                    bail!("{id}: `x-finpass.{name}` is `{value}`; expected one of {allowed:?}");
                }
                Ok(value.to_owned())
            };
            let request = match &op.request_body {
                Some(ReferenceOr::Item(body)) => body.content.values().next(),
                Some(ReferenceOr::Reference { .. }) => {
                    bail!("{id}: `$ref` request bodies are not supported")
                }
                None => None,
            };
            let mut success = None;
            let mut errors = Vec::new();
            for (status, response) in &op.responses.responses {
                let status = status.to_string();
                let ReferenceOr::Item(response) = response else {
                    bail!("{id} {status}: `$ref` responses are not supported");
                };
                if status.starts_with('2') {
                    success = success.or(response.content.values().next());
                } else {
                    let marker = response.extensions.get("x-finpass");
                    errors.push(error_response(&id, &status, marker)?);
                }
            }
            out.push(OperationMeta {
                retry: field("retry", &["read", "side-effecting"])?,
                docs: field("docs", &["complete", "partial", "fragmentary"])?,
                request_inferred: is_inferred(spec, request),
                response_inferred: is_inferred(spec, success),
                errors,
                id,
                method: method.to_uppercase(),
                path: path.clone(),
            });
        }
    }
    Ok(out)
}

/// The `x-finpass: {status, body}` marker of an error response, validated.
fn error_response(
    id: &str,
    status: &str,
    marker: Option<&serde_json::Value>,
) -> Result<ErrorResponseMeta> {
    let marker = marker.with_context(|| {
        format!("{id} {status}: missing the `x-finpass: {{status, body}}` marker (documented or inferred)")
    })?;
    let documented = |name: &str| -> Result<bool> {
        match marker.get(name).and_then(|v| v.as_str()) {
            Some("documented") => Ok(true),
            Some("inferred") => Ok(false),
            other => bail!(
                "{id} {status}: `x-finpass.{name}` is {other:?}; expected `documented` or `inferred`"
            ),
        }
    };
    Ok(ErrorResponseMeta {
        status: status.to_owned(),
        status_documented: documented("status")?,
        body_documented: documented("body")?,
    })
}

/// Whether the schema of `media` (a component `$ref` or inline) is marked `x-finpass-undocumented`.
fn is_inferred(spec: &OpenAPI, media: Option<&MediaType>) -> bool {
    let schema = match media.and_then(|m| m.schema.as_ref()) {
        Some(ReferenceOr::Item(schema)) => Some(schema),
        Some(ReferenceOr::Reference { reference }) => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| spec.components.as_ref()?.schemas.get(name))
            .and_then(|s| s.as_item()),
        None => None,
    };
    schema.is_some_and(|s| {
        s.schema_data.extensions.get("x-finpass-undocumented")
            == Some(&serde_json::Value::Bool(true))
    })
}

/// Names of the operations the spec's top-level `x-finpass.unsupported-operations` lists: documented,
/// but impossible to declare (no path). Each entry needs a `name`, a `reason` and a `source`.
pub fn unsupported_operations(spec: &OpenAPI) -> Result<Vec<String>> {
    let Some(list) = spec.extensions.get("x-finpass") else {
        return Ok(Vec::new());
    };
    let entries = list
        .get("unsupported-operations")
        .and_then(|v| v.as_array())
        .context("`x-finpass.unsupported-operations` at the top level must be a list")?;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            for key in ["name", "reason", "source"] {
                if entry.get(key).and_then(|v| v.as_str()).is_none() {
                    bail!(
                        "`x-finpass.unsupported-operations[{i}].{key}` is missing or not a string"
                    );
                }
            }
            Ok(entry["name"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

/// `pub(crate) const OPERATIONS: &[Operation]`, consulted by the retry hooks.
pub fn operations_table(ops: &[OperationMeta]) -> TokenStream {
    let rows = ops.iter().map(|op| {
        let (id, method, path) = (&op.id, &op.method, &op.path);
        let retry = format_ident!(
            "{}",
            match op.retry.as_str() {
                "read" => "Read",
                _ => "SideEffecting",
            }
        );
        let docs = format_ident!(
            "{}",
            match op.docs.as_str() {
                "complete" => "Complete",
                "partial" => "Partial",
                _ => "Fragmentary",
            }
        );
        quote! {
            crate::operation::Operation {
                id: #id,
                method: #method,
                path: #path,
                retry: crate::operation::RetryClass::#retry,
                docs: crate::operation::DocsCoverage::#docs,
            }
        }
    });
    quote! {
        /// Every operation in the spec, with its `x-finpass` markers.
        pub(crate) const OPERATIONS: &[crate::operation::Operation] = &[#(#rows),*];
    }
}

/// JSON paths (array elements as `[]`) of every enum-typed member of each operation's 2xx body. The
/// capture hook keeps strings only at these paths, so captures show new enum values but no personal data.
pub fn enum_paths(doc: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) else {
        return out;
    };
    for item in paths.values() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for op in item.values() {
            let Some(id) = op.get("operationId").and_then(|v| v.as_str()) else {
                continue;
            };
            let mut found = Vec::new();
            let responses = op.get("responses").and_then(|r| r.as_object());
            for (status, response) in responses.into_iter().flatten() {
                if !status.starts_with('2') {
                    continue;
                }
                if let Some(schema) = response.pointer("/content/application~1json/schema") {
                    walk_enums(doc, schema, "", &mut found, 0);
                }
            }
            found.sort();
            found.dedup();
            out.push((id.to_owned(), found));
        }
    }
    out.sort();
    out
}

fn walk_enums(
    doc: &serde_json::Value,
    schema: &serde_json::Value,
    at: &str,
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let schema = match schema
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => match doc.pointer(pointer) {
            Some(target) => target,
            None => return,
        },
        None => schema,
    };
    let is_enum = schema.get("enum").is_some() || schema.get("x-finpass-open-enum").is_some();
    if is_enum {
        out.push(if at.is_empty() {
            "/".into()
        } else {
            at.to_owned()
        });
        return;
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for sub in schema
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            walk_enums(doc, sub, at, out, depth + 1);
        }
    }
    if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
        for (name, sub) in props {
            walk_enums(doc, sub, &format!("{at}/{name}"), out, depth + 1);
        }
    }
    if let Some(items) = schema.get("items") {
        walk_enums(doc, items, &format!("{at}/[]"), out, depth + 1);
    }
}

/// `pub(crate) const ENUM_PATHS`, consulted by the capture hook.
pub fn enum_paths_table(paths: &[(String, Vec<String>)]) -> TokenStream {
    let rows = paths
        .iter()
        .map(|(id, list)| quote! { (#id, &[#(#list),*]) });
    quote! {
        /// JSON paths of enum members in each operation's success body (strings kept by captures).
        pub(crate) const ENUM_PATHS: &[(&str, &[&str])] = &[#(#rows),*];
    }
}
