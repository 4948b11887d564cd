//! `cargo bench -p finpass-client --bench metrics [-- --quick | --hostile]`: the ratios,
//! measured in one process against one baseline, printed as `name: value` lines (`cargo xtask bench`
//! parses them); `--hostile` runs only the hostile-body metrics (`hostile.rs`).
//!
//! A custom harness because every metric is a ratio of two workloads that must share a server, a
//! warm-up and an interleaved schedule; divan (`benches/client.rs`) gives the per-workload timings.

mod calls;
mod decode;
mod hostile;
mod proc_status;
mod server;
mod validation;

use std::time::Duration;

use bytes::Bytes;
use calls::Side;
use finpass_client::types::AaBsaStatementResultResponse;

#[global_allocator]
static ALLOC: decode::CountingAlloc = decode::CountingAlloc;

/// How much work each measurement does; `--quick` keeps `cargo xtask bench` short.
struct Plan {
    rounds: usize,
    sequential_calls: u32,
    concurrent_total: u32,
    /// Concurrent rounds, each running every side once. Many: one round of a side lasts well under
    /// a second, and two identical rounds on this shared machine differ by up to 10 % (per-round
    /// ratios spread with a standard deviation of 0.05–0.10: the median of 15 moved by ±0.02).
    concurrent_rounds: usize,
    decode_rounds: usize,
    validation_budget: Duration,
}

const CONCURRENCY: u32 = 64;
const TRANSACTIONS: usize = 50_000;

fn main() {
    // cargo passes `--bench` to harness = false targets; only `--quick` matters here.
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--profile") {
        return profile(args.get(at + 1).map_or("ours", String::as_str));
    }
    if let Some(at) = args.iter().position(|a| a == hostile::CLIENT_FLAG) {
        return hostile::client(args.get(at + 1).expect("the hostile server's URL"));
    }
    if args.iter().any(|a| a == "--hostile") {
        // The hostile-body metrics alone (a few seconds).
        return print(hostile::metrics());
    }
    let quick = args.iter().any(|a| a == "--quick");
    let plan = if quick {
        Plan {
            rounds: 9,
            sequential_calls: 500,
            concurrent_total: CONCURRENCY * 40,
            concurrent_rounds: 31,
            decode_rounds: 5,
            validation_budget: Duration::from_millis(1500),
        }
    } else {
        Plan {
            rounds: 31,
            sequential_calls: 1000,
            concurrent_total: CONCURRENCY * 50,
            concurrent_rounds: 31,
            decode_rounds: 15,
            validation_budget: Duration::from_secs(5),
        }
    };

    let spec = finpass_contract::Spec::embedded();
    let aa_init = spec
        .operation("aa_initialize")
        .expect("aa_initialize in spec");
    let (_, example) = spec
        .response_example(&aa_init, Some("200"))
        .expect("documented 200 example");
    let small = Bytes::from(serde_json::to_vec(example).expect("example serializes"));
    let large = decode::statement_body(TRANSACTIONS);
    let loopback = server::Loopback::start(small, Bytes::from(large.clone()));
    let base = loopback.base_url();

    // The client runs on one thread, the server on another: on 2 cores neither steals the other's.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let raw = Side::raw(&base);
    let raw_timeout = Side::raw_with_timeout(&base);
    let raw_same_wire = Side::raw_same_wire(&base);
    let ours = Side::ours(&base);
    let ours_no_retry = Side::ours_no_retry(&base);

    let mut out = Vec::<(&str, f64)>::new();
    out.extend(future_sizes(&base));
    rt.block_on(async {
        // Warm-up: connections, pools, caches, page faults, for every side.
        for side in [&raw, &ours, &ours_no_retry, &raw_timeout] {
            calls::sequential(side, plan.sequential_calls / 2).await;
        }
        let [r, o, n, t] =
            sequential_rounds(&plan, [&raw, &ours, &ours_no_retry, &raw_timeout]).await;
        out.push(("call_overhead_ratio", paired_ratio(&o, &r)));
        out.push(("call_overhead_ratio_no_retry", paired_ratio(&n, &r)));
        // Same client, against a raw baseline that also sets the 30 s per-request timeout.
        out.push(("call_overhead_ratio_vs_raw_timeout", paired_ratio(&o, &t)));
        out.push(("raw_call_us", median(&r) * 1e6));
        out.push(("our_call_us", median(&o) * 1e6));

        // Tracing on: a DEBUG subscriber formatting to a sink, for both sides (reqwest and hyper's
        // own events included), so the ratio isolates what our spans and events cost.
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(std::io::sink)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        let [r, o] = sequential_rounds(&plan, [&raw, &ours]).await;
        drop(guard);
        // Dropping the guard leaves every callsite's cached interest as the DEBUG subscriber set it:
        // spans would stay live (handed to the no-op subscriber) in the workloads below, ~550
        // instructions a call that a program without a subscriber never pays. Recompute it.
        tracing::callsite::rebuild_interest_cache();
        out.push(("call_overhead_ratio_tracing", paired_ratio(&o, &r)));

        let [raw_tp, our_tp, no_retry_tp, timeout_tp, same_wire_tp] = concurrent_rounds(
            &plan,
            [&raw, &ours, &ours_no_retry, &raw_timeout, &raw_same_wire],
        )
        .await;
        out.push((
            "concurrent_throughput_ratio",
            paired_ratio(&our_tp, &raw_tp),
        ));
        // What two of the behaviours raw reqwest lacks cost (BENCHMARKS.md, "What the gap is made of").
        out.push((
            "concurrent_throughput_ratio_no_retry",
            paired_ratio(&no_retry_tp, &raw_tp),
        ));
        out.push((
            "concurrent_throughput_ratio_vs_raw_timeout",
            paired_ratio(&our_tp, &timeout_tp),
        ));
        // Against raw putting the same seven headers on the wire, with the same timeout: what our
        // code costs (BENCHMARKS.md, "The seventh header").
        out.push((
            "concurrent_throughput_ratio_vs_raw_same_wire",
            paired_ratio(&our_tp, &same_wire_tp),
        ));
        out.push(("raw_concurrent_calls_per_sec", median(&raw_tp)));

        // End to end on the 10 MB body: our typed call vs reqwest + `serde_json::Value`.
        let (mut r, mut o) = (Vec::new(), Vec::new());
        for _ in 0..plan.decode_rounds.div_ceil(2) {
            r.push(timed(raw.statement_result()).await);
            o.push(timed(ours.statement_result()).await);
        }
        out.push(("statement_fetch_ratio", paired_ratio(&o, &r)));
    });

    out.extend(decode_metrics(&large, plan.decode_rounds));

    let validators = finpass_contract::Validators::new(&spec);
    let examples = validation::small_examples(&spec);
    let per_sec = validation::per_second(&validators, &examples, plan.validation_budget);
    out.push(("validation_per_sec", per_sec));
    out.push(("validation_examples", examples.len() as f64));

    // Last: each variant streams gigabytes through loopback, which would disturb the ratios above.
    out.extend(hostile::metrics());

    print(out);
}

fn print(metrics: Vec<(&str, f64)>) {
    for (name, value) in metrics {
        println!("{name}: {value:.4}");
    }
}

/// Size of one call's future. A large future is moved (memcpy) by every nesting level that awaits
/// it; reqwest boxes its own, and a `Call` is one box holding its state machine (BENCHMARKS.md).
fn future_sizes(base: &str) -> [(&'static str, f64); 2] {
    let http = reqwest::Client::new();
    let raw = http.post(base).send();
    let Side::Ours(finpass) = Side::ours(base) else {
        unreachable!("Side::ours is ours")
    };
    let ours = finpass.aa_initialize(
        finpass_client::types::AaInitializeRequest::builder()
            .mobile_number(calls::MOBILE)
            .consent_type(calls::CONSENT),
    );
    [
        ("raw_send_future_bytes", std::mem::size_of_val(&raw) as f64),
        ("our_call_future_bytes", std::mem::size_of_val(&ours) as f64),
    ]
}

/// `--profile raw|raw-timeout|raw-same-wire|ours|decode`, or any of the first four with `-concurrent`:
/// one workload only, for `valgrind --tool=callgrind` (see BENCHMARKS.md).
fn profile(which: &str) {
    let spec = finpass_contract::Spec::embedded();
    let aa_init = spec
        .operation("aa_initialize")
        .expect("aa_initialize in spec");
    let (_, example) = spec
        .response_example(&aa_init, Some("200"))
        .expect("example");
    let small = Bytes::from(serde_json::to_vec(example).expect("example serializes"));
    if which == "decode" {
        let body = decode::statement_body(TRANSACTIONS);
        let t: AaBsaStatementResultResponse = serde_json::from_slice(&body).expect("typed");
        std::hint::black_box(t);
        return;
    }
    let loopback = server::Loopback::start(small, Bytes::new());
    // `-concurrent`: the `concurrent_throughput_ratio` workload, 64 calls in flight, 2,560 in all
    // (count the main thread: `valgrind --tool=callgrind --separate-threads=yes`).
    let (side, concurrent) = match which.rsplit_once('-') {
        Some((side, "concurrent")) => (side, true),
        _ => (which, false),
    };
    let side = match side {
        "raw" => Side::raw(&loopback.base_url()),
        "raw-timeout" => Side::raw_with_timeout(&loopback.base_url()),
        "raw-same-wire" => Side::raw_same_wire(&loopback.base_url()),
        _ => Side::ours(&loopback.base_url()),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    if concurrent {
        rt.block_on(calls::concurrent(&side, CONCURRENCY, CONCURRENCY * 40));
    } else {
        rt.block_on(calls::sequential(&side, 2000));
    }
}

/// Interleaved rounds of sequential calls; seconds per call of each side, per round.
async fn sequential_rounds<const N: usize>(plan: &Plan, sides: [&Side; N]) -> [Vec<f64>; N] {
    let mut samples: [Vec<f64>; N] = std::array::from_fn(|_| Vec::new());
    for _ in 0..plan.rounds {
        for (side, samples) in sides.iter().zip(samples.iter_mut()) {
            let per_call = calls::sequential(side, plan.sequential_calls).await;
            samples.push(per_call.as_secs_f64());
        }
    }
    samples
}

/// Rounds of `plan.concurrent_total` calls, 64 in flight, one per side per round; calls per second
/// of each side, per round. No side always runs first, nor after the same neighbour (one round
/// lasts well under a second): round `r` starts with side `r mod N` and steps through the sides by a
/// stride coprime to `N`, a different one each `N` rounds, so each side follows each other side.
async fn concurrent_rounds<const N: usize>(plan: &Plan, sides: [&Side; N]) -> [Vec<f64>; N] {
    for side in sides {
        calls::concurrent(side, CONCURRENCY, CONCURRENCY * 4).await;
    }
    let strides: Vec<usize> = (1..N.max(2)).filter(|&k| gcd(k, N) == 1).collect();
    let mut samples: [Vec<f64>; N] = std::array::from_fn(|_| Vec::new());
    for round in 0..plan.concurrent_rounds {
        let stride = strides[(round / N) % strides.len()];
        for turn in 0..N {
            let at = (round + turn * stride) % N;
            let per_sec = calls::concurrent(sides[at], CONCURRENCY, plan.concurrent_total).await;
            samples[at].push(per_sec);
        }
    }
    samples
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Decode time and peak heap: generated types vs `serde_json::Value`, the same bytes.
fn decode_metrics(body: &[u8], rounds: usize) -> Vec<(&'static str, f64)> {
    let (mut typed, mut value) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        // Only the decode is timed; dropping the result happens outside the clock for both.
        let started = std::time::Instant::now();
        let t: AaBsaStatementResultResponse = serde_json::from_slice(body).expect("typed decode");
        typed.push(started.elapsed().as_secs_f64());
        drop(std::hint::black_box(t));
        let started = std::time::Instant::now();
        let v: serde_json::Value = serde_json::from_slice(body).expect("value decode");
        value.push(started.elapsed().as_secs_f64());
        drop(std::hint::black_box(v));
    }
    let (typed_peak, t) = decode::peak_heap(|| {
        serde_json::from_slice::<AaBsaStatementResultResponse>(body).expect("typed decode")
    });
    let transactions: usize = t.data.accounts.iter().map(|a| a.transactions.len()).sum();
    assert_eq!(transactions, TRANSACTIONS);
    drop(t);
    let (value_peak, v) =
        decode::peak_heap(|| serde_json::from_slice::<serde_json::Value>(body).expect("value"));
    drop(v);
    let size = body.len() as f64;
    let (typed_s, value_s) = (median(&typed), median(&value));
    vec![
        ("decode_ratio", paired_ratio(&typed, &value)),
        ("decode_typed_ms", typed_s * 1e3),
        ("decode_value_ms", value_s * 1e3),
        // The body must be held while it is decoded, so it counts once in the peak.
        ("decode_peak_rss_ratio", (size + typed_peak as f64) / size),
        ("decode_value_peak_ratio", (size + value_peak as f64) / size),
        ("decode_body_mb", size / 1e6),
    ]
}

async fn timed(f: impl std::future::Future<Output = ()>) -> f64 {
    let started = std::time::Instant::now();
    f.await;
    started.elapsed().as_secs_f64()
}

fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// Median of the per-round ratios `a[i] / b[i]`: both sides of a round ran back to back, so load
/// from other processes on this shared 2-core machine mostly cancels out.
fn paired_ratio(a: &[f64], b: &[f64]) -> f64 {
    let ratios: Vec<f64> = a.iter().zip(b).map(|(a, b)| a / b).collect();
    median(&ratios)
}
