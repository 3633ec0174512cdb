//! An engine that keeps everything in memory: for tests, and for crates that
//! exercise the store's semantics without building RocksDB. Nothing survives
//! the process.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::RwLock;

use super::{BatchOp, COLUMNS, Column, Engine, Visitor, WriteBatch};
use crate::error::StoreError;

/// B-trees in memory, one per column.
#[derive(Default)]
pub(crate) struct MemoryEngine {
    columns: RwLock<[BTreeMap<Vec<u8>, Vec<u8>>; COLUMNS]>,
    /// Test hook: while set, every write fails as a full disk would.
    fail_writes: AtomicBool,
    closed: AtomicBool,
}

impl MemoryEngine {
    fn check_open(&self) -> Result<(), StoreError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(StoreError::Closed);
        }
        Ok(())
    }

    /// Makes every following write fail (or succeed again), to test how the
    /// store handles a full disk.
    #[cfg(test)]
    pub fn set_fail_writes(&self, fail: bool) {
        self.fail_writes.store(fail, Ordering::SeqCst);
    }

    /// Every column's contents, to compare two stores.
    #[cfg(test)]
    pub fn dump(&self) -> [BTreeMap<Vec<u8>, Vec<u8>>; COLUMNS] {
        self.columns.read().clone()
    }
}

impl Engine for MemoryEngine {
    fn write(&self, batch: WriteBatch, _sync: bool) -> Result<(), StoreError> {
        self.check_open()?;
        if self.fail_writes.load(Ordering::SeqCst) {
            return Err(StoreError::io("write", "No space left on device (injected)"));
        }
        let mut cols = self.columns.write();
        for op in batch.ops {
            match op {
                BatchOp::Put(c, k, v) => {
                    cols[c as usize].insert(k, v);
                }
                BatchOp::Delete(c, k) => {
                    cols[c as usize].remove(&k);
                }
            }
        }
        Ok(())
    }

    fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.check_open()?;
        Ok(self.columns.read()[col as usize].get(key).cloned())
    }

    fn multi_get(&self, col: Column, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        self.check_open()?;
        let cols = self.columns.read();
        Ok(keys.iter().map(|k| cols[col as usize].get(k).cloned()).collect())
    }

    fn scan(&self, col: Column, from: &[u8], visit: &mut Visitor<'_>) -> Result<(), StoreError> {
        // Visit a snapshot taken in slices, so that `visit` may call back
        // into the engine without deadlocking.
        let mut cursor = Bound::Included(from.to_vec());
        loop {
            self.check_open()?;
            let slice: Vec<(Vec<u8>, Vec<u8>)> = {
                let cols = self.columns.read();
                cols[col as usize]
                    .range((cursor.clone(), Bound::Unbounded))
                    .take(256)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            let Some((last, _)) = slice.last() else { return Ok(()) };
            cursor = Bound::Excluded(last.clone());
            for (k, v) in &slice {
                if !visit(k, v)? {
                    return Ok(());
                }
            }
        }
    }

    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }
}
