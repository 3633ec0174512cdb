//! The namespace controller: a namespace marked Terminating has everything
//! in it deleted, then its `kubernetes` finalizer removed, so that
//! `kubectl delete namespace` completes (the part of kube-controller-manager
//! that envtest users miss most). Objects that carry finalizers of their own
//! keep the namespace Terminating until those are removed, as upstream.
//!
//! There is no kubelet, so pods are deleted without a grace period.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use kubox_api::registry::{
    DeleteOptions, ListOptions, Part, PropagationPolicy, ReadAt, Registry, WatchParams, WriteContext,
};
use kubox_api::watchcache::WatchMsg;
use serde_json::json;

const FINALIZER: &str = "kubernetes";
/// How often terminating namespaces are looked at again.
const RESYNC: Duration = Duration::from_secs(2);

fn controller() -> WriteContext {
    WriteContext {
        dry_run: false,
        field_manager: "kube-controller-manager".into(),
        user: "system:serviceaccount:kube-system:namespace-controller".into(),
        groups: vec!["system:masters".into(), "system:authenticated".into()],
    }
}

/// Runs the controller until the registry's store closes.
pub async fn run(registry: Arc<Registry>, is_leader: Arc<dyn Fn() -> bool + Send + Sync>) {
    let Some(namespaces) = registry.catalog().get("", "v1", "namespaces").cloned() else { return };
    loop {
        let params = WatchParams { resource_version: String::new(), ..WatchParams::default() };
        let mut rx = match registry.watch(&namespaces, "", "", &params).await {
            Ok(rx) => rx,
            Err(err) => {
                tracing::warn!(%err, "namespace controller: watch failed; retrying");
                tokio::time::sleep(RESYNC).await;
                continue;
            }
        };
        let mut terminating: HashSet<String> = HashSet::new();
        let mut tick = tokio::time::interval(RESYNC);
        loop {
            tokio::select! {
                msg = rx.recv() => match msg {
                    Some(WatchMsg::Event(_, o)) => {
                        if o.value().is_ok_and(|v| v["metadata"]["deletionTimestamp"].is_string()) {
                            terminating.insert(o.name.clone());
                        } else {
                            terminating.remove(&o.name);
                        }
                    }
                    Some(WatchMsg::Bookmark { .. }) => {}
                    None => break,
                },
                _ = tick.tick() => {}
            }
            if !is_leader() {
                // One controller acts for the cluster: the leader's.
                continue;
            }
            let names: Vec<String> = terminating.iter().cloned().collect();
            for name in names {
                match finalize(&registry, &name).await {
                    Ok(true) => {
                        terminating.remove(&name);
                    }
                    Ok(false) => {}
                    Err(err) => {
                        tracing::warn!(%err, namespace = %name, "namespace controller: cleanup incomplete; will retry")
                    }
                }
            }
        }
        tokio::time::sleep(RESYNC).await;
    }
}

/// Deletes what is left in a terminating namespace; when nothing is left,
/// removes the finalizer. Returns whether the namespace is done.
async fn finalize(registry: &Registry, namespace: &str) -> Result<bool, kubox_api::errors::ApiError> {
    let catalog = registry.catalog().clone();
    let ctx = controller();
    let mut remaining = 0usize;
    let mut seen_prefixes = HashSet::new();
    for spec in catalog.all() {
        if !spec.namespaced || !spec.is_stored() || !seen_prefixes.insert(spec.storage_prefix.clone()) {
            continue;
        }
        let spec = registry.storage_spec(spec);
        let page = registry.list(&spec, namespace, &ListOptions::default()).await?;
        if page.items.is_empty() {
            continue;
        }
        let opts = DeleteOptions {
            grace_period_seconds: Some(0),
            propagation: Some(PropagationPolicy::Background),
            ..DeleteOptions::default()
        };
        for item in page.items {
            if item.value()?["metadata"]["deletionTimestamp"].is_null() {
                match registry.delete(&spec, namespace, &item.name, &opts, &ctx).await {
                    Ok(_) | Err(kubox_api::errors::ApiError { code: 404, .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            remaining += 1;
        }
    }
    if remaining > 0 {
        // Deleted objects without finalizers are gone on the next pass.
        let still: usize = count_left(registry, namespace).await?;
        if still > 0 {
            return Ok(false);
        }
    }
    let Some(namespaces) = catalog.get("", "v1", "namespaces").cloned() else { return Ok(true) };
    let ns = match registry.get(&namespaces, "", namespace, ReadAt::Consistent).await {
        Ok(ns) => ns,
        Err(e) if e.code == 404 => return Ok(true),
        Err(e) => return Err(e),
    };
    let mut updated = ns.value()?;
    let finalizers: Vec<String> = updated["spec"]["finalizers"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).filter(|f| *f != FINALIZER).map(str::to_string).collect())
        .unwrap_or_default();
    updated["spec"]["finalizers"] = json!(finalizers);
    match registry.update(&namespaces, "", namespace, Part::Finalize, updated, &ctx).await {
        Ok(_) => Ok(true),
        Err(e) if e.code == 404 => Ok(true),
        Err(e) => Err(e),
    }
}

async fn count_left(registry: &Registry, namespace: &str) -> Result<usize, kubox_api::errors::ApiError> {
    let mut n = 0;
    let mut seen = HashSet::new();
    for spec in registry.catalog().all() {
        if !spec.namespaced || !spec.is_stored() || !seen.insert(spec.storage_prefix.clone()) {
            continue;
        }
        let spec = registry.storage_spec(spec);
        n += registry.list(&spec, namespace, &ListOptions::default()).await?.items.len();
    }
    Ok(n)
}
