//! Methods and trait impls of public types, gathered from every `impl` block in the crate —
//! wherever it is written (`impl crate::Finpass` in a generated file, `impl super::X` in a child).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use quote::ToTokens;
use syn::{FnArg, ImplItem, Item, ItemImpl, Type};

use super::modules::{cfg_conditions, is_cfg_test, is_doc_hidden, is_public};
use super::normalize::{Normalizer, compact};
use super::resolve::{Crate, Target, merge};

/// What `impl` blocks add to one type.
#[derive(Default)]
pub struct Members {
    pub methods: BTreeMap<String, String>,
    pub impls: BTreeSet<String>,
}

/// Members of every public type, by def index.
pub fn collect(krate: &Crate) -> HashMap<usize, Members> {
    let mut out: HashMap<usize, Members> = HashMap::new();
    for (m, module) in krate.modules.iter().enumerate() {
        for item in &module.items {
            let Item::Impl(imp) = item else {
                continue;
            };
            if is_cfg_test(&imp.attrs) || is_doc_hidden(&imp.attrs) {
                continue;
            }
            let Some(d) = self_def(krate, m, &imp.self_ty) else {
                continue;
            };
            if krate.public_paths[d].is_empty() {
                continue;
            }
            // Conditions the type itself does not already carry.
            let type_cfg = merge(
                &krate.module_cfg(krate.defs[d].module),
                &item_cfg(krate.item(d)),
            );
            let impl_cfg = merge(&krate.module_cfg(m), &cfg_conditions(&imp.attrs));
            let extra: Vec<String> = impl_cfg
                .into_iter()
                .filter(|c| !type_cfg.contains(c))
                .collect();
            add_impl(krate, m, imp, &extra, out.entry(d).or_default());
        }
    }
    out
}

fn add_impl(krate: &Crate, m: usize, imp: &ItemImpl, cfg: &[String], into: &mut Members) {
    let mut norm = Normalizer::new(krate, m);
    let mut generics = imp.generics.clone();
    norm.enter_generics(&mut generics);
    let header = if generics.params.is_empty() {
        String::new()
    } else {
        let mut self_ty = (*imp.self_ty).clone();
        format!(
            "impl{} {} ",
            compact(&generics.to_token_stream().to_string()),
            norm.text(&mut self_ty, Normalizer::visit_type)
        )
    };
    let suffix = if cfg.is_empty() {
        String::new()
    } else {
        format!(" #[cfg({})]", cfg.join(", "))
    };
    if let Some((trait_path, _)) = &imp.trait_ {
        if private_trait(krate, m, trait_path) {
            return;
        }
        let mut path = trait_path.clone();
        let name = norm.text(&mut path, Normalizer::visit_path);
        let bounds = generics
            .where_clause
            .as_ref()
            .map(|w| format!(" {}", compact(&w.to_token_stream().to_string())))
            .unwrap_or_default();
        into.impls
            .insert(format!("{header}impl {name}{bounds}{suffix}"));
        return;
    }
    for member in &imp.items {
        match member {
            ImplItem::Fn(f) if public_member(&f.vis, &f.attrs) => {
                let sig = fn_sig(&norm, &f.sig);
                add_method(
                    into,
                    f.sig.ident.to_string(),
                    format!("{header}{sig}{suffix}"),
                );
            }
            ImplItem::Const(c) if public_member(&c.vis, &c.attrs) => {
                let mut ty = c.ty.clone();
                let sig = format!("const: {}", norm.text(&mut ty, Normalizer::visit_type));
                add_method(into, c.ident.to_string(), format!("{header}{sig}{suffix}"));
            }
            _ => {}
        }
    }
}

/// Two impl blocks may each define a method of one name (for different generic arguments).
fn add_method(into: &mut Members, name: String, sig: String) {
    into.methods
        .entry(name)
        .and_modify(|existing| {
            let mut all: Vec<&str> = existing.split(" | ").collect();
            all.push(&sig);
            all.sort_unstable();
            *existing = all.join(" | ");
        })
        .or_insert(sig);
}

fn public_member(vis: &syn::Visibility, attrs: &[syn::Attribute]) -> bool {
    is_public(vis) && !is_doc_hidden(attrs) && !is_cfg_test(attrs)
}

/// The canonical signature of a function: argument names, `mut` bindings and attributes dropped,
/// generics named by position after those already in scope.
pub fn fn_sig(norm: &Normalizer<'_>, sig: &syn::Signature) -> String {
    let mut norm = norm.clone();
    let mut sig = sig.clone();
    for input in sig.inputs.iter_mut() {
        match input {
            FnArg::Typed(arg) => {
                arg.attrs.clear();
                *arg.pat = syn::parse_quote!(_);
            }
            FnArg::Receiver(receiver) => {
                receiver.attrs.clear();
                receiver.mutability = None;
            }
        }
    }
    norm.enter_generics(&mut sig.generics);
    norm.text(&mut sig, Normalizer::visit_signature)
}

/// The crate item an `impl` is for (`impl X`, `impl super::X`, `impl crate::Finpass`, `impl X<T>`).
fn self_def(krate: &Crate, m: usize, ty: &Type) -> Option<usize> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() || path.path.leading_colon.is_some() {
        return None;
    }
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let (found, consumed) = krate.walk(m, &segments, 0);
    if consumed < segments.len() {
        return None;
    }
    found.iter().find_map(|b| match b.target {
        Target::Def(d) => Some(d),
        _ => None,
    })
}

/// A trait of this crate that outside code cannot name: its impls are not API.
fn private_trait(krate: &Crate, m: usize, path: &syn::Path) -> bool {
    if path.leading_colon.is_some() {
        return false;
    }
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let (found, _) = krate.walk(m, &segments, 0);
    found.iter().any(|b| match b.target {
        Target::Def(d) => krate.public_paths[d].is_empty(),
        _ => false,
    })
}

fn item_cfg(item: &Item) -> Vec<String> {
    match item {
        Item::Struct(i) => cfg_conditions(&i.attrs),
        Item::Enum(i) => cfg_conditions(&i.attrs),
        Item::Union(i) => cfg_conditions(&i.attrs),
        Item::Type(i) => cfg_conditions(&i.attrs),
        Item::Trait(i) => cfg_conditions(&i.attrs),
        _ => Vec::new(),
    }
}
