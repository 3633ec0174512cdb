//! Auditing end to end: the real kubox with `--audit-policy-file` and
//! `--audit-log-path` (levels, stages, decisions, impersonation, failed
//! authentication, no secret values at Metadata, the Audit-Id header,
//! rotation) and `--audit-webhook-config-file` (batches received by a test
//! HTTPS server).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubox_tests::Kubox;
use rcgen::{CertificateParams, KeyPair};
use serde_json::{Value, json};

const POLICY: &str = r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    nonResourceURLs: ["/openapi*"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
  - level: RequestResponse
    omitManagedFields: true
    resources:
      - group: ""
        resources: ["configmaps"]
  - level: Request
    omitStages: ["RequestReceived"]
    resources:
      - group: ""
        resources: ["pods"]
  - level: Metadata
"#;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Every event in the log and its rotated files.
fn events(log: &Path) -> Vec<Value> {
    let dir = log.parent().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("audit"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        for line in BufReader::new(std::fs::File::open(&f).unwrap()).lines() {
            let line = line.unwrap();
            out.push(serde_json::from_str(&line).unwrap_or_else(|e| panic!("not an event ({e}): {line}")));
        }
    }
    out
}

/// The events of one request, waiting until `want` of them are written.
fn events_of(log: &Path, audit_id: &str, want: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found: Vec<Value> = events(log).into_iter().filter(|e| e["auditID"] == audit_id).collect();
        if found.len() >= want || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stages(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["stage"].as_str().unwrap()).collect()
}

#[test]
fn levels_stages_decisions_and_users_are_recorded_as_kube_apiserver_records_them() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write(dir.path(), "policy.yaml", POLICY);
    let tokens = write(dir.path(), "tokens.csv", "alice-token,alice,1001,dev\n");
    let log = dir.path().join("logs/audit.log");
    let k = Kubox::start_with(
        &dir.path().join("data"),
        &["--token-auth-file", &tokens, "--audit-policy-file", &policy, "--audit-log-path", &log.to_string_lossy()],
    );

    // Metadata: who, what and the outcome, never the Secret's value.
    k.kubectl(&["create", "secret", "generic", "s1", "--from-literal=password=hunter2-secret-value"]).ok();
    let secret_events: Vec<Value> =
        events(&log).into_iter().filter(|e| e["objectRef"]["resource"] == "secrets" && e["verb"] == "create").collect();
    assert_eq!(stages(&secret_events), ["RequestReceived", "ResponseComplete"], "{secret_events:#?}");
    let done = &secret_events[1];
    assert_eq!(done["level"], "Metadata");
    assert_eq!(done["user"]["username"], "kubernetes-admin");
    assert_eq!(
        done["objectRef"],
        json!({"resource": "secrets", "namespace": "default", "name": "s1", "apiVersion": "v1"})
    );
    assert_eq!(done["responseStatus"], json!({"metadata": {}, "code": 201}));
    assert_eq!(done["annotations"]["authorization.k8s.io/decision"], "allow");
    assert!(done.get("requestObject").is_none() && done.get("responseObject").is_none());
    assert!(done["userAgent"].as_str().unwrap().starts_with("kubectl"), "{done}");
    assert_eq!(done["sourceIPs"], json!(["127.0.0.1"]));
    assert!(done["stageTimestamp"].as_str().unwrap() >= done["requestReceivedTimestamp"].as_str().unwrap());
    let all = std::fs::read_to_string(&log).unwrap();
    assert!(!all.contains("hunter2") && !all.contains("aHVudGVyMi1zZWNyZXQtdmFsdWU"), "a secret value was audited");

    // RequestResponse: both bodies, without managedFields; the Audit-Id
    // header names the events.
    let created = k.request(
        "POST",
        "/api/v1/namespaces/default/configmaps",
        &[("Content-Type", "application/json"), ("Audit-ID", "cm-create-1")],
        br#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"},"data":{"k":"v"}}"#,
        true,
    );
    assert_eq!(created.status, 201);
    assert_eq!(created.header("audit-id"), Some("cm-create-1"));
    let cm = events_of(&log, "cm-create-1", 2);
    assert_eq!(stages(&cm), ["RequestReceived", "ResponseComplete"]);
    assert!(cm[0].get("annotations").is_none(), "authorization comes after RequestReceived: {}", cm[0]);
    assert_eq!(cm[1]["level"], "RequestResponse");
    assert_eq!(cm[1]["requestObject"]["data"], json!({"k": "v"}));
    assert_eq!(cm[1]["responseObject"]["metadata"]["uid"], created.json()["metadata"]["uid"]);
    assert!(cm[1]["responseObject"]["metadata"].get("managedFields").is_none());
    assert_eq!(cm[1]["objectRef"]["name"], "c1");

    // Request, with RequestReceived left out; a list has no request body.
    let listed = k.request("GET", "/api/v1/namespaces/default/pods?limit=5", &[("Audit-ID", "pods-list-1")], b"", true);
    assert_eq!(listed.status, 200);
    let pods = events_of(&log, "pods-list-1", 1);
    assert_eq!(stages(&pods), ["ResponseComplete"]);
    assert_eq!(pods[0]["verb"], "list");
    assert_eq!(pods[0]["requestURI"], "/api/v1/namespaces/default/pods?limit=5");
    assert!(pods[0].get("requestObject").is_none() && pods[0].get("responseObject").is_none());

    // A denied request: the decision, and the Status in responseStatus.
    let denied = k.request(
        "GET",
        "/api/v1/namespaces/default/pods",
        &[("Authorization", "Bearer alice-token"), ("Audit-ID", "alice-1")],
        b"",
        false,
    );
    assert_eq!(denied.status, 403);
    let alice = events_of(&log, "alice-1", 1);
    assert_eq!(
        alice[0]["user"],
        json!({"username": "alice", "uid": "1001", "groups": ["dev", "system:authenticated"]})
    );
    assert_eq!(alice[0]["annotations"]["authorization.k8s.io/decision"], "forbid");
    assert_eq!(alice[0]["responseStatus"]["code"], 403);
    assert_eq!(alice[0]["responseStatus"]["reason"], "Forbidden");
    assert_eq!(alice[0]["responseStatus"]["status"], "Failure");
    assert!(alice[0]["responseStatus"]["message"].as_str().unwrap().contains("cannot list resource \"pods\""));

    // Impersonation: the authenticated user, and the user acted as.
    let as_alice = k.request(
        "GET",
        "/api/v1/namespaces/default/configmaps/c1",
        &[("Impersonate-User", "alice"), ("Audit-ID", "as-alice-1")],
        b"",
        true,
    );
    assert_eq!(as_alice.status, 403);
    let imp = events_of(&log, "as-alice-1", 2);
    assert_eq!(imp[1]["user"]["username"], "kubernetes-admin");
    assert_eq!(imp[1]["impersonatedUser"], json!({"username": "alice", "groups": ["system:authenticated"]}));
    assert_eq!(imp[1]["annotations"]["authorization.k8s.io/decision"], "forbid");

    // Failed authentication: one ResponseStarted event with upstream's words.
    let unknown =
        k.request("GET", "/api/v1/pods", &[("Authorization", "Bearer nope"), ("Audit-ID", "bad-1")], b"", false);
    assert_eq!(unknown.status, 401);
    let bad = events_of(&log, "bad-1", 1);
    assert_eq!(stages(&bad), ["ResponseStarted"]);
    assert_eq!(bad[0]["user"], json!({}));
    assert_eq!(
        bad[0]["responseStatus"],
        json!({"metadata": {}, "message": "Authentication failed, attempted: bearer", "code": 401})
    );

    // A watch is long-running: ResponseStarted when it starts,
    // ResponseComplete when it ends.
    let watched = k.request(
        "GET",
        "/api/v1/namespaces/default/secrets?watch=1&timeoutSeconds=1",
        &[("Audit-ID", "watch-1")],
        b"",
        true,
    );
    assert_eq!(watched.status, 200);
    let watch = events_of(&log, "watch-1", 3);
    assert_eq!(stages(&watch), ["RequestReceived", "ResponseStarted", "ResponseComplete"]);
    assert_eq!(watch[2]["verb"], "watch");

    // Rules with nonResourceURLs: /openapi is not recorded, /apis is.
    let apis = k.request("GET", "/apis", &[("Audit-ID", "apis-1")], b"", true);
    assert_eq!(apis.status, 200);
    let openapi = k.request("GET", "/openapi/v3", &[("Audit-ID", "openapi-1")], b"", true);
    assert_eq!(openapi.status, 200);
    let apis = events_of(&log, "apis-1", 2);
    assert_eq!(apis[1]["verb"], "get");
    assert!(apis[1].get("objectRef").is_none());
    assert!(events(&log).iter().all(|e| e["auditID"] != "openapi-1"));

    // Every response carries an Audit-Id, a fresh UUID when none was sent.
    let id = k.request("GET", "/api/v1/namespaces", &[], b"", true);
    assert_eq!(id.header("audit-id").map(str::len), Some(36));
}

#[test]
fn the_log_rotates_at_maxsize_and_keeps_maxbackup_files() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write(dir.path(), "policy.yaml", POLICY);
    let log = dir.path().join("logs/audit.log");
    let k = Kubox::start_with(
        &dir.path().join("data"),
        &[
            "--audit-policy-file",
            &policy,
            "--audit-log-path",
            &log.to_string_lossy(),
            "--audit-log-maxsize",
            "1",
            "--audit-log-maxbackup",
            "2",
        ],
    );
    // Each create is audited with its ~150 kB request and response.
    let value = "x".repeat(150_000);
    for i in 0..14 {
        let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("big-{i}")}, "data": {"v": value}});
        let r = k.request(
            "POST",
            "/api/v1/namespaces/default/configmaps",
            &[("Content-Type", "application/json"), ("Audit-ID", &format!("big-{i}"))],
            body.to_string().as_bytes(),
            true,
        );
        assert_eq!(r.status, 201);
    }
    events_of(&log, "big-13", 2);
    let mut backups: Vec<String> = std::fs::read_dir(log.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "audit.log")
        .collect();
    backups.sort();
    assert_eq!(backups.len(), 2, "{backups:?}");
    for name in &backups {
        // audit-2026-11-25T04-00-00.123.log
        assert!(
            name.starts_with("audit-20")
                && name.ends_with(".log")
                && name.len() == "audit-2006-01-02T15-04-05.000.log".len(),
            "{name}"
        );
        let size = std::fs::metadata(log.parent().unwrap().join(name)).unwrap().len();
        assert!(size <= 1024 * 1024, "{name} is {size} bytes");
    }
    // Nothing is lost or torn at a rotation: the newest events are whole.
    let all = events(&log);
    assert!(all.iter().any(|e| e["auditID"] == "big-13" && e["stage"] == "ResponseComplete"));
    assert_eq!(all.iter().filter(|e| e["auditID"] == "big-13").count(), 2);
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&log).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
}

/// A test audit webhook: HTTPS with its own CA, recording the bodies it
/// receives.
struct Sink {
    port: u16,
    ca_pem: String,
    bodies: Arc<Mutex<Vec<Value>>>,
}

fn start_sink() -> Sink {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap().self_signed(&key).unwrap();
    let ca_pem = cert.pem();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
            )
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { continue };
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let mut reader = BufReader::new(&mut tls);
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            if let Ok(v) = serde_json::from_slice(&body) {
                seen.lock().unwrap().push(v);
            }
            let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = tls.flush();
        }
    });
    Sink { port, ca_pem, bodies }
}

#[test]
fn events_are_sent_to_the_webhook_in_event_lists() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write(dir.path(), "policy.yaml", POLICY);
    let sink = start_sink();
    use base64::Engine;
    let kubeconfig = json!({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "audit", "cluster": {
            "server": format!("https://127.0.0.1:{}/audit", sink.port),
            "certificate-authority-data": base64::engine::general_purpose::STANDARD.encode(&sink.ca_pem)}}],
        "users": [{"name": "kubox", "user": {}}],
        "contexts": [{"name": "audit", "context": {"cluster": "audit", "user": "kubox"}}],
        "current-context": "audit",
    });
    let config = write(dir.path(), "webhook.kubeconfig", &kubeconfig.to_string());
    let k = Kubox::start_with(
        &dir.path().join("data"),
        &[
            "--audit-policy-file",
            &policy,
            "--audit-webhook-config-file",
            &config,
            "--audit-webhook-batch-max-wait",
            "1s",
        ],
    );
    for i in 0..3 {
        let r =
            k.request("GET", "/api/v1/namespaces/default/configmaps", &[("Audit-ID", &format!("hook-{i}"))], b"", true);
        assert_eq!(r.status, 200);
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let bodies = sink.bodies.lock().unwrap().clone();
        let items: Vec<&Value> = bodies.iter().flat_map(|b| b["items"].as_array().unwrap().iter()).collect();
        let ours: Vec<&&Value> =
            items.iter().filter(|e| e["auditID"].as_str().is_some_and(|id| id.starts_with("hook-"))).collect();
        if ours.len() >= 6 {
            assert!(bodies.iter().all(|b| b["kind"] == "EventList" && b["apiVersion"] == "audit.k8s.io/v1"));
            for i in 0..3 {
                let id = format!("hook-{i}");
                let s: Vec<&str> =
                    ours.iter().filter(|e| e["auditID"] == id.as_str()).map(|e| e["stage"].as_str().unwrap()).collect();
                assert_eq!(s, ["RequestReceived", "ResponseComplete"]);
            }
            let complete = ours.iter().find(|e| e["stage"] == "ResponseComplete").unwrap();
            assert_eq!(complete["level"], "RequestResponse");
            assert_eq!(complete["responseObject"]["kind"], "ConfigMapList");
            break;
        }
        assert!(Instant::now() < deadline, "the webhook got {bodies:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(k);
}

#[test]
fn a_bad_policy_stops_the_start_with_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let policy =
        write(dir.path(), "policy.yaml", "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Sometimes\n");
    let exit = kubox_tests::cluster::refused_start(
        &dir.path().join("data"),
        "127.0.0.1",
        &["--audit-policy-file", &policy, "--audit-log-path", "-"],
    );
    assert!(exit.stderr.contains("audit policy") && exit.stderr.contains("Sometimes"), "{}", exit.stderr);
}
