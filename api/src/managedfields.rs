//! Field ownership (`metadata.managedFields`) for Update operations, as
//! kube-apiserver's field manager records it on every write: each manager
//! owns the fields it set or changed, in the `FieldsV1` trie encoding (`f:`
//! fields and map keys, `k:` keyed list items, `v:` set items, `.` for a
//! member with children). A change moves the changed fields to the writing
//! manager; fields removed from the object leave every manager.
//!
//! The sets are computed from the schema's list types and map keys, so
//! server-side apply can later build on the same representation. A write
//! walks the new object once, in place (for both the fields of the write and
//! all the fields of the object), finds the changed fields by walking that
//! set together with the new and old objects, and rewrites each manager's
//! stored FieldsV1 in one pass, trimmed to the object's fields (which is how
//! removed fields leave every manager).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::catalog::ResourceSpec;
use crate::schema::{DefShape, Prop, PropShape, Schema};
use crate::timefmt::Timestamp;

/// A set of field paths, as a trie: each node is a member or has children.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct FieldSet {
    member: bool,
    children: BTreeMap<String, FieldSet>,
}

impl FieldSet {
    /// A leaf: a member without children.
    fn leaf(member: bool) -> FieldSet {
        FieldSet { member, children: BTreeMap::new() }
    }

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
}

/// No children: the levels below the top of the set every manager's set is
/// trimmed to have one map of children, not two.
static NO_CHILDREN: BTreeMap<String, FieldSet> = BTreeMap::new();

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

fn is_owned_meta(field: &str) -> bool {
    !IGNORED_META.contains(&field)
}

fn is_any(_: &str) -> bool {
    true
}

/// The top-level key of the status field.
const STATUS: &str = "f:status";

/// Which top-level fields of an object a set covers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// All of them.
    All,
    /// All but status.
    Main,
    /// Only status.
    Status,
}

impl Part {
    /// What a write owns: a status write only status, another write of a
    /// resource with a status subresource everything but status, any other
    /// write everything.
    fn of(spec: &ResourceSpec, subresource: Option<&str>) -> Part {
        match subresource {
            Some("status") => Part::Status,
            _ if spec.has_status => Part::Main,
            _ => Part::All,
        }
    }

    fn covers(self, field: &str) -> bool {
        match self {
            Part::All => true,
            Part::Main => field != "status",
            Part::Status => field == "status",
        }
    }
}

/// The top-level fields of `part` of `object` that can be owned, with their
/// schema: not its type, not metadata with only server-owned fields (which
/// counts as absent), nothing if the object is not one the schema describes.
fn top_fields<'a>(
    spec: &ResourceSpec,
    object: &'a Value,
    part: Part,
) -> impl Iterator<Item = (&'a String, &'static Prop, &'a Value)> {
    let schema = Schema::get();
    let described = match (schema.def(&spec.definition), object) {
        (Some(def), Value::Object(fields)) if def.shape == DefShape::Object => Some((def, fields)),
        _ => None,
    };
    described.into_iter().flat_map(move |(def, fields)| {
        fields.iter().filter_map(move |(k, v)| {
            if k == "apiVersion" || k == "kind" || !part.covers(k) {
                return None;
            }
            if k == "metadata" && v.as_object().is_some_and(|meta| !meta.keys().any(|f| is_owned_meta(f))) {
                return None;
            }
            Some((k, def.properties.get(k)?, v))
        })
    })
}

/// Metadata without its server-owned fields, for a metadata property that
/// is not a struct: not the case of any built-in kind.
fn owned_meta_copy(meta: &Map<String, Value>) -> Value {
    Value::Object(meta.iter().filter(|(f, _)| is_owned_meta(f)).map(|(f, v)| (f.clone(), v.clone())).collect())
}

/// The set of `part` of `object`, without its type and server-owned
/// metadata. The object is walked in place: what is left out is skipped.
fn owned_set(spec: &ResourceSpec, object: &Value, part: Part) -> FieldSet {
    let schema = Schema::get();
    let mut set = FieldSet::default();
    for (k, prop, v) in top_fields(spec, object, part) {
        let child = walk_top(schema, k, prop, v);
        if !child.is_empty() {
            set.children.insert(field_key(k), child);
        }
    }
    // An object with no owned field (or not an object at all) is owned
    // whole.
    set.member = set.children.is_empty();
    set
}

/// The set of the top-level field `k`.
fn walk_top(schema: &Schema, k: &str, prop: &Prop, value: &Value) -> FieldSet {
    let mut node = FieldSet::default();
    match (value, &prop.shape) {
        (Value::Object(meta), PropShape::Ref(def)) if k == "metadata" => {
            walk_fields(schema, def, meta, is_owned_meta, &mut node);
        }
        (Value::Object(meta), _) if k == "metadata" => walk_prop(schema, prop, &owned_meta_copy(meta), &mut node),
        _ => walk_prop(schema, prop, value, &mut node),
    }
    node
}

/// Walks `value`, an instance of `def`.
fn walk_def(schema: &Schema, def: &str, value: &Value, node: &mut FieldSet) {
    match value {
        Value::Object(m) => walk_fields(schema, def, m, is_any, node),
        _ => walk_fields(schema, def, &Map::new(), is_any, node),
    }
}

/// Walks the fields of `m` that `keep` accepts, as an instance of `def`.
/// A struct with no field set, and anything the schema does not describe as
/// a struct, is owned whole.
fn walk_fields(schema: &Schema, def: &str, m: &Map<String, Value>, keep: fn(&str) -> bool, node: &mut FieldSet) {
    if let Some(d) = schema.def(def)
        && d.shape == DefShape::Object
    {
        for (k, v) in m {
            if !keep(k) {
                continue;
            }
            let Some(prop) = d.properties.get(k) else { continue };
            let mut child = FieldSet::default();
            walk_prop(schema, prop, v, &mut child);
            if !child.is_empty() {
                node.children.insert(field_key(k), child);
            }
        }
    }
    if node.children.is_empty() {
        node.member = true;
    }
}

/// The key fields of a keyed list (`x-kubernetes-list-map-keys`, else the
/// patch merge key); none for other lists.
fn list_keys(prop: &Prop) -> &[String] {
    if !prop.list_map_keys.is_empty() { &prop.list_map_keys } else { prop.merge_key.as_slice() }
}

fn is_keyed(prop: &Prop, keys: &[String]) -> bool {
    matches!(prop.list_type.as_deref(), Some("map") | None) && !keys.is_empty()
}

fn walk_prop(schema: &Schema, prop: &Prop, value: &Value, node: &mut FieldSet) {
    match (&prop.shape, value) {
        (PropShape::Ref(def), v) => walk_def(schema, def, v, node),
        (PropShape::Map(item), Value::Object(m)) if prop.map_type.as_deref() != Some("atomic") => {
            node.member = true;
            for (k, v) in m {
                let mut child = FieldSet::default();
                walk_shape(schema, item, v, &mut child);
                node.children.insert(field_key(k), child);
            }
        }
        (PropShape::Array(item), Value::Array(items)) => {
            node.member = true;
            let keys = list_keys(prop);
            if is_keyed(prop, keys) {
                for it in items {
                    let mut child = FieldSet::default();
                    walk_shape(schema, item, it, &mut child);
                    child.member = true;
                    node.children.insert(item_key(keys, it), child);
                }
            } else if prop.list_type.as_deref() == Some("set") {
                for it in items {
                    node.children.insert(format!("v:{it}"), FieldSet::leaf(true));
                }
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

/// `f:name`.
fn field_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() + 2);
    key.push_str("f:");
    key.push_str(name);
    key
}

/// `k:` and the key fields of a keyed list item as a JSON object, its keys
/// sorted (as serde_json's `Map` writes them).
fn item_key(keys: &[String], item: &Value) -> String {
    // Key names from the schema are sorted, plain words in practice: written
    // directly, without building a map. Writing to a String cannot fail.
    let plain = keys.windows(2).all(|w| w[0] < w[1])
        && keys.iter().all(|k| k.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'));
    if !plain {
        let key: Map<String, Value> = keys.iter().filter_map(|k| item.get(k).map(|v| (k.clone(), v.clone()))).collect();
        return format!("k:{}", Value::Object(key));
    }
    let mut out = String::with_capacity(48);
    out.push_str("k:{");
    for k in keys {
        if let Some(v) = item.get(k) {
            if out.len() > 3 {
                out.push(',');
            }
            let _ = write!(out, "\"{k}\":{v}");
        }
    }
    out.push('}');
    out
}

/// One step of a FieldsV1 path, parsed once to look up both objects.
enum Step<'a> {
    /// `f:`: a struct field or map key.
    Field(&'a str),
    /// `k:`: the first list item with these key fields.
    Key(Map<String, Value>),
    /// `v:`: the first list item equal to this.
    Item(Value),
}

impl<'a> Step<'a> {
    /// `None` for a segment no value can be found at.
    fn parse(segment: &'a str) -> Option<Step<'a>> {
        if let Some(field) = segment.strip_prefix("f:") {
            Some(Step::Field(field))
        } else if let Some(key) = segment.strip_prefix("k:") {
            serde_json::from_str(key).ok().map(Step::Key)
        } else if let Some(item) = segment.strip_prefix("v:") {
            serde_json::from_str(item).ok().map(Step::Item)
        } else {
            None
        }
    }

    fn find<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        match self {
            Step::Field(field) => value.get(*field),
            Step::Key(key) => value.as_array()?.iter().find(|it| key.iter().all(|(k, kv)| it.get(k) == Some(kv))),
            Step::Item(item) => value.as_array()?.iter().find(|it| *it == item),
        }
    }
}

/// The fields of `set` whose value differs between `new` and `old`, the
/// values at the set's path: a leaf is changed when its values differ
/// (present against absent included), a member with children when it is
/// absent from `old`.
fn changed(set: &FieldSet, new: Option<&Value>, old: Option<&Value>) -> FieldSet {
    let mut out = FieldSet::default();
    if set.children.is_empty() {
        out.member = set.member && new != old;
        return out;
    }
    out.member = set.member && old.is_none();
    for (k, c) in &set.children {
        let (new, old) = match (new.is_some() || old.is_some()).then(|| Step::parse(k)).flatten() {
            Some(step) => (new.and_then(|v| step.find(v)), old.and_then(|v| step.find(v))),
            None => (None, None),
        };
        let sub = changed(c, new, old);
        if !sub.is_empty() {
            out.children.insert(k.clone(), sub);
        }
    }
    out
}

/// How a write changes one manager's set.
#[derive(Clone, Copy)]
struct Edit<'a> {
    /// Fields the manager gains: the writer's changes, for the writer.
    add: Option<&'a FieldSet>,
    /// Fields the manager loses to the writer.
    take: Option<&'a FieldSet>,
}

impl<'a> Edit<'a> {
    fn child(self, key: &str) -> Edit<'a> {
        Edit { add: self.add.and_then(|s| s.children.get(key)), take: self.take.and_then(|s| s.children.get(key)) }
    }
}

/// A manager's set after a write, as FieldsV1: its FieldsV1 `fields`
/// (`None` where it has nothing) joined with `edit.add` and less
/// `edit.take`, trimmed to the set that is a member when `within_member`
/// and has the children in `within`. `None` when empty. Reads the stored
/// FieldsV1 as it is, without building its set.
fn rebuild(
    fields: Option<&Value>,
    edit: Edit,
    within_member: bool,
    within: [&BTreeMap<String, FieldSet>; 2],
) -> Option<Value> {
    // As FieldsV1 is read: `{}` or a `.` key is a member, anything but an
    // object a member without children.
    let (member, stored) = match fields {
        None => (false, None),
        Some(Value::Object(m)) => (m.is_empty() || m.contains_key("."), Some(m)),
        Some(_) => (true, None),
    };
    let member =
        (member || edit.add.is_some_and(|s| s.member)) && !edit.take.is_some_and(|s| s.member) && within_member;
    let mut out = Map::new();
    let mut visit = |k: &String, fields: Option<&Value>| {
        let Some(w) = within[0].get(k).or_else(|| within[1].get(k)) else { return };
        if let Some(child) = rebuild(fields, edit.child(k), w.member, [&w.children, &NO_CHILDREN]) {
            out.insert(k.clone(), child);
        }
    };
    for (k, v) in stored.into_iter().flatten() {
        if k != "." {
            visit(k, Some(v));
        }
    }
    for k in edit.add.into_iter().flat_map(|s| s.children.keys()) {
        if !stored.is_some_and(|m| m.contains_key(k)) {
            visit(k, None);
        }
    }
    if out.is_empty() && !member {
        return None;
    }
    if member && !out.is_empty() {
        out.insert(".".into(), json!({}));
    }
    Some(Value::Object(out))
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
    let part = Part::of(spec, subresource);
    // One walk of the new object gives the set of the part this write owns
    // and the rest of its fields: together all the fields (main and status)
    // every manager's set is trimmed to. That union is a member when the
    // main or the status set is empty.
    let mut new_set = owned_set(spec, object, Part::All);
    let has_status = new_set.children.contains_key(STATUS);
    let has_main = match Part::of(spec, None) {
        Part::Main => new_set.children.keys().any(|k| k != STATUS),
        _ => !new_set.children.is_empty(),
    };
    let all_member = !has_main || !has_status;
    let mut rest = BTreeMap::new();
    match part {
        Part::All => {}
        Part::Main => rest.extend(new_set.children.remove_entry(STATUS)),
        Part::Status => {
            let status = new_set.children.remove_entry(STATUS);
            rest = std::mem::take(&mut new_set.children);
            new_set.children.extend(status);
        }
    }
    new_set.member = new_set.children.is_empty();

    // Fields removed from the object leave every manager by that trim. The
    // removal only shows at the root: a part that had no field was owned
    // whole, and is not once it has fields.
    let filled = old.is_some_and(|old| top_fields(spec, old, part).next().is_none()) && !new_set.member;
    let within_member = all_member && !filled;
    let changes = old.map(|old| changed(&new_set, Some(&*object), Some(old)));
    let mine = changes.as_ref().unwrap_or(&new_set);
    // A create starts afresh; an update keeps the stored entries, or the
    // ones sent if none are stored.
    let stored = match old {
        Some(old) => old["metadata"]["managedFields"].as_array().or(object["metadata"]["managedFields"].as_array()),
        None => None,
    };
    let is_mine = |e: &Value| {
        e["manager"] == manager
            && e["operation"] == operation
            && e["subresource"].as_str().unwrap_or("") == subresource.unwrap_or("")
    };
    let time = Value::String(now.rfc3339());
    let api_version = Value::String(spec.api_version());
    let mut entries = Vec::with_capacity(stored.map_or(0, Vec::len) + 1);
    let mut found = false;
    for e in stored.into_iter().flatten() {
        let Value::Object(stored_entry) = e else { continue };
        let edit = if is_mine(e) {
            found = true;
            Edit { add: Some(mine), take: None }
        } else if !mine.is_empty() && e["operation"] == "Update" {
            Edit { add: None, take: Some(mine) }
        } else {
            Edit { add: None, take: None }
        };
        // An entry left with no field (or only the root) is dropped.
        let Some(fields) = rebuild(Some(&e["fieldsV1"]), edit, within_member, [&new_set.children, &rest])
            .filter(|f| f.as_object().is_some_and(|m| !m.is_empty()))
        else {
            continue;
        };
        let mut entry: Map<String, Value> =
            stored_entry.iter().filter(|(k, _)| *k != "fieldsV1").map(|(k, v)| (k.clone(), v.clone())).collect();
        if edit.add.is_some() {
            entry.insert("time".into(), time.clone());
            entry.insert("apiVersion".into(), api_version.clone());
        }
        entry.insert("fieldsV1".into(), fields);
        entries.push(Value::Object(entry));
    }
    let fields = if found { None } else { Some(mine.to_json()) };
    // Only the root owned is no entry either.
    if let Some(fields) = fields.filter(|f| f.as_object().is_some_and(|m| !m.is_empty())) {
        let mut entry = json!({
            "manager": manager,
            "operation": operation,
            "apiVersion": api_version,
            "time": time,
            "fieldsType": "FieldsV1",
            "fieldsV1": fields,
        });
        if let Some(sub) = subresource {
            entry["subresource"] = json!(sub);
        }
        entries.push(entry);
    }
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, OnceLock};
    use std::time::Instant;

    use serde_json::{Value, json};

    use super::record;
    use crate::catalog::{Catalog, ResourceSpec};
    use crate::timefmt::Timestamp;

    fn spec(group: &str, version: &str, plural: &str) -> Arc<ResourceSpec> {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(Catalog::builtin).get(group, version, plural).cloned().expect("a built-in resource")
    }

    /// `minutes` after 2026-01-01T00:00:00Z.
    fn at(minutes: i64) -> Timestamp {
        Timestamp { seconds: 1_767_225_600 + minutes * 60, nanos: 0 }
    }

    /// `object` as stored after a write by `manager`, like the registry's
    /// create (`old` is `None`) and update paths.
    fn write(
        spec: &ResourceSpec,
        mut object: Value,
        old: Option<&Value>,
        manager: &str,
        subresource: Option<&str>,
        minutes: i64,
    ) -> Value {
        record(&mut object, old, spec, manager, "Update", subresource, &at(minutes));
        object
    }

    fn managed(object: &Value) -> &Value {
        &object["metadata"]["managedFields"]
    }

    /// A Pod as `kubectl create` sends it, with server-set metadata and a
    /// status the create ignores.
    fn pod() -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "web-0",
                "namespace": "default",
                "uid": "6b3c1f4e-0000-4000-8000-000000000001",
                "resourceVersion": "41",
                "creationTimestamp": "2026-01-01T00:00:00Z",
                "labels": {"app": "web", "tier": "frontend"},
                "annotations": {"example.com/owner": "team-a", "example.com/rev": "1"},
            },
            "spec": {
                "containers": [
                    {
                        "name": "app",
                        "image": "nginx:1.27",
                        "args": ["--port", "8080"],
                        "ports": [
                            {"containerPort": 8080, "protocol": "TCP", "name": "http"},
                            {"containerPort": 8443, "protocol": "TCP", "name": "https"},
                            {"containerPort": 8080, "protocol": "UDP", "name": "quic"},
                        ],
                        "env": [
                            {"name": "MODE", "value": "prod"},
                            {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                        ],
                        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m"}},
                        "volumeMounts": [{"name": "config", "mountPath": "/etc/app"}],
                    },
                    {"name": "sidecar", "image": "busybox:1.36", "command": ["sleep", "3600"]},
                ],
                "volumes": [
                    {"name": "config", "configMap": {"name": "web-config"}},
                    {"name": "scratch", "emptyDir": {}},
                ],
                "nodeSelector": {"disktype": "ssd"},
                "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}],
                "restartPolicy": "Always",
            },
            "status": {"phase": "Pending"},
        })
    }

    /// The status a kubelet writes for `pod()` once it runs.
    fn running_status() -> Value {
        json!({
            "phase": "Running",
            "podIP": "10.0.0.7",
            "podIPs": [{"ip": "10.0.0.7"}, {"ip": "fd00::7"}],
            "conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:01:00Z"},
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-01-01T00:00:01Z"},
            ],
            "containerStatuses": [{
                "name": "app", "ready": true, "restartCount": 0, "image": "nginx:1.27", "imageID": "",
                "state": {"running": {"startedAt": "2026-01-01T00:00:30Z"}},
            }],
        })
    }

    /// `object` as stored after `write`.
    fn stored(mut object: Value, rv: &str) -> Value {
        object["metadata"]["resourceVersion"] = json!(rv);
        object
    }

    #[test]
    fn pod_create() {
        let created = write(&spec("", "v1", "pods"), pod(), None, "kubectl-create", None, 0);
        assert_eq!(
            managed(&created),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:app": {}, "f:tier": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
    }

    #[test]
    fn pod_create_ignores_sent_managed_fields() {
        let mut object = pod();
        object["metadata"]["managedFields"] =
            json!([{"manager": "forged", "operation": "Update", "fieldsV1": {"f:spec": {}}}]);
        let created = write(&spec("", "v1", "pods"), object, None, "kubectl-create", None, 0);
        assert_eq!(
            managed(&created),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:app": {}, "f:tier": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
    }

    #[test]
    fn pod_update_by_second_manager_moves_changed_fields() {
        let pods = spec("", "v1", "pods");
        let created = stored(write(&pods, pod(), None, "kubectl-create", None, 0), "42");
        let mut object = created.clone();
        object["metadata"]["labels"]["tier"] = json!("backend");
        object["metadata"]["labels"]["canary"] = json!("true");
        object["spec"]["containers"][0]["image"] = json!("nginx:1.28");
        object["spec"]["containers"][0]["ports"][1]["name"] = json!("tls");
        object["spec"]["containers"][0]["env"][0]["value"] = json!("staging");
        object["spec"]["nodeSelector"] = json!({"disktype": "ssd", "zone": "a"});
        object["spec"]["tolerations"][0]["value"] = json!("api");
        let updated = write(&pods, object, Some(&created), "controller", None, 5);
        assert_eq!(
            managed(&updated),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:app": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:restartPolicy": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:labels": {"f:canary": {}, "f:tier": {}}},
                        "f:spec": {
                            "f:containers": {
                                "k:{\"name\":\"app\"}": {
                                    "f:env": {"k:{\"name\":\"MODE\"}": {"f:value": {}}},
                                    "f:image": {},
                                    "f:ports": {"k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {"f:name": {}}},
                                },
                            },
                            "f:nodeSelector": {},
                            "f:tolerations": {},
                        },
                    },
                    "manager": "controller",
                    "operation": "Update",
                    "time": "2026-01-01T00:05:00Z",
                },
            ])
        );
    }

    #[test]
    fn pod_update_removes_fields_from_every_manager() {
        let pods = spec("", "v1", "pods");
        let created = stored(write(&pods, pod(), None, "kubectl-create", None, 0), "42");
        let mut object = created.clone();
        object["spec"]["containers"][0]["image"] = json!("nginx:1.28");
        let first = stored(write(&pods, object, Some(&created), "controller", None, 5), "43");
        let mut object = first.clone();
        object["metadata"].as_object_mut().unwrap().remove("annotations");
        object["metadata"]["labels"].as_object_mut().unwrap().remove("tier");
        object["spec"]["containers"][0].as_object_mut().unwrap().remove("image");
        object["spec"]["containers"][0]["env"].as_array_mut().unwrap().remove(1);
        object["spec"]["containers"][0]["ports"].as_array_mut().unwrap().remove(2);
        object["spec"]["volumes"].as_array_mut().unwrap().remove(1);
        let updated = write(&pods, object, Some(&first), "cleaner", None, 10);
        assert_eq!(
            managed(&updated),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {".": {}, "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}}},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
    }

    #[test]
    fn pod_list_items_added_and_removed() {
        let pods = spec("", "v1", "pods");
        let created = stored(write(&pods, pod(), None, "kubectl-create", None, 0), "42");
        let mut object = created.clone();
        let containers = object["spec"]["containers"].as_array_mut().unwrap();
        containers.remove(1);
        containers.push(json!({"name": "metrics", "image": "exporter:2", "ports": [{"containerPort": 9100}]}));
        object["spec"]["containers"][0]["env"].as_array_mut().unwrap().push(json!({"name": "DEBUG", "value": "1"}));
        object["spec"]["volumes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "cache", "emptyDir": {"medium": "Memory"}}));
        let updated = write(&pods, object, Some(&created), "controller", None, 5);
        assert_eq!(
            managed(&updated),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:app": {}, "f:tier": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:spec": {
                            "f:containers": {
                                "k:{\"name\":\"app\"}": {
                                    "f:env": {"k:{\"name\":\"DEBUG\"}": {".": {}, "f:name": {}, "f:value": {}}},
                                },
                                "k:{\"name\":\"metrics\"}": {
                                    ".": {},
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":9100}": {".": {}, "f:containerPort": {}},
                                    },
                                },
                            },
                            "f:volumes": {
                                "k:{\"name\":\"cache\"}": {".": {}, "f:emptyDir": {"f:medium": {}}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "controller",
                    "operation": "Update",
                    "time": "2026-01-01T00:05:00Z",
                },
            ])
        );
    }

    #[test]
    fn pod_status_write() {
        let pods = spec("", "v1", "pods");
        let created = stored(write(&pods, pod(), None, "kubectl-create", None, 0), "42");
        let mut object = created.clone();
        object["status"] = running_status();
        let running = stored(write(&pods, object, Some(&created), "kubelet", Some("status"), 1), "43");
        assert_eq!(
            managed(&running),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:app": {}, "f:tier": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:status": {
                            "f:conditions": {
                                ".": {},
                                "k:{\"type\":\"PodScheduled\"}": {
                                    ".": {},
                                    "f:lastTransitionTime": {},
                                    "f:status": {},
                                    "f:type": {},
                                },
                                "k:{\"type\":\"Ready\"}": {
                                    ".": {},
                                    "f:lastTransitionTime": {},
                                    "f:status": {},
                                    "f:type": {},
                                },
                            },
                            "f:containerStatuses": {},
                            "f:phase": {},
                            "f:podIP": {},
                            "f:podIPs": {
                                ".": {},
                                "k:{\"ip\":\"10.0.0.7\"}": {".": {}, "f:ip": {}},
                                "k:{\"ip\":\"fd00::7\"}": {".": {}, "f:ip": {}},
                            },
                        },
                    },
                    "manager": "kubelet",
                    "operation": "Update",
                    "subresource": "status",
                    "time": "2026-01-01T00:01:00Z",
                },
            ])
        );
        let mut object = running.clone();
        object["status"]["conditions"][0]["status"] = json!("False");
        object["status"]["podIPs"].as_array_mut().unwrap().remove(1);
        object["status"].as_object_mut().unwrap().remove("podIP");
        let flapped = stored(write(&pods, object, Some(&running), "kubelet", Some("status"), 2), "44");
        assert_eq!(
            managed(&flapped),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:app": {}, "f:tier": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:status": {
                            "f:conditions": {
                                ".": {},
                                "k:{\"type\":\"PodScheduled\"}": {
                                    ".": {},
                                    "f:lastTransitionTime": {},
                                    "f:status": {},
                                    "f:type": {},
                                },
                                "k:{\"type\":\"Ready\"}": {
                                    ".": {},
                                    "f:lastTransitionTime": {},
                                    "f:status": {},
                                    "f:type": {},
                                },
                            },
                            "f:containerStatuses": {},
                            "f:phase": {},
                            "f:podIPs": {".": {}, "k:{\"ip\":\"10.0.0.7\"}": {".": {}, "f:ip": {}}},
                        },
                    },
                    "manager": "kubelet",
                    "operation": "Update",
                    "subresource": "status",
                    "time": "2026-01-01T00:02:00Z",
                },
            ])
        );
        // A main-resource write never touches status ownership.
        let mut object = flapped.clone();
        object["status"]["phase"] = json!("Failed");
        object["metadata"]["labels"]["app"] = json!("api");
        let relabeled = write(&pods, object, Some(&flapped), "kubectl-label", None, 3);
        assert_eq!(
            managed(&relabeled),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:tier": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:status": {
                            "f:conditions": {
                                ".": {},
                                "k:{\"type\":\"PodScheduled\"}": {
                                    ".": {},
                                    "f:lastTransitionTime": {},
                                    "f:status": {},
                                    "f:type": {},
                                },
                                "k:{\"type\":\"Ready\"}": {
                                    ".": {},
                                    "f:lastTransitionTime": {},
                                    "f:status": {},
                                    "f:type": {},
                                },
                            },
                            "f:containerStatuses": {},
                            "f:phase": {},
                            "f:podIPs": {".": {}, "k:{\"ip\":\"10.0.0.7\"}": {".": {}, "f:ip": {}}},
                        },
                    },
                    "manager": "kubelet",
                    "operation": "Update",
                    "subresource": "status",
                    "time": "2026-01-01T00:02:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}}},
                    "manager": "kubectl-label",
                    "operation": "Update",
                    "time": "2026-01-01T00:03:00Z",
                },
            ])
        );
    }

    #[test]
    fn pod_update_without_change_bumps_time_only() {
        let pods = spec("", "v1", "pods");
        let created = stored(write(&pods, pod(), None, "kubectl-create", None, 0), "42");
        let same = write(&pods, created.clone(), Some(&created), "kubectl-create", None, 7);
        assert_eq!(
            managed(&same),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:app": {}, "f:tier": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:07:00Z",
                },
            ])
        );
        let other = write(&pods, created.clone(), Some(&created), "someone-else", None, 8);
        assert_eq!(
            managed(&other),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:annotations": {".": {}, "f:example.com/owner": {}, "f:example.com/rev": {}},
                            "f:labels": {".": {}, "f:app": {}, "f:tier": {}},
                        },
                        "f:spec": {
                            "f:containers": {
                                ".": {},
                                "k:{\"name\":\"app\"}": {
                                    ".": {},
                                    "f:args": {},
                                    "f:env": {
                                        ".": {},
                                        "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}},
                                        "k:{\"name\":\"POD_IP\"}": {
                                            ".": {},
                                            "f:name": {},
                                            "f:valueFrom": {"f:fieldRef": {"f:fieldPath": {}}},
                                        },
                                    },
                                    "f:image": {},
                                    "f:name": {},
                                    "f:ports": {
                                        ".": {},
                                        "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8080,\"protocol\":\"UDP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                        "k:{\"containerPort\":8443,\"protocol\":\"TCP\"}": {
                                            ".": {},
                                            "f:containerPort": {},
                                            "f:name": {},
                                            "f:protocol": {},
                                        },
                                    },
                                    "f:resources": {
                                        "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                                        "f:requests": {".": {}, "f:cpu": {}},
                                    },
                                    "f:volumeMounts": {
                                        ".": {},
                                        "k:{\"mountPath\":\"/etc/app\"}": {".": {}, "f:mountPath": {}, "f:name": {}},
                                    },
                                },
                                "k:{\"name\":\"sidecar\"}": {".": {}, "f:command": {}, "f:image": {}, "f:name": {}},
                            },
                            "f:nodeSelector": {},
                            "f:restartPolicy": {},
                            "f:tolerations": {},
                            "f:volumes": {
                                ".": {},
                                "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {"f:name": {}}, "f:name": {}},
                                "k:{\"name\":\"scratch\"}": {".": {}, "f:emptyDir": {}, "f:name": {}},
                            },
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
    }

    #[test]
    fn deployment_create_and_scale() {
        let deployments = spec("apps", "v1", "deployments");
        let object = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default", "generation": 1, "labels": {"app": "web"}},
            "spec": {
                "replicas": 3,
                "selector": {
                    "matchLabels": {"app": "web"},
                    "matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend"]}],
                },
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]},
                },
            },
        });
        let created = stored(write(&deployments, object, None, "kubectl-client-side-apply", None, 0), "10");
        assert_eq!(
            managed(&created),
            &json!([
                {
                    "apiVersion": "apps/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                        "f:spec": {
                            "f:replicas": {},
                            "f:selector": {"f:matchExpressions": {}, "f:matchLabels": {".": {}, "f:app": {}}},
                            "f:strategy": {"f:rollingUpdate": {"f:maxSurge": {}, "f:maxUnavailable": {}}, "f:type": {}},
                            "f:template": {
                                "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                                "f:spec": {
                                    "f:containers": {
                                        ".": {},
                                        "k:{\"name\":\"app\"}": {
                                            ".": {},
                                            "f:image": {},
                                            "f:name": {},
                                            "f:ports": {
                                                ".": {},
                                                "k:{\"containerPort\":80}": {".": {}, "f:containerPort": {}},
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                    "manager": "kubectl-client-side-apply",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
        let mut object = created.clone();
        object["spec"]["replicas"] = json!(5);
        let scaled = stored(write(&deployments, object, Some(&created), "hpa", None, 1), "11");
        assert_eq!(
            managed(&scaled),
            &json!([
                {
                    "apiVersion": "apps/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                        "f:spec": {
                            "f:selector": {"f:matchExpressions": {}, "f:matchLabels": {".": {}, "f:app": {}}},
                            "f:strategy": {"f:rollingUpdate": {"f:maxSurge": {}, "f:maxUnavailable": {}}, "f:type": {}},
                            "f:template": {
                                "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                                "f:spec": {
                                    "f:containers": {
                                        ".": {},
                                        "k:{\"name\":\"app\"}": {
                                            ".": {},
                                            "f:image": {},
                                            "f:name": {},
                                            "f:ports": {
                                                ".": {},
                                                "k:{\"containerPort\":80}": {".": {}, "f:containerPort": {}},
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                    "manager": "kubectl-client-side-apply",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "apps/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:replicas": {}}},
                    "manager": "hpa",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
            ])
        );
        let mut object = scaled.clone();
        object["status"] = json!({
            "replicas": 5,
            "readyReplicas": 3,
            "observedGeneration": 2,
            "conditions": [{"type": "Available", "status": "True"}],
        });
        let status = write(&deployments, object, Some(&scaled), "kube-controller-manager", Some("status"), 2);
        assert_eq!(
            managed(&status),
            &json!([
                {
                    "apiVersion": "apps/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                        "f:spec": {
                            "f:selector": {"f:matchExpressions": {}, "f:matchLabels": {".": {}, "f:app": {}}},
                            "f:strategy": {"f:rollingUpdate": {"f:maxSurge": {}, "f:maxUnavailable": {}}, "f:type": {}},
                            "f:template": {
                                "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                                "f:spec": {
                                    "f:containers": {
                                        ".": {},
                                        "k:{\"name\":\"app\"}": {
                                            ".": {},
                                            "f:image": {},
                                            "f:name": {},
                                            "f:ports": {
                                                ".": {},
                                                "k:{\"containerPort\":80}": {".": {}, "f:containerPort": {}},
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                    "manager": "kubectl-client-side-apply",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "apps/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:replicas": {}}},
                    "manager": "hpa",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
                {
                    "apiVersion": "apps/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:status": {
                            "f:conditions": {
                                ".": {},
                                "k:{\"type\":\"Available\"}": {".": {}, "f:status": {}, "f:type": {}},
                            },
                            "f:observedGeneration": {},
                            "f:readyReplicas": {},
                            "f:replicas": {},
                        },
                    },
                    "manager": "kube-controller-manager",
                    "operation": "Update",
                    "subresource": "status",
                    "time": "2026-01-01T00:02:00Z",
                },
            ])
        );
    }

    #[test]
    fn configmap_create_and_update() {
        let configmaps = spec("", "v1", "configmaps");
        let object = json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "web-config", "namespace": "default"},
            "data": {"app.conf": "port=8080", "log.level": "info"},
            "binaryData": {"logo.png": "iVBORw0KGgo="},
        });
        let created = stored(write(&configmaps, object, None, "kubectl-create", None, 0), "5");
        assert_eq!(
            managed(&created),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:binaryData": {".": {}, "f:logo.png": {}},
                        "f:data": {".": {}, "f:app.conf": {}, "f:log.level": {}},
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
        let mut object = created.clone();
        object["data"]["log.level"] = json!("debug");
        object["data"]["extra"] = json!("x");
        object.as_object_mut().unwrap().remove("binaryData");
        object["immutable"] = json!(false);
        let updated = write(&configmaps, object, Some(&created), "editor", None, 1);
        assert_eq!(
            managed(&updated),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:data": {".": {}, "f:app.conf": {}}},
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:data": {"f:extra": {}, "f:log.level": {}}, "f:immutable": {}},
                    "manager": "editor",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
            ])
        );
    }

    #[test]
    fn finalizers_and_pod_cidrs_are_sets() {
        let configmaps = spec("", "v1", "configmaps");
        let object = json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "default", "finalizers": ["example.com/a", "example.com/b"]},
            "data": {"k": "v"},
        });
        let created = stored(write(&configmaps, object, None, "creator", None, 0), "5");
        assert_eq!(
            managed(&created),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:data": {".": {}, "f:k": {}},
                        "f:metadata": {"f:finalizers": {".": {}, "v:\"example.com/a\"": {}, "v:\"example.com/b\"": {}}},
                    },
                    "manager": "creator",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
        let mut object = created.clone();
        object["metadata"]["finalizers"] = json!(["example.com/b", "example.com/c"]);
        let updated = write(&configmaps, object, Some(&created), "gc", None, 1);
        assert_eq!(
            managed(&updated),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:data": {".": {}, "f:k": {}},
                        "f:metadata": {"f:finalizers": {".": {}, "v:\"example.com/b\"": {}}},
                    },
                    "manager": "creator",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:metadata": {"f:finalizers": {"v:\"example.com/c\"": {}}}},
                    "manager": "gc",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
            ])
        );

        let nodes = spec("", "v1", "nodes");
        let object = json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "n1"},
            "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24", "fd00:1::/64"]},
            "status": {
                "capacity": {"cpu": "4", "memory": "8Gi"},
                "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}],
            },
        });
        let created = stored(write(&nodes, object, None, "kubelet", None, 0), "7");
        assert_eq!(
            managed(&created),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:spec": {
                            "f:podCIDR": {},
                            "f:podCIDRs": {".": {}, "v:\"10.244.1.0/24\"": {}, "v:\"fd00:1::/64\"": {}},
                        },
                    },
                    "manager": "kubelet",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
        let mut object = created.clone();
        object["status"]["capacity"]["pods"] = json!("110");
        object["spec"]["podCIDRs"] = json!(["10.244.1.0/24"]);
        let updated = write(&nodes, object, Some(&created), "kubelet", Some("status"), 1);
        assert_eq!(
            managed(&updated),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:podCIDR": {}, "f:podCIDRs": {".": {}, "v:\"10.244.1.0/24\"": {}}}},
                    "manager": "kubelet",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:status": {"f:capacity": {"f:pods": {}}}},
                    "manager": "kubelet",
                    "operation": "Update",
                    "subresource": "status",
                    "time": "2026-01-01T00:01:00Z",
                },
            ])
        );
    }

    #[test]
    fn atomic_map_is_owned_whole() {
        let services = spec("", "v1", "services");
        let object = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "selector": {"app": "web", "tier": "frontend"},
                "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}, {"port": 53, "protocol": "UDP"}],
                "type": "ClusterIP",
            },
        });
        let created = stored(write(&services, object, None, "kubectl-create", None, 0), "3");
        assert_eq!(
            managed(&created),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:spec": {
                            "f:ports": {
                                ".": {},
                                "k:{\"port\":53,\"protocol\":\"UDP\"}": {".": {}, "f:port": {}, "f:protocol": {}},
                                "k:{\"port\":80,\"protocol\":\"TCP\"}": {
                                    ".": {},
                                    "f:port": {},
                                    "f:protocol": {},
                                    "f:targetPort": {},
                                },
                            },
                            "f:selector": {},
                            "f:type": {},
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
            ])
        );
        let mut object = created.clone();
        object["spec"]["selector"]["tier"] = json!("backend");
        object["spec"]["ports"][0]["targetPort"] = json!("http");
        let updated = write(&services, object, Some(&created), "editor", None, 1);
        assert_eq!(
            managed(&updated),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:spec": {
                            "f:ports": {
                                ".": {},
                                "k:{\"port\":53,\"protocol\":\"UDP\"}": {".": {}, "f:port": {}, "f:protocol": {}},
                                "k:{\"port\":80,\"protocol\":\"TCP\"}": {".": {}, "f:port": {}, "f:protocol": {}},
                            },
                            "f:type": {},
                        },
                    },
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "time": "2026-01-01T00:00:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:spec": {
                            "f:ports": {"k:{\"port\":80,\"protocol\":\"TCP\"}": {"f:targetPort": {}}},
                            "f:selector": {},
                        },
                    },
                    "manager": "editor",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
            ])
        );
    }

    #[test]
    fn edge_cases() {
        let pods = spec("", "v1", "pods");
        // Only server-owned metadata and no spec: nothing to own but the root.
        let bare =
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default", "uid": "u"}});
        let created = stored(write(&pods, bare.clone(), None, "c", None, 0), "1");
        assert_eq!(managed(&created), &json!(null));
        // A status write of a pod without status, after a spec write.
        let mut object = created.clone();
        object["spec"] = json!({"containers": [{"name": "a", "image": "i"}]});
        let with_spec = stored(write(&pods, object, Some(&created), "c", None, 1), "2");
        let mut object = with_spec.clone();
        object["metadata"]["labels"] = json!({"x": "y"});
        let status = stored(write(&pods, object, Some(&with_spec), "c", Some("status"), 2), "3");
        assert_eq!(
            managed(&status),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:spec": {
                            "f:containers": {".": {}, "k:{\"name\":\"a\"}": {".": {}, "f:image": {}, "f:name": {}}},
                        },
                    },
                    "manager": "c",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
            ])
        );
        // An old object without managedFields keeps the ones the client sent.
        let mut old = status.clone();
        old["metadata"].as_object_mut().unwrap().remove("managedFields");
        let mut object = status.clone();
        object["spec"]["containers"][0]["image"] = json!("j");
        let kept = write(&pods, object, Some(&old), "d", None, 3);
        assert_eq!(
            managed(&kept),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:containers": {".": {}, "k:{\"name\":\"a\"}": {".": {}, "f:name": {}}}}},
                    "manager": "c",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:containers": {"k:{\"name\":\"a\"}": {"f:image": {}}}}},
                    "manager": "d",
                    "operation": "Update",
                    "time": "2026-01-01T00:03:00Z",
                },
            ])
        );
        // ... and a status write of the manager of a sent entry, with no
        // status in the object, makes that manager own the root.
        let mut object = old.clone();
        object["metadata"]["managedFields"] = json!([{
            "manager": "s", "operation": "Update", "subresource": "status",
            "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:containers": {}}},
        }]);
        let root = write(&pods, object, Some(&old), "s", Some("status"), 3);
        assert_eq!(
            managed(&root),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {".": {}, "f:spec": {"f:containers": {}}},
                    "manager": "s",
                    "operation": "Update",
                    "subresource": "status",
                    "time": "2026-01-01T00:03:00Z",
                },
            ])
        );
        // Keyed items without their key, duplicate keys, unknown fields and
        // a finalize write.
        let mut object = with_spec.clone();
        object["spec"]["containers"] = json!([
            {"image": "nokey"},
            {"name": "dup", "image": "first"},
            {"name": "dup", "image": "second", "tty": true},
        ]);
        object["spec"]["unknownField"] = json!(1);
        object["metadata"]["finalizers"] = json!(["f"]);
        let odd = stored(write(&pods, object, Some(&with_spec), "odd", Some("finalize"), 4), "5");
        assert_eq!(
            managed(&odd),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:containers": {}}},
                    "manager": "c",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:finalizers": {".": {}, "v:\"f\"": {}}},
                        "f:spec": {
                            "f:containers": {
                                "k:{\"name\":\"dup\"}": {".": {}, "f:image": {}, "f:name": {}},
                                "k:{}": {"f:image": {}},
                            },
                        },
                    },
                    "manager": "odd",
                    "operation": "Update",
                    "subresource": "finalize",
                    "time": "2026-01-01T00:04:00Z",
                },
            ])
        );
        let mut object = odd.clone();
        object["spec"]["containers"][2]["image"] = json!("third");
        object["spec"]["containers"][0]["image"] = json!("nokey2");
        let again = write(&pods, object, Some(&odd), "odd2", None, 5);
        assert_eq!(
            managed(&again),
            &json!([
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:containers": {}}},
                    "manager": "c",
                    "operation": "Update",
                    "time": "2026-01-01T00:01:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:finalizers": {".": {}, "v:\"f\"": {}}},
                        "f:spec": {"f:containers": {"k:{\"name\":\"dup\"}": {".": {}, "f:image": {}, "f:name": {}}}},
                    },
                    "manager": "odd",
                    "operation": "Update",
                    "subresource": "finalize",
                    "time": "2026-01-01T00:04:00Z",
                },
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:containers": {"k:{}": {"f:image": {}}}}},
                    "manager": "odd2",
                    "operation": "Update",
                    "time": "2026-01-01T00:05:00Z",
                },
            ])
        );
    }

    /// Times `record` for a Pod update by a second manager of a running
    /// pod with two managers. Run with
    /// `cargo test --release --workspace -p kubox-api --lib managedfields -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing, not a check"]
    fn record_timing() {
        const CALLS: u32 = 2_000;
        let pods = spec("", "v1", "pods");
        let created = stored(write(&pods, pod(), None, "kubectl-create", None, 0), "42");
        let mut object = created.clone();
        object["status"] = running_status();
        let running = stored(write(&pods, object, Some(&created), "kubelet", Some("status"), 1), "43");
        let mut update = running.clone();
        update["metadata"]["labels"]["tier"] = json!("backend");
        update["spec"]["containers"][0]["image"] = json!("nginx:1.28");
        update["spec"]["containers"][0]["env"][0]["value"] = json!("staging");

        let start = Instant::now();
        for _ in 0..CALLS {
            std::hint::black_box(update.clone());
        }
        let clone = start.elapsed() / CALLS;
        let start = Instant::now();
        for _ in 0..CALLS {
            let mut object = update.clone();
            record(&mut object, Some(&running), &pods, "controller", "Update", None, &at(5));
            std::hint::black_box(object);
        }
        let update_call = (start.elapsed() / CALLS).saturating_sub(clone);
        let start = Instant::now();
        for _ in 0..CALLS {
            let mut object = pod();
            record(&mut object, None, &pods, "kubectl-create", "Update", None, &at(0));
            std::hint::black_box(object);
        }
        let create_call = start.elapsed() / CALLS;
        println!("record: Pod update {update_call:?}/call, Pod create {create_call:?}/call (incl. building the pod)");
    }
}
