//! The Raft state machine: kubox-storage's MVCC [`StateMachine`] driven by
//! committed log entries, with the last applied log id and the membership
//! written in the same atomic write as the changes they describe.
//!
//! Applied batches are not synced: the Raft log is the write-ahead log. After
//! a crash the state machine is exactly as of some earlier batch (RocksDB's
//! own WAL keeps batches atomic and in order), says which entry that was, and
//! openraft replays the log from there.
//!
//! Snapshots are RocksDB checkpoints of the state machine's database
//! (`DATA/store/snapshots/snapshot-<index>/db`, hard links to its immutable
//! files) with the snapshot's metadata beside it. Installing one swaps the
//! database directory atomically and reopens the store.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures::{Stream, TryStreamExt};
use kubox_storage::{CALLER_META_PREFIX, Command, Reader, StateMachine, StoreError, StoreOptions};
use openraft::entry::RaftEntry;
use openraft::storage::{EntryResponder, RaftSnapshotBuilder, RaftStateMachine};
use openraft::{EntryPayload, OptionalSend};
use parking_lot::{Condvar, Mutex, RwLock};
use tokio::sync::watch;

use crate::types::{LogId, Request, Response, SnapshotMeta, StoredMembership, TypeConfig, decode, encode, io_err};

/// A snapshot: a directory holding `db/` (the checkpoint) and `meta`.
#[derive(Debug, Clone)]
pub struct SnapshotDir(pub PathBuf);

/// The snapshot type openraft hands around.
pub type Snapshot = openraft::alias::SnapshotOf<TypeConfig, SnapshotDir>;

const SNAPSHOT_PREFIX: &str = "snapshot-";
/// Snapshots kept: the newest, and the one before it (a follower may still
/// be receiving it).
const SNAPSHOTS_KEPT: usize = 2;

fn meta_key(name: &str) -> Vec<u8> {
    [CALLER_META_PREFIX, b"raft/", name.as_bytes()].concat()
}

struct Inner {
    sm: Option<StateMachine>,
    last_applied: Option<LogId>,
    membership: StoredMembership,
}

pub(crate) struct Shared {
    dir: PathBuf,
    options: StoreOptions,
    inner: Mutex<Inner>,
    reader: RwLock<Reader>,
    applied: watch::Sender<u64>,
    /// Signalled when an apply leaves index compaction work.
    work: Condvar,
}

/// The state machine handle openraft drives; clones share one store.
#[derive(Clone)]
pub struct StateMachineStore {
    pub(crate) shared: Arc<Shared>,
}

impl StateMachineStore {
    /// Opens the state machine in `dir` (`dir/db` is the database), finishing
    /// or undoing a snapshot install a crash interrupted.
    pub fn open(dir: &Path, options: StoreOptions) -> io::Result<Self> {
        std::fs::create_dir_all(dir.join("snapshots"))?;
        let db = dir.join("db");
        let old = dir.join("db.old");
        if old.exists() {
            if db.exists() {
                std::fs::remove_dir_all(&old)?;
            } else {
                // The swap stopped between its two renames: the old database
                // is whole, the incoming one may not be.
                std::fs::rename(&old, &db)?;
            }
        }
        let _ = std::fs::remove_dir_all(dir.join("db.incoming"));
        let sm = StateMachine::open_dir(&db, options.clone()).map_err(|e| io_err("opening the store", e))?;
        let last_applied: Option<LogId> = read_meta(&sm, "applied")?.flatten();
        let membership: StoredMembership = read_meta(&sm, "membership")?.unwrap_or_default();
        let reader = sm.reader();
        let (applied, _) = watch::channel(last_applied.as_ref().map_or(0, |l| l.index()));
        let shared = Arc::new(Shared {
            dir: dir.to_path_buf(),
            options,
            inner: Mutex::new(Inner { sm: Some(sm), last_applied, membership }),
            reader: RwLock::new(reader),
            applied,
            work: Condvar::new(),
        });
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new().name("kubox-sm-compact".into()).spawn(move || background(weak))?;
        Ok(Self { shared })
    }

    /// A read handle on the current store contents.
    pub fn reader(&self) -> Reader {
        self.shared.reader.read().clone()
    }

    /// The index of the last applied log entry, as it moves.
    pub fn applied(&self) -> watch::Receiver<u64> {
        self.shared.applied.subscribe()
    }

    /// The membership as of the last applied entry.
    pub fn membership(&self) -> StoredMembership {
        self.shared.inner.lock().membership.clone()
    }

    /// Stops the store: ends watches, releases the database.
    pub fn close(&self) {
        if let Some(sm) = self.shared.inner.lock().sm.take() {
            sm.close(StoreError::Closed);
        }
    }

    /// The directory the store lives in.
    pub fn dir(&self) -> &Path {
        &self.shared.dir
    }

    fn snapshots_dir(&self) -> PathBuf {
        self.shared.dir.join("snapshots")
    }
}

fn read_meta<T: for<'de> serde::Deserialize<'de>>(sm: &StateMachine, name: &str) -> io::Result<Option<T>> {
    match sm.caller_meta(&meta_key(name)).map_err(|e| io_err("reading the store's raft state", e))? {
        Some(b) => decode(&b).map(Some),
        None => Ok(None),
    }
}

/// Runs index compaction steps between applies, while there are any. An
/// apply that leaves work wakes it; otherwise it looks once a second whether
/// the store is still there.
fn background(shared: std::sync::Weak<Shared>) {
    loop {
        let Some(s) = shared.upgrade() else { return };
        let stepped = {
            let mut inner = s.inner.lock();
            match inner.sm.as_mut() {
                Some(sm) if sm.has_background_work() => {
                    sm.background_step();
                    true
                }
                _ => {
                    s.work.wait_for(&mut inner, Duration::from_secs(1));
                    false
                }
            }
        };
        drop(s);
        if stepped {
            // Applies get the lock between two steps.
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

impl RaftStateMachine<TypeConfig> for StateMachineStore {
    type SnapshotData = SnapshotDir;
    type SnapshotBuilder = Self;

    async fn applied_state(&mut self) -> Result<(Option<LogId>, StoredMembership), io::Error> {
        let inner = self.shared.inner.lock();
        Ok((inner.last_applied, inner.membership.clone()))
    }

    async fn apply<Strm>(&mut self, mut entries: Strm) -> Result<(), io::Error>
    where
        Strm: Stream<Item = Result<EntryResponder<TypeConfig>, io::Error>> + Unpin + OptionalSend,
    {
        let mut commands: Vec<Command> = Vec::new();
        let mut responders = Vec::new();
        let mut last = None;
        let mut membership = None;
        while let Some((entry, responder)) = entries.try_next().await? {
            let log_id = entry.log_id();
            let slot = match entry.payload {
                EntryPayload::Blank => None,
                EntryPayload::Normal(Request(c)) => {
                    commands.push(c);
                    Some(commands.len() - 1)
                }
                EntryPayload::Membership(m) => {
                    membership = Some(StoredMembership::new(Some(log_id), m));
                    None
                }
            };
            last = Some(log_id);
            responders.push((responder, slot));
        }
        let Some(last) = last else { return Ok(()) };
        let shared = self.shared.clone();
        let results = tokio::task::spawn_blocking(move || -> io::Result<Vec<_>> {
            let mut inner = shared.inner.lock();
            let mut meta = vec![(meta_key("applied"), encode(&Some(last))?)];
            if let Some(m) = &membership {
                meta.push((meta_key("membership"), encode(m)?));
            }
            let sm = inner.sm.as_mut().ok_or_else(|| io::Error::other("the store is closed"))?;
            let results = sm.apply_batch_with_meta(commands, false, meta);
            if let Some(err) = sm.reader().write_error() {
                // The write failed and nothing of the batch was applied; the
                // replicas would diverge if this node went on.
                return Err(io_err("applying committed entries", err));
            }
            if sm.has_background_work() {
                shared.work.notify_one();
            }
            inner.last_applied = Some(last);
            if let Some(m) = membership {
                inner.membership = m;
            }
            drop(inner);
            shared.applied.send_replace(last.index());
            Ok(results)
        })
        .await
        .map_err(|e| io_err("apply task", e))??;
        let mut results: Vec<Option<Result<_, _>>> = results.into_iter().map(Some).collect();
        for (responder, slot) in responders {
            if let Some(r) = responder {
                r.send(Response(slot.and_then(|i| results[i].take())));
            }
        }
        Ok(())
    }

    async fn get_snapshot_builder(&mut self) -> Self::SnapshotBuilder {
        self.clone()
    }

    async fn install_snapshot(&mut self, meta: &SnapshotMeta, snapshot: SnapshotDir) -> Result<(), io::Error> {
        let shared = self.shared.clone();
        let meta = meta.clone();
        let snapshots = self.snapshots_dir();
        tokio::task::spawn_blocking(move || install(&shared, &snapshots, &meta, &snapshot.0))
            .await
            .map_err(|e| io_err("snapshot install task", e))?
    }

    async fn get_current_snapshot(&mut self) -> Result<Option<Snapshot>, io::Error> {
        let snapshots = self.snapshots_dir();
        tokio::task::spawn_blocking(move || newest_snapshot(&snapshots))
            .await
            .map_err(|e| io_err("snapshot listing task", e))?
    }
}

impl RaftSnapshotBuilder<TypeConfig> for StateMachineStore {
    type SnapshotData = SnapshotDir;

    async fn build_snapshot(&mut self) -> Result<Snapshot, io::Error> {
        let shared = self.shared.clone();
        let snapshots = self.snapshots_dir();
        tokio::task::spawn_blocking(move || build(&shared, &snapshots)).await.map_err(|e| io_err("snapshot task", e))?
    }
}

fn snapshot_name(meta: &SnapshotMeta) -> String {
    format!("{SNAPSHOT_PREFIX}{:020}", meta.last_log_id.as_ref().map_or(0, |l| l.index()))
}

fn build(shared: &Shared, snapshots: &Path) -> io::Result<Snapshot> {
    let tmp = snapshots.join(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let meta = {
        // Applies wait while the checkpoint is taken, so the checkpoint is
        // exactly the state as of `last_applied`.
        let inner = shared.inner.lock();
        let sm = inner.sm.as_ref().ok_or_else(|| io::Error::other("the store is closed"))?;
        sm.checkpoint(&tmp.join("db")).map_err(|e| io_err("checkpointing the store", e))?;
        SnapshotMeta { last_log_id: inner.last_applied, last_membership: inner.membership.clone() }
    };
    std::fs::write(tmp.join("meta"), encode(&meta)?)?;
    let dir = snapshots.join(snapshot_name(&meta));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(&tmp, &dir)?;
    sync_dir(snapshots)?;
    prune_snapshots(snapshots)?;
    tracing::info!(snapshot = %dir.display(), last_log = ?meta.last_log_id, "built a snapshot");
    Ok(Snapshot { meta, snapshot: SnapshotDir(dir) })
}

/// The snapshot directories, oldest first.
fn list_snapshots(snapshots: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(snapshots)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(SNAPSHOT_PREFIX))
                && p.join("meta").exists()
        })
        .collect();
    out.sort();
    Ok(out)
}

fn prune_snapshots(snapshots: &Path) -> io::Result<()> {
    let all = list_snapshots(snapshots)?;
    for old in all.iter().take(all.len().saturating_sub(SNAPSHOTS_KEPT)) {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}

pub(crate) fn read_snapshot(dir: &Path) -> io::Result<Snapshot> {
    let meta: SnapshotMeta = decode(&std::fs::read(dir.join("meta"))?)?;
    Ok(Snapshot { meta, snapshot: SnapshotDir(dir.to_path_buf()) })
}

fn newest_snapshot(snapshots: &Path) -> io::Result<Option<Snapshot>> {
    match list_snapshots(snapshots)?.pop() {
        Some(dir) => read_snapshot(&dir).map(Some),
        None => Ok(None),
    }
}

/// Copies a database directory: immutable table files are hard-linked,
/// everything else (manifest, options, logs RocksDB appends to) copied.
fn copy_db(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let is_table = src.extension().is_some_and(|e| e == "sst");
        if !(is_table && std::fs::hard_link(&src, &dst).is_ok()) {
            std::fs::copy(&src, &dst)?;
        }
    }
    for entry in std::fs::read_dir(to)? {
        std::fs::File::open(entry?.path())?.sync_all()?;
    }
    sync_dir(to)
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

fn install(shared: &Shared, snapshots: &Path, meta: &SnapshotMeta, from: &Path) -> io::Result<()> {
    let db = shared.dir.join("db");
    let incoming = shared.dir.join("db.incoming");
    let old = shared.dir.join("db.old");
    let _ = std::fs::remove_dir_all(&incoming);
    copy_db(&from.join("db"), &incoming)?;
    let mut inner = shared.inner.lock();
    if let Some(sm) = inner.sm.take() {
        // Watchers must start again from a read of the new contents.
        sm.close(StoreError::Unavailable("the store was replaced by a snapshot from the leader".into()));
    }
    std::fs::rename(&db, &old)?;
    std::fs::rename(&incoming, &db)?;
    sync_dir(&shared.dir)?;
    std::fs::remove_dir_all(&old)?;
    let sm =
        StateMachine::open_dir(&db, shared.options.clone()).map_err(|e| io_err("opening the installed snapshot", e))?;
    let applied: Option<LogId> = read_meta(&sm, "applied")?.flatten();
    if applied != meta.last_log_id {
        return Err(io::Error::other(format!(
            "the snapshot's store says it applied {applied:?}, its metadata says {:?}",
            meta.last_log_id
        )));
    }
    *shared.reader.write() = sm.reader();
    inner.sm = Some(sm);
    inner.last_applied = meta.last_log_id;
    inner.membership = meta.last_membership.clone();
    drop(inner);
    shared.applied.send_replace(meta.last_log_id.as_ref().map_or(0, |l| l.index()));
    // Keep the installed snapshot as this node's current one.
    if from.file_name().and_then(|n| n.to_str()) != Some(snapshot_name(meta).as_str()) {
        let dir = snapshots.join(snapshot_name(meta));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(from, &dir)?;
    }
    prune_snapshots(snapshots)?;
    tracing::info!(last_log = ?meta.last_log_id, "installed a snapshot from the leader");
    Ok(())
}
