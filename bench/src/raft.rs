//! The Raft benchmark: the same durable writes (puts and compare-and-swaps
//! through the `Store` trait, as the API layer issues them) against kubox on
//! one node and on three (in process, peers on loopback over QUIC, clients
//! spread over every node so that two thirds of the writes are forwarded to
//! the leader), and against a three-member etcd cluster (real etcd
//! processes, etcd's own client) in the same run; then the time from the
//! loss of the leader to the next acknowledged write, several times.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use kubox_raft::{NodeInfo, PeerCa, RaftNode, RaftOptions};
use kubox_storage::{PutRequest, Store, StoreOptions};

use crate::stats::Stats;
use crate::store::{self, Etcd, Target, Workload};

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Operations per row.
    pub ops: usize,
    /// Concurrent clients.
    pub clients: usize,
    /// Size of every value written.
    pub value_size: usize,
    /// The etcd binary, or `None` to measure kubox alone.
    pub etcd: Option<PathBuf>,
    /// How many times the leader is stopped to measure failover.
    pub failovers: usize,
}

/// One row of the report.
pub struct Row {
    /// The workload.
    pub workload: &'static str,
    /// kubox, one node.
    pub one: Stats,
    /// kubox, three nodes.
    pub three: Stats,
    /// etcd, three members.
    pub etcd: Option<Stats>,
}

/// The results.
pub struct Report {
    /// Throughput rows.
    pub rows: Vec<Row>,
    /// Failover times, in the order measured.
    pub failovers: Vec<Duration>,
    /// The etcd version measured.
    pub etcd_version: Option<String>,
}

/// An in-process kubox cluster.
struct Cluster {
    nodes: Vec<Option<Arc<RaftNode>>>,
    options: Vec<RaftOptions>,
    _dir: tempfile::TempDir,
}

fn options(dir: &std::path::Path, ca: &PeerCa, id: u64, bootstrap: bool) -> anyhow::Result<RaftOptions> {
    Ok(RaftOptions {
        data_dir: dir.join(format!("node{id}")),
        node_id: id,
        cluster_id: "bench".into(),
        node: NodeInfo { name: format!("node{id}"), raft_addr: "127.0.0.1:0".into(), api_url: String::new() },
        bind: "127.0.0.1:0".parse()?,
        identity: ca.issue(id)?,
        heartbeat_interval: Duration::from_millis(100),
        election_timeout: Duration::from_millis(600), // kubox serve's default
        request_timeout: Duration::from_secs(5),
        snapshot_count: 20_000,
        bootstrap,
        store: StoreOptions::default(),
    })
}

impl Cluster {
    async fn start(members: usize) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let ca = PeerCa::generate()?;
        let mut nodes: Vec<Option<Arc<RaftNode>>> = Vec::new();
        let mut all = Vec::new();
        for i in 0..members {
            let id = i as u64 + 1;
            let mut opts = options(dir.path(), &ca, id, i == 0)?;
            let node = RaftNode::start(opts.clone()).await?;
            // Restarts reuse the port the node got.
            opts.node.raft_addr = node.node_info().raft_addr.clone();
            opts.bind = opts.node.raft_addr.parse()?;
            if i > 0 {
                nodes[0]
                    .as_ref()
                    .map(Arc::clone)
                    .context("no first node")?
                    .add_member(id, node.node_info().clone())
                    .await?;
            }
            nodes.push(Some(node));
            all.push(opts);
        }
        Ok(Self { nodes, options: all, _dir: dir })
    }

    fn target(&self) -> Target {
        Target::Kubox(self.nodes.iter().flatten().map(|n| n.clone() as Arc<dyn Store>).collect())
    }

    async fn stop(&mut self) {
        for n in self.nodes.iter_mut() {
            if let Some(n) = n.take() {
                n.shutdown().await;
            }
        }
    }

    /// Stops the leader; returns the time until a write through another
    /// node is acknowledged, then brings the old leader back.
    async fn failover(&mut self, round: usize) -> anyhow::Result<Duration> {
        let leader = self.nodes.iter().position(|n| n.as_ref().is_some_and(|n| n.is_leader())).context("no leader")?;
        let other = self.nodes.iter().enumerate().find(|(i, n)| *i != leader && n.is_some()).context("no follower")?;
        let other = other.1.clone().context("no follower")?;
        let stopped = self.nodes[leader].take().context("no leader")?;
        let started = Instant::now();
        stopped.shutdown().await;
        drop(stopped);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let put = PutRequest::new(format!("/bench/failover/{round}/{attempt}"), Bytes::from_static(b"x"));
            if other.put(put).await.is_ok() {
                break;
            }
            anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "no write was acknowledged for 30 s");
        }
        let took = started.elapsed();
        let mut opts = self.options[leader].clone();
        opts.bootstrap = false;
        // The stopped node's socket is released once its last connection
        // has drained.
        let deadline = Instant::now() + Duration::from_secs(15);
        let back = loop {
            match RaftNode::start(opts.clone()).await {
                Ok(n) => break n,
                Err(e) if Instant::now() < deadline && format!("{e:#}").contains("in use") => {
                    tokio::time::sleep(Duration::from_millis(200)).await
                }
                Err(e) => return Err(e),
            }
        };
        back.linearize().await?;
        self.nodes[leader] = Some(back);
        Ok(took)
    }
}

/// Runs the rows and the failovers.
pub async fn run(cfg: &Config) -> anyhow::Result<Report> {
    let store_cfg = store::Config {
        ops: cfg.ops,
        clients: vec![cfg.clients],
        value_size: cfg.value_size,
        etcd: None,
        list_keys: 0,
    };
    let mut one = Cluster::start(1).await.context("starting one kubox node")?;
    let mut three = Cluster::start(3).await.context("starting three kubox nodes")?;
    let etcd = match &cfg.etcd {
        Some(bin) => {
            let members = Etcd::start_cluster(bin, 3).await?;
            let mut clients = Vec::new();
            for i in 0..cfg.clients {
                clients.push(etcd_client::Client::connect([&members[i % members.len()].endpoint], None).await?);
            }
            Some((members, Target::Etcd(clients), Etcd::version(bin)))
        }
        None => None,
    };
    let mut rows = Vec::new();
    for workload in [Workload::Put, Workload::Cas] {
        let one_stats =
            store::run_workload(&one.target(), workload, cfg.clients, &store_cfg).await.context("one node")?;
        let three_stats =
            store::run_workload(&three.target(), workload, cfg.clients, &store_cfg).await.context("three nodes")?;
        let etcd_stats = match &etcd {
            Some((_, target, _)) => {
                Some(store::run_workload(target, workload, cfg.clients, &store_cfg).await.context("etcd")?)
            }
            None => None,
        };
        rows.push(Row { workload: workload.name(), one: one_stats, three: three_stats, etcd: etcd_stats });
    }
    one.stop().await;
    let mut failovers = Vec::new();
    for round in 0..cfg.failovers {
        failovers.push(three.failover(round).await?);
    }
    three.stop().await;
    Ok(Report { rows, failovers, etcd_version: etcd.map(|(_, _, v)| v) })
}

/// The report as markdown.
pub fn markdown(report: &Report, clients: usize) -> String {
    use std::fmt::Write;
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    let mut out = String::new();
    let peer = report.etcd_version.clone().unwrap_or_else(|| "etcd (not run)".into());
    let _ = writeln!(
        out,
        "| workload ({clients} clients) | kubox 1 node | kubox 3 nodes | {peer}, 3 members | 3 nodes / 1 node | 3 nodes / etcd |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for r in &report.rows {
        let cell = |s: &Stats| format!("{:.0}/s, p99 {}", s.throughput(), ms(s.p99));
        let (etcd, vs_etcd) = match &r.etcd {
            Some(e) => (cell(e), format!("{:.2}×", r.three.throughput() / e.throughput().max(1e-9))),
            None => ("-".into(), "-".into()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {etcd} | {:.0}% | {vs_etcd} |",
            r.workload,
            cell(&r.one),
            cell(&r.three),
            100.0 * r.three.throughput() / r.one.throughput().max(1e-9)
        );
    }
    if !report.failovers.is_empty() {
        let mut sorted = report.failovers.clone();
        sorted.sort();
        let median = sorted[sorted.len() / 2];
        let all: Vec<String> = report.failovers.iter().map(|d| ms(*d)).collect();
        let _ = writeln!(
            out,
            "\nfailover (leader stopped → next acknowledged write through a follower): median {} over {} rounds ({})",
            ms(median),
            sorted.len(),
            all.join(", ")
        );
    }
    out
}
