//! Leases: a TTL, an expiry time and the keys attached. The table lives in
//! memory and in the engine's lease column; which keys are attached is not
//! stored separately but rebuilt from the keys' own `lease` field at start,
//! as etcd does.

use std::collections::{BTreeMap, BTreeSet};

use bytes::Bytes;

/// The largest TTL a lease may have, in seconds (etcd's `MaxLeaseTTL`).
pub const MAX_LEASE_TTL: i64 = 9_000_000_000;

/// The smallest TTL a lease gets; shorter requests are raised to it.
pub const MIN_LEASE_TTL: i64 = 1;

/// The stored form of a lease, laid out as etcd's `leasepb.Lease` plus the
/// absolute expiry that the proposer computed.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub(crate) struct LeaseRecord {
    #[prost(int64, tag = "1")]
    pub id: i64,
    #[prost(int64, tag = "2")]
    pub ttl: i64,
    #[prost(int64, tag = "3")]
    pub remaining_ttl: i64,
    #[prost(int64, tag = "4")]
    pub expires_at_ms: i64,
}

/// A lease in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lease {
    pub id: i64,
    pub ttl: i64,
    pub expires_at_ms: i64,
    pub keys: BTreeSet<Bytes>,
}

impl Lease {
    pub fn record(&self) -> LeaseRecord {
        LeaseRecord { id: self.id, ttl: self.ttl, remaining_ttl: 0, expires_at_ms: self.expires_at_ms }
    }
}

/// Every lease, by id.
#[derive(Debug, Default)]
pub(crate) struct Leases {
    pub map: BTreeMap<i64, Lease>,
}

impl Leases {
    /// Attaches `key` to lease `id`, if the lease exists.
    pub fn attach(&mut self, id: i64, key: &Bytes) {
        if let Some(l) = self.map.get_mut(&id) {
            l.keys.insert(key.clone());
        }
    }

    /// Detaches `key` from lease `id`, if attached.
    pub fn detach(&mut self, id: i64, key: &[u8]) {
        if let Some(l) = self.map.get_mut(&id) {
            l.keys.remove(key);
        }
    }

    /// The ids of leases whose expiry is at or before `now_ms`.
    pub fn expired(&self, now_ms: i64) -> Vec<i64> {
        self.map.values().filter(|l| l.expires_at_ms <= now_ms).map(|l| l.id).collect()
    }
}

/// Seconds left until `expires_at_ms`, rounded up, never negative.
pub(crate) fn remaining_secs(expires_at_ms: i64, now_ms: i64) -> i64 {
    let left = expires_at_ms.saturating_sub(now_ms);
    if left <= 0 { 0 } else { (left + 999) / 1000 }
}
