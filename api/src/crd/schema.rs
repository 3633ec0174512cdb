//! A custom resource version's structural schema applied to objects, as
//! apiextensions-apiserver does: pruning of unknown fields (reported for
//! `fieldValidation`), defaulting from the schema's `default`s, and
//! validation with kube-openapi's messages turned into field errors.
//!
//! The schema is kept as the JSON of `openAPIV3Schema`; the walkers read it
//! directly. CEL rules (`x-kubernetes-validations`) are not evaluated here
//! yet: [`validate`] marks the place.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use crate::schema::Schema;
use crate::validation::field::{self, ErrorType, FieldError, Path, go_json};

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

fn flag(s: &Value, name: &str) -> bool {
    s.get(name).and_then(Value::as_bool).unwrap_or(false)
}

fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Removes the fields `schema` does not specify from a custom object (at the
/// root: everything but apiVersion, kind, metadata and the schema's
/// properties) and reports their paths. `metadata` is decoded as
/// kube-apiserver decodes ObjectMeta.
pub fn prune_object(schema: &Value, object: &mut Value, unknown: &mut Vec<String>) {
    let Some(m) = object.as_object_mut() else { return };
    if let Some(meta) = m.get_mut("metadata")
        && meta.is_object()
    {
        let mut meta_unknown = Vec::new();
        // A malformed metadata field is left for validation to report.
        let _ = Schema::get().decode(OBJECT_META, meta, &mut meta_unknown);
        unknown.extend(meta_unknown.into_iter().map(|p| format!("metadata.{p}")));
    }
    let keys: Vec<String> = m.keys().cloned().collect();
    for k in keys {
        if matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
            continue;
        }
        prune_field(schema, m, &k, "", unknown);
    }
}

/// Prunes one field of an object against the object's schema.
fn prune_field(schema: &Value, m: &mut Map<String, Value>, key: &str, path: &str, unknown: &mut Vec<String>) {
    let p = child_path(path, key);
    if let Some(prop) = schema.get("properties").and_then(|ps| ps.get(key)) {
        if let Some(v) = m.get_mut(key) {
            prune(prop, v, &p, unknown);
        }
        return;
    }
    match schema.get("additionalProperties") {
        Some(ap @ Value::Object(_)) => {
            if let Some(v) = m.get_mut(key) {
                prune(ap, v, &p, unknown);
            }
        }
        Some(Value::Bool(true)) => {}
        _ if flag(schema, "x-kubernetes-preserve-unknown-fields") => {}
        _ if flag(schema, "x-kubernetes-embedded-resource") && matches!(key, "apiVersion" | "kind" | "metadata") => {}
        _ => {
            m.remove(key);
            unknown.push(p);
        }
    }
}

/// Prunes a value against its schema.
pub fn prune(schema: &Value, value: &mut Value, path: &str, unknown: &mut Vec<String>) {
    match value {
        Value::Object(m) => {
            if schema.get("type").and_then(Value::as_str).is_some_and(|t| t != "object")
                && !flag(schema, "x-kubernetes-preserve-unknown-fields")
            {
                return;
            }
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                prune_field(schema, m, &k, path, unknown);
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter_mut().enumerate() {
                    prune(item_schema, v, &format!("{path}[{i}]"), unknown);
                }
            }
        }
        _ => {}
    }
}

fn is_non_nullable_null(v: &Value, s: &Value) -> bool {
    v.is_null() && !flag(s, "nullable")
}

/// Fills the schema's defaults into a value, as apiextensions' structural
/// defaulting: a missing property (or a `null` one that is not nullable)
/// gets its default, then every property is defaulted in turn.
pub fn default(schema: &Value, value: &mut Value) {
    match value {
        Value::Object(m) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (k, prop) in props {
                    let Some(d) = prop.get("default") else { continue };
                    let missing = match m.get(k) {
                        None => true,
                        Some(v) => is_non_nullable_null(v, prop),
                    };
                    if missing {
                        m.insert(k.clone(), d.clone());
                    }
                }
            }
            for (k, v) in m.iter_mut() {
                if let Some(prop) = schema.get("properties").and_then(|ps| ps.get(k)) {
                    default(prop, v);
                } else if let Some(ap @ Value::Object(_)) = schema.get("additionalProperties") {
                    default(ap, v);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for v in items {
                    default(item_schema, v);
                }
            }
        }
        _ => {}
    }
}

/// Defaults a whole custom object (the root's apiVersion, kind and metadata
/// are left alone).
pub fn default_object(schema: &Value, object: &mut Value) {
    let meta = object.as_object_mut().and_then(|m| m.remove("metadata"));
    default(schema, object);
    if let (Some(meta), Some(m)) = (meta, object.as_object_mut()) {
        m.insert("metadata".into(), meta);
    }
}

/// The JSON type name kube-openapi reports for a value.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if is_integer(n) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_integer(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.is_finite())
}

fn type_matches(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.as_number().is_some_and(is_integer),
        "number" => v.is_number(),
        _ => true,
    }
}

/// Formats a limit as Go's `%v` prints a float64 (`1`, `1.5`).
fn go_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 { format!("{}", n as i64) } else { format!("{n}") }
}

fn body_error(path: &str, value: Value, detail: String) -> FieldError {
    field::invalid(&Path::new(path), value, detail)
}

/// Validates a whole custom object against its version's schema, returning
/// kube-apiserver's field errors (paths from the object's root, kube-openapi's
/// `<path> in body ...` details).
pub fn validate_object(schema: &Value, object: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(m) = object.as_object() else {
        return errs;
    };
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for r in required.iter().filter_map(Value::as_str) {
            if !m.contains_key(r) {
                errs.push(field::required(&Path::new(r), ""));
            }
        }
    }
    for (k, v) in m {
        if k == "metadata" {
            continue;
        }
        if let Some(prop) = schema.get("properties").and_then(|ps| ps.get(k)) {
            validate(prop, v, k, &mut errs);
        }
    }
    errs
}

/// Validates one value against its schema node, appending to `errs`.
pub fn validate(s: &Value, v: &Value, path: &str, errs: &mut Vec<FieldError>) {
    if v.is_null() {
        if flag(s, "nullable") {
            return;
        }
        if flag(s, "x-kubernetes-int-or-string") {
            int_or_string_error(path, v, errs);
            return;
        }
        if let Some(ty) = s.get("type").and_then(Value::as_str) {
            errs.push(type_error(path, ty, v));
        }
        return;
    }
    if flag(s, "x-kubernetes-int-or-string") {
        if !(v.is_string() || v.as_number().is_some_and(is_integer)) {
            int_or_string_error(path, v, errs);
            return;
        }
    } else if let Some(ty) = s.get("type").and_then(Value::as_str)
        && !type_matches(ty, v)
    {
        errs.push(type_error(path, ty, v));
        return;
    }
    if let Some(allowed) = s.get("enum").and_then(Value::as_array)
        && !allowed.iter().any(|a| a == v)
    {
        let values: Vec<String> =
            allowed.iter().map(|a| a.as_str().map(str::to_string).unwrap_or_else(|| go_json(a))).collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        errs.push(field::not_supported(&Path::new(path), v.clone(), &refs));
    }
    match v {
        Value::String(text) => validate_string(s, text, path, errs),
        Value::Number(n) => validate_number(s, n, path, errs),
        Value::Array(items) => validate_array(s, items, path, errs),
        Value::Object(m) => validate_map(s, m, path, errs),
        _ => {}
    }
    // CEL: the rules of `x-kubernetes-validations` on this node would be
    // evaluated here, with `v` as `self` (and the old value for transition
    // rules). They are not evaluated yet, and refuse nothing.
}

fn type_error(path: &str, ty: &str, v: &Value) -> FieldError {
    let actual = type_name(v);
    FieldError {
        error_type: ErrorType::TypeInvalid,
        field: path.to_string(),
        bad_value: Some(json!(actual)),
        detail: format!("{path} in body must be of type {ty}: {}", field::go_quote(actual)),
    }
}

fn int_or_string_error(path: &str, v: &Value, errs: &mut Vec<FieldError>) {
    // The int-or-string node is validated as anyOf integer or string.
    errs.push(type_error(path, "integer", v));
    errs.push(type_error(path, "string", v));
}

fn validate_string(s: &Value, text: &str, path: &str, errs: &mut Vec<FieldError>) {
    let len = text.chars().count() as i64;
    if let Some(max) = s.get("maxLength").and_then(Value::as_i64)
        && len > max
    {
        errs.push(field::too_long(&Path::new(path), max));
    }
    if let Some(min) = s.get("minLength").and_then(Value::as_i64)
        && len < min
    {
        errs.push(body_error(path, json!(text), format!("{path} in body should be at least {min} chars long")));
    }
    if let Some(pattern) = s.get("pattern").and_then(Value::as_str)
        && let Ok(re) = regex::Regex::new(pattern)
        && !re.is_match(text)
    {
        errs.push(body_error(path, json!(text), format!("{path} in body should match '{pattern}'")));
    }
    if let Some(format) = s.get("format").and_then(Value::as_str)
        && !format_ok(format, text)
    {
        errs.push(FieldError {
            error_type: ErrorType::Invalid,
            field: path.to_string(),
            bad_value: Some(json!(text)),
            detail: format!("{path} in body must be of type {format}: {}", field::go_quote(text)),
        });
    }
}

/// The string formats kube-openapi checks (the common ones; others pass).
fn format_ok(format: &str, s: &str) -> bool {
    match format {
        "date-time" => crate::timefmt::Timestamp::parse(s).is_ok() || parse_rfc3339_loose(s),
        "date" => {
            let b = s.as_bytes();
            b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && s.chars().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        }
        "uuid" => uuid::Uuid::parse_str(s).is_ok() && s.len() == 36,
        "byte" => base64::Engine::decode(&base64::engine::general_purpose::STANDARD, s).is_ok(),
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        "cidr" => s.split_once('/').is_some_and(|(ip, bits)| {
            ip.parse::<std::net::IpAddr>().is_ok() && bits.parse::<u8>().is_ok_and(|b| b <= 128)
        }),
        "int32" | "int64" => true,
        _ => true,
    }
}

/// RFC 3339 with fractional seconds or an offset, which the Kubernetes
/// timestamp parser does not take.
fn parse_rfc3339_loose(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't') || b[13] != b':' {
        return false;
    }
    let rest = &s[19..];
    let rest = rest.strip_prefix('.').map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
    rest == "Z" || rest == "z" || (rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')))
}

fn validate_number(s: &Value, n: &serde_json::Number, path: &str, errs: &mut Vec<FieldError>) {
    let Some(x) = n.as_f64() else { return };
    let value = Value::Number(n.clone());
    if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
        if flag(s, "exclusiveMaximum") && x >= max {
            errs.push(body_error(
                path,
                value.clone(),
                format!("{path} in body should be less than {}", go_number(max)),
            ));
        } else if x > max {
            errs.push(body_error(
                path,
                value.clone(),
                format!("{path} in body should be less than or equal to {}", go_number(max)),
            ));
        }
    }
    if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
        if flag(s, "exclusiveMinimum") && x <= min {
            errs.push(body_error(
                path,
                value.clone(),
                format!("{path} in body should be greater than {}", go_number(min)),
            ));
        } else if x < min {
            errs.push(body_error(
                path,
                value.clone(),
                format!("{path} in body should be greater than or equal to {}", go_number(min)),
            ));
        }
    }
    if let Some(m) = s.get("multipleOf").and_then(Value::as_f64)
        && m > 0.0
        && (x / m).fract() != 0.0
    {
        errs.push(body_error(path, value, format!("{path} in body should be a multiple of {}", go_number(m))));
    }
}

fn validate_array(s: &Value, items: &[Value], path: &str, errs: &mut Vec<FieldError>) {
    let n = items.len() as i64;
    if let Some(max) = s.get("maxItems").and_then(Value::as_i64)
        && n > max
    {
        errs.push(field::too_many(&Path::new(path), n, max));
    }
    if let Some(min) = s.get("minItems").and_then(Value::as_i64)
        && n < min
    {
        errs.push(body_error(path, json!(n), format!("{path} in body should have at least {min} items")));
    }
    if flag(s, "uniqueItems") {
        let seen: HashSet<String> = items.iter().map(go_json).collect();
        if seen.len() != items.len() {
            errs.push(body_error(path, json!(""), format!("{path} in body shouldn't contain duplicates")));
        }
    }
    if let Some(item_schema) = s.get("items") {
        for (i, v) in items.iter().enumerate() {
            validate(item_schema, v, &format!("{path}[{i}]"), errs);
        }
    }
    // x-kubernetes-list-type: set items are unique, map items unique by key.
    match s.get("x-kubernetes-list-type").and_then(Value::as_str) {
        Some("set") => {
            let mut seen = HashSet::new();
            for (i, v) in items.iter().enumerate() {
                if !seen.insert(go_json(v)) {
                    errs.push(field::duplicate(&Path::new(path).index(i), v.clone()));
                }
            }
        }
        Some("map") => {
            let keys: Vec<&str> = s
                .get("x-kubernetes-list-map-keys")
                .and_then(Value::as_array)
                .map(|ks| ks.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut seen = HashSet::new();
            for (i, v) in items.iter().enumerate() {
                let mut key = Map::new();
                for k in &keys {
                    if let Some(x) = v.get(*k) {
                        key.insert((*k).to_string(), x.clone());
                    }
                }
                let key = Value::Object(key);
                if !seen.insert(go_json(&key)) {
                    errs.push(field::duplicate(&Path::new(path).index(i), key));
                }
            }
        }
        _ => {}
    }
}

fn validate_map(s: &Value, m: &Map<String, Value>, path: &str, errs: &mut Vec<FieldError>) {
    let n = m.len() as i64;
    if let Some(max) = s.get("maxProperties").and_then(Value::as_i64)
        && n > max
    {
        errs.push(field::too_many(&Path::new(path), n, max));
    }
    if let Some(min) = s.get("minProperties").and_then(Value::as_i64)
        && n < min
    {
        errs.push(body_error(path, json!(n), format!("{path} in body should have at least {min} properties")));
    }
    if let Some(required) = s.get("required").and_then(Value::as_array) {
        for r in required.iter().filter_map(Value::as_str) {
            if !m.contains_key(r) {
                errs.push(field::required(&Path::new(&child_path(path, r)), ""));
            }
        }
    }
    let embedded = flag(s, "x-kubernetes-embedded-resource");
    for (k, v) in m {
        let p = child_path(path, k);
        if embedded && k == "metadata" {
            continue;
        }
        if let Some(prop) = s.get("properties").and_then(|ps| ps.get(k)) {
            validate(prop, v, &p, errs);
        } else if let Some(ap @ Value::Object(_)) = s.get("additionalProperties") {
            validate(ap, v, &p, errs);
        }
    }
    if embedded && !flag(s, "x-kubernetes-preserve-unknown-fields") {
        for k in ["apiVersion", "kind"] {
            if m.get(k).and_then(Value::as_str).is_none_or(str::is_empty) {
                errs.push(field::required(&Path::new(&child_path(path, k)), format!("{k} is required")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "required": ["secretName"],
                    "properties": {
                        "secretName": {"type": "string", "minLength": 1, "maxLength": 10, "pattern": "^[a-z-]+$"},
                        "replicas": {"type": "integer", "minimum": 1, "maximum": 5, "default": 1},
                        "mode": {"type": "string", "enum": ["Fast", "Slow"], "default": "Fast"},
                        "port": {"x-kubernetes-int-or-string": true},
                        "dns": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set", "maxItems": 3},
                        "ports": {
                            "type": "array",
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                            "items": {"type": "object", "properties": {"name": {"type": "string"}, "port": {"type": "integer", "default": 80}}}
                        },
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                        "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                        "when": {"type": "string", "format": "date-time"},
                        "note": {"type": "string", "nullable": true},
                        "tls": {"type": "object", "default": {}, "properties": {"enabled": {"type": "boolean", "default": true}}}
                    }
                },
                "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}
            }
        })
    }

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn type_errors_read_as_kube_openapi_words_them() {
        let o = json!({"apiVersion": "x/v1", "kind": "X", "metadata": {"name": "a"}, "spec": {"secretName": "ab", "replicas": "three"}});
        assert_eq!(
            messages(&validate_object(&schema(), &o)),
            vec![r#"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#]
        );
        let e = &validate_object(&schema(), &o)[0];
        assert_eq!(e.reason(), "FieldValueTypeInvalid");
    }

    #[test]
    fn value_constraints_have_upstream_messages() {
        let o = json!({"spec": {"secretName": "UPPER", "replicas": 9, "mode": "Medium", "dns": ["a", "a"], "ports": [{"name": "x"}, {"name": "x"}], "when": "yesterday"}});
        let got = messages(&validate_object(&schema(), &o));
        assert!(
            got.contains(
                &r#"spec.secretName: Invalid value: "UPPER": spec.secretName in body should match '^[a-z-]+$'"#
                    .to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(
                &"spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5".to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(&r#"spec.mode: Unsupported value: "Medium": supported values: "Fast", "Slow""#.to_string()),
            "{got:?}"
        );
        assert!(got.contains(&r#"spec.dns[1]: Duplicate value: "a""#.to_string()), "{got:?}");
        assert!(got.contains(&r#"spec.ports[1]: Duplicate value: {"name":"x"}"#.to_string()), "{got:?}");
        assert!(
            got.contains(
                &r#"spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday""#
                    .to_string()
            ),
            "{got:?}"
        );
        let missing = messages(&validate_object(&schema(), &json!({"spec": {}})));
        assert_eq!(missing, vec!["spec.secretName: Required value"]);
        let long = messages(&validate_object(&schema(), &json!({"spec": {"secretName": "abcdefghijkl"}})));
        assert_eq!(long, vec!["spec.secretName: Too long: may not be more than 10 bytes"]);
        let many =
            messages(&validate_object(&schema(), &json!({"spec": {"secretName": "a", "dns": ["a", "b", "c", "d"]}})));
        assert_eq!(many, vec!["spec.dns: Too many: 4: must have at most 3 items"]);
    }

    #[test]
    fn int_or_string_and_nullable() {
        let ok = json!({"spec": {"secretName": "a", "port": 80, "note": null}});
        assert!(validate_object(&schema(), &ok).is_empty());
        let ok = json!({"spec": {"secretName": "a", "port": "http"}});
        assert!(validate_object(&schema(), &ok).is_empty());
        let bad = json!({"spec": {"secretName": "a", "port": true, "replicas": null}});
        let got = messages(&validate_object(&schema(), &bad));
        assert!(
            got.contains(
                &r#"spec.port: Invalid value: "boolean": spec.port in body must be of type integer: "boolean""#
                    .to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(
                &r#"spec.replicas: Invalid value: "null": spec.replicas in body must be of type integer: "null""#
                    .to_string()
            ),
            "{got:?}"
        );
    }

    #[test]
    fn pruning_removes_and_reports_unknown_fields() {
        let mut o = json!({
            "apiVersion": "x/v1", "kind": "X",
            "metadata": {"name": "a", "bogus": 1},
            "spec": {"secretName": "a", "extra": 1, "labels": {"k": "v"}, "free": {"anything": {"goes": true}},
                     "ports": [{"name": "a", "junk": 2}]},
            "top": true
        });
        let mut unknown = Vec::new();
        prune_object(&schema(), &mut o, &mut unknown);
        unknown.sort();
        assert_eq!(unknown, vec!["metadata.bogus", "spec.extra", "spec.ports[0].junk", "top"]);
        assert_eq!(o["spec"]["free"]["anything"]["goes"], true);
        assert_eq!(o["spec"]["labels"]["k"], "v");
        assert!(o.get("top").is_none());
        assert_eq!(o["metadata"], json!({"name": "a"}));
    }

    #[test]
    fn defaults_fill_missing_and_nested_fields() {
        let mut o =
            json!({"metadata": {"name": "a"}, "spec": {"secretName": "a", "replicas": null, "ports": [{"name": "a"}]}});
        default_object(&schema(), &mut o);
        assert_eq!(o["spec"]["replicas"], 1);
        assert_eq!(o["spec"]["mode"], "Fast");
        assert_eq!(o["spec"]["ports"][0]["port"], 80);
        assert_eq!(o["spec"]["tls"], json!({"enabled": true}));
        assert_eq!(o["metadata"], json!({"name": "a"}));
        // No spec at all: nothing to default inside it.
        let mut bare = json!({"metadata": {"name": "a"}});
        default_object(&schema(), &mut bare);
        assert!(bare.get("spec").is_none());
    }
}
