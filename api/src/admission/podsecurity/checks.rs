//! The Pod Security Standards checks, each with the versions at which its
//! behaviour changed, and the evaluator that picks the checks of a
//! level-version and runs them on a pod's metadata and spec (JSON values).
//!
//! Reasons and details are kube-apiserver's word for word; the order of the
//! results is the baseline checks by id, then the restricted checks by id.

use std::collections::BTreeSet;

use serde_json::Value;

use super::levels::{Level, LevelVersion, Version};
use crate::validation::field::go_quote;

/// The newest version with checks of its own: `latest` and newer versions
/// evaluate as this one (kube-apiserver 1.35's emulation version).
pub const MAX_VERSION: Version = Version::Minor(35);

/// The outcome of one check on one pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    /// The check's id (`privileged`, `runAsNonRoot`, ...).
    pub id: &'static str,
    /// Whether the pod passes.
    pub allowed: bool,
    /// Short reason, e.g. `runAsNonRoot != true`.
    pub forbidden_reason: String,
    /// Which fields of the pod are at fault.
    pub forbidden_detail: String,
}

/// A check's implementation as of some version.
type CheckFn = fn(&Value, &Value) -> Outcome;

/// What a check function returns: `None` when the pod passes.
type Outcome = Option<(String, String)>;

/// One implementation of a check, used from `min_version` on.
struct Versioned {
    min_version: Version,
    check: CheckFn,
    /// Baseline checks this restricted check replaces at the same version.
    overrides: &'static [&'static str],
}

/// A check with its level and versions (strictly increasing).
struct Check {
    id: &'static str,
    level: Level,
    versions: &'static [Versioned],
}

const fn v(min: u32, check: CheckFn) -> Versioned {
    Versioned { min_version: Version::Minor(min), check, overrides: &[] }
}

const fn vo(min: u32, check: CheckFn, overrides: &'static [&'static str]) -> Versioned {
    Versioned { min_version: Version::Minor(min), check, overrides }
}

/// Every check, baseline ids sorted then restricted ids sorted (byte order),
/// which is the order of results and of reasons in messages.
static CHECKS: &[Check] = &[
    Check { id: "appArmorProfile", level: Level::Baseline, versions: &[v(0, app_armor_profile)] },
    Check { id: "capabilities_baseline", level: Level::Baseline, versions: &[v(0, capabilities_baseline)] },
    Check { id: "hostNamespaces", level: Level::Baseline, versions: &[v(0, host_namespaces)] },
    Check { id: "hostPathVolumes", level: Level::Baseline, versions: &[v(0, host_path_volumes)] },
    Check { id: "hostPorts", level: Level::Baseline, versions: &[v(0, host_ports)] },
    Check { id: "hostProbesAndHostLifecycle", level: Level::Baseline, versions: &[v(34, host_probes_and_lifecycle)] },
    Check { id: "privileged", level: Level::Baseline, versions: &[v(0, privileged)] },
    Check { id: "procMount", level: Level::Baseline, versions: &[v(0, proc_mount), v(35, proc_mount_1_35_baseline)] },
    Check {
        id: "seLinuxOptions",
        level: Level::Baseline,
        versions: &[v(0, se_linux_options_1_0), v(31, se_linux_options_1_31)],
    },
    Check {
        id: "seccompProfile_baseline",
        level: Level::Baseline,
        versions: &[v(0, seccomp_baseline_1_0), v(19, seccomp_baseline_1_19)],
    },
    Check {
        id: "sysctls",
        level: Level::Baseline,
        versions: &[v(0, sysctls_1_0), v(27, sysctls_1_27), v(29, sysctls_1_29), v(32, sysctls_1_32)],
    },
    Check { id: "windowsHostProcess", level: Level::Baseline, versions: &[v(0, windows_host_process)] },
    Check {
        id: "allowPrivilegeEscalation",
        level: Level::Restricted,
        versions: &[v(8, allow_privilege_escalation_1_8), v(25, allow_privilege_escalation_1_25)],
    },
    Check {
        id: "capabilities_restricted",
        level: Level::Restricted,
        versions: &[
            vo(22, capabilities_restricted_1_22, &["capabilities_baseline"]),
            vo(25, capabilities_restricted_1_25, &["capabilities_baseline"]),
        ],
    },
    Check { id: "procMount_restricted", level: Level::Restricted, versions: &[vo(35, proc_mount, &["procMount"])] },
    Check {
        id: "restrictedVolumes",
        level: Level::Restricted,
        versions: &[vo(0, restricted_volumes, &["hostPathVolumes"])],
    },
    Check {
        id: "runAsNonRoot",
        level: Level::Restricted,
        versions: &[v(0, run_as_non_root_1_0), v(35, run_as_non_root_1_35)],
    },
    Check { id: "runAsUser", level: Level::Restricted, versions: &[v(23, run_as_user_1_23), v(35, run_as_user_1_35)] },
    Check {
        id: "seccompProfile_restricted",
        level: Level::Restricted,
        versions: &[
            vo(19, seccomp_restricted_1_19, &["seccompProfile_baseline"]),
            vo(25, seccomp_restricted_1_25, &["seccompProfile_baseline"]),
        ],
    },
];

/// The implementation of `check` in force at `version`, if the check exists yet.
fn at_version(check: &Check, version: Version) -> Option<&Versioned> {
    check.versions.iter().rev().find(|c| c.min_version <= version)
}

/// Runs the checks of `lv` on a pod: one result per check that applies
/// (none for privileged). Versions newer than [`MAX_VERSION`] (and `latest`)
/// evaluate as [`MAX_VERSION`].
pub fn evaluate(lv: LevelVersion, pod_metadata: &Value, pod_spec: &Value) -> Vec<CheckResult> {
    if lv.level == Level::Privileged {
        return Vec::new();
    }
    let version = lv.version.min(MAX_VERSION);
    let restricted = lv.level == Level::Restricted;
    let overridden: BTreeSet<&str> = if restricted {
        CHECKS
            .iter()
            .filter(|c| c.level == Level::Restricted)
            .filter_map(|c| at_version(c, version))
            .flat_map(|c| c.overrides.iter().copied())
            .collect()
    } else {
        BTreeSet::new()
    };
    CHECKS
        .iter()
        .filter(|c| {
            (c.level == Level::Baseline && !overridden.contains(c.id)) || (restricted && c.level == Level::Restricted)
        })
        .filter_map(|c| at_version(c, version).map(|imp| (c.id, imp.check)))
        .map(|(id, check)| match check(pod_metadata, pod_spec) {
            None => CheckResult { id, allowed: true, forbidden_reason: String::new(), forbidden_detail: String::new() },
            Some((reason, detail)) => {
                CheckResult { id, allowed: false, forbidden_reason: reason, forbidden_detail: detail }
            }
        })
        .collect()
}

/// The failed checks of an evaluation, joined as kube-apiserver's messages join them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AggregateCheckResult {
    /// Whether every check passed.
    pub allowed: bool,
    /// The reasons of the failed checks, in check order.
    pub forbidden_reasons: Vec<String>,
    /// The details of the failed checks, parallel to the reasons.
    pub forbidden_details: Vec<String>,
}

impl AggregateCheckResult {
    /// Collects the failed results; an empty reason reads `unknown forbidden reason`.
    pub fn new(results: &[CheckResult]) -> Self {
        let mut agg = Self::default();
        for r in results.iter().filter(|r| !r.allowed) {
            agg.forbidden_reasons.push(if r.forbidden_reason.is_empty() {
                "unknown forbidden reason".to_string()
            } else {
                r.forbidden_reason.clone()
            });
            agg.forbidden_details.push(r.forbidden_detail.clone());
        }
        agg.allowed = agg.forbidden_reasons.is_empty();
        agg
    }

    /// The reasons joined with ", " (the per-pod namespace warning).
    pub fn forbidden_reason(&self) -> String {
        self.forbidden_reasons.join(", ")
    }

    /// `reason (detail), reason (detail)` (the Forbidden and warning messages).
    pub fn forbidden_detail(&self) -> String {
        self.forbidden_reasons
            .iter()
            .zip(&self.forbidden_details)
            .map(|(r, d)| if d.is_empty() { r.clone() } else { format!("{r} ({d})") })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

// ---- helpers ----

fn pluralize<'a>(singular: &'a str, plural: &'a str, count: usize) -> &'a str {
    if count == 1 { singular } else { plural }
}

/// `"a", "b"` (no escaping, as upstream).
fn join_quote<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| format!("\"{}\"", s.as_ref())).collect();
    items.join(", ")
}

/// `container "a"` / `containers "a", "b"`.
fn containers_phrase(names: &[String]) -> String {
    format!("{} {}", pluralize("container", "containers", names.len()), join_quote(names))
}

/// Init, regular and ephemeral containers, in that order.
fn containers(spec: &Value) -> impl Iterator<Item = &Value> {
    ["initContainers", "containers", "ephemeralContainers"]
        .into_iter()
        .flat_map(move |k| spec.get(k).and_then(Value::as_array).into_iter().flatten())
}

fn name(c: &Value) -> String {
    c.get("name").and_then(Value::as_str).unwrap_or_default().to_string()
}

/// A non-null value at a path of object keys.
fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, k| cur.get(k)).filter(|x| !x.is_null())
}

fn bool_at(v: &Value, path: &[&str]) -> Option<bool> {
    at(v, path).and_then(Value::as_bool)
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

fn is_windows(spec: &Value) -> bool {
    str_at(spec, &["os", "name"]) == Some("windows")
}

/// A pod in a user namespace (`hostUsers: false`) gets relaxed checks from v1.35.
fn in_user_namespace(spec: &Value) -> bool {
    bool_at(spec, &["hostUsers"]) == Some(false)
}

fn annotations(metadata: &Value) -> impl Iterator<Item = (&String, &str)> {
    metadata
        .get("annotations")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().map(|s| (k, s)))
}

fn annotation<'a>(metadata: &'a Value, key: &str) -> Option<&'a str> {
    metadata.get("annotations").and_then(|a| a.get(key)).and_then(Value::as_str)
}

fn fail(reason: &str, detail: String) -> Outcome {
    Some((reason.to_string(), detail))
}

// ---- baseline ----

fn app_armor_profile(metadata: &Value, spec: &Value) -> Outcome {
    let allowed_type = |t: Option<&str>| matches!(t, Some("RuntimeDefault") | Some("Localhost"));
    let mut bad_setters = Vec::new();
    let mut bad_values = BTreeSet::new();
    if let Some(p) = at(spec, &["securityContext", "appArmorProfile"]) {
        let t = str_at(p, &["type"]);
        if !allowed_type(t) {
            bad_setters.push("pod".to_string());
            bad_values.insert(t.unwrap_or_default().to_string());
        }
    }
    let mut bad_containers = Vec::new();
    for c in containers(spec) {
        if let Some(p) = at(c, &["securityContext", "appArmorProfile"]) {
            let t = str_at(p, &["type"]);
            if !allowed_type(t) {
                bad_containers.push(name(c));
                bad_values.insert(t.unwrap_or_default().to_string());
            }
        }
    }
    if !bad_containers.is_empty() {
        bad_setters.push(containers_phrase(&bad_containers));
    }
    let mut forbidden_annotations: Vec<String> = annotations(metadata)
        .filter(|(k, v)| {
            k.starts_with("container.apparmor.security.beta.kubernetes.io/")
                && !(v.is_empty() || *v == "runtime/default" || v.starts_with("localhost/"))
        })
        .map(|(k, v)| format!("{k}={}", go_quote(v)))
        .collect();
    let mut bad_value_list: Vec<String> = bad_values.into_iter().collect();
    if !forbidden_annotations.is_empty() {
        forbidden_annotations.sort();
        bad_setters.push(pluralize("annotation", "annotations", forbidden_annotations.len()).to_string());
        bad_value_list.extend(forbidden_annotations);
    }
    if bad_setters.is_empty() {
        return None;
    }
    fail(
        pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", bad_value_list.len()),
        format!("{} must not set AppArmor profile type to {}", bad_setters.join(" and "), join_quote(&bad_value_list)),
    )
}

const DEFAULT_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn added_capabilities(c: &Value) -> impl Iterator<Item = &str> {
    at(c, &["securityContext", "capabilities", "add"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default())
}

fn capabilities_baseline(_: &Value, spec: &Value) -> Outcome {
    let mut bad_containers = Vec::new();
    let mut non_default = BTreeSet::new();
    for c in containers(spec) {
        let mut valid = true;
        for cap in added_capabilities(c) {
            if !DEFAULT_CAPABILITIES.contains(&cap) {
                valid = false;
                non_default.insert(cap);
            }
        }
        if !valid {
            bad_containers.push(name(c));
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    fail(
        "non-default capabilities",
        format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers_phrase(&bad_containers),
            join_quote(&non_default)
        ),
    )
}

fn host_namespaces(_: &Value, spec: &Value) -> Outcome {
    let set: Vec<&str> =
        [("hostNetwork", "hostNetwork=true"), ("hostPID", "hostPID=true"), ("hostIPC", "hostIPC=true")]
            .into_iter()
            .filter(|(k, _)| bool_at(spec, &[k]) == Some(true))
            .map(|(_, s)| s)
            .collect();
    if set.is_empty() {
        return None;
    }
    fail("host namespaces", set.join(", "))
}

fn volumes(spec: &Value) -> impl Iterator<Item = &Value> {
    spec.get("volumes").and_then(Value::as_array).into_iter().flatten()
}

fn host_path_volumes(_: &Value, spec: &Value) -> Outcome {
    let names: Vec<String> = volumes(spec).filter(|v| at(v, &["hostPath"]).is_some()).map(name).collect();
    if names.is_empty() {
        return None;
    }
    fail("hostPath volumes", format!("{} {}", pluralize("volume", "volumes", names.len()), join_quote(&names)))
}

fn host_ports(_: &Value, spec: &Value) -> Outcome {
    let mut bad_containers = Vec::new();
    let mut ports = BTreeSet::new();
    for c in containers(spec) {
        let mut valid = true;
        for p in c.get("ports").and_then(Value::as_array).into_iter().flatten() {
            let hp = p.get("hostPort").and_then(Value::as_i64).unwrap_or(0);
            if hp != 0 {
                valid = false;
                ports.insert(hp.to_string());
            }
        }
        if !valid {
            bad_containers.push(name(c));
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    fail(
        "hostPort",
        format!(
            "{} {} {} {}",
            containers_phrase(&bad_containers),
            pluralize("uses", "use", bad_containers.len()),
            pluralize("hostPort", "hostPorts", ports.len()),
            ports.into_iter().collect::<Vec<_>>().join(", ")
        ),
    )
}

fn host_probes_and_lifecycle(_: &Value, spec: &Value) -> Outcome {
    let mut bad_containers = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    for c in containers(spec) {
        let handlers = [
            at(c, &["livenessProbe"]),
            at(c, &["readinessProbe"]),
            at(c, &["startupProbe"]),
            at(c, &["lifecycle", "postStart"]),
            at(c, &["lifecycle", "preStop"]),
        ];
        for h in handlers.into_iter().flatten() {
            for kind in ["httpGet", "tcpSocket"] {
                if let Some(host) = str_at(h, &[kind, "host"]).filter(|s| !s.is_empty()) {
                    bad_containers.insert(name(c));
                    hosts.insert(host.to_string());
                }
            }
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    fail(
        "probe or lifecycle host",
        format!(
            "{} {} {} {} {}",
            pluralize("container", "containers", bad_containers.len()),
            join_quote(&bad_containers),
            pluralize("uses", "use", bad_containers.len()),
            pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.len()),
            join_quote(&hosts)
        ),
    )
}

fn privileged(_: &Value, spec: &Value) -> Outcome {
    let bad: Vec<String> =
        containers(spec).filter(|c| bool_at(c, &["securityContext", "privileged"]) == Some(true)).map(name).collect();
    if bad.is_empty() {
        return None;
    }
    fail("privileged", format!("{} must not set securityContext.privileged=true", containers_phrase(&bad)))
}

fn proc_mount(_: &Value, spec: &Value) -> Outcome {
    let mut bad = Vec::new();
    let mut types = BTreeSet::new();
    for c in containers(spec) {
        if let Some(pm) = at(c, &["securityContext", "procMount"]) {
            let pm = pm.as_str().unwrap_or_default();
            if pm != "Default" {
                bad.push(name(c));
                types.insert(pm);
            }
        }
    }
    if bad.is_empty() {
        return None;
    }
    fail(
        "procMount",
        format!("{} must not set securityContext.procMount to {}", containers_phrase(&bad), join_quote(&types)),
    )
}

fn proc_mount_1_35_baseline(metadata: &Value, spec: &Value) -> Outcome {
    if in_user_namespace(spec) {
        return None;
    }
    proc_mount(metadata, spec)
}

const SELINUX_TYPES_1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
const SELINUX_TYPES_1_31: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

fn se_linux_options_1_0(_: &Value, spec: &Value) -> Outcome {
    se_linux_options(spec, SELINUX_TYPES_1_0)
}

fn se_linux_options_1_31(_: &Value, spec: &Value) -> Outcome {
    se_linux_options(spec, SELINUX_TYPES_1_31)
}

fn se_linux_options(spec: &Value, allowed_types: &[&str]) -> Outcome {
    let mut bad_types = BTreeSet::new();
    let (mut set_user, mut set_role) = (false, false);
    let mut valid = |opts: &Value| {
        let mut ok = true;
        let t = str_at(opts, &["type"]).unwrap_or_default();
        if !allowed_types.contains(&t) {
            ok = false;
            bad_types.insert(t.to_string());
        }
        if !str_at(opts, &["user"]).unwrap_or_default().is_empty() {
            ok = false;
            set_user = true;
        }
        if !str_at(opts, &["role"]).unwrap_or_default().is_empty() {
            ok = false;
            set_role = true;
        }
        ok
    };
    let mut bad_setters = Vec::new();
    if let Some(opts) = at(spec, &["securityContext", "seLinuxOptions"])
        && !valid(opts)
    {
        bad_setters.push("pod".to_string());
    }
    let mut bad_containers = Vec::new();
    for c in containers(spec) {
        if let Some(opts) = at(c, &["securityContext", "seLinuxOptions"])
            && !valid(opts)
        {
            bad_containers.push(name(c));
        }
    }
    if !bad_containers.is_empty() {
        bad_setters.push(containers_phrase(&bad_containers));
    }
    if bad_setters.is_empty() {
        return None;
    }
    let mut bad_data = Vec::new();
    if !bad_types.is_empty() {
        bad_data.push(format!("{} {}", pluralize("type", "types", bad_types.len()), join_quote(&bad_types)));
    }
    if set_user {
        bad_data.push("user may not be set".to_string());
    }
    if set_role {
        bad_data.push("role may not be set".to_string());
    }
    fail(
        "seLinuxOptions",
        format!("{} set forbidden securityContext.seLinuxOptions: {}", bad_setters.join(" and "), bad_data.join("; ")),
    )
}

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

fn valid_seccomp_type(t: Option<&str>) -> bool {
    matches!(t, Some("Localhost") | Some("RuntimeDefault"))
}

fn seccomp_baseline_1_0(metadata: &Value, spec: &Value) -> Outcome {
    let valid = |v: &str| v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/");
    let mut forbidden = BTreeSet::new();
    if let Some(v) = annotation(metadata, SECCOMP_POD_ANNOTATION)
        && !valid(v)
    {
        forbidden.insert(format!("{SECCOMP_POD_ANNOTATION}={}", go_quote(v)));
    }
    for c in containers(spec) {
        let key = format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", name(c));
        if let Some(v) = annotation(metadata, &key)
            && !valid(v)
        {
            forbidden.insert(format!("{key}={}", go_quote(v)));
        }
    }
    if forbidden.is_empty() {
        return None;
    }
    fail(
        "seccompProfile",
        format!(
            "forbidden {} {}",
            pluralize("annotation", "annotations", forbidden.len()),
            forbidden.into_iter().collect::<Vec<_>>().join(", ")
        ),
    )
}

/// The explicit seccomp violations shared by the baseline and restricted checks,
/// and the containers that set no profile of their own.
fn seccomp_profiles(spec: &Value) -> (Vec<String>, BTreeSet<String>, bool, Vec<String>) {
    let mut bad_setters = Vec::new();
    let mut bad_values = BTreeSet::new();
    let mut pod_set = false;
    if let Some(p) = at(spec, &["securityContext", "seccompProfile"]) {
        let t = str_at(p, &["type"]);
        if valid_seccomp_type(t) {
            pod_set = true;
        } else {
            bad_setters.push("pod".to_string());
            bad_values.insert(t.unwrap_or_default().to_string());
        }
    }
    let mut explicit = Vec::new();
    let mut unset = Vec::new();
    for c in containers(spec) {
        match at(c, &["securityContext", "seccompProfile"]) {
            Some(p) => {
                let t = str_at(p, &["type"]);
                if !valid_seccomp_type(t) {
                    explicit.push(name(c));
                    bad_values.insert(t.unwrap_or_default().to_string());
                }
            }
            None => unset.push(name(c)),
        }
    }
    if !explicit.is_empty() {
        bad_setters.push(containers_phrase(&explicit));
    }
    (bad_setters, bad_values, pod_set, unset)
}

fn seccomp_baseline_1_19(_: &Value, spec: &Value) -> Outcome {
    let (bad_setters, bad_values, _, _) = seccomp_profiles(spec);
    if bad_setters.is_empty() {
        return None;
    }
    fail(
        "seccompProfile",
        format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            bad_setters.join(" and "),
            join_quote(&bad_values)
        ),
    )
}

const SYSCTLS_1_0: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
];
const SYSCTLS_1_27: &[&str] = &["net.ipv4.ip_local_reserved_ports"];
const SYSCTLS_1_29: &[&str] = &[
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];
const SYSCTLS_1_32: &[&str] = &["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];

fn sysctls_1_0(_: &Value, spec: &Value) -> Outcome {
    sysctls(spec, &[SYSCTLS_1_0])
}

fn sysctls_1_27(_: &Value, spec: &Value) -> Outcome {
    sysctls(spec, &[SYSCTLS_1_0, SYSCTLS_1_27])
}

fn sysctls_1_29(_: &Value, spec: &Value) -> Outcome {
    sysctls(spec, &[SYSCTLS_1_0, SYSCTLS_1_27, SYSCTLS_1_29])
}

fn sysctls_1_32(_: &Value, spec: &Value) -> Outcome {
    sysctls(spec, &[SYSCTLS_1_0, SYSCTLS_1_27, SYSCTLS_1_29, SYSCTLS_1_32])
}

fn sysctls(spec: &Value, allowed: &[&[&str]]) -> Outcome {
    let forbidden: Vec<&str> = at(spec, &["securityContext", "sysctls"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| str_at(s, &["name"]).unwrap_or_default())
        .filter(|n| !allowed.iter().any(|set| set.contains(n)))
        .collect();
    if forbidden.is_empty() {
        return None;
    }
    fail("forbidden sysctls", forbidden.join(", "))
}

fn windows_host_process(_: &Value, spec: &Value) -> Outcome {
    let path = ["securityContext", "windowsOptions", "hostProcess"];
    let bad: Vec<String> = containers(spec).filter(|c| bool_at(c, &path) == Some(true)).map(name).collect();
    let mut setters = Vec::new();
    if bool_at(spec, &path) == Some(true) {
        setters.push("pod".to_string());
    }
    if !bad.is_empty() {
        setters.push(containers_phrase(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    fail(
        "hostProcess",
        format!("{} must not set securityContext.windowsOptions.hostProcess=true", setters.join(" and ")),
    )
}

// ---- restricted ----

fn allow_privilege_escalation_1_8(_: &Value, spec: &Value) -> Outcome {
    let bad: Vec<String> = containers(spec)
        .filter(|c| bool_at(c, &["securityContext", "allowPrivilegeEscalation"]) != Some(false))
        .map(name)
        .collect();
    if bad.is_empty() {
        return None;
    }
    fail(
        "allowPrivilegeEscalation != false",
        format!("{} must set securityContext.allowPrivilegeEscalation=false", containers_phrase(&bad)),
    )
}

fn allow_privilege_escalation_1_25(metadata: &Value, spec: &Value) -> Outcome {
    if is_windows(spec) {
        return None;
    }
    allow_privilege_escalation_1_8(metadata, spec)
}

fn capabilities_restricted_1_22(_: &Value, spec: &Value) -> Outcome {
    let mut missing_drop_all = Vec::new();
    let mut adding_forbidden = Vec::new();
    let mut forbidden_caps = BTreeSet::new();
    for c in containers(spec) {
        let Some(caps) = at(c, &["securityContext", "capabilities"]) else {
            missing_drop_all.push(name(c));
            continue;
        };
        let dropped_all =
            caps.get("drop").and_then(Value::as_array).into_iter().flatten().any(|d| d.as_str() == Some("ALL"));
        if !dropped_all {
            missing_drop_all.push(name(c));
        }
        let mut added_forbidden = false;
        for cap in added_capabilities(c) {
            if cap != "NET_BIND_SERVICE" {
                added_forbidden = true;
                forbidden_caps.insert(cap);
            }
        }
        if added_forbidden {
            adding_forbidden.push(name(c));
        }
    }
    let mut details = Vec::new();
    if !missing_drop_all.is_empty() {
        details.push(format!(
            r#"{} must set securityContext.capabilities.drop=["ALL"]"#,
            containers_phrase(&missing_drop_all)
        ));
    }
    if !adding_forbidden.is_empty() {
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers_phrase(&adding_forbidden),
            join_quote(&forbidden_caps)
        ));
    }
    if details.is_empty() {
        return None;
    }
    fail("unrestricted capabilities", details.join("; "))
}

fn capabilities_restricted_1_25(metadata: &Value, spec: &Value) -> Outcome {
    if is_windows(spec) {
        return None;
    }
    capabilities_restricted_1_22(metadata, spec)
}

/// Volume sources the restricted level allows.
const ALLOWED_VOLUME_SOURCES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Volume sources the restricted level names when it forbids them, in upstream's order.
const RESTRICTED_VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

fn restricted_volumes(_: &Value, spec: &Value) -> Outcome {
    let mut bad = Vec::new();
    let mut types = BTreeSet::new();
    for vol in volumes(spec) {
        if ALLOWED_VOLUME_SOURCES.iter().any(|k| at(vol, &[k]).is_some()) {
            continue;
        }
        bad.push(name(vol));
        types.insert(RESTRICTED_VOLUME_SOURCES.iter().copied().find(|k| at(vol, &[k]).is_some()).unwrap_or("unknown"));
    }
    if bad.is_empty() {
        return None;
    }
    fail(
        "restricted volume types",
        format!(
            "{} {} {} {} {}",
            pluralize("volume", "volumes", bad.len()),
            join_quote(&bad),
            pluralize("uses", "use", bad.len()),
            pluralize("restricted volume type", "restricted volume types", types.len()),
            join_quote(&types)
        ),
    )
}

fn run_as_non_root_1_0(_: &Value, spec: &Value) -> Outcome {
    let path = ["securityContext", "runAsNonRoot"];
    let mut bad_setters = Vec::new();
    let mut pod_non_root = false;
    match bool_at(spec, &path) {
        Some(false) => bad_setters.push("pod".to_string()),
        Some(true) => pod_non_root = true,
        None => {}
    }
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    for c in containers(spec) {
        match bool_at(c, &path) {
            Some(false) => explicit.push(name(c)),
            Some(true) => {}
            None if !pod_non_root => implicit.push(name(c)),
            None => {}
        }
    }
    if !explicit.is_empty() {
        bad_setters.push(containers_phrase(&explicit));
    }
    if !bad_setters.is_empty() {
        return fail(
            "runAsNonRoot != true",
            format!("{} must not set securityContext.runAsNonRoot=false", bad_setters.join(" and ")),
        );
    }
    if !implicit.is_empty() {
        return fail(
            "runAsNonRoot != true",
            format!("pod or {} must set securityContext.runAsNonRoot=true", containers_phrase(&implicit)),
        );
    }
    None
}

fn run_as_non_root_1_35(metadata: &Value, spec: &Value) -> Outcome {
    if in_user_namespace(spec) {
        return None;
    }
    run_as_non_root_1_0(metadata, spec)
}

fn run_as_user_1_23(_: &Value, spec: &Value) -> Outcome {
    let path = ["securityContext", "runAsUser"];
    let is_root = |v: &Value| at(v, &path).and_then(Value::as_i64) == Some(0);
    let mut bad_setters = Vec::new();
    if is_root(spec) {
        bad_setters.push("pod".to_string());
    }
    let bad: Vec<String> = containers(spec).filter(|c| is_root(c)).map(name).collect();
    if !bad.is_empty() {
        bad_setters.push(containers_phrase(&bad));
    }
    if bad_setters.is_empty() {
        return None;
    }
    fail("runAsUser=0", format!("{} must not set runAsUser=0", bad_setters.join(" and ")))
}

fn run_as_user_1_35(metadata: &Value, spec: &Value) -> Outcome {
    if in_user_namespace(spec) {
        return None;
    }
    run_as_user_1_23(metadata, spec)
}

fn seccomp_restricted_1_19(_: &Value, spec: &Value) -> Outcome {
    let (bad_setters, bad_values, pod_set, unset) = seccomp_profiles(spec);
    if !bad_setters.is_empty() {
        return fail(
            "seccompProfile",
            format!(
                "{} must not set securityContext.seccompProfile.type to {}",
                bad_setters.join(" and "),
                join_quote(&bad_values)
            ),
        );
    }
    if !pod_set && !unset.is_empty() {
        return fail(
            "seccompProfile",
            format!(
                r#"pod or {} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#,
                containers_phrase(&unset)
            ),
        );
    }
    None
}

fn seccomp_restricted_1_25(metadata: &Value, spec: &Value) -> Outcome {
    if is_windows(spec) {
        return None;
    }
    seccomp_restricted_1_19(metadata, spec)
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;
