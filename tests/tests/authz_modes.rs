//! The authorization modes besides RBAC through real clients: the Node
//! authorizer (a kubelet's token reaches what its pods use and follows pod
//! changes), ABAC from a policy file, and a webhook answering
//! SubjectAccessReviews (cached, and skipped when down), with kubectl, `kubectl
//! auth can-i` and plain HTTPS.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubox_tests::{KubectlOutput, Kubox};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::{Value, json};

/// kubectl against `k` with a bearer token instead of the admin
/// certificate.
fn as_token(k: &Kubox, token: &str, args: &[&str]) -> KubectlOutput {
    let server = format!("https://{}", k.address);
    let ca = k.data_dir.join("pki").join("ca.crt").to_string_lossy().to_string();
    let mut all = vec!["--kubeconfig=/dev/null", "--server", &server, "--certificate-authority", &ca];
    all.extend(["--token", token]);
    all.extend(args);
    k.kubectl_with(&kubox_tests::kubectl_binary(), &all, &[])
}

/// A request with a bearer token; the status and the body.
fn http(k: &Kubox, token: &str, method: &str, path: &str, content_type: &str, body: &str) -> (u16, Value) {
    let auth = format!("Bearer {token}");
    let r =
        k.request(method, path, &[("authorization", &auth), ("content-type", content_type)], body.as_bytes(), false);
    let value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    (r.status, value)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().to_string()
}

/// Retries `f` until it is true, for up to `within`.
fn eventually(within: Duration, what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !f() {
        assert!(Instant::now() < deadline, "not within {within:?}: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn can_i(k: &Kubox, args: &[&str]) -> String {
    let mut all = vec!["auth", "can-i"];
    all.extend(args);
    let out = k.kubectl(&all);
    // "no" may be followed by " - REASON".
    out.stdout.trim().to_string()
}

#[test]
fn node_authorizer_follows_the_pods_bound_to_a_node() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = write(
        dir.path(),
        "tokens.csv",
        "n1-token,system:node:n1,n1,\"system:nodes\"\nn2-token,system:node:n2,n2,\"system:nodes\"\n",
    );
    // The default modes: Node,RBAC.
    let k = Kubox::start_with(&dir.path().join("data"), &["--token-auth-file", &tokens]);
    let objects = r#"
apiVersion: v1
kind: Secret
metadata: {name: s1, namespace: default}
stringData: {k: one}
---
apiVersion: v1
kind: Secret
metadata: {name: s2, namespace: default}
stringData: {k: two}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c1, namespace: default}
data: {k: one}
---
apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
---
apiVersion: v1
kind: Pod
metadata: {name: p1, namespace: default}
spec:
  nodeName: n1
  containers:
  - name: c
    image: busybox
    envFrom: [{configMapRef: {name: c1}}]
  volumes:
  - {name: s, secret: {secretName: s1}}
---
apiVersion: v1
kind: Pod
metadata: {name: p2, namespace: default}
spec:
  nodeName: n2
  containers: [{name: c, image: busybox}]
  volumes:
  - {name: s, secret: {secretName: s2}}
"#;
    let file = write(dir.path(), "objects.yaml", objects);
    k.kubectl(&["apply", "-f", &file]).ok();
    let _ = k.kubectl(&["create", "namespace", "kube-node-lease"]);

    // What its pods use, and nothing of n2's.
    eventually(Duration::from_secs(5), "n1 reads s1", || {
        as_token(&k, "n1-token", &["get", "secret", "s1", "-o", "name"]).success
    });
    assert_eq!(as_token(&k, "n1-token", &["get", "configmap", "c1", "-o", "name"]).ok().trim(), "configmap/c1");
    let denied = as_token(&k, "n1-token", &["get", "secret", "s2"]);
    assert!(!denied.success);
    assert!(
        denied.stderr.contains(
            r#"secrets "s2" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'n1' and this object"#
        ),
        "{}",
        denied.stderr
    );
    assert!(as_token(&k, "n2-token", &["get", "secret", "s2", "-o", "name"]).success);
    // No lists of secrets.
    let list = as_token(&k, "n1-token", &["get", "secrets"]);
    assert!(list.stderr.contains("cannot list resource \"secrets\""), "{}", list.stderr);
    // Pods: only with its node's field selector, or one of its own.
    assert!(as_token(&k, "n1-token", &["get", "pods", "--field-selector", "spec.nodeName=n1"]).success);
    let pods = as_token(&k, "n1-token", &["get", "pods"]);
    assert!(pods.stderr.contains("can only list/watch pods with spec.nodeName field selector"), "{}", pods.stderr);
    assert!(as_token(&k, "n1-token", &["get", "pod", "p1"]).success);
    assert!(!as_token(&k, "n1-token", &["get", "pod", "p2"]).success);

    // Its own Node object, not another's.
    assert!(as_token(&k, "n1-token", &["get", "node", "n1"]).success);
    let other = as_token(&k, "n1-token", &["get", "node", "n2"]);
    assert!(other.stderr.contains("node 'n1' cannot read 'n2', only its own Node object"), "{}", other.stderr);
    let status = r#"{"status": {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}]}}"#;
    let (code, body) = http(&k, "n1-token", "PATCH", "/api/v1/nodes/n1/status", "application/merge-patch+json", status);
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["status"]["conditions"][0]["reason"], "KubeletReady");
    // Another node's status: the Node authorizer allows it, as upstream's;
    // the NodeRestriction admission plugin is what narrows it.
    assert_eq!(
        can_i(
            &k,
            &["--as", "system:node:n1", "--as-group", "system:nodes", "patch", "nodes/n2", "--subresource=status"]
        ),
        "yes"
    );

    // Its Lease in kube-node-lease: create and renew, not another's.
    let lease = |name: &str| {
        json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
               "metadata": {"name": name, "namespace": "kube-node-lease"},
               "spec": {"holderIdentity": name, "leaseDurationSeconds": 40}})
        .to_string()
    };
    let leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
    let (code, body) = http(&k, "n1-token", "POST", leases, "application/json", &lease("n1"));
    assert_eq!(code, 201, "{body}");
    let renew = r#"{"spec": {"renewTime": "2026-01-01T00:00:00.000000Z"}}"#;
    let (code, body) = http(&k, "n1-token", "PATCH", &format!("{leases}/n1"), "application/merge-patch+json", renew);
    assert_eq!(code, 200, "{body}");
    k.kubectl(&["create", "-f", &write(dir.path(), "lease.json", &lease("n2"))]).ok();
    let (code, body) = http(&k, "n1-token", "PATCH", &format!("{leases}/n2"), "application/merge-patch+json", renew);
    assert_eq!(code, 403, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .ends_with("can only access node lease with the same name as the requesting node"),
        "{body}"
    );

    // kubectl auth can-i as the node, through the chain.
    let node = ["--as", "system:node:n1", "--as-group", "system:nodes"];
    let ask = |what: &[&str]| {
        let mut args = node.to_vec();
        args.extend(what);
        can_i(&k, &args)
    };
    assert_eq!(ask(&["get", "secret/s1", "-n", "default"]), "yes");
    assert_eq!(
        ask(&["get", "secret/s2", "-n", "default"]),
        "no - no relationship found between node 'n1' and this object"
    );
    assert!(ask(&["list", "secrets", "-n", "default"]).starts_with("no"));

    // The pod goes: so does access, within about a second.
    k.kubectl(&["delete", "pod", "p1", "--grace-period=0", "--force"]).ok();
    let start = Instant::now();
    eventually(Duration::from_secs(2), "s1 no longer readable by n1", || {
        !as_token(&k, "n1-token", &["get", "secret", "s1", "-o", "name"]).success
    });
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(ask(&["get", "secret/s1", "-n", "default"]).starts_with("no - no relationship"));
    assert!(ask(&["get", "configmap/c1", "-n", "default"]).starts_with("no - no relationship"));
    // A new pod on n1 naming s2 gives n1 access to it.
    let p3 = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p3", "namespace": "default"},
        "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "busybox",
            "env": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": "s2", "key": "k"}}}]}]}});
    k.kubectl(&["create", "-f", &write(dir.path(), "p3.json", &p3.to_string())]).ok();
    eventually(Duration::from_secs(2), "n1 reads s2 through p3", || {
        as_token(&k, "n1-token", &["get", "secret", "s2", "-o", "name"]).success
    });
}

const POLICY: &str = r#"# ABAC policies for the test
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "alice", "namespace": "*", "resource": "*", "apiGroup": "*", "readonly": true}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "bob", "namespace": "team", "resource": "*", "apiGroup": "*"}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"group": "system:authenticated", "namespace": "*", "resource": "selfsubjectaccessreviews", "apiGroup": "authorization.k8s.io"}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"group": "system:authenticated", "namespace": "*", "resource": "selfsubjectrulesreviews", "apiGroup": "authorization.k8s.io"}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "*", "nonResourcePath": "/api", "readonly": true}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "*", "nonResourcePath": "/api/*", "readonly": true}}
{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "*", "nonResourcePath": "/apis*", "readonly": true}}

{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "alice", "nonResourcePath": "/openapi/*", "readonly": true}}
"#;

#[test]
fn abac_policies_decide_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = write(dir.path(), "tokens.csv", "alice-token,alice,1\nbob-token,bob,2\n");
    let policy = write(dir.path(), "policy.jsonl", POLICY);
    let k = Kubox::start_with(
        &dir.path().join("data"),
        &["--token-auth-file", &tokens, "--authorization-mode", "ABAC", "--authorization-policy-file", &policy],
    );
    k.kubectl(&["create", "namespace", "team"]).ok();

    // bob writes in team only.
    assert!(as_token(&k, "bob-token", &["create", "configmap", "c", "-n", "team"]).success);
    let elsewhere = as_token(&k, "bob-token", &["create", "configmap", "c", "-n", "default"]);
    assert!(
        elsewhere.stderr.contains(
            r#"configmaps is forbidden: User "bob" cannot create resource "configmaps" in API group "" in the namespace "default": No policy matched."#
        ),
        "{}",
        elsewhere.stderr
    );
    assert!(!as_token(&k, "bob-token", &["get", "pods", "-n", "default"]).success);
    // alice reads everywhere and writes nowhere.
    assert_eq!(
        as_token(&k, "alice-token", &["get", "configmap", "c", "-n", "team", "-o", "name"]).ok().trim(),
        "configmap/c"
    );
    assert!(as_token(&k, "alice-token", &["get", "deployments", "-A"]).success);
    let write_denied = as_token(&k, "alice-token", &["delete", "configmap", "c", "-n", "team"]);
    assert!(write_denied.stderr.contains("No policy matched."), "{}", write_denied.stderr);
    // Non-resource paths: alice's /openapi/*, not bob's.
    assert!(as_token(&k, "alice-token", &["get", "--raw", "/openapi/v3"]).success);
    let openapi = as_token(&k, "bob-token", &["get", "--raw", "/openapi/v3"]);
    assert!(openapi.stderr.contains("Forbidden"), "{}", openapi.stderr);

    // kubectl auth can-i asks the same policies.
    let ask = |token: &str, args: &[&str]| {
        let mut all = vec!["auth", "can-i"];
        all.extend(args);
        as_token(&k, token, &all).stdout.trim().to_string()
    };
    assert_eq!(ask("bob-token", &["create", "configmaps", "-n", "team"]), "yes");
    assert!(ask("bob-token", &["create", "configmaps", "-n", "default"]).starts_with("no"));
    assert_eq!(ask("alice-token", &["list", "secrets", "-n", "default"]), "yes");
    assert!(ask("alice-token", &["create", "secrets", "-n", "default"]).starts_with("no"));
    let list = ask("bob-token", &["--list", "-n", "team"]);
    assert!(list.lines().any(|l| l.starts_with("*.* ") && l.contains("[*]")), "{list}");

    // A bad file is refused at start, with its line.
    let bad = write(dir.path(), "bad.jsonl", "# ok\n{\"user\": \"a\"}\n{\"user\": \"b\", \"readonly\": \"yes\"}\n");
    let data = dir.path().join("bad-data");
    let exit = kubox_tests::cluster::refused_start(
        &data,
        "127.0.0.1",
        &["--authorization-mode", "ABAC", "--authorization-policy-file", &bad],
    );
    assert!(exit.stderr.contains(&format!("error reading policy file {bad}, line 3")), "{}", exit.stderr);
    let exit = kubox_tests::cluster::refused_start(&data, "127.0.0.1", &["--authorization-mode", "ABAC,RBAC,RBAC"]);
    assert!(exit.stderr.contains("authorization-mode ABAC's authorization policy file not passed"), "{}", exit.stderr);
    assert!(exit.stderr.contains(r#"has mode specified more than once"#), "{}", exit.stderr);
}

/// A SubjectAccessReview webhook over HTTPS: allows wanda, denies dave
/// any resource, has no opinion on anything else; counts the reviews and
/// keeps them.
struct Webhook {
    port: u16,
    ca: String,
    reviews: Arc<Mutex<Vec<Value>>>,
    calls: Arc<AtomicUsize>,
}

impl Webhook {
    fn start(dir: &Path) -> Webhook {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.distinguished_name.push(DnType::CommonName, "webhook-ca");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_key = KeyPair::generate().unwrap();
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let mut params = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, "webhook");
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &issuer).unwrap();
        let ca_path = write(dir, "webhook-ca.crt", &ca.pem());

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let reviews = Arc::new(Mutex::new(Vec::new()));
        let calls = Arc::new(AtomicUsize::new(0));
        let (reviews2, calls2) = (reviews.clone(), calls.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let config = config.clone();
                let (reviews, calls) = (reviews2.clone(), calls2.clone());
                std::thread::spawn(move || {
                    let Ok(conn) = rustls::ServerConnection::new(config) else { return };
                    let mut tls = rustls::StreamOwned::new(conn, stream);
                    let Some(body) = read_request(&mut tls) else { return };
                    let review: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    calls.fetch_add(1, Ordering::SeqCst);
                    let status = match review["spec"]["user"].as_str() {
                        Some("wanda") => json!({"allowed": true, "reason": "wanda may"}),
                        // Discovery stays open to dave.
                        Some("dave") if review["spec"]["resourceAttributes"].is_object() => {
                            json!({"allowed": false, "denied": true, "reason": "dave is not welcome"})
                        }
                        _ => json!({"allowed": false}),
                    };
                    reviews.lock().unwrap().push(review.clone());
                    let mut answer = review;
                    answer["status"] = status;
                    let text = answer.to_string();
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                        text.len()
                    );
                    let _ = tls.write_all(response.as_bytes());
                    let _ = tls.flush();
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        Webhook { port, ca: ca_path, reviews, calls }
    }

    fn kubeconfig(&self, dir: &Path, port: u16) -> String {
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: webhook\n  cluster:\n    server: https://127.0.0.1:{port}/authorize\n    certificate-authority: {}\nusers:\n- name: kubox\n  user: {{}}\ncontexts:\n- name: webhook\n  context: {{cluster: webhook, user: kubox}}\ncurrent-context: webhook\n",
            self.ca
        );
        write(dir, &format!("webhook-{port}.kubeconfig"), &text)
    }
}

/// The body of one HTTP/1.1 request.
fn read_request(stream: &mut impl Read) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while data.len() < end + 4 + length {
                let n = stream.read(&mut buf).ok()?;
                if n == 0 {
                    return None;
                }
                data.extend_from_slice(&buf[..n]);
            }
            return Some(data[end + 4..end + 4 + length].to_vec());
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn webhook_decides_is_cached_and_is_skipped_when_down() {
    let dir = tempfile::tempdir().unwrap();
    let tokens =
        write(dir.path(), "tokens.csv", "wanda-token,wanda,1,\"witches\"\ndave-token,dave,2\nrita-token,rita,3\n");
    let webhook = Webhook::start(dir.path());
    let config = webhook.kubeconfig(dir.path(), webhook.port);
    let k = Kubox::start_with(
        &dir.path().join("data"),
        &[
            "--token-auth-file",
            &tokens,
            "--authorization-mode",
            "Webhook,RBAC",
            "--authorization-webhook-config-file",
            &config,
            "--authorization-webhook-version",
            "v1",
        ],
    );
    // RBAC would let dave and rita read the default namespace.
    k.kubectl(&["create", "rolebinding", "readers", "--clusterrole=view", "--user=dave", "--user=rita"]).ok();

    // wanda: allowed by the webhook, for anything.
    let configmaps = "/api/v1/namespaces/default/configmaps";
    let (code, _) = http(&k, "wanda-token", "GET", configmaps, "application/json", "");
    assert_eq!(code, 200);
    let after_first = webhook.calls.load(Ordering::SeqCst);
    let review = webhook.reviews.lock().unwrap().last().cloned().unwrap();
    assert_eq!(review["apiVersion"], "authorization.k8s.io/v1");
    assert_eq!(review["kind"], "SubjectAccessReview");
    assert_eq!(
        review["spec"]["resourceAttributes"],
        json!({"namespace": "default", "verb": "list", "version": "v1", "resource": "configmaps"})
    );
    assert_eq!(review["spec"]["user"], "wanda");
    assert_eq!(review["spec"]["uid"], "1");
    assert_eq!(review["spec"]["groups"], json!(["witches", "system:authenticated"]));
    // The same request again: answered from the cache.
    let (code, _) = http(&k, "wanda-token", "GET", configmaps, "application/json", "");
    assert_eq!(code, 200);
    assert_eq!(webhook.calls.load(Ordering::SeqCst), after_first, "the second review reached the webhook");
    assert!(as_token(&k, "wanda-token", &["create", "configmap", "w"]).success);

    // dave: denied by the webhook, whatever RBAC says; the reason is told.
    let denied = as_token(&k, "dave-token", &["get", "configmaps"]);
    assert!(
        denied.stderr.contains(
            r#"configmaps is forbidden: User "dave" cannot list resource "configmaps" in API group "" in the namespace "default": dave is not welcome"#
        ),
        "{}",
        denied.stderr
    );
    // rita: no opinion from the webhook, so RBAC decides.
    assert_eq!(as_token(&k, "rita-token", &["get", "configmap", "w", "-o", "name"]).ok().trim(), "configmap/w");
    assert!(!as_token(&k, "rita-token", &["create", "configmap", "r"]).success);
    // kubectl auth can-i goes through the webhook too.
    assert_eq!(as_token(&k, "wanda-token", &["auth", "can-i", "delete", "nodes"]).stdout.trim(), "yes");
    // A SubjectAccessReview about dave, made by the admin.
    let sar = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
        "spec": {"user": "dave", "resourceAttributes": {"verb": "get", "resource": "configmaps", "namespace": "default"}}});
    let r = k.request(
        "POST",
        "/apis/authorization.k8s.io/v1/subjectaccessreviews",
        &[("content-type", "application/json")],
        sar.to_string().as_bytes(),
        true,
    );
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["status"], json!({"allowed": false, "denied": true, "reason": "dave is not welcome"}));
    let non_resource =
        webhook.reviews.lock().unwrap().iter().any(|r| r["spec"]["nonResourceAttributes"]["path"] == "/api");
    assert!(non_resource, "discovery paths are reviewed as non-resource requests");

    // A webhook that is down has no opinion: RBAC decides alone.
    let down_port = kubox_tests::cluster::free_port("127.0.0.1".parse().unwrap());
    let down = webhook.kubeconfig(dir.path(), down_port);
    let k2 = Kubox::start_with(
        &dir.path().join("data2"),
        &[
            "--token-auth-file",
            &tokens,
            "--authorization-mode",
            "Webhook,RBAC",
            "--authorization-webhook-config-file",
            &down,
        ],
    );
    k2.kubectl(&["create", "rolebinding", "readers", "--clusterrole=view", "--user=dave", "--user=rita"]).ok();
    let start = Instant::now();
    assert!(as_token(&k2, "dave-token", &["get", "configmaps"]).success);
    assert!(as_token(&k2, "rita-token", &["get", "configmaps"]).success);
    assert!(!as_token(&k2, "wanda-token", &["get", "configmaps"]).success);
    assert!(start.elapsed() < Duration::from_secs(20), "a refused connection is not retried");
    assert!(k2.log().iter().any(|l| l.contains("failed to make webhook authorizer request")), "the failure is logged");
}
