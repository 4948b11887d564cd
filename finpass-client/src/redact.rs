//! The one redaction rule for response bodies that leave the process for tooling: the client's drift
//! capture writes bodies through it, and `finpass-spec drift` shows samples through it (through
//! `capture::redact_values` and `capture::safe_key`). Self-contained on purpose: it uses nothing but
//! `serde_json` (the fuzz targets compile it by path).
//!
//! A redacted body keeps the structure (member names, JSON types, array lengths) and nothing else:
//! strings become `""`, integers `0`, other numbers `0.0` (so integer/number drift stays visible),
//! booleans and nulls stay. Strings and integers at the `keep` paths (enum locations such as
//! `/data/status`, envelope codes) are kept, so a new enum value still shows up as drift. Object keys
//! that look like data (a date, an account or mobile number, a PAN, an e-mail) become `<key>`.

use serde_json::{Map, Value};

/// What a data-like object key is replaced with.
pub const DATA_KEY: &str = "<key>";

/// `body` with every value removed except at the `keep` paths. Paths are JSON-pointer-like, with
/// `[]` for any array item and `<key>` for a data-like key: `/data/accounts/[]/status`.
pub fn redact(body: &Value, keep: &[&str]) -> Value {
    walk(body, &mut String::new(), keep)
}

fn walk(value: &Value, at: &mut String, keep: &[&str]) -> Value {
    let kept = || keep.contains(&at.as_str());
    match value {
        Value::String(s) if kept() => Value::String(s.clone()),
        Value::String(_) => Value::String(String::new()),
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            if kept() {
                value.clone()
            } else {
                Value::from(0)
            }
        }
        Value::Number(_) => Value::from(0.0),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| nested(v, at, "[]", keep)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let name = safe_key(k);
                    let redacted = nested(v, at, &name, keep);
                    (name, redacted)
                })
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

/// Walks `value` at `at/segment`, restoring `at` afterwards (one buffer for the whole walk).
fn nested(value: &Value, at: &mut String, segment: &str, keep: &[&str]) -> Value {
    let len = at.len();
    at.push('/');
    at.push_str(segment);
    let out = walk(value, at, keep);
    at.truncate(len);
    out
}

/// An object key as it may leave the process. Field names are schema, but some objects are keyed by
/// data: those become `<key>`. Data-like means: not identifier-shaped (`@`, spaces), or a run of 4+
/// digits with no lower-case letter (`ABCDE1234F`, `9876543210`, `2024-05-01`), which keeps names
/// such as `fy2024_income`.
pub fn safe_key(key: &str) -> String {
    let identifier = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let mut run = 0;
    let long_digit_run = key.chars().any(|c| {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        run >= 4
    });
    let has_lower = key.chars().any(|c| c.is_ascii_lowercase());
    let looks_like_data = long_digit_run && !has_lower;
    if key.is_empty() || (identifier && !looks_like_data) {
        key.to_owned()
    } else {
        DATA_KEY.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_structure_and_kept_paths_but_no_personal_data() {
        let body = json!({"success": true, "message": "ok", "status_code": 200, "data": {
            "client_id": "bsa_clnt_9", "status": "data_fetched", "mobile_number": "9876543210",
            "balances": {"2024-05-01": 120.5}, "count": 7, "fy2024_income": 1,
            "accounts": [{"status": "active", "pan": "ABCDE1234F"}], "by_email": {"a@b.in": 1}
        }});
        let keep = ["/data/status", "/status_code", "/data/accounts/[]/status"];
        let red = redact(&body, &keep);
        assert_eq!(red["data"]["status"], "data_fetched");
        assert_eq!(red["status_code"], 200);
        assert_eq!(red["data"]["accounts"][0]["status"], "active");
        assert_eq!(red["data"]["accounts"][0]["pan"], "");
        assert_eq!(red["data"]["mobile_number"], "");
        assert_eq!(red["data"]["balances"], json!({"<key>": 0.0}));
        assert_eq!(red["data"]["count"], 0);
        assert_eq!(red["data"]["fy2024_income"], 0);
        assert_eq!(red["data"]["by_email"], json!({"<key>": 0}));
        assert_eq!(red["success"], true);
        let text = red.to_string();
        for value in [
            "9876543210",
            "bsa_clnt_9",
            "ABCDE1234F",
            "a@b.in",
            "2024-05-01",
            "120.5",
        ] {
            assert!(!text.contains(value), "{value} leaked: {text}");
        }
    }

    #[test]
    fn data_like_keys_are_hidden_and_names_kept() {
        for name in ["status", "fy2024_income", "account-type", "x.y"] {
            assert_eq!(safe_key(name), name);
        }
        for data in [
            "ABCDE1234F",
            "9876543210",
            "2024-05-01",
            "a@b.in",
            "Ravi Kumar",
        ] {
            assert_eq!(safe_key(data), DATA_KEY, "{data}");
        }
    }
}
