//! Response bodies and report downloads are bounded: a declared size over the cap fails before anything
//! is read, a body streamed without a length stops being read at the cap, and the error keeps the
//! status and names the limit.

use crate::support;

use finpass_client::{ErrorKind, RetryConfig};
use support::{FaultServer, Op, Reply, Sleeps, Streamed, Streamer};

/// What the streaming server sends: far more than any cap below, far less than a test may hold.
const STREAMED: u64 = 256 << 20;
const CAP: u64 = 64 << 10;

/// The server saw the connection closed while it still had most of the body to send. (Loopback socket
/// buffers hold a few MiB at most; without the cap the client reads all 256 MiB.)
fn stopped_early(ended: Streamed) {
    assert!(!ended.completed, "{ended:?}");
    assert!(ended.sent < STREAMED / 8, "{ended:?}");
}

#[tokio::test]
async fn a_body_declared_over_the_cap_is_refused_before_reading() {
    // 4 GiB announced, a few bytes sent: without the cap this is a body cut short (a transport error).
    let server = FaultServer::start(vec![Reply::Short {
        status: 200,
        announced: 4 << 30,
        body: b"{\"success\": true".to_vec(),
    }])
    .await;
    let finpass = support::builder(&server.url(), &Sleeps::default())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let err = Op::AaBsaStatus.run(&finpass).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(err.to_string().contains("67108864-byte limit"), "{err}");
    assert!(err.body().is_none(), "nothing of the body is kept");
}

#[tokio::test]
async fn the_cap_is_configurable_and_a_body_over_it_is_not_retried() {
    let body = Op::AaBsaStatus.success_body().to_string();
    let server =
        FaultServer::start(vec![Reply::raw(200, "application/json", body.as_bytes())]).await;
    let small = support::builder(&server.url(), &Sleeps::default())
        .max_response_bytes(16)
        .build()
        .unwrap();
    let err = Op::AaBsaStatus.run(&small).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err:?}");
    assert!(err.to_string().contains("16-byte limit"), "{err}");
    assert_eq!(
        (err.attempts(), server.connections()),
        (1, 1),
        "a read over the cap is not repeated"
    );
    // The same body under a cap that fits decodes.
    let roomy = support::builder(&server.url(), &Sleeps::default())
        .max_response_bytes(body.len() as u64)
        .build()
        .unwrap();
    Op::AaBsaStatus.run(&roomy).await.unwrap();
}

#[tokio::test]
async fn a_body_streamed_past_the_cap_stops_being_read_and_is_not_retried() {
    for status in [200u16, 503] {
        let server = Streamer::start(status, STREAMED).await;
        // Default retries: a read after a 503 is retried, so only the cap can stop it here.
        let finpass = support::builder(&server.url(), &Sleeps::default())
            .max_response_bytes(CAP)
            .build()
            .unwrap();
        let err = Op::AaBsaStatus.run(&finpass).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{status}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(err.to_string().contains("65536-byte limit"), "{err}");
        assert!(err.body().is_none(), "nothing of the body is kept");
        assert!(!err.is_retryable());
        assert_eq!((err.attempts(), server.connections()), (1, 1), "{status}");
        stopped_early(server.next_ended().await);
    }
}

#[tokio::test]
async fn a_download_streamed_past_the_cap_stops_being_read() {
    let server = Streamer::start(200, STREAMED).await;
    let finpass = support::builder("http://127.0.0.1:9", &Sleeps::default())
        .max_download_bytes(CAP)
        .build()
        .unwrap();
    let err = finpass
        .download_report_allowing_loopback(&format!("{}/r.pdf", server.url()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(err.to_string().contains("65536-byte limit"), "{err}");
    assert!(err.body().is_none());
    assert_eq!((err.attempts(), server.connections()), (1, 1));
    stopped_early(server.next_ended().await);
}

#[tokio::test]
async fn a_download_declared_over_the_cap_is_refused_before_reading() {
    let server = FaultServer::start(vec![Reply::Short {
        status: 200,
        announced: 4 << 30,
        body: b"%PDF-1.4".to_vec(),
    }])
    .await;
    let finpass = support::builder("http://127.0.0.1:9", &Sleeps::default())
        .max_download_bytes(CAP)
        .build()
        .unwrap();
    let err = finpass
        .download_report_allowing_loopback(&format!("{}/r.pdf", server.url()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(err.to_string().contains("65536-byte limit"), "{err}");
    assert_eq!((err.attempts(), server.connections()), (1, 1));
}

#[tokio::test]
async fn a_streamed_body_under_the_cap_is_read_whole() {
    // The same server and cap with a body that fits: the chunked path reads to the end.
    let server = Streamer::start(200, CAP).await;
    let finpass = support::builder("http://127.0.0.1:9", &Sleeps::default())
        .max_download_bytes(CAP)
        .build()
        .unwrap();
    let body = finpass
        .download_report_allowing_loopback(&server.url())
        .await
        .unwrap();
    assert_eq!(body.len() as u64, CAP);
    assert_eq!(
        server.next_ended().await,
        Streamed {
            sent: CAP,
            completed: true
        }
    );
}
