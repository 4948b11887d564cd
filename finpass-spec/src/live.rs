//! `finpass-spec drift --live`: call the operations the spec marks `x-finpass.live-drift: true` on the
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

/// Calls every planned operation with `client` (for the live API: `Finpass::builder().from_env()`)
/// with retries off, one call each, through finpass-client's redacting capture hook, into a new
/// private directory (created like `mkdtemp`: random name, 0700); returns that directory. Each call's
/// outcome is printed to stderr as its kind and status only.
pub fn capture(plan: &[(String, Value)], client: finpass_client::ClientBuilder) -> Result<PathBuf> {
    let dir = crate::paths::private_temp_dir("finpass-live-drift-")?;
    let finpass = client
        .retry(finpass_client::RetryConfig::disabled())
        .capture_responses(&dir)
        .build()
        .context("building the Finpass client for live drift")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        for (operation, args) in plan {
            // The outcome itself does not matter: the capture hook has recorded the response.
            match finpass.call_by_operation_id(operation, args.clone()).await {
                Some(Ok(_)) => eprintln!("{operation}: answered"),
                Some(Err(e)) => eprintln!(
                    "{operation}: {:?} {}",
                    e.kind(),
                    e.status().map_or(0, |s| s.as_u16())
                ),
                None => eprintln!("{operation}: not a generated operation; skipped"),
            }
        }
    });
    Ok(dir)
}
