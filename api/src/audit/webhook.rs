//! The webhook backend (`--audit-webhook-config-file`, a kubeconfig): events
//! are sent in batches as an audit.k8s.io/v1 `EventList`, as kube-apiserver's
//! batch mode does. A batch goes when it holds `--audit-webhook-batch-max-size`
//! events or its first event has waited `--audit-webhook-batch-max-wait`; a
//! failed send is retried with exponential backoff from
//! `--audit-webhook-initial-backoff` (factor 1.5, five tries), then dropped
//! and logged.

use std::sync::Arc;
use std::time::Duration;

use super::{Backend, Queue};
use crate::client::KubeconfigServer;

/// The webhook backend's settings.
#[derive(Clone, Debug)]
pub struct WebhookOptions {
    /// The kubeconfig naming the server.
    pub config: std::path::PathBuf,
    /// Events queued before new ones are dropped.
    pub buffer_size: usize,
    /// Events per batch at most.
    pub max_batch_size: usize,
    /// How long the first event of a batch waits at most.
    pub max_batch_wait: Duration,
    /// The first retry's delay.
    pub initial_backoff: Duration,
}

/// Tries of one batch.
const TRIES: u32 = 5;

/// Loads the kubeconfig and starts the sender (on the current runtime).
pub fn start(options: WebhookOptions) -> Result<Arc<dyn Backend>, String> {
    let server = KubeconfigServer::load(&options.config).map_err(|e| format!("{e:#}"))?;
    let (queue, mut rx) = Queue::new("webhook", options.buffer_size);
    tokio::spawn(async move {
        let max = options.max_batch_size.max(1);
        let mut batch = Vec::with_capacity(max);
        loop {
            let Some(first) = rx.recv().await else { break };
            batch.push(first);
            let deadline = tokio::time::Instant::now() + options.max_batch_wait;
            while batch.len() < max {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some(e)) => batch.push(e),
                    Ok(None) | Err(_) => break,
                }
            }
            let events: Vec<super::Event> = batch.drain(..).map(super::finish).collect();
            send(&server, &events, options.initial_backoff).await;
        }
    });
    Ok(Arc::new(queue))
}

async fn send(server: &KubeconfigServer, events: &[super::Event], initial_backoff: Duration) {
    let list = serde_json::json!({
        "kind": "EventList",
        "apiVersion": "audit.k8s.io/v1",
        "metadata": {},
        "items": events,
    });
    let mut delay = initial_backoff;
    for attempt in 1..=TRIES {
        match server.post(&list).await {
            Ok((code, _)) if (200..300).contains(&code) => return,
            // A client error will not get better by trying again.
            Ok((code, _)) if (400..500).contains(&code) && code != 429 => {
                tracing::error!(code, events = events.len(), "the audit webhook refused a batch; dropped");
                return;
            }
            Ok((code, _)) => tracing::warn!(code, attempt, "the audit webhook failed"),
            Err(err) => tracing::warn!(err = %format!("{err:#}"), attempt, "the audit webhook is unreachable"),
        }
        if attempt < TRIES {
            tokio::time::sleep(delay).await;
            delay = delay.mul_f64(1.5);
        }
    }
    tracing::error!(events = events.len(), "audit webhook: batch dropped after {TRIES} tries");
}
