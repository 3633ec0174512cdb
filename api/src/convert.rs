//! Conversion between the group-versions a resource is served in and the one
//! it is stored in. Among the built-in GA APIs there are two:
//!
//! - HorizontalPodAutoscaler: autoscaling/v1 (CPU target only) and
//!   autoscaling/v2 (metrics), stored as v2. As kube-apiserver, v2 metrics
//!   that v1 cannot express travel in the `autoscaling.alpha.kubernetes.io/*`
//!   annotations, so a v1 round trip loses nothing.
//! - Event: events.k8s.io/v1 Events are core v1 Events under other field
//!   names (regarding, note, reportingController, deprecated*), stored as
//!   core v1 so both APIs see the same objects.

use serde_json::{Map, Value, json};

use crate::catalog::ResourceSpec;
use crate::defaults;
use crate::errors::{ApiError, ApiResult};

const METRICS: &str = "autoscaling.alpha.kubernetes.io/metrics";
const CURRENT_METRICS: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
const CONDITIONS: &str = "autoscaling.alpha.kubernetes.io/conditions";
const BEHAVIOR: &str = "autoscaling.alpha.kubernetes.io/behavior";

/// Converts a request object in `spec`'s version to `storage`'s version,
/// applying the storage version's defaults as kube-apiserver does on decode.
pub fn to_storage(object: &Value, spec: &ResourceSpec, storage: &ResourceSpec) -> ApiResult<Value> {
    if spec.group == storage.group && spec.version == storage.version {
        return Ok(object.clone());
    }
    if spec.custom.is_some() {
        // A custom resource with conversion strategy None: the object is the
        // same in every version but for its apiVersion.
        let mut out = object.clone();
        out["apiVersion"] = serde_json::json!(storage.api_version());
        return Ok(out);
    }
    let mut out = convert(object, &spec.kind, &storage.group, &storage.version)?;
    defaults::apply(&storage.group, &storage.version, &storage.kind, &mut out);
    Ok(out)
}

/// Converts an object of `kind` to `to_group`/`to_version` from the other
/// group-version the kind is served in.
pub fn convert(object: &Value, kind: &str, to_group: &str, to_version: &str) -> ApiResult<Value> {
    match (kind, to_group, to_version) {
        ("HorizontalPodAutoscaler", "autoscaling", "v1") => Ok(hpa_v2_to_v1(object)),
        ("HorizontalPodAutoscaler", "autoscaling", "v2") => Ok(hpa_v1_to_v2(object)),
        ("Event", "events.k8s.io", "v1") => Ok(core_event_to_events_v1(object)),
        ("Event", "", "v1") => Ok(rename_event_fields(object, "v1", |(core, events)| (events, core))),
        _ => Err(ApiError::internal(format!("no conversion of {kind} to {to_group}/{to_version}"))),
    }
}

/// Core v1 Event fields and their events.k8s.io/v1 names; the other fields
/// (action, eventTime, reason, related, reportingInstance, series, type)
/// have the same name in both.
const EVENT_RENAMES: &[(&str, &str)] = &[
    ("involvedObject", "regarding"),
    ("message", "note"),
    ("reportingComponent", "reportingController"),
    ("source", "deprecatedSource"),
    ("firstTimestamp", "deprecatedFirstTimestamp"),
    ("lastTimestamp", "deprecatedLastTimestamp"),
    ("count", "deprecatedCount"),
];

/// A core v1 Event as an events.k8s.io/v1 Event.
fn core_event_to_events_v1(event: &Value) -> Value {
    let mut out = rename_event_fields(event, "events.k8s.io/v1", |pair| pair);
    // Core v1 always writes reportingComponent and reportingInstance;
    // events.k8s.io/v1 leaves these (and its other strings and the count)
    // out when empty, as Go's `omitempty` does.
    if let Some(fields) = out.as_object_mut() {
        fields.retain(|key, value| match key.as_str() {
            "reportingController" | "reportingInstance" | "action" | "reason" | "note" | "type" => value != "",
            "deprecatedCount" => value != 0,
            _ => true,
        });
    }
    defaults::apply("events.k8s.io", "v1", "Event", &mut out);
    out
}

/// An Event with its fields renamed by [`EVENT_RENAMES`], each pair turned
/// into (from, to) by `direction`. A field the target does not have is
/// dropped, as the typed conversion drops it.
fn rename_event_fields(
    event: &Value,
    api_version: &str,
    direction: fn((&'static str, &'static str)) -> (&'static str, &'static str),
) -> Value {
    let Some(fields) = event.as_object() else {
        return event.clone();
    };
    let renames: Vec<(&str, &str)> = EVENT_RENAMES.iter().map(|pair| direction(*pair)).collect();
    let mut out = Map::new();
    for (key, value) in fields {
        if let Some((_, to)) = renames.iter().find(|(from, _)| from == key) {
            out.insert((*to).to_string(), value.clone());
        } else if !renames.iter().any(|(_, to)| to == key) {
            out.insert(key.clone(), value.clone());
        }
    }
    out.insert("apiVersion".into(), json!(api_version));
    Value::Object(out)
}

fn is_cpu_utilization(metric: &Value) -> bool {
    metric["type"] == "Resource"
        && metric["resource"]["name"] == "cpu"
        && metric["resource"]["target"]["type"] == "Utilization"
}

fn annotations(o: &mut Value) -> &mut Map<String, Value> {
    let m = o.as_object_mut().expect("HPA objects are JSON objects");
    let meta = m.entry("metadata").or_insert_with(|| json!({}));
    let meta = meta.as_object_mut().expect("metadata is an object");
    let ann = meta.entry("annotations").or_insert_with(|| json!({}));
    if !ann.is_object() {
        *ann = json!({});
    }
    ann.as_object_mut().expect("annotations made an object above")
}

fn hpa_v2_to_v1(v2: &Value) -> Value {
    let mut out = v2.clone();
    if !out.is_object() {
        return out;
    }
    out["apiVersion"] = json!("autoscaling/v1");
    let spec = v2["spec"].clone();
    let mut v1_spec = Map::new();
    for k in ["scaleTargetRef", "minReplicas", "maxReplicas"] {
        if let Some(v) = spec.get(k) {
            v1_spec.insert(k.into(), v.clone());
        }
    }
    let mut other_metrics = Vec::new();
    for m in spec["metrics"].as_array().into_iter().flatten() {
        if is_cpu_utilization(m) && !v1_spec.contains_key("targetCPUUtilizationPercentage") {
            if let Some(u) = m["resource"]["target"].get("averageUtilization") {
                v1_spec.insert("targetCPUUtilizationPercentage".into(), u.clone());
            }
        } else {
            other_metrics.push(m.clone());
        }
    }
    let status = v2["status"].clone();
    let mut v1_status = Map::new();
    for k in ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"] {
        if let Some(v) = status.get(k) {
            v1_status.insert(k.into(), v.clone());
        }
    }
    let mut other_current = Vec::new();
    for m in status["currentMetrics"].as_array().into_iter().flatten() {
        if m["type"] == "Resource"
            && m["resource"]["name"] == "cpu"
            && !v1_status.contains_key("currentCPUUtilizationPercentage")
        {
            if let Some(u) = m["resource"]["current"].get("averageUtilization") {
                v1_status.insert("currentCPUUtilizationPercentage".into(), u.clone());
            }
        } else {
            other_current.push(m.clone());
        }
    }
    if status.is_object() && !v1_status.contains_key("currentReplicas") {
        v1_status.insert("currentReplicas".into(), json!(0));
    }
    if status.is_object() && !v1_status.contains_key("desiredReplicas") {
        v1_status.insert("desiredReplicas".into(), json!(0));
    }
    let ann = annotations(&mut out);
    if !other_metrics.is_empty() {
        ann.insert(METRICS.into(), json!(Value::Array(other_metrics).to_string()));
    }
    if !other_current.is_empty() {
        ann.insert(CURRENT_METRICS.into(), json!(Value::Array(other_current).to_string()));
    }
    if let Some(c) = status.get("conditions").filter(|c| c.as_array().is_some_and(|a| !a.is_empty())) {
        ann.insert(CONDITIONS.into(), json!(c.to_string()));
    }
    if let Some(b) = spec.get("behavior") {
        ann.insert(BEHAVIOR.into(), json!(b.to_string()));
    }
    if ann.is_empty()
        && let Some(meta) = out["metadata"].as_object_mut()
    {
        meta.remove("annotations");
    }
    out["spec"] = Value::Object(v1_spec);
    if status.is_object() {
        out["status"] = Value::Object(v1_status);
    }
    out
}

fn hpa_v1_to_v2(v1: &Value) -> Value {
    let mut out = v1.clone();
    if !out.is_object() {
        return out;
    }
    out["apiVersion"] = json!("autoscaling/v2");
    let take = |o: &mut Value, key: &str| -> Option<Value> {
        let ann = o["metadata"]["annotations"].as_object_mut()?;
        let raw = ann.remove(key)?;
        serde_json::from_str(raw.as_str()?).ok()
    };
    let extra_metrics = take(&mut out, METRICS);
    let extra_current = take(&mut out, CURRENT_METRICS);
    let conditions = take(&mut out, CONDITIONS);
    let behavior = take(&mut out, BEHAVIOR);
    if out["metadata"]["annotations"].as_object().is_some_and(Map::is_empty)
        && let Some(meta) = out["metadata"].as_object_mut()
    {
        meta.remove("annotations");
    }
    let spec = v1["spec"].clone();
    let mut v2_spec = Map::new();
    for k in ["scaleTargetRef", "minReplicas", "maxReplicas"] {
        if let Some(v) = spec.get(k) {
            v2_spec.insert(k.into(), v.clone());
        }
    }
    let mut metrics = Vec::new();
    if let Some(u) = spec.get("targetCPUUtilizationPercentage") {
        metrics.push(json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": u}}}));
    }
    if let Some(Value::Array(more)) = extra_metrics {
        metrics.extend(more);
    }
    if !metrics.is_empty() {
        v2_spec.insert("metrics".into(), Value::Array(metrics));
    }
    if let Some(b) = behavior {
        v2_spec.insert("behavior".into(), b);
    }
    out["spec"] = Value::Object(v2_spec);
    let status = v1["status"].clone();
    if status.is_object() {
        let mut v2_status = Map::new();
        for k in ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"] {
            if let Some(v) = status.get(k) {
                v2_status.insert(k.into(), v.clone());
            }
        }
        let mut current = Vec::new();
        if let Some(u) = status.get("currentCPUUtilizationPercentage") {
            current
                .push(json!({"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": u}}}));
        }
        if let Some(Value::Array(more)) = extra_current {
            current.extend(more);
        }
        if !current.is_empty() {
            v2_status.insert("currentMetrics".into(), Value::Array(current));
        }
        if let Some(c) = conditions {
            v2_status.insert("conditions".into(), c);
        }
        out["status"] = Value::Object(v2_status);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hpa_round_trips_through_v1() {
        let v2 = json!({
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "h"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "d", "apiVersion": "apps/v1"}, "minReplicas": 1, "maxReplicas": 5,
                     "metrics": [
                        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}},
                        {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "1Gi"}}}]},
        });
        let v1 = hpa_v2_to_v1(&v2);
        assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 50);
        assert!(v1["metadata"]["annotations"][METRICS].as_str().unwrap().contains("memory"));
        let back = hpa_v1_to_v2(&v1);
        assert_eq!(back, v2);
    }

    #[test]
    fn events_convert_between_core_and_events_k8s_io() {
        let core = json!({
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "d"},
            "involvedObject": {"kind": "Pod", "name": "p"}, "message": "m", "reason": "R", "type": "Normal",
            "source": {"component": "kubelet"}, "firstTimestamp": "2026-01-02T03:04:05Z",
            "lastTimestamp": "2026-01-02T03:04:06Z", "count": 3, "reportingComponent": "c", "reportingInstance": "i",
            "action": "A", "eventTime": null, "series": {"count": 2, "lastObservedTime": "2026-01-02T03:04:06.000001Z"},
        });
        let events = convert(&core, "Event", "events.k8s.io", "v1").unwrap();
        assert_eq!(events["apiVersion"], "events.k8s.io/v1");
        assert_eq!(events["regarding"]["kind"], "Pod");
        assert_eq!(events["note"], "m");
        assert_eq!(events["deprecatedCount"], 3);
        assert_eq!(events["deprecatedSource"]["component"], "kubelet");
        assert_eq!(events["reportingController"], "c");
        assert_eq!(events["series"]["count"], 2);
        assert!(events.get("message").is_none() && events.get("involvedObject").is_none());
        assert_eq!(convert(&events, "Event", "", "v1").unwrap(), core);
    }
}
