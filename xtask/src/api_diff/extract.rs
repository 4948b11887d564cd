//! The public API of the crate as plain data: one [`ApiItem`] per public path, each with the facts
//! a consumer's code can depend on (fields, variants, signatures, methods, trait impls).

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use serde::Serialize;
use syn::{Attribute, Fields, Generics, Item, Path, Token, TraitItem, punctuated::Punctuated};

use super::members::{self, Members};
use super::modules::{is_doc_hidden, is_public};
use super::normalize::{Normalizer, compact};
use super::resolve::{Crate, PublicPath};

/// What kind of item a public path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Struct,
    Enum,
    Union,
    Function,
    Const,
    Static,
    TypeAlias,
    Trait,
    TraitAlias,
    Module,
    /// `pub use` of another crate's item.
    Reexport,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Enum => "enum",
            Kind::Union => "union",
            Kind::Function => "function",
            Kind::Const => "const",
            Kind::Static => "static",
            Kind::TypeAlias => "type alias",
            Kind::Trait => "trait",
            Kind::TraitAlias => "trait alias",
            Kind::Module => "module",
            Kind::Reexport => "re-export",
        }
    }
}

/// The fields of a struct, union or enum variant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Shape {
    /// `named`, `tuple` or `unit`.
    pub style: &'static str,
    /// Public fields (by name, or position for tuple fields) and their canonical types.
    pub public: BTreeMap<String, String>,
    /// How many fields are not public (or `#[doc(hidden)]`).
    pub private: usize,
}

/// An enum variant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Variant {
    pub shape: Shape,
    pub non_exhaustive: bool,
}

/// An associated item a trait declares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraitMember {
    pub sig: String,
    /// Implementors must write it (no default).
    pub required: bool,
}

/// One public item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApiItem {
    pub kind: Kind,
    /// `#[cfg(...)]` conditions met on the way to this path (feature-gated items).
    pub cfg: Vec<String>,
    /// Generics (types, traits), the signature (functions), the type (consts, statics, aliases),
    /// or the target (re-exports).
    pub sig: String,
    pub non_exhaustive: bool,
    pub shape: Option<Shape>,
    pub variants: BTreeMap<String, Variant>,
    /// Public inherent methods and associated consts, by name.
    pub methods: BTreeMap<String, String>,
    /// Trait impls, derived or written (`impl Clone`, `impl TryFrom<&str>`).
    pub impls: BTreeSet<String>,
    pub trait_items: BTreeMap<String, TraitMember>,
}

impl ApiItem {
    fn new(kind: Kind, sig: String) -> Self {
        ApiItem {
            kind,
            cfg: Vec::new(),
            sig,
            non_exhaustive: false,
            shape: None,
            variants: BTreeMap::new(),
            methods: BTreeMap::new(),
            impls: BTreeSet::new(),
            trait_items: BTreeMap::new(),
        }
    }
}

/// The public API: items by public path (`types::AaInitializeData`, `Finpass`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Api {
    pub items: BTreeMap<String, ApiItem>,
}

/// Extracts the API of a resolved crate.
pub fn extract(krate: &Crate) -> Api {
    let mut members = members::collect(krate);
    let mut api = Api::default();
    for d in 0..krate.defs.len() {
        if krate.public_paths[d].is_empty() {
            continue;
        }
        let Some(mut item) = describe(krate, d) else {
            continue;
        };
        let Members { methods, impls } = members.remove(&d).unwrap_or_default();
        item.methods = methods;
        item.impls.extend(impls);
        for at in &krate.public_paths[d] {
            insert(&mut api, at, item.clone());
        }
    }
    for at in &krate.public_modules {
        insert(&mut api, at, ApiItem::new(Kind::Module, String::new()));
    }
    for (at, target) in &krate.reexports {
        insert(&mut api, at, ApiItem::new(Kind::Reexport, target.clone()));
    }
    api
}

/// Adds an item under its path; two items at one path (alternatives under different `#[cfg]`s)
/// are told apart by their conditions.
fn insert(api: &mut Api, at: &PublicPath, mut item: ApiItem) {
    item.cfg = at.cfg.clone();
    let mut key = at.path.join("::");
    if api.items.contains_key(&key) {
        key = format!("{key} #[cfg({})]", at.cfg.join(", "));
    }
    api.items.insert(key, item);
}

fn describe(krate: &Crate, d: usize) -> Option<ApiItem> {
    let mut norm = Normalizer::new(krate, krate.defs[d].module);
    let item = match krate.item(d).clone() {
        Item::Struct(mut s) => {
            let mut item = ApiItem::new(Kind::Struct, generics_text(&mut norm, &mut s.generics));
            item.shape = Some(shape(&mut norm, &s.fields, true));
            item.non_exhaustive = non_exhaustive(&s.attrs);
            item.impls = derives(&mut norm, &s.attrs);
            item
        }
        Item::Union(mut u) => {
            let mut item = ApiItem::new(Kind::Union, generics_text(&mut norm, &mut u.generics));
            item.shape = Some(shape(&mut norm, &Fields::Named(u.fields), true));
            item.impls = derives(&mut norm, &u.attrs);
            item
        }
        Item::Enum(mut e) => {
            let mut item = ApiItem::new(Kind::Enum, generics_text(&mut norm, &mut e.generics));
            item.non_exhaustive = non_exhaustive(&e.attrs);
            item.impls = derives(&mut norm, &e.attrs);
            for v in e.variants.iter().filter(|v| !is_doc_hidden(&v.attrs)) {
                let variant = Variant {
                    shape: shape(&mut norm, &v.fields, false),
                    non_exhaustive: non_exhaustive(&v.attrs),
                };
                item.variants.insert(v.ident.to_string(), variant);
            }
            item
        }
        Item::Fn(f) => ApiItem::new(Kind::Function, members::fn_sig(&norm, &f.sig)),
        Item::Const(mut c) => {
            ApiItem::new(Kind::Const, norm.text(&mut *c.ty, Normalizer::visit_type))
        }
        Item::Static(mut s) => {
            let mutability = s.mutability.to_token_stream().to_string();
            let ty = norm.text(&mut *s.ty, Normalizer::visit_type);
            ApiItem::new(Kind::Static, format!("{mutability} {ty}").trim().to_owned())
        }
        Item::Type(mut t) => {
            let generics = generics_text(&mut norm, &mut t.generics);
            let ty = norm.text(&mut *t.ty, Normalizer::visit_type);
            ApiItem::new(Kind::TypeAlias, format!("{generics} = {ty}"))
        }
        Item::Trait(mut t) => {
            let generics = generics_text(&mut norm, &mut t.generics);
            let supertraits = norm.text(&mut t.supertraits, Normalizer::visit_bounds);
            let unsafety = if t.unsafety.is_some() { "unsafe " } else { "" };
            let mut item =
                ApiItem::new(Kind::Trait, format!("{unsafety}{generics}: {supertraits}"));
            for member in &t.items {
                if let Some((name, member)) = trait_member(&norm, member) {
                    item.trait_items.insert(name, member);
                }
            }
            item
        }
        Item::TraitAlias(mut t) => {
            let generics = generics_text(&mut norm, &mut t.generics);
            let bounds = norm.text(&mut t.bounds, Normalizer::visit_bounds);
            ApiItem::new(Kind::TraitAlias, format!("{generics} = {bounds}"))
        }
        _ => return None,
    };
    Some(item)
}

fn trait_member(norm: &Normalizer<'_>, member: &TraitItem) -> Option<(String, TraitMember)> {
    let mut norm = norm.clone();
    let (attrs, name, sig, required) = match member {
        TraitItem::Fn(f) => (
            &f.attrs,
            f.sig.ident.to_string(),
            members::fn_sig(&norm, &f.sig),
            f.default.is_none(),
        ),
        TraitItem::Type(t) => {
            let mut bounds = t.bounds.clone();
            let sig = format!("type: {}", norm.text(&mut bounds, Normalizer::visit_bounds));
            (&t.attrs, t.ident.to_string(), sig, t.default.is_none())
        }
        TraitItem::Const(c) => {
            let mut ty = c.ty.clone();
            let sig = format!("const: {}", norm.text(&mut ty, Normalizer::visit_type));
            (&c.attrs, c.ident.to_string(), sig, c.default.is_none())
        }
        _ => return None,
    };
    (!is_doc_hidden(attrs)).then_some((name, TraitMember { sig, required }))
}

/// `<G0: Bound, 'l0> where …`, or empty.
pub fn generics_text(norm: &mut Normalizer<'_>, generics: &mut Generics) -> String {
    norm.enter_generics(generics);
    let params = compact(&generics.to_token_stream().to_string());
    match &generics.where_clause {
        Some(w) => format!("{params} {}", compact(&w.to_token_stream().to_string())),
        None => params,
    }
}

/// Fields with their canonical types; `all_public` for enum variants, whose fields always are.
fn shape(norm: &mut Normalizer<'_>, fields: &Fields, check_visibility: bool) -> Shape {
    let style = match fields {
        Fields::Named(_) => "named",
        Fields::Unnamed(_) => "tuple",
        Fields::Unit => "unit",
    };
    let mut out = Shape {
        style,
        ..Shape::default()
    };
    for (index, field) in fields.iter().enumerate() {
        if check_visibility && (!is_public(&field.vis) || is_doc_hidden(&field.attrs)) {
            out.private += 1;
            continue;
        }
        let name = field
            .ident
            .as_ref()
            .map_or(index.to_string(), ToString::to_string);
        let mut ty = field.ty.clone();
        out.public
            .insert(name, norm.text(&mut ty, Normalizer::visit_type));
    }
    out
}

fn non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// `#[derive(Clone, ::serde::Serialize)]` → `impl Clone`, `impl serde::Serialize`: the same
/// facts as written impls.
fn derives(norm: &mut Normalizer<'_>, attrs: &[Attribute]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        for mut path in paths {
            let name = norm.text(&mut path, Normalizer::visit_path);
            // The derive macros `Debug` and `Hash` are in the prelude, their traits are not: a
            // derive and a written `impl std::fmt::Debug` are the same fact.
            let name = match name.as_str() {
                "Debug" => "std::fmt::Debug".to_owned(),
                "Hash" => "std::hash::Hash".to_owned(),
                _ => name,
            };
            out.insert(format!("impl {name}"));
        }
    }
    out
}
