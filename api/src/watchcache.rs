//! The watch cache: per resource, in memory, fed by one store watch, as
//! kube-apiserver's cacher. It holds every object of the resource (decoded
//! once, with its serialized forms cached on first use, so that a list or a
//! thousand watchers do not encode the same object again) and a window of
//! the most recent events, and serves:
//!
//! - watches from a resourceVersion inside the window (older: 410 Expired),
//!   or from "now" with the current state first as synthetic ADDED events;
//! - lists and gets at resourceVersion "0" (any), at N with NotOlderThan
//!   (waiting up to 3 s for the cache to reach N), and consistent ones
//!   (resourceVersion "") once the cache has caught up with the store's
//!   current revision, which a progress request to the store proves.
//!
//! Watchers filter by namespace, name, labels and fields. An object that
//! leaves a watcher's selection is a DELETED for it, one that enters is an
//! ADDED. A watcher that falls behind is closed (the client re-watches from
//! its last resourceVersion), so no watcher can hold memory unbounded.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use kubox_storage::{
    KeyRange, RangeRequest, Store, StoreError, WatchMessage as StoreMessage, WatchRequest as StoreWatch,
};
use parking_lot::RwLock;
use serde_json::Value;
use tokio::sync::{Notify, mpsc, watch};

use crate::catalog::ResourceSpec;
use crate::codec;
use crate::encryption::{self, Encryption};
use crate::errors::{ApiError, ApiResult};
use crate::selectors::{FieldSelector, LabelSelector};

/// How long a read may wait for the cache to reach a revision.
const FRESHNESS_WAIT: Duration = Duration::from_secs(3);
/// Events a watcher may have queued before it counts as too slow.
const WATCHER_QUEUE: usize = 1024;

/// An object as the cache holds it: its JSON, without apiVersion and kind
/// (the form of a list item; the full form adds them in front), and the
/// labels and fields watchers and lists filter on. The decoded tree is not
/// kept: as a `serde_json::Value` a 1 KiB ConfigMap with its managedFields
/// takes about 8 KiB of B-tree nodes, as JSON about 1.3 KiB. Whoever needs
/// the tree parses it ([`CachedObject::value`]).
pub struct CachedObject {
    /// Its store key.
    pub key: String,
    /// Its namespace ("" if cluster-scoped).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// Its resourceVersion (the store revision of its last change, or of
    /// its deletion for the object a DELETED event carries).
    pub revision: i64,
    /// `{"apiVersion":"…","kind":"…",`, shared by every object of a type;
    /// empty for an object without them.
    head: Bytes,
    /// The object's JSON without apiVersion and kind, with
    /// `metadata.resourceVersion` set.
    body: Bytes,
    labels: Pairs,
    fields: Pairs,
    protobuf: OnceLock<Result<Bytes, String>>,
}

/// A few string pairs sorted by key (an object's labels, its selectable
/// fields): a fraction of a `BTreeMap`'s footprint.
#[derive(Default)]
struct Pairs(Box<[(Box<str>, Box<str>)]>);

impl Pairs {
    fn new(mut pairs: Vec<(Box<str>, Box<str>)>) -> Self {
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Self(pairs.into_boxed_slice())
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(key)).ok().map(|i| &*self.0[i].1)
    }
}

/// The shared `{"apiVersion":…,"kind":…,` prefix of a type.
fn type_head(api_version: Option<&str>, kind: Option<&str>) -> Bytes {
    static HEADS: OnceLock<parking_lot::Mutex<HashMap<(String, String), Bytes>>> = OnceLock::new();
    if api_version.is_none() && kind.is_none() {
        return Bytes::new();
    }
    let id = (api_version.unwrap_or("\0").to_string(), kind.unwrap_or("\0").to_string());
    let mut heads = HEADS.get_or_init(Default::default).lock();
    heads
        .entry(id)
        .or_insert_with(|| {
            let mut head = b"{".to_vec();
            for (field, value) in [("apiVersion", api_version), ("kind", kind)] {
                if let Some(v) = value {
                    head.extend_from_slice(format!("\"{field}\":").as_bytes());
                    head.extend_from_slice(Value::String(v.to_string()).to_string().as_bytes());
                    head.push(b',');
                }
            }
            Bytes::from(head)
        })
        .clone()
}

impl CachedObject {
    /// Wraps an object (serializing it once).
    pub fn new(spec: &ResourceSpec, key: String, revision: i64, mut value: Value) -> Self {
        let meta = &value["metadata"];
        let namespace = meta["namespace"].as_str().unwrap_or("").to_string();
        let name = meta["name"].as_str().unwrap_or("").to_string();
        let labels = meta["labels"]
            .as_object()
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.as_str().into(), v.as_str()?.into()))).collect())
            .unwrap_or_default();
        let fields = spec.field_values(&value).into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        let mut head = Bytes::new();
        if let Some(m) = value.as_object_mut() {
            let api_version = m.get("apiVersion").and_then(Value::as_str).is_some().then(|| m.remove("apiVersion"));
            let kind = m.get("kind").and_then(Value::as_str).is_some().then(|| m.remove("kind"));
            head = type_head(
                api_version.as_ref().and_then(|v| v.as_ref()?.as_str()),
                kind.as_ref().and_then(|v| v.as_ref()?.as_str()),
            );
        }
        // Held for as long as the object is cached: copied into a block of
        // its own size (shrinking the serializer's buffer in place would
        // keep the allocator's larger block).
        let body = Bytes::copy_from_slice(&serde_json::to_vec(&value).unwrap_or_default());
        Self {
            key,
            namespace,
            name,
            revision,
            head,
            body,
            labels: Pairs::new(labels),
            fields: Pairs::new(fields),
            protobuf: OnceLock::new(),
        }
    }

    /// The object as JSON.
    pub fn json(&self) -> Bytes {
        if self.head.is_empty() {
            return self.body.clone();
        }
        let mut out = Vec::with_capacity(self.head.len() + self.body.len());
        out.extend_from_slice(&self.head);
        match self.body.get(1..).filter(|rest| *rest != b"}") {
            Some(rest) => out.extend_from_slice(rest),
            // `{}`: the head's trailing comma closes the object instead.
            None => {
                out.pop();
                out.push(b'}');
            }
        }
        Bytes::from(out)
    }

    /// The object as JSON without apiVersion and kind (a list item).
    pub fn item_json(&self) -> &Bytes {
        &self.body
    }

    /// The object without apiVersion and kind, decoded.
    pub fn item_value(&self) -> ApiResult<Value> {
        serde_json::from_slice(&self.body)
            .map_err(|e| ApiError::internal(format!("decoding the cached {}: {e}", self.key)))
    }

    /// The object, decoded.
    pub fn value(&self) -> ApiResult<Value> {
        serde_json::from_slice(&self.json())
            .map_err(|e| ApiError::internal(format!("decoding the cached {}: {e}", self.key)))
    }

    /// The object as enveloped protobuf, encoded once.
    pub fn protobuf(&self, spec: &ResourceSpec) -> ApiResult<&Bytes> {
        self.protobuf
            .get_or_init(|| {
                let value = self.value().map_err(|e| e.message.clone())?;
                crate::protobuf::encode(&spec.definition, &value)
                    .map(|raw| Bytes::from(crate::protobuf::wrap(&spec.api_version(), &spec.kind, &raw)))
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| ApiError::internal(format!("encoding {} as protobuf: {e}", spec.kind)))
    }

    /// The value of a label.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.get(key)
    }

    /// The value of a selectable field ("" when the resource has it but the
    /// object does not set it).
    pub fn field(&self, field: &str) -> Option<&str> {
        self.fields.get(field)
    }

    /// A copy carrying another resourceVersion (a deleted object in a
    /// DELETED event).
    fn at_revision(&self, spec: &ResourceSpec, revision: i64) -> ApiResult<Self> {
        let mut value = self.value()?;
        codec::set_resource_version(&mut value, revision);
        Ok(Self::new(spec, self.key.clone(), revision, value))
    }
}

/// The type of a watch event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// ADDED.
    Added,
    /// MODIFIED.
    Modified,
    /// DELETED.
    Deleted,
}

impl EventType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// A page of a list served from the cache (see [`WatchCache::page_at`]).
pub struct Page {
    /// The objects, in key order.
    pub items: Vec<Arc<CachedObject>>,
    /// The key the next page starts at, if any object follows.
    pub next: Option<String>,
    /// How many objects follow, when asked for.
    pub remaining: Option<i64>,
}

/// A change in the cache's window.
struct CacheEvent {
    revision: i64,
    /// The object after the change; for a deletion, the deleted object at
    /// the deletion revision.
    object: Arc<CachedObject>,
    /// The object before the change, if it existed.
    prev: Option<Arc<CachedObject>>,
    deleted: bool,
}

/// What a watcher receives.
pub enum WatchMsg {
    /// An event.
    Event(EventType, Arc<CachedObject>),
    /// A bookmark at a revision; `initial_end` marks the end of
    /// `sendInitialEvents`.
    Bookmark { revision: i64, initial_end: bool },
}

/// Which objects a watch or list wants.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this namespace ("" for all).
    pub namespace: String,
    /// Only this name ("" for all).
    pub name: String,
    /// Label selector.
    pub labels: Option<LabelSelector>,
    /// Field selector.
    pub fields: Option<FieldSelector>,
}

impl Filter {
    /// Whether a label or field selector narrows the selection (then a
    /// page's remaining count is unknown).
    pub fn has_selectors(&self) -> bool {
        self.labels.as_ref().is_some_and(|l| !l.is_empty()) || self.fields.as_ref().is_some_and(|f| !f.is_empty())
    }

    /// Whether `o` is selected.
    pub fn matches(&self, o: &CachedObject) -> bool {
        (self.namespace.is_empty() || o.namespace == self.namespace)
            && (self.name.is_empty() || o.name == self.name)
            && self.labels.as_ref().is_none_or(|l| l.matches_with(&|k| o.label(k)))
            && self.fields.as_ref().is_none_or(|f| f.matches_with(&|k| o.field(k)))
    }
}

/// Where a watch starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchStart {
    /// With the current state as ADDED events (resourceVersion "" or "0").
    CurrentState,
    /// After this revision, from the window.
    After(i64),
}

/// A watch on the cache.
pub struct WatchOptions {
    /// Which objects.
    pub filter: Filter,
    /// Where to start.
    pub start: WatchStart,
    /// Send bookmarks.
    pub bookmarks: bool,
    /// `sendInitialEvents=true`: the current state, then the
    /// `k8s.io/initial-events-end` bookmark.
    pub send_initial_events: bool,
    /// When the watch ends (timeoutSeconds), for the last bookmark.
    pub deadline: Option<Instant>,
}

struct Watcher {
    filter: Filter,
    tx: mpsc::Sender<WatchMsg>,
    bookmarks: bool,
    next_bookmark: Instant,
    deadline: Option<Instant>,
}

struct State {
    ready: bool,
    /// Every change at or before this revision has been applied.
    revision: i64,
    objects: BTreeMap<String, Arc<CachedObject>>,
    window: VecDeque<CacheEvent>,
    /// Watches from resourceVersions at or after this can be served.
    oldest: i64,
    watchers: HashMap<u64, Watcher>,
    next_id: u64,
    /// Keys whose stored value could not be decoded (or decrypted): reads
    /// of them go to the store, which answers with the error.
    unreadable: std::collections::BTreeSet<String>,
}

/// The cache of one resource.
pub struct WatchCache {
    spec: Arc<ResourceSpec>,
    store: Arc<dyn Store>,
    capacity: usize,
    bookmark_interval: Duration,
    state: RwLock<State>,
    revision_tx: watch::Sender<i64>,
    progress: Notify,
    encryption: Option<Arc<Encryption>>,
}

impl WatchCache {
    /// Starts a cache of `spec` (its storage version) holding `capacity`
    /// recent events, fed from `store`. Needs a Tokio runtime.
    pub fn start(
        spec: Arc<ResourceSpec>,
        store: Arc<dyn Store>,
        capacity: usize,
        bookmark_interval: Duration,
        encryption: Option<Arc<Encryption>>,
    ) -> Arc<Self> {
        let (revision_tx, _) = watch::channel(0);
        let cache = Arc::new(Self {
            spec,
            store,
            capacity: capacity.max(1),
            bookmark_interval,
            state: RwLock::new(State {
                ready: false,
                revision: 0,
                objects: BTreeMap::new(),
                window: VecDeque::new(),
                oldest: 0,
                watchers: HashMap::new(),
                next_id: 0,
                unreadable: Default::default(),
            }),
            revision_tx,
            progress: Notify::new(),
            encryption,
        });
        tokio::spawn(feed(Arc::downgrade(&cache)));
        tokio::spawn(bookmarks(Arc::downgrade(&cache)));
        cache
    }

    /// The resource (storage version) this cache holds.
    pub fn spec(&self) -> &Arc<ResourceSpec> {
        &self.spec
    }

    /// The revision the cache has reached.
    pub fn revision(&self) -> i64 {
        self.state.read().revision
    }

    /// Waits until the cache has applied everything up to `revision`, or
    /// fails as kube-apiserver does ("Too large resource version").
    pub async fn wait_for(&self, revision: i64) -> ApiResult<()> {
        let mut rx = self.revision_tx.subscribe();
        let deadline = tokio::time::Instant::now() + FRESHNESS_WAIT;
        loop {
            {
                let s = self.state.read();
                if s.ready && s.revision >= revision {
                    return Ok(());
                }
            }
            self.progress.notify_one();
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                _ => {
                    let current = self.revision();
                    let mut err =
                        ApiError::timeout(&format!("Too large resource version: {revision}, current: {current}"), 1);
                    err.causes.push(crate::errors::Cause {
                        reason: "ResourceVersionTooLarge".into(),
                        message: "Too large resource version".into(),
                        field: String::new(),
                    });
                    return Err(err);
                }
            }
        }
    }

    /// Waits until the cache holds every change the store has committed
    /// (a consistent read from the cache).
    pub async fn wait_fresh(&self) -> ApiResult<i64> {
        let current = self.store.current_revision().await?;
        self.wait_for(current).await?;
        Ok(self.revision())
    }

    /// The selected objects, in key order, and the cache's revision.
    pub fn list(&self, filter: &Filter) -> (Vec<Arc<CachedObject>>, i64) {
        let s = self.state.read();
        let range: Box<dyn Iterator<Item = (&String, &Arc<CachedObject>)>> =
            if !filter.namespace.is_empty() && self.spec.namespaced {
                let prefix = self.spec.key_prefix(&filter.namespace);
                Box::new(s.objects.range(prefix.clone()..).take_while(move |(k, _)| k.starts_with(&prefix)))
            } else {
                Box::new(s.objects.iter())
            };
        (range.filter(|(_, o)| filter.matches(o)).map(|(_, o)| o.clone()).collect(), s.revision)
    }

    /// A page of the objects in key order from `start` (a full key), as they
    /// were at `revision`, with the key to continue from and, when `counted`,
    /// how many objects of the range follow. `None` unless the cache can
    /// prove that its state at `revision` is its state now: it has applied
    /// everything up to `revision` and seen no change after it. Pagination
    /// through an unchanging resource is then served from memory instead of
    /// a store range per page.
    pub fn page_at(&self, filter: &Filter, revision: i64, start: &str, limit: usize, counted: bool) -> Option<Page> {
        let s = self.state.read();
        let last_change = s.window.back().map_or(s.oldest, |e| e.revision);
        if !s.ready || revision < last_change || revision > s.revision {
            return None;
        }
        let prefix = if !filter.namespace.is_empty() && self.spec.namespaced {
            self.spec.key_prefix(&filter.namespace)
        } else {
            self.spec.key_prefix("")
        };
        let from = if start > prefix.as_str() { start.to_string() } else { prefix.clone() };
        let mut range = s.objects.range(from..).take_while(|(k, _)| k.starts_with(&prefix));
        let mut items = Vec::new();
        let mut last = None;
        for (key, object) in range.by_ref() {
            if filter.matches(object) {
                items.push(object.clone());
            }
            last = Some(key);
            if items.len() == limit {
                break;
            }
        }
        let rest = if last.is_some() && items.len() == limit { range.count() } else { 0 };
        let next = last.filter(|_| rest > 0).map(|key| format!("{key}\0"));
        Some(Page { items, next, remaining: (counted && rest > 0).then_some(rest as i64) })
    }

    /// Whether the stored value of `key` could not be decoded.
    pub fn is_unreadable(&self, key: &str) -> bool {
        let s = self.state.read();
        !s.unreadable.is_empty() && s.unreadable.contains(key)
    }

    /// Whether a value under `prefix` could not be decoded.
    pub fn has_unreadable(&self, prefix: &str) -> bool {
        let s = self.state.read();
        s.unreadable.range(prefix.to_string()..).next().is_some_and(|k| k.starts_with(prefix))
    }

    /// One object by key, and the cache's revision.
    pub fn get(&self, key: &str) -> (Option<Arc<CachedObject>>, i64) {
        let s = self.state.read();
        (s.objects.get(key).cloned(), s.revision)
    }

    /// Starts a watch. The receiver gets the initial state (if asked) and
    /// then every change, in order, until the watcher is too slow (then the
    /// channel closes) or dropped.
    pub async fn watch(&self, opts: WatchOptions) -> ApiResult<mpsc::Receiver<WatchMsg>> {
        if let WatchStart::After(rv) = opts.start {
            // A watch from a revision the cache has not reached waits for it.
            self.wait_for(rv).await?;
        } else {
            self.wait_for(0).await?;
        }
        let (tx, rx) = mpsc::channel(WATCHER_QUEUE);
        let mut s = self.state.write();
        let mut initial: Vec<WatchMsg> = Vec::new();
        match opts.start {
            WatchStart::CurrentState => {
                for o in s.objects.values().filter(|o| opts.filter.matches(o)) {
                    initial.push(WatchMsg::Event(EventType::Added, o.clone()));
                }
            }
            WatchStart::After(rv) => {
                if rv < s.oldest {
                    return Err(ApiError::expired(format!("too old resource version: {rv} ({})", s.oldest)));
                }
                if opts.send_initial_events {
                    for o in s.objects.values().filter(|o| opts.filter.matches(o)) {
                        initial.push(WatchMsg::Event(EventType::Added, o.clone()));
                    }
                } else {
                    for e in s.window.iter().filter(|e| e.revision > rv) {
                        if let Some(msg) = event_for(&self.spec, &opts.filter, e) {
                            initial.push(msg);
                        }
                    }
                }
            }
        }
        if opts.send_initial_events {
            initial.push(WatchMsg::Bookmark { revision: s.revision, initial_end: true });
        }
        if initial.len() > WATCHER_QUEUE {
            // More than the queue holds: deliver through a bigger queue once.
            let (big_tx, big_rx) = mpsc::channel(initial.len() + WATCHER_QUEUE);
            for m in initial {
                let _ = big_tx.try_send(m);
            }
            self.register(&mut s, opts, big_tx);
            return Ok(big_rx);
        }
        for m in initial {
            let _ = tx.try_send(m);
        }
        self.register(&mut s, opts, tx);
        Ok(rx)
    }

    fn register(&self, s: &mut State, opts: WatchOptions, tx: mpsc::Sender<WatchMsg>) {
        let id = s.next_id;
        s.next_id += 1;
        let now = Instant::now();
        let mut w =
            Watcher { filter: opts.filter, tx, bookmarks: opts.bookmarks, next_bookmark: now, deadline: opts.deadline };
        w.next_bookmark = next_bookmark_time(&w, now, self.bookmark_interval);
        s.watchers.insert(id, w);
    }

    /// Applies a committed change from the store.
    fn apply(&self, key: String, revision: i64, value: Option<Value>) {
        let mut s = self.state.write();
        if !s.unreadable.is_empty() {
            s.unreadable.remove(&key);
        }
        let prev = s.objects.get(&key).cloned();
        let event = match value {
            Some(v) => {
                let object = Arc::new(CachedObject::new(&self.spec, key.clone(), revision, v));
                s.objects.insert(key, object.clone());
                CacheEvent { revision, object, prev, deleted: false }
            }
            None => {
                let Some(prev) = prev else {
                    s.revision = s.revision.max(revision);
                    return;
                };
                s.objects.remove(&key);
                let object = deleted_at(&self.spec, &prev, revision);
                CacheEvent { revision, object, prev: Some(prev), deleted: true }
            }
        };
        let mut closed = Vec::new();
        for (id, w) in &s.watchers {
            if let Some(msg) = event_for(&self.spec, &w.filter, &event)
                && w.tx.try_send(msg).is_err()
            {
                closed.push(*id);
            }
        }
        for id in closed {
            s.watchers.remove(&id);
        }
        s.window.push_back(event);
        while s.window.len() > self.capacity {
            if let Some(e) = s.window.pop_front() {
                s.oldest = e.revision;
            }
        }
        s.revision = s.revision.max(revision);
    }

    fn set_revision(&self, revision: i64) {
        let mut s = self.state.write();
        s.revision = s.revision.max(revision);
    }
}

/// The event a watcher with `filter` sees for a change, if any.
fn event_for(spec: &ResourceSpec, filter: &Filter, e: &CacheEvent) -> Option<WatchMsg> {
    let now_in = !e.deleted && filter.matches(&e.object);
    let was_in = e.prev.as_ref().is_some_and(|p| filter.matches(p));
    match (was_in, now_in) {
        (false, true) => Some(WatchMsg::Event(EventType::Added, e.object.clone())),
        (true, true) => Some(WatchMsg::Event(EventType::Modified, e.object.clone())),
        (true, false) if e.deleted => Some(WatchMsg::Event(EventType::Deleted, e.object.clone())),
        // Left the selection: the last state it was seen in, at this revision.
        (true, false) => {
            let prev = e.prev.as_ref()?;
            Some(WatchMsg::Event(EventType::Deleted, deleted_at(spec, prev, e.revision)))
        }
        (false, false) => None,
    }
}

/// `object` as a DELETED event carries it: at the revision of the change.
fn deleted_at(spec: &ResourceSpec, object: &Arc<CachedObject>, revision: i64) -> Arc<CachedObject> {
    match object.at_revision(spec, revision) {
        Ok(o) => Arc::new(o),
        Err(err) => {
            // Only an object the cache could not parse back gets here; its
            // last state is still the right content.
            tracing::error!(err = %err.message, key = %object.key, "watch cache: re-reading a cached object failed");
            object.clone()
        }
    }
}

fn next_bookmark_time(w: &Watcher, now: Instant, interval: Duration) -> Instant {
    let heartbeat = now + interval;
    match w.deadline {
        // As kube-apiserver: the last bookmark 2 s before the watch ends.
        Some(d) => heartbeat.min(d.checked_sub(Duration::from_secs(2)).unwrap_or(d)),
        None => heartbeat,
    }
}

/// Lists the store, then follows its watch; re-lists if the watch fails.
async fn feed(cache: std::sync::Weak<WatchCache>) {
    loop {
        let Some(c) = cache.upgrade() else { return };
        let prefix = format!("{}/", c.spec.storage_prefix);
        let listed = c.store.range(RangeRequest::new(KeyRange::prefix(prefix.clone()))).await;
        let resp = match listed {
            Ok(r) => r,
            Err(StoreError::Closed) => return,
            Err(err) => {
                tracing::error!(%err, resource = %c.spec.plural, "watch cache: listing the store failed; retrying");
                drop(c);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let mut objects = BTreeMap::new();
        let mut unreadable = std::collections::BTreeSet::new();
        for kv in resp.kvs {
            let key = String::from_utf8_lossy(&kv.key).to_string();
            match encryption::decode_stored(c.encryption.as_deref(), &c.spec, &key, &kv.value, kv.mod_revision).await {
                Ok((v, _)) => {
                    objects.insert(key.clone(), Arc::new(CachedObject::new(&c.spec, key, kv.mod_revision, v)));
                }
                Err(err) => {
                    tracing::error!(err = %err.message, %key, "watch cache: skipping an undecodable object");
                    unreadable.insert(key);
                }
            }
        }
        {
            let mut s = c.state.write();
            s.objects = objects;
            s.unreadable = unreadable;
            s.window.clear();
            s.revision = resp.header_revision;
            s.oldest = resp.header_revision;
            // Watchers of a previous run cannot continue without a gap.
            s.watchers.clear();
            s.ready = true;
        }
        c.revision_tx.send_replace(resp.header_revision);
        let start = resp.header_revision + 1;
        let mut stream = match c
            .store
            .watch(StoreWatch {
                range: KeyRange::prefix(prefix),
                start_revision: start,
                prev_kv: false,
                progress_notify: false,
            })
            .await
        {
            Ok(s) => s,
            Err(StoreError::Closed) => return,
            Err(err) => {
                tracing::error!(%err, "watch cache: watching the store failed; re-listing");
                continue;
            }
        };
        drop(c);
        loop {
            let Some(c) = cache.upgrade() else { return };
            tokio::select! {
                msg = stream.next() => match msg {
                    Some(Ok(StoreMessage::Events(events))) => {
                        let mut last = 0;
                        for e in events {
                            let key = String::from_utf8_lossy(&e.kv.key).to_string();
                            let value = match e.kind {
                                kubox_storage::EventKind::Put => match encryption::decode_stored(c.encryption.as_deref(), &c.spec, &key, &e.kv.value, e.kv.mod_revision).await {
                                    Ok((v, _)) => Some(v),
                                    Err(err) => {
                                        tracing::error!(err = %err.message, %key, "watch cache: undecodable object in a watch event");
                                        c.state.write().unreadable.insert(key);
                                        continue;
                                    }
                                },
                                kubox_storage::EventKind::Delete => None,
                            };
                            last = e.kv.mod_revision;
                            c.apply(key, e.kv.mod_revision, value);
                        }
                        c.revision_tx.send_replace(last);
                    }
                    Some(Ok(StoreMessage::Progress(rev))) => {
                        c.set_revision(rev);
                        c.revision_tx.send_replace(rev);
                    }
                    Some(Err(StoreError::Closed)) | None => return,
                    Some(Err(err)) => {
                        tracing::warn!(%err, resource = %c.spec.plural, "watch cache: store watch ended; re-listing");
                        break;
                    }
                },
                _ = c.progress.notified() => stream.request_progress(),
            }
        }
    }
}

/// Sends due bookmarks, in order with the events, every second.
async fn bookmarks(cache: std::sync::Weak<WatchCache>) {
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tick.tick().await;
        let Some(c) = cache.upgrade() else { return };
        let now = Instant::now();
        let mut s = c.state.write();
        let revision = s.revision;
        let mut closed = Vec::new();
        for (id, w) in s.watchers.iter_mut() {
            if w.tx.is_closed() {
                closed.push(*id);
                continue;
            }
            if !w.bookmarks || w.next_bookmark > now {
                continue;
            }
            if w.tx.try_send(WatchMsg::Bookmark { revision, initial_end: false }).is_err() {
                closed.push(*id);
                continue;
            }
            w.next_bookmark = next_bookmark_time(w, now, c.bookmark_interval);
        }
        for id in closed {
            s.watchers.remove(&id);
        }
    }
}
