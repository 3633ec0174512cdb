//! `kubox serve`: lock the data directory, open the store, generate (or
//! load) the certificates, serve the Kubernetes API over HTTPS until
//! SIGTERM or SIGINT, then drain and close the store cleanly.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use kubox_api::catalog::Catalog;
use kubox_api::health::{Check, HealthChecks};
use kubox_api::registry::{Registry, RegistryOptions};
use kubox_api::server::{self, ApiState};
use kubox_storage::{DirLock, LocalStore, Store, StoreOptions};

use crate::pki::{self, Pki};
use crate::{ServeArgs, bootstrap, compactor, namespaces};

/// How long in-flight requests may take to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// Threads for blocking work (store reads); two cores are busy long before
/// more of them would help.
const BLOCKING_THREADS: usize = 16;

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let _lock = DirLock::acquire(&args.data_dir)?;
    let store_dir = args.data_dir.join("store");
    let store = Arc::new(
        LocalStore::open(&store_dir, StoreOptions::default())
            .with_context(|| format!("opening the store in {}", store_dir.display()))?,
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        // Store reads run on blocking threads; a burst of them must not
        // leave hundreds behind, each with its own allocator pages.
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()?;
    let result = runtime.block_on(serve(&args, store.clone(), started));
    // Every write was durable when acknowledged; closing releases the files.
    store.close();
    runtime.shutdown_timeout(Duration::from_secs(1));
    tracing::info!("kubox stopped");
    result
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

async fn serve(args: &ServeArgs, store: Arc<LocalStore>, started: Instant) -> anyhow::Result<()> {
    let options = RegistryOptions {
        default_watch_cache_size: args.default_watch_cache_size,
        watch_cache_sizes: parse_cache_sizes(&args.watch_cache_sizes)?,
        service_cidr: args.service_cluster_ip_range.clone(),
        node_ports: parse_port_range(&args.service_node_port_range)?,
        ..RegistryOptions::default()
    };
    let catalog = Arc::new(Catalog::builtin());
    let registry = Arc::new(
        Registry::new(store.clone() as Arc<dyn Store>, catalog, options).await.map_err(|e| anyhow::anyhow!("{e}"))?,
    );

    let advertise: IpAddr = match args.advertise_address {
        Some(a) => a,
        None if args.bind_address.is_unspecified() => "127.0.0.1".parse()?,
        None => args.bind_address,
    };
    let pki = Pki::ensure(&args.data_dir, &[args.bind_address.to_string(), advertise.to_string(), hostname()])?;
    let tls = pki.server_config()?;
    let listener = tokio::net::TcpListener::bind((args.bind_address, args.secure_port))
        .await
        .with_context(|| format!("listening on {}:{}", args.bind_address, args.secure_port))?;
    let address = listener.local_addr()?;
    let host = pki::client_host(args.bind_address);
    let kubeconfig = args.data_dir.join("admin.kubeconfig");
    pki.write_admin_kubeconfig(&kubeconfig, &format!("https://{}:{}", pki::url_host(&host), address.port()))?;

    bootstrap::run(&registry, advertise, address.port()).await?;
    tokio::spawn(namespaces::run(registry.clone()));
    tokio::spawn(compactor::run(store.clone() as Arc<dyn Store>, args.etcd_compaction_interval));

    let shutting_down = Arc::new(AtomicBool::new(false));
    let store_check = Check::store(store.clone() as Arc<dyn Store>);
    let checks = HealthChecks {
        healthz: vec![Check::ping(), store_check.clone()],
        livez: vec![Check::ping(), store_check.clone()],
        readyz: vec![Check::ping(), store_check, Check::shutdown(shutting_down.clone())],
    };
    let app = server::router(ApiState::new(registry.clone()), checks);
    let revision = store.current_revision().await?;
    tracing::info!(
        %address,
        data_dir = %args.data_dir.display(),
        kubeconfig = %kubeconfig.display(),
        revision,
        startup_ms = started.elapsed().as_millis() as u64,
        "kubox is serving"
    );
    let signal = async move {
        let reason = shutdown_signal().await;
        tracing::info!(signal = reason, "shutting down: draining requests");
        shutting_down.store(true, Ordering::SeqCst);
    };
    server::serve_tls(listener, tls, app, signal, DRAIN_TIMEOUT).await;
    Ok(())
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
