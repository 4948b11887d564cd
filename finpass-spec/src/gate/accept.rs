//! Accept files (`diff --accept`) and baselines (`drift --baseline`): YAML lists of fingerprints.
//!
//! An accept file is written by people and every entry needs a reason: it records that a team agreed
//! to a break. A baseline is written by `drift --write-baseline` from the findings of a capture
//! directory, with the reason filled in.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::Finding;
use crate::paths;

/// One acknowledged finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Why it is acknowledged (who agreed, until when).
    pub reason: String,
    /// For readers of the file only (`rule`, `operation`, `location`): not used for matching.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The operations, as the finding named them (for readers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Where, as the finding named it (for readers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Reads an accept file or baseline: a YAML list of `{fingerprint, reason}` (reason required).
pub fn load_entries(path: &Path) -> Result<Vec<Entry>> {
    let text = paths::read_bounded(path, paths::MAX_SPEC_BYTES)?;
    // An empty file, or one holding only comments, accepts nothing.
    if serde_yaml::from_str::<serde_yaml::Value>(&text).is_ok_and(|v| v.is_null()) {
        return Ok(Vec::new());
    }
    let entries: Vec<Entry> = serde_yaml::from_str(&text).with_context(|| {
        format!(
            "{}: expected a YAML list of {{fingerprint, reason}} entries",
            path.display()
        )
    })?;
    for (i, entry) in entries.iter().enumerate() {
        if entry.reason.trim().is_empty() {
            bail!(
                "{}: entry {} (fingerprint {}) has no reason: say why the finding is accepted",
                path.display(),
                i + 1,
                entry.fingerprint
            );
        }
        if entry.fingerprint.len() != 16
            || !entry.fingerprint.bytes().all(|b| b.is_ascii_hexdigit())
        {
            bail!(
                "{}: entry {} has fingerprint `{}`; fingerprints are 16 hex digits, copied from a report",
                path.display(),
                i + 1,
                entry.fingerprint
            );
        }
    }
    Ok(entries)
}

/// Writes every finding as a baseline entry (0600: it names operations and fields of live traffic).
pub fn write_baseline(path: &Path, findings: &[Finding], reason: &str) -> Result<()> {
    let entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            fingerprint: f.fingerprint.clone(),
            reason: reason.to_owned(),
            rule: Some(f.rule.clone()),
            operation: f.operations.first().cloned(),
            location: Some(f.location.clone()).filter(|l| !l.is_empty()),
        })
        .collect();
    let text = format!(
        "# Drift baseline written by `finpass-spec drift --write-baseline`: findings known on that day.\n{}",
        serde_yaml::to_string(&entries)?
    );
    paths::write_private(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Vec<Entry>> {
        let file =
            std::env::temp_dir().join(format!("accept-{}-{}.yaml", std::process::id(), text.len()));
        std::fs::write(&file, text).unwrap();
        let result = load_entries(&file);
        std::fs::remove_file(&file).unwrap();
        result
    }

    #[test]
    fn empty_and_comment_only_files_accept_nothing_and_bad_entries_are_refused() {
        assert_eq!(load("").unwrap(), vec![]);
        assert_eq!(load("# nothing accepted yet\n").unwrap(), vec![]);
        let one =
            load("- fingerprint: 0123456789abcdef\n  reason: agreed\n  rule: removed-status\n")
                .unwrap();
        assert_eq!(one[0].reason, "agreed");
        assert!(
            load("- fingerprint: 0123456789abcdef\n").is_err(),
            "a reason is required"
        );
        let err = load("- fingerprint: xyz\n  reason: r\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("16 hex digits"), "{err}");
    }
}
