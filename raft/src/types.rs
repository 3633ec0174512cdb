//! The Raft type configuration: what a log entry carries (a store
//! [`Command`]), what applying one returns, and what a member is.

use std::fmt;

use kubox_storage::{Command, CommandResult, StoreError};
use serde::{Deserialize, Serialize};

/// A log entry's payload: one change to the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request(pub Command);

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Command::Txn(t) => {
                write!(f, "txn({} compares, {}+{} ops)", t.compare.len(), t.success.len(), t.failure.len())
            }
            Command::Compact { revision } => write!(f, "compact({revision})"),
            Command::LeaseGrant { id, ttl, .. } => write!(f, "lease-grant({id:x}, {ttl}s)"),
            Command::LeaseKeepAlive { id, .. } => write!(f, "lease-keepalive({id:x})"),
            Command::LeaseRevoke { id } => write!(f, "lease-revoke({id:x})"),
        }
    }
}

/// What applying an entry returned: `None` for entries that carry no
/// command (a new leader's blank entry, a membership change). A command
/// that the store refused (a compare that failed is not a refusal; a
/// duplicate key is) is applied as a no-op on every replica and answers
/// with its error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response(pub Option<Result<CommandResult, StoreError>>);

/// A member of the cluster: where its peers reach it and where clients do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeInfo {
    /// A name for people (the host name, by default).
    pub name: String,
    /// host:port of its Raft transport (QUIC, UDP).
    pub raft_addr: String,
    /// https URL of its Kubernetes API.
    pub api_url: String,
}

impl fmt::Display for NodeInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (raft {}, api {})", self.name, self.raft_addr, self.api_url)
    }
}

/// A node's id within its cluster.
pub type NodeId = u64;

openraft::declare_raft_types!(
    /// kubox's Raft types.
    pub TypeConfig:
        D = Request,
        R = Response,
        NodeId = NodeId,
        Node = NodeInfo,
);

/// The log id type.
pub type LogId = openraft::alias::LogIdOf<TypeConfig>;
/// A log entry.
pub type Entry = openraft::alias::EntryOf<TypeConfig>;
/// The vote.
pub type Vote = openraft::alias::VoteOf<TypeConfig>;
/// The stored membership.
pub type StoredMembership = openraft::alias::StoredMembershipOf<TypeConfig>;
/// Snapshot metadata.
pub type SnapshotMeta = openraft::alias::SnapshotMetaOf<TypeConfig>;

pub(crate) fn io_err(context: &str, err: impl fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("{context}: {err}"))
}

pub(crate) fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>, std::io::Error> {
    postcard::to_stdvec(v).map_err(|e| io_err("encoding", e))
}

pub(crate) fn decode<T: for<'de> Deserialize<'de>>(b: &[u8]) -> Result<T, std::io::Error> {
    postcard::from_bytes(b).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("decoding: {e}")))
}
