//! The crate's module tree, read the way rustc finds files: from `lib.rs`, following `mod x;` to
//! `x.rs` or `x/mod.rs` (or a `#[path]`), and inline `mod x { … }` blocks.

use anyhow::{Context, Result, bail};
use syn::{Attribute, Item, UseTree, Visibility};

use super::FileMap;

/// One module: where it is defined and what it holds.
pub struct Module {
    /// Definition path from the crate root (`["generated", "types"]`); empty for the root.
    pub path: Vec<String>,
    /// The file the module's items are written in, as named in the file map.
    pub file: String,
    pub items: Vec<Item>,
    pub parent: Option<usize>,
    /// Declared `pub` (not `pub(crate)`, not private).
    pub public: bool,
    /// `#[doc(hidden)]` on the declaration.
    pub hidden: bool,
    /// The `#[cfg(...)]` conditions of the declaration (not of its ancestors).
    pub cfg: Vec<String>,
}

/// How many modules deep the tree may go before it is taken for a `#[path]` loop.
const MAX_DEPTH: usize = 32;

/// Reads the module tree rooted at `root` (a key of `files`). Modules under `#[cfg(test)]` are
/// skipped: they are not part of the library anyone links.
pub fn tree(files: &FileMap, root: &str) -> Result<Vec<Module>> {
    let text = files
        .get(root)
        .with_context(|| format!("{root} is missing"))?;
    let file = parse(root, text)?;
    let mut modules = vec![Module {
        path: Vec::new(),
        file: root.to_owned(),
        items: Vec::new(),
        parent: None,
        public: true,
        hidden: false,
        cfg: Vec::new(),
    }];
    let dir = parent_dir(root);
    let items = file.items;
    load_children(files, &mut modules, 0, items, &dir, &dir)?;
    Ok(modules)
}

/// Parses one file, naming it in the error.
fn parse(name: &str, text: &str) -> Result<syn::File> {
    // Without proc-macro2's `span-locations` the error has no line number; syn's message and
    // the file name are what we can give.
    syn::parse_file(text).map_err(|e| anyhow::anyhow!("{name}: not parsable as Rust: {e}"))
}

/// Stores `items` as the content of `modules[index]` and loads its child modules.
/// `child_dir` is where `mod x;` looks for `x.rs`; `path_dir` where `#[path = "…"]` is relative to.
fn load_children(
    files: &FileMap,
    modules: &mut Vec<Module>,
    index: usize,
    items: Vec<Item>,
    child_dir: &str,
    path_dir: &str,
) -> Result<()> {
    if modules[index].path.len() > MAX_DEPTH {
        bail!(
            "{}: modules nest deeper than {MAX_DEPTH} levels (a #[path] loop?)",
            modules[index].file
        );
    }
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let Item::Mod(module) = item else {
            kept.push(item);
            continue;
        };
        if is_cfg_test(&module.attrs) {
            continue;
        }
        let name = module.ident.to_string();
        let mut path = modules[index].path.clone();
        path.push(name.clone());
        let child = modules.len();
        let explicit = path_attr(&module.attrs);
        let (file, content, next_child_dir, next_path_dir) = match module.content {
            Some((_, content)) => {
                // Children of an inline module live in a folder named after it (or its #[path]).
                let dir = join(child_dir, explicit.as_deref().unwrap_or(&name));
                (modules[index].file.clone(), content, dir.clone(), dir)
            }
            None => {
                let file = match &explicit {
                    Some(p) => join(path_dir, p),
                    None => find_file(files, child_dir, &name).with_context(|| {
                        format!(
                            "{}: `mod {name};` has no file {}/{name}.rs or {}/{name}/mod.rs",
                            modules[index].file, child_dir, child_dir
                        )
                    })?,
                };
                let text = files.get(&file).with_context(|| {
                    format!(
                        "{}: `mod {name};` names {file}, which is missing",
                        modules[index].file
                    )
                })?;
                let parsed = parse(&file, text)?;
                // A mod.rs or #[path] file's children live beside it; a plain x.rs file's in x/.
                // A #[path] inside either is relative to the file's own folder.
                let beside = parent_dir(&file);
                let children = if file.ends_with("/mod.rs") || explicit.is_some() {
                    beside.clone()
                } else {
                    file.trim_end_matches(".rs").to_owned()
                };
                (file, parsed.items, children, beside)
            }
        };
        modules.push(Module {
            path,
            file,
            items: Vec::new(),
            parent: Some(index),
            public: is_public(&module.vis),
            hidden: is_doc_hidden(&module.attrs),
            cfg: cfg_conditions(&module.attrs),
        });
        load_children(
            files,
            modules,
            child,
            content,
            &next_child_dir,
            &next_path_dir,
        )?;
    }
    modules[index].items = kept;
    Ok(())
}

fn find_file(files: &FileMap, dir: &str, name: &str) -> Option<String> {
    [
        join(dir, &format!("{name}.rs")),
        join(dir, &format!("{name}/mod.rs")),
    ]
    .into_iter()
    .find(|candidate| files.contains_key(candidate))
}

fn parent_dir(file: &str) -> String {
    file.rsplit_once('/')
        .map_or(String::new(), |(dir, _)| dir.to_owned())
}

/// Joins a relative path onto a folder, resolving `.` and `..` so keys match the file map.
fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// `pub` only: `pub(crate)`, `pub(super)` and `pub(in …)` are not part of the public API.
pub fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// `#[doc(hidden)]`: public to the compiler, but by convention not part of the API.
pub fn is_doc_hidden(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("doc")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "hidden")
    })
}

/// The token text of each `#[cfg(...)]` condition, e.g. `feature = "capture"`.
pub fn cfg_conditions(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::List(list) => Some(list.tokens.to_string()),
            _ => None,
        })
        .collect()
}

/// `#[cfg(test)]`: compiled only into the crate's own tests.
pub fn is_cfg_test(attrs: &[Attribute]) -> bool {
    cfg_conditions(attrs).iter().any(|c| c == "test")
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// `use a::{b, c as d, e::*}` → `(Some("b"), [a, b])`, `(Some("d"), [a, c])`, `(None, [a, e])`.
/// `self` in a group names the group's own path.
pub fn flatten_use(
    tree: &UseTree,
    prefix: Vec<String>,
    out: &mut Vec<(Option<String>, Vec<String>)>,
) {
    match tree {
        UseTree::Path(p) => {
            let mut next = prefix;
            next.push(p.ident.to_string());
            flatten_use(&p.tree, next, out);
        }
        UseTree::Name(n) if n.ident == "self" => {
            let name = prefix.last().cloned();
            out.push((name, prefix));
        }
        UseTree::Name(n) => {
            let mut path = prefix;
            path.push(n.ident.to_string());
            out.push((Some(n.ident.to_string()), path));
        }
        UseTree::Rename(r) => {
            let mut path = prefix;
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            out.push((Some(r.rename.to_string()), path));
        }
        UseTree::Glob(_) => out.push((None, prefix)),
        UseTree::Group(g) => {
            for tree in &g.items {
                flatten_use(tree, prefix.clone(), out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> FileMap {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn follows_mod_files_path_attributes_and_inline_modules() {
        let map = files(&[
            (
                "c/src/lib.rs",
                "pub mod a; mod b; #[path = \"odd/place.rs\"] pub mod c; pub mod d { pub mod e; } #[cfg(test)] mod tests;",
            ),
            ("c/src/a.rs", "pub mod inner;"),
            ("c/src/a/inner.rs", "pub struct X;"),
            ("c/src/b/mod.rs", "pub(crate) struct Y;"),
            ("c/src/odd/place.rs", "pub struct Z;"),
            ("c/src/d/e.rs", "pub struct W;"),
        ]);
        let modules = tree(&map, "c/src/lib.rs").unwrap();
        let found: Vec<(String, String, bool)> = modules
            .iter()
            .map(|m| (m.path.join("::"), m.file.clone(), m.public))
            .collect();
        assert_eq!(
            found,
            [
                ("", "c/src/lib.rs", true),
                ("a", "c/src/a.rs", true),
                ("a::inner", "c/src/a/inner.rs", true),
                ("b", "c/src/b/mod.rs", false),
                ("c", "c/src/odd/place.rs", true),
                ("d", "c/src/lib.rs", true),
                ("d::e", "c/src/d/e.rs", true),
            ]
            .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c))
        );
    }

    #[test]
    fn names_the_unparsable_file_and_the_missing_module() {
        let bad = files(&[("c/src/lib.rs", "mod m;"), ("c/src/m.rs", "pub struct {")]);
        let err = tree(&bad, "c/src/lib.rs").err().unwrap().to_string();
        assert!(err.starts_with("c/src/m.rs: not parsable as Rust"), "{err}");
        let missing = files(&[("c/src/lib.rs", "mod gone;")]);
        let err = format!("{:#}", tree(&missing, "c/src/lib.rs").err().unwrap());
        assert!(
            err.contains("`mod gone;` has no file c/src/gone.rs"),
            "{err}"
        );
    }
}
