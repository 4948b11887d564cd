//! Documents the setters of typify's builders (`types::builder::X::field`) from the spec: a `syn`
//! pass over progenitor's output that gives each setter the doc of the field it sets (the spec
//! property's description), else the doc of the field's type (the referenced schema's), and says
//! whether the field is required. Nothing else of progenitor's output changes.

use std::collections::BTreeMap;

use syn::{Attribute, Fields, ImplItem, Item, Type};

/// What a setter is documented with: the doc lines of its field.
struct FieldDoc {
    docs: Vec<Attribute>,
}

/// Adds the docs to every builder setter that has none; returns how many setters were documented.
pub fn document(file: &mut syn::File) -> usize {
    let Some(types) = module_items(&mut file.items, "types") else {
        return 0;
    };
    let type_docs: BTreeMap<String, Vec<Attribute>> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((s.ident.to_string(), doc_attrs(&s.attrs))),
            Item::Enum(e) => Some((e.ident.to_string(), doc_attrs(&e.attrs))),
            _ => None,
        })
        .collect();
    let mut fields: BTreeMap<(String, String), FieldDoc> = BTreeMap::new();
    for item in types.iter() {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(named) = &s.fields else {
            continue;
        };
        for f in &named.named {
            let Some(ident) = &f.ident else { continue };
            let (_, inner) = option_inner(&f.ty);
            let mut docs = doc_attrs(&f.attrs);
            if docs.is_empty() {
                docs = last_ident(inner)
                    .and_then(|t| type_docs.get(&t))
                    .cloned()
                    .unwrap_or_default();
            }
            fields.insert((s.ident.to_string(), ident.to_string()), FieldDoc { docs });
        }
    }
    let Some(builders) = module_items(types, "builder") else {
        return 0;
    };
    let required = required_fields(builders);
    let mut documented = 0;
    for (owner, setter) in builder_setters(builders) {
        let key = (owner, setter.sig.ident.to_string());
        let Some(field) = fields.get(&key) else {
            continue;
        };
        if !doc_attrs(&setter.attrs).is_empty() {
            continue;
        }
        let mut docs = field.docs.clone();
        if docs.is_empty() {
            let line = format!(" Sets `{}`.", key.1.trim_start_matches("r#"));
            docs.push(syn::parse_quote!(#[doc = #line]));
        }
        let presence = if required.contains(&key) {
            " Required: the conversion (and so the call) fails naming this field when it is not set."
        } else {
            " Optional."
        };
        docs.push(syn::parse_quote!(#[doc = ""]));
        docs.push(syn::parse_quote!(#[doc = #presence]));
        docs.append(&mut setter.attrs);
        setter.attrs = docs;
        documented += 1;
    }
    documented
}

/// Every method of the builders' own impls (typify's setters), with its builder's name (shared with
/// [`crate::builder_setters`]).
pub(crate) fn builder_setters(builders: &mut [Item]) -> Vec<(String, &mut syn::ImplItemFn)> {
    let mut setters = Vec::new();
    for item in builders.iter_mut() {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let Some(owner) = last_ident(&block.self_ty) else {
            continue;
        };
        for member in &mut block.items {
            if let ImplItem::Fn(setter) = member {
                setters.push((owner.clone(), setter));
            }
        }
    }
    setters
}

/// `(builder, field)` pairs whose `Default` starts as `Err("no value supplied …")`: the fields a
/// value cannot be built without (typify's own notion, so fields with a default are not required).
fn required_fields(builders: &[Item]) -> std::collections::BTreeSet<(String, String)> {
    let mut required = std::collections::BTreeSet::new();
    for item in builders {
        let Item::Impl(block) = item else { continue };
        let is_default = block
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last())
            .is_some_and(|s| s.ident == "Default");
        let Some(owner) = last_ident(&block.self_ty) else {
            continue;
        };
        if !is_default {
            continue;
        }
        for member in &block.items {
            let ImplItem::Fn(f) = member else { continue };
            let Some(syn::Stmt::Expr(syn::Expr::Struct(init), _)) = f.block.stmts.last() else {
                continue;
            };
            for field in &init.fields {
                let syn::Member::Named(name) = &field.member else {
                    continue;
                };
                if let syn::Expr::Call(call) = &field.expr
                    && let syn::Expr::Path(p) = call.func.as_ref()
                    && p.path.is_ident("Err")
                {
                    required.insert((owner.clone(), name.to_string()));
                }
            }
        }
    }
    required
}

/// The items of the inline module `name` among `items` (shared with [`crate::personal_debug`]).
pub(crate) fn module_items<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn doc_attrs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}

/// Whether `ty` is `Option<T>`, and `T` (or `ty` itself) (shared with [`crate::builder_setters`]).
pub(crate) fn option_inner(ty: &Type) -> (bool, &Type) {
    if let Type::Path(p) = ty
        && let Some(last) = p.path.segments.last()
        && last.ident == "Option"
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        return (true, inner);
    }
    (false, ty)
}

/// The last path segment of a type (`Option<String>` → `Option`).
pub(crate) fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn setters_get_the_field_doc_or_the_type_doc_and_say_whether_required() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                /// A ten-digit mobile number.
                pub struct MobileNumber(String);
                pub struct Req {
                    pub mobile_number: MobileNumber,
                    /// Where the user goes afterwards.
                    pub redirect_url: ::std::option::Option<String>,
                }
                pub mod builder {
                    impl ::std::default::Default for Req {
                        fn default() -> Self {
                            Self {
                                mobile_number: Err("no value supplied for mobile_number".to_string()),
                                redirect_url: Ok(Default::default()),
                            }
                        }
                    }
                    impl Req {
                        pub fn mobile_number<T>(mut self, value: T) -> Self { self }
                        pub fn redirect_url<T>(mut self, value: T) -> Self { self }
                    }
                }
            }
        };
        assert_eq!(document(&mut file), 2);
        let types = module_items(&mut file.items, "types").unwrap();
        let builders = module_items(types, "builder").unwrap();
        let Item::Impl(block) = &builders[1] else {
            panic!("the builder impl")
        };
        let docs: Vec<String> = block
            .items
            .iter()
            .map(|member| match member {
                ImplItem::Fn(f) => doc_attrs(&f.attrs)
                    .iter()
                    .map(|a| a.to_token_stream().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            })
            .collect();
        assert!(docs[0].contains("A ten-digit mobile number"), "{docs:?}");
        assert!(docs[0].contains("Required"), "{docs:?}");
        assert!(
            docs[1].contains("Where the user goes afterwards"),
            "{docs:?}"
        );
        assert!(docs[1].contains("Optional"), "{docs:?}");
        // Idempotent: documented setters are left alone.
        assert_eq!(document(&mut file), 0);
    }
}
