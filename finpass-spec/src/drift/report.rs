//! The two renderings of a drift [`Report`]: for people, and JSON for CI annotations. Both are built
//! from findings (paths and type names) and the redacted sample only, never from a capture.

use serde_json::{Value, json};

use super::Report;

/// The human report.
pub fn render_human(report: &Report) -> String {
    let mut out = format!("drift check of {} capture(s)\n", report.captures);
    for (operation, op) in &report.operations {
        if op.findings.is_empty() {
            out.push_str(&format!(
                "\nok    {operation} ({} capture(s))\n",
                op.captures
            ));
            continue;
        }
        out.push_str(&format!(
            "\nDRIFT {operation} ({} capture(s), {} finding(s))\n",
            op.captures,
            op.findings.len()
        ));
        for (f, count) in op.findings.values() {
            let kind = serde_json::to_value(f.kind).expect("a unit enum serialises");
            let status = if f.status.is_empty() {
                String::new()
            } else {
                format!("{} ", f.status)
            };
            let path = if f.path.is_empty() {
                "(response)"
            } else {
                &f.path
            };
            out.push_str(&format!(
                "  {:<24} {status}{}: expected {}, found {} (in {count} capture(s))\n",
                kind.as_str().unwrap_or(""),
                path,
                f.expected,
                f.found
            ));
        }
    }
    out.push_str(if report.has_drift() {
        "\ndrift found\n"
    } else {
        "\nno drift\n"
    });
    out
}

/// The JSON report (`--format json`).
pub fn render_json(report: &Report) -> Value {
    let operations: Vec<Value> = report
        .operations
        .iter()
        .map(|(operation, op)| {
            let findings: Vec<Value> = op
                .findings
                .values()
                .map(|(f, count)| {
                    let mut v = serde_json::to_value(f).expect("plain data");
                    v["captures"] = json!(count);
                    v
                })
                .collect();
            json!({"operation": operation, "captures": op.captures, "findings": findings, "redacted_sample": op.redacted_sample})
        })
        .collect();
    json!({"captures": report.captures, "drift": report.has_drift(), "operations": operations})
}
