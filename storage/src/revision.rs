//! Revisions and their on-disk encoding, which is etcd's: the history is
//! keyed by `main (8 bytes, big-endian) '_' sub (8 bytes, big-endian)`, with a
//! trailing `'t'` when the change is a deletion (a tombstone).

use crate::error::StoreError;

/// A point in the store's history: `main` is the store revision of a
/// transaction, `sub` numbers the changes within it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Rev {
    pub main: i64,
    pub sub: i64,
}

impl Rev {
    pub const fn new(main: i64, sub: i64) -> Self {
        Self { main, sub }
    }
}

/// Length of an encoded revision without the tombstone mark.
pub(crate) const REV_BYTES: usize = 17;

/// Encodes a revision as a history key.
pub(crate) fn rev_to_bytes(rev: Rev, tombstone: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(REV_BYTES + 1);
    out.extend_from_slice(&(rev.main as u64).to_be_bytes());
    out.push(b'_');
    out.extend_from_slice(&(rev.sub as u64).to_be_bytes());
    if tombstone {
        out.push(b't');
    }
    out
}

/// Decodes a history key into its revision and whether it marks a deletion.
pub(crate) fn bytes_to_rev(bytes: &[u8]) -> Result<(Rev, bool), StoreError> {
    let tombstone = match bytes.len() {
        REV_BYTES => false,
        n if n == REV_BYTES + 1 && bytes[REV_BYTES] == b't' => true,
        _ => return Err(StoreError::Corrupt(format!("malformed revision key {bytes:02x?}"))),
    };
    if bytes[8] != b'_' {
        return Err(StoreError::Corrupt(format!("malformed revision key {bytes:02x?}")));
    }
    let main = u64::from_be_bytes(bytes[0..8].try_into().expect("length checked above"));
    let sub = u64::from_be_bytes(bytes[9..17].try_into().expect("length checked above"));
    Ok((Rev::new(main as i64, sub as i64), tombstone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_order() {
        let a = rev_to_bytes(Rev::new(5, 0), false);
        let b = rev_to_bytes(Rev::new(5, 1), true);
        let c = rev_to_bytes(Rev::new(256, 0), false);
        assert_eq!(a.len(), 17);
        assert_eq!(a[8], b'_');
        assert!(a < b && b < c, "history keys sort by revision");
        assert_eq!(bytes_to_rev(&b).unwrap(), (Rev::new(5, 1), true));
        assert_eq!(bytes_to_rev(&c).unwrap(), (Rev::new(256, 0), false));
        assert!(bytes_to_rev(b"short").is_err());
    }
}
