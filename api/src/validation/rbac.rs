//! Validation of the `rbac.authorization.k8s.io` group: Role, ClusterRole,
//! RoleBinding and ClusterRoleBinding.

use serde_json::Value;

use crate::validation::access::{arr, field, meta_of, obj, s, strings};
use crate::validation::field::{FieldError, Path, invalid, json_string, not_supported, raw_value, required};
use crate::validation::meta::{self, label_selector_as_selector, label_selector_value, validate_label_selector};
use crate::validation::names::{NameRule, validate_name};

const GROUP: &str = "rbac.authorization.k8s.io";

/// Validation of a new RBAC object; `None` for kinds without specific rules.
pub fn validate_create(kind: &str, obj: &Value) -> Option<Vec<FieldError>> {
    Some(match kind {
        "Role" => validate_role(obj, true),
        "ClusterRole" => validate_role(obj, false),
        "RoleBinding" => validate_binding(obj, true),
        "ClusterRoleBinding" => validate_binding(obj, false),
        _ => return None,
    })
}

/// Validation of an update of an RBAC object; `None` for kinds without specific rules.
pub fn validate_update(kind: &str, new: &Value, old: &Value) -> Option<Vec<FieldError>> {
    let mut errs = validate_create(kind, new)?;
    errs.extend(meta::validate_core_object_meta_update(meta_of(new), meta_of(old)));
    if matches!(kind, "RoleBinding" | "ClusterRoleBinding") {
        let (nr, or) = (field(new, "roleRef"), field(old, "roleRef"));
        if ["apiGroup", "kind", "name"].iter().any(|k| s(nr, k) != s(or, k)) {
            errs.push(invalid(&Path::new("roleRef"), role_ref_value(nr), "cannot change roleRef"));
        }
    }
    Some(errs)
}

fn role_ref_value(r: &Value) -> Value {
    raw_value(format!(
        "{{\"apiGroup\":{},\"kind\":{},\"name\":{}}}",
        json_string(s(r, "apiGroup")),
        json_string(s(r, "kind")),
        json_string(s(r, "name"))
    ))
}

fn string_list(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|s| Value::String((*s).to_string())).collect())
}

/// ValidatePolicyRule.
fn validate_policy_rule(rule: &Value, namespaced: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if arr(rule, "verbs").is_empty() {
        errs.push(required(&path.child("verbs"), "verbs must contain at least one value"));
    }
    let urls = strings(rule, "nonResourceURLs");
    if !urls.is_empty() {
        if namespaced {
            errs.push(invalid(
                &path.child("nonResourceURLs"),
                string_list(&urls),
                "namespaced rules cannot apply to non-resource URLs",
            ));
        }
        if !arr(rule, "apiGroups").is_empty()
            || !arr(rule, "resources").is_empty()
            || !arr(rule, "resourceNames").is_empty()
        {
            errs.push(invalid(
                &path.child("nonResourceURLs"),
                string_list(&urls),
                "rules cannot apply to both regular resources and non-resource URLs",
            ));
        }
        return errs;
    }
    if arr(rule, "apiGroups").is_empty() {
        errs.push(required(&path.child("apiGroups"), "resource rules must supply at least one api group"));
    }
    if arr(rule, "resources").is_empty() {
        errs.push(required(&path.child("resources"), "resource rules must supply at least one resource"));
    }
    errs
}

fn validate_role(role: &Value, namespaced: bool) -> Vec<FieldError> {
    let mut errs = meta::validate_core_object_meta(meta_of(role), namespaced, NameRule::PathSegment);
    for (idx, rule) in arr(role, "rules").iter().enumerate() {
        errs.extend(validate_policy_rule(rule, namespaced, &Path::new("rules").index(idx)));
    }
    if !namespaced && let Some(agg) = obj(role, "aggregationRule") {
        let sp = Path::new("aggregationRule").child("clusterRoleSelectors");
        let selectors = arr(agg, "clusterRoleSelectors");
        if selectors.is_empty() {
            errs.push(required(&sp, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        }
        for (idx, sel) in selectors.iter().enumerate() {
            let p = sp.index(idx);
            errs.extend(validate_label_selector(Some(sel), false, &p));
            if label_selector_as_selector(Some(sel)).is_none() {
                errs.push(invalid(&p, label_selector_value(Some(sel)), "invalid label selector."));
            }
        }
    }
    errs
}

fn validate_binding(binding: &Value, namespaced: bool) -> Vec<FieldError> {
    let mut errs = meta::validate_core_object_meta(meta_of(binding), namespaced, NameRule::PathSegment);
    let role_ref = field(binding, "roleRef");
    let rp = Path::new("roleRef");
    let group = s(role_ref, "apiGroup");
    if group != GROUP {
        errs.push(not_supported(&rp.child("apiGroup"), group, &[GROUP]));
    }
    let kind = s(role_ref, "kind");
    let kinds: &[&str] = if namespaced { &["Role", "ClusterRole"] } else { &["ClusterRole"] };
    if !kinds.contains(&kind) {
        errs.push(not_supported(&rp.child("kind"), kind, kinds));
    }
    let name = s(role_ref, "name");
    if name.is_empty() {
        errs.push(required(&rp.child("name"), ""));
    } else {
        errs.extend(
            validate_name(NameRule::PathSegment, name, false).into_iter().map(|m| invalid(&rp.child("name"), name, m)),
        );
    }
    for (idx, subject) in arr(binding, "subjects").iter().enumerate() {
        errs.extend(validate_subject(subject, namespaced, &Path::new("subjects").index(idx)));
    }
    errs
}

fn validate_subject(subject: &Value, namespaced: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = s(subject, "name");
    if name.is_empty() {
        errs.push(required(&path.child("name"), ""));
    }
    let group = s(subject, "apiGroup");
    match s(subject, "kind") {
        "ServiceAccount" => {
            if !name.is_empty() {
                errs.extend(
                    validate_name(NameRule::DnsSubdomain, name, false)
                        .into_iter()
                        .map(|m| invalid(&path.child("name"), name, m)),
                );
            }
            if !group.is_empty() {
                errs.push(not_supported(&path.child("apiGroup"), group, &[""]));
            }
            if !namespaced && s(subject, "namespace").is_empty() {
                errs.push(required(&path.child("namespace"), ""));
            }
        }
        "User" | "Group" => {
            if group != GROUP {
                errs.push(not_supported(&path.child("apiGroup"), group, &[GROUP]));
            }
        }
        kind => errs.push(not_supported(&path.child("kind"), kind, &["ServiceAccount", "User", "Group"])),
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn binding() -> Value {
        json!({"metadata": {"name": "read-pods", "namespace": "default", "resourceVersion": "1"},
            "roleRef": {"apiGroup": GROUP, "kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "apiGroup": GROUP, "name": "jane"}, {"kind": "ServiceAccount", "name": "default", "namespace": "default"}]})
    }

    #[test]
    fn roles() {
        let role = json!({"metadata": {"name": "system:reader", "namespace": "default"}, "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]});
        assert_eq!(texts(&validate_create("Role", &role).expect("rules")), Vec::<String>::new());
        let role = json!({"metadata": {"name": "a/b", "namespace": "default"}, "rules": [{"resources": ["pods"]}, {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]});
        assert_eq!(
            texts(&validate_create("Role", &role).expect("rules")),
            vec![
                "metadata.name: Invalid value: \"a/b\": may not contain '/'",
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
                "rules[1].nonResourceURLs: Invalid value: [\"/healthz\"]: namespaced rules cannot apply to non-resource URLs",
            ]
        );
        let cr = json!({"metadata": {"name": "agg"}, "aggregationRule": {"clusterRoleSelectors": []}});
        assert_eq!(
            texts(&validate_create("ClusterRole", &cr).expect("rules")),
            vec![
                "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil",
            ]
        );
    }

    #[test]
    fn bindings() {
        assert_eq!(texts(&validate_create("RoleBinding", &binding()).expect("rules")), Vec::<String>::new());
        let bad = json!({"metadata": {"name": "b"}, "roleRef": {"apiGroup": "", "kind": "Role", "name": ""},
            "subjects": [{"kind": "ServiceAccount", "name": "sa", "apiGroup": "x"}, {"kind": "Robot", "name": "r"}, {"kind": "Group", "name": ""}]});
        assert_eq!(
            texts(&validate_create("ClusterRoleBinding", &bad).expect("rules")),
            vec![
                "roleRef.apiGroup: Unsupported value: \"\": supported values: \"rbac.authorization.k8s.io\"",
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "roleRef.name: Required value",
                "subjects[0].apiGroup: Unsupported value: \"x\": supported values: \"\"",
                "subjects[0].namespace: Required value",
                "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
                "subjects[2].name: Required value",
                "subjects[2].apiGroup: Unsupported value: \"\": supported values: \"rbac.authorization.k8s.io\"",
            ]
        );
        let mut new = binding();
        new["roleRef"]["name"] = json!("admin");
        assert_eq!(
            texts(&validate_update("RoleBinding", &new, &binding()).expect("rules")),
            vec![
                "roleRef: Invalid value: {\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"admin\"}: cannot change roleRef",
            ]
        );
    }
}
