//! The Finpass spec as JSON, with the walks every contract tool needs: operations, their responses,
//! and every named example with the schema it must satisfy.

use serde_json::Value;

/// The Finpass spec this crate version was built from, embedded so that no tool needs the repository
/// at run time. `finpass.yaml` beside this crate's `Cargo.toml` is a copy of the repository's
/// [`openapi/finpass.yaml`](https://github.com/finpass-rs/finpass-rs/blob/main/openapi/finpass.yaml), written by `cargo xtask generate` and
/// checked by `cargo xtask check`.
pub const SPEC_YAML: &str = include_str!("../finpass.yaml");

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct Spec {
    doc: Value,
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// `operationId`.
    pub id: &'a str,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub path: &'a str,
    /// The operation object.
    pub op: &'a Value,
}

/// Where an example sits and what it must satisfy.
#[derive(Debug, Clone)]
pub struct Example<'a> {
    /// `operationId` of the operation the example belongs to.
    pub operation: &'a str,
    /// `request` or the response status (`200`, `401`, …).
    pub slot: String,
    /// The example's name.
    pub name: &'a str,
    /// The example value.
    pub value: &'a Value,
    /// `documented` or `constructed` (`x-finpass-source`).
    pub source: Option<&'a str>,
    /// JSON pointer to the schema the value must satisfy.
    pub schema_pointer: String,
}

/// One hop of a local `$ref`: the node it points at in `doc`, and its pointer. `None` when `node` is
/// no reference, or one that points outside `doc` or at nothing.
pub fn follow_ref<'a>(doc: &'a Value, node: &'a Value) -> Option<(&'a Value, &'a str)> {
    let pointer = node.get("$ref")?.as_str()?.strip_prefix('#')?;
    Some((doc.pointer(pointer)?, pointer))
}

/// Escapes a JSON-pointer token (`/` and `~`).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

impl Spec {
    /// The embedded spec.
    pub fn embedded() -> Spec {
        Spec::from_yaml(SPEC_YAML)
            .expect("the embedded spec is valid YAML: `cargo xtask check` parses it")
    }

    /// A spec from YAML (or JSON) text.
    pub fn from_yaml(text: &str) -> Result<Spec, serde_yaml::Error> {
        Ok(Spec {
            doc: serde_yaml::from_str(text)?,
        })
    }

    /// The whole document.
    pub fn doc(&self) -> &Value {
        &self.doc
    }

    /// Follows a local `$ref` (repeatedly); anything else is returned as is.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        while let Some((target, _)) = follow_ref(&self.doc, value) {
            value = target;
        }
        value
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut out = Vec::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if !matches!(method.as_str(), "get" | "post" | "put" | "patch" | "delete") {
                    continue;
                }
                let id = op.get("operationId").and_then(Value::as_str).unwrap_or("");
                out.push(Operation {
                    id,
                    method: method.to_uppercase(),
                    path,
                    op,
                });
            }
        }
        out
    }

    /// The operation's parameters, `$ref`s resolved.
    pub fn parameters<'a>(&'a self, op: &Operation<'a>) -> Vec<&'a Value> {
        let list = op.op.get("parameters").and_then(Value::as_array);
        list.into_iter()
            .flatten()
            .map(|p| self.resolve(p))
            .collect()
    }

    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<Operation<'_>> {
        self.operations().into_iter().find(|op| op.id == id)
    }

    /// Every named example in the spec (request bodies and responses), with its schema pointer.
    pub fn examples(&self) -> Vec<Example<'_>> {
        let mut out = Vec::new();
        for op in self.operations() {
            let base = format!(
                "/paths/{}/{}",
                pointer_token(op.path),
                op.method.to_lowercase()
            );
            if let Some(body) = op.op.get("requestBody").map(|b| self.resolve(b)) {
                self.collect(
                    &mut out,
                    op.id,
                    "request".into(),
                    body,
                    &format!("{base}/requestBody"),
                );
            }
            if let Some(responses) = op.op.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    let pointer = match response.get("$ref").and_then(Value::as_str) {
                        Some(r) => r.trim_start_matches('#').to_owned(),
                        None => format!("{base}/responses/{status}"),
                    };
                    self.collect(
                        &mut out,
                        op.id,
                        status.clone(),
                        self.resolve(response),
                        &pointer,
                    );
                }
            }
        }
        out
    }

    fn collect<'a>(
        &'a self,
        out: &mut Vec<Example<'a>>,
        op: &'a str,
        slot: String,
        holder: &'a Value,
        at: &str,
    ) {
        let Some(content) = holder.get("content").and_then(Value::as_object) else {
            return;
        };
        for (media, media_obj) in content {
            let schema_pointer = format!("{at}/content/{}/schema", pointer_token(media));
            let examples = media_obj.get("examples").and_then(Value::as_object);
            for (name, example) in examples.into_iter().flatten() {
                let example = self.resolve(example);
                let Some(value) = example.get("value") else {
                    continue;
                };
                out.push(Example {
                    operation: op,
                    slot: slot.clone(),
                    name,
                    value,
                    source: example.get("x-finpass-source").and_then(Value::as_str),
                    schema_pointer: schema_pointer.clone(),
                });
            }
        }
    }

    /// The first example of `status` (or the first 2xx when `status` is `None`) of an operation.
    pub fn response_example<'a>(
        &'a self,
        op: &Operation<'a>,
        status: Option<&str>,
    ) -> Option<(u16, &'a Value)> {
        let responses = op.op.get("responses")?.as_object()?;
        let (code, response) = match status {
            Some(s) => responses.get_key_value(s)?,
            None => responses.iter().find(|(code, _)| code.starts_with('2'))?,
        };
        let response = self.resolve(response);
        let media = response.get("content")?.get("application/json")?;
        let example = media.get("examples")?.as_object()?.values().next()?;
        Some((code.parse().ok()?, self.resolve(example).get("value")?))
    }

    /// The named example of an operation, from its responses.
    pub fn named_response_example<'a>(
        &'a self,
        op: &Operation<'a>,
        name: &str,
    ) -> Option<(u16, &'a Value)> {
        let responses = op.op.get("responses")?.as_object()?;
        responses.iter().find_map(|(code, response)| {
            let media = self
                .resolve(response)
                .get("content")?
                .get("application/json")?;
            let example = media.get("examples")?.get(name)?;
            Some((code.parse().ok()?, self.resolve(example).get("value")?))
        })
    }
}
