//! The five output formats of a gate [`Outcome`]. Every format shows every finding with its
//! severity, rule, fingerprint and (when known) file/line/column.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{Finding, Format, Outcome, Severity};

/// Renders `outcome`. `json_extra` holds the tool's own top-level JSON members and `json_key` the
/// name of its findings list (`changes` for diff, `findings` for drift).
pub fn render(
    outcome: &Outcome,
    format: Format,
    json_key: &str,
    json_extra: Map<String, Value>,
) -> String {
    match format {
        Format::Human => human(outcome),
        Format::Json => {
            let mut doc = json_extra;
            doc.insert("tool".into(), json!(outcome.tool));
            doc.insert("subject".into(), json!(outcome.subject));
            doc.insert("passed".into(), json!(outcome.passed()));
            doc.insert(
                "fail_on".into(),
                json!(format!("{:?}", outcome.fail_on).to_lowercase()),
            );
            doc.insert(
                "breaking".into(),
                json!(
                    outcome
                        .findings
                        .iter()
                        .any(|f| f.accepted.is_none() && f.severity == Severity::Breaking)
                ),
            );
            doc.insert(json_key.into(), json!(outcome.findings));
            doc.insert("stale".into(), json!(outcome.stale));
            format!("{:#}\n", Value::Object(doc))
        }
        Format::Github => github(outcome),
        Format::Junit => junit(outcome),
        Format::Markdown => markdown(outcome),
    }
}

fn verdict(outcome: &Outcome) -> String {
    let failing = outcome.findings.iter().filter(|f| outcome.fails(f)).count();
    let breaking = outcome
        .findings
        .iter()
        .filter(|f| f.accepted.is_none() && f.severity == Severity::Breaking)
        .count();
    let fail_on = format!("{:?}", outcome.fail_on).to_lowercase();
    match (failing, breaking) {
        (0, 0) => format!("no breaking change; passes (--fail-on {fail_on})"),
        (0, n) => format!("{n} breaking change(s), not failing (--fail-on {fail_on})"),
        (n, _) => format!("{n} finding(s) fail the run (--fail-on {fail_on})"),
    }
}

fn operations(f: &Finding) -> String {
    match f.operations.len() {
        0 => String::from("(whole spec)"),
        1 => f.operations[0].clone(),
        n => format!("{n} operations: {}", f.operations.join(", ")),
    }
}

fn place(f: &Finding) -> String {
    f.position
        .as_ref()
        .map(|p| format!("{}:{}:{}", p.file, p.line, p.col))
        .unwrap_or_default()
}

fn one_line(f: &Finding) -> String {
    let at = if f.location.is_empty() {
        String::new()
    } else {
        format!(" at {}", f.location)
    };
    format!("[{}] {}{at}: {}", f.rule, operations(f), f.detail)
}

fn human(outcome: &Outcome) -> String {
    let mut out = format!("{}\n", outcome.subject);
    let groups = [
        ("BREAKING", Some(Severity::Breaking)),
        ("WARNING", Some(Severity::Warning)),
        ("INFO", Some(Severity::Info)),
        ("ACCEPTED", None),
    ];
    for (title, severity) in groups {
        let group: Vec<&Finding> = outcome
            .findings
            .iter()
            .filter(|f| match severity {
                Some(s) => f.accepted.is_none() && f.severity == s,
                None => f.accepted.is_some(),
            })
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title} ({}):", group.len());
        for f in group {
            let _ = writeln!(out, "  {}", one_line(f));
            let mut meta = format!("fingerprint {}", f.fingerprint);
            if let Some(p) = &f.position {
                meta = format!("{}:{}:{} · {meta}", p.file, p.line, p.col);
            }
            if let Some(reason) = &f.accepted {
                meta = format!("{meta} · was {}, accepted: {reason}", f.severity.as_str());
            }
            let _ = writeln!(out, "      {meta}");
        }
    }
    if !outcome.stale.is_empty() {
        let _ = writeln!(
            out,
            "\nSTALE ({}): entries that match no finding, remove them:",
            outcome.stale.len()
        );
        for e in &outcome.stale {
            let _ = writeln!(out, "  {} ({})", e.fingerprint, e.reason);
        }
    }
    let _ = writeln!(out, "\n{}", verdict(outcome));
    out
}

/// GitHub workflow-command escaping: data (`%`, CR, LF) and, in properties, also `:` and `,`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn github(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.findings {
        let level = match (f.accepted.is_some(), f.severity) {
            (true, _) | (false, Severity::Info) => "notice",
            (false, Severity::Breaking) if outcome.fails(f) => "error",
            _ => "warning",
        };
        let mut props = Vec::new();
        if let Some(p) = &f.position {
            props.push(format!("file={}", escape_property(&p.file)));
            props.push(format!("line={}", p.line));
            props.push(format!("col={}", p.col));
        }
        props.push(format!("title={}", escape_property(&f.rule)));
        let mut message = format!(
            "{} ({}, fingerprint {})",
            one_line(f),
            f.severity.as_str(),
            f.fingerprint
        );
        if let Some(reason) = &f.accepted {
            message = format!("accepted: {reason}. {message}");
        }
        let _ = writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    for e in &outcome.stale {
        let _ = writeln!(
            out,
            "::warning title=stale-entry::{}",
            escape_data(&format!(
                "fingerprint {} ({}) matches no finding: remove it",
                e.fingerprint, e.reason
            ))
        );
    }
    let _ = writeln!(out, "finpass-spec {}: {}", outcome.tool, verdict(outcome));
    out
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn junit(outcome: &Outcome) -> String {
    // One testcase per operation; a finding that touches several operations (a root change) is one
    // testcase of its own, so each finding is exactly one failure.
    let mut cases: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in &outcome.findings {
        let name = match f.operations.as_slice() {
            [one] => one.clone(),
            _ => format!("shared: {}", f.location),
        };
        cases.entry(name).or_default().push(f);
    }
    let failures = outcome.findings.iter().filter(|f| outcome.fails(f)).count();
    let suite = xml(&format!("finpass-spec {}", outcome.tool));
    let mut body = String::new();
    for (name, findings) in &cases {
        let _ = writeln!(
            body,
            "    <testcase classname=\"{suite}\" name=\"{}\">",
            xml(name)
        );
        let mut notes = Vec::new();
        for f in findings {
            let text = format!(
                "{} | severity {} | fingerprint {} | {}",
                one_line(f),
                f.severity.as_str(),
                f.fingerprint,
                place(f)
            );
            if outcome.fails(f) {
                let _ = writeln!(
                    body,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    xml(&f.rule),
                    xml(&format!("{} at {}: {}", f.rule, f.location, f.detail)),
                    xml(&text)
                );
            } else {
                let status = f
                    .accepted
                    .as_deref()
                    .map_or(String::new(), |r| format!(" (accepted: {r})"));
                notes.push(format!("{text}{status}"));
            }
        }
        if !notes.is_empty() {
            let _ = writeln!(
                body,
                "      <system-out>{}</system-out>",
                xml(&notes.join("\n"))
            );
        }
        let _ = writeln!(body, "    </testcase>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{suite}\" tests=\"{n}\" failures=\"{failures}\">\n  <testsuite name=\"{suite}\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n    <properties><property name=\"subject\" value=\"{}\"/></properties>\n{body}  </testsuite>\n</testsuites>\n",
        xml(&outcome.subject),
        n = cases.len(),
    )
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn markdown(outcome: &Outcome) -> String {
    let icon = if outcome.passed() { "✅" } else { "❌" };
    let mut out = format!(
        "### {icon} finpass-spec {}: {}\n\n{}\n\n",
        outcome.tool,
        verdict(outcome),
        cell(&outcome.subject)
    );
    if outcome.findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str("| | severity | rule | operations | where | what | fingerprint |\n|---|---|---|---|---|---|---|\n");
        for f in &outcome.findings {
            let mark = if outcome.fails(f) {
                "❌"
            } else if f.accepted.is_some() {
                "☑️"
            } else {
                "·"
            };
            let mut what = cell(&f.detail);
            if let Some(reason) = &f.accepted {
                what = format!("{what} — accepted: {}", cell(reason));
            }
            let mut at = format!("`{}`", cell(&f.location));
            if let Some(p) = &f.position {
                at = format!("{at} ({}:{})", cell(&p.file), p.line);
            }
            let _ = writeln!(
                out,
                "| {mark} | {} | `{}` | {} | {at} | {what} | `{}` |",
                f.severity.as_str(),
                f.rule,
                cell(&operations(f)),
                f.fingerprint
            );
        }
    }
    if !outcome.stale.is_empty() {
        out.push_str("\n**Stale entries** (match no finding; remove them):\n\n");
        for e in &outcome.stale {
            let _ = writeln!(out, "- `{}` — {}", e.fingerprint, cell(&e.reason));
        }
    }
    out
}
