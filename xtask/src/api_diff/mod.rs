//! `cargo xtask api-diff [BASE]`: the public Rust API of `finpass-client` at git revision `BASE`
//! against the working tree, judged by the Rust semver conventions.
//!
//! A light extractor rather than cargo-semver-checks (6 m 20 s to install on CI, ~50 s a run):
//! both sides are parsed with `syn` from source, modules followed from `lib.rs`, names resolved
//! to the public paths outside code uses (`pub use`, globs, inline modules), and each public item
//! reduced to comparable facts ([`extract::ApiItem`]). Signatures are compared as canonical token
//! text: crate paths written as public paths, argument names and generic parameter names dropped.
//! `#[doc(hidden)]` items are not API; `#[cfg]`-gated ones are, annotated with their conditions.
//!
//! Not seen (would need type checking): auto traits (`Send`/`Sync`) and impls for other crates'
//! types (`impl From<X> for serde_json::Map`).

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::{Value, json};

mod compare;
mod extract;
mod members;
mod modules;
mod normalize;
mod resolve;
mod source;
mod version;

pub use version::allowed_break;

pub use compare::{Report, compare};
pub use extract::Api;

/// Source files by repository-relative path (`finpass-client/src/lib.rs`).
pub type FileMap = BTreeMap<String, String>;

/// The client crate's source folder, relative to the workspace root.
pub const CRATE_SRC: &str = "finpass-client/src";

/// The public API of the crate in `files`, rooted at `finpass-client/src/lib.rs`.
/// Fails, naming the file, when a file is missing or not parsable.
pub fn api_of(files: &FileMap) -> Result<Api> {
    let modules = modules::tree(files, &format!("{CRATE_SRC}/lib.rs"))?;
    Ok(extract::extract(&resolve::Crate::new(modules)))
}

/// The crate's files at a git revision of the workspace repository.
pub fn files_at(rev: &str) -> Result<FileMap> {
    source::revision(&crate::paths::root(), rev)
}

/// The crate's files in the working tree.
pub fn worktree_files() -> Result<FileMap> {
    source::worktree(&crate::paths::root())
}

/// Compares `base` with the working tree.
pub fn run(base: &str) -> Result<Report> {
    let old = api_of(&files_at(base)?).map_err(|e| e.context(format!("at {base}")))?;
    let new = api_of(&worktree_files()?).map_err(|e| e.context("in the working tree"))?;
    Ok(compare(&old, &new))
}

/// One line per finding, breaking ones first, then a count.
pub fn render_human(base: &str, report: &Report) -> String {
    let mut out = format!("Rust API of finpass-client: {base} → working tree\n");
    for f in &report.findings {
        let tag = if f.breaking { "BREAKING" } else { "info    " };
        out.push_str(&format!("{tag} {}: {}\n", f.item, f.detail));
    }
    let breaking = report.findings.iter().filter(|f| f.breaking).count();
    let other = report.findings.len() - breaking;
    out.push_str(&match (breaking, other) {
        (0, 0) => "no change to the public API\n".to_owned(),
        (0, n) => format!("{n} compatible change(s), nothing breaking\n"),
        (b, n) => format!("{b} breaking change(s), {n} compatible\n"),
    });
    out
}

pub fn render_json(base: &str, report: &Report) -> Value {
    json!({
        "base": base,
        "new": "working tree",
        "breaking": report.is_breaking(),
        "findings": report.findings,
    })
}

#[cfg(test)]
mod tests;
