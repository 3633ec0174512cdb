//! kubox-raft: the store replicated between peer nodes by Raft.
//!
//! openraft drives kubox-storage's MVCC state machine from a log kept on its
//! own RocksDB instance; peers talk over QUIC with mutual TLS; [`RaftNode`]
//! implements the store trait the API layer uses, so a single node is a
//! one-member cluster on the same code path as many. See `docs/raft.md`.

mod log_store;
mod network;
mod node;
mod state_machine;
mod tls;
mod types;

pub use network::{CallError, ForwardError, RpcRequest, RpcResponse};
pub use node::{Member, NodeStatus, Raft, RaftNode, RaftOptions};
pub use state_machine::{SnapshotDir, StateMachineStore};
pub use tls::{PEER_SERVER_NAME, PeerCa, PeerIdentity};
pub use types::{NodeId, NodeInfo, Request, Response, TypeConfig};
