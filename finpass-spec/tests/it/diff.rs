//! `finpass-spec diff` on crafted spec pairs (tests/data/diff/): every breaking rule fires on the pair
//! made for it, and an additive change passes.

use std::path::PathBuf;
use std::process::Command;

use finpass_spec::diff::{self, Change};
use finpass_spec::spec_check::{self, LoadedSpec};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/diff")
        .join(format!("{name}.yaml"))
}

fn spec(name: &str) -> LoadedSpec {
    spec_check::load(&data(name)).unwrap()
}

fn changes(name: &str) -> Vec<Change> {
    diff::compare(&spec("base"), &spec(name))
}

/// (fixture, rule that must be reported as breaking)
const BREAKING: &[(&str, &str)] = &[
    ("removed-operation", "removed-operation"),
    ("changed-path", "removed-operation"),
    ("changed-method", "removed-operation"),
    ("removed-status", "removed-status"),
    ("removed-response-field", "removed-response-field"),
    ("changed-type", "changed-type"),
    (
        "newly-required-request-field",
        "newly-required-request-field",
    ),
    ("newly-required-parameter", "newly-required-parameter"),
    ("narrowed-request-enum", "narrowed-request-enum"),
    ("removed-response-enum-value", "removed-response-enum-value"),
    ("changed-security", "changed-security"),
];

#[test]
fn every_breaking_rule_fires_on_its_pair_and_only_that_rule_is_breaking() {
    for (fixture, rule) in BREAKING {
        let found = changes(fixture);
        let breaking: Vec<&str> = found
            .iter()
            .filter(|c| c.is_breaking())
            .map(|c| c.rule)
            .collect();
        assert!(
            !breaking.is_empty(),
            "{fixture}: no breaking change reported: {found:#?}"
        );
        assert!(
            breaking.iter().all(|r| r == rule),
            "{fixture}: expected only `{rule}`, got {breaking:?}"
        );
    }
}

#[test]
fn findings_name_the_operation_and_the_place() {
    let found = changes("removed-response-field");
    let c = found.iter().find(|c| c.is_breaking()).unwrap();
    assert_eq!(c.operation, "accounts_init (POST /v1/accounts/init)");
    assert_eq!(c.location, "response 200 $.data.redirect_url");

    let found = changes("narrowed-request-enum");
    let c = found.iter().find(|c| c.is_breaking()).unwrap();
    assert_eq!(c.location, "request $.consent_type");
    assert!(c.detail.contains("one_time"), "{}", c.detail);
}

#[test]
fn a_moved_operation_is_reported_as_removed_plus_added() {
    let found = changes("changed-path");
    assert!(found.iter().any(|c| c.rule == "added-operation"
        && !c.is_breaking()
        && c.operation.contains("/v1/accounts/state")));
}

#[test]
fn additions_are_listed_but_not_breaking() {
    let found = changes("additive");
    assert!(found.iter().all(|c| !c.is_breaking()), "{found:#?}");
    let rules: Vec<&str> = found.iter().map(|c| c.rule).collect();
    for rule in [
        "added-operation",
        "added-status",
        "added-parameter",
        "added-request-field",
        "added-response-field",
        "added-enum-value",
    ] {
        assert!(rules.contains(&rule), "missing {rule} in {rules:?}");
    }
}

#[test]
fn identical_specs_have_no_changes() {
    assert_eq!(changes("base"), vec![]);
    let spec = spec_check::load(&crate::common::repo_spec()).unwrap();
    assert_eq!(diff::compare(&spec, &spec), vec![]);
}

#[test]
fn a_retry_class_change_is_reported_but_never_breaking() {
    let spec = spec_check::load(&crate::common::repo_spec()).unwrap();
    let marker =
        "        retry: billed\n        live-drift: false\n        source: corporate-cin-lookup.md";
    assert!(spec.text.contains(marker), "the CIN lookup is billed");
    let as_read = marker.replace("billed", "read");
    let read = spec_check::from_text("read.yaml", spec.text.replace(marker, &as_read)).unwrap();
    // billed → read: more repeats are allowed, worth a look; read → billed: information.
    for (old, new, severity) in [(&spec, &read, "warning"), (&read, &spec, "info")] {
        let found = diff::compare(old, new);
        assert_eq!(found.len(), 1, "{found:#?}");
        let change = &found[0];
        assert_eq!(change.rule, "changed-retry-class");
        assert_eq!(change.severity.as_str(), severity);
        assert!(!change.is_breaking());
        assert!(
            change.operation.starts_with("corporate_cin_lookup"),
            "{change:?}"
        );
    }
}

#[test]
fn reversed_additive_pair_is_breaking() {
    // Going back is removing what the additive version added: must not pass silently.
    let found = diff::compare(&spec("additive"), &spec("base"));
    let rules: Vec<&str> = found
        .iter()
        .filter(|c| c.is_breaking())
        .map(|c| c.rule)
        .collect();
    assert!(
        rules.contains(&"removed-operation")
            && rules.contains(&"removed-status")
            && rules.contains(&"removed-response-field"),
        "{rules:?}"
    );
}

#[test]
fn a_git_revision_side_loads_the_spec_at_that_revision() {
    let spec_path = crate::common::repo_spec();
    let side = diff::load_side(
        "HEAD",
        &finpass_spec::source::SpecSource::File(spec_path.clone()),
    )
    .expect("HEAD holds openapi/finpass.yaml");
    assert!(
        side.label.starts_with("HEAD:") && side.label.ends_with("openapi/finpass.yaml"),
        "{}",
        side.label
    );
    assert!(!side.spec.spec.operations().is_empty());
    let err = diff::load_side(
        "no-such-rev-or-file",
        &finpass_spec::source::SpecSource::File(spec_path.clone()),
    )
    .expect_err("must fail")
    .to_string();
    assert!(err.contains("neither a file nor a git revision"), "{err}");
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_finpass-spec"))
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn the_command_exits_1_on_breaking_and_0_on_additive_and_speaks_json() {
    let base = data("base");
    let base = base.to_str().unwrap();
    let (code, text) = run(&[base, data("removed-status").to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("BREAKING (1)") && text.contains("[removed-status]"),
        "{text}"
    );

    let (code, text) = run(&[base, data("additive").to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["breaking"], false);
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["rule"] == "added-operation")
    );
}
