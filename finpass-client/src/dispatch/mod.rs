//! Support for `Finpass::call_by_operation_id` (generated): JSON in, JSON out, so tools that walk the
//! spec (contract tests, drift checks) can call any operation without per-operation code.

// `call_by_operation_id` (`cargo xtask generate`).
mod generated;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Error, ErrorKind};

/// Decodes argument `key` of `args` into the type the operation's builder takes.
pub(crate) fn argument<T: DeserializeOwned>(
    args: &serde_json::Value,
    key: &str,
) -> Result<T, Error> {
    let value = args.get(key).cloned().unwrap_or(serde_json::Value::Null);
    serde_json::from_value(value).map_err(|e| {
        Error::new(
            ErrorKind::InvalidRequest,
            // serde quotes the value it rejected: only the value-free message may be shown.
            format!(
                "argument `{key}` does not fit its type: {}",
                crate::error::value_free(&e)
            ),
        )
    })
}

/// The JSON of a typed result.
pub(crate) fn to_json<T: Serialize>(result: Result<T, Error>) -> Result<serde_json::Value, Error> {
    let value = result?;
    serde_json::to_value(value).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("typed response did not serialise: {e}"),
        )
    })
}
