//! Table printing tests. Expected cells follow kube-apiserver's printers_test.go (with the
//! wide cells kube-apiserver always adds), translated from Go objects to versioned JSON.

use serde_json::{Value, json};

use super::timestamp::{Instant, format_rfc3339_utc};
use super::{cells, columns, list_order, row_conditions};

/// A fixed "now": 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;
const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// An RFC3339 timestamp `offset` seconds from NOW.
fn at(offset: i64) -> String {
    format_rfc3339_utc(Instant::from_unix_seconds(NOW + offset))
}

/// The cells of `object` printed as `group`/`resource` at NOW.
fn row(group: &str, resource: &str, object: Value) -> Vec<Value> {
    cells(group, resource, &object, NOW)
}

/// Expected cells, written as a JSON array.
fn expect(cells: Value) -> Vec<Value> {
    match cells {
        Value::Array(items) => items,
        other => vec![other],
    }
}

fn column_names(group: &str, resource: &str) -> Vec<&'static str> {
    columns(group, resource).iter().map(|c| c.name).collect()
}

/// A pod with `n` unnamed containers and the given status.
fn pod(name: &str, containers: usize, status: Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": vec![json!({}); containers]},
        "status": status,
    })
}

const NO_WIDE: [&str; 4] = ["<none>", "<none>", "<none>", "<none>"];

fn pod_row(name: &str, ready: &str, status: &str, restarts: &str) -> Vec<Value> {
    let mut cells = vec![
        Value::from(name),
        Value::from(ready),
        Value::from(status),
        Value::from(restarts),
        Value::from("<unknown>"),
    ];
    cells.extend(NO_WIDE.iter().map(|s| Value::from(*s)));
    cells
}

#[test]
fn pod_columns_include_wide_ones() {
    let cols = columns("", "pods");
    assert_eq!(
        cols.iter().map(|c| (c.name, c.type_, c.priority)).collect::<Vec<_>>(),
        vec![
            ("Name", "string", 0),
            ("Ready", "string", 0),
            ("Status", "string", 0),
            ("Restarts", "string", 0),
            ("Age", "string", 0),
            ("IP", "string", 1),
            ("Node", "string", 1),
            ("Nominated Node", "string", 1),
            ("Readiness Gates", "string", 1),
        ]
    );
    assert_eq!(cols[0].format, "name");
    assert!(cols[0].description.starts_with("Name must be unique within a namespace."));
    assert!(cols[4].description.starts_with("CreationTimestamp is a timestamp"));
    assert_eq!(
        cols[5].description,
        "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."
    );
}

#[test]
fn pod_status_from_containers() {
    let running = json!({"ready": true, "restartCount": 3, "state": {"running": {}}});
    let cases = vec![
        // Name, container count, restarts, ready containers.
        (
            pod("test1", 2, json!({"phase": "podPhase", "containerStatuses": [running, {"restartCount": 3}]})),
            pod_row("test1", "1/2", "podPhase", "6"),
        ),
        // A waiting reason overrides the phase.
        (
            pod(
                "test2",
                2,
                json!({"phase": "podPhase", "containerStatuses": [
                    running,
                    {"state": {"waiting": {"reason": "ContainerWaitingReason"}}, "restartCount": 3}
                ]}),
            ),
            pod_row("test2", "1/2", "ContainerWaitingReason", "6"),
        ),
        // The first container's state wins over the later ones.
        (
            pod(
                "test3",
                2,
                json!({"phase": "podPhase", "containerStatuses": [
                    {"state": {"waiting": {"reason": "ContainerWaitingReason"}}, "restartCount": 3},
                    {"state": {"terminated": {"reason": "ContainerTerminatedReason"}}, "restartCount": 3}
                ]}),
            ),
            pod_row("test3", "0/2", "ContainerWaitingReason", "6"),
        ),
        // Ready is not enough for reporting running.
        (
            pod(
                "test4",
                2,
                json!({"phase": "podPhase", "containerStatuses": [
                    running, {"ready": true, "restartCount": 3}
                ]}),
            ),
            pod_row("test4", "1/2", "podPhase", "6"),
        ),
        (
            pod(
                "test5",
                2,
                json!({"reason": "podReason", "phase": "podPhase", "containerStatuses": [
                    running, {"ready": true, "restartCount": 3}
                ]}),
            ),
            pod_row("test5", "1/2", "podReason", "6"),
        ),
        // One running and one completed container, without the Ready condition.
        (
            pod(
                "test6",
                2,
                json!({"phase": "Running", "containerStatuses": [
                    {"ready": true, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
                    running
                ]}),
            ),
            pod_row("test6", "1/2", "NotReady", "6"),
        ),
        // ... and with it.
        (
            pod(
                "test6",
                2,
                json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}], "containerStatuses": [
                    {"ready": true, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
                    running
                ]}),
            ),
            pod_row("test6", "1/2", "Running", "6"),
        ),
        // The PodScheduled condition with reason SchedulingGated.
        (
            pod(
                "test15",
                2,
                json!({"phase": "podPhase", "conditions": [
                    {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}
                ]}),
            ),
            pod_row("test15", "0/2", "SchedulingGated", "0"),
        ),
        (
            pod(
                "test16",
                1,
                json!({"phase": "Succeeded", "containerStatuses": [
                    {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}
                ]}),
            ),
            pod_row("test16", "0/1", "Completed", "0"),
        ),
        (
            pod(
                "test17",
                1,
                json!({"phase": "Failed", "containerStatuses": [
                    {"state": {"terminated": {"reason": "Error", "exitCode": 1}}}
                ]}),
            ),
            pod_row("test17", "0/1", "Error", "0"),
        ),
        // A failed container is not hidden by a completed one (kube-apiserver 1.35).
        (
            pod(
                "error",
                2,
                json!({"phase": "Failed", "containerStatuses": [
                    {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
                    {"state": {"terminated": {"reason": "Error", "exitCode": 1}}}
                ]}),
            ),
            pod_row("error", "0/2", "Error", "0"),
        ),
        // Without a reason, the signal or exit code.
        (
            pod(
                "signal",
                2,
                json!({"phase": "Failed", "containerStatuses": [
                    {"state": {"terminated": {"exitCode": 137}}},
                    {"state": {"terminated": {"signal": 9, "exitCode": 137}}}
                ]}),
            ),
            pod_row("signal", "0/2", "ExitCode:137", "0"),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "pods", object.clone()), want, "pod {object}");
    }
}

#[test]
fn pod_restarts_show_when_last_restarted() {
    let terminated_ago = |seconds: i64| json!({"terminated": {"finishedAt": at(-seconds)}});
    let with_init = |name: &str, init: usize, status: Value| {
        let mut p = pod(name, 1, status);
        p["spec"]["initContainers"] = json!(vec![json!({}); init]);
        p
    };
    let cases = vec![
        (
            with_init(
                "test7",
                1,
                json!({"phase": "podPhase",
                "initContainerStatuses": [{"restartCount": 3, "state": {"running": {}}, "lastState": terminated_ago(10)}],
                "containerStatuses": [{"state": {"waiting": {}}}]}),
            ),
            pod_row("test7", "0/1", "Init:0/1", "3 (10s ago)"),
        ),
        (
            with_init(
                "test8",
                2,
                json!({"phase": "podPhase",
                "initContainerStatuses": [
                    {"restartCount": 3, "state": {"running": {}}, "lastState": terminated_ago(10)},
                    {"state": {"waiting": {}}}
                ],
                "containerStatuses": [{"state": {"waiting": {}}}]}),
            ),
            pod_row("test8", "0/1", "Init:0/2", "3 (10s ago)"),
        ),
        (
            with_init(
                "test9",
                2,
                json!({"phase": "podPhase",
                "initContainerStatuses": [
                    {"state": {"terminated": {}}},
                    {"restartCount": 3, "state": {"running": {}}, "lastState": terminated_ago(10)}
                ],
                "containerStatuses": [{"state": {"waiting": {}}}]}),
            ),
            pod_row("test9", "0/1", "Init:1/2", "3 (10s ago)"),
        ),
        (
            with_init(
                "test10",
                2,
                json!({"phase": "podPhase",
                "initContainerStatuses": [
                    {"restartCount": 2, "state": {"terminated": {}}, "lastState": terminated_ago(120)},
                    {"restartCount": 3, "state": {"running": {}}, "lastState": terminated_ago(10)}
                ],
                "containerStatuses": [{"state": {"waiting": {}}}]}),
            ),
            pod_row("test10", "0/1", "Init:1/2", "5 (10s ago)"),
        ),
        (
            with_init(
                "test11",
                1,
                json!({"phase": "Running",
                "initContainerStatuses": [
                    {"restartCount": 2, "state": {"terminated": {}}, "lastState": terminated_ago(120)}
                ],
                "containerStatuses": [
                    {"restartCount": 4, "state": {"running": {}}, "lastState": terminated_ago(20)}
                ]}),
            ),
            pod_row("test11", "0/1", "Running", "4 (20s ago)"),
        ),
        (
            pod(
                "test12",
                1,
                json!({"phase": "Running", "containerStatuses": [
                    {"ready": true, "restartCount": 3, "state": {"running": {}}, "lastState": terminated_ago(5 * DAY)}
                ]}),
            ),
            pod_row("test12", "1/1", "Running", "3 (5d ago)"),
        ),
        (
            pod(
                "test13",
                2,
                json!({"phase": "Running", "containerStatuses": [
                    {"ready": true, "restartCount": 0, "state": {"running": {}}},
                    {"ready": true, "restartCount": 3, "state": {"running": {}}, "lastState": terminated_ago(10 * DAY)}
                ]}),
            ),
            pod_row("test13", "2/2", "Running", "3 (10d ago)"),
        ),
        (
            pod(
                "test14",
                2,
                json!({"phase": "Running", "containerStatuses": [
                    {"ready": true, "restartCount": 6, "state": {"running": {}}, "lastState": terminated_ago(5 * DAY)},
                    {"ready": true, "restartCount": 3, "state": {"running": {}}, "lastState": terminated_ago(20 * DAY)}
                ]}),
            ),
            pod_row("test14", "2/2", "Running", "9 (5d ago)"),
        ),
        // A crash-looping container: the waiting reason and when it last restarted.
        (
            pod(
                "crash",
                1,
                json!({"phase": "Running", "containerStatuses": [
                    {"ready": false, "restartCount": 5,
                     "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 2m40s"}},
                     "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": at(-300)}}}
                ]}),
            ),
            pod_row("crash", "0/1", "CrashLoopBackOff", "5 (5m ago)"),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "pods", object.clone()), want, "pod {object}");
    }
}

#[test]
fn pod_terminating_and_completed() {
    let deleting = |name: &str, status: Value| {
        let mut p = pod(name, 1, status);
        p["metadata"]["deletionTimestamp"] = json!(at(-10));
        p
    };
    let cases = vec![
        (
            deleting(
                "test18",
                json!({"phase": "Succeeded", "containerStatuses": [
                    {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}
                ]}),
            ),
            pod_row("test18", "0/1", "Completed", "0"),
        ),
        (
            deleting("test19", json!({"phase": "Running", "containerStatuses": [{"state": {"running": {}}}]})),
            pod_row("test19", "0/1", "Terminating", "0"),
        ),
        (deleting("test20", json!({"phase": "Pending"})), pod_row("test20", "0/1", "Terminating", "0")),
        (deleting("lost", json!({"phase": "Running", "reason": "NodeLost"})), pod_row("lost", "0/1", "Unknown", "0")),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "pods", object.clone()), want, "pod {object}");
    }

    let succeeded = pod("done", 1, json!({"phase": "Succeeded"}));
    assert_eq!(
        row_conditions("", "pods", &succeeded),
        vec![
            json!({"type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."})
        ]
    );
    let failed = pod("failed", 1, json!({"phase": "Failed"}));
    assert_eq!(
        row_conditions("", "pods", &failed),
        vec![json!({"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."})]
    );
    assert!(row_conditions("", "pods", &pod("running", 1, json!({"phase": "Running"}))).is_empty());
}

#[test]
fn pod_with_sidecar_init_containers() {
    let sidecars = json!([
        {"name": "restartable-init-1", "restartPolicy": "Always"},
        {"name": "restartable-init-2", "restartPolicy": "Always"}
    ]);
    let sidecar_pod = |name: &str, status: Value| {
        let mut p = pod(name, 1, status);
        p["spec"]["initContainers"] = sidecars.clone();
        p
    };
    let last10 = json!({"terminated": {"finishedAt": at(-10)}});
    let cases = vec![
        (
            sidecar_pod(
                "test1",
                json!({"phase": "Pending",
                "initContainerStatuses": [
                    {"name": "restartable-init-1", "restartCount": 3, "state": {"running": {}}, "started": false, "lastState": last10},
                    {"name": "restartable-init-2", "state": {"waiting": {}}, "started": false}
                ],
                "containerStatuses": [{"state": {"waiting": {}}}],
                "conditions": [{"type": "Initialized", "status": "False"}]}),
            ),
            pod_row("test1", "0/3", "Init:0/2", "3 (10s ago)"),
        ),
        (
            sidecar_pod(
                "test1",
                json!({"phase": "Pending",
                "initContainerStatuses": [
                    {"name": "restartable-init-1", "restartCount": 3, "state": {"running": {}}, "started": true, "lastState": last10},
                    {"name": "restartable-init-2", "state": {"running": {}}, "started": false}
                ],
                "containerStatuses": [{"state": {"waiting": {}}}],
                "conditions": [{"type": "Initialized", "status": "False"}]}),
            ),
            pod_row("test1", "0/3", "Init:1/2", "3 (10s ago)"),
        ),
        (
            sidecar_pod(
                "test2",
                json!({"phase": "Running",
                "initContainerStatuses": [
                    {"name": "restartable-init-1", "restartCount": 3, "state": {"running": {}}, "started": true, "lastState": last10},
                    {"name": "restartable-init-2", "state": {"running": {}}, "started": true}
                ],
                "containerStatuses": [
                    {"ready": true, "restartCount": 4, "state": {"running": {}}, "lastState": {"terminated": {"finishedAt": at(-20)}}}
                ],
                "conditions": [{"type": "Initialized", "status": "True"}]}),
            ),
            pod_row("test2", "1/3", "Running", "7 (10s ago)"),
        ),
        (
            sidecar_pod(
                "test3",
                json!({"phase": "Succeeded",
                "initContainerStatuses": [
                    {"name": "restartable-init-1", "restartCount": 3, "state": {"terminated": {"reason": "Error", "exitCode": 137}}, "started": false, "lastState": last10},
                    {"name": "restartable-init-2", "state": {"terminated": {"reason": "Error", "exitCode": 137}}, "started": false}
                ],
                "containerStatuses": [
                    {"restartCount": 4, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}, "lastState": {"terminated": {"finishedAt": at(-20)}}}
                ],
                "conditions": [{"type": "Initialized", "status": "True"}]}),
            ),
            pod_row("test3", "0/3", "Completed", "7 (10s ago)"),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "pods", object.clone()), want, "pod {object}");
    }

    // Statuses for containers the spec does not have.
    let stray = json!({
        "metadata": {"name": "test4"},
        "spec": {
            "initContainers": [
                {"name": "init1", "image": "initimage"},
                {"name": "sidecar1", "image": "sidecarimage", "restartPolicy": "Always"}
            ],
            "containers": [{"name": "container1", "image": "containerimage"}]
        },
        "status": {
            "phase": "Running",
            "initContainerStatuses": [{"name": "initinvalid"}, {"name": "init1"}, {"name": "sidecar1"}],
            "containerStatuses": [{"name": "containerinvalid"}, {"name": "container1"}]
        }
    });
    assert_eq!(row("", "pods", stray), pod_row("test4", "0/2", "Init:0/2", "0"));
}

#[test]
fn pod_wide_cells() {
    let gates =
        json!([{"conditionType": "condition1"}, {"conditionType": "condition2"}, {"conditionType": "condition3"}]);
    let object = json!({
        "metadata": {"name": "test1"},
        "spec": {"containers": [{}, {}], "nodeName": "test1", "readinessGates": gates},
        "status": {
            "conditions": [
                {"type": "condition1", "status": "False"},
                {"type": "condition2", "status": "True"}
            ],
            "phase": "podPhase",
            "podIPs": [{"ip": "1.1.1.1"}, {"ip": "2001:db8::"}],
            "containerStatuses": [
                {"ready": true, "restartCount": 3, "state": {"running": {}}},
                {"restartCount": 3}
            ],
            "nominatedNodeName": "node1"
        }
    });
    assert_eq!(
        row("", "pods", object),
        expect(json!(["test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"]))
    );
    let pending = json!({
        "metadata": {"name": "web", "creationTimestamp": at(-90)},
        "spec": {"containers": [{"name": "c"}]},
        "status": {"phase": "Pending", "podIP": "10.0.0.7"}
    });
    assert_eq!(
        row("", "pods", pending),
        expect(json!(["web", "0/1", "Pending", "0", "90s", "10.0.0.7", "<none>", "<none>", "<none>"]))
    );
}

#[test]
fn pod_templates() {
    let template = json!({
        "metadata": {"name": "pod-template-2"},
        "template": {
            "metadata": {"labels": {"foo": "bar"}},
            "spec": {"containers": [
                {"name": "fake-container1", "image": "fake-image1"},
                {"name": "fake-container2", "image": "fake-image2"}
            ]}
        }
    });
    assert_eq!(
        row("", "podtemplates", template),
        expect(json!(["pod-template-2", "fake-container1,fake-container2", "fake-image1,fake-image2", "foo=bar"]))
    );
    let empty = json!({"metadata": {"name": "pod-template-1"}, "template": {"spec": {"containers": []}}});
    assert_eq!(row("", "podtemplates", empty), expect(json!(["pod-template-1", "", "", "<none>"])));
}

fn containers() -> Value {
    json!([
        {"name": "fake-container1", "image": "fake-image1"},
        {"name": "fake-container2", "image": "fake-image2"}
    ])
}

#[test]
fn deployments() {
    assert_eq!(
        column_names("apps", "deployments"),
        vec!["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"]
    );
    let deployment = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "test1", "creationTimestamp": at(1)},
        "spec": {
            "replicas": 5,
            "template": {"spec": {"containers": containers()}},
            "selector": {"matchLabels": {"foo": "bar"}}
        },
        "status": {"replicas": 10, "updatedReplicas": 2, "availableReplicas": 1, "unavailableReplicas": 4}
    });
    assert_eq!(
        row("apps", "deployments", deployment),
        expect(json!([
            "test1",
            "0/5",
            2,
            1,
            "0s",
            "fake-container1,fake-container2",
            "fake-image1,fake-image2",
            "foo=bar"
        ]))
    );
    let ready = json!({
        "metadata": {"name": "web", "creationTimestamp": at(-3 * DAY - 4 * HOUR)},
        "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}},
                 "selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]}},
        "status": {"readyReplicas": 3, "updatedReplicas": 3, "availableReplicas": 3}
    });
    assert_eq!(
        row("apps", "deployments", ready),
        expect(json!(["web", "3/3", 3, 3, "3d4h", "nginx", "nginx:1.27", "app in (web)"]))
    );
}

#[test]
fn replica_sets_daemon_sets_stateful_sets_and_controllers() {
    let rs = json!({
        "metadata": {"name": "test1", "creationTimestamp": at(1)},
        "spec": {"replicas": 5, "template": {"spec": {"containers": containers()}}, "selector": {"matchLabels": {"foo": "bar"}}},
        "status": {"replicas": 5, "readyReplicas": 2}
    });
    assert_eq!(
        row("apps", "replicasets", rs),
        expect(json!([
            "test1",
            5,
            5,
            2,
            "0s",
            "fake-container1,fake-container2",
            "fake-image1,fake-image2",
            "foo=bar"
        ]))
    );
    let ds = json!({
        "metadata": {"name": "test1", "creationTimestamp": at(1)},
        "spec": {"template": {"spec": {"containers": containers()}}, "selector": {"matchLabels": {"foo": "bar"}}},
        "status": {"currentNumberScheduled": 2, "desiredNumberScheduled": 3, "numberReady": 1, "updatedNumberScheduled": 2, "numberAvailable": 0}
    });
    assert_eq!(
        row("apps", "daemonsets", ds),
        expect(json!([
            "test1",
            3,
            2,
            1,
            2,
            0,
            "<none>",
            "0s",
            "fake-container1,fake-container2",
            "fake-image1,fake-image2",
            "foo=bar"
        ]))
    );
    let sts = json!({
        "metadata": {"name": "test1", "creationTimestamp": at(1)},
        "spec": {"replicas": 5, "template": {"spec": {"containers": containers()}}},
        "status": {"replicas": 5, "readyReplicas": 2}
    });
    assert_eq!(
        row("apps", "statefulsets", sts),
        expect(json!(["test1", "2/5", "0s", "fake-container1,fake-container2", "fake-image1,fake-image2"]))
    );
    let rc = json!({
        "metadata": {"name": "rc1"},
        "spec": {"replicas": 5, "selector": {"a": "b"},
                 "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "test", "image": "test_image"}]}}},
        "status": {"replicas": 3, "readyReplicas": 1}
    });
    assert_eq!(
        row("", "replicationcontrollers", rc),
        expect(json!(["rc1", 5, 3, 1, "<unknown>", "test", "test_image", "a=b"]))
    );
    let bare_rc = json!({"metadata": {"annotations": {"k8s.io/initial-events-end": "true"}}, "spec": {"replicas": 0}});
    assert_eq!(row("", "replicationcontrollers", bare_rc), expect(json!(["", 0, 0, 0, "<unknown>", "", "", "<none>"])));
}

#[test]
fn controller_revisions() {
    let revision = |name: &str, owners: Value, number: i64| json!({"metadata": {"name": name, "creationTimestamp": at(1), "ownerReferences": owners}, "revision": number});
    let cases = vec![
        (
            revision(
                "test1",
                json!([{"controller": true, "apiVersion": "apps/v1", "kind": "DaemonSet", "name": "foo"}]),
                1,
            ),
            json!(["test1", "daemonset.apps/foo", 1, "0s"]),
        ),
        (
            revision("test2", json!([{"controller": false, "kind": "ABC", "name": "foo"}]), 2),
            json!(["test2", "<none>", 2, "0s"]),
        ),
        (revision("test3", json!([]), 3), json!(["test3", "<none>", 3, "0s"])),
        (
            revision("test4", json!([{"controller": true, "apiVersion": "v1", "kind": "Pod", "name": "p"}]), 4),
            json!(["test4", "pod/p", 4, "0s"]),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("apps", "controllerrevisions", object), expect(want));
    }
}

fn service(name: &str, spec: Value, status: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec, "status": status})
}

#[test]
fn services() {
    assert_eq!(
        column_names("", "services"),
        vec!["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]
    );
    let cases = vec![
        (
            service(
                "test1",
                json!({"type": "ClusterIP", "ports": [{"protocol": "tcp", "port": 2233}], "clusterIPs": ["10.9.8.7"], "selector": {"foo": "bar"}}),
                json!({}),
            ),
            json!(["test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>", "foo=bar"]),
        ),
        (
            service(
                "test2",
                json!({"type": "NodePort", "ports": [{"protocol": "tcp", "port": 8888, "nodePort": 9999}], "clusterIPs": ["10.9.8.7"]}),
                json!({}),
            ),
            json!(["test2", "NodePort", "10.9.8.7", "<none>", "8888:9999/tcp", "<unknown>", "<none>"]),
        ),
        (
            service(
                "test3",
                json!({"type": "LoadBalancer", "ports": [{"protocol": "tcp", "port": 8888}], "clusterIPs": ["10.9.8.7"]}),
                json!({}),
            ),
            json!(["test3", "LoadBalancer", "10.9.8.7", "<pending>", "8888/tcp", "<unknown>", "<none>"]),
        ),
        (
            service(
                "test4",
                json!({"type": "LoadBalancer", "ports": [{"protocol": "tcp", "port": 8888}], "clusterIPs": ["10.9.8.7"], "externalIPs": ["80.11.12.10"]}),
                json!({}),
            ),
            json!(["test4", "LoadBalancer", "10.9.8.7", "80.11.12.10", "8888/tcp", "<unknown>", "<none>"]),
        ),
        (
            service(
                "test5",
                json!({"type": "LoadBalancer", "ports": [{"protocol": "tcp", "port": 8888}], "clusterIPs": ["10.9.8.7"], "externalIPs": ["80.11.12.10"]}),
                json!({"loadBalancer": {"ingress": [{"ip": "3.4.5.6", "hostname": "test.cluster.com"}]}}),
            ),
            json!(["test5", "LoadBalancer", "10.9.8.7", "3.4.5.6,80.11.12.10", "8888/tcp", "<unknown>", "<none>"]),
        ),
        (
            service(
                "test6",
                json!({"type": "LoadBalancer", "ports": [{"protocol": "tcp", "port": 8888}], "clusterIPs": ["10.9.8.7"], "externalIPs": ["80.11.12.10", "80.11.12.11"]}),
                json!({"loadBalancer": {"ingress": [{"ip": "2.3.4.5", "hostname": "test.cluster.local"}, {"ip": "3.4.5.6", "hostname": "test.cluster.com"}]}}),
            ),
            json!([
                "test6",
                "LoadBalancer",
                "10.9.8.7",
                "2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11",
                "8888/tcp",
                "<unknown>",
                "<none>"
            ]),
        ),
        (
            service("test7", json!({"type": "ExternalName", "externalName": "my.database.example.com"}), json!({})),
            json!(["test7", "ExternalName", "<none>", "my.database.example.com", "<none>", "<unknown>", "<none>"]),
        ),
        // Server-side printing is wide, so many ingress points are not clipped.
        (
            service(
                "service4",
                json!({"type": "LoadBalancer", "clusterIPs": ["1.5.6.7"], "selector": {"foo": "bar"},
                "ports": [{"port": 80, "protocol": "TCP"}, {"port": 8090, "protocol": "UDP"}, {"port": 8000, "protocol": "TCP"}]}),
                json!({"loadBalancer": {"ingress": [{"ip": "2.3.4.5"}, {"ip": "3.4.5.6"}, {"ip": "5.6.7.8", "hostname": "host5678"}]}}),
            ),
            json!([
                "service4",
                "LoadBalancer",
                "1.5.6.7",
                "2.3.4.5,3.4.5.6,5.6.7.8",
                "80/TCP,8090/UDP,8000/TCP",
                "<unknown>",
                "foo=bar"
            ]),
        ),
        // A load balancer with hostnames only, and a clusterIP without clusterIPs.
        (
            service(
                "lb",
                json!({"type": "LoadBalancer", "clusterIP": "10.0.0.1", "ports": [{"port": 443, "protocol": "TCP", "nodePort": 30443}]}),
                json!({"loadBalancer": {"ingress": [{"hostname": "b.example.com"}, {"hostname": "a.example.com"}]}}),
            ),
            json!([
                "lb",
                "LoadBalancer",
                "10.0.0.1",
                "a.example.com,b.example.com",
                "443:30443/TCP",
                "<unknown>",
                "<none>"
            ]),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "services", object.clone()), expect(want), "service {object}");
    }
}

#[test]
fn nodes() {
    let node =
        |name: &str, spec: Value, status: Value| json!({"metadata": {"name": name}, "spec": spec, "status": status});
    let ready = json!({"conditions": [{"type": "Ready", "status": "True"}]});
    let not_ready = json!({"conditions": [{"type": "Ready", "status": "False"}]});
    let wide_unknown = ["<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"];
    let with_wide = |cells: Value| {
        let mut cells = expect(cells);
        cells.extend(wide_unknown.iter().map(|s| Value::from(*s)));
        cells
    };
    let cases = vec![
        (node("foo1", json!({}), ready.clone()), json!(["foo1", "Ready", "<none>", "<unknown>", ""])),
        (
            node("foo2", json!({"unschedulable": true}), ready.clone()),
            json!(["foo2", "Ready,SchedulingDisabled", "<none>", "<unknown>", ""]),
        ),
        (
            node(
                "foo3",
                json!({}),
                json!({"conditions": [{"type": "Ready", "status": "True"}, {"type": "Ready", "status": "True"}]}),
            ),
            json!(["foo3", "Ready", "<none>", "<unknown>", ""]),
        ),
        (node("foo4", json!({}), not_ready.clone()), json!(["foo4", "NotReady", "<none>", "<unknown>", ""])),
        (
            node("foo5", json!({"unschedulable": true}), not_ready),
            json!(["foo5", "NotReady,SchedulingDisabled", "<none>", "<unknown>", ""]),
        ),
        (
            node("foo6", json!({}), json!({"conditions": [{"type": "InvalidValue", "status": "True"}]})),
            json!(["foo6", "Unknown", "<none>", "<unknown>", ""]),
        ),
        (node("foo7", json!({}), json!({"conditions": [{}]})), json!(["foo7", "Unknown", "<none>", "<unknown>", ""])),
        (
            node(
                "foo8",
                json!({"unschedulable": true}),
                json!({"conditions": [{"type": "InvalidValue", "status": "True"}]}),
            ),
            json!(["foo8", "Unknown,SchedulingDisabled", "<none>", "<unknown>", ""]),
        ),
        (
            node("foo9", json!({"unschedulable": true}), json!({"conditions": [{}]})),
            json!(["foo9", "Unknown,SchedulingDisabled", "<none>", "<unknown>", ""]),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "nodes", object.clone()), with_wide(want), "node {object}");
    }

    let roles = json!({"metadata": {"name": "foo10", "labels": {
        "node-role.kubernetes.io/master": "", "node-role.kubernetes.io/control-plane": "",
        "node-role.kubernetes.io/proxy": "", "kubernetes.io/role": "node"}}});
    assert_eq!(
        row("", "nodes", roles),
        with_wide(json!(["foo10", "Unknown", "control-plane,master,node,proxy", "<unknown>", ""]))
    );
    let role = json!({"metadata": {"name": "foo11", "labels": {"kubernetes.io/role": "node"}}});
    assert_eq!(row("", "nodes", role), with_wide(json!(["foo11", "Unknown", "node", "<unknown>", ""])));

    let full = json!({
        "metadata": {"name": "worker-1", "creationTimestamp": at(-45 * DAY), "labels": {"node-role.kubernetes.io/worker": ""}},
        "status": {
            "conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}],
            "addresses": [
                {"type": "ExternalIP", "address": "2.2.2.2"},
                {"type": "InternalIP", "address": "3.3.3.3"},
                {"type": "ExternalIP", "address": "4.4.4.4"}
            ],
            "nodeInfo": {"kubeletVersion": "v1.35.0", "osImage": "Debian GNU/Linux 12 (bookworm)",
                         "kernelVersion": "6.1.0-18-amd64", "containerRuntimeVersion": "containerd://2.0.0"}
        }
    });
    assert_eq!(
        row("", "nodes", full),
        expect(json!([
            "worker-1",
            "Ready",
            "worker",
            "45d",
            "v1.35.0",
            "3.3.3.3",
            "2.2.2.2",
            "Debian GNU/Linux 12 (bookworm)",
            "6.1.0-18-amd64",
            "containerd://2.0.0"
        ]))
    );
}

#[test]
fn core_events() {
    assert_eq!(
        column_names("", "events"),
        vec!["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"]
    );
    assert_eq!(columns("", "events"), columns("events.k8s.io", "events"));
    let base = |name: &str, extra: Value| {
        let mut event = json!({
            "metadata": {"name": name},
            "source": {"component": "kubelet", "host": "Node1"},
            "involvedObject": {"kind": "Deployment", "name": "Deployment Name", "fieldPath": "spec.containers{foo}"},
            "reason": "Event Reason",
            "message": "Message Data",
            "type": "Warning"
        });
        if let (Some(target), Value::Object(extra)) = (event.as_object_mut(), extra) {
            target.extend(extra);
        }
        event
    };
    let tail = |last: &str, first: &str, count: i64, name: &str| {
        json!([
            last,
            "Warning",
            "Event Reason",
            "deployment/Deployment Name",
            "spec.containers{foo}",
            "kubelet, Node1",
            "Message Data",
            first,
            count,
            name
        ])
    };
    let cases = vec![
        (
            base("event2", json!({"firstTimestamp": at(-3 * DAY), "lastTimestamp": at(-2 * DAY), "count": 6})),
            tail("2d", "3d", 6, "event2"),
        ),
        (
            base("event3", json!({"eventTime": at(-3 * DAY), "lastTimestamp": at(-3 * DAY), "count": 1})),
            tail("3d", "3d", 1, "event3"),
        ),
        (
            base("event4", json!({"eventTime": at(-3 * DAY), "firstTimestamp": at(-3 * DAY), "count": 1})),
            tail("3d", "3d", 1, "event4"),
        ),
        (base("event5", json!({"eventTime": at(-3 * DAY), "count": 1})), tail("3d", "3d", 1, "event5")),
        (
            base(
                "event6",
                json!({"series": {"count": 2, "lastObservedTime": at(-2 * DAY)}, "eventTime": at(-3 * DAY)}),
            ),
            tail("2d", "3d", 2, "event6"),
        ),
        (base("event7", json!({"eventTime": at(-3 * DAY)})), tail("3d", "3d", 1, "event7")),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "events", object.clone()), expect(want), "event {object}");
    }

    let reporting = json!({
        "metadata": {"name": "event2"},
        "reportingComponent": "kubelet",
        "reportingInstance": "test",
        "involvedObject": {"kind": "Deployment", "name": "Deployment Name", "fieldPath": "spec.containers{foo}"},
        "reason": "Event Reason", "message": "Message Data",
        "firstTimestamp": at(-3 * DAY), "lastTimestamp": at(-2 * DAY), "count": 6, "type": "Warning"
    });
    assert_eq!(
        row("", "events", reporting),
        expect(json!([
            "2d",
            "Warning",
            "Event Reason",
            "deployment/Deployment Name",
            "spec.containers{foo}",
            "kubelet, test",
            "Message Data",
            "3d",
            6,
            "event2"
        ]))
    );

    let basic = json!({
        "metadata": {"name": "event1"},
        "source": {"component": "kubelet"},
        "involvedObject": {"kind": "Pod", "name": "Pod Name", "fieldPath": "spec.containers{foo}"},
        "reason": "Event Reason", "message": "  Message Data\n",
        "firstTimestamp": at(-3 * DAY), "lastTimestamp": at(-2 * DAY), "count": 6, "type": "Normal"
    });
    assert_eq!(
        row("", "events", basic),
        expect(json!([
            "2d",
            "Normal",
            "Event Reason",
            "pod/Pod Name",
            "spec.containers{foo}",
            "kubelet",
            "Message Data",
            "3d",
            6,
            "event1"
        ]))
    );
}

#[test]
fn events_k8s_io_events() {
    let event = json!({
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"name": "web.17a1"},
        "eventTime": format!("{}.000000Z", &at(-90)[..19]),
        "reportingController": "default-scheduler",
        "reportingInstance": "default-scheduler-node1",
        "action": "Binding",
        "reason": "Scheduled",
        "regarding": {"kind": "Pod", "namespace": "default", "name": "web"},
        "note": "Successfully assigned default/web to node1",
        "type": "Normal"
    });
    assert_eq!(
        row("events.k8s.io", "events", event),
        expect(json!([
            "90s",
            "Normal",
            "Scheduled",
            "pod/web",
            "",
            "default-scheduler, default-scheduler-node1",
            "Successfully assigned default/web to node1",
            "90s",
            1,
            "web.17a1"
        ]))
    );
    let deprecated = json!({
        "metadata": {"name": "old"},
        "regarding": {"kind": "Node"},
        "deprecatedSource": {"component": "kubelet", "host": "n1"},
        "deprecatedFirstTimestamp": at(-10 * MINUTE),
        "deprecatedLastTimestamp": at(-5 * MINUTE),
        "deprecatedCount": 4,
        "reason": "Rebooted", "note": "rebooted", "type": "Warning"
    });
    assert_eq!(
        row("events.k8s.io", "events", deprecated),
        expect(json!(["5m", "Warning", "Rebooted", "node", "", "kubelet, n1", "rebooted", "10m", 4, "old"]))
    );
}

fn job(name: &str, created: i64, spec: Value, status: Value) -> Value {
    json!({"metadata": {"name": name, "creationTimestamp": at(created)}, "spec": spec, "status": status})
}

#[test]
fn jobs() {
    assert_eq!(
        column_names("batch", "jobs"),
        vec!["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"]
    );
    let spec = json!({
        "completions": 2,
        "template": {"spec": {"containers": [
            {"name": "fake-job-container1", "image": "fake-job-image1"},
            {"name": "fake-job-container2", "image": "fake-job-image2"}
        ]}},
        "selector": {"matchLabels": {"job-label": "job-label-value"}}
    });
    let wide_none = ["", "", "<none>"];
    let with_empty_wide = |cells: Value| {
        let mut cells = expect(cells);
        cells.extend(wide_none.iter().map(|s| Value::from(*s)));
        cells
    };
    assert_eq!(
        row("batch", "jobs", job("job1", 1, spec, json!({"succeeded": 1}))),
        expect(json!([
            "job1",
            "Running",
            "1/2",
            "",
            "0s",
            "fake-job-container1,fake-job-container2",
            "fake-job-image1,fake-job-image2",
            "job-label=job-label-value"
        ]))
    );
    let ten_years = -10 * 365 * DAY;
    let cases = vec![
        (job("job2", ten_years, json!({}), json!({"succeeded": 0})), json!(["job2", "Running", "0/1", "", "10y"])),
        (
            job("job3", ten_years, json!({}), json!({"startTime": at(MINUTE), "completionTime": at(31 * MINUTE)})),
            json!(["job3", "Running", "0/1", "30m", "10y"]),
        ),
        (
            job("job4", ten_years, json!({}), json!({"startTime": at(-20 * MINUTE)})),
            json!(["job4", "Running", "0/1", "20m", "10y"]),
        ),
        (
            job("job5", 1, json!({}), json!({"conditions": [{"type": "Complete", "status": "True"}]})),
            json!(["job5", "Complete", "0/1", "", "0s"]),
        ),
        (
            job("job6", 1, json!({}), json!({"conditions": [{"type": "Failed", "status": "True"}]})),
            json!(["job6", "Failed", "0/1", "", "0s"]),
        ),
        (
            job("job7", 1, json!({}), json!({"conditions": [{"type": "Suspended", "status": "True"}]})),
            json!(["job7", "Suspended", "0/1", "", "0s"]),
        ),
        (
            job("job8", 1, json!({}), json!({"conditions": [{"type": "FailureTarget", "status": "True"}]})),
            json!(["job8", "FailureTarget", "0/1", "", "0s"]),
        ),
        (
            job("job10", 1, json!({}), json!({"conditions": [{"type": "SuccessCriteriaMet", "status": "True"}]})),
            json!(["job10", "SuccessCriteriaMet", "0/1", "", "0s"]),
        ),
        (
            job("parallel", 1, json!({"parallelism": 3}), json!({"succeeded": 2})),
            json!(["parallel", "Running", "2/1 of 3", "", "0s"]),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("batch", "jobs", object.clone()), with_empty_wide(want), "job {object}");
    }
    let mut deleting = job("job9", 1, json!({}), json!({}));
    deleting["metadata"]["deletionTimestamp"] = json!(at(1));
    assert_eq!(row("batch", "jobs", deleting), with_empty_wide(json!(["job9", "Terminating", "0/1", "", "0s"])));
}

#[test]
fn cron_jobs() {
    assert_eq!(
        column_names("batch", "cronjobs"),
        vec![
            "Name",
            "Schedule",
            "Timezone",
            "Suspend",
            "Active",
            "Last Schedule",
            "Age",
            "Containers",
            "Images",
            "Selector"
        ]
    );
    let job_template = json!({"spec": {
        "completions": 2,
        "template": {"spec": {"containers": [
            {"name": "fake-job-container1", "image": "fake-job-image1"},
            {"name": "fake-job-container2", "image": "fake-job-image2"}
        ]}},
        "selector": {"matchLabels": {"a": "b"}}
    }});
    let cron = |name: &str, created: i64, spec: Value, status: Value| json!({"metadata": {"name": name, "creationTimestamp": at(created)}, "spec": spec, "status": status});
    assert_eq!(
        row(
            "batch",
            "cronjobs",
            cron(
                "cronjob1",
                1,
                json!({"schedule": "0/5 * * * ?", "suspend": false, "jobTemplate": job_template}),
                json!({"lastScheduleTime": at(1)})
            )
        ),
        expect(json!([
            "cronjob1",
            "0/5 * * * ?",
            "<none>",
            "False",
            0,
            "0s",
            "0s",
            "fake-job-container1,fake-job-container2",
            "fake-job-image1,fake-job-image2",
            "a=b"
        ]))
    );
    assert_eq!(
        row(
            "batch",
            "cronjobs",
            cron(
                "cronjob1",
                1,
                json!({"schedule": "0/5 * * * ?", "timeZone": "LOCAL", "suspend": false, "jobTemplate": job_template}),
                json!({"lastScheduleTime": at(1)})
            )
        )[..7],
        expect(json!(["cronjob1", "0/5 * * * ?", "LOCAL", "False", 0, "0s", "0s"]))[..]
    );
    assert_eq!(
        row(
            "batch",
            "cronjobs",
            cron(
                "cronjob2",
                -5 * MINUTE,
                json!({"schedule": "0/5 * * * ?", "suspend": false}),
                json!({"lastScheduleTime": at(-30)})
            )
        ),
        expect(json!(["cronjob2", "0/5 * * * ?", "<none>", "False", 0, "30s", "5m", "", "", "<none>"]))
    );
    assert_eq!(
        row(
            "batch",
            "cronjobs",
            cron(
                "cronjob3",
                -5 * MINUTE,
                json!({"schedule": "0/5 * * * ?", "suspend": true}),
                json!({"active": [{"name": "cronjob3-1"}, {"name": "cronjob3-2"}]})
            )
        ),
        expect(json!(["cronjob3", "0/5 * * * ?", "<none>", "True", 2, "<none>", "5m", "", "", "<none>"]))
    );
    assert_eq!(row("batch", "cronjobs", cron("unset", 0, json!({}), json!({})))[3], json!("<unset>"));
}

#[test]
fn namespaces_secrets_config_maps_and_service_accounts() {
    let ns = json!({"metadata": {"name": "namespace1", "creationTimestamp": at(1)}, "status": {"phase": "FooStatus"}});
    assert_eq!(row("", "namespaces", ns), expect(json!(["namespace1", "FooStatus", "0s"])));
    assert_eq!(
        row("", "namespaces", json!({"metadata": {"name": "namespace2"}})),
        expect(json!(["namespace2", "", "<unknown>"]))
    );

    assert_eq!(column_names("", "secrets"), vec!["Name", "Type", "Data", "Age"]);
    let secret = json!({"metadata": {"name": "secret1", "creationTimestamp": at(1)},
        "type": "kubernetes.io/service-account-token", "data": {"token": "c2VjcmV0IGRhdGE="}});
    assert_eq!(row("", "secrets", secret), expect(json!(["secret1", "kubernetes.io/service-account-token", 1, "0s"])));
    let empty = json!({"metadata": {"name": "secret1", "creationTimestamp": at(1)}, "type": "kubernetes.io/service-account-token"});
    assert_eq!(row("", "secrets", empty), expect(json!(["secret1", "kubernetes.io/service-account-token", 0, "0s"])));

    let cm = |name: &str, extra: Value| {
        let mut object = json!({"metadata": {"name": name, "creationTimestamp": at(1)}});
        if let (Some(target), Value::Object(extra)) = (object.as_object_mut(), extra) {
            target.extend(extra);
        }
        object
    };
    assert_eq!(row("", "configmaps", cm("configmap1", json!({}))), expect(json!(["configmap1", 0, "0s"])));
    assert_eq!(
        row("", "configmaps", cm("configmap2", json!({"data": {"foo": "bar"}}))),
        expect(json!(["configmap2", 1, "0s"]))
    );
    assert_eq!(
        row(
            "",
            "configmaps",
            cm("configmap3", json!({"data": {"foo": "bar"}, "binaryData": {"bin": "YmluYXJ5IGRhdGE="}}))
        ),
        expect(json!(["configmap3", 2, "0s"]))
    );

    // Since 1.35 service accounts print no SECRETS count.
    assert_eq!(column_names("", "serviceaccounts"), vec!["Name", "Age"]);
    let sa = json!({"metadata": {"name": "sa1", "creationTimestamp": at(1)}, "secrets": [{"name": "Secret1"}]});
    assert_eq!(row("", "serviceaccounts", sa), expect(json!(["sa1", "0s"])));
}

#[test]
fn persistent_volumes() {
    assert_eq!(
        column_names("", "persistentvolumes"),
        vec![
            "Name",
            "Capacity",
            "Access Modes",
            "Reclaim Policy",
            "Status",
            "Claim",
            "StorageClass",
            "VolumeAttributesClass",
            "Reason",
            "Age",
            "VolumeMode"
        ]
    );
    let pv = |name: &str, spec: Value, phase: &str| {
        let mut spec = spec;
        spec["claimRef"] = json!({"name": "test", "namespace": "default"});
        json!({"metadata": {"name": name}, "spec": spec, "status": {"phase": phase}})
    };
    let cases = vec![
        (
            pv("test1", json!({"accessModes": ["ReadOnlyMany"], "capacity": {"storage": "4Gi"}}), "Bound"),
            json!(["test1", "4Gi", "ROX", "", "Bound", "default/test", "", "<unset>", "", "<unknown>", "<unset>"]),
        ),
        (
            pv("test2", json!({"accessModes": ["ReadOnlyMany"], "capacity": {"storage": "4Gi"}}), "Failed"),
            json!(["test2", "4Gi", "ROX", "", "Failed", "default/test", "", "<unset>", "", "<unknown>", "<unset>"]),
        ),
        (
            pv("test3", json!({"accessModes": ["ReadWriteMany"], "capacity": {"storage": "10Gi"}}), "Pending"),
            json!(["test3", "10Gi", "RWX", "", "Pending", "default/test", "", "<unset>", "", "<unknown>", "<unset>"]),
        ),
        (
            pv(
                "test4",
                json!({"storageClassName": "my-scn", "volumeAttributesClassName": "my-vacn",
                "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}),
                "Pending",
            ),
            json!([
                "test4",
                "10Gi",
                "RWO",
                "",
                "Pending",
                "default/test",
                "my-scn",
                "my-vacn",
                "",
                "<unknown>",
                "<unset>"
            ]),
        ),
        (
            pv(
                "test5",
                json!({"storageClassName": "my-scn", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}),
                "Available",
            ),
            json!([
                "test5",
                "10Gi",
                "RWO",
                "",
                "Available",
                "default/test",
                "my-scn",
                "<unset>",
                "",
                "<unknown>",
                "<unset>"
            ]),
        ),
        (
            pv(
                "test6",
                json!({"storageClassName": "my-scn", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}),
                "Released",
            ),
            json!([
                "test6",
                "10Gi",
                "RWO",
                "",
                "Released",
                "default/test",
                "my-scn",
                "<unset>",
                "",
                "<unknown>",
                "<unset>"
            ]),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "persistentvolumes", object.clone()), expect(want), "pv {object}");
    }
    let full = json!({
        "metadata": {"name": "pv-1", "creationTimestamp": at(-2 * HOUR), "deletionTimestamp": at(-1),
                     "annotations": {"volume.beta.kubernetes.io/storage-class": "beta"}},
        "spec": {"capacity": {"storage": "1024Mi"}, "accessModes": ["ReadWriteOncePod", "ReadWriteOnce", "ReadWriteMany"],
                 "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "fast", "volumeMode": "Block"},
        "status": {"phase": "Released", "reason": "Why"}
    });
    assert_eq!(
        row("", "persistentvolumes", full),
        expect(json!([
            "pv-1",
            "1Gi",
            "RWO,RWX,RWOP",
            "Retain",
            "Terminating",
            "",
            "beta",
            "<unset>",
            "Why",
            "120m",
            "Block"
        ]))
    );
}

#[test]
fn persistent_volume_claims() {
    let pvc =
        |name: &str, spec: Value, status: Value| json!({"metadata": {"name": name}, "spec": spec, "status": status});
    let cases = vec![
        (
            pvc(
                "test1",
                json!({"volumeName": "my-volume", "volumeMode": "Filesystem"}),
                json!({"phase": "Bound", "accessModes": ["ReadOnlyMany"], "capacity": {"storage": "4Gi"}}),
            ),
            json!(["test1", "Bound", "my-volume", "4Gi", "ROX", "", "<unset>", "<unknown>", "Filesystem"]),
        ),
        (
            pvc(
                "test2",
                json!({"volumeMode": "Filesystem"}),
                json!({"phase": "Lost", "accessModes": ["ReadOnlyMany"], "capacity": {"storage": "4Gi"}}),
            ),
            json!(["test2", "Lost", "", "", "", "", "<unset>", "<unknown>", "Filesystem"]),
        ),
        (
            pvc(
                "test3",
                json!({"volumeName": "my-volume", "volumeMode": "Filesystem"}),
                json!({"phase": "Pending", "accessModes": ["ReadWriteMany"], "capacity": {"storage": "10Gi"}}),
            ),
            json!(["test3", "Pending", "my-volume", "10Gi", "RWX", "", "<unset>", "<unknown>", "Filesystem"]),
        ),
        (
            pvc(
                "test4",
                json!({"volumeName": "my-volume", "storageClassName": "my-scn", "volumeMode": "Filesystem"}),
                json!({"phase": "Pending", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}),
            ),
            json!(["test4", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "<unset>", "<unknown>", "Filesystem"]),
        ),
        (
            pvc(
                "test5",
                json!({"volumeName": "my-volume", "storageClassName": "my-scn"}),
                json!({"phase": "Pending", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}),
            ),
            json!(["test5", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "<unset>", "<unknown>", "<unset>"]),
        ),
        (
            pvc(
                "test5",
                json!({"volumeName": "my-volume", "storageClassName": "my-scn", "volumeAttributesClassName": "my-vacn"}),
                json!({"phase": "Pending", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}),
            ),
            json!(["test5", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "my-vacn", "<unknown>", "<unset>"]),
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("", "persistentvolumeclaims", object.clone()), expect(want), "pvc {object}");
    }
}

fn hpa(spec_extra: Value, status_extra: Value) -> Value {
    let mut spec = json!({"scaleTargetRef": {"name": "some-rc", "kind": "ReplicationController"}, "minReplicas": 2, "maxReplicas": 10});
    let mut status = json!({"currentReplicas": 4, "desiredReplicas": 5});
    if let (Some(s), Value::Object(extra)) = (spec.as_object_mut(), spec_extra) {
        s.extend(extra);
    }
    if let (Some(s), Value::Object(extra)) = (status.as_object_mut(), status_extra) {
        s.extend(extra);
    }
    json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "some-hpa"}, "spec": spec, "status": status})
}

fn hpa_row(targets: &str) -> Vec<Value> {
    expect(json!(["some-hpa", "ReplicationController/some-rc", targets, "2", 10, 4, "<unknown>"]))
}

#[test]
fn horizontal_pod_autoscalers_v2() {
    assert_eq!(
        column_names("autoscaling", "horizontalpodautoscalers"),
        vec!["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"]
    );
    let mut unset = hpa(json!({}), json!({}));
    unset["spec"].as_object_mut().map(|s| s.remove("minReplicas"));
    assert_eq!(
        row("autoscaling", "horizontalpodautoscalers", unset),
        expect(json!(["some-hpa", "ReplicationController/some-rc", "<none>", "<unset>", 10, 4, "<unknown>"]))
    );
    let external = |target: Value| {
        json!({"metrics": [{"type": "External", "external": {
        "metric": {"name": "some-external-metric", "selector": {"matchLabels": {"label": "value"}}}, "target": target}}]})
    };
    let pods = json!({"metrics": [{"type": "Pods", "pods": {"metric": {"name": "some-pods-metric"},
        "target": {"type": "AverageValue", "averageValue": "100m"}}}]});
    let object = json!({"metrics": [{"type": "Object", "object": {"describedObject": {"name": "some-service", "kind": "Service"},
        "metric": {"name": "some-service-metric"}, "target": {"type": "Value", "value": "100m"}}}]});
    let resource = |kind: &str, target: Value| {
        let key = if kind == "Resource" { "resource" } else { "containerResource" };
        json!({"metrics": [{"type": kind, key: {"name": "cpu", "container": "application", "target": target}}]})
    };
    let resource_status = |kind: &str, current: Value| {
        let key = if kind == "Resource" { "resource" } else { "containerResource" };
        json!({"currentMetrics": [{"type": kind, key: {"name": "cpu", "container": "application", "current": current}}]})
    };
    let average = json!({"type": "AverageValue", "averageValue": "100m"});
    let utilization = json!({"type": "Utilization", "averageUtilization": 80});
    let cases = vec![
        (hpa(external(average.clone()), json!({})), "<unknown>/100m (avg)"),
        (
            hpa(
                external(average.clone()),
                json!({"currentMetrics": [{"type": "External", "external": {
                "metric": {"name": "some-external-metric"}, "current": {"averageValue": "50m"}}}]}),
            ),
            "50m/100m (avg)",
        ),
        (hpa(external(json!({"type": "Value", "value": "100m"})), json!({})), "<unknown>/100m"),
        (
            hpa(
                external(json!({"type": "Value", "value": "100m"})),
                json!({"currentMetrics": [{"type": "External", "external": {
                "metric": {"name": "some-external-metric"}, "current": {"value": "50m"}}}]}),
            ),
            "50m/100m",
        ),
        (hpa(pods.clone(), json!({})), "<unknown>/100m"),
        (
            hpa(
                pods.clone(),
                json!({"currentMetrics": [{"type": "Pods", "pods": {"metric": {"name": "some-pods-metric"}, "current": {"averageValue": "50m"}}}]}),
            ),
            "50m/100m",
        ),
        (hpa(object.clone(), json!({})), "<unknown>/100m"),
        (
            hpa(
                object.clone(),
                json!({"currentMetrics": [{"type": "Object", "object": {"describedObject": {"name": "some-service", "kind": "Service"},
                "metric": {"name": "some-service-metric"}, "current": {"value": "50m"}}}]}),
            ),
            "50m/100m",
        ),
        (hpa(resource("Resource", average.clone()), json!({})), "cpu: <unknown>/100m"),
        (
            hpa(resource("Resource", average.clone()), resource_status("Resource", json!({"averageValue": "50m"}))),
            "cpu: 50m/100m",
        ),
        (hpa(resource("Resource", utilization.clone()), json!({})), "cpu: <unknown>/80%"),
        (
            hpa(
                resource("Resource", utilization.clone()),
                resource_status("Resource", json!({"averageUtilization": 50, "averageValue": "40m"})),
            ),
            "cpu: 50%/80%",
        ),
        (hpa(resource("ContainerResource", average.clone()), json!({})), "cpu: <unknown>/100m"),
        (
            hpa(
                resource("ContainerResource", average.clone()),
                resource_status("ContainerResource", json!({"averageValue": "50m"})),
            ),
            "cpu: 50m/100m",
        ),
        (hpa(resource("ContainerResource", utilization.clone()), json!({})), "cpu: <unknown>/80%"),
        (
            hpa(
                resource("ContainerResource", utilization.clone()),
                resource_status("ContainerResource", json!({"averageUtilization": 50, "averageValue": "40m"})),
            ),
            "cpu: 50%/80%",
        ),
    ];
    for (object, want) in cases {
        assert_eq!(row("autoscaling", "horizontalpodautoscalers", object.clone()), hpa_row(want), "hpa {object}");
    }

    let multiple = hpa(
        json!({"metrics": [
            {"type": "Pods", "pods": {"metric": {"name": "some-pods-metric"}, "target": {"type": "AverageValue", "averageValue": "100m"}}},
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}},
            {"type": "Pods", "pods": {"metric": {"name": "other-pods-metric"}, "target": {"type": "AverageValue", "averageValue": "400m"}}}
        ]}),
        json!({"currentMetrics": [
            {"type": "Pods", "pods": {"metric": {"name": "some-pods-metric"}, "current": {"averageValue": "50m"}}},
            {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 50, "averageValue": "40m"}}}
        ]}),
    );
    assert_eq!(row("autoscaling", "horizontalpodautoscalers", multiple), hpa_row("50m/100m, cpu: 50%/80% + 1 more..."));
}

#[test]
fn horizontal_pod_autoscalers_v1() {
    let v1 = |spec: Value, status: Value, annotations: Value| {
        json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
               "metadata": {"name": "some-hpa", "annotations": annotations, "creationTimestamp": at(-4 * MINUTE)},
               "spec": spec, "status": status})
    };
    let spec = |target: Option<i64>| {
        let mut spec = json!({"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 5});
        if let Some(target) = target {
            spec["targetCPUUtilizationPercentage"] = json!(target);
        }
        spec
    };
    let cells = |targets: &str| expect(json!(["some-hpa", "Deployment/web", targets, "1", 5, 2, "4m"]));
    assert_eq!(
        row(
            "autoscaling",
            "horizontalpodautoscalers",
            v1(spec(Some(50)), json!({"currentReplicas": 2, "currentCPUUtilizationPercentage": 30}), json!({}))
        ),
        cells("cpu: 30%/50%")
    );
    // Without a target, autoscaling/v1 implies 80% CPU.
    assert_eq!(
        row("autoscaling", "horizontalpodautoscalers", v1(spec(None), json!({"currentReplicas": 2}), json!({}))),
        cells("cpu: <unknown>/80%")
    );
    // Metrics only autoscaling/v2 can express round-trip through annotations.
    let annotations = json!({
        "autoscaling.alpha.kubernetes.io/metrics": r#"[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10"}}]"#,
        "autoscaling.alpha.kubernetes.io/current-metrics": r#"[{"type":"Pods","pods":{"metricName":"qps","currentAverageValue":"7"}},{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":40,"currentAverageValue":"200m"}}]"#
    });
    assert_eq!(
        row(
            "autoscaling",
            "horizontalpodautoscalers",
            v1(spec(Some(50)), json!({"currentReplicas": 2, "currentCPUUtilizationPercentage": 40}), annotations)
        ),
        cells("7/10, cpu: 40%/50%")
    );
}

#[test]
fn role_bindings() {
    assert_eq!(
        column_names("rbac.authorization.k8s.io", "rolebindings"),
        vec!["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"]
    );
    let binding = |name: &str, subjects: Value, role_kind: &str, role: &str| {
        json!({
            "metadata": {"name": name, "creationTimestamp": at(1)},
            "subjects": subjects,
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role}
        })
    };
    for resource in ["rolebindings", "clusterrolebindings"] {
        assert_eq!(
            row(
                "rbac.authorization.k8s.io",
                resource,
                binding(
                    "binding1",
                    json!([{"kind": "User", "name": "system:kube-controller-manager"}]),
                    "Role",
                    "extension-apiserver-authentication-reader"
                )
            )[..3],
            expect(json!(["binding1", "Role/extension-apiserver-authentication-reader", "0s"]))[..]
        );
        assert_eq!(
            row(
                "rbac.authorization.k8s.io",
                resource,
                binding(
                    "binding2",
                    json!([
                        {"kind": "User", "name": "user-name"},
                        {"kind": "Group", "name": "group-name"},
                        {"kind": "ServiceAccount", "name": "service-account-name", "namespace": "service-account-namespace"}
                    ]),
                    "Role",
                    "role-name"
                )
            ),
            expect(json!([
                "binding2",
                "Role/role-name",
                "0s",
                "user-name",
                "group-name",
                "service-account-namespace/service-account-name"
            ]))
        );
    }
    let many = binding(
        "admins",
        json!([
            {"kind": "User", "name": "alice"}, {"kind": "User", "name": "bob"},
            {"kind": "Group", "name": "system:masters"}
        ]),
        "ClusterRole",
        "cluster-admin",
    );
    assert_eq!(
        row("rbac.authorization.k8s.io", "clusterrolebindings", many),
        expect(json!(["admins", "ClusterRole/cluster-admin", "0s", "alice, bob", "system:masters", ""]))
    );
    assert_eq!(
        columns("rbac.authorization.k8s.io", "clusterrolebindings")[3].description,
        "Users in the clusterRoleBinding"
    );
}

#[test]
fn default_table_for_resources_without_a_printer() {
    for (group, resource) in [
        ("rbac.authorization.k8s.io", "roles"),
        ("rbac.authorization.k8s.io", "clusterroles"),
        ("", "limitranges"),
        ("apiextensions.k8s.io", "customresourcedefinitions"),
        ("example.com", "widgets"),
    ] {
        let cols = columns(group, resource);
        assert_eq!(cols.len(), 2);
        assert_eq!((cols[0].name, cols[0].type_, cols[0].format, cols[0].priority), ("Name", "string", "name", 0));
        assert_eq!((cols[1].name, cols[1].type_, cols[1].format), ("Created At", "date", ""));
        assert!(cols[1].description.starts_with("CreationTimestamp is a timestamp"));
    }
    let role = json!({"metadata": {"name": "pod-reader", "creationTimestamp": "2024-05-06T07:08:09+02:00"}});
    assert_eq!(row("rbac.authorization.k8s.io", "roles", role), expect(json!(["pod-reader", "2024-05-06T05:08:09Z"])));
    assert_eq!(
        row("", "limitranges", json!({"metadata": {"name": "limits"}})),
        expect(json!(["limits", "0001-01-01T00:00:00Z"]))
    );
}

#[test]
fn ages_follow_human_duration() {
    let aged = |offset: i64| {
        row("", "namespaces", json!({"metadata": {"name": "n", "creationTimestamp": at(offset)}}))[2].clone()
    };
    let cases = [
        (3, "<invalid>"),
        (1, "0s"),
        (0, "0s"),
        (-30, "30s"),
        (-300, "5m"),
        (-6000, "100m"),
        (-2 * DAY, "2d"),
        (-90 * DAY, "90d"),
        (-10 * 365 * DAY, "10y"),
    ];
    for (offset, want) in cases {
        assert_eq!(aged(offset), json!(want), "offset {offset}");
    }
}

#[test]
fn ingresses_and_classes() {
    let ingress = json!({
        "metadata": {"name": "test1", "creationTimestamp": at(-10 * 365 * DAY)},
        "spec": {"ingressClassName": "foo", "defaultBackend": {"service": {"name": "default-backend", "port": {"name": "default-backend", "number": 80}}}},
        "status": {"loadBalancer": {"ingress": [{"ip": "2.3.4.5", "hostname": "localhost.localdomain"}]}}
    });
    assert_eq!(
        row("networking.k8s.io", "ingresses", ingress),
        expect(json!(["test1", "foo", "*", "2.3.4.5", "80", "10y"]))
    );
    let hosts = json!({
        "metadata": {"name": "hosts"},
        "spec": {"rules": [{"host": "a.com"}, {}, {"host": "b.com"}, {"host": "c.com"}, {"host": "d.com"}], "tls": [{"hosts": ["a.com"]}]}
    });
    assert_eq!(
        row("networking.k8s.io", "ingresses", hosts),
        expect(json!(["hosts", "<none>", "a.com,b.com,c.com + 2 more...", "", "80, 443", "<unknown>"]))
    );
    let class = |name: &str, params: Value| {
        json!({"metadata": {"name": name, "creationTimestamp": at(-10 * 365 * DAY)},
        "spec": {"controller": "example.com/controller", "parameters": params}})
    };
    assert_eq!(
        row("networking.k8s.io", "ingressclasses", class("test1", json!({"kind": "customgroup", "name": "example"}))),
        expect(json!(["test1", "example.com/controller", "customgroup/example", "10y"]))
    );
    assert_eq!(
        row(
            "networking.k8s.io",
            "ingressclasses",
            class("test1", json!({"apiGroup": "example.com", "kind": "customgroup", "name": "example"}))
        ),
        expect(json!(["test1", "example.com/controller", "customgroup.example.com/example", "10y"]))
    );
    assert_eq!(
        row("networking.k8s.io", "ingressclasses", class("test2", Value::Null)),
        expect(json!(["test2", "example.com/controller", "<none>", "10y"]))
    );
}

#[test]
fn endpoints_and_slices() {
    let endpoints =
        |subsets: Value| json!({"metadata": {"name": "ep", "creationTimestamp": at(1)}, "subsets": subsets});
    assert_eq!(row("", "endpoints", endpoints(json!(null))), expect(json!(["ep", "<none>", "0s"])));
    assert_eq!(
        row("", "endpoints", endpoints(json!([{"addresses": [{"ip": "1.2.3.4"}, {"ip": "5.6.7.8"}]}]))),
        expect(json!(["ep", "1.2.3.4,5.6.7.8", "0s"]))
    );
    assert_eq!(
        row(
            "",
            "endpoints",
            endpoints(
                json!([{"addresses": [{"ip": "1.2.3.4"}, {"ip": "5.6.7.8"}], "ports": [{"port": 8001, "protocol": "tcp"}]}])
            )
        ),
        expect(json!(["ep", "1.2.3.4:8001,5.6.7.8:8001", "0s"]))
    );
    assert_eq!(
        row(
            "",
            "endpoints",
            endpoints(
                json!([{"addresses": [{"ip": "1.2.3.4"}, {"ip": "5.6.7.8"}, {"ip": "9.8.7.6"}, {"ip": "6.6.6.6"}],
            "ports": [{"port": 8001, "protocol": "tcp"}]}])
            )
        ),
        expect(json!(["ep", "1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...", "0s"]))
    );
    assert_eq!(
        row("", "endpoints", endpoints(json!([{"addresses": [{"ip": "fd00::1"}], "ports": [{"port": 80}]}]))),
        expect(json!(["ep", "[fd00::1]:80", "0s"]))
    );

    let slice = |ports: Value, endpoints: Value| {
        json!({"metadata": {"name": "s", "creationTimestamp": at(-300)},
        "addressType": "IPv4", "ports": ports, "endpoints": endpoints})
    };
    assert_eq!(
        row(
            "discovery.k8s.io",
            "endpointslices",
            slice(
                json!([{"name": "http", "port": 80, "protocol": "TCP"}]),
                json!([{"addresses": ["10.1.2.3", "2001:db8::1234:5678"]}])
            )
        ),
        expect(json!(["s", "IPv4", "80", "10.1.2.3,2001:db8::1234:5678", "5m"]))
    );
    assert_eq!(
        row(
            "discovery.k8s.io",
            "endpointslices",
            slice(
                json!([{"port": 80}, {"port": 443}, {"port": 3000}, {"port": 3001}]),
                json!([{"addresses": ["10.1.2.3", "2001:db8::1234:5678"]}, {"addresses": ["10.2.3.4", "2001:db8::2345:6789"]}])
            )
        ),
        expect(json!([
            "s",
            "IPv4",
            "80,443,3000 + 1 more...",
            "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...",
            "5m"
        ]))
    );
    assert_eq!(
        row("discovery.k8s.io", "endpointslices", slice(json!([{"name": "named"}, {}]), json!([]))),
        expect(json!(["s", "IPv4", "named,*", "<unset>", "5m"]))
    );
}

#[test]
fn policy_certificates_and_quotas() {
    let pdb = |name: &str, spec: Value| {
        json!({"metadata": {"name": name, "namespace": "ns1", "creationTimestamp": at(1)},
        "spec": spec, "status": {"disruptionsAllowed": 5}})
    };
    assert_eq!(
        row("policy", "poddisruptionbudgets", pdb("pdb1", json!({"minAvailable": 22}))),
        expect(json!(["pdb1", "22", "N/A", 5, "0s"]))
    );
    assert_eq!(
        row("policy", "poddisruptionbudgets", pdb("pdb2", json!({"maxUnavailable": "10%"}))),
        expect(json!(["pdb2", "N/A", "10%", 5, "0s"]))
    );

    let csr = |spec: Value, status: Value| json!({"metadata": {"name": "csr1", "creationTimestamp": at(1)}, "spec": spec, "status": status});
    assert_eq!(
        row("certificates.k8s.io", "certificatesigningrequests", csr(json!({}), json!({}))),
        expect(json!(["csr1", "0s", "<none>", "", "<none>", "Pending"]))
    );
    assert_eq!(
        row(
            "certificates.k8s.io",
            "certificatesigningrequests",
            csr(
                json!({"username": "CSR Requestor", "signerName": "example.com/test-signer", "expirationSeconds": 7 * DAY + HOUR}),
                json!({"conditions": [{"type": "Approved"}]})
            )
        ),
        expect(json!(["csr1", "0s", "example.com/test-signer", "CSR Requestor", "7d1h", "Approved"]))
    );
    assert_eq!(
        row(
            "certificates.k8s.io",
            "certificatesigningrequests",
            csr(
                json!({"username": "CSR Requestor"}),
                json!({"conditions": [{"type": "Approved"}, {"type": "Failed"}], "certificate": "Y2VydCBkYXRh"})
            )
        )[5],
        json!("Approved,Failed,Issued")
    );
    assert_eq!(
        row(
            "certificates.k8s.io",
            "certificatesigningrequests",
            csr(json!({}), json!({"conditions": [{"type": "Approved"}, {"type": "Denied"}]}))
        )[5],
        json!("Denied")
    );

    let quota = json!({
        "metadata": {"name": "test-resourcequota", "creationTimestamp": at(-300)},
        "status": {
            "used": {"cpu": "1", "memory": "1Gi", "pods": "1", "services": "1", "replicationcontrollers": "1",
                     "resourcequotas": "1", "limits.cpu": "2", "limits.memory": "2Gi"},
            "hard": {"cpu": "100", "memory": "4Gi", "pods": "10", "services": "10", "replicationcontrollers": "10",
                     "resourcequotas": "1", "limits.cpu": "200", "limits.memory": "8Gi"}
        }
    });
    assert_eq!(
        row("", "resourcequotas", quota),
        expect(json!([
            "test-resourcequota",
            "cpu: 1/100, memory: 1Gi/4Gi, pods: 1/10, replicationcontrollers: 1/10, resourcequotas: 1/1, services: 1/10",
            "limits.cpu: 2/200, limits.memory: 2Gi/8Gi",
            "5m"
        ]))
    );
}

#[test]
fn storage_classes_and_drivers() {
    let sc = |name: &str, created: i64, extra: Value| {
        let mut object =
            json!({"metadata": {"name": name, "creationTimestamp": at(created)}, "provisioner": "kubernetes.io/nfs"});
        if let (Some(target), Value::Object(extra)) = (object.as_object_mut(), extra) {
            target.extend(extra);
        }
        object
    };
    assert_eq!(
        row("storage.k8s.io", "storageclasses", sc("sc2", -300, json!({}))),
        expect(json!(["sc2", "kubernetes.io/nfs", "Delete", "Immediate", false, "5m"]))
    );
    assert_eq!(
        row(
            "storage.k8s.io",
            "storageclasses",
            sc(
                "sc6",
                -300,
                json!({"reclaimPolicy": "Retain", "allowVolumeExpansion": true, "volumeBindingMode": "WaitForFirstConsumer"})
            )
        ),
        expect(json!(["sc6", "kubernetes.io/nfs", "Retain", "WaitForFirstConsumer", true, "5m"]))
    );
    let mut default = sc("standard", -300, json!({}));
    default["metadata"]["annotations"] = json!({"storageclass.kubernetes.io/is-default-class": "true"});
    assert_eq!(row("storage.k8s.io", "storageclasses", default)[0], json!("standard (default)"));

    let driver = json!({"metadata": {"name": "csi.example.com", "creationTimestamp": at(-300)},
        "spec": {"podInfoOnMount": true, "volumeLifecycleModes": ["Persistent", "Ephemeral"], "tokenRequests": [{"audience": "a"}, {"audience": "b"}]}});
    assert_eq!(
        row("storage.k8s.io", "csidrivers", driver),
        expect(json!(["csi.example.com", true, true, false, "a,b", false, "Persistent,Ephemeral", "5m"]))
    );
    let capacity = json!({"metadata": {"name": "cap"}, "storageClassName": "fast", "capacity": "1500Mi"});
    assert_eq!(row("storage.k8s.io", "csistoragecapacities", capacity), expect(json!(["cap", "fast", "1500Mi"])));
    let attachment = json!({"metadata": {"name": "va", "creationTimestamp": at(-300)},
        "spec": {"attacher": "csi.example.com", "nodeName": "n1", "source": {"persistentVolumeName": "pv1"}}, "status": {"attached": true}});
    assert_eq!(
        row("storage.k8s.io", "volumeattachments", attachment),
        expect(json!(["va", "csi.example.com", "pv1", "n1", true, "5m"]))
    );
    assert_eq!(columns("storage.k8s.io", "volumeattachments")[1].format, "name");
}

#[test]
fn leases_priority_and_flow_control() {
    let lease =
        json!({"metadata": {"name": "lease2", "creationTimestamp": at(-300)}, "spec": {"holderIdentity": "holder2"}});
    assert_eq!(row("coordination.k8s.io", "leases", lease), expect(json!(["lease2", "holder2", "5m"])));

    let pc = json!({"metadata": {"name": "pc2", "creationTimestamp": at(-300)}, "value": 1_000_000_000, "globalDefault": true, "preemptionPolicy": "PreemptLowerPriority"});
    assert_eq!(
        row("scheduling.k8s.io", "priorityclasses", pc),
        expect(json!(["pc2", 1_000_000_000, true, "5m", "PreemptLowerPriority"]))
    );

    let fs = |name: &str, precedence: i64, extra: Value| {
        let mut object = json!({"metadata": {"name": name, "creationTimestamp": at(-300)},
            "spec": {"priorityLevelConfiguration": {"name": "allee"}, "matchingPrecedence": precedence}});
        if let (Some(target), Value::Object(extra)) = (object.as_object_mut(), extra) {
            target.extend(extra);
        }
        object
    };
    assert_eq!(
        row(
            "flowcontrol.apiserver.k8s.io",
            "flowschemas",
            fs(
                "some-matcher",
                0,
                json!({
            "status": {"conditions": [{"type": "Dangling", "status": "True"}]}})
            )
        ),
        expect(json!(["some-matcher", "allee", 0, "<none>", "5m", "True"]))
    );
    let mut by_user = fs("all-matcher", 2_147_483_647, json!({}));
    by_user["spec"]["distinguisherMethod"] = json!({"type": "ByUser"});
    assert_eq!(
        row("flowcontrol.apiserver.k8s.io", "flowschemas", by_user),
        expect(json!(["all-matcher", "allee", 2_147_483_647, "ByUser", "5m", "?"]))
    );
    let schemas = vec![fs("b", 1000, json!({})), fs("z", 10, json!({})), fs("a", 1000, json!({}))];
    assert_eq!(list_order("flowcontrol.apiserver.k8s.io", "flowschemas", &schemas), vec![1, 2, 0]);
    assert_eq!(list_order("", "pods", &schemas), vec![0, 1, 2]);

    let level = |spec: Value| json!({"metadata": {"name": "pl", "creationTimestamp": at(1)}, "spec": spec});
    assert_eq!(
        row("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations", level(json!({"type": "Exempt"}))),
        expect(json!(["pl", "Exempt", "<none>", "<none>", "<none>", "<none>", "0s"]))
    );
    assert_eq!(
        row(
            "flowcontrol.apiserver.k8s.io",
            "prioritylevelconfigurations",
            level(json!({"type": "Limited",
            "limited": {"nominalConcurrencyShares": 42, "limitResponse": {"type": "Queue",
                "queuing": {"queues": 8, "handSize": 3, "queueLengthLimit": 4}}}}))
        ),
        expect(json!(["pl", "Limited", 42, 8, 3, 4, "0s"]))
    );
}

#[test]
fn networking_cidrs_and_addresses() {
    let cidr = json!({"metadata": {"name": "test9"}, "spec": {"cidrs": ["10.1.0.0/16", "fd00:1:1::/64"]}});
    assert_eq!(
        row("networking.k8s.io", "servicecidrs", cidr),
        expect(json!(["test9", "10.1.0.0/16,fd00:1:1::/64", "<unknown>"]))
    );
    // Like kube-apiserver: two columns, three cells.
    assert_eq!(column_names("networking.k8s.io", "ipaddresses"), vec!["Name", "ParentRef"]);
    let ip = json!({"metadata": {"name": "192.168.2.2", "creationTimestamp": at(-10 * 365 * DAY)},
        "spec": {"parentRef": {"group": "mygroup", "resource": "myresource", "namespace": "mynamespace", "name": "myname"}}});
    assert_eq!(
        row("networking.k8s.io", "ipaddresses", ip),
        expect(json!(["192.168.2.2", "myresource.mygroup/mynamespace/myname", "10y"]))
    );
    let policy = json!({"metadata": {"name": "policy1", "creationTimestamp": at(1)}, "spec": {}});
    assert_eq!(row("networking.k8s.io", "networkpolicies", policy), expect(json!(["policy1", "<none>", "0s"])));
}

#[test]
fn admission_and_api_services() {
    let binding = json!({"metadata": {"name": "config", "creationTimestamp": at(-300)},
        "spec": {"policyName": "test-scale.example.com", "paramRef": {"name": "test-scale-setting.example.com", "parameterNotFoundAction": "Deny"}}});
    assert_eq!(
        row("admissionregistration.k8s.io", "validatingadmissionpolicybindings", binding),
        expect(json!(["config", "test-scale.example.com", "*/test-scale-setting.example.com", "5m"]))
    );
    let policy = json!({"metadata": {"name": "p", "creationTimestamp": at(-300)},
        "spec": {"paramKind": {"apiVersion": "v1", "kind": "ConfigMap"}, "validations": [{"expression": "true"}, {"expression": "1 == 1"}]}});
    assert_eq!(
        row("admissionregistration.k8s.io", "validatingadmissionpolicies", policy),
        expect(json!(["p", 2, "v1/ConfigMap", "5m"]))
    );
    let hooks =
        json!({"metadata": {"name": "hooks", "creationTimestamp": at(-300)}, "webhooks": [{"name": "a.example.com"}]});
    assert_eq!(
        row("admissionregistration.k8s.io", "mutatingwebhookconfigurations", hooks),
        expect(json!(["hooks", 1, "5m"]))
    );

    assert_eq!(column_names("apiregistration.k8s.io", "apiservices"), vec!["Name", "Service", "Available", "Age"]);
    let local = json!({"metadata": {"name": "v1.apps", "creationTimestamp": at(-300)},
        "spec": {"group": "apps", "version": "v1"}, "status": {"conditions": [{"type": "Available", "status": "True", "reason": "Local"}]}});
    assert_eq!(row("apiregistration.k8s.io", "apiservices", local), expect(json!(["v1.apps", "Local", "True", "5m"])));
    let remote = json!({"metadata": {"name": "v1beta1.metrics.k8s.io", "creationTimestamp": at(-300)},
        "spec": {"service": {"namespace": "kube-system", "name": "metrics-server"}},
        "status": {"conditions": [{"type": "Available", "status": "False", "reason": "MissingEndpoints"}]}});
    assert_eq!(
        row("apiregistration.k8s.io", "apiservices", remote),
        expect(json!(["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)", "5m"]))
    );
}

#[test]
fn dynamic_resource_allocation() {
    let claim = |status: Value, deleting: bool| {
        let mut object =
            json!({"metadata": {"name": "test-resourceclaim", "creationTimestamp": at(-300)}, "status": status});
        if deleting {
            object["metadata"]["deletionTimestamp"] = json!(at(0));
        }
        object
    };
    assert_eq!(
        row("resource.k8s.io", "resourceclaims", claim(json!({}), false)),
        expect(json!(["test-resourceclaim", "pending", "5m"]))
    );
    assert_eq!(
        row(
            "resource.k8s.io",
            "resourceclaims",
            claim(
                json!({"allocation": {}, "reservedFor": [{"resource": "pods", "name": "pod-test", "uid": "pod-test"}]}),
                false
            )
        ),
        expect(json!(["test-resourceclaim", "allocated,reserved", "5m"]))
    );
    assert_eq!(
        row("resource.k8s.io", "resourceclaims", claim(json!({}), true)),
        expect(json!(["test-resourceclaim", "deleted", "5m"]))
    );
    let slice = json!({"metadata": {"name": "test-resourceslice", "creationTimestamp": at(-300)},
        "spec": {"nodeName": "nodeName", "driver": "driverName", "pool": {"name": "poolName", "resourceSliceCount": 1}}});
    assert_eq!(
        row("resource.k8s.io", "resourceslices", slice),
        expect(json!(["test-resourceslice", "nodeName", "driverName", "poolName", "5m"]))
    );
    let class = json!({"metadata": {"name": "test-deviceclass"}});
    assert_eq!(row("resource.k8s.io", "deviceclasses", class), expect(json!(["test-deviceclass", "<unknown>"])));
}

#[test]
fn scale_subresources() {
    assert_eq!(column_names("apps", "deployments/scale"), vec!["Name", "Desired", "Available", "Age"]);
    assert_eq!(columns("apps", "deployments/scale")[0].format, "");
    let scale = json!({"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "test-autoscaling", "creationTimestamp": at(1)},
        "spec": {"replicas": 2}, "status": {"replicas": 1}});
    assert_eq!(row("apps", "deployments/scale", scale), expect(json!(["test-autoscaling", 2, 1, "0s"])));
    assert_eq!(columns("", "pods/status"), columns("", "pods"));
}

#[test]
fn every_printer_prints_as_many_cells_as_columns() {
    let resources = [
        ("", "pods"),
        ("", "podtemplates"),
        ("", "replicationcontrollers"),
        ("", "services"),
        ("", "endpoints"),
        ("", "nodes"),
        ("", "events"),
        ("", "namespaces"),
        ("", "secrets"),
        ("", "serviceaccounts"),
        ("", "persistentvolumes"),
        ("", "persistentvolumeclaims"),
        ("", "componentstatuses"),
        ("", "configmaps"),
        ("", "resourcequotas"),
        ("", "limitranges"),
        ("apps", "replicasets"),
        ("apps", "daemonsets"),
        ("apps", "statefulsets"),
        ("apps", "deployments"),
        ("apps", "controllerrevisions"),
        ("batch", "jobs"),
        ("batch", "cronjobs"),
        ("autoscaling", "horizontalpodautoscalers"),
        ("policy", "poddisruptionbudgets"),
        ("networking.k8s.io", "ingresses"),
        ("networking.k8s.io", "ingressclasses"),
        ("networking.k8s.io", "networkpolicies"),
        ("networking.k8s.io", "servicecidrs"),
        ("discovery.k8s.io", "endpointslices"),
        ("events.k8s.io", "events"),
        ("rbac.authorization.k8s.io", "rolebindings"),
        ("rbac.authorization.k8s.io", "clusterrolebindings"),
        ("certificates.k8s.io", "certificatesigningrequests"),
        ("certificates.k8s.io", "clustertrustbundles"),
        ("certificates.k8s.io", "podcertificaterequests"),
        ("coordination.k8s.io", "leases"),
        ("coordination.k8s.io", "leasecandidates"),
        ("storage.k8s.io", "storageclasses"),
        ("storage.k8s.io", "volumeattributesclasses"),
        ("storage.k8s.io", "volumeattachments"),
        ("storage.k8s.io", "csinodes"),
        ("storage.k8s.io", "csidrivers"),
        ("storage.k8s.io", "csistoragecapacities"),
        ("admissionregistration.k8s.io", "mutatingwebhookconfigurations"),
        ("admissionregistration.k8s.io", "validatingwebhookconfigurations"),
        ("admissionregistration.k8s.io", "validatingadmissionpolicies"),
        ("admissionregistration.k8s.io", "validatingadmissionpolicybindings"),
        ("admissionregistration.k8s.io", "mutatingadmissionpolicies"),
        ("admissionregistration.k8s.io", "mutatingadmissionpolicybindings"),
        ("scheduling.k8s.io", "priorityclasses"),
        ("node.k8s.io", "runtimeclasses"),
        ("flowcontrol.apiserver.k8s.io", "flowschemas"),
        ("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations"),
        ("internal.apiserver.k8s.io", "storageversions"),
        ("storagemigration.k8s.io", "storageversionmigrations"),
        ("resource.k8s.io", "deviceclasses"),
        ("resource.k8s.io", "resourceclaims"),
        ("resource.k8s.io", "resourceclaimtemplates"),
        ("resource.k8s.io", "resourceslices"),
        ("resource.k8s.io", "devicetaintrules"),
        ("apiregistration.k8s.io", "apiservices"),
        ("apps", "statefulsets/scale"),
    ];
    let empty = json!({});
    for (group, resource) in resources {
        let printed = cells(group, resource, &empty, NOW);
        let declared = columns(group, resource).len();
        assert_eq!(printed.len(), declared, "{group}/{resource}");
        for cell in &printed {
            assert!(!cell.is_null(), "{group}/{resource} printed a null cell");
        }
    }
    // The exception kube-apiserver has: IP addresses print an age without a column.
    assert_eq!(cells("networking.k8s.io", "ipaddresses", &empty, NOW).len(), 3);
}

#[test]
fn mistyped_objects_print_without_panicking() {
    let objects = [
        json!(null),
        json!("pod"),
        json!({"metadata": "x", "spec": [1, 2], "status": 5}),
        json!({"metadata": {"name": 7, "creationTimestamp": 12, "deletionTimestamp": "never", "labels": [1]},
               "spec": {"containers": "c", "initContainers": [1], "replicas": "3", "selector": {"matchLabels": [1], "matchExpressions": {}},
                        "ports": [{"port": "80"}], "metrics": [{"type": "Pods", "pods": 3}], "template": 1, "jobTemplate": []},
               "status": {"conditions": [1, "x"], "containerStatuses": [{"state": 1, "lastState": {"terminated": 2}}],
                          "initContainerStatuses": [{"state": {"terminated": {"exitCode": "1"}}}], "hard": {"cpu": 1.5}, "used": []}}),
    ];
    let resources = [
        ("", "pods"),
        ("", "services"),
        ("", "nodes"),
        ("", "events"),
        ("events.k8s.io", "events"),
        ("", "persistentvolumes"),
        ("", "persistentvolumeclaims"),
        ("", "resourcequotas"),
        ("", "endpoints"),
        ("apps", "deployments"),
        ("apps", "daemonsets"),
        ("apps", "controllerrevisions"),
        ("batch", "jobs"),
        ("batch", "cronjobs"),
        ("autoscaling", "horizontalpodautoscalers"),
        ("networking.k8s.io", "ingresses"),
        ("discovery.k8s.io", "endpointslices"),
        ("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations"),
        ("admissionregistration.k8s.io", "validatingadmissionpolicybindings"),
        ("example.com", "widgets"),
    ];
    for (group, resource) in resources {
        for object in &objects {
            let printed = cells(group, resource, object, NOW);
            assert_eq!(printed.len(), columns(group, resource).len(), "{group}/{resource} {object}");
        }
    }
    let mut v1 = json!({"apiVersion": "autoscaling/v1", "metadata": {"annotations": {
        "autoscaling.alpha.kubernetes.io/metrics": "not json", "autoscaling.alpha.kubernetes.io/current-metrics": "[1]"}}});
    assert_eq!(cells("autoscaling", "horizontalpodautoscalers", &v1, NOW)[2], json!("cpu: <unknown>/80%"));
    v1["spec"] = json!({"targetCPUUtilizationPercentage": 70});
    assert_eq!(cells("autoscaling", "horizontalpodautoscalers", &v1, NOW)[2], json!("cpu: <unknown>/70%"));
}
