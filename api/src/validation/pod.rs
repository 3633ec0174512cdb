//! The pod spec rules kube-apiserver applies to Pods and to every pod template
//! (PodTemplate, ReplicationController, Deployment, ReplicaSet, DaemonSet,
//! Job, CronJob): containers, volumes, env, probes, resources, security
//! contexts, scheduling fields, plus Pod create and update.
//!
//! Objects are read in their v1 JSON form; where the internal Go type keeps a
//! field elsewhere (hostNetwork lives in the pod security context internally)
//! the v1 location is read and upstream's error path is kept.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::quantity::Quantity;
use crate::validation::access::quantity;
use crate::validation::access::{
    arr, as_i64, b, entries, get, i, obj, opt_b, opt_i, opt_s, s, semantic_eq, string_map, string_map_value, strings,
};
use crate::validation::field::{
    FieldError, Path, duplicate, forbidden, go_json, invalid, named_string, not_found, not_supported, raw_value,
    required, too_long,
};
use crate::validation::meta::{self, nonnegative, validate_label_name, validate_label_selector, validate_labels};
use crate::validation::names::{
    inclusive_range_error, is_config_map_key, is_dns1123_label, is_dns1123_subdomain,
    is_dns1123_subdomain_with_underscore, is_http_header_name, is_qualified_name, is_relaxed_env_var_name, is_valid_id,
    is_valid_label_value, is_valid_port_name, is_valid_port_num, is_valid_sysctl_name,
};
use crate::validation::net;

/// Options that change pod validation, as upstream's PodValidationOptions
/// (only the ones whose value differs between callers are modelled; the rest
/// take kube-apiserver 1.35's defaults for a fresh object).
#[derive(Clone, Copy, Debug, Default)]
pub struct PodOptions {
    /// The object being validated is a Pod rather than a template.
    pub resource_is_pod: bool,
    /// Label selectors in affinity terms may carry invalid values (kept when the old object had them).
    pub allow_invalid_label_value_in_selector: bool,
}

const FILE_MODE_ERROR: &str = "must be a number between 0 and 0777 (octal), both inclusive";
const NOT_POSITIVE: &str = "must be greater than zero";

/// `field.Invalid` for each message of a format check.
fn each(path: &Path, value: &str, msgs: Vec<String>) -> Vec<FieldError> {
    msgs.into_iter().map(|m| invalid(path, value, m)).collect()
}

/// ValidateDNS1123Label.
pub(crate) fn dns_label(value: &str, path: &Path) -> Vec<FieldError> {
    each(path, value, is_dns1123_label(value))
}

/// ValidateDNS1123Subdomain.
pub(crate) fn dns_subdomain(value: &str, path: &Path) -> Vec<FieldError> {
    each(path, value, is_dns1123_subdomain(value))
}

/// ValidateQualifiedName.
pub(crate) fn qualified_name(value: &str, path: &Path) -> Vec<FieldError> {
    each(path, value, is_qualified_name(value))
}

/// A JSON value for an optional integer (a Go pointer: null when absent).
fn opt_int_value(v: Option<i64>) -> Value {
    v.map(Value::from).unwrap_or(Value::Null)
}

/// A Go struct bad value: kube-apiserver renders it as JSON; kubox renders
/// the object as received (keys sorted, which may differ from Go's field order).
fn struct_value(v: Option<&Value>) -> Value {
    match v {
        Some(x) => raw_value(go_json(x)),
        None => Value::Null,
    }
}

/// ValidateNonnegativeQuantity: the bad value is the canonical quantity text.
fn nonnegative_quantity(q: &Quantity, path: &Path) -> Vec<FieldError> {
    if q.sign() < 0 { vec![invalid(path, q.canonical(), meta::IS_NEGATIVE)] } else { Vec::new() }
}

/// ValidatePositiveQuantityValue.
pub(crate) fn positive_quantity(q: &Quantity, path: &Path) -> Vec<FieldError> {
    if q.sign() <= 0 { vec![invalid(path, q.canonical(), NOT_POSITIVE)] } else { Vec::new() }
}

// ---------------------------------------------------------------------------
// Resource names and quantities (core helper package)
// ---------------------------------------------------------------------------

const STANDARD_RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "persistentvolumeclaims",
    "configmaps",
    "services.nodeports",
    "services.loadbalancers",
    "storage",
    "requests.storage",
];

const INTEGER_RESOURCES: &[&str] = &[
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

/// helper.IsHugePageResourceName.
pub(crate) fn is_huge_page_resource(name: &str) -> bool {
    name.starts_with("hugepages-")
}

fn is_quota_huge_page_resource(name: &str) -> bool {
    name.starts_with("requests.hugepages-") || name.starts_with("limits.hugepages-")
}

/// helper.IsNativeResource: unprefixed or in the kubernetes.io namespace.
pub(crate) fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// helper.IsExtendedResourceName.
pub(crate) fn is_extended_resource(name: &str) -> bool {
    if is_native_resource(name) || name.starts_with("requests.") {
        return false;
    }
    is_qualified_name(&format!("requests.{name}")).is_empty()
}

/// helper.IsStandardResourceName.
pub(crate) fn is_standard_resource(name: &str) -> bool {
    STANDARD_RESOURCES.contains(&name) || is_quota_huge_page_resource(name) || is_huge_page_resource(name)
}

fn is_integer_resource(name: &str) -> bool {
    INTEGER_RESOURCES.contains(&name) || is_extended_resource(name)
}

/// helper.IsOvercommitAllowed.
fn is_overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !is_huge_page_resource(name)
}

/// validateResourceName.
pub(crate) fn validate_resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let errs: Vec<FieldError> =
        is_qualified_name(name).into_iter().map(|m| invalid(path, named_string(name), m)).collect();
    if !errs.is_empty() {
        return errs;
    }
    if !name.contains('/') && !is_standard_resource(name) {
        return vec![invalid(path, named_string(name), "must be a standard resource type or fully qualified")];
    }
    Vec::new()
}

/// validateContainerResourceName.
pub(crate) fn validate_container_resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_resource_name(name, path);
    if !name.contains('/') {
        if !matches!(name, "cpu" | "memory" | "ephemeral-storage") && !is_huge_page_resource(name) {
            errs.push(invalid(path, named_string(name), "must be a standard resource for containers"));
        }
    } else if !is_native_resource(name) && !is_extended_resource(name) {
        errs.push(invalid(path, named_string(name), "doesn't follow extended resource name standard"));
    }
    errs
}

fn validate_pod_resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let errs = validate_resource_name(name, path);
    if !errs.is_empty() {
        return errs;
    }
    if !matches!(name, "cpu" | "memory") && !is_huge_page_resource(name) {
        return vec![not_supported(path, named_string(name), &["cpu", "hugepages-", "memory"])];
    }
    Vec::new()
}

/// ValidateResourceQuantityValue.
pub(crate) fn validate_resource_quantity_value(resource: &str, q: &Quantity, path: &Path) -> Vec<FieldError> {
    let mut errs = nonnegative_quantity(q, path);
    if is_integer_resource(resource) && q.milli_value() % 1000 != 0 {
        errs.push(invalid(path, raw_value(go_json(&Value::String(q.canonical()))), "must be an integer"));
    }
    errs
}

/// The bytes per page of a hugepages-<size> resource.
fn huge_page_size(name: &str) -> Option<Quantity> {
    let size = name.strip_prefix("hugepages-")?;
    Quantity::parse(size).ok().filter(|q| q.sign() > 0)
}

fn validate_huge_page_value(name: &str, q: &Quantity) -> Option<String> {
    if !is_huge_page_resource(name) {
        return None;
    }
    let Some(page) = huge_page_size(name) else {
        return Some(format!("{} is not positive integer multiple of {}", q.canonical(), name));
    };
    let page_bytes = page.value();
    if page_bytes <= 0 || q.value() % page_bytes != 0 {
        return Some(format!("{} is not positive integer multiple of {}", q.canonical(), name));
    }
    None
}

type NameCheck = fn(&str, &Path) -> Vec<FieldError>;

/// validateResourceRequirements.
fn validate_resource_requirements(
    req: Option<&Value>,
    name_check: NameCheck,
    pod_claims: &BTreeSet<String>,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let null = Value::Null;
    let req = req.unwrap_or(&null);
    let lim_path = path.child("limits");
    let req_path = path.child("requests");
    let (mut lim_cpu_mem, mut req_cpu_mem, mut lim_huge, mut req_huge) = (false, false, false, false);
    let limits: Vec<(&str, Option<Quantity>)> =
        entries(req, "limits").into_iter().map(|(k, v)| (k, quantity(v))).collect();
    for (name, q) in &limits {
        let p = lim_path.key(name);
        errs.extend(name_check(name, &p));
        if let Some(q) = q {
            errs.extend(validate_resource_quantity_value(name, q, &p));
            if is_huge_page_resource(name) {
                lim_huge = true;
                if let Some(m) = validate_huge_page_value(name, q) {
                    errs.push(invalid(&p, q.canonical(), m));
                }
            }
        }
        if matches!(*name, "cpu" | "memory") {
            lim_cpu_mem = true;
        }
    }
    for (name, v) in entries(req, "requests") {
        let p = req_path.key(name);
        errs.extend(name_check(name, &p));
        let Some(q) = quantity(v) else {
            continue;
        };
        errs.extend(validate_resource_quantity_value(name, &q, &p));
        match limits.iter().find(|(n, _)| *n == name) {
            Some((_, Some(limit))) => {
                let ord = q.cmp(limit);
                if ord != std::cmp::Ordering::Equal && !is_overcommit_allowed(name) {
                    errs.push(invalid(
                        &req_path,
                        q.canonical(),
                        format!("must be equal to {} limit of {}", name, limit.canonical()),
                    ));
                } else if ord == std::cmp::Ordering::Greater {
                    errs.push(invalid(
                        &req_path,
                        q.canonical(),
                        format!("must be less than or equal to {} limit of {}", name, limit.canonical()),
                    ));
                }
            }
            Some((_, None)) => {}
            None => {
                if !is_overcommit_allowed(name) {
                    errs.push(required(&lim_path, "Limit must be set for non overcommitable resources"));
                }
            }
        }
        if is_huge_page_resource(name) {
            req_huge = true;
            if let Some(m) = validate_huge_page_value(name, &q) {
                errs.push(invalid(&p, q.canonical(), m));
            }
        }
        if matches!(name, "cpu" | "memory") {
            req_cpu_mem = true;
        }
    }
    if !lim_cpu_mem && !req_cpu_mem && (req_huge || lim_huge) {
        errs.push(forbidden(path, "HugePages require cpu or memory"));
    }
    errs.extend(validate_resource_claim_names(arr(req, "claims"), pod_claims, &path.child("claims")));
    errs
}

fn validate_resource_claim_names(claims: &[Value], pod_claims: &BTreeSet<String>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (idx, claim) in claims.iter().enumerate() {
        let p = path.index(idx);
        let name = s(claim, "name");
        if name.is_empty() {
            errs.push(required(&p, ""));
            continue;
        }
        let request = s(claim, "request");
        if names.contains(name) {
            errs.push(duplicate(&p, name));
        } else {
            let mut key = name.to_string();
            if !request.is_empty() {
                errs.extend(dns_label(request, &p.child("request")));
                key = format!("{name}/{request}");
            }
            if names.contains(&key) {
                errs.push(duplicate(&p, key.as_str()));
            } else if request.is_empty() {
                for existing in &names {
                    if existing.split_once('/').is_some_and(|(n, _)| n == name) {
                        errs.push(duplicate(&p, name));
                    }
                }
            }
            names.insert(key);
        }
        if !pod_claims.contains(name) {
            let mut e = not_found(&p, name);
            e.detail = if pod_claims.is_empty() {
                "must be one of the names in pod.spec.resourceClaims which is empty".to_string()
            } else {
                let list: Vec<&str> = pod_claims.iter().map(String::as_str).collect();
                format!("must be one of the names in pod.spec.resourceClaims: {}", list.join(", "))
            };
            errs.push(e);
        }
    }
    errs
}

/// ValidateContainerResourceRequirements.
pub(crate) fn validate_container_resources(
    req: Option<&Value>,
    pod_claims: &BTreeSet<String>,
    path: &Path,
) -> Vec<FieldError> {
    validate_resource_requirements(req, validate_container_resource_name, pod_claims, path)
}

// ---------------------------------------------------------------------------
// Paths and volumes
// ---------------------------------------------------------------------------

/// validatePathNoBacksteps.
fn path_no_backsteps(target: &str, path: &Path) -> Vec<FieldError> {
    if target.split('/').any(|part| part == "..") {
        return vec![invalid(path, target, "must not contain '..'")];
    }
    Vec::new()
}

/// validateLocalDescendingPath.
fn local_descending_path(target: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if target.starts_with('/') {
        errs.push(invalid(path, target, "must be a relative path"));
    }
    errs.extend(path_no_backsteps(target, path));
    errs
}

/// ValidateLocalNonReservedPath.
pub(crate) fn local_non_reserved_path(target: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = local_descending_path(target, path);
    if target.starts_with("..") && !target.starts_with("../") {
        errs.push(invalid(path, target, "must not start with '..'"));
    }
    errs
}

fn file_mode(v: &Value, key: &str, path: &Path) -> Vec<FieldError> {
    match opt_i(v, key) {
        Some(m) if !(0..=0o777).contains(&m) => vec![invalid(&path.child(key), m, FILE_MODE_ERROR)],
        _ => Vec::new(),
    }
}

fn validate_key_to_path(kp: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if s(kp, "key").is_empty() {
        errs.push(required(&path.child("key"), ""));
    }
    let p = s(kp, "path");
    if p.is_empty() {
        errs.push(required(&path.child("path"), ""));
    }
    errs.extend(local_non_reserved_path(p, &path.child("path")));
    errs.extend(file_mode(kp, "mode", path));
    errs
}

fn required_fields(src: &Value, keys: &[&str], path: &Path) -> Vec<FieldError> {
    keys.iter().filter(|k| s(src, k).is_empty()).map(|k| required(&path.child(k), "")).collect()
}

const VALID_VOLUME_FIELD_PATHS: &[&str] =
    &["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];
const VALID_ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
const VALID_RESOURCE_FIELD_PATHS: &[&str] = &[
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

/// fieldpath.SplitMaybeSubscriptedPath.
fn split_subscripted(field_path: &str) -> Option<(&str, &str)> {
    let rest = field_path.strip_suffix("']")?;
    let (p, sub) = rest.split_once("['")?;
    if p.is_empty() { None } else { Some((p, sub)) }
}

/// podshelper.ConvertDownwardAPIFieldLabel.
fn convert_downward_field_label(version: &str, label: &str) -> Result<String, String> {
    if version != "v1" {
        return Err(format!("unsupported pod version: {version}"));
    }
    if let Some((p, _)) = split_subscripted(label) {
        return match p {
            "metadata.annotations" | "metadata.labels" => Ok(label.to_string()),
            _ => Err(format!("field label does not support subscript: {label}")),
        };
    }
    match label {
        "metadata.annotations"
        | "metadata.labels"
        | "metadata.name"
        | "metadata.namespace"
        | "metadata.uid"
        | "spec.nodeName"
        | "spec.restartPolicy"
        | "spec.serviceAccountName"
        | "spec.schedulerName"
        | "status.phase"
        | "status.hostIP"
        | "status.hostIPs"
        | "status.podIP"
        | "status.podIPs" => Ok(label.to_string()),
        "spec.host" => Ok("spec.nodeName".to_string()),
        _ => Err(format!("field label not supported: {label}")),
    }
}

fn validate_object_field_selector(fs: &Value, expressions: &[&str], path: &Path) -> Vec<FieldError> {
    let api_version = s(fs, "apiVersion");
    if api_version.is_empty() {
        return vec![required(&path.child("apiVersion"), "")];
    }
    let field_path = s(fs, "fieldPath");
    if field_path.is_empty() {
        return vec![required(&path.child("fieldPath"), "")];
    }
    let internal = match convert_downward_field_label(api_version, field_path) {
        Ok(p) => p,
        Err(e) => {
            return vec![invalid(&path.child("fieldPath"), field_path, format!("error converting fieldPath: {e}"))];
        }
    };
    if let Some((p, sub)) = split_subscripted(&internal) {
        return match p {
            "metadata.annotations" => qualified_name(&sub.to_lowercase(), path),
            "metadata.labels" => qualified_name(sub, path),
            _ => vec![invalid(path, p, "does not support subscript")],
        };
    }
    if !expressions.contains(&internal.as_str()) {
        let mut sorted = expressions.to_vec();
        sorted.sort();
        return vec![not_supported(&path.child("fieldPath"), internal.as_str(), &sorted)];
    }
    Vec::new()
}

fn validate_resource_field_selector(fs: &Value, path: &Path, volume: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let resource = s(fs, "resource");
    if volume && s(fs, "containerName").is_empty() {
        errs.push(required(&path.child("containerName"), ""));
    } else if resource.is_empty() {
        errs.push(required(&path.child("resource"), ""));
    } else if !VALID_RESOURCE_FIELD_PATHS.contains(&resource)
        && !resource.starts_with("requests.hugepages-")
        && !resource.starts_with("limits.hugepages-")
    {
        errs.push(not_supported(&path.child("resource"), resource, VALID_RESOURCE_FIELD_PATHS));
    }
    errs.extend(validate_resource_divisor(resource, get(fs, "divisor"), path));
    errs
}

fn validate_resource_divisor(resource: &str, divisor: Option<&Value>, path: &Path) -> Vec<FieldError> {
    let Some(q) = divisor.and_then(quantity) else {
        return Vec::new();
    };
    if q.is_zero() {
        return Vec::new();
    }
    const MEMORY_LIKE: &[&str] = &["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];
    let text = q.canonical();
    let p = path.child("divisor");
    let mut errs = Vec::new();
    match resource {
        "limits.cpu" | "requests.cpu" if !matches!(text.as_str(), "1m" | "1") => {
            errs.push(invalid(&p, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
        }
        "limits.memory" | "requests.memory" if !MEMORY_LIKE.contains(&text.as_str()) => errs.push(invalid(
            &p,
            resource,
            "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource",
        )),
        "limits.ephemeral-storage" | "requests.ephemeral-storage" if !MEMORY_LIKE.contains(&text.as_str()) => {
            errs.push(invalid(
                &p,
                resource,
                "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource",
            ))
        }
        _ => {}
    }
    if (resource.starts_with("requests.hugepages-") || resource.starts_with("limits.hugepages-"))
        && !MEMORY_LIKE.contains(&text.as_str())
    {
        errs.push(invalid(
            &p,
            resource,
            "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource",
        ));
    }
    errs
}

fn validate_downward_api_file(file: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let p = s(file, "path");
    if p.is_empty() {
        errs.push(required(&path.child("path"), ""));
    }
    errs.extend(local_non_reserved_path(p, &path.child("path")));
    if let Some(fr) = obj(file, "fieldRef") {
        errs.extend(validate_object_field_selector(fr, VALID_VOLUME_FIELD_PATHS, &path.child("fieldRef")));
        if obj(file, "resourceFieldRef").is_some() {
            errs.push(invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
        }
    } else if let Some(rf) = obj(file, "resourceFieldRef") {
        errs.extend(validate_resource_field_selector(rf, &path.child("resourceFieldRef"), true));
    } else {
        errs.push(required(path, "one of fieldRef and resourceFieldRef is required"));
    }
    errs.extend(file_mode(file, "mode", path));
    errs
}

fn validate_projected(src: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = file_mode(src, "defaultMode", path);
    let mut all_paths: BTreeSet<String> = BTreeSet::new();
    for (idx, source) in arr(src, "sources").iter().enumerate() {
        let src_path = path.child("sources").index(idx);
        let mut num = 0;
        for kind in ["secret", "configMap"] {
            let Some(inner) = obj(source, kind) else {
                continue;
            };
            num += 1;
            let proj_path = src_path.child(kind);
            if s(inner, "name").is_empty() {
                errs.push(required(&proj_path.child("name"), ""));
            }
            for (j, kp) in arr(inner, "items").iter().enumerate() {
                errs.extend(validate_key_to_path(kp, &proj_path.child("items").index(j)));
                let p = s(kp, "path");
                if !p.is_empty() && !all_paths.insert(p.to_string()) {
                    errs.push(invalid(path, s(inner, "name"), "conflicting duplicate paths"));
                }
            }
        }
        if let Some(dapi) = obj(source, "downwardAPI") {
            num += 1;
            let proj_path = src_path.child("downwardAPI");
            for file in arr(dapi, "items") {
                errs.extend(validate_downward_api_file(file, &proj_path));
                let p = s(file, "path");
                if !p.is_empty() && !all_paths.insert(p.to_string()) {
                    errs.push(invalid(path, p, "conflicting duplicate paths"));
                }
            }
        }
        if let Some(sat) = obj(source, "serviceAccountToken") {
            num += 1;
            let proj_path = src_path.child("serviceAccountToken");
            let exp = i(sat, "expirationSeconds");
            if exp < 600 {
                errs.push(invalid(
                    &proj_path.child("expirationSeconds"),
                    exp,
                    "may not specify a duration less than 10 minutes",
                ));
            }
            if exp > 1 << 32 {
                errs.push(invalid(
                    &proj_path.child("expirationSeconds"),
                    exp,
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
            let p = s(sat, "path");
            if p.is_empty() {
                errs.push(required(&path.child("path"), ""));
            } else {
                errs.extend(local_non_reserved_path(p, &path.child("path")));
            }
        }
        if let Some(ctb) = obj(source, "clusterTrustBundle") {
            num += 1;
            let proj_path = src_path.child("clusterTrustBundle");
            match (opt_s(ctb, "name"), opt_s(ctb, "signerName")) {
                (Some(_), Some(_)) => errs.push(invalid(
                    &proj_path,
                    struct_value(Some(ctb)),
                    "only one of name and signerName may be used",
                )),
                (Some(name), None) => {
                    if name.is_empty() {
                        errs.push(required(&proj_path.child("name"), "must be a valid object name"));
                    }
                    if obj(ctb, "labelSelector").is_some() {
                        errs.push(invalid(
                            &proj_path.child("labelSelector"),
                            meta::label_selector_value(obj(ctb, "labelSelector")),
                            "labelSelector must be unset if name is specified",
                        ));
                    }
                }
                (None, Some(signer)) => {
                    if signer.is_empty() {
                        errs.push(required(&proj_path.child("signerName"), "must be a valid signer name"));
                    }
                    errs.extend(validate_label_selector(
                        obj(ctb, "labelSelector"),
                        false,
                        &proj_path.child("labelSelector"),
                    ));
                }
                (None, None) => errs.push(required(&proj_path, "either name or signerName must be specified")),
            }
            let p = s(ctb, "path");
            if p.is_empty() {
                errs.push(required(&proj_path.child("path"), ""));
            }
            errs.extend(local_non_reserved_path(p, &proj_path.child("path")));
            if !all_paths.insert(p.to_string()) {
                errs.push(invalid(path, p, "conflicting duplicate paths"));
            }
        }
        if obj(source, "podCertificate").is_some() {
            num += 1;
        }
        if num > 1 {
            errs.push(forbidden(&src_path, "may not specify more than 1 volume type per source"));
        }
    }
    errs
}

const HOST_PATH_TYPES: &[&str] =
    &["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

fn validate_host_path(hp: &Value, path: &Path) -> Vec<FieldError> {
    let p = s(hp, "path");
    if p.is_empty() {
        return vec![required(&path.child("path"), "")];
    }
    let mut errs = path_no_backsteps(p, &path.child("path"));
    if let Some(t) = opt_s(hp, "type")
        && !HOST_PATH_TYPES.contains(&t)
    {
        errs.push(not_supported(&path.child("type"), named_string(t), HOST_PATH_TYPES));
    }
    errs
}

fn validate_csi_driver_name(driver: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if driver.is_empty() {
        errs.push(required(path, ""));
    }
    if driver.len() > 63 {
        errs.push(too_long(path, 63));
    }
    errs.extend(is_dns1123_subdomain(&driver.to_lowercase()).into_iter().map(|m| invalid(path, driver, m)));
    errs
}

/// The volume source types in upstream's check order, with the JSON key each
/// uses and the path its own checks report under (upstream misspells a few).
const VOLUME_TYPES: &[(&str, &str)] = &[
    ("emptyDir", "emptyDir"),
    ("hostPath", "hostPath"),
    ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "persistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"),
    ("rbd", "rbd"),
    ("cinder", "cinder"),
    ("cephfs", "cephfs"),
    ("quobyte", "quobyte"),
    ("downwardAPI", "downwardAPI"),
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("configMap", "configMap"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("storageos", "storageos"),
    ("projected", "projected"),
    ("scaleIO", "scaleIO"),
    ("csi", "csi"),
    ("ephemeral", "ephemeral"),
    ("image", "image"),
];

fn validate_volume_source(
    vol: &Value,
    path: &Path,
    vol_name: &str,
    pod_name: Option<&str>,
    opts: &PodOptions,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut num = 0;
    for (key, inner_path) in VOLUME_TYPES {
        let Some(src) = get(vol, key) else {
            continue;
        };
        if num > 0 {
            let reported = if *key == "downwardAPI" { "downwarAPI" } else { key };
            errs.push(forbidden(&path.child(reported), "may not specify more than 1 volume type"));
            if *key == "iscsi" {
                errs.extend(iscsi_name_length(src, vol_name, path));
            }
            continue;
        }
        num += 1;
        let p = path.child(inner_path);
        match *key {
            "emptyDir" if get(src, "sizeLimit").and_then(quantity).is_some_and(|q| q.sign() < 0) => {
                errs.push(forbidden(&p.child("sizeLimit"), "SizeLimit field must be a valid resource quantity"));
            }
            "hostPath" => errs.extend(validate_host_path(src, &p)),
            "gitRepo" => {
                errs.extend(required_fields(src, &["repository"], &p));
                errs.extend(local_descending_path(s(src, "directory"), &p.child("directory")));
            }
            "gcePersistentDisk" | "awsElasticBlockStore" => {
                let id = if *key == "gcePersistentDisk" { "pdName" } else { "volumeID" };
                errs.extend(required_fields(src, &[id], &p));
                let part = i(src, "partition");
                if !(0..=255).contains(&part) {
                    errs.push(invalid(&p.child("partition"), part, inclusive_range_error(1, 255)));
                }
            }
            "secret" => {
                errs.extend(required_fields(src, &["secretName"], &p));
                errs.extend(file_mode(src, "defaultMode", &p));
                for (j, kp) in arr(src, "items").iter().enumerate() {
                    errs.extend(validate_key_to_path(kp, &p.child("items").index(j)));
                }
            }
            "configMap" => {
                errs.extend(required_fields(src, &["name"], &p));
                errs.extend(file_mode(src, "defaultMode", &p));
                for (j, kp) in arr(src, "items").iter().enumerate() {
                    errs.extend(validate_key_to_path(kp, &p.child("items").index(j)));
                }
            }
            "nfs" => {
                errs.extend(required_fields(src, &["server", "path"], &p));
                if !s(src, "path").starts_with('/') {
                    errs.push(invalid(&p.child("path"), s(src, "path"), "must be an absolute path"));
                }
            }
            "iscsi" => {
                errs.extend(required_fields(src, &["targetPortal", "iqn"], &p));
                let lun = i(src, "lun");
                if !(0..=255).contains(&lun) {
                    errs.push(invalid(&p.child("lun"), lun, inclusive_range_error(0, 255)));
                }
                if (b(src, "chapAuthDiscovery") || b(src, "chapAuthSession")) && obj(src, "secretRef").is_none() {
                    errs.push(required(&p.child("secretRef"), ""));
                }
                errs.extend(iscsi_name_length(src, vol_name, path));
            }
            "glusterfs" => errs.extend(required_fields(src, &["endpoints", "path"], &p)),
            "flocker" => {
                let (name, uuid) = (s(src, "datasetName"), s(src, "datasetUUID"));
                if name.is_empty() && uuid.is_empty() {
                    errs.push(required(&p, "one of datasetName and datasetUUID is required"));
                }
                if !name.is_empty() && !uuid.is_empty() {
                    errs.push(invalid(
                        &p,
                        "resource",
                        "datasetName and datasetUUID can not be specified simultaneously",
                    ));
                }
                if name.contains('/') {
                    errs.push(invalid(&p.child("datasetName"), name, "must not contain '/'"));
                }
            }
            "persistentVolumeClaim" => errs.extend(required_fields(src, &["claimName"], &p)),
            "rbd" => {
                if arr(src, "monitors").is_empty() {
                    errs.push(required(&p.child("monitors"), ""));
                }
                errs.extend(required_fields(src, &["image"], &p));
            }
            "cinder" => {
                errs.extend(required_fields(src, &["volumeID"], &p));
                if let Some(sr) = obj(src, "secretRef")
                    && s(sr, "name").is_empty()
                {
                    errs.push(required(&p.child("secretRef").child("name"), ""));
                }
            }
            "cephfs" if arr(src, "monitors").is_empty() => {
                errs.push(required(&p.child("monitors"), ""));
            }
            "quobyte" => {
                if s(src, "registry").is_empty() {
                    errs.push(required(
                        &p.child("registry"),
                        "must be a host:port pair or multiple pairs separated by commas",
                    ));
                } else if s(src, "tenant").len() >= 65 {
                    errs.push(required(
                        &p.child("tenant"),
                        "must be a UUID and may not exceed a length of 64 characters",
                    ));
                } else {
                    for pair in s(src, "registry").split(',') {
                        if !is_host_port(pair) {
                            errs.push(invalid(
                                &p.child("registry"),
                                s(src, "registry"),
                                "must be a host:port pair or multiple pairs separated by commas",
                            ));
                        }
                    }
                }
                errs.extend(required_fields(src, &["volume"], &p));
            }
            "downwardAPI" => {
                errs.extend(file_mode(src, "defaultMode", &p));
                for file in arr(src, "items") {
                    errs.extend(validate_downward_api_file(file, &p));
                }
            }
            "fc" => {
                let (wwns, wwids) = (arr(src, "targetWWNs"), arr(src, "wwids"));
                if wwns.is_empty() && wwids.is_empty() {
                    errs.push(required(
                        &p.child("targetWWNs"),
                        "must specify either targetWWNs or wwids, but not both",
                    ));
                }
                if !wwns.is_empty() && !wwids.is_empty() {
                    errs.push(invalid(
                        &p.child("targetWWNs"),
                        Value::Array(wwns.to_vec()),
                        "targetWWNs and wwids can not be specified simultaneously",
                    ));
                }
                if !wwns.is_empty() {
                    match opt_i(src, "lun") {
                        None => errs.push(required(&p.child("lun"), "lun is required if targetWWNs is specified")),
                        Some(l) if !(0..=255).contains(&l) => {
                            errs.push(invalid(&p.child("lun"), l, inclusive_range_error(0, 255)))
                        }
                        _ => {}
                    }
                }
            }
            "flexVolume" => {
                errs.extend(required_fields(src, &["driver"], &p));
                for (k, _) in entries(src, "options") {
                    let ns = k.split_once('/').map(|(n, _)| n).unwrap_or(k);
                    let normalized = format!(".{}", ns.to_lowercase());
                    if normalized.ends_with(".kubernetes.io") || normalized.ends_with(".k8s.io") {
                        errs.push(invalid(
                            &p.child("options").key(k),
                            k,
                            "kubernetes.io and k8s.io namespaces are reserved",
                        ));
                    }
                }
            }
            "azureFile" => errs.extend(required_fields(src, &["secretName", "shareName"], &p)),
            "vsphereVolume" => errs.extend(required_fields(src, &["volumePath"], &p)),
            "photonPersistentDisk" => errs.extend(required_fields(src, &["pdID"], &p)),
            "portworxVolume" => errs.extend(required_fields(src, &["volumeID"], &p)),
            "azureDisk" => errs.extend(validate_azure_disk(src, &p)),
            "storageos" => {
                let name = s(src, "volumeName");
                if name.is_empty() {
                    errs.push(required(&p.child("volumeName"), ""));
                } else {
                    errs.extend(dns_label(name, &p.child("volumeName")));
                }
                let ns = s(src, "volumeNamespace");
                if !ns.is_empty() {
                    errs.extend(dns_label(ns, &p.child("volumeNamespace")));
                }
                if let Some(sr) = obj(src, "secretRef")
                    && s(sr, "name").is_empty()
                {
                    errs.push(required(&p.child("secretRef").child("name"), ""));
                }
            }
            "projected" => errs.extend(validate_projected(src, &p)),
            "scaleIO" => errs.extend(required_fields(src, &["gateway", "system", "volumeName"], &p)),
            "csi" => {
                errs.extend(validate_csi_driver_name(s(src, "driver"), &p.child("driver")));
                if let Some(sr) = obj(src, "nodePublishSecretRef") {
                    let name = s(sr, "name");
                    if name.is_empty() {
                        errs.push(required(&p.child("nodePublishSecretRef").child("name"), ""));
                    } else {
                        errs.extend(dns_subdomain(name, &p.child("name")));
                    }
                }
            }
            "ephemeral" => {
                match obj(src, "volumeClaimTemplate") {
                    None => errs.push(required(&p.child("volumeClaimTemplate"), "")),
                    Some(t) => errs.extend(validate_pvc_template(t, &p.child("volumeClaimTemplate"))),
                }
                if let Some(pod_name) = pod_name.filter(|n| !n.is_empty())
                    && !vol_name.is_empty()
                {
                    let pvc_name = format!("{pod_name}-{vol_name}");
                    for m in is_dns1123_subdomain(&pvc_name) {
                        errs.push(invalid(
                            &path.child("name"),
                            vol_name,
                            format!("PVC name {}: {}", crate::validation::field::go_quote(&pvc_name), m),
                        ));
                    }
                }
            }
            "image" => {
                if opts.resource_is_pod && s(src, "reference").is_empty() {
                    errs.push(required(&p.child("reference"), ""));
                }
                errs.extend(validate_pull_policy(s(src, "pullPolicy"), &p.child("pullPolicy")));
            }
            _ => {}
        }
    }
    if num == 0 {
        errs.push(required(path, "must specify a volume type"));
    }
    errs
}

fn iscsi_name_length(src: &Value, vol_name: &str, path: &Path) -> Vec<FieldError> {
    if opt_s(src, "initiatorName").is_some() && vol_name.len() + 1 + s(src, "targetPortal").len() > 64 {
        return vec![invalid(
            &path.child("name"),
            vol_name,
            "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.",
        )];
    }
    Vec::new()
}

/// Go's net.SplitHostPort succeeding (host may be empty; brackets for IPv6).
fn is_host_port(pair: &str) -> bool {
    if let Some(rest) = pair.strip_prefix('[') {
        return rest.split_once("]:").is_some_and(|(h, _)| !h.contains(']'));
    }
    pair.matches(':').count() == 1
}

fn validate_azure_disk(src: &Value, p: &Path) -> Vec<FieldError> {
    let mut errs = required_fields(src, &["diskName", "diskURI"], p);
    if let Some(mode) = opt_s(src, "cachingMode")
        && !matches!(mode, "None" | "ReadOnly" | "ReadWrite")
    {
        errs.push(not_supported(&p.child("cachingMode"), named_string(mode), &["None", "ReadOnly", "ReadWrite"]));
    }
    let kind = opt_s(src, "kind");
    if let Some(k) = kind
        && !matches!(k, "Dedicated" | "Managed" | "Shared")
    {
        errs.push(not_supported(&p.child("kind"), named_string(k), &["Dedicated", "Managed", "Shared"]));
    }
    let uri = s(src, "diskURI");
    if kind == Some("Managed") && !uri.starts_with("/subscriptions/") {
        errs.push(not_supported(
            &p.child("diskURI"),
            uri,
            &["/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"],
        ));
    }
    if kind.is_some_and(|k| k != "Managed") && !uri.starts_with("https://") {
        errs.push(not_supported(
            &p.child("diskURI"),
            uri,
            &["https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"],
        ));
    }
    errs
}

/// ValidatePersistentVolumeClaimTemplate (ephemeral volumes).
fn validate_pvc_template(t: &Value, path: &Path) -> Vec<FieldError> {
    let meta_path = path.child("metadata");
    let null = Value::Null;
    let m = obj(t, "metadata").unwrap_or(&null);
    let mut errs = meta::validate_annotations(m, "annotations", &meta_path.child("annotations"));
    errs.extend(validate_labels(m, "labels", &meta_path.child("labels")));
    errs.extend(template_meta_allow_list(m, &meta_path));
    errs.extend(crate::validation::core::validate_pvc_spec(obj(t, "spec").unwrap_or(&null), &path.child("spec")));
    errs
}

/// validateFieldAllowList for template metadata: only labels and annotations may be set.
fn template_meta_allow_list(m: &Value, path: &Path) -> Vec<FieldError> {
    const FIELDS: &[&str] = &[
        "name",
        "generateName",
        "namespace",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "ownerReferences",
        "finalizers",
        "managedFields",
    ];
    FIELDS
        .iter()
        .filter(|f| {
            let zero_generation = **f == "generation" && i(m, f) == 0;
            !crate::validation::access::is_empty(get(m, f)) && !zero_generation
        })
        .map(|f| forbidden(&path.child(f), "cannot be set"))
        .collect()
}

/// ValidateVolumes: returns the names of the volumes that passed (with their
/// sources) and the errors.
fn validate_volumes<'a>(
    volumes: &'a [Value],
    pod_name: Option<&str>,
    path: &Path,
    opts: &PodOptions,
) -> (BTreeMap<String, &'a Value>, Vec<FieldError>) {
    let mut errs = Vec::new();
    let mut names: BTreeMap<String, &Value> = BTreeMap::new();
    let created_pvcs: BTreeSet<String> = match pod_name.filter(|n| !n.is_empty()) {
        Some(pn) => volumes
            .iter()
            .filter(|v| get(v, "ephemeral").is_some())
            .map(|v| format!("{}-{}", pn, s(v, "name")))
            .collect(),
        None => BTreeSet::new(),
    };
    for (idx, vol) in volumes.iter().enumerate() {
        let p = path.index(idx);
        let name_path = p.child("name");
        let name = s(vol, "name");
        let mut el = validate_volume_source(vol, &p, name, pod_name, opts);
        if name.is_empty() {
            el.push(required(&name_path, ""));
        } else {
            el.extend(dns_label(name, &name_path));
        }
        if names.contains_key(name) {
            el.push(duplicate(&name_path, name));
        }
        if el.is_empty() {
            names.insert(name.to_string(), vol);
        } else {
            errs.extend(el);
        }
        if let Some(pvc) = obj(vol, "persistentVolumeClaim")
            && created_pvcs.contains(s(pvc, "claimName"))
        {
            errs.push(invalid(
                &p.child("persistentVolumeClaim").child("claimName"),
                s(pvc, "claimName"),
                "must not reference a PVC that gets created for an ephemeral volume",
            ));
        }
    }
    (names, errs)
}

// ---------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------

const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

fn validate_container_ports(ports: &[Value], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (idx, port) in ports.iter().enumerate() {
        let p = path.index(idx);
        let name = s(port, "name");
        if !name.is_empty() {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                errs.extend(each(&p.child("name"), name, msgs));
            } else if !names.insert(name) {
                errs.push(duplicate(&p.child("name"), name));
            }
        }
        let cp = i(port, "containerPort");
        if cp == 0 {
            errs.push(required(&p.child("containerPort"), ""));
        } else {
            errs.extend(is_valid_port_num(cp).into_iter().map(|m| invalid(&p.child("containerPort"), cp, m)));
        }
        let hp = i(port, "hostPort");
        if hp != 0 {
            errs.extend(is_valid_port_num(hp).into_iter().map(|m| invalid(&p.child("hostPort"), hp, m)));
        }
        let proto = s(port, "protocol");
        if proto.is_empty() {
            errs.push(required(&p.child("protocol"), ""));
        } else if !PROTOCOLS.contains(&proto) {
            errs.push(not_supported(&p.child("protocol"), named_string(proto), PROTOCOLS));
        }
    }
    errs
}

fn validate_env(vars: &[Value], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (idx, ev) in vars.iter().enumerate() {
        let p = path.index(idx);
        let name = s(ev, "name");
        if name.is_empty() {
            errs.push(required(&p.child("name"), ""));
        } else {
            errs.extend(each(&p.child("name"), name, is_relaxed_env_var_name(name)));
        }
        errs.extend(validate_env_value_from(ev, &p.child("valueFrom")));
    }
    errs
}

fn validate_env_value_from(ev: &Value, path: &Path) -> Vec<FieldError> {
    let Some(vf) = obj(ev, "valueFrom") else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let mut num = 0;
    if let Some(fr) = obj(vf, "fieldRef") {
        num += 1;
        errs.extend(validate_object_field_selector(fr, VALID_ENV_FIELD_PATHS, &path.child("fieldRef")));
    }
    if let Some(rf) = obj(vf, "resourceFieldRef") {
        num += 1;
        errs.extend(validate_resource_field_selector(rf, &path.child("resourceFieldRef"), false));
    }
    for kind in ["configMapKeyRef", "secretKeyRef"] {
        if let Some(sel) = obj(vf, kind) {
            num += 1;
            let p = path.child(kind);
            let name = s(sel, "name");
            errs.extend(each(&p.child("name"), name, is_dns1123_subdomain(name)));
            let key = s(sel, "key");
            if key.is_empty() {
                errs.push(required(&p.child("key"), ""));
            } else {
                errs.extend(each(&p.child("key"), key, is_config_map_key(key)));
            }
        }
    }
    if obj(vf, "fileKeyRef").is_some() {
        num += 1;
    }
    if num == 0 {
        errs.push(invalid(
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ));
    } else if !s(ev, "value").is_empty() {
        errs.push(invalid(path, "", "may not be specified when `value` is not empty"));
    } else if num > 1 {
        errs.push(invalid(path, "", "may not have more than one field specified at a time"));
    }
    errs
}

fn validate_env_from(sources: &[Value], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (idx, ev) in sources.iter().enumerate() {
        let p = path.index(idx);
        let prefix = s(ev, "prefix");
        if !prefix.is_empty() {
            errs.extend(each(&p.child("prefix"), prefix, is_relaxed_env_var_name(prefix)));
        }
        let mut num = 0;
        for kind in ["configMapRef", "secretRef"] {
            if let Some(r) = obj(ev, kind) {
                num += 1;
                let name = s(r, "name");
                if name.is_empty() {
                    errs.push(required(&p.child(kind).child("name"), ""));
                } else {
                    errs.extend(each(
                        &p.child(kind).child("name"),
                        name,
                        crate::validation::names::validate_name(
                            crate::validation::names::NameRule::DnsSubdomain,
                            name,
                            true,
                        ),
                    ));
                }
            }
        }
        if num == 0 {
            errs.push(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
        } else if num > 1 {
            errs.push(invalid(path, "", "may not have more than one field specified at a time"));
        }
    }
    errs
}

fn validate_volume_mounts(container: &Value, volumes: &BTreeMap<String, &Value>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let devices: Vec<(&str, &str)> =
        arr(container, "volumeDevices").iter().map(|d| (s(d, "name"), s(d, "devicePath"))).collect();
    let mut mount_points: BTreeSet<&str> = BTreeSet::new();
    let privileged = obj(container, "securityContext").and_then(|sc| opt_b(sc, "privileged")) == Some(true);
    for (idx, mnt) in arr(container, "volumeMounts").iter().enumerate() {
        let p = path.index(idx);
        let name = s(mnt, "name");
        let mount_path = s(mnt, "mountPath");
        if name.is_empty() {
            errs.push(required(&p.child("name"), ""));
        }
        if !volumes.contains_key(name) {
            errs.push(not_found(&p.child("name"), name));
        }
        if mount_path.is_empty() {
            errs.push(required(&p.child("mountPath"), ""));
        }
        if !mount_points.insert(mount_path) {
            errs.push(invalid(&p.child("mountPath"), mount_path, "must be unique"));
        }
        if devices.iter().any(|(n, _)| *n == name) {
            errs.push(invalid(&p.child("name"), name, "must not already exist in volumeDevices"));
        }
        if devices.iter().any(|(_, dp)| *dp == mount_path) {
            errs.push(invalid(&p.child("mountPath"), mount_path, "must not already exist as a path in volumeDevices"));
        }
        let sub_path = s(mnt, "subPath");
        let sub_path_expr = s(mnt, "subPathExpr");
        if volumes.get(name).is_some_and(|v| get(v, "image").is_some()) {
            if !sub_path.is_empty() {
                errs.push(invalid(&p.child("subPath"), sub_path, "not allowed in image volume sources"));
            }
            if !sub_path_expr.is_empty() {
                errs.push(invalid(&p.child("subPathExpr"), sub_path_expr, "not allowed in image volume sources"));
            }
        }
        // Like upstream, the subPath checks report the list's path, not the element's.
        if !sub_path.is_empty() {
            errs.extend(local_descending_path(sub_path, &path.child("subPath")));
        }
        if !sub_path_expr.is_empty() {
            if !sub_path.is_empty() {
                errs.push(invalid(
                    &p.child("subPathExpr"),
                    sub_path_expr,
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            errs.extend(local_descending_path(sub_path_expr, &path.child("subPathExpr")));
        }
        if let Some(prop) = opt_s(mnt, "mountPropagation") {
            let pp = path.child("mountPropagation");
            if !matches!(prop, "Bidirectional" | "HostToContainer" | "None") {
                errs.push(not_supported(&pp, named_string(prop), &["Bidirectional", "HostToContainer", "None"]));
            }
            if prop == "Bidirectional" && !privileged {
                errs.push(forbidden(&pp, "Bidirectional mount propagation is available only to privileged containers"));
            }
        }
        if let Some(rro) = opt_s(mnt, "recursiveReadOnly") {
            let rp = path.child("recursiveReadOnly");
            match rro {
                "Disabled" => {}
                "Enabled" | "IfPossible" => {
                    if !b(mnt, "readOnly") {
                        errs.push(forbidden(&rp, "may only be specified when readOnly is true"));
                    }
                    if opt_s(mnt, "mountPropagation").is_some_and(|m| m != "None") {
                        errs.push(forbidden(
                            &rp,
                            "may only be specified when mountPropagation is None or not specified",
                        ));
                    }
                }
                _ => errs.push(not_supported(&rp, named_string(rro), &["Disabled", "Enabled", "IfPossible"])),
            }
        }
    }
    errs
}

fn validate_volume_devices(container: &Value, volumes: &BTreeMap<String, &Value>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mounts: Vec<(&str, &str)> =
        arr(container, "volumeMounts").iter().map(|m| (s(m, "name"), s(m, "mountPath"))).collect();
    let mut device_paths: BTreeSet<&str> = BTreeSet::new();
    let mut device_names: BTreeSet<&str> = BTreeSet::new();
    for (idx, dev) in arr(container, "volumeDevices").iter().enumerate() {
        let p = path.index(idx);
        let name = s(dev, "name");
        let dev_path = s(dev, "devicePath");
        let (matched, is_pvc) = match volumes.get(name) {
            Some(v) => (true, get(v, "persistentVolumeClaim").is_some() || get(v, "ephemeral").is_some()),
            None => (false, false),
        };
        if name.is_empty() {
            errs.push(required(&p.child("name"), ""));
        }
        if device_names.contains(name) {
            errs.push(invalid(&p.child("name"), name, "must be unique"));
        }
        if matched && !is_pvc {
            errs.push(invalid(
                &p.child("name"),
                name,
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
            ));
        }
        if !matched {
            errs.push(not_found(&p.child("name"), name));
        }
        if dev_path.is_empty() {
            errs.push(required(&p.child("devicePath"), ""));
        }
        if device_paths.contains(dev_path) {
            errs.push(invalid(&p.child("devicePath"), dev_path, "must be unique"));
        }
        if !dev_path.is_empty() && dev_path.split('/').any(|x| x == "..") {
            errs.push(invalid(&p.child("devicePath"), dev_path, "can not contain backsteps ('..')"));
        } else {
            device_paths.insert(dev_path);
        }
        if mounts.iter().any(|(n, _)| *n == name) {
            errs.push(invalid(&p.child("name"), name, "must not already exist in volumeMounts"));
        }
        if mounts.iter().any(|(_, mp)| *mp == dev_path) {
            errs.push(invalid(&p.child("devicePath"), dev_path, "must not already exist as a path in volumeMounts"));
        }
        if !name.is_empty() {
            device_names.insert(name);
        }
    }
    errs
}

fn validate_pull_policy(policy: &str, path: &Path) -> Vec<FieldError> {
    match policy {
        "Always" | "IfNotPresent" | "Never" => Vec::new(),
        "" => vec![required(path, "")],
        _ => vec![not_supported(path, named_string(policy), &["Always", "IfNotPresent", "Never"])],
    }
}

fn validate_port_num_or_name(port: Option<&Value>, path: &Path) -> Vec<FieldError> {
    match port {
        Some(Value::String(name)) => each(path, name, is_valid_port_name(name)),
        Some(v) => {
            let n = as_i64(v).unwrap_or(0);
            is_valid_port_num(n).into_iter().map(|m| invalid(path, n, m)).collect()
        }
        None => is_valid_port_num(0).into_iter().map(|m| invalid(path, 0, m)).collect(),
    }
}

fn validate_handler(handler: &Value, lifecycle: bool, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut num = 0;
    let kinds: &[&str] =
        if lifecycle { &["exec", "httpGet", "tcpSocket", "sleep"] } else { &["exec", "httpGet", "tcpSocket", "grpc"] };
    for kind in kinds {
        let Some(h) = get(handler, kind) else {
            continue;
        };
        let p = path.child(kind);
        if num > 0 {
            errs.push(forbidden(&p, "may not specify more than 1 handler type"));
            continue;
        }
        num += 1;
        match *kind {
            "exec" if arr(h, "command").is_empty() => {
                errs.push(required(&p.child("command"), ""));
            }
            "httpGet" => {
                if s(h, "path").is_empty() {
                    errs.push(required(&p.child("path"), ""));
                }
                errs.extend(validate_port_num_or_name(get(h, "port"), &p.child("port")));
                let scheme = s(h, "scheme");
                if !matches!(scheme, "HTTP" | "HTTPS") {
                    errs.push(not_supported(&p.child("scheme"), named_string(scheme), &["HTTP", "HTTPS"]));
                }
                for header in arr(h, "httpHeaders") {
                    let n = s(header, "name");
                    errs.extend(each(&p.child("httpHeaders"), n, is_http_header_name(n)));
                }
            }
            "tcpSocket" => errs.extend(validate_port_num_or_name(get(h, "port"), &p.child("port"))),
            "grpc" => {
                let n = i(h, "port");
                errs.extend(is_valid_port_num(n).into_iter().map(|m| invalid(&p.child("port"), n, m)));
            }
            "sleep" => {
                let secs = i(h, "seconds");
                if let Some(g) = grace
                    && (secs < 0 || secs > g)
                {
                    errs.push(invalid(
                        &p,
                        secs,
                        format!("must be non-negative and less than terminationGracePeriodSeconds ({g})"),
                    ));
                }
            }
            _ => {}
        }
    }
    if num == 0 {
        errs.push(required(path, "must specify a handler type"));
    }
    errs
}

fn validate_probe(probe: &Value, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_handler(probe, false, grace, path);
    for key in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
        errs.extend(nonnegative(i(probe, key), &path.child(key)));
    }
    if let Some(t) = opt_i(probe, "terminationGracePeriodSeconds")
        && t <= 0
    {
        errs.push(invalid(&path.child("terminationGracePeriodSeconds"), t, "must be greater than 0"));
    }
    errs
}

fn validate_probes(ctr: &Value, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(probe) = obj(ctr, "livenessProbe") {
        let p = path.child("livenessProbe");
        errs.extend(validate_probe(probe, grace, &p));
        let st = i(probe, "successThreshold");
        if st != 1 {
            errs.push(invalid(&p.child("successThreshold"), st, "must be 1"));
        }
    }
    if let Some(probe) = obj(ctr, "readinessProbe") {
        let p = path.child("readinessProbe");
        errs.extend(validate_probe(probe, grace, &p));
        if let Some(t) = opt_i(probe, "terminationGracePeriodSeconds") {
            errs.push(invalid(&p.child("terminationGracePeriodSeconds"), t, "must not be set for readinessProbes"));
        }
    }
    if let Some(probe) = obj(ctr, "startupProbe") {
        let p = path.child("startupProbe");
        errs.extend(validate_probe(probe, grace, &p));
        let st = i(probe, "successThreshold");
        if st != 1 {
            errs.push(invalid(&p.child("successThreshold"), st, "must be 1"));
        }
    }
    errs
}

fn validate_lifecycle(lc: &Value, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for hook in ["postStart", "preStop"] {
        if let Some(h) = obj(lc, hook) {
            errs.extend(validate_handler(h, true, grace, &path.child(hook)));
        }
    }
    errs
}

fn validate_resize_policy(policies: &[Value], pod_restart: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (idx, p) in policies.iter().enumerate() {
        let name = s(p, "resourceName");
        if !seen.insert(name) {
            errs.push(duplicate(&path.index(idx), named_string(name)));
        }
        match name {
            "cpu" | "memory" => {}
            "" => errs.push(required(path, "")),
            _ => errs.push(not_supported(path, named_string(name), &["cpu", "memory"])),
        }
        let rp = s(p, "restartPolicy");
        match rp {
            "NotRequired" | "RestartContainer" => {}
            "" => errs.push(required(path, "")),
            _ => errs.push(not_supported(path, named_string(rp), &["NotRequired", "RestartContainer"])),
        }
        if pod_restart == "Never" && rp != "NotRequired" {
            errs.push(invalid(path, named_string(rp), "must be 'NotRequired' when `restartPolicy` is 'Never'"));
        }
    }
    errs
}

fn validate_seccomp_profile(sp: Option<&Value>, path: &Path) -> Vec<FieldError> {
    let Some(sp) = sp else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let t = s(sp, "type");
    match t {
        "Localhost" | "RuntimeDefault" | "Unconfined" => {}
        "" => errs.push(required(&path.child("type"), "type is required when seccompProfile is set")),
        _ => errs.push(not_supported(
            &path.child("type"),
            named_string(t),
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    if t == "Localhost" {
        match opt_s(sp, "localhostProfile") {
            None => errs.push(required(&path.child("localhostProfile"), "must be set when seccomp type is Localhost")),
            Some(lp) => errs.extend(local_descending_path(lp, &path.child("localhostProfile"))),
        }
    } else if opt_s(sp, "localhostProfile").is_some() {
        errs.push(invalid(
            &path.child("localhostProfile"),
            struct_value(Some(sp)),
            "can only be set when seccomp type is Localhost",
        ));
    }
    errs
}

fn validate_apparmor_profile(profile: Option<&Value>, path: &Path) -> Vec<FieldError> {
    let Some(profile) = profile else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let lp = opt_s(profile, "localhostProfile");
    match s(profile, "type") {
        "Localhost" => match lp {
            None => errs.push(required(&path.child("localhostProfile"), "must be set when AppArmor type is Localhost")),
            Some(v) => {
                if v.trim() != v {
                    errs.push(invalid(&path.child("localhostProfile"), v, "must not be padded with whitespace"));
                } else if v.is_empty() {
                    errs.push(required(&path.child("localhostProfile"), "must be set when AppArmor type is Localhost"));
                }
                if v.len() > 4095 {
                    errs.push(too_long(&path.child("localhostProfile"), 4095));
                }
            }
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(v) = lp {
                errs.push(invalid(
                    &path.child("localhostProfile"),
                    v,
                    "can only be set when AppArmor type is Localhost",
                ));
            }
        }
        "" => errs.push(required(&path.child("type"), "type is required when appArmorProfile is set")),
        t => errs.push(not_supported(
            &path.child("type"),
            named_string(t),
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    errs
}

fn validate_windows_options(wo: Option<&Value>, path: &Path) -> Vec<FieldError> {
    let Some(wo) = wo else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    if let Some(name) = opt_s(wo, "gmsaCredentialSpecName") {
        errs.extend(each(&path.child("gmsaCredentialSpecName"), name, is_dns1123_subdomain(name)));
    }
    if let Some(spec) = opt_s(wo, "gmsaCredentialSpec") {
        if spec.is_empty() {
            errs.push(invalid(&path.child("gmsaCredentialSpec"), spec, "gmsaCredentialSpec cannot be an empty string"));
        } else if spec.len() > 64 * 1024 {
            errs.push(invalid(&path.child("gmsaCredentialSpec"), spec, "gmsaCredentialSpec size must be under 64 KiB"));
        }
    }
    if let Some(user) = opt_s(wo, "runAsUserName") {
        let p = path.child("runAsUserName");
        if user.is_empty() {
            errs.push(invalid(&p, user, "runAsUserName cannot be an empty string"));
        } else if user.chars().any(|c| c.is_ascii_control()) {
            errs.push(invalid(&p, user, "runAsUserName cannot contain control characters"));
        } else if user.split('\\').count() > 2 {
            errs.push(invalid(&p, user, "runAsUserName cannot contain more than one backslash"));
        } else {
            let (domain, name) = match user.split_once('\\') {
                Some((d, u)) => (Some(d), u),
                None => (None, user),
            };
            if domain.is_some_and(|d| d.len() >= 256) {
                errs.push(invalid(&p, user, "runAsUserName's Domain length must be under 256 characters"));
            }
            if let Some(d) = domain
                && !(is_netbios_domain(d) || is_windows_dns_domain(d))
            {
                errs.push(invalid(&p, user, "runAsUserName's Domain doesn't match the NetBios nor the DNS format"));
            }
            if name.is_empty() {
                errs.push(invalid(&p, user, "runAsUserName's User cannot be empty"));
            } else if name.len() > 104 {
                errs.push(invalid(&p, user, "runAsUserName's User length must not be longer than 104 characters"));
            }
            if !name.is_empty() && name.chars().all(|c| c == '.' || c == ' ') {
                errs.push(invalid(&p, user, "runAsUserName's User cannot contain only periods or spaces"));
            }
            if name.chars().any(|c| "\"/\\:;|=,+*?<>@[]".contains(c)) {
                errs.push(invalid(
                    &p,
                    user,
                    "runAsUserName's User cannot contain the following characters: \"/\\:;|=,+*?<>@[]",
                ));
            }
        }
    }
    errs
}

fn is_netbios_domain(d: &str) -> bool {
    let bad = |c: char| "\\/:*?\"<>|".contains(c);
    let mut chars = d.chars();
    match chars.next() {
        Some(first) if !bad(first) && first != '.' => {}
        _ => return false,
    }
    d.chars().count() <= 15 && !d.chars().any(bad)
}

fn is_windows_dns_domain(d: &str) -> bool {
    d.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b.len() <= 63
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    })
}

fn validate_security_context(sc: Option<&Value>, host_users: bool, path: &Path) -> Vec<FieldError> {
    let Some(sc) = sc else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    // kube-apiserver is run with --allow-privileged=true by every common
    // installer (kubeadm, kind, k3s), so privileged containers are accepted.
    for key in ["runAsUser", "runAsGroup"] {
        if let Some(id) = opt_i(sc, key) {
            errs.extend(is_valid_id(id).into_iter().map(|m| invalid(&path.child(key), id, m)));
        }
    }
    if let Some(pm) = opt_s(sc, "procMount") {
        if !matches!(pm, "Default" | "Unmasked") {
            errs.push(not_supported(&path.child("procMount"), named_string(pm), &["Default", "Unmasked"]));
        }
        if host_users && pm == "Unmasked" {
            errs.push(invalid(
                &path.child("procMount"),
                named_string(pm),
                "`hostUsers` must be false to use `Unmasked`",
            ));
        }
    }
    errs.extend(validate_seccomp_profile(obj(sc, "seccompProfile"), &path.child("seccompProfile")));
    if opt_b(sc, "allowPrivilegeEscalation") == Some(false) {
        if opt_b(sc, "privileged") == Some(true) {
            errs.push(invalid(
                path,
                struct_value(Some(sc)),
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            ));
        }
        if let Some(caps) = obj(sc, "capabilities") {
            for cap in strings(caps, "add") {
                if cap == "CAP_SYS_ADMIN" {
                    errs.push(invalid(
                        path,
                        struct_value(Some(sc)),
                        "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                    ));
                }
            }
        }
    }
    errs.extend(validate_windows_options(obj(sc, "windowsOptions"), &path.child("windowsOptions")));
    errs.extend(validate_apparmor_profile(obj(sc, "appArmorProfile"), &path.child("appArmorProfile")));
    errs
}

/// The context a container is validated in.
struct ContainerCtx<'a> {
    volumes: &'a BTreeMap<String, &'a Value>,
    pod_claims: &'a BTreeSet<String>,
    restart_policy: &'a str,
    host_users: bool,
}

fn validate_container_common(ctr: &Value, ctx: &ContainerCtx<'_>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = s(ctr, "name");
    if name.is_empty() {
        errs.push(required(&path.child("name"), ""));
    } else {
        errs.extend(dns_label(name, &path.child("name")));
    }
    if s(ctr, "image").is_empty() {
        errs.push(required(&path.child("image"), ""));
    }
    let tmp = s(ctr, "terminationMessagePolicy");
    match tmp {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(required(&path.child("terminationMessagePolicy"), "")),
        _ => errs.push(not_supported(
            &path.child("terminationMessagePolicy"),
            named_string(tmp),
            &["File", "FallbackToLogsOnError"],
        )),
    }
    errs.extend(validate_container_ports(arr(ctr, "ports"), &path.child("ports")));
    errs.extend(validate_env(arr(ctr, "env"), &path.child("env")));
    errs.extend(validate_env_from(arr(ctr, "envFrom"), &path.child("envFrom")));
    errs.extend(validate_volume_mounts(ctr, ctx.volumes, &path.child("volumeMounts")));
    errs.extend(validate_volume_devices(ctr, ctx.volumes, &path.child("volumeDevices")));
    errs.extend(validate_pull_policy(s(ctr, "imagePullPolicy"), &path.child("imagePullPolicy")));
    errs.extend(validate_container_resources(obj(ctr, "resources"), ctx.pod_claims, &path.child("resources")));
    errs.extend(validate_resize_policy(arr(ctr, "resizePolicy"), ctx.restart_policy, &path.child("resizePolicy")));
    errs.extend(validate_security_context(obj(ctr, "securityContext"), ctx.host_users, &path.child("securityContext")));
    errs
}

/// checkHostPortConflicts: "<protocol>/<hostIP>/<port>" must be unique.
fn check_host_port_conflicts(containers: &[&Value], indices: &[usize], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (ctr, ci) in containers.iter().zip(indices) {
        for (pi, port) in arr(ctr, "ports").iter().enumerate() {
            let hp = i(port, "hostPort");
            if hp == 0 {
                continue;
            }
            let key = format!("{}/{}/{}", s(port, "protocol"), s(port, "hostIP"), hp);
            if seen.contains(&key) {
                errs.push(duplicate(&path.index(*ci).child("ports").index(pi).child("hostPort"), key.as_str()));
            } else {
                seen.insert(key);
            }
        }
    }
    errs
}

fn validate_containers(spec: &Value, ctx: &ContainerCtx<'_>, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let containers = arr(spec, "containers");
    if containers.is_empty() {
        return vec![required(path, "")];
    }
    let mut errs = Vec::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (idx, ctr) in containers.iter().enumerate() {
        let p = path.index(idx);
        errs.extend(validate_container_common(ctr, ctx, &p));
        let name = s(ctr, "name");
        if !names.insert(name) {
            errs.push(duplicate(&p.child("name"), name));
        }
        if let Some(lc) = obj(ctr, "lifecycle") {
            errs.extend(validate_lifecycle(lc, grace, &p.child("lifecycle")));
        }
        errs.extend(validate_probes(ctr, grace, &p));
        if get(ctr, "restartPolicy").is_some() {
            errs.push(forbidden(&p.child("restartPolicy"), "may not be set for non-init containers"));
        }
    }
    let all: Vec<&Value> = containers.iter().collect();
    let idx: Vec<usize> = (0..containers.len()).collect();
    errs.extend(check_host_port_conflicts(&all, &idx, path));
    errs
}

fn validate_init_containers(spec: &Value, ctx: &ContainerCtx<'_>, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: BTreeSet<&str> = arr(spec, "containers").iter().map(|c| s(c, "name")).collect();
    for (idx, ctr) in arr(spec, "initContainers").iter().enumerate() {
        let p = path.index(idx);
        errs.extend(validate_container_common(ctr, ctx, &p));
        let mut restart_always = false;
        if let Some(rp) = opt_s(ctr, "restartPolicy") {
            if rp != "Always" {
                errs.push(not_supported(&p.child("restartPolicy"), named_string(rp), &["Always"]));
            }
            restart_always = rp == "Always";
        }
        let name = s(ctr, "name");
        if names.contains(name) {
            errs.push(duplicate(&p.child("name"), name));
        } else if !name.is_empty() {
            names.insert(name);
        }
        errs.extend(check_host_port_conflicts(&[ctr], &[idx], path));
        if restart_always {
            if let Some(lc) = obj(ctr, "lifecycle") {
                errs.extend(validate_lifecycle(lc, grace, &p.child("lifecycle")));
            }
            errs.extend(validate_probes(ctr, grace, &p));
        } else {
            for key in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] {
                if obj(ctr, key).is_some() {
                    errs.push(forbidden(
                        &p.child(key),
                        "may not be set for init containers without restartPolicy=Always",
                    ));
                }
            }
        }
    }
    errs
}

/// Fields of EphemeralContainerCommon an ephemeral container may not set.
const EPHEMERAL_FORBIDDEN: &[&str] = &[
    "ports",
    "resources",
    "resizePolicy",
    "lifecycle",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "restartPolicy",
    "restartPolicyRules",
];

fn validate_ephemeral_containers(spec: &Value, ctx: &ContainerCtx<'_>, path: &Path) -> Vec<FieldError> {
    let ephemeral = arr(spec, "ephemeralContainers");
    if ephemeral.is_empty() {
        return Vec::new();
    }
    let mut errs = Vec::new();
    let other: BTreeSet<&str> =
        arr(spec, "containers").iter().chain(arr(spec, "initContainers")).map(|c| s(c, "name")).collect();
    let mut all = other.clone();
    for (idx, ec) in ephemeral.iter().enumerate() {
        let p = path.index(idx);
        errs.extend(validate_container_common(ec, ctx, &p));
        errs.extend(validate_container_only_for_pod(ec, &p));
        let name = s(ec, "name");
        if !all.insert(name) {
            errs.push(duplicate(&p.child("name"), name));
        }
        let target = s(ec, "targetContainerName");
        if !target.is_empty() && !other.contains(target) {
            errs.push(not_found(&p.child("targetContainerName"), target));
        }
        for key in EPHEMERAL_FORBIDDEN {
            if !crate::validation::access::is_empty(get(ec, key)) {
                errs.push(forbidden(&p.child(key), "cannot be set for an Ephemeral Container"));
            }
        }
        for (j, vm) in arr(ec, "volumeMounts").iter().enumerate() {
            for key in ["subPath", "subPathExpr"] {
                if !s(vm, key).is_empty() {
                    errs.push(forbidden(
                        &p.child("volumeMounts").index(j).child(key),
                        "cannot be set for an Ephemeral Container",
                    ));
                }
            }
        }
    }
    errs
}

fn validate_container_only_for_pod(ctr: &Value, path: &Path) -> Vec<FieldError> {
    let image = s(ctr, "image");
    if image.trim() != image {
        return vec![invalid(&path.child("image"), image, "must not have leading or trailing whitespace")];
    }
    Vec::new()
}

// ---------------------------------------------------------------------------
// Scheduling, DNS, security context and the rest of the pod spec
// ---------------------------------------------------------------------------

/// ValidateTolerations.
pub(crate) fn validate_tolerations(tolerations: &[Value], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (idx, t) in tolerations.iter().enumerate() {
        let p = path.index(idx);
        let key = s(t, "key");
        let op = s(t, "operator");
        let effect = s(t, "effect");
        let value = s(t, "value");
        if !key.is_empty() {
            errs.extend(validate_label_name(key, &p.child("key")));
        }
        if key.is_empty() && op != "Exists" {
            errs.push(invalid(
                &p.child("operator"),
                named_string(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if get(t, "tolerationSeconds").is_some() && effect != "NoExecute" {
            errs.push(invalid(
                &p.child("effect"),
                named_string(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "Equal" | "" => {
                let msgs = is_valid_label_value(value);
                if !msgs.is_empty() {
                    errs.push(invalid(&p.child("operator"), value, msgs.join(";")));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.push(invalid(&p.child("operator"), value, "value must be empty when `operator` is 'Exists'"));
                }
            }
            _ => errs.push(not_supported(&p.child("operator"), named_string(op), &["Equal", "Exists"])),
        }
        if !effect.is_empty() {
            errs.extend(validate_taint_effect(effect, true, &p.child("effect")));
        }
    }
    errs
}

/// validateTaintEffect.
pub(crate) fn validate_taint_effect(effect: &str, allow_empty: bool, path: &Path) -> Vec<FieldError> {
    if !allow_empty && effect.is_empty() {
        return vec![required(path, "")];
    }
    match effect {
        "NoSchedule" | "PreferNoSchedule" | "NoExecute" => Vec::new(),
        _ => vec![not_supported(path, named_string(effect), &["NoSchedule", "PreferNoSchedule", "NoExecute"])],
    }
}

/// ValidateNodeSelectorRequirement.
fn validate_node_selector_requirement(rq: &Value, allow_invalid_values: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let values = strings(rq, "values");
    let op = s(rq, "operator");
    match op {
        "In" | "NotIn" => {
            if values.is_empty() {
                errs.push(required(&path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !values.is_empty() {
                errs.push(forbidden(
                    &path.child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        "Gt" | "Lt" => {
            if values.len() != 1 {
                errs.push(required(
                    &path.child("values"),
                    "must be specified single value when `operator` is 'Lt' or 'Gt'",
                ));
            }
        }
        _ => errs.push(invalid(&path.child("operator"), named_string(op), "not a valid selector operator")),
    }
    errs.extend(validate_label_name(s(rq, "key"), &path.child("key")));
    if !allow_invalid_values {
        for (j, v) in values.iter().enumerate() {
            errs.extend(each(&path.child("values").index(j), v, is_valid_label_value(v)));
        }
    }
    errs
}

fn validate_node_field_selector_requirement(rq: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let values = strings(rq, "values");
    let op = s(rq, "operator");
    match op {
        "In" | "NotIn" => {
            if values.len() != 1 {
                errs.push(required(
                    &path.child("values"),
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                ));
            }
        }
        _ => errs.push(invalid(&path.child("operator"), named_string(op), "not a valid selector operator")),
    }
    let key = s(rq, "key");
    if key != "metadata.name" {
        errs.push(invalid(&path.child("key"), key, "not a valid field selector key"));
    } else {
        for (j, v) in values.iter().enumerate() {
            errs.extend(each(&path.child("values").index(j), v, is_dns1123_subdomain(v)));
        }
    }
    errs
}

fn validate_node_selector_term(term: &Value, allow_invalid: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (j, rq) in arr(term, "matchExpressions").iter().enumerate() {
        errs.extend(validate_node_selector_requirement(rq, allow_invalid, &path.child("matchExpressions").index(j)));
    }
    for (j, rq) in arr(term, "matchFields").iter().enumerate() {
        errs.extend(validate_node_field_selector_requirement(rq, &path.child("matchFields").index(j)));
    }
    errs
}

/// ValidateNodeSelector.
pub(crate) fn validate_node_selector(ns: &Value, allow_invalid: bool, path: &Path) -> Vec<FieldError> {
    let term_path = path.child("nodeSelectorTerms");
    let terms = arr(ns, "nodeSelectorTerms");
    if terms.is_empty() {
        return vec![required(&term_path, "must have at least one node selector term")];
    }
    terms
        .iter()
        .enumerate()
        .flat_map(|(i, t)| validate_node_selector_term(t, allow_invalid, &term_path.index(i)))
        .collect()
}

fn validate_label_keys(path: &Path, keys: &[&str], selector: Option<&Value>) -> Vec<FieldError> {
    if keys.is_empty() {
        return Vec::new();
    }
    if selector.is_none() {
        return vec![forbidden(path, "must not be specified when labelSelector is not set")];
    }
    keys.iter().enumerate().flat_map(|(i, k)| validate_label_name(k, &path.index(i))).collect()
}

fn validate_pod_affinity_term(term: &Value, allow_invalid: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_label_selector(obj(term, "labelSelector"), allow_invalid, &path.child("labelSelector"));
    errs.extend(validate_label_selector(
        obj(term, "namespaceSelector"),
        allow_invalid,
        &path.child("namespaceSelector"),
    ));
    for ns in strings(term, "namespaces") {
        errs.extend(each(&path.child("namespace"), ns, is_dns1123_label(ns)));
    }
    let match_keys = strings(term, "matchLabelKeys");
    let mismatch_keys = strings(term, "mismatchLabelKeys");
    let selector = obj(term, "labelSelector");
    errs.extend(validate_label_keys(&path.child("matchLabelKeys"), &match_keys, selector));
    errs.extend(validate_label_keys(&path.child("mismatchLabelKeys"), &mismatch_keys, selector));
    if let Some(sel) = selector {
        let mut selector_keys: BTreeSet<&str> = string_map(sel, "matchLabels").into_iter().map(|(k, _)| k).collect();
        for expr in arr(sel, "matchExpressions") {
            let key = s(expr, "key");
            if let Some(pos) = match_keys.iter().rposition(|k| *k == key)
                && selector_keys.contains(key)
            {
                errs.push(invalid(&path.index(pos), key, "exists in both matchLabelKeys and labelSelector"));
            }
            selector_keys.insert(key);
        }
    }
    for (i, k) in match_keys.iter().enumerate() {
        if mismatch_keys.contains(k) {
            errs.push(invalid(
                &path.child("matchLabelKeys").index(i),
                *k,
                "exists in both matchLabelKeys and mismatchLabelKeys",
            ));
        }
    }
    let topology = s(term, "topologyKey");
    if topology.is_empty() {
        errs.push(required(&path.child("topologyKey"), "can not be empty"));
    }
    errs.extend(validate_label_name(topology, &path.child("topologyKey")));
    errs
}

fn validate_pod_affinity_kind(aff: &Value, allow_invalid: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let req_path = path.child("requiredDuringSchedulingIgnoredDuringExecution");
    for (i, term) in arr(aff, "requiredDuringSchedulingIgnoredDuringExecution").iter().enumerate() {
        errs.extend(validate_pod_affinity_term(term, allow_invalid, &req_path.index(i)));
    }
    let pref_path = path.child("preferredDuringSchedulingIgnoredDuringExecution");
    for (i, wt) in arr(aff, "preferredDuringSchedulingIgnoredDuringExecution").iter().enumerate() {
        let w = crate::validation::access::i(wt, "weight");
        if w <= 0 || w > 100 {
            errs.push(invalid(&pref_path.index(i).child("weight"), w, "must be in the range 1-100"));
        }
        let null = Value::Null;
        errs.extend(validate_pod_affinity_term(
            obj(wt, "podAffinityTerm").unwrap_or(&null),
            allow_invalid,
            &pref_path.index(i).child("podAffinityTerm"),
        ));
    }
    errs
}

fn validate_affinity(aff: Option<&Value>, opts: &PodOptions, path: &Path) -> Vec<FieldError> {
    let Some(aff) = aff else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    if let Some(na) = obj(aff, "nodeAffinity") {
        let p = path.child("nodeAffinity");
        if let Some(req) = obj(na, "requiredDuringSchedulingIgnoredDuringExecution") {
            errs.extend(validate_node_selector(req, false, &p.child("requiredDuringSchedulingIgnoredDuringExecution")));
        }
        let pp = p.child("preferredDuringSchedulingIgnoredDuringExecution");
        for (i, term) in arr(na, "preferredDuringSchedulingIgnoredDuringExecution").iter().enumerate() {
            let w = crate::validation::access::i(term, "weight");
            if w <= 0 || w > 100 {
                errs.push(invalid(&pp.index(i).child("weight"), w, "must be in the range 1-100"));
            }
            let null = Value::Null;
            errs.extend(validate_node_selector_term(
                obj(term, "preference").unwrap_or(&null),
                true,
                &pp.index(i).child("preference"),
            ));
        }
    }
    if let Some(pa) = obj(aff, "podAffinity") {
        errs.extend(validate_pod_affinity_kind(
            pa,
            opts.allow_invalid_label_value_in_selector,
            &path.child("podAffinity"),
        ));
    }
    if let Some(paa) = obj(aff, "podAntiAffinity") {
        errs.extend(validate_pod_affinity_kind(
            paa,
            opts.allow_invalid_label_value_in_selector,
            &path.child("podAntiAffinity"),
        ));
    }
    errs
}

fn validate_dns_config(spec: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let config = obj(spec, "dnsConfig");
    if s(spec, "dnsPolicy") == "None" {
        let Some(cfg) = config else {
            return vec![required(path, "must provide `dnsConfig` when `dnsPolicy` is None")];
        };
        if arr(cfg, "nameservers").is_empty() {
            return vec![required(
                &path.child("nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            )];
        }
    }
    let Some(cfg) = config else {
        return errs;
    };
    let nameservers = strings(cfg, "nameservers");
    if nameservers.len() > 3 {
        errs.push(invalid(
            &path.child("nameservers"),
            crate::validation::access::string_list_value(&nameservers),
            "must not have more than 3 nameservers",
        ));
    }
    for (i, ns) in nameservers.iter().enumerate() {
        errs.extend(net::is_valid_ip_for_legacy_field(&path.child("nameservers").index(i), ns));
    }
    let searches = strings(cfg, "searches");
    if searches.len() > 32 {
        errs.push(invalid(
            &path.child("searches"),
            crate::validation::access::string_list_value(&searches),
            "must not have more than 32 search paths",
        ));
    }
    if searches.join(" ").len() > 2048 {
        errs.push(invalid(
            &path.child("searches"),
            crate::validation::access::string_list_value(&searches),
            "must not have more than 2048 characters (including spaces) in the search list",
        ));
    }
    for (i, search) in searches.iter().enumerate() {
        if *search != "." {
            let trimmed = search.strip_suffix('.').unwrap_or(search);
            errs.extend(each(&path.child("searches").index(i), trimmed, is_dns1123_subdomain_with_underscore(trimmed)));
        }
    }
    for (i, opt) in arr(cfg, "options").iter().enumerate() {
        if s(opt, "name").is_empty() {
            errs.push(required(&path.child("options").index(i), "must not be empty"));
        }
    }
    errs
}

/// utilsysctl.GetNamespace: the host namespace a sysctl belongs to.
fn sysctl_namespace(name: &str) -> Option<&'static str> {
    let name = name.replace('/', ".");
    if name.starts_with("net.") {
        return Some("net");
    }
    if name == "kernel.sem"
        || name.starts_with("kernel.shm")
        || name.starts_with("kernel.msg")
        || name.starts_with("fs.mqueue.")
    {
        return Some("ipc");
    }
    None
}

fn validate_pod_security_context(spec: &Value, path: &Path) -> Vec<FieldError> {
    let Some(sc) = obj(spec, "securityContext") else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    if let Some(g) = opt_i(sc, "fsGroup") {
        errs.extend(is_valid_id(g).into_iter().map(|m| invalid(&path.child("fsGroup"), g, m)));
    }
    for key in ["runAsUser", "runAsGroup"] {
        if let Some(id) = opt_i(sc, key) {
            errs.extend(is_valid_id(id).into_iter().map(|m| invalid(&path.child(key), id, m)));
        }
    }
    for (g, gid) in arr(sc, "supplementalGroups").iter().enumerate() {
        let gid = as_i64(gid).unwrap_or(0);
        errs.extend(is_valid_id(gid).into_iter().map(|m| invalid(&path.child("supplementalGroups").index(g), gid, m)));
    }
    if opt_b(spec, "shareProcessNamespace") == Some(true) && b(spec, "hostPID") {
        errs.push(invalid(
            &path.child("shareProcessNamespace"),
            true,
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    let sysctls = arr(sc, "sysctls");
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (idx, sysctl) in sysctls.iter().enumerate() {
        let p = path.child("sysctls").index(idx).child("name");
        let name = s(sysctl, "name");
        if name.is_empty() {
            errs.push(required(&p, ""));
        } else if !is_valid_sysctl_name(name) {
            errs.push(invalid(
                &p,
                name,
                "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
            ));
        } else if names.contains(name) {
            errs.push(duplicate(&p, name));
        }
        match sysctl_namespace(name) {
            Some("net") if b(spec, "hostNetwork") => {
                errs.push(invalid(&p, name, "may not be specified when 'hostNetwork' is true"))
            }
            Some("ipc") if b(spec, "hostIPC") => {
                errs.push(invalid(&p, name, "may not be specified when 'hostIPC' is true"))
            }
            _ => {}
        }
        names.insert(name);
    }
    if let Some(policy) = opt_s(sc, "fsGroupChangePolicy")
        && !matches!(policy, "Always" | "OnRootMismatch")
    {
        errs.push(not_supported(
            &path.child("fsGroupChangePolicy"),
            named_string(policy),
            &["Always", "OnRootMismatch"],
        ));
    }
    errs.extend(validate_seccomp_profile(obj(sc, "seccompProfile"), &path.child("seccompProfile")));
    errs.extend(validate_windows_options(obj(sc, "windowsOptions"), &path.child("windowsOptions")));
    errs.extend(validate_apparmor_profile(obj(sc, "appArmorProfile"), &path.child("appArmorProfile")));
    if let Some(policy) = opt_s(sc, "supplementalGroupsPolicy")
        && !matches!(policy, "Merge" | "Strict")
    {
        errs.push(not_supported(&path.child("supplementalGroupsPolicy"), named_string(policy), &["Merge", "Strict"]));
    }
    if let Some(policy) = opt_s(sc, "seLinuxChangePolicy")
        && !matches!(policy, "MountOption" | "Recursive")
    {
        errs.push(not_supported(
            &path.child("seLinuxChangePolicy"),
            named_string(policy),
            &["MountOption", "Recursive"],
        ));
    }
    errs
}

fn validate_topology_spread(constraints: &[Value], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (idx, c) in constraints.iter().enumerate() {
        let p = path.index(idx);
        let max_skew = i(c, "maxSkew");
        if max_skew <= 0 {
            errs.push(invalid(&p.child("maxSkew"), max_skew, NOT_POSITIVE));
        }
        let key = s(c, "topologyKey");
        if key.is_empty() {
            errs.push(required(&p.child("topologyKey"), "can not be empty"));
        }
        let action = s(c, "whenUnsatisfiable");
        if !matches!(action, "DoNotSchedule" | "ScheduleAnyway") {
            errs.push(not_supported(
                &p.child("whenUnsatisfiable"),
                named_string(action),
                &["DoNotSchedule", "ScheduleAnyway"],
            ));
        }
        if constraints[idx + 1..].iter().any(|o| s(o, "topologyKey") == key && s(o, "whenUnsatisfiable") == action) {
            errs.push(duplicate(&p.child("{topologyKey, whenUnsatisfiable}"), format!("{{{key}, {action}}}")));
        }
        if let Some(md) = opt_i(c, "minDomains") {
            if md <= 0 {
                errs.push(invalid(&p.child("minDomains"), md, NOT_POSITIVE));
            }
            if action != "DoNotSchedule" {
                errs.push(invalid(
                    &p.child("minDomains"),
                    md,
                    format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"),
                ));
            }
        }
        for key in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
            if let Some(policy) = opt_s(c, key)
                && !matches!(policy, "Honor" | "Ignore")
            {
                errs.push(not_supported(&p.child(key), named_string(policy), &["Honor", "Ignore"]));
            }
        }
        let match_keys = strings(c, "matchLabelKeys");
        let selector = obj(c, "labelSelector");
        if !match_keys.is_empty() {
            let mp = p.child("matchLabelKeys");
            let mut selector_keys: BTreeSet<&str> = BTreeSet::new();
            match selector {
                Some(sel) => {
                    selector_keys.extend(string_map(sel, "matchLabels").into_iter().map(|(k, _)| k));
                    selector_keys.extend(arr(sel, "matchExpressions").iter().map(|e| s(e, "key")));
                }
                None => errs.push(forbidden(&mp, "must not be specified when labelSelector is not set")),
            }
            for (j, k) in match_keys.iter().enumerate() {
                errs.extend(validate_label_name(k, &mp.index(j)));
                if selector_keys.contains(k) {
                    errs.push(invalid(&mp.index(j), *k, "exists in both matchLabelKeys and labelSelector"));
                }
            }
        }
        errs.extend(validate_label_selector(selector, false, &p.child("labelSelector")));
    }
    errs
}

fn validate_windows_host_process(spec: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let pod_hp =
        obj(spec, "securityContext").and_then(|sc| obj(sc, "windowsOptions")).and_then(|w| opt_b(w, "hostProcess"));
    let host_network = b(spec, "hostNetwork");
    let (mut count, mut hp_count) = (0, 0);
    for (list, key) in [
        (arr(spec, "initContainers"), "initContainers"),
        (arr(spec, "containers"), "containers"),
        (arr(spec, "ephemeralContainers"), "ephemeralContainers"),
    ] {
        for (idx, c) in list.iter().enumerate() {
            count += 1;
            let ctr_hp = obj(c, "securityContext")
                .and_then(|sc| obj(sc, "windowsOptions"))
                .and_then(|w| opt_b(w, "hostProcess"));
            if let (Some(p), Some(c)) = (pod_hp, ctr_hp)
                && p != c
            {
                errs.push(invalid(
                    &path.child(key).index(idx).child("securityContext").child("windowsOptions").child("hostProcess"),
                    c,
                    format!("pod hostProcess value must be identical if both are specified, was {p}"),
                ));
            }
            if ctr_hp == Some(true) || (ctr_hp.is_none() && pod_hp == Some(true)) {
                hp_count += 1;
            }
        }
    }
    if hp_count > 0 {
        if hp_count != count {
            errs.push(invalid(
                path,
                "",
                "If pod contains any hostProcess containers then all containers must be HostProcess containers",
            ));
        }
        if !host_network {
            errs.push(invalid(
                &path.child("hostNetwork"),
                host_network,
                "hostNetwork must be true if pod contains any hostProcess containers",
            ));
        }
    }
    errs
}

fn validate_host_users(spec: &Value, path: &Path) -> Vec<FieldError> {
    if opt_b(spec, "hostUsers") != Some(false) {
        return Vec::new();
    }
    let mut errs = Vec::new();
    // UserNamespacesHostNetworkSupport is off in 1.35, so host networking is refused too.
    if b(spec, "hostNetwork") {
        errs.push(forbidden(&path.child("hostNetwork"), "when `pod.Spec.HostUsers` is false"));
    }
    if b(spec, "hostPID") {
        errs.push(forbidden(&path.child("HostPID"), "when `pod.Spec.HostUsers` is false"));
    }
    if b(spec, "hostIPC") {
        errs.push(forbidden(&path.child("HostIPC"), "when `pod.Spec.HostUsers` is false"));
    }
    errs
}

fn visit_containers(spec: &Value) -> Vec<(&Value, &'static str, usize)> {
    let mut out = Vec::new();
    for key in ["initContainers", "containers", "ephemeralContainers"] {
        for (idx, c) in arr(spec, key).iter().enumerate() {
            out.push((c, key, idx));
        }
    }
    out
}

fn validate_os(spec: &Value, path: &Path) -> Vec<FieldError> {
    let Some(os) = obj(spec, "os") else {
        return Vec::new();
    };
    let os_path = path.child("os");
    let name = s(os, "name");
    if name.is_empty() {
        return vec![required(&os_path.child("name"), "cannot be empty")];
    }
    if !matches!(name, "linux" | "windows") {
        return vec![not_supported(&os_path, named_string(name), &["linux", "windows"])];
    }
    let mut errs = Vec::new();
    let sc = obj(spec, "securityContext");
    if name == "linux" {
        if sc.and_then(|sc| obj(sc, "windowsOptions")).is_some() {
            errs.push(forbidden(
                &path.child("securityContext").child("windowsOptions"),
                "windows options cannot be set for a linux pod",
            ));
        }
        for (c, key, idx) in visit_containers(spec) {
            if obj(c, "securityContext").and_then(|sc| obj(sc, "windowsOptions")).is_some() {
                errs.push(forbidden(
                    &path.child(key).index(idx).child("securityContext").child("windowsOptions"),
                    "windows options cannot be set for a linux pod",
                ));
            }
        }
        return errs;
    }
    const WINDOWS: &str = "cannot be set for a windows pod";
    let sc_path = path.child("securityContext");
    if let Some(sc) = sc {
        for key in ["appArmorProfile", "seLinuxOptions"] {
            if get(sc, key).is_some() {
                errs.push(forbidden(&sc_path.child(key), WINDOWS));
            }
        }
    }
    if get(spec, "hostUsers").is_some() {
        errs.push(forbidden(&path.child("hostUsers"), WINDOWS));
    }
    if b(spec, "hostPID") {
        errs.push(forbidden(&path.child("hostPID"), WINDOWS));
    }
    if b(spec, "hostIPC") {
        errs.push(forbidden(&path.child("hostIPC"), WINDOWS));
    }
    if let Some(sc) = sc {
        for key in ["seccompProfile", "fsGroup", "fsGroupChangePolicy"] {
            if get(sc, key).is_some() {
                errs.push(forbidden(&sc_path.child(key), WINDOWS));
            }
        }
        if !arr(sc, "sysctls").is_empty() {
            errs.push(forbidden(&sc_path.child("sysctls"), WINDOWS));
        }
    }
    if get(spec, "shareProcessNamespace").is_some() {
        errs.push(forbidden(&path.child("shareProcessNamespace"), WINDOWS));
    }
    if let Some(sc) = sc {
        for key in ["runAsUser", "runAsGroup", "supplementalGroups", "supplementalGroupsPolicy", "seLinuxChangePolicy"]
        {
            if get(sc, key).is_some() {
                errs.push(forbidden(&sc_path.child(key), WINDOWS));
            }
        }
    }
    for (c, key, idx) in visit_containers(spec) {
        let Some(csc) = obj(c, "securityContext") else {
            continue;
        };
        let p = path.child(key).index(idx).child("securityContext");
        for f in [
            "appArmorProfile",
            "seLinuxOptions",
            "seccompProfile",
            "capabilities",
            "readOnlyRootFilesystem",
            "privileged",
            "allowPrivilegeEscalation",
            "procMount",
            "runAsUser",
            "runAsGroup",
        ] {
            if get(csc, f).is_some() {
                errs.push(forbidden(&p.child(f), WINDOWS));
            }
        }
    }
    errs
}

fn validate_pod_resources(spec: &Value, pod_claims: &BTreeSet<String>, path: &Path) -> Vec<FieldError> {
    let Some(res) = obj(spec, "resources") else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    if get(res, "claims").is_some() {
        errs.push(forbidden(&path.child("claims"), "claims cannot be set for Resources at pod-level"));
    }
    errs.extend(validate_resource_requirements(Some(res), validate_pod_resource_name, pod_claims, path));
    // Individual container limits must not exceed pod-level limits.
    for (idx, ctr) in arr(spec, "containers").iter().enumerate() {
        let Some(cres) = obj(ctr, "resources") else {
            continue;
        };
        for (name, limit) in entries(cres, "limits") {
            let Some(pod_limit) = get(res, "limits").and_then(|l| l.get(name)).and_then(quantity) else {
                continue;
            };
            if let Some(limit) = quantity(limit)
                && limit > pod_limit
            {
                errs.push(invalid(
                    &path.child("containers").index(idx).key(name).child("limits"),
                    limit.canonical(),
                    format!("must be less than or equal to pod limits of {}", pod_limit.canonical()),
                ));
            }
        }
    }
    errs
}

/// ValidatePodSpec. `pod_name` is the Pod's name when validating a real Pod
/// (used for generic ephemeral volumes), `None` for templates.
pub fn validate_pod_spec(spec: &Value, pod_name: Option<&str>, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let grace = opt_i(spec, "terminationGracePeriodSeconds");
    if grace.is_none() {
        errs.push(required(&path.child("terminationGracePeriodSeconds"), ""));
    }
    let host_users = opt_b(spec, "hostUsers") != Some(false);
    let (volumes, vol_errs) = validate_volumes(arr(spec, "volumes"), pod_name, &path.child("volumes"), opts);
    errs.extend(vol_errs);
    let pod_claims: BTreeSet<String> =
        arr(spec, "resourceClaims").iter().map(|c| s(c, "name").to_string()).filter(|n| !n.is_empty()).collect();
    errs.extend(validate_pod_resource_claims(arr(spec, "resourceClaims"), &path.child("resourceClaims")));
    let restart_policy = s(spec, "restartPolicy");
    let ctx = ContainerCtx { volumes: &volumes, pod_claims: &pod_claims, restart_policy, host_users };
    errs.extend(validate_containers(spec, &ctx, grace, &path.child("containers")));
    errs.extend(validate_init_containers(spec, &ctx, grace, &path.child("initContainers")));
    errs.extend(validate_ephemeral_containers(spec, &ctx, &path.child("ephemeralContainers")));
    errs.extend(validate_pod_resources(spec, &pod_claims, &path.child("resources")));
    if b(spec, "hostNetwork") {
        for (ci, ctr) in arr(spec, "containers").iter().enumerate() {
            for (pi, port) in arr(ctr, "ports").iter().enumerate() {
                let (hp, cp) = (i(port, "hostPort"), i(port, "containerPort"));
                if (opts.resource_is_pod || hp != 0) && hp != cp {
                    errs.push(invalid(
                        &path.child("containers").index(ci).child("ports").index(pi).child("hostPort"),
                        hp,
                        "must match `containerPort` when `hostNetwork` is true",
                    ));
                }
            }
        }
    }
    match restart_policy {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(required(&path.child("restartPolicy"), "")),
        _ => errs.push(not_supported(
            &path.child("restartPolicy"),
            named_string(restart_policy),
            &["Always", "OnFailure", "Never"],
        )),
    }
    let dns_policy = s(spec, "dnsPolicy");
    match dns_policy {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.push(required(&path.child("dnsPolicy"), "")),
        _ => errs.push(not_supported(
            &path.child("dnsPolicy"),
            named_string(dns_policy),
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    errs.extend(validate_labels(spec, "nodeSelector", &path.child("nodeSelector")));
    errs.extend(validate_pod_security_context(spec, &path.child("securityContext")));
    for (idx, ips) in arr(spec, "imagePullSecrets").iter().enumerate() {
        if ips.as_object().is_some_and(|m| m.keys().any(|k| k != "name")) {
            errs.push(invalid(
                &path.child("imagePullSecrets").index(idx),
                struct_value(Some(ips)),
                "only name may be set",
            ));
        }
    }
    errs.extend(validate_affinity(obj(spec, "affinity"), opts, &path.child("affinity")));
    errs.extend(validate_dns_config(spec, &path.child("dnsConfig")));
    for (idx, gate) in arr(spec, "readinessGates").iter().enumerate() {
        errs.extend(qualified_name(
            s(gate, "conditionType"),
            &path.child("readinessGates").index(idx).child("conditionType"),
        ));
    }
    let mut gates: BTreeSet<&str> = BTreeSet::new();
    for (idx, gate) in arr(spec, "schedulingGates").iter().enumerate() {
        let name = s(gate, "name");
        let p = path.child("schedulingGates").index(idx);
        errs.extend(qualified_name(name, &p));
        if !gates.insert(name) {
            errs.push(duplicate(&p, name));
        }
    }
    errs.extend(validate_topology_spread(
        arr(spec, "topologySpreadConstraints"),
        &path.child("topologySpreadConstraints"),
    ));
    errs.extend(validate_windows_host_process(spec, path));
    errs.extend(validate_host_users(spec, path));
    let sa = match s(spec, "serviceAccountName") {
        "" => s(spec, "serviceAccount"),
        name => name,
    };
    if !sa.is_empty() {
        errs.extend(each(&path.child("serviceAccountName"), sa, is_dns1123_subdomain(sa)));
    }
    let node_name = s(spec, "nodeName");
    if !node_name.is_empty() {
        errs.extend(each(&path.child("nodeName"), node_name, is_dns1123_subdomain(node_name)));
    }
    if let Some(ads) = opt_i(spec, "activeDeadlineSeconds")
        && !(1..=i64::from(i32::MAX)).contains(&ads)
    {
        errs.push(invalid(&path.child("activeDeadlineSeconds"), ads, inclusive_range_error(1, i64::from(i32::MAX))));
    }
    for key in ["hostname", "subdomain"] {
        let v = s(spec, key);
        if !v.is_empty() {
            errs.extend(dns_label(v, &path.child(key)));
        }
    }
    errs.extend(validate_tolerations(arr(spec, "tolerations"), &path.child("tolerations")));
    for (idx, alias) in arr(spec, "hostAliases").iter().enumerate() {
        let p = path.child("hostAliases").index(idx);
        errs.extend(net::is_valid_ip_for_legacy_field(&p.child("ip"), s(alias, "ip")));
        for (j, host) in strings(alias, "hostnames").iter().enumerate() {
            errs.extend(dns_subdomain(host, &p.child("hostnames").index(j)));
        }
    }
    let pcn = s(spec, "priorityClassName");
    if !pcn.is_empty() {
        errs.extend(each(&path.child("priorityClassName"), pcn, is_dns1123_subdomain(pcn)));
    }
    if let Some(rcn) = opt_s(spec, "runtimeClassName") {
        errs.extend(dns_subdomain(rcn, &path.child("runtimeClassName")));
    }
    if let Some(pp) = opt_s(spec, "preemptionPolicy") {
        match pp {
            "PreemptLowerPriority" | "Never" => {}
            "" => errs.push(required(&path.child("preemptionPolicy"), "")),
            _ => errs.push(not_supported(
                &path.child("preemptionPolicy"),
                named_string(pp),
                &["PreemptLowerPriority", "Never"],
            )),
        }
    }
    if let Some(overhead) = obj(spec, "overhead") {
        let wrapped = serde_json::json!({ "limits": overhead });
        errs.extend(validate_container_resources(Some(&wrapped), &BTreeSet::new(), &path.child("overhead")));
    }
    errs.extend(validate_os(spec, path));
    errs
}

fn validate_pod_resource_claims(claims: &[Value], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (idx, claim) in claims.iter().enumerate() {
        let p = path.index(idx);
        let name = s(claim, "name");
        if name.is_empty() {
            errs.push(required(&p.child("name"), ""));
        } else if names.contains(name) {
            errs.push(duplicate(&p.child("name"), name));
        } else {
            errs.extend(dns_label(name, &p.child("name")));
            names.insert(name);
        }
        let (rc, rct) = (opt_s(claim, "resourceClaimName"), opt_s(claim, "resourceClaimTemplateName"));
        if rc.is_some() && rct.is_some() {
            errs.push(invalid(
                &p,
                struct_value(Some(claim)),
                "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
            ));
        }
        if rc.is_none() && rct.is_none() {
            errs.push(invalid(
                &p,
                struct_value(Some(claim)),
                "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`",
            ));
        }
        if let Some(n) = rc {
            errs.extend(each(&p.child("resourceClaimName"), n, is_dns1123_subdomain(n)));
        }
        if let Some(n) = rct {
            errs.extend(each(&p.child("resourceClaimTemplateName"), n, is_dns1123_subdomain(n)));
        }
    }
    errs
}

// ---------------------------------------------------------------------------
// Pod annotations, templates, Pod create and update
// ---------------------------------------------------------------------------

const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";
const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";
const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn validate_seccomp_annotation_value(p: &str, path: &Path) -> Vec<FieldError> {
    if matches!(p, "runtime/default" | "docker/default" | "unconfined") {
        return Vec::new();
    }
    if let Some(rest) = p.strip_prefix("localhost/") {
        return local_descending_path(rest, path);
    }
    vec![invalid(path, p, "must be a valid seccomp profile")]
}

fn pod_spec_has_container(spec: &Value, name: &str) -> bool {
    visit_containers(spec).iter().any(|(c, _, _)| s(c, "name") == name)
}

/// GetDeletionCostFromPodAnnotations succeeds.
fn valid_deletion_cost(value: &str) -> bool {
    let first_ok = match value.as_bytes().first() {
        None => false,
        Some(b'-') => true,
        Some(b'0') => value == "0",
        Some(c) => c.is_ascii_digit(),
    };
    first_ok && value.parse::<i32>().is_ok()
}

/// ValidatePodSpecificAnnotations.
pub fn validate_pod_specific_annotations(meta: &Value, spec: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let annotations = string_map(meta, "annotations");
    for (k, v) in &annotations {
        if *k == MIRROR_POD_ANNOTATION && s(spec, "nodeName").is_empty() {
            errs.push(invalid(&path.key(k), *v, "must set spec.nodeName if mirror pod annotation is set"));
        }
    }
    if let Some((_, v)) = annotations.iter().find(|(k, _)| *k == POD_DELETION_COST)
        && !valid_deletion_cost(v)
    {
        errs.push(invalid(&path.key(POD_DELETION_COST), *v, "must be a 32bit integer"));
    }
    if let Some((_, v)) = annotations.iter().find(|(k, _)| *k == SECCOMP_POD_ANNOTATION) {
        errs.extend(validate_seccomp_annotation_value(v, &path.child(SECCOMP_POD_ANNOTATION)));
    }
    for (k, v) in &annotations {
        if k.starts_with(SECCOMP_CONTAINER_PREFIX) {
            errs.extend(validate_seccomp_annotation_value(v, &path.child(k)));
        }
    }
    for (k, v) in &annotations {
        let Some(container) = k.strip_prefix(APPARMOR_PREFIX) else {
            continue;
        };
        if !pod_spec_has_container(spec, container) {
            errs.push(invalid(&path.key(k), container, "container not found"));
        }
        if !(v.is_empty() || *v == "runtime/default" || *v == "unconfined" || v.starts_with("localhost/")) {
            errs.push(invalid(
                &path.key(k),
                *v,
                format!("invalid AppArmor profile name: {}", crate::validation::field::go_quote(v)),
            ));
        }
    }
    errs
}

fn seccomp_field_matches(annotation: &str, field: &Value, path: &Path) -> Option<FieldError> {
    let lp = opt_s(field, "localhostProfile");
    match s(field, "type") {
        "Unconfined" if annotation != "unconfined" => {
            Some(forbidden(&path.child("type"), "seccomp type in annotation and field must match"))
        }
        "RuntimeDefault" if annotation != "runtime/default" && annotation != "docker/default" => {
            Some(forbidden(&path.child("type"), "seccomp type in annotation and field must match"))
        }
        "Localhost" => match annotation.strip_prefix("localhost/") {
            None => Some(forbidden(&path.child("type"), "seccomp type in annotation and field must match")),
            Some(rest) if lp != Some(rest) => {
                Some(forbidden(&path.child("localhostProfile"), "seccomp profile in annotation and field must match"))
            }
            _ => None,
        },
        _ => None,
    }
}

fn validate_seccomp_annotations_and_fields(meta: &Value, spec: &Value, spec_path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let annotations = string_map(meta, "annotations");
    let find = |key: &str| annotations.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    if let Some(sp) = obj(spec, "securityContext").and_then(|sc| obj(sc, "seccompProfile"))
        && let Some(a) = find(SECCOMP_POD_ANNOTATION)
    {
        errs.extend(seccomp_field_matches(a, sp, &spec_path.child("securityContext").child("seccompProfile")));
    }
    for (c, key, idx) in visit_containers(spec) {
        let Some(sp) = obj(c, "securityContext").and_then(|sc| obj(sc, "seccompProfile")) else {
            continue;
        };
        if let Some(a) = find(&format!("{SECCOMP_CONTAINER_PREFIX}{}", s(c, "name"))) {
            let p = spec_path.child(key).index(idx).child("securityContext").child("seccompProfile");
            errs.extend(seccomp_field_matches(a, sp, &p));
        }
    }
    errs
}

fn validate_apparmor_annotations_and_fields(meta: &Value, spec: &Value, spec_path: &Path) -> Vec<FieldError> {
    if obj(spec, "os").is_some_and(|os| s(os, "name") == "windows") {
        return Vec::new();
    }
    let mut errs = Vec::new();
    let annotations = string_map(meta, "annotations");
    let pod_profile = obj(spec, "securityContext").and_then(|sc| obj(sc, "appArmorProfile"));
    for (c, key, idx) in visit_containers(spec) {
        let profile = obj(c, "securityContext").and_then(|sc| obj(sc, "appArmorProfile")).or(pod_profile);
        let Some(profile) = profile else {
            continue;
        };
        let ann_key = format!("{APPARMOR_PREFIX}{}", s(c, "name"));
        let Some((_, annotation)) = annotations.iter().find(|(k, _)| **k == ann_key) else {
            continue;
        };
        let p = spec_path.child(key).index(idx).child("securityContext").child("appArmorProfile");
        match s(profile, "type") {
            "Unconfined" if *annotation != "unconfined" => {
                errs.push(forbidden(&p.child("type"), "apparmor type in annotation and field must match"))
            }
            "RuntimeDefault" if *annotation != "runtime/default" => {
                errs.push(forbidden(&p.child("type"), "apparmor type in annotation and field must match"))
            }
            "Localhost" => match annotation.strip_prefix("localhost/") {
                None => errs.push(forbidden(&p.child("type"), "apparmor type in annotation and field must match")),
                Some(rest) if opt_s(profile, "localhostProfile") != Some(rest) => errs.push(forbidden(
                    &p.child("localhostProfile"),
                    "apparmor profile in annotation and field must match",
                )),
                _ => {}
            },
            _ => {}
        }
    }
    errs
}

/// ValidatePodTemplateSpec: the template's labels, annotations and pod spec.
///
/// Like upstream (where ObjectMeta is embedded), label and annotation errors
/// are reported at `<template>.labels`, not `<template>.metadata.labels`.
pub fn validate_pod_template_spec(template: &Value, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let null = Value::Null;
    let meta = obj(template, "metadata").unwrap_or(&null);
    let spec = obj(template, "spec").unwrap_or(&null);
    let mut errs = validate_labels(meta, "labels", &path.child("labels"));
    errs.extend(meta::validate_annotations(meta, "annotations", &path.child("annotations")));
    errs.extend(validate_pod_specific_annotations(meta, spec, &path.child("annotations")));
    let spec_path = path.child("spec");
    errs.extend(validate_pod_spec(spec, None, &spec_path, opts));
    errs.extend(validate_seccomp_annotations_and_fields(meta, spec, &spec_path));
    errs.extend(validate_apparmor_annotations_and_fields(meta, spec, &spec_path));
    if !arr(spec, "ephemeralContainers").is_empty() {
        errs.push(forbidden(
            &spec_path.child("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errs
}

fn validate_pod_metadata_and_spec(pod: &Value, opts: &PodOptions) -> Vec<FieldError> {
    let null = Value::Null;
    let metadata = obj(pod, "metadata").unwrap_or(&null);
    let spec = obj(pod, "spec").unwrap_or(&null);
    let meta_path = Path::new("metadata");
    let spec_path = Path::new("spec");
    let mut errs = meta::validate_core_object_meta(metadata, true, crate::validation::names::NameRule::DnsSubdomain);
    errs.extend(validate_pod_specific_annotations(metadata, spec, &meta_path.child("annotations")));
    errs.extend(validate_pod_spec(spec, Some(s(metadata, "name")), &spec_path, opts));
    let sa = match s(spec, "serviceAccountName") {
        "" => s(spec, "serviceAccount"),
        name => name,
    };
    if sa.is_empty() {
        for (vi, vol) in arr(spec, "volumes").iter().enumerate() {
            if let Some(projected) = obj(vol, "projected") {
                for (si, source) in arr(projected, "sources").iter().enumerate() {
                    if get(source, "serviceAccountToken").is_some() {
                        errs.push(forbidden(
                            &spec_path
                                .child("volumes")
                                .index(vi)
                                .child("projected")
                                .child("sources")
                                .index(si)
                                .child("serviceAccountToken"),
                            "must not be specified when serviceAccountName is not set",
                        ));
                    }
                }
            }
        }
    }
    for key in ["containers", "initContainers"] {
        for (idx, c) in arr(spec, key).iter().enumerate() {
            errs.extend(validate_container_only_for_pod(c, &spec_path.child(key).index(idx)));
        }
    }
    errs
}

/// ValidatePodCreate.
pub fn validate_pod_create(pod: &Value) -> Vec<FieldError> {
    let opts = PodOptions { resource_is_pod: true, ..PodOptions::default() };
    let mut errs = validate_pod_metadata_and_spec(pod, &opts);
    let null = Value::Null;
    let metadata = obj(pod, "metadata").unwrap_or(&null);
    let spec = obj(pod, "spec").unwrap_or(&null);
    let spec_path = Path::new("spec");
    if !arr(spec, "ephemeralContainers").is_empty() {
        errs.push(forbidden(&spec_path.child("ephemeralContainers"), "cannot be set on create"));
    }
    if !s(spec, "nodeName").is_empty() && !arr(spec, "schedulingGates").is_empty() {
        errs.push(forbidden(&spec_path.child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
    }
    errs.extend(validate_seccomp_annotations_and_fields(metadata, spec, &spec_path));
    errs.extend(validate_apparmor_annotations_and_fields(metadata, spec, &spec_path));
    errs
}

const UPDATABLE_POD_SPEC_FIELDS: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// The Go field name of a v1 PodSpec JSON key, for the update diff.
fn go_field_name(key: &str) -> String {
    match key {
        "dnsPolicy" => "DNSPolicy".to_string(),
        "dnsConfig" => "DNSConfig".to_string(),
        "os" => "OS".to_string(),
        "hostIPC" => "HostIPC".to_string(),
        "hostPID" => "HostPID".to_string(),
        _ => {
            let mut c = key.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        }
    }
}

/// An approximation of the cmp.Diff upstream appends to the pod update
/// error: the top-level spec fields that differ, old value then new.
fn spec_diff(old: &Value, new: &Value) -> String {
    let mut out = String::from("  core.PodSpec{\n");
    let mut keys: BTreeSet<&String> = BTreeSet::new();
    if let Some(m) = old.as_object() {
        keys.extend(m.keys());
    }
    if let Some(m) = new.as_object() {
        keys.extend(m.keys());
    }
    for k in keys {
        let (a, b) = (old.get(k.as_str()), new.get(k.as_str()));
        if semantic_eq(a, b) {
            continue;
        }
        let render = |v: Option<&Value>| v.map(go_json).unwrap_or_else(|| "nil".to_string());
        out.push_str(&format!("- \t{}: {},\n+ \t{}: {},\n", go_field_name(k), render(a), go_field_name(k), render(b)));
    }
    out.push_str("  }\n");
    out
}

/// ValidatePodUpdate.
pub fn validate_pod_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let null = Value::Null;
    let new_meta = obj(new, "metadata").unwrap_or(&null);
    let old_meta = obj(old, "metadata").unwrap_or(&null);
    let new_spec = obj(new, "spec").unwrap_or(&null);
    let old_spec = obj(old, "spec").unwrap_or(&null);
    let opts = PodOptions {
        resource_is_pod: true,
        allow_invalid_label_value_in_selector: has_invalid_affinity_selector_values(old_spec),
    };
    let meta_path = Path::new("metadata");
    let spec_path = Path::new("spec");
    let mut errs = meta::validate_core_object_meta_update(new_meta, old_meta);
    errs.extend(validate_pod_metadata_and_spec(new, &opts));
    errs.extend(validate_pod_annotation_updates(new_meta, old_meta, &meta_path.child("annotations")));

    for key in ["containers", "initContainers"] {
        let (nc, oc) = (arr(new_spec, key), arr(old_spec, key));
        let p = spec_path.child(key);
        if nc.len() != oc.len() {
            errs.push(forbidden(&p, "pod updates may not add or remove containers"));
            return errs;
        }
        for (idx, c) in nc.iter().enumerate() {
            let image = s(c, "image");
            if image.is_empty() {
                errs.push(required(&p.index(idx).child("image"), ""));
            }
            if image.trim() != image {
                errs.push(invalid(&p.index(idx).child("image"), image, "must not have leading or trailing whitespace"));
            }
        }
    }

    let ads_path = spec_path.child("activeDeadlineSeconds");
    match (opt_i(new_spec, "activeDeadlineSeconds"), opt_i(old_spec, "activeDeadlineSeconds")) {
        (Some(n), old_ads) => {
            if n < 0 || n > i64::from(i32::MAX) {
                errs.push(invalid(&ads_path, n, inclusive_range_error(0, i64::from(i32::MAX))));
                return errs;
            }
            if let Some(o) = old_ads
                && o < n
            {
                errs.push(invalid(&ads_path, n, "must be less than or equal to previous value"));
                return errs;
            }
        }
        (None, Some(_)) => {
            errs.push(invalid(&ads_path, Value::Null, "must not update from a positive integer to nil value"))
        }
        (None, None) => {}
    }

    // Only additions to tolerations (tolerationSeconds may change).
    let tol_path = spec_path.child("tolerations");
    let new_tols = arr(new_spec, "tolerations");
    let mut tol_errs = Vec::new();
    for old_t in arr(old_spec, "tolerations") {
        let found = new_tols.iter().any(|nt| {
            let strip = |t: &Value| {
                let mut t = t.clone();
                if let Some(m) = t.as_object_mut() {
                    m.remove("tolerationSeconds");
                }
                t
            };
            semantic_eq(Some(&strip(old_t)), Some(&strip(nt)))
        });
        if !found {
            tol_errs.push(forbidden(&tol_path, "existing toleration can not be modified except its tolerationSeconds"));
            break;
        }
    }
    if tol_errs.is_empty() {
        tol_errs.extend(validate_tolerations(new_tols, &tol_path));
    }
    errs.extend(tol_errs);

    // Only deletions of scheduling gates.
    let old_gates: BTreeSet<&str> = arr(old_spec, "schedulingGates").iter().map(|g| s(g, "name")).collect();
    let mut added: BTreeMap<&str, usize> = BTreeMap::new();
    for (idx, g) in arr(new_spec, "schedulingGates").iter().enumerate() {
        added.insert(s(g, "name"), idx);
    }
    for (name, idx) in added {
        if !old_gates.contains(name) {
            errs.push(forbidden(
                &spec_path.child("schedulingGates").index(idx).child("name"),
                format!("only deletion is allowed, but found new scheduling gate '{name}'"),
            ));
        }
    }

    if semantic_eq(Some(new_spec), Some(old_spec)) {
        return errs;
    }
    let mut munged = new_spec.clone();
    if let Some(m) = munged.as_object_mut() {
        for key in ["containers", "initContainers"] {
            if let Some(Value::Array(list)) = m.get_mut(key) {
                for (idx, c) in list.iter_mut().enumerate() {
                    let old_image = arr(old_spec, key).get(idx).and_then(|o| o.get("image")).cloned();
                    if let (Some(obj), Some(img)) = (c.as_object_mut(), old_image) {
                        obj.insert("image".to_string(), img);
                    }
                }
            }
        }
        copy_field(m, old_spec, "activeDeadlineSeconds");
        copy_field(m, old_spec, "schedulingGates");
        copy_field(m, old_spec, "tolerations");
        if opt_i(old_spec, "terminationGracePeriodSeconds").is_some_and(|g| g < 0)
            && m.get("terminationGracePeriodSeconds").and_then(as_i64) == Some(1)
        {
            copy_field(m, old_spec, "terminationGracePeriodSeconds");
        }
        if !arr(old_spec, "schedulingGates").is_empty() {
            // Gated pods may add node selectors.
            let old_sel = string_map(old_spec, "nodeSelector");
            let new_sel_value = m.get("nodeSelector").cloned().unwrap_or(Value::Null);
            if !semantic_eq(Some(&new_sel_value), get(old_spec, "nodeSelector")) {
                let wrapped = munged_wrapper(&new_sel_value);
                let new_sel = string_map(&wrapped, "s");
                if old_sel.iter().any(|(k, v)| !new_sel.iter().any(|(nk, nv)| nk == k && nv == v)) {
                    errs.push(invalid(
                        &spec_path.child("nodeSelector"),
                        new_sel_value.clone(),
                        "only additions to spec.nodeSelector are allowed (no mutations or deletions)",
                    ));
                }
                copy_field(m, old_spec, "nodeSelector");
            }
        }
    }
    if !semantic_eq(Some(&munged), Some(old_spec)) {
        errs.push(forbidden(
            &spec_path,
            format!(
                "pod updates may not change fields other than {}\n{}",
                UPDATABLE_POD_SPEC_FIELDS,
                spec_diff(old_spec, &munged)
            ),
        ));
    }
    errs
}

fn munged_wrapper(v: &Value) -> Value {
    serde_json::json!({ "s": v })
}

fn copy_field(m: &mut serde_json::Map<String, Value>, from: &Value, key: &str) {
    match from.get(key) {
        Some(v) => {
            m.insert(key.to_string(), v.clone());
        }
        None => {
            m.remove(key);
        }
    }
}

fn has_invalid_affinity_selector_values(spec: &Value) -> bool {
    let Some(aff) = obj(spec, "affinity") else {
        return false;
    };
    ["podAffinity", "podAntiAffinity"].iter().any(|kind| {
        obj(aff, kind).is_some_and(|pa| {
            let terms = arr(pa, "requiredDuringSchedulingIgnoredDuringExecution").iter().chain(
                arr(pa, "preferredDuringSchedulingIgnoredDuringExecution")
                    .iter()
                    .filter_map(|w| obj(w, "podAffinityTerm")),
            );
            terms.into_iter().any(|t| {
                !validate_label_selector(obj(t, "labelSelector"), false, &Path::new("")).is_empty()
                    || !validate_label_selector(obj(t, "namespaceSelector"), false, &Path::new("")).is_empty()
            })
        })
    })
}

/// ValidatePodSpecificAnnotationUpdates (the update-only part).
fn validate_pod_annotation_updates(new_meta: &Value, old_meta: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let new_ann = string_map(new_meta, "annotations");
    let old_ann = string_map(old_meta, "annotations");
    for (k, old_v) in &old_ann {
        if new_ann.iter().any(|(nk, nv)| nk == k && nv == old_v) {
            continue;
        }
        if k.starts_with(APPARMOR_PREFIX) {
            errs.push(forbidden(&path.key(k), "may not remove or update AppArmor annotations"));
        }
        if *k == MIRROR_POD_ANNOTATION {
            errs.push(forbidden(&path.key(k), "may not remove or update mirror pod annotation"));
        }
    }
    for (k, _) in &new_ann {
        if old_ann.iter().any(|(ok, _)| ok == k) {
            continue;
        }
        if k.starts_with(APPARMOR_PREFIX) {
            errs.push(forbidden(&path.key(k), "may not add AppArmor annotations"));
        }
        if *k == MIRROR_POD_ANNOTATION {
            errs.push(forbidden(&path.key(k), "may not add mirror pod annotation"));
        }
    }
    errs
}

/// Options for validating a template on update: invalid selector values the
/// old template already had stay allowed.
pub fn template_update_options(old_template: Option<&Value>) -> PodOptions {
    let allow = old_template.and_then(|t| obj(t, "spec")).is_some_and(has_invalid_affinity_selector_values);
    PodOptions { resource_is_pod: false, allow_invalid_label_value_in_selector: allow }
}

/// The `metadata.labels` of a template as a JSON value (null when absent).
pub fn template_labels_value(template: Option<&Value>) -> Value {
    match template.and_then(|t| obj(t, "metadata")) {
        Some(m) => string_map_value(m, "labels"),
        None => Value::Null,
    }
}

/// The `metadata.labels` of a template as pairs.
pub fn template_labels(template: Option<&Value>) -> Vec<(&str, &str)> {
    match template.and_then(|t| obj(t, "metadata")) {
        Some(m) => string_map(m, "labels"),
        None => Vec::new(),
    }
}

/// The pod spec of a template, or null.
pub fn template_spec(template: Option<&Value>) -> &Value {
    static NULL: Value = Value::Null;
    template.and_then(|t| obj(t, "spec")).unwrap_or(&NULL)
}

/// The pod template rules of the controllers whose pods run until deleted
/// (ReplicaSet, ReplicationController, DaemonSet, StatefulSet): restartPolicy
/// Always and no activeDeadlineSeconds. `path` is the template's.
pub(crate) fn validate_always_running_template(template: Option<&Value>, kind: &str, path: &Path) -> Vec<FieldError> {
    let tspec = template_spec(template);
    let mut errs = Vec::new();
    let restart_policy = s(tspec, "restartPolicy");
    if restart_policy != "Always" {
        errs.push(not_supported(&path.child("spec").child("restartPolicy"), named_string(restart_policy), &["Always"]));
    }
    if get(tspec, "activeDeadlineSeconds").is_some() {
        errs.push(forbidden(
            &path.child("spec").child("activeDeadlineSeconds"),
            format!("activeDeadlineSeconds in {kind} is not Supported"),
        ));
    }
    errs
}

/// Renders an optional int like a Go *int32 bad value.
pub fn opt_int(v: Option<i64>) -> Value {
    opt_int_value(v)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// A Pod as kube-apiserver validates it: defaulted by the v1 defaulters.
    pub(crate) fn valid_pod() -> Value {
        json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default", "uid": "u1", "resourceVersion": "1"},
            "spec": {
                "containers": [{
                    "name": "nginx", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent",
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "1"}},
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                    "env": [{"name": "MODE", "value": "prod"}],
                    "livenessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
                        "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
                }],
                "volumes": [{"name": "data", "emptyDir": {}}],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "securityContext": {}, "schedulerName": "default-scheduler",
                "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]
            }
        })
    }

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    /// Sets the field at `pointer`, creating it in its parent object when absent.
    pub(crate) fn with(mut obj: Value, pointer: &str, value: Value) -> Value {
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        match obj.pointer_mut(parent) {
            Some(Value::Object(m)) => {
                m.insert(key.to_string(), value);
            }
            Some(Value::Array(a)) => {
                if let Some(slot) = key.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                    *slot = value;
                }
            }
            _ => panic!("no parent at {pointer}"),
        }
        obj
    }

    fn create(pod: &Value) -> Vec<String> {
        texts(&validate_pod_create(pod))
    }

    #[test]
    fn valid_pod_passes() {
        assert_eq!(create(&valid_pod()), Vec::<String>::new());
    }

    #[test]
    fn container_rules() {
        let pod = with(valid_pod(), "/spec/containers", json!([]));
        assert_eq!(create(&pod), vec!["spec.containers: Required value"]);

        let pod = with(valid_pod(), "/spec/containers/0/name", json!("Bad_Name"));
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            ]
        );

        let pod = with(valid_pod(), "/spec/containers/0/image", json!(""));
        assert_eq!(create(&pod), vec!["spec.containers[0].image: Required value"]);

        let pod = with(valid_pod(), "/spec/containers/0/image", json!(" nginx"));
        assert_eq!(
            create(&pod),
            vec!["spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"]
        );

        let mut pod = valid_pod();
        let c = pod["spec"]["containers"][0].clone();
        pod["spec"]["containers"].as_array_mut().expect("list").push(c);
        assert_eq!(create(&pod), vec!["spec.containers[1].name: Duplicate value: \"nginx\"",]);

        let pod = with(valid_pod(), "/spec/containers/0/imagePullPolicy", json!("Sometimes"));
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""
            ]
        );
    }

    #[test]
    fn ports_and_host_ports() {
        let pod = with(
            valid_pod(),
            "/spec/containers/0/ports",
            json!([{"containerPort": 0, "protocol": "TCP"}, {"containerPort": 70000, "protocol": "XYZ", "name": "a--b"}]),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].ports[0].containerPort: Required value",
                "spec.containers[0].ports[1].name: Invalid value: \"a--b\": must not contain consecutive hyphens",
                "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].ports[1].protocol: Unsupported value: \"XYZ\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            ]
        );
        let pod = with(
            valid_pod(),
            "/spec/containers/0/ports",
            json!([
                {"containerPort": 80, "hostPort": 8080, "protocol": "TCP"},
                {"containerPort": 81, "hostPort": 8080, "protocol": "TCP"}
            ]),
        );
        assert_eq!(create(&pod), vec!["spec.containers[0].ports[1].hostPort: Duplicate value: \"TCP//8080\""]);
    }

    #[test]
    fn volumes_and_mounts() {
        let pod = with(valid_pod(), "/spec/volumes", json!([{"name": "data"}]));
        assert_eq!(
            create(&pod),
            vec![
                "spec.volumes[0]: Required value: must specify a volume type",
                "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            ]
        );
        let pod =
            with(valid_pod(), "/spec/volumes", json!([{"name": "data", "emptyDir": {}, "hostPath": {"path": "/x"}}]));
        assert_eq!(
            create(&pod),
            vec![
                "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type",
                "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            ]
        );
        let pod = with(
            valid_pod(),
            "/spec/volumes/0",
            json!({"name": "data", "configMap": {"name": "cm", "items": [{"key": "k", "path": "../x"}], "defaultMode": 1000}}),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
                "spec.volumes[0].configMap.items[0].path: Invalid value: \"../x\": must not contain '..'",
                "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            ]
        );
        let pod = with(
            valid_pod(),
            "/spec/containers/0/volumeMounts",
            json!([{"name": "data", "mountPath": ""}, {"name": "data", "mountPath": ""}]),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].volumeMounts[0].mountPath: Required value",
                "spec.containers[0].volumeMounts[1].mountPath: Required value",
                "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"\": must be unique",
            ]
        );
    }

    #[test]
    fn env_rules() {
        let pod = with(
            valid_pod(),
            "/spec/containers/0/env",
            json!([
                {"name": ""},
                {"name": "A=B"},
                {"name": "X", "valueFrom": {}},
                {"name": "Y", "value": "v", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "Z", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.bogus"}}},
                {"name": "W", "valueFrom": {"secretKeyRef": {"name": "s", "key": ""}}}
            ]),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].env[0].name: Required value",
                "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
                "spec.containers[0].env[2].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                "spec.containers[0].env[3].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
                "spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.bogus\": error converting fieldPath: field label not supported: spec.bogus",
                "spec.containers[0].env[5].valueFrom.secretKeyRef.key: Required value",
            ]
        );
        let pod = with(
            valid_pod(),
            "/spec/containers/0/env",
            json!([{"name": "N", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.phase"}}}]),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""
            ]
        );
        let pod = with(valid_pod(), "/spec/containers/0/envFrom", json!([{"prefix": "P_"}]));
        assert_eq!(
            create(&pod),
            vec!["spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"]
        );
    }

    #[test]
    fn resources() {
        let pod = with(
            valid_pod(),
            "/spec/containers/0/resources",
            json!({"requests": {"cpu": "2", "memory": "-1"}, "limits": {"cpu": "1"}}),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
                "spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
            ]
        );
        let pod = with(
            valid_pod(),
            "/spec/containers/0/resources",
            json!({"requests": {"bogus": "1", "example.com/gpu": "1"}}),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].resources.requests[bogus]: Invalid value: \"bogus\": must be a standard resource type or fully qualified",
                "spec.containers[0].resources.requests[bogus]: Invalid value: \"bogus\": must be a standard resource for containers",
                "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
            ]
        );
        let pod = with(valid_pod(), "/spec/containers/0/resources", json!({"limits": {"example.com/gpu": "500m"}}));
        assert_eq!(
            create(&pod),
            vec!["spec.containers[0].resources.limits[example.com/gpu]: Invalid value: \"500m\": must be an integer"]
        );
    }

    #[test]
    fn probes_and_lifecycle() {
        let pod =
            with(valid_pod(), "/spec/containers/0/livenessProbe", json!({"successThreshold": 2, "periodSeconds": -1}));
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].livenessProbe: Required value: must specify a handler type",
                "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            ]
        );
        let pod = with(
            valid_pod(),
            "/spec/containers/0/livenessProbe",
            json!({"exec": {"command": ["true"]}, "tcpSocket": {"port": 80}, "successThreshold": 1}),
        );
        assert_eq!(
            create(&pod),
            vec!["spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]
        );
        let pod = with(valid_pod(), "/spec/containers/0/lifecycle", json!({"preStop": {"sleep": {"seconds": 60}}}));
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)"
            ]
        );
        let mut pod = valid_pod();
        pod["spec"]["initContainers"] = json!([{"name": "init", "image": "busybox", "imagePullPolicy": "Always", "terminationMessagePolicy": "File", "readinessProbe": {"exec": {"command": ["x"]}}}]);
        assert_eq!(
            create(&pod),
            vec![
                "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"
            ]
        );
    }

    #[test]
    fn pod_level_fields() {
        let pod = with(valid_pod(), "/spec/restartPolicy", json!("Sometimes"));
        assert_eq!(
            create(&pod),
            vec![
                "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
            ]
        );
        let pod = with(valid_pod(), "/spec/dnsPolicy", json!("None"));
        assert_eq!(
            create(&pod),
            vec!["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"]
        );
        let mut pod = valid_pod();
        pod["spec"]["activeDeadlineSeconds"] = json!(0);
        pod["spec"]["hostname"] = json!("Host");
        pod["spec"]["nodeSelector"] = json!({"disk": "-ssd"});
        pod["spec"]["serviceAccountName"] = json!("Bad");
        let errs = create(&pod);
        assert_eq!(
            errs[0],
            "spec.nodeSelector: Invalid value: \"-ssd\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
        assert!(errs[1].starts_with("spec.serviceAccountName: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain"));
        assert_eq!(
            errs[2],
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"
        );
        assert!(errs[3].starts_with("spec.hostname: Invalid value: \"Host\": a lowercase RFC 1123 label"));
        let pod = with(
            valid_pod(),
            "/spec/tolerations",
            json!([{"operator": "Equal", "value": "x"}, {"key": "k", "operator": "Exists", "value": "v", "tolerationSeconds": 5, "effect": "NoSchedule"}]),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
                "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
            ]
        );
        let pod = with(valid_pod(), "/spec/terminationGracePeriodSeconds", Value::Null);
        assert_eq!(create(&pod)[0], "spec.terminationGracePeriodSeconds: Required value");
    }

    #[test]
    fn templates_report_inline_metadata_paths() {
        let template = json!({"metadata": {"labels": {"app": "-x"}}, "spec": valid_pod()["spec"].clone()});
        let errs = validate_pod_template_spec(&template, &Path::new("spec").child("template"), &PodOptions::default());
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "spec.template.labels");
        let template =
            json!({"spec": {"containers": [], "ephemeralContainers": [{"name": "dbg", "image": "busybox"}]}});
        let errs = texts(&validate_pod_template_spec(&template, &Path::new("template"), &PodOptions::default()));
        assert!(
            errs.contains(
                &"template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template"
                    .to_string()
            )
        );
    }

    #[test]
    fn pod_updates() {
        let old = valid_pod();
        let new = with(valid_pod(), "/spec/containers/0/image", json!("nginx:1.28"));
        assert_eq!(texts(&validate_pod_update(&new, &old)), Vec::<String>::new());

        let new = with(valid_pod(), "/spec/containers/0/env/0/value", json!("dev"));
        let errs = validate_pod_update(&new, &old);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "spec");
        assert!(errs[0].body().starts_with("Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"));

        let old_ads = with(valid_pod(), "/spec/activeDeadlineSeconds", json!(10));
        let mut new = old_ads.clone();
        new["spec"]["activeDeadlineSeconds"] = json!(20);
        assert_eq!(
            texts(&validate_pod_update(&new, &old_ads)),
            vec!["spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value"]
        );

        let mut new = valid_pod();
        new["spec"]["tolerations"] = json!([]);
        assert_eq!(
            texts(&validate_pod_update(&new, &old)),
            vec!["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]
        );

        let mut new = valid_pod();
        new["spec"]["tolerations"][0]["tolerationSeconds"] = json!(60);
        new["spec"]["tolerations"].as_array_mut().expect("list").push(json!({"key": "k", "operator": "Exists"}));
        assert_eq!(texts(&validate_pod_update(&new, &old)), Vec::<String>::new());

        let mut new = valid_pod();
        let c = new["spec"]["containers"][0].clone();
        new["spec"]["containers"].as_array_mut().expect("list").push(c);
        assert_eq!(
            texts(&validate_pod_update(&new, &old)).last().map(String::as_str),
            Some("spec.containers: Forbidden: pod updates may not add or remove containers")
        );
    }

    #[test]
    fn ephemeral_containers_forbidden_on_create() {
        let mut pod = valid_pod();
        pod["spec"]["ephemeralContainers"] = json!([{"name": "dbg", "image": "busybox", "imagePullPolicy": "Always", "terminationMessagePolicy": "File", "targetContainerName": "nope"}]);
        assert_eq!(
            create(&pod),
            vec![
                "spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\"",
                "spec.ephemeralContainers: Forbidden: cannot be set on create",
            ]
        );
    }

    #[test]
    fn security_contexts() {
        let pod = with(
            valid_pod(),
            "/spec/containers/0/securityContext",
            json!({"runAsUser": -1, "procMount": "Unmasked", "seccompProfile": {"type": "Localhost"}}),
        );
        assert_eq!(
            create(&pod),
            vec![
                "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
                "spec.containers[0].securityContext.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`",
                "spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
            ]
        );
        let pod = with(
            valid_pod(),
            "/spec/securityContext",
            json!({"sysctls": [{"name": "net.core.somaxconn", "value": "1"}, {"name": "bad..name", "value": "1"}]}),
        );
        let mut pod = pod;
        pod["spec"]["hostNetwork"] = json!(true);
        pod["spec"]["containers"][0]["ports"] = json!([]);
        assert_eq!(
            create(&pod),
            vec![
                "spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true",
                "spec.securityContext.sysctls[1].name: Invalid value: \"bad..name\": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
            ]
        );
    }
}
