//! The Raft transport: QUIC (quinn) with mutual TLS. One connection per
//! peer, one bidirectional stream per call: a length-prefixed postcard
//! request, then the response the same way. A snapshot is one stream too:
//! its header, then its files' bytes in order.
//!
//! The same transport carries kubox's own calls between nodes: a follower
//! forwards writes and read-index requests to the leader, and a joining node
//! asks the leader to add it.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kubox_storage::{Command, StoreError};
use openraft::errors::{NetworkError, RPCError, ReplicationClosed, StreamingError, Unreachable};
use openraft::network::RPCOption;
use openraft::network::v2::RaftNetworkV2;
use openraft::raft::{
    AppendEntriesRequest, AppendEntriesResponse, SnapshotResponse, TransferLeaderRequest, TransferLeaderResponse,
    VoteRequest, VoteResponse,
};
use openraft::{OptionalSend, RaftNetworkFactory};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::state_machine::{Snapshot, SnapshotDir};
use crate::types::{NodeId, NodeInfo, Response, SnapshotMeta, TypeConfig, Vote, decode, encode};

/// The largest frame accepted (a batch of append entries can be large).
const MAX_FRAME: usize = 512 << 20;
/// How long connecting to a peer may take.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

/// A call from one node to another.
#[derive(Debug, Serialize, Deserialize)]
pub enum RpcRequest {
    /// Raft: append entries (and heartbeats).
    Append(AppendEntriesRequest<TypeConfig>),
    /// Raft: vote.
    Vote(VoteRequest<TypeConfig>),
    /// Raft: pre-vote.
    PreVote(VoteRequest<TypeConfig>),
    /// Raft: leadership transfer.
    TransferLeader(TransferLeaderRequest<TypeConfig>),
    /// Raft: a snapshot; its files' bytes follow on the stream, in order.
    Snapshot {
        /// The cluster the sender belongs to.
        cluster_id: String,
        /// The leader's vote.
        vote: Vote,
        /// What the snapshot holds.
        meta: SnapshotMeta,
        /// File names (under `db/`) and sizes.
        files: Vec<(String, u64)>,
    },
    /// A write forwarded to the leader.
    Write(Command),
    /// A follower asks the leader for a read index.
    ReadIndex,
    /// A node that has joined asks the leader to make it a member.
    AddMember {
        /// Its id.
        id: NodeId,
        /// Where it is reached.
        node: NodeInfo,
    },
    /// Remove a member (sent to the leader).
    RemoveMember {
        /// Its id.
        id: NodeId,
    },
}

/// Why a forwarded call failed on the leader.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ForwardError {
    /// The receiver is not the leader; it names the leader if it knows one.
    NotLeader(Option<(NodeId, NodeInfo)>),
    /// The store's error, for the client.
    Store(StoreError),
}

/// The answer to an [`RpcRequest`].
#[derive(Debug, Serialize, Deserialize)]
pub enum RpcResponse {
    /// To [`RpcRequest::Append`].
    Append(Result<AppendEntriesResponse<TypeConfig>, String>),
    /// To [`RpcRequest::Vote`] and [`RpcRequest::PreVote`].
    Vote(Result<VoteResponse<TypeConfig>, String>),
    /// To [`RpcRequest::TransferLeader`].
    TransferLeader(Result<TransferLeaderResponse<TypeConfig>, String>),
    /// To [`RpcRequest::Snapshot`].
    Snapshot(Result<SnapshotResponse<TypeConfig>, String>),
    /// To [`RpcRequest::Write`]: the result and the entry's log index.
    Write(Result<(Response, u64), ForwardError>),
    /// To [`RpcRequest::ReadIndex`]: the index to wait for.
    ReadIndex(Result<u64, ForwardError>),
    /// To membership calls.
    Member(Result<(), ForwardError>),
    /// The request could not be decoded or handled.
    Invalid(String),
}

/// How a call failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The request was not delivered (no connection): safe to retry.
    #[error("peer {0} is unreachable: {1}")]
    Unreachable(String, String),
    /// The request may have been delivered; its outcome is unknown.
    #[error("call to peer {0} failed: {1}")]
    Failed(String, String),
}

/// What serves incoming calls (the Raft node).
pub trait Handler: Send + Sync + 'static {
    /// Answers one call; `recv` has whatever followed the request (a
    /// snapshot's files).
    fn handle(
        self: Arc<Self>,
        req: RpcRequest,
        recv: &mut quinn::RecvStream,
    ) -> impl Future<Output = RpcResponse> + Send;
}

/// The QUIC endpoint and the connections to peers.
pub struct Transport {
    endpoint: quinn::Endpoint,
    conns: Mutex<HashMap<String, quinn::Connection>>,
}

impl Transport {
    /// Binds the endpoint (UDP) on `addr`.
    pub fn bind(
        addr: SocketAddr,
        server: quinn::ServerConfig,
        client: quinn::ClientConfig,
    ) -> anyhow::Result<Arc<Self>> {
        let mut endpoint = quinn::Endpoint::server(server, addr)
            .map_err(|e| anyhow::anyhow!("binding the raft transport on udp {addr}: {e}"))?;
        endpoint.set_default_client_config(client);
        Ok(Arc::new(Self { endpoint, conns: Mutex::new(HashMap::new()) }))
    }

    /// The address the endpoint is bound to.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.endpoint.local_addr()
    }

    /// Accepts calls until the endpoint is closed.
    pub async fn serve<H: Handler>(self: Arc<Self>, handler: Arc<H>) {
        while let Some(incoming) = self.endpoint.accept().await {
            let handler = handler.clone();
            tokio::spawn(async move {
                let conn = match incoming.await {
                    Ok(c) => c,
                    Err(err) => {
                        // A peer without a certificate from the cluster CA ends here.
                        tracing::warn!(%err, "refused a raft connection");
                        return;
                    }
                };
                while let Ok((send, recv)) = conn.accept_bi().await {
                    tokio::spawn(serve_stream(handler.clone(), send, recv));
                }
            });
        }
    }

    /// Stops accepting and closes every connection.
    pub fn close(&self) {
        self.endpoint.close(0u32.into(), b"shutting down");
    }

    async fn connection(&self, addr: &str) -> Result<quinn::Connection, CallError> {
        if let Some(c) = self.conns.lock().get(addr)
            && c.close_reason().is_none()
        {
            return Ok(c.clone());
        }
        let unreachable = |e: &dyn std::fmt::Display| CallError::Unreachable(addr.to_string(), e.to_string());
        let sock = tokio::net::lookup_host(addr)
            .await
            .map_err(|e| unreachable(&e))?
            .next()
            .ok_or_else(|| unreachable(&"no address"))?;
        let connecting = self.endpoint.connect(sock, crate::tls::PEER_SERVER_NAME).map_err(|e| unreachable(&e))?;
        let conn = tokio::time::timeout(CONNECT_TIMEOUT, connecting)
            .await
            .map_err(|_| unreachable(&"connect timed out"))?
            .map_err(|e| unreachable(&e))?;
        self.conns.lock().insert(addr.to_string(), conn.clone());
        Ok(conn)
    }

    /// Sends `req` to `addr` and waits for the answer, at most `timeout`.
    pub async fn call(&self, addr: &str, req: &RpcRequest, timeout: Duration) -> Result<RpcResponse, CallError> {
        self.call_with(addr, req, timeout, |send| async { Ok(send) }).await
    }

    /// As [`Self::call`], with `body` writing more after the request.
    async fn call_with<F, Fut>(
        &self,
        addr: &str,
        req: &RpcRequest,
        timeout: Duration,
        body: F,
    ) -> Result<RpcResponse, CallError>
    where
        F: FnOnce(quinn::SendStream) -> Fut,
        Fut: Future<Output = std::io::Result<quinn::SendStream>>,
    {
        let failed = |e: &dyn std::fmt::Display| CallError::Failed(addr.to_string(), e.to_string());
        let work = async {
            let conn = self.connection(addr).await?;
            let (mut send, mut recv) = match conn.open_bi().await {
                Ok(s) => s,
                Err(e) => {
                    self.conns.lock().remove(addr);
                    return Err(CallError::Unreachable(addr.to_string(), e.to_string()));
                }
            };
            let frame = encode(req).map_err(|e| failed(&e))?;
            write_frame(&mut send, &frame).await.map_err(|e| failed(&e))?;
            let mut send = body(send).await.map_err(|e| failed(&e))?;
            send.finish().map_err(|e| failed(&e))?;
            let resp = read_frame(&mut recv).await.map_err(|e| failed(&e))?;
            decode::<RpcResponse>(&resp).map_err(|e| failed(&e))
        };
        tokio::time::timeout(timeout, work).await.map_err(|_| failed(&"timed out"))?
    }
}

async fn write_frame(send: &mut quinn::SendStream, body: &[u8]) -> std::io::Result<()> {
    send.write_all(&(body.len() as u32).to_be_bytes()).await?;
    send.write_all(body).await?;
    Ok(())
}

async fn read_frame(recv: &mut quinn::RecvStream) -> std::io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    recv.read_exact(&mut len).await.map_err(std::io::Error::other)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(std::io::Error::other(format!("frame of {len} bytes is larger than {MAX_FRAME}")));
    }
    let mut buf = vec![0u8; len];
    recv.read_exact(&mut buf).await.map_err(std::io::Error::other)?;
    Ok(buf)
}

async fn serve_stream<H: Handler>(handler: Arc<H>, mut send: quinn::SendStream, mut recv: quinn::RecvStream) {
    let resp = match read_frame(&mut recv).await {
        Ok(frame) => match decode::<RpcRequest>(&frame) {
            Ok(req) => handler.handle(req, &mut recv).await,
            Err(e) => RpcResponse::Invalid(e.to_string()),
        },
        Err(e) => RpcResponse::Invalid(e.to_string()),
    };
    match encode(&resp) {
        Ok(frame) => {
            if write_frame(&mut send, &frame).await.is_ok() {
                let _ = send.finish();
                // Wait until the peer has read the answer, or gives up.
                let _ = send.stopped().await;
            }
        }
        Err(err) => tracing::error!(%err, "encoding a raft response failed"),
    }
}

/// Receives a snapshot's files into `dir/db/` and writes its `meta`.
pub(crate) async fn receive_snapshot(
    recv: &mut quinn::RecvStream,
    dir: &Path,
    meta: &SnapshotMeta,
    files: &[(String, u64)],
) -> std::io::Result<Snapshot> {
    let db = dir.join("db");
    tokio::fs::create_dir_all(&db).await?;
    for (name, size) in files {
        if name.is_empty() || name.contains('/') || name.starts_with('.') {
            return Err(std::io::Error::other(format!("snapshot file name {name:?} is not a plain file name")));
        }
        let mut out = tokio::fs::File::create(db.join(name)).await?;
        let mut limited = (&mut *recv).take(*size);
        let copied = tokio::io::copy(&mut limited, &mut out).await?;
        if copied != *size {
            return Err(std::io::Error::other(format!("snapshot file {name} ended after {copied} of {size} bytes")));
        }
        out.sync_all().await?;
    }
    tokio::fs::write(dir.join("meta"), encode(meta)?).await?;
    crate::state_machine::read_snapshot(dir)
}

/// The files of a snapshot's checkpoint, with sizes.
fn snapshot_files(dir: &Path) -> std::io::Result<Vec<(String, u64, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir.join("db"))? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_file() {
            out.push((entry.file_name().to_string_lossy().into_owned(), meta.len(), entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// Makes the clients openraft replicates through.
pub struct NetworkFactory {
    pub(crate) transport: Arc<Transport>,
    pub(crate) cluster_id: String,
}

impl RaftNetworkFactory<TypeConfig> for NetworkFactory {
    type Network = PeerClient;

    async fn new_client(&mut self, target: NodeId, node: &NodeInfo) -> PeerClient {
        PeerClient {
            transport: self.transport.clone(),
            target,
            addr: node.raft_addr.clone(),
            cluster_id: self.cluster_id.clone(),
        }
    }
}

/// openraft's view of one peer.
pub struct PeerClient {
    transport: Arc<Transport>,
    target: NodeId,
    addr: String,
    cluster_id: String,
}

impl PeerClient {
    async fn rpc(&self, req: RpcRequest, option: &RPCOption) -> Result<RpcResponse, RPCError<TypeConfig>> {
        self.transport.call(&self.addr, &req, option.hard_ttl()).await.map_err(|e| match e {
            CallError::Unreachable(..) => RPCError::Unreachable(Unreachable::new(&e)),
            CallError::Failed(..) => RPCError::Network(NetworkError::new(&e)),
        })
    }
}

fn unexpected(target: NodeId, resp: RpcResponse) -> RPCError<TypeConfig> {
    RPCError::Network(NetworkError::from_string(format!("unexpected answer from node {target}: {resp:?}")))
}

fn remote(target: NodeId, err: String) -> RPCError<TypeConfig> {
    // The peer's Raft is shutting down or failed: treat it as unreachable.
    RPCError::Unreachable(Unreachable::from_string(format!("node {target}: {err}")))
}

impl RaftNetworkV2<TypeConfig> for PeerClient {
    type SnapshotData = SnapshotDir;

    async fn append_entries(
        &mut self,
        rpc: AppendEntriesRequest<TypeConfig>,
        option: RPCOption,
    ) -> Result<AppendEntriesResponse<TypeConfig>, RPCError<TypeConfig>> {
        match self.rpc(RpcRequest::Append(rpc), &option).await? {
            RpcResponse::Append(r) => r.map_err(|e| remote(self.target, e)),
            other => Err(unexpected(self.target, other)),
        }
    }

    async fn vote(
        &mut self,
        rpc: VoteRequest<TypeConfig>,
        option: RPCOption,
    ) -> Result<VoteResponse<TypeConfig>, RPCError<TypeConfig>> {
        match self.rpc(RpcRequest::Vote(rpc), &option).await? {
            RpcResponse::Vote(r) => r.map_err(|e| remote(self.target, e)),
            other => Err(unexpected(self.target, other)),
        }
    }

    async fn pre_vote(
        &mut self,
        rpc: VoteRequest<TypeConfig>,
        option: RPCOption,
    ) -> Result<VoteResponse<TypeConfig>, RPCError<TypeConfig>> {
        match self.rpc(RpcRequest::PreVote(rpc), &option).await? {
            RpcResponse::Vote(r) => r.map_err(|e| remote(self.target, e)),
            other => Err(unexpected(self.target, other)),
        }
    }

    async fn transfer_leader(
        &mut self,
        req: TransferLeaderRequest<TypeConfig>,
        option: RPCOption,
    ) -> Result<TransferLeaderResponse<TypeConfig>, RPCError<TypeConfig>> {
        match self.rpc(RpcRequest::TransferLeader(req), &option).await? {
            RpcResponse::TransferLeader(r) => r.map_err(|e| remote(self.target, e)),
            other => Err(unexpected(self.target, other)),
        }
    }

    async fn full_snapshot(
        &mut self,
        vote: Vote,
        snapshot: Snapshot,
        cancel: impl Future<Output = ReplicationClosed> + OptionalSend + 'static,
        option: RPCOption,
    ) -> Result<SnapshotResponse<TypeConfig>, StreamingError<TypeConfig>> {
        let dir = snapshot.snapshot.0.clone();
        let files = snapshot_files(&dir).map_err(|e| StreamingError::Network(NetworkError::new(&e)))?;
        let req = RpcRequest::Snapshot {
            cluster_id: self.cluster_id.clone(),
            vote,
            meta: snapshot.meta.clone(),
            files: files.iter().map(|(n, s, _)| (n.clone(), *s)).collect(),
        };
        let send_files = |mut send: quinn::SendStream| async move {
            for (_, size, path) in files {
                let file = tokio::fs::File::open(&path).await?;
                let copied = tokio::io::copy(&mut file.take(size), &mut send).await?;
                if copied != size {
                    return Err(std::io::Error::other(format!("{} shrank while being sent", path.display())));
                }
            }
            send.flush().await?;
            Ok(send)
        };
        let call = self.transport.call_with(&self.addr, &req, option.hard_ttl(), send_files);
        tokio::select! {
            closed = cancel => Err(StreamingError::Closed(closed)),
            r = call => match r {
                Ok(RpcResponse::Snapshot(Ok(resp))) => Ok(resp),
                Ok(RpcResponse::Snapshot(Err(e))) => Err(StreamingError::Unreachable(Unreachable::from_string(e))),
                Ok(other) => Err(StreamingError::Network(NetworkError::from_string(format!("unexpected answer: {other:?}")))),
                Err(e @ CallError::Unreachable(..)) => Err(StreamingError::Unreachable(Unreachable::new(&e))),
                Err(e) => Err(StreamingError::Network(NetworkError::new(&e))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::{PeerCa, client_config, server_config};

    /// Answers every call with an echo of its kind.
    struct Echo;

    impl Handler for Echo {
        async fn handle(self: Arc<Self>, req: RpcRequest, _: &mut quinn::RecvStream) -> RpcResponse {
            RpcResponse::Invalid(format!("echo {req:?}"))
        }
    }

    fn transport(id: &crate::tls::PeerIdentity) -> Arc<Transport> {
        let t = Transport::bind("127.0.0.1:0".parse().unwrap(), server_config(id).unwrap(), client_config(id).unwrap())
            .unwrap();
        tokio::spawn(t.clone().serve(Arc::new(Echo)));
        t
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn peers_of_one_ca_talk_and_a_foreign_peer_is_refused() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let ca = PeerCa::generate().unwrap();
        let (a, b) = (transport(&ca.issue(1).unwrap()), transport(&ca.issue(2).unwrap()));
        let addr_a = a.local_addr().unwrap().to_string();
        match b.call(&addr_a, &RpcRequest::ReadIndex, Duration::from_secs(5)).await {
            Ok(RpcResponse::Invalid(echo)) => assert_eq!(echo, "echo ReadIndex"),
            other => panic!("a call between members failed: {other:?}"),
        }

        let stranger = transport(&PeerCa::generate().unwrap().issue(3).unwrap());
        let refused = stranger.call(&addr_a, &RpcRequest::ReadIndex, Duration::from_secs(5)).await;
        assert!(matches!(refused, Err(CallError::Unreachable(..))), "{refused:?}");
        // Nor does a member accept the stranger as a server.
        let addr_s = stranger.local_addr().unwrap().to_string();
        let refused = b.call(&addr_s, &RpcRequest::ReadIndex, Duration::from_secs(5)).await;
        assert!(matches!(refused, Err(CallError::Unreachable(..))), "{refused:?}");
    }
}
