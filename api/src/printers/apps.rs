//! Printers for workload controllers and their helpers: replication controllers, replica
//! sets, daemon sets, stateful sets, deployments, controller revisions, jobs, cron jobs,
//! pod disruption budgets, horizontal pod autoscalers and the scale subresource.

use serde_json::Value;

use super::core_group::container_cells;
use super::duration::human_duration;
use super::json::{arr_at, as_int, get, int_at, int_or_string, is_deleting, name, opt_int, str_at};
use super::labels::{format_label_selector, format_labels, selector_string};
use super::quantity::quantity_ptr;
use super::timestamp::{Instant, age, opt_time, since};
use super::{Column, docs};

const CONTAINERS_DESC: &str = "Names of each container in the template.";
const IMAGES_DESC: &str = "Images referenced by each container in the template.";

pub(super) static POD_DISRUPTION_BUDGET_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Min Available", "string", "The minimum number of pods that must be available."),
    Column::new("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
    Column::new("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
    Column::age(),
];

pub(super) static REPLICATION_CONTROLLER_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Desired", "integer", docs::RC_SPEC_REPLICAS),
    Column::new("Current", "integer", docs::RC_STATUS_REPLICAS),
    Column::new("Ready", "integer", docs::RC_STATUS_READY),
    Column::age(),
    Column::wide("Containers", "string", CONTAINERS_DESC),
    Column::wide("Images", "string", IMAGES_DESC),
    Column::wide("Selector", "string", docs::RC_SPEC_SELECTOR),
];

pub(super) static REPLICA_SET_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Desired", "integer", docs::EXT_RS_SPEC_REPLICAS),
    Column::new("Current", "integer", docs::EXT_RS_STATUS_REPLICAS),
    Column::new("Ready", "integer", docs::EXT_RS_STATUS_READY),
    Column::age(),
    Column::wide("Containers", "string", CONTAINERS_DESC),
    Column::wide("Images", "string", IMAGES_DESC),
    Column::wide("Selector", "string", docs::EXT_RS_SPEC_SELECTOR),
];

pub(super) static DAEMON_SET_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Desired", "integer", docs::EXT_DS_DESIRED),
    Column::new("Current", "integer", docs::EXT_DS_CURRENT),
    Column::new("Ready", "integer", docs::EXT_DS_READY),
    Column::new("Up-to-date", "integer", docs::EXT_DS_UPDATED),
    Column::new("Available", "integer", docs::EXT_DS_AVAILABLE),
    Column::new("Node Selector", "string", docs::POD_SPEC_NODE_SELECTOR),
    Column::age(),
    Column::wide("Containers", "string", CONTAINERS_DESC),
    Column::wide("Images", "string", IMAGES_DESC),
    Column::wide("Selector", "string", docs::EXT_DS_SPEC_SELECTOR),
];

pub(super) static JOB_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Status", "string", "Status of the job."),
    Column::new("Completions", "string", docs::JOB_STATUS_SUCCEEDED),
    Column::new("Duration", "string", "Time required to complete the job."),
    Column::age(),
    Column::wide("Containers", "string", CONTAINERS_DESC),
    Column::wide("Images", "string", IMAGES_DESC),
    Column::wide("Selector", "string", docs::JOB_SPEC_SELECTOR),
];

pub(super) static CRON_JOB_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Schedule", "string", docs::CRONJOB_SPEC_SCHEDULE),
    Column::new("Timezone", "string", docs::CRONJOB_SPEC_TIMEZONE),
    Column::new("Suspend", "boolean", docs::CRONJOB_SPEC_SUSPEND),
    Column::new("Active", "integer", docs::CRONJOB_STATUS_ACTIVE),
    Column::new("Last Schedule", "string", docs::CRONJOB_STATUS_LAST_SCHEDULE),
    Column::age(),
    Column::wide("Containers", "string", CONTAINERS_DESC),
    Column::wide("Images", "string", IMAGES_DESC),
    Column::wide("Selector", "string", docs::JOB_SPEC_SELECTOR),
];

pub(super) static STATEFUL_SET_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Ready", "string", "Number of the pod with ready state"),
    Column::age(),
    Column::wide("Containers", "string", CONTAINERS_DESC),
    Column::wide("Images", "string", IMAGES_DESC),
];

pub(super) static DEPLOYMENT_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Ready", "string", "Number of the pod with ready state"),
    Column::new("Up-to-date", "string", docs::EXT_DEPLOY_UPDATED),
    Column::new("Available", "string", docs::EXT_DEPLOY_AVAILABLE),
    Column::age(),
    Column::wide("Containers", "string", CONTAINERS_DESC),
    Column::wide("Images", "string", IMAGES_DESC),
    Column::wide("Selector", "string", docs::EXT_DEPLOY_SPEC_SELECTOR),
];

pub(super) static CONTROLLER_REVISION_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Controller", "string", "Controller of the object"),
    Column::new("Revision", "string", docs::CONTROLLER_REVISION_REVISION),
    Column::age(),
];

pub(super) static HORIZONTAL_POD_AUTOSCALER_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Reference", "string", docs::HPA_SPEC_SCALE_TARGET),
    Column::new("Targets", "string", docs::HPA_SPEC_METRICS),
    Column::new("MinPods", "string", docs::HPA_SPEC_MIN),
    Column::new("MaxPods", "string", docs::HPA_SPEC_MAX),
    Column::new("Replicas", "string", docs::HPA_STATUS_CURRENT),
    Column::age(),
];

pub(super) static SCALE_COLUMNS: &[Column] = &[
    Column::new("Name", "string", docs::META_NAME),
    Column::new("Desired", "integer", docs::SCALE_SPEC_REPLICAS),
    Column::new("Available", "integer", docs::SCALE_STATUS_REPLICAS),
    Column::age(),
];

/// The containers of a pod template at `path` (names, images).
fn template_containers(object: &Value, path: &[&str]) -> (String, String) {
    let mut full: Vec<&str> = path.to_vec();
    full.extend(["spec", "containers"]);
    container_cells(arr_at(object, &full))
}

pub(super) fn pod_disruption_budget(pdb: &Value, now: Instant) -> Vec<Value> {
    let bound =
        |field: &str| get(pdb, &["spec", field]).filter(|v| !v.is_null()).map_or("N/A".to_string(), int_or_string);
    vec![
        Value::from(name(pdb)),
        Value::from(bound("minAvailable")),
        Value::from(bound("maxUnavailable")),
        Value::from(int_at(pdb, &["status", "disruptionsAllowed"])),
        Value::from(age(pdb, now)),
    ]
}

pub(super) fn replication_controller(rc: &Value, now: Instant) -> Vec<Value> {
    let (names, images) = template_containers(rc, &["spec", "template"]);
    vec![
        Value::from(name(rc)),
        Value::from(int_at(rc, &["spec", "replicas"])),
        Value::from(int_at(rc, &["status", "replicas"])),
        Value::from(int_at(rc, &["status", "readyReplicas"])),
        Value::from(age(rc, now)),
        Value::from(names),
        Value::from(images),
        Value::from(format_labels(get(rc, &["spec", "selector"]))),
    ]
}

pub(super) fn replica_set(rs: &Value, now: Instant) -> Vec<Value> {
    let (names, images) = template_containers(rs, &["spec", "template"]);
    vec![
        Value::from(name(rs)),
        Value::from(int_at(rs, &["spec", "replicas"])),
        Value::from(int_at(rs, &["status", "replicas"])),
        Value::from(int_at(rs, &["status", "readyReplicas"])),
        Value::from(age(rs, now)),
        Value::from(names),
        Value::from(images),
        Value::from(format_label_selector(get(rs, &["spec", "selector"]))),
    ]
}

pub(super) fn daemon_set(ds: &Value, now: Instant) -> Vec<Value> {
    let (names, images) = template_containers(ds, &["spec", "template"]);
    vec![
        Value::from(name(ds)),
        Value::from(int_at(ds, &["status", "desiredNumberScheduled"])),
        Value::from(int_at(ds, &["status", "currentNumberScheduled"])),
        Value::from(int_at(ds, &["status", "numberReady"])),
        Value::from(int_at(ds, &["status", "updatedNumberScheduled"])),
        Value::from(int_at(ds, &["status", "numberAvailable"])),
        Value::from(format_labels(get(ds, &["spec", "template", "spec", "nodeSelector"]))),
        Value::from(age(ds, now)),
        Value::from(names),
        Value::from(images),
        Value::from(format_label_selector(get(ds, &["spec", "selector"]))),
    ]
}

/// Whether the first condition of `kind` has status True (hasJobCondition).
fn has_condition(conditions: &[Value], kind: &str) -> bool {
    conditions.iter().find(|c| str_at(c, &["type"]) == kind).is_some_and(|c| str_at(c, &["status"]) == "True")
}

/// The job row: STATUS from its conditions, COMPLETIONS, DURATION from start to completion
/// (or to now while running), AGE and the wide template cells.
pub(super) fn job(job: &Value, now: Instant) -> Vec<Value> {
    let succeeded = int_at(job, &["status", "succeeded"]);
    let completions = match opt_int(job, &["spec", "completions"]) {
        Some(completions) => format!("{succeeded}/{completions}"),
        None => match opt_int(job, &["spec", "parallelism"]).unwrap_or(0) {
            parallelism if parallelism > 1 => format!("{succeeded}/1 of {parallelism}"),
            _ => format!("{succeeded}/1"),
        },
    };
    let start = opt_time(get(job, &["status", "startTime"]));
    let completion = opt_time(get(job, &["status", "completionTime"]));
    let duration = match (start, completion) {
        (None, _) => String::new(),
        (Some(start), None) => human_duration(now.since(start)),
        (Some(start), Some(completion)) => human_duration(completion.since(start)),
    };
    let conditions = arr_at(job, &["status", "conditions"]);
    let status = if has_condition(conditions, "Complete") {
        "Complete"
    } else if has_condition(conditions, "Failed") {
        "Failed"
    } else if is_deleting(job) {
        "Terminating"
    } else if has_condition(conditions, "Suspended") {
        "Suspended"
    } else if has_condition(conditions, "FailureTarget") {
        "FailureTarget"
    } else if has_condition(conditions, "SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    };
    let (names, images) = template_containers(job, &["spec", "template"]);
    vec![
        Value::from(name(job)),
        Value::from(status),
        Value::from(completions),
        Value::from(duration),
        Value::from(age(job, now)),
        Value::from(names),
        Value::from(images),
        Value::from(format_label_selector(get(job, &["spec", "selector"]))),
    ]
}

/// "True"/"False" for a set boolean pointer, "<unset>" otherwise (printBoolPtr).
fn bool_ptr(value: Option<&Value>) -> &'static str {
    match value.and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    }
}

pub(super) fn cron_job(cron_job: &Value, now: Instant) -> Vec<Value> {
    let last_schedule =
        opt_time(get(cron_job, &["status", "lastScheduleTime"])).map_or("<none>".to_string(), |t| since(t, now));
    let time_zone = get(cron_job, &["spec", "timeZone"]).and_then(Value::as_str).unwrap_or("<none>");
    let (names, images) = template_containers(cron_job, &["spec", "jobTemplate", "spec", "template"]);
    vec![
        Value::from(name(cron_job)),
        Value::from(str_at(cron_job, &["spec", "schedule"])),
        Value::from(time_zone),
        Value::from(bool_ptr(get(cron_job, &["spec", "suspend"]))),
        Value::from(arr_at(cron_job, &["status", "active"]).len()),
        Value::from(last_schedule),
        Value::from(age(cron_job, now)),
        Value::from(names),
        Value::from(images),
        Value::from(format_label_selector(get(cron_job, &["spec", "jobTemplate", "spec", "selector"]))),
    ]
}

pub(super) fn stateful_set(sts: &Value, now: Instant) -> Vec<Value> {
    let (names, images) = template_containers(sts, &["spec", "template"]);
    vec![
        Value::from(name(sts)),
        Value::from(format!("{}/{}", int_at(sts, &["status", "readyReplicas"]), int_at(sts, &["spec", "replicas"]))),
        Value::from(age(sts, now)),
        Value::from(names),
        Value::from(images),
    ]
}

pub(super) fn deployment(deployment: &Value, now: Instant) -> Vec<Value> {
    let (names, images) = template_containers(deployment, &["spec", "template"]);
    let selector = selector_string(get(deployment, &["spec", "selector"])).unwrap_or_else(|_| "<invalid>".to_string());
    vec![
        Value::from(name(deployment)),
        Value::from(format!(
            "{}/{}",
            int_at(deployment, &["status", "readyReplicas"]),
            int_at(deployment, &["spec", "replicas"])
        )),
        Value::from(int_at(deployment, &["status", "updatedReplicas"])),
        Value::from(int_at(deployment, &["status", "availableReplicas"])),
        Value::from(age(deployment, now)),
        Value::from(names),
        Value::from(images),
        Value::from(selector),
    ]
}

/// The revision row; CONTROLLER is "kind.group/name" of the controlling owner reference.
pub(super) fn controller_revision(revision: &Value, now: Instant) -> Vec<Value> {
    let controller = arr_at(revision, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .map_or("<none>".to_string(), |owner| {
            let owner_name = str_at(owner, &["name"]);
            let kind = str_at(owner, &["kind"]);
            // Like schema.ParseGroupVersion: "" or "/" is empty, "v1" has no group.
            let api_version = str_at(owner, &["apiVersion"]);
            let group = match api_version.split_once('/') {
                _ if api_version == "/" => "",
                Some((group, _)) => group,
                None => "",
            };
            let group_kind = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
            if group_kind.is_empty() {
                owner_name.to_string()
            } else {
                format!("{}/{owner_name}", group_kind.to_lowercase())
            }
        });
    vec![
        Value::from(name(revision)),
        Value::from(controller),
        Value::from(int_at(revision, &["revision"])),
        Value::from(age(revision, now)),
    ]
}

/// The target or current values of one HPA metric (autoscaling.MetricTarget/MetricValueStatus).
#[derive(Clone, Debug, Default)]
struct MetricValues {
    value: Option<Value>,
    average_value: Option<Value>,
    average_utilization: Option<i64>,
}

/// One metric spec: its type, resource name (Resource and ContainerResource) and target.
#[derive(Debug)]
struct MetricSpec {
    kind: String,
    resource: String,
    target: MetricValues,
}

/// One metric status: the current values of whichever sources it carries, like the
/// internal MetricStatus with its per-type pointers.
#[derive(Debug, Default)]
struct MetricStatus {
    external: Option<MetricValues>,
    pods: Option<MetricValues>,
    object: Option<MetricValues>,
    resource: Option<MetricValues>,
    container_resource: Option<MetricValues>,
}

impl MetricStatus {
    fn for_kind(&self, kind: &str) -> Option<&MetricValues> {
        match kind {
            "External" => self.external.as_ref(),
            "Pods" => self.pods.as_ref(),
            "Object" => self.object.as_ref(),
            "Resource" => self.resource.as_ref(),
            "ContainerResource" => self.container_resource.as_ref(),
            _ => None,
        }
    }
}

/// The JSON key of the source of a metric type.
fn source_key(kind: &str) -> &'static str {
    match kind {
        "External" => "external",
        "Pods" => "pods",
        "Object" => "object",
        "Resource" => "resource",
        "ContainerResource" => "containerResource",
        _ => "",
    }
}

/// A set field of `object`, cloned.
fn field(object: &Value, key: &str) -> Option<Value> {
    object.get(key).filter(|v| !v.is_null()).cloned()
}

/// autoscaling/v2 values (a MetricTarget or MetricValueStatus object).
fn v2_values(values: Option<&Value>) -> MetricValues {
    let Some(values) = values else {
        return MetricValues::default();
    };
    MetricValues {
        value: field(values, "value"),
        average_value: field(values, "averageValue"),
        average_utilization: values.get("averageUtilization").and_then(as_int),
    }
}

/// An autoscaling/v2 metric spec.
fn v2_spec(metric: &Value) -> MetricSpec {
    let kind = str_at(metric, &["type"]).to_string();
    let source = get(metric, &[source_key(&kind)]);
    MetricSpec {
        resource: source.map_or("", |s| str_at(s, &["name"])).to_string(),
        target: v2_values(source.and_then(|s| s.get("target"))),
        kind,
    }
}

/// An autoscaling/v2 metric status.
fn v2_status(metric: &Value) -> MetricStatus {
    let current =
        |kind: &str| get(metric, &[source_key(kind)]).filter(|s| !s.is_null()).map(|s| v2_values(s.get("current")));
    MetricStatus {
        external: current("External"),
        pods: current("Pods"),
        object: current("Object"),
        resource: current("Resource"),
        container_resource: current("ContainerResource"),
    }
}

/// An autoscaling/v1 metric spec from the metrics annotation (v2beta1-style fields).
fn v1_spec(metric: &Value) -> MetricSpec {
    let kind = str_at(metric, &["type"]).to_string();
    let source = get(metric, &[source_key(&kind)]).filter(|s| !s.is_null());
    let mut spec = MetricSpec { kind, resource: String::new(), target: MetricValues::default() };
    let Some(source) = source else {
        return spec;
    };
    let zero = || Some(Value::from("0"));
    match spec.kind.as_str() {
        "Resource" | "ContainerResource" => {
            spec.resource = str_at(source, &["name"]).to_string();
            spec.target.average_value = field(source, "targetAverageValue");
            spec.target.average_utilization = source.get("targetAverageUtilization").and_then(as_int);
        }
        "Pods" => spec.target.average_value = field(source, "targetAverageValue").or_else(zero),
        "Object" => {
            spec.target.value = field(source, "targetValue").or_else(zero);
            spec.target.average_value = field(source, "averageValue");
        }
        "External" => {
            spec.target.value = field(source, "targetValue");
            spec.target.average_value = field(source, "targetAverageValue");
        }
        _ => {}
    }
    spec
}

/// An autoscaling/v1 metric status from the current-metrics annotation.
fn v1_status(metric: &Value) -> MetricStatus {
    let zero = || Some(Value::from("0"));
    let source = |kind: &str| get(metric, &[source_key(kind)]).filter(|s| !s.is_null());
    let resource_like = |kind: &str| {
        source(kind).map(|s| MetricValues {
            value: None,
            average_value: field(s, "currentAverageValue").or_else(zero),
            average_utilization: s.get("currentAverageUtilization").and_then(as_int),
        })
    };
    MetricStatus {
        external: source("External").map(|s| MetricValues {
            value: field(s, "currentValue").or_else(zero),
            average_value: field(s, "currentAverageValue"),
            average_utilization: None,
        }),
        pods: source("Pods").map(|s| MetricValues {
            average_value: field(s, "currentAverageValue").or_else(zero),
            ..MetricValues::default()
        }),
        object: source("Object").map(|s| MetricValues {
            value: field(s, "currentValue").or_else(zero),
            average_value: field(s, "averageValue"),
            average_utilization: None,
        }),
        resource: resource_like("Resource"),
        container_resource: resource_like("ContainerResource"),
    }
}

/// A CPU utilization metric target, as autoscaling/v1's percentage converts to.
fn cpu_target(utilization: i64) -> MetricSpec {
    MetricSpec {
        kind: "Resource".to_string(),
        resource: "cpu".to_string(),
        target: MetricValues { average_utilization: Some(utilization), ..MetricValues::default() },
    }
}

/// Reads an HPA's metrics, converting autoscaling/v1 objects the way kube-apiserver does
/// (the CPU percentage fields, the round-trip annotations, and the implicit 80% CPU target).
fn hpa_metrics(hpa: &Value) -> (Vec<MetricSpec>, Vec<MetricStatus>) {
    if str_at(hpa, &["apiVersion"]) != "autoscaling/v1" {
        return (
            arr_at(hpa, &["spec", "metrics"]).iter().map(v2_spec).collect(),
            arr_at(hpa, &["status", "currentMetrics"]).iter().map(v2_status).collect(),
        );
    }
    let annotation_list = |key: &str| -> Option<Vec<Value>> {
        let text = get(hpa, &["metadata", "annotations", key]).and_then(Value::as_str)?;
        serde_json::from_str::<Vec<Value>>(text).ok()
    };
    let mut specs: Vec<MetricSpec> = Vec::new();
    let cpu = opt_int(hpa, &["spec", "targetCPUUtilizationPercentage"]);
    match annotation_list("autoscaling.alpha.kubernetes.io/metrics") {
        Some(others) => {
            specs.extend(others.iter().map(v1_spec));
            specs.extend(cpu.map(cpu_target));
        }
        None => specs.extend(cpu.map(cpu_target)),
    }
    if specs.is_empty() {
        specs.push(cpu_target(80));
    }
    let statuses = match annotation_list("autoscaling.alpha.kubernetes.io/current-metrics") {
        Some(current) => current.iter().map(v1_status).collect(),
        None => opt_int(hpa, &["status", "currentCPUUtilizationPercentage"])
            .map(|current| {
                vec![MetricStatus {
                    resource: Some(MetricValues { average_utilization: Some(current), ..MetricValues::default() }),
                    ..MetricStatus::default()
                }]
            })
            .unwrap_or_default(),
    };
    (specs, statuses)
}

/// The TARGETS cell (formatHPAMetrics): at most two metrics, then "+ N more...".
fn format_hpa_metrics(specs: &[MetricSpec], statuses: &[MetricStatus]) -> String {
    if specs.is_empty() {
        return "<none>".to_string();
    }
    const UNKNOWN: &str = "<unknown>";
    let mut list = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let status = statuses.get(i).and_then(|s| s.for_kind(&spec.kind));
        let target = &spec.target;
        let text = match spec.kind.as_str() {
            "External" | "Object" => {
                if target.average_value.is_some() {
                    let current = status
                        .and_then(|s| s.average_value.as_ref())
                        .map_or(UNKNOWN.to_string(), |q| quantity_ptr(Some(q)));
                    format!("{current}/{} (avg)", quantity_ptr(target.average_value.as_ref()))
                } else {
                    let current = status.map_or(UNKNOWN.to_string(), |s| quantity_ptr(s.value.as_ref()));
                    format!("{current}/{}", quantity_ptr(target.value.as_ref()))
                }
            }
            "Pods" => {
                let current = status.map_or(UNKNOWN.to_string(), |s| quantity_ptr(s.average_value.as_ref()));
                format!("{current}/{}", quantity_ptr(target.average_value.as_ref()))
            }
            "Resource" | "ContainerResource" => {
                if target.average_value.is_some() {
                    let current = status.map_or(UNKNOWN.to_string(), |s| quantity_ptr(s.average_value.as_ref()));
                    let target = quantity_ptr(target.average_value.as_ref());
                    format!("{}: {current}/{target}", spec.resource)
                } else {
                    let current =
                        status.and_then(|s| s.average_utilization).map_or(UNKNOWN.to_string(), |u| format!("{u}%"));
                    let target = target.average_utilization.map_or("<auto>".to_string(), |u| format!("{u}%"));
                    format!("{}: {current}/{target}", spec.resource)
                }
            }
            _ => "<unknown type>".to_string(),
        };
        list.push(text);
    }
    let count = list.len();
    if count > 2 {
        list.truncate(2);
        return format!("{} + {} more...", list.join(", "), count - 2);
    }
    list.join(", ")
}

/// The HPA row: REFERENCE, TARGETS, MINPODS, MAXPODS, REPLICAS and AGE.
pub(super) fn horizontal_pod_autoscaler(hpa: &Value, now: Instant) -> Vec<Value> {
    let reference = format!(
        "{}/{}",
        str_at(hpa, &["spec", "scaleTargetRef", "kind"]),
        str_at(hpa, &["spec", "scaleTargetRef", "name"])
    );
    let min_pods = opt_int(hpa, &["spec", "minReplicas"]).map_or("<unset>".to_string(), |m| m.to_string());
    vec![
        Value::from(name(hpa)),
        Value::from(reference),
        Value::from({
            let (specs, statuses) = hpa_metrics(hpa);
            format_hpa_metrics(&specs, &statuses)
        }),
        Value::from(min_pods),
        Value::from(int_at(hpa, &["spec", "maxReplicas"])),
        Value::from(int_at(hpa, &["status", "currentReplicas"])),
        Value::from(age(hpa, now)),
    ]
}

pub(super) fn scale(scale: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(scale)),
        Value::from(int_at(scale, &["spec", "replicas"])),
        Value::from(int_at(scale, &["status", "replicas"])),
        Value::from(age(scale, now)),
    ]
}
