//! The hostile-body metrics: a loopback server answers a read with a 200 whose body is 4 GiB, either
//! declared (`Content-Length`) or streamed without a length (chunked), and the default client must
//! fail with `ErrorKind::ResponseTooLarge` quickly and without holding the body.
//!
//! Peak memory is the client's own: the client runs in a child process (this binary, re-run with
//! `--hostile-client URL`) that reports its `VmHWM` (peak resident set) from `/proc/self/status`, so
//! neither the server nor the parent's other workloads are counted. The server generates the bytes
//! from one shared 64 KiB chunk, so it never holds the body either.

use std::convert::Infallible;
use std::pin::Pin;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use finpass_client::{DEFAULT_MAX_RESPONSE_BYTES, ErrorKind, Finpass};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

use crate::proc_status;

const MIB: u64 = 1024 * 1024;
/// What the hostile server sends: 4 GiB.
const HOSTILE_BYTES: u64 = 4 << 30;
/// The flag that turns this binary into the measured client.
pub const CLIENT_FLAG: &str = "--hostile-client";

/// Both variants, measured in child processes; the streamed (chunked) one is the headline.
pub fn metrics() -> Vec<(&'static str, f64)> {
    // The goal in `xtask/src/bench.rs` is this cap + 16 MiB.
    assert_eq!(
        DEFAULT_MAX_RESPONSE_BYTES,
        64 * MIB,
        "the default cap changed: update the hostile_body_peak_rss_mb goal in xtask/src/bench.rs"
    );
    let streamed = run(false);
    let declared = run(true);
    vec![
        ("hostile_body_peak_rss_mb", streamed.peak_rss_mb),
        ("hostile_body_seconds", streamed.seconds),
        ("hostile_body_start_rss_mb", streamed.start_rss_mb),
        ("hostile_body_server_sent_mb", streamed.server_sent_mb),
        ("hostile_body_declared_peak_rss_mb", declared.peak_rss_mb),
        ("hostile_body_declared_seconds", declared.seconds),
        (
            "hostile_body_declared_server_sent_mb",
            declared.server_sent_mb,
        ),
        (
            "hostile_body_cap_mb",
            (DEFAULT_MAX_RESPONSE_BYTES / MIB) as f64,
        ),
    ]
}

struct Measured {
    peak_rss_mb: f64,
    start_rss_mb: f64,
    seconds: f64,
    server_sent_mb: f64,
}

/// Starts a server for one variant, runs the client in a child process and reads its report.
fn run(declared: bool) -> Measured {
    let sent = Arc::new(AtomicU64::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let counter = Arc::clone(&sent);
    std::thread::Builder::new()
        .name("hostile-server".into())
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime")
                .block_on(serve(listener, declared, counter));
        })
        .expect("spawn server thread");
    let exe = std::env::current_exe().expect("this binary");
    let output = Command::new(exe)
        .args([CLIENT_FLAG, &url])
        .output()
        .expect("run the hostile client");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "hostile client ({}) failed: {}\n{stdout}{}",
        if declared { "declared" } else { "streamed" },
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report = proc_status::report(&stdout);
    let value = |name: &str| {
        report
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("the hostile client reported no `{name}`:\n{stdout}"))
    };
    Measured {
        peak_rss_mb: value("peak_rss_kb") / 1024.0,
        start_rss_mb: value("start_rss_kb") / 1024.0,
        seconds: value("seconds"),
        server_sent_mb: sent.load(Ordering::Relaxed) as f64 / MIB as f64,
    }
}

/// The child: one default client, one read against `base`; prints `name: value` lines.
pub fn client(base: &str) {
    let start_rss = proc_status::own_kb("VmRSS");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let finpass = Finpass::builder()
        .credentials("bench-key", "bench-secret")
        .base_url(base)
        .build()
        .expect("finpass client");
    let started = Instant::now();
    let result = rt.block_on(finpass.aa_bsa_statement_result("bsa_clnt_a1b2c3d4e5f6"));
    let seconds = started.elapsed().as_secs_f64();
    let err = match result {
        Ok(_) => panic!("a 4 GiB body decoded"),
        Err(e) => e,
    };
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{err}");
    assert_eq!(err.attempts(), 1, "not retried: {err}");
    println!("seconds: {seconds}");
    println!("start_rss_kb: {start_rss}");
    println!("peak_rss_kb: {}", proc_status::own_kb("VmHWM"));
}

async fn serve(listener: std::net::TcpListener, declared: bool, sent: Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    let chunk = Bytes::from(vec![b' '; 64 * 1024]);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (chunk, sent) = (chunk.clone(), Arc::clone(&sent));
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |_req: Request<Incoming>| {
                let body = Endless {
                    left: HOSTILE_BYTES,
                    chunk: chunk.clone(),
                    declared,
                    sent: Arc::clone(&sent),
                };
                async move { Ok::<_, Infallible>(Response::new(body)) }
            });
            // Ends (with an error) when the client closes the connection mid-body.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A body of `left` bytes made of one shared chunk. With `declared`, its exact size hint makes hyper
/// send `Content-Length`; without, hyper streams it chunked.
struct Endless {
    left: u64,
    chunk: Bytes,
    declared: bool,
    sent: Arc<AtomicU64>,
}

impl Body for Endless {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(self.chunk.len() as u64);
        self.left -= n;
        self.sent.fetch_add(n, Ordering::Relaxed);
        let data = self.chunk.slice(..n as usize);
        Poll::Ready(Some(Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> SizeHint {
        if self.declared {
            SizeHint::with_exact(self.left)
        } else {
            SizeHint::default()
        }
    }
}
