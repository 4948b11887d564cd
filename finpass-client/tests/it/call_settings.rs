//! Per-call settings (`Finpass::with_retry`, `with_timeouts`, `with_header`) hold for the calls of
//! the client value they return, whichever way they change the client's own: more or fewer retries,
//! a nearer or a farther deadline, headers on retries too. (The attempt timeout, both ways:
//! `options.rs`.)

use std::time::Duration;

use crate::support;

use finpass_client::{ErrorKind, Finpass, RetryConfig, Timeouts};
use support::{FaultServer, Op, Reply, Sleeps};

/// Two 503s, then the documented answer: three attempts succeed, fewer fail.
async fn flaky() -> FaultServer {
    FaultServer::start(vec![
        Reply::status(503),
        Reply::status(503),
        Reply::json(200, Op::AaBsaStatus.success_body()),
    ])
    .await
}

fn built(server: &FaultServer, retry: RetryConfig, timeouts: Timeouts) -> Finpass {
    support::builder(&server.url(), &Sleeps::default())
        .retry(retry)
        .timeouts(timeouts)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_per_call_retry_policy_holds_both_ways() {
    // The client retries; this call does not.
    let server = flaky().await;
    let finpass = built(&server, RetryConfig::default(), support::fast_timeouts());
    let once = finpass.with_retry(RetryConfig::disabled());
    let err = Op::AaBsaStatus.run(&once).await.unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.attempts()),
        (Some(503), 1)
    );
    // The client value it came from still retries (the second 503, then the answer).
    Op::AaBsaStatus.run(&finpass).await.unwrap();
    assert_eq!(server.request_count(), 3);

    // The client does not retry; this call does.
    let server = flaky().await;
    let finpass = built(&server, RetryConfig::disabled(), support::fast_timeouts());
    let patient = finpass.with_retry(RetryConfig::default());
    let status = patient
        .aa_bsa_status("bsa_clnt_1")
        .with_response()
        .await
        .unwrap();
    assert_eq!(status.attempts(), 3);
    assert_eq!(server.request_count(), 3);
}

/// Attempts made against [`flaky`] by a client built with `timeouts`, or by its `with_timeouts(call)`.
async fn attempts(timeouts: Timeouts, call: Option<Timeouts>) -> u32 {
    // Backoff without jitter: 500 ms before the second attempt, 1 s before the third.
    let server = flaky().await;
    let mut finpass = built(&server, RetryConfig::default().without_jitter(), timeouts);
    if let Some(call) = call {
        finpass = finpass.with_timeouts(call);
    }
    let attempts = match finpass.aa_bsa_status("bsa_clnt_1").with_response().await {
        Ok(status) => status.attempts(),
        Err(err) => err.attempts(),
    };
    assert_eq!(attempts as usize, server.request_count());
    attempts
}

#[tokio::test]
async fn a_per_call_deadline_holds_both_ways() {
    // With 700 ms for the whole call the third attempt cannot fit after 1.5 s of backoff; with 20 s
    // it does.
    let near = support::fast_timeouts().deadline(Duration::from_millis(700));
    let far = support::fast_timeouts().deadline(Duration::from_secs(20));
    assert_eq!(attempts(far, None).await, 3);
    assert_eq!(attempts(far, Some(near)).await, 2, "nearer per call");
    assert_eq!(attempts(near, None).await, 2);
    assert_eq!(attempts(near, Some(far)).await, 3, "farther per call");
}

#[tokio::test(start_paused = true)]
async fn a_per_call_deadline_bounds_the_attempt_too() {
    // A silent server in this runtime, on a paused clock: the client's timers run in virtual time.
    // The attempt timeout (30 s) and the client's deadline (20 s) are cut to this call's 300 ms.
    let server = FaultServer::start(vec![Reply::Stall]).await;
    let patient = support::fast_timeouts().attempt(Duration::from_secs(30));
    let finpass = built(&server, RetryConfig::disabled(), patient);
    let started = tokio::time::Instant::now();
    let err = Op::AaBsaStatus
        .run(&finpass.with_timeouts(patient.deadline(Duration::from_millis(300))))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(1),
        "virtual time {elapsed:?}"
    );
}

#[tokio::test]
async fn per_call_headers_go_with_every_attempt_of_that_client_value_only() {
    let server = FaultServer::start(vec![
        Reply::status(503),
        Reply::json(200, Op::AaBsaStatus.success_body()),
        Reply::json(200, Op::AaBsaStatus.success_body()),
    ])
    .await;
    let finpass = built(&server, RetryConfig::default(), support::fast_timeouts());
    let tagged = finpass.with_header("x-correlation-id", "loan-7").unwrap();
    Op::AaBsaStatus.run(&tagged).await.unwrap();
    Op::AaBsaStatus.run(&finpass).await.unwrap();
    let heads = server.requests.lock().unwrap().clone();
    let carries = |head: &String| head.contains("x-correlation-id: loan-7");
    assert_eq!(
        heads.iter().map(carries).collect::<Vec<_>>(),
        [true, true, false],
        "the 503 and its retry carry it, the other client value's call does not"
    );
    // Nothing else of the request changes with the header.
    assert!(heads.iter().all(|h| h.contains("x-api-key")), "{heads:?}");
}
