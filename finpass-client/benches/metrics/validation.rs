//! Spec-example and drift validation throughput: every small example envelope of the spec validated
//! against its schema through `finpass_contract::Validators`, whose compiled validators are cached per
//! schema pointer and reused, exactly as the contract tests and `cargo xtask drift` use them.

use std::time::{Duration, Instant};

use finpass_contract::{Spec, Validators};
use serde_json::Value;

/// Envelopes larger than this (serialized) are not "small"; the spec's examples are all far below it.
const SMALL: usize = 4096;

/// The spec's small examples, each with the pointer of the schema it must satisfy.
pub fn small_examples(spec: &Spec) -> Vec<(String, Value)> {
    spec.examples()
        .into_iter()
        .filter(|e| serde_json::to_vec(e.value).map_or(0, |v| v.len()) <= SMALL)
        .map(|e| (e.schema_pointer, e.value.clone()))
        .collect()
}

/// Envelopes validated per second on the calling thread, cycling over `examples` for about `budget`.
/// Validators are compiled once before timing starts.
pub fn per_second(validators: &Validators, examples: &[(String, Value)], budget: Duration) -> f64 {
    for (pointer, value) in examples {
        let violations = validators
            .violations(pointer, value)
            .expect("schema compiles");
        assert!(violations.is_empty(), "{pointer}: {violations:?}");
    }
    let started = Instant::now();
    let mut done = 0u64;
    while started.elapsed() < budget {
        for (pointer, value) in examples {
            let violations = validators.violations(pointer, value).expect("cached");
            std::hint::black_box(violations);
        }
        done += examples.len() as u64;
    }
    done as f64 / started.elapsed().as_secs_f64()
}
