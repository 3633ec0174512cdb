//! Helpers for tests that run several kubox nodes on loopback (127.0.0.1,
//! .2, .3 ...): free ports, starting and joining nodes, their status, and
//! checks that they converge.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{Kubox, try_https_request};

/// A port free for both TCP and UDP on `ip`.
pub fn free_port(ip: IpAddr) -> u16 {
    for _ in 0..1000 {
        let tcp = TcpListener::bind((ip, 0)).expect("binding a TCP port");
        let port = tcp.local_addr().unwrap().port();
        if UdpSocket::bind((ip, port)).is_ok() {
            return port;
        }
    }
    panic!("no port on {ip} is free for both TCP and UDP");
}

/// Runs `kubox serve` on `data_dir` at `bind` (free ports) with `extra`
/// flags, for a start that must fail; returns how it ended.
pub fn refused_start(data_dir: &Path, bind: &str, extra: &[&str]) -> crate::Exit {
    let mut args = vec!["serve", "--data-dir", data_dir.to_str().unwrap(), "--bind-address", bind];
    args.extend(["--secure-port", "0", "--peer-port", "0"]);
    args.extend(extra);
    let exit = crate::run_kubox(&args, Duration::from_secs(60));
    assert!(!exit.status.success(), "kubox serve {extra:?} started: {}", exit.stderr);
    exit
}

/// One node: its address, ports and data directory.
pub struct NodeSpec {
    /// `127.0.0.k`.
    pub ip: IpAddr,
    /// The API port.
    pub api_port: u16,
    /// The Raft transport port.
    pub peer_port: u16,
    /// Where peers reach its transport, if not directly (a fault proxy).
    pub peer_advertise: Option<SocketAddr>,
    /// The address it publishes for the API (`--advertise-address`), when
    /// not its bind address.
    pub advertise: Option<IpAddr>,
    /// Its data directory.
    pub dir: PathBuf,
}

impl NodeSpec {
    /// Node `i` at `127.0.0.i`, with free ports, under `root`.
    pub fn new(i: u8, root: &Path) -> Self {
        let ip: IpAddr = format!("127.0.0.{i}").parse().unwrap();
        Self {
            ip,
            api_port: free_port(ip),
            peer_port: free_port(ip),
            peer_advertise: None,
            advertise: None,
            dir: root.join(format!("node{i}")),
        }
    }

    /// Its API URL.
    pub fn url(&self) -> String {
        format!("https://{}:{}", self.ip, self.api_port)
    }

    fn flags(&self) -> Vec<String> {
        let mut flags: Vec<String> = [
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
        .collect();
        let peer = self.peer_advertise.unwrap_or(SocketAddr::new(self.ip, self.peer_port));
        if self.peer_advertise.is_some() || self.advertise.is_some() {
            flags.extend(["--peer-advertise-address".to_string(), peer.to_string()]);
        }
        if let Some(a) = self.advertise {
            flags.extend(["--advertise-address".to_string(), a.to_string()]);
        }
        flags
    }

    /// Starts it, joining through `join` (a URL and a token) if given.
    pub fn start(&self, join: Option<(&str, &str)>) -> Kubox {
        let mut flags = self.flags();
        if let Some((url, token)) = join {
            flags.extend(["--join".into(), url.into(), "--token".into(), token.into()]);
        }
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        Kubox::start_with(&self.dir, &flags)
    }
}

/// Sends an admin request; the status and the JSON body.
pub fn admin(k: &Kubox, method: &str, path: &str, body: &[u8]) -> Result<(u16, Value), String> {
    let headers = [("Content-Type", "application/json"), ("Accept", "application/json")];
    let r = try_https_request(k.address, &k.data_dir.join("pki"), method, path, &headers, body, true)?;
    Ok((r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null)))
}

/// `/kubox/v1/cluster/status` of `k`.
pub fn status(k: &Kubox) -> Value {
    admin(k, "GET", "/kubox/v1/cluster/status", b"").map(|(_, v)| v).unwrap_or(Value::Null)
}

/// A join token from `k`.
pub fn token(k: &Kubox) -> String {
    let (code, v) = admin(k, "POST", "/kubox/v1/cluster/tokens", b"").expect("creating a token");
    assert_eq!(code, 200, "{v}");
    v["token"].as_str().expect("a token").to_string()
}

/// Polls `ok` until it holds, or panics after `timeout`.
pub fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many voters `k` knows.
pub fn voters(k: &Kubox) -> usize {
    status(k)["members"].as_array().map_or(0, |m| m.iter().filter(|m| m["voter"] == true).count())
}

/// Names and resourceVersions of the ConfigMaps in `default`, by a
/// consistent list on `k`.
pub fn configmaps(k: &Kubox) -> Result<Vec<(String, String)>, String> {
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

/// Creates a ConfigMap `name` in `default`; the status code.
pub fn create_cm(address: SocketAddr, pki: &Path, name: &str) -> Result<u16, String> {
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

/// Starts three nodes under `root` (with `setup` applied to each spec first) and joins them.
pub fn start_cluster(root: &Path, setup: impl Fn(&mut NodeSpec)) -> (Vec<NodeSpec>, Vec<Option<Kubox>>) {
    let mut specs: Vec<NodeSpec> = (1..=3).map(|i| NodeSpec::new(i, root)).collect();
    specs.iter_mut().for_each(setup);
    let first = specs[0].start(None);
    let token = token(&first);
    let url = specs[0].url();
    let second = specs[1].start(Some((&url, &token)));
    let third = specs[2].start(Some((&specs[1].url(), &token)));
    wait_until("three voters", Duration::from_secs(30), || voters(&first) == 3);
    (specs, vec![Some(first), Some(second), Some(third)])
}

/// Which of `nodes` leads.
pub fn leader_index(nodes: &[Option<Kubox>]) -> usize {
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
pub fn assert_converged(nodes: &[Option<Kubox>]) -> Vec<(String, String)> {
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
