//! `kubox serve`: lock the data directory, open the store, serve until
//! SIGTERM or SIGINT, then drain and close the store cleanly.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use kubox_api::health::{self, Check, HealthChecks};
use kubox_storage::{DirLock, LocalStore, Store, StoreOptions};

use crate::ServeArgs;

/// How long in-flight requests may take to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let _lock = DirLock::acquire(&args.data_dir)?;
    let store_dir = args.data_dir.join("store");
    let store = Arc::new(
        LocalStore::open(&store_dir, StoreOptions::default())
            .with_context(|| format!("opening the store in {}", store_dir.display()))?,
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(serve(&args, store.clone(), started));
    // Every write was durable when acknowledged; closing releases the files.
    store.close();
    tracing::info!("kubox stopped");
    result
}

async fn serve(args: &ServeArgs, store: Arc<LocalStore>, started: Instant) -> anyhow::Result<()> {
    let shutting_down = Arc::new(AtomicBool::new(false));
    let store_check = Check::store(store.clone() as Arc<dyn Store>);
    let checks = HealthChecks {
        healthz: vec![Check::ping(), store_check.clone()],
        livez: vec![Check::ping(), store_check.clone()],
        readyz: vec![Check::ping(), store_check, Check::shutdown(shutting_down.clone())],
    };
    let app = health::router(checks);

    let listener = tokio::net::TcpListener::bind((args.bind_address, args.secure_port))
        .await
        .with_context(|| format!("listening on {}:{}", args.bind_address, args.secure_port))?;
    let address = listener.local_addr()?;
    let revision = store.current_revision().await?;
    tracing::info!(
        %address,
        data_dir = %args.data_dir.display(),
        revision,
        startup_ms = started.elapsed().as_millis() as u64,
        "kubox is serving"
    );

    let (drained_tx, drained_rx) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        let reason = shutdown_signal().await;
        tracing::info!(signal = reason, "shutting down: draining requests");
        shutting_down.store(true, Ordering::SeqCst);
        let _ = drained_tx.send(());
    };
    let server = axum::serve(listener, app).with_graceful_shutdown(signal);
    tokio::select! {
        result = server => result.context("serving HTTP")?,
        _ = async {
            let _ = drained_rx.await;
            tokio::time::sleep(DRAIN_TIMEOUT).await;
        } => tracing::warn!("requests still running after {DRAIN_TIMEOUT:?}; stopping anyway"),
    }
    Ok(())
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
