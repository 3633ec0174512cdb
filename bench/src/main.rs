//! `kubox-bench`: run a benchmark and print the side-by-side table.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use kubox_bench::{api, raft, stats, store};

#[derive(Parser)]
#[command(about = "Benchmarks kubox against the peer it replaces")]
struct Cli {
    #[command(subcommand)]
    command: Bench,
}

/// Values written, and the etcd run beside kubox.
#[derive(clap::Args)]
struct PeerArgs {
    /// Value size in bytes.
    #[arg(long, default_value_t = 1024)]
    value_size: usize,
    /// The etcd binary (Debian: apt-get install etcd-server).
    #[arg(long, default_value = "/usr/bin/etcd")]
    etcd: PathBuf,
    /// Measure kubox alone.
    #[arg(long)]
    no_etcd: bool,
}

impl PeerArgs {
    fn etcd(&self) -> Option<PathBuf> {
        (!self.no_etcd).then(|| self.etcd.clone())
    }
}

#[derive(Subcommand)]
enum Bench {
    /// kubox's replicated store on one and on three nodes, and a
    /// three-member etcd, under the same durable writes; and failover time.
    Raft {
        /// Operations per row.
        #[arg(long, default_value_t = 6000)]
        ops: usize,
        /// Concurrent clients.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[command(flatten)]
        peer: PeerArgs,
        /// Times the leader is stopped to measure failover.
        #[arg(long, default_value_t = 5)]
        failovers: usize,
    },
    /// The store against etcd: put, get, 1,000-key range, compare-and-swap
    /// and watch delivery, durable writes, at each client count.
    Store {
        /// Operations per workload and client count.
        #[arg(long, default_value_t = 4000)]
        ops: usize,
        /// Client counts, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,16")]
        clients: Vec<usize>,
        #[command(flatten)]
        peer: PeerArgs,
    },
    /// The Kubernetes API: create, get and update of ConfigMaps and Pods,
    /// lists of 10,000 ConfigMaps, watch delivery to many watchers, time to
    /// ready and resident memory. Starts kubox, or measures the server a
    /// kubeconfig names.
    Api {
        /// Measure this kubeconfig's server (its current context) instead of
        /// starting kubox. Client certificate or token authentication.
        #[arg(long)]
        kubeconfig: Option<PathBuf>,
        /// The kubox binary to start (default: the `kubox` next to this
        /// binary, or target/release/kubox).
        #[arg(long)]
        kubox: Option<PathBuf>,
        /// With --kubeconfig: the server's pid, to report its resident memory.
        #[arg(long)]
        server_pid: Option<u32>,
        /// Requests per object workload and client count.
        #[arg(long, default_value_t = 5000)]
        ops: usize,
        /// Client counts, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
        clients: Vec<usize>,
        /// ConfigMaps the list workloads read.
        #[arg(long, default_value_t = 10_000)]
        list_objects: usize,
        /// Lists per list workload and client count.
        #[arg(long, default_value_t = 20)]
        list_ops: usize,
        /// Page size of the paginated list.
        #[arg(long, default_value_t = 500)]
        page_size: usize,
        /// Watcher counts, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,100,1000")]
        watchers: Vec<usize>,
        /// Creates delivered per watcher count.
        #[arg(long, default_value_t = 100)]
        watch_events: usize,
        /// Starts measured for the time to ready.
        #[arg(long, default_value_t = 5)]
        startups: usize,
        /// ConfigMaps held for the memory figure.
        #[arg(long, default_value_t = 100_000)]
        memory_objects: usize,
        /// Concurrent creators when filling the list and memory data.
        #[arg(long, default_value_t = 64)]
        fill_clients: usize,
        /// Longest one row may run, in seconds.
        #[arg(long, default_value_t = 30)]
        deadline: u64,
        /// HTTP/2 connections the clients share (client-go uses one).
        #[arg(long, default_value_t = 1)]
        connections: usize,
        /// Do not accept gzip (Go's transport accepts it by default).
        #[arg(long)]
        no_gzip: bool,
        /// Parts to run, comma-separated.
        #[arg(long, value_enum, value_delimiter = ',', default_value = "objects,list,watch,startup,memory")]
        parts: Vec<api::Part>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Bench::Raft { ops, clients, peer, failovers } => {
            let value_size = peer.value_size;
            let cfg = raft::Config { ops, clients, value_size, etcd: peer.etcd(), failovers };
            let report = raft::run(&cfg).await?;
            println!(
                "kubox raft vs etcd: {ops} ops per row, {value_size}-byte values, durable writes, clients spread over the nodes\n"
            );
            print!("{}", raft::markdown(&report, clients));
        }
        Bench::Store { ops, clients, peer } => {
            let value_size = peer.value_size;
            let cfg = store::Config { ops, clients, value_size, etcd: peer.etcd(), ..store::Config::default() };
            let report = store::run(&cfg).await?;
            let peer = report.peer.clone().unwrap_or_else(|| "etcd".into());
            println!(
                "kubox store vs {peer}: {ops} ops per row, {value_size}-byte values, durable writes, \
                 ranges over a {}-key prefix\n",
                cfg.list_keys
            );
            print!("{}", stats::markdown(&report.rows, "etcd"));
        }
        Bench::Api {
            kubeconfig,
            kubox,
            server_pid,
            ops,
            clients,
            list_objects,
            list_ops,
            page_size,
            watchers,
            watch_events,
            startups,
            memory_objects,
            fill_clients,
            deadline,
            connections,
            no_gzip,
            parts,
        } => {
            let cfg = api::Config {
                kubeconfig,
                kubox: kubox.unwrap_or_else(api::default_kubox_binary),
                server_pid,
                ops,
                clients,
                list_objects,
                list_ops,
                page_size,
                watchers,
                watch_events,
                startups,
                memory_objects,
                fill_clients,
                deadline: Duration::from_secs(deadline),
                connections,
                gzip: !no_gzip,
                parts,
                ..api::Config::default()
            };
            let report = api::run(&cfg).await?;
            println!(
                "kubox-bench api: {}; HTTP/2 over TLS, {} connection(s), JSON{}; {ops} requests per object row, \
                 {list_ops} lists per list row, {watch_events} creates per watch row, at most {deadline} s per row\n",
                report.server,
                connections,
                if no_gzip { "" } else { ", gzip accepted" },
            );
            print!("{}", api::markdown(&report.rows));
        }
    }
    Ok(())
}
