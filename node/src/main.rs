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
mod cluster;
mod compactor;
mod debug;
mod endpoints;
mod namespaces;
mod pki;
mod serve;
mod tls;

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
    // A flag given twice takes its last value, as Go's flag package does.
    #[command(args_override_self = true)]
    Serve(Box<ServeArgs>),
    /// Manage the cluster this node belongs to.
    Cluster(ClusterArgs),
    /// Look at a stopped node's store (read-only).
    Debug(DebugArgs),
}

/// Flags of `kubox debug`.
#[derive(clap::Args, Debug)]
pub struct DebugArgs {
    /// The node's data directory (the node must be stopped).
    #[arg(long, env = "KUBOX_DATA_DIR", default_value = "kubox-data", global = true)]
    pub data_dir: PathBuf,

    #[command(subcommand)]
    pub command: DebugCommand,
}

/// `kubox debug` subcommands.
#[derive(Subcommand, Debug)]
pub enum DebugCommand {
    /// Print a key and its raw stored value, as `etcdctl get` does.
    Get {
        /// The key (`/registry/secrets/default/name`).
        key: String,
        /// Every key starting with KEY.
        #[arg(long)]
        prefix: bool,
        /// Print only the keys.
        #[arg(long)]
        keys_only: bool,
    },
}

/// Flags of `kubox cluster`.
#[derive(clap::Args, Debug)]
pub struct ClusterArgs {
    /// The node's data directory; its admin.kubeconfig is used.
    #[arg(long, env = "KUBOX_DATA_DIR", default_value = "kubox-data", global = true)]
    pub data_dir: PathBuf,

    /// A kubeconfig with a system:masters client certificate (instead of
    /// DATA/admin.kubeconfig).
    #[arg(long, global = true)]
    pub kubeconfig: Option<PathBuf>,

    #[command(subcommand)]
    pub command: ClusterCommand,
}

/// `kubox cluster` subcommands.
#[derive(Subcommand, Debug)]
pub enum ClusterCommand {
    /// Create a join token for `kubox serve --join URL --token TOKEN`.
    Token {
        /// How long the token is valid.
        #[arg(long, default_value = "24h", value_parser = compactor::parse_duration)]
        ttl: std::time::Duration,
    },
    /// List the members, their addresses and the leader.
    Members,
    /// This node's Raft state: role, term, leader, log, commit and applied index.
    Status,
    /// Remove a member (by the id `members` shows).
    Remove {
        /// The node id.
        node: String,
    },
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

    /// Join the cluster this member belongs to (its API URL) instead of
    /// starting a new one. Only used on a fresh data directory.
    #[arg(long, requires = "token")]
    pub join: Option<String>,

    /// The join token (from `kubox cluster token` on a member).
    #[arg(long, env = "KUBOX_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// UDP port of the Raft peer transport (QUIC); 0 picks a free one.
    #[arg(long, default_value_t = 2380)]
    pub peer_port: u16,

    /// host:port peers use to reach this node's Raft transport, when it is
    /// not the advertise address and --peer-port (behind NAT or a proxy).
    #[arg(long)]
    pub peer_advertise_address: Option<String>,

    /// How often the leader sends heartbeats to its followers.
    #[arg(long, default_value = "100ms", value_parser = compactor::parse_duration)]
    pub heartbeat_interval: std::time::Duration,

    /// How long a follower waits without hearing from the leader before it
    /// stands for election (randomized between this and 1.5 times this).
    #[arg(long, default_value = "600ms", value_parser = compactor::parse_duration)]
    pub election_timeout: std::time::Duration,

    /// How long a write or a consistent read waits for the cluster before
    /// it fails with 504 (no quorum reachable).
    #[arg(long, default_value = "5s", value_parser = compactor::parse_duration)]
    pub store_request_timeout: std::time::Duration,

    /// Raft log entries applied between snapshots of the store; the log
    /// keeps half as many behind the newest snapshot. A follower further
    /// behind than that catches up by receiving the snapshot.
    #[arg(long, default_value_t = 20_000)]
    pub snapshot_count: u64,

    /// The serving certificate (PEM, chain first) instead of the one kubox
    /// generates; re-read when the file changes.
    #[arg(long, requires = "tls_private_key_file")]
    pub tls_cert_file: Option<PathBuf>,

    /// The private key of --tls-cert-file (PEM).
    #[arg(long, requires = "tls_cert_file")]
    pub tls_private_key_file: Option<PathBuf>,

    /// The oldest TLS version accepted: VersionTLS12 or VersionTLS13.
    #[arg(long)]
    pub tls_min_version: Option<String>,

    /// TLS 1.2 cipher suites, Go's names, comma-separated (TLS 1.3 suites
    /// are always on).
    #[arg(long, value_delimiter = ',')]
    pub tls_cipher_suites: Vec<String>,

    /// Client certificates signed by a CA in this PEM file are accepted too
    /// (CN is the user, each O a group), besides kubox's own CA.
    #[arg(long)]
    pub client_ca_file: Option<PathBuf>,

    /// The CA of authenticating proxies: a client certificate it signed
    /// (with a CN from --requestheader-allowed-names) may name the user in
    /// request headers.
    #[arg(long)]
    pub requestheader_client_ca_file: Option<PathBuf>,

    /// Proxy certificate common names allowed; empty allows any the CA signed.
    #[arg(long, value_delimiter = ',')]
    pub requestheader_allowed_names: Vec<String>,

    /// Headers naming the user (first non-empty wins).
    #[arg(long, value_delimiter = ',', default_value = "X-Remote-User")]
    pub requestheader_username_headers: Vec<String>,

    /// Headers naming the user's groups.
    #[arg(long, value_delimiter = ',', default_value = "X-Remote-Group")]
    pub requestheader_group_headers: Vec<String>,

    /// Prefixes of headers carrying the user's extra attributes.
    #[arg(long, value_delimiter = ',', default_value = "X-Remote-Extra-")]
    pub requestheader_extra_headers_prefix: Vec<String>,

    /// Accept OpenID Connect ID tokens from this issuer (https URL).
    #[arg(long)]
    pub oidc_issuer_url: Option<String>,

    /// The audience ID tokens must carry.
    #[arg(long)]
    pub oidc_client_id: Option<String>,

    /// The claim naming the user.
    #[arg(long, default_value = "sub")]
    pub oidc_username_claim: String,

    /// Prefix of OIDC user names (default: the issuer and `#`, none for
    /// `email`; `-` for none).
    #[arg(long)]
    pub oidc_username_prefix: Option<String>,

    /// The claim naming the user's groups.
    #[arg(long)]
    pub oidc_groups_claim: Option<String>,

    /// Prefix of OIDC group names.
    #[arg(long, default_value = "")]
    pub oidc_groups_prefix: String,

    /// `key=value` claims ID tokens must carry; repeat for more.
    #[arg(long)]
    pub oidc_required_claim: Vec<String>,

    /// Algorithms accepted for ID tokens, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "RS256")]
    pub oidc_signing_algs: Vec<String>,

    /// CA (PEM) that signed the issuer's serving certificate.
    #[arg(long)]
    pub oidc_ca_file: Option<PathBuf>,

    /// The issuer's JWKS as a file instead of fetching it from the issuer's
    /// discovery document (air-gapped installs).
    #[arg(long)]
    pub oidc_jwks_file: Option<PathBuf>,

    /// Ask the service this kubeconfig names about tokens nothing else
    /// knows (TokenReview v1).
    #[arg(long)]
    pub authentication_token_webhook_config_file: Option<PathBuf>,

    /// How long the webhook's answers are cached.
    #[arg(long, default_value = "2m", value_parser = compactor::parse_duration)]
    pub authentication_token_webhook_cache_ttl: std::time::Duration,

    /// Static bearer tokens: CSV lines `token,user,uid[,"group1,group2"]`.
    #[arg(long)]
    pub token_auth_file: Option<PathBuf>,

    /// Serve requests without credentials as system:anonymous (group
    /// system:unauthenticated), subject to authorization (default true).
    /// Not with an `anonymous` section in `--authentication-config`.
    #[arg(long, action = clap::ArgAction::Set)]
    pub anonymous_auth: Option<bool>,

    /// Structured authentication configuration (AuthenticationConfiguration
    /// of apiserver.config.k8s.io/v1, v1beta1 or v1alpha1): JWT
    /// authenticators with CEL claim mappings and rules, and the anonymous
    /// authenticator's paths. Reloaded when it changes. Not with the
    /// `--oidc-*` flags.
    #[arg(long)]
    pub authentication_config: Option<PathBuf>,

    /// Accept bootstrap tokens (Secrets of type bootstrap.kubernetes.io/token
    /// in kube-system).
    #[arg(long, default_value_t = false, action = clap::ArgAction::Set)]
    pub enable_bootstrap_token_auth: bool,

    /// Issuer of service account tokens; repeat to accept more (the first
    /// signs).
    #[arg(long, default_value = kubox_api::auth::authn::DEFAULT_ISSUER)]
    pub service_account_issuer: Vec<String>,

    /// PEM files of the keys that verify service account tokens (public or
    /// private keys; repeat for rotation). Default: the signing key.
    #[arg(long)]
    pub service_account_key_file: Vec<PathBuf>,

    /// The EC P-256 private key (PEM) that signs service account tokens
    /// (default: DATA/pki/sa.key, generated at first start).
    #[arg(long)]
    pub service_account_signing_key_file: Option<PathBuf>,

    /// Audiences the API accepts in tokens, comma-separated (default: the
    /// first issuer).
    #[arg(long, value_delimiter = ',')]
    pub api_audiences: Vec<String>,

    /// Authorizers, in order, comma-separated: Node, RBAC, ABAC, Webhook,
    /// AlwaysAllow, AlwaysDeny. Members of system:masters are always
    /// allowed.
    #[arg(long, default_value = "Node,RBAC", value_delimiter = ',')]
    pub authorization_mode: Vec<String>,

    /// The audit policy (audit.k8s.io/v1 Policy); without it nothing is
    /// audited.
    #[arg(long)]
    pub audit_policy_file: Option<PathBuf>,

    /// Where audit events are written, one per line; `-` is standard output.
    #[arg(long)]
    pub audit_log_path: Option<PathBuf>,

    /// Megabytes an audit log file grows to before it is rotated (0: 100).
    #[arg(long, default_value_t = 0)]
    pub audit_log_maxsize: u64,

    /// Rotated audit log files kept (0: all).
    #[arg(long, default_value_t = 0)]
    pub audit_log_maxbackup: usize,

    /// Days rotated audit log files are kept (0: no limit).
    #[arg(long, default_value_t = 0)]
    pub audit_log_maxage: u64,

    /// Gzip rotated audit log files.
    #[arg(long, default_value_t = false, action = clap::ArgAction::Set)]
    pub audit_log_compress: bool,

    /// The audit log's line format: json or legacy.
    #[arg(long, default_value = "json")]
    pub audit_log_format: kubox_api::audit::log::Format,

    /// batch, blocking or blocking-strict. kubox always writes through a
    /// bounded queue and a writer thread (see docs/audit.md).
    #[arg(long, default_value = "blocking")]
    pub audit_log_mode: String,

    /// Audit events queued for the log writer before new ones are dropped.
    #[arg(long, default_value_t = 10_000)]
    pub audit_log_batch_buffer_size: usize,

    /// Only audit.k8s.io/v1 is served.
    #[arg(long, default_value = "audit.k8s.io/v1")]
    pub audit_log_version: String,

    /// A kubeconfig naming the service audit events are sent to in batches.
    #[arg(long)]
    pub audit_webhook_config_file: Option<PathBuf>,

    /// batch, blocking or blocking-strict; kubox always sends in batches.
    #[arg(long, default_value = "batch")]
    pub audit_webhook_mode: String,

    /// Audit events queued for the webhook before new ones are dropped.
    #[arg(long, default_value_t = 10_000)]
    pub audit_webhook_batch_buffer_size: usize,

    /// Events per webhook batch at most.
    #[arg(long, default_value_t = 400)]
    pub audit_webhook_batch_max_size: usize,

    /// How long an event waits for its batch at most.
    #[arg(long, default_value = "30s", value_parser = compactor::parse_duration)]
    pub audit_webhook_batch_max_wait: std::time::Duration,

    /// The delay before the first retry of a failed batch.
    #[arg(long, default_value = "10s", value_parser = compactor::parse_duration)]
    pub audit_webhook_initial_backoff: std::time::Duration,

    /// Only audit.k8s.io/v1 is served.
    #[arg(long, default_value = "audit.k8s.io/v1")]
    pub audit_webhook_version: String,

    /// Serve the profiling and debug endpoints (/debug/pprof, PUT
    /// /debug/flags/v) to users allowed the /debug/* paths.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub profiling: bool,

    /// Accepted for kube-apiserver compatibility; Rust has no block or mutex
    /// profiles, so it adds nothing.
    #[arg(long, default_value_t = false, action = clap::ArgAction::Set)]
    pub contention_profiling: bool,

    /// The ABAC policy file (one JSON Policy per line), for mode ABAC.
    #[arg(long)]
    pub authorization_policy_file: Option<PathBuf>,

    /// The kubeconfig of the authorization webhook, for mode Webhook.
    #[arg(long)]
    pub authorization_webhook_config_file: Option<PathBuf>,

    /// The SubjectAccessReview version sent to the webhook: v1 or v1beta1.
    #[arg(long, default_value = "v1beta1")]
    pub authorization_webhook_version: String,

    /// How long the webhook's allowed answers are cached.
    #[arg(long, default_value = "5m", value_parser = compactor::parse_duration)]
    pub authorization_webhook_cache_authorized_ttl: std::time::Duration,

    /// How long the webhook's other answers are cached.
    #[arg(long, default_value = "30s", value_parser = compactor::parse_duration)]
    pub authorization_webhook_cache_unauthorized_ttl: std::time::Duration,

    /// How often the store's history is compacted (to the revision of the
    /// previous run); 0 never compacts.
    #[arg(long, default_value = "5m", value_parser = compactor::parse_duration)]
    pub etcd_compaction_interval: std::time::Duration,

    /// An EncryptionConfiguration file (apiserver.config.k8s.io/v1): which
    /// resources are encrypted at rest, and how.
    #[arg(long)]
    pub encryption_provider_config: Option<PathBuf>,

    /// Re-read --encryption-provider-config when it changes (checked every
    /// second); a file that fails to load leaves the previous one in force.
    #[arg(long, default_value_t = false, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub encryption_provider_config_automatic_reload: bool,
}

/// The log filter, replaceable while running.
pub static LOG_FILTER: std::sync::OnceLock<
    tracing_subscriber::reload::Handle<tracing_subscriber::EnvFilter, tracing_subscriber::Registry>,
> = std::sync::OnceLock::new();

fn run_cluster(args: ClusterArgs) -> anyhow::Result<()> {
    let kubeconfig = args.kubeconfig.unwrap_or_else(|| args.data_dir.join("admin.kubeconfig"));
    let client = cluster::AdminClient::from_kubeconfig(&kubeconfig)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(cluster::command(client, args.command))
}

fn main() -> ExitCode {
    // One TLS crypto provider for the whole process, chosen before any TLS use.
    let _ = rustls::crypto::ring::default_provider().install_default();
    {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::util::SubscriberInitExt;
        let filter = tracing_subscriber::EnvFilter::try_from_env("KUBOX_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,openraft=warn"));
        // The filter can be replaced at run time (PUT /debug/flags/v).
        let (filter, handle) = tracing_subscriber::reload::Layer::new(filter);
        let _ = LOG_FILTER.set(handle);
        tracing_subscriber::registry()
            .with(filter)
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(std::io::stderr().is_terminal()),
            )
            .init();
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::Cluster(args) => run_cluster(args),
        Command::Debug(args) => debug::run(&args.data_dir, args.command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
