//! autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscaler defaults.

use serde_json::{Value, json};

use super::value::{Object, child, default_value, ensure_child, is_empty, is_nil};

/// Defaults an autoscaling/v1 HorizontalPodAutoscaler.
pub(super) fn horizontal_pod_autoscaler_v1(object: &mut Object) {
    if let Some(spec) = ensure_child(object, "spec") {
        default_value(spec, "minReplicas", json!(1));
    }
}

/// Defaults an autoscaling/v2 HorizontalPodAutoscaler: one replica at least,
/// 80% average CPU utilization when no metric is given, and (when a behavior
/// is given at all) the scaling rules kube-apiserver fills in.
pub(super) fn horizontal_pod_autoscaler_v2(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    default_value(spec, "minReplicas", json!(1));
    if is_empty(spec, "metrics") {
        spec.insert(
            "metrics".to_owned(),
            json!([{
                "type": "Resource",
                "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 80 } },
            }]),
        );
    }
    if let Some(behavior) = child(spec, "behavior") {
        let scale_up = json!({
            "stabilizationWindowSeconds": 0,
            "selectPolicy": "Max",
            "policies": [
                { "type": "Pods", "value": 4, "periodSeconds": 15 },
                { "type": "Percent", "value": 100, "periodSeconds": 15 },
            ],
        });
        // Scale-down keeps no stabilization window: the controller's flag decides it.
        let scale_down = json!({
            "selectPolicy": "Max",
            "policies": [{ "type": "Percent", "value": 100, "periodSeconds": 15 }],
        });
        scaling_rules(behavior, "scaleUp", scale_up);
        scaling_rules(behavior, "scaleDown", scale_down);
    }
}

/// The default rules, overridden field by field by those given.
fn scaling_rules(behavior: &mut Object, key: &str, defaults: Value) {
    let Value::Object(mut rules) = defaults else { return };
    if let Some(given) = child(behavior, key) {
        for field in ["selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance"] {
            if !is_nil(given, field)
                && let Some(value) = given.get(field)
            {
                rules.insert(field.to_owned(), value.clone());
            }
        }
        for (field, value) in given.iter() {
            rules.entry(field.clone()).or_insert_with(|| value.clone());
        }
    }
    behavior.insert(key.to_owned(), Value::Object(rules));
}
