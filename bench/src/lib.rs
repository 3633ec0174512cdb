//! kubox-bench: load generators for kubox, run side by side with the peer
//! it replaces, in the same run, so that ratios mean something on noisy
//! machines.

pub mod api;
pub mod raft;
pub mod stats;
pub mod store;
