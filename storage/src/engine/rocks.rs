//! The RocksDB engine: one database with a column family per [`Column`].
//! Writes go through RocksDB's write-ahead log; a synced write is on disk when
//! it returns.

use std::path::Path;

use parking_lot::{RwLock, RwLockReadGuard};

use rocksdb::{
    BlockBasedOptions, Cache, ColumnFamilyDescriptor, DB, DBCompressionType, DBRecoveryMode, ErrorKind, Options,
    ReadOptions, WriteOptions,
};

use super::{BatchOp, Column, Engine, Visitor, WriteBatch};
use crate::error::StoreError;

/// Memory for memtables, over all column families.
const MEMTABLE_BUDGET: usize = 32 << 20;

/// Column family names, indexed by [`Column`]. The names are etcd's bucket names.
const CF_NAMES: [&str; 3] = ["key", "meta", "lease"];

/// A RocksDB database; `None` once closed.
pub(crate) struct RocksEngine {
    db: RwLock<Option<DB>>,
    wal: bool,
}

/// Maps a RocksDB error to the store's, telling corruption from I/O trouble.
fn map_err(context: &str, err: rocksdb::Error) -> StoreError {
    match err.kind() {
        ErrorKind::Corruption => StoreError::Corrupt(format!("{context}: {err}")),
        _ => StoreError::io(context, err),
    }
}

impl RocksEngine {
    /// Opens (or creates) the database in `path`.
    /// Without `wal`, writes skip the write-ahead log and column families
    /// are flushed together (atomic flush): the files always hold a prefix
    /// of the batches written, which a Raft log then replays past.
    pub fn open(path: &Path, block_cache_bytes: usize, wal: bool) -> Result<Self, StoreError> {
        // A directory with files but no CURRENT is a damaged database, not
        // an empty one: creating a fresh database there would hide the loss.
        let existing = std::fs::read_dir(path).map(|mut d| d.next().is_some()).unwrap_or(false);
        if existing && !path.join("CURRENT").exists() {
            return Err(StoreError::Corrupt(format!(
                "{} holds database files but no CURRENT file; refusing to create a new database over them",
                path.display()
            )));
        }
        let mut db_opts = Options::default();
        db_opts.create_if_missing(!existing);
        db_opts.create_missing_column_families(true);
        // Every acknowledged write was synced, so only a torn final record
        // (power loss during a write that was never acknowledged) may be
        // dropped; corruption anywhere else fails the open.
        db_opts.set_wal_recovery_mode(DBRecoveryMode::TolerateCorruptedTailRecords);
        db_opts.set_paranoid_checks(true);
        db_opts.set_max_background_jobs(2);
        db_opts.set_keep_log_file_num(4);
        db_opts.set_max_total_wal_size(256 << 20);
        // Memtables hold every recent write in memory until a flush; 32 MiB
        // over all column families (instead of up to 2 x 64 MiB per family)
        // bounds that while still flushing in large sequential files.
        db_opts.set_db_write_buffer_size(MEMTABLE_BUDGET);
        db_opts.set_atomic_flush(!wal);

        let cache = Cache::new_lru_cache(block_cache_bytes);
        let cf_opts = |bloom: bool| {
            let mut table = BlockBasedOptions::default();
            table.set_block_cache(&cache);
            if bloom {
                table.set_bloom_filter(10.0, false);
            }
            let mut o = Options::default();
            o.set_block_based_table_factory(&table);
            o.set_write_buffer_size(MEMTABLE_BUDGET / 2);
            o.set_compression_type(DBCompressionType::Lz4);
            o.set_bottommost_compression_type(DBCompressionType::Zstd);
            o
        };
        let cfs =
            CF_NAMES.iter().map(|name| ColumnFamilyDescriptor::new(*name, cf_opts(*name == "key"))).collect::<Vec<_>>();
        let db = DB::open_cf_descriptors(&db_opts, path, cfs)
            .map_err(|e| map_err(&format!("opening RocksDB in {}", path.display()), e))?;
        Ok(Self { db: RwLock::new(Some(db)), wal })
    }

    /// The open database, held for the duration of one call.
    fn db(&self) -> Result<RwLockReadGuard<'_, Option<DB>>, StoreError> {
        let guard = self.db.read();
        if guard.is_none() {
            return Err(StoreError::Closed);
        }
        Ok(guard)
    }
}

/// The handle of a column family of `db`.
fn cf(db: &DB, col: Column) -> Result<&rocksdb::ColumnFamily, StoreError> {
    let name = CF_NAMES[col as usize];
    db.cf_handle(name).ok_or_else(|| StoreError::Corrupt(format!("column family {name} is missing")))
}

/// The database in a guard that [`RocksEngine::db`] checked.
fn open_db<'a>(guard: &'a RwLockReadGuard<'_, Option<DB>>) -> &'a DB {
    guard.as_ref().expect("RocksEngine::db returns only guards of an open database")
}

impl Engine for RocksEngine {
    fn write(&self, batch: WriteBatch, sync: bool) -> Result<(), StoreError> {
        let guard = self.db()?;
        let db = open_db(&guard);
        let mut wb = rocksdb::WriteBatch::default();
        for op in &batch.ops {
            match op {
                BatchOp::Put(c, k, v) => wb.put_cf(cf(db, *c)?, k, v),
                BatchOp::Delete(c, k) => wb.delete_cf(cf(db, *c)?, k),
            }
        }
        let mut wo = WriteOptions::default();
        wo.set_sync(sync && self.wal);
        wo.disable_wal(!self.wal);
        db.write_opt(wb, &wo).map_err(|e| map_err("writing to RocksDB", e))
    }

    fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let guard = self.db()?;
        let db = open_db(&guard);
        db.get_cf(cf(db, col)?, key).map_err(|e| map_err("reading RocksDB", e))
    }

    fn multi_get(&self, col: Column, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let guard = self.db()?;
        let db = open_db(&guard);
        db.batched_multi_get_cf(cf(db, col)?, keys, false)
            .into_iter()
            .map(|r| r.map(|v| v.map(|s| s.to_vec())).map_err(|e| map_err("reading RocksDB", e)))
            .collect()
    }

    fn scan(&self, col: Column, from: &[u8], visit: &mut Visitor<'_>) -> Result<(), StoreError> {
        let guard = self.db()?;
        let db = open_db(&guard);
        let mut ro = ReadOptions::default();
        // A scan reads history once; keep it from evicting hot blocks.
        ro.fill_cache(false);
        let mut it = db.raw_iterator_cf_opt(cf(db, col)?, ro);
        it.seek(from);
        while it.valid() {
            let (Some(k), Some(v)) = (it.key(), it.value()) else { break };
            if !visit(k, v)? {
                return Ok(());
            }
            it.next();
        }
        it.status().map_err(|e| map_err("scanning RocksDB", e))
    }

    fn checkpoint(&self, dir: &Path) -> Result<(), StoreError> {
        let guard = self.db()?;
        let db = open_db(&guard);
        let cp = rocksdb::checkpoint::Checkpoint::new(db).map_err(|e| map_err("preparing a checkpoint", e))?;
        cp.create_checkpoint(dir).map_err(|e| map_err(&format!("writing a checkpoint to {}", dir.display()), e))
    }

    fn close(&self) {
        if !self.wal
            && let Some(db) = self.db.read().as_ref()
        {
            // Without a WAL the memtables are all that holds recent batches;
            // flushing them here spares a replay of the log at the next start.
            let _ = db.flush();
        }
        // Dropping the database flushes nothing that matters (every write
        // went through the WAL) and releases its files and lock.
        self.db.write().take();
    }
}
