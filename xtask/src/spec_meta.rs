//! The `x-finpass` operation markers and the facts the runtime needs about each operation, read once
//! from the parsed spec and rendered (with `quote!`) as `finpass-client/src/operation/generated.rs`
//! and `capture/generated.rs`; the README coverage table renders the same model.

use anyhow::{Context, Result, bail};
use openapiv3::{MediaType, OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

// The enum paths the capture hook keeps (`capture/generated.rs`).
mod enum_paths;
pub use enum_paths::{enum_paths, enum_paths_table};
// `x-finpass.required-headers`: what the request hook sends beyond the generated request.
mod required_headers;

/// One operation as the generator and the runtime see it.
#[derive(Debug, Clone)]
pub struct OperationMeta {
    pub id: String,
    pub method: String,
    pub path: String,
    pub retry: String,
    pub docs: String,
    /// The 2xx statuses the spec declares (the only ones that decode as success).
    pub success_statuses: Vec<u16>,
    /// The component schema of the JSON success body, when it is a `$ref`.
    pub success_schema: Option<String>,
    /// For a `multipart/form-data` request: the file part's name and allowed extensions.
    pub file_part: Option<(String, Vec<String>)>,
    /// The request body's schema is wholly inferred (`x-finpass-undocumented`); false without a body.
    pub request_inferred: bool,
    /// The success body's schema is wholly inferred (`x-finpass-undocumented`).
    pub response_inferred: bool,
    /// Every declared error response, in spec order, with what the docs show of it.
    pub errors: Vec<ErrorResponseMeta>,
    /// The request body's first example (`example`, else the first of `examples`), for the docs.
    pub request_example: Option<serde_json::Value>,
    /// Each parameter's example, by parameter name, for the docs.
    pub parameter_examples: Vec<(String, serde_json::Value)>,
    /// `x-finpass.required-headers`: lower-case names and values the page requires on every call.
    pub required_headers: Vec<(String, String)>,
}

/// One declared error response and its `x-finpass: {status, body}` marker: whether the docs show
/// the status code and the body, or we inferred them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponseMeta {
    pub status: String,
    pub status_documented: bool,
    pub body_documented: bool,
}

/// The values of `x-finpass.retry` and the `RetryClass` variant each one becomes: the one list the
/// marker check and the operation table both read.
pub const RETRY_CLASSES: [(&str, &str); 3] = [
    ("read", "Read"),
    ("side-effecting", "SideEffecting"),
    ("billed", "Billed"),
];

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
            let mut success_statuses = Vec::new();
            let mut success_schema = None;
            for (status, response) in &op.responses.responses {
                let openapiv3::StatusCode::Code(code) = status else {
                    bail!("{id}: status ranges (`{status}`) are not supported; list the codes");
                };
                if !(200..300).contains(code) {
                    continue;
                }
                success_statuses.push(*code);
                if let ReferenceOr::Item(response) = response
                    && let Some(media) = response.content.get("application/json")
                    && let Some(ReferenceOr::Reference { reference }) = &media.schema
                {
                    success_schema = reference.rsplit('/').next().map(str::to_owned);
                }
            }
            if success_statuses.is_empty() {
                bail!("{id}: no 2xx response is declared");
            }
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
            let request_example = request.and_then(first_example);
            let parameter_examples = op
                .parameters
                .iter()
                .filter_map(|p| match p {
                    ReferenceOr::Item(p) => Some(p.parameter_data_ref()),
                    ReferenceOr::Reference { .. } => None,
                })
                .filter_map(|data| {
                    let example = data.example.clone().or_else(|| {
                        data.examples.values().find_map(|e| match e {
                            ReferenceOr::Item(e) => e.value.clone(),
                            ReferenceOr::Reference { .. } => None,
                        })
                    })?;
                    Some((data.name.clone(), example))
                })
                .collect();
            out.push(OperationMeta {
                required_headers: required_headers::required_headers(&id, marker)?,
                request_example,
                parameter_examples,
                success_statuses,
                success_schema,
                file_part: file_part(spec, op).with_context(|| format!("{id}: multipart body"))?,
                retry: field("retry", &RETRY_CLASSES.map(|(marker, _)| marker))?,
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

/// A media type's `example`, else the value of its first `examples` entry.
fn first_example(media: &MediaType) -> Option<serde_json::Value> {
    media.example.clone().or_else(|| {
        media.examples.values().find_map(|e| match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    })
}

/// The file part of a `multipart/form-data` request: the one required `format: binary` property and
/// its `x-finpass-allowed-extensions`.
fn file_part(spec: &OpenAPI, op: &openapiv3::Operation) -> Result<Option<(String, Vec<String>)>> {
    let Some(ReferenceOr::Item(body)) = &op.request_body else {
        return Ok(None);
    };
    let Some(media) = body.content.get("multipart/form-data") else {
        return Ok(None);
    };
    let schema = match &media.schema {
        Some(ReferenceOr::Item(schema)) => schema,
        Some(ReferenceOr::Reference { reference }) => {
            let name = reference.rsplit('/').next().unwrap_or_default();
            match spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
                Some(ReferenceOr::Item(schema)) => schema,
                _ => bail!("`{reference}` does not resolve to a schema"),
            }
        }
        None => bail!("no schema"),
    };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind else {
        bail!("the multipart schema is not an object");
    };
    for (name, property) in &object.properties {
        let ReferenceOr::Item(property) = property else {
            continue;
        };
        let binary = matches!(&property.schema_kind, openapiv3::SchemaKind::Type(openapiv3::Type::String(s))
            if matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)));
        if !binary {
            continue;
        }
        let extensions = property
            .schema_data
            .extensions
            .get("x-finpass-allowed-extensions")
            .and_then(|v| v.as_array())
            .with_context(|| format!("file part `{name}` has no `x-finpass-allowed-extensions`"))?
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .context("extensions are strings")
            })
            .collect::<Result<Vec<_>>>()?;
        return Ok(Some((name.clone(), extensions)));
    }
    bail!("no `format: binary` file part")
}

/// `operation/generated.rs`: the operation table the retry hooks, the call path and the upload consult.
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
/// but impossible to declare (no path). Each entry needs a `name`, a `reason` and a `source`, and each
/// of its request and response `fields` a `name` and the JSON type the page documents (or, without
/// `type`, a `description` that says it is not known): what a schema would be written from.
#[cfg(test)]
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
            for part in ["request", "response"] {
                let fields = entry.pointer(&format!("/{part}/fields"));
                for (j, field) in fields.and_then(|f| f.as_array()).into_iter().flatten().enumerate() {
                    let at = format!("`x-finpass.unsupported-operations[{i}].{part}.fields[{j}]`");
                    let text = |key: &str| field.get(key).and_then(|v| v.as_str());
                    let name = text("name").with_context(|| format!("{at} has no `name`"))?;
                    match text("type") {
                        Some(t) if JSON_TYPES.contains(&t) => {}
                        Some(t) => bail!("{at} (`{name}`): `{t}` is not a JSON type"),
                        None if text("description").is_some_and(|d| d.contains("not known")) => {}
                        None => bail!(
                            "{at} (`{name}`): give the documented type, or say in `description` that it is not known"
                        ),
                    }
                }
            }
            Ok(entry["name"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

/// The `type` values of JSON Schema (besides `null`).
#[cfg(test)]
const JSON_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "object", "array"];

/// `pub(crate) const OPERATIONS: &[Operation]`, consulted by the retry hooks.
pub fn operations_table(ops: &[OperationMeta]) -> TokenStream {
    let rows = ops.iter().map(|op| {
        let (id, method, path) = (&op.id, &op.method, &op.path);
        // `operations` accepted only the markers of `RETRY_CLASSES`.
        let variant = RETRY_CLASSES
            .iter()
            .find(|(marker, _)| *marker == op.retry)
            .map_or("SideEffecting", |(_, variant)| variant);
        let retry = format_ident!("{variant}");
        let docs = format_ident!(
            "{}",
            match op.docs.as_str() {
                "complete" => "Complete",
                "partial" => "Partial",
                _ => "Fragmentary",
            }
        );
        let success = &op.success_statuses;
        let headers = op
            .required_headers
            .iter()
            .map(|(name, value)| quote!((#name, #value)));
        let file_part = match &op.file_part {
            Some((field, extensions)) => {
                quote!(Some(FilePart { field: #field, extensions: &[#(#extensions),*] }))
            }
            None => quote!(None),
        };
        quote! {
            Operation {
                id: #id,
                method: #method,
                path: #path,
                retry: RetryClass::#retry,
                docs: DocsCoverage::#docs,
                success: &[#(#success),*],
                file_part: #file_part,
                required_headers: &[#(#headers),*],
            }
        }
    });
    quote! {
        use super::{DocsCoverage, FilePart, Operation, RetryClass};

        /// Every operation in the spec, in spec order, with its `x-finpass` markers.
        pub(crate) const OPERATIONS: &[Operation] = &[#(#rows),*];
    }
}
