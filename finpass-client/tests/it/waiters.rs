//! Waiters under trouble: a floor on the interval, no overflow on huge intervals, the last poll bounded
//! by what is left of the wait, and transient failures (5xx, dropped connections) retried inside the
//! wait per the operation's retry class, while other errors and unknown statuses still end it.

use crate::support;

use std::time::Duration;

use finpass_client::{ErrorKind, Finpass, WaitOptions};
use serde_json::json;
use support::{FaultServer, Reply, Sleeps, client};

fn itr(status: &str) -> Reply {
    Reply::json(
        200,
        json!({"success": true, "message": "ok", "data": {"job_id": "job_1", "status": status}}),
    )
}

async fn wait(finpass: &Finpass, options: WaitOptions) -> Result<String, finpass_client::Error> {
    let done = finpass.wait_for_itr_job("job_1", options).await?;
    Ok(serde_json::to_value(&done.data.status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned())
}

#[tokio::test]
async fn an_interval_of_zero_polls_at_the_one_second_floor() {
    let server =
        FaultServer::start(vec![itr("initiated"), itr("processing"), itr("completed")]).await;
    let sleeps = Sleeps::default();
    let options = WaitOptions::new(Duration::ZERO, Duration::from_secs(60));
    let status = wait(&client(&server.url(), &sleeps), options)
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert_eq!(sleeps.taken(), vec![Duration::from_secs(1); 2]);
}

#[tokio::test]
async fn huge_intervals_and_deadlines_do_not_overflow() {
    let day = Duration::from_secs(86_400);
    let server = FaultServer::start(vec![itr("processing"), itr("completed")]).await;
    let sleeps = Sleeps::default();
    let endless = WaitOptions::new(day, Duration::MAX);
    let status = wait(&client(&server.url(), &sleeps), endless)
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert_eq!(sleeps.taken(), vec![day]);

    for deadline in [Duration::MAX, Duration::from_secs(10)] {
        let server = FaultServer::start(vec![itr("processing")]).await;
        let sleeps = Sleeps::default();
        let options = WaitOptions::new(Duration::MAX, deadline);
        let err = wait(&client(&server.url(), &sleeps), options)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WaitDeadline, "{err}");
        assert_eq!(server.request_count(), 1);
        assert!(sleeps.taken().is_empty());
    }
}

#[tokio::test]
async fn transient_failures_are_retried_inside_the_wait() {
    // Poll 2 meets three 503s (its own retry budget), poll 3 a dropped connection and then the answer.
    let server = FaultServer::start(vec![
        itr("processing"),
        Reply::status(503),
        Reply::status(503),
        Reply::status(503),
        Reply::ResetOnAccept,
        itr("completed"),
    ])
    .await;
    let sleeps = Sleeps::default();
    let options = WaitOptions::new(Duration::from_secs(5), Duration::from_secs(600));
    let status = wait(&client(&server.url(), &sleeps), options)
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert_eq!(
        server.request_count() + 1,
        6,
        "the reset was accepted but never read"
    );
    assert_eq!(server.connections(), 6);
    let intervals = sleeps
        .taken()
        .iter()
        .filter(|d| **d == Duration::from_secs(5))
        .count();
    assert_eq!(
        intervals, 2,
        "one interval after each of the first two polls"
    );
}

#[tokio::test]
async fn other_errors_still_end_the_wait() {
    let server = FaultServer::start(vec![
        itr("processing"),
        Reply::json(
            422,
            json!({"success": false, "message": "job_id is invalid"}),
        ),
        itr("completed"),
    ])
    .await;
    let err = wait(
        &client(&server.url(), &Sleeps::default()),
        WaitOptions::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{err}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_deadline_reached_while_polls_fail_is_a_wait_deadline_naming_the_last_failure() {
    let server = FaultServer::start(vec![itr("processing"), Reply::status(503)]).await;
    let options = WaitOptions::new(Duration::from_secs(10), Duration::from_secs(25));
    let err = wait(&client(&server.url(), &Sleeps::default()), options)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WaitDeadline, "{err}");
    assert!(
        err.to_string().contains("the last poll failed") && err.to_string().contains("503"),
        "{err}"
    );
    // Polls at 0, 10 and 20 s; the 503 polls each spend their three attempts.
    assert_eq!(server.request_count(), 1 + 3 + 3);
}

#[tokio::test(start_paused = true)]
async fn the_last_poll_is_bounded_by_what_is_left_of_the_wait() {
    // Real tokio sleep and timeouts on a paused clock, server in the same runtime. The second poll
    // starts 10 s into a 35 s wait against a silent server: with 25 s left it gets one attempt of
    // 25 s, where the client's own settings (three 30 s attempts) would have run for 90 s.
    let server = FaultServer::start(vec![itr("processing"), Reply::Stall]).await;
    let finpass = Finpass::builder()
        .credentials("k", "s")
        .base_url(server.url())
        .build()
        .unwrap();
    let options = WaitOptions::new(Duration::from_secs(10), Duration::from_secs(35));
    let err = wait(&finpass, options).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WaitDeadline, "{err}");
    assert_eq!(server.request_count(), 2, "{err}");
    // The poll's own HTTP timeout is named, but the error is the waiter's deadline.
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn a_waiter_gives_the_metadata_of_its_last_poll() {
    let server = FaultServer::start(vec![
        itr("processing"),
        Reply::status(503),
        itr("completed").header("x-request-id", "req-last"),
    ])
    .await;
    let sleeps = Sleeps::default();
    let done = client(&server.url(), &sleeps)
        .wait_for_itr_job("job_1", WaitOptions::default())
        .with_response()
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&done.data.status).unwrap(),
        "completed"
    );
    assert_eq!(done.request_id(), Some("req-last"));
    assert_eq!(done.attempts(), 2, "the last poll met one 503 first");
}
