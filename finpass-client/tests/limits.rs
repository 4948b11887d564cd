//! Response bodies are bounded: a declared size over the cap fails before anything is read, and the
//! error keeps the status and names the limit.

mod support;

use finpass_client::{ErrorKind, RetryConfig};
use support::{FaultServer, Op, Reply, Sleeps};

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
