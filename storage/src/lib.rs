//! kubox-storage: an MVCC key-value store with etcd v3 semantics, on RocksDB.
//!
//! - A single global revision that grows by one per transaction that changes
//!   anything; per key, create revision, mod revision and version.
//! - Ranges at the latest or a past revision; transactions with compares;
//!   watches from a revision, gap- and duplicate-free; compaction; leases.
//! - A deterministic state machine ([`StateMachine`], applying [`Command`]s)
//!   that a replicated log can drive, and a [`LocalStore`] that drives it on
//!   one node with group-committed durable writes.
//! - The [`Store`] trait is all the API layer sees.
//!
//! See `docs/storage.md` for the design.

mod command;
mod engine;
mod error;
mod index;
mod lease;
mod local;
mod mvcc;
mod revision;
mod store;
mod types;
mod watch;

pub use command::{Command, CommandResult, grant_lease};
pub use error::StoreError;
pub use lease::{MAX_LEASE_TTL, MIN_LEASE_TTL};
pub use local::{DirLock, LOCK_FILE, LocalStore, now_ms};
pub use mvcc::{CALLER_META_PREFIX, FORMAT_VERSION, Reader, StateMachine, StoreOptions};
pub use store::Store;
pub use types::*;
pub use watch::WatchStream;
