//! Load with injected faults: 2,000 calls, 64 in flight, half reads (`aa_bsa_status`) and half
//! side-effecting (`aa_initialize`), against a loopback server that answers ~10% 503, ~5% 429 and
//! drops ~5% of connections after reading the request. The server records every attempt of every
//! call, so the assertions are about what reached it, never about time:
//! - no side-effecting request reaches the server again after an attempt that may have run (only
//!   a 429, which Finpass answers before running anything, may be followed by another attempt);
//! - a read fails only when every attempt of its budget (3) met a fault, and it recovers from a
//!   dropped connection like from a 503.

use crate::support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use finpass_client::{ErrorKind, Finpass, Timeouts};
use support::{Op, Sleeps, head_bytes, read_request, reset};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

const CALLS: u32 = 2_000;
const IN_FLIGHT: u32 = 64;
/// Attempts a call may make with the default two retries.
const BUDGET: usize = 3;

/// What the server did with one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    Answered,
    Unavailable,
    RateLimited,
    Dropped,
}

impl Fate {
    /// Deterministic per (call, attempt), so the run does not depend on how the 64 calls interleave.
    fn of(call: u32, attempt: usize) -> Fate {
        match mix(u64::from(call) << 8 | attempt as u64) % 100 {
            0..10 => Fate::Unavailable,
            10..15 => Fate::RateLimited,
            15..20 => Fate::Dropped,
            _ => Fate::Answered,
        }
    }
}

/// splitmix64: a well-spread hash of the attempt's coordinates.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

type Seen = Arc<Mutex<HashMap<u32, Vec<Fate>>>>;

async fn start_server() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, record.clone()));
        }
    });
    (url, seen)
}

async fn serve(mut stream: TcpStream, seen: Seen) {
    let Some((head, body)) = read_request(&mut stream).await else {
        return;
    };
    let call = call_id(&head, &body).expect("every request names its call");
    let fate = {
        let mut seen = seen.lock().unwrap();
        let attempts = seen.entry(call).or_default();
        let fate = Fate::of(call, attempts.len());
        attempts.push(fate);
        fate
    };
    let (status, body) = match fate {
        Fate::Answered if is_read(call) => (200, Op::AaBsaStatus.success_body().to_string()),
        Fate::Answered => (200, Op::AaInitialize.success_body().to_string()),
        Fate::Unavailable => (503, r#"{"success": false, "message": "busy"}"#.to_owned()),
        Fate::RateLimited => (
            429,
            r#"{"success": false, "message": "slow down"}"#.to_owned(),
        ),
        // Half reset, half a clean close: both reach the client as a connection that ended before
        // any response.
        Fate::Dropped if call % 4 < 2 => return reset(stream),
        Fate::Dropped => return drop(stream),
    };
    let json = [("content-type".to_owned(), "application/json".to_owned())];
    let mut out = head_bytes(status, &json, body.len());
    out.extend_from_slice(body.as_bytes());
    let _ = stream.write_all(&out).await;
    let _ = stream.shutdown().await;
}

/// Even calls are reads, odd ones side-effecting.
fn is_read(call: u32) -> bool {
    call.is_multiple_of(2)
}

/// Reads carry the call number in `client_id=load_N`; side-effecting calls in the mobile number.
fn call_id(head: &str, body: &[u8]) -> Option<u32> {
    let digits = |s: &str| {
        s.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    };
    if let Some(i) = head.find("client_id=load_") {
        return digits(&head[i + "client_id=load_".len()..]).parse().ok();
    }
    let body = String::from_utf8_lossy(body);
    let i = body.find("\"mobile_number\":\"9")?;
    digits(&body[i + "\"mobile_number\":\"9".len()..])
        .parse()
        .ok()
}

async fn run(finpass: &Finpass, call: u32) -> Result<(), finpass_client::Error> {
    use finpass_client::types::AaInitializeRequest;
    if is_read(call) {
        finpass
            .aa_bsa_status(format!("load_{call}"))
            .await
            .map(drop)
    } else {
        let request = AaInitializeRequest::builder()
            .mobile_number(format!("9{call:09}"))
            .consent_type("loan_underwriting");
        finpass.aa_initialize(request).await.map(drop)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_faults_reads_fail_only_beyond_their_budget_and_side_effects_never_repeat() {
    let (url, seen) = start_server().await;
    // Generous real timeouts: a timeout would be a fault the server cannot see. Backoff is instant.
    let finpass = support::builder(&url, &Sleeps::default())
        .timeouts(Timeouts::default())
        .build()
        .unwrap();
    let next = Arc::new(AtomicU32::new(0));
    let results = Arc::new(Mutex::new(HashMap::new()));
    let workers: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let (finpass, next, results) = (finpass.clone(), next.clone(), results.clone());
            tokio::spawn(async move {
                loop {
                    let call = next.fetch_add(1, Ordering::Relaxed);
                    if call >= CALLS {
                        return;
                    }
                    let outcome = run(&finpass, call)
                        .await
                        .map_err(|e| (e.kind(), e.attempts()));
                    results.lock().unwrap().insert(call, outcome);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }

    let seen = seen.lock().unwrap();
    let results = results.lock().unwrap();
    assert_eq!(
        (seen.len(), results.len()),
        (CALLS as usize, CALLS as usize)
    );
    let (mut failed_reads, mut reads_recovered_from_a_drop) = (0, 0);
    for call in 0..CALLS {
        let attempts = &seen[&call];
        let result = &results[&call];
        let case = format!("call {call}: server saw {attempts:?}, client got {result:?}");
        let (last, earlier) = attempts.split_last().unwrap();
        assert!(attempts.len() <= BUDGET, "{case}");
        if let Err((_, client_attempts)) = result {
            assert_eq!(*client_attempts as usize, attempts.len(), "{case}");
        }
        assert_eq!(result.is_ok(), *last == Fate::Answered, "{case}");
        if !is_read(call) {
            // Side-effecting: only a 429 proves the request did not run.
            assert!(earlier.iter().all(|f| *f == Fate::RateLimited), "{case}");
            continue;
        }
        // Reads: every fault is retried while the budget lasts.
        assert!(earlier.iter().all(|f| *f != Fate::Answered), "{case}");
        if let Err((kind, _)) = result {
            failed_reads += 1;
            assert_eq!(attempts.len(), BUDGET, "a read gave up early: {case}");
            if *last == Fate::Dropped {
                assert_eq!(*kind, ErrorKind::Transport, "{case}");
            }
        } else if earlier.contains(&Fate::Dropped) {
            reads_recovered_from_a_drop += 1;
        }
    }
    // The faults really happened, in every kind, and reads came through dropped connections.
    let all: Vec<Fate> = seen.values().flatten().copied().collect();
    for fate in [Fate::Unavailable, Fate::RateLimited, Fate::Dropped] {
        let share = all.iter().filter(|f| **f == fate).count() * 100 / all.len();
        assert!((2..=15).contains(&share), "{fate:?}: {share}% of attempts");
    }
    println!(
        "{} attempts for {CALLS} calls; {failed_reads} of {} reads failed; {reads_recovered_from_a_drop} reads recovered from a dropped connection",
        all.len(),
        CALLS / 2
    );
    assert!(
        reads_recovered_from_a_drop > 20,
        "{reads_recovered_from_a_drop}"
    );
    // ~20% faults and three attempts: about 0.8% of reads meet three faults in a row.
    assert!(
        failed_reads * 100 < (CALLS / 2) * 2,
        "{failed_reads} of {} reads failed",
        CALLS / 2
    );
}
