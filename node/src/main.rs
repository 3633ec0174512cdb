//! kubox: a single-binary Kubernetes control plane.
//!
//! `kubox serve` opens the store in its data directory and serves the
//! health endpoints; the Kubernetes API, TLS and Raft arrive with their
//! issues. See the README for how to run it.

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
    /// Directory holding this node's state (the store, and later its
    /// certificates and kubeconfig). Created if missing.
    #[arg(long, env = "KUBOX_DATA_DIR", default_value = "kubox-data")]
    pub data_dir: PathBuf,

    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind_address: std::net::IpAddr,

    /// Port to listen on; 0 picks a free one (the log says which). Served as
    /// plain HTTP until TLS arrives with the API.
    #[arg(long, default_value_t = 6443)]
    pub secure_port: u16,
}

fn main() -> ExitCode {
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
