//! The enum paths of each operation's success body, read from the spec document and rendered (with
//! `quote!`) as `finpass-client/src/capture/generated.rs`: captures keep strings only there.

use proc_macro2::TokenStream;
use quote::quote;

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

/// `capture/generated.rs`: the enum paths the capture hook keeps.
pub fn enum_paths_table(paths: &[(String, Vec<String>)]) -> TokenStream {
    let rows = paths
        .iter()
        .map(|(id, list)| quote! { (#id, &[#(#list),*]) });
    quote! {
        /// JSON paths of enum members in each operation's success body (strings kept by captures).
        pub(crate) const ENUM_PATHS: &[(&str, &[&str])] = &[#(#rows),*];
    }
}
