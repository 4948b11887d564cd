//! The journal's `received_at` is read on tokio's clock: under `tokio::time::pause()` a test sees the
//! time between requests (a waiter's interval) without waiting for it.

use std::time::Duration;

use finpass_client::WaitOptions;
use finpass_client::test_util::{MockFinpass, Reply, Rule};
use finpass_client::types::AaBsaJourneyStatusKnown;

/// A mock whose journey is pending for `polls` status calls, then complete.
async fn complete_after(polls: usize) -> MockFinpass {
    let mock = MockFinpass::start().await.unwrap();
    mock.add(Rule::new("aa_bsa_status").reply(Reply::example("analysis_complete")))
        .unwrap();
    // Added later, so it answers first.
    mock.add(
        Rule::new("aa_bsa_status")
            .reply(Reply::example("consent_pending"))
            .times(polls),
    )
    .unwrap();
    mock
}

#[tokio::test(start_paused = true)]
async fn a_waiters_polls_arrive_one_interval_apart_on_a_paused_clock() {
    let mock = complete_after(3).await;
    let every_7s = WaitOptions::new(Duration::from_secs(7), Duration::from_secs(600));

    let started = tokio::time::Instant::now();
    let done = mock
        .client()
        .wait_for_aa_bsa_journey("bsa_clnt_1", every_7s)
        .await
        .unwrap();

    assert_eq!(done.data.status, AaBsaJourneyStatusKnown::AnalysisComplete);
    let polls = mock.requests_to("aa_bsa_status");
    assert_eq!(polls.len(), 4);
    assert_eq!(polls[0].received_at, started, "the first poll at once");
    let gaps: Vec<Duration> = polls
        .windows(2)
        .map(|pair| pair[1].received_at - pair[0].received_at)
        .collect();
    assert_eq!(gaps, [Duration::from_secs(7); 3]);
}

#[tokio::test]
async fn on_a_real_clock_the_kit_does_not_wait() {
    let mock = complete_after(2).await;
    // An hour between polls. A kit that slept would wait two hours: the watchdog turns that hang into
    // a failure (not a timing assertion: it fires only on a kit that sleeps on a real clock).
    let hourly = WaitOptions::new(Duration::from_secs(3600), Duration::from_secs(4 * 3600));
    let waiting = mock.client().wait_for_aa_bsa_journey("bsa_clnt_1", hourly);
    let done = tokio::time::timeout(Duration::from_secs(600), waiting)
        .await
        .expect("the kit slept on a real clock")
        .unwrap();
    assert_eq!(done.data.status, AaBsaJourneyStatusKnown::AnalysisComplete);
    assert_eq!(mock.requests_to("aa_bsa_status").len(), 3);
}
