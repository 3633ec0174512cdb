//! End-to-end defaulting tests: minimal objects as a client sends them, and
//! the whole object a kube-apiserver 1.35 cluster stores for them, minus what
//! the registry and admission add (uid, resourceVersion, creationTimestamp,
//! generation, cluster IPs, node ports, Job selectors, service accounts,
//! priorities, tolerations, storage classes).

use serde_json::{Value, json};

use super::apply;

fn defaulted(group: &str, version: &str, kind: &str, mut object: Value) -> Value {
    apply(group, version, kind, &mut object);
    // Defaulting is idempotent: running it on its own output changes nothing.
    let mut again = object.clone();
    apply(group, version, kind, &mut again);
    assert_eq!(again, object, "second defaulting of {kind} changed it");
    object
}

/// The pod spec defaults every template gets, around the given containers.
fn template_spec(containers: Value, restart_policy: &str) -> Value {
    json!({
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": restart_policy,
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    })
}

#[test]
fn deployment() {
    let input = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}]},
            },
        },
    });
    let want = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": 1,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": template_spec(json!([{
                    "image": "nginx",
                    "imagePullPolicy": "Always",
                    "name": "nginx",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }]), "Always"),
            },
        },
        "status": {},
    });
    assert_eq!(defaulted("apps", "v1", "Deployment", input), want);
}

#[test]
fn deployment_recreate_keeps_no_rolling_update() {
    let input = json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"replicas": 3, "strategy": {"type": "Recreate"}, "selector": {"matchLabels": {"a": "b"}},
                 "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}},
    });
    let out = defaulted("apps", "v1", "Deployment", input);
    assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
    assert_eq!(out["spec"]["replicas"], json!(3));
    assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"], json!("IfNotPresent"));
}

#[test]
fn pod() {
    let input = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {
            "containers": [{
                "name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"],
                "resources": {"limits": {"cpu": "0.5", "memory": "128Mi"}},
                "env": [
                    {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                    {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                ],
                "livenessProbe": {"httpGet": {"port": 8080}},
                "readinessProbe": {"grpc": {"port": 9090}},
            }],
            "volumes": [
                {"name": "cfg", "configMap": {"name": "cfg"}},
                {"name": "scratch"},
                {"name": "host", "hostPath": {"path": "/var/log"}},
                {"name": "sec", "secret": {"secretName": "s"}},
                {"name": "token", "projected": {"sources": [
                    {"serviceAccountToken": {"path": "token"}},
                    {"downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
                ]}},
            ],
        },
    });
    let want = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {
            "containers": [{
                "command": ["sleep", "3600"],
                "env": [
                    {"name": "NODE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}},
                    {"name": "CPU", "valueFrom": {"resourceFieldRef": {"divisor": "0", "resource": "limits.cpu"}}},
                ],
                "image": "busybox:1.36",
                "imagePullPolicy": "IfNotPresent",
                "livenessProbe": {
                    "failureThreshold": 3,
                    "httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"},
                    "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1,
                },
                "name": "app",
                "readinessProbe": {
                    "failureThreshold": 3,
                    "grpc": {"port": 9090, "service": ""},
                    "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1,
                },
                "resources": {
                    "limits": {"cpu": "500m", "memory": "128Mi"},
                    "requests": {"cpu": "500m", "memory": "128Mi"},
                },
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "terminationGracePeriodSeconds": 30,
            "volumes": [
                {"configMap": {"defaultMode": 420, "name": "cfg"}, "name": "cfg"},
                {"emptyDir": {}, "name": "scratch"},
                {"hostPath": {"path": "/var/log", "type": ""}, "name": "host"},
                {"name": "sec", "secret": {"defaultMode": 420, "secretName": "s"}},
                {"name": "token", "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3600, "path": "token"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}, "path": "labels"}]}},
                ]}},
            ],
        },
        "status": {},
    });
    assert_eq!(defaulted("", "v1", "Pod", input), want);
}

#[test]
fn pod_host_network_ports_and_service_account_alias() {
    let input = json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"hostNetwork": true, "serviceAccount": "builder",
                 "containers": [{"name": "c", "image": "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                 "ports": [{"containerPort": 8080}]}]},
        "status": {"podIP": "10.0.0.5"},
    });
    let out = defaulted("", "v1", "Pod", input);
    assert_eq!(
        out["spec"]["containers"][0]["ports"],
        json!([{"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"}])
    );
    assert_eq!(out["spec"]["containers"][0]["imagePullPolicy"], json!("IfNotPresent"));
    assert_eq!(out["spec"]["serviceAccountName"], json!("builder"));
    assert_eq!(out["spec"]["serviceAccount"], json!("builder"));
    assert_eq!(out["status"]["podIPs"], json!([{"ip": "10.0.0.5"}]));
}

#[test]
fn pod_level_requests_follow_containers() {
    let input = json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {
            "resources": {"limits": {"cpu": "2", "memory": "1Gi"}},
            "containers": [
                {"name": "a", "image": "x:1", "resources": {"requests": {"cpu": "500m"}}},
                {"name": "b", "image": "x:1", "resources": {"requests": {"cpu": "250m"}}},
            ],
        },
    });
    let out = defaulted("", "v1", "Pod", input);
    assert_eq!(
        out["spec"]["resources"],
        json!({"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "750m", "memory": "1Gi"}})
    );
}

#[test]
fn services_of_each_type() {
    let service = |spec: Value| json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "default"}, "spec": spec});
    let cases = [
        (
            json!({"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}),
            json!({"internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "SingleStack",
                   "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
                   "selector": {"app": "web"}, "sessionAffinity": "None", "type": "ClusterIP"}),
        ),
        (
            json!({"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80}]}),
            json!({"externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "SingleStack",
                   "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
                   "selector": {"app": "web"}, "sessionAffinity": "None", "type": "NodePort"}),
        ),
        (
            json!({"type": "LoadBalancer", "selector": {"app": "web"}, "ports": [{"name": "dns", "port": 53, "protocol": "UDP"}]}),
            json!({"allocateLoadBalancerNodePorts": true, "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster",
                   "ipFamilyPolicy": "SingleStack",
                   "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53}],
                   "selector": {"app": "web"}, "sessionAffinity": "None", "type": "LoadBalancer"}),
        ),
        (
            json!({"type": "ExternalName", "externalName": "example.com"}),
            json!({"externalName": "example.com", "sessionAffinity": "None", "type": "ExternalName"}),
        ),
        (
            json!({"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}),
            json!({"clusterIP": "None", "internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "SingleStack",
                   "ports": [{"port": 5432, "protocol": "TCP", "targetPort": 5432}],
                   "selector": {"app": "db"}, "sessionAffinity": "None", "type": "ClusterIP"}),
        ),
        (
            json!({"clusterIP": "None", "ports": [{"port": 5432}]}),
            json!({"clusterIP": "None", "internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "RequireDualStack",
                   "ports": [{"port": 5432, "protocol": "TCP", "targetPort": 5432}],
                   "sessionAffinity": "None", "type": "ClusterIP"}),
        ),
        (
            json!({"sessionAffinity": "ClientIP", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}),
            json!({"internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "SingleStack",
                   "ports": [{"port": 80, "protocol": "TCP", "targetPort": "http"}],
                   "selector": {"app": "web"}, "sessionAffinity": "ClientIP",
                   "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}}, "type": "ClusterIP"}),
        ),
    ];
    for (spec, want_spec) in cases {
        let mut want = service(want_spec);
        want["status"] = json!({"loadBalancer": {}});
        assert_eq!(defaulted("", "v1", "Service", service(spec.clone())), want, "spec {spec}");
    }
}

#[test]
fn service_update_leaves_ip_family_policy_to_the_registry() {
    let input = json!({"apiVersion": "v1", "kind": "Service",
                       "metadata": {"name": "s", "resourceVersion": "7"},
                       "spec": {"ports": [{"port": 80}], "sessionAffinity": "None",
                                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 5}}}});
    let out = defaulted("", "v1", "Service", input);
    assert!(out["spec"].get("ipFamilyPolicy").is_none());
    // kube-apiserver drops a ClientIP config when affinity is None.
    assert!(out["spec"].get("sessionAffinityConfig").is_none());
}

#[test]
fn stateful_set() {
    let input = json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "default"},
        "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {"containers": [{"name": "db", "image": "postgres:16",
                                         "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]},
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
            }],
        },
    });
    let want = json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "default"},
        "spec": {
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "podManagementPolicy": "OrderedReady",
            "replicas": 1,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "db"}},
            "serviceName": "db",
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": template_spec(json!([{
                    "image": "postgres:16",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "db",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [{"mountPath": "/data", "name": "data"}],
                }]), "Always"),
            },
            "updateStrategy": {"rollingUpdate": {"maxUnavailable": 1, "partition": 0}, "type": "RollingUpdate"},
            "volumeClaimTemplates": [{
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                         "volumeMode": "Filesystem"},
                "status": {"phase": "Pending"},
            }],
        },
        "status": {"availableReplicas": 0, "replicas": 0},
    });
    assert_eq!(defaulted("apps", "v1", "StatefulSet", input), want);
}

#[test]
fn daemon_set() {
    let input = json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "kube-system"},
        "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "template": {
                "metadata": {"labels": {"app": "agent"}},
                "spec": {"containers": [{"name": "agent", "image": "agent:v2"}]},
            },
        },
    });
    let want = json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "kube-system"},
        "spec": {
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "agent"}},
            "template": {
                "metadata": {"labels": {"app": "agent"}},
                "spec": template_spec(json!([{
                    "image": "agent:v2",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "agent",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }]), "Always"),
            },
            "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"},
        },
        "status": {"currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0},
    });
    assert_eq!(defaulted("apps", "v1", "DaemonSet", input), want);
}

fn job_container(name: &str, image: &str, command: Value) -> Value {
    json!([{
        "command": command,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "name": name,
        "resources": {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }])
}

#[test]
fn job() {
    let input = json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "pi", "namespace": "default"},
        "spec": {"template": {"spec": {
            "containers": [{"name": "pi", "image": "perl:5.34.0", "command": ["perl", "-e", "print 1"]}],
            "restartPolicy": "Never",
        }}},
    });
    let want = json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "pi", "namespace": "default"},
        "spec": {
            "backoffLimit": 6,
            "completionMode": "NonIndexed",
            "completions": 1,
            "manualSelector": false,
            "parallelism": 1,
            "podReplacementPolicy": "TerminatingOrFailed",
            "suspend": false,
            "template": {
                "metadata": {},
                "spec": template_spec(job_container("pi", "perl:5.34.0", json!(["perl", "-e", "print 1"])), "Never"),
            },
        },
        "status": {},
    });
    assert_eq!(defaulted("batch", "v1", "Job", input), want);
}

#[test]
fn job_variants() {
    let input = json!({
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
        "spec": {
            "parallelism": 3, "backoffLimitPerIndex": 1, "completionMode": "Indexed", "completions": 5,
            "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]},
            "template": {"metadata": {"labels": {"app": "j"}},
                         "spec": {"containers": [{"name": "c", "image": "x:1"}], "restartPolicy": "Never"}},
        },
    });
    let out = defaulted("batch", "v1", "Job", input);
    assert_eq!(out["metadata"]["labels"], json!({"app": "j"}));
    assert_eq!(out["spec"]["completions"], json!(5));
    assert_eq!(out["spec"]["backoffLimit"], json!(2147483647));
    assert_eq!(out["spec"]["podReplacementPolicy"], json!("Failed"));
    assert_eq!(out["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"], json!("True"));
    let only_completions = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                                  "spec": {"completions": 4, "template": {"spec": {"containers": []}}}});
    let out = defaulted("batch", "v1", "Job", only_completions);
    assert_eq!((&out["spec"]["completions"], &out["spec"]["parallelism"]), (&json!(4), &json!(1)));
}

#[test]
fn cron_job() {
    let input = json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {
            "schedule": "*/1 * * * *",
            "jobTemplate": {"spec": {"template": {"spec": {
                "containers": [{"name": "hello", "image": "busybox:1.36", "command": ["date"]}],
                "restartPolicy": "OnFailure",
            }}}},
        },
    });
    let want = json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {
            "concurrencyPolicy": "Allow",
            "failedJobsHistoryLimit": 1,
            "jobTemplate": {
                "metadata": {},
                "spec": {"template": {
                    "metadata": {},
                    "spec": template_spec(job_container("hello", "busybox:1.36", json!(["date"])), "OnFailure"),
                }},
            },
            "schedule": "*/1 * * * *",
            "successfulJobsHistoryLimit": 3,
            "suspend": false,
        },
        "status": {},
    });
    assert_eq!(defaulted("batch", "v1", "CronJob", input), want);
}

#[test]
fn replication_controller_and_pod_template() {
    let input = json!({
        "apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"},
        "spec": {"template": {"metadata": {"labels": {"app": "rc"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx:latest"}]}}},
    });
    let out = defaulted("", "v1", "ReplicationController", input);
    assert_eq!(out["metadata"]["labels"], json!({"app": "rc"}));
    assert_eq!(out["spec"]["selector"], json!({"app": "rc"}));
    assert_eq!(out["spec"]["replicas"], json!(1));
    assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"], json!("Always"));
    assert_eq!(out["status"], json!({"replicas": 0}));

    let input = json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"},
                       "template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}});
    let out = defaulted("", "v1", "PodTemplate", input);
    assert_eq!(out["template"]["metadata"], json!({}));
    assert_eq!(out["template"]["spec"]["schedulerName"], json!("default-scheduler"));
    assert!(out["template"]["spec"].get("enableServiceLinks").is_none(), "templates do not get pod-only defaults");
}

#[test]
fn persistent_volume_claim() {
    let input = json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data", "namespace": "default"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1024Mi"}}},
    });
    let want = json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data", "namespace": "default"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                 "volumeMode": "Filesystem"},
        "status": {"phase": "Pending"},
    });
    assert_eq!(defaulted("", "v1", "PersistentVolumeClaim", input), want);
}

#[test]
fn persistent_volume() {
    let input = json!({
        "apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv"},
        "spec": {"capacity": {"storage": "5Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/mnt/data"}},
    });
    let want = json!({
        "apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv"},
        "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "5Gi"},
                 "hostPath": {"path": "/mnt/data", "type": ""},
                 "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem"},
        "status": {"phase": "Pending"},
    });
    assert_eq!(defaulted("", "v1", "PersistentVolume", input), want);
}

#[test]
fn namespace() {
    let input = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}});
    let want = json!({
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "team-a", "labels": {"kubernetes.io/metadata.name": "team-a"}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    });
    assert_eq!(defaulted("", "v1", "Namespace", input), want);

    // A stored namespace whose finalizer was removed keeps it removed, and
    // the name label is always overwritten.
    let stored = json!({"apiVersion": "v1", "kind": "Namespace",
                        "metadata": {"name": "gone", "resourceVersion": "9", "labels": {"kubernetes.io/metadata.name": "x"}},
                        "spec": {}, "status": {"phase": "Terminating"}});
    let out = defaulted("", "v1", "Namespace", stored);
    assert_eq!(out["spec"], json!({}));
    assert_eq!(out["metadata"]["labels"], json!({"kubernetes.io/metadata.name": "gone"}));
    assert_eq!(out["status"], json!({"phase": "Terminating"}));
}

#[test]
fn secret() {
    let input = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "default"},
                       "data": {"user": "YWRtaW4=", "password": "b2xk"}, "stringData": {"password": "hunter2"}});
    let want = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "default"},
                      "data": {"user": "YWRtaW4=", "password": "aHVudGVyMg=="}, "type": "Opaque"});
    assert_eq!(defaulted("", "v1", "Secret", input), want);
    let typed = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t"}, "type": "kubernetes.io/tls"});
    assert_eq!(defaulted("", "v1", "Secret", typed.clone()), typed);
}

#[test]
fn config_map_and_service_account_are_unchanged() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}});
    assert_eq!(defaulted("", "v1", "ConfigMap", cm.clone()), cm);
    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa"}});
    assert_eq!(defaulted("", "v1", "ServiceAccount", sa.clone()), sa);
}

#[test]
fn node_endpoints_limit_range_quota_event() {
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
                      "spec": {"podCIDR": "10.244.1.0/24"},
                      "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}});
    let out = defaulted("", "v1", "Node", node);
    assert_eq!(out["spec"]["podCIDRs"], json!(["10.244.1.0/24"]));
    assert_eq!(out["status"]["allocatable"], json!({"cpu": "4", "memory": "8Gi", "pods": "110"}));
    assert_eq!(out["status"]["daemonEndpoints"], json!({"kubeletEndpoint": {"Port": 0}}));
    assert_eq!(out["status"]["nodeInfo"]["kubeletVersion"], json!(""));

    let endpoints = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "e"},
                           "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]});
    let out = defaulted("", "v1", "Endpoints", endpoints);
    assert_eq!(out["subsets"][0]["ports"], json!([{"port": 80, "protocol": "TCP"}]));

    let limit_range = json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l"},
                             "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}}]}});
    let out = defaulted("", "v1", "LimitRange", limit_range);
    assert_eq!(
        out["spec"]["limits"][0],
        json!({"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}, "default": {"cpu": "2"},
               "defaultRequest": {"cpu": "2", "memory": "64Mi"}})
    );

    let quota = json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"},
                       "spec": {"hard": {"requests.cpu": "1000m", "pods": 10}}});
    let out = defaulted("", "v1", "ResourceQuota", quota);
    assert_eq!(out["spec"], json!({"hard": {"requests.cpu": "1", "pods": "10"}}));
    assert_eq!(out["status"], json!({}));

    let event = json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"}, "reason": "Started"});
    let want = json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"}, "reason": "Started",
                      "involvedObject": {}, "source": {}, "firstTimestamp": null, "lastTimestamp": null,
                      "eventTime": null, "reportingComponent": "", "reportingInstance": ""});
    assert_eq!(defaulted("", "v1", "Event", event), want);
}

#[test]
fn network_policy() {
    let input = json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "np", "namespace": "default"},
        "spec": {
            "podSelector": {"matchLabels": {"app": "db"}},
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"role": "fe"}}}], "ports": [{"port": 5432}]}],
            "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}],
        },
    });
    let want = json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "np", "namespace": "default"},
        "spec": {
            "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}],
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"role": "fe"}}}],
                         "ports": [{"port": 5432, "protocol": "TCP"}]}],
            "podSelector": {"matchLabels": {"app": "db"}},
            "policyTypes": ["Ingress", "Egress"],
        },
    });
    assert_eq!(defaulted("networking.k8s.io", "v1", "NetworkPolicy", input), want);

    let deny_all = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                          "metadata": {"name": "deny"}, "spec": {}});
    let out = defaulted("networking.k8s.io", "v1", "NetworkPolicy", deny_all);
    assert_eq!(out["spec"], json!({"podSelector": {}, "policyTypes": ["Ingress"]}));
}

#[test]
fn ingress_and_ingress_class() {
    let input = json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"ingressClassName": "nginx", "rules": [{"host": "example.com", "http": {"paths": [{
            "path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": "web", "port": {"number": 80}}},
        }]}}]},
    });
    let mut want = input.clone();
    want["status"] = json!({"loadBalancer": {}});
    assert_eq!(defaulted("networking.k8s.io", "v1", "Ingress", input), want);

    let class = json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "c"},
                       "spec": {"controller": "example.com/ingress", "parameters": {"kind": "Params", "name": "p"}}});
    let out = defaulted("networking.k8s.io", "v1", "IngressClass", class);
    assert_eq!(out["spec"]["parameters"]["scope"], json!("Cluster"));
}

#[test]
fn webhook_configurations() {
    let webhook = json!({
        "name": "v.example.com",
        "clientConfig": {"service": {"name": "svc", "namespace": "ns", "path": "/validate"}},
        "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}],
        "sideEffects": "None",
        "admissionReviewVersions": ["v1"],
    });
    let input = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
                       "metadata": {"name": "v"}, "webhooks": [webhook]});
    let defaulted_webhook = json!({
        "admissionReviewVersions": ["v1"],
        "clientConfig": {"service": {"name": "svc", "namespace": "ns", "path": "/validate", "port": 443}},
        "failurePolicy": "Fail",
        "matchPolicy": "Equivalent",
        "name": "v.example.com",
        "namespaceSelector": {},
        "objectSelector": {},
        "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"], "scope": "*"}],
        "sideEffects": "None",
        "timeoutSeconds": 10,
    });
    let want = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
                      "metadata": {"name": "v"}, "webhooks": [defaulted_webhook.clone()]});
    assert_eq!(defaulted("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", input.clone()), want);

    let mut mutating = input;
    mutating["kind"] = json!("MutatingWebhookConfiguration");
    let mut want = mutating.clone();
    let mut webhook = defaulted_webhook;
    webhook["reinvocationPolicy"] = json!("Never");
    want["webhooks"] = json!([webhook]);
    assert_eq!(defaulted("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", mutating), want);
}

#[test]
fn validating_admission_policy() {
    let input = json!({
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "p"},
        "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
                                                          "operations": ["CREATE"], "resources": ["deployments"]}]},
                 "validations": [{"expression": "object.spec.replicas <= 5"}]},
    });
    let out = defaulted("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", input);
    assert_eq!(out["spec"]["failurePolicy"], json!("Fail"));
    assert_eq!(
        out["spec"]["matchConstraints"],
        json!({"matchPolicy": "Equivalent", "namespaceSelector": {}, "objectSelector": {},
               "resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["CREATE"],
                                  "resources": ["deployments"], "scope": "*"}]})
    );
}

#[test]
fn horizontal_pod_autoscalers() {
    let v2 = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
                    "spec": {"maxReplicas": 5, "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                             "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}}}});
    let want = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
                      "spec": {
                          "behavior": {
                              "scaleDown": {"policies": [{"periodSeconds": 15, "type": "Percent", "value": 100}],
                                            "selectPolicy": "Max", "stabilizationWindowSeconds": 300},
                              "scaleUp": {"policies": [{"periodSeconds": 15, "type": "Pods", "value": 4},
                                                       {"periodSeconds": 15, "type": "Percent", "value": 100}],
                                          "selectPolicy": "Max", "stabilizationWindowSeconds": 0},
                          },
                          "maxReplicas": 5,
                          "metrics": [{"resource": {"name": "cpu", "target": {"averageUtilization": 80, "type": "Utilization"}},
                                       "type": "Resource"}],
                          "minReplicas": 1,
                          "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                      },
                      "status": {"currentMetrics": null, "desiredReplicas": 0}});
    assert_eq!(defaulted("autoscaling", "v2", "HorizontalPodAutoscaler", v2), want);

    let v1 = json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
                    "spec": {"maxReplicas": 5, "scaleTargetRef": {"kind": "Deployment", "name": "web"}}});
    let out = defaulted("autoscaling", "v1", "HorizontalPodAutoscaler", v1);
    assert_eq!(out["spec"]["minReplicas"], json!(1));
    assert!(out["spec"].get("targetCPUUtilizationPercentage").is_none());
    assert_eq!(out["status"], json!({"currentReplicas": 0, "desiredReplicas": 0}));
}

#[test]
fn pod_disruption_budget_has_only_its_shape() {
    let input = json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "b"},
                       "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}});
    let out = defaulted("policy", "v1", "PodDisruptionBudget", input);
    assert_eq!(out["spec"], json!({"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}));
    assert_eq!(
        out["status"],
        json!({"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0})
    );
}

#[test]
fn rbac_bindings() {
    let input = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "b"},
                       "roleRef": {"kind": "Role", "name": "r"},
                       "subjects": [{"kind": "User", "name": "alice"}, {"kind": "Group", "name": "devs"},
                                    {"kind": "ServiceAccount", "name": "sa", "namespace": "default"}]});
    let want = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "b"},
                      "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
                      "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"},
                                   {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"},
                                   {"kind": "ServiceAccount", "name": "sa", "namespace": "default"}]});
    assert_eq!(defaulted("rbac.authorization.k8s.io", "v1", "RoleBinding", input), want);
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "agg"},
                      "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "y"}}]}});
    assert_eq!(defaulted("rbac.authorization.k8s.io", "v1", "ClusterRole", role)["rules"], Value::Null);
}

#[test]
fn storage_scheduling_discovery_flowcontrol() {
    let class = json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
                       "provisioner": "example.com/csi"});
    let out = defaulted("storage.k8s.io", "v1", "StorageClass", class);
    assert_eq!((&out["reclaimPolicy"], &out["volumeBindingMode"]), (&json!("Delete"), &json!("Immediate")));

    let driver = json!({"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"name": "d"}, "spec": {}});
    let out = defaulted("storage.k8s.io", "v1", "CSIDriver", driver);
    assert_eq!(
        out["spec"],
        json!({"attachRequired": true, "fsGroupPolicy": "ReadWriteOnceWithFSType", "podInfoOnMount": false,
               "requiresRepublish": false, "seLinuxMount": false, "storageCapacity": false,
               "volumeLifecycleModes": ["Persistent"]})
    );

    let priority = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"}, "value": 1000});
    let out = defaulted("scheduling.k8s.io", "v1", "PriorityClass", priority);
    assert_eq!(out["preemptionPolicy"], json!("PreemptLowerPriority"));

    let slice = json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "s"},
                       "addressType": "IPv4", "ports": [{"port": 80}]});
    let out = defaulted("discovery.k8s.io", "v1", "EndpointSlice", slice);
    assert_eq!(out["ports"], json!([{"name": "", "port": 80, "protocol": "TCP"}]));
    assert_eq!(out["endpoints"], Value::Null);

    let level = json!({"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "kind": "PriorityLevelConfiguration",
                       "metadata": {"name": "l"},
                       "spec": {"type": "Limited", "limited": {"limitResponse": {"type": "Queue", "queuing": {}}}}});
    let out = defaulted("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration", level);
    assert_eq!(
        out["spec"]["limited"],
        json!({"lendablePercent": 0, "nominalConcurrencyShares": 30,
               "limitResponse": {"type": "Queue", "queuing": {"handSize": 8, "queueLengthLimit": 50, "queues": 64}}})
    );
    let schema = json!({"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "kind": "FlowSchema", "metadata": {"name": "f"},
                        "spec": {"priorityLevelConfiguration": {"name": "l"}}});
    let out = defaulted("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", schema);
    assert_eq!(out["spec"]["matchingPrecedence"], json!(1000));
}

#[test]
fn resource_claims_and_custom_resource_definitions() {
    let claim = json!({"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaim", "metadata": {"name": "c"},
    "spec": {"devices": {"requests": [
        {"name": "gpu", "exactly": {"deviceClassName": "gpu", "tolerations": [{"key": "k"}]}},
        {"name": "any", "firstAvailable": [{"name": "a", "deviceClassName": "a", "allocationMode": "All"}]},
    ]}}});
    let out = defaulted("resource.k8s.io", "v1", "ResourceClaim", claim);
    let requests = &out["spec"]["devices"]["requests"];
    assert_eq!(requests[0]["exactly"]["allocationMode"], json!("ExactCount"));
    assert_eq!(requests[0]["exactly"]["count"], json!(1));
    assert_eq!(requests[0]["exactly"]["tolerations"][0]["operator"], json!("Equal"));
    assert!(requests[1]["firstAvailable"][0].get("count").is_none());

    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                     "metadata": {"name": "widgets.example.com"},
                     "spec": {"group": "example.com", "scope": "Namespaced",
                              "names": {"kind": "Widget", "plural": "widgets"},
                              "versions": [{"name": "v1", "served": true, "storage": true,
                                            "schema": {"openAPIV3Schema": {"type": "object"}}}]}});
    let out = defaulted("apiextensions.k8s.io", "v1", "CustomResourceDefinition", crd);
    assert_eq!(
        out["spec"]["names"],
        json!({"kind": "Widget", "listKind": "WidgetList", "plural": "widgets", "singular": "widget"})
    );
    assert_eq!(out["spec"]["conversion"], json!({"strategy": "None"}));
    assert_eq!(out["status"]["storedVersions"], json!(["v1"]));
    assert_eq!(out["status"]["acceptedNames"], json!({"kind": "", "plural": ""}));
}

#[test]
fn unknown_kinds_and_non_objects_are_left_alone() {
    let custom = json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"x": 1}});
    assert_eq!(defaulted("example.com", "v1", "Widget", custom.clone()), custom);
    let mut not_an_object = json!(["Pod"]);
    apply("", "v1", "Pod", &mut not_an_object);
    assert_eq!(not_an_object, json!(["Pod"]));
    // Malformed fields are skipped, never a panic.
    let odd =
        json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": "nope", "volumes": [1, null, {"name": "v"}]}});
    let out = defaulted("", "v1", "Pod", odd);
    assert_eq!(out["spec"]["volumes"][2], json!({"name": "v", "emptyDir": {}}));
}

#[test]
fn declared_volume_defaults() {
    let input = json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {
            "containers": [{"name": "c", "image": "x:1", "resources": {"requests": {"cpu": "0.0001", "memory": 1073741824}}}],
            "volumes": [
                {"name": "img", "image": {"reference": "quay.io/data:latest"}},
                {"name": "eph", "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1.5Gi"}}}}}},
                {"name": "disk", "azureDisk": {"diskName": "d", "diskURI": "u"}},
                {"name": "ceph", "rbd": {"monitors": ["m"], "image": "i"}},
                {"name": "dir", "emptyDir": {"sizeLimit": "500M"}},
            ],
        }}},
    });
    let out = defaulted("apps", "v1", "ReplicaSet", input);
    let spec = &out["spec"]["template"]["spec"];
    assert_eq!(spec["containers"][0]["resources"], json!({"requests": {"cpu": "1m", "memory": "1073741824"}}));
    assert_eq!(spec["volumes"][0]["image"], json!({"pullPolicy": "Always", "reference": "quay.io/data:latest"}));
    assert_eq!(
        spec["volumes"][1]["ephemeral"]["volumeClaimTemplate"],
        json!({"metadata": {}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1536Mi"}},
                                         "volumeMode": "Filesystem"}})
    );
    assert_eq!(
        spec["volumes"][2]["azureDisk"],
        json!({"cachingMode": "ReadWrite", "diskName": "d", "diskURI": "u", "fsType": "ext4", "kind": "Shared", "readOnly": false})
    );
    assert_eq!(
        spec["volumes"][3]["rbd"],
        json!({"image": "i", "keyring": "/etc/ceph/keyring", "monitors": ["m"], "pool": "rbd", "user": "admin"})
    );
    assert_eq!(spec["volumes"][4]["emptyDir"], json!({"sizeLimit": "500M"}));
    assert_eq!(out["spec"]["replicas"], json!(1));
    assert_eq!(out["status"], json!({"replicas": 0}));
}

#[test]
fn load_balancer_status_ip_mode() {
    let input = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb", "resourceVersion": "3"},
                       "spec": {"type": "LoadBalancer", "ipFamilyPolicy": "SingleStack", "ports": [{"port": 443}]},
                       "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.9"}, {"hostname": "lb.example.com"}]}}});
    let out = defaulted("", "v1", "Service", input);
    assert_eq!(
        out["status"]["loadBalancer"]["ingress"],
        json!([{"ip": "203.0.113.9", "ipMode": "VIP"}, {"hostname": "lb.example.com"}])
    );
}
