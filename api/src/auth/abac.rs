//! The ABAC authorizer (`--authorization-mode=ABAC` with
//! `--authorization-policy-file`), as kube-apiserver's: a file of one JSON
//! policy per line (`abac.authorization.kubernetes.io/v1beta1` Policy
//! objects, or the legacy unversioned form), read once at start. A request
//! is allowed when a policy matches its user or group, its verb (a
//! `readonly` policy allows only get, list and watch), and its namespace,
//! resource and API group (or its non-resource path); otherwise no opinion.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{AUTHENTICATED, Attributes, Authorizer, Decision, NonResourceRule, ResourceRule, Rules, UserInfo};

/// The API version of versioned policies.
pub const API_VERSION: &str = "abac.authorization.kubernetes.io/v1beta1";
/// The wildcard.
const ALL: &str = "*";

/// One policy, in the internal form both file forms convert to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// The user it applies to, `*` for all ("" if by group only).
    pub user: String,
    /// The group it applies to, `*` for all.
    pub group: String,
    /// Whether it allows only get, list and watch.
    pub readonly: bool,
    /// The API group, `*` for all.
    pub api_group: String,
    /// The resource, `*` for all.
    pub resource: String,
    /// The namespace, `*` for all.
    pub namespace: String,
    /// The non-resource path: `*`, exact, or a prefix ending in `*`.
    pub non_resource_path: String,
}

/// A v1beta1 PolicySpec, or the unversioned policy (which has the same
/// field names, without apiGroup and nonResourcePath). Like upstream's
/// decoder, unknown fields are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Spec {
    user: String,
    group: String,
    readonly: bool,
    api_group: String,
    resource: String,
    namespace: String,
    non_resource_path: String,
}

/// Why the policy file was refused.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("error reading policy file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not a policy.
    #[error("error reading policy file {path}, line {line}: {text}: {why}")]
    Line {
        /// The file.
        path: String,
        /// The line number, from 1.
        line: usize,
        /// The line.
        text: String,
        /// Why.
        why: String,
    },
}

impl Policy {
    /// A policy line: a versioned Policy, or the legacy unversioned form.
    pub fn parse_line(line: &str) -> Result<Policy, String> {
        let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let object = v.as_object().ok_or("a policy must be a JSON object")?;
        let api_version = object.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
        let kind = object.get("kind").and_then(Value::as_str).unwrap_or_default();
        if api_version.is_empty() || kind.is_empty() {
            // Unversioned: the policy's fields at the top level.
            let mut rest = object.clone();
            rest.remove("apiVersion");
            rest.remove("kind");
            let spec: Spec = serde_json::from_value(Value::Object(rest)).map_err(|e| e.to_string())?;
            if !spec.api_group.is_empty() || !spec.non_resource_path.is_empty() {
                return Err("apiGroup and nonResourcePath need the versioned policy format".into());
            }
            return Ok(Self::from_unversioned(spec));
        }
        if api_version != API_VERSION {
            return Err(format!("no kind {kind:?} is registered for version {api_version:?}"));
        }
        if kind != "Policy" {
            return Err(format!("no kind {kind:?} is registered for version {api_version:?}"));
        }
        let spec: Spec =
            serde_json::from_value(object.get("spec").cloned().unwrap_or(Value::Null)).map_err(|e| e.to_string())?;
        Ok(Self::from_v1beta1(spec))
    }

    /// Like upstream's conversion, `*` as user or group means every
    /// authenticated user.
    fn from_v1beta1(s: Spec) -> Policy {
        let mut p = Policy {
            user: s.user,
            group: s.group,
            readonly: s.readonly,
            api_group: s.api_group,
            resource: s.resource,
            namespace: s.namespace,
            non_resource_path: s.non_resource_path,
        };
        if p.user == ALL || p.group == ALL {
            p.group = AUTHENTICATED.into();
            p.user.clear();
        }
        p
    }

    /// Like upstream's conversion of unversioned policies: no subject or
    /// `*` means every authenticated user; no namespace or resource means
    /// all; every API group; neither namespace nor resource also allows
    /// every non-resource path.
    fn from_unversioned(s: Spec) -> Policy {
        let mut p = Policy {
            user: s.user.clone(),
            group: s.group.clone(),
            readonly: s.readonly,
            api_group: ALL.into(),
            resource: s.resource.clone(),
            namespace: s.namespace.clone(),
            non_resource_path: String::new(),
        };
        if s.user.is_empty() && s.group.is_empty() {
            p.group = AUTHENTICATED.into();
        }
        if s.user == ALL || s.group == ALL {
            p.group = AUTHENTICATED.into();
            p.user.clear();
        }
        if s.namespace.is_empty() {
            p.namespace = ALL.into();
        }
        if s.resource.is_empty() {
            p.resource = ALL.into();
        }
        if s.namespace.is_empty() && s.resource.is_empty() {
            p.non_resource_path = ALL.into();
        }
        p
    }

    /// Whether the policy names `user` (upstream's subjectMatches: a policy
    /// with neither user nor group matches nobody).
    fn subject_matches(&self, user: &UserInfo) -> bool {
        let mut matched = false;
        if !self.user.is_empty() {
            if self.user != ALL && self.user != user.name {
                return false;
            }
            matched = true;
        }
        if !self.group.is_empty() {
            if self.group != ALL && !user.groups.contains(&self.group) {
                return false;
            }
            matched = true;
        }
        matched
    }

    fn verb_matches(&self, a: &Attributes) -> bool {
        !self.readonly || is_read_only(&a.verb)
    }

    fn resource_matches(&self, a: &Attributes) -> bool {
        a.resource_request
            && (self.namespace == ALL || self.namespace == a.namespace)
            && (self.resource == ALL || self.resource == a.resource)
            && (self.api_group == ALL || self.api_group == a.api_group)
    }

    fn non_resource_matches(&self, a: &Attributes) -> bool {
        let p = &self.non_resource_path;
        !a.resource_request
            && (p == ALL
                || *p == a.path
                || p.strip_suffix('*').is_some_and(|prefix| a.path.starts_with(prefix.trim_end_matches('*'))))
    }

    /// Whether the policy allows `a`.
    pub fn matches(&self, a: &Attributes) -> bool {
        self.subject_matches(&a.user)
            && self.verb_matches(a)
            && (self.resource_matches(a) || self.non_resource_matches(a))
    }
}

/// get, list and watch.
fn is_read_only(verb: &str) -> bool {
    matches!(verb, "get" | "list" | "watch")
}

/// The authorizer: the policies of the file.
#[derive(Debug, Default)]
pub struct Abac {
    policies: Vec<Policy>,
}

impl Abac {
    /// From the policies themselves.
    pub fn new(policies: Vec<Policy>) -> Self {
        Self { policies }
    }

    /// Reads a policy file: blank lines and lines starting with `#` are
    /// skipped; any other line that is not a policy refuses the file, with
    /// its number, as kube-apiserver does.
    pub fn load(path: &Path) -> Result<Self, PolicyError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read { path: shown.clone(), source })?;
        Self::parse(&shown, &text)
    }

    /// Parses the text of a policy file named `path`.
    pub fn parse(path: &str, text: &str) -> Result<Self, PolicyError> {
        let mut policies = Vec::new();
        let mut unversioned = 0;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if !trimmed.contains("\"apiVersion\"") {
                unversioned += 1;
            }
            let policy = Policy::parse_line(line).map_err(|why| PolicyError::Line {
                path: path.to_string(),
                line: i + 1,
                text: line.to_string(),
                why,
            })?;
            policies.push(policy);
        }
        if unversioned > 0 {
            tracing::warn!(%path, "the policy file has unversioned rules; see the ABAC file format documentation");
        }
        Ok(Self { policies })
    }

    /// The policies.
    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }
}

impl Authorizer for Abac {
    fn authorize(&self, a: &Attributes) -> (Decision, String) {
        if self.policies.iter().any(|p| p.matches(a)) {
            return (Decision::Allow, String::new());
        }
        (Decision::NoOpinion, "No policy matched.".into())
    }

    fn rules_for(&self, user: &UserInfo, namespace: &str) -> Rules {
        let mut rules = Rules::default();
        for p in self.policies.iter().filter(|p| p.subject_matches(user)) {
            if p.namespace != ALL && p.namespace != namespace {
                continue;
            }
            let verbs: Vec<String> =
                if p.readonly { vec!["get".into(), "list".into(), "watch".into()] } else { vec![ALL.into()] };
            if !p.resource.is_empty() {
                rules.resource_rules.push(ResourceRule {
                    verbs: verbs.clone(),
                    api_groups: vec![p.api_group.clone()],
                    resources: vec![p.resource.clone()],
                    resource_names: vec![],
                });
            }
            if !p.non_resource_path.is_empty() {
                rules
                    .non_resource_rules
                    .push(NonResourceRule { verbs, non_resource_urls: vec![p.non_resource_path.clone()] });
            }
        }
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str, groups: &[&str]) -> UserInfo {
        UserInfo { name: name.into(), groups: groups.iter().map(|g| g.to_string()).collect(), ..UserInfo::default() }
    }

    fn resource(u: &UserInfo, verb: &str, group: &str, resource: &str, namespace: &str) -> Attributes {
        Attributes {
            user: u.clone(),
            verb: verb.into(),
            resource_request: true,
            namespace: namespace.into(),
            api_group: group.into(),
            resource: resource.into(),
            ..Attributes::default()
        }
    }

    fn path(u: &UserInfo, verb: &str, p: &str) -> Attributes {
        Attributes { user: u.clone(), verb: verb.into(), path: p.into(), ..Attributes::default() }
    }

    const FILE: &str = r#"
# admins
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "admin", "namespace": "*", "resource": "*", "apiGroup": "*", "nonResourcePath": "*"}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "reader", "namespace": "*", "resource": "*", "apiGroup": "*", "readonly": true}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "dev", "namespace": "dev", "resource": "pods", "apiGroup": ""}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"group": "ops", "namespace": "*", "resource": "deployments", "apiGroup": "apps"}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "*", "nonResourcePath": "/healthz", "readonly": true}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"group": "system:authenticated", "nonResourcePath": "/apis/*", "readonly": true}}

{"user": "legacy"}
"#;

    #[test]
    fn abac_matches_as_upstream() {
        let abac = Abac::parse("policy.jsonl", FILE).unwrap();
        let allow = |a: &Attributes| abac.authorize(a).0 == Decision::Allow;
        let admin = user("admin", &[AUTHENTICATED]);
        assert!(allow(&resource(&admin, "delete", "apps", "deployments", "x")));
        assert!(allow(&path(&admin, "post", "/anything")));

        let reader = user("reader", &[AUTHENTICATED]);
        assert!(allow(&resource(&reader, "list", "", "secrets", "")));
        assert!(allow(&resource(&reader, "watch", "apps", "deployments", "ns")));
        assert!(!allow(&resource(&reader, "create", "", "pods", "ns")));
        assert_eq!(abac.authorize(&resource(&reader, "create", "", "pods", "ns")).1, "No policy matched.");

        let dev = user("dev", &[AUTHENTICATED]);
        assert!(allow(&resource(&dev, "create", "", "pods", "dev")));
        assert!(!allow(&resource(&dev, "create", "", "pods", "prod")));
        assert!(!allow(&resource(&dev, "get", "", "services", "dev")));
        assert!(!allow(&resource(&dev, "get", "apps", "pods", "dev")), "the API group must match");

        let ops = user("olga", &["ops", AUTHENTICATED]);
        assert!(allow(&resource(&ops, "update", "apps", "deployments", "any")));
        assert!(!allow(&resource(&ops, "update", "", "pods", "any")));

        // Non-resource paths: exact, prefix, readonly; `*` users are the
        // authenticated ones.
        assert!(allow(&path(&dev, "get", "/healthz")));
        assert!(!allow(&path(&dev, "post", "/healthz")));
        assert!(!allow(&path(&dev, "get", "/healthz/etcd")));
        assert!(allow(&path(&dev, "get", "/apis/apps/v1")));
        assert!(!allow(&path(&dev, "get", "/apis")));
        assert!(!allow(&path(&user("system:anonymous", &["system:unauthenticated"]), "get", "/healthz")));
        assert!(!allow(&resource(&dev, "get", "", "healthz", "")), "paths never match resources");

        // The legacy line: everything, for the user, in every group.
        let legacy = user("legacy", &[AUTHENTICATED]);
        assert!(allow(&resource(&legacy, "delete", "apps", "deployments", "ns")));
        assert!(allow(&path(&legacy, "put", "/metrics")));
        assert_eq!(
            Policy::parse_line(r#"{"readonly": true}"#).unwrap(),
            Policy {
                group: AUTHENTICATED.into(),
                readonly: true,
                api_group: "*".into(),
                resource: "*".into(),
                namespace: "*".into(),
                non_resource_path: "*".into(),
                ..Policy::default()
            }
        );
        // A policy without subject matches nobody.
        let nobody =
            Policy::parse_line(r#"{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"namespace": "*", "resource": "*", "apiGroup": "*"}}"#)
                .unwrap();
        assert!(!nobody.matches(&resource(&dev, "get", "", "pods", "dev")));
    }

    #[test]
    fn abac_rules_for_self_subject_rules_review() {
        let abac = Abac::parse("policy.jsonl", FILE).unwrap();
        let dev = user("dev", &[AUTHENTICATED]);
        let rules = abac.rules_for(&dev, "dev");
        assert_eq!(
            rules.resource_rules,
            vec![ResourceRule {
                verbs: vec!["*".into()],
                api_groups: vec!["".into()],
                resources: vec!["pods".into()],
                resource_names: vec![]
            }]
        );
        // As upstream, a policy's namespace must match the review's even
        // for its path: path policies (no namespace) show at "" only.
        assert!(rules.non_resource_rules.is_empty());
        assert_eq!(
            abac.rules_for(&dev, "").non_resource_rules,
            vec![
                NonResourceRule {
                    verbs: vec!["get".into(), "list".into(), "watch".into()],
                    non_resource_urls: vec!["/healthz".into()]
                },
                NonResourceRule {
                    verbs: vec!["get".into(), "list".into(), "watch".into()],
                    non_resource_urls: vec!["/apis/*".into()]
                },
            ]
        );
        assert!(!rules.incomplete);
        assert!(abac.rules_for(&dev, "prod").resource_rules.is_empty());
    }

    #[test]
    fn abac_bad_files_are_refused_with_the_line() {
        let bad = "{\"user\": \"a\"}\n\n# fine\n{\"user\": \"b\", \"readonly\": \"yes\"}\n";
        let err = Abac::parse("p.jsonl", bad).unwrap_err().to_string();
        assert!(
            err.starts_with(
                r#"error reading policy file p.jsonl, line 4: {"user": "b", "readonly": "yes"}: invalid type"#
            ),
            "{err}"
        );
        let err = Abac::parse("p.jsonl", "not json").unwrap_err().to_string();
        assert!(err.starts_with("error reading policy file p.jsonl, line 1: not json: "), "{err}");
        let err = Abac::parse(
            "p.jsonl",
            r#"{"apiVersion": "abac.authorization.kubernetes.io/v2", "kind": "Policy", "spec": {}}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 1"), "{err}");
        assert!(matches!(Abac::load(Path::new("/nonexistent/policy")), Err(PolicyError::Read { .. })));
    }
}
