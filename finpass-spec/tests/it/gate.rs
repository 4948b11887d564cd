//! The CI gate end to end through the binary: the five formats (snapshots), annotations on the right
//! spec line, the exit-code matrix, accept files and drift baselines.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::finpass_spec as spec_tool;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn variants() -> PathBuf {
    data().join("variants")
}

fn diff(new: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["diff", "base.yaml", new];
    args.extend(extra);
    spec_tool(&variants(), &args)
}

#[test]
fn every_format_of_a_diff_snapshot() {
    // A shared-node change (the secret header of every operation) and a removed field.
    for (variant, name) in [
        ("b10-security-header-renamed.yaml", "security"),
        ("b02-removed-response-field.yaml", "field"),
    ] {
        for format in ["human", "json", "github", "junit", "markdown"] {
            let (code, out, err) = diff(variant, &["--format", format]);
            assert_eq!(code, 1, "{variant} {format}: {err}");
            insta::assert_snapshot!(format!("diff_{name}_{format}"), out);
        }
    }
}

#[test]
fn every_format_of_a_drift_snapshot() {
    let dir = data();
    for format in ["human", "json", "github", "junit", "markdown"] {
        let (code, out, err) = spec_tool(
            &dir,
            &[
                "drift",
                "--spec",
                "variants/base.yaml",
                "--recorded",
                "drift/dirty",
                "--format",
                format,
            ],
        );
        assert_eq!(code, 1, "{format}: {err}");
        insta::assert_snapshot!(format!("drift_{format}"), out);
    }
}

/// `::error file=F,line=L,col=C,title=R::…` → (F, L, R).
fn annotations(out: &str) -> Vec<(String, usize, String)> {
    out.lines()
        .filter_map(|l| {
            l.strip_prefix("::error ")
                .or_else(|| l.strip_prefix("::warning "))
                .or_else(|| l.strip_prefix("::notice "))
        })
        .filter_map(|l| {
            let props = l.split("::").next()?;
            let get = |k: &str| {
                props
                    .split(',')
                    .find_map(|p| p.strip_prefix(k))
                    .map(str::to_owned)
            };
            Some((get("file=")?, get("line=")?.parse().ok()?, get("title=")?))
        })
        .collect()
}

#[test]
fn github_annotations_point_at_the_changed_node() {
    // (variant, rule, text the annotated line of the named file must hold)
    let cases = [
        (
            "b02-removed-response-field.yaml",
            "removed-response-field",
            "redirect_url:",
        ),
        (
            "b03-response-type-changed.yaml",
            "changed-type",
            "type: string",
        ),
        (
            "b04-request-field-required.yaml",
            "newly-required-request-field",
            "required: [mobile_number, consent, email]",
        ),
        (
            "b06-header-made-required.yaml",
            "newly-required-parameter",
            "required: true",
        ),
        (
            "b10-security-header-renamed.yaml",
            "changed-security",
            "name: x-api-signature",
        ),
        (
            "b12-maxlength-tightened.yaml",
            "tightened-request-constraint",
            "maxLength: 32",
        ),
        (
            "b16-parameter-removed.yaml",
            "removed-parameter",
            "name: x-request-id",
        ),
        ("b07-removed-status.yaml", "removed-status", "'401':"),
    ];
    for (variant, rule, text) in cases {
        let (_, out, _) = diff(variant, &["--format", "github"]);
        let found = annotations(&out);
        let (file, line, _) = found
            .iter()
            .find(|(_, _, r)| r == rule)
            .unwrap_or_else(|| panic!("{variant}: no {rule} in\n{out}"));
        let source = std::fs::read_to_string(variants().join(file)).unwrap();
        let at = source.lines().nth(line - 1).unwrap_or("");
        assert!(
            at.contains(text),
            "{variant}: {file}:{line} is `{at}`, expected `{text}`"
        );
    }
}

#[test]
fn junit_is_xml_with_a_failure_per_failing_finding() {
    let (_, out, _) = diff("b10-security-header-renamed.yaml", &["--format", "junit"]);
    let (_, json, _) = diff("b10-security-header-renamed.yaml", &["--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let breaking = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "breaking")
        .count();
    assert_eq!(out.matches("<failure ").count(), breaking, "{out}");
    assert!(out.starts_with("<?xml") && out.trim_end().ends_with("</testsuites>"));
    assert_eq!(
        out.matches("<testcase ").count(),
        out.matches("</testcase>").count()
    );
    // Parsed by a real XML parser when python3 is there.
    let check = "import sys, xml.etree.ElementTree as E; r = E.fromstring(sys.stdin.read()); print(len(r.findall('.//failure')))";
    match Command::new("python3")
        .args(["-c", check])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(out.as_bytes())
                .unwrap();
            let parsed = child.wait_with_output().unwrap();
            assert!(
                parsed.status.success(),
                "python could not parse the JUnit XML"
            );
            assert_eq!(
                String::from_utf8_lossy(&parsed.stdout).trim(),
                breaking.to_string()
            );
        }
        Err(_) => println!("python3 not found: JUnit XML checked structurally only"),
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

fn accept_file_for(variant: &str, dir: &Path) -> PathBuf {
    let (_, json, _) = diff(variant, &["--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let mut text = String::new();
    for c in json["changes"].as_array().unwrap() {
        text.push_str(&format!(
            "- fingerprint: {}\n  reason: agreed with the API team in TICKET-1\n",
            c["fingerprint"].as_str().unwrap()
        ));
    }
    let file = dir.join(format!("accept-{variant}"));
    write(&file, &text);
    file
}

#[test]
fn exit_code_matrix_and_accept_files() {
    let tmp = tempdir("gate-accept");
    let accept = accept_file_for("b02-removed-response-field.yaml", &tmp);
    let accept = accept.to_str().unwrap();
    // (variant, extra args, exit code)
    let matrix: &[(&str, &[&str], i32)] = &[
        ("b02-removed-response-field.yaml", &[], 1),
        ("b02-removed-response-field.yaml", &["--accept", accept], 0),
        ("b03-response-type-changed.yaml", &["--accept", accept], 1),
        (
            "b02-removed-response-field.yaml",
            &["--fail-on", "never"],
            0,
        ),
        ("c01-description-changed.yaml", &[], 0),
        (
            "c02-new-optional-request-field.yaml",
            &["--fail-on", "warning"],
            0,
        ),
        ("no-such-file.yaml", &[], 2),
        ("../bad/dangling-ref.yaml", &[], 2),
    ];
    for (variant, extra, code) in matrix {
        let (got, out, err) = diff(variant, extra);
        assert_eq!(got, *code, "{variant} {extra:?}\n{out}\n{err}");
    }
    // The accepted break is shown as accepted; the accept file does not hide another break, and its
    // entries that match nothing there are reported stale.
    let (_, out, _) = diff("b02-removed-response-field.yaml", &["--accept", accept]);
    assert!(
        out.contains("ACCEPTED (") && out.contains("TICKET-1"),
        "{out}"
    );
    let (_, out, _) = diff(
        "b03-response-type-changed.yaml",
        &["--accept", accept, "--format", "markdown"],
    );
    assert!(
        out.contains("Stale entries") && out.contains("`changed-type`"),
        "{out}"
    );
    // A reason is required.
    let no_reason = tmp.join("no-reason.yaml");
    write(
        &no_reason,
        "- fingerprint: 0123456789abcdef\n  reason: ''\n",
    );
    let (code, _, err) = diff(
        "b02-removed-response-field.yaml",
        &["--accept", no_reason.to_str().unwrap()],
    );
    assert_eq!(code, 2);
    assert!(err.contains("no reason"), "{err}");
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn a_warning_fails_only_with_fail_on_warning() {
    // Removing an optional request field: its builder method disappears (warning), the wire is fine.
    let (code, out, _) = spec_tool(
        &data().join("diff"),
        &["diff", "additive.yaml", "base.yaml", "--fail-on", "never"],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = diff("c02-new-optional-request-field.yaml", &[]);
    assert_eq!(code, 0, "{out}");
    let dir = variants();
    let (code, out, _) = spec_tool(
        &dir,
        &[
            "diff",
            "c02-new-optional-request-field.yaml",
            "base.yaml",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(code, 1, "{out}");
    let (code, out, _) = spec_tool(
        &dir,
        &["diff", "c02-new-optional-request-field.yaml", "base.yaml"],
    );
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_drift_baseline_turns_the_same_directory_green_and_not_another() {
    let tmp = tempdir("gate-baseline");
    let baseline = tmp.join("baseline.yaml");
    let spec = variants().join("base.yaml");
    let spec = spec.to_str().unwrap();
    let dirty = data().join("drift/dirty");
    let dirty = dirty.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["drift", "--spec", spec, "--recorded", dirty];
        args.extend(extra);
        spec_tool(&crate::common::outside_checkout(), &args)
    };
    assert_eq!(run(&[]).0, 1);
    let (code, out, err) = run(&["--write-baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&baseline).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert_eq!(run(&["--baseline", baseline.to_str().unwrap()]).0, 0);
    // A new kind of drift in another capture is not covered.
    let other = tmp.join("captures");
    std::fs::create_dir_all(&other).unwrap();
    write(
        &other.join("a.json"),
        r#"{"method":"GET","path":"/v1/journeys/status","status":200,"body":{"status":5}}"#,
    );
    let (code, out, _) = spec_tool(
        &crate::common::outside_checkout(),
        &[
            "drift",
            "--spec",
            spec,
            "--recorded",
            other.to_str().unwrap(),
            "--baseline",
            baseline.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("STALE ("),
        "entries of the old directory are stale here: {out}"
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn drift_with_spec_runs_from_tmp_and_unknown_members_of_open_objects_are_info() {
    let spec = variants().join("base.yaml");
    let dirty = data().join("drift/dirty");
    let (code, out, err) = spec_tool(
        Path::new("/tmp"),
        &[
            "drift",
            "--spec",
            spec.to_str().unwrap(),
            "--recorded",
            dirty.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    let severity = |rule: &str| -> Vec<String> {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["severity"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(severity("type_mismatch"), ["breaking"]);
    assert_eq!(severity("unknown_enum_value"), ["breaking"], "closed enum");
    assert_eq!(severity("unknown_field"), ["warning", "warning"]);
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("finpass-spec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
