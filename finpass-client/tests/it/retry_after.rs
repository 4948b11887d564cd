//! A `Retry-After` that is present but unreadable (`-1`, `1.5`, garbage) is treated as longer than
//! allowed: the call ends at once in a clear `RateLimited` error, never in a fast retry into the
//! rate limit as if the header were absent. A call whose last answer is a 429 is `RateLimited` too,
//! with the delay the server asked for.

use crate::support;

use std::time::Duration;

use std::time::SystemTime;

use finpass_client::{ErrorKind, RetryConfig};
use serde_json::json;
use support::{ALL, FaultServer, Op, Reply, Sleeps, client};

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

#[tokio::test]
async fn a_final_429_is_rate_limited_with_the_delay_it_asked_for() {
    // Not retried (retries off), and retried until the retries ran out: the same error either way.
    for (retry, attempts) in [(RetryConfig::disabled(), 1), (RetryConfig::default(), 3)] {
        let server = FaultServer::start(vec![
            Reply::json(429, json!({"success": false, "message": "slow down"}))
                .header("retry-after", "2"),
        ])
        .await;
        let sleeps = Sleeps::default();
        let finpass = support::builder(&server.url(), &sleeps)
            .retry(retry)
            .build()
            .unwrap();
        let err = Op::AaBsaStatus.run(&finpass).await.unwrap_err();
        let case = format!("{attempts} attempt(s): {err}");
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{case}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)), "{case}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429), "{case}");
        assert!(err.is_retryable(), "{case}");
        assert_eq!(
            (err.attempts(), server.request_count()),
            (attempts, attempts as usize)
        );
        assert_eq!(
            sleeps.taken(),
            vec![Duration::from_secs(2); attempts as usize - 1]
        );
        assert!(
            err.to_string().contains("Retry-After asks for 2 s"),
            "{case}"
        );
    }
}

#[tokio::test]
async fn a_final_429_reports_a_retry_after_date_and_no_delay_when_none_was_sent() {
    let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
    for (header, expected) in [(Some(when.as_str()), true), (None, false)] {
        let mut reply = Reply::json(429, json!({"success": false, "message": "slow down"}));
        if let Some(value) = header {
            reply = reply.header("retry-after", value);
        }
        let server = FaultServer::start(vec![reply]).await;
        let finpass = support::builder(&server.url(), &Sleeps::default())
            .retry(RetryConfig::disabled())
            .build()
            .unwrap();
        let err = Op::AaInitialize.run(&finpass).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
        let asked = err.retry_after();
        assert_eq!(asked.is_some(), expected, "{header:?}: {asked:?}");
        // The date has one-second resolution and some time has passed since it was formatted.
        assert!(
            asked.is_none_or(|d| d > Duration::from_secs(25) && d <= Duration::from_secs(30)),
            "{asked:?}"
        );
    }
}
