//! `finpass-spec export`: canonical, deterministic, self-contained, and a reviewable operation list.

use finpass_spec::export;
use serde_json::Value;

const SPEC: &str = finpass_spec::paths::SPEC;

fn spec_text() -> String {
    std::fs::read_to_string(crate::common::repo_spec()).unwrap()
}

#[test]
fn operation_list_snapshot() {
    let doc: Value = serde_yaml::from_str(&spec_text()).unwrap();
    insta::assert_snapshot!(export::operation_list(&doc).join("\n"));
}

#[test]
fn json_and_yaml_hold_the_same_sorted_document_and_rendering_is_deterministic() {
    let first = export::render(SPEC, &spec_text()).unwrap();
    assert_eq!(first, export::render(SPEC, &spec_text()).unwrap());
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
    let err = export::render(SPEC, text).unwrap_err().to_string();
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
    let loaded = finpass_spec::spec_check::load(&crate::common::repo_spec()).unwrap();
    let dist = crate::common::repo_root().join("openapi/dist");
    export::check(&loaded, &dist, "cargo xtask export").expect("openapi/dist is stale");
}

/// PyYAML's implicit resolvers (yaml/resolver.py, YAML 1.1): a plain scalar matching one of these is
/// not read as a string.
const YAML11_NOT_STRING: &[&str] = &[
    r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
    r"^(?:~|null|Null|NULL|)$",
    r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
    r"^(?:<<|=)$",
];

/// Every plain (unquoted) scalar of the YAML text: mapping values and keys, and sequence items.
fn plain_scalars(yaml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in yaml.lines() {
        let mut rest = line.trim_start();
        while let Some(item) = rest.strip_prefix("- ") {
            rest = item;
        }
        let (key, value) = match rest.split_once(": ") {
            Some((k, v)) => (Some(k), v),
            None => match rest.strip_suffix(':') {
                Some(k) => (Some(k), ""),
                None => (None, rest),
            },
        };
        for scalar in key.into_iter().chain([value]) {
            let quoted = scalar.starts_with(['\'', '"', '|', '[', '{']) || scalar.is_empty();
            if !quoted {
                out.push(scalar.to_owned());
            }
        }
    }
    out
}

#[test]
fn no_plain_scalar_of_the_yaml_export_reads_as_another_type_in_yaml_1_1() {
    let rules: Vec<regex::Regex> = YAML11_NOT_STRING
        .iter()
        .map(|r| regex::Regex::new(r).unwrap())
        .collect();
    let tricky = [
        "2024-05-01",
        "2024-05-01 10:00:00",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "null",
        "~",
        "",
        "1_000",
        "0x1F",
        "0o17",
        "017",
        "1:20",
        ".5",
        "1e3",
        "+1",
        "-1.5",
        ".inf",
        "<<",
        "=",
        "true",
        "a: b",
        "x #y",
        "#c",
        "- d",
        "@e",
        "`f",
        "!g",
        "&h",
        "*i",
        "|j",
        ">k",
        "'l",
        "\"m",
        "%n",
        "trailing ",
        " leading",
        "tab\there",
        "line\nbreak\n",
        "nel\u{85}x",
        "sep\u{2028}x",
        "ok_plain",
        "/api/v1/x",
    ];
    let doc: Value = Value::Object(
        tricky
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("k{i}"), Value::from(*s)))
            .collect(),
    );
    let text = finpass_spec::yaml_out::to_yaml(&doc);
    let back: Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(back, doc, "YAML 1.2 reads back what was written:\n{text}");
    let not_string = |scalar: &str| rules.iter().any(|r| r.is_match(scalar));
    for scalar in plain_scalars(&text) {
        assert!(
            !not_string(&scalar),
            "plain `{scalar}` is not a string in YAML 1.1:\n{text}"
        );
    }
    // In the real export a plain scalar YAML 1.1 reads as non-string must be a JSON number, boolean
    // or null too (the JSON/YAML equality above then proves the JSON export holds the same).
    let files: std::collections::BTreeMap<_, _> = export::render(SPEC, &spec_text())
        .unwrap()
        .into_iter()
        .collect();
    for scalar in plain_scalars(&files[export::YAML]) {
        if not_string(&scalar) {
            let typed = serde_json::from_str::<Value>(&scalar).is_ok_and(|v| !v.is_string());
            assert!(
                typed,
                "plain `{scalar}` in the YAML export is not a string in YAML 1.1"
            );
        }
    }
}

#[test]
fn pyyaml_reads_the_yaml_export_exactly_as_the_json_export() {
    let root = crate::common::repo_root();
    let script = "import json, sys, yaml\nj = json.load(open(sys.argv[1]))\ny = yaml.safe_load(open(sys.argv[2]))\nsys.exit(0 if j == y else 1)";
    let out = std::process::Command::new("python3")
        .args(["-c", "import yaml"])
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        _ => {
            println!("skipped: python3 with PyYAML is not installed (pip install pyyaml)");
            return;
        }
    }
    {
        let dist = root.join("openapi/dist");
        let (json, yaml) = (dist.join(export::JSON), dist.join(export::YAML));
        let status = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&json)
            .arg(&yaml)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "PyYAML reads {} differently from {}",
            yaml.display(),
            json.display()
        );
    }
}

#[test]
fn both_vendored_schemas_compile_and_accept_the_export() {
    let files = export::render(SPEC, finpass_contract::SPEC_YAML).unwrap();
    for (file, version) in [(export::JSON, "3.0."), (export::JSON_31, "3.1.")] {
        let text = &files.iter().find(|(name, _)| *name == file).unwrap().1;
        let doc: Value = serde_json::from_str(text).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with(version));
        assert_eq!(
            finpass_spec::spec_check::validate_document(&doc),
            vec![],
            "{file}"
        );
    }
}

/// The classified values (operation, place in the body, categories) of a document.
fn classified(doc: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for flow in finpass_contract::personal::flows(doc) {
        for (side, fields) in [("request", &flow.request), ("response", &flow.response)] {
            for f in fields {
                let label = f
                    .marker
                    .as_ref()
                    .map_or("unclassified".into(), |m| m.label());
                out.push((format!("{} {side}", flow.operation), f.path.clone(), label));
            }
        }
    }
    out
}

#[test]
fn every_export_keeps_the_personal_data_markers() {
    let source: Value = serde_yaml::from_str(&spec_text()).unwrap();
    let expected = classified(&source);
    assert!(expected.len() > 60, "{} classified values", expected.len());
    for (file, text) in export::render(SPEC, &spec_text()).unwrap() {
        let doc: Value = if file.ends_with(".json") {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml::from_str(&text).unwrap()
        };
        assert_eq!(
            classified(&doc),
            expected,
            "{file} lost or changed a classification"
        );
    }
    // The values a review looks for first, in the checked-in files other languages' tools read.
    let dist = crate::common::repo_root().join("openapi/dist");
    for (file, parse) in [
        ("finpass.json", "json"),
        ("finpass.yaml", "yaml"),
        ("finpass.3.1.json", "json"),
    ] {
        let text = std::fs::read_to_string(dist.join(file)).unwrap();
        let doc: Value = if parse == "json" {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml::from_str(&text).unwrap()
        };
        let schemas = &doc["components"]["schemas"];
        for (pointer, category) in [
            ("/MobileNumber", "contact"),
            ("/AaInitializeData/properties/mobile_number", "contact"),
            ("/AaInitializeRequest/properties/email", "contact"),
            ("/AaInitializeData/properties/pan_number", "identifier"),
            ("/MultiBureauFetchRequest/properties/name", "name"),
            (
                "/AaFetchStatementPdfReport/properties/account_number",
                "identifier",
            ),
        ] {
            let node = schemas.pointer(pointer).unwrap_or(&Value::Null);
            assert_eq!(
                node["x-finpass-personal"], category,
                "{file}: {pointer} has no `x-finpass-personal: {category}`"
            );
        }
    }
}
