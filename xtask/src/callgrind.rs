//! Call overhead in instructions, for `cargo xtask bench` when valgrind is installed.
//!
//! Wall-clock ratios on a shared 2-core machine move by ±10 % while anything else runs; instruction
//! counts do not. The `metrics` bench binary's `--profile raw|ours` mode makes 2,000 sequential calls
//! against its loopback server; callgrind counts the inclusive instructions of the client task
//! (`calls::sequential`'s future: the client thread only, the server runs on another), per call.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Calls the `--profile` mode makes (finpass-client/benches/metrics/main.rs).
const CALLS: f64 = 2000.0;
/// The function whose inclusive cost is the client's work.
const CLIENT_TASK: &str = "calls::sequential::{{closure}}";

/// `call_instructions_raw`, `call_instructions_ours` and their ratio, or `None` without valgrind.
pub fn call_instructions(binary: &Path) -> Result<Option<Vec<(String, f64)>>> {
    let present = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        return Ok(None);
    }
    let raw = per_call(binary, "raw")?;
    let ours = per_call(binary, "ours")?;
    Ok(Some(vec![
        ("call_instructions_raw".into(), raw),
        ("call_instructions_ours".into(), ours),
        ("call_instructions_ratio".into(), ours / raw),
    ]))
}

fn per_call(binary: &Path, side: &str) -> Result<f64> {
    let out_file = out_file(side);
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(binary)
        .args(["--profile", side])
        .output()
        .context("running valgrind")?;
    if !status.status.success() {
        bail!("valgrind --profile {side} failed ({})", status.status);
    }
    let annotated = Command::new("callgrind_annotate")
        .arg("--inclusive=yes")
        .arg(&out_file)
        .output()
        .context("running callgrind_annotate")?;
    std::fs::remove_file(&out_file).ok();
    let text = String::from_utf8_lossy(&annotated.stdout);
    let total = inclusive_cost(&text, CLIENT_TASK).with_context(|| {
        format!("callgrind_annotate shows no `{CLIENT_TASK}` for --profile {side}")
    })?;
    Ok(total / CALLS)
}

fn out_file(side: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "finpass-callgrind-{side}-{}.out",
        std::process::id()
    ))
}

/// The inclusive instruction count of the first line naming `function` (`170,160,000 (61.7%)  file:fn`).
fn inclusive_cost(annotated: &str, function: &str) -> Option<f64> {
    let line = annotated.lines().find(|l| l.contains(function))?;
    let count: String = line
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    count.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_inclusive_cost_of_the_client_task() {
        let annotated = "\
--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
275,800,000 (100.0%)  PROGRAM TOTALS
170,160,000 (61.70%)  ???:metrics::calls::sequential::{{closure}} [/t/metrics-1]
 12,000 ( 0.00%)  ???:other
";
        assert_eq!(inclusive_cost(annotated, CLIENT_TASK), Some(170_160_000.0));
        assert_eq!(inclusive_cost(annotated, "absent::fn"), None);
    }
}
