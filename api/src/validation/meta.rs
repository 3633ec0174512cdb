//! ObjectMeta, labels, annotations and label selectors, mirroring
//! apimachinery's `api/validation` and `apis/meta/v1/validation`.

use serde_json::Value;

use crate::selectors::LabelSelector;
use crate::validation::access::{self, arr, get, opt_b, opt_i, s, string_map};
use crate::validation::field::{
    FieldError, Path, forbidden, go_quote, invalid, json_string, named_string, raw_value, required, too_long,
};
use crate::validation::names::{self, NameRule, is_qualified_name, is_valid_label_value};

/// "field is immutable".
pub const FIELD_IMMUTABLE: &str = "field is immutable";
/// "must be greater than or equal to 0".
pub const IS_NEGATIVE: &str = "must be greater than or equal to 0";
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// ValidateNonnegativeField.
pub fn nonnegative(value: i64, path: &Path) -> Vec<FieldError> {
    if value < 0 { vec![invalid(path, value, IS_NEGATIVE)] } else { Vec::new() }
}

/// ValidateLabelName.
pub fn validate_label_name(name: &str, path: &Path) -> Vec<FieldError> {
    is_qualified_name(name).into_iter().map(|m| invalid(path, name, m)).collect()
}

/// ValidateLabels over the string map `key` of `owner`.
pub fn validate_labels(owner: &Value, key: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in string_map(owner, key) {
        errs.extend(validate_label_name(k, path));
        errs.extend(is_valid_label_value(v).into_iter().map(|m| invalid(path, v, m)));
    }
    errs
}

/// ValidateAnnotations over the string map `key` of `owner`.
pub fn validate_annotations(owner: &Value, key: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total = 0usize;
    for (k, v) in string_map(owner, key) {
        errs.extend(is_qualified_name(&k.to_lowercase()).into_iter().map(|m| invalid(path, k, m)));
        total += k.len() + v.len();
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT as i64));
    }
    errs
}

/// metav1.LabelSelectorAsSelector: `None` when the selector cannot be converted; a nil
/// selector selects nothing.
pub fn label_selector_as_selector(sel: Option<&Value>) -> Option<LabelSelector> {
    LabelSelector::from_label_selector_json(sel.unwrap_or(&Value::Null)).ok()
}

/// A map selector (ReplicationController, Service) as labels.SelectorFromSet.
pub fn map_selector(owner: &Value, key: &str) -> LabelSelector {
    get(owner, key).and_then(Value::as_object).map_or_else(LabelSelector::everything, LabelSelector::from_set)
}

/// Whether the selector matches a label set given as (key, value) pairs.
pub fn selector_matches(selector: &LabelSelector, labels: &[(&str, &str)]) -> bool {
    selector.matches_with(&|key| labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
}

/// ValidateLabelSelector.
pub fn validate_label_selector(sel: Option<&Value>, allow_invalid_values: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(sel) = sel else {
        return errs;
    };
    errs.extend(validate_labels(sel, "matchLabels", &path.child("matchLabels")));
    for (i, expr) in arr(sel, "matchExpressions").iter().enumerate() {
        let p = path.child("matchExpressions").index(i);
        let op = s(expr, "operator");
        let values = access::strings(expr, "values");
        match op {
            "In" | "NotIn" => {
                if values.is_empty() {
                    errs.push(required(&p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    errs.push(forbidden(
                        &p.child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            _ => errs.push(invalid(&p.child("operator"), named_string(op), "not a valid selector operator")),
        }
        errs.extend(validate_label_name(s(expr, "key"), &p.child("key")));
        if !allow_invalid_values {
            for (j, v) in values.iter().enumerate() {
                errs.extend(is_valid_label_value(v).into_iter().map(|m| invalid(&p.child("values").index(j), *v, m)));
            }
        }
    }
    errs
}

/// Whether a label selector has no requirements at all.
pub fn selector_has_no_terms(sel: &Value) -> bool {
    access::is_empty(get(sel, "matchLabels")) && access::is_empty(get(sel, "matchExpressions"))
}

/// A metav1.LabelSelector as upstream prints it (JSON field order, omitempty).
pub fn label_selector_value(sel: Option<&Value>) -> Value {
    let Some(sel) = sel else {
        return Value::Null;
    };
    let mut parts = Vec::new();
    let labels = string_map(sel, "matchLabels");
    if !labels.is_empty() {
        let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{}:{}", json_string(k), json_string(v))).collect();
        parts.push(format!("\"matchLabels\":{{{}}}", inner.join(",")));
    }
    let exprs = arr(sel, "matchExpressions");
    if !exprs.is_empty() {
        let rendered: Vec<String> = exprs
            .iter()
            .map(|e| {
                let mut fields = vec![
                    format!("\"key\":{}", json_string(s(e, "key"))),
                    format!("\"operator\":{}", json_string(s(e, "operator"))),
                ];
                let values = access::strings(e, "values");
                if !values.is_empty() {
                    let vs: Vec<String> = values.iter().map(|v| json_string(v)).collect();
                    fields.push(format!("\"values\":[{}]", vs.join(",")));
                }
                format!("{{{}}}", fields.join(","))
            })
            .collect();
        parts.push(format!("\"matchExpressions\":[{}]", rendered.join(",")));
    }
    raw_value(format!("{{{}}}", parts.join(",")))
}

fn owner_reference_value(r: &Value) -> String {
    let mut fields = vec![
        format!("\"apiVersion\":{}", json_string(s(r, "apiVersion"))),
        format!("\"kind\":{}", json_string(s(r, "kind"))),
        format!("\"name\":{}", json_string(s(r, "name"))),
        format!("\"uid\":{}", json_string(s(r, "uid"))),
    ];
    if let Some(c) = opt_b(r, "controller") {
        fields.push(format!("\"controller\":{c}"));
    }
    if let Some(b) = opt_b(r, "blockOwnerDeletion") {
        fields.push(format!("\"blockOwnerDeletion\":{b}"));
    }
    format!("{{{}}}", fields.join(","))
}

fn validate_owner_references(meta: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let refs = arr(meta, "ownerReferences");
    let mut first_controller: Option<String> = None;
    for r in refs {
        let api_version = s(r, "apiVersion");
        let kind = s(r, "kind");
        // schema.FromAPIVersionAndKind: "group/version", "version", anything else has no version.
        let (group, version) = match api_version.split('/').collect::<Vec<_>>().as_slice() {
            [v] => ("", *v),
            [g, v] => (*g, *v),
            _ => ("", ""),
        };
        if version.is_empty() {
            errs.push(invalid(&path.child("apiVersion"), api_version, "version must not be empty"));
        }
        if kind.is_empty() {
            errs.push(invalid(&path.child("kind"), kind, "must not be empty"));
        }
        if s(r, "name").is_empty() {
            errs.push(invalid(&path.child("name"), s(r, "name"), "must not be empty"));
        }
        if s(r, "uid").is_empty() {
            errs.push(invalid(&path.child("uid"), named_string(""), "must not be empty"));
        }
        if group.is_empty() && version == "v1" && kind == "Event" {
            errs.push(invalid(
                path,
                raw_value(owner_reference_value(r)),
                "/v1, Kind=Event is disallowed from being an owner",
            ));
        }
        if opt_b(r, "controller") == Some(true) {
            let current = format!("{}/{}", kind, s(r, "name"));
            match &first_controller {
                Some(first) => {
                    let all: Vec<String> = refs.iter().map(owner_reference_value).collect();
                    errs.push(invalid(
                        path,
                        raw_value(format!("[{}]", all.join(","))),
                        format!(
                            "Only one reference can have Controller set to true. Found \"true\" in references for {first} and {current}"
                        ),
                    ));
                }
                None => first_controller = Some(current),
            }
        }
    }
    errs
}

fn validate_finalizers(meta: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let finalizers = access::strings(meta, "finalizers");
    for f in &finalizers {
        errs.extend(is_qualified_name(f).into_iter().map(|m| invalid(path, *f, m)));
    }
    if finalizers.contains(&"orphan") && finalizers.contains(&"foregroundDeletion") {
        errs.push(invalid(
            path,
            access::string_list_value(&finalizers),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    errs
}

/// The kube-specific finalizer rule: unqualified names must be standard ones.
pub fn validate_kube_finalizer_name(name: &str, path: &Path) -> Vec<FieldError> {
    if !name.contains('/') && !matches!(name, "kubernetes" | "orphan" | "foregroundDeletion") {
        return vec![invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified")];
    }
    Vec::new()
}

fn validate_field_manager(manager: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if manager.len() > 128 {
        errs.push(too_long(path, 128));
    }
    for (i, c) in manager.char_indices() {
        if c.is_control() {
            errs.push(invalid(path, manager, format!("invalid character U+{:04X} (at position {i})", c as u32)));
        }
    }
    errs
}

fn validate_managed_fields(meta: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, entry) in arr(meta, "managedFields").iter().enumerate() {
        let p = path.index(i);
        let op = s(entry, "operation");
        if op != "Apply" && op != "Update" {
            errs.push(invalid(&p.child("operation"), named_string(op), "must be `Apply` or `Update`"));
        }
        let ft = s(entry, "fieldsType");
        if !ft.is_empty() && ft != "FieldsV1" {
            errs.push(invalid(&p.child("fieldsType"), ft, "must be `FieldsV1`"));
        }
        errs.extend(validate_field_manager(s(entry, "manager"), &p.child("manager")));
        if s(entry, "subresource").len() > 256 {
            errs.push(too_long(&p.child("subresource"), 256));
        }
    }
    errs
}

fn validate_meta_common(meta: &Value, namespaced: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let namespace = s(meta, "namespace");
    if namespaced {
        if namespace.is_empty() {
            errs.push(required(&path.child("namespace"), ""));
        } else {
            for m in names::validate_name(NameRule::DnsLabel, namespace, false) {
                errs.push(invalid(&path.child("namespace"), namespace, m));
            }
        }
    } else if !namespace.is_empty() {
        errs.push(forbidden(&path.child("namespace"), "not allowed on this type"));
    }
    errs.extend(nonnegative(access::i(meta, "generation"), &path.child("generation")));
    errs.extend(validate_labels(meta, "labels", &path.child("labels")));
    errs.extend(validate_annotations(meta, "annotations", &path.child("annotations")));
    errs.extend(validate_owner_references(meta, &path.child("ownerReferences")));
    errs.extend(validate_finalizers(meta, &path.child("finalizers")));
    errs.extend(validate_managed_fields(meta, &path.child("managedFields")));
    errs
}

/// ValidateObjectMeta for create: name or generateName, namespace presence per scope, labels, annotations (total size 256 KiB), finalizers, ownerReferences, managedFields shape.
///
/// This is apimachinery's generic check (what custom resources get); built-in
/// kinds add [`validate_kube_finalizer_name`] for each finalizer.
pub fn validate_object_meta(metadata: &Value, namespaced: bool, rule: NameRule) -> Vec<FieldError> {
    let path = Path::new("metadata");
    let mut errs = Vec::new();
    let generate_name = s(metadata, "generateName");
    if !generate_name.is_empty() {
        for m in names::validate_name(rule, generate_name, true) {
            errs.push(invalid(&path.child("generateName"), generate_name, m));
        }
    }
    let name = s(metadata, "name");
    if name.is_empty() {
        errs.push(required(&path.child("name"), "name or generateName is required"));
    } else {
        for m in names::validate_name(rule, name, false) {
            errs.push(invalid(&path.child("name"), name, m));
        }
    }
    errs.extend(validate_meta_common(metadata, namespaced, &path));
    errs
}

/// The core group's ValidateObjectMeta: the generic check plus the kube finalizer rule.
pub fn validate_core_object_meta(metadata: &Value, namespaced: bool, rule: NameRule) -> Vec<FieldError> {
    let mut errs = validate_object_meta(metadata, namespaced, rule);
    errs.extend(kube_finalizer_errors(metadata));
    errs
}

fn kube_finalizer_errors(metadata: &Value) -> Vec<FieldError> {
    let p = Path::new("metadata").child("finalizers");
    access::strings(metadata, "finalizers")
        .iter()
        .enumerate()
        .flat_map(|(i, f)| validate_kube_finalizer_name(f, &p.index(i)))
        .collect()
}

fn timestamp_value(meta: &Value, key: &str) -> Value {
    match access::opt_s(meta, key) {
        Some(t) => Value::String(t.to_string()),
        None => Value::Null,
    }
}

/// ValidateObjectMetaUpdate: immutable name, namespace, uid, creationTimestamp, generateName...
pub fn validate_object_meta_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let path = Path::new("metadata");
    let mut errs = Vec::new();
    if get(old, "deletionTimestamp").is_some() {
        let old_f = access::strings(old, "finalizers");
        let mut extra: Vec<&str> =
            access::strings(new, "finalizers").into_iter().filter(|f| !old_f.contains(f)).collect();
        extra.sort();
        extra.dedup();
        if !extra.is_empty() {
            let list: Vec<String> = extra.iter().map(|f| go_quote(f)).collect();
            errs.push(forbidden(
                &path.child("finalizers"),
                format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
                    list.join(", ")
                ),
            ));
        }
    }
    if s(new, "resourceVersion").is_empty() {
        errs.push(invalid(&path.child("resourceVersion"), "", "must be specified for an update"));
    }
    let (new_gen, old_gen) = (access::i(new, "generation"), access::i(old, "generation"));
    if new_gen < old_gen {
        errs.push(invalid(&path.child("generation"), new_gen, "must not be decremented"));
    }
    for key in ["name", "namespace"] {
        if s(new, key) != s(old, key) {
            errs.push(invalid(&path.child(key), s(new, key), FIELD_IMMUTABLE));
        }
    }
    if s(new, "uid") != s(old, "uid") {
        errs.push(invalid(&path.child("uid"), named_string(s(new, "uid")), FIELD_IMMUTABLE));
    }
    for key in ["creationTimestamp", "deletionTimestamp"] {
        if access::opt_s(new, key) != access::opt_s(old, key) {
            errs.push(invalid(&path.child(key), timestamp_value(new, key), FIELD_IMMUTABLE));
        }
    }
    let (new_grace, old_grace) = (opt_i(new, "deletionGracePeriodSeconds"), opt_i(old, "deletionGracePeriodSeconds"));
    if new_grace != old_grace {
        errs.push(invalid(
            &path.child("deletionGracePeriodSeconds"),
            new_grace.map(Value::from).unwrap_or(Value::Null),
            FIELD_IMMUTABLE,
        ));
    }
    errs.extend(validate_labels(new, "labels", &path.child("labels")));
    errs.extend(validate_annotations(new, "annotations", &path.child("annotations")));
    errs.extend(validate_owner_references(new, &path.child("ownerReferences")));
    errs.extend(validate_managed_fields(new, &path.child("managedFields")));
    errs
}

/// The core group's ValidateObjectMetaUpdate: the generic check plus the kube finalizer rule.
pub fn validate_core_object_meta_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(new, old);
    errs.extend(kube_finalizer_errors(new));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn object_meta_create() {
        let ok = json!({"name": "web", "namespace": "default", "labels": {"app": "web"}});
        assert!(validate_object_meta(&ok, true, NameRule::DnsSubdomain).is_empty());

        let errs = validate_object_meta(&json!({"namespace": "default"}), true, NameRule::DnsSubdomain);
        assert_eq!(texts(&errs), vec!["metadata.name: Required value: name or generateName is required"]);

        let errs = validate_object_meta(&json!({"name": "a", "namespace": "x"}), false, NameRule::DnsSubdomain);
        assert_eq!(texts(&errs), vec!["metadata.namespace: Forbidden: not allowed on this type"]);

        let errs = validate_object_meta(&json!({"name": "a"}), true, NameRule::DnsSubdomain);
        assert_eq!(texts(&errs), vec!["metadata.namespace: Required value"]);

        let errs = validate_object_meta(&json!({"name": "a", "labels": {"a": "-x"}}), false, NameRule::DnsSubdomain);
        assert_eq!(errs[0].field, "metadata.labels");
        assert_eq!(
            errs[0].body(),
            "Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );

        let big = "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT);
        let errs =
            validate_object_meta(&json!({"name": "a", "annotations": {"k": big}}), false, NameRule::DnsSubdomain);
        assert_eq!(texts(&errs), vec!["metadata.annotations: Too long: may not be more than 262144 bytes"]);
    }

    #[test]
    fn owner_references_and_finalizers() {
        let m = json!({"name": "a", "ownerReferences": [
            {"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "1"},
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "r1", "uid": "2", "controller": true},
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "r2", "uid": "3", "controller": true}
        ], "finalizers": ["orphan", "foregroundDeletion", "bad"]});
        let errs = validate_core_object_meta(&m, false, NameRule::DnsSubdomain);
        let t = texts(&errs);
        assert_eq!(
            t[0],
            "metadata.ownerReferences: Invalid value: {\"apiVersion\":\"v1\",\"kind\":\"Event\",\"name\":\"e\",\"uid\":\"1\"}: /v1, Kind=Event is disallowed from being an owner"
        );
        assert!(t[1].ends_with("Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/r1 and ReplicaSet/r2"));
        assert_eq!(
            t[2],
            "metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\",\"bad\"]: finalizer orphan and foregroundDeletion cannot be both set"
        );
        assert_eq!(
            t[3],
            "metadata.finalizers[2]: Invalid value: \"bad\": name is neither a standard finalizer name nor is it fully qualified"
        );
    }

    #[test]
    fn object_meta_update() {
        let old = json!({"name": "a", "namespace": "n", "uid": "u1", "resourceVersion": "5", "creationTimestamp": "2024-01-01T00:00:00Z"});
        let same = json!({"name": "a", "namespace": "n", "uid": "u1", "resourceVersion": "5", "creationTimestamp": "2024-01-01T00:00:00Z"});
        assert!(validate_object_meta_update(&same, &old).is_empty());
        let changed = json!({"name": "b", "namespace": "n", "uid": "u2", "creationTimestamp": "2024-01-01T00:00:00Z"});
        assert_eq!(
            texts(&validate_object_meta_update(&changed, &old)),
            vec![
                "metadata.resourceVersion: Invalid value: \"\": must be specified for an update",
                "metadata.name: Invalid value: \"b\": field is immutable",
                "metadata.uid: Invalid value: \"u2\": field is immutable",
            ]
        );
        let deleting =
            json!({"name": "a", "namespace": "n", "deletionTimestamp": "2024-01-01T00:00:00Z", "finalizers": ["x/a"]});
        let adding = json!({"name": "a", "namespace": "n", "resourceVersion": "1", "deletionTimestamp": "2024-01-01T00:00:00Z", "finalizers": ["x/a", "x/c", "x/b"]});
        assert_eq!(
            texts(&validate_object_meta_update(&adding, &deleting))[0],
            "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"x/b\", \"x/c\"}"
        );
    }

    #[test]
    fn selectors() {
        let sel = json!({"matchLabels": {"app": "x"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]});
        let parsed = label_selector_as_selector(Some(&sel)).expect("valid selector");
        assert!(selector_matches(&parsed, &[("app", "x"), ("tier", "a")]));
        assert!(!selector_matches(&parsed, &[("app", "x")]));
        assert!(!selector_matches(&label_selector_as_selector(None).expect("nil converts"), &[("app", "x")]));
        assert!(map_selector(&json!({}), "selector").is_empty());
        assert_eq!(
            crate::validation::field::invalid(&Path::new("s"), label_selector_value(Some(&sel)), "d").body(),
            "Invalid value: {\"matchLabels\":{\"app\":\"x\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]}]}: d"
        );
        let bad = json!({"matchExpressions": [{"key": "k", "operator": "Foo"}, {"key": "k", "operator": "In"}]});
        assert!(label_selector_as_selector(Some(&bad)).is_none());
        assert_eq!(
            texts(&validate_label_selector(Some(&bad), false, &Path::new("spec").child("selector"))),
            vec![
                "spec.selector.matchExpressions[0].operator: Invalid value: \"Foo\": not a valid selector operator",
                "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            ]
        );
        assert!(!label_selector_as_selector(None).expect("nil parses").is_empty());
    }
}
