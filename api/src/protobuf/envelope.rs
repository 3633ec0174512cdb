//! The `k8s\0` envelope around every protobuf object (a runtime.Unknown with
//! the object's apiVersion and kind) and the frames of a protobuf watch.
//!
//! Like kube-apiserver, a watch over protobuf sends each event as a 4-byte
//! big-endian length followed by a metav1.WatchEvent encoded *without*
//! envelope (the stream serializer is the raw protobuf serializer); the
//! event's object is a RawExtension whose bytes are the object's own
//! envelope, encoded by the ordinary protobuf serializer.

use super::wire::{LEN, Reader, put_bytes, wire_type_name};
use super::{MAGIC, ProtoError};

/// The storage/wire envelope: `k8s\0` + runtime.Unknown{typeMeta{apiVersion,
/// kind}, raw, contentEncoding "", contentType ""}, byte for byte as Go writes it.
pub fn wrap(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let mut type_meta = Vec::with_capacity(api_version.len() + kind.len() + 4);
    put_bytes(&mut type_meta, 1, api_version.as_bytes());
    put_bytes(&mut type_meta, 2, kind.as_bytes());
    let mut out = Vec::with_capacity(MAGIC.len() + type_meta.len() + raw.len() + 16);
    out.extend_from_slice(MAGIC);
    put_bytes(&mut out, 1, &type_meta);
    put_bytes(&mut out, 2, raw);
    put_bytes(&mut out, 3, b"");
    put_bytes(&mut out, 4, b"");
    out
}

fn envelope_error(reason: impl Into<String>) -> ProtoError {
    ProtoError::Envelope(reason.into())
}

fn read_len<'a>(reader: &mut Reader<'a>, wire_type: u8, what: &str) -> Result<&'a [u8], ProtoError> {
    if wire_type != LEN {
        return Err(envelope_error(format!(
            "{what} has wire type {wire_type} ({}), expected length-delimited",
            wire_type_name(wire_type)
        )));
    }
    reader.len_delimited().map_err(|e| envelope_error(format!("{what}: {e}")))
}

fn utf8(bytes: &[u8], what: &str) -> Result<String, ProtoError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| envelope_error(format!("{what} is not UTF-8")))
}

/// Splits an envelope into (apiVersion, kind, raw). Errors on a missing magic
/// or a malformed runtime.Unknown; like kube-apiserver it ignores
/// contentEncoding and contentType.
pub fn unwrap(bytes: &[u8]) -> Result<(String, String, Vec<u8>), ProtoError> {
    if bytes.is_empty() {
        return Err(envelope_error("empty data"));
    }
    let Some(body) = bytes.strip_prefix(MAGIC) else {
        return Err(envelope_error("data does not start with the k8s\\0 prefix"));
    };
    if body.is_empty() {
        return Err(envelope_error("empty body"));
    }
    let mut reader = Reader::new(body);
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), Vec::new());
    while !reader.is_empty() {
        let (tag, wire_type) = reader.key().map_err(envelope_error)?;
        match tag {
            1 => {
                let type_meta = read_len(&mut reader, wire_type, "typeMeta")?;
                let mut inner = Reader::new(type_meta);
                while !inner.is_empty() {
                    let (tag, wire_type) = inner.key().map_err(|e| envelope_error(format!("typeMeta: {e}")))?;
                    match tag {
                        1 => api_version = utf8(read_len(&mut inner, wire_type, "typeMeta.apiVersion")?, "apiVersion")?,
                        2 => kind = utf8(read_len(&mut inner, wire_type, "typeMeta.kind")?, "kind")?,
                        _ => inner.skip(wire_type).map_err(|e| envelope_error(format!("typeMeta: {e}")))?,
                    }
                }
            }
            2 => raw = read_len(&mut reader, wire_type, "raw")?.to_vec(),
            3 => drop(read_len(&mut reader, wire_type, "contentEncoding")?),
            4 => drop(read_len(&mut reader, wire_type, "contentType")?),
            _ => reader.skip(wire_type).map_err(envelope_error)?,
        }
    }
    Ok((api_version, kind, raw))
}

/// One frame of a protobuf watch, as kube-apiserver writes it: a 4-byte
/// big-endian length, then metav1.WatchEvent{type, object: RawExtension{raw:
/// the object's envelope}} without an envelope of its own.
pub fn encode_watch_event(event_type: &str, object_envelope: &[u8]) -> Vec<u8> {
    let mut raw_extension = Vec::with_capacity(object_envelope.len() + 6);
    put_bytes(&mut raw_extension, 1, object_envelope);
    let mut event = Vec::with_capacity(raw_extension.len() + event_type.len() + 12);
    put_bytes(&mut event, 1, event_type.as_bytes());
    put_bytes(&mut event, 2, &raw_extension);
    let mut frame = Vec::with_capacity(event.len() + 4);
    // A frame longer than 4 GiB cannot be framed; kube-apiserver truncates the
    // length the same way (binary.BigEndian.PutUint32 of len(data)).
    frame.extend_from_slice(&(event.len() as u32).to_be_bytes());
    frame.extend_from_slice(&event);
    frame
}

fn read_frame_field<'a>(reader: &mut Reader<'a>, wire_type: u8, what: &str) -> Result<&'a [u8], ProtoError> {
    if wire_type != LEN {
        return Err(ProtoError::WatchFrame(format!(
            "{what} has wire type {wire_type} ({}), expected length-delimited",
            wire_type_name(wire_type)
        )));
    }
    reader.len_delimited().map_err(|e| ProtoError::WatchFrame(format!("{what}: {e}")))
}

/// Reads the first frame of a protobuf watch stream: (event type, object
/// envelope, bytes the frame took). The reverse of [`encode_watch_event`].
pub fn decode_watch_event(stream: &[u8]) -> Result<(String, Vec<u8>, usize), ProtoError> {
    let frame_error = |reason: String| ProtoError::WatchFrame(reason);
    let Some((prefix, rest)) = stream.split_first_chunk::<4>() else {
        return Err(frame_error(format!("{} bytes are too short for a length prefix", stream.len())));
    };
    let len = u32::from_be_bytes(*prefix) as usize;
    let Some(event) = rest.get(..len) else {
        return Err(frame_error(format!("frame of {len} bytes, only {} present", rest.len())));
    };
    let mut reader = Reader::new(event);
    let (mut event_type, mut object) = (String::new(), Vec::new());
    while !reader.is_empty() {
        let (tag, wire_type) = reader.key().map_err(frame_error)?;
        match tag {
            1 => {
                let bytes = read_frame_field(&mut reader, wire_type, "type")?;
                event_type =
                    String::from_utf8(bytes.to_vec()).map_err(|_| frame_error("event type is not UTF-8".to_owned()))?;
            }
            2 => {
                let mut inner = Reader::new(read_frame_field(&mut reader, wire_type, "object")?);
                while !inner.is_empty() {
                    let (tag, wire_type) = inner.key().map_err(frame_error)?;
                    if tag == 1 {
                        object = read_frame_field(&mut inner, wire_type, "object.raw")?.to_vec();
                    } else {
                        inner.skip(wire_type).map_err(frame_error)?;
                    }
                }
            }
            _ => reader.skip(wire_type).map_err(frame_error)?,
        }
    }
    if event_type.is_empty() {
        return Err(frame_error("watch event without a type".to_owned()));
    }
    Ok((event_type, object, 4 + len))
}
