//! Shared by the tests that run the xtask binary.

use std::path::Path;
use std::process::Command;

/// Runs the xtask binary in `dir` (so file names in its output are the relative ones given):
/// exit code, stdout, stderr.
pub fn xtask(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
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
