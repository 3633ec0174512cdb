use serde_json::json;

use super::*;

/// Runs one check function; `None` when the pod passes.
fn check(f: CheckFn, metadata: Value, spec: Value) -> Option<(String, String)> {
    f(&metadata, &spec)
}

fn spec_check(f: CheckFn, spec: Value) -> Option<(String, String)> {
    check(f, json!({}), spec)
}

fn failed(reason: &str, detail: &str) -> Option<(String, String)> {
    Some((reason.to_string(), detail.to_string()))
}

fn lv(level: Level, version: Version) -> LevelVersion {
    LevelVersion::new(level, version)
}

/// The ids of the checks a level-version runs.
fn ids(level: Level, version: Version) -> Vec<&'static str> {
    evaluate(lv(level, version), &json!({}), &json!({})).iter().map(|r| r.id).collect()
}

#[test]
fn check_table_is_ordered_and_versions_increase() {
    let baseline: Vec<&str> = CHECKS.iter().filter(|c| c.level == Level::Baseline).map(|c| c.id).collect();
    let restricted: Vec<&str> = CHECKS.iter().filter(|c| c.level == Level::Restricted).map(|c| c.id).collect();
    let mut sorted = baseline.clone();
    sorted.sort();
    assert_eq!(baseline, sorted);
    let mut sorted = restricted.clone();
    sorted.sort();
    assert_eq!(restricted, sorted);
    assert_eq!(&CHECKS[..baseline.len()].iter().map(|c| c.id).collect::<Vec<_>>(), &baseline);
    for c in CHECKS {
        assert!(c.versions.windows(2).all(|w| w[0].min_version < w[1].min_version), "{}", c.id);
        assert!(c.versions.iter().all(|v| v.min_version <= MAX_VERSION), "{}", c.id);
        // Only restricted checks override, and only baseline checks.
        for v in c.versions {
            for o in v.overrides {
                assert_eq!(c.level, Level::Restricted);
                assert!(CHECKS.iter().any(|b| b.id == *o && b.level == Level::Baseline), "{o}");
            }
        }
    }
}

#[test]
fn levels_and_versions_select_checks_like_upstream() {
    assert!(ids(Level::Privileged, Version::Latest).is_empty());
    let baseline_latest = vec![
        "appArmorProfile",
        "capabilities_baseline",
        "hostNamespaces",
        "hostPathVolumes",
        "hostPorts",
        "hostProbesAndHostLifecycle",
        "privileged",
        "procMount",
        "seLinuxOptions",
        "seccompProfile_baseline",
        "sysctls",
        "windowsHostProcess",
    ];
    assert_eq!(ids(Level::Baseline, Version::Latest), baseline_latest);
    // hostProbesAndHostLifecycle arrived in v1.34.
    assert!(!ids(Level::Baseline, Version::Minor(33)).contains(&"hostProbesAndHostLifecycle"));
    assert_eq!(
        ids(Level::Restricted, Version::Latest),
        vec![
            "appArmorProfile",
            "hostNamespaces",
            "hostPorts",
            "hostProbesAndHostLifecycle",
            "privileged",
            "seLinuxOptions",
            "sysctls",
            "windowsHostProcess",
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "procMount_restricted",
            "restrictedVolumes",
            "runAsNonRoot",
            "runAsUser",
            "seccompProfile_restricted",
        ]
    );
    // v1.0 restricted: no allowPrivilegeEscalation (v1.8), capabilities_restricted
    // (v1.22), runAsUser (v1.23), seccomp restricted (v1.19); baseline stand-ins.
    let r10 = ids(Level::Restricted, Version::Minor(0));
    assert!(
        r10.contains(&"capabilities_baseline")
            && r10.contains(&"seccompProfile_baseline")
            && r10.contains(&"procMount")
    );
    assert!(
        !r10.contains(&"allowPrivilegeEscalation") && !r10.contains(&"runAsUser") && !r10.contains(&"hostPathVolumes")
    );
    let r22 = ids(Level::Restricted, Version::Minor(22));
    assert!(r22.contains(&"capabilities_restricted") && !r22.contains(&"capabilities_baseline"));
    assert!(r22.contains(&"procMount") && !r22.contains(&"procMount_restricted") && !r22.contains(&"runAsUser"));
    // Versions past the newest evaluate as the newest.
    assert_eq!(ids(Level::Restricted, Version::Minor(99)), ids(Level::Restricted, Version::Latest));
}

#[test]
fn aggregate_message_for_a_bare_pod_at_restricted() {
    let spec = json!({"containers": [{"name": "c", "image": "nginx"}]});
    let agg = AggregateCheckResult::new(&evaluate(lv(Level::Restricted, Version::Latest), &json!({}), &spec));
    assert!(!agg.allowed);
    assert_eq!(
        agg.forbidden_detail(),
        r#"allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#
    );
    assert_eq!(
        agg.forbidden_reason(),
        "allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile"
    );
    // The same pod passes baseline.
    assert!(AggregateCheckResult::new(&evaluate(lv(Level::Baseline, Version::Latest), &json!({}), &spec)).allowed);
}

#[test]
fn aggregate_keeps_empty_details_bare_and_names_unknown_reasons() {
    let results = vec![
        CheckResult { id: "a", allowed: false, forbidden_reason: String::new(), forbidden_detail: "d".into() },
        CheckResult { id: "b", allowed: true, forbidden_reason: "x".into(), forbidden_detail: "y".into() },
        CheckResult { id: "c", allowed: false, forbidden_reason: "r".into(), forbidden_detail: String::new() },
    ];
    let agg = AggregateCheckResult::new(&results);
    assert_eq!(agg.forbidden_detail(), "unknown forbidden reason (d), r");
    assert!(AggregateCheckResult::new(&[]).allowed);
}

#[test]
fn restricted_compliant_pod_passes_every_version() {
    let spec = json!({
        "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "initContainers": [{"name": "i", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}}],
        "containers": [{"name": "c", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}],
        "volumes": [{"name": "v", "configMap": {"name": "x"}}, {"name": "p", "persistentVolumeClaim": {"claimName": "x"}}]
    });
    for minor in 0..=40 {
        let results = evaluate(lv(Level::Restricted, Version::Minor(minor)), &json!({}), &spec);
        assert!(AggregateCheckResult::new(&results).allowed, "v1.{minor}: {results:?}");
    }
}

#[test]
fn app_armor_profile_check() {
    assert_eq!(spec_check(app_armor_profile, json!({"containers": [{"name": "a"}]})), None);
    let ok = json!({"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "a", "securityContext": {"appArmorProfile": {"type": "Localhost", "localhostProfile": "p"}}}]});
    assert_eq!(spec_check(app_armor_profile, ok), None);
    assert_eq!(
        spec_check(app_armor_profile, json!({"securityContext": {"appArmorProfile": {"type": "Unconfined"}}})),
        failed("forbidden AppArmor profile", r#"pod must not set AppArmor profile type to "Unconfined""#)
    );
    assert_eq!(
        spec_check(
            app_armor_profile,
            json!({"containers": [{"name": "foo", "securityContext": {"appArmorProfile": {"type": "Unconfined"}}}]})
        ),
        failed("forbidden AppArmor profile", r#"container "foo" must not set AppArmor profile type to "Unconfined""#)
    );
    let metadata = json!({"annotations": {
        "container.apparmor.security.beta.kubernetes.io/a": "",
        "container.apparmor.security.beta.kubernetes.io/b": "runtime/default",
        "container.apparmor.security.beta.kubernetes.io/c": "localhost/foo",
        "container.apparmor.security.beta.kubernetes.io/e": "unconfined",
        "container.apparmor.security.beta.kubernetes.io/f": "unknown",
        "container.apparmor.security.beta.kubernetes.io/": "bogus",
        "other.annotation": "unconfined"
    }});
    assert_eq!(
        check(app_armor_profile, metadata, json!({})),
        failed(
            "forbidden AppArmor profiles",
            r#"annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", "container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown"""#
        )
    );
    let both = json!({"securityContext": {"appArmorProfile": {"type": "Unconfined"}},
        "containers": [{"name": "a", "securityContext": {"appArmorProfile": {"type": "Unconfined"}}},
                       {"name": "b", "securityContext": {"appArmorProfile": {"type": "Bogus"}}}]});
    assert_eq!(
        spec_check(app_armor_profile, both),
        failed(
            "forbidden AppArmor profiles",
            r#"pod and containers "a", "b" must not set AppArmor profile type to "Bogus", "Unconfined""#
        )
    );
}

#[test]
fn capabilities_baseline_allows_the_default_set() {
    let ok = json!({"containers": [{"name": "a", "securityContext": {"capabilities": {"add": DEFAULT_CAPABILITIES}}}]});
    assert_eq!(spec_check(capabilities_baseline, ok), None);
    let bad = json!({"containers": [
        {"name": "a", "securityContext": {"capabilities": {"add": ["FOO", "BAR"]}}},
        {"name": "b", "securityContext": {"capabilities": {"add": ["BAR", "BAZ", "CHOWN"]}}},
        {"name": "c", "securityContext": {"capabilities": {"add": ["CHOWN"]}}}
    ]});
    assert_eq!(
        spec_check(capabilities_baseline, bad),
        failed(
            "non-default capabilities",
            r#"containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add"#
        )
    );
}

#[test]
fn capabilities_restricted() {
    assert_eq!(
        spec_check(capabilities_restricted_1_22, json!({"containers": [{"name": "a"}]})),
        failed("unrestricted capabilities", r#"container "a" must set securityContext.capabilities.drop=["ALL"]"#)
    );
    let bad = json!({"ephemeralContainers": [
        {"name": "c", "securityContext": {"capabilities": {"drop": ["ALL"], "add": ["CHOWN"]}}}
    ], "containers": [
        {"name": "a", "securityContext": {"capabilities": {"add": ["FOO", "BAR"]}}},
        {"name": "b", "securityContext": {"capabilities": {"drop": ["NET_RAW"], "add": ["BAR", "BAZ", "NET_BIND_SERVICE"]}}},
        {"name": "d", "securityContext": {"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}}
    ]});
    assert_eq!(
        spec_check(capabilities_restricted_1_22, bad),
        failed(
            "unrestricted capabilities",
            r#"containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add"#
        )
    );
    // From v1.25 Windows pods are exempt.
    let windows = json!({"os": {"name": "windows"}, "containers": [{"name": "a"}]});
    assert_eq!(spec_check(capabilities_restricted_1_25, windows.clone()), None);
    assert!(spec_check(capabilities_restricted_1_22, windows).is_some());
}

#[test]
fn host_namespaces_check() {
    assert_eq!(spec_check(host_namespaces, json!({"hostNetwork": false})), None);
    assert_eq!(
        spec_check(host_namespaces, json!({"hostIPC": true, "hostPID": true, "hostNetwork": true})),
        failed("host namespaces", "hostNetwork=true, hostPID=true, hostIPC=true")
    );
    assert_eq!(spec_check(host_namespaces, json!({"hostPID": true})), failed("host namespaces", "hostPID=true"));
}

#[test]
fn host_path_volumes_check() {
    let spec = json!({"volumes": [{"name": "a", "hostPath": {"path": "/a"}}, {"name": "c", "emptyDir": {}}, {"name": "b", "hostPath": {"path": "/b"}}]});
    assert_eq!(spec_check(host_path_volumes, spec), failed("hostPath volumes", r#"volumes "a", "b""#));
    assert_eq!(
        spec_check(host_path_volumes, json!({"volumes": [{"name": "a", "hostPath": {}}]})),
        failed("hostPath volumes", r#"volume "a""#)
    );
    assert_eq!(spec_check(host_path_volumes, json!({"volumes": [{"name": "a", "secret": {}}]})), None);
}

#[test]
fn host_ports_check() {
    let one = json!({"containers": [
        {"name": "a", "ports": [{"containerPort": 80}, {"containerPort": 81, "hostPort": 0}]},
        {"name": "b", "ports": [{"containerPort": 80, "hostPort": 20}]}
    ]});
    assert_eq!(spec_check(host_ports, one), failed("hostPort", r#"container "b" uses hostPort 20"#));
    let many = json!({"initContainers": [{"name": "b", "ports": [{"hostPort": 10}, {"hostPort": 20}]}],
        "containers": [{"name": "a"}, {"name": "c", "ports": [{"hostPort": 20}, {"hostPort": 30}]}]});
    assert_eq!(spec_check(host_ports, many), failed("hostPort", r#"containers "b", "c" use hostPorts 10, 20, 30"#));
}

#[test]
fn host_probes_and_lifecycle_check() {
    let ok = json!({"containers": [{"name": "a", "livenessProbe": {"httpGet": {"port": 80}}, "lifecycle": {"preStop": {"tcpSocket": {"port": 1, "host": ""}}}}]});
    assert_eq!(spec_check(host_probes_and_lifecycle, ok), None);
    let one = json!({"containers": [{"name": "a", "readinessProbe": {"httpGet": {"host": "8.8.8.8", "port": 80}}}]});
    assert_eq!(
        spec_check(host_probes_and_lifecycle, one),
        failed("probe or lifecycle host", r#"container "a" uses probe or lifecycle host "8.8.8.8""#)
    );
    let many = json!({"containers": [{"name": "a",
        "livenessProbe": {"httpGet": {"host": "localhost"}},
        "startupProbe": {"tcpSocket": {"host": "127.0.0.1"}},
        "lifecycle": {"postStart": {"httpGet": {"host": "::1"}}, "preStop": {"tcpSocket": {"host": "localhost"}}}
    }]});
    assert_eq!(
        spec_check(host_probes_and_lifecycle, many),
        failed(
            "probe or lifecycle host",
            r#"container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost""#
        )
    );
    let two = json!({
        "initContainers": [{"name": "invalid2", "livenessProbe": {"httpGet": {"host": "b.com"}}}],
        "containers": [{"name": "invalid1", "livenessProbe": {"httpGet": {"host": "a.com"}}, "readinessProbe": {"tcpSocket": {"host": "a.com"}}}]
    });
    assert_eq!(
        spec_check(host_probes_and_lifecycle, two),
        failed(
            "probe or lifecycle host",
            r#"containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com""#
        )
    );
    // Not checked before v1.34.
    let pod = json!({"containers": [{"name": "a", "livenessProbe": {"httpGet": {"host": "x"}}}]});
    assert!(AggregateCheckResult::new(&evaluate(lv(Level::Baseline, Version::Minor(33)), &json!({}), &pod)).allowed);
    assert!(!AggregateCheckResult::new(&evaluate(lv(Level::Baseline, Version::Minor(34)), &json!({}), &pod)).allowed);
}

#[test]
fn privileged_check() {
    let spec = json!({"containers": [
        {"name": "a"}, {"name": "b", "securityContext": {}}, {"name": "c", "securityContext": {"privileged": false}},
        {"name": "d", "securityContext": {"privileged": true}}
    ], "ephemeralContainers": [{"name": "e", "securityContext": {"privileged": true}}]});
    assert_eq!(
        spec_check(privileged, spec),
        failed("privileged", r#"containers "d", "e" must not set securityContext.privileged=true"#)
    );
}

#[test]
fn proc_mount_and_user_namespaces() {
    let spec = json!({"containers": [
        {"name": "a"}, {"name": "b", "securityContext": {"procMount": "Default"}},
        {"name": "d", "securityContext": {"procMount": "Unmasked"}},
        {"name": "e", "securityContext": {"procMount": "other"}}
    ]});
    let expected =
        failed("procMount", r#"containers "d", "e" must not set securityContext.procMount to "Unmasked", "other""#);
    assert_eq!(spec_check(proc_mount, spec.clone()), expected);
    assert_eq!(spec_check(proc_mount_1_35_baseline, spec.clone()), expected);
    // v1.35 baseline relaxes for pods in a user namespace; restricted does not.
    let mut userns = spec.clone();
    userns["hostUsers"] = json!(false);
    assert_eq!(spec_check(proc_mount_1_35_baseline, userns.clone()), None);
    let baseline = AggregateCheckResult::new(&evaluate(lv(Level::Baseline, Version::Latest), &json!({}), &userns));
    assert!(baseline.allowed);
    let baseline_34 =
        AggregateCheckResult::new(&evaluate(lv(Level::Baseline, Version::Minor(34)), &json!({}), &userns));
    assert_eq!(baseline_34.forbidden_reasons, vec!["procMount"]);
    let restricted = evaluate(lv(Level::Restricted, Version::Latest), &json!({}), &userns);
    assert!(restricted.iter().any(|r| r.id == "procMount_restricted" && !r.allowed));
}

#[test]
fn restricted_volumes_check() {
    let spec = json!({"volumes": [
        {"name": "a1", "emptyDir": {}}, {"name": "a2", "secret": {}}, {"name": "a3", "persistentVolumeClaim": {}},
        {"name": "a4", "downwardAPI": {}}, {"name": "a5", "configMap": {}}, {"name": "a6", "projected": {}},
        {"name": "a7", "csi": {}}, {"name": "a8", "ephemeral": {}}, {"name": "a9", "image": {}},
        {"name": "b1", "gcePersistentDisk": {}}, {"name": "b2", "awsElasticBlockStore": {}}, {"name": "b3", "gitRepo": {}},
        {"name": "b4", "nfs": {}}, {"name": "b5", "iscsi": {}}, {"name": "b6", "glusterfs": {}}, {"name": "b7", "rbd": {}},
        {"name": "b8", "flexVolume": {}}, {"name": "b9", "cinder": {}}, {"name": "b10", "cephfs": {}},
        {"name": "b11", "flocker": {}}, {"name": "b12", "fc": {}}, {"name": "b13", "azureFile": {}},
        {"name": "b14", "vsphereVolume": {}}, {"name": "b15", "quobyte": {}}, {"name": "b16", "azureDisk": {}},
        {"name": "b17", "portworxVolume": {}}, {"name": "b18", "scaleIO": {}}, {"name": "b19", "storageos": {}},
        {"name": "b20", "photonPersistentDisk": {}}, {"name": "b21", "somethingNew": {}},
        {"name": "c1", "hostPath": {}}
    ]});
    assert_eq!(
        spec_check(restricted_volumes, spec),
        failed(
            "restricted volume types",
            concat!(
                r#"volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1""#,
                r#" use restricted volume types "#,
                r#""awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", "#,
                r#""hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume""#
            )
        )
    );
    assert_eq!(
        spec_check(restricted_volumes, json!({"volumes": [{"name": "h", "hostPath": {"path": "/"}}]})),
        failed("restricted volume types", r#"volume "h" uses restricted volume type "hostPath""#)
    );
}

#[test]
fn run_as_non_root() {
    let pod_set = json!({"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "a"}]});
    assert_eq!(spec_check(run_as_non_root_1_0, pod_set), None);
    assert_eq!(
        spec_check(run_as_non_root_1_0, json!({"containers": [{"name": "a"}, {"name": "b", "securityContext": {}}]})),
        failed("runAsNonRoot != true", r#"pod or containers "a", "b" must set securityContext.runAsNonRoot=true"#)
    );
    assert_eq!(
        spec_check(
            run_as_non_root_1_0,
            json!({"securityContext": {"runAsNonRoot": false}, "containers": [{"name": "a", "securityContext": {"runAsNonRoot": true}}]})
        ),
        failed("runAsNonRoot != true", "pod must not set securityContext.runAsNonRoot=false")
    );
    let explicit = json!({"securityContext": {"runAsNonRoot": true}, "containers": [
        {"name": "a"}, {"name": "c", "securityContext": {"runAsNonRoot": false}}, {"name": "d", "securityContext": {"runAsNonRoot": false}}
    ]});
    assert_eq!(
        spec_check(run_as_non_root_1_0, explicit),
        failed("runAsNonRoot != true", r#"containers "c", "d" must not set securityContext.runAsNonRoot=false"#)
    );
    let userns = json!({"hostUsers": false, "containers": [{"name": "a"}]});
    assert_eq!(spec_check(run_as_non_root_1_35, userns.clone()), None);
    assert!(spec_check(run_as_non_root_1_0, userns).is_some());
}

#[test]
fn run_as_user() {
    assert_eq!(
        spec_check(run_as_user_1_23, json!({"securityContext": {"runAsUser": 1000}, "containers": [{"name": "a"}]})),
        None
    );
    assert_eq!(
        spec_check(run_as_user_1_23, json!({"securityContext": {"runAsUser": 0}})),
        failed("runAsUser=0", "pod must not set runAsUser=0")
    );
    let c = json!({"containers": [{"name": "a", "securityContext": {"runAsUser": 1}}, {"name": "c", "securityContext": {"runAsUser": 0}}, {"name": "d", "securityContext": {"runAsUser": 0}}]});
    assert_eq!(
        spec_check(run_as_user_1_23, c),
        failed("runAsUser=0", r#"containers "c", "d" must not set runAsUser=0"#)
    );
    assert_eq!(spec_check(run_as_user_1_35, json!({"hostUsers": false, "securityContext": {"runAsUser": 0}})), None);
}

#[test]
fn se_linux_options_check() {
    let ok = json!({"securityContext": {"seLinuxOptions": {"type": "container_t", "level": "s0:c1"}}});
    assert_eq!(spec_check(se_linux_options_1_0, ok), None);
    assert_eq!(
        spec_check(se_linux_options_1_0, json!({"securityContext": {"seLinuxOptions": {"type": "bad"}}})),
        failed("seLinuxOptions", r#"pod set forbidden securityContext.seLinuxOptions: type "bad""#)
    );
    assert_eq!(
        spec_check(se_linux_options_1_0, json!({"securityContext": {"seLinuxOptions": {"user": "u"}}})),
        failed("seLinuxOptions", "pod set forbidden securityContext.seLinuxOptions: user may not be set")
    );
    assert_eq!(
        spec_check(se_linux_options_1_0, json!({"securityContext": {"seLinuxOptions": {"role": "r"}}})),
        failed("seLinuxOptions", "pod set forbidden securityContext.seLinuxOptions: role may not be set")
    );
    let many = json!({"securityContext": {"seLinuxOptions": {"type": "foo", "user": "u", "role": "r"}}, "containers": [
        {"name": "a", "securityContext": {"seLinuxOptions": {}}},
        {"name": "e", "securityContext": {"seLinuxOptions": {"type": "bar"}}},
        {"name": "f", "securityContext": {"seLinuxOptions": {"user": "u"}}},
        {"name": "g", "securityContext": {"seLinuxOptions": {"role": "r"}}}
    ]});
    assert_eq!(
        spec_check(se_linux_options_1_0, many),
        failed(
            "seLinuxOptions",
            r#"pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set"#
        )
    );
    // container_engine_t is allowed from v1.31.
    let engine = json!({"securityContext": {"seLinuxOptions": {"type": "container_engine_t"}}});
    assert!(spec_check(se_linux_options_1_0, engine.clone()).is_some());
    assert_eq!(spec_check(se_linux_options_1_31, engine.clone()), None);
    let at = |minor| {
        AggregateCheckResult::new(&evaluate(lv(Level::Baseline, Version::Minor(minor)), &json!({}), &engine)).allowed
    };
    assert!(!at(30) && at(31));
}

#[test]
fn seccomp_baseline_annotations_before_v1_19() {
    let metadata = json!({"annotations": {
        "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
        "container.seccomp.security.alpha.kubernetes.io/a": "unconfined",
        "container.seccomp.security.alpha.kubernetes.io/b": "unknown",
        "container.seccomp.security.alpha.kubernetes.io/c": "localhost/x",
        "container.seccomp.security.alpha.kubernetes.io/d": "docker/default"
    }});
    let spec = json!({"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}]});
    assert_eq!(
        check(seccomp_baseline_1_0, metadata, spec.clone()),
        failed(
            "seccompProfile",
            r#"forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined""#
        )
    );
    let pod_only = json!({"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}});
    assert_eq!(
        check(seccomp_baseline_1_0, pod_only.clone(), spec.clone()),
        failed("seccompProfile", r#"forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined""#)
    );
    // From v1.19 the annotations are not read.
    assert_eq!(check(seccomp_baseline_1_19, pod_only, spec), None);
}

#[test]
fn seccomp_baseline_fields() {
    let spec = json!({"securityContext": {"seccompProfile": {"type": "Unconfined"}}, "containers": [
        {"name": "a"}, {"name": "b", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
        {"name": "c", "securityContext": {"seccompProfile": {"type": "Unconfined"}}},
        {"name": "d", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}
    ]});
    assert_eq!(
        spec_check(seccomp_baseline_1_19, spec),
        failed(
            "seccompProfile",
            r#"pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined""#
        )
    );
    assert_eq!(spec_check(seccomp_baseline_1_19, json!({"containers": [{"name": "a"}]})), None);
}

#[test]
fn seccomp_restricted() {
    assert_eq!(
        spec_check(seccomp_restricted_1_19, json!({"containers": [{"name": "a"}, {"name": "b"}]})),
        failed(
            "seccompProfile",
            r#"pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#
        )
    );
    let pod_set = json!({"securityContext": {"seccompProfile": {"type": "Localhost"}}, "containers": [{"name": "a"}]});
    assert_eq!(spec_check(seccomp_restricted_1_19, pod_set), None);
    let partial = json!({"containers": [{"name": "a"}, {"name": "b", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}]});
    assert_eq!(
        spec_check(seccomp_restricted_1_19, partial),
        failed(
            "seccompProfile",
            r#"pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#
        )
    );
    let explicit = json!({"securityContext": {"seccompProfile": {"type": "Unconfined"}}});
    assert_eq!(
        spec_check(seccomp_restricted_1_19, explicit),
        failed("seccompProfile", r#"pod must not set securityContext.seccompProfile.type to "Unconfined""#)
    );
    let windows = json!({"os": {"name": "windows"}, "containers": [{"name": "a"}]});
    assert_eq!(spec_check(seccomp_restricted_1_25, windows), None);
}

#[test]
fn sysctls_by_version() {
    let with = |names: &[&str]| json!({"securityContext": {"sysctls": names.iter().map(|n| json!({"name": n, "value": "1"})).collect::<Vec<_>>()}});
    assert_eq!(spec_check(sysctls_1_0, with(&["kernel.shm_rmid_forced", "net.ipv4.ping_group_range"])), None);
    assert_eq!(spec_check(sysctls_1_0, with(&["b", "a"])), failed("forbidden sysctls", "b, a"));
    assert_eq!(
        spec_check(sysctls_1_0, with(&["net.ipv4.ip_local_reserved_ports"])),
        failed("forbidden sysctls", "net.ipv4.ip_local_reserved_ports")
    );
    assert_eq!(spec_check(sysctls_1_27, with(&["net.ipv4.ip_local_reserved_ports"])), None);
    for n in [
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    ] {
        assert_eq!(spec_check(sysctls_1_27, with(&[n])), failed("forbidden sysctls", n));
        assert_eq!(spec_check(sysctls_1_29, with(&[n])), None);
    }
    for n in ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"] {
        assert_eq!(spec_check(sysctls_1_29, with(&[n])), failed("forbidden sysctls", n));
        assert_eq!(spec_check(sysctls_1_32, with(&[n])), None);
    }
    // Not yet allowed in 1.35.
    assert!(spec_check(sysctls_1_32, with(&["net.ipv4.tcp_slow_start_after_idle"])).is_some());
}

#[test]
fn windows_host_process_check() {
    let spec = json!({"securityContext": {"windowsOptions": {"hostProcess": true}}, "containers": [
        {"name": "a", "securityContext": {"windowsOptions": {"hostProcess": false}}},
        {"name": "e", "securityContext": {"windowsOptions": {"hostProcess": true}}},
        {"name": "f", "securityContext": {"windowsOptions": {"hostProcess": true}}}
    ]});
    assert_eq!(
        spec_check(windows_host_process, spec),
        failed(
            "hostProcess",
            r#"pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true"#
        )
    );
    assert_eq!(spec_check(windows_host_process, json!({"containers": [{"name": "a"}]})), None);
}

#[test]
fn allow_privilege_escalation() {
    let spec = json!({"initContainers": [{"name": "a"}], "containers": [
        {"name": "b", "securityContext": {}}, {"name": "c", "securityContext": {"allowPrivilegeEscalation": true}},
        {"name": "d", "securityContext": {"allowPrivilegeEscalation": false}}
    ]});
    assert_eq!(
        spec_check(allow_privilege_escalation_1_8, spec),
        failed(
            "allowPrivilegeEscalation != false",
            r#"containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false"#
        )
    );
    let windows = json!({"os": {"name": "windows"}, "containers": [{"name": "a"}]});
    assert_eq!(spec_check(allow_privilege_escalation_1_25, windows.clone()), None);
    assert_eq!(
        spec_check(allow_privilege_escalation_1_8, windows),
        failed(
            "allowPrivilegeEscalation != false",
            r#"container "a" must set securityContext.allowPrivilegeEscalation=false"#
        )
    );
}

#[test]
fn version_pinning_changes_the_verdict() {
    // A Windows pod with nothing set: at v1.24 the restricted container
    // checks apply; from v1.25 they are skipped for Windows.
    let spec =
        json!({"os": {"name": "windows"}, "securityContext": {"runAsNonRoot": true}, "containers": [{"name": "c"}]});
    let at = |v| AggregateCheckResult::new(&evaluate(lv(Level::Restricted, v), &json!({}), &spec));
    assert_eq!(
        at(Version::Minor(24)).forbidden_reasons,
        vec!["allowPrivilegeEscalation != false", "unrestricted capabilities", "seccompProfile"]
    );
    assert!(at(Version::Latest).allowed);
    // At v1.21 restricted has no capabilities_restricted; baseline's capability check stands in.
    let caps = json!({"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "c", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"add": ["SYS_ADMIN"]}}}]});
    let r21 = AggregateCheckResult::new(&evaluate(lv(Level::Restricted, Version::Minor(21)), &json!({}), &caps));
    assert_eq!(
        r21.forbidden_detail(),
        r#"non-default capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)"#
    );
    let r22 = AggregateCheckResult::new(&evaluate(lv(Level::Restricted, Version::Minor(22)), &json!({}), &caps));
    assert_eq!(
        r22.forbidden_detail(),
        r#"unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]; container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)"#
    );
    // runAsUser=0 is checked from v1.23.
    let root = json!({"securityContext": {"runAsNonRoot": true, "runAsUser": 0, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "c", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]});
    assert!(AggregateCheckResult::new(&evaluate(lv(Level::Restricted, Version::Minor(22)), &json!({}), &root)).allowed);
    assert_eq!(
        AggregateCheckResult::new(&evaluate(lv(Level::Restricted, Version::Minor(23)), &json!({}), &root))
            .forbidden_detail(),
        "runAsUser=0 (pod must not set runAsUser=0)"
    );
}
