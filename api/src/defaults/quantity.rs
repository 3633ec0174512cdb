//! Quantities in a defaulted object. kube-apiserver decodes every
//! resource.Quantity and encodes it back, so a quantity from a request comes
//! back in canonical form ("1000m" becomes "1", "1024Mi" becomes "1Gi"), text
//! it already considers canonical kept verbatim; the parsing and printing are
//! [`crate::quantity`]'s.

use serde_json::Value;

use crate::quantity::Quantity;

/// A JSON quantity (a string, a bare number, or `null` for zero) as
/// kube-apiserver decodes it; `None` when it would refuse it.
pub(super) fn from_json(value: &Value) -> Option<Quantity> {
    Quantity::from_json(value).ok()
}

/// Rewrites a JSON quantity in the form kube-apiserver prints, first rounding
/// it up to milli units when `round_to_milli` (as kube-apiserver does to
/// resource lists). Text that does not parse is left alone.
pub(super) fn canonicalize(value: &mut Value, round_to_milli: bool) {
    let Some(mut quantity) = from_json(value) else { return };
    if round_to_milli {
        quantity.round_up(-3);
    }
    *value = Value::String(quantity.canonical());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        let mut v = Value::String(s.to_owned());
        canonicalize(&mut v, false);
        v.as_str().unwrap_or_default().to_owned()
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
    fn leaves_alone_what_kube_apiserver_rejects() {
        for input in ["", "abc", "1Z", "1.2.3", "e", "1K", "--1", "1 Gi"] {
            assert!(from_json(&Value::from(input)).is_none(), "quantity {input:?} should not parse");
            assert_eq!(canon(input), input, "quantity {input:?} is left as written");
        }
        let mut not_a_quantity = serde_json::json!(true);
        canonicalize(&mut not_a_quantity, true);
        assert_eq!(not_a_quantity, serde_json::json!(true));
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
    fn adds_and_compares() {
        let q = |s: &str| from_json(&Value::from(s)).unwrap_or_else(|| unreachable!("{s} parses"));
        let sum = q("500m").add(&q("1"));
        assert_eq!(sum.canonical(), "1500m");
        assert!(sum > q("1"));
        assert_eq!(q("64Mi").add(&q("64Mi")).canonical(), "128Mi");
    }

    #[test]
    fn numbers_and_null_are_quantities_too() {
        let mut v = serde_json::json!(0.5);
        canonicalize(&mut v, false);
        assert_eq!(v, serde_json::json!("500m"));
        let mut v = serde_json::json!(2);
        canonicalize(&mut v, false);
        assert_eq!(v, serde_json::json!("2"));
        // Go decodes a null map entry or list item into the zero Quantity.
        let mut v = Value::Null;
        canonicalize(&mut v, true);
        assert_eq!(v, serde_json::json!("0"));
    }
}
