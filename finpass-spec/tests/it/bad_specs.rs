//! A broken spec gets exit 2 with file and line from every command that reads one, and never a
//! panic, a backtrace or a verdict (tests/data/bad/). `generate`/`check` read the workspace spec and
//! are covered by the lead's codegen tests through the same `spec_check::load`.

use std::path::{Path, PathBuf};

use crate::common::finpass_spec as spec_tool;

fn bad(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/bad")
        .join(name)
}

/// (file, line:col of the broken node, a word the message must name)
const BROKEN: &[(&str, &str, &str)] = &[
    ("dangling-ref.yaml", "13:17", "#/components/schemas/Missing"),
    ("invalid-type.yaml", "16:21", "decimal"),
    ("duplicate-operation-id.yaml", "11:7", "get_x"),
    ("meta-schema.yaml", "8:9", "description"),
    ("duplicate-key.yaml", "119:3", "written twice"),
];

fn run(args: &[&str]) -> (i32, String, String) {
    spec_tool(&crate::common::outside_checkout(), args)
}

fn assert_refused(
    what: &str,
    (code, stdout, stderr): (i32, String, String),
    file: &Path,
    at: &str,
    word: &str,
) {
    assert_eq!(code, 2, "{what}: exit code\n{stdout}\n{stderr}");
    let expected = format!("{}:{at}", file.display());
    assert!(
        stderr.contains(&expected),
        "{what}: no `{expected}` in\n{stderr}"
    );
    assert!(
        stderr.contains(word),
        "{what}: `{word}` not named in\n{stderr}"
    );
    for forbidden in ["panicked", "RUST_BACKTRACE", "no breaking change"] {
        assert!(
            !stderr.contains(forbidden) && !stdout.contains(forbidden),
            "{what}: `{forbidden}`\n{stdout}\n{stderr}"
        );
    }
}

#[test]
fn diff_refuses_a_broken_new_or_old_side_with_file_and_line() {
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/diff/base.yaml");
    for (name, at, word) in BROKEN {
        let file = bad(name);
        let result = run(&["diff", good.to_str().unwrap(), file.to_str().unwrap()]);
        assert_refused(&format!("diff new={name}"), result, &file, at, word);
        let result = run(&[
            "diff",
            file.to_str().unwrap(),
            good.to_str().unwrap(),
            "--format",
            "github",
        ]);
        assert_refused(&format!("diff old={name}"), result, &file, at, word);
    }
}

#[test]
fn drift_and_mock_refuse_a_broken_spec_with_file_and_line() {
    let captures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/drift/dirty");
    for (name, at, word) in BROKEN {
        let file = bad(name);
        let result = run(&[
            "drift",
            "--spec",
            file.to_str().unwrap(),
            "--recorded",
            captures.to_str().unwrap(),
        ]);
        assert_refused(&format!("drift {name}"), result, &file, at, word);
        let result = run(&["mock", "--spec", file.to_str().unwrap(), "--port", "0"]);
        assert_refused(&format!("mock {name}"), result, &file, at, word);
    }
}

#[test]
fn export_refuses_a_broken_spec_with_its_line() {
    for (name, at, word) in BROKEN {
        let text = std::fs::read_to_string(bad(name)).unwrap();
        let err = finpass_spec::export::render(finpass_spec::paths::SPEC, &text)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("openapi/finpass.yaml:{at}")) && err.contains(word),
            "{name}: {err}"
        );
    }
}

#[test]
fn a_missing_spec_or_an_unknown_flag_is_exit_2_too() {
    let (code, _, stderr) = run(&["diff", "HEAD"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--spec"), "{stderr}");
    let (code, _, _) = run(&["diff", "a", "b", "--format", "xml"]);
    assert_eq!(code, 2);
}
