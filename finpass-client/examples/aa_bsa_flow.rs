//! A whole AA-BSA journey: start it, wait for the analysis, then read the statements and the analysis.
//!
//! ```text
//! cargo run -p finpass-client --example aa_bsa_flow
//! ```
//!
//! Runs against the embedded spec-driven mock unless `FINPASS_API_KEY` / `FINPASS_API_SECRET` /
//! `FINPASS_BASE_URL` are set, like the quickstart. Against the mock every step answers with the spec's
//! examples, so the journey completes at once.

use std::process::ExitCode;
use std::time::Duration;

use finpass_client::{
    ENV_API_KEY, ENV_API_SECRET, ENV_BASE_URL, Error, Finpass, WaitOptions, types,
};
use finpass_mock::MockServer;

#[tokio::main]
async fn main() -> ExitCode {
    let configured = [ENV_API_KEY, ENV_API_SECRET, ENV_BASE_URL]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    let mock = if configured {
        None
    } else {
        MockServer::start().await.ok()
    };
    let finpass = match &mock {
        Some(mock) => {
            println!("using the embedded mock at {}", mock.base_url());
            Finpass::builder()
                .credentials("mock-api-key", "mock-api-secret")
                .base_url(mock.base_url())
                .build()
        }
        None => Finpass::from_env(),
    };
    match finpass {
        Ok(finpass) => match run(&finpass).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(finpass: &Finpass) -> Result<(), Error> {
    let journey = finpass
        .aa_bsa_initialize(types::AaBsaInitializeRequest::builder().mobile_number("9999000000"))
        .await?;
    let client_id = journey.data.client_id;
    println!(
        "1. journey {client_id}: send the user to {}",
        journey.data.journey_url
    );

    let options = WaitOptions::new(Duration::from_secs(5), Duration::from_secs(15 * 60));
    let status = finpass
        .wait_for_aa_bsa_journey(&client_id, options)
        .await?
        .data
        .status;
    println!("2. journey status: {status}");
    if status != types::AaBsaJourneyStatusKnown::AnalysisComplete {
        println!("   the journey ended without an analysis; nothing more to fetch");
        return Ok(());
    }

    let statements = finpass.aa_bsa_statement_result(&client_id).await?;
    for account in &statements.data.accounts {
        println!(
            "3. account {} at {}: {} transactions",
            account.account_number.as_deref().unwrap_or("?"),
            account.bank_name.as_deref().unwrap_or("?"),
            account.transactions.len()
        );
    }

    let analysis = finpass.aa_bsa_analysis_json(&client_id).await?;
    if let Some(summary) = &analysis.data.summary {
        println!(
            "4. credits {:?}, debits {:?}, average monthly balance {:?}",
            summary.total_credits, summary.total_debits, summary.average_monthly_balance
        );
    }
    Ok(())
}
