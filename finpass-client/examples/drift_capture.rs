//! Calls operations by id and captures their (redacted) responses: the live half of
//! `cargo xtask drift --live`, which writes the plan and then checks the captures.
//!
//! ```text
//! cargo run -p finpass-client --example drift_capture -- PLAN.json CAPTURE_DIR
//! ```
//!
//! `PLAN.json` is `[["operationId", {"body": …, "client_id": …}], …]`. Credentials come from
//! `FINPASS_API_KEY` / `FINPASS_API_SECRET` (and `FINPASS_BASE_URL`, if set). Retries are off: one call
//! per operation.

use std::process::ExitCode;

use finpass_client::{Finpass, RetryConfig};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(plan), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: drift_capture PLAN.json CAPTURE_DIR");
        return ExitCode::FAILURE;
    };
    let plan: Vec<(String, serde_json::Value)> = match std::fs::read_to_string(&plan)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: reading the plan: {e}");
            return ExitCode::FAILURE;
        }
    };
    let finpass = match Finpass::builder()
        .from_env()
        .retry(RetryConfig::disabled())
        .capture_responses(&dir)
        .build()
    {
        Ok(finpass) => finpass,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (operation, args) in plan {
        // The outcome itself does not matter: the capture hook has recorded the response.
        match finpass.call_by_operation_id(&operation, args).await {
            Some(Ok(_)) => eprintln!("{operation}: answered"),
            Some(Err(e)) => eprintln!(
                "{operation}: {:?} {}",
                e.kind(),
                e.status().map_or(0, |s| s.as_u16())
            ),
            None => eprintln!("{operation}: not a generated operation; skipped"),
        }
    }
    ExitCode::SUCCESS
}
