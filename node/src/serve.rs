//! `kubox serve`: lock the data directory, open the store, generate (or
//! load) the certificates, serve the Kubernetes API over HTTPS until
//! SIGTERM or SIGINT, then drain and close the store cleanly.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use kubox_api::audit::{self, Auditor};
use kubox_api::auth::abac::Abac;
use kubox_api::auth::authn::{
    Authenticator, AuthnOptions, RequestHeaders, ServiceAccountOptions, ServiceAccountTokens, TokenFile,
};
use kubox_api::auth::authn_config::StructuredAuthn;
use kubox_api::auth::authz::{self, Chain, Mode};
use kubox_api::auth::authz_webhook::{AuthorizationWebhook, Version as WebhookVersion, WebhookOptions};
use kubox_api::auth::escalation::EscalationGuard;
use kubox_api::auth::gate::AuthState;
use kubox_api::auth::node::NodeAuthorizer;
use kubox_api::auth::oidc::{Oidc, OidcOptions};
use kubox_api::auth::rbac::{self, Rbac};
use kubox_api::auth::webhook::TokenWebhook;
use kubox_api::catalog::Catalog;
use kubox_api::encryption::Encryption;
use kubox_api::health::{Check, HealthChecks};
use kubox_api::registry::{Registry, RegistryOptions};
use kubox_api::server::{self, ApiState};
use kubox_raft::{NodeInfo, RaftNode, RaftOptions};
use kubox_storage::{DirLock, Store, StoreOptions};

use crate::cluster::{self, ClusterFile};
use crate::endpoints::{self, EndpointReconciler};
use crate::pki::{self, Pki};
use crate::{ServeArgs, bootstrap, compactor, namespaces, tls};

/// How long in-flight requests may take to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// Threads for blocking work (store reads); two cores are busy long before
/// more of them would help.
const BLOCKING_THREADS: usize = 16;

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let _lock = DirLock::acquire(&args.data_dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        // Store reads run on blocking threads; a burst of them must not
        // leave hundreds behind, each with its own allocator pages.
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.bind_address, args.secure_port))
            .await
            .with_context(|| format!("listening on {}:{}", args.bind_address, args.secure_port))?;
        // A bad encryption configuration stops the start, before the store opens.
        let encryption = match &args.encryption_provider_config {
            Some(path) => Some(
                Encryption::load(path)
                    .map_err(|e| anyhow::anyhow!("loading --encryption-provider-config {}: {e}", path.display()))?,
            ),
            None => None,
        };
        let (node, pki) = start_node(&args, listener.local_addr()?.port()).await?;
        let result = serve(&args, listener, node.clone(), &pki, started, encryption).await;
        // Every write was durable when acknowledged; this releases the files.
        node.shutdown().await;
        result
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    tracing::info!("kubox stopped");
    result
}

fn advertise_address(args: &ServeArgs) -> anyhow::Result<IpAddr> {
    Ok(match args.advertise_address {
        Some(a) => a,
        None if args.bind_address.is_unspecified() => "127.0.0.1".parse()?,
        None => args.bind_address,
    })
}

/// Finds (or makes) this data directory's cluster identity, joining a
/// cluster if asked, and starts the Raft node.
async fn start_node(args: &ServeArgs, api_port: u16) -> anyhow::Result<(Arc<RaftNode>, Pki)> {
    let identity = match ClusterFile::load(&args.data_dir)? {
        Some(file) => {
            if let Some(url) = &args.join
                && file.join_peer.is_none()
            {
                check_same_cluster(&args.data_dir, url).await?;
                tracing::info!(cluster = %file.cluster_id, "this node is already a member; --join is ignored");
            }
            file
        }
        None => match &args.join {
            Some(url) => {
                if args.data_dir.join("store").exists() {
                    bail!(
                        "{} already holds a store of its own; a node joins a cluster only with a fresh data directory",
                        args.data_dir.display()
                    );
                }
                cluster::join(&args.data_dir, url, args.token.as_deref().unwrap_or("")).await?
            }
            None => {
                let file = ClusterFile::new_cluster();
                file.save(&args.data_dir)?;
                file
            }
        },
    };
    let advertise = advertise_address(args)?;
    // The serving certificate also covers the kubernetes Service's address.
    let service_ip = kubox_api::registry::ServiceAllocator::new(
        &args.service_cluster_ip_range,
        parse_port_range(&args.service_node_port_range)?,
    )
    .map_err(|e| anyhow::anyhow!("--service-cluster-ip-range: {e}"))?
    .first_ip()
    .to_string();
    let pki =
        Pki::ensure(&args.data_dir, &[args.bind_address.to_string(), advertise.to_string(), hostname(), service_ip])?;
    let host = pki::url_host(&advertise.to_string());
    let options = RaftOptions {
        data_dir: args.data_dir.clone(),
        node_id: identity.node_id,
        cluster_id: identity.cluster_id.clone(),
        node: NodeInfo {
            name: hostname(),
            raft_addr: args.peer_advertise_address.clone().unwrap_or_else(|| format!("{host}:{}", args.peer_port)),
            api_url: format!("https://{host}:{api_port}"),
        },
        bind: std::net::SocketAddr::new(args.bind_address, args.peer_port),
        identity: pki.peer_identity(identity.node_id)?,
        heartbeat_interval: args.heartbeat_interval,
        election_timeout: args.election_timeout,
        request_timeout: args.store_request_timeout,
        snapshot_count: args.snapshot_count,
        bootstrap: identity.join_peer.is_none(),
        store: StoreOptions::default(),
    };
    let node = RaftNode::start(options).await.context("starting the raft node")?;
    if let Some(peer) = &identity.join_peer {
        tracing::info!(%peer, node = %format!("{:x}", node.id()), "asking the leader to add this node");
        node.ask_to_join(peer).await.map_err(|e| anyhow::anyhow!("becoming a member: {e}"))?;
        ClusterFile { join_peer: None, ..identity }.save(&args.data_dir)?;
        tracing::info!("this node is a voting member");
    }
    Ok((node, pki))
}

/// Refuses to point a member of one cluster at another.
async fn check_same_cluster(data_dir: &std::path::Path, url: &str) -> anyhow::Result<()> {
    let ours = std::fs::read(data_dir.join("pki").join("ca.crt")).context("reading this node's CA")?;
    let url = url.trim_end_matches('/');
    let (status, theirs) = cluster::fetch_ca(url).await.with_context(|| format!("fetching the CA of {url}"))?;
    if status == 200 && theirs != ours {
        bail!("{} belongs to another cluster than {url}; use a fresh data directory to join it", data_dir.display());
    }
    Ok(())
}

/// `resource[.group]#size,...` (kube-apiserver's --watch-cache-sizes).
fn parse_cache_sizes(list: &str) -> anyhow::Result<HashMap<String, usize>> {
    let mut out = HashMap::new();
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let Some((resource, size)) = entry.split_once('#') else {
            bail!("invalid value of watch cache size: {entry} (expected resource[.group]#size)");
        };
        out.insert(resource.to_string(), size.parse().with_context(|| format!("invalid watch cache size in {entry}"))?);
    }
    Ok(out)
}

fn parse_port_range(range: &str) -> anyhow::Result<(u16, u16)> {
    let (lo, hi) =
        range.split_once('-').with_context(|| format!("invalid port range {range:?} (expected 30000-32767)"))?;
    let (lo, hi): (u16, u16) = (lo.trim().parse()?, hi.trim().parse()?);
    if lo == 0 || lo > hi {
        bail!("invalid port range {range:?}");
    }
    Ok((lo, hi))
}

async fn serve(
    args: &ServeArgs,
    listener: tokio::net::TcpListener,
    node: Arc<RaftNode>,
    pki: &Pki,
    started: Instant,
    encryption: Option<Arc<Encryption>>,
) -> anyhow::Result<()> {
    let store = node.clone() as Arc<dyn Store>;
    // After a restart of the whole cluster, the members wait for each other:
    // nothing can be read or written consistently until a quorum is back.
    while let Err(err) = node.linearize().await {
        tracing::warn!(%err, "waiting for a quorum of the cluster before serving");
    }
    let options = RegistryOptions {
        default_watch_cache_size: args.default_watch_cache_size,
        watch_cache_sizes: parse_cache_sizes(&args.watch_cache_sizes)?,
        service_cidr: args.service_cluster_ip_range.clone(),
        node_ports: parse_port_range(&args.service_node_port_range)?,
        encryption: encryption.clone(),
        ..RegistryOptions::default()
    };
    if let Some(encryption) = &encryption
        && args.encryption_provider_config_automatic_reload
    {
        tokio::spawn(encryption.clone().watch(Duration::from_secs(1)));
    }
    let catalog = Arc::new(Catalog::builtin());
    let registry = Arc::new(Registry::new(store.clone(), catalog, options).await.map_err(|e| anyhow::anyhow!("{e}"))?);

    let advertise = advertise_address(args)?;
    let mut tls_options = pki.tls_options(args.tls_cert_file.as_deref(), args.tls_private_key_file.as_deref());
    tls_options.client_ca_file = args.client_ca_file.clone();
    tls_options.requestheader_ca_file = args.requestheader_client_ca_file.clone();
    tls_options.min_version = args.tls_min_version.clone();
    tls_options.cipher_suites = args.tls_cipher_suites.clone();
    let tls = tls::server_config(&tls_options)?;
    tokio::spawn(tls::watch(tls.serving.clone()));
    let structured = authentication_config(args).await?;
    let auth = auth_state(args, &registry, oidc(args).await?, structured)?;
    let audit = auditor(args)?;
    let address = listener.local_addr()?;
    let host = pki::client_host(args.bind_address);
    let kubeconfig = args.data_dir.join("admin.kubeconfig");
    pki.write_admin_kubeconfig(&kubeconfig, &format!("https://{}:{}", pki::url_host(&host), address.port()))?;

    bootstrap::run(&registry, address.port()).await?;
    // The default RBAC roles and bindings, created or brought up to date at
    // every start (kube-apiserver's rbac/bootstrap-roles hook).
    kubox_api::auth::bootstrap_policy::reconcile(&registry)
        .await
        .map_err(|e| anyhow::anyhow!("reconciling the bootstrap RBAC policy: {e}"))?;
    rbac::aggregate(&registry).await.map_err(|e| anyhow::anyhow!("aggregating ClusterRoles: {e}"))?;
    tokio::spawn(rbac::run_aggregation(registry.clone()));
    let endpoints = EndpointReconciler::new(registry.clone(), advertise, address.port());
    if let Some(endpoints) = &endpoints {
        if let Err(err) = endpoints.tick().await {
            tracing::warn!(err = format!("{err:#}"), "publishing the kubernetes Service's endpoints");
        }
        tokio::spawn(endpoints::run(endpoints.clone()));
    }
    let leader: Arc<dyn Fn() -> bool + Send + Sync> = {
        let node = node.clone();
        Arc::new(move || node.is_leader())
    };
    tokio::spawn(namespaces::run(registry.clone(), leader.clone()));
    // CustomResourceDefinitions: the stored ones are served before the
    // listener opens; new ones join as they come (on every node).
    if let Err(err) = kubox_api::crd::controller::sync(&registry).await {
        tracing::warn!(%err, "serving the stored CustomResourceDefinitions");
    }
    tokio::spawn(kubox_api::crd::controller::run(registry.clone(), leader.clone()));
    tokio::spawn(compactor::run(store.clone(), args.etcd_compaction_interval, leader));

    let shutting_down = Arc::new(AtomicBool::new(false));
    let store_check = Check::store(store.clone());
    let raft_check = {
        let node = node.clone();
        Check::new("raft", move || {
            let node = node.clone();
            async move { node.ready().await }
        })
    };
    let mut checks = HealthChecks {
        healthz: vec![Check::ping(), store_check.clone()],
        livez: vec![Check::ping(), store_check.clone()],
        readyz: vec![Check::ping(), store_check, raft_check, Check::shutdown(shutting_down.clone())],
    };
    // kube-apiserver's `kms-providers` check (one for all KMS v2 plugins):
    // the plugins' Status, polled.
    if let Some(encryption) = encryption.filter(|e| e.has_kms() || args.encryption_provider_config_automatic_reload) {
        let check = Check::new("kms-providers", move || {
            let encryption = encryption.clone();
            async move { encryption.check_kms().await }
        });
        checks.healthz.push(check.clone());
        checks.livez.push(check.clone());
        checks.readyz.push(check);
    }
    let cluster_api = Arc::new(cluster::ClusterApi { node: node.clone(), pki: pki.dir.clone() });
    let app = cluster::router(cluster_api).merge(server::router(
        ApiState::new(registry.clone(), auth, audit),
        checks,
        debug_options(args),
    ));
    let revision = store.current_revision().await?;
    let status = node.status();
    tracing::info!(
        %address,
        data_dir = %args.data_dir.display(),
        kubeconfig = %kubeconfig.display(),
        revision,
        node = %format!("{:x}", status.id),
        role = %status.role,
        members = status.members.len(),
        startup_ms = started.elapsed().as_millis() as u64,
        "kubox is serving"
    );
    let signal = async move {
        let reason = shutdown_signal().await;
        tracing::info!(signal = reason, "shutting down: draining requests");
        shutting_down.store(true, Ordering::SeqCst);
        // Clients of the kubernetes Service stop being sent here.
        if let Some(endpoints) = endpoints
            && let Err(err) = tokio::time::timeout(Duration::from_secs(2), endpoints.remove())
                .await
                .map_err(anyhow::Error::from)
                .and_then(|r| r)
        {
            tracing::warn!(err = format!("{err:#}"), "removing this node from the kubernetes Service's endpoints");
        }
    };
    server::serve_tls(listener, tls.config, tls.certificates, app, signal, DRAIN_TIMEOUT).await;
    Ok(())
}

/// Whether any `--oidc-*` flag is set (upstream's `FlagsSet`).
fn oidc_flags_set(args: &ServeArgs) -> bool {
    args.oidc_issuer_url.is_some()
        || args.oidc_client_id.is_some()
        || args.oidc_username_claim != "sub"
        || args.oidc_username_prefix.is_some()
        || args.oidc_groups_claim.is_some()
        || !args.oidc_groups_prefix.is_empty()
        || !args.oidc_required_claim.is_empty()
        || args.oidc_signing_algs != ["RS256"]
        || args.oidc_ca_file.is_some()
        || args.oidc_jwks_file.is_some()
}

/// The authenticators of `--authentication-config`, polled every second
/// for changes. A bad file, or one that conflicts with other flags, stops
/// the start with upstream's message.
async fn authentication_config(args: &ServeArgs) -> anyhow::Result<Option<Arc<StructuredAuthn>>> {
    let Some(path) = &args.authentication_config else { return Ok(None) };
    if oidc_flags_set(args) {
        bail!("authentication-config file and oidc-* flags are mutually exclusive");
    }
    let disallowed = if args.service_account_issuer.is_empty() {
        vec![kubox_api::auth::authn::DEFAULT_ISSUER.to_string()]
    } else {
        args.service_account_issuer.clone()
    };
    let structured = StructuredAuthn::load(path, disallowed)
        .await
        .map_err(|e| anyhow::anyhow!("--authentication-config {}: {e}", path.display()))?;
    if structured.anonymous().is_some() && args.anonymous_auth.is_some() {
        bail!(
            "anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file"
        );
    }
    tracing::info!(path = %path.display(), issuers = ?structured.issuers(), "loaded authentication config");
    tokio::spawn(structured.clone().watch(std::time::Duration::from_secs(1)));
    Ok(Some(structured))
}

/// The OIDC authenticator the `--oidc-*` flags ask for: the issuer's keys
/// from `--oidc-jwks-file`, or from its discovery document.
/// The `--profiling` endpoints, with the log filter they may change.
fn debug_options(args: &ServeArgs) -> kubox_api::debug::Debug {
    let verbosity: Option<kubox_api::debug::VerbositySetter> = crate::LOG_FILTER.get().map(|handle| {
        let handle = handle.clone();
        let setter: kubox_api::debug::VerbositySetter = Arc::new(move |level| {
            let filter = kubox_api::debug::filter_for_verbosity(level);
            handle.reload(tracing_subscriber::EnvFilter::new(&filter)).map_err(|e| e.to_string())?;
            tracing::info!(level, %filter, "log verbosity changed");
            Ok(())
        });
        setter
    });
    kubox_api::debug::Debug { profiling: args.profiling, verbosity }
}

/// The audit policy and backends of the `--audit-*` flags; `None` when
/// there is no policy or no backend, as kube-apiserver then records nothing.
fn auditor(args: &ServeArgs) -> anyhow::Result<Option<Arc<Auditor>>> {
    for (flag, value) in
        [("--audit-log-version", &args.audit_log_version), ("--audit-webhook-version", &args.audit_webhook_version)]
    {
        if value != "audit.k8s.io/v1" {
            bail!("{flag}: invalid value {value:?}: only audit.k8s.io/v1 is supported");
        }
    }
    for (flag, value) in
        [("--audit-log-mode", &args.audit_log_mode), ("--audit-webhook-mode", &args.audit_webhook_mode)]
    {
        if !matches!(value.as_str(), "batch" | "blocking" | "blocking-strict") {
            bail!("{flag}: invalid audit mode {value:?}, allowed modes are \"batch,blocking,blocking-strict\"");
        }
    }
    let Some(policy_file) = &args.audit_policy_file else {
        if args.audit_log_path.is_some() || args.audit_webhook_config_file.is_some() {
            tracing::warn!("an audit backend is configured but no --audit-policy-file: nothing is audited");
        }
        return Ok(None);
    };
    let text = std::fs::read_to_string(policy_file)
        .with_context(|| format!("reading the audit policy {}", policy_file.display()))?;
    let policy = audit::Policy::parse(&text)
        .map_err(|e| anyhow::anyhow!("loading the audit policy {}: {e}", policy_file.display()))?;
    let mut backends = Vec::new();
    if let Some(path) = &args.audit_log_path {
        backends.push(
            audit::log::start(audit::log::LogOptions {
                path: path.clone(),
                max_size_mb: args.audit_log_maxsize,
                max_backups: args.audit_log_maxbackup,
                max_age_days: args.audit_log_maxage,
                compress: args.audit_log_compress,
                format: args.audit_log_format,
                buffer_size: args.audit_log_batch_buffer_size,
            })
            .map_err(|e| anyhow::anyhow!("--audit-log-path: {e}"))?,
        );
    }
    if let Some(config) = &args.audit_webhook_config_file {
        backends.push(
            audit::webhook::start(audit::webhook::WebhookOptions {
                config: config.clone(),
                buffer_size: args.audit_webhook_batch_buffer_size,
                max_batch_size: args.audit_webhook_batch_max_size,
                max_batch_wait: args.audit_webhook_batch_max_wait,
                initial_backoff: args.audit_webhook_initial_backoff,
            })
            .map_err(|e| anyhow::anyhow!("--audit-webhook-config-file: {e}"))?,
        );
    }
    if backends.is_empty() {
        tracing::warn!(
            "--audit-policy-file is set but no --audit-log-path or --audit-webhook-config-file: nothing is audited"
        );
        return Ok(None);
    }
    Ok(Some(Arc::new(Auditor::new(policy, backends))))
}

async fn oidc(args: &ServeArgs) -> anyhow::Result<Option<Oidc>> {
    let Some(issuer) = &args.oidc_issuer_url else { return Ok(None) };
    let jwks: serde_json::Value = match &args.oidc_jwks_file {
        Some(path) => {
            serde_json::from_slice(&std::fs::read(path).with_context(|| format!("reading {}", path.display()))?)
                .with_context(|| format!("{}: not a JWKS", path.display()))?
        }
        None => {
            // The issuer's CA, or the system's bundle.
            let ca = args.oidc_ca_file.clone().unwrap_or_else(|| PathBuf::from("/etc/ssl/certs/ca-certificates.crt"));
            let pem = std::fs::read_to_string(&ca)
                .with_context(|| format!("reading {} (set --oidc-ca-file or --oidc-jwks-file)", ca.display()))?;
            let tls = kubox_api::client::tls_config(&pem, None)?;
            let discovery = format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'));
            let (code, body) = kubox_api::client::request(tls.clone(), "GET", &discovery, None, None)
                .await
                .with_context(|| format!("fetching {discovery}"))?;
            if code != 200 {
                bail!("fetching {discovery}: HTTP {code}");
            }
            let doc: serde_json::Value =
                serde_json::from_slice(&body).with_context(|| format!("{discovery}: not JSON"))?;
            let jwks_uri = doc["jwks_uri"].as_str().with_context(|| format!("{discovery}: no jwks_uri"))?;
            let (code, body) = kubox_api::client::request(tls, "GET", jwks_uri, None, None)
                .await
                .with_context(|| format!("fetching {jwks_uri}"))?;
            if code != 200 {
                bail!("fetching {jwks_uri}: HTTP {code}");
            }
            serde_json::from_slice(&body).with_context(|| format!("{jwks_uri}: not JSON"))?
        }
    };
    let mut signing_algs = Vec::new();
    for alg in &args.oidc_signing_algs {
        signing_algs.push(alg.parse().map_err(|_| anyhow::anyhow!("--oidc-signing-algs: unknown algorithm {alg:?}"))?);
    }
    let mut required_claims = Vec::new();
    for c in &args.oidc_required_claim {
        let (k, v) = c.split_once('=').with_context(|| format!("--oidc-required-claim {c:?}: expected key=value"))?;
        required_claims.push((k.to_string(), v.to_string()));
    }
    let options = OidcOptions {
        issuer_url: issuer.clone(),
        client_id: args.oidc_client_id.clone().unwrap_or_default(),
        username_claim: args.oidc_username_claim.clone(),
        username_prefix: args.oidc_username_prefix.clone(),
        groups_claim: args.oidc_groups_claim.clone(),
        groups_prefix: args.oidc_groups_prefix.clone(),
        required_claims,
        signing_algs,
    };
    Ok(Some(Oidc::new(options, &jwks).map_err(|e| anyhow::anyhow!("OIDC: {e}"))?))
}

/// The authenticators and authorizers the flags ask for.
fn auth_state(
    args: &ServeArgs,
    registry: &Arc<Registry>,
    oidc: Option<Oidc>,
    structured: Option<Arc<StructuredAuthn>>,
) -> anyhow::Result<Arc<AuthState>> {
    let token_file = match &args.token_auth_file {
        Some(path) => Some(TokenFile::load(path).map_err(|e| anyhow::anyhow!("--token-auth-file: {e}"))?),
        None => None,
    };
    let service_accounts = ServiceAccountTokens::load(&ServiceAccountOptions {
        issuers: args.service_account_issuer.clone(),
        audiences: args.api_audiences.clone(),
        signing_key_file: args
            .service_account_signing_key_file
            .clone()
            .unwrap_or_else(|| args.data_dir.join("pki").join(pki::SERVICE_ACCOUNT_KEY)),
        key_files: args.service_account_key_file.clone(),
    })
    .map_err(|e| anyhow::anyhow!("service account keys: {e}"))?;
    let options = AuthnOptions {
        token_file,
        anonymous: args.anonymous_auth.unwrap_or(true),
        bootstrap_tokens: args.enable_bootstrap_token_auth,
        service_accounts: Some(Arc::new(service_accounts)),
        oidc,
        structured,
        webhook: match &args.authentication_token_webhook_config_file {
            Some(path) => Some(
                TokenWebhook::load(path, args.authentication_token_webhook_cache_ttl)
                    .map_err(|e| anyhow::anyhow!("--authentication-token-webhook-config-file: {e}"))?,
            ),
            None => None,
        },
        request_headers: args.requestheader_client_ca_file.as_ref().map(|_| RequestHeaders {
            allowed_names: args.requestheader_allowed_names.clone(),
            username: args.requestheader_username_headers.iter().map(|h| h.to_ascii_lowercase()).collect(),
            group: args.requestheader_group_headers.iter().map(|h| h.to_ascii_lowercase()).collect(),
            extra_prefixes: args.requestheader_extra_headers_prefix.clone(),
        }),
    };
    let rbac = Rbac::new(registry.clone());
    let errors = authz::validate_modes(
        &args.authorization_mode,
        args.authorization_policy_file.is_some(),
        args.authorization_webhook_config_file.is_some(),
    );
    if !errors.is_empty() {
        bail!("invalid authorization options: {}", errors.join(", "));
    }
    let mut authorizers: Vec<Mode> = Vec::new();
    for mode in &args.authorization_mode {
        authorizers.push(match mode.as_str() {
            "AlwaysAllow" => Mode::AlwaysAllow,
            "AlwaysDeny" => Mode::AlwaysDeny,
            "RBAC" => Mode::Rbac(rbac.clone()),
            "Node" => Mode::Node(NodeAuthorizer::start(registry)),
            "ABAC" => {
                let path = args.authorization_policy_file.as_deref().context("ABAC needs a policy file")?;
                Mode::Abac(Arc::new(Abac::load(path).map_err(|e| anyhow::anyhow!("--authorization-policy-file: {e}"))?))
            }
            "Webhook" => {
                let path = args.authorization_webhook_config_file.as_deref().context("Webhook needs a config file")?;
                let options = WebhookOptions {
                    version: WebhookVersion::parse(&args.authorization_webhook_version)
                        .map_err(|e| anyhow::anyhow!("--authorization-webhook-version: {e}"))?,
                    authorized_ttl: args.authorization_webhook_cache_authorized_ttl,
                    unauthorized_ttl: args.authorization_webhook_cache_unauthorized_ttl,
                };
                Mode::Webhook(Arc::new(
                    AuthorizationWebhook::load(path, options)
                        .map_err(|e| anyhow::anyhow!("--authorization-webhook-config-file: {e}"))?,
                ))
            }
            other => bail!("--authorization-mode {other:?} is not supported (supported: {})", authz::MODES.join(", ")),
        });
    }
    let authz = Arc::new(Chain::new(authorizers));
    // Role and binding writes are checked for escalation whatever the mode,
    // as kube-apiserver's RBAC storage does.
    registry.set_write_guard(EscalationGuard::new(rbac, authz.clone()));
    Ok(Arc::new(AuthState { authn: Authenticator::new(options, registry.clone()), authz }))
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_string()).unwrap_or_default()
}

/// Waits for SIGTERM or SIGINT and names it.
async fn shutdown_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(err) => {
            tracing::error!(%err, "cannot listen for SIGTERM; only SIGINT stops kubox");
            let _ = tokio::signal::ctrl_c().await;
            return "SIGINT";
        }
    };
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = tokio::signal::ctrl_c() => "SIGINT",
    }
}
