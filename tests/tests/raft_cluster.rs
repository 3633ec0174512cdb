//! Three kubox nodes on loopback (127.0.0.1, .2 and .3), joined with a
//! token, with clients writing through every node: the leader is killed
//! with SIGKILL and writes resume on the survivors; no acknowledged write is
//! lost; the killed node comes back and every node holds the same objects;
//! all three are killed at once and lose nothing; a node that was down while
//! many writes happened catches up by snapshot. Joining with a bad token or
//! from another cluster's data directory is refused.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubox_tests::Kubox;
use kubox_tests::cluster::{
    NodeSpec, admin, assert_converged, create_cm, leader_index, refused_start, start_cluster, status, token, voters,
    wait_until,
};
use serde_json::json;

#[test]
fn a_three_node_cluster_survives_a_leader_kill_and_a_full_crash() {
    let root = tempfile::tempdir().unwrap();
    let (specs, mut nodes) = start_cluster(root.path(), |_| {});

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

    // A copy of a member's data directory, started elsewhere, is refused:
    // two nodes must never share an id.
    let mut nodes = nodes;
    nodes[1].take().unwrap().stop(libc::SIGTERM, Duration::from_secs(20));
    let copy = root.path().join("copy");
    let status = std::process::Command::new("cp").arg("-a").arg(&specs[1].dir).arg(&copy).status().unwrap();
    assert!(status.success());
    let exit = refused_start(&copy, "127.0.0.4", &[]);
    assert!(exit.stderr.contains("two nodes must never share an id"), "{}", exit.stderr);
}

#[test]
fn a_node_that_missed_many_writes_catches_up_by_snapshot() {
    let root = tempfile::tempdir().unwrap();
    let (specs, mut nodes) = start_cluster(root.path(), |_| {});
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
        refused_start(&root.path().join(dir), "127.0.0.2", &["--join", &url, "--token", token])
    };

    // A token for another cluster (its CA hash does not match).
    let (_, cred) = good.split_once("::").unwrap();
    let foreign = format!("K10{}::{cred}", "ab".repeat(32));
    let exit = join("a", &foreign);
    assert!(exit.stderr.contains("does not match the join token"), "{}", exit.stderr);

    // The right cluster, a wrong secret.
    let (head, _) = good.rsplit_once('.').unwrap();
    let exit = join("b", &format!("{head}.{}", "0".repeat(32)));
    assert!(exit.stderr.contains("invalid join token"), "{}", exit.stderr);

    // Not a token at all.
    let exit = join("c", "hunter2");
    assert!(exit.stderr.contains("invalid join token"), "{}", exit.stderr);

    // A data directory that belongs to another cluster.
    let other = root.path().join("other");
    let lone = Kubox::start(&other);
    drop(lone);
    let exit = refused_start(&other, "127.0.0.1", &["--join", &url, "--token", &good]);
    assert!(exit.stderr.contains("belongs to another cluster"), "{}", exit.stderr);
}

#[test]
fn members_are_removed_and_added_while_writes_continue() {
    let root = tempfile::tempdir().unwrap();
    let (specs, mut nodes) = start_cluster(root.path(), |_| {});
    let (address, pki, kubeconfig) = {
        let first = nodes[0].as_ref().unwrap();
        (first.address, first.data_dir.join("pki"), first.kubeconfig())
    };
    let stop = Arc::new(AtomicBool::new(false));
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let writer = {
        let (stop, failures) = (stop.clone(), failures.clone());
        std::thread::spawn(move || {
            let mut acked = Vec::new();
            for seq in 0..100_000 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let name = format!("m-{seq}");
                match create_cm(address, &pki, &name) {
                    Ok(201) => acked.push(name),
                    other => failures.lock().unwrap().push(format!("{name}: {other:?}")),
                }
            }
            acked
        })
    };
    std::thread::sleep(Duration::from_millis(500));
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(kubox_tests::kubox_binary())
            .arg("cluster")
            .args(args)
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .output()
            .unwrap();
        assert!(out.status.success(), "kubox cluster {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    // The third node is removed with the CLI, through the first node.
    let third_id = format!("{:x}", status(nodes[2].as_ref().unwrap())["id"].as_u64().unwrap());
    cli(&["remove", &third_id]);
    wait_until("two voters", Duration::from_secs(20), || voters(nodes[0].as_ref().unwrap()) == 2);
    nodes[2].take().unwrap().stop(libc::SIGTERM, Duration::from_secs(20));
    let members = cli(&["members"]);
    assert!(!members.contains(&third_id), "{members}");

    // A fourth node joins with a token from the CLI, still under writes.
    let token = cli(&["token"]).trim().to_string();
    nodes[2] = Some(NodeSpec::new(4, root.path()).start(Some((&specs[0].url(), &token))));
    wait_until("three voters again", Duration::from_secs(30), || voters(nodes[0].as_ref().unwrap()) == 3);
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::SeqCst);
    let acked = writer.join().unwrap();
    let failures = failures.lock().unwrap().clone();
    assert!(failures.is_empty(), "writes failed during the membership changes: {failures:?}");
    assert!(acked.len() > 10, "only {} writes", acked.len());
    let listed = assert_converged(&nodes);
    for name in &acked {
        assert!(listed.iter().any(|(n, _)| n == name), "acknowledged write {name} is lost");
    }
}

/// The addresses the `kubernetes` Endpoints list, through `k`.
fn kubernetes_endpoints(k: &Kubox) -> Vec<String> {
    let (_, e) = admin(k, "GET", "/api/v1/namespaces/default/endpoints/kubernetes", b"").unwrap();
    let addresses = e["subsets"][0]["addresses"].as_array().cloned().unwrap_or_default();
    addresses.iter().filter_map(|a| a["ip"].as_str().map(str::to_string)).collect()
}

/// `f(index, node)` on every running node at once.
fn on_every_node<T: Send>(nodes: &[Option<Kubox>], f: impl Fn(usize, &Kubox) -> T + Sync) -> Vec<T> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = nodes
            .iter()
            .enumerate()
            .filter_map(|(n, k)| k.as_ref().map(|k| (n, k)))
            .map(|(n, k)| {
                let f = &f;
                scope.spawn(move || f(n, k))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn services_get_distinct_addresses_on_every_node_and_endpoints_list_live_servers() {
    let root = tempfile::tempdir().unwrap();
    // Documentation addresses (192.0.2.0/24) stand for the nodes' public
    // ones: loopback addresses may not be published as endpoints.
    let (_specs, mut nodes) = start_cluster(root.path(), |s| {
        s.advertise = Some(format!("192.0.2.{}", s.ip.to_string().rsplit('.').next().unwrap()).parse().unwrap())
    });
    let all = vec!["192.0.2.1".to_string(), "192.0.2.2".into(), "192.0.2.3".into()];
    let first = nodes[0].as_ref().unwrap();
    wait_until("three API servers in the endpoints", Duration::from_secs(15), || kubernetes_endpoints(first) == all);
    let (_, slice) = admin(
        nodes[0].as_ref().unwrap(),
        "GET",
        "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes",
        b"",
    )
    .unwrap();
    assert_eq!(slice["endpoints"].as_array().map(Vec::len), Some(3), "{slice}");

    // A service account token made on one node is good on another: the
    // signing key came with the join.
    let (one, two) = (nodes[0].as_ref().unwrap(), nodes[1].as_ref().unwrap());
    one.kubectl(&["create", "serviceaccount", "bot"]).ok();
    let token = one.kubectl(&["create", "token", "bot"]).ok();
    let server = format!("https://{}", two.address);
    let ca = two.data_dir.join("pki").join("ca.crt").to_string_lossy().to_string();
    let who = two
        .kubectl_with(
            &kubox_tests::kubectl_binary(),
            &[
                "--kubeconfig=/dev/null",
                "--server",
                &server,
                "--certificate-authority",
                &ca,
                "--token",
                token.trim(),
                "auth",
                "whoami",
                "-o",
                "jsonpath={.status.userInfo.username}",
            ],
            &[],
        )
        .ok();
    assert_eq!(who, "system:serviceaccount:default:bot");

    // Services created at the same time through all three nodes never share
    // an address or a node port, and one explicit port goes to one of them.
    let created = on_every_node(&nodes, |n, k| {
        let mut got = Vec::new();
        for i in 0..15 {
            let body = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": format!("s{n}-{i}")},
                              "spec": {"type": "NodePort", "ports": [{"port": 80}]}});
            let (code, s) =
                admin(k, "POST", "/api/v1/namespaces/default/services", body.to_string().as_bytes()).unwrap();
            assert_eq!(code, 201, "{s}");
            got.push((
                s["spec"]["clusterIP"].as_str().unwrap().to_string(),
                s["spec"]["ports"][0]["nodePort"].as_u64().unwrap(),
            ));
        }
        got
    });
    let created: Vec<(String, u64)> = created.into_iter().flatten().collect();
    let ips: BTreeSet<&String> = created.iter().map(|(ip, _)| ip).collect();
    let ports: BTreeSet<u64> = created.iter().map(|(_, p)| *p).collect();
    assert_eq!((ips.len(), ports.len()), (45, 45), "{created:?}");
    let codes = on_every_node(&nodes, |n, k| {
        let body = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": format!("fixed-{n}")},
                          "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 31999}]}});
        admin(k, "POST", "/api/v1/namespaces/default/services", body.to_string().as_bytes()).unwrap().0
    });
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(sorted, [201, 422, 422], "{codes:?}");

    // A node killed with SIGKILL drops out when its lease expires (15 s).
    nodes[2].take().unwrap().stop(libc::SIGKILL, Duration::from_secs(5));
    let first = nodes[0].as_ref().unwrap();
    wait_until("the killed node out of the endpoints", Duration::from_secs(40), || {
        kubernetes_endpoints(first) == all[..2]
    });
    // One stopped gracefully removes itself at once.
    nodes[1].take().unwrap().stop(libc::SIGTERM, Duration::from_secs(20));
    let (_, e) = admin(
        nodes[0].as_ref().unwrap(),
        "GET",
        "/api/v1/namespaces/default/endpoints/kubernetes?resourceVersion=0",
        b"",
    )
    .unwrap();
    let left: Vec<&str> =
        e["subsets"][0]["addresses"].as_array().unwrap().iter().filter_map(|a| a["ip"].as_str()).collect();
    assert_eq!(left, ["192.0.2.1"], "{e}");
}
