//! Printers for cluster-level machinery: RBAC bindings, certificates, leases, priority and
//! runtime classes, API priority and fairness, storage versions and migrations, and dynamic
//! resource allocation (resource.k8s.io).

use std::cmp::Ordering;

use serde_json::Value;

use super::duration::human_duration;
use super::json::{arr_at, get, int_at, is_deleting, is_set, name, opt_int, opt_str, str_at};
use super::timestamp::{Instant, age, opt_time, since};
use super::{Column, docs};

pub(super) static ROLE_BINDING_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Role", "string", docs::RBAC_ROLEBINDING_ROLEREF),
    Column::age(),
    Column::wide("Users", "string", "Users in the roleBinding"),
    Column::wide("Groups", "string", "Groups in the roleBinding"),
    Column::wide("ServiceAccounts", "string", "ServiceAccounts in the roleBinding"),
];

pub(super) static CLUSTER_ROLE_BINDING_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Role", "string", docs::RBAC_CLUSTERROLEBINDING_ROLEREF),
    Column::age(),
    Column::wide("Users", "string", "Users in the clusterRoleBinding"),
    Column::wide("Groups", "string", "Groups in the clusterRoleBinding"),
    Column::wide("ServiceAccounts", "string", "ServiceAccounts in the clusterRoleBinding"),
];

pub(super) static CERTIFICATE_SIGNING_REQUEST_COLUMNS: &[Column] = &[
    Column::name(),
    Column::age(),
    Column::new("SignerName", "string", docs::CSR_SPEC_SIGNER),
    Column::new("Requestor", "string", docs::CSR_SPEC_REQUEST),
    Column::new("RequestedDuration", "string", docs::CSR_SPEC_EXPIRATION),
    Column::new("Condition", "string", docs::CSR_STATUS_CONDITIONS),
];

pub(super) static CLUSTER_TRUST_BUNDLE_COLUMNS: &[Column] =
    &[Column::name(), Column::new("SignerName", "string", docs::CTB_SPEC_SIGNER)];

pub(super) static POD_CERTIFICATE_REQUEST_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("PodName", "string", docs::PCR_SPEC_POD_NAME),
    Column::new("ServiceAccountName", "string", docs::PCR_SPEC_SA_NAME),
    Column::new("NodeName", "string", docs::PCR_SPEC_NODE_NAME),
    Column::new("SignerName", "string", docs::PCR_SPEC_SIGNER),
    Column::new("State", "string", "Is the request Pending, Issued, Denied, or Failed?"),
];

pub(super) static LEASE_COLUMNS: &[Column] =
    &[Column::name(), Column::new("Holder", "string", docs::LEASE_SPEC_HOLDER), Column::age()];

/// BinaryVersion and EmulationVersion have no ObjectMeta documentation, so no description.
pub(super) static LEASE_CANDIDATE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("LeaseName", "string", docs::LEASE_CANDIDATE_LEASE_NAME),
    Column::new("BinaryVersion", "string", ""),
    Column::new("EmulationVersion", "string", ""),
    Column::age(),
];

pub(super) static PRIORITY_CLASS_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Value", "integer", docs::PC_VALUE),
    Column::new("Global-Default", "boolean", docs::PC_GLOBAL_DEFAULT),
    Column::age(),
    Column::new("PreemptionPolicy", "string", docs::PC_PREEMPTION),
];

/// Handler has no ObjectMeta documentation, so no description.
pub(super) static RUNTIME_CLASS_COLUMNS: &[Column] =
    &[Column::name(), Column::new("Handler", "string", ""), Column::age()];

pub(super) static FLOW_SCHEMA_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("PriorityLevel", "string", docs::FS_PL_NAME),
    Column::new("MatchingPrecedence", "string", docs::FS_MATCHING_PRECEDENCE),
    Column::new("DistinguisherMethod", "string", docs::FS_DISTINGUISHER),
    Column::age(),
    Column::new("MissingPL", "string", "references a broken or non-existent PriorityLevelConfiguration"),
];

pub(super) static PRIORITY_LEVEL_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Type", "string", docs::PL_TYPE),
    Column::new("NominalConcurrencyShares", "string", docs::PL_NCS),
    Column::new("Queues", "string", docs::PL_QUEUES),
    Column::new("HandSize", "string", docs::PL_HAND_SIZE),
    Column::new("QueueLengthLimit", "string", docs::PL_QUEUE_LENGTH),
    Column::age(),
];

pub(super) static STORAGE_VERSION_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("CommonEncodingVersion", "string", docs::SV_COMMON_ENCODING),
    Column::new("StorageVersions", "string", docs::SV_STORAGE_VERSIONS),
    Column::age(),
];

pub(super) static STORAGE_VERSION_MIGRATION_COLUMNS: &[Column] = &[
    Column::new("Name", "string", docs::META_NAME),
    Column::new("Resource", "string", "Fully qualified resource to migrate"),
];

pub(super) static DEVICE_CLASS_COLUMNS: &[Column] = &[Column::name(), Column::age()];

pub(super) static RESOURCE_CLAIM_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("State", "string", "A summary of the current state (allocated, pending, reserved, etc.)."),
    Column::age(),
];

pub(super) static RESOURCE_CLAIM_TEMPLATE_COLUMNS: &[Column] = &[Column::name(), Column::age()];

pub(super) static RESOURCE_SLICE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Node", "string", docs::RS_SPEC_NODE_NAME),
    Column::new("Driver", "string", docs::RS_SPEC_DRIVER),
    Column::new("Pool", "string", docs::RS_POOL_NAME),
    Column::age(),
];

pub(super) static DEVICE_TAINT_RULE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Key", "string", docs::DT_KEY),
    Column::new("Value", "string", docs::DT_VALUE),
    Column::new("Effect", "string", docs::DT_EFFECT),
    Column::new("TimeAdded", "string", docs::DT_TIME_ADDED),
    Column::age(),
];

/// A role or cluster role binding; the wide cells list subjects by kind (SubjectsStrings).
pub(super) fn role_binding(binding: &Value, now: Instant) -> Vec<Value> {
    let mut users = Vec::new();
    let mut groups = Vec::new();
    let mut service_accounts = Vec::new();
    for subject in arr_at(binding, &["subjects"]) {
        let subject_name = str_at(subject, &["name"]);
        match str_at(subject, &["kind"]) {
            "ServiceAccount" => service_accounts.push(format!("{}/{subject_name}", str_at(subject, &["namespace"]))),
            "User" => users.push(subject_name.to_string()),
            "Group" => groups.push(subject_name.to_string()),
            _ => {}
        }
    }
    vec![
        Value::from(name(binding)),
        Value::from(format!("{}/{}", str_at(binding, &["roleRef", "kind"]), str_at(binding, &["roleRef", "name"]))),
        Value::from(age(binding, now)),
        Value::from(users.join(", ")),
        Value::from(groups.join(", ")),
        Value::from(service_accounts.join(", ")),
    ]
}

/// The CSR's CONDITION: Denied, Approved or Pending, then ",Failed" and ",Issued".
fn csr_condition(csr: &Value) -> String {
    let conditions = arr_at(csr, &["status", "conditions"]);
    let has = |kind: &str| conditions.iter().any(|c| str_at(c, &["type"]) == kind);
    let mut status = if has("Denied") {
        "Denied".to_string()
    } else if has("Approved") {
        "Approved".to_string()
    } else {
        "Pending".to_string()
    };
    if has("Failed") {
        status.push_str(",Failed");
    }
    if !str_at(csr, &["status", "certificate"]).is_empty() {
        status.push_str(",Issued");
    }
    status
}

pub(super) fn certificate_signing_request(csr: &Value, now: Instant) -> Vec<Value> {
    let signer = match str_at(csr, &["spec", "signerName"]) {
        "" => "<none>",
        signer => signer,
    };
    let requested = opt_int(csr, &["spec", "expirationSeconds"])
        .map_or("<none>".to_string(), |s| human_duration(s.saturating_mul(1_000_000_000)));
    vec![
        Value::from(name(csr)),
        Value::from(age(csr, now)),
        Value::from(signer),
        Value::from(str_at(csr, &["spec", "username"])),
        Value::from(requested),
        Value::from(csr_condition(csr)),
    ]
}

pub(super) fn cluster_trust_bundle(bundle: &Value) -> Vec<Value> {
    let signer = match str_at(bundle, &["spec", "signerName"]) {
        "" => "<none>",
        signer => signer,
    };
    vec![Value::from(name(bundle)), Value::from(signer)]
}

/// The pod certificate request row; STATE is the last Issued/Denied/Failed condition, else Pending.
pub(super) fn pod_certificate_request(request: &Value) -> Vec<Value> {
    let mut state = "Pending";
    for condition in arr_at(request, &["status", "conditions"]) {
        match str_at(condition, &["type"]) {
            "Issued" => state = "Issued",
            "Denied" => state = "Denied",
            "Failed" => state = "Failed",
            _ => {}
        }
    }
    vec![
        Value::from(name(request)),
        Value::from(str_at(request, &["spec", "podName"])),
        Value::from(str_at(request, &["spec", "serviceAccountName"])),
        Value::from(str_at(request, &["spec", "nodeName"])),
        Value::from(str_at(request, &["spec", "signerName"])),
        Value::from(state),
    ]
}

pub(super) fn lease(lease: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(lease)),
        Value::from(str_at(lease, &["spec", "holderIdentity"])),
        Value::from(age(lease, now)),
    ]
}

pub(super) fn lease_candidate(candidate: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(candidate)),
        Value::from(str_at(candidate, &["spec", "leaseName"])),
        Value::from(str_at(candidate, &["spec", "binaryVersion"])),
        Value::from(str_at(candidate, &["spec", "emulationVersion"])),
        Value::from(age(candidate, now)),
    ]
}

pub(super) fn priority_class(class: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(class)),
        Value::from(int_at(class, &["value"])),
        Value::from(super::json::bool_at(class, &["globalDefault"])),
        Value::from(age(class, now)),
        Value::from(str_at(class, &["preemptionPolicy"])),
    ]
}

pub(super) fn runtime_class(class: &Value, now: Instant) -> Vec<Value> {
    vec![Value::from(name(class)), Value::from(str_at(class, &["handler"])), Value::from(age(class, now))]
}

/// The flow schema row; MISSINGPL is the status of the Dangling condition, else "?".
pub(super) fn flow_schema(schema: &Value, now: Instant) -> Vec<Value> {
    let distinguisher = match get(schema, &["spec", "distinguisherMethod"]).filter(|d| !d.is_null()) {
        Some(method) => str_at(method, &["type"]).to_string(),
        None => "<none>".to_string(),
    };
    let missing = arr_at(schema, &["status", "conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == "Dangling")
        .map_or("?", |c| str_at(c, &["status"]));
    vec![
        Value::from(name(schema)),
        Value::from(str_at(schema, &["spec", "priorityLevelConfiguration", "name"])),
        Value::from(int_at(schema, &["spec", "matchingPrecedence"])),
        Value::from(distinguisher),
        Value::from(age(schema, now)),
        Value::from(missing),
    ]
}

/// FlowSchemas list by matching precedence, then by name.
pub(super) fn flow_schema_order(a: &Value, b: &Value) -> Ordering {
    let precedence = |s: &Value| int_at(s, &["spec", "matchingPrecedence"]);
    precedence(a).cmp(&precedence(b)).then_with(|| name(a).cmp(name(b)))
}

/// The priority level row; the limited settings print as numbers, "<none>" when absent.
pub(super) fn priority_level_configuration(level: &Value, now: Instant) -> Vec<Value> {
    let none = || Value::from("<none>");
    let (mut shares, mut queues, mut hand_size, mut queue_length) = (none(), none(), none(), none());
    if let Some(limited) = get(level, &["spec", "limited"]).filter(|l| !l.is_null()) {
        shares = Value::from(int_at(limited, &["nominalConcurrencyShares"]));
        if let Some(queuing) = get(limited, &["limitResponse", "queuing"]).filter(|q| !q.is_null()) {
            queues = Value::from(int_at(queuing, &["queues"]));
            hand_size = Value::from(int_at(queuing, &["handSize"]));
            queue_length = Value::from(int_at(queuing, &["queueLengthLimit"]));
        }
    }
    vec![
        Value::from(name(level)),
        Value::from(str_at(level, &["spec", "type"])),
        shares,
        queues,
        hand_size,
        queue_length,
        Value::from(age(level, now)),
    ]
}

pub(super) fn storage_version(version: &Value, now: Instant) -> Vec<Value> {
    const MAX: usize = 3;
    let versions = arr_at(version, &["status", "storageVersions"]);
    let list: Vec<String> = versions
        .iter()
        .take(MAX)
        .map(|v| format!("{}={}", str_at(v, &["apiServerID"]), str_at(v, &["encodingVersion"])))
        .collect();
    let joined = list.join(",");
    let formatted = if versions.len() > MAX {
        format!("{joined} + {} more...", versions.len() - MAX)
    } else if joined.is_empty() {
        "<unset>".to_string()
    } else {
        joined
    };
    vec![
        Value::from(name(version)),
        Value::from(opt_str(version, &["status", "commonEncodingVersion"]).unwrap_or("<unset>")),
        Value::from(formatted),
        Value::from(age(version, now)),
    ]
}

/// The migration row; RESOURCE is "resource.group" (storagemigration.k8s.io/v1beta1).
pub(super) fn storage_version_migration(migration: &Value) -> Vec<Value> {
    vec![
        Value::from(name(migration)),
        Value::from(format!(
            "{}.{}",
            str_at(migration, &["spec", "resource", "resource"]),
            str_at(migration, &["spec", "resource", "group"])
        )),
    ]
}

/// Printers that show only the name and age (device classes, resource claim templates).
pub(super) fn name_and_age(object: &Value, now: Instant) -> Vec<Value> {
    vec![Value::from(name(object)), Value::from(age(object, now))]
}

/// The claim row; STATE joins deleted, pending or allocated, and reserved.
pub(super) fn resource_claim(claim: &Value, now: Instant) -> Vec<Value> {
    let mut states = Vec::new();
    let deleting = is_deleting(claim);
    if deleting {
        states.push("deleted");
    }
    if !is_set(claim, &["status", "allocation"]) {
        if !deleting {
            states.push("pending");
        }
    } else {
        states.push("allocated");
        if !arr_at(claim, &["status", "reservedFor"]).is_empty() {
            states.push("reserved");
        }
    }
    vec![Value::from(name(claim)), Value::from(states.join(",")), Value::from(age(claim, now))]
}

pub(super) fn resource_slice(slice: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(slice)),
        Value::from(str_at(slice, &["spec", "nodeName"])),
        Value::from(str_at(slice, &["spec", "driver"])),
        Value::from(str_at(slice, &["spec", "pool", "name"])),
        Value::from(age(slice, now)),
    ]
}

pub(super) fn device_taint_rule(rule: &Value, now: Instant) -> Vec<Value> {
    let time_added = opt_time(get(rule, &["spec", "taint", "timeAdded"])).map_or(String::new(), |t| since(t, now));
    vec![
        Value::from(name(rule)),
        Value::from(str_at(rule, &["spec", "taint", "key"])),
        Value::from(str_at(rule, &["spec", "taint", "value"])),
        Value::from(str_at(rule, &["spec", "taint", "effect"])),
        Value::from(time_added),
        Value::from(age(rule, now)),
    ]
}
