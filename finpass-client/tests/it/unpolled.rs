//! A call is built (and its input checked) when the method is called, and sends nothing until it is
//! polled: a call that is made and dropped, or kept unawaited while others run, opens no connection.
//! (The client hands a call's first request to reqwest when the call is made, so this is what keeps
//! that hand-over lazy.)

use crate::support;

use finpass_client::{Finpass, types};
use support::{FaultServer, Op, Reply, Sleeps};

/// Lets the runtime run anything a call might have started on its own.
async fn settle() {
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
}

async fn server(op: Op) -> (FaultServer, Finpass) {
    let server = FaultServer::start(vec![Reply::json(200, op.success_body())]).await;
    let finpass = support::client(&server.url(), &Sleeps::default());
    (server, finpass)
}

#[tokio::test]
async fn a_call_made_and_dropped_sends_nothing() {
    let (server, finpass) = server(Op::AaInitialize).await;
    let call = finpass.aa_initialize(
        types::AaInitializeRequest::builder()
            .mobile_number("9999000000")
            .consent_type("loan_underwriting"),
    );
    settle().await;
    drop(call);
    settle().await;
    // A later call is the first (and only) request the server sees.
    Op::AaInitialize.run(&finpass).await.unwrap();
    settle().await;
    assert_eq!((server.connections(), server.request_count()), (1, 1));
}

#[tokio::test]
async fn a_call_kept_unawaited_sends_when_it_is_awaited() {
    let (server, finpass) = server(Op::AaBsaStatus).await;
    let kept = finpass.aa_bsa_status("bsa_clnt_1").with_response();
    settle().await;
    assert_eq!(server.connections(), 0, "an unpolled call connected");
    let status = kept.await.unwrap();
    assert_eq!(status.attempts(), 1);
    assert_eq!((server.connections(), server.request_count()), (1, 1));
}

#[tokio::test]
async fn a_download_made_and_dropped_sends_nothing() {
    let store = FaultServer::start(vec![Reply::raw(200, "application/pdf", b"%PDF-1.4")]).await;
    let finpass = support::client("http://127.0.0.1:9", &Sleeps::default());
    let link = format!("{}/r.pdf", store.url());
    drop(finpass.download_report_allowing_loopback(&link));
    settle().await;
    assert_eq!(store.connections(), 0, "a dropped download connected");
    let pdf = finpass
        .download_report_allowing_loopback(&link)
        .await
        .unwrap();
    assert_eq!(&pdf[..], b"%PDF-1.4");
    assert_eq!(store.connections(), 1);
}
