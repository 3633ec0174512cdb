//! Partitions between three kubox nodes, with concurrent clients reading,
//! writing and compare-and-swapping a few ConfigMaps through every node; the
//! recorded history must be linearizable.
//!
//! The faults come from a UDP proxy in front of each node's Raft transport
//! (`kubox_tests::faults`), which needs no privileges: it drops the packets
//! of the directions cut, as a firewall would. (Network namespaces with veth
//! pairs work here as root, but this kernel has no netem or packet filter to
//! make asymmetric cuts, and the proxy does both kinds everywhere.)
//!
//! The schedule: the leader cut off both ways (the majority elects another,
//! the old leader refuses writes with 504 and fails /readyz), healed; a
//! follower cut off, healed; the leader unable to reach one follower, healed;
//! one follower unable to reach the leader, healed. A watch open on the
//! follower that was cut off receives, after healing, the writes made while
//! it was away.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubox_tests::cluster::{NodeSpec, assert_converged, free_port, leader_index, start_cluster, wait_until};
use kubox_tests::faults::{Faults, UdpProxy};
use kubox_tests::linearizability::{History, Op, Outcome, Response, Verdict, check};
use kubox_tests::{Kubox, try_https_request};
use serde_json::{Value, json};

const KEYS: usize = 8;
const PATH: &str = "/api/v1/namespaces/default/configmaps";

/// One client's view of a node.
#[derive(Clone)]
struct Endpoint {
    address: SocketAddr,
    pki: std::path::PathBuf,
}

impl Endpoint {
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, Value), String> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let headers = [("Content-Type", "application/json")];
        let r = try_https_request(self.address, &self.pki, method, path, &headers, body.as_bytes(), true)?;
        Ok((r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null)))
    }

    /// The key's value and resourceVersion; `None` if absent; `Err` if the
    /// node did not answer.
    fn read(&self, key: usize) -> Result<Option<(String, String)>, String> {
        match self.call("GET", &format!("{PATH}/lin-{key}"), None)? {
            (200, v) => Ok(Some((
                v["data"]["v"].as_str().unwrap_or_default().to_string(),
                v["metadata"]["resourceVersion"].as_str().unwrap_or_default().to_string(),
            ))),
            (404, _) => Ok(None),
            (code, v) => Err(format!("read answered {code}: {v}")),
        }
    }
}

fn cm(key: usize, value: &str, rv: Option<&str>) -> Value {
    let mut v = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("lin-{key}")}, "data": {"v": value}});
    if let Some(rv) = rv {
        v["metadata"]["resourceVersion"] = json!(rv);
    }
    v
}

/// A small deterministic generator (no dependency).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Runs one client until `stop`: random reads, writes and compare-and-swaps
/// on random keys through `ep`, recorded in `history`.
fn client(id: usize, ep: Endpoint, history: History, stop: Arc<AtomicBool>, next: Arc<AtomicU64>) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (id as u64 + 1));
    let unique = || format!("v{}", next.fetch_add(1, Ordering::SeqCst));
    for _ in 0..100_000 {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        // Paced, so that the history stays small enough to check quickly.
        std::thread::sleep(Duration::from_millis(10));
        let key = rng.below(KEYS as u64) as usize;
        let name = format!("lin-{key}");
        match rng.below(3) {
            0 => {
                let op = history.invoke(id, Op::Read { key: name });
                match ep.read(key) {
                    Ok(v) => history.complete(op, Outcome::Ok(Response::Read(v.map(|(v, _)| v)))),
                    Err(_) => history.complete(op, Outcome::Unknown),
                }
            }
            1 => {
                let value = unique();
                let op = history.invoke(id, Op::Write { key: name, value: value.clone() });
                match ep.call("PUT", &format!("{PATH}/lin-{key}"), Some(&cm(key, &value, None))) {
                    Ok((200, _)) => history.complete(op, Outcome::Ok(Response::Written)),
                    _ => history.complete(op, Outcome::Unknown),
                }
            }
            _ => {
                // Compare-and-swap: read the value and its resourceVersion,
                // then write on that resourceVersion. Values are unique, so
                // the resourceVersion matches exactly when the value does.
                let Ok(Some((expected, rv))) = ep.read(key) else { continue };
                let value = unique();
                let op = history.invoke(id, Op::Cas { key: name, expected: Some(expected), new: value.clone() });
                match ep.call("PUT", &format!("{PATH}/lin-{key}"), Some(&cm(key, &value, Some(&rv)))) {
                    Ok((200, _)) => history.complete(op, Outcome::Ok(Response::Swapped(true))),
                    Ok((409, _)) => history.complete(op, Outcome::Ok(Response::Swapped(false))),
                    _ => history.complete(op, Outcome::Unknown),
                }
            }
        }
    }
}

fn endpoint(k: &Kubox) -> Endpoint {
    Endpoint { address: k.address, pki: k.data_dir.join("pki") }
}

#[test]
fn partitions_keep_the_majority_available_and_the_history_linearizable() {
    let root = tempfile::tempdir().unwrap();
    let faults = Faults::default();
    let proxies: Arc<Mutex<Vec<UdpProxy>>> = Arc::default();
    let (_specs, nodes) = start_cluster(root.path(), |spec: &mut NodeSpec| {
        let i = match spec.ip {
            std::net::IpAddr::V4(ip) => ip.octets()[3] as usize,
            std::net::IpAddr::V6(_) => unreachable!(),
        };
        let listen = SocketAddr::new(spec.ip, free_port(spec.ip));
        let target = SocketAddr::new(spec.ip, spec.peer_port);
        let proxy = UdpProxy::start(i, listen, target, faults.clone()).expect("starting a fault proxy");
        spec.peer_advertise = Some(proxy.addr);
        proxies.lock().unwrap().push(proxy);
    });
    let node = |i: usize| nodes[i].as_ref().unwrap();

    // The keys exist before the clients start; their creation opens the history.
    let history = History::new();
    let first = endpoint(node(0));
    for key in 0..KEYS {
        let op = history.invoke(0, Op::Write { key: format!("lin-{key}"), value: "v0".into() });
        assert_eq!(first.call("POST", PATH, Some(&cm(key, "v0", None))).unwrap().0, 201);
        history.complete(op, Outcome::Ok(Response::Written));
    }

    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicU64::new(1));
    let clients: Vec<_> = (0..6)
        .map(|c| {
            let (ep, h, s, n) = (endpoint(node(c % 3)), history.clone(), stop.clone(), next.clone());
            std::thread::spawn(move || client(c + 1, ep, h, s, n))
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));

    // 1. The leader cut off both ways.
    let leader = leader_index(&nodes);
    faults.isolate(leader + 1, 3);
    let cut_at = Instant::now();
    let others: Vec<usize> = (0..3).filter(|i| *i != leader).collect();
    wait_until("a new leader among the majority", Duration::from_secs(15), || {
        others.iter().any(|i| kubox_tests::cluster::status(node(*i))["role"] == "leader")
    });
    eprintln!("the majority elected a new leader {:?} after the cut", cut_at.elapsed());
    let body = cm(99, "alone", None);
    let (code, status) = endpoint(node(leader)).call("POST", PATH, Some(&body)).unwrap();
    assert!(code == 504 || code == 503, "the cut-off leader answered a write with {code}: {status}");
    wait_until("the cut-off node to report not ready", Duration::from_secs(15), || {
        node(leader).get("/readyz").0 == 500
    });
    let (code, _) = endpoint(node(others[0])).call("POST", PATH, Some(&cm(98, "majority", None))).unwrap();
    assert_eq!(code, 201, "the majority refused a write");
    std::thread::sleep(Duration::from_secs(2));
    faults.heal();
    wait_until("the healed node to be ready again", Duration::from_secs(20), || node(leader).get("/readyz").0 == 200);

    // 2. A follower cut off both ways, with a watch open on it: the writes
    // made meanwhile reach the watch after healing, in order.
    let leader = leader_index(&nodes);
    let follower = (0..3).find(|i| *i != leader).unwrap();
    let (_, list) = endpoint(node(follower)).call("GET", &format!("{PATH}?labelSelector=gap"), None).unwrap();
    let from = list["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    let watch = {
        let ep = endpoint(node(follower));
        std::thread::spawn(move || {
            let path = format!("{PATH}?watch=1&labelSelector=gap&resourceVersion={from}&timeoutSeconds=10");
            let r = try_https_request(ep.address, &ep.pki, "GET", &path, &[], b"", true).unwrap();
            String::from_utf8_lossy(&r.body).into_owned()
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    faults.isolate(follower + 1, 3);
    let writer = endpoint(node(leader));
    for i in 0..3 {
        let body = json!({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": format!("gap-{i}"), "labels": {"gap": "yes"}}});
        assert_eq!(writer.call("POST", PATH, Some(&body)).unwrap().0, 201);
    }
    std::thread::sleep(Duration::from_secs(2));
    faults.heal();
    let events = watch.join().unwrap();
    let names: Vec<String> = events
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["type"] == "ADDED")
        .map(|e| e["object"]["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["gap-0", "gap-1", "gap-2"], "the watch on the healed node: {events}");
    std::thread::sleep(Duration::from_secs(1));

    // 3. The leader cannot reach one follower (that follower still reaches it).
    let leader = leader_index(&nodes);
    let follower = (0..3).find(|i| *i != leader).unwrap();
    faults.cut(leader + 1, follower + 1);
    std::thread::sleep(Duration::from_secs(3));
    faults.heal();
    std::thread::sleep(Duration::from_secs(2));

    // 4. One follower cannot reach the leader (the leader still reaches it).
    let leader = leader_index(&nodes);
    let follower = (0..3).find(|i| *i != leader).unwrap();
    faults.cut(follower + 1, leader + 1);
    std::thread::sleep(Duration::from_secs(3));
    faults.heal();
    std::thread::sleep(Duration::from_secs(2));

    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let listed = assert_converged(&nodes);
    assert!(listed.iter().any(|(n, _)| n == "lin-98"));
    assert!(!listed.iter().any(|(n, _)| n == "lin-99"), "the cut-off leader applied a write it refused");

    eprintln!("checking a history of {} operations", history.len());
    // KUBOX_DUMP_HISTORY=FILE keeps the history, to study a failed check.
    if let Ok(path) = std::env::var("KUBOX_DUMP_HISTORY") {
        std::fs::write(path, format!("{history:#?}")).unwrap();
    }
    match check(&history, Duration::from_secs(120)) {
        Verdict::Ok => {}
        Verdict::Timeout => panic!("the linearizability check did not finish in time ({} operations)", history.len()),
        illegal => panic!("the history is not linearizable: {illegal}"),
    }
    drop(nodes);
    drop(proxies);
}
