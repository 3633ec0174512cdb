//! Pod Security admission: the Pod Security Standards (privileged, baseline,
//! restricted) enforced, audited and warned per namespace through the
//! `pod-security.kubernetes.io/{enforce,audit,warn}[-version]` labels, as
//! kube-apiserver's built-in `PodSecurity` plugin does.
//!
//! - [`levels`]: levels, versions and the namespace labels that select them;
//! - [`checks`]: the checks and [`checks::evaluate`];
//! - [`config`]: the plugin's `PodSecurityConfiguration`;
//! - this module: the admission decision for a namespace, pod or pod
//!   controller request ([`PodSecurity::validate`]).
//!
//! The decision is pure: the caller hands in the request, the namespace's
//! labels and, for namespace updates, the namespace's pods.

pub mod checks;
pub mod config;
pub mod levels;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

pub use checks::{AggregateCheckResult, CheckResult, evaluate};
pub use config::{ConfigError, PodSecurityConfiguration};
pub use levels::{Level, LevelVersion, Policy, Version};

use crate::errors::{ApiError, GroupResource};
use crate::validation::field::FieldError;

/// Audit annotation: the violations of the audit level.
pub const AUDIT_VIOLATIONS_ANNOTATION: &str = "pod-security.kubernetes.io/audit-violations";
/// Audit annotation: the enforce level-version a pod was checked against.
pub const ENFORCE_POLICY_ANNOTATION: &str = "pod-security.kubernetes.io/enforce-policy";
/// Audit annotation: why a request was exempt (`user`, `namespace`, `runtimeClass`).
pub const EXEMPT_ANNOTATION: &str = "pod-security.kubernetes.io/exempt";
/// Audit annotation: a problem that did not block the request.
pub const ERROR_ANNOTATION: &str = "pod-security.kubernetes.io/error";

/// At most this many existing pods are checked when a namespace's enforce level changes.
pub const NAMESPACE_MAX_PODS_TO_CHECK: usize = 3000;

/// The operation of an admission request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// POST.
    Create,
    /// PUT or PATCH.
    Update,
    /// DELETE.
    Delete,
    /// A connect subresource (exec, attach, ...).
    Connect,
}

/// What the plugin needs to know about a request.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The operation.
    pub operation: Operation,
    /// API group of the resource ("" for core, "apps", "batch").
    pub group: &'a str,
    /// Resource, plural (`pods`, `namespaces`, `deployments`).
    pub resource: &'a str,
    /// Subresource, "" for the main resource.
    pub subresource: &'a str,
    /// The request's namespace; for a namespace request, kube-apiserver's
    /// request info (the namespace's name on update, "" on create).
    pub namespace: &'a str,
    /// The object's name ("" when the name is generated later).
    pub name: &'a str,
    /// The requesting user's name.
    pub username: &'a str,
    /// The incoming object.
    pub object: &'a Value,
    /// The stored object, for updates.
    pub old_object: Option<&'a Value>,
}

/// The plugin's answer.
#[derive(Clone, Debug, Default)]
pub struct Decision {
    /// The rejection (403 Forbidden for pods, 422 Invalid for namespaces); `None` admits.
    pub error: Option<ApiError>,
    /// `Warning` headers for the response.
    pub warnings: Vec<String>,
    /// Audit annotations, keys with their `pod-security.kubernetes.io/` prefix.
    pub audit_annotations: BTreeMap<String, String>,
}

impl Decision {
    /// Whether the request is admitted.
    pub fn allowed(&self) -> bool {
        self.error.is_none()
    }

    fn annotated(key: &str, value: impl Into<String>) -> Self {
        let mut d = Self::default();
        d.audit_annotations.insert(key.to_string(), value.into());
        d
    }
}

/// What the plugin asks of the store: a namespace's labels and its pods.
pub trait Lookup {
    /// The labels of namespace `name`; `Err` when it cannot be read.
    fn namespace_labels(&self, name: &str) -> Result<BTreeMap<String, String>, String>;
    /// The pods of namespace `name`.
    fn pods(&self, namespace: &str) -> Result<Vec<Value>, String>;
}

/// Pod Security admission with its configuration.
#[derive(Clone, Debug, Default)]
pub struct PodSecurity {
    config: PodSecurityConfiguration,
}

/// Pod subresources that never change what the checks read.
const IGNORED_POD_SUBRESOURCES: &[&str] =
    &["exec", "attach", "binding", "eviction", "log", "portforward", "proxy", "status"];

impl PodSecurity {
    /// The plugin with a validated configuration.
    pub fn new(config: PodSecurityConfiguration) -> Self {
        Self { config }
    }

    /// The configuration in force.
    pub fn config(&self) -> &PodSecurityConfiguration {
        &self.config
    }

    /// The policy namespace labels select over the configured defaults, with label errors.
    pub fn policy(&self, labels: &BTreeMap<String, String>) -> (Policy, Vec<FieldError>) {
        levels::policy_from_labels(labels, &self.config.defaults)
    }

    /// Whether the plugin looks at requests for `group`/`resource`: namespaces,
    /// pods and the resources that embed a pod template.
    pub fn handles(group: &str, resource: &str) -> bool {
        matches!(
            (group, resource),
            ("", "namespaces")
                | ("", "pods")
                | ("", "replicationcontrollers")
                | ("", "podtemplates")
                | ("apps", "replicasets" | "deployments" | "statefulsets" | "daemonsets")
                | ("batch", "jobs" | "cronjobs")
        )
    }

    /// Decides any request: namespaces, pods and pod controllers; other
    /// resources and operations other than create and update are admitted untouched.
    pub fn validate(&self, req: &Request<'_>, lookup: &dyn Lookup) -> Decision {
        if !matches!(req.operation, Operation::Create | Operation::Update) || !Self::handles(req.group, req.resource) {
            return Decision::default();
        }
        match (req.group, req.resource) {
            ("", "namespaces") => {
                let name = req.object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or(req.name);
                self.validate_namespace(req, || lookup.pods(name))
            }
            ("", "pods") => self.validate_pod(req, || lookup.namespace_labels(req.namespace)),
            _ => self.validate_pod_controller(req, || lookup.namespace_labels(req.namespace)),
        }
    }

    /// A namespace create or update: invalid labels are refused (on update
    /// only if they changed), and a stricter enforce level is tried against
    /// the namespace's existing pods, which come back as warnings.
    pub fn validate_namespace(
        &self,
        req: &Request<'_>,
        existing_pods: impl FnOnce() -> Result<Vec<Value>, String>,
    ) -> Decision {
        if !req.subresource.is_empty() {
            return Decision::default();
        }
        let metadata = req.object.get("metadata").unwrap_or(&Value::Null);
        let ns_name = metadata.get("name").and_then(Value::as_str).unwrap_or(req.name);
        let labels = levels::labels_of(metadata);
        let (new_policy, new_errs) = self.policy(&labels);
        let invalid = |errs: &[FieldError]| Decision {
            error: Some(ApiError::invalid("", "Namespace", req.name, errs)),
            ..Decision::default()
        };
        match req.operation {
            Operation::Create => {
                if !new_errs.is_empty() {
                    return invalid(&new_errs);
                }
                self.exempt_namespace_decision(req.namespace, ns_name, &new_policy, &labels).unwrap_or_default()
            }
            Operation::Update => {
                let old_labels =
                    levels::labels_of(req.old_object.and_then(|o| o.get("metadata")).unwrap_or(&Value::Null));
                let (old_policy, old_errs) = self.policy(&old_labels);
                if !new_errs.is_empty() && (old_errs.is_empty() || new_errs != old_errs) {
                    return invalid(&new_errs);
                }
                if new_policy.enforce == old_policy.enforce
                    || new_policy.enforce.level == Level::Privileged
                    || (new_policy.enforce.version == old_policy.enforce.version
                        && new_policy.enforce.level <= old_policy.enforce.level)
                {
                    return Decision::default();
                }
                if let Some(d) = self.exempt_namespace_decision(req.namespace, ns_name, &new_policy, &labels) {
                    return d;
                }
                if self.exempt_namespace(req.namespace) {
                    return Decision::default();
                }
                let warnings = match existing_pods() {
                    Ok(pods) => self.evaluate_pods_in_namespace(ns_name, new_policy.enforce, &pods),
                    Err(_) => vec!["failed to list pods while checking new PodSecurity enforce level".to_string()],
                };
                Decision { warnings, ..Decision::default() }
            }
            _ => Decision::default(),
        }
    }

    /// The warnings for the existing pods of a namespace under a new enforce
    /// level: at most [`NAMESPACE_MAX_PODS_TO_CHECK`] pods (one per controller
    /// first), pods with identical violations folded into one line.
    pub fn evaluate_pods_in_namespace(&self, namespace: &str, enforce: LevelVersion, pods: &[Value]) -> Vec<String> {
        self.evaluate_pods_up_to(namespace, enforce, pods, NAMESPACE_MAX_PODS_TO_CHECK)
    }

    fn evaluate_pods_up_to(&self, namespace: &str, enforce: LevelVersion, pods: &[Value], limit: usize) -> Vec<String> {
        let prioritized = self.prioritize_pods(pods);
        let total = prioritized.len();
        let checked = total.min(limit);
        // warning -> (lexically first pod name, count), in first-seen order.
        let mut order: Vec<String> = Vec::new();
        let mut counts: HashMap<String, (String, usize)> = HashMap::new();
        for pod in &prioritized[..checked] {
            let (metadata, spec) =
                (pod.get("metadata").unwrap_or(&Value::Null), pod.get("spec").unwrap_or(&Value::Null));
            let result = AggregateCheckResult::new(&evaluate(enforce, metadata, spec));
            if result.allowed {
                continue;
            }
            let warning = result.forbidden_reason();
            let pod_name = metadata.get("name").and_then(Value::as_str).unwrap_or_default();
            match counts.get_mut(&warning) {
                Some((first, n)) => {
                    if pod_name < first.as_str() {
                        *first = pod_name.to_string();
                    }
                    *n += 1;
                }
                None => {
                    counts.insert(warning.clone(), (pod_name.to_string(), 1));
                    order.push(warning);
                }
            }
        }
        let mut warnings = Vec::new();
        if checked < total {
            warnings.push(format!(
                "new PodSecurity enforce level only checked against the first {checked} of {total} existing pods"
            ));
        }
        if !order.is_empty() {
            warnings.push(format!(
                "existing pods in namespace {ns:?} violate the new PodSecurity enforce level {lv:?}",
                ns = namespace,
                lv = enforce.to_string()
            ));
        }
        let mut pod_warnings: Vec<String> = order
            .into_iter()
            .map(|w| {
                let (first, n) = counts.get(&w).cloned().unwrap_or_default();
                match n {
                    0 => w,
                    1 => format!("{first}: {w}"),
                    2 => format!("{first} (and 1 other pod): {w}"),
                    n => format!("{first} (and {} other pods): {w}", n - 1),
                }
            })
            .collect();
        pod_warnings.sort();
        warnings.extend(pod_warnings);
        warnings
    }

    /// Pods not exempt by runtime class, the first pod of each controller
    /// ahead of its siblings.
    fn prioritize_pods<'a>(&self, pods: &'a [Value]) -> Vec<&'a Value> {
        let mut first = Vec::new();
        let mut duplicates = Vec::new();
        let mut controllers = BTreeSet::new();
        for pod in pods {
            if self.exempt_runtime_class(pod.pointer("/spec/runtimeClassName")) {
                continue;
            }
            let controller_uid = pod
                .pointer("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
                .map(|r| r.get("uid").and_then(Value::as_str).unwrap_or_default());
            match controller_uid {
                Some(uid) if !controllers.insert(uid) => duplicates.push(pod),
                _ => first.push(pod),
            }
        }
        first.extend(duplicates);
        first
    }

    /// A pod create or update (and pod subresources that carry a pod, such as
    /// `ephemeralcontainers`): enforce, audit and warn. Updates that change
    /// nothing the checks read (only images count, and added ephemeral
    /// containers) are admitted unchecked.
    pub fn validate_pod(
        &self,
        req: &Request<'_>,
        namespace_labels: impl FnOnce() -> Result<BTreeMap<String, String>, String>,
    ) -> Decision {
        if IGNORED_POD_SUBRESOURCES.contains(&req.subresource) {
            return Decision::default();
        }
        if let Some(d) = self.exempt_request(req) {
            return d;
        }
        let labels = match namespace_labels() {
            Ok(l) => l,
            Err(e) => {
                let message = format!("failed to lookup namespace {:?}", req.namespace);
                let mut d = Decision::annotated(ERROR_ANNOTATION, format!("Internal error occurred: {message}: {e}"));
                d.error = Some(ApiError::internal(message));
                return d;
            }
        };
        let (policy, errs) = self.policy(&labels);
        if errs.is_empty() && policy.fully_privileged() {
            return Decision::annotated(
                ENFORCE_POLICY_ANNOTATION,
                LevelVersion::new(Level::Privileged, Version::Latest).to_string(),
            );
        }
        if req.operation == Operation::Update
            && let Some(old) = req.old_object
            && !is_significant_pod_update(req.object.get("spec"), old.get("spec"))
        {
            return Decision::default();
        }
        let metadata = req.object.get("metadata").unwrap_or(&Value::Null);
        let spec = req.object.get("spec").unwrap_or(&Value::Null);
        self.evaluate_pod(req, &policy, &errs, metadata, spec, true)
    }

    /// A pod controller create or update: its pod template is audited and
    /// warned about, never enforced (the pods it makes are).
    pub fn validate_pod_controller(
        &self,
        req: &Request<'_>,
        namespace_labels: impl FnOnce() -> Result<BTreeMap<String, String>, String>,
    ) -> Decision {
        if !req.subresource.is_empty() {
            return Decision::default();
        }
        if let Some(d) = self.exempt_request(req) {
            return d;
        }
        let labels = match namespace_labels() {
            Ok(l) => l,
            Err(e) => {
                return Decision::annotated(
                    ERROR_ANNOTATION,
                    format!("failed to lookup namespace {:?}: {e}", req.namespace),
                );
            }
        };
        let (policy, errs) = self.policy(&labels);
        if errs.is_empty() && policy.warn.level == Level::Privileged && policy.audit.level == Level::Privileged {
            return Decision::default();
        }
        let Some(template) = pod_template(req.resource, req.object) else {
            return Decision::default();
        };
        let metadata = template.get("metadata").unwrap_or(&Value::Null);
        let spec = template.get("spec").unwrap_or(&Value::Null);
        self.evaluate_pod(req, &policy, &errs, metadata, spec, false)
    }

    /// Evaluates a pod (or template) against the policy's modes; enforce only for pods.
    fn evaluate_pod(
        &self,
        req: &Request<'_>,
        policy: &Policy,
        label_errs: &[FieldError],
        metadata: &Value,
        spec: &Value,
        enforce: bool,
    ) -> Decision {
        if self.exempt_runtime_class(spec.get("runtimeClassName")) {
            return Decision::annotated(EXEMPT_ANNOTATION, "runtimeClass");
        }
        let mut d = Decision::default();
        if !label_errs.is_empty() {
            d.audit_annotations.insert(
                ERROR_ANNOTATION.to_string(),
                format!("Failed to parse policy: {}", crate::validation::field::aggregate_message(label_errs)),
            );
        }
        let mut cache: HashMap<LevelVersion, AggregateCheckResult> = HashMap::new();
        let mut result_of = |lv: LevelVersion| {
            cache.entry(lv).or_insert_with(|| AggregateCheckResult::new(&evaluate(lv, metadata, spec))).clone()
        };
        if enforce {
            d.audit_annotations.insert(ENFORCE_POLICY_ANNOTATION.to_string(), policy.enforce.to_string());
            let r = result_of(policy.enforce);
            if !r.allowed {
                let why = format!("violates PodSecurity {:?}: {}", policy.enforce.to_string(), r.forbidden_detail());
                d.error = Some(ApiError::forbidden(
                    &GroupResource { group: req.group, resource: req.resource },
                    req.name,
                    &why,
                ));
            }
        }
        let audit = result_of(policy.audit);
        if !audit.allowed {
            d.audit_annotations.insert(
                AUDIT_VIOLATIONS_ANNOTATION.to_string(),
                format!("would violate PodSecurity {:?}: {}", policy.audit.to_string(), audit.forbidden_detail()),
            );
        }
        // No warnings on a request that is refused anyway.
        if d.error.is_none() {
            let warn = result_of(policy.warn);
            if !warn.allowed {
                d.warnings.push(format!(
                    "would violate PodSecurity {:?}: {}",
                    policy.warn.to_string(),
                    warn.forbidden_detail()
                ));
            }
        }
        d
    }

    /// The exemption by namespace, then by user, that admits a pod or controller request.
    fn exempt_request(&self, req: &Request<'_>) -> Option<Decision> {
        if self.exempt_namespace(req.namespace) {
            return Some(Decision::annotated(EXEMPT_ANNOTATION, "namespace"));
        }
        if !req.username.is_empty() && self.config.exemptions.usernames.iter().any(|u| u == req.username) {
            return Some(Decision::annotated(EXEMPT_ANNOTATION, "user"));
        }
        None
    }

    fn exempt_namespace(&self, namespace: &str) -> bool {
        !namespace.is_empty() && self.config.exemptions.namespaces.iter().any(|n| n == namespace)
    }

    fn exempt_runtime_class(&self, runtime_class: Option<&Value>) -> bool {
        match runtime_class.and_then(Value::as_str) {
            Some(rc) if !rc.is_empty() => self.config.exemptions.runtime_classes.iter().any(|r| r == rc),
            _ => false,
        }
    }

    /// For an exempt namespace that sets a non-privileged policy differing
    /// from the defaults: an admitted decision warning that it is ignored.
    fn exempt_namespace_decision(
        &self,
        request_namespace: &str,
        ns_name: &str,
        policy: &Policy,
        labels: &BTreeMap<String, String>,
    ) -> Option<Decision> {
        if !self.exempt_namespace(request_namespace)
            || policy.fully_privileged()
            || policy.equivalent(&self.config.defaults)
        {
            return None;
        }
        let modes = [
            ("enforce", policy.enforce, levels::ENFORCE_LEVEL_LABEL, levels::ENFORCE_VERSION_LABEL),
            ("audit", policy.audit, levels::AUDIT_LEVEL_LABEL, levels::AUDIT_VERSION_LABEL),
            ("warn", policy.warn, levels::WARN_LEVEL_LABEL, levels::WARN_VERSION_LABEL),
        ];
        let set: Vec<String> = modes
            .iter()
            .filter(|(_, lv, l, v)| {
                lv.level != Level::Privileged && (labels.contains_key(*l) || labels.contains_key(*v))
            })
            .map(|(mode, lv, _, _)| format!("{mode}={lv}"))
            .collect();
        Some(Decision {
            warnings: vec![format!(
                "namespace {ns_name:?} is exempt from Pod Security, and the policy ({}) will be ignored",
                set.join(", ")
            )],
            ..Decision::default()
        })
    }
}

/// The pod template (an object with `metadata` and `spec`) of a pod controller.
fn pod_template<'a>(resource: &str, object: &'a Value) -> Option<&'a Value> {
    let template = match resource {
        "podtemplates" => object.get("template"),
        "cronjobs" => object.pointer("/spec/jobTemplate/spec/template"),
        _ => object.pointer("/spec/template"),
    };
    template.filter(|t| !t.is_null())
}

/// Whether a pod update changes anything the checks read: the number of
/// containers or init containers, an image, or an ephemeral container added
/// or given a new image (the other pod fields the checks read are immutable).
fn is_significant_pod_update(spec: Option<&Value>, old_spec: Option<&Value>) -> bool {
    let list = |s: Option<&Value>, k: &str| -> Vec<Value> {
        s.and_then(|s| s.get(k)).and_then(Value::as_array).cloned().unwrap_or_default()
    };
    let image = |c: &Value| c.get("image").and_then(Value::as_str).unwrap_or_default().to_string();
    for key in ["containers", "initContainers"] {
        let (new, old) = (list(spec, key), list(old_spec, key));
        if new.len() != old.len() || new.iter().zip(&old).any(|(n, o)| image(n) != image(o)) {
            return true;
        }
    }
    let old_ephemeral = list(old_spec, "ephemeralContainers");
    list(spec, "ephemeralContainers").iter().any(|c| {
        match old_ephemeral.iter().find(|o| o.get("name") == c.get("name")) {
            None => true,
            Some(o) => image(c) != image(o),
        }
    })
}

#[cfg(test)]
#[path = "admission_tests.rs"]
mod tests;
