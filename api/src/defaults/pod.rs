//! Pod and pod template defaults, shared by every kind that embeds a pod
//! template (Pod, PodTemplate, ReplicationController, Deployment, ReplicaSet,
//! StatefulSet, DaemonSet, Job, CronJob).
//!
//! Feature gates at their kube-apiserver 1.35 defaults: PodLevelResources
//! (beta, on) and ImageVolume (on).

use serde_json::{Value, json};

use super::image;
use super::quantity;
use super::value::{
    Object, child, children, default_number, default_str, default_value, ensure_child, is_empty, is_empty_str, is_nil,
    is_true, is_zero_number, str_at,
};
use crate::quantity::Quantity;

/// Volume sources of core/v1 Volume; a volume with none of them is an emptyDir.
const VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

/// File mode kube-apiserver gives secret, configMap, downwardAPI and projected
/// volumes: 0644.
const DEFAULT_FILE_MODE: i64 = 0o644;

/// Defaults a Pod: the pod-only defaults first, then those of its spec.
pub(super) fn pod(pod: &mut Object) {
    if let Some(spec) = ensure_child(pod, "spec") {
        pod_only(spec);
        pod_spec(spec);
    }
    if let Some(status) = child(pod, "status") {
        pod_status(status);
    }
}

/// Defaults a PodTemplateSpec (the `template` of a workload).
pub(super) fn template(template: &mut Object) {
    if let Some(spec) = ensure_child(template, "spec") {
        pod_spec(spec);
    }
}

/// Defaults a PodSpec and everything in it, as in any pod template.
pub(super) fn pod_spec(spec: &mut Object) {
    default_str(spec, "dnsPolicy", "ClusterFirst");
    default_str(spec, "restartPolicy", "Always");
    default_value(spec, "securityContext", json!({}));
    default_value(spec, "terminationGracePeriodSeconds", json!(30));
    default_str(spec, "schedulerName", "default-scheduler");
    service_account_alias(spec);

    for volume in children(spec, "volumes") {
        self::volume(volume);
    }
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for container in children(spec, list) {
            self::container(container);
        }
    }
}

/// Like kube-apiserver's conversion, `serviceAccount` (deprecated) and
/// `serviceAccountName` are aliases; `serviceAccountName` wins.
fn service_account_alias(spec: &mut Object) {
    if is_empty_str(spec, "serviceAccountName")
        && let Some(name) = str_at(spec, "serviceAccount").filter(|n| !n.is_empty())
    {
        let name = name.to_owned();
        spec.insert("serviceAccountName".to_owned(), Value::String(name));
    }
    match str_at(spec, "serviceAccountName").filter(|n| !n.is_empty()) {
        Some(name) => {
            let name = name.to_owned();
            spec.insert("serviceAccount".to_owned(), Value::String(name));
        }
        None => {
            // The internal form has only the name, so an empty one writes neither.
            if spec.get("serviceAccount").and_then(Value::as_str) == Some("") {
                spec.remove("serviceAccount");
            }
        }
    }
}

/// Defaults a Container (or an init or ephemeral container).
fn container(container: &mut Object) {
    if is_empty_str(container, "imagePullPolicy") {
        let policy = image::default_pull_policy(str_at(container, "image").unwrap_or(""));
        container.insert("imagePullPolicy".to_owned(), Value::String(policy.to_owned()));
    }
    default_str(container, "terminationMessagePath", "/dev/termination-log");
    default_str(container, "terminationMessagePolicy", "File");
    for port in children(container, "ports") {
        default_str(port, "protocol", "TCP");
    }
    for env in children(container, "env") {
        if let Some(from) = child(env, "valueFrom") {
            if let Some(field_ref) = child(from, "fieldRef") {
                default_str(field_ref, "apiVersion", "v1");
            }
            if let Some(file_key_ref) = child(from, "fileKeyRef") {
                default_value(file_key_ref, "optional", json!(false));
            }
        }
    }
    for name in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(probe) = child(container, name) {
            self::probe(probe);
        }
    }
    if let Some(lifecycle) = child(container, "lifecycle") {
        for name in ["postStart", "preStop"] {
            if let Some(http_get) = child(lifecycle, name).and_then(|h| child(h, "httpGet")) {
                self::http_get(http_get);
            }
        }
    }
}

fn probe(probe: &mut Object) {
    default_number(probe, "timeoutSeconds", 1);
    default_number(probe, "periodSeconds", 10);
    default_number(probe, "successThreshold", 1);
    default_number(probe, "failureThreshold", 3);
    if let Some(http_get) = child(probe, "httpGet") {
        self::http_get(http_get);
    }
    if let Some(grpc) = child(probe, "grpc") {
        default_value(grpc, "service", json!(""));
    }
}

fn http_get(action: &mut Object) {
    default_str(action, "path", "/");
    default_str(action, "scheme", "HTTP");
}

/// Defaults a Volume and its source.
fn volume(volume: &mut Object) {
    if VOLUME_SOURCES.iter().all(|source| is_nil(volume, source)) {
        volume.insert("emptyDir".to_owned(), json!({}));
    }
    for source in ["secret", "configMap"] {
        if let Some(source) = child(volume, source) {
            default_value(source, "defaultMode", json!(DEFAULT_FILE_MODE));
        }
    }
    if let Some(downward_api) = child(volume, "downwardAPI") {
        default_value(downward_api, "defaultMode", json!(DEFAULT_FILE_MODE));
        downward_api_items(downward_api);
    }
    if let Some(projected) = child(volume, "projected") {
        default_value(projected, "defaultMode", json!(DEFAULT_FILE_MODE));
        for source in children(projected, "sources") {
            if let Some(downward_api) = child(source, "downwardAPI") {
                downward_api_items(downward_api);
            }
            if let Some(token) = child(source, "serviceAccountToken") {
                default_value(token, "expirationSeconds", json!(3600));
            }
        }
    }
    if let Some(ephemeral) = child(volume, "ephemeral")
        && let Some(spec) = child(ephemeral, "volumeClaimTemplate").and_then(|t| ensure_child(t, "spec"))
    {
        persistent_volume_claim_spec(spec);
    }
    if let Some(image) = child(volume, "image")
        && is_empty_str(image, "pullPolicy")
    {
        let policy = image::default_pull_policy(str_at(image, "reference").unwrap_or(""));
        image.insert("pullPolicy".to_owned(), Value::String(policy.to_owned()));
    }
    legacy_volume_sources(volume);
}

fn downward_api_items(downward_api: &mut Object) {
    for item in children(downward_api, "items") {
        if let Some(field_ref) = child(item, "fieldRef") {
            default_str(field_ref, "apiVersion", "v1");
        }
    }
}

/// The declared defaults of the in-tree volume sources a Volume and a
/// PersistentVolume share (hostPath, rbd, iscsi, azureDisk, scaleIO).
pub(super) fn legacy_volume_sources(source: &mut Object) {
    if let Some(host_path) = child(source, "hostPath") {
        default_value(host_path, "type", json!(""));
    }
    if let Some(rbd) = child(source, "rbd") {
        default_str(rbd, "pool", "rbd");
        default_str(rbd, "user", "admin");
        default_str(rbd, "keyring", "/etc/ceph/keyring");
    }
    if let Some(iscsi) = child(source, "iscsi") {
        default_str(iscsi, "iscsiInterface", "default");
    }
    if let Some(azure_disk) = child(source, "azureDisk") {
        default_value(azure_disk, "cachingMode", json!("ReadWrite"));
        default_value(azure_disk, "fsType", json!("ext4"));
        default_value(azure_disk, "readOnly", json!(false));
        default_value(azure_disk, "kind", json!("Shared"));
    }
    if let Some(scale_io) = child(source, "scaleIO") {
        default_str(scale_io, "storageMode", "ThinProvisioned");
        default_str(scale_io, "fsType", "xfs");
    }
}

/// Defaults a PersistentVolumeClaimSpec (also inside ephemeral volumes and
/// StatefulSet claim templates).
pub(super) fn persistent_volume_claim_spec(spec: &mut Object) {
    default_value(spec, "volumeMode", json!("Filesystem"));
}

/// Defaults only a Pod gets, not a pod template.
fn pod_only(spec: &mut Object) {
    // Containers request what they limit, unless they say otherwise.
    for list in ["containers", "initContainers"] {
        for container in children(spec, list) {
            requests_from_limits(container);
        }
    }
    if child(spec, "resources").is_some() {
        default_hugepage_pod_limits(spec);
        default_pod_requests(spec);
    }
    default_value(spec, "enableServiceLinks", json!(true));
    if is_true(spec, "hostNetwork") {
        for list in ["containers", "initContainers"] {
            for container in children(spec, list) {
                for port in children(container, "ports") {
                    if is_zero_number(port, "hostPort")
                        && let Some(container_port) = port.get("containerPort").cloned()
                    {
                        port.insert("hostPort".to_owned(), container_port);
                    }
                }
            }
        }
    }
}

fn requests_from_limits(container: &mut Object) {
    let Some(resources) = child(container, "resources") else { return };
    let Some(limits) = child(resources, "limits").cloned() else { return };
    if limits.is_empty() {
        return;
    }
    let Some(requests) = ensure_child(resources, "requests") else { return };
    for (name, limit) in limits {
        requests.entry(name).or_insert(limit);
    }
}

/// A resource list as quantities; entries that do not parse are skipped.
type ResourceList = Vec<(String, Quantity)>;

fn resource_list(object: Option<&Object>) -> ResourceList {
    object.into_iter().flatten().filter_map(|(name, value)| Some((name.clone(), quantity::from_json(value)?))).collect()
}

fn find<'a>(list: &'a mut ResourceList, name: &str) -> Option<&'a mut Quantity> {
    list.iter_mut().find(|(n, _)| n == name).map(|(_, q)| q)
}

fn add_list(total: &mut ResourceList, list: &ResourceList) {
    for (name, quantity) in list {
        match find(total, name) {
            Some(sum) => *sum = sum.add(quantity),
            None => total.push((name.clone(), quantity.clone())),
        }
    }
}

fn max_list(total: &mut ResourceList, list: &ResourceList) {
    for (name, quantity) in list {
        match find(total, name) {
            Some(current) => {
                if *quantity > *current {
                    *current = quantity.clone();
                }
            }
            None => total.push((name.clone(), quantity.clone())),
        }
    }
}

/// The pod's effective container requests or limits (`which`): the sum over
/// containers and sidecars, or the largest init container step if larger.
fn aggregate_containers(spec: &Object, which: &str) -> ResourceList {
    let list_of = |container: &Object| {
        resource_list(
            container.get("resources").and_then(Value::as_object).and_then(|r| r.get(which)).and_then(Value::as_object),
        )
    };
    let containers = |key: &str| -> Vec<Object> {
        spec.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).cloned().collect()
    };
    let mut total = ResourceList::new();
    for container in containers("containers") {
        add_list(&mut total, &list_of(&container));
    }
    let mut sidecars = ResourceList::new();
    let mut init = ResourceList::new();
    for container in containers("initContainers") {
        let own = list_of(&container);
        let step = if str_at(&container, "restartPolicy") == Some("Always") {
            add_list(&mut total, &own);
            add_list(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut step = own;
            add_list(&mut step, &sidecars);
            step
        };
        max_list(&mut init, &step);
    }
    max_list(&mut total, &init);
    total
}

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// Resources that can be set at pod level: cpu, memory and hugepages.
fn is_pod_level_resource(name: &str) -> bool {
    name == "cpu" || name == "memory" || is_hugepages(name)
}

/// Native resources other than hugepages may be overcommitted.
fn overcommit_allowed(name: &str) -> bool {
    let native = !name.contains('/') || name.starts_with("kubernetes.io/");
    native && !is_hugepages(name)
}

/// Adds the entries `target` lacks, printed as kube-apiserver prints them.
fn write_list(target: &mut Object, list: ResourceList) {
    for (name, quantity) in list {
        if !target.contains_key(&name) {
            target.insert(name, Value::String(quantity.canonical()));
        }
    }
}

/// Pod-level hugepage limits default to the containers' total, when the pod
/// sets pod-level resources but no hugepage request.
fn default_hugepage_pod_limits(spec: &mut Object) {
    let aggregate = aggregate_containers(spec, "limits");
    let Some(resources) = child(spec, "resources") else { return };
    if is_empty(resources, "limits") && is_empty(resources, "requests") {
        return;
    }
    let requests = child(resources, "requests").cloned().unwrap_or_default();
    let additions: ResourceList = aggregate
        .into_iter()
        .filter(|(name, _)| is_pod_level_resource(name) && is_hugepages(name) && !requests.contains_key(name))
        .collect();
    if additions.is_empty() {
        return;
    }
    if let Some(limits) = ensure_child(resources, "limits") {
        write_list(limits, additions);
    }
}

/// Pod-level requests default to the containers' total requests (for
/// overcommittable resources), else to the pod-level limits.
fn default_pod_requests(spec: &mut Object) {
    let aggregate = aggregate_containers(spec, "requests");
    let Some(resources) = child(spec, "resources") else { return };
    if is_empty(resources, "limits") {
        return;
    }
    let limits = child(resources, "limits").cloned().unwrap_or_default();
    let mut requests = child(resources, "requests").cloned().unwrap_or_default();
    let from_containers: ResourceList = aggregate
        .into_iter()
        .filter(|(name, _)| !requests.contains_key(name) && is_pod_level_resource(name) && overcommit_allowed(name))
        .collect();
    write_list(&mut requests, from_containers);
    for (name, limit) in &limits {
        if !requests.contains_key(name) && is_pod_level_resource(name) {
            requests.insert(name.clone(), limit.clone());
        }
    }
    if !requests.is_empty() {
        resources.insert("requests".to_owned(), Value::Object(requests));
    }
}

/// Like kube-apiserver's conversion, `podIP`/`podIPs` and `hostIP`/`hostIPs`
/// agree: the singular field is authoritative and the first plural entry.
fn pod_status(status: &mut Object) {
    for (single, plural) in [("podIP", "podIPs"), ("hostIP", "hostIPs")] {
        let ip = str_at(status, single).unwrap_or("").to_owned();
        let first = status
            .get(plural)
            .and_then(Value::as_array)
            .and_then(|list| list.first())
            .and_then(Value::as_object)
            .and_then(|entry| str_at(entry, "ip"))
            .map(str::to_owned);
        if !ip.is_empty() && first.as_deref() != Some(ip.as_str()) {
            status.insert(plural.to_owned(), json!([{ "ip": ip }]));
        } else if ip.is_empty()
            && let Some(first) = first
        {
            status.insert(single.to_owned(), Value::String(first));
        }
    }
}
