//! Doc comments in the generated files: `///` lines, and links where the spec cites its decisions.
//!
//! prettyplease prints a multi-line `#[doc]` as a `/** … */` block; rustfmt then indents its lines, and
//! rustdoc reads four-space-indented doc lines as code blocks, so every description would become a
//! failing doctest. Splitting each doc attribute into one attribute per line makes both tools print
//! plain `///` comments.
//!
//! The spec's descriptions cite `DECISIONS.md` (the record of decisions on contradictory docs, beside the
//! spec). That file is not in the published crate, so in rustdoc each citation links to it in the
//! repository instead.

use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ExprLit, Lit, Meta};

/// The decisions record as readers of the published docs reach it.
const DECISIONS_URL: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/main/openapi/DECISIONS.md"
);

/// Splits every multi-line doc attribute in `file` into one attribute per line, and links every
/// citation of the decisions record.
pub fn split_multiline_docs(file: &mut syn::File) {
    Splitter.visit_file_mut(file);
}

struct Splitter;

/// `text` with each `DECISIONS.md` (or `openapi/DECISIONS.md`) made a link to the repository's copy.
fn link_decisions(text: &str) -> String {
    const NAME: &str = "DECISIONS.md";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(NAME) {
        let before = &rest[..at];
        let (before, shown) = match before.strip_suffix("openapi/") {
            Some(before) => (before, "openapi/DECISIONS.md"),
            None => (before, NAME),
        };
        let after = &rest[at + NAME.len()..];
        // A code span (`` `DECISIONS.md` ``) becomes the text of the link, backticks and all.
        let code = before.ends_with('`') && after.starts_with('`') && !before.ends_with("[`");
        let before = if code {
            &before[..before.len() - 1]
        } else {
            before
        };
        out.push_str(before);
        if code {
            out.push_str(&format!("[`{shown}`]({DECISIONS_URL})"));
            rest = &after[1..];
            continue;
        }
        // Already a link (`…/DECISIONS.md`, `[DECISIONS.md]`, ``[`DECISIONS.md`]``): left as written.
        if before.ends_with(['/', '[']) || before.ends_with("[`") {
            out.push_str(shown);
        } else {
            out.push_str(&format!("[{shown}]({DECISIONS_URL})"));
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn split(attrs: &mut Vec<Attribute>) {
    let mut out = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let text = match &attr.meta {
            Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) if s.value().contains('\n') || s.value().contains("DECISIONS.md") => {
                    Some(link_decisions(&s.value()))
                }
                _ => None,
            },
            _ => None,
        };
        match text {
            Some(text) if !text.contains('\n') => out.push(syn::parse_quote!(#[doc = #text])),
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

#[cfg(test)]
mod tests {
    use super::link_decisions;

    #[test]
    fn citations_of_the_decisions_record_become_links_once() {
        let linked = link_decisions("taken from the sibling page (DECISIONS.md, AA-13 and AA-14).");
        assert_eq!(
            linked,
            format!(
                "taken from the sibling page ([DECISIONS.md]({}), AA-13 and AA-14).",
                super::DECISIONS_URL
            )
        );
        assert!(super::DECISIONS_URL.starts_with("https://"));
        let path = link_decisions("see openapi/DECISIONS.md");
        assert_eq!(
            path,
            format!("see [openapi/DECISIONS.md]({})", super::DECISIONS_URL)
        );
        // Idempotent: a link is not linked again.
        assert_eq!(link_decisions(&linked), linked);
        let code = link_decisions("recorded in `openapi/DECISIONS.md`.");
        assert_eq!(
            code,
            format!(
                "recorded in [`openapi/DECISIONS.md`]({}).",
                super::DECISIONS_URL
            )
        );
        assert_eq!(link_decisions(&code), code);
    }
}
