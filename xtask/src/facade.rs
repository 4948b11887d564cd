//! The user-facing methods on `finpass_client::Finpass`, derived from progenitor's own output.
//!
//! progenitor returns `progenitor_client::Error<E>`, which loses the HTTP status when a body does not
//! decode. Each facade method therefore runs progenitor's request builder inside
//! `Finpass::call`, which maps every outcome to the one `finpass_client::Error`. Deriving the methods
//! from the parsed output (not from the spec) means they can never disagree with the builders they wrap.

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, FnArg, ImplItem, Item, ItemImpl, ReturnType, Type};

use crate::spec_meta::OperationMeta;

/// One parameter setter of a progenitor builder (`client_id`, `body`, …).
struct Setter {
    name: syn::Ident,
    /// The setter's `V: TryInto<T>` bound and friends, with `V` to be renamed per parameter.
    generics: syn::Generics,
}

/// `impl Finpass { … }` with one method per generated operation, in spec order.
pub fn derive(
    file: &syn::File,
    operations: &[OperationMeta],
    handwritten: &[String],
) -> Result<TokenStream> {
    let docs = client_method_docs(file);
    let builders = builder_impls(file)?;
    let mut methods = Vec::new();
    let mut arms = Vec::new();
    for op in operations {
        if handwritten.contains(&op.id) {
            continue;
        }
        let name = format_ident!("{}", op.id);
        let builder_name = to_pascal(&op.id);
        let builder = builders
            .iter()
            .find(|(n, _)| *n == builder_name)
            .map(|(_, imp)| *imp)
            .with_context(|| {
                format!(
                    "progenitor generated no builder `{builder_name}` for {}",
                    op.id
                )
            })?;
        let (setters, success) = inspect_builder(builder)?;
        let doc = docs
            .iter()
            .find(|(n, _)| *n == op.id)
            .map(|(_, d)| d.clone())
            .unwrap_or_default();

        let mut generics = Vec::new();
        let mut bounds = Vec::new();
        let mut args = Vec::new();
        let mut calls = Vec::new();
        let mut decoded = Vec::new();
        for (i, setter) in setters.iter().enumerate() {
            let target = try_into_target(&setter.generics)?;
            let key = setter.name.to_string();
            let arg_name = &setter.name;
            decoded.push(quote! {
                let #arg_name: #target = crate::dispatch::argument(&args, #key)?;
            });
            let ty = format_ident!("V{i}");
            let arg = &setter.name;
            let renamed = rename_v(&setter.generics, &ty)?;
            generics.push(quote!(#ty));
            if let Some(wc) = renamed.where_clause {
                bounds.extend(wc.predicates);
            }
            args.push(quote!(#arg: #ty));
            calls.push(quote!(.#arg(#arg)));
        }
        let retry_doc = format!(
            "Retry class: `{}`. Documentation coverage: `{}`.",
            op.retry, op.docs
        );
        let id = &op.id;
        let arg_names = setters.iter().map(|s| &s.name);
        arms.push(quote! {
            #id => Some(
                async {
                    #(#decoded)*
                    crate::dispatch::to_json(self.#name(#(#arg_names),*).await)
                }
                .await,
            ),
        });
        methods.push(quote! {
            #(#doc)*
            #[doc = ""]
            #[doc = #retry_doc]
            pub async fn #name<#(#generics),*>(&self, #(#args),*) -> Result<#success, crate::Error>
            where #(#bounds),*
            {
                self.call(#id, self.raw().#name() #(#calls)* .send()).await
            }
        });
    }
    let envelopes = envelope_impls(file)?;
    Ok(quote! {
        #(#envelopes)*

        impl crate::Finpass {
            #(#methods)*

            /// Calls a generated operation by its `operationId` with JSON arguments (`{"body": …,
            /// "client_id": …}`) and returns the JSON of the typed response. For contract tests and
            /// drift tooling that walk the whole spec; applications should call the typed methods.
            #[doc(hidden)]
            pub async fn call_by_operation_id(
                &self,
                operation: &str,
                args: ::serde_json::Value,
            ) -> Option<Result<::serde_json::Value, crate::Error>> {
                match operation {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    })
}

/// `impl crate::client::Envelope` for every generated struct: whether a decoded 2xx body says
/// `success: false`. Read from the typed value, so a success body is never parsed twice.
fn envelope_impls(file: &syn::File) -> Result<Vec<TokenStream>> {
    let types = file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
            _ => None,
        })
        .context("progenitor output has no `types` module")?;
    let mut out = Vec::new();
    for item in &types.1 {
        let name = match item {
            Item::Struct(s) => &s.ident,
            Item::Enum(e) => &e.ident,
            _ => continue,
        };
        let success = match item {
            Item::Struct(s) => s
                .fields
                .iter()
                .find(|f| f.ident.as_ref().is_some_and(|i| i == "success")),
            _ => None,
        };
        let has_extra = match item {
            Item::Struct(s) => s
                .fields
                .iter()
                .any(|f| f.ident.as_ref().is_some_and(|i| i == "extra")),
            _ => false,
        };
        let body = match success.map(|f| quote!(#f).to_string()) {
            Some(field) if field.contains("Option") => quote!(self.success == Some(false)),
            Some(field) if field.contains("bool") => quote!(!self.success),
            // An envelope-less type that keeps unknown members (multi-bureau) may still carry the flag.
            _ if has_extra => {
                quote!(self.extra.get("success").and_then(|v| v.as_bool()) == Some(false))
            }
            _ => quote!(false),
        };
        out.push(quote! {
            impl crate::client::Envelope for types::#name {
                fn says_failure(&self) -> bool {
                    #body
                }
            }
        });
    }
    Ok(out)
}

/// `V: TryInto<T>` → `T`, from a setter's where-clause.
fn try_into_target(generics: &syn::Generics) -> Result<Type> {
    let clause = generics
        .where_clause
        .as_ref()
        .context("setter has no where-clause")?;
    for predicate in &clause.predicates {
        let syn::WherePredicate::Type(pt) = predicate else {
            continue;
        };
        for bound in &pt.bounds {
            let syn::TypeParamBound::Trait(tb) = bound else {
                continue;
            };
            let Some(last) = tb.path.segments.last() else {
                continue;
            };
            if last.ident != "TryInto" {
                continue;
            }
            if let syn::PathArguments::AngleBracketed(a) = &last.arguments
                && let Some(syn::GenericArgument::Type(t)) = a.args.first()
            {
                return Ok(t.clone());
            }
        }
    }
    bail!("setter bound has no `TryInto<T>`")
}

/// Doc attributes of each `Client::<op>()` method, minus progenitor's `ignore` usage sample.
fn client_method_docs(file: &syn::File) -> Vec<(String, Vec<Attribute>)> {
    let mut out = Vec::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if !is_plain_client_impl(imp) {
            continue;
        }
        for item in &imp.items {
            let ImplItem::Fn(f) = item else { continue };
            let docs = f
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .filter_map(strip_usage_sample)
                .collect();
            out.push((f.sig.ident.to_string(), docs));
        }
    }
    out
}

fn strip_usage_sample(attr: &Attribute) -> Option<Attribute> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = &nv.value
    else {
        return None;
    };
    let text = s.value();
    let kept = match text.find("```ignore") {
        Some(at) => text[..at].trim_end().to_owned(),
        None => text,
    };
    Some(syn::parse_quote!(#[doc = #kept]))
}

fn is_plain_client_impl(imp: &ItemImpl) -> bool {
    imp.trait_.is_none() && matches!(&*imp.self_ty, Type::Path(p) if p.path.is_ident("Client"))
}

/// `impl<'a> Builder<'a>` blocks inside `pub mod builder`, by type name.
fn builder_impls(file: &syn::File) -> Result<Vec<(String, &ItemImpl)>> {
    let module = file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        })
        .context("progenitor output has no `builder` module")?;
    Ok(module
        .1
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp) if imp.trait_.is_none() => match &*imp.self_ty {
                Type::Path(p) => Some((p.path.segments.last()?.ident.to_string(), imp)),
                _ => None,
            },
            _ => None,
        })
        .collect())
}

/// The setters (in declaration order) and the success type of `send()`.
fn inspect_builder(imp: &ItemImpl) -> Result<(Vec<Setter>, Type)> {
    let mut setters = Vec::new();
    let mut success = None;
    for item in &imp.items {
        let ImplItem::Fn(f) = item else { continue };
        let name = f.sig.ident.to_string();
        if name == "send" {
            success = Some(ok_payload(&f.sig.output)?);
        } else if name != "new" && !name.ends_with("_map") {
            let takes_value = f.sig.inputs.iter().any(|a| matches!(a, FnArg::Typed(_)));
            if takes_value {
                setters.push(Setter {
                    name: f.sig.ident.clone(),
                    generics: f.sig.generics.clone(),
                });
            }
        }
    }
    Ok((setters, success.context("builder has no `send`")?))
}

/// `Result<ResponseValue<T>, Error<E>>` → `T`.
fn ok_payload(output: &ReturnType) -> Result<Type> {
    let ReturnType::Type(_, ty) = output else {
        bail!("`send` returns nothing")
    };
    let first_arg = |ty: &Type| -> Option<Type> {
        let Type::Path(p) = ty else { return None };
        let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
            return None;
        };
        match args.args.first()? {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        }
    };
    let response_value = first_arg(ty).context("`send` does not return a Result")?;
    let payload = first_arg(&response_value).context("`send` does not return a ResponseValue")?;
    // The builder lives in `mod builder`, which imports `types` from the crate root; so does the facade.
    Ok(payload)
}

/// Renames the setter's single type parameter `V` to `to`, returning the where-clause to reuse.
fn rename_v(generics: &syn::Generics, to: &syn::Ident) -> Result<syn::Generics> {
    let text = quote!(#generics).to_string();
    let where_text = generics
        .where_clause
        .as_ref()
        .map(|w| quote!(#w).to_string())
        .unwrap_or_default();
    if !text.contains('V') {
        bail!("unexpected setter generics `{text}`");
    }
    let replace = |s: &str| {
        s.split(' ')
            .map(|tok| {
                if tok == "V" {
                    to.to_string()
                } else {
                    tok.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut renamed: syn::Generics = syn::parse_str(&replace(&text))?;
    renamed.where_clause = if where_text.is_empty() {
        None
    } else {
        Some(syn::parse_str(&replace(&where_text))?)
    };
    Ok(renamed)
}

fn to_pascal(id: &str) -> String {
    id.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
