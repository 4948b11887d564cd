//! Opt-in capture of real responses for `finpass-spec drift --recorded DIR`, without personal data
//! (feature `capture`).
//!
//! Enable it with [`ClientBuilder::capture_responses`](crate::ClientBuilder::capture_responses). Each
//! completed call writes one file `{"operation_id", "method", "path", "status", "body"}` whose body keeps
//! the structure (member names, types, array lengths) but not the values: strings become `""` and
//! numbers `0`, except strings at the spec's enum paths (statuses, consent types), which are kept so a
//! new enum value shows up as drift. Member names that look like data (digits, `@`) become `<key>`.

// The enum paths of each operation's success body (`cargo xtask generate`).
mod generated;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::StatusCode;
use serde_json::{Value, json};

/// Where captures go.
#[derive(Debug)]
pub(crate) struct Capture {
    dir: PathBuf,
    seq: AtomicU64,
}

impl Capture {
    pub(crate) fn new(dir: PathBuf) -> Self {
        Capture {
            dir,
            seq: AtomicU64::new(0),
        }
    }

    /// Writes one redacted capture. Failures are logged (without values) and otherwise ignored: a
    /// capture must never break a call.
    pub(crate) fn record(
        &self,
        operation: &'static str,
        status: Option<StatusCode>,
        body: Option<&[u8]>,
    ) {
        let Some(status) = status else { return };
        let Some(op) = crate::operation::find(operation) else {
            return;
        };
        let body = body
            .and_then(|b| serde_json::from_slice::<Value>(b).ok())
            .unwrap_or(Value::Null);
        let capture = json!({
            "operation_id": operation,
            "method": op.method,
            "path": op.path,
            "status": status.as_u16(),
            "body": redact(operation, status, &body),
        });
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let file = self.dir.join(format!("{operation}-{nanos}-{n}.json"));
        let written = std::fs::create_dir_all(&self.dir).and_then(|()| {
            std::fs::write(
                &file,
                serde_json::to_vec_pretty(&capture).unwrap_or_default(),
            )
        });
        if let Err(e) = written {
            tracing::warn!(operation, error = %e.kind(), "could not write a response capture");
        }
    }
}

/// The body with every value that could identify a person removed (see the module docs and
/// the one redaction rule, which `finpass-spec drift` also uses).
///
/// ```
/// use finpass_client::{capture::redact, reqwest::StatusCode};
/// use serde_json::json;
///
/// let body = json!({
///     "success": true,
///     "data": {"client_id": "bsa_clnt_a1b2c3d4e5f6", "status": "data_fetched"},
/// });
/// let redacted = redact("aa_bsa_status", StatusCode::OK, &body);
/// assert_eq!(redacted["data"]["client_id"], ""); // values are dropped…
/// assert_eq!(redacted["data"]["status"], "data_fetched"); // …except the spec's enum values
/// ```
pub fn redact(operation: &str, status: StatusCode, body: &Value) -> Value {
    let keep: &[&str] = if status.is_success() {
        generated::ENUM_PATHS
            .iter()
            .find(|(id, _)| *id == operation)
            .map_or(&[], |(_, p)| p)
    } else {
        &["/success", "/status_code", "/message_code", "/error_code"]
    };
    crate::redact::redact(body, keep)
}

/// `body` with every value removed and data-like member names replaced by [`DATA_KEY`]: its
/// structure only, for reports about bodies this process did not capture (`finpass-spec drift`).
///
/// ```
/// use serde_json::json;
///
/// let body = json!({"data": {"mobile_number": "9876543210", "balances": {"2024-05-01": 120.5}}});
/// let shown = finpass_client::capture::redact_values(&body);
/// assert_eq!(shown, json!({"data": {"mobile_number": "", "balances": {"<key>": 0.0}}}));
/// ```
pub fn redact_values(body: &Value) -> Value {
    crate::redact::redact(body, &[])
}

/// The one rule for member names that may leave the process: data-like keys (a date, an account or
/// mobile number, a PAN, an e-mail) become [`DATA_KEY`].
pub use crate::redact::{DATA_KEY, safe_key};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_structure_and_enum_values_but_no_personal_data() {
        let body = json!({"success": true, "message": "ok", "data": {
            "client_id": "bsa_clnt_9", "status": "data_fetched", "mobile_number": "9876543210",
            "consent_type": "loan_monitoring", "balances": {"2024-05-01": 120.5}, "count": 7
        }});
        let red = redact("aa_bsa_status", StatusCode::OK, &body);
        assert_eq!(red["data"]["status"], "data_fetched");
        assert_eq!(red["data"]["consent_type"], "loan_monitoring");
        assert_eq!(red["data"]["mobile_number"], "");
        assert_eq!(red["data"]["client_id"], "");
        assert_eq!(red["data"]["balances"], json!({"<key>": 0.0}));
        assert_eq!(red["data"]["count"], 0);
        assert_eq!(red["success"], true);
        let text = red.to_string();
        assert!(
            !text.contains("9876543210") && !text.contains("bsa_clnt_9"),
            "{text}"
        );
        let error = json!({"success": false, "message": "PAN ABCDE1234F not found", "message_code": "not_found", "status_code": 404});
        let red = redact("corporate_pan_lookup", StatusCode::NOT_FOUND, &error);
        assert_eq!(
            red,
            json!({"success": false, "message": "", "message_code": "not_found", "status_code": 404})
        );
    }
}
