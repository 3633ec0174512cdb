//! Kubernetes resource quantities (`resource.Quantity`): parsing every form
//! kube-apiserver accepts, the canonical string it re-emits, comparison,
//! addition, subtraction and the rounded integer views.
//!
//! Like kube-apiserver, a quantity is either a small fixed-point amount
//! (`i64` × 10^scale, the fast path) or an arbitrary-precision decimal, and
//! which one it is shows through `value()` and `milli_value()`, so both are
//! kept. A parsed string that is already canonical (for example `"+1"`,
//! `"1E3"` or `"010"`) is remembered and re-emitted verbatim, as
//! kube-apiserver does. The overflow behaviour of the fast path (wrapping
//! 32-bit scales, 64-bit wraparound in `value()`) is reproduced on purpose.
//! Where kube-apiserver panics (comparing fast-path quantities whose scales
//! differ by 2^31 or more) or never finishes (aligning exponents near 2^31),
//! this module gives the exact result its arithmetic defines instead, up to
//! [`MAX_DIGITS`].

use std::cmp::Ordering;
use std::fmt;

/// How a quantity is written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `12e6`.
    DecimalExponent,
    /// `12Mi` (12 × 2^20).
    BinarySi,
    /// `12M` (12 × 10^6).
    DecimalSi,
}

impl Format {
    /// The name kube-apiserver uses (`DecimalExponent`, `BinarySI`, `DecimalSI`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::DecimalExponent => "DecimalExponent",
            Format::BinarySi => "BinarySI",
            Format::DecimalSi => "DecimalSI",
        }
    }
}

/// Why a string is not a quantity; `Display` gives kube-apiserver's texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuantityError {
    /// The text does not have the shape of a quantity (ErrFormatWrong).
    FormatWrong,
    /// The number could not be read (ErrNumeric). Also returned when the
    /// exact value would need more than [`MAX_DIGITS`] digits, where
    /// kube-apiserver would spend unbounded time and memory instead.
    Numeric,
    /// The suffix is not one of the known ones (ErrSuffix).
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::FormatWrong => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Numeric => "unable to parse numeric part of quantity",
            QuantityError::Suffix => "unable to parse quantity's suffix",
        })
    }
}

impl std::error::Error for QuantityError {}

/// The most decimal digits an arbitrary-precision amount may hold. Past it
/// kube-apiserver would build numbers of unbounded size (for example
/// `12345678901234567890e999999999`); here parsing fails with
/// [`QuantityError::Numeric`] and arithmetic keeps the dominant operand.
pub const MAX_DIGITS: usize = 2_000_000;

/// A Kubernetes resource quantity.
#[derive(Clone, Debug)]
pub struct Quantity {
    amount: Amount,
    format: Format,
    /// The parsed text, kept when it was already canonical.
    text: Option<String>,
}

#[derive(Clone, Debug)]
enum Amount {
    /// value × 10^scale.
    Int(IntAmount),
    /// unscaled × 10^-scale.
    Dec(DecAmount),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IntAmount {
    value: i64,
    scale: i32,
}

#[derive(Clone, Debug)]
struct DecAmount {
    unscaled: BigInt,
    /// Digits after the decimal point (negative: trailing zeros).
    scale: i32,
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity { amount: Amount::Int(IntAmount { value: 0, scale: 0 }), format: Format::DecimalSi, text: None }
    }
}

impl Quantity {
    /// Parses a quantity string the way kube-apiserver does.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        if s == "0" {
            return Ok(Quantity {
                amount: Amount::Int(IntAmount { value: 0, scale: 0 }),
                format: Format::DecimalSi,
                text: Some(s.to_owned()),
            });
        }
        let bytes = s.as_bytes();
        let scanned = scan(bytes)?;
        let (base, exponent, mut format) = interpret_suffix(scanned.suffix).ok_or(QuantityError::Suffix)?;

        let precision: i64;
        let mut scale: i32 = 0;
        let mut mantissa: i64 = 1;
        match format {
            Format::DecimalExponent | Format::DecimalSi => {
                scale = exponent;
                precision = 18 - (scanned.num.len() + scanned.denom.len()) as i64;
            }
            Format::BinarySi => {
                if exponent >= 0 && scanned.denom.is_empty() {
                    mantissa = 1i64 << exponent;
                    precision = 15 - scanned.num.len() as i64 - i64::from(exponent) * 3 / 10 - 1;
                } else {
                    precision = -1;
                }
            }
        }

        if precision >= 0 {
            // Fast path: at most 18 digits and no more than nine decimals.
            scale = scale.wrapping_sub(scanned.denom.len() as i32);
            if scale >= -9 {
                let mut shifted = Vec::with_capacity(scanned.num.len() + scanned.denom.len());
                shifted.extend_from_slice(scanned.num);
                shifted.extend_from_slice(scanned.denom);
                let value = parse_small_digits(&shifted).ok_or(QuantityError::Numeric)?;
                if let Some(mut result) = int64_multiply(value, mantissa) {
                    if !scanned.positive {
                        result = -result;
                    }
                    let canonical = match format {
                        Format::BinarySi => exponent % 10 == 0 && value & 0x07 != 0,
                        _ => scale % 3 == 0 && !shifted.ends_with(b"000") && shifted[0] != b'0',
                    };
                    return Ok(Quantity {
                        amount: Amount::Int(IntAmount { value: result, scale }),
                        format,
                        text: canonical.then(|| s.to_owned()),
                    });
                }
            }
        }

        let mut amount = DecAmount::parse(scanned.value).ok_or(QuantityError::Numeric)?;
        if base == 10 {
            amount.scale = amount.scale.wrapping_add(exponent.wrapping_neg());
        } else {
            // Binary suffixes go up to 2^60.
            let mut left = exponent.max(0) as u32;
            while left > 0 {
                let step = left.min(30);
                amount.unscaled.mul_small(1u32 << step);
                left -= step;
            }
        }
        let negative = amount.unscaled.negative;
        amount.unscaled.negative = false;
        // Like kube-apiserver, round any non-zero amount up to whole nanos so
        // that asking for a tiny amount still gets some.
        if !amount.unscaled.is_zero() {
            amount = amount.round_up(9).ok_or(QuantityError::Numeric)?;
        }
        if format == Format::BinarySi && amount.cmp_exact(&DecAmount::from_i64(i64::MAX, 0)) == Ordering::Greater {
            amount = DecAmount::from_i64(i64::MAX, 0);
        }
        if format == Format::BinarySi
            && amount.cmp_exact(&DecAmount::from_i64(1, 0)) == Ordering::Less
            && !amount.unscaled.is_zero()
        {
            format = Format::DecimalSi;
        }
        if negative {
            amount.unscaled.negate();
        }
        Ok(Quantity { amount: Amount::Dec(amount), format, text: None })
    }

    /// The quantity `value` in the given format (NewQuantity).
    pub fn from_int(value: i64, format: Format) -> Quantity {
        Quantity { amount: Amount::Int(IntAmount { value, scale: 0 }), format, text: None }
    }

    /// The quantity `value` / 1000 in the given format (NewMilliQuantity).
    pub fn from_milli(value: i64, format: Format) -> Quantity {
        Quantity { amount: Amount::Int(IntAmount { value, scale: -3 }), format, text: None }
    }

    /// The quantity `value` × 10^`scale` in DecimalSI (NewScaledQuantity).
    pub fn from_scaled(value: i64, scale: i32) -> Quantity {
        Quantity { amount: Amount::Int(IntAmount { value, scale }), format: Format::DecimalSi, text: None }
    }

    /// The quantity from a JSON value as kube-apiserver decodes it: a string
    /// or a number is parsed, `null` is zero, anything else is malformed.
    ///
    /// A string that needed escapes in JSON (control characters, `"` or `\`)
    /// is refused, because kube-apiserver parses the raw, still escaped text.
    /// A number is read from serde_json's rendering of it, which is the raw
    /// text only for plain integers (or with serde_json's
    /// `arbitrary_precision`): `1e3` may come back as `1000.0`.
    pub fn from_json(value: &serde_json::Value) -> Result<Quantity, QuantityError> {
        match value {
            serde_json::Value::Null => Ok(Quantity::default()),
            serde_json::Value::String(s) => {
                if s.chars().any(|c| c < ' ' || c == '"' || c == '\\') {
                    return Err(QuantityError::FormatWrong);
                }
                Quantity::parse(s.trim())
            }
            serde_json::Value::Number(n) => Quantity::parse(n.to_string().trim()),
            _ => Err(QuantityError::FormatWrong),
        }
    }

    /// The format the quantity is written in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The canonical form kube-apiserver serializes.
    pub fn canonical(&self) -> String {
        if let Some(text) = &self.text {
            return text.clone();
        }
        if self.is_zero() {
            return "0".to_owned();
        }
        let mut format = self.format;
        let mut rounded = None;
        if format == Format::BinarySi {
            if self.amount.cmp_exact(&Amount::int(-1024, 0)) == Ordering::Greater
                && self.amount.cmp_exact(&Amount::int(1024, 0)) == Ordering::Less
            {
                // Small binary amounts read better in decimal.
                format = Format::DecimalSi;
            } else {
                let (whole, exact) = self.amount.as_scale0();
                if exact {
                    rounded = Some(whole);
                } else {
                    // A fraction cannot be shown with a binary suffix.
                    format = Format::DecimalSi;
                }
            }
        }
        // A binary rendering that would pass MAX_DIGITS (where kube-apiserver
        // never finishes) falls back to the exact decimal exponent form.
        match (format, rounded.and_then(|whole| whole.canonical_base1024())) {
            (Format::BinarySi, Some((number, exponent))) => {
                let suffix = match exponent.wrapping_mul(10) {
                    10 => "Ki",
                    20 => "Mi",
                    30 => "Gi",
                    40 => "Ti",
                    50 => "Pi",
                    60 => "Ei",
                    _ => "",
                };
                number + suffix
            }
            (Format::BinarySi, None) => {
                let (number, exponent) = self.amount.canonical_base10();
                number + &decimal_suffix(exponent, Format::DecimalExponent)
            }
            _ => {
                let (number, exponent) = self.amount.canonical_base10();
                number + &decimal_suffix(exponent, format)
            }
        }
    }

    /// `self + other`; a zero `self` takes `other`'s format.
    pub fn add(&self, other: &Quantity) -> Quantity {
        self.checked_add(other).unwrap_or_else(|| self.dominant(other, false))
    }

    /// `self - other`; a zero `self` takes `other`'s format.
    pub fn sub(&self, other: &Quantity) -> Quantity {
        self.checked_sub(other).unwrap_or_else(|| self.dominant(other, true))
    }

    /// `self + other`, or `None` when the exact sum needs more than
    /// [`MAX_DIGITS`] digits.
    pub fn checked_add(&self, other: &Quantity) -> Option<Quantity> {
        self.combine(other, false)
    }

    /// `self - other`, or `None` when the exact difference needs more than
    /// [`MAX_DIGITS`] digits.
    pub fn checked_sub(&self, other: &Quantity) -> Option<Quantity> {
        self.combine(other, true)
    }

    /// `-self`, in the same format.
    pub fn neg(&self) -> Quantity {
        let amount = match &self.amount {
            Amount::Int(i) => Amount::Int(IntAmount { value: i.value.wrapping_neg(), scale: i.scale }),
            Amount::Dec(d) => {
                let mut d = d.clone();
                d.unscaled.negate();
                Amount::Dec(d)
            }
        };
        Quantity { amount, format: self.format, text: None }
    }

    /// Rounds the value away from zero to a multiple of 10^`scale` in place
    /// (`RoundUp`); `false` when that lost precision. A fast-path amount
    /// already that coarse keeps its remembered text, as kube-apiserver does.
    pub fn round_up(&mut self, scale: i32) -> bool {
        match &self.amount {
            Amount::Int(i) => {
                if i.scale >= scale {
                    return true;
                }
                let (value, exact) = negative_scale_i64(i.value, scale.wrapping_sub(i.scale));
                self.amount = Amount::Int(IntAmount { value, scale });
                self.text = None;
                exact
            }
            Amount::Dec(d) => {
                self.text = None;
                match d.round_up(scale.wrapping_neg()) {
                    Some(rounded) => {
                        let exact = rounded.cmp_exact(d) == Ordering::Equal;
                        self.amount = Amount::Dec(rounded);
                        exact
                    }
                    // Only a finer scale can need more than MAX_DIGITS; the
                    // value is then kept as it is, which is exact.
                    None => true,
                }
            }
        }
    }

    /// The value rounded away from zero to an integer (`Value()`), with
    /// kube-apiserver's overflow behaviour.
    pub fn value(&self) -> i64 {
        self.scaled_value(0)
    }

    /// The value in thousandths, rounded up (`MilliValue()`), with
    /// kube-apiserver's overflow behaviour.
    pub fn milli_value(&self) -> i64 {
        self.scaled_value(-3)
    }

    /// The value in units of 10^`scale`, rounded up (`ScaledValue`).
    pub fn scaled_value(&self, scale: i32) -> i64 {
        match &self.amount {
            Amount::Int(i) => i.as_scaled_i64(scale).0,
            Amount::Dec(d) => scaled_value(&d.unscaled, i64::from(d.scale), i64::from(scale.wrapping_neg())),
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.sign() == 0
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.sign() < 0
    }

    /// -1, 0 or 1 as the value is negative, zero or positive.
    pub fn sign(&self) -> i32 {
        self.amount.sign()
    }

    fn combine(&self, other: &Quantity, subtract: bool) -> Option<Quantity> {
        let mut result = Quantity { amount: self.amount.clone(), format: self.format, text: None };
        if self.is_zero() {
            result.format = other.format;
        }
        if let (Amount::Int(a), Amount::Int(b)) = (&self.amount, &other.amount) {
            let b = if subtract { IntAmount { value: b.value.wrapping_neg(), scale: b.scale } } else { *b };
            if let Some(sum) = a.add(b) {
                result.amount = Amount::Int(sum);
                return Some(result);
            }
        }
        let x = self.amount.to_dec();
        let mut y = other.amount.to_dec();
        if subtract {
            y.unscaled.negate();
        }
        result.amount = Amount::Dec(x.add(&y)?);
        Some(result)
    }

    /// The stand-in for a sum too large to compute exactly: the operand of
    /// greater magnitude, which the other cannot visibly change.
    fn dominant(&self, other: &Quantity, subtract: bool) -> Quantity {
        let format = if self.is_zero() { other.format } else { self.format };
        let self_larger = self.amount.cmp_magnitude(&other.amount) != Ordering::Less;
        let mut result = if self_larger {
            self.clone()
        } else if subtract {
            other.neg()
        } else {
            other.clone()
        };
        result.format = format;
        result.text = None;
        result
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

/// Equal values are equal whatever their format (`1Ki == 1024`).
impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(Ord::cmp(self, other))
    }
}

/// Compares the exact values; formats do not matter.
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.amount.cmp_exact(&other.amount)
    }
}

/// The canonical string of a JSON quantity value (string or number), or the
/// error kube-apiserver gives; see [`Quantity::from_json`].
pub fn canonicalize_json(value: &serde_json::Value) -> Result<String, QuantityError> {
    Quantity::from_json(value).map(|q| q.canonical())
}

fn decimal_suffix(exponent: i32, format: Format) -> String {
    match format {
        Format::DecimalExponent => {
            if exponent == 0 {
                String::new()
            } else {
                format!("e{exponent}")
            }
        }
        // Like kube-apiserver, a DecimalSI exponent without a suffix (past
        // `E`) is written with no suffix at all.
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
            _ => "",
        }
        .to_owned(),
    }
}

/// The pieces of a quantity string: sign, the numeric text as the decimal
/// parser sees it, the digits before and after the point, and the suffix.
struct Scanned<'a> {
    positive: bool,
    value: &'a [u8],
    num: &'a [u8],
    denom: &'a [u8],
    suffix: &'a [u8],
}

/// The scanner kube-apiserver runs over a quantity string.
fn scan(s: &[u8]) -> Result<Scanned<'_>, QuantityError> {
    const ZERO: &[u8] = b"0";
    let end = s.len();
    let mut out = Scanned { positive: true, value: &[], num: &[], denom: &[], suffix: &[] };
    let mut pos = 0;
    if pos < end {
        match s[0] {
            b'-' => {
                out.positive = false;
                pos += 1;
            }
            b'+' => pos += 1,
            _ => {}
        }
    }
    // Leading zeros.
    loop {
        if pos >= end {
            out.num = ZERO;
            out.value = ZERO;
            return Ok(out);
        }
        if s[pos] != b'0' {
            break;
        }
        pos += 1;
    }
    // Whole part.
    let mut i = pos;
    loop {
        if i >= end {
            out.num = &s[pos..end];
            out.value = s;
            return Ok(out);
        }
        if !s[i].is_ascii_digit() {
            out.num = &s[pos..i];
            pos = i;
            break;
        }
        i += 1;
    }
    if out.num.is_empty() {
        out.num = ZERO;
    }
    // Fraction.
    if pos < end && s[pos] == b'.' {
        pos += 1;
        let mut i = pos;
        loop {
            if i >= end {
                out.denom = &s[pos..end];
                out.value = s;
                return Ok(out);
            }
            if !s[i].is_ascii_digit() {
                out.denom = &s[pos..i];
                pos = i;
                break;
            }
            i += 1;
        }
    }
    out.value = &s[..pos];
    // Suffix: letters, an optional sign, digits.
    let suffix_start = pos;
    let mut i = pos;
    loop {
        if i >= end {
            out.suffix = &s[suffix_start..end];
            return Ok(out);
        }
        if !b"eEinumkKMGTP".contains(&s[i]) {
            pos = i;
            break;
        }
        i += 1;
    }
    if pos < end && (s[pos] == b'-' || s[pos] == b'+') {
        pos += 1;
    }
    let mut i = pos;
    loop {
        if i >= end {
            out.suffix = &s[suffix_start..end];
            return Ok(out);
        }
        if !s[i].is_ascii_digit() {
            break;
        }
        i += 1;
    }
    Err(QuantityError::FormatWrong)
}

/// Base, exponent and format of a suffix.
fn interpret_suffix(suffix: &[u8]) -> Option<(u32, i32, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSi));
    let binary = |e| Some((2, e, Format::BinarySi));
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
            // A 64-bit exponent, truncated to 32 bits as kube-apiserver does.
            parse_go_int64(rest).map(|e| (10, e as i32, Format::DecimalExponent))
        }
        _ => None,
    }
}

/// strconv.ParseInt(s, 10, 64).
fn parse_go_int64(s: &[u8]) -> Option<i64> {
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let mut magnitude: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        magnitude = magnitude.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    if negative {
        if magnitude > 1u64 << 63 { None } else { Some((magnitude as i64).wrapping_neg()) }
    } else {
        i64::try_from(magnitude).ok()
    }
}

fn parse_small_digits(digits: &[u8]) -> Option<i64> {
    let mut value: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
    }
    Some(value)
}

// ---- 64-bit helpers, with kube-apiserver's overflow results ----

fn int64_add(a: i64, b: i64) -> Option<i64> {
    let c = a.wrapping_add(b);
    if (a > 0 && b > 0 && c < 0) || (a < 0 && b < 0 && (c > 0 || (a == i64::MIN && b == i64::MIN))) {
        return None;
    }
    Some(c)
}

fn int64_multiply(a: i64, b: i64) -> Option<i64> {
    if a == 0 || b == 0 || a == 1 || b == 1 {
        return Some(a.wrapping_mul(b));
    }
    if a == i64::MIN || b == i64::MIN {
        return None;
    }
    let c = a.wrapping_mul(b);
    (c.wrapping_div(b) == a).then_some(c)
}

/// a × b for b > 1: the wrapped product and whether it is exact.
fn int64_multiply_scale(a: i64, b: i64) -> (i64, bool) {
    if a == 0 || a == 1 {
        return (a.wrapping_mul(b), true);
    }
    if a == i64::MIN && b != 1 {
        return (0, false);
    }
    let c = a.wrapping_mul(b);
    (c, c.wrapping_div(b) == a)
}

/// base × 10^scale: the result kube-apiserver computes, and whether it fits.
fn positive_scale_i64(base: i64, scale: i32) -> (i64, bool) {
    match scale {
        0 => (base, true),
        1 => int64_multiply_scale(base, 10),
        2 => int64_multiply_scale(base, 100),
        3 => int64_multiply_scale(base, 1000),
        6 => int64_multiply_scale(base, 1_000_000),
        9 => int64_multiply_scale(base, 1_000_000_000),
        _ => {
            let mut value = base;
            for _ in 0..scale.max(0) {
                if value == 0 {
                    break;
                }
                let (next, ok) = int64_multiply_scale(value, 10);
                if !ok {
                    return (0, false);
                }
                value = next;
            }
            (value, true)
        }
    }
}

/// base / 10^scale rounded away from zero, and whether that was exact.
fn negative_scale_i64(base: i64, scale: i32) -> (i64, bool) {
    if scale == 0 {
        return (base, true);
    }
    let mut value = base;
    let mut fraction = false;
    for _ in 0..scale.max(0) {
        if !fraction && value % 10 != 0 {
            fraction = true;
        }
        value /= 10;
        if value == 0 {
            if fraction {
                return (if base > 0 { 1 } else { -1 }, false);
            }
            return (0, true);
        }
    }
    if fraction {
        if base > 0 {
            value += 1;
        } else {
            value -= 1;
        }
    }
    (value, !fraction)
}

/// Strips factors of `base` from |value|: value == result × base^times.
fn remove_i64_factors(value: i64, base: i64) -> (i64, i32) {
    let negative = value < 0;
    let mut result = if negative { value.wrapping_neg() } else { value };
    let mut times = 0;
    while result >= base && result % base == 0 {
        times += 1;
        result /= base;
    }
    (if negative { result.wrapping_neg() } else { result }, times)
}

/// 10^n as Go's `int64(math.Pow10(n))` gives it on amd64.
fn go_pow10_i64(n: i64) -> i64 {
    if (0..=18).contains(&n) { 10i64.pow(n as u32) } else { i64::MIN }
}

/// Go's scaledValue: unscaled × 10^-scale in units of 10^-new_scale, rounded
/// up, with its int64 truncations.
fn scaled_value(unscaled: &BigInt, scale: i64, new_scale: i64) -> i64 {
    let dif = scale - new_scale;
    if dif == 0 {
        return unscaled.go_int64();
    }
    if dif < 0 {
        return unscaled.go_int64().wrapping_mul(go_pow10_i64(-dif));
    }
    if unscaled.cmp_signed(&BigInt::from_i64(i64::MAX)) == Ordering::Less && dif < 19 {
        let divide = 10i64.pow(dif as u32);
        let value = unscaled.go_int64();
        let result = value / divide;
        return if value % divide != 0 { result + 1 } else { result };
    }
    // Euclidean division, as big.Int.DivMod does.
    let mut quotient = unscaled.clone();
    let inexact = quotient.div_pow10_trunc(dif as u64);
    if inexact && unscaled.negative {
        quotient.add_magnitude_one();
        quotient.negative = true;
    }
    let result = quotient.go_int64();
    if inexact { result.wrapping_add(1) } else { result }
}

impl IntAmount {
    fn add(self, b: IntAmount) -> Option<IntAmount> {
        let a = self;
        if b.value == 0 {
            return Some(a);
        }
        if a.value == 0 {
            return Some(b);
        }
        if a.scale == b.scale {
            return int64_add(a.value, b.value).map(|value| IntAmount { value, scale: a.scale });
        }
        if a.scale > b.scale {
            let (c, ok) = positive_scale_i64(a.value, a.scale.wrapping_sub(b.scale));
            if !ok {
                return None;
            }
            return int64_add(c, b.value).map(|value| IntAmount { value, scale: b.scale });
        }
        let (c, ok) = positive_scale_i64(b.value, b.scale.wrapping_sub(a.scale));
        if !ok {
            return None;
        }
        int64_add(a.value, c).map(|value| IntAmount { value, scale: a.scale })
    }

    /// The value in units of 10^scale, rounded away from zero (AsScaledInt64).
    fn as_scaled_i64(self, scale: i32) -> (i64, bool) {
        if self.scale < scale {
            (negative_scale_i64(self.value, scale.wrapping_sub(self.scale)).0, true)
        } else {
            positive_scale_i64(self.value, self.scale.wrapping_sub(scale))
        }
    }

    fn canonical_base10(self) -> (String, i32) {
        let (amount, times) = remove_i64_factors(self.value, 10);
        let mut exponent = self.scale.wrapping_add(times);
        let amount = match exponent % 3 {
            1 | -2 => {
                let (v, ok) = int64_multiply_scale(amount, 10);
                if !ok {
                    return DecAmount::from_int(self).canonical_base10();
                }
                exponent = exponent.wrapping_sub(1);
                v
            }
            2 | -1 => {
                let (v, ok) = int64_multiply_scale(amount, 100);
                if !ok {
                    return DecAmount::from_int(self).canonical_base10();
                }
                exponent = exponent.wrapping_sub(2);
                v
            }
            _ => amount,
        };
        (amount.to_string(), exponent)
    }
}

impl DecAmount {
    fn from_i64(value: i64, scale: i32) -> DecAmount {
        DecAmount { unscaled: BigInt::from_i64(value), scale }
    }

    fn from_int(a: IntAmount) -> DecAmount {
        DecAmount::from_i64(a.value, a.scale.wrapping_neg())
    }

    /// inf.Dec's SetString over the scanner's numeric text: an optional
    /// sign, digits and at most one point; `None` without any digit or
    /// past [`MAX_DIGITS`].
    fn parse(text: &[u8]) -> Option<DecAmount> {
        let (negative, rest) = match text {
            [b'-', rest @ ..] => (true, rest),
            [b'+', rest @ ..] => (false, rest),
            _ => (false, text),
        };
        let mut digits = Vec::with_capacity(rest.len());
        let mut point = None;
        for &c in rest {
            match c {
                b'.' if point.is_none() => point = Some(digits.len()),
                b'0'..=b'9' => digits.push(c),
                _ => return None,
            }
        }
        if digits.is_empty() {
            return None;
        }
        let scale = point.map_or(0, |p| digits.len() - p);
        let scale = i32::try_from(scale).ok()?;
        let unscaled = BigInt::from_digits(negative, &digits)?;
        Some(DecAmount { unscaled, scale })
    }

    /// inf.Dec's Round(x, scale, RoundUp): rounded away from zero to `scale`
    /// digits after the point; `None` past [`MAX_DIGITS`].
    fn round_up(&self, scale: i32) -> Option<DecAmount> {
        let shift = scale.wrapping_sub(self.scale);
        let mut unscaled = self.unscaled.clone();
        match shift.cmp(&0) {
            Ordering::Greater => {
                if !unscaled.mul_pow10(shift as u64) {
                    return None;
                }
            }
            Ordering::Less => {
                if unscaled.div_pow10_trunc(-i64::from(shift) as u64) {
                    unscaled.add_magnitude_one();
                    unscaled.negative = self.unscaled.negative;
                }
            }
            Ordering::Equal => {}
        }
        Some(DecAmount { unscaled, scale })
    }

    /// inf.Dec's rescale: exact when growing the scale, truncating when
    /// shrinking it (which only a wrapped 32-bit shift asks for).
    fn rescale(&self, scale: i32) -> Option<DecAmount> {
        let shift = scale.wrapping_sub(self.scale);
        let mut unscaled = self.unscaled.clone();
        match shift.cmp(&0) {
            Ordering::Greater => {
                if !unscaled.mul_pow10(shift as u64) {
                    return None;
                }
            }
            Ordering::Less => {
                unscaled.div_pow10_trunc(-i64::from(shift) as u64);
            }
            Ordering::Equal => {}
        }
        Some(DecAmount { unscaled, scale })
    }

    /// inf.Dec's Add: both sides brought to the larger scale.
    fn add(&self, other: &DecAmount) -> Option<DecAmount> {
        let (x, y) = match self.scale.cmp(&other.scale) {
            Ordering::Equal => (self.clone(), other.clone()),
            Ordering::Greater => (self.clone(), other.rescale(self.scale)?),
            Ordering::Less => (self.rescale(other.scale)?, other.clone()),
        };
        Some(DecAmount { unscaled: x.unscaled.add(&y.unscaled), scale: x.scale })
    }

    fn cmp_exact(&self, other: &DecAmount) -> Ordering {
        Amount::Dec(self.clone()).cmp_exact(&Amount::Dec(other.clone()))
    }

    fn canonical_base10(&self) -> (String, i32) {
        let mut exponent = self.scale.wrapping_neg();
        let mut amount = self.unscaled.clone();
        let times = amount.strip_decimal_zeros();
        exponent = exponent.wrapping_add(times as i32);
        while exponent % 3 != 0 {
            amount.mul_small(10);
            exponent = exponent.wrapping_sub(1);
        }
        (amount.to_string(), exponent)
    }

    fn canonical_base1024(&self) -> Option<(String, i32)> {
        let mut whole = self.round_up(0)?;
        let mut times = 0;
        while !whole.unscaled.is_zero() {
            let mut next = whole.unscaled.clone();
            if next.div_small(1024) != 0 {
                break;
            }
            whole.unscaled = next;
            times += 1;
        }
        Some((whole.unscaled.to_string(), times))
    }
}

impl Amount {
    fn int(value: i64, scale: i32) -> Amount {
        Amount::Int(IntAmount { value, scale })
    }

    fn sign(&self) -> i32 {
        match self {
            Amount::Int(i) => i.value.signum() as i32,
            Amount::Dec(d) => d.unscaled.sign(),
        }
    }

    fn to_dec(&self) -> DecAmount {
        match self {
            Amount::Int(i) => DecAmount::from_int(*i),
            Amount::Dec(d) => d.clone(),
        }
    }

    /// Sign, significant digits (no leading or trailing zeros) and the power
    /// of ten they are multiplied by.
    fn significand(&self) -> (i32, String, i64) {
        let (sign, digits, exponent) = match self {
            Amount::Int(i) => (i.value.signum() as i32, i.value.unsigned_abs().to_string(), i64::from(i.scale)),
            Amount::Dec(d) => (d.unscaled.sign(), d.unscaled.magnitude_string(), -i64::from(d.scale)),
        };
        if sign == 0 {
            return (0, String::new(), 0);
        }
        let trimmed = digits.trim_end_matches('0');
        let zeros = (digits.len() - trimmed.len()) as i64;
        (sign, trimmed.to_owned(), exponent + zeros)
    }

    fn cmp_magnitude(&self, other: &Amount) -> Ordering {
        let (xs, xd, xe) = self.significand();
        let (ys, yd, ye) = other.significand();
        match (xs == 0, ys == 0) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => {
                let xa = xd.len() as i64 + xe;
                let ya = yd.len() as i64 + ye;
                xa.cmp(&ya).then_with(|| xd.as_bytes().cmp(yd.as_bytes()))
            }
        }
    }

    fn cmp_exact(&self, other: &Amount) -> Ordering {
        let xs = self.sign();
        let ys = other.sign();
        if xs != ys {
            return xs.cmp(&ys);
        }
        let magnitude = self.cmp_magnitude(other);
        if xs < 0 { magnitude.reverse() } else { magnitude }
    }

    /// Rounded away from zero to a whole number, and whether that was exact.
    fn as_scale0(&self) -> (Amount, bool) {
        match self {
            Amount::Int(i) if i.scale >= 0 => (Amount::Int(*i), true),
            Amount::Int(i) => {
                let (value, exact) = negative_scale_i64(i.value, i.scale.wrapping_neg());
                (Amount::int(value, 0), exact)
            }
            Amount::Dec(d) => match d.round_up(0) {
                Some(r) => {
                    let exact = r.cmp_exact(d) == Ordering::Equal;
                    (Amount::Dec(r), exact)
                }
                None => (Amount::Dec(d.clone()), false),
            },
        }
    }

    fn canonical_base10(&self) -> (String, i32) {
        match self {
            Amount::Int(i) => i.canonical_base10(),
            Amount::Dec(d) => d.canonical_base10(),
        }
    }

    fn canonical_base1024(&self) -> Option<(String, i32)> {
        match self {
            Amount::Int(i) => {
                let (value, ok) = i.as_scaled_i64(0);
                if !ok {
                    return DecAmount::from_int(*i).canonical_base1024();
                }
                let (amount, times) = remove_i64_factors(value, 1024);
                Some((amount.to_string(), times))
            }
            Amount::Dec(d) => d.canonical_base1024(),
        }
    }
}

// ---- A small signed big integer in base 10^9 ----

const LIMB_BASE: u32 = 1_000_000_000;
const LIMB_DIGITS: usize = 9;
const MAX_LIMBS: usize = MAX_DIGITS.div_ceil(LIMB_DIGITS) + 1;

/// Sign and magnitude; the magnitude is little-endian base-10^9 limbs with
/// no zero limb at the top, and zero is never negative.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct BigInt {
    negative: bool,
    limbs: Vec<u32>,
}

impl BigInt {
    fn from_i64(value: i64) -> BigInt {
        let mut magnitude = value.unsigned_abs();
        let mut limbs = Vec::new();
        while magnitude > 0 {
            limbs.push((magnitude % u64::from(LIMB_BASE)) as u32);
            magnitude /= u64::from(LIMB_BASE);
        }
        BigInt { negative: value < 0, limbs }
    }

    /// From ASCII digits; `None` past [`MAX_DIGITS`] significant digits.
    fn from_digits(negative: bool, digits: &[u8]) -> Option<BigInt> {
        let first = digits.iter().position(|&c| c != b'0').unwrap_or(digits.len());
        let digits = &digits[first..];
        if digits.len() > MAX_DIGITS {
            return None;
        }
        let limbs = digits
            .rchunks(LIMB_DIGITS)
            .map(|chunk| chunk.iter().fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0')))
            .collect();
        let mut n = BigInt { negative, limbs };
        n.normalize();
        Some(n)
    }

    fn normalize(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
        if self.limbs.is_empty() {
            self.negative = false;
        }
    }

    fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    fn sign(&self) -> i32 {
        match (self.is_zero(), self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }

    fn negate(&mut self) {
        if !self.is_zero() {
            self.negative = !self.negative;
        }
    }

    /// Multiplies the magnitude by `m` (at most 2^32 - 1).
    fn mul_small(&mut self, m: u32) {
        let mut carry: u64 = 0;
        for limb in &mut self.limbs {
            let product = u64::from(*limb) * u64::from(m) + carry;
            *limb = (product % u64::from(LIMB_BASE)) as u32;
            carry = product / u64::from(LIMB_BASE);
        }
        while carry > 0 {
            self.limbs.push((carry % u64::from(LIMB_BASE)) as u32);
            carry /= u64::from(LIMB_BASE);
        }
        self.normalize();
    }

    /// Multiplies by 10^k; false (and unchanged) past [`MAX_DIGITS`].
    fn mul_pow10(&mut self, k: u64) -> bool {
        if self.is_zero() {
            return true;
        }
        let whole = k / LIMB_DIGITS as u64;
        if self.limbs.len() as u64 + whole + 1 > MAX_LIMBS as u64 {
            return false;
        }
        let mut shifted = vec![0u32; whole as usize];
        shifted.extend_from_slice(&self.limbs);
        self.limbs = shifted;
        self.mul_small(10u32.pow((k % LIMB_DIGITS as u64) as u32));
        true
    }

    /// Divides the magnitude by `d`, truncating; returns the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let mut remainder: u64 = 0;
        for limb in self.limbs.iter_mut().rev() {
            let current = remainder * u64::from(LIMB_BASE) + u64::from(*limb);
            *limb = (current / u64::from(d)) as u32;
            remainder = current % u64::from(d);
        }
        self.normalize();
        remainder as u32
    }

    /// Divides by 10^k truncating toward zero; returns whether anything was
    /// cut off. The sign is kept unless the quotient is zero.
    fn div_pow10_trunc(&mut self, k: u64) -> bool {
        if self.is_zero() {
            return false;
        }
        let whole = k / LIMB_DIGITS as u64;
        if whole >= self.limbs.len() as u64 {
            self.limbs.clear();
            self.normalize();
            return true;
        }
        let whole = whole as usize;
        let mut inexact = self.limbs[..whole].iter().any(|&l| l != 0);
        self.limbs.drain(..whole);
        let negative = self.negative;
        inexact |= self.div_small(10u32.pow((k % LIMB_DIGITS as u64) as u32)) != 0;
        if !self.is_zero() {
            self.negative = negative;
        }
        inexact
    }

    /// Adds one to the magnitude (rounding away from zero).
    fn add_magnitude_one(&mut self) {
        for limb in &mut self.limbs {
            if *limb + 1 < LIMB_BASE {
                *limb += 1;
                return;
            }
            *limb = 0;
        }
        self.limbs.push(1);
    }

    fn cmp_magnitude(&self, other: &BigInt) -> Ordering {
        self.limbs.len().cmp(&other.limbs.len()).then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }

    fn cmp_signed(&self, other: &BigInt) -> Ordering {
        let (xs, ys) = (self.sign(), other.sign());
        if xs != ys {
            return xs.cmp(&ys);
        }
        let magnitude = self.cmp_magnitude(other);
        if xs < 0 { magnitude.reverse() } else { magnitude }
    }

    fn add(&self, other: &BigInt) -> BigInt {
        if self.negative == other.negative {
            let mut limbs = Vec::with_capacity(self.limbs.len().max(other.limbs.len()) + 1);
            let mut carry = 0u32;
            for i in 0..self.limbs.len().max(other.limbs.len()) {
                let sum = self.limbs.get(i).copied().unwrap_or(0) + other.limbs.get(i).copied().unwrap_or(0) + carry;
                limbs.push(sum % LIMB_BASE);
                carry = sum / LIMB_BASE;
            }
            if carry > 0 {
                limbs.push(carry);
            }
            let mut n = BigInt { negative: self.negative, limbs };
            n.normalize();
            return n;
        }
        let (larger, smaller) = match self.cmp_magnitude(other) {
            Ordering::Equal => return BigInt::default(),
            Ordering::Greater => (self, other),
            Ordering::Less => (other, self),
        };
        let mut limbs = Vec::with_capacity(larger.limbs.len());
        let mut borrow = 0u32;
        for (i, &limb) in larger.limbs.iter().enumerate() {
            let take = smaller.limbs.get(i).copied().unwrap_or(0) + borrow;
            if limb >= take {
                limbs.push(limb - take);
                borrow = 0;
            } else {
                limbs.push(limb + LIMB_BASE - take);
                borrow = 1;
            }
        }
        let mut n = BigInt { negative: larger.negative, limbs };
        n.normalize();
        n
    }

    /// big.Int's Int64(): the low 64 bits of the magnitude, negated for a
    /// negative number.
    fn go_int64(&self) -> i64 {
        let low = self
            .limbs
            .iter()
            .rev()
            .fold(0u64, |acc, &limb| acc.wrapping_mul(u64::from(LIMB_BASE)).wrapping_add(u64::from(limb)));
        if self.negative { (low as i64).wrapping_neg() } else { low as i64 }
    }

    /// Removes trailing decimal zeros from the magnitude; returns how many.
    fn strip_decimal_zeros(&mut self) -> u64 {
        if self.is_zero() {
            return 0;
        }
        let whole = self.limbs.iter().take_while(|&&l| l == 0).count();
        let mut times = (whole * LIMB_DIGITS) as u64;
        self.limbs.drain(..whole);
        let mut low = self.limbs[0];
        let mut divisor = 1u32;
        while low.is_multiple_of(10) {
            low /= 10;
            divisor *= 10;
            times += 1;
        }
        if divisor > 1 {
            self.div_small(divisor);
        }
        times
    }

    fn magnitude_string(&self) -> String {
        let mut out = String::with_capacity(self.limbs.len() * LIMB_DIGITS);
        match self.limbs.split_last() {
            None => out.push('0'),
            Some((top, rest)) => {
                out.push_str(&top.to_string());
                for limb in rest.iter().rev() {
                    out.push_str(&format!("{limb:09}"));
                }
            }
        }
        out
    }
}

impl fmt::Display for BigInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(&self.magnitude_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        match Quantity::parse(s) {
            Ok(q) => q,
            Err(e) => panic!("{s:?}: {e}"),
        }
    }

    /// i × 10^exponent held as an arbitrary-precision decimal.
    fn dec_q(i: i64, exponent: i32, format: Format) -> Quantity {
        Quantity { amount: Amount::Dec(DecAmount::from_i64(i, -exponent)), format, text: None }
    }

    /// value × 10^scale held on the fast path.
    fn int_q(value: i64, scale: i32, format: Format) -> Quantity {
        Quantity { amount: Amount::int(value, scale), format, text: None }
    }

    fn as_dec(x: &Quantity) -> Quantity {
        Quantity { amount: Amount::Dec(x.amount.to_dec()), format: x.format, text: x.text.clone() }
    }

    fn describe(x: &Quantity) -> String {
        format!("{}|{}|{}|{}|{}", x.canonical(), x.value(), x.milli_value(), x.format().as_str(), x.sign())
    }

    use Format::{BinarySi, DecimalExponent, DecimalSi};
    const MOST_POSITIVE: i64 = i64::MAX;
    const MOST_NEGATIVE: i64 = i64::MIN;

    /// input, then canonical|value()|milli_value()|format|sign as kube-apiserver 1.35 gives them.
    const PARSED: &[(&str, &str)] = &[
        ("1.5", "1500m|2|1500|DecimalSI|1"),
        ("1.5Gi", "1536Mi|1610612736|1610612736000|BinarySI|1"),
        ("1024Mi", "1Gi|1073741824|1073741824000|BinarySI|1"),
        ("1000m", "1|1|1000|DecimalSI|1"),
        ("0.5", "500m|1|500|DecimalSI|1"),
        ("1e3", "1e3|1000|1000000|DecimalExponent|1"),
        ("1k", "1k|1000|1000000|DecimalSI|1"),
        ("100Mi", "100Mi|104857600|104857600000|BinarySI|1"),
        ("12e6", "12e6|12000000|12000000000|DecimalExponent|1"),
        ("-1", "-1|-1|-1000|DecimalSI|-1"),
        ("0", "0|0|0|DecimalSI|0"),
        ("-0", "0|0|0|DecimalSI|0"),
        ("+1", "+1|1|1000|DecimalSI|1"),
        ("010", "010|10|10000|DecimalSI|1"),
        ("1E3", "1E3|1000|1000000|DecimalExponent|1"),
        ("1e+3", "1e+3|1000|1000000|DecimalExponent|1"),
        ("1e03", "1e03|1000|1000000|DecimalExponent|1"),
        ("0.1m", "100u|1|1|DecimalSI|1"),
        ("0.9n", "1n|1|1|DecimalSI|1"),
        ("3.001n", "4n|1|1|DecimalSI|1"),
        ("1.1E-9", "2e-9|1|1|DecimalExponent|1"),
        ("1000E", "1|0|0|DecimalSI|1"),
        ("1000000E", "1|0|0|DecimalSI|1"),
        ("12E", "12E|0|0|DecimalSI|1"),
        ("9Ei", "9223372036854775807|9223372036854775807|-1000|BinarySI|1"),
        ("-9Ei", "-9223372036854775807|-9223372036854775807|1000|BinarySI|-1"),
        ("8Ei", "9223372036854775807|9223372036854775807|-1000|BinarySI|1"),
        ("9223372036854775807Ki", "9223372036854775807|9223372036854775807|-1000|BinarySI|1"),
        ("0.000000000001Ki", "2n|1|1|DecimalSI|1"),
        (".001Ki", "1024m|2|1024|BinarySI|1"),
        ("1.5Ki", "1536|1536|1536000|BinarySI|1"),
        ("1023.5Ki", "1048064|1048064|1048064000|BinarySI|1"),
        ("0.5Ki", "512|512|512000|BinarySI|1"),
        ("1.1Ki", "1126400m|1127|1126400|BinarySI|1"),
        ("100.035Ki", "102435840m|102436|102435840|BinarySI|1"),
        ("9999999999999999999", "9999999999999999999|-8446744073709551617|1864712049423023128|DecimalSI|1"),
        ("999999999999999999", "999999999999999999|999999999999999999|3875820019684211736|DecimalSI|1"),
        ("99999999999999999999", "99999999999999999999|7766279631452241919|200376420520688664|DecimalSI|1"),
        (
            "123456789012345678901234567890",
            "123456789012345678901234567890|-4362896299872285998|8982045596877734992|DecimalSI|1",
        ),
        ("0.1234567890123456789", "123456790n|1|124|DecimalSI|1"),
        ("-1.5", "-1500m|-2|-1500|DecimalSI|-1"),
        ("-1.5123456789012345678901", "-1512345679n|0|-1511|DecimalSI|-1"),
        ("-0.0000000001", "-1n|1|1|DecimalSI|-1"),
        ("1e30", "1e30|0|0|DecimalExponent|1"),
        ("1e19", "10e18|0|0|DecimalExponent|1"),
        ("1e18", "1e18|1000000000000000000|0|DecimalExponent|1"),
        ("922337203685477581e1", "9223372036854775810|-9223372036854775806|0|DecimalExponent|1"),
        ("9.223372036854775807E", "9223372036854775807|9223372036854775807|-1000|DecimalSI|1"),
        ("9.3E", "9300P|0|0|DecimalSI|1"),
        ("-9.3E", "-9300P|0|0|DecimalSI|-1"),
        ("1e2147483647", "10e2147483646|0|1|DecimalExponent|1"),
        ("1e4294967296", "1e4294967296|1|1000|DecimalExponent|1"),
        ("1e9223372036854775807", "100e-3|1|100|DecimalExponent|1"),
        ("1e-9223372036854775808", "1e-9223372036854775808|1|1000|DecimalExponent|1"),
        ("Ki", "0|0|0|BinarySI|0"),
        ("k", "0|0|0|DecimalSI|0"),
        ("m", "0|0|0|DecimalSI|0"),
        ("E", "0|0|0|DecimalSI|0"),
        ("e5", "0|0|0|DecimalExponent|0"),
        (".Ti", "0|0|0|BinarySI|0"),
        ("-.", "0|0|0|DecimalSI|0"),
        ("+.", "0|0|0|DecimalSI|0"),
        (".", "0|0|0|DecimalSI|0"),
        ("1.", "1.|1|1000|DecimalSI|1"),
        ("1.G", "1.G|1000000000|1000000000000|DecimalSI|1"),
        ("1E-3", "1E-3|1|1|DecimalExponent|1"),
        ("1.2e3", "1200|1200|1200000|DecimalExponent|1"),
        ("1.3E+6", "1300e3|1300000|1300000000|DecimalExponent|1"),
        ("5.444T", "5.444T|5444000000000|5444000000000000|DecimalSI|1"),
        ("0.025Ti", "27487790694400m|27487790695|27487790694400|BinarySI|1"),
        ("8Ki", "8Ki|8192|8192000|BinarySI|1"),
        ("7Mi", "7Mi|7340032|7340032000|BinarySI|1"),
        ("1025Ki", "1025Ki|1049600|1049600000|BinarySI|1"),
        ("1024Ki", "1Mi|1048576|1048576000|BinarySI|1"),
        ("2048", "2048|2048|2048000|DecimalSI|1"),
        ("1536Mi", "1536Mi|1610612736|1610612736000|BinarySI|1"),
        ("0.5Mi", "512Ki|524288|524288000|BinarySI|1"),
        ("1Pi", "1Pi|1125899906842624|1125899906842624000|BinarySI|1"),
        ("1024Pi", "1Ei|1152921504606846976|-9223372036854775808|BinarySI|1"),
        ("1048576Ti", "1Ei|1152921504606846976|-9223372036854775808|BinarySI|1"),
        ("123456789Ei", "9223372036854775807|9223372036854775807|-1000|BinarySI|1"),
        ("1e-9", "1e-9|1|1|DecimalExponent|1"),
        ("1e-10", "1e-9|1|1|DecimalExponent|1"),
        ("5e-10", "1e-9|1|1|DecimalExponent|1"),
        ("1n", "1n|1|1|DecimalSI|1"),
        ("1u", "1u|1|1|DecimalSI|1"),
        ("1000u", "1m|1|1|DecimalSI|1"),
        ("1000000n", "1m|1|1|DecimalSI|1"),
        ("0.001", "1m|1|1|DecimalSI|1"),
        ("1080m", "1080m|2|1080|DecimalSI|1"),
        ("1.08", "1080m|2|1080|DecimalSI|1"),
        ("1080000000n", "1080m|2|1080|DecimalSI|1"),
        ("7.123456M", "7.123456M|7123456|7123456000|DecimalSI|1"),
        ("6.987654321G", "6.987654321G|6987654321|6987654321000|DecimalSI|1"),
    ];
    const REJECTED: &[(&str, QuantityError)] = &[
        ("1e9223372036854775808", QuantityError::Suffix),
        (".Ei", QuantityError::Numeric),
        (".Pi", QuantityError::Numeric),
        ("1.1.M", QuantityError::FormatWrong),
        ("1+1.0M", QuantityError::FormatWrong),
        ("0.1mi", QuantityError::Suffix),
        ("0.1am", QuantityError::FormatWrong),
        ("aoeu", QuantityError::FormatWrong),
        (".5i", QuantityError::Suffix),
        ("1i", QuantityError::Suffix),
        ("-3.01i", QuantityError::Suffix),
        ("-3.01e-", QuantityError::Suffix),
        (" 1", QuantityError::FormatWrong),
        ("1 ", QuantityError::FormatWrong),
        ("", QuantityError::FormatWrong),
        ("e", QuantityError::Suffix),
        ("e+", QuantityError::Suffix),
        ("1e", QuantityError::Suffix),
        ("1ee3", QuantityError::Suffix),
        ("1Ki5", QuantityError::Suffix),
    ];
    const COMPARED: &[(&str, &str, i8)] = &[
        ("100m", "50m", 1),
        ("10000T", "100Gi", 1),
        ("1Ki", "1024", 0),
        ("1e-9", "0.000000001", 0),
        ("-1", "1", -1),
        ("0", "-0", 0),
        ("1E", "1000P", 0),
        ("99999999999999999999", "1e20", -1),
        ("1e2147483647", "-1e2147483647", 1),
    ];
    /// a, '+' or '-', b, then the result as in PARSED.
    const COMBINED: &[(&str, char, &str, &str)] = &[
        ("100m", '+', "0", "100m|1|100|DecimalSI|1"),
        ("100m", '-', "0", "100m|1|100|DecimalSI|1"),
        ("0", '+', "100m", "100m|1|100|DecimalSI|1"),
        ("0", '-', "100m", "-100m|-1|-100|DecimalSI|-1"),
        ("1Gi", '+', "0", "1Gi|1073741824|1073741824000|BinarySI|1"),
        ("1Gi", '-', "0", "1Gi|1073741824|1073741824000|BinarySI|1"),
        ("0", '+', "1Gi", "1Gi|1073741824|1073741824000|BinarySI|1"),
        ("0", '-', "1Gi", "-1Gi|-1073741824|-1073741824000|BinarySI|-1"),
        ("1", '+', "1", "2|2|2000|DecimalSI|1"),
        ("1", '-', "1", "0|0|0|DecimalSI|0"),
        ("10", '+', "1e1", "20|20|20000|DecimalSI|1"),
        ("10", '-', "1e1", "0|0|0|DecimalSI|0"),
        ("10", '+', "1Ki", "1034|1034|1034000|DecimalSI|1"),
        ("10", '-', "1Ki", "-1014|-1014|-1014000|DecimalSI|-1"),
        ("1Ki", '+', "10", "1034|1034|1034000|BinarySI|1"),
        ("1Ki", '-', "10", "1014|1014|1014000|BinarySI|1"),
        ("1.5", '+', "1.5", "3|3|3000|DecimalSI|1"),
        ("1.5", '-', "1.5", "0|0|0|DecimalSI|0"),
        (
            "999999999999999999",
            '+',
            "999999999999999999",
            "1999999999999999998|1999999999999999998|7751640039368423472|DecimalSI|1",
        ),
        ("999999999999999999", '-', "999999999999999999", "0|0|0|DecimalSI|0"),
        (
            "999999999999999999E",
            '+',
            "1",
            "999999999999999999000000000000000001|-6527149226598858751|2998175494322521064|DecimalSI|1",
        ),
        (
            "999999999999999999E",
            '-',
            "1",
            "999999999999999998999999999999999999|-6527149226598858753|2998175494322519064|DecimalSI|1",
        ),
        ("1e2147483647", '+', "1e-9", "2e-9|1|1|DecimalExponent|1"),
        ("1e2147483647", '-', "1e-9", "0|0|0|DecimalExponent|0"),
        ("9Ei", '+', "9Ei", "18446744073709551614|-2|-2000|BinarySI|1"),
        ("9Ei", '-', "9Ei", "0|0|0|BinarySI|0"),
        ("8Ei", '+', "8Ei", "18446744073709551614|-2|-2000|BinarySI|1"),
        ("8Ei", '-', "8Ei", "0|0|0|BinarySI|0"),
        ("1m", '+', "1u", "1001u|1|2|DecimalSI|1"),
        ("1m", '-', "1u", "999u|1|1|DecimalSI|1"),
        ("0.1", '+', "0.2", "300m|1|300|DecimalSI|1"),
        ("0.1", '-', "0.2", "-100m|-1|-100|DecimalSI|-1"),
        ("-1", '+', "1", "0|0|0|DecimalSI|0"),
        ("-1", '-', "1", "-2|-2|-2000|DecimalSI|-1"),
        ("1Mi", '+', "-1Ki", "1023Ki|1047552|1047552000|BinarySI|1"),
        ("1Mi", '-', "-1Ki", "1025Ki|1049600|1049600000|BinarySI|1"),
        ("922337203685477580e1", '+', "1", "9223372036854775801|9223372036854775801|-7000|DecimalExponent|1"),
        ("922337203685477580e1", '-', "1", "9223372036854775799|9223372036854775799|-9000|DecimalExponent|1"),
        ("1e30", '+', "1", "1000000000000000000000000000001|5076944270305263617|4089650035136922600|DecimalExponent|1"),
        ("1e30", '-', "1", "999999999999999999999999999999|5076944270305263615|4089650035136920600|DecimalExponent|1"),
        (
            "-999999999999999999",
            '+',
            "-999999999999999999",
            "-1999999999999999998|-1999999999999999998|-7751640039368423472|DecimalSI|-1",
        ),
        ("-999999999999999999", '-', "-999999999999999999", "0|0|0|DecimalSI|0"),
    ];

    #[test]
    fn kube_apiserver_results_for_parsing() {
        for (input, expected) in PARSED {
            assert_eq!(describe(&q(input)), *expected, "{input:?}");
        }
        for (input, expected) in REJECTED {
            assert_eq!(Quantity::parse(input).err(), Some(*expected), "{input:?}");
        }
    }

    #[test]
    fn kube_apiserver_results_for_arithmetic() {
        for (a, b, expected) in COMPARED {
            assert_eq!(q(a).cmp(&q(b)) as i8, *expected, "{a} <=> {b}");
            assert_eq!(q(b).cmp(&q(a)) as i8, -*expected, "{b} <=> {a}");
        }
        for (a, op, b, expected) in COMBINED {
            let result = if *op == '+' { q(a).add(&q(b)) } else { q(a).sub(&q(b)) };
            assert_eq!(describe(&result), *expected, "{a} {op} {b}");
        }
        // Chains that reach the int64 limits of the fast path.
        let chained = q("-999999999999999999e1").add(&q("-922337203685477580e1")).sub(&q("-9223372036854775808"));
        assert_eq!(describe(&chained), "-9999999999999999982|-4477988001|-4477988002392|DecimalExponent|-1");
        let chained = q("-922337203685477580e1").sub(&q("8")).sub(&q("1"));
        assert_eq!(describe(&chained), "-9223372036854775809|9223372036854775807|-1000|DecimalExponent|-1");
    }

    /// Fuzz finding: a binary amount that is no multiple of 1024 is written
    /// as plain digits, which kube-apiserver reads back as DecimalSI and then
    /// writes with a decimal suffix, so its canonical form takes two rounds
    /// to settle, with the value unchanged.
    #[test]
    fn binary_amount_without_binary_suffix_reads_back_as_decimal() {
        let binary = q("922337203687.5Ki");
        assert_eq!(describe(&binary), "944473296576000|944473296576000|944473296576000000|BinarySI|1");
        let decimal = q(&binary.canonical());
        assert_eq!(describe(&decimal), "944473296576k|944473296576000|944473296576000000|DecimalSI|1");
        assert_eq!(decimal, binary);
        assert_eq!(q(&decimal.canonical()).canonical(), "944473296576k");
        // Below 1024 a binary amount is written in DecimalSI from the start.
        assert_eq!(describe(&q("0.9765625Ki")), "1k|1000|1000000|BinarySI|1");
    }

    #[test]
    fn error_texts() {
        assert_eq!(
            QuantityError::FormatWrong.to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
        assert_eq!(QuantityError::Numeric.to_string(), "unable to parse numeric part of quantity");
        assert_eq!(QuantityError::Suffix.to_string(), "unable to parse quantity's suffix");
    }

    #[test]
    fn canonical_forms_from_the_brief() {
        for (input, expected) in [
            ("1.5", "1500m"),
            ("1.5Gi", "1536Mi"),
            ("1024Mi", "1Gi"),
            ("1000m", "1"),
            ("0.5", "500m"),
            ("1e3", "1e3"),
            ("1000", "1k"),
            ("1k", "1k"),
            ("100Mi", "100Mi"),
            ("12e6", "12e6"),
            ("-1", "-1"),
            ("0", "0"),
            ("0.1m", "100u"),
            ("0.0001m", "100n"),
            ("0.00000001m", "1n"),
            ("1e99", "1e99"),
            ("1e100", "10e99"),
            ("1000e100", "10e102"),
            ("10e100", "100e99"),
            ("9Ei", "9223372036854775807"),
        ] {
            assert_eq!(q(input).canonical(), expected, "{input:?}");
            assert_eq!(q(input).to_string(), expected, "{input:?}");
        }
    }

    #[test]
    fn json_values() {
        use serde_json::json;
        let cases = [
            (json!("1.5"), Ok("1500m")),
            (json!(" 1"), Ok("1")),
            (json!("1 "), Ok("1")),
            (json!("\u{a0}1\u{3000}"), Ok("1")),
            (json!(1), Ok("1")),
            (json!(10), Ok("10")),
            (json!(-1), Ok("-1")),
            (json!(0.5), Ok("500m")),
            (json!(0.1), Ok("100m")),
            (json!(1.5), Ok("1500m")),
            (json!(u64::MAX), Ok("18446744073709551615")),
            (json!(i64::MIN), Ok("-9223372036854775808")),
            (json!("+1"), Ok("+1")),
            (json!("1E3"), Ok("1E3")),
            (serde_json::Value::Null, Ok("0")),
            (json!(""), Err(QuantityError::FormatWrong)),
            (json!(" "), Err(QuantityError::FormatWrong)),
            (json!("\t1"), Err(QuantityError::FormatWrong)),
            (json!("1\n"), Err(QuantityError::FormatWrong)),
            (json!("\\1"), Err(QuantityError::FormatWrong)),
            (json!("1i"), Err(QuantityError::Suffix)),
            (json!(true), Err(QuantityError::FormatWrong)),
            (json!([1]), Err(QuantityError::FormatWrong)),
            (json!({"a": 1}), Err(QuantityError::FormatWrong)),
        ];
        for (value, expected) in cases {
            assert_eq!(canonicalize_json(&value).as_deref(), expected.as_ref().map(|s| *s), "{value}");
        }
    }

    // ---- Ported from apimachinery's quantity_test.go ----

    #[test]
    fn quantity_parse_zero() {
        assert_eq!(q("0").canonical(), "0");
    }

    #[test]
    fn quantity_parse_non_numeric() {
        assert_eq!(Quantity::parse("Non-Numeric").err(), Some(QuantityError::FormatWrong));
    }

    #[test]
    fn quantity_add_zero_preserves_suffix() {
        for value in ["100m", "1Gi"] {
            assert_eq!(q(value).add(&q("0")).canonical(), value);
            assert_eq!(q("0").add(&q(value)).canonical(), value);
        }
    }

    #[test]
    fn quantity_sub_zero_preserves_suffix() {
        for value in ["100m", "1Gi"] {
            assert_eq!(q(value).sub(&q("0")).canonical(), value);
            assert_eq!(q("0").sub(&q(value)).canonical(), q(value).neg().canonical());
        }
    }

    #[test]
    fn quantity_canonicalize_zero() {
        let one = q("1000m");
        let zero = Quantity { amount: Amount::int(0, -3), format: DecimalSi, text: None };
        assert_eq!(one.sub(&one).canonical(), "0");
        assert_eq!(zero.canonical(), "0");
    }

    #[test]
    fn quantity_cmp() {
        for (x, y, expect) in [("0", "0", 0), ("100m", "50m", 1), ("50m", "100m", -1), ("10000T", "100Gi", 1)] {
            assert_eq!(q(x).cmp(&q(y)) as i8, expect, "{x} {y}");
        }
        for (x, y, expect) in [(0, 0, 0), (0, 10, -1), (0, -10, 1), (10, 0, 1), (-10, 0, -1)] {
            assert_eq!(dec_q(x, 0, DecimalSi).cmp(&dec_q(y, 0, DecimalSi)) as i8, expect, "{x} {y}");
            assert_eq!(int_q(x, 0, DecimalSi).cmp(&dec_q(y, 0, DecimalSi)) as i8, expect, "{x} {y}");
        }
    }

    #[test]
    fn quantity_round_up() {
        let cases: [(&str, i32, Quantity, bool); 12] = [
            ("9.01", -3, dec_q(9010, -3, DecimalSi), true),
            ("9.01", -2, dec_q(901, -2, DecimalSi), true),
            ("9.01", -1, dec_q(91, -1, DecimalSi), false),
            ("9.01", 0, dec_q(10, 0, DecimalSi), false),
            ("9.01", 1, dec_q(10, 0, DecimalSi), false),
            ("9.01", 2, dec_q(100, 0, DecimalSi), false),
            ("-9.01", -3, dec_q(-9010, -3, DecimalSi), true),
            ("-9.01", -2, dec_q(-901, -2, DecimalSi), true),
            ("-9.01", -1, dec_q(-91, -1, DecimalSi), false),
            ("-9.01", 0, dec_q(-10, 0, DecimalSi), false),
            ("-9.01", 1, dec_q(-10, 0, DecimalSi), false),
            ("-9.01", 2, dec_q(-100, 0, DecimalSi), false),
        ];
        for as_decimal in [false, true] {
            for (input, scale, expect, exact) in &cases {
                let mut got = if as_decimal { as_dec(&q(input)) } else { q(input) };
                assert_eq!(got.round_up(*scale), *exact, "{input} {scale} {as_decimal}");
                assert_eq!(got.cmp(expect), Ordering::Equal, "{input} {scale} {as_decimal}: {got}");
            }
        }
        // A fast-path amount already coarse enough keeps its text; others are re-printed.
        let mut kept = q("1.500");
        assert!(kept.round_up(-3));
        assert_eq!(kept.canonical(), "1.500");
        let mut tiny = q("1n");
        assert!(!tiny.round_up(-3));
        assert_eq!(tiny.canonical(), "1m");
        let mut big = q("12345678901234567890.5");
        assert!(big.round_up(-3));
        assert_eq!(big.canonical(), "12345678901234567890500m");
    }

    #[test]
    fn parse_quantity_string() {
        for (input, positive, value, num, denom, suffix) in [
            ("0.025Ti", true, "0.025", "0", "025", "Ti"),
            ("1.025Ti", true, "1.025", "1", "025", "Ti"),
            ("-1.025Ti", false, "-1.025", "1", "025", "Ti"),
            (".", true, ".", "0", "", ""),
            ("-.", false, "-.", "0", "", ""),
            ("1E-3", true, "1", "1", "", "E-3"),
        ] {
            let Ok(s) = scan(input.as_bytes()) else { panic!("{input}") };
            assert_eq!(
                (s.positive, s.value, s.num, s.denom, s.suffix),
                (positive, value.as_bytes(), num.as_bytes(), denom.as_bytes(), suffix.as_bytes()),
                "{input}"
            );
        }
    }

    #[test]
    fn quantity_parse() {
        assert_eq!(Quantity::parse("").err(), Some(QuantityError::FormatWrong));
        let table = [
            ("0", dec_q(0, 0, DecimalSi)),
            ("0n", dec_q(0, 0, DecimalSi)),
            ("0u", dec_q(0, 0, DecimalSi)),
            ("0m", dec_q(0, 0, DecimalSi)),
            ("0Ki", dec_q(0, 0, BinarySi)),
            ("0k", dec_q(0, 0, DecimalSi)),
            ("0Mi", dec_q(0, 0, BinarySi)),
            ("0M", dec_q(0, 0, DecimalSi)),
            ("0Gi", dec_q(0, 0, BinarySi)),
            ("0G", dec_q(0, 0, DecimalSi)),
            ("0Ti", dec_q(0, 0, BinarySi)),
            ("0T", dec_q(0, 0, DecimalSi)),
            // Quantity less numbers are allowed
            ("1", dec_q(1, 0, DecimalSi)),
            // Binary suffixes
            ("1Ki", dec_q(1024, 0, BinarySi)),
            ("8Ki", dec_q(8 * 1024, 0, BinarySi)),
            ("7Mi", dec_q(7 * 1024 * 1024, 0, BinarySi)),
            ("6Gi", dec_q(6 * 1024 * 1024 * 1024, 0, BinarySi)),
            ("5Ti", dec_q(5 * 1024 * 1024 * 1024 * 1024, 0, BinarySi)),
            ("4Pi", dec_q(4 * 1024 * 1024 * 1024 * 1024 * 1024, 0, BinarySi)),
            ("3Ei", dec_q(3 * 1024 * 1024 * 1024 * 1024 * 1024 * 1024, 0, BinarySi)),
            ("10Ti", dec_q(10 * 1024 * 1024 * 1024 * 1024, 0, BinarySi)),
            ("100Ti", dec_q(100 * 1024 * 1024 * 1024 * 1024, 0, BinarySi)),
            // Decimal suffixes
            ("5n", dec_q(5, -9, DecimalSi)),
            ("4u", dec_q(4, -6, DecimalSi)),
            ("3m", dec_q(3, -3, DecimalSi)),
            ("9", dec_q(9, 0, DecimalSi)),
            ("8k", dec_q(8, 3, DecimalSi)),
            ("50k", dec_q(5, 4, DecimalSi)),
            ("7M", dec_q(7, 6, DecimalSi)),
            ("6G", dec_q(6, 9, DecimalSi)),
            ("5T", dec_q(5, 12, DecimalSi)),
            ("40T", dec_q(4, 13, DecimalSi)),
            ("300T", dec_q(3, 14, DecimalSi)),
            ("2P", dec_q(2, 15, DecimalSi)),
            ("1E", dec_q(1, 18, DecimalSi)),
            // Decimal exponents
            ("1E-3", dec_q(1, -3, DecimalExponent)),
            ("1e3", dec_q(1, 3, DecimalExponent)),
            ("1E6", dec_q(1, 6, DecimalExponent)),
            ("1e9", dec_q(1, 9, DecimalExponent)),
            ("1E12", dec_q(1, 12, DecimalExponent)),
            ("1e15", dec_q(1, 15, DecimalExponent)),
            ("1E18", dec_q(1, 18, DecimalExponent)),
            // Nonstandard but still parsable
            ("1e14", dec_q(1, 14, DecimalExponent)),
            ("1e13", dec_q(1, 13, DecimalExponent)),
            ("1e3", dec_q(1, 3, DecimalExponent)),
            ("100.035k", dec_q(100035, 0, DecimalSi)),
            // Things that look like floating point
            ("0.001", dec_q(1, -3, DecimalSi)),
            ("0.0005k", dec_q(5, -1, DecimalSi)),
            ("0.005", dec_q(5, -3, DecimalSi)),
            ("0.05", dec_q(5, -2, DecimalSi)),
            ("0.5", dec_q(5, -1, DecimalSi)),
            ("0.00050k", dec_q(5, -1, DecimalSi)),
            ("0.00500", dec_q(5, -3, DecimalSi)),
            ("0.05000", dec_q(5, -2, DecimalSi)),
            ("0.50000", dec_q(5, -1, DecimalSi)),
            ("0.5e0", dec_q(5, -1, DecimalExponent)),
            ("0.5e-1", dec_q(5, -2, DecimalExponent)),
            ("0.5e-2", dec_q(5, -3, DecimalExponent)),
            ("0.5e0", dec_q(5, -1, DecimalExponent)),
            ("10.035M", dec_q(10035, 3, DecimalSi)),
            ("1.2e3", dec_q(12, 2, DecimalExponent)),
            ("1.3E+6", dec_q(13, 5, DecimalExponent)),
            ("1.40e9", dec_q(14, 8, DecimalExponent)),
            ("1.53E12", dec_q(153, 10, DecimalExponent)),
            ("1.6e15", dec_q(16, 14, DecimalExponent)),
            ("1.7E18", dec_q(17, 17, DecimalExponent)),
            ("9.01", dec_q(901, -2, DecimalSi)),
            ("8.1k", dec_q(81, 2, DecimalSi)),
            ("7.123456M", dec_q(7123456, 0, DecimalSi)),
            ("6.987654321G", dec_q(6987654321, 0, DecimalSi)),
            ("5.444T", dec_q(5444, 9, DecimalSi)),
            ("40.1T", dec_q(401, 11, DecimalSi)),
            ("300.2T", dec_q(3002, 11, DecimalSi)),
            ("2.5P", dec_q(25, 14, DecimalSi)),
            ("1.01E", dec_q(101, 16, DecimalSi)),
            // Things that saturate/round
            ("3.001n", dec_q(4, -9, DecimalSi)),
            ("1.1E-9", dec_q(2, -9, DecimalExponent)),
            ("0.0000000001", dec_q(1, -9, DecimalSi)),
            ("0.0000000005", dec_q(1, -9, DecimalSi)),
            ("0.00000000050", dec_q(1, -9, DecimalSi)),
            ("0.5e-9", dec_q(1, -9, DecimalExponent)),
            ("0.9n", dec_q(1, -9, DecimalSi)),
            ("0.00000012345", dec_q(124, -9, DecimalSi)),
            ("0.00000012354", dec_q(124, -9, DecimalSi)),
            ("9Ei", dec_q(MOST_POSITIVE, 0, BinarySi)),
            ("9223372036854775807Ki", dec_q(MOST_POSITIVE, 0, BinarySi)),
            ("12E", dec_q(12, 18, DecimalSi)),
            // We'll accept fractional binary stuff, too.
            ("100.035Ki", dec_q(10243584, -2, BinarySi)),
            ("0.5Mi", dec_q(512 * 1024, 0, BinarySi)),
            ("0.05Gi", dec_q(536870912, -1, BinarySi)),
            ("0.025Ti", dec_q(274877906944, -1, BinarySi)),
            // Things written by trolls
            ("0.000000000001Ki", dec_q(2, -9, DecimalSi)), // rounds up, changes format
            (".001", dec_q(1, -3, DecimalSi)),
            (".0001k", dec_q(100, -3, DecimalSi)),
            ("1.", dec_q(1, 0, DecimalSi)),
            ("1.G", dec_q(1, 9, DecimalSi)),
        ];
        for decimal in [false, true] {
            for (input, expect) in &table {
                let got = if decimal { as_dec(&q(input)) } else { q(input) };
                assert_eq!(got.cmp(expect), Ordering::Equal, "{input}: got {got}, want {expect}");
                assert_eq!(got.format(), expect.format(), "{input}");
                // Decompose and rebuild: the same value again.
                let Ok(s) = scan(input.as_bytes()) else { panic!("{input}") };
                assert_eq!(s.positive, got.sign() >= 0, "{input}");
                let mut rebuilt = if s.positive { String::new() } else { "-".to_owned() };
                rebuilt += std::str::from_utf8(s.num).unwrap_or_default();
                if !s.denom.is_empty() {
                    rebuilt += ".";
                    rebuilt += std::str::from_utf8(s.denom).unwrap_or_default();
                }
                rebuilt += std::str::from_utf8(s.suffix).unwrap_or_default();
                assert_eq!(q(&rebuilt).cmp(&got), Ordering::Equal, "{input} vs {rebuilt}");
                for format in [DecimalSi, BinarySi, DecimalExponent] {
                    let round_trip = Quantity { amount: Amount::Dec(got.amount.to_dec()), format, text: None };
                    assert_eq!(round_trip.cmp(&got), Ordering::Equal, "{input}");
                }
            }
            // The negative and the explicitly positive version of everything.
            for (input, expect) in &table {
                let negative = q(&format!("-{input}"));
                let negative = if decimal { as_dec(&negative) } else { negative };
                assert_eq!(negative.cmp(&expect.neg()), Ordering::Equal, "-{input}");
                assert_eq!(negative.format(), expect.format(), "-{input}");
                let positive = q(&format!("+{input}"));
                let positive = if decimal { as_dec(&positive) } else { positive };
                assert_eq!(positive.cmp(expect), Ordering::Equal, "+{input}");
                assert_eq!(positive.format(), expect.format(), "+{input}");
            }
        }
        for invalid in ["1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 "] {
            assert!(Quantity::parse(invalid).is_err(), "{invalid:?} parsed");
        }
    }

    #[test]
    fn quantity_cmp_int64_and_dec() {
        let table = [
            (int_q(901, -2, DecimalSi), int_q(901, -2, DecimalSi), 0),
            (int_q(90, -1, DecimalSi), int_q(901, -2, DecimalSi), -1),
            (int_q(901, -2, DecimalSi), int_q(900, -2, DecimalSi), 1),
            (int_q(0, 0, DecimalSi), int_q(0, 0, DecimalSi), 0),
            (int_q(0, 1, DecimalSi), int_q(0, -1, DecimalSi), 0),
            (int_q(0, -1, DecimalSi), int_q(0, 1, DecimalSi), 0),
            (int_q(800, -3, DecimalSi), int_q(1, 0, DecimalSi), -1),
            (int_q(800, -3, DecimalSi), int_q(79, -2, DecimalSi), 1),
            (int_q(MOST_POSITIVE, 0, DecimalSi), int_q(1, -1, DecimalSi), 1),
            (int_q(MOST_POSITIVE, 1, DecimalSi), int_q(1, 0, DecimalSi), 1),
            (int_q(MOST_POSITIVE, 1, DecimalSi), int_q(1, 1, DecimalSi), 1),
            (int_q(MOST_POSITIVE, 1, DecimalSi), int_q(0, 1, DecimalSi), 1),
            (int_q(MOST_POSITIVE, -16, DecimalSi), int_q(1, 3, DecimalSi), -1),
            (int_q(MOST_NEGATIVE, 0, DecimalSi), int_q(0, 0, DecimalSi), -1),
            (int_q(MOST_NEGATIVE, -18, DecimalSi), int_q(-1, 0, DecimalSi), -1),
            (int_q(MOST_NEGATIVE, -19, DecimalSi), int_q(-1, 0, DecimalSi), 1),
            (int_q(1_000_000_000_000_000_000, -17, DecimalSi), int_q(1, 1, DecimalSi), 0),
            (int_q(1_000_000_000_000_000_000, -17, DecimalSi), int_q(-10, 0, DecimalSi), 1),
            (int_q(-1_000_000_000_000_000_000, -17, DecimalSi), int_q(-10, 0, DecimalSi), 0),
            (int_q(1_000_000_000_000_000_000, -17, DecimalSi), int_q(1, 0, DecimalSi), 1),
            (int_q(1_000_000_000_000_000_001, -17, DecimalSi), int_q(1, 1, DecimalSi), 1),
            (int_q(999_999_999_999_999_999, -17, DecimalSi), int_q(1, 1, DecimalSi), -1),
        ];
        for (a, b, expect) in &table {
            for (a, b) in
                [(a.clone(), b.clone()), (as_dec(a), b.clone()), (a.clone(), as_dec(b)), (as_dec(a), as_dec(b))]
            {
                assert_eq!(a.cmp(&b) as i8, *expect, "{a:?} {b:?}");
                assert_eq!(b.cmp(&a) as i8, -*expect, "{b:?} {a:?}");
            }
        }
    }

    #[test]
    fn quantity_neg() {
        for a in [int_q(901, -2, DecimalSi), dec_q(901, -2, DecimalSi)] {
            let out = a.neg();
            assert_ne!(out.cmp(&a), Ordering::Equal);
            assert_eq!(out.canonical(), "-9010m");
        }
    }

    #[test]
    fn quantity_string() {
        let table = [
            (dec_q(1024 * 1024 * 1024, 0, BinarySi), "1Gi", "1024Mi"),
            (dec_q(300 * 1024 * 1024, 0, BinarySi), "300Mi", "307200Ki"),
            (dec_q(6 * 1024, 0, BinarySi), "6Ki", ""),
            (dec_q(1001 * 1024 * 1024 * 1024, 0, BinarySi), "1001Gi", "1025024Mi"),
            (dec_q(1024 * 1024 * 1024 * 1024, 0, BinarySi), "1Ti", "1024Gi"),
            (dec_q(5, 0, BinarySi), "5", "5000m"),
            (dec_q(500, -3, BinarySi), "500m", "0.5"),
            (dec_q(1, 9, DecimalSi), "1G", "1000M"),
            (dec_q(1000, 6, DecimalSi), "1G", "0.001T"),
            (dec_q(1000000, 3, DecimalSi), "1G", ""),
            (dec_q(1000000000, 0, DecimalSi), "1G", ""),
            (dec_q(1, -3, DecimalSi), "1m", "1000u"),
            (dec_q(80, -3, DecimalSi), "80m", ""),
            (dec_q(1080, -3, DecimalSi), "1080m", "1.08"),
            (dec_q(108, -2, DecimalSi), "1080m", "1080000000n"),
            (dec_q(10800, -4, DecimalSi), "1080m", ""),
            (dec_q(300, 6, DecimalSi), "300M", ""),
            (dec_q(1, 12, DecimalSi), "1T", ""),
            (dec_q(1234567, 6, DecimalSi), "1234567M", ""),
            (dec_q(1234567, -3, BinarySi), "1234567m", ""),
            (dec_q(3, 3, DecimalSi), "3k", ""),
            (dec_q(1025, 0, BinarySi), "1025", ""),
            (dec_q(0, 0, DecimalSi), "0", ""),
            (dec_q(0, 0, BinarySi), "0", ""),
            (dec_q(1, 9, DecimalExponent), "1e9", ".001e12"),
            (dec_q(1, -3, DecimalExponent), "1e-3", "0.001e0"),
            (dec_q(1, -9, DecimalExponent), "1e-9", "1000e-12"),
            (dec_q(80, -3, DecimalExponent), "80e-3", ""),
            (dec_q(300, 6, DecimalExponent), "300e6", ""),
            (dec_q(1, 12, DecimalExponent), "1e12", ""),
            (dec_q(1, 3, DecimalExponent), "1e3", ""),
            (dec_q(3, 3, DecimalExponent), "3e3", ""),
            (dec_q(3, 3, DecimalSi), "3k", ""),
            (dec_q(0, 0, DecimalExponent), "0", "00"),
            (dec_q(1, -9, DecimalSi), "1n", ""),
            (dec_q(80, -9, DecimalSi), "80n", ""),
            (dec_q(1080, -9, DecimalSi), "1080n", ""),
            (dec_q(108, -8, DecimalSi), "1080n", ""),
            (dec_q(10800, -10, DecimalSi), "1080n", ""),
            (dec_q(1, -6, DecimalSi), "1u", ""),
            (dec_q(80, -6, DecimalSi), "80u", ""),
            (dec_q(1080, -6, DecimalSi), "1080u", ""),
        ];
        for (input, expect, alternate) in &table {
            assert_eq!(input.canonical(), *expect, "{input:?}");
            let parsed = q(expect);
            assert_eq!(parsed.text.as_deref(), Some(*expect), "{expect}: canonical text not kept");
            if !alternate.is_empty() {
                let parsed = q(alternate);
                assert_eq!(parsed.text, None, "{alternate}: non-canonical text kept");
                assert_eq!(parsed.canonical(), *expect, "{alternate}");
            }
            if !input.is_zero() {
                assert_eq!(input.neg().canonical(), format!("-{expect}"), "{input:?}");
            }
        }
    }

    #[test]
    fn quantity_parse_emit() {
        let table = [
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
            (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"),
            (".000000000001Ki", "2n"),
        ];
        for (input, expect) in table {
            assert_eq!(q(input).canonical(), expect, "{input}");
            assert_eq!(q(&format!("-{input}")).canonical(), format!("-{expect}"), "-{input}");
        }
    }

    #[test]
    fn json_whitespace() {
        for (input, expect) in [
            (r#"" 1""#, "1"),
            (r#""1 ""#, "1"),
            ("1", "1"),
            (" 1", "1"),
            ("1 ", "1"),
            ("10", "10"),
            ("-1", "-1"),
            (" -1", "-1"),
        ] {
            let value: serde_json::Value = serde_json::from_str(input).unwrap_or_default();
            assert_eq!(canonicalize_json(&value).as_deref(), Ok(expect), "{input}");
        }
    }

    #[test]
    fn milli_new_set() {
        for (value, format, expect, exact) in [
            (1, DecimalSi, "1m", true),
            (1000, DecimalSi, "1", true),
            (1234000, DecimalSi, "1234", true),
            (1024, BinarySi, "1024m", false), // Format changes
            (1000000, DecimalExponent, "1e3", true),
            (1024 * 1024, BinarySi, "1048576m", false), // Format changes
        ] {
            let made = Quantity::from_milli(value, format);
            assert_eq!(made.canonical(), expect);
            if exact {
                assert_eq!(q(&made.canonical()).milli_value(), value);
            }
        }
    }

    #[test]
    fn new_set() {
        for (value, format, expect) in [
            (1, DecimalSi, "1"),
            (1000, DecimalSi, "1k"),
            (1234000, DecimalSi, "1234k"),
            (1024, BinarySi, "1Ki"),
            (1000000, DecimalExponent, "1e6"),
            (1024 * 1024, BinarySi, "1Mi"),
        ] {
            for made in [Quantity::from_int(value, format), as_dec(&Quantity::from_int(value, format))] {
                assert_eq!(made.canonical(), expect);
                assert_eq!(q(&made.canonical()).value(), value);
            }
        }
    }

    #[test]
    fn new_scaled_set() {
        for (value, scale, expect) in [
            (1, -9, "1n"),
            (1000, -9, "1u"),
            (1, -6, "1u"),
            (1000, -6, "1m"),
            (1, -3, "1m"),
            (1000, -3, "1"),
            (1, 0, "1"),
            (0, -9, "0"),
            (0, -6, "0"),
            (0, -3, "0"),
            (0, 0, "0"),
        ] {
            let made = Quantity::from_scaled(value, scale);
            assert_eq!(made.canonical(), expect);
            assert_eq!(q(&made.canonical()).scaled_value(scale), value);
        }
    }

    #[test]
    fn scaled_value_between_scales() {
        for (from, to, expected) in [
            (-9, -9, 1),
            (-9, -6, 1),
            (-9, -3, 1),
            (-9, 0, 1),
            (-6, -9, 1000),
            (-6, -6, 1),
            (-6, -3, 1),
            (-6, 0, 1),
            (-3, -9, 1000 * 1000),
            (-3, -6, 1000),
            (-3, -3, 1),
            (-3, 0, 1),
            (0, -9, 1000 * 1000 * 1000),
            (0, -6, 1000 * 1000),
            (0, -3, 1000),
            (0, 0, 1),
            (2, -2, 100 * 100),
        ] {
            assert_eq!(Quantity::from_scaled(1, from).scaled_value(to), expected, "{from} -> {to}");
        }
    }

    #[test]
    fn uninitialized_no_crash() {
        let zero = Quantity::default();
        assert_eq!((zero.value(), zero.milli_value(), zero.canonical()), (0, 0, "0".to_owned()));
    }

    #[test]
    fn sub() {
        for (a, b, expected) in [
            (dec_q(10, 0, DecimalSi), dec_q(1, 1, DecimalSi), dec_q(0, 0, DecimalSi)),
            (dec_q(10, 0, DecimalSi), dec_q(1, 0, BinarySi), dec_q(9, 0, DecimalSi)),
            (dec_q(10, 0, BinarySi), dec_q(1, 0, DecimalSi), dec_q(9, 0, BinarySi)),
            (Quantity::default(), dec_q(50, 0, DecimalSi), dec_q(-50, 0, DecimalSi)),
            (dec_q(50, 0, DecimalSi), Quantity::default(), dec_q(50, 0, DecimalSi)),
            (Quantity::default(), Quantity::default(), dec_q(0, 0, DecimalSi)),
        ] {
            assert_eq!(a.sub(&b).cmp(&expected), Ordering::Equal, "{a} - {b}");
        }
    }

    #[test]
    fn neg() {
        for (a, expected) in [
            (int_q(0, 0, DecimalSi), int_q(0, 0, DecimalSi)),
            (Quantity::default(), Quantity::default()),
            (int_q(10, 0, BinarySi), int_q(-10, 0, BinarySi)),
            (int_q(-10, 0, BinarySi), int_q(10, 0, BinarySi)),
            (dec_q(0, 0, DecimalSi), int_q(0, 0, DecimalSi)),
            (dec_q(10, 0, BinarySi), int_q(-10, 0, BinarySi)),
            (dec_q(-10, 0, BinarySi), int_q(10, 0, BinarySi)),
        ] {
            assert_eq!(a.neg().cmp(&expected), Ordering::Equal, "-{a}");
        }
    }

    #[test]
    fn add() {
        for (a, b, expected) in [
            (dec_q(10, 0, DecimalSi), dec_q(1, 1, DecimalSi), dec_q(20, 0, DecimalSi)),
            (dec_q(10, 0, DecimalSi), dec_q(1, 0, BinarySi), dec_q(11, 0, DecimalSi)),
            (dec_q(10, 0, BinarySi), dec_q(1, 0, DecimalSi), dec_q(11, 0, BinarySi)),
            (Quantity::default(), dec_q(50, 0, DecimalSi), dec_q(50, 0, DecimalSi)),
            (dec_q(50, 0, DecimalSi), Quantity::default(), dec_q(50, 0, DecimalSi)),
            (Quantity::default(), Quantity::default(), dec_q(0, 0, DecimalSi)),
        ] {
            let sum = a.add(&b);
            assert_eq!(sum.cmp(&expected), Ordering::Equal, "{a} + {b}");
            assert_eq!(sum.format(), expected.format(), "{a} + {b}");
        }
    }

    /// A fixed pseudo-random sequence of non-negative i64 (xorshift64*).
    fn random_i63(state: &mut u64) -> i64 {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 1) as i64
    }

    #[test]
    fn add_sub_round_trip() {
        let mut state = 0x9E37_79B9_7F4A_7C15;
        for k in -10..=10 {
            let mut sum = Quantity::default();
            let order: Vec<i64> = (0..100).map(|_| random_i63(&mut state)).collect();
            for &j in &order {
                sum = sum.add(&Quantity::from_scaled(j, k));
            }
            for &j in &order {
                sum = sum.sub(&Quantity::from_scaled(j, k));
            }
            assert!(sum.is_zero(), "{k}: {sum}");
        }
    }

    #[test]
    fn add_sub_round_trip_across_scales() {
        let mut state = 0x0123_4567_89AB_CDEF;
        let order: Vec<i64> = (0..100).map(|_| random_i63(&mut state)).collect();
        let mut sum = Quantity::default();
        for &j in &order {
            sum = sum.add(&Quantity::from_scaled(j, (j % 20 - 10) as i32));
        }
        for &j in &order {
            sum = sum.sub(&Quantity::from_scaled(j, (j % 20 - 10) as i32));
        }
        assert!(sum.is_zero(), "{sum}");
    }

    #[test]
    fn negate_round_trip() {
        let mut state = 42;
        for decimal in [false, true] {
            for k in -10..=10 {
                for _ in 0..100 {
                    let value = Quantity::from_scaled(random_i63(&mut state), k);
                    let value = if decimal { as_dec(&value) } else { value };
                    assert_eq!(value.neg().neg().cmp(&value), Ordering::Equal, "{value}");
                }
            }
        }
    }

    #[test]
    fn examples() {
        assert_eq!(Quantity::from_int(5 * 1024 * 1024 * 1024, BinarySi).canonical(), "5Gi");
        assert_eq!(Quantity::from_int(5 * 1000 * 1000 * 1000, DecimalSi).canonical(), "5G");
        assert_eq!(Quantity::from_milli(5300, DecimalSi).canonical(), "5300m");
        let memory = q("5Gi");
        assert_eq!((memory.value(), memory.format().as_str()), (5368709120, "BinarySI"));
        let disk = q("5G");
        assert_eq!((disk.value(), disk.format().as_str()), (5000000000, "DecimalSI"));
        assert_eq!(q("5300m").milli_value(), 5300);
        assert_eq!(q("5.4").milli_value(), 5400);
        assert_eq!(q("1Mi").value(), 1024 * 1024);
        assert!(Quantity::parse("invalid").is_err());
    }

    // ---- Ported from amount_test.go, math_test.go and scale_int_test.go ----

    #[test]
    fn int64_amount_add() {
        let amount = |value, scale| IntAmount { value, scale };
        for (a, b, c, ok) in [
            (amount(100, 1), amount(10, 2), amount(200, 1), true),
            (amount(100, 1), amount(1, 2), amount(110, 1), true),
            (amount(100, 1), amount(1, 100), amount(1, 100), false),
            (amount(-5, 2), amount(50, 1), amount(0, 1), true),
            (amount(-5, 2), amount(5, 2), amount(0, 2), true),
            (amount(MOST_POSITIVE, -1), amount(1, -1), amount(0, -1), false),
            (amount(MOST_POSITIVE, -1), amount(0, -1), amount(MOST_POSITIVE, -1), true),
            (amount(MOST_POSITIVE / 10, 1), amount(10, 0), amount(MOST_POSITIVE, -1), false),
        ] {
            assert_eq!(a.add(b), ok.then_some(c), "{a:?} + {b:?}");
            assert_eq!(b.add(a), ok.then_some(c), "{b:?} + {a:?}");
        }
    }

    #[test]
    fn int64_as_canonical_string() {
        for (value, scale, result, exponent) in
            [(100, 0, "100", 0), (100, 1, "1", 3), (100, -1, "10", 0), (10800, -10, "1080", -9)]
        {
            assert_eq!(IntAmount { value, scale }.canonical_base10(), (result.to_owned(), exponent));
        }
    }

    #[test]
    fn int64_amount_as_scaled_int64() {
        for (value, scale, scaled, result, ok) in [
            (100, 0, 5, 1, true),
            (100, 1, 1, 100, true),
            (100, 5, 2, 100000, true),
            (876, 30, 4, 0, false),
            (93, -1, 0, 10, true),
            (100, -1, 0, 10, true),
            (-1932, 2, 4, -20, true),
            (-1900, 2, 4, -19, true),
        ] {
            assert_eq!(IntAmount { value, scale }.as_scaled_i64(scaled), (result, ok), "{value}e{scale} at {scaled}");
        }
    }

    #[test]
    fn detect_overflow_add() {
        for (a, b, c, ok) in [
            (0, 0, 0, true),
            (-1, 1, 0, true),
            (0, 1, 1, true),
            (2, 2, 4, true),
            (2, -2, 0, true),
            (-2, -2, -4, true),
            (MOST_NEGATIVE, -1, 0, false),
            (MOST_NEGATIVE, 1, MOST_NEGATIVE + 1, true),
            (MOST_POSITIVE, -1, MOST_POSITIVE - 1, true),
            (MOST_POSITIVE, 1, 0, false),
            (MOST_NEGATIVE, MOST_POSITIVE, -1, true),
            (MOST_POSITIVE, MOST_NEGATIVE, -1, true),
            (MOST_POSITIVE, MOST_POSITIVE, 0, false),
            (MOST_NEGATIVE, MOST_NEGATIVE, 0, false),
            (-MOST_POSITIVE, MOST_NEGATIVE, 0, false),
            (MOST_NEGATIVE, -MOST_POSITIVE, 0, false),
            (-MOST_POSITIVE, -MOST_POSITIVE, 0, false),
        ] {
            assert_eq!(int64_add(a, b), ok.then_some(c), "{a} + {b}");
            assert_eq!(int64_add(b, a), ok.then_some(c), "{b} + {a}");
        }
    }

    #[test]
    fn detect_overflow_multiply() {
        for (a, b, c, ok) in [
            (0, 0, 0, true),
            (-1, 1, -1, true),
            (-1, -1, 1, true),
            (1, 1, 1, true),
            (0, 1, 0, true),
            (1, 0, 0, true),
            (2, 2, 4, true),
            (2, -2, -4, true),
            (-2, -2, 4, true),
            (MOST_NEGATIVE, -1, 0, false),
            (MOST_NEGATIVE, 1, MOST_NEGATIVE, true),
            (MOST_POSITIVE, -1, -MOST_POSITIVE, true),
            (MOST_POSITIVE, 1, MOST_POSITIVE, true),
            (MOST_NEGATIVE, MOST_POSITIVE, 0, false),
            (MOST_POSITIVE, MOST_NEGATIVE, 0, false),
            (MOST_POSITIVE, MOST_POSITIVE, 1, false),
            (MOST_NEGATIVE, MOST_NEGATIVE, 0, false),
            (-MOST_POSITIVE, MOST_NEGATIVE, 0, false),
            (MOST_NEGATIVE, -MOST_POSITIVE, 0, false),
            (-MOST_POSITIVE, -MOST_POSITIVE, 1, false),
        ] {
            assert_eq!(int64_multiply(a, b), ok.then_some(c), "{a} * {b}");
            assert_eq!(int64_multiply(b, a), ok.then_some(c), "{b} * {a}");
        }
    }

    #[test]
    fn detect_overflow_scale() {
        for a in [0, -1, 1, 10, -10, MOST_POSITIVE, MOST_NEGATIVE, -MOST_POSITIVE] {
            for b in [2, 10, 100, 1000, MOST_POSITIVE] {
                let expect = int64_multiply(a, b);
                let (c, ok) = int64_multiply_scale(a, b);
                assert_eq!(ok, expect.is_some(), "{a} * {b}");
                if let Some(expect) = expect {
                    assert_eq!(c, expect, "{a} * {b}");
                }
            }
        }
    }

    #[test]
    fn remove_int64_factors() {
        for (value, base, result, times) in [(100, 10, 1, 2), (100, 100, 1, 1), (1, 10, 1, 0), (-2048, 1024, -2, 1)] {
            assert_eq!(remove_i64_factors(value, base), (result, times));
        }
    }

    #[test]
    fn negative_scale_int64() {
        for (base, scale, result, exact) in [
            (1234567, 0, 1234567, true),
            (1234567, 1, 123457, false),
            (1234567, 2, 12346, false),
            (1234567, 3, 1235, false),
            (1234567, 4, 124, false),
            (-1234567, 0, -1234567, true),
            (-1234567, 1, -123457, false),
            (-1234567, 2, -12346, false),
            (-1234567, 3, -1235, false),
            (-1234567, 4, -124, false),
            (1000, 0, 1000, true),
            (1000, 1, 100, true),
            (1000, 2, 10, true),
            (1000, 3, 1, true),
            (1000, 4, 1, false),
            (-1000, 0, -1000, true),
            (-1000, 1, -100, true),
            (-1000, 2, -10, true),
            (-1000, 3, -1, true),
            (-1000, 4, -1, false),
            (0, 0, 0, true),
            (0, 1, 0, true),
            (0, 2, 0, true),
            (1000, -1, 1000, true),
        ] {
            assert_eq!(negative_scale_i64(base, scale), (result, exact), "{base} / 10^{scale}");
        }
    }

    #[test]
    fn scaled_value_internal() {
        let big = |v| BigInt::from_i64(v);
        let Some(ten_to_100) = BigInt::from_digits(false, format!("1{}", "0".repeat(100)).as_bytes()) else {
            panic!("10^100")
        };
        for (unscaled, scale, new_scale, want) in [
            (big(1000), 0, 0, 1000),
            (big(1000), 0, -3, 1),
            (big(1000), 3, 0, 1),
            (big(0), 3, 0, 0),
            (big(999), 3, 0, 1),
            (big(500), 3, 0, 1),
            (big(499), 3, 0, 1),
            (big(1), 3, 0, 1),
            (big(MOST_POSITIVE - 1), 1, 0, (MOST_POSITIVE - 1) / 10 + 1),
            (ten_to_100, 100, 0, 1),
            (big(0), 0, 3, 0),
            (big(1), 0, 3, 1000),
            (big(1), -3, 0, 1000),
            (big(1000), -3, 2, 100000000),
            (big(MOST_POSITIVE / 1000), 0, 3, (MOST_POSITIVE / 1000) * 1000),
        ] {
            assert_eq!(scaled_value(&unscaled, scale, new_scale), want, "{unscaled} at {scale} -> {new_scale}");
        }
    }

    #[test]
    fn oversized_amounts_are_refused_not_built() {
        assert_eq!(Quantity::parse("12345678901234567890e999999999").err(), Some(QuantityError::Numeric));
        let huge = q("1e2147483647");
        let sum = huge.add(&q("1"));
        assert_eq!(sum.cmp(&huge), Ordering::Equal);
        assert_eq!(huge.checked_add(&q("1")).map(|s| s.canonical()), None);
        // Binary output falls back to the exponent form; DecimalSI drops a
        // suffix it has no letter for, as kube-apiserver does.
        assert_eq!(q("1Ki").add(&huge).canonical(), "10e2147483646");
        assert_eq!(q("1").sub(&huge).canonical(), "-10");
        // Exact, without building 10^2147483647: the compare kube-apiserver panics on.
        assert_eq!(huge.cmp(&q("1e-9")), Ordering::Greater);
        assert_eq!(q("3449.236e-2147483640").canonical(), "1e-9");
    }
}
