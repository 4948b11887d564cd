//! Value constraints (pattern, lengths, bounds, item counts, format, multipleOf, uniqueItems).
//!
//! A request constraint that gets tighter refuses values that used to pass: breaking. A response
//! constraint that gets looser lets the server send values a validating client (typify's constrained
//! newtypes) refuses: a warning. The other two directions cannot hurt a caller: info.

use serde_json::Value;

use super::Side;
use super::schema::field;
use super::walk::{Ctx, Dir, Walker};
use crate::gate::Severity;

/// Lower bounds: a larger value (or a new bound) is tighter.
const LOWER: &[&str] = &["minLength", "minimum", "minItems", "minProperties"];
/// Upper bounds: a smaller value (or a new bound) is tighter.
const UPPER: &[&str] = &["maxLength", "maximum", "maxItems", "maxProperties"];
/// Constraints that are either the same or different (any change may refuse old values).
const EXACT: &[&str] = &["pattern", "format", "multipleOf"];
/// Flags that tighten when they turn on.
const FLAGS: &[&str] = &["uniqueItems", "exclusiveMinimum", "exclusiveMaximum"];

/// `Some(true)` tighter, `Some(false)` looser, `None` unchanged.
fn compare(key: &str, old: Option<&Value>, new: Option<&Value>) -> Option<bool> {
    if old == new {
        return None;
    }
    let num = |v: Option<&Value>| v.and_then(Value::as_f64);
    if LOWER.contains(&key) || UPPER.contains(&key) {
        return Some(match (num(old), num(new)) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) if LOWER.contains(&key) => b > a,
            (Some(a), Some(b)) => b < a,
            (None, None) => return None,
        });
    }
    if FLAGS.contains(&key) {
        let on = |v: Option<&Value>| v.and_then(Value::as_bool).unwrap_or(false);
        return (on(old) != on(new)).then_some(on(new));
    }
    // A pattern that only widens its character classes accepts everything it did (`pattern.rs`).
    if key == "pattern"
        && let (Some(Value::String(old)), Some(Value::String(new))) = (old, new)
        && super::pattern::widens(old, new)
    {
        return Some(false);
    }
    // pattern, format, multipleOf: a new or different one is tighter; a removed one looser.
    Some(new.is_some())
}

fn shown(v: Option<&Value>) -> String {
    match v {
        None => "none".into(),
        Some(Value::String(s)) => format!("`{s}`"),
        Some(other) => other.to_string(),
    }
}

impl Walker<'_> {
    pub(super) fn constraints(&mut self, dir: Dir, ctx: &Ctx, old: &Value, new: &Value) {
        for key in LOWER.iter().chain(UPPER).chain(EXACT).chain(FLAGS) {
            let (o, n) = (old.get(*key), new.get(*key));
            let Some(tighter) = compare(key, o, n) else {
                continue;
            };
            let (severity, rule) = match (dir, tighter) {
                (Dir::Request, true) => (Severity::Breaking, "tightened-request-constraint"),
                (Dir::Request, false) => (Severity::Info, "relaxed-request-constraint"),
                (Dir::Response, false) => (Severity::Warning, "relaxed-response-constraint"),
                (Dir::Response, true) => (Severity::Info, "tightened-response-constraint"),
            };
            let c = ctx.key("", &format!("/{key}"));
            let side = if n.is_some() { Side::New } else { Side::Old };
            let detail = format!("`{key}` of `{}`: {} → {}", field(ctx), shown(o), shown(n));
            self.push(severity, rule, &c, side, &detail);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use serde_json::json;

    #[test]
    fn directions() {
        let (n10, n5, n1, n3) = (json!(10), json!(5), json!(1), json!(3));
        let (a, b, email, off, on) = (
            json!("a"),
            json!("b"),
            json!("email"),
            json!(false),
            json!(true),
        );
        assert_eq!(compare("maxLength", Some(&n10), Some(&n5)), Some(true));
        assert_eq!(compare("maxLength", Some(&n5), Some(&n10)), Some(false));
        assert_eq!(compare("minimum", None, Some(&n1)), Some(true));
        assert_eq!(compare("minimum", Some(&n1), None), Some(false));
        assert_eq!(compare("pattern", Some(&a), Some(&b)), Some(true));
        let (upper, either) = (json!("^[A-Z0-9]{10}$"), json!("^[A-Za-z0-9]{10}$"));
        assert_eq!(compare("pattern", Some(&upper), Some(&either)), Some(false));
        assert_eq!(compare("pattern", Some(&either), Some(&upper)), Some(true));
        assert_eq!(compare("format", Some(&email), None), Some(false));
        assert_eq!(compare("uniqueItems", None, Some(&off)), None);
        assert_eq!(compare("uniqueItems", None, Some(&on)), Some(true));
        assert_eq!(compare("maxItems", Some(&n3), Some(&n3)), None);
    }
}
