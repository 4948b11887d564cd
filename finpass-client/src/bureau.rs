//! The list of credit bureaus for a multi-bureau pull: at least one, each at most once (the spec's
//! `minItems: 1` and `uniqueItems: true`). A duplicate would be a second paid enquiry, so the client
//! refuses it before sending rather than trusting the server to dedupe.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::types::MultiBureauBureau;

/// A non-empty list of distinct bureaus, in the caller's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Bureaus(Vec<MultiBureauBureau>);

/// Why a bureau list was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidBureaus(String);

impl fmt::Display for InvalidBureaus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidBureaus {}

impl Bureaus {
    /// The bureaus, in order.
    pub fn as_slice(&self) -> &[MultiBureauBureau] {
        &self.0
    }
}

impl TryFrom<Vec<MultiBureauBureau>> for Bureaus {
    type Error = InvalidBureaus;
    fn try_from(list: Vec<MultiBureauBureau>) -> Result<Self, InvalidBureaus> {
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

impl<const N: usize> TryFrom<[MultiBureauBureau; N]> for Bureaus {
    type Error = InvalidBureaus;
    fn try_from(list: [MultiBureauBureau; N]) -> Result<Self, InvalidBureaus> {
        Vec::from(list).try_into()
    }
}

impl TryFrom<&[&str]> for Bureaus {
    type Error = InvalidBureaus;
    /// From names such as `"cibil"`; an unknown name is rejected and named.
    fn try_from(names: &[&str]) -> Result<Self, InvalidBureaus> {
        names
            .iter()
            .map(|n| {
                n.parse::<MultiBureauBureau>().map_err(|_| {
                    InvalidBureaus(format!(
                        "unknown bureau `{n}`; expected equifax, experian, cibil or crif"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?
            .try_into()
    }
}

impl<const N: usize> TryFrom<[&str; N]> for Bureaus {
    type Error = InvalidBureaus;
    fn try_from(names: [&str; N]) -> Result<Self, InvalidBureaus> {
        names.as_slice().try_into()
    }
}

impl fmt::Display for Bureaus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&names.join(","))
    }
}

impl std::str::FromStr for Bureaus {
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

impl<'de> Deserialize<'de> for Bureaus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<MultiBureauBureau>::deserialize(d)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_repeated_lists_are_refused() {
        assert!(
            Bureaus::try_from(Vec::new())
                .unwrap_err()
                .to_string()
                .contains("at least one")
        );
        let twice =
            Bureaus::try_from([MultiBureauBureau::Cibil, MultiBureauBureau::Cibil]).unwrap_err();
        assert!(
            twice.to_string().contains("`cibil` is listed twice"),
            "{twice}"
        );
        assert!(
            Bureaus::try_from(["cibil", "transunion"])
                .unwrap_err()
                .to_string()
                .contains("`transunion`")
        );
        assert_eq!(
            Bureaus::try_from(["crif", "cibil"]).unwrap().to_string(),
            "crif,cibil"
        );
        assert!(serde_json::from_str::<Bureaus>("[]").is_err());
        assert!(serde_json::from_str::<Bureaus>(r#"["crif","crif"]"#).is_err());
    }
}
