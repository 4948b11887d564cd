//! `cargo xtask drift --live`: call the operations the spec marks `x-finpass.live-drift: true` on the
//! real API, capture the responses through finpass-client's redacting capture hook, and check the
//! captures like `--recorded`. Opt-in, needs credentials, and never part of the test suite.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use finpass_contract::Spec;
use serde_json::{Value, json};

/// The live-drift operations of `spec`, each with the arguments to call it with: from `args_file`
/// (`{"operationId": {"body": …, "client_id": …}}`) when it names the operation, else from the spec's
/// own request example and parameter examples (which a real server will likely refuse: the report
/// still shows whether its error envelope drifted).
pub fn plan(spec: &Spec, args_file: Option<&Path>) -> Result<Vec<(String, Value)>> {
    let given: Value = match args_file {
        Some(path) => serde_json::from_str(
            &std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?,
        )
        .context("the --args file must be a JSON object keyed by operationId")?,
        None => json!({}),
    };
    let mut out = Vec::new();
    for op in spec.operations() {
        if op.op.pointer("/x-finpass/live-drift") != Some(&json!(true)) {
            continue;
        }
        let args = match given.get(op.id) {
            Some(args) => args.clone(),
            None => example_args(spec, &op),
        };
        out.push((op.id.to_owned(), args));
    }
    Ok(out)
}

fn example_args(spec: &Spec, op: &finpass_contract::Operation<'_>) -> Value {
    let mut args = json!({});
    if let Some(example) = spec
        .examples()
        .into_iter()
        .find(|e| e.operation == op.id && e.slot == "request")
    {
        args["body"] = example.value.clone();
    }
    for param in spec.parameters(op) {
        let Some(name) = param["name"].as_str() else {
            continue;
        };
        // Without a documented example, a placeholder: the server's "unknown id" answer is drift data too.
        let example = param
            .get("example")
            .or(param["schema"].get("example"))
            .cloned();
        args[name] = example.unwrap_or_else(|| json!("drift-check"));
    }
    args
}

/// Calls every planned operation on the live API (credentials from the environment) through
/// finpass-client's `drift_capture` example, which captures the redacted responses into `dir`.
///
/// A separate process, not a library call: the xtask must not depend on finpass-client, or a broken
/// `generated.rs` would stop `cargo xtask generate` from building, the one command that repairs it.
pub fn capture(plan: &[(String, Value)], dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let plan_file = dir.join("plan.json.txt");
    std::fs::write(&plan_file, serde_json::to_vec(plan)?)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(crate::paths::root())
        .args([
            "run",
            "--quiet",
            "-p",
            "finpass-client",
            "--features",
            "capture,dispatch",
            "--example",
            "drift_capture",
            "--",
        ])
        .arg(&plan_file)
        .arg(dir)
        .status()
        .context("running the drift_capture example")?;
    std::fs::remove_file(&plan_file)?;
    anyhow::ensure!(status.success(), "drift_capture failed ({status})");
    Ok(dir.to_path_buf())
}
