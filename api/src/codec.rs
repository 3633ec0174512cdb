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

/// Encodes an object (in `spec`'s version) for the store.
pub fn encode_for_storage(spec: &ResourceSpec, object: &Value) -> ApiResult<Vec<u8>> {
    if !spec.protobuf {
        let mut o = object.clone();
        strip_server_fields(&mut o);
        return serde_json::to_vec(&o).map_err(ApiError::internal);
    }
    let mut o = object.clone();
    strip_server_fields(&mut o);
    let raw = protobuf::encode(&spec.definition, &o)
        .map_err(|e| ApiError::internal(format!("encoding {}: {e}", spec.kind)))?;
    Ok(protobuf::wrap(&spec.api_version(), &spec.kind, &raw))
}

/// The resourceVersion and selfLink are never stored.
fn strip_server_fields(o: &mut Value) {
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("resourceVersion");
        meta.remove("selfLink");
    }
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
            crate::jsondup::parse(body)
                .map_err(|e| unrecognized(format!("couldn't get version/kind; json parse error: {e}")))?
        }
        BodyType::Yaml | BodyType::ApplyPatch => {
            let text = std::str::from_utf8(body).map_err(|e| unrecognized(format!("yaml: invalid UTF-8: {e}")))?;
            let v: Value = serde_saphyr::from_str(text)
                .map_err(|e| unrecognized(format!("error converting YAML to JSON: {e}")))?;
            (v, Vec::new())
        }
        BodyType::Protobuf => {
            let (api_version, kind, raw) = protobuf::unwrap(body).map_err(|e| unrecognized(e.to_string()))?;
            let (group, version) = split_api_version(&api_version);
            let def = Schema::get().for_gvk(group, version, &kind).ok_or_else(|| {
                ApiError::bad_request(format!("no kind {kind:?} is registered for version {api_version:?} in scheme"))
            })?;
            let mut v = protobuf::decode(def, &raw).map_err(|e| {
                ApiError::bad_request(format!(
                    "{kind} in version {version:?} cannot be handled as a {}: {e}",
                    spec.kind
                ))
            })?;
            if let Some(m) = v.as_object_mut() {
                m.insert("apiVersion".into(), Value::String(api_version));
                m.insert("kind".into(), Value::String(kind));
            }
            (v, Vec::new())
        }
    };
    if !value.is_object() {
        return Err(unrecognized("couldn't get version/kind; json parse error: expected an object".into()));
    }
    Ok(DecodedBody { value, duplicates })
}

/// The first bytes of a body, quoted, for error messages (as upstream's
/// summarizeData).
fn summarize(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(30)]).to_string();
    if body.len() > 30 { format!("{text:?}...") } else { format!("{text:?}") }
}
