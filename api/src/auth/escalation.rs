//! RBAC's escalation prevention, as kube-apiserver's RBAC storage does it:
//! a Role or ClusterRole may grant only what its writer already holds,
//! unless the writer may `escalate` it; a binding may grant only a role
//! whose rules its writer already holds, unless the writer may `bind` it.
//! Members of `system:masters` pass.
//! An update that changes only what the garbage collector sets (finalizers
//! and owner references) is not checked, as upstream.

use std::sync::Arc;

use serde_json::{Value, json};

use super::authz::Chain;
use super::rbac::Rbac;
use super::{Attributes, MASTERS, UserInfo};
use crate::catalog::ResourceSpec;
use crate::errors::{ApiError, ApiResult, GroupResource};
use crate::registry::{WriteContext, WriteGuard};

const GROUP: &str = "rbac.authorization.k8s.io";

/// The guard the registry runs on every RBAC write.
pub struct EscalationGuard {
    rbac: Arc<Rbac>,
    authz: Arc<Chain>,
}

impl EscalationGuard {
    /// A guard deciding with `rbac` and asking `authz` for `escalate` and
    /// `bind`.
    pub fn new(rbac: Arc<Rbac>, authz: Arc<Chain>) -> Arc<Self> {
        Arc::new(Self { rbac, authz })
    }

    async fn may(&self, user: &UserInfo, verb: &str, resource: &str, namespace: &str, name: &str) -> bool {
        self.authz
            .allows(&Attributes {
                user: user.clone(),
                verb: verb.into(),
                resource_request: true,
                namespace: namespace.into(),
                api_group: GROUP.into(),
                api_version: "v1".into(),
                resource: resource.into(),
                name: name.into(),
                ..Attributes::default()
            })
            .await
    }
}

#[async_trait::async_trait]
impl WriteGuard for EscalationGuard {
    async fn check(
        &self,
        storage: &ResourceSpec,
        namespace: &str,
        object: &Value,
        old: Option<&Value>,
        ctx: &WriteContext,
    ) -> ApiResult<()> {
        if storage.group != GROUP || ctx.groups.iter().any(|g| g == MASTERS) {
            return Ok(());
        }
        if old.is_some_and(|old| only_gc_fields_differ(object, old)) {
            return Ok(());
        }
        let user = UserInfo { name: ctx.user.clone(), groups: ctx.groups.clone(), ..UserInfo::default() };
        let name = object["metadata"]["name"].as_str().unwrap_or_default();
        let resource = storage.plural.as_str();
        let forbidden = |why: String| ApiError::forbidden(&GroupResource { group: GROUP, resource }, name, &why);
        let rules = match resource {
            "roles" | "clusterroles" => {
                if self.may(&user, "escalate", resource, namespace, name).await {
                    return Ok(());
                }
                // An aggregationRule can gather anything: it needs * on *.
                if resource == "clusterroles" && object["aggregationRule"].is_object() {
                    let everything = [
                        json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}),
                        json!({"verbs": ["*"], "nonResourceURLs": ["*"]}),
                    ];
                    if self.rbac.confirm_no_escalation(&user, "", &everything).is_err() {
                        return Err(forbidden("must have cluster-admin privileges to use the aggregationRule".into()));
                    }
                }
                object["rules"].as_array().cloned().unwrap_or_default()
            }
            "rolebindings" | "clusterrolebindings" => {
                let role_ref = &object["roleRef"];
                let role_resource = match role_ref["kind"].as_str() {
                    Some("Role") => "roles",
                    _ => "clusterroles",
                };
                let role_name = role_ref["name"].as_str().unwrap_or_default();
                if self.may(&user, "bind", role_resource, namespace, role_name).await {
                    return Ok(());
                }
                self.rbac.role_ref_rules(namespace, role_ref).map_err(forbidden)?
            }
            _ => return Ok(()),
        };
        self.rbac.confirm_no_escalation(&user, namespace, &rules).map_err(forbidden)
    }
}

/// Whether `new` differs from `old` only in finalizers, owner references
/// and the fields the server maintains (upstream's IsOnlyMutatingGCFields).
fn only_gc_fields_differ(new: &Value, old: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
            for k in ["finalizers", "ownerReferences", "resourceVersion", "managedFields", "generation"] {
                m.remove(k);
            }
        }
        v
    };
    strip(new) == strip(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_collector_fields_alone_are_not_an_escalation() {
        let old = json!({"metadata": {"name": "r", "resourceVersion": "5"}, "rules": [{"verbs": ["get"]}]});
        let gc = json!({"metadata": {"name": "r", "finalizers": ["x"], "ownerReferences": [{"uid": "u"}]},
                        "rules": [{"verbs": ["get"]}]});
        assert!(only_gc_fields_differ(&gc, &old));
        let more = json!({"metadata": {"name": "r"}, "rules": [{"verbs": ["*"]}]});
        assert!(!only_gc_fields_differ(&more, &old));
    }
}
