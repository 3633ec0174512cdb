//! The commands of the replicated state machine. Every change to the store is
//! one of these; applying the same sequence of commands to two stores gives
//! two identical stores. Commands carry every input they need (lease ids,
//! expiry times) so that applying one never reads a clock or a random source.

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::types::{LeaseGrantResponse, TxnRequest, TxnResponse};

/// A change to the store, as it travels through a log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    /// A transaction (a put or delete is a transaction without compares).
    Txn(TxnRequest),
    /// Forget history before `revision`.
    Compact {
        /// The new compact revision.
        revision: i64,
    },
    /// Create a lease. The proposer chose the id and computed the expiry.
    LeaseGrant {
        /// The lease id, positive.
        id: i64,
        /// The TTL, in seconds.
        ttl: i64,
        /// When the lease expires, in milliseconds since the Unix epoch.
        expires_at_ms: i64,
    },
    /// Extend a lease to a new expiry.
    LeaseKeepAlive {
        /// The lease id.
        id: i64,
        /// The new expiry, in milliseconds since the Unix epoch.
        expires_at_ms: i64,
    },
    /// Delete a lease and, in one revision, every key attached to it. Lease
    /// expiry is a revoke proposed by whoever watches the clock.
    LeaseRevoke {
        /// The lease id.
        id: i64,
    },
}

/// What applying a [`Command`] returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommandResult {
    /// The transaction's response.
    Txn(TxnResponse),
    /// The store's revision after a compaction.
    Compact {
        /// The current revision.
        header_revision: i64,
    },
    /// The lease that was granted.
    LeaseGrant(LeaseGrantResponse),
    /// The lease's TTL after a keep-alive.
    LeaseKeepAlive {
        /// The TTL, in seconds.
        ttl: i64,
    },
    /// The store's revision after a revoke.
    LeaseRevoke {
        /// The current revision.
        header_revision: i64,
    },
}

impl Command {
    /// Renews lease `id`, whose TTL is `ttl` seconds, from now (the
    /// proposer's clock).
    pub fn keep_alive(id: i64, ttl: i64) -> Self {
        Command::LeaseKeepAlive { id, expires_at_ms: crate::now_ms().saturating_add(ttl.saturating_mul(1000)) }
    }
}

impl CommandResult {
    fn unexpected(self) -> StoreError {
        StoreError::InvalidArgument(format!("unexpected command result {self:?}"))
    }

    /// The response of a [`Command::Txn`].
    pub fn into_txn(self) -> Result<TxnResponse, StoreError> {
        match self {
            CommandResult::Txn(t) => Ok(t),
            other => Err(other.unexpected()),
        }
    }

    /// The revision after a [`Command::Compact`].
    pub fn into_compact(self) -> Result<i64, StoreError> {
        match self {
            CommandResult::Compact { header_revision } => Ok(header_revision),
            other => Err(other.unexpected()),
        }
    }

    /// The revision after a [`Command::LeaseRevoke`].
    pub fn into_lease_revoke(self) -> Result<i64, StoreError> {
        match self {
            CommandResult::LeaseRevoke { header_revision } => Ok(header_revision),
            other => Err(other.unexpected()),
        }
    }

    /// The TTL after a [`Command::LeaseKeepAlive`].
    pub fn into_lease_keep_alive(self) -> Result<i64, StoreError> {
        match self {
            CommandResult::LeaseKeepAlive { ttl } => Ok(ttl),
            other => Err(other.unexpected()),
        }
    }
}

/// Grants a lease through `propose`: `id` 0 lets the store choose one with
/// `new_id` (retrying if the choice collides with a lease a client chose);
/// the expiry is computed here, from the proposer's clock.
pub async fn grant_lease<F, Fut>(
    id: i64,
    ttl: i64,
    mut new_id: impl FnMut() -> i64,
    mut propose: F,
) -> Result<LeaseGrantResponse, StoreError>
where
    F: FnMut(Command) -> Fut,
    Fut: Future<Output = Result<CommandResult, StoreError>>,
{
    if id < 0 {
        return Err(StoreError::InvalidArgument(format!("lease id must not be negative, got {id}")));
    }
    let ttl_ms = ttl.clamp(crate::lease::MIN_LEASE_TTL, crate::lease::MAX_LEASE_TTL).saturating_mul(1000);
    for _ in 0..8 {
        let chosen = if id == 0 { new_id() } else { id };
        let command = Command::LeaseGrant { id: chosen, ttl, expires_at_ms: crate::now_ms().saturating_add(ttl_ms) };
        match propose(command).await {
            Ok(CommandResult::LeaseGrant(g)) => return Ok(g),
            Ok(other) => return Err(other.unexpected()),
            Err(StoreError::LeaseExists(_)) if id == 0 => continue,
            Err(e) => return Err(e),
        }
    }
    Err(StoreError::InvalidArgument("could not choose a free lease id".into()))
}
