//! Objects on the wire and in the store. Built-in objects are stored as
//! kube-apiserver stores them: Kubernetes protobuf in the `k8s\0` envelope
//! (runtime.Unknown with the object's apiVersion and kind), with no
//! resourceVersion inside (it is the store's mod revision, set on read).
//! Request bodies arrive as JSON, YAML or enveloped protobuf.

use serde_json::Value;

use crate::catalog::ResourceSpec;
use crate::errors::{ApiError, ApiResult};
use crate::protobuf;
use crate::schema::Schema;

/// Encodes an object (in `spec`'s version) for the store. The server fields
/// that are never stored (resourceVersion, selfLink) are taken out for the
/// encoding and put back, so the object is not copied.
pub fn encode_for_storage(spec: &ResourceSpec, object: &mut Value) -> ApiResult<Vec<u8>> {
    let meta = object.get_mut("metadata").and_then(Value::as_object_mut);
    let taken: Vec<(&str, Value)> = match meta {
        Some(m) => ["resourceVersion", "selfLink"].into_iter().filter_map(|k| Some((k, m.remove(k)?))).collect(),
        None => Vec::new(),
    };
    let encoded = if spec.protobuf {
        protobuf::encode(&spec.definition, object)
            .map(|raw| protobuf::wrap(&spec.api_version(), &spec.kind, &raw))
            .map_err(|e| ApiError::internal(format!("encoding {}: {e}", spec.kind)))
    } else {
        serde_json::to_vec(object).map_err(ApiError::internal)
    };
    if let Some(m) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        m.extend(taken.into_iter().map(|(k, v)| (k.to_string(), v)));
    }
    encoded
}

/// Decodes a stored object and sets its resourceVersion to `revision`.
pub fn decode_from_storage(bytes: &[u8], revision: i64) -> ApiResult<Value> {
    let mut value = if bytes.starts_with(protobuf::MAGIC) {
        let (api_version, kind, raw) =
            protobuf::unwrap(bytes).map_err(|e| ApiError::internal(format!("decoding a stored object: {e}")))?;
        let (group, version) = split_api_version(&api_version);
        let def = Schema::get()
            .for_gvk(group, version, &kind)
            .ok_or_else(|| ApiError::internal(format!("no type for stored {api_version} {kind}")))?;
        let mut v =
            protobuf::decode(def, &raw).map_err(|e| ApiError::internal(format!("decoding a stored {kind}: {e}")))?;
        if let Some(m) = v.as_object_mut() {
            m.insert("apiVersion".into(), Value::String(api_version.clone()));
            m.insert("kind".into(), Value::String(kind.clone()));
        }
        // kube-apiserver defaults objects read from storage too, so fields
        // that Go always encodes (and newer defaults) appear on every read.
        set_resource_version(&mut v, revision);
        crate::defaults::apply(group, version, &kind, &mut v);
        v
    } else {
        serde_json::from_slice(bytes).map_err(|e| ApiError::internal(format!("decoding a stored object: {e}")))?
    };
    set_resource_version(&mut value, revision);
    Ok(value)
}

/// Decodes a stored object of `spec` (storage version): custom resources
/// get their schema's defaults, as kube-apiserver defaults them on every
/// read from storage.
pub fn decode_stored(spec: &ResourceSpec, bytes: &[u8], revision: i64) -> ApiResult<Value> {
    let mut value = decode_from_storage(bytes, revision)?;
    if let Some(custom) = &spec.custom {
        custom.default(&mut value);
    }
    Ok(value)
}

/// Sets `metadata.resourceVersion`.
pub fn set_resource_version(value: &mut Value, revision: i64) {
    if let Some(m) = value.as_object_mut() {
        let meta = m.entry("metadata").or_insert_with(|| Value::Object(Default::default()));
        if let Some(meta) = meta.as_object_mut() {
            meta.insert("resourceVersion".into(), Value::String(revision.to_string()));
        }
    }
}

/// (`apps`, `v1`) from `apps/v1`; (``, `v1`) from `v1`.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}

/// A request body decoded into a JSON value, before the schema walk.
pub struct DecodedBody {
    /// The object.
    pub value: Value,
    /// Fields that appeared twice (strict decoding errors).
    pub duplicates: Vec<String>,
}

/// Decodes a JSON, YAML or protobuf body. Errors are the 400s kube-apiserver
/// gives for a body that is not an object of `spec`'s kind.
pub fn decode_body(
    spec: &ResourceSpec,
    body: &[u8],
    body_type: crate::negotiation::BodyType,
) -> ApiResult<DecodedBody> {
    use crate::negotiation::BodyType;
    let unrecognized = |err: String| {
        ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): {err} ({})",
            spec.kind,
            summarize(body)
        ))
    };
    let (value, duplicates) = match body_type {
        BodyType::Json | BodyType::MergePatch | BodyType::StrategicMergePatch | BodyType::JsonPatch => {
            crate::jsondup::parse(body).map_err(|e| {
                unrecognized(format!("couldn't get version/kind; json parse error: {}", go_json_error(&e, body)))
            })?
        }
        BodyType::Yaml | BodyType::ApplyPatch => {
            let text = std::str::from_utf8(body).map_err(|e| unrecognized(format!("yaml: invalid UTF-8: {e}")))?;
            let v: Value = serde_saphyr::from_str(text)
                .map_err(|e| unrecognized(format!("error converting YAML to JSON: {}", go_yaml_error(&e))))?;
            (v, Vec::new())
        }
        BodyType::Protobuf => {
            let (api_version, kind, raw) = protobuf::unwrap(body).map_err(|e| unrecognized(go_proto_error(&e)))?;
            let (group, version) = split_api_version(&api_version);
            let cannot = |why: String| {
                ApiError::bad_request(format!(
                    "{kind} in version {version:?} cannot be handled as a {}: {why}",
                    spec.kind
                ))
            };
            let def = Schema::get()
                .for_gvk(group, version, &kind)
                .ok_or_else(|| cannot(not_registered(&kind, &api_version)))?;
            let mut v = protobuf::decode(def, &raw).map_err(|e| cannot(go_proto_error(&e)))?;
            if let Some(m) = v.as_object_mut() {
                m.insert("apiVersion".into(), Value::String(api_version));
                m.insert("kind".into(), Value::String(kind));
            }
            (v, Vec::new())
        }
    };
    let json_type = match &value {
        Value::Object(_) | Value::Null => None,
        Value::Array(_) => Some("array"),
        Value::String(_) => Some("string"),
        Value::Number(_) => Some("number"),
        Value::Bool(_) => Some("bool"),
    };
    if let Some(t) = json_type {
        // Go's encoding/json, asked for the apiVersion and kind of a value
        // that is not an object.
        return Err(unrecognized(format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {t} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}"
        )));
    }
    if value.is_null() {
        return Err(unrecognized("couldn't get version/kind; json parse error: expected an object".into()));
    }
    Ok(DecodedBody { value, duplicates })
}

/// The first 30 bytes of a body for error messages, as kube-apiserver's
/// summarizeData gives them: as text when the body starts with `{`, else in
/// hex; " ..." marks a cut.
fn summarize(body: &[u8]) -> String {
    const MAX: usize = 30;
    let head = &body[..body.len().min(MAX)];
    let mut out = match body.first() {
        None => return "<empty>".to_string(),
        Some(b'{') => String::from_utf8_lossy(head).into_owned(),
        Some(_) => head.iter().map(|b| format!("{b:02x}")).collect(),
    };
    if body.len() > MAX {
        out.push_str(" ...");
    }
    out
}

/// A JSON syntax error in the words of Go's encoding/json, which
/// kube-apiserver uses to find a body's apiVersion and kind, where the
/// mapping is certain: a body that ends early, one nested deeper than Go
/// allows (kubox's own limit is lower: serde_json's 128 levels), and a
/// character where a value must start. Other errors keep serde_json's text.
fn go_json_error(err: &serde_json::Error, body: &[u8]) -> String {
    let text = err.to_string();
    if err.is_eof() {
        return "unexpected end of JSON input".to_string();
    }
    if text.starts_with("recursion limit exceeded") {
        return "exceeded max depth".to_string();
    }
    if text.starts_with("expected value at ")
        && let Some(c) = byte_at(body, err.line(), err.column())
    {
        return format!("invalid character {} looking for beginning of value", go_quote_char(c));
    }
    text
}

/// A YAML error shaped like go-yaml's (`yaml: line 3: <what>`), which
/// kube-apiserver reports; the words after the line are serde-saphyr's.
fn go_yaml_error(err: &serde_saphyr::Error) -> String {
    let text = err.to_string();
    let first = text.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // "line 3 column 18: unclosed bracket" -> "unclosed bracket"
    let what = match first.split_once(": ") {
        Some((at, rest)) if at.starts_with("line ") => rest,
        _ => first,
    };
    match err.location() {
        Some(at) => format!("yaml: line {}: {what}", at.line()),
        None => format!("yaml: {what}"),
    }
}

/// The byte at a 1-based line and column, as serde_json reports positions.
fn byte_at(body: &[u8], line: usize, column: usize) -> Option<u8> {
    let start = if line <= 1 {
        0
    } else {
        body.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    body.get(start + column.checked_sub(1)?).copied()
}

/// Go's encoding/json quoteChar: a byte in single quotes, escaped as
/// strconv.Quote would.
fn go_quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        c => {
            let quoted = crate::validation::field::go_quote(&char::from(c).to_string());
            format!("'{}'", &quoted[1..quoted.len() - 1])
        }
    }
}

/// The error kube-apiserver's scheme gives for a kind it cannot make.
pub fn not_registered(kind: &str, api_version: &str) -> String {
    format!(
        "no kind {kind:?} is registered for version {api_version:?} in scheme \"pkg/api/legacyscheme/scheme.go:30\""
    )
}

/// A protobuf decoding error in the words of kube-apiserver's protobuf
/// serializer and its generated unmarshallers, where they have words for
/// it: running out of bytes is `unexpected EOF` wherever it happens.
fn go_proto_error(err: &protobuf::ProtoError) -> String {
    use protobuf::ProtoError as E;
    let reason = match err {
        E::Envelope(reason) | E::Decode { reason, .. } => reason.as_str(),
        other => return other.to_string(),
    };
    match reason {
        "empty data" | "empty body" => reason.to_string(),
        r if r.starts_with("data does not start with") => {
            "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]".to_string()
        }
        r if r.ends_with("truncated varint")
            || r.contains("truncated 32-bit value")
            || r.contains("truncated 64-bit value")
            || (r.contains("exceeds the") && r.ends_with("bytes left")) =>
        {
            "unexpected EOF".to_string()
        }
        r if r.ends_with("varint overflows 64 bits") || r.ends_with("varint longer than 10 bytes") => {
            "proto: integer overflow".to_string()
        }
        _ => err.to_string(),
    }
}
