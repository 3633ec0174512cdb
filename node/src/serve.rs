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
use kubox_api::auth::Authorizer;
use kubox_api::auth::authn::{
    Authenticator, AuthnOptions, RequestHeaders, ServiceAccountOptions, ServiceAccountTokens, TokenFile,
};
use kubox_api::auth::authz::{AlwaysAllow, AlwaysDeny, Chain};
use kubox_api::auth::escalation::EscalationGuard;
use kubox_api::auth::gate::AuthState;
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
    let auth = auth_state(args, &registry, oidc(args).await?)?;
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
    let app = cluster::router(cluster_api).merge(server::router(ApiState::new(registry.clone(), auth), checks));
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

/// The OIDC authenticator the `--oidc-*` flags ask for: the issuer's keys
/// from `--oidc-jwks-file`, or from its discovery document.
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
fn auth_state(args: &ServeArgs, registry: &Arc<Registry>, oidc: Option<Oidc>) -> anyhow::Result<Arc<AuthState>> {
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
        anonymous: args.anonymous_auth,
        bootstrap_tokens: args.enable_bootstrap_token_auth,
        service_accounts: Some(Arc::new(service_accounts)),
        oidc,
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
    let mut authorizers: Vec<Arc<dyn Authorizer>> = Vec::new();
    for mode in &args.authorization_mode {
        authorizers.push(match mode.as_str() {
            "AlwaysAllow" => Arc::new(AlwaysAllow),
            "AlwaysDeny" => Arc::new(AlwaysDeny),
            "RBAC" => rbac.clone(),
            other => bail!(
                "--authorization-mode {other:?} is not supported (supported: {})",
                kubox_api::auth::authz::MODES.join(", ")
            ),
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
