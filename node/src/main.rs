//! kubox: a single-binary Kubernetes control plane.
//!
//! `kubox serve` opens the store in its data directory and serves the
//! Kubernetes API over HTTPS, with an admin kubeconfig written for kubectl.
//! See the README for how to run it.

/// mimalloc instead of glibc's malloc: the API builds and drops many small
/// JSON trees per request, where glibc's allocator spent a third of the
/// server's CPU and fragmented the watch cache's memory (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bootstrap;
mod compactor;
mod namespaces;
mod pki;
mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// kubox: one binary that serves the Kubernetes API on its own replicated store.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a kubox node on this machine.
    Serve(ServeArgs),
}

/// Flags of `kubox serve`. Where kube-apiserver has a flag for the same
/// thing, the name is kube-apiserver's.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Directory holding this node's state: the store, its certificates
    /// (pki/) and admin.kubeconfig. Created if missing.
    #[arg(long, env = "KUBOX_DATA_DIR", default_value = "kubox-data")]
    pub data_dir: PathBuf,

    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind_address: std::net::IpAddr,

    /// Port to serve HTTPS on; 0 picks a free one (the log and the
    /// kubeconfig say which).
    #[arg(long, default_value_t = 6443)]
    pub secure_port: u16,

    /// Address advertised to clients in the `kubernetes` Service's endpoints
    /// (default: the bind address, or 127.0.0.1 for a wildcard bind).
    #[arg(long)]
    pub advertise_address: Option<std::net::IpAddr>,

    /// Events each resource's watch cache keeps.
    #[arg(long, default_value_t = 100)]
    pub default_watch_cache_size: usize,

    /// Per-resource watch cache sizes, `resource[.group]#size,...`.
    #[arg(long, default_value = "")]
    pub watch_cache_sizes: String,

    /// The range Service cluster IPs are allocated from.
    #[arg(long, default_value = "10.96.0.0/12")]
    pub service_cluster_ip_range: String,

    /// The range Service node ports are allocated from.
    #[arg(long, default_value = "30000-32767")]
    pub service_node_port_range: String,

    /// How often the store's history is compacted (to the revision of the
    /// previous run); 0 never compacts.
    #[arg(long, default_value = "5m", value_parser = compactor::parse_duration)]
    pub etcd_compaction_interval: std::time::Duration,
}

fn main() -> ExitCode {
    // One TLS crypto provider for the whole process, chosen before any TLS use.
    let _ = rustls::crypto::ring::default_provider().install_default();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KUBOX_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
