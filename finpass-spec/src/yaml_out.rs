//! YAML for the export, readable the same by YAML 1.1 and 1.2 parsers.
//!
//! serde_yaml writes YAML 1.2: `2024-05-01`, `on`, `yes` stay plain, and YAML 1.1 tools (PyYAML,
//! many generators) then read a date or a boolean where the JSON export has a string. Here a string
//! is plain only when it starts with a letter, `/`, `_` or `$` and is none of the words YAML 1.1 reads
//! as a boolean or null; anything else is quoted. Numbers are written so YAML 1.1 also reads them as
//! numbers (`1.0e+300`, not `1e300`).

use serde_json::Value;

/// The document as block YAML (keys in the order of `value`).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => object(map, 0, &mut out),
        Value::Array(items) if !items.is_empty() => sequence(items, 0, &mut out),
        scalar => {
            out.push_str(&inline(scalar).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// Words YAML 1.1 resolves to booleans or null (compared case-insensitively, to be safe).
const SPECIAL_WORDS: &[&str] = &[
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
];

/// Characters YAML treats as line breaks or byte-order marks, which a plain or single-quoted
/// scalar would lose.
fn is_break_like(c: char) -> bool {
    c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Whether `s` reads back as the same string, unquoted, under YAML 1.1 and 1.2.
pub fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || matches!(first, '/' | '_' | '$'))
        && !SPECIAL_WORDS.contains(&s.to_ascii_lowercase().as_str())
        && !s.chars().any(is_break_like)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([':', ' '])
}

/// A double-quoted scalar with YAML escapes (JSON's escaping misses YAML's extra line breaks).
fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if is_break_like(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn string(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_owned()
    } else if s.chars().any(is_break_like) {
        double_quoted(s)
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn number(n: &serde_json::Number) -> String {
    let text = n.to_string();
    if !(n.is_f64() && text.contains(['e', 'E'])) {
        return text;
    }
    // YAML 1.1 floats need a `.` in the mantissa and a sign in the exponent.
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((&text, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_owned()
    } else {
        format!("{mantissa}.0")
    };
    let exponent = if exponent.starts_with(['-', '+']) {
        exponent.to_owned()
    } else {
        format!("+{exponent}")
    };
    format!("{mantissa}e{exponent}")
}

/// A scalar or empty collection on one line; `None` for what needs its own lines.
fn inline(value: &Value) -> Option<String> {
    Some(match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) if s.contains('\n') && literal_ok(s) => return None,
        Value::String(s) => string(s),
        Value::Array(items) if items.is_empty() => "[]".into(),
        Value::Object(map) if map.is_empty() => "{}".into(),
        _ => return None,
    })
}

/// A multi-line string that a literal block (`|`) keeps exactly.
fn literal_ok(s: &str) -> bool {
    !s.starts_with([' ', '\n']) && !s.chars().any(|c| c != '\n' && is_break_like(c))
}

fn literal(s: &str, indent: usize, out: &mut String) {
    let body = s.trim_end_matches('\n');
    let chomp = match s.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    out.push_str(&format!("|{chomp}\n"));
    let pad = " ".repeat(indent);
    let lines: Vec<&str> = if chomp == "+" {
        s[..s.len() - 1].split('\n').collect()
    } else {
        body.split('\n').collect()
    };
    for line in lines {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}{line}\n"));
        }
    }
}

/// `value` after `key:` or `-`, at block indentation `indent`.
fn after_indicator(value: &Value, indent: usize, out: &mut String) {
    if let Some(text) = inline(value) {
        out.push_str(&format!(" {text}\n"));
        return;
    }
    match value {
        Value::String(s) => {
            out.push(' ');
            literal(s, indent + 2, out);
        }
        Value::Object(map) => {
            out.push('\n');
            object(map, indent + 2, out);
        }
        Value::Array(items) => {
            out.push('\n');
            sequence(items, indent, out);
        }
        _ => unreachable!("scalars are inline"),
    }
}

fn object(map: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        let key = if key.contains('\n') {
            double_quoted(key)
        } else {
            string(key)
        };
        out.push_str(&format!("{pad}{key}:"));
        after_indicator(value, indent, out);
    }
}

fn sequence(items: &[Value], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for item in items {
        let nested = match item {
            Value::Object(map) if !map.is_empty() => {
                let mut inner = String::new();
                object(map, indent + 2, &mut inner);
                Some(inner)
            }
            Value::Array(list) if !list.is_empty() => {
                let mut inner = String::new();
                sequence(list, indent + 2, &mut inner);
                Some(inner)
            }
            _ => None,
        };
        match nested {
            // The first line of a nested block shares the dash's line.
            Some(inner) => out.push_str(&format!("{pad}- {}", &inner[indent + 2..])),
            None => {
                out.push_str(&format!("{pad}-"));
                after_indicator(item, indent, out);
            }
        }
    }
}
