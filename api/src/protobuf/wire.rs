//! Protobuf wire primitives: varints, field keys, length-delimited values,
//! and a bounds-checked reader that never reads past its input.

/// Wire type of varint-encoded scalars (int32, int64, bool, ...).
pub(super) const VARINT: u8 = 0;
/// Wire type of 8-byte scalars (double, fixed64).
pub(super) const I64: u8 = 1;
/// Wire type of length-delimited values (string, bytes, messages, packed).
pub(super) const LEN: u8 = 2;
/// Wire type of 4-byte scalars (float, fixed32).
pub(super) const I32: u8 = 5;

/// The largest field number protobuf allows.
const MAX_TAG: u64 = (1 << 29) - 1;

/// Appends `value` as a base-128 varint.
pub(super) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a field key.
pub(super) fn put_key(out: &mut Vec<u8>, tag: u32, wire_type: u8) {
    put_varint(out, (u64::from(tag) << 3) | u64::from(wire_type));
}

/// Appends a length-delimited field.
pub(super) fn put_bytes(out: &mut Vec<u8>, tag: u32, bytes: &[u8]) {
    put_key(out, tag, LEN);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends a varint field.
pub(super) fn put_varint_field(out: &mut Vec<u8>, tag: u32, value: u64) {
    put_key(out, tag, VARINT);
    put_varint(out, value);
}

/// Name of a wire type for error messages.
pub(super) fn wire_type_name(wire_type: u8) -> &'static str {
    match wire_type {
        VARINT => "varint",
        I64 => "64-bit",
        LEN => "length-delimited",
        3 => "start-group",
        4 => "end-group",
        I32 => "32-bit",
        _ => "invalid",
    }
}

/// A cursor over protobuf bytes; every read is bounds-checked.
pub(super) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Reads `buf` from its start.
    pub(super) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Whether all input was consumed.
    pub(super) fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Reads a base-128 varint of at most 10 bytes.
    pub(super) fn varint(&mut self) -> Result<u64, String> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let Some(&byte) = self.buf.get(self.pos) else {
                return Err("truncated varint".to_owned());
            };
            self.pos += 1;
            if i == 9 && byte > 1 {
                return Err("varint overflows 64 bits".to_owned());
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err("varint longer than 10 bytes".to_owned())
    }

    /// Reads a field key: (field number, wire type).
    pub(super) fn key(&mut self) -> Result<(u32, u8), String> {
        let key = self.varint()?;
        let tag = key >> 3;
        let wire_type = (key & 7) as u8;
        if tag == 0 || tag > MAX_TAG {
            return Err(format!("invalid field number {tag}"));
        }
        if !matches!(wire_type, VARINT | I64 | LEN | I32) {
            return Err(format!("field {tag} has unsupported wire type {wire_type} ({})", wire_type_name(wire_type)));
        }
        // tag <= MAX_TAG < u32::MAX.
        Ok((tag as u32, wire_type))
    }

    /// Reads 4 little-endian bytes.
    pub(super) fn fixed32(&mut self) -> Result<u32, String> {
        let bytes = self.take(4).map_err(|_| "truncated 32-bit value".to_owned())?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    /// Reads 8 little-endian bytes.
    pub(super) fn fixed64(&mut self) -> Result<u64, String> {
        let bytes = self.take(8).map_err(|_| "truncated 64-bit value".to_owned())?;
        let mut le = [0u8; 8];
        le.copy_from_slice(bytes);
        Ok(u64::from_le_bytes(le))
    }

    /// Reads a length-delimited value; the length must fit in what is left.
    pub(super) fn len_delimited(&mut self) -> Result<&'a [u8], String> {
        let len = self.varint()?;
        let left = self.buf.len() - self.pos;
        if len > left as u64 {
            return Err(format!("length {len} exceeds the {left} bytes left"));
        }
        // len <= left, which is a usize.
        self.take(len as usize)
    }

    /// Skips a value of the given wire type (an unknown field).
    pub(super) fn skip(&mut self, wire_type: u8) -> Result<(), String> {
        match wire_type {
            VARINT => self.varint().map(drop),
            I64 => self.fixed64().map(drop),
            LEN => self.len_delimited().map(drop),
            I32 => self.fixed32().map(drop),
            other => Err(format!("cannot skip wire type {other}")),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&end| end <= self.buf.len());
        let Some(end) = end else {
            return Err("truncated value".to_owned());
        };
        let bytes = &self.buf[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_the_edges() {
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), (-1i64) as u64, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, value);
            let mut r = Reader::new(&out);
            assert_eq!(r.varint(), Ok(value));
            assert!(r.is_empty());
        }
        let mut out = Vec::new();
        put_varint(&mut out, (-1i64) as u64);
        assert_eq!(out.len(), 10);
    }

    #[test]
    fn malformed_varints_and_lengths_are_errors() {
        assert_eq!(Reader::new(&[0x80]).varint(), Err("truncated varint".to_owned()));
        assert_eq!(Reader::new(&[]).varint(), Err("truncated varint".to_owned()));
        let overlong = [0xff; 11];
        assert!(Reader::new(&overlong).varint().is_err());
        let overflow = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(Reader::new(&overflow).varint(), Err("varint overflows 64 bits".to_owned()));
        assert!(Reader::new(&[0x05, b'a']).len_delimited().unwrap_err().contains("exceeds"));
        let huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert!(Reader::new(&huge).len_delimited().is_err());
        assert!(Reader::new(&[1, 2, 3]).fixed32().is_err());
        assert!(Reader::new(&[1, 2, 3, 4, 5, 6, 7]).fixed64().is_err());
    }

    #[test]
    fn keys_reject_field_zero_and_groups() {
        assert_eq!(Reader::new(&[0x0a]).key(), Ok((1, LEN)));
        assert!(Reader::new(&[0x02]).key().unwrap_err().contains("field number 0"));
        assert!(Reader::new(&[0x0b]).key().unwrap_err().contains("start-group"));
        assert!(Reader::new(&[0x0e]).key().unwrap_err().contains("wire type 6"));
        let mut r = Reader::new(&[0x08, 0x96, 0x01, 0x12, 0x01, b'x']);
        assert_eq!(r.key(), Ok((1, VARINT)));
        assert!(r.skip(VARINT).is_ok());
        assert_eq!(r.key(), Ok((2, LEN)));
        assert!(r.skip(LEN).is_ok());
        assert!(r.is_empty());
    }
}
