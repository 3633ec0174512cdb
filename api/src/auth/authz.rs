//! The authorizer chain of `--authorization-mode`, as kube-apiserver builds
//! it: members of `system:masters` are allowed first, then each mode in
//! order; the first Allow or Deny wins, and no opinion from all is a deny.

use std::sync::Arc;

use super::{Attributes, Authorizer, Decision, MASTERS, NonResourceRule, ResourceRule, Rules, UserInfo};

/// The modes kubox implements, by `--authorization-mode` name.
pub const MODES: &[&str] = &["AlwaysAllow", "AlwaysDeny", "RBAC"];

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
    authorizers: Vec<Arc<dyn Authorizer>>,
}

impl Chain {
    /// A chain of `authorizers`, asked in order.
    pub fn new(authorizers: Vec<Arc<dyn Authorizer>>) -> Self {
        Self { authorizers }
    }

    /// The decision on `a`: Allow, or Deny with the reasons the authorizers
    /// gave (joined as upstream's union authorizer joins them).
    pub fn authorize(&self, a: &Attributes) -> (Decision, String) {
        if a.user.groups.iter().any(|g| g == MASTERS) {
            return (Decision::Allow, String::new());
        }
        let mut reasons = Vec::new();
        for authorizer in &self.authorizers {
            let (decision, reason) = authorizer.authorize(a);
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
    pub fn allows(&self, a: &Attributes) -> bool {
        self.authorize(a).0 == Decision::Allow
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

    #[test]
    fn masters_first_then_the_first_opinion_wins() {
        let chain = Chain::new(vec![
            Arc::new(Fixed(Decision::NoOpinion, "")),
            Arc::new(Fixed(Decision::Deny, "no")),
            Arc::new(AlwaysAllow),
        ]);
        let mut a = Attributes { user: user("alice", &[]), verb: "get".into(), ..Attributes::default() };
        assert_eq!(chain.authorize(&a), (Decision::Deny, "no".into()));
        a.user = user("root", &[MASTERS]);
        assert!(chain.allows(&a));
        let none = Chain::new(vec![Arc::new(Fixed(Decision::NoOpinion, "why"))]);
        a.user = user("alice", &[]);
        assert_eq!(none.authorize(&a), (Decision::Deny, "why".into()));
        assert!(none.rules_for(&a.user, "ns").incomplete);
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
