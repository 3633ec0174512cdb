//! Compaction of the store's history, as kube-apiserver asks etcd for it
//! (`--etcd-compaction-interval`, 5 minutes by default): at every tick the
//! store is compacted to the revision it had at the previous tick, so at
//! least one interval of history stays for watches to resume from and for
//! continue tokens; older resume points get 410 Gone, as on kube-apiserver.
//! Without it the store keeps every revision ever written.

use std::sync::Arc;
use std::time::Duration;

use kubox_storage::{Store, StoreError};

/// Runs until the store closes. `interval` zero disables compaction.
pub async fn run(store: Arc<dyn Store>, interval: Duration, is_leader: Arc<dyn Fn() -> bool + Send + Sync>) {
    if interval.is_zero() {
        tracing::info!("store compaction is disabled (--etcd-compaction-interval=0)");
        return;
    }
    let mut ticker = tokio::time::interval(interval);
    ticker.tick().await; // the first tick is immediate
    let mut previous = match store.current_revision().await {
        Ok(rev) => rev,
        Err(err) => {
            tracing::warn!(%err, "compactor: cannot read the store's revision yet");
            0
        }
    };
    loop {
        ticker.tick().await;
        if !is_leader() {
            // The leader compacts, through the log, for every member.
            previous = 0;
            continue;
        }
        let current = match store.current_revision().await {
            Ok(rev) => rev,
            Err(StoreError::Closed) => return,
            Err(err) => {
                tracing::warn!(%err, "compactor: cannot read the store's revision");
                continue;
            }
        };
        if previous > 0 {
            match store.compact(previous).await {
                Ok(_) => tracing::debug!(revision = previous, "compacted the store"),
                // Already compacted that far (by an earlier run): nothing to do.
                Err(StoreError::Compacted { .. }) => {}
                Err(StoreError::Closed) => return,
                Err(err) => tracing::warn!(%err, revision = previous, "compactor: compaction failed"),
            }
        }
        previous = current;
    }
}

/// Parses a Go duration as kube-apiserver's flags take it: `5m`, `30s`,
/// `1h30m`, `250ms`, `0`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let invalid = || format!("invalid duration {text:?} (expected e.g. 5m, 30s, 1h30m)");
    let mut total = Duration::ZERO;
    let mut rest = text;
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').ok_or_else(invalid)?;
        let (number, tail) = rest.split_at(digits);
        let value: f64 = number.parse().map_err(|_| invalid())?;
        let unit_len = tail.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let seconds = match unit {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return Err(invalid()),
        };
        total += Duration::from_secs_f64(value * seconds);
        rest = tail;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_as_go_flags_do() {
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        for bad in ["", "5", "m", "5x", "-1s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
