//! The gate run the way another repository's CI runs it: the spec found from the current directory
//! (`openapi/finpass.yaml`), the old side a bare git revision, and `--spec` from an unrelated directory.

use std::path::Path;
use std::process::Command;

use crate::common::finpass_spec as spec_tool;

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
    let repo = std::env::temp_dir().join(format!("finpass-spec-other-repo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(repo.join("openapi")).unwrap();
    let spec = repo.join("openapi/finpass.yaml");
    std::fs::copy(variants.join("base.yaml"), &spec).unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "released spec"]);
    std::fs::copy(variants.join("b02-removed-response-field.yaml"), &spec).unwrap();

    // In the repository: the default spec, annotated with the repository-relative path.
    let (code, out, _) = spec_tool(&repo, &["diff", "HEAD", "--format", "github"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("file=openapi/finpass.yaml,line=") && out.contains("redirect_url"),
        "{out}"
    );
    // From /tmp with --spec: the same verdict.
    let (code, out, _) = spec_tool(
        Path::new("/tmp"),
        &["diff", "HEAD", "--spec", spec.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("[removed-response-field]"), "{out}");
    // Back to the released spec: nothing to report.
    git(&repo, &["checkout", "-q", "--", "openapi/finpass.yaml"]);
    let (code, out, _) = spec_tool(
        Path::new("/tmp"),
        &["diff", "HEAD", "--spec", spec.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    std::fs::remove_dir_all(&repo).unwrap();
}

#[test]
fn the_spec_is_found_from_a_subdirectory_of_its_checkout_and_never_above_it() {
    let variants = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/variants");
    let outer = crate::common::outside_checkout();
    // A stray spec above the checkout (a breaking variant: taking it would change the verdict).
    std::fs::create_dir_all(outer.join("openapi")).unwrap();
    std::fs::copy(
        variants.join("b01-removed-operation.yaml"),
        outer.join("openapi/finpass.yaml"),
    )
    .unwrap();
    let repo = outer.join("repo");
    std::fs::create_dir_all(repo.join("openapi")).unwrap();
    std::fs::create_dir_all(repo.join("src/deep")).unwrap();
    std::fs::copy(
        variants.join("base.yaml"),
        repo.join("openapi/finpass.yaml"),
    )
    .unwrap();
    git(&repo, &["init", "-q"]);
    let base = variants.join("base.yaml");
    let base = base.to_str().unwrap();

    // From a subdirectory of the checkout: the checkout's spec, so no change against base.yaml.
    let (code, out, err) = spec_tool(&repo.join("src/deep"), &["diff", base]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("openapi/finpass.yaml"), "{out}");
    // In a directory outside any checkout below the stray spec: the embedded spec, never the stray one.
    let plain = outer.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let (_, out, err) = spec_tool(&plain, &["check"]);
    assert!(out.contains("embedded in finpass-spec"), "{out}{err}");
    std::fs::remove_dir_all(&outer).unwrap();
}
