//! discovery.k8s.io/v1 defaults: EndpointSlice.

use serde_json::json;

use super::value::{Object, children, default_value};

/// Defaults an EndpointSlice: ports have an (empty) name and are TCP.
pub(super) fn endpoint_slice(object: &mut Object) {
    for port in children(object, "ports") {
        default_value(port, "name", json!(""));
        default_value(port, "protocol", json!("TCP"));
    }
}
