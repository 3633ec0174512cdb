//! The CRD controller, the parts of apiextensions-apiserver's naming,
//! establishing and finalizing controllers kubox needs. Every node runs it
//! off its own CRD watch cache and swaps its registry's catalog
//! ([`Registry::set_custom_resources`]) when CRDs change, so a new CRD is
//! served within moments on every node. The leader also writes what the
//! cluster shares: the CRDs' status (NamesAccepted, Established,
//! acceptedNames, storedVersions) and the cleanup of deleted CRDs (their
//! objects deleted, then the `customresourcecleanup` finalizer removed).
//!
//! Which CRD gets a contested name is decided from the CRDs alone (oldest
//! first, then by name), so every node serves the same set even before the
//! leader has written the status.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::{CLEANUP_FINALIZER, GROUP, requested_names, resource_specs, storage_version};
use crate::catalog::ResourceSpec;
use crate::errors::{ApiError, ApiResult};
use crate::registry::{DeleteOptions, ListOptions, Part, PropagationPolicy, Registry, WatchParams, WriteContext};
use crate::timefmt::Timestamp;
use crate::watchcache::{Filter, WatchMsg};

/// How often the controller looks again without a change (cleanup retries).
const RESYNC: Duration = Duration::from_secs(2);

fn controller_context() -> WriteContext {
    WriteContext {
        dry_run: false,
        field_manager: "kube-apiserver".into(),
        user: "system:apiserver".into(),
        groups: vec!["system:masters".into(), "system:authenticated".into()],
    }
}

/// Sets (or replaces) a condition of a CRD's status, keeping its
/// lastTransitionTime when the status does not change.
pub fn set_condition(crd: &mut Value, type_: &str, status: &str, reason: &str, message: &str) {
    if !crd["status"].is_object() {
        crd["status"] = json!({});
    }
    if !crd["status"]["conditions"].is_array() {
        crd["status"]["conditions"] = json!([]);
    }
    let now = Timestamp::now().rfc3339();
    let Some(conds) = crd["status"]["conditions"].as_array_mut() else { return };
    match conds.iter_mut().find(|c| c["type"] == type_) {
        Some(c) => {
            let since = if c["status"] == status { c["lastTransitionTime"].clone() } else { json!(now) };
            *c = json!({"type": type_, "status": status, "lastTransitionTime": since, "reason": reason, "message": message});
        }
        None => conds.push(
            json!({"type": type_, "status": status, "lastTransitionTime": now, "reason": reason, "message": message}),
        ),
    }
}

/// What the controller decided for one CRD.
struct Decision {
    /// The names served (status.acceptedNames), when accepted.
    accepted: Option<Value>,
    /// NamesAccepted condition: (status, reason, message).
    names_accepted: (&'static str, &'static str, String),
}

/// Decides name acceptance for every CRD: oldest first, a CRD's names are
/// accepted unless another accepted CRD of its group already uses one.
fn decide(crds: &[Value]) -> BTreeMap<String, Decision> {
    let mut ordered: Vec<&Value> = crds.iter().collect();
    ordered.sort_by_key(|c| {
        (
            c["metadata"]["creationTimestamp"].as_str().unwrap_or("").to_string(),
            c["metadata"]["name"].as_str().unwrap_or("").to_string(),
        )
    });
    // Per group: every name taken (plural, singular, short names, kinds).
    let mut taken: BTreeMap<String, (HashSet<String>, HashSet<String>)> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for crd in ordered {
        let name = crd["metadata"]["name"].as_str().unwrap_or("").to_string();
        let group = crd["spec"]["group"].as_str().unwrap_or("").to_string();
        let names = requested_names(crd);
        let (resources, kinds) = taken.entry(group).or_default();
        let s = |k: &str| names[k].as_str().unwrap_or("").to_string();
        let shorts: Vec<String> = names["shortNames"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        let conflict = if resources.contains(&s("plural")) {
            Some(("PluralConflict", format!("{:?} is already in use", s("plural"))))
        } else if resources.contains(&s("singular")) {
            Some(("SingularConflict", format!("{:?} is already in use", s("singular"))))
        } else if let Some(short) = shorts.iter().find(|x| resources.contains(*x)) {
            Some(("ShortNamesConflict", format!("{short:?} is already in use")))
        } else if kinds.contains(&s("kind")) {
            Some(("KindConflict", format!("{:?} is already in use", s("kind"))))
        } else if kinds.contains(&s("listKind")) {
            Some(("ListKindConflict", format!("{:?} is already in use", s("listKind"))))
        } else {
            None
        };
        let decision = match conflict {
            Some((reason, message)) => Decision { accepted: None, names_accepted: ("False", reason, message) },
            None => {
                resources.insert(s("plural"));
                resources.insert(s("singular"));
                resources.extend(shorts);
                kinds.insert(s("kind"));
                kinds.insert(s("listKind"));
                Decision { accepted: Some(names), names_accepted: ("True", "NoConflicts", "no conflicts found".into()) }
            }
        };
        out.insert(name, decision);
    }
    out
}

/// The CRDs in the watch cache, and the catalog entry of CRDs.
async fn current_crds(registry: &Registry) -> ApiResult<(Arc<ResourceSpec>, Vec<Value>)> {
    let spec = registry
        .catalog()
        .get(GROUP, "v1", "customresourcedefinitions")
        .cloned()
        .ok_or_else(|| ApiError::internal("no CustomResourceDefinition resource in the catalog"))?;
    let cache = registry.cache(&spec)?;
    cache.wait_for(0).await?;
    let (items, _) = cache.list(&Filter::default());
    let crds = items.iter().filter_map(|o| o.value().ok()).collect();
    Ok((spec, crds))
}

/// Brings the served catalog in line with the CRDs in the watch cache.
/// Returns the CRDs and the decisions, for the leader's status writes.
async fn sync_catalog(registry: &Registry) -> ApiResult<(Arc<ResourceSpec>, Vec<Value>, BTreeMap<String, Decision>)> {
    let (spec, crds) = current_crds(registry).await?;
    let decisions = decide(&crds);
    let mut custom = Vec::new();
    // What the served set depends on: a catalog is only rebuilt (and the
    // discovery and OpenAPI documents with it) when this changes.
    let mut fingerprint = String::new();
    for crd in &crds {
        let name = crd["metadata"]["name"].as_str().unwrap_or("");
        if let Some(Decision { accepted: Some(names), .. }) = decisions.get(name) {
            let m = &crd["metadata"];
            fingerprint
                .push_str(&format!("{name}/{}/{}/{}/{names};", m["uid"], m["generation"], m["deletionTimestamp"]));
            custom.extend(resource_specs(crd, names).into_iter().map(Arc::new));
        }
    }
    if registry.set_custom_resources(custom, &fingerprint) {
        tracing::info!(crds = crds.len(), "serving the custom resources of the established CRDs");
    }
    Ok((spec, crds, decisions))
}

/// Serves the CRDs stored now (at start, before the server listens).
pub async fn sync(registry: &Registry) -> ApiResult<()> {
    sync_catalog(registry).await.map(|_| ())
}

/// The status a CRD should have.
fn desired_status(crd: &Value, d: &Decision) -> Value {
    let mut c = crd.clone();
    let (status, reason, message) = &d.names_accepted;
    set_condition(&mut c, "NamesAccepted", status, reason, message);
    match &d.accepted {
        Some(names) => {
            c["status"]["acceptedNames"] = names.clone();
            set_condition(
                &mut c,
                "Established",
                "True",
                "InitialNamesAccepted",
                "the initial names have been accepted",
            );
        }
        None => {
            if !c["status"]["acceptedNames"].is_object() {
                c["status"]["acceptedNames"] = json!({"plural": "", "kind": ""});
            }
            set_condition(&mut c, "Established", "False", "NotAccepted", "not all names are accepted");
        }
    }
    let mut stored: Vec<Value> = c["status"]["storedVersions"].as_array().cloned().unwrap_or_default();
    if let Some(v) = storage_version(crd)
        && !stored.iter().any(|s| s == v.as_str())
    {
        stored.push(json!(v));
    }
    c["status"]["storedVersions"] = Value::Array(stored);
    c
}

/// Whether two statuses differ in anything but condition timestamps.
fn status_differs(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v["status"].clone();
        if let Some(cs) = v["conditions"].as_array_mut() {
            for c in cs {
                if let Some(m) = c.as_object_mut() {
                    m.remove("lastTransitionTime");
                }
            }
        }
        v
    };
    strip(a) != strip(b)
}

/// The leader's writes: status, and the cleanup of deleted CRDs.
async fn reconcile(registry: &Registry, spec: &ResourceSpec, crds: &[Value], decisions: &BTreeMap<String, Decision>) {
    let ctx = controller_context();
    for crd in crds {
        let name = crd["metadata"]["name"].as_str().unwrap_or("").to_string();
        if crd["metadata"]["deletionTimestamp"].is_string() {
            if let Err(err) = cleanup(registry, spec, crd, &ctx).await {
                tracing::warn!(%err, crd = %name, "CRD controller: cleanup incomplete; will retry");
            }
            continue;
        }
        let Some(d) = decisions.get(&name) else { continue };
        let desired = desired_status(crd, d);
        if !status_differs(crd, &desired) {
            continue;
        }
        if let Err(err) = registry.update(spec, "", &name, Part::Status, desired, &ctx).await {
            tracing::debug!(%err, crd = %name, "CRD controller: status write failed; will retry");
        }
    }
}

/// Deletes a deleted CRD's objects; once none is left, removes the cleanup
/// finalizer (which deletes the CRD).
async fn cleanup(registry: &Registry, spec: &ResourceSpec, crd: &Value, ctx: &WriteContext) -> ApiResult<()> {
    let name = crd["metadata"]["name"].as_str().unwrap_or("").to_string();
    let has_finalizer =
        crd["metadata"]["finalizers"].as_array().is_some_and(|f| f.iter().any(|x| x == CLEANUP_FINALIZER));
    if !has_finalizer {
        return Ok(());
    }
    let mut terminating = crd.clone();
    set_condition(
        &mut terminating,
        "Terminating",
        "True",
        "InstanceDeletionInProgress",
        "CustomResource deletion is in progress",
    );
    if status_differs(crd, &terminating) {
        registry.update(spec, "", &name, Part::Status, terminating, ctx).await?;
    }
    // Any served version reaches every object (they share the storage prefix).
    let served =
        registry.catalog().all().iter().find(|r| r.custom.as_ref().is_some_and(|c| c.crd_name == name)).cloned();
    if let Some(r) = served {
        let storage = registry.storage_spec(&r);
        let page = registry.list(&storage, "", &ListOptions::default()).await?;
        let opts = DeleteOptions {
            grace_period_seconds: Some(0),
            propagation: Some(PropagationPolicy::Background),
            ..DeleteOptions::default()
        };
        let mut left = 0;
        for item in &page.items {
            left += 1;
            if item.value()?["metadata"]["deletionTimestamp"].is_string() {
                continue;
            }
            match registry.delete(&storage, &item.namespace, &item.name, &opts, ctx).await {
                Ok(_) | Err(ApiError { code: 404, .. }) => {}
                Err(e) => return Err(e),
            }
        }
        if left > 0 && !registry.list(&storage, "", &ListOptions::default()).await?.items.is_empty() {
            return Ok(());
        }
    }
    let current = registry.get(spec, "", &name, crate::registry::ReadAt::Consistent).await?;
    let mut updated = current.value()?;
    if let Some(f) = updated["metadata"]["finalizers"].as_array_mut() {
        f.retain(|x| x != CLEANUP_FINALIZER);
    }
    match registry.update(spec, "", &name, Part::Main, updated, ctx).await {
        Ok(_) | Err(ApiError { code: 404, .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Runs the controller until the store closes: on every change of a CRD
/// (and every [`RESYNC`]), the catalog is synced; the leader
/// (`is_leader`) writes statuses and cleans up deleted CRDs.
pub async fn run(registry: Arc<Registry>, is_leader: Arc<dyn Fn() -> bool + Send + Sync>) {
    let mut rx: Option<tokio::sync::mpsc::Receiver<WatchMsg>> = None;
    let mut tick = tokio::time::interval(RESYNC);
    loop {
        if rx.is_none() {
            let Some(spec) = registry.catalog().get(GROUP, "v1", "customresourcedefinitions").cloned() else { return };
            let params = WatchParams { resource_version: "0".into(), ..WatchParams::default() };
            match registry.watch(&spec, "", "", &params).await {
                Ok(r) => rx = Some(r),
                Err(err) => tracing::warn!(%err, "CRD controller: watch failed; retrying"),
            }
        }
        tokio::select! {
            msg = next(&mut rx) => match msg {
                // Take whatever else arrived with it in one pass.
                Some(_) => while let Some(Ok(_)) = rx.as_mut().map(|r| r.try_recv()) {},
                None => {
                    rx = None;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            },
            _ = tick.tick() => {}
        }
        match sync_catalog(&registry).await {
            Ok((spec, crds, decisions)) => {
                if is_leader() {
                    reconcile(&registry, &spec, &crds, &decisions).await;
                }
            }
            Err(err) => tracing::warn!(%err, "CRD controller: sync failed; will retry"),
        }
    }
}

/// The next message of a watch, or never when there is none.
async fn next(rx: &mut Option<tokio::sync::mpsc::Receiver<WatchMsg>>) -> Option<WatchMsg> {
    match rx {
        Some(r) => r.recv().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crd(name: &str, plural: &str, kind: &str, short: &[&str], created: &str) -> Value {
        let group = name.split_once('.').map(|x| x.1).unwrap_or("");
        json!({"metadata": {"name": name, "creationTimestamp": created},
               "spec": {"group": group, "names": {"plural": plural, "kind": kind, "shortNames": short},
                        "versions": [{"name": "v1", "served": true, "storage": true}]}})
    }

    mod with_registry {
        use kubox_storage::{LocalStore, StoreOptions};

        use super::*;
        use crate::catalog::Catalog;
        use crate::registry::{ReadAt, RegistryOptions};

        fn ctx() -> WriteContext {
            WriteContext { dry_run: false, field_manager: "test".into(), user: "admin".into(), groups: vec![] }
        }

        #[tokio::test]
        async fn a_created_crd_is_served_and_established() {
            let store = Arc::new(LocalStore::in_memory(StoreOptions::default()).unwrap());
            let registry =
                Registry::new(store, Arc::new(Catalog::builtin()), RegistryOptions::default()).await.unwrap();
            let crds = registry.catalog().get(GROUP, "v1", "customresourcedefinitions").cloned().unwrap();
            let crd = json!({
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": "widgets.example.com"},
                "spec": {"group": "example.com", "scope": "Cluster",
                    "names": {"plural": "widgets", "kind": "Widget"},
                    "versions": [{"name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
                        "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object",
                            "properties": {"size": {"type": "integer", "default": 3}}}}}}}]}
            });
            registry.create(&crds, "", crd, &ctx()).await.unwrap();
            registry.cache(&crds).unwrap().wait_fresh().await.unwrap();
            let (spec, all, decisions) = sync_catalog(&registry).await.unwrap();
            assert_eq!(all.len(), 1);
            let widgets = registry.catalog().get("example.com", "v1", "widgets").cloned().expect("served");
            reconcile(&registry, &spec, &all, &decisions).await;
            let stored =
                registry.get(&crds, "", "widgets.example.com", ReadAt::Consistent).await.unwrap().value().unwrap();
            let established = stored["status"]["conditions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["type"] == "Established" && c["status"] == "True");
            assert!(established, "{}", stored["status"]);
            let w = registry
                .create(
                    &widgets,
                    "",
                    json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {}}),
                    &ctx(),
                )
                .await
                .unwrap();
            assert_eq!(w.value().unwrap()["metadata"]["generation"], 1);
        }
    }

    #[test]
    fn the_older_crd_keeps_a_contested_name() {
        let crds = vec![
            crd("gadgets.example.com", "gadgets", "Widget", &[], "2024-01-02T00:00:00Z"),
            crd("widgets.example.com", "widgets", "Widget", &["wd"], "2024-01-01T00:00:00Z"),
            crd("things.example.com", "things", "Thing", &["wd"], "2024-01-03T00:00:00Z"),
            crd("widgets.other.io", "widgets", "Widget", &[], "2024-01-04T00:00:00Z"),
        ];
        let d = decide(&crds);
        assert!(d["widgets.example.com"].accepted.is_some());
        // Both kinds default their singular to "widget", which is checked first.
        assert_eq!(
            d["gadgets.example.com"].names_accepted,
            ("False", "SingularConflict", "\"widget\" is already in use".to_string())
        );
        assert_eq!(d["things.example.com"].names_accepted.1, "ShortNamesConflict");
        assert!(d["widgets.other.io"].accepted.is_some());
        let status = desired_status(&crds[1], &d["widgets.example.com"]);
        assert_eq!(status["status"]["storedVersions"], json!(["v1"]));
        assert_eq!(status["status"]["acceptedNames"]["listKind"], "WidgetList");
        let conds = status["status"]["conditions"].as_array().unwrap();
        assert_eq!(conds[1]["type"], "Established");
        assert_eq!(conds[1]["status"], "True");
    }
}
