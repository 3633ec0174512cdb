//! Per-resource behaviour, as kube-apiserver's registry strategies define it
//! (PrepareForCreate, PrepareForUpdate, AllowCreateOnUpdate, selectable
//! fields). Every catalog entry points at one `Hooks`; `hooks_for` is the
//! one place that says which resource behaves how.

use serde_json::{Map, Value, json};

use crate::quantity::Quantity;

/// Resource-specific steps the generic registry takes beyond hooks, for the
/// few resources whose registry logic needs state or other objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    /// Nothing special.
    None,
    /// Pods: deleted at once when not bound to a node (there is no kubelet
    /// to confirm a graceful stop).
    Pod,
    /// Namespaces: deletion marks them Terminating until their content is
    /// gone and the `kubernetes` finalizer is removed.
    Namespace,
    /// Services: cluster IPs and node ports are allocated on create.
    Service,
}

/// What is special about one resource.
pub struct Hooks {
    /// Resets server-owned state of a new object (its status, ...); runs
    /// after metadata (uid, name) is set and before validation.
    pub prepare_for_create: fn(&mut Value),
    /// Carries server-owned state over on an update of the main resource.
    pub prepare_for_update: fn(&mut Value, &Value),
    /// On an update of the status subresource, keeps everything but status.
    pub prepare_for_status_update: fn(&mut Value, &Value),
    /// The value of a selectable field (`status.phase`) of an object.
    pub field_value: fn(&Value, &str) -> String,
    /// Whether PUT on a missing object creates it.
    pub allow_create_on_update: bool,
    /// Registry-level specialities.
    pub special: Special,
}

/// Hooks of a resource without a status subresource.
static PLAIN: Hooks = Hooks {
    prepare_for_create: noop_create,
    prepare_for_update: keep_nothing,
    prepare_for_status_update: keep_all_but_status,
    field_value: json_path_value,
    allow_create_on_update: false,
    special: Special::None,
};

/// Hooks of a resource with a status subresource and a generation.
static WITH_STATUS: Hooks = Hooks {
    prepare_for_create: reset_status_and_generation,
    prepare_for_update: keep_status_bump_generation,
    prepare_for_status_update: keep_all_but_status,
    field_value: json_path_value,
    allow_create_on_update: false,
    special: Special::None,
};

static CREATE_ON_UPDATE: Hooks = Hooks { allow_create_on_update: true, ..PLAIN };
static CREATE_ON_UPDATE_WITH_STATUS: Hooks = Hooks { allow_create_on_update: true, ..WITH_STATUS };
static PODS: Hooks = Hooks { prepare_for_create: prepare_pod, special: Special::Pod, ..WITH_STATUS };
static NAMESPACES: Hooks = Hooks {
    prepare_for_create: prepare_namespace,
    prepare_for_update: keep_namespace_finalizers_and_status,
    special: Special::Namespace,
    ..WITH_STATUS
};
static SERVICES: Hooks = Hooks {
    prepare_for_create: prepare_service,
    prepare_for_update: keep_service_allocations,
    allow_create_on_update: true,
    special: Special::Service,
    ..WITH_STATUS
};
static JOBS: Hooks = Hooks { prepare_for_create: prepare_job, ..WITH_STATUS };
static VOLUMES: Hooks = Hooks { prepare_for_create: pending_phase, ..WITH_STATUS };
static EVENTS: Hooks = Hooks { field_value: event_field_value, allow_create_on_update: true, ..PLAIN };

/// Hooks of custom resources with a status subresource: status reset on
/// create and kept on main updates; generation 1, bumped when anything but
/// metadata and status changes (apiextensions' customResourceStrategy).
static CUSTOM_WITH_STATUS: Hooks =
    Hooks { prepare_for_create: reset_status_and_generation, prepare_for_update: custom_keep_status, ..PLAIN };

/// Hooks of custom resources without a status subresource: generation 1,
/// bumped when anything but metadata changes.
static CUSTOM_PLAIN: Hooks = Hooks { prepare_for_create: generation_one, prepare_for_update: custom_bump, ..PLAIN };

/// The hooks of a custom resource.
pub fn custom_hooks(has_status: bool) -> &'static Hooks {
    if has_status { &CUSTOM_WITH_STATUS } else { &CUSTOM_PLAIN }
}

fn generation_one(o: &mut Value) {
    obj(obj(o).entry("metadata").or_insert_with(|| json!({}))).insert("generation".into(), json!(1));
}

/// Whether two objects differ outside metadata (and status, if `but_status`).
fn changed_outside(o: &Value, old: &Value, but_status: bool) -> bool {
    let skip = |k: &str| k == "metadata" || (but_status && k == "status");
    let keys = |v: &Value| -> Vec<String> {
        v.as_object().map(|m| m.keys().filter(|k| !skip(k)).cloned().collect()).unwrap_or_default()
    };
    let (a, b) = (keys(o), keys(old));
    a.len() != b.len() || a.iter().any(|k| o.get(k) != old.get(k))
}

fn bump_generation(o: &mut Value, old: &Value) {
    let g = old["metadata"]["generation"].as_i64().unwrap_or(0) + 1;
    obj(obj(o).entry("metadata").or_insert_with(|| json!({}))).insert("generation".into(), json!(g));
}

fn custom_keep_status(o: &mut Value, old: &Value) {
    match old.get("status") {
        Some(s) => {
            obj(o).insert("status".into(), s.clone());
        }
        None => {
            obj(o).remove("status");
        }
    }
    if changed_outside(o, old, true) {
        bump_generation(o, old);
    }
}

fn custom_bump(o: &mut Value, old: &Value) {
    if changed_outside(o, old, false) {
        bump_generation(o, old);
    }
}

/// The hooks of a built-in resource.
pub fn hooks_for(group: &str, resource: &str) -> &'static Hooks {
    match (group, resource) {
        ("", "pods") => &PODS,
        ("", "namespaces") => &NAMESPACES,
        ("", "services") => &SERVICES,
        ("", "persistentvolumes") | ("", "persistentvolumeclaims") => &VOLUMES,
        ("", "events") | ("events.k8s.io", "events") => &EVENTS,
        ("", "endpoints") | ("", "limitranges") | ("coordination.k8s.io", "leases") => &CREATE_ON_UPDATE,
        ("", "nodes") | ("", "replicationcontrollers") | ("", "resourcequotas") => &WITH_STATUS,
        ("batch", "jobs") => &JOBS,
        ("apiregistration.k8s.io", "apiservices") => &CREATE_ON_UPDATE_WITH_STATUS,
        (
            "apps"
            | "batch"
            | "autoscaling"
            | "policy"
            | "networking.k8s.io"
            | "storage.k8s.io"
            | "certificates.k8s.io"
            | "apiextensions.k8s.io"
            | "flowcontrol.apiserver.k8s.io"
            | "admissionregistration.k8s.io"
            | "resource.k8s.io",
            _,
        ) if has_status_resource(group, resource) => &WITH_STATUS,
        _ => &PLAIN,
    }
}

/// Resources of the groups above that have a status subresource.
fn has_status_resource(group: &str, resource: &str) -> bool {
    matches!(
        (group, resource),
        ("apps", "deployments" | "replicasets" | "statefulsets" | "daemonsets")
            | ("batch", "cronjobs")
            | ("autoscaling", "horizontalpodautoscalers")
            | ("policy", "poddisruptionbudgets")
            | ("networking.k8s.io", "ingresses" | "servicecidrs")
            | ("storage.k8s.io", "volumeattachments")
            | ("certificates.k8s.io", "certificatesigningrequests")
            | ("apiextensions.k8s.io", "customresourcedefinitions")
            | ("flowcontrol.apiserver.k8s.io", "flowschemas" | "prioritylevelconfigurations")
            | ("admissionregistration.k8s.io", "validatingadmissionpolicies")
            | ("resource.k8s.io", "resourceclaims")
    )
}

fn noop_create(_: &mut Value) {}

fn keep_nothing(_: &mut Value, _: &Value) {}

fn obj(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        // Made an object just above.
        _ => unreachable!("value was just made an object"),
    }
}

/// Status cleared, generation 1 (as most strategies' PrepareForCreate).
fn reset_status_and_generation(o: &mut Value) {
    let m = obj(o);
    m.remove("status");
    obj(m.entry("metadata").or_insert_with(|| json!({}))).insert("generation".into(), json!(1));
}

/// Status kept from the stored object; generation bumped when the spec
/// changed (as most strategies' PrepareForUpdate).
fn keep_status_bump_generation(o: &mut Value, old: &Value) {
    let spec_changed = o.get("spec") != old.get("spec");
    let m = obj(o);
    match old.get("status") {
        Some(s) => {
            m.insert("status".into(), s.clone());
        }
        None => {
            m.remove("status");
        }
    }
    let old_generation = old["metadata"]["generation"].as_i64().unwrap_or(0);
    let generation = if spec_changed { old_generation + 1 } else { old_generation };
    if generation > 0 {
        obj(m.entry("metadata").or_insert_with(|| json!({}))).insert("generation".into(), json!(generation));
    }
}

/// On a status write, everything but status (and metadata the status
/// strategy lets through) comes from the stored object.
fn keep_all_but_status(o: &mut Value, old: &Value) {
    let status = o.get("status").cloned();
    let metadata = o.get("metadata").cloned();
    *o = old.clone();
    let m = obj(o);
    match status {
        Some(s) => {
            m.insert("status".into(), s);
        }
        None => {
            m.remove("status");
        }
    }
    // A status write changes only status: metadata comes from the stored
    // object too, except the resourceVersion precondition the writer sent.
    if let Some(rv) = metadata.as_ref().and_then(|md| md.get("resourceVersion")).cloned() {
        obj(m.entry("metadata").or_insert_with(|| json!({}))).insert("resourceVersion".into(), rv);
    }
}

fn prepare_pod(o: &mut Value) {
    reset_status_and_generation(o);
    let qos = pod_qos_class(&o["spec"]);
    obj(o).insert("status".into(), json!({"phase": "Pending", "qosClass": qos}));
}

/// The QoS class of a pod spec, as kubelet and kube-apiserver compute it.
pub fn pod_qos_class(spec: &Value) -> &'static str {
    let mut requests: Vec<(String, Quantity)> = Vec::new();
    let mut limits: Vec<(String, Quantity)> = Vec::new();
    let mut guaranteed = true;
    let add = |into: &mut Vec<(String, Quantity)>, name: &str, q: Quantity| {
        if let Some((_, sum)) = into.iter_mut().find(|(n, _)| n == name) {
            *sum = sum.add(&q);
        } else {
            into.push((name.to_string(), q));
        }
    };
    let containers = spec["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(spec["initContainers"].as_array().into_iter().flatten());
    for c in containers {
        let mut limited = Vec::new();
        for (kind, into) in [("requests", &mut requests), ("limits", &mut limits)] {
            for name in ["cpu", "memory"] {
                let Some(q) = c["resources"][kind][name].as_str().and_then(|s| Quantity::parse(s).ok()) else {
                    continue;
                };
                if q.is_zero() {
                    continue;
                }
                if kind == "limits" {
                    limited.push(name);
                }
                add(into, name, q);
            }
        }
        if limited.len() < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed {
        let equal = requests.len() == limits.len()
            && requests.iter().all(|(n, q)| limits.iter().any(|(m, l)| m == n && q.cmp(l).is_eq()));
        if equal {
            return "Guaranteed";
        }
    }
    "Burstable"
}

fn prepare_namespace(o: &mut Value) {
    let m = obj(o);
    m.insert("status".into(), json!({"phase": "Active"}));
}

fn keep_namespace_finalizers_and_status(o: &mut Value, old: &Value) {
    let m = obj(o);
    m.insert("status".into(), old.get("status").cloned().unwrap_or_else(|| json!({"phase": "Active"})));
    let spec = obj(m.entry("spec").or_insert_with(|| json!({})));
    match old["spec"].get("finalizers") {
        Some(f) => {
            spec.insert("finalizers".into(), f.clone());
        }
        None => {
            spec.remove("finalizers");
        }
    }
    if spec.is_empty() {
        m.remove("spec");
    }
}

fn prepare_service(o: &mut Value) {
    let m = obj(o);
    m.insert("status".into(), json!({"loadBalancer": {}}));
}

/// An update that leaves allocated values out keeps them (upstream's
/// PatchAllocatedValues): cluster IPs, families and node ports.
fn keep_service_allocations(o: &mut Value, old: &Value) {
    keep_status_bump_generation(o, old);
    drop_type_dependent_fields(o, old);
    let old_spec = &old["spec"];
    let m = obj(o);
    let spec = obj(m.entry("spec").or_insert_with(|| json!({})));
    let same_type = spec.get("type").and_then(Value::as_str).unwrap_or("ClusterIP")
        == old_spec["type"].as_str().unwrap_or("ClusterIP");
    let new_ip = spec.get("clusterIP").and_then(Value::as_str).unwrap_or("").to_string();
    let keeps_ip = !matches!(spec.get("type").and_then(Value::as_str), Some("ExternalName"));
    if keeps_ip && new_ip.is_empty() {
        for key in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
            if let Some(v) = old_spec.get(key)
                && !spec.contains_key(key)
            {
                spec.insert(key.into(), v.clone());
            }
        }
    }
    if same_type
        && let (Some(ports), Some(old_ports)) =
            (spec.get_mut("ports").and_then(Value::as_array_mut), old_spec["ports"].as_array())
    {
        for p in ports.iter_mut() {
            if p.get("nodePort").is_some() {
                continue;
            }
            let same = old_ports.iter().find(|op| op["port"] == p["port"] && op["protocol"] == p["protocol"]);
            if let Some(np) = same.and_then(|op| op.get("nodePort"))
                && let Some(pm) = p.as_object_mut()
            {
                pm.insert("nodePort".into(), np.clone());
            }
        }
    }
}

/// Upstream's dropTypeDependentFields: on a change of type, a field the new
/// type has no use for is cleared when the client left it as it was (it may
/// have been filled in by the server), so that a PUT of the old object with
/// only `type` changed is valid.
fn drop_type_dependent_fields(o: &mut Value, old: &Value) {
    fn kind(spec: &Value) -> &str {
        spec["type"].as_str().unwrap_or("ClusterIP")
    }
    fn needs_cluster_ip(spec: &Value) -> bool {
        kind(spec) != "ExternalName"
    }
    fn needs_node_port(spec: &Value) -> bool {
        kind(spec) == "NodePort"
            || (kind(spec) == "LoadBalancer" && spec["allocateLoadBalancerNodePorts"].as_bool() != Some(false))
    }
    fn needs_health_check(spec: &Value) -> bool {
        kind(spec) == "LoadBalancer" && spec["externalTrafficPolicy"] == "Local"
    }
    fn externally_accessible(spec: &Value) -> bool {
        matches!(kind(spec), "LoadBalancer" | "NodePort")
            || (kind(spec) == "ClusterIP" && spec["externalIPs"].as_array().is_some_and(|a| !a.is_empty()))
    }
    fn node_ports(spec: &Value) -> Vec<Value> {
        spec["ports"].as_array().into_iter().flatten().map(|p| p["nodePort"].clone()).collect()
    }
    let old_spec = &old["spec"];
    let Some(spec_value) = o.get_mut("spec") else { return };
    let new_spec = spec_value.clone();
    let Some(spec) = spec_value.as_object_mut() else { return };
    let same = |key: &str| new_spec[key] == old_spec[key];
    if needs_cluster_ip(old_spec) && !needs_cluster_ip(&new_spec) {
        if same("clusterIP") && same("clusterIPs") {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
        }
        if same("ipFamilies") {
            spec.remove("ipFamilies");
        }
        if same("ipFamilyPolicy") {
            spec.remove("ipFamilyPolicy");
        }
    }
    if needs_node_port(old_spec) && !needs_node_port(&new_spec) && node_ports(&new_spec) == node_ports(old_spec) {
        for p in spec.get_mut("ports").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(p) = p.as_object_mut() {
                p.remove("nodePort");
            }
        }
    }
    if needs_health_check(old_spec) && !needs_health_check(&new_spec) && same("healthCheckNodePort") {
        spec.remove("healthCheckNodePort");
    }
    let was_lb = kind(old_spec) == "LoadBalancer";
    if was_lb && kind(&new_spec) != "LoadBalancer" {
        if same("allocateLoadBalancerNodePorts") {
            spec.remove("allocateLoadBalancerNodePorts");
        }
        if same("loadBalancerClass") {
            spec.remove("loadBalancerClass");
        }
    }
    if externally_accessible(old_spec) && !externally_accessible(&new_spec) && same("externalTrafficPolicy") {
        spec.remove("externalTrafficPolicy");
    }
    if was_lb && kind(&new_spec) != "LoadBalancer" {
        obj(o).insert("status".into(), json!({"loadBalancer": {}}));
    }
}

/// The label a generated Job selector matches: the Job's uid.
pub const JOB_CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
/// The label carrying the Job's name on its pods.
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
/// The unprefixed form of [`JOB_CONTROLLER_UID_LABEL`], still set for old clients.
pub const LEGACY_JOB_CONTROLLER_UID_LABEL: &str = "controller-uid";
/// The unprefixed form of [`JOB_NAME_LABEL`], still set for old clients.
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";

/// A new Job: status reset, then its selector generated.
fn prepare_job(o: &mut Value) {
    reset_status_and_generation(o);
    generate_job_selector(o);
}

/// The Job strategy's selector generation: unless `spec.manualSelector` is
/// true, the pod template gets the controller-uid and job-name labels (both
/// prefixed and legacy; labels already set are kept, for validation to
/// judge) and `spec.selector.matchLabels` selects the Job's uid.
pub fn generate_job_selector(o: &mut Value) {
    if o["spec"]["manualSelector"].as_bool() == Some(true) {
        return;
    }
    let uid = o["metadata"]["uid"].as_str().unwrap_or("").to_string();
    let name = o["metadata"]["name"].as_str().unwrap_or("").to_string();
    // Labels defaulted from the template share its map in Go, so they get
    // the generated labels too.
    let shares_template_labels = o["metadata"]["labels"] == o["spec"]["template"]["metadata"]["labels"];
    let m = obj(o);
    let spec = obj(m.entry("spec").or_insert_with(|| json!({})));
    let template = obj(spec.entry("template").or_insert_with(|| json!({})));
    let tmeta = obj(template.entry("metadata").or_insert_with(|| json!({})));
    let labels = obj(tmeta.entry("labels").or_insert_with(|| json!({})));
    for (k, v) in [
        (JOB_CONTROLLER_UID_LABEL, &uid),
        (JOB_NAME_LABEL, &name),
        (LEGACY_JOB_CONTROLLER_UID_LABEL, &uid),
        (LEGACY_JOB_NAME_LABEL, &name),
    ] {
        labels.entry(k).or_insert_with(|| json!(v));
    }
    let template_labels = Value::Object(labels.clone());
    let selector = obj(spec.entry("selector").or_insert_with(|| json!({})));
    let match_labels = obj(selector.entry("matchLabels").or_insert_with(|| json!({})));
    match_labels.entry(JOB_CONTROLLER_UID_LABEL).or_insert_with(|| json!(uid));
    if shares_template_labels {
        obj(m.entry("metadata").or_insert_with(|| json!({}))).insert("labels".into(), template_labels);
    }
}

fn pending_phase(o: &mut Value) {
    reset_status_and_generation(o);
    if let Some(m) = o["metadata"].as_object_mut() {
        m.remove("generation");
    }
    obj(o).insert("status".into(), json!({"phase": "Pending"}));
}

/// A selectable field is, for most resources, the value at its JSON path;
/// booleans and numbers print as Go's strconv does, and a missing value is
/// the Go zero value of the field.
fn json_path_value(o: &Value, label: &str) -> String {
    let mut v = o;
    for part in label.split('.') {
        v = &v[part];
    }
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => match label {
            "spec.unschedulable" | "spec.hostNetwork" => "false".into(),
            "status.replicas" | "status.successful" => "0".into(),
            _ => String::new(),
        },
        other => other.to_string(),
    }
}

/// Events select on `source` (the source component) besides JSON paths.
fn event_field_value(o: &Value, label: &str) -> String {
    match label {
        "source" => o["source"]["component"].as_str().unwrap_or("").to_string(),
        _ => json_path_value(o, label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_qos_classes() {
        let c = |res: Value| json!({"containers": [{"name": "c", "resources": res}]});
        assert_eq!(pod_qos_class(&c(json!({}))), "BestEffort");
        assert_eq!(pod_qos_class(&c(json!({"requests": {"cpu": "100m"}}))), "Burstable");
        let same = json!({"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}});
        assert_eq!(pod_qos_class(&c(same)), "Guaranteed");
        let differ = json!({"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}});
        assert_eq!(pod_qos_class(&c(differ)), "Burstable");
    }

    #[test]
    fn status_is_kept_and_generation_bumped_on_spec_change() {
        let old = json!({"metadata": {"generation": 3}, "spec": {"replicas": 1}, "status": {"replicas": 1}});
        let mut new = json!({"metadata": {"generation": 1}, "spec": {"replicas": 2}, "status": {"replicas": 9}});
        (WITH_STATUS.prepare_for_update)(&mut new, &old);
        assert_eq!(new["status"], json!({"replicas": 1}));
        assert_eq!(new["metadata"]["generation"], 4);
        let mut same = json!({"metadata": {}, "spec": {"replicas": 1}});
        (WITH_STATUS.prepare_for_update)(&mut same, &old);
        assert_eq!(same["metadata"]["generation"], 3);
    }

    #[test]
    fn jobs_get_a_selector_on_their_uid() {
        let mut job = json!({"metadata": {"name": "pi", "uid": "u1"}, "spec": {"template": {"spec": {}}}});
        (JOBS.prepare_for_create)(&mut job);
        assert_eq!(job["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"], "u1");
        assert_eq!(job["spec"]["template"]["metadata"]["labels"]["job-name"], "pi");
    }

    #[test]
    fn job_selector_generation() {
        // Labels defaulted from the template share its map in Go: they see the generated labels.
        let mut job = json!({"metadata": {"name": "pi", "uid": "u1", "labels": {"app": "pi"}},
            "spec": {"template": {"metadata": {"labels": {"app": "pi", "job-name": "mine"}}}}});
        job["metadata"]["labels"] = job["spec"]["template"]["metadata"]["labels"].clone();
        generate_job_selector(&mut job);
        let labels = &job["spec"]["template"]["metadata"]["labels"];
        assert_eq!(labels["job-name"], "mine", "a label the user set is kept for validation to judge");
        assert_eq!(labels["batch.kubernetes.io/job-name"], "pi");
        assert_eq!(labels["controller-uid"], "u1");
        assert_eq!(&job["metadata"]["labels"], labels);
        // Labels of its own are left alone; an existing selector gets the uid requirement added.
        let mut job = json!({"metadata": {"name": "pi", "uid": "u1", "labels": {"team": "a"}},
            "spec": {"selector": {"matchLabels": {"app": "pi"}}, "template": {"metadata": {"labels": {"app": "pi"}}}}});
        generate_job_selector(&mut job);
        assert_eq!(job["metadata"]["labels"], json!({"team": "a"}));
        assert_eq!(
            job["spec"]["selector"]["matchLabels"],
            json!({"app": "pi", "batch.kubernetes.io/controller-uid": "u1"})
        );
        // A manual selector is the user's business.
        let manual = json!({"metadata": {"name": "pi", "uid": "u1"}, "spec": {"manualSelector": true, "template": {}}});
        let mut job = manual.clone();
        generate_job_selector(&mut job);
        assert_eq!(job, manual);
    }

    #[test]
    fn selectable_fields() {
        let node = json!({"spec": {}});
        assert_eq!(json_path_value(&node, "spec.unschedulable"), "false");
        let ev = json!({"source": {"component": "kubelet"}, "involvedObject": {"kind": "Pod"}});
        assert_eq!(event_field_value(&ev, "source"), "kubelet");
        assert_eq!(event_field_value(&ev, "involvedObject.kind"), "Pod");
    }
}
