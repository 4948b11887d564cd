//! What an error may say about a response body: its size and kind, and for a body that did not
//! decode, where (a JSON path whose data-like keys are hidden) and what was expected. Never a value
//! from it: bodies carry PANs, mobile numbers and e-mail addresses, and errors end up in logs.
//!
//! A leaf apart from the one redaction rule for object keys (`crate::redact::safe_key`), so that the
//! fuzz crate can compile it by path next to `redact.rs`.

use std::fmt;

use serde::de::DeserializeOwned;

/// Longest JSON path an error shows; deeper paths keep their last segments.
const PATH_LIMIT: usize = 160;
/// A path segment longer than this is shown as a hidden key whatever it looks like.
const SEGMENT_LIMIT: usize = 64;

/// Where a body stopped matching its type, and what the type wanted there. No value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(dead_code, reason = "built by the call path's failure branch")]
pub(crate) struct DecodeFailure {
    /// JSON-pointer-like path (`/data/accounts/0/status`); data-like keys are `<key>`.
    pub path: String,
    /// serde's complaint with every quoted value removed (`invalid type: string, expected u64`).
    pub expected: String,
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "at the top level: {}", self.expected)
        } else {
            write!(f, "at `{}`: {}", self.path, self.expected)
        }
    }
}

/// Decodes `body` as `T` again, tracking the path, to say where it failed. Only for the failure
/// path: it costs a second parse. A body that unexpectedly decodes reports that plainly.
#[allow(dead_code, reason = "called by the call path's failure branch")]
pub(crate) fn decode_failure<T: DeserializeOwned>(body: &[u8]) -> DecodeFailure {
    let mut de = serde_json::Deserializer::from_slice(body);
    let trailing = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            return DecodeFailure {
                path: path(e.path()),
                expected: value_free(e.inner()),
            };
        }
        // `serde_json::from_slice` rejects trailing bytes too; report them the same way.
        Ok(_) => de.end().err(),
    };
    DecodeFailure {
        path: String::new(),
        expected: trailing.map_or_else(
            || "the body decodes on a second reading".to_owned(),
            |e| value_free(&e),
        ),
    }
}

fn path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => safe_segment(key),
            Segment::Enum { variant } => safe_segment(variant),
            Segment::Unknown => "?".to_owned(),
        })
        .collect();
    let mut shown = String::new();
    for segment in segments.iter().rev() {
        if shown.len() + segment.len() + 1 > PATH_LIMIT {
            shown.insert_str(0, "/…");
            break;
        }
        shown.insert_str(0, segment);
        shown.insert(0, '/');
    }
    shown
}

fn safe_segment(key: &str) -> String {
    if key.len() > SEGMENT_LIMIT {
        crate::redact::DATA_KEY.to_owned()
    } else {
        crate::redact::safe_key(key)
    }
}

/// serde_json's message without any value it quotes. Syntax and end-of-input messages never quote
/// one; data messages do (`invalid type: string "9876543210"`), so only their shape is kept, and a
/// message of unknown shape is replaced outright.
pub(crate) fn value_free(error: &serde_json::Error) -> String {
    let full = error.to_string();
    // serde_json appends the position; it is numbers only and helps find the spot in `body()`.
    let (message, position) = match full.rfind(" at line ") {
        Some(i) if error.line() > 0 => full.split_at(i),
        _ => (full.as_str(), ""),
    };
    let reduced = match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            message.to_owned()
        }
        serde_json::error::Category::Io => "the body could not be read".to_owned(),
        serde_json::error::Category::Data => data_message(message),
    };
    format!("{reduced}{position}")
}

/// The shape of a serde data error. Everything kept comes from the Rust type (field and variant
/// names, expected types, patterns), never from the body.
fn data_message(message: &str) -> String {
    // What the type expected always comes last, after the body's value: everything after the last
    // `, expected ` belongs to the type even when the value itself contains that text.
    let expected = |rest: &str| match rest.rfind(", expected ") {
        Some(i) => format!(", {}", &rest[i + 2..]),
        None => String::new(),
    };
    for (prefix, what) in [
        ("invalid type: ", "invalid type"),
        ("invalid value: ", "invalid value"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return format!("{what}: {}{}", unexpected_kind(rest), expected(rest));
        }
    }
    for (prefix, what, none) in [
        (
            "unknown variant ",
            "unknown variant",
            ", there are no variants",
        ),
        ("unknown field ", "unknown field", ", there are no fields"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return match rest.strip_suffix(none) {
                Some(_) => format!("{what}{none}"),
                None => format!("{what}{}", expected(rest)),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let count: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return format!("invalid length {count}{}", expected(rest));
    }
    // Messages that name only the type's own vocabulary: derived structs, untagged enums, typify's
    // constraint checks and the crate's identifier newtypes.
    const TYPE_ONLY: [&str; 8] = [
        "missing field `",
        "duplicate field `",
        "data did not match any variant of untagged enum ",
        "doesn't match pattern ",
        "longer than ",
        "shorter than ",
        "not a valid ",
        "the ITR portal password is empty",
    ];
    if message == "invalid value" || TYPE_ONLY.iter().any(|p| message.starts_with(p)) {
        return message.to_owned();
    }
    "a value its type rejects".to_owned()
}

/// `string "…"` → `string`, `integer `5`` → `integer`: the kind of the body's value, not the value.
fn unexpected_kind(rest: &str) -> &'static str {
    const KINDS: [&str; 17] = [
        "string",
        "integer",
        "floating point",
        "boolean",
        "character",
        "byte array",
        "unit value",
        "Option value",
        "newtype struct",
        "sequence",
        "map",
        "unit variant",
        "newtype variant",
        "tuple variant",
        "struct variant",
        "enum",
        "null",
    ];
    KINDS
        .iter()
        .find(|kind| {
            rest.strip_prefix(**kind)
                .is_some_and(|after| after.is_empty() || after.starts_with([' ', ',']))
        })
        .copied()
        .unwrap_or("a value")
}

/// What a body was, in words: `an empty body`, `a 5120-byte HTML body`. Judged from the bytes, not
/// from `Content-Type`, which a broken gateway gets wrong as often as the body.
pub(crate) fn describe_body(body: &[u8]) -> String {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &body[i..]);
    let kind = match start.first() {
        None if body.is_empty() => return "an empty body".to_owned(),
        None => "blank",
        Some(b'{' | b'[') => "JSON-like",
        Some(b'<') => {
            let head = &start[..start.len().min(64)];
            let lower = head.to_ascii_lowercase();
            if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
                "HTML"
            } else {
                "XML or HTML"
            }
        }
        Some(_) if std::str::from_utf8(body).is_ok() => "text",
        Some(_) => "binary",
    };
    format!("a {}-byte {kind} body", body.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    const CANARIES: [&str; 4] = [
        "ABCDE1234F",
        "9876543210",
        "ravi.k@example.in",
        "Ravi Kumar",
    ];

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "decoded only to fail")]
    struct Account {
        status: Status,
        count: u64,
        tags: [u8; 2],
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Status {
        Active,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "decoded only to fail")]
    struct Report {
        accounts: Vec<Account>,
        by_pan: std::collections::BTreeMap<String, u64>,
    }

    fn assert_value_free(shown: &str) {
        for canary in CANARIES {
            assert!(!shown.contains(canary), "{canary} in {shown}");
        }
    }

    #[test]
    fn data_errors_keep_path_and_expected_type_but_no_value() {
        let ok = r#"{"status":"active","count":1,"tags":[1,2]}"#;
        for (body, at, expected) in [
            (
                r#"{"accounts":[{"status":"ABCDE1234F","count":1,"tags":[1,2]}],"by_pan":{}}"#,
                "/accounts/0/status",
                "unknown variant, expected `active`",
            ),
            (
                r#"{"accounts":[{"status":"active","count":"9876543210","tags":[1,2]}],"by_pan":{}}"#,
                "/accounts/0/count",
                "invalid type: string, expected u64",
            ),
            (
                r#"{"accounts":[{"status":"active","count":-98765,"tags":[1,2]}],"by_pan":{}}"#,
                "/accounts/0/count",
                "invalid value: integer, expected u64",
            ),
            (
                &format!(r#"{{"accounts":[{ok}],"by_pan":{{"ABCDE1234F":"ravi.k@example.in"}}}}"#),
                "/by_pan/<key>",
                "invalid type: string, expected u64",
            ),
            (
                r#"{"accounts":[{"status":"active","count":1,"tags":[1,2,3]}],"by_pan":{}}"#,
                "/accounts/0/tags",
                "trailing characters",
            ),
            (
                r#"{"accounts":[{"status":"active","count":1}],"by_pan":{}}"#,
                "/accounts/0",
                "missing field `tags`",
            ),
        ] {
            let failure = decode_failure::<Report>(body.as_bytes());
            assert_eq!(failure.path, at, "{body}");
            assert!(failure.expected.starts_with(expected), "{failure:?}");
            assert_value_free(&failure.to_string());
        }
    }

    #[test]
    fn a_value_that_imitates_the_message_format_stays_hidden() {
        // The variant tries to smuggle text in after a fake `, expected `.
        let body = r#"{"accounts":[{"status":"x`, expected PAN ABCDE1234F and","count":1,"tags":[1,2]}],"by_pan":{}}"#;
        let failure = decode_failure::<Report>(body.as_bytes());
        assert_value_free(&failure.to_string());
        assert!(
            failure.expected.contains(", expected `active`"),
            "{failure:?}"
        );
    }

    #[test]
    fn syntax_errors_and_trailing_bytes_are_shown_with_their_position() {
        let failure = decode_failure::<Report>(b"{\"accounts\": [} 9876543210");
        assert!(failure.expected.contains("line 1 column"), "{failure:?}");
        assert_value_free(&failure.to_string());
        let failure = decode_failure::<Status>(b"\"active\" 9876543210");
        assert_eq!(failure.path, "");
        assert!(
            failure.expected.starts_with("trailing characters"),
            "{failure:?}"
        );
        assert_eq!(
            decode_failure::<Status>(b"\"active\"").expected,
            "the body decodes on a second reading"
        );
    }

    #[test]
    fn unknown_custom_messages_are_replaced() {
        let e = <serde_json::Error as serde::de::Error>::custom("bad PAN ABCDE1234F");
        assert_eq!(value_free(&e), "a value its type rejects");
        let e = <serde_json::Error as serde::de::Error>::custom(
            "doesn't match pattern \"^[0-9]{10}$\"",
        );
        assert_eq!(value_free(&e), "doesn't match pattern \"^[0-9]{10}$\"");
    }

    #[test]
    fn long_paths_keep_their_tail_and_long_keys_are_hidden() {
        let deep = format!(
            "{}1{}",
            r#"{"aaaaaaaaaaaaaaaaaaaa":"#.repeat(20),
            "}".repeat(20)
        );
        let failure = decode_failure::<std::collections::BTreeMap<String, serde_json::Value>>(
            deep.as_bytes(),
        );
        assert_eq!(failure.path, "", "a map of values decodes: {failure:?}");
        let long_key = format!(r#"{{"{}": "x"}}"#, "k".repeat(100));
        let failure = decode_failure::<std::collections::BTreeMap<String, u8>>(long_key.as_bytes());
        assert_eq!(failure.path, "/<key>");
        let nested = format!("{}\"x\"{}", "[".repeat(100), "]".repeat(100));
        let failure = decode_failure::<Vec<Vec<Vec<Vec<Vec<u8>>>>>>(nested.as_bytes());
        assert!(failure.path.len() <= PATH_LIMIT + 4, "{failure:?}");
    }

    #[test]
    fn bodies_are_described_by_size_and_kind_only() {
        assert_eq!(describe_body(b""), "an empty body");
        assert_eq!(describe_body(b"  \n"), "a 3-byte blank body");
        assert_eq!(
            describe_body(b"<!DOCTYPE html><p>9876543210</p>"),
            "a 32-byte HTML body"
        );
        assert_eq!(describe_body(b" {\"pan\": 1}"), "a 11-byte JSON-like body");
        assert_eq!(describe_body(b"<Error/>"), "a 8-byte XML or HTML body");
        assert_eq!(describe_body(b"ravi.k@example.in"), "a 17-byte text body");
        assert_eq!(describe_body(&[0xff, 0xfe]), "a 2-byte binary body");
    }
}
