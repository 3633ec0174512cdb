//! Field ownership (`metadata.managedFields`) for Update operations, as
//! kube-apiserver's field manager records it on every write: each manager
//! owns the fields it set or changed, in the `FieldsV1` trie encoding (`f:`
//! fields and map keys, `k:` keyed list items, `v:` set items, `.` for a
//! member with children). A change moves the changed fields to the writing
//! manager; fields removed from the object leave every manager.
//!
//! The sets are computed from the schema's list types and map keys, so
//! server-side apply can later build on the same representation.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::catalog::ResourceSpec;
use crate::schema::{DefShape, PropShape, Schema};
use crate::timefmt::Timestamp;

/// A set of field paths, as a trie: each node is a member or has children.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct FieldSet {
    member: bool,
    children: BTreeMap<String, FieldSet>,
}

impl FieldSet {
    fn is_empty(&self) -> bool {
        !self.member && self.children.is_empty()
    }

    fn to_json(&self) -> Value {
        let mut m = Map::new();
        if self.member && !self.children.is_empty() {
            m.insert(".".into(), json!({}));
        }
        for (k, c) in &self.children {
            m.insert(k.clone(), c.to_json());
        }
        Value::Object(m)
    }

    fn from_json(v: &Value) -> FieldSet {
        let mut s = FieldSet::default();
        match v.as_object() {
            Some(m) if m.is_empty() => s.member = true,
            Some(m) => {
                for (k, c) in m {
                    if k == "." {
                        s.member = true;
                    } else {
                        s.children.insert(k.clone(), FieldSet::from_json(c));
                    }
                }
            }
            None => s.member = true,
        }
        s
    }

    fn union(&mut self, other: &FieldSet) {
        self.member |= other.member;
        for (k, c) in &other.children {
            self.children.entry(k.clone()).or_default().union(c);
        }
    }

    fn subtract(&mut self, other: &FieldSet) {
        if other.member {
            self.member = false;
        }
        for (k, c) in &other.children {
            if let Some(mine) = self.children.get_mut(k) {
                mine.subtract(c);
                if mine.is_empty() {
                    self.children.remove(k);
                }
            }
        }
    }

    fn intersect(&mut self, other: &FieldSet) {
        self.member &= other.member;
        self.children.retain(|k, c| match other.children.get(k) {
            Some(o) => {
                c.intersect(o);
                !c.is_empty()
            }
            None => false,
        });
    }
}

/// Metadata fields no manager owns.
const IGNORED_META: &[&str] = &[
    "name",
    "namespace",
    "generateName",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
];

/// The fields set in `value`, an instance of `def`.
fn field_set(schema: &Schema, def: &str, value: &Value) -> FieldSet {
    let mut s = FieldSet::default();
    walk_def(schema, def, value, &mut s);
    s
}

fn walk_def(schema: &Schema, def: &str, value: &Value, node: &mut FieldSet) {
    let Some(d) = schema.def(def) else {
        node.member = true;
        return;
    };
    match (&d.shape, value) {
        (DefShape::Object, Value::Object(m)) if !m.is_empty() && !d.properties.is_empty() => {
            for (k, v) in m {
                let Some(prop) = d.properties.get(k) else { continue };
                let mut child = FieldSet::default();
                walk_prop(schema, prop, v, &mut child);
                if !child.is_empty() {
                    node.children.insert(format!("f:{k}"), child);
                }
            }
            if node.children.is_empty() {
                node.member = true;
            }
        }
        _ => node.member = true,
    }
}

fn walk_prop(schema: &Schema, prop: &crate::schema::Prop, value: &Value, node: &mut FieldSet) {
    match (&prop.shape, value) {
        (PropShape::Ref(def), v) => walk_def(schema, def, v, node),
        (PropShape::Map(item), Value::Object(m)) if prop.map_type.as_deref() != Some("atomic") => {
            node.member = true;
            for (k, v) in m {
                let mut child = FieldSet::default();
                walk_shape(schema, item, v, &mut child);
                node.children.insert(format!("f:{k}"), child);
            }
        }
        (PropShape::Array(item), Value::Array(items)) => {
            let keys: Vec<&str> = if !prop.list_map_keys.is_empty() {
                prop.list_map_keys.iter().map(String::as_str).collect()
            } else {
                prop.merge_key.iter().map(String::as_str).collect()
            };
            match prop.list_type.as_deref() {
                Some("map") | None if !keys.is_empty() => {
                    node.member = true;
                    for it in items {
                        let mut key = Map::new();
                        for k in &keys {
                            if let Some(v) = it.get(*k) {
                                key.insert((*k).to_string(), v.clone());
                            }
                        }
                        let mut child = FieldSet::default();
                        walk_shape(schema, item, it, &mut child);
                        child.member = true;
                        node.children.insert(format!("k:{}", Value::Object(key)), child);
                    }
                }
                Some("set") => {
                    node.member = true;
                    for it in items {
                        node.children.insert(format!("v:{it}"), FieldSet { member: true, children: BTreeMap::new() });
                    }
                }
                _ => node.member = true,
            }
        }
        _ => node.member = true,
    }
}

fn walk_shape(schema: &Schema, shape: &PropShape, value: &Value, node: &mut FieldSet) {
    match shape {
        PropShape::Ref(def) => walk_def(schema, def, value, node),
        _ => node.member = true,
    }
}

/// The set of `object` without server-owned metadata (and without status
/// for writes of the main resource, or everything but status for status
/// writes).
fn owned_set(spec: &ResourceSpec, object: &Value, subresource: Option<&str>) -> FieldSet {
    let mut o = object.clone();
    if let Some(m) = o.as_object_mut() {
        m.remove("apiVersion");
        m.remove("kind");
        if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
            for k in IGNORED_META {
                meta.remove(*k);
            }
            if meta.is_empty() {
                m.remove("metadata");
            }
        }
        match subresource {
            Some("status") => m.retain(|k, _| k == "status"),
            _ if spec.has_status => {
                m.remove("status");
            }
            _ => {}
        }
    }
    field_set(Schema::get(), &spec.definition, &o)
}

/// The leaf fields whose value differs between `new` and `old`, as a set.
fn changed(new_set: &FieldSet, new: &Value, old: &Value, path: &mut Vec<String>) -> FieldSet {
    let mut out = FieldSet::default();
    if new_set.member && new_set.children.is_empty() {
        if lookup(new, path) != lookup(old, path) {
            out.member = true;
        }
        return out;
    }
    if new_set.member && lookup(old, path).is_none() {
        out.member = true;
    }
    for (k, c) in &new_set.children {
        path.push(k.clone());
        let sub = changed(c, new, old, path);
        path.pop();
        if !sub.is_empty() {
            out.children.insert(k.clone(), sub);
        }
    }
    out
}

/// The value at a FieldsV1 path.
fn lookup<'a>(root: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut v = root;
    for p in path {
        if let Some(field) = p.strip_prefix("f:") {
            v = v.get(field)?;
        } else if let Some(key) = p.strip_prefix("k:") {
            let key: Map<String, Value> = serde_json::from_str(key).ok()?;
            v = v.as_array()?.iter().find(|it| key.iter().all(|(k, kv)| it.get(k) == Some(kv)))?;
        } else if let Some(item) = p.strip_prefix("v:") {
            let item: Value = serde_json::from_str(item).ok()?;
            v = v.as_array()?.iter().find(|it| **it == item)?;
        } else {
            return None;
        }
    }
    Some(v)
}

/// Records a write by `manager` in `object`'s managedFields. `old` is the
/// stored object for updates, `None` for creates.
pub fn record(
    object: &mut Value,
    old: Option<&Value>,
    spec: &ResourceSpec,
    manager: &str,
    operation: &str,
    subresource: Option<&str>,
    now: &Timestamp,
) {
    let new_set = owned_set(spec, object, subresource);
    let (mine, removed) = match old {
        None => (new_set.clone(), FieldSet::default()),
        Some(old) => {
            let old_set = owned_set(spec, old, subresource);
            let mut removed = old_set;
            removed.subtract(&new_set);
            (changed(&new_set, object, old, &mut Vec::new()), removed)
        }
    };
    let all_new = {
        let mut s = owned_set(spec, object, None);
        s.union(&owned_set(spec, object, Some("status")));
        s
    };
    let mut entries: Vec<Value> = old
        .and_then(|o| o["metadata"]["managedFields"].as_array().cloned())
        .or_else(|| object["metadata"]["managedFields"].as_array().cloned().filter(|_| old.is_some()))
        .unwrap_or_default();
    let is_mine = |e: &Value| {
        e["manager"] == manager
            && e["operation"] == operation
            && e["subresource"].as_str().unwrap_or("") == subresource.unwrap_or("")
    };
    let mut found = false;
    for e in entries.iter_mut() {
        let mut set = FieldSet::from_json(&e["fieldsV1"]);
        if is_mine(e) {
            found = true;
            set.union(&mine);
            e["time"] = json!(now.rfc3339());
            e["apiVersion"] = json!(spec.api_version());
        } else if !mine.is_empty() && e["operation"] == "Update" {
            set.subtract(&mine);
        }
        set.subtract(&removed);
        set.intersect(&all_new);
        e["fieldsV1"] = set.to_json();
    }
    if !found && !mine.is_empty() {
        let mut entry = json!({
            "manager": manager,
            "operation": operation,
            "apiVersion": spec.api_version(),
            "time": now.rfc3339(),
            "fieldsType": "FieldsV1",
            "fieldsV1": mine.to_json(),
        });
        if let Some(sub) = subresource {
            entry["subresource"] = json!(sub);
        }
        entries.push(entry);
    }
    entries.retain(|e| e["fieldsV1"].as_object().is_some_and(|m| !m.is_empty()));
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        if entries.is_empty() {
            meta.remove("managedFields");
        } else {
            meta.insert("managedFields".into(), Value::Array(entries));
        }
    }
}

/// The field manager of a request: `fieldManager` if given, else the user
/// agent's product name (as kube-apiserver: up to the first '/').
pub fn manager_name(field_manager: Option<&str>, user_agent: Option<&str>) -> String {
    if let Some(m) = field_manager.filter(|m| !m.is_empty()) {
        return m.to_string();
    }
    let ua = user_agent.unwrap_or("");
    let name = ua.split('/').next().unwrap_or("").trim();
    if name.is_empty() { "unknown".to_string() } else { name.chars().take(128).collect() }
}
