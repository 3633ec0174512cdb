//! Three kubox nodes on loopback (127.0.0.1, .2 and .3), joined with a
//! token, with clients writing through every node: the leader is killed
//! with SIGKILL and writes resume on the survivors; no acknowledged write is
//! lost; the killed node comes back and every node holds the same objects;
//! all three are killed at once and lose nothing; a node that was down while
//! many writes happened catches up by snapshot. Joining with a bad token or
//! from another cluster's data directory is refused.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubox_tests::{Kubox, run_kubox, try_https_request};
use serde_json::{Value, json};

/// A port free for both TCP and UDP on `ip`.
fn free_port(ip: IpAddr) -> u16 {
    loop {
        let tcp = TcpListener::bind((ip, 0)).expect("binding a TCP port");
        let port = tcp.local_addr().unwrap().port();
        if UdpSocket::bind((ip, port)).is_ok() {
            return port;
        }
    }
}

struct NodeSpec {
    ip: IpAddr,
    api_port: u16,
    peer_port: u16,
    dir: PathBuf,
}

impl NodeSpec {
    fn new(i: u8, root: &Path) -> Self {
        let ip: IpAddr = format!("127.0.0.{i}").parse().unwrap();
        Self { ip, api_port: free_port(ip), peer_port: free_port(ip), dir: root.join(format!("node{i}")) }
    }

    fn url(&self) -> String {
        format!("https://{}:{}", self.ip, self.api_port)
    }

    fn flags(&self) -> Vec<String> {
        [
            "--bind-address",
            &self.ip.to_string(),
            "--secure-port",
            &self.api_port.to_string(),
            "--peer-port",
            &self.peer_port.to_string(),
            "--snapshot-count",
            "500",
            "--store-request-timeout",
            "2s",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn start(&self, join: Option<(&str, &str)>) -> Kubox {
        let mut flags = self.flags();
        if let Some((url, token)) = join {
            flags.extend(["--join".into(), url.into(), "--token".into(), token.into()]);
        }
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        Kubox::start_with(&self.dir, &flags)
    }
}

fn admin(k: &Kubox, method: &str, path: &str, body: &[u8]) -> Result<(u16, Value), String> {
    let headers = [("Content-Type", "application/json"), ("Accept", "application/json")];
    let r = try_https_request(k.address, &k.data_dir.join("pki"), method, path, &headers, body, true)?;
    Ok((r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null)))
}

fn status(k: &Kubox) -> Value {
    admin(k, "GET", "/kubox/v1/cluster/status", b"").map(|(_, v)| v).unwrap_or(Value::Null)
}

fn token(k: &Kubox) -> String {
    let (code, v) = admin(k, "POST", "/kubox/v1/cluster/tokens", b"").expect("creating a token");
    assert_eq!(code, 200, "{v}");
    v["token"].as_str().expect("a token").to_string()
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn voters(k: &Kubox) -> usize {
    status(k)["members"].as_array().map_or(0, |m| m.iter().filter(|m| m["voter"] == true).count())
}

/// Names and resourceVersions of the ConfigMaps in `default`, by a
/// consistent list on `k`.
fn configmaps(k: &Kubox) -> Result<Vec<(String, String)>, String> {
    let (code, v) = admin(k, "GET", "/api/v1/namespaces/default/configmaps", b"")?;
    if code != 200 {
        return Err(format!("list answered {code}: {v}"));
    }
    Ok(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["metadata"]["name"].as_str().unwrap().to_string(),
                i["metadata"]["resourceVersion"].as_str().unwrap().to_string(),
            )
        })
        .collect())
}

fn create_cm(address: SocketAddr, pki: &Path, name: &str) -> Result<u16, String> {
    let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": name}});
    let headers = [("Content-Type", "application/json")];
    let r = try_https_request(
        address,
        pki,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        &headers,
        body.to_string().as_bytes(),
        true,
    )?;
    Ok(r.status)
}

fn start_cluster(root: &Path) -> (Vec<NodeSpec>, Vec<Option<Kubox>>) {
    let specs: Vec<NodeSpec> = (1..=3).map(|i| NodeSpec::new(i, root)).collect();
    let first = specs[0].start(None);
    let token = token(&first);
    let url = specs[0].url();
    let second = specs[1].start(Some((&url, &token)));
    let third = specs[2].start(Some((&specs[1].url(), &token)));
    wait_until("three voters", Duration::from_secs(30), || voters(&first) == 3);
    (specs, vec![Some(first), Some(second), Some(third)])
}

fn leader_index(nodes: &[Option<Kubox>]) -> usize {
    let mut found = None;
    wait_until("a leader", Duration::from_secs(20), || {
        for (i, n) in nodes.iter().enumerate() {
            if let Some(n) = n {
                let s = status(n);
                if s["role"] == "leader" {
                    found = Some(i);
                    return true;
                }
            }
        }
        false
    });
    found.unwrap()
}

/// Everything `k` lists equals what every other live node lists, once all
/// have applied the same entries.
fn assert_converged(nodes: &[Option<Kubox>]) -> Vec<(String, String)> {
    let live: Vec<&Kubox> = nodes.iter().flatten().collect();
    let mut lists = Vec::new();
    wait_until("the nodes to converge", Duration::from_secs(30), || {
        let applied: BTreeSet<u64> = live.iter().map(|k| status(k)["applied_index"].as_u64().unwrap_or(0)).collect();
        if applied.len() != 1 {
            return false;
        }
        lists = live.iter().map(|k| configmaps(k).unwrap_or_default()).collect();
        lists.windows(2).all(|w| w[0] == w[1])
    });
    lists.remove(0)
}

#[test]
fn a_three_node_cluster_survives_a_leader_kill_and_a_full_crash() {
    let root = tempfile::tempdir().unwrap();
    let (specs, mut nodes) = start_cluster(root.path());

    // Clients write through every node, each to its own names.
    let acked: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let n = n.as_ref().unwrap();
            let (address, pki) = (n.address, n.data_dir.join("pki"));
            let (acked, stop) = (acked.clone(), stop.clone());
            std::thread::spawn(move || {
                for seq in 0..100_000 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let name = format!("w{i}-{seq}");
                    match create_cm(address, &pki, &name) {
                        Ok(201) => acked.lock().unwrap().push((name, Instant::now())),
                        Ok(_) | Err(_) => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));

    let leader = leader_index(&nodes);
    let killed_at = Instant::now();
    nodes[leader].take().unwrap().stop(libc::SIGKILL, Duration::from_secs(10));
    wait_until("a write acknowledged after the kill", Duration::from_secs(15), || {
        acked.lock().unwrap().iter().any(|(_, t)| *t > killed_at + Duration::from_millis(50))
    });
    let resumed = acked.lock().unwrap().iter().map(|(_, t)| *t).filter(|t| *t > killed_at).min().unwrap();
    let failover = resumed - killed_at;
    eprintln!("writes resumed {failover:?} after the leader was killed");
    assert!(failover < Duration::from_secs(8), "writes resumed only after {failover:?}");
    std::thread::sleep(Duration::from_millis(1000));
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().unwrap();
    }

    // The killed node comes back and catches up; all hold the same objects,
    // and every acknowledged write is among them.
    nodes[leader] = Some(specs[leader].start(None));
    let listed = assert_converged(&nodes);
    let names: BTreeSet<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
    let acked_names: Vec<String> = acked.lock().unwrap().iter().map(|(n, _)| n.clone()).collect();
    assert!(acked_names.len() > 10, "too few writes were acknowledged: {}", acked_names.len());
    for name in &acked_names {
        assert!(names.contains(name.as_str()), "acknowledged write {name} is lost");
    }

    // All three killed at once: nothing acknowledged is lost.
    for n in nodes.iter_mut() {
        n.take().unwrap().stop(libc::SIGKILL, Duration::from_secs(10));
    }
    // They come back together, as a cluster restarted by its supervisors does:
    // each waits for a quorum before it serves.
    let nodes: Vec<Option<Kubox>> = std::thread::scope(|scope| {
        let started: Vec<_> = specs.iter().map(|s| scope.spawn(move || s.start(None))).collect();
        started.into_iter().map(|h| Some(h.join().unwrap())).collect()
    });
    let after = assert_converged(&nodes);
    assert_eq!(after, listed, "the stores changed across a crash of every node");
}

#[test]
fn a_node_that_missed_many_writes_catches_up_by_snapshot() {
    let root = tempfile::tempdir().unwrap();
    let (specs, mut nodes) = start_cluster(root.path());
    nodes[2].take().unwrap().stop(libc::SIGTERM, Duration::from_secs(20));
    let first = nodes[0].as_ref().unwrap();
    // More than --snapshot-count (500) entries while it is away.
    for i in 0..1200 {
        assert_eq!(create_cm(first.address, &first.data_dir.join("pki"), &format!("bulk-{i}")), Ok(201));
    }
    nodes[2] = Some(specs[2].start(None));
    let listed = assert_converged(&nodes);
    assert!(listed.len() >= 1200);
    let log = nodes[2].as_ref().unwrap().log().join("\n");
    assert!(log.contains("installed a snapshot from the leader"), "no snapshot was installed:\n{log}");

    // Cut off from the majority (both others stopped), the node refuses
    // writes with kube-apiserver's 504, serves resourceVersion=0 reads from
    // its cache, and is not ready.
    for n in nodes.iter_mut().take(2) {
        n.take().unwrap().stop(libc::SIGTERM, Duration::from_secs(20));
    }
    let alone = nodes[2].as_ref().unwrap();
    let started = Instant::now();
    let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "alone"}}).to_string();
    let (code, status) = admin(alone, "POST", "/api/v1/namespaces/default/configmaps", body.as_bytes()).unwrap();
    assert_eq!(code, 504, "{status}");
    assert_eq!(status["reason"], "Timeout");
    assert!(started.elapsed() < Duration::from_secs(10), "the refusal took {:?}", started.elapsed());
    let (code, list) = admin(alone, "GET", "/api/v1/namespaces/default/configmaps?resourceVersion=0", b"").unwrap();
    assert_eq!(code, 200, "{list}");
    assert!(list["items"].as_array().unwrap().len() >= 1200);
    let (code, _) = alone.get("/readyz");
    assert_eq!(code, 500);
    let (_, verbose) = alone.get("/readyz?verbose");
    assert!(verbose.contains("[-]raft failed"), "{verbose}");
}

#[test]
fn joining_needs_a_valid_token_and_a_fresh_data_directory() {
    let root = tempfile::tempdir().unwrap();
    let spec = NodeSpec::new(1, root.path());
    let first = spec.start(None);
    let good = token(&first);
    let url = spec.url();
    let join = |dir: &str, token: &str| {
        let dir = root.path().join(dir);
        run_kubox(
            &[
                "serve",
                "--data-dir",
                dir.to_str().unwrap(),
                "--bind-address",
                "127.0.0.2",
                "--secure-port",
                "0",
                "--peer-port",
                "0",
                "--join",
                &url,
                "--token",
                token,
            ],
            Duration::from_secs(30),
        )
    };

    // A token for another cluster (its CA hash does not match).
    let (_, cred) = good.split_once("::").unwrap();
    let foreign = format!("K10{}::{cred}", "ab".repeat(32));
    let exit = join("a", &foreign);
    assert!(!exit.status.success());
    assert!(exit.stderr.contains("does not match the join token"), "{}", exit.stderr);

    // The right cluster, a wrong secret.
    let (head, _) = good.rsplit_once('.').unwrap();
    let exit = join("b", &format!("{head}.{}", "0".repeat(32)));
    assert!(!exit.status.success());
    assert!(exit.stderr.contains("invalid join token"), "{}", exit.stderr);

    // Not a token at all.
    let exit = join("c", "hunter2");
    assert!(exit.stderr.contains("invalid join token"), "{}", exit.stderr);

    // A data directory that belongs to another cluster.
    let other = root.path().join("other");
    let lone = Kubox::start(&other);
    drop(lone);
    let exit = run_kubox(
        &[
            "serve",
            "--data-dir",
            other.to_str().unwrap(),
            "--secure-port",
            "0",
            "--peer-port",
            "0",
            "--join",
            &url,
            "--token",
            &good,
        ],
        Duration::from_secs(30),
    );
    assert!(!exit.status.success());
    assert!(exit.stderr.contains("belongs to another cluster"), "{}", exit.stderr);
}
