//! What we ship points only where its readers can follow: no text a user reads (READMEs, docs/, the
//! CHANGELOG, the spec and its export, the published crates' sources: rustdoc and error messages)
//! sends them to the team's private folders or to issue numbers, and the published crates' rustdoc and
//! messages name no repository file that is not in their package (a link to the repository is fine).

use std::path::{Path, PathBuf};

/// The crates users install: their packages hold `src/`, their README and what `include` adds.
const PUBLISHED: &[&str] = &[
    "finpass-client",
    "finpass-contract",
    "finpass-mock",
    "finpass-spec",
];

/// Files and folders of this repository that a published crate's text may not send readers to (they
/// are not in its package). `openapi/finpass.yaml` is not one: it is also where the tools look for a
/// spec in any checkout.
const OUTSIDE_A_PACKAGE: &[&str] = &[
    "xtask/",
    "contract-tests/",
    "docs/",
    "fuzz/",
    ".ci/",
    "openapi/README.md",
    "DECISIONS.md",
    "BENCHMARKS.md",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "ARCHITECTURE.md",
];

/// Text that is read by users: (file, whether it is packaged with a published crate).
fn shipped_files(root: &Path) -> Vec<(PathBuf, bool)> {
    let mut files: Vec<(PathBuf, bool)> = [
        "README.md",
        "CHANGELOG.md",
        "BENCHMARKS.md",
        "ARCHITECTURE.md",
        "CONTRIBUTING.md",
        "openapi/README.md",
        "openapi/DECISIONS.md",
        "openapi/finpass.yaml",
    ]
    .iter()
    .map(|f| (root.join(f), false))
    .collect();
    for dir in ["docs", "openapi/dist"] {
        files.extend(
            super::files_below(&root.join(dir))
                .into_iter()
                .map(|f| (f, false)),
        );
    }
    for krate in PUBLISHED {
        files.push((root.join(krate).join("README.md"), true));
        files.extend(
            super::files_below(&root.join(krate).join("src"))
                .into_iter()
                .filter(|f| f.extension().is_some_and(|e| e == "rs"))
                .map(|f| (f, true)),
        );
    }
    files
}

/// `issue 12`, `issues 6/10`, `issue #3` (any case).
fn cites_an_issue(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    lower.match_indices("issue").any(|(at, word)| {
        let before = lower[..at].chars().next_back();
        let rest = lower[at + word.len()..].trim_start_matches('s');
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        let rest = rest.strip_prefix('#').unwrap_or(rest);
        before.is_none_or(|c| !c.is_ascii_alphanumeric())
            && rest.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The repository paths `line` names where a reader would look for them: at the start of a word, not
/// inside a URL (`https://…/blob/main/openapi/…`) or a longer path, and not as the text of a link.
fn names_outside(line: &str) -> Vec<&'static str> {
    OUTSIDE_A_PACKAGE
        .iter()
        .copied()
        .filter(|name| {
            line.match_indices(name).any(|(at, _)| {
                let word_start = line[..at]
                    .rfind(|c: char| c.is_whitespace() || "(`'\"[<".contains(c))
                    .map_or(0, |i| i + 1);
                // The text of a Markdown link (`[DECISIONS.md, AA-3](https://…)`) is a link.
                let before = &line[..at];
                let in_link_text = before.rfind('[') > before.rfind(']')
                    && line[at..]
                        .split(']')
                        .nth(1)
                        .is_some_and(|after| after.starts_with('('));
                word_start == at && !in_link_text
            })
        })
        .collect()
}

/// The text of a Rust file that reaches users: doc comments and string literals (messages), not `//`
/// comments. In generated files only the doc comments: their strings are the spec's own data.
fn reaches_users(line: &str, generated: bool) -> bool {
    let code = line.trim_start();
    let doc = code.starts_with("///") || code.starts_with("//!");
    doc || (!generated && !code.starts_with("//") && code.contains('"'))
}

#[test]
fn shipped_text_points_only_where_readers_can_follow() {
    let root = crate::paths::root();
    let files = shipped_files(&root);
    assert!(files.len() > 60, "found only {} shipped files", files.len());
    let mut problems = Vec::new();
    for (file, packaged) in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let rust = shown.ends_with(".rs");
        let generated = shown.ends_with("generated.rs");
        for (n, line) in text.lines().enumerate() {
            let at = format!("{shown}:{}", n + 1);
            if line.contains("../shared")
                || line.contains("shared/finpass-docs")
                || line.contains("shared/judges")
            {
                problems.push(format!("{at}: points at the team's private folder: {line}"));
            }
            if cites_an_issue(line) {
                problems.push(format!("{at}: cites an issue number: {line}"));
            }
            if packaged && (!rust || reaches_users(line, generated)) {
                for name in names_outside(line) {
                    problems.push(format!(
                        "{at}: names `{name}`, which is not in the package (link to the repository instead): {line}"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_rules_catch_what_they_are_for() {
    for line in [
        "(issue 12)",
        "Before issue 14 the",
        "issues 6/10",
        "see Issue #3",
    ] {
        assert!(cites_an_issue(line), "{line}");
    }
    for line in ["an issue with 3 parts", "tissue 4", "issue-free"] {
        assert!(!cites_an_issue(line), "{line}");
    }
    assert_eq!(
        names_outside("see openapi/README.md"),
        ["openapi/README.md"]
    );
    assert!(names_outside("finpass-spec diff --spec openapi/finpass.yaml").is_empty());
    assert_eq!(names_outside("(DECISIONS.md, AA-3)"), ["DECISIONS.md"]);
    assert_eq!(names_outside("(`xtask/tests/layers.rs`)"), ["xtask/"]);
    assert!(
        names_outside(
            "([DECISIONS.md](https://github.com/o/r/blob/main/openapi/DECISIONS.md), AA-3)"
        )
        .is_empty()
    );
    assert!(names_outside("finpass-spec/docs/x and schemas/openapi-3.0.schema.json").is_empty());
    assert!(names_outside("([DECISIONS.md, EPFO-1](https://example.org/DECISIONS.md))").is_empty());
    assert_eq!(
        names_outside("[see](x) then DECISIONS.md"),
        ["DECISIONS.md"]
    );
    assert!(reaches_users("/// See the docs.", false));
    assert!(reaches_users(r#"    bail!("no such file");"#, false));
    assert!(!reaches_users(r#"    "description": "…"#, true));
    assert!(!reaches_users(
        "// a maintainer's note naming xtask/src/codegen.rs",
        false
    ));
}
