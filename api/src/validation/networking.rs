//! Validation of the `networking.k8s.io` group: Ingress, IngressClass and
//! NetworkPolicy.

use serde_json::Value;

use crate::validation::access::{arr, as_i64, get, i, meta_of, obj, opt_i, opt_s, s, spec_of};
use crate::validation::field::{FieldError, Path, forbidden, invalid, named_string, not_supported, required, too_long};
use crate::validation::meta::{self, FIELD_IMMUTABLE, validate_label_selector};
use crate::validation::names::{
    NameRule, is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_domain_prefixed_path, is_valid_port_name,
    is_valid_port_num, is_wildcard_dns1123_subdomain, validate_name,
};
use crate::validation::net;

const INGRESS_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

/// Validation of a new networking object; `None` for kinds without specific rules.
pub fn validate_create(kind: &str, obj: &Value) -> Option<Vec<FieldError>> {
    Some(match kind {
        "Ingress" => {
            let mut errs = validate_ingress(obj, &IngressOptions::default());
            let annotations = crate::validation::access::string_map(meta_of(obj), "annotations");
            if let Some((_, v)) = annotations.iter().find(|(k, _)| *k == INGRESS_CLASS_ANNOTATION)
                && get(spec_of(obj), "ingressClassName").is_some()
            {
                errs.push(invalid(
                    &Path::new("annotations").child(INGRESS_CLASS_ANNOTATION),
                    *v,
                    "can not be set when the class field is also set",
                ));
            }
            errs
        }
        "IngressClass" => validate_ingress_class(obj),
        "NetworkPolicy" => validate_network_policy(obj, false),
        "ServiceCIDR" => {
            let mut errs = meta::validate_core_object_meta(meta_of(obj), false, NameRule::DnsSubdomain);
            errs.extend(validate_service_cidr_spec(spec_of(obj)));
            errs
        }
        _ => return None,
    })
}

/// Validation of an update of a networking object; `None` for kinds without specific rules.
pub fn validate_update(kind: &str, new: &Value, old: &Value) -> Option<Vec<FieldError>> {
    let mut errs = meta::validate_core_object_meta_update(meta_of(new), meta_of(old));
    match kind {
        "Ingress" => {
            let opts = IngressOptions {
                allow_invalid_secret_name: arr(spec_of(old), "tls")
                    .iter()
                    .any(|t| !tls_secret_name_errors(s(t, "secretName")).is_empty()),
                allow_invalid_wildcard_host_rule: arr(spec_of(old), "rules").iter().any(|r| {
                    s(r, "host").contains('*')
                        && !validate_rule_value(r, &Path::new(""), &IngressOptions::default()).is_empty()
                }),
            };
            errs.extend(validate_ingress(new, &opts));
        }
        "IngressClass" => {
            let (nc, oc) = (s(spec_of(new), "controller"), s(spec_of(old), "controller"));
            if nc != oc {
                errs.push(invalid(&Path::new("spec").child("controller"), nc, FIELD_IMMUTABLE));
            }
            errs.extend(validate_ingress_class(new));
        }
        "NetworkPolicy" => {
            let old_invalid =
                !validate_label_selector(obj(spec_of(old), "podSelector"), false, &Path::new("")).is_empty();
            errs.extend(validate_network_policy_spec(spec_of(new), old_invalid));
        }
        "ServiceCIDR" => errs.extend(validate_service_cidr_spec(spec_of(new))),
        _ => return None,
    }
    Some(errs)
}

#[derive(Default)]
struct IngressOptions {
    allow_invalid_secret_name: bool,
    allow_invalid_wildcard_host_rule: bool,
}

fn tls_secret_name_errors(name: &str) -> Vec<String> {
    if name.is_empty() { Vec::new() } else { is_dns1123_subdomain(name) }
}

fn validate_ingress(ing: &Value, opts: &IngressOptions) -> Vec<FieldError> {
    let mut errs = meta::validate_core_object_meta(meta_of(ing), true, NameRule::DnsSubdomain);
    let spec = spec_of(ing);
    let path = Path::new("spec");
    let rules = arr(spec, "rules");
    let default_backend = obj(spec, "defaultBackend");
    if rules.is_empty() && default_backend.is_none() {
        let value = get(spec, "rules").cloned().unwrap_or(Value::Null);
        errs.push(invalid(&path, value, "either `defaultBackend` or `rules` must be specified"));
    }
    if let Some(b) = default_backend {
        errs.extend(validate_backend(b, &path.child("defaultBackend")));
    }
    for (idx, rule) in rules.iter().enumerate() {
        let rp = path.child("rules").index(idx);
        let host = s(rule, "host");
        let mut wildcard = false;
        if !host.is_empty() {
            if net::parse_ip_sloppy(host).is_some() {
                errs.push(invalid(&rp.child("host"), host, "must be a DNS name, not an IP address"));
            }
            if host.contains('*') {
                errs.extend(
                    is_wildcard_dns1123_subdomain(host).into_iter().map(|m| invalid(&rp.child("host"), host, m)),
                );
                wildcard = true;
            } else {
                errs.extend(is_dns1123_subdomain(host).into_iter().map(|m| invalid(&rp.child("host"), host, m)));
            }
        }
        if !wildcard || !opts.allow_invalid_wildcard_host_rule {
            errs.extend(validate_rule_value(rule, &rp, opts));
        }
    }
    for (ti, tls) in arr(spec, "tls").iter().enumerate() {
        let tp = path.child("tls").index(ti);
        for (hi, host) in crate::validation::access::strings(tls, "hosts").iter().enumerate() {
            let hp = tp.child("hosts").index(hi);
            let msgs =
                if host.contains('*') { is_wildcard_dns1123_subdomain(host) } else { is_dns1123_subdomain(host) };
            errs.extend(msgs.into_iter().map(|m| invalid(&hp, *host, m)));
        }
        if !opts.allow_invalid_secret_name {
            let name = s(tls, "secretName");
            errs.extend(tls_secret_name_errors(name).into_iter().map(|m| invalid(&tp.child("secretName"), name, m)));
        }
    }
    if let Some(class) = opt_s(spec, "ingressClassName") {
        errs.extend(
            is_dns1123_subdomain(class).into_iter().map(|m| invalid(&path.child("ingressClassName"), class, m)),
        );
    }
    errs
}

fn validate_rule_value(rule: &Value, path: &Path, _opts: &IngressOptions) -> Vec<FieldError> {
    let Some(http) = obj(rule, "http") else {
        return Vec::new();
    };
    let hp = path.child("http");
    let paths = arr(http, "paths");
    let mut errs = Vec::new();
    if paths.is_empty() {
        errs.push(required(&hp.child("paths"), ""));
    }
    for (idx, p) in paths.iter().enumerate() {
        errs.extend(validate_http_path(p, &hp.child("paths").index(idx)));
    }
    errs
}

fn validate_http_path(p: &Value, path: &Path) -> Vec<FieldError> {
    let Some(path_type) = opt_s(p, "pathType") else {
        return vec![required(&path.child("pathType"), "pathType must be specified")];
    };
    let mut errs = Vec::new();
    let value = s(p, "path");
    let pp = path.child("path");
    match path_type {
        "Exact" | "Prefix" => {
            if !value.starts_with('/') {
                errs.push(invalid(&pp, value, "must be an absolute path"));
            }
            if !value.is_empty() {
                for seq in ["//", "/./", "/../", "%2f", "%2F"] {
                    if value.contains(seq) {
                        errs.push(invalid(&pp, value, format!("must not contain '{seq}'")));
                    }
                }
                for suffix in ["/..", "/."] {
                    if value.ends_with(suffix) {
                        errs.push(invalid(&pp, value, format!("cannot end with '{suffix}'")));
                    }
                }
            }
        }
        "ImplementationSpecific" => {
            if !value.is_empty() && !value.starts_with('/') {
                errs.push(invalid(&pp, value, "must be an absolute path"));
            }
        }
        _ => errs.push(not_supported(
            &path.child("pathType"),
            named_string(path_type),
            &["Exact", "ImplementationSpecific", "Prefix"],
        )),
    }
    let null = Value::Null;
    errs.extend(validate_backend(obj(p, "backend").unwrap_or(&null), &path.child("backend")));
    errs
}

/// path.IsValidPathSegmentName.
fn path_segment_errors(name: &str) -> Vec<String> {
    validate_name(NameRule::PathSegment, name, false)
}

fn validate_typed_local_object_ref(r: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(group) = opt_s(r, "apiGroup") {
        errs.extend(is_dns1123_subdomain(group).into_iter().map(|m| invalid(&path.child("apiGroup"), group, m)));
    }
    for key in ["kind", "name"] {
        let v = s(r, key);
        if v.is_empty() {
            errs.push(required(&path.child(key), format!("{key} is required")));
        } else {
            errs.extend(path_segment_errors(v).into_iter().map(|m| invalid(&path.child(key), v, m)));
        }
    }
    errs
}

fn validate_backend(backend: &Value, path: &Path) -> Vec<FieldError> {
    let resource = obj(backend, "resource");
    let service = obj(backend, "service");
    match (resource, service) {
        (Some(_), Some(_)) => vec![invalid(path, "", "cannot set both resource and service backends")],
        (Some(r), None) => validate_typed_local_object_ref(r, &path.child("resource")),
        (None, Some(svc)) => {
            let mut errs = Vec::new();
            let sp = path.child("service");
            let name = s(svc, "name");
            if name.is_empty() {
                errs.push(required(&sp.child("name"), ""));
            } else {
                errs.extend(is_dns1035_label(name).into_iter().map(|m| invalid(&sp.child("name"), name, m)));
            }
            let null = Value::Null;
            let port = obj(svc, "port").unwrap_or(&null);
            let (port_name, port_num) = (s(port, "name"), i(port, "number"));
            if !port_name.is_empty() && port_num != 0 {
                errs.push(invalid(path, "", "cannot set both port name & port number"));
            } else if !port_name.is_empty() {
                errs.extend(
                    is_valid_port_name(port_name)
                        .into_iter()
                        .map(|m| invalid(&sp.child("port").child("name"), port_name, m)),
                );
            } else if port_num != 0 {
                errs.extend(
                    is_valid_port_num(port_num)
                        .into_iter()
                        .map(|m| invalid(&sp.child("port").child("number"), port_num, m)),
                );
            } else {
                errs.push(required(path, "port name or number is required"));
            }
            errs
        }
        (None, None) => vec![invalid(path, "", "resource or service backend is required")],
    }
}

fn validate_ingress_class(ic: &Value) -> Vec<FieldError> {
    let mut errs = meta::validate_core_object_meta(meta_of(ic), false, NameRule::DnsSubdomain);
    let spec = spec_of(ic);
    let path = Path::new("spec");
    let controller = s(spec, "controller");
    if controller.len() > 250 {
        errs.push(too_long(&path.child("controller"), 250));
    }
    errs.extend(is_domain_prefixed_path(&path.child("controller"), controller));
    if let Some(params) = obj(spec, "parameters") {
        let pp = path.child("parameters");
        errs.extend(validate_typed_local_object_ref(params, &pp));
        match opt_s(params, "scope") {
            None => errs.push(required(&pp.child("scope"), "")),
            Some(scope) => {
                if !matches!(scope, "Cluster" | "Namespace") {
                    errs.push(not_supported(&pp.child("scope"), scope, &["Cluster", "Namespace"]));
                } else {
                    let ns = opt_s(params, "namespace");
                    if scope == "Namespace" {
                        match ns {
                            None => {
                                errs.push(required(&pp.child("namespace"), "`parameters.scope` is set to 'Namespace'"))
                            }
                            Some(n) => errs
                                .extend(is_dns1123_label(n).into_iter().map(|m| invalid(&pp.child("namespace"), n, m))),
                        }
                    }
                    if scope == "Cluster" && ns.is_some() {
                        errs.push(forbidden(&pp.child("namespace"), "`parameters.scope` is set to 'Cluster'"));
                    }
                }
            }
        }
    }
    errs
}

fn validate_network_policy(np: &Value, allow_invalid: bool) -> Vec<FieldError> {
    let mut errs = meta::validate_core_object_meta(meta_of(np), true, NameRule::DnsSubdomain);
    errs.extend(validate_network_policy_spec(spec_of(np), allow_invalid));
    errs
}

fn validate_np_port(port: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(proto) = opt_s(port, "protocol")
        && !matches!(proto, "TCP" | "UDP" | "SCTP")
    {
        errs.push(not_supported(&path.child("protocol"), named_string(proto), &["TCP", "UDP", "SCTP"]));
    }
    let end_port = opt_i(port, "endPort");
    match get(port, "port") {
        Some(Value::String(name)) => {
            if let Some(e) = end_port {
                errs.push(invalid(&path.child("endPort"), e, "may not be specified when `port` is non-numeric"));
            }
            errs.extend(is_valid_port_name(name).into_iter().map(|m| invalid(&path.child("port"), name.as_str(), m)));
        }
        Some(v) => {
            let n = as_i64(v).unwrap_or(0);
            errs.extend(is_valid_port_num(n).into_iter().map(|m| invalid(&path.child("port"), n, m)));
            if let Some(e) = end_port {
                if e < n {
                    errs.push(invalid(&path.child("endPort"), n, "must be greater than or equal to `port`"));
                }
                errs.extend(is_valid_port_num(e).into_iter().map(|m| invalid(&path.child("endPort"), e, m)));
            }
        }
        None => {
            if let Some(e) = end_port {
                errs.push(invalid(&path.child("endPort"), e, "may not be specified when `port` is not specified"));
            }
        }
    }
    errs
}

fn validate_ip_block(block: &Value, path: &Path) -> Vec<FieldError> {
    let cidr = s(block, "cidr");
    if cidr.is_empty() {
        return vec![required(&path.child("cidr"), "")];
    }
    let Some(parsed) = net::parse_cidr_sloppy(cidr) else {
        return vec![invalid(&path.child("cidr"), cidr, "not a valid CIDR")];
    };
    let mut errs = Vec::new();
    for (idx, except) in crate::validation::access::strings(block, "except").iter().enumerate() {
        let ep = path.child("except").index(idx);
        let Some(e) = net::parse_cidr_sloppy(except) else {
            errs.push(invalid(&ep, *except, "not a valid CIDR"));
            return errs;
        };
        if !parsed.contains(&e.network) || parsed.prefix >= e.prefix {
            errs.push(invalid(&ep, *except, "must be a strict subset of `cidr`"));
        }
    }
    errs
}

fn validate_peer(peer: &Value, allow_invalid: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut num = 0;
    for key in ["podSelector", "namespaceSelector"] {
        if let Some(sel) = obj(peer, key) {
            num += 1;
            errs.extend(validate_label_selector(Some(sel), allow_invalid, &path.child(key)));
        }
    }
    let ip_block = obj(peer, "ipBlock");
    if let Some(b) = ip_block {
        num += 1;
        errs.extend(validate_ip_block(b, &path.child("ipBlock")));
    }
    if num == 0 {
        errs.push(required(path, "must specify a peer"));
    } else if num > 1 && ip_block.is_some() {
        errs.push(forbidden(path, "may not specify both ipBlock and another peer"));
    }
    errs
}

fn validate_network_policy_spec(spec: &Value, allow_invalid: bool) -> Vec<FieldError> {
    let path = Path::new("spec");
    let empty = serde_json::json!({});
    let pod_selector = obj(spec, "podSelector").unwrap_or(&empty);
    let mut errs = validate_label_selector(Some(pod_selector), allow_invalid, &path.child("podSelector"));
    for (dir, peers_key) in [("ingress", "from"), ("egress", "to")] {
        for (idx, rule) in arr(spec, dir).iter().enumerate() {
            let rp = path.child(dir).index(idx);
            for (j, port) in arr(rule, "ports").iter().enumerate() {
                errs.extend(validate_np_port(port, &rp.child("ports").index(j)));
            }
            for (j, peer) in arr(rule, peers_key).iter().enumerate() {
                errs.extend(validate_peer(peer, allow_invalid, &rp.child(peers_key).index(j)));
            }
        }
    }
    let types = crate::validation::access::strings(spec, "policyTypes");
    if types.len() > 2 {
        errs.push(invalid(
            &path.child("policyTypes"),
            Value::Array(types.iter().map(|t| named_string(t)).collect()),
            "may not specify more than two policyTypes",
        ));
        return errs;
    }
    for (idx, t) in types.iter().enumerate() {
        if !matches!(*t, "Ingress" | "Egress") {
            errs.push(not_supported(&path.child("policyTypes").index(idx), named_string(t), &["Ingress", "Egress"]));
        }
    }
    errs
}

/// ServiceCIDR's spec: one or two strictly valid CIDRs, one per IP family.
fn validate_service_cidr_spec(spec: &Value) -> Vec<FieldError> {
    let path = Path::new("spec").child("cidrs");
    let cidrs: Vec<String> =
        crate::validation::access::strings(spec, "cidrs").into_iter().map(str::to_string).collect();
    let spec_value = || {
        let list: Vec<String> = cidrs.iter().map(|c| crate::validation::field::json_string(c)).collect();
        crate::validation::field::raw_value(format!("{{\"cidrs\":[{}]}}", list.join(",")))
    };
    if cidrs.is_empty() {
        return vec![required(&path, "at least one CIDR required")];
    }
    if cidrs.len() > 2 {
        return vec![invalid(&path, spec_value(), "may only hold up to 2 values")];
    }
    let mut errs: Vec<FieldError> =
        cidrs.iter().enumerate().flat_map(|(i, c)| net::is_valid_cidr(&path.index(i), c)).collect();
    if cidrs.len() == 2 && !net::is_dual_stack_cidrs(&cidrs) {
        errs.push(invalid(
            &path,
            spec_value(),
            "may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn create(kind: &str, o: &Value) -> Vec<String> {
        texts(&validate_create(kind, o).expect("kind has rules"))
    }

    fn ingress() -> Value {
        json!({"metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"}, "spec": {
            "ingressClassName": "nginx",
            "rules": [{"host": "example.com", "http": {"paths": [
                {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}],
            "tls": [{"hosts": ["example.com"], "secretName": "web-tls"}]}})
    }

    #[test]
    fn ingresses() {
        assert_eq!(create("Ingress", &ingress()), Vec::<String>::new());
        let bad = json!({"metadata": {"name": "web", "namespace": "default"}, "spec": {}});
        assert_eq!(
            create("Ingress", &bad),
            vec!["spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"]
        );
        let mut bad = ingress();
        bad["spec"]["rules"][0]["host"] = json!("1.2.3.4");
        bad["spec"]["rules"][0]["http"]["paths"] = json!([
            {"path": "/a", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
            {"path": "a//b", "pathType": "Exact", "backend": {"service": {"name": "web", "port": {"number": 80, "name": "http"}}}},
            {"path": "/", "pathType": "Wild", "backend": {}}
        ]);
        assert_eq!(
            create("Ingress", &bad),
            vec![
                "spec.rules[0].host: Invalid value: \"1.2.3.4\": must be a DNS name, not an IP address",
                "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
                "spec.rules[0].http.paths[1].path: Invalid value: \"a//b\": must be an absolute path",
                "spec.rules[0].http.paths[1].path: Invalid value: \"a//b\": must not contain '//'",
                "spec.rules[0].http.paths[1].backend: Invalid value: \"\": cannot set both port name & port number",
                "spec.rules[0].http.paths[2].pathType: Unsupported value: \"Wild\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"",
                "spec.rules[0].http.paths[2].backend: Invalid value: \"\": resource or service backend is required",
            ]
        );
        let mut both = ingress();
        both["metadata"]["annotations"] = json!({"kubernetes.io/ingress.class": "nginx"});
        assert_eq!(
            create("Ingress", &both),
            vec![
                "annotations.kubernetes.io/ingress.class: Invalid value: \"nginx\": can not be set when the class field is also set",
            ]
        );
    }

    #[test]
    fn network_policies() {
        let np = json!({"metadata": {"name": "deny", "namespace": "default"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Sideways"],
            "ingress": [{"from": [{}, {"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.1.0.0/24"]}, "podSelector": {}}],
                "ports": [{"protocol": "TCP", "port": 80, "endPort": 70}, {"protocol": "ICMP", "port": "http", "endPort": 90}]}]}});
        assert_eq!(
            create("NetworkPolicy", &np),
            vec![
                "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`",
                "spec.ingress[0].ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
                "spec.ingress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
                "spec.ingress[0].from[0]: Required value: must specify a peer",
                "spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"10.1.0.0/24\": must be a strict subset of `cidr`",
                "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
                "spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"",
            ]
        );
    }

    #[test]
    fn service_cidrs() {
        let ok = json!({"metadata": {"name": "kubernetes"}, "spec": {"cidrs": ["10.96.0.0/12", "fd00::/108"]}});
        assert_eq!(create("ServiceCIDR", &ok), Vec::<String>::new());
        let bad = json!({"metadata": {"name": "x"}, "spec": {"cidrs": ["10.96.0.1/12", "10.0.0.0/8"]}});
        assert_eq!(
            create("ServiceCIDR", &bad),
            vec![
                "spec.cidrs[0]: Invalid value: \"10.96.0.1/12\": must not have bits set beyond the prefix length",
                "spec.cidrs: Invalid value: {\"cidrs\":[\"10.96.0.1/12\",\"10.0.0.0/8\"]}: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64",
            ]
        );
    }

    #[test]
    fn ingress_classes() {
        let ic = json!({"metadata": {"name": "nginx"}, "spec": {"controller": "k8s.io/ingress-nginx"}});
        assert_eq!(create("IngressClass", &ic), Vec::<String>::new());
        let bad = json!({"metadata": {"name": "nginx"}, "spec": {"controller": "nginx", "parameters": {"kind": "Config", "name": "c", "scope": "Cluster", "namespace": "x"}}});
        assert_eq!(
            create("IngressClass", &bad),
            vec![
                "spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")",
                "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
            ]
        );
        let new =
            json!({"metadata": {"name": "nginx", "resourceVersion": "1"}, "spec": {"controller": "example.com/other"}});
        let old = json!({"metadata": {"name": "nginx", "resourceVersion": "1"}, "spec": {"controller": "k8s.io/ingress-nginx"}});
        assert_eq!(
            texts(&validate_update("IngressClass", &new, &old).expect("rules")),
            vec!["spec.controller: Invalid value: \"example.com/other\": field is immutable",]
        );
    }
}
