//! Kubernetes timestamps: `metav1.Time` is RFC 3339 in UTC with whole
//! seconds (`2006-01-02T15:04:05Z`), `metav1.MicroTime` has six fractional
//! digits. Parsing accepts any RFC 3339 offset and fraction, as Go's
//! `time.Parse(time.RFC3339, ...)` does.

use std::time::{SystemTime, UNIX_EPOCH};

/// A point in time: seconds since the Unix epoch and nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z (may be negative).
    pub seconds: i64,
    /// Nanoseconds within the second, 0..1e9.
    pub nanos: u32,
}

impl Timestamp {
    /// Now, from the system clock.
    pub fn now() -> Self {
        let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        Self { seconds: d.as_secs() as i64, nanos: d.subsec_nanos() }
    }

    /// `2006-01-02T15:04:05Z` (metav1.Time).
    pub fn rfc3339(&self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.seconds);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// `2006-01-02T15:04:05.000000Z` (metav1.MicroTime).
    pub fn rfc3339_micro(&self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.seconds);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}Z", self.nanos / 1000)
    }

    /// Parses RFC 3339 (`Z` or `±hh:mm`, optional fraction), as Go does.
    pub fn parse(text: &str) -> Result<Self, String> {
        let err =
            || format!("parsing time {text:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse {text:?} as RFC 3339");
        let b = text.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !(b[10] == b'T' || b[10] == b't')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
            let s = text.get(r).ok_or_else(err)?;
            if !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            s.parse::<i64>().map_err(|_| err())
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(err());
        }
        let mut i = 19;
        let mut nanos: u32 = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(err());
            }
            let frac = &text[start..i];
            let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
            nanos = digits.parse().map_err(|_| err())?;
        }
        let offset = match b.get(i) {
            Some(b'Z') | Some(b'z') if i + 1 == b.len() => 0,
            Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
                let oh = num(i + 1..i + 3)?;
                let om = num(i + 4..i + 6)?;
                if oh > 23 || om > 59 {
                    return Err(err());
                }
                let off = oh * 3600 + om * 60;
                if *sign == b'+' { off } else { -off }
            }
            _ => return Err(err()),
        };
        let days = days_from_civil(year, month, day);
        Ok(Self { seconds: days * 86400 + hour * 3600 + minute * 60 + second - offset, nanos })
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// (year, month, day, hour, minute, second) of Unix seconds, in UTC.
fn civil(seconds: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = seconds.div_euclid(86400);
    let rem = seconds.rem_euclid(86400);
    let z = days + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let t = Timestamp::parse("2024-02-29T23:59:59Z").unwrap();
        assert_eq!(t.rfc3339(), "2024-02-29T23:59:59Z");
        let t = Timestamp::parse("2024-03-01T01:30:00+02:00").unwrap();
        assert_eq!(t.rfc3339(), "2024-02-29T23:30:00Z");
        let t = Timestamp::parse("1970-01-01T00:00:00.5Z").unwrap();
        assert_eq!((t.seconds, t.nanos), (0, 500_000_000));
        assert_eq!(t.rfc3339_micro(), "1970-01-01T00:00:00.500000Z");
        assert_eq!(Timestamp { seconds: -1, nanos: 0 }.rfc3339(), "1969-12-31T23:59:59Z");
        for bad in
            ["", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00", "x"]
        {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }
}
