//! Cluster IPs and node ports for Services, allocated in the store as
//! kube-apiserver 1.35 keeps them:
//!
//! - every cluster IP is an IPAddress object (networking.k8s.io/v1) named by
//!   the address, whose `spec.parentRef` names the Service (the IPAddress
//!   allocator, kube-apiserver's default since 1.33);
//! - node ports are a RangeAllocation bitmap at
//!   `/registry/ranges/servicenodeports`, bit `i` standing for port
//!   `base + i`.
//!
//! The allocations of a Service write go into that write's own transaction:
//! it compares that each new address key does not exist and that the bitmap
//! is the one that was read. Two API nodes can therefore never hand out the
//! same address or port, and a write that fails leaks nothing. A transaction
//! lost to a concurrent allocation is planned again from fresh state.
//!
//! Dynamic addresses come from the upper part of `--service-cluster-ip-range`
//! (the lower part is left to explicit requests, as upstream does), at a
//! random offset, skipping the addresses a local hint knows to be taken. The
//! hint is rebuilt from the IPAddress keys at start and after a lost race; it
//! only steers the choice, the transaction decides.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use base64::Engine;
use kubox_storage::{
    Compare, CompareOp, CompareTarget, DeleteRangeRequest, KeyRange, PutRequest, RangeRequest, RequestOp,
};
use parking_lot::Mutex;
use serde_json::{Map, Value, json};

use super::Registry;
use crate::errors::{ApiError, ApiResult};
use crate::protobuf;
use crate::timefmt::Timestamp;
use crate::validation::field::{ErrorType, FieldError};

/// Where the node port bitmap is stored (kube-apiserver's key).
pub const NODE_PORTS_KEY: &str = "/registry/ranges/servicenodeports";
/// The label naming an IPAddress's family.
const LABEL_IP_FAMILY: &str = "ipaddress.kubernetes.io/ip-family";
/// The label naming who manages an IPAddress.
const LABEL_MANAGED_BY: &str = "ipaddress.kubernetes.io/managed-by";
/// kube-apiserver's allocator, as it names itself on IPAddresses.
const MANAGER: &str = "ipallocator.k8s.io";

/// The address range and port range, and the hint of taken addresses.
pub struct ServiceAllocator {
    base: u32,
    size: u32,
    cidr: String,
    ports: (u16, u16),
    known_ips: Mutex<BTreeSet<u32>>,
}

impl ServiceAllocator {
    /// An allocator for an IPv4 CIDR and a port range.
    pub fn new(cidr: &str, ports: (u16, u16)) -> Result<Self, String> {
        let (addr, bits) = cidr.split_once('/').ok_or_else(|| format!("invalid CIDR {cidr:?}"))?;
        let addr: Ipv4Addr = addr.parse().map_err(|e| format!("invalid CIDR {cidr:?}: {e}"))?;
        let bits: u32 = bits.parse().map_err(|e| format!("invalid CIDR {cidr:?}: {e}"))?;
        if !(8..=30).contains(&bits) {
            return Err(format!("service CIDR {cidr:?} must have a prefix length between 8 and 30"));
        }
        if ports.0 > ports.1 {
            return Err(format!("node port range {}-{} is empty", ports.0, ports.1));
        }
        let size = 1u32 << (32 - bits);
        let base = u32::from(addr) & !(size - 1);
        Ok(Self { base, size, cidr: cidr.to_string(), ports, known_ips: Mutex::new(BTreeSet::new()) })
    }

    /// The first usable address, which the `kubernetes` Service takes.
    pub fn first_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.base + 1)
    }

    /// The service range, as configured.
    pub fn cidr(&self) -> &str {
        &self.cidr
    }

    fn offset_of(&self, ip: &str) -> Option<u32> {
        let ip: Ipv4Addr = ip.parse().ok()?;
        let v = u32::from(ip);
        (v > self.base && v < self.base + self.size - 1).then(|| v - self.base)
    }

    fn ip_at(&self, offset: u32) -> String {
        Ipv4Addr::from(self.base + offset).to_string()
    }

    /// The in-range addresses a stored Service spec holds.
    fn ips_of(&self, spec: &Value) -> BTreeSet<u32> {
        spec["clusterIPs"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(std::iter::once(&spec["clusterIP"]))
            .filter_map(|ip| ip.as_str().and_then(|ip| self.offset_of(ip)))
            .collect()
    }

    /// A free offset for a dynamic address, avoiding `also_taken`.
    fn pick_ip(&self, also_taken: &BTreeSet<u32>) -> Option<u32> {
        let known = self.known_ips.lock();
        let free = |o: &u32| !known.contains(o) && !also_taken.contains(o);
        let lower = (self.size / 16).clamp(16, 256).min(self.size / 2);
        let span = self.size - 2 - lower;
        let start = random_u32() % span.max(1);
        (0..span).map(|i| lower + 1 + (start + i) % span).find(free).or_else(|| (1..self.size - 1).find(free))
    }

    /// A free port of the range, at a random start.
    fn pick_port(&self, taken: &BTreeSet<u16>) -> Option<u16> {
        let (lo, hi) = self.ports;
        let span = u32::from(hi - lo) + 1;
        let start = random_u32() % span;
        (0..span).map(|k| lo + ((start + k) % span) as u16).find(|p| !taken.contains(p))
    }

    fn port_range(&self) -> String {
        format!("{}-{}", self.ports.0, self.ports.1)
    }
}

fn random_u32() -> u32 {
    uuid::Uuid::new_v4().as_u128() as u32
}

/// The allocation half of a Service write's transaction.
#[derive(Debug, Default)]
pub(crate) struct AllocationTxn {
    /// Conditions: new address keys absent, node port bitmap unchanged.
    pub(crate) compare: Vec<Compare>,
    /// IPAddress puts and deletes, the new bitmap.
    pub(crate) success: Vec<RequestOp>,
    acquired: Vec<u32>,
    released: Vec<u32>,
}

impl AllocationTxn {
    /// Whether the write allocates or releases nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.compare.is_empty() && self.success.is_empty()
    }
}

/// The node ports a Service spec holds (`ports[].nodePort` and
/// `healthCheckNodePort`).
fn node_ports_of(spec: &Value) -> BTreeSet<u16> {
    spec["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| &p["nodePort"])
        .chain(std::iter::once(&spec["healthCheckNodePort"]))
        .filter_map(Value::as_u64)
        .filter(|&p| p > 0 && p <= u64::from(u16::MAX))
        .map(|p| p as u16)
        .collect()
}

/// Upstream's allocation bitmap: a big-endian big integer, bit `i` set when
/// `base + i` is taken.
fn bitmap_encode(taken: &BTreeSet<u16>, base: u16) -> Vec<u8> {
    let Some(&max) = taken.iter().next_back() else { return Vec::new() };
    let len = usize::from(max - base) / 8 + 1;
    let mut out = vec![0u8; len];
    for &p in taken {
        let i = usize::from(p - base);
        out[len - 1 - i / 8] |= 1 << (i % 8);
    }
    out
}

fn bitmap_decode(data: &[u8], base: u16) -> BTreeSet<u16> {
    let mut taken = BTreeSet::new();
    for (k, byte) in data.iter().rev().enumerate() {
        for bit in 0..8 {
            if byte & (1 << bit) != 0
                && let Ok(p) = u16::try_from(usize::from(base) + k * 8 + bit)
            {
                taken.insert(p);
            }
        }
    }
    taken
}

fn ip_error(ip: &str, why: &str) -> FieldError {
    FieldError {
        error_type: ErrorType::Invalid,
        field: "spec.clusterIPs".into(),
        bad_value: Some(json!([ip])),
        detail: format!("failed to allocate IP {ip}: {why}"),
    }
}

fn port_error(field: String, port: u16, why: &str) -> FieldError {
    FieldError { error_type: ErrorType::Invalid, field, bad_value: Some(json!(port)), detail: why.into() }
}

/// Where a dynamic node port goes in the spec.
enum PortSlot {
    Port(usize),
    HealthCheck,
}

impl Registry {
    fn ip_key(&self, ip: &str) -> String {
        format!("/registry/ipaddresses/{ip}")
    }

    /// The IPAddress object for `ip`, held by Service `namespace/name`.
    async fn ip_address_bytes(&self, ip: &str, namespace: &str, name: &str) -> ApiResult<Vec<u8>> {
        let spec = self
            .builtin
            .get("networking.k8s.io", "v1", "ipaddresses")
            .cloned()
            .ok_or_else(|| ApiError::internal("the catalog has no networking.k8s.io/v1 ipaddresses"))?;
        let mut object = json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IPAddress",
            "metadata": {
                "name": ip,
                "uid": uuid::Uuid::new_v4().to_string(),
                "creationTimestamp": Timestamp::now().rfc3339(),
                "labels": {LABEL_IP_FAMILY: "IPv4", LABEL_MANAGED_BY: MANAGER},
            },
            "spec": {"parentRef": {"group": "", "resource": "services", "namespace": namespace, "name": name}},
        });
        let storage = self.storage_spec(&spec);
        self.encode_stored(&storage, &self.ip_key(ip), &mut object).await
    }

    /// The node ports taken, and the bitmap's revision (0: none stored).
    async fn read_node_ports(&self) -> ApiResult<(BTreeSet<u16>, i64)> {
        let Some(kv) = self.store.get(NODE_PORTS_KEY.into()).await? else { return Ok((BTreeSet::new(), 0)) };
        let object = protobuf::decode_object(&kv.value)
            .map_err(|e| ApiError::internal(format!("decoding {NODE_PORTS_KEY}: {e}")))?;
        let data = object["data"].as_str().unwrap_or("");
        let data = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| ApiError::internal(format!("decoding {NODE_PORTS_KEY}: {e}")))?;
        Ok((bitmap_decode(&data, self.allocator.ports.0), kv.mod_revision))
    }

    /// The stored form of the node port bitmap, byte for byte as upstream's.
    fn node_ports_bytes(&self, taken: &BTreeSet<u16>) -> ApiResult<Vec<u8>> {
        let data = bitmap_encode(taken, self.allocator.ports.0);
        protobuf::encode_object(&json!({
            "apiVersion": "v1",
            "kind": "RangeAllocation",
            "metadata": {"creationTimestamp": null},
            "range": self.allocator.port_range(),
            "data": base64::engine::general_purpose::STANDARD.encode(data),
        }))
        .map_err(|e| ApiError::internal(format!("encoding {NODE_PORTS_KEY}: {e}")))
    }

    /// Plans what a write of Service `namespace/name` allocates and releases:
    /// `old` is the stored object (`None` on create), `new` the object about
    /// to be written (`None` on delete), into which dynamic addresses and
    /// ports are filled. A dry run fills them in but plans no store change.
    pub(crate) async fn plan_service_allocations(
        &self,
        namespace: &str,
        name: &str,
        old: Option<&Value>,
        new: Option<&mut Value>,
        dry_run: bool,
    ) -> ApiResult<AllocationTxn> {
        let a = &self.allocator;
        let old_spec = old.map(|o| &o["spec"]);
        let old_ips = old_spec.map(|s| a.ips_of(s)).unwrap_or_default();
        let old_ports = old_spec.map(node_ports_of).unwrap_or_default();
        let mut new_ips = BTreeSet::new();
        let mut explicit_ips = Vec::new();
        let mut new_ports = BTreeSet::new();
        let mut dynamic_ports = Vec::new();
        let mut errors = Vec::new();
        let mut spec = new.and_then(|o| o.get_mut("spec")).and_then(Value::as_object_mut);
        if let Some(spec) = spec.as_deref_mut() {
            self.plan_ips(spec, &old_ips, &mut new_ips, &mut explicit_ips, &mut errors);
            plan_ports(spec, a.ports, &mut new_ports, &mut dynamic_ports, &mut errors);
        }
        if !errors.is_empty() {
            return Err(ApiError::invalid("", "Service", name, &errors));
        }
        let mut txn = AllocationTxn::default();
        for &off in &explicit_ips {
            let ip = a.ip_at(off);
            if self.store.get(self.ip_key(&ip).into()).await?.is_some() {
                errors.push(ip_error(&ip, "provided IP is already allocated"));
            }
        }
        for &off in new_ips.difference(&old_ips) {
            let ip = a.ip_at(off);
            let key = self.ip_key(&ip);
            txn.compare.push(Compare::new(key.clone(), CompareOp::Equal, CompareTarget::CreateRevision(0)));
            let bytes = self.ip_address_bytes(&ip, namespace, name).await?;
            txn.success.push(RequestOp::Put(PutRequest::new(key, bytes)));
            txn.acquired.push(off);
        }
        for &off in old_ips.difference(&new_ips) {
            txn.success.push(RequestOp::DeleteRange(DeleteRangeRequest {
                range: KeyRange::key(self.ip_key(&a.ip_at(off))),
                prev_kv: false,
            }));
            txn.released.push(off);
        }
        let acquire: BTreeSet<u16> = new_ports.difference(&old_ports).copied().collect();
        let release: BTreeSet<u16> = old_ports.difference(&new_ports).copied().collect();
        if !acquire.is_empty() || !release.is_empty() || !dynamic_ports.is_empty() {
            let (mut taken, revision) = self.read_node_ports().await?;
            for &p in &acquire {
                if taken.contains(&p) {
                    errors.push(port_error(port_field(spec.as_deref(), p), p, "provided port is already allocated"));
                }
            }
            taken.extend(&acquire);
            for p in &release {
                taken.remove(p);
            }
            // A port this write releases is not handed out again by it.
            let mut avoid = taken.clone();
            avoid.extend(&release);
            for slot in &dynamic_ports {
                let Some(p) = a.pick_port(&avoid) else {
                    errors.push(port_error(slot_field(slot), 0, "range is full"));
                    break;
                };
                avoid.insert(p);
                taken.insert(p);
                if let Some(spec) = spec.as_deref_mut() {
                    fill_port(spec, slot, p);
                }
            }
            txn.compare.push(if revision == 0 {
                Compare::new(NODE_PORTS_KEY, CompareOp::Equal, CompareTarget::CreateRevision(0))
            } else {
                Compare::new(NODE_PORTS_KEY, CompareOp::Equal, CompareTarget::ModRevision(revision))
            });
            txn.success.push(RequestOp::Put(PutRequest::new(NODE_PORTS_KEY, self.node_ports_bytes(&taken)?)));
        }
        if !errors.is_empty() {
            return Err(ApiError::invalid("", "Service", name, &errors));
        }
        Ok(if dry_run { AllocationTxn::default() } else { txn })
    }

    /// The cluster IP half of a plan.
    fn plan_ips(
        &self,
        spec: &mut Map<String, Value>,
        old_ips: &BTreeSet<u32>,
        new_ips: &mut BTreeSet<u32>,
        explicit: &mut Vec<u32>,
        errors: &mut Vec<FieldError>,
    ) {
        let a = &self.allocator;
        if spec.get("type").and_then(Value::as_str) == Some("ExternalName") {
            return;
        }
        let requested = spec
            .get("clusterIP")
            .and_then(Value::as_str)
            .filter(|ip| !ip.is_empty())
            .or_else(|| spec.get("clusterIPs").and_then(|v| v[0].as_str()))
            .unwrap_or("")
            .to_string();
        let offset = match requested.as_str() {
            "None" => {
                spec.insert("clusterIP".into(), json!("None"));
                spec.insert("clusterIPs".into(), json!(["None"]));
                None
            }
            "" => match a.pick_ip(old_ips) {
                Some(off) => Some(off),
                None => {
                    errors.push(ip_error("", "range is full"));
                    None
                }
            },
            ip => match a.offset_of(ip) {
                Some(off) => {
                    if !old_ips.contains(&off) {
                        explicit.push(off);
                    }
                    Some(off)
                }
                None => {
                    errors.push(ip_error(
                        ip,
                        &format!(
                            "the provided IP ({ip}) is not in the valid range. The range of valid IPs is {}",
                            a.cidr
                        ),
                    ));
                    None
                }
            },
        };
        if let Some(off) = offset {
            let ip = a.ip_at(off);
            spec.insert("clusterIP".into(), json!(ip));
            spec.insert("clusterIPs".into(), json!([ip]));
            new_ips.insert(off);
        }
        spec.entry("ipFamilies").or_insert_with(|| json!(["IPv4"]));
        spec.entry("ipFamilyPolicy").or_insert_with(|| json!("SingleStack"));
    }

    /// Records what a committed write allocated and released in the hint.
    pub(crate) fn allocations_committed(&self, txn: &AllocationTxn) {
        let mut known = self.allocator.known_ips.lock();
        known.extend(txn.acquired.iter().copied());
        for off in &txn.released {
            known.remove(off);
        }
    }

    /// Rebuilds the hint of taken addresses from the IPAddress keys.
    pub(crate) async fn refresh_allocations(&self) -> ApiResult<()> {
        let mut req = RangeRequest::new(KeyRange::prefix(self.ip_key("")));
        req.keys_only = true;
        let resp = self.store.range(req).await?;
        let prefix = self.ip_key("");
        let taken = resp
            .kvs
            .iter()
            .filter_map(|kv| std::str::from_utf8(&kv.key).ok()?.strip_prefix(&prefix).map(str::to_string))
            .filter_map(|ip| self.allocator.offset_of(&ip))
            .collect();
        *self.allocator.known_ips.lock() = taken;
        Ok(())
    }

    /// Gives every stored Service's addresses an IPAddress and its node
    /// ports a bit, where they lack one (Services written before allocations
    /// were stored; upstream's repair loops do the same). Best effort: a
    /// lost race is left for the next start.
    pub(crate) async fn repair_allocations(&self) -> ApiResult<()> {
        self.refresh_allocations().await?;
        let Some(services) = self.builtin.get("", "v1", "services") else { return Ok(()) };
        let resp = self.store.range(RangeRequest::new(KeyRange::prefix(services.key_prefix("")))).await?;
        let (mut taken, revision) = self.read_node_ports().await?;
        let before = taken.len();
        for kv in resp.kvs {
            let key = String::from_utf8_lossy(&kv.key).to_string();
            let (value, _) = self.decode_stored(services, &key, &kv.value, kv.mod_revision).await?;
            let (namespace, name) = (
                value["metadata"]["namespace"].as_str().unwrap_or(""),
                value["metadata"]["name"].as_str().unwrap_or(""),
            );
            let missing: Vec<u32> = {
                let known = self.allocator.known_ips.lock();
                self.allocator.ips_of(&value["spec"]).into_iter().filter(|o| !known.contains(o)).collect()
            };
            for off in missing {
                let ip = self.allocator.ip_at(off);
                let key = self.ip_key(&ip);
                let bytes = self.ip_address_bytes(&ip, namespace, name).await?;
                let txn = kubox_storage::TxnRequest {
                    compare: vec![Compare::new(key.clone(), CompareOp::Equal, CompareTarget::CreateRevision(0))],
                    success: vec![RequestOp::Put(PutRequest::new(key, bytes))],
                    failure: vec![],
                };
                self.store.txn(txn).await?;
                self.allocator.known_ips.lock().insert(off);
            }
            let (lo, hi) = self.allocator.ports;
            taken.extend(node_ports_of(&value["spec"]).into_iter().filter(|p| (lo..=hi).contains(p)));
        }
        if taken.len() != before {
            let compare = if revision == 0 {
                Compare::new(NODE_PORTS_KEY, CompareOp::Equal, CompareTarget::CreateRevision(0))
            } else {
                Compare::new(NODE_PORTS_KEY, CompareOp::Equal, CompareTarget::ModRevision(revision))
            };
            let txn = kubox_storage::TxnRequest {
                compare: vec![compare],
                success: vec![RequestOp::Put(PutRequest::new(NODE_PORTS_KEY, self.node_ports_bytes(&taken)?))],
                failure: vec![],
            };
            self.store.txn(txn).await?;
        }
        Ok(())
    }
}

/// The node port half of a plan: the ports the new spec holds, and the
/// places that need a dynamic one.
fn plan_ports(
    spec: &Map<String, Value>,
    (lo, hi): (u16, u16),
    held: &mut BTreeSet<u16>,
    dynamic: &mut Vec<PortSlot>,
    errors: &mut Vec<FieldError>,
) {
    let kind = spec.get("type").and_then(Value::as_str).unwrap_or("ClusterIP");
    let load_balancer = kind == "LoadBalancer";
    if kind != "NodePort" && !load_balancer {
        return;
    }
    let allocate_new =
        !load_balancer || spec.get("allocateLoadBalancerNodePorts").and_then(Value::as_bool) != Some(false);
    let mut check = |field: String, np: u64| {
        let Ok(np) = u16::try_from(np) else { return };
        if np < lo || np > hi {
            errors.push(port_error(
                field,
                np,
                &format!("provided port is not in the valid range. The range of valid ports is {lo}-{hi}"),
            ));
        } else if !held.insert(np) {
            errors.push(port_error(field, np, "provided port is already allocated"));
        }
    };
    for (i, p) in spec.get("ports").and_then(Value::as_array).into_iter().flatten().enumerate() {
        match p.get("nodePort").and_then(Value::as_u64).filter(|&np| np > 0) {
            Some(np) => check(format!("spec.ports[{i}].nodePort"), np),
            None if allocate_new => dynamic.push(PortSlot::Port(i)),
            None => {}
        }
    }
    if load_balancer && spec.get("externalTrafficPolicy").and_then(Value::as_str) == Some("Local") {
        match spec.get("healthCheckNodePort").and_then(Value::as_u64).filter(|&np| np > 0) {
            Some(np) => check("spec.healthCheckNodePort".into(), np),
            None => dynamic.push(PortSlot::HealthCheck),
        }
    }
}

fn fill_port(spec: &mut Map<String, Value>, slot: &PortSlot, port: u16) {
    match slot {
        PortSlot::Port(i) => {
            if let Some(p) = spec.get_mut("ports").and_then(|ps| ps.get_mut(*i)).and_then(Value::as_object_mut) {
                p.insert("nodePort".into(), json!(port));
            }
        }
        PortSlot::HealthCheck => {
            spec.insert("healthCheckNodePort".into(), json!(port));
        }
    }
}

fn slot_field(slot: &PortSlot) -> String {
    match slot {
        PortSlot::Port(i) => format!("spec.ports[{i}].nodePort"),
        PortSlot::HealthCheck => "spec.healthCheckNodePort".into(),
    }
}

/// The field that requested `port`, for an error message.
fn port_field(spec: Option<&Map<String, Value>>, port: u16) -> String {
    let Some(spec) = spec else { return "spec.ports".into() };
    spec.get("ports")
        .and_then(Value::as_array)
        .and_then(|ps| ps.iter().position(|p| p["nodePort"].as_u64() == Some(u64::from(port))))
        .map(|i| format!("spec.ports[{i}].nodePort"))
        .unwrap_or_else(|| "spec.healthCheckNodePort".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmap_is_upstreams_big_endian_integer() {
        let base = 30000;
        // Ports 30000 and 30009: bits 0 and 9 of the integer 0x0201.
        let taken: BTreeSet<u16> = [30000, 30009].into();
        assert_eq!(bitmap_encode(&taken, base), vec![0x02, 0x01]);
        assert_eq!(bitmap_decode(&[0x02, 0x01], base), taken);
        assert!(bitmap_encode(&BTreeSet::new(), base).is_empty());
        let all: BTreeSet<u16> = (30000..=32767).collect();
        assert_eq!(bitmap_decode(&bitmap_encode(&all, base), base), all);
    }

    #[test]
    fn dynamic_addresses_skip_the_hint_and_stay_in_range() {
        let a = ServiceAllocator::new("10.96.0.0/28", (30000, 30001)).unwrap();
        assert_eq!(a.first_ip().to_string(), "10.96.0.1");
        *a.known_ips.lock() = (1..14).collect();
        assert_eq!(a.pick_ip(&BTreeSet::new()), Some(14));
        assert_eq!(a.pick_ip(&[14].into()), None);
        assert_eq!(a.offset_of("10.96.0.15"), None, "the broadcast address is not handed out");
        assert_eq!(a.offset_of("10.96.0.0"), None);
        assert_eq!(a.pick_port(&[30000].into()), Some(30001));
        assert_eq!(a.pick_port(&[30000, 30001].into()), None);
    }

    #[test]
    fn port_plans_follow_the_service_type() {
        let mut held = BTreeSet::new();
        let (mut dynamic, mut errors) = (Vec::new(), Vec::new());
        let spec = json!({"type": "LoadBalancer", "externalTrafficPolicy": "Local",
                          "ports": [{"port": 80}, {"port": 81, "nodePort": 30080}, {"port": 82, "nodePort": 30080}]});
        plan_ports(spec.as_object().unwrap(), (30000, 32767), &mut held, &mut dynamic, &mut errors);
        assert_eq!(held, [30080].into());
        assert_eq!(
            dynamic.iter().map(slot_field).collect::<Vec<_>>(),
            ["spec.ports[0].nodePort", "spec.healthCheckNodePort"]
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "spec.ports[2].nodePort");
        assert_eq!(errors[0].detail, "provided port is already allocated");
        let spec = json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]});
        let (mut held, mut dynamic, mut errors) = (BTreeSet::new(), Vec::new(), Vec::new());
        plan_ports(spec.as_object().unwrap(), (30000, 32767), &mut held, &mut dynamic, &mut errors);
        assert!(errors[0].detail.contains("not in the valid range. The range of valid ports is 30000-32767"));
        let spec = json!({"type": "ClusterIP", "ports": [{"port": 80}]});
        let (mut held, mut dynamic, mut errors) = (BTreeSet::new(), Vec::new(), Vec::new());
        plan_ports(spec.as_object().unwrap(), (30000, 32767), &mut held, &mut dynamic, &mut errors);
        assert!(held.is_empty() && dynamic.is_empty() && errors.is_empty());
    }
}
