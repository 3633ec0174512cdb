//! Points in time as metav1.Time holds them: RFC3339 parsing and formatting, Go's zero time,
//! and the "age" texts (translateTimestampSince) built on `duration::human_duration`.

use serde_json::Value;

use super::duration::human_duration;

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
    let days = seconds.div_euclid(86_400);
    let secs_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        year,
        month,
        day,
        secs_of_day / 3600,
        (secs_of_day / 60) % 60,
        secs_of_day % 60
    )
}

fn parse_rfc3339(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut pos = 19;
    let mut frac_nanos: i128 = 0;
    if b.get(pos) == Some(&b'.') || b.get(pos) == Some(&b',') {
        pos += 1;
        let start = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos == start || pos - start > 9 {
            return None;
        }
        let mut scale = 1_000_000_000i128;
        for &d in &b[start..pos] {
            scale /= 10;
            frac_nanos += i128::from(d - b'0') * scale;
        }
    }
    let offset_seconds = match &b[pos..] {
        [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let off = hours * 3600 + minutes * 60;
            if *sign == b'-' { -off } else { off }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Some(Instant { nanos: seconds * NANOS_PER_SECOND + frac_nanos })
}

fn digits(bytes: &[u8]) -> Option<i128> {
    bytes.iter().try_fold(0i128, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i128::from(c - b'0')))
}

fn is_leap(year: i128) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i128, month: i128) -> i128 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i128, month: i128, day: i128) -> i128 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i128) -> (i128, i128, i128) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i128::from(month <= 2);
    (year, month, day)
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
