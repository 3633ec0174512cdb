//! Watches. A watcher first replays history from its start revision out of
//! the engine ("catching up"), then registers with the [`Hub`] to receive
//! live events as batches commit ("synced"). The hand-over is gap- and
//! duplicate-free because the committed revision only moves under the hub's
//! lock: a watcher registers only when it has replayed everything up to the
//! committed revision, and every later batch is pushed to it.
//!
//! A synced watcher that cannot keep up (its queue is full) is dropped from
//! the hub and catches up from the engine again, from the first revision it
//! has not delivered, so a slow consumer costs memory for one bounded queue
//! and never blocks the writer or loses an event.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::task::{Context, Poll};

use futures::Stream;
use parking_lot::Mutex;
use tokio::sync::{Notify, mpsc};

use crate::error::StoreError;
use crate::mvcc::Reader;
use crate::revision::Rev;
use crate::types::{Event, KeyRange, KeyValue, WatchMessage, WatchRequest};

/// Messages a synced watcher may have queued before it counts as lagging.
const LIVE_QUEUE: usize = 256;
/// Messages buffered between a watcher's task and its consumer.
const OUT_QUEUE: usize = 64;
/// Events replayed per read while catching up.
const CATCH_UP_EVENTS: usize = 1000;

/// An event as the applying side produced it; its previous key-value is
/// loaded only if a watcher wants it.
pub(crate) struct PendingEvent {
    pub event: Event,
    pub prev_rev: Option<Rev>,
}

struct Synced {
    range: KeyRange,
    prev_kv: bool,
    tx: mpsc::Sender<WatchMessage>,
}

#[derive(Default)]
struct HubInner {
    watchers: HashMap<u64, Synced>,
    next_id: u64,
    /// Set once the hub is closed: what ends every watch.
    closed: Option<StoreError>,
}

/// The set of synced watchers, and the lock under which the committed
/// revision moves.
#[derive(Default)]
pub(crate) struct Hub {
    inner: Mutex<HubInner>,
}

impl Hub {
    /// Moves the committed revision to `revision` and hands the batch's
    /// events to every synced watcher whose range they touch.
    pub fn publish(
        &self,
        committed: &AtomicI64,
        revision: i64,
        events: Vec<PendingEvent>,
        load_prev: impl Fn(Rev) -> Option<KeyValue>,
    ) {
        let mut inner = self.inner.lock();
        committed.store(revision, Ordering::SeqCst);
        if inner.watchers.is_empty() || events.is_empty() {
            return;
        }
        let mut prevs: Vec<Option<Option<KeyValue>>> = vec![None; events.len()];
        let mut dropped = Vec::new();
        for (id, w) in &inner.watchers {
            let mut out = Vec::new();
            for (i, pe) in events.iter().enumerate() {
                if !w.range.contains(&pe.event.kv.key) {
                    continue;
                }
                let mut ev = pe.event.clone();
                if w.prev_kv {
                    ev.prev_kv = prevs[i].get_or_insert_with(|| pe.prev_rev.and_then(&load_prev)).clone();
                }
                out.push(ev);
            }
            if !out.is_empty() && w.tx.try_send(WatchMessage::Events(out)).is_err() {
                // Full (it lags) or closed (it is gone): either way it leaves
                // the hub; a lagging watcher catches up from the engine.
                dropped.push(*id);
            }
        }
        for id in dropped {
            inner.watchers.remove(&id);
        }
    }

    /// Registers a watcher whose next revision is `next`, if it has seen
    /// everything committed; otherwise it must catch up further.
    fn register(&self, committed: &AtomicI64, range: &KeyRange, prev_kv: bool, next: i64) -> Registration {
        let mut inner = self.inner.lock();
        if let Some(err) = &inner.closed {
            return Registration::Closed(err.clone());
        }
        if committed.load(Ordering::SeqCst) >= next {
            return Registration::Behind;
        }
        let (tx, rx) = mpsc::channel(LIVE_QUEUE);
        let id = inner.next_id;
        inner.next_id += 1;
        inner.watchers.insert(id, Synced { range: range.clone(), prev_kv, tx });
        Registration::Synced(id, rx)
    }

    /// Queues a progress notification for a synced watcher, after the events
    /// already queued for it.
    fn progress(&self, committed: &AtomicI64, id: u64) {
        let mut inner = self.inner.lock();
        let revision = committed.load(Ordering::SeqCst);
        if let Some(w) = inner.watchers.get(&id)
            && w.tx.try_send(WatchMessage::Progress(revision)).is_err()
        {
            inner.watchers.remove(&id);
        }
    }

    fn unregister(&self, id: u64) {
        self.inner.lock().watchers.remove(&id);
    }

    fn closed(&self) -> Option<StoreError> {
        self.inner.lock().closed.clone()
    }

    /// Ends every watch: the store is shutting down.
    pub fn close(&self) {
        self.fail(StoreError::Closed);
    }

    /// Ends every watch with `reason` (the store's contents were replaced,
    /// so watchers must start again from a fresh read).
    pub fn fail(&self, reason: StoreError) {
        let mut inner = self.inner.lock();
        inner.closed = Some(reason);
        inner.watchers.clear();
    }
}

enum Registration {
    Synced(u64, mpsc::Receiver<WatchMessage>),
    Behind,
    Closed(StoreError),
}

/// A stream of [`WatchMessage`]s. It ends with an error item when the watch
/// cannot go on ([`StoreError::Compacted`] if it fell behind a compaction,
/// [`StoreError::Closed`] when the store shuts down). Dropping it cancels
/// the watch.
pub struct WatchStream {
    rx: mpsc::Receiver<Result<WatchMessage, StoreError>>,
    progress: Arc<Notify>,
}

impl WatchStream {
    /// Asks for a progress notification as soon as the watcher has seen
    /// every committed event (etcd's `RequestProgress`).
    pub fn request_progress(&self) {
        self.progress.notify_one();
    }
}

impl Stream for WatchStream {
    type Item = Result<WatchMessage, StoreError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

/// Starts a watch on `reader`'s store. Must be called within a Tokio runtime.
pub(crate) fn start(reader: Reader, req: WatchRequest) -> Result<WatchStream, StoreError> {
    let committed = reader.committed();
    let start = if req.start_revision > 0 { req.start_revision } else { committed + 1 };
    let compacted = reader.compacted();
    if start < compacted {
        return Err(StoreError::Compacted { compact_revision: compacted });
    }
    let (tx, rx) = mpsc::channel(OUT_QUEUE);
    let progress = Arc::new(Notify::new());
    tokio::spawn(run(reader, req, start, tx, progress.clone()));
    Ok(WatchStream { rx, progress })
}

/// Drives one watch until its consumer goes away or it fails.
async fn run(
    reader: Reader,
    req: WatchRequest,
    mut next: i64,
    out: mpsc::Sender<Result<WatchMessage, StoreError>>,
    progress: Arc<Notify>,
) {
    let shared = reader.shared.clone();
    let interval = shared.options.watch_progress_interval;
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
    let mut sent_since_tick = false;
    loop {
        // Catch up from the engine until registered with the hub.
        let (id, mut live) = loop {
            if out.is_closed() {
                return;
            }
            let committed = reader.committed();
            if next > committed {
                match shared.hub.register(&shared.committed, &req.range, req.prev_kv, next) {
                    Registration::Synced(id, rx) => break (id, rx),
                    Registration::Behind => continue,
                    Registration::Closed(err) => {
                        let _ = out.send(Err(err)).await;
                        return;
                    }
                }
            }
            let r = reader.clone();
            let range = req.range.clone();
            let prev_kv = req.prev_kv;
            let read =
                tokio::task::spawn_blocking(move || r.read_events(&range, next, committed, prev_kv, CATCH_UP_EVENTS))
                    .await
                    .unwrap_or_else(|e| Err(StoreError::Io(format!("watch replay task failed: {e}"))));
            match read {
                Ok((events, n)) => {
                    next = n;
                    if !events.is_empty() {
                        sent_since_tick = true;
                        if out.send(Ok(WatchMessage::Events(events))).await.is_err() {
                            return;
                        }
                    }
                }
                Err(err) => {
                    let _ = out.send(Err(err)).await;
                    return;
                }
            }
        };
        // Forward live events until the queue is dropped (lag or shutdown).
        // A progress request made while catching up left a permit in
        // `progress`, so it is answered here, once synced.
        loop {
            tokio::select! {
                msg = live.recv() => match msg {
                    Some(WatchMessage::Events(mut events)) => {
                        // A watch that starts in the future ignores what
                        // commits before its start.
                        events.retain(|e| e.kv.mod_revision >= next);
                        let Some(last) = events.last() else { continue };
                        next = last.kv.mod_revision + 1;
                        sent_since_tick = true;
                        if out.send(Ok(WatchMessage::Events(events))).await.is_err() {
                            shared.hub.unregister(id);
                            return;
                        }
                    }
                    Some(WatchMessage::Progress(rev)) => {
                        next = next.max(rev + 1);
                        if out.send(Ok(WatchMessage::Progress(rev))).await.is_err() {
                            shared.hub.unregister(id);
                            return;
                        }
                    }
                    None => break,
                },
                _ = progress.notified() => shared.hub.progress(&shared.committed, id),
                _ = ticker.tick(), if req.progress_notify => {
                    if !sent_since_tick {
                        shared.hub.progress(&shared.committed, id);
                    }
                    sent_since_tick = false;
                }
                _ = out.closed() => {
                    shared.hub.unregister(id);
                    return;
                }
            }
        }
        if let Some(err) = shared.hub.closed() {
            let _ = out.send(Err(err)).await;
            return;
        }
    }
}
