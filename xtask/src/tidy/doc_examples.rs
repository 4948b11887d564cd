//! Every public method of the client shows a compiled example: each `pub fn` of
//! the types `lib.rs` re-exports (their inherent impls and traits, wherever the impl lives, the
//! generated `Finpass` methods of `facade/generated.rs` included) and each `pub fn` of a public
//! module has a fenced code block in its docs. The doctests compile (and run) what the blocks say;
//! this test makes sure a new method cannot ship without one. progenitor's own output
//! (`src/generated.rs`: the request builders, reached through `types`) is out of scope.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::{Attribute, ImplItem, Item, Visibility};

/// Public methods that still lack an example, and why. The test fails once one has an example, so
/// the list only shrinks.
const KNOWN_GAPS: &[&str] = &[];

/// Whether the docs open a fenced block that rustdoc compiles (not `ignore`d, not `text`).
fn has_example(docs: &str) -> bool {
    let mut open = false;
    for line in docs.lines() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        if !open && !info.contains("ignore") && !info.contains("text") {
            return true;
        }
        open = !open;
    }
    false
}

fn doc_text(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn doc_hidden(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && matches!(&a.meta, syn::Meta::List(list) if list.tokens.to_string() == "hidden")
    })
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names of the items `lib.rs` re-exports from the crate's modules, and of its type aliases
/// with the type each names.
fn reexported(lib: &syn::File) -> Vec<String> {
    fn leaves(tree: &syn::UseTree, local: bool, out: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => leaves(&p.tree, local, out),
            syn::UseTree::Name(n) if local => out.push(n.ident.to_string()),
            syn::UseTree::Rename(r) if local => out.push(r.rename.to_string()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, local, out)),
            _ => {}
        }
    }
    let mut types = Vec::new();
    for item in &lib.items {
        match item {
            // `pub use reqwest;` re-exports another crate: only paths into this crate's modules count.
            Item::Use(u) if is_pub(&u.vis) => {
                let local = matches!(&u.tree, syn::UseTree::Path(_));
                leaves(&u.tree, local, &mut types);
            }
            Item::Type(t) if is_pub(&t.vis) => {
                types.push(t.ident.to_string());
                if let syn::Type::Path(p) = &*t.ty
                    && let Some(last) = p.path.segments.last()
                {
                    types.push(last.ident.to_string());
                }
            }
            _ => {}
        }
    }
    types
}

/// The source files of a crate with the module path of each and whether every module on that path
/// is public: `(file, ["capture", "generated"], false)`. Inline modules are skipped: the crate's
/// are `tests` and `types` (a re-export of progenitor's output).
fn files(src: &Path) -> Vec<(PathBuf, Vec<String>, bool)> {
    fn walk(
        dir: &Path,
        file: &Path,
        path: Vec<String>,
        public: bool,
        out: &mut Vec<(PathBuf, Vec<String>, bool)>,
    ) {
        let parsed = parse(file);
        out.push((file.to_path_buf(), path.clone(), public));
        for item in &parsed.items {
            let Item::Mod(m) = item else { continue };
            if m.content.is_some() {
                continue;
            }
            let name = m.ident.to_string();
            // `name.rs` or `name/mod.rs`; either way its own modules live in `name/`.
            let child_dir = dir.join(&name);
            let child = [dir.join(format!("{name}.rs")), child_dir.join("mod.rs")]
                .into_iter()
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("module `{name}` of {} not found", file.display()));
            let mut child_path = path.clone();
            child_path.push(name);
            walk(
                &child_dir,
                &child,
                child_path,
                public && is_pub(&m.vis),
                out,
            );
        }
    }
    let mut out = Vec::new();
    walk(src, &src.join("lib.rs"), Vec::new(), true, &mut out);
    out
}

/// `pub fn NAME` items inside a `macro_rules!` body, with the doc attributes just before each (a
/// `///` comment in a macro body is a `#[doc = "…"]` token sequence).
fn macro_fns(tokens: TokenStream, out: &mut Vec<(String, String)>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut docs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = tokens.get(i + 1)
                    && g.delimiter() == Delimiter::Bracket
                {
                    if let Ok(syn::Meta::NameValue(nv)) = syn::parse2::<syn::Meta>(g.stream())
                        && nv.path.is_ident("doc")
                        && let syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) = nv.value
                    {
                        docs.push(s.value());
                    }
                    i += 2;
                    continue;
                }
            }
            TokenTree::Ident(id) if id == "pub" => {
                if let (Some(TokenTree::Ident(f)), Some(TokenTree::Ident(name))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                    && f == "fn"
                {
                    out.push((name.to_string(), docs.join("\n")));
                }
            }
            TokenTree::Group(g) => macro_fns(g.stream(), out),
            _ => {}
        }
        docs.clear();
        i += 1;
    }
}

/// Every public method of the crate's public API, named `Type::method` or `module::function`,
/// with its docs.
fn public_methods(src: &Path) -> BTreeMap<String, String> {
    let reexported = reexported(&parse(&src.join("lib.rs")));
    let mut found = BTreeMap::new();
    for (file, path, public) in files(src) {
        // progenitor's output: its public items are reached only through `types` (builders).
        if path.len() == 1 && path[0] == "generated" {
            continue;
        }
        let module = path.join("::");
        for item in parse(&file).items {
            match item {
                Item::Impl(imp) if imp.trait_.is_none() => {
                    let syn::Type::Path(ty) = &*imp.self_ty else {
                        continue;
                    };
                    let name = ty.path.segments.last().unwrap().ident.to_string();
                    if !(public || reexported.contains(&name)) {
                        continue;
                    }
                    for inner in &imp.items {
                        if let ImplItem::Fn(f) = inner
                            && is_pub(&f.vis)
                            && !doc_hidden(&f.attrs)
                        {
                            found.insert(format!("{name}::{}", f.sig.ident), doc_text(&f.attrs));
                        }
                    }
                }
                Item::Trait(t)
                    if is_pub(&t.vis) && (public || reexported.contains(&t.ident.to_string())) =>
                {
                    for inner in &t.items {
                        if let syn::TraitItem::Fn(f) = inner
                            && !doc_hidden(&f.attrs)
                        {
                            found.insert(
                                format!("{}::{}", t.ident, f.sig.ident),
                                doc_text(&f.attrs),
                            );
                        }
                    }
                }
                Item::Fn(f) if public && is_pub(&f.vis) && !doc_hidden(&f.attrs) => {
                    found.insert(format!("{module}::{}", f.sig.ident), doc_text(&f.attrs));
                }
                Item::Macro(m) if public && m.mac.path.is_ident("macro_rules") => {
                    let mut fns = Vec::new();
                    macro_fns(m.mac.tokens.clone(), &mut fns);
                    let name = m.ident.map(|i| i.to_string()).unwrap_or_default();
                    for (f, docs) in fns {
                        found.insert(format!("{module}::{name}!::{f}"), docs);
                    }
                }
                _ => {}
            }
        }
    }
    found
}

fn missing(methods: &BTreeMap<String, String>) -> Vec<String> {
    methods
        .iter()
        .filter(|(_, docs)| !has_example(docs))
        .map(|(name, _)| name.clone())
        .collect()
}

#[test]
fn every_public_method_of_the_client_has_an_example() {
    let methods = public_methods(&crate::paths::root().join("finpass-client/src"));
    // Each way a method is reached is really walked (else the check could pass on nothing).
    for expected in [
        "Finpass::aa_initialize",        // generated facade (facade/generated.rs)
        "Finpass::download_report",      // handwritten addition to Finpass
        "ClientBuilder::build",          // re-exported type
        "Bureaus::as_slice",             // through the `Bureaus` alias
        "Call::with_response",           // re-exported type (call.rs)
        "ids::identifier!::as_str",      // generated by a macro in a public module
        "operation::find",               // free function of a public module
        "capture::redact",               // feature-gated public module
        "Finpass::call_by_operation_id", // feature-gated generated method
    ] {
        assert!(
            methods.contains_key(expected),
            "{expected} was not found: {:#?}",
            methods.keys()
        );
    }
    assert!(
        !methods.contains_key("Finpass::download_report_allowing_loopback"),
        "#[doc(hidden)] items are not public API"
    );
    let missing = missing(&methods);
    let unexpected: Vec<_> = missing
        .iter()
        .filter(|m| !KNOWN_GAPS.contains(&m.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "public methods without a ```-block example in their docs (add a short `no_run` example, or a \
         running one with assert_eq! when no network is needed):\n{unexpected:#?}"
    );
    for gap in KNOWN_GAPS {
        assert!(
            missing.iter().any(|m| m == gap),
            "{gap} has an example now (or is gone): remove it from KNOWN_GAPS"
        );
    }
    println!(
        "{} public methods, {} with an example",
        methods.len(),
        methods.len() - missing.len()
    );
}

/// The checker itself: a method without a block is reported, wherever it is reachable from; private,
/// hidden and `pub(crate)` items and private modules are not.
#[test]
fn a_method_without_an_example_is_reported() {
    let dir = std::env::temp_dir().join(format!("doc-examples-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("tools")).unwrap();
    let write = |p: &str, text: &str| std::fs::write(src.join(p), text).unwrap();
    write(
        "lib.rs",
        "mod thing; pub mod tools; mod hidden;\npub use thing::Thing;\n",
    );
    write(
        "thing.rs",
        "pub struct Thing;\nimpl Thing {\n\
         /// Says nothing.\npub fn bare(&self) {}\n\
         /// Shows it.\n/// ```\n/// Thing.shown();\n/// ```\npub fn shown(&self) {}\n\
         /// Ignored.\n/// ```ignore\n/// Thing.skipped();\n/// ```\npub fn skipped(&self) {}\n\
         #[doc(hidden)]\npub fn hidden(&self) {}\npub(crate) fn internal(&self) {}\n}\n",
    );
    write(
        "tools/mod.rs",
        "mod private;\npub fn free() {}\nmacro_rules! m { () => { impl X {\n/// No block.\npub fn made(&self) {} } } }\n",
    );
    write("tools/private.rs", "pub fn unreachable() {}\n");
    write(
        "hidden.rs",
        "pub struct Other;\nimpl Other { pub fn not_exported(&self) {} }\n",
    );
    let methods = public_methods(&src);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        methods.keys().collect::<Vec<_>>(),
        [
            "Thing::bare",
            "Thing::shown",
            "Thing::skipped",
            "tools::free",
            "tools::m!::made"
        ]
    );
    assert_eq!(
        missing(&methods),
        [
            "Thing::bare",
            "Thing::skipped",
            "tools::free",
            "tools::m!::made"
        ]
    );
}
