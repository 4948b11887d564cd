//! Doc comments in the generated file as `///` lines.
//!
//! prettyplease prints a multi-line `#[doc]` as a `/** … */` block; rustfmt then indents its lines, and
//! rustdoc reads four-space-indented doc lines as code blocks, so every description would become a
//! failing doctest. Splitting each doc attribute into one attribute per line makes both tools print
//! plain `///` comments.

use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ExprLit, Lit, Meta};

/// Splits every multi-line doc attribute in `file` into one attribute per line.
pub fn split_multiline_docs(file: &mut syn::File) {
    Splitter.visit_file_mut(file);
}

struct Splitter;

fn split(attrs: &mut Vec<Attribute>) {
    let mut out = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let text = match &attr.meta {
            Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) if s.value().contains('\n') => Some(s.value()),
                _ => None,
            },
            _ => None,
        };
        match text {
            Some(text) => {
                for line in text.trim_end().lines() {
                    // `///` adds no space of its own in the rendered text; keep the line as written.
                    let line = if line.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", line.trim_end())
                    };
                    out.push(syn::parse_quote!(#[doc = #line]));
                }
            }
            None => out.push(attr),
        }
    }
    *attrs = out;
}

macro_rules! visit {
    ($($method:ident: $ty:ty => $walk:ident),* $(,)?) => {
        impl VisitMut for Splitter {
            $(fn $method(&mut self, node: &mut $ty) {
                split(&mut node.attrs);
                visit_mut::$walk(self, node);
            })*
        }
    };
}

visit! {
    visit_item_struct_mut: syn::ItemStruct => visit_item_struct_mut,
    visit_item_enum_mut: syn::ItemEnum => visit_item_enum_mut,
    visit_item_mod_mut: syn::ItemMod => visit_item_mod_mut,
    visit_item_impl_mut: syn::ItemImpl => visit_item_impl_mut,
    visit_item_fn_mut: syn::ItemFn => visit_item_fn_mut,
    visit_item_type_mut: syn::ItemType => visit_item_type_mut,
    visit_item_const_mut: syn::ItemConst => visit_item_const_mut,
    visit_item_trait_mut: syn::ItemTrait => visit_item_trait_mut,
    visit_impl_item_fn_mut: syn::ImplItemFn => visit_impl_item_fn_mut,
    visit_field_mut: syn::Field => visit_field_mut,
    visit_variant_mut: syn::Variant => visit_variant_mut,
}
