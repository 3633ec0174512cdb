//! Writes that go through more than the main resource: a pod's binding (as
//! kube-scheduler sends it, protobuf included), dry-run deletes with the
//! option in the DeleteOptions body (where client-go puts it), finalizers
//! under a grace period, and events.k8s.io Events stored as core Events.

use kubox_api::protobuf::encode_object;
use kubox_tests::{HttpResponse, Kubox};
use serde_json::{Value, json};

const PODS: &str = "/api/v1/namespaces/default/pods";
const CONFIGMAPS: &str = "/api/v1/namespaces/default/configmaps";
const JSON: (&str, &str) = ("Content-Type", "application/json");
const PROTOBUF: &str = "application/vnd.kubernetes.protobuf";

fn post(k: &Kubox, path: &str, body: &Value) -> HttpResponse {
    k.request("POST", path, &[JSON], body.to_string().as_bytes(), true)
}

fn pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
           "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
}

fn binding(name: &str, node: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": name},
           "target": {"apiVersion": "v1", "kind": "Node", "name": node}})
}

#[test]
fn a_binding_sets_the_node_and_the_scheduled_condition() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    for name in ["json", "pb"] {
        assert_eq!(post(&k, PODS, &pod(name)).status, 201);
    }
    let r = post(&k, &format!("{PODS}/json/binding"), &binding("json", "node-a"));
    assert_eq!(r.status, 201, "{}", r.text());
    // kube-scheduler sends the same as protobuf.
    let body = encode_object(&binding("pb", "node-b")).unwrap();
    let r = k.request("POST", &format!("{PODS}/pb/binding"), &[("Content-Type", PROTOBUF)], &body, true);
    assert_eq!(r.status, 201, "{}", r.text());

    for (name, node) in [("json", "node-a"), ("pb", "node-b")] {
        let p = k.request("GET", &format!("{PODS}/{name}"), &[], b"", true).json();
        assert_eq!(p["spec"]["nodeName"], node, "{p}");
        let conditions = p["status"]["conditions"].as_array().cloned().unwrap_or_default();
        assert!(conditions.iter().any(|c| c["type"] == "PodScheduled" && c["status"] == "True"), "{p}");
    }
    // A bound pod cannot be bound again.
    let r = post(&k, &format!("{PODS}/json/binding"), &binding("json", "node-c"));
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("pod json is already assigned to node \\\"node-a\\\""), "{}", r.text());
}

#[test]
fn a_dry_run_in_the_delete_options_body_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kept"}});
    assert_eq!(post(&k, CONFIGMAPS, &cm).status, 201);
    let options = json!({"kind": "DeleteOptions", "apiVersion": "v1", "dryRun": ["All"]});
    let r = k.request("DELETE", &format!("{CONFIGMAPS}/kept"), &[JSON], options.to_string().as_bytes(), true);
    assert_eq!(r.status, 200, "{}", r.text());
    // The same as deletecollection.
    let r = k.request("DELETE", CONFIGMAPS, &[JSON], options.to_string().as_bytes(), true);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("kept"), "the dry run reports what it would delete: {}", r.text());
    assert_eq!(k.request("GET", &format!("{CONFIGMAPS}/kept"), &[], b"", true).status, 200);
    // kubectl's own dry run, end to end.
    k.kubectl(&["delete", "configmap", "kept", "--dry-run=server"]).ok();
    assert_eq!(k.request("GET", &format!("{CONFIGMAPS}/kept"), &[], b"", true).status, 200);

    let bad = json!({"kind": "DeleteOptions", "apiVersion": "v1", "dryRun": ["Some"]});
    let r = k.request("DELETE", &format!("{CONFIGMAPS}/kept"), &[JSON], bad.to_string().as_bytes(), true);
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["details"]["causes"][0]["field"], "dryRun");
    assert_eq!(k.request("GET", &format!("{CONFIGMAPS}/kept"), &[], b"", true).status, 200);
}

#[test]
fn removing_the_last_finalizer_deletes_only_without_a_running_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    // A bound pod with a finalizer, deleted with a grace period: it is
    // terminating, and stays when the finalizer goes (the kubelet would
    // finish the delete), as on kube-apiserver.
    let mut p = pod("graceful");
    p["metadata"]["finalizers"] = json!(["example.com/hold"]);
    p["spec"]["nodeName"] = json!("node-a");
    assert_eq!(post(&k, PODS, &p).status, 201);
    let r = k.request("DELETE", &format!("{PODS}/graceful?gracePeriodSeconds=30"), &[], b"", true);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["metadata"]["deletionGracePeriodSeconds"], 30);
    let patch = br#"{"metadata":{"finalizers":null}}"#;
    let merge = ("Content-Type", "application/merge-patch+json");
    let r = k.request("PATCH", &format!("{PODS}/graceful"), &[merge], patch, true);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(k.request("GET", &format!("{PODS}/graceful"), &[], b"", true).status, 200);

    // A ConfigMap with a finalizer goes when the finalizer does.
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "held", "finalizers": ["example.com/hold"]}});
    assert_eq!(post(&k, CONFIGMAPS, &cm).status, 201);
    assert_eq!(k.request("DELETE", &format!("{CONFIGMAPS}/held"), &[], b"", true).status, 200);
    assert_eq!(k.request("GET", &format!("{CONFIGMAPS}/held"), &[], b"", true).status, 200);
    let r = k.request("PATCH", &format!("{CONFIGMAPS}/held"), &[merge], patch, true);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(k.request("GET", &format!("{CONFIGMAPS}/held"), &[], b"", true).status, 404);
}

#[test]
fn events_k8s_io_events_are_core_events_under_other_names() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let new_events = "/apis/events.k8s.io/v1/namespaces/default/events";
    let event = json!({
        "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e1"},
        "eventTime": "2026-01-02T03:04:05.000000Z", "action": "Pull", "reason": "Pulled", "type": "Normal",
        "note": "pulled the image", "reportingController": "kubox.test/c", "reportingInstance": "i",
        "regarding": {"kind": "Pod", "name": "web", "namespace": "default"},
    });
    assert_eq!(post(&k, new_events, &event).status, 201);
    // Read through the core API: the same object with core names.
    let core = k.request("GET", "/api/v1/namespaces/default/events/e1", &[], b"", true).json();
    assert_eq!(core["apiVersion"], "v1");
    assert_eq!(core["involvedObject"]["name"], "web", "{core}");
    assert_eq!(core["message"], "pulled the image");
    assert_eq!(core["reportingComponent"], "kubox.test/c");
    // Field selectors use each API's own names.
    let by_new = k.request("GET", &format!("{new_events}?fieldSelector=regarding.name%3Dweb"), &[], b"", true).json();
    assert_eq!(by_new["items"].as_array().unwrap().len(), 1, "{by_new}");
    assert_eq!(by_new["items"][0]["note"], "pulled the image");
    let none = k.request("GET", &format!("{new_events}?fieldSelector=regarding.name%3Dother"), &[], b"", true).json();
    assert_eq!(none["items"].as_array().unwrap().len(), 0, "{none}");
    let by_core = k.request(
        "GET",
        "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb,reportingComponent%3Dkubox.test%2Fc",
        &[],
        b"",
        true,
    );
    assert_eq!(by_core.json()["items"].as_array().unwrap().len(), 1, "{}", by_core.text());
}

#[test]
fn back_to_back_updates_are_never_lost() {
    // An update starts from the watch cache's copy, which can trail the
    // store by a moment right after a write. Setting a value back right
    // after changing it (a patch, so without a resourceVersion) must still
    // be written, not taken for a no-op. Over HTTP the cache has usually
    // caught up before the next request arrives, so this checks the outcome
    // rather than reliably reproducing the race; the rule that only the
    // store may confirm a no-op is in `read_modify_write`.
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let cm = |v: &str| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "flip"}, "data": {"v": v}});
    assert_eq!(post(&k, CONFIGMAPS, &cm("1")).status, 201);
    let path = format!("{CONFIGMAPS}/flip");
    for round in 0..50 {
        for v in ["2", "1"] {
            let patch = json!({"data": {"v": v}}).to_string();
            let merge = ("Content-Type", "application/merge-patch+json");
            let r = k.request("PATCH", &path, &[merge], patch.as_bytes(), true);
            assert_eq!(r.status, 200, "{}", r.text());
            assert_eq!(r.json()["data"]["v"], v, "round {round}: the answer shows the write");
        }
        let now = k.request("GET", &path, &[], b"", true).json();
        assert_eq!(now["data"]["v"], "1", "round {round}: the last write is stored");
    }
}

#[test]
fn an_update_without_a_resource_version_writes_unconditionally() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let cm = |v: &str| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "u"}, "data": {"v": v}});
    assert_eq!(post(&k, CONFIGMAPS, &cm("1")).status, 201);
    // kubectl replace of a manifest without metadata.resourceVersion.
    let r = k.request("PUT", &format!("{CONFIGMAPS}/u"), &[JSON], cm("2").to_string().as_bytes(), true);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["data"]["v"], "2");
    // A stale resourceVersion is still a conflict.
    let mut stale = cm("3");
    stale["metadata"]["resourceVersion"] = json!("1");
    let r = k.request("PUT", &format!("{CONFIGMAPS}/u"), &[JSON], stale.to_string().as_bytes(), true);
    assert_eq!(r.status, 409, "{}", r.text());
}
