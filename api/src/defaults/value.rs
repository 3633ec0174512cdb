//! Helpers that read and fill JSON objects with Go's zero-value semantics.
//!
//! kube-apiserver defaults typed Go structs, where "unset" means the Go zero
//! value: a nil pointer, an empty string, a zero number, an empty slice. In
//! JSON the same field is unset when it is missing or `null`, and, for
//! non-pointer fields, also when it holds the zero value itself.

use serde_json::{Map, Value};

/// A JSON object: the body of a Go struct or map.
pub(super) type Object = Map<String, Value>;

/// The object under `key`, if there is one.
pub(super) fn child<'a>(object: &'a mut Object, key: &str) -> Option<&'a mut Object> {
    object.get_mut(key).and_then(Value::as_object_mut)
}

/// The object under `key`, created empty when the field is unset, like a Go
/// non-pointer struct (or a pointer a defaulter allocates). `None` when the
/// field holds something that is not an object.
pub(super) fn ensure_child<'a>(object: &'a mut Object, key: &str) -> Option<&'a mut Object> {
    if is_nil(object, key) {
        object.insert(key.to_owned(), Value::Object(Object::new()));
    }
    child(object, key)
}

/// The objects in the array under `key`.
pub(super) fn children<'a>(object: &'a mut Object, key: &str) -> impl Iterator<Item = &'a mut Object> {
    object.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten().filter_map(Value::as_object_mut)
}

/// The string under `key`, if it is one.
pub(super) fn str_at<'a>(object: &'a Object, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

/// Whether a Go pointer, slice or map field is nil: missing or `null`.
pub(super) fn is_nil(object: &Object, key: &str) -> bool {
    matches!(object.get(key), None | Some(Value::Null))
}

/// Whether a Go string field is "": missing, `null` or empty.
pub(super) fn is_empty_str(object: &Object, key: &str) -> bool {
    match object.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// Whether a Go number field is 0: missing, `null` or zero.
pub(super) fn is_zero_number(object: &Object, key: &str) -> bool {
    match object.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(_) => false,
    }
}

/// Whether a Go slice or map field has no elements.
pub(super) fn is_empty(object: &Object, key: &str) -> bool {
    match object.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    }
}

/// Whether a Go bool field is true.
pub(super) fn is_true(object: &Object, key: &str) -> bool {
    object.get(key).and_then(Value::as_bool) == Some(true)
}

/// Sets a pointer field that is nil.
pub(super) fn default_value(object: &mut Object, key: &str, value: Value) {
    if is_nil(object, key) {
        object.insert(key.to_owned(), value);
    }
}

/// Sets a string field that is "".
pub(super) fn default_str(object: &mut Object, key: &str, value: &str) {
    if is_empty_str(object, key) {
        object.insert(key.to_owned(), Value::String(value.to_owned()));
    }
}

/// Sets a number field that is 0.
pub(super) fn default_number(object: &mut Object, key: &str, value: i64) {
    if is_zero_number(object, key) {
        object.insert(key.to_owned(), Value::from(value));
    }
}

/// Gives a workload without labels its pod template's labels
/// (`spec.template.metadata.labels`), as the Job and ReplicationController
/// defaulters do; returns the template's labels when it has any.
pub(super) fn default_labels_from_template(object: &mut Object) -> Option<Value> {
    let labels = object
        .get("spec")
        .and_then(|spec| spec.get("template"))
        .and_then(|template| template.get("metadata"))
        .and_then(|metadata| metadata.get("labels"))
        .filter(|labels| labels.as_object().is_some_and(|m| !m.is_empty()))
        .cloned()?;
    if let Some(metadata) = ensure_child(object, "metadata")
        && is_empty(metadata, "labels")
    {
        metadata.insert("labels".to_owned(), labels.clone());
    }
    Some(labels)
}

/// Whether the object has no metadata.resourceVersion, which kube-apiserver
/// requires of a create and which every stored object has: the few
/// create-only steps run only then.
pub(super) fn is_new(object: &Object) -> bool {
    match object.get("metadata").and_then(Value::as_object) {
        Some(metadata) => is_empty_str(metadata, "resourceVersion"),
        None => true,
    }
}
