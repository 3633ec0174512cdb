//! TLS and the other ways in: TLS 1.0 and 1.1 refused, `--tls-min-version`,
//! a serving certificate of one's own that is picked up again when it
//! changes on disk, client certificates from `--client-ca-file`, and
//! bootstrap tokens.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kubox_tests::{KubectlOutput, Kubox};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

/// What `openssl s_client` printed for a handshake with `flag`.
fn handshake(k: &Kubox, flag: &str) -> String {
    let out = Command::new("openssl")
        .args(["s_client", "-connect", &k.address.to_string(), flag, "-servername", "localhost"])
        .stdin(Stdio::null())
        .output()
        .expect("running openssl s_client (install openssl)");
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn write_serving_cert(dir: &Path, cn: &str) {
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    // The key first: a reader that sees the new certificate with the old
    // key keeps the old pair until both are in place.
    std::fs::write(dir.join("serving.key"), key.serialize_pem()).unwrap();
    std::fs::write(dir.join("serving.crt"), cert.pem()).unwrap();
}

#[test]
fn old_protocols_are_refused_and_a_changed_certificate_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(&dir.path().join("default"));
    assert!(handshake(&k, "-tls1_1").contains("alert"), "TLS 1.1 must be refused");
    assert!(handshake(&k, "-tls1").contains("alert"), "TLS 1.0 must be refused");
    assert!(handshake(&k, "-tls1_2").contains("TLSv1.2"));
    drop(k);

    write_serving_cert(dir.path(), "first");
    let (crt, key) = (dir.path().join("serving.crt"), dir.path().join("serving.key"));
    let k = Kubox::start_with(
        &dir.path().join("own"),
        &[
            "--tls-cert-file",
            &crt.to_string_lossy(),
            "--tls-private-key-file",
            &key.to_string_lossy(),
            "--tls-min-version",
            "VersionTLS13",
        ],
    );
    assert!(handshake(&k, "-tls1_2").contains("alert"), "TLS 1.2 is below the minimum");
    let first = handshake(&k, "-tls1_3");
    assert!(first.contains("TLSv1.3") && (first.contains("CN=first") || first.contains("CN = first")), "{first}");
    std::thread::sleep(Duration::from_millis(1100));
    write_serving_cert(dir.path(), "second");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = handshake(&k, "-tls1_3");
        if out.contains("CN=second") || out.contains("CN = second") {
            break;
        }
        assert!(Instant::now() < deadline, "the new certificate was not picked up:\n{out}");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Flags that make no sense are refused with a clear error.
    let exit = kubox_tests::cluster::refused_start(
        &dir.path().join("bad"),
        "127.0.0.1",
        &["--tls-cipher-suites", "TLS_RSA_WITH_RC4_128_SHA"],
    );
    assert!(exit.stderr.contains("unsupported cipher suite"), "{}", exit.stderr);
}

fn kubectl_as(k: &Kubox, credentials: &[&str], args: &[&str]) -> KubectlOutput {
    let server = format!("https://{}", k.address);
    let ca = k.data_dir.join("pki").join("ca.crt").to_string_lossy().to_string();
    let mut all = vec!["--kubeconfig=/dev/null", "--server", &server, "--certificate-authority", &ca];
    all.extend(credentials);
    all.extend(args);
    k.kubectl_with(&kubox_tests::kubectl_binary(), &all, &[])
}

#[test]
fn client_certificates_of_another_ca_and_bootstrap_tokens_authenticate() {
    let dir = tempfile::tempdir().unwrap();
    // Another CA, and a client certificate for carol in the group ops.
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.distinguished_name.push(DnType::CommonName, "corporate-ca");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let mut client = CertificateParams::new(Vec::<String>::new()).unwrap();
    client.distinguished_name.push(DnType::CommonName, "carol");
    client.distinguished_name.push(DnType::OrganizationName, "ops");
    let client_key = KeyPair::generate().unwrap();
    let client_cert = client.signed_by(&client_key, &issuer).unwrap();
    let p = |name: &str| dir.path().join(name).to_string_lossy().to_string();
    std::fs::write(p("ca.crt"), ca.pem()).unwrap();
    std::fs::write(p("carol.crt"), client_cert.pem()).unwrap();
    std::fs::write(p("carol.key"), client_key.serialize_pem()).unwrap();

    // An authenticating proxy's CA and certificate (kubeadm's front proxy).
    let mut proxy_ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    proxy_ca_params.distinguished_name.push(DnType::CommonName, "front-proxy-ca");
    proxy_ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let proxy_ca_key = KeyPair::generate().unwrap();
    let proxy_ca = proxy_ca_params.self_signed(&proxy_ca_key).unwrap();
    let proxy_issuer = Issuer::new(proxy_ca_params, proxy_ca_key);
    for cn in ["front-proxy-client", "someone-else"] {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, cn);
        let key = KeyPair::generate().unwrap();
        std::fs::write(p(&format!("{cn}.crt")), params.signed_by(&key, &proxy_issuer).unwrap().pem()).unwrap();
        std::fs::write(p(&format!("{cn}.key")), key.serialize_pem()).unwrap();
    }
    std::fs::write(p("proxy-ca.crt"), proxy_ca.pem()).unwrap();

    let k = Kubox::start_with(
        &dir.path().join("data"),
        &[
            "--client-ca-file",
            &p("ca.crt"),
            "--enable-bootstrap-token-auth=true",
            "--requestheader-client-ca-file",
            &p("proxy-ca.crt"),
            "--requestheader-allowed-names",
            "front-proxy-client",
        ],
    );
    // The proxy names the user in headers; its certificate alone is nobody.
    let review = r#"{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"#;
    let proxied = |cn: &str, headers: &[&str]| {
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "--cacert", &k.data_dir.join("pki").join("ca.crt").to_string_lossy()]);
        cmd.args(["--cert", &p(&format!("{cn}.crt")), "--key", &p(&format!("{cn}.key"))]);
        cmd.args(["-H", "Content-Type: application/json", "-d", review]);
        for h in headers {
            cmd.args(["-H", h]);
        }
        cmd.arg(format!("https://{}/apis/authentication.k8s.io/v1/selfsubjectreviews", k.address));
        String::from_utf8_lossy(&cmd.output().expect("running curl").stdout).to_string()
    };
    let out =
        proxied("front-proxy-client", &["X-Remote-User: dave", "X-Remote-Group: g1", "X-Remote-Extra-Scopes: read"]);
    assert!(out.contains(r#""username":"dave""#) && out.contains(r#""groups":["g1","system:authenticated"]"#), "{out}");
    assert!(out.contains(r#""extra":{"scopes":["read"]}"#), "{out}");
    let out = proxied("front-proxy-client", &[]);
    assert!(out.contains(r#"User \"system:anonymous\" cannot create"#), "{out}");
    let out = proxied("someone-else", &["X-Remote-User: dave"]);
    assert!(out.contains("system:anonymous"), "a proxy not in --requestheader-allowed-names: {out}");
    let cert_flags = ["--client-certificate", &p("carol.crt"), "--client-key", &p("carol.key")];
    let who = kubectl_as(&k, &cert_flags, &["auth", "whoami", "-o", "jsonpath={.status.userInfo}"]).ok();
    assert!(who.contains(r#""username":"carol""#) && who.contains(r#"["ops","system:authenticated"]"#), "{who}");

    // A bootstrap token, as kubeadm makes one.
    for (name, expiration) in [("abcdef", "2099-01-01T00:00:00Z"), ("expird", "2000-01-01T00:00:00Z")] {
        k.kubectl(&[
            "create",
            "secret",
            "generic",
            &format!("bootstrap-token-{name}"),
            "-n",
            "kube-system",
            "--type",
            "bootstrap.kubernetes.io/token",
            &format!("--from-literal=token-id={name}"),
            "--from-literal=token-secret=0123456789abcdef",
            "--from-literal=usage-bootstrap-authentication=true",
            &format!("--from-literal=expiration={expiration}"),
            "--from-literal=auth-extra-groups=system:bootstrappers:kubeadm:default-node-token",
        ])
        .ok();
    }
    let who = kubectl_as(
        &k,
        &["--token", "abcdef.0123456789abcdef"],
        &["auth", "whoami", "-o", "jsonpath={.status.userInfo}"],
    )
    .ok();
    assert!(who.contains(r#""username":"system:bootstrap:abcdef""#), "{who}");
    assert!(who.contains("system:bootstrappers:kubeadm:default-node-token"), "{who}");
    for bad in ["expird.0123456789abcdef", "abcdef.0123456789abcdee"] {
        let out = kubectl_as(&k, &["--token", bad], &["auth", "whoami"]);
        assert!(out.stderr.contains("Unauthorized"), "{bad}: {}", out.stderr);
    }
}
