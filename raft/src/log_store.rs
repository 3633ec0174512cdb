//! The Raft log on its own RocksDB instance (`DATA/raft`), column families
//! `log` (big-endian index -> entry) and `meta` (vote, last purged id,
//! committed id).
//!
//! Appends are group-committed: `append` writes the entries to RocksDB
//! (visible at once, not yet durable) and hands openraft's completion
//! callback to one flusher thread, which syncs the write-ahead log once for
//! every callback waiting and then completes them all. Under load one fsync
//! covers many appends; openraft 0.10 keeps appending while it waits.

use std::fmt::Debug;
use std::io;
use std::ops::{Bound, RangeBounds};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;

use openraft::entry::RaftEntry;
use openraft::storage::{IOFlushed, RaftLogStorage};
use openraft::{LogState, OptionalSend, RaftLogReader};
use rocksdb::{ColumnFamilyDescriptor, DB, Direction, IteratorMode, Options, WriteBatch, WriteOptions};

use crate::types::{Entry, LogId, TypeConfig, Vote, decode, encode, io_err};

const CF_LOG: &str = "log";
const CF_META: &str = "meta";
const KEY_VOTE: &[u8] = b"vote";
const KEY_PURGED: &[u8] = b"last_purged";
const KEY_COMMITTED: &[u8] = b"committed";

/// The log store; cheap to clone (readers share the database).
#[derive(Clone)]
pub struct LogStore {
    db: Arc<DB>,
    flusher: mpsc::Sender<IOFlushed<TypeConfig>>,
}

impl LogStore {
    /// Opens (or creates) the log in `dir`.
    pub fn open(dir: &Path) -> io::Result<Self> {
        let mut opts = Options::default();
        opts.create_if_missing(true);
        opts.create_missing_column_families(true);
        opts.set_wal_recovery_mode(rocksdb::DBRecoveryMode::TolerateCorruptedTailRecords);
        opts.set_max_background_jobs(1);
        opts.set_keep_log_file_num(2);
        opts.set_db_write_buffer_size(64 << 20);
        let cfs = [CF_LOG, CF_META].map(|n| {
            let mut o = Options::default();
            // Entries live until the next snapshot purges them: large
            // memtables keep most of them from ever reaching a table file,
            // and those that do are not worth compressing.
            o.set_write_buffer_size(if n == CF_LOG { 32 << 20 } else { 1 << 20 });
            o.set_compression_type(rocksdb::DBCompressionType::None);
            ColumnFamilyDescriptor::new(n, o)
        });
        let db = Arc::new(
            DB::open_cf_descriptors(&opts, dir, cfs).map_err(|e| io_err(&format!("opening {}", dir.display()), e))?,
        );
        let (tx, rx) = mpsc::channel::<IOFlushed<TypeConfig>>();
        let flush_db = Arc::downgrade(&db);
        std::thread::Builder::new().name("kubox-raft-fsync".into()).spawn(move || flusher(flush_db, rx))?;
        Ok(Self { db, flusher: tx })
    }

    fn cf(&self, name: &str) -> &rocksdb::ColumnFamily {
        self.db.cf_handle(name).expect("column families are created at open")
    }

    fn get_meta<T: for<'de> serde::Deserialize<'de>>(&self, key: &[u8]) -> io::Result<Option<T>> {
        match self.db.get_cf(self.cf(CF_META), key).map_err(|e| io_err("reading the raft log meta", e))? {
            Some(b) => decode(&b).map(Some),
            None => Ok(None),
        }
    }

    fn put_meta<T: serde::Serialize>(&self, key: &[u8], v: &T, sync: bool) -> io::Result<()> {
        let mut wo = WriteOptions::default();
        wo.set_sync(sync);
        self.db.put_cf_opt(self.cf(CF_META), key, encode(v)?, &wo).map_err(|e| io_err("writing the raft log meta", e))
    }

    fn last_entry(&self) -> io::Result<Option<Entry>> {
        match self.db.iterator_cf(self.cf(CF_LOG), IteratorMode::End).next() {
            Some(r) => {
                let (_, v) = r.map_err(|e| io_err("reading the raft log", e))?;
                Ok(Some(decode(&v)?))
            }
            None => Ok(None),
        }
    }
}

/// Syncs the WAL once for every waiting append, then completes them all.
fn flusher(db: std::sync::Weak<DB>, rx: mpsc::Receiver<IOFlushed<TypeConfig>>) {
    while let Ok(first) = rx.recv() {
        let mut waiting = vec![first];
        while let Ok(more) = rx.try_recv() {
            waiting.push(more);
        }
        let result = match db.upgrade() {
            Some(db) => db.flush_wal(true).map_err(|e| io_err("syncing the raft log", e)),
            None => Err(io::Error::other("the raft log is closed")),
        };
        for cb in waiting {
            cb.io_completed(match &result {
                Ok(()) => Ok(()),
                Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
            });
        }
    }
}

fn index_key(i: u64) -> [u8; 8] {
    i.to_be_bytes()
}

impl RaftLogReader<TypeConfig> for LogStore {
    async fn try_get_log_entries<RB: RangeBounds<u64> + Clone + Debug + OptionalSend>(
        &mut self,
        range: RB,
    ) -> Result<Vec<Entry>, io::Error> {
        let start = match range.start_bound() {
            Bound::Included(x) => *x,
            Bound::Excluded(x) => x.saturating_add(1),
            Bound::Unbounded => 0,
        };
        let from = index_key(start);
        let mut out = Vec::new();
        for item in self.db.iterator_cf(self.cf(CF_LOG), IteratorMode::From(&from, Direction::Forward)) {
            let (k, v) = item.map_err(|e| io_err("reading the raft log", e))?;
            let idx = u64::from_be_bytes(k[..8].try_into().map_err(|_| io::Error::other("bad raft log key"))?);
            if !range.contains(&idx) {
                break;
            }
            let entry: Entry = decode(&v)?;
            if entry.index() != idx {
                return Err(io::Error::other(format!("raft log entry at {idx} says index {}", entry.index())));
            }
            out.push(entry);
        }
        Ok(out)
    }

    async fn read_vote(&mut self) -> Result<Option<Vote>, io::Error> {
        self.get_meta(KEY_VOTE)
    }
}

impl RaftLogStorage<TypeConfig> for LogStore {
    type LogReader = Self;

    async fn get_log_state(&mut self) -> Result<LogState<TypeConfig>, io::Error> {
        let last_purged_log_id: Option<LogId> = self.get_meta(KEY_PURGED)?;
        let last_log_id = match self.last_entry()? {
            Some(e) => Some(e.log_id()),
            None => last_purged_log_id,
        };
        Ok(LogState { last_purged_log_id, last_log_id })
    }

    async fn get_log_reader(&mut self) -> Self::LogReader {
        self.clone()
    }

    async fn save_vote(&mut self, vote: &Vote) -> Result<(), io::Error> {
        // A vote must be durable before it is acted on.
        self.put_meta(KEY_VOTE, vote, true)
    }

    async fn save_committed(&mut self, committed: Option<LogId>) -> Result<(), io::Error> {
        // Lazily durable: the next append's sync covers it, and a lost
        // value only means re-learning it from the leader.
        self.put_meta(KEY_COMMITTED, &committed, false)
    }

    async fn read_committed(&mut self) -> Result<Option<LogId>, io::Error> {
        Ok(self.get_meta::<Option<LogId>>(KEY_COMMITTED)?.flatten())
    }

    async fn append<I>(&mut self, entries: I, callback: IOFlushed<TypeConfig>) -> Result<(), io::Error>
    where
        I: IntoIterator<Item = Entry> + OptionalSend,
        I::IntoIter: OptionalSend,
    {
        let mut batch = WriteBatch::default();
        let cf = self.cf(CF_LOG);
        for entry in entries {
            batch.put_cf(cf, index_key(entry.index()), encode(&entry)?);
        }
        // Readable at once; durable when the flusher has synced.
        self.db.write(batch).map_err(|e| io_err("appending to the raft log", e))?;
        self.flusher.send(callback).map_err(|_| io::Error::other("the raft log flusher stopped"))
    }

    async fn truncate_after(&mut self, last_log_id: Option<LogId>) -> Result<(), io::Error> {
        let from = last_log_id.map_or(0, |l| l.index() + 1);
        self.db
            .delete_range_cf(self.cf(CF_LOG), index_key(from), index_key(u64::MAX))
            .map_err(|e| io_err("truncating the raft log", e))?;
        // Entries appended after a truncation must never be followed, after
        // a crash, by the truncated ones: make it durable now.
        self.db.flush_wal(true).map_err(|e| io_err("syncing the raft log", e))
    }

    async fn purge(&mut self, log_id: LogId) -> Result<(), io::Error> {
        // The purge mark first: a restart must never find a gap below it.
        self.put_meta(KEY_PURGED, &log_id, true)?;
        self.db
            .delete_range_cf(self.cf(CF_LOG), index_key(0), index_key(log_id.index() + 1))
            .map_err(|e| io_err("purging the raft log", e))
    }
}
