//! The narrow interface the API layer uses to reach the store. It knows
//! nothing of RocksDB or Raft: a local store implements it here, and the
//! replicated store of the Raft layer implements it too.

use async_trait::async_trait;
use bytes::Bytes;

use crate::error::StoreError;
use crate::types::{
    DeleteRangeRequest, DeleteRangeResponse, KeyRange, KeyValue, LeaseGrantResponse, LeaseTimeToLiveResponse,
    PutRequest, PutResponse, RangeRequest, RangeResponse, RequestOp, ResponseOp, TxnRequest, TxnResponse, WatchRequest,
};
use crate::watch::WatchStream;

/// An MVCC key-value store with etcd v3 semantics.
///
/// Reads are linearizable: a read sees every write acknowledged before it
/// started. Revisions grow by one per transaction that changes anything.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Reads a key or range, at the latest revision or a past one.
    async fn range(&self, req: RangeRequest) -> Result<RangeResponse, StoreError>;

    /// Runs a transaction; acknowledged once durable.
    async fn txn(&self, req: TxnRequest) -> Result<TxnResponse, StoreError>;

    /// Watches a key or range from a revision. Fails at once with
    /// [`StoreError::Compacted`] if the start revision has been compacted.
    async fn watch(&self, req: WatchRequest) -> Result<WatchStream, StoreError>;

    /// Forgets history before `revision`; returns the current revision.
    async fn compact(&self, revision: i64) -> Result<i64, StoreError>;

    /// The latest committed revision.
    async fn current_revision(&self) -> Result<i64, StoreError>;

    /// Grants a lease of `ttl` seconds; `id` 0 lets the store choose one.
    async fn lease_grant(&self, id: i64, ttl: i64) -> Result<LeaseGrantResponse, StoreError>;

    /// Revokes a lease, deleting its keys in one revision; returns the
    /// current revision.
    async fn lease_revoke(&self, id: i64) -> Result<i64, StoreError>;

    /// Renews a lease for its TTL; returns the TTL.
    async fn lease_keep_alive(&self, id: i64) -> Result<i64, StoreError>;

    /// The state of a lease, with its keys if `keys` is set.
    async fn lease_time_to_live(&self, id: i64, keys: bool) -> Result<LeaseTimeToLiveResponse, StoreError>;

    /// The ids of every lease.
    async fn leases(&self) -> Result<Vec<i64>, StoreError>;

    /// Fails when the store cannot serve (closed, failing writes, no quorum).
    async fn health(&self) -> Result<(), StoreError>;

    /// Writes one key; returns the revision of the write and, if asked, the
    /// previous key-value.
    async fn put(&self, req: PutRequest) -> Result<(i64, PutResponse), StoreError> {
        let resp = self.txn(TxnRequest { success: vec![RequestOp::Put(req)], ..Default::default() }).await?;
        match resp.responses.into_iter().next() {
            Some(ResponseOp::Put(p)) => Ok((resp.header_revision, p)),
            _ => Err(StoreError::InvalidArgument("put returned no put response".into())),
        }
    }

    /// Reads one key at the latest revision.
    async fn get(&self, key: Bytes) -> Result<Option<KeyValue>, StoreError> {
        let resp = self.range(RangeRequest::new(KeyRange::key(key))).await?;
        Ok(resp.kvs.into_iter().next())
    }

    /// Deletes a key or range; returns the revision and what was deleted.
    async fn delete_range(&self, req: DeleteRangeRequest) -> Result<(i64, DeleteRangeResponse), StoreError> {
        let resp = self.txn(TxnRequest { success: vec![RequestOp::DeleteRange(req)], ..Default::default() }).await?;
        match resp.responses.into_iter().next() {
            Some(ResponseOp::DeleteRange(d)) => Ok((resp.header_revision, d)),
            _ => Err(StoreError::InvalidArgument("delete returned no delete response".into())),
        }
    }
}
