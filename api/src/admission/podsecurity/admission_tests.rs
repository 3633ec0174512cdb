use serde_json::json;

use super::*;

const BARE_RESTRICTED: &str = r#"allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn bare_pod(name: &str) -> Value {
    json!({"metadata": {"name": name, "namespace": "ns"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
}

fn privileged_pod(name: &str) -> Value {
    json!({"metadata": {"name": name}, "spec": {"containers": [{"name": "c", "image": "nginx", "securityContext": {"privileged": true}}]}})
}

fn request<'a>(resource: &'a str, object: &'a Value) -> Request<'a> {
    Request {
        operation: Operation::Create,
        group: "",
        resource,
        subresource: "",
        namespace: "ns",
        name: object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or(""),
        username: "alice",
        object,
        old_object: None,
    }
}

fn plugin() -> PodSecurity {
    PodSecurity::default()
}

fn ok_labels(pairs: &[(&str, &str)]) -> impl FnOnce() -> Result<BTreeMap<String, String>, String> {
    let l = labels(pairs);
    move || Ok(l)
}

#[test]
fn enforce_rejects_a_pod_with_the_full_status_message() {
    let pod = bare_pod("p");
    let d = plugin()
        .validate_pod(&request("pods", &pod), ok_labels(&[("pod-security.kubernetes.io/enforce", "restricted")]));
    let err = d.error.as_ref().expect("forbidden");
    assert_eq!(err.code, 403);
    assert_eq!(err.reason, "Forbidden");
    assert_eq!(
        err.message,
        format!(r#"pods "p" is forbidden: violates PodSecurity "restricted:latest": {BARE_RESTRICTED}"#)
    );
    // No warnings on a rejected request; the enforce policy is annotated.
    assert!(d.warnings.is_empty());
    assert_eq!(d.audit_annotations.get(ENFORCE_POLICY_ANNOTATION).map(String::as_str), Some("restricted:latest"));
}

#[test]
fn warn_and_audit_admit_with_messages() {
    let pod = bare_pod("p");
    let d = plugin().validate_pod(
        &request("pods", &pod),
        ok_labels(&[
            ("pod-security.kubernetes.io/enforce", "baseline"),
            ("pod-security.kubernetes.io/warn", "restricted"),
            ("pod-security.kubernetes.io/audit", "restricted"),
            ("pod-security.kubernetes.io/audit-version", "v1.24"),
        ]),
    );
    assert!(d.allowed());
    assert_eq!(d.warnings, vec![format!(r#"would violate PodSecurity "restricted:latest": {BARE_RESTRICTED}"#)]);
    assert_eq!(
        d.audit_annotations.get(AUDIT_VIOLATIONS_ANNOTATION).map(String::as_str),
        Some(format!(r#"would violate PodSecurity "restricted:v1.24": {BARE_RESTRICTED}"#).as_str())
    );
    assert_eq!(d.audit_annotations.get(ENFORCE_POLICY_ANNOTATION).map(String::as_str), Some("baseline:latest"));
}

#[test]
fn privileged_namespaces_are_annotated_and_admitted() {
    let pod = privileged_pod("p");
    let d = plugin().validate_pod(&request("pods", &pod), ok_labels(&[]));
    assert!(d.allowed() && d.warnings.is_empty());
    assert_eq!(d.audit_annotations.get(ENFORCE_POLICY_ANNOTATION).map(String::as_str), Some("privileged:latest"));
}

#[test]
fn version_pinning_differs_from_latest() {
    // Adding SYS_ADMIN: at baseline:v1.22 and latest alike this is refused, while
    // restricted:v1.21 names baseline's capability check and latest the restricted one.
    let pod = json!({"metadata": {"name": "p"}, "spec": {
        "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "c", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"add": ["SYS_ADMIN"], "drop": ["ALL"]}}}]
    }});
    let pinned = plugin().validate_pod(
        &request("pods", &pod),
        ok_labels(&[
            ("pod-security.kubernetes.io/enforce", "restricted"),
            ("pod-security.kubernetes.io/enforce-version", "v1.21"),
        ]),
    );
    assert_eq!(
        pinned.error.map(|e| e.message),
        Some(r#"pods "p" is forbidden: violates PodSecurity "restricted:v1.21": non-default capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)"#.to_string())
    );
    let latest = plugin()
        .validate_pod(&request("pods", &pod), ok_labels(&[("pod-security.kubernetes.io/enforce", "restricted")]));
    assert_eq!(
        latest.error.map(|e| e.message),
        Some(r#"pods "p" is forbidden: violates PodSecurity "restricted:latest": unrestricted capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)"#.to_string())
    );
    // A Windows pod at restricted:v1.24 is checked for capabilities; at v1.25 not.
    let windows = json!({"metadata": {"name": "w"}, "spec": {"os": {"name": "windows"}, "securityContext": {"runAsNonRoot": true}, "containers": [{"name": "c"}]}});
    let at = |v: &str| {
        plugin()
            .validate_pod(
                &request("pods", &windows),
                ok_labels(&[
                    ("pod-security.kubernetes.io/enforce", "restricted"),
                    ("pod-security.kubernetes.io/enforce-version", v),
                ]),
            )
            .allowed()
    };
    assert!(!at("v1.24"));
    assert!(at("v1.25"));
    assert!(at("latest"));
}

#[test]
fn exemptions_by_namespace_user_and_runtime_class() {
    let ps = PodSecurity::new(PodSecurityConfiguration {
        defaults: Policy { enforce: LevelVersion::new(Level::Restricted, Version::Latest), ..Policy::default() },
        exemptions: config::Exemptions {
            usernames: vec!["admin".into()],
            namespaces: vec!["kube-system".into()],
            runtime_classes: vec!["kata".into()],
        },
    });
    let pod = bare_pod("p");
    // The defaults enforce restricted on an unlabelled namespace.
    assert!(!ps.validate_pod(&request("pods", &pod), ok_labels(&[])).allowed());

    let mut req = request("pods", &pod);
    req.namespace = "kube-system";
    let d = ps.validate_pod(&req, || Err("not consulted".into()));
    assert!(d.allowed());
    assert_eq!(d.audit_annotations.get(EXEMPT_ANNOTATION).map(String::as_str), Some("namespace"));

    let mut req = request("pods", &pod);
    req.username = "admin";
    let d = ps.validate_pod(&req, ok_labels(&[]));
    assert_eq!(d.audit_annotations.get(EXEMPT_ANNOTATION).map(String::as_str), Some("user"));
    assert!(d.allowed());

    let kata = json!({"metadata": {"name": "k"}, "spec": {"runtimeClassName": "kata", "containers": [{"name": "c"}]}});
    let d = ps.validate_pod(&request("pods", &kata), ok_labels(&[]));
    assert!(d.allowed());
    assert_eq!(d.audit_annotations.get(EXEMPT_ANNOTATION).map(String::as_str), Some("runtimeClass"));
}

#[test]
fn pod_updates_are_checked_only_when_significant() {
    let old = bare_pod("p");
    let enforce = [("pod-security.kubernetes.io/enforce", "restricted")];
    let update = |new: &Value| {
        let mut req = request("pods", new);
        req.operation = Operation::Update;
        req.old_object = Some(&old);
        plugin().validate_pod(&req, ok_labels(&enforce))
    };
    // A label change only: admitted unchecked.
    let mut relabelled = old.clone();
    relabelled["metadata"]["labels"] = json!({"a": "b"});
    assert!(update(&relabelled).allowed());
    // An image change: checked.
    let mut new_image = old.clone();
    new_image["spec"]["containers"][0]["image"] = json!("nginx:2");
    assert!(!update(&new_image).allowed());
    // An added ephemeral container: checked.
    let mut debug = old.clone();
    debug["spec"]["ephemeralContainers"] = json!([{"name": "dbg", "image": "busybox"}]);
    assert!(!update(&debug).allowed());
    // Status and other ignored subresources are never checked.
    let mut req = request("pods", &new_image);
    req.subresource = "status";
    assert!(plugin().validate_pod(&req, ok_labels(&enforce)).allowed());
    // ephemeralcontainers is checked.
    let mut req = request("pods", &debug);
    req.subresource = "ephemeralcontainers";
    req.operation = Operation::Update;
    req.old_object = Some(&old);
    assert!(!plugin().validate_pod(&req, ok_labels(&enforce)).allowed());
}

#[test]
fn pod_controllers_warn_and_audit_but_never_enforce() {
    let template =
        json!({"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
    let objects = [
        ("apps", "deployments", json!({"metadata": {"name": "d"}, "spec": {"template": template}})),
        ("apps", "replicasets", json!({"metadata": {"name": "d"}, "spec": {"template": template}})),
        ("apps", "statefulsets", json!({"metadata": {"name": "d"}, "spec": {"template": template}})),
        ("apps", "daemonsets", json!({"metadata": {"name": "d"}, "spec": {"template": template}})),
        ("batch", "jobs", json!({"metadata": {"name": "d"}, "spec": {"template": template}})),
        (
            "batch",
            "cronjobs",
            json!({"metadata": {"name": "d"}, "spec": {"jobTemplate": {"spec": {"template": template}}}}),
        ),
        ("", "replicationcontrollers", json!({"metadata": {"name": "d"}, "spec": {"template": template}})),
        ("", "podtemplates", json!({"metadata": {"name": "d"}, "template": template})),
    ];
    for (group, resource, object) in &objects {
        let mut req = request(resource, object);
        req.group = group;
        let d =
            plugin().validate_pod_controller(&req, ok_labels(&[("pod-security.kubernetes.io/enforce", "restricted")]));
        assert!(d.allowed(), "{resource}");
        // Warn follows the enforce level when no warn label is set.
        assert_eq!(
            d.warnings,
            vec![format!(r#"would violate PodSecurity "restricted:latest": {BARE_RESTRICTED}"#)],
            "{resource}"
        );
        assert!(!d.audit_annotations.contains_key(ENFORCE_POLICY_ANNOTATION));
    }
    // A controller without a template, and a privileged namespace: nothing to say.
    let rc = json!({"metadata": {"name": "r"}, "spec": {}});
    let d = plugin().validate_pod_controller(
        &request("replicationcontrollers", &rc),
        ok_labels(&[("pod-security.kubernetes.io/warn", "restricted")]),
    );
    assert!(d.allowed() && d.warnings.is_empty());
    let (_, _, deploy) = &objects[0];
    let mut req = request("deployments", deploy);
    req.group = "apps";
    let d = plugin().validate_pod_controller(&req, ok_labels(&[("pod-security.kubernetes.io/enforce", "privileged")]));
    assert!(d.allowed() && d.warnings.is_empty() && d.audit_annotations.is_empty());
}

struct FakeStore {
    labels: BTreeMap<String, String>,
    pods: Vec<Value>,
}

impl Lookup for FakeStore {
    fn namespace_labels(&self, _: &str) -> Result<BTreeMap<String, String>, String> {
        Ok(self.labels.clone())
    }
    fn pods(&self, _: &str) -> Result<Vec<Value>, String> {
        Ok(self.pods.clone())
    }
}

#[test]
fn validate_dispatches_by_resource_and_operation() {
    let store = FakeStore { labels: labels(&[("pod-security.kubernetes.io/enforce", "baseline")]), pods: vec![] };
    let pod = privileged_pod("p");
    assert!(!plugin().validate(&request("pods", &pod), &store).allowed());
    let mut delete = request("pods", &pod);
    delete.operation = Operation::Delete;
    assert!(plugin().validate(&delete, &store).allowed());
    assert!(plugin().validate(&request("configmaps", &pod), &store).allowed());
    let deploy = json!({"metadata": {"name": "d"}, "spec": {"template": pod}});
    let mut req = request("deployments", &deploy);
    req.group = "apps";
    let d = plugin().validate(&req, &store);
    assert!(d.allowed());
    assert_eq!(
        d.warnings,
        vec![
            r#"would violate PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)"#
        ]
    );
}

fn namespace(name: &str, pairs: &[(&str, &str)]) -> Value {
    json!({"metadata": {"name": name, "labels": labels(pairs)}})
}

fn namespace_request<'a>(new: &'a Value, old: Option<&'a Value>) -> Request<'a> {
    let name = new.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
    Request {
        operation: if old.is_some() { Operation::Update } else { Operation::Create },
        group: "",
        resource: "namespaces",
        subresource: "",
        namespace: name,
        name,
        username: "alice",
        object: new,
        old_object: old,
    }
}

#[test]
fn invalid_namespace_labels_are_refused() {
    let ns = namespace(
        "x",
        &[("pod-security.kubernetes.io/enforce", "strict"), ("pod-security.kubernetes.io/warn-version", "1.22")],
    );
    let d = plugin().validate_namespace(&namespace_request(&ns, None), || Ok(vec![]));
    let err = d.error.expect("invalid");
    assert_eq!(err.code, 422);
    assert_eq!(
        err.message,
        r#"Namespace "x" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.22": must be "latest" or "v1.x"]"#
    );
    // An update that keeps the same invalid labels is admitted; one that changes them is not.
    let d = plugin().validate_namespace(&namespace_request(&ns, Some(&ns)), || Ok(vec![]));
    assert!(d.allowed());
    let older = namespace("x", &[("pod-security.kubernetes.io/enforce", "strict")]);
    let d = plugin().validate_namespace(&namespace_request(&ns, Some(&older)), || Ok(vec![]));
    assert_eq!(d.error.map(|e| e.code), Some(422));
    let single = namespace("x", &[("pod-security.kubernetes.io/audit", "nope")]);
    let d = plugin().validate_namespace(&namespace_request(&single, None), || Ok(vec![]));
    assert_eq!(
        d.error.map(|e| e.message),
        Some(r#"Namespace "x" is invalid: metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "nope": must be one of privileged, baseline, restricted"#.to_string())
    );
}

#[test]
fn stricter_enforce_level_warns_about_existing_pods() {
    let old = namespace("x", &[]);
    let new = namespace("x", &[("pod-security.kubernetes.io/enforce", "restricted")]);
    let owned = |name: &str, uid: &str| {
        let mut p = bare_pod(name);
        p["metadata"]["ownerReferences"] =
            json!([{"uid": uid, "controller": true, "kind": "ReplicaSet", "name": "rs"}]);
        p
    };
    let pods = vec![bare_pod("b"), bare_pod("a"), owned("c", "1"), privileged_pod("z"), owned("d", "1")];
    let mut compliant = bare_pod("ok");
    compliant["spec"] = json!({"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "c", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]});
    let mut all = pods.clone();
    all.push(compliant);
    let d = plugin().validate_namespace(&namespace_request(&new, Some(&old)), || Ok(all));
    assert!(d.allowed());
    assert_eq!(
        d.warnings,
        vec![
            r#"existing pods in namespace "x" violate the new PodSecurity enforce level "restricted:latest""#.to_string(),
            "a (and 3 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile".to_string(),
            "z: privileged, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile".to_string(),
        ]
    );
    // Relaxing, or keeping the enforce level, checks nothing.
    let d = plugin().validate_namespace(&namespace_request(&old, Some(&new)), || panic!("pods not listed"));
    assert!(d.allowed() && d.warnings.is_empty());
    let d = plugin().validate_namespace(&namespace_request(&new, Some(&new)), || panic!("pods not listed"));
    assert!(d.warnings.is_empty());
    // A failed list is reported as a warning.
    let d = plugin().validate_namespace(&namespace_request(&new, Some(&old)), || Err("boom".into()));
    assert_eq!(d.warnings, vec!["failed to list pods while checking new PodSecurity enforce level"]);
    // Two pods with one warning read "(and 1 other pod)".
    let two = plugin().evaluate_pods_in_namespace(
        "x",
        LevelVersion::new(Level::Baseline, Version::Latest),
        &[privileged_pod("q"), privileged_pod("p")],
    );
    assert_eq!(two[1], r#"p (and 1 other pod): privileged"#);
}

#[test]
fn namespace_pod_check_is_bounded() {
    let pods: Vec<Value> = (0..NAMESPACE_MAX_PODS_TO_CHECK + 2).map(|i| privileged_pod(&format!("p{i:05}"))).collect();
    let warnings = plugin().evaluate_pods_in_namespace("x", LevelVersion::new(Level::Baseline, Version::Latest), &pods);
    assert_eq!(warnings[0], "new PodSecurity enforce level only checked against the first 3000 of 3002 existing pods");
    assert_eq!(
        warnings[1],
        r#"existing pods in namespace "x" violate the new PodSecurity enforce level "baseline:latest""#
    );
    assert_eq!(warnings[2], "p00000 (and 2999 other pods): privileged");
}

#[test]
fn exempt_namespace_with_a_policy_gets_a_warning() {
    let ps = PodSecurity::new(PodSecurityConfiguration {
        exemptions: config::Exemptions { namespaces: vec!["x".into()], ..Default::default() },
        ..Default::default()
    });
    let ns = namespace(
        "x",
        &[("pod-security.kubernetes.io/enforce", "baseline"), ("pod-security.kubernetes.io/audit-version", "v1.20")],
    );
    let d = ps.validate_namespace(&namespace_request(&ns, None), || Ok(vec![]));
    assert!(d.allowed());
    assert_eq!(
        d.warnings,
        vec![r#"namespace "x" is exempt from Pod Security, and the policy (enforce=baseline:latest) will be ignored"#]
    );
    let old = namespace("x", &[]);
    let d = ps.validate_namespace(&namespace_request(&ns, Some(&old)), || panic!("exempt: pods not listed"));
    assert_eq!(d.warnings.len(), 1);
}

#[test]
fn namespace_check_prioritizes_unique_pods_and_skips_exempt_runtime_classes() {
    let ps = PodSecurity::new(PodSecurityConfiguration {
        exemptions: config::Exemptions { runtime_classes: vec!["runtimeclass1".into()], ..Default::default() },
        ..Default::default()
    });
    let pod = |name: &str, spec: Value, owner: Option<&str>| {
        let mut p = json!({"metadata": {"name": name}, "spec": spec});
        if let Some(uid) = owner {
            p["metadata"]["ownerReferences"] = json!([{"uid": uid, "controller": true}]);
        }
        p
    };
    let privileged = json!({"containers": [{"name": "c", "securityContext": {"privileged": true}}]});
    let host_network = json!({"hostNetwork": true, "containers": [{"name": "c"}]});
    let host_pid = json!({"hostPID": true, "containers": [{"name": "c"}]});
    let host_ipc = json!({"hostIPC": true, "containers": [{"name": "c"}]});
    let exempt = json!({"runtimeClassName": "runtimeclass1", "hostPID": true, "containers": [{"name": "c"}]});
    let mut pods = Vec::new();
    for i in 1..=4 {
        pods.push(pod(&format!("exemptpod{i}"), exempt.clone(), None));
    }
    for i in 1..=4 {
        pods.push(pod(&format!("replicaset1pod{i}"), privileged.clone(), Some("1")));
    }
    for i in 1..=4 {
        pods.push(pod(&format!("replicaset2pod{i}"), host_network.clone(), Some("2")));
    }
    pods.push(pod("uniquepod1", host_pid, None));
    pods.push(pod("uniquepod2", host_ipc, None));
    pods.push(pod("uniquepod3", json!({"containers": [{"name": "c"}]}), None));
    pods.push(pod("uniquepod4", json!({"containers": [{"name": "c"}]}), None));
    let warnings = ps.evaluate_pods_up_to("test", LevelVersion::new(Level::Baseline, Version::Latest), &pods, 4);
    assert_eq!(
        warnings,
        vec![
            "new PodSecurity enforce level only checked against the first 4 of 12 existing pods",
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "baseline:latest""#,
            "replicaset1pod1: privileged",
            // Reasons without details: the three host-namespace pods fold together.
            "replicaset2pod1 (and 2 other pods): host namespaces",
        ]
    );
}

#[test]
fn invalid_labels_on_a_pods_namespace_fail_closed_and_are_recorded() {
    let pod = privileged_pod("p");
    let d =
        plugin().validate_pod(&request("pods", &pod), ok_labels(&[("pod-security.kubernetes.io/enforce", "bogus")]));
    assert_eq!(
        d.error.map(|e| e.message),
        Some(r#"pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged (container "c" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#.to_string())
    );
    assert_eq!(
        d.audit_annotations.get(ERROR_ANNOTATION).map(String::as_str),
        Some(
            r#"Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus": must be one of privileged, baseline, restricted"#
        )
    );
    // A namespace that cannot be read refuses the pod as an internal error.
    let d = plugin().validate_pod(&request("pods", &pod), || Err("store down".into()));
    let err = d.error.expect("internal error");
    assert_eq!(err.code, 500);
    assert_eq!(err.message, r#"Internal error occurred: failed to lookup namespace "ns""#);
}
