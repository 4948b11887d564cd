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

/// A key as a path may show it: what the redaction rule keeps, minus any key with a run of four or
/// more digits (redaction keeps `acct_98765432` for drift; a path that only locates the failure does
/// not need it), and nothing very long.
fn safe_segment(key: &str) -> String {
    let mut run = 0;
    let digit_run = key.chars().any(|c| {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        run >= 4
    });
    if key.len() > SEGMENT_LIMIT || digit_run {
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
mod tests;
