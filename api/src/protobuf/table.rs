//! The message table: every Kubernetes 1.35 protobuf message with its fields'
//! JSON names, tags and kinds, parsed once from the generated `messages.json`
//! (see tools/gen_protobuf_table.py).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::ProtoError;
use super::wire::{I32, I64, LEN, VARINT};

/// Scalar or message type of a field (or of a map's key or value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    String,
    Bytes,
    Bool,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Sint32,
    Sint64,
    Fixed32,
    Fixed64,
    Sfixed32,
    Sfixed64,
    Double,
    Float,
    /// A message, by index into [`Table::messages`].
    Message(usize),
}

impl Kind {
    /// The wire type a single value of this kind is written with.
    pub(super) fn wire_type(self) -> u8 {
        match self {
            Kind::Bool | Kind::Int32 | Kind::Int64 | Kind::Uint32 | Kind::Uint64 | Kind::Sint32 | Kind::Sint64 => {
                VARINT
            }
            Kind::Double | Kind::Fixed64 | Kind::Sfixed64 => I64,
            Kind::Float | Kind::Fixed32 | Kind::Sfixed32 => I32,
            Kind::String | Kind::Bytes | Kind::Message(_) => LEN,
        }
    }

    /// Whether repeated values of this kind may be packed.
    pub(super) fn packable(self) -> bool {
        self.wire_type() != LEN
    }

    fn parse(text: &str, by_name: &HashMap<&str, usize>) -> Result<Kind, String> {
        Ok(match text {
            "string" => Kind::String,
            "bytes" => Kind::Bytes,
            "bool" => Kind::Bool,
            "int32" => Kind::Int32,
            "int64" => Kind::Int64,
            "uint32" => Kind::Uint32,
            "uint64" => Kind::Uint64,
            "sint32" => Kind::Sint32,
            "sint64" => Kind::Sint64,
            "fixed32" => Kind::Fixed32,
            "fixed64" => Kind::Fixed64,
            "sfixed32" => Kind::Sfixed32,
            "sfixed64" => Kind::Sfixed64,
            "double" => Kind::Double,
            "float" => Kind::Float,
            other => match other.strip_prefix("message:") {
                Some(name) => Kind::Message(*by_name.get(name).ok_or_else(|| format!("unknown message {name}"))?),
                None => return Err(format!("unknown kind {other:?}")),
            },
        })
    }
}

/// How many values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Label {
    /// At most one value.
    Single,
    /// A list (`repeated`).
    Repeated,
    /// A map with keys of the given kind; the field's kind is the value kind.
    Map(Kind),
}

/// Messages whose JSON form is not an object of their fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Special {
    /// intstr.IntOrString: a JSON number or string.
    IntOrString,
    /// resource.Quantity: a JSON string.
    Quantity,
    /// metav1.Time: RFC 3339 with seconds precision, or null when zero.
    Time,
    /// metav1.MicroTime: RFC 3339 with microseconds, or null when zero.
    MicroTime,
    /// metav1.Duration: a Go duration string.
    Duration,
    /// runtime.RawExtension, metav1.FieldsV1, apiextensions JSON: embedded JSON.
    RawJson,
    /// metav1.Verbs, ExtraValue: a JSON array of strings.
    StringArray,
    /// metav1.GroupVersion: "group/version".
    GroupVersion,
    /// JSONSchemaPropsOrArray: a schema object or an array of schemas.
    SchemaOrArray,
    /// JSONSchemaPropsOrBool: a schema object or a boolean.
    SchemaOrBool,
    /// JSONSchemaPropsOrStringArray: a schema object or an array of strings.
    SchemaOrStringArray,
}

impl Special {
    fn parse(text: &str) -> Result<Special, String> {
        Ok(match text {
            "int_or_string" => Special::IntOrString,
            "quantity" => Special::Quantity,
            "time" => Special::Time,
            "micro_time" => Special::MicroTime,
            "duration" => Special::Duration,
            "raw_json" => Special::RawJson,
            "string_array" => Special::StringArray,
            "group_version" => Special::GroupVersion,
            "schema_or_array" => Special::SchemaOrArray,
            "schema_or_bool" => Special::SchemaOrBool,
            "schema_or_string_array" => Special::SchemaOrStringArray,
            other => return Err(format!("unknown special {other:?}")),
        })
    }
}

/// One field of a message.
#[derive(Debug, Clone)]
pub(super) struct Field {
    /// The JSON name.
    pub(super) name: String,
    /// The protobuf field number.
    pub(super) tag: u32,
    /// Value kind (for maps, the value's kind).
    pub(super) kind: Kind,
    /// Single, repeated or map.
    pub(super) label: Label,
    /// In the definition's `required` list.
    pub(super) required: bool,
    /// A Go embedded struct whose fields appear in the parent's JSON object.
    pub(super) inline: bool,
    /// A non-pointer Go scalar with `omitempty`: Go's JSON drops its zero value.
    pub(super) omit_empty: bool,
    /// A Go struct with `omitzero`: Go's JSON drops it when zero.
    pub(super) omit_zero: bool,
}

/// One protobuf message.
#[derive(Debug, Clone)]
pub(super) struct Message {
    /// The OpenAPI definition name, e.g. `io.k8s.api.core.v1.Pod`.
    pub(super) name: String,
    /// Set when the JSON form is not an object of the fields.
    pub(super) special: Option<Special>,
    /// Fields in tag order.
    pub(super) fields: Vec<Field>,
}

impl Message {
    /// The field with protobuf number `tag`.
    pub(super) fn field(&self, tag: u32) -> Option<&Field> {
        self.fields.binary_search_by_key(&tag, |f| f.tag).ok().map(|i| &self.fields[i])
    }
}

/// All messages, with lookups by definition name and by apiVersion/kind.
#[derive(Debug)]
pub(super) struct Table {
    pub(super) messages: Vec<Message>,
    by_name: HashMap<String, usize>,
    by_kind: HashMap<(String, String), usize>,
}

static TABLE: OnceLock<Result<Table, ProtoError>> = OnceLock::new();

/// The table, parsed from the embedded messages.json on first use.
pub(super) fn table() -> Result<&'static Table, ProtoError> {
    TABLE
        .get_or_init(|| Table::parse(include_str!("messages.json")).map_err(ProtoError::Table))
        .as_ref()
        .map_err(Clone::clone)
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

impl Table {
    /// Index of the message with this definition name.
    pub(super) fn index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Index of the message registered for apiVersion/kind.
    pub(super) fn index_for_kind(&self, api_version: &str, kind: &str) -> Option<usize> {
        self.by_kind.get(&(api_version.to_owned(), kind.to_owned())).copied()
    }

    fn parse(text: &str) -> Result<Table, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let entries = doc.get("messages").and_then(Value::as_object).ok_or("no \"messages\" object")?;
        let by_str: HashMap<&str, usize> = entries.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let mut messages = Vec::with_capacity(entries.len());
        let mut by_kind = HashMap::new();
        for (index, (name, entry)) in entries.iter().enumerate() {
            let err = |e: String| format!("{name}: {e}");
            let special = match entry.get("special").and_then(Value::as_str) {
                Some(s) => Some(Special::parse(s).map_err(err)?),
                None => None,
            };
            let mut fields = Vec::new();
            for f in entry.get("fields").and_then(Value::as_array).ok_or_else(|| err("no fields".into()))? {
                let fname = f.get("name").and_then(Value::as_str).ok_or_else(|| err("field without name".into()))?;
                let ferr = |e: String| format!("{name}.{fname}: {e}");
                let tag = f
                    .get("tag")
                    .and_then(Value::as_u64)
                    .and_then(|t| u32::try_from(t).ok())
                    .filter(|&t| t > 0 && t < (1 << 29))
                    .ok_or_else(|| ferr("bad tag".into()))?;
                let (kind, label) = if let Some(map) = f.get("map") {
                    let key = map.get("key").and_then(Value::as_str).ok_or_else(|| ferr("map without key".into()))?;
                    let value =
                        map.get("value").and_then(Value::as_str).ok_or_else(|| ferr("map without value".into()))?;
                    let key = Kind::parse(key, &by_str).map_err(ferr)?;
                    if matches!(key, Kind::Message(_) | Kind::Bytes | Kind::Double | Kind::Float) {
                        return Err(ferr(format!("invalid map key kind {key:?}")));
                    }
                    (Kind::parse(value, &by_str).map_err(ferr)?, Label::Map(key))
                } else {
                    let kind = f.get("kind").and_then(Value::as_str).ok_or_else(|| ferr("no kind".into()))?;
                    let label = if flag(f, "repeated") { Label::Repeated } else { Label::Single };
                    (Kind::parse(kind, &by_str).map_err(ferr)?, label)
                };
                let inline = flag(f, "inline");
                if inline && !(matches!(kind, Kind::Message(_)) && label == Label::Single) {
                    return Err(ferr("only single message fields can be inline".into()));
                }
                fields.push(Field {
                    name: fname.to_owned(),
                    tag,
                    kind,
                    label,
                    required: flag(f, "required"),
                    inline,
                    omit_empty: flag(f, "omitempty"),
                    omit_zero: flag(f, "omitzero"),
                });
            }
            fields.sort_by_key(|f| f.tag);
            if fields.windows(2).any(|w| w[0].tag == w[1].tag) {
                return Err(err("duplicate tags".into()));
            }
            for gvk in entry.get("gvk").and_then(Value::as_array).into_iter().flatten() {
                let part = |k: &str| gvk.get(k).and_then(Value::as_str).unwrap_or_default();
                let api_version = match part("group") {
                    "" => part("version").to_owned(),
                    group => format!("{group}/{}", part("version")),
                };
                if let Some(other) = by_kind.insert((api_version.clone(), part("kind").to_owned()), index) {
                    return Err(err(format!("{api_version} {} is also registered for message {other}", part("kind"))));
                }
            }
            messages.push(Message { name: name.clone(), special, fields });
        }
        let table = Table {
            by_name: messages.iter().enumerate().map(|(i, m)| (m.name.clone(), i)).collect(),
            messages,
            by_kind,
        };
        table.check_specials()?;
        Ok(table)
    }

    /// The runtime relies on the field layout of the special messages.
    fn check_specials(&self) -> Result<(), String> {
        use Kind as K;
        use Label::{Repeated as R, Single as S};
        for message in &self.messages {
            let Some(special) = message.special else { continue };
            let shape: Vec<(u32, Kind, Label)> = message.fields.iter().map(|f| (f.tag, f.kind, f.label)).collect();
            let schema = |tag: u32| match message.field(tag).map(|f| f.kind) {
                Some(K::Message(i)) if self.messages[i].special.is_none() => Some(K::Message(i)),
                _ => None,
            };
            let expected: Option<Vec<(u32, Kind, Label)>> = match special {
                Special::IntOrString => Some(vec![(1, K::Int64, S), (2, K::Int32, S), (3, K::String, S)]),
                Special::Quantity => Some(vec![(1, K::String, S)]),
                Special::Time | Special::MicroTime => Some(vec![(1, K::Int64, S), (2, K::Int32, S)]),
                Special::Duration => Some(vec![(1, K::Int64, S)]),
                Special::RawJson => Some(vec![(1, K::Bytes, S)]),
                Special::StringArray => Some(vec![(1, K::String, R)]),
                Special::GroupVersion => Some(vec![(1, K::String, S), (2, K::String, S)]),
                Special::SchemaOrArray => schema(1).map(|s| vec![(1, s, S), (2, s, R)]),
                Special::SchemaOrBool => schema(2).map(|s| vec![(1, K::Bool, S), (2, s, S)]),
                Special::SchemaOrStringArray => schema(1).map(|s| vec![(1, s, S), (2, K::String, R)]),
            };
            if expected.as_ref() != Some(&shape) {
                return Err(format!("{} does not have the field layout of {special:?}: {shape:?}", message.name));
            }
        }
        Ok(())
    }
}
