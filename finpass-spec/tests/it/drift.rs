//! `finpass-spec drift --recorded` on crafted captures: each kind of drift is found, the spec's own
//! examples pass, and no value from a capture ever reaches a report.

use std::path::Path;
use std::process::Command;

use finpass_contract::Spec;
use finpass_spec::drift::{self, Kind, Report};
use serde_json::{Value, json};

/// Fake personal data planted in captures; none of it may appear in any report.
const CANARIES: &[&str] = &[
    "ZZPQX9876K",
    "9123456789",
    "canary.person@example.test",
    "HDFC0CANARY",
    "CANARYENUMVALUE",
];

fn capture(op: &str, status: u16, body: Value) -> Value {
    let spec = Spec::embedded();
    let op = spec.operation(op).unwrap();
    json!({"method": op.method, "path": op.path, "status": status, "body": body})
}

/// The documented 200 example of an operation, as a capture would record it.
fn example_body(op: &str) -> Value {
    let spec = Spec::embedded();
    let op = spec.operation(op).unwrap();
    spec.response_example(&op, Some("200")).unwrap().1.clone()
}

fn report(captures: &[Value]) -> Report {
    let spec = Spec::embedded();
    let mut report = Report::default();
    captures
        .iter()
        .for_each(|c| drift::add_capture(&spec, c, &mut report));
    report
}

fn kinds(report: &Report, op: &str) -> Vec<(Kind, String)> {
    report.operations[op]
        .findings
        .values()
        .map(|(f, _)| (f.kind, f.path.clone()))
        .collect()
}

#[test]
fn captures_made_from_the_specs_own_examples_pass() {
    let spec = Spec::embedded();
    let mut captures = Vec::new();
    for example in spec.examples().iter().filter(|e| e.slot != "request") {
        let op = spec.operation(example.operation).unwrap();
        let status: u16 = example.slot.parse().unwrap();
        captures.push(
            json!({"method": op.method, "path": op.path, "status": status, "body": example.value}),
        );
    }
    assert!(
        captures.len() > 40,
        "expected every response example, got {}",
        captures.len()
    );
    let report = report(&captures);
    let text = drift::render_human(&report);
    assert!(!report.has_drift(), "{text}");
    assert_eq!(report.captures, captures.len());
}

/// A corporate CIN look-up: its `data` table is complete (DECISIONS.md, CL-2), so an unknown member
/// there is drift, as in the envelope. (Open objects: `an_unknown_member_of_an_open_object_is_info`.)
fn drifting_cin_lookup() -> Value {
    let mut body = example_body("corporate_cin_lookup");
    let data = body["data"]
        .as_object_mut()
        .expect("the example has a data object");
    let first_string = data
        .iter()
        .find(|(_, v)| v.is_string())
        .map(|(k, _)| k.clone())
        .unwrap();
    data.insert("holder_pan".into(), json!(CANARIES[0])); // unknown member of a complete table
    data.insert(first_string, json!(9123456789u64)); // type change (string → integer)
    body["holder_mobile"] = json!(CANARIES[1]); // unknown field of the documented envelope
    body
}

#[test]
fn an_unknown_field_and_a_type_change_are_found() {
    let report = report(&[capture("corporate_cin_lookup", 200, drifting_cin_lookup())]);
    let found = kinds(&report, "corporate_cin_lookup");
    assert!(
        found.contains(&(Kind::UnknownField, "$.holder_mobile".into())),
        "{found:?}"
    );
    // `data` is a complete table (not open): an unknown member there is drift too.
    assert!(
        found.contains(&(Kind::UnknownField, "$.data.holder_pan".into())),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(k, p)| *k == Kind::TypeMismatch && p.starts_with("$.data.")),
        "{found:?}"
    );
    assert!(report.has_drift());
}

#[test]
fn a_missing_required_field_is_found() {
    let mut body = example_body("aa_initialize");
    body.as_object_mut().unwrap().remove("success");
    let report = report(&[capture("aa_initialize", 200, body)]);
    assert!(
        kinds(&report, "aa_initialize").contains(&(Kind::MissingRequiredField, "$.success".into()))
    );
}

#[test]
fn an_unknown_value_of_an_open_enum_is_drift_and_a_redacted_one_is_not() {
    let spec = Spec::embedded();
    // Find, generically, a 200 example with a string field typed by an x-finpass-open-enum schema.
    let (op, path) =
        open_enum_field(&spec).expect("the spec has an open enum in a response example");
    let mut body = example_body(&op);
    *body.pointer_mut(&path).unwrap() = json!(CANARIES[4]);
    let found = kinds(&report(&[capture(&op, 200, body.clone())]), &op);
    assert!(
        found.iter().any(|(k, _)| *k == Kind::UnknownEnumValue),
        "{found:?}"
    );

    *body.pointer_mut(&path).unwrap() = json!("");
    assert!(
        !report(&[capture(&op, 200, body)]).has_drift(),
        "a redacted enum value cannot be judged"
    );
}

fn open_enum_field(spec: &Spec) -> Option<(String, String)> {
    for op in spec.operations() {
        let Some((200, value)) = spec.response_example(&op, Some("200")) else {
            continue;
        };
        for candidate in ["/data/status", "/status", "/data/journey_status"] {
            if let Some(Value::String(s)) = value.pointer(candidate) {
                let mut body = value.clone();
                *body.pointer_mut(candidate).unwrap() = json!(format!("{s}_surely_new"));
                let found = kinds(&report(&[capture(op.id, 200, body)]), op.id);
                if found.iter().any(|(k, _)| *k == Kind::UnknownEnumValue) {
                    return Some((op.id.to_owned(), candidate.to_owned()));
                }
            }
        }
    }
    None
}

#[test]
fn undocumented_status_and_unknown_operation_are_reported() {
    let report = report(&[
        capture("aa_initialize", 418, json!({"message": CANARIES[2]})),
        json!({"method": "POST", "path": "/api/v9/nothing/9123456789", "status": 200, "body": {}}),
        json!({"method": "POST", "status": "not-a-number", "body": CANARIES[3]}),
    ]);
    assert!(kinds(&report, "aa_initialize").contains(&(Kind::UndocumentedStatus, String::new())));
    assert!(
        report.operations.contains_key("POST /api/v9/nothing/<key>"),
        "{:?}",
        report.operations.keys()
    );
    assert!(report.operations.values().any(|o| {
        o.findings
            .values()
            .any(|(f, _)| f.kind == Kind::InvalidCapture)
    }));
}

#[test]
fn reports_never_contain_a_value_from_the_captures() {
    let mut cin = drifting_cin_lookup();
    cin["data"]["email"] = json!(CANARIES[2]);
    cin["data"]["accounts"] = json!({CANARIES[0]: {"ifsc": CANARIES[3]}, "9123456789": 1});
    let report = report(&[
        capture("corporate_cin_lookup", 200, cin),
        capture("aa_initialize", 418, json!({"pan": CANARIES[0]})),
    ]);
    let human = drift::render_human(&report);
    let json = drift::render_json(&report).to_string();
    for canary in CANARIES {
        assert!(
            !human.contains(canary),
            "human report leaks {canary}:\n{human}"
        );
        assert!(
            !json.contains(canary),
            "JSON report leaks {canary}:\n{json}"
        );
    }
    assert!(
        json.contains("\"redacted_sample\""),
        "the JSON report carries a redacted sample"
    );
}

#[test]
fn redact_keeps_the_shape_and_drops_every_value() {
    let body = json!({"pan": CANARIES[0], "n": 42, "x": 1.5, "ok": true, "none": null,
                      "list": [{"mobile": CANARIES[1]}], "by_account": {"50100123456789": {"bal": 10}}});
    let redacted = drift::redact_values(&body);
    assert_eq!(
        redacted,
        json!({"pan": "", "n": 0, "x": 0.0, "ok": true, "none": null,
               "list": [{"mobile": ""}], "by_account": {"<key>": {"bal": 0}}})
    );
    assert_eq!(
        drift::type_name(&redacted["x"]),
        "number",
        "integer/number stays visible after redaction"
    );
}

#[test]
fn an_unknown_member_of_an_open_object_is_info_not_drift() {
    let spec = Spec::embedded();
    // Generically: a 200 example holding an object whose schema is marked undocumented (open).
    let (op, pointer) =
        open_object_in_example(&spec).expect("the spec has an undocumented object in an example");
    let mut body = example_body(&op);
    body.pointer_mut(&pointer)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert("surely_new_member".into(), json!(1));
    let report = report(&[capture(&op, 200, body)]);
    let found: Vec<_> = report.operations[&op]
        .findings
        .values()
        .map(|(f, _)| f.clone())
        .collect();
    assert!(
        found.iter().any(|f| f.kind == Kind::UndocumentedMember
            && f.severity == finpass_spec::gate::Severity::Info),
        "{found:?}"
    );
    assert!(!report.has_drift(), "{found:?}");
}

fn open_object_in_example(spec: &Spec) -> Option<(String, String)> {
    for op in spec.operations() {
        let Some((200, value)) = spec.response_example(&op, Some("200")) else {
            continue;
        };
        let Some(data) = value.get("data").and_then(Value::as_object) else {
            continue;
        };
        for (key, member) in data {
            if !member.is_object() {
                continue;
            }
            let pointer = format!("/data/{key}");
            let mut body = value.clone();
            body.pointer_mut(&pointer)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert("probe_member".into(), json!(1));
            let report = report(&[capture(op.id, 200, body)]);
            if kinds(&report, op.id)
                .iter()
                .any(|(k, _)| *k == Kind::UndocumentedMember)
            {
                return Some((op.id.to_owned(), pointer));
            }
        }
    }
    None
}

#[cfg(unix)]
#[test]
fn symlinks_are_skipped_so_a_loop_cannot_multiply_captures() {
    let dir = std::env::temp_dir().join(format!("finpass-spec-drift-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let body = capture("aa_initialize", 200, example_body("aa_initialize"));
    std::fs::write(dir.join("sub/one.json"), body.to_string()).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(dir.join("sub/one.json"), dir.join("linked.json")).unwrap();
    let report = drift::check_dir(&Spec::embedded(), &dir).unwrap();
    assert_eq!(report.captures, 1, "only the regular file is read");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_oversized_capture_is_an_invalid_capture_not_read_whole() {
    let dir = std::env::temp_dir().join(format!("finpass-spec-drift-big-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = std::fs::File::create(dir.join("big.json")).unwrap();
    file.set_len(drift::MAX_CAPTURE_BYTES + 10).unwrap(); // sparse: no disk used
    let report = drift::check_dir(&Spec::embedded(), &dir).unwrap();
    assert!(report.operations.values().any(|o| {
        o.findings
            .values()
            .any(|(f, _)| f.kind == Kind::InvalidCapture)
    }));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_command_exits_1_on_drift_0_without_and_prints_no_values() {
    let dir = std::env::temp_dir().join(format!("finpass-spec-drift-{}", std::process::id()));
    let write = |dir: &Path, name: &str, value: &Value| {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(name), serde_json::to_vec(value).unwrap()).unwrap();
    };
    let clean = dir.join("clean");
    write(
        &clean,
        "aa_initialize.json",
        &capture("aa_initialize", 200, example_body("aa_initialize")),
    );
    let dirty = dir.join("dirty");
    write(
        &dirty,
        "cin.json",
        &capture("corporate_cin_lookup", 200, drifting_cin_lookup()),
    );

    let run = |dir: &Path, format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_finpass-spec"))
            .args([
                "drift",
                "--recorded",
                dir.to_str().unwrap(),
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap(), all)
    };
    let (code, text) = run(&clean, "human");
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(&dirty, "json");
    assert_eq!(code, 1, "{text}");
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["drift"], true);
    assert!(CANARIES.iter().all(|c| !text.contains(c)), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_captured_member_named_like_personal_data_that_the_spec_does_not_classify_is_reported() {
    // BSA's account_info keeps undeclared members but says nothing of their category.
    let mut body = example_body("bsa_statement_result");
    let info = body["account_info"].as_object_mut().unwrap();
    info.insert("date_of_birth".into(), json!(""));
    info.insert("branch_code".into(), json!(""));
    // AA-BSA's analysis classifies its undeclared members as financial: nothing to report there.
    let mut analysis = example_body("aa_bsa_analysis_json");
    analysis["data"]
        .as_object_mut()
        .unwrap()
        .insert("salary_account_balance".into(), json!(0.0));
    let report = report(&[
        capture("bsa_statement_result", 200, body),
        capture("aa_bsa_analysis_json", 200, analysis),
    ]);
    let personal = |op: &str| -> Vec<String> {
        report.operations[op]
            .findings
            .values()
            .filter(|(f, _)| f.kind == Kind::UnclassifiedPersonalData)
            .map(|(f, _)| f.path.clone())
            .collect()
    };
    assert_eq!(
        personal("bsa_statement_result"),
        ["$.account_info.date_of_birth"]
    );
    assert_eq!(personal("aa_bsa_analysis_json"), Vec::<String>::new());
    let findings = drift::findings(
        &finpass_spec::spec_check::from_text(
            "finpass.yaml",
            finpass_contract::SPEC_YAML.to_owned(),
        )
        .unwrap(),
        &report,
    );
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "personal-data-unclassified-member"
                && f.severity == finpass_spec::gate::Severity::Warning),
        "{findings:#?}"
    );
}
