//! The URL of every operation, parsed once when the client is built.
//!
//! Given a string, reqwest parses it into a `Url` on every request (scheme, host, IDNA, path: about
//! 8 k instructions, a tenth of a loopback call's CPU); given a `Url`, it takes it as it is. No
//! Finpass path has parameters (the generator refuses one), so an operation's URL is fixed for a
//! client: parsed here once, cloned for each request.

use std::sync::Arc;

use reqwest::Url;

use crate::operation::{self, Operation};
use crate::{Error, ErrorKind};

/// An operation of the spec and its URL under the client's base URL.
pub(crate) struct Endpoint {
    pub op: &'static Operation,
    pub url: Url,
}

/// Every operation's [`Endpoint`]; clones share one table (client values made by `with_header` and
/// friends keep their parent's).
#[derive(Clone)]
pub(crate) struct Endpoints(Arc<[Endpoint]>);

impl Endpoints {
    /// The endpoints under `base`, a validated base URL without a trailing slash, query or fragment.
    pub(crate) fn new(base: &str) -> Result<Self, Error> {
        let endpoints = operation::all()
            .iter()
            .map(|op| {
                let url = Url::parse(&format!("{base}{}", op.path)).map_err(|e| {
                    Error::new(
                        ErrorKind::Config,
                        format!(
                            "base URL: joined with the path of `{}` it is not a URL ({e})",
                            op.id
                        ),
                    )
                })?;
                Ok(Endpoint { op, url })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Endpoints(endpoints.into()))
    }

    /// The operation whose `operationId` is `id`, with its URL; `None` if the spec has none.
    pub(crate) fn find(&self, id: &str) -> Option<&Endpoint> {
        self.0.iter().find(|endpoint| endpoint.op.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_its_url_under_the_base() {
        let endpoints = Endpoints::new("http://127.0.0.1:4017/prefix").expect("endpoints");
        for op in operation::all() {
            let endpoint = endpoints.find(op.id).expect("every operation");
            assert_eq!(
                endpoint.url.as_str(),
                format!("http://127.0.0.1:4017/prefix{}", op.path)
            );
        }
        assert!(endpoints.find("no_such_operation").is_none());
    }
}
