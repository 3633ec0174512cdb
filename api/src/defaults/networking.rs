//! networking.k8s.io/v1 defaults: NetworkPolicy and IngressClass.

use serde_json::json;

use super::value::{Object, child, children, default_value, ensure_child, is_empty};

/// Defaults a NetworkPolicy: a policy that names no types is an Ingress
/// policy, and an Egress one too when it has egress rules; ports are TCP.
pub(super) fn network_policy(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    if is_empty(spec, "policyTypes") {
        let types = if is_empty(spec, "egress") { json!(["Ingress"]) } else { json!(["Ingress", "Egress"]) };
        spec.insert("policyTypes".to_owned(), types);
    }
    for direction in ["ingress", "egress"] {
        for rule in children(spec, direction) {
            for port in children(rule, "ports") {
                default_value(port, "protocol", json!("TCP"));
            }
        }
    }
}

/// Defaults an IngressClass: parameters are cluster-scoped unless stated.
pub(super) fn ingress_class(object: &mut Object) {
    if let Some(parameters) = child(object, "spec").and_then(|spec| child(spec, "parameters")) {
        default_value(parameters, "scope", json!("Cluster"));
    }
}
