//! Validation of the `apps` group's workloads: Deployment, ReplicaSet,
//! StatefulSet, DaemonSet and ControllerRevision.

use serde_json::Value;

use crate::selectors::LabelSelector;

use crate::validation::access::{as_i64, get, i, meta_of, obj, opt_i, s, semantic_eq, spec_of};
use crate::validation::field::{
    FieldError, Path, forbidden, go_json, invalid, named_string, not_supported, raw_value, required,
};
use crate::validation::meta::{
    self, FIELD_IMMUTABLE, label_selector_as_selector, label_selector_value, nonnegative, selector_has_no_terms,
    validate_label_selector, validate_labels,
};
use crate::validation::names::{NameRule, is_valid_percent};
use crate::validation::pod::{self, PodOptions, template_update_options, validate_pod_template_spec};

/// Validation of a new apps object; `None` for kinds without specific rules.
pub fn validate_create(kind: &str, obj: &Value) -> Option<Vec<FieldError>> {
    let opts = PodOptions::default();
    Some(match kind {
        "Deployment" => {
            let mut errs = object_meta(obj, NameRule::DnsSubdomain);
            errs.extend(validate_deployment_spec(spec_of(obj), &opts));
            errs
        }
        "ReplicaSet" => {
            let mut errs = object_meta(obj, NameRule::DnsSubdomain);
            errs.extend(validate_replica_set_spec(spec_of(obj), &opts));
            errs
        }
        "StatefulSet" => {
            let mut errs = object_meta(obj, NameRule::DnsLabel);
            errs.extend(validate_stateful_set_spec(spec_of(obj)));
            errs
        }
        "DaemonSet" => {
            let mut errs = object_meta(obj, NameRule::DnsSubdomain);
            errs.extend(validate_daemon_set_spec(spec_of(obj), &opts));
            errs
        }
        "ControllerRevision" => validate_controller_revision(obj),
        _ => return None,
    })
}

/// Validation of an update of an apps object; `None` for kinds without specific rules.
pub fn validate_update(kind: &str, new: &Value, old: &Value) -> Option<Vec<FieldError>> {
    let opts = template_update_options(get(spec_of(old), "template"));
    let mut errs = meta::validate_core_object_meta_update(meta_of(new), meta_of(old));
    match kind {
        "Deployment" => {
            errs.extend(validate_deployment_spec(spec_of(new), &opts));
            errs.extend(selector_immutable(new, old));
        }
        "ReplicaSet" => {
            errs.extend(validate_replica_set_spec(spec_of(new), &opts));
            errs.extend(selector_immutable(new, old));
        }
        "DaemonSet" => {
            errs.extend(validate_daemon_set_spec(spec_of(new), &opts));
            errs.extend(selector_immutable(new, old));
        }
        "StatefulSet" => {
            errs.extend(validate_stateful_set_spec(spec_of(new)));
            let strip = |v: &Value| {
                let mut spec = spec_of(v).clone();
                if let Some(m) = spec.as_object_mut() {
                    for key in [
                        "replicas",
                        "template",
                        "updateStrategy",
                        "minReadySeconds",
                        "ordinals",
                        "persistentVolumeClaimRetentionPolicy",
                    ] {
                        m.remove(key);
                    }
                }
                spec
            };
            if !semantic_eq(Some(&strip(new)), Some(&strip(old))) {
                errs.push(forbidden(
                    &Path::new("spec"),
                    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
                ));
            }
        }
        "ControllerRevision" => {
            errs.extend(validate_controller_revision(new));
            if !semantic_eq(get(new, "data"), get(old, "data")) {
                let data = get(new, "data").map(|d| raw_value(go_json(d))).unwrap_or(Value::Null);
                errs.push(invalid(&Path::new("data"), data, FIELD_IMMUTABLE));
            }
        }
        _ => return None,
    }
    Some(errs)
}

fn object_meta(obj: &Value, rule: NameRule) -> Vec<FieldError> {
    meta::validate_core_object_meta(meta_of(obj), true, rule)
}

/// In apps/v1 the selector cannot change after creation.
fn selector_immutable(new: &Value, old: &Value) -> Vec<FieldError> {
    let (ns, os) = (obj(spec_of(new), "selector"), obj(spec_of(old), "selector"));
    if !semantic_eq(ns, os) {
        return vec![invalid(&Path::new("spec").child("selector"), label_selector_value(ns), FIELD_IMMUTABLE)];
    }
    Vec::new()
}

/// An IntOrString bad value: upstream prints it through its String method
/// (the number, or the string unquoted).
fn int_or_string_value(v: Option<&Value>) -> Value {
    match v {
        Some(Value::String(s)) => raw_value(s.clone()),
        Some(v) => raw_value(as_i64(v).unwrap_or(0).to_string()),
        None => raw_value("0".to_string()),
    }
}

/// getPercentValue.
fn percent_value(v: Option<&Value>) -> Option<i64> {
    let s = v?.as_str()?;
    if !is_valid_percent(s).is_empty() {
        return None;
    }
    s.strip_suffix('%')?.parse().ok()
}

/// getIntOrPercentValue (IntValue parses a non-percent string, 0 on failure).
fn int_or_percent_value(v: Option<&Value>) -> i64 {
    if let Some(p) = percent_value(v) {
        return p;
    }
    match v {
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        Some(v) => as_i64(v).unwrap_or(0),
        None => 0,
    }
}

/// ValidatePositiveIntOrPercent.
fn positive_int_or_percent(v: Option<&Value>, path: &Path) -> Vec<FieldError> {
    match v {
        Some(Value::String(s)) => {
            is_valid_percent(s).into_iter().map(|m| invalid(path, int_or_string_value(v), m)).collect()
        }
        Some(x) => nonnegative(as_i64(x).unwrap_or(0), path),
        None => Vec::new(),
    }
}

/// IsNotMoreThan100Percent.
fn not_more_than_100(v: Option<&Value>, path: &Path) -> Vec<FieldError> {
    match percent_value(v) {
        Some(p) if p > 100 => vec![invalid(path, int_or_string_value(v), "must not be greater than 100%")],
        _ => Vec::new(),
    }
}

/// The selector check shared by Deployment and ReplicaSet.
fn validate_strict_selector(spec: &Value, kind_word: &str, path: &Path) -> Vec<FieldError> {
    match obj(spec, "selector") {
        None => vec![required(&path.child("selector"), "")],
        Some(sel) => {
            let mut errs = validate_label_selector(Some(sel), false, &path.child("selector"));
            if selector_has_no_terms(sel) {
                errs.push(invalid(
                    &path.child("selector"),
                    label_selector_value(Some(sel)),
                    format!("empty selector is invalid for {kind_word}"),
                ));
            }
            errs
        }
    }
}

/// ValidatePodTemplateSpecForReplicaSet (also used by Deployments).
fn validate_template_for_replica_set(
    spec: &Value,
    selector: &LabelSelector,
    opts: &PodOptions,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(template) = get(spec, "template") else {
        return vec![required(path, "")];
    };
    if !selector.is_empty() && !meta::selector_matches(selector, &pod::template_labels(Some(template))) {
        errs.push(invalid(
            &path.child("metadata").child("labels"),
            pod::template_labels_value(Some(template)),
            "`selector` does not match template `labels`",
        ));
    }
    errs.extend(validate_pod_template_spec(template, path, opts));
    errs.extend(pod::validate_always_running_template(Some(template), "ReplicaSet", path));
    errs
}

fn validate_deployment_spec(spec: &Value, opts: &PodOptions) -> Vec<FieldError> {
    let path = Path::new("spec");
    let mut errs = nonnegative(i(spec, "replicas"), &path.child("replicas"));
    errs.extend(validate_strict_selector(spec, "deployment", &path));
    let sel = obj(spec, "selector");
    match label_selector_as_selector(sel) {
        None => errs.push(invalid(&path.child("selector"), label_selector_value(sel), "invalid label selector")),
        Some(selector) => {
            errs.extend(validate_template_for_replica_set(spec, &selector, opts, &path.child("template")))
        }
    }
    errs.extend(validate_deployment_strategy(get(spec, "strategy"), &path.child("strategy")));
    let min_ready = i(spec, "minReadySeconds");
    errs.extend(nonnegative(min_ready, &path.child("minReadySeconds")));
    if let Some(rhl) = opt_i(spec, "revisionHistoryLimit") {
        errs.extend(nonnegative(rhl, &path.child("revisionHistoryLimit")));
    }
    if let Some(pds) = opt_i(spec, "progressDeadlineSeconds") {
        errs.extend(nonnegative(pds, &path.child("progressDeadlineSeconds")));
        if pds <= min_ready {
            errs.push(invalid(&path.child("progressDeadlineSeconds"), pds, "must be greater than minReadySeconds"));
        }
    }
    errs
}

/// A Go struct (strategy) as its bad value.
fn struct_value(v: Option<&Value>) -> Value {
    match v {
        Some(x) => raw_value(go_json(x)),
        None => raw_value("{}".to_string()),
    }
}

fn validate_deployment_strategy(strategy: Option<&Value>, path: &Path) -> Vec<FieldError> {
    let null = Value::Null;
    let st = strategy.unwrap_or(&null);
    match s(st, "type") {
        "Recreate" => {
            if get(st, "rollingUpdate").is_some() {
                return vec![forbidden(
                    &path.child("rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                )];
            }
            Vec::new()
        }
        "RollingUpdate" => match obj(st, "rollingUpdate") {
            None => vec![required(&path.child("rollingUpdate"), "this should be defaulted and never be nil")],
            Some(ru) => {
                let p = path.child("rollingUpdate");
                let (mu, ms) = (get(ru, "maxUnavailable"), get(ru, "maxSurge"));
                let mut errs = positive_int_or_percent(mu, &p.child("maxUnavailable"));
                errs.extend(positive_int_or_percent(ms, &p.child("maxSurge")));
                if int_or_percent_value(mu) == 0 && int_or_percent_value(ms) == 0 {
                    errs.push(invalid(
                        &p.child("maxUnavailable"),
                        int_or_string_value(mu),
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
                errs.extend(not_more_than_100(mu, &p.child("maxUnavailable")));
                errs
            }
        },
        _ => vec![not_supported(path, struct_value(strategy), &["Recreate", "RollingUpdate"])],
    }
}

fn validate_replica_set_spec(spec: &Value, opts: &PodOptions) -> Vec<FieldError> {
    let path = Path::new("spec");
    let mut errs = nonnegative(i(spec, "replicas"), &path.child("replicas"));
    errs.extend(nonnegative(i(spec, "minReadySeconds"), &path.child("minReadySeconds")));
    // Upstream reuses the Deployment wording here.
    errs.extend(validate_strict_selector(spec, "deployment", &path));
    let sel = obj(spec, "selector");
    match label_selector_as_selector(sel) {
        None => errs.push(invalid(&path.child("selector"), label_selector_value(sel), "invalid label selector")),
        Some(selector) => {
            errs.extend(validate_template_for_replica_set(spec, &selector, opts, &path.child("template")))
        }
    }
    errs
}

fn validate_daemon_set_spec(spec: &Value, opts: &PodOptions) -> Vec<FieldError> {
    let path = Path::new("spec");
    let sel = obj(spec, "selector");
    let mut errs = validate_label_selector(sel, opts.allow_invalid_label_value_in_selector, &path.child("selector"));
    let template = get(spec, "template");
    if let Some(selector) = label_selector_as_selector(sel)
        && !meta::selector_matches(&selector, &pod::template_labels(template))
    {
        errs.push(invalid(
            &path.child("template").child("metadata").child("labels"),
            pod::template_labels_value(template),
            "`selector` does not match template `labels`",
        ));
    }
    if let Some(sel) = sel
        && selector_has_no_terms(sel)
    {
        errs.push(invalid(
            &path.child("selector"),
            label_selector_value(Some(sel)),
            "empty selector is invalid for daemonset",
        ));
    }
    let null = Value::Null;
    let tpath = path.child("template");
    errs.extend(validate_pod_template_spec(template.unwrap_or(&null), &tpath, opts));
    errs.extend(pod::validate_always_running_template(template, "DaemonSet", &tpath));
    errs.extend(nonnegative(i(spec, "minReadySeconds"), &path.child("minReadySeconds")));
    errs.extend(nonnegative(i(spec, "templateGeneration"), &path.child("templateGeneration")));
    let us_path = path.child("updateStrategy");
    let us = get(spec, "updateStrategy");
    let us_val = us.unwrap_or(&null);
    match s(us_val, "type") {
        "OnDelete" => {}
        "RollingUpdate" => match obj(us_val, "rollingUpdate") {
            None => errs.push(required(&us_path.child("rollingUpdate"), "")),
            Some(ru) => {
                let p = us_path.child("rollingUpdate");
                let (mu, ms) = (get(ru, "maxUnavailable"), get(ru, "maxSurge"));
                errs.extend(positive_int_or_percent(mu, &p.child("maxUnavailable")));
                errs.extend(positive_int_or_percent(ms, &p.child("maxSurge")));
                errs.extend(not_more_than_100(mu, &p.child("maxUnavailable")));
                errs.extend(not_more_than_100(ms, &p.child("maxSurge")));
                let (has_u, has_s) = (int_or_percent_value(mu) != 0, int_or_percent_value(ms) != 0);
                if has_u && has_s {
                    errs.push(invalid(
                        &p.child("maxSurge"),
                        int_or_string_value(ms),
                        "may not be set when maxUnavailable is non-zero",
                    ));
                } else if !has_u && !has_s {
                    errs.push(required(&p.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
                }
            }
        },
        _ => errs.push(not_supported(&us_path, struct_value(us), &["RollingUpdate", "OnDelete"])),
    }
    if let Some(rhl) = opt_i(spec, "revisionHistoryLimit") {
        errs.extend(nonnegative(rhl, &path.child("revisionHistoryLimit")));
    }
    errs
}

fn validate_stateful_set_spec(spec: &Value) -> Vec<FieldError> {
    let path = Path::new("spec");
    let mut errs = Vec::new();
    let pmp = s(spec, "podManagementPolicy");
    match pmp {
        "" => errs.push(required(&path.child("podManagementPolicy"), "")),
        "OrderedReady" | "Parallel" => {}
        _ => errs.push(invalid(
            &path.child("podManagementPolicy"),
            named_string(pmp),
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    let null = Value::Null;
    let us_path = path.child("updateStrategy");
    let us = get(spec, "updateStrategy");
    let us_val = us.unwrap_or(&null);
    match s(us_val, "type") {
        "" => errs.push(required(&us_path, "")),
        "OnDelete" => {
            if let Some(ru) = get(us_val, "rollingUpdate") {
                errs.push(invalid(
                    &us_path.child("rollingUpdate"),
                    struct_value(Some(ru)),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        "RollingUpdate" => {
            if let Some(ru) = obj(us_val, "rollingUpdate") {
                let p = us_path.child("rollingUpdate");
                errs.extend(nonnegative(i(ru, "partition"), &p.child("partition")));
                if let Some(mu) = get(ru, "maxUnavailable") {
                    let mp = p.child("maxUnavailable");
                    errs.extend(positive_int_or_percent(Some(mu), &mp));
                    if int_or_percent_value(Some(mu)) == 0 {
                        errs.push(invalid(&mp, int_or_string_value(Some(mu)), "cannot be 0"));
                    }
                    errs.extend(not_more_than_100(Some(mu), &mp));
                }
            }
        }
        _ => errs.push(invalid(&us_path, struct_value(us), "must be 'RollingUpdate' or 'OnDelete'")),
    }
    if let Some(policy) = obj(spec, "persistentVolumeClaimRetentionPolicy") {
        let p = path.child("persistentVolumeClaimRetentionPolicy");
        for key in ["whenDeleted", "whenScaled"] {
            let v = s(policy, key);
            if !matches!(v, "Retain" | "Delete") {
                errs.push(not_supported(&p.child(key), named_string(v), &["Retain", "Delete"]));
            }
        }
    }
    errs.extend(nonnegative(i(spec, "replicas"), &path.child("replicas")));
    errs.extend(nonnegative(i(spec, "minReadySeconds"), &path.child("minReadySeconds")));
    if let Some(ordinals) = obj(spec, "ordinals") {
        errs.extend(nonnegative(i(ordinals, "start"), &path.child("ordinals.start")));
    }
    let sel = obj(spec, "selector");
    match sel {
        None => errs.push(required(&path.child("selector"), "")),
        Some(sel) => {
            errs.extend(validate_label_selector(Some(sel), false, &path.child("selector")));
            if selector_has_no_terms(sel) {
                errs.push(invalid(
                    &path.child("selector"),
                    label_selector_value(Some(sel)),
                    "empty selector is invalid for statefulset",
                ));
            }
        }
    }
    let template = get(spec, "template");
    let tpath = path.child("template");
    match label_selector_as_selector(sel) {
        None => errs.push(invalid(&path.child("selector"), label_selector_value(sel), "")),
        Some(selector) => {
            // Like upstream, only the template's metadata is validated here.
            if !selector.is_empty() && !meta::selector_matches(&selector, &pod::template_labels(template)) {
                errs.push(invalid(
                    &tpath.child("metadata").child("labels"),
                    pod::template_labels_value(template),
                    "`selector` does not match template `labels`",
                ));
            }
            let tmeta = template.and_then(|t| obj(t, "metadata")).unwrap_or(&null);
            errs.extend(validate_labels(tmeta, "labels", &tpath.child("labels")));
            errs.extend(meta::validate_annotations(tmeta, "annotations", &tpath.child("annotations")));
            errs.extend(pod::validate_pod_specific_annotations(
                tmeta,
                pod::template_spec(template),
                &tpath.child("annotations"),
            ));
        }
    }
    errs.extend(pod::validate_always_running_template(template, "StatefulSet", &tpath));
    errs
}

fn validate_controller_revision(obj: &Value) -> Vec<FieldError> {
    let mut errs = object_meta(obj, NameRule::DnsSubdomain);
    if get(obj, "data").is_none() {
        errs.push(required(&Path::new("data"), "data is mandatory"));
    }
    errs.extend(nonnegative(i(obj, "revision"), &Path::new("revision")));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::pod::tests::{valid_pod, with};
    use serde_json::json;

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn create(kind: &str, o: &Value) -> Vec<String> {
        texts(&validate_create(kind, o).expect("kind has rules"))
    }

    fn update(kind: &str, new: &Value, old: &Value) -> Vec<String> {
        texts(&validate_update(kind, new, old).expect("kind has rules"))
    }

    fn deployment() -> Value {
        json!({"metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"}, "spec": {
            "replicas": 2, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": valid_pod()["spec"].clone()},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600}})
    }

    fn stateful_set() -> Value {
        json!({"metadata": {"name": "db", "namespace": "default", "resourceVersion": "1"}, "spec": {
            "replicas": 1, "serviceName": "db", "podManagementPolicy": "OrderedReady",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": valid_pod()["spec"].clone()},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}}})
    }

    fn daemon_set() -> Value {
        json!({"metadata": {"name": "agent", "namespace": "default", "resourceVersion": "1"}, "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "template": {"metadata": {"labels": {"app": "agent"}}, "spec": valid_pod()["spec"].clone()},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
            "revisionHistoryLimit": 10}})
    }

    #[test]
    fn deployments() {
        assert_eq!(create("Deployment", &deployment()), Vec::<String>::new());
        let bad = with(deployment(), "/spec/template/metadata/labels", json!({"app": "api"}));
        assert_eq!(
            create("Deployment", &bad),
            vec![
                "spec.template.metadata.labels: Invalid value: {\"app\":\"api\"}: `selector` does not match template `labels`",
            ]
        );
        let bad = with(deployment(), "/spec/selector", Value::Null);
        // A nil selector selects nothing, so upstream also reports the mismatch.
        assert_eq!(
            create("Deployment", &bad),
            vec![
                "spec.selector: Required value",
                "spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`",
            ]
        );
        let bad = with(deployment(), "/spec/selector", json!({}));
        assert_eq!(
            create("Deployment", &bad),
            vec!["spec.selector: Invalid value: {}: empty selector is invalid for deployment"]
        );
        let bad = with(deployment(), "/spec/strategy/rollingUpdate", json!({"maxUnavailable": 0, "maxSurge": "0%"}));
        assert_eq!(
            create("Deployment", &bad),
            vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",]
        );
        let bad =
            with(deployment(), "/spec/strategy/rollingUpdate", json!({"maxUnavailable": "110%", "maxSurge": "x%"}));
        assert_eq!(
            create("Deployment", &bad),
            vec![
                "spec.strategy.rollingUpdate.maxSurge: Invalid value: x%: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 110%: must not be greater than 100%",
            ]
        );
        let bad =
            with(with(deployment(), "/spec/template/spec/restartPolicy", json!("Never")), "/spec/replicas", json!(-1));
        assert_eq!(
            create("Deployment", &bad),
            vec![
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            ]
        );
        let bad = with(deployment(), "/spec/progressDeadlineSeconds", json!(0));
        assert_eq!(
            create("Deployment", &bad),
            vec!["spec.progressDeadlineSeconds: Invalid value: 0: must be greater than minReadySeconds"]
        );
        let bad = with(deployment(), "/spec/template/spec/containers/0/image", json!(""));
        assert_eq!(create("Deployment", &bad), vec!["spec.template.spec.containers[0].image: Required value"]);
    }

    #[test]
    fn deployment_updates() {
        let old = deployment();
        let new = with(deployment(), "/spec/replicas", json!(5));
        assert_eq!(update("Deployment", &new, &old), Vec::<String>::new());
        let new = with(
            with(deployment(), "/spec/selector", json!({"matchLabels": {"app": "web", "tier": "fe"}})),
            "/spec/template/metadata/labels",
            json!({"app": "web", "tier": "fe"}),
        );
        assert_eq!(
            update("Deployment", &new, &old),
            vec![
                "spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"tier\":\"fe\"}}: field is immutable",
            ]
        );
    }

    #[test]
    fn replica_sets() {
        let rs = with(deployment(), "/spec/strategy", Value::Null);
        assert_eq!(create("ReplicaSet", &rs), Vec::<String>::new());
        let bad = with(rs, "/spec/selector", json!({}));
        assert_eq!(
            create("ReplicaSet", &bad),
            vec!["spec.selector: Invalid value: {}: empty selector is invalid for deployment"]
        );
    }

    #[test]
    fn stateful_sets() {
        assert_eq!(create("StatefulSet", &stateful_set()), Vec::<String>::new());
        let bad = with(stateful_set(), "/metadata/name", json!("db.v1"));
        assert_eq!(create("StatefulSet", &bad), vec!["metadata.name: Invalid value: \"db.v1\": must not contain dots"]);
        let bad = with(
            with(stateful_set(), "/spec/podManagementPolicy", json!("Random")),
            "/spec/updateStrategy",
            json!({"type": "Sometimes"}),
        );
        assert_eq!(
            create("StatefulSet", &bad),
            vec![
                "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
                "spec.updateStrategy: Invalid value: {\"type\":\"Sometimes\"}: must be 'RollingUpdate' or 'OnDelete'",
            ]
        );
        // Like upstream, the pod spec of a StatefulSet template is not validated.
        let no_image = with(stateful_set(), "/spec/template/spec/containers/0/image", json!(""));
        assert_eq!(create("StatefulSet", &no_image), Vec::<String>::new());
        let new = with(stateful_set(), "/spec/serviceName", json!("other"));
        assert_eq!(
            update("StatefulSet", &new, &stateful_set()),
            vec![
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            ]
        );
        let new = with(stateful_set(), "/spec/replicas", json!(3));
        assert_eq!(update("StatefulSet", &new, &stateful_set()), Vec::<String>::new());
    }

    #[test]
    fn daemon_sets() {
        assert_eq!(create("DaemonSet", &daemon_set()), Vec::<String>::new());
        let bad = with(daemon_set(), "/spec/updateStrategy/rollingUpdate", json!({"maxUnavailable": 0, "maxSurge": 0}));
        assert_eq!(
            create("DaemonSet", &bad),
            vec!["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]
        );
        let bad = with(daemon_set(), "/spec/selector", json!({"matchLabels": {"app": "x"}}));
        assert_eq!(
            create("DaemonSet", &bad),
            vec![
                "spec.template.metadata.labels: Invalid value: {\"app\":\"agent\"}: `selector` does not match template `labels`",
            ]
        );
        let bad = with(daemon_set(), "/spec/template/spec/activeDeadlineSeconds", json!(5));
        assert_eq!(
            create("DaemonSet", &bad),
            vec![
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"
            ]
        );
    }
}
