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
