//! The endpoints of the `kubernetes` Service: every live API server of the
//! cluster, kept as kube-apiserver's lease endpoint reconciler keeps them
//! (`--endpoint-reconciler-type=lease`, its default).
//!
//! Each node holds the key `/registry/masterleases/<its address>` under a
//! store lease of 15 s, renewed every 10 s. After each renewal it makes the
//! Endpoints and the EndpointSlice `default/kubernetes` list exactly the
//! addresses that have a key, sorted. A node that stops gracefully deletes
//! its key and publishes the list without itself; one that dies drops out
//! when its lease expires, at the next reconcile of any other node.
//!
//! Endpoints may not hold loopback addresses (validation refuses them, for
//! kube-apiserver too), so a node advertising a loopback address publishes
//! nothing.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use kubox_api::registry::{Part, ReadAt, Registry};
use kubox_storage::{DeleteRangeRequest, KeyRange, PutRequest, RangeRequest, Store};
use parking_lot::Mutex;
use serde_json::{Value, json};

use crate::bootstrap::system;

/// Where the API servers' keys live (kube-apiserver's prefix).
pub const MASTER_LEASES: &str = "/registry/masterleases/";
/// How long a key outlives its node.
const LEASE_TTL: i64 = 15;
/// How often a node renews its key and reconciles.
pub const INTERVAL: Duration = Duration::from_secs(10);

/// One node's reconciler.
pub struct EndpointReconciler {
    registry: Arc<Registry>,
    ip: IpAddr,
    port: u16,
    lease: Mutex<i64>,
}

impl EndpointReconciler {
    /// The reconciler for this node, or `None` when its address cannot be
    /// published (loopback or unspecified).
    pub fn new(registry: Arc<Registry>, ip: IpAddr, port: u16) -> Option<Arc<Self>> {
        if ip.is_loopback() || ip.is_unspecified() {
            tracing::info!(%ip, "not publishing the kubernetes Service's endpoints: the advertise address is loopback (set --advertise-address)");
            return None;
        }
        Some(Arc::new(Self { registry, ip, port, lease: Mutex::new(0) }))
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.registry.store()
    }

    fn key(&self) -> String {
        format!("{MASTER_LEASES}{}", self.ip)
    }

    /// Renews this node's key, then reconciles.
    pub async fn tick(&self) -> Result<()> {
        self.renew().await?;
        self.reconcile().await
    }

    /// Renews the store lease (a new one if it expired) and writes the key
    /// under it: an Endpoints object holding the address, as upstream.
    async fn renew(&self) -> Result<()> {
        let current = *self.lease.lock();
        let alive = current != 0 && self.store().lease_keep_alive(current).await.is_ok();
        let lease = if alive {
            current
        } else {
            let id = (uuid::Uuid::new_v4().as_u128() as i64 & i64::MAX).max(1);
            self.store().lease_grant(id, LEASE_TTL).await.context("granting the API server's lease")?.id
        };
        *self.lease.lock() = lease;
        if alive {
            return Ok(());
        }
        let ip = self.ip.to_string();
        let value = kubox_api::protobuf::encode_object(&json!({
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": ip, "creationTimestamp": null},
            "subsets": [{"addresses": [{"ip": ip}]}],
        }))?;
        let mut put = PutRequest::new(self.key(), value);
        put.lease = lease;
        self.store().put(put).await.context("writing the API server's lease key")?;
        Ok(())
    }

    /// Deletes this node's key and publishes the others (a graceful stop).
    pub async fn remove(&self) -> Result<()> {
        self.store()
            .delete_range(DeleteRangeRequest { range: KeyRange::key(self.key()), prev_kv: false })
            .await
            .context("deleting the API server's lease key")?;
        let lease = std::mem::take(&mut *self.lease.lock());
        if lease != 0 {
            let _ = self.store().lease_revoke(lease).await;
        }
        self.reconcile().await
    }

    /// The addresses with a live key, sorted as strings (as upstream).
    async fn live_addresses(&self) -> Result<Vec<String>> {
        let mut req = RangeRequest::new(KeyRange::prefix(MASTER_LEASES));
        req.keys_only = true;
        let resp = self.store().range(req).await?;
        let mut ips: Vec<String> = resp
            .kvs
            .iter()
            .filter_map(|kv| std::str::from_utf8(&kv.key).ok()?.strip_prefix(MASTER_LEASES).map(str::to_string))
            .filter(|ip| ip.parse::<IpAddr>().is_ok())
            .collect();
        ips.sort();
        Ok(ips)
    }

    /// Makes the Endpoints and EndpointSlice list the live addresses.
    pub async fn reconcile(&self) -> Result<()> {
        let ips = self.live_addresses().await?;
        let ports = json!([{"name": "https", "port": self.port, "protocol": "TCP"}]);
        let subsets = if ips.is_empty() {
            json!([])
        } else {
            json!([{"addresses": ips.iter().map(|ip| json!({"ip": ip})).collect::<Vec<_>>(), "ports": ports}])
        };
        self.ensure(
            "",
            "endpoints",
            json!({
                "apiVersion": "v1", "kind": "Endpoints",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
                "subsets": subsets,
            }),
            |o| o["subsets"].clone(),
        )
        .await?;
        let family = if self.ip.is_ipv4() { "IPv4" } else { "IPv6" };
        self.ensure(
            "discovery.k8s.io",
            "endpointslices",
            json!({
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {"kubernetes.io/service-name": "kubernetes",
                                        "endpointslice.kubernetes.io/managed-by": "kube-apiserver"}},
                "addressType": family,
                "endpoints": ips.iter().map(|ip| json!({"addresses": [ip], "conditions": {"ready": true}})).collect::<Vec<_>>(),
                "ports": ports,
            }),
            |o| json!([o["endpoints"], o["ports"]]),
        )
        .await
    }

    /// Writes `desired` unless the stored object already has the same
    /// `content`.
    async fn ensure(&self, group: &str, resource: &str, desired: Value, content: fn(&Value) -> Value) -> Result<()> {
        let spec = self
            .registry
            .catalog()
            .get(group, "v1", resource)
            .cloned()
            .with_context(|| format!("no resource {group}/v1 {resource}"))?;
        let written = match self.registry.get(&spec, "default", "kubernetes", ReadAt::Consistent).await {
            Ok(current) if content(&current.value()?) == content(&desired) => return Ok(()),
            // An unconditional write: every node computes the same list.
            Ok(_) => {
                self.registry.update(&spec, "default", "kubernetes", Part::Main, desired, &system()).await.map(|_| ())
            }
            Err(e) if e.code == 404 => match self.registry.create(&spec, "default", desired, &system()).await {
                Err(e) if e.code == 409 => Ok(()),
                other => other.map(|_| ()),
            },
            Err(e) => Err(e),
        };
        written.map_err(|e| anyhow::anyhow!("publishing the kubernetes {resource}: {e}"))
    }
}

/// Renews and reconciles every [`INTERVAL`], for as long as the node runs.
pub async fn run(reconciler: Arc<EndpointReconciler>) {
    let mut ticker = tokio::time::interval(INTERVAL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if let Err(err) = reconciler.tick().await {
            tracing::warn!(err = format!("{err:#}"), "reconciling the kubernetes Service's endpoints");
        }
    }
}
