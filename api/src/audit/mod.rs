//! Auditing (`--audit-policy-file`, `--audit-log-*`, `--audit-webhook-*`):
//! a record of who did what, as kube-apiserver's audit filter keeps it.
//!
//! - [`policy`]: which requests are recorded at which level.
//! - [`Recorder`]: one request's event, built by the server's gate as the
//!   request goes (authenticated user, authorization decision, impersonated
//!   user) and by body wrappers that copy the request and response bodies
//!   when the level asks for them. It emits `RequestReceived`,
//!   `ResponseStarted` (watches), `ResponseComplete` and `Panic` events.
//! - [`log`] and [`webhook`]: the backends. Each has a bounded queue and a
//!   writer of its own; the request path only hands an event over (bodies are
//!   decoded and events serialized by the writer), and a full queue drops
//!   the event and says so in the log rather than slowing requests.

pub mod log;
pub mod policy;
pub mod webhook;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderMap, Method, header};
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use parking_lot::Mutex;
use serde::Serialize;
use serde_json::Value;

pub use self::policy::{Level, Policy, Stage};
use crate::auth::{Attributes, UserInfo};
use crate::timefmt::Timestamp;

/// The response header that carries a request's audit ID.
pub const AUDIT_ID_HEADER: &str = "audit-id";

/// Bodies larger than this are not copied into events.
const MAX_RECORDED_BODY: usize = crate::handlers::MAX_BODY_BYTES;

/// A user as events show it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EventUser {
    /// The name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub username: String,
    /// The uid.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// The groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Extra attributes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Vec<String>>,
}

impl From<&UserInfo> for EventUser {
    fn from(u: &UserInfo) -> Self {
        Self { username: u.name.clone(), uid: u.uid.clone(), groups: u.groups.clone(), extra: u.extra.clone() }
    }
}

/// The object a request is about.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// The resource.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource: String,
    /// The namespace.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// The name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The uid, from the request body.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// The API group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_group: String,
    /// The API version.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// The resourceVersion, from the request body.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// The subresource.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subresource: String,
}

/// An audit.k8s.io/v1 Event, with its fields in kube-apiserver's order.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Always `Event`.
    pub kind: &'static str,
    /// Always `audit.k8s.io/v1`.
    pub api_version: &'static str,
    /// The level.
    pub level: &'static str,
    /// The request's audit ID.
    #[serde(rename = "auditID")]
    pub audit_id: String,
    /// The stage.
    pub stage: &'static str,
    /// The path and query.
    #[serde(rename = "requestURI")]
    pub request_uri: String,
    /// The verb (lowercase HTTP method for non-resource requests).
    pub verb: String,
    /// The authenticated user.
    pub user: EventUser,
    /// The user impersonated, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impersonated_user: Option<EventUser>,
    /// X-Forwarded-For, X-Real-Ip and the peer address.
    #[serde(rename = "sourceIPs", skip_serializing_if = "Vec::is_empty")]
    pub source_ips: Vec<String>,
    /// The User-Agent.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_agent: String,
    /// The object, for resource requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_ref: Option<ObjectRef>,
    /// The response's status: the code, and for failures the Status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_status: Option<Value>,
    /// The request body (levels Request and RequestResponse).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_object: Option<Value>,
    /// The response body (level RequestResponse).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_object: Option<Value>,
    /// When the request arrived.
    pub request_received_timestamp: String,
    /// When this stage was reached.
    pub stage_timestamp: String,
    /// Annotations (the authorization decision and reason, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// Bodies copied from a request and its response, decoded by the backend's
/// writer rather than on the request path.
#[derive(Debug, Default)]
pub struct Bodies {
    request: Option<(Bytes, String)>,
    response: Option<(Bytes, String)>,
    omit_managed_fields: bool,
    fill_object_ref: bool,
}

/// An event on its way to the backends.
#[derive(Clone, Debug)]
pub struct PendingEvent {
    event: Event,
    bodies: Option<Arc<Bodies>>,
}

impl PendingEvent {
    /// The finished event: bodies decoded into `requestObject`,
    /// `responseObject` and the object reference.
    pub fn finish(self) -> Event {
        let mut event = self.event;
        let Some(bodies) = self.bodies else { return event };
        let request = bodies.request.as_ref().and_then(|(b, ct)| decode_body(b, ct));
        if bodies.fill_object_ref
            && let (Some(r), Some(object_ref)) = (&request, event.object_ref.as_mut())
        {
            // As kube-apiserver, the object reference is completed from the
            // request's object.
            let meta = &r["metadata"];
            let fill = |slot: &mut String, v: &Value| {
                if slot.is_empty()
                    && let Some(s) = v.as_str()
                {
                    *slot = s.to_string();
                }
            };
            fill(&mut object_ref.namespace, &meta["namespace"]);
            fill(&mut object_ref.name, &meta["name"]);
            fill(&mut object_ref.uid, &meta["uid"]);
            fill(&mut object_ref.resource_version, &meta["resourceVersion"]);
        }
        if event.level != Level::Metadata.as_str() {
            event.request_object = request;
            if event.level == Level::RequestResponse.as_str() {
                event.response_object = bodies.response.as_ref().and_then(|(b, ct)| decode_body(b, ct));
            }
            if bodies.omit_managed_fields {
                for o in [&mut event.request_object, &mut event.response_object].into_iter().flatten() {
                    omit_managed_fields(o);
                }
            }
        }
        event
    }
}

/// The finished event of one handed to several backends.
pub fn finish(event: Arc<PendingEvent>) -> Event {
    Arc::try_unwrap(event).unwrap_or_else(|shared| (*shared).clone()).finish()
}

/// Decodes a body by its content type: JSON, YAML, or Kubernetes protobuf.
fn decode_body(bytes: &Bytes, content_type: &str) -> Option<Value> {
    let media = content_type.split(';').next().unwrap_or("").trim();
    if bytes.is_empty() {
        return None;
    }
    if media.contains("protobuf") {
        return crate::protobuf::decode_object(bytes).ok();
    }
    if media.ends_with("yaml") {
        return serde_saphyr::from_slice(bytes).ok();
    }
    serde_json::from_slice(bytes).ok()
}

fn omit_managed_fields(object: &mut Value) {
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    if let Some(items) = object.get_mut("items").and_then(Value::as_array_mut) {
        for item in items {
            if let Some(meta) = item.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("managedFields");
            }
        }
    }
}

/// Where events go.
pub trait Backend: Send + Sync {
    /// Takes an event; never waits.
    fn process(&self, event: Arc<PendingEvent>);
}

/// A bounded queue in front of a backend's writer. A full queue drops the
/// event: auditing must not slow the request path without bound.
pub struct Queue {
    name: &'static str,
    tx: tokio::sync::mpsc::Sender<Arc<PendingEvent>>,
    dropped: AtomicU64,
}

impl Queue {
    /// A queue of `capacity` events and its receiving end.
    pub fn new(name: &'static str, capacity: usize) -> (Self, tokio::sync::mpsc::Receiver<Arc<PendingEvent>>) {
        let (tx, rx) = tokio::sync::mpsc::channel(capacity.max(1));
        (Self { name, tx, dropped: AtomicU64::new(0) }, rx)
    }
}

impl Backend for Queue {
    fn process(&self, event: Arc<PendingEvent>) {
        if self.tx.try_send(event).is_err() {
            let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_power_of_two() {
                tracing::error!(backend = self.name, dropped = n, "audit queue full or closed: events dropped");
            }
        }
    }
}

/// The audit policy and the backends.
pub struct Auditor {
    policy: Policy,
    backends: Vec<Arc<dyn Backend>>,
}

impl Auditor {
    /// An auditor sending events that `policy` asks for to `backends`.
    pub fn new(policy: Policy, backends: Vec<Arc<dyn Backend>>) -> Self {
        Self { policy, backends }
    }

    fn send(&self, event: PendingEvent) {
        let event = Arc::new(event);
        for b in &self.backends {
            b.process(event.clone());
        }
    }

    /// Starts recording a request by `user` (authenticated, before
    /// impersonation), unless the policy says None. Emits RequestReceived.
    pub fn begin(self: &Arc<Self>, request: &RequestFacts, a: &Attributes) -> Option<Arc<Recorder>> {
        let decision = self.policy.evaluate(a, true);
        if decision.level == Level::None {
            return None;
        }
        let event = base_event(request, a, decision.level, true);
        let write = matches!(a.verb.as_str(), "create" | "update");
        // At Metadata the body of a create or update is still read, for the
        // object reference's name, uid and resourceVersion.
        let capture_request = a.resource_request && (write || decision.level >= Level::Request);
        let recorder = Arc::new(Recorder {
            auditor: self.clone(),
            decision,
            event: Mutex::new(event),
            request_body: Mutex::new(Captured::new(capture_request)),
            response_body: Mutex::new(Captured::new(
                decision.level == Level::RequestResponse && a.verb != "watch" && a.resource_request,
            )),
            request_content_type: request.content_type.clone(),
            response_content_type: Mutex::new(String::new()),
            fill_object_ref: write,
            completed: AtomicBool::new(false),
        });
        recorder.emit(Stage::RequestReceived, None);
        Some(recorder)
    }

    /// Records a request that failed authentication (kube-apiserver's
    /// failed-authentication audit: one ResponseStarted event, code 401).
    pub fn failed_authentication(&self, request: &RequestFacts, a: &Attributes, auth_methods: &str) {
        let decision = self.policy.evaluate(a, false);
        if decision.level == Level::None || decision.omit_stages.contains(Stage::ResponseStarted) {
            return;
        }
        let mut event = base_event(request, a, decision.level, false);
        event.stage = Stage::ResponseStarted.as_str();
        event.response_status = Some(serde_json::json!({"metadata": {}, "message": auth_methods, "code": 401}));
        self.send(PendingEvent { event, bodies: None });
    }
}

/// What the gate knows of a request before authentication.
#[derive(Clone, Debug, Default)]
pub struct RequestFacts {
    /// The audit ID (the client's Audit-ID header, or a new UUID).
    pub audit_id: String,
    /// Path and query.
    pub request_uri: String,
    /// X-Forwarded-For, X-Real-Ip and the peer address.
    pub source_ips: Vec<String>,
    /// The User-Agent.
    pub user_agent: String,
    /// The request's Content-Type.
    pub content_type: String,
    /// When it arrived.
    pub received: Timestamp,
}

impl RequestFacts {
    /// The client's Audit-ID header, or a new UUID.
    pub fn audit_id(headers: &HeaderMap) -> String {
        headers
            .get(AUDIT_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 128)
            .map(str::to_string)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
    }

    /// The facts of a request from `peer`.
    pub fn new(uri: &http::Uri, headers: &HeaderMap, peer: Option<IpAddr>, received: Timestamp) -> Self {
        let header = |name: header::HeaderName| {
            headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string).unwrap_or_default()
        };
        Self {
            audit_id: Self::audit_id(headers),
            request_uri: uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| uri.path().into()),
            source_ips: source_ips(headers, peer),
            user_agent: header(header::USER_AGENT),
            content_type: header(header::CONTENT_TYPE),
            received,
        }
    }
}

/// kube-apiserver's SourceIPs: X-Forwarded-For, then X-Real-Ip, then the
/// peer, each once.
fn source_ips(headers: &HeaderMap, peer: Option<IpAddr>) -> Vec<String> {
    let mut ips: Vec<String> = Vec::new();
    let mut push = |ip: IpAddr| {
        let s = ip.to_string();
        if !ips.contains(&s) {
            ips.push(s);
        }
    };
    if let Some(v) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        for part in v.split(',') {
            if let Ok(ip) = part.trim().parse::<IpAddr>() {
                push(ip);
            }
        }
    }
    if let Some(ip) = headers.get("x-real-ip").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok()) {
        push(ip);
    }
    if let Some(ip) = peer {
        push(ip);
    }
    ips
}

fn base_event(request: &RequestFacts, a: &Attributes, level: Level, authenticated: bool) -> Event {
    let object_ref = a.resource_request.then(|| ObjectRef {
        resource: a.resource.clone(),
        namespace: a.namespace.clone(),
        name: a.name.clone(),
        api_group: a.api_group.clone(),
        api_version: a.api_version.clone(),
        subresource: a.subresource.clone(),
        ..ObjectRef::default()
    });
    let received = request.received.rfc3339_micro();
    Event {
        kind: "Event",
        api_version: "audit.k8s.io/v1",
        level: level.as_str(),
        audit_id: request.audit_id.clone(),
        stage: Stage::RequestReceived.as_str(),
        request_uri: request.request_uri.clone(),
        verb: a.verb.clone(),
        user: if authenticated { EventUser::from(&a.user) } else { EventUser::default() },
        impersonated_user: None,
        source_ips: request.source_ips.clone(),
        user_agent: request.user_agent.clone(),
        object_ref,
        response_status: None,
        request_object: None,
        response_object: None,
        request_received_timestamp: received.clone(),
        stage_timestamp: received,
        annotations: BTreeMap::new(),
    }
}

/// kube-apiserver's words for the credentials a failed request tried.
pub fn auth_methods(headers: &HeaderMap, query: Option<&str>, certificate: bool) -> String {
    let mut methods = Vec::new();
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("").trim();
    let mut parts = auth.split(' ');
    match (parts.next(), parts.next()) {
        (Some(scheme), Some(_)) if scheme.eq_ignore_ascii_case("basic") => methods.push("basic"),
        (Some(scheme), Some(_)) if scheme.eq_ignore_ascii_case("bearer") => methods.push("bearer"),
        _ => {}
    }
    if crate::handlers::Query::parse(query).get("access_token").is_some_and(|t| !t.trim().is_empty()) {
        methods.push("access_token");
    }
    if certificate {
        methods.push("x509");
    }
    if methods.is_empty() {
        "Authentication failed, no credentials provided".into()
    } else {
        format!("Authentication failed, attempted: {}", methods.join(", "))
    }
}

/// A body being copied, up to [`MAX_RECORDED_BODY`].
#[derive(Debug, Default)]
struct Captured {
    wanted: bool,
    chunks: Vec<Bytes>,
    len: usize,
    overflowed: bool,
}

impl Captured {
    fn new(wanted: bool) -> Self {
        Self { wanted, ..Self::default() }
    }

    fn push(&mut self, chunk: &Bytes) {
        if !self.wanted || self.overflowed {
            return;
        }
        self.len += chunk.len();
        if self.len > MAX_RECORDED_BODY {
            self.overflowed = true;
            self.chunks.clear();
            return;
        }
        self.chunks.push(chunk.clone());
    }

    fn take(&mut self) -> Option<Bytes> {
        if !self.wanted || self.overflowed || self.chunks.is_empty() {
            return None;
        }
        let chunks = std::mem::take(&mut self.chunks);
        if chunks.len() == 1 {
            return chunks.into_iter().next();
        }
        let mut all = Vec::with_capacity(self.len);
        for c in &chunks {
            all.extend_from_slice(c);
        }
        Some(Bytes::from(all))
    }
}

/// One request's audit record.
pub struct Recorder {
    auditor: Arc<Auditor>,
    decision: policy::Decision,
    event: Mutex<Event>,
    request_body: Mutex<Captured>,
    response_body: Mutex<Captured>,
    request_content_type: String,
    response_content_type: Mutex<String>,
    fill_object_ref: bool,
    completed: AtomicBool,
}

impl Recorder {
    /// Notes the authorization decision, as kube-apiserver's annotations.
    pub fn authorized(&self, allowed: bool, reason: &str) {
        let mut e = self.event.lock();
        e.annotations.insert("authorization.k8s.io/decision".into(), if allowed { "allow" } else { "forbid" }.into());
        e.annotations.insert("authorization.k8s.io/reason".into(), reason.into());
    }

    /// Notes the user the request acts as.
    pub fn impersonated(&self, user: &UserInfo) {
        self.event.lock().impersonated_user = Some(EventUser::from(user));
    }

    fn emit(&self, stage: Stage, bodies: Option<Arc<Bodies>>) {
        if self.decision.omit_stages.contains(stage) {
            return;
        }
        let mut event = self.event.lock().clone();
        event.stage = stage.as_str();
        event.stage_timestamp = Timestamp::now().rfc3339_micro();
        if stage == Stage::RequestReceived {
            event.stage_timestamp = event.request_received_timestamp.clone();
        }
        self.auditor.send(PendingEvent { event, bodies });
    }

    /// Notes the response's status: its code, and for a failure the Status
    /// the handler rendered.
    pub fn response_status(&self, code: u16, status: Option<&Value>) {
        let value = match status {
            Some(s) if code >= 400 || s["status"] == "Failure" => {
                let mut s = s.clone();
                if let Some(o) = s.as_object_mut() {
                    o.remove("kind");
                    o.remove("apiVersion");
                    o.insert("code".into(), Value::from(code));
                }
                s
            }
            _ => serde_json::json!({"metadata": {}, "code": code}),
        };
        self.event.lock().response_status = Some(value);
    }

    /// Notes the response's content type, to decode a copied body.
    pub fn response_content_type(&self, content_type: &str) {
        *self.response_content_type.lock() = content_type.to_string();
    }

    /// Emits ResponseStarted (for long-running requests).
    pub fn response_started(&self) {
        self.emit(Stage::ResponseStarted, None);
    }

    /// Emits ResponseComplete, once.
    pub fn complete(&self) {
        if self.completed.swap(true, Ordering::AcqRel) {
            return;
        }
        let request = self.request_body.lock().take().map(|b| (b, self.request_content_type.clone()));
        let response = self.response_body.lock().take().map(|b| (b, self.response_content_type.lock().clone()));
        let bodies = (request.is_some() || response.is_some()).then(|| {
            Arc::new(Bodies {
                request,
                response,
                omit_managed_fields: self.decision.omit_managed_fields,
                fill_object_ref: self.fill_object_ref,
            })
        });
        self.emit(Stage::ResponseComplete, bodies);
    }

    /// Emits Panic, once, in place of ResponseComplete.
    pub fn panicked(&self, message: &str) {
        if self.completed.swap(true, Ordering::AcqRel) {
            return;
        }
        self.event.lock().response_status = Some(serde_json::json!({
            "metadata": {}, "status": "Failure", "message": format!("APIServer panic'd: {message}"),
            "reason": "InternalError", "code": 500}));
        self.emit(Stage::Panic, None);
    }

    /// Whether the request body should pass through [`RequestBody`].
    pub fn wants_request_body(&self) -> bool {
        self.request_body.lock().wanted
    }
}

/// A request body that copies what the handler reads into the recorder.
pub struct RequestBody {
    inner: axum::body::Body,
    recorder: Arc<Recorder>,
}

impl RequestBody {
    /// Wraps `inner`.
    pub fn new(inner: axum::body::Body, recorder: Arc<Recorder>) -> Self {
        Self { inner, recorder }
    }
}

impl HttpBody for RequestBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled
            && let Some(data) = frame.data_ref()
        {
            self.recorder.request_body.lock().push(data);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A response body that copies what is sent, when the level asks for it,
/// and emits ResponseComplete when it ends or is dropped (a client that
/// went away).
pub struct ResponseBody {
    inner: axum::body::Body,
    recorder: Arc<Recorder>,
    copy: bool,
}

impl ResponseBody {
    /// Wraps `inner`.
    pub fn new(inner: axum::body::Body, recorder: Arc<Recorder>) -> Self {
        let copy = recorder.response_body.lock().wanted;
        Self { inner, recorder, copy }
    }
}

impl HttpBody for ResponseBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if self.copy
                    && let Some(data) = frame.data_ref()
                {
                    self.recorder.response_body.lock().push(data);
                }
            }
            Poll::Ready(None) | Poll::Ready(Some(Err(_))) => self.recorder.complete(),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for ResponseBody {
    fn drop(&mut self) {
        self.recorder.complete();
    }
}

/// Whether a request is long-running (kube-apiserver's check: watches,
/// proxies, and attach/exec/log/portforward connections), so it gets a
/// ResponseStarted event.
pub fn long_running(a: &Attributes) -> bool {
    a.resource_request
        && (matches!(a.verb.as_str(), "watch" | "proxy")
            || matches!(a.subresource.as_str(), "attach" | "exec" | "proxy" | "log" | "portforward"))
}

/// The attributes of a request that failed authentication: the request
/// alone, no user.
pub fn anonymous_attributes(method: &Method, path: &str, query: Option<&str>) -> Attributes {
    crate::auth::gate::attributes(&UserInfo::default(), method, path, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_ips_are_forwarded_then_real_then_peer_each_once() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "10.0.0.1, 10.0.0.2, bogus".parse().unwrap());
        h.insert("x-real-ip", "10.0.0.2".parse().unwrap());
        let ips = source_ips(&h, Some("127.0.0.1".parse().unwrap()));
        assert_eq!(ips, ["10.0.0.1", "10.0.0.2", "127.0.0.1"]);
    }

    #[test]
    fn auth_methods_are_worded_as_upstream() {
        let mut h = HeaderMap::new();
        assert_eq!(auth_methods(&h, None, false), "Authentication failed, no credentials provided");
        h.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert_eq!(auth_methods(&h, None, true), "Authentication failed, attempted: bearer, x509");
    }

    #[test]
    fn bodies_are_decoded_and_stripped_of_managed_fields() {
        let event = base_event(
            &RequestFacts { audit_id: "a".into(), ..RequestFacts::default() },
            &Attributes {
                verb: "create".into(),
                resource_request: true,
                resource: "configmaps".into(),
                namespace: "default".into(),
                api_version: "v1".into(),
                ..Attributes::default()
            },
            Level::RequestResponse,
            true,
        );
        let request = br#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","managedFields":[{}]}}"#;
        let response = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  uid: u1\n";
        let pending = PendingEvent {
            event,
            bodies: Some(Arc::new(Bodies {
                request: Some((Bytes::from_static(request), "application/json".into())),
                response: Some((Bytes::from_static(response), "application/yaml".into())),
                omit_managed_fields: true,
                fill_object_ref: true,
            })),
        };
        let e = pending.finish();
        assert_eq!(e.object_ref.as_ref().unwrap().name, "c");
        assert!(e.request_object.as_ref().unwrap()["metadata"].get("managedFields").is_none());
        assert_eq!(e.response_object.as_ref().unwrap()["metadata"]["uid"], "u1");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.starts_with(r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a","stage":"RequestReceived""#), "{json}");
    }
}
