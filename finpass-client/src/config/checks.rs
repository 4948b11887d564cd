//! The checks `ClientBuilder::build` runs before anything is sent: credentials present and usable as
//! header values (never shown), and a base URL that passes the one URL rule.

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::{Error, ErrorKind};

/// Reads one environment variable (swappable for tests and secret stores).
pub(super) type EnvLookup = Box<dyn Fn(&str) -> Option<String>>;

/// The explicit value, else the environment variable; missing or empty is an error naming the variable.
pub(super) fn credential(
    explicit: Option<SecretString>,
    env: &Option<EnvLookup>,
    var: &str,
) -> Result<SecretString, Error> {
    let value = match explicit {
        Some(value) => value,
        None => match env.as_ref().map(|lookup| lookup(var)) {
            Some(Some(value)) => SecretString::from(value),
            Some(None) => return Err(Error::new(ErrorKind::Config, format!("{var} is not set"))),
            None => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("no credentials: call `credentials(..)` or `from_env()` to read {var}"),
                ));
            }
        },
    };
    if value.expose_secret().trim().is_empty() {
        return Err(Error::new(ErrorKind::Config, format!("{var} is empty")));
    }
    Ok(value)
}

pub(super) fn sensitive(secret: &SecretString, what: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(secret.expose_secret().trim()).map_err(|_| {
        Error::new(
            ErrorKind::Config,
            format!("the {what} contains characters not allowed in an HTTP header"),
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The base URL, checked by the one URL rule (`crate::https`): HTTPS, plain HTTP only to loopback,
/// no user information; no query or fragment either.
pub(crate) fn validate_base_url(raw: &str) -> Result<String, Error> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(trimmed).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("base URL is not a valid URL ({e})"),
        )
    })?;
    crate::https::check(&url, crate::https::Hosts::Any)
        .map_err(|refusal| Error::new(ErrorKind::Config, format!("base URL: {refusal}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::new(
            ErrorKind::Config,
            "base URL must not have a query or fragment",
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        for ok in [
            "https://api.finpass.ai",
            "http://127.0.0.1:8080",
            "http://localhost:1/",
            "http://[::1]:9",
        ] {
            assert!(validate_base_url(ok).is_ok(), "{ok}");
        }
        let err = validate_base_url("http://api.finpass.ai").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.to_string().contains("HTTPS is required"), "{err}");
        assert!(
            validate_base_url("ftp://x")
                .unwrap_err()
                .to_string()
                .contains("HTTPS is required")
        );
        assert!(validate_base_url("https://u:p@api.finpass.ai").is_err());
        assert!(validate_base_url("not a url").is_err());
    }
}
