//! The generated parts of the public facade, rendered with `quote!` from typed metadata: progenitor's
//! output read back with `syn` ([`crate::progenitor_output`]) and the spec's operation markers
//! ([`crate::spec_meta`]).
//!
//! - `finpass-client/src/facade/generated.rs`: one `Finpass` method per generated operation, which
//!   converts its arguments and hands them to the handwritten `Finpass::call` with a function that
//!   builds the request from them with progenitor's builder (the returned `Call` builds and sends it,
//!   again for a retry, reads and decodes the answer, and maps every outcome to the crate's one
//!   `Error`), and the envelope rule of each success type (`success: false`).
//! - `finpass-client/src/dispatch/generated.rs` (feature `dispatch`): `call_by_operation_id`, JSON in
//!   and out, for tooling that walks the whole spec.
//!
//! Deriving the methods from progenitor's parsed output (not from the spec) means they cannot disagree
//! with the builders they wrap.

use anyhow::{Context, Result};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::progenitor_output::{self, OperationShape, SuccessFlag};
use crate::spec_meta::OperationMeta;

/// The facade methods and envelope rules (`facade/generated.rs`).
pub fn facade(
    file: &syn::File,
    shapes: &[OperationShape],
    operations: &[OperationMeta],
    handwritten: &[String],
) -> Result<TokenStream> {
    let mut methods = Vec::new();
    let mut envelopes: Vec<(String, TokenStream)> = Vec::new();
    for op in operations {
        let Some(shape) = shapes.iter().find(|s| s.id == op.id) else {
            if handwritten.contains(&op.id) {
                continue;
            }
            anyhow::bail!("progenitor generated no method for {}", op.id);
        };
        let name = format_ident!("{}", shape.id);
        let id = &shape.id;
        let docs = &shape.docs;
        let mut generics = Vec::new();
        let mut bounds = Vec::new();
        let mut args = Vec::new();
        let mut names = Vec::new();
        let mut conversions = Vec::new();
        let mut calls = Vec::new();
        for (i, setter) in shape.setters.iter().enumerate() {
            let param = format_ident!("V{i}");
            let renamed = setter.generics_as(&param)?;
            if let Some(clause) = renamed.where_clause {
                bounds.extend(clause.predicates);
            }
            let arg = &setter.name;
            let (target, field) = (setter.target_name()?, arg.to_string());
            generics.push(quote!(#param));
            args.push(quote!(#arg: #param));
            names.push(arg);
            // Converted once, here: the call keeps the converted input and builds each attempt's
            // request from it (progenitor's setters take owned values, hence the clone).
            conversions.push(if setter.error_displayed() {
                quote!(let #arg = super::calls::converted(#arg.try_into(), #target, #field);)
            } else {
                quote!(let #arg = super::calls::converted_opaque(#arg.try_into(), #target, #field);)
            });
            calls.push(quote!(.#arg(#arg.clone())));
        }
        let input = input(&names);
        let success = &shape.success;
        let retry_doc = format!(
            "Retry class: `{}`. Documentation coverage: `{}`.",
            op.retry, op.docs
        );
        let example = crate::doc_example::example(file, shape, op);
        methods.push(quote! {
            #(#docs)*
            #[doc = ""]
            #[doc = #retry_doc]
            #(#[doc = #example])*
            pub fn #name<#(#generics),*>(&self, #(#args),*) -> crate::Call<#success>
            where #(#bounds),*
            {
                #(#conversions)*
                self.call(#id, #input, |raw, (#(#names,)*), url| {
                    raw.#name() #(#calls)* .request(url)
                })
            }
        });
        envelopes.push((
            progenitor_output::type_name(success)?,
            envelope_rule(file, success)?,
        ));
    }
    // Handwritten operations (multipart) decode through the same call path: their success types
    // need the rule too.
    for op in operations.iter().filter(|op| handwritten.contains(&op.id)) {
        let schema = op.success_schema.as_deref().with_context(|| {
            format!(
                "{}: a handwritten operation needs a `$ref` success schema",
                op.id
            )
        })?;
        let name = format_ident!("{schema}");
        let ty: syn::Type = syn::parse_quote!(types::#name);
        envelopes.push((schema.to_owned(), envelope_rule(file, &ty)?));
    }
    envelopes.sort_by(|a, b| a.0.cmp(&b.0));
    envelopes.dedup_by(|a, b| a.0 == b.0);
    let envelopes = envelopes.into_iter().map(|(_, rule)| rule);
    Ok(quote! {
        use super::Finpass;
        use crate::decode::Envelope;
        use crate::generated::types;

        #(#envelopes)*

        impl Finpass {
            #(#methods)*
        }
    })
}

/// The call's input from its converted arguments (each a `Result<_, String>` bound to its name):
/// `Ok((a, b, …))` once every conversion succeeded, else the first failure.
fn input(names: &[&syn::Ident]) -> TokenStream {
    let tuple = quote!((#(#names,)*));
    match names.split_last() {
        None => quote!(Ok(())),
        Some((last, rest)) => rest.iter().rev().fold(
            quote!(#last.map(|#last| #tuple)),
            |inner, arg| quote!(#arg.and_then(|#arg| #inner)),
        ),
    }
}

/// `impl Envelope for T`: whether a decoded 2xx body says `success: false`. Read from the typed
/// value, so a success body is never parsed twice.
fn envelope_rule(file: &syn::File, success: &syn::Type) -> Result<TokenStream> {
    let says_failure = match progenitor_output::success_flag(file, success)? {
        SuccessFlag::Required => quote!(!self.success),
        SuccessFlag::Optional => quote!(self.success == Some(false)),
        // An envelope-less type that keeps unknown members (multi-bureau) may still carry the flag.
        SuccessFlag::InExtraMembers => {
            quote!(self.extra.get("success").and_then(|v| v.as_bool()) == Some(false))
        }
        SuccessFlag::Absent => quote!(false),
    };
    Ok(quote! {
        impl Envelope for #success {
            fn says_failure(&self) -> bool {
                #says_failure
            }
        }
    })
}

/// `Finpass::call_by_operation_id` (`dispatch/generated.rs`): decodes each argument into the type its
/// setter converts into, calls the typed method and returns the JSON of the typed response.
pub fn dispatch(shapes: &[OperationShape], operations: &[OperationMeta]) -> TokenStream {
    let arms = operations.iter().filter_map(|op| {
        let shape = shapes.iter().find(|s| s.id == op.id)?;
        let name = format_ident!("{}", shape.id);
        let id = &shape.id;
        let decoded = shape.setters.iter().map(|setter| {
            let (arg, target) = (&setter.name, &setter.target);
            let key = arg.to_string();
            quote!(let #arg: #target = super::argument(&args, #key)?;)
        });
        let names = shape.setters.iter().map(|s| &s.name);
        Some(quote! {
            #id => Some(
                async {
                    #(#decoded)*
                    super::to_json(self.#name(#(#names),*).await)
                }
                .await,
            ),
        })
    });
    quote! {
        use crate::generated::types;

        impl crate::Finpass {
            /// Calls a generated operation by its `operationId` with JSON arguments (`{"body": …,
            /// "client_id": …}`) and returns the JSON of the typed response; `None` for an id the
            /// spec does not have. For contract tests and drift tooling that walk the whole spec;
            /// applications call the typed methods. Needs the `dispatch` feature.
            ///
            /// ```no_run
            /// # async fn example(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
            /// let args = serde_json::json!({"client_id": "aa_bsa_123"});
            /// match finpass.call_by_operation_id("aa_bsa_status", args).await {
            ///     Some(result) => println!("{}", result?["data"]["status"]),
            ///     None => println!("the spec has no such operation"),
            /// }
            /// # Ok(())
            /// # }
            /// ```
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(tokens: TokenStream) -> syn::Expr {
        syn::parse2(tokens).expect("an expression")
    }

    #[test]
    fn the_input_is_every_converted_argument_or_the_first_failure() {
        let (a, b): (syn::Ident, syn::Ident) =
            (syn::parse_quote!(body), syn::parse_quote!(client_id));
        let none: syn::Expr = syn::parse_quote!(Ok(()));
        let one: syn::Expr = syn::parse_quote!(body.map(|body| (body,)));
        let two: syn::Expr =
            syn::parse_quote!(body.and_then(|body| client_id.map(|client_id| (body, client_id,))));
        assert_eq!(expr(input(&[])), none);
        assert_eq!(expr(input(&[&a])), one);
        assert_eq!(expr(input(&[&a, &b])), two);
    }
}
