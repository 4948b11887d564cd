//! The `x-finpass` operation markers, read once from the parsed spec and emitted as a table the
//! handwritten runtime consults (retry class per operation) and the README coverage table renders.

use anyhow::{Context, Result, bail};
use openapiv3::{OpenAPI, ReferenceOr};
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
            out.push(OperationMeta {
                retry: field("retry", &["read", "side-effecting"])?,
                docs: field("docs", &["complete", "partial", "fragmentary"])?,
                id,
                method: method.to_uppercase(),
                path: path.clone(),
            });
        }
    }
    Ok(out)
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
