//! The `test-util` feature as a consumer uses it: only public items of `finpass_client` (the spec's
//! request examples serve as call arguments where every operation is called). Rules per operation,
//! the request journal, a replayed capture, and every `Error` kind built and matched.

mod errors;
mod journal_clock;
mod metadata;
mod overrides;
mod replay;

use std::time::Duration;

use finpass_client::test_util::{
    ErrorEnvelope, MOCK_API_KEY, MOCK_API_SECRET, MockFinpass, REDACTED, Reply, Rule,
};
use finpass_client::{ErrorKind, RetryConfig, Timeouts, types};
use serde_json::json;

fn initialize(mobile: &str) -> types::builder::AaInitializeRequest {
    types::AaInitializeRequest::builder()
        .mobile_number(mobile)
        .consent_type("loan_underwriting")
}

fn fetch_report(client_id: &str) -> types::builder::AaFetchJsonReportRequest {
    types::AaFetchJsonReportRequest::builder().client_id(client_id)
}

#[tokio::test]
async fn a_body_field_rule_answers_only_matching_requests_and_the_journal_shows_what_was_sent() {
    let mock = MockFinpass::start().await.unwrap();
    let custom = json!({"status_code": 200, "success": true, "message": "Success", "message_code": "success",
        "data": {"client_id": "aa_rule_0001", "mobile_number": "9999000002", "pan_number": null,
        "email_id": null, "redirect_url": "https://consent.example/rule"}});
    let rule = mock
        .add(
            Rule::new("aa_initialize")
                .body_field("/mobile_number", "9999000002")
                .reply(Reply::json(custom)),
        )
        .unwrap();

    let matched = mock
        .client()
        .aa_initialize(initialize("9999000002"))
        .await
        .unwrap();
    assert_eq!(matched.data.client_id, "aa_rule_0001");
    let default = mock
        .client()
        .aa_initialize(initialize("9999000000"))
        .await
        .unwrap();
    assert_ne!(
        default.data.client_id, "aa_rule_0001",
        "the spec's example, not the rule"
    );
    assert_eq!(mock.hits(rule), 1);

    let sent = mock.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].operation_id.as_deref(), Some("aa_initialize"));
    assert_eq!(
        (sent[0].method.as_str(), sent[0].rule),
        ("POST", Some(rule))
    );
    assert_eq!(sent[1].rule, None);
    // The mobile number is personal data: the journal keeps its category, not its value.
    assert_eq!(
        sent[0].json,
        Some(json!({"mobile_number": "<redacted: contact>", "consent_type": "loan_underwriting"}))
    );
    assert!(!format!("{sent:?}").contains("9999000002"));
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
    assert_eq!(
        sent[0].header("x-api-key"),
        Some(REDACTED),
        "sent, value not kept"
    );
    assert_eq!(sent[0].header("x-api-secret"), Some(REDACTED));
    let journal = format!("{sent:?}");
    for credential in [MOCK_API_KEY, MOCK_API_SECRET] {
        assert!(!journal.contains(credential), "{credential} in the journal");
    }
}

#[tokio::test]
async fn status_error_envelope_and_example_rules() {
    let mock = MockFinpass::start().await.unwrap();
    // A status: a read is retried on 503 (twice by default), then the status is reported.
    mock.add(Rule::new("aa_fetch_json_report").reply(Reply::status(503)))
        .unwrap();
    let e = mock
        .client()
        .aa_fetch_json_report(fetch_report("aa_1"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.status().map(|s| s.as_u16())),
        (ErrorKind::Api, Some(503))
    );
    assert_eq!(e.attempts(), 3);
    assert_eq!(
        mock.requests_to("aa_fetch_json_report").len(),
        3,
        "every retry journalled"
    );

    // An error envelope, read through the Error accessors; the AA envelope repeats the status.
    let envelope =
        ErrorEnvelope::new(422, "Invalid Mobile Number").message_code("invalid_mobile_number");
    mock.add(
        Rule::new("aa_initialize")
            .reply(Reply::error(envelope).header("x-request-id", "req-42"))
            .times(1),
    )
    .unwrap();
    let e = mock
        .client()
        .aa_initialize(initialize("9999000000"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(e.message(), Some("Invalid Mobile Number"));
    assert_eq!(e.message_code(), Some("invalid_mobile_number"));
    assert_eq!(e.request_id(), Some("req-42"));
    let body: serde_json::Value = serde_json::from_slice(e.body().unwrap()).unwrap();
    assert_eq!(
        (body["success"].clone(), body["status_code"].clone()),
        (json!(false), json!(422))
    );
    assert!(
        mock.client()
            .aa_initialize(initialize("9999000000"))
            .await
            .is_ok(),
        "used up"
    );

    // The ITR family's `error_code`.
    mock.add(Rule::new("itr_status").reply(Reply::error(
        ErrorEnvelope::new(400, "username must be a PAN").error_code("INVALID_INPUT"),
    )))
    .unwrap();
    let itr = types::ItrStatusRequest::builder().job_id("itr_1");
    let e = mock.client().itr_status(itr).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.error_code()),
        (ErrorKind::Api, Some("INVALID_INPUT"))
    );

    // A documented example by name, for a request with this query value only.
    mock.add(
        Rule::new("aa_bsa_status")
            .query("client_id", "bsa done/1")
            .reply(Reply::example("consent_pending")),
    )
    .unwrap();
    let done = mock.client().aa_bsa_status("bsa done/1").await.unwrap();
    let other = mock.client().aa_bsa_status("bsa_other").await.unwrap();
    assert_ne!(
        serde_json::to_value(&done.data.status).unwrap(),
        serde_json::to_value(&other.data.status).unwrap(),
        "the named example, then the spec-driven default"
    );
    assert_eq!(
        mock.requests_to("aa_bsa_status")[0]
            .query_param("client_id")
            .as_deref(),
        Some("bsa done/1")
    );
}

#[tokio::test(start_paused = true)]
async fn a_delay_passes_on_a_paused_clock_and_can_outlast_the_attempt_timeout() {
    let mock = MockFinpass::start().await.unwrap();
    // The last rule added answers first: 20 s once, then 600 s.
    mock.add(
        Rule::new("aa_initialize").reply(Reply::spec_default().after(Duration::from_secs(600))),
    )
    .unwrap();
    mock.add(
        Rule::new("aa_initialize")
            .reply(Reply::spec_default().after(Duration::from_secs(20)))
            .times(1),
    )
    .unwrap();
    let client = mock
        .client()
        .with_timeouts(Timeouts::default().attempt(Duration::from_secs(30)));
    assert!(
        client.aa_initialize(initialize("9999000000")).await.is_ok(),
        "20 s < 30 s"
    );
    let e = client
        .aa_initialize(initialize("9999000000"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(
        e.attempts(),
        1,
        "a side-effecting call is not repeated after a timeout"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_and_a_read_is_retried() {
    let mock = MockFinpass::start().await.unwrap();
    mock.add(Rule::new("aa_initialize").reply(Reply::drop_connection()))
        .unwrap();
    let e = mock
        .client()
        .aa_initialize(initialize("9999000000"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.status(), e.attempts()),
        (ErrorKind::Transport, None, 1)
    );
    assert_eq!(
        mock.requests_to("aa_initialize").len(),
        1,
        "not repeated: it may have run"
    );

    let drop_once = mock
        .add(
            Rule::new("aa_fetch_json_report")
                .reply(Reply::drop_connection())
                .times(1),
        )
        .unwrap();
    let report = mock
        .client()
        .aa_fetch_json_report(fetch_report("aa_2"))
        .await;
    assert!(report.is_ok(), "{report:?}");
    let sent = mock.requests_to("aa_fetch_json_report");
    assert_eq!(sent.len(), 2, "the read was retried");
    assert_eq!((sent[0].rule, sent[1].rule), (Some(drop_once), None));
    assert_eq!(sent[0].body, sent[1].body, "the same request again");

    let once = mock.client().with_retry(RetryConfig::disabled());
    mock.add(Rule::new("aa_fetch_json_report").reply(Reply::drop_connection()))
        .unwrap();
    let e = once
        .aa_fetch_json_report(fetch_report("aa_3"))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Transport, 1));
}

#[tokio::test]
async fn a_rule_can_be_added_for_every_operation_and_answers_its_call() {
    let spec = finpass_contract::Spec::embedded();
    let mock = MockFinpass::start().await.unwrap();
    let mut called = 0;
    for op in finpass_client::operation::all() {
        let rule = mock
            .add(
                Rule::new(op.id)
                    .reply(Reply::spec_default().header("x-rule", op.id))
                    .times(1),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", op.id));
        let outcome = if op.id == "bsa_upload_statement" {
            let file =
                finpass_client::StatementFile::from_bytes("march.pdf", &b"%PDF-1.4"[..]).unwrap();
            mock.client().bsa_upload_statement(file).await.map(|_| ())
        } else {
            let example = spec.operation(op.id).unwrap();
            let args = crate::support::operation_args(&spec, &example);
            let called = mock.client().call_by_operation_id(op.id, args).await;
            let Some(result) = called else {
                panic!("{} is not dispatchable", op.id)
            };
            result.map(|_| ())
        };
        outcome.unwrap_or_else(|e| panic!("{}: {e}", op.id));
        assert_eq!(mock.hits(rule), 1, "{}", op.id);
        let sent = mock.requests();
        let last = sent.last().unwrap();
        assert_eq!(
            (last.operation_id.as_deref(), last.rule),
            (Some(op.id), Some(rule))
        );
        assert_eq!(
            (last.method.as_str(), last.path.as_str()),
            (op.method, op.path)
        );
        called += 1;
    }
    assert_eq!(called, finpass_client::operation::all().len());
    assert!(called >= 18, "{called}");
}

#[tokio::test]
async fn a_captured_response_replays_into_a_fresh_mock_as_the_same_typed_value() {
    let dir = std::env::temp_dir().join(format!("finpass-consumer-capture-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let recording = MockFinpass::start().await.unwrap();
    recording
        .add(Rule::new("aa_bsa_status").reply(Reply::example("consent_pending")))
        .unwrap();
    let capturing = recording
        .client_builder()
        .capture_responses(&dir)
        .build()
        .unwrap();
    let original = capturing.aa_bsa_status("bsa_1").await.unwrap();

    let fresh = MockFinpass::start().await.unwrap();
    assert_eq!(fresh.replay_captures(&dir).unwrap(), 1);
    let replayed = fresh.client().aa_bsa_status("bsa_1").await.unwrap();
    let again = fresh.client().aa_bsa_status("bsa_1").await.unwrap();
    let captured: serde_json::Value = {
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
    };
    std::fs::remove_dir_all(&dir).ok();

    let typed: types::AaBsaStatusResponse =
        serde_json::from_value(captured["body"].clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&replayed).unwrap(),
        serde_json::to_value(&typed).unwrap()
    );
    // The capture keeps enum values and drops personal data (strings become "").
    let status = |v: &types::AaBsaStatusResponse| serde_json::to_value(&v.data.status).unwrap();
    assert_eq!(status(&replayed), status(&original));
    assert_eq!(replayed.data.client_id, "");
    assert_ne!(original.data.client_id, "");
    assert_ne!(
        status(&again),
        status(&replayed),
        "replayed once, then the spec-driven default"
    );
}

/// The README's example is the `test_util` module's doc example, which `cargo test --doc` compiles
/// and runs: the README cannot drift from code that works.
#[test]
fn the_readme_example_is_the_compiled_module_doc_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("finpass-client/README.md")).unwrap();
    let section = readme
        .split("## Testing your code with `test-util`")
        .nth(1)
        .expect("README has the test-util section");
    let fenced = |text: &str| -> String {
        let start = text.find("```rust\n").expect("a rust block") + "```rust\n".len();
        text[start..start + text[start..].find("```").unwrap()].to_owned()
    };
    let module = std::fs::read_to_string(root.join("finpass-client/src/test_util.rs")).unwrap();
    let doc: String = module
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
        .collect();
    let example = fenced(&doc);
    assert!(example.contains("MockFinpass::start()"), "{example}");
    assert_eq!(fenced(section), example);
}
