//! `cargo xtask drift --live`: call the operations the spec marks `x-finpass.live-drift: true` on the
//! real API, capture the responses through finpass-client's redacting capture hook, and check the
//! captures like `--recorded`. Opt-in, needs credentials, and never part of the test suite.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use finpass_contract::Spec;
use serde_json::{Value, json};

/// The live-drift operations of `spec`, each with the arguments to call it with: from `args_file`
/// (`{"operationId": {"body": …, "client_id": …}}`) when it names the operation, else from the spec's
/// own request example and parameter examples (which a real server will likely refuse: the report
/// still shows whether its error envelope drifted).
///
/// Only operations the spec marks `x-finpass.live-drift: true` are ever called: an args file that
/// names any other operation (a paid bureau pull, a journey start) is refused as a whole.
pub fn plan(spec: &Spec, args_file: Option<&Path>) -> Result<Vec<(String, Value)>> {
    let given: Value = match args_file {
        Some(path) => serde_json::from_str(&crate::paths::read_bounded(path, 1 << 20)?)
            .context("the --args file must be a JSON object keyed by operationId")?,
        None => json!({}),
    };
    let marked = |id: &str| {
        spec.operation(id)
            .is_some_and(|op| op.op.pointer("/x-finpass/live-drift") == Some(&json!(true)))
    };
    let given = match given {
        Value::Object(map) => map,
        _ => bail!("the --args file must be a JSON object keyed by operationId"),
    };
    for id in given.keys() {
        if spec.operation(id).is_none() {
            bail!("the --args file names `{id}`, which is not an operation of the spec");
        }
        if !marked(id) {
            bail!(
                "the --args file names `{id}`, which the spec does not mark `x-finpass.live-drift: true`: \
                 live drift refuses to call it (it may have side effects or cost money)"
            );
        }
    }
    let mut out = Vec::new();
    for op in spec.operations() {
        if !marked(op.id) {
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
/// finpass-client's `drift_capture` example, which captures the redacted responses into a new
/// private directory (created like `mkdtemp`: random name, 0700); returns that directory. The plan
/// (it may hold real ids) is written 0600 there and removed afterwards.
///
/// A separate process, not a library call: the xtask must not depend on finpass-client, or a broken
/// `generated.rs` would stop `cargo xtask generate` from building, the one command that repairs it.
pub fn capture(plan: &[(String, Value)]) -> Result<PathBuf> {
    let dir = crate::paths::private_temp_dir("finpass-live-drift-")?;
    let plan_file = dir.join("plan.json.txt");
    crate::paths::write_private(&plan_file, &serde_json::to_vec(plan)?)?;
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
        .arg(&dir)
        .status()
        .context("running the drift_capture example");
    std::fs::remove_file(&plan_file)?;
    let status = status?;
    anyhow::ensure!(status.success(), "drift_capture failed ({status})");
    Ok(dir)
}
