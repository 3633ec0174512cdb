//! flowcontrol.apiserver.k8s.io/v1 defaults: FlowSchema and
//! PriorityLevelConfiguration.

use serde_json::json;

use super::value::{Object, child, default_number, default_value, ensure_child};

/// Defaults a FlowSchema: precedence 1000 when unset.
pub(super) fn flow_schema(object: &mut Object) {
    if let Some(spec) = ensure_child(object, "spec") {
        default_number(spec, "matchingPrecedence", 1000);
    }
}

/// Defaults a PriorityLevelConfiguration.
pub(super) fn priority_level_configuration(object: &mut Object) {
    let Some(spec) = child(object, "spec") else { return };
    if let Some(limited) = child(spec, "limited") {
        default_value(limited, "nominalConcurrencyShares", json!(30));
        default_value(limited, "lendablePercent", json!(0));
        if let Some(queuing) = child(limited, "limitResponse").and_then(|response| child(response, "queuing")) {
            default_number(queuing, "handSize", 8);
            default_number(queuing, "queues", 64);
            default_number(queuing, "queueLengthLimit", 50);
        }
    }
    if let Some(exempt) = child(spec, "exempt") {
        default_value(exempt, "nominalConcurrencyShares", json!(0));
        default_value(exempt, "lendablePercent", json!(0));
    }
}
