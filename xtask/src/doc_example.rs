//! The compiled `no_run` example on each generated `Finpass` method, built from the spec's request
//! example and the Rust types progenitor generated (read back with `syn`), so that it type-checks as
//! a doctest: the request is built with the type's builder when every required field of the example
//! is a plain string, number or boolean, and parsed from the example's JSON otherwise.

use serde_json::Value;
use syn::{Fields, Item, Type};

use crate::progenitor_output::{OperationShape, Setter};
use crate::spec_meta::OperationMeta;

/// The doc lines of the example, fenced.
pub fn example(file: &syn::File, shape: &OperationShape, op: &OperationMeta) -> Vec<String> {
    let mut setup = Vec::new();
    let mut args = Vec::new();
    for setter in &shape.setters {
        let name = setter.name.to_string();
        if name == "body" {
            setup.extend(body(file, setter, op.request_example.as_ref()));
            args.push("body".to_owned());
        } else {
            let value = op
                .parameter_examples
                .iter()
                .find(|(param, _)| *param == name)
                .map(|(_, v)| v);
            args.push(scalar(value).unwrap_or_else(|| format!("{:?}", format!("<{name}>"))));
        }
    }
    let mut lines = vec![
        String::new(),
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        "# async fn example(finpass: finpass_client::Finpass) -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
    ];
    if setup.iter().any(|l| l.contains("types::")) {
        lines.push("use finpass_client::types;".to_owned());
        lines.push(String::new());
    }
    lines.extend(setup);
    lines.push(format!(
        "let response = finpass.{}({}).await?;",
        shape.id,
        args.join(", ")
    ));
    lines.push("# let _ = response;".to_owned());
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    // rustdoc keeps the leading space of `/// text`; `#[doc]` strings need it explicitly.
    lines.into_iter().map(|l| format!(" {l}")).collect()
}

/// `let body = ...;` for a request body.
fn body(file: &syn::File, setter: &Setter, example: Option<&Value>) -> Vec<String> {
    let ty = type_name(&setter.target).unwrap_or_else(|| "Request".to_owned());
    let example = example
        .cloned()
        .unwrap_or(Value::Object(Default::default()));
    if let Some(calls) = builder_calls(file, &ty, &example) {
        let mut lines = vec![format!("let body = types::{ty}::builder()")];
        lines.extend(calls.into_iter().map(|c| format!("    {c}")));
        if let Some(last) = lines.last_mut() {
            last.push(';');
        }
        return lines;
    }
    let json = serde_json::to_string_pretty(&example).unwrap_or_else(|_| "{}".to_owned());
    let mut lines = vec![format!(
        "let body: types::{ty} = serde_json::from_value(serde_json::json!("
    )];
    lines.extend(json.lines().map(|l| format!("    {l}")));
    lines.push("))?;".to_owned());
    lines
}

/// One setter call per required field, when every required field has a scalar example value.
fn builder_calls(file: &syn::File, ty: &str, example: &Value) -> Option<Vec<String>> {
    let fields = struct_fields(file, ty)?;
    let object = example.as_object()?;
    let mut calls = Vec::new();
    for (json_name, rust_name, optional) in fields {
        if optional {
            continue;
        }
        let value = scalar(object.get(&json_name))?;
        calls.push(format!(".{rust_name}({value})"));
    }
    Some(calls)
}

/// A Rust literal for a JSON string, number or boolean.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(format!("{s:?}")),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `(json name, field name, is Option)` of every named field of `struct ty` in progenitor's `types`.
fn struct_fields(file: &syn::File, ty: &str) -> Option<Vec<(String, String, bool)>> {
    let types = file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })?;
    let found = types.iter().find_map(|item| match item {
        Item::Struct(s) if s.ident == ty => Some(s),
        _ => None,
    })?;
    let Fields::Named(named) = &found.fields else {
        return None;
    };
    Some(
        named
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let rust = ident.to_string();
                let json = serde_rename(&f.attrs)
                    .unwrap_or_else(|| rust.trim_start_matches("r#").to_owned());
                Some((json, rust, is_option(&f.ty)))
            })
            .collect(),
    )
}

/// `#[serde(rename = "...")]` of a field (shared with [`crate::personal_debug`]).
pub(crate) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut renamed = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Other `key = value` settings (default, skip_serializing_if …): skip the value.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    renamed
}

fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                pub struct Req {
                    pub mobile_number: String,
                    #[serde(rename = "type", default)]
                    pub type_: Kind,
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    pub email: Option<String>,
                }
            }
        }
    }

    #[test]
    fn required_scalars_use_the_builder_and_optional_fields_are_left_out() {
        let example =
            serde_json::json!({"mobile_number": "9876543210", "type": "a", "email": "x@y"});
        let calls = builder_calls(&file(), "Req", &example).unwrap();
        assert_eq!(calls, [r#".mobile_number("9876543210")"#, r#".type_("a")"#]);
    }

    #[test]
    fn a_required_field_without_a_scalar_example_falls_back_to_json() {
        let example = serde_json::json!({"mobile_number": ["a"], "type": "a"});
        assert!(builder_calls(&file(), "Req", &example).is_none());
        let missing = serde_json::json!({"type": "a"});
        assert!(builder_calls(&file(), "Req", &missing).is_none());
    }
}
