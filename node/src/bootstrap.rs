//! What kube-apiserver creates at start, created here too when missing: the
//! namespaces default, kube-system, kube-public and kube-node-lease; the
//! `kubernetes` Service in default (the first address of the service range;
//! its endpoints are kept by [`crate::endpoints`]); and the system
//! PriorityClasses.

use anyhow::Result;
use kubox_api::registry::{Registry, WriteContext};
use serde_json::{Value, json};

pub(crate) fn system() -> WriteContext {
    WriteContext {
        dry_run: false,
        field_manager: "kube-apiserver".into(),
        user: "system:apiserver".into(),
        groups: vec!["system:masters".into(), "system:authenticated".into()],
    }
}

async fn ensure(
    registry: &Registry,
    group: &str,
    version: &str,
    resource: &str,
    namespace: &str,
    object: Value,
) -> Result<()> {
    let spec = registry
        .catalog()
        .get(group, version, resource)
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no resource {group}/{version} {resource}"))?;
    let name = object["metadata"]["name"].as_str().unwrap_or("").to_string();
    if registry.get(&spec, namespace, &name, kubox_api::registry::ReadAt::Consistent).await.is_ok() {
        return Ok(());
    }
    match registry.create(&spec, namespace, object, &system()).await {
        Ok(_) => Ok(()),
        Err(e) if e.code == 409 => Ok(()),
        Err(e) => Err(anyhow::anyhow!("creating a built-in {resource}: {e}")),
    }
}

/// Creates the built-in objects that are missing.
pub async fn run(registry: &Registry, port: u16) -> Result<()> {
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        ensure(
            registry,
            "",
            "v1",
            "namespaces",
            "",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        )
        .await?;
    }
    let ip = registry.allocator().first_ip().to_string();
    ensure(
        registry,
        "",
        "v1",
        "services",
        "default",
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": ip, "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": port}],
                     "sessionAffinity": "None", "type": "ClusterIP"},
        }),
    )
    .await?;
    // The default ServiceCIDR, as kube-apiserver's defaultservicecidr
    // controller keeps it since 1.33.
    let cidr = registry.allocator().cidr().to_string();
    ensure(
        registry,
        "networking.k8s.io",
        "v1",
        "servicecidrs",
        "",
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR", "metadata": {"name": "kubernetes"},
               "spec": {"cidrs": [cidr]}}),
    )
    .await?;
    ready_service_cidr(registry).await?;
    for (name, value, description) in [
        (
            "system-node-critical",
            2000001000,
            "Used for system critical pods that must not be moved from their current node.",
        ),
        (
            "system-cluster-critical",
            2000000000,
            "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
        ),
    ] {
        ensure(
            registry,
            "scheduling.k8s.io",
            "v1",
            "priorityclasses",
            "",
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
                   "value": value, "description": description}),
        )
        .await?;
    }
    Ok(())
}

/// Marks the default ServiceCIDR ready, once.
async fn ready_service_cidr(registry: &Registry) -> Result<()> {
    let spec = registry
        .catalog()
        .get("networking.k8s.io", "v1", "servicecidrs")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no resource networking.k8s.io/v1 servicecidrs"))?;
    let current = registry
        .get(&spec, "", "kubernetes", kubox_api::registry::ReadAt::Consistent)
        .await
        .map_err(|e| anyhow::anyhow!("reading the default ServiceCIDR: {e}"))?;
    let mut object = current.value().map_err(|e| anyhow::anyhow!("{e}"))?;
    let ready = object["status"]["conditions"].as_array().is_some_and(|c| c.iter().any(|c| c["type"] == "Ready"));
    if ready {
        return Ok(());
    }
    object["status"] = json!({"conditions": [{
        "type": "Ready", "status": "True", "reason": "", "message": "Kubernetes default Service CIDR is ready",
        "lastTransitionTime": kubox_api::timefmt::Timestamp::now().rfc3339(),
    }]});
    match registry.update(&spec, "", "kubernetes", kubox_api::registry::Part::Status, object, &system()).await {
        Ok(_) => Ok(()),
        Err(e) if e.code == 409 => Ok(()),
        Err(e) => Err(anyhow::anyhow!("marking the default ServiceCIDR ready: {e}")),
    }
}
