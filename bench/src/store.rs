//! The store benchmark: the same workloads against kubox's store (in
//! process, through the `Store` trait, as kubox's API layer uses it) and
//! against etcd (a real etcd process on loopback, through etcd's own v3 gRPC
//! client, as kube-apiserver uses it). Writes are durable on both sides.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use futures::StreamExt;
use kubox_storage::{
    Compare, CompareOp, CompareTarget, KeyRange, LocalStore, PutRequest, RangeRequest, RequestOp, Store, StoreOptions,
    TxnRequest, WatchMessage, WatchRequest,
};

use crate::stats::{Row, Stats};

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Operations per workload and client count (split among the clients).
    pub ops: usize,
    /// The client counts to run each workload at.
    pub clients: Vec<usize>,
    /// Size of every value written.
    pub value_size: usize,
    /// The etcd binary, or `None` to measure kubox alone.
    pub etcd: Option<PathBuf>,
    /// Keys under the prefix that the list workload reads.
    pub list_keys: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self { ops: 4000, clients: vec![1, 16], value_size: 1024, etcd: Some("/usr/bin/etcd".into()), list_keys: 1000 }
    }
}

/// Longest a single workload may run, whatever `ops` says.
const WORKLOAD_DEADLINE: Duration = Duration::from_secs(60);

/// One kind of load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Put a new key.
    Put,
    /// Read one key.
    Get,
    /// Read every key under a prefix of `list_keys` keys.
    Range,
    /// Compare a key's mod revision and write it.
    Cas,
    /// Put a key and wait for a watcher of its prefix to receive it.
    Watch,
}

impl Workload {
    /// Every workload, in report order.
    pub const ALL: [Workload; 5] = [Workload::Put, Workload::Get, Workload::Range, Workload::Cas, Workload::Watch];

    /// How the report names it.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Put => "put",
            Workload::Get => "get (1 key)",
            Workload::Range => "range (prefix)",
            Workload::Cas => "txn (compare-and-swap)",
            Workload::Watch => "watch delivery",
        }
    }
}

/// A store under test: kubox's (one or more nodes; client `i` uses node
/// `i % n`) or etcd's (one connection per client).
#[derive(Clone)]
pub(crate) enum Target {
    Kubox(Vec<Arc<dyn Store>>),
    Etcd(Vec<etcd_client::Client>),
}

impl Target {
    fn kubox(&self, client: usize) -> Option<&Arc<dyn Store>> {
        match self {
            Target::Kubox(s) => s.get(client % s.len()),
            Target::Etcd(_) => None,
        }
    }

    async fn put(&self, client: usize, key: String, value: Bytes) -> anyhow::Result<i64> {
        match self {
            Target::Kubox(_) => Ok(self.kubox(client).context("no node")?.put(PutRequest::new(key, value)).await?.0),
            Target::Etcd(c) => {
                let resp = c[client].clone().put(key, value.to_vec(), None).await?;
                Ok(resp.header().map_or(0, |h| h.revision()))
            }
        }
    }

    async fn get(&self, client: usize, key: &str) -> anyhow::Result<usize> {
        match self {
            Target::Kubox(_) => Ok(self
                .kubox(client)
                .context("no node")?
                .get(Bytes::copy_from_slice(key.as_bytes()))
                .await?
                .map_or(0, |kv| kv.value.len())),
            Target::Etcd(c) => {
                let resp = c[client].clone().get(key, None).await?;
                Ok(resp.kvs().first().map_or(0, |kv| kv.value().len()))
            }
        }
    }

    async fn list(&self, client: usize, prefix: &str) -> anyhow::Result<usize> {
        match self {
            Target::Kubox(_) => Ok(self
                .kubox(client)
                .context("no node")?
                .range(RangeRequest::new(KeyRange::prefix(prefix.to_string())))
                .await?
                .kvs
                .len()),
            Target::Etcd(c) => {
                let opts = etcd_client::GetOptions::new().with_prefix();
                Ok(c[client].clone().get(prefix, Some(opts)).await?.kvs().len())
            }
        }
    }

    /// Compare-and-swap on mod revision; returns the new revision.
    async fn cas(&self, client: usize, key: &str, expect: i64, value: Bytes) -> anyhow::Result<Option<i64>> {
        match self {
            Target::Kubox(_) => {
                let s = self.kubox(client).context("no node")?;
                let txn = TxnRequest {
                    compare: vec![Compare::new(key.to_string(), CompareOp::Equal, CompareTarget::ModRevision(expect))],
                    success: vec![RequestOp::Put(PutRequest::new(key.to_string(), value))],
                    failure: vec![RequestOp::Range(RangeRequest::new(KeyRange::key(key.to_string())))],
                };
                let resp = s.txn(txn).await?;
                Ok(resp.succeeded.then_some(resp.header_revision))
            }
            Target::Etcd(c) => {
                use etcd_client::{Compare as C, CompareOp as Op, Txn, TxnOp};
                let txn = Txn::new()
                    .when([C::mod_revision(key, Op::Equal, expect)])
                    .and_then([TxnOp::put(key, value.to_vec(), None)])
                    .or_else([TxnOp::get(key, None)]);
                let resp = c[client].clone().txn(txn).await?;
                Ok(resp.succeeded().then(|| resp.header().map_or(0, |h| h.revision())))
            }
        }
    }
}

/// A running etcd, stopped on drop.
pub(crate) struct Etcd {
    child: Child,
    pub(crate) endpoint: String,
    _dir: tempfile::TempDir,
}

impl Etcd {
    async fn start(binary: &Path) -> anyhow::Result<Self> {
        Ok(Self::start_cluster(binary, 1).await?.remove(0))
    }

    /// Starts an etcd cluster of `members` on loopback and waits until it
    /// serves.
    pub(crate) async fn start_cluster(binary: &Path, members: usize) -> anyhow::Result<Vec<Self>> {
        let ports: Vec<(u16, u16)> =
            (0..members).map(|_| Ok((free_port()?, free_port()?))).collect::<anyhow::Result<_>>()?;
        let peer = |i: usize| format!("http://127.0.0.1:{}", ports[i].1);
        let initial = (0..members).map(|i| format!("bench{i}={}", peer(i))).collect::<Vec<_>>().join(",");
        let mut out = Vec::new();
        for (i, (client_port, _)) in ports.iter().enumerate() {
            let dir = tempfile::tempdir()?;
            let endpoint = format!("http://127.0.0.1:{client_port}");
            let log = std::fs::File::create(dir.path().join("etcd.log"))?;
            let child = Command::new(binary)
                .args(["--name", &format!("bench{i}"), "--data-dir"])
                .arg(dir.path().join("data"))
                .args(["--listen-client-urls", &endpoint, "--advertise-client-urls", &endpoint])
                .args(["--listen-peer-urls", &peer(i), "--initial-advertise-peer-urls", &peer(i)])
                .args(["--initial-cluster", &initial, "--initial-cluster-state", "new"])
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .with_context(|| format!("starting {} (apt-get install etcd-server)", binary.display()))?;
            out.push(Self { child, endpoint, _dir: dir });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        for etcd in &out {
            loop {
                if let Ok(mut c) = etcd_client::Client::connect([&etcd.endpoint], None).await
                    && c.get("health", None).await.is_ok()
                {
                    break;
                }
                if Instant::now() > deadline {
                    bail!("etcd did not become ready at {}", etcd.endpoint);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Ok(out)
    }

    /// The etcd version, as `etcd --version` prints it.
    pub(crate) fn version(binary: &Path) -> String {
        Command::new(binary)
            .arg("--version")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.lines().next().map(|l| l.trim().to_string()))
            .unwrap_or_else(|| "etcd".into())
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        // SAFETY: kill(2) on our own child's pid has no memory effects.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The results of a run.
pub struct Report {
    /// One row per workload and client count.
    pub rows: Vec<Row>,
    /// The name of the peer measured, if any.
    pub peer: Option<String>,
}

/// Runs every workload against kubox and, if configured, against etcd.
pub async fn run(cfg: &Config) -> anyhow::Result<Report> {
    let kubox_dir = tempfile::tempdir()?;
    let store = Arc::new(LocalStore::open(kubox_dir.path(), StoreOptions::default())?);
    let kubox = Target::Kubox(vec![store.clone() as Arc<dyn Store>]);
    let etcd = match &cfg.etcd {
        Some(bin) => {
            let etcd = Etcd::start(bin).await?;
            let max_clients = cfg.clients.iter().copied().max().unwrap_or(1);
            let mut clients = Vec::with_capacity(max_clients);
            for _ in 0..max_clients {
                clients.push(etcd_client::Client::connect([&etcd.endpoint], None).await?);
            }
            Some((etcd, Target::Etcd(clients), Etcd::version(bin)))
        }
        None => None,
    };

    let mut rows = Vec::new();
    for workload in Workload::ALL {
        for &clients in &cfg.clients {
            let kubox_stats = run_workload(&kubox, workload, clients, cfg).await.context("kubox")?;
            let etcd_stats = match &etcd {
                Some((_, target, _)) => Some(run_workload(target, workload, clients, cfg).await.context("etcd")?),
                None => None,
            };
            rows.push(Row { workload: workload.name().to_string(), clients, kubox: kubox_stats, peer: etcd_stats });
        }
    }
    store.close();
    Ok(Report { rows, peer: etcd.map(|(_, _, v)| v) })
}

pub(crate) async fn run_workload(
    target: &Target,
    workload: Workload,
    clients: usize,
    cfg: &Config,
) -> anyhow::Result<Stats> {
    let value = Bytes::from(vec![b'v'; cfg.value_size]);
    let per_client = cfg.ops.div_ceil(clients);
    // Data the reads need.
    match workload {
        Workload::Get => {
            target.put(0, "/bench/get/key".into(), value.clone()).await?;
        }
        Workload::Range => {
            if target.list(0, "/bench/list/").await? < cfg.list_keys {
                for i in 0..cfg.list_keys {
                    target.put(0, format!("/bench/list/{i:05}"), value.clone()).await?;
                }
            }
        }
        Workload::Watch => return watch_delivery(target, clients, per_client, cfg.value_size).await,
        Workload::Put | Workload::Cas => {}
    }
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let target = target.clone();
        let value = value.clone();
        let list_keys = cfg.list_keys;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_client);
            let cas_key = format!("/bench/cas/{client}");
            let mut cas_rev = match workload {
                Workload::Cas => target.put(client, cas_key.clone(), value.clone()).await?,
                _ => 0,
            };
            for i in 0..per_client {
                if started.elapsed() > WORKLOAD_DEADLINE {
                    break;
                }
                let t = Instant::now();
                match workload {
                    Workload::Put => {
                        target.put(client, format!("/bench/put/{client}/{i}"), value.clone()).await?;
                    }
                    Workload::Get => {
                        if target.get(client, "/bench/get/key").await? == 0 {
                            bail!("the key to read is missing");
                        }
                    }
                    Workload::Range => {
                        let n = target.list(client, "/bench/list/").await?;
                        if n != list_keys {
                            bail!("listed {n} keys, expected {list_keys}");
                        }
                    }
                    Workload::Cas => match target.cas(client, &cas_key, cas_rev, value.clone()).await? {
                        Some(rev) => cas_rev = rev,
                        None => bail!("compare-and-swap on an uncontended key failed"),
                    },
                    Workload::Watch => bail!("the watch workload has its own driver"),
                }
                latencies.push(t.elapsed());
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await??);
    }
    Ok(Stats::new(latencies, started.elapsed()))
}

/// Time from the start of a put to the moment a watcher of the prefix holds
/// the event, with `clients` writers.
async fn watch_delivery(
    target: &Target,
    clients: usize,
    per_client: usize,
    value_size: usize,
) -> anyhow::Result<Stats> {
    let base = Instant::now();
    let prefix = format!("/bench/watch/{clients}/");
    let total = per_client * clients;
    let stamp = move |value: &[u8]| -> Option<Duration> {
        let nanos = u64::from_le_bytes(value.get(..8)?.try_into().ok()?);
        Some(base.elapsed().saturating_sub(Duration::from_nanos(nanos)))
    };
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let watcher: tokio::task::JoinHandle<anyhow::Result<Vec<Duration>>> = match target {
        Target::Kubox(s) => {
            let mut w =
                s[0].watch(WatchRequest { range: KeyRange::prefix(prefix.clone()), ..Default::default() }).await?;
            let _ = ready_tx.send(());
            tokio::spawn(async move {
                let mut out = Vec::with_capacity(total);
                while out.len() < total {
                    match tokio::time::timeout(WORKLOAD_DEADLINE, w.next()).await {
                        Ok(Some(Ok(WatchMessage::Events(evs)))) => {
                            out.extend(evs.iter().filter_map(|e| stamp(&e.kv.value)))
                        }
                        Ok(Some(Ok(WatchMessage::Progress(_)))) => {}
                        other => bail!("kubox watch ended early: {other:?}"),
                    }
                }
                Ok(out)
            })
        }
        Target::Etcd(c) => {
            let opts = etcd_client::WatchOptions::new().with_prefix();
            let mut w = c[0].clone().watch(prefix.clone(), Some(opts)).await?;
            // The first response confirms the watch was created.
            w.message().await?;
            let _ = ready_tx.send(());
            tokio::spawn(async move {
                let mut out = Vec::with_capacity(total);
                while out.len() < total {
                    match tokio::time::timeout(WORKLOAD_DEADLINE, w.message()).await {
                        Ok(Ok(Some(resp))) => {
                            out.extend(resp.events().iter().filter_map(|e| e.kv().and_then(|kv| stamp(kv.value()))))
                        }
                        other => bail!("etcd watch ended early: {other:?}"),
                    }
                }
                Ok(out)
            })
        }
    };
    ready_rx.await?;
    let started = Instant::now();
    let mut writers = Vec::new();
    for client in 0..clients {
        let target = target.clone();
        let prefix = prefix.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..per_client {
                let mut value = vec![b'w'; value_size.max(8)];
                value[..8].copy_from_slice(&(base.elapsed().as_nanos() as u64).to_le_bytes());
                target.put(client, format!("{prefix}{client}/{i}"), Bytes::from(value)).await?;
            }
            anyhow::Ok(())
        }));
    }
    for w in writers {
        w.await??;
    }
    let latencies = watcher.await??;
    Ok(Stats::new(latencies, started.elapsed()))
}
