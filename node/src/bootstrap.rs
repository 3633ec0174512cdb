//! What kube-apiserver creates at start, created here too when missing: the
//! namespaces default, kube-system, kube-public and kube-node-lease; the
//! `kubernetes` Service in default (the first address of the service range)
//! with its Endpoints and EndpointSlice pointing at this node; and the
//! system PriorityClasses.

use std::net::IpAddr;

use anyhow::Result;
use kubox_api::registry::{Registry, WriteContext};
use serde_json::{Value, json};

fn system() -> WriteContext {
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
pub async fn run(registry: &Registry, advertise: IpAddr, port: u16) -> Result<()> {
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
    // Endpoints may not hold loopback addresses (validation refuses them,
    // for kube-apiserver too); a node on loopback publishes none.
    if advertise.is_loopback() || advertise.is_unspecified() {
        tracing::info!(%advertise, "not publishing the kubernetes Service's endpoints: the advertise address is loopback (set --advertise-address)");
    } else {
        publish_endpoints(registry, advertise, port).await?;
    }
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

/// The `kubernetes` Service's Endpoints and EndpointSlice.
async fn publish_endpoints(registry: &Registry, advertise: IpAddr, port: u16) -> Result<()> {
    let address = advertise.to_string();
    ensure(
        registry,
        "",
        "v1",
        "endpoints",
        "default",
        json!({
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": address}], "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}],
        }),
    )
    .await?;
    let family = if advertise.is_ipv4() { "IPv4" } else { "IPv6" };
    ensure(
        registry,
        "discovery.k8s.io",
        "v1",
        "endpointslices",
        "default",
        json!({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": "kubernetes", "endpointslice.kubernetes.io/managed-by": "kube-apiserver"}},
            "addressType": family,
            "endpoints": [{"addresses": [address], "conditions": {"ready": true}}],
            "ports": [{"name": "https", "port": port, "protocol": "TCP"}],
        }),
    )
    .await
}
