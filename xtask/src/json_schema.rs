//! The `schemars` feature of finpass-client, as typify settings and typed data.
//!
//! Every struct and enum typify generates gets
//! `#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]` through a typify `TypePatch`,
//! like `#[non_exhaustive]`, with one exception: the constrained-string newtypes (a `pattern`, a
//! `minLength`/`maxLength`, or the "none of the known values" half of an open enum). typify checks
//! those constraints in `TryFrom`, and the type is a `#[serde(transparent)]` newtype, so a derive would
//! describe a bare string: schemars 0.8 has no container attribute that adds a pattern or a length.
//! For those types `finpass-client/src/json_schema/generated.rs` implements `JsonSchema` with the
//! constraint taken from the spec model, and generation fails if a constrained newtype has no
//! constraint in the spec (so none is described as a bare string by accident).

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use proc_macro2::TokenStream;
use progenitor::TypePatch;
use quote::{format_ident, quote};
use serde_json::{Map, Value};
use syn::{Fields, Item};

use crate::progenitor_output::{to_pascal, types_module};

/// `JsonSchema` impls of the constrained newtypes.
pub const GENERATED_SCHEMAS: &str = "finpass-client/src/json_schema/generated.rs";

/// The attribute every other generated type gets.
const DERIVE: &str = "#[cfg_attr(feature = \"schemars\", derive(schemars::JsonSchema))]";

/// What the `schemars` feature needs from the first generator pass and the spec.
#[derive(Debug)]
pub struct Plan {
    /// Types that derive `JsonSchema`.
    derive: Vec<String>,
    /// Constrained newtypes and the JSON Schema of each, from the spec.
    constrained: BTreeMap<String, Value>,
}

impl Plan {
    /// Reads the generated types of `first` (progenitor's output without patches) and the
    /// constraints of the spec document `doc`.
    pub fn new(first: &syn::File, doc: &Value) -> Result<Plan> {
        let mut from_spec = BTreeMap::new();
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            collect(name, false, schema, &mut from_spec);
        }
        let mut derive = Vec::new();
        let mut constrained = BTreeMap::new();
        for item in types_module(first)? {
            let (name, newtype, derives) = match item {
                Item::Struct(s) => (
                    s.ident.to_string(),
                    matches!(&s.fields, Fields::Unnamed(f) if f.unnamed.len() == 1),
                    derives(&s.attrs),
                ),
                Item::Enum(e) => (e.ident.to_string(), false, derives(&e.attrs)),
                _ => continue,
            };
            // typify derives `Deserialize` unless it checks a constraint in a handwritten one.
            if newtype && !derives.iter().any(|d| d == "Deserialize") {
                let Some(schema) = from_spec.remove(&name) else {
                    bail!(
                        "`{name}` is a constrained newtype but no string constraint for it was found in the spec; \
                         teach xtask/src/json_schema.rs how typify names it"
                    );
                };
                constrained.insert(name, schema);
            } else {
                derive.push(name);
            }
        }
        derive.sort();
        Ok(Plan {
            derive,
            constrained,
        })
    }

    /// The typify patches: `#[non_exhaustive]` on `growable` types, the `JsonSchema` derive on the
    /// others that need no constraint.
    pub fn patches(&self, growable: &[String]) -> Vec<(String, TypePatch)> {
        let mut names: Vec<&String> = growable.iter().chain(&self.derive).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|name| {
                let mut patch = TypePatch::default();
                if growable.contains(name) {
                    patch.with_attr("#[non_exhaustive]");
                }
                if self.derive.contains(name) {
                    patch.with_attr(DERIVE);
                }
                (name.clone(), patch)
            })
            .collect()
    }

    /// `impl JsonSchema` for each constrained newtype.
    pub fn render(&self) -> TokenStream {
        let impls = self.constrained.iter().map(|(name, schema)| {
            let ident = format_ident!("{name}");
            let id = format!("finpass_client::types::{name}");
            let json = schema.to_string();
            quote! {
                impl ::schemars::JsonSchema for crate::generated::types::#ident {
                    fn schema_name() -> ::std::string::String {
                        #name.to_owned()
                    }
                    fn schema_id() -> ::std::borrow::Cow<'static, str> {
                        ::std::borrow::Cow::Borrowed(#id)
                    }
                    fn json_schema(
                        _: &mut ::schemars::r#gen::SchemaGenerator,
                    ) -> ::schemars::schema::Schema {
                        super::from_spec(#json)
                    }
                }
            }
        });
        quote! {
            //! `JsonSchema` for the generated newtypes whose constraint typify checks in `TryFrom`
            //! (a derive would describe a bare string); each schema is the spec's.
            #(#impls)*
        }
    }
}

/// The names of a type's `#[derive(..)]` traits (last path segment).
fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                out.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    out
}

/// The constrained strings below `schema`, named as typify names them: a component by its name, an
/// inline schema by its title, or else an inline property schema `<Parent><Property>`.
fn collect(name: &str, inline: bool, schema: &Value, out: &mut BTreeMap<String, Value>) {
    let title = schema.get("title").and_then(Value::as_str);
    let name = title.filter(|_| inline).unwrap_or(name).to_owned();
    if let Some(constraint) = string_constraint(schema) {
        out.insert(name.clone(), constraint);
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    for (property, sub) in properties.into_iter().flatten() {
        if sub.get("$ref").is_none() {
            collect(&format!("{name}{}", to_pascal(property)), true, sub, out);
        }
    }
    for key in ["oneOf", "anyOf"] {
        let variants = schema.get(key).and_then(Value::as_array);
        for sub in variants.into_iter().flatten() {
            if sub.get("title").is_some() {
                collect(&name, true, sub, out);
            }
        }
    }
}

/// The JSON Schema of a string schema with a constraint typify turns into a newtype (`None` for any
/// other schema): its type, constraint keywords and description.
fn string_constraint(schema: &Value) -> Option<Value> {
    const CONSTRAINTS: [&str; 4] = ["pattern", "minLength", "maxLength", "not"];
    if schema.get("type") != Some(&Value::from("string")) || schema.get("enum").is_some() {
        return None;
    }
    if !CONSTRAINTS.iter().any(|k| schema.get(*k).is_some()) {
        return None;
    }
    let mut out = Map::new();
    for key in ["type", "description"].iter().chain(&CONSTRAINTS) {
        if let Some(value) = schema.get(*key) {
            out.insert((*key).to_owned(), value.clone());
        }
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inline_properties_and_titled_variants_are_named_as_typify_names_them() {
        let mut out = BTreeMap::new();
        // A component is named by its key, not its title.
        let schema = json!({"title": "Ignored", "type": "object", "properties": {
            "company_name": {"type": "string", "minLength": 1},
            "plain": {"type": "string"},
            "closed": {"type": "string", "enum": ["a"], "maxLength": 3},
            "status": {"oneOf": [
                {"title": "StatusKnown", "type": "string", "enum": ["A"]},
                {"title": "StatusOther", "type": "string", "not": {"enum": ["A"]}}]}}});
        collect("Request", false, &schema, &mut out);
        assert_eq!(
            out.keys().collect::<Vec<_>>(),
            ["RequestCompanyName", "StatusOther"]
        );
        assert_eq!(
            out["RequestCompanyName"],
            json!({"type": "string", "minLength": 1})
        );
        assert_eq!(out["StatusOther"]["not"], json!({"enum": ["A"]}));
    }

    #[test]
    fn a_constrained_newtype_without_a_spec_constraint_stops_generation() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Serialize)]
                #[serde(transparent)]
                pub struct Code(::std::string::String);
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct Envelope { pub code: Code }
            }
        };
        let err = Plan::new(&file, &json!({"components": {"schemas": {}}})).unwrap_err();
        assert!(
            err.to_string().contains("`Code` is a constrained newtype"),
            "{err}"
        );

        let spec =
            json!({"components": {"schemas": {"Code": {"type": "string", "pattern": "^[A-Z]$"}}}});
        let plan = Plan::new(&file, &spec).unwrap();
        assert_eq!(plan.derive, ["Envelope"]);
        assert_eq!(plan.constrained["Code"]["pattern"], "^[A-Z]$");
        let patches = plan.patches(&["Code".to_owned(), "Envelope".to_owned()]);
        let names: Vec<_> = patches.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Code", "Envelope"]);
        assert!(
            plan.render()
                .to_string()
                .contains("for crate :: generated :: types :: Code")
        );
    }
}
