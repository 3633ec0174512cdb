//! Printers for core (v1) resources other than services, endpoints and volumes: pods,
//! pod templates, nodes, events (core and events.k8s.io), namespaces, secrets, service
//! accounts, component statuses, config maps and resource quotas.

use serde_json::{Value, json};

use super::json::{arr_at, bool_at, get, int_at, is_deleting, is_set, len_at, name, obj_at, str_at};
use super::timestamp::{Instant, age, since, time_or_zero};
use super::{Column, docs, labels, quantity};

pub(super) static POD_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    Column::new("Status", "string", "The aggregate status of the containers in this pod."),
    Column::new(
        "Restarts",
        "string",
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    Column::age(),
    Column::wide("IP", "string", docs::POD_STATUS_POD_IP),
    Column::wide("Node", "string", docs::POD_SPEC_NODE_NAME),
    Column::wide("Nominated Node", "string", docs::POD_STATUS_NOMINATED),
    Column::wide("Readiness Gates", "string", docs::POD_SPEC_READINESS_GATES),
];

pub(super) static POD_TEMPLATE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Containers", "string", "Names of each container in the template."),
    Column::new("Images", "string", "Images referenced by each container in the template."),
    Column::new("Pod Labels", "string", "The labels for the pod template."),
];

pub(super) static NODE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Status", "string", "The status of the node"),
    Column::new("Roles", "string", "The roles of the node"),
    Column::age(),
    Column::new("Version", "string", docs::NODE_INFO_KUBELET),
    Column::wide("Internal-IP", "string", docs::NODE_STATUS_ADDRESSES),
    Column::wide("External-IP", "string", docs::NODE_STATUS_ADDRESSES),
    Column::wide("OS-Image", "string", docs::NODE_INFO_OS_IMAGE),
    Column::wide("Kernel-Version", "string", docs::NODE_INFO_KERNEL),
    Column::wide("Container-Runtime", "string", docs::NODE_INFO_RUNTIME),
];

pub(super) static EVENT_COLUMNS: &[Column] = &[
    Column::new("Last Seen", "string", docs::EVENT_LAST_TIMESTAMP),
    Column::new("Type", "string", docs::EVENT_TYPE),
    Column::new("Reason", "string", docs::EVENT_REASON),
    Column::new("Object", "string", docs::EVENT_INVOLVED_OBJECT),
    Column::wide("Subobject", "string", docs::OBJREF_FIELD_PATH),
    Column::wide("Source", "string", docs::EVENT_SOURCE),
    Column::new("Message", "string", docs::EVENT_MESSAGE),
    Column::wide("First Seen", "string", docs::EVENT_FIRST_TIMESTAMP),
    Column::wide("Count", "string", docs::EVENT_COUNT),
    Column { priority: 1, ..Column::name() },
];

pub(super) static NAMESPACE_COLUMNS: &[Column] =
    &[Column::name(), Column::new("Status", "string", "The status of the namespace"), Column::age()];

pub(super) static SECRET_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Type", "string", docs::SECRET_TYPE),
    Column::new("Data", "string", docs::SECRET_DATA),
    Column::age(),
];

pub(super) static SERVICE_ACCOUNT_COLUMNS: &[Column] = &[Column::name(), Column::age()];

pub(super) static COMPONENT_STATUS_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Status", "string", "Status of the component conditions"),
    Column::new("Message", "string", "Message of the component conditions"),
    Column::new("Error", "string", "Error of the component conditions"),
];

pub(super) static CONFIG_MAP_COLUMNS: &[Column] =
    &[Column::name(), Column::new("Data", "string", docs::CONFIGMAP_DATA), Column::age()];

pub(super) static RESOURCE_QUOTA_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
    Column::new(
        "Limit",
        "string",
        "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
    ),
    Column::age(),
];

/// Names and images of `containers`, each joined with "," (layoutContainerCells).
pub(super) fn container_cells(containers: &[Value]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| str_at(c, &["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| str_at(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

/// Whether an init container is a sidecar (restartPolicy Always).
fn is_restartable_init_container(container: Option<&Value>) -> bool {
    container.is_some_and(|c| str_at(c, &["restartPolicy"]) == "Always")
}

/// The FinishedAt of a container status' last termination, if it terminated.
fn last_finished_at(status: &Value) -> Option<Instant> {
    obj_at(status, &["lastState", "terminated"])
        .map(|_| time_or_zero(get(status, &["lastState", "terminated", "finishedAt"])))
}

/// The reason text of a terminated container state: its reason, else the signal or exit code.
fn terminated_reason(terminated: &Value, prefix: &str) -> String {
    let reason = str_at(terminated, &["reason"]);
    if !reason.is_empty() {
        return format!("{prefix}{reason}");
    }
    let signal = int_at(terminated, &["signal"]);
    if signal != 0 {
        format!("{prefix}Signal:{signal}")
    } else {
        format!("{prefix}ExitCode:{}", int_at(terminated, &["exitCode"]))
    }
}

/// Whether a condition of `kind` exists in `conditions` with status True (first match decides
/// when `first_only`, any match otherwise).
fn condition_true(conditions: &[Value], kind: &str, first_only: bool) -> bool {
    for condition in conditions.iter().filter(|c| str_at(c, &["type"]) == kind) {
        let is_true = str_at(condition, &["status"]) == "True";
        if first_only || is_true {
            return is_true;
        }
    }
    false
}

/// The pod row: READY, STATUS (with init, sidecar, waiting and terminating states), RESTARTS
/// with the time of the last restart, AGE, and the wide IP, node and readiness-gate cells.
pub(super) fn pod(pod: &Value, now: Instant) -> Vec<Value> {
    let spec_containers = arr_at(pod, &["spec", "containers"]);
    let init_containers = arr_at(pod, &["spec", "initContainers"]);
    let conditions = arr_at(pod, &["status", "conditions"]);
    let phase = str_at(pod, &["status", "phase"]);

    let mut restarts: i64 = 0;
    let mut restartable_init_restarts: i64 = 0;
    let mut total_containers = spec_containers.len();
    let mut ready_containers = 0usize;
    let mut last_restart = Instant::ZERO;
    let mut last_restartable_init_restart = Instant::ZERO;

    let mut reason = phase.to_string();
    let status_reason = str_at(pod, &["status", "reason"]);
    if !status_reason.is_empty() {
        reason = status_reason.to_string();
    }
    // A PodScheduled condition with reason SchedulingGated makes the status SchedulingGated.
    for condition in conditions {
        if str_at(condition, &["type"]) == "PodScheduled" && str_at(condition, &["reason"]) == "SchedulingGated" {
            reason = "SchedulingGated".to_string();
        }
    }

    let init_by_name =
        |container_name: &str| init_containers.iter().rev().find(|c| str_at(c, &["name"]) == container_name);
    total_containers += init_containers.iter().filter(|c| is_restartable_init_container(Some(c))).count();

    let mut initializing = false;
    let init_count = init_containers.len();
    for (i, status) in arr_at(pod, &["status", "initContainerStatuses"]).iter().enumerate() {
        let restart_count = int_at(status, &["restartCount"]);
        restarts = restarts.wrapping_add(restart_count);
        let finished = last_finished_at(status);
        if let Some(finished) = finished
            && last_restart < finished
        {
            last_restart = finished;
        }
        let restartable = is_restartable_init_container(init_by_name(str_at(status, &["name"])));
        if restartable {
            restartable_init_restarts = restartable_init_restarts.wrapping_add(restart_count);
            if let Some(finished) = finished
                && last_restartable_init_restart < finished
            {
                last_restartable_init_restart = finished;
            }
        }
        let terminated = get(status, &["state", "terminated"]).filter(|t| !t.is_null());
        let waiting_reason = str_at(status, &["state", "waiting", "reason"]);
        if terminated.is_some_and(|t| int_at(t, &["exitCode"]) == 0) {
            continue;
        } else if restartable && bool_at(status, &["started"]) {
            if bool_at(status, &["ready"]) {
                ready_containers += 1;
            }
            continue;
        } else if let Some(terminated) = terminated {
            reason = terminated_reason(terminated, "Init:");
        } else if is_set(status, &["state", "waiting"])
            && !waiting_reason.is_empty()
            && waiting_reason != "PodInitializing"
        {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{i}/{init_count}");
        }
        initializing = true;
        break;
    }

    if !initializing || condition_true(conditions, "Initialized", true) {
        restarts = restartable_init_restarts;
        last_restart = last_restartable_init_restart;
        let mut has_running = false;
        let mut error_reason = String::new();
        for status in arr_at(pod, &["status", "containerStatuses"]).iter().rev() {
            restarts = restarts.wrapping_add(int_at(status, &["restartCount"]));
            if let Some(finished) = last_finished_at(status)
                && last_restart < finished
            {
                last_restart = finished;
            }
            let waiting_reason = str_at(status, &["state", "waiting", "reason"]);
            let terminated = get(status, &["state", "terminated"]).filter(|t| !t.is_null());
            if is_set(status, &["state", "waiting"]) && !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(terminated) = terminated {
                reason = terminated_reason(terminated, "");
                if int_at(terminated, &["exitCode"]) != 0 {
                    error_reason = reason.clone();
                }
            } else if bool_at(status, &["ready"]) && is_set(status, &["state", "running"]) {
                has_running = true;
                ready_containers += 1;
            }
        }
        // A completed container does not hide a running, failed or unready one.
        if reason == "Completed" {
            if has_running && condition_true(conditions, "Ready", false) {
                reason = "Running".to_string();
            } else if !error_reason.is_empty() {
                reason = error_reason;
            } else if has_running {
                reason = "NotReady".to_string();
            }
        }
    }

    if is_deleting(pod) && status_reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if is_deleting(pod) && phase != "Failed" && phase != "Succeeded" {
        reason = "Terminating".to_string();
    }

    let restarts_text = if restarts != 0 && !last_restart.is_zero() {
        format!("{restarts} ({} ago)", since(last_restart, now))
    } else {
        restarts.to_string()
    };

    // The v1 podIP is authoritative over podIPs, as in the conversion to the internal type.
    let pod_ip = match str_at(pod, &["status", "podIP"]) {
        "" => arr_at(pod, &["status", "podIPs"]).first().map_or("", |ip| str_at(ip, &["ip"])),
        ip => ip,
    };
    let readiness_gates = arr_at(pod, &["spec", "readinessGates"]);
    let gates_text = if readiness_gates.is_empty() {
        "<none>".to_string()
    } else {
        let true_conditions = readiness_gates
            .iter()
            .filter(|gate| {
                let kind = str_at(gate, &["conditionType"]);
                condition_true(conditions, kind, true)
            })
            .count();
        format!("{true_conditions}/{}", readiness_gates.len())
    };

    vec![
        Value::from(name(pod)),
        Value::from(format!("{ready_containers}/{total_containers}")),
        Value::from(reason),
        Value::from(restarts_text),
        Value::from(age(pod, now)),
        Value::from(or_none(pod_ip)),
        Value::from(or_none(str_at(pod, &["spec", "nodeName"]))),
        Value::from(or_none(str_at(pod, &["status", "nominatedNodeName"]))),
        Value::from(gates_text),
    ]
}

/// The Completed row condition of a pod that succeeded or failed.
pub(super) fn pod_row_conditions(pod: &Value) -> Vec<Value> {
    let (reason, message) = match str_at(pod, &["status", "phase"]) {
        "Succeeded" => ("Succeeded", "The pod has completed successfully."),
        "Failed" => ("Failed", "The pod failed."),
        _ => return Vec::new(),
    };
    vec![json!({"type": "Completed", "status": "True", "reason": reason, "message": message})]
}

/// "<none>" for an empty string.
pub(super) fn or_none(s: &str) -> String {
    if s.is_empty() { "<none>".to_string() } else { s.to_string() }
}

pub(super) fn pod_template(template: &Value) -> Vec<Value> {
    let (names, images) = container_cells(arr_at(template, &["template", "spec", "containers"]));
    vec![
        Value::from(name(template)),
        Value::from(names),
        Value::from(images),
        Value::from(labels::format_labels(get(template, &["template", "metadata", "labels"]))),
    ]
}

/// The node row: STATUS from the Ready condition plus SchedulingDisabled, ROLES from the
/// node-role labels, VERSION, and the wide address and node-info cells.
pub(super) fn node(node: &Value, now: Instant) -> Vec<Value> {
    // The last Ready condition wins, as in a map keyed by condition type.
    let ready = arr_at(node, &["status", "conditions"]).iter().rev().find(|c| str_at(c, &["type"]) == "Ready");
    let mut status: Vec<&str> = vec![match ready {
        Some(c) if str_at(c, &["status"]) == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if bool_at(node, &["spec", "unschedulable"]) {
        status.push("SchedulingDisabled");
    }

    let mut roles: Vec<&str> = Vec::new();
    for (key, value) in obj_at(node, &["metadata", "labels"]).into_iter().flatten() {
        if let Some(role) = key.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role);
            }
        } else if key == "kubernetes.io/role" {
            let role = value.as_str().unwrap_or("");
            if !role.is_empty() {
                roles.push(role);
            }
        }
    }
    roles.sort_unstable();
    roles.dedup();

    let address = |kind: &str| {
        arr_at(node, &["status", "addresses"])
            .iter()
            .find(|a| str_at(a, &["type"]) == kind)
            .map_or("<none>".to_string(), |a| str_at(a, &["address"]).to_string())
    };
    let info = |field: &str| match str_at(node, &["status", "nodeInfo", field]) {
        "" => "<unknown>".to_string(),
        v => v.to_string(),
    };
    let roles_text = if roles.is_empty() { "<none>".to_string() } else { roles.join(",") };

    vec![
        Value::from(name(node)),
        Value::from(status.join(",")),
        Value::from(roles_text),
        Value::from(age(node, now)),
        Value::from(str_at(node, &["status", "nodeInfo", "kubeletVersion"])),
        Value::from(address("InternalIP")),
        Value::from(address("ExternalIP")),
        Value::from(info("osImage")),
        Value::from(info("kernelVersion")),
        Value::from(info("containerRuntimeVersion")),
    ]
}

/// The event row. events.k8s.io/v1 events are read through the field names they convert
/// from (regarding, note, deprecated*), like the internal Event kube-apiserver prints.
pub(super) fn event(group: &str, event: &Value, now: Instant) -> Vec<Value> {
    let new_api = group == "events.k8s.io";
    let field = |core: &'static str, events: &'static str| if new_api { events } else { core };

    let first = time_or_zero(get(event, &[field("firstTimestamp", "deprecatedFirstTimestamp")]));
    let last = time_or_zero(get(event, &[field("lastTimestamp", "deprecatedLastTimestamp")]));
    let event_time = time_or_zero(get(event, &["eventTime"]));

    let first_text = if first.is_zero() { since(event_time, now) } else { since(first, now) };
    let mut last_text = if last.is_zero() { first_text.clone() } else { since(last, now) };

    let mut count = int_at(event, &[field("count", "deprecatedCount")]);
    if is_set(event, &["series"]) {
        last_text = since(time_or_zero(get(event, &["series", "lastObservedTime"])), now);
        count = int_at(event, &["series", "count"]);
    } else if count == 0 {
        // Singleton events don't have a count set in the new API.
        count = 1;
    }

    let involved = field("involvedObject", "regarding");
    let kind = str_at(event, &[involved, "kind"]).to_lowercase();
    let involved_name = str_at(event, &[involved, "name"]);
    let target = if involved_name.is_empty() { kind } else { format!("{kind}/{involved_name}") };

    let source = field("source", "deprecatedSource");
    let component = first_non_empty(
        str_at(event, &[source, "component"]),
        str_at(event, &[field("reportingComponent", "reportingController")]),
    );
    let host = first_non_empty(str_at(event, &[source, "host"]), str_at(event, &["reportingInstance"]));
    let source_text = if host.is_empty() { component.to_string() } else { format!("{component}, {host}") };

    vec![
        Value::from(last_text),
        Value::from(str_at(event, &["type"])),
        Value::from(str_at(event, &["reason"])),
        Value::from(target),
        Value::from(str_at(event, &[involved, "fieldPath"])),
        Value::from(source_text),
        Value::from(str_at(event, &[field("message", "note")]).trim()),
        Value::from(first_text),
        Value::from(count),
        Value::from(name(event)),
    ]
}

fn first_non_empty<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.is_empty() { b } else { a }
}

pub(super) fn namespace(namespace: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(namespace)),
        Value::from(str_at(namespace, &["status", "phase"])),
        Value::from(age(namespace, now)),
    ]
}

pub(super) fn secret(secret: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(secret)),
        Value::from(str_at(secret, &["type"])),
        Value::from(len_at(secret, &["data"])),
        Value::from(age(secret, now)),
    ]
}

pub(super) fn service_account(account: &Value, now: Instant) -> Vec<Value> {
    vec![Value::from(name(account)), Value::from(age(account, now))]
}

pub(super) fn component_status(status: &Value) -> Vec<Value> {
    let mut health = "Unknown";
    let mut message = "";
    let mut error = "";
    if let Some(condition) = arr_at(status, &["conditions"]).iter().find(|c| str_at(c, &["type"]) == "Healthy") {
        health = if str_at(condition, &["status"]) == "True" { "Healthy" } else { "Unhealthy" };
        message = str_at(condition, &["message"]);
        error = str_at(condition, &["error"]);
    }
    vec![Value::from(name(status)), Value::from(health), Value::from(message), Value::from(error)]
}

pub(super) fn config_map(config_map: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(config_map)),
        Value::from(len_at(config_map, &["data"]) + len_at(config_map, &["binaryData"])),
        Value::from(age(config_map, now)),
    ]
}

/// The quota row: "resource: used/hard" pairs sorted by resource name, limits.* in LIMIT.
pub(super) fn resource_quota(quota: &Value, now: Instant) -> Vec<Value> {
    let mut resources: Vec<&String> =
        obj_at(quota, &["status", "hard"]).map(|m| m.keys().collect()).unwrap_or_default();
    resources.sort();
    let mut requests = Vec::new();
    let mut limits = Vec::new();
    for resource in resources {
        let used = quantity::quantity_or_zero(get(quota, &["status", "used", resource]));
        let hard = quantity::quantity_or_zero(get(quota, &["status", "hard", resource]));
        let text = format!("{resource}: {used}/{hard}");
        let mut pieces = resource.split('.');
        let is_limit = pieces.next() == Some("limits") && pieces.next().is_some();
        if is_limit { limits.push(text) } else { requests.push(text) }
    }
    vec![
        Value::from(name(quota)),
        Value::from(requests.join(", ")),
        Value::from(limits.join(", ")),
        Value::from(age(quota, now)),
    ]
}
