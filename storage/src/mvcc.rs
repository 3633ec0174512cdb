//! The MVCC state machine: the deterministic `apply` of [`Command`]s and the
//! reads at a revision.
//!
//! Layout, as etcd's: the engine's history column maps every revision to the
//! `KeyValue` written at it (a tombstone for deletions); the in-memory
//! [`Index`] maps every key to the revisions at which it changed. A read at
//! revision R asks the index which revision of each key is visible at R, then
//! loads those records. Compaction drops from both what no read at or after
//! the compact revision can see.
//!
//! One thread applies commands ([`StateMachine`]); any number read
//! ([`Reader`]). Commands are applied in batches that share one durable
//! write; readers only see revisions whose batch is on disk.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use parking_lot::{Mutex, RwLock};
use prost::Message;

use crate::command::{Command, CommandResult};
use crate::engine::{Column, Engine, WriteBatch};
use crate::error::StoreError;
use crate::index::{Index, IndexEntry};
use crate::lease::{Lease, LeaseRecord, Leases, MAX_LEASE_TTL, MIN_LEASE_TTL, remaining_secs};
use crate::revision::{Rev, bytes_to_rev, rev_to_bytes};
use crate::types::{
    Compare, CompareOp, CompareTarget, DeleteRangeResponse, Event, EventKind, KeyRange, KeyValue, LeaseGrantResponse,
    LeaseTimeToLiveResponse, PutResponse, RangeRequest, RangeResponse, RequestOp, ResponseOp, TxnRequest, TxnResponse,
};
use crate::watch::{Hub, PendingEvent};

/// Meta keys that [`StateMachine::apply_batch_with_meta`] callers own start
/// with this, so they never collide with the store's own.
pub const CALLER_META_PREFIX: &[u8] = b"caller/";

/// The on-disk format this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

const META_FORMAT_VERSION: &[u8] = b"kubox_format_version";
const META_SCHEDULED_COMPACT: &[u8] = b"scheduledCompactRev";
const META_FINISHED_COMPACT: &[u8] = b"finishedCompactRev";

/// Keys whose histories one compaction step trims while holding the index.
const COMPACT_CHUNK_KEYS: usize = 4096;
/// History records the sweeper examines per delete batch.
const SWEEP_CHUNK: usize = 1000;

/// Tunables of a store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// The largest transaction accepted, in bytes of keys and values
    /// (etcd's `--max-request-bytes`, 1.5 MiB by default).
    pub max_request_bytes: usize,
    /// How often an idle watcher that asked for progress notifications gets one.
    pub watch_progress_interval: Duration,
    /// How often lease expiry is checked.
    pub lease_check_interval: Duration,
    /// Size of the engine's block cache.
    pub block_cache_bytes: usize,
    /// Sync every write batch to disk before acknowledging it. Only tests
    /// and benchmarks of the non-durable path turn this off.
    pub sync_writes: bool,
    /// Write through RocksDB's write-ahead log. A store driven by a Raft
    /// log turns it off: that log is the write-ahead log, and the engine
    /// then flushes its column families atomically, so that after a crash
    /// it holds exactly the state as of some earlier batch.
    pub engine_wal: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_request_bytes: 1536 * 1024,
            watch_progress_interval: Duration::from_secs(600),
            lease_check_interval: Duration::from_millis(500),
            block_cache_bytes: 64 << 20,
            sync_writes: true,
            engine_wal: true,
        }
    }
}

/// State shared by the applying thread, the readers and the watchers.
pub(crate) struct Shared {
    pub engine: Arc<dyn Engine>,
    pub index: RwLock<Index>,
    pub leases: RwLock<Leases>,
    /// The newest revision that is durable and visible to reads.
    pub committed: AtomicI64,
    /// Reads and watches below this revision fail as compacted.
    pub compacted: AtomicI64,
    pub hub: Hub,
    pub options: StoreOptions,
    /// The error of the last failed write, until a write succeeds again.
    pub write_error: Mutex<Option<StoreError>>,
}

/// A read handle on the store; cheap to clone.
#[derive(Clone)]
pub struct Reader {
    pub(crate) shared: Arc<Shared>,
}

/// What undoes one in-memory change of a batch whose write failed.
enum Undo {
    IndexPush(Bytes),
    LeaseAttach { id: i64, key: Bytes },
    LeaseDetach { id: i64, key: Bytes },
    LeaseInserted(i64),
    LeaseRemoved(Lease),
    LeaseExpiry { id: i64, expires_at_ms: i64 },
    Revision(i64),
    CompactRevision(i64),
}

/// Everything a batch of commands produced, before it is written.
#[derive(Default)]
struct BatchState {
    write: WriteBatch,
    /// Records written by this batch, readable before the batch is durable.
    overlay: HashMap<Rev, KeyValue>,
    events: Vec<PendingEvent>,
    undo: Vec<Undo>,
    compacted_to: Option<i64>,
}

/// Where a command's changes start in a [`BatchState`], to roll back one
/// command that fails half-way.
struct Mark {
    write: usize,
    events: usize,
    undo: usize,
}

/// An index compaction in progress.
struct IndexCompaction {
    at: i64,
    cursor: Option<Bytes>,
}

/// The applying side of the store. Exactly one exists per store.
pub struct StateMachine {
    shared: Arc<Shared>,
    /// The revision after everything applied so far.
    rev: i64,
    /// The compact revision after everything applied so far.
    compact_rev: i64,
    compaction: Option<IndexCompaction>,
    sweeper: Sweeper,
}

impl StateMachine {
    /// Opens the state machine on `engine`: checks the format, rebuilds the
    /// index and leases from the history, and resumes an unfinished compaction.
    pub(crate) fn open(
        engine: Arc<dyn Engine>,
        options: StoreOptions,
        path: Option<PathBuf>,
    ) -> Result<Self, StoreError> {
        check_format(engine.as_ref(), path)?;
        let scheduled = read_meta_rev(engine.as_ref(), META_SCHEDULED_COMPACT)?;
        let finished = read_meta_rev(engine.as_ref(), META_FINISHED_COMPACT)?;

        let mut index = Index::default();
        let mut current = 0;
        engine.scan(Column::History, &[], &mut |k, v| {
            let (rev, tombstone) = bytes_to_rev(k)?;
            let kv = decode_kv(v)?;
            if kv.key.is_empty() {
                return Err(StoreError::Corrupt(format!("history record at {rev:?} has no key")));
            }
            index.push(&kv.key, entry_of(&kv, rev, tombstone));
            current = current.max(rev.main);
            Ok(true)
        })?;

        let mut leases = Leases::default();
        engine.scan(Column::Leases, &[], &mut |_, v| {
            let r = LeaseRecord::decode(v).map_err(|e| StoreError::Corrupt(format!("lease record: {e}")))?;
            leases
                .map
                .insert(r.id, Lease { id: r.id, ttl: r.ttl, expires_at_ms: r.expires_at_ms, keys: Default::default() });
            Ok(true)
        })?;
        index.visit_range(&KeyRange::between(vec![0u8], vec![0u8]), i64::MAX, |k, e| {
            if e.lease != 0 {
                leases.attach(e.lease, k);
            }
            true
        });

        // A compaction deletes nothing at or after its revision, so the
        // newest record is the current revision unless everything newer was
        // never written.
        let current = current.max(scheduled);
        if scheduled > 0 {
            let mut cursor = None;
            while let Some(c) = index.compact_chunk(scheduled, cursor, usize::MAX) {
                cursor = Some(c);
            }
        }

        let shared = Arc::new(Shared {
            engine,
            index: RwLock::new(index),
            leases: RwLock::new(leases),
            committed: AtomicI64::new(current),
            compacted: AtomicI64::new(scheduled),
            hub: Hub::default(),
            options,
            write_error: Mutex::new(None),
        });
        let sweeper = Sweeper::start(shared.clone());
        if scheduled > finished {
            sweeper.request(scheduled);
        }
        Ok(Self { shared, rev: current, compact_rev: scheduled, compaction: None, sweeper })
    }

    /// Opens (or creates) a state machine on RocksDB in `dir`. The caller
    /// drives it (a replicated log does) and must hold the directory's lock.
    #[cfg(feature = "rocksdb")]
    pub fn open_dir(dir: &std::path::Path, options: StoreOptions) -> Result<Self, StoreError> {
        let engine = crate::engine::rocks::RocksEngine::open(dir, options.block_cache_bytes, options.engine_wal)?;
        Self::open(Arc::new(engine), options, Some(dir.to_path_buf()))
    }

    /// A state machine in memory, for tests of what drives it.
    pub fn in_memory(options: StoreOptions) -> Result<Self, StoreError> {
        Self::open(Arc::new(crate::engine::memory::MemoryEngine::default()), options, None)
    }

    /// A read handle on this store.
    pub fn reader(&self) -> Reader {
        Reader { shared: self.shared.clone() }
    }

    /// The revision after everything applied.
    pub fn revision(&self) -> i64 {
        self.rev
    }

    /// Applies `commands` in order and writes their changes in one batch,
    /// synced to disk if `sync`. Reads and watchers see the batch only once
    /// it is written. If the write fails, nothing of the batch is applied and
    /// every command's result is the write's error.
    pub fn apply_batch(&mut self, commands: Vec<Command>, sync: bool) -> Vec<Result<CommandResult, StoreError>> {
        self.apply_batch_with_meta(commands, sync, Vec::new())
    }

    /// As [`Self::apply_batch`], and writes `meta` (key, value pairs of the
    /// caller's own bookkeeping, such as the last applied log entry) in the
    /// same atomic write, even when the commands change nothing. Keys must
    /// start with [`CALLER_META_PREFIX`].
    pub fn apply_batch_with_meta(
        &mut self,
        commands: Vec<Command>,
        sync: bool,
        meta: Vec<(Vec<u8>, Vec<u8>)>,
    ) -> Vec<Result<CommandResult, StoreError>> {
        let mut batch = BatchState::default();
        for (k, v) in meta {
            debug_assert!(k.starts_with(CALLER_META_PREFIX));
            batch.write.put(Column::Meta, k, v);
        }
        let results: Vec<_> = {
            let shared = self.shared.clone();
            let mut index = shared.index.write();
            let mut leases = shared.leases.write();
            commands
                .into_iter()
                .map(|cmd| {
                    let mark =
                        Mark { write: batch.write.ops.len(), events: batch.events.len(), undo: batch.undo.len() };
                    let result = self.apply(cmd, &mut index, &mut leases, &mut batch);
                    if result.is_err() {
                        self.rollback(&mut batch, mark, &mut index, &mut leases);
                    }
                    result
                })
                .collect()
        };
        if batch.write.is_empty() {
            return results;
        }
        match self.shared.engine.write(std::mem::take(&mut batch.write), sync) {
            Ok(()) => {
                *self.shared.write_error.lock() = None;
                self.commit(batch);
                results
            }
            Err(err) => {
                tracing::error!(%err, "store write failed; the batch was not applied");
                let shared = self.shared.clone();
                let mut index = shared.index.write();
                let mut leases = shared.leases.write();
                let undo = std::mem::take(&mut batch.undo);
                self.undo(undo, &mut index, &mut leases);
                *self.shared.write_error.lock() = Some(err.clone());
                results.into_iter().map(|r| r.and(Err(err.clone()))).collect()
            }
        }
    }

    /// Reads a value the caller stored with [`Self::apply_batch_with_meta`].
    pub fn caller_meta(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.shared.engine.get(Column::Meta, key)
    }

    /// Writes a consistent copy of the store's files into `dir`, which must
    /// not exist (a RocksDB checkpoint: hard links to the immutable files
    /// after a flush of the memtables). Everything applied before the call
    /// is in it.
    pub fn checkpoint(&self, dir: &std::path::Path) -> Result<(), StoreError> {
        self.shared.engine.checkpoint(dir)
    }

    /// Ends every watch with `reason`, stops background work and releases
    /// the files. Readers still held fail with [`StoreError::Closed`].
    pub fn close(mut self, reason: StoreError) {
        self.sweeper.stop();
        self.shared.hub.fail(reason);
        self.shared.engine.close();
    }

    /// Whether index compaction has work left (see [`Self::background_step`]).
    pub fn has_background_work(&self) -> bool {
        self.compaction.is_some()
    }

    /// Does a bounded step of index compaction. The applying thread calls
    /// this between batches, so compaction never holds writes up for long.
    pub fn background_step(&mut self) {
        let Some(job) = &mut self.compaction else { return };
        let next = self.shared.index.write().compact_chunk(job.at, job.cursor.take(), COMPACT_CHUNK_KEYS);
        match next {
            Some(cursor) => job.cursor = Some(cursor),
            None => {
                let at = job.at;
                self.compaction = None;
                self.sweeper.request(at);
            }
        }
    }

    /// Makes a written batch visible and tells the watchers.
    fn commit(&mut self, batch: BatchState) {
        if let Some(at) = batch.compacted_to {
            self.shared.compacted.store(at, Ordering::SeqCst);
            self.compaction = Some(IndexCompaction { at, cursor: None });
        }
        let reader = self.reader();
        let overlay = batch.overlay;
        self.shared.hub.publish(&self.shared.committed, self.rev, batch.events, |rev| {
            overlay.get(&rev).cloned().or_else(|| reader.load_rev(rev).ok())
        });
    }

    fn rollback(&mut self, batch: &mut BatchState, mark: Mark, index: &mut Index, leases: &mut Leases) {
        batch.write.ops.truncate(mark.write);
        batch.events.truncate(mark.events);
        let undo = batch.undo.split_off(mark.undo);
        self.undo(undo, index, leases);
    }

    fn undo(&mut self, undo: Vec<Undo>, index: &mut Index, leases: &mut Leases) {
        for u in undo.into_iter().rev() {
            match u {
                Undo::IndexPush(key) => index.pop(&key),
                Undo::LeaseAttach { id, key } => leases.attach(id, &key),
                Undo::LeaseDetach { id, key } => leases.detach(id, &key),
                Undo::LeaseInserted(id) => {
                    leases.map.remove(&id);
                }
                Undo::LeaseRemoved(lease) => {
                    leases.map.insert(lease.id, lease);
                }
                Undo::LeaseExpiry { id, expires_at_ms } => {
                    if let Some(l) = leases.map.get_mut(&id) {
                        l.expires_at_ms = expires_at_ms;
                    }
                }
                Undo::Revision(rev) => self.rev = rev,
                Undo::CompactRevision(rev) => self.compact_rev = rev,
            }
        }
    }

    fn apply(
        &mut self,
        cmd: Command,
        index: &mut Index,
        leases: &mut Leases,
        batch: &mut BatchState,
    ) -> Result<CommandResult, StoreError> {
        match cmd {
            Command::Txn(req) => self.apply_txn(req, index, leases, batch).map(CommandResult::Txn),
            Command::Compact { revision } => {
                if revision <= self.compact_rev {
                    return Err(StoreError::Compacted { compact_revision: self.compact_rev });
                }
                if revision > self.rev {
                    return Err(StoreError::FutureRevision { requested: revision, current: self.rev });
                }
                batch.undo.push(Undo::CompactRevision(self.compact_rev));
                self.compact_rev = revision;
                batch.write.put(
                    Column::Meta,
                    META_SCHEDULED_COMPACT.to_vec(),
                    rev_to_bytes(Rev::new(revision, 0), false),
                );
                batch.compacted_to = Some(revision);
                Ok(CommandResult::Compact { header_revision: self.rev })
            }
            Command::LeaseGrant { id, ttl, expires_at_ms } => {
                if id <= 0 {
                    return Err(StoreError::InvalidArgument(format!("lease id must be positive, got {id}")));
                }
                if ttl > MAX_LEASE_TTL {
                    return Err(StoreError::LeaseTtlTooLarge(ttl));
                }
                if leases.map.contains_key(&id) {
                    return Err(StoreError::LeaseExists(id));
                }
                let ttl = ttl.max(MIN_LEASE_TTL);
                let lease = Lease { id, ttl, expires_at_ms, keys: Default::default() };
                batch.write.put(Column::Leases, lease_key(id), lease.record().encode_to_vec());
                leases.map.insert(id, lease);
                batch.undo.push(Undo::LeaseInserted(id));
                Ok(CommandResult::LeaseGrant(LeaseGrantResponse { id, ttl }))
            }
            Command::LeaseKeepAlive { id, expires_at_ms } => {
                let lease = leases.map.get_mut(&id).ok_or(StoreError::LeaseNotFound(id))?;
                batch.undo.push(Undo::LeaseExpiry { id, expires_at_ms: lease.expires_at_ms });
                lease.expires_at_ms = expires_at_ms;
                batch.write.put(Column::Leases, lease_key(id), lease.record().encode_to_vec());
                Ok(CommandResult::LeaseKeepAlive { ttl: lease.ttl })
            }
            Command::LeaseRevoke { id } => {
                let lease = leases.map.remove(&id).ok_or(StoreError::LeaseNotFound(id))?;
                batch.write.delete(Column::Leases, lease_key(id));
                let rev = self.rev + 1;
                let mut sub = 0;
                for key in &lease.keys {
                    if let Some(entry) = index.get(key, self.rev) {
                        self.delete_key(key, entry, Rev::new(rev, sub), index, leases, batch);
                        sub += 1;
                    }
                }
                batch.undo.push(Undo::LeaseRemoved(lease));
                if sub > 0 {
                    batch.undo.push(Undo::Revision(self.rev));
                    self.rev = rev;
                }
                Ok(CommandResult::LeaseRevoke { header_revision: self.rev })
            }
        }
    }

    fn apply_txn(
        &mut self,
        req: TxnRequest,
        index: &mut Index,
        leases: &mut Leases,
        batch: &mut BatchState,
    ) -> Result<TxnResponse, StoreError> {
        let size = txn_size(&req);
        if size > self.shared.options.max_request_bytes {
            return Err(StoreError::RequestTooLarge { size, limit: self.shared.options.max_request_bytes });
        }
        check_no_duplicates(&req.success)?;
        check_no_duplicates(&req.failure)?;

        let mut succeeded = true;
        for c in &req.compare {
            if !self.compare_holds(c, index, batch)? {
                succeeded = false;
                break;
            }
        }
        let ops = if succeeded { req.success } else { req.failure };
        for op in &ops {
            self.check_op(op, index, leases)?;
        }

        let rev = self.rev + 1;
        let mut sub = 0;
        let mut responses = Vec::with_capacity(ops.len());
        for op in ops {
            let resp = match op {
                RequestOp::Range(r) => {
                    // A read in a transaction sees the transaction's own writes.
                    let at = if r.revision > 0 { r.revision } else { rev };
                    let (entries, count, more) = collect_range(index, &r, at);
                    let kvs = if r.count_only {
                        Vec::new()
                    } else if r.keys_only {
                        entries.iter().map(|(k, e)| kv_without_value(k, e)).collect()
                    } else {
                        entries.iter().map(|(k, e)| self.load_in_batch(k, e, batch)).collect::<Result<_, _>>()?
                    };
                    ResponseOp::Range(RangeResponse { header_revision: 0, kvs, more, count })
                }
                RequestOp::Put(p) => {
                    let prev = index.get(&p.key, rev);
                    let prev_kv = match &prev {
                        Some(e) if p.prev_kv || p.ignore_value => Some(self.load_in_batch(&p.key, e, batch)?),
                        _ => None,
                    };
                    let kv = KeyValue {
                        key: p.key.clone(),
                        create_revision: prev.map_or(rev, |e| e.create_revision),
                        mod_revision: rev,
                        version: prev.map_or(1, |e| e.version + 1),
                        value: match (&prev_kv, p.ignore_value) {
                            (Some(old), true) => old.value.clone(),
                            _ => p.value,
                        },
                        lease: match (prev, p.ignore_lease) {
                            (Some(e), true) => e.lease,
                            _ => p.lease,
                        },
                    };
                    let old_lease = prev.map_or(0, |e| e.lease);
                    if old_lease != kv.lease {
                        if old_lease != 0 {
                            leases.detach(old_lease, &kv.key);
                            batch.undo.push(Undo::LeaseAttach { id: old_lease, key: kv.key.clone() });
                        }
                        if kv.lease != 0 {
                            leases.attach(kv.lease, &kv.key);
                            batch.undo.push(Undo::LeaseDetach { id: kv.lease, key: kv.key.clone() });
                        }
                    }
                    let at = Rev::new(rev, sub);
                    sub += 1;
                    index.push(&kv.key, entry_of(&kv, at, false));
                    batch.undo.push(Undo::IndexPush(kv.key.clone()));
                    batch.write.put(Column::History, rev_to_bytes(at, false), kv.encode_to_vec());
                    batch.overlay.insert(at, kv.clone());
                    batch.events.push(PendingEvent {
                        event: Event { kind: EventKind::Put, kv, prev_kv: None },
                        prev_rev: prev.map(|e| e.rev),
                    });
                    ResponseOp::Put(PutResponse { prev_kv: if p.prev_kv { prev_kv } else { None } })
                }
                RequestOp::DeleteRange(d) => {
                    let (entries, _, _) = collect_range(index, &RangeRequest::new(d.range.clone()), rev);
                    let mut prev_kvs = Vec::new();
                    for (key, entry) in &entries {
                        if d.prev_kv {
                            prev_kvs.push(self.load_in_batch(key, entry, batch)?);
                        }
                        self.delete_key(key, *entry, Rev::new(rev, sub), index, leases, batch);
                        sub += 1;
                    }
                    ResponseOp::DeleteRange(DeleteRangeResponse { deleted: entries.len() as i64, prev_kvs })
                }
            };
            responses.push(resp);
        }
        if sub > 0 {
            batch.undo.push(Undo::Revision(self.rev));
            self.rev = rev;
        }
        for r in &mut responses {
            if let ResponseOp::Range(range) = r {
                range.header_revision = self.rev;
            }
        }
        Ok(TxnResponse { header_revision: self.rev, succeeded, responses })
    }

    /// Writes a tombstone for `key`, whose live entry is `entry`, at `at`.
    fn delete_key(
        &mut self,
        key: &Bytes,
        entry: IndexEntry,
        at: Rev,
        index: &mut Index,
        leases: &mut Leases,
        batch: &mut BatchState,
    ) {
        if entry.lease != 0 {
            leases.detach(entry.lease, key);
            batch.undo.push(Undo::LeaseAttach { id: entry.lease, key: key.clone() });
        }
        let tomb = KeyValue { key: key.clone(), mod_revision: at.main, ..Default::default() };
        index.push(key, IndexEntry { rev: at, create_revision: 0, version: 0, lease: 0, tombstone: true });
        batch.undo.push(Undo::IndexPush(key.clone()));
        batch.write.put(
            Column::History,
            rev_to_bytes(at, true),
            KeyValue { key: key.clone(), ..Default::default() }.encode_to_vec(),
        );
        batch.events.push(PendingEvent {
            event: Event { kind: EventKind::Delete, kv: tomb, prev_kv: None },
            prev_rev: Some(entry.rev),
        });
    }

    /// Validates one operation of the branch that runs, before anything of
    /// the transaction is applied (as etcd's `checkRequests`).
    fn check_op(&self, op: &RequestOp, index: &Index, leases: &Leases) -> Result<(), StoreError> {
        match op {
            RequestOp::Range(r) => {
                check_key(&r.range.key)?;
                if r.revision > self.rev {
                    return Err(StoreError::FutureRevision { requested: r.revision, current: self.rev });
                }
                if r.revision > 0 && r.revision < self.compact_rev {
                    return Err(StoreError::Compacted { compact_revision: self.compact_rev });
                }
            }
            RequestOp::Put(p) => {
                check_key(&p.key)?;
                if p.ignore_value && !p.value.is_empty() {
                    return Err(StoreError::InvalidArgument("value is provided".into()));
                }
                if p.ignore_lease && p.lease != 0 {
                    return Err(StoreError::InvalidArgument("lease is provided".into()));
                }
                if p.lease != 0 && !leases.map.contains_key(&p.lease) {
                    return Err(StoreError::LeaseNotFound(p.lease));
                }
                if (p.ignore_value || p.ignore_lease) && index.get(&p.key, self.rev).is_none() {
                    return Err(StoreError::KeyNotFound);
                }
            }
            RequestOp::DeleteRange(d) => check_key(&d.range.key)?,
        }
        Ok(())
    }

    fn compare_holds(&self, c: &Compare, index: &Index, batch: &BatchState) -> Result<bool, StoreError> {
        check_key(&c.range.key)?;
        let (entries, _, _) = collect_range(index, &RangeRequest::new(c.range.clone()), self.rev);
        if entries.is_empty() {
            // As etcd: a value compare on a missing key is false; the other
            // targets compare against zero.
            return Ok(match &c.target {
                CompareTarget::Value(_) => false,
                _ => compare_entry(c, None, None),
            });
        }
        for (key, entry) in &entries {
            let value = match c.target {
                CompareTarget::Value(_) => Some(self.load_in_batch(key, entry, batch)?.value),
                _ => None,
            };
            if !compare_entry(c, Some(entry), value.as_deref()) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Loads the record of a live entry, from this batch or the engine.
    fn load_in_batch(&self, key: &Bytes, entry: &IndexEntry, batch: &BatchState) -> Result<KeyValue, StoreError> {
        match batch.overlay.get(&entry.rev) {
            Some(kv) => Ok(kv.clone()),
            None => self.reader().load_rev(entry.rev).and_then(|kv| check_record_key(kv, key)),
        }
    }

    /// Stops the background sweeper; pending sweeps resume at the next open.
    pub(crate) fn stop(&mut self) {
        self.sweeper.stop();
    }
}

impl Drop for StateMachine {
    fn drop(&mut self) {
        self.sweeper.stop();
    }
}

impl Reader {
    /// The newest durable revision.
    pub fn committed(&self) -> i64 {
        self.shared.committed.load(Ordering::SeqCst)
    }

    /// Watches a key or range of this store from a revision. Must be
    /// called within a Tokio runtime.
    pub fn watch(&self, req: crate::types::WatchRequest) -> Result<crate::watch::WatchStream, StoreError> {
        if req.range.key.is_empty() {
            return Err(StoreError::InvalidArgument("key is not provided".into()));
        }
        crate::watch::start(self.clone(), req)
    }

    /// The compact revision.
    pub fn compacted(&self) -> i64 {
        self.shared.compacted.load(Ordering::SeqCst)
    }

    /// The error of the last write, if it failed and no write has succeeded since.
    pub fn write_error(&self) -> Option<StoreError> {
        self.shared.write_error.lock().clone()
    }

    /// Serves a range read at a durable revision.
    pub fn range(&self, req: &RangeRequest) -> Result<RangeResponse, StoreError> {
        check_key(&req.range.key)?;
        let current = self.committed();
        let at = if req.revision <= 0 { current } else { req.revision };
        if at > current {
            return Err(StoreError::FutureRevision { requested: at, current });
        }
        self.check_not_compacted(at)?;
        let (entries, count, more) = collect_range(&self.shared.index.read(), req, at);
        let kvs = if req.count_only {
            Vec::new()
        } else if req.keys_only {
            entries.iter().map(|(k, e)| kv_without_value(k, e)).collect()
        } else {
            self.load_entries(&entries, at)?
        };
        Ok(RangeResponse { header_revision: current, kvs, more, count })
    }

    /// Reads the events of `range` with revisions in `[from, to]`, stopping
    /// at a revision boundary once `max_events` are gathered. Returns the
    /// events and the next revision to read.
    pub(crate) fn read_events(
        &self,
        range: &KeyRange,
        from: i64,
        to: i64,
        prev_kv: bool,
        max_events: usize,
    ) -> Result<(Vec<Event>, i64), StoreError> {
        self.check_not_compacted(from)?;
        let mut events = Vec::new();
        let mut next = to + 1;
        let start = rev_to_bytes(Rev::new(from, 0), false);
        self.shared.engine.scan(Column::History, &start, &mut |k, v| {
            let (rev, tombstone) = bytes_to_rev(k)?;
            if rev.main > to {
                return Ok(false);
            }
            if events.len() >= max_events && rev.sub == 0 {
                next = rev.main;
                return Ok(false);
            }
            let kv = decode_kv(v)?;
            if !range.contains(&kv.key) {
                return Ok(true);
            }
            let (kind, kv) = if tombstone {
                (EventKind::Delete, KeyValue { key: kv.key, mod_revision: rev.main, ..Default::default() })
            } else {
                (EventKind::Put, kv)
            };
            events.push((rev, Event { kind, kv, prev_kv: None }));
            Ok(true)
        })?;
        if prev_kv {
            let prevs: Vec<Option<IndexEntry>> = {
                let index = self.shared.index.read();
                events.iter().map(|(rev, e)| index.live_before(&e.kv.key, *rev)).collect()
            };
            for ((_, e), prev) in events.iter_mut().zip(prevs) {
                // A previous version removed by compaction is simply absent.
                e.prev_kv = prev.and_then(|p| self.load_rev(p.rev).ok());
            }
        }
        // A compaction that overtook this read may have removed records it
        // needed; then the read as a whole is compacted.
        self.check_not_compacted(from)?;
        Ok((events.into_iter().map(|(_, e)| e).collect(), next))
    }

    /// Leases due for expiry at `now_ms`.
    pub fn expired_leases(&self, now_ms: i64) -> Vec<i64> {
        self.shared.leases.read().expired(now_ms)
    }

    /// The state of a lease at `now_ms`.
    pub fn lease_time_to_live(&self, id: i64, keys: bool, now_ms: i64) -> Result<LeaseTimeToLiveResponse, StoreError> {
        let leases = self.shared.leases.read();
        let l = leases.map.get(&id).ok_or(StoreError::LeaseNotFound(id))?;
        Ok(LeaseTimeToLiveResponse {
            id,
            ttl: remaining_secs(l.expires_at_ms, now_ms),
            granted_ttl: l.ttl,
            keys: if keys { l.keys.iter().cloned().collect() } else { Vec::new() },
        })
    }

    /// The TTL of a lease, if it exists.
    pub fn lease_ttl(&self, id: i64) -> Option<i64> {
        self.shared.leases.read().map.get(&id).map(|l| l.ttl)
    }

    /// Every lease id.
    pub fn leases(&self) -> Vec<i64> {
        self.shared.leases.read().map.keys().copied().collect()
    }

    /// Loads the record written at `rev`.
    pub(crate) fn load_rev(&self, rev: Rev) -> Result<KeyValue, StoreError> {
        match self.shared.engine.get(Column::History, &rev_to_bytes(rev, false))? {
            Some(v) => decode_kv(&v),
            None => Err(StoreError::Corrupt(format!("no history record at revision {rev:?}"))),
        }
    }

    fn load_entries(&self, entries: &[(Bytes, IndexEntry)], at: i64) -> Result<Vec<KeyValue>, StoreError> {
        let keys: Vec<Vec<u8>> = entries.iter().map(|(_, e)| rev_to_bytes(e.rev, false)).collect();
        let values = self.shared.engine.multi_get(Column::History, &keys)?;
        let mut out = Vec::with_capacity(entries.len());
        for ((key, entry), value) in entries.iter().zip(values) {
            match value {
                Some(v) => out.push(check_record_key(decode_kv(&v)?, key)?),
                None => {
                    // Only a compaction past `at` removes a record a read needs.
                    self.check_not_compacted(at)?;
                    return Err(StoreError::Corrupt(format!(
                        "no history record at revision {:?} for key {:?}",
                        entry.rev,
                        String::from_utf8_lossy(key)
                    )));
                }
            }
        }
        Ok(out)
    }

    fn check_not_compacted(&self, rev: i64) -> Result<(), StoreError> {
        let compacted = self.compacted();
        if rev < compacted {
            return Err(StoreError::Compacted { compact_revision: compacted });
        }
        Ok(())
    }
}

/// The live entries of a range at `at`, the count of all of them, and
/// whether there are more than the limit.
fn collect_range(index: &Index, req: &RangeRequest, at: i64) -> (Vec<(Bytes, IndexEntry)>, i64, bool) {
    let limit = if req.limit > 0 { req.limit as usize } else { usize::MAX };
    let mut entries = Vec::new();
    let mut count = 0i64;
    index.visit_range(&req.range, at, |k, e| {
        count += 1;
        if !req.count_only && entries.len() < limit {
            entries.push((k.clone(), *e));
        }
        true
    });
    let more = !req.count_only && (count as u64) > entries.len() as u64;
    (entries, count, more)
}

fn kv_without_value(key: &Bytes, e: &IndexEntry) -> KeyValue {
    KeyValue {
        key: key.clone(),
        create_revision: e.create_revision,
        mod_revision: e.rev.main,
        version: e.version,
        value: Bytes::new(),
        lease: e.lease,
    }
}

fn entry_of(kv: &KeyValue, rev: Rev, tombstone: bool) -> IndexEntry {
    if tombstone {
        IndexEntry { rev, create_revision: 0, version: 0, lease: 0, tombstone }
    } else {
        IndexEntry { rev, create_revision: kv.create_revision, version: kv.version, lease: kv.lease, tombstone }
    }
}

fn compare_entry(c: &Compare, entry: Option<&IndexEntry>, value: Option<&[u8]>) -> bool {
    use std::cmp::Ordering as O;
    let ord = match &c.target {
        CompareTarget::Version(v) => entry.map_or(0, |e| e.version).cmp(v),
        CompareTarget::CreateRevision(v) => entry.map_or(0, |e| e.create_revision).cmp(v),
        CompareTarget::ModRevision(v) => entry.map_or(0, |e| e.rev.main).cmp(v),
        CompareTarget::Lease(v) => entry.map_or(0, |e| e.lease).cmp(v),
        CompareTarget::Value(v) => value.unwrap_or_default().cmp(&v[..]),
    };
    match c.op {
        CompareOp::Equal => ord == O::Equal,
        CompareOp::NotEqual => ord != O::Equal,
        CompareOp::Less => ord == O::Less,
        CompareOp::Greater => ord == O::Greater,
    }
}

fn check_key(key: &[u8]) -> Result<(), StoreError> {
    if key.is_empty() {
        return Err(StoreError::InvalidArgument("key is not provided".into()));
    }
    Ok(())
}

/// Rejects a branch that writes a key twice or puts a key it also deletes,
/// as etcd does.
fn check_no_duplicates(ops: &[RequestOp]) -> Result<(), StoreError> {
    let mut puts = std::collections::HashSet::new();
    let mut deletes = Vec::new();
    for op in ops {
        match op {
            RequestOp::Put(p) => {
                if !puts.insert(&p.key[..]) {
                    return Err(StoreError::DuplicateKey);
                }
            }
            RequestOp::DeleteRange(d) => deletes.push(&d.range),
            RequestOp::Range(_) => {}
        }
    }
    if puts.iter().any(|k| deletes.iter().any(|d| d.contains(k))) {
        return Err(StoreError::DuplicateKey);
    }
    Ok(())
}

/// Bytes of keys and values in a transaction, measured against the limit.
fn txn_size(req: &TxnRequest) -> usize {
    let op_size = |op: &RequestOp| match op {
        RequestOp::Put(p) => p.key.len() + p.value.len(),
        RequestOp::DeleteRange(d) => d.range.key.len() + d.range.range_end.len(),
        RequestOp::Range(r) => r.range.key.len() + r.range.range_end.len(),
    };
    let compares: usize = req
        .compare
        .iter()
        .map(|c| {
            c.range.key.len()
                + c.range.range_end.len()
                + match &c.target {
                    CompareTarget::Value(v) => v.len(),
                    _ => 8,
                }
        })
        .sum();
    compares + req.success.iter().map(op_size).sum::<usize>() + req.failure.iter().map(op_size).sum::<usize>()
}

fn decode_kv(v: &[u8]) -> Result<KeyValue, StoreError> {
    KeyValue::decode(Bytes::copy_from_slice(v)).map_err(|e| StoreError::Corrupt(format!("history record: {e}")))
}

fn check_record_key(kv: KeyValue, key: &[u8]) -> Result<KeyValue, StoreError> {
    if kv.key != key {
        return Err(StoreError::Corrupt(format!(
            "history record for {:?} holds key {:?}",
            String::from_utf8_lossy(key),
            String::from_utf8_lossy(&kv.key)
        )));
    }
    Ok(kv)
}

fn lease_key(id: i64) -> Vec<u8> {
    (id as u64).to_be_bytes().to_vec()
}

/// Checks the data format, stamping it on an empty store.
fn check_format(engine: &dyn Engine, path: Option<PathBuf>) -> Result<(), StoreError> {
    match engine.get(Column::Meta, META_FORMAT_VERSION)? {
        Some(v) => {
            let found = <[u8; 8]>::try_from(&v[..])
                .map(u64::from_be_bytes)
                .map_err(|_| StoreError::Corrupt(format!("format version record is {} bytes", v.len())))?;
            if found > FORMAT_VERSION {
                return Err(StoreError::UnsupportedFormat {
                    path: path.unwrap_or_default(),
                    found,
                    supported: FORMAT_VERSION,
                });
            }
            Ok(())
        }
        None => {
            let mut empty = true;
            engine.scan(Column::History, &[], &mut |_, _| {
                empty = false;
                Ok(false)
            })?;
            if !empty {
                return Err(StoreError::Corrupt("history present but the format version record is missing".into()));
            }
            let mut wb = WriteBatch::default();
            wb.put(Column::Meta, META_FORMAT_VERSION.to_vec(), FORMAT_VERSION.to_be_bytes().to_vec());
            engine.write(wb, true)
        }
    }
}

fn read_meta_rev(engine: &dyn Engine, key: &[u8]) -> Result<i64, StoreError> {
    match engine.get(Column::Meta, key)? {
        Some(v) => Ok(bytes_to_rev(&v)?.0.main),
        None => Ok(0),
    }
}

/// Deletes, on its own thread, the history records a compaction made
/// unreachable, in small batches so that writes are never held up.
struct Sweeper {
    requests: Option<std::sync::mpsc::Sender<i64>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Sweeper {
    fn start(shared: Arc<Shared>) -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<i64>();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let thread = std::thread::Builder::new()
            .name("kubox-compact".into())
            .spawn(move || {
                while let Ok(mut at) = rx.recv() {
                    while let Ok(newer) = rx.try_recv() {
                        at = at.max(newer);
                    }
                    match sweep(&shared, at, &stop2) {
                        Ok(true) => tracing::debug!(revision = at, "compaction finished"),
                        Ok(false) => return,
                        Err(err) => tracing::error!(%err, revision = at, "compaction sweep failed; it resumes at the next start"),
                    }
                }
            })
            .ok();
        Self { requests: Some(tx), stop, thread }
    }

    fn request(&self, at: i64) {
        if let Some(tx) = &self.requests {
            let _ = tx.send(at);
        }
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.requests = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Deletes history records below `at` that the index no longer holds.
/// Returns false if stopped before the end.
fn sweep(shared: &Shared, at: i64, stop: &AtomicBool) -> Result<bool, StoreError> {
    let end = rev_to_bytes(Rev::new(at, 0), false);
    let mut chunk: Vec<(Vec<u8>, Bytes, Rev)> = Vec::with_capacity(SWEEP_CHUNK);
    let flush = |chunk: &mut Vec<(Vec<u8>, Bytes, Rev)>| -> Result<(), StoreError> {
        let mut wb = WriteBatch::default();
        {
            let index = shared.index.read();
            for (hk, key, rev) in chunk.drain(..) {
                if !index.contains(&key, rev) {
                    wb.delete(Column::History, hk);
                }
            }
        }
        if !wb.is_empty() {
            shared.engine.write(wb, false)?;
        }
        std::thread::sleep(Duration::from_millis(1));
        Ok(())
    };
    let mut stopped = false;
    shared.engine.scan(Column::History, &[], &mut |k, v| {
        if k >= &end[..] {
            return Ok(false);
        }
        if stop.load(Ordering::SeqCst) {
            stopped = true;
            return Ok(false);
        }
        let (rev, _) = bytes_to_rev(k)?;
        chunk.push((k.to_vec(), decode_kv(v)?.key, rev));
        if chunk.len() >= SWEEP_CHUNK {
            flush(&mut chunk)?;
        }
        Ok(true)
    })?;
    if stopped {
        return Ok(false);
    }
    flush(&mut chunk)?;
    let mut wb = WriteBatch::default();
    wb.put(Column::Meta, META_FINISHED_COMPACT.to_vec(), rev_to_bytes(Rev::new(at, 0), false));
    shared.engine.write(wb, true)?;
    Ok(true)
}
