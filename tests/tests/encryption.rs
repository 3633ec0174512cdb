//! Encryption at rest end to end (`--encryption-provider-config`): a Secret
//! created with kubectl is stored encrypted (checked on disk with `kubox
//! debug get` after a stop) and reads back after a restart, for every
//! provider; keys rotate with `kubectl replace`; a value no configured key
//! opens is a 500 InternalError, not a crash; the file reloads while
//! running; bad files stop the start with a clear error.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kubox_tests::kms_plugin::KmsPlugin;
use kubox_tests::{Kubox, raw_value};

const PLAINTEXT: &str = "correct-horse-battery-staple";
const KEY1: &str = "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE="; // 32 bytes
const KEY2: &str = "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI="; // 32 bytes
const KEY16: &str = "MzMzMzMzMzMzMzMzMzMzMw=="; // 16 bytes

fn write_config(dir: &Path, providers: &str) -> PathBuf {
    let path = dir.join("encryption.yaml");
    let text = format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n{providers}"
    );
    // Written whole and renamed, so a polling reader never sees half a file.
    let tmp = dir.join("encryption.yaml.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    path
}

fn aescbc(name: &str, secret: &str) -> String {
    format!("  - aescbc:\n      keys:\n      - name: {name}\n        secret: {secret}\n")
}

fn start(data: &Path, config: &Path, extra: &[&str]) -> Kubox {
    let mut flags = vec!["--encryption-provider-config", config.to_str().unwrap()];
    flags.extend_from_slice(extra);
    Kubox::start_with(data, &flags)
}

fn stop(k: Kubox) {
    let exit = k.stop(libc::SIGTERM, Duration::from_secs(20));
    assert!(exit.status.success(), "kubox did not stop cleanly: {}", exit.stderr);
}

fn create_secret(k: &Kubox, name: &str) {
    k.kubectl(&["create", "secret", "generic", name, &format!("--from-literal=password={PLAINTEXT}")]).ok();
}

fn read_secret(k: &Kubox, name: &str) -> String {
    let out = k.kubectl(&["get", "secret", name, "-o", "jsonpath={.data.password}"]).ok();
    use base64::Engine;
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(out.trim()).unwrap()).unwrap()
}

fn raw_secret(data: &Path, name: &str) -> Vec<u8> {
    raw_value(data, &format!("/registry/secrets/default/{name}")).expect("the secret is stored")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Creates a Secret (and a ConfigMap, not encrypted) under `providers`,
/// checks the stored bytes, restarts and reads it back. Returns the raw value.
fn round_trip(providers: &str, prefix: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = write_config(dir.path(), providers);
    let k = start(&data, &config, &[]);
    create_secret(&k, "s1");
    k.kubectl(&["create", "configmap", "c1", &format!("--from-literal=note={PLAINTEXT}")]).ok();
    assert_eq!(read_secret(&k, "s1"), PLAINTEXT);
    stop(k);

    let raw = raw_secret(&data, "s1");
    assert!(
        raw.starts_with(prefix.as_bytes()),
        "stored value starts {:?}",
        String::from_utf8_lossy(&raw[..40.min(raw.len())])
    );
    if prefix.starts_with("k8s:enc:") {
        assert!(!contains(&raw, PLAINTEXT.as_bytes()), "plaintext on disk");
        assert!(!contains(&raw, b"k8s\0"), "the protobuf envelope on disk");
    }
    // Resources the file does not name are stored exactly as before.
    let cm = raw_value(&data, "/registry/configmaps/default/c1").unwrap();
    assert!(cm.starts_with(b"k8s\0"), "{:?}", String::from_utf8_lossy(&cm[..20.min(cm.len())]));
    assert!(contains(&cm, b"ConfigMap") && contains(&cm, PLAINTEXT.as_bytes()));

    let k = start(&data, &config, &[]);
    assert_eq!(read_secret(&k, "s1"), PLAINTEXT);
    stop(k);
    raw
}

#[test]
fn aescbc_secret_is_encrypted_on_disk() {
    let raw = round_trip(&aescbc("key1", KEY1), "k8s:enc:aescbc:v1:key1:");
    // IV + whole blocks.
    assert_eq!((raw.len() - "k8s:enc:aescbc:v1:key1:".len()) % 16, 0);
}

#[test]
fn aesgcm_secret_is_encrypted_on_disk() {
    round_trip(
        &format!("  - aesgcm:\n      keys:\n      - name: gcm1\n        secret: {KEY16}\n"),
        "k8s:enc:aesgcm:v1:gcm1:",
    );
}

#[test]
fn secretbox_secret_is_encrypted_on_disk() {
    round_trip(
        &format!("  - secretbox:\n      keys:\n      - name: box1\n        secret: {KEY2}\n"),
        "k8s:enc:secretbox:v1:box1:",
    );
}

#[test]
fn identity_stores_plain_protobuf() {
    let raw = round_trip("  - identity: {}\n", "k8s\0");
    assert!(contains(&raw, PLAINTEXT.as_bytes()));
}

#[test]
fn kms_v2_with_a_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let socket = dir.path().join("kms.sock");
    let plugin = KmsPlugin::start(&socket, "kek-1");
    let config = write_config(
        dir.path(),
        &format!(
            "  - kms:\n      apiVersion: v2\n      name: testkms\n      endpoint: unix://{}\n      timeout: 2s\n",
            socket.display()
        ),
    );
    let k = start(&data, &config, &[]);
    create_secret(&k, "s1");
    create_secret(&k, "s2");
    assert_eq!(read_secret(&k, "s1"), PLAINTEXT);
    // One seed for many writes: a single Encrypt, and our own writes need no Decrypt.
    assert_eq!(plugin.encrypts(), 1);
    assert_eq!(plugin.decrypts(), 0);
    assert_eq!(k.get("/healthz/kms-providers"), (200, "ok".to_string()));
    let (status, body) = k.get("/livez?verbose");
    assert_eq!(status, 200);
    assert!(body.contains("[+]kms-providers ok"), "{body}");
    stop(k);

    let raw = raw_secret(&data, "s1");
    let prefix = b"k8s:enc:kms:v2:testkms:";
    assert!(raw.starts_with(prefix), "{:?}", String::from_utf8_lossy(&raw[..30]));
    assert!(!contains(&raw, PLAINTEXT.as_bytes()));
    // The EncryptedObject: keyID (field 2) and the seed type (field 5 = 1).
    assert!(contains(&raw[prefix.len()..], b"\x12\x05kek-1"));
    assert!(raw.ends_with(b"\x28\x01"), "encryptedDEKSourceType HKDF seed last");

    // A fresh server has no DEK cache: one Decrypt for both Secrets (one seed).
    let before = plugin.decrypts();
    let k = start(&data, &config, &[]);
    assert_eq!(read_secret(&k, "s1"), PLAINTEXT);
    assert_eq!(read_secret(&k, "s2"), PLAINTEXT);
    assert_eq!(plugin.decrypts() - before, 1);
    // The KMS key changes: after the status poll, new writes use a new seed
    // under the new key ID (checked on disk below).
    plugin.set_key_id("kek-2");
    stop(k);
    let k = start(&data, &config, &[]);
    create_secret(&k, "s3");
    assert_eq!(read_secret(&k, "s1"), PLAINTEXT);
    stop(k);
    assert!(contains(&raw_secret(&data, "s3"), b"\x12\x05kek-2"));
}

#[test]
fn rotation_with_kubectl_replace() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = write_config(dir.path(), &aescbc("key1", KEY1));
    let k = start(&data, &config, &[]);
    create_secret(&k, "s1");
    create_secret(&k, "s2");
    stop(k);
    assert!(raw_secret(&data, "s1").starts_with(b"k8s:enc:aescbc:v1:key1:"));

    // key2 first, key1 still readable.
    write_config(dir.path(), &format!("{}{}", aescbc("key2", KEY2), aescbc("key1", KEY1)));
    let k = start(&data, &config, &[]);
    assert_eq!(read_secret(&k, "s1"), PLAINTEXT);
    // The docs' recipe: kubectl get secrets -A -o json | kubectl replace -f -
    let all = k.kubectl(&["get", "secrets", "-A", "-o", "json"]).ok();
    let list = dir.path().join("secrets.json");
    std::fs::write(&list, all).unwrap();
    let out = k.kubectl(&["replace", "-f", list.to_str().unwrap()]).ok();
    assert!(out.contains("secret/s1 replaced"), "{out}");
    stop(k);
    for name in ["s1", "s2"] {
        let raw = raw_secret(&data, name);
        assert!(raw.starts_with(b"k8s:enc:aescbc:v1:key2:"), "{name}: {:?}", String::from_utf8_lossy(&raw[..25]));
    }

    // key1 removed: everything still reads.
    write_config(dir.path(), &aescbc("key2", KEY2));
    let k = start(&data, &config, &[]);
    assert_eq!(read_secret(&k, "s1"), PLAINTEXT);
    assert_eq!(read_secret(&k, "s2"), PLAINTEXT);
    stop(k);
}

#[test]
fn a_value_no_key_opens_is_a_500_and_the_server_stays_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = write_config(dir.path(), &aescbc("key1", KEY1));
    let k = start(&data, &config, &[]);
    create_secret(&k, "s1");
    stop(k);

    // Same key name, another secret; then a name that matches nothing.
    for (providers, why) in [
        (aescbc("key1", KEY2), "padding"),
        (aescbc("other", KEY1), "no matching key was found for the provided AES transformer"),
        (format!("  - aesgcm:\n      keys:\n      - name: key1\n        secret: {KEY1}\n"), "no matching prefix found"),
    ] {
        write_config(dir.path(), &providers);
        let k = start(&data, &config, &[]);
        let r = k.request("GET", "/api/v1/namespaces/default/secrets/s1", &[], b"", true);
        assert_eq!(r.status, 500, "{}", r.text());
        let status = r.json();
        assert_eq!(status["kind"], "Status");
        assert_eq!(status["reason"], "InternalError");
        assert_eq!(status["code"], 500);
        let message = status["message"].as_str().unwrap();
        assert!(message.starts_with("Internal error occurred: "), "{message}");
        assert!(message.contains(why), "{message}");
        assert!(!message.contains(PLAINTEXT));
        // A list that holds it fails the same way; kubectl says so.
        let list = k.request("GET", "/api/v1/namespaces/default/secrets", &[], b"", true);
        assert_eq!(list.status, 500, "{}", list.text());
        let out = k.kubectl(&["get", "secret", "s1"]);
        assert!(!out.success);
        assert!(out.stderr.contains("Internal error occurred"), "{}", out.stderr);
        // kubectl lists in pages (limit=500): no page silently leaves it out.
        let out = k.kubectl(&["get", "secrets"]);
        assert!(!out.success, "{}", out.stdout);
        assert!(out.stderr.contains("Internal error occurred"), "{}", out.stderr);
        // The server is up and other writes and reads work.
        assert_eq!(k.get("/healthz"), (200, "ok".to_string()));
        create_secret(&k, "fresh");
        assert_eq!(read_secret(&k, "fresh"), PLAINTEXT);
        k.kubectl(&["delete", "secret", "fresh"]).ok();
        assert!(k.log().iter().any(|l| l.contains("failed to decrypt data")), "the failure is logged");
        assert!(!k.log().iter().any(|l| l.contains("panicked")));
        stop(k);
    }
}

#[test]
fn automatic_reload_switches_the_write_provider() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = write_config(dir.path(), &aescbc("key1", KEY1));
    let k = start(&data, &config, &["--encryption-provider-config-automatic-reload"]);
    create_secret(&k, "s1");

    write_config(
        dir.path(),
        &format!("  - secretbox:\n      keys:\n      - name: box2\n        secret: {KEY2}\n{}", aescbc("key1", KEY1)),
    );
    wait_for_log(&k, "encryption provider configuration reloaded");
    create_secret(&k, "s2");
    assert_eq!(read_secret(&k, "s1"), PLAINTEXT);

    // A broken file is logged and the configuration in force stays.
    std::fs::write(&config, "kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v1\nresources: [")
        .unwrap();
    wait_for_log(&k, "keeping the one in force");
    create_secret(&k, "s3");
    assert_eq!(read_secret(&k, "s2"), PLAINTEXT);
    stop(k);

    assert!(raw_secret(&data, "s1").starts_with(b"k8s:enc:aescbc:v1:key1:"));
    assert!(raw_secret(&data, "s2").starts_with(b"k8s:enc:secretbox:v1:box2:"));
    assert!(raw_secret(&data, "s3").starts_with(b"k8s:enc:secretbox:v1:box2:"));
}

fn wait_for_log(k: &Kubox, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !k.log().iter().any(|l| l.contains(text)) {
        assert!(Instant::now() < deadline, "no log line with {text:?}: {:?}", k.log());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn bad_configuration_files_stop_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let head = "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n";
    let cases = [
        ("apiVersion: v9\nkind: Foo\n".to_string(), "no kind \"Foo\" is registered for version \"v9\""),
        (
            format!(
                "{head}- resources: [secrets]\n  providers:\n  - aescbc: {{keys: [{{name: k, secret: c2hvcnQ=}}]}}\n"
            ),
            "secret is not of the expected length, got 5, expected one of [16 24 32]",
        ),
        (
            format!(
                "{head}- resources: [secrets]\n  providers:\n  - kms: {{name: old, endpoint: 'unix:///tmp/x.sock'}}\n"
            ),
            "KMSv1 is deprecated and will only receive security updates going forward. Use KMSv2 instead.",
        ),
        (
            format!(
                "{head}- resources: ['*.*']\n  providers: [{{identity: {{}}}}]\n- resources: [secrets]\n  providers: [{{identity: {{}}}}]\n"
            ),
            "resource \"secrets\" is masked by earlier rule \"*.*\"",
        ),
        (
            format!("{head}- resources: [secrets, secrets]\n  providers: [{{identity: {{}}}}]\n"),
            "the same resource cannot be specified multiple times",
        ),
        (String::new(), "is empty"),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("bad{i}.yaml"));
        std::fs::write(&file, text).unwrap();
        let data = dir.path().join(format!("data{i}"));
        let exit = kubox_tests::cluster::refused_start(
            &data,
            "127.0.0.1",
            &["--encryption-provider-config", file.to_str().unwrap()],
        );
        assert!(exit.stderr.contains("--encryption-provider-config"), "case {i}: {}", exit.stderr);
        assert!(exit.stderr.contains(want), "case {i}: want {want:?} in {}", exit.stderr);
    }
    let missing = kubox_tests::cluster::refused_start(
        &dir.path().join("d"),
        "127.0.0.1",
        &["--encryption-provider-config", "/nonexistent/enc.yaml"],
    );
    assert!(missing.stderr.contains("error reading encryption provider configuration file"), "{}", missing.stderr);
}
