//! Resource quantities as `resource.Quantity.String()` prints them: parsed the way
//! apimachinery's ParseQuantity does (rounded up to nano precision, binary values capped at
//! 2^63-1), then written in canonical form ("1500m", "1Gi", "1536Mi", "12e3"), or the
//! original text when ParseQuantity would have kept it as already canonical.

use serde_json::Value;

/// How a quantity was written, which decides how it is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    DecimalExponent,
    BinarySi,
    DecimalSi,
}

/// A parsed quantity: `negative`, `mantissa * 10^scale`, and its format; or the text to
/// print verbatim.
enum Parsed {
    Verbatim(String),
    Value { negative: bool, mantissa: i128, scale: i32, format: Format },
}

/// `Quantity.String()` of a JSON quantity (a string, or a bare number).
pub(super) fn quantity_string(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return "0".to_string(),
    };
    match parse(&text) {
        Some(Parsed::Verbatim(s)) => s,
        Some(Parsed::Value { negative, mantissa, scale, format }) => {
            canonical(negative, mantissa, scale, format).unwrap_or(text)
        }
        // kube-apiserver would not have stored an unparseable quantity; show it as written.
        None => text,
    }
}

/// A `resource.Quantity` value field: the zero quantity ("0") when absent.
pub(super) fn quantity_or_zero(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "0".to_string(),
        Some(v) => quantity_string(v),
    }
}

/// A `*resource.Quantity` field: Go prints a nil one as "<nil>".
pub(super) fn quantity_ptr(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "<nil>".to_string(),
        Some(v) => quantity_string(v),
    }
}

/// The number, fraction and suffix of a quantity string (parseQuantityString).
struct Pieces<'a> {
    negative: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

fn split(text: &str) -> Option<Pieces<'_>> {
    let b = text.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut negative = false;
    match b.first() {
        Some(b'-') => {
            negative = true;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Some(Pieces { negative, num: "0", denom: "", suffix: "" });
    }
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = if pos == num_start { "0" } else { &text[num_start..pos] };
    let mut denom = "";
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &text[start..pos];
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return None;
    }
    Some(Pieces { negative, num, denom, suffix: &text[suffix_start..] })
}

/// The base, exponent and format a suffix stands for.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSi));
    let binary = |e| Some((2, e, Format::BinarySi));
    match suffix {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        s if s.len() > 1 && (s.starts_with('e') || s.starts_with('E')) => {
            let exponent: i64 = s[1..].parse().ok()?;
            Some((10, i32::try_from(exponent).ok()?, Format::DecimalExponent))
        }
        _ => None,
    }
}

fn parse(text: &str) -> Option<Parsed> {
    if text.is_empty() {
        return None;
    }
    if text == "0" {
        return Some(Parsed::Verbatim("0".to_string()));
    }
    let Pieces { negative, num, denom, suffix } = split(text)?;
    let (base, exponent, mut format) = interpret(suffix)?;
    let digit_len = i32::try_from(num.len() + denom.len()).ok()?;
    let denom_len = i32::try_from(denom.len()).ok()?;

    // ParseQuantity keeps the original text when it is already in canonical form.
    let shifted = format!("{num}{denom}");
    match format {
        Format::DecimalExponent | Format::DecimalSi => {
            let scale = exponent - denom_len;
            if 18 - digit_len >= 0 && scale >= -9 {
                let fits = shifted.parse::<i64>().is_ok();
                if fits && scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0') {
                    return Some(Parsed::Verbatim(text.to_string()));
                }
            }
        }
        Format::BinarySi => {
            if denom.is_empty() {
                let precision = 15 - digit_len - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
                if precision >= 0
                    && let Ok(value) = shifted.parse::<i64>()
                    && value.checked_mul(1i64 << exponent).is_some()
                    && exponent % 10 == 0
                    && value & 0x07 != 0
                {
                    return Some(Parsed::Verbatim(text.to_string()));
                }
            }
        }
    }

    // The exact value, then rounded up (away from zero) to nano precision.
    let mut mantissa: i128 = shifted.parse().ok()?;
    let mut scale: i32;
    if base == 10 {
        scale = exponent.checked_sub(denom_len)?;
    } else {
        mantissa = mantissa.checked_mul(1i128.checked_shl(u32::try_from(exponent).ok()?)?)?;
        scale = -denom_len;
    }
    if mantissa != 0 && scale < -9 {
        // A divisor beyond i128 exceeds any mantissa: the value rounds up to one nano.
        mantissa = match pow10((-9i32).checked_sub(scale)?) {
            Some(divisor) => mantissa / divisor + i128::from(mantissa % divisor != 0),
            None => 1,
        };
        scale = -9;
    }
    if format == Format::BinarySi {
        let max = i128::from(i64::MAX);
        if compare(mantissa, scale, max) == std::cmp::Ordering::Greater {
            mantissa = max;
            scale = 0;
        }
        if mantissa != 0 && compare(mantissa, scale, 1) == std::cmp::Ordering::Less {
            format = Format::DecimalSi;
        }
    }
    Some(Parsed::Value { negative, mantissa, scale, format })
}

fn pow10(n: i32) -> Option<i128> {
    10i128.checked_pow(u32::try_from(n).ok()?)
}

/// Compares the non-negative `mantissa * 10^scale` with `other`.
fn compare(mantissa: i128, scale: i32, other: i128) -> std::cmp::Ordering {
    if scale >= 0 {
        match pow10(scale).and_then(|p| mantissa.checked_mul(p)) {
            Some(v) => v.cmp(&other),
            None => std::cmp::Ordering::Greater,
        }
    } else {
        match pow10(-scale).and_then(|p| other.checked_mul(p)) {
            Some(o) => mantissa.cmp(&o),
            None => std::cmp::Ordering::Less,
        }
    }
}

/// CanonicalizeBytes: the canonical text of a parsed, non-verbatim quantity.
fn canonical(negative: bool, mantissa: i128, scale: i32, format: Format) -> Option<String> {
    if mantissa == 0 {
        return Some("0".to_string());
    }
    let sign = if negative { "-" } else { "" };
    let mut format = format;
    let mut integral = None;
    if format == Format::BinarySi {
        if compare(mantissa, scale, 1024) == std::cmp::Ordering::Less {
            format = Format::DecimalSi;
        } else if scale >= 0 {
            integral = Some(mantissa.checked_mul(pow10(scale)?)?);
        } else if mantissa % pow10(-scale)? == 0 {
            integral = Some(mantissa / pow10(-scale)?);
        } else {
            format = Format::DecimalSi;
        }
    }
    if let Some(mut value) = integral {
        let mut exponent = 0;
        while value >= 1024 && value % 1024 == 0 {
            value /= 1024;
            exponent += 1;
        }
        let suffix = match exponent {
            1 => "Ki",
            2 => "Mi",
            3 => "Gi",
            4 => "Ti",
            5 => "Pi",
            6 => "Ei",
            _ => "",
        };
        return Some(format!("{sign}{value}{suffix}"));
    }
    let (mut value, mut exponent) = (mantissa, scale);
    while value >= 10 && value % 10 == 0 {
        value /= 10;
        exponent = exponent.checked_add(1)?;
    }
    while exponent.rem_euclid(3) != 0 {
        value = value.checked_mul(10)?;
        exponent = exponent.checked_sub(1)?;
    }
    let suffix = match format {
        Format::DecimalExponent if exponent == 0 => String::new(),
        Format::DecimalExponent => format!("e{exponent}"),
        _ => match exponent {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            // Like apimachinery, an exponent without an SI suffix prints no suffix.
            _ => "",
        }
        .to_string(),
    };
    Some(format!("{sign}{value}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> String {
        quantity_string(&Value::from(text))
    }

    #[test]
    fn canonical_forms() {
        let cases = [
            ("4Gi", "4Gi"),
            ("1024Mi", "1Gi"),
            ("1536Mi", "1536Mi"),
            ("1.5Gi", "1536Mi"),
            ("2048Ki", "2Mi"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("0.5", "500m"),
            ("1.5", "1500m"),
            ("100m", "100m"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("12e3", "12e3"),
            ("1e3", "1e3"),
            ("0", "0"),
            ("0Gi", "0"),
            ("-1000", "-1k"),
            ("0.1Ki", "102400m"),
            ("100n", "100n"),
            ("1n", "1n"),
            ("0.0000000001", "1n"),
            ("500Mi", "500Mi"),
            ("8Gi", "8Gi"),
            ("10G", "10G"),
            ("1000000", "1M"),
        ];
        for (input, want) in cases {
            assert_eq!(q(input), want, "quantity {input}");
        }
        assert_eq!(quantity_string(&serde_json::json!(2)), "2");
        assert_eq!(quantity_string(&serde_json::json!(0.25)), "250m");
        // Out-of-range inputs come back as written instead of panicking.
        for odd in ["1e-2147483648", "10e2147483647", "999999999999999999999999999999999999999999Ei", "1.2.3", "", "Gi"]
        {
            let _ = q(odd);
        }
        assert_eq!(q("1.2.3"), "1.2.3");
        assert_eq!(quantity_ptr(None), "<nil>");
        assert_eq!(quantity_or_zero(None), "0");
    }
}
