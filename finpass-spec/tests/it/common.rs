//! Shared by the tests that run the finpass-spec binary.

use std::path::Path;
use std::process::Command;

/// Runs the finpass-spec binary in `dir` (so file names in its output are the relative ones given):
/// exit code, stdout, stderr.
pub fn finpass_spec(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_finpass-spec"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The repository this crate sits in (its tests read the repository's spec and export).
pub fn repo_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("finpass-spec lives one level below the repository root")
        .to_path_buf()
}

/// The repository's handwritten spec.
pub fn repo_spec() -> std::path::PathBuf {
    repo_root().join(finpass_spec::paths::SPEC)
}

/// A fresh, empty directory outside any checkout (the system temp dir itself may hold anything, an
/// `openapi/finpass.yaml` left by another tool included), for running the binary as another team would.
pub fn outside_checkout() -> std::path::PathBuf {
    finpass_spec::paths::private_temp_dir("finpass-spec-outside-").unwrap()
}
