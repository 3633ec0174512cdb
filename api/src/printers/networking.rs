//! Printers for networking resources: services, endpoints, endpoint slices, ingresses,
//! ingress classes, network policies, service CIDRs and IP addresses.

use std::collections::BTreeSet;

use serde_json::Value;

use super::json::{arr_at, as_int, get, int_at, name, opt_str, str_at};
use super::labels::{format_label_selector, format_labels};
use super::timestamp::{Instant, age};
use super::{Column, docs};

/// The widest EXTERNAL-IP/ADDRESS text outside wide output.
const LOAD_BALANCER_WIDTH: usize = 16;

pub(super) static SERVICE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Type", "string", docs::SVC_SPEC_TYPE),
    Column::new("Cluster-IP", "string", docs::SVC_SPEC_CLUSTER_IP),
    Column::new("External-IP", "string", docs::SVC_SPEC_EXTERNAL_IPS),
    Column::new("Port(s)", "string", docs::SVC_SPEC_PORTS),
    Column::age(),
    Column::wide("Selector", "string", docs::SVC_SPEC_SELECTOR),
];

pub(super) static INGRESS_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new(
        "Class",
        "string",
        "The name of the IngressClass resource that should be used for additional configuration",
    ),
    Column::new("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
    Column::new("Address", "string", "Address is a list containing ingress points for the load-balancer"),
    Column::new("Ports", "string", "Ports of TLS configurations that open"),
    Column::age(),
];

pub(super) static INGRESS_CLASS_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Controller", "string", "Controller that is responsible for handling this class"),
    Column::new("Parameters", "string", "A reference to a resource with additional parameters"),
    Column::age(),
];

pub(super) static ENDPOINTS_COLUMNS: &[Column] =
    &[Column::name(), Column::new("Endpoints", "string", docs::ENDPOINTS_SUBSETS), Column::age()];

pub(super) static ENDPOINT_SLICE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("AddressType", "string", docs::ES_ADDRESS_TYPE),
    Column::new("Ports", "string", docs::ES_PORTS),
    Column::new("Endpoints", "string", docs::ES_ENDPOINTS),
    Column::age(),
];

pub(super) static NETWORK_POLICY_COLUMNS: &[Column] =
    &[Column::name(), Column::new("Pod-Selector", "string", docs::EXT_NETPOL_POD_SELECTOR), Column::age()];

pub(super) static SERVICE_CIDR_COLUMNS: &[Column] =
    &[Column::name(), Column::new("CIDRs", "string", docs::SERVICE_CIDR_CIDRS), Column::age()];

/// Like kube-apiserver, IP addresses declare no Age column but still print an age cell.
pub(super) static IP_ADDRESS_COLUMNS: &[Column] =
    &[Column::name(), Column::new("ParentRef", "string", docs::IP_ADDRESS_PARENT_REF)];

/// The sorted, de-duplicated ingress IPs (or hostnames) of a load balancer status, joined
/// with ","; clipped to 16 bytes unless `wide` (kube-apiserver always prints wide).
fn load_balancer_ingress(ingress: &[Value], wide: bool) -> String {
    let addresses: BTreeSet<&str> = ingress
        .iter()
        .filter_map(|i| {
            let ip = str_at(i, &["ip"]);
            let hostname = str_at(i, &["hostname"]);
            if !ip.is_empty() {
                Some(ip)
            } else if !hostname.is_empty() {
                Some(hostname)
            } else {
                None
            }
        })
        .collect();
    let joined = addresses.into_iter().collect::<Vec<_>>().join(",");
    if !wide && joined.len() > LOAD_BALANCER_WIDTH {
        let mut clipped = joined.into_bytes();
        clipped.truncate(LOAD_BALANCER_WIDTH - 3);
        return format!("{}...", String::from_utf8_lossy(&clipped));
    }
    joined
}

/// The EXTERNAL-IP cell of a service, by service type.
fn service_external_ip(service: &Value, wide: bool) -> String {
    let external_ips: Vec<&str> =
        arr_at(service, &["spec", "externalIPs"]).iter().map(|ip| ip.as_str().unwrap_or("")).collect();
    match str_at(service, &["spec", "type"]) {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_ingress(arr_at(service, &["status", "loadBalancer", "ingress"]), wide);
            if !external_ips.is_empty() {
                let mut results: Vec<&str> = Vec::new();
                if !lb.is_empty() {
                    results.extend(lb.split(','));
                }
                results.extend(external_ips);
                return results.join(",");
            }
            if lb.is_empty() { "<pending>".to_string() } else { lb }
        }
        "ExternalName" => str_at(service, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    }
}

/// The PORT(S) cell: "port/protocol" or "port:nodePort/protocol", joined with ",".
fn service_ports(service: &Value) -> String {
    arr_at(service, &["spec", "ports"])
        .iter()
        .map(|port| {
            let number = int_at(port, &["port"]);
            let protocol = str_at(port, &["protocol"]);
            let node_port = int_at(port, &["nodePort"]);
            if node_port > 0 { format!("{number}:{node_port}/{protocol}") } else { format!("{number}/{protocol}") }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The service row: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE and the wide SELECTOR.
pub(super) fn service(service: &Value, now: Instant) -> Vec<Value> {
    // Defaulting fills an empty clusterIPs from clusterIP; the printer shows clusterIPs[0].
    let cluster_ip = match arr_at(service, &["spec", "clusterIPs"]).first() {
        Some(first) => first.as_str().unwrap_or(""),
        None => str_at(service, &["spec", "clusterIP"]),
    };
    let ports = service_ports(service);
    vec![
        Value::from(name(service)),
        Value::from(str_at(service, &["spec", "type"])),
        Value::from(if cluster_ip.is_empty() { "<none>" } else { cluster_ip }),
        Value::from(service_external_ip(service, true)),
        Value::from(if ports.is_empty() { "<none>".to_string() } else { ports }),
        Value::from(age(service, now)),
        Value::from(format_labels(get(service, &["spec", "selector"]))),
    ]
}

/// The HOSTS cell: up to three rule hosts, then "+ N more...", or "*".
fn ingress_hosts(rules: &[Value]) -> String {
    const MAX: usize = 3;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if list.len() == MAX {
            more = true;
        }
        let host = str_at(rule, &["host"]);
        if !more && !host.is_empty() {
            list.push(host);
        }
    }
    if list.is_empty() {
        return "*".to_string();
    }
    let joined = list.join(",");
    if more {
        return format!("{joined} + {} more...", rules.len() - MAX);
    }
    joined
}

pub(super) fn ingress(ingress: &Value, now: Instant) -> Vec<Value> {
    let class = opt_str(ingress, &["spec", "ingressClassName"]).unwrap_or("<none>");
    let tls = arr_at(ingress, &["spec", "tls"]);
    vec![
        Value::from(name(ingress)),
        Value::from(class),
        Value::from(ingress_hosts(arr_at(ingress, &["spec", "rules"]))),
        Value::from(load_balancer_ingress(arr_at(ingress, &["status", "loadBalancer", "ingress"]), true)),
        Value::from(if tls.is_empty() { "80" } else { "80, 443" }),
        Value::from(age(ingress, now)),
    ]
}

pub(super) fn ingress_class(class: &Value, now: Instant) -> Vec<Value> {
    let parameters = match get(class, &["spec", "parameters"]).filter(|p| !p.is_null()) {
        None => "<none>".to_string(),
        Some(p) => {
            let mut text = str_at(p, &["kind"]).to_string();
            if let Some(group) = opt_str(p, &["apiGroup"]) {
                text = format!("{text}.{group}");
            }
            format!("{text}/{}", str_at(p, &["name"]))
        }
    };
    vec![
        Value::from(name(class)),
        Value::from(str_at(class, &["spec", "controller"])),
        Value::from(parameters),
        Value::from(age(class, now)),
    ]
}

/// Go's net.JoinHostPort: IPv6 hosts are bracketed.
fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}

/// The ENDPOINTS cell: up to three "ip:port" (or bare IPs for port-less subsets).
fn format_endpoints(endpoints: &Value) -> String {
    const MAX: usize = 3;
    let subsets = arr_at(endpoints, &["subsets"]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    for subset in subsets {
        let addresses = arr_at(subset, &["addresses"]);
        let ports = arr_at(subset, &["ports"]);
        if ports.is_empty() {
            count += addresses.len();
            for address in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(str_at(address, &["ip"]).to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for address in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(str_at(address, &["ip"]), int_at(port, &["port"])));
            }
        }
    }
    let joined = list.join(",");
    if more {
        return format!("{joined} + {} more...", count - MAX);
    }
    joined
}

pub(super) fn endpoints(endpoints: &Value, now: Instant) -> Vec<Value> {
    vec![Value::from(name(endpoints)), Value::from(format_endpoints(endpoints)), Value::from(age(endpoints, now))]
}

/// Up to three items, then "+ N more...", or "<unset>" for none (listWithMoreString).
fn list_with_more<I: IntoIterator<Item = String>>(items: I) -> String {
    const MAX: usize = 3;
    let mut list = Vec::new();
    let mut count = 0usize;
    for item in items {
        if list.len() < MAX {
            list.push(item);
        }
        count += 1;
    }
    let joined = list.join(",");
    if count > MAX {
        return format!("{joined} + {} more...", count - MAX);
    }
    if joined.is_empty() { "<unset>".to_string() } else { joined }
}

pub(super) fn endpoint_slice(slice: &Value, now: Instant) -> Vec<Value> {
    let ports = arr_at(slice, &["ports"]).iter().map(|port| {
        match (port.get("port").and_then(as_int), port.get("name").and_then(Value::as_str)) {
            (Some(number), _) => number.to_string(),
            (None, Some(port_name)) => port_name.to_string(),
            (None, None) => "*".to_string(),
        }
    });
    let addresses = arr_at(slice, &["endpoints"])
        .iter()
        .flat_map(|endpoint| arr_at(endpoint, &["addresses"]).iter().map(|a| a.as_str().unwrap_or("").to_string()));
    vec![
        Value::from(name(slice)),
        Value::from(str_at(slice, &["addressType"])),
        Value::from(list_with_more(ports)),
        Value::from(list_with_more(addresses)),
        Value::from(age(slice, now)),
    ]
}

pub(super) fn network_policy(policy: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(policy)),
        Value::from(format_label_selector(get(policy, &["spec", "podSelector"]))),
        Value::from(age(policy, now)),
    ]
}

pub(super) fn service_cidr(cidr: &Value, now: Instant) -> Vec<Value> {
    let cidrs: Vec<&str> = arr_at(cidr, &["spec", "cidrs"]).iter().map(|c| c.as_str().unwrap_or("")).collect();
    vec![Value::from(name(cidr)), Value::from(cidrs.join(",")), Value::from(age(cidr, now))]
}

/// The IP address row; PARENTREF is "resource.group[/namespace]/name", lowercased up to the name.
pub(super) fn ip_address(address: &Value, now: Instant) -> Vec<Value> {
    let parent = match get(address, &["spec", "parentRef"]).filter(|p| !p.is_null()) {
        None => "<none>".to_string(),
        Some(p) => {
            let group = str_at(p, &["group"]);
            let resource = str_at(p, &["resource"]);
            let group_resource = if group.is_empty() { resource.to_string() } else { format!("{resource}.{group}") };
            let mut text = group_resource.to_lowercase();
            let namespace = str_at(p, &["namespace"]);
            if !namespace.is_empty() {
                text = format!("{text}/{namespace}");
            }
            format!("{text}/{}", str_at(p, &["name"]))
        }
    };
    vec![Value::from(name(address)), Value::from(parent), Value::from(age(address, now))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn load_balancer_clipping_outside_wide_output() {
        let ingress = [json!({"ip": "2.3.4.5"}), json!({"ip": "3.4.5.6"}), json!({"ip": "5.6.7.8", "hostname": "h"})];
        assert_eq!(load_balancer_ingress(&ingress, false), "2.3.4.5,3.4.5...");
        assert_eq!(load_balancer_ingress(&ingress, true), "2.3.4.5,3.4.5.6,5.6.7.8");
    }
}
