//! Start an Account Aggregator consent journey and print where to send the user.
//!
//! ```text
//! cargo run -p finpass-client --example quickstart [MOBILE_NUMBER]
//! ```
//!
//! With none of `FINPASS_API_KEY`, `FINPASS_API_SECRET` or `FINPASS_BASE_URL` set, it starts the
//! spec-driven mock on loopback (the one the contract tests use) and calls that. Otherwise it needs both
//! credentials and calls `FINPASS_BASE_URL` (production by default).

use std::process::ExitCode;

use finpass_client::{ENV_API_KEY, ENV_API_SECRET, ENV_BASE_URL, Finpass, types};
use finpass_mock::MockServer;

#[tokio::main]
async fn main() -> ExitCode {
    let mobile = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "9999000000".to_owned());
    let configured = [ENV_API_KEY, ENV_API_SECRET, ENV_BASE_URL]
        .iter()
        .any(|v| std::env::var_os(v).is_some());

    // Keep the mock alive for the whole run: dropping it stops the server.
    let mut _mock = None;
    let finpass = if configured {
        Finpass::from_env()
    } else {
        let mock = match MockServer::start().await {
            Ok(mock) => mock,
            Err(e) => {
                eprintln!("error: could not start the embedded mock: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!(
            "No FINPASS_* variables set: using the embedded mock at {}",
            mock.base_url()
        );
        let client = Finpass::builder()
            .credentials("mock-api-key", "mock-api-secret")
            .base_url(mock.base_url())
            .build();
        _mock = Some(mock);
        client
    };
    let finpass = match finpass {
        Ok(finpass) => finpass,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };

    let request = types::AaInitializeRequest::builder()
        .mobile_number(mobile.as_str())
        .consent_type("loan_underwriting");
    match finpass.aa_initialize(request).await {
        Ok(journey) => {
            println!("client_id:    {}", journey.data.client_id);
            println!("redirect_url: {}", journey.data.redirect_url);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(status) = e.status() {
                eprintln!("  HTTP status:  {}", status.as_u16());
            }
            if let Some(code) = e.code() {
                eprintln!("  message_code: {code}");
            }
            if let Some(message) = e.message() {
                eprintln!("  message:      {message}");
            }
            ExitCode::FAILURE
        }
    }
}
