//! Durability under `kill -9`: a child process writes continuously and
//! acknowledges every write on a pipe; the test kills it with SIGKILL at a
//! random moment, reopens the store and finds every acknowledged write, with
//! its revision, and a history without gaps. Several rounds on one directory.
#![cfg(feature = "rocksdb")]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use kubox_storage::{KeyRange, LocalStore, PutRequest, RangeRequest, Store, StoreOptions, WatchMessage, WatchRequest};

const CHILD_DIR: &str = "KUBOX_CRASH_CHILD_DIR";
const CHILD_ROUND: &str = "KUBOX_CRASH_CHILD_ROUND";
const WRITERS: usize = 8;

/// The writer child. It does nothing unless started by the crash test.
#[test]
#[ignore = "helper process of crash_test; runs only when the crash test starts it"]
fn crash_child_writer() {
    let (Ok(dir), Ok(round)) = (std::env::var(CHILD_DIR), std::env::var(CHILD_ROUND)) else { return };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async move {
        let store = Arc::new(LocalStore::open(dir.as_ref(), StoreOptions::default()).unwrap());
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let store = store.clone();
            let round = round.clone();
            tasks.push(tokio::spawn(async move {
                for n in 0u64.. {
                    let key = format!("k/{round}/{w}/{n}");
                    let (rev, _) = store.put(PutRequest::new(key.clone(), format!("v{n}"))).await.unwrap();
                    // Also keep overwriting one key per writer.
                    let (crev, _) = store.put(PutRequest::new(format!("c/{w}"), format!("{round}:{n}"))).await.unwrap();
                    // Acknowledged: durable from here on.
                    println!("ACK {key} {rev} c/{w} {round}:{n} {crev}");
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
}

/// A little xorshift, so the kill points differ from run to run.
fn random_ms(state: &mut u64, lo: u64, hi: u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    lo + *state % (hi - lo)
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let mut seed = Instant::now().elapsed().as_nanos() as u64 | 1;
    seed ^= std::process::id() as u64;
    let mut acked: HashMap<String, i64> = HashMap::new();
    let mut counters: HashMap<String, (String, i64)> = HashMap::new();
    let rt = tokio::runtime::Runtime::new().unwrap();

    for round in 0..4 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["crash_child_writer", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_DIR, dir.path())
            .env(CHILD_ROUND, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Wait for the first acknowledgement, then let it run a random while.
        let mut round_acks = Vec::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            if line.starts_with("ACK ") {
                round_acks.push(line);
                break;
            }
        }
        assert!(!round_acks.is_empty(), "round {round}: the child never acknowledged a write");
        let kill_after = Duration::from_millis(random_ms(&mut seed, 50, 600));
        let start = Instant::now();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if line.starts_with("ACK ") && tx.send(line).is_err() {
                    break;
                }
            }
        });
        while start.elapsed() < kill_after {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(5)) {
                round_acks.push(line);
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        round_acks.extend(rx.try_iter());

        for line in &round_acks {
            let f: Vec<&str> = line.split(' ').collect();
            acked.insert(f[1].to_string(), f[2].parse().unwrap());
            let crev: i64 = f[5].parse().unwrap();
            let entry = counters.entry(f[3].to_string()).or_insert((String::new(), 0));
            if crev > entry.1 {
                *entry = (f[4].to_string(), crev);
            }
        }

        // Reopen and check every acknowledged write, and the history.
        let store = LocalStore::open(dir.path(), StoreOptions::default()).unwrap();
        rt.block_on(async {
            let all = store.range(RangeRequest::new(KeyRange::prefix("k/"))).await.unwrap();
            let found: HashMap<&[u8], i64> = all.kvs.iter().map(|kv| (&kv.key[..], kv.mod_revision)).collect();
            for (key, rev) in &acked {
                assert_eq!(found.get(key.as_bytes()), Some(rev), "round {round}: acknowledged {key}@{rev} lost");
            }
            for (key, (value, rev)) in &counters {
                let kv = store.get(Bytes::from(key.clone())).await.unwrap().unwrap();
                // The newest acknowledged value, or one written after it.
                assert!(kv.mod_revision >= *rev, "round {round}: {key} went back to {}", kv.mod_revision);
                if kv.mod_revision == *rev {
                    assert_eq!(kv.value, Bytes::from(value.clone()));
                }
            }
            // One event per revision from 1 to the current one: no hole.
            let current = store.current_revision().await.unwrap();
            let mut w = store
                .watch(WatchRequest {
                    range: KeyRange::between("\0", vec![0u8]),
                    start_revision: 1,
                    ..Default::default()
                })
                .await
                .unwrap();
            let mut next = 1;
            while next <= current {
                match w.next().await {
                    Some(Ok(WatchMessage::Events(evs))) => {
                        for e in evs {
                            assert_eq!(e.kv.mod_revision, next, "round {round}: history has a hole");
                            next += 1;
                        }
                    }
                    other => panic!("round {round}: {other:?}"),
                }
            }
        });
        eprintln!("round {round}: killed after {kill_after:?}, {} writes acknowledged so far", acked.len());
    }
}
