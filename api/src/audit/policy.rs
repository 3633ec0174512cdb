//! The audit policy (`--audit-policy-file`, audit.k8s.io/v1 `Policy`): which
//! requests are recorded, at which level, and which stages are left out.
//! The first rule that matches a request decides; a request no rule matches
//! is not recorded, as kube-apiserver's policy checker does.

use serde::Deserialize;

use crate::auth::Attributes;

/// How much of a request an event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum Level {
    /// Not recorded.
    None,
    /// Who, what, when and the response code; no bodies.
    Metadata,
    /// Metadata and the request body.
    Request,
    /// Metadata, the request and the response bodies.
    RequestResponse,
}

impl Level {
    /// The name in events and policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Metadata => "Metadata",
            Level::Request => "Request",
            Level::RequestResponse => "RequestResponse",
        }
    }
}

/// A stage of a request at which an event is emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Stage {
    /// As soon as the request arrives, before it is authorized.
    RequestReceived,
    /// When the response headers are sent, for long-running requests
    /// (watches).
    ResponseStarted,
    /// When the response body is complete.
    ResponseComplete,
    /// When the request handler panicked.
    Panic,
}

impl Stage {
    /// The name in events and policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::RequestReceived => "RequestReceived",
            Stage::ResponseStarted => "ResponseStarted",
            Stage::ResponseComplete => "ResponseComplete",
            Stage::Panic => "Panic",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of stages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stages(u8);

impl Stages {
    /// Whether `stage` is in the set.
    pub fn contains(self, stage: Stage) -> bool {
        self.0 & stage.bit() != 0
    }

    fn of(stages: &[Stage]) -> Self {
        Self(stages.iter().fold(0, |acc, s| acc | s.bit()))
    }
}

/// A group of resources in a rule.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupResources {
    /// The API group, "" for core.
    #[serde(default)]
    pub group: String,
    /// Resources (`pods`, `pods/log`, `pods/*`, `*/status`, `*`); empty
    /// means all of the group.
    #[serde(default)]
    pub resources: Vec<String>,
    /// Object names; empty means all.
    #[serde(default)]
    pub resource_names: Vec<String>,
}

/// One rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyRule {
    /// The level of requests this rule matches.
    pub level: Level,
    /// User names; empty means all.
    #[serde(default)]
    pub users: Vec<String>,
    /// Groups; empty means all.
    #[serde(default)]
    pub user_groups: Vec<String>,
    /// Verbs; empty means all.
    #[serde(default)]
    pub verbs: Vec<String>,
    /// Resources.
    #[serde(default)]
    pub resources: Vec<GroupResources>,
    /// Namespaces ("" for cluster-scoped resources).
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Non-resource paths (`/healthz*`).
    #[serde(default, rename = "nonResourceURLs")]
    pub non_resource_urls: Vec<String>,
    /// Stages this rule leaves out, added to the policy's.
    #[serde(default)]
    pub omit_stages: Vec<Stage>,
    /// Whether managedFields are left out of recorded bodies; unset means
    /// the policy's setting.
    #[serde(default)]
    pub omit_managed_fields: Option<bool>,
}

/// The policy document.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PolicyDocument {
    api_version: Option<String>,
    kind: Option<String>,
    #[serde(default)]
    rules: Vec<PolicyRule>,
    #[serde(default)]
    omit_stages: Vec<Stage>,
    #[serde(default)]
    omit_managed_fields: bool,
    #[serde(default, rename = "metadata")]
    _metadata: Option<serde_json::Value>,
}

/// What the policy decides for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The level.
    pub level: Level,
    /// Stages not recorded.
    pub omit_stages: Stages,
    /// Whether managedFields are left out of bodies.
    pub omit_managed_fields: bool,
}

/// A loaded policy.
#[derive(Clone, Debug)]
pub struct Policy {
    rules: Vec<PolicyRule>,
    omit_stages: Vec<Stage>,
    omit_managed_fields: bool,
}

impl Policy {
    /// Parses and validates a policy file's text (YAML or JSON), with
    /// kube-apiserver's checks and words.
    pub fn parse(text: &str) -> Result<Self, String> {
        let doc: PolicyDocument = serde_saphyr::from_str(text).map_err(|e| format!("{e}"))?;
        match (doc.api_version.as_deref(), doc.kind.as_deref()) {
            (Some("audit.k8s.io/v1"), Some("Policy")) => {}
            (None, _) | (_, None) => {
                return Err("the policy must have apiVersion audit.k8s.io/v1 and kind Policy".into());
            }
            (Some(v), Some(k)) => {
                return Err(format!(
                    "no kind {k:?} is registered for version {v:?} in the audit scheme (want audit.k8s.io/v1 Policy)"
                ));
            }
        }
        let mut errors = Vec::new();
        for (i, rule) in doc.rules.iter().enumerate() {
            validate_rule(rule, &format!("rules[{i}]"), &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors.join(", "));
        }
        if doc.rules.is_empty() {
            tracing::warn!("the audit policy has no rules: nothing will be recorded");
        }
        Ok(Self { rules: doc.rules, omit_stages: doc.omit_stages, omit_managed_fields: doc.omit_managed_fields })
    }

    /// The decision for a request. `a.user` is the authenticated user
    /// (before impersonation); for a request that failed authentication it
    /// is empty and only rules without users and groups can match.
    pub fn evaluate(&self, a: &Attributes, authenticated: bool) -> Decision {
        for rule in &self.rules {
            if rule_matches(rule, a, authenticated) {
                let mut omit = self.omit_stages.clone();
                omit.extend_from_slice(&rule.omit_stages);
                return Decision {
                    level: rule.level,
                    omit_stages: Stages::of(&omit),
                    omit_managed_fields: rule.omit_managed_fields.unwrap_or(self.omit_managed_fields),
                };
            }
        }
        Decision { level: Level::None, omit_stages: Stages::default(), omit_managed_fields: false }
    }
}

fn validate_rule(rule: &PolicyRule, path: &str, errors: &mut Vec<String>) {
    if !rule.non_resource_urls.is_empty() && (!rule.resources.is_empty() || !rule.namespaces.is_empty()) {
        errors.push(format!(
            "{path}.nonResourceURLs: Invalid value: {:?}: rules cannot apply to both regular resources and non-resource URLs",
            rule.non_resource_urls
        ));
    }
    for (i, url) in rule.non_resource_urls.iter().enumerate() {
        let p = format!("{path}.nonResourceURLs[{i}]");
        if url.is_empty() {
            errors.push(format!("{p}: Required value: non-resource URLs must not be empty"));
        } else if url != "*" && !url.starts_with('/') {
            errors.push(format!("{p}: Invalid value: {url:?}: non-resource URL rules must begin with a '/' character"));
        } else if url.find('*').is_some_and(|at| at != url.len() - 1) {
            errors.push(format!(
                "{p}: Invalid value: {url:?}: non-resource URL wildcards '*' must be the final character of the rule"
            ));
        }
    }
    for (i, gr) in rule.resources.iter().enumerate() {
        let p = format!("{path}.resources[{i}]");
        if gr.group.contains('/') {
            errors.push(format!("{p}.group: Invalid value: {:?}: must not contain '/'", gr.group));
        }
        if gr.resources.is_empty() && !gr.resource_names.is_empty() {
            errors.push(format!(
                "{p}.resourceNames: Invalid value: {:?}: using resourceNames requires at least one resource",
                gr.resource_names
            ));
        }
        for (j, res) in gr.resources.iter().enumerate() {
            if res.is_empty() {
                errors.push(format!("{p}.resources[{j}]: Invalid value: \"\": resource cannot be empty"));
            } else if res.split('/').count() > 2 {
                errors.push(format!(
                    "{p}.resources[{j}]: Invalid value: {res:?}: a resource is a name or name/subresource"
                ));
            } else if res.contains('*') && !gr.resource_names.is_empty() {
                errors.push(format!(
                    "{p}.resourceNames: Invalid value: {:?}: using resourceNames with wildcard resources is not allowed",
                    gr.resource_names
                ));
            }
        }
    }
}

fn rule_matches(rule: &PolicyRule, a: &Attributes, authenticated: bool) -> bool {
    // A request that failed authentication has no user to match.
    let user_ok = rule.users.is_empty() || (authenticated && rule.users.contains(&a.user.name));
    let group_ok =
        rule.user_groups.is_empty() || (authenticated && a.user.groups.iter().any(|g| rule.user_groups.contains(g)));
    if !user_ok || !group_ok {
        return false;
    }
    if !rule.verbs.is_empty() && !rule.verbs.contains(&a.verb) {
        return false;
    }
    if !rule.namespaces.is_empty() || !rule.resources.is_empty() {
        return resource_matches(rule, a);
    }
    if !rule.non_resource_urls.is_empty() {
        return !a.resource_request && rule.non_resource_urls.iter().any(|spec| path_matches(&a.path, spec));
    }
    true
}

fn path_matches(path: &str, spec: &str) -> bool {
    spec == "*" || spec == path || spec.strip_suffix('*').is_some_and(|prefix| path.starts_with(prefix))
}

fn resource_matches(rule: &PolicyRule, a: &Attributes) -> bool {
    if !a.resource_request {
        return false;
    }
    if !rule.namespaces.is_empty() && !rule.namespaces.contains(&a.namespace) {
        return false;
    }
    if rule.resources.is_empty() {
        return true;
    }
    let combined =
        if a.subresource.is_empty() { a.resource.clone() } else { format!("{}/{}", a.resource, a.subresource) };
    for gr in &rule.resources {
        if gr.group != a.api_group {
            continue;
        }
        if gr.resources.is_empty() {
            return true;
        }
        if !gr.resource_names.is_empty() && !gr.resource_names.contains(&a.name) {
            continue;
        }
        for res in &gr.resources {
            if *res == combined || res == "*" {
                return true;
            }
            if !a.subresource.is_empty() && res.strip_prefix("*/") == Some(a.subresource.as_str()) {
                return true;
            }
            if res.strip_suffix("/*") == Some(a.resource.as_str()) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::UserInfo;

    const POLICY: &str = r#"
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources:
      - group: ""
        resources: ["endpoints", "services"]
  - level: None
    nonResourceURLs: ["/healthz*", "/version"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps"]
  - level: Request
    namespaces: ["kube-system"]
    omitStages: [ResponseStarted]
    omitManagedFields: true
  - level: RequestResponse
    userGroups: ["admins"]
    resources:
      - group: ""
        resources: ["pods/log", "*/status"]
      - group: "apps"
        resources: ["deployments"]
        resourceNames: ["web"]
  - level: Metadata
    omitStages: [RequestReceived, ResponseComplete]
"#;

    fn resource(user: &str, groups: &[&str], verb: &str, group: &str, res: &str, sub: &str, ns: &str) -> Attributes {
        Attributes {
            user: UserInfo {
                name: user.into(),
                groups: groups.iter().map(|g| g.to_string()).collect(),
                ..UserInfo::default()
            },
            verb: verb.into(),
            resource_request: true,
            namespace: ns.into(),
            api_group: group.into(),
            resource: res.into(),
            subresource: sub.into(),
            ..Attributes::default()
        }
    }

    #[test]
    fn the_first_matching_rule_decides() {
        let p = Policy::parse(POLICY).unwrap();
        let level = |a: &Attributes| p.evaluate(a, true).level;
        assert_eq!(level(&resource("system:kube-proxy", &[], "watch", "", "services", "", "")), Level::None);
        assert_eq!(level(&resource("system:kube-proxy", &[], "list", "", "services", "", "")), Level::Metadata);
        assert_eq!(level(&resource("bob", &[], "get", "", "secrets", "", "kube-system")), Level::Metadata);
        assert_eq!(level(&resource("bob", &[], "get", "", "pods", "", "kube-system")), Level::Request);
        assert_eq!(level(&resource("bob", &["admins"], "get", "", "pods", "log", "default")), Level::RequestResponse);
        assert_eq!(level(&resource("bob", &["admins"], "update", "", "nodes", "status", "")), Level::RequestResponse);
        assert_eq!(level(&resource("bob", &["admins"], "get", "", "pods", "", "default")), Level::Metadata);
        let mut web = resource("bob", &["admins"], "get", "apps", "deployments", "", "default");
        assert_eq!(level(&web), Level::Metadata);
        web.name = "web".into();
        assert_eq!(level(&web), Level::RequestResponse);
        let path = |p: &str| Attributes { verb: "get".into(), path: p.into(), ..Attributes::default() };
        assert_eq!(level(&path("/healthz/etcd")), Level::None);
        assert_eq!(level(&path("/version")), Level::None);
        assert_eq!(level(&path("/versions")), Level::Metadata);
        // An unauthenticated request only matches rules without users or
        // groups.
        assert_eq!(p.evaluate(&resource("", &[], "watch", "", "services", "", ""), false).level, Level::Metadata);
    }

    #[test]
    fn stages_and_managed_fields_combine_policy_and_rule() {
        let p = Policy::parse(POLICY).unwrap();
        let d = p.evaluate(&resource("bob", &[], "get", "", "pods", "", "kube-system"), true);
        assert!(d.omit_stages.contains(Stage::RequestReceived));
        assert!(d.omit_stages.contains(Stage::ResponseStarted));
        assert!(!d.omit_stages.contains(Stage::ResponseComplete));
        assert!(d.omit_managed_fields);
        let d = p.evaluate(&resource("bob", &[], "get", "", "pods", "", "default"), true);
        assert!(d.omit_stages.contains(Stage::ResponseComplete));
        assert!(!d.omit_managed_fields);
    }

    #[test]
    fn no_rule_means_not_recorded() {
        let p = Policy::parse("apiVersion: audit.k8s.io/v1\nkind: Policy\n").unwrap();
        assert_eq!(p.evaluate(&resource("a", &[], "get", "", "pods", "", ""), true).level, Level::None);
    }

    #[test]
    fn invalid_policies_are_refused_with_the_field() {
        let bad =
            |body: &str| Policy::parse(&format!("apiVersion: audit.k8s.io/v1\nkind: Policy\n{body}")).unwrap_err();
        assert!(
            bad("rules:\n- level: Everything\n").contains("Everything"),
            "{}",
            bad("rules:\n- level: Everything\n")
        );
        assert!(
            bad("rules:\n- level: None\n  nonResourceURLs: [/a]\n  namespaces: [x]\n")
                .contains("rules[0].nonResourceURLs")
        );
        assert!(bad("rules:\n- level: None\n  nonResourceURLs: ['/a*b']\n").contains("final character"));
        assert!(
            bad("rules:\n- level: None\n  resources: [{group: '', resources: ['*'], resourceNames: [x]}]\n")
                .contains("wildcard")
        );
        assert!(bad("rules:\n- level: None\n  resource: []\n").contains("resource"));
        assert!(Policy::parse("apiVersion: audit.k8s.io/v1beta1\nkind: Policy\n").unwrap_err().contains("v1beta1"));
        assert!(bad("omitStages: [Sometime]\n").contains("Sometime"));
    }
}
