//! Shared fixtures: a client pointed at an httpmock server, with fixed test credentials.

use finpass_client::{Finpass, RetryConfig};
use httpmock::MockServer;

/// Test credentials. Not secrets, but treated as such: snapshots redact them after asserting them.
pub const API_KEY: &str = "test-key-7d1f";
pub const API_SECRET: &str = "test-secret-canary-93b2";

/// A client for `server` with retries off, so one call is one request.
pub fn client(server: &MockServer) -> Finpass {
    Finpass::builder()
        .credentials(API_KEY, API_SECRET)
        .base_url(server.base_url())
        .retry(RetryConfig::disabled())
        .build()
        .expect("valid test configuration")
}

/// The typed error as a snapshot-friendly JSON value (no credentials can be in it).
pub fn error_summary(e: &finpass_client::Error) -> serde_json::Value {
    serde_json::json!({
        "kind": format!("{:?}", e.kind()),
        "status": e.status().map(|s| s.as_u16()),
        "message_code": e.message_code(),
        "error_code": e.error_code(),
        "message": e.message(),
        "attempts": e.attempts(),
        "retryable": e.is_retryable(),
    })
}
