//! What `diff` and `drift` share as CI gates: severities, stable fingerprints, `--fail-on`, accept
//! files and baselines, and the output formats (`human`, `json`, `github`, `junit`, `markdown`).
//!
//! Each tool turns its own findings into [`Finding`]s; from there on the gate is one piece of code,
//! so both commands answer CI the same way.

use clap::ValueEnum;
use serde::Serialize;

pub mod accept;
mod render;

pub use accept::{Entry, load_entries, write_baseline};
pub use render::render;

/// How much a finding matters to a consumer of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Code or traffic that worked before may now fail.
    Breaking,
    /// Probably fine, worth a look (a generated builder method disappears, a closed enum grows).
    Warning,
    /// Cannot break a consumer.
    Info,
}

impl Severity {
    /// The name formats print: `breaking`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// `--fail-on`: the least severe finding that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only breaking findings fail the run (the default).
    Breaking,
    /// Breaking findings and warnings fail it.
    Warning,
    /// Nothing fails it: report only.
    Never,
}

impl FailOn {
    /// Whether a (not accepted) finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Breaking => severity == Severity::Breaking,
            FailOn::Warning => severity <= Severity::Warning,
            FailOn::Never => false,
        }
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…`), one per finding.
    Github,
    /// JUnit XML: one testcase per operation, a failure per failing finding.
    Junit,
    /// A Markdown summary for `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

/// Where a finding sits in a spec file (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The spec file as the command named it.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

/// One finding as every format shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How much it matters to code that uses a client.
    pub severity: Severity,
    /// Stable rule id (`removed-response-field`, `type_mismatch`, …).
    pub rule: String,
    /// The operations it touches (`aa_initialize (POST /api/v1/…)`); several for a root change.
    pub operations: Vec<String>,
    /// Where: `response 200 $.data.client_id`, `security scheme ApiSecret`, ….
    pub location: String,
    /// What changed or drifted, in words. Never a value from a capture.
    pub detail: String,
    /// Same change → same fingerprint, across runs and unrelated edits of the spec.
    pub fingerprint: String,
    /// Where it sits in the spec (the new side, or the old one for something removed).
    pub position: Option<Position>,
    /// Why the finding does not fail the run, when an accept file or baseline covers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// A whole gate run: the findings, which ones an accept file covers, and the verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// `diff` or `drift`.
    pub tool: &'static str,
    /// One line saying what was compared.
    pub subject: String,
    /// Every finding, accepted ones marked.
    pub findings: Vec<Finding>,
    /// Accept-file or baseline entries that matched no finding: probably stale.
    pub stale: Vec<Entry>,
    /// The least severe finding that fails the run.
    #[serde(skip)]
    pub fail_on: FailOn,
}

impl Outcome {
    /// Marks findings covered by `entries` as accepted and keeps the entries that matched nothing.
    pub fn new(
        tool: &'static str,
        subject: String,
        mut findings: Vec<Finding>,
        entries: &[Entry],
        fail_on: FailOn,
    ) -> Outcome {
        let mut used = vec![false; entries.len()];
        for finding in &mut findings {
            if let Some(i) = entries
                .iter()
                .position(|e| e.fingerprint == finding.fingerprint)
            {
                used[i] = true;
                finding.accepted = Some(entries[i].reason.clone());
            }
        }
        findings.sort_by(|a, b| {
            (a.severity, &a.operations, &a.location, &a.rule).cmp(&(
                b.severity,
                &b.operations,
                &b.location,
                &b.rule,
            ))
        });
        let stale = entries
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(e, _)| e.clone())
            .collect();
        Outcome {
            tool,
            subject,
            findings,
            stale,
            fail_on,
        }
    }

    /// Whether this finding fails the run.
    pub fn fails(&self, finding: &Finding) -> bool {
        finding.accepted.is_none() && self.fail_on.fails(finding.severity)
    }

    /// Whether the run passes (exit 0).
    pub fn passed(&self) -> bool {
        !self.findings.iter().any(|f| self.fails(f))
    }
}

/// A stable 64-bit FNV-1a fingerprint of the parts, as 16 hex digits. Parts are separated so
/// `("ab", "c")` and `("a", "bc")` differ.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_separate_parts() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        // Pinned: a change of the hash would invalidate every team's accept file.
        assert_eq!(fingerprint(&["diff"]), "8a95c6996072485f");
    }

    #[test]
    fn fail_on_thresholds() {
        assert!(FailOn::Breaking.fails(Severity::Breaking));
        assert!(!FailOn::Breaking.fails(Severity::Warning));
        assert!(FailOn::Warning.fails(Severity::Warning));
        assert!(!FailOn::Warning.fails(Severity::Info));
        assert!(!FailOn::Never.fails(Severity::Breaking));
    }
}
