//! Defaults of the core ("" group, v1) kinds other than Pod and Service.

use serde_json::{Value, json};

use super::pod;
use super::value::{
    Object, child, children, default_labels_from_template, default_str, default_value, ensure_child, is_empty, is_new,
    is_nil, str_at,
};

/// Defaults a PodTemplate.
pub(super) fn pod_template(object: &mut Object) {
    if let Some(template) = ensure_child(object, "template") {
        pod::template(template);
    }
}

/// Defaults a ReplicationController: its selector and labels come from the
/// pod template's labels when unset.
pub(super) fn replication_controller(object: &mut Object) {
    if let Some(labels) = default_labels_from_template(object)
        && let Some(spec) = child(object, "spec")
        && is_empty(spec, "selector")
    {
        spec.insert("selector".to_owned(), labels);
    }
    if let Some(spec) = ensure_child(object, "spec") {
        default_value(spec, "replicas", json!(1));
        if let Some(template) = child(spec, "template") {
            pod::template(template);
        }
    }
}

/// Defaults a Secret; like kube-apiserver's conversion, `stringData` is
/// merged into `data` (base64-encoded, overriding) and not kept.
pub(super) fn secret(object: &mut Object) {
    default_str(object, "type", "Opaque");
    let Some(string_data) = object.remove("stringData") else { return };
    let Some(string_data) = string_data.as_object().filter(|m| !m.is_empty()) else { return };
    if let Some(data) = ensure_child(object, "data") {
        for (key, value) in string_data {
            let text = value.as_str().unwrap_or_default();
            data.insert(key.clone(), Value::String(base64(text.as_bytes())));
        }
    }
}

/// Standard base64 with padding, as Go encodes []byte in JSON.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Defaults a PersistentVolume.
pub(super) fn persistent_volume(object: &mut Object) {
    if let Some(spec) = ensure_child(object, "spec") {
        default_str(spec, "persistentVolumeReclaimPolicy", "Retain");
        default_value(spec, "volumeMode", json!("Filesystem"));
        pod::legacy_volume_sources(spec);
    }
    if let Some(status) = ensure_child(object, "status") {
        default_str(status, "phase", "Pending");
    }
}

/// Defaults a PersistentVolumeClaim (also a StatefulSet claim template).
pub(super) fn persistent_volume_claim(object: &mut Object) {
    if let Some(spec) = ensure_child(object, "spec") {
        pod::persistent_volume_claim_spec(spec);
    }
    if let Some(status) = ensure_child(object, "status") {
        default_str(status, "phase", "Pending");
    }
}

/// Defaults a Namespace: the `kubernetes.io/metadata.name` label always
/// matches the name, the phase starts Active, and (on create only, as the
/// finalizer may be removed later) the `kubernetes` finalizer is added.
pub(super) fn namespace(object: &mut Object) {
    let new = is_new(object);
    if let Some(metadata) = child(object, "metadata")
        && let Some(name) = str_at(metadata, "name").filter(|n| !n.is_empty()).map(str::to_owned)
        && let Some(labels) = ensure_child(metadata, "labels")
    {
        labels.insert("kubernetes.io/metadata.name".to_owned(), Value::String(name));
    }
    if new && let Some(spec) = ensure_child(object, "spec") {
        let has_kubernetes = spec
            .get("finalizers")
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|f| f.as_str() == Some("kubernetes")));
        if !has_kubernetes {
            if is_nil(spec, "finalizers") {
                spec.insert("finalizers".to_owned(), json!([]));
            }
            if let Some(list) = spec.get_mut("finalizers").and_then(Value::as_array_mut) {
                list.push(json!("kubernetes"));
            }
        }
    }
    if let Some(status) = ensure_child(object, "status") {
        default_str(status, "phase", "Active");
    }
}

/// Defaults a Node: allocatable defaults to capacity; like kube-apiserver's
/// conversion, `podCIDR` and `podCIDRs` agree.
pub(super) fn node(object: &mut Object) {
    if let Some(spec) = child(object, "spec") {
        let cidr = str_at(spec, "podCIDR").unwrap_or("").to_owned();
        let first = spec
            .get("podCIDRs")
            .and_then(Value::as_array)
            .and_then(|list| list.first())
            .and_then(Value::as_str)
            .map(str::to_owned);
        if !cidr.is_empty() && first.as_deref() != Some(cidr.as_str()) {
            spec.insert("podCIDRs".to_owned(), json!([cidr]));
        } else if cidr.is_empty()
            && let Some(first) = first
        {
            spec.insert("podCIDR".to_owned(), Value::String(first));
        }
    }
    if let Some(status) = child(object, "status")
        && is_nil(status, "allocatable")
        && let Some(capacity) = status.get("capacity").filter(|c| c.as_object().is_some_and(|m| !m.is_empty())).cloned()
    {
        status.insert("allocatable".to_owned(), capacity);
    }
}

/// Defaults Endpoints: ports are TCP unless stated.
pub(super) fn endpoints(object: &mut Object) {
    for subset in children(object, "subsets") {
        for port in children(subset, "ports") {
            default_str(port, "protocol", "TCP");
        }
    }
}

/// Defaults a LimitRange: a Container item's default limit comes from its
/// max, and its default request from its default limit, then its min.
pub(super) fn limit_range(object: &mut Object) {
    let Some(spec) = child(object, "spec") else { return };
    for item in children(spec, "limits") {
        if str_at(item, "type") != Some("Container") {
            continue;
        }
        let max = item.get("max").and_then(Value::as_object).cloned().unwrap_or_default();
        let min = item.get("min").and_then(Value::as_object).cloned().unwrap_or_default();
        fill_missing(item, "default", &max);
        let default = item.get("default").and_then(Value::as_object).cloned().unwrap_or_default();
        fill_missing(item, "defaultRequest", &default);
        fill_missing(item, "defaultRequest", &min);
    }
}

/// Adds to the map under `key` the entries of `from` it lacks.
fn fill_missing(object: &mut Object, key: &str, from: &Object) {
    if from.is_empty() {
        return;
    }
    if let Some(target) = ensure_child(object, key) {
        for (name, value) in from {
            target.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_go() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"password123"), "cGFzc3dvcmQxMjM=");
    }
}
