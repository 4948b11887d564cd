//! Personal-data findings of `diff` (rule ids `personal-data-…`), from the two specs'
//! classification (`x-finpass-personal`), value by value:
//! - `personal-data-added` (warning): a response starts returning a classified value, or a request
//!   starts sending one: a new flow of personal data to review;
//! - `personal-data-required` (warning, next to the breaking `added-required-…` finding): a request
//!   starts requiring a classified value, so every caller must now collect it;
//! - `personal-data-reclassified` (warning): a value's categories changed;
//! - `personal-data-unclassified` (warning): a value keeps flowing but lost its classification;
//! - `personal-data-classified` (info): a value that already flowed is now classified.
//!
//! Operations are matched by method and path, as in the rest of `diff`. A change in a shared schema
//! (`MobileNumber`) is one finding listing the operations it touches.

use std::collections::BTreeMap;

use finpass_contract::personal::{self, Field, Flow, Marker};

use super::{Change, Side};
use crate::gate::{self, Severity};
use crate::spec_check::LoadedSpec;

/// The personal-data changes from `old` to `new`.
pub(super) fn changes(old: &LoadedSpec, new: &LoadedSpec) -> Vec<Change> {
    let key = |f: &Flow| (f.path.clone(), f.method.clone());
    let before: BTreeMap<_, Flow> = personal::all_values(&old.doc)
        .into_iter()
        .map(|f| (key(&f), f))
        .collect();
    let mut found: BTreeMap<(String, String, String), Change> = BTreeMap::new();
    for flow in personal::all_values(&new.doc) {
        let label = format!("{} ({} {})", flow.operation, flow.method, flow.path);
        let was = before.get(&key(&flow));
        for (side, fields, old_fields) in [
            ("request", &flow.request, was.map(|w| &w.request)),
            ("response", &flow.response, was.map(|w| &w.response)),
        ] {
            for field in fields {
                let previous = old_fields.and_then(|o| o.iter().find(|f| f.path == field.path));
                for (severity, rule, detail) in judge(side, field, previous) {
                    let change = Change {
                        severity,
                        rule,
                        operation: label.clone(),
                        operations: vec![label.clone()],
                        location: format!("{side} $.{}", field.path),
                        shared: field
                            .at
                            .strip_prefix("/components/schemas/")
                            .map(|s| format!("schema {}", s.split('/').next().unwrap_or(s))),
                        detail,
                        side: Side::New,
                        pointer: field.at.clone(),
                        fingerprint: String::new(),
                    };
                    merge(&mut found, change);
                }
            }
        }
    }
    let mut out: Vec<Change> = found.into_values().collect();
    for change in &mut out {
        change.operations.sort();
        change.operation = change.operations[0].clone();
        change.fingerprint = gate::fingerprint(&[
            "diff",
            change.rule,
            change.shared.as_deref().unwrap_or(&change.operation),
            &change.location,
            &change.detail,
        ]);
    }
    out
}

/// One finding per classified node and rule: the copies reached through several operations merge.
fn merge(found: &mut BTreeMap<(String, String, String), Change>, change: Change) {
    let scope = match &change.shared {
        Some(_) => change.pointer.clone(),
        None => format!("{} {}", change.operation, change.location),
    };
    let key = (change.rule.to_owned(), scope, change.detail.clone());
    match found.get_mut(&key) {
        Some(existing) if !existing.operations.contains(&change.operation) => {
            existing.operations.push(change.operation);
        }
        Some(_) => {}
        None => {
            found.insert(key, change);
        }
    }
}

fn categories(marker: Option<&Marker>) -> Option<String> {
    marker.filter(|m| m.is_personal()).map(Marker::label)
}

/// The findings for one value of the new spec, given the same value in the old one (if any).
fn judge(side: &str, new: &Field, old: Option<&Field>) -> Vec<(Severity, &'static str, String)> {
    let what = if new.members {
        format!(
            "the members of `{}` the spec does not declare",
            new.path.trim_end_matches(".*")
        )
    } else {
        format!("`{}`", new.path)
    };
    let now = categories(new.marker.as_ref());
    let before = old.and_then(|o| categories(o.marker.as_ref()));
    let mut out = Vec::new();
    match (&before, &now) {
        (None, Some(categories)) if old.is_none() => {
            let flow = if side == "request" {
                "the request now sends"
            } else {
                "the response now returns"
            };
            out.push((
                Severity::Warning,
                "personal-data-added",
                format!("{flow} {what}, personal data ({categories}): a new flow to review"),
            ));
        }
        (None, Some(categories)) => out.push((
            Severity::Info,
            "personal-data-classified",
            format!("{what} is now classified as personal data ({categories})"),
        )),
        (Some(was), Some(categories)) if was != categories => out.push((
            Severity::Warning,
            "personal-data-reclassified",
            format!("{what} was classified {was}, now {categories}"),
        )),
        (Some(was), None) => out.push((
            Severity::Warning,
            "personal-data-unclassified",
            format!("{what} still flows but is no longer classified as personal data (was {was})"),
        )),
        _ => {}
    }
    if side == "request"
        && new.required
        && !old.is_some_and(|o| o.required)
        && let Some(categories) = &now
    {
        out.push((
            Severity::Warning,
            "personal-data-required",
            format!("the request now requires {what}, personal data ({categories}): every caller must collect it"),
        ));
    }
    out
}
