//! Builder setters that take what callers have: a `syn` pass over progenitor's output.
//!
//! typify's setters (`types::builder::X::field`) are bounded `T: TryInto<Field>`. For an optional
//! field that is `TryInto<Option<Pan>>`, which `&str` cannot satisfy (and no impl can make it: both
//! `Option` and `&str` are foreign), so `.pan_number("ABCPS1234K")` did not compile while the required
//! `.mobile_number("9999000000")` did. This pass rebounds each setter whose field is text-like (a type
//! that parses from text, or an optional `String`; `Option` of either) with the client's own
//! `crate::field::IntoField<Field>`, which takes the typed value or its text and parses at build time,
//! so a bad value still fails the call naming the field. It also marks every generated type that
//! parses from text (`impl FromStr`) with `crate::field::FromText`. Setters of other fields (numbers,
//! lists, objects, secrets, required `String`s, which already take `&str`) are left as typify wrote
//! them.

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail};
use quote::format_ident;
use syn::visit_mut::VisitMut;
use syn::{Expr, GenericArgument, Item, PathArguments, Type, WherePredicate};

use crate::setter_docs::{builder_setters, last_ident, module_items, option_inner};

/// Where the identifiers the client normalises live (`crate::ids::Pan`, …): each parses from text.
const IDS_MODULE: [&str; 2] = ["crate", "ids"];

/// Marks the generated text types and rebounds the text-like setters; returns the rebounded setters
/// as `Builder::field`.
pub fn accept_text(file: &mut syn::File) -> Result<Vec<String>> {
    let types =
        module_items(&mut file.items, "types").context("progenitor output has no `types`")?;
    let text_types: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Impl(block)
                if block
                    .trait_
                    .as_ref()
                    .and_then(|(path, _)| path.segments.last())
                    .is_some_and(|s| s.ident == "FromStr") =>
            {
                last_ident(&block.self_ty)
            }
            _ => None,
        })
        .collect();
    for name in &text_types {
        let name = format_ident!("{name}");
        types.push(syn::parse_quote!(impl crate::field::FromText for #name {}));
    }
    let builders = module_items(types, "builder").context("progenitor output has no builders")?;
    let mut rebounded = Vec::new();
    for (owner, setter) in builder_setters(builders) {
        let Some(field) = setter_field(setter) else {
            continue;
        };
        if !is_text_like(&field, &text_types) {
            continue;
        }
        rebound(setter, &field)
            .with_context(|| format!("setter `{owner}::{}`", setter.sig.ident))?;
        rebounded.push(format!("{owner}::{}", setter.sig.ident));
    }
    Ok(rebounded)
}

/// `F` of a typify setter `fn x<T>(mut self, value: T) -> Self where T: TryInto<F>, …`.
fn setter_field(setter: &syn::ImplItemFn) -> Option<Type> {
    let param = setter.sig.generics.type_params().next()?;
    let predicates = &setter.sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let WherePredicate::Type(bound) = predicate else {
            return None;
        };
        let Type::Path(bounded) = &bound.bounded_ty else {
            return None;
        };
        if !bounded.path.is_ident(&param.ident) {
            return None;
        }
        bound.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(t) = b else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            first_type_argument(&last.arguments).cloned()
        })
    })
}

fn first_type_argument(arguments: &PathArguments) -> Option<&Type> {
    let PathArguments::AngleBracketed(args) = arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// A type that parses from text (a generated one with `FromStr`, or an identifier of `ids`), or an
/// optional `String`, each optionally in `Option`.
fn is_text_like(field: &Type, text_types: &BTreeSet<String>) -> bool {
    let (optional, inner) = option_inner(field);
    let Type::Path(p) = inner else { return false };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let Some(last) = segments.last() else {
        return false;
    };
    let generated = segments.len() <= 2
        && segments.first().is_some_and(|s| s == "super" || s == last)
        && text_types.contains(last);
    let identifier = segments.len() == 3 && segments[..2] == IDS_MODULE;
    let optional_text = optional && last == "String";
    generated || identifier || optional_text
}

/// Replaces the setter's bounds with `T: crate::field::IntoField<F>`, its `value.try_into()` with
/// the same conversion through `IntoField`, and says so in its doc.
fn rebound(setter: &mut syn::ImplItemFn, field: &Type) -> Result<()> {
    let param = setter
        .sig
        .generics
        .type_params()
        .next()
        .context("no type parameter")?
        .ident
        .clone();
    let where_clause = setter
        .sig
        .generics
        .where_clause
        .as_mut()
        .context("no where clause")?;
    where_clause.predicates.clear();
    where_clause
        .predicates
        .push(syn::parse_quote!(#param: crate::field::IntoField<#field>));
    let mut conversion = Conversion {
        call: syn::parse_quote!(<#param as crate::field::IntoField<#field>>::into_field(value)),
        replaced: 0,
    };
    conversion.visit_block_mut(&mut setter.block);
    if conversion.replaced != 1 {
        bail!(
            "expected one `value.try_into()` in the body, found {}",
            conversion.replaced
        );
    }
    let (optional, inner) = option_inner(field);
    let plain_text = last_ident(inner).is_some_and(|t| t == "String");
    let line = match (plain_text, optional) {
        (true, _) => {
            " Takes a `&str`, a `String` or an `Option` of either ([`IntoField`](crate::IntoField))."
        }
        (false, true) => {
            " Takes the value, its text (`&str`, `String`) or an `Option` of either ([`IntoField`](crate::IntoField)); text that does not parse fails the call, naming this field."
        }
        (false, false) => {
            " Takes the value or its text (`&str`, `String`; [`IntoField`](crate::IntoField)); text that does not parse fails the call, naming this field."
        }
    };
    setter.attrs.push(syn::parse_quote!(#[doc = #line]));
    Ok(())
}

/// Rewrites `value.try_into()` into `call`.
struct Conversion {
    call: Expr,
    replaced: usize,
}

impl VisitMut for Conversion {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr
            && call.method == "try_into"
            && call.args.is_empty()
            && matches!(call.receiver.as_ref(), Expr::Path(p) if p.path.is_ident("value"))
        {
            *expr = self.call.clone();
            self.replaced += 1;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{ToTokens, quote};

    fn setter(field: proc_macro2::TokenStream, name: &str) -> proc_macro2::TokenStream {
        let name = format_ident!("{name}");
        quote! {
            pub fn #name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<#field>,
                T::Error: ::std::fmt::Display,
            {
                self.#name = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for {}: {e}", stringify!(#name)));
                self
            }
        }
    }

    fn file() -> syn::File {
        let setters = [
            setter(quote!(::std::option::Option<crate::ids::Pan>), "pan_number"),
            setter(quote!(super::MobileNumber), "mobile_number"),
            setter(quote!(::std::option::Option<super::Gender>), "gender"),
            setter(
                quote!(::std::option::Option<::std::string::String>),
                "email",
            ),
            setter(quote!(::std::string::String), "client_id"),
            setter(quote!(::std::option::Option<i64>), "count"),
            setter(quote!(crate::secret::PortalPassword), "password"),
        ];
        syn::parse_quote! {
            pub mod types {
                pub struct MobileNumber(String);
                impl ::std::str::FromStr for MobileNumber {
                    type Err = ();
                    fn from_str(value: &str) -> Result<Self, ()> { Ok(Self(value.into())) }
                }
                pub enum Gender { Male }
                impl ::std::str::FromStr for Gender {
                    type Err = ();
                    fn from_str(value: &str) -> Result<Self, ()> { Ok(Self::Male) }
                }
                pub mod builder {
                    impl Req { #(#setters)* }
                }
            }
        }
    }

    #[test]
    fn text_like_setters_take_into_field_and_others_keep_try_into() {
        let mut file = file();
        let rebounded = accept_text(&mut file).unwrap();
        assert_eq!(
            rebounded,
            [
                "Req::pan_number",
                "Req::mobile_number",
                "Req::gender",
                "Req::email"
            ]
        );
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains(
                "T : crate :: field :: IntoField < :: std :: option :: Option < crate :: ids :: Pan > >"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "< T as crate :: field :: IntoField < super :: MobileNumber > > :: into_field (value)"
            ),
            "{text}"
        );
        for kept in ["client_id", "count", "password"] {
            let setter = text.split("pub fn ").find(|s| s.starts_with(kept)).unwrap();
            assert!(
                setter.contains("TryInto") && !setter.contains("IntoField"),
                "{kept}: {setter}"
            );
        }
        assert!(text.contains("impl crate :: field :: FromText for Gender { }"));
        assert!(text.contains("impl crate :: field :: FromText for MobileNumber { }"));
    }

    #[test]
    fn a_setter_whose_body_is_not_typifys_is_refused() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    impl Req {
                        pub fn email<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                        { self }
                    }
                }
            }
        };
        let e = format!("{:#}", accept_text(&mut file).unwrap_err());
        assert!(e.contains("Req::email") && e.contains("try_into"), "{e}");
    }
}
