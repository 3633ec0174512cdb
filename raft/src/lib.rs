//! kubox-raft: the store replicated between peer nodes.
//!
//! Nothing here yet. This crate will drive `kubox_storage::StateMachine`
//! from an openraft log (RocksDB log store, QUIC transport) and implement
//! `kubox_storage::Store` on top, so that a single node is a one-member
//! group and more nodes join it for HA. Until then kubox runs
//! `kubox_storage::LocalStore`, which applies the same commands through a
//! local writer thread. See `docs/storage.md`, "Writes".
