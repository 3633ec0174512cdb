//! The request and response types of the store, shaped like etcd's v3 API
//! (`etcdserverpb`), so that code written against etcd's semantics maps one
//! to one. Keys and values are opaque bytes.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// A key-value pair as the store holds it, with etcd's per-key metadata.
///
/// This is also the stored record: it is encoded as etcd's `mvccpb.KeyValue`
/// protobuf message, so a dump of the store reads like a dump of etcd.
#[derive(Clone, PartialEq, Eq, prost::Message, Serialize, Deserialize)]
pub struct KeyValue {
    /// The key.
    #[prost(bytes = "bytes", tag = "1")]
    pub key: Bytes,
    /// Revision of the last creation of this key.
    #[prost(int64, tag = "2")]
    pub create_revision: i64,
    /// Revision of the last modification of this key.
    #[prost(int64, tag = "3")]
    pub mod_revision: i64,
    /// Number of modifications since creation: 1 on create, reset by delete.
    #[prost(int64, tag = "4")]
    pub version: i64,
    /// The value, opaque to the store.
    #[prost(bytes = "bytes", tag = "5")]
    pub value: Bytes,
    /// The lease attached to the key, or 0.
    #[prost(int64, tag = "6")]
    pub lease: i64,
}

/// What happened to a key in a watch event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// The key was created or updated.
    Put,
    /// The key was deleted (by a delete, a lease revocation or expiry).
    Delete,
}

/// One change to one key, as a watcher sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Put or delete.
    pub kind: EventKind,
    /// For a put, the new key-value; for a delete, the key with
    /// `mod_revision` set to the deletion revision and all else zero.
    pub kv: KeyValue,
    /// The key-value before this change, when the watcher asked for it and
    /// it has not been compacted away.
    pub prev_kv: Option<KeyValue>,
}

/// A key or a key range. `range_end` follows etcd: empty means the single key
/// `key`; `[0]` means every key `>= key`; otherwise the range `[key, range_end)`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRange {
    /// First key (or the only key).
    pub key: Bytes,
    /// End of the range, exclusive, with etcd's conventions.
    pub range_end: Bytes,
}

impl KeyRange {
    /// A single key.
    pub fn key(key: impl Into<Bytes>) -> Self {
        Self { key: key.into(), range_end: Bytes::new() }
    }

    /// Every key that starts with `prefix` (etcd's `WithPrefix`).
    pub fn prefix(prefix: impl Into<Bytes>) -> Self {
        let key: Bytes = prefix.into();
        let range_end = prefix_end(&key);
        Self { key, range_end }
    }

    /// The range `[key, range_end)`.
    pub fn between(key: impl Into<Bytes>, range_end: impl Into<Bytes>) -> Self {
        Self { key: key.into(), range_end: range_end.into() }
    }

    /// Whether `k` falls in this range.
    pub fn contains(&self, k: &[u8]) -> bool {
        match self.end_bound() {
            End::Single => k == &self.key[..],
            End::Unbounded => k >= &self.key[..],
            End::Before(end) => k >= &self.key[..] && k < end,
        }
    }

    /// The end of the range in a form that is easy to match on.
    pub(crate) fn end_bound(&self) -> End<'_> {
        if self.range_end.is_empty() {
            End::Single
        } else if self.range_end[..] == [0] {
            End::Unbounded
        } else {
            End::Before(&self.range_end)
        }
    }
}

/// The end of a [`KeyRange`].
pub(crate) enum End<'a> {
    Single,
    Unbounded,
    Before(&'a [u8]),
}

/// The smallest key greater than every key with this prefix, as etcd's
/// `GetPrefixRangeEnd`: the prefix with its last non-0xff byte incremented;
/// `[0]` (no end) when the prefix is all 0xff or empty.
pub fn prefix_end(prefix: &[u8]) -> Bytes {
    let mut end = prefix.to_vec();
    while let Some(last) = end.last_mut() {
        if *last < 0xff {
            *last += 1;
            return end.into();
        }
        end.pop();
    }
    Bytes::from_static(&[0])
}

/// A read of a key or range, at the latest revision or a past one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeRequest {
    /// The key or range to read.
    pub range: KeyRange,
    /// The revision to read at; 0 or less means the latest.
    pub revision: i64,
    /// The most keys to return; 0 or less means no limit.
    pub limit: i64,
    /// Return only the count, no key-values.
    pub count_only: bool,
    /// Return key-values without their values.
    pub keys_only: bool,
}

impl RangeRequest {
    /// A read of `range` at the latest revision.
    pub fn new(range: KeyRange) -> Self {
        Self { range, ..Self::default() }
    }

    /// Read at `revision` instead of the latest.
    pub fn at(mut self, revision: i64) -> Self {
        self.revision = revision;
        self
    }

    /// Return at most `limit` keys.
    pub fn limit(mut self, limit: i64) -> Self {
        self.limit = limit;
        self
    }
}

/// The answer to a [`RangeRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeResponse {
    /// The store's current revision when the read was served (as etcd's
    /// response header), whatever revision the read was at.
    pub header_revision: i64,
    /// The key-values, in key order, at most `limit` of them.
    pub kvs: Vec<KeyValue>,
    /// Whether the range holds more keys than were returned.
    pub more: bool,
    /// The number of keys in the range at the read revision.
    pub count: i64,
}

/// A write of one key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutRequest {
    /// The key.
    pub key: Bytes,
    /// The value.
    pub value: Bytes,
    /// The lease to attach, or 0 for none.
    pub lease: i64,
    /// Return the previous key-value.
    pub prev_kv: bool,
    /// Keep the current value (the key must exist).
    pub ignore_value: bool,
    /// Keep the current lease (the key must exist).
    pub ignore_lease: bool,
}

impl PutRequest {
    /// A put of `value` at `key`.
    pub fn new(key: impl Into<Bytes>, value: impl Into<Bytes>) -> Self {
        Self { key: key.into(), value: value.into(), ..Self::default() }
    }
}

/// A delete of a key or range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteRangeRequest {
    /// The key or range to delete.
    pub range: KeyRange,
    /// Return the deleted key-values.
    pub prev_kv: bool,
}

/// The field of a key that a [`Compare`] looks at, with the operand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompareTarget {
    /// The key's version (0 when absent).
    Version(i64),
    /// The key's create revision (0 when absent).
    CreateRevision(i64),
    /// The key's mod revision (0 when absent).
    ModRevision(i64),
    /// The key's value (a compare on an absent key's value is false).
    Value(Bytes),
    /// The key's lease (0 when absent or unleased).
    Lease(i64),
}

/// How a [`Compare`] relates the key's field to the operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompareOp {
    /// field == operand
    Equal,
    /// field != operand
    NotEqual,
    /// field < operand
    Less,
    /// field > operand
    Greater,
}

/// One guard of a transaction. With a range, every key in it must satisfy
/// the comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compare {
    /// The key or range compared.
    pub range: KeyRange,
    /// Field and operand.
    pub target: CompareTarget,
    /// The relation.
    pub op: CompareOp,
}

impl Compare {
    /// A comparison on a single key.
    pub fn new(key: impl Into<Bytes>, op: CompareOp, target: CompareTarget) -> Self {
        Self { range: KeyRange::key(key), target, op }
    }
}

/// One operation of a transaction branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestOp {
    /// A read; it sees the writes made earlier in the same transaction.
    Range(RangeRequest),
    /// A write of one key.
    Put(PutRequest),
    /// A delete of a key or range.
    DeleteRange(DeleteRangeRequest),
}

/// A transaction: if every compare holds, run `success`, else `failure`.
/// All writes of the transaction share one revision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnRequest {
    /// The guards.
    pub compare: Vec<Compare>,
    /// Run when every guard holds.
    pub success: Vec<RequestOp>,
    /// Run otherwise.
    pub failure: Vec<RequestOp>,
}

/// The result of a [`PutRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutResponse {
    /// The key-value before the put, if asked for and the key existed.
    pub prev_kv: Option<KeyValue>,
}

/// The result of a [`DeleteRangeRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteRangeResponse {
    /// How many keys were deleted.
    pub deleted: i64,
    /// The deleted key-values, if asked for.
    pub prev_kvs: Vec<KeyValue>,
}

/// The result of one [`RequestOp`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseOp {
    /// Result of a range.
    Range(RangeResponse),
    /// Result of a put.
    Put(PutResponse),
    /// Result of a delete.
    DeleteRange(DeleteRangeResponse),
}

/// The result of a [`TxnRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnResponse {
    /// The store's revision after the transaction.
    pub header_revision: i64,
    /// Whether the compares held (the success branch ran).
    pub succeeded: bool,
    /// One response per operation of the branch that ran.
    pub responses: Vec<ResponseOp>,
}

/// A request to watch a key or range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchRequest {
    /// The key or range to watch.
    pub range: KeyRange,
    /// The first revision to deliver; 0 or less means "after the current".
    pub start_revision: i64,
    /// Attach the previous key-value to every event.
    pub prev_kv: bool,
    /// Send progress notifications when idle (see `StoreOptions`).
    pub progress_notify: bool,
}

/// What a watch stream delivers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WatchMessage {
    /// Events, in revision order, with no gap and no duplicate.
    Events(Vec<Event>),
    /// The watcher has seen every event up to and including this revision.
    Progress(i64),
}

/// A granted lease.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseGrantResponse {
    /// The lease id.
    pub id: i64,
    /// The TTL granted, in seconds.
    pub ttl: i64,
}

/// The state of a lease.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaseTimeToLiveResponse {
    /// The lease id.
    pub id: i64,
    /// Seconds until expiry (0 when it is due).
    pub ttl: i64,
    /// The TTL the lease was granted with.
    pub granted_ttl: i64,
    /// Keys attached to the lease, if asked for.
    pub keys: Vec<Bytes>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_end_matches_etcd() {
        assert_eq!(&prefix_end(b"/registry/pods/")[..], b"/registry/pods0");
        assert_eq!(&prefix_end(b"a\xff")[..], b"b");
        assert_eq!(&prefix_end(b"\xff\xff")[..], b"\0");
        assert_eq!(&prefix_end(b"")[..], b"\0");
    }

    #[test]
    fn key_range_contains() {
        let single = KeyRange::key("a");
        assert!(single.contains(b"a") && !single.contains(b"ab"));
        let prefix = KeyRange::prefix("a/");
        assert!(prefix.contains(b"a/") && prefix.contains(b"a/x") && !prefix.contains(b"a0"));
        let all = KeyRange::between("b", vec![0u8]);
        assert!(all.contains(b"b") && all.contains(b"zzz") && !all.contains(b"a"));
    }
}
