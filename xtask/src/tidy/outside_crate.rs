//! The call value as a user's crate sees it: a crate outside the workspace, depending on
//! `finpass-client` by path, is checked with cargo. Every method returns a `Call` that `.await`s to
//! the typed value as before, can be spawned, joined and stored, and has `.with_response()`; any
//! other future has no `with_response()`, so asking it for metadata does not compile.
//!
//! The crate reuses the workspace's `Cargo.lock` (same versions, `--offline`) and its target
//! directory (no second one on disk); the client is taken without default features (no TLS backend
//! to build), which changes nothing of its API.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What a user writes today, unchanged, and the metadata of a call.
const CALLS_COMPILE: &str = r#"
use finpass_client::*;

pub async fn plain_and_with_metadata(finpass: Finpass) -> Result<(), Error> {
    let body = types::AaInitializeRequest::builder()
        .mobile_number("9999000000")
        .consent_type("loan_underwriting");
    let journey = finpass.aa_initialize(body.clone()).with_response().await?;
    let _: (&str, Option<&str>, u32) = (&journey.data.client_id, journey.request_id(), journey.attempts());
    let plain: types::AaInitializeResponse = finpass.aa_initialize(body).await?;
    let _ = plain;
    Ok(())
}

pub async fn spawned_joined_stored(finpass: Finpass) -> Result<(), Error> {
    let spawned = tokio::spawn(finpass.aa_bsa_status("bsa_clnt_1"));
    let (first, second) = tokio::join!(finpass.aa_bsa_status("a"), finpass.aa_bsa_status("b"));
    let stored: Vec<Call<types::AaBsaStatusResponse>> = vec![finpass.aa_bsa_status("c")];
    fn is_future<F: std::future::Future + Send + 'static>(_: &F) {}
    is_future(&stored[0]);
    is_future(&finpass.download_report("https://example.com/r.pdf"));
    is_future(&finpass.wait_for_itr_job("job", WaitOptions::default()).with_response());
    let _ = (spawned.await, first?, second?);
    Ok(())
}
"#;

/// Metadata asked of a future that is not a Finpass call.
const OTHER_FUTURE_FAILS: &str = r#"
use finpass_client::*;

pub async fn not_a_call() {
    let _ = async { Ok::<u32, finpass_client::Error>(1) }.with_response().await;
}
"#;

/// A scratch crate depending on the workspace's client, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let root = crate::paths::root();
        let dir = std::env::temp_dir().join(format!("finpass-outside-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let client = root.join("finpass-client");
        let manifest = format!(
            r#"[package]
name = "outside"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
finpass-client = {{ path = {client:?}, default-features = false }}
tokio = {{ version = "1", features = ["rt", "macros"] }}

# Not part of any workspace above it; the workspace's dev profile, so dependencies are shared.
[workspace]

[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false
"#
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        Scratch(dir)
    }

    fn check(&self, lib: &str) -> Output {
        std::fs::write(self.0.join("src/lib.rs"), lib).unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        Command::new(cargo)
            .current_dir(&self.0)
            .env("CARGO_TARGET_DIR", crate::paths::root().join("target"))
            // A user's crate is checked by plain cargo, whatever wraps this run's compiler (CI runs
            // clippy as the workspace's compiler wrapper).
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env_remove("CLIPPY_ARGS")
            .args(["check", "--offline", "--quiet", "--message-format", "short"])
            .output()
            .unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn calls_await_as_before_and_only_calls_have_with_response() {
    let scratch = Scratch::new();
    assert!(Path::new(&scratch.0).join("Cargo.lock").exists());
    let calls = scratch.check(CALLS_COMPILE);
    assert!(
        calls.status.success(),
        "the user's call sites must compile:\n{}",
        stderr(&calls)
    );
    let other = scratch.check(OTHER_FUTURE_FAILS);
    let errors = stderr(&other);
    // Shown with `--nocapture`: the pair the issue asks for.
    println!(
        "calls: compiled; another future's with_response(): {}",
        errors.lines().next().unwrap_or("compiled")
    );
    assert!(
        !other.status.success(),
        "metadata of a plain future compiled"
    );
    assert!(
        errors.contains("no method named `with_response`"),
        "the failure must be the missing method, nothing else:\n{errors}"
    );
}
