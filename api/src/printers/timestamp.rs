//! Points in time as metav1.Time holds them: RFC3339 parsing and formatting (those of
//! [`crate::timefmt`]), Go's zero time, and the "age" texts (translateTimestampSince) built on
//! `duration::human_duration`.

use serde_json::Value;

use super::duration::human_duration;
use crate::timefmt::Timestamp;

const NANOS_PER_SECOND: i128 = 1_000_000_000;
/// Seconds from 0001-01-01T00:00:00Z (Go's zero time) to the Unix epoch.
const ZERO_TIME_UNIX_SECONDS: i128 = -62_135_596_800;

/// An instant with nanosecond precision, counted from the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Instant {
    nanos: i128,
}

impl Instant {
    /// Go's zero `time.Time` (what an unset metav1.Time holds).
    pub(super) const ZERO: Instant = Instant { nanos: ZERO_TIME_UNIX_SECONDS * NANOS_PER_SECOND };

    /// The instant `seconds` after the Unix epoch.
    pub(super) fn from_unix_seconds(seconds: i64) -> Self {
        Instant { nanos: i128::from(seconds) * NANOS_PER_SECOND }
    }

    /// Whether this is Go's zero time (`Time.IsZero`).
    pub(super) fn is_zero(self) -> bool {
        self == Instant::ZERO
    }

    /// `self - earlier` as a Go `time.Duration` in nanoseconds, saturating like `Time.Sub`.
    pub(super) fn since(self, earlier: Instant) -> i64 {
        let d = self.nanos - earlier.nanos;
        i64::try_from(d).unwrap_or(if d < 0 { i64::MIN } else { i64::MAX })
    }
}

/// Parses an RFC3339 timestamp (with optional fractional seconds); anything else, including
/// the empty string, reads as the zero time.
pub(super) fn parse_time(text: &str) -> Instant {
    parse_rfc3339(text).unwrap_or(Instant::ZERO)
}

/// The time at `value` when it is set (a non-nil `*metav1.Time`), else None.
pub(super) fn opt_time(value: Option<&Value>) -> Option<Instant> {
    match value {
        None | Some(Value::Null) => None,
        Some(v) => Some(parse_time(v.as_str().unwrap_or(""))),
    }
}

/// The time at `value`, zero when unset (a `metav1.Time` field).
pub(super) fn time_or_zero(value: Option<&Value>) -> Instant {
    opt_time(value).unwrap_or(Instant::ZERO)
}

/// translateTimestampSince: "<unknown>" for the zero time, else the human age at `now`.
pub(super) fn since(time: Instant, now: Instant) -> String {
    if time.is_zero() {
        return "<unknown>".to_string();
    }
    human_duration(now.since(time))
}

/// The age of an object: translateTimestampSince of `metadata.creationTimestamp`.
pub(super) fn age(object: &Value, now: Instant) -> String {
    since(time_or_zero(super::json::get(object, &["metadata", "creationTimestamp"])), now)
}

/// Formats like Go's `t.UTC().Format(time.RFC3339)` (whole seconds, "Z").
pub(super) fn format_rfc3339_utc(time: Instant) -> String {
    let seconds = time.nanos.div_euclid(NANOS_PER_SECOND);
    // Every Instant is built from i64 seconds, so this never saturates.
    let seconds = i64::try_from(seconds).unwrap_or(if seconds < 0 { i64::MIN } else { i64::MAX });
    Timestamp { seconds, nanos: 0 }.rfc3339()
}

fn parse_rfc3339(text: &str) -> Option<Instant> {
    let time = Timestamp::parse(text).ok()?;
    Some(Instant { nanos: i128::from(time.seconds) * NANOS_PER_SECOND + i128::from(time.nanos) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_rfc3339() {
        let t = parse_time("2024-02-29T23:59:58Z");
        assert_eq!(format_rfc3339_utc(t), "2024-02-29T23:59:58Z");
        assert_eq!(t, Instant::from_unix_seconds(1_709_251_198));
        let shifted = parse_time("2024-03-01T01:59:58.5+02:00");
        assert_eq!(format_rfc3339_utc(shifted), "2024-02-29T23:59:58Z");
        assert_eq!(Instant::from_unix_seconds(1_709_251_199).since(shifted), 500_000_000);
        let micro = parse_time("1970-01-01T00:00:01.000001Z");
        assert_eq!(micro.since(Instant::from_unix_seconds(0)), 1_000_001_000);
    }

    #[test]
    fn zero_time_and_garbage() {
        assert!(parse_time("").is_zero());
        assert!(parse_time("yesterday").is_zero());
        assert!(parse_time("0001-01-01T00:00:00Z").is_zero());
        assert_eq!(format_rfc3339_utc(Instant::ZERO), "0001-01-01T00:00:00Z");
        assert_eq!(since(Instant::ZERO, Instant::from_unix_seconds(0)), "<unknown>");
    }
}
