//! OpenAPI 3.0 schemas as real JSON Schema validators.
//!
//! The `jsonschema` crate has no OpenAPI mode and ignores `nullable`, so the document is rewritten once:
//! `nullable: true` becomes a `null` alternative. Validators are compiled against the whole rewritten
//! document (so `#/components/...` references resolve) and cached per schema pointer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jsonschema::Validator;
use serde_json::{Map, Value, json};

use crate::spec::Spec;

/// Compiled validators for the schemas of one spec.
pub struct Validators {
    root: Value,
    cache: Mutex<HashMap<String, Arc<Validator>>>,
}

/// One way an instance breaks its schema: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the instance (`/data/client_id`).
    pub instance_path: String,
    /// The validator's message.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() {
            "/"
        } else {
            &self.instance_path
        };
        write!(f, "{at}: {}", self.message)
    }
}

impl Validators {
    /// Validators for `spec`.
    pub fn new(spec: &Spec) -> Validators {
        let mut root = spec.doc().clone();
        rewrite_nullable(&mut root);
        Validators {
            root,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The validator for the schema at `pointer` (e.g. `/components/schemas/AaInitializeRequest`).
    pub fn validator(&self, pointer: &str) -> Result<Arc<Validator>, String> {
        if let Some(v) = self.cache.lock().expect("not poisoned").get(pointer) {
            return Ok(v.clone());
        }
        if self.root.pointer(pointer).is_none() {
            return Err(format!("no schema at #{pointer}"));
        }
        let mut root = self.root.clone();
        root.as_object_mut()
            .expect("the spec is an object")
            .insert("$ref".into(), json!(format!("#{pointer}")));
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("schema at #{pointer} does not compile: {e}"))?;
        let validator = Arc::new(validator);
        self.cache
            .lock()
            .expect("not poisoned")
            .insert(pointer.to_owned(), validator.clone());
        Ok(validator)
    }

    /// Every violation of the schema at `pointer` by `instance` (empty when it validates).
    pub fn violations(&self, pointer: &str, instance: &Value) -> Result<Vec<Violation>, String> {
        let validator = self.validator(pointer)?;
        Ok(validator
            .iter_errors(instance)
            .map(|e| Violation {
                instance_path: e.instance_path().to_string(),
                message: e.to_string(),
            })
            .collect())
    }
}

/// OpenAPI 3.0 `nullable: true` → JSON Schema `null` alternative, everywhere in the document.
pub fn rewrite_nullable(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(rewrite_nullable),
        Value::Object(map) => {
            map.values_mut().for_each(rewrite_nullable);
            if map.remove("nullable") == Some(Value::Bool(true)) {
                make_nullable(map);
            }
        }
        _ => {}
    }
}

fn make_nullable(map: &mut Map<String, Value>) {
    let composite = ["$ref", "allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| map.contains_key(*k));
    if composite {
        let inner = Value::Object(std::mem::take(map));
        map.insert("anyOf".into(), json!([inner, {"type": "null"}]));
        return;
    }
    match map.get_mut("type") {
        Some(Value::String(t)) => {
            let t = t.clone();
            map.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&json!("null")) => types.push(json!("null")),
        _ => {}
    }
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_becomes_a_null_alternative() {
        let mut v = json!({"a": {"type": "string", "nullable": true},
                           "b": {"$ref": "#/x", "nullable": true},
                           "c": {"type": "string", "enum": ["x"], "nullable": true},
                           "d": {"type": "string", "nullable": false}});
        rewrite_nullable(&mut v);
        assert_eq!(v["a"], json!({"type": ["string", "null"]}));
        assert_eq!(
            v["b"],
            json!({"anyOf": [{"$ref": "#/x"}, {"type": "null"}]})
        );
        assert_eq!(
            v["c"],
            json!({"type": ["string", "null"], "enum": ["x", null]})
        );
        assert_eq!(v["d"], json!({"type": "string"}));
    }
}
