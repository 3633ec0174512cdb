//! resource.Quantity as kube-apiserver parses, rounds, adds and prints it.
//!
//! A quantity read from a request is printed back in its canonical form
//! ("1000m" becomes "1", "0.5" becomes "500m", "1024Mi" becomes "1Gi"),
//! except that text kube-apiserver already considers canonical is kept
//! verbatim. Values are exact: a mantissa and a power of ten.

use std::cmp::Ordering;

use serde_json::Value;

/// How a quantity prints: the family of its input suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    /// "1e3", "12E-3".
    DecimalExponent,
    /// "1Ki", "5Gi".
    BinarySI,
    /// "100m", "1", "2G".
    DecimalSI,
}

/// A parsed resource.Quantity.
#[derive(Clone, Debug)]
pub(super) struct Quantity {
    /// The value is `mantissa` × 10^`exponent`.
    mantissa: i128,
    exponent: i32,
    format: Format,
    /// The input text, which kube-apiserver prints unchanged.
    text: Option<String>,
    /// Whether kube-apiserver holds the value as an int64 amount; only that
    /// form keeps its text when rounded.
    int64: bool,
}

/// The smallest scale a quantity keeps: nano.
const NANO: i32 = -9;
/// Decimal digits an int64 amount holds for sure.
const MAX_INT64_FACTORS: i32 = 18;

/// The parts of a quantity string, as kube-apiserver splits it.
struct Parts<'a> {
    positive: bool,
    num: &'a [u8],
    denom: &'a [u8],
    suffix: &'a [u8],
}

fn split(s: &[u8]) -> Option<Parts<'_>> {
    let end = s.len();
    let mut pos = 0;
    let mut positive = true;
    if let Some(&first) = s.first() {
        match first {
            b'-' => {
                positive = false;
                pos += 1;
            }
            b'+' => pos += 1,
            _ => {}
        }
    }
    // Leading zeros go; a string of only zeros is zero.
    while pos < end && s[pos] == b'0' {
        pos += 1;
    }
    let zero: &[u8] = b"0";
    if pos >= end {
        return Some(Parts { positive, num: zero, denom: &[], suffix: &[] });
    }
    let start = pos;
    while pos < end && s[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[start..pos];
    if pos >= end {
        return Some(Parts { positive, num, denom: &[], suffix: &[] });
    }
    if num.is_empty() {
        num = zero;
    }
    let mut denom: &[u8] = &[];
    if s[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < end && s[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[start..pos];
        if pos >= end {
            return Some(Parts { positive, num, denom, suffix: &[] });
        }
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&s[pos]) {
        pos += 1;
    }
    if pos < end && (s[pos] == b'-' || s[pos] == b'+') {
        pos += 1;
    }
    while pos < end && s[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return None;
    }
    Some(Parts { positive, num, denom, suffix: &s[suffix_start..] })
}

/// The base, exponent and format a suffix stands for.
fn interpret(suffix: &[u8]) -> Option<(u32, i32, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSI));
    let binary = |e| Some((2, e, Format::BinarySI));
    match suffix {
        b"" => decimal(0),
        b"n" => decimal(-9),
        b"u" => decimal(-6),
        b"m" => decimal(-3),
        b"k" => decimal(3),
        b"M" => decimal(6),
        b"G" => decimal(9),
        b"T" => decimal(12),
        b"P" => decimal(15),
        b"E" => decimal(18),
        b"Ki" => binary(10),
        b"Mi" => binary(20),
        b"Gi" => binary(30),
        b"Ti" => binary(40),
        b"Pi" => binary(50),
        b"Ei" => binary(60),
        [b'e' | b'E', rest @ ..] if !rest.is_empty() => {
            let exponent: i64 = std::str::from_utf8(rest).ok()?.parse().ok()?;
            // Go narrows the exponent to int32 the same way.
            Some((10, exponent as i32, Format::DecimalExponent))
        }
        _ => None,
    }
}

fn digits_value(digits: &[u8]) -> Option<i128> {
    digits.iter().try_fold(0i128, |acc, d| acc.checked_mul(10)?.checked_add(i128::from(d - b'0')))
}

fn pow10(exponent: u32) -> Option<i128> {
    10i128.checked_pow(exponent)
}

/// `value` divided by 10^`places`, rounded away from zero.
fn shift_down_rounding_up(value: i128, places: u32) -> i128 {
    match pow10(places) {
        Some(divisor) => {
            let quotient = value / divisor;
            if value % divisor != 0 { quotient + value.signum() } else { quotient }
        }
        // The divisor exceeds any mantissa: a non-zero value rounds to ±1.
        None => value.signum(),
    }
}

impl Quantity {
    /// Parses a quantity the way kube-apiserver decodes one; `None` when it
    /// would reject the text (or its value is beyond what is modelled here).
    pub(super) fn parse(input: &str) -> Option<Quantity> {
        let s = input.trim();
        if s.is_empty() {
            return None;
        }
        if s == "0" {
            return Some(Quantity {
                mantissa: 0,
                exponent: 0,
                format: Format::DecimalSI,
                text: Some(s.to_owned()),
                int64: true,
            });
        }
        let parts = split(s.as_bytes())?;
        let (base, exponent, format) = interpret(parts.suffix)?;
        let digits = parts.num.len() as i32 + parts.denom.len() as i32;

        // The int64 fast path.
        let (mut scale, precision, multiplier) = match format {
            Format::DecimalExponent | Format::DecimalSI => (exponent, MAX_INT64_FACTORS - digits, 1i64),
            Format::BinarySI if exponent >= 0 && parts.denom.is_empty() => {
                let precision = 15 - parts.num.len() as i32 - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
                (0, precision, 1i64.checked_shl(exponent as u32).unwrap_or(0))
            }
            Format::BinarySI => (0, -1, 1),
        };
        if precision >= 0 {
            scale -= parts.denom.len() as i32;
            if scale >= NANO {
                let shifted: Vec<u8> = parts.num.iter().chain(parts.denom).copied().collect();
                let value = i64::try_from(digits_value(&shifted)?).ok()?;
                if let Some(result) = value.checked_mul(multiplier) {
                    let result = if parts.positive { result } else { -result };
                    let canonical = match format {
                        Format::BinarySI => exponent % 10 == 0 && value & 0x07 != 0,
                        _ => scale % 3 == 0 && !shifted.ends_with(b"000") && shifted.first() != Some(&b'0'),
                    };
                    return Some(Quantity {
                        mantissa: i128::from(result),
                        exponent: scale,
                        format,
                        text: canonical.then(|| s.to_owned()),
                        int64: true,
                    });
                }
            }
        }

        // The arbitrary-precision path.
        let shifted: Vec<u8> = parts.num.iter().chain(parts.denom).copied().collect();
        let mut mantissa = digits_value(&shifted)?;
        let mut exp = -(parts.denom.len() as i32);
        if base == 10 {
            exp = exp.checked_add(exponent)?;
        } else {
            mantissa = mantissa.checked_mul(1i128.checked_shl(exponent as u32)?)?;
        }
        // Non-zero values round up to the smallest representable amount.
        if mantissa != 0 && exp < NANO {
            mantissa = shift_down_rounding_up(mantissa, (NANO - exp) as u32);
            exp = NANO;
        }
        let mut quantity = Quantity { mantissa, exponent: exp, format, text: None, int64: false };
        if format == Format::BinarySI {
            if quantity.cmp_int(i128::from(i64::MAX)) == Ordering::Greater {
                quantity.mantissa = i128::from(i64::MAX);
                quantity.exponent = 0;
            }
            if quantity.mantissa != 0 && quantity.cmp_int(1) == Ordering::Less {
                quantity.format = Format::DecimalSI;
            }
        }
        if !parts.positive {
            quantity.mantissa = -quantity.mantissa;
        }
        Some(quantity)
    }

    /// Parses a JSON value holding a quantity (a string or a bare number).
    pub(super) fn from_json(value: &Value) -> Option<Quantity> {
        match value {
            Value::String(s) => Quantity::parse(s),
            Value::Number(n) => Quantity::parse(&n.to_string()),
            _ => None,
        }
    }

    /// Compares the value with an integer.
    fn cmp_int(&self, n: i128) -> Ordering {
        self.cmp(&Quantity { mantissa: n, exponent: 0, format: Format::DecimalSI, text: None, int64: true })
    }

    /// Compares two values.
    pub(super) fn cmp(&self, other: &Quantity) -> Ordering {
        match align(self, other) {
            Some((a, b, _)) => a.cmp(&b),
            // One side overflowed when scaled up, so its magnitude dominates.
            None => {
                if self.exponent > other.exponent {
                    self.mantissa.signum().cmp(&0)
                } else {
                    0.cmp(&other.mantissa.signum())
                }
            }
        }
    }

    /// Adds `other`, like Quantity.Add; `false` (and no change) on overflow.
    pub(super) fn add(&mut self, other: &Quantity) -> bool {
        let Some((a, b, exponent)) = align(self, other) else { return false };
        let Some(sum) = a.checked_add(b) else { return false };
        if self.mantissa == 0 {
            self.format = other.format;
        }
        self.mantissa = sum;
        self.exponent = exponent;
        self.text = None;
        self.int64 = self.int64 && other.int64;
        true
    }

    /// Rounds up to the given power of ten, like Quantity.RoundUp.
    pub(super) fn round_up(&mut self, scale: i32) {
        if self.int64 && self.exponent >= scale {
            return;
        }
        self.text = None;
        if self.exponent < scale {
            self.mantissa = shift_down_rounding_up(self.mantissa, (scale - self.exponent) as u32);
            self.exponent = scale;
        }
    }

    /// Whether the value has no fractional part.
    fn is_integer(&self) -> bool {
        if self.exponent >= 0 {
            return true;
        }
        match pow10((-self.exponent) as u32) {
            Some(divisor) => self.mantissa % divisor == 0,
            None => self.mantissa == 0,
        }
    }

    /// The integer value, when it fits.
    fn integer(&self) -> Option<i128> {
        if self.exponent >= 0 {
            self.mantissa.checked_mul(pow10(self.exponent as u32)?)
        } else {
            Some(self.mantissa / pow10((-self.exponent) as u32)?)
        }
    }

    /// The text kube-apiserver prints for this quantity.
    pub(super) fn canonical(&self) -> Option<String> {
        if let Some(text) = &self.text {
            return Some(text.clone());
        }
        if self.mantissa == 0 {
            return Some("0".to_owned());
        }
        let mut format = self.format;
        if format == Format::BinarySI
            && ((self.cmp_int(-1024) == Ordering::Greater && self.cmp_int(1024) == Ordering::Less)
                || !self.is_integer())
        {
            format = Format::DecimalSI;
        }
        if format == Format::BinarySI {
            let mut value = self.integer()?;
            let mut power = 0;
            while value.abs() >= 1024 && value % 1024 == 0 {
                value /= 1024;
                power += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].get(power).copied().unwrap_or("");
            return Some(format!("{value}{suffix}"));
        }
        let (mut mantissa, mut exponent) = (self.mantissa, self.exponent);
        while mantissa.abs() >= 10 && mantissa % 10 == 0 {
            mantissa /= 10;
            exponent += 1;
        }
        while exponent % 3 != 0 {
            mantissa = mantissa.checked_mul(10)?;
            exponent -= 1;
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
                // kube-apiserver prints no suffix for exponents it has no name for.
                _ => "",
            }
            .to_owned(),
        };
        Some(format!("{mantissa}{suffix}"))
    }
}

/// Both mantissas scaled to the smaller exponent, and that exponent.
fn align(a: &Quantity, b: &Quantity) -> Option<(i128, i128, i32)> {
    let exponent = a.exponent.min(b.exponent);
    let scale = |q: &Quantity| -> Option<i128> {
        let places = u32::try_from(q.exponent - exponent).ok()?;
        if q.mantissa == 0 { Some(0) } else { q.mantissa.checked_mul(pow10(places)?) }
    };
    Some((scale(a)?, scale(b)?, exponent))
}

/// Rewrites a JSON quantity in the form kube-apiserver prints, first rounding
/// it up to milli units when `round_to_milli` (as kube-apiserver does to
/// resource lists). Text that does not parse is left alone.
pub(super) fn canonicalize(value: &mut Value, round_to_milli: bool) {
    let Some(mut quantity) = Quantity::from_json(value) else { return };
    if round_to_milli {
        quantity.round_up(-3);
    }
    if let Some(text) = quantity.canonical() {
        *value = Value::String(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).and_then(|q| q.canonical()).unwrap_or_else(|| format!("invalid {s}"))
    }

    fn milli(s: &str) -> String {
        let mut v = Value::String(s.to_owned());
        canonicalize(&mut v, true);
        v.as_str().unwrap_or_default().to_owned()
    }

    #[test]
    fn prints_like_kube_apiserver() {
        let cases = [
            ("0", "0"),
            ("00", "0"),
            ("0.0", "0"),
            ("1", "1"),
            ("1000", "1k"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("0.5", "500m"),
            ("0.1", "100m"),
            (".5", "500m"),
            ("100m", "100m"),
            ("1.5", "1500m"),
            ("1.500", "1.500"),
            ("2000M", "2G"),
            ("1500M", "1500M"),
            ("128974848", "128974848"),
            ("129e6", "129e6"),
            ("1e3", "1e3"),
            ("1e1", "10"),
            ("1.5e3", "1500"),
            ("1Gi", "1Gi"),
            ("8Gi", "8Gi"),
            ("1024Mi", "1Gi"),
            ("1000Mi", "1000Mi"),
            ("128Mi", "128Mi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("0.5Ki", "512"),
            ("1536", "1536"),
            ("+1", "+1"),
            ("-1", "-1"),
            ("-1000m", "-1"),
            ("0.0000000001", "1n"),
            ("1Ki", "1Ki"),
            ("2048Ki", "2Mi"),
            ("10E", "10E"),
        ];
        for (input, want) in cases {
            assert_eq!(canon(input), want, "quantity {input}");
        }
    }

    #[test]
    fn rejects_what_kube_apiserver_rejects() {
        for input in ["", "abc", "1Z", "1.2.3", "e", "1K", "--1", "1 Gi"] {
            assert!(Quantity::parse(input).is_none(), "quantity {input:?} should not parse");
        }
    }

    #[test]
    fn resource_lists_round_up_to_milli() {
        assert_eq!(milli("0.0001"), "1m");
        assert_eq!(milli("100u"), "1m");
        assert_eq!(milli("1.0001"), "1001m");
        assert_eq!(milli("100m"), "100m");
        assert_eq!(milli("1.500"), "1.500");
        assert_eq!(milli("64Mi"), "64Mi");
        assert_eq!(milli("1n"), "1m");
    }

    #[test]
    fn numbers_are_quantities_too() {
        let mut v = serde_json::json!(0.5);
        canonicalize(&mut v, false);
        assert_eq!(v, serde_json::json!("500m"));
        let mut v = serde_json::json!(2);
        canonicalize(&mut v, false);
        assert_eq!(v, serde_json::json!("2"));
    }

    #[test]
    fn adds_and_compares() {
        let mut a = Quantity::parse("500m").unwrap_or_else(|| unreachable!());
        let b = Quantity::parse("1").unwrap_or_else(|| unreachable!());
        assert!(a.add(&b));
        assert_eq!(a.canonical().as_deref(), Some("1500m"));
        assert_eq!(a.cmp(&b), Ordering::Greater);
        let mut m = Quantity::parse("64Mi").unwrap_or_else(|| unreachable!());
        assert!(m.add(&Quantity::parse("64Mi").unwrap_or_else(|| unreachable!())));
        assert_eq!(m.canonical().as_deref(), Some("128Mi"));
    }
}
