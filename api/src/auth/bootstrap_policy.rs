//! The bootstrap RBAC policy: the ClusterRoles, ClusterRoleBindings, Roles
//! and RoleBindings kube-apiserver's `rbac/bootstrap-roles` post-start hook
//! creates at every start, and the reconciliation that brings existing
//! copies up to date.
//!
//! Like kube-apiserver, every object carries the label
//! `kubernetes.io/bootstrapping: rbac-defaults` and the annotation
//! `rbac.authorization.kubernetes.io/autoupdate: "true"`. Reconciliation only
//! adds: missing rules, aggregation selectors, subjects, labels and
//! annotations; it never removes anything, and it leaves alone objects
//! whose autoupdate annotation is `"false"`. A binding whose roleRef
//! differs from the default is deleted and created again (a roleRef cannot
//! be changed in place).
//!
//! The set is kube-apiserver 1.35's with its default feature gates: roles
//! behind alpha or off-by-default beta gates are not part of it.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::catalog::ResourceSpec;
use crate::errors::{ApiError, ApiResult};
use crate::registry::{DeleteOptions, Part, ReadAt, Registry, WriteContext};

/// The label every bootstrap object carries.
pub const BOOTSTRAPPING_LABEL: &str = "kubernetes.io/bootstrapping";
/// The value of [`BOOTSTRAPPING_LABEL`].
pub const BOOTSTRAPPING_VALUE: &str = "rbac-defaults";
/// The annotation that lets reconciliation update an object (anything but
/// `"false"` does).
pub const AUTOUPDATE_ANNOTATION: &str = "rbac.authorization.kubernetes.io/autoupdate";
/// The prefix of the roles (and bindings) of kube-controller-manager's
/// controllers, each bound to the service account named by the rest.
pub const CONTROLLER_ROLE_PREFIX: &str = "system:controller:";

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";
const API_VERSION: &str = "rbac.authorization.k8s.io/v1";
const KUBE_SYSTEM: &str = "kube-system";
const KUBE_PUBLIC: &str = "kube-public";
const AGGREGATE_TO_ADMIN: &str = "rbac.authorization.k8s.io/aggregate-to-admin";
const AGGREGATE_TO_EDIT: &str = "rbac.authorization.k8s.io/aggregate-to-edit";
const AGGREGATE_TO_VIEW: &str = "rbac.authorization.k8s.io/aggregate-to-view";

/// Attempts of one object's reconciliation before giving up on contention.
const MAX_ATTEMPTS: usize = 10;

// API groups, as the rules name them.
const CORE: &str = "";
const APPS: &str = "apps";
const ADMISSIONREGISTRATION: &str = "admissionregistration.k8s.io";
const AUTHENTICATION: &str = "authentication.k8s.io";
const AUTHORIZATION: &str = "authorization.k8s.io";
const AUTOSCALING: &str = "autoscaling";
const BATCH: &str = "batch";
const CERTIFICATES: &str = "certificates.k8s.io";
const COORDINATION: &str = "coordination.k8s.io";
const DISCOVERY: &str = "discovery.k8s.io";
const EVENTS: &str = "events.k8s.io";
const EXTENSIONS: &str = "extensions";
const NETWORKING: &str = "networking.k8s.io";
const NODE: &str = "node.k8s.io";
const POLICY: &str = "policy";
const RESOURCE: &str = "resource.k8s.io";
const STORAGE: &str = "storage.k8s.io";
const METRICS: &str = "metrics.k8s.io";
const CUSTOM_METRICS: &str = "custom.metrics.k8s.io";
const EXTERNAL_METRICS: &str = "external.metrics.k8s.io";

// Verb sets.
const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "update", "patch", "delete", "deletecollection"];
const READ_WRITE: &[&str] = &["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const READ_UPDATE: &[&str] = &["get", "list", "watch", "update", "patch"];

// Certificate signers.
const SIGNER_LEGACY_UNKNOWN: &str = "kubernetes.io/legacy-unknown";
const SIGNER_KUBE_APISERVER_CLIENT: &str = "kubernetes.io/kube-apiserver-client";
const SIGNER_KUBE_APISERVER_CLIENT_KUBELET: &str = "kubernetes.io/kube-apiserver-client-kubelet";
const SIGNER_KUBELET_SERVING: &str = "kubernetes.io/kubelet-serving";

// ---------------------------------------------------------------------------
// Builders.

/// A sorted list of strings, as upstream's rule builder leaves every list.
fn sorted(items: &[&str]) -> Value {
    let mut v: Vec<&str> = items.to_vec();
    v.sort_unstable();
    Value::Array(v.into_iter().map(|s| Value::String(s.to_string())).collect())
}

/// A resource rule.
fn rule(verbs: &[&str], groups: &[&str], resources: &[&str]) -> Value {
    json!({"verbs": sorted(verbs), "apiGroups": sorted(groups), "resources": sorted(resources)})
}

/// A resource rule limited to some object names.
fn named(verbs: &[&str], groups: &[&str], resources: &[&str], names: &[&str]) -> Value {
    json!({
        "verbs": sorted(verbs),
        "apiGroups": sorted(groups),
        "resources": sorted(resources),
        "resourceNames": sorted(names),
    })
}

/// A non-resource rule.
fn urls(verbs: &[&str], paths: &[&str]) -> Value {
    json!({"verbs": sorted(verbs), "nonResourceURLs": sorted(paths)})
}

/// Recording events, through either events API.
fn events_rule() -> Value {
    rule(&["create", "update", "patch"], &[CORE, EVENTS], &["events"])
}

fn metadata(name: &str, namespace: Option<&str>, labels: &[(&str, &str)]) -> Value {
    let mut label_map = Map::new();
    for (k, v) in labels {
        label_map.insert((*k).to_string(), json!(v));
    }
    label_map.insert(BOOTSTRAPPING_LABEL.into(), json!(BOOTSTRAPPING_VALUE));
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if let Some(ns) = namespace {
        m.insert("namespace".into(), json!(ns));
    }
    m.insert("labels".into(), Value::Object(label_map));
    m.insert("annotations".into(), json!({ AUTOUPDATE_ANNOTATION: "true" }));
    Value::Object(m)
}

fn cluster_role(name: &str, rules: Vec<Value>) -> Value {
    labeled_cluster_role(name, &[], rules)
}

fn labeled_cluster_role(name: &str, labels: &[(&str, &str)], rules: Vec<Value>) -> Value {
    json!({
        "apiVersion": API_VERSION,
        "kind": "ClusterRole",
        "metadata": metadata(name, None, labels),
        "rules": rules,
    })
}

/// A ClusterRole whose rules the aggregation controller fills from the
/// ClusterRoles labelled `selector_label: "true"`.
fn aggregated_cluster_role(name: &str, labels: &[(&str, &str)], selector_label: &str) -> Value {
    json!({
        "apiVersion": API_VERSION,
        "kind": "ClusterRole",
        "metadata": metadata(name, None, labels),
        "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": { selector_label: "true" }}]},
    })
}

fn role(namespace: &str, name: &str, rules: Vec<Value>) -> Value {
    json!({
        "apiVersion": API_VERSION,
        "kind": "Role",
        "metadata": metadata(name, Some(namespace), &[]),
        "rules": rules,
    })
}

fn user(name: &str) -> Value {
    json!({"kind": "User", "apiGroup": RBAC_GROUP, "name": name})
}

fn group(name: &str) -> Value {
    json!({"kind": "Group", "apiGroup": RBAC_GROUP, "name": name})
}

fn service_account(namespace: &str, name: &str) -> Value {
    json!({"kind": "ServiceAccount", "name": name, "namespace": namespace})
}

fn role_ref(kind: &str, name: &str) -> Value {
    json!({"apiGroup": RBAC_GROUP, "kind": kind, "name": name})
}

/// A ClusterRoleBinding named as its ClusterRole. No subjects leaves
/// `subjects` out, as upstream's deprecated `system:node` binding.
fn cluster_binding(role_name: &str, subjects: Vec<Value>) -> Value {
    let mut b = json!({
        "apiVersion": API_VERSION,
        "kind": "ClusterRoleBinding",
        "metadata": metadata(role_name, None, &[]),
        "roleRef": role_ref("ClusterRole", role_name),
    });
    if !subjects.is_empty() {
        b["subjects"] = Value::Array(subjects);
    }
    b
}

fn role_binding(namespace: &str, name: &str, role_name: &str, subjects: Vec<Value>) -> Value {
    json!({
        "apiVersion": API_VERSION,
        "kind": "RoleBinding",
        "metadata": metadata(name, Some(namespace), &[]),
        "subjects": subjects,
        "roleRef": role_ref("Role", role_name),
    })
}

// ---------------------------------------------------------------------------
// The policy.

/// What the `system:node` ClusterRole grants a kubelet (the Node authorizer
/// and the NodeRestriction admission plugin narrow it per node).
pub(crate) fn node_rules() -> Vec<Value> {
    vec![
        // Checking API access: these creates do not mutate anything.
        rule(&["create"], &[AUTHENTICATION], &["tokenreviews"]),
        rule(&["create"], &[AUTHORIZATION], &["subjectaccessreviews", "localsubjectaccessreviews"]),
        // Service environment variables.
        rule(READ, &[CORE], &["services"]),
        // Registering and reporting on its Node.
        rule(&["create", "get", "list", "watch"], &[CORE], &["nodes"]),
        rule(&["update", "patch"], &[CORE], &["nodes/status"]),
        rule(&["update", "patch"], &[CORE], &["nodes"]),
        rule(&["create", "update", "patch"], &[CORE], &["events"]),
        // Pods bound to it, mirror pods, their status and evictions.
        rule(READ, &[CORE], &["pods"]),
        rule(&["create", "delete"], &[CORE], &["pods"]),
        rule(&["update", "patch"], &[CORE], &["pods/status"]),
        rule(&["create"], &[CORE], &["pods/eviction"]),
        // What its pods reference.
        rule(&["get", "list", "watch"], &[CORE], &["secrets", "configmaps"]),
        rule(&["get"], &[CORE], &["persistentvolumeclaims", "persistentvolumes"]),
        rule(&["get"], &[CORE], &["endpoints"]),
        // Rotating its own client certificate.
        rule(&["create", "get", "list", "watch"], &[CERTIFICATES], &["certificatesigningrequests"]),
        // Its heartbeat Lease.
        rule(&["get", "create", "update", "patch", "delete"], &[COORDINATION], &["leases"]),
        rule(&["get"], &[STORAGE], &["volumeattachments"]),
        // Tokens for the service accounts of its pods.
        rule(&["create"], &[CORE], &["serviceaccounts/token"]),
        rule(&["get", "update", "patch"], &[CORE], &["persistentvolumeclaims/status"]),
        rule(&["get", "watch", "list"], &[STORAGE], &["csidrivers"]),
        rule(&["get", "create", "update", "patch", "delete"], &[STORAGE], &["csinodes"]),
        rule(READ, &[NODE], &["runtimeclasses"]),
        // Dynamic resource allocation (GA): the claims of its pods, and
        // clearing the ResourceSlices of drivers that went away.
        rule(&["get"], &[RESOURCE], &["resourceclaims"]),
        rule(&["deletecollection"], &[RESOURCE], &["resourceslices"]),
    ]
}

/// The default ClusterRoles, controller roles included, in upstream's order.
pub fn cluster_roles() -> Vec<Value> {
    let mut roles = vec![
        // The root role: anything at all.
        cluster_role("cluster-admin", vec![rule(&["*"], &["*"], &["*"]), urls(&["*"], &["*"])]),
        // Enough to tell whether the server is up and discover its APIs.
        cluster_role(
            "system:discovery",
            vec![urls(
                &["get"],
                &[
                    "/livez",
                    "/readyz",
                    "/healthz",
                    "/version",
                    "/version/",
                    "/openapi",
                    "/openapi/*",
                    "/api",
                    "/api/*",
                    "/apis",
                    "/apis/*",
                ],
            )],
        ),
        // Metrics and every individual health check.
        cluster_role(
            "system:monitoring",
            vec![urls(
                &["get"],
                &["/metrics", "/metrics/slis", "/livez", "/readyz", "/healthz", "/livez/*", "/readyz/*", "/healthz/*"],
            )],
        ),
        // What a user needs to learn about themselves.
        cluster_role(
            "system:basic-user",
            vec![
                rule(&["create"], &[AUTHORIZATION], &["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
                rule(&["create"], &[AUTHENTICATION], &["selfsubjectreviews"]),
            ],
        ),
        // Insensitive cluster information, for anyone.
        cluster_role(
            "system:public-info-viewer",
            vec![urls(&["get"], &["/livez", "/readyz", "/healthz", "/version", "/version/"])],
        ),
        aggregated_cluster_role("admin", &[], AGGREGATE_TO_ADMIN),
        aggregated_cluster_role("edit", &[(AGGREGATE_TO_ADMIN, "true")], AGGREGATE_TO_EDIT),
        aggregated_cluster_role("view", &[(AGGREGATE_TO_EDIT, "true")], AGGREGATE_TO_VIEW),
        // What admin adds to edit: granting access within a namespace.
        labeled_cluster_role(
            "system:aggregate-to-admin",
            &[(AGGREGATE_TO_ADMIN, "true")],
            vec![
                rule(&["create"], &[AUTHORIZATION], &["localsubjectaccessreviews"]),
                rule(READ_WRITE, &[RBAC_GROUP], &["roles", "rolebindings"]),
            ],
        ),
        // What edit adds to view: every user-level action in a namespace,
        // but not its quota, limits or status subresources.
        labeled_cluster_role(
            "system:aggregate-to-edit",
            &[(AGGREGATE_TO_EDIT, "true")],
            vec![
                rule(
                    READ,
                    &[CORE],
                    &["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"],
                ),
                rule(&["impersonate"], &[CORE], &["serviceaccounts"]),
                rule(WRITE, &[CORE], &["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
                rule(&["create"], &[CORE], &["pods/eviction"]),
                rule(
                    WRITE,
                    &[CORE],
                    &[
                        "replicationcontrollers",
                        "replicationcontrollers/scale",
                        "serviceaccounts",
                        "services",
                        "services/proxy",
                        "persistentvolumeclaims",
                        "configmaps",
                        "secrets",
                        "events",
                    ],
                ),
                rule(&["create"], &[CORE], &["serviceaccounts/token"]),
                rule(
                    WRITE,
                    &[APPS],
                    &[
                        "statefulsets",
                        "statefulsets/scale",
                        "daemonsets",
                        "deployments",
                        "deployments/scale",
                        "deployments/rollback",
                        "replicasets",
                        "replicasets/scale",
                    ],
                ),
                rule(WRITE, &[AUTOSCALING], &["horizontalpodautoscalers"]),
                rule(WRITE, &[BATCH], &["jobs", "cronjobs"]),
                rule(
                    WRITE,
                    &[EXTENSIONS],
                    &[
                        "daemonsets",
                        "deployments",
                        "deployments/scale",
                        "deployments/rollback",
                        "ingresses",
                        "replicasets",
                        "replicasets/scale",
                        "replicationcontrollers/scale",
                        "networkpolicies",
                    ],
                ),
                rule(WRITE, &[POLICY], &["poddisruptionbudgets"]),
                rule(WRITE, &[NETWORKING], &["networkpolicies", "ingresses"]),
            ],
        ),
        // Reading the non-escalating resources of a namespace.
        labeled_cluster_role(
            "system:aggregate-to-view",
            &[(AGGREGATE_TO_VIEW, "true")],
            vec![
                rule(
                    READ,
                    &[CORE],
                    &[
                        "pods",
                        "replicationcontrollers",
                        "replicationcontrollers/scale",
                        "serviceaccounts",
                        "services",
                        "services/status",
                        "endpoints",
                        "persistentvolumeclaims",
                        "persistentvolumeclaims/status",
                        "configmaps",
                    ],
                ),
                rule(
                    READ,
                    &[CORE],
                    &[
                        "limitranges",
                        "resourcequotas",
                        "bindings",
                        "events",
                        "pods/status",
                        "resourcequotas/status",
                        "namespaces/status",
                        "replicationcontrollers/status",
                        "pods/log",
                    ],
                ),
                // Reading the namespace itself tells which namespaces one
                // has access to.
                rule(READ, &[CORE], &["namespaces"]),
                rule(READ, &[DISCOVERY], &["endpointslices"]),
                rule(
                    READ,
                    &[APPS],
                    &[
                        "controllerrevisions",
                        "statefulsets",
                        "statefulsets/status",
                        "statefulsets/scale",
                        "daemonsets",
                        "daemonsets/status",
                        "deployments",
                        "deployments/status",
                        "deployments/scale",
                        "replicasets",
                        "replicasets/status",
                        "replicasets/scale",
                    ],
                ),
                rule(READ, &[AUTOSCALING], &["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
                rule(READ, &[BATCH], &["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
                rule(
                    READ,
                    &[EXTENSIONS],
                    &[
                        "daemonsets",
                        "daemonsets/status",
                        "deployments",
                        "deployments/scale",
                        "deployments/status",
                        "ingresses",
                        "ingresses/status",
                        "replicasets",
                        "replicasets/scale",
                        "replicasets/status",
                        "replicationcontrollers/scale",
                        "networkpolicies",
                    ],
                ),
                rule(READ, &[POLICY], &["poddisruptionbudgets", "poddisruptionbudgets/status"]),
                rule(READ, &[NETWORKING], &["networkpolicies", "ingresses", "ingresses/status"]),
            ],
        ),
        cluster_role(
            "system:heapster",
            vec![
                rule(READ, &[CORE], &["events", "pods", "nodes", "namespaces"]),
                rule(READ, &[EXTENSIONS], &["deployments"]),
            ],
        ),
        cluster_role("system:node", node_rules()),
        // Not bound by default: where node-problem-detector runs varies.
        cluster_role(
            "system:node-problem-detector",
            vec![rule(&["get"], &[CORE], &["nodes"]), rule(&["patch"], &[CORE], &["nodes/status"]), events_rule()],
        ),
        // Full access to the kubelet API.
        cluster_role(
            "system:kubelet-api-admin",
            vec![
                rule(READ, &[CORE], &["nodes"]),
                rule(&["proxy"], &[CORE], &["nodes"]),
                rule(&["*"], &[CORE], &["nodes/proxy", "nodes/metrics", "nodes/spec", "nodes/stats", "nodes/log"]),
                // Fine-grained kubelet authorization (beta, on by default).
                rule(&["*"], &[CORE], &["nodes/pods", "nodes/healthz", "nodes/configz"]),
            ],
        ),
        // Requesting a node's client certificate during TLS bootstrap.
        cluster_role(
            "system:node-bootstrapper",
            vec![rule(&["create", "get", "list", "watch"], &[CERTIFICATES], &["certificatesigningrequests"])],
        ),
        // Delegated authentication and authorization.
        cluster_role(
            "system:auth-delegator",
            vec![
                rule(&["create"], &[AUTHENTICATION], &["tokenreviews"]),
                rule(&["create"], &[AUTHORIZATION], &["subjectaccessreviews"]),
            ],
        ),
        cluster_role("system:kube-aggregator", vec![rule(READ, &[CORE], &["services", "endpoints"])]),
        // What kube-controller-manager needs before its controllers run
        // under their own service accounts.
        cluster_role(
            "system:kube-controller-manager",
            vec![
                events_rule(),
                // Leader election.
                rule(&["create"], &[COORDINATION], &["leases"]),
                named(&["get", "update"], &[COORDINATION], &["leases"], &["kube-controller-manager"]),
                rule(&["create"], &[CORE], &["endpoints"]),
                named(&["get", "update"], &[CORE], &["endpoints"], &["kube-controller-manager"]),
                // Service accounts and their credentials.
                rule(&["create"], &[CORE], &["secrets", "serviceaccounts"]),
                rule(&["delete"], &[CORE], &["secrets"]),
                rule(&["get"], &[CORE], &["namespaces", "secrets", "serviceaccounts", "configmaps"]),
                rule(&["update"], &[CORE], &["secrets", "serviceaccounts"]),
                rule(&["create"], &[AUTHENTICATION], &["tokenreviews"]),
                rule(&["create"], &[AUTHORIZATION], &["subjectaccessreviews"]),
                // Shared informers.
                rule(&["list", "watch"], &["*"], &["*"]),
                rule(&["create"], &[CORE], &["serviceaccounts/token"]),
            ],
        ),
        cluster_role("system:kube-dns", vec![rule(&["list", "watch"], &[CORE], &["endpoints", "services"])]),
        // An out-of-tree persistent volume provisioner.
        cluster_role(
            "system:persistent-volume-provisioner",
            vec![
                rule(&["get", "list", "watch", "create", "delete"], &[CORE], &["persistentvolumes"]),
                // update: the provisioner's lock annotations on claims.
                rule(&["get", "list", "watch", "update"], &[CORE], &["persistentvolumeclaims"]),
                rule(READ, &[STORAGE], &["storageclasses"]),
                rule(&["watch"], &[CORE], &["events"]),
                events_rule(),
            ],
        ),
        // Lets the CSR approver approve a node client certificate...
        cluster_role(
            "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            vec![rule(&["create"], &[CERTIFICATES], &["certificatesigningrequests/nodeclient"])],
        ),
        // ...and one a node requests for itself.
        cluster_role(
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            vec![rule(&["create"], &[CERTIFICATES], &["certificatesigningrequests/selfnodeclient"])],
        ),
        cluster_role(
            "system:volume-scheduler",
            vec![
                rule(READ_UPDATE, &[CORE], &["persistentvolumes"]),
                rule(READ, &[STORAGE], &["storageclasses"]),
                rule(READ_UPDATE, &[CORE], &["persistentvolumeclaims"]),
            ],
        ),
        signer_approver("legacy-unknown-approver", SIGNER_LEGACY_UNKNOWN),
        signer_approver("kubelet-serving-approver", SIGNER_KUBELET_SERVING),
        signer_approver("kube-apiserver-client-approver", SIGNER_KUBE_APISERVER_CLIENT),
        signer_approver("kube-apiserver-client-kubelet-approver", SIGNER_KUBE_APISERVER_CLIENT_KUBELET),
        // The service account issuer's OIDC discovery documents.
        cluster_role(
            "system:service-account-issuer-discovery",
            vec![urls(&["get"], &["/.well-known/openid-configuration", "/openid/v1/jwks"])],
        ),
        // kube-proxy.
        cluster_role(
            "system:node-proxier",
            vec![
                rule(&["list", "watch"], &[CORE], &["services", "endpoints"]),
                rule(READ, &[CORE], &["nodes"]),
                events_rule(),
                rule(&["list", "watch"], &[DISCOVERY], &["endpointslices"]),
                rule(&["list", "watch"], &[NETWORKING], &["servicecidrs"]),
            ],
        ),
        cluster_role("system:kube-scheduler", kube_scheduler_rules()),
    ];
    roles.extend(controller_roles());
    roles
}

fn signer_approver(suffix: &str, signer: &str) -> Value {
    cluster_role(
        &format!("system:certificates.k8s.io:{suffix}"),
        vec![named(&["approve"], &[CERTIFICATES], &["signers"], &[signer])],
    )
}

fn kube_scheduler_rules() -> Vec<Value> {
    vec![
        events_rule(),
        // Leader election.
        rule(&["create"], &[COORDINATION], &["leases"]),
        named(&["get", "update"], &[COORDINATION], &["leases"], &["kube-scheduler"]),
        rule(&["create"], &[CORE], &["endpoints"]),
        named(&["get", "update"], &[CORE], &["endpoints"], &["kube-scheduler"]),
        // Nodes, pods and binding them.
        rule(READ, &[CORE], &["nodes"]),
        rule(&["get", "list", "watch", "delete"], &[CORE], &["pods"]),
        rule(&["create"], &[CORE], &["pods/binding", "bindings"]),
        rule(&["patch", "update"], &[CORE], &["pods/status"]),
        // What selects pods.
        rule(READ, &[CORE], &["services", "replicationcontrollers"]),
        rule(READ, &[APPS, EXTENSIONS], &["replicasets"]),
        rule(READ, &[APPS], &["statefulsets"]),
        // What pods use or what applies to them.
        rule(READ, &[POLICY], &["poddisruptionbudgets"]),
        rule(READ, &[CORE], &["persistentvolumeclaims", "persistentvolumes"]),
        rule(&["create"], &[AUTHENTICATION], &["tokenreviews"]),
        rule(&["create"], &[AUTHORIZATION], &["subjectaccessreviews"]),
        rule(READ, &[STORAGE], &["csinodes"]),
        // Pod affinity's namespaceSelector.
        rule(READ, &[CORE], &["namespaces"]),
        rule(READ, &[STORAGE], &["csidrivers"]),
        rule(READ, &[STORAGE], &["csistoragecapacities"]),
        // Dynamic resource allocation (GA).
        rule(READ, &[RESOURCE], &["resourceclaims", "deviceclasses"]),
        rule(READ_UPDATE, &[RESOURCE], &["resourceclaims/status"]),
        rule(READ, &[RESOURCE], &["resourceslices"]),
    ]
}

/// One controller's ClusterRole, `system:controller:<name>`.
fn controller(name: &str, rules: Vec<Value>) -> Value {
    cluster_role(&format!("{CONTROLLER_ROLE_PREFIX}{name}"), rules)
}

/// The roles of kube-controller-manager's controllers, in upstream's order.
fn controller_roles() -> Vec<Value> {
    vec![
        controller(
            "attachdetach-controller",
            vec![
                rule(&["list", "watch"], &[CORE], &["persistentvolumes", "persistentvolumeclaims"]),
                rule(READ, &[CORE], &["nodes"]),
                rule(&["patch", "update"], &[CORE], &["nodes/status"]),
                rule(&["list", "watch"], &[CORE], &["pods"]),
                events_rule(),
                rule(&["get", "create", "delete", "list", "watch"], &[STORAGE], &["volumeattachments"]),
                rule(READ, &[STORAGE], &["csidrivers"]),
                rule(READ, &[STORAGE], &["csinodes"]),
            ],
        ),
        controller(
            "clusterrole-aggregation-controller",
            // It must be able to write any rule into an aggregated role.
            vec![rule(&["escalate", "get", "list", "watch", "update", "patch"], &[RBAC_GROUP], &["clusterroles"])],
        ),
        controller(
            "cronjob-controller",
            vec![
                rule(&["get", "list", "watch", "update"], &[BATCH], &["cronjobs"]),
                rule(&["get", "list", "watch", "create", "update", "delete", "patch"], &[BATCH], &["jobs"]),
                rule(&["update"], &[BATCH], &["cronjobs/status"]),
                rule(&["update"], &[BATCH], &["cronjobs/finalizers"]),
                rule(&["list", "delete"], &[CORE], &["pods"]),
                events_rule(),
            ],
        ),
        controller(
            "daemon-set-controller",
            vec![
                rule(READ, &[EXTENSIONS, APPS], &["daemonsets"]),
                rule(&["update"], &[EXTENSIONS, APPS], &["daemonsets/status"]),
                rule(&["update"], &[EXTENSIONS, APPS], &["daemonsets/finalizers"]),
                rule(&["list", "watch"], &[CORE], &["nodes"]),
                rule(&["list", "watch", "create", "delete", "patch"], &[CORE], &["pods"]),
                rule(&["create"], &[CORE], &["pods/binding"]),
                rule(
                    &["get", "list", "watch", "create", "delete", "update", "patch"],
                    &[APPS],
                    &["controllerrevisions"],
                ),
                events_rule(),
            ],
        ),
        controller(
            "deployment-controller",
            vec![
                rule(&["get", "list", "watch", "update"], &[EXTENSIONS, APPS], &["deployments"]),
                rule(&["update"], &[EXTENSIONS, APPS], &["deployments/status"]),
                rule(&["update"], &[EXTENSIONS, APPS], &["deployments/finalizers"]),
                rule(
                    &["get", "list", "watch", "create", "update", "patch", "delete"],
                    &[APPS, EXTENSIONS],
                    &["replicasets"],
                ),
                rule(&["get", "list", "watch", "update"], &[CORE], &["pods"]),
                events_rule(),
            ],
        ),
        controller(
            "disruption-controller",
            vec![
                rule(READ, &[EXTENSIONS, APPS], &["deployments"]),
                rule(READ, &[APPS, EXTENSIONS], &["replicasets"]),
                rule(READ, &[CORE], &["replicationcontrollers"]),
                rule(READ, &[POLICY], &["poddisruptionbudgets"]),
                rule(READ, &[APPS], &["statefulsets"]),
                rule(&["update"], &[POLICY], &["poddisruptionbudgets/status"]),
                rule(&["patch", "update"], &[CORE], &["pods/status"]),
                rule(&["get"], &["*"], &["*/scale"]),
                events_rule(),
            ],
        ),
        controller(
            "endpoint-controller",
            vec![
                rule(READ, &[CORE], &["services", "pods"]),
                rule(&["get", "list", "create", "update", "delete"], &[CORE], &["endpoints"]),
                rule(&["create"], &[CORE], &["endpoints/restricted"]),
                events_rule(),
            ],
        ),
        controller(
            "endpointslice-controller",
            vec![
                rule(READ, &[CORE], &["services", "pods", "nodes"]),
                // Owner references with blockOwnerDeletion need the
                // service's finalizers.
                rule(&["update"], &[CORE], &["services/finalizers"]),
                rule(&["get", "list", "create", "update", "delete"], &[DISCOVERY], &["endpointslices"]),
                events_rule(),
            ],
        ),
        controller(
            "endpointslicemirroring-controller",
            vec![
                rule(READ, &[CORE], &["services", "endpoints"]),
                rule(&["update"], &[CORE], &["services/finalizers"]),
                rule(&["update"], &[CORE], &["endpoints/finalizers"]),
                rule(&["get", "list", "create", "update", "delete"], &[DISCOVERY], &["endpointslices"]),
                events_rule(),
            ],
        ),
        controller(
            "expand-controller",
            vec![
                rule(&["get", "list", "watch", "update", "patch"], &[CORE], &["persistentvolumes"]),
                rule(&["update", "patch"], &[CORE], &["persistentvolumeclaims/status"]),
                rule(READ, &[CORE], &["persistentvolumeclaims"]),
                rule(READ, &[STORAGE], &["storageclasses"]),
                rule(&["get"], &[CORE], &["services", "endpoints"]),
                rule(&["get"], &[CORE], &["secrets"]),
                events_rule(),
            ],
        ),
        controller(
            "ephemeral-volume-controller",
            vec![
                rule(READ, &[CORE], &["pods"]),
                rule(&["update"], &[CORE], &["pods/finalizers"]),
                rule(&["get", "list", "watch", "create"], &[CORE], &["persistentvolumeclaims"]),
                events_rule(),
            ],
        ),
        controller(
            "resource-claim-controller",
            vec![
                rule(READ, &[CORE], &["pods"]),
                rule(&["update"], &[CORE], &["pods/finalizers"]),
                rule(&["get", "list", "watch", "create", "delete"], &[RESOURCE], &["resourceclaims"]),
                rule(&["update", "patch"], &[RESOURCE], &["resourceclaims", "resourceclaims/status"]),
                rule(&["update", "patch"], &[CORE], &["pods/status"]),
                events_rule(),
            ],
        ),
        controller(
            "generic-garbage-collector",
            // List, watch, read selectively and update any resource.
            vec![rule(&["get", "list", "watch", "patch", "update", "delete"], &["*"], &["*"]), events_rule()],
        ),
        controller(
            "horizontal-pod-autoscaler",
            vec![
                rule(READ, &[AUTOSCALING], &["horizontalpodautoscalers"]),
                rule(&["update"], &[AUTOSCALING], &["horizontalpodautoscalers/status"]),
                rule(&["get", "update"], &["*"], &["*/scale"]),
                rule(&["list"], &[CORE], &["pods"]),
                // Resource, custom and external metrics.
                rule(&["list"], &[METRICS], &["pods"]),
                rule(&["get", "list"], &[CUSTOM_METRICS], &["*"]),
                rule(&["get", "list"], &[EXTERNAL_METRICS], &["*"]),
                events_rule(),
            ],
        ),
        controller(
            "job-controller",
            vec![
                rule(&["get", "list", "watch", "update", "patch"], &[BATCH], &["jobs"]),
                rule(&["update"], &[BATCH], &["jobs/status"]),
                rule(&["update"], &[BATCH], &["jobs/finalizers"]),
                rule(&["list", "watch", "create", "delete", "patch"], &[CORE], &["pods"]),
                events_rule(),
            ],
        ),
        controller(
            "namespace-controller",
            vec![
                rule(&["get", "list", "watch", "delete"], &[CORE], &["namespaces"]),
                rule(&["update"], &[CORE], &["namespaces/finalize", "namespaces/status"]),
                rule(&["get", "list", "delete", "deletecollection"], &["*"], &["*"]),
            ],
        ),
        controller(
            "node-controller",
            vec![
                rule(&["get", "list", "update", "delete", "patch"], &[CORE], &["nodes"]),
                rule(&["patch", "update"], &[CORE], &["nodes/status"]),
                // Marking and deleting the pods of lost nodes.
                rule(&["patch", "update"], &[CORE], &["pods/status"]),
                rule(&["list", "get", "delete"], &[CORE], &["pods"]),
                events_rule(),
            ],
        ),
        controller(
            "persistent-volume-binder",
            vec![
                rule(&["get", "list", "watch", "update", "create", "delete"], &[CORE], &["persistentvolumes"]),
                rule(&["update"], &[CORE], &["persistentvolumes/status"]),
                rule(&["get", "list", "watch", "update"], &[CORE], &["persistentvolumeclaims"]),
                rule(&["update"], &[CORE], &["persistentvolumeclaims/status"]),
                rule(&["list", "watch", "get", "create", "delete"], &[CORE], &["pods"]),
                rule(READ, &[STORAGE], &["storageclasses"]),
                rule(&["get", "create", "update", "delete"], &[CORE], &["endpoints"]),
                rule(&["get", "create", "delete"], &[CORE], &["services"]),
                rule(&["get"], &[CORE], &["secrets"]),
                rule(&["get", "list"], &[CORE], &["nodes"]),
                // The recycler watches its pod's events.
                rule(&["watch"], &[CORE], &["events"]),
                events_rule(),
            ],
        ),
        controller(
            "pod-garbage-collector",
            vec![
                rule(&["list", "watch", "delete"], &[CORE], &["pods"]),
                rule(&["get", "list"], &[CORE], &["nodes"]),
                rule(&["patch"], &[CORE], &["pods/status"]),
            ],
        ),
        controller(
            "replicaset-controller",
            vec![
                rule(&["get", "list", "watch", "update"], &[APPS, EXTENSIONS], &["replicasets"]),
                rule(&["update"], &[APPS, EXTENSIONS], &["replicasets/status"]),
                rule(&["update"], &[APPS, EXTENSIONS], &["replicasets/finalizers"]),
                rule(&["list", "watch", "patch", "create", "delete"], &[CORE], &["pods"]),
                events_rule(),
            ],
        ),
        controller(
            "replication-controller",
            vec![
                rule(&["get", "list", "watch", "update"], &[CORE], &["replicationcontrollers"]),
                rule(&["update"], &[CORE], &["replicationcontrollers/status"]),
                rule(&["update"], &[CORE], &["replicationcontrollers/finalizers"]),
                rule(&["list", "watch", "patch", "create", "delete"], &[CORE], &["pods"]),
                events_rule(),
            ],
        ),
        controller(
            "resourcequota-controller",
            vec![
                // Quota may count anything.
                rule(&["list", "watch"], &["*"], &["*"]),
                rule(&["update"], &[CORE], &["resourcequotas/status"]),
                events_rule(),
            ],
        ),
        controller(
            "route-controller",
            vec![
                rule(&["list", "watch"], &[CORE], &["nodes"]),
                rule(&["patch"], &[CORE], &["nodes/status"]),
                events_rule(),
            ],
        ),
        controller("service-account-controller", vec![rule(&["create"], &[CORE], &["serviceaccounts"]), events_rule()]),
        controller(
            "service-controller",
            vec![
                rule(READ, &[CORE], &["services"]),
                rule(&["patch", "update"], &[CORE], &["services/status"]),
                rule(&["list", "watch"], &[CORE], &["nodes"]),
                events_rule(),
            ],
        ),
        controller(
            "service-cidrs-controller",
            vec![
                rule(&["get", "list", "watch", "patch", "update"], &[NETWORKING], &["servicecidrs"]),
                rule(&["patch", "update"], &[NETWORKING], &["servicecidrs/finalizers"]),
                rule(&["patch", "update"], &[NETWORKING], &["servicecidrs/status"]),
                rule(READ, &[NETWORKING], &["ipaddresses"]),
                events_rule(),
            ],
        ),
        controller(
            "statefulset-controller",
            vec![
                rule(&["list", "watch"], &[CORE], &["pods"]),
                rule(READ, &[APPS], &["statefulsets"]),
                rule(&["update"], &[APPS], &["statefulsets/status"]),
                rule(&["update"], &[APPS], &["statefulsets/finalizers"]),
                rule(&["get", "create", "delete", "update", "patch"], &[CORE], &["pods"]),
                rule(
                    &["get", "create", "delete", "update", "patch", "list", "watch"],
                    &[APPS],
                    &["controllerrevisions"],
                ),
                rule(&["get", "create"], &[CORE], &["persistentvolumeclaims"]),
                events_rule(),
                // PersistentVolumeClaim retention (GA).
                rule(&["update", "delete"], &[CORE], &["persistentvolumeclaims"]),
            ],
        ),
        controller(
            "ttl-controller",
            vec![rule(&["update", "patch", "list", "watch"], &[CORE], &["nodes"]), events_rule()],
        ),
        controller(
            "certificate-controller",
            vec![
                rule(&["get", "list", "watch", "delete"], &[CERTIFICATES], &["certificatesigningrequests"]),
                rule(
                    &["update"],
                    &[CERTIFICATES],
                    &["certificatesigningrequests/status", "certificatesigningrequests/approval"],
                ),
                named(&["approve"], &[CERTIFICATES], &["signers"], &[SIGNER_KUBE_APISERVER_CLIENT_KUBELET]),
                named(
                    &["sign"],
                    &[CERTIFICATES],
                    &["signers"],
                    &[
                        SIGNER_LEGACY_UNKNOWN,
                        SIGNER_KUBE_APISERVER_CLIENT,
                        SIGNER_KUBE_APISERVER_CLIENT_KUBELET,
                        SIGNER_KUBELET_SERVING,
                    ],
                ),
                rule(&["create"], &[AUTHORIZATION], &["subjectaccessreviews"]),
                events_rule(),
            ],
        ),
        controller(
            "pvc-protection-controller",
            vec![
                rule(&["get", "list", "watch", "update"], &[CORE], &["persistentvolumeclaims"]),
                rule(READ, &[CORE], &["pods"]),
                events_rule(),
            ],
        ),
        controller(
            "pv-protection-controller",
            vec![rule(&["get", "list", "watch", "update"], &[CORE], &["persistentvolumes"]), events_rule()],
        ),
        controller(
            "volumeattributesclass-protection-controller",
            vec![
                rule(READ, &[CORE], &["persistentvolumeclaims"]),
                rule(READ, &[CORE], &["persistentvolumes"]),
                rule(&["get", "list", "watch", "update"], &[STORAGE], &["volumeattributesclasses"]),
                events_rule(),
            ],
        ),
        controller(
            "ttl-after-finished-controller",
            vec![rule(&["get", "list", "watch", "delete"], &[BATCH], &["jobs"]), events_rule()],
        ),
        controller(
            "root-ca-cert-publisher",
            vec![rule(&["create", "update"], &[CORE], &["configmaps"]), events_rule()],
        ),
        controller(
            "validatingadmissionpolicy-status-controller",
            vec![
                rule(READ, &[ADMISSIONREGISTRATION], &["validatingadmissionpolicies"]),
                rule(&["get", "patch", "update"], &[ADMISSIONREGISTRATION], &["validatingadmissionpolicies/status"]),
                events_rule(),
            ],
        ),
        controller(
            "legacy-service-account-token-cleaner",
            vec![
                named(&["get"], &[CORE], &["configmaps"], &["kube-apiserver-legacy-service-account-token-tracking"]),
                rule(&["patch", "delete"], &[CORE], &["secrets"]),
            ],
        ),
        controller(
            "selinux-warning-controller",
            vec![
                rule(READ, &[CORE], &["persistentvolumeclaims", "persistentvolumes", "pods"]),
                rule(READ, &[STORAGE], &["csidrivers"]),
                events_rule(),
            ],
        ),
    ]
}

/// The default ClusterRoleBindings, controller bindings included, in
/// upstream's order.
pub fn cluster_role_bindings() -> Vec<Value> {
    let mut bindings = vec![
        cluster_binding("cluster-admin", vec![group("system:masters")]),
        cluster_binding("system:monitoring", vec![group("system:monitoring")]),
        cluster_binding("system:discovery", vec![group("system:authenticated")]),
        cluster_binding("system:basic-user", vec![group("system:authenticated")]),
        cluster_binding(
            "system:public-info-viewer",
            vec![group("system:authenticated"), group("system:unauthenticated")],
        ),
        cluster_binding("system:node-proxier", vec![user("system:kube-proxy")]),
        cluster_binding("system:kube-controller-manager", vec![user("system:kube-controller-manager")]),
        cluster_binding("system:kube-dns", vec![service_account(KUBE_SYSTEM, "kube-dns")]),
        cluster_binding("system:kube-scheduler", vec![user("system:kube-scheduler")]),
        cluster_binding("system:volume-scheduler", vec![user("system:kube-scheduler")]),
        // Bound to nobody since the Node authorizer took over; kept so that
        // clusters that once bound it keep a binding to reconcile.
        cluster_binding("system:node", vec![]),
        // Every in-cluster workload may read the OIDC discovery documents.
        cluster_binding("system:service-account-issuer-discovery", vec![group("system:serviceaccounts")]),
    ];
    for role in controller_roles() {
        let name = role["metadata"]["name"].as_str().unwrap_or_default();
        let account = name.strip_prefix(CONTROLLER_ROLE_PREFIX).unwrap_or(name);
        bindings.push(cluster_binding(name, vec![service_account(KUBE_SYSTEM, account)]));
    }
    bindings
}

/// The default Roles of kube-system and kube-public, in upstream's order.
pub fn roles() -> Vec<Value> {
    let leader_locking = |component: &str| {
        role(
            KUBE_SYSTEM,
            &format!("system::leader-locking-{component}"),
            vec![
                rule(&["watch"], &[CORE], &["configmaps"]),
                named(&["get", "update"], &[CORE], &["configmaps"], &[component]),
            ],
        )
    };
    vec![
        // Reading the authentication configuration to start a server.
        role(
            KUBE_SYSTEM,
            "extension-apiserver-authentication-reader",
            vec![named(READ, &[CORE], &["configmaps"], &["extension-apiserver-authentication"])],
        ),
        // The bootstrap signer inspects kube-system's token secrets.
        role(KUBE_SYSTEM, "system:controller:bootstrap-signer", vec![rule(READ, &[CORE], &["secrets"])]),
        // Deprecated since 1.10, still created.
        role(
            KUBE_SYSTEM,
            "system:controller:cloud-provider",
            vec![rule(&["create", "get", "list", "watch"], &[CORE], &["configmaps"])],
        ),
        // The token cleaner removes expired bootstrap tokens.
        role(
            KUBE_SYSTEM,
            "system:controller:token-cleaner",
            vec![rule(&["delete", "get", "list", "watch"], &[CORE], &["secrets"]), events_rule()],
        ),
        leader_locking("kube-controller-manager"),
        leader_locking("kube-scheduler"),
        // The bootstrap signer signs the cluster-info ConfigMap.
        role(
            KUBE_PUBLIC,
            "system:controller:bootstrap-signer",
            vec![
                rule(READ, &[CORE], &["configmaps"]),
                named(&["update"], &[CORE], &["configmaps"], &["cluster-info"]),
                events_rule(),
            ],
        ),
    ]
}

/// The default RoleBindings of kube-system and kube-public, in upstream's
/// order.
pub fn role_bindings() -> Vec<Value> {
    vec![
        role_binding(
            KUBE_SYSTEM,
            "system::extension-apiserver-authentication-reader",
            "extension-apiserver-authentication-reader",
            vec![user("system:kube-controller-manager"), user("system:kube-scheduler")],
        ),
        role_binding(
            KUBE_SYSTEM,
            "system::leader-locking-kube-controller-manager",
            "system::leader-locking-kube-controller-manager",
            vec![service_account(KUBE_SYSTEM, "kube-controller-manager")],
        ),
        role_binding(
            KUBE_SYSTEM,
            "system::leader-locking-kube-scheduler",
            "system::leader-locking-kube-scheduler",
            vec![service_account(KUBE_SYSTEM, "kube-scheduler")],
        ),
        role_binding(
            KUBE_SYSTEM,
            "system:controller:bootstrap-signer",
            "system:controller:bootstrap-signer",
            vec![service_account(KUBE_SYSTEM, "bootstrap-signer")],
        ),
        role_binding(
            KUBE_SYSTEM,
            "system:controller:cloud-provider",
            "system:controller:cloud-provider",
            vec![service_account(KUBE_SYSTEM, "cloud-provider")],
        ),
        role_binding(
            KUBE_SYSTEM,
            "system:controller:token-cleaner",
            "system:controller:token-cleaner",
            vec![service_account(KUBE_SYSTEM, "token-cleaner")],
        ),
        role_binding(
            KUBE_PUBLIC,
            "system:controller:bootstrap-signer",
            "system:controller:bootstrap-signer",
            vec![service_account(KUBE_SYSTEM, "bootstrap-signer")],
        ),
    ]
}

// ---------------------------------------------------------------------------
// Rule coverage, as kube-apiserver's reconciliation judges it.

fn strs<'a>(v: &'a Value, key: &str) -> Vec<&'a str> {
    v.get(key).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

/// Splits a rule into rules of one verb on one group/resource (and one
/// name), or one verb on one path.
fn breakdown(rule: &Value) -> Vec<Value> {
    let (verbs, groups, resources, names) =
        (strs(rule, "verbs"), strs(rule, "apiGroups"), strs(rule, "resources"), strs(rule, "resourceNames"));
    let mut out = Vec::new();
    for g in &groups {
        for r in &resources {
            for v in &verbs {
                if names.is_empty() {
                    out.push(json!({"verbs": [v], "apiGroups": [g], "resources": [r]}));
                } else {
                    for n in &names {
                        out.push(json!({"verbs": [v], "apiGroups": [g], "resources": [r], "resourceNames": [n]}));
                    }
                }
            }
        }
    }
    for u in strs(rule, "nonResourceURLs") {
        for v in &verbs {
            out.push(json!({"verbs": [v], "nonResourceURLs": [u]}));
        }
    }
    out
}

fn has_all(owner: &[&str], wanted: &[&str]) -> bool {
    wanted.iter().all(|w| owner.contains(w))
}

fn resources_cover(owner: &[&str], wanted: &[&str]) -> bool {
    if owner.contains(&"*") || has_all(owner, wanted) {
        return true;
    }
    wanted.iter().all(|w| {
        owner.contains(w) || w.split_once('/').is_some_and(|(_, sub)| owner.iter().any(|o| *o == format!("*/{sub}")))
    })
}

fn urls_cover(owner: &[&str], wanted: &[&str]) -> bool {
    wanted.iter().all(|w| {
        owner.iter().any(|o| *o == "*" || o == w || o.strip_suffix('*').is_some_and(|prefix| w.starts_with(prefix)))
    })
}

/// Whether `owner` grants everything `wanted` does.
fn rule_covers(owner: &Value, wanted: &Value) -> bool {
    let (ov, wv) = (strs(owner, "verbs"), strs(wanted, "verbs"));
    let (og, wg) = (strs(owner, "apiGroups"), strs(wanted, "apiGroups"));
    let (on, wn) = (strs(owner, "resourceNames"), strs(wanted, "resourceNames"));
    (ov.contains(&"*") || has_all(&ov, &wv))
        && (og.contains(&"*") || has_all(&og, &wg))
        && resources_cover(&strs(owner, "resources"), &strs(wanted, "resources"))
        && urls_cover(&strs(owner, "nonResourceURLs"), &strs(wanted, "nonResourceURLs"))
        && (on.is_empty() || (!wn.is_empty() && has_all(&on, &wn)))
}

/// The pieces of `wanted` that no rule of `owner` grants, broken down.
fn uncovered(owner: &[Value], wanted: &[Value]) -> Vec<Value> {
    wanted.iter().flat_map(breakdown).filter(|atom| !owner.iter().any(|o| rule_covers(o, atom))).collect()
}

// ---------------------------------------------------------------------------
// Reconciliation of one object.

/// What reconciling one existing object calls for.
#[derive(Debug, PartialEq)]
enum Reconciled {
    /// Nothing: up to date, or protected by `autoupdate: "false"`.
    Unchanged,
    /// Write this (the existing object with what was missing added).
    Update(Value),
    /// Delete the existing binding and create the default one (its roleRef
    /// differs, which cannot be changed in place).
    Recreate,
}

fn is_protected(existing: &Value) -> bool {
    existing["metadata"]["annotations"][AUTOUPDATE_ANNOTATION].as_str() == Some("false")
}

/// Adds the expected labels and annotations the existing object lacks (an
/// existing value wins); whether anything was added.
fn merge_metadata(object: &mut Value, expected: &Value) -> bool {
    let mut changed = false;
    for key in ["labels", "annotations"] {
        let Some(wanted) = expected["metadata"][key].as_object() else { continue };
        if wanted.is_empty() {
            continue;
        }
        if !object["metadata"][key].is_object() {
            object["metadata"][key] = json!({});
        }
        if let Some(have) = object["metadata"][key].as_object_mut() {
            for (k, v) in wanted {
                if !have.contains_key(k) {
                    have.insert(k.clone(), v.clone());
                    changed = true;
                }
            }
        }
    }
    changed
}

fn array_of(v: &Value, key: &str) -> Vec<Value> {
    v.get(key).and_then(Value::as_array).cloned().unwrap_or_default()
}

/// A role (or ClusterRole) brought up to `expected`: missing rules and
/// aggregation selectors added.
fn reconcile_role(existing: &Value, expected: &Value) -> Reconciled {
    if is_protected(existing) {
        return Reconciled::Unchanged;
    }
    let mut object = existing.clone();
    let mut changed = merge_metadata(&mut object, expected);
    let have = array_of(existing, "rules");
    let missing = uncovered(&have, &array_of(expected, "rules"));
    if !missing.is_empty() {
        let mut rules = have;
        rules.extend(missing);
        object["rules"] = Value::Array(rules);
        changed = true;
    }
    if let Some(wanted) = expected["aggregationRule"]["clusterRoleSelectors"].as_array() {
        let have = array_of(&existing["aggregationRule"], "clusterRoleSelectors");
        let missing: Vec<Value> = wanted.iter().filter(|s| !have.contains(s)).cloned().collect();
        if !missing.is_empty() {
            let mut selectors = have;
            selectors.extend(missing);
            object["aggregationRule"] = json!({ "clusterRoleSelectors": selectors });
            changed = true;
        }
    }
    if changed { Reconciled::Update(object) } else { Reconciled::Unchanged }
}

/// Subjects compare on kind, apiGroup, name and namespace, an absent field
/// being empty.
fn same_subject(a: &Value, b: &Value) -> bool {
    ["kind", "apiGroup", "name", "namespace"]
        .iter()
        .all(|k| a[*k].as_str().unwrap_or("") == b[*k].as_str().unwrap_or(""))
}

fn same_role_ref(a: &Value, b: &Value) -> bool {
    ["apiGroup", "kind", "name"].iter().all(|k| a[*k].as_str().unwrap_or("") == b[*k].as_str().unwrap_or(""))
}

/// A binding brought up to `expected`: missing subjects added.
fn reconcile_binding(existing: &Value, expected: &Value) -> Reconciled {
    if is_protected(existing) {
        return Reconciled::Unchanged;
    }
    if !same_role_ref(&existing["roleRef"], &expected["roleRef"]) {
        return Reconciled::Recreate;
    }
    let mut object = existing.clone();
    let mut changed = merge_metadata(&mut object, expected);
    let have = array_of(existing, "subjects");
    let missing: Vec<Value> =
        array_of(expected, "subjects").into_iter().filter(|s| !have.iter().any(|h| same_subject(h, s))).collect();
    if !missing.is_empty() {
        let mut subjects = have;
        subjects.extend(missing);
        object["subjects"] = Value::Array(subjects);
        changed = true;
    }
    if changed { Reconciled::Update(object) } else { Reconciled::Unchanged }
}

// ---------------------------------------------------------------------------
// Reconciliation against the registry.

/// The identity the post-start hook writes as.
fn write_context() -> WriteContext {
    WriteContext {
        dry_run: false,
        field_manager: "kube-apiserver".into(),
        user: "system:apiserver".into(),
        groups: vec![crate::auth::MASTERS.into()],
    }
}

fn spec_of(registry: &Registry, plural: &str) -> ApiResult<Arc<ResourceSpec>> {
    registry
        .catalog()
        .get(RBAC_GROUP, "v1", plural)
        .cloned()
        .ok_or_else(|| ApiError::internal(format!("{plural}.{RBAC_GROUP}/v1 is not served")))
}

/// Creates `expected` if it is missing, else adds to the existing object
/// what it lacks, retrying on write conflicts.
async fn reconcile_object(
    registry: &Registry,
    spec: &ResourceSpec,
    expected: &Value,
    is_binding: bool,
    ctx: &WriteContext,
) -> ApiResult<()> {
    let namespace = expected["metadata"]["namespace"].as_str().unwrap_or("");
    let name = expected["metadata"]["name"].as_str().unwrap_or("");
    for _ in 0..MAX_ATTEMPTS {
        let existing = match registry.get(spec, namespace, name, ReadAt::Consistent).await {
            Ok(o) => o.value()?,
            Err(e) if e.code == 404 => match registry.create(spec, namespace, expected.clone(), ctx).await {
                Ok(_) => return Ok(()),
                // Created concurrently (another server): reconcile that one.
                Err(e) if e.reason == "AlreadyExists" => continue,
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        };
        let outcome =
            if is_binding { reconcile_binding(&existing, expected) } else { reconcile_role(&existing, expected) };
        match outcome {
            Reconciled::Unchanged => return Ok(()),
            Reconciled::Update(object) => {
                // The read resourceVersion travels along: a precondition.
                match registry.update(spec, namespace, name, Part::Main, object, ctx).await {
                    Ok(_) => return Ok(()),
                    Err(e) if e.code == 409 => continue,
                    Err(e) => return Err(e),
                }
            }
            Reconciled::Recreate => {
                let opts = DeleteOptions {
                    uid: existing["metadata"]["uid"].as_str().map(str::to_string),
                    ..DeleteOptions::default()
                };
                match registry.delete(spec, namespace, name, &opts, ctx).await {
                    Ok(_) => {}
                    Err(e) if e.code == 404 || e.code == 409 => {}
                    Err(e) => return Err(e),
                }
                // The next round creates it.
            }
        }
    }
    Err(ApiError::internal(format!(
        "reconciling {} {namespace}/{name}: too many conflicting writes",
        spec.group_resource()
    )))
}

/// Creates the bootstrap policy and reconciles what exists of it, as
/// kube-apiserver's `rbac/bootstrap-roles` post-start hook does at every
/// start: ClusterRoles, ClusterRoleBindings, then the Roles and
/// RoleBindings of kube-system and kube-public (which must exist).
pub async fn reconcile(registry: &Registry) -> ApiResult<()> {
    let ctx = write_context();
    let groups: [(&str, Vec<Value>, bool); 4] = [
        ("clusterroles", cluster_roles(), false),
        ("clusterrolebindings", cluster_role_bindings(), true),
        ("roles", roles(), false),
        ("rolebindings", role_bindings(), true),
    ];
    for (plural, objects, is_binding) in groups {
        let spec = spec_of(registry, plural)?;
        for object in &objects {
            reconcile_object(registry, &spec, object, is_binding, &ctx).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::catalog::Catalog;
    use crate::registry::RegistryOptions;

    fn all_objects() -> Vec<Value> {
        let mut all = cluster_roles();
        all.extend(cluster_role_bindings());
        all.extend(roles());
        all.extend(role_bindings());
        all
    }

    fn name(o: &Value) -> &str {
        o["metadata"]["name"].as_str().unwrap()
    }

    fn find<'a>(objects: &'a [Value], n: &str) -> &'a Value {
        objects.iter().find(|o| name(o) == n).unwrap_or_else(|| panic!("{n} is missing"))
    }

    #[test]
    fn bootstrap_policy_every_object_is_labelled_and_autoupdates() {
        for o in all_objects() {
            assert_eq!(o["apiVersion"], API_VERSION, "{}", name(&o));
            assert_eq!(o["metadata"]["labels"][BOOTSTRAPPING_LABEL], BOOTSTRAPPING_VALUE, "{}", name(&o));
            assert_eq!(o["metadata"]["annotations"][AUTOUPDATE_ANNOTATION], "true", "{}", name(&o));
        }
        for o in roles().iter().chain(role_bindings().iter()) {
            let ns = o["metadata"]["namespace"].as_str().unwrap();
            assert!(ns == KUBE_SYSTEM || ns == KUBE_PUBLIC, "{}", name(o));
        }
    }

    #[test]
    fn bootstrap_policy_names_are_unique() {
        for (kind, objects) in [
            ("ClusterRole", cluster_roles()),
            ("ClusterRoleBinding", cluster_role_bindings()),
            ("Role", roles()),
            ("RoleBinding", role_bindings()),
        ] {
            let mut seen = HashSet::new();
            for o in &objects {
                assert_eq!(o["kind"], kind);
                let key = (o["metadata"]["namespace"].as_str().unwrap_or("").to_string(), name(o).to_string());
                assert!(seen.insert(key), "duplicate {kind} {}", name(o));
            }
        }
    }

    #[test]
    fn bootstrap_policy_role_refs_name_existing_roles() {
        let cluster_roles = cluster_roles();
        let roles = roles();
        for b in cluster_role_bindings() {
            assert_eq!(b["roleRef"]["kind"], "ClusterRole");
            assert_eq!(b["roleRef"]["apiGroup"], RBAC_GROUP);
            find(&cluster_roles, b["roleRef"]["name"].as_str().unwrap());
        }
        for b in role_bindings() {
            let ns = b["metadata"]["namespace"].as_str().unwrap();
            let target = b["roleRef"]["name"].as_str().unwrap();
            assert_eq!(b["roleRef"]["kind"], "Role");
            assert!(
                roles.iter().any(|r| name(r) == target && r["metadata"]["namespace"] == ns),
                "{ns}/{} refers to a missing Role {target}",
                name(&b)
            );
        }
    }

    #[test]
    fn bootstrap_policy_has_the_upstream_set() {
        let roles = cluster_roles();
        for n in [
            "cluster-admin",
            "admin",
            "edit",
            "view",
            "system:aggregate-to-admin",
            "system:aggregate-to-edit",
            "system:aggregate-to-view",
            "system:discovery",
            "system:basic-user",
            "system:public-info-viewer",
            "system:monitoring",
            "system:node",
            "system:node-proxier",
            "system:node-bootstrapper",
            "system:kube-scheduler",
            "system:volume-scheduler",
            "system:kube-controller-manager",
            "system:kube-dns",
            "system:persistent-volume-provisioner",
            "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            "system:certificates.k8s.io:kubelet-serving-approver",
            "system:certificates.k8s.io:kube-apiserver-client-approver",
            "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
            "system:certificates.k8s.io:legacy-unknown-approver",
            "system:heapster",
            "system:kubelet-api-admin",
            "system:auth-delegator",
            "system:service-account-issuer-discovery",
            "system:controller:deployment-controller",
            "system:controller:selinux-warning-controller",
        ] {
            find(&roles, n);
        }
        assert_eq!(controller_roles().len(), 37);
        // Aggregated roles carry no rules of their own; the roles they
        // aggregate carry the selecting labels.
        let admin = find(&roles, "admin");
        assert!(admin.get("rules").is_none());
        assert_eq!(admin["aggregationRule"]["clusterRoleSelectors"][0]["matchLabels"][AGGREGATE_TO_ADMIN], "true");
        assert_eq!(find(&roles, "edit")["metadata"]["labels"][AGGREGATE_TO_ADMIN], "true");
        assert_eq!(find(&roles, "view")["metadata"]["labels"][AGGREGATE_TO_EDIT], "true");
        assert_eq!(find(&roles, "system:aggregate-to-view")["metadata"]["labels"][AGGREGATE_TO_VIEW], "true");
        // Lists are sorted, as upstream's rule builder leaves them.
        assert_eq!(
            find(&roles, "system:aggregate-to-admin")["rules"][1]["verbs"],
            json!(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"])
        );
        let bindings = cluster_role_bindings();
        assert!(find(&bindings, "system:node").get("subjects").is_none());
        assert_eq!(
            find(&bindings, "system:controller:deployment-controller")["subjects"],
            json!([{"kind": "ServiceAccount", "name": "deployment-controller", "namespace": "kube-system"}])
        );
        assert_eq!(
            find(&bindings, "system:public-info-viewer")["subjects"],
            json!([
                {"kind": "Group", "apiGroup": RBAC_GROUP, "name": "system:authenticated"},
                {"kind": "Group", "apiGroup": RBAC_GROUP, "name": "system:unauthenticated"},
            ])
        );
    }

    #[test]
    fn bootstrap_policy_coverage_follows_wildcards() {
        let admin = [rule(&["*"], &["*"], &["*"]), urls(&["*"], &["*"])];
        for o in cluster_roles() {
            assert!(uncovered(&admin, &array_of(&o, "rules")).is_empty(), "{}", name(&o));
        }
        let scale = [rule(&["get"], &["*"], &["*/scale"])];
        assert!(uncovered(&scale, &[rule(&["get"], &[APPS], &["deployments/scale"])]).is_empty());
        assert_eq!(uncovered(&scale, &[rule(&["get", "update"], &[APPS], &["deployments/scale"])]).len(), 1);
        let prefix = [urls(&["get"], &["/apis/*"])];
        assert!(uncovered(&prefix, &[urls(&["get"], &["/apis/apps"])]).is_empty());
        let any_name = [rule(&["get"], &[CORE], &["configmaps"])];
        assert!(uncovered(&any_name, &[named(&["get"], &[CORE], &["configmaps"], &["x"])]).is_empty());
        let one_name = [named(&["get"], &[CORE], &["configmaps"], &["x"])];
        assert_eq!(uncovered(&one_name, &[rule(&["get"], &[CORE], &["configmaps"])]).len(), 1);
    }

    #[test]
    fn bootstrap_policy_reconcile_role_adds_only_what_is_missing() {
        let expected = find(&cluster_roles(), "system:node-proxier").clone();
        assert_eq!(reconcile_role(&expected, &expected), Reconciled::Unchanged);

        let mut existing = expected.clone();
        existing["rules"].as_array_mut().unwrap().remove(0);
        existing["rules"].as_array_mut().unwrap().push(rule(&["get"], &[CORE], &["secrets"]));
        existing["metadata"]["labels"][BOOTSTRAPPING_LABEL] = json!("mine");
        let Reconciled::Update(updated) = reconcile_role(&existing, &expected) else { panic!("no update") };
        assert!(uncovered(&array_of(&updated, "rules"), &array_of(&expected, "rules")).is_empty());
        assert!(array_of(&updated, "rules").contains(&rule(&["get"], &[CORE], &["secrets"])), "extra rule kept");
        assert_eq!(updated["metadata"]["labels"][BOOTSTRAPPING_LABEL], "mine", "existing label wins");

        existing["metadata"]["annotations"][AUTOUPDATE_ANNOTATION] = json!("false");
        assert_eq!(reconcile_role(&existing, &expected), Reconciled::Unchanged);

        let admin = find(&cluster_roles(), "admin").clone();
        let mut filled = admin.clone();
        filled["rules"] = json!([rule(READ, &[CORE], &["pods"])]);
        assert_eq!(reconcile_role(&filled, &admin), Reconciled::Unchanged, "aggregated rules are left alone");
        filled["aggregationRule"] = json!({"clusterRoleSelectors": [{"matchLabels": {"mine": "true"}}]});
        let Reconciled::Update(updated) = reconcile_role(&filled, &admin) else { panic!("no update") };
        assert_eq!(updated["aggregationRule"]["clusterRoleSelectors"].as_array().unwrap().len(), 2);
        assert_eq!(updated["rules"], filled["rules"]);
    }

    #[test]
    fn bootstrap_policy_reconcile_binding_adds_subjects_and_recreates_on_role_change() {
        let expected = find(&cluster_role_bindings(), "system:public-info-viewer").clone();
        assert_eq!(reconcile_binding(&expected, &expected), Reconciled::Unchanged);
        let mut existing = expected.clone();
        existing["subjects"] = json!([user("someone")]);
        let Reconciled::Update(updated) = reconcile_binding(&existing, &expected) else { panic!("no update") };
        assert_eq!(updated["subjects"].as_array().unwrap().len(), 3);
        existing["roleRef"]["name"] = json!("view");
        assert_eq!(reconcile_binding(&existing, &expected), Reconciled::Recreate);
    }

    async fn registry() -> Registry {
        let store: Arc<dyn kubox_storage::Store> =
            Arc::new(kubox_storage::LocalStore::in_memory(Default::default()).unwrap());
        let registry = Registry::new(store, Arc::new(Catalog::builtin()), RegistryOptions::default()).await.unwrap();
        let namespaces = registry.catalog().get("", "v1", "namespaces").unwrap().clone();
        for ns in [KUBE_SYSTEM, KUBE_PUBLIC] {
            let object = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}});
            registry.create(&namespaces, "", object, &write_context()).await.unwrap();
        }
        registry
    }

    async fn count(registry: &Registry, plural: &str) -> usize {
        let spec = spec_of(registry, plural).unwrap();
        registry.list(&spec, "", &Default::default()).await.unwrap().items.len()
    }

    #[tokio::test]
    async fn bootstrap_policy_reconcile_creates_then_is_idempotent_and_restores() {
        let registry = registry().await;
        reconcile(&registry).await.unwrap();
        assert_eq!(count(&registry, "clusterroles").await, cluster_roles().len());
        assert_eq!(count(&registry, "clusterrolebindings").await, cluster_role_bindings().len());
        assert_eq!(count(&registry, "roles").await, roles().len());
        assert_eq!(count(&registry, "rolebindings").await, role_bindings().len());

        // A second start writes nothing.
        let before = registry.store().current_revision().await.unwrap();
        reconcile(&registry).await.unwrap();
        assert_eq!(registry.store().current_revision().await.unwrap(), before);

        // A deleted rule of an autoupdate role comes back; an extra one stays.
        let clusterroles = spec_of(&registry, "clusterroles").unwrap();
        let ctx = write_context();
        let stored = registry.get(&clusterroles, "", "system:node-proxier", ReadAt::Consistent).await.unwrap();
        let mut edited = stored.value().unwrap();
        edited["rules"] = json!([rule(&["get"], &[CORE], &["secrets"])]);
        registry.update(&clusterroles, "", "system:node-proxier", Part::Main, edited, &ctx).await.unwrap();
        // A protected role keeps its edit.
        let stored = registry.get(&clusterroles, "", "system:kube-dns", ReadAt::Consistent).await.unwrap();
        let mut protected = stored.value().unwrap();
        protected["rules"] = json!([rule(&["get"], &[CORE], &["services"])]);
        protected["metadata"]["annotations"][AUTOUPDATE_ANNOTATION] = json!("false");
        registry.update(&clusterroles, "", "system:kube-dns", Part::Main, protected, &ctx).await.unwrap();
        // A subject removed from an autoupdate binding comes back.
        let rolebindings = spec_of(&registry, "rolebindings").unwrap();
        let name = "system::extension-apiserver-authentication-reader";
        let stored = registry.get(&rolebindings, KUBE_SYSTEM, name, ReadAt::Consistent).await.unwrap();
        let mut binding = stored.value().unwrap();
        binding["subjects"] = json!([user("system:kube-scheduler")]);
        registry.update(&rolebindings, KUBE_SYSTEM, name, Part::Main, binding, &ctx).await.unwrap();

        reconcile(&registry).await.unwrap();
        let expected = find(&cluster_roles(), "system:node-proxier").clone();
        let restored = registry.get(&clusterroles, "", "system:node-proxier", ReadAt::Consistent).await.unwrap();
        let restored = restored.value().unwrap();
        assert!(uncovered(&array_of(&restored, "rules"), &array_of(&expected, "rules")).is_empty());
        assert_eq!(restored["rules"][0], rule(&["get"], &[CORE], &["secrets"]));
        let kept = registry.get(&clusterroles, "", "system:kube-dns", ReadAt::Consistent).await.unwrap();
        assert_eq!(kept.value().unwrap()["rules"], json!([rule(&["get"], &[CORE], &["services"])]));
        let binding = registry.get(&rolebindings, KUBE_SYSTEM, name, ReadAt::Consistent).await.unwrap();
        assert_eq!(
            binding.value().unwrap()["subjects"],
            json!([user("system:kube-scheduler"), user("system:kube-controller-manager")])
        );

        // And the run after that writes nothing again.
        let before = registry.store().current_revision().await.unwrap();
        reconcile(&registry).await.unwrap();
        assert_eq!(registry.store().current_revision().await.unwrap(), before);
    }
}
