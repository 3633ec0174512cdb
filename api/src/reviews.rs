//! The APIs that store nothing: the review APIs of authentication.k8s.io and
//! authorization.k8s.io (create-only; they answer with the gate's
//! authenticators and authorizers), TokenRequest (`serviceaccounts/NAME/token`),
//! pod binding and eviction, and the pod subresources that need a kubelet.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::response::Response;
use serde_json::{Value, json};

use crate::auth::authn::{BoundRef, Claims, KubernetesClaim};
use crate::auth::{Attributes, Decision, UserInfo};
use crate::errors::{ApiError, ApiResult};
use crate::handlers::{Call, created, read_object};
use crate::registry::{DeleteOptions, ObjectRef, Part, ReadAt};
use crate::timefmt::Timestamp;
use crate::validation::field::{ErrorType, FieldError};

fn user_json(u: &UserInfo) -> Value {
    let mut v = json!({"username": u.name, "groups": u.groups});
    if !u.uid.is_empty() {
        v["uid"] = json!(u.uid);
    }
    if !u.extra.is_empty() {
        v["extra"] = json!(u.extra);
    }
    v
}

fn field_error(error_type: ErrorType, field: &str, bad: Option<Value>, detail: &str) -> FieldError {
    FieldError { error_type, field: field.into(), bad_value: bad, detail: detail.into() }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
}

/// The Attributes a (Self|Local)SubjectAccessReview spec asks about.
fn review_attributes(kind: &str, spec: &Value, user: UserInfo) -> ApiResult<Attributes> {
    let resource = &spec["resourceAttributes"];
    let non_resource = &spec["nonResourceAttributes"];
    if resource.is_object() == non_resource.is_object() {
        return Err(ApiError::invalid(
            "authorization.k8s.io",
            kind,
            "",
            &[field_error(
                ErrorType::Invalid,
                "spec.resourceAttributes",
                Some(resource.clone()),
                "exactly one of nonResourceAttributes or resourceAttributes must be specified",
            )],
        ));
    }
    let s = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    Ok(if resource.is_object() {
        Attributes {
            user,
            verb: s(resource, "verb"),
            resource_request: true,
            namespace: s(resource, "namespace"),
            api_group: s(resource, "group"),
            api_version: s(resource, "version"),
            resource: s(resource, "resource"),
            subresource: s(resource, "subresource"),
            name: s(resource, "name"),
            path: String::new(),
            field_selector: review_selector(&resource["fieldSelector"]),
            label_selector: review_selector(&resource["labelSelector"]),
        }
    } else {
        Attributes { user, verb: s(non_resource, "verb"), path: s(non_resource, "path"), ..Attributes::default() }
    })
}

/// A review's field or label selector attributes as a raw selector: the
/// `rawSelector`, else the requirements of one value each.
fn review_selector(v: &Value) -> String {
    let raw = v["rawSelector"].as_str().unwrap_or_default();
    if !raw.is_empty() {
        return raw.to_string();
    }
    let terms: Vec<String> = v["requirements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let key = r["key"].as_str()?;
            let values = strings(&r["values"]);
            match (r["operator"].as_str()?, values.as_slice()) {
                ("In", [one]) => Some(format!("{key}={one}")),
                ("NotIn", [one]) => Some(format!("{key}!={one}")),
                ("Exists", []) => Some(key.to_string()),
                ("DoesNotExist", []) => Some(format!("!{key}")),
                _ => None,
            }
        })
        .collect();
    terms.join(",")
}

async fn access_status(call: &Call<'_>, a: &Attributes) -> Value {
    let (decision, reason) = call.auth.authz.authorize(a).await;
    let mut status = json!({"allowed": decision == Decision::Allow});
    if decision == Decision::Deny && !reason.is_empty() {
        status["denied"] = json!(true);
    }
    if !reason.is_empty() {
        status["reason"] = json!(reason);
    }
    status
}

/// Runs a create on a review API.
pub async fn handle(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    if call.info.verb != "create" {
        return Err(ApiError::method_not_supported(&call.spec.group_resource(), &call.info.verb));
    }
    let mut review = read_object(call, body).await?;
    let kind = call.spec.kind.clone();
    let status = match (call.spec.group.as_str(), call.spec.plural.as_str()) {
        ("authentication.k8s.io", "selfsubjectreviews") => json!({"userInfo": user_json(&call.identity)}),
        ("authentication.k8s.io", "tokenreviews") => {
            let token = review["spec"]["token"].as_str().unwrap_or_default().to_string();
            if token.is_empty() {
                return Err(ApiError::invalid(
                    "authentication.k8s.io",
                    "TokenReview",
                    "",
                    &[field_error(ErrorType::Required, "spec.token", None, "")],
                ));
            }
            match call.auth.authn.authenticate_token(&token).await {
                Ok(user) => {
                    let audiences = strings(&review["spec"]["audiences"]);
                    let api = call.auth.authn.service_accounts().map(|sa| sa.audiences().to_vec()).unwrap_or_default();
                    let granted = if audiences.is_empty() { api } else { audiences };
                    json!({"authenticated": true, "user": user_json(&user), "audiences": granted})
                }
                Err(_) => json!({"authenticated": false, "user": {}, "error": "[invalid bearer token]"}),
            }
        }
        ("authorization.k8s.io", "selfsubjectaccessreviews") => {
            let a = review_attributes(&kind, &review["spec"], call.identity.clone())?;
            access_status(call, &a).await
        }
        ("authorization.k8s.io", "subjectaccessreviews") | ("authorization.k8s.io", "localsubjectaccessreviews") => {
            let spec = &review["spec"];
            let user = UserInfo {
                name: spec["user"].as_str().unwrap_or_default().to_string(),
                uid: spec["uid"].as_str().unwrap_or_default().to_string(),
                groups: strings(&spec["groups"]),
                extra: spec["extra"]
                    .as_object()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), strings(v))).collect::<BTreeMap<_, _>>())
                    .unwrap_or_default(),
            };
            if user.name.is_empty() && user.groups.is_empty() {
                return Err(ApiError::invalid(
                    "authorization.k8s.io",
                    &kind,
                    "",
                    &[field_error(
                        ErrorType::Invalid,
                        "spec.user",
                        Some(json!("")),
                        "at least one of user or group must be specified",
                    )],
                ));
            }
            let a = review_attributes(&kind, spec, user)?;
            if call.spec.plural == "localsubjectaccessreviews" && a.namespace != call.info.namespace {
                return Err(ApiError::bad_request(format!(
                    "spec.resourceAttributes.namespace must match namespace: {}",
                    call.info.namespace
                )));
            }
            access_status(call, &a).await
        }
        ("authorization.k8s.io", "selfsubjectrulesreviews") => {
            let namespace = review["spec"]["namespace"].as_str().unwrap_or_default();
            let rules = call.auth.authz.rules_for(&call.identity, namespace);
            let mut status = json!({
                "resourceRules": rules.resource_rules.iter().map(|r| {
                    let mut v = json!({"verbs": r.verbs, "apiGroups": r.api_groups, "resources": r.resources});
                    if !r.resource_names.is_empty() {
                        v["resourceNames"] = json!(r.resource_names);
                    }
                    v
                }).collect::<Vec<_>>(),
                "nonResourceRules": rules.non_resource_rules.iter()
                    .map(|r| json!({"verbs": r.verbs, "nonResourceURLs": r.non_resource_urls}))
                    .collect::<Vec<_>>(),
                "incomplete": rules.incomplete,
            });
            if !rules.evaluation_error.is_empty() {
                status["evaluationError"] = json!(rules.evaluation_error);
            }
            status
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

/// POST serviceaccounts/NAME/token: a bound token for the service account,
/// as kube-apiserver's TokenRequest.
pub async fn request_token(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    let Some(sa_tokens) = call.auth.authn.service_accounts() else {
        return Err(ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource (service account tokens are not configured)",
        ));
    };
    let namespace = call.info.namespace.clone();
    let name = call.info.name.clone();
    let mut request = read_body_object(body).await?;
    if request["kind"].as_str().is_some_and(|k| k != "TokenRequest") {
        return Err(ApiError::bad_request(format!(
            "{} in version {:?} cannot be handled as a TokenRequest",
            request["kind"].as_str().unwrap_or_default(),
            request["apiVersion"].as_str().unwrap_or_default()
        )));
    }
    let sa = call.registry.get(&call.spec, &namespace, &name, ReadAt::Consistent).await?.value()?;
    let spec = request.get("spec").cloned().unwrap_or_else(|| json!({}));
    let expiration = spec["expirationSeconds"].as_i64().unwrap_or(3600);
    let mut errors = Vec::new();
    if expiration < 600 {
        errors.push(field_error(
            ErrorType::Invalid,
            "spec.expirationSeconds",
            Some(json!(expiration)),
            "may not specify a duration less than 10 minutes",
        ));
    } else if expiration > 1 << 32 {
        errors.push(field_error(
            ErrorType::Invalid,
            "spec.expirationSeconds",
            Some(json!(expiration)),
            "may not specify a duration larger than 2^32 seconds",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid("authentication.k8s.io", "TokenRequest", &name, &errors));
    }
    let mut audiences = strings(&spec["audiences"]);
    if audiences.is_empty() {
        audiences = sa_tokens.audiences().to_vec();
    }
    let mut claim = KubernetesClaim {
        namespace: namespace.clone(),
        serviceaccount: BoundRef { name: name.clone(), uid: sa["metadata"]["uid"].as_str().unwrap_or_default().into() },
        ..KubernetesClaim::default()
    };
    let bound = &spec["boundObjectRef"];
    if bound.is_object() {
        let kind = bound["kind"].as_str().unwrap_or_default();
        let bound_name = bound["name"].as_str().unwrap_or_default();
        let (resource, ns) = match kind {
            "Pod" => ("pods", namespace.as_str()),
            "Secret" => ("secrets", namespace.as_str()),
            "Node" => ("nodes", ""),
            other => {
                return Err(ApiError::bad_request(format!(
                    "cannot bind token for serviceaccount {name:?} to a {other:?}: only Pod, Secret and Node are supported"
                )));
            }
        };
        let rspec = call
            .registry
            .catalog()
            .get("", "v1", resource)
            .cloned()
            .ok_or_else(|| ApiError::internal(format!("no resource {resource}")))?;
        let object = call.registry.get(&rspec, ns, bound_name, ReadAt::Consistent).await?.value()?;
        let uid = object["metadata"]["uid"].as_str().unwrap_or_default().to_string();
        if let Some(want) = bound["uid"].as_str().filter(|u| !u.is_empty())
            && want != uid
        {
            return Err(ApiError::conflict(
                &rspec.group_resource(),
                bound_name,
                &format!(
                    "the UID in the bound object reference ({want}) does not match the UID in record. The object might have been deleted and then recreated"
                ),
            ));
        }
        let r = BoundRef { name: bound_name.into(), uid };
        match kind {
            "Pod" => {
                if let Some(node) = object["spec"]["nodeName"].as_str().filter(|n| !n.is_empty())
                    && let Some(nodes) = call.registry.catalog().get("", "v1", "nodes").cloned()
                {
                    let uid = match call.registry.get(&nodes, "", node, ReadAt::Any).await {
                        Ok(n) => n.value()?["metadata"]["uid"].as_str().unwrap_or_default().to_string(),
                        Err(_) => String::new(),
                    };
                    claim.node = Some(BoundRef { name: node.into(), uid });
                }
                claim.pod = Some(r);
            }
            "Secret" => claim.secret = Some(r),
            _ => claim.node = Some(r),
        }
    }
    let now = Timestamp::now();
    let claims = Claims {
        aud: audiences.clone(),
        exp: now.seconds + expiration,
        iat: now.seconds,
        iss: sa_tokens.issuer().to_string(),
        jti: uuid::Uuid::new_v4().to_string(),
        kubernetes: claim,
        nbf: now.seconds,
        sub: format!("system:serviceaccount:{namespace}:{name}"),
    };
    let token = sa_tokens.sign(&claims).map_err(ApiError::internal)?;
    let expires = Timestamp { seconds: claims.exp, nanos: 0 };
    if let Some(m) = request.as_object_mut() {
        m.insert("apiVersion".into(), json!("authentication.k8s.io/v1"));
        m.insert("kind".into(), json!("TokenRequest"));
        m.insert("metadata".into(), json!({"name": name, "namespace": namespace, "creationTimestamp": now.rfc3339()}));
        let mut spec = spec;
        spec["audiences"] = json!(audiences);
        spec["expirationSeconds"] = json!(expiration);
        m.insert("spec".into(), spec);
        m.insert("status".into(), json!({"token": token, "expirationTimestamp": expires.rfc3339()}));
    }
    created(call, &request)
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
        user: call.identity.name.clone(),
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
