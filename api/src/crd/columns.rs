//! Tables of custom resources, as apiextensions-apiserver's table convertor
//! prints them: Name, then each `additionalPrinterColumns` entry (its
//! JSONPath evaluated on the object and the cell typed by the column's
//! type), with an Age column when the CRD declares none.

use serde_json::{Value, json};

/// One additional printer column.
#[derive(Clone, Debug, PartialEq)]
pub struct PrinterColumn {
    /// The column's name.
    pub name: String,
    /// string, integer, number, boolean or date.
    pub type_: String,
    /// The OpenAPI format, if any.
    pub format: String,
    /// The description.
    pub description: String,
    /// 0 shown by default, higher with `-o wide`.
    pub priority: i64,
    /// The JSONPath (`.spec.replicas`).
    pub json_path: String,
}

/// The columns of a CRD version; an `Age` column when none are declared,
/// as the CRD's defaulting adds.
pub fn from_version(version: &Value) -> Vec<PrinterColumn> {
    let Some(cols) = version["additionalPrinterColumns"].as_array() else {
        return vec![PrinterColumn {
            name: "Age".into(),
            type_: "date".into(),
            format: String::new(),
            description: String::new(),
            priority: 0,
            json_path: ".metadata.creationTimestamp".into(),
        }];
    };
    cols.iter()
        .map(|c| PrinterColumn {
            name: c["name"].as_str().unwrap_or("").into(),
            type_: c["type"].as_str().unwrap_or("string").into(),
            format: c["format"].as_str().unwrap_or("").into(),
            description: c["description"].as_str().unwrap_or("").into(),
            priority: c["priority"].as_i64().unwrap_or(0),
            json_path: c["jsonPath"].as_str().or_else(|| c["JSONPath"].as_str()).unwrap_or("").into(),
        })
        .collect()
}

/// The Table's column definitions.
pub fn definitions(columns: &[PrinterColumn]) -> Vec<Value> {
    let mut out = vec![json!({
        "name": "Name", "type": "string", "format": "name",
        "description": crate::printers::NAME_DESCRIPTION, "priority": 0,
    })];
    out.extend(columns.iter().map(|c| {
        json!({"name": c.name, "type": c.type_, "format": c.format, "description": c.description, "priority": c.priority})
    }));
    out
}

/// The cells of one object's row.
pub fn cells(columns: &[PrinterColumn], object: &Value, now: i64) -> Vec<Value> {
    let mut out = vec![object["metadata"]["name"].clone()];
    for c in columns {
        let cell = match find(object, &c.json_path) {
            None => Value::Null,
            Some(v) => cell_for(&c.type_, v, now),
        };
        out.push(cell);
    }
    out
}

fn cell_for(type_: &str, v: &Value, now: i64) -> Value {
    match type_ {
        "integer" => match v {
            Value::Number(n) if n.is_i64() || n.is_u64() => v.clone(),
            Value::Number(n) => n.as_f64().filter(|f| f.fract() == 0.0).map_or(Value::Null, |f| json!(f as i64)),
            _ => Value::Null,
        },
        "number" => {
            if v.is_number() {
                v.clone()
            } else {
                Value::Null
            }
        }
        "boolean" => {
            if v.is_boolean() {
                v.clone()
            } else {
                Value::Null
            }
        }
        "date" => match v.as_str() {
            Some(s) => json!(crate::printers::timestamp_since(s, now)),
            None => Value::Null,
        },
        // Strings print as kubectl's JSONPath printer prints the value.
        _ => match v {
            Value::String(s) => json!(s),
            Value::Null => Value::Null,
            Value::Number(n) => json!(n.to_string()),
            Value::Bool(b) => json!(b.to_string()),
            other => json!(other.to_string()),
        },
    }
}

/// One step of a simple JSONPath.
#[derive(Debug, PartialEq)]
enum Step {
    Field(String),
    Index(usize),
    /// `[?(@.a.b=="x")]`: the first element whose path equals the value.
    Filter(Vec<String>, Value),
}

fn parse(path: &str) -> Option<Vec<Step>> {
    let p = path.trim();
    let p = p.strip_prefix('{').and_then(|s| s.strip_suffix('}')).unwrap_or(p);
    let p = p.strip_prefix('$').unwrap_or(p);
    let mut steps = Vec::new();
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'.' && b[j] != b'[' {
                    j += 1;
                }
                if j > start {
                    steps.push(Step::Field(p[start..j].to_string()));
                }
                i = j;
            }
            b'[' => {
                let end = p[i..].find(']').map(|e| i + e)?;
                let inner = p[i + 1..end].trim();
                if let Some(f) = inner.strip_prefix("?(").and_then(|s| s.strip_suffix(')')) {
                    // Filters may contain `]` only in their values; take the
                    // closing `)]` instead.
                    let (lhs, rhs) = f.split_once("==")?;
                    let lhs = lhs.trim().strip_prefix("@.")?;
                    let rhs = rhs.trim();
                    let value = if let Some(s) = rhs
                        .strip_prefix('"')
                        .and_then(|s| s.strip_suffix('"'))
                        .or_else(|| rhs.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
                    {
                        json!(s)
                    } else {
                        serde_json::from_str(rhs).ok()?
                    };
                    steps.push(Step::Filter(lhs.split('.').map(str::to_string).collect(), value));
                } else if let Some(k) = inner
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                {
                    steps.push(Step::Field(k.to_string()));
                } else {
                    steps.push(Step::Index(inner.parse().ok()?));
                }
                i = end + 1;
            }
            _ => return None,
        }
    }
    Some(steps)
}

/// Evaluates a simple JSONPath (fields, indexes, `['key']`, equality
/// filters) on `object`: the first result, if any.
pub fn find<'a>(object: &'a Value, path: &str) -> Option<&'a Value> {
    let steps = parse(path)?;
    let mut v = object;
    for s in &steps {
        v = match s {
            Step::Field(k) => v.get(k)?,
            Step::Index(i) => v.get(*i)?,
            Step::Filter(lhs, want) => v.as_array()?.iter().find(|item| {
                let mut x = *item;
                for k in lhs {
                    match x.get(k) {
                        Some(n) => x = n,
                        None => return false,
                    }
                }
                x == want
            })?,
        };
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_of_printer_columns() {
        let o = json!({"metadata": {"name": "a", "creationTimestamp": "2020-01-01T00:00:00Z"},
            "spec": {"replicas": 3, "items": [{"name": "x"}], "a.b": "dotted"},
            "status": {"conditions": [{"type": "Issuing", "status": "False"}, {"type": "Ready", "status": "True", "message": "ok"}]}});
        assert_eq!(find(&o, ".spec.replicas"), Some(&json!(3)));
        assert_eq!(find(&o, ".spec.items[0].name"), Some(&json!("x")));
        assert_eq!(find(&o, ".spec['a.b']"), Some(&json!("dotted")));
        assert_eq!(find(&o, r#".status.conditions[?(@.type=="Ready")].status"#), Some(&json!("True")));
        assert_eq!(find(&o, ".status.conditions[?(@.type=='Missing')].status"), None);
        assert_eq!(find(&o, ".spec.nothing"), None);
    }

    #[test]
    fn cells_are_typed_and_age_is_the_default_column() {
        let version = json!({"name": "v1", "additionalPrinterColumns": [
            {"name": "Ready", "type": "string", "jsonPath": ".status.ready"},
            {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
            {"name": "Secret", "type": "string", "jsonPath": ".spec.secretName", "priority": 1},
            {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}
        ]});
        let cols = from_version(&version);
        let o = json!({"metadata": {"name": "a", "creationTimestamp": "1970-01-01T00:00:00Z"}, "spec": {"replicas": 2.0}, "status": {"ready": true}});
        assert_eq!(cells(&cols, &o, 3600 * 5), vec![json!("a"), json!("true"), json!(2), Value::Null, json!("5h")]);
        let defs = definitions(&cols);
        assert_eq!(defs[3]["priority"], 1);
        assert_eq!(defs[0]["format"], "name");
        let default = from_version(&json!({"name": "v1"}));
        assert_eq!(default.len(), 1);
        assert_eq!(default[0].name, "Age");
    }
}
