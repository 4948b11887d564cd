//! Personal data in `Debug`: the one rule for values the spec classifies (`x-finpass-personal`).
//!
//! `Debug` is how data reaches logs by accident (`tracing::info!(?response)`, `dbg!`, `unwrap` on a
//! `Result`), so every generated type shows a classified value as `"<redacted: CATEGORY>"` and an open
//! map of members the spec does not declare as its keys with redacted values. The generator
//! (`cargo xtask generate`) writes those `Debug` impls from the spec; the handwritten types use
//! the same two wrappers. [`Reveal`] is the one deliberate way to see the values.
//!
//! `Display` is not redacted where a type has it: requests, responses and builders have none, and a
//! value type's `Display` (`Pan`, an enum) is its conversion to text, which a caller asks for by name
//! (`to_string()`, `{}`). An error's `Display` follows its own rule for the server's message.

use std::fmt;

/// Whether the value being formatted was wrapped in [`Reveal`]: it formats its value with the `-`
/// flag, which no other formatting in this crate uses, and the formatter hands its flags to every
/// nested `Debug` (struct fields, `Option`, lists, maps). A nested value formatted through a new
/// format string loses the flag and stays redacted: the rule fails closed.
pub(crate) fn revealing(f: &fmt::Formatter<'_>) -> bool {
    f.sign_minus()
}

/// Shows personal data in `Debug` (and `Display`) on purpose: `{:?}` of `Reveal(&value)` prints
/// every value of `value` that a plain `{:?}` redacts, and `Reveal(&error)` prints an error's full
/// server message. The call site says that personal data is printed, so a review can find it.
/// (It formats the value with the `-` flag, `{:-?}`, which is what the redacting impls look for; no
/// state outside the formatter is involved.)
///
/// ```
/// use finpass_client::{Reveal, types};
///
/// let request = types::AaInitializeRequest::builder()
///     .mobile_number("9999000000")
///     .consent_type("loan_underwriting");
/// assert!(!format!("{request:?}").contains("9999000000"));
/// assert!(format!("{request:?}").contains("<redacted: contact>"));
/// assert!(format!("{:?}", Reveal(&request)).contains("9999000000"));
/// ```
#[derive(Clone, Copy)]
pub struct Reveal<T>(pub T);

impl<T: fmt::Debug> fmt::Debug for Reveal<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            write!(f, "{:-#?}", self.0)
        } else {
            write!(f, "{:-?}", self.0)
        }
    }
}

impl<T: fmt::Display> fmt::Display for Reveal<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:-}", self.0)
    }
}

/// A classified value in `Debug`: `"<redacted: contact>"`, or the value under [`Reveal`].
pub(crate) struct Redacted<'a> {
    /// The category (or categories, `name, contact`) the spec gives the value.
    label: &'static str,
    value: &'a dyn fmt::Debug,
}

impl<'a> Redacted<'a> {
    pub(crate) fn new(label: &'static str, value: &'a dyn fmt::Debug) -> Self {
        Redacted { label, value }
    }
}

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if revealing(f) {
            self.value.fmt(f)
        } else {
            write!(f, "\"<redacted: {}>\"", self.label)
        }
    }
}

/// Members the spec does not declare (an `extra` map, an open object): the keys stay visible (a
/// data-like key is hidden by the one redaction rule for keys, [`crate::redact::safe_key`]), every
/// value is redacted under the object's category, `unclassified` when the spec gives none.
pub(crate) struct Members<'a> {
    label: &'static str,
    members: &'a serde_json::Map<String, serde_json::Value>,
}

impl<'a> Members<'a> {
    pub(crate) fn new(
        label: &'static str,
        members: &'a serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        Members { label, members }
    }
}

impl fmt::Debug for Members<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if revealing(f) {
            return self.members.fmt(f);
        }
        let mut map = f.debug_map();
        for (key, value) in self.members {
            map.entry(
                &crate::redact::safe_key(key),
                &Redacted::new(self.label, value),
            );
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_values_keeps_keys_and_reveals_only_on_request() {
        let members: serde_json::Map<_, _> =
            serde_json::from_str(r#"{"name": "Ravi Kumar", "9876543210": 1, "score": 712}"#)
                .unwrap();
        let shown = format!("{:?}", Members::new("credit", &members));
        assert_eq!(
            shown,
            r#"{"<key>": "<redacted: credit>", "name": "<redacted: credit>", "score": "<redacted: credit>"}"#
        );
        let revealed = format!("{:?}", Reveal(Members::new("credit", &members)));
        assert!(revealed.contains("Ravi Kumar") && revealed.contains("9876543210"));
        // The flag ends with the `Reveal` that set it.
        assert_eq!(
            format!("{:?}", Redacted::new("contact", &"9876543210")),
            "\"<redacted: contact>\""
        );
    }

    #[test]
    fn reveal_reaches_nested_values_and_keeps_pretty_printing() {
        #[derive(Debug)]
        #[allow(dead_code, reason = "read by Debug")]
        struct Journey<'a> {
            mobile: Option<Redacted<'a>>,
            others: Vec<Redacted<'a>>,
        }
        let journey = || Journey {
            mobile: Some(Redacted::new("contact", &"9876543210")),
            others: vec![Redacted::new("contact", &"a@b.in")],
        };
        let plain = format!("{:?}", journey());
        assert!(
            !plain.contains("9876543210") && !plain.contains("a@b.in"),
            "{plain}"
        );
        let revealed = format!("{:?}", Reveal(journey()));
        assert!(
            revealed.contains("9876543210") && revealed.contains("a@b.in"),
            "{revealed}"
        );
        let pretty = format!("{:#?}", Reveal(journey()));
        assert!(
            pretty.contains("\n") && pretty.contains("9876543210"),
            "{pretty}"
        );
        // A value formatted through a new format string loses the flag: it stays redacted.
        struct Rewrapped<'a>(Redacted<'a>);
        impl fmt::Debug for Rewrapped<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }
        let closed = format!(
            "{:?}",
            Reveal(Rewrapped(Redacted::new("contact", &"9876543210")))
        );
        assert_eq!(closed, "\"<redacted: contact>\"");
    }
}
