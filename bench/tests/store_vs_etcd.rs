//! The store bench runs every workload against kubox and a real etcd, and
//! reports both with their ratios. Small counts: this checks the bench, it
//! does not measure.

use std::path::PathBuf;

use kubox_bench::stats::markdown;
use kubox_bench::store::{Config, Workload, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_every_workload_against_kubox_and_etcd() {
    let etcd = PathBuf::from("/usr/bin/etcd");
    assert!(etcd.exists(), "the bench compares with etcd: apt-get install -y etcd-server");
    let cfg = Config { ops: 40, clients: vec![1, 4], list_keys: 50, etcd: Some(etcd), ..Config::default() };
    let report = run(&cfg).await.unwrap();
    assert!(report.peer.as_deref().is_some_and(|v| v.contains("3.4")), "{:?}", report.peer);
    assert_eq!(report.rows.len(), Workload::ALL.len() * 2);
    for row in &report.rows {
        let peer = row.peer.as_ref().expect("etcd figures");
        assert_eq!(row.kubox.count, 40, "{}", row.workload);
        assert_eq!(peer.count, 40, "{}", row.workload);
        assert!(row.kubox.p99 >= row.kubox.p50 && peer.p99 >= peer.p50);
        assert!(row.kubox.throughput() > 0.0 && peer.throughput() > 0.0);
    }
    let table = markdown(&report.rows, "etcd");
    assert!(table.contains("| watch delivery | 4 |"), "{table}");
    assert!(table.contains("throughput kubox/etcd"), "{table}");
}
