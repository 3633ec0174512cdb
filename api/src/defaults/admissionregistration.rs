//! admissionregistration.k8s.io/v1 defaults: webhook configurations and
//! validating admission policies.

use serde_json::json;

use super::value::{Object, child, children, default_value, ensure_child};

/// Defaults a ValidatingWebhookConfiguration (`mutating` false) or a
/// MutatingWebhookConfiguration (`mutating` true).
pub(super) fn webhook_configuration(object: &mut Object, mutating: bool) {
    for webhook in children(object, "webhooks") {
        default_value(webhook, "failurePolicy", json!("Fail"));
        default_value(webhook, "matchPolicy", json!("Equivalent"));
        default_value(webhook, "namespaceSelector", json!({}));
        default_value(webhook, "objectSelector", json!({}));
        default_value(webhook, "timeoutSeconds", json!(10));
        if mutating {
            default_value(webhook, "reinvocationPolicy", json!("Never"));
        }
        rules(webhook, "rules");
        if let Some(service) = child(webhook, "clientConfig").and_then(|config| child(config, "service")) {
            default_value(service, "port", json!(443));
        }
    }
}

/// Defaults a ValidatingAdmissionPolicy.
pub(super) fn validating_admission_policy(object: &mut Object) {
    let Some(spec) = ensure_child(object, "spec") else { return };
    default_value(spec, "failurePolicy", json!("Fail"));
    if let Some(constraints) = child(spec, "matchConstraints") {
        match_resources(constraints);
    }
}

/// Defaults a ValidatingAdmissionPolicyBinding.
pub(super) fn validating_admission_policy_binding(object: &mut Object) {
    if let Some(resources) = child(object, "spec").and_then(|spec| child(spec, "matchResources")) {
        match_resources(resources);
    }
}

fn match_resources(resources: &mut Object) {
    default_value(resources, "matchPolicy", json!("Equivalent"));
    default_value(resources, "namespaceSelector", json!({}));
    default_value(resources, "objectSelector", json!({}));
    rules(resources, "resourceRules");
    rules(resources, "excludeResourceRules");
}

/// Rules apply to resources of every scope unless told otherwise.
fn rules(object: &mut Object, key: &str) {
    for rule in children(object, key) {
        default_value(rule, "scope", json!("*"));
    }
}
