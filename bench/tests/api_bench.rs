//! The API bench runs every workload against a kubox it starts (the debug
//! binary of this workspace) and reports a figure for every row. Tiny
//! counts: this checks the bench, it does not measure.

use std::time::Duration;

use kubox_bench::api::{self, Config, Figure, Part};

#[test]
fn runs_every_workload_against_a_kubox_it_starts() {
    let kubox = kubox_tests::kubox_binary().to_path_buf();
    let cfg = Config {
        kubox,
        ops: 12,
        clients: vec![1, 4],
        list_objects: 30,
        list_ops: 3,
        page_size: 7,
        watchers: vec![1, 5],
        watch_events: 3,
        startups: 2,
        memory_objects: 40,
        fill_clients: 8,
        deadline: Duration::from_secs(60),
        fill_deadline: Duration::from_secs(60),
        parts: Part::ALL.to_vec(),
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let report = runtime.block_on(api::run(&cfg)).unwrap();
    assert!(report.server.contains("v1.35"), "{}", report.server);

    let rows = |prefix: &str| report.rows.iter().filter(|r| r.workload.starts_with(prefix)).count();
    // Three phases, two kinds, two client counts.
    assert_eq!(rows("create ConfigMap") + rows("get ConfigMap") + rows("update ConfigMap"), 6);
    assert_eq!(rows("create Pod") + rows("get Pod") + rows("update Pod"), 6);
    assert_eq!(rows("list 30 ConfigMaps"), 4, "full and paginated, at two client counts");
    assert_eq!(rows("watch delivery"), 2);
    assert_eq!(rows("start to /readyz"), 1);
    assert_eq!(rows("resident memory"), 3, "after the load, idle, holding the ConfigMaps");

    for row in &report.rows {
        match &row.figure {
            Figure::Load(s) | Figure::Latency(s) => {
                assert!(s.count > 0 && s.throughput() > 0.0, "{} {}: {s:?}", row.workload, row.load);
                assert!(s.p99 >= s.p50 && s.p50 > Duration::ZERO, "{} {}: {s:?}", row.workload, row.load);
            }
            Figure::Memory(bytes) => assert!(*bytes > 1_000_000, "{}: {bytes} bytes", row.workload),
        }
    }
    let count = |workload: &str, load: &str| {
        let row = report.rows.iter().find(|r| r.workload.starts_with(workload) && r.load == load).unwrap();
        match &row.figure {
            Figure::Load(s) | Figure::Latency(s) => s.count,
            Figure::Memory(_) => 0,
        }
    };
    assert_eq!(count("create Pod", "4 clients"), 12);
    assert_eq!(count("update ConfigMap", "1 client"), 12);
    assert_eq!(count("watch delivery", "5 watchers"), 5 * 3, "every watcher gets every create");
    assert_eq!(count("list 30 ConfigMaps (pages", "1 client"), 3);
    assert_eq!(count("start to /readyz", "2 starts"), 2);

    let table = api::markdown(&report.rows);
    assert!(table.contains("| watch delivery (create → every watcher) | 5 watchers | 15 |"), "{table}");
    assert!(table.contains("| resident memory holding 40 1-KiB ConfigMaps |"), "{table}");
    assert!(table.contains("| ≤ 300 ms |"), "{table}");
}
