//! The in-memory key index: for every key, the revisions at which it changed.
//! Like etcd's `treeIndex`, it answers "which revision of which key is
//! visible at revision R" without touching disk; the values live in the
//! engine, keyed by revision. It is rebuilt from the history at start.

use std::collections::BTreeMap;
use std::ops::Bound;

use bytes::Bytes;

use crate::revision::Rev;
use crate::types::{End, KeyRange};

/// One change of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IndexEntry {
    /// When the change happened.
    pub rev: Rev,
    /// For a put, the key's create revision; 0 for a tombstone.
    pub create_revision: i64,
    /// For a put, the key's version; 0 for a tombstone.
    pub version: i64,
    /// For a put, the key's lease; 0 for a tombstone.
    pub lease: i64,
    /// Whether this change deleted the key.
    pub tombstone: bool,
}

/// The history of one key, oldest first.
#[derive(Clone, Debug, Default)]
struct KeyHistory {
    entries: Vec<IndexEntry>,
}

impl KeyHistory {
    /// The newest change at or before `at` (main revision).
    fn at(&self, at: i64) -> Option<&IndexEntry> {
        let n = self.entries.partition_point(|e| e.rev.main <= at);
        n.checked_sub(1).map(|i| &self.entries[i])
    }

    /// The change just before `rev`.
    fn before(&self, rev: Rev) -> Option<&IndexEntry> {
        let n = self.entries.partition_point(|e| e.rev < rev);
        n.checked_sub(1).map(|i| &self.entries[i])
    }
}

/// Keys and their histories, in key order.
#[derive(Debug, Default)]
pub(crate) struct Index {
    keys: BTreeMap<Bytes, KeyHistory>,
}

impl Index {
    /// The live entry of `key` at revision `at`, if the key exists then.
    pub fn get(&self, key: &[u8], at: i64) -> Option<IndexEntry> {
        self.keys.get(key)?.at(at).filter(|e| !e.tombstone).copied()
    }

    /// The live entry of `key` just before `rev`, if the key existed then
    /// (the "previous key-value" of a change).
    pub fn live_before(&self, key: &[u8], rev: Rev) -> Option<IndexEntry> {
        self.keys.get(key)?.before(rev).filter(|e| !e.tombstone).copied()
    }

    /// Whether the history of `key` still holds a change at exactly `rev`.
    pub fn contains(&self, key: &[u8], rev: Rev) -> bool {
        self.keys.get(key).is_some_and(|h| h.entries.binary_search_by(|e| e.rev.cmp(&rev)).is_ok())
    }

    /// Visits the live keys of `range` at revision `at`, in key order, until
    /// `visit` returns false.
    pub fn visit_range(&self, range: &KeyRange, at: i64, mut visit: impl FnMut(&Bytes, &IndexEntry) -> bool) {
        let start = Bound::Included(&range.key[..]);
        let end = match range.end_bound() {
            End::Single => {
                if let Some((k, h)) = self.keys.get_key_value(&range.key[..])
                    && let Some(e) = h.at(at).filter(|e| !e.tombstone)
                {
                    visit(k, e);
                }
                return;
            }
            End::Unbounded => Bound::Unbounded,
            End::Before(end) => {
                if end <= &range.key[..] {
                    return;
                }
                Bound::Excluded(end)
            }
        };
        for (k, h) in self.keys.range::<[u8], _>((start, end)) {
            if let Some(e) = h.at(at).filter(|e| !e.tombstone)
                && !visit(k, e)
            {
                return;
            }
        }
    }

    /// Records a change. Changes of a key arrive in revision order.
    pub fn push(&mut self, key: &Bytes, entry: IndexEntry) {
        match self.keys.get_mut(&key[..]) {
            Some(h) => {
                debug_assert!(h.entries.last().is_none_or(|last| last.rev < entry.rev));
                h.entries.push(entry);
            }
            None => {
                self.keys.insert(key.clone(), KeyHistory { entries: vec![entry] });
            }
        }
    }

    /// Takes back the newest change of `key` (undo of a failed write).
    pub fn pop(&mut self, key: &[u8]) {
        if let Some(h) = self.keys.get_mut(key) {
            h.entries.pop();
            if h.entries.is_empty() {
                self.keys.remove(key);
            }
        }
    }

    /// Compacts the histories of up to `limit` keys starting at `cursor`:
    /// each keeps its newest change at or before `at` unless that change is a
    /// deletion, the change before it if it happened exactly at `at`, and
    /// every change after `at`. Returns where to continue, or `None` when the
    /// whole index is done.
    pub fn compact_chunk(&mut self, at: i64, cursor: Option<Bytes>, limit: usize) -> Option<Bytes> {
        let start = match &cursor {
            Some(c) => Bound::Included(&c[..]),
            None => Bound::Unbounded,
        };
        let mut emptied = Vec::new();
        let mut next = None;
        for (n, (k, h)) in self.keys.range_mut::<[u8], _>((start, Bound::Unbounded)).enumerate() {
            if n == limit {
                next = Some(k.clone());
                break;
            }
            let visible = h.entries.partition_point(|e| e.rev.main <= at);
            if visible == 0 {
                continue;
            }
            let last = visible - 1;
            let keep_from = if h.entries[last].rev.main == at {
                // A change at exactly the compact revision can still be
                // watched, so keep what it replaced: its prev_kv.
                if last > 0 && !h.entries[last - 1].tombstone { last - 1 } else { last }
            } else if h.entries[last].tombstone {
                visible
            } else {
                last
            };
            h.entries.drain(..keep_from);
            if h.entries.is_empty() {
                emptied.push(k.clone());
            }
        }
        for k in emptied {
            self.keys.remove(&k[..]);
        }
        next
    }

    /// Number of keys with any history (live or not).
    #[cfg(test)]
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(main: i64, create: i64, version: i64) -> IndexEntry {
        IndexEntry { rev: Rev::new(main, 0), create_revision: create, version, lease: 0, tombstone: false }
    }

    fn tomb(main: i64) -> IndexEntry {
        IndexEntry { rev: Rev::new(main, 0), create_revision: 0, version: 0, lease: 0, tombstone: true }
    }

    #[test]
    fn reads_at_revisions_and_compaction() {
        let mut ix = Index::default();
        let a = Bytes::from_static(b"a");
        ix.push(&a, put(2, 2, 1));
        ix.push(&a, put(4, 2, 2));
        ix.push(&a, tomb(6));
        ix.push(&a, put(8, 8, 1));
        assert_eq!(ix.get(b"a", 1), None);
        assert_eq!(ix.get(b"a", 3).unwrap().version, 1);
        assert_eq!(ix.get(b"a", 5).unwrap().version, 2);
        assert_eq!(ix.get(b"a", 7), None);
        assert_eq!(ix.get(b"a", 9).unwrap().create_revision, 8);
        assert_eq!(ix.live_before(b"a", Rev::new(8, 0)), None);
        assert_eq!(ix.live_before(b"a", Rev::new(6, 0)).unwrap().version, 2);

        // Compacting at 6, where the key was deleted, keeps the deleted
        // version (the delete's prev_kv) and the tombstone.
        assert_eq!(ix.compact_chunk(6, None, 100), None);
        assert!(!ix.contains(b"a", Rev::new(2, 0)));
        assert!(ix.contains(b"a", Rev::new(4, 0)) && ix.contains(b"a", Rev::new(6, 0)));
        assert_eq!(ix.get(b"a", 6), None);
        // Compacting at 7 drops everything up to the tombstone.
        ix.compact_chunk(7, None, 100);
        assert!(!ix.contains(b"a", Rev::new(4, 0)) && !ix.contains(b"a", Rev::new(6, 0)));
        assert!(ix.contains(b"a", Rev::new(8, 0)));
        // Compacting at 9 keeps the live version at 8.
        ix.compact_chunk(9, None, 100);
        assert!(ix.contains(b"a", Rev::new(8, 0)));

        let b = Bytes::from_static(b"b");
        ix.push(&b, put(10, 10, 1));
        ix.push(&b, tomb(11));
        ix.compact_chunk(12, None, 100);
        assert_eq!(ix.key_count(), 1, "a fully deleted key leaves the index");
    }

    #[test]
    fn compaction_in_chunks_visits_every_key() {
        let mut ix = Index::default();
        for i in 0..10u8 {
            let k = Bytes::from(vec![i]);
            ix.push(&k, put(i as i64 + 1, i as i64 + 1, 1));
            ix.push(&k, tomb(i as i64 + 20));
        }
        let mut cursor = None;
        let mut rounds = 0;
        loop {
            cursor = ix.compact_chunk(100, cursor, 3);
            rounds += 1;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(rounds, 4);
        assert_eq!(ix.key_count(), 0);
    }

    #[test]
    fn ranges_follow_etcd_range_end() {
        let mut ix = Index::default();
        for (i, k) in ["a", "b", "c"].iter().enumerate() {
            ix.push(&Bytes::from_static(k.as_bytes()), put(i as i64 + 1, i as i64 + 1, 1));
        }
        let keys = |r: KeyRange| {
            let mut out = vec![];
            ix.visit_range(&r, 10, |k, _| {
                out.push(k.clone());
                true
            });
            out
        };
        assert_eq!(keys(KeyRange::key("b")).len(), 1);
        assert_eq!(keys(KeyRange::between("a", "c")).len(), 2);
        assert_eq!(keys(KeyRange::between("b", vec![0u8])).len(), 2);
        assert_eq!(keys(KeyRange::between("c", "a")).len(), 0);
    }
}
