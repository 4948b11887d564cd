//! Repository rules, run as plain tests (`cargo test -p xtask`): the layering, a compiled example on
//! every public method, the MSRV of what the published crates link, shipped text that points only
//! where its readers can follow, no test skipped silently for want of a feature, and the call value
//! as a crate outside the workspace uses it.

mod doc_examples;
mod feature_gated_tests;
mod layers;
mod module_graph;
mod msrv;
mod outside_crate;
mod shipped_text;

use std::path::{Path, PathBuf};

/// `cargo metadata --format-version 1 ARGS` of the workspace, parsed; fails the test with cargo's
/// message when cargo fails.
fn cargo_metadata(args: &[&str]) -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .current_dir(crate::paths::root())
        .args(["metadata", "--format-version", "1"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Every file below `dir`, sorted; none when it does not exist.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}
