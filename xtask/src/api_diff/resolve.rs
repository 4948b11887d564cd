//! Name resolution over the module tree: what each name in a module refers to (items, `use`
//! imports, globs), and the public paths at which each item can be named from outside the crate.

use std::collections::{BTreeSet, HashMap};

use syn::Item;

use super::modules::{Module, cfg_conditions, flatten_use, is_doc_hidden, is_public};

/// What a name refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// An item of this crate: an index into [`Crate::defs`].
    Def(usize),
    /// A module of this crate: an index into [`Crate::modules`].
    Module(usize),
    /// Something outside the crate (`serde::Serialize`, `std::fmt::Display`), by its written path.
    External(String),
}

/// A name as seen from one module, with the visibility and conditions of the way it got there.
#[derive(Clone, Debug)]
pub struct Binding {
    pub target: Target,
    pub public: bool,
    pub hidden: bool,
    pub cfg: Vec<String>,
}

/// One item of the crate (struct, enum, fn, trait, …).
pub struct Def {
    pub module: usize,
    /// Index into the module's `items`.
    pub item: usize,
    pub name: String,
}

/// A path outside code can use, with the `#[cfg]` conditions met along the way.
#[derive(Clone, Debug)]
pub struct PublicPath {
    pub path: Vec<String>,
    pub cfg: Vec<String>,
}

enum Source {
    Defined(Target),
    Use(Vec<String>),
}

struct Entry {
    source: Source,
    public: bool,
    hidden: bool,
    cfg: Vec<String>,
}

/// The crate with its names resolved.
pub struct Crate {
    pub modules: Vec<Module>,
    pub defs: Vec<Def>,
    entries: Vec<HashMap<String, Vec<Entry>>>,
    globs: Vec<Vec<(Vec<String>, Entry)>>,
    /// Per def, every public path it is reachable at (empty: not public API).
    pub public_paths: Vec<Vec<PublicPath>>,
    /// Public modules, by public path.
    pub public_modules: Vec<PublicPath>,
    /// `pub use` of something outside the crate: public path and the written target.
    pub reexports: Vec<(PublicPath, String)>,
}

/// Resolution gives up beyond this depth (glob cycles such as `pub use super::*` both ways).
const MAX_DEPTH: usize = 48;

impl Crate {
    pub fn new(modules: Vec<Module>) -> Crate {
        let mut krate = Crate {
            defs: Vec::new(),
            entries: modules.iter().map(|_| HashMap::new()).collect(),
            globs: modules.iter().map(|_| Vec::new()).collect(),
            public_paths: Vec::new(),
            public_modules: Vec::new(),
            reexports: Vec::new(),
            modules,
        };
        for m in 0..krate.modules.len() {
            krate.collect_entries(m);
        }
        krate.public_paths = vec![Vec::new(); krate.defs.len()];
        krate.reach(0, &[], &[], &mut vec![0]);
        krate
    }

    fn collect_entries(&mut self, m: usize) {
        for (index, child) in self.modules.iter().enumerate() {
            if child.parent == Some(m) {
                let name = child.path.last().cloned().unwrap_or_default();
                let entry = Entry {
                    source: Source::Defined(Target::Module(index)),
                    public: child.public,
                    hidden: child.hidden,
                    cfg: child.cfg.clone(),
                };
                self.entries[m].entry(name).or_default().push(entry);
            }
        }
        for (index, item) in self.modules[m].items.iter().enumerate() {
            let (attrs, vis, name) = match item {
                Item::Use(u) => {
                    let mut uses = Vec::new();
                    // A leading `::` is kept as an empty first segment: always another crate.
                    let root = u
                        .leading_colon
                        .map(|_| vec![String::new()])
                        .unwrap_or_default();
                    flatten_use(&u.tree, root, &mut uses);
                    for (name, path) in uses {
                        let entry = Entry {
                            source: Source::Use(path.clone()),
                            public: is_public(&u.vis),
                            hidden: is_doc_hidden(&u.attrs),
                            cfg: cfg_conditions(&u.attrs),
                        };
                        match name {
                            Some(name) if name != "_" => {
                                self.entries[m].entry(name).or_default().push(entry)
                            }
                            Some(_) => {}
                            None => self.globs[m].push((path, entry)),
                        }
                    }
                    continue;
                }
                Item::ExternCrate(e) => {
                    let name = e.rename.as_ref().map_or(&e.ident, |(_, r)| r).to_string();
                    let entry = Entry {
                        source: Source::Defined(Target::External(e.ident.to_string())),
                        public: is_public(&e.vis),
                        hidden: is_doc_hidden(&e.attrs),
                        cfg: cfg_conditions(&e.attrs),
                    };
                    self.entries[m].entry(name).or_default().push(entry);
                    continue;
                }
                Item::Struct(i) => (&i.attrs, &i.vis, &i.ident),
                Item::Enum(i) => (&i.attrs, &i.vis, &i.ident),
                Item::Union(i) => (&i.attrs, &i.vis, &i.ident),
                Item::Fn(i) => (&i.attrs, &i.vis, &i.sig.ident),
                Item::Const(i) => (&i.attrs, &i.vis, &i.ident),
                Item::Static(i) => (&i.attrs, &i.vis, &i.ident),
                Item::Type(i) => (&i.attrs, &i.vis, &i.ident),
                Item::Trait(i) => (&i.attrs, &i.vis, &i.ident),
                Item::TraitAlias(i) => (&i.attrs, &i.vis, &i.ident),
                _ => continue,
            };
            if cfg_conditions(attrs).iter().any(|c| c == "test") {
                continue;
            }
            let def = self.defs.len();
            self.defs.push(Def {
                module: m,
                item: index,
                name: name.to_string(),
            });
            let entry = Entry {
                source: Source::Defined(Target::Def(def)),
                public: is_public(vis),
                hidden: is_doc_hidden(attrs),
                cfg: cfg_conditions(attrs),
            };
            self.entries[m]
                .entry(name.to_string())
                .or_default()
                .push(entry);
        }
    }

    /// Every binding of `name` in module `m`: its own items and imports first, globs otherwise.
    pub fn lookup(&self, m: usize, name: &str, depth: usize) -> Vec<Binding> {
        self.lookup_in(m, name, depth, &mut Vec::new())
    }

    /// `globbed`: the modules whose globs this lookup already followed (glob cycles end there).
    fn lookup_in(
        &self,
        m: usize,
        name: &str,
        depth: usize,
        globbed: &mut Vec<usize>,
    ) -> Vec<Binding> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let mut out = Vec::new();
        for entry in self.entries[m].get(name).into_iter().flatten() {
            match &entry.source {
                Source::Defined(target) => out.push(through(entry, binding(target.clone()))),
                Source::Use(path) => {
                    let (found, consumed) = self.walk(m, path, depth + 1);
                    if consumed == path.len() {
                        out.extend(found.into_iter().map(|b| through(entry, b)));
                    }
                }
            }
        }
        if out.is_empty() && !globbed.contains(&m) {
            globbed.push(m);
            for (path, entry) in &self.globs[m] {
                for module in self.glob_sources(m, path, depth) {
                    let found = self.lookup_in(module, name, depth + 1, globbed);
                    out.extend(found.into_iter().map(|b| through(entry, b)));
                }
            }
        }
        out
    }

    fn glob_sources(&self, m: usize, path: &[String], depth: usize) -> Vec<usize> {
        let (found, consumed) = self.walk(m, path, depth + 1);
        if consumed < path.len() {
            return Vec::new();
        }
        found
            .iter()
            .filter_map(|b| match b.target {
                Target::Module(module) => Some(module),
                _ => None,
            })
            .collect()
    }

    /// Every name module `m` binds, globs included.
    fn names(&self, m: usize, globbed: &mut Vec<usize>) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self.entries[m].keys().cloned().collect();
        if !globbed.contains(&m) {
            globbed.push(m);
            for (path, _) in &self.globs[m] {
                for module in self.glob_sources(m, path, 0) {
                    names.extend(self.names(module, globbed));
                }
            }
        }
        names
    }

    /// Resolves as many leading segments of `path` (written in module `m`) as name modules or
    /// items of this crate. Returns the bindings of the last resolved segment and how many
    /// segments were resolved; a path into another crate resolves whole, as [`Target::External`].
    pub fn walk(&self, m: usize, path: &[String], depth: usize) -> (Vec<Binding>, usize) {
        let Some(first) = path.first() else {
            return (vec![binding(Target::Module(m))], 0);
        };
        let (mut current, mut i) = match first.as_str() {
            "crate" => (vec![binding(Target::Module(0))], 1),
            "self" => (vec![binding(Target::Module(m))], 1),
            "super" => {
                let mut module = m;
                let mut i = 0;
                while path.get(i).is_some_and(|s| s == "super") {
                    module = self.modules[module].parent.unwrap_or(0);
                    i += 1;
                }
                (vec![binding(Target::Module(module))], i)
            }
            "" => {
                return (
                    vec![binding(Target::External(path[1..].join("::")))],
                    path.len(),
                );
            }
            name => {
                let found = self.lookup(m, name, depth);
                if found.is_empty() {
                    // Another crate, or a name from the prelude.
                    return (vec![binding(Target::External(path.join("::")))], path.len());
                }
                (found, 1)
            }
        };
        while i < path.len() {
            if let Some(external) = current.iter().find_map(|b| match &b.target {
                Target::External(s) => Some(s.clone()),
                _ => None,
            }) {
                let full = std::iter::once(external)
                    .chain(path[i..].iter().cloned())
                    .collect::<Vec<_>>()
                    .join("::");
                return (vec![binding(Target::External(full))], path.len());
            }
            let Some(module) = current.iter().find_map(|b| match b.target {
                Target::Module(module) => Some(module),
                _ => None,
            }) else {
                break;
            };
            let found = self.lookup(module, &path[i], depth + 1);
            if found.is_empty() {
                break;
            }
            current = found;
            i += 1;
        }
        (current, i)
    }

    /// Walks the public surface from the crate root, recording where each item can be named.
    fn reach(&mut self, m: usize, path: &[String], cfg: &[String], stack: &mut Vec<usize>) {
        for name in self.names(m, &mut Vec::new()) {
            for b in self.lookup(m, &name, 0) {
                if !b.public || b.hidden {
                    continue;
                }
                let mut at = path.to_vec();
                at.push(name.clone());
                let mut conditions = merge(cfg, &b.cfg);
                match b.target {
                    Target::Def(d) => {
                        conditions = merge(&conditions, &self.module_cfg(self.defs[d].module));
                        self.public_paths[d].push(PublicPath {
                            path: at,
                            cfg: conditions,
                        });
                    }
                    Target::Module(module) => {
                        self.public_modules.push(PublicPath {
                            path: at.clone(),
                            cfg: conditions.clone(),
                        });
                        if !stack.contains(&module) {
                            stack.push(module);
                            self.reach(module, &at, &conditions, stack);
                            stack.pop();
                        }
                    }
                    Target::External(target) => self.reexports.push((
                        PublicPath {
                            path: at,
                            cfg: conditions,
                        },
                        target,
                    )),
                }
            }
        }
    }

    /// The `#[cfg]` conditions of a module and all its ancestors.
    pub fn module_cfg(&self, mut m: usize) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            out = merge(&out, &self.modules[m].cfg);
            match self.modules[m].parent {
                Some(parent) => m = parent,
                None => return out,
            }
        }
    }

    /// The item a def points at.
    pub fn item(&self, d: usize) -> &Item {
        &self.modules[self.defs[d].module].items[self.defs[d].item]
    }
}

fn binding(target: Target) -> Binding {
    Binding {
        target,
        public: true,
        hidden: false,
        cfg: Vec::new(),
    }
}

/// A binding as seen through an import or definition: visible only as far as both allow.
fn through(entry: &Entry, b: Binding) -> Binding {
    Binding {
        target: b.target,
        public: entry.public && b.public,
        hidden: entry.hidden || b.hidden,
        cfg: merge(&entry.cfg, &b.cfg),
    }
}

/// The union of two condition lists, sorted.
pub fn merge(a: &[String], b: &[String]) -> Vec<String> {
    let set: BTreeSet<&String> = a.iter().chain(b).collect();
    set.into_iter().cloned().collect()
}
