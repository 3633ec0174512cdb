//! Validation of the core (`v1`) group's kinds: Pod, PodTemplate,
//! ReplicationController, Service, ConfigMap, Secret, PersistentVolumeClaim,
//! Namespace, Node, ServiceAccount, Endpoints, LimitRange and ResourceQuota.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::quantity::{Format, Quantity};
use crate::validation::access::quantity;
use crate::validation::access::{
    arr, as_i64, entries, get, i, meta_of, obj, opt_b, opt_i, opt_s, s, semantic_eq, spec_of, string_list_value,
    string_map, strings, template_of,
};
use crate::validation::field::{
    FieldError, Path, duplicate, forbidden, invalid, json_string, named_string, not_supported, raw_value, required,
    too_long,
};
use crate::validation::meta::{self, FIELD_IMMUTABLE, map_selector, nonnegative, validate_labels};
use crate::validation::names::{
    NameRule, is_config_map_key, is_dns1123_subdomain, is_qualified_name, is_valid_label_value, is_valid_port_num,
    validate_name,
};
use crate::validation::net;
use crate::validation::pod::{
    self, PodOptions, dns_label, dns_subdomain, positive_quantity, qualified_name, template_update_options,
    validate_pod_template_spec,
};

/// Validation of a new core-group object; `None` for kinds without specific rules.
pub fn validate_create(kind: &str, o: &Value) -> Option<Vec<FieldError>> {
    Some(match kind {
        "Pod" => pod::validate_pod_create(o),
        "PodTemplate" => validate_pod_template(o, None),
        "ReplicationController" => validate_replication_controller(o, None),
        "Service" => validate_service(o),
        "ConfigMap" => validate_config_map(o),
        "Secret" => validate_secret(o),
        "PersistentVolumeClaim" => validate_pvc(o),
        "Namespace" => validate_namespace(o),
        "Node" => validate_node(o),
        "ServiceAccount" => object_meta(o, true, NameRule::DnsSubdomain),
        "Endpoints" => validate_endpoints(o),
        "LimitRange" => validate_limit_range(o),
        "ResourceQuota" => validate_resource_quota(o),
        _ => return None,
    })
}

/// Validation of an update of a core-group object; `None` for kinds without specific rules.
pub fn validate_update(kind: &str, new: &Value, old: &Value) -> Option<Vec<FieldError>> {
    let mut errs = match kind {
        "Pod" => return Some(pod::validate_pod_update(new, old)),
        "Service" => return Some(validate_service_update(new, old)),
        "Node" => return Some(validate_node_update(new, old)),
        "Namespace"
        | "Endpoints"
        | "ServiceAccount"
        | "ConfigMap"
        | "Secret"
        | "PersistentVolumeClaim"
        | "PodTemplate"
        | "ReplicationController"
        | "LimitRange"
        | "ResourceQuota" => meta_update(new, old),
        _ => return None,
    };
    match kind {
        "Namespace" => {}
        "Endpoints" => errs.extend(validate_endpoints(new)),
        "ServiceAccount" => errs.extend(object_meta(new, true, NameRule::DnsSubdomain)),
        "ConfigMap" => {
            errs.extend(immutable_data_update(new, old, &["data", "binaryData"]));
            errs.extend(validate_config_map(new));
        }
        "Secret" => {
            if s(new, "type") != s(old, "type") {
                errs.push(invalid(&Path::new("type"), named_string(s(new, "type")), FIELD_IMMUTABLE));
            }
            errs.extend(immutable_data_update(new, old, &["data"]));
            errs.extend(validate_secret(new));
        }
        "PersistentVolumeClaim" => errs.extend(validate_pvc_update(new, old)),
        "PodTemplate" => {
            let opts = template_update_options(get(old, "template"));
            errs.extend(validate_pod_template_spec(template_of(new), &Path::new("template"), &opts));
        }
        "ReplicationController" => errs.extend(validate_rc_spec(new, Some(old))),
        "LimitRange" => errs.extend(validate_limit_range(new)),
        "ResourceQuota" => {
            let null = Value::Null;
            let spec = obj(new, "spec").unwrap_or(&null);
            errs.extend(validate_resource_quota_spec(spec, &Path::new("spec")));
            let old_scopes: BTreeSet<&str> =
                obj(old, "spec").map(|s| strings(s, "scopes")).unwrap_or_default().into_iter().collect();
            let new_scopes_list = strings(spec, "scopes");
            let new_scopes: BTreeSet<&str> = new_scopes_list.iter().copied().collect();
            if old_scopes != new_scopes {
                errs.push(invalid(
                    &Path::new("spec").child("scopes"),
                    string_list_value(&new_scopes_list),
                    FIELD_IMMUTABLE,
                ));
            }
        }
        _ => {}
    }
    Some(errs)
}

fn object_meta(o: &Value, namespaced: bool, rule: NameRule) -> Vec<FieldError> {
    meta::validate_core_object_meta(meta_of(o), namespaced, rule)
}

fn meta_update(new: &Value, old: &Value) -> Vec<FieldError> {
    meta::validate_core_object_meta_update(meta_of(new), meta_of(old))
}

/// `immutable: true` freezes the data fields and the flag itself.
fn immutable_data_update(new: &Value, old: &Value, fields: &[&str]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if opt_b(old, "immutable") != Some(true) {
        return errs;
    }
    if opt_b(new, "immutable") != Some(true) {
        errs.push(forbidden(&Path::new("immutable"), "field is immutable when `immutable` is set"));
    }
    for f in fields {
        if !data_eq(get(new, f), get(old, f)) {
            errs.push(forbidden(&Path::new(f), "field is immutable when `immutable` is set"));
        }
    }
    errs
}

/// reflect.DeepEqual of two Go maps: nil and empty differ only in Go; a
/// decoded JSON object cannot tell them apart, so both count as empty.
fn data_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    let empty = |v: Option<&Value>| v.is_none_or(|v| v.as_object().is_some_and(|m| m.is_empty()));
    if empty(a) && empty(b) {
        return true;
    }
    a == b
}

// ---------------------------------------------------------------------------
// PodTemplate and ReplicationController
// ---------------------------------------------------------------------------

fn validate_pod_template(o: &Value, _old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = object_meta(o, true, NameRule::DnsSubdomain);
    errs.extend(validate_pod_template_spec(template_of(o), &Path::new("template"), &PodOptions::default()));
    errs
}

fn validate_replication_controller(o: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = object_meta(o, true, NameRule::DnsSubdomain);
    errs.extend(validate_rc_spec(o, old));
    errs
}

fn validate_rc_spec(o: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let spec = spec_of(o);
    let path = Path::new("spec");
    let mut errs = nonnegative(i(spec, "minReadySeconds"), &path.child("minReadySeconds"));
    let selector = map_selector(spec, "selector");
    if selector.is_empty() {
        errs.push(required(&path.child("selector"), ""));
    }
    errs.extend(nonnegative(i(spec, "replicas"), &path.child("replicas")));
    let tpath = path.child("template");
    match get(spec, "template") {
        None => errs.push(required(&tpath, "")),
        Some(template) => {
            if !selector.is_empty() && !meta::selector_matches(&selector, &pod::template_labels(Some(template))) {
                errs.push(invalid(
                    &tpath.child("metadata").child("labels"),
                    pod::template_labels_value(Some(template)),
                    "`selector` does not match template `labels`",
                ));
            }
            let opts = template_update_options(old.and_then(|o| get(o, "spec")).and_then(|s| get(s, "template")));
            errs.extend(validate_pod_template_spec(template, &tpath, &opts));
            errs.extend(pod::validate_always_running_template(Some(template), "ReplicationController", &tpath));
        }
    }
    errs
}

// ---------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------

/// The cluster IPs as the strategy normalises them (clusterIPs mirrors clusterIP).
fn cluster_ips(spec: &Value) -> Vec<String> {
    let ips: Vec<String> = strings(spec, "clusterIPs").into_iter().map(str::to_string).collect();
    if ips.is_empty() && !s(spec, "clusterIP").is_empty() {
        return vec![s(spec, "clusterIP").to_string()];
    }
    ips
}

fn is_headless(spec: &Value) -> bool {
    let ips = cluster_ips(spec);
    ips.len() == 1 && ips[0] == "None"
}

fn ips_value(ips: &[String]) -> Value {
    Value::Array(ips.iter().map(|s| Value::String(s.clone())).collect())
}

/// apiservice.ExternallyAccessible.
fn externally_accessible(spec: &Value) -> bool {
    let t = s(spec, "type");
    t == "LoadBalancer" || t == "NodePort" || (t == "ClusterIP" && !arr(spec, "externalIPs").is_empty())
}

/// apiservice.NeedsHealthCheck.
fn needs_health_check(spec: &Value) -> bool {
    s(spec, "type") == "LoadBalancer" && s(spec, "externalTrafficPolicy") == "Local"
}

const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

fn validate_service(o: &Value) -> Vec<FieldError> {
    let metadata = meta_of(o);
    let meta_path = Path::new("metadata");
    let mut errs = meta::validate_core_object_meta(metadata, true, NameRule::Dns1035Label);
    let annotations = string_map(metadata, "annotations");
    let find = |k: &str| annotations.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    const HINTS: &str = "service.kubernetes.io/topology-aware-hints";
    const MODE: &str = "service.kubernetes.io/topology-mode";
    if let (Some(mode), Some(hints)) = (find(MODE), find(HINTS))
        && mode != hints
    {
        errs.push(invalid(
            &meta_path.child("annotations").key(MODE),
            mode,
            format!("must match annotations[{HINTS}] when both are specified"),
        ));
    }
    let spec = spec_of(o);
    let path = Path::new("spec");
    let svc_type = s(spec, "type");
    let headless = is_headless(spec);
    let ports = arr(spec, "ports");
    let ips = cluster_ips(spec);
    if ports.is_empty() && !headless && svc_type != "ExternalName" {
        errs.push(required(&path.child("ports"), ""));
    }
    match svc_type {
        "LoadBalancer" | "NodePort" if headless => errs.push(invalid(
            &path.child("clusterIPs").index(0),
            ips[0].as_str(),
            format!("may not be set to 'None' for {svc_type} services"),
        )),
        "ExternalName" => {
            if !ips.is_empty() {
                errs.push(forbidden(&path.child("clusterIPs"), "may not be set for ExternalName services"));
            }
            if !arr(spec, "ipFamilies").is_empty() {
                errs.push(forbidden(&path.child("ipFamilies"), "may not be set for ExternalName services"));
            }
            if get(spec, "ipFamilyPolicy").is_some() {
                errs.push(forbidden(&path.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
            }
            let cname = s(spec, "externalName");
            let cname = cname.strip_suffix('.').unwrap_or(cname);
            if cname.is_empty() {
                errs.push(required(&path.child("externalName"), ""));
            } else {
                errs.extend(dns_subdomain(cname, &path.child("externalName")));
            }
        }
        _ => {}
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (idx, port) in ports.iter().enumerate() {
        errs.extend(validate_service_port(port, ports.len() > 1, &mut names, &path.child("ports").index(idx)));
    }
    if get(spec, "selector").is_some() {
        errs.extend(validate_labels(spec, "selector", &path.child("selector")));
    }
    let affinity = s(spec, "sessionAffinity");
    match affinity {
        "" => errs.push(required(&path.child("sessionAffinity"), "")),
        "ClientIP" | "None" => {}
        _ => errs.push(not_supported(&path.child("sessionAffinity"), named_string(affinity), &["ClientIP", "None"])),
    }
    let sac_path = path.child("sessionAffinityConfig");
    if affinity == "ClientIP" {
        match obj(spec, "sessionAffinityConfig") {
            None => errs.push(required(&sac_path, "when session affinity type is ClientIP")),
            Some(cfg) => match obj(cfg, "clientIP") {
                None => errs.push(required(&sac_path.child("clientIP"), "when session affinity type is ClientIP")),
                Some(cip) => match opt_i(cip, "timeoutSeconds") {
                    None => errs.push(required(
                        &sac_path.child("clientIP").child("timeoutSeconds"),
                        "when session affinity type is ClientIP",
                    )),
                    Some(t) if t <= 0 || t > 86400 => errs.push(invalid(
                        &sac_path.child("clientIP").child("timeoutSeconds"),
                        t,
                        "must be greater than 0 and less than 86400",
                    )),
                    _ => {}
                },
            },
        }
    } else if affinity == "None" && get(spec, "sessionAffinityConfig").is_some() {
        errs.push(forbidden(&sac_path, "must not be set when session affinity is None"));
    }
    errs.extend(validate_cluster_ips_related(spec));
    for (idx, ip) in strings(spec, "externalIPs").iter().enumerate() {
        let p = path.child("externalIPs").index(idx);
        let ip_errs = net::is_valid_ip_for_legacy_field(&p, ip);
        if ip_errs.is_empty() {
            errs.extend(net::validate_non_special_ip(&p, ip));
        } else {
            errs.extend(ip_errs);
        }
    }
    const TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    if svc_type.is_empty() {
        errs.push(required(&path.child("type"), ""));
    } else if !TYPES.contains(&svc_type) {
        errs.push(not_supported(&path.child("type"), named_string(svc_type), TYPES));
    }
    if svc_type == "ClusterIP" {
        for (idx, port) in ports.iter().enumerate() {
            if i(port, "nodePort") != 0 {
                errs.push(forbidden(
                    &path.child("ports").index(idx).child("nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_ports: BTreeSet<(String, i64)> = BTreeSet::new();
    for (idx, port) in ports.iter().enumerate() {
        let np = i(port, "nodePort");
        if np == 0 {
            continue;
        }
        if !node_ports.insert((s(port, "protocol").to_string(), np)) {
            errs.push(duplicate(&path.child("ports").index(idx).child("nodePort"), np));
        }
    }
    let mut seen: BTreeSet<(String, i64)> = BTreeSet::new();
    for (idx, port) in ports.iter().enumerate() {
        let (proto, num) = (s(port, "protocol"), i(port, "port"));
        if !seen.insert((proto.to_string(), num)) {
            let mut fields = Vec::new();
            if !proto.is_empty() {
                fields.push(format!("\"protocol\":{}", json_string(proto)));
            }
            fields.push(format!("\"port\":{num}"));
            fields.push("\"targetPort\":0".to_string());
            errs.push(duplicate(&path.child("ports").index(idx), raw_value(format!("{{{}}}", fields.join(",")))));
        }
    }
    let ranges = strings(spec, "loadBalancerSourceRanges");
    if !ranges.is_empty() {
        let p = path.child("LoadBalancerSourceRanges");
        if svc_type != "LoadBalancer" {
            errs.push(forbidden(&p, "may only be used when `type` is 'LoadBalancer'"));
        }
        for (idx, r) in ranges.iter().enumerate() {
            errs.extend(net::is_valid_cidr_for_legacy_field(&p.index(idx), r.trim()));
        }
    } else if let Some(val) = find("service.beta.kubernetes.io/load-balancer-source-ranges") {
        let p =
            Path::new("metadata").child("annotations").key("service.beta.kubernetes.io/load-balancer-source-ranges");
        if svc_type != "LoadBalancer" {
            errs.push(forbidden(&p, "may only be used when `type` is 'LoadBalancer'"));
        }
        let val = val.trim();
        if !val.is_empty() {
            for r in val.split(',') {
                errs.extend(net::is_valid_cidr_for_legacy_field(&p, r.trim()));
            }
        }
    }
    if get(spec, "allocateLoadBalancerNodePorts").is_some() && svc_type != "LoadBalancer" {
        errs.push(forbidden(
            &path.child("allocateLoadBalancerNodePorts"),
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if svc_type == "LoadBalancer" && get(spec, "allocateLoadBalancerNodePorts").is_none() {
        // Upstream reports this one without the `spec` prefix.
        errs.push(required(&Path::new("allocateLoadBalancerNodePorts"), ""));
    }
    errs.extend(validate_load_balancer_class(None, spec));
    // External traffic policy.
    let etp = s(spec, "externalTrafficPolicy");
    if !externally_accessible(spec) {
        if !etp.is_empty() {
            errs.push(invalid(
                &path.child("externalTrafficPolicy"),
                named_string(etp),
                "may only be set for externally-accessible services",
            ));
        }
    } else if etp.is_empty() {
        errs.push(required(&path.child("externalTrafficPolicy"), ""));
    } else if !matches!(etp, "Cluster" | "Local") {
        errs.push(not_supported(&path.child("externalTrafficPolicy"), named_string(etp), &["Cluster", "Local"]));
    }
    let hcnp = i(spec, "healthCheckNodePort");
    if !needs_health_check(spec) {
        if hcnp != 0 {
            errs.push(invalid(
                &path.child("healthCheckNodePort"),
                hcnp,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if hcnp == 0 {
        errs.push(required(&path.child("healthCheckNodePort"), ""));
    } else {
        errs.extend(is_valid_port_num(hcnp).into_iter().map(|m| invalid(&path.child("healthCheckNodePort"), hcnp, m)));
    }
    match opt_s(spec, "internalTrafficPolicy") {
        None => {
            if matches!(svc_type, "NodePort" | "LoadBalancer" | "ClusterIP") {
                errs.push(required(&path.child("internalTrafficPolicy"), ""));
            }
        }
        Some(p) if !matches!(p, "Cluster" | "Local") => {
            errs.push(not_supported(&path.child("internalTrafficPolicy"), named_string(p), &["Cluster", "Local"]))
        }
        _ => {}
    }
    if let Some(td) = opt_s(spec, "trafficDistribution")
        && !matches!(td, "PreferClose" | "PreferSameZone" | "PreferSameNode")
    {
        errs.push(not_supported(
            &path.child("trafficDistribution"),
            td,
            &["PreferClose", "PreferSameZone", "PreferSameNode"],
        ));
    }
    errs
}

fn validate_service_port(
    port: &Value,
    require_name: bool,
    names: &mut BTreeSet<String>,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = s(port, "name");
    if require_name && name.is_empty() {
        errs.push(required(&path.child("name"), ""));
    } else if !name.is_empty() {
        errs.extend(dns_label(name, &path.child("name")));
        if !names.insert(name.to_string()) {
            errs.push(duplicate(&path.child("name"), name));
        }
    }
    let num = i(port, "port");
    errs.extend(is_valid_port_num(num).into_iter().map(|m| invalid(&path.child("port"), num, m)));
    let proto = s(port, "protocol");
    if proto.is_empty() {
        errs.push(required(&path.child("protocol"), ""));
    } else if !PROTOCOLS.contains(&proto) {
        errs.push(not_supported(&path.child("protocol"), named_string(proto), PROTOCOLS));
    }
    let tp_path = path.child("targetPort");
    match get(port, "targetPort") {
        Some(Value::String(n)) => errs.extend(
            crate::validation::names::is_valid_port_name(n).into_iter().map(|m| invalid(&tp_path, n.as_str(), m)),
        ),
        other => {
            let n = other.and_then(as_i64).unwrap_or(0);
            errs.extend(is_valid_port_num(n).into_iter().map(|m| invalid(&tp_path, n, m)));
        }
    }
    if let Some(ap) = opt_s(port, "appProtocol") {
        errs.extend(qualified_name(ap, &path.child("appProtocol")));
    }
    errs
}

fn validate_load_balancer_class(old: Option<&Value>, spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let path = Path::new("spec").child("loadBalancerClass");
    let class = opt_s(spec, "loadBalancerClass");
    if let Some(old) = old
        && s(old, "type") == "LoadBalancer"
        && s(spec, "type") == "LoadBalancer"
        && opt_s(old, "loadBalancerClass") != class
    {
        errs.push(invalid(&path, class.map(Value::from).unwrap_or(Value::Null), "may not change once set"));
    }
    if s(spec, "type") == "LoadBalancer" {
        if let Some(c) = class {
            errs.extend(qualified_name(c, &path));
        }
    } else if class.is_some() {
        errs.push(forbidden(&path, "may only be used when `type` is 'LoadBalancer'"));
    }
    errs
}

/// ValidateServiceClusterIPsRelatedFields.
fn validate_cluster_ips_related(spec: &Value) -> Vec<FieldError> {
    if s(spec, "type") == "ExternalName" {
        return Vec::new();
    }
    let mut errs = Vec::new();
    let path = Path::new("spec");
    let ips_path = path.child("clusterIPs");
    let fam_path = path.child("ipFamilies");
    let ips = cluster_ips(spec);
    let cluster_ip = s(spec, "clusterIP");
    if !cluster_ip.is_empty() {
        if ips.is_empty() {
            errs.push(required(&ips_path, ""));
        } else if ips[0] != cluster_ip {
            errs.push(invalid(&ips_path, ips_value(&ips), "first value must match `clusterIP`"));
        }
    } else if !ips.is_empty() {
        errs.push(invalid(&ips_path, ips_value(&ips), "must be empty when `clusterIP` is not specified"));
    }
    let families = strings(spec, "ipFamilies");
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (idx, fam) in families.iter().enumerate() {
        if !matches!(*fam, "IPv4" | "IPv6") {
            errs.push(not_supported(&fam_path.index(idx), named_string(fam), &["IPv4", "IPv6"]));
        }
        if !seen.insert(fam) {
            errs.push(duplicate(&fam_path.index(idx), named_string(fam)));
        }
    }
    if let Some(policy) = opt_s(spec, "ipFamilyPolicy")
        && !matches!(policy, "PreferDualStack" | "RequireDualStack" | "SingleStack")
    {
        errs.push(not_supported(
            &path.child("ipFamilyPolicy"),
            named_string(policy),
            &["PreferDualStack", "RequireDualStack", "SingleStack"],
        ));
    }
    let mut invalid_ips = false;
    for (idx, ip) in ips.iter().enumerate() {
        if idx == 0 && ip == "None" {
            if ips.len() > 1 {
                invalid_ips = true;
                errs.push(invalid(&ips_path, ips_value(&ips), "'None' must be the first and only value"));
            }
            continue;
        }
        let e = net::is_valid_ip_for_legacy_field(&ips_path.index(idx), ip);
        invalid_ips = invalid_ips || !e.is_empty();
        errs.extend(e);
    }
    if ips.len() > 2 {
        errs.push(invalid(&ips_path, ips_value(&ips), "may only hold up to 2 values"));
    }
    if invalid_ips {
        return errs;
    }
    if ips.len() > 1 && !net::is_dual_stack_ips(&ips) {
        errs.push(invalid(&ips_path, ips_value(&ips), "may specify no more than one IP for each IP family"));
    }
    if !is_headless(spec) && !ips.is_empty() && !families.is_empty() {
        for (idx, ip) in ips.iter().enumerate() {
            let Some(fam) = families.get(idx) else {
                break;
            };
            if *fam == "IPv4" && net::is_ipv6_string(ip) {
                errs.push(invalid(
                    &ips_path.index(idx),
                    ip.as_str(),
                    format!("expected an IPv4 value as indicated by `ipFamilies[{idx}]`"),
                ));
            }
            if *fam == "IPv6" && !net::is_ipv6_string(ip) {
                errs.push(invalid(
                    &ips_path.index(idx),
                    ip.as_str(),
                    format!("expected an IPv6 value as indicated by `ipFamilies[{idx}]`"),
                ));
            }
        }
    }
    errs
}

fn validate_service_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = meta_update(new, old);
    let spec = spec_of(new);
    let old_spec = spec_of(old);
    let ips_path = Path::new("spec").child("clusterIPs");
    let (new_ips, old_ips) = (cluster_ips(spec), cluster_ips(old_spec));
    let external = s(spec, "type") == "ExternalName" || s(old_spec, "type") == "ExternalName";
    let both_headless = is_headless(spec) && is_headless(old_spec);
    if !external && !both_headless {
        if old_ips.len() == new_ips.len() {
            for (idx, ip) in old_ips.iter().enumerate() {
                if *ip != new_ips[idx] {
                    errs.push(invalid(&ips_path.index(idx), ips_value(&new_ips), "may not change once set"));
                }
            }
        } else if old_ips.len() > new_ips.len() {
            if new_ips.is_empty() {
                errs.push(invalid(&ips_path.index(0), ips_value(&new_ips), "primary clusterIP can not be unset"));
            }
            if !old_ips.is_empty() && !new_ips.is_empty() && new_ips[0] != old_ips[0] {
                errs.push(invalid(&ips_path.index(0), ips_value(&new_ips), "may not change once set"));
            }
            if new_ips.len() == 1 && opt_s(spec, "ipFamilyPolicy") != Some("SingleStack") {
                errs.push(invalid(
                    &Path::new("spec").child("ipFamilyPolicy"),
                    opt_s(spec, "ipFamilyPolicy").map(named_string).unwrap_or(Value::Null),
                    "must be set to 'SingleStack' when releasing the secondary clusterIP",
                ));
            }
        } else if !old_ips.is_empty() && new_ips[0] != old_ips[0] {
            errs.push(invalid(&ips_path.index(0), ips_value(&new_ips), "may not change once set"));
        }
    }
    if !external && is_headless(spec) == is_headless(old_spec) && !is_headless(spec) {
        let fam_path = Path::new("spec").child("ipFamilies");
        let (new_f, old_f) = (strings(spec, "ipFamilies"), strings(old_spec, "ipFamilies"));
        let fam_value = || Value::Array(new_f.iter().map(|f| named_string(f)).collect());
        if old_f.len() == new_f.len() {
            for (idx, f) in old_f.iter().enumerate() {
                if *f != new_f[idx] {
                    errs.push(invalid(&fam_path.index(0), fam_value(), "may not change once set"));
                }
            }
        } else if old_f.len() > new_f.len() {
            if new_ips.is_empty() {
                errs.push(invalid(&fam_path.index(0), fam_value(), "primary ipFamily can not be unset"));
            }
            if !new_f.is_empty() && new_f[0] != old_f[0] {
                errs.push(invalid(&fam_path.index(0), ips_value(&new_ips), "may not change once set"));
            }
            if new_f.len() == 1 && opt_s(spec, "ipFamilyPolicy") != Some("SingleStack") {
                errs.push(invalid(
                    &Path::new("spec").child("ipFamilyPolicy"),
                    opt_s(spec, "ipFamilyPolicy").map(named_string).unwrap_or(Value::Null),
                    "must be set to 'SingleStack' when releasing the secondary ipFamily",
                ));
            }
        } else if !old_f.is_empty() && !new_f.is_empty() && new_f[0] != old_f[0] {
            errs.push(invalid(&fam_path.index(0), ips_value(&new_ips), "may not change once set"));
        }
    }
    errs.extend(
        validate_load_balancer_class(Some(old_spec), spec)
            .into_iter()
            .filter(|e| e.detail == "may not change once set"),
    );
    if needs_health_check(old_spec)
        && needs_health_check(spec)
        && i(spec, "healthCheckNodePort") != i(old_spec, "healthCheckNodePort")
    {
        errs.push(forbidden(&Path::new("spec").child("healthCheckNodePort"), FIELD_IMMUTABLE));
    }
    errs.extend(validate_service(new));
    errs
}

// ---------------------------------------------------------------------------
// ConfigMap and Secret
// ---------------------------------------------------------------------------

const MAX_SECRET_SIZE: usize = 1024 * 1024;

/// The decoded length of standard base64 text (how []byte fields arrive).
fn base64_len(text: &str) -> usize {
    let trimmed = text.trim_end_matches('=');
    trimmed.len() * 3 / 4
}

fn validate_config_map(o: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(o, true, NameRule::DnsSubdomain);
    let mut total = 0usize;
    let binary = entries(o, "binaryData");
    for (key, value) in entries(o, "data") {
        let p = Path::new("data").key(key);
        errs.extend(is_config_map_key(key).into_iter().map(|m| invalid(&p, key, m)));
        if binary.iter().any(|(k, _)| *k == key) {
            errs.push(invalid(&p, key, "duplicate of key present in binaryData"));
        }
        total += value.as_str().map(str::len).unwrap_or(0);
    }
    for (key, value) in &binary {
        let p = Path::new("binaryData").key(key);
        errs.extend(is_config_map_key(key).into_iter().map(|m| invalid(&p, *key, m)));
        total += value.as_str().map(base64_len).unwrap_or(0);
    }
    if total > MAX_SECRET_SIZE {
        errs.push(too_long(&Path::whole_object(), MAX_SECRET_SIZE as i64));
    }
    errs
}

/// Go's encoding/json error for bytes that do not decode into a map.
fn go_json_map_error(bytes: &[u8]) -> Option<String> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(_)) => None,
        Ok(Value::Array(_)) => {
            Some("json: cannot unmarshal array into Go value of type map[string]interface {}".to_string())
        }
        Ok(Value::String(_)) => {
            Some("json: cannot unmarshal string into Go value of type map[string]interface {}".to_string())
        }
        Ok(Value::Number(_)) => {
            Some("json: cannot unmarshal number into Go value of type map[string]interface {}".to_string())
        }
        Ok(Value::Bool(_)) => {
            Some("json: cannot unmarshal bool into Go value of type map[string]interface {}".to_string())
        }
        Ok(Value::Null) => None,
        Err(e) if e.is_eof() => Some("unexpected end of JSON input".to_string()),
        Err(_) => {
            let c = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied().unwrap_or(b' ');
            Some(format!("invalid character '{}' looking for beginning of value", c as char))
        }
    }
}

/// Decodes standard base64 (the wire form of Secret data).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The secret's data as the server sees it: `data` decoded, with `stringData` merged over it.
fn secret_data(o: &Value) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = entries(o, "data")
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_str().and_then(base64_decode).unwrap_or_default()))
        .collect();
    for (k, v) in string_map(o, "stringData") {
        match out.iter_mut().find(|(key, _)| key == k) {
            Some(entry) => entry.1 = v.as_bytes().to_vec(),
            None => out.push((k.to_string(), v.as_bytes().to_vec())),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn validate_secret(o: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(o, true, NameRule::DnsSubdomain);
    let data_path = Path::new("data");
    let data = secret_data(o);
    let mut total = 0usize;
    for (key, value) in &data {
        errs.extend(is_config_map_key(key).into_iter().map(|m| invalid(&data_path.key(key), key.as_str(), m)));
        total += value.len();
    }
    if total > MAX_SECRET_SIZE {
        errs.push(too_long(&data_path, MAX_SECRET_SIZE as i64));
    }
    let has = |k: &str| data.iter().any(|(key, _)| key == k);
    let get_data = |k: &str| data.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_slice());
    match s(o, "type") {
        "kubernetes.io/service-account-token" => {
            let annotations = string_map(meta_of(o), "annotations");
            let name = annotations.iter().find(|(k, _)| *k == "kubernetes.io/service-account.name").map(|(_, v)| *v);
            if name.unwrap_or("").is_empty() {
                errs.push(required(
                    &Path::new("metadata").child("annotations").key("kubernetes.io/service-account.name"),
                    "",
                ));
            }
        }
        "kubernetes.io/dockercfg" => match get_data(".dockercfg") {
            None => errs.push(required(&data_path.key(".dockercfg"), "")),
            Some(bytes) => {
                if let Some(e) = go_json_map_error(bytes) {
                    errs.push(invalid(&data_path.key(".dockercfg"), "<secret contents redacted>", e));
                }
            }
        },
        "kubernetes.io/dockerconfigjson" => match get_data(".dockerconfigjson") {
            None => errs.push(required(&data_path.key(".dockerconfigjson"), "")),
            Some(bytes) => {
                if let Some(e) = go_json_map_error(bytes) {
                    errs.push(invalid(&data_path.key(".dockerconfigjson"), "<secret contents redacted>", e));
                }
            }
        },
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            errs.push(required(&data_path.key("username"), ""));
            errs.push(required(&data_path.key("password"), ""));
        }
        "kubernetes.io/ssh-auth" if get_data("ssh-privatekey").is_none_or(<[u8]>::is_empty) => {
            errs.push(required(&data_path.key("ssh-privatekey"), ""));
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                errs.push(required(&data_path.key("tls.crt"), ""));
            }
            if !has("tls.key") {
                errs.push(required(&data_path.key("tls.key"), ""));
            }
        }
        _ => {}
    }
    errs
}

// ---------------------------------------------------------------------------
// PersistentVolumeClaim
// ---------------------------------------------------------------------------

const ACCESS_MODES: &[&str] = &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

fn validate_data_source(ds: &Value, path: &Path, with_namespace: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let (name, kind) = (s(ds, "name"), s(ds, "kind"));
    if name.is_empty() {
        errs.push(required(&path.child("name"), ""));
    }
    if kind.is_empty() {
        errs.push(required(&path.child("kind"), ""));
    }
    let group = s(ds, "apiGroup");
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        errs.push(invalid(path, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
    }
    if !group.is_empty() {
        errs.extend(is_dns1123_subdomain(group).into_iter().map(|m| invalid(&path.child("apiGroup"), group, m)));
    }
    if with_namespace && let Some(ns) = opt_s(ds, "namespace").filter(|n| !n.is_empty()) {
        errs.extend(
            validate_name(NameRule::DnsLabel, ns, false).into_iter().map(|m| invalid(&path.child("namespace"), ns, m)),
        );
    }
    errs
}

/// ValidatePersistentVolumeClaimSpec.
pub(crate) fn validate_pvc_spec(spec: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let modes = strings(spec, "accessModes");
    if modes.is_empty() {
        errs.push(required(&path.child("accessModes"), "at least 1 access mode is required"));
    }
    if let Some(sel) = obj(spec, "selector") {
        errs.extend(meta::validate_label_selector(Some(sel), false, &path.child("selector")));
    }
    let (mut rwop, mut other) = (false, false);
    for mode in &modes {
        if !ACCESS_MODES.contains(mode) {
            errs.push(not_supported(&path.child("accessModes"), named_string(mode), ACCESS_MODES));
        }
        if *mode == "ReadWriteOncePod" {
            rwop = true;
        } else if ACCESS_MODES.contains(mode) {
            other = true;
        }
    }
    if rwop && other {
        errs.push(forbidden(&path.child("accessModes"), "may not use ReadWriteOncePod with other access modes"));
    }
    let storage_path = path.child("resources").key("storage");
    let storage = obj(spec, "resources").and_then(|r| obj(r, "requests")).and_then(|r| get(r, "storage"));
    match storage.map(quantity) {
        None => errs.push(required(&storage_path, "")),
        Some(None) => {}
        Some(Some(q)) => {
            let e = positive_quantity(&q, &storage_path);
            if e.is_empty() {
                errs.extend(pod::validate_resource_quantity_value("storage", &q, &storage_path));
            } else {
                errs.extend(e);
            }
        }
    }
    if let Some(sc) = opt_s(spec, "storageClassName").filter(|s| !s.is_empty()) {
        errs.extend(is_dns1123_subdomain(sc).into_iter().map(|m| invalid(&path.child("storageClassName"), sc, m)));
    }
    if let Some(vm) = opt_s(spec, "volumeMode")
        && !matches!(vm, "Block" | "Filesystem")
    {
        errs.push(not_supported(&path.child("volumeMode"), named_string(vm), &["Block", "Filesystem"]));
    }
    let ds = obj(spec, "dataSource");
    let dsr = obj(spec, "dataSourceRef");
    if let Some(ds) = ds {
        errs.extend(validate_data_source(ds, &path.child("dataSource"), false));
    }
    if let Some(dsr) = dsr {
        errs.extend(validate_data_source(dsr, &path.child("dataSourceRef"), true));
    }
    let path_value = || Value::String(path.child("dataSource").as_str().to_string());
    if dsr.and_then(|r| opt_s(r, "namespace")).is_some_and(|n| !n.is_empty()) {
        if ds.is_some() {
            errs.push(invalid(path, path_value(), "may not be specified when dataSourceRef.namespace is specified"));
        }
    } else if let (Some(ds), Some(dsr)) = (ds, dsr)
        && (opt_s(ds, "apiGroup") != opt_s(dsr, "apiGroup")
            || s(ds, "kind") != s(dsr, "kind")
            || s(ds, "name") != s(dsr, "name"))
    {
        errs.push(invalid(path, path_value(), "must match dataSourceRef"));
    }
    if let Some(vac) = opt_s(spec, "volumeAttributesClassName").filter(|s| !s.is_empty()) {
        errs.extend(
            is_dns1123_subdomain(vac).into_iter().map(|m| invalid(&path.child("volumeAttributesClassName"), vac, m)),
        );
    }
    errs
}

fn validate_pvc(o: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(o, true, NameRule::DnsSubdomain);
    errs.extend(validate_pvc_spec(spec_of(o), &Path::new("spec")));
    errs
}

fn validate_pvc_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = validate_pvc(new);
    let spec = spec_of(new);
    let old_spec = spec_of(old);
    let mut new_clone = spec.clone();
    let mut old_clone = old_spec.clone();
    if s(old_spec, "volumeName").is_empty()
        && let Some(m) = old_clone.as_object_mut()
    {
        match get(spec, "volumeName") {
            Some(v) => m.insert("volumeName".to_string(), v.clone()),
            None => m.remove("volumeName"),
        };
    }
    const BETA_SC: &str = "volume.beta.kubernetes.io/storage-class";
    let old_ann = string_map(meta_of(old), "annotations");
    let new_ann = string_map(meta_of(new), "annotations");
    let old_sc_ann = old_ann.iter().find(|(k, _)| *k == BETA_SC).map(|(_, v)| *v);
    let new_sc_ann = new_ann.iter().find(|(k, _)| *k == BETA_SC).map(|(_, v)| *v);
    let (old_sc, new_sc) = (opt_s(old_spec, "storageClassName"), opt_s(spec, "storageClassName"));
    let upgrade_from_annotation = old_sc_ann.is_some()
        && old_sc.is_none()
        && new_sc.is_some_and(|n| Some(n) == old_sc_ann)
        && (new_sc_ann.is_none() || new_sc_ann == old_sc_ann);
    if upgrade_from_annotation {
        if let Some(m) = new_clone.as_object_mut() {
            m.remove("storageClassName");
        }
    } else {
        if new_sc_ann.unwrap_or("") != old_sc_ann.unwrap_or("") {
            errs.push(invalid(
                &Path::new("metadata").child("annotations").child(BETA_SC),
                new_sc_ann.unwrap_or(""),
                FIELD_IMMUTABLE,
            ));
        }
        let upgrade_from_nil = new_sc.is_some() && old_sc.is_none() && (old_sc_ann.is_none() || new_sc == old_sc_ann);
        if upgrade_from_nil && let Some(m) = new_clone.as_object_mut() {
            m.remove("storageClassName");
        }
    }
    let bound = get(new, "status").map(|st| s(st, "phase")) == Some("Bound");
    if bound {
        if let Some(old_storage) = old_spec.pointer("/resources/requests/storage").cloned()
            && let Some(reqs) = new_clone.pointer_mut("/resources/requests").and_then(Value::as_object_mut)
        {
            reqs.insert("storage".to_string(), old_storage);
        }
        if get(spec, "volumeAttributesClassName").is_some()
            && let Some(m) = new_clone.as_object_mut()
        {
            match get(old_spec, "volumeAttributesClassName") {
                Some(v) => m.insert("volumeAttributesClassName".to_string(), v.clone()),
                None => m.remove("volumeAttributesClassName"),
            };
        }
    }
    if !semantic_eq(Some(&new_clone), Some(&old_clone)) {
        errs.push(forbidden(
            &Path::new("spec"),
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        ));
    }
    let size = |v: &Value| v.pointer("/resources/requests/storage").and_then(quantity);
    if let (Some(n), Some(o)) = (size(spec), size(old_spec))
        && n < o
    {
        // RecoverVolumeExpansionFailure is on: shrinking is allowed down to above status.capacity.
        let status_size = get(old, "status").and_then(|st| st.pointer("/capacity/storage")).and_then(quantity);
        let at_or_below_status = match status_size {
            Some(st) => n <= st,
            None => n.sign() <= 0,
        };
        if at_or_below_status {
            errs.push(forbidden(
                &Path::new("spec").child("resources").child("requests").child("storage"),
                "field can not be less than status.capacity",
            ));
        }
    }
    if opt_s(spec, "volumeMode") != opt_s(old_spec, "volumeMode") {
        errs.push(invalid(
            &Path::new("volumeMode"),
            opt_s(spec, "volumeMode").map(named_string).unwrap_or(Value::Null),
            FIELD_IMMUTABLE,
        ));
    }
    match (opt_s(old_spec, "volumeAttributesClassName"), opt_s(spec, "volumeAttributesClassName")) {
        (Some(_), None) => errs.push(forbidden(
            &Path::new("spec").child("volumeAttributesClassName"),
            "update from non-nil value to nil is forbidden",
        )),
        (Some(o), Some("")) if !o.is_empty() => errs.push(forbidden(
            &Path::new("spec").child("volumeAttributesClassName"),
            "update from non-nil value to an empty string is forbidden",
        )),
        _ => {}
    }
    errs
}

// ---------------------------------------------------------------------------
// Namespace, Node, Endpoints
// ---------------------------------------------------------------------------

fn validate_namespace(o: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(o, false, NameRule::DnsLabel);
    let path = Path::new("spec").child("finalizers");
    for f in obj_strings(o, "spec", "finalizers") {
        errs.extend(is_qualified_name(f).into_iter().map(|m| invalid(&path, f, m)));
        errs.extend(meta::validate_kube_finalizer_name(f, &path));
    }
    errs
}

fn obj_strings<'a>(o: &'a Value, outer: &str, key: &str) -> Vec<&'a str> {
    get(o, outer).map(|o| strings(o, key)).unwrap_or_default()
}

fn validate_node_taints(taints: &[Value], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut unique: Vec<(String, String)> = Vec::new();
    for (idx, taint) in taints.iter().enumerate() {
        let p = path.index(idx);
        let (key, value, effect) = (s(taint, "key"), s(taint, "value"), s(taint, "effect"));
        errs.extend(meta::validate_label_name(key, &p.child("key")));
        let msgs = is_valid_label_value(value);
        if !msgs.is_empty() {
            errs.push(invalid(&p.child("value"), value, msgs.join(";")));
        }
        errs.extend(pod::validate_taint_effect(effect, false, &p.child("effect")));
        let pair = (effect.to_string(), key.to_string());
        if unique.contains(&pair) {
            let mut fields = vec![format!("\"key\":{}", json_string(key))];
            if !value.is_empty() {
                fields.push(format!("\"value\":{}", json_string(value)));
            }
            fields.push(format!("\"effect\":{}", json_string(effect)));
            if let Some(t) = opt_s(taint, "timeAdded") {
                fields.push(format!("\"timeAdded\":{}", json_string(t)));
            }
            let mut e = duplicate(&p, raw_value(format!("{{{}}}", fields.join(","))));
            e.detail = "taints must be unique by key and effect pair".to_string();
            errs.push(e);
            continue;
        }
        unique.push(pair);
    }
    errs
}

fn validate_node_resources(o: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(status) = get(o, "status") else {
        return errs;
    };
    for key in ["capacity", "allocatable"] {
        for (name, v) in entries(status, key) {
            if let Some(q) = quantity(v) {
                errs.extend(pod::validate_resource_quantity_value(
                    name,
                    &q,
                    &Path::new("status").child(key).child(name),
                ));
            }
        }
    }
    errs
}

fn validate_node(o: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(o, false, NameRule::DnsSubdomain);
    let spec = spec_of(o);
    errs.extend(validate_node_taints(arr(spec, "taints"), &Path::new("metadata").child("taints")));
    errs.extend(validate_node_resources(o));
    let cidrs: Vec<String> = strings(spec, "podCIDRs").into_iter().map(str::to_string).collect();
    let cidr_path = Path::new("spec").child("podCIDRs");
    for (idx, c) in cidrs.iter().enumerate() {
        errs.extend(net::is_valid_cidr_for_legacy_field(&cidr_path.index(idx), c));
    }
    if cidrs.len() > 1 {
        if !net::is_dual_stack_cidrs(&cidrs) || cidrs.len() > 2 {
            errs.push(invalid(&cidr_path, ips_value(&cidrs), "may specify no more than one CIDR for each IP family"));
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (idx, c) in cidrs.iter().enumerate() {
            if !seen.insert(c) {
                errs.push(duplicate(&cidr_path.index(idx), c.as_str()));
            }
        }
    }
    errs
}

fn validate_node_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = meta_update(new, old);
    errs.extend(validate_node_resources(new));
    let spec = spec_of(new);
    let old_spec = spec_of(old);
    if let Some(status) = get(new, "status") {
        let mut seen: Vec<&Value> = Vec::new();
        for (idx, addr) in arr(status, "addresses").iter().enumerate() {
            if seen.contains(&addr) {
                errs.push(duplicate(
                    &Path::new("status").child("addresses").index(idx),
                    raw_value(format!(
                        "{{\"type\":{},\"address\":{}}}",
                        json_string(s(addr, "type")),
                        json_string(s(addr, "address"))
                    )),
                ));
            }
            seen.push(addr);
        }
    }
    let (old_cidrs, new_cidrs) = (strings(old_spec, "podCIDRs"), strings(spec, "podCIDRs"));
    if !old_cidrs.is_empty() {
        let msg = "node updates may not change podCIDR except from \"\" to valid";
        if old_cidrs.len() != new_cidrs.len() {
            errs.push(forbidden(&Path::new("spec").child("podCIDRs"), msg));
        } else {
            for (o, n) in old_cidrs.iter().zip(&new_cidrs) {
                if o != n {
                    errs.push(forbidden(&Path::new("spec").child("podCIDRs"), msg));
                }
            }
        }
    }
    let old_pid = s(old_spec, "providerID");
    if !old_pid.is_empty() && old_pid != s(spec, "providerID") {
        errs.push(forbidden(
            &Path::new("spec").child("providerID"),
            "node updates may not change providerID except from \"\" to valid",
        ));
    }
    errs.extend(validate_node_taints(arr(spec, "taints"), &Path::new("metadata").child("taints")));
    if s(spec, "externalID") != s(old_spec, "externalID") {
        errs.push(forbidden(&Path::new("spec").child("externalID"), "may not be updated"));
    }
    errs
}

fn validate_endpoints(o: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(o, true, NameRule::DnsSubdomain);
    let path = Path::new("subsets");
    for (idx, ss) in arr(o, "subsets").iter().enumerate() {
        let p = path.index(idx);
        let (addrs, not_ready) = (arr(ss, "addresses"), arr(ss, "notReadyAddresses"));
        if addrs.is_empty() && not_ready.is_empty() {
            errs.push(required(&p, "must specify `addresses` or `notReadyAddresses`"));
        }
        for (key, list) in [("addresses", addrs), ("notReadyAddresses", not_ready)] {
            for (j, addr) in list.iter().enumerate() {
                let ap = p.child(key).index(j);
                let ip = s(addr, "ip");
                errs.extend(net::is_valid_ip_for_legacy_field(&ap.child("ip"), ip));
                let host = s(addr, "hostname");
                if !host.is_empty() {
                    errs.extend(dns_label(host, &ap.child("hostname")));
                }
                if let Some(node) = opt_s(addr, "nodeName") {
                    errs.extend(
                        is_dns1123_subdomain(node).into_iter().map(|m| invalid(&ap.child("nodeName"), node, m)),
                    );
                }
                errs.extend(net::validate_non_special_ip(&ap.child("ip"), ip));
            }
        }
        let ports = arr(ss, "ports");
        for (j, port) in ports.iter().enumerate() {
            let pp = p.child("ports").index(j);
            let name = s(port, "name");
            if ports.len() > 1 && name.is_empty() {
                errs.push(required(&pp.child("name"), ""));
            } else if !name.is_empty() {
                errs.extend(dns_label(name, &pp.child("name")));
            }
            let num = i(port, "port");
            errs.extend(is_valid_port_num(num).into_iter().map(|m| invalid(&pp.child("port"), num, m)));
            let proto = s(port, "protocol");
            if proto.is_empty() {
                errs.push(required(&pp.child("protocol"), ""));
            } else if !PROTOCOLS.contains(&proto) {
                errs.push(not_supported(&pp.child("protocol"), named_string(proto), PROTOCOLS));
            }
            if let Some(ap) = opt_s(port, "appProtocol") {
                errs.extend(qualified_name(ap, &pp.child("appProtocol")));
            }
        }
    }
    errs
}

// ---------------------------------------------------------------------------
// LimitRange and ResourceQuota
// ---------------------------------------------------------------------------

fn validate_limit_range(o: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(o, true, NameRule::DnsSubdomain);
    let spec = spec_of(o);
    let path = Path::new("spec").child("limits");
    let mut types: BTreeSet<&str> = BTreeSet::new();
    for (idx, limit) in arr(spec, "limits").iter().enumerate() {
        let p = path.index(idx);
        let t = s(limit, "type");
        let type_errs: Vec<FieldError> =
            is_qualified_name(t).into_iter().map(|m| invalid(&p.child("type"), named_string(t), m)).collect();
        if type_errs.is_empty() {
            if !t.contains('/') && !matches!(t, "Pod" | "Container" | "PersistentVolumeClaim") {
                errs.push(invalid(
                    &p.child("type"),
                    named_string(t),
                    "must be a standard limit type or fully qualified",
                ));
            }
        } else {
            errs.extend(type_errs);
        }
        if !types.insert(t) {
            errs.push(duplicate(&p.child("type"), named_string(t)));
        }
        let name_check = |name: &str, np: &Path| -> Vec<FieldError> {
            if matches!(t, "Pod" | "Container") {
                pod::validate_container_resource_name(name, np)
            } else {
                pod::validate_resource_name(name, np)
            }
        };
        let mut keys: BTreeSet<&str> = BTreeSet::new();
        let mut quantities: Vec<(&str, &str, Quantity)> = Vec::new();
        let mut check = |field: &'static str, errs: &mut Vec<FieldError>| {
            for (k, v) in entries(limit, field) {
                errs.extend(name_check(k, &p.child(field).key(k)));
                keys.insert(k);
                if let Some(q) = quantity(v) {
                    quantities.push((field, k, q));
                }
            }
        };
        check("max", &mut errs);
        check("min", &mut errs);
        if t == "Pod" {
            if !crate::validation::access::is_empty(get(limit, "default")) {
                errs.push(forbidden(&p.child("default"), "may not be specified when `type` is 'Pod'"));
            }
            if !crate::validation::access::is_empty(get(limit, "defaultRequest")) {
                errs.push(forbidden(&p.child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
            }
        } else {
            check("default", &mut errs);
            check("defaultRequest", &mut errs);
        }
        if t == "PersistentVolumeClaim" {
            let has = |f: &str| get(limit, f).and_then(|m| m.get("storage")).is_some();
            if !has("min") && !has("max") {
                errs.push(required(
                    &p.child("limits"),
                    "either minimum or maximum storage value is required, but neither was provided",
                ));
            }
        }
        check("maxLimitRequestRatio", &mut errs);
        for k in keys {
            let find = |f: &str| quantities.iter().find(|(field, key, _)| *field == f && *key == k).map(|(_, _, q)| q);
            let (min, max, def, def_req, ratio) =
                (find("min"), find("max"), find("default"), find("defaultRequest"), find("maxLimitRequestRatio"));
            let qv = |q: &Quantity| raw_value(json_string(&q.canonical()));
            if let (Some(mn), Some(mx)) = (min, max)
                && mn > mx
            {
                errs.push(invalid(
                    &p.child("min").key(k),
                    qv(mn),
                    format!("min value {} is greater than max value {}", mn.canonical(), mx.canonical()),
                ));
            }
            if let (Some(dr), Some(mn)) = (def_req, min)
                && mn > dr
            {
                errs.push(invalid(
                    &p.child("defaultRequest").key(k),
                    qv(dr),
                    format!("min value {} is greater than default request value {}", mn.canonical(), dr.canonical()),
                ));
            }
            if let (Some(dr), Some(mx)) = (def_req, max)
                && dr > mx
            {
                errs.push(invalid(
                    &p.child("defaultRequest").key(k),
                    qv(dr),
                    format!("default request value {} is greater than max value {}", dr.canonical(), mx.canonical()),
                ));
            }
            if let (Some(dr), Some(d)) = (def_req, def)
                && dr > d
            {
                errs.push(invalid(
                    &p.child("defaultRequest").key(k),
                    qv(dr),
                    format!(
                        "default request value {} is greater than default limit value {}",
                        dr.canonical(),
                        d.canonical()
                    ),
                ));
            }
            if let (Some(d), Some(mn)) = (def, min)
                && mn > d
            {
                errs.push(invalid(
                    &p.child("default").key(k),
                    qv(mn),
                    format!("min value {} is greater than default value {}", mn.canonical(), d.canonical()),
                ));
            }
            if let (Some(d), Some(mx)) = (def, max)
                && d > mx
            {
                errs.push(invalid(
                    &p.child("default").key(k),
                    qv(mx),
                    format!("default value {} is greater than max value {}", d.canonical(), mx.canonical()),
                ));
            }
            if let Some(r) = ratio
                && *r < Quantity::from_int(1, Format::DecimalSi)
            {
                errs.push(invalid(
                    &p.child("maxLimitRequestRatio").key(k),
                    qv(r),
                    format!("ratio {} is less than 1", r.canonical()),
                ));
            }
            if let (Some(d), Some(dr)) = (def, def_req)
                && (!pod::is_native_resource(k) || pod::is_huge_page_resource(k))
                && d != dr
            {
                errs.push(invalid(
                    &p.child("defaultRequest").key(k),
                    qv(dr),
                    format!(
                        "default value {} must equal to defaultRequest value {} in {}",
                        d.canonical(),
                        dr.canonical(),
                        k
                    ),
                ));
            }
        }
    }
    errs
}

const QUOTA_SCOPES: &[&str] = &[
    "Terminating",
    "NotTerminating",
    "BestEffort",
    "NotBestEffort",
    "PriorityClass",
    "CrossNamespacePodAffinity",
    "VolumeAttributesClass",
];

const STANDARD_QUOTA_RESOURCES: &[&str] = &[
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "requests.storage",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "persistentvolumeclaims",
    "configmaps",
    "secrets",
    "services.nodeports",
    "services.loadbalancers",
    "ephemeral-storage",
];

fn validate_quota_resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = pod::validate_resource_name(name, path);
    if !name.contains('/')
        && !STANDARD_QUOTA_RESOURCES.contains(&name)
        && !name.starts_with("requests.hugepages-")
        && !name.starts_with("limits.hugepages-")
    {
        errs.push(invalid(path, named_string(name), "must be a standard resource for quota"));
    }
    errs
}

fn validate_resource_quota_spec(spec: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let hard_path = path.child("hard");
    for (k, v) in entries(spec, "hard") {
        let p = hard_path.key(k);
        errs.extend(validate_quota_resource_name(k, &p));
        if let Some(q) = quantity(v) {
            errs.extend(pod::validate_resource_quantity_value(k, &q, &p));
        }
    }
    let scopes = strings(spec, "scopes");
    if !scopes.is_empty() {
        let sp = path.child("scopes");
        let value = Value::Array(scopes.iter().map(|s| named_string(s)).collect());
        for scope in &scopes {
            if !QUOTA_SCOPES.contains(scope) {
                errs.push(invalid(&sp, value.clone(), "unsupported scope"));
            }
        }
        let has = |a: &str| scopes.contains(&a);
        if (has("BestEffort") && has("NotBestEffort")) || (has("Terminating") && has("NotTerminating")) {
            errs.push(invalid(&sp, value.clone(), "conflicting scopes"));
        }
    }
    if let Some(sel) = obj(spec, "scopeSelector") {
        let mp = path.child("scopeSelector").child("matchExpressions");
        for req in arr(sel, "matchExpressions") {
            let scope = s(req, "scopeName");
            if !QUOTA_SCOPES.contains(&scope) {
                errs.push(invalid(&mp.child("scopeName"), named_string(scope), "unsupported scope"));
            }
            let op = s(req, "operator");
            if matches!(
                scope,
                "BestEffort" | "NotBestEffort" | "Terminating" | "NotTerminating" | "CrossNamespacePodAffinity"
            ) && op != "Exists"
            {
                errs.push(invalid(
                    &mp.child("operator"),
                    named_string(op),
                    "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
                ));
            }
            let values = strings(req, "values");
            match op {
                "In" | "NotIn" => {
                    if values.is_empty() {
                        errs.push(required(
                            &mp.child("values"),
                            "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
                        ));
                    }
                }
                "Exists" | "DoesNotExist" => {
                    if !values.is_empty() {
                        errs.push(invalid(
                            &mp.child("values"),
                            string_list_value(&values),
                            "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
                        ));
                    }
                }
                _ => errs.push(invalid(&mp.child("operator"), named_string(op), "not a valid selector operator")),
            }
        }
    }
    errs
}

fn validate_resource_quota(o: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(o, true, NameRule::DnsSubdomain);
    errs.extend(validate_resource_quota_spec(spec_of(o), &Path::new("spec")));
    if let Some(status) = get(o, "status") {
        for key in ["hard", "used"] {
            for (k, v) in entries(status, key) {
                let p = Path::new("status").child(key).key(k);
                errs.extend(validate_quota_resource_name(k, &p));
                if let Some(q) = quantity(v) {
                    errs.extend(pod::validate_resource_quantity_value(k, &q, &p));
                }
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::pod::tests::{valid_pod, with};
    use serde_json::json;

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn create(kind: &str, o: &Value) -> Vec<String> {
        texts(&validate_create(kind, o).expect("kind has rules"))
    }

    fn update(kind: &str, new: &Value, old: &Value) -> Vec<String> {
        texts(&validate_update(kind, new, old).expect("kind has rules"))
    }

    fn service() -> Value {
        json!({"metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"}, "spec": {
            "type": "ClusterIP", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
            "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}})
    }

    fn rc() -> Value {
        json!({"metadata": {"name": "rc", "namespace": "default", "resourceVersion": "1"}, "spec": {
            "replicas": 1, "selector": {"app": "web"},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": valid_pod()["spec"].clone()}}})
    }

    #[test]
    fn pods_and_templates() {
        assert_eq!(create("Pod", &valid_pod()), Vec::<String>::new());
        let pt = json!({"metadata": {"name": "pt", "namespace": "default"}, "template": {"spec": valid_pod()["spec"].clone()}});
        assert_eq!(create("PodTemplate", &pt), Vec::<String>::new());
    }

    #[test]
    fn replication_controllers() {
        assert_eq!(create("ReplicationController", &rc()), Vec::<String>::new());
        let bad = with(rc(), "/spec/template/metadata/labels", json!({"app": "other"}));
        assert_eq!(
            create("ReplicationController", &bad),
            vec![
                "spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`",
            ]
        );
        let bad = with(rc(), "/spec/template/spec/restartPolicy", json!("OnFailure"));
        assert_eq!(
            create("ReplicationController", &bad),
            vec!["spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",]
        );
        let bad = with(with(rc(), "/spec/selector", json!({})), "/spec/replicas", json!(-1));
        assert_eq!(
            create("ReplicationController", &bad),
            vec![
                "spec.selector: Required value",
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            ]
        );
    }

    #[test]
    fn services() {
        assert_eq!(create("Service", &service()), Vec::<String>::new());
        let bad = with(service(), "/metadata/name", json!("1web"));
        assert_eq!(
            create("Service", &bad)[0],
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        );
        let bad = with(service(), "/spec/ports", json!([]));
        assert_eq!(create("Service", &bad), vec!["spec.ports: Required value"]);
        let bad = with(
            service(),
            "/spec/ports",
            json!([
                {"port": 80, "targetPort": 80, "protocol": "TCP"},
                {"port": 80, "targetPort": 80, "protocol": "TCP", "name": "http"}
            ]),
        );
        assert_eq!(
            create("Service", &bad),
            vec![
                "spec.ports[0].name: Required value",
                "spec.ports[1]: Duplicate value: {\"protocol\":\"TCP\",\"port\":80,\"targetPort\":0}",
            ]
        );
        let bad = with(service(), "/spec/type", json!("Magic"));
        assert_eq!(
            create("Service", &bad),
            vec![
                "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
            ]
        );
        let ext = json!({"metadata": {"name": "ext", "namespace": "default"}, "spec": {"type": "ExternalName", "sessionAffinity": "None"}});
        assert_eq!(create("Service", &ext), vec!["spec.externalName: Required value"]);
        let headless = with(with(service(), "/spec/clusterIP", json!("None")), "/spec/clusterIPs", json!(["None"]));
        assert_eq!(create("Service", &headless), Vec::<String>::new());
        let bad = with(with(service(), "/spec/clusterIP", json!("10.0.0")), "/spec/clusterIPs", json!(["10.0.0"]));
        assert_eq!(
            create("Service", &bad),
            vec![
                "spec.clusterIPs[0]: Invalid value: \"10.0.0\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ]
        );
        let bad = with(service(), "/spec/ports/0/nodePort", json!(30000));
        assert_eq!(
            create("Service", &bad),
            vec!["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
        );
    }

    #[test]
    fn service_updates() {
        let old = service();
        let mut new = service();
        new["spec"]["clusterIP"] = json!("10.96.0.11");
        new["spec"]["clusterIPs"] = json!(["10.96.0.11"]);
        assert_eq!(
            update("Service", &new, &old),
            vec!["spec.clusterIPs[0]: Invalid value: [\"10.96.0.11\"]: may not change once set",]
        );
        let mut new = service();
        new["spec"]["selector"] = json!({"app": "api"});
        assert_eq!(update("Service", &new, &old), Vec::<String>::new());
    }

    #[test]
    fn config_maps() {
        let cm = json!({"metadata": {"name": "cm", "namespace": "default", "resourceVersion": "1"}, "data": {"a.b": "1", "bad key": "2"}, "binaryData": {"a.b": "AAAA"}});
        assert_eq!(
            create("ConfigMap", &cm),
            vec![
                "data[a.b]: Invalid value: \"a.b\": duplicate of key present in binaryData",
                "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            ]
        );
        let big =
            json!({"metadata": {"name": "cm", "namespace": "default"}, "data": {"k": "x".repeat(1024 * 1024 + 1)}});
        assert_eq!(create("ConfigMap", &big), vec!["[]: Too long: may not be more than 1048576 bytes"]);
        let old = json!({"metadata": {"name": "cm", "namespace": "default", "resourceVersion": "1"}, "immutable": true, "data": {"a": "1"}});
        let new =
            json!({"metadata": {"name": "cm", "namespace": "default", "resourceVersion": "1"}, "data": {"a": "2"}});
        assert_eq!(
            update("ConfigMap", &new, &old),
            vec![
                "immutable: Forbidden: field is immutable when `immutable` is set",
                "data: Forbidden: field is immutable when `immutable` is set",
            ]
        );
    }

    #[test]
    fn secrets() {
        let tls = json!({"metadata": {"name": "s", "namespace": "default", "resourceVersion": "1"}, "type": "kubernetes.io/tls", "data": {"tls.crt": "YQ=="}});
        assert_eq!(create("Secret", &tls), vec!["data[tls.key]: Required value"]);
        let with_string_data = with(tls.clone(), "/stringData", json!({"tls.key": "k"}));
        assert_eq!(create("Secret", &with_string_data), Vec::<String>::new());
        let docker = json!({"metadata": {"name": "s", "namespace": "default"}, "type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": "bm9wZQ=="}});
        assert_eq!(
            create("Secret", &docker),
            vec![
                "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'n' looking for beginning of value",
            ]
        );
        let sa =
            json!({"metadata": {"name": "s", "namespace": "default"}, "type": "kubernetes.io/service-account-token"});
        assert_eq!(
            create("Secret", &sa),
            vec!["metadata.annotations[kubernetes.io/service-account.name]: Required value"]
        );
        let basic = json!({"metadata": {"name": "s", "namespace": "default"}, "type": "kubernetes.io/basic-auth"});
        assert_eq!(create("Secret", &basic), vec!["data[username]: Required value", "data[password]: Required value"]);
        let old = json!({"metadata": {"name": "s", "namespace": "default", "resourceVersion": "1"}, "type": "Opaque", "immutable": true, "data": {"a": "YQ=="}});
        let new = json!({"metadata": {"name": "s", "namespace": "default", "resourceVersion": "1"}, "type": "kubernetes.io/basic-auth", "immutable": true, "data": {"a": "Yg=="}});
        assert_eq!(
            update("Secret", &new, &old),
            vec![
                "type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable",
                "data: Forbidden: field is immutable when `immutable` is set",
                "data[username]: Required value",
                "data[password]: Required value",
            ]
        );
    }

    fn pvc() -> Value {
        json!({"metadata": {"name": "data", "namespace": "default", "resourceVersion": "1"}, "spec": {
            "accessModes": ["ReadWriteOnce"], "volumeMode": "Filesystem", "resources": {"requests": {"storage": "1Gi"}}}})
    }

    #[test]
    fn persistent_volume_claims() {
        assert_eq!(create("PersistentVolumeClaim", &pvc()), Vec::<String>::new());
        let bad = with(with(pvc(), "/spec/accessModes", json!([])), "/spec/resources", json!({}));
        assert_eq!(
            create("PersistentVolumeClaim", &bad),
            vec![
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.resources[storage]: Required value",
            ]
        );
        let bad = with(pvc(), "/spec/accessModes", json!(["ReadWriteOncePod", "ReadWriteOnce", "Sometimes"]));
        assert_eq!(
            create("PersistentVolumeClaim", &bad),
            vec![
                "spec.accessModes: Unsupported value: \"Sometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
            ]
        );
        let bad = with(pvc(), "/spec/resources/requests/storage", json!("0"));
        assert_eq!(
            create("PersistentVolumeClaim", &bad),
            vec!["spec.resources[storage]: Invalid value: \"0\": must be greater than zero"]
        );
        let new = with(pvc(), "/spec/accessModes", json!(["ReadWriteMany"]));
        assert_eq!(
            update("PersistentVolumeClaim", &new, &pvc()),
            vec![
                "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
            ]
        );
        let bound = |v: Value| with(v, "/status", json!({"phase": "Bound", "capacity": {"storage": "1Gi"}}));
        let new = bound(with(pvc(), "/spec/resources/requests/storage", json!("2Gi")));
        assert_eq!(update("PersistentVolumeClaim", &new, &bound(pvc())), Vec::<String>::new());
        let new = with(pvc(), "/spec/volumeName", json!("pv-1"));
        assert_eq!(update("PersistentVolumeClaim", &new, &pvc()), Vec::<String>::new());
    }

    #[test]
    fn namespaces_nodes_and_endpoints() {
        let ns = json!({"metadata": {"name": "my.ns"}});
        assert_eq!(create("Namespace", &ns), vec!["metadata.name: Invalid value: \"my.ns\": must not contain dots"]);
        let ns =
            json!({"metadata": {"name": "ok", "namespace": "x"}, "spec": {"finalizers": ["kubernetes", "custom"]}});
        assert_eq!(
            create("Namespace", &ns),
            vec![
                "metadata.namespace: Forbidden: not allowed on this type",
                "spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified",
            ]
        );
        let node = json!({"metadata": {"name": "n1"}, "spec": {"taints": [{"key": "k", "effect": "Sometimes"}, {"key": "k", "effect": "NoSchedule"}, {"key": "k", "effect": "NoSchedule"}], "podCIDRs": ["10.0.0.0/33"]}});
        assert_eq!(
            create("Node", &node),
            vec![
                "metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                "metadata.taints[2]: Duplicate value: {\"key\":\"k\",\"effect\":\"NoSchedule\"}: taints must be unique by key and effect pair",
                "spec.podCIDRs[0]: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ]
        );
        let ep = json!({"metadata": {"name": "web", "namespace": "default"}, "subsets": [{"addresses": [{"ip": "127.0.0.1"}], "ports": [{"port": 80, "protocol": "TCP"}]}, {}]});
        assert_eq!(
            create("Endpoints", &ep),
            vec![
                "subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
                "subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`",
            ]
        );
    }

    #[test]
    fn quotas_and_limit_ranges() {
        let rq = json!({"metadata": {"name": "q", "namespace": "default"}, "spec": {"hard": {"pods": "1.5", "bogus": "1"}, "scopes": ["BestEffort", "NotBestEffort"]}});
        assert_eq!(
            create("ResourceQuota", &rq),
            vec![
                "spec.hard[bogus]: Invalid value: \"bogus\": must be a standard resource type or fully qualified",
                "spec.hard[bogus]: Invalid value: \"bogus\": must be a standard resource for quota",
                "spec.hard[pods]: Invalid value: \"1500m\": must be an integer",
                "spec.scopes: Invalid value: [\"BestEffort\",\"NotBestEffort\"]: conflicting scopes",
            ]
        );
        let lr = json!({"metadata": {"name": "lr", "namespace": "default"}, "spec": {"limits": [{"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}}]}});
        assert_eq!(
            create("LimitRange", &lr),
            vec!["spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1"]
        );
    }

    #[test]
    fn other_core_kinds_are_not_handled_here() {
        assert!(validate_create("Event", &json!({})).is_none());
        assert!(validate_update("Event", &json!({}), &json!({})).is_none());
    }
}
