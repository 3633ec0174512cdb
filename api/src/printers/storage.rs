//! Printers for storage resources: persistent volumes and claims, storage classes, volume
//! attributes classes, volume attachments, CSI nodes, drivers and storage capacities.

use serde_json::Value;

use super::json::{annotation, arr_at, bool_at, get, is_deleting, len_at, name, opt_bool, opt_str, str_at};
use super::quantity::{quantity_or_zero, quantity_string};
use super::timestamp::{Instant, age};
use super::{Column, docs};

/// The beta annotation that overrides a volume's or claim's storage class.
const BETA_STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

pub(super) static PERSISTENT_VOLUME_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Capacity", "string", docs::PV_SPEC_CAPACITY),
    Column::new("Access Modes", "string", docs::PV_SPEC_ACCESS_MODES),
    Column::new("Reclaim Policy", "string", docs::PV_SPEC_RECLAIM),
    Column::new("Status", "string", docs::PV_STATUS_PHASE),
    Column::new("Claim", "string", docs::PV_SPEC_CLAIM_REF),
    Column::new("StorageClass", "string", "StorageClass of the pv"),
    Column::new("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
    Column::new("Reason", "string", docs::PV_STATUS_REASON),
    Column::age(),
    Column::wide("VolumeMode", "string", docs::PV_SPEC_VOLUME_MODE),
];

pub(super) static PERSISTENT_VOLUME_CLAIM_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Status", "string", docs::PVC_STATUS_PHASE),
    Column::new("Volume", "string", docs::PVC_SPEC_VOLUME_NAME),
    Column::new("Capacity", "string", docs::PVC_STATUS_CAPACITY),
    Column::new("Access Modes", "string", docs::PVC_STATUS_ACCESS_MODES),
    Column::new("StorageClass", "string", "StorageClass of the pvc"),
    Column::new("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
    Column::age(),
    Column::wide("VolumeMode", "string", docs::PVC_SPEC_VOLUME_MODE),
];

pub(super) static STORAGE_CLASS_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Provisioner", "string", docs::SC_PROVISIONER),
    Column::new("ReclaimPolicy", "string", docs::SC_RECLAIM),
    Column::new("VolumeBindingMode", "string", docs::SC_BINDING_MODE),
    Column::new("AllowVolumeExpansion", "string", docs::SC_ALLOW_EXPANSION),
    Column::age(),
];

pub(super) static VOLUME_ATTRIBUTES_CLASS_COLUMNS: &[Column] =
    &[Column::name(), Column::new("DriverName", "string", docs::VAC_DRIVER_NAME), Column::age()];

pub(super) static VOLUME_ATTACHMENT_COLUMNS: &[Column] = &[
    Column::name(),
    Column { format: "name", ..Column::new("Attacher", "string", docs::VA_SPEC_ATTACHER) },
    Column::new("PV", "string", docs::VA_SOURCE_PV),
    Column::new("Node", "string", docs::VA_SPEC_NODE),
    Column::new("Attached", "boolean", docs::VA_STATUS_ATTACHED),
    Column::age(),
];

pub(super) static CSI_NODE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Drivers", "integer", "Drivers indicates the number of CSI drivers registered on the node"),
    Column::age(),
];

pub(super) static CSI_DRIVER_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("AttachRequired", "boolean", docs::CSIDRIVER_ATTACH),
    Column::new("PodInfoOnMount", "boolean", docs::CSIDRIVER_POD_INFO),
    Column::new("StorageCapacity", "boolean", docs::CSIDRIVER_STORAGE_CAPACITY),
    Column::new("TokenRequests", "string", docs::CSIDRIVER_TOKEN_REQUESTS),
    Column::new("RequiresRepublish", "boolean", docs::CSIDRIVER_REPUBLISH),
    Column::new("Modes", "string", docs::CSIDRIVER_MODES),
    Column::age(),
];

pub(super) static CSI_STORAGE_CAPACITY_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("StorageClassName", "string", docs::CSISC_STORAGE_CLASS),
    Column::new("Capacity", "string", docs::CSISC_CAPACITY),
];

/// Access modes abbreviated in a fixed order (GetAccessModesAsString).
fn access_modes(modes: &[Value]) -> String {
    let has = |mode: &str| modes.iter().any(|m| m.as_str() == Some(mode));
    [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
        .iter()
        .filter(|(mode, _)| has(mode))
        .map(|(_, short)| *short)
        .collect::<Vec<_>>()
        .join(",")
}

/// The phase, or "Terminating" once deletion started.
fn phase(object: &Value) -> &str {
    if is_deleting(object) { "Terminating" } else { str_at(object, &["status", "phase"]) }
}

/// A set string pointer, or "<unset>".
fn or_unset<'a>(object: &'a Value, path: &[&str]) -> &'a str {
    opt_str(object, path).unwrap_or("<unset>")
}

pub(super) fn persistent_volume(pv: &Value, now: Instant) -> Vec<Value> {
    let claim = match get(pv, &["spec", "claimRef"]).filter(|c| !c.is_null()) {
        Some(claim) => format!("{}/{}", str_at(claim, &["namespace"]), str_at(claim, &["name"])),
        None => String::new(),
    };
    let class =
        annotation(pv, BETA_STORAGE_CLASS_ANNOTATION).unwrap_or_else(|| str_at(pv, &["spec", "storageClassName"]));
    vec![
        Value::from(name(pv)),
        Value::from(quantity_or_zero(get(pv, &["spec", "capacity", "storage"]))),
        Value::from(access_modes(arr_at(pv, &["spec", "accessModes"]))),
        Value::from(str_at(pv, &["spec", "persistentVolumeReclaimPolicy"])),
        Value::from(phase(pv)),
        Value::from(claim),
        Value::from(class),
        Value::from(or_unset(pv, &["spec", "volumeAttributesClassName"])),
        Value::from(str_at(pv, &["status", "reason"])),
        Value::from(age(pv, now)),
        Value::from(or_unset(pv, &["spec", "volumeMode"])),
    ]
}

/// The claim row; CAPACITY and ACCESS MODES are shown only once the claim names a volume.
pub(super) fn persistent_volume_claim(pvc: &Value, now: Instant) -> Vec<Value> {
    let volume = str_at(pvc, &["spec", "volumeName"]);
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity_or_zero(get(pvc, &["status", "capacity", "storage"])),
            access_modes(arr_at(pvc, &["status", "accessModes"])),
        )
    };
    let class = annotation(pvc, BETA_STORAGE_CLASS_ANNOTATION)
        .or_else(|| opt_str(pvc, &["spec", "storageClassName"]))
        .unwrap_or("");
    vec![
        Value::from(name(pvc)),
        Value::from(phase(pvc)),
        Value::from(volume),
        Value::from(capacity),
        Value::from(modes),
        Value::from(class),
        Value::from(or_unset(pvc, &["spec", "volumeAttributesClassName"])),
        Value::from(age(pvc, now)),
        Value::from(or_unset(pvc, &["spec", "volumeMode"])),
    ]
}

/// The storage class row; the default class's name carries " (default)".
pub(super) fn storage_class(class: &Value, now: Instant) -> Vec<Value> {
    let is_default = annotation(class, "storageclass.kubernetes.io/is-default-class") == Some("true")
        || annotation(class, "storageclass.beta.kubernetes.io/is-default-class") == Some("true");
    let mut class_name = name(class).to_string();
    if is_default {
        class_name.push_str(" (default)");
    }
    vec![
        Value::from(class_name),
        Value::from(str_at(class, &["provisioner"])),
        Value::from(opt_str(class, &["reclaimPolicy"]).unwrap_or("Delete")),
        Value::from(opt_str(class, &["volumeBindingMode"]).unwrap_or("Immediate")),
        Value::from(bool_at(class, &["allowVolumeExpansion"])),
        Value::from(age(class, now)),
    ]
}

pub(super) fn volume_attributes_class(class: &Value, now: Instant) -> Vec<Value> {
    vec![Value::from(name(class)), Value::from(str_at(class, &["driverName"])), Value::from(age(class, now))]
}

pub(super) fn volume_attachment(attachment: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(attachment)),
        Value::from(str_at(attachment, &["spec", "attacher"])),
        Value::from(str_at(attachment, &["spec", "source", "persistentVolumeName"])),
        Value::from(str_at(attachment, &["spec", "nodeName"])),
        Value::from(bool_at(attachment, &["status", "attached"])),
        Value::from(age(attachment, now)),
    ]
}

pub(super) fn csi_node(node: &Value, now: Instant) -> Vec<Value> {
    vec![Value::from(name(node)), Value::from(len_at(node, &["spec", "drivers"])), Value::from(age(node, now))]
}

/// The CSI driver row; unset booleans print their defaults (attachRequired defaults to true).
pub(super) fn csi_driver(driver: &Value, now: Instant) -> Vec<Value> {
    let modes: Vec<&str> =
        arr_at(driver, &["spec", "volumeLifecycleModes"]).iter().map(|m| m.as_str().unwrap_or("")).collect();
    let modes = if modes.is_empty() { "<none>".to_string() } else { modes.join(",") };
    let token_requests = match get(driver, &["spec", "tokenRequests"]).and_then(Value::as_array) {
        Some(requests) => requests.iter().map(|t| str_at(t, &["audience"])).collect::<Vec<_>>().join(","),
        None => "<unset>".to_string(),
    };
    vec![
        Value::from(name(driver)),
        Value::from(opt_bool(driver, &["spec", "attachRequired"]).unwrap_or(true)),
        Value::from(bool_at(driver, &["spec", "podInfoOnMount"])),
        Value::from(bool_at(driver, &["spec", "storageCapacity"])),
        Value::from(token_requests),
        Value::from(bool_at(driver, &["spec", "requiresRepublish"])),
        Value::from(modes),
        Value::from(age(driver, now)),
    ]
}

pub(super) fn csi_storage_capacity(capacity: &Value) -> Vec<Value> {
    let amount = get(capacity, &["capacity"]).filter(|c| !c.is_null()).map_or("<unset>".to_string(), quantity_string);
    vec![Value::from(name(capacity)), Value::from(str_at(capacity, &["storageClassName"])), Value::from(amount)]
}
