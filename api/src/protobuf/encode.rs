//! JSON to protobuf: walks a JSON value along a message's fields in tag order
//! and writes them as Go's generated marshallers do (proto2, repeated scalars
//! unpacked, map entries sorted by key with key and value always written).

use serde_json::{Map, Number, Value};

use super::formats::{base64_decode, parse_go_duration, parse_rfc3339, truncate_for_message};
use super::table::{Field, Kind, Label, Special, Table};
use super::wire::{I32, I64, put_bytes, put_key, put_varint_field};
use super::{Fault, MAX_DEPTH};

/// How deep JSON embedded in a RawExtension (or FieldsV1, or apiextensions JSON) may nest.
const RAW_JSON_MAX_DEPTH: usize = 127;

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, got: &Value) -> Fault {
    Fault::new(format!("expected {what}, got {}", describe(got)))
}

/// Encodes `value` as the body of message `index`.
pub(super) fn encode_message(table: &Table, index: usize, value: &Value, depth: usize) -> Result<Vec<u8>, Fault> {
    if depth > MAX_DEPTH {
        return Err(Fault::new(format!("nested deeper than {MAX_DEPTH} levels")));
    }
    let message = &table.messages[index];
    if let Some(special) = message.special {
        return encode_special(table, index, special, value, depth);
    }
    let mut out = Vec::new();
    match value {
        Value::Object(object) => encode_fields(table, index, object, &mut out, depth)?,
        // A null element of a list of messages is Go's zero value.
        Value::Null => {}
        other => return Err(expected("an object", other)),
    }
    Ok(out)
}

/// Appends the fields of message `index` found in `object`.
fn encode_fields(
    table: &Table,
    index: usize,
    object: &Map<String, Value>,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<(), Fault> {
    for field in &table.messages[index].fields {
        if field.inline {
            // A Go embedded struct: its fields live in this same JSON object,
            // and Go always writes the (non-pointer) embedded message.
            let Kind::Message(inner) = field.kind else { continue };
            let mut bytes = Vec::new();
            if depth + 1 > MAX_DEPTH {
                return Err(Fault::new(format!("nested deeper than {MAX_DEPTH} levels")));
            }
            encode_fields(table, inner, object, &mut bytes, depth + 1)?;
            put_bytes(out, field.tag, &bytes);
            continue;
        }
        let Some(value) = object.get(&field.name) else { continue };
        if value.is_null() {
            continue;
        }
        encode_field(table, field, value, out, depth).map_err(|f| f.field(&field.name))?;
    }
    Ok(())
}

fn encode_field(table: &Table, field: &Field, value: &Value, out: &mut Vec<u8>, depth: usize) -> Result<(), Fault> {
    match field.label {
        Label::Single => encode_value(table, field.tag, field.kind, value, out, depth),
        Label::Repeated => {
            let Value::Array(items) = value else {
                return Err(expected("an array", value));
            };
            for (i, item) in items.iter().enumerate() {
                encode_value(table, field.tag, field.kind, item, out, depth).map_err(|f| f.index(i))?;
            }
            Ok(())
        }
        Label::Map(key_kind) => {
            let Value::Object(entries) = value else {
                return Err(expected("an object", value));
            };
            let mut keys: Vec<&String> = entries.keys().collect();
            keys.sort();
            for key in keys {
                let item = &entries[key];
                let mut entry = Vec::new();
                encode_map_key(key_kind, key, &mut entry).map_err(|f| f.key(key))?;
                encode_value(table, 2, field.kind, item, &mut entry, depth).map_err(|f| f.key(key))?;
                put_bytes(out, field.tag, &entry);
            }
            Ok(())
        }
    }
}

/// Map keys are JSON strings; non-string key kinds are written from their text.
fn encode_map_key(kind: Kind, key: &str, out: &mut Vec<u8>) -> Result<(), Fault> {
    let value = match kind {
        Kind::String => Value::String(key.to_owned()),
        Kind::Bool => match key {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(Fault::new("map key is not a boolean")),
        },
        _ => {
            let number: Number = key.parse().map_err(|_| Fault::new("map key is not a number"))?;
            Value::Number(number)
        }
    };
    encode_scalar(1, kind, &value, out)
}

/// Appends one value of `kind` as field `tag`. A null is the kind's zero value
/// (Go decodes null list elements and map values that way).
fn encode_value(
    table: &Table,
    tag: u32,
    kind: Kind,
    value: &Value,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<(), Fault> {
    match kind {
        Kind::Message(index) => {
            let bytes = encode_message(table, index, value, depth + 1)?;
            put_bytes(out, tag, &bytes);
            Ok(())
        }
        _ if value.is_null() => encode_scalar(tag, kind, &zero_of(kind), out),
        _ => encode_scalar(tag, kind, value, out),
    }
}

fn zero_of(kind: Kind) -> Value {
    match kind {
        Kind::String | Kind::Bytes => Value::String(String::new()),
        Kind::Bool => Value::Bool(false),
        _ => Value::Number(0.into()),
    }
}

fn int_in<T: TryFrom<i64>>(value: &Value, what: &str) -> Result<T, Fault> {
    let Value::Number(n) = value else {
        return Err(expected(what, value));
    };
    let Some(i) = n.as_i64() else {
        return Err(Fault::new(format!("{n} is not {what}")));
    };
    T::try_from(i).map_err(|_| Fault::new(format!("{n} is out of range for {what}")))
}

fn uint_in<T: TryFrom<u64>>(value: &Value, what: &str) -> Result<T, Fault> {
    let Value::Number(n) = value else {
        return Err(expected(what, value));
    };
    let Some(u) = n.as_u64() else {
        return Err(Fault::new(format!("{n} is not {what}")));
    };
    T::try_from(u).map_err(|_| Fault::new(format!("{n} is out of range for {what}")))
}

fn float_of(value: &Value) -> Result<f64, Fault> {
    match value {
        Value::Number(n) => n.as_f64().ok_or_else(|| Fault::new(format!("{n} is not a number"))),
        other => Err(expected("a number", other)),
    }
}

/// Appends one scalar value as field `tag`.
fn encode_scalar(tag: u32, kind: Kind, value: &Value, out: &mut Vec<u8>) -> Result<(), Fault> {
    match kind {
        Kind::String => match value {
            Value::String(s) => put_bytes(out, tag, s.as_bytes()),
            other => return Err(expected("a string", other)),
        },
        Kind::Bytes => match value {
            Value::String(s) => put_bytes(out, tag, &base64_decode(s).map_err(Fault::new)?),
            other => return Err(expected("a base64 string", other)),
        },
        Kind::Bool => match value {
            Value::Bool(b) => put_varint_field(out, tag, u64::from(*b)),
            other => return Err(expected("a boolean", other)),
        },
        // Negative int32s are sign-extended to ten bytes, as protobuf requires.
        Kind::Int32 => put_varint_field(out, tag, i64::from(int_in::<i32>(value, "a 32-bit integer")?) as u64),
        Kind::Int64 => put_varint_field(out, tag, int_in::<i64>(value, "a 64-bit integer")? as u64),
        Kind::Uint32 => put_varint_field(out, tag, u64::from(uint_in::<u32>(value, "an unsigned 32-bit integer")?)),
        Kind::Uint64 => put_varint_field(out, tag, uint_in::<u64>(value, "an unsigned 64-bit integer")?),
        Kind::Sint32 => {
            let v = int_in::<i32>(value, "a 32-bit integer")?;
            put_varint_field(out, tag, u64::from(((v << 1) ^ (v >> 31)) as u32));
        }
        Kind::Sint64 => {
            let v = int_in::<i64>(value, "a 64-bit integer")?;
            put_varint_field(out, tag, ((v << 1) ^ (v >> 63)) as u64);
        }
        Kind::Fixed32 => {
            put_key(out, tag, I32);
            out.extend_from_slice(&uint_in::<u32>(value, "an unsigned 32-bit integer")?.to_le_bytes());
        }
        Kind::Sfixed32 => {
            put_key(out, tag, I32);
            out.extend_from_slice(&int_in::<i32>(value, "a 32-bit integer")?.to_le_bytes());
        }
        Kind::Fixed64 => {
            put_key(out, tag, I64);
            out.extend_from_slice(&uint_in::<u64>(value, "an unsigned 64-bit integer")?.to_le_bytes());
        }
        Kind::Sfixed64 => {
            put_key(out, tag, I64);
            out.extend_from_slice(&int_in::<i64>(value, "a 64-bit integer")?.to_le_bytes());
        }
        Kind::Double => {
            put_key(out, tag, I64);
            out.extend_from_slice(&float_of(value)?.to_le_bytes());
        }
        Kind::Float => {
            put_key(out, tag, I32);
            out.extend_from_slice(&(float_of(value)? as f32).to_le_bytes());
        }
        Kind::Message(_) => return Err(Fault::new("internal: message written as a scalar")),
    }
    Ok(())
}

/// Whether a JSON value nests deeper than `limit` (checked without recursion,
/// so that serialising it afterwards cannot exhaust the stack).
fn deeper_than(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(entries) => Box::new(entries.values()),
            _ => continue,
        };
        if depth >= limit {
            return true;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

/// The schema message a JSONSchemaPropsOr* message refers to.
fn schema_index(table: &Table, index: usize, tag: u32) -> Result<usize, Fault> {
    match table.messages[index].field(tag).map(|f| f.kind) {
        Some(Kind::Message(i)) => Ok(i),
        _ => Err(Fault::new("internal: schema field missing")),
    }
}

/// Encodes the messages whose JSON form is not an object of their fields.
fn encode_special(
    table: &Table,
    index: usize,
    special: Special,
    value: &Value,
    depth: usize,
) -> Result<Vec<u8>, Fault> {
    let mut out = Vec::new();
    match (special, value) {
        // A null is the zero value: Go writes an empty message for it.
        (_, Value::Null) => {}
        (Special::IntOrString, Value::Number(_)) => {
            let int_val = int_in::<i32>(value, "a 32-bit integer")?;
            put_varint_field(&mut out, 1, 0);
            put_varint_field(&mut out, 2, i64::from(int_val) as u64);
            put_bytes(&mut out, 3, b"");
        }
        (Special::IntOrString, Value::String(s)) => {
            put_varint_field(&mut out, 1, 1);
            put_varint_field(&mut out, 2, 0);
            put_bytes(&mut out, 3, s.as_bytes());
        }
        (Special::IntOrString, other) => return Err(expected("an integer or a string", other)),
        // Go parses a bare JSON number as a quantity too.
        (Special::Quantity, Value::String(s)) => put_bytes(&mut out, 1, s.as_bytes()),
        (Special::Quantity, Value::Number(n)) => put_bytes(&mut out, 1, n.to_string().as_bytes()),
        (Special::Quantity, other) => return Err(expected("a quantity string", other)),
        (Special::Time | Special::MicroTime, Value::String(s)) => {
            let (seconds, mut nanos) = parse_rfc3339(s).map_err(Fault::new)?;
            if special == Special::MicroTime {
                nanos -= nanos % 1000;
            }
            put_varint_field(&mut out, 1, seconds as u64);
            put_varint_field(&mut out, 2, u64::from(nanos));
        }
        (Special::Time | Special::MicroTime, other) => return Err(expected("an RFC 3339 time string", other)),
        (Special::Duration, Value::String(s)) => {
            put_varint_field(&mut out, 1, parse_go_duration(s).map_err(Fault::new)? as u64);
        }
        (Special::Duration, other) => return Err(expected("a duration string", other)),
        (Special::RawJson, _) => {
            // The bound of serde_json's parser, so that what is encoded here
            // can be decoded again.
            if deeper_than(value, RAW_JSON_MAX_DEPTH) {
                return Err(Fault::new(format!("embedded JSON nested deeper than {RAW_JSON_MAX_DEPTH} levels")));
            }
            let raw = serde_json::to_vec(value).map_err(|e| Fault::new(e.to_string()))?;
            put_bytes(&mut out, 1, &raw);
        }
        (Special::StringArray, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let item = if item.is_null() { &Value::String(String::new()) } else { item };
                encode_scalar(1, Kind::String, item, &mut out).map_err(|f| f.index(i))?;
            }
        }
        (Special::StringArray, other) => return Err(expected("an array of strings", other)),
        (Special::GroupVersion, Value::String(s)) => {
            let (group, version) = match s.split_once('/') {
                _ if s.is_empty() => ("", ""),
                None => ("", s.as_str()),
                Some((g, v)) if !v.contains('/') => (g, v),
                Some(_) => {
                    return Err(Fault::new(format!("unexpected GroupVersion string: {}", truncate_for_message(s))));
                }
            };
            put_bytes(&mut out, 1, group.as_bytes());
            put_bytes(&mut out, 2, version.as_bytes());
        }
        (Special::GroupVersion, other) => return Err(expected("a group/version string", other)),
        (Special::SchemaOrArray, Value::Object(_)) => {
            let schema = encode_message(table, schema_index(table, index, 1)?, value, depth + 1)?;
            put_bytes(&mut out, 1, &schema);
        }
        (Special::SchemaOrArray, Value::Array(items)) => {
            let schema = schema_index(table, index, 2)?;
            for (i, item) in items.iter().enumerate() {
                let bytes = encode_message(table, schema, item, depth + 1).map_err(|f| f.index(i))?;
                put_bytes(&mut out, 2, &bytes);
            }
        }
        (Special::SchemaOrArray, other) => return Err(expected("a schema object or an array of schemas", other)),
        (Special::SchemaOrBool, Value::Bool(allows)) => put_varint_field(&mut out, 1, u64::from(*allows)),
        (Special::SchemaOrBool, Value::Object(_)) => {
            put_varint_field(&mut out, 1, 1);
            let schema = encode_message(table, schema_index(table, index, 2)?, value, depth + 1)?;
            put_bytes(&mut out, 2, &schema);
        }
        (Special::SchemaOrBool, other) => return Err(expected("a schema object or a boolean", other)),
        (Special::SchemaOrStringArray, Value::Object(_)) => {
            let schema = encode_message(table, schema_index(table, index, 1)?, value, depth + 1)?;
            put_bytes(&mut out, 1, &schema);
        }
        (Special::SchemaOrStringArray, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                encode_scalar(2, Kind::String, item, &mut out).map_err(|f| f.index(i))?;
            }
        }
        (Special::SchemaOrStringArray, other) => {
            return Err(expected("a schema object or an array of strings", other));
        }
    }
    Ok(out)
}
