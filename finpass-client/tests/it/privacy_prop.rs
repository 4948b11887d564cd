//! Properties of the privacy rules, each able to fail:
//! - a canary PAN, mobile number or e-mail inserted anywhere in a response body, under any status,
//!   never appears in the error's `Display` or `Debug`, its server `message` included (except inside
//!   the envelope's machine-readable `message_code` / `error_code` of an error status, which are shown
//!   on purpose);
//! - the redaction rule (`src/redact.rs`, compiled by path as xtask does) leaves no input string value
//!   outside the kept paths, and no data-like key.

use crate::support;

#[path = "../../src/redact.rs"]
#[allow(dead_code, reason = "only the public rule is exercised")]
mod redact;

use finpass_client::RetryConfig;
use proptest::prelude::*;
use serde_json::{Value, json};
use support::{FaultServer, Op, Reply, Sleeps};

const CANARIES: [&str; 3] = ["ABCDE1234F", "9876543210", "ravi.k@example.in"];

fn seeds() -> Vec<String> {
    vec![
        Op::AaInitialize.success_body().to_string(),
        Op::CinLookup.success_body().to_string(),
        json!({"success": false, "message": "Invalid request", "message_code": "E422",
               "data": {"errors": [{"field": "pan", "value": "x"}]}})
        .to_string(),
        "<!DOCTYPE html><html><head><title>502</title></head><body><p>Bad gateway</p></body></html>"
            .to_owned(),
    ]
}

/// Whether the canary sits in an envelope code, which an error status shows as is (a `message` is
/// shown only in the words the spec's own messages use, DECISIONS.md PD-2).
fn in_envelope_fields(body: &[u8], canary: &str) -> bool {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    ["message_code", "error_code"].iter().any(|k| {
        map.get(*k)
            .and_then(Value::as_str)
            .is_some_and(|v| v.contains(canary))
    })
}

proptest! {
    // Each case is a real loopback round trip.
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_canary_anywhere_in_a_body_never_reaches_display_or_debug(
        seed in 0usize..4,
        which in 0..CANARIES.len(),
        at in any::<prop::sample::Index>(),
        quoted in any::<bool>(),
        status in prop::sample::select(vec![200u16, 201, 400, 403, 422, 500, 502, 503]),
        op in prop::sample::select(vec![Op::AaInitialize, Op::AaBsaStatus, Op::MultiBureauFetch]),
    ) {
        let canary = CANARIES[which];
        let mut body = seeds()[seed].clone().into_bytes();
        let at = at.index(body.len() + 1);
        let inserted = if quoted { format!("\"{canary}\"") } else { canary.to_owned() };
        body.splice(at..at, inserted.bytes());
        prop_assume!(status < 300 || !in_envelope_fields(&body, canary));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let shown = runtime.block_on(async {
            let server = FaultServer::start(vec![Reply::raw(status, "application/json", &body)]).await;
            let finpass = support::builder(&server.url(), &Sleeps::default())
                .retry(RetryConfig::disabled())
                .build()
                .unwrap();
            match op.run(&finpass).await {
                Ok(()) => String::new(),
                Err(err) => format!("{err} | {err:?} | {err:#?}"),
            }
        });
        prop_assert!(!shown.contains(canary), "{}", shown);
    }
}

/// Words a server may echo into an error message: a name has no digit and no `@`, so only the rule
/// that shows a message in the spec's own words (DECISIONS.md, PD-2) keeps it out.
const ECHOED: [&str; 5] = [
    "Sundaresan",
    "Ravikumar",
    "9876543210",
    "ravi.k@example.in",
    "ABCDE1234F",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn an_error_message_never_shows_an_echoed_value_and_keeps_the_documented_words(
        words in prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec!["No", "journey", "found", "for", "the", "given", "PAN", "Invalid", "mobile", "number"]),
                prop::sample::select(ECHOED.to_vec()),
            ],
            1..12,
        ),
        status in prop::sample::select(vec![400u16, 404, 422, 500]),
    ) {
        let message = words.join(" ");
        let envelope = json!({"success": false, "message": message, "message_code": "not_found"});
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (shown, display) = runtime.block_on(async {
            let server = FaultServer::start(vec![Reply::json(status, envelope)]).await;
            let finpass = support::builder(&server.url(), &Sleeps::default())
                .retry(RetryConfig::disabled())
                .build()
                .unwrap();
            let err = Op::AaBsaStatus.run(&finpass).await.unwrap_err();
            prop_assert_eq!(err.message(), Some(message.as_str()));
            Ok((format!("{err} | {err:?} | {err:#?}"), err.to_string()))
        })?;
        for echoed in ECHOED {
            prop_assert!(!shown.contains(echoed), "{}", shown);
        }
        if words.iter().all(|w| !ECHOED.contains(w)) {
            prop_assert!(display.contains(&format!(": {message}")), "{}", display);
        }
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z0-9@. _-]{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z0-9@. _-]{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn strings_and_keys(value: &Value, strings: &mut Vec<String>, keys: &mut Vec<String>) {
    match value {
        Value::String(s) => strings.push(s.clone()),
        Value::Array(items) => items
            .iter()
            .for_each(|v| strings_and_keys(v, strings, keys)),
        Value::Object(map) => {
            for (k, v) in map {
                keys.push(k.clone());
                strings_and_keys(v, strings, keys);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn redacted_output_contains_no_input_string_value(input in arb_json()) {
        let output = redact::redact(&input, &[]);
        let (mut strings, mut keys) = (Vec::new(), Vec::new());
        strings_and_keys(&output, &mut strings, &mut keys);
        prop_assert!(strings.iter().all(String::is_empty), "{}", output);
        // Every key is either kept as it was (the rule called it a name) or hidden.
        for key in &keys {
            prop_assert!(key == redact::DATA_KEY || redact::safe_key(key) == *key, "{}", key);
        }
        let (mut inputs, mut input_keys) = (Vec::new(), Vec::new());
        strings_and_keys(&input, &mut inputs, &mut input_keys);
        let text = output.to_string();
        for value in inputs.iter().filter(|s| s.len() >= 6) {
            // A long input string can only reappear if it is also a kept key.
            prop_assert!(!text.contains(&format!("\"{value}\"")) || keys.contains(value), "{} in {}", value, text);
        }
    }

    /// The rule hides keys with `@` or spaces, and digit runs without a lower-case letter. (A key such
    /// as `pan_ABCDE1234F` is kept: the rule keeps names like `fy2024_income`.)
    #[test]
    fn a_canary_key_is_always_hidden(which in 0..CANARIES.len(), prefix in "[A-Z0-9_]{0,6}", input in arb_json()) {
        let key = format!("{prefix}{}", CANARIES[which]);
        let body = json!({"data": {key.clone(): input}});
        let text = redact::redact(&body, &[]).to_string();
        prop_assert!(!text.contains(CANARIES[which]), "{}", text);
    }
}
