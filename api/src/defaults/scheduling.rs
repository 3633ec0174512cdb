//! scheduling.k8s.io/v1 defaults: PriorityClass.

use serde_json::json;

use super::value::{Object, default_value};

/// Defaults a PriorityClass: it preempts lower priorities unless told not to.
pub(super) fn priority_class(object: &mut Object) {
    default_value(object, "preemptionPolicy", json!("PreemptLowerPriority"));
}
