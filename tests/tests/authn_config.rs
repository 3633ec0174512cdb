//! `--authentication-config` through real clients: JWT authenticators from
//! an AuthenticationConfiguration file (a local JWKS and OIDC discovery over
//! HTTPS), CEL claim mappings and rules seen by `kubectl auth whoami`,
//! refusals as 401, the file reloaded while the server runs, start-up
//! refusals with upstream's messages, and anonymous access limited to
//! configured paths.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use kubox_tests::{KubectlOutput, Kubox};
use serde_json::{Value, json};

/// kubectl against `k` with a bearer token instead of the admin
/// certificate.
fn as_token(k: &Kubox, token: &str, args: &[&str]) -> KubectlOutput {
    let server = format!("https://{}", k.address);
    let ca = k.data_dir.join("pki").join("ca.crt").to_string_lossy().to_string();
    let mut all = vec!["--kubeconfig=/dev/null", "--server", &server, "--certificate-authority", &ca, "--token", token];
    all.extend(args);
    k.kubectl_with(&kubox_tests::kubectl_binary(), &all, &[])
}

/// `kubectl auth whoami -o json`'s userInfo, or kubectl's stderr.
fn whoami(k: &Kubox, token: &str) -> Result<Value, String> {
    let out = as_token(k, token, &["auth", "whoami", "-o", "json"]);
    if !out.success {
        return Err(out.stderr);
    }
    let review: Value = serde_json::from_str(&out.stdout).map_err(|e| e.to_string())?;
    Ok(review["status"]["userInfo"].clone())
}

/// A test issuer: an EC key pair whose public half is a JWKS file.
struct TestIssuer {
    url: String,
    key: EncodingKey,
    jwks: PathBuf,
}

impl TestIssuer {
    fn new(dir: &Path, url: &str) -> Self {
        let kp = rcgen::KeyPair::generate().unwrap();
        let key = EncodingKey::from_ec_pem(kp.serialize_pem().as_bytes()).unwrap();
        let mut jwk = jsonwebtoken::jwk::Jwk::from_encoding_key(&key, Algorithm::ES256).unwrap();
        jwk.common.key_id = Some("test-key".into());
        let jwks = dir.join("issuer-jwks.json");
        std::fs::write(&jwks, json!({"keys": [jwk]}).to_string()).unwrap();
        Self { url: url.into(), key, jwks }
    }

    /// A token with these claims over the defaults (issuer, audience
    /// `kubox`, ten minutes of life).
    fn token(&self, claims: Value) -> String {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let mut all = json!({"iss": self.url, "aud": "kubox", "iat": now, "exp": now + 600});
        for (k, v) in claims.as_object().unwrap() {
            all[k] = v.clone();
        }
        let header = Header { kid: Some("test-key".into()), ..Header::new(Algorithm::ES256) };
        jsonwebtoken::encode(&header, &all, &self.key).unwrap()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Indents a PEM block for a YAML literal scalar.
fn indent(pem: &str, spaces: usize) -> String {
    pem.lines().map(|l| format!("{}{l}\n", " ".repeat(spaces))).collect()
}

/// The configuration: the local issuer with CEL mappings and rules, and
/// another kubox as an OIDC issuer found by discovery, whose user names
/// get `kubox_prefix`.
fn config(local: &TestIssuer, remote_url: &str, remote_ca: &str, kubox_prefix: &str) -> String {
    format!(
        r#"apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: {local_url}
    audiences: [kubox]
    kuboxJWKSFile: {jwks}
  claimValidationRules:
  - expression: "claims.sub != 'banned'"
    message: this user is banned
  claimMappings:
    username:
      expression: "'user:' + claims.sub"
    groups:
      claim: groups
      prefix: "oidc:"
    uid:
      expression: "claims.sub + '-' + string(claims.iat)"
    extra:
    - key: example.com/team
      valueExpression: "has(claims.team) ? claims.team : []"
- issuer:
    url: {remote_url}
    audiences: [kubox, other]
    audienceMatchPolicy: MatchAny
    certificateAuthority: |
{ca}  claimMappings:
    username:
      claim: sub
      prefix: "{kubox_prefix}"
  userValidationRules:
  - expression: "!user.username.startsWith('system:')"
    message: system users may not come from this issuer
"#,
        local_url = local.url,
        jwks = local.jwks.display(),
        ca = indent(remote_ca, 6),
    )
}

#[test]
fn jwt_authenticators_map_claims_apply_rules_and_reload() {
    let dir = tempfile::tempdir().unwrap();

    // The remote issuer is another kubox: its service account tokens are
    // OIDC ID tokens, its discovery document and keys public once bound.
    let port = kubox_tests::cluster::free_port("127.0.0.1".parse().unwrap());
    let remote_url = format!("https://127.0.0.1:{port}");
    let remote = Kubox::start_with(
        &dir.path().join("remote"),
        &["--secure-port", &port.to_string(), "--service-account-issuer", &remote_url],
    );
    remote
        .kubectl(&[
            "create",
            "clusterrolebinding",
            "public-discovery",
            "--clusterrole=system:service-account-issuer-discovery",
            "--group=system:unauthenticated",
        ])
        .ok();
    remote.kubectl(&["create", "serviceaccount", "robot"]).ok();
    let remote_ca = std::fs::read_to_string(remote.data_dir.join("pki").join("ca.crt")).unwrap();

    let local = TestIssuer::new(dir.path(), "https://issuer.example");
    let path = dir.path().join("authn.yaml");
    std::fs::write(&path, config(&local, &remote_url, &remote_ca, "")).unwrap();
    let k = Kubox::start_with(&dir.path().join("data"), &["--authentication-config", &path.to_string_lossy()]);

    // Claims mapped by claims and CEL: user name, uid, groups (prefixed,
    // plus system:authenticated) and extra.
    let token = local.token(json!({"sub": "alice", "iat": 1700000000, "groups": ["dev", "ops"], "team": ["blue"]}));
    let user = whoami(&k, &token).unwrap();
    assert_eq!(user["username"], "user:alice", "{user}");
    assert_eq!(user["uid"], "alice-1700000000", "{user}");
    assert_eq!(user["groups"], json!(["oidc:dev", "oidc:ops", "system:authenticated"]), "{user}");
    assert_eq!(user["extra"], json!({"example.com/team": ["blue"]}), "{user}");
    // An empty extra value is left out.
    let user = whoami(&k, &local.token(json!({"sub": "bob"}))).unwrap();
    assert_eq!(user["username"], "user:bob");
    assert_eq!(user["groups"], json!(["system:authenticated"]));
    assert!(user["extra"].is_null(), "{user}");

    // Refused with 401: a claim validation rule, a wrong audience, an
    // unknown issuer, an expired token, a forged one.
    let unauthorized = |token: &str, why: &str| {
        let err = whoami(&k, token).unwrap_err();
        assert!(err.contains("Unauthorized"), "{why}: {err}");
    };
    unauthorized(&local.token(json!({"sub": "banned"})), "claim validation rule");
    unauthorized(&local.token(json!({"sub": "alice", "aud": "elsewhere"})), "audience");
    unauthorized(&local.token(json!({"sub": "alice", "iss": "https://unknown.example"})), "issuer");
    unauthorized(&local.token(json!({"sub": "alice", "exp": now() - 60})), "expired");
    let forger = TestIssuer::new(&dir.path().join("data"), "https://issuer.example");
    unauthorized(&forger.token(json!({"sub": "alice"})), "forged");
    // The raw status is 401 with kube-apiserver's Status.
    let r = k.request(
        "GET",
        "/api",
        &[("Authorization", &format!("Bearer {}", local.token(json!({"sub": "banned"}))))],
        b"",
        false,
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["reason"], "Unauthorized");

    // The second issuer, found by discovery over HTTPS: its service
    // account's user name starts with system:, which its user validation
    // rule refuses.
    let remote_token = remote.kubectl(&["create", "token", "robot", "--audience", "kubox"]).ok().trim().to_string();
    unauthorized(&remote_token, "user validation rule");

    // Edit the file while the server runs: a prefix makes the name pass.
    std::fs::write(&path, config(&local, &remote_url, &remote_ca, "kubox:")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let user = loop {
        match whoami(&k, &remote_token) {
            Ok(user) => break user,
            Err(e) if Instant::now() > deadline => panic!("the edited file did not take effect: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(250)),
        }
    };
    assert_eq!(user["username"], "kubox:system:serviceaccount:default:robot");
    // The remote token for the other listed audience is accepted too.
    let other = remote.kubectl(&["create", "token", "robot", "--audience", "other"]).ok().trim().to_string();
    assert_eq!(whoami(&k, &other).unwrap()["username"], "kubox:system:serviceaccount:default:robot");

    // An invalid edit is refused and logged; the previous configuration
    // keeps working.
    std::fs::write(
        &path,
        config(&local, &remote_url, &remote_ca, "kubox:").replace("https://issuer.example", "http://issuer.example"),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !k.log().iter().any(|l| l.contains("failed to reload authentication config")) {
        assert!(Instant::now() < deadline, "no reload error logged: {:#?}", k.log());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        k.log().iter().any(|l| l
            .contains(r#"jwt[0].issuer.url: Invalid value: \"http://issuer.example\": URL scheme must be https"#)
            || l.contains(r#"jwt[0].issuer.url: Invalid value: "http://issuer.example": URL scheme must be https"#)),
        "{:#?}",
        k.log()
    );
    assert_eq!(whoami(&k, &token).unwrap()["username"], "user:alice");
    assert_eq!(whoami(&k, &remote_token).unwrap()["username"], "kubox:system:serviceaccount:default:robot");
}

/// Runs `kubox serve` with `flags`, expecting it to refuse to start; its
/// stderr.
fn refused_start(dir: &Path, flags: &[&str]) -> String {
    kubox_tests::cluster::refused_start(&dir.join("data"), "127.0.0.1", flags).stderr
}

#[test]
fn a_bad_file_or_conflicting_flags_stop_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("authn.yaml");
    let p = path.to_string_lossy().to_string();
    std::fs::write(
        &path,
        r#"apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: http://issuer.example
    audiences: [kubox]
  claimMappings:
    username:
      claim: sub
    groups:
      expression: "claims.groups.map(g, "
"#,
    )
    .unwrap();
    let err = refused_start(dir.path(), &["--authentication-config", &p]);
    assert!(
        err.contains(r#"jwt[0].issuer.url: Invalid value: "http://issuer.example": URL scheme must be https"#),
        "{err}"
    );
    assert!(
        err.contains("jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set"),
        "{err}"
    );
    assert!(
        err.contains(
            r#"jwt[0].claimMappings.groups.expression: Invalid value: "claims.groups.map(g, ": compilation failed"#
        ),
        "{err}"
    );

    // A good file, but with --oidc-* flags, or --anonymous-auth when the
    // file has an anonymous section.
    std::fs::write(
        &path,
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n",
    )
    .unwrap();
    let err =
        refused_start(dir.path(), &["--authentication-config", &p, "--oidc-issuer-url", "https://issuer.example"]);
    assert!(err.contains("authentication-config file and oidc-* flags are mutually exclusive"), "{err}");
    let err = refused_start(dir.path(), &["--authentication-config", &p, "--anonymous-auth=true"]);
    assert!(
        err.contains("--anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file"),
        "{err}"
    );
    // Not an AuthenticationConfiguration at all.
    std::fs::write(&path, "apiVersion: v1\nkind: ConfigMap\n").unwrap();
    let err = refused_start(dir.path(), &["--authentication-config", &p]);
    assert!(err.contains(r#"no kind "ConfigMap" is registered for version "v1""#), "{err}");
}

#[test]
fn anonymous_requests_are_limited_to_the_configured_paths() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("authn.yaml");
    std::fs::write(
        &path,
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n  conditions:\n  - path: /livez\n  - path: /api\n",
    )
    .unwrap();
    let k = Kubox::start_with(&dir.path().join("data"), &["--authentication-config", &path.to_string_lossy()]);
    // /api may be asked anonymously: authenticated as system:anonymous,
    // then refused by RBAC (403, not 401).
    let (code, body) = k.get("/api");
    assert_eq!(code, 403, "{body}");
    assert!(body.contains(r#"User \"system:anonymous\" cannot get path \"/api\""#), "{body}");
    // Other paths are not anonymous: 401.
    let (code, body) = k.get("/apis");
    assert_eq!(code, 401, "{body}");
    assert_eq!(k.get("/api/v1/namespaces").0, 401);
    assert_eq!(k.get("/livez").0, 200);
    // Credentials work as ever.
    assert!(k.kubectl(&["get", "namespaces"]).success);
}
