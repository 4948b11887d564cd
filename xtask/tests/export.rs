//! `cargo xtask export`: canonical, deterministic, self-contained, and a reviewable operation list.

use serde_json::Value;
use xtask::export;

fn spec_text() -> String {
    std::fs::read_to_string(xtask::paths::root().join(xtask::paths::SPEC)).unwrap()
}

#[test]
fn operation_list_snapshot() {
    let doc: Value = serde_yaml::from_str(&spec_text()).unwrap();
    insta::assert_snapshot!(export::operation_list(&doc).join("\n"));
}

#[test]
fn json_and_yaml_hold_the_same_sorted_document_and_rendering_is_deterministic() {
    let first = export::render(&spec_text()).unwrap();
    assert_eq!(first, export::render(&spec_text()).unwrap());
    let files: std::collections::BTreeMap<_, _> = first.into_iter().collect();
    let json: Value = serde_json::from_str(&files[export::JSON]).unwrap();
    let yaml: Value = serde_yaml::from_str(&files[export::YAML]).unwrap();
    assert_eq!(json, yaml);
    let source: Value = serde_yaml::from_str(&spec_text()).unwrap();
    assert_eq!(json, source, "the export changes order only, never content");
    // Sorted keys in the text itself (serde_json's map type may preserve insertion order).
    let top: Vec<&str> = files[export::YAML]
        .lines()
        .filter(|l| !l.starts_with([' ', '-']))
        .collect();
    let mut sorted = top.clone();
    sorted.sort();
    assert_eq!(top, sorted);
    assert!(files[export::JSON].starts_with("{\n  \"components\""));
}

#[test]
fn a_reference_outside_the_document_is_refused() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'other.yaml#/B'}\n";
    let err = export::render(text).unwrap_err().to_string();
    assert!(err.contains("self-contained"), "{err}");
}

#[test]
fn the_3_1_rendering_rewrites_schemas_only() {
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"type": "string", "nullable": true, "example": "a"},
            "example": "media-level example stays"}}}}}},
        "components": {"schemas": {
            "A": {"type": "object", "properties": {
                "example": {"type": "integer", "nullable": true},
                "r": {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true},
                "e": {"type": "string", "enum": ["x"], "nullable": true}}},
            "B": {"type": "string"}}}
    });
    let out = export::to_openapi_31(&doc);
    assert_eq!(out["openapi"], "3.1.0");
    let media = &out["paths"]["/x"]["post"]["requestBody"]["content"]["application/json"];
    assert_eq!(
        media["schema"],
        serde_json::json!({"type": ["string", "null"], "examples": ["a"]})
    );
    assert_eq!(media["example"], "media-level example stays");
    let props = &out["components"]["schemas"]["A"]["properties"];
    assert_eq!(
        props["example"],
        serde_json::json!({"type": ["integer", "null"]})
    );
    assert_eq!(props["r"]["anyOf"][1], serde_json::json!({"type": "null"}));
    assert_eq!(props["e"]["enum"], serde_json::json!(["x", null]));
}

#[test]
fn the_checked_in_export_is_fresh() {
    export::check().expect("openapi/dist is stale: run `cargo xtask export`");
}
