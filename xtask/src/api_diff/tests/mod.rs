//! `cargo xtask api-diff`: synthetic crates (in-memory file maps) for each kind of change
//! (`kinds.rs`), and the acceptance case on the real spec (`real_spec.rs`): a renamed schema breaks
//! the Rust API though the wire stays the same.

use super::{FileMap, Report, api_of, compare};

mod kinds;
mod real_spec;

/// A crate from `(path under finpass-client/src, text)` pairs.
pub fn files(entries: &[(&str, &str)]) -> FileMap {
    entries
        .iter()
        .map(|(path, text)| (format!("finpass-client/src/{path}"), (*text).to_owned()))
        .collect()
}

pub fn diff_files(old: &[(&str, &str)], new: &[(&str, &str)]) -> Report {
    compare(&api_of(&files(old)).unwrap(), &api_of(&files(new)).unwrap())
}

/// Compares two versions of a one-file crate.
pub fn diff(old: &str, new: &str) -> Report {
    diff_files(&[("lib.rs", old)], &[("lib.rs", new)])
}

pub fn lines(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}: {}",
                if f.breaking { "B" } else { "i" },
                f.rule,
                f.item,
                f.detail
            )
        })
        .collect()
}

/// The change breaks, and `item` is named under `rule`.
#[track_caller]
pub fn assert_breaks(report: &Report, rule: &str, item: &str) {
    assert!(
        report.is_breaking(),
        "expected a break: {:#?}",
        lines(report)
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.breaking && f.rule == rule && f.item == item),
        "expected breaking {rule} on {item}: {:#?}",
        lines(report)
    );
}

/// Nothing breaks; `item` is reported as an addition under `rule`.
#[track_caller]
pub fn assert_compatible(report: &Report, rule: &str, item: &str) {
    assert!(
        !report.is_breaking(),
        "expected no break: {:#?}",
        lines(report)
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == rule && f.item == item),
        "expected {rule} on {item}: {:#?}",
        lines(report)
    );
}

#[track_caller]
pub fn assert_same(report: &Report) {
    assert!(
        report.findings.is_empty(),
        "expected no change: {:#?}",
        lines(report)
    );
}
