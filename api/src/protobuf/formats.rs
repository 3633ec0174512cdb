//! The text forms Kubernetes gives some protobuf values in JSON: RFC 3339
//! times (metav1.Time, metav1.MicroTime), Go duration strings
//! (metav1.Duration) and standard base64 (`[]byte` fields).

/// Seconds from 0001-01-01T00:00:00Z (Go's zero time) to the Unix epoch, negated.
pub(super) const GO_ZERO_TIME_UNIX: i64 = -62_135_596_800;

/// Unix seconds of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z: the
/// years RFC 3339 can write.
const MIN_RFC3339_UNIX: i64 = -62_167_219_200;
const MAX_RFC3339_UNIX: i64 = 253_402_300_800;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Both casts are of values proven small: day in 1..=31, month in 1..=12.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Formats Unix seconds (plus microseconds when `micros` is given) as UTC RFC 3339,
/// like Go's `Format(time.RFC3339)` and metav1.MicroTime's `RFC3339Micro`.
pub(super) fn format_rfc3339(seconds: i64, micros: Option<u32>) -> Result<String, String> {
    if !(MIN_RFC3339_UNIX..MAX_RFC3339_UNIX).contains(&seconds) {
        return Err(format!("time {seconds}s since the epoch is outside years 0-9999"));
    }
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    Ok(match micros {
        Some(us) => format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{us:06}Z"),
        None => format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z"),
    })
}

fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    part.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// Parses an RFC 3339 time (`2006-01-02T15:04:05Z`, optional fraction, `Z` or
/// `±hh:mm`) into Unix seconds and nanoseconds, as Go's `time.Parse(time.RFC3339, s)`.
pub(super) fn parse_rfc3339(text: &str) -> Result<(i64, u32), String> {
    let bad = || format!("{text:?} is not an RFC 3339 time");
    let s = text.as_bytes();
    if s.len() < 20 || s[4] != b'-' || s[7] != b'-' || s[10] != b'T' || s[13] != b':' || s[16] != b':' {
        return Err(bad());
    }
    let year = digits(s, 0, 4).ok_or_else(bad)?;
    let month = digits(s, 5, 2).ok_or_else(bad)?;
    let day = digits(s, 8, 2).ok_or_else(bad)?;
    let hour = digits(s, 11, 2).ok_or_else(bad)?;
    let minute = digits(s, 14, 2).ok_or_else(bad)?;
    let second = digits(s, 17, 2).ok_or_else(bad)?;
    let year = i64::from(year);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(format!("{text:?}: day out of range"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!("{text:?}: time of day out of range"));
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if matches!(s.get(at), Some(b'.' | b',')) {
        at += 1;
        let start = at;
        while at < s.len() && s[at].is_ascii_digit() {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(s[at] - b'0');
            }
            at += 1;
        }
        let n = at - start;
        if n == 0 {
            return Err(bad());
        }
        for _ in n..9 {
            nanos *= 10;
        }
    }
    let offset = match &s[at..] {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let oh = digits(s, at + 1, 2).ok_or_else(bad)?;
            let om = digits(s, at + 4, 2).ok_or_else(bad)?;
            if oh > 23 || om > 59 {
                return Err(format!("{text:?}: time zone offset out of range"));
            }
            let secs = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return Err(bad()),
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset;
    Ok((seconds, nanos))
}

const NANOSECOND: u64 = 1;
const MICROSECOND: u64 = 1_000;
const MILLISECOND: u64 = 1_000_000;
const SECOND: u64 = 1_000_000_000;

/// Splits `v` into `v / 10^prec` and the fraction `.ddd` with trailing zeros
/// dropped (empty when zero), as Go's duration formatting does.
fn split_fraction(v: u64, prec: u32) -> (u64, String) {
    let p = 10u64.pow(prec);
    let (int, frac) = (v / p, v % p);
    if frac == 0 {
        return (int, String::new());
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    (int, format!(".{}", digits.trim_end_matches('0')))
}

/// Formats nanoseconds like Go's `time.Duration.String()`: "1h2m3.5s", "1.5ms", "0s".
pub(super) fn format_go_duration(nanos: i64) -> String {
    let u = nanos.unsigned_abs();
    let sign = if nanos < 0 { "-" } else { "" };
    if u == 0 {
        return "0s".to_owned();
    }
    if u < SECOND {
        let (unit, prec) = match u {
            _ if u < MICROSECOND => ("ns", 0),
            _ if u < MILLISECOND => ("µs", 3),
            _ => ("ms", 6),
        };
        let (int, frac) = split_fraction(u, prec);
        return format!("{sign}{int}{frac}{unit}");
    }
    let (total_seconds, frac) = split_fraction(u, 9);
    let total_minutes = total_seconds / 60;
    let mut out = sign.to_owned();
    if total_minutes > 0 {
        let hours = total_minutes / 60;
        if hours > 0 {
            out.push_str(&format!("{hours}h"));
        }
        out.push_str(&format!("{}m", total_minutes % 60));
    }
    out.push_str(&format!("{}{frac}s", total_seconds % 60));
    out
}

/// Parses a Go duration string ("1h2m3.5s", "-1.5ms", "300us", "0") into
/// nanoseconds, as Go's `time.ParseDuration`.
pub(super) fn parse_go_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let mut s = text;
    let mut neg = false;
    if let Some(rest) = s.strip_prefix('-') {
        neg = true;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut total: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // Integer part.
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut v: u64 = 0;
        for &c in &b[..int_len] {
            v = v
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(c - b'0')))
                .filter(|&v| v <= LIMIT)
                .ok_or_else(invalid)?;
        }
        s = &s[int_len..];
        // Fraction part.
        let mut frac: u64 = 0;
        let mut scale = 1.0f64;
        let mut frac_len = 0;
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let fb = s.as_bytes();
            frac_len = fb.iter().take_while(|c| c.is_ascii_digit()).count();
            let mut overflow = false;
            for &c in &fb[..frac_len] {
                if overflow {
                    continue;
                }
                if frac > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let next = frac * 10 + u64::from(c - b'0');
                if next > LIMIT - 1 {
                    overflow = true;
                    continue;
                }
                frac = next;
                scale *= 10.0;
            }
            s = &s[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return Err(invalid());
        }
        // Unit.
        let unit_len = s.bytes().take_while(|&c| !(c == b'.' || c.is_ascii_digit())).count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {text:?}"));
        }
        let unit = match &s[..unit_len] {
            "ns" => NANOSECOND,
            "us" | "µs" | "μs" => MICROSECOND,
            "ms" => MILLISECOND,
            "s" => SECOND,
            "m" => 60 * SECOND,
            "h" => 3600 * SECOND,
            other => return Err(format!("time: unknown unit {other:?} in duration {text:?}")),
        };
        s = &s[unit_len..];
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if frac > 0 {
            // Like Go: float64 is exact enough for fractions of an hour.
            v += (frac as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        total = total.checked_add(v).filter(|&t| t <= LIMIT).ok_or_else(invalid)?;
    }
    if neg {
        // total <= 2^63, so the negation fits.
        return Ok((total as i128).wrapping_neg() as i64);
    }
    i64::try_from(total).map_err(|_| invalid())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, as Go's encoding/json writes `[]byte`.
pub(super) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [n >> 18, n >> 12, n >> 6, n];
        for (i, sextet) in sextets.iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(B64[(sextet & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard padded base64 as Go's encoding/json reads `[]byte`
/// (line breaks are ignored).
pub(super) fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let bad = || format!("illegal base64 data in {:?}", truncate_for_message(text));
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    if !clean.len().is_multiple_of(4) {
        return Err(bad());
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let quads = clean.len() / 4;
    for (q, quad) in clean.chunks(4).enumerate() {
        let mut n = 0u32;
        let mut pad = 0;
        for (i, &c) in quad.iter().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' if q + 1 == quads && i >= 2 => {
                    pad += 1;
                    0
                }
                _ => return Err(bad()),
            };
            if pad > 0 && c != b'=' {
                return Err(bad());
            }
            n = (n << 6) | u32::from(v);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Ok(out)
}

/// A prefix of user input short enough for an error message.
pub(super) fn truncate_for_message(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_and_matches_known_instants() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok((0, 0)));
        assert_eq!(parse_rfc3339("2006-01-02T15:04:05Z"), Ok((1_136_214_245, 0)));
        assert_eq!(parse_rfc3339("2006-01-02T15:04:05-07:00"), Ok((1_136_239_445, 0)));
        assert_eq!(parse_rfc3339("2024-02-29T23:59:59.5+01:30"), Ok((1_709_245_799, 500_000_000)));
        assert_eq!(parse_rfc3339("0001-01-01T00:00:00Z"), Ok((GO_ZERO_TIME_UNIX, 0)));
        assert_eq!(format_rfc3339(1_136_214_245, None).as_deref(), Ok("2006-01-02T15:04:05Z"));
        assert_eq!(format_rfc3339(-1, Some(999_999)).as_deref(), Ok("1969-12-31T23:59:59.999999Z"));
        assert_eq!(format_rfc3339(GO_ZERO_TIME_UNIX, None).as_deref(), Ok("0001-01-01T00:00:00Z"));
        assert!(format_rfc3339(MAX_RFC3339_UNIX, None).is_err());
        assert!(format_rfc3339(i64::MIN, None).is_err());
        for secs in [-62_135_596_800i64, -86_401, 0, 951_782_400, 4_102_444_799, 253_402_300_799] {
            let text = format_rfc3339(secs, None).unwrap();
            assert_eq!(parse_rfc3339(&text), Ok((secs, 0)), "{text}");
        }
    }

    #[test]
    fn rfc3339_rejects_what_go_rejects() {
        for bad in [
            "",
            "2024-01-01",
            "2024-01-01 00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:60Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+0100",
            "2024-01-01T00:00:00Zjunk",
            "２024-01-01T00:00:00Z",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn durations_format_like_go() {
        let cases = [
            (0, "0s"),
            (1, "1ns"),
            (1_100, "1.1µs"),
            (2_200_000, "2.2ms"),
            (3_300_000_000, "3.3s"),
            (60_000_000_000, "1m0s"),
            (3_723_500_000_000, "1h2m3.5s"),
            (-4_500_000_000, "-4.5s"),
            (i64::MAX, "2562047h47m16.854775807s"),
            (i64::MIN, "-2562047h47m16.854775808s"),
        ];
        for (nanos, text) in cases {
            assert_eq!(format_go_duration(nanos), text);
            assert_eq!(parse_go_duration(text), Ok(nanos), "{text}");
        }
    }

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration("+5s"), Ok(5_000_000_000));
        assert_eq!(parse_go_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration("300us"), Ok(300_000));
        assert_eq!(parse_go_duration("300μs"), Ok(300_000));
        assert_eq!(parse_go_duration(".5s"), Ok(500_000_000));
        assert_eq!(parse_go_duration("1h1h"), Ok(7_200_000_000_000));
        for bad in ["", "-", "1", "s", ".s", "1d", "1.2.3s", "9223372036854775808ns", "3000000h"] {
            assert!(parse_go_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn base64_round_trips_and_rejects_garbage() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[0xff, 0x00, 0xfe]] {
            let text = base64_encode(data);
            assert_eq!(base64_decode(&text).as_deref(), Ok(data), "{text}");
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode("Zm9v\r\nYmFy").as_deref(), Ok(&b"foobar"[..]));
        for bad in ["Zm8", "Zm=8", "Z===", "Zm9v!mFy", "Zg==Zg==", "=Zg="] {
            assert!(base64_decode(bad).is_err(), "{bad:?}");
        }
    }
}
