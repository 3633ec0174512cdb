//! Writes: create, and update or patch through one read-modify-write loop
//! with a compare-and-swap on the object's mod revision (kube-apiserver's
//! GuaranteedUpdate). The order of steps is kube-apiserver's: decode (done by
//! the handler) → defaulting → server-set metadata and the strategy's
//! preparation → validation → encode → store transaction.

use std::sync::Arc;

use kubox_storage::{Compare, CompareOp, CompareTarget, KeyRange, PutRequest, RequestOp, TxnRequest};
use serde_json::{Map, Value, json};

use super::Registry;
use super::allocator::AllocationTxn;
use crate::catalog::ResourceSpec;
use crate::codec;
use crate::convert;
use crate::defaults;
use crate::errors::{ApiError, ApiResult};
use crate::managedfields;
use crate::strategy::Special;
use crate::timefmt::Timestamp;
use crate::validation;
use crate::watchcache::CachedObject;

/// Attempts of a read-modify-write before giving up on contention.
const MAX_UPDATE_ATTEMPTS: usize = 16;

/// Who writes, and how.
#[derive(Clone, Debug)]
pub struct WriteContext {
    /// `dryRun=All`: everything but the store write.
    pub dry_run: bool,
    /// The field manager (`fieldManager`, or derived from the user agent).
    pub field_manager: String,
    /// The requesting user's name.
    pub user: String,
    /// The requesting user's groups.
    pub groups: Vec<String>,
}

/// A check every create and update of the main resource passes before
/// validation (RBAC's escalation prevention; admission will be one too).
/// Async because it may ask the authorizer chain, whose webhook waits.
#[async_trait::async_trait]
pub trait WriteGuard: Send + Sync {
    /// Refuses `object` (the new object, storage version; `old` is the
    /// stored one on an update) written by `ctx`.
    async fn check(
        &self,
        storage: &ResourceSpec,
        namespace: &str,
        object: &Value,
        old: Option<&Value>,
        ctx: &WriteContext,
    ) -> ApiResult<()>;
}

/// A patch, by type.
#[derive(Clone, Debug)]
pub enum Patch {
    /// RFC 6902.
    Json(Value),
    /// RFC 7386.
    Merge(Value),
    /// Strategic merge patch.
    Strategic(Value),
}

/// One object of a resource, as a write addresses it.
pub struct ObjectRef<'a> {
    /// The resource (in the request's version).
    pub spec: &'a ResourceSpec,
    /// Its namespace ("" if cluster-scoped).
    pub namespace: &'a str,
    /// Its name.
    pub name: &'a str,
}

/// Which part of an object a write addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The resource itself.
    Main,
    /// `/status`.
    Status,
    /// `/finalize` (namespaces): only spec.finalizers.
    Finalize,
    /// A write the server composed from the stored object (a pod's
    /// `/binding` sets spec.nodeName and a status condition): written whole.
    Binding,
}

fn meta(o: &mut Value) -> &mut Map<String, Value> {
    if !o.is_object() {
        *o = json!({});
    }
    let m = o.as_object_mut().expect("made an object above");
    m.entry("metadata").or_insert_with(|| json!({}));
    if !m["metadata"].is_object() {
        m.insert("metadata".into(), json!({}));
    }
    m.get_mut("metadata").and_then(Value::as_object_mut).expect("metadata is an object, set above")
}

/// A random suffix for generateName, from kube-apiserver's alphabet.
fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    uuid::Uuid::new_v4().as_bytes()[..5].iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

impl Registry {
    /// Checks the object's namespace against the request's, and sets it.
    fn check_namespace(&self, spec: &ResourceSpec, namespace: &str, object: &mut Value) -> ApiResult<()> {
        let m = meta(object);
        if spec.namespaced {
            match m.get("namespace").and_then(Value::as_str) {
                Some(ns) if !ns.is_empty() && ns != namespace => {
                    return Err(ApiError::bad_request(
                        "the namespace of the provided object does not match the namespace sent on the request",
                    ));
                }
                _ => {
                    m.insert("namespace".into(), json!(namespace));
                }
            }
        } else {
            m.remove("namespace");
        }
        Ok(())
    }

    /// Refuses content in a namespace that does not exist or is terminating.
    async fn check_namespace_lifecycle(&self, spec: &ResourceSpec, namespace: &str, name: &str) -> ApiResult<()> {
        if !spec.namespaced {
            return Ok(());
        }
        let Some(namespaces) = self.builtin.get("", "v1", "namespaces").cloned() else { return Ok(()) };
        // As kube-apiserver's NamespaceLifecycle admission: from the cache,
        // and from the store only when the cache does not have it (yet).
        let key = namespaces.key("", namespace);
        let cached = self.cache(&namespaces).ok().and_then(|c| c.get(&key).0);
        let ns = match cached {
            Some(ns) => Some(ns),
            None => self.read_current(&namespaces, &key).await?,
        };
        match ns {
            None => Err(ApiError::not_found(&namespaces.group_resource(), namespace)),
            Some(ns) if is_terminating(&ns.value()?) => {
                let mut err = ApiError::forbidden(
                    &spec.group_resource(),
                    name,
                    &format!("unable to create new content in namespace {namespace} because it is being terminated"),
                );
                err.causes.push(crate::errors::Cause {
                    reason: "NamespaceTerminating".into(),
                    message: format!("namespace {namespace} is being terminated"),
                    field: "metadata.namespace".into(),
                });
                Err(err)
            }
            Some(_) => Ok(()),
        }
    }

    /// CREATE. `object` is decoded (schema-walked) in `spec`'s version.
    pub async fn create(
        &self,
        spec: &ResourceSpec,
        namespace: &str,
        mut object: Value,
        ctx: &WriteContext,
    ) -> ApiResult<Arc<CachedObject>> {
        let storage = self.storage_spec(spec);
        self.check_namespace(spec, namespace, &mut object)?;
        if meta(&mut object).get("resourceVersion").and_then(Value::as_str).is_some_and(|rv| !rv.is_empty()) {
            return Err(ApiError::bad_request("resourceVersion should not be set on objects to be created"));
        }
        defaults::apply(&spec.group, &spec.version, &spec.kind, &mut object);
        let mut object = convert::to_storage(&object, spec, &storage)?;
        let now = Timestamp::now();
        {
            let m = meta(&mut object);
            let name = m.get("name").and_then(Value::as_str).unwrap_or("").to_string();
            if name.is_empty()
                && let Some(prefix) = m.get("generateName").and_then(Value::as_str).filter(|p| !p.is_empty())
            {
                let generated = format!("{prefix}{}", random_suffix());
                m.insert("name".into(), json!(generated));
            }
            m.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
            m.insert("creationTimestamp".into(), json!(now.rfc3339()));
            for k in ["deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "resourceVersion", "managedFields"]
            {
                m.remove(k);
            }
            if m.get("generation").is_some() && !storage.has_status {
                m.remove("generation");
            }
        }
        (storage.hooks.prepare_for_create)(&mut object);
        // As decoding does in kube-apiserver, defaults fill what the
        // strategy reset (an empty status is still encoded).
        defaults::apply(&storage.group, &storage.version, &storage.kind, &mut object);
        let name = object["metadata"]["name"].as_str().unwrap_or("").to_string();
        if let Some(guard) = self.write_guard.get() {
            guard.check(&storage, namespace, &object, None, ctx).await?;
        }
        managedfields::record(&mut object, None, &storage, &ctx.field_manager, "Update", None, &now);
        if storage.hooks.special != Special::Service {
            let mut errors = match &storage.custom {
                Some(_) => validation::validate_custom_create(&object, storage.namespaced),
                None => validation::validate_create(&storage.group, &storage.version, &storage.kind, &object),
            };
            if let Some(custom) = &spec.custom {
                // The request version's structural schema (CEL rules are a
                // later step inside the same walk).
                errors.extend(custom.validate(&object));
            }
            if !errors.is_empty() {
                return Err(ApiError::invalid(&spec.group, &spec.kind, &name, &errors));
            }
            self.check_namespace_lifecycle(&storage, namespace, &name).await?;
            let none = AllocationTxn::default();
            return match self.create_in_store(&storage, spec, &name, object, ctx, &none).await? {
                Some(o) => Ok(o),
                None => Err(ApiError::already_exists(&spec.group_resource(), &name)),
            };
        }
        // A Service's addresses and ports are allocated before validation,
        // as kube-apiserver's BeginCreate does, and stored in the same
        // transaction as the Service; a race lost to another allocation is
        // planned again.
        self.check_namespace_lifecycle(&storage, namespace, &name).await?;
        for _ in 0..MAX_UPDATE_ATTEMPTS {
            let mut object = object.clone();
            let alloc = self.plan_service_allocations(namespace, &name, None, Some(&mut object), ctx.dry_run).await?;
            let errors = validation::validate_create(&storage.group, &storage.version, &storage.kind, &object);
            if !errors.is_empty() {
                return Err(ApiError::invalid(&spec.group, &spec.kind, &name, &errors));
            }
            if let Some(o) = self.create_in_store(&storage, spec, &name, object, ctx, &alloc).await? {
                self.allocations_committed(&alloc);
                return Ok(o);
            }
            self.refresh_allocations().await?;
        }
        Err(ApiError::conflict(&spec.group_resource(), &name, "concurrent allocations kept failing; please try again"))
    }

    /// Creates the object unless its key exists. `None`: the key is free but
    /// a condition of `alloc` failed (a concurrent allocation).
    async fn create_in_store(
        &self,
        storage: &Arc<ResourceSpec>,
        spec: &ResourceSpec,
        name: &str,
        mut object: Value,
        ctx: &WriteContext,
        alloc: &AllocationTxn,
    ) -> ApiResult<Option<Arc<CachedObject>>> {
        let key = storage.key(object["metadata"]["namespace"].as_str().unwrap_or(""), name);
        if ctx.dry_run {
            if self.read_current(storage, &key).await?.is_some() {
                return Err(ApiError::already_exists(&spec.group_resource(), name));
            }
            let o = Arc::new(CachedObject::new(storage, key, 0, object));
            return self.to_version(spec, o).map(Some);
        }
        let bytes = self.encode_stored(storage, &key, &mut object).await?;
        let mut compare = vec![Compare::new(key.clone(), CompareOp::Equal, CompareTarget::CreateRevision(0))];
        compare.extend(alloc.compare.iter().cloned());
        let mut success = vec![RequestOp::Put(PutRequest::new(key.clone(), bytes))];
        success.extend(alloc.success.iter().cloned());
        let resp = self.store.txn(TxnRequest { compare, success, failure: vec![] }).await?;
        if !resp.succeeded {
            if alloc.is_empty() || self.store.get(key.into()).await?.is_some() {
                return Err(ApiError::already_exists(&spec.group_resource(), name));
            }
            return Ok(None);
        }
        codec::set_resource_version(&mut object, resp.header_revision);
        self.to_version(spec, Arc::new(CachedObject::new(storage, key, resp.header_revision, object))).map(Some)
    }

    /// UPDATE (PUT) of the resource or a subresource. Returns the object
    /// and whether it was created.
    pub async fn update(
        &self,
        spec: &ResourceSpec,
        namespace: &str,
        name: &str,
        part: Part,
        object: Value,
        ctx: &WriteContext,
    ) -> ApiResult<(Arc<CachedObject>, bool)> {
        let precondition = object["metadata"]["resourceVersion"].as_str().filter(|s| !s.is_empty()).map(str::to_string);
        let target = ObjectRef { spec, namespace, name };
        self.read_modify_write(&target, part, ctx, precondition.is_some(), |_current| Ok(object.clone())).await
    }

    /// PATCH of the resource or a subresource.
    pub async fn patch(
        &self,
        target: &ObjectRef<'_>,
        part: Part,
        patch: &Patch,
        ctx: &WriteContext,
        decode: &(dyn Fn(Value) -> ApiResult<Value> + Sync),
    ) -> ApiResult<Arc<CachedObject>> {
        let (spec, name) = (target.spec, target.name);
        let explicit_rv = patch_sets_resource_version(patch);
        let (o, _) = self
            .read_modify_write(target, part, ctx, explicit_rv, |current| {
                let Some(current) = current else { return Err(ApiError::not_found(&spec.group_resource(), name)) };
                let patched = apply_patch(spec, &current.value()?, patch)?;
                decode(patched)
            })
            .await?;
        Ok(o)
    }

    /// The read-modify-write loop behind update and patch. `compute` gets
    /// the current object in `spec`'s version and returns the new one (in
    /// `spec`'s version, decoded). A client-set resourceVersion is a
    /// precondition; without one, a lost race is retried.
    pub(crate) async fn read_modify_write(
        &self,
        target: &ObjectRef<'_>,
        part: Part,
        ctx: &WriteContext,
        has_precondition: bool,
        mut compute: impl FnMut(Option<&CachedObject>) -> ApiResult<Value>,
    ) -> ApiResult<(Arc<CachedObject>, bool)> {
        let (spec, namespace, name) = (target.spec, target.namespace, target.name);
        let storage = self.storage_spec(spec);
        let key = storage.key(namespace, name);
        for attempt in 0..MAX_UPDATE_ATTEMPTS {
            // The first attempt starts from the watch cache's copy, as
            // kube-apiserver's GuaranteedUpdate starts from its cached object:
            // the transaction's compare on mod_revision catches a stale copy.
            // Whatever fails on a cached copy is tried again from the store,
            // so a stale cache never decides an answer.
            let cached =
                if attempt == 0 && !ctx.dry_run { self.cache(&storage).ok().and_then(|c| c.get(&key).0) } else { None };
            let from_cache = cached.is_some();
            // Set once the transaction is sent: an error after that (a store
            // timeout) leaves the outcome unknown, and trying again could
            // apply the update twice, or answer a conflict for an update that
            // was applied.
            let sent = std::sync::atomic::AtomicBool::new(false);
            // `stale`: the stored value is encrypted with an older provider
            // or key, so even an unchanged object is written again.
            let (current, stale) = match cached {
                Some(c) => (Some(c), false),
                None => match self.read_current_stale(&storage, &key).await? {
                    Some((c, stale)) => (Some(c), stale),
                    None => (None, false),
                },
            };
            let outcome: ApiResult<Option<(Arc<CachedObject>, bool)>> = async {
                let current_in_version = match &current {
                    Some(c) => Some(self.to_version(spec, c.clone())?),
                    None => None,
                };
                let mut object = compute(current_in_version.as_deref())?;
                let Some(current) = current else {
                    if part == Part::Main && storage.hooks.allow_create_on_update {
                        meta(&mut object).insert("name".into(), json!(name));
                        meta(&mut object).remove("resourceVersion");
                        return Ok(Some((self.create(spec, namespace, object, ctx).await?, true)));
                    }
                    return Err(ApiError::not_found(&spec.group_resource(), name));
                };
                // Preconditions and identity.
                let sent_rv = object["metadata"]["resourceVersion"].as_str().unwrap_or("").to_string();
                if !sent_rv.is_empty() && sent_rv != current.revision.to_string() {
                    return Err(ApiError::stale(&spec.group_resource(), name));
                }
                if sent_rv.is_empty() && allows_unconditional_update(&spec.group) {
                    // An update without a resourceVersion writes over whatever
                    // is stored, as kube-apiserver's registry does for most
                    // built-in types (AllowUnconditionalUpdate).
                    meta(&mut object).insert("resourceVersion".into(), json!(current.revision.to_string()));
                }
                let body_name = object["metadata"]["name"].as_str().unwrap_or("").to_string();
                if !body_name.is_empty() && body_name != name {
                    return Err(ApiError::bad_request(format!(
                        "the name of the object ({body_name}) does not match the name on the URL ({name})"
                    )));
                }
                meta(&mut object).insert("name".into(), json!(name));
                self.check_namespace(spec, namespace, &mut object)?;
                if part == Part::Main {
                    defaults::apply(&spec.group, &spec.version, &spec.kind, &mut object);
                }
                let mut object = convert::to_storage(&object, spec, &storage)?;
                let old = &current.value()?;
                before_update(&mut object, old);
                match part {
                    Part::Main => (storage.hooks.prepare_for_update)(&mut object, old),
                    Part::Status => (storage.hooks.prepare_for_status_update)(&mut object, old),
                    Part::Finalize => keep_all_but_finalizers(&mut object, old),
                    Part::Binding => {}
                }
                defaults::apply(&storage.group, &storage.version, &storage.kind, &mut object);
                if part == Part::Main
                    && let Some(guard) = self.write_guard.get()
                {
                    guard.check(&storage, namespace, &object, Some(old), ctx).await?;
                }
                // kube-apiserver's shouldDeleteDuringUpdate: the last finalizer
                // is gone from an object being deleted without a grace period
                // still running.
                let finished = old["metadata"]["deletionTimestamp"].is_string()
                    && object["metadata"]["finalizers"].as_array().is_none_or(|f| f.is_empty())
                    && old["metadata"]["deletionGracePeriodSeconds"].as_i64().is_none_or(|g| g == 0);
                // A Service's allocations follow its type, planned before
                // validation as kube-apiserver's BeginUpdate does.
                let alloc = if storage.hooks.special == Special::Service && (part == Part::Main || finished) {
                    let new = if finished { None } else { Some(&mut object) };
                    self.plan_service_allocations(namespace, name, Some(old), new, ctx.dry_run).await?
                } else {
                    AllocationTxn::default()
                };
                let mut errors = match part {
                    Part::Main => {
                        validation::validate_update(&storage.group, &storage.version, &storage.kind, &object, old)
                    }
                    _ => validation::validate_object_meta_update(&object["metadata"], &old["metadata"]),
                };
                if matches!(part, Part::Main | Part::Status)
                    && let Some(custom) = &spec.custom
                {
                    errors.extend(custom.validate(&object));
                }
                if !errors.is_empty() {
                    return Err(ApiError::invalid(&spec.group, &spec.kind, name, &errors));
                }
                let now = Timestamp::now();
                let subresource = match part {
                    Part::Main => None,
                    Part::Status => Some("status"),
                    Part::Finalize => Some("finalize"),
                    Part::Binding => Some("binding"),
                };
                managedfields::record(
                    &mut object,
                    Some(old),
                    &storage,
                    &ctx.field_manager,
                    "Update",
                    subresource,
                    &now,
                );
                // Nothing changed: no write, no new revision. Against a cached
                // copy that may be stale, only the store can say so.
                // A stale value is rewritten anyway (kube-apiserver's
                // GuaranteedUpdate), which is how `kubectl replace` rotates
                // encryption keys.
                if same_but_rv(&object, old) {
                    if from_cache {
                        return Ok(None);
                    }
                    if !stale {
                        return Ok(Some((self.to_version(spec, current)?, false)));
                    }
                }
                if ctx.dry_run {
                    codec::set_resource_version(&mut object, current.revision);
                    let o = Arc::new(CachedObject::new(&storage, key.clone(), current.revision, object));
                    return Ok(Some((self.to_version(spec, o)?, false)));
                }
                let op = if finished {
                    // The last finalizer is gone from an object being deleted.
                    RequestOp::DeleteRange(kubox_storage::DeleteRangeRequest {
                        range: KeyRange::key(key.clone()),
                        prev_kv: false,
                    })
                } else {
                    RequestOp::Put(PutRequest::new(key.clone(), self.encode_stored(&storage, &key, &mut object).await?))
                };
                let mut compare =
                    vec![Compare::new(key.clone(), CompareOp::Equal, CompareTarget::ModRevision(current.revision))];
                compare.extend(alloc.compare.iter().cloned());
                let mut success = vec![op];
                success.extend(alloc.success.iter().cloned());
                sent.store(true, std::sync::atomic::Ordering::Relaxed);
                let resp = self.store.txn(TxnRequest { compare, success, failure: vec![] }).await?;
                if resp.succeeded {
                    self.allocations_committed(&alloc);
                    codec::set_resource_version(&mut object, resp.header_revision);
                    let o = Arc::new(CachedObject::new(&storage, key.clone(), resp.header_revision, object));
                    return Ok(Some((self.to_version(spec, o)?, false)));
                }
                if !alloc.is_empty() {
                    // Lost to a concurrent allocation, or to a change of the
                    // object: only the latter is the client's conflict.
                    self.refresh_allocations().await?;
                    let now = self.store.get(key.clone().into()).await?;
                    if now.is_some_and(|kv| kv.mod_revision == current.revision) {
                        return Ok(None);
                    }
                }
                if has_precondition {
                    return Err(ApiError::stale(&spec.group_resource(), name));
                }
                Ok(None)
            }
            .await;
            match outcome {
                Ok(Some(done)) => return Ok(done),
                // A lost race: read again.
                Ok(None) => {}
                Err(_) if from_cache && !sent.load(std::sync::atomic::Ordering::Relaxed) => {}
                Err(err) => return Err(err),
            }
        }
        Err(ApiError::conflict(&spec.group_resource(), name, "too many concurrent writes; please try again"))
    }

    /// GET of `/scale`: an autoscaling/v1 Scale built from the object.
    pub async fn get_scale(&self, spec: &ResourceSpec, namespace: &str, name: &str) -> ApiResult<Value> {
        let o = self.get(spec, namespace, name, super::ReadAt::Consistent).await?;
        Ok(scale_of(spec, &o.value()?))
    }

    /// UPDATE or PATCH of `/scale`: sets spec.replicas of the object.
    pub async fn update_scale(
        &self,
        spec: &ResourceSpec,
        namespace: &str,
        name: &str,
        ctx: &WriteContext,
        compute_scale: &(dyn Fn(&Value) -> ApiResult<Value> + Sync),
    ) -> ApiResult<Value> {
        let target = ObjectRef { spec, namespace, name };
        let (o, _) = self
            .read_modify_write(&target, Part::Main, ctx, false, |current| {
                let Some(current) = current else { return Err(ApiError::not_found(&spec.group_resource(), name)) };
                let current = current.value()?;
                let scale = compute_scale(&scale_of(spec, &current))?;
                let replicas = scale["spec"]["replicas"].as_i64().unwrap_or(0);
                if replicas < 0 {
                    return Err(ApiError::invalid(
                        "autoscaling",
                        "Scale",
                        name,
                        &[validation::field::FieldError {
                            error_type: validation::field::ErrorType::Invalid,
                            field: "spec.replicas".into(),
                            bad_value: Some(json!(replicas)),
                            detail: "must be greater than or equal to 0".into(),
                        }],
                    ));
                }
                let mut object = current;
                if let Some(rv) = scale["metadata"]["resourceVersion"].as_str().filter(|s| !s.is_empty()) {
                    meta(&mut object).insert("resourceVersion".into(), json!(rv));
                }
                match spec.custom.as_ref().and_then(|c| c.scale.as_ref()) {
                    Some(paths) => set_path(&mut object, &paths.spec_replicas, json!(replicas)),
                    None => {
                        if let Some(spec_obj) = object.get_mut("spec").and_then(Value::as_object_mut) {
                            spec_obj.insert("replicas".into(), json!(replicas));
                        }
                    }
                }
                Ok(object)
            })
            .await?;
        Ok(scale_of(spec, &o.value()?))
    }
}

/// Whether a namespace is terminating.
fn is_terminating(ns: &Value) -> bool {
    ns["status"]["phase"] == "Terminating" || ns["metadata"]["deletionTimestamp"].is_string()
}

/// Sets a value at a dotted path (`.spec.replicas`), making the objects on
/// the way.
fn set_path(object: &mut Value, path: &str, value: Value) {
    let parts: Vec<&str> = path.trim_start_matches('.').split('.').filter(|p| !p.is_empty()).collect();
    let Some((last, init)) = parts.split_last() else { return };
    let mut v = object;
    for p in init {
        if !v[*p].is_object() {
            v[*p] = json!({});
        }
        v = &mut v[*p];
    }
    v[*last] = value;
}

/// The autoscaling/v1 Scale of a scalable object.
fn scale_of(spec: &ResourceSpec, o: &Value) -> Value {
    if let Some(paths) = spec.custom.as_ref().and_then(|c| c.scale.as_ref()) {
        return custom_scale(paths, o);
    }
    let m = &o["metadata"];
    let mut metadata = Map::new();
    for k in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
        if let Some(v) = m.get(k) {
            metadata.insert(k.into(), v.clone());
        }
    }
    let selector = match &o["spec"]["selector"] {
        // ReplicationControllers have a plain map selector.
        Value::Object(s) if !s.contains_key("matchLabels") && !s.contains_key("matchExpressions") => {
            let mut pairs: Vec<String> = s.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or(""))).collect();
            pairs.sort();
            pairs.join(",")
        }
        sel @ Value::Object(_) => {
            crate::selectors::LabelSelector::from_label_selector_json(sel).map(|s| s.to_string()).unwrap_or_default()
        }
        _ => String::new(),
    };
    let mut status = json!({"replicas": o["status"]["replicas"].as_i64().unwrap_or(0)});
    if !selector.is_empty() {
        status["selector"] = json!(selector);
    }
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": metadata,
        "spec": {"replicas": o["spec"]["replicas"].as_i64().unwrap_or(0)},
        "status": status,
    })
}

/// The Scale of a custom object, read at its CRD's paths.
fn custom_scale(paths: &crate::crd::ScalePaths, o: &Value) -> Value {
    let find = |p: &str| crate::crd::columns::find(o, p);
    let m = &o["metadata"];
    let mut metadata = Map::new();
    for k in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
        if let Some(v) = m.get(k) {
            metadata.insert(k.into(), v.clone());
        }
    }
    let mut status = json!({"replicas": find(&paths.status_replicas).and_then(Value::as_i64).unwrap_or(0)});
    if let Some(sel) = paths.label_selector.as_deref().and_then(find).and_then(Value::as_str) {
        status["selector"] = json!(sel);
    }
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": metadata,
        "spec": {"replicas": find(&paths.spec_replicas).and_then(Value::as_i64).unwrap_or(0)},
        "status": status,
    })
}

/// kube-apiserver's BeforeUpdate: identity and deletion state come from the
/// stored object.
/// Whether an update may omit metadata.resourceVersion. kube-apiserver's
/// strategies allow it for the built-in types, but not for
/// CustomResourceDefinitions and APIServices (nor custom resources), whose
/// updates must name the version they replace.
fn allows_unconditional_update(group: &str) -> bool {
    !matches!(group, "apiextensions.k8s.io" | "apiregistration.k8s.io")
}

fn before_update(object: &mut Value, old: &Value) {
    let old_meta = &old["metadata"];
    let m = meta(object);
    if m.get("uid").and_then(Value::as_str).is_none_or(str::is_empty)
        && let Some(uid) = old_meta.get("uid")
    {
        m.insert("uid".into(), uid.clone());
    }
    for k in ["creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
        match old_meta.get(k) {
            Some(v) => {
                m.insert(k.into(), v.clone());
            }
            None => {
                m.remove(k);
            }
        }
    }
    m.remove("selfLink");
}

fn keep_all_but_finalizers(object: &mut Value, old: &Value) {
    let finalizers = object["spec"].get("finalizers").cloned();
    *object = old.clone();
    if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
        match finalizers {
            Some(f) => {
                spec.insert("finalizers".into(), f);
            }
            None => {
                spec.remove("finalizers");
            }
        }
    }
}

/// Whether two objects are equal but for resourceVersion and managedFields
/// (compared in place: no copies of either).
fn same_but_rv(a: &Value, b: &Value) -> bool {
    const SKIP: [&str; 2] = ["resourceVersion", "managedFields"];
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return a == b };
    let keys_match = |x: &Map<String, Value>, y: &Map<String, Value>, skip: &[&str]| {
        x.iter().filter(|(k, _)| !skip.contains(&k.as_str())).all(|(k, v)| y.get(k) == Some(v))
            && y.keys().filter(|k| !skip.contains(&k.as_str())).all(|k| x.contains_key(k))
    };
    if !keys_match(a, b, &["metadata"]) {
        return false;
    }
    match (a.get("metadata"), b.get("metadata")) {
        (Some(Value::Object(ma)), Some(Value::Object(mb))) => keys_match(ma, mb, &SKIP),
        (ma, mb) => ma == mb,
    }
}

/// Whether a patch sets metadata.resourceVersion (then it is a precondition).
fn patch_sets_resource_version(patch: &Patch) -> bool {
    match patch {
        Patch::Merge(v) | Patch::Strategic(v) => v["metadata"]["resourceVersion"].is_string(),
        Patch::Json(ops) => ops
            .as_array()
            .is_some_and(|ops| ops.iter().any(|op| op["path"] == "/metadata/resourceVersion" && op["op"] != "test")),
    }
}

/// A JSON patch that does not apply. kube-apiserver answers with
/// `NewGenericServerResponse(422, ...)` without the library's error: reason
/// Invalid, a generic message, empty details, which kubectl prints as "The
/// request is invalid". The library's words are only logged.
fn json_patch_failed(why: String) -> ApiError {
    tracing::debug!(%why, "a JSON patch does not apply");
    let mut err = ApiError::new(422, "Invalid", "the server rejected our request due to an error in our request");
    err.empty_details = true;
    err
}

/// Applies a patch to a JSON object, with kube-apiserver's error codes.
fn apply_patch(spec: &ResourceSpec, current: &Value, patch: &Patch) -> ApiResult<Value> {
    match patch {
        Patch::Json(ops) => {
            // An operation evanphx/json-patch does not know fails when applied,
            // not when decoded.
            let unknown = ops.as_array().into_iter().flatten().find_map(|op| {
                let name = op.get("op")?.as_str()?;
                (!matches!(name, "add" | "remove" | "replace" | "move" | "copy" | "test"))
                    .then(|| format!("Unexpected kind: {name}"))
            });
            if let Some(why) = unknown {
                return Err(json_patch_failed(why));
            }
            let ops: json_patch::Patch =
                serde_json::from_value(ops.clone()).map_err(|e| ApiError::bad_request(e.to_string()))?;
            let mut doc = current.clone();
            json_patch::patch(&mut doc, &ops).map_err(|e| json_patch_failed(e.to_string()))?;
            Ok(doc)
        }
        Patch::Merge(p) => {
            let mut doc = current.clone();
            json_patch::merge(&mut doc, p);
            Ok(doc)
        }
        Patch::Strategic(p) => {
            let schema = crate::schema::Schema::get();
            crate::patch::strategic::apply(current, p, schema, &spec.definition).map_err(|e| {
                // kube-apiserver passes the errors it has no code for through
                // as a 500 with no reason (or panics); they are all the
                // patch's fault, so kubox answers them with a 400 and the
                // same message.
                match e.status_code() {
                    422 => ApiError::new(422, "Invalid", e.status_message()),
                    _ => ApiError::bad_request(e.status_message()),
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::same_but_rv;

    #[test]
    fn same_but_rv_ignores_only_resource_version_and_managed_fields() {
        let a = json!({"kind": "ConfigMap", "metadata": {"name": "a", "resourceVersion": "1", "managedFields": [1]}, "data": {"k": "v"}});
        let b = json!({"kind": "ConfigMap", "metadata": {"name": "a", "resourceVersion": "2"}, "data": {"k": "v"}});
        assert!(same_but_rv(&a, &b));
        assert!(same_but_rv(&b, &a));
        let changed = json!({"kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "w"}});
        assert!(!same_but_rv(&a, &changed));
        let labelled =
            json!({"kind": "ConfigMap", "metadata": {"name": "a", "labels": {"x": "y"}}, "data": {"k": "v"}});
        assert!(!same_but_rv(&b, &labelled));
        assert!(!same_but_rv(&labelled, &b));
        let extra = json!({"kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}, "immutable": true});
        assert!(!same_but_rv(&b, &extra));
        assert!(!same_but_rv(&extra, &b));
        assert!(!same_but_rv(&json!({"metadata": {"name": "a"}}), &json!({"kind": "X", "metadata": {"name": "a"}})));
        assert!(!same_but_rv(&json!({"metadata": {"name": "a"}}), &json!({})));
    }
}
