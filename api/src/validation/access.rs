//! Read helpers over objects in their versioned JSON form, treating absent
//! and null fields as Go's zero values, plus the semantic equality upstream
//! uses when comparing old and new objects.

use serde_json::{Map, Value};

use crate::quantity::Quantity;

/// The field, unless absent or null.
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v.get(key) {
        None | Some(Value::Null) => None,
        Some(x) => Some(x),
    }
}

/// The field, or null when absent or null, so that reads through it give Go's
/// zero values.
pub fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    get(v, key).unwrap_or(&NULL)
}

/// An object's `metadata` (null when absent).
pub fn meta_of(v: &Value) -> &Value {
    field(v, "metadata")
}

/// An object's `spec` (null when absent).
pub fn spec_of(v: &Value) -> &Value {
    field(v, "spec")
}

/// A pod template holder's `template` (null when absent).
pub fn template_of(v: &Value) -> &Value {
    field(v, "template")
}

/// The string field, "" when absent (Go's zero value).
pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    get(v, key).and_then(Value::as_str).unwrap_or("")
}

/// The string field when present (a Go *string).
pub fn opt_s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    get(v, key).and_then(Value::as_str)
}

/// The integer field when present.
pub fn opt_i(v: &Value, key: &str) -> Option<i64> {
    get(v, key).and_then(as_i64)
}

/// The integer field, 0 when absent.
pub fn i(v: &Value, key: &str) -> i64 {
    opt_i(v, key).unwrap_or(0)
}

/// A JSON number as an integer (floats with no fraction accepted).
pub fn as_i64(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// The boolean field when present.
pub fn opt_b(v: &Value, key: &str) -> Option<bool> {
    get(v, key).and_then(Value::as_bool)
}

/// The boolean field, false when absent.
pub fn b(v: &Value, key: &str) -> bool {
    opt_b(v, key).unwrap_or(false)
}

/// The list field, empty when absent.
pub fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    get(v, key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The object field when present.
pub fn obj<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    get(v, key).filter(|x| x.is_object())
}

/// The entries of a map field, sorted by key (upstream iterates Go maps in
/// random order; kubox reports in a stable one).
pub fn entries<'a>(v: &'a Value, key: &str) -> Vec<(&'a str, &'a Value)> {
    let mut out: Vec<(&str, &Value)> = match get(v, key).and_then(Value::as_object) {
        Some(m) => m.iter().map(|(k, x)| (k.as_str(), x)).collect(),
        None => Vec::new(),
    };
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

/// The entries of a string map field (labels, annotations), sorted by key.
pub fn string_map<'a>(v: &'a Value, key: &str) -> Vec<(&'a str, &'a str)> {
    entries(v, key).into_iter().map(|(k, x)| (k, x.as_str().unwrap_or(""))).collect()
}

/// A string list field.
pub fn strings<'a>(v: &'a Value, key: &str) -> Vec<&'a str> {
    arr(v, key).iter().map(|x| x.as_str().unwrap_or("")).collect()
}

/// A JSON value for a string list.
pub fn string_list_value(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|s| Value::String((*s).to_string())).collect())
}

/// A JSON value for a string map, or null when absent (a nil Go map).
pub fn string_map_value(v: &Value, key: &str) -> Value {
    match get(v, key).and_then(Value::as_object) {
        Some(m) => Value::Object(m.clone()),
        None => Value::Null,
    }
}

/// A resource.Quantity as kube-apiserver decodes it (a string, a bare number,
/// or null for zero); `None` when it would refuse the value.
pub fn quantity(v: &Value) -> Option<Quantity> {
    Quantity::from_json(v).ok()
}

/// Whether the field is absent, null, or an empty string, list or map.
pub fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(m)) => m.is_empty(),
        Some(_) => false,
    }
}

/// Map keys whose values are resource quantities, compared by value.
/// Semantic equality as upstream's apiequality.Semantic.DeepEqual sees it on
/// the decoded object: absent, null and empty collections are alike, quantities
/// compare by value.
pub fn semantic_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    semantic_eq_in(a, b, Ctx::Plain)
}

/// What the field being compared holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Plain,
    /// A quantity (`sizeLimit`, `divisor`).
    Quantity,
    /// A map of quantities (`requests`, `limits`, ...).
    QuantityMap,
}

fn ctx_of(key: &str) -> Ctx {
    match key {
        "requests" | "limits" | "capacity" | "allocatable" | "hard" | "used" | "overhead" | "allocatedResources" => {
            Ctx::QuantityMap
        }
        "sizeLimit" | "divisor" => Ctx::Quantity,
        _ => Ctx::Plain,
    }
}

fn semantic_eq_in(a: Option<&Value>, b: Option<&Value>, ctx: Ctx) -> bool {
    let a = a.filter(|x| !x.is_null());
    let b = b.filter(|x| !x.is_null());
    match (a, b) {
        (None, None) => true,
        (None, Some(x)) | (Some(x), None) => is_zero_value(x),
        (Some(Value::Object(x)), Some(Value::Object(y))) => maps_eq(x, y, ctx),
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| semantic_eq_in(Some(p), Some(q), Ctx::Plain))
        }
        (Some(x), Some(y)) if ctx != Ctx::Plain => match (quantity(x), quantity(y)) {
            (Some(p), Some(q)) => p == q,
            _ => x == y,
        },
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (Some(x), Some(y)) => x == y,
    }
}

/// Walks both maps' sorted keys side by side.
fn maps_eq(x: &Map<String, Value>, y: &Map<String, Value>, ctx: Ctx) -> bool {
    let quantity_map = ctx == Ctx::QuantityMap;
    let child = |k: &str| if quantity_map { Ctx::Quantity } else { ctx_of(k) };
    let (mut xs, mut ys) = (x.iter().peekable(), y.iter().peekable());
    loop {
        let (p, q) = match (xs.peek(), ys.peek()) {
            (None, None) => return true,
            (Some((kx, _)), Some((ky, _))) => match kx.cmp(ky) {
                std::cmp::Ordering::Equal => (xs.next(), ys.next()),
                std::cmp::Ordering::Less => (xs.next(), None),
                std::cmp::Ordering::Greater => (None, ys.next()),
            },
            (Some(_), None) => (xs.next(), None),
            (None, Some(_)) => (None, ys.next()),
        };
        let key = p.or(q).map(|(k, _)| k.as_str()).unwrap_or_default();
        let equal = match (p, q) {
            // A present quantity key is never the same as an absent one.
            (Some(_), None) | (None, Some(_)) if quantity_map => false,
            (p, q) => semantic_eq_in(p.map(|(_, v)| v), q.map(|(_, v)| v), child(key)),
        };
        if !equal {
            return false;
        }
    }
}

/// Whether a value decodes to a Go zero value, which kubox treats like an
/// absent field (upstream cannot tell most of them apart after decoding).
fn is_zero_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn zero_values_and_semantic_equality() {
        let v = json!({"a": "x", "n": null, "l": [1], "m": {"b": "2", "a": "1"}});
        assert_eq!(s(&v, "a"), "x");
        assert_eq!(s(&v, "n"), "");
        assert_eq!(opt_s(&v, "n"), None);
        assert_eq!(arr(&v, "l").len(), 1);
        assert_eq!(string_map(&v, "m"), vec![("a", "1"), ("b", "2")]);
        assert!(semantic_eq(Some(&json!({"a": []})), Some(&json!({}))));
        assert!(semantic_eq(
            Some(&json!({"resources": {"requests": {"storage": "1Gi"}}})),
            Some(&json!({"resources": {"requests": {"storage": "1024Mi"}}}))
        ));
        assert!(!semantic_eq(Some(&json!({"a": "x"})), Some(&json!({"a": "y"}))));
        assert!(semantic_eq(Some(&json!({"a": ""})), Some(&json!({}))));
    }

    #[test]
    fn quantities_decode_like_kube_apiserver() {
        let canon = |s: &str| quantity(&json!(s)).map(|q| q.canonical()).unwrap_or_default();
        for (input, want) in [
            ("500m", "500m"),
            ("0.5", "500m"),
            ("2000m", "2"),
            ("1000", "1k"),
            ("1Gi", "1Gi"),
            ("0.5Gi", "512Mi"),
            ("1.5Ki", "1536"),
            ("100", "100"),
            ("1e3", "1e3"),
            ("0", "0"),
            ("-1", "-1"),
            ("128974848", "128974848"),
            ("129e6", "129e6"),
            ("123Mi", "123Mi"),
            ("0.1m", "100u"),
            // Text kube-apiserver already holds as canonical prints as written.
            ("1.500", "1.500"),
            ("+1", "+1"),
        ] {
            assert_eq!(canon(input), want, "quantity {input}");
        }
        let q = |s: &str| quantity(&json!(s)).expect("valid quantity");
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert!(q("1") > q("999m"));
        assert_eq!(q("100m").milli_value(), 100);
        assert_eq!(q("100m").value(), 1);
        assert_eq!(q("1.5").milli_value(), 1500);
        assert_eq!(quantity(&json!(2)).map(|q| q.canonical()).as_deref(), Some("2"));
        assert!(quantity(&Value::Null).is_some_and(|q| q.is_zero()));
        assert!(quantity(&json!("abc")).is_none());
        assert!(quantity(&json!("1K")).is_none());
        assert!(quantity(&json!(true)).is_none());
    }
}
