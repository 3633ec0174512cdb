//! Network faults between kubox nodes without root: a UDP proxy in front of
//! each node's Raft transport. Node `k` listens on `127.0.0.k` and advertises
//! its proxy's address to its peers, so every packet between two nodes
//! passes through the proxy of the node the connection was opened to, where
//! the sender is known by its source address (`127.0.0.j` is node `j`).
//! Cutting a direction `a -> b` drops every packet from `a` to `b`,
//! whichever proxy carries it; cutting both is a partition, one alone an
//! asymmetric fault. The proxy's loops are bounded by a stop flag and short
//! socket timeouts.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The directions currently cut, as (from node, to node).
#[derive(Clone, Default)]
pub struct Faults {
    blocked: Arc<Mutex<HashSet<(usize, usize)>>>,
}

impl Faults {
    /// Drops packets from `from` to `to`.
    pub fn cut(&self, from: usize, to: usize) {
        self.blocked.lock().unwrap().insert((from, to));
    }

    /// Cuts `node` off from every other of `nodes`, both ways.
    pub fn isolate(&self, node: usize, nodes: usize) {
        for other in (1..=nodes).filter(|o| *o != node) {
            self.cut(node, other);
            self.cut(other, node);
        }
    }

    /// Heals every fault.
    pub fn heal(&self) {
        self.blocked.lock().unwrap().clear();
    }

    fn blocked(&self, from: usize, to: usize) -> bool {
        self.blocked.lock().unwrap().contains(&(from, to))
    }
}

/// Node `k` is the one at `127.0.0.k`.
fn node_of(addr: &SocketAddr) -> usize {
    match addr.ip() {
        IpAddr::V4(ip) => ip.octets()[3] as usize,
        IpAddr::V6(_) => 0,
    }
}

/// A running proxy in front of one node; stops when dropped.
pub struct UdpProxy {
    /// The address peers send to.
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

const TICK: Duration = Duration::from_millis(50);

impl UdpProxy {
    /// Proxies `listen` (on node `owner`'s address) to `target` under `faults`.
    pub fn start(owner: usize, listen: SocketAddr, target: SocketAddr, faults: Faults) -> std::io::Result<Self> {
        let front = Arc::new(UdpSocket::bind(listen)?);
        front.set_read_timeout(Some(TICK))?;
        let addr = front.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let (front2, stop2) = (front.clone(), stop.clone());
        let inbound = std::thread::spawn(move || {
            // One upstream socket per sender, so that answers find their way back.
            let mut upstream: HashMap<SocketAddr, (Arc<UdpSocket>, JoinHandle<()>)> = HashMap::new();
            let mut buf = vec![0u8; 65536];
            while !stop2.load(Ordering::SeqCst) {
                let Ok((n, src)) = front2.recv_from(&mut buf) else { continue };
                let from = node_of(&src);
                if faults.blocked(from, owner) {
                    continue;
                }
                let up = match upstream.get(&src) {
                    Some((sock, _)) => sock.clone(),
                    None => {
                        let Ok(sock) = UdpSocket::bind(SocketAddr::new(listen.ip(), 0)) else { continue };
                        let sock = Arc::new(sock);
                        let _ = sock.set_read_timeout(Some(TICK));
                        let (back, front3, stop3, faults3) =
                            (sock.clone(), front2.clone(), stop2.clone(), faults.clone());
                        let replies = std::thread::spawn(move || {
                            let mut buf = vec![0u8; 65536];
                            while !stop3.load(Ordering::SeqCst) {
                                let Ok((n, _)) = back.recv_from(&mut buf) else { continue };
                                if !faults3.blocked(owner, from) {
                                    let _ = front3.send_to(&buf[..n], src);
                                }
                            }
                        });
                        upstream.insert(src, (sock.clone(), replies));
                        sock
                    }
                };
                let _ = up.send_to(&buf[..n], target);
            }
            for (_, (_, t)) in upstream {
                let _ = t.join();
            }
        });
        Ok(Self { addr, stop, threads: vec![inbound] })
    }
}

impl Drop for UdpProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
