//! The APIs that store nothing: the review APIs of authentication.k8s.io and
//! authorization.k8s.io (create-only; they answer about the caller), pod
//! binding and eviction, and the pod subresources that need a kubelet.
//!
//! Until the security issue brings authentication and RBAC, the only way in
//! is an admin client certificate (group system:masters), which kube-apiserver
//! allows everything; the reviews answer accordingly.

use axum::body::Body;
use axum::response::Response;
use serde_json::{Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::handlers::{Call, created, read_object};
use crate::registry::{DeleteOptions, ObjectRef, Part};

const MASTERS: &str = "system:masters";

/// Whether a user with `groups` may do anything (kube-apiserver's
/// system:masters short-circuit).
fn is_master(groups: &[String]) -> bool {
    groups.iter().any(|g| g == MASTERS)
}

fn user_info(call: &Call<'_>) -> Value {
    json!({"username": call.identity.user, "groups": call.identity.groups})
}

/// Runs a create on a review API.
pub async fn handle(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    if call.info.verb != "create" {
        return Err(ApiError::method_not_supported(&call.spec.group_resource(), &call.info.verb));
    }
    let mut review = read_object(call, body).await?;
    let status = match (call.spec.group.as_str(), call.spec.plural.as_str()) {
        ("authentication.k8s.io", "selfsubjectreviews") => json!({"userInfo": user_info(call)}),
        ("authentication.k8s.io", "tokenreviews") => {
            if review["spec"]["token"].as_str().is_none_or(str::is_empty) {
                return Err(ApiError::invalid(
                    "authentication.k8s.io",
                    "TokenReview",
                    "",
                    &[crate::validation::field::FieldError {
                        error_type: crate::validation::field::ErrorType::Required,
                        field: "spec.token".into(),
                        bad_value: None,
                        detail: "".into(),
                    }],
                ));
            }
            // No token authenticator is configured yet: no token is valid.
            json!({"authenticated": false, "user": {}, "error": "no token authenticator is configured"})
        }
        ("authorization.k8s.io", "selfsubjectaccessreviews") => access(is_master(&call.identity.groups)),
        ("authorization.k8s.io", "subjectaccessreviews") | ("authorization.k8s.io", "localsubjectaccessreviews") => {
            if call.spec.plural == "localsubjectaccessreviews"
                && review["metadata"]["namespace"].as_str().is_some_and(|ns| ns != call.info.namespace)
            {
                return Err(ApiError::bad_request(format!(
                    "spec.resourceAttributes.namespace must match namespace: {}",
                    call.info.namespace
                )));
            }
            let groups: Vec<String> = review["spec"]["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            access(is_master(&groups))
        }
        ("authorization.k8s.io", "selfsubjectrulesreviews") => {
            if is_master(&call.identity.groups) {
                json!({
                    "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
                    "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
                    "incomplete": false,
                })
            } else {
                json!({"resourceRules": [], "nonResourceRules": [], "incomplete": true, "evaluationError": "kubox authorizes only system:masters until RBAC is available"})
            }
        }
        _ => return Err(ApiError::method_not_supported(&call.spec.group_resource(), "create")),
    };
    if let Some(m) = review.as_object_mut() {
        m.insert("status".into(), status);
        let meta = m.entry("metadata").or_insert_with(|| json!({}));
        if let Some(meta) = meta.as_object_mut() {
            meta.insert("creationTimestamp".into(), Value::Null);
        }
    }
    created(call, &review)
}

fn access(allowed: bool) -> Value {
    if allowed {
        json!({"allowed": true, "reason": ""})
    } else {
        json!({"allowed": false, "reason": "kubox authorizes only system:masters until RBAC is available"})
    }
}

/// POST pods/NAME/binding: assigns the pod to a node, as a scheduler does.
pub async fn bind_pod(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    let binding = read_body_object(body).await?;
    let node = binding["target"]["name"].as_str().unwrap_or("").to_string();
    if node.is_empty() {
        return Err(ApiError::bad_request("target.name is required"));
    }
    let ctx = call_context(call)?;
    let name = call.info.name.clone();
    let gr_name = name.clone();
    let target = ObjectRef { spec: &call.spec, namespace: &call.info.namespace, name: &name };
    call.registry
        .read_modify_write(&target, Part::Binding, &ctx, false, |current| {
            let Some(current) = current else {
                return Err(ApiError::not_found(&call.spec.group_resource(), &gr_name));
            };
            let mut pod = current.value()?;
            if let Some(existing) = pod["spec"]["nodeName"].as_str().filter(|n| !n.is_empty()) {
                return Err(ApiError::conflict(
                    &call.spec.group_resource(),
                    &gr_name,
                    &format!("pod {gr_name} is already assigned to node {existing:?}"),
                ));
            }
            if pod["metadata"]["deletionTimestamp"].is_string() {
                return Err(ApiError::conflict(
                    &call.spec.group_resource(),
                    &gr_name,
                    &format!("pod {gr_name} is being deleted, cannot be assigned to a host"),
                ));
            }
            pod["spec"]["nodeName"] = json!(node);
            let condition = json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null,
                                   "lastTransitionTime": crate::timefmt::Timestamp::now().rfc3339()});
            let conditions = pod["status"]["conditions"].as_array().cloned().unwrap_or_default();
            let mut conditions: Vec<Value> = conditions.into_iter().filter(|c| c["type"] != "PodScheduled").collect();
            conditions.push(condition);
            pod["status"]["conditions"] = Value::Array(conditions);
            Ok(pod)
        })
        .await?;
    // spec.nodeName and the PodScheduled condition are written at once.
    created(call, &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}))
}

/// A Binding or Eviction body, JSON or protobuf.
async fn read_body_object(body: Body) -> ApiResult<Value> {
    let bytes = crate::handlers::read_body(body).await?;
    // kube-scheduler sends its Bindings as protobuf.
    if bytes.starts_with(crate::protobuf::MAGIC) {
        return crate::protobuf::decode_object(&bytes).map_err(|e| ApiError::bad_request(e.to_string()));
    }
    serde_json::from_slice(&bytes).map_err(|e| ApiError::bad_request(e.to_string()))
}

fn call_context(call: &Call<'_>) -> ApiResult<crate::registry::WriteContext> {
    Ok(crate::registry::WriteContext {
        dry_run: call.query.get("dryRun") == Some("All"),
        field_manager: crate::managedfields::manager_name(call.query.get("fieldManager"), None),
        user: call.identity.user.clone(),
        groups: call.identity.groups.clone(),
    })
}

/// POST pods/NAME/eviction: deletes the pod (no disruption budget is
/// consulted until the disruption controller exists).
pub async fn evict_pod(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    let eviction = read_body_object(body).await?;
    let opts = DeleteOptions {
        grace_period_seconds: eviction["deleteOptions"]["gracePeriodSeconds"].as_i64(),
        uid: eviction["deleteOptions"]["preconditions"]["uid"].as_str().map(str::to_string),
        ..DeleteOptions::default()
    };
    let ctx = call_context(call)?;
    call.registry.delete(&call.spec, &call.info.namespace, &call.info.name, &opts, &ctx).await?;
    created(call, &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}))
}

/// log, exec, attach, portforward and proxy need a kubelet; kubox has none,
/// so they fail as kube-apiserver fails them for a pod with no node.
pub async fn needs_kubelet(call: &Call<'_>) -> ApiResult<Response> {
    let pod = call
        .registry
        .get(&call.spec, &call.info.namespace, &call.info.name, crate::registry::ReadAt::Consistent)
        .await?;
    match pod.value()?["spec"]["nodeName"].as_str().filter(|n| !n.is_empty()) {
        None => Err(ApiError::bad_request(format!("pod {} does not have a host assigned", call.info.name))),
        Some(node) => Err(ApiError::service_unavailable(format!(
            "kubox cannot reach a kubelet for node {node:?}: {} needs a kubelet connection",
            call.info.subresource
        ))),
    }
}
