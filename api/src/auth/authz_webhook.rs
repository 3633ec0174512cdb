//! The authorization webhook (`--authorization-mode=Webhook` with
//! `--authorization-webhook-config-file`), as kube-apiserver's: each
//! request is sent to a remote service, named by a kubeconfig, as a
//! SubjectAccessReview (`authorization.k8s.io/v1`, or `v1beta1` with
//! `--authorization-webhook-version`); `status.allowed` allows,
//! `status.denied` denies, neither is no opinion. Answers are cached by the
//! review's spec, allowed ones for `--authorization-webhook-cache-authorized-ttl`
//! and the others for `--authorization-webhook-cache-unauthorized-ttl`.
//!
//! A webhook that fails (unreachable, an error status, an unreadable
//! answer) gives no opinion, and the failure is logged, as upstream's
//! failure policy; transient failures (HTTP 429, 500, 504, a reset
//! connection) are retried with upstream's backoff (0.5 s growing by 1.5,
//! five attempts at most).

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde_json::{Map, Value, json};

use super::{Attributes, Decision, Rules, UserInfo};
use crate::client::KubeconfigServer;

/// Cached answers at most; expired ones are dropped when full, then all.
pub const MAX_ENTRIES: usize = 8192;
/// Upstream's retry backoff: first pause, growth, attempts.
const BACKOFF_FIRST: Duration = Duration::from_millis(500);
const BACKOFF_FACTOR: f64 = 1.5;
const ATTEMPTS: u32 = 5;
/// How long one call may take (upstream's webhook client timeout).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Reviews whose spec is longer than this are not cached (upstream caches
/// only requests whose caller-controlled attributes are small).
const MAX_CACHED_KEY: usize = 10_000;

/// The SubjectAccessReview version the webhook speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `authorization.k8s.io/v1`.
    V1,
    /// `authorization.k8s.io/v1beta1` (the spec's groups field is `group`).
    V1beta1,
}

impl Version {
    /// From `--authorization-webhook-version`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "v1" => Ok(Version::V1),
            "v1beta1" => Ok(Version::V1beta1),
            other => Err(format!("unsupported authorization webhook version {other:?} (v1 or v1beta1)")),
        }
    }

    fn api_version(self) -> &'static str {
        match self {
            Version::V1 => "authorization.k8s.io/v1",
            Version::V1beta1 => "authorization.k8s.io/v1beta1",
        }
    }
}

/// The webhook's settings.
#[derive(Clone, Debug)]
pub struct WebhookOptions {
    /// The review version.
    pub version: Version,
    /// How long an allowed answer is cached.
    pub authorized_ttl: Duration,
    /// How long another answer is cached.
    pub unauthorized_ttl: Duration,
}

/// The status of a review answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewStatus {
    /// `status.allowed`.
    pub allowed: bool,
    /// `status.denied`.
    pub denied: bool,
    /// `status.reason`.
    pub reason: String,
    /// `status.evaluationError`.
    pub evaluation_error: String,
}

impl ReviewStatus {
    /// From a SubjectAccessReview answer.
    pub fn from_review(review: &Value) -> Result<Self, String> {
        let status = review.get("status").ok_or("the answer has no status")?;
        let flag = |f: &str| -> Result<bool, String> {
            match status.get(f) {
                None | Some(Value::Null) => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(other) => Err(format!("status.{f} is not a boolean: {other}")),
            }
        };
        let text = |f: &str| status.get(f).and_then(Value::as_str).unwrap_or_default().to_string();
        Ok(Self {
            allowed: flag("allowed")?,
            denied: flag("denied")?,
            reason: text("reason"),
            evaluation_error: text("evaluationError"),
        })
    }

    /// The decision it means.
    pub fn decision(&self) -> (Decision, String) {
        match (self.allowed, self.denied) {
            (true, true) => {
                tracing::warn!("authorization webhook: the review was both allowed and denied; denying");
                (Decision::Deny, self.reason.clone())
            }
            (_, true) => (Decision::Deny, self.reason.clone()),
            (true, _) => (Decision::Allow, self.reason.clone()),
            _ => (Decision::NoOpinion, self.reason.clone()),
        }
    }
}

/// Answers by review spec, with when they expire.
type Cache = HashMap<String, (Instant, ReviewStatus)>;

/// The authorizer.
pub struct AuthorizationWebhook {
    server: KubeconfigServer,
    options: WebhookOptions,
    cache: Mutex<Cache>,
}

/// The spec of the SubjectAccessReview for `a`.
pub fn review_spec(a: &Attributes, version: Version) -> Value {
    let mut spec = Map::new();
    let put = |m: &mut Map<String, Value>, k: &str, v: &str| {
        if !v.is_empty() {
            m.insert(k.into(), json!(v));
        }
    };
    if a.resource_request {
        let mut r = Map::new();
        put(&mut r, "namespace", &a.namespace);
        put(&mut r, "verb", &a.verb);
        put(&mut r, "group", &a.api_group);
        put(&mut r, "version", &a.api_version);
        put(&mut r, "resource", &a.resource);
        put(&mut r, "subresource", &a.subresource);
        put(&mut r, "name", &a.name);
        if let Some(requirements) = selector_requirements(&a.field_selector) {
            r.insert("fieldSelector".into(), json!({"requirements": requirements}));
        }
        if let Some(requirements) = selector_requirements(&a.label_selector) {
            r.insert("labelSelector".into(), json!({"requirements": requirements}));
        }
        spec.insert("resourceAttributes".into(), Value::Object(r));
    } else {
        let mut r = Map::new();
        put(&mut r, "path", &a.path);
        put(&mut r, "verb", &a.verb);
        spec.insert("nonResourceAttributes".into(), Value::Object(r));
    }
    put(&mut spec, "user", &a.user.name);
    if !a.user.groups.is_empty() {
        let field = if version == Version::V1beta1 { "group" } else { "groups" };
        spec.insert(field.into(), json!(a.user.groups));
    }
    if !a.user.extra.is_empty() {
        spec.insert("extra".into(), json!(a.user.extra));
    }
    put(&mut spec, "uid", &a.user.uid);
    Value::Object(spec)
}

/// The requirements of a selector of simple terms (`k=v`, `k==v`, `k!=v`,
/// `k`, `!k`) as a review carries them; `None` when empty or when a term
/// is not simple (set-based label terms), which only loses narrowing.
fn selector_requirements(selector: &str) -> Option<Vec<Value>> {
    if selector.trim().is_empty() || selector.contains('(') {
        return None;
    }
    let mut out = Vec::new();
    for term in selector.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let requirement = if let Some((k, v)) = term.split_once("!=") {
            json!({"key": k.trim(), "operator": "NotIn", "values": [v.trim()]})
        } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            json!({"key": k.trim(), "operator": "In", "values": [v.trim()]})
        } else if let Some(k) = term.strip_prefix('!') {
            json!({"key": k.trim(), "operator": "DoesNotExist"})
        } else {
            json!({"key": term, "operator": "Exists"})
        };
        out.push(requirement);
    }
    (!out.is_empty()).then_some(out)
}

/// Why a call failed, and whether upstream would try again.
struct CallError {
    message: String,
    retry: bool,
}

impl AuthorizationWebhook {
    /// From a webhook configuration file (a kubeconfig).
    pub fn load(path: &Path, options: WebhookOptions) -> Result<Self, String> {
        let server = KubeconfigServer::load(path).map_err(|e| format!("{e:#}"))?;
        Ok(Self::new(server, options))
    }

    /// Over a server already read.
    pub fn new(server: KubeconfigServer, options: WebhookOptions) -> Self {
        Self { server, options, cache: Mutex::new(HashMap::new()) }
    }

    /// The webhook's decision on `a`.
    pub async fn authorize(&self, a: &Attributes) -> (Decision, String) {
        let spec = review_spec(a, self.options.version);
        let key = spec.to_string();
        if let Some((expires, status)) = self.cache.lock().get(&key)
            && Instant::now() < *expires
        {
            return status.decision();
        }
        let review = json!({
            "apiVersion": self.options.version.api_version(),
            "kind": "SubjectAccessReview",
            "metadata": {"creationTimestamp": null},
            "spec": spec,
            "status": {"allowed": false},
        });
        let status = match self.call_with_retries(&review).await {
            Ok(status) => status,
            Err(message) => {
                tracing::error!(user = %a.user.name, verb = %a.verb, resource = %a.resource, path = %a.path,
                    err = %message, "failed to make webhook authorizer request");
                return (Decision::NoOpinion, String::new());
            }
        };
        if !status.evaluation_error.is_empty() {
            tracing::warn!(user = %a.user.name, err = %status.evaluation_error, "authorization webhook: evaluation error");
        }
        if key.len() < MAX_CACHED_KEY {
            let ttl = if status.allowed { self.options.authorized_ttl } else { self.options.unauthorized_ttl };
            let mut cache = self.cache.lock();
            if cache.len() >= MAX_ENTRIES {
                let now = Instant::now();
                cache.retain(|_, (expires, _)| *expires > now);
                if cache.len() >= MAX_ENTRIES {
                    cache.clear();
                }
            }
            cache.insert(key, (Instant::now() + ttl, status.clone()));
        }
        status.decision()
    }

    async fn call_with_retries(&self, review: &Value) -> Result<ReviewStatus, String> {
        let mut pause = BACKOFF_FIRST;
        let mut attempt = 1;
        loop {
            match self.call(review).await {
                Ok(status) => return Ok(status),
                Err(e) if e.retry && attempt < ATTEMPTS => {
                    tracing::debug!(err = %e.message, attempt, "authorization webhook: retrying");
                    tokio::time::sleep(pause).await;
                    pause = pause.mul_f64(BACKOFF_FACTOR);
                    attempt += 1;
                }
                Err(e) => return Err(e.message),
            }
        }
    }

    async fn call(&self, review: &Value) -> Result<ReviewStatus, CallError> {
        let (code, body) = match tokio::time::timeout(CALL_TIMEOUT, self.server.post(review)).await {
            Err(_) => return Err(CallError { message: "timed out".into(), retry: true }),
            Ok(Err(e)) => {
                let reset = e.chain().any(|cause| {
                    cause.downcast_ref::<std::io::Error>().is_some_and(|io| {
                        matches!(io.kind(), std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted)
                    })
                });
                return Err(CallError { message: format!("{e:#}"), retry: reset });
            }
            Ok(Ok(answer)) => answer,
        };
        if !(200..300).contains(&code) {
            return Err(CallError {
                message: format!("the server answered HTTP {code}"),
                retry: matches!(code, 429 | 500 | 504),
            });
        }
        let answer: Value = serde_json::from_slice(&body)
            .map_err(|e| CallError { message: format!("reading the answer: {e}"), retry: false })?;
        ReviewStatus::from_review(&answer).map_err(|message| CallError { message, retry: false })
    }

    /// Like upstream, the webhook cannot list a user's rules.
    pub fn rules_for(&self, _: &UserInfo, _: &str) -> Rules {
        Rules {
            incomplete: true,
            evaluation_error: "webhook authorizer does not support user rule resolution".into(),
            ..Rules::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn webhook_answers_are_read_as_upstream() {
        let status = |v: Value| ReviewStatus::from_review(&json!({"status": v})).unwrap().decision();
        assert_eq!(status(json!({"allowed": true, "reason": "ok"})), (Decision::Allow, "ok".into()));
        assert_eq!(status(json!({"allowed": false, "denied": true, "reason": "no"})), (Decision::Deny, "no".into()));
        assert_eq!(status(json!({"allowed": false})), (Decision::NoOpinion, String::new()));
        assert_eq!(status(json!({"allowed": true, "denied": true})).0, Decision::Deny);
        assert_eq!(status(json!({})).0, Decision::NoOpinion);
        let parsed =
            ReviewStatus::from_review(&json!({"status": {"allowed": false, "evaluationError": "boom"}})).unwrap();
        assert_eq!(parsed.evaluation_error, "boom");
        assert!(ReviewStatus::from_review(&json!({"status": {"allowed": "yes"}})).is_err());
        assert!(ReviewStatus::from_review(&json!({"kind": "Status"})).is_err());
    }

    #[test]
    fn webhook_reviews_carry_the_request() {
        let user = UserInfo {
            name: "alice".into(),
            uid: "42".into(),
            groups: vec!["dev".into(), "system:authenticated".into()],
            extra: BTreeMap::from([("scopes".to_string(), vec!["a".to_string()])]),
        };
        let a = Attributes {
            user: user.clone(),
            verb: "list".into(),
            resource_request: true,
            namespace: "ns".into(),
            api_group: "apps".into(),
            api_version: "v1".into(),
            resource: "deployments".into(),
            field_selector: "metadata.namespace!=x".into(),
            label_selector: "app=web,!canary".into(),
            ..Attributes::default()
        };
        assert_eq!(
            review_spec(&a, Version::V1),
            json!({
                "resourceAttributes": {"namespace": "ns", "verb": "list", "group": "apps", "version": "v1",
                    "resource": "deployments",
                    "fieldSelector": {"requirements": [{"key": "metadata.namespace", "operator": "NotIn", "values": ["x"]}]},
                    "labelSelector": {"requirements": [{"key": "app", "operator": "In", "values": ["web"]},
                                                       {"key": "canary", "operator": "DoesNotExist"}]}},
                "user": "alice", "groups": ["dev", "system:authenticated"], "extra": {"scopes": ["a"]}, "uid": "42",
            })
        );
        let path = Attributes { user, verb: "get".into(), path: "/healthz".into(), ..Attributes::default() };
        let spec = review_spec(&path, Version::V1beta1);
        assert_eq!(spec["nonResourceAttributes"], json!({"path": "/healthz", "verb": "get"}));
        assert_eq!(spec["group"], json!(["dev", "system:authenticated"]));
        assert!(spec.get("groups").is_none());
        assert_eq!(
            Version::parse("v2").unwrap_err(),
            r#"unsupported authorization webhook version "v2" (v1 or v1beta1)"#
        );
    }
}
