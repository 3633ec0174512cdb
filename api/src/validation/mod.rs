//! Validation of built-in objects as kube-apiserver 1.35 performs it, with its
//! exact field paths, error types and details, so kubox can answer a bad object
//! with the same 422 Invalid Status (`details.causes`) that kube-apiserver gives.
//!
//! Objects are taken in their versioned JSON form after defaulting. Kinds with
//! spec validation:
//! - core: Pod, PodTemplate, ReplicationController, Service, ConfigMap, Secret,
//!   PersistentVolumeClaim, Namespace, Node, ServiceAccount, Endpoints,
//!   LimitRange, ResourceQuota (`core`, with the pod spec rules in `pod`);
//! - apps: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision;
//! - batch: Job, CronJob (schedule parsing in `cron`, time zones in `tz`);
//! - networking.k8s.io: Ingress, IngressClass, NetworkPolicy, ServiceCIDR;
//! - rbac.authorization.k8s.io: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
//!
//! Every other kind (built-in or custom) gets metadata validation only: the
//! name rule of its resource ([`name_rule`]), its scope, labels, annotations,
//! finalizers, owner references and managed fields.

pub mod field;
pub mod names;

mod access;
mod apps;
mod batch;
mod core;
mod cron;
mod meta;
mod net;
mod networking;
mod pod;
mod rbac;
mod tz;

use serde_json::Value;

use access::meta_of;

pub use field::{ErrorType, FieldError, aggregate_message};
pub use meta::{validate_object_meta, validate_object_meta_update};
pub use names::{NameRule, name_rule, validate_name};

/// Validation of a new object of `kind` in `group`/`version` (after defaulting). Includes validate_object_meta with the kind's name rule and scope.
///
/// The object is expected as kube-apiserver validates it: defaulted, with the
/// server-set metadata (uid, creationTimestamp) and the strategy's preparation
/// (e.g. a Job's generated selector and labels, see
/// [`crate::strategy::generate_job_selector`])
/// already applied.
pub fn validate_create(group: &str, version: &str, kind: &str, object: &Value) -> Vec<FieldError> {
    match group {
        "" => core::validate_create(kind, object).unwrap_or_else(|| generic_create(group, kind, object)),
        "apps" => apps::validate_create(kind, object).unwrap_or_else(|| generic_create(group, kind, object)),
        "batch" => batch::validate_create(version, kind, object).unwrap_or_else(|| generic_create(group, kind, object)),
        "networking.k8s.io" => {
            networking::validate_create(kind, object).unwrap_or_else(|| generic_create(group, kind, object))
        }
        "rbac.authorization.k8s.io" => {
            rbac::validate_create(kind, object).unwrap_or_else(|| generic_create(group, kind, object))
        }
        crate::crd::GROUP if kind == "CustomResourceDefinition" => {
            let mut errs = generic_create(group, kind, object);
            errs.extend(crate::crd::validation::validate(object, None));
            errs
        }
        _ => generic_create(group, kind, object),
    }
}

/// Validation of an update of the main resource (`old` is the stored object).
///
/// The new object is expected as kube-apiserver validates it: defaulted, with
/// the fields the store carries over from the old object (resourceVersion for
/// unconditional updates, uid, creationTimestamp, generation) already set.
pub fn validate_update(group: &str, version: &str, kind: &str, object: &Value, old: &Value) -> Vec<FieldError> {
    let specific = match group {
        "" => core::validate_update(kind, object, old),
        "apps" => apps::validate_update(kind, object, old),
        "batch" => batch::validate_update(version, kind, object, old),
        "networking.k8s.io" => networking::validate_update(kind, object, old),
        "rbac.authorization.k8s.io" => rbac::validate_update(kind, object, old),
        crate::crd::GROUP if kind == "CustomResourceDefinition" => {
            let mut errs = generic_update(group, kind, object, old);
            errs.extend(crate::crd::validation::validate(object, Some(old)));
            Some(errs)
        }
        _ => None,
    };
    specific.unwrap_or_else(|| generic_update(group, kind, object, old))
}

/// Metadata-only validation for kinds without specific rules.
/// Metadata validation of a new custom object, whose scope comes from its
/// CRD (names are DNS subdomains, as for every custom resource).
pub fn validate_custom_create(object: &Value, namespaced: bool) -> Vec<FieldError> {
    validate_object_meta(meta_of(object), namespaced, NameRule::DnsSubdomain)
}

fn generic_create(group: &str, kind: &str, object: &Value) -> Vec<FieldError> {
    let metadata = meta_of(object);
    let resource = plural_of(kind);
    let rule = name_rule(group, &resource);
    let namespaced = !is_cluster_scoped(group, kind);
    if is_builtin_group(group) {
        meta::validate_core_object_meta(metadata, namespaced, rule)
    } else {
        validate_object_meta(metadata, namespaced, rule)
    }
}

fn generic_update(group: &str, _kind: &str, object: &Value, old: &Value) -> Vec<FieldError> {
    if is_builtin_group(group) {
        meta::validate_core_object_meta_update(meta_of(object), meta_of(old))
    } else {
        validate_object_meta_update(meta_of(object), meta_of(old))
    }
}

/// Built-in groups: the core group and the `*.k8s.io` groups served by kube-apiserver.
fn is_builtin_group(group: &str) -> bool {
    group.is_empty()
        || group.ends_with(".k8s.io")
        || matches!(group, "apps" | "batch" | "autoscaling" | "policy" | "extensions")
}

/// The lower-case plural of a built-in kind, as its REST resource is named.
fn plural_of(kind: &str) -> String {
    let lower = kind.to_lowercase();
    match lower.as_str() {
        "endpoints" => lower,
        l if l.ends_with("policy") => format!("{}ies", &l[..l.len() - 1]),
        l if l.ends_with('s') || l.ends_with("ch") || l.ends_with('x') => format!("{l}es"),
        l if l.ends_with('y') && !l.ends_with("ey") && !l.ends_with("ay") => format!("{}ies", &l[..l.len() - 1]),
        _ => format!("{lower}s"),
    }
}

/// Cluster-scoped built-in kinds (everything else is treated as namespaced;
/// callers validating custom resources should call [`validate_object_meta`]).
fn is_cluster_scoped(group: &str, kind: &str) -> bool {
    match group {
        "" => matches!(kind, "Namespace" | "Node" | "PersistentVolume" | "ComponentStatus"),
        "rbac.authorization.k8s.io" => matches!(kind, "ClusterRole" | "ClusterRoleBinding"),
        "storage.k8s.io" => !matches!(kind, "CSIStorageCapacity"),
        "networking.k8s.io" => matches!(kind, "IngressClass" | "IPAddress" | "ServiceCIDR"),
        "scheduling.k8s.io"
        | "apiregistration.k8s.io"
        | "apiextensions.k8s.io"
        | "flowcontrol.apiserver.k8s.io"
        | "admissionregistration.k8s.io"
        | "certificates.k8s.io"
        | "node.k8s.io" => !matches!(kind, "Lease"),
        "resource.k8s.io" => matches!(kind, "DeviceClass" | "ResourceSlice" | "DeviceTaintRule"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn other_kinds_get_metadata_validation() {
        let cm = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "Bad_Name"}, "value": 1});
        let errs = validate_create("scheduling.k8s.io", "v1", "PriorityClass", &cm);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "metadata.name");
        let lease = json!({"metadata": {"name": "l"}});
        assert_eq!(
            validate_create("coordination.k8s.io", "v1", "Lease", &lease)[0].to_string(),
            "metadata.namespace: Required value"
        );
        assert_eq!(plural_of("NetworkPolicy"), "networkpolicies");
        assert_eq!(plural_of("Ingress"), "ingresses");
        assert_eq!(plural_of("Endpoints"), "endpoints");
    }

    #[test]
    fn dispatches_to_group_rules() {
        let deploy = json!({"metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": -1, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "i", "imagePullPolicy": "Always", "terminationMessagePolicy": "File"}],
                "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "terminationGracePeriodSeconds": 30}},
            "strategy": {"type": "Recreate"}}});
        let errs = validate_create("apps", "v1", "Deployment", &deploy);
        assert_eq!(aggregate_message(&errs), "spec.replicas: Invalid value: -1: must be greater than or equal to 0");
        let cm = json!({"metadata": {"name": "cm", "namespace": "default"}, "data": {"a b": "x"}});
        assert_eq!(validate_create("", "v1", "ConfigMap", &cm)[0].field, "data[a b]");
        let role = json!({"metadata": {"name": "r", "namespace": "default"}, "rules": [{"apiGroups": [""], "resources": ["pods"]}]});
        assert_eq!(
            validate_create("rbac.authorization.k8s.io", "v1", "Role", &role)[0].to_string(),
            "rules[0].verbs: Required value: verbs must contain at least one value"
        );
        let cj = json!({"metadata": {"name": "c", "namespace": "default"}, "spec": {"schedule": "", "concurrencyPolicy": "Allow", "jobTemplate": {"spec": {"template": {"spec": {}}}}}});
        assert_eq!(validate_create("batch", "v1", "CronJob", &cj)[0].to_string(), "spec.schedule: Required value");
        let np = json!({"metadata": {"name": "np", "namespace": "default"}, "spec": {"podSelector": {}, "egress": [{"to": [{}]}]}});
        assert_eq!(
            validate_create("networking.k8s.io", "v1", "NetworkPolicy", &np)[0].to_string(),
            "spec.egress[0].to[0]: Required value: must specify a peer"
        );
        // Kinds without specific rules fall back to metadata validation.
        let pv_update = validate_update(
            "",
            "v1",
            "PersistentVolume",
            &json!({"metadata": {"name": "b", "resourceVersion": "1"}}),
            &json!({"metadata": {"name": "a"}}),
        );
        assert_eq!(pv_update[0].to_string(), "metadata.name: Invalid value: \"b\": field is immutable");
    }
}
