//! The mutation corpus (tests/data/variants/, listed in expected.tsv): each breaking variant must be
//! reported as breaking by the named rule with the changed field, parameter or header named; each
//! compatible variant must have no breaking change and exit 0. The same files score Optic in
//! docs/ci-and-other-languages.md.

use std::path::{Path, PathBuf};
use std::process::Command;

use finpass_spec::diff;
use finpass_spec::spec_check;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/variants")
}

struct Variant {
    name: String,
    breaking: bool,
    rule: String,
    word: String,
}

fn corpus() -> Vec<Variant> {
    let text = std::fs::read_to_string(dir().join("expected.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Variant {
                name: cols[0].to_owned(),
                breaking: cols[1] == "breaking",
                rule: cols.get(2).unwrap_or(&"").to_string(),
                word: cols.get(3).unwrap_or(&"").to_string(),
            }
        })
        .collect()
}

#[test]
fn every_variant_gets_its_verdict_rule_and_named_field() {
    let corpus = corpus();
    assert!(corpus.len() >= 30, "{} variants", corpus.len());
    assert!(corpus.iter().filter(|v| v.breaking).count() >= 15);
    let base = spec_check::load(&dir().join("base.yaml")).unwrap();
    let mut wrong = Vec::new();
    for v in &corpus {
        let new = spec_check::load(&dir().join(format!("{}.yaml", v.name))).unwrap();
        let changes = diff::compare(&base, &new);
        let breaking: Vec<_> = changes.iter().filter(|c| c.is_breaking()).collect();
        let ok = if v.breaking {
            breaking.iter().any(|c| {
                c.rule == v.rule
                    && [&c.detail, &c.location, &c.operation]
                        .iter()
                        .any(|t| t.contains(&v.word))
            })
        } else {
            breaking.is_empty()
        };
        if !ok {
            wrong.push(format!("{}: {:#?}", v.name, changes));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_command_agrees_exit_1_for_breaking_and_0_for_compatible() {
    for v in corpus() {
        let out = Command::new(env!("CARGO_BIN_EXE_finpass-spec"))
            .args([
                "diff",
                "base.yaml",
                &format!("{}.yaml", v.name),
                "--format",
                "markdown",
            ])
            .current_dir(dir())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(i32::from(v.breaking)),
            "{}:\n{text}",
            v.name
        );
        if v.breaking {
            assert!(
                text.contains(&v.word),
                "{}: the summary does not name `{}`:\n{text}",
                v.name,
                v.word
            );
        }
    }
}

#[test]
fn a_shared_change_is_one_finding_listing_its_operations() {
    let base = spec_check::load(&dir().join("base.yaml")).unwrap();
    let new = spec_check::load(&dir().join("b10-security-header-renamed.yaml")).unwrap();
    let changes = diff::compare(&base, &new);
    let security: Vec<_> = changes
        .iter()
        .filter(|c| c.rule == "changed-security")
        .collect();
    assert_eq!(security.len(), 1, "{changes:#?}");
    assert_eq!(security[0].operations.len(), 3);
    assert!(
        security[0].detail.contains("x-api-secret")
            && security[0].detail.contains("x-api-signature")
    );
    assert_eq!(
        security[0].shared.as_deref(),
        Some("security scheme ApiSecret")
    );
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let base = spec_check::load(&dir().join("base.yaml")).unwrap();
    let broken = spec_check::load(&dir().join("b02-removed-response-field.yaml")).unwrap();
    // The same break, with an unrelated description change and an added operation on top.
    let text = std::fs::read_to_string(dir().join("b02-removed-response-field.yaml")).unwrap();
    let edited = text
        .replace("description: Started.", "description: The journey started.")
        .replace("components:\n", "  /v1/extra:\n    get:\n      operationId: extra\n      responses:\n        '200': {description: ok}\ncomponents:\n");
    let edited = spec_check::from_text("edited.yaml", edited).unwrap();
    let fp = |new| -> Vec<String> {
        diff::compare(&base, new)
            .into_iter()
            .filter(|c| c.is_breaking())
            .map(|c| c.fingerprint)
            .collect()
    };
    assert_eq!(fp(&broken), fp(&edited));
    assert!(!fp(&broken).is_empty());
}
