//! The ordered key-value engines under the MVCC layer: RocksDB for real
//! use, a B-tree in memory for tests and for crates that must build without
//! RocksDB. The MVCC layer sees only this narrow interface.

use crate::error::StoreError;

pub(crate) mod memory;
#[cfg(feature = "rocksdb")]
pub(crate) mod rocks;

/// The column families of the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    /// The history: revision key -> `KeyValue` record (etcd's "key" bucket).
    History = 0,
    /// Store metadata: format version, compaction marks.
    Meta = 1,
    /// Leases: id -> lease record (etcd's "lease" bucket).
    Leases = 2,
}

/// How many columns there are.
pub(crate) const COLUMNS: usize = 3;

/// One change in a [`WriteBatch`].
#[derive(Clone, Debug)]
pub(crate) enum BatchOp {
    Put(Column, Vec<u8>, Vec<u8>),
    Delete(Column, Vec<u8>),
}

/// Changes written atomically, in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct WriteBatch {
    pub ops: Vec<BatchOp>,
}

impl WriteBatch {
    pub fn put(&mut self, col: Column, key: Vec<u8>, value: Vec<u8>) {
        self.ops.push(BatchOp::Put(col, key, value));
    }

    pub fn delete(&mut self, col: Column, key: Vec<u8>) {
        self.ops.push(BatchOp::Delete(col, key));
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// Called for each key-value of a scan; returns whether to go on.
pub(crate) type Visitor<'a> = dyn FnMut(&[u8], &[u8]) -> Result<bool, StoreError> + 'a;

/// An ordered, durable key-value engine with column families.
pub(crate) trait Engine: Send + Sync + 'static {
    /// Writes `batch` atomically; with `sync`, durably before returning.
    fn write(&self, batch: WriteBatch, sync: bool) -> Result<(), StoreError>;

    /// Reads one key.
    fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;

    /// Reads several keys of one column; `keys` are sorted.
    fn multi_get(&self, col: Column, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>, StoreError>;

    /// Visits the keys of `col` from `from` upward, in order, until `visit`
    /// returns `Ok(false)` or an error.
    fn scan(&self, col: Column, from: &[u8], visit: &mut Visitor<'_>) -> Result<(), StoreError>;

    /// Writes a consistent copy of the database into `dir` (which must not
    /// exist), for snapshots.
    fn checkpoint(&self, dir: &std::path::Path) -> Result<(), StoreError> {
        Err(StoreError::InvalidArgument(format!("this engine cannot write a checkpoint to {}", dir.display())))
    }

    /// Closes the engine once in-flight calls finish; every later call fails
    /// with [`StoreError::Closed`]. Handles to the engine may outlive the
    /// store (a watch task, a read), but the files are released here.
    fn close(&self);
}
