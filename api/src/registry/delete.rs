//! Deletes, as kube-apiserver's generic store: preconditions, graceful
//! deletion, finalizers (an object with finalizers stays, terminating, until
//! they are removed), the propagation policy recorded as the
//! `foregroundDeletion` or `orphan` finalizer, and namespaces that turn
//! Terminating until the namespace controller has emptied them.

use std::sync::Arc;

use kubox_storage::{
    Compare, CompareOp, CompareTarget, DeleteRangeRequest, KeyRange, PutRequest, RequestOp, TxnRequest,
};
use serde_json::{Value, json};

use super::allocator::AllocationTxn;
use super::{ListOptions, Registry, WriteContext};
use crate::catalog::ResourceSpec;
use crate::codec;
use crate::errors::{ApiError, ApiResult};
use crate::strategy::Special;
use crate::timefmt::Timestamp;
use crate::watchcache::CachedObject;

/// How dependents are treated (`propagationPolicy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropagationPolicy {
    /// Delete dependents in the background (the default).
    Background,
    /// Delete dependents first (`foregroundDeletion` finalizer).
    Foreground,
    /// Keep dependents (`orphan` finalizer).
    Orphan,
}

/// `DeleteOptions`.
#[derive(Clone, Debug, Default)]
pub struct DeleteOptions {
    /// `gracePeriodSeconds`.
    pub grace_period_seconds: Option<i64>,
    /// `preconditions.uid`.
    pub uid: Option<String>,
    /// `preconditions.resourceVersion`.
    pub resource_version: Option<String>,
    /// `propagationPolicy` (or the deprecated `orphanDependents`).
    pub propagation: Option<PropagationPolicy>,
}

/// What a delete did.
pub enum DeleteOutcome {
    /// The object is gone; this was its last state.
    Deleted(Arc<CachedObject>),
    /// The object stays, terminating, until finalizers or a grace period end.
    Pending(Arc<CachedObject>),
}

const ORPHAN: &str = "orphan";
const FOREGROUND: &str = "foregroundDeletion";

impl Registry {
    /// DELETE of one object.
    pub async fn delete(
        &self,
        spec: &ResourceSpec,
        namespace: &str,
        name: &str,
        opts: &DeleteOptions,
        ctx: &WriteContext,
    ) -> ApiResult<DeleteOutcome> {
        let storage = self.storage_spec(spec);
        let key = storage.key(namespace, name);
        loop {
            let Some(current) = self.read_current(&storage, &key).await? else {
                return Err(ApiError::not_found(&spec.group_resource(), name));
            };
            let current_value = current.value()?;
            let meta = &current_value["metadata"];
            if let Some(uid) = &opts.uid
                && meta["uid"].as_str() != Some(uid)
            {
                return Err(ApiError::conflict(
                    &spec.group_resource(),
                    name,
                    &format!(
                        "the UID in the precondition ({uid}) does not match the UID in record ({}). The object might have been deleted and then recreated",
                        meta["uid"].as_str().unwrap_or("")
                    ),
                ));
            }
            if let Some(rv) = &opts.resource_version
                && *rv != current.revision.to_string()
            {
                return Err(ApiError::conflict(
                    &spec.group_resource(),
                    name,
                    &format!(
                        "the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({}). The object might have been modified",
                        current.revision
                    ),
                ));
            }
            let mut object = current_value.clone();
            let now = Timestamp::now();
            let mut finalizers: Vec<String> = meta["finalizers"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default();
            // Namespaces keep their content's finalizer in spec.finalizers.
            if storage.hooks.special == Special::Namespace {
                let spec_finalizers = object["spec"]["finalizers"].as_array().is_some_and(|f| !f.is_empty());
                if spec_finalizers || !finalizers.is_empty() {
                    set_meta(
                        &mut object,
                        "deletionTimestamp",
                        json!(meta["deletionTimestamp"].as_str().map_or_else(|| now.rfc3339(), str::to_string)),
                    );
                    set_meta(&mut object, "deletionGracePeriodSeconds", json!(0));
                    if let Some(status) = object.get_mut("status").and_then(Value::as_object_mut) {
                        status.insert("phase".into(), json!("Terminating"));
                    } else if let Some(o) = object.as_object_mut() {
                        o.insert("status".into(), json!({"phase": "Terminating"}));
                    }
                    match self.write_pending(&storage, spec, &key, &current, object, ctx).await? {
                        Some(o) => return Ok(DeleteOutcome::Pending(o)),
                        None => continue,
                    }
                }
            }
            // The propagation policy becomes a finalizer for the garbage collector.
            match opts.propagation {
                Some(PropagationPolicy::Orphan) => {
                    finalizers.retain(|f| f != FOREGROUND);
                    if !finalizers.iter().any(|f| f == ORPHAN) {
                        finalizers.push(ORPHAN.into());
                    }
                }
                Some(PropagationPolicy::Foreground) => {
                    finalizers.retain(|f| f != ORPHAN);
                    if !finalizers.iter().any(|f| f == FOREGROUND) {
                        finalizers.push(FOREGROUND.into());
                    }
                }
                Some(PropagationPolicy::Background) => finalizers.retain(|f| f != ORPHAN && f != FOREGROUND),
                None => {}
            }
            // A CRD's first delete adds the cleanup finalizer and the
            // Terminating condition; the CRD controller deletes its objects
            // and then the finalizer (apiextensions' CRD registry).
            if storage.group == crate::crd::GROUP
                && storage.plural == "customresourcedefinitions"
                && meta["deletionTimestamp"].is_null()
            {
                if !finalizers.iter().any(|f| f == crate::crd::CLEANUP_FINALIZER) {
                    finalizers.push(crate::crd::CLEANUP_FINALIZER.into());
                }
                crate::crd::controller::set_condition(
                    &mut object,
                    "Terminating",
                    "True",
                    "InstanceDeletionPending",
                    "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
                );
            }
            // Graceful deletion applies to pods bound to a node; there is no
            // kubelet to confirm a stop, so an unbound pod goes at once.
            let grace = if storage.hooks.special == Special::Pod {
                let bound = object["spec"]["nodeName"].as_str().is_some_and(|n| !n.is_empty());
                let finished = matches!(object["status"]["phase"].as_str(), Some("Succeeded" | "Failed"));
                let requested = opts
                    .grace_period_seconds
                    .or_else(|| object["spec"]["terminationGracePeriodSeconds"].as_i64())
                    .unwrap_or(30);
                if bound && !finished { requested.max(0) } else { 0 }
            } else {
                0
            };
            if !finalizers.is_empty() || grace > 0 {
                let deletion = if grace > 0 { Timestamp { seconds: now.seconds + grace, nanos: 0 } } else { now };
                if meta["deletionTimestamp"].is_null() {
                    set_meta(&mut object, "deletionTimestamp", json!(deletion.rfc3339()));
                    set_meta(&mut object, "deletionGracePeriodSeconds", json!(grace));
                }
                set_meta(&mut object, "finalizers", json!(finalizers));
                if finalizers.is_empty()
                    && let Some(m) = object["metadata"].as_object_mut()
                {
                    m.remove("finalizers");
                }
                match self.write_pending(&storage, spec, &key, &current, object, ctx).await? {
                    Some(o) => return Ok(DeleteOutcome::Pending(o)),
                    None => continue,
                }
            }
            if ctx.dry_run {
                return Ok(DeleteOutcome::Deleted(self.to_version(spec, current)?));
            }
            // A Service's addresses and ports go with it, in the same
            // transaction.
            let alloc = if storage.hooks.special == Special::Service {
                self.plan_service_allocations(namespace, name, Some(&current.value()?), None, false).await?
            } else {
                AllocationTxn::default()
            };
            let mut compare =
                vec![Compare::new(key.clone(), CompareOp::Equal, CompareTarget::ModRevision(current.revision))];
            compare.extend(alloc.compare.iter().cloned());
            let mut success =
                vec![RequestOp::DeleteRange(DeleteRangeRequest { range: KeyRange::key(key.clone()), prev_kv: false })];
            success.extend(alloc.success.iter().cloned());
            let resp = self.store.txn(TxnRequest { compare, success, failure: vec![] }).await?;
            if !resp.succeeded {
                if !alloc.is_empty() {
                    self.refresh_allocations().await?;
                }
                continue;
            }
            self.allocations_committed(&alloc);
            return Ok(DeleteOutcome::Deleted(self.to_version(spec, current)?));
        }
    }

    /// Writes an object that stays, terminating; `None` if it changed meanwhile.
    async fn write_pending(
        &self,
        storage: &Arc<ResourceSpec>,
        spec: &ResourceSpec,
        key: &str,
        current: &CachedObject,
        mut object: Value,
        ctx: &WriteContext,
    ) -> ApiResult<Option<Arc<CachedObject>>> {
        if object == current.value()? {
            return Ok(Some(
                self.to_version(spec, Arc::new(CachedObject::new(storage, key.to_string(), current.revision, object)))?,
            ));
        }
        if ctx.dry_run {
            return Ok(Some(
                self.to_version(spec, Arc::new(CachedObject::new(storage, key.to_string(), current.revision, object)))?,
            ));
        }
        let bytes = self.encode_stored(storage, key, &mut object).await?;
        let txn = TxnRequest {
            compare: vec![Compare::new(
                key.to_string(),
                CompareOp::Equal,
                CompareTarget::ModRevision(current.revision),
            )],
            success: vec![RequestOp::Put(PutRequest::new(key.to_string(), bytes))],
            failure: vec![],
        };
        let resp = self.store.txn(txn).await?;
        if !resp.succeeded {
            return Ok(None);
        }
        codec::set_resource_version(&mut object, resp.header_revision);
        Ok(Some(
            self.to_version(spec, Arc::new(CachedObject::new(storage, key.to_string(), resp.header_revision, object)))?,
        ))
    }

    /// DELETE of a collection: every selected object, one by one, as
    /// kube-apiserver does. Returns the deleted (or terminating) objects.
    pub async fn delete_collection(
        &self,
        spec: &ResourceSpec,
        namespace: &str,
        list: &ListOptions,
        opts: &DeleteOptions,
        ctx: &WriteContext,
    ) -> ApiResult<Vec<Arc<CachedObject>>> {
        let page = self.list(spec, namespace, list).await?;
        let mut out = Vec::with_capacity(page.items.len());
        for item in page.items {
            match self.delete(spec, &item.namespace, &item.name, opts, ctx).await {
                Ok(DeleteOutcome::Deleted(o)) | Ok(DeleteOutcome::Pending(o)) => out.push(o),
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

fn set_meta(o: &mut Value, key: &str, value: Value) {
    if let Some(m) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        m.insert(key.into(), value);
    }
}
