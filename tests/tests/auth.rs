//! The security gates through real clients: static tokens, service account
//! tokens from `kubectl create token`, anonymous requests, impersonation
//! with `--as`, RBAC decisions checked with `kubectl auth can-i` and real
//! requests, escalation refused, and the review APIs.

use std::path::Path;

use kubox_tests::{KubectlOutput, Kubox};
use serde_json::json;

/// kubectl against `k` with a bearer token instead of the admin
/// certificate.
fn as_token(k: &Kubox, token: &str, args: &[&str]) -> KubectlOutput {
    let server = format!("https://{}", k.address);
    let ca = k.data_dir.join("pki").join("ca.crt");
    let mut all = vec!["--kubeconfig=/dev/null", "--server", &server, "--certificate-authority"];
    let ca = ca.to_string_lossy().to_string();
    all.push(&ca);
    all.extend(["--token", token]);
    all.extend(args);
    k.kubectl_with(&kubox_tests::kubectl_binary(), &all, &[])
}

fn token_file(dir: &Path) -> String {
    let path = dir.join("tokens.csv");
    std::fs::write(&path, "alice-token,alice,1001,\"dev,qa\"\nbob-token,bob,1002\n").unwrap();
    path.to_string_lossy().to_string()
}

fn start(dir: &Path) -> Kubox {
    let tokens = token_file(dir);
    Kubox::start_with(&dir.join("data"), &["--token-auth-file", &tokens])
}

#[test]
fn token_users_get_what_rbac_grants_and_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let k = start(dir.path());

    // Who am I: the token file's user, groups and uid.
    let out = as_token(&k, "alice-token", &["auth", "whoami", "-o", "json"]).ok();
    let me: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(me["status"]["userInfo"]["username"], "alice", "{me}");
    assert_eq!(me["status"]["userInfo"]["groups"], json!(["dev", "qa", "system:authenticated"]));
    assert_eq!(me["status"]["userInfo"]["uid"], "1001");

    // Nothing is granted yet: kube-apiserver's Forbidden, word for word.
    let out = as_token(&k, "alice-token", &["get", "pods", "-n", "default"]);
    assert!(!out.success);
    assert!(
        out.stderr.contains(
            r#"pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default""#
        ),
        "{}",
        out.stderr
    );
    // A wrong token is 401, even though anonymous requests are allowed.
    let out = as_token(&k, "nobody", &["get", "pods"]);
    assert!(out.stderr.contains("Unauthorized"), "{}", out.stderr);

    // view in default for alice; edit for the group qa in "team".
    k.kubectl(&["create", "namespace", "team"]).ok();
    k.kubectl(&["create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice", "-n", "default"]).ok();
    k.kubectl(&["create", "rolebinding", "qa-edit", "--clusterrole=edit", "--group=qa", "-n", "team"]).ok();
    let can = |token: &str, args: &[&str]| {
        let mut all = vec!["auth", "can-i"];
        all.extend(args);
        as_token(&k, token, &all).stdout.trim().to_string()
    };
    let matrix: &[(&str, &[&str], &str)] = &[
        ("alice-token", &["list", "pods", "-n", "default"], "yes"),
        ("alice-token", &["create", "pods", "-n", "default"], "no"),
        ("alice-token", &["get", "secrets", "-n", "default"], "no"),
        ("alice-token", &["get", "pods/log", "-n", "default"], "yes"),
        ("alice-token", &["create", "deployments.apps", "-n", "team"], "yes"),
        ("alice-token", &["create", "deployments.apps", "-n", "default"], "no"),
        ("alice-token", &["list", "nodes"], "no"),
        ("bob-token", &["list", "pods", "-n", "default"], "no"),
        ("bob-token", &["create", "selfsubjectaccessreviews.authorization.k8s.io"], "yes"),
    ];
    for (token, args, want) in matrix {
        assert_eq!(&can(token, args), want, "{token} can-i {args:?}");
    }
    // Real requests agree with the answers.
    as_token(&k, "alice-token", &["get", "pods", "-n", "default"]).ok();
    as_token(&k, "alice-token", &["create", "configmap", "c", "-n", "team"]).ok();
    let out = as_token(&k, "alice-token", &["create", "configmap", "c", "-n", "default"]);
    assert!(out.stderr.contains("is forbidden"), "{}", out.stderr);
    // --list shows the rules.
    let rules = as_token(&k, "alice-token", &["auth", "can-i", "--list", "-n", "default"]).ok();
    assert!(rules.contains("pods") && rules.contains("[get list watch]"), "{rules}");

    // Impersonation: the admin may, alice may not.
    let out = k.kubectl(&["auth", "can-i", "list", "pods", "-n", "default", "--as", "alice"]);
    assert_eq!(out.stdout.trim(), "yes");
    let out = as_token(&k, "alice-token", &["get", "pods", "--as", "bob"]);
    assert!(
        out.stderr.contains(r#"users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope"#),
        "{}",
        out.stderr
    );

    // Escalation: edit cannot grant what it does not hold.
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                      "metadata": {"name": "too-much", "namespace": "team"},
                      "rules": [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]}]});
    k.kubectl(&["create", "rolebinding", "qa-admin", "--clusterrole=admin", "--group=qa", "-n", "team"]).ok();
    let file = dir.path().join("role.json");
    std::fs::write(&file, role.to_string()).unwrap();
    let out = as_token(&k, "alice-token", &["create", "-f", &file.to_string_lossy()]);
    assert!(out.stderr.contains(r#"is attempting to grant RBAC permissions not currently held"#), "{}", out.stderr);
    // An aggregationRule can gather anything: only for cluster admins.
    k.kubectl(&[
        "create",
        "clusterrole",
        "role-maker",
        "--verb=create",
        "--resource=clusterroles.rbac.authorization.k8s.io",
    ])
    .ok();
    k.kubectl(&["create", "clusterrolebinding", "alice-role-maker", "--clusterrole=role-maker", "--user=alice"]).ok();
    let aggregated = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                            "metadata": {"name": "gatherer"},
                            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "y"}}]}, "rules": []});
    std::fs::write(&file, aggregated.to_string()).unwrap();
    let out = as_token(&k, "alice-token", &["create", "-f", &file.to_string_lossy()]);
    assert!(
        out.stderr.contains(r#"clusterroles.rbac.authorization.k8s.io "gatherer" is forbidden: must have cluster-admin privileges to use the aggregationRule"#),
        "{}",
        out.stderr
    );
    // Binding a role one does not hold is refused too.
    let out = as_token(
        &k,
        "alice-token",
        &["create", "rolebinding", "sneaky", "--clusterrole=cluster-admin", "--user=alice", "-n", "team"],
    );
    assert!(!out.success, "{}", out.stdout);
}

#[test]
fn service_account_tokens_work_until_their_account_goes() {
    let dir = tempfile::tempdir().unwrap();
    let k = start(dir.path());
    k.kubectl(&["create", "serviceaccount", "bot"]).ok();
    let token = k.kubectl(&["create", "token", "bot", "--duration", "15m"]).ok().trim().to_string();
    let out = as_token(&k, &token, &["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]).ok();
    assert_eq!(out, "system:serviceaccount:default:bot");
    // Bound to a pod, the token dies with the pod.
    k.kubectl(&["run", "p", "--image=busybox"]).ok();
    let bound = k.kubectl(&["create", "token", "bot", "--bound-object-kind", "Pod", "--bound-object-name", "p"]).ok();
    let bound = bound.trim();
    as_token(&k, bound, &["auth", "whoami"]).ok();
    k.kubectl(&["delete", "pod", "p", "--wait"]).ok();
    assert!(as_token(&k, bound, &["auth", "whoami"]).stderr.contains("Unauthorized"));
    // Too short a token is refused as kube-apiserver refuses it.
    let out = k.kubectl(&["create", "token", "bot", "--duration", "1m"]);
    assert!(out.stderr.contains("may not specify a duration less than 10 minutes"), "{}", out.stderr);
    // The issuer's discovery documents.
    let jwks: serde_json::Value = serde_json::from_str(&k.kubectl(&["get", "--raw", "/openid/v1/jwks"]).ok()).unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "EC");
    // Deleting the service account ends its tokens.
    k.kubectl(&["delete", "serviceaccount", "bot"]).ok();
    assert!(as_token(&k, &token, &["auth", "whoami"]).stderr.contains("Unauthorized"));
}

#[test]
fn anonymous_requests_see_only_public_information() {
    let dir = tempfile::tempdir().unwrap();
    let k = start(dir.path());
    let (code, body) = k.get("/api");
    assert_eq!(code, 403, "{body}");
    assert!(body.contains(r#"forbidden: User \"system:anonymous\" cannot get path \"/api\""#), "{body}");
    assert_eq!(k.get("/version").0, 200);
    assert_eq!(k.get("/readyz").0, 200);
    drop(k);
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start_with(dir.path(), &["--anonymous-auth=false"]);
    let (code, body) = k.get("/api");
    assert_eq!(code, 401, "{body}");
}

#[test]
fn oidc_id_tokens_and_a_token_webhook_authenticate_another_servers_tokens() {
    // The issuer is another kubox: its service account tokens are OIDC ID
    // tokens, and its discovery document and keys are public once bound.
    let dir = tempfile::tempdir().unwrap();
    let port = kubox_tests::cluster::free_port("127.0.0.1".parse().unwrap());
    let issuer_url = format!("https://127.0.0.1:{port}");
    let issuer = Kubox::start_with(
        &dir.path().join("issuer"),
        &["--secure-port", &port.to_string(), "--service-account-issuer", &issuer_url],
    );
    issuer
        .kubectl(&[
            "create",
            "clusterrolebinding",
            "public-discovery",
            "--clusterrole=system:service-account-issuer-discovery",
            "--group=system:unauthenticated",
        ])
        .ok();
    issuer.kubectl(&["create", "serviceaccount", "robot"]).ok();
    let token = issuer.kubectl(&["create", "token", "robot", "--audience", "kubox"]).ok().trim().to_string();

    let ca = issuer.data_dir.join("pki").join("ca.crt").to_string_lossy().to_string();
    let relying = Kubox::start_with(
        &dir.path().join("relying"),
        &[
            "--oidc-issuer-url",
            &issuer_url,
            "--oidc-client-id",
            "kubox",
            "--oidc-ca-file",
            &ca,
            "--oidc-signing-algs",
            "ES256",
            "--oidc-username-prefix",
            "oidc:",
        ],
    );
    let who = as_token(&relying, &token, &["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]).ok();
    assert_eq!(who, "oidc:system:serviceaccount:default:robot");
    // A token for another audience is refused.
    let other = issuer.kubectl(&["create", "token", "robot", "--audience", "elsewhere"]).ok();
    assert!(as_token(&relying, other.trim(), &["auth", "whoami"]).stderr.contains("Unauthorized"));

    // The issuer as a token webhook: its TokenReview API, called with its
    // admin certificate, judges the tokens a third server does not know.
    let admin = std::fs::read_to_string(issuer.kubeconfig()).unwrap();
    let webhook = admin.replace(
        &format!("server: https://127.0.0.1:{port}"),
        &format!("server: https://127.0.0.1:{port}/apis/authentication.k8s.io/v1/tokenreviews"),
    );
    assert_ne!(webhook, admin, "the admin kubeconfig names {issuer_url}");
    let config = dir.path().join("webhook.kubeconfig");
    std::fs::write(&config, webhook).unwrap();
    let asking = Kubox::start_with(
        &dir.path().join("asking"),
        &["--authentication-token-webhook-config-file", &config.to_string_lossy()],
    );
    let default_audience = issuer.kubectl(&["create", "token", "robot"]).ok();
    let who =
        as_token(&asking, default_audience.trim(), &["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"])
            .ok();
    assert_eq!(who, "system:serviceaccount:default:robot");
    assert!(as_token(&asking, "not-a-token", &["auth", "whoami"]).stderr.contains("Unauthorized"));
}
