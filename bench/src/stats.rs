//! Latency statistics and the side-by-side report.

use std::fmt::Write;
use std::time::Duration;

/// Throughput and latency percentiles of one run of one workload.
#[derive(Clone, Debug)]
pub struct Stats {
    /// Operations completed.
    pub count: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Median latency.
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
}

impl Stats {
    /// Summarises the latencies of a run that took `elapsed`.
    pub fn new(mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        latencies.sort_unstable();
        let pick = |q: f64| {
            if latencies.is_empty() {
                return Duration::ZERO;
            }
            let i = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1;
            latencies[i]
        };
        Self { count: latencies.len(), elapsed, p50: pick(0.50), p99: pick(0.99) }
    }

    /// Operations per second.
    pub fn throughput(&self) -> f64 {
        self.count as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// One workload at one client count, for kubox and its peer.
#[derive(Clone, Debug)]
pub struct Row {
    /// The workload's name.
    pub workload: String,
    /// Concurrent clients.
    pub clients: usize,
    /// kubox's figures.
    pub kubox: Stats,
    /// The peer's figures, if it ran.
    pub peer: Option<Stats>,
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        format!("{ms:.3}")
    } else if ms < 100.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.0}")
    }
}

/// The report as a Markdown table; `peer` names the other store.
pub fn markdown(rows: &[Row], peer: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| workload | clients | kubox ops/s | kubox p50 ms | kubox p99 ms | {peer} ops/s | {peer} p50 ms | {peer} p99 ms | throughput kubox/{peer} | p99 kubox/{peer} |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let k = &r.kubox;
        let (p_ops, p50, p99, tput, p99r) = match &r.peer {
            Some(p) => (
                format!("{:.0}", p.throughput()),
                ms(p.p50),
                ms(p.p99),
                format!("{:.2}×", k.throughput() / p.throughput().max(1e-9)),
                format!("{:.2}", k.p99.as_secs_f64() / p.p99.as_secs_f64().max(1e-12)),
            ),
            None => ("-".into(), "-".into(), "-".into(), "-".into(), "-".into()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} |",
            r.workload,
            r.clients,
            k.throughput(),
            ms(k.p50),
            ms(k.p99),
            p_ops,
            p50,
            p99,
            tput,
            p99r
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_right_sample() {
        let lat: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let s = Stats::new(lat, Duration::from_secs(2));
        assert_eq!((s.count, s.p50, s.p99), (100, Duration::from_millis(50), Duration::from_millis(99)));
        assert_eq!(s.throughput(), 50.0);
    }

    #[test]
    fn report_has_ratios() {
        let fast = Stats::new(vec![Duration::from_millis(1); 10], Duration::from_secs(1));
        let slow = Stats::new(vec![Duration::from_millis(4); 5], Duration::from_secs(1));
        let table = markdown(&[Row { workload: "put".into(), clients: 1, kubox: fast, peer: Some(slow) }], "etcd");
        assert!(table.contains("| put | 1 | 10 | 1.00 | 1.00 | 5 | 4.00 | 4.00 | 2.00× | 0.25 |"), "{table}");
    }
}
