//! Who is asking and whether they may: the authentication and
//! authorization gates, as kube-apiserver runs them.
//!
//! - [`authn`]: the authenticators tried in order (client certificates,
//!   tokens, service account JWTs, anonymous) and impersonation.
//! - [`authn_config`]: the `--authentication-config` file (JWT
//!   authenticators with CEL claim mappings and rules, anonymous paths),
//!   reloaded when it changes.
//! - [`oidc`]: the `--oidc-*` flags' authenticator; [`webhook`]: the token
//!   webhook.
//! - [`authz`]: the authorizer chain of `--authorization-mode`, the
//!   privileged `system:masters` group first.
//! - [`rbac`]: the RBAC authorizer, escalation checks and ClusterRole
//!   aggregation.
//! - [`node`]: the Node authorizer (kubelets reach what their pods use).
//! - [`abac`]: the ABAC authorizer of `--authorization-policy-file`.
//! - [`authz_webhook`]: the authorization webhook (SubjectAccessReview).
//! - [`bootstrap_policy`]: the roles and bindings kube-apiserver creates and
//!   reconciles at every start.

pub mod abac;
pub mod authn;
pub mod authn_config;
pub mod authz;
pub mod authz_webhook;
pub mod bootstrap_policy;
pub mod escalation;
pub mod gate;
pub mod node;
pub mod oidc;
pub mod rbac;
pub mod webhook;

use std::collections::BTreeMap;

/// The user a request is made as (kube-apiserver's `user.Info`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserInfo {
    /// The user name.
    pub name: String,
    /// A unique id, when the authenticator knows one.
    pub uid: String,
    /// Groups, including `system:authenticated` or `system:unauthenticated`.
    pub groups: Vec<String>,
    /// Extra attributes (scopes, the credential id, ...).
    pub extra: BTreeMap<String, Vec<String>>,
}

/// The user of anonymous requests.
pub const ANONYMOUS: &str = "system:anonymous";
/// The group every authenticated user is in.
pub const AUTHENTICATED: &str = "system:authenticated";
/// The group of anonymous requests.
pub const UNAUTHENTICATED: &str = "system:unauthenticated";
/// The group that may do anything, whatever the authorizers say.
pub const MASTERS: &str = "system:masters";

/// What a request asks to do (kube-apiserver's `authorizer.Attributes`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes {
    /// Who asks.
    pub user: UserInfo,
    /// get, list, watch, create, update, patch, delete, deletecollection,
    /// proxy, impersonate, bind, escalate, use, approve, sign, ... For a
    /// non-resource request the lowercase HTTP method (get, post, put, ...).
    pub verb: String,
    /// Whether the request is for a resource (else for a path).
    pub resource_request: bool,
    /// The URL path of a non-resource request (`/healthz`, `/apis`).
    pub path: String,
    /// The namespace, "" for cluster-scoped and all-namespace requests.
    pub namespace: String,
    /// The API group, "" for core.
    pub api_group: String,
    /// The API version.
    pub api_version: String,
    /// The resource (plural), e.g. `pods`.
    pub resource: String,
    /// The subresource, e.g. `status`, "" if none.
    pub subresource: String,
    /// The object name, "" for collections.
    pub name: String,
    /// The raw field selector of a list or watch ("" if none).
    pub field_selector: String,
    /// The raw label selector of a list or watch ("" if none).
    pub label_selector: String,
}

/// An authorizer's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Allowed: later authorizers are not asked.
    Allow,
    /// Denied: later authorizers are not asked.
    Deny,
    /// No opinion: the next authorizer is asked; if none allows, denied.
    NoOpinion,
}

/// A resource rule as SelfSubjectRulesReview reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResourceRule {
    /// Verbs.
    pub verbs: Vec<String>,
    /// API groups.
    pub api_groups: Vec<String>,
    /// Resources, `resource/subresource` forms included.
    pub resources: Vec<String>,
    /// Object names; empty means all.
    pub resource_names: Vec<String>,
}

/// A non-resource rule as SelfSubjectRulesReview reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NonResourceRule {
    /// Verbs.
    pub verbs: Vec<String>,
    /// Paths; a trailing `*` matches any suffix.
    pub non_resource_urls: Vec<String>,
}

/// The rules a user holds in a namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    /// Resource rules.
    pub resource_rules: Vec<ResourceRule>,
    /// Non-resource rules.
    pub non_resource_rules: Vec<NonResourceRule>,
    /// Whether the list may be missing rules (an authorizer that cannot
    /// list them, or an evaluation error).
    pub incomplete: bool,
    /// Errors met while collecting, joined.
    pub evaluation_error: String,
}

/// One authorizer of the chain that decides without waiting (the remote
/// webhook is the one that does not: see [`authz::Mode`]).
pub trait Authorizer: Send + Sync {
    /// The decision on `a`, and a reason (empty when there is none to tell).
    fn authorize(&self, a: &Attributes) -> (Decision, String);

    /// The rules `user` holds in `namespace` (SelfSubjectRulesReview).
    fn rules_for(&self, user: &UserInfo, namespace: &str) -> Rules;
}
