//! The personal-data check of `check` ([the spec's README, "Personal data"](https://github.com/finpass-rs/finpass-rs/blob/main/openapi/README.md)): every
//! `x-finpass-personal` marker is well formed and sits where it counts (never beside a `$ref`), and a
//! value whose name or description says it is personal data has one, directly or through the schema
//! it refers to. Each problem is `(JSON pointer, message)`, like the other spec rules.
//!
//! Not part of [`super::load`]: `diff` and `drift` must still read older specs written before the
//! markers existed.

use serde_json::Value;

use crate::yaml_pos::token;
use finpass_contract::personal::{self, Class, KEY, NOTE_KEY};

/// Name parts that say a value is about a person (`pan_number` → `pan`, `accountHolder` → `holder`).
const PERSONAL_NAME_PARTS: &[&str] = &[
    "aadhaar",
    "account",
    "address",
    "balance",
    "birth",
    "ckyc",
    "credit",
    "credits",
    "debits",
    "dob",
    "email",
    "father",
    "gender",
    "holder",
    "income",
    "kyc",
    "mail",
    "mobile",
    "mother",
    "name",
    "nominee",
    "pan",
    "password",
    "phone",
    "pincode",
    "salary",
    "score",
    "spouse",
    "tax",
    "tds",
    "transaction",
    "transactions",
    "uan",
    "user",
    "username",
];

/// Words of a description that say the same (matched as whole words, case-insensitively; `PAN` in
/// capitals only, so that "company" or "expand" never match).
const PERSONAL_DESCRIPTION_WORDS: &[&str] = &[
    "mobile",
    "phone",
    "email",
    "e-mail",
    "date of birth",
    "account number",
    "address",
    "holder",
    "taxpayer",
    "name",
    "income",
    "salary",
    "balance",
    "balances",
    "transaction",
    "transactions",
    "gender",
    "password",
];

/// Every problem with the classification in `doc`.
pub fn check(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let at = format!("/components/schemas/{}", token(name));
            schema_node(doc, name, schema, &at, true, &mut out);
        }
    }
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let at = format!("/paths/{}/{method}", token(path));
                operation(doc, op, &at, &mut out);
            }
        }
    }
    // The operations the spec cannot declare list their request fields too.
    if let Some(unsupported) = doc
        .pointer("/x-finpass/unsupported-operations")
        .and_then(Value::as_array)
    {
        for (i, entry) in unsupported.iter().enumerate() {
            let fields = entry.pointer("/request/fields").and_then(Value::as_array);
            for (j, field) in fields.into_iter().flatten().enumerate() {
                let at = format!("/x-finpass/unsupported-operations/{i}/request/fields/{j}");
                let name = field.get("name").and_then(Value::as_str).unwrap_or("");
                leaf(field, name, field, &at, &mut out);
            }
        }
    }
    out
}

fn operation(doc: &Value, op: &Value, at: &str, out: &mut Vec<(String, String)>) {
    for (i, parameter) in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p_at = format!("{at}/parameters/{i}");
        if parameter.get("$ref").is_some() {
            continue; // its target is checked where it is declared
        }
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        match personal::marker(parameter) {
            Err(e) => out.push((p_at.clone(), e)),
            Ok(Some(_)) => {}
            Ok(None) => {
                if personal::class(doc, schema, None) == Class::Plain
                    && unclassified_value(doc, schema)
                {
                    leaf(parameter, name, &Value::Null, &p_at, out);
                }
            }
        }
        schema_node(doc, name, schema, &format!("{p_at}/schema"), false, out);
    }
    let bodies = [op.get("requestBody")]
        .into_iter()
        .flatten()
        .map(|b| (b, format!("{at}/requestBody")))
        .chain(
            op.get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(status, r)| (r, format!("{at}/responses/{}", token(status)))),
        );
    for (body, b_at) in bodies {
        for (media, content) in body
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(schema) = content.get("schema") {
                let s_at = format!("{b_at}/content/{}/schema", token(media));
                schema_node(doc, "", schema, &s_at, false, out);
            }
        }
    }
}

/// Checks a schema node: its own marker, and (for an object or array) what it contains. `component`
/// marks a schema under `components/schemas`, whose name is checked like a property's.
fn schema_node(
    doc: &Value,
    name: &str,
    schema: &Value,
    at: &str,
    component: bool,
    out: &mut Vec<(String, String)>,
) {
    if schema.get("$ref").is_some() {
        if schema.get(KEY).is_some() || schema.get(NOTE_KEY).is_some() {
            out.push((
                at.to_owned(),
                format!("`{KEY}` beside a `$ref` is ignored by OpenAPI 3.0: put it on the referenced schema"),
            ));
        }
        return;
    }
    let own = match personal::marker(schema) {
        Ok(m) => m,
        Err(e) => {
            out.push((at.to_owned(), e));
            return;
        }
    };
    if component
        && own.is_none()
        && !personal::is_object(schema)
        && schema.get("type") != Some(&Value::from("array"))
    {
        leaf(schema, name, schema, at, out);
    }
    for (property, sub) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let p_at = format!("{at}/properties/{}", token(property));
        if sub.get("$ref").is_none() && !has_marker(sub) && unclassified_value(doc, sub) {
            leaf(sub, property, sub, &p_at, out);
        } else if sub.get("$ref").is_some() && unclassified_value(doc, sub) {
            leaf(sub, property, &Value::Null, &p_at, out);
        }
        schema_node(doc, property, sub, &p_at, false, out);
    }
    if let Some(items) = schema.get("items") {
        schema_node(doc, name, items, &format!("{at}/items"), false, out);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, sub) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            schema_node(doc, name, sub, &format!("{at}/{key}/{i}"), false, out);
        }
    }
    if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        schema_node(
            doc,
            name,
            extra,
            &format!("{at}/additionalProperties"),
            false,
            out,
        );
    }
}

/// Whether `node` is a value (or open map) that nothing classifies: no marker on it, on what it
/// refers to, or (for an open map) on the object. Objects with declared members are containers.
fn unclassified_value(doc: &Value, node: &Value) -> bool {
    match personal::class(doc, node, None) {
        Class::Value(_) | Class::Members(Some(_)) => false,
        Class::Members(None) => true,
        Class::Plain => {
            let (schema, _) = personal::resolve(doc, node, "");
            let container = |s: &Value| {
                personal::is_object(s)
                    && s.get("properties")
                        .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
            };
            let items = schema.get("items").map(|i| personal::resolve(doc, i, "").0);
            // A `none` marker anywhere on the way also classifies it.
            let none = has_marker(node) || has_marker(schema);
            !none && !container(schema) && !items.is_some_and(container)
        }
    }
}

/// Reports `node` (named `name`) when its name or description (from `described`) says it is
/// personal data.
fn leaf(node: &Value, name: &str, described: &Value, at: &str, out: &mut Vec<(String, String)>) {
    if has_marker(node) {
        return;
    }
    let description = described
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    if let Some(why) = looks_personal(name, description) {
        out.push((
            at.to_owned(),
            format!(
                "`{name}` looks like personal data ({why}) but has no `{KEY}`: classify it \
                 (categories: https://github.com/finpass-rs/finpass-rs/blob/main/openapi/README.md), or mark it `{KEY}: none` with an `{NOTE_KEY}` saying why"
            ),
        ));
    }
}

/// Whether `node` carries a marker, well formed or not (a malformed one is reported by itself).
fn has_marker(node: &Value) -> bool {
    !matches!(personal::marker(node), Ok(None))
}

/// Why `name` or `description` looks like a person's data, if it does.
pub fn looks_personal(name: &str, description: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() || (c.is_uppercase() && previous_lower) {
            parts.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase();
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        }
    }
    parts.push(current);
    if let Some(part) = parts
        .iter()
        .find(|p| PERSONAL_NAME_PARTS.contains(&p.as_str()))
    {
        return Some(format!("its name has `{part}`"));
    }
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let original = words(description);
    if original.iter().any(|w| w == "PAN") {
        return Some("its description says `PAN`".to_owned());
    }
    let lower: Vec<String> = original.iter().map(|w| w.to_lowercase()).collect();
    let joined = format!(" {} ", lower.join(" "));
    PERSONAL_DESCRIPTION_WORDS
        .iter()
        .find(|phrase| joined.contains(&format!(" {phrase} ")))
        .map(|phrase| format!("its description says `{phrase}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_descriptions_that_say_personal_data() {
        assert!(looks_personal("pan_number", "").is_some());
        assert!(looks_personal("accountHolder", "").is_some());
        assert!(looks_personal("contact", "The customer's mobile number.").is_some());
        assert!(looks_personal("ref", "The PAN that was looked up.").is_some());
        assert!(looks_personal("company", "Company, expanded").is_none());
        assert!(looks_personal("client_id", "Identifier of the journey.").is_none());
    }

    #[test]
    fn an_unmarked_personal_value_a_marker_beside_a_ref_and_a_bare_none_are_refused() {
        let loaded =
            crate::spec_check::from_text("finpass.yaml", finpass_contract::SPEC_YAML.to_owned())
                .unwrap();
        let mut doc = loaded.doc.clone();
        let data = "/components/schemas/AaInitializeData/properties";
        doc.pointer_mut(&format!("{data}/email_id"))
            .and_then(Value::as_object_mut)
            .unwrap()
            .remove(KEY);
        doc.pointer_mut("/components/schemas/AaInitializeRequest/properties/mobile_number")
            .and_then(Value::as_object_mut)
            .unwrap()
            .insert(KEY.into(), "contact".into());
        let bank = "/components/schemas/AaBsaStatementAccount/properties/bank_name";
        doc.pointer_mut(bank)
            .and_then(Value::as_object_mut)
            .unwrap()
            .remove(NOTE_KEY);
        let problems = check(&doc);
        let at = |pointer: &str| {
            problems
                .iter()
                .find(|(p, _)| p == pointer)
                .map(|(_, m)| m.as_str())
        };
        assert!(
            at(&format!("{data}/email_id"))
                .is_some_and(|m| m.contains("`email_id` looks like personal data")),
            "{problems:?}"
        );
        assert!(
            at("/components/schemas/AaInitializeRequest/properties/mobile_number")
                .is_some_and(|m| m.contains("beside a `$ref`")),
            "{problems:?}"
        );
        assert!(
            at(bank).is_some_and(|m| m.contains("needs an")),
            "{problems:?}"
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn the_real_spec_is_classified() {
        let loaded =
            crate::spec_check::from_text("finpass.yaml", finpass_contract::SPEC_YAML.to_owned())
                .unwrap();
        assert_eq!(check(&loaded.doc), Vec::<(String, String)>::new());
    }
}
