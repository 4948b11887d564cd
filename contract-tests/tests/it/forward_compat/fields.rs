//! Unknown members at every object level of every success response.

use super::*;

/// One object of an example, with what its schema says about unknown members.
struct ObjectLevel {
    pointer: String,
    /// `Some(component)` when the schema declares `additionalProperties: true` or `{}`.
    declared_open: Option<String>,
}

/// Every object in `value`, walked together with its schema (when the schema names the member).
fn object_levels(
    spec: &Spec,
    schema: Option<&Value>,
    value: &Value,
    pointer: &str,
    out: &mut Vec<ObjectLevel>,
) {
    let name = schema.and_then(ref_name).unwrap_or("inline");
    let schema = schema.map(|s| spec.resolve(s));
    match value {
        Value::Object(map) => {
            // `true` and `{}` both say "other members may come"; either way the client must keep them.
            let open = schema.is_some_and(|s| {
                matches!(s.get("additionalProperties"), Some(v) if *v == json!(true) || *v == json!({}))
            });
            out.push(ObjectLevel {
                pointer: if pointer.is_empty() { "/" } else { pointer }.to_owned(),
                declared_open: open.then(|| name.to_owned()),
            });
            for (k, v) in map {
                let sub = schema.and_then(|s| s.get("properties")?.get(k));
                let at = format!("{pointer}/{}", finpass_contract::spec::pointer_token(k));
                object_levels(spec, sub, v, &at, out);
            }
        }
        Value::Array(items) => {
            let sub = schema.and_then(|s| s.get("items"));
            for (i, v) in items.iter().enumerate() {
                object_levels(spec, sub, v, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `value` with `UNKNOWN_KEY` added to every object, at any depth (not inside the added values).
fn with_unknown_everywhere(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: Map<_, _> = map
                .iter()
                .map(|(k, v)| (k.clone(), with_unknown_everywhere(v)))
                .collect();
            out.insert(UNKNOWN_KEY.into(), unknown_value());
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(with_unknown_everywhere).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn unknown_fields_decode_at_every_object_level_of_every_success_response() {
    let spec = Spec::embedded();
    let validators = Validators::new(&spec);
    let server = MockServer::start_async().await;
    let mut operations = BTreeSet::new();
    let mut drops = Vec::new();
    let mut report = Vec::new();
    for op in spec.operations() {
        for example in spec
            .examples()
            .into_iter()
            .filter(|e| e.operation == op.id && e.slot.starts_with('2'))
        {
            let what = format!("{} `{}`", op.id, example.name);
            let status: u16 = example.slot.parse().unwrap();
            let schema = spec.doc().pointer(&example.schema_pointer).unwrap();
            let mut levels = Vec::new();
            object_levels(&spec, Some(schema), example.value, "", &mut levels);
            assert!(!levels.is_empty(), "{what}: no object to extend");

            let mutated = with_unknown_everywhere(example.value);
            let violations = validators
                .violations(&example.schema_pointer, &mutated)
                .unwrap();
            assert!(
                violations.is_empty(),
                "{what}: the schema forbids unknown members: {violations:?}"
            );

            let baseline = decode_through_client(&server, &spec, &op, status, example.value)
                .await
                .unwrap_or_else(|e| panic!("{what}: the unmodified example fails: {e}"));
            let decoded = decode_through_client(&server, &spec, &op, status, &mutated)
                .await
                .unwrap_or_else(|e| panic!("{what}: unknown members break decoding: {e}"));
            assert!(
                is_faithful(&decoded, &mutated),
                "{what}: decoded {decoded} differs from the served body"
            );
            assert_eq!(
                without_unknown(&decoded),
                baseline,
                "{what}: unknown members changed what the known members decode to"
            );

            let mut kept = Vec::new();
            for level in &levels {
                let survived = decoded
                    .pointer(level.pointer.trim_end_matches('/'))
                    .and_then(|o| o.get(UNKNOWN_KEY))
                    .is_some();
                if survived {
                    assert_eq!(
                        decoded
                            .pointer(level.pointer.trim_end_matches('/'))
                            .unwrap()[UNKNOWN_KEY],
                        unknown_value(),
                        "{what}: unknown member at {} changed",
                        level.pointer
                    );
                    kept.push(level.pointer.clone());
                } else if let Some(component) = &level.declared_open {
                    drops.push(format!("{} {} ({component})", op.id, level.pointer));
                }
            }
            operations.insert(op.id);
            report.push(json!({
                "operation": op.id,
                "example": example.name,
                "object_levels": levels.iter().map(|l| &l.pointer).collect::<Vec<_>>(),
                "unknown_member_kept_at": kept,
            }));
        }
    }
    assert!(
        operations.len() >= MIN_OPERATIONS && operations.len() == spec.operations().len(),
        "every operation needs a 2xx example; covered {operations:?}"
    );
    drops.sort();
    drops.dedup();
    assert_eq!(
        drops, DROPS_DECLARED_OPEN_MEMBERS,
        "objects declared open (`additionalProperties: true` or `{{}}`) that drop unknown members (update the list \
         only when a gap is fixed, never to add one silently)"
    );
    insta::assert_json_snapshot!("forward_compat_unknown_fields", report);
}
