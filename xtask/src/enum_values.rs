//! What the generated enums say about their values: a `syn` pass over progenitor's output that reads
//! each enum's `FromStr` (typify's `match value { "male" => Ok(Self::Male), …, _ => Err(…) }`) as
//! typed data and, from it, with `quote!`:
//! - makes the refusal list the accepted values (typify says only "invalid value", so a caller who
//!   wrote `"Male"` could not tell what would do);
//! - gives every enum of documented values `as_str()` (its wire text);
//! - gives every open enum (`X { Known(XKnown), Other(XOther) }`, the spec's `x-finpass-open-enum`)
//!   `as_str()`, `Display`, `FromStr`, `known()` and `==` against its known values, so a caller writes
//!   `status == AaBsaJourneyStatusKnown::AnalysisComplete` instead of spelling out `Known(…)`.
//!
//! Nothing of progenitor's output is removed; only the fallback arm's message changes.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Expr, Fields, ImplItem, Item, Lit, Pat, Stmt};

use crate::setter_docs::{last_ident, module_items};

/// The values of one enum of documented values: `(wire text, variant)`, in declaration order.
type Values = Vec<(String, syn::Ident)>;

/// Completes the enums of the `types` module; returns the open enums it completed.
pub fn complete(file: &mut syn::File) -> Result<Vec<String>> {
    let types =
        module_items(&mut file.items, "types").context("progenitor output has no `types`")?;
    let mut closed: BTreeMap<String, Values> = BTreeMap::new();
    for item in types.iter_mut() {
        let Item::Impl(block) = item else { continue };
        if !is_trait_impl(block, "FromStr") {
            continue;
        }
        let Some(name) = last_ident(&block.self_ty) else {
            continue;
        };
        if let Some(values) = list_accepted_values(block)? {
            closed.insert(name, values);
        }
    }
    let mut extra: Vec<Item> = closed
        .iter()
        .map(|(name, values)| as_str(name, values))
        .collect();
    let mut open = Vec::new();
    for item in types.iter() {
        let Item::Enum(e) = item else { continue };
        let Some((known, other)) = open_branches(e) else {
            continue;
        };
        if !closed.contains_key(&known.to_string()) {
            bail!(
                "open enum `{}`: its known branch `{known}` has no `FromStr` of documented values",
                e.ident
            );
        }
        extra.extend(open_enum(&e.ident, &known, &other));
        open.push(e.ident.to_string());
    }
    types.extend(extra);
    Ok(open)
}

fn is_trait_impl(block: &syn::ItemImpl, name: &str) -> bool {
    block
        .trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|s| s.ident == name)
}

/// In a `FromStr` that matches string literals to variants, rewrites the fallback arm to name the
/// accepted values; returns them. `None` for any other `FromStr` (a pattern newtype's).
fn list_accepted_values(block: &mut syn::ItemImpl) -> Result<Option<Values>> {
    let Some(ImplItem::Fn(from_str)) = block
        .items
        .iter_mut()
        .find(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "from_str"))
    else {
        return Ok(None);
    };
    let Some(Stmt::Expr(Expr::Match(matched), None)) = from_str.block.stmts.last_mut() else {
        return Ok(None);
    };
    let mut values = Values::new();
    let mut fallback = None;
    for (index, arm) in matched.arms.iter().enumerate() {
        match (&arm.pat, arm.body.as_ref()) {
            (Pat::Lit(lit), body) => {
                let Lit::Str(text) = &lit.lit else {
                    return Ok(None);
                };
                let variant = ok_variant(body).with_context(|| {
                    format!(
                        "`FromStr` arm {:?} does not return `Ok(Self::…)`",
                        text.value()
                    )
                })?;
                values.push((text.value(), variant));
            }
            (Pat::Wild(_), _) => fallback = Some(index),
            _ => return Ok(None),
        }
    }
    let (Some(index), false) = (fallback, values.is_empty()) else {
        return Ok(None);
    };
    let message = match values.as_slice() {
        [(only, _)] => format!("invalid value; expected `{only}`"),
        _ => format!("invalid value; expected one of {}", listed(&values)),
    };
    *matched.arms[index].body = syn::parse_quote!(Err(#message.into()));
    Ok(Some(values))
}

/// `` `a`, `b` `` for the values.
fn listed(values: &Values) -> String {
    values
        .iter()
        .map(|(text, _)| format!("`{text}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `V` of an arm body `Ok(Self::V)`.
fn ok_variant(body: &Expr) -> Option<syn::Ident> {
    let Expr::Call(call) = body else { return None };
    let Expr::Path(func) = call.func.as_ref() else {
        return None;
    };
    if !func.path.is_ident("Ok") || call.args.len() != 1 {
        return None;
    }
    let Expr::Path(arg) = &call.args[0] else {
        return None;
    };
    let segments: Vec<_> = arg.path.segments.iter().collect();
    match segments.as_slice() {
        [owner, variant] if owner.ident == "Self" => Some(variant.ident.clone()),
        _ => None,
    }
}

fn as_str(name: &str, values: &Values) -> Item {
    let name = format_ident!("{name}");
    let arms = values
        .iter()
        .map(|(text, variant)| quote!(Self::#variant => #text));
    syn::parse_quote! {
        impl #name {
            /// The value as Finpass sends and receives it.
            pub fn as_str(&self) -> &'static str {
                match *self { #(#arms,)* }
            }
        }
    }
}

/// `(Known's type, Other's type)` of an enum shaped `{ Known(K), Other(O) }`.
fn open_branches(e: &syn::ItemEnum) -> Option<(syn::Ident, syn::Ident)> {
    let mut known = None;
    let mut other = None;
    for variant in &e.variants {
        let Fields::Unnamed(fields) = &variant.fields else {
            return None;
        };
        let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
            return None;
        };
        let ty = format_ident!("{}", last_ident(&field.ty)?);
        if variant.ident == "Known" {
            known = Some(ty);
        } else if variant.ident == "Other" {
            other = Some(ty);
        } else {
            return None;
        }
    }
    Some((known?, other?))
}

fn open_enum(open: &syn::Ident, known: &syn::Ident, other: &syn::Ident) -> Vec<Item> {
    let items: Vec<TokenStream> = vec![
        quote! {
            impl #open {
                /// The value as Finpass sent it, documented or not.
                pub fn as_str(&self) -> &str {
                    match self {
                        Self::Known(known) => known.as_str(),
                        Self::Other(other) => other.as_str(),
                    }
                }
                /// The documented value, or `None` for one the docs do not list.
                pub fn known(&self) -> ::std::option::Option<#known> {
                    match self {
                        Self::Known(known) => Some(*known),
                        Self::Other(_) => None,
                    }
                }
            }
        },
        quote! {
            impl ::std::fmt::Display for #open {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        },
        quote! {
            /// A documented value parses as `Known`, any other text as `Other`.
            impl ::std::str::FromStr for #open {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    match value.parse::<#known>() {
                        Ok(known) => Ok(Self::Known(known)),
                        Err(_) => #other::try_from(value.to_owned()).map(Self::Other),
                    }
                }
            }
        },
        quote! {
            impl ::std::cmp::PartialEq<#known> for #open {
                fn eq(&self, other: &#known) -> bool {
                    self.known() == Some(*other)
                }
            }
        },
        quote! {
            impl ::std::cmp::PartialEq<#open> for #known {
                fn eq(&self, other: &#open) -> bool {
                    other == self
                }
            }
        },
    ];
    items
        .into_iter()
        .map(|tokens| syn::parse2(tokens).expect("the open-enum templates are valid items"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn file() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                pub enum Gender { Male, Female }
                impl ::std::str::FromStr for Gender {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        match value {
                            "male" => Ok(Self::Male),
                            "female" => Ok(Self::Female),
                            _ => Err("invalid value".into()),
                        }
                    }
                }
                pub struct Mobile(String);
                impl ::std::str::FromStr for Mobile {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        if value.len() != 10 { return Err("wrong length".into()); }
                        Ok(Self(value.to_string()))
                    }
                }
                pub enum Status { Known(StatusKnown), Other(StatusOther) }
                pub enum StatusKnown { Done }
                impl ::std::str::FromStr for StatusKnown {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        match value { "done" => Ok(Self::Done), _ => Err("invalid value".into()) }
                    }
                }
                pub struct StatusOther(String);
            }
        }
    }

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string()
    }

    #[test]
    fn refusals_list_the_accepted_values_and_enums_get_as_str() {
        let mut file = file();
        assert_eq!(complete(&mut file).unwrap(), ["Status"]);
        let text = text(&file);
        assert!(
            text.contains(r#""invalid value; expected one of `male`, `female`""#),
            "{text}"
        );
        assert!(
            text.contains(r#"Self :: Male => "male""#),
            "Gender::as_str: {text}"
        );
        // A pattern newtype's `FromStr` is not an enum's: untouched, and no `as_str`.
        assert!(text.contains(r#""wrong length""#), "{text}");
        assert!(!text.contains("impl Mobile"), "{text}");
    }

    #[test]
    fn open_enums_compare_with_their_known_values_and_print_their_wire_text() {
        let mut file = file();
        complete(&mut file).unwrap();
        let text = text(&file);
        for wanted in [
            "impl :: std :: cmp :: PartialEq < StatusKnown > for Status",
            "impl :: std :: cmp :: PartialEq < Status > for StatusKnown",
            "impl :: std :: fmt :: Display for Status",
            "impl :: std :: str :: FromStr for Status",
            "pub fn known (& self) -> :: std :: option :: Option < StatusKnown >",
        ] {
            assert!(text.contains(wanted), "missing `{wanted}`: {text}");
        }
    }

    #[test]
    fn an_open_enum_without_a_parsable_known_branch_is_refused() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum Status { Known(StatusKnown), Other(StatusOther) }
                pub enum StatusKnown { Done }
                pub struct StatusOther(String);
            }
        };
        let e = complete(&mut file).unwrap_err().to_string();
        assert!(e.contains("`Status`") && e.contains("StatusKnown"), "{e}");
    }
}
