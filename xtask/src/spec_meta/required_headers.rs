//! `x-finpass.required-headers`: headers an operation's page requires that OpenAPI 3.0 cannot declare
//! (it ignores a `Content-Type` header parameter). The operation table carries them and the client's
//! request hook sends them (DECISIONS.md, BSA-7).

use anyhow::{Result, bail};
use serde_json::Value;

/// `(lower-case name, value)` for each entry of the operation's `x-finpass.required-headers`, each a
/// `{name, value, description}` whose name is an HTTP token and whose value is visible ASCII, so the
/// hook's conversion to a header cannot fail.
pub(super) fn required_headers(id: &str, marker: &Value) -> Result<Vec<(String, String)>> {
    let Some(list) = marker.get("required-headers") else {
        return Ok(Vec::new());
    };
    let Some(list) = list.as_array() else {
        bail!("{id}: `x-finpass.required-headers` must be a list");
    };
    list.iter()
        .enumerate()
        .map(|(i, entry)| {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or_default();
            let (name, value) = (text("name"), text("value"));
            let at = format!("{id}: `x-finpass.required-headers[{i}]`");
            if name.is_empty() || value.is_empty() || text("description").is_empty() {
                bail!("{at} needs a `name`, a `value` and a `description` (why the page wants it)");
            }
            let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            if !name.bytes().all(token) {
                bail!("{at}: `{name}` is not an HTTP header name");
            }
            if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                bail!("{at}: the value of `{name}` must be visible ASCII");
            }
            Ok((name.to_ascii_lowercase(), value.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::required_headers;
    use serde_json::json;

    #[test]
    fn reads_the_headers_and_refuses_what_a_request_could_not_carry() {
        let ok = json!({"required-headers": [
            {"name": "Content-Type", "value": "application/json", "description": "the page says so"}
        ]});
        assert_eq!(
            required_headers("op", &ok).unwrap(),
            [("content-type".to_owned(), "application/json".to_owned())]
        );
        assert!(required_headers("op", &json!({})).unwrap().is_empty());
        for (bad, says) in [
            (json!({"required-headers": {"name": "a"}}), "must be a list"),
            (
                json!({"required-headers": [{"name": "A", "value": "b"}]}),
                "needs a `name`, a `value` and a `description`",
            ),
            (
                json!({"required-headers": [{"name": "Content Type", "value": "b", "description": "d"}]}),
                "is not an HTTP header name",
            ),
            (
                json!({"required-headers": [{"name": "A", "value": "é", "description": "d"}]}),
                "must be visible ASCII",
            ),
        ] {
            let e = required_headers("op", &bad).unwrap_err().to_string();
            assert!(e.starts_with("op") && e.contains(says), "{e}");
        }
    }
}
