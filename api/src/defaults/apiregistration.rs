//! apiregistration.k8s.io/v1 defaults: APIService.

use serde_json::json;

use super::value::{Object, child, default_value};

/// Defaults an APIService: its service listens on 443 unless stated.
pub(super) fn api_service(object: &mut Object) {
    if let Some(service) = child(object, "spec").and_then(|spec| child(spec, "service")) {
        default_value(service, "port", json!(443));
    }
}
