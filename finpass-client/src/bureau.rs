//! The list of credit bureaus for a multi-bureau pull: at least one, each at most once (the spec's
//! `minItems: 1` and `uniqueItems: true`). A duplicate would be a second paid enquiry, so the client
//! refuses it before sending rather than trusting the server to dedupe.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

/// A non-empty list of distinct bureaus, in the caller's order. Generic over the bureau so that this
/// module never imports generated code: the generated request type uses
/// `Bureaus<types::MultiBureauBureau>`, re-exported as `finpass_client::Bureaus`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Bureaus<B>(Vec<B>);

/// A credit bureau the list can hold: the generated `types::MultiBureauBureau` (implemented in
/// `lib.rs`, so this module never names generated code).
pub trait Bureau: PartialEq + fmt::Display + FromStr {}

/// Why a bureau list was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidBureaus(String);

impl fmt::Display for InvalidBureaus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidBureaus {}

impl<B> Bureaus<B> {
    /// The bureaus, in order.
    ///
    /// ```
    /// use finpass_client::{Bureaus, types::MultiBureauBureau};
    ///
    /// let bureaus: Bureaus = "cibil,crif".parse()?;
    /// assert_eq!(bureaus.as_slice(), [MultiBureauBureau::Cibil, MultiBureauBureau::Crif]);
    /// # Ok::<(), finpass_client::InvalidBureaus>(())
    /// ```
    pub fn as_slice(&self) -> &[B] {
        &self.0
    }
}

impl<B: Bureau> TryFrom<Vec<B>> for Bureaus<B> {
    type Error = InvalidBureaus;
    fn try_from(list: Vec<B>) -> Result<Self, InvalidBureaus> {
        if list.is_empty() {
            return Err(InvalidBureaus("at least one bureau is required".into()));
        }
        for (i, bureau) in list.iter().enumerate() {
            if list[..i].contains(bureau) {
                return Err(InvalidBureaus(format!(
                    "`{bureau}` is listed twice; each bureau may be asked once (a repeat is a second paid enquiry)"
                )));
            }
        }
        Ok(Bureaus(list))
    }
}

impl<B: Bureau, const N: usize> TryFrom<[B; N]> for Bureaus<B> {
    type Error = InvalidBureaus;
    fn try_from(list: [B; N]) -> Result<Self, InvalidBureaus> {
        Vec::from(list).try_into()
    }
}

impl<B: Bureau> TryFrom<&[&str]> for Bureaus<B> {
    type Error = InvalidBureaus;
    /// From names such as `"cibil"`; an unknown name is rejected and named.
    fn try_from(names: &[&str]) -> Result<Self, InvalidBureaus> {
        names
            .iter()
            .map(|n| {
                n.parse::<B>().map_err(|_| {
                    InvalidBureaus(format!(
                        "unknown bureau `{n}`; expected equifax, experian, cibil or crif"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?
            .try_into()
    }
}

impl<B: Bureau, const N: usize> TryFrom<[&str; N]> for Bureaus<B> {
    type Error = InvalidBureaus;
    fn try_from(names: [&str; N]) -> Result<Self, InvalidBureaus> {
        names.as_slice().try_into()
    }
}

impl<B: fmt::Display> fmt::Display for Bureaus<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&names.join(","))
    }
}

impl<B: Bureau> FromStr for Bureaus<B> {
    type Err = InvalidBureaus;
    /// Comma-separated names, e.g. `"cibil,crif"`.
    fn from_str(s: &str) -> Result<Self, InvalidBureaus> {
        let names: Vec<&str> = s
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        names.as_slice().try_into()
    }
}

impl<'de, B: Bureau + Deserialize<'de>> Deserialize<'de> for Bureaus<B> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<B>::deserialize(d)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for the generated bureau enum (this module never imports generated code).
    #[derive(Debug, Clone, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Bureau {
        Cibil,
        Crif,
    }

    impl fmt::Display for Bureau {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(match self {
                Bureau::Cibil => "cibil",
                Bureau::Crif => "crif",
            })
        }
    }

    impl super::Bureau for Bureau {}

    impl FromStr for Bureau {
        type Err = ();
        fn from_str(s: &str) -> Result<Self, ()> {
            match s {
                "cibil" => Ok(Bureau::Cibil),
                "crif" => Ok(Bureau::Crif),
                _ => Err(()),
            }
        }
    }

    #[test]
    fn empty_and_repeated_lists_are_refused() {
        assert!(
            Bureaus::<Bureau>::try_from(Vec::new())
                .unwrap_err()
                .to_string()
                .contains("at least one")
        );
        let twice = Bureaus::try_from([Bureau::Cibil, Bureau::Cibil]).unwrap_err();
        assert!(
            twice.to_string().contains("`cibil` is listed twice"),
            "{twice}"
        );
        assert!(
            Bureaus::<Bureau>::try_from(["cibil", "transunion"])
                .unwrap_err()
                .to_string()
                .contains("`transunion`")
        );
        assert_eq!(
            Bureaus::<Bureau>::try_from(["crif", "cibil"])
                .unwrap()
                .to_string(),
            "crif,cibil"
        );
        assert!(serde_json::from_str::<Bureaus<Bureau>>("[]").is_err());
        assert!(serde_json::from_str::<Bureaus<Bureau>>(r#"["crif","crif"]"#).is_err());
    }
}
