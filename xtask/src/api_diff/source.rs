//! The crate's source files at a git revision or in the working tree, as a [`FileMap`] keyed by
//! repository-relative path. Every read is bounded (file size and count).

use std::io::Read;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{CRATE_SRC, FileMap};

/// No source file of ours comes near this; a bigger one is not read.
const MAX_FILE_BYTES: u64 = 16 << 20;
/// Nor this many files.
const MAX_FILES: usize = 4096;

/// The `.rs` files under `finpass-client/src` in the working tree.
pub fn worktree(root: &Path) -> Result<FileMap> {
    let mut files = FileMap::new();
    let mut pending = vec![CRATE_SRC.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(root.join(&dir)).with_context(|| format!("reading {dir}/"))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {dir}/"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{dir}/{name}");
            let kind = entry
                .file_type()
                .with_context(|| format!("reading {rel}"))?;
            if kind.is_dir() {
                pending.push(rel);
            } else if kind.is_file() && name.ends_with(".rs") {
                if files.len() >= MAX_FILES {
                    bail!("more than {MAX_FILES} .rs files under {CRATE_SRC}");
                }
                let text =
                    read_bounded(&root.join(&rel)).with_context(|| format!("reading {rel}"))?;
                files.insert(rel, text);
            }
        }
    }
    Ok(files)
}

fn read_bounded(path: &Path) -> Result<String> {
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .context("not UTF-8 text")?;
    if text.len() as u64 > MAX_FILE_BYTES {
        bail!("larger than {MAX_FILE_BYTES} bytes");
    }
    Ok(text)
}

/// The `.rs` files under `finpass-client/src` at git revision `rev`.
pub fn revision(root: &Path, rev: &str) -> Result<FileMap> {
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .ok()
    .map(|out| out.trim().to_owned())
    .filter(|c| !c.is_empty());
    let Some(commit) = commit else {
        let shallow =
            git(root, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|s| s.trim() == "true");
        let hint = if shallow {
            " (this clone is shallow: fetch the history it needs, e.g. `git fetch --deepen=1`)"
        } else if rev.contains(['~', '^']) {
            " (a first commit has no parent)"
        } else {
            ""
        };
        bail!("`{rev}` is not a commit in this repository{hint}");
    };
    let listing = git(
        root,
        &["ls-tree", "-r", "-l", "-z", &commit, "--", CRATE_SRC],
    )?;
    let mut files = FileMap::new();
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        // `<mode> blob <hash> <size>\t<path>`
        let (meta, path) = entry
            .split_once('\t')
            .with_context(|| format!("unexpected `git ls-tree` line {entry:?}"))?;
        let fields: Vec<&str> = meta.split_whitespace().collect();
        let [_, "blob", hash, size] = fields[..] else {
            continue;
        };
        if !path.ends_with(".rs") {
            continue;
        }
        if size.parse::<u64>().map_or(true, |s| s > MAX_FILE_BYTES) || files.len() >= MAX_FILES {
            bail!("{rev}:{path} is larger than {MAX_FILE_BYTES} bytes (or too many files)");
        }
        let text =
            git(root, &["cat-file", "blob", hash]).with_context(|| format!("{rev}:{path}"))?;
        files.insert(path.to_owned(), text);
    }
    if files.is_empty() {
        bail!("`{rev}` has no {CRATE_SRC}/*.rs");
    }
    Ok(files)
}

/// The text of `path` at revision `rev`.
pub fn show(root: &Path, rev: &str, path: &str) -> Result<String> {
    git(root, &["show", &format!("{rev}:{path}")])
}

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .context("running git")?;
    if !output.status.success() {
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).context("git printed non-UTF-8 text")
}
