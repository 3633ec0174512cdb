//! The generic registry: get, list, watch, create, update, patch, delete and
//! deletecollection for every resource, written once over the store (as
//! kube-apiserver's generic registry store), with what differs per resource
//! taken from its catalog entry and hooks.
//!
//! Reads follow kube-apiserver's resourceVersion semantics: "" is a
//! consistent read, "0" any, N with NotOlderThan at least N (from the watch
//! cache), N with Exact exactly N (from the store's history). Paginated lists
//! read the store at one revision and hand out opaque continue tokens.

mod allocator;
mod delete;
mod write;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use kubox_storage::{KeyRange, RangeRequest, Store, StoreError};
use serde_json::{Value, json};
use tokio::sync::mpsc;

pub use self::allocator::ServiceAllocator;
pub use self::delete::{DeleteOptions, DeleteOutcome, PropagationPolicy};
pub use self::write::{ObjectRef, Part, Patch, WriteContext, WriteGuard};
use crate::catalog::{Catalog, ResourceSpec};
use crate::convert;
use crate::encryption::{self, Encryption};
use crate::errors::{ApiError, ApiResult};
use crate::selectors::{FieldSelector, LabelSelector};
use crate::validation::field::{ErrorType, FieldError};
use crate::watchcache::{CachedObject, Filter, WatchCache, WatchMsg, WatchOptions, WatchStart};

/// Tunables of the registry.
#[derive(Clone, Debug)]
pub struct RegistryOptions {
    /// Events each resource's watch cache keeps (kube-apiserver's
    /// `--default-watch-cache-size`); 0 disables caching.
    pub default_watch_cache_size: usize,
    /// Per resource sizes (`--watch-cache-sizes`, `resource[.group]#size`).
    pub watch_cache_sizes: HashMap<String, usize>,
    /// How often an idle watcher that allows bookmarks gets one.
    pub bookmark_interval: Duration,
    /// The service cluster IP range (`--service-cluster-ip-range`).
    pub service_cidr: String,
    /// The node port range (`--service-node-port-range`).
    pub node_ports: (u16, u16),
    /// Encryption at rest (`--encryption-provider-config`); `None` stores
    /// every resource as is.
    pub encryption: Option<Arc<Encryption>>,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        Self {
            default_watch_cache_size: 100,
            watch_cache_sizes: HashMap::new(),
            bookmark_interval: Duration::from_secs(60),
            service_cidr: "10.96.0.0/12".into(),
            node_ports: (30000, 32767),
            encryption: None,
        }
    }
}

/// How a read picks its revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadAt {
    /// resourceVersion "": the latest committed state.
    Consistent,
    /// resourceVersion "0": whatever the cache holds.
    Any,
    /// resourceVersion N, NotOlderThan: at least N.
    NotOlderThan(i64),
    /// resourceVersion N, Exact: exactly N.
    Exact(i64),
}

/// List parameters.
#[derive(Clone, Debug, Default)]
pub struct ListOptions {
    /// `labelSelector`.
    pub labels: Option<LabelSelector>,
    /// `fieldSelector`.
    pub fields: Option<FieldSelector>,
    /// `resourceVersion`.
    pub resource_version: String,
    /// `resourceVersionMatch`.
    pub resource_version_match: String,
    /// `limit` (0 = none).
    pub limit: i64,
    /// `continue`.
    pub continue_token: String,
}

/// A page of a list.
pub struct ListResult {
    /// The items, in key order.
    pub items: Vec<Arc<CachedObject>>,
    /// The list's resourceVersion.
    pub resource_version: i64,
    /// The token for the next page, if any.
    pub continue_token: Option<String>,
    /// Items after this page, when known.
    pub remaining_item_count: Option<i64>,
}

/// The registry of every resource.
pub struct Registry {
    store: Arc<dyn Store>,
    /// The built-in catalog, which custom resources extend.
    builtin: Arc<Catalog>,
    /// The catalog served now: swapped whole when CRDs change; a request
    /// takes one snapshot (a short read lock, never held across an await).
    catalog: parking_lot::RwLock<Arc<Catalog>>,
    /// Watch caches by storage prefix; custom resources' join at run time.
    caches: parking_lot::RwLock<HashMap<String, Arc<WatchCache>>>,
    /// What the custom entries of the catalog were made from.
    custom_fingerprint: parking_lot::Mutex<Option<String>>,
    allocator: ServiceAllocator,
    options: RegistryOptions,
    write_guard: std::sync::OnceLock<Arc<dyn WriteGuard>>,
}

impl Registry {
    /// Builds the registry and starts a watch cache for every stored
    /// resource. Needs a Tokio runtime.
    pub async fn new(store: Arc<dyn Store>, catalog: Arc<Catalog>, options: RegistryOptions) -> ApiResult<Self> {
        let mut caches = HashMap::new();
        for r in catalog.all() {
            if !r.is_stored() || caches.contains_key(&r.storage_prefix) {
                continue;
            }
            let storage = catalog.storage_resource(r);
            let size = cache_size(&options, &storage);
            caches.insert(
                storage.storage_prefix.clone(),
                WatchCache::start(storage, store.clone(), size, options.bookmark_interval, options.encryption.clone()),
            );
        }
        let allocator = ServiceAllocator::new(&options.service_cidr, options.node_ports).map_err(ApiError::internal)?;
        let registry = Self {
            store,
            builtin: catalog.clone(),
            catalog: parking_lot::RwLock::new(catalog),
            caches: parking_lot::RwLock::new(caches),
            custom_fingerprint: parking_lot::Mutex::new(None),
            allocator,
            options,
            write_guard: std::sync::OnceLock::new(),
        };
        registry.repair_allocations().await?;
        Ok(registry)
    }

    /// Installs the check every write passes (once; later calls are
    /// ignored).
    pub fn set_write_guard(&self, guard: Arc<dyn WriteGuard>) {
        let _ = self.write_guard.set(guard);
    }

    /// The catalog served now (a snapshot: built-ins and the custom
    /// resources of the established CRDs).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.read().clone()
    }

    /// Serves these custom resource versions (and only these, besides the
    /// built-ins) from now on: the catalog is swapped and every new storage
    /// prefix gets its watch cache. Caches of prefixes no longer served are
    /// dropped, which stops them.
    /// `fingerprint` names the state the entries were made from; the same
    /// fingerprint again changes nothing. Returns whether the catalog changed.
    pub fn set_custom_resources(&self, custom: Vec<Arc<ResourceSpec>>, fingerprint: &str) -> bool {
        {
            let mut last = self.custom_fingerprint.lock();
            if last.as_deref() == Some(fingerprint) {
                return false;
            }
            *last = Some(fingerprint.to_string());
        }
        let catalog = Arc::new(self.builtin.with_custom(custom));
        {
            let mut caches = self.caches.write();
            let served: std::collections::HashSet<&str> =
                catalog.all().iter().filter(|r| r.is_stored()).map(|r| r.storage_prefix.as_str()).collect();
            caches.retain(|prefix, _| served.contains(prefix.as_str()));
            for r in catalog.all() {
                if !r.is_stored() {
                    continue;
                }
                let storage = catalog.storage_resource(r);
                // A cache made for another shape of the resource (its schema
                // or scope changed) is replaced.
                let fresh = caches.get(&r.storage_prefix).is_some_and(|c| {
                    c.spec().namespaced == storage.namespaced
                        && c.spec().custom.as_ref().map(|x| &x.schema) == storage.custom.as_ref().map(|x| &x.schema)
                });
                if fresh {
                    continue;
                }
                let size = cache_size(&self.options, &storage);
                caches.insert(
                    storage.storage_prefix.clone(),
                    WatchCache::start(
                        storage,
                        self.store.clone(),
                        size,
                        self.options.bookmark_interval,
                        self.options.encryption.clone(),
                    ),
                );
            }
        }
        *self.catalog.write() = catalog;
        true
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Options.
    pub fn options(&self) -> &RegistryOptions {
        &self.options
    }

    /// The watch cache of a resource.
    pub fn cache(&self, spec: &ResourceSpec) -> ApiResult<Arc<WatchCache>> {
        self.caches
            .read()
            .get(&spec.storage_prefix)
            .cloned()
            .ok_or_else(|| ApiError::method_not_supported(&spec.group_resource(), "watch"))
    }

    /// The storage-version entry of a resource.
    pub fn storage_spec(&self, spec: &ResourceSpec) -> Arc<ResourceSpec> {
        if spec.custom.is_some() && spec.is_storage_form() {
            // Custom entries are looked up in the catalog of their time, so
            // a request keeps the entry it started with.
            return Arc::new(spec.clone());
        }
        self.catalog().storage_resource(spec)
    }

    /// Converts a stored object to `spec`'s group-version (a no-op unless the
    /// resource is stored in another one).
    pub fn to_version(&self, spec: &ResourceSpec, object: Arc<CachedObject>) -> ApiResult<Arc<CachedObject>> {
        if spec.is_storage_form() {
            return Ok(object);
        }
        if let Some(custom) = &spec.custom {
            // conversion strategy None: only apiVersion changes; then the
            // version's defaults apply, as on every read.
            let mut value = object.value()?;
            value["apiVersion"] = json!(spec.api_version());
            custom.default(&mut value);
            return Ok(Arc::new(CachedObject::new(spec, object.key.clone(), object.revision, value)));
        }
        let value = convert::convert(&object.value()?, &spec.kind, &spec.group, &spec.version)?;
        Ok(Arc::new(CachedObject::new(spec, object.key.clone(), object.revision, value)))
    }

    /// Reads one object from the store, at the latest revision.
    pub(crate) async fn read_current(&self, storage: &ResourceSpec, key: &str) -> ApiResult<Option<Arc<CachedObject>>> {
        Ok(self.read_current_stale(storage, key).await?.map(|(o, _)| o))
    }

    /// [`Self::read_current`], and whether the stored value is stale (not
    /// encrypted with the first provider and key of its resource).
    pub(crate) async fn read_current_stale(
        &self,
        storage: &ResourceSpec,
        key: &str,
    ) -> ApiResult<Option<(Arc<CachedObject>, bool)>> {
        let resp = self.store.range(RangeRequest::new(KeyRange::key(key.to_string()))).await?;
        match resp.kvs.into_iter().next() {
            Some(kv) => {
                let (value, stale) = self.decode_stored(storage, key, &kv.value, kv.mod_revision).await?;
                Ok(Some((Arc::new(CachedObject::new(storage, key.to_string(), kv.mod_revision, value)), stale)))
            }
            None => Ok(None),
        }
    }

    /// Decodes (and decrypts) a stored value of `storage` at `key`; `true`
    /// when it is stale.
    pub(crate) async fn decode_stored(
        &self,
        storage: &ResourceSpec,
        key: &str,
        bytes: &[u8],
        revision: i64,
    ) -> ApiResult<(Value, bool)> {
        encryption::decode_stored(self.options.encryption.as_deref(), storage, key, bytes, revision).await
    }

    /// Encodes (and encrypts) `object` of `storage` for `key`.
    pub(crate) async fn encode_stored(
        &self,
        storage: &ResourceSpec,
        key: &str,
        object: &mut Value,
    ) -> ApiResult<Vec<u8>> {
        encryption::encode_stored(self.options.encryption.as_deref(), storage, key, object).await
    }

    /// The encryption-at-rest configuration, if any.
    pub fn encryption(&self) -> Option<&Arc<Encryption>> {
        self.options.encryption.as_ref()
    }

    /// GET of one object.
    pub async fn get(
        &self,
        spec: &ResourceSpec,
        namespace: &str,
        name: &str,
        at: ReadAt,
    ) -> ApiResult<Arc<CachedObject>> {
        let storage = self.storage_spec(spec);
        let key = storage.key(namespace, name);
        let found = match at {
            // As a consistent list: from the watch cache once it holds every
            // change the store has committed (the object is then the one the
            // store would return, already serialized); a cache that cannot
            // catch up in time is bypassed.
            ReadAt::Consistent => {
                let cache = self.cache(&storage)?;
                match cache.wait_fresh().await {
                    Ok(_) => cache.get(&key).0,
                    Err(_) => self.read_current(&storage, &key).await?,
                }
            }
            ReadAt::Exact(_) => self.read_current(&storage, &key).await?,
            ReadAt::Any => self.cache(&storage)?.get(&key).0,
            ReadAt::NotOlderThan(rv) => {
                let cache = self.cache(&storage)?;
                cache.wait_for(rv).await?;
                cache.get(&key).0
            }
        };
        // A value the cache could not decode (say, encrypted with a key no
        // longer configured) is read from the store, which fails loudly
        // with the reason or, after a reload brought the key back, succeeds.
        let found = match self.cache(&storage) {
            Ok(cache) if !matches!(at, ReadAt::Exact(_)) && found.is_none() && cache.is_unreadable(&key) => {
                self.read_current(&storage, &key).await?
            }
            _ => found,
        };
        let object = found.ok_or_else(|| ApiError::not_found(&spec.group_resource(), name))?;
        self.to_version(spec, object)
    }

    /// LIST.
    pub async fn list(&self, spec: &ResourceSpec, namespace: &str, opts: &ListOptions) -> ApiResult<ListResult> {
        let storage = self.storage_spec(spec);
        let at = read_at(&opts.resource_version, &opts.resource_version_match, &opts.continue_token)?;
        let filter = Filter {
            namespace: if storage.namespaced { namespace.to_string() } else { String::new() },
            name: String::new(),
            labels: opts.labels.clone(),
            fields: opts.fields.clone(),
        };
        let paginated = opts.limit > 0 && matches!(at, ReadAt::Consistent | ReadAt::Exact(_));
        // A value the cache could not decode in the range: the store answers
        // (with the error, as kube-apiserver's list of a corrupt object).
        let unreadable = self.cache(&storage)?.has_unreadable(&storage.key_prefix(namespace));
        let mut result = if unreadable {
            self.list_from_store(&storage, namespace, opts, at, &filter).await?
        } else if !opts.continue_token.is_empty() || paginated || matches!(at, ReadAt::Exact(_)) {
            match self.page_from_cache(&storage, namespace, opts, at, &filter).await? {
                Some(page) => page,
                None => self.list_from_store(&storage, namespace, opts, at, &filter).await?,
            }
        } else {
            let cache = self.cache(&storage)?;
            match at {
                ReadAt::Consistent => {
                    cache.wait_fresh().await?;
                }
                ReadAt::NotOlderThan(rv) => cache.wait_for(rv).await?,
                _ => cache.wait_for(0).await?,
            }
            let (items, revision) = cache.list(&filter);
            ListResult { items, resource_version: revision, continue_token: None, remaining_item_count: None }
        };
        if !spec.is_storage_form() {
            result.items = result.items.into_iter().map(|o| self.to_version(spec, o)).collect::<ApiResult<_>>()?;
        }
        Ok(result)
    }

    /// A list (page) at one revision, served by the watch cache when its
    /// state at that revision is its current state (see
    /// [`WatchCache::page_at`]); `None` when the store must serve it.
    async fn page_from_cache(
        &self,
        storage: &ResourceSpec,
        namespace: &str,
        opts: &ListOptions,
        at: ReadAt,
        filter: &Filter,
    ) -> ApiResult<Option<ListResult>> {
        let Ok(cache) = self.cache(storage) else { return Ok(None) };
        let prefix = storage.key_prefix(namespace);
        let (start, revision) = if !opts.continue_token.is_empty() {
            decode_continue(&opts.continue_token, &prefix)?
        } else {
            let revision = match at {
                ReadAt::Exact(rv) => rv,
                _ => cache.wait_fresh().await?,
            };
            (prefix.clone(), revision)
        };
        let limit = if opts.limit > 0 { opts.limit as usize } else { usize::MAX };
        let filtered = filter.has_selectors();
        let Some(page) = cache.page_at(filter, revision, &start, limit, !filtered) else { return Ok(None) };
        Ok(Some(ListResult {
            items: page.items,
            resource_version: revision,
            continue_token: page.next.map(|next| encode_continue(&next, revision, &prefix)),
            remaining_item_count: page.remaining,
        }))
    }

    /// A list (page) read from the store at one revision.
    async fn list_from_store(
        &self,
        storage: &ResourceSpec,
        namespace: &str,
        opts: &ListOptions,
        at: ReadAt,
        filter: &Filter,
    ) -> ApiResult<ListResult> {
        let prefix = storage.key_prefix(namespace);
        let end = kubox_storage::prefix_end(prefix.as_bytes());
        let (mut start, mut revision) = (prefix.clone().into_bytes(), 0);
        if !opts.continue_token.is_empty() {
            let token = decode_continue(&opts.continue_token, &prefix)?;
            start = token.0.into_bytes();
            revision = token.1;
        } else if let ReadAt::Exact(rv) = at {
            revision = rv;
        }
        let filtered = filter.has_selectors();
        let limit = if opts.limit > 0 { opts.limit as usize } else { usize::MAX };
        let mut items = Vec::new();
        let mut next_start: Option<Vec<u8>> = None;
        let mut remaining = None;
        loop {
            let chunk = if limit == usize::MAX { 0 } else { (limit - items.len()).max(1) as i64 + 1 };
            let req = RangeRequest {
                range: KeyRange::between(start.clone(), end.clone()),
                revision,
                limit: chunk,
                ..Default::default()
            };
            let resp = match self.store.range(req).await {
                Ok(r) => r,
                Err(StoreError::Compacted { .. }) if !opts.continue_token.is_empty() => return Err(expired_continue()),
                Err(StoreError::Compacted { .. }) => {
                    return Err(ApiError::expired("The resourceVersion for the provided list is too old."));
                }
                Err(StoreError::FutureRevision { .. }) => {
                    return Err(ApiError::timeout(&format!("Too large resource version: {revision}"), 1));
                }
                Err(e) => return Err(e.into()),
            };
            if revision == 0 {
                revision = resp.header_revision;
            }
            let count = resp.count;
            let more = resp.more;
            let mut last_key = None;
            for kv in resp.kvs {
                if items.len() == limit {
                    break;
                }
                let key = String::from_utf8_lossy(&kv.key).to_string();
                last_key = Some(kv.key.clone());
                let (value, _) = self.decode_stored(storage, &key, &kv.value, kv.mod_revision).await?;
                let object = Arc::new(CachedObject::new(storage, key, kv.mod_revision, value));
                if filter.matches(&object) {
                    items.push(object);
                }
            }
            let Some(last) = last_key else { break };
            if items.len() == limit {
                // Is there anything after the last returned key?
                let mut after = last.to_vec();
                after.push(0);
                let rest = self
                    .store
                    .range(RangeRequest {
                        range: KeyRange::between(after.clone(), end.clone()),
                        revision,
                        count_only: true,
                        ..Default::default()
                    })
                    .await?;
                if rest.count > 0 {
                    next_start = Some(after);
                    if !filtered {
                        remaining = Some(rest.count);
                    }
                }
                break;
            }
            if !more {
                let _ = count;
                break;
            }
            let mut after = last.to_vec();
            after.push(0);
            start = after;
        }
        let continue_token = next_start.map(|s| encode_continue(&String::from_utf8_lossy(&s), revision, &prefix));
        Ok(ListResult { items, resource_version: revision, continue_token, remaining_item_count: remaining })
    }

    /// WATCH, from the watch cache.
    pub async fn watch(
        &self,
        spec: &ResourceSpec,
        namespace: &str,
        name: &str,
        opts: &WatchParams,
    ) -> ApiResult<mpsc::Receiver<WatchMsg>> {
        let storage = self.storage_spec(spec);
        let cache = self.cache(&storage)?;
        let filter = Filter {
            namespace: if storage.namespaced { namespace.to_string() } else { String::new() },
            name: name.to_string(),
            labels: opts.labels.clone(),
            fields: opts.fields.clone(),
        };
        let start = match opts.send_initial_events {
            Some(true) => {
                // The initial state at a revision at least as new as asked.
                match opts.resource_version.as_str() {
                    "" => WatchStart::After(cache.wait_fresh().await?),
                    "0" => WatchStart::After(cache.revision()),
                    rv => {
                        let rv = parse_rv(rv)?;
                        cache.wait_for(rv).await?;
                        WatchStart::After(cache.revision())
                    }
                }
            }
            _ => match opts.resource_version.as_str() {
                "" | "0" => WatchStart::CurrentState,
                rv => WatchStart::After(parse_rv(rv)?),
            },
        };
        cache
            .watch(WatchOptions {
                filter,
                start,
                bookmarks: opts.allow_bookmarks,
                send_initial_events: opts.send_initial_events == Some(true),
                deadline: opts.deadline,
            })
            .await
    }

    /// The service allocator.
    pub fn allocator(&self) -> &ServiceAllocator {
        &self.allocator
    }
}

/// Watch parameters.
#[derive(Clone, Debug, Default)]
pub struct WatchParams {
    /// `labelSelector`.
    pub labels: Option<LabelSelector>,
    /// `fieldSelector`.
    pub fields: Option<FieldSelector>,
    /// `resourceVersion`.
    pub resource_version: String,
    /// `allowWatchBookmarks`.
    pub allow_bookmarks: bool,
    /// `sendInitialEvents`.
    pub send_initial_events: Option<bool>,
    /// When the watch ends.
    pub deadline: Option<Instant>,
}

fn cache_size(options: &RegistryOptions, spec: &ResourceSpec) -> usize {
    let name = if spec.group.is_empty() { spec.plural.clone() } else { format!("{}.{}", spec.plural, spec.group) };
    options.watch_cache_sizes.get(&name).copied().unwrap_or(options.default_watch_cache_size)
}

fn parse_rv(rv: &str) -> ApiResult<i64> {
    rv.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| {
        ApiError::invalid(
            "meta.k8s.io",
            "ListOptions",
            "",
            &[FieldError {
                error_type: ErrorType::Invalid,
                field: "resourceVersion".into(),
                bad_value: Some(json!(rv)),
                detail: "must be a non-negative integer".into(),
            }],
        )
    })
}

/// How a list reads, from its resourceVersion options (kube-apiserver's
/// ValidateListOptions, then the resourceVersion semantics).
fn read_at(rv: &str, rv_match: &str, continue_token: &str) -> ApiResult<ReadAt> {
    let mut errs = Vec::new();
    let forbid = |detail: &str| FieldError {
        error_type: ErrorType::Forbidden,
        field: "resourceVersionMatch".into(),
        bad_value: None,
        detail: detail.into(),
    };
    if !rv_match.is_empty() {
        if rv.is_empty() {
            errs.push(forbid("resourceVersionMatch is forbidden unless resourceVersion is provided"));
        }
        if !continue_token.is_empty() {
            errs.push(forbid("resourceVersionMatch is forbidden when continue is provided"));
        }
        if rv_match != "Exact" && rv_match != "NotOlderThan" {
            errs.push(FieldError {
                error_type: ErrorType::NotSupported,
                field: "resourceVersionMatch".into(),
                bad_value: Some(json!(rv_match)),
                detail: "supported values: \"Exact\", \"NotOlderThan\", \"\"".into(),
            });
        }
        if rv_match == "Exact" && rv == "0" {
            errs.push(forbid("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
        }
    }
    if !errs.is_empty() {
        return Err(ApiError::invalid("meta.k8s.io", "ListOptions", "", &errs));
    }
    if !continue_token.is_empty() && !rv.is_empty() && rv != "0" {
        return Err(ApiError::bad_request("specifying resource version is not allowed when using continue"));
    }
    Ok(match (rv, rv_match) {
        ("", _) => ReadAt::Consistent,
        ("0", _) => ReadAt::Any,
        (v, "Exact") => ReadAt::Exact(parse_rv(v)?),
        (v, _) => ReadAt::NotOlderThan(parse_rv(v)?),
    })
}

/// The continue token: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"<key after prefix>"}`,
/// as kube-apiserver's.
fn encode_continue(start_key: &str, revision: i64, prefix: &str) -> String {
    let start = start_key.strip_prefix(prefix).unwrap_or(start_key);
    let token = json!({"v": "meta.k8s.io/v1", "rv": revision, "start": start});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token.to_string())
}

fn decode_continue(token: &str, prefix: &str) -> ApiResult<(String, i64)> {
    let bad = || {
        ApiError::bad_request(
            "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        )
    };
    let raw =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.trim_end_matches('=')).map_err(|_| bad())?;
    let v: Value = serde_json::from_slice(&raw).map_err(|_| bad())?;
    if v["v"] != "meta.k8s.io/v1" {
        return Err(ApiError::bad_request("continue key is not valid: server does not recognize this encoded version"));
    }
    let rv = v["rv"].as_i64().filter(|r| *r > 0).ok_or_else(bad)?;
    let start = v["start"].as_str().ok_or_else(bad)?;
    if start.contains("..") || start.starts_with('/') {
        return Err(ApiError::bad_request(
            "continue key is not valid: key must not be an absolute path or contain '..'",
        ));
    }
    Ok((format!("{prefix}{start}"), rv))
}

fn expired_continue() -> ApiError {
    ApiError::expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_round_trip_and_reject_tampering() {
        let t = encode_continue("/registry/pods/ns/p2\u{0}", 42, "/registry/pods/ns/");
        assert_eq!(decode_continue(&t, "/registry/pods/ns/").unwrap(), ("/registry/pods/ns/p2\u{0}".to_string(), 42));
        assert_eq!(decode_continue("garbage!", "/x/").unwrap_err().code, 400);
        let evil = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"v":"meta.k8s.io/v1","rv":1,"start":"../secrets/"}"#);
        assert_eq!(decode_continue(&evil, "/registry/pods/").unwrap_err().code, 400);
    }

    #[test]
    fn list_options_are_validated_as_upstream() {
        let err = read_at("", "Exact", "").unwrap_err();
        assert_eq!(err.code, 422);
        assert_eq!(
            err.message,
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"
        );
        assert_eq!(read_at("0", "", "").unwrap(), ReadAt::Any);
        assert_eq!(read_at("5", "Exact", "").unwrap(), ReadAt::Exact(5));
        assert_eq!(read_at("5", "", "").unwrap(), ReadAt::NotOlderThan(5));
        assert_eq!(read_at("x", "", "").unwrap_err().code, 422);
    }
}
