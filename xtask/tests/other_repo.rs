//! The gate run the way another repository's CI runs it: the spec found from the current directory
//! (`openapi/finpass.yaml`), the old side a bare git revision, and `--spec` from an unrelated directory.

use std::path::Path;
use std::process::Command;

mod common;
use common::xtask;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.email=ci@example.test", "-c", "user.name=ci"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git is installed");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn diff_against_a_revision_from_the_repository_and_from_tmp() {
    let variants = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/variants");
    let repo = std::env::temp_dir().join(format!("xtask-other-repo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(repo.join("openapi")).unwrap();
    let spec = repo.join("openapi/finpass.yaml");
    std::fs::copy(variants.join("base.yaml"), &spec).unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "released spec"]);
    std::fs::copy(variants.join("b02-removed-response-field.yaml"), &spec).unwrap();

    // In the repository: the default spec, annotated with the repository-relative path.
    let (code, out, _) = xtask(&repo, &["diff", "HEAD", "--format", "github"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("file=openapi/finpass.yaml,line=") && out.contains("redirect_url"),
        "{out}"
    );
    // From /tmp with --spec: the same verdict.
    let (code, out, _) = xtask(
        Path::new("/tmp"),
        &["diff", "HEAD", "--spec", spec.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("[removed-response-field]"), "{out}");
    // Back to the released spec: nothing to report.
    git(&repo, &["checkout", "-q", "--", "openapi/finpass.yaml"]);
    let (code, out, _) = xtask(
        Path::new("/tmp"),
        &["diff", "HEAD", "--spec", spec.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    std::fs::remove_dir_all(&repo).unwrap();
}
