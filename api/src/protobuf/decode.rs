//! Protobuf to JSON: reads a message's fields off the wire into the JSON form
//! Go's encoding/json would give the decoded Go struct.
//!
//! A field appears in the output only when it was on the wire, except for the
//! zero value of a non-pointer `omitempty` scalar, which Go's protobuf
//! marshaller always writes but Go's JSON omits. Unknown fields are skipped;
//! a repeated field accepts both packed and unpacked values; for a single
//! field that appears twice the last value wins.

use serde_json::{Map, Value};

use super::formats::{GO_ZERO_TIME_UNIX, base64_encode, format_go_duration, format_rfc3339};
use super::table::{Field, Kind, Label, Special, Table};
use super::wire::{LEN, Reader, VARINT, wire_type_name};
use super::{Fault, MAGIC, MAX_DEPTH};

fn too_deep() -> Fault {
    Fault::new(format!("nested deeper than {MAX_DEPTH} levels"))
}

fn check_wire(wire_type: u8, expected: u8) -> Result<(), Fault> {
    if wire_type == expected {
        return Ok(());
    }
    Err(Fault::new(format!(
        "wire type {wire_type} ({}), expected {expected} ({})",
        wire_type_name(wire_type),
        wire_type_name(expected)
    )))
}

/// Decodes the body of message `index` into JSON.
pub(super) fn decode_message(table: &Table, index: usize, bytes: &[u8], depth: usize) -> Result<Value, Fault> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    if let Some(special) = table.messages[index].special {
        return decode_special(table, index, special, bytes, depth);
    }
    let mut object = Map::new();
    decode_fields(table, index, bytes, &mut object, depth)?;
    Ok(Value::Object(object))
}

/// Decodes a top-level object and puts the envelope's apiVersion and kind first.
pub(super) fn decode_typed(
    table: &Table,
    index: usize,
    api_version: &str,
    kind: &str,
    raw: &[u8],
    depth: usize,
) -> Result<Value, Fault> {
    match decode_message(table, index, raw, depth)? {
        Value::Object(fields) => {
            let mut object = Map::new();
            object.insert("apiVersion".to_owned(), Value::String(api_version.to_owned()));
            object.insert("kind".to_owned(), Value::String(kind.to_owned()));
            object.extend(fields);
            Ok(Value::Object(object))
        }
        other => Ok(other),
    }
}

/// Decodes the fields of message `index` into `object` (an inline message
/// shares its parent's object).
fn decode_fields(
    table: &Table,
    index: usize,
    bytes: &[u8],
    object: &mut Map<String, Value>,
    depth: usize,
) -> Result<(), Fault> {
    let message = &table.messages[index];
    let mut reader = Reader::new(bytes);
    while !reader.is_empty() {
        let (tag, wire_type) = reader.key().map_err(Fault::new)?;
        match message.field(tag) {
            Some(field) => {
                decode_field(table, field, wire_type, &mut reader, object, depth).map_err(|f| f.field(&field.name))?
            }
            None => reader.skip(wire_type).map_err(|e| Fault::new(format!("unknown field {tag}: {e}")))?,
        }
    }
    for field in &message.fields {
        let drop = match object.get(&field.name) {
            Some(value) if field.omit_empty => is_zero_scalar(value),
            Some(value) if field.omit_zero => {
                matches!(value, Value::Null) || value.as_object().is_some_and(Map::is_empty)
            }
            _ => false,
        };
        if drop {
            object.remove(&field.name);
        }
    }
    Ok(())
}

fn is_zero_scalar(value: &Value) -> bool {
    match value {
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        _ => false,
    }
}

fn decode_field(
    table: &Table,
    field: &Field,
    wire_type: u8,
    reader: &mut Reader<'_>,
    object: &mut Map<String, Value>,
    depth: usize,
) -> Result<(), Fault> {
    match field.label {
        Label::Single if field.inline => {
            check_wire(wire_type, LEN)?;
            let bytes = reader.len_delimited().map_err(Fault::new)?;
            let Kind::Message(inner) = field.kind else {
                return Err(Fault::new("internal: inline field is not a message"));
            };
            if depth + 1 > MAX_DEPTH {
                return Err(too_deep());
            }
            decode_fields(table, inner, bytes, object, depth + 1)
        }
        Label::Single => {
            let value = decode_value(table, field.kind, wire_type, reader, depth)?;
            object.insert(field.name.clone(), value);
            Ok(())
        }
        Label::Repeated => {
            let list = object.entry(field.name.clone()).or_insert_with(|| Value::Array(Vec::new()));
            if !list.is_array() {
                *list = Value::Array(Vec::new());
            }
            let Value::Array(items) = list else {
                return Err(Fault::new("internal: list is not an array"));
            };
            if wire_type == LEN && field.kind.packable() {
                let bytes = reader.len_delimited().map_err(Fault::new)?;
                let mut packed = Reader::new(bytes);
                while !packed.is_empty() {
                    let i = items.len();
                    items.push(decode_scalar(field.kind, field.kind.wire_type(), &mut packed).map_err(|f| f.index(i))?);
                }
            } else {
                let i = items.len();
                items.push(decode_value(table, field.kind, wire_type, reader, depth).map_err(|f| f.index(i))?);
            }
            Ok(())
        }
        Label::Map(key_kind) => {
            check_wire(wire_type, LEN)?;
            let bytes = reader.len_delimited().map_err(Fault::new)?;
            let (key, value) = decode_map_entry(table, key_kind, field.kind, bytes, depth)?;
            let map = object.entry(field.name.clone()).or_insert_with(|| Value::Object(Map::new()));
            if !map.is_object() {
                *map = Value::Object(Map::new());
            }
            if let Value::Object(entries) = map {
                entries.insert(key, value);
            }
            Ok(())
        }
    }
}

/// A map entry is a message {1: key, 2: value}; a missing part is its zero value.
fn decode_map_entry(
    table: &Table,
    key_kind: Kind,
    value_kind: Kind,
    bytes: &[u8],
    depth: usize,
) -> Result<(String, Value), Fault> {
    let mut reader = Reader::new(bytes);
    let mut key = None;
    let mut value = None;
    while !reader.is_empty() {
        let (tag, wire_type) = reader.key().map_err(Fault::new)?;
        match tag {
            1 => key = Some(decode_scalar(key_kind, wire_type, &mut reader)?),
            2 => {
                let key_text = key.as_ref().map(key_string).unwrap_or_default();
                value =
                    Some(decode_value(table, value_kind, wire_type, &mut reader, depth).map_err(|f| f.key(&key_text))?);
            }
            _ => reader.skip(wire_type).map_err(Fault::new)?,
        }
    }
    let key = key.as_ref().map(key_string).unwrap_or_else(|| key_string(&zero_of(key_kind)));
    let value = match value {
        Some(value) => value,
        None => match value_kind {
            Kind::Message(inner) => decode_message(table, inner, &[], depth + 1).map_err(|f| f.key(&key))?,
            scalar => zero_of(scalar),
        },
    };
    Ok((key, value))
}

fn key_string(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn zero_of(kind: Kind) -> Value {
    match kind {
        Kind::String | Kind::Bytes => Value::String(String::new()),
        Kind::Bool => Value::Bool(false),
        _ => Value::Number(0.into()),
    }
}

fn decode_value(
    table: &Table,
    kind: Kind,
    wire_type: u8,
    reader: &mut Reader<'_>,
    depth: usize,
) -> Result<Value, Fault> {
    match kind {
        Kind::Message(index) => {
            check_wire(wire_type, LEN)?;
            let bytes = reader.len_delimited().map_err(Fault::new)?;
            decode_message(table, index, bytes, depth + 1)
        }
        scalar => decode_scalar(scalar, wire_type, reader),
    }
}

/// Reads one scalar. Strings that are not UTF-8 are repaired the way Go's
/// JSON encoder does it (U+FFFD), since Go's protobuf decoder accepts them.
fn decode_scalar(kind: Kind, wire_type: u8, reader: &mut Reader<'_>) -> Result<Value, Fault> {
    check_wire(wire_type, kind.wire_type())?;
    let value = match kind {
        Kind::String => {
            Value::String(String::from_utf8_lossy(reader.len_delimited().map_err(Fault::new)?).into_owned())
        }
        Kind::Bytes => Value::String(base64_encode(reader.len_delimited().map_err(Fault::new)?)),
        Kind::Bool => Value::Bool(reader.varint().map_err(Fault::new)? != 0),
        // Truncation to 32 bits is how protobuf reads int32 and uint32.
        Kind::Int32 => Value::from(reader.varint().map_err(Fault::new)? as i32),
        Kind::Int64 => Value::from(reader.varint().map_err(Fault::new)? as i64),
        Kind::Uint32 => Value::from(reader.varint().map_err(Fault::new)? as u32),
        Kind::Uint64 => Value::from(reader.varint().map_err(Fault::new)?),
        Kind::Sint32 => {
            let v = reader.varint().map_err(Fault::new)? as u32;
            Value::from(((v >> 1) as i32) ^ -((v & 1) as i32))
        }
        Kind::Sint64 => {
            let v = reader.varint().map_err(Fault::new)?;
            Value::from(((v >> 1) as i64) ^ -((v & 1) as i64))
        }
        Kind::Fixed32 => Value::from(reader.fixed32().map_err(Fault::new)?),
        Kind::Sfixed32 => Value::from(reader.fixed32().map_err(Fault::new)? as i32),
        Kind::Fixed64 => Value::from(reader.fixed64().map_err(Fault::new)?),
        Kind::Sfixed64 => Value::from(reader.fixed64().map_err(Fault::new)? as i64),
        Kind::Double => float_value(f64::from_bits(reader.fixed64().map_err(Fault::new)?))?,
        Kind::Float => float_value(f64::from(f32::from_bits(reader.fixed32().map_err(Fault::new)?)))?,
        Kind::Message(_) => return Err(Fault::new("internal: message read as a scalar")),
    };
    Ok(value)
}

/// Like Go's encoding/json, NaN and infinities have no JSON form.
fn float_value(f: f64) -> Result<Value, Fault> {
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| Fault::new(format!("{f} cannot be written as JSON")))
}

/// Reads the fields of a special message: `on_field` gets each known tag.
fn scan<'a>(
    table: &Table,
    index: usize,
    bytes: &'a [u8],
    mut on_field: impl FnMut(u32, u8, &mut Reader<'a>) -> Result<(), Fault>,
) -> Result<(), Fault> {
    let message = &table.messages[index];
    let mut reader = Reader::new(bytes);
    while !reader.is_empty() {
        let (tag, wire_type) = reader.key().map_err(Fault::new)?;
        match message.field(tag) {
            Some(field) => on_field(tag, wire_type, &mut reader).map_err(|f| f.field(&field.name))?,
            None => reader.skip(wire_type).map_err(|e| Fault::new(format!("unknown field {tag}: {e}")))?,
        }
    }
    Ok(())
}

fn read_varint(wire_type: u8, reader: &mut Reader<'_>) -> Result<u64, Fault> {
    check_wire(wire_type, VARINT)?;
    reader.varint().map_err(Fault::new)
}

fn read_bytes<'a>(wire_type: u8, reader: &mut Reader<'a>) -> Result<&'a [u8], Fault> {
    check_wire(wire_type, LEN)?;
    reader.len_delimited().map_err(Fault::new)
}

fn read_string(wire_type: u8, reader: &mut Reader<'_>) -> Result<String, Fault> {
    Ok(String::from_utf8_lossy(read_bytes(wire_type, reader)?).into_owned())
}

fn schema_of(table: &Table, index: usize, tag: u32) -> Result<usize, Fault> {
    match table.messages[index].field(tag).map(|f| f.kind) {
        Some(Kind::Message(i)) => Ok(i),
        _ => Err(Fault::new("internal: schema field missing")),
    }
}

/// Decodes the messages whose JSON form is not an object of their fields.
fn decode_special(table: &Table, index: usize, special: Special, bytes: &[u8], depth: usize) -> Result<Value, Fault> {
    match special {
        Special::IntOrString => {
            let (mut kind, mut int_val, mut str_val) = (0i64, 0i32, String::new());
            scan(table, index, bytes, |tag, wire_type, r| {
                match tag {
                    1 => kind = read_varint(wire_type, r)? as i64,
                    2 => int_val = read_varint(wire_type, r)? as i32,
                    _ => str_val = read_string(wire_type, r)?,
                }
                Ok(())
            })?;
            match kind {
                0 => Ok(Value::from(int_val)),
                1 => Ok(Value::String(str_val)),
                other => Err(Fault::new(format!("impossible IntOrString.Type {other}"))),
            }
        }
        Special::Quantity => {
            // Go's zero Quantity prints as "0".
            let mut text = "0".to_owned();
            scan(table, index, bytes, |_, wire_type, r| {
                text = read_string(wire_type, r)?;
                Ok(())
            })?;
            Ok(Value::String(text))
        }
        Special::Time | Special::MicroTime => {
            // Go writes nothing for the zero time, and JSON shows it as null.
            if bytes.is_empty() {
                return Ok(Value::Null);
            }
            let (mut seconds, mut nanos) = (0i64, 0i64);
            scan(table, index, bytes, |tag, wire_type, r| {
                match tag {
                    1 => seconds = read_varint(wire_type, r)? as i64,
                    _ => nanos = i64::from(read_varint(wire_type, r)? as i32),
                }
                Ok(())
            })?;
            if special == Special::Time {
                // Like Go, a Time keeps whole seconds only.
                nanos = 0;
            }
            let seconds =
                seconds.checked_add(nanos.div_euclid(1_000_000_000)).ok_or_else(|| Fault::new("time out of range"))?;
            let micros = (nanos.rem_euclid(1_000_000_000) / 1000) as u32;
            if seconds == GO_ZERO_TIME_UNIX && micros == 0 {
                return Ok(Value::Null);
            }
            let micros = (special == Special::MicroTime).then_some(micros);
            format_rfc3339(seconds, micros).map(Value::String).map_err(Fault::new)
        }
        Special::Duration => {
            let mut nanos = 0i64;
            scan(table, index, bytes, |_, wire_type, r| {
                nanos = read_varint(wire_type, r)? as i64;
                Ok(())
            })?;
            Ok(Value::String(format_go_duration(nanos)))
        }
        Special::RawJson => {
            let mut raw: &[u8] = &[];
            scan(table, index, bytes, |_, wire_type, r| {
                raw = read_bytes(wire_type, r)?;
                Ok(())
            })?;
            decode_raw(table, raw, depth)
        }
        Special::StringArray => {
            let mut items = Vec::new();
            scan(table, index, bytes, |_, wire_type, r| {
                items.push(Value::String(read_string(wire_type, r)?));
                Ok(())
            })?;
            Ok(Value::Array(items))
        }
        Special::GroupVersion => {
            let (mut group, mut version) = (String::new(), String::new());
            scan(table, index, bytes, |tag, wire_type, r| {
                match tag {
                    1 => group = read_string(wire_type, r)?,
                    _ => version = read_string(wire_type, r)?,
                }
                Ok(())
            })?;
            Ok(Value::String(if group.is_empty() { version } else { format!("{group}/{version}") }))
        }
        Special::SchemaOrArray | Special::SchemaOrBool | Special::SchemaOrStringArray => {
            let (schema_tag, list_tag) = match special {
                Special::SchemaOrBool => (2, 0),
                _ => (1, 2),
            };
            let schema_index = schema_of(table, index, schema_tag)?;
            let mut schema = None;
            let mut list = Vec::new();
            let mut allows = false;
            scan(table, index, bytes, |tag, wire_type, r| {
                if tag == schema_tag {
                    schema = Some(decode_message(table, schema_index, read_bytes(wire_type, r)?, depth + 1)?);
                } else if tag == list_tag && special == Special::SchemaOrArray {
                    let i = list.len();
                    list.push(
                        decode_message(table, schema_index, read_bytes(wire_type, r)?, depth + 1)
                            .map_err(|f| f.index(i))?,
                    );
                } else if tag == list_tag {
                    list.push(Value::String(read_string(wire_type, r)?));
                } else {
                    allows = read_varint(wire_type, r)? != 0;
                }
                Ok(())
            })?;
            // As the Go MarshalJSON methods choose.
            Ok(match (special, schema) {
                (Special::SchemaOrBool, Some(schema)) => schema,
                (Special::SchemaOrBool, None) => Value::Bool(allows),
                _ if !list.is_empty() => Value::Array(list),
                (_, Some(schema)) => schema,
                (_, None) => Value::Null,
            })
        }
    }
}

/// The bytes of a RawExtension (or FieldsV1, or apiextensions JSON): embedded
/// JSON, or for objects kube-apiserver embeds in protobuf (watch events), a
/// nested `k8s\0` envelope.
fn decode_raw(table: &Table, raw: &[u8], depth: usize) -> Result<Value, Fault> {
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    if raw.starts_with(MAGIC) {
        let (api_version, kind, body) = super::envelope::unwrap(raw).map_err(|e| Fault::new(e.to_string()))?;
        let index = table.index_for_kind(&api_version, &kind).ok_or_else(|| {
            Fault::new(format!("embedded object of unknown apiVersion {api_version:?}, kind {kind:?}"))
        })?;
        return decode_typed(table, index, &api_version, &kind, &body, depth + 1);
    }
    serde_json::from_slice(raw).map_err(|e| Fault::new(format!("embedded value is not JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::super::wire::{I32, I64};
    use super::*;

    #[test]
    fn zero_scalars_are_recognised() {
        assert!(is_zero_scalar(&Value::String(String::new())));
        assert!(is_zero_scalar(&Value::Bool(false)));
        assert!(is_zero_scalar(&Value::from(0)));
        assert!(is_zero_scalar(&Value::from(0.0)));
        assert!(!is_zero_scalar(&Value::from(-1)));
        assert!(!is_zero_scalar(&Value::String("x".into())));
        assert!(!is_zero_scalar(&Value::Null));
    }

    #[test]
    fn wire_type_mismatches_name_both_types() {
        let fault = check_wire(I64, VARINT).unwrap_err();
        assert_eq!(fault.reason, "wire type 1 (64-bit), expected 0 (varint)");
        assert!(check_wire(I32, I32).is_ok());
    }
}
