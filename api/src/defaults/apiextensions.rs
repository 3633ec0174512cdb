//! apiextensions.k8s.io/v1 defaults: CustomResourceDefinition.

use serde_json::{Value, json};

use super::value::{Object, child, default_value, ensure_child, is_empty, is_empty_str, str_at};

/// Defaults a CustomResourceDefinition: singular and list kind from the
/// kind, no conversion, and the storage version recorded as stored.
pub(super) fn custom_resource_definition(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    if let Some(names) = ensure_child(spec, "names") {
        let kind = str_at(names, "kind").unwrap_or("").to_owned();
        if is_empty_str(names, "singular") {
            names.insert("singular".to_owned(), Value::String(kind.to_lowercase()));
        }
        if is_empty_str(names, "listKind") && !kind.is_empty() {
            names.insert("listKind".to_owned(), Value::String(format!("{kind}List")));
        }
    }
    default_value(spec, "conversion", json!({ "strategy": "None" }));
    if let Some(service) = child(spec, "conversion")
        .and_then(|conversion| child(conversion, "webhook"))
        .and_then(|webhook| child(webhook, "clientConfig"))
        .and_then(|config| child(config, "service"))
    {
        default_value(service, "port", json!(443));
    }
    let storage_version = spec
        .get("versions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|version| version.get("storage").and_then(Value::as_bool) == Some(true))
        .and_then(|version| version.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(version) = storage_version
        && let Some(status) = ensure_child(object, "status")
        && is_empty(status, "storedVersions")
    {
        status.insert("storedVersions".to_owned(), json!([version]));
    }
}
