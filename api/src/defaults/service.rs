//! Service defaults.
//!
//! Cluster IPs (`clusterIP`, `clusterIPs`), IP families (`ipFamilies`) and
//! node ports (`ports[].nodePort`, `healthCheckNodePort`) are allocated by the
//! registry, not defaulted here. `ipFamilyPolicy` is defaulted here for a
//! create, as the registry's allocator does before allocating; on update
//! kube-apiserver keeps the old object's policy, which only the registry knows.

use serde_json::{Value, json};

use super::value::{
    Object, child, children, default_str, default_value, ensure_child, is_empty, is_new, is_nil, str_at,
};

/// Seconds a ClientIP session sticks by default (3 hours).
const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS: i64 = 10800;

/// Defaults a Service.
pub(super) fn service(object: &mut Object) {
    let new = is_new(object);
    let Some(spec) = ensure_child(object, "spec") else { return };

    default_str(spec, "sessionAffinity", "None");
    match str_at(spec, "sessionAffinity") {
        Some("None") => {
            spec.remove("sessionAffinityConfig");
        }
        Some("ClientIP") => {
            let has_timeout = child(spec, "sessionAffinityConfig")
                .and_then(|config| child(config, "clientIP"))
                .is_some_and(|client_ip| !is_nil(client_ip, "timeoutSeconds"));
            if !has_timeout {
                spec.insert(
                    "sessionAffinityConfig".to_owned(),
                    json!({ "clientIP": { "timeoutSeconds": DEFAULT_CLIENT_IP_TIMEOUT_SECONDS } }),
                );
            }
        }
        _ => {}
    }

    default_str(spec, "type", "ClusterIP");
    for port in children(spec, "ports") {
        default_str(port, "protocol", "TCP");
        let unset = match port.get("targetPort") {
            None | Some(Value::Null) => true,
            Some(Value::Number(n)) => n.as_i64() == Some(0),
            Some(Value::String(s)) => s.is_empty(),
            Some(_) => false,
        };
        if unset {
            let target = port.get("port").filter(|p| p.is_number()).cloned().unwrap_or(json!(0));
            port.insert("targetPort".to_owned(), target);
        }
    }

    let service_type = str_at(spec, "type").unwrap_or("").to_owned();
    let load_balancer = service_type == "LoadBalancer";
    let externally_accessible =
        load_balancer || service_type == "NodePort" || (service_type == "ClusterIP" && !is_empty(spec, "externalIPs"));
    if externally_accessible {
        default_str(spec, "externalTrafficPolicy", "Cluster");
    }
    if matches!(service_type.as_str(), "ClusterIP" | "NodePort" | "LoadBalancer") {
        default_value(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    if load_balancer {
        default_value(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
    if new && service_type != "ExternalName" && is_nil(spec, "ipFamilyPolicy") {
        // Headless services without a selector are dual-stack when the cluster allows it.
        let policy = if str_at(spec, "clusterIP") == Some("None") && is_empty(spec, "selector") {
            "RequireDualStack"
        } else {
            "SingleStack"
        };
        spec.insert("ipFamilyPolicy".to_owned(), json!(policy));
    }

    if load_balancer
        && let Some(load_balancer) = child(object, "status").and_then(|status| child(status, "loadBalancer"))
    {
        for ingress in children(load_balancer, "ingress") {
            if str_at(ingress, "ip").is_some_and(|ip| !ip.is_empty()) {
                default_value(ingress, "ipMode", json!("VIP"));
            }
        }
    }
}
