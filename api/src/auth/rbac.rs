//! The RBAC authorizer (`--authorization-mode=RBAC`), the escalation checks
//! of Role and ClusterRole writes, and ClusterRole aggregation, as
//! kube-apiserver and kube-controller-manager do them.
//!
//! Roles, ClusterRoles, RoleBindings and ClusterRoleBindings are read from
//! the registry's watch caches and parsed into an index (bindings by
//! subject, each with its role's rules resolved). The index is rebuilt when
//! one of the four caches moves, reusing the parse of every object whose
//! revision did not change; a decision parses no JSON.
//!
//! Like kube-apiserver, RBAC only ever allows: a request no rule allows gets
//! no opinion, and the next authorizer of the chain is asked.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Mutex, RwLock};
use serde_json::{Map, Value, json};

use super::{Attributes, Authorizer, Decision, NonResourceRule, ResourceRule, Rules, UserInfo};
use crate::catalog::ResourceSpec;
use crate::errors::{ApiError, ApiResult};
use crate::registry::{Part, Registry, WriteContext};
use crate::selectors::LabelSelector;
use crate::validation::field::go_quote;
use crate::watchcache::{CachedObject, Filter, WatchCache};

/// The API group of RBAC.
const GROUP: &str = "rbac.authorization.k8s.io";
/// The prefix of service account user names.
const SERVICE_ACCOUNT_PREFIX: &str = "system:serviceaccount:";
/// The wildcard of verbs, API groups, resources and non-resource URLs.
const ALL: &str = "*";
/// The field manager of the aggregation controller.
const AGGREGATION_MANAGER: &str = "clusterrole-aggregation-controller";
/// How often the aggregation loop looks at the clusterroles cache.
const AGGREGATION_POLL: Duration = Duration::from_millis(200);
/// The longest pause of the aggregation loop after failures.
const AGGREGATION_MAX_BACKOFF: Duration = Duration::from_secs(30);

/// A PolicyRule, parsed: absent and empty lists are the same.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PolicyRule {
    verbs: Vec<String>,
    api_groups: Vec<String>,
    resources: Vec<String>,
    resource_names: Vec<String>,
    non_resource_urls: Vec<String>,
}

/// The strings of a JSON array (other entries are skipped).
fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn has(set: &[String], item: &str) -> bool {
    set.iter().any(|s| s == item)
}

fn has_all(set: &[String], items: &[String]) -> bool {
    items.iter().all(|i| has(set, i))
}

impl PolicyRule {
    /// From a rbac/v1 PolicyRule.
    pub(crate) fn from_json(v: &Value) -> Self {
        Self {
            verbs: strings(&v["verbs"]),
            api_groups: strings(&v["apiGroups"]),
            resources: strings(&v["resources"]),
            resource_names: strings(&v["resourceNames"]),
            non_resource_urls: strings(&v["nonResourceURLs"]),
        }
    }

    /// The rules of a Role or ClusterRole.
    fn list_from(object: &Value) -> Vec<Self> {
        object["rules"].as_array().map(|a| a.iter().map(Self::from_json).collect()).unwrap_or_default()
    }

    /// As rbac/v1 JSON: verbs always, the other lists when not empty.
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("verbs".into(), json!(self.verbs));
        for (field, list) in [
            ("apiGroups", &self.api_groups),
            ("resources", &self.resources),
            ("resourceNames", &self.resource_names),
            ("nonResourceURLs", &self.non_resource_urls),
        ] {
            if !list.is_empty() {
                m.insert(field.into(), json!(list));
            }
        }
        Value::Object(m)
    }

    fn verb_matches(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == ALL || v == verb)
    }

    fn api_group_matches(&self, group: &str) -> bool {
        self.api_groups.iter().any(|g| g == ALL || g == group)
    }

    /// `resource` is `pods` or `pods/status`; `subresource` is its part
    /// after the slash. A rule names `*`, the exact form, or `*/status`.
    fn resource_matches(&self, resource: &str, subresource: &str) -> bool {
        self.resources.iter().any(|r| {
            r == ALL
                || r == resource
                || (!subresource.is_empty()
                    && r.len() == subresource.len() + 2
                    && r.starts_with("*/")
                    && r.ends_with(subresource))
        })
    }

    /// A rule with resourceNames matches only requests for one of them (so
    /// never a request without a name: a list, a create).
    fn resource_name_matches(&self, name: &str) -> bool {
        self.resource_names.is_empty() || has(&self.resource_names, name)
    }

    fn non_resource_url_matches(&self, path: &str) -> bool {
        self.non_resource_urls
            .iter()
            .any(|u| u == ALL || u == path || (u.ends_with('*') && path.starts_with(u.trim_end_matches('*'))))
    }

    /// Whether the rule allows the request (kube-apiserver's RuleAllows).
    pub(crate) fn allows(&self, a: &Attributes) -> bool {
        if !self.verb_matches(&a.verb) {
            return false;
        }
        if !a.resource_request {
            return self.non_resource_url_matches(&a.path);
        }
        let combined;
        let resource = if a.subresource.is_empty() {
            a.resource.as_str()
        } else {
            combined = format!("{}/{}", a.resource, a.subresource);
            combined.as_str()
        };
        self.api_group_matches(&a.api_group)
            && self.resource_matches(resource, &a.subresource)
            && self.resource_name_matches(&a.name)
    }

    /// The rule as single-verb, single-resource (and single-name) rules, and
    /// single-verb, single-URL ones.
    fn breakdown(&self) -> Vec<PolicyRule> {
        let mut out = Vec::new();
        let one = |s: &String| vec![s.clone()];
        for group in &self.api_groups {
            for resource in &self.resources {
                for verb in &self.verbs {
                    let base = PolicyRule {
                        verbs: one(verb),
                        api_groups: one(group),
                        resources: one(resource),
                        ..Default::default()
                    };
                    if self.resource_names.is_empty() {
                        out.push(base);
                    } else {
                        for name in &self.resource_names {
                            out.push(PolicyRule { resource_names: one(name), ..base.clone() });
                        }
                    }
                }
            }
        }
        for url in &self.non_resource_urls {
            for verb in &self.verbs {
                out.push(PolicyRule { verbs: one(verb), non_resource_urls: one(url), ..Default::default() });
            }
        }
        out
    }

    /// Whether this rule grants everything `sub` (a broken-down rule) does.
    fn covers(&self, sub: &PolicyRule) -> bool {
        let verbs = has(&self.verbs, ALL) || has_all(&self.verbs, &sub.verbs);
        let groups = has(&self.api_groups, ALL) || has_all(&self.api_groups, &sub.api_groups);
        let resources = resources_cover(&self.resources, &sub.resources);
        let urls = sub.non_resource_urls.iter().all(|path| {
            self.non_resource_urls
                .iter()
                .any(|owner| owner == path || (owner.ends_with('*') && path.starts_with(owner.trim_end_matches('*'))))
        });
        let names = if sub.resource_names.is_empty() {
            self.resource_names.is_empty()
        } else {
            self.resource_names.is_empty() || has_all(&self.resource_names, &sub.resource_names)
        };
        verbs && groups && resources && names && urls
    }

    /// The compact form of escalation messages:
    /// `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`.
    fn compact_string(&self) -> String {
        let parts: Vec<String> = [
            ("APIGroups", &self.api_groups),
            ("Resources", &self.resources),
            ("NonResourceURLs", &self.non_resource_urls),
            ("ResourceNames", &self.resource_names),
            ("Verbs", &self.verbs),
        ]
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(field, list)| format!("{field}:{}", go_quote_list(list)))
        .collect();
        format!("{{{}}}", parts.join(", "))
    }
}

/// Whether owner resources cover every one of `wanted`: `*`, the exact
/// name, or `*/sub` for a `resource/sub`.
fn resources_cover(owner: &[String], wanted: &[String]) -> bool {
    if has(owner, ALL) || has_all(owner, wanted) {
        return true;
    }
    wanted.iter().all(|path| {
        has(owner, path)
            || path.split_once('/').is_some_and(|(_, sub)| owner.iter().any(|o| o.strip_prefix("*/") == Some(sub)))
    })
}

/// Merges rules that differ only by verb (one group, one resource, at most
/// one name, no URLs), keeping the verbs in order of appearance.
fn compact_rules(rules: Vec<PolicyRule>) -> Vec<PolicyRule> {
    let mut out: Vec<PolicyRule> = Vec::with_capacity(rules.len());
    let mut simple: HashMap<(String, String, Option<String>), usize> = HashMap::new();
    for rule in rules {
        let is_simple = rule.resource_names.len() <= 1
            && rule.non_resource_urls.is_empty()
            && rule.api_groups.len() == 1
            && rule.resources.len() == 1;
        if !is_simple {
            out.push(rule);
            continue;
        }
        let key = (rule.api_groups[0].clone(), rule.resources[0].clone(), rule.resource_names.first().cloned());
        match simple.get(&key) {
            Some(&i) => {
                for verb in rule.verbs {
                    if !has(&out[i].verbs, &verb) {
                        out[i].verbs.push(verb);
                    }
                }
            }
            None => {
                simple.insert(key, out.len());
                out.push(rule);
            }
        }
    }
    out
}

/// A string list as Go's `%q` prints a `[]string`: `["a" "b"]`.
fn go_quote_list(list: &[String]) -> String {
    let quoted: Vec<String> = list.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", quoted.join(" "))
}

/// Errors joined as kube-apiserver's error aggregates print them: one
/// alone, several de-duplicated in brackets.
fn aggregate_errors(errors: &[Arc<str>]) -> String {
    match errors {
        [] => String::new(),
        [one] => one.to_string(),
        many => {
            let mut seen: Vec<&str> = Vec::new();
            for e in many {
                if !seen.contains(&&**e) {
                    seen.push(e);
                }
            }
            if seen.len() == 1 { seen[0].to_string() } else { format!("[{}]", seen.join(", ")) }
        }
    }
}

fn role_not_found(kind: &str, name: &str) -> Arc<str> {
    let resource = if kind == "Role" { "role" } else { "clusterrole" };
    format!("{resource}.{GROUP} {} not found", go_quote(name)).into()
}

/// A subject of a binding.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Subject {
    kind: String,
    name: String,
    namespace: String,
}

impl Subject {
    fn from_json(v: &Value) -> Self {
        let field = |f: &str| v[f].as_str().unwrap_or("").to_string();
        Self { kind: field("kind"), name: field("name"), namespace: field("namespace") }
    }

    /// The namespace of a ServiceAccount subject: its own, else the
    /// binding's ("" for a ClusterRoleBinding).
    fn service_account_namespace<'a>(&'a self, binding_namespace: &'a str) -> &'a str {
        if self.namespace.is_empty() { binding_namespace } else { &self.namespace }
    }

    /// Whether the subject is `user` (kube-apiserver's appliesToUser).
    fn applies_to(&self, user: &UserInfo, binding_namespace: &str) -> bool {
        match self.kind.as_str() {
            "User" => user.name == self.name,
            "Group" => has(&user.groups, &self.name),
            "ServiceAccount" => {
                let namespace = self.service_account_namespace(binding_namespace);
                !namespace.is_empty() && service_account_matches(&user.name, namespace, &self.name)
            }
            _ => false,
        }
    }

    /// As allow reasons name it: `User "alice"`, `ServiceAccount "sa/ns"`.
    fn describe(&self, binding_namespace: &str) -> String {
        if self.kind == "ServiceAccount" {
            let namespace = self.service_account_namespace(binding_namespace);
            return format!("{} {}", self.kind, go_quote(&format!("{}/{namespace}", self.name)));
        }
        format!("{} {}", self.kind, go_quote(&self.name))
    }
}

/// Whether `user` is `system:serviceaccount:NAMESPACE:NAME`.
fn service_account_matches(user: &str, namespace: &str, name: &str) -> bool {
    user.strip_prefix(SERVICE_ACCOUNT_PREFIX)
        .and_then(|rest| rest.strip_prefix(namespace))
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|rest| rest == name)
}

/// One parsed object of the four resources.
#[derive(Debug)]
enum Parsed {
    /// A Role or ClusterRole.
    Role { namespace: String, name: String, rules: Arc<[PolicyRule]> },
    /// A RoleBinding or ClusterRoleBinding.
    Binding { namespace: String, name: String, role_kind: String, role_name: String, subjects: Vec<Subject> },
}

impl Parsed {
    fn from_object(kind: Kind, object: &CachedObject) -> Option<Self> {
        let value = match object.value() {
            Ok(v) => v,
            Err(err) => {
                tracing::warn!(key = %object.key, err = %err.message, "rbac: skipping an undecodable object");
                return None;
            }
        };
        let (namespace, name) = (object.namespace.clone(), object.name.clone());
        Some(match kind {
            Kind::Role | Kind::ClusterRole => {
                Parsed::Role { namespace, name, rules: PolicyRule::list_from(&value).into() }
            }
            Kind::RoleBinding | Kind::ClusterRoleBinding => Parsed::Binding {
                namespace,
                name,
                role_kind: value["roleRef"]["kind"].as_str().unwrap_or("").to_string(),
                role_name: value["roleRef"]["name"].as_str().unwrap_or("").to_string(),
                subjects: value["subjects"]
                    .as_array()
                    .map(|a| a.iter().map(Subject::from_json).collect())
                    .unwrap_or_default(),
            },
        })
    }
}

/// The four resources, in the order of [`Rbac::caches`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Role,
    ClusterRole,
    RoleBinding,
    ClusterRoleBinding,
}

const KINDS: [(Kind, &str); 4] = [
    (Kind::Role, "roles"),
    (Kind::ClusterRole, "clusterroles"),
    (Kind::RoleBinding, "rolebindings"),
    (Kind::ClusterRoleBinding, "clusterrolebindings"),
];

/// A binding with its role's rules resolved (or the error resolving them).
#[derive(Debug)]
struct Binding {
    /// "ClusterRoleBinding" or "RoleBinding".
    kind: &'static str,
    name: String,
    namespace: String,
    role_kind: String,
    role_name: String,
    subjects: Vec<Subject>,
    rules: Result<Arc<[PolicyRule]>, Arc<str>>,
}

impl Binding {
    /// The first subject that is `user`.
    fn subject_for(&self, user: &UserInfo) -> Option<&Subject> {
        self.subjects.iter().find(|s| s.applies_to(user, &self.namespace))
    }

    /// As allow reasons name it.
    fn describe(&self, subject: &Subject) -> String {
        let name =
            if self.namespace.is_empty() { self.name.clone() } else { format!("{}/{}", self.name, self.namespace) };
        format!(
            "{} {} of {} {} to {}",
            self.kind,
            go_quote(&name),
            self.role_kind,
            go_quote(&self.role_name),
            subject.describe(&self.namespace)
        )
    }
}

/// The bindings of one scope (the cluster, or one namespace), by subject.
#[derive(Debug, Default)]
struct BindingSet {
    /// In name order.
    bindings: Vec<Binding>,
    /// By user name (service accounts by their user name).
    by_user: HashMap<String, Vec<usize>>,
    /// By group name.
    by_group: HashMap<String, Vec<usize>>,
}

impl BindingSet {
    fn push(&mut self, binding: Binding) {
        let i = self.bindings.len();
        for s in &binding.subjects {
            let entry = match s.kind.as_str() {
                "User" => self.by_user.entry(s.name.clone()),
                "Group" => self.by_group.entry(s.name.clone()),
                "ServiceAccount" => {
                    let namespace = s.service_account_namespace(&binding.namespace);
                    if namespace.is_empty() {
                        continue;
                    }
                    self.by_user.entry(format!("{SERVICE_ACCOUNT_PREFIX}{namespace}:{}", s.name))
                }
                _ => continue,
            };
            let list = entry.or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
        self.bindings.push(binding);
    }

    /// The bindings with a subject that is `user`, in name order.
    fn for_user(&self, user: &UserInfo) -> Vec<usize> {
        let mut found: Vec<usize> = self.by_user.get(&user.name).cloned().unwrap_or_default();
        for g in &user.groups {
            if let Some(list) = self.by_group.get(g) {
                found.extend_from_slice(list);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Everything a decision reads, built from one state of the caches.
#[derive(Debug, Default)]
struct Tables {
    roles: HashMap<(String, String), Arc<[PolicyRule]>>,
    cluster_roles: HashMap<String, Arc<[PolicyRule]>>,
    cluster: BindingSet,
    namespaces: HashMap<String, BindingSet>,
}

impl Tables {
    /// The rules a roleRef points at, from a binding in `namespace`.
    fn role_rules(&self, namespace: &str, kind: &str, name: &str) -> Result<Arc<[PolicyRule]>, Arc<str>> {
        match kind {
            "Role" => self
                .roles
                .get(&(namespace.to_string(), name.to_string()))
                .cloned()
                .ok_or_else(|| role_not_found(kind, name)),
            "ClusterRole" => self.cluster_roles.get(name).cloned().ok_or_else(|| role_not_found(kind, name)),
            other => Err(format!("unsupported role reference kind: {}", go_quote(other)).into()),
        }
    }

    /// Visits the bindings that apply to `user` in `namespace`: the
    /// ClusterRoleBindings, then the namespace's RoleBindings, each with
    /// the subject that matched. `visit` returns false to stop.
    fn visit<'a>(&'a self, user: &UserInfo, namespace: &str, mut visit: impl FnMut(&'a Binding, &'a Subject) -> bool) {
        let mut sets = vec![&self.cluster];
        if !namespace.is_empty()
            && let Some(set) = self.namespaces.get(namespace)
        {
            sets.push(set);
        }
        for set in sets {
            for i in set.for_user(user) {
                let binding = &set.bindings[i];
                if let Some(subject) = binding.subject_for(user)
                    && !visit(binding, subject)
                {
                    return;
                }
            }
        }
    }

    /// Every rule `user` holds in `namespace`, and the errors met.
    fn rules_for(&self, user: &UserInfo, namespace: &str) -> (Vec<PolicyRule>, Vec<Arc<str>>) {
        let (mut rules, mut errors) = (Vec::new(), Vec::new());
        self.visit(user, namespace, |binding, _| {
            match &binding.rules {
                Ok(r) => rules.extend(r.iter().cloned()),
                Err(e) => errors.push(e.clone()),
            }
            true
        });
        (rules, errors)
    }
}

/// A build of the index, and the cache state it was built from.
#[derive(Debug, Default)]
struct Index {
    /// The caches' revisions when listed.
    revisions: [i64; 4],
    /// Per cache, the object count and the newest object revision: an
    /// object written anywhere gets a revision above every other, and a
    /// deletion alone lowers the count, so the pair changes with content.
    fingerprints: [(usize, i64); 4],
    tables: Arc<Tables>,
}

/// The RBAC authorizer, over the registry's watch caches.
pub struct Rbac {
    /// The caches of roles, clusterroles, rolebindings and
    /// clusterrolebindings (`None` if the catalog lacks one).
    caches: [Option<Arc<WatchCache>>; 4],
    index: RwLock<Arc<Index>>,
    /// Objects parsed for earlier builds, by key, with their revision; held
    /// while building, so one request rebuilds and the others wait.
    parsed: Mutex<HashMap<String, (i64, Arc<Parsed>)>>,
}

impl Rbac {
    /// The authorizer over `registry`'s RBAC objects.
    pub fn new(registry: Arc<Registry>) -> Arc<Rbac> {
        let caches = KINDS.map(|(_, plural)| {
            let spec = registry.catalog().get(GROUP, "v1", plural)?.clone();
            registry.cache(&registry.storage_spec(&spec)).ok()
        });
        Arc::new(Rbac { caches, index: RwLock::new(Arc::default()), parsed: Mutex::new(HashMap::new()) })
    }

    fn revisions(&self) -> [i64; 4] {
        let mut out = [0; 4];
        for (r, cache) in out.iter_mut().zip(&self.caches) {
            *r = cache.as_ref().map_or(0, |c| c.revision());
        }
        out
    }

    /// The index, rebuilt first if a cache has moved since it was built.
    fn tables(&self) -> Arc<Tables> {
        let revisions = self.revisions();
        {
            let index = self.index.read();
            if index.revisions == revisions {
                return index.tables.clone();
            }
        }
        let mut parsed = self.parsed.lock();
        let current = self.index.read().clone();
        if current.revisions == self.revisions() {
            return current.tables.clone();
        }
        let fresh = self.build(&current, &mut parsed);
        let tables = fresh.tables.clone();
        *self.index.write() = Arc::new(fresh);
        tables
    }

    /// Lists the caches and builds the index, reusing `previous`'s tables
    /// when no object changed and the parse of every unchanged object.
    fn build(&self, previous: &Index, parsed: &mut HashMap<String, (i64, Arc<Parsed>)>) -> Index {
        let mut revisions = [0; 4];
        let mut fingerprints = [(0, 0); 4];
        let mut listed: Vec<Vec<Arc<CachedObject>>> = Vec::with_capacity(4);
        for (i, cache) in self.caches.iter().enumerate() {
            let (objects, revision) = cache.as_ref().map(|c| c.list(&Filter::default())).unwrap_or_default();
            revisions[i] = revision;
            fingerprints[i] = (objects.len(), objects.iter().map(|o| o.revision).max().unwrap_or(0));
            listed.push(objects);
        }
        if fingerprints == previous.fingerprints {
            return Index { revisions, fingerprints, tables: previous.tables.clone() };
        }

        let mut next: HashMap<String, (i64, Arc<Parsed>)> = HashMap::with_capacity(parsed.len());
        let mut objects: [Vec<Arc<Parsed>>; 4] = Default::default();
        for ((kind, _), (list, out)) in KINDS.iter().zip(listed.iter().zip(objects.iter_mut())) {
            for object in list {
                let reused = parsed.get(&object.key).filter(|(rev, _)| *rev == object.revision).map(|(_, p)| p.clone());
                let Some(p) = reused.or_else(|| Parsed::from_object(*kind, object).map(Arc::new)) else { continue };
                next.insert(object.key.clone(), (object.revision, p.clone()));
                out.push(p);
            }
        }
        *parsed = next;

        let [roles, cluster_roles, role_bindings, cluster_role_bindings] = objects;
        let mut tables = Tables::default();
        for p in &roles {
            if let Parsed::Role { namespace, name, rules } = &**p {
                tables.roles.insert((namespace.clone(), name.clone()), rules.clone());
            }
        }
        for p in &cluster_roles {
            if let Parsed::Role { name, rules, .. } = &**p {
                tables.cluster_roles.insert(name.clone(), rules.clone());
            }
        }
        // Cache lists are in key order: bindings by name (RoleBindings by
        // namespace, then name).
        for (kind, list) in [("ClusterRoleBinding", &cluster_role_bindings), ("RoleBinding", &role_bindings)] {
            for p in list {
                let Parsed::Binding { namespace, name, role_kind, role_name, subjects } = &**p else { continue };
                let binding = Binding {
                    kind,
                    name: name.clone(),
                    namespace: namespace.clone(),
                    role_kind: role_kind.clone(),
                    role_name: role_name.clone(),
                    subjects: subjects.clone(),
                    rules: tables.role_rules(namespace, role_kind, role_name),
                };
                if kind == "ClusterRoleBinding" {
                    tables.cluster.push(binding);
                } else {
                    tables.namespaces.entry(namespace.clone()).or_default().push(binding);
                }
            }
        }
        Index { revisions, fingerprints, tables: Arc::new(tables) }
    }

    /// Checks that `user` already holds, in `namespace` ("" for
    /// cluster-wide), every permission `rules` (rbac/v1 PolicyRules) grant:
    /// the check of a Role or ClusterRole write by a user who may not
    /// `escalate`, and of a binding write by one who may not `bind`. The
    /// error is kube-apiserver's message, one line per missing permission.
    pub fn confirm_no_escalation(&self, user: &UserInfo, namespace: &str, rules: &[Value]) -> Result<(), String> {
        let tables = self.tables();
        let (owned, errors) = tables.rules_for(user, namespace);
        let missing: Vec<PolicyRule> = rules
            .iter()
            .flat_map(|r| PolicyRule::from_json(r).breakdown())
            .filter(|sub| !owned.iter().any(|o| o.covers(sub)))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let descriptions: BTreeSet<String> = compact_rules(missing).iter().map(PolicyRule::compact_string).collect();
        let mut message = format!(
            "user {} (groups={}) is attempting to grant RBAC permissions not currently held:\n{}",
            go_quote(&user.name),
            go_quote_list(&user.groups),
            descriptions.into_iter().collect::<Vec<_>>().join("\n")
        );
        if !errors.is_empty() {
            message.push_str(&format!("; resolution errors: [{}]", aggregate_errors(&errors)));
        }
        Err(message)
    }

    /// The rules (rbac/v1 PolicyRules) a binding's `roleRef` in `namespace`
    /// ("" for a ClusterRoleBinding) grants, or kube-apiserver's error when
    /// the role does not exist or the kind is not a role's.
    pub fn role_ref_rules(&self, namespace: &str, role_ref: &Value) -> Result<Vec<Value>, String> {
        let kind = role_ref["kind"].as_str().unwrap_or("");
        let name = role_ref["name"].as_str().unwrap_or("");
        let rules = self.tables().role_rules(namespace, kind, name).map_err(|e| e.to_string())?;
        Ok(rules.iter().map(PolicyRule::to_json).collect())
    }
}

impl Authorizer for Rbac {
    fn authorize(&self, a: &Attributes) -> (Decision, String) {
        let tables = self.tables();
        let mut allowed = None;
        let mut errors = Vec::new();
        tables.visit(&a.user, &a.namespace, |binding, subject| match &binding.rules {
            Ok(rules) if rules.iter().any(|r| r.allows(a)) => {
                allowed = Some(format!("RBAC: allowed by {}", binding.describe(subject)));
                false
            }
            Ok(_) => true,
            Err(e) => {
                errors.push(e.clone());
                true
            }
        });
        match allowed {
            Some(reason) => (Decision::Allow, reason),
            // Like kube-apiserver, a role that could not be resolved is
            // told in the reason (and so in the Forbidden message).
            None if !errors.is_empty() => (Decision::NoOpinion, format!("RBAC: {}", aggregate_errors(&errors))),
            None => (Decision::NoOpinion, String::new()),
        }
    }

    fn rules_for(&self, user: &UserInfo, namespace: &str) -> Rules {
        let (rules, errors) = self.tables().rules_for(user, namespace);
        let mut out = Rules { evaluation_error: aggregate_errors(&errors), ..Rules::default() };
        for r in rules {
            if !r.resources.is_empty() {
                out.resource_rules.push(ResourceRule {
                    verbs: r.verbs.clone(),
                    api_groups: r.api_groups.clone(),
                    resources: r.resources.clone(),
                    resource_names: r.resource_names.clone(),
                });
            }
            if !r.non_resource_urls.is_empty() {
                out.non_resource_rules.push(NonResourceRule { verbs: r.verbs, non_resource_urls: r.non_resource_urls });
            }
        }
        out
    }
}

/// The clusterroles resource and its cache.
fn cluster_roles(registry: &Registry) -> ApiResult<(Arc<ResourceSpec>, Arc<WatchCache>)> {
    let spec = registry
        .catalog()
        .get(GROUP, "v1", "clusterroles")
        .cloned()
        .ok_or_else(|| ApiError::internal("the catalog has no clusterroles"))?;
    let cache = registry.cache(&registry.storage_spec(&spec))?.clone();
    Ok((spec, cache))
}

/// The rules an aggregated ClusterRole gets: the rules of every other
/// ClusterRole any of its selectors matches, by ClusterRole name,
/// de-duplicated. `roles` are in name order.
fn aggregated_rules(role: &Value, selectors: &[Value], roles: &[Value]) -> Result<Vec<PolicyRule>, String> {
    let name = role["metadata"]["name"].as_str().unwrap_or("");
    let mut rules: Vec<PolicyRule> = Vec::new();
    for selector in selectors {
        let selector = LabelSelector::from_label_selector_json(selector).map_err(|e| e.message().to_string())?;
        for other in roles {
            if other["metadata"]["name"].as_str() == Some(name) || !selector.matches_object(other) {
                continue;
            }
            for rule in PolicyRule::list_from(other) {
                if !rules.contains(&rule) {
                    rules.push(rule);
                }
            }
        }
    }
    Ok(rules)
}

/// One pass of the ClusterRole aggregation controller: every ClusterRole
/// with `aggregationRule` gets the rules of the ClusterRoles its
/// `clusterRoleSelectors` match, written only when they differ. Every role
/// is tried; the first error is returned.
pub async fn aggregate(registry: &Registry) -> ApiResult<()> {
    let (spec, cache) = cluster_roles(registry)?;
    cache.wait_for(0).await?;
    let (objects, _) = cache.list(&Filter::default());
    let roles: Vec<Value> = objects.iter().map(|o| o.value()).collect::<ApiResult<_>>()?;
    let ctx = WriteContext {
        dry_run: false,
        field_manager: AGGREGATION_MANAGER.into(),
        user: "system:kube-controller-manager".into(),
        groups: vec![super::MASTERS.into()],
    };
    let mut first_error = None;
    for role in &roles {
        let rule = &role["aggregationRule"];
        if !rule.is_object() {
            continue;
        }
        let name = role["metadata"]["name"].as_str().unwrap_or("");
        let selectors = rule["clusterRoleSelectors"].as_array().map(Vec::as_slice).unwrap_or_default();
        let rules = match aggregated_rules(role, selectors, &roles) {
            Ok(r) => r,
            Err(err) => {
                tracing::warn!(clusterrole = %name, %err, "aggregation: invalid clusterRoleSelectors");
                continue;
            }
        };
        if rules == PolicyRule::list_from(role) {
            continue;
        }
        let mut updated = role.clone();
        updated["rules"] = Value::Array(rules.iter().map(PolicyRule::to_json).collect());
        if let Err(err) = registry.update(&spec, "", name, Part::Main, updated, &ctx).await {
            tracing::warn!(clusterrole = %name, err = %err.message, "aggregation: updating the ClusterRole failed");
            first_error.get_or_insert(err);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// The ClusterRole aggregation controller: aggregates whenever the
/// ClusterRoles change (polling the cache's revision), for the life of the
/// process. Failures are logged and retried with a growing pause.
pub async fn run_aggregation(registry: Arc<Registry>) {
    let cache = match cluster_roles(&registry) {
        Ok((_, cache)) => cache,
        Err(err) => {
            tracing::error!(err = %err.message, "aggregation: not started");
            return;
        }
    };
    let mut seen_revision = -1;
    let mut aggregated: Option<(usize, i64)> = None;
    let mut backoff = AGGREGATION_POLL;
    loop {
        let revision = cache.revision();
        if revision != seen_revision {
            // The cache's revision also moves on progress notifications;
            // only a change of the objects themselves needs a pass.
            let fingerprint = {
                let (objects, _) = cache.list(&Filter::default());
                (objects.len(), objects.iter().map(|o| o.revision).max().unwrap_or(0))
            };
            if aggregated != Some(fingerprint) {
                if let Err(err) = aggregate(&registry).await {
                    tracing::warn!(err = %err.message, "aggregation: retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(AGGREGATION_MAX_BACKOFF);
                    continue;
                }
                aggregated = Some(fingerprint);
                backoff = AGGREGATION_POLL;
            }
            seen_revision = revision;
        }
        tokio::time::sleep(AGGREGATION_POLL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: Value) -> PolicyRule {
        PolicyRule::from_json(&v)
    }

    fn resource(verb: &str, group: &str, resource: &str, sub: &str, name: &str) -> Attributes {
        Attributes {
            verb: verb.into(),
            resource_request: true,
            api_group: group.into(),
            resource: resource.into(),
            subresource: sub.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    fn path(verb: &str, p: &str) -> Attributes {
        Attributes { verb: verb.into(), path: p.into(), ..Default::default() }
    }

    #[test]
    fn rbac_rules_match_as_upstream() {
        let pods = rule(json!({"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}));
        assert!(pods.allows(&resource("get", "", "pods", "", "p")));
        assert!(pods.allows(&resource("list", "", "pods", "", "")));
        assert!(!pods.allows(&resource("delete", "", "pods", "", "p")));
        assert!(!pods.allows(&resource("get", "apps", "pods", "", "p")));
        assert!(!pods.allows(&resource("get", "", "pods", "log", "p")), "a subresource needs its own rule");

        let all = rule(json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}));
        assert!(all.allows(&resource("deletecollection", "apps", "deployments", "scale", "")));

        let status = rule(json!({"verbs": ["update"], "apiGroups": [""], "resources": ["*/status"]}));
        assert!(status.allows(&resource("update", "", "pods", "status", "p")));
        assert!(status.allows(&resource("update", "", "nodes", "status", "n")));
        assert!(!status.allows(&resource("update", "", "pods", "", "p")));
        assert!(!status.allows(&resource("update", "", "pods", "xstatus", "p")));

        let log = rule(json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]}));
        assert!(log.allows(&resource("get", "", "pods", "log", "p")));
        assert!(!log.allows(&resource("get", "", "pods", "", "p")));
        // Like kube-apiserver, `resource/*` is not a wildcard.
        let star_sub = rule(json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods/*"]}));
        assert!(!star_sub.allows(&resource("get", "", "pods", "log", "p")));

        let named = rule(json!({"verbs": ["get", "list", "create"], "apiGroups": [""], "resources": ["configmaps"],
            "resourceNames": ["a", "b"]}));
        assert!(named.allows(&resource("get", "", "configmaps", "", "a")));
        assert!(!named.allows(&resource("get", "", "configmaps", "", "c")));
        assert!(!named.allows(&resource("list", "", "configmaps", "", "")));
        assert!(!named.allows(&resource("create", "", "configmaps", "", "")));

        let urls = rule(json!({"verbs": ["get"], "nonResourceURLs": ["/healthz", "/apis/*", "/version*"]}));
        assert!(urls.allows(&path("get", "/healthz")));
        assert!(!urls.allows(&path("get", "/healthz/etcd")));
        assert!(urls.allows(&path("get", "/apis/apps/v1")));
        assert!(!urls.allows(&path("get", "/apis")));
        assert!(urls.allows(&path("get", "/versionz")));
        assert!(!urls.allows(&path("post", "/healthz")));
        assert!(!urls.allows(&resource("get", "", "healthz", "", "")), "URL rules never match resources");
        assert!(rule(json!({"verbs": ["*"], "nonResourceURLs": ["*"]})).allows(&path("delete", "/x")));
        assert!(!pods.allows(&path("get", "/healthz")));
    }

    fn user(name: &str, groups: &[&str]) -> UserInfo {
        UserInfo { name: name.into(), groups: groups.iter().map(|g| g.to_string()).collect(), ..Default::default() }
    }

    fn subject(kind: &str, name: &str, namespace: &str) -> Subject {
        Subject { kind: kind.into(), name: name.into(), namespace: namespace.into() }
    }

    #[test]
    fn rbac_subjects_match_users_groups_and_service_accounts() {
        let alice = user("alice", &["devs", "system:authenticated"]);
        assert!(subject("User", "alice", "").applies_to(&alice, ""));
        assert!(!subject("User", "bob", "").applies_to(&alice, ""));
        assert!(subject("Group", "devs", "").applies_to(&alice, ""));
        assert!(!subject("Group", "alice", "").applies_to(&alice, ""));
        assert!(!subject("user", "alice", "").applies_to(&alice, ""), "kinds are case-sensitive");

        let sa = user("system:serviceaccount:ns1:builder", &["system:serviceaccounts"]);
        assert!(subject("ServiceAccount", "builder", "ns1").applies_to(&sa, ""));
        assert!(subject("ServiceAccount", "builder", "").applies_to(&sa, "ns1"), "defaults to the binding's");
        assert!(!subject("ServiceAccount", "builder", "").applies_to(&sa, ""), "a namespace is required");
        assert!(!subject("ServiceAccount", "builder", "ns2").applies_to(&sa, "ns1"));
        assert!(!subject("ServiceAccount", "build", "ns1").applies_to(&sa, ""));
        assert!(!subject("ServiceAccount", "builder", "ns").applies_to(&sa, ""));
        assert_eq!(subject("ServiceAccount", "builder", "").describe("ns1"), r#"ServiceAccount "builder/ns1""#);
        assert_eq!(subject("Group", "devs", "").describe("ns1"), r#"Group "devs""#);
    }

    #[test]
    fn rbac_covers_and_compacts_as_upstream() {
        let owner = rule(json!({"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "*/status"]}));
        let want =
            rule(json!({"verbs": ["get", "delete"], "apiGroups": [""], "resources": ["pods", "services/status"]}));
        let missing: Vec<PolicyRule> = want.breakdown().into_iter().filter(|s| !owner.covers(s)).collect();
        let compacted: Vec<String> = compact_rules(missing).iter().map(PolicyRule::compact_string).collect();
        assert_eq!(
            compacted,
            vec![
                r#"{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}"#,
                r#"{APIGroups:[""], Resources:["services/status"], Verbs:["delete"]}"#
            ]
        );
        let named = rule(
            json!({"verbs": ["get"], "apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": ["x"]}),
        );
        assert!(!named.covers(&rule(json!({"verbs": ["get"], "apiGroups": ["apps"], "resources": ["deployments"]}))));
        assert_eq!(
            named.compact_string(),
            r#"{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["x"], Verbs:["get"]}"#
        );
        let urls = rule(json!({"verbs": ["get"], "nonResourceURLs": ["/logs/*"]}));
        assert!(urls.covers(&rule(json!({"verbs": ["get"], "nonResourceURLs": ["/logs/a"]}))));
        assert!(!urls.covers(&rule(json!({"verbs": ["get"], "nonResourceURLs": ["/metrics"]}))));
        assert_eq!(urls.compact_string(), r#"{NonResourceURLs:["/logs/*"], Verbs:["get"]}"#);
        assert_eq!(go_quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(go_quote_list(&[]), "[]");
    }

    mod with_registry {
        use super::*;
        use crate::catalog::Catalog;
        use crate::registry::{ReadAt, RegistryOptions};
        use kubox_storage::{LocalStore, StoreOptions};

        async fn registry() -> Arc<Registry> {
            let store = Arc::new(LocalStore::in_memory(StoreOptions::default()).unwrap());
            let registry =
                Registry::new(store, Arc::new(Catalog::builtin()), RegistryOptions::default()).await.unwrap();
            let registry = Arc::new(registry);
            create(&registry, "", "namespaces", json!({"metadata": {"name": "ns1"}})).await;
            registry
        }

        fn spec(registry: &Registry, group: &str, plural: &str) -> Arc<ResourceSpec> {
            registry.catalog().get(group, "v1", plural).cloned().unwrap()
        }

        fn ctx() -> WriteContext {
            WriteContext { dry_run: false, field_manager: "test".into(), user: "admin".into(), groups: vec![] }
        }

        async fn create(registry: &Registry, group: &str, plural: &str, object: Value) {
            let spec = spec(registry, group, plural);
            let namespace = object["metadata"]["namespace"].as_str().unwrap_or("").to_string();
            registry.create(&spec, &namespace, object, &ctx()).await.unwrap();
        }

        /// Waits until the RBAC caches hold every write.
        async fn settle(registry: &Registry) {
            for (_, plural) in KINDS {
                let spec = spec(registry, GROUP, plural);
                registry.cache(&spec).unwrap().wait_fresh().await.unwrap();
            }
        }

        async fn role(registry: &Registry, namespace: &str, name: &str, rules: Value) {
            let plural = if namespace.is_empty() { "clusterroles" } else { "roles" };
            let mut metadata = json!({"name": name});
            if !namespace.is_empty() {
                metadata["namespace"] = json!(namespace);
            }
            create(registry, GROUP, plural, json!({"metadata": metadata, "rules": rules})).await;
        }

        async fn binding(registry: &Registry, namespace: &str, name: &str, role_ref: (&str, &str), subjects: Value) {
            let plural = if namespace.is_empty() { "clusterrolebindings" } else { "rolebindings" };
            let mut metadata = json!({"name": name});
            if !namespace.is_empty() {
                metadata["namespace"] = json!(namespace);
            }
            let role_ref = json!({"apiGroup": GROUP, "kind": role_ref.0, "name": role_ref.1});
            create(registry, GROUP, plural, json!({"metadata": metadata, "roleRef": role_ref, "subjects": subjects}))
                .await;
        }

        fn request(user: &UserInfo, verb: &str, namespace: &str, resource: &str, name: &str) -> Attributes {
            Attributes {
                user: user.clone(),
                verb: verb.into(),
                resource_request: true,
                namespace: namespace.into(),
                api_version: "v1".into(),
                resource: resource.into(),
                name: name.into(),
                ..Default::default()
            }
        }

        #[tokio::test]
        async fn rbac_authorizes_through_bindings() {
            let registry = registry().await;
            let rbac = Rbac::new(registry.clone());
            let alice = user("alice", &["system:authenticated"]);
            let reader = json!([{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}]);
            assert_eq!(
                rbac.authorize(&request(&alice, "get", "ns1", "pods", "p")),
                (Decision::NoOpinion, String::new())
            );

            role(&registry, "", "pod-reader", reader.clone()).await;
            binding(
                &registry,
                "",
                "alice-reads",
                ("ClusterRole", "pod-reader"),
                json!([{"kind": "User", "apiGroup": GROUP, "name": "alice"}]),
            )
            .await;
            settle(&registry).await;
            assert_eq!(
                rbac.authorize(&request(&alice, "get", "ns1", "pods", "p")),
                (
                    Decision::Allow,
                    r#"RBAC: allowed by ClusterRoleBinding "alice-reads" of ClusterRole "pod-reader" to User "alice""#
                        .to_string()
                )
            );
            assert_eq!(rbac.authorize(&request(&alice, "delete", "ns1", "pods", "p")).0, Decision::NoOpinion);

            // A RoleBinding to a Role of its namespace, for a service account
            // named without a namespace (the binding's).
            role(
                &registry,
                "ns1",
                "secret-reader",
                json!([{"verbs": ["get"], "apiGroups": [""], "resources": ["secrets"]}]),
            )
            .await;
            binding(
                &registry,
                "ns1",
                "sa-secrets",
                ("Role", "secret-reader"),
                json!([{"kind": "ServiceAccount", "name": "builder", "namespace": "ns1"}]),
            )
            .await;
            // A group bound to a ClusterRole in one namespace only.
            binding(
                &registry,
                "ns1",
                "devs-read",
                ("ClusterRole", "pod-reader"),
                json!([{"kind": "Group", "apiGroup": GROUP, "name": "devs"}]),
            )
            .await;
            // A binding to a role that does not exist.
            binding(
                &registry,
                "ns1",
                "dangling",
                ("Role", "missing"),
                json!([{"kind": "Group", "apiGroup": GROUP, "name": "devs"}]),
            )
            .await;
            settle(&registry).await;

            let sa = user("system:serviceaccount:ns1:builder", &["system:serviceaccounts"]);
            assert_eq!(
                rbac.authorize(&request(&sa, "get", "ns1", "secrets", "s")),
                (
                    Decision::Allow,
                    r#"RBAC: allowed by RoleBinding "sa-secrets/ns1" of Role "secret-reader" to ServiceAccount "builder/ns1""#
                        .to_string()
                )
            );
            assert_eq!(rbac.authorize(&request(&sa, "get", "default", "secrets", "s")).0, Decision::NoOpinion);
            assert_eq!(rbac.authorize(&request(&sa, "get", "", "secrets", "s")).0, Decision::NoOpinion);

            let bob = user("bob", &["devs"]);
            assert_eq!(
                rbac.authorize(&request(&bob, "list", "ns1", "pods", "")),
                (
                    Decision::Allow,
                    r#"RBAC: allowed by RoleBinding "devs-read/ns1" of ClusterRole "pod-reader" to Group "devs""#
                        .to_string()
                )
            );
            assert_eq!(
                rbac.authorize(&request(&bob, "list", "ns1", "secrets", "")),
                (Decision::NoOpinion, r#"RBAC: role.rbac.authorization.k8s.io "missing" not found"#.to_string())
            );
            assert_eq!(rbac.authorize(&request(&bob, "list", "", "pods", "")), (Decision::NoOpinion, String::new()));

            // What bob holds in ns1, for SelfSubjectRulesReview.
            let rules = rbac.rules_for(&bob, "ns1");
            assert_eq!(
                rules.resource_rules,
                vec![ResourceRule {
                    verbs: vec!["get".into(), "list".into()],
                    api_groups: vec!["".into()],
                    resources: vec!["pods".into()],
                    resource_names: vec![],
                }]
            );
            assert!(!rules.incomplete);
            assert_eq!(rules.evaluation_error, r#"role.rbac.authorization.k8s.io "missing" not found"#);

            // Non-resource URLs through a ClusterRoleBinding.
            role(&registry, "", "health", json!([{"verbs": ["get"], "nonResourceURLs": ["/healthz", "/livez/*"]}]))
                .await;
            binding(
                &registry,
                "",
                "everyone-health",
                ("ClusterRole", "health"),
                json!([{"kind": "Group", "apiGroup": GROUP, "name": "system:authenticated"}]),
            )
            .await;
            settle(&registry).await;
            let attrs = Attributes {
                user: alice.clone(),
                verb: "get".into(),
                path: "/livez/etcd".into(),
                ..Default::default()
            };
            assert_eq!(rbac.authorize(&attrs).0, Decision::Allow);
            let rules = rbac.rules_for(&alice, "");
            assert_eq!(
                rules.non_resource_rules,
                vec![NonResourceRule {
                    verbs: vec!["get".into()],
                    non_resource_urls: vec!["/healthz".into(), "/livez/*".into()]
                }]
            );

            assert_eq!(
                rbac.role_ref_rules("", &json!({"kind": "ClusterRole", "name": "pod-reader"})).unwrap(),
                reader.as_array().unwrap().clone()
            );
            assert_eq!(
                rbac.role_ref_rules("ns1", &json!({"kind": "Role", "name": "pod-reader"})).unwrap_err(),
                r#"role.rbac.authorization.k8s.io "pod-reader" not found"#
            );
            assert_eq!(
                rbac.role_ref_rules("", &json!({"kind": "Robot", "name": "x"})).unwrap_err(),
                r#"unsupported role reference kind: "Robot""#
            );
        }

        #[tokio::test]
        async fn rbac_escalation_is_refused_with_upstream_message() {
            let registry = registry().await;
            let rbac = Rbac::new(registry.clone());
            role(
                &registry,
                "",
                "pod-reader",
                json!([{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}]),
            )
            .await;
            binding(
                &registry,
                "ns1",
                "alice-reads",
                ("ClusterRole", "pod-reader"),
                json!([{"kind": "User", "apiGroup": GROUP, "name": "alice"}]),
            )
            .await;
            settle(&registry).await;
            let alice = user("alice", &["g1", "g2"]);
            let held = [json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods"], "resourceNames": ["p"]})];
            assert_eq!(rbac.confirm_no_escalation(&alice, "ns1", &held), Ok(()));
            let err = rbac.confirm_no_escalation(&alice, "", &held).unwrap_err();
            assert_eq!(
                err,
                "user \"alice\" (groups=[\"g1\" \"g2\"]) is attempting to grant RBAC permissions not currently held:\n\
                 {APIGroups:[\"\"], Resources:[\"pods\"], ResourceNames:[\"p\"], Verbs:[\"get\"]}"
            );
            let wanted = [
                json!({"verbs": ["get", "delete", "watch"], "apiGroups": [""], "resources": ["pods", "secrets"]}),
                json!({"verbs": ["get"], "nonResourceURLs": ["/metrics"]}),
            ];
            let err = rbac.confirm_no_escalation(&alice, "ns1", &wanted).unwrap_err();
            assert_eq!(
                err,
                "user \"alice\" (groups=[\"g1\" \"g2\"]) is attempting to grant RBAC permissions not currently held:\n\
                 {APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\" \"watch\"]}\n\
                 {APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"delete\" \"watch\"]}\n\
                 {NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}"
            );

            binding(
                &registry,
                "ns1",
                "dangling",
                ("ClusterRole", "missing"),
                json!([{"kind": "User", "apiGroup": GROUP, "name": "alice"}]),
            )
            .await;
            settle(&registry).await;
            let err = rbac.confirm_no_escalation(&alice, "ns1", &wanted[1..]).unwrap_err();
            assert!(
                err.ends_with(
                    "Verbs:[\"get\"]}; resolution errors: [clusterrole.rbac.authorization.k8s.io \"missing\" not found]"
                ),
                "{err}"
            );
        }

        #[tokio::test]
        async fn rbac_aggregates_cluster_roles_by_label() {
            let registry = registry().await;
            let aggregated = json!({
                "metadata": {"name": "monitoring"},
                "aggregationRule": {"clusterRoleSelectors": [
                    {"matchLabels": {"rbac.example.com/aggregate-to-monitoring": "true"}},
                    {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["extra"]}]},
                ]},
            });
            create(&registry, GROUP, "clusterroles", aggregated).await;
            let label = |labels: Value, name: &str, rules: Value| json!({"metadata": {"name": name, "labels": labels}, "rules": rules});
            let pods = json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]});
            let services = json!({"verbs": ["list"], "apiGroups": [""], "resources": ["services"]});
            let nodes = json!({"verbs": ["get"], "apiGroups": [""], "resources": ["nodes"]});
            create(
                &registry,
                GROUP,
                "clusterroles",
                label(
                    json!({"rbac.example.com/aggregate-to-monitoring": "true"}),
                    "b-services",
                    json!([services, pods]),
                ),
            )
            .await;
            create(
                &registry,
                GROUP,
                "clusterroles",
                label(json!({"rbac.example.com/aggregate-to-monitoring": "true"}), "a-pods", json!([pods])),
            )
            .await;
            create(&registry, GROUP, "clusterroles", label(json!({"tier": "extra"}), "c-nodes", json!([nodes]))).await;
            create(
                &registry,
                GROUP,
                "clusterroles",
                label(json!({"tier": "other"}), "d-other", json!([nodes, services])),
            )
            .await;
            settle(&registry).await;

            aggregate(&registry).await.unwrap();
            let spec = spec(&registry, GROUP, "clusterroles");
            let got = registry.get(&spec, "", "monitoring", ReadAt::Consistent).await.unwrap().value().unwrap();
            assert_eq!(got["rules"], json!([pods, services, nodes]));
            let managers: Vec<&str> = got["metadata"]["managedFields"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|m| m["manager"].as_str())
                .collect();
            assert!(managers.contains(&AGGREGATION_MANAGER), "{managers:?}");

            // Nothing changed: no write.
            settle(&registry).await;
            let before = registry.get(&spec, "", "monitoring", ReadAt::Consistent).await.unwrap().revision;
            aggregate(&registry).await.unwrap();
            let after = registry.get(&spec, "", "monitoring", ReadAt::Consistent).await.unwrap().revision;
            assert_eq!(before, after);

            // The controller follows changes.
            tokio::spawn(run_aggregation(registry.clone()));
            let extra = json!({"verbs": ["watch"], "apiGroups": ["apps"], "resources": ["deployments"]});
            create(&registry, GROUP, "clusterroles", label(json!({"tier": "extra"}), "e-apps", json!([extra]))).await;
            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            loop {
                let got = registry.get(&spec, "", "monitoring", ReadAt::Consistent).await.unwrap().value().unwrap();
                if got["rules"] == json!([pods, services, nodes, extra]) {
                    break;
                }
                assert!(tokio::time::Instant::now() < deadline, "not aggregated: {}", got["rules"]);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}
