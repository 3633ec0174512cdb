//! Validation of the `batch` group: Job and CronJob.
//!
//! Like kube-apiserver, a Job without `manualSelector: true` is validated
//! after its selector and pod labels were generated from its uid and name by
//! the Job strategy ([`crate::strategy::generate_job_selector`]).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::strategy::{
    JOB_CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_JOB_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL,
};
use crate::validation::access::{arr, as_i64, field, get, meta_of, obj, opt_b, opt_i, opt_s, s, semantic_eq, spec_of};
use crate::validation::field::{
    FieldError, Path, duplicate, go_json, invalid, invalid_omit, named_string, not_supported, raw_value, required,
    too_long, too_many,
};
use crate::validation::meta::{
    self, FIELD_IMMUTABLE, label_selector_as_selector, label_selector_value, nonnegative, validate_label_selector,
};
use crate::validation::names::{NameRule, is_dns1123_label, is_domain_prefixed_path};
use crate::validation::pod::{self, PodOptions, qualified_name, template_update_options, validate_pod_template_spec};
use crate::validation::{cron, tz};

/// Validation of a new batch object; `None` for kinds without specific rules.
pub fn validate_create(_version: &str, kind: &str, obj: &Value) -> Option<Vec<FieldError>> {
    Some(match kind {
        "Job" => validate_job(obj, &PodOptions::default(), true),
        "CronJob" => validate_cron_job_create(obj),
        _ => return None,
    })
}

/// Validation of an update of a batch object; `None` for kinds without specific rules.
pub fn validate_update(_version: &str, kind: &str, new: &Value, old: &Value) -> Option<Vec<FieldError>> {
    Some(match kind {
        "Job" => validate_job_update(new, old),
        "CronJob" => validate_cron_job_update(new, old),
        _ => return None,
    })
}

/// ValidateHasLabel.
fn validate_has_label(
    template_labels: &[(&str, &str)],
    labels_value: &Value,
    key: &str,
    expected: &str,
) -> Vec<FieldError> {
    let path = Path::new("spec").child("template").child("metadata").child("labels").key(key);
    match template_labels.iter().find(|(k, _)| *k == key) {
        None => vec![required(&path, format!("must be '{expected}'"))],
        Some((_, v)) if *v != expected => vec![invalid(&path, labels_value.clone(), format!("must be '{expected}'"))],
        _ => Vec::new(),
    }
}

fn validate_generated_selector(job: &Value, prefixed_labels: bool) -> Vec<FieldError> {
    let spec = spec_of(job);
    if opt_b(spec, "manualSelector") == Some(true) || obj(spec, "selector").is_none() {
        return Vec::new();
    }
    let mut errs = Vec::new();
    let uid = s(meta_of(job), "uid");
    let name = s(meta_of(job), "name");
    if uid.is_empty() {
        errs.push(required(&Path::new("metadata").child("uid"), ""));
    }
    let template = get(spec, "template");
    let labels = pod::template_labels(template);
    let labels_value = pod::template_labels_value(template);
    errs.extend(validate_has_label(&labels, &labels_value, LEGACY_JOB_CONTROLLER_UID_LABEL, uid));
    errs.extend(validate_has_label(&labels, &labels_value, LEGACY_JOB_NAME_LABEL, name));
    let mut expected = vec![(LEGACY_JOB_CONTROLLER_UID_LABEL, uid), (LEGACY_JOB_NAME_LABEL, name)];
    if prefixed_labels {
        errs.extend(validate_has_label(&labels, &labels_value, JOB_CONTROLLER_UID_LABEL, uid));
        errs.extend(validate_has_label(&labels, &labels_value, JOB_NAME_LABEL, name));
        expected.push((JOB_CONTROLLER_UID_LABEL, uid));
        expected.push((JOB_NAME_LABEL, name));
    }
    let sel = obj(spec, "selector");
    if let Some(selector) = label_selector_as_selector(sel)
        && !meta::selector_matches(&selector, &expected)
    {
        errs.push(invalid(
            &Path::new("spec").child("selector"),
            label_selector_value(sel),
            "`selector` not auto-generated",
        ));
    }
    errs
}

fn validate_job(job: &Value, opts: &PodOptions, prefixed_labels: bool) -> Vec<FieldError> {
    let mut errs = meta::validate_core_object_meta(meta_of(job), true, NameRule::DnsSubdomain);
    errs.extend(validate_generated_selector(job, prefixed_labels));
    errs.extend(validate_job_spec_with_selector(spec_of(job), opts));
    let spec = spec_of(job);
    if opt_s(spec, "completionMode") == Some("Indexed")
        && let Some(c) = opt_i(spec, "completions").filter(|c| *c > 0)
    {
        let name = s(meta_of(job), "name");
        let hostname = format!("{}-{}", name, c - 1);
        if !is_dns1123_label(&hostname).is_empty() {
            errs.push(invalid(
                &Path::new("metadata").child("name"),
                name,
                format!("will not able to create pod with invalid DNS label: {hostname}"),
            ));
        }
    }
    errs
}

/// ValidateJobSpec: the spec plus the selector checks.
fn validate_job_spec_with_selector(spec: &Value, opts: &PodOptions) -> Vec<FieldError> {
    let path = Path::new("spec");
    let mut errs = validate_job_spec(spec, &path, opts);
    let sel = obj(spec, "selector");
    match sel {
        None => errs.push(required(&path.child("selector"), "")),
        Some(_) => errs.extend(validate_label_selector(
            sel,
            opts.allow_invalid_label_value_in_selector,
            &path.child("selector"),
        )),
    }
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
    errs
}

const MAX_PARALLELISM_INDEXED: i64 = 100_000;
const MAX_FAILED_INDEXES: i64 = 100_000;
const COMPLETIONS_SOFT_LIMIT: i64 = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS: i64 = 10_000;

/// validateJobSpec (shared with CronJob job templates).
fn validate_job_spec(spec: &Value, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for key in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
    ] {
        if let Some(v) = opt_i(spec, key) {
            errs.extend(nonnegative(v, &path.child(key)));
        }
    }
    let parallelism = opt_i(spec, "parallelism");
    let completions = opt_i(spec, "completions");
    let blpi = opt_i(spec, "backoffLimitPerIndex");
    let mfi = opt_i(spec, "maxFailedIndexes");
    if let Some(m) = mfi {
        errs.extend(nonnegative(m, &path.child("maxFailedIndexes")));
        if blpi.is_none() {
            errs.push(required(&path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
        }
    }
    if let Some(mb) = opt_s(spec, "managedBy") {
        errs.extend(is_domain_prefixed_path(&path.child("managedBy"), mb));
        if mb.len() > 63 {
            errs.push(too_long(&path.child("managedBy"), 63));
        }
    }
    let mode = opt_s(spec, "completionMode");
    if let Some(m) = mode {
        if m != "NonIndexed" && m != "Indexed" {
            errs.push(not_supported(&path.child("completionMode"), named_string(m), &["NonIndexed", "Indexed"]));
        }
        if m == "Indexed" {
            if completions.is_none() {
                errs.push(required(&path.child("completions"), "when completion mode is Indexed"));
            }
            if let Some(p) = parallelism.filter(|p| *p > MAX_PARALLELISM_INDEXED) {
                errs.push(invalid(
                    &path.child("parallelism"),
                    p,
                    format!("must be less than or equal to {MAX_PARALLELISM_INDEXED} when completion mode is Indexed"),
                ));
            }
            if let (Some(c), Some(m)) = (completions, mfi)
                && m > c
            {
                errs.push(invalid(&path.child("maxFailedIndexes"), m, "must be less than or equal to completions"));
            }
            if let Some(m) = mfi.filter(|m| *m > MAX_FAILED_INDEXES) {
                errs.push(invalid(
                    &path.child("maxFailedIndexes"),
                    m,
                    format!("must be less than or equal to {MAX_FAILED_INDEXES}"),
                ));
            }
            if completions.is_some_and(|c| c > COMPLETIONS_SOFT_LIMIT) && blpi.is_some() {
                if mfi.is_none() {
                    errs.push(required(
                        &path.child("maxFailedIndexes"),
                        format!("must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"),
                    ));
                }
                if let Some(p) = parallelism.filter(|p| *p > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
                    errs.push(invalid(
                        &path.child("parallelism"),
                        p,
                        format!(
                            "must be less than or equal to {PARALLELISM_LIMIT_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
                        ),
                    ));
                }
                if let Some(m) = mfi.filter(|m| *m > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
                    errs.push(invalid(
                        &path.child("maxFailedIndexes"),
                        m,
                        format!(
                            "must be less than or equal to {PARALLELISM_LIMIT_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
                        ),
                    ));
                }
            }
        }
    }
    if mode.is_none_or(|m| m == "NonIndexed") {
        if let Some(b) = blpi {
            errs.push(invalid(&path.child("backoffLimitPerIndex"), b, "requires indexed completion mode"));
        }
        if let Some(m) = mfi {
            errs.push(invalid(&path.child("maxFailedIndexes"), m, "requires indexed completion mode"));
        }
    }
    if let Some(pfp) = obj(spec, "podFailurePolicy") {
        errs.extend(validate_pod_failure_policy(spec, pfp, &path.child("podFailurePolicy")));
    }
    if let Some(sp) = obj(spec, "successPolicy") {
        if mode != Some("Indexed") {
            errs.push(invalid(
                &path.child("successPolicy"),
                raw_value(go_json(sp)),
                "requires indexed completion mode",
            ));
        } else {
            errs.extend(validate_success_policy(sp, completions.unwrap_or(0), &path.child("successPolicy")));
        }
    }
    if let Some(prp) = opt_s(spec, "podReplacementPolicy") {
        if obj(spec, "podFailurePolicy").is_some() {
            if prp != "Failed" {
                errs.push(not_supported(&path.child("podReplacementPolicy"), named_string(prp), &["Failed"]));
            }
        } else if !matches!(prp, "Failed" | "TerminatingOrFailed") {
            errs.push(not_supported(
                &path.child("podReplacementPolicy"),
                named_string(prp),
                &["Failed", "TerminatingOrFailed"],
            ));
        }
    }
    let null = Value::Null;
    let tpath = path.child("template");
    let template = get(spec, "template");
    errs.extend(validate_pod_template_spec(template.unwrap_or(&null), &tpath, opts));
    let rp = s(pod::template_spec(template), "restartPolicy");
    let rp_path = tpath.child("spec").child("restartPolicy");
    if rp == "Always" || rp.is_empty() {
        errs.push(required(&rp_path, "valid values: \"OnFailure\", \"Never\""));
    } else if rp != "OnFailure" && rp != "Never" {
        errs.push(not_supported(&rp_path, named_string(rp), &["OnFailure", "Never"]));
    } else if obj(spec, "podFailurePolicy").is_some() && rp != "Never" {
        errs.push(invalid(
            &rp_path,
            named_string(rp),
            "only \"Never\" is supported when podFailurePolicy is specified",
        ));
    }
    errs
}

fn validate_pod_failure_policy(spec: &Value, pfp: &Value, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules_path = path.child("rules");
    let rules = arr(pfp, "rules");
    if rules.len() > 20 {
        errs.push(too_many(&rules_path, rules.len() as i64, 20));
    }
    let tspec = pod::template_spec(get(spec, "template"));
    let names: BTreeSet<&str> =
        arr(tspec, "containers").iter().chain(arr(tspec, "initContainers")).map(|c| s(c, "name")).collect();
    const ACTIONS: &[&str] = &["Count", "FailIndex", "FailJob", "Ignore"];
    for (idx, rule) in rules.iter().enumerate() {
        let rp = rules_path.index(idx);
        let action = s(rule, "action");
        if action.is_empty() {
            errs.push(required(&rp.child("action"), "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]"));
        } else if action == "FailIndex" {
            if get(spec, "backoffLimitPerIndex").is_none() {
                errs.push(invalid(
                    &rp.child("action"),
                    named_string(action),
                    "requires the backoffLimitPerIndex to be set",
                ));
            }
        } else if !ACTIONS.contains(&action) {
            errs.push(not_supported(&rp.child("action"), named_string(action), ACTIONS));
        }
        let on_exit = obj(rule, "onExitCodes");
        let on_conditions = arr(rule, "onPodConditions");
        if let Some(oe) = on_exit {
            let op_path = rp.child("onExitCodes");
            let op = s(oe, "operator");
            if op.is_empty() {
                errs.push(required(&op_path.child("operator"), "valid values: [\"In\" \"NotIn\"]"));
            } else if !matches!(op, "In" | "NotIn") {
                errs.push(not_supported(&op_path.child("operator"), named_string(op), &["In", "NotIn"]));
            }
            if let Some(cn) = opt_s(oe, "containerName")
                && !names.contains(cn)
            {
                errs.push(invalid(
                    &op_path.child("containerName"),
                    cn,
                    "must be one of the container or initContainer names in the pod template",
                ));
            }
            let values: Vec<i64> = arr(oe, "values").iter().filter_map(as_i64).collect();
            let vp = op_path.child("values");
            if values.is_empty() {
                errs.push(invalid(&vp, Value::Array(Vec::new()), "at least one value is required"));
            } else if values.len() > 255 {
                errs.push(too_many(&vp, values.len() as i64, 255));
            }
            let mut seen = BTreeSet::new();
            for (j, v) in values.iter().enumerate() {
                if op == "In" && *v == 0 {
                    errs.push(invalid(&vp.index(j), *v, "must not be 0 for the In operator"));
                }
                if !seen.insert(*v) {
                    errs.push(duplicate(&vp.index(j), *v));
                }
            }
            if values.windows(2).any(|w| w[0] > w[1]) {
                errs.push(invalid(
                    &vp,
                    Value::Array(values.iter().map(|v| Value::from(*v)).collect()),
                    "must be ordered",
                ));
            }
        }
        if !on_conditions.is_empty() {
            let cp = rp.child("onPodConditions");
            if on_conditions.len() > 20 {
                errs.push(too_many(&cp, on_conditions.len() as i64, 20));
            }
            for (j, pattern) in on_conditions.iter().enumerate() {
                let pp = cp.index(j);
                errs.extend(qualified_name(s(pattern, "type"), &pp.child("type")));
                let status = s(pattern, "status");
                if status.is_empty() {
                    errs.push(required(&pp.child("status"), "valid values: [\"False\" \"True\" \"Unknown\"]"));
                } else if !matches!(status, "False" | "True" | "Unknown") {
                    errs.push(not_supported(&pp.child("status"), named_string(status), &["False", "True", "Unknown"]));
                }
            }
        }
        if on_exit.is_some() && !on_conditions.is_empty() {
            errs.push(invalid_omit(&rp, "specifying both OnExitCodes and OnPodConditions is not supported"));
        }
        if on_exit.is_none() && on_conditions.is_empty() {
            errs.push(invalid_omit(&rp, "specifying one of OnExitCodes and OnPodConditions is required"));
        }
    }
    errs
}

fn validate_success_policy(sp: &Value, completions: i64, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules_path = path.child("rules");
    let rules = arr(sp, "rules");
    if rules.is_empty() {
        errs.push(required(&rules_path, "at least one rules must be specified when the successPolicy is specified"));
    }
    if rules.len() > 20 {
        errs.push(too_many(&rules_path, rules.len() as i64, 20));
    }
    for (idx, rule) in rules.iter().enumerate() {
        let rp = rules_path.index(idx);
        let count = opt_i(rule, "succeededCount");
        let indexes = opt_s(rule, "succeededIndexes");
        if count.is_none() && indexes.is_none() {
            errs.push(required(&rp, "at least one of succeededCount or succeededIndexes must be specified"));
        }
        let mut total = 0i64;
        if let Some(ix) = indexes {
            let ip = rp.child("succeededIndexes");
            if ix.len() > 64 * 1024 {
                errs.push(too_long(&ip, 64 * 1024));
            }
            match validate_indexes_format(ix, completions) {
                Ok(t) => total = t,
                Err(e) => errs.push(invalid(&ip, ix, format!("error parsing succeededIndexes: {e}"))),
            }
        }
        if let Some(c) = count {
            let cp = rp.child("succeededCount");
            errs.extend(nonnegative(c, &cp));
            if c > completions {
                errs.push(invalid(
                    &cp,
                    c,
                    format!("must be less than or equal to {completions} (the number of specified completions)"),
                ));
            }
            if indexes.is_some() && c > total {
                errs.push(invalid(
                    &cp,
                    c,
                    format!("must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"),
                ));
            }
        }
    }
    errs
}

fn parse_index_interval(interval: &str, completions: i64) -> Result<(i64, i64), String> {
    let parts: Vec<&str> = interval.split('-').collect();
    if parts.len() > 2 {
        return Err(format!(
            "the fragment {} violates the requirement that an index interval can have at most two parts separated by '-'",
            crate::validation::field::go_quote(interval)
        ));
    }
    let parse = |p: &str| -> Result<i64, String> {
        p.parse::<i64>().map_err(|_| {
            format!("cannot convert string to integer for index: {}", crate::validation::field::go_quote(p))
        })
    };
    let x = parse(parts[0])?;
    if x >= completions {
        return Err(format!("too large index: {}", crate::validation::field::go_quote(parts[0])));
    }
    if parts.len() == 2 {
        let y = parse(parts[1])?;
        if y >= completions {
            return Err(format!("too large index: {}", crate::validation::field::go_quote(parts[1])));
        }
        if x >= y {
            return Err(format!("non-increasing order, previous: {x}, current: {y}"));
        }
        return Ok((x, y));
    }
    Ok((x, x))
}

fn validate_indexes_format(indexes: &str, completions: i64) -> Result<i64, String> {
    if indexes.is_empty() {
        return Ok(0);
    }
    let mut last: Option<i64> = None;
    let mut total = 0;
    for interval in indexes.split(',') {
        let (x, y) = parse_index_interval(interval, completions)?;
        if let Some(l) = last
            && l >= x
        {
            return Err(format!("non-increasing order, previous: {l}, current: {x}"));
        }
        total += y - x + 1;
        last = Some(y);
    }
    Ok(total)
}

fn has_prefixed_labels(job: &Value) -> bool {
    let labels = pod::template_labels(get(spec_of(job), "template"));
    labels.iter().any(|(k, _)| *k == JOB_CONTROLLER_UID_LABEL) && labels.iter().any(|(k, _)| *k == JOB_NAME_LABEL)
}

fn validate_job_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let opts = template_update_options(get(spec_of(old), "template"));
    let prefixed = has_prefixed_labels(old) || has_prefixed_labels(new);
    // Like the Job strategy: the whole object, then the update rules (which repeat the spec checks).
    let mut errs = validate_job(new, &opts, prefixed);
    errs.extend(meta::validate_core_object_meta_update(meta_of(new), meta_of(old)));
    let (spec, old_spec) = (spec_of(new), spec_of(old));
    let path = Path::new("spec");
    errs.extend(validate_job_spec_with_selector(spec, &opts));
    // Completions: immutable unless Indexed (then only with parallelism).
    let indexed = opt_s(spec, "completionMode") == Some("Indexed");
    let (nc, oc) = (opt_i(spec, "completions"), opt_i(old_spec, "completions"));
    if !indexed {
        if nc != oc {
            errs.push(invalid(&path.child("completions"), pod::opt_int(nc), FIELD_IMMUTABLE));
        }
    } else if nc != oc
        && let Some(c) = nc
        && Some(c) != opt_i(spec, "parallelism")
    {
        errs.push(invalid(&path.child("completions"), c, "can only be modified in tandem with spec.parallelism"));
    }
    if !semantic_eq(get(spec, "selector"), get(old_spec, "selector")) {
        errs.push(invalid(&path.child("selector"), label_selector_value(obj(spec, "selector")), FIELD_IMMUTABLE));
    }
    // The pod template is immutable, except scheduling directives of a
    // suspended Job that never started.
    let suspended = opt_b(old_spec, "suspend") == Some(true);
    let not_started = get(old, "status").and_then(|st| get(st, "startTime")).is_none();
    let mut old_template = get(old_spec, "template").cloned().unwrap_or(Value::Null);
    let new_template = get(spec, "template").cloned().unwrap_or(Value::Null);
    if suspended && not_started {
        allow_scheduling_changes(&mut old_template, &new_template);
    }
    if !semantic_eq(Some(&new_template), Some(&old_template)) {
        errs.push(invalid(&path.child("template"), raw_value(go_json(&new_template)), FIELD_IMMUTABLE));
    }
    for key in ["completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"] {
        if !semantic_eq(get(spec, key), get(old_spec, key)) {
            let value = match get(spec, key) {
                None => Value::Null,
                Some(Value::String(v)) => named_string(v),
                Some(v @ Value::Number(_)) => v.clone(),
                Some(v) => raw_value(go_json(v)),
            };
            errs.push(invalid(&path.child(key), value, FIELD_IMMUTABLE));
        }
    }
    errs
}

/// The mutable scheduling directives of a suspended, never-started Job's template.
fn allow_scheduling_changes(old_template: &mut Value, new_template: &Value) {
    let new_spec = pod::template_spec(Some(new_template)).clone();
    let new_meta = get(new_template, "metadata").cloned();
    let Some(t) = old_template.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(spec)) = t.get_mut("spec") {
        let new_aff = get(&new_spec, "affinity");
        let old_has_aff = spec.get("affinity").is_some_and(|a| !a.is_null());
        match (new_aff, old_has_aff) {
            (None, true) => {
                if let Some(Value::Object(a)) = spec.get_mut("affinity") {
                    a.remove("nodeAffinity");
                    if a.values().all(Value::is_null) {
                        spec.remove("affinity");
                    }
                }
            }
            (Some(na), false) => {
                let mut a = Map::new();
                if let Some(n) = get(na, "nodeAffinity") {
                    a.insert("nodeAffinity".to_string(), n.clone());
                }
                spec.insert("affinity".to_string(), Value::Object(a));
            }
            (Some(na), true) => {
                if let Some(Value::Object(a)) = spec.get_mut("affinity") {
                    match get(na, "nodeAffinity") {
                        Some(n) => a.insert("nodeAffinity".to_string(), n.clone()),
                        None => a.remove("nodeAffinity"),
                    };
                }
            }
            (None, false) => {}
        }
        for key in ["nodeSelector", "tolerations", "schedulingGates"] {
            match get(&new_spec, key) {
                Some(v) => spec.insert(key.to_string(), v.clone()),
                None => spec.remove(key),
            };
        }
    }
    let meta = t.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
    if let Some(m) = meta.as_object_mut() {
        for key in ["labels", "annotations"] {
            match new_meta.as_ref().and_then(|nm| get(nm, key)) {
                Some(v) => m.insert(key.to_string(), v.clone()),
                None => m.remove(key),
            };
        }
    }
}

// ---------------------------------------------------------------------------
// CronJob
// ---------------------------------------------------------------------------

fn validate_cron_job_create(cj: &Value) -> Vec<FieldError> {
    let mut errs = meta::validate_core_object_meta(meta_of(cj), true, NameRule::DnsSubdomain);
    errs.extend(validate_cron_job_spec(spec_of(cj), None, &PodOptions::default()));
    let name = s(meta_of(cj), "name");
    if name.len() > 52 {
        errs.push(invalid(&Path::new("metadata").child("name"), name, "must be no more than 52 bytes"));
    }
    errs
}

fn validate_cron_job_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let opts = template_update_options(
        get(spec_of(old), "jobTemplate").and_then(|jt| get(jt, "spec")).and_then(|s| get(s, "template")),
    );
    let mut errs = meta::validate_core_object_meta_update(meta_of(new), meta_of(old));
    errs.extend(validate_cron_job_spec(spec_of(new), Some(spec_of(old)), &opts));
    errs
}

fn validate_cron_job_spec(spec: &Value, old: Option<&Value>, opts: &PodOptions) -> Vec<FieldError> {
    let path = Path::new("spec");
    let mut errs = Vec::new();
    let schedule = s(spec, "schedule");
    let sp = path.child("schedule");
    if schedule.is_empty() {
        errs.push(required(&sp, ""));
    } else {
        let allow_tz = old.is_some_and(|o| s(o, "schedule").contains("TZ"));
        if let Err(e) = cron::parse_standard(schedule) {
            errs.push(invalid(&sp, schedule, e));
        }
        if allow_tz && schedule.contains("TZ") && get(spec, "timeZone").is_some() {
            errs.push(invalid(&sp, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
        } else if !allow_tz && schedule.contains("TZ") {
            errs.push(invalid(&sp, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        }
    }
    if let Some(sds) = opt_i(spec, "startingDeadlineSeconds") {
        errs.extend(nonnegative(sds, &path.child("startingDeadlineSeconds")));
    }
    let tz_value = opt_s(spec, "timeZone");
    if old.is_none_or(|o| opt_s(o, "timeZone") != tz_value) {
        errs.extend(tz::validate_time_zone(tz_value, &path.child("timeZone")));
    }
    let cp = s(spec, "concurrencyPolicy");
    match cp {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(required(&path.child("concurrencyPolicy"), "")),
        _ => errs.push(not_supported(
            &path.child("concurrencyPolicy"),
            named_string(cp),
            &["Allow", "Forbid", "Replace"],
        )),
    }
    let jt_path = path.child("jobTemplate");
    let jt = field(spec, "jobTemplate");
    let jt_spec = spec_of(jt);
    errs.extend(validate_job_spec(jt_spec, &jt_path.child("spec"), opts));
    if let Some(sel) = obj(jt_spec, "selector") {
        errs.push(invalid(
            &jt_path.child("spec").child("selector"),
            label_selector_value(Some(sel)),
            "`selector` will be auto-generated",
        ));
    }
    if opt_b(jt_spec, "manualSelector") == Some(true) {
        errs.push(not_supported(&jt_path.child("spec").child("manualSelector"), true, &["nil", "false"]));
    }
    for key in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
        if let Some(v) = opt_i(spec, key) {
            errs.extend(nonnegative(v, &path.child(key)));
        }
    }
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

    fn job() -> Value {
        let mut spec = valid_pod()["spec"].clone();
        spec["restartPolicy"] = json!("Never");
        let mut job = json!({"metadata": {"name": "pi", "namespace": "default", "uid": "1234", "resourceVersion": "1"}, "spec": {
            "parallelism": 1, "completions": 1, "backoffLimit": 6, "completionMode": "NonIndexed", "suspend": false,
            "podReplacementPolicy": "TerminatingOrFailed", "template": {"spec": spec}}});
        crate::strategy::generate_job_selector(&mut job);
        job
    }

    fn cron_job() -> Value {
        let mut jt = job()["spec"].clone();
        if let Some(m) = jt.as_object_mut() {
            m.remove("selector");
        }
        jt["template"]["metadata"] = json!({});
        json!({"metadata": {"name": "hourly", "namespace": "default", "resourceVersion": "1"}, "spec": {
            "schedule": "0 * * * *", "concurrencyPolicy": "Allow", "suspend": false,
            "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1, "jobTemplate": {"spec": jt}}})
    }

    fn create(kind: &str, o: &Value) -> Vec<String> {
        texts(&validate_create("v1", kind, o).expect("kind has rules"))
    }

    #[test]
    fn generated_selector_and_labels() {
        let j = job();
        assert_eq!(j["spec"]["selector"], json!({"matchLabels": {"batch.kubernetes.io/controller-uid": "1234"}}));
        assert_eq!(j["spec"]["template"]["metadata"]["labels"]["job-name"], json!("pi"));
        assert_eq!(create("Job", &j), Vec::<String>::new());
        let bad = with(job(), "/spec/template/metadata/labels/job-name", json!("other"));
        assert_eq!(
            create("Job", &bad),
            vec![
                "spec.template.metadata.labels[job-name]: Invalid value: {\"batch.kubernetes.io/controller-uid\":\"1234\",\"batch.kubernetes.io/job-name\":\"pi\",\"controller-uid\":\"1234\",\"job-name\":\"other\"}: must be 'pi'",
            ]
        );
    }

    #[test]
    fn job_spec_rules() {
        let bad =
            with(with(job(), "/spec/template/spec/restartPolicy", json!("Always")), "/spec/parallelism", json!(-1));
        assert_eq!(
            create("Job", &bad),
            vec![
                "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
                "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
            ]
        );
        let bad = with(job(), "/spec/completionMode", json!("Sometimes"));
        assert_eq!(
            create("Job", &bad),
            vec![
                "spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\"",
            ]
        );
        let bad = with(with(job(), "/spec/completionMode", json!("Indexed")), "/spec/completions", Value::Null);
        assert_eq!(create("Job", &bad), vec!["spec.completions: Required value: when completion mode is Indexed"]);
        // With a podFailurePolicy the defaulted podReplacementPolicy is Failed.
        let bad = with(
            with(job(), "/spec/podReplacementPolicy", json!("Failed")),
            "/spec/podFailurePolicy",
            json!({"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [2, 0, 1]}}]}),
        );
        assert_eq!(
            create("Job", &bad),
            vec![
                "spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator",
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [2,0,1]: must be ordered",
            ]
        );
    }

    #[test]
    fn job_updates() {
        let old = job();
        let new = with(job(), "/spec/parallelism", json!(3));
        assert_eq!(texts(&validate_update("v1", "Job", &new, &old).expect("rules")), Vec::<String>::new());
        let new = with(job(), "/spec/completions", json!(3));
        assert_eq!(
            texts(&validate_update("v1", "Job", &new, &old).expect("rules")),
            vec!["spec.completions: Invalid value: 3: field is immutable"]
        );
        let new = with(job(), "/spec/template/spec/containers/0/image", json!("perl:2"));
        let errs = validate_update("v1", "Job", &new, &old).expect("rules");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "spec.template");
        assert!(errs[0].body().ends_with(": field is immutable"));
    }

    #[test]
    fn cron_jobs() {
        assert_eq!(create("CronJob", &cron_job()), Vec::<String>::new());
        let bad = with(cron_job(), "/spec/schedule", json!("61 * * * *"));
        assert_eq!(
            create("CronJob", &bad),
            vec!["spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61"]
        );
        let bad = with(cron_job(), "/spec/schedule", json!("TZ=UTC 0 * * * *"));
        assert_eq!(
            create("CronJob", &bad),
            vec![
                "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ]
        );
        let bad = with(cron_job(), "/spec/timeZone", json!("Mars/Base"));
        assert_eq!(
            create("CronJob", &bad),
            vec!["spec.timeZone: Invalid value: \"Mars/Base\": unknown time zone Mars/Base"]
        );
        let bad = with(cron_job(), "/spec/concurrencyPolicy", json!("Sometimes"));
        assert_eq!(
            create("CronJob", &bad),
            vec![
                "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
            ]
        );
        let bad = with(cron_job(), "/metadata/name", json!("a".repeat(53)));
        assert_eq!(
            create("CronJob", &bad),
            vec![format!("metadata.name: Invalid value: \"{}\": must be no more than 52 bytes", "a".repeat(53))]
        );
        let bad = with(cron_job(), "/spec/jobTemplate/spec/selector", json!({"matchLabels": {"a": "b"}}));
        assert_eq!(
            create("CronJob", &bad),
            vec![
                "spec.jobTemplate.spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` will be auto-generated",
            ]
        );
        let bad = with(cron_job(), "/spec/jobTemplate/spec/template/spec/restartPolicy", json!("Always"));
        assert_eq!(
            create("CronJob", &bad),
            vec![
                "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
            ]
        );
        let new = with(cron_job(), "/spec/schedule", json!("@hourly"));
        assert_eq!(texts(&validate_update("v1", "CronJob", &new, &cron_job()).expect("rules")), Vec::<String>::new());
    }
}
