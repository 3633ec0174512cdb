//! The local store: the state machine driven by one writer thread on this
//! node, with group commit, lease expiry and the [`Store`] trait on top.
//! It is a single-node store; the Raft layer replaces the writer thread with
//! a replicated log but keeps the same state machine and readers.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use parking_lot::Mutex;
use tokio::sync::oneshot;

use crate::command::{Command, CommandResult};
use crate::engine::Engine;
use crate::engine::memory::MemoryEngine;
use crate::error::StoreError;
use crate::mvcc::{Reader, StateMachine, StoreOptions};
use crate::store::Store;
use crate::types::{
    KeyRange, LeaseGrantResponse, LeaseTimeToLiveResponse, RangeRequest, RangeResponse, TxnRequest, TxnResponse,
    WatchRequest,
};
use crate::watch::WatchStream;

/// Most commands applied in one batch (one durable write).
const MAX_BATCH_COMMANDS: usize = 1024;
/// Most bytes of keys and values applied in one batch.
const MAX_BATCH_BYTES: usize = 8 << 20;

/// The name of the lock file kubox holds in a directory it owns.
pub const LOCK_FILE: &str = "kubox.lock";

/// An exclusive lock on a directory, held for the life of the value, so that
/// two processes never open the same data.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
    path: PathBuf,
}

impl DirLock {
    /// Locks `dir` (creating it if needed), or says who holds it.
    pub fn acquire(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(&format!("creating {}", dir.display()), e))?;
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&format!("opening {}", path.display()), e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = pid.trim();
                return Err(StoreError::Locked {
                    path: dir.to_path_buf(),
                    lock: path,
                    holder: if pid.is_empty() { String::new() } else { format!(", by pid {pid}") },
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(StoreError::io(&format!("locking {}", path.display()), e));
            }
        }
        let _ = file.set_len(0).and_then(|_| file.rewind()).and_then(|_| writeln!(file, "{}", std::process::id()));
        Ok(Self { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

struct Proposal {
    command: Command,
    reply: oneshot::Sender<Result<CommandResult, StoreError>>,
}

/// A store on this node alone: durable, linearizable, with etcd semantics.
pub struct LocalStore {
    reader: Reader,
    proposals: Mutex<Option<mpsc::Sender<Proposal>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    expiry: Mutex<Option<(mpsc::Sender<()>, JoinHandle<()>)>>,
    next_lease: AtomicI64,
    _lock: Option<DirLock>,
}

impl LocalStore {
    /// Opens (or creates) a store in `dir`, on RocksDB.
    #[cfg(feature = "rocksdb")]
    pub fn open(dir: &Path, options: StoreOptions) -> Result<Self, StoreError> {
        let lock = DirLock::acquire(dir)?;
        let engine = crate::engine::rocks::RocksEngine::open(&dir.join("db"), options.block_cache_bytes, true)?;
        Self::start(Arc::new(engine), options, Some(dir.to_path_buf()), Some(lock))
    }

    /// A store in memory: the same semantics, nothing survives the process.
    pub fn in_memory(options: StoreOptions) -> Result<Self, StoreError> {
        Self::start(Arc::new(MemoryEngine::default()), options, None, None)
    }

    /// A store in memory on a given engine (tests inject faults this way).
    #[cfg(test)]
    pub(crate) fn on_engine(engine: Arc<dyn Engine>, options: StoreOptions) -> Result<Self, StoreError> {
        Self::start(engine, options, None, None)
    }

    fn start(
        engine: Arc<dyn Engine>,
        options: StoreOptions,
        path: Option<PathBuf>,
        lock: Option<DirLock>,
    ) -> Result<Self, StoreError> {
        let sync = options.sync_writes;
        let lease_check = options.lease_check_interval;
        let sm = StateMachine::open(engine, options, path)?;
        let reader = sm.reader();
        let (tx, rx) = mpsc::channel::<Proposal>();
        let writer = std::thread::Builder::new()
            .name("kubox-writer".into())
            .spawn(move || writer_loop(sm, rx, sync))
            .map_err(|e| StoreError::io("starting the writer thread", e))?;
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let expiry_reader = reader.clone();
        let expiry_tx = tx.clone();
        let expiry = std::thread::Builder::new()
            .name("kubox-lease-expiry".into())
            .spawn(move || expiry_loop(expiry_reader, expiry_tx, stop_rx, lease_check))
            .map_err(|e| StoreError::io("starting the lease expiry thread", e))?;
        Ok(Self {
            reader,
            proposals: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            expiry: Mutex::new(Some((stop_tx, expiry))),
            next_lease: AtomicI64::new(0),
            _lock: lock,
        })
    }

    /// A read handle on the store.
    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// Proposes a command and waits until it is applied and durable.
    pub async fn propose(&self, command: Command) -> Result<CommandResult, StoreError> {
        let (reply, rx) = oneshot::channel();
        {
            let proposals = self.proposals.lock();
            let tx = proposals.as_ref().ok_or(StoreError::Closed)?;
            tx.send(Proposal { command, reply }).map_err(|_| StoreError::Closed)?;
        }
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Stops lease expiry, applies what was already proposed, ends every
    /// watch and flushes. Further calls fail with [`StoreError::Closed`].
    pub fn close(&self) {
        if let Some((stop, thread)) = self.expiry.lock().take() {
            drop(stop);
            let _ = thread.join();
        }
        self.proposals.lock().take();
        if let Some(thread) = self.writer.lock().take() {
            let _ = thread.join();
        }
        self.reader.shared.hub.close();
        self.reader.shared.engine.close();
    }

    /// A lease id no other lease of this store has had: the time in
    /// milliseconds in the high bits and a counter in the low ones.
    fn new_lease_id(&self) -> i64 {
        let n = self.next_lease.fetch_add(1, Ordering::Relaxed);
        ((now_ms() << 16) | (n & 0xffff)) & i64::MAX
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        if self.proposals.lock().is_none() {
            return Err(StoreError::Closed);
        }
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || f(&reader))
            .await
            .map_err(|e| StoreError::Io(format!("read task failed: {e}")))?
    }
}

impl Drop for LocalStore {
    fn drop(&mut self) {
        self.close();
    }
}

/// The writer: takes every proposal waiting, applies them as one batch with
/// one durable write (group commit), answers each, and does compaction work
/// when idle.
fn writer_loop(mut sm: StateMachine, rx: mpsc::Receiver<Proposal>, sync: bool) {
    loop {
        let first = if sm.has_background_work() {
            match rx.try_recv() {
                Ok(p) => p,
                Err(mpsc::TryRecvError::Empty) => {
                    sm.background_step();
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(p) => p,
                Err(_) => break,
            }
        };
        let mut bytes = command_bytes(&first.command);
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH_COMMANDS && bytes < MAX_BATCH_BYTES {
            match rx.try_recv() {
                Ok(p) => {
                    bytes += command_bytes(&p.command);
                    batch.push(p);
                }
                Err(_) => break,
            }
        }
        let (commands, replies): (Vec<_>, Vec<_>) = batch.into_iter().map(|p| (p.command, p.reply)).unzip();
        let results = sm.apply_batch(commands, sync);
        for (reply, result) in replies.into_iter().zip(results) {
            let _ = reply.send(result);
        }
        if sm.has_background_work() {
            sm.background_step();
        }
    }
    sm.stop();
}

fn command_bytes(c: &Command) -> usize {
    match c {
        Command::Txn(t) => t
            .success
            .iter()
            .chain(&t.failure)
            .map(|op| match op {
                crate::types::RequestOp::Put(p) => p.key.len() + p.value.len(),
                _ => 64,
            })
            .sum(),
        _ => 64,
    }
}

/// Watches the clock for expired leases and proposes their revocation, so
/// that the state machine itself never reads a clock.
fn expiry_loop(reader: Reader, proposals: mpsc::Sender<Proposal>, stop: mpsc::Receiver<()>, every: Duration) {
    loop {
        match stop.recv_timeout(every) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            _ => return,
        }
        for id in reader.expired_leases(now_ms()) {
            let (reply, rx) = oneshot::channel();
            if proposals.send(Proposal { command: Command::LeaseRevoke { id }, reply }).is_err() {
                return;
            }
            match rx.blocking_recv() {
                Ok(Ok(_)) => tracing::debug!(lease = id, "lease expired"),
                Ok(Err(StoreError::LeaseNotFound(_))) => {}
                Ok(Err(err)) => tracing::warn!(%err, lease = id, "revoking an expired lease failed"),
                Err(_) => return,
            }
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

#[async_trait]
impl Store for LocalStore {
    async fn range(&self, req: RangeRequest) -> Result<RangeResponse, StoreError> {
        self.read(move |r| r.range(&req)).await
    }

    async fn txn(&self, req: TxnRequest) -> Result<TxnResponse, StoreError> {
        self.propose(Command::Txn(req)).await?.into_txn()
    }

    async fn watch(&self, req: WatchRequest) -> Result<WatchStream, StoreError> {
        if self.proposals.lock().is_none() {
            return Err(StoreError::Closed);
        }
        self.reader.watch(req)
    }

    async fn compact(&self, revision: i64) -> Result<i64, StoreError> {
        self.propose(Command::Compact { revision }).await?.into_compact()
    }

    async fn current_revision(&self) -> Result<i64, StoreError> {
        if self.proposals.lock().is_none() {
            return Err(StoreError::Closed);
        }
        Ok(self.reader.committed())
    }

    async fn lease_grant(&self, id: i64, ttl: i64) -> Result<LeaseGrantResponse, StoreError> {
        crate::command::grant_lease(id, ttl, || self.new_lease_id(), |c| self.propose(c)).await
    }

    async fn lease_revoke(&self, id: i64) -> Result<i64, StoreError> {
        self.propose(Command::LeaseRevoke { id }).await?.into_lease_revoke()
    }

    async fn lease_keep_alive(&self, id: i64) -> Result<i64, StoreError> {
        let ttl = self.reader.lease_ttl(id).ok_or(StoreError::LeaseNotFound(id))?;
        self.propose(Command::keep_alive(id, ttl)).await?.into_lease_keep_alive()
    }

    async fn lease_time_to_live(&self, id: i64, keys: bool) -> Result<LeaseTimeToLiveResponse, StoreError> {
        self.reader.lease_time_to_live(id, keys, now_ms())
    }

    async fn leases(&self) -> Result<Vec<i64>, StoreError> {
        Ok(self.reader.leases())
    }

    async fn health(&self) -> Result<(), StoreError> {
        if let Some(err) = self.reader.write_error() {
            return Err(err);
        }
        self.range(RangeRequest::new(KeyRange::key("health")).limit(1)).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use futures::StreamExt;

    use super::*;
    use crate::types::{
        Compare, CompareOp, CompareTarget, DeleteRangeRequest, EventKind, PutRequest, RequestOp, ResponseOp,
        WatchMessage,
    };

    fn store() -> (Arc<MemoryEngine>, LocalStore) {
        let engine = Arc::new(MemoryEngine::default());
        let options = StoreOptions { lease_check_interval: Duration::from_millis(20), ..StoreOptions::default() };
        let store = LocalStore::on_engine(engine.clone(), options).unwrap();
        (engine, store)
    }

    fn put(key: &str, value: &str) -> PutRequest {
        PutRequest::new(Bytes::copy_from_slice(key.as_bytes()), Bytes::copy_from_slice(value.as_bytes()))
    }

    #[tokio::test]
    async fn revisions_versions_and_deletes_follow_etcd() {
        let (_, s) = store();
        assert_eq!(s.put(put("a", "1")).await.unwrap().0, 1);
        assert_eq!(s.put(put("a", "2")).await.unwrap().0, 2);
        let kv = s.get("a".into()).await.unwrap().unwrap();
        assert_eq!((kv.create_revision, kv.mod_revision, kv.version), (1, 2, 2));
        // A multi-key transaction is one revision.
        let txn = TxnRequest {
            success: vec![RequestOp::Put(put("b", "x")), RequestOp::Put(put("c", "y"))],
            ..Default::default()
        };
        assert_eq!(s.txn(txn).await.unwrap().header_revision, 3);
        // Deleting nothing does not move the revision.
        let (rev, d) = s.delete_range(DeleteRangeRequest { range: KeyRange::key("zz"), prev_kv: false }).await.unwrap();
        assert_eq!((rev, d.deleted), (3, 0));
        let (rev, d) = s.delete_range(DeleteRangeRequest { range: KeyRange::key("a"), prev_kv: true }).await.unwrap();
        assert_eq!((rev, d.deleted, d.prev_kvs[0].value.clone()), (4, 1, Bytes::from("2")));
        // Re-creating resets version and create revision.
        s.put(put("a", "3")).await.unwrap();
        let kv = s.get("a".into()).await.unwrap().unwrap();
        assert_eq!((kv.create_revision, kv.version), (5, 1));
        // keys_only and count_only.
        let r =
            s.range(RangeRequest { keys_only: true, ..RangeRequest::new(KeyRange::between("a", "d")) }).await.unwrap();
        assert_eq!(r.kvs.len(), 3);
        assert!(r.kvs.iter().all(|kv| kv.value.is_empty() && kv.version > 0));
        let r =
            s.range(RangeRequest { count_only: true, ..RangeRequest::new(KeyRange::between("a", "d")) }).await.unwrap();
        assert_eq!((r.count, r.kvs.len(), r.more), (3, 0, false));
    }

    #[tokio::test]
    async fn transactions_reject_bad_requests_without_changing_anything() {
        let (_, s) = store();
        let dup = TxnRequest {
            success: vec![RequestOp::Put(put("a", "1")), RequestOp::Put(put("a", "2"))],
            ..Default::default()
        };
        assert_eq!(s.txn(dup).await.unwrap_err(), StoreError::DuplicateKey);
        let overlap = TxnRequest {
            success: vec![
                RequestOp::Put(put("a/1", "1")),
                RequestOp::DeleteRange(DeleteRangeRequest { range: KeyRange::prefix("a/"), prev_kv: false }),
            ],
            ..Default::default()
        };
        assert_eq!(s.txn(overlap).await.unwrap_err(), StoreError::DuplicateKey);
        let leased = PutRequest { lease: 42, ..put("a", "1") };
        assert_eq!(s.put(leased).await.unwrap_err(), StoreError::LeaseNotFound(42));
        let ignore = PutRequest { ignore_value: true, value: Bytes::new(), ..put("missing", "") };
        assert_eq!(s.put(ignore).await.unwrap_err(), StoreError::KeyNotFound);
        let big = put("big", &"x".repeat(2 << 20));
        assert!(matches!(s.put(big).await.unwrap_err(), StoreError::RequestTooLarge { .. }));
        assert!(matches!(s.put(put("", "x")).await.unwrap_err(), StoreError::InvalidArgument(_)));
        assert_eq!(s.current_revision().await.unwrap(), 0, "nothing was applied");
    }

    #[tokio::test]
    async fn compare_and_swap_on_mod_revision() {
        let (_, s) = store();
        let (rev, _) = s.put(put("k", "v1")).await.unwrap();
        let cas = |expect: i64, value: &str| TxnRequest {
            compare: vec![Compare::new("k", CompareOp::Equal, CompareTarget::ModRevision(expect))],
            success: vec![RequestOp::Put(PutRequest { prev_kv: true, ..put("k", value) })],
            failure: vec![RequestOp::Range(RangeRequest::new(KeyRange::key("k")))],
        };
        let ok = s.txn(cas(rev, "v2")).await.unwrap();
        assert!(ok.succeeded);
        let ResponseOp::Put(p) = &ok.responses[0] else { panic!("put response expected") };
        assert_eq!(p.prev_kv.as_ref().unwrap().value, Bytes::from("v1"));
        let stale = s.txn(cas(rev, "v3")).await.unwrap();
        assert!(!stale.succeeded);
        let ResponseOp::Range(r) = &stale.responses[0] else { panic!("range response expected") };
        assert_eq!(r.kvs[0].value, Bytes::from("v2"));
        // A value compare on a missing key is false; a version compare sees 0.
        let missing = TxnRequest {
            compare: vec![Compare::new("nope", CompareOp::NotEqual, CompareTarget::Value(Bytes::from("x")))],
            ..Default::default()
        };
        assert!(!s.txn(missing).await.unwrap().succeeded);
        let absent = TxnRequest {
            compare: vec![Compare::new("nope", CompareOp::Equal, CompareTarget::Version(0))],
            ..Default::default()
        };
        assert!(s.txn(absent).await.unwrap().succeeded);
    }

    #[tokio::test]
    async fn lease_revoke_deletes_attached_keys_in_one_revision() {
        let (_, s) = store();
        let lease = s.lease_grant(0, 60).await.unwrap();
        assert!(lease.id > 0);
        assert_eq!(lease.ttl, 60);
        for k in ["e/1", "e/2", "e/3"] {
            s.put(PutRequest { lease: lease.id, ..put(k, "v") }).await.unwrap();
        }
        s.put(put("other", "v")).await.unwrap();
        let ttl = s.lease_time_to_live(lease.id, true).await.unwrap();
        assert_eq!(ttl.keys.len(), 3);
        assert!(ttl.ttl > 55 && ttl.ttl <= 60);
        assert_eq!(s.lease_keep_alive(lease.id).await.unwrap(), 60);

        let mut w = s.watch(WatchRequest { range: KeyRange::prefix("e/"), ..Default::default() }).await.unwrap();
        let rev = s.lease_revoke(lease.id).await.unwrap();
        assert_eq!(rev, 5);
        let Some(Ok(WatchMessage::Events(events))) = w.next().await else { panic!("expected events") };
        assert_eq!(events.len(), 3);
        assert!(events.iter().all(|e| e.kind == EventKind::Delete && e.kv.mod_revision == 5));
        assert!(s.get("e/1".into()).await.unwrap().is_none());
        assert!(s.get("other".into()).await.unwrap().is_some());
        assert_eq!(s.lease_revoke(lease.id).await.unwrap_err(), StoreError::LeaseNotFound(lease.id));
        assert!(s.leases().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn expired_leases_are_revoked_by_the_expiry_driver() {
        let (_, s) = store();
        let lease = s.lease_grant(7, 1).await.unwrap();
        s.put(PutRequest { lease: 7, ..put("event", "v") }).await.unwrap();
        // Re-attaching to no lease detaches; a second key keeps the lease busy.
        s.put(PutRequest { lease: 7, ..put("event2", "v") }).await.unwrap();
        s.put(put("event2", "v2")).await.unwrap();
        assert_eq!(s.lease_time_to_live(7, true).await.unwrap().keys, vec![Bytes::from("event")]);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while s.get("event".into()).await.unwrap().is_some() {
            assert!(tokio::time::Instant::now() < deadline, "lease {} never expired", lease.id);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(s.get("event2".into()).await.unwrap().is_some());
        assert_eq!(s.lease_time_to_live(7, false).await.unwrap_err(), StoreError::LeaseNotFound(7));
    }

    #[tokio::test]
    async fn a_failed_write_applies_nothing_and_the_store_recovers() {
        let (engine, s) = store();
        s.put(put("a", "1")).await.unwrap();
        let lease = s.lease_grant(9, 60).await.unwrap();
        let mut w = s.watch(WatchRequest { range: KeyRange::prefix("a"), ..Default::default() }).await.unwrap();

        engine.set_fail_writes(true);
        let err = s.put(PutRequest { lease: lease.id, ..put("a", "2") }).await.unwrap_err();
        assert!(matches!(err, StoreError::Io(ref m) if m.contains("No space left")), "{err}");
        assert!(s.lease_grant(10, 60).await.is_err());
        assert!(s.health().await.is_err(), "health reports the failing disk");
        // Nothing of the failed writes is visible.
        assert_eq!(s.current_revision().await.unwrap(), 1);
        assert_eq!(s.get("a".into()).await.unwrap().unwrap().value, Bytes::from("1"));
        assert!(s.lease_time_to_live(9, true).await.unwrap().keys.is_empty());
        assert_eq!(s.lease_time_to_live(10, false).await.unwrap_err(), StoreError::LeaseNotFound(10));

        engine.set_fail_writes(false);
        assert_eq!(s.put(put("a", "3")).await.unwrap().0, 2, "the failed write took no revision");
        assert!(s.health().await.is_ok());
        let Some(Ok(WatchMessage::Events(events))) = w.next().await else { panic!("expected events") };
        assert_eq!(events.len(), 1, "the watcher saw only the write that landed");
        assert_eq!(events[0].kv.value, Bytes::from("3"));
    }

    #[tokio::test]
    async fn closed_store_refuses_work_and_ends_watches() {
        let (_, s) = store();
        let mut w = s.watch(WatchRequest { range: KeyRange::prefix("a"), ..Default::default() }).await.unwrap();
        s.close();
        assert_eq!(w.next().await, Some(Err(StoreError::Closed)));
        assert_eq!(s.put(put("a", "1")).await.unwrap_err(), StoreError::Closed);
        assert_eq!(s.range(RangeRequest::new(KeyRange::key("a"))).await.unwrap_err(), StoreError::Closed);
    }

    #[test]
    fn identical_commands_give_identical_stores() {
        let commands = [
            Command::LeaseGrant { id: 5, ttl: 30, expires_at_ms: 1_000 },
            Command::Txn(TxnRequest {
                success: vec![RequestOp::Put(PutRequest { lease: 5, ..put("a", "1") })],
                ..Default::default()
            }),
            Command::Txn(TxnRequest {
                success: vec![RequestOp::Put(put("b", "1")), RequestOp::Put(put("c", "1"))],
                ..Default::default()
            }),
            Command::Txn(TxnRequest {
                compare: vec![Compare::new("b", CompareOp::Equal, CompareTarget::Version(1))],
                success: vec![RequestOp::DeleteRange(DeleteRangeRequest {
                    range: KeyRange::prefix("c"),
                    prev_kv: false,
                })],
                failure: vec![],
            }),
            Command::LeaseKeepAlive { id: 5, expires_at_ms: 2_000 },
            Command::Compact { revision: 2 },
            Command::LeaseRevoke { id: 5 },
        ];
        let run = || {
            let engine = Arc::new(MemoryEngine::default());
            let mut sm = StateMachine::open(engine.clone(), StoreOptions::default(), None).unwrap();
            for chunk in commands.chunks(2) {
                for r in sm.apply_batch(chunk.to_vec(), true) {
                    r.unwrap();
                }
            }
            while sm.has_background_work() {
                sm.background_step();
            }
            // The history sweep runs on its own thread: wait for it to
            // record the finished compaction, or the two dumps race it.
            let deadline = std::time::Instant::now() + Duration::from_secs(30);
            while engine.get(crate::engine::Column::Meta, b"finishedCompactRev").unwrap().is_none() {
                assert!(std::time::Instant::now() < deadline, "the compaction sweep did not finish");
                std::thread::sleep(Duration::from_millis(5));
            }
            sm.stop();
            engine
        };
        let (a, b) = (run(), run());
        assert_eq!(a.dump(), b.dump());
        assert!(!a.dump()[0].is_empty());
    }
}
