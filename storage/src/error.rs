//! The store's error type. Messages follow etcd's where etcd has one, so
//! that logs and the API layer's translations read as operators expect.

use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum StoreError {
    /// A read or watch asked for a revision older than the compacted one.
    #[error("mvcc: required revision has been compacted (compact revision {compact_revision})")]
    Compacted {
        /// The revision the store has been compacted to.
        compact_revision: i64,
    },
    /// A read or compaction asked for a revision the store has not reached.
    #[error("mvcc: required revision is a future revision (requested {requested}, current {current})")]
    FutureRevision {
        /// The revision asked for.
        requested: i64,
        /// The store's current revision.
        current: i64,
    },
    /// The lease does not exist (never granted, revoked or expired).
    #[error("lease not found: {0:x}")]
    LeaseNotFound(i64),
    /// A lease with this id already exists.
    #[error("lease already exists: {0:x}")]
    LeaseExists(i64),
    /// The requested TTL is larger than the store allows.
    #[error("too large lease TTL: {0}s")]
    LeaseTtlTooLarge(i64),
    /// A transaction writes the same key twice.
    #[error("duplicate key given in txn request")]
    DuplicateKey,
    /// A put with `ignore_value` or `ignore_lease` on a key that does not exist.
    #[error("key not found")]
    KeyNotFound,
    /// The request is larger than the store accepts (etcd's `--max-request-bytes`).
    #[error("request is too large: {size} bytes, limit {limit}")]
    RequestTooLarge {
        /// Size of the request, in bytes.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The request is malformed.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The storage engine failed to read or write (disk full, I/O error).
    /// Nothing of the failed write was applied.
    #[error("storage I/O error: {0}")]
    Io(String),
    /// Stored data failed a consistency check.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The data directory was written by a newer kubox.
    #[error(
        "data directory {path} has format version {found}, newer than this kubox supports ({supported}); use a newer kubox"
    )]
    UnsupportedFormat {
        /// The data directory.
        path: PathBuf,
        /// The version found on disk.
        found: u64,
        /// The newest version this build reads.
        supported: u64,
    },
    /// Another process holds the data directory.
    #[error("data directory {path} is in use by another process (lock file {lock} is held{holder})")]
    Locked {
        /// The data directory.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// ", by pid N" when the holder wrote its pid, else empty.
        holder: String,
    },
    /// The store cannot serve the request now: this node is cut off from
    /// the majority of its cluster, or no leader is known. Retrying later,
    /// or on another node, may succeed.
    #[error("{0}")]
    Unavailable(String),
    /// The request did not complete in time (no quorum answered). A write
    /// may or may not have been applied.
    #[error("{0}")]
    Timeout(String),
    /// The store has been shut down.
    #[error("store is closed")]
    Closed,
}

impl StoreError {
    /// Wraps an I/O error with what was being done.
    pub(crate) fn io(context: &str, err: impl std::fmt::Display) -> Self {
        StoreError::Io(format!("{context}: {err}"))
    }
}
