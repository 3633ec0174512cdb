//! Wire compatibility with the real Kubernetes message definitions: for every
//! message in the table, a rich JSON sample generated from the table is
//! encoded by this module, decoded and re-encoded by the k8s-pb (prost) type,
//! and must decode back to the same JSON.

use serde_json::{Map, Value, json};

use super::formats::{base64_encode, format_rfc3339};
use super::table::{Kind, Label, Special, Table, table};
use super::{decode, decode_object, encode, encode_object, prost_dispatch, unwrap};

/// Message nesting the samples fill in (special values are always filled).
const SAMPLE_DEPTH: usize = 4;

/// Builds plausible, non-zero JSON values for messages from the table.
struct Sampler<'a> {
    table: &'a Table,
    counter: i64,
}

impl Sampler<'_> {
    fn next(&mut self) -> i64 {
        self.counter += 1;
        self.counter
    }

    fn message(&mut self, index: usize, depth: usize) -> Value {
        if let Some(special) = self.table.messages[index].special {
            return self.special(index, special, depth);
        }
        let mut object = Map::new();
        self.fill(index, depth, &mut object);
        Value::Object(object)
    }

    fn fill(&mut self, index: usize, depth: usize, object: &mut Map<String, Value>) {
        let table = self.table;
        for field in &table.messages[index].fields {
            if let (true, Kind::Message(inner)) = (field.inline, field.kind) {
                self.fill(inner, depth + 1, object);
                continue;
            }
            if let Kind::Message(inner) = field.kind
                && table.messages[inner].special.is_none()
                && depth + 1 > SAMPLE_DEPTH
            {
                continue;
            }
            let count = if depth == 0 { 2 } else { 1 };
            let value = match field.label {
                Label::Single => self.value(field.kind, &field.name, depth),
                Label::Repeated => {
                    Value::Array((0..count).map(|_| self.value(field.kind, &field.name, depth)).collect())
                }
                Label::Map(_) => {
                    let mut entries = Map::new();
                    for i in 0..count {
                        let value = self.value(field.kind, &field.name, depth);
                        entries.insert(format!("{}-key-{i}", field.name), value);
                    }
                    Value::Object(entries)
                }
            };
            object.insert(field.name.clone(), value);
        }
    }

    fn value(&mut self, kind: Kind, name: &str, depth: usize) -> Value {
        let c = self.next();
        match kind {
            Kind::String => Value::String(format!("{name}-{c}")),
            Kind::Bytes => Value::String(base64_encode(format!("bytes of {name} {c}").as_bytes())),
            Kind::Bool => Value::Bool(true),
            Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => json!(if c % 3 == 0 { -c } else { c * 1000 + 7 }),
            Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => json!(if c % 3 == 0 { -c } else { (1i64 << 40) + c }),
            Kind::Uint32 | Kind::Fixed32 => json!(c * 1000 + 7),
            Kind::Uint64 | Kind::Fixed64 => json!((1u64 << 40) + c as u64),
            Kind::Double | Kind::Float => json!(c as f64 + 0.5),
            Kind::Message(index) => self.message(index, depth + 1),
        }
    }

    fn schema(&mut self, index: usize, tag: u32, depth: usize) -> Value {
        match self.table.messages[index].field(tag).map(|f| f.kind) {
            Some(Kind::Message(schema)) if depth < SAMPLE_DEPTH => self.message(schema, depth + 1),
            _ => json!({}),
        }
    }

    fn special(&mut self, index: usize, special: Special, depth: usize) -> Value {
        let c = self.next();
        match special {
            Special::IntOrString if c % 2 == 0 => json!(8000 + c),
            Special::IntOrString => json!(format!("port-{c}")),
            Special::Quantity => json!(["250m", "1Gi", "3", "1.5", "100Ki"][(c % 5) as usize]),
            Special::Time => json!(format_rfc3339(1_715_000_000 + c * 3601, None).unwrap()),
            Special::MicroTime => {
                json!(format_rfc3339(1_715_000_000 + c * 3601, Some((c * 7919 % 1_000_000) as u32)).unwrap())
            }
            Special::Duration => json!(["1h2m3.5s", "150ms", "-2s", "45s"][(c % 4) as usize]),
            Special::RawJson => json!({"a": [1, "b", true, null], "n": {"x": 1.5, "c": c}}),
            Special::StringArray => json!(["get", format!("verb-{c}")]),
            Special::GroupVersion => json!("apps/v1"),
            Special::SchemaOrArray if c % 2 == 0 => self.schema(index, 1, depth),
            Special::SchemaOrArray => json!([self.schema(index, 2, depth), self.schema(index, 2, depth)]),
            Special::SchemaOrBool if c % 3 == 0 => json!(false),
            Special::SchemaOrBool if c % 3 == 1 => json!(true),
            Special::SchemaOrBool => self.schema(index, 2, depth),
            Special::SchemaOrStringArray if c % 2 == 0 => self.schema(index, 1, depth),
            Special::SchemaOrStringArray => json!(["a", format!("b-{c}")]),
        }
    }
}

/// Longest chain of nested objects/arrays in a sample.
fn nesting(value: &Value) -> usize {
    match value {
        Value::Object(entries) => 1 + entries.values().map(nesting).max().unwrap_or(0),
        Value::Array(items) => items.iter().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

fn check_message(table: &Table, index: usize) -> Result<(), String> {
    let name = table.messages[index].name.as_str();
    let sample = Sampler { table, counter: index as i64 * 1000 }.message(index, 0);
    let bytes = encode(name, &sample).map_err(|e| format!("{name}: encode: {e}"))?;
    let ours = decode(name, &bytes).map_err(|e| format!("{name}: decode: {e}"))?;
    if ours != sample {
        return Err(format!("{name}: own round trip differs:\n sample {sample}\n decoded {ours}"));
    }
    let Some(reencoded) = prost_dispatch::reencode(name, &bytes) else {
        return Err(format!("{name}: no k8s-pb type"));
    };
    let reencoded = reencoded.map_err(|e| format!("{name}: k8s-pb rejects our bytes: {e}"))?;
    let theirs = decode(name, &reencoded).map_err(|e| format!("{name}: decode of k8s-pb bytes: {e}"))?;
    if theirs != sample {
        return Err(format!("{name}: k8s-pb round trip differs:\n sample {sample}\n decoded {theirs}"));
    }
    Ok(())
}

#[test]
fn every_message_round_trips_through_its_k8s_pb_type() {
    let table = table().unwrap();
    let failures: Vec<String> =
        (0..table.messages.len()).filter_map(|index| check_message(table, index).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} messages failed:\n{}",
        failures.len(),
        table.messages.len(),
        failures.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(table.messages.len() > 1200, "only {} messages", table.messages.len());
}

#[test]
fn every_top_level_kind_round_trips_in_its_envelope() {
    let table = table().unwrap();
    let doc: Value = serde_json::from_str(include_str!("messages.json")).unwrap();
    let mut kinds = 0;
    for (name, entry) in doc["messages"].as_object().unwrap() {
        for gvk in entry.get("gvk").and_then(Value::as_array).into_iter().flatten() {
            let (group, version, kind) =
                (gvk["group"].as_str().unwrap(), gvk["version"].as_str().unwrap(), gvk["kind"].as_str().unwrap());
            let api_version = if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") };
            let index = table.index(name).unwrap();
            let mut sample = Sampler { table, counter: kinds * 977 }.message(index, 0);
            let Value::Object(fields) = &mut sample else { panic!("{name} sample is not an object") };
            // List kinds carry metadata but few fields; real kinds nest deeper.
            assert!(nesting(&Value::Object(fields.clone())) >= 2 || fields.len() <= 1, "{name} sample is flat");
            fields.insert("apiVersion".into(), json!(api_version));
            fields.insert("kind".into(), json!(kind));
            let envelope = encode_object(&sample).unwrap_or_else(|e| panic!("{name}: {e}"));
            let (got_version, got_kind, raw) = unwrap(&envelope).unwrap();
            assert_eq!((got_version.as_str(), got_kind.as_str()), (api_version.as_str(), kind));
            let reencoded = prost_dispatch::reencode(name, &raw).unwrap().unwrap_or_else(|e| panic!("{name}: {e}"));
            let decoded = decode_object(&super::wrap(&api_version, kind, &reencoded)).unwrap();
            assert_eq!(decoded, sample, "{name} as {api_version} {kind}");
            kinds += 1;
        }
    }
    assert!(kinds >= 190, "only {kinds} kinds");
}
