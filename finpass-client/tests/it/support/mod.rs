//! Loopback fault harness shared by the black-box suites.
//!
//! [`FaultServer`] is a raw `TcpListener` that answers each request with the next scripted [`Reply`]
//! (the last one repeats). A raw socket is needed because the interesting faults (a reset, a stall, a
//! 1 byte/s drip, a body cut short) are below what an HTTP mock library lets a test express. Every
//! response closes its connection, so one request is one connection and counts are exact.
#![allow(
    dead_code,
    reason = "tests use the parts of the harness they need; some only with a feature"
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use finpass_client::{ClientBuilder, Finpass, RetryConfig, SleepFn, Timeouts};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod observe;
mod stream;
#[allow(
    unused_imports,
    reason = "tests use the parts of the harness they need; some only with a feature"
)]
pub use self::{
    observe::{assert_names_the_sdk, everything_shown, trace_log},
    stream::{Streamed, Streamer},
};

/// A credential that must never show up in any output.
pub const CANARY_SECRET: &str = "canary-secret-7f3a9c1e-DO-NOT-LEAK";
pub const API_KEY: &str = "test-api-key-b41d";

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response with `Content-Length`.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Close with a TCP reset as soon as the connection is accepted, before reading anything.
    ResetOnAccept,
    /// Send the head and part of the body (announcing more), then reset.
    ResetMidBody,
    /// Read the request and never answer.
    Stall,
    /// Send a 200 head announcing 64 bytes, then one byte per second.
    Drip,
    /// Announce `announced` bytes, send `body`, then close cleanly (a body cut short).
    Short {
        status: u16,
        announced: usize,
        body: Vec<u8>,
    },
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Respond {
            status,
            headers: vec![],
            body: Vec::new(),
        }
    }
    pub fn json(status: u16, body: Value) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }
    pub fn raw(status: u16, content_type: &str, body: &[u8]) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.to_vec(),
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// A scripted loopback server. Dropping the test's runtime stops it.
pub struct FaultServer {
    pub port: u16,
    /// Connections accepted (each attempt opens one, since every answer closes its connection).
    pub connections: Arc<Mutex<u32>>,
    /// Request heads received, in order, lower-cased.
    pub requests: Arc<Mutex<Vec<String>>>,
    /// Request bodies received, in order: as many bytes as `content-length` announced.
    pub bodies: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl FaultServer {
    pub async fn start(script: Vec<Reply>) -> FaultServer {
        assert!(!script.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(Mutex::new(0u32));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let (conns, reqs, bods) = (connections.clone(), requests.clone(), bodies.clone());
        tokio::spawn(async move {
            let mut served = 0usize;
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let reply = script[served.min(script.len() - 1)].clone();
                served += 1;
                *conns.lock().unwrap() += 1;
                tokio::spawn(serve(stream, reply, reqs.clone(), bods.clone()));
            }
        });
        FaultServer {
            port,
            connections,
            requests,
            bodies,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
    pub fn connections(&self) -> u32 {
        *self.connections.lock().unwrap()
    }
    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

async fn serve(
    mut stream: TcpStream,
    reply: Reply,
    requests: Arc<Mutex<Vec<String>>>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
) {
    if let Reply::ResetOnAccept = reply {
        return reset(stream);
    }
    let Some((head, body)) = read_request(&mut stream).await else {
        return;
    };
    requests.lock().unwrap().push(head);
    bodies.lock().unwrap().push(body);
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut out = head_bytes(status, &headers, body.len());
            out.extend_from_slice(&body);
            let _ = stream.write_all(&out).await;
            let _ = stream.shutdown().await;
        }
        Reply::ResetMidBody => {
            let mut out = head_bytes(
                200,
                &[("content-type".into(), "application/json".into())],
                4096,
            );
            out.extend_from_slice(br#"{"success": true, "data": {"#);
            let _ = stream.write_all(&out).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
            reset(stream);
        }
        Reply::Stall => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            drop(stream);
        }
        Reply::Drip => {
            let _ = stream.write_all(&head_bytes(200, &[], 64)).await;
            for _ in 0..64 {
                if stream.write_all(b" ").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Reply::Short {
            status,
            announced,
            body,
        } => {
            let mut out = head_bytes(
                status,
                &[("content-type".into(), "application/json".into())],
                announced,
            );
            out.extend_from_slice(&body);
            let _ = stream.write_all(&out).await;
            let _ = stream.shutdown().await;
        }
        Reply::ResetOnAccept => unreachable!(),
    }
}

/// Drops the socket with SO_LINGER 0, which makes the kernel send RST instead of FIN.
pub fn reset(stream: TcpStream) {
    // Deprecated in tokio because a non-zero linger can block the runtime on close; zero never does.
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

pub fn head_bytes(status: u16, headers: &[(String, String)], len: usize) -> Vec<u8> {
    let mut head =
        format!("HTTP/1.1 {status} Whatever\r\ncontent-length: {len}\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// Reads one request (head, then a `Content-Length` body) and returns its head, lower-cased, and
/// its body.
pub async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf.split_off(end);
    Some((head, body))
}

/// A port with nothing listening: connecting to it is refused.
pub async fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Records the delays the client asks to sleep for, and returns at once.
#[derive(Clone, Default)]
pub struct Sleeps(Arc<Mutex<Vec<Duration>>>);

impl Sleeps {
    pub fn sleep_fn(&self) -> SleepFn {
        let log = self.0.clone();
        Arc::new(move |d| {
            log.lock().unwrap().push(d);
            Box::pin(async {})
        })
    }
    pub fn taken(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

/// Short real attempt timeouts so stalls end quickly; the deadline stays generous.
pub fn fast_timeouts() -> Timeouts {
    Timeouts::default()
        .connect(Duration::from_secs(2))
        .attempt(Duration::from_millis(300))
        .deadline(Duration::from_secs(20))
}

pub fn builder(base_url: &str, sleeps: &Sleeps) -> ClientBuilder {
    Finpass::builder()
        .credentials(API_KEY, CANARY_SECRET)
        .base_url(base_url)
        .timeouts(fast_timeouts())
        .retry(RetryConfig::default())
        .sleep_fn(sleeps.sleep_fn())
}

pub fn client(base_url: &str, sleeps: &Sleeps) -> Finpass {
    builder(base_url, sleeps).build().unwrap()
}

/// The operations the harness drives: two reads, one billed lookup, two side-effecting calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Read, POST.
    ItrStatus,
    /// Read, GET.
    AaBsaStatus,
    /// Billed (a corporate lookup, probably charged per call), POST.
    CinLookup,
    /// Side-effecting: starts a consent journey.
    AaInitialize,
    /// Side-effecting: a paid bureau pull.
    MultiBureauFetch,
}

pub const READS: [Op; 2] = [Op::ItrStatus, Op::AaBsaStatus];
pub const BILLED: [Op; 1] = [Op::CinLookup];
pub const SIDE_EFFECTING: [Op; 2] = [Op::AaInitialize, Op::MultiBureauFetch];
pub const ALL: [Op; 5] = [
    Op::ItrStatus,
    Op::AaBsaStatus,
    Op::CinLookup,
    Op::AaInitialize,
    Op::MultiBureauFetch,
];

impl Op {
    /// Whether the operation is in the read retry class (billed lookups are not, by default).
    pub fn is_read(self) -> bool {
        READS.contains(&self)
    }

    /// Attempts expected when every attempt fails the same way and retrying is allowed (defaults: 2
    /// retries). Billed lookups follow the side-effecting rule under the default `RetryConfig`.
    pub fn attempts_if(self, read_retries: bool, side_retries: bool) -> u32 {
        let retries = if self.is_read() {
            read_retries
        } else {
            side_retries
        };
        if retries { 3 } else { 1 }
    }

    /// A documented success body for the operation.
    pub fn success_body(self) -> Value {
        match self {
            Op::CinLookup => json!({"success": true, "message": "ok", "data": {
                "cin": "U74999MH2021PTC123456", "company_name": "EXAMPLE PRIVATE LIMITED", "status": "Active",
                "company_type": "Private Limited", "date_of_incorporation": "2021-06-15",
                "registered_address": "12, Example House, Mumbai", "state": "Maharashtra", "roc_code": "RoC-Mumbai",
                "authorised_capital": 1000000, "paid_up_capital": 100000, "email": "info@example.com",
                "pan": "AAECE1234F"}}),
            Op::ItrStatus => json!({"success": true, "message": "Job status fetched successfully",
                "data": {"job_id": "itr_job_x9k2m4p7q1r8", "status": "processing", "pan": "ABCDE****F",
                "updated_at": "2024-11-15T10:22:30Z"}}),
            Op::AaBsaStatus => json!({"success": true, "message": "ok", "data": {
                "client_id": "bsa_clnt_1", "status": "consent_pending", "consent_type": "loan_underwriting",
                "mobile_number": "XXXXXX3210", "updated_at": "2024-11-15T10:25:00Z"}}),
            Op::AaInitialize => json!({"success": true, "status_code": 200, "message": "Success",
                "message_code": "success", "data": {"client_id": "aa_1", "mobile_number": "9999000000",
                "pan_number": null, "email_id": null, "redirect_url": "https://aa.example/consent"}}),
            Op::MultiBureauFetch => json!({"status": "completed"}),
        }
    }

    /// Runs the operation, discarding the success value (the tests look at errors and counts).
    pub async fn run(self, client: &Finpass) -> Result<(), finpass_client::Error> {
        use finpass_client::types;
        match self {
            Op::CinLookup => {
                let body: types::CorporateCinLookupRequest =
                    serde_json::from_value(json!({"cin": "U74999MH2021PTC123456"})).unwrap();
                client.corporate_cin_lookup(body).await.map(drop)
            }
            Op::ItrStatus => {
                let body: types::ItrStatusRequest =
                    serde_json::from_value(json!({"job_id": "itr_job_x9k2m4p7q1r8"})).unwrap();
                client.itr_status(body).await.map(drop)
            }
            Op::AaBsaStatus => client.aa_bsa_status("bsa_clnt_1").await.map(drop),
            Op::AaInitialize => {
                let body = types::AaInitializeRequest::builder()
                    .mobile_number("9999000000")
                    .consent_type("loan_underwriting");
                client.aa_initialize(body).await.map(drop)
            }
            Op::MultiBureauFetch => {
                let body: types::MultiBureauFetchRequest = serde_json::from_value(json!({
                    "pan": "HDFPK7601L", "name": "Ashok Kumar", "mobile_number": "9876543210",
                    "consent": "Y", "gender": "male", "bureaus": ["cibil"]}))
                .unwrap();
                client.multi_bureau_fetch(body).await.map(drop)
            }
        }
    }
}

/// Runs `op` with the default test client against a server answering `script`; the call must fail.
pub async fn failure(op: Op, script: Vec<Reply>) -> (FaultServer, finpass_client::Error) {
    let server = FaultServer::start(script).await;
    let err = op
        .run(&client(&server.url(), &Sleeps::default()))
        .await
        .unwrap_err();
    (server, err)
}
