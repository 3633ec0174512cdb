//! `kubox serve` end to end: health endpoints, clean shutdown, the data
//! directory lock, and a clear error for damaged data.

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
        (200, "[+]ping ok\n[+]store ok\n[+]shutdown ok\nreadyz check passed\n".to_string())
    );
    assert_eq!(kubox.get("/healthz?verbose"), (200, "[+]ping ok\n[+]store ok\nhealthz check passed\n".to_string()));
    assert_eq!(kubox.get("/readyz/store"), (200, "ok".to_string()));
    assert_eq!(kubox.get("/readyz/no-such-check").0, 404);
    let (status, body) = kubox.get("/readyz?verbose&exclude=store");
    assert_eq!(status, 200);
    assert!(body.contains("[+]store excluded: ok\n"), "{body}");
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
