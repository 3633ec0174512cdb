//! Resource quantities as `resource.Quantity.String()` prints them: the
//! canonical form ("1500m", "1Gi", "1536Mi", "12e3") of [`crate::quantity`],
//! or the original text when kube-apiserver would have kept it as already
//! canonical. Here only what a printer adds: nil and unparsable values.

use serde_json::Value;

use crate::quantity::Quantity;

/// `Quantity.String()` of a JSON quantity (a string, or a bare number).
pub(super) fn quantity_string(value: &Value) -> String {
    match Quantity::from_json(value) {
        Ok(quantity) => quantity.canonical(),
        // kube-apiserver would not have stored an unparsable quantity; show it as written.
        Err(_) => match value {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => "0".to_string(),
        },
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
        // Out-of-range inputs print without panicking; unparsable ones come back as written.
        for odd in ["1e-2147483648", "10e2147483647", "999999999999999999999999999999999999999999Ei", "1.2.3", "", "Gi"]
        {
            let _ = q(odd);
        }
        assert_eq!(q("1.2.3"), "1.2.3");
        assert_eq!(q(" 1.2.3 "), "1.2.3");
        assert_eq!(quantity_string(&serde_json::json!(true)), "0");
        assert_eq!(quantity_ptr(None), "<nil>");
        assert_eq!(quantity_or_zero(None), "0");
    }
}
