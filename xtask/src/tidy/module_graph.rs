//! The top-level module graph of a crate's `src/`, for the layering test (`tidy/layers.rs`).
//!
//! A node is `src/x.rs` or `src/x/`; there is an edge A → B when a file of A names `crate::B`, or a
//! name `lib.rs` re-exports from B (`pub use b::Name;`, `pub type Name = b::…;`, and the inline
//! `pub mod types { pub use crate::generated::types::*; }` alias). Paths are read with `syn`, so
//! comments and doc links do not count; everything else does, test modules included.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use syn::visit::Visit;

/// Module → the modules it uses.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// The graph of the crate whose `src/` is `src`.
pub fn module_graph(src: &Path) -> Result<Graph> {
    let mut files: BTreeMap<String, Vec<syn::File>> = BTreeMap::new();
    for entry in walk(src)? {
        let rel = entry.strip_prefix(src).expect("walked below src");
        let top = rel.components().next().expect("a file has a name");
        let top = top.as_os_str().to_string_lossy();
        if top == "lib.rs" || top == "main.rs" {
            continue;
        }
        let node = top.strip_suffix(".rs").unwrap_or(&top).to_owned();
        let text = std::fs::read_to_string(&entry)
            .with_context(|| format!("reading {}", entry.display()))?;
        let file =
            syn::parse_file(&text).with_context(|| format!("parsing {}", entry.display()))?;
        files.entry(node).or_default().push(file);
    }
    let aliases = match std::fs::read_to_string(src.join("lib.rs")) {
        Ok(text) => lib_aliases(&syn::parse_file(&text).context("parsing lib.rs")?),
        Err(_) => BTreeMap::new(),
    };
    let mut graph = Graph::new();
    for (node, parsed) in &files {
        let mut names = CrateNames::default();
        for file in parsed {
            names.visit_file(file);
        }
        let mut edges = BTreeSet::new();
        for name in names.0 {
            let target = aliases.get(&name).cloned().unwrap_or(name);
            if target != *node && files.contains_key(&target) {
                edges.insert(target);
            }
        }
        graph.insert(node.clone(), edges);
    }
    Ok(graph)
}

/// Every cycle of `graph`, each as the path that closes it (`a → b → a`).
pub fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    fn visit<'a>(
        node: &'a str,
        graph: &'a Graph,
        state: &mut BTreeMap<&'a str, bool>,
        stack: &mut Vec<&'a str>,
        out: &mut Vec<Vec<String>>,
    ) {
        state.insert(node, true);
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(true) => {
                    let from = stack.iter().position(|n| n == next).expect("on the stack");
                    let mut cycle: Vec<String> =
                        stack[from..].iter().map(|s| s.to_string()).collect();
                    cycle.push(next.clone());
                    out.push(cycle);
                }
                Some(false) => {}
                None => visit(next, graph, state, stack, out),
            }
        }
        stack.pop();
        state.insert(node, false);
    }
    let mut state = BTreeMap::new();
    let mut out = Vec::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            visit(node, graph, &mut state, &mut Vec::new(), &mut out);
        }
    }
    out
}

/// Names `lib.rs` makes available at the crate root, and the module each comes from.
fn lib_aliases(lib: &syn::File) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in &lib.items {
        match item {
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                let mut names = Vec::new();
                leaves(&u.tree, None, &mut names);
                for (module, name) in names {
                    out.insert(name, module);
                }
            }
            syn::Item::Type(t) => {
                let mut names = CrateNames::default();
                names.visit_type(&t.ty);
                if let syn::Type::Path(p) = &*t.ty
                    && let Some(first) = p.path.segments.first()
                {
                    names.0.insert(first.ident.to_string());
                }
                if let Some(module) = names.0.into_iter().next() {
                    out.insert(t.ident.to_string(), module);
                }
            }
            syn::Item::Mod(m) if m.content.is_some() => {
                let mut names = CrateNames::default();
                names.visit_item_mod(m);
                if let Some(module) = names.0.into_iter().next() {
                    out.insert(m.ident.to_string(), module);
                }
            }
            _ => {}
        }
    }
    out
}

/// `(module, exported name)` for each leaf of a `use` tree rooted at a module (or `crate::module`).
fn leaves(tree: &syn::UseTree, module: Option<&str>, out: &mut Vec<(String, String)>) {
    match tree {
        syn::UseTree::Path(p) => {
            let ident = p.ident.to_string();
            let next = match module {
                None if ident == "crate" => None,
                None => Some(ident.as_str()),
                Some(m) => Some(m),
            };
            leaves(&p.tree, next, out)
        }
        syn::UseTree::Name(n) => {
            if let Some(m) = module {
                out.push((m.to_owned(), n.ident.to_string()));
            }
        }
        syn::UseTree::Rename(r) => {
            if let Some(m) = module {
                out.push((m.to_owned(), r.rename.to_string()));
            }
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, module, out)),
        syn::UseTree::Glob(_) => {}
    }
}

/// The second segment of every `crate::…` path and `use crate::{…}` group member.
#[derive(Default)]
struct CrateNames(BTreeSet<String>);

impl<'ast> Visit<'ast> for CrateNames {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if segments.next().is_some_and(|s| s.ident == "crate")
            && let Some(second) = segments.next()
        {
            self.0.insert(second.ident.to_string());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_use_tree(&mut self, tree: &'ast syn::UseTree) {
        if let syn::UseTree::Path(p) = tree
            && p.ident == "crate"
        {
            let mut names = Vec::new();
            match &*p.tree {
                syn::UseTree::Path(q) => names.push(q.ident.to_string()),
                syn::UseTree::Name(n) => names.push(n.ident.to_string()),
                syn::UseTree::Rename(r) => names.push(r.ident.to_string()),
                syn::UseTree::Group(g) => {
                    for item in &g.items {
                        match item {
                            syn::UseTree::Path(q) => names.push(q.ident.to_string()),
                            syn::UseTree::Name(n) => names.push(n.ident.to_string()),
                            syn::UseTree::Rename(r) => names.push(r.ident.to_string()),
                            _ => {}
                        }
                    }
                }
                syn::UseTree::Glob(_) => {}
            }
            self.0.extend(names.into_iter().filter(|n| n != "self"));
            return;
        }
        syn::visit::visit_use_tree(self, tree);
    }
}

fn walk(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let kind = entry.file_type()?;
        if kind.is_dir() {
            out.extend(walk(&entry.path())?);
        } else if kind.is_file() && entry.path().extension().is_some_and(|e| e == "rs") {
            out.push(entry.path());
        }
    }
    Ok(out)
}
