//! `diff`'s personal-data findings on crafted spec pairs (tests/data/personal/, listed in
//! expected.tsv): each change to what is classified gets its `personal-data-…` rule, severity,
//! named value and operations; a spec compared with itself gets none.

use std::path::PathBuf;

use finpass_spec::diff;
use finpass_spec::spec_check::{self, LoadedSpec};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/personal")
}

fn spec(name: &str) -> LoadedSpec {
    spec_check::load(&dir().join(format!("{name}.yaml"))).unwrap()
}

#[test]
fn every_pair_gets_its_personal_data_finding() {
    let text = std::fs::read_to_string(dir().join("expected.tsv")).unwrap();
    let base = spec("base");
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(rows.len() >= 7, "{} rows", rows.len());
    for row in rows {
        let [fixture, rule, severity, word, operations] = row[..] else {
            panic!("expected.tsv: {row:?}");
        };
        let found = diff::compare(&base, &spec(fixture));
        let hit = found.iter().find(|c| {
            c.rule == rule
                && c.severity.as_str() == severity
                && (c.detail.contains(word) || c.location.contains(word))
        });
        let Some(hit) = hit else {
            panic!("{fixture}: no {severity} `{rule}` naming `{word}`: {found:#?}");
        };
        assert_eq!(hit.operations.len().to_string(), operations, "{hit:#?}");
        // No other personal-data rule fires on the pair than the ones listed for it.
        let listed: Vec<&str> = text
            .lines()
            .filter(|l| l.split('\t').next() == Some(fixture))
            .filter_map(|l| l.split('\t').nth(1))
            .collect();
        for change in found
            .iter()
            .filter(|c| c.rule.starts_with("personal-data-"))
        {
            assert!(
                listed.contains(&change.rule),
                "{fixture}: unexpected {change:#?}"
            );
        }
    }
    assert_eq!(diff::compare(&base, &base), vec![]);
}

#[test]
fn a_new_required_personal_value_is_breaking_and_a_personal_data_finding() {
    let found = diff::compare(&spec("base"), &spec("request-requires-pan"));
    assert!(
        found
            .iter()
            .any(|c| c.is_breaking() && c.detail.contains("pan")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|c| c.rule == "personal-data-required" && !c.is_breaking())
    );
}

#[test]
fn the_json_report_of_a_new_e_mail_in_a_response_has_a_personal_data_rule() {
    let (code, out, err) = crate::common::finpass_spec(
        &dir(),
        &[
            "diff",
            "base.yaml",
            "response-email-added.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "a warning does not fail by default: {err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        rules.iter().any(|r| r.starts_with("personal-data-")),
        "{out}"
    );
    let (code, _, _) = crate::common::finpass_spec(
        &dir(),
        &[
            "diff",
            "base.yaml",
            "response-email-added.yaml",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(
        code, 1,
        "a gate that fails on warnings stops a new flow of personal data"
    );
}
