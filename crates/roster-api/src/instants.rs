//! Instants in responses, written as chrono writes them (RFC 3339 in UTC, `Z`, the fraction of
//! a second in 0, 3, 6 or 9 digits as it needs) but without `core::fmt`: chrono's `Display`
//! reaches serde_json one character at a time, each escaped on its own, which made the
//! timestamps a fifth of the work of a page of members. Use on response fields with
//! `#[serde(serialize_with = "crate::instants::write")]` (or `write_optional`).

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Serialize, Serializer};

/// The longest form written here: `2026-12-03T21:16:11.123456789Z`.
const LONGEST: usize = 30;

pub fn write<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut text = [0u8; LONGEST];
    match rfc3339(at, &mut text) {
        // Only ASCII digits and punctuation were written.
        Some(len) => serializer.serialize_str(std::str::from_utf8(&text[..len]).unwrap_or("")),
        // A year outside 0..=9999 or a leap second: chrono's own (rarer) forms.
        None => at.serialize(serializer),
    }
}

pub fn write_optional<S: Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => write(at, serializer),
        None => serializer.serialize_none(),
    }
}

/// Writes `at` into `out`, answering its length, or `None` for what chrono writes otherwise.
fn rfc3339(at: &DateTime<Utc>, out: &mut [u8; LONGEST]) -> Option<usize> {
    let year = at.year();
    let nanos = at.nanosecond();
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return None;
    }
    digits(&mut out[0..4], year as u32);
    out[4] = b'-';
    digits(&mut out[5..7], at.month());
    out[7] = b'-';
    digits(&mut out[8..10], at.day());
    out[10] = b'T';
    digits(&mut out[11..13], at.hour());
    out[13] = b':';
    digits(&mut out[14..16], at.minute());
    out[16] = b':';
    digits(&mut out[17..19], at.second());
    let mut len = 19;
    let fraction = match nanos {
        0 => None,
        n if n % 1_000_000 == 0 => Some((n / 1_000_000, 3)),
        n if n % 1_000 == 0 => Some((n / 1_000, 6)),
        n => Some((n, 9)),
    };
    if let Some((value, width)) = fraction {
        out[len] = b'.';
        digits(&mut out[len + 1..len + 1 + width], value);
        len += 1 + width;
    }
    out[len] = b'Z';
    Some(len + 1)
}

/// `value` in exactly `out.len()` decimal digits, zero-padded.
fn digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[derive(Serialize)]
    struct Fast(#[serde(serialize_with = "write")] DateTime<Utc>);

    fn both(at: DateTime<Utc>) -> (String, String) {
        (
            serde_json::to_string(&Fast(at)).unwrap(),
            serde_json::to_string(&at).unwrap(),
        )
    }

    #[test]
    fn writes_what_chrono_writes() {
        let base = Utc.with_ymd_and_hms(2026, 12, 3, 21, 16, 11).unwrap();
        let fractions = [
            0,
            1,
            7,
            120,
            123_000,
            123_456_000,
            999_999_999,
            500_000,
            1_000,
        ];
        for nanos in fractions {
            let at = base + chrono::Duration::nanoseconds(nanos);
            let (fast, chrono) = both(at);
            assert_eq!(fast, chrono, "{nanos} ns");
        }
        // Spread over the years it writes itself, and the edges where it hands over to chrono.
        let mut at = Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap();
        while at.year() < 9999 {
            let (fast, chrono) = both(at);
            assert_eq!(fast, chrono);
            at += chrono::Duration::seconds(97_777_777) + chrono::Duration::microseconds(31_337);
        }
        for edge in [
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-1, 6, 1, 12, 0, 0).unwrap(),
        ] {
            let (fast, chrono) = both(edge);
            assert_eq!(fast, chrono);
        }
    }

    #[test]
    fn an_absent_instant_is_null() {
        #[derive(Serialize)]
        struct Maybe(#[serde(serialize_with = "write_optional")] Option<DateTime<Utc>>);
        assert_eq!(serde_json::to_string(&Maybe(None)).unwrap(), "null");
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(
            serde_json::to_string(&Maybe(Some(at))).unwrap(),
            "\"2026-01-02T03:04:05Z\""
        );
    }
}
