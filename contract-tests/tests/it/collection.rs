//! The wire contract of every generated operation, both directions, driven by the spec's examples:
//! for each response example, an httpmock server expects the exact method, path, credentials, content
//! type, query and JSON body the operation's request example implies, and answers with the example.
//! The client must decode success examples into its types and error examples into the typed error
//! with their status and code. A new operation needs spec and examples, no code here.

use finpass_client::ErrorKind;
use finpass_contract::{Spec, Validators};
use httpmock::prelude::*;
use serde_json::{Map, Value, json};

use crate::support::{API_KEY, API_SECRET, client, is_faithful, operation_args};

/// Operations whose method is handwritten (multipart); they have their own contract test.
const HANDWRITTEN: &[&str] = &["bsa_upload_statement"];

/// What the request of `op` is made of, split for the mock's matchers: the JSON body and the query
/// values (the same arguments `operation_args` gives the client).
fn request_parts(
    spec: &Spec,
    op: &finpass_contract::Operation<'_>,
) -> (Option<Value>, Vec<(String, String)>) {
    let Value::Object(mut args) = operation_args(spec, op) else {
        unreachable!("args are an object")
    };
    let body = args.remove("body");
    let query = args
        .into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
        .collect();
    (body, query)
}

/// The example without `null` members: the typed client omits absent optional fields.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn every_operation_honours_its_wire_contract_for_every_documented_response() {
    let spec = Spec::embedded();
    let validators = Validators::new(&spec);
    let mut report = Vec::new();
    let mut checked = 0;
    for op in spec
        .operations()
        .into_iter()
        .filter(|op| !HANDWRITTEN.contains(&op.id))
    {
        let (body, query) = request_parts(&spec, &op);
        let args = operation_args(&spec, &op);
        let responses: Vec<_> = spec
            .examples()
            .into_iter()
            .filter(|e| e.operation == op.id && e.slot != "request")
            .collect();
        assert!(!responses.is_empty(), "{}: no response examples", op.id);
        for example in responses {
            let status: u16 = example.slot.parse().unwrap();
            let server = MockServer::start_async().await;
            let mock = server
                .mock_async(|when, then| {
                    let mut when = when
                        .method(op.method.as_str())
                        .path(op.path)
                        .header("x-api-key", API_KEY)
                        .header("x-api-secret", API_SECRET);
                    for (name, value) in &query {
                        when = when.query_param(name, value);
                    }
                    if let Some(body) = &body {
                        when.header("content-type", "application/json")
                            .json_body(without_nulls(body));
                    }
                    then.status(status)
                        .header("content-type", "application/json")
                        .json_body(example.value.clone());
                })
                .await;
            let outcome = client(&server)
                .call_by_operation_id(op.id, args.clone())
                .await
                .expect("operation is generated");
            mock.assert_async().await;
            let summary = match outcome {
                Ok(decoded) => {
                    assert!(
                        (200..300).contains(&status),
                        "{} `{}`: a {status} decoded as success",
                        op.id,
                        example.name
                    );
                    assert!(
                        is_faithful(&decoded, example.value),
                        "{} `{}`: decoded {decoded} differs from the example",
                        op.id,
                        example.name
                    );
                    let violations = validators
                        .violations(&example.schema_pointer, &decoded)
                        .unwrap();
                    assert!(
                        violations.is_empty(),
                        "{} `{}`: re-encoded value breaks the schema: {violations:?}",
                        op.id,
                        example.name
                    );
                    json!({"decoded": "typed success"})
                }
                Err(e) => {
                    assert_eq!(
                        e.status().map(|s| s.as_u16()),
                        Some(status),
                        "{} `{}`: {e}",
                        op.id,
                        example.name
                    );
                    // A final 429 is a rate limit, every other error status an API error.
                    let kind = if status == 429 {
                        ErrorKind::RateLimited
                    } else {
                        ErrorKind::Api
                    };
                    assert_eq!(e.kind(), kind, "{} `{}`: {e}", op.id, example.name);
                    assert_eq!(e.message(), example.value["message"].as_str(), "{}", op.id);
                    let code = example
                        .value
                        .get("message_code")
                        .or(example.value.get("error_code"))
                        .and_then(Value::as_str);
                    assert_eq!(e.code(), code, "{} `{}`", op.id, example.name);
                    json!({"error": {"status": status, "code": e.code()}})
                }
            };
            checked += 1;
            report.push(json!({"operation": op.id, "example": example.name, "status": status, "outcome": summary}));
        }
    }
    assert!(
        checked >= 17 * 3,
        "expected every operation's success and error examples, checked {checked}"
    );
    insta::assert_json_snapshot!("collection_wire_contract", report);
}

#[tokio::test]
async fn the_embedded_mock_serves_every_operation_from_the_spec() {
    let spec = Spec::embedded();
    let mock = finpass_mock::MockServer::start().await.unwrap();
    let finpass = finpass_client::Finpass::builder()
        .credentials(API_KEY, API_SECRET)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    for op in spec
        .operations()
        .into_iter()
        .filter(|op| !HANDWRITTEN.contains(&op.id))
    {
        let args = operation_args(&spec, &op);
        let decoded = finpass.call_by_operation_id(op.id, args).await.unwrap();
        let (_, expected) = spec.response_example(&op, None).unwrap();
        let decoded = decoded.unwrap_or_else(|e| panic!("{}: {e}", op.id));
        assert!(is_faithful(&decoded, expected), "{}: {decoded}", op.id);
    }
}
