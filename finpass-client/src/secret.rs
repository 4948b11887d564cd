//! The taxpayer's ITR e-filing portal password as a secret: zeroised when dropped, `[redacted]` in
//! `Debug`, no `Display`, and serialised only where it belongs, in the request body of `itr_analyze`.

use std::fmt;
use std::str::FromStr;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An Income Tax e-filing portal password, as sent in `ItrAnalyzeRequest`.
///
/// ```
/// use finpass_client::PortalPassword;
///
/// let password: PortalPassword = "s3cret!".parse().unwrap();
/// assert_eq!(format!("{password:?}"), "PortalPassword([redacted])");
/// assert_eq!(password.expose_secret(), "s3cret!");
/// assert!("".parse::<PortalPassword>().is_err());
/// ```
#[derive(Clone)]
pub struct PortalPassword(SecretString);

/// The password was empty (the only thing the client checks; the portal decides the rest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptyPortalPassword;

impl fmt::Display for EmptyPortalPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the ITR portal password is empty")
    }
}

impl std::error::Error for EmptyPortalPassword {}

impl PortalPassword {
    /// The password itself, for the one place that must send it. Do not log it.
    ///
    /// ```
    /// use finpass_client::PortalPassword;
    ///
    /// let password: PortalPassword = "your-portal-password".parse()?;
    /// assert_eq!(password.expose_secret(), "your-portal-password");
    /// # Ok::<(), finpass_client::EmptyPortalPassword>(())
    /// ```
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    fn checked(secret: SecretString) -> Result<Self, EmptyPortalPassword> {
        if secret.expose_secret().is_empty() {
            Err(EmptyPortalPassword)
        } else {
            Ok(PortalPassword(secret))
        }
    }
}

impl fmt::Debug for PortalPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PortalPassword([redacted])")
    }
}

impl PartialEq for PortalPassword {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl Eq for PortalPassword {}

impl FromStr for PortalPassword {
    type Err = EmptyPortalPassword;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::checked(SecretString::from(s))
    }
}

impl TryFrom<&str> for PortalPassword {
    type Error = EmptyPortalPassword;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl TryFrom<&String> for PortalPassword {
    type Error = EmptyPortalPassword;
    fn try_from(s: &String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl TryFrom<String> for PortalPassword {
    type Error = EmptyPortalPassword;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        // Moved into the secret, not copied: no stray plain copy is left behind to be freed unzeroised.
        Self::checked(SecretString::from(s))
    }
}

impl TryFrom<SecretString> for PortalPassword {
    type Error = EmptyPortalPassword;
    fn try_from(secret: SecretString) -> Result<Self, Self::Error> {
        Self::checked(secret)
    }
}

impl Serialize for PortalPassword {
    /// The plain string: the password travels in the JSON body of the request, nowhere else.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> Deserialize<'de> for PortalPassword {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let plain = String::deserialize(deserializer)?;
        Self::try_from(plain).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "portal-pw-canary-91c2";

    #[test]
    fn debug_never_shows_the_password() {
        let password = PortalPassword::try_from(CANARY).unwrap();
        for shown in [format!("{password:?}"), format!("{password:#?}")] {
            assert!(!shown.contains(CANARY), "{shown}");
            assert!(!shown.contains(&CANARY[..8]), "{shown}");
            assert!(shown.contains("redacted"), "{shown}");
        }
        // Nested in a derived Debug (as in a generated request) it stays hidden.
        #[derive(Debug)]
        #[allow(dead_code, reason = "only Debug is exercised")]
        struct Request {
            password: PortalPassword,
        }
        let shown = format!("{:?}", Request { password });
        assert!(!shown.contains(CANARY), "{shown}");
    }

    #[test]
    fn serialises_as_the_plain_string_and_round_trips() {
        let password: PortalPassword = CANARY.parse().unwrap();
        let json = serde_json::to_string(&password).unwrap();
        assert_eq!(json, format!("\"{CANARY}\""));
        let back: PortalPassword = serde_json::from_str(&json).unwrap();
        assert_eq!(back, password);
        assert_eq!(back.clone().expose_secret(), CANARY);
        assert_ne!(back, "other".parse().unwrap());
    }

    #[test]
    fn every_constructor_rejects_an_empty_password_with_a_clear_error() {
        assert_eq!("".parse::<PortalPassword>(), Err(EmptyPortalPassword));
        assert_eq!(PortalPassword::try_from(""), Err(EmptyPortalPassword));
        assert_eq!(
            PortalPassword::try_from(String::new()),
            Err(EmptyPortalPassword)
        );
        assert_eq!(
            PortalPassword::try_from(SecretString::from("")),
            Err(EmptyPortalPassword)
        );
        let err = serde_json::from_str::<PortalPassword>("\"\"").unwrap_err();
        assert!(err.to_string().contains("password is empty"), "{err}");
        assert_eq!(
            EmptyPortalPassword.to_string(),
            "the ITR portal password is empty"
        );
        // Whitespace is a password like any other: the portal, not the client, judges it.
        assert!(PortalPassword::try_from(" ").is_ok());
        assert_eq!(
            PortalPassword::try_from(String::from("x"))
                .unwrap()
                .expose_secret(),
            "x"
        );
        assert!(PortalPassword::try_from(&String::from("x")).is_ok());
    }
}
