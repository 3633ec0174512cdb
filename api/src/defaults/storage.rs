//! storage.k8s.io/v1 defaults: StorageClass, CSIDriver and the inline volume
//! of a VolumeAttachment.
//!
//! Feature gates at their kube-apiserver 1.35 defaults:
//! SELinuxMountReadWriteOncePod (on).

use serde_json::json;

use super::pod;
use super::value::{Object, child, default_value, ensure_child, is_empty};

/// Defaults a StorageClass.
pub(super) fn storage_class(object: &mut Object) {
    default_value(object, "reclaimPolicy", json!("Delete"));
    default_value(object, "volumeBindingMode", json!("Immediate"));
}

/// Defaults a CSIDriver.
pub(super) fn csi_driver(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    default_value(spec, "attachRequired", json!(true));
    default_value(spec, "podInfoOnMount", json!(false));
    default_value(spec, "storageCapacity", json!(false));
    default_value(spec, "fsGroupPolicy", json!("ReadWriteOnceWithFSType"));
    if is_empty(spec, "volumeLifecycleModes") {
        spec.insert("volumeLifecycleModes".to_owned(), json!(["Persistent"]));
    }
    default_value(spec, "requiresRepublish", json!(false));
    default_value(spec, "seLinuxMount", json!(false));
}

/// Defaults a VolumeAttachment: its inline volume spec gets the volume
/// source defaults of a PersistentVolume's spec.
pub(super) fn volume_attachment(object: &mut Object) {
    if let Some(inline) = child(object, "spec")
        .and_then(|spec| child(spec, "source"))
        .and_then(|source| child(source, "inlineVolumeSpec"))
    {
        pod::legacy_volume_sources(inline);
    }
}
