//! Field-level validation errors, as kube-apiserver reports them in the
//! `details.causes` of a 422 Invalid Status and in its message.
//!
//! Mirrors apimachinery's `util/validation/field` error type: the cause type,
//! the field path, the offending value and the detail, rendered exactly the way
//! upstream's `ErrorBody()` and `Error()` render them.

use std::fmt;

use serde_json::Value;

/// Why a field is invalid; one-to-one with metav1.CauseType.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// A referenced value was not found.
    NotFound,
    /// A required value is missing.
    Required,
    /// A value that must be unique is repeated.
    Duplicate,
    /// A value is malformed.
    Invalid,
    /// A value is not one of the supported enumeration values.
    NotSupported,
    /// A value is well formed but not permitted here.
    Forbidden,
    /// A value is too long.
    TooLong,
    /// A list has too many items.
    TooMany,
    /// The server failed for reasons unrelated to the input.
    Internal,
    /// A value has the wrong schema type.
    TypeInvalid,
}

impl ErrorType {
    /// The metav1.CauseType string of this error type.
    pub fn reason(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }

    /// The canonical message of this error type ("Required value", ...).
    pub fn message(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid | ErrorType::TypeInvalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        }
    }
}

/// One field-level validation error.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// The kind of problem.
    pub error_type: ErrorType,
    /// The field path, e.g. `spec.template.spec.containers[0].image`.
    pub field: String,
    /// The offending value; `None` when upstream omits it from the message.
    ///
    /// A Go struct value (printed by upstream in its field order) is carried
    /// pre-rendered as a one-key object whose key is [`RAW_VALUE_KEY`].
    pub bad_value: Option<Value>,
    /// Free-form detail appended after the value.
    pub detail: String,
}

/// Key of the one-key object that carries a value already rendered as Go would
/// print it (used for Go structs, whose field order a JSON map cannot keep).
pub const RAW_VALUE_KEY: &str = "\u{0}go-rendered";

impl FieldError {
    /// metav1.CauseType of the error ("FieldValueRequired", "FieldValueInvalid", ...).
    pub fn reason(&self) -> &'static str {
        self.error_type.reason()
    }

    /// The error body without the field, as upstream's ErrorBody() ("Required value", "Invalid value: \"x\": detail", ...).
    pub fn body(&self) -> String {
        let mut s = match self.error_type {
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong | ErrorType::Internal => {
                self.error_type.message().to_string()
            }
            _ => match &self.bad_value {
                None => self.error_type.message().to_string(),
                Some(v) => format!("{}: {}", self.error_type.message(), render_value(v)),
            },
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// The "... is invalid: ..." aggregate message upstream builds for a list of errors (NewInvalid's message part after the object name), so the caller can write `<Kind> "<name>" is invalid: <this>`.
///
/// Like upstream, duplicate messages are dropped, a single message stands alone
/// and several are joined with ", " inside brackets. An empty list yields "".
pub fn aggregate_message(errors: &[FieldError]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errors {
        let msg = e.to_string();
        if !seen.contains(&msg) {
            seen.push(msg);
        }
    }
    match seen.len() {
        0 => String::new(),
        1 => seen.swap_remove(0),
        _ => format!("[{}]", seen.join(", ")),
    }
}

/// Renders a bad value the way upstream's ErrorBody prints it: strings quoted
/// like Go's %q, numbers and booleans bare, everything else as JSON.
fn render_value(v: &Value) -> String {
    match v {
        Value::String(s) => go_quote(s),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        Value::Object(m) if m.len() == 1 => match m.get(RAW_VALUE_KEY) {
            Some(Value::String(raw)) => raw.clone(),
            _ => go_json(v),
        },
        _ => go_json(v),
    }
}

/// Quotes a string like Go's strconv.Quote.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Approximates Go's unicode.IsPrint: graphic characters and the ASCII space.
fn go_is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    // Format characters (category Cf) are not printable in Go.
    !matches!(c as u32, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF)
}

/// Renders a value as Go's json.Marshal would (map keys sorted, HTML-safe escaping).
pub fn go_json(v: &Value) -> String {
    let mut out = String::new();
    write_go_json(v, &mut out);
    out
}

fn write_go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&json_string(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            if m.len() == 1
                && let Some(Value::String(raw)) = m.get(RAW_VALUE_KEY)
            {
                out.push_str(raw);
                return;
            }
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(k));
                out.push(':');
                if let Some(item) = m.get(*k) {
                    write_go_json(item, out);
                }
            }
            out.push('}');
        }
    }
}

/// Encodes a string as Go's encoding/json does (escaping <, > and & too).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A value already rendered in Go's notation (a Go struct, a named string type).
pub fn raw_value(rendered: String) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(RAW_VALUE_KEY.to_string(), Value::String(rendered));
    Value::Object(m)
}

/// A value of a named Go string type (e.g. core.Protocol): upstream prints it
/// as JSON rather than with %q.
pub fn named_string(s: &str) -> Value {
    raw_value(json_string(s))
}

/// A field path under construction, rendered like upstream's field.Path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path(String);

impl Path {
    /// A path starting at the named root field.
    pub fn new(name: &str) -> Path {
        Path(name.to_string())
    }

    /// The path of the whole object, which upstream renders as "[]".
    pub fn whole_object() -> Path {
        Path("[]".to_string())
    }

    /// The path of a child field.
    pub fn child(&self, name: &str) -> Path {
        if self.0.is_empty() { Path(name.to_string()) } else { Path(format!("{}.{}", self.0, name)) }
    }

    /// The path of a list element.
    pub fn index(&self, i: usize) -> Path {
        Path(format!("{}[{}]", self.0, i))
    }

    /// The path of a map entry.
    pub fn key(&self, k: &str) -> Path {
        Path(format!("{}[{}]", self.0, k))
    }

    /// The rendered path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(error_type: ErrorType, path: &Path, bad_value: Option<Value>, detail: impl Into<String>) -> FieldError {
    FieldError { error_type, field: path.0.clone(), bad_value, detail: detail.into() }
}

/// field.Required.
pub fn required(path: &Path, detail: impl Into<String>) -> FieldError {
    err(ErrorType::Required, path, Some(Value::String(String::new())), detail)
}

/// field.Forbidden.
pub fn forbidden(path: &Path, detail: impl Into<String>) -> FieldError {
    err(ErrorType::Forbidden, path, Some(Value::String(String::new())), detail)
}

/// field.Invalid.
pub fn invalid(path: &Path, value: impl Into<Value>, detail: impl Into<String>) -> FieldError {
    err(ErrorType::Invalid, path, Some(value.into()), detail)
}

/// field.Invalid with the value omitted (field.OmitValueType).
pub fn invalid_omit(path: &Path, detail: impl Into<String>) -> FieldError {
    err(ErrorType::Invalid, path, None, detail)
}

/// field.Duplicate.
pub fn duplicate(path: &Path, value: impl Into<Value>) -> FieldError {
    err(ErrorType::Duplicate, path, Some(value.into()), "")
}

/// field.NotFound.
pub fn not_found(path: &Path, value: impl Into<Value>) -> FieldError {
    err(ErrorType::NotFound, path, Some(value.into()), "")
}

/// field.NotSupported: the supported values are listed quoted, in the order given.
pub fn not_supported(path: &Path, value: impl Into<Value>, valid: &[&str]) -> FieldError {
    let detail = if valid.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
        format!("supported values: {}", quoted.join(", "))
    };
    err(ErrorType::NotSupported, path, Some(value.into()), detail)
}

/// field.TooLong with a known maximum length in bytes.
pub fn too_long(path: &Path, max_length: i64) -> FieldError {
    let detail = if max_length >= 0 {
        format!("may not be more than {} {}", max_length, if max_length == 1 { "byte" } else { "bytes" })
    } else {
        "value is too long".to_string()
    };
    err(ErrorType::TooLong, path, Some(Value::String("<value omitted>".to_string())), detail)
}

/// field.TooMany.
pub fn too_many(path: &Path, actual: i64, max: i64) -> FieldError {
    let detail = if max >= 0 {
        format!("must have at most {} {}", max, if max == 1 { "item" } else { "items" })
    } else {
        "has too many items".to_string()
    };
    let value = if actual >= 0 { Some(Value::from(actual)) } else { None };
    err(ErrorType::TooMany, path, value, detail)
}

/// field.InternalError.
pub fn internal(path: &Path, detail: impl Into<String>) -> FieldError {
    err(ErrorType::Internal, path, None, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_match_upstream_rendering() {
        let p = Path::new("metadata").child("name");
        assert_eq!(
            required(&p, "name or generateName is required").body(),
            "Required value: name or generateName is required"
        );
        assert_eq!(required(&p, "").body(), "Required value");
        assert_eq!(forbidden(&p, "not allowed").to_string(), "metadata.name: Forbidden: not allowed");
        assert_eq!(invalid(&p, "A_b", "bad").body(), "Invalid value: \"A_b\": bad");
        assert_eq!(invalid(&p, 5, "bad").body(), "Invalid value: 5: bad");
        assert_eq!(invalid(&p, Value::Null, "bad").body(), "Invalid value: null: bad");
        assert_eq!(invalid(&p, json!({"b": "2", "a": "1"}), "x").body(), "Invalid value: {\"a\":\"1\",\"b\":\"2\"}: x");
        assert_eq!(invalid_omit(&p, "x").body(), "Invalid value: x");
        assert_eq!(duplicate(&p, "a").body(), "Duplicate value: \"a\"");
        assert_eq!(not_found(&p, "v").body(), "Not found: \"v\"");
        assert_eq!(
            not_supported(&p, named_string("Foo"), &["Always", "Never"]).body(),
            "Unsupported value: \"Foo\": supported values: \"Always\", \"Never\""
        );
        assert_eq!(too_long(&p, 1048576).body(), "Too long: may not be more than 1048576 bytes");
        assert_eq!(too_long(&p, 1).body(), "Too long: may not be more than 1 byte");
        assert_eq!(too_many(&p, 21, 20).body(), "Too many: 21: must have at most 20 items");
        assert_eq!(
            invalid(&p, raw_value("{\"Z\":1,\"A\":2}".into()), "d").body(),
            "Invalid value: {\"Z\":1,\"A\":2}: d"
        );
    }

    #[test]
    fn quoting_follows_go() {
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
        assert_eq!(go_quote("héllo"), "\"héllo\"");
        assert_eq!(json_string("<a&b>"), "\"\\u003ca\\u0026b\\u003e\"");
    }

    #[test]
    fn aggregate_dedups_and_brackets() {
        let p = Path::new("spec");
        let a = required(&p, "");
        let b = forbidden(&p, "x");
        assert_eq!(aggregate_message(&[]), "");
        assert_eq!(aggregate_message(std::slice::from_ref(&a)), "spec: Required value");
        assert_eq!(aggregate_message(&[a.clone(), b, a]), "[spec: Required value, spec: Forbidden: x]");
    }

    #[test]
    fn paths_render_like_upstream() {
        let p = Path::new("spec").child("containers").index(0).child("env").key("k");
        assert_eq!(p.as_str(), "spec.containers[0].env[k]");
        assert_eq!(Path::whole_object().as_str(), "[]");
        assert_eq!(reason_of(&invalid(&p, 1, "")), "FieldValueInvalid");
    }

    fn reason_of(e: &FieldError) -> &'static str {
        e.reason()
    }
}
