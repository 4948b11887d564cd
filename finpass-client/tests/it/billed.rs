//! Billed lookups (the spec's `x-finpass.retry: billed`): repeated only when the request provably did
//! not run, unless the client says they are free (`RetryConfig::retry_billed_as_read`). Backoff is
//! recorded by a sleep function that returns at once.

use crate::support;

use finpass_client::operation::{self, RetryClass};
use finpass_client::{ErrorKind, RetryConfig, StatementFile};
use support::{BILLED, FaultServer, Op, Reply, Sleeps, refused_url};

/// The faults after which the lookup may have run (and been billed): kind, and the reply that causes it.
fn may_have_run() -> Vec<(ErrorKind, Reply)> {
    vec![
        (ErrorKind::Api, Reply::status(503)),
        (ErrorKind::Api, Reply::status(502)),
        (ErrorKind::Timeout, Reply::Stall),
        (ErrorKind::Transport, Reply::ResetOnAccept),
    ]
}

async fn attempts(retry: RetryConfig, op: Op, reply: Reply) -> (finpass_client::Error, u32) {
    let server = FaultServer::start(vec![reply]).await;
    let sleeps = Sleeps::default();
    let finpass = support::builder(&server.url(), &sleeps)
        .retry(retry)
        .build()
        .unwrap();
    let err = op.run(&finpass).await.unwrap_err();
    assert_eq!(err.attempts(), server.connections(), "{op:?}: {err:?}");
    assert_eq!(sleeps.taken().len() as u32, err.attempts() - 1, "{op:?}");
    (err, server.connections())
}

#[tokio::test]
async fn billed_lookups_retry_only_when_they_did_not_run() {
    for op in BILLED {
        for (kind, reply) in may_have_run() {
            let case = format!("{op:?} {reply:?}");
            let (err, seen) = attempts(RetryConfig::default(), op, reply).await;
            assert_eq!(err.kind(), kind, "{case}: {err:?}");
            assert_eq!(seen, 1, "{case}: may have been billed, so not repeated");
            assert!(!err.is_retryable(), "{case}");
        }
        // Rejected before running: repeated, as for every class.
        let (err, seen) = attempts(RetryConfig::default(), op, Reply::status(429)).await;
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429), "{op:?}");
        assert_eq!(seen, 3, "{op:?} 429");
        assert!(err.is_retryable());

        let sleeps = Sleeps::default();
        let finpass = support::client(&refused_url().await, &sleeps);
        let err = op.run(&finpass).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connect, "{op:?}: {err:?}");
        assert_eq!((err.attempts(), sleeps.taken().len()), (3, 2), "{op:?}");
    }
}

#[tokio::test]
async fn billed_lookups_retry_like_reads_when_the_client_says_they_are_free() {
    let free = RetryConfig::default().retry_billed_as_read(true);
    for op in BILLED {
        for (kind, reply) in may_have_run() {
            let case = format!("{op:?} {reply:?}");
            let (err, seen) = attempts(free.clone(), op, reply).await;
            assert_eq!(err.kind(), kind, "{case}: {err:?}");
            assert_eq!(seen, 3, "{case}: retried like a read");
            assert!(err.is_retryable(), "{case}");
        }
    }
    // Per call too, and a billed lookup recovers after a burst like a read does.
    let server = FaultServer::start(vec![
        Reply::status(503),
        Reply::ResetOnAccept,
        Reply::json(200, Op::CinLookup.success_body()),
    ])
    .await;
    let sleeps = Sleeps::default();
    let strict = support::client(&server.url(), &sleeps);
    Op::CinLookup.run(&strict.with_retry(free)).await.unwrap();
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn the_switch_never_repeats_a_side_effecting_call() {
    // A bureau pull may cost nothing under some contracts, but a repeat leaves a second enquiry on the
    // person's credit file: the switch is about billed lookups only.
    let free = RetryConfig::default().retry_billed_as_read(true);
    for op in [Op::MultiBureauFetch, Op::AaInitialize] {
        for (kind, reply) in may_have_run() {
            let (err, seen) = attempts(free.clone(), op, reply.clone()).await;
            assert_eq!(err.kind(), kind, "{op:?} {reply:?}: {err:?}");
            assert_eq!(seen, 1, "{op:?} {reply:?}");
        }
    }
}

#[tokio::test]
async fn an_upload_is_sent_once_even_after_a_rejection_every_class_repeats() {
    // A 429 means the request did not run, so every generated operation repeats it (above); the
    // upload's multipart body is a stream, read as it is sent, so it has nothing to send again.
    let server = FaultServer::start(vec![Reply::status(429)]).await;
    let sleeps = Sleeps::default();
    let finpass = support::client(&server.url(), &sleeps);
    let statement =
        StatementFile::from_bytes("march-2024.pdf", &b"%PDF-1.4 statement"[..]).unwrap();
    let err = finpass.bsa_upload_statement(statement).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err:?}");
    assert_eq!((err.attempts(), server.connections()), (1, 1));
    assert!(sleeps.taken().is_empty());
}

#[test]
fn the_operation_table_follows_the_spec_markers() {
    let spec = finpass_contract::Spec::embedded();
    let in_spec = spec.operations();
    assert_eq!(in_spec.len(), operation::all().len());
    for op in in_spec {
        let marker = op.op["x-finpass"]["retry"].as_str();
        let expected = match marker {
            Some("read") => RetryClass::Read,
            Some("billed") => RetryClass::Billed,
            Some("side-effecting") => RetryClass::SideEffecting,
            other => panic!("{}: unknown retry marker {other:?}", op.id),
        };
        let table = operation::find(op.id).unwrap_or_else(|| panic!("{} not in the table", op.id));
        assert_eq!(table.retry, expected, "{}", op.id);
    }
    // What the issue decided: the corporate lookups are billed; the bureau pull stays side-effecting.
    for id in [
        "corporate_cin_lookup",
        "corporate_llpin_lookup",
        "corporate_pan_lookup",
        "corporate_company_autocomplete",
    ] {
        assert_eq!(
            operation::find(id).unwrap().retry,
            RetryClass::Billed,
            "{id}"
        );
    }
    assert_eq!(
        operation::find("multi_bureau_fetch").unwrap().retry,
        RetryClass::SideEffecting
    );
}
