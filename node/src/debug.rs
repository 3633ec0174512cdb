//! `kubox debug`: read-only looks at a stopped node's store, for operators
//! and tests. `kubox debug get KEY` prints a key and its raw stored value
//! as `etcdctl get` does, so one can check what is on disk (for example
//! that a Secret is encrypted at rest).

use std::io::Write;

use anyhow::Context;
use kubox_storage::{DirLock, KeyRange, RangeRequest, StateMachine, StoreOptions};

use crate::DebugCommand;

/// Runs a debug command on the store of `data_dir` (the node must be
/// stopped: the data directory's lock is taken).
pub fn run(data_dir: &std::path::Path, command: DebugCommand) -> anyhow::Result<()> {
    let _lock = DirLock::acquire(data_dir)?;
    let db = data_dir.join("store").join("db");
    anyhow::ensure!(db.exists(), "no store in {}", data_dir.display());
    let sm = StateMachine::open_dir(&db, StoreOptions::default()).context("opening the store")?;
    let result = match command {
        DebugCommand::Get { key, prefix, keys_only } => {
            let range = if prefix { KeyRange::prefix(key.into_bytes()) } else { KeyRange::key(key.into_bytes()) };
            let resp = sm.reader().range(&RangeRequest::new(range)).context("reading the store")?;
            let mut out = std::io::stdout().lock();
            for kv in resp.kvs {
                out.write_all(&kv.key)?;
                out.write_all(b"\n")?;
                if !keys_only {
                    out.write_all(&kv.value)?;
                    out.write_all(b"\n")?;
                }
            }
            out.flush()?;
            Ok(())
        }
    };
    sm.close(kubox_storage::StoreError::Closed);
    result
}
