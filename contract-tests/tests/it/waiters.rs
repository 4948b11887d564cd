//! Waiters poll until a terminal state, at the configured interval, and end in a typed timeout at the
//! deadline. Sleeping is replaced by a recorder, so nothing really waits.

use std::time::Duration;

use finpass_client::{ErrorKind, Finpass, WaitOptions};
use serde_json::{Value, json};

use crate::support::{API_KEY, API_SECRET, Sequence, recording_sleep};

fn aa_bsa(status: &str) -> Value {
    json!({"success": true, "message": "ok", "data": {"client_id": "bsa_clnt_1", "status": status}})
}

fn itr(status: &str) -> Value {
    json!({"success": true, "message": "ok", "data": {"job_id": "job_1", "status": status}})
}

fn bsa(status: &str) -> Value {
    json!({"doc_id": "svclog_1", "client_id": "bank_statement_1", "status": status})
}

async fn client(server: &Sequence) -> (Finpass, std::sync::Arc<std::sync::Mutex<Vec<Duration>>>) {
    let (sleep, slept) = recording_sleep();
    let finpass = Finpass::builder()
        .credentials(API_KEY, API_SECRET)
        .base_url(server.base_url.clone())
        .sleep_fn(sleep)
        .build()
        .unwrap();
    (finpass, slept)
}

const EVERY_7S: WaitOptions = WaitOptions::new(Duration::from_secs(7), Duration::from_secs(600));

#[tokio::test]
async fn aa_bsa_waiter_polls_through_every_in_progress_state_until_analysis_complete() {
    let server = Sequence::serve(vec![
        aa_bsa("initiated"),
        aa_bsa("consent_pending"),
        aa_bsa("consent_granted"),
        aa_bsa("data_fetching"),
        aa_bsa("analysis_complete"),
    ])
    .await;
    let (finpass, slept) = client(&server).await;
    let done = finpass
        .wait_for_aa_bsa_journey("bsa_clnt_1", EVERY_7S)
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&done.data.status).unwrap(),
        "analysis_complete"
    );
    assert_eq!(server.hits(), 5);
    assert_eq!(*slept.lock().unwrap(), vec![Duration::from_secs(7); 4]);
}

#[tokio::test]
async fn an_undocumented_status_ends_the_wait_and_is_returned() {
    let server = Sequence::serve(vec![aa_bsa("consent_pending"), aa_bsa("consent_rejected")]).await;
    let (finpass, _) = client(&server).await;
    let done = finpass
        .wait_for_aa_bsa_journey("bsa_clnt_1", EVERY_7S)
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&done.data.status).unwrap(),
        "consent_rejected"
    );
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn itr_waiter_stops_at_completed_or_failed() {
    for last in ["completed", "failed"] {
        let server = Sequence::serve(vec![itr("initiated"), itr("processing"), itr(last)]).await;
        let (finpass, slept) = client(&server).await;
        let done = finpass
            .wait_for_itr_job("job_1", WaitOptions::default())
            .await
            .unwrap();
        assert_eq!(serde_json::to_value(&done.data.status).unwrap(), last);
        assert_eq!(server.hits(), 3);
        assert_eq!(
            *slept.lock().unwrap(),
            vec![Duration::from_secs(5); 2],
            "default interval is 5 s"
        );
    }
}

#[tokio::test]
async fn bsa_waiter_times_out_with_a_typed_error_naming_the_last_status() {
    let server = Sequence::serve(vec![bsa("processing")]).await;
    let (finpass, slept) = client(&server).await;
    let options = WaitOptions::new(Duration::from_secs(10), Duration::from_secs(35));
    let e = finpass
        .wait_for_bsa_statement("bank_statement_1", options)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WaitDeadline);
    assert!(e.to_string().contains("`processing`"), "{e}");
    assert_eq!(
        server.hits(),
        4,
        "polls at 0, 10, 20 and 30 s; the next would pass the deadline"
    );
    assert_eq!(slept.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_failing_poll_ends_the_wait_with_its_error() {
    let server = Sequence::serve(vec![json!({"unexpected": true})]).await;
    let (finpass, _) = client(&server).await;
    let e = finpass
        .wait_for_bsa_statement("bank_statement_1", EVERY_7S)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[tokio::test(start_paused = true)]
async fn with_the_default_sleep_a_paused_clock_drives_the_wait_without_real_sleeping() {
    // The real tokio sleep, on a paused clock: the 5 s intervals pass virtually.
    let server = Sequence::serve(vec![itr("initiated"), itr("processing"), itr("completed")]).await;
    let finpass = Finpass::builder()
        .credentials(API_KEY, API_SECRET)
        .base_url(server.base_url.clone())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let wall = std::time::Instant::now();
    let done = finpass
        .wait_for_itr_job("job_1", WaitOptions::default())
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&done.data.status).unwrap(),
        "completed"
    );
    assert_eq!(server.hits(), 3);
    assert!(
        started.elapsed() >= Duration::from_secs(10),
        "two 5 s intervals passed on the clock"
    );
    assert!(wall.elapsed() < started.elapsed(), "and not in real time");
}
