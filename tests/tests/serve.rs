//! `kubox serve` end to end: health endpoints and /version (open, as
//! kube-apiserver's), everything else refused to anonymous requests (403, as
//! RBAC grants system:anonymous nothing there), clean shutdown, the data directory lock, and a clear error
//! for damaged data.

use std::time::Duration;

use kubox_tests::{Kubox, run_kubox};

#[test]
fn health_endpoints_answer_like_kube_apiserver() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    assert_eq!(kubox.get("/healthz"), (200, "ok".to_string()));
    assert_eq!(kubox.get("/livez"), (200, "ok".to_string()));
    assert_eq!(kubox.get("/readyz"), (200, "ok".to_string()));
    assert_eq!(kubox.get("/livez?verbose"), (200, "[+]ping ok\n[+]store ok\nlivez check passed\n".to_string()));
    assert_eq!(
        kubox.get("/readyz?verbose"),
        (200, "[+]ping ok\n[+]store ok\n[+]raft ok\n[+]shutdown ok\nreadyz check passed\n".to_string())
    );
    assert_eq!(kubox.get("/healthz?verbose"), (200, "[+]ping ok\n[+]store ok\nhealthz check passed\n".to_string()));
    assert_eq!(kubox.get("/readyz/store"), (200, "ok".to_string()));
    assert_eq!(kubox.get("/readyz/raft"), (200, "ok".to_string()));
    assert_eq!(kubox.get("/readyz/no-such-check").0, 404);
    let (status, body) = kubox.get("/readyz?verbose&exclude=store");
    assert_eq!(status, 200);
    assert!(body.contains("[+]store excluded: ok\n"), "{body}");
}

#[test]
fn version_is_open_and_the_api_needs_a_client_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    let version = kubox.request("GET", "/version", &[], b"", false);
    assert_eq!(version.status, 200);
    let v = version.json();
    assert_eq!(
        (v["major"].as_str(), v["minor"].as_str(), v["gitVersion"].as_str()),
        (Some("1"), Some("35"), Some("v1.35.0"))
    );
    let anonymous = kubox.request("GET", "/api/v1/namespaces", &[], b"", false);
    assert_eq!(anonymous.status, 403);
    assert_eq!(
        anonymous.json(),
        serde_json::json!({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
            "message":"namespaces is forbidden: User \"system:anonymous\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope",
            "reason":"Forbidden","details":{"kind":"namespaces"},"code":403})
    );
    let admin = kubox.request("GET", "/api/v1/namespaces", &[], b"", true);
    assert_eq!(admin.status, 200);
    let names: Vec<String> = admin.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["default", "kube-node-lease", "kube-public", "kube-system"]);
    // The kubeconfig kubox wrote works for kubectl right away.
    let out = kubox.kubectl(&["get", "ns", "-o", "name"]).ok();
    assert_eq!(out, "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n");
}

#[test]
fn sigterm_shuts_down_cleanly_and_releases_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    assert_eq!(kubox.get("/readyz").0, 200);
    let exit = kubox.stop(libc::SIGTERM, Duration::from_secs(15));
    assert!(exit.status.success(), "exit {:?}: {}", exit.status, exit.stderr);
    assert!(exit.stderr.contains("signal=\"SIGTERM\""), "{}", exit.stderr);
    assert!(exit.stderr.contains("kubox stopped"), "{}", exit.stderr);
    // The same directory opens again at once.
    let again = Kubox::start(dir.path());
    assert_eq!(again.get("/livez"), (200, "ok".to_string()));
}

#[test]
fn survives_kill_9_and_serves_again() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    let exit = kubox.stop(libc::SIGKILL, Duration::from_secs(5));
    assert!(!exit.status.success());
    // A killed process leaves its lock file behind, but not the lock.
    let again = Kubox::start(dir.path());
    assert_eq!(again.get("/readyz/store"), (200, "ok".to_string()));
}

#[test]
fn objects_survive_a_restart_and_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    kubox.kubectl(&["create", "configmap", "kept", "--from-literal=k=v"]).ok();
    let exit = kubox.stop(libc::SIGKILL, Duration::from_secs(5));
    assert!(!exit.status.success());
    let again = Kubox::start(dir.path());
    assert_eq!(again.kubectl(&["get", "configmap", "kept", "-o", "jsonpath={.data.k}"]).ok(), "v");
    // The built-in objects are not created twice.
    assert_eq!(again.kubectl(&["get", "svc", "kubernetes", "-o", "jsonpath={.spec.clusterIP}"]).ok(), "10.96.0.1");
}

#[test]
fn a_second_process_on_the_same_data_directory_fails_naming_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let first = Kubox::start(dir.path());
    let data_dir = dir.path().to_str().unwrap();
    let second = run_kubox(&["serve", "--secure-port", "0", "--data-dir", data_dir], Duration::from_secs(30));
    assert_eq!(second.status.code(), Some(1), "{}", second.stderr);
    let lock = dir.path().join("kubox.lock");
    assert!(second.stderr.contains(&format!("lock file {} is held", lock.display())), "{}", second.stderr);
    assert!(second.stderr.contains("in use by another process"), "{}", second.stderr);
    // The first one is unharmed.
    assert_eq!(first.get("/readyz"), (200, "ok".to_string()));
}

#[test]
fn a_damaged_store_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store/db");
    std::fs::create_dir_all(&db).unwrap();
    std::fs::write(db.join("000009.sst"), b"not a table").unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let exit = run_kubox(&["serve", "--secure-port", "0", "--data-dir", data_dir], Duration::from_secs(30));
    assert_eq!(exit.status.code(), Some(1));
    assert!(exit.stderr.contains("no CURRENT file"), "{}", exit.stderr);
    assert!(exit.stderr.contains("stored data is corrupt"), "{}", exit.stderr);
}

#[test]
fn history_is_compacted_at_the_compaction_interval() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start_with(dir.path(), &["--etcd-compaction-interval", "1s"]);
    let cms = "/api/v1/namespaces/default/configmaps";
    let create = |name: &str| {
        let body = format!(r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"{name}"}}}}"#);
        let r = kubox.request("POST", cms, &[("Content-Type", "application/json")], body.as_bytes(), true);
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["metadata"]["resourceVersion"].as_str().unwrap().to_string()
    };
    let first = create("a");
    // Two ticks later the store is compacted past the first write: a list at
    // that revision (read from the store) is told 410 Expired, as
    // kube-apiserver's would be once etcd compacted.
    let exact = format!("{cms}?resourceVersion={first}&resourceVersionMatch=Exact");
    assert_eq!(kubox.request("GET", &exact, &[], b"", true).status, 200);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    for i in 0.. {
        create(&format!("b{i}"));
        let r = kubox.request("GET", &exact, &[], b"", true);
        if r.status == 410 {
            assert_eq!(r.json()["reason"], "Expired", "{}", r.text());
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never compacted: {}", r.text());
        std::thread::sleep(Duration::from_millis(500));
    }
    // The data written is all there.
    let r = kubox.request("GET", &format!("{cms}/a"), &[], b"", true);
    assert_eq!(r.json()["metadata"]["resourceVersion"], first.as_str());
}
