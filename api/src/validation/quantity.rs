//! Resource quantities ("500m", "1Gi", "1e3"): parsing, comparison and the
//! canonical text kube-apiserver prints for them in error messages.

use std::cmp::Ordering;

use serde_json::Value;

/// How a quantity was written, which decides how it is printed back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// "Ki", "Mi", ...
    BinarySi,
    /// "m", "", "k", "M", ...
    DecimalSi,
    /// "e3", "E-2", ...
    DecimalExponent,
}

/// An exact quantity: `mantissa * 10^exponent`, rounded up to nano units like upstream.
#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    mantissa: i128,
    exponent: i32,
    format: Format,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Quantity {
    /// Parses the text form (Quantity.UnmarshalJSON also accepts bare numbers).
    pub fn parse(s: &str) -> Option<Quantity> {
        let s = s.trim();
        let bytes = s.as_bytes();
        let mut pos = 0;
        let mut negative = false;
        if let Some(&c) = bytes.first()
            && (c == b'+' || c == b'-')
        {
            negative = c == b'-';
            pos = 1;
        }
        let num_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        let num = &s[num_start..pos];
        let mut denom = "";
        if pos < bytes.len() && bytes[pos] == b'.' {
            pos += 1;
            let d_start = pos;
            while pos < bytes.len() && bytes[pos].is_ascii_digit() {
                pos += 1;
            }
            denom = &s[d_start..pos];
        }
        if num.is_empty() && denom.is_empty() {
            return None;
        }
        let suffix = &s[pos..];
        let (format, base10_exp, binary_exp): (Format, i32, u32) = match suffix {
            "" => (Format::DecimalSi, 0, 0),
            "n" => (Format::DecimalSi, -9, 0),
            "u" => (Format::DecimalSi, -6, 0),
            "m" => (Format::DecimalSi, -3, 0),
            "k" => (Format::DecimalSi, 3, 0),
            "M" => (Format::DecimalSi, 6, 0),
            "G" => (Format::DecimalSi, 9, 0),
            "T" => (Format::DecimalSi, 12, 0),
            "P" => (Format::DecimalSi, 15, 0),
            "E" => (Format::DecimalSi, 18, 0),
            "Ki" => (Format::BinarySi, 0, 10),
            "Mi" => (Format::BinarySi, 0, 20),
            "Gi" => (Format::BinarySi, 0, 30),
            "Ti" => (Format::BinarySi, 0, 40),
            "Pi" => (Format::BinarySi, 0, 50),
            "Ei" => (Format::BinarySi, 0, 60),
            _ => {
                let rest = suffix.strip_prefix('e').or_else(|| suffix.strip_prefix('E'))?;
                let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
                if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let e: i32 = rest.parse().ok()?;
                (Format::DecimalExponent, e, 0)
            }
        };
        let digits = format!("{num}{denom}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 36 {
            return None;
        }
        let mut mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
        mantissa = mantissa.checked_mul(1i128.checked_shl(binary_exp)?)?;
        let mut exponent = base10_exp - denom.len() as i32;
        // Upstream keeps at most nano precision, rounding away from zero.
        if exponent < -9 {
            let div = pow10((-9 - exponent) as u32)?;
            let q = mantissa / div;
            mantissa = if mantissa % div != 0 { q + 1 } else { q };
            exponent = -9;
        }
        if negative {
            mantissa = -mantissa;
        }
        Some(Quantity { mantissa, exponent, format }.normalized())
    }

    /// Parses a JSON quantity (string or number).
    pub fn from_json(v: &Value) -> Option<Quantity> {
        match v {
            Value::String(s) => Quantity::parse(s),
            Value::Number(n) => Quantity::parse(&n.to_string()),
            _ => None,
        }
    }

    fn normalized(mut self) -> Quantity {
        if self.mantissa == 0 {
            self.exponent = 0;
            return self;
        }
        while self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.exponent += 1;
        }
        self
    }

    /// Whether the quantity is zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// The sign: -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        self.mantissa.signum() as i32
    }

    /// Compares two quantities by value.
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        let (a, b) = (self.mantissa, other.mantissa);
        if a.signum() != b.signum() {
            return a.signum().cmp(&b.signum());
        }
        if a == 0 {
            return Ordering::Equal;
        }
        let e = self.exponent.min(other.exponent);
        match (scale_up(a, self.exponent - e), scale_up(b, other.exponent - e)) {
            (Some(x), Some(y)) => x.cmp(&y),
            // One side overflowed: it is the one of larger magnitude.
            (None, Some(_)) => {
                if a > 0 {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Some(_), None) => {
                if b > 0 {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (None, None) => Ordering::Equal,
        }
    }

    /// The value rounded up to an integer (Quantity.Value).
    pub fn value(&self) -> i128 {
        self.ceil_at(0)
    }

    /// The value in thousandths, rounded up (Quantity.MilliValue).
    pub fn milli_value(&self) -> i128 {
        self.ceil_at(-3)
    }

    fn ceil_at(&self, exp: i32) -> i128 {
        if self.exponent >= exp {
            return scale_up(self.mantissa, self.exponent - exp).unwrap_or(i128::MAX);
        }
        let Some(div) = pow10((exp - self.exponent) as u32) else {
            return if self.mantissa > 0 { 1 } else { 0 };
        };
        let q = self.mantissa / div;
        if self.mantissa % div != 0 && self.mantissa > 0 { q + 1 } else { q }
    }

    /// The canonical text, as upstream's Quantity.String().
    pub fn canonical(&self) -> String {
        if self.mantissa == 0 {
            return "0".to_string();
        }
        let mut format = self.format;
        if format == Format::BinarySi {
            let small = self.cmp_value(&Quantity { mantissa: 1024, exponent: 0, format }) == Ordering::Less
                && self.cmp_value(&Quantity { mantissa: -1024, exponent: 0, format }) == Ordering::Greater;
            if small || self.exponent < 0 {
                format = Format::DecimalSi;
            }
        }
        if format == Format::BinarySi {
            let Some(mut v) = scale_up(self.mantissa, self.exponent) else {
                return self.decimal_canonical(Format::DecimalSi);
            };
            let mut e = 0;
            while e < 6 && v % 1024 == 0 {
                v /= 1024;
                e += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][e];
            return format!("{v}{suffix}");
        }
        self.decimal_canonical(format)
    }

    fn decimal_canonical(&self, format: Format) -> String {
        let mut m = self.mantissa;
        let mut e = self.exponent;
        match e.rem_euclid(3) {
            1 => {
                m *= 10;
                e -= 1;
            }
            2 => {
                m *= 100;
                e -= 2;
            }
            _ => {}
        }
        if e == 0 {
            return m.to_string();
        }
        if format == Format::DecimalSi {
            let suffix = match e {
                -9 => Some("n"),
                -6 => Some("u"),
                -3 => Some("m"),
                3 => Some("k"),
                6 => Some("M"),
                9 => Some("G"),
                12 => Some("T"),
                15 => Some("P"),
                18 => Some("E"),
                _ => None,
            };
            if let Some(s) = suffix {
                return format!("{m}{s}");
            }
        }
        format!("{m}e{e}")
    }
}

fn scale_up(m: i128, by: i32) -> Option<i128> {
    if by < 0 {
        return None;
    }
    m.checked_mul(pow10(by as u32)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).map(|q| q.canonical()).unwrap_or_default()
    }

    #[test]
    fn canonical_forms_match_upstream() {
        assert_eq!(canon("500m"), "500m");
        assert_eq!(canon("0.5"), "500m");
        assert_eq!(canon("2000m"), "2");
        assert_eq!(canon("1000"), "1k");
        assert_eq!(canon("1Gi"), "1Gi");
        assert_eq!(canon("0.5Gi"), "512Mi");
        assert_eq!(canon("1.5Ki"), "1536");
        assert_eq!(canon("100"), "100");
        assert_eq!(canon("1e3"), "1e3");
        assert_eq!(canon("0"), "0");
        assert_eq!(canon("-1"), "-1");
        assert_eq!(canon("128974848"), "128974848");
        assert_eq!(canon("129e6"), "129e6");
        assert_eq!(canon("123Mi"), "123Mi");
        assert_eq!(canon("0.1m"), "100u");
    }

    #[test]
    fn comparisons_and_values() {
        let q = |s: &str| Quantity::parse(s).expect("valid quantity");
        assert_eq!(q("1Gi").cmp_value(&q("1024Mi")), Ordering::Equal);
        assert_eq!(q("1").cmp_value(&q("999m")), Ordering::Greater);
        assert_eq!(q("100m").milli_value(), 100);
        assert_eq!(q("100m").value(), 1);
        assert_eq!(q("1.5").milli_value(), 1500);
        assert!(Quantity::parse("abc").is_none());
        assert!(Quantity::parse("1K").is_none());
    }
}
