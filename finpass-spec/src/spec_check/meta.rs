//! Validation against the official OpenAPI 3.0 and 3.1 JSON Schemas (vendored in `schemas/`,
//! provenance in its README).

use std::sync::OnceLock;

use jsonschema::{Draft, ValidationError, Validator, error::ValidationErrorKind};
use serde_json::Value;

const OPENAPI_30: &str = include_str!("../../schemas/openapi-3.0.schema.json");
const OPENAPI_31: &str = include_str!("../../schemas/openapi-3.1.schema.json");

/// At most this many meta-schema problems are listed: one mistake often breaks several rules.
const SHOWN: usize = 5;

fn validator(version: &str) -> Option<&'static Validator> {
    static V30: OnceLock<Validator> = OnceLock::new();
    static V31: OnceLock<Validator> = OnceLock::new();
    let build = |text: &str, draft: Draft| {
        let schema: Value = serde_json::from_str(text).expect("the vendored schema is JSON");
        jsonschema::options()
            .with_draft(draft)
            .build(&schema)
            .expect("the vendored OpenAPI schema compiles (tested)")
    };
    if version.starts_with("3.0.") {
        Some(V30.get_or_init(|| build(OPENAPI_30, Draft::Draft4)))
    } else if version.starts_with("3.1.") {
        Some(V31.get_or_init(|| build(OPENAPI_31, Draft::Draft202012)))
    } else {
        None
    }
}

/// The document's violations of the OpenAPI schema for its `openapi` version, as `(pointer,
/// message)`, most specific first. Messages never quote the offending value.
pub fn validate_document(doc: &Value) -> Vec<(String, String)> {
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    let Some(validator) = validator(version) else {
        return vec![(
            "/openapi".into(),
            format!("`openapi: {version}` is not an OpenAPI 3.0.x or 3.1.x version"),
        )];
    };
    let mut found: Vec<(String, String)> = Vec::new();
    for error in validator.iter_errors(doc) {
        let errors = most_specific(&error);
        let pointer = errors[0].instance_path().to_string();
        let what: Vec<String> = errors
            .iter()
            .map(|e| format!("{} (rule `{}`)", e.masked(), e.kind().keyword()))
            .collect();
        let message = format!(
            "breaks the OpenAPI {} schema: {}",
            &version[..3],
            what.join("; ")
        );
        if !found.iter().any(|(p, _)| *p == pointer) {
            found.push((pointer, message));
        }
    }
    found.sort_by_key(|(p, _)| std::cmp::Reverse(p.matches('/').count()));
    found.truncate(SHOWN);
    found
}

/// Inside a failed `oneOf`/`anyOf` (Schema-or-Reference everywhere in 3.0), the errors of the branch
/// that says most about what is wrong: the one reaching deepest into the document, and not merely
/// "`$ref` is required" (the Reference branch), which is true of every malformed object.
fn most_specific<'a>(error: &'a ValidationError<'a>) -> Vec<&'a ValidationError<'a>> {
    let context = match error.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context
        }
        _ => return vec![error],
    };
    let depth = |e: &ValidationError<'_>| e.instance_path().to_string().matches('/').count();
    let only_ref = |branch: &Vec<ValidationError<'static>>| {
        branch.iter().all(|e| matches!(e.kind(), ValidationErrorKind::Required { property } if property == "$ref"))
    };
    context
        .iter()
        .filter(|branch| !branch.is_empty())
        .max_by_key(|branch| {
            (
                !only_ref(branch),
                branch.iter().map(depth).max().unwrap_or(0),
            )
        })
        .map(|branch| {
            let deepest = branch.iter().map(depth).max().unwrap_or(0);
            branch
                .iter()
                .filter(|e| depth(e) == deepest)
                .flat_map(|e| most_specific(e))
                .collect()
        })
        .unwrap_or_else(|| vec![error])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_member_is_found_without_quoting_values() {
        let doc = serde_json::json!({"openapi": "3.1.0", "info": {"title": "secret-title-x"},
            "paths": {}});
        let found = validate_document(&doc);
        assert!(
            found
                .iter()
                .any(|(p, m)| p == "/info" && m.contains("version")),
            "{found:?}"
        );
        assert!(
            found.iter().all(|(_, m)| !m.contains("secret-title-x")),
            "{found:?}"
        );
    }
}
