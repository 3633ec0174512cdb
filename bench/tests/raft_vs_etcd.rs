//! The raft bench runs its writes against one and three kubox nodes and a
//! three-member etcd, and measures failover. Small counts: this checks the
//! bench, it does not measure.

use std::path::PathBuf;

use kubox_bench::raft::{Config, markdown, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_against_one_and_three_nodes_and_an_etcd_cluster() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let etcd = PathBuf::from("/usr/bin/etcd");
    assert!(etcd.exists(), "the bench compares with etcd: apt-get install -y etcd-server");
    let cfg = Config { ops: 60, clients: 4, value_size: 256, etcd: Some(etcd), failovers: 1 };
    let report = run(&cfg).await.unwrap();
    assert_eq!(report.rows.len(), 2);
    for row in &report.rows {
        let etcd = row.etcd.as_ref().expect("etcd figures");
        for s in [&row.one, &row.three, etcd] {
            assert_eq!(s.count, 60, "{}", row.workload);
            assert!(s.p99 >= s.p50 && s.throughput() > 0.0);
        }
    }
    assert_eq!(report.failovers.len(), 1);
    let table = markdown(&report, 4);
    assert!(table.contains("| put |") && table.contains("3 members") && table.contains("failover"), "{table}");
}
