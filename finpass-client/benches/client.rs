//! `cargo bench -p finpass-client --bench client`: the workloads of `benches/metrics` one by one under
//! divan, for timings with spread (the ratios themselves come from `--bench metrics`).

#[path = "metrics/calls.rs"]
#[allow(
    dead_code,
    reason = "shared with the metrics harness, which uses all of it"
)]
mod calls;
#[path = "metrics/decode.rs"]
#[allow(
    dead_code,
    reason = "shared with the metrics harness, which uses all of it"
)]
mod decode;
#[path = "metrics/server.rs"]
#[allow(
    dead_code,
    reason = "shared with the metrics harness, which uses all of it"
)]
mod server;

use std::sync::LazyLock;

use bytes::Bytes;
use calls::Side;
use divan::Bencher;
use finpass_client::types::AaBsaStatementResultResponse;

fn main() {
    divan::main();
}

/// The loopback server, the client runtime and both sides, shared by every benchmark.
struct World {
    rt: tokio::runtime::Runtime,
    raw: Side,
    ours: Side,
    ours_no_retry: Side,
}

static STATEMENT: LazyLock<Vec<u8>> = LazyLock::new(|| decode::statement_body(50_000));

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let spec = finpass_contract::Spec::embedded();
    let op = spec.operation("aa_initialize").expect("aa_initialize");
    let (_, example) = spec.response_example(&op, Some("200")).expect("example");
    let small = Bytes::from(serde_json::to_vec(example).expect("serializes"));
    let loopback = server::Loopback::start(small, Bytes::from(STATEMENT.clone()));
    let base = loopback.base_url();
    World {
        rt: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime"),
        raw: Side::raw(&base),
        ours: Side::ours(&base),
        ours_no_retry: Side::ours_no_retry(&base),
    }
});

mod aa_initialize {
    use super::*;

    fn run(bencher: Bencher, side: &Side) {
        let world = &*WORLD;
        bencher.bench_local(|| world.rt.block_on(side.aa_initialize()));
    }

    #[divan::bench]
    fn raw_reqwest(bencher: Bencher) {
        run(bencher, &WORLD.raw)
    }

    #[divan::bench]
    fn finpass(bencher: Bencher) {
        run(bencher, &WORLD.ours)
    }

    #[divan::bench]
    fn finpass_no_retry(bencher: Bencher) {
        run(bencher, &WORLD.ours_no_retry)
    }
}

mod decode_statement_10mb {
    use super::*;

    #[divan::bench(sample_count = 20)]
    fn generated_types(bencher: Bencher) {
        let body = &*STATEMENT;
        bencher.bench_local(|| {
            serde_json::from_slice::<AaBsaStatementResultResponse>(body).expect("typed")
        });
    }

    #[divan::bench(sample_count = 20)]
    fn serde_json_value(bencher: Bencher) {
        let body = &*STATEMENT;
        bencher.bench_local(|| serde_json::from_slice::<serde_json::Value>(body).expect("value"));
    }
}

#[divan::bench]
fn validate_aa_init_200(bencher: Bencher) {
    let spec = finpass_contract::Spec::embedded();
    let validators = finpass_contract::Validators::new(&spec);
    let op = spec.operation("aa_initialize").expect("aa_initialize");
    let (_, example) = spec.response_example(&op, Some("200")).expect("example");
    let pointer = spec
        .examples()
        .into_iter()
        .find(|e| e.operation == "aa_initialize" && e.slot == "200")
        .expect("example pointer")
        .schema_pointer;
    validators.violations(&pointer, example).expect("compiles");
    bencher.bench_local(|| validators.violations(&pointer, example).expect("cached"));
}
