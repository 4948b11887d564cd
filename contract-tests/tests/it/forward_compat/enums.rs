//! Undocumented values at every open-enum location of every success response (the types themselves:
//! `enum_types.rs`).

use super::*;

/// One step from a schema to a sub-schema: a named member, or every element of an array.
#[derive(Clone)]
enum Step<'a> {
    Member(&'a str, &'a Value),
    Each(&'a Value),
}

/// Where an open enum sits in a response schema.
#[derive(Clone)]
struct EnumSite<'a> {
    path: Vec<Step<'a>>,
    component: &'a str,
}

fn display_path(path: &[Step<'_>]) -> String {
    if path.is_empty() {
        return "/".into();
    }
    path.iter()
        .map(|s| match s {
            Step::Member(k, _) => format!("/{k}"),
            Step::Each(_) => "/*".into(),
        })
        .collect()
}

/// Every open-enum location under `schema`, and every closed `enum` in it (there should be none in
/// a response: the spec's rule is that response enums are open).
fn enum_sites<'a>(
    spec: &'a Spec,
    schema: &'a Value,
    path: &mut Vec<Step<'a>>,
    open: &mut Vec<EnumSite<'a>>,
    closed: &mut Vec<String>,
) {
    assert!(path.len() < 32, "schema nesting too deep (a cycle?)");
    let name = ref_name(schema).unwrap_or("inline");
    let s = spec.resolve(schema);
    if s.get("x-finpass-open-enum") == Some(&json!(true)) {
        open.push(EnumSite {
            path: path.clone(),
            component: name,
        });
        return;
    }
    if s.get("enum").is_some() {
        closed.push(format!("{} ({name})", display_path(path)));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for branch in s.get(key).and_then(Value::as_array).into_iter().flatten() {
            enum_sites(spec, branch, path, open, closed);
        }
    }
    for (k, sub) in s
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        path.push(Step::Member(k, sub));
        enum_sites(spec, sub, path, open, closed);
        path.pop();
    }
    if let Some(items) = s.get("items") {
        path.push(Step::Each(items));
        enum_sites(spec, items, path, open, closed);
        path.pop();
    }
    if let Some(extra) = s.get("additionalProperties").filter(|a| a.is_object()) {
        path.push(Step::Member("*", extra));
        enum_sites(spec, extra, path, open, closed);
        path.pop();
    }
}

/// A minimal instance of `schema` (required members only), for locations the example lacks.
fn minimal_instance(spec: &Spec, schema: &Value) -> Value {
    let s = spec.resolve(schema);
    if let Some(first) = s.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(first) = s.get("oneOf").and_then(|o| o.get(0)) {
        return minimal_instance(spec, first);
    }
    match s.get("type").and_then(Value::as_str) {
        Some("string") => json!("x"),
        Some("integer" | "number") => json!(0),
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        Some("object") | None if s.get("properties").is_some() => {
            let mut out = Map::new();
            for name in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                out.insert(
                    name.to_owned(),
                    minimal_instance(spec, &s["properties"][name]),
                );
            }
            Value::Object(out)
        }
        Some("object") => json!({}),
        _ => Value::Null,
    }
}

/// Puts `leaf` at every instance of `path` in `target`, creating members and array elements the
/// example lacks. Returns how many places were set and whether anything was created.
fn plant(spec: &Spec, target: &mut Value, path: &[Step<'_>], leaf: &Value) -> (usize, bool) {
    match path.split_first() {
        None => {
            *target = leaf.clone();
            (1, false)
        }
        Some((Step::Member(k, sub), rest)) => {
            let object = target
                .as_object_mut()
                .unwrap_or_else(|| panic!("example has a non-object where `{k}` is declared"));
            let missing = object.get(*k).is_none_or(Value::is_null);
            if missing {
                object.insert((*k).to_owned(), minimal_instance(spec, sub));
            }
            let (n, created) = plant(spec, object.get_mut(*k).unwrap(), rest, leaf);
            (n, created || missing)
        }
        Some((Step::Each(items), rest)) => {
            let array = target
                .as_array_mut()
                .expect("example has a non-array where an array is declared");
            let missing = array.is_empty();
            if missing {
                array.push(minimal_instance(spec, items));
            }
            array.iter_mut().fold((0, missing), |(n, c), element| {
                let (m, d) = plant(spec, element, rest, leaf);
                (n + m, c || d)
            })
        }
    }
}

/// `target` without the last member of `path`, at every instance (the example "lacks the field").
fn remove_leaf(target: &mut Value, path: &[Step<'_>]) {
    match path {
        [] => {}
        [Step::Member(k, _)] => {
            if let Some(object) = target.as_object_mut() {
                object.remove(*k);
            }
        }
        [Step::Member(k, _), rest @ ..] => {
            if let Some(next) = target.get_mut(*k) {
                remove_leaf(next, rest);
            }
        }
        [Step::Each(_), rest @ ..] => {
            for element in target.as_array_mut().into_iter().flatten() {
                remove_leaf(element, rest);
            }
        }
    }
}

/// Every value at `path` in `value` (`None` where it is missing).
fn read_all<'v>(value: &'v Value, path: &[Step<'_>]) -> Vec<Option<&'v Value>> {
    match path.split_first() {
        None => vec![Some(value)],
        Some((Step::Member(k, _), rest)) => match value.get(*k) {
            Some(v) => read_all(v, rest),
            None => vec![None],
        },
        Some((Step::Each(_), rest)) => match value.as_array() {
            Some(items) => items.iter().flat_map(|v| read_all(v, rest)).collect(),
            None => vec![None],
        },
    }
}

#[tokio::test]
async fn undocumented_enum_values_decode_at_every_open_enum_location() {
    let spec = Spec::embedded();
    let validators = Validators::new(&spec);
    let server = MockServer::start_async().await;
    let leaf = json!(FUTURE_VALUE);
    let mut locations = BTreeSet::new();
    let mut closed_in_responses = Vec::new();
    let mut report = Vec::new();
    for op in spec.operations() {
        for example in spec
            .examples()
            .into_iter()
            .filter(|e| e.operation == op.id && e.slot.starts_with('2'))
        {
            let status: u16 = example.slot.parse().unwrap();
            let schema = spec.doc().pointer(&example.schema_pointer).unwrap();
            let (mut open, mut closed) = (Vec::new(), Vec::new());
            enum_sites(&spec, schema, &mut Vec::new(), &mut open, &mut closed);
            closed_in_responses.extend(closed.into_iter().map(|c| format!("{} {c}", op.id)));
            for (site, lacking) in open.iter().flat_map(|site| [(site, false), (site, true)]) {
                let at = display_path(&site.path);
                let what = format!(
                    "{} `{}` at {at} ({}{})",
                    op.id,
                    example.name,
                    site.component,
                    if lacking {
                        ", member removed first"
                    } else {
                        ""
                    }
                );
                let mut mutated = example.value.clone();
                if lacking {
                    remove_leaf(&mut mutated, &site.path);
                }
                let (planted, created) = plant(&spec, &mut mutated, &site.path, &leaf);
                assert!(planted > 0, "{what}: nothing planted");
                assert_eq!(
                    created, lacking,
                    "{what}: created a member needlessly or not at all"
                );
                let violations = validators
                    .violations(&example.schema_pointer, &mutated)
                    .unwrap();
                assert!(
                    violations.is_empty(),
                    "{what}: the schema rejects an undocumented value: {violations:?}"
                );
                let decoded = decode_through_client(&server, &spec, &op, status, &mutated)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("{what}: an undocumented value breaks decoding: {e}")
                    });
                let found = read_all(&decoded, &site.path);
                assert_eq!(
                    found,
                    vec![Some(&leaf); planted],
                    "{what}: the re-encoded response lost or changed the value: {decoded}"
                );
                assert!(
                    is_faithful(&decoded, &mutated),
                    "{what}: decoded {decoded} differs from the served body"
                );
                locations.insert((op.id, at.clone()));
                if lacking {
                    continue;
                }
                report.push(json!({
                    "operation": op.id,
                    "example": example.name,
                    "location": at,
                    "component": site.component,
                    "values_planted": planted,
                }));
            }
        }
    }
    closed_in_responses.sort();
    closed_in_responses.dedup();
    assert!(
        closed_in_responses.is_empty(),
        "closed enums in success responses (response enums must be open): {closed_in_responses:?}"
    );
    assert!(
        locations.len() >= MIN_OPEN_ENUM_LOCATIONS,
        "expected at least {MIN_OPEN_ENUM_LOCATIONS} open-enum locations in success responses, \
         found {}: {locations:?}",
        locations.len()
    );
    insta::assert_json_snapshot!("forward_compat_open_enum_locations", report);
}

#[test]
fn planting_creates_array_elements_and_members_the_example_lacks() {
    // The walk's own machinery: an example whose array is empty still gets a (minimal, valid) element
    // carrying the undocumented value.
    let spec = Spec::embedded();
    let validators = Validators::new(&spec);
    let op = spec.operation("aa_fetch_statement_pdf").unwrap();
    let example = spec
        .examples()
        .into_iter()
        .find(|e| e.operation == op.id && e.slot == "200")
        .unwrap();
    let schema = spec.doc().pointer(&example.schema_pointer).unwrap();
    let (mut open, mut closed) = (Vec::new(), Vec::new());
    enum_sites(&spec, schema, &mut Vec::new(), &mut open, &mut closed);
    let site = open
        .iter()
        .find(|s| display_path(&s.path) == "/data/reports/*/status")
        .expect("report status is an open enum");
    let mut value = example.value.clone();
    value["data"]["reports"] = json!([]);
    let (planted, created) = plant(&spec, &mut value, &site.path, &json!(FUTURE_VALUE));
    assert_eq!((planted, created), (1, true));
    assert_eq!(
        read_all(&value, &site.path),
        vec![Some(&json!(FUTURE_VALUE))]
    );
    let violations = validators
        .violations(&example.schema_pointer, &value)
        .unwrap();
    assert!(violations.is_empty(), "{value}: {violations:?}");
}
