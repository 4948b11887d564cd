//! Every example in the spec, request and response, validates against its schema, and every operation
//! documents at least one success and one error example. Walks the whole spec: a new operation needs
//! no new test code here.

use finpass_contract::{Spec, Validators};
use serde_json::Value;

#[test]
fn every_example_in_the_spec_validates_against_its_schema() {
    let spec = Spec::embedded();
    let validators = Validators::new(&spec);
    let examples = spec.examples();
    assert!(
        examples.len() >= 40,
        "expected the whole collection's examples, found {}",
        examples.len()
    );
    let mut failures = Vec::new();
    for ex in &examples {
        let violations = validators
            .violations(&ex.schema_pointer, ex.value)
            .expect("schema compiles");
        for v in violations {
            failures.push(format!("{} {} `{}`: {v}", ex.operation, ex.slot, ex.name));
        }
    }
    assert!(
        failures.is_empty(),
        "examples that break their schema:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_example_check_rejects_a_broken_example() {
    // Corrupt the documented AA Initialize 200 example in a copy of the spec: the check must bite.
    let mut doc: Value = Spec::embedded().doc().clone();
    let success = doc
        .pointer_mut("/paths/~1api~1v1~1services~1account-aggregator~1init/post/responses/200/content/application~1json/examples/success/value")
        .expect("the documented success example exists");
    success["success"] = Value::String("yes".into());
    success["data"].as_object_mut().unwrap().remove("client_id");
    let broken = Spec::from_yaml(&serde_json::to_string(&doc).unwrap()).unwrap();
    let validators = Validators::new(&broken);
    let ex = broken
        .examples()
        .into_iter()
        .find(|e| e.operation == "aa_initialize" && e.name == "success")
        .unwrap();
    let found: Vec<String> = validators
        .violations(&ex.schema_pointer, ex.value)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("/success:") && v.contains("boolean")),
        "{found:?}"
    );
    assert!(found.iter().any(|v| v.contains("client_id")), "{found:?}");
}

#[test]
fn nullable_fields_accept_null_and_nothing_else_changes() {
    let spec = Spec::embedded();
    let validators = Validators::new(&spec);
    let data = "/components/schemas/AaInitializeData";
    let mut value = serde_json::json!({
        "client_id": "aa_1", "mobile_number": "9999000000", "pan_number": null,
        "email_id": "a@b.c", "redirect_url": "https://x"
    });
    assert!(validators.violations(data, &value).unwrap().is_empty());
    value["client_id"] = Value::Null;
    assert!(
        !validators.violations(data, &value).unwrap().is_empty(),
        "client_id is not nullable"
    );
}

#[test]
fn every_operation_has_a_success_and_an_error_example_and_markers() {
    let spec = Spec::embedded();
    let examples = spec.examples();
    let mut problems = Vec::new();
    for op in spec.operations() {
        let of_op: Vec<_> = examples.iter().filter(|e| e.operation == op.id).collect();
        if !of_op.iter().any(|e| e.slot.starts_with('2')) {
            problems.push(format!("{}: no success example", op.id));
        }
        if !of_op
            .iter()
            .any(|e| e.slot.starts_with('4') || e.slot.starts_with('5'))
        {
            problems.push(format!("{}: no error example", op.id));
        }
        for e in &of_op {
            if !matches!(e.source, Some("documented" | "constructed")) {
                problems.push(format!(
                    "{} {} `{}`: x-finpass-source must be documented or constructed",
                    op.id, e.slot, e.name
                ));
            }
        }
        for status in ["401", "422", "429"] {
            if op.op.pointer(&format!("/responses/{status}")).is_none() {
                problems.push(format!(
                    "{}: does not declare {status} (it would decode untyped)",
                    op.id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_documented_aa_initialize_examples_are_kept_verbatim() {
    // The seed page's examples, byte for byte in meaning: any edit to them must be deliberate.
    let spec = Spec::embedded();
    let op = spec.operation("aa_initialize").unwrap();
    let (status, value) = spec
        .named_response_example(&op, "success_long_client_id")
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        value["data"]["client_id"],
        "aa_6989cbcf_a136a40171db8abb6b691067"
    );
    let (status, value) = spec.named_response_example(&op, "unauthorized").unwrap();
    assert_eq!(status, 401);
    assert_eq!(
        value,
        &serde_json::json!({
            "status_code": 401, "success": false,
            "message": "Unauthorized access. Invalid or missing API credentials.",
            "message_code": "unauthorized"
        })
    );
}

/// Every `x-finpass-source` in `value` (at any depth), checked: a known value, next to the example it
/// qualifies; and no parameter with a bare `example` (a parameter's value goes in a named, marked one).
fn example_marker_problems(value: &Value, at: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(source) = map.get("x-finpass-source") {
                if !matches!(source.as_str(), Some("documented" | "constructed")) {
                    problems.push(format!("{at}: x-finpass-source is {source}"));
                }
                if !map.contains_key("example") && !map.contains_key("value") {
                    problems.push(format!("{at}: x-finpass-source qualifies no example"));
                }
            }
            if map.contains_key("in") && map.contains_key("name") && map.contains_key("example") {
                problems.push(format!(
                    "{at}: a parameter's example must be a named example with x-finpass-source"
                ));
            }
            for (key, sub) in map {
                example_marker_problems(sub, &format!("{at}/{key}"), problems);
            }
        }
        Value::Array(items) => {
            for (i, sub) in items.iter().enumerate() {
                example_marker_problems(sub, &format!("{at}/{i}"), problems);
            }
        }
        _ => {}
    }
}

#[test]
fn example_values_outside_named_examples_say_when_they_are_ours() {
    // DECISIONS.md, EX-1: a schema `example` we made up carries `x-finpass-source: constructed`.
    let spec = Spec::embedded();
    let mut problems = Vec::new();
    example_marker_problems(spec.doc(), "", &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let date =
        &spec.doc()["components"]["schemas"]["AaBsaStatementTransaction"]["properties"]["date"];
    assert_eq!(date["x-finpass-source"], "constructed", "{date}");

    // The check bites: a parameter with a bare example, and a marker with an unknown value.
    let mut doc = spec.doc().clone();
    let param = doc
        .pointer_mut("/paths/~1api~1v1~1services~1bsa~1statement-result/get/parameters/0")
        .expect("Statement Result has its client_id parameter");
    param["example"] = Value::String("bank_statement_x".into());
    doc["components"]["schemas"]["Pan"]["x-finpass-source"] = Value::String("guessed".into());
    let mut problems = Vec::new();
    example_marker_problems(&doc, "", &mut problems);
    assert_eq!(problems.len(), 2, "{problems:?}");
}
