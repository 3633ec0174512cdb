//! A kubox node's Raft: the log, the state machine, the transport, and the
//! [`Store`] the API layer uses. Every write is a Raft entry, on one node as
//! on many: a single node is a one-member cluster.
//!
//! - Writes on the leader go to `client_write`; on a follower they are
//!   forwarded to the leader, and answered once this node has applied the
//!   entry, so a client reads its own write on the node it talks to.
//! - Consistent reads (the latest revision) pass a read-index barrier: the
//!   leader confirms it still leads with a quorum heartbeat, and this node
//!   waits until it has applied up to the leader's commit index.
//! - Reads at a given revision, watches and lease lookups are served from the
//!   local state machine.
//! - Lease expiry is proposed by the leader alone, through the log.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use kubox_storage::{
    Command, CommandResult, KeyRange, LeaseGrantResponse, LeaseTimeToLiveResponse, RangeRequest, RangeResponse, Store,
    StoreError, StoreOptions, TxnRequest, TxnResponse, WatchRequest, WatchStream, now_ms,
};
use openraft::async_runtime::WatchReceiver;
use openraft::errors::{ClientWriteError, LinearizableReadError, RaftError};
use openraft::{ChangeMembers, Config, ReadPolicy, ServerState, SnapshotPolicy};

use crate::log_store::LogStore;
use crate::network::{CallError, ForwardError, Handler, NetworkFactory, RpcRequest, RpcResponse, Transport};
use crate::state_machine::StateMachineStore;
use crate::tls::{PeerIdentity, client_config, server_config};
use crate::types::{NodeId, NodeInfo, Request, Response, TypeConfig};

/// The Raft handle type.
pub type Raft = openraft::Raft<TypeConfig, StateMachineStore>;

/// How a node runs.
#[derive(Clone, Debug)]
pub struct RaftOptions {
    /// `DATA`: the log goes in `DATA/raft`, the store in `DATA/store`.
    pub data_dir: PathBuf,
    /// This node's id in its cluster.
    pub node_id: NodeId,
    /// The cluster's id (refuses snapshots from other clusters).
    pub cluster_id: String,
    /// This node, as its peers and clients reach it. A port 0 in
    /// `raft_addr` is replaced by the bound port.
    pub node: NodeInfo,
    /// Where the transport listens (UDP).
    pub bind: SocketAddr,
    /// The node's certificate and the cluster CA.
    pub identity: PeerIdentity,
    /// How often the leader sends heartbeats.
    pub heartbeat_interval: Duration,
    /// How long a follower waits without hearing from a leader before it
    /// stands for election (randomized up to twice this).
    pub election_timeout: Duration,
    /// How long a write or consistent read may wait for the cluster.
    pub request_timeout: Duration,
    /// Entries applied between snapshots (etcd's `--snapshot-count`); the
    /// log keeps half as many entries behind the newest snapshot, for
    /// followers that are only a little behind.
    pub snapshot_count: u64,
    /// Start a one-member cluster if this node belongs to none yet.
    pub bootstrap: bool,
    /// The store's tunables.
    pub store: StoreOptions,
}

/// What `kubox cluster status` shows of a node.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct NodeStatus {
    /// This node's id.
    pub id: NodeId,
    /// leader, follower, candidate or learner.
    pub role: String,
    /// The current term.
    pub term: u64,
    /// The leader this node knows of.
    pub leader: Option<NodeId>,
    /// The last log index.
    pub last_log_index: u64,
    /// The committed index.
    pub commit_index: u64,
    /// The applied index.
    pub applied_index: u64,
    /// The index of the newest snapshot.
    pub snapshot_index: u64,
    /// The store's revision.
    pub revision: i64,
    /// Members: id, node, and whether a voter.
    pub members: Vec<Member>,
}

/// A cluster member.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Member {
    /// Its id.
    pub id: NodeId,
    /// Where it is reached.
    pub node: NodeInfo,
    /// A voter (true) or a learner still catching up (false).
    pub voter: bool,
}

/// One node of a kubox cluster.
pub struct RaftNode {
    id: NodeId,
    cluster_id: String,
    node: NodeInfo,
    raft: Raft,
    sm: StateMachineStore,
    transport: Arc<Transport>,
    request_timeout: Duration,
    membership_lock: tokio::sync::Mutex<()>,
    next_lease: AtomicI64,
    closed: AtomicBool,
}

impl RaftNode {
    /// Opens the log and the store, binds the transport, starts Raft, and,
    /// for a one-member cluster, waits until it leads.
    pub async fn start(opts: RaftOptions) -> anyhow::Result<Arc<Self>> {
        let log = LogStore::open(&opts.data_dir.join("raft"))?;
        // The Raft log is the write-ahead log of the store.
        let store_options = StoreOptions { engine_wal: false, ..opts.store.clone() };
        let sm = StateMachineStore::open(&opts.data_dir.join("store"), store_options)?;
        let transport = Transport::bind(opts.bind, server_config(&opts.identity)?, client_config(&opts.identity)?)?;
        let mut node = opts.node.clone();
        if let Some((host, "0")) = node.raft_addr.rsplit_once(':') {
            node.raft_addr = format!("{host}:{}", transport.local_addr()?.port());
        }
        // Before Raft runs: a copy of a member's data directory must not
        // take part in its elections.
        let membership = sm.membership();
        let voters: BTreeSet<NodeId> = membership.voter_ids().collect();
        let recorded = membership.nodes().find(|(id, _)| **id == opts.node_id).map(|(_, n)| n.clone());
        if voters.len() > 1
            && let Some(r) = recorded.as_ref().filter(|r| r.raft_addr != node.raft_addr)
        {
            transport.close();
            sm.close();
            anyhow::bail!(
                "node {:x} is a member of its cluster at {}, but this process would serve it at {}: \
                 either this data directory was copied from another node (two nodes must never share an id), \
                 or the node moved (remove it with `kubox cluster remove` and join again with a fresh data directory)",
                opts.node_id,
                r.raft_addr,
                node.raft_addr
            );
        }
        let heartbeat = opts.heartbeat_interval.as_millis().max(1) as u64;
        let election = (opts.election_timeout.as_millis() as u64).max(heartbeat * 2);
        let config = Config {
            cluster_name: opts.cluster_id.clone(),
            heartbeat_interval: heartbeat,
            election_timeout_min: election,
            election_timeout_max: election * 3 / 2,
            install_snapshot_timeout: 120_000,
            snapshot_policy: SnapshotPolicy::LogsSinceLast(opts.snapshot_count.max(1)),
            max_in_snapshot_log_to_keep: opts.snapshot_count / 2,
            enable_pre_vote: Some(true),
            ..Default::default()
        }
        .validate()?;
        let network = NetworkFactory { transport: transport.clone(), cluster_id: opts.cluster_id.clone() };
        let raft = Raft::new(opts.node_id, Arc::new(config), network, log, sm.clone()).await?;
        let this = Arc::new(Self {
            id: opts.node_id,
            cluster_id: opts.cluster_id.clone(),
            node: node.clone(),
            raft: raft.clone(),
            sm,
            transport: transport.clone(),
            request_timeout: opts.request_timeout,
            membership_lock: tokio::sync::Mutex::new(()),
            next_lease: AtomicI64::new(0),
            closed: AtomicBool::new(false),
        });
        tokio::spawn(transport.serve(this.clone()));
        if opts.bootstrap && !raft.is_initialized().await? {
            raft.initialize(BTreeMap::from([(opts.node_id, node.clone())])).await?;
            tracing::info!(node = opts.node_id, "started a new cluster of one");
        }
        if voters.len() == 1 && voters.contains(&opts.node_id) {
            // The only voter need not wait out an election timeout.
            raft.trigger().elect(false).await?;
            this.wait_leader(opts.request_timeout).await?;
            if recorded.as_ref().is_some_and(|r| *r != node) {
                // A lone node may move (a new port, a new address); the
                // membership follows, so that nodes joining later find it.
                raft.change_membership(ChangeMembers::SetNodes(BTreeMap::from([(opts.node_id, node.clone())])), false)
                    .await
                    .map_err(|e| anyhow::anyhow!("recording this node's new address: {e}"))?;
            }
        }
        tokio::spawn(expire_leases(Arc::downgrade(&this), opts.store.lease_check_interval));
        Ok(this)
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// This node as peers reach it (with the bound raft port).
    pub fn node_info(&self) -> &NodeInfo {
        &self.node
    }

    /// The cluster's id.
    pub fn cluster_id(&self) -> &str {
        &self.cluster_id
    }

    /// Whether this node leads right now.
    pub fn is_leader(&self) -> bool {
        self.raft.is_leader()
    }

    /// The Raft handle.
    pub fn raft(&self) -> &Raft {
        &self.raft
    }

    async fn wait_leader(&self, timeout: Duration) -> anyhow::Result<()> {
        let mut metrics = self.raft.metrics();
        let wait = async {
            loop {
                if metrics.borrow_watched().current_leader.is_some() {
                    return;
                }
                if metrics.changed().await.is_err() {
                    return;
                }
            }
        };
        tokio::time::timeout(timeout, wait).await.map_err(|_| anyhow::anyhow!("no leader elected within {timeout:?}"))
    }

    /// The node's Raft state and the members.
    pub fn status(&self) -> NodeStatus {
        let m = self.raft.metrics().borrow_watched().clone();
        let membership = m.membership_config.membership();
        let voters: BTreeSet<NodeId> = membership.voter_ids().collect();
        NodeStatus {
            id: self.id,
            role: match m.state {
                ServerState::Leader => "leader",
                ServerState::Follower => "follower",
                ServerState::Candidate => "candidate",
                ServerState::Learner => "learner",
                ServerState::Shutdown => "shutdown",
            }
            .into(),
            term: m.current_term,
            leader: m.current_leader,
            last_log_index: m.last_log_index.unwrap_or(0),
            commit_index: m.local_committed.as_ref().map_or(0, |l| l.index()),
            applied_index: m.last_applied.as_ref().map_or(0, |l| l.index()),
            snapshot_index: m.snapshot.as_ref().map_or(0, |l| l.index()),
            revision: self.sm.reader().committed(),
            members: membership
                .nodes()
                .map(|(id, n)| Member { id: *id, node: n.clone(), voter: voters.contains(id) })
                .collect(),
        }
    }

    /// The leader's id and address, if one is known.
    fn leader(&self) -> Option<(NodeId, NodeInfo)> {
        // Read in place: this runs for every forwarded write and read, and
        // the guard is never held across an await.
        let metrics = self.raft.metrics();
        let m = metrics.borrow_watched();
        let id = m.current_leader?;
        let node = m.membership_config.membership().get_node(&id)?.clone();
        Some((id, node))
    }

    fn check_open(&self) -> Result<(), StoreError> {
        if self.closed.load(Ordering::SeqCst) { Err(StoreError::Closed) } else { Ok(()) }
    }

    /// Applies `cmd` through the log, on the leader or forwarded to it, and
    /// returns once this node has applied it.
    pub async fn propose(&self, cmd: Command) -> Result<CommandResult, StoreError> {
        self.check_open()?;
        let deadline = tokio::time::Instant::now() + self.request_timeout;
        match tokio::time::timeout_at(deadline, self.propose_inner(cmd, deadline)).await {
            Ok(r) => r,
            Err(_) => Err(timeout_error()),
        }
    }

    async fn propose_inner(&self, cmd: Command, deadline: tokio::time::Instant) -> Result<CommandResult, StoreError> {
        loop {
            if self.raft.is_leader() {
                match self.raft.client_write(Request(cmd.clone())).await {
                    Ok(resp) => return unwrap_response(resp.data),
                    Err(RaftError::APIError(ClientWriteError::ForwardToLeader(_))) => {}
                    Err(RaftError::APIError(ClientWriteError::LogEntryDiscarded(_))) => return Err(timeout_error()),
                    Err(e) => return Err(StoreError::Unavailable(format!("raft: {e}"))),
                }
            }
            let Some(node) = self.remote_leader(deadline).await else { continue };
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.transport.call(&node.raft_addr, &RpcRequest::Write(cmd.clone()), left).await {
                Ok(RpcResponse::Write(Ok((resp, index)))) => {
                    self.wait_applied(index).await?;
                    return unwrap_response(resp);
                }
                Ok(RpcResponse::Write(Err(ForwardError::Store(e)))) => return Err(e),
                Ok(RpcResponse::Write(Err(ForwardError::NotLeader(_)))) => wait_a_little(deadline).await,
                Ok(other) => {
                    return Err(StoreError::Unavailable(format!("unexpected answer from the leader: {other:?}")));
                }
                // Never sent: try again, the leader may have moved.
                Err(CallError::Unreachable(..)) => wait_a_little(deadline).await,
                // Sent, outcome unknown: a retry could apply it twice.
                Err(CallError::Failed(..)) => return Err(timeout_error()),
            }
        }
    }

    /// The leader, if it is another node; otherwise (none known, or this
    /// node while its leadership settles) waits a little and returns None.
    async fn remote_leader(&self, deadline: tokio::time::Instant) -> Option<NodeInfo> {
        match self.leader() {
            Some((leader, node)) if leader != self.id => Some(node),
            _ => {
                wait_a_little(deadline).await;
                None
            }
        }
    }

    /// Waits until this node has applied the entry at `index`.
    async fn wait_applied(&self, index: u64) -> Result<(), StoreError> {
        let mut applied = self.sm.applied();
        applied.wait_for(|a| *a >= index).await.map(|_| ()).map_err(|_| StoreError::Closed)
    }

    /// The read-index barrier: returns once this node has applied every
    /// entry committed before the call (confirmed by the leader's quorum).
    pub async fn linearize(&self) -> Result<(), StoreError> {
        self.check_open()?;
        let deadline = tokio::time::Instant::now() + self.request_timeout;
        match tokio::time::timeout_at(deadline, self.linearize_inner(deadline)).await {
            Ok(r) => r,
            Err(_) => Err(timeout_error()),
        }
    }

    async fn linearize_inner(&self, deadline: tokio::time::Instant) -> Result<(), StoreError> {
        loop {
            if self.raft.is_leader() {
                match self.read_index_here().await {
                    Ok(index) => return self.wait_applied(index).await,
                    Err(ForwardError::NotLeader(_)) => {}
                    Err(ForwardError::Store(e)) => return Err(e),
                }
            }
            let Some(node) = self.remote_leader(deadline).await else { continue };
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.transport.call(&node.raft_addr, &RpcRequest::ReadIndex, left).await {
                Ok(RpcResponse::ReadIndex(Ok(index))) => return self.wait_applied(index).await,
                Ok(RpcResponse::ReadIndex(Err(ForwardError::Store(e)))) => return Err(e),
                Ok(_) | Err(_) => wait_a_little(deadline).await,
            }
        }
    }

    /// The leader's read index: confirms leadership with a quorum.
    async fn read_index_here(&self) -> Result<u64, ForwardError> {
        match self.raft.get_read_linearizer(ReadPolicy::ReadIndex).await {
            Ok(l) => Ok(l.read_log_id().index()),
            Err(RaftError::APIError(LinearizableReadError::ForwardToLeader(_))) => Err(ForwardError::NotLeader(None)),
            Err(e) => Err(ForwardError::Store(StoreError::Unavailable(format!("raft: {e}")))),
        }
    }

    /// Adds a node: as a learner until it has caught up, then as a voter.
    /// Runs on the leader (forwarded there otherwise); one change at a time.
    pub async fn add_member(&self, id: NodeId, node: NodeInfo) -> Result<(), StoreError> {
        self.on_leader(RpcRequest::AddMember { id, node: node.clone() }, async {
            let _one = self.membership_lock.lock().await;
            let voters: BTreeSet<NodeId> = self.raft.voter_ids().collect();
            let status = self.status();
            if let Some(m) = status.members.iter().find(|m| m.id == id && m.node.raft_addr != node.raft_addr) {
                return Err(StoreError::InvalidArgument(format!(
                    "node id {id:x} is already a member at {}; two nodes must never share an id",
                    m.node.raft_addr
                )));
            }
            if voters.contains(&id) {
                return Ok(());
            }
            self.raft.add_learner(id, node.clone(), true).await.map_err(membership_error)?;
            self.raft
                .change_membership(ChangeMembers::AddVoterIds(BTreeSet::from([id])), false)
                .await
                .map_err(membership_error)?;
            tracing::info!(node = id, %node, "added a voting member");
            Ok(())
        })
        .await
    }

    /// Removes a member (voter or learner).
    pub async fn remove_member(&self, id: NodeId) -> Result<(), StoreError> {
        self.on_leader(RpcRequest::RemoveMember { id }, async {
            let _one = self.membership_lock.lock().await;
            let voters: BTreeSet<NodeId> = self.raft.voter_ids().collect();
            let learners: BTreeSet<NodeId> = self.raft.learner_ids().collect();
            if !voters.contains(&id) && !learners.contains(&id) {
                return Err(StoreError::InvalidArgument(format!("node {id:x} is not a member")));
            }
            if voters.contains(&id) && voters.len() == 1 {
                return Err(StoreError::InvalidArgument("cannot remove the last voting member".into()));
            }
            let change = if voters.contains(&id) {
                ChangeMembers::RemoveVoters(BTreeSet::from([id]))
            } else {
                ChangeMembers::RemoveNodes(BTreeSet::from([id]))
            };
            self.raft.change_membership(change, false).await.map_err(membership_error)?;
            tracing::info!(node = id, "removed a member");
            Ok(())
        })
        .await
    }

    async fn on_leader(
        &self,
        forward: RpcRequest,
        here: impl Future<Output = Result<(), StoreError>>,
    ) -> Result<(), StoreError> {
        if self.raft.is_leader() {
            return here.await;
        }
        let (_, node) = self.leader().ok_or_else(|| StoreError::Unavailable("no raft leader is known".into()))?;
        match self.transport.call(&node.raft_addr, &forward, Duration::from_secs(600)).await {
            Ok(RpcResponse::Member(Ok(()))) => Ok(()),
            Ok(RpcResponse::Member(Err(ForwardError::NotLeader(_)))) => {
                Err(StoreError::Unavailable("leadership moved; try again".into()))
            }
            Ok(RpcResponse::Member(Err(ForwardError::Store(e)))) => Err(e),
            Ok(other) => Err(StoreError::Unavailable(format!("the leader answered {other:?}"))),
            Err(e) => Err(StoreError::Unavailable(e.to_string())),
        }
    }

    /// For a node that has just joined: asks `peer` (any member; it passes
    /// the request to the leader) to add this node, and waits until it is a
    /// voting member. Retries while the peer is unreachable.
    pub async fn ask_to_join(&self, peer: &str) -> Result<(), StoreError> {
        let req = RpcRequest::AddMember { id: self.id, node: self.node.clone() };
        let give_up = tokio::time::Instant::now() + Duration::from_secs(600);
        loop {
            match self.transport.call(peer, &req, Duration::from_secs(600)).await {
                Ok(RpcResponse::Member(Ok(()))) => break,
                Ok(RpcResponse::Member(Err(ForwardError::Store(e)))) => return Err(e),
                Ok(RpcResponse::Member(Err(ForwardError::NotLeader(_)))) | Err(CallError::Unreachable(..))
                    if tokio::time::Instant::now() < give_up =>
                {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Ok(other) => return Err(StoreError::Unavailable(format!("{peer} answered {other:?}"))),
                Err(e) => return Err(StoreError::Unavailable(e.to_string())),
            }
        }
        // The change is committed on the leader; wait until this node has
        // applied it too, so that it serves what it has joined.
        self.linearize().await
    }

    /// The readiness check: a leader is known and confirms, through a quorum,
    /// that this node is up to date.
    pub async fn ready(&self) -> Result<(), String> {
        if self.leader().is_none() {
            return Err("no raft leader is known: this node cannot reach a quorum of its cluster".into());
        }
        self.linearize().await.map_err(|e| format!("raft: {e}"))
    }

    /// Stops Raft and the transport and closes the store.
    pub async fn shutdown(&self) {
        if self.closed.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Err(err) = self.raft.shutdown().await {
            tracing::warn!(%err, "raft did not shut down cleanly");
        }
        self.transport.close();
        self.sm.close();
    }

    fn new_lease_id(&self) -> i64 {
        let n = self.next_lease.fetch_add(1, Ordering::Relaxed);
        // The node id's low bits keep two nodes' choices in the same
        // millisecond apart.
        ((now_ms() << 16) | ((self.id as i64 & 0xff) << 8) | (n & 0xff)) & i64::MAX
    }
}

fn timeout_error() -> StoreError {
    StoreError::Timeout("request timed out: the cluster did not answer (no quorum reachable)".into())
}

fn membership_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("membership change failed: {e}"))
}

fn unwrap_response(resp: Response) -> Result<CommandResult, StoreError> {
    resp.0.unwrap_or_else(|| Err(StoreError::InvalidArgument("the entry carried no command".into())))
}

async fn wait_a_little(deadline: tokio::time::Instant) {
    tokio::time::sleep_until(deadline.min(tokio::time::Instant::now() + Duration::from_millis(20))).await;
}

/// On the leader, revokes leases whose time has come.
async fn expire_leases(node: std::sync::Weak<RaftNode>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let Some(n) = node.upgrade() else { return };
        if n.closed.load(Ordering::SeqCst) {
            return;
        }
        if !n.raft.is_leader() {
            continue;
        }
        for id in n.sm.reader().expired_leases(now_ms()) {
            match n.propose(Command::LeaseRevoke { id }).await {
                Ok(_) => tracing::debug!(lease = id, "lease expired"),
                Err(StoreError::LeaseNotFound(_)) => {}
                Err(err) => tracing::warn!(%err, lease = id, "revoking an expired lease failed"),
            }
        }
    }
}

impl Handler for RaftNode {
    async fn handle(self: Arc<Self>, req: RpcRequest, recv: &mut quinn::RecvStream) -> RpcResponse {
        let raft = &self.raft;
        match req {
            RpcRequest::Append(r) => RpcResponse::Append(raft.append_entries(r).await.map_err(|e| e.to_string())),
            RpcRequest::Vote(r) => RpcResponse::Vote(raft.vote(r).await.map_err(|e| e.to_string())),
            RpcRequest::PreVote(r) => RpcResponse::Vote(raft.pre_vote(r).await.map_err(|e| e.to_string())),
            RpcRequest::TransferLeader(r) => {
                RpcResponse::TransferLeader(raft.handle_transfer_leader(r).await.map_err(|e| e.to_string()))
            }
            RpcRequest::Snapshot { cluster_id, vote, meta, files } => {
                if cluster_id != self.cluster_id {
                    return RpcResponse::Snapshot(Err(format!(
                        "snapshot from cluster {cluster_id} refused: this node belongs to cluster {}",
                        self.cluster_id
                    )));
                }
                let dir = self.sm_dir().join("snapshots").join(format!("incoming-{}", now_ms()));
                let received = crate::network::receive_snapshot(recv, &dir, &meta, &files).await;
                let result = match received {
                    Ok(snapshot) => raft.install_full_snapshot(vote, snapshot).await.map_err(|e| e.to_string()),
                    Err(e) => Err(format!("receiving the snapshot: {e}")),
                };
                let _ = tokio::fs::remove_dir_all(&dir).await;
                RpcResponse::Snapshot(result)
            }
            RpcRequest::Write(cmd) => {
                if !raft.is_leader() {
                    return RpcResponse::Write(Err(ForwardError::NotLeader(self.leader())));
                }
                RpcResponse::Write(match raft.client_write(Request(cmd)).await {
                    Ok(resp) => Ok((resp.data, resp.log_id.index())),
                    Err(RaftError::APIError(ClientWriteError::ForwardToLeader(_))) => {
                        Err(ForwardError::NotLeader(self.leader()))
                    }
                    Err(RaftError::APIError(ClientWriteError::LogEntryDiscarded(_))) => {
                        Err(ForwardError::Store(timeout_error()))
                    }
                    Err(e) => Err(ForwardError::Store(StoreError::Unavailable(format!("raft: {e}")))),
                })
            }
            RpcRequest::ReadIndex => RpcResponse::ReadIndex(self.read_index_here().await),
            // Passed on to the leader if this node is not it.
            RpcRequest::AddMember { id, node } => {
                RpcResponse::Member(self.add_member(id, node).await.map_err(ForwardError::Store))
            }
            RpcRequest::RemoveMember { id } => {
                RpcResponse::Member(self.remove_member(id).await.map_err(ForwardError::Store))
            }
        }
    }
}

impl RaftNode {
    fn sm_dir(&self) -> PathBuf {
        self.sm.dir().to_path_buf()
    }
}

#[async_trait]
impl Store for RaftNode {
    async fn range(&self, req: RangeRequest) -> Result<RangeResponse, StoreError> {
        if req.revision <= 0 {
            self.linearize().await?;
        } else {
            self.check_open()?;
        }
        let reader = self.sm.reader();
        tokio::task::spawn_blocking(move || reader.range(&req))
            .await
            .map_err(|e| StoreError::Io(format!("read task failed: {e}")))?
    }

    async fn txn(&self, req: TxnRequest) -> Result<TxnResponse, StoreError> {
        self.propose(Command::Txn(req)).await?.into_txn()
    }

    async fn watch(&self, req: WatchRequest) -> Result<WatchStream, StoreError> {
        self.check_open()?;
        self.sm.reader().watch(req)
    }

    async fn compact(&self, revision: i64) -> Result<i64, StoreError> {
        self.propose(Command::Compact { revision }).await?.into_compact()
    }

    async fn current_revision(&self) -> Result<i64, StoreError> {
        self.linearize().await?;
        Ok(self.sm.reader().committed())
    }

    async fn lease_grant(&self, id: i64, ttl: i64) -> Result<LeaseGrantResponse, StoreError> {
        kubox_storage::grant_lease(id, ttl, || self.new_lease_id(), |c| self.propose(c)).await
    }

    async fn lease_revoke(&self, id: i64) -> Result<i64, StoreError> {
        self.propose(Command::LeaseRevoke { id }).await?.into_lease_revoke()
    }

    async fn lease_keep_alive(&self, id: i64) -> Result<i64, StoreError> {
        let ttl = self.sm.reader().lease_ttl(id).ok_or(StoreError::LeaseNotFound(id))?;
        self.propose(Command::keep_alive(id, ttl)).await?.into_lease_keep_alive()
    }

    async fn lease_time_to_live(&self, id: i64, keys: bool) -> Result<LeaseTimeToLiveResponse, StoreError> {
        self.check_open()?;
        self.sm.reader().lease_time_to_live(id, keys, now_ms())
    }

    async fn leases(&self) -> Result<Vec<i64>, StoreError> {
        self.check_open()?;
        Ok(self.sm.reader().leases())
    }

    async fn health(&self) -> Result<(), StoreError> {
        self.check_open()?;
        if let Some(err) = self.sm.reader().write_error() {
            return Err(err);
        }
        self.linearize().await?;
        let reader = self.sm.reader();
        tokio::task::spawn_blocking(move || reader.range(&RangeRequest::new(KeyRange::key("health")).limit(1)))
            .await
            .map_err(|e| StoreError::Io(format!("read task failed: {e}")))?
            .map(|_| ())
    }
}
