//! The `--profiling` endpoints through the gate: a CPU profile in pprof's
//! format for the admin, 403 for a user without /debug rights, the log
//! verbosity changed at run time, and nothing served with
//! `--profiling=false`.

use std::io::Read;
use std::time::{Duration, Instant};

use kubox_tests::Kubox;

#[test]
fn profiles_and_verbosity_for_admins_only() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.csv");
    std::fs::write(&tokens, "alice-token,alice,1001\n").unwrap();
    let k = Kubox::start_with(&dir.path().join("data"), &["--token-auth-file", &tokens.to_string_lossy()]);

    // The real kubectl reads the index.
    let index = k.kubectl(&["get", "--raw", "/debug/pprof/"]).ok();
    assert!(index.contains("<a href='profile'>profile</a>"), "{index}");

    // A CPU profile of one second while requests are served: gzipped
    // profile.proto with the CPU sample types.
    let load = {
        let address = k.address;
        let pki = k.data_dir.join("pki");
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_millis(1500);
            while Instant::now() < until {
                kubox_tests::https_request(address, &pki, "GET", "/api/v1/namespaces", &[], b"", true);
            }
        })
    };
    let profile = k.request("GET", "/debug/pprof/profile?seconds=1", &[], b"", true);
    load.join().unwrap();
    assert_eq!(profile.status, 200);
    assert_eq!(profile.header("content-type"), Some("application/octet-stream"));
    assert_eq!(profile.header("content-disposition"), Some("attachment; filename=\"profile\""));
    assert_eq!(&profile.body[..2], &[0x1f, 0x8b], "gzip");
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&profile.body[..]).read_to_end(&mut raw).unwrap();
    let has = |s: &[u8]| raw.windows(s.len()).any(|w| w == s);
    assert!(has(b"samples") && has(b"cpu") && has(b"nanoseconds"), "not a CPU profile");
    assert!(has(b"kubox"), "no kubox frames were sampled");

    // Bad durations and Go's other profiles.
    assert_eq!(k.request("GET", "/debug/pprof/profile?seconds=0", &[], b"", true).status, 400);
    let heap = k.request("GET", "/debug/pprof/heap", &[], b"", true);
    assert_eq!((heap.status, heap.text().as_str()), (404, "Unknown profile\n"));

    // A user without rights on /debug/* is refused as kube-apiserver words it.
    let denied = k.request("GET", "/debug/pprof/", &[("Authorization", "Bearer alice-token")], b"", false);
    assert_eq!(denied.status, 403);
    assert!(denied.text().contains(r#"User \"alice\" cannot get path \"/debug/pprof/\""#), "{}", denied.text());
    let denied = k.request("PUT", "/debug/flags/v", &[("Authorization", "Bearer alice-token")], b"9", false);
    assert_eq!(denied.status, 403);

    // The verbosity: debug lines appear once it is raised.
    let before = k.log().iter().filter(|l| l.contains("unauthenticated request")).count();
    assert_eq!(before, 0);
    let set = k.request("PUT", "/debug/flags/v", &[], b"4", true);
    assert_eq!((set.status, set.text().as_str()), (200, "successfully set klog.logging.verbosity to 4"));
    assert_eq!(k.request("GET", "/api/v1/pods", &[("Authorization", "Bearer wrong")], b"", false).status, 401);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !k.log().iter().any(|l| l.contains("unauthenticated request")) {
        assert!(Instant::now() < deadline, "no debug line after -v 4");
        std::thread::sleep(Duration::from_millis(50));
    }
    let bad = k.request("PUT", "/debug/flags/v", &[], b"loud", true);
    assert_eq!(bad.status, 400);
    assert!(bad.text().starts_with("failed set klog.logging.verbosity loud"), "{}", bad.text());
    assert_eq!(k.request("GET", "/debug/flags/v", &[], b"", true).status, 406);
    drop(k);

    // --profiling=false: no such paths.
    let k = Kubox::start_with(&dir.path().join("data"), &["--profiling=false"]);
    assert_eq!(k.request("GET", "/debug/pprof/", &[], b"", true).status, 404);
    assert_eq!(k.request("PUT", "/debug/flags/v", &[], b"4", true).status, 404);
}
