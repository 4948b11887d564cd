//! `Retry-After` parsing (`finpass-client/src/retry/after.rs`, compiled by path): never panics, and a
//! delay comes only from delay-seconds or a real HTTP date. Anything else, `-1` and `1.5` included, is
//! unreadable, which the client treats as longer than allowed, never as no delay.
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;

#[path = "../../finpass-client/src/retry/after.rs"]
mod after;

use after::RetryAfter;

fuzz_target!(|bytes: &[u8]| {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let parsed = after::parse(bytes, now);
    let text = std::str::from_utf8(bytes).map(|t| t.trim_matches([' ', '\t']));
    let digits = text.is_ok_and(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
    let date = text.is_ok_and(|t| httpdate::parse_http_date(t).is_ok());
    match parsed {
        RetryAfter::Delay(d) if digits => {
            let expected = text.unwrap().parse::<u64>().unwrap_or(u64::MAX);
            assert_eq!(d, Duration::from_secs(expected));
        }
        RetryAfter::Delay(_) => assert!(date, "{bytes:?} read as a delay"),
        RetryAfter::Unreadable => assert!(!digits && !date, "{bytes:?} read as unreadable"),
    }
});
