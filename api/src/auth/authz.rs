//! The authorizer chain of `--authorization-mode`, as kube-apiserver builds
//! it: members of `system:masters` are allowed first, then each mode in
//! order; the first Allow or Deny wins, and no opinion from all is a deny.
//!
//! Deciding is async because the webhook asks a remote service; the other
//! modes decide in memory, and the chain holds them as an enum so that a
//! decision without the webhook neither boxes a future nor allocates.

use std::sync::Arc;

use super::abac::Abac;
use super::authz_webhook::AuthorizationWebhook;
use super::node::NodeAuthorizer;
use super::rbac::Rbac;
use super::{Attributes, Authorizer, Decision, MASTERS, NonResourceRule, ResourceRule, Rules, UserInfo};

/// The modes kubox implements, by `--authorization-mode` name.
pub const MODES: &[&str] = &["AlwaysAllow", "AlwaysDeny", "ABAC", "Webhook", "RBAC", "Node"];

/// The modes `--authorization-mode` defaults to (kube-apiserver's
/// recommended setup).
pub const DEFAULT_MODES: &[&str] = &["Node", "RBAC"];

/// Checks `--authorization-mode` and the files it needs as kube-apiserver
/// does, returning every problem in upstream's words.
pub fn validate_modes(modes: &[String], policy_file: bool, webhook_config_file: bool) -> Vec<String> {
    let mut errors = Vec::new();
    if modes.is_empty() {
        errors.push("at least one authorization-mode must be passed".to_string());
    }
    for mode in modes {
        if !MODES.contains(&mode.as_str()) {
            errors.push(format!("authorization-mode {mode:?} is not a valid mode"));
        }
        if mode == "ABAC" && !policy_file {
            errors.push("authorization-mode ABAC's authorization policy file not passed".to_string());
        }
        if mode == "Webhook" && !webhook_config_file {
            errors.push("authorization-mode Webhook's authorization config file not passed".to_string());
        }
    }
    let has = |m: &str| modes.iter().any(|x| x == m);
    if policy_file && !has("ABAC") {
        errors.push("cannot specify --authorization-policy-file without mode ABAC".to_string());
    }
    if webhook_config_file && !has("Webhook") {
        errors.push("cannot specify --authorization-webhook-config-file without mode Webhook".to_string());
    }
    let mut distinct: Vec<&String> = modes.iter().collect();
    distinct.sort();
    distinct.dedup();
    if distinct.len() != modes.len() {
        let quoted: Vec<String> = modes.iter().map(|m| format!("{m:?}")).collect();
        errors.push(format!("authorization-mode [{}] has mode specified more than once", quoted.join(" ")));
    }
    errors
}

/// One member of the chain.
#[derive(Clone)]
pub enum Mode {
    /// `AlwaysAllow`.
    AlwaysAllow,
    /// `AlwaysDeny`.
    AlwaysDeny,
    /// `RBAC`.
    Rbac(Arc<Rbac>),
    /// `Node`.
    Node(Arc<NodeAuthorizer>),
    /// `ABAC`.
    Abac(Arc<Abac>),
    /// `Webhook`: the one that waits.
    Webhook(Arc<AuthorizationWebhook>),
    /// Any other in-memory authorizer (tests, embedders).
    Other(Arc<dyn Authorizer>),
}

impl Mode {
    /// The decision of this member on `a`.
    async fn authorize(&self, a: &Attributes) -> (Decision, String) {
        match self {
            Mode::AlwaysAllow => AlwaysAllow.authorize(a),
            Mode::AlwaysDeny => AlwaysDeny.authorize(a),
            Mode::Rbac(r) => r.authorize(a),
            Mode::Node(n) => n.authorize(a),
            Mode::Abac(p) => p.authorize(a),
            Mode::Webhook(w) => w.authorize(a).await,
            Mode::Other(o) => o.authorize(a),
        }
    }

    fn rules_for(&self, user: &UserInfo, namespace: &str) -> Rules {
        match self {
            Mode::AlwaysAllow => AlwaysAllow.rules_for(user, namespace),
            Mode::AlwaysDeny => AlwaysDeny.rules_for(user, namespace),
            Mode::Rbac(r) => r.rules_for(user, namespace),
            Mode::Node(n) => n.rules_for(user, namespace),
            Mode::Abac(p) => p.rules_for(user, namespace),
            Mode::Webhook(w) => w.rules_for(user, namespace),
            Mode::Other(o) => o.rules_for(user, namespace),
        }
    }
}

/// Allows everything.
pub struct AlwaysAllow;

impl Authorizer for AlwaysAllow {
    fn authorize(&self, _: &Attributes) -> (Decision, String) {
        (Decision::Allow, String::new())
    }

    fn rules_for(&self, _: &UserInfo, _: &str) -> Rules {
        let all = vec!["*".to_string()];
        Rules {
            resource_rules: vec![ResourceRule {
                verbs: all.clone(),
                api_groups: all.clone(),
                resources: all.clone(),
                resource_names: vec![],
            }],
            non_resource_rules: vec![NonResourceRule { verbs: all.clone(), non_resource_urls: all }],
            incomplete: false,
            evaluation_error: String::new(),
        }
    }
}

/// Denies everything.
pub struct AlwaysDeny;

impl Authorizer for AlwaysDeny {
    fn authorize(&self, _: &Attributes) -> (Decision, String) {
        (Decision::Deny, "Everything is forbidden.".into())
    }

    fn rules_for(&self, _: &UserInfo, _: &str) -> Rules {
        Rules::default()
    }
}

/// The chain.
pub struct Chain {
    authorizers: Vec<Mode>,
}

impl Chain {
    /// A chain of `authorizers`, asked in order.
    pub fn new(authorizers: Vec<Mode>) -> Self {
        Self { authorizers }
    }

    /// The decision on `a`: Allow, or Deny with the reasons the authorizers
    /// gave (joined as upstream's union authorizer joins them).
    pub async fn authorize(&self, a: &Attributes) -> (Decision, String) {
        if a.user.groups.iter().any(|g| g == MASTERS) {
            return (Decision::Allow, String::new());
        }
        let mut reasons = Vec::new();
        for authorizer in &self.authorizers {
            let (decision, reason) = authorizer.authorize(a).await;
            if !reason.is_empty() {
                reasons.push(reason);
            }
            match decision {
                Decision::Allow => return (Decision::Allow, reasons.join("\n")),
                Decision::Deny => return (Decision::Deny, reasons.join("\n")),
                Decision::NoOpinion => {}
            }
        }
        (Decision::Deny, reasons.join("\n"))
    }

    /// Whether `a` is allowed.
    pub async fn allows(&self, a: &Attributes) -> bool {
        self.authorize(a).await.0 == Decision::Allow
    }

    /// The rules `user` holds in `namespace`, from every authorizer.
    pub fn rules_for(&self, user: &UserInfo, namespace: &str) -> Rules {
        if user.groups.iter().any(|g| g == MASTERS) {
            return AlwaysAllow.rules_for(user, namespace);
        }
        let mut out = Rules::default();
        let mut errors = Vec::new();
        for authorizer in &self.authorizers {
            let r = authorizer.rules_for(user, namespace);
            out.resource_rules.extend(r.resource_rules);
            out.non_resource_rules.extend(r.non_resource_rules);
            out.incomplete |= r.incomplete;
            if !r.evaluation_error.is_empty() {
                errors.push(r.evaluation_error);
            }
        }
        out.evaluation_error = errors.join(", ");
        out
    }
}

/// kube-apiserver's words for a denied request (its `forbiddenMessage`),
/// without the reason.
pub fn forbidden_message(a: &Attributes) -> String {
    let user = &a.user.name;
    if !a.resource_request {
        return format!("User {user:?} cannot {} path {:?}", a.verb, a.path);
    }
    let resource =
        if a.subresource.is_empty() { a.resource.clone() } else { format!("{}/{}", a.resource, a.subresource) };
    let scope = if a.namespace.is_empty() {
        "at the cluster scope".to_string()
    } else {
        format!("in the namespace {:?}", a.namespace)
    };
    format!("User {user:?} cannot {} resource {resource:?} in API group {:?} {scope}", a.verb, a.api_group)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str, groups: &[&str]) -> UserInfo {
        UserInfo { name: name.into(), groups: groups.iter().map(|g| g.to_string()).collect(), ..UserInfo::default() }
    }

    struct Fixed(Decision, &'static str);

    impl Authorizer for Fixed {
        fn authorize(&self, _: &Attributes) -> (Decision, String) {
            (self.0, self.1.into())
        }
        fn rules_for(&self, _: &UserInfo, _: &str) -> Rules {
            Rules { incomplete: true, evaluation_error: self.1.into(), ..Rules::default() }
        }
    }

    #[tokio::test]
    async fn masters_first_then_the_first_opinion_wins() {
        let chain = Chain::new(vec![
            Mode::Other(Arc::new(Fixed(Decision::NoOpinion, ""))),
            Mode::Other(Arc::new(Fixed(Decision::Deny, "no"))),
            Mode::AlwaysAllow,
        ]);
        let mut a = Attributes { user: user("alice", &[]), verb: "get".into(), ..Attributes::default() };
        assert_eq!(chain.authorize(&a).await, (Decision::Deny, "no".into()));
        a.user = user("root", &[MASTERS]);
        assert!(chain.allows(&a).await);
        let none = Chain::new(vec![Mode::Other(Arc::new(Fixed(Decision::NoOpinion, "why")))]);
        a.user = user("alice", &[]);
        assert_eq!(none.authorize(&a).await, (Decision::Deny, "why".into()));
        assert!(none.rules_for(&a.user, "ns").incomplete);
    }

    #[test]
    fn modes_are_validated_as_upstream() {
        let modes = |m: &[&str]| m.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(validate_modes(&modes(&["Node", "RBAC"]), false, false).is_empty());
        assert_eq!(
            validate_modes(&modes(&["RBAC", "Magic", "RBAC"]), false, false),
            vec![
                r#"authorization-mode "Magic" is not a valid mode"#.to_string(),
                r#"authorization-mode ["RBAC" "Magic" "RBAC"] has mode specified more than once"#.to_string(),
            ]
        );
        assert_eq!(
            validate_modes(&modes(&["ABAC", "Webhook"]), false, false),
            vec![
                "authorization-mode ABAC's authorization policy file not passed".to_string(),
                "authorization-mode Webhook's authorization config file not passed".to_string(),
            ]
        );
        assert_eq!(
            validate_modes(&modes(&["RBAC"]), true, true),
            vec![
                "cannot specify --authorization-policy-file without mode ABAC".to_string(),
                "cannot specify --authorization-webhook-config-file without mode Webhook".to_string(),
            ]
        );
        assert_eq!(validate_modes(&[], false, false), vec!["at least one authorization-mode must be passed"]);
    }

    #[test]
    fn forbidden_messages_name_scope_and_subresource() {
        let mut a = Attributes {
            user: user("alice", &[]),
            verb: "get".into(),
            resource_request: true,
            namespace: "default".into(),
            resource: "pods".into(),
            subresource: "log".into(),
            ..Attributes::default()
        };
        assert_eq!(
            forbidden_message(&a),
            r#"User "alice" cannot get resource "pods/log" in API group "" in the namespace "default""#
        );
        a.namespace.clear();
        a.subresource.clear();
        a.api_group = "apps".into();
        a.resource = "deployments".into();
        assert_eq!(
            forbidden_message(&a),
            r#"User "alice" cannot get resource "deployments" in API group "apps" at the cluster scope"#
        );
        let path =
            Attributes { user: user("bob", &[]), verb: "get".into(), path: "/metrics".into(), ..Attributes::default() };
        assert_eq!(forbidden_message(&path), r#"User "bob" cannot get path "/metrics""#);
    }
}
