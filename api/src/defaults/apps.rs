//! apps/v1 defaults: Deployment, ReplicaSet, StatefulSet, DaemonSet.
//!
//! Feature gates at their kube-apiserver 1.35 defaults: MaxUnavailableStatefulSet
//! (beta, on) and StatefulSetAutoDeletePVC (GA).

use serde_json::{Value, json};

use super::core;
use super::pod;
use super::value::{Object, child, children, default_str, default_value, ensure_child, str_at};

/// Defaults a Deployment.
pub(super) fn deployment(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    default_value(spec, "replicas", json!(1));
    if let Some(strategy) = ensure_child(spec, "strategy") {
        default_str(strategy, "type", "RollingUpdate");
        if str_at(strategy, "type") == Some("RollingUpdate")
            && let Some(rolling_update) = ensure_child(strategy, "rollingUpdate")
        {
            default_value(rolling_update, "maxUnavailable", json!("25%"));
            default_value(rolling_update, "maxSurge", json!("25%"));
        }
    }
    default_value(spec, "revisionHistoryLimit", json!(10));
    default_value(spec, "progressDeadlineSeconds", json!(600));
    template(spec);
}

/// Defaults a ReplicaSet.
pub(super) fn replica_set(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    default_value(spec, "replicas", json!(1));
    template(spec);
}

/// Defaults a DaemonSet.
pub(super) fn daemon_set(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    if let Some(strategy) = ensure_child(spec, "updateStrategy") {
        default_str(strategy, "type", "RollingUpdate");
        if str_at(strategy, "type") == Some("RollingUpdate")
            && let Some(rolling_update) = ensure_child(strategy, "rollingUpdate")
        {
            default_value(rolling_update, "maxUnavailable", json!(1));
            default_value(rolling_update, "maxSurge", json!(0));
        }
    }
    default_value(spec, "revisionHistoryLimit", json!(10));
    template(spec);
}

/// Defaults a StatefulSet.
pub(super) fn stateful_set(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    default_str(spec, "podManagementPolicy", "OrderedReady");
    if let Some(strategy) = ensure_child(spec, "updateStrategy") {
        if str_at(strategy, "type").is_none_or(str::is_empty) {
            strategy.insert("type".to_owned(), json!("RollingUpdate"));
            ensure_child(strategy, "rollingUpdate");
        }
        if str_at(strategy, "type") == Some("RollingUpdate")
            && let Some(rolling_update) = child(strategy, "rollingUpdate")
        {
            default_value(rolling_update, "partition", json!(0));
            default_value(rolling_update, "maxUnavailable", json!(1));
        }
    }
    if let Some(policy) = ensure_child(spec, "persistentVolumeClaimRetentionPolicy") {
        default_str(policy, "whenDeleted", "Retain");
        default_str(policy, "whenScaled", "Retain");
    }
    default_value(spec, "replicas", json!(1));
    default_value(spec, "revisionHistoryLimit", json!(10));
    template(spec);
    for claim in children(spec, "volumeClaimTemplates") {
        // Like kube-apiserver's conversion, claim templates carry their type.
        claim.insert("apiVersion".to_owned(), Value::String("v1".to_owned()));
        claim.insert("kind".to_owned(), Value::String("PersistentVolumeClaim".to_owned()));
        core::persistent_volume_claim(claim);
    }
}

fn template(spec: &mut Object) {
    if let Some(template) = ensure_child(spec, "template") {
        pod::template(template);
    }
}
