//! The two sides of every call benchmark: AA Initialize through [`Finpass`], and the same request
//! written by hand with reqwest (same JSON body, same credential headers, decoded into a local struct
//! with the same fields, status checked). Both talk to the same [`Loopback`](crate::server::Loopback).

use std::time::{Duration, Instant};

use finpass_client::{Finpass, RetryConfig, types};
use serde::{Deserialize, Serialize};

use crate::server::{AA_INIT_PATH, STATEMENT_PATH};

pub const MOBILE: &str = "9999000000";
pub const CONSENT: &str = "loan_underwriting";

/// Which client makes the call.
#[derive(Clone)]
pub enum Side {
    /// Hand-written reqwest: what a careful user would write without our crate.
    /// `timeout`: `None` is the baseline; `Some` gives raw the same per-request timeout our
    /// client sets on every attempt, for a like-for-like context figure.
    Raw {
        http: reqwest::Client,
        base: String,
        timeout: Option<Duration>,
        /// `accept: application/json` on each request (ours sends it; reqwest's default is `*/*`).
        accept_json: bool,
    },
    /// Our client (default configuration unless built otherwise).
    Ours(Finpass),
}

impl Side {
    pub fn raw(base: &str) -> Side {
        Side::Raw {
            http: reqwest::Client::builder()
                .build()
                .expect("plain reqwest client"),
            base: base.to_owned(),
            timeout: None,
            accept_json: false,
        }
    }

    /// Raw reqwest with the per-request timeout our client sets by default (30 s per attempt).
    pub fn raw_with_timeout(base: &str) -> Side {
        Side::Raw {
            http: reqwest::Client::new(),
            base: base.to_owned(),
            timeout: Some(Duration::from_secs(30)),
            accept_json: false,
        }
    }

    /// Raw reqwest sending what our client sends: the same seven headers (our `User-Agent` string,
    /// `accept: application/json`) and the same 30 s per-request timeout. What is left between this
    /// and ours is our code, not what we put on the wire.
    pub fn raw_same_wire(base: &str) -> Side {
        Side::Raw {
            http: reqwest::Client::builder()
                // `runtime::USER_AGENT` (crate-private): the same package, so the same version.
                .user_agent(concat!("finpass-rust/", env!("CARGO_PKG_VERSION")))
                .build()
                .expect("reqwest client with a user agent"),
            base: base.to_owned(),
            timeout: Some(Duration::from_secs(30)),
            accept_json: true,
        }
    }

    /// Our client with the default retry policy (retries on), as users get it.
    pub fn ours(base: &str) -> Side {
        Side::Ours(finpass(base, RetryConfig::default()))
    }

    /// Our client with retries disabled.
    pub fn ours_no_retry(base: &str) -> Side {
        Side::Ours(finpass(base, RetryConfig::disabled()))
    }

    /// One AA Initialize call; panics on any failure (a benchmark of failures measures nothing).
    pub async fn aa_initialize(&self) {
        match self {
            Side::Raw {
                http,
                base,
                timeout,
                accept_json,
            } => {
                let mut request = http
                    .post(format!("{base}{AA_INIT_PATH}"))
                    .header("x-api-key", "bench-key")
                    .header("x-api-secret", "bench-secret")
                    .json(&RawInitRequest {
                        mobile_number: MOBILE,
                        consent_type: CONSENT,
                    });
                if let Some(timeout) = timeout {
                    request = request.timeout(*timeout);
                }
                if *accept_json {
                    let json = reqwest::header::HeaderValue::from_static("application/json");
                    request = request.header(reqwest::header::ACCEPT, json);
                }
                let response = request.send().await.expect("raw send");
                assert!(response.status().is_success());
                let decoded: RawInitResponse = response.json().await.expect("raw decode");
                assert!(decoded.success);
                std::hint::black_box(decoded);
            }
            Side::Ours(finpass) => {
                let decoded = finpass
                    .aa_initialize(
                        types::AaInitializeRequest::builder()
                            .mobile_number(MOBILE)
                            .consent_type(CONSENT),
                    )
                    .await
                    .expect("our call");
                std::hint::black_box(decoded);
            }
        }
    }

    /// One AA-BSA Statement Result call (the large body), decoded into the generated type by us and
    /// into `serde_json::Value` by raw reqwest (what a user without typed models would do).
    pub async fn statement_result(&self) {
        match self {
            Side::Raw { http, base, .. } => {
                let response = http
                    .get(format!("{base}{STATEMENT_PATH}"))
                    .query(&[("client_id", "bsa_clnt_a1b2c3d4e5f6")])
                    .header("x-api-key", "bench-key")
                    .header("x-api-secret", "bench-secret")
                    .send()
                    .await
                    .expect("raw send");
                assert!(response.status().is_success());
                let body = response.bytes().await.expect("raw body");
                let value: serde_json::Value = serde_json::from_slice(&body).expect("raw decode");
                std::hint::black_box(value);
            }
            Side::Ours(finpass) => {
                let result = finpass
                    .aa_bsa_statement_result("bsa_clnt_a1b2c3d4e5f6")
                    .await
                    .expect("our call");
                std::hint::black_box(result);
            }
        }
    }
}

fn finpass(base: &str, retry: RetryConfig) -> Finpass {
    Finpass::builder()
        .credentials("bench-key", "bench-secret")
        .base_url(base)
        .retry(retry)
        .build()
        .expect("finpass client")
}

#[derive(Serialize)]
struct RawInitRequest<'a> {
    mobile_number: &'a str,
    consent_type: &'a str,
}

/// The same fields `types::AaInitializeResponse` has, so both sides decode the same amount.
#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded to be measured, never read")]
struct RawInitResponse {
    data: RawInitData,
    message: String,
    message_code: String,
    status_code: i64,
    success: bool,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded to be measured, never read")]
struct RawInitData {
    client_id: String,
    mobile_number: String,
    pan_number: Option<String>,
    email_id: Option<String>,
    redirect_url: String,
}

/// Wall time per call of `calls` sequential AA Initialize calls.
pub async fn sequential(side: &Side, calls: u32) -> Duration {
    let started = Instant::now();
    for _ in 0..calls {
        side.aa_initialize().await;
    }
    started.elapsed() / calls
}

/// Calls per second with `concurrency` calls in flight until `total` calls are done.
pub async fn concurrent(side: &Side, concurrency: u32, total: u32) -> f64 {
    let per_task = total / concurrency;
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let side = side.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    side.aa_initialize().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    f64::from(per_task * concurrency) / started.elapsed().as_secs_f64()
}
