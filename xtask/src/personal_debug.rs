//! Redacting `Debug` for the generated types, from the spec's personal-data classification
//! ([`finpass_contract::personal`]): a `syn` pass over progenitor's output. A type (or its typify builder) that
//! holds a classified value or members the spec does not declare loses its derived `Debug` and gets
//! one written here with `quote!`: the same `debug_struct` the derive prints, except that a classified
//! value goes through `crate::personal::Redacted` (`"<redacted: contact>"`) and an open map through
//! `crate::personal::Members` (keys kept, values redacted). Every other type keeps its derive.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, Item, Type};

use crate::setter_docs::{last_ident, module_items};
use finpass_contract::personal::{self, Class, UNCLASSIFIED};
use finpass_contract::spec::pointer_token;

/// How one field is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shown {
    Plain,
    /// Redacted whole, under this label.
    Value(String),
    /// An open map: keys kept, values redacted under this label.
    Members(String),
}

/// Rewrites the `Debug` of every generated type that holds personal data; returns the names of the
/// types it rewrote (builders as `builder::Name`).
pub fn redact(file: &mut syn::File, doc: &Value) -> Result<Vec<String>> {
    let types =
        module_items(&mut file.items, "types").context("progenitor output has no `types`")?;
    let mut plans: BTreeMap<String, Vec<(syn::Ident, Shown)>> = BTreeMap::new();
    let mut rewritten = Vec::new();
    let mut extra_items = Vec::new();
    for item in types.iter_mut() {
        match item {
            Item::Struct(s) => {
                let Some(schema) = component(doc, &s.ident.to_string()) else {
                    continue;
                };
                let plan = match &s.fields {
                    Fields::Named(named) => named
                        .named
                        .iter()
                        .map(|f| {
                            let ident = f.ident.clone().expect("named field");
                            Ok((ident, field_shown(doc, schema, f)?))
                        })
                        .collect::<Result<Vec<_>>>()?,
                    Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
                        // A newtype: a classified value (`MobileNumber`) or an open map
                        // (`AaFetchJsonReportData`), shown as the derive would, wrapped.
                        let inner = &unnamed.unnamed[0].ty;
                        let shown = match personal::class(doc, schema, None) {
                            Class::Value(m) => Shown::Value(m.label()),
                            Class::Members(m) if is_map(inner) => Shown::Members(
                                m.map_or_else(|| UNCLASSIFIED.to_owned(), |m| m.label()),
                            ),
                            _ => continue,
                        };
                        let value = shown_value(inner, quote!(self.0), &shown);
                        let name = &s.ident;
                        let text = name.to_string();
                        extra_items.push(debug_impl(
                            name,
                            quote!(f.debug_tuple(#text).field(#value).finish()),
                        ));
                        remove_debug_derive(&mut s.attrs)?;
                        rewritten.push(text);
                        continue;
                    }
                    Fields::Unnamed(_) => continue,
                    Fields::Unit => continue,
                };
                if plan.iter().all(|(_, shown)| *shown == Shown::Plain) {
                    continue;
                }
                remove_debug_derive(&mut s.attrs)?;
                extra_items.push(struct_debug(s, &plan)?);
                rewritten.push(s.ident.to_string());
                plans.insert(s.ident.to_string(), plan);
            }
            Item::Enum(e) => {
                let Some(schema) = component(doc, &e.ident.to_string()) else {
                    continue;
                };
                let Some(label) = value_label(doc, schema) else {
                    continue;
                };
                let mut arms = Vec::new();
                for variant in &e.variants {
                    if !variant.fields.is_empty() {
                        bail!(
                            "`{}` is classified personal data but has a variant with fields; the redacting Debug covers unit variants only",
                            e.ident
                        );
                    }
                    let v = &variant.ident;
                    let text = v.to_string();
                    arms.push(quote!(Self::#v => #text));
                }
                let name = &e.ident;
                extra_items.push(debug_impl(
                    name,
                    quote! {
                        let variant: &str = match self { #(#arms,)* };
                        ::std::fmt::Debug::fmt(&crate::personal::Redacted::new(#label, &::std::format_args!("{variant}")), f)
                    },
                ));
                remove_debug_derive(&mut e.attrs)?;
                rewritten.push(name.to_string());
            }
            _ => {}
        }
    }
    types.extend(extra_items);
    // typify's builders have the fields of their type, named alike: the same plan applies.
    let builders =
        module_items(types, "builder").context("progenitor output has no `types::builder`")?;
    let mut builder_items = Vec::new();
    for item in builders.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let Some(plan) = plans.get(&s.ident.to_string()) else {
            continue;
        };
        remove_debug_derive(&mut s.attrs)?;
        builder_items.push(struct_debug(s, plan)?);
        rewritten.push(format!("builder::{}", s.ident));
    }
    builders.extend(builder_items);
    Ok(rewritten)
}

/// `#/components/schemas/<name>`, when the generated type is named after one.
fn component<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    doc.pointer(&format!("/components/schemas/{}", pointer_token(name)))
}

/// The label of a value schema classified as personal (`MobileNumber`), if it is one.
fn value_label(doc: &Value, schema: &Value) -> Option<String> {
    match personal::class(doc, schema, None) {
        Class::Value(m) => Some(m.label()),
        _ => None,
    }
}

/// How the field `f` of the type generated for `schema` is shown.
fn field_shown(doc: &Value, schema: &Value, f: &syn::Field) -> Result<Shown> {
    if has_serde(&f.attrs, "flatten") {
        // typify's `extra`: the members the spec does not declare, under the object's own marker.
        let marker = personal::marker(schema)
            .map_err(anyhow::Error::msg)?
            .filter(personal::Marker::is_personal);
        return Ok(Shown::Members(
            marker.map_or_else(|| UNCLASSIFIED.to_owned(), |m| m.label()),
        ));
    }
    let ident = f.ident.as_ref().expect("named field").to_string();
    let json = crate::doc_example::serde_rename(&f.attrs)
        .unwrap_or_else(|| ident.trim_start_matches("r#").to_owned());
    let property = schema
        .pointer(&format!("/properties/{}", pointer_token(&json)))
        .with_context(|| format!("no spec property `{json}` for the generated field `{ident}`"))?;
    Ok(match personal::class(doc, property, None) {
        Class::Value(m) => Shown::Value(m.label()),
        Class::Members(m) => {
            Shown::Members(m.map_or_else(|| UNCLASSIFIED.to_owned(), |m| m.label()))
        }
        Class::Plain => Shown::Plain,
    })
}

/// `impl Debug for #name` with `body` as the body of `fmt`.
fn debug_impl(name: &syn::Ident, body: TokenStream) -> Item {
    syn::parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

/// The derive's `debug_struct` over the struct's own fields (a builder's are `Result<T, String>`),
/// with the classified ones wrapped for their type.
fn struct_debug(s: &syn::ItemStruct, plan: &[(syn::Ident, Shown)]) -> Result<Item> {
    let Fields::Named(named) = &s.fields else {
        bail!("`{}` has no named fields", s.ident);
    };
    let mut fields = Vec::new();
    for f in &named.named {
        let ident = f.ident.as_ref().expect("named field");
        let shown = plan
            .iter()
            .find(|(i, _)| i == ident)
            .map(|(_, shown)| shown)
            .with_context(|| format!("`{}.{ident}` has no counterpart in its type", s.ident))?;
        let field_name = ident.to_string().trim_start_matches("r#").to_owned();
        let value = shown_value(&f.ty, quote!(self.#ident), shown);
        fields.push(quote!(.field(#field_name, #value)));
    }
    let text = s.ident.to_string();
    Ok(debug_impl(
        &s.ident,
        quote!(f.debug_struct(#text) #(#fields)* .finish()),
    ))
}

/// The argument of `.field(…)` for `place` (a field of `self`) of type `ty`. Members whose Rust type
/// is not a map are a generated newtype that redacts itself, so they are shown as they are.
fn shown_value(ty: &Type, place: TokenStream, shown: &Shown) -> TokenStream {
    let (label, members) = match shown {
        Shown::Plain => return quote!(&#place),
        Shown::Members(_) if !is_map(innermost(ty)) => return quote!(&#place),
        Shown::Value(label) => (label, false),
        Shown::Members(label) => (label, true),
    };
    let wrapped = wrap(ty, place.clone(), quote!(&#place), label, members);
    quote!(&#wrapped)
}

/// `T` below any `Option`, `Result` and `Vec`.
fn innermost(ty: &Type) -> &Type {
    match generic_one(ty) {
        Some((_, inner)) => innermost(inner),
        None => ty,
    }
}

fn is_map(ty: &Type) -> bool {
    last_ident(ty).as_deref() == Some("Map")
}

/// Wraps a value of type `ty` for `Debug` (`receiver` names it for a method call, `reference` borrows
/// it): through `Option`, `Result` (a builder's slot; its `Err` is typify's message, never a value)
/// and `Vec`, down to the value, which becomes `Redacted`, or `Members` for a map.
fn wrap(
    ty: &Type,
    receiver: TokenStream,
    reference: TokenStream,
    label: &str,
    members: bool,
) -> TokenStream {
    if let Some((outer, inner)) = generic_one(ty) {
        let inner = wrap(inner, quote!(v), quote!(v), label, members);
        return match outer.as_str() {
            "Option" | "Result" => quote!(#receiver.as_ref().map(|v| #inner)),
            _ => quote!(#receiver.iter().map(|v| #inner).collect::<::std::vec::Vec<_>>()),
        };
    }
    if members && is_map(ty) {
        quote!(crate::personal::Members::new(#label, #reference))
    } else {
        quote!(crate::personal::Redacted::new(#label, #reference))
    }
}

/// `Option<T>`, `Result<T, _>`, `Vec<T>` → the wrapper's name and `T`.
fn generic_one(ty: &Type) -> Option<(String, &Type)> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let name = last.ident.to_string();
    if !matches!(name.as_str(), "Option" | "Result" | "Vec") {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some((name.clone(), t)),
        _ => None,
    })
}

/// Drops `Debug` from the type's `#[derive(...)]` (the impl written here replaces it).
fn remove_debug_derive(attrs: &mut [Attribute]) -> Result<()> {
    let mut removed = false;
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let paths = attr
            .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .context("reading a derive")?;
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Debug"))
            .collect();
        if kept.len() != paths.len() {
            *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
            removed = true;
        }
    }
    if !removed {
        bail!("a type to redact has no derived Debug to replace");
    }
    Ok(())
}

fn has_serde(attrs: &[Attribute], word: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta.path.is_ident(word) {
                    found = true;
                }
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
            found
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_classified_field_loses_the_derive_and_is_wrapped_for_its_type() {
        let doc = json!({"components": {"schemas": {
            "Mobile": {"type": "string", "x-finpass-personal": "contact"},
            "Journey": {"type": "object", "additionalProperties": {}, "properties": {
                "client_id": {"type": "string"},
                "mobile": {"$ref": "#/components/schemas/Mobile"},
                "email": {"type": "string", "x-finpass-personal": "contact"}}},
            "Plain": {"type": "object", "properties": {"id": {"type": "string"}}}}}});
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, PartialEq)]
                pub struct Journey {
                    pub client_id: String,
                    pub email: Option<String>,
                    pub mobile: Mobile,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<String, ::serde_json::Value>,
                }
                #[derive(Clone, Debug)]
                pub struct Mobile(String);
                #[derive(Clone, Debug)]
                pub struct Plain { pub id: String }
                pub mod builder {
                    #[derive(Clone, Debug)]
                    pub struct Journey {
                        client_id: Result<String, String>,
                        email: Result<Option<String>, String>,
                        mobile: Result<super::Mobile, String>,
                        extra: Result<::serde_json::Map<String, ::serde_json::Value>, String>,
                    }
                }
            }
        };
        let rewritten = redact(&mut file, &doc).unwrap();
        assert_eq!(rewritten, ["Journey", "Mobile", "builder::Journey"]);
        let text = prettyplease::unparse(&file);
        assert!(
            text.contains("#[derive(Clone, PartialEq)]\n    pub struct Journey"),
            "{text}"
        );
        assert!(
            text.contains("#[derive(Clone, Debug)]\n    pub struct Plain"),
            "{text}"
        );
        assert!(
            text.contains(r#".field("client_id", &self.client_id)"#),
            "{text}"
        );
        for wrapped in [
            r#"self.email.as_ref().map(|v| crate::personal::Redacted::new("contact", v))"#,
            r#"crate::personal::Redacted::new("contact", &self.mobile)"#,
            r#"crate::personal::Members::new("unclassified", &self.extra)"#,
            r#"self.email.as_ref().map(|v| { v.as_ref().map(|v| crate::personal::Redacted::new("contact", v)) })"#,
        ] {
            let compact: String = text.split_whitespace().collect();
            let want: String = wrapped.split_whitespace().collect();
            assert!(compact.contains(&want), "{wrapped} not in {text}");
        }
    }
}
