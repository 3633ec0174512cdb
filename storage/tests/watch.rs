//! Watches over thousands of events, across a compaction, with fast and slow
//! consumers: no gap, no duplicate, "compacted" for starts that are too old.
#![cfg(feature = "rocksdb")]

use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use kubox_storage::{
    DeleteRangeRequest, Event, EventKind, KeyRange, LocalStore, PutRequest, Store, StoreError, StoreOptions,
    WatchMessage, WatchRequest, WatchStream,
};

const EVENTS: i64 = 4000;
const COMPACT_AT: i64 = 2000;

fn open(dir: &std::path::Path) -> LocalStore {
    let options =
        StoreOptions { sync_writes: false, watch_progress_interval: Duration::from_millis(100), ..Default::default() };
    LocalStore::open(dir, options).unwrap()
}

/// Write number `i` (1-based) is revision `i`: every fifth one deletes the
/// key the previous one wrote.
async fn write(store: &LocalStore, i: i64) {
    let key = format!("/registry/events/ns/e{}", i % 37);
    let rev = if i % 5 == 0 {
        let prev = format!("/registry/events/ns/e{}", (i - 1) % 37);
        let (rev, d) =
            store.delete_range(DeleteRangeRequest { range: KeyRange::key(prev), prev_kv: false }).await.unwrap();
        assert_eq!(d.deleted, 1);
        rev
    } else {
        store.put(PutRequest::new(key, format!("value {i}"))).await.unwrap().0
    };
    assert_eq!(rev, i);
}

/// Reads events until revision `until` has been delivered, checking that
/// they come one per revision, in order, from `from`.
async fn drain(w: &mut WatchStream, from: i64, until: i64) -> Vec<Event> {
    let mut events = Vec::new();
    let mut next = from;
    while next <= until {
        let msg = tokio::time::timeout(Duration::from_secs(20), w.next()).await.expect("watch stalled");
        match msg {
            Some(Ok(WatchMessage::Events(evs))) => {
                for e in evs {
                    assert_eq!(e.kv.mod_revision, next, "gap or duplicate");
                    let expected = if next % 5 == 0 { EventKind::Delete } else { EventKind::Put };
                    assert_eq!(e.kind, expected, "event at {next}");
                    next += 1;
                    events.push(e);
                }
            }
            Some(Ok(WatchMessage::Progress(_))) => {}
            other => panic!("watch from {from} ended at {next}: {other:?}"),
        }
    }
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_events_across_a_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let prefix = KeyRange::prefix("/registry/events/");
    let watch = |start: i64| WatchRequest {
        range: prefix.clone(),
        start_revision: start,
        prev_kv: true,
        progress_notify: false,
    };

    // A fast consumer from the start, and a slow one that is not read until
    // after the compaction and so falls behind it.
    let mut fast = store.watch(watch(1)).await.unwrap();
    let mut slow = store.watch(watch(1)).await.unwrap();
    let fast_reader = tokio::spawn(async move { drain(&mut fast, 1, EVENTS).await });

    for i in 1..=COMPACT_AT + 500 {
        write(&store, i).await;
    }
    assert_eq!(store.compact(COMPACT_AT).await.unwrap(), COMPACT_AT + 500);

    // Too old: refused at once, with the compact revision.
    match store.watch(watch(COMPACT_AT - 1)).await {
        Err(StoreError::Compacted { compact_revision }) => assert_eq!(compact_revision, COMPACT_AT),
        other => panic!("expected compacted, got {:?}", other.map(|_| ())),
    }
    // From the compact revision on: replayed from disk, then live.
    let mut from_compact = store.watch(watch(COMPACT_AT)).await.unwrap();
    let mut lagging_live = store.watch(watch(COMPACT_AT + 100)).await.unwrap();
    let replay_reader = tokio::spawn(async move { drain(&mut from_compact, COMPACT_AT, EVENTS).await });

    for i in COMPACT_AT + 501..=EVENTS {
        write(&store, i).await;
    }

    let fast_events = fast_reader.await.unwrap();
    assert_eq!(fast_events.len() as i64, EVENTS);
    // Every delete carries the value it removed, every update its predecessor.
    for e in &fast_events {
        if e.kind == EventKind::Delete {
            let prev = e.prev_kv.as_ref().expect("delete without prev_kv");
            assert_eq!(prev.mod_revision, e.kv.mod_revision - 1);
        }
    }
    let replayed = replay_reader.await.unwrap();
    assert_eq!(&replayed[..], &fast_events[(COMPACT_AT - 1) as usize..]);

    // The watch started after the compaction was not read while 1,500
    // events went by: it lagged, caught up from disk, and lost nothing.
    let lagged = drain(&mut lagging_live, COMPACT_AT + 100, EVENTS).await;
    assert_eq!(&lagged[..], &fast_events[(COMPACT_AT + 99) as usize..]);

    // The slow watch from revision 1 delivers a gap-free prefix of what it
    // had queued, then learns that the rest was compacted away.
    let mut next = 1;
    loop {
        match tokio::time::timeout(Duration::from_secs(20), slow.next()).await.expect("slow watch stalled") {
            Some(Ok(WatchMessage::Events(evs))) => {
                for e in evs {
                    assert_eq!(e.kv.mod_revision, next);
                    next += 1;
                }
            }
            Some(Ok(WatchMessage::Progress(_))) => {}
            Some(Err(StoreError::Compacted { compact_revision })) => {
                assert_eq!(compact_revision, COMPACT_AT);
                assert!(next < COMPACT_AT, "it fell behind before {COMPACT_AT}, at {next}");
                break;
            }
            other => panic!("unexpected end of the slow watch: {other:?}"),
        }
    }
    assert!(slow.next().await.is_none(), "a compacted watch ends");

    // After a restart, the history from the compact revision is still there.
    drop(store);
    let store = open(dir.path());
    let mut after_restart = store.watch(watch(COMPACT_AT)).await.unwrap();
    let again = drain(&mut after_restart, COMPACT_AT, EVENTS).await;
    assert_eq!(&again[..], &fast_events[(COMPACT_AT - 1) as usize..]);
}

#[tokio::test]
async fn progress_notifications_and_future_starts() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.put(PutRequest::new("a/1", "x")).await.unwrap();

    // An idle watcher that asked for progress hears the current revision.
    let mut idle = store
        .watch(WatchRequest { range: KeyRange::prefix("b/"), progress_notify: true, ..Default::default() })
        .await
        .unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), idle.next()).await.unwrap();
    assert_eq!(msg, Some(Ok(WatchMessage::Progress(1))));

    // A watch that starts in the future sees nothing before its start.
    let mut future = store
        .watch(WatchRequest { range: KeyRange::prefix("a/"), start_revision: 4, ..Default::default() })
        .await
        .unwrap();
    for i in 2..=5 {
        store.put(PutRequest::new(format!("a/{i}"), Bytes::from("v"))).await.unwrap();
    }
    let Some(Ok(WatchMessage::Events(evs))) = future.next().await else { panic!("expected events") };
    assert_eq!(evs[0].kv.mod_revision, 4);

    // On-demand progress comes after every event already delivered.
    future.request_progress();
    let mut seen = evs.iter().map(|e| e.kv.mod_revision).collect::<Vec<_>>();
    loop {
        match future.next().await {
            Some(Ok(WatchMessage::Events(evs))) => seen.extend(evs.iter().map(|e| e.kv.mod_revision)),
            Some(Ok(WatchMessage::Progress(rev))) => {
                assert_eq!(rev, 5);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(seen, vec![4, 5]);
}
