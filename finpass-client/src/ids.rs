//! Identifiers the client normalises before validating: callers may pass either case (the CIN, LLPIN,
//! PAN Lookup and ITR pages say the server upper-cases them), and the client always sends upper case,
//! also to Multi-Bureau and AA Initialize, whose pages say nothing of case. The rules are the spec's
//! patterns (`Pan` and `PanUpperCase`, `Cin`, `Llpin`) applied to the upper-cased value; a contract test
//! checks they agree.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

/// Why an identifier was rejected. The message names the identifier and the expected shape, never
/// repeating the value (it is personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidId {
    what: &'static str,
    shape: &'static str,
}

impl fmt::Display for InvalidId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {}: expected {}", self.what, self.shape)
    }
}

impl std::error::Error for InvalidId {}

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident, $what:literal, $shape:literal, $check:expr, debug = $debug:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The normalised (upper-case, trimmed) value.
            ///
            /// ```
            /// use finpass_client::ids::{Cin, Llpin, Pan};
            ///
            /// assert_eq!(" abcde1234f ".parse::<Pan>()?.as_str(), "ABCDE1234F");
            /// let cin: Cin = "u74999mh2021ptc123456".parse()?;
            /// assert_eq!(cin.as_str(), "U74999MH2021PTC123456");
            /// assert_eq!("aaa-1234".parse::<Llpin>()?.as_str(), "AAA-1234");
            /// # Ok::<(), finpass_client::ids::InvalidId>(())
            /// ```
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(value: &str) -> Result<Self, InvalidId> {
                let normalised = value.trim().to_ascii_uppercase();
                let check: fn(&[u8]) -> bool = $check;
                if check(normalised.as_bytes()) {
                    Ok($name(normalised))
                } else {
                    Err(InvalidId { what: $what, shape: $shape })
                }
            }
        }

        // Builder setters take the identifier or its text (`crate::field`).
        impl crate::field::FromText for $name {}

        impl TryFrom<&str> for $name {
            type Error = InvalidId;
            fn try_from(value: &str) -> Result<Self, InvalidId> {
                value.parse()
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(value: String) -> Result<Self, InvalidId> {
                value.parse()
            }
        }

        impl TryFrom<&String> for $name {
            type Error = InvalidId;
            fn try_from(value: &String) -> Result<Self, InvalidId> {
                value.parse()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let debug: fn(&str, &mut fmt::Formatter<'_>) -> fmt::Result = $debug;
                debug(&self.0, f)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
            }
        }
    };
    ($(#[$doc:meta])* $name:ident, $what:literal, $shape:literal, $check:expr) => {
        identifier!($(#[$doc])* $name, $what, $shape, $check, debug = |value: &str, f: &mut fmt::Formatter<'_>| {
            // Masked: a company's identifier is not personal data, but it stays out of logs all the same.
            write!(f, concat!(stringify!($name), "(***{})"), &value[value.len().saturating_sub(2)..])
        });
    };
}

/// Upper-case letters and digits only (the input is upper-cased first).
fn alphanumeric(b: &[u8]) -> bool {
    b.iter()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

identifier!(
    /// Permanent Account Number: 10 letters and digits (`ABCDE1234F`). The docs promise only
    /// "10-character alphanumeric", so the conventional layout is not enforced. The type of every PAN
    /// field the client sends (the spec's `Pan` and `PanUpperCase`).
    Pan, "PAN", "10 letters and digits, like ABCDE1234F",
    |b| b.len() == 10 && alphanumeric(b),
    // A person's identifier (the spec's `Pan` is `x-finpass-personal: identifier`).
    debug = |value: &str, f: &mut fmt::Formatter<'_>| {
        f.debug_tuple("Pan")
            .field(&crate::personal::Redacted::new("identifier", &value))
            .finish()
    }
);

identifier!(
    /// Corporate Identification Number: 21 letters and digits (`U74999MH2021PTC123456`). The docs
    /// promise only "21 characters, alphanumeric", so the conventional layout is not enforced.
    Cin, "CIN", "21 letters and digits, like U74999MH2021PTC123456",
    |b| b.len() == 21 && alphanumeric(b)
);

identifier!(
    /// LLP Identification Number in the documented format `AAA-1234`: 3 letters or digits, a hyphen,
    /// 4 letters or digits (the docs give no rule beyond that format).
    Llpin, "LLPIN", "3 letters or digits, a hyphen and 4 letters or digits, like AAA-1234",
    |b| b.len() == 8 && alphanumeric(&b[..3]) && b[3] == b'-' && alphanumeric(&b[4..])
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_is_normalised_not_rejected() {
        assert_eq!("abcde1234f".parse::<Pan>().unwrap().as_str(), "ABCDE1234F");
        assert_eq!(" aaa-1234 ".parse::<Llpin>().unwrap().as_str(), "AAA-1234");
        assert_eq!(
            "u72200mh2009plc123456".parse::<Cin>().unwrap().as_str(),
            "U72200MH2009PLC123456"
        );
    }

    #[test]
    fn malformed_values_are_rejected_without_echoing_them() {
        let err = "ABCDE-1234".parse::<Pan>().unwrap_err().to_string();
        assert!(err.contains("PAN") && !err.contains("ABCDE-1234"), "{err}");
        assert!("ABCDE1234".parse::<Pan>().is_err());
        assert!("AAA1234".parse::<Llpin>().is_err());
        assert!("AAA-12345".parse::<Llpin>().is_err());
        assert!("U72200MH2009PLC12345".parse::<Cin>().is_err());
        assert!("U72200MH2009PLC12345-".parse::<Cin>().is_err());
        assert!(serde_json::from_str::<Pan>("\"12345 ABCDE\"").is_err());
    }

    #[test]
    fn debug_masks_the_value() {
        let pan: Pan = "ABCDE1234F".parse().unwrap();
        assert_eq!(format!("{pan:?}"), r#"Pan("<redacted: identifier>")"#);
        assert_eq!(format!("{:?}", crate::Reveal(&pan)), r#"Pan("ABCDE1234F")"#);
        let cin: Cin = "U74999MH2021PTC123456".parse().unwrap();
        assert_eq!(format!("{cin:?}"), "Cin(***56)");
    }
}
