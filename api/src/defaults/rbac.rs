//! rbac.authorization.k8s.io/v1 defaults: the API group of role references
//! and subjects.

use serde_json::Value;

use super::value::{Object, child, children, is_empty_str, str_at};

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// Defaults a RoleBinding or ClusterRoleBinding.
pub(super) fn binding(object: &mut Object) {
    if let Some(role_ref) = child(object, "roleRef")
        && is_empty_str(role_ref, "apiGroup")
    {
        role_ref.insert("apiGroup".to_owned(), Value::String(RBAC_GROUP.to_owned()));
    }
    for subject in children(object, "subjects") {
        if !is_empty_str(subject, "apiGroup") {
            continue;
        }
        // ServiceAccounts are core ("", omitted); users and groups are RBAC's.
        if matches!(str_at(subject, "kind"), Some("User" | "Group")) {
            subject.insert("apiGroup".to_owned(), Value::String(RBAC_GROUP.to_owned()));
        }
    }
}
