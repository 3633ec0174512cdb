//! Cluster IPs and node ports for Services, as kube-apiserver allocates them
//! on create: a free address of `--service-cluster-ip-range` (the dynamic
//! part of the range first, leaving the low addresses for explicit
//! requests), or the requested one if free; node ports from
//! `--service-node-port-range`. The allocation state is rebuilt from the
//! stored Services at start.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use parking_lot::Mutex;
use serde_json::{Value, json};

use crate::validation::field::{ErrorType, FieldError};

/// What one create allocated, to release if the create fails.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allocation {
    ips: Vec<u32>,
    ports: Vec<u16>,
}

/// The IP and port allocator.
pub struct ServiceAllocator {
    base: u32,
    size: u32,
    cidr: String,
    ports: (u16, u16),
    state: Mutex<(BTreeSet<u32>, BTreeSet<u16>)>,
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
        let size = 1u32 << (32 - bits);
        let base = u32::from(addr) & !(size - 1);
        Ok(Self { base, size, cidr: cidr.to_string(), ports, state: Mutex::new((BTreeSet::new(), BTreeSet::new())) })
    }

    /// The first usable address, which the `kubernetes` Service takes.
    pub fn first_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.base + 1)
    }

    fn offset_of(&self, ip: &str) -> Option<u32> {
        let ip: Ipv4Addr = ip.parse().ok()?;
        let v = u32::from(ip);
        (v > self.base && v < self.base + self.size - 1).then(|| v - self.base)
    }

    /// Records the allocations of an existing Service spec.
    pub fn mark_allocated(&self, spec: &Value) {
        let mut s = self.state.lock();
        for ip in spec["clusterIPs"].as_array().into_iter().flatten().chain(std::iter::once(&spec["clusterIP"])) {
            if let Some(off) = ip.as_str().and_then(|ip| self.offset_of(ip)) {
                s.0.insert(off);
            }
        }
        for p in spec["ports"].as_array().into_iter().flatten() {
            if let Some(np) = p["nodePort"].as_u64() {
                s.1.insert(np as u16);
            }
        }
    }

    /// Allocates what a new Service needs and writes it into the object.
    pub fn allocate(&self, service: &mut Value, dry_run: bool) -> Result<Allocation, FieldError> {
        let mut state = self.state.lock();
        let mut alloc = Allocation::default();
        let Some(spec) = service.get_mut("spec").and_then(Value::as_object_mut) else { return Ok(alloc) };
        let kind = spec.get("type").and_then(Value::as_str).unwrap_or("ClusterIP").to_string();
        if kind == "ExternalName" {
            return Ok(alloc);
        }
        let requested = spec
            .get("clusterIP")
            .and_then(Value::as_str)
            .or_else(|| spec.get("clusterIPs").and_then(|v| v[0].as_str()))
            .unwrap_or("")
            .to_string();
        if requested == "None" {
            spec.insert("clusterIP".into(), json!("None"));
            spec.insert("clusterIPs".into(), json!(["None"]));
        } else {
            let offset = if requested.is_empty() {
                // Dynamic allocations come from the upper part of the range.
                let lower = (self.size / 16).clamp(16, 256).min(self.size / 2);
                let span = self.size - 2 - lower;
                let start = uuid::Uuid::new_v4().as_u128() as u32 % span.max(1);
                (0..span)
                    .map(|i| lower + 1 + (start + i) % span)
                    .find(|o| !state.0.contains(o))
                    .or_else(|| (1..self.size - 1).find(|o| !state.0.contains(o)))
                    .ok_or_else(|| ip_error(&requested, "range is full"))?
            } else {
                let off = self.offset_of(&requested).ok_or_else(|| {
                    ip_error(
                        &requested,
                        &format!(
                            "the provided IP ({requested}) is not in the valid range. The range of valid IPs is {}",
                            self.cidr
                        ),
                    )
                })?;
                if state.0.contains(&off) {
                    return Err(ip_error(&requested, "provided IP is already allocated"));
                }
                off
            };
            let ip = Ipv4Addr::from(self.base + offset).to_string();
            spec.insert("clusterIP".into(), json!(ip));
            spec.insert("clusterIPs".into(), json!([ip]));
            alloc.ips.push(offset);
        }
        spec.entry("ipFamilies").or_insert_with(|| json!(["IPv4"]));
        spec.entry("ipFamilyPolicy").or_insert_with(|| json!("SingleStack"));
        if kind == "NodePort" || kind == "LoadBalancer" {
            let (lo, hi) = self.ports;
            let span = u32::from(hi - lo) + 1;
            let mut taken: BTreeSet<u16> = state.1.clone();
            for (i, p) in spec.get_mut("ports").and_then(Value::as_array_mut).into_iter().flatten().enumerate() {
                match p["nodePort"].as_u64() {
                    Some(np) => {
                        let np = np as u16;
                        if np < lo || np > hi {
                            return Err(port_error(
                                i,
                                np,
                                &format!(
                                    "provided port is not in the valid range. The range of valid ports is {lo}-{hi}"
                                ),
                            ));
                        }
                        if !taken.insert(np) {
                            return Err(port_error(i, np, "provided port is already allocated"));
                        }
                        alloc.ports.push(np);
                    }
                    None => {
                        let start = uuid::Uuid::new_v4().as_u128() as u32 % span;
                        let np = (0..span)
                            .map(|k| lo + ((start + k) % span) as u16)
                            .find(|np| !taken.contains(np))
                            .ok_or_else(|| port_error(i, 0, "range is full"))?;
                        taken.insert(np);
                        alloc.ports.push(np);
                        if let Some(pm) = p.as_object_mut() {
                            pm.insert("nodePort".into(), json!(np));
                        }
                    }
                }
            }
        }
        if !dry_run {
            state.0.extend(alloc.ips.iter().copied());
            state.1.extend(alloc.ports.iter().copied());
        }
        Ok(if dry_run { Allocation::default() } else { alloc })
    }

    /// Returns what a failed create allocated.
    pub fn release(&self, a: &Allocation) {
        let mut s = self.state.lock();
        for ip in &a.ips {
            s.0.remove(ip);
        }
        for p in &a.ports {
            s.1.remove(p);
        }
    }

    /// Returns the allocations of a deleted Service.
    pub fn release_spec(&self, spec: &Value) {
        let mut s = self.state.lock();
        for ip in spec["clusterIPs"].as_array().into_iter().flatten() {
            if let Some(off) = ip.as_str().and_then(|ip| self.offset_of(ip)) {
                s.0.remove(&off);
            }
        }
        for p in spec["ports"].as_array().into_iter().flatten() {
            if let Some(np) = p["nodePort"].as_u64() {
                s.1.remove(&(np as u16));
            }
        }
    }
}

fn ip_error(ip: &str, why: &str) -> FieldError {
    FieldError {
        error_type: ErrorType::Invalid,
        field: "spec.clusterIPs".into(),
        bad_value: Some(json!([ip])),
        detail: format!("failed to allocate IP {ip}: {why}"),
    }
}

fn port_error(i: usize, port: u16, why: &str) -> FieldError {
    FieldError {
        error_type: ErrorType::Invalid,
        field: format!("spec.ports[{i}].nodePort"),
        bad_value: Some(json!(port)),
        detail: why.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocates_free_ips_and_ports_and_refuses_taken_ones() {
        let a = ServiceAllocator::new("10.96.0.0/12", (30000, 32767)).unwrap();
        assert_eq!(a.first_ip().to_string(), "10.96.0.1");
        let mut kubernetes = json!({"spec": {"clusterIP": "10.96.0.1", "ports": [{"port": 443}]}});
        a.allocate(&mut kubernetes, false).unwrap();
        let mut again = json!({"spec": {"clusterIP": "10.96.0.1"}});
        let err = a.allocate(&mut again, false).unwrap_err();
        assert_eq!(err.detail, "failed to allocate IP 10.96.0.1: provided IP is already allocated");
        let mut np = json!({"spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 81, "nodePort": 30080}]}});
        a.allocate(&mut np, false).unwrap();
        let port = np["spec"]["ports"][0]["nodePort"].as_u64().unwrap();
        assert!((30000..=32767).contains(&port));
        assert_eq!(np["spec"]["ipFamilies"], json!(["IPv4"]));
        let mut clash = json!({"spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}});
        assert!(a.allocate(&mut clash, false).is_err());
        a.release_spec(&np["spec"]);
        let mut retry = json!({"spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}});
        assert!(a.allocate(&mut retry, false).is_ok());
        let mut headless = json!({"spec": {"clusterIP": "None"}});
        a.allocate(&mut headless, false).unwrap();
        assert_eq!(headless["spec"]["clusterIPs"], json!(["None"]));
        let mut outside = json!({"spec": {"clusterIP": "192.168.0.1"}});
        assert!(a.allocate(&mut outside, false).unwrap_err().detail.contains("not in the valid range"));
    }
}
