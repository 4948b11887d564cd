//! Reading a `Retry-After` value (RFC 9110 §10.2.3): delay-seconds or an HTTP date. A leaf, so the
//! fuzz crate can compile it by path.

use std::time::{Duration, SystemTime};

/// What a present `Retry-After` header asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryAfter {
    /// Wait this long (a date in the past means now).
    Delay(Duration),
    /// Present but unreadable (`-1`, `1.5`, `soon`, not ASCII): the server wants a pause of unknown
    /// length, so it counts as longer than any cap, never as no delay at all.
    Unreadable,
}

/// Parses one header value as of `now`.
pub(crate) fn parse(value: &[u8], now: SystemTime) -> RetryAfter {
    let Ok(text) = std::str::from_utf8(value) else {
        return RetryAfter::Unreadable;
    };
    let text = text.trim_matches([' ', '\t']);
    // `1*DIGIT` only: `u64::from_str` would also take `+5`.
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is still a (very long) delay.
        let seconds = text.parse::<u64>().unwrap_or(u64::MAX);
        return RetryAfter::Delay(Duration::from_secs(seconds));
    }
    match httpdate::parse_http_date(text) {
        Ok(when) => RetryAfter::Delay(when.duration_since(now).unwrap_or(Duration::ZERO)),
        Err(_) => RetryAfter::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_dates_are_delays_and_anything_else_is_unreadable() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let delay = |s: u64| RetryAfter::Delay(Duration::from_secs(s));
        assert_eq!(parse(b"7", now), delay(7));
        assert_eq!(parse(b" 0 ", now), delay(0));
        assert_eq!(parse(b"99999999999999999999999", now), delay(u64::MAX));
        let soon = httpdate::fmt_http_date(now + Duration::from_secs(120));
        assert_eq!(parse(soon.as_bytes(), now), delay(120));
        assert_eq!(parse(b"Wed, 21 Oct 2015 07:28:00 GMT", now), delay(0));
        for unreadable in [
            &b"-1"[..],
            b"1.5",
            b"+5",
            b"soon",
            b"",
            b"  ",
            b"1e3",
            b"\xff\xfe",
            b"Wed, 21 Oct 2015",
        ] {
            assert_eq!(
                parse(unreadable, now),
                RetryAfter::Unreadable,
                "{unreadable:?}"
            );
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    proptest! {
        #[test]
        fn delay_seconds_read_exactly(seconds in any::<u64>(), pad in "[ \t]{0,2}") {
            let value = format!("{pad}{seconds}{pad}");
            prop_assert_eq!(
                parse(value.as_bytes(), now()),
                RetryAfter::Delay(Duration::from_secs(seconds))
            );
        }

        /// Signs, fractions and exponents are not delay-seconds: never a (short) delay.
        #[test]
        fn signed_or_fractional_numbers_are_unreadable(
            value in "[-+][0-9]{1,6}|[0-9]{0,6}[.,eE][0-9]{0,6}|[0-9]{1,3} [0-9]{1,3}"
        ) {
            prop_assert_eq!(parse(value.as_bytes(), now()), RetryAfter::Unreadable);
        }

        /// Whatever the bytes, a delay comes only from digits or a real HTTP date.
        #[test]
        fn anything_else_is_unreadable(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let text = std::str::from_utf8(&bytes).map(|t| t.trim_matches([' ', '\t']));
            let readable = text.is_ok_and(|t| {
                (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                    || httpdate::parse_http_date(t).is_ok()
            });
            let parsed = parse(&bytes, now());
            prop_assert_eq!(parsed != RetryAfter::Unreadable, readable, "{:?}", parsed);
        }
    }
}
