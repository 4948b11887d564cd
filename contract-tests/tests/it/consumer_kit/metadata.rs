//! The metadata of a successful call, as a consumer reads it: `with_response()` on the call,
//! against the test kit's mock.

use finpass_client::test_util::{MockFinpass, Reply, Rule};

#[tokio::test]
async fn a_success_reports_status_request_id_and_attempts() {
    let mock = MockFinpass::start().await.unwrap();
    // One 503 first (a read is retried), then the documented example with a request id. The last
    // rule added answers first, so the 503 is added last.
    mock.add(
        Rule::new("aa_bsa_status")
            .times(1)
            .reply(Reply::example("consent_pending").header("x-request-id", "req-2024-0042")),
    )
    .unwrap();
    mock.add(
        Rule::new("aa_bsa_status")
            .times(1)
            .reply(Reply::status(503)),
    )
    .unwrap();

    let status = mock
        .client()
        .aa_bsa_status("aa_bsa_123")
        .with_response()
        .await
        .unwrap();
    assert_eq!(status.status().as_u16(), 200);
    assert_eq!(status.request_id(), Some("req-2024-0042"));
    assert_eq!(status.attempts(), 2, "the 503, then the success");
    assert_eq!(status.headers()["x-request-id"], "req-2024-0042");
    // Deref: the typed body, as a plain `.await` gives it.
    assert_eq!(
        serde_json::to_value(&status.data.status).unwrap(),
        "consent_pending"
    );
    assert_eq!(mock.requests_to("aa_bsa_status").len(), 2);

    // Without a request id header, there is none to report (the Finpass docs document none).
    let plain = mock
        .client()
        .aa_bsa_status("aa_bsa_123")
        .with_response()
        .await
        .unwrap();
    assert_eq!((plain.request_id(), plain.attempts()), (None, 1));
}
