//! The Node authorizer (`--authorization-mode=Node`), as kube-apiserver's:
//! a kubelet (user `system:node:NAME` in group `system:nodes`) may read the
//! Secrets, ConfigMaps, PersistentVolumeClaims, PersistentVolumes,
//! ResourceClaims and service account tokens its pods use, and nothing of
//! the kind it does not; the rest of what it may do is the `system:node`
//! rules of the bootstrap policy, narrowed for Nodes, Pods, Leases, CSINodes
//! and ResourceSlices to its own. Other users get no opinion.
//!
//! What a node reaches is a graph kept current from the watch caches of
//! pods, persistentvolumes, volumeattachments and resourceslices: a pod
//! bound to a node links it to the objects its spec names; a bound
//! PersistentVolume links its claim to the volume and to the secrets of its
//! volume source the kubelet uses. The graph is held as maps (object → the
//! nodes whose pods reference it, with counts), so a decision is a few map
//! lookups. Like upstream's, a mirror pod reaches nothing but its node.
//!
//! Whether a node may create or change an object in the first place (its
//! own Node, pods bound to it) is the NodeRestriction admission plugin's
//! business, not this authorizer's.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::RwLock;
use serde_json::Value;

use super::bootstrap_policy::node_rules;
use super::rbac::PolicyRule;
use super::{Attributes, Authorizer, Decision, Rules, UserInfo};
use crate::registry::Registry;
use crate::validation::field::go_quote;
use crate::watchcache::{CachedObject, EventType, Filter, WatchCache, WatchMsg, WatchOptions, WatchStart};

/// The prefix of node user names.
pub const NODE_USER_PREFIX: &str = "system:node:";
/// The group of nodes.
pub const NODES_GROUP: &str = "system:nodes";
/// Where node Leases live.
const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";
/// The annotation of mirror pods (static pods a kubelet reports).
const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// The pause before watching a cache again after the watch failed.
const RESYNC_PAUSE: Duration = Duration::from_millis(200);

/// The node `user` is: `None` if not a node, `Some("")` for a node user
/// without a name (kube-apiserver's NodeIdentity).
pub fn node_identity(user: &UserInfo) -> Option<&str> {
    let name = user.name.strip_prefix(NODE_USER_PREFIX)?;
    user.groups.iter().any(|g| g == NODES_GROUP).then_some(name)
}

/// The kinds of objects in the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Vertex {
    Pod,
    Secret,
    ConfigMap,
    Pvc,
    Pv,
    ServiceAccount,
    ResourceClaim,
    VolumeAttachment,
    ResourceSlice,
}

/// (namespace, name).
type Ref = (String, String);

/// A pod bound to a node and what its spec names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PodEntry {
    node: String,
    refs: Vec<(Vertex, String)>,
}

/// Pods by namespace and name, and the reverse: for each object a pod
/// names, how many pods on each node name it.
#[derive(Debug, Default)]
struct Pods {
    pods: HashMap<Ref, PodEntry>,
    refs: HashMap<(Vertex, String, String), HashMap<String, u32>>,
}

impl Pods {
    fn remove(&mut self, key: &Ref) {
        let Some(entry) = self.pods.remove(key) else { return };
        for (kind, name) in entry.refs {
            let k = (kind, key.0.clone(), name);
            if let Some(nodes) = self.refs.get_mut(&k) {
                if let Some(count) = nodes.get_mut(&entry.node) {
                    *count -= 1;
                    if *count == 0 {
                        nodes.remove(&entry.node);
                    }
                }
                if nodes.is_empty() {
                    self.refs.remove(&k);
                }
            }
        }
    }

    fn set(&mut self, key: Ref, entry: Option<PodEntry>) {
        if self.pods.get(&key) == entry.as_ref() {
            return;
        }
        self.remove(&key);
        let Some(entry) = entry else { return };
        for (kind, name) in &entry.refs {
            *self
                .refs
                .entry((*kind, key.0.clone(), name.clone()))
                .or_default()
                .entry(entry.node.clone())
                .or_default() += 1;
        }
        self.pods.insert(key, entry);
    }

    fn reaches(&self, node: &str, kind: Vertex, namespace: &str, name: &str) -> bool {
        if kind == Vertex::Pod {
            return self.pods.get(&(namespace.to_string(), name.to_string())).is_some_and(|p| p.node == node);
        }
        self.refs.get(&(kind, namespace.to_string(), name.to_string())).is_some_and(|nodes| nodes.contains_key(node))
    }
}

/// A PersistentVolume bound to a claim, and the secrets the kubelet uses
/// to mount it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PvEntry {
    claim: Ref,
    secrets: Vec<Ref>,
}

/// Bound PersistentVolumes by name, and by the secrets they use.
#[derive(Debug, Default)]
struct Pvs {
    pvs: HashMap<String, PvEntry>,
    by_secret: HashMap<Ref, HashSet<String>>,
}

impl Pvs {
    fn set(&mut self, name: &str, entry: Option<PvEntry>) {
        if let Some(old) = self.pvs.remove(name) {
            for secret in old.secrets {
                if let Some(set) = self.by_secret.get_mut(&secret) {
                    set.remove(name);
                    if set.is_empty() {
                        self.by_secret.remove(&secret);
                    }
                }
            }
        }
        let Some(entry) = entry else { return };
        for secret in &entry.secrets {
            self.by_secret.entry(secret.clone()).or_default().insert(name.to_string());
        }
        self.pvs.insert(name.to_string(), entry);
    }
}

/// The graph, one part per watched resource.
#[derive(Debug, Default)]
struct Graph {
    pods: Pods,
    pvs: Pvs,
    /// VolumeAttachment name → node.
    attachments: HashMap<String, String>,
    /// ResourceSlice name → node.
    slices: HashMap<String, String>,
}

/// The resources that feed the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Pods,
    PersistentVolumes,
    VolumeAttachments,
    ResourceSlices,
}

const SOURCES: [(Source, &str, &str); 4] = [
    (Source::Pods, "", "pods"),
    (Source::PersistentVolumes, "", "persistentvolumes"),
    (Source::VolumeAttachments, "storage.k8s.io", "volumeattachments"),
    (Source::ResourceSlices, "resource.k8s.io", "resourceslices"),
];

impl Graph {
    /// Applies a change of an object of `source` (`None`: it is gone).
    fn apply(&mut self, source: Source, namespace: &str, name: &str, object: Option<&Value>) {
        match source {
            Source::Pods => self.pods.set((namespace.to_string(), name.to_string()), object.and_then(pod_entry)),
            Source::PersistentVolumes => self.pvs.set(name, object.and_then(pv_entry)),
            Source::VolumeAttachments | Source::ResourceSlices => {
                let map = if source == Source::VolumeAttachments { &mut self.attachments } else { &mut self.slices };
                match object.and_then(|o| o["spec"]["nodeName"].as_str()).filter(|n| !n.is_empty()) {
                    Some(node) => map.insert(name.to_string(), node.to_string()),
                    None => map.remove(name),
                };
            }
        }
    }

    /// Replaces the part `source` feeds with `fresh`'s.
    fn replace(&mut self, source: Source, fresh: Graph) {
        match source {
            Source::Pods => self.pods = fresh.pods,
            Source::PersistentVolumes => self.pvs = fresh.pvs,
            Source::VolumeAttachments => self.attachments = fresh.attachments,
            Source::ResourceSlices => self.slices = fresh.slices,
        }
    }

    /// Whether there is a path from the object to `node`.
    fn reaches(&self, node: &str, kind: Vertex, namespace: &str, name: &str) -> bool {
        let claim_reaches = |pv: &str| {
            self.pvs.pvs.get(pv).is_some_and(|e| self.pods.reaches(node, Vertex::Pvc, &e.claim.0, &e.claim.1))
        };
        match kind {
            Vertex::Pv => claim_reaches(name),
            Vertex::VolumeAttachment => self.attachments.get(name).is_some_and(|n| n == node),
            Vertex::ResourceSlice => self.slices.get(name).is_some_and(|n| n == node),
            Vertex::Secret => {
                self.pods.reaches(node, kind, namespace, name)
                    || self
                        .pvs
                        .by_secret
                        .get(&(namespace.to_string(), name.to_string()))
                        .is_some_and(|pvs| pvs.iter().any(|pv| claim_reaches(pv)))
            }
            _ => self.pods.reaches(node, kind, namespace, name),
        }
    }
}

/// The string at `pointer`, if not empty.
fn non_empty<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn array(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// What a pod bound to a node links to it, as upstream's AddPod: its
/// service account, the secrets and config maps of its volumes, image pull
/// secrets and containers' environment, its claims (ephemeral volumes'
/// generated ones included) and resource claims. `None` for an unbound pod.
fn pod_entry(pod: &Value) -> Option<PodEntry> {
    let node = non_empty(pod, "/spec/nodeName")?.to_string();
    if pod["metadata"]["annotations"].get(MIRROR_POD_ANNOTATION).is_some() {
        return Some(PodEntry { node, refs: Vec::new() });
    }
    let spec = &pod["spec"];
    let mut refs: Vec<(Vertex, String)> = Vec::new();
    let mut add = |kind: Vertex, name: Option<&str>| {
        if let Some(name) = name.filter(|n| !n.is_empty())
            && !refs.iter().any(|(k, n)| *k == kind && n == name)
        {
            refs.push((kind, name.to_string()));
        }
    };
    add(Vertex::ServiceAccount, non_empty(spec, "/serviceAccountName"));
    for s in array(&spec["imagePullSecrets"]) {
        add(Vertex::Secret, non_empty(s, "/name"));
    }
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for c in array(&spec[list]) {
            for from in array(&c["envFrom"]) {
                add(Vertex::Secret, non_empty(from, "/secretRef/name"));
                add(Vertex::ConfigMap, non_empty(from, "/configMapRef/name"));
            }
            for env in array(&c["env"]) {
                add(Vertex::Secret, non_empty(env, "/valueFrom/secretKeyRef/name"));
                add(Vertex::ConfigMap, non_empty(env, "/valueFrom/configMapKeyRef/name"));
            }
        }
    }
    let pod_name = pod["metadata"]["name"].as_str().unwrap_or_default();
    for v in array(&spec["volumes"]) {
        add(Vertex::Secret, non_empty(v, "/secret/secretName"));
        add(Vertex::Secret, non_empty(v, "/azureFile/secretName"));
        for source in ["cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos"] {
            add(Vertex::Secret, v.get(source).and_then(|s| non_empty(s, "/secretRef/name")));
        }
        add(Vertex::Secret, non_empty(v, "/csi/nodePublishSecretRef/name"));
        add(Vertex::ConfigMap, non_empty(v, "/configMap/name"));
        for p in array(&v["projected"]["sources"]) {
            add(Vertex::Secret, non_empty(p, "/secret/name"));
            add(Vertex::ConfigMap, non_empty(p, "/configMap/name"));
        }
        add(Vertex::Pvc, non_empty(v, "/persistentVolumeClaim/claimName"));
        if v["ephemeral"].is_object()
            && let Some(volume) = non_empty(v, "/name")
        {
            // The claim the ephemeral volume controller makes: POD-VOLUME.
            add(Vertex::Pvc, Some(&format!("{pod_name}-{volume}")));
        }
    }
    let statuses = array(&pod["status"]["resourceClaimStatuses"]);
    for claim in array(&spec["resourceClaims"]) {
        if let Some(name) = non_empty(claim, "/resourceClaimName") {
            add(Vertex::ResourceClaim, Some(name));
        } else if claim["resourceClaimTemplateName"].is_string() {
            // The claim made from the template, once the status names it.
            let generated =
                statuses.iter().find(|s| s["name"] == claim["name"]).and_then(|s| non_empty(s, "/resourceClaimName"));
            add(Vertex::ResourceClaim, generated);
        }
    }
    add(Vertex::ResourceClaim, non_empty(pod, "/status/extendedResourceClaimStatus/resourceClaimName"));
    Some(PodEntry { node, refs })
}

/// A bound PersistentVolume's claim and the secrets of its source the
/// kubelet sees (upstream's VisitPVSecretNames with kubeletVisible), each
/// in its own namespace or else the claim's. `None` if not bound.
fn pv_entry(pv: &Value) -> Option<PvEntry> {
    let spec = &pv["spec"];
    let claim_namespace = non_empty(spec, "/claimRef/namespace").unwrap_or_default();
    let claim = (claim_namespace.to_string(), non_empty(spec, "/claimRef/name")?.to_string());
    let mut secrets: Vec<Ref> = Vec::new();
    let mut add = |namespace: Option<&str>, name: Option<&str>| {
        if let Some(name) = name {
            let r = (namespace.unwrap_or(claim_namespace).to_string(), name.to_string());
            if !secrets.contains(&r) {
                secrets.push(r);
            }
        }
    };
    add(non_empty(spec, "/azureFile/secretNamespace"), non_empty(spec, "/azureFile/secretName"));
    for source in ["cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos"] {
        if let Some(r) = spec[source].get("secretRef") {
            add(non_empty(r, "/namespace"), non_empty(r, "/name"));
        }
    }
    for field in ["nodePublishSecretRef", "nodeStageSecretRef", "nodeExpandSecretRef"] {
        if let Some(r) = spec["csi"].get(field) {
            add(non_empty(r, "/namespace"), non_empty(r, "/name"));
        }
    }
    Some(PvEntry { claim, secrets })
}

/// The Node authorizer.
pub struct NodeAuthorizer {
    graph: Arc<RwLock<Graph>>,
    rules: Vec<PolicyRule>,
}

impl NodeAuthorizer {
    /// The authorizer over `registry`, with the tasks that keep its graph
    /// current from the watch caches (needs a Tokio runtime).
    pub fn start(registry: &Registry) -> Arc<Self> {
        let graph = Arc::new(RwLock::new(Graph::default()));
        for (source, group, plural) in SOURCES {
            let cache = registry
                .catalog()
                .get(group, "v1", plural)
                .and_then(|spec| registry.cache(&registry.storage_spec(spec)).ok());
            match cache {
                Some(cache) => {
                    tokio::spawn(feed(Arc::downgrade(&graph), source, cache));
                }
                None => tracing::warn!(%group, %plural, "node authorizer: no watch cache; the graph lacks them"),
            }
        }
        let rules = node_rules().iter().map(PolicyRule::from_json).collect();
        Arc::new(Self { graph, rules })
    }

    fn reaches(&self, node: &str, kind: Vertex, a: &Attributes) -> bool {
        self.graph.read().reaches(node, kind, &a.namespace, &a.name)
    }

    /// upstream's `authorize`: a named object with a path to the node.
    fn related(&self, node: &str, kind: Vertex, a: &Attributes) -> (Decision, String) {
        if a.name.is_empty() {
            return no("No Object name found");
        }
        if self.reaches(node, kind, a) {
            return (Decision::Allow, String::new());
        }
        tracing::debug!(%node, verb = %a.verb, resource = %a.resource, namespace = %a.namespace, name = %a.name,
            "node authorizer: no relationship");
        no(&format!("no relationship found between node '{node}' and this object"))
    }

    fn read_namespaced(&self, node: &str, kind: Vertex, a: &Attributes) -> (Decision, String) {
        if !matches!(a.verb.as_str(), "get" | "list" | "watch") {
            return no("can only read resources of this type");
        }
        if !a.subresource.is_empty() {
            return no("cannot read subresource");
        }
        if a.namespace.is_empty() {
            return no("can only read namespaced object of this type");
        }
        self.related(node, kind, a)
    }

    fn get(&self, node: &str, kind: Vertex, a: &Attributes) -> (Decision, String) {
        if a.verb != "get" {
            return no("can only get individual resources of this type");
        }
        if !a.subresource.is_empty() {
            return no("cannot get subresource");
        }
        self.related(node, kind, a)
    }

    fn status_update(&self, node: &str, kind: Vertex, a: &Attributes) -> (Decision, String) {
        if !matches!(a.verb.as_str(), "update" | "patch") {
            return no("can only get/update/patch this type");
        }
        if a.subresource != "status" {
            return no("can only update status subresource");
        }
        self.related(node, kind, a)
    }

    fn create_token(&self, node: &str, a: &Attributes) -> (Decision, String) {
        if a.verb != "create" || a.name.is_empty() {
            return no("can only create tokens for individual service accounts");
        }
        if a.subresource != "token" {
            return no("can only create token subresource of serviceaccount");
        }
        self.related(node, Vertex::ServiceAccount, a)
    }

    fn own_named(node: &str, a: &Attributes, what: &str, namespace: Option<&str>) -> (Decision, String) {
        if !matches!(a.verb.as_str(), "get" | "create" | "update" | "patch" | "delete") {
            return no(&format!("can only get, create, update, patch, or delete a {what}"));
        }
        if let Some(namespace) = namespace {
            if a.namespace != namespace {
                return no(&format!("can only access leases in the {} system namespace", go_quote(namespace)));
            }
        } else if !a.subresource.is_empty() {
            return no("cannot authorize CSINode subresources");
        }
        // The name is not known on create: NodeRestriction checks it then.
        if a.verb != "create" && a.name != node {
            return no(&format!("can only access {what} with the same name as the requesting node"));
        }
        (Decision::Allow, String::new())
    }

    fn resource_slice(&self, node: &str, a: &Attributes) -> (Decision, String) {
        if !a.subresource.is_empty() {
            return no("cannot authorize ResourceSlice subresources");
        }
        match a.verb.as_str() {
            "create" => (Decision::Allow, String::new()),
            "get" | "update" | "patch" | "delete" => self.related(node, Vertex::ResourceSlice, a),
            "watch" | "list" | "deletecollection" => {
                if selects_node(&a.field_selector, "spec.nodeName", node) {
                    return (Decision::Allow, String::new());
                }
                no("can only list/watch/deletecollection resourceslices with nodeName field selector")
            }
            _ => no(
                "only the following verbs are allowed for a ResourceSlice: get, watch, list, create, update, patch, delete, deletecollection",
            ),
        }
    }

    fn node_object(node: &str, a: &Attributes) -> (Decision, String) {
        match (a.subresource.as_str(), a.verb.as_str()) {
            // NodeRestriction limits these to the node's own object.
            ("", "create" | "update" | "patch") | ("status", "update" | "patch") => (Decision::Allow, String::new()),
            ("", "get" | "list" | "watch") => {
                if a.name == node {
                    (Decision::Allow, String::new())
                } else if a.name.is_empty() {
                    no(&format!("node '{node}' cannot read all nodes, only its own Node object"))
                } else {
                    no(&format!("node '{node}' cannot read '{}', only its own Node object", a.name))
                }
            }
            _ => (Decision::NoOpinion, String::new()),
        }
    }

    fn pod(&self, node: &str, a: &Attributes) -> (Decision, String) {
        match (a.subresource.as_str(), a.verb.as_str()) {
            ("", "get") => self.get(node, Vertex::Pod, a),
            ("", "list" | "watch") => {
                if selects_node(&a.field_selector, "spec.nodeName", node) {
                    (Decision::Allow, String::new())
                } else if !a.name.is_empty() {
                    self.related(node, Vertex::Pod, a)
                } else {
                    no("can only list/watch pods with spec.nodeName field selector")
                }
            }
            // Mirror pods, status and evictions: NodeRestriction limits
            // them to pods bound to the node.
            ("", "create" | "delete") | ("status", "update" | "patch") | ("eviction", "create") => {
                (Decision::Allow, String::new())
            }
            _ => (Decision::NoOpinion, String::new()),
        }
    }
}

fn no(reason: &str) -> (Decision, String) {
    (Decision::NoOpinion, reason.to_string())
}

/// Whether a raw field selector requires `field` to equal `node`.
fn selects_node(selector: &str, field: &str, node: &str) -> bool {
    selector.split(',').any(|term| {
        let term = term.trim();
        let Some(rest) = term.strip_prefix(field) else { return false };
        rest.strip_prefix("==").or_else(|| rest.strip_prefix('=')).is_some_and(|v| v.trim() == node)
    })
}

impl Authorizer for NodeAuthorizer {
    fn authorize(&self, a: &Attributes) -> (Decision, String) {
        let Some(node) = node_identity(&a.user) else {
            return (Decision::NoOpinion, String::new());
        };
        if node.is_empty() {
            return no(&format!("unknown node for user {}", go_quote(&a.user.name)));
        }
        if a.resource_request {
            match (a.api_group.as_str(), a.resource.as_str()) {
                ("", "secrets") => return self.read_namespaced(node, Vertex::Secret, a),
                ("", "configmaps") => return self.read_namespaced(node, Vertex::ConfigMap, a),
                ("", "persistentvolumeclaims") if a.subresource == "status" => {
                    return self.status_update(node, Vertex::Pvc, a);
                }
                ("", "persistentvolumeclaims") => return self.get(node, Vertex::Pvc, a),
                ("", "persistentvolumes") => return self.get(node, Vertex::Pv, a),
                ("resource.k8s.io", "resourceclaims") => return self.get(node, Vertex::ResourceClaim, a),
                ("storage.k8s.io", "volumeattachments") => return self.get(node, Vertex::VolumeAttachment, a),
                ("", "serviceaccounts") => return self.create_token(node, a),
                ("coordination.k8s.io", "leases") => {
                    return Self::own_named(node, a, "node lease", Some(NODE_LEASE_NAMESPACE));
                }
                ("storage.k8s.io", "csinodes") => return Self::own_named(node, a, "CSINode", None),
                ("resource.k8s.io", "resourceslices") => return self.resource_slice(node, a),
                ("", "nodes") => return Self::node_object(node, a),
                ("", "pods") => return self.pod(node, a),
                _ => {}
            }
        }
        // Everything else: the node rules, the same for every node.
        if self.rules.iter().any(|r| r.allows(a)) {
            return (Decision::Allow, String::new());
        }
        (Decision::NoOpinion, String::new())
    }

    fn rules_for(&self, user: &UserInfo, _: &str) -> Rules {
        if node_identity(user).is_some() {
            return Rules {
                incomplete: true,
                evaluation_error: "node authorizer does not support user rule resolution".into(),
                ..Rules::default()
            };
        }
        Rules::default()
    }
}

/// Keeps `source`'s part of the graph current: a watch of its cache from
/// the current state, applied to a fresh part that replaces the old one
/// once the initial state is in, then change by change; again from the
/// current state whenever the watch ends. Stops when the authorizer goes.
async fn feed(graph: std::sync::Weak<RwLock<Graph>>, source: Source, cache: Arc<WatchCache>) {
    loop {
        let opts = WatchOptions {
            filter: Filter::default(),
            start: WatchStart::CurrentState,
            bookmarks: false,
            send_initial_events: true,
            deadline: None,
        };
        let mut rx = match cache.watch(opts).await {
            Ok(rx) => rx,
            Err(err) => {
                tracing::warn!(?source, err = %err.message, "node authorizer: watch failed; retrying");
                tokio::time::sleep(RESYNC_PAUSE).await;
                continue;
            }
        };
        let mut fresh = Some(Graph::default());
        while let Some(msg) = rx.recv().await {
            let Some(graph) = graph.upgrade() else { return };
            match msg {
                WatchMsg::Bookmark { initial_end: true, .. } => {
                    if let Some(part) = fresh.take() {
                        graph.write().replace(source, part);
                    }
                }
                WatchMsg::Bookmark { .. } => {}
                WatchMsg::Event(kind, object) => {
                    let value = value_of(kind, &object);
                    match fresh.as_mut() {
                        Some(part) => part.apply(source, &object.namespace, &object.name, value.as_ref()),
                        None => graph.write().apply(source, &object.namespace, &object.name, value.as_ref()),
                    }
                }
            }
        }
        if graph.upgrade().is_none() {
            return;
        }
        tracing::info!(?source, "node authorizer: watch ended; resyncing the graph");
        tokio::time::sleep(RESYNC_PAUSE).await;
    }
}

/// The object of an event, `None` for a deletion (or an undecodable one).
fn value_of(kind: EventType, object: &CachedObject) -> Option<Value> {
    if kind == EventType::Deleted {
        return None;
    }
    match object.value() {
        Ok(v) => Some(v),
        Err(err) => {
            tracing::warn!(key = %object.key, err = %err.message, "node authorizer: skipping an undecodable object");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node_user(name: &str) -> UserInfo {
        UserInfo {
            name: format!("{NODE_USER_PREFIX}{name}"),
            groups: vec![NODES_GROUP.into(), "system:authenticated".into()],
            ..UserInfo::default()
        }
    }

    fn request(user: &UserInfo, verb: &str, group: &str, resource: &str, namespace: &str, name: &str) -> Attributes {
        let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
        Attributes {
            user: user.clone(),
            verb: verb.into(),
            resource_request: true,
            namespace: namespace.into(),
            api_group: group.into(),
            api_version: "v1".into(),
            resource: resource.into(),
            subresource: subresource.into(),
            name: name.into(),
            ..Attributes::default()
        }
    }

    fn authorizer(graph: Graph) -> NodeAuthorizer {
        NodeAuthorizer {
            graph: Arc::new(RwLock::new(graph)),
            rules: node_rules().iter().map(PolicyRule::from_json).collect(),
        }
    }

    fn pod(name: &str, node: &str, spec: Value) -> Value {
        let mut p = json!({"metadata": {"name": name, "namespace": "ns"}, "spec": spec});
        p["spec"]["nodeName"] = json!(node);
        p
    }

    #[test]
    fn node_identity_needs_the_prefix_and_the_group() {
        assert_eq!(node_identity(&node_user("n1")), Some("n1"));
        assert_eq!(node_identity(&node_user("")), Some(""));
        let mut u = node_user("n1");
        u.groups.clear();
        assert_eq!(node_identity(&u), None);
        u.name = "alice".into();
        u.groups = vec![NODES_GROUP.into()];
        assert_eq!(node_identity(&u), None);
    }

    #[test]
    fn node_pods_link_what_they_reference() {
        let spec = json!({
            "serviceAccountName": "sa",
            "imagePullSecrets": [{"name": "pull"}],
            "initContainers": [{"envFrom": [{"secretRef": {"name": "init-env"}}]}],
            "containers": [{"env": [
                {"name": "A", "valueFrom": {"secretKeyRef": {"name": "env-secret", "key": "k"}}},
                {"name": "B", "valueFrom": {"configMapKeyRef": {"name": "env-cm", "key": "k"}}}],
                "envFrom": [{"configMapRef": {"name": "from-cm"}}]}],
            "volumes": [
                {"name": "s", "secret": {"secretName": "vol-secret"}},
                {"name": "c", "configMap": {"name": "vol-cm"}},
                {"name": "p", "projected": {"sources": [{"secret": {"name": "proj-secret"}}, {"configMap": {"name": "proj-cm"}}]}},
                {"name": "claim", "persistentVolumeClaim": {"claimName": "data"}},
                {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
                {"name": "csi", "csi": {"driver": "d", "nodePublishSecretRef": {"name": "csi-secret"}}}],
            "resourceClaims": [{"name": "gpu", "resourceClaimName": "gpu-claim"},
                               {"name": "tpl", "resourceClaimTemplateName": "t"},
                               {"name": "later", "resourceClaimTemplateName": "t"}],
        });
        let mut p = pod("web", "n1", spec);
        p["status"] = json!({"resourceClaimStatuses": [{"name": "tpl", "resourceClaimName": "web-tpl-x"}]});
        let entry = pod_entry(&p).unwrap();
        let mut graph = Graph::default();
        graph.apply(Source::Pods, "ns", "web", Some(&p));
        let az = authorizer(graph);
        let n1 = node_user("n1");
        for (resource, group, name) in [
            ("secrets", "", "pull"),
            ("secrets", "", "init-env"),
            ("secrets", "", "env-secret"),
            ("secrets", "", "vol-secret"),
            ("secrets", "", "proj-secret"),
            ("secrets", "", "csi-secret"),
            ("configmaps", "", "env-cm"),
            ("configmaps", "", "from-cm"),
            ("configmaps", "", "vol-cm"),
            ("configmaps", "", "proj-cm"),
            ("persistentvolumeclaims", "", "data"),
            ("persistentvolumeclaims", "", "web-scratch"),
            ("resourceclaims", "resource.k8s.io", "gpu-claim"),
            ("resourceclaims", "resource.k8s.io", "web-tpl-x"),
            ("pods", "", "web"),
        ] {
            assert_eq!(
                az.authorize(&request(&n1, "get", group, resource, "ns", name)),
                (Decision::Allow, String::new()),
                "{resource} {name} ({:?})",
                entry.refs
            );
        }
        let denied = (Decision::NoOpinion, "no relationship found between node 'n1' and this object".to_string());
        assert_eq!(az.authorize(&request(&n1, "get", "", "secrets", "ns", "other")), denied);
        assert_eq!(az.authorize(&request(&n1, "get", "", "secrets", "elsewhere", "pull")), denied);
        let n2 = node_user("n2");
        assert_eq!(
            az.authorize(&request(&n2, "get", "", "secrets", "ns", "pull")),
            (Decision::NoOpinion, "no relationship found between node 'n2' and this object".to_string())
        );
        // Lists, writes, subresources and cluster-wide reads are refused.
        assert_eq!(
            az.authorize(&request(&n1, "list", "", "secrets", "ns", "")),
            (Decision::NoOpinion, "No Object name found".to_string())
        );
        assert_eq!(az.authorize(&request(&n1, "list", "", "secrets", "ns", "pull")).0, Decision::Allow);
        assert_eq!(
            az.authorize(&request(&n1, "update", "", "secrets", "ns", "pull")),
            (Decision::NoOpinion, "can only read resources of this type".to_string())
        );
        assert_eq!(
            az.authorize(&request(&n1, "list", "", "persistentvolumeclaims", "ns", "data")),
            (Decision::NoOpinion, "can only get individual resources of this type".to_string())
        );
        // A token for the pods' service account only.
        assert_eq!(az.authorize(&request(&n1, "create", "", "serviceaccounts/token", "ns", "sa")).0, Decision::Allow);
        assert_eq!(
            az.authorize(&request(&n1, "create", "", "serviceaccounts", "ns", "sa")),
            (Decision::NoOpinion, "can only create token subresource of serviceaccount".to_string())
        );
        assert_eq!(az.authorize(&request(&n1, "create", "", "serviceaccounts/token", "ns", "other")), denied);
        // Not a node: no opinion, no reason.
        let alice = UserInfo { name: "alice".into(), ..UserInfo::default() };
        assert_eq!(
            az.authorize(&request(&alice, "get", "", "secrets", "ns", "pull")),
            (Decision::NoOpinion, "".into())
        );
        assert_eq!(
            az.authorize(&request(&node_user(""), "get", "", "secrets", "ns", "pull")),
            (Decision::NoOpinion, r#"unknown node for user "system:node:""#.to_string())
        );
    }

    #[test]
    fn node_graph_follows_changes() {
        let mut graph = Graph::default();
        let a = pod(
            "a",
            "n1",
            json!({"volumes": [{"name": "s", "secret": {"secretName": "shared"}},
                                                   {"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}),
        );
        let b = pod("b", "n1", json!({"volumes": [{"name": "s", "secret": {"secretName": "shared"}}]}));
        graph.apply(Source::Pods, "ns", "a", Some(&a));
        graph.apply(Source::Pods, "ns", "b", Some(&b));
        assert!(graph.reaches("n1", Vertex::Secret, "ns", "shared"));
        // A PV bound to the claim, with a CSI secret in another namespace.
        let pv = json!({"metadata": {"name": "pv1"}, "spec": {"claimRef": {"namespace": "ns", "name": "data"},
            "csi": {"driver": "d", "nodeStageSecretRef": {"namespace": "csi", "name": "stage"},
                    "controllerPublishSecretRef": {"namespace": "csi", "name": "controller"}}}});
        graph.apply(Source::PersistentVolumes, "", "pv1", Some(&pv));
        assert!(graph.reaches("n1", Vertex::Pv, "", "pv1"));
        assert!(graph.reaches("n1", Vertex::Secret, "csi", "stage"));
        assert!(!graph.reaches("n1", Vertex::Secret, "csi", "controller"), "not the kubelet's");
        assert!(!graph.reaches("n2", Vertex::Pv, "", "pv1"));

        // One of two pods goes: the shared secret stays reachable.
        graph.apply(Source::Pods, "ns", "b", None);
        assert!(graph.reaches("n1", Vertex::Secret, "ns", "shared"));
        // The other moves to n2 (an unbind and rebind).
        graph.apply(Source::Pods, "ns", "a", Some(&pod("a", "n2", a["spec"].clone())));
        assert!(!graph.reaches("n1", Vertex::Secret, "ns", "shared"));
        assert!(graph.reaches("n2", Vertex::Secret, "ns", "shared"));
        assert!(graph.reaches("n2", Vertex::Secret, "csi", "stage"));
        // Unbound: nothing.
        let mut unbound = a.clone();
        unbound["spec"]["nodeName"] = json!("");
        graph.apply(Source::Pods, "ns", "a", Some(&unbound));
        assert!(!graph.reaches("n2", Vertex::Secret, "ns", "shared"));
        assert!(!graph.reaches("n2", Vertex::Pv, "", "pv1"));
        assert!(graph.pods.refs.is_empty() && graph.pods.pods.is_empty());
        graph.apply(Source::PersistentVolumes, "", "pv1", None);
        assert!(graph.pvs.by_secret.is_empty());

        // A mirror pod reaches nothing but its node.
        let mut mirror = pod("m", "n1", json!({"volumes": [{"name": "s", "secret": {"secretName": "x"}}]}));
        mirror["metadata"]["annotations"] = json!({MIRROR_POD_ANNOTATION: "h"});
        graph.apply(Source::Pods, "ns", "m", Some(&mirror));
        assert!(graph.reaches("n1", Vertex::Pod, "ns", "m"));
        assert!(!graph.reaches("n1", Vertex::Secret, "ns", "x"));

        let va = json!({"metadata": {"name": "va1"}, "spec": {"nodeName": "n1"}});
        graph.apply(Source::VolumeAttachments, "", "va1", Some(&va));
        assert!(graph.reaches("n1", Vertex::VolumeAttachment, "", "va1"));
        graph.apply(Source::VolumeAttachments, "", "va1", None);
        assert!(!graph.reaches("n1", Vertex::VolumeAttachment, "", "va1"));
    }

    #[test]
    fn node_objects_leases_and_pods_are_narrowed_to_the_node() {
        let az = authorizer(Graph::default());
        let n1 = node_user("n1");
        let allow = (Decision::Allow, String::new());
        assert_eq!(az.authorize(&request(&n1, "get", "", "nodes", "", "n1")), allow);
        assert_eq!(
            az.authorize(&request(&n1, "get", "", "nodes", "", "n2")),
            (Decision::NoOpinion, "node 'n1' cannot read 'n2', only its own Node object".to_string())
        );
        assert_eq!(
            az.authorize(&request(&n1, "list", "", "nodes", "", "")),
            (Decision::NoOpinion, "node 'n1' cannot read all nodes, only its own Node object".to_string())
        );
        // Writes to Node objects are NodeRestriction's to narrow.
        assert_eq!(az.authorize(&request(&n1, "patch", "", "nodes/status", "", "n2")), allow);
        assert_eq!(az.authorize(&request(&n1, "delete", "", "nodes", "", "n1")).0, Decision::NoOpinion);

        let lease = |verb: &str, namespace: &str, name: &str| {
            az.authorize(&request(&n1, verb, "coordination.k8s.io", "leases", namespace, name))
        };
        assert_eq!(lease("create", NODE_LEASE_NAMESPACE, ""), allow);
        assert_eq!(lease("update", NODE_LEASE_NAMESPACE, "n1"), allow);
        assert_eq!(
            lease("update", NODE_LEASE_NAMESPACE, "n2"),
            (Decision::NoOpinion, "can only access node lease with the same name as the requesting node".to_string())
        );
        assert_eq!(
            lease("get", "default", "n1"),
            (Decision::NoOpinion, r#"can only access leases in the "kube-node-lease" system namespace"#.to_string())
        );
        assert_eq!(
            lease("list", NODE_LEASE_NAMESPACE, ""),
            (Decision::NoOpinion, "can only get, create, update, patch, or delete a node lease".to_string())
        );
        assert_eq!(az.authorize(&request(&n1, "update", "storage.k8s.io", "csinodes", "", "n1")), allow);
        assert_eq!(
            az.authorize(&request(&n1, "update", "storage.k8s.io", "csinodes", "", "n2")).0,
            Decision::NoOpinion
        );

        let mut list = request(&n1, "list", "", "pods", "", "");
        assert_eq!(
            az.authorize(&list),
            (Decision::NoOpinion, "can only list/watch pods with spec.nodeName field selector".to_string())
        );
        list.field_selector = "spec.nodeName=n1".into();
        assert_eq!(az.authorize(&list), allow);
        list.field_selector = "status.phase!=Failed,spec.nodeName==n1".into();
        assert_eq!(az.authorize(&list), allow);
        list.field_selector = "spec.nodeName=n2".into();
        assert_eq!(az.authorize(&list).0, Decision::NoOpinion);
        assert_eq!(az.authorize(&request(&n1, "create", "", "pods", "ns", "")), allow);
        assert_eq!(az.authorize(&request(&n1, "patch", "", "pods/status", "ns", "p")), allow);
        assert_eq!(az.authorize(&request(&n1, "update", "", "pods", "ns", "p")).0, Decision::NoOpinion);

        // The rest: the system:node rules.
        assert_eq!(az.authorize(&request(&n1, "list", "", "services", "", "")), allow);
        assert_eq!(az.authorize(&request(&n1, "create", "", "events", "ns", "")), allow);
        assert_eq!(az.authorize(&request(&n1, "delete", "", "services", "ns", "s")), (Decision::NoOpinion, "".into()));
        assert!(az.rules_for(&n1, "ns").incomplete);
    }

    mod with_registry {
        use super::*;
        use crate::catalog::Catalog;
        use crate::registry::{DeleteOptions, RegistryOptions, WriteContext};
        use kubox_storage::{LocalStore, StoreOptions};

        #[tokio::test]
        async fn node_graph_is_fed_by_the_watch_caches() {
            let store = Arc::new(LocalStore::in_memory(StoreOptions::default()).unwrap());
            let registry =
                Arc::new(Registry::new(store, Arc::new(Catalog::builtin()), RegistryOptions::default()).await.unwrap());
            let ctx = WriteContext { dry_run: false, field_manager: "t".into(), user: "admin".into(), groups: vec![] };
            let pods = registry.catalog().get("", "v1", "pods").cloned().unwrap();
            let namespaces = registry.catalog().get("", "v1", "namespaces").cloned().unwrap();
            registry.create(&namespaces, "", json!({"metadata": {"name": "ns"}}), &ctx).await.unwrap();
            // A pod that exists before the authorizer starts.
            let before = json!({"metadata": {"name": "before", "namespace": "ns"}, "spec": {"nodeName": "n1",
                "containers": [{"name": "c", "image": "i"}],
                "volumes": [{"name": "s", "secret": {"secretName": "early"}}]}});
            registry.create(&pods, "ns", before, &ctx).await.unwrap();

            let az = NodeAuthorizer::start(&registry);
            let n1 = node_user("n1");
            let wait_for = |secret: &'static str, want: Decision| {
                let az = az.clone();
                let n1 = n1.clone();
                async move {
                    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
                    loop {
                        if az.authorize(&request(&n1, "get", "", "secrets", "ns", secret)).0 == want {
                            return;
                        }
                        assert!(tokio::time::Instant::now() < deadline, "{secret}: never {want:?}");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            };
            wait_for("early", Decision::Allow).await;
            let later = json!({"metadata": {"name": "later", "namespace": "ns"}, "spec": {"nodeName": "n1",
                "containers": [{"name": "c", "image": "i", "envFrom": [{"secretRef": {"name": "late"}}]}]}});
            registry.create(&pods, "ns", later, &ctx).await.unwrap();
            wait_for("late", Decision::Allow).await;
            let opts = DeleteOptions { grace_period_seconds: Some(0), ..DeleteOptions::default() };
            registry.delete(&pods, "ns", "later", &opts, &ctx).await.unwrap();
            wait_for("late", Decision::NoOpinion).await;
            wait_for("early", Decision::Allow).await;
        }
    }
}
