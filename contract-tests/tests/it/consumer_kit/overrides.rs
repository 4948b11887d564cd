//! Rules as a test suite layers them: a shared fixture sets a default, one test overrides it by adding
//! its own rule (the last added wins), and removing the override brings the default back.

use finpass_client::test_util::{MockFinpass, Reply, Rule};
use finpass_client::types::AaBsaJourneyStatusKnown;

/// What every test of a suite starts from: journeys are still waiting for consent.
async fn fixture() -> MockFinpass {
    let mock = MockFinpass::start().await.unwrap();
    mock.add(Rule::new("aa_bsa_status").reply(Reply::example("consent_pending")))
        .unwrap();
    mock
}

#[tokio::test]
async fn a_tests_later_rule_answers_instead_of_the_fixtures() {
    let mock = fixture().await;
    let status = || async {
        mock.client()
            .aa_bsa_status("bsa_1")
            .await
            .unwrap()
            .data
            .status
    };
    assert_eq!(status().await, AaBsaJourneyStatusKnown::ConsentPending);

    // This test's journey is complete: its rule, added later, answers.
    let complete = mock
        .add(Rule::new("aa_bsa_status").reply(Reply::example("analysis_complete")))
        .unwrap();
    assert_eq!(status().await, AaBsaJourneyStatusKnown::AnalysisComplete);
    assert_eq!(status().await, AaBsaJourneyStatusKnown::AnalysisComplete);
    assert_eq!(mock.hits(complete), 2);

    // Taken out, the fixture's default answers again.
    assert!(mock.remove(complete));
    assert!(!mock.remove(complete), "already out");
    assert_eq!(status().await, AaBsaJourneyStatusKnown::ConsentPending);
    assert_eq!(mock.hits(complete), 2, "a removed rule keeps its count");
    let answered_by: Vec<_> = mock
        .requests_to("aa_bsa_status")
        .iter()
        .map(|r| r.rule == Some(complete))
        .collect();
    assert_eq!(answered_by, [false, true, true, false]);
}

#[tokio::test]
async fn a_used_up_override_falls_back_to_the_rule_before_it() {
    let mock = fixture().await;
    mock.add(
        Rule::new("aa_bsa_status")
            .query("client_id", "bsa_done")
            .reply(Reply::example("analysis_complete"))
            .times(1),
    )
    .unwrap();
    let mock = &mock;
    let status = |id: &'static str| async move {
        mock.client().aa_bsa_status(id).await.unwrap().data.status
    };
    assert_eq!(
        status("bsa_other").await,
        AaBsaJourneyStatusKnown::ConsentPending,
        "its condition does not hold"
    );
    assert_eq!(
        status("bsa_done").await,
        AaBsaJourneyStatusKnown::AnalysisComplete
    );
    assert_eq!(
        status("bsa_done").await,
        AaBsaJourneyStatusKnown::ConsentPending,
        "used up"
    );
}
