//! Signatures in a form that compares equal when the API is the same: every path to an item of
//! the crate is written as its public path (or `crate::…` definition path when it has none), paths
//! into the standard prelude are shortened, generic parameters are named by position (`G0`, `'l0`),
//! and argument names, attributes and docs are dropped.

use std::collections::HashMap;

use proc_macro2::Span;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{
    GenericParam, Generics, Ident, Lifetime, Path, PathArguments, PathSegment, Token,
    TypeParamBound,
};

use super::resolve::{Crate, Target};

/// Canonicalises syntax written in one module of the crate.
#[derive(Clone)]
pub struct Normalizer<'a> {
    krate: &'a Crate,
    module: usize,
    params: HashMap<String, String>,
    lifetimes: HashMap<String, String>,
}

impl<'a> Normalizer<'a> {
    pub fn new(krate: &'a Crate, module: usize) -> Self {
        Normalizer {
            krate,
            module,
            params: HashMap::new(),
            lifetimes: HashMap::new(),
        }
    }

    /// Names the parameters of `generics` by position, continuing after those already named
    /// (an impl's, then its method's), and rewrites the generics themselves.
    pub fn enter_generics(&mut self, generics: &mut Generics) {
        for param in generics.params.iter_mut() {
            match param {
                GenericParam::Type(t) => {
                    let name = format!("G{}", self.params.len());
                    self.params.insert(t.ident.to_string(), name.clone());
                    t.ident = Ident::new(&name, Span::call_site());
                }
                GenericParam::Const(c) => {
                    let name = format!("C{}", self.params.len());
                    self.params.insert(c.ident.to_string(), name.clone());
                    c.ident = Ident::new(&name, Span::call_site());
                }
                GenericParam::Lifetime(l) => {
                    let name = format!("l{}", self.lifetimes.len());
                    self.lifetimes
                        .insert(l.lifetime.ident.to_string(), name.clone());
                    l.lifetime.ident = Ident::new(&name, Span::call_site());
                }
            }
        }
        self.visit_generics_mut(generics);
    }

    pub fn visit_type(&mut self, ty: &mut syn::Type) {
        self.visit_type_mut(ty);
    }

    pub fn visit_path(&mut self, path: &mut Path) {
        self.visit_path_mut(path);
    }

    pub fn visit_bounds(&mut self, bounds: &mut Punctuated<TypeParamBound, Token![+]>) {
        for bound in bounds.iter_mut() {
            self.visit_type_param_bound_mut(bound);
        }
    }

    pub fn visit_signature(&mut self, sig: &mut syn::Signature) {
        self.visit_signature_mut(sig);
    }

    /// The canonical text of anything printable, after rewriting it in place.
    pub fn text<T: ToTokens>(&mut self, node: &mut T, visit: fn(&mut Self, &mut T)) -> String {
        visit(self, node);
        compact(&node.to_token_stream().to_string())
    }

    /// The canonical path of a crate item: its shortest public path, else where it is defined.
    fn canonical(&self, target: &Target) -> Vec<String> {
        match target {
            Target::Def(d) => {
                let public = self.krate.public_paths[*d]
                    .iter()
                    .map(|p| &p.path)
                    .min_by(|a, b| (a.len(), *a).cmp(&(b.len(), *b)));
                let mut path = vec!["crate".to_owned()];
                match public {
                    Some(p) => path.extend(p.iter().cloned()),
                    None => {
                        let def = &self.krate.defs[*d];
                        path.extend(self.krate.modules[def.module].path.iter().cloned());
                        path.push(def.name.clone());
                    }
                }
                path
            }
            Target::Module(m) => {
                let mut path = vec!["crate".to_owned()];
                path.extend(self.krate.modules[*m].path.iter().cloned());
                path
            }
            Target::External(s) => external(s),
        }
    }

    fn rewrite(&self, path: &mut Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let Some(first) = segments.first() else {
            return;
        };
        if path.leading_colon.is_none() {
            if let Some(canonical) = self.params.get(first) {
                path.segments[0].ident = Ident::new(canonical, Span::call_site());
                return;
            }
            if first == "Self" {
                return;
            }
        }
        let mut written = segments.clone();
        if path.leading_colon.is_some() {
            written.insert(0, String::new());
        }
        let (found, consumed) = self.krate.walk(self.module, &written, 0);
        // Prefer the type namespace: a module or item over a same-named function.
        let Some(target) = found
            .iter()
            .map(|b| &b.target)
            .find(|t| !matches!(t, Target::Def(d) if is_value(self.krate.item(*d))))
            .or(found.first().map(|b| &b.target))
        else {
            return;
        };
        let resolved = consumed.saturating_sub(usize::from(path.leading_colon.is_some()));
        if resolved == 0 {
            return;
        }
        let canonical = self.canonical(target);
        let old: Vec<PathSegment> = path.segments.iter().cloned().collect();
        path.leading_colon = None;
        path.segments.clear();
        // Generic arguments stay on the segment they were written on, counted from the end of
        // the resolved part (`types::X<T>` → `crate::types::X<T>`, `Option` keeps its `<f64>`).
        for (i, name) in canonical.iter().enumerate() {
            let arguments = (i + resolved)
                .checked_sub(canonical.len())
                .and_then(|at| old.get(at))
                .map_or(PathArguments::None, |s| s.arguments.clone());
            path.segments.push(PathSegment {
                ident: Ident::new(name, Span::call_site()),
                arguments,
            });
        }
        path.segments.extend(old.into_iter().skip(resolved));
    }
}

impl VisitMut for Normalizer<'_> {
    fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
        if let Some(qself) = &mut node.qself {
            self.visit_type_mut(&mut qself.ty);
        }
        let before = node.path.segments.len();
        self.rewrite(&mut node.path);
        if let Some(qself) = &mut node.qself {
            // `<T as Trait>::X`: the `>` follows the trait, however long its path became.
            qself.position = (qself.position + node.path.segments.len()).saturating_sub(before);
        }
        for segment in node.path.segments.iter_mut() {
            self.visit_path_arguments_mut(&mut segment.arguments);
        }
    }

    fn visit_path_mut(&mut self, path: &mut Path) {
        self.rewrite(path);
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if let Some(name) = self.lifetimes.get(&lifetime.ident.to_string()) {
            lifetime.ident = Ident::new(name, Span::call_site());
        }
    }

    // A trailing comma is formatting, not API (rustfmt adds one when a signature wraps).
    fn visit_signature_mut(&mut self, sig: &mut syn::Signature) {
        sig.inputs.pop_punct();
        visit_mut::visit_signature_mut(self, sig);
    }

    fn visit_generics_mut(&mut self, generics: &mut Generics) {
        generics.params.pop_punct();
        visit_mut::visit_generics_mut(self, generics);
    }

    fn visit_where_clause_mut(&mut self, clause: &mut syn::WhereClause) {
        clause.predicates.pop_punct();
        visit_mut::visit_where_clause_mut(self, clause);
    }

    fn visit_angle_bracketed_generic_arguments_mut(
        &mut self,
        args: &mut syn::AngleBracketedGenericArguments,
    ) {
        args.args.pop_punct();
        visit_mut::visit_angle_bracketed_generic_arguments_mut(self, args);
    }

    // Docs and attributes are not API.
    fn visit_attribute_mut(&mut self, _: &mut syn::Attribute) {}
}

fn is_value(item: &syn::Item) -> bool {
    matches!(
        item,
        syn::Item::Fn(_) | syn::Item::Const(_) | syn::Item::Static(_)
    )
}

/// Another crate's path, with `core::`/`alloc::` read as `std::` and prelude names shortened
/// (`::std::option::Option` and `Option` are the same type).
fn external(written: &str) -> Vec<String> {
    const PRELUDE: &[&str] = &[
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "String",
        "ToString",
        "Vec",
        "Box",
        "ToOwned",
        "Clone",
        "Copy",
        "Send",
        "Sync",
        "Sized",
        "Unpin",
        "Default",
        "Drop",
        "Fn",
        "FnMut",
        "FnOnce",
        "Eq",
        "PartialEq",
        "Ord",
        "PartialOrd",
        "From",
        "Into",
        "TryFrom",
        "TryInto",
        "AsRef",
        "AsMut",
        "Iterator",
        "IntoIterator",
        "Extend",
        "FromIterator",
        "DoubleEndedIterator",
        "ExactSizeIterator",
    ];
    let mut segments: Vec<String> = written
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(first) = segments.first_mut()
        && (first == "core" || first == "alloc")
    {
        *first = "std".to_owned();
    }
    if segments.len() == 3 && segments[0] == "std" && PRELUDE.contains(&segments[2].as_str()) {
        segments.drain(..2);
    }
    segments
}

/// Token text with the spaces a reader does not expect removed (`std::fmt::Display`, `Vec<T>`).
pub fn compact(tokens: &str) -> String {
    let mut out = tokens.to_owned();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        ("' ", "'"),
        (" : ", ": "),
    ] {
        out = out.replace(from, to);
    }
    out
}
