//! API errors: every failure a client sees is a `metav1.Status` with the
//! code, reason, message and details kube-apiserver sends for it
//! (k8s.io/apimachinery/pkg/api/errors). Constructors are named after
//! upstream's.

use serde_json::{Map, Value, json};

use crate::validation::field::{FieldError, aggregate_message};

/// A group and a resource (plural), as error messages name them:
/// `pods`, `deployments.apps`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupResource<'a> {
    /// API group, "" for core.
    pub group: &'a str,
    /// Resource, plural.
    pub resource: &'a str,
}

impl std::fmt::Display for GroupResource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.group.is_empty() { f.write_str(self.resource) } else { write!(f, "{}.{}", self.resource, self.group) }
    }
}

/// One cause in `details.causes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    /// The cause type (`FieldValueInvalid`, ...), "" if none.
    pub reason: String,
    /// What went wrong.
    pub message: String,
    /// The field path, "" if none.
    pub field: String,
}

/// An error answered with a `metav1.Status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status code.
    pub code: u16,
    /// `StatusReason` (`NotFound`, `Conflict`, ...).
    pub reason: &'static str,
    /// Human-readable message.
    pub message: String,
    /// `details.name`.
    pub name: String,
    /// `details.group`.
    pub group: String,
    /// `details.kind` (a resource for most errors, a kind for Invalid).
    pub kind: String,
    /// `details.uid`.
    pub uid: String,
    /// `details.causes`.
    pub causes: Vec<Cause>,
    /// `details.retryAfterSeconds`, 0 if none.
    pub retry_after_seconds: i32,
    /// Whether `details` is sent even when empty (`"details": {}`), as
    /// upstream's `NewGenericServerResponse` does.
    pub empty_details: bool,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// The result of an API operation.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub(crate) fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            reason,
            message: message.into(),
            name: String::new(),
            group: String::new(),
            kind: String::new(),
            uid: String::new(),
            causes: Vec::new(),
            retry_after_seconds: 0,
            empty_details: false,
        }
    }

    fn on(mut self, gr: &GroupResource<'_>, name: &str) -> Self {
        self.group = gr.group.to_string();
        self.kind = gr.resource.to_string();
        self.name = name.to_string();
        self
    }

    /// 404: `pods "x" not found`.
    pub fn not_found(gr: &GroupResource<'_>, name: &str) -> Self {
        Self::new(404, "NotFound", format!("{gr} {name:?} not found")).on(gr, name)
    }

    /// 409: `pods "x" already exists`.
    pub fn already_exists(gr: &GroupResource<'_>, name: &str) -> Self {
        Self::new(409, "AlreadyExists", format!("{gr} {name:?} already exists")).on(gr, name)
    }

    /// 409 Conflict: `Operation cannot be fulfilled on pods "x": <why>`.
    pub fn conflict(gr: &GroupResource<'_>, name: &str, why: &str) -> Self {
        Self::new(409, "Conflict", format!("Operation cannot be fulfilled on {gr} {name:?}: {why}")).on(gr, name)
    }

    /// The Conflict kube-apiserver answers a stale resourceVersion with.
    pub fn stale(gr: &GroupResource<'_>, name: &str) -> Self {
        Self::conflict(
            gr,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }

    /// 403 Forbidden: `pods "x" is forbidden: <why>`.
    pub fn forbidden(gr: &GroupResource<'_>, name: &str, why: &str) -> Self {
        let message = if gr.resource.is_empty() {
            format!("forbidden: {why}")
        } else if name.is_empty() {
            format!("{gr} is forbidden: {why}")
        } else {
            format!("{gr} {name:?} is forbidden: {why}")
        };
        Self::new(403, "Forbidden", message).on(gr, name)
    }

    /// 401.
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized", "Unauthorized")
    }

    /// 422 Invalid, from field errors: `Deployment.apps "x" is invalid: ...`.
    pub fn invalid(group: &str, kind: &str, name: &str, errors: &[FieldError]) -> Self {
        let qualified = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
        let message = if errors.is_empty() {
            format!("{qualified} {name:?} is invalid")
        } else {
            format!("{qualified} {name:?} is invalid: {}", aggregate_message(errors))
        };
        let mut err = Self::new(422, "Invalid", message);
        err.group = group.to_string();
        err.kind = kind.to_string();
        err.name = name.to_string();
        err.causes = errors
            .iter()
            .map(|e| Cause { reason: e.reason().to_string(), message: e.body(), field: e.field.clone() })
            .collect();
        err
    }

    /// 400 BadRequest with `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// 405: `create is not supported on resources of kind "componentstatuses"`.
    pub fn method_not_supported(gr: &GroupResource<'_>, action: &str) -> Self {
        let mut err = Self::new(
            405,
            "MethodNotAllowed",
            format!("{action} is not supported on resources of kind {:?}", gr.to_string()),
        );
        err.group = gr.group.to_string();
        err.kind = gr.resource.to_string();
        err
    }

    /// 405 for a method no route of the path takes, as kube-apiserver's
    /// router answers it.
    pub fn method_not_allowed() -> Self {
        Self::new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
    }

    /// A failure kube-apiserver passes through without a Status of its own:
    /// `code` with no reason and the error's text as the message.
    pub fn unknown(code: u16, message: impl Into<String>) -> Self {
        Self::new(code, "", message)
    }

    /// 406: no acceptable response format.
    pub fn not_acceptable(accepted: &[&str]) -> Self {
        Self::new(406, "NotAcceptable", format!("only the following media types are accepted: {}", accepted.join(", ")))
    }

    /// 415: the body's format is not one this endpoint reads.
    pub fn unsupported_media_type(accepted: &[&str]) -> Self {
        Self::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: {}",
                accepted.join(", ")
            ),
        )
    }

    /// 410 Expired (a resourceVersion or continue token that is too old).
    pub fn expired(message: impl Into<String>) -> Self {
        Self::new(410, "Expired", message)
    }

    /// 410 Gone.
    pub fn gone(message: impl Into<String>) -> Self {
        Self::new(410, "Gone", message)
    }

    /// 413: `Request entity too large: <why>`.
    pub fn too_large(why: &str) -> Self {
        Self::new(413, "RequestEntityTooLarge", format!("Request entity too large: {why}"))
    }

    /// 504 Timeout: `Timeout: <why>`.
    pub fn timeout(why: &str, retry_after_seconds: i32) -> Self {
        let mut err = Self::new(504, "Timeout", format!("Timeout: {why}"));
        err.retry_after_seconds = retry_after_seconds;
        err
    }

    /// 503.
    pub fn service_unavailable(message: impl Into<String>) -> Self {
        Self::new(503, "ServiceUnavailable", message)
    }

    /// 500: `Internal error occurred: <why>`.
    pub fn internal(why: impl std::fmt::Display) -> Self {
        let why = why.to_string();
        let mut err = Self::new(500, "InternalError", format!("Internal error occurred: {why}"));
        err.causes.push(Cause { reason: String::new(), message: why, field: String::new() });
        err
    }

    /// The `metav1.Status` object.
    pub fn to_status(&self) -> Value {
        let mut details = Map::new();
        for (k, v) in [("name", &self.name), ("group", &self.group), ("kind", &self.kind), ("uid", &self.uid)] {
            if !v.is_empty() {
                details.insert(k.to_string(), json!(v));
            }
        }
        if !self.causes.is_empty() {
            let causes: Vec<Value> = self
                .causes
                .iter()
                .map(|c| {
                    let mut m = Map::new();
                    if !c.reason.is_empty() {
                        m.insert("reason".into(), json!(c.reason));
                    }
                    if !c.message.is_empty() {
                        m.insert("message".into(), json!(c.message));
                    }
                    if !c.field.is_empty() {
                        m.insert("field".into(), json!(c.field));
                    }
                    Value::Object(m)
                })
                .collect();
            details.insert("causes".into(), Value::Array(causes));
        }
        if self.retry_after_seconds != 0 {
            details.insert("retryAfterSeconds".into(), json!(self.retry_after_seconds));
        }
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        // StatusReasonUnknown is "", which Go omits.
        if self.reason.is_empty()
            && let Some(m) = status.as_object_mut()
        {
            m.remove("reason");
        }
        if !details.is_empty() || self.empty_details {
            status["details"] = Value::Object(details);
        }
        status
    }
}

impl From<kubox_storage::StoreError> for ApiError {
    /// How store failures reach clients, as kube-apiserver maps etcd's
    /// (storage/errors.go and the etcd3 store).
    fn from(err: kubox_storage::StoreError) -> Self {
        use kubox_storage::StoreError as E;
        match err {
            E::Compacted { .. } => ApiError::expired("The resourceVersion for the provided list is too old."),
            // kube-apiserver passes etcd's refusal of an oversized object
            // through as it is: a 500 with no reason.
            E::RequestTooLarge { .. } => ApiError::unknown(500, "etcdserver: request is too large"),
            E::Closed => ApiError::service_unavailable("the store is shutting down"),
            // A store without quorum: kube-apiserver times such requests out
            // against an unreachable etcd.
            E::Timeout(_) => {
                ApiError::timeout("request did not complete within requested timeout - context deadline exceeded", 0)
            }
            E::Unavailable(why) => ApiError::service_unavailable(why),
            other => ApiError::internal(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_matches_kube_apiserver() {
        let err = ApiError::not_found(&GroupResource { group: "apps", resource: "deployments" }, "web");
        assert_eq!(
            err.to_status(),
            json!({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                   "message":"deployments.apps \"web\" not found","reason":"NotFound",
                   "details":{"name":"web","group":"apps","kind":"deployments"},"code":404})
        );
        let core = ApiError::not_found(&GroupResource { group: "", resource: "pods" }, "p");
        assert_eq!(core.message, "pods \"p\" not found");
    }

    #[test]
    fn conflict_and_method_not_supported_texts() {
        let gr = GroupResource { group: "", resource: "configmaps" };
        assert_eq!(
            ApiError::stale(&gr, "c").message,
            "Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again"
        );
        assert_eq!(
            ApiError::method_not_supported(&GroupResource { group: "", resource: "componentstatuses" }, "create")
                .message,
            "create is not supported on resources of kind \"componentstatuses\""
        );
        assert_eq!(ApiError::internal("boom").to_status()["details"]["causes"][0]["message"], "boom");
    }
}
