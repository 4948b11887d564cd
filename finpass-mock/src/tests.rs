//! The engine over TCP: the order of credentials, body limit, rules and request checks.
use super::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const INIT: &str = "POST /api/v1/services/account-aggregator/init HTTP/1.1\r\nhost: mock\r\n";
const CREDENTIALS: &str = "x-api-key: k\r\nx-api-secret: s\r\n";

async fn start(body_limit: usize) -> MockServer {
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    MockServer::serve(Spec::embedded(), MockAuth::default(), addr, body_limit)
        .await
        .unwrap()
}

/// Sends `request` as is and returns the status of the answer. The requests below announce more
/// body than they send, so a mock that waited for it would never answer: the watchdog turns that
/// hang into a failure (it is not a timing assertion; it only fires on a broken mock).
async fn status_of(server: &MockServer, request: &[u8]) -> u16 {
    let exchange = async {
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await.unwrap();
        String::from_utf8_lossy(&head[9..12]).parse().unwrap()
    };
    tokio::time::timeout(Duration::from_secs(60), exchange)
        .await
        .expect("the mock waited for a body it should not read")
}

#[tokio::test]
async fn auth_is_checked_before_the_body_is_read() {
    let server = start(MAX_REQUEST_BODY).await;
    let request = format!("{INIT}content-length: 1000000000\r\n\r\n{{\"mob");
    assert_eq!(status_of(&server, request.as_bytes()).await, 401);
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_413_without_reading_it() {
    let server = start(1024).await;
    let request = format!("{INIT}{CREDENTIALS}content-length: 1025\r\n\r\n{{");
    assert_eq!(status_of(&server, request.as_bytes()).await, 413);
}

#[tokio::test]
async fn a_streamed_body_past_the_limit_is_413() {
    let server = start(1024).await;
    let mut request = format!("{INIT}{CREDENTIALS}transfer-encoding: chunked\r\n\r\n");
    for _ in 0..4 {
        request.push_str(&format!("200\r\n{}\r\n", "x".repeat(512)));
    }
    request.push_str("0\r\n\r\n");
    assert_eq!(status_of(&server, request.as_bytes()).await, 413);
}

#[tokio::test]
async fn a_body_within_the_limit_is_read_and_checked() {
    let server = start(1024).await;
    let request = format!("{INIT}{CREDENTIALS}content-length: 3\r\n\r\nnot");
    assert_eq!(
        status_of(&server, request.as_bytes()).await,
        422,
        "not JSON"
    );
}

#[tokio::test]
async fn add_refuses_what_the_spec_does_not_have() {
    let server = start(1024).await;
    let refused = |rule: Rule| server.add(rule).unwrap_err().to_string();
    assert!(refused(Rule::new("aa_initialise")).contains("no operation `aa_initialise`"));
    let typo = Rule::new("aa_initialize").reply(Reply::example("sucess"));
    assert!(refused(typo).contains("no response example named `sucess`"));
    let header = Rule::new("aa_initialize").reply(Reply::status(200).header("bad name", "x"));
    assert!(refused(header).contains("`bad name`"));
}

#[tokio::test]
async fn a_rule_answers_before_the_request_checks_and_is_journalled() {
    let server = start(1024).await;
    let rule = server
        .add(
            Rule::new("aa_initialize")
                .reply(Reply::status(202))
                .times(1),
        )
        .unwrap();
    let request = format!("{INIT}{CREDENTIALS}content-length: 3\r\n\r\nnot");
    assert_eq!(
        status_of(&server, request.as_bytes()).await,
        202,
        "a rule, not 422"
    );
    assert_eq!(status_of(&server, request.as_bytes()).await, 422, "used up");
    assert_eq!(server.hits(rule), 1);
    let journal = server.requests_to("aa_initialize");
    assert_eq!(journal.len(), 2);
    assert_eq!((journal[0].rule, journal[1].rule), (Some(rule), None));
    // Not JSON, so only its size is kept (AA Initialize's request holds personal data).
    assert_eq!(
        &journal[0].body[..],
        b"<redacted: contact, identifier: 3 bytes>".as_slice()
    );
    assert_eq!(journal[0].header("X-API-KEY"), Some(REDACTED));
}
