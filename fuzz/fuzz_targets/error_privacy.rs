//! What an error says about a body (`finpass-client/src/error/privacy.rs`, compiled by path next to the
//! redaction rule it uses): a canary PAN, mobile number or e-mail inserted anywhere in the body never
//! appears in the decode failure (path and expected type) or the body description, whatever the type.
#![no_main]

use finpass_client::types::*;
use libfuzzer_sys::fuzz_target;

#[path = "../../finpass-client/src/redact.rs"]
#[allow(dead_code, reason = "privacy uses part of it")]
mod redact;

#[path = "../../finpass-client/src/error/privacy.rs"]
#[allow(dead_code, reason = "only the body rules are exercised")]
mod privacy;

const CANARIES: [&str; 3] = ["ABCDE1234F", "9876543210", "ravi.k@example.in"];

fn shown<T: serde::de::DeserializeOwned>(body: &[u8]) -> String {
    privacy::decode_failure::<T>(body).to_string()
}

fuzz_target!(|input: &[u8]| {
    // Byte 0 picks the canary and the type, bytes 1-2 where it goes; the rest is the body.
    let [pick, hi, lo, rest @ ..] = input else { return };
    let canary = CANARIES[usize::from(*pick) % CANARIES.len()];
    let at = usize::from(u16::from_be_bytes([*hi, *lo])) % (rest.len() + 1);
    let mut body = rest.to_vec();
    body.splice(at..at, canary.bytes());
    let said = match pick / 3 % 6 {
        0 => shown::<AaInitializeResponse>(&body),
        1 => shown::<AaBsaStatusResponse>(&body),
        2 => shown::<MultiBureauFetchResponse>(&body),
        3 => shown::<ItrStatusResponse>(&body),
        4 => shown::<CorporateCinLookupResponse>(&body),
        _ => privacy::describe_body(&body),
    };
    assert!(!said.contains(canary), "{said}");
});
