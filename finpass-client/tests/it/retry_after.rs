//! A `Retry-After` that is present but unreadable (`-1`, `1.5`, garbage) is treated as longer than
//! allowed: the call ends at once in a clear `RateLimited` error, never in a fast retry into the
//! rate limit as if the header were absent.

use crate::support;

use std::time::Duration;

use finpass_client::{ErrorKind, RetryConfig};
use serde_json::json;
use support::{ALL, FaultServer, Reply, Sleeps, client};

const UNREADABLE: [&str; 5] = ["-1", "1.5", "garbage", "+5", "Wed, 21 Oct"];

#[tokio::test]
async fn an_unreadable_retry_after_on_a_429_ends_the_call_as_rate_limited() {
    for value in UNREADABLE {
        for op in ALL {
            let server = FaultServer::start(vec![
                Reply::json(429, json!({"success": false, "message": "slow down"}))
                    .header("retry-after", value),
                Reply::json(200, op.success_body()),
            ])
            .await;
            let sleeps = Sleeps::default();
            let err = op.run(&client(&server.url(), &sleeps)).await.unwrap_err();
            let case = format!("{value:?} {op:?}: {err}");
            assert_eq!(err.kind(), ErrorKind::RateLimited, "{case}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(429), "{case}");
            assert_eq!(err.retry_after(), Some(Duration::MAX), "{case}");
            assert_eq!((err.attempts(), server.request_count()), (1, 1), "{case}");
            assert!(sleeps.taken().is_empty(), "{case}");
            assert!(
                err.to_string().contains("Retry-After could not be read"),
                "{case}"
            );
        }
    }
}

#[tokio::test]
async fn however_high_the_cap_an_unreadable_value_is_never_a_short_delay() {
    let server = FaultServer::start(vec![Reply::status(503).header("retry-after", "1.5")]).await;
    let sleeps = Sleeps::default();
    let finpass = support::builder(&server.url(), &sleeps)
        .retry(RetryConfig::default().max_retry_after(Duration::from_secs(86_400)))
        .build()
        .unwrap();
    let err = support::Op::AaBsaStatus.run(&finpass).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    assert_eq!((err.attempts(), server.request_count()), (1, 1));
    assert!(sleeps.taken().is_empty());
}
