//! The redaction rule (`finpass-client/src/redact.rs`, compiled by path as xtask does): whatever JSON
//! comes in, no string value survives outside the kept paths, every number is zeroed, no data-like key
//! is kept, and the shape (member count, array lengths, JSON types) is unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../finpass-client/src/redact.rs"]
#[allow(dead_code, reason = "only the public rule is exercised")]
mod redact;

const KEEP: [&str; 2] = ["/data/status", "/data/accounts/[]/status"];

fuzz_target!(|bytes: &[u8]| {
    let Ok(input) = serde_json::from_slice::<Value>(bytes) else { return };
    let output = redact::redact(&input, &KEEP);
    check(&input, &output, &mut String::new());
});

fn check(input: &Value, output: &Value, at: &mut String) {
    let kept = KEEP.contains(&at.as_str());
    match (input, output) {
        (Value::String(a), Value::String(b)) => assert!(b.is_empty() || (kept && a == b), "{at}: {b}"),
        (Value::Number(_), Value::Number(b)) => {
            assert!(kept || b.as_f64() == Some(0.0), "{at}: {b}")
        }
        (Value::Bool(a), Value::Bool(b)) => assert_eq!(a, b),
        (Value::Null, Value::Null) => {}
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}");
            for (x, y) in a.iter().zip(b) {
                nested(x, y, at, "[]");
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            // Keys that become `<key>` may merge; never more members than before.
            assert!(b.len() <= a.len() && (b.len() == a.len() || b.contains_key(redact::DATA_KEY)));
            for (key, value) in a {
                let shown = redact::safe_key(key);
                assert!(shown == *key || shown == redact::DATA_KEY);
                if shown == *key {
                    nested(value, &b[key.as_str()], at, key);
                }
            }
        }
        (a, b) => panic!("{at}: type changed from {a} to {b}"),
    }
}

fn nested(input: &Value, output: &Value, at: &mut String, segment: &str) {
    let len = at.len();
    at.push('/');
    at.push_str(segment);
    check(input, output, at);
    at.truncate(len);
}
