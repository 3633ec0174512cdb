//! `kubox-bench`: run a benchmark and print the side-by-side table.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use kubox_bench::{stats, store};

#[derive(Parser)]
#[command(about = "Benchmarks kubox against the peer it replaces")]
struct Cli {
    #[command(subcommand)]
    command: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// The store against etcd: put, get, 1,000-key range, compare-and-swap
    /// and watch delivery, durable writes, at each client count.
    Store {
        /// Operations per workload and client count.
        #[arg(long, default_value_t = 4000)]
        ops: usize,
        /// Client counts, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,16")]
        clients: Vec<usize>,
        /// Value size in bytes.
        #[arg(long, default_value_t = 1024)]
        value_size: usize,
        /// The etcd binary (Debian: apt-get install etcd-server).
        #[arg(long, default_value = "/usr/bin/etcd")]
        etcd: PathBuf,
        /// Measure kubox alone.
        #[arg(long)]
        no_etcd: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Bench::Store { ops, clients, value_size, etcd, no_etcd } => {
            let cfg = store::Config {
                ops,
                clients,
                value_size,
                etcd: (!no_etcd).then_some(etcd),
                ..store::Config::default()
            };
            let report = store::run(&cfg).await?;
            let peer = report.peer.clone().unwrap_or_else(|| "etcd".into());
            println!(
                "kubox store vs {peer}: {ops} ops per row, {value_size}-byte values, durable writes, \
                 ranges over a {}-key prefix\n",
                cfg.list_keys
            );
            print!("{}", stats::markdown(&report.rows, "etcd"));
        }
    }
    Ok(())
}
