//! Transport faults and retryable statuses, black-box against loopback servers: for each fault, the
//! exact number of attempts per retry class, the error kind, and the status. Backoff is recorded by a
//! sleep function that returns at once, so no test waits for a delay.

use crate::support;

use std::time::{Duration, SystemTime};

use finpass_client::{ErrorKind, RetryConfig, Timeouts};
use httpmock::prelude::*;
use support::{ALL, FaultServer, Op, READS, Reply, SIDE_EFFECTING, Sleeps, client, refused_url};

#[tokio::test]
async fn refused_connection_is_retried_for_every_class() {
    // Nothing reached a server, so even a bureau pull may safely be repeated.
    let url = refused_url().await;
    for op in ALL {
        let sleeps = Sleeps::default();
        let err = op.run(&client(&url, &sleeps)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connect, "{op:?}: {err:?}");
        assert_eq!(err.attempts(), 3, "{op:?}");
        assert_eq!(err.status(), None);
        assert!(err.is_retryable(), "{op:?}");
        assert_eq!(sleeps.taken().len(), 2, "{op:?}: one backoff per retry");
    }
}

#[tokio::test]
async fn reset_before_any_response_is_a_transport_error_retried_only_for_reads() {
    // Nothing was answered: a read is as safe to repeat as after a 503; a side-effecting request may
    // have run, so it is not repeated.
    for op in ALL {
        let server = FaultServer::start(vec![Reply::ResetOnAccept]).await;
        let sleeps = Sleeps::default();
        let err = op.run(&client(&server.url(), &sleeps)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{op:?}: {err:?}");
        let expected = op.attempts_if(true, false);
        assert_eq!(
            (err.attempts(), server.connections()),
            (expected, expected),
            "{op:?}"
        );
        assert_eq!(err.is_retryable(), op.is_read(), "{op:?}");
        assert_eq!(sleeps.taken().len(), expected as usize - 1);
    }
}

#[tokio::test]
async fn reset_mid_body_is_a_transport_error_and_not_retried() {
    // The server had already started answering: the request ran, whatever the class.
    for op in ALL {
        let server = FaultServer::start(vec![Reply::ResetMidBody]).await;
        let err = op
            .run(&client(&server.url(), &Sleeps::default()))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{op:?}: {err:?}");
        assert_eq!((err.attempts(), server.request_count()), (1, 1), "{op:?}");
    }
}

#[tokio::test]
async fn body_cut_short_is_a_transport_error() {
    for op in ALL {
        let server = FaultServer::start(vec![Reply::Short {
            status: 200,
            announced: 500,
            body: b"{\"succ".to_vec(),
        }])
        .await;
        let err = op
            .run(&client(&server.url(), &Sleeps::default()))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{op:?}: {err:?}");
        assert_eq!((err.attempts(), server.request_count()), (1, 1), "{op:?}");
    }
}

/// A server that never answers, and one that answers at 1 byte/s, both end in a typed timeout: read-like
/// operations try three times, side-effecting ones once (the request may have run).
#[tokio::test]
async fn stall_and_drip_end_in_a_timeout_retried_only_for_reads() {
    for reply in [Reply::Stall, Reply::Drip] {
        for op in ALL {
            let server = FaultServer::start(vec![reply.clone()]).await;
            let err = op
                .run(&client(&server.url(), &Sleeps::default()))
                .await
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Timeout, "{reply:?} {op:?}: {err:?}");
            let expected = op.attempts_if(true, false);
            assert_eq!(err.attempts(), expected, "{reply:?} {op:?}");
            assert_eq!(
                server.request_count(),
                expected as usize,
                "{reply:?} {op:?}"
            );
            assert_eq!(err.is_retryable(), op.is_read(), "{reply:?} {op:?}");
        }
    }
}

#[tokio::test]
async fn call_deadline_bounds_attempts_and_backoff_together() {
    let server = FaultServer::start(vec![Reply::Stall]).await;
    let sleeps = Sleeps::default();
    let timeouts = Timeouts::default()
        .attempt(Duration::from_millis(200))
        .deadline(Duration::from_millis(500));
    let finpass = support::builder(&server.url(), &sleeps)
        .timeouts(timeouts)
        .retry(
            RetryConfig::default()
                .max_retries(50)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let err = Op::ItrStatus.run(&finpass).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    // 500 ms of 200 ms attempts: far fewer than the 51 the retry budget alone would allow.
    assert!((2..=4).contains(&err.attempts()), "{}", err.attempts());
}

#[tokio::test]
async fn bursts_of_5xx_are_retried_only_for_reads() {
    for status in [500u16, 502, 503, 504, 408] {
        for op in ALL {
            let server =
                FaultServer::start(vec![Reply::raw(status, "text/plain", b"upstream trouble")])
                    .await;
            let sleeps = Sleeps::default();
            let err = op.run(&client(&server.url(), &sleeps)).await.unwrap_err();
            let expected = op.attempts_if(true, false);
            assert_eq!(err.kind(), ErrorKind::Api, "{status} {op:?}: {err:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(
                (err.attempts(), server.request_count()),
                (expected, expected as usize),
                "{status} {op:?}"
            );
            assert!(err.to_string().contains(&status.to_string()), "{err}");
            assert_eq!(sleeps.taken().len(), expected as usize - 1);
        }
    }
}

#[tokio::test]
async fn read_recovers_after_a_burst_with_growing_jittered_backoff() {
    for op in READS {
        let server = FaultServer::start(vec![
            Reply::status(503),
            Reply::status(502),
            Reply::json(200, op.success_body()),
        ])
        .await;
        let sleeps = Sleeps::default();
        op.run(&client(&server.url(), &sleeps)).await.unwrap();
        assert_eq!(server.request_count(), 3);
        let taken = sleeps.taken();
        assert_eq!(taken.len(), 2);
        // Full jitter below a doubling ceiling: 500 ms, then 1 s.
        assert!(
            taken[0] <= Duration::from_millis(500) && taken[1] <= Duration::from_secs(1),
            "{taken:?}"
        );
    }
}

#[tokio::test]
async fn http_429_without_retry_after_is_retried_for_every_class() {
    // Finpass rejected the request before running it, so even side-effecting calls may repeat it.
    for op in ALL {
        let server = FaultServer::start(vec![Reply::json(
            429,
            serde_json::json!({"success": false, "message": "slow down"}),
        )])
        .await;
        let sleeps = Sleeps::default();
        let err = op.run(&client(&server.url(), &sleeps)).await.unwrap_err();
        assert_eq!(
            err.status().map(|s| s.as_u16()),
            Some(429),
            "{op:?}: {err:?}"
        );
        assert_eq!((err.attempts(), server.request_count()), (3, 3), "{op:?}");
        assert!(err.is_retryable());
        assert_eq!(err.retry_after(), None);
        assert_eq!(sleeps.taken().len(), 2);
    }
}

#[tokio::test]
async fn acceptance_429_with_retry_after_1_then_200_succeeds_after_one_retry() {
    let server = FaultServer::start(vec![
        Reply::json(
            429,
            serde_json::json!({"success": false, "message": "slow down"}),
        )
        .header("retry-after", "1"),
        Reply::json(200, Op::AaInitialize.success_body()),
    ])
    .await;
    let sleeps = Sleeps::default();
    Op::AaInitialize
        .run(&client(&server.url(), &sleeps))
        .await
        .unwrap();
    assert_eq!(server.request_count(), 2);
    assert_eq!(sleeps.taken(), vec![Duration::from_secs(1)]);
}

#[tokio::test(start_paused = true)]
async fn with_the_real_sleep_a_paused_clock_waits_the_retry_after_virtually() {
    // No injected sleep: the client's own tokio sleep on a paused clock (server in the same runtime).
    let server = FaultServer::start(vec![
        Reply::status(429).header("retry-after", "7"),
        Reply::json(200, Op::AaInitialize.success_body()),
    ])
    .await;
    let finpass = finpass_client::Finpass::builder()
        .credentials("k", "s")
        .base_url(server.url())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let wall = std::time::Instant::now();
    Op::AaInitialize.run(&finpass).await.unwrap();
    assert_eq!(server.request_count(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(7),
        "the 7 s Retry-After passed on the clock"
    );
    assert!(
        wall.elapsed() < Duration::from_secs(7),
        "but not in real time"
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    // Well inside both the 60 s cap and the 20 s call deadline of the test client.
    let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
    for op in ALL {
        let server = FaultServer::start(vec![
            Reply::status(429).header("retry-after", &when),
            Reply::json(200, op.success_body()),
        ])
        .await;
        let sleeps = Sleeps::default();
        op.run(&client(&server.url(), &sleeps)).await.unwrap();
        let taken = sleeps.taken();
        // The date has one-second resolution and some time has passed since it was formatted.
        assert!(
            taken.len() == 1
                && taken[0] > Duration::from_secs(5)
                && taken[0] <= Duration::from_secs(10),
            "{taken:?}"
        );
    }
}

#[tokio::test]
async fn retry_after_above_the_cap_is_a_rate_limited_error_carrying_the_delay() {
    let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    for value in ["120", later.as_str()] {
        for op in ALL {
            let server = FaultServer::start(vec![
                Reply::json(
                    429,
                    serde_json::json!({"success": false, "message": "quota"}),
                )
                .header("retry-after", value),
            ])
            .await;
            let sleeps = Sleeps::default();
            let err = op.run(&client(&server.url(), &sleeps)).await.unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::RateLimited,
                "{value} {op:?}: {err:?}"
            );
            assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
            assert!(
                err.retry_after()
                    .is_some_and(|d| d > Duration::from_secs(60)),
                "{:?}",
                err.retry_after()
            );
            assert_eq!((err.attempts(), server.request_count()), (1, 1));
            assert!(sleeps.taken().is_empty(), "never sleeps past the cap");
        }
    }
}

#[tokio::test]
async fn retry_after_beyond_the_call_deadline_gives_up_without_sleeping() {
    // Waiting would only end in a deadline timeout; the caller hears about the 429 now instead.
    let server = FaultServer::start(vec![Reply::status(429).header("retry-after", "30")]).await;
    let sleeps = Sleeps::default();
    let err = Op::AaInitialize
        .run(&client(&server.url(), &sleeps))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!((err.attempts(), server.request_count()), (1, 1));
    assert!(err.is_retryable());
    assert!(sleeps.taken().is_empty());
}

#[tokio::test]
async fn acceptance_503_on_aa_initialize_is_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v1/services/account-aggregator/init");
            then.status(503)
                .header("content-type", "text/plain")
                .body("service unavailable");
        })
        .await;
    let sleeps = Sleeps::default();
    let err = Op::AaInitialize
        .run(&client(&server.base_url(), &sleeps))
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(err.attempts(), 1);
    assert!(
        !err.is_retryable(),
        "a second journey must not be started behind the caller's back"
    );
    assert!(sleeps.taken().is_empty());
}

#[tokio::test]
async fn retries_can_be_disabled_per_client_and_per_call() {
    let server = FaultServer::start(vec![Reply::status(503)]).await;
    let sleeps = Sleeps::default();
    let off = support::builder(&server.url(), &sleeps)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    assert_eq!(Op::ItrStatus.run(&off).await.unwrap_err().attempts(), 1);
    assert_eq!(server.request_count(), 1);

    let default = client(&server.url(), &sleeps);
    let err = Op::ItrStatus
        .run(&default.with_retry(RetryConfig::disabled()))
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.request_count(), 2);

    // And raised per call; the client it was derived from keeps its own setting.
    let more = default.with_retry(RetryConfig::default().max_retries(4));
    assert_eq!(Op::ItrStatus.run(&more).await.unwrap_err().attempts(), 5);
    assert_eq!(Op::ItrStatus.run(&default).await.unwrap_err().attempts(), 3);
    assert_eq!(server.request_count(), 2 + 5 + 3);
    assert_eq!(sleeps.taken().len(), 4 + 2);
}

#[tokio::test]
async fn side_effecting_connect_failures_respect_the_retry_budget() {
    let url = refused_url().await;
    for op in SIDE_EFFECTING {
        let sleeps = Sleeps::default();
        let finpass = support::builder(&url, &sleeps)
            .retry(RetryConfig::default().max_retries(1))
            .build()
            .unwrap();
        assert_eq!(op.run(&finpass).await.unwrap_err().attempts(), 2, "{op:?}");
    }
}

#[tokio::test]
async fn gateway_429_without_a_json_body_is_still_rate_limited() {
    // A CDN or API gateway sends its own 429 page; the delay it asks for matters, not the body.
    for body in [&b""[..], b"<html>Too Many Requests</html>"] {
        for op in ALL {
            let server = FaultServer::start(vec![
                Reply::raw(429, "text/html", body).header("retry-after", "120"),
            ])
            .await;
            let err = op
                .run(&client(&server.url(), &Sleeps::default()))
                .await
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::RateLimited, "{op:?}: {err:?}");
            assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
            assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
        }
    }
}
