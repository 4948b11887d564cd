//! What a change to the public API does to code that uses it, by the Rust semver conventions
//! (the Cargo book's "SemVer Compatibility" chapter): removals and changed signatures break;
//! new items, methods and impls do not; a new field or variant breaks only where outside code
//! could build the struct with a literal or match the enum exhaustively.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::extract::{Api, ApiItem, Kind, Shape};

/// One difference between the two APIs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// Whether code written against the old API may stop compiling.
    pub breaking: bool,
    /// Stable rule id (`removed`, `field-type-changed`, …).
    pub rule: &'static str,
    /// The public path of the item, with `.field`, `::Variant`, `::method` or `: impl Trait`.
    pub item: String,
    pub detail: String,
}

/// Every difference, breaking ones first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn is_breaking(&self) -> bool {
        self.findings.iter().any(|f| f.breaking)
    }
}

/// Compares the API at the old revision with the new one.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut out = Out::default();
    for (path, o) in &old.items {
        match new.items.get(path) {
            Some(n) => item(&mut out, path, o, n),
            None => {
                let hint = renamed_to(o, old, new);
                let cfg = cfg_note(&o.cfg);
                out.breaking(
                    "removed",
                    path,
                    format!("{} removed{cfg}{hint}", o.kind.word()),
                );
            }
        }
    }
    for (path, n) in &new.items {
        if !old.items.contains_key(path) {
            out.info(
                "added",
                path,
                format!("{} added{}", n.kind.word(), cfg_note(&n.cfg)),
            );
        }
    }
    let mut findings = out.0;
    findings.sort_by(|a, b| (!a.breaking, &a.item, a.rule).cmp(&(!b.breaking, &b.item, b.rule)));
    Report { findings }
}

#[derive(Default)]
struct Out(Vec<Finding>);

impl Out {
    fn push(&mut self, breaking: bool, rule: &'static str, item: &str, detail: String) {
        self.0.push(Finding {
            breaking,
            rule,
            item: item.to_owned(),
            detail,
        });
    }
    fn breaking(&mut self, rule: &'static str, item: &str, detail: String) {
        self.push(true, rule, item, detail);
    }
    fn info(&mut self, rule: &'static str, item: &str, detail: String) {
        self.push(false, rule, item, detail);
    }
}

fn item(out: &mut Out, path: &str, o: &ApiItem, n: &ApiItem) {
    if o.kind != n.kind {
        let detail = format!("was a {}, now a {}", o.kind.word(), n.kind.word());
        out.breaking("kind-changed", path, detail);
        return;
    }
    if o.cfg != n.cfg {
        // Conditions are all required: dropping some makes the item available in more builds.
        let detail = format!("cfg {} → {}", show_cfg(&o.cfg), show_cfg(&n.cfg));
        let relaxed = n.cfg.iter().all(|c| o.cfg.contains(c));
        out.push(!relaxed, "cfg-changed", path, detail);
    }
    if o.sig != n.sig {
        let rule = match o.kind {
            Kind::Function => "signature-changed",
            Kind::Struct | Kind::Enum | Kind::Union | Kind::Trait | Kind::TraitAlias => {
                "generics-changed"
            }
            Kind::Const | Kind::Static | Kind::TypeAlias => "type-changed",
            Kind::Reexport => "reexport-changed",
            Kind::Module => "module-changed",
        };
        out.breaking(rule, path, format!("`{}` → `{}`", o.sig, n.sig));
    }
    if let (Some(os), Some(ns)) = (&o.shape, &n.shape) {
        let constructible = !o.non_exhaustive && os.private == 0;
        fields(out, path, ".", os, ns, constructible);
        became_non_exhaustive(out, path, o.non_exhaustive, n.non_exhaustive, constructible);
    }
    if o.kind == Kind::Enum {
        became_non_exhaustive(out, path, o.non_exhaustive, n.non_exhaustive, true);
        variants(out, path, o, n);
    }
    let methods = |i: &ApiItem| i.methods.clone();
    members(out, path, "::", &methods(o), &methods(n), "method", |_| {
        true
    });
    let impls = |i: &ApiItem| -> BTreeMap<String, String> {
        i.impls.iter().map(|s| (s.clone(), String::new())).collect()
    };
    members(out, path, ": ", &impls(o), &impls(n), "impl", |_| true);
    let trait_items = |i: &ApiItem| -> BTreeMap<String, String> {
        i.trait_items
            .iter()
            .map(|(k, v)| (k.clone(), v.sig.clone()))
            .collect()
    };
    let required = |name: &str| n.trait_items.get(name).is_some_and(|m| m.required);
    members(
        out,
        path,
        "::",
        &trait_items(o),
        &trait_items(n),
        "trait-item",
        |name| !required(name),
    );
    for (name, member) in &n.trait_items {
        if let Some(was) = o.trait_items.get(name)
            && member.required
            && !was.required
        {
            let detail = "no longer has a default: every implementor must write it".to_owned();
            out.breaking(
                "trait-item-now-required",
                &format!("{path}::{name}"),
                detail,
            );
        }
    }
}

/// Methods, impls and trait items: removed or changed breaks; added is fine where `addable`.
fn members(
    out: &mut Out,
    path: &str,
    sep: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    what: &'static str,
    addable: impl Fn(&str) -> bool,
) {
    let (removed, changed, added) = match what {
        "method" => ("method-removed", "method-signature-changed", "method-added"),
        "impl" => ("impl-removed", "impl-changed", "impl-added"),
        _ => (
            "trait-item-removed",
            "trait-item-changed",
            "trait-item-added",
        ),
    };
    for (name, sig) in old {
        let at = format!("{path}{sep}{name}");
        match new.get(name) {
            None => out.breaking(removed, &at, format!("{} removed", what.replace('-', " "))),
            Some(now) if now != sig => out.breaking(changed, &at, format!("`{sig}` → `{now}`")),
            Some(_) => {}
        }
    }
    for name in new.keys().filter(|k| !old.contains_key(*k)) {
        let at = format!("{path}{sep}{name}");
        let ok = addable(name);
        let detail = if ok {
            format!("{} added", what.replace('-', " "))
        } else {
            "required trait item added: every implementor outside the crate must write it"
                .to_owned()
        };
        out.push(!ok, added, &at, detail);
    }
}

/// Fields of a struct or variant. `constructible`: outside code can write a literal of the old
/// type (all fields public, not `#[non_exhaustive]`), so any new field breaks it.
fn fields(out: &mut Out, path: &str, sep: &str, o: &Shape, n: &Shape, constructible: bool) {
    if o.style != n.style && (constructible || !o.public.is_empty()) {
        let detail = format!("{} fields → {} fields", o.style, n.style);
        out.breaking("fields-style-changed", path, detail);
        return;
    }
    for (name, ty) in &o.public {
        let at = format!("{path}{sep}{name}");
        match n.public.get(name) {
            None => out.breaking("field-removed", &at, "public field removed".to_owned()),
            Some(now) if now != ty => {
                out.breaking("field-type-changed", &at, format!("`{ty}` → `{now}`"))
            }
            Some(_) => {}
        }
    }
    for (name, ty) in n.public.iter().filter(|(k, _)| !o.public.contains_key(*k)) {
        let at = format!("{path}{sep}{name}");
        if constructible {
            let detail = format!(
                "field `{ty}` added to a type outside code can build with a literal (all fields public, not #[non_exhaustive])"
            );
            out.breaking("field-added", &at, detail);
        } else {
            out.info("field-added", &at, format!("field `{ty}` added"));
        }
    }
    if constructible && n.private > o.private {
        let detail = "a private field added to a type whose fields were all public".to_owned();
        out.breaking("private-field-added", path, detail);
    }
}

fn became_non_exhaustive(out: &mut Out, path: &str, was: bool, now: bool, matters: bool) {
    if !was && now {
        let detail =
            "became #[non_exhaustive]: literals and exhaustive matches outside the crate break";
        out.push(matters, "became-non-exhaustive", path, detail.to_owned());
    }
}

fn variants(out: &mut Out, path: &str, o: &ApiItem, n: &ApiItem) {
    for (name, was) in &o.variants {
        let at = format!("{path}::{name}");
        let Some(now) = n.variants.get(name) else {
            out.breaking("variant-removed", &at, "variant removed".to_owned());
            continue;
        };
        // A variant's fields are all public: a literal can build it unless it is #[non_exhaustive].
        fields(out, &at, ".", &was.shape, &now.shape, !was.non_exhaustive);
        became_non_exhaustive(out, &at, was.non_exhaustive, now.non_exhaustive, true);
    }
    for name in n.variants.keys().filter(|k| !o.variants.contains_key(*k)) {
        let at = format!("{path}::{name}");
        if o.non_exhaustive {
            out.info(
                "variant-added",
                &at,
                "variant added (enum is #[non_exhaustive])".to_owned(),
            );
        } else {
            let detail = "variant added to an exhaustive enum: matches outside the crate break";
            out.breaking("variant-added", &at, detail.to_owned());
        }
    }
}

/// For a removed type: added types of the same kind and the same fields or variants.
fn renamed_to(o: &ApiItem, old: &Api, new: &Api) -> String {
    let same_shape = |n: &ApiItem| {
        n.kind == o.kind
            && n.shape == o.shape
            && n.variants == o.variants
            && (o.shape.as_ref().is_some_and(|s| !s.public.is_empty()) || !o.variants.is_empty())
    };
    let candidates: BTreeSet<&String> = new
        .items
        .iter()
        .filter(|(path, n)| !old.items.contains_key(*path) && same_shape(n))
        .map(|(path, _)| path)
        .take(3)
        .collect();
    if candidates.is_empty() {
        return String::new();
    }
    let names: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
    format!(" (renamed? {} has the same fields)", names.join(", "))
}

fn show_cfg(cfg: &[String]) -> String {
    if cfg.is_empty() {
        "(always)".to_owned()
    } else {
        format!("#[cfg({})]", cfg.join(", "))
    }
}

/// ` [cfg: feature = "x"]` for feature-gated items.
pub fn cfg_note(cfg: &[String]) -> String {
    if cfg.is_empty() {
        String::new()
    } else {
        format!(" [cfg: {}]", cfg.join(", "))
    }
}
