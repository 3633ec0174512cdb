//! resource.k8s.io/v1 (dynamic resource allocation) defaults: device
//! requests in claims and claim templates, and device tolerations.
//!
//! Not defaulted: a ResourceSlice device taint's `timeAdded`, which
//! kube-apiserver sets to the current time; that belongs to the registry.

use super::value::{Object, child, children, default_number, default_str, str_at};

/// Defaults a ResourceClaim.
pub(super) fn resource_claim(object: &mut Object) {
    if let Some(spec) = child(object, "spec") {
        claim_spec(spec);
    }
    if let Some(devices) = child(object, "status")
        .and_then(|status| child(status, "allocation"))
        .and_then(|allocation| child(allocation, "devices"))
    {
        for result in children(devices, "results") {
            tolerations(result);
        }
    }
}

/// Defaults a ResourceClaimTemplate.
pub(super) fn resource_claim_template(object: &mut Object) {
    if let Some(spec) = child(object, "spec").and_then(|template| child(template, "spec")) {
        claim_spec(spec);
    }
}

fn claim_spec(spec: &mut Object) {
    let Some(devices) = child(spec, "devices") else { return };
    for request in children(devices, "requests") {
        if let Some(exactly) = child(request, "exactly") {
            device_request(exactly);
        }
        for sub_request in children(request, "firstAvailable") {
            device_request(sub_request);
        }
    }
}

/// An exact request or sub-request asks for one device unless told otherwise.
fn device_request(request: &mut Object) {
    default_str(request, "allocationMode", "ExactCount");
    if str_at(request, "allocationMode") == Some("ExactCount") {
        default_number(request, "count", 1);
    }
    tolerations(request);
}

fn tolerations(object: &mut Object) {
    for toleration in children(object, "tolerations") {
        default_str(toleration, "operator", "Equal");
    }
}
