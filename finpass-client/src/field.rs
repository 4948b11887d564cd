//! What a builder setter accepts: the field's typed value, or the text a caller holds (`&str`,
//! `String`, `&String`, and for an optional field `Option` of them). Text is parsed when the request
//! is built, so a bad value fails the call before anything is sent, with an error naming the field,
//! the same path as any other invalid input.
//!
//! `cargo xtask generate` bounds the setters of `types::builder` with [`IntoField`] where the field
//! is text-like, and marks each generated type that parses from text (constrained strings, enums)
//! with [`FromText`]; the identifiers of `ids` mark themselves.

use std::fmt::Display;
use std::str::FromStr;

/// A value a builder setter takes for a field of type `T`. Implemented for:
/// - a field whose type parses from text (the identifiers [`Pan`](crate::ids::Pan),
///   [`Cin`](crate::ids::Cin), [`Llpin`](crate::ids::Llpin), the spec's constrained strings such as
///   `types::MobileNumber`, its enums such as `types::ConsentType`): the typed value, `&str`,
///   `String` or `&String`, and for an optional field also `Option` of the typed value, of `&str`
///   or of `String`;
/// - an optional plain-text field: `&str`, `String`, `&String`, `Option<&str>` or `Option<String>`.
///
/// Text is checked when the request is built: a value that does not parse fails the call with
/// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest), naming the field, and nothing is
/// sent. An unset optional field needs no call (a bare `None` has no type to parse into).
///
/// ```
/// use finpass_client::types;
///
/// let from_a_form: Option<String> = Some("abcps1234k".to_owned());
/// let request = types::AaInitializeRequest::builder()
///     .mobile_number("9999000000")
///     .consent_type("loan_underwriting")
///     .pan_number(from_a_form) // parsed (and upper-cased) when the request is built
///     .email("user@example.com");
/// let request = types::AaInitializeRequest::try_from(request)?;
/// assert_eq!(request.pan_number.unwrap().as_str(), "ABCPS1234K");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Sealed: only this crate implements it.
pub trait IntoField<T>: sealed::Sealed {
    /// The field's value, or why the text does not parse (the setter adds the field's name).
    #[doc(hidden)]
    fn into_field(self) -> Result<T, String>;
}

/// A field type that parses from text with its `FromStr` (whose error names what is wrong, never
/// the value). Not nameable outside this crate.
pub trait FromText: FromStr<Err: Display> {}

mod sealed {
    /// The sources [`super::IntoField`] is implemented for.
    pub trait Sealed {}
}

fn parse<X: FromText>(text: &str) -> Result<X, String> {
    text.parse().map_err(|e: X::Err| e.to_string())
}

impl<X: FromText> sealed::Sealed for X {}
impl sealed::Sealed for &str {}
impl sealed::Sealed for String {}
impl sealed::Sealed for &String {}
impl<X: FromText> sealed::Sealed for Option<X> {}
impl sealed::Sealed for Option<&str> {}
impl sealed::Sealed for Option<String> {}

// A required field whose type parses from text.
impl<X: FromText> IntoField<X> for X {
    fn into_field(self) -> Result<X, String> {
        Ok(self)
    }
}
impl<X: FromText> IntoField<X> for &str {
    fn into_field(self) -> Result<X, String> {
        parse(self)
    }
}
impl<X: FromText> IntoField<X> for String {
    fn into_field(self) -> Result<X, String> {
        parse(&self)
    }
}
impl<X: FromText> IntoField<X> for &String {
    fn into_field(self) -> Result<X, String> {
        parse(self)
    }
}

// An optional field whose type parses from text.
impl<X: FromText> IntoField<Option<X>> for X {
    fn into_field(self) -> Result<Option<X>, String> {
        Ok(Some(self))
    }
}
impl<X: FromText> IntoField<Option<X>> for Option<X> {
    fn into_field(self) -> Result<Option<X>, String> {
        Ok(self)
    }
}
impl<X: FromText> IntoField<Option<X>> for &str {
    fn into_field(self) -> Result<Option<X>, String> {
        parse(self).map(Some)
    }
}
impl<X: FromText> IntoField<Option<X>> for String {
    fn into_field(self) -> Result<Option<X>, String> {
        parse(&self).map(Some)
    }
}
impl<X: FromText> IntoField<Option<X>> for &String {
    fn into_field(self) -> Result<Option<X>, String> {
        parse(self).map(Some)
    }
}
impl<X: FromText> IntoField<Option<X>> for Option<&str> {
    fn into_field(self) -> Result<Option<X>, String> {
        self.map(parse).transpose()
    }
}
impl<X: FromText> IntoField<Option<X>> for Option<String> {
    fn into_field(self) -> Result<Option<X>, String> {
        self.as_deref().map(parse).transpose()
    }
}

// An optional plain-text field (a required one keeps `TryInto<String>`, which takes all of these).
impl IntoField<Option<String>> for &str {
    fn into_field(self) -> Result<Option<String>, String> {
        Ok(Some(self.to_owned()))
    }
}
impl IntoField<Option<String>> for String {
    fn into_field(self) -> Result<Option<String>, String> {
        Ok(Some(self))
    }
}
impl IntoField<Option<String>> for &String {
    fn into_field(self) -> Result<Option<String>, String> {
        Ok(Some(self.clone()))
    }
}
impl IntoField<Option<String>> for Option<&str> {
    fn into_field(self) -> Result<Option<String>, String> {
        Ok(self.map(str::to_owned))
    }
}
impl IntoField<Option<String>> for Option<String> {
    fn into_field(self) -> Result<Option<String>, String> {
        Ok(self)
    }
}
