//! Lenient readers for versioned JSON objects: a missing or mistyped field reads as the Go
//! zero value, the way a decoded Go struct would hold it.

use serde_json::Value;

/// The value at `path`, if every step exists.
pub(super) fn get<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// Whether `path` holds a non-null value (a non-nil pointer in Go).
pub(super) fn is_set(value: &Value, path: &[&str]) -> bool {
    get(value, path).is_some_and(|v| !v.is_null())
}

/// The string at `path`, if it is one.
pub(super) fn opt_str<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(value, path).and_then(Value::as_str)
}

/// The string at `path`, or "".
pub(super) fn str_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    opt_str(value, path).unwrap_or("")
}

/// The integer at `path`, if it is one.
pub(super) fn opt_int(value: &Value, path: &[&str]) -> Option<i64> {
    get(value, path).and_then(as_int)
}

/// The integer at `path`, or 0.
pub(super) fn int_at(value: &Value, path: &[&str]) -> i64 {
    opt_int(value, path).unwrap_or(0)
}

/// A JSON number as an integer (integral floats included).
pub(super) fn as_int(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18).map(|f| f as i64))
}

/// The boolean at `path`, if it is one.
pub(super) fn opt_bool(value: &Value, path: &[&str]) -> Option<bool> {
    get(value, path).and_then(Value::as_bool)
}

/// The boolean at `path`, or false.
pub(super) fn bool_at(value: &Value, path: &[&str]) -> bool {
    opt_bool(value, path).unwrap_or(false)
}

/// The array at `path`, or an empty slice.
pub(super) fn arr_at<'a>(value: &'a Value, path: &[&str]) -> &'a [Value] {
    get(value, path).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The object at `path`, if it is one.
pub(super) fn obj_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a serde_json::Map<String, Value>> {
    get(value, path).and_then(Value::as_object)
}

/// The number of entries of the map or list at `path` (Go's `len`).
pub(super) fn len_at(value: &Value, path: &[&str]) -> i64 {
    let len = match get(value, path) {
        Some(Value::Object(map)) => map.len(),
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    };
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// `metadata.name`.
pub(super) fn name(object: &Value) -> &str {
    str_at(object, &["metadata", "name"])
}

/// The annotation `key`, if present.
pub(super) fn annotation<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    opt_str(object, &["metadata", "annotations", key])
}

/// Whether `metadata.deletionTimestamp` is set.
pub(super) fn is_deleting(object: &Value) -> bool {
    is_set(object, &["metadata", "deletionTimestamp"])
}

/// An IntOrString field as Go's `IntOrString.String()` prints it.
pub(super) fn int_or_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => as_int(other).unwrap_or(0).to_string(),
    }
}
