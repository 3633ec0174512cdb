//! Strategic merge patch (`application/strategic-merge-patch+json`), applied the
//! way kube-apiserver applies it to a built-in object.
//!
//! This mirrors the server side of apimachinery's strategic merge patch
//! (`StrategicMergeMapPatch` with `MergeParallelList` and `IgnoreUnmatchedNulls`
//! on): every directive kubectl and client-go send (`$patch: replace|delete`,
//! `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`,
//! `null` deleting a key), lists merged by their merge key, lists of scalars
//! merged as an ordered union, and the ordering rules upstream applies after a
//! merge. Errors carry upstream's text, because `kubectl` prints it verbatim.
//!
//! Like kube-apiserver, the result is the patched JSON map *before* it is
//! decoded into the typed object: it may still hold keys the schema does not
//! know (including directives left inside values that were added whole, or
//! `null`s inside appended list items), which that decode drops. The caller
//! prunes and defaults the result as it does for any other write.
//!
//! Where upstream's behaviour depends on Go's random map iteration order (two
//! patch keys that touch the same list, or which of several errors is met
//! first), keys are processed in sorted order.

use std::cell::RefCell;
use std::fmt::Write as _;

use serde_json::{Map, Value};

const DIRECTIVE_MARKER: &str = "$patch";
const DELETE_DIRECTIVE: &str = "delete";
const REPLACE_DIRECTIVE: &str = "replace";
const MERGE_DIRECTIVE: &str = "merge";
const RETAIN_KEYS_STRATEGY: &str = "retainKeys";
const RETAIN_KEYS_DIRECTIVE: &str = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST_PREFIX: &str = "$deleteFromPrimitiveList";
const SET_ELEMENT_ORDER_PREFIX: &str = "$setElementOrder";

/// The text of a Go nil-pointer panic, which some malformed patches provoke upstream.
const NIL_DEREFERENCE: &str = "runtime error: invalid memory address or nil pointer dereference";

/// What a missing map key reads as in Go (`m[k]` on a missing key is nil).
static NULL: Value = Value::Null;

/// The shape of a value at some point of an object, as far as patching cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A struct-like object (an OpenAPI definition with properties), by type name.
    Struct(String),
    /// A map with string keys (additionalProperties) whose values have this shape.
    Map(Box<Shape>),
    /// A list whose items have this shape.
    List(Box<Shape>),
    /// A scalar or an opaque value (string, number, bool, IntOrString, Quantity,
    /// RawExtension, free-form JSON): replaced whole.
    Scalar,
}

/// What the schema says about one field of a struct type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMeta {
    /// The shape of the field's value.
    pub shape: Shape,
    /// x-kubernetes-patch-strategy, split on ',' (e.g. ["merge"], ["merge", "retainKeys"], ["replace"]); empty if none.
    pub strategies: Vec<String>,
    /// x-kubernetes-patch-merge-key, if any.
    pub merge_key: Option<String>,
}

/// Schema lookups for strategic merge patch.
pub trait PatchSchema {
    /// The metadata of field `field` of struct type `type_name`, or None if the
    /// schema has no such field (then treat the value as free-form JSON: maps
    /// merge, lists are replaced, as JSON merge patch does).
    fn field(&self, type_name: &str, field: &str) -> Option<FieldMeta>;
}

/// Why a strategic merge patch could not be applied. `Display` gives
/// upstream's error text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SmpError {
    /// The original or the patch is not a JSON object.
    #[error("invalid JSON document")]
    BadJsonDoc,
    /// A merged list holds lists.
    #[error("lists of lists are not supported")]
    NoListOfLists,
    /// A `$deleteFromPrimitiveList` key is malformed.
    #[error("invalid patch format of primitive list")]
    BadPatchFormatForPrimitiveList,
    /// A `$retainKeys` directive is not a list, or the patch sets a key it does not retain.
    #[error("invalid patch format of retainKeys")]
    BadPatchFormatForRetainKeys,
    /// A `$setElementOrder` key is malformed.
    #[error("invalid patch format of setElementOrder list")]
    BadPatchFormatForSetElementOrderList,
    /// An item of a merged list lacks the list's merge key.
    #[error("map: {map} does not contain declared merge key: {merge_key}")]
    NoMergeKey {
        /// The item, as Go prints a map (`map[image:nginx]`).
        map: String,
        /// The merge key.
        merge_key: String,
    },
    /// A value has another JSON type than the position requires.
    #[error("expected a {expected}, but received a {actual}")]
    BadArgType {
        /// The Go type expected (`map[string]interface {}`, `[]interface {}`).
        expected: &'static str,
        /// The Go type found.
        actual: &'static str,
    },
    /// A `$patch` directive on a map is neither `replace` nor `delete`, or one
    /// in a list is not `replace`, `delete` or `merge`.
    #[error("unknown patch type: {directive} in map: {map}")]
    BadPatchType {
        /// The directive, as Go's `%s` prints it.
        directive: String,
        /// The map holding it, as Go prints a map.
        map: String,
    },
    /// `$patch: merge` inside a list.
    #[error("merging lists cannot yet be specified in the patch")]
    MergeDirectiveInList,
    /// A list with the merge strategy holds objects but declares no merge key.
    #[error("cannot merge lists without merge key for {0}")]
    NoMergeKeyForList(&'static str),
    /// The patch list orders its items differently from its `$setElementOrder` list.
    #[error("The order in patch list:\n{patch_list}\n doesn't match $setElementOrder list:\n{set_element_order}\n")]
    SetElementOrderMismatch {
        /// The patch list, as Go prints a slice.
        patch_list: String,
        /// The `$setElementOrder` list, as Go prints a slice.
        set_element_order: String,
    },
    /// The schema declares more than one patch strategy besides `retainKeys`.
    #[error("unexpected patch strategy: {0}")]
    UnexpectedPatchStrategy(String),
    /// The items of the lists being merged have different JSON types.
    #[error("list element types are not identical: {0}")]
    ListElementTypesNotIdentical(String),
    /// A `$setElementOrder` list applies to lists that are both empty.
    #[error("no elements in any of the given slices")]
    NoElements,
    /// A merged list holds a non-object where objects are required.
    #[error("value for key {0} is not a map")]
    NotAMapAtIndex(usize),
    /// Both sides hold an object or a list at a key of a map-typed (or
    /// list-typed) field, which upstream's schema lookup cannot descend into.
    #[error("merging an object in json but data type is not struct, instead is: {0}")]
    NotAStruct(&'static str),
    /// A list-only operation addresses a field that is not a list.
    #[error("expected slice or array type, but got: {0}")]
    NotASlice(&'static str),
    /// The schema declares a list of lists.
    #[error("unexpected slice of slice")]
    SliceOfSlice,
    /// Input that makes upstream's Go code panic (a null first item in a merged
    /// list, objects used as merge key values or in `$retainKeys`, ...); the
    /// text is Go's runtime error.
    #[error("{0}")]
    Panic(String),
}

impl SmpError {
    /// The HTTP status kube-apiserver answers with: 400 for malformed
    /// directives, 422 for lists of lists, 500 for everything else (upstream
    /// passes those errors through unconverted, or panics).
    pub fn status_code(&self) -> u16 {
        match self {
            Self::BadJsonDoc
            | Self::BadPatchFormatForPrimitiveList
            | Self::BadPatchFormatForRetainKeys
            | Self::BadPatchFormatForSetElementOrderList => 400,
            Self::NoListOfLists => 422,
            _ => 500,
        }
    }

    /// The `metav1.Status` reason kube-apiserver reports: `BadRequest` for 400,
    /// `Invalid` for 422, and "" (StatusReasonUnknown) for the errors it passes
    /// through as plain errors. For [`SmpError::Panic`] kube-apiserver's panic
    /// recovery answers a bare 500 instead of a Status.
    pub fn status_reason(&self) -> &'static str {
        match self.status_code() {
            400 => "BadRequest",
            422 => "Invalid",
            _ => "",
        }
    }

    /// The Status message kube-apiserver reports: the error text, except for
    /// 422, where upstream's generic response replaces it.
    pub fn status_message(&self) -> String {
        if self.status_code() == 422 {
            "the server rejected our request due to an error in our request".to_string()
        } else {
            self.to_string()
        }
    }
}

/// Applies `patch` to `original` (both JSON objects) for a value of struct type `type_name`.
///
/// # Errors
/// Returns [`SmpError`] with upstream's message when the patch is malformed
/// for the schema (see each variant).
pub fn apply(
    original: &Value,
    patch: &Value,
    schema: &dyn PatchSchema,
    type_name: &str,
) -> Result<serde_json::Value, SmpError> {
    // A JSON `null` document decodes to a nil map upstream, which merges as empty.
    let original = match original {
        Value::Object(map) => map.clone(),
        Value::Null => Map::new(),
        _ => return Err(SmpError::BadJsonDoc),
    };
    let patch = match patch {
        Value::Object(map) => map.clone(),
        Value::Null => Map::new(),
        _ => return Err(SmpError::BadJsonDoc),
    };
    let merger = Merger { schema };
    Ok(Value::Object(merger.merge_map(original, patch, &Node::Struct(type_name.to_string()))?))
}

/// Where in the schema a map being merged sits; it answers field lookups the
/// way upstream's reflection over Go types does.
#[derive(Clone, Debug)]
enum Node {
    /// A struct type the schema describes.
    Struct(String),
    /// A Go map or slice type: upstream cannot look up fields in it.
    NotStruct(&'static str),
    /// A value the schema does not describe: free-form JSON.
    FreeForm,
    /// An opaque value ([`Shape::Scalar`]): replaced whole.
    Opaque,
}

impl Node {
    /// What upstream's `LookupPatchMeta.Name()` says of a list's element type.
    fn kind_name(&self) -> &'static str {
        match self {
            Self::Struct(_) | Self::Opaque => "struct",
            Self::NotStruct(kind) => kind,
            Self::FreeForm => "interface",
        }
    }
}

/// The result of looking up a field: where its value sits and how it merges.
struct FieldLookup {
    node: Node,
    strategies: Vec<String>,
    merge_key: String,
}

impl FieldLookup {
    fn plain(node: Node) -> Self {
        Self { node, strategies: Vec::new(), merge_key: String::new() }
    }
}

/// The types a decoded JSON value has in Go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GoType {
    Nil,
    Bool,
    Int64,
    Float64,
    String,
    Slice,
    Map,
}

impl GoType {
    fn of(value: &Value) -> Self {
        match value {
            Value::Null => Self::Nil,
            Value::Bool(_) => Self::Bool,
            Value::Number(n) if n.is_f64() => Self::Float64,
            Value::Number(_) => Self::Int64,
            Value::String(_) => Self::String,
            Value::Array(_) => Self::Slice,
            Value::Object(_) => Self::Map,
        }
    }

    /// The type as `%s` of its `reflect.Type` prints it.
    fn name(self) -> &'static str {
        match self {
            Self::Nil => "%!s(<nil>)",
            Self::Bool => "bool",
            Self::Int64 => "int64",
            Self::Float64 => "float64",
            Self::String => "string",
            Self::Slice => "[]interface {}",
            Self::Map => "map[string]interface {}",
        }
    }
}

fn bad_arg_type(expected: GoType, actual: &Value) -> SmpError {
    SmpError::BadArgType { expected: expected.name(), actual: GoType::of(actual).name() }
}

fn no_merge_key(map: &Map<String, Value>, merge_key: &str) -> SmpError {
    SmpError::NoMergeKey { map: go_map_v(map), merge_key: merge_key.to_string() }
}

/// Go's `==` on two `interface{}` values: false across types, and a runtime
/// panic for two maps or two slices.
fn go_equal(left: &Value, right: &Value) -> Result<bool, SmpError> {
    let kind = GoType::of(left);
    if kind != GoType::of(right) {
        return Ok(false);
    }
    match kind {
        GoType::Map | GoType::Slice => {
            Err(SmpError::Panic(format!("runtime error: comparing uncomparable type {}", kind.name())))
        }
        _ => Ok(left == right),
    }
}

/// Using a value as a Go map key panics for maps and slices.
fn go_hashable(value: &Value) -> Result<(), SmpError> {
    match GoType::of(value) {
        kind @ (GoType::Map | GoType::Slice) => {
            Err(SmpError::Panic(format!("runtime error: hash of unhashable type {}", kind.name())))
        }
        _ => Ok(()),
    }
}

/// The merger: one schema, and the algorithm of upstream's `mergeMap`.
struct Merger<'a> {
    schema: &'a dyn PatchSchema,
}

impl Merger<'_> {
    /// Upstream's `LookupPatchMetadataForStruct`: the field `key` when both
    /// sides hold an object there.
    fn lookup_for_map(&self, node: &Node, key: &str) -> Result<FieldLookup, SmpError> {
        match node {
            Node::NotStruct(kind) => Err(SmpError::NotAStruct(kind)),
            Node::FreeForm => Ok(FieldLookup::plain(Node::FreeForm)),
            Node::Opaque => Ok(FieldLookup {
                node: Node::Opaque,
                strategies: vec![REPLACE_DIRECTIVE.to_string()],
                merge_key: String::new(),
            }),
            Node::Struct(type_name) => {
                let Some(meta) = self.schema.field(type_name, key) else {
                    return Ok(FieldLookup::plain(Node::FreeForm));
                };
                let node = match meta.shape {
                    Shape::Struct(name) => Node::Struct(name),
                    Shape::Map(_) => Node::NotStruct("map"),
                    Shape::List(_) => Node::NotStruct("slice"),
                    Shape::Scalar => {
                        return Ok(FieldLookup {
                            node: Node::Opaque,
                            strategies: vec![REPLACE_DIRECTIVE.to_string()],
                            merge_key: String::new(),
                        });
                    }
                };
                Ok(FieldLookup { node, strategies: meta.strategies, merge_key: meta.merge_key.unwrap_or_default() })
            }
        }
    }

    /// Upstream's `LookupPatchMetadataForSlice`: the list field `key` and the
    /// node of its items.
    fn lookup_for_list(&self, node: &Node, key: &str) -> Result<FieldLookup, SmpError> {
        match node {
            Node::NotStruct(kind) => Err(SmpError::NotAStruct(kind)),
            Node::FreeForm => Ok(FieldLookup::plain(Node::FreeForm)),
            Node::Opaque => Ok(FieldLookup::plain(Node::Opaque)),
            Node::Struct(type_name) => {
                let Some(meta) = self.schema.field(type_name, key) else {
                    return Ok(FieldLookup::plain(Node::FreeForm));
                };
                let item = match meta.shape {
                    Shape::List(item) => item,
                    // Upstream takes a struct-typed field holding a list as a
                    // list of that struct (its tests merge such lists).
                    Shape::Struct(name) => Box::new(Shape::Struct(name)),
                    // An opaque value holding a list is replaced like any list without strategy.
                    Shape::Scalar => return Ok(FieldLookup::plain(Node::Opaque)),
                    Shape::Map(_) => return Err(SmpError::NotASlice("struct")),
                };
                let node = match *item {
                    Shape::Struct(name) => Node::Struct(name),
                    Shape::Map(_) => Node::NotStruct("map"),
                    Shape::List(_) => return Err(SmpError::SliceOfSlice),
                    Shape::Scalar => Node::Opaque,
                };
                Ok(FieldLookup { node, strategies: meta.strategies, merge_key: meta.merge_key.unwrap_or_default() })
            }
        }
    }

    /// Upstream's `mergeMap`: merges `patch` into `original`.
    fn merge_map(
        &self,
        mut original: Map<String, Value>,
        mut patch: Map<String, Value>,
        node: &Node,
    ) -> Result<Map<String, Value>, SmpError> {
        if patch.contains_key(DIRECTIVE_MARKER) {
            return handle_directive_in_merge_map(patch);
        }
        apply_retain_keys_directive(&mut original, &mut patch)?;
        self.merge_set_element_order_lists(&mut original, &mut patch, node)?;

        let mut entries: Vec<(String, Value)> = patch.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (patch_key, patch_value) in entries {
            let (is_delete_list, key) = if patch_key.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX) {
                let stripped = extract_key(&patch_key, DELETE_FROM_PRIMITIVE_LIST_PREFIX)?;
                // Upstream keeps the prefixed key when nothing follows the '/'.
                let key = if stripped.is_empty() { patch_key.clone() } else { stripped.to_string() };
                (true, key)
            } else {
                (false, patch_key)
            };

            // A null deletes the key (for a deletion list too), and is not kept.
            if patch_value.is_null() {
                original.remove(&key);
                continue;
            }

            let Some(original_value) = original.remove(&key) else {
                if !is_delete_list {
                    let mut value = patch_value;
                    discard_null_values(&mut value);
                    if let Some(value) = remove_directives(value) {
                        original.insert(key, value);
                    }
                }
                continue;
            };

            match (original_value, patch_value) {
                (Value::Object(original_map), Value::Object(patch_map)) => {
                    let field = self.lookup_for_map(node, &key)?;
                    let strategy = extract_retain_keys_patch_strategy(&field.strategies)?;
                    let merged = if strategy == REPLACE_DIRECTIVE {
                        patch_map
                    } else {
                        self.merge_map(original_map, patch_map, &field.node)?
                    };
                    original.insert(key, Value::Object(merged));
                }
                (Value::Array(original_list), Value::Array(patch_list)) => {
                    let field = self.lookup_for_list(node, &key)?;
                    let strategy = extract_retain_keys_patch_strategy(&field.strategies)?;
                    let merged =
                        self.merge_list_field(original_list, patch_list, &field, &strategy, is_delete_list, None)?;
                    original.insert(key, Value::Array(merged));
                }
                // Two scalars of one Go type: the patch value wins, even for a deletion list.
                (original_value, patch_value) if GoType::of(&original_value) == GoType::of(&patch_value) => {
                    original.insert(key, patch_value);
                }
                (original_value, mut patch_value) => {
                    if is_delete_list {
                        original.insert(key, original_value);
                    } else {
                        discard_null_values(&mut patch_value);
                        if let Some(value) = remove_directives(patch_value) {
                            original.insert(key, value);
                        }
                    }
                }
            }
        }
        Ok(original)
    }

    /// Upstream's `mergeSliceHandler`: merge lists (and deletion lists) are
    /// merged, any other list is replaced by the patch's.
    fn merge_list_field(
        &self,
        original: Vec<Value>,
        patch: Vec<Value>,
        field: &FieldLookup,
        strategy: &str,
        is_delete_list: bool,
        view: Option<&mut AliasedList>,
    ) -> Result<Vec<Value>, SmpError> {
        if strategy == MERGE_DIRECTIVE || is_delete_list {
            self.merge_list(original, patch, &field.node, &field.merge_key, is_delete_list, view)
        } else {
            Ok(patch)
        }
    }

    /// Upstream's `mergeSlice`.
    fn merge_list(
        &self,
        original: Vec<Value>,
        patch: Vec<Value>,
        item_node: &Node,
        merge_key: &str,
        is_delete_list: bool,
        view: Option<&mut AliasedList>,
    ) -> Result<Vec<Value>, SmpError> {
        if original.is_empty() && patch.is_empty() {
            return Ok(original);
        }
        let kind = list_element_type(&[&original, &patch])?;

        if kind != GoType::Map {
            if is_delete_list {
                return Ok(delete_from_list(original, &patch));
            }
            let mut both = original.clone();
            both.extend(patch.iter().cloned());
            let merged = deduplicate_scalars(both);
            let (patch_items, server_only) = if merge_key.is_empty() {
                partition_primitives_by_presence(merged, &patch)?
            } else {
                partition_maps_by_presence(merged, &patch, merge_key)?
            };
            return normalize_element_order(patch_items, server_only, &patch, &original, merge_key, kind);
        }

        if merge_key.is_empty() {
            return Err(SmpError::NoMergeKeyForList(item_node.kind_name()));
        }
        let mut view = view;
        let (original, patch) = merge_list_special_elements(original, patch, merge_key, view.as_deref_mut())?;
        // Only merge key values matter for ordering, and they do not change
        // while items merge, so the order lists keep just those.
        let server_order: Vec<Value> = original.iter().map(|item| merge_key_skeleton(item, merge_key)).collect();
        let patch_order: Vec<Value> = patch.iter().map(|item| merge_key_skeleton(item, merge_key)).collect();
        let merged = self.merge_list_plain_elements(original, patch, merge_key, item_node, view)?;
        let (patch_items, server_only) = partition_maps_by_presence(merged, &patch_order, merge_key)?;
        normalize_element_order(patch_items, server_only, &patch_order, &server_order, merge_key, kind)
    }

    /// Upstream's `mergeSliceWithoutSpecialElements`: merges each patch item
    /// into the original item with the same merge key value, or appends it.
    fn merge_list_plain_elements(
        &self,
        mut original: Vec<Value>,
        patch: Vec<Value>,
        merge_key: &str,
        item_node: &Node,
        mut view: Option<&mut AliasedList>,
    ) -> Result<Vec<Value>, SmpError> {
        for item in patch {
            let Value::Object(patch_map) = item else {
                // The caller checked that every item is an object.
                return Err(bad_arg_type(GoType::Map, &item));
            };
            let Some(merge_value) = patch_map.get(merge_key) else {
                return Err(no_merge_key(&patch_map, merge_key));
            };
            match find_map_by_merge_key(&original, merge_key, merge_value)? {
                Some(index) => {
                    if let Some(Value::Object(original_map)) = original.get_mut(index) {
                        let taken = std::mem::take(original_map);
                        *original_map = self.merge_map(taken, patch_map, item_node)?;
                    }
                }
                None => {
                    let item = Value::Object(patch_map);
                    if let Some(view) = view.as_deref_mut() {
                        view.append(&item, merge_key);
                    }
                    original.push(item);
                }
            }
        }
        Ok(original)
    }

    /// Upstream's `mergePatchIntoOriginal`: merges each list named by a
    /// `$setElementOrder/<list>` directive and orders it by that directive.
    fn merge_set_element_order_lists(
        &self,
        original: &mut Map<String, Value>,
        patch: &mut Map<String, Value>,
        node: &Node,
    ) -> Result<(), SmpError> {
        let mut keys: Vec<String> = patch.keys().filter(|k| k.starts_with(SET_ELEMENT_ORDER_PREFIX)).cloned().collect();
        keys.sort();
        for key in keys {
            let Some(set_order_value) = patch.remove(&key) else { continue };
            let Value::Array(set_order) = set_order_value else {
                return Err(bad_arg_type(GoType::Slice, &set_order_value));
            };
            let list_key = extract_key(&key, SET_ELEMENT_ORDER_PREFIX)?.to_string();
            if let Some(other) = original.get(&list_key)
                && !other.is_array()
            {
                return Err(bad_arg_type(GoType::Slice, other));
            }
            let patch_list = match patch.get(&list_key) {
                None => None,
                Some(Value::Array(list)) => Some(list),
                Some(other) => return Err(bad_arg_type(GoType::Slice, other)),
            };
            let field = self.lookup_for_list(node, &list_key)?;
            let strategy = extract_retain_keys_patch_strategy(&field.strategies)?;
            validate_patch_with_set_order_list(
                patch_list.map(Vec::as_slice).unwrap_or_default(),
                &set_order,
                &field.merge_key,
            )?;

            let original_list = match original.remove(&list_key) {
                Some(Value::Array(list)) => Some(list),
                _ => None,
            };
            let patch_list = match patch.remove(&list_key) {
                Some(Value::Array(list)) => Some(list),
                _ => None,
            };
            // `view` is the original list as upstream sees it after the merge
            // (see AliasedList); `patch_types` is the patch list for the type check.
            let (merged, view, patch_types) = match (original_list, patch_list) {
                (Some(original_list), None) => {
                    let view = original_list.clone();
                    (original_list, view, Vec::new())
                }
                (None, Some(patch_list)) => {
                    let merged = match remove_directives(Value::Array(patch_list.clone())) {
                        Some(Value::Array(list)) => list,
                        _ => Vec::new(),
                    };
                    (merged, Vec::new(), patch_list)
                }
                (Some(original_list), Some(patch_list)) => {
                    let mut view = AliasedList::new(original_list.clone());
                    let patch_types = patch_list.clone();
                    let merged =
                        self.merge_list_field(original_list, patch_list, &field, &strategy, false, Some(&mut view))?;
                    (merged, view.slots, patch_types)
                }
                (None, None) => continue,
            };

            let (patch_items, server_only) = if field.merge_key.is_empty() {
                partition_primitives_by_presence(merged, &set_order)?
            } else {
                partition_maps_by_presence(merged, &set_order, &field.merge_key)?
            };
            let kind = list_element_type(&[&view, &patch_types])?;
            let ordered = normalize_element_order(patch_items, server_only, &set_order, &view, &field.merge_key, kind)?;
            original.insert(list_key, Value::Array(ordered));
        }
        Ok(())
    }
}

/// The original list of a `$setElementOrder` merge as upstream sees it once
/// the merge is done. Upstream deletes items from that list in place (Go's
/// `append(s[:i], s[i+1:]...)`), which shifts the shared backing array and
/// leaves stale items at its end, and then appends new items into the freed
/// slots; the ordering step afterwards reads the original list through its
/// old length. This replays both effects so the order comes out the same.
struct AliasedList {
    /// The backing array, as far as the original list's length reaches.
    slots: Vec<Value>,
    /// The length of the list being merged, which shares `slots`.
    len: usize,
}

impl AliasedList {
    fn new(original: Vec<Value>) -> Self {
        let len = original.len();
        Self { slots: original, len }
    }

    fn delete(&mut self, index: usize) {
        if index < self.len && self.len <= self.slots.len() {
            for i in index..self.len - 1 {
                self.slots[i] = self.slots[i + 1].clone();
            }
            self.len -= 1;
        }
    }

    fn append(&mut self, item: &Value, merge_key: &str) {
        // Past the old length the list writes beyond what the view shows, or reallocates.
        if self.len < self.slots.len() {
            self.slots[self.len] = merge_key_skeleton(item, merge_key);
        }
        self.len += 1;
    }
}

/// An item reduced to what ordering and validation read from it: for an
/// object, only its merge key.
fn merge_key_skeleton(item: &Value, merge_key: &str) -> Value {
    match item {
        Value::Object(map) => {
            let mut skeleton = Map::new();
            if let Some(value) = map.get(merge_key) {
                skeleton.insert(merge_key.to_string(), value.clone());
            }
            Value::Object(skeleton)
        }
        other => other.clone(),
    }
}

/// Upstream's `handleDirectiveInMergeMap`: `$patch: replace` keeps the patch
/// (minus the directive), `$patch: delete` empties the map.
fn handle_directive_in_merge_map(mut patch: Map<String, Value>) -> Result<Map<String, Value>, SmpError> {
    match patch.get(DIRECTIVE_MARKER) {
        Some(Value::String(s)) if s == REPLACE_DIRECTIVE => {
            patch.remove(DIRECTIVE_MARKER);
            Ok(patch)
        }
        Some(Value::String(s)) if s == DELETE_DIRECTIVE => Ok(Map::new()),
        directive => Err(SmpError::BadPatchType { directive: go_s(directive.unwrap_or(&NULL)), map: go_map_v(&patch) }),
    }
}

/// Upstream's `applyRetainKeysDirective`: drops the original's keys the
/// `$retainKeys` list does not name, after checking the patch sets no other key.
fn apply_retain_keys_directive(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
) -> Result<(), SmpError> {
    let Some(retain_keys) = patch.remove(RETAIN_KEYS_DIRECTIVE) else {
        return Ok(());
    };
    let Value::Array(retain_keys) = retain_keys else {
        return Err(SmpError::BadPatchFormatForRetainKeys);
    };
    for key in &retain_keys {
        go_hashable(key)?;
    }
    let retained = |key: &str| retain_keys.iter().any(|k| k.as_str() == Some(key));
    for (key, value) in patch.iter() {
        if value.is_null()
            || key.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
            || key.starts_with(SET_ELEMENT_ORDER_PREFIX)
        {
            continue;
        }
        if !retained(key) {
            return Err(SmpError::BadPatchFormatForRetainKeys);
        }
    }
    original.retain(|key, _| retained(key));
    Ok(())
}

/// Upstream's `extractKey`: the list name after `<prefix>/`.
fn extract_key<'k>(key: &'k str, prefix: &str) -> Result<&'k str, SmpError> {
    match key.split_once('/') {
        Some((head, rest)) if head == prefix => Ok(rest),
        _ if prefix == DELETE_FROM_PRIMITIVE_LIST_PREFIX => Err(SmpError::BadPatchFormatForPrimitiveList),
        _ => Err(SmpError::BadPatchFormatForSetElementOrderList),
    }
}

/// Upstream's `extractRetainKeysPatchStrategy`: the strategy besides `retainKeys`.
fn extract_retain_keys_patch_strategy(strategies: &[String]) -> Result<String, SmpError> {
    match strategies {
        [] => Ok(String::new()),
        [only] if only == RETAIN_KEYS_STRATEGY => Ok(String::new()),
        [only] => Ok(only.clone()),
        [first, second] if first == RETAIN_KEYS_STRATEGY => Ok(second.clone()),
        [first, second] if second == RETAIN_KEYS_STRATEGY => Ok(first.clone()),
        _ => Err(SmpError::UnexpectedPatchStrategy(format!("[{}]", strategies.join(" ")))),
    }
}

/// Upstream's `removeDirectives`: drops maps carrying `$patch` (None for the
/// value itself) wherever they are nested.
fn remove_directives(value: Value) -> Option<Value> {
    match value {
        Value::Object(map) => {
            if map.contains_key(DIRECTIVE_MARKER) {
                return None;
            }
            let kept = map.into_iter().filter_map(|(k, v)| remove_directives(v).map(|v| (k, v))).collect();
            Some(Value::Object(kept))
        }
        Value::Array(list) => Some(Value::Array(list.into_iter().filter_map(remove_directives).collect())),
        other => Some(other),
    }
}

/// Upstream's `discardNullValuesFromPatch`: drops null-valued keys of maps,
/// at any depth (null list items stay).
fn discard_null_values(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(discard_null_values);
        }
        Value::Array(list) => list.iter_mut().for_each(discard_null_values),
        _ => {}
    }
}

/// Upstream's `sliceElementType`: the one Go type of all items of the lists.
fn list_element_type(lists: &[&[Value]]) -> Result<GoType, SmpError> {
    let mut previous: Option<GoType> = None;
    for list in lists {
        for item in list.iter() {
            let current = GoType::of(item);
            match previous {
                None => {
                    // Upstream asks the (nil) type of a leading null for its kind.
                    if current == GoType::Nil {
                        return Err(SmpError::Panic(NIL_DEREFERENCE.to_string()));
                    }
                    if current == GoType::Slice {
                        return Err(SmpError::NoListOfLists);
                    }
                    previous = Some(current);
                }
                Some(previous) if previous != current => {
                    let mut printed = String::from("[");
                    for (i, list) in lists.iter().enumerate() {
                        if i > 0 {
                            printed.push(' ');
                        }
                        write_go_list(&mut printed, list, Verb::V);
                    }
                    printed.push(']');
                    return Err(SmpError::ListElementTypesNotIdentical(printed));
                }
                Some(_) => {}
            }
        }
    }
    previous.ok_or(SmpError::NoElements)
}

/// Upstream's `deleteFromSlice`: the items of `current` not in `to_delete`.
fn delete_from_list(current: Vec<Value>, to_delete: &[Value]) -> Vec<Value> {
    current.into_iter().filter(|item| !to_delete.contains(item)).collect()
}

/// Upstream's `deduplicateScalars`, which moves the last item into the place
/// of each duplicate it removes (so order changes exactly as upstream's does).
fn deduplicate_scalars(mut items: Vec<Value>) -> Vec<Value> {
    if items.is_empty() {
        return items;
    }
    let mut length = items.len() - 1;
    let mut i = 0;
    while i < length {
        let mut j = i + 1;
        while j <= length {
            if items[i] == items[j] {
                items.swap(j, length);
                items.truncate(length);
                length -= 1;
                j -= 1;
            }
            j += 1;
        }
        i += 1;
    }
    items
}

/// Upstream's `findMapInSliceBasedOnKeyValue`: the index of the first object
/// whose merge key equals `value`; any non-object met before it is an error.
fn find_map_by_merge_key(list: &[Value], merge_key: &str, value: &Value) -> Result<Option<usize>, SmpError> {
    for (index, item) in list.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(SmpError::NotAMapAtIndex(index));
        };
        if let Some(candidate) = map.get(merge_key)
            && go_equal(candidate, value)?
        {
            return Ok(Some(index));
        }
    }
    Ok(None)
}

/// Upstream's `mergeSliceWithSpecialElements`: applies `$patch: delete` items
/// to the original and `$patch: replace` to the whole list; returns the new
/// original and the patch items without directives.
fn merge_list_special_elements(
    mut original: Vec<Value>,
    patch: Vec<Value>,
    merge_key: &str,
    mut view: Option<&mut AliasedList>,
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let mut plain = Vec::new();
    let mut replace = false;
    for item in patch {
        let Value::Object(map) = &item else {
            plain.push(item);
            continue;
        };
        match map.get(DIRECTIVE_MARKER) {
            None => plain.push(item),
            Some(Value::String(s)) if s == DELETE_DIRECTIVE => {
                let Some(merge_value) = map.get(merge_key) else {
                    return Err(no_merge_key(map, merge_key));
                };
                while let Some(index) = find_map_by_merge_key(&original, merge_key, merge_value)? {
                    original.remove(index);
                    if let Some(view) = view.as_deref_mut() {
                        view.delete(index);
                    }
                }
            }
            // Keep going to drop any other directive item.
            Some(Value::String(s)) if s == REPLACE_DIRECTIVE => replace = true,
            Some(Value::String(s)) if s == MERGE_DIRECTIVE => return Err(SmpError::MergeDirectiveInList),
            Some(directive) => {
                return Err(SmpError::BadPatchType { directive: go_s(directive), map: go_map_v(map) });
            }
        }
    }
    if replace { Ok((plain, Vec::new())) } else { Ok((original, plain)) }
}

/// Upstream's `partitionPrimitivesByPresentInList`: (items in `present`, the rest).
fn partition_primitives_by_presence(
    items: Vec<Value>,
    present: &[Value],
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    for value in present {
        go_hashable(value)?;
    }
    let mut in_patch = Vec::with_capacity(items.len());
    let mut server_only = Vec::with_capacity(items.len());
    for item in items {
        go_hashable(&item)?;
        if present.contains(&item) {
            in_patch.push(item);
        } else {
            server_only.push(item);
        }
    }
    Ok((in_patch, server_only))
}

/// Upstream's `partitionMapsByPresentInList`: (items whose merge key value is
/// in `present`, the rest).
fn partition_maps_by_presence(
    items: Vec<Value>,
    present: &[Value],
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let mut in_patch = Vec::with_capacity(items.len());
    let mut server_only = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(map) = &item else {
            return Err(bad_arg_type(GoType::Map, &item));
        };
        let Some(merge_value) = map.get(merge_key) else {
            return Err(no_merge_key(map, merge_key));
        };
        if find_map_by_merge_key(present, merge_key, merge_value)?.is_some() {
            in_patch.push(item);
        } else {
            server_only.push(item);
        }
    }
    Ok((in_patch, server_only))
}

/// Upstream's `validateMergeKeyInLists`: every item is an object with the merge key.
fn validate_merge_key_in_lists(merge_key: &str, lists: &[&[Value]]) -> Result<(), SmpError> {
    for list in lists {
        for item in list.iter() {
            let Value::Object(map) = item else {
                return Err(bad_arg_type(GoType::Map, item));
            };
            if !map.contains_key(merge_key) {
                return Err(no_merge_key(map, merge_key));
            }
        }
    }
    Ok(())
}

/// Upstream's `extractToDeleteItems`: (items to keep, `$patch: delete` items).
fn split_delete_items(items: Vec<Value>) -> Result<(Vec<Value>, Vec<Value>), SmpError> {
    let mut keep = Vec::new();
    let mut delete = Vec::new();
    for item in items {
        if is_delete_item(&item)? {
            delete.push(item);
        } else {
            keep.push(item);
        }
    }
    Ok((keep, delete))
}

fn is_delete_item(item: &Value) -> Result<bool, SmpError> {
    let Value::Object(map) = item else {
        return Err(bad_arg_type(GoType::Map, item));
    };
    Ok(matches!(map.get(DIRECTIVE_MARKER), Some(Value::String(s)) if s == DELETE_DIRECTIVE))
}

/// Upstream's `mergeKeyValueEqual`.
fn merge_key_value_equal(left: &Value, right: &Value, merge_key: &str) -> Result<bool, SmpError> {
    if merge_key.is_empty() {
        return go_equal(left, right);
    }
    let Value::Object(left_map) = left else {
        return Err(bad_arg_type(GoType::Map, left));
    };
    let Value::Object(right_map) = right else {
        return Err(bad_arg_type(GoType::Map, right));
    };
    let Some(left_value) = left_map.get(merge_key) else {
        return Err(no_merge_key(left_map, merge_key));
    };
    let Some(right_value) = right_map.get(merge_key) else {
        return Err(no_merge_key(right_map, merge_key));
    };
    go_equal(left_value, right_value)
}

/// Upstream's `validatePatchWithSetOrderList`: the patch list's items (bar
/// deletions) appear in the `$setElementOrder` list, in the same order.
fn validate_patch_with_set_order_list(
    patch_list: &[Value],
    set_order: &[Value],
    merge_key: &str,
) -> Result<(), SmpError> {
    if set_order.is_empty() || patch_list.is_empty() {
        return Ok(());
    }
    let mut non_delete: Vec<&Value> = Vec::with_capacity(patch_list.len());
    for item in patch_list {
        if merge_key.is_empty() || !is_delete_item(item)? {
            non_delete.push(item);
        }
    }
    let (mut patch_index, mut order_index) = (0, 0);
    while patch_index < non_delete.len() && order_index < set_order.len() {
        let item = non_delete[patch_index];
        if matches!(item, Value::Object(map) if map.contains_key(DIRECTIVE_MARKER)) {
            patch_index += 1;
            continue;
        }
        if merge_key_value_equal(item, &set_order[order_index], merge_key)? {
            patch_index += 1;
        }
        order_index += 1;
    }
    if patch_index < non_delete.len() && order_index >= set_order.len() {
        let mut patch_printed = String::new();
        write_go_list(&mut patch_printed, patch_list, Verb::V);
        let mut order_printed = String::new();
        write_go_list(&mut order_printed, set_order, Verb::V);
        return Err(SmpError::SetElementOrderMismatch { patch_list: patch_printed, set_element_order: order_printed });
    }
    Ok(())
}

/// Upstream's `index`: the position of `value` in `list`, matching objects
/// by merge key value (a missing merge key reads as null) and anything else
/// by value; -1 if absent.
fn position_in(list: &[Value], value: &Value, merge_key: &str, kind: GoType) -> Result<isize, SmpError> {
    let wanted = order_key(value, merge_key, kind);
    for (index, item) in list.iter().enumerate() {
        if go_equal(wanted, order_key(item, merge_key, kind))? {
            return Ok(index as isize);
        }
    }
    Ok(-1)
}

/// What upstream's `index` compares: an object's merge key value (null when
/// missing, and for non-objects) in a list of objects, the item itself otherwise.
fn order_key<'v>(item: &'v Value, merge_key: &str, kind: GoType) -> &'v Value {
    if kind != GoType::Map {
        return item;
    }
    match item {
        Value::Object(map) => map.get(merge_key).unwrap_or(&NULL),
        _ => &NULL,
    }
}

/// Upstream's `normalizeElementOrder`: sorts the patch items by the patch
/// order and the server-only items by the server order, then interleaves them.
fn normalize_element_order(
    patch_items: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    merge_key: &str,
    kind: GoType,
) -> Result<Vec<Value>, SmpError> {
    let patch_items = normalize_list_order(patch_items, patch_order, merge_key, kind)?;
    let server_only = normalize_list_order(server_only, server_order, merge_key, kind)?;
    merge_sorted_lists(server_only, patch_items, server_order, merge_key, kind)
}

/// Upstream's `normalizeSliceOrder`: a stable sort by position in `order`
/// (items absent from it compare as "less", as upstream's comparator says),
/// with `$patch: delete` items moved to the end.
fn normalize_list_order(
    items: Vec<Value>,
    order: &[Value],
    merge_key: &str,
    kind: GoType,
) -> Result<Vec<Value>, SmpError> {
    let (items, deletes) = if kind == GoType::Map {
        validate_merge_key_in_lists(merge_key, &[&items, order])?;
        split_delete_items(items)?
    } else {
        (items, Vec::new())
    };

    // Positions are computed when the sort first asks for them, so a Go panic
    // is reported only where upstream would hit it.
    let positions: RefCell<Vec<Option<isize>>> = RefCell::new(vec![None; items.len()]);
    let failure: RefCell<Option<SmpError>> = RefCell::new(None);
    let position = |index: usize| -> Option<isize> {
        if let Some(known) = positions.borrow()[index] {
            return Some(known);
        }
        match position_in(order, &items[index], merge_key, kind) {
            Ok(found) => {
                positions.borrow_mut()[index] = Some(found);
                Some(found)
            }
            Err(e) => {
                failure.borrow_mut().get_or_insert(e);
                None
            }
        }
    };
    let mut permutation: Vec<usize> = (0..items.len()).collect();
    go_stable_sort(&mut permutation, &mut |&a, &b| match position(a) {
        Some(pa) if pa >= 0 => match position(b) {
            Some(pb) if pb >= 0 => pa < pb,
            _ => true,
        },
        _ => true,
    });
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }

    let mut slots: Vec<Option<Value>> = items.into_iter().map(Some).collect();
    let mut sorted: Vec<Value> =
        permutation.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)).collect();
    sorted.extend(deletes);
    Ok(sorted)
}

/// Upstream's `mergeSortedSlice`: interleaves two sorted lists, taking the
/// left item first only when both appear in `server_order` and the left one
/// comes earlier there.
fn merge_sorted_lists(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[Value],
    merge_key: &str,
    kind: GoType,
) -> Result<Vec<Value>, SmpError> {
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => {
                let li = position_in(server_order, l, merge_key, kind)?;
                let ri = position_in(server_order, r, merge_key, kind)?;
                li >= 0 && ri >= 0 && li < ri
            }
        };
        let next = if take_left { left.next() } else { right.next() };
        merged.extend(next);
    }
    Ok(merged)
}

/// Go's `sort.SliceStable` (insertion sort on blocks of 20, then SymMerge).
/// Upstream's comparator is not a strict order, so the exact algorithm
/// decides the result.
fn go_stable_sort<T>(data: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    let n = data.len();
    let mut block_size = 20;
    let (mut a, mut b) = (0, block_size);
    while b <= n {
        insertion_sort(data, a, b, less);
        a = b;
        b += block_size;
    }
    insertion_sort(data, a, n, less);
    while block_size < n {
        a = 0;
        b = 2 * block_size;
        while b <= n {
            sym_merge(data, a, a + block_size, b, less);
            a = b;
            b += 2 * block_size;
        }
        let m = a + block_size;
        if m < n {
            sym_merge(data, a, m, n, less);
        }
        block_size *= 2;
    }
}

fn insertion_sort<T>(data: &mut [T], a: usize, b: usize, less: &mut impl FnMut(&T, &T) -> bool) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(&data[j], &data[j - 1]) {
            data.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sym_merge<T>(data: &mut [T], a: usize, m: usize, b: usize, less: &mut impl FnMut(&T, &T) -> bool) {
    if m - a == 1 {
        let (mut i, mut j) = (m, b);
        while i < j {
            let h = (i + j) / 2;
            if less(&data[h], &data[a]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        for k in a..i - 1 {
            data.swap(k, k + 1);
        }
        return;
    }
    if b - m == 1 {
        let (mut i, mut j) = (a, m);
        while i < j {
            let h = (i + j) / 2;
            if !less(&data[m], &data[h]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        let mut k = m;
        while k > i {
            data.swap(k, k - 1);
            k -= 1;
        }
        return;
    }
    let mid = (a + b) / 2;
    let n = mid + m;
    let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
    let p = n - 1;
    while start < r {
        let c = (start + r) / 2;
        if !less(&data[p - c], &data[c]) {
            start = c + 1;
        } else {
            r = c;
        }
    }
    let end = n - start;
    if start < m && m < end {
        // Go's block-swap rotation moves the same items as a plain rotation.
        data[start..end].rotate_left(m - start);
    }
    if a < start && start < mid {
        sym_merge(data, a, start, mid, less);
    }
    if mid < end && end < b {
        sym_merge(data, mid, end, b, less);
    }
}

/// Go's `fmt` verbs used by upstream's error messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    /// `%v`.
    V,
    /// `%s`.
    S,
}

/// A value as Go's `%s` prints an `interface{}` holding it.
fn go_s(value: &Value) -> String {
    let mut out = String::new();
    write_go(&mut out, value, Verb::S);
    out
}

/// A map as Go's `%v` prints it: `map[a:1 b:[x y]]`, keys sorted.
fn go_map_v(map: &Map<String, Value>) -> String {
    let mut out = String::new();
    write_go_map(&mut out, map, Verb::V);
    out
}

fn write_go(out: &mut String, value: &Value, verb: Verb) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Array(list) => write_go_list(out, list, verb),
        Value::Object(map) => write_go_map(out, map, verb),
        Value::Null => out.push_str(if verb == Verb::S { "%!s(<nil>)" } else { "<nil>" }),
        scalar => {
            let printed = match scalar {
                Value::Number(n) => match n.as_f64() {
                    Some(f) if n.is_f64() => go_float(f),
                    _ => n.to_string(),
                },
                other => other.to_string(),
            };
            if verb == Verb::S {
                let _ = write!(out, "%!s({}={printed})", GoType::of(scalar).name());
            } else {
                out.push_str(&printed);
            }
        }
    }
}

fn write_go_list(out: &mut String, list: &[Value], verb: Verb) {
    out.push('[');
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_go(out, item, verb);
    }
    out.push(']');
}

fn write_go_map(out: &mut String, map: &Map<String, Value>, verb: Verb) {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    out.push_str("map[");
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(key);
        out.push(':');
        write_go(out, value, verb);
    }
    out.push(']');
}

/// A float64 as Go's `%v` prints it: the shortest representation, in
/// exponent form (`1e+06`) when the exponent is below -4 or at least 6.
fn go_float(f: f64) -> String {
    let scientific = format!("{f:e}");
    let Some((mantissa, exponent)) = scientific.split_once('e') else {
        return f.to_string();
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return f.to_string();
    };
    if f == 0.0 || (-4..6).contains(&exponent) {
        return f.to_string();
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    /// A schema from a table: (type, field) -> metadata.
    struct TableSchema(HashMap<(&'static str, &'static str), FieldMeta>);

    impl PatchSchema for TableSchema {
        fn field(&self, type_name: &str, field: &str) -> Option<FieldMeta> {
            self.0.iter().find(|((t, f), _)| *t == type_name && *f == field).map(|(_, meta)| meta.clone())
        }
    }

    fn strukt(name: &str) -> Shape {
        Shape::Struct(name.to_string())
    }

    fn list(item: Shape) -> Shape {
        Shape::List(Box::new(item))
    }

    fn map_of(value: Shape) -> Shape {
        Shape::Map(Box::new(value))
    }

    fn meta(shape: Shape, strategies: &[&str], merge_key: Option<&str>) -> FieldMeta {
        FieldMeta {
            shape,
            strategies: strategies.iter().map(|s| s.to_string()).collect(),
            merge_key: merge_key.map(str::to_string),
        }
    }

    /// Mirrors `MergeItem` and `RetainKeysMergeItem` of upstream's patch_test.go.
    fn merge_item_schema() -> TableSchema {
        let mut t = HashMap::new();
        for (ty, field, m) in [
            ("MergeItem", "name", meta(Shape::Scalar, &[], None)),
            ("MergeItem", "value", meta(Shape::Scalar, &[], None)),
            ("MergeItem", "other", meta(Shape::Scalar, &[], None)),
            ("MergeItem", "mergingList", meta(list(strukt("MergeItem")), &["merge"], Some("name"))),
            ("MergeItem", "nonMergingList", meta(list(strukt("MergeItem")), &[], None)),
            ("MergeItem", "mergingIntList", meta(list(Shape::Scalar), &["merge"], None)),
            ("MergeItem", "nonMergingIntList", meta(list(Shape::Scalar), &[], None)),
            ("MergeItem", "mergeItemPtr", meta(strukt("MergeItem"), &["merge"], Some("name"))),
            ("MergeItem", "simpleMap", meta(map_of(Shape::Scalar), &[], None)),
            ("MergeItem", "replacingItem", meta(Shape::Scalar, &["replace"], None)),
            ("MergeItem", "jsonItem", meta(Shape::Scalar, &[], None)),
            ("MergeItem", "retainKeysMap", meta(strukt("RetainKeysMergeItem"), &["retainKeys"], None)),
            (
                "MergeItem",
                "retainKeysMergingList",
                meta(list(strukt("MergeItem")), &["merge", "retainKeys"], Some("name")),
            ),
            ("RetainKeysMergeItem", "name", meta(Shape::Scalar, &[], None)),
            ("RetainKeysMergeItem", "value", meta(Shape::Scalar, &[], None)),
            ("RetainKeysMergeItem", "other", meta(Shape::Scalar, &[], None)),
            ("RetainKeysMergeItem", "simpleMap", meta(map_of(Shape::Scalar), &[], None)),
            ("RetainKeysMergeItem", "mergingIntList", meta(list(Shape::Scalar), &["merge"], None)),
            ("RetainKeysMergeItem", "mergingList", meta(list(strukt("MergeItem")), &["merge"], Some("name"))),
            ("RetainKeysMergeItem", "nonMergingList", meta(list(strukt("MergeItem")), &[], None)),
        ] {
            t.insert((ty, field), m);
        }
        TableSchema(t)
    }

    /// The slice of the core/v1 and apps/v1 schema the Pod and Deployment cases use.
    fn kube_schema() -> TableSchema {
        let mut t = HashMap::new();
        for (ty, field, m) in [
            ("Pod", "metadata", meta(strukt("ObjectMeta"), &[], None)),
            ("Pod", "spec", meta(strukt("PodSpec"), &[], None)),
            ("Deployment", "metadata", meta(strukt("ObjectMeta"), &[], None)),
            ("Deployment", "spec", meta(strukt("DeploymentSpec"), &[], None)),
            ("DeploymentSpec", "replicas", meta(Shape::Scalar, &[], None)),
            ("DeploymentSpec", "selector", meta(strukt("LabelSelector"), &[], None)),
            ("DeploymentSpec", "template", meta(strukt("PodTemplateSpec"), &[], None)),
            ("DeploymentSpec", "strategy", meta(strukt("DeploymentStrategy"), &["retainKeys"], None)),
            ("DeploymentStrategy", "type", meta(Shape::Scalar, &[], None)),
            ("DeploymentStrategy", "rollingUpdate", meta(strukt("RollingUpdateDeployment"), &[], None)),
            ("RollingUpdateDeployment", "maxSurge", meta(Shape::Scalar, &[], None)),
            ("RollingUpdateDeployment", "maxUnavailable", meta(Shape::Scalar, &[], None)),
            ("LabelSelector", "matchLabels", meta(map_of(Shape::Scalar), &[], None)),
            ("PodTemplateSpec", "metadata", meta(strukt("ObjectMeta"), &[], None)),
            ("PodTemplateSpec", "spec", meta(strukt("PodSpec"), &[], None)),
            ("ObjectMeta", "name", meta(Shape::Scalar, &[], None)),
            ("ObjectMeta", "labels", meta(map_of(Shape::Scalar), &[], None)),
            ("ObjectMeta", "annotations", meta(map_of(Shape::Scalar), &[], None)),
            ("ObjectMeta", "finalizers", meta(list(Shape::Scalar), &["merge"], None)),
            ("ObjectMeta", "ownerReferences", meta(list(strukt("OwnerReference")), &["merge"], Some("uid"))),
            ("OwnerReference", "uid", meta(Shape::Scalar, &[], None)),
            ("PodSpec", "containers", meta(list(strukt("Container")), &["merge"], Some("name"))),
            ("PodSpec", "initContainers", meta(list(strukt("Container")), &["merge"], Some("name"))),
            ("PodSpec", "volumes", meta(list(strukt("Volume")), &["merge", "retainKeys"], Some("name"))),
            ("PodSpec", "tolerations", meta(list(strukt("Toleration")), &[], None)),
            ("PodSpec", "nodeSelector", meta(map_of(Shape::Scalar), &[], None)),
            ("PodSpec", "imagePullSecrets", meta(list(strukt("LocalObjectReference")), &["merge"], Some("name"))),
            ("Container", "name", meta(Shape::Scalar, &[], None)),
            ("Container", "image", meta(Shape::Scalar, &[], None)),
            ("Container", "args", meta(list(Shape::Scalar), &[], None)),
            ("Container", "env", meta(list(strukt("EnvVar")), &["merge"], Some("name"))),
            ("Container", "ports", meta(list(strukt("ContainerPort")), &["merge"], Some("containerPort"))),
            ("Container", "volumeMounts", meta(list(strukt("VolumeMount")), &["merge"], Some("mountPath"))),
            ("Container", "resources", meta(strukt("ResourceRequirements"), &[], None)),
            ("ResourceRequirements", "limits", meta(map_of(Shape::Scalar), &[], None)),
            ("ResourceRequirements", "requests", meta(map_of(Shape::Scalar), &[], None)),
            ("EnvVar", "name", meta(Shape::Scalar, &[], None)),
            ("EnvVar", "value", meta(Shape::Scalar, &[], None)),
            ("EnvVar", "valueFrom", meta(strukt("EnvVarSource"), &[], None)),
            ("EnvVarSource", "fieldRef", meta(strukt("ObjectFieldSelector"), &[], None)),
            ("ObjectFieldSelector", "fieldPath", meta(Shape::Scalar, &[], None)),
            ("ContainerPort", "containerPort", meta(Shape::Scalar, &[], None)),
            ("ContainerPort", "protocol", meta(Shape::Scalar, &[], None)),
            ("VolumeMount", "name", meta(Shape::Scalar, &[], None)),
            ("VolumeMount", "mountPath", meta(Shape::Scalar, &[], None)),
            ("Volume", "name", meta(Shape::Scalar, &[], None)),
            ("Volume", "emptyDir", meta(strukt("EmptyDirVolumeSource"), &[], None)),
            ("Volume", "configMap", meta(strukt("ConfigMapVolumeSource"), &[], None)),
            ("Volume", "secret", meta(strukt("SecretVolumeSource"), &[], None)),
            ("EmptyDirVolumeSource", "medium", meta(Shape::Scalar, &[], None)),
            ("ConfigMapVolumeSource", "name", meta(Shape::Scalar, &[], None)),
            ("ConfigMapVolumeSource", "defaultMode", meta(Shape::Scalar, &[], None)),
            ("SecretVolumeSource", "secretName", meta(Shape::Scalar, &[], None)),
            ("Toleration", "key", meta(Shape::Scalar, &[], None)),
            ("LocalObjectReference", "name", meta(Shape::Scalar, &[], None)),
        ] {
            t.insert((ty, field), m);
        }
        TableSchema(t)
    }

    fn pod(original: Value, patch: Value) -> Result<Value, SmpError> {
        apply(&original, &patch, &kube_schema(), "Pod")
    }

    fn deployment(original: Value, patch: Value) -> Result<Value, SmpError> {
        apply(&original, &patch, &kube_schema(), "Deployment")
    }

    fn err_text(result: Result<Value, SmpError>) -> String {
        match result {
            Ok(v) => panic!("expected an error, got {v}"),
            Err(e) => e.to_string(),
        }
    }

    /// Upstream's own tables (patch_test.go of apimachinery v0.35): each
    /// two-way case applies its expected two-way patch to its original, each
    /// three-way case applies its expected three-way patch to its current
    /// object. YAML-table cases are pre-sorted by merge key as upstream's test
    /// sorts them (`sortMergeListsByName`); raw cases are used verbatim.
    #[test]
    fn upstream_patch_test_tables() {
        let cases: Vec<Value> = serde_json::from_str(UPSTREAM_CASES).expect("fixture parses");
        assert!(cases.len() > 250);
        let schema = merge_item_schema();
        let mut failures = Vec::new();
        for case in &cases {
            let name = case["name"].as_str().unwrap_or_default();
            let result = apply(&case["original"], &case["patch"], &schema, "MergeItem");
            match (case.get("error").and_then(Value::as_str), result) {
                (Some(want), Err(got)) if got.to_string().contains(want) => {}
                (None, Ok(got)) if got == case["expected"] => {}
                (_, got) => failures.push(format!("{name}: got {got:?}")),
            }
        }
        assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn kubectl_apply_merges_containers_and_env_by_name() {
        let live = json!({
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"containers": [
                {"name": "app", "image": "app:1", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
                {"name": "proxy", "image": "envoy:1"}
            ]}
        });
        // What `kubectl apply` sends after changing app's image and adding env C.
        let patch = json!({"spec": {
            "$setElementOrder/containers": [{"name": "app"}, {"name": "proxy"}],
            "containers": [{
                "$setElementOrder/env": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
                "name": "app", "image": "app:2",
                "env": [{"name": "C", "value": "3"}]
            }]
        }});
        let got = pod(live, patch).unwrap();
        assert_eq!(
            got["spec"]["containers"],
            json!([
                {"name": "app", "image": "app:2", "env": [
                    {"name": "A", "value": "1"}, {"name": "B", "value": "2"}, {"name": "C", "value": "3"}
                ]},
                {"name": "proxy", "image": "envoy:1"}
            ])
        );
        assert_eq!(got["metadata"], json!({"name": "web", "labels": {"app": "web"}}));
    }

    #[test]
    fn env_var_merge_replaces_value_and_nested_struct() {
        let live = json!({"spec": {"containers": [{"name": "app", "env": [
            {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "X", "value": "1"}
        ]}]}});
        let patch = json!({"spec": {"containers": [{"name": "app", "env": [
            {"name": "POD", "value": "fixed", "valueFrom": null},
            {"name": "X", "value": "2"}
        ]}]}});
        let got = pod(live, patch).unwrap();
        assert_eq!(
            got["spec"]["containers"][0]["env"],
            json!([{"name": "POD", "value": "fixed"}, {"name": "X", "value": "2"}])
        );
    }

    #[test]
    fn setelementorder_reorders_containers() {
        let live = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}});
        let patch = json!({"spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}]}});
        let got = pod(live, patch).unwrap();
        assert_eq!(got["spec"]["containers"], json!([{"name": "c"}, {"name": "a"}, {"name": "b"}]));
    }

    #[test]
    fn kubectl_apply_replacing_a_container_keeps_server_injected_sidecar_where_upstream_puts_it() {
        // Live holds a sidecar the config never had; the config replaces b by x.
        // Upstream deletes b in place and appends x into the freed slot of the
        // live list, so the sidecar ends up before x.
        let live = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}, {"name": "sidecar"}]}});
        let patch = json!({"spec": {
            "$setElementOrder/containers": [{"name": "a"}, {"name": "x"}],
            "containers": [{"name": "x", "image": "x:1"}, {"$patch": "delete", "name": "b"}]
        }});
        let got = pod(live, patch).unwrap();
        assert_eq!(
            got["spec"]["containers"],
            json!([{"name": "a"}, {"name": "sidecar"}, {"name": "x", "image": "x:1"}])
        );
    }

    #[test]
    fn merge_list_without_order_directive_puts_patch_items_first() {
        let live = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
        let patch = json!({"spec": {"containers": [{"name": "new"}]}});
        let got = pod(live, patch).unwrap();
        assert_eq!(got["spec"]["containers"], json!([{"name": "new"}, {"name": "a"}, {"name": "b"}]));
    }

    #[test]
    fn delete_directive_removes_a_container() {
        let live = json!({"spec": {"containers": [{"name": "app"}, {"name": "debug"}]}});
        let patch = json!({"spec": {"containers": [{"$patch": "delete", "name": "debug"}]}});
        assert_eq!(pod(live, patch).unwrap()["spec"]["containers"], json!([{"name": "app"}]));
    }

    #[test]
    fn replace_directive_in_a_list_replaces_it() {
        let live = json!({"spec": {"containers": [{"name": "a", "image": "a"}, {"name": "b"}]}});
        let patch = json!({"spec": {"containers": [{"$patch": "replace"}, {"name": "c", "image": "c"}]}});
        assert_eq!(pod(live, patch).unwrap()["spec"]["containers"], json!([{"name": "c", "image": "c"}]));
    }

    #[test]
    fn replace_and_delete_directives_on_maps() {
        let live = json!({"spec": {"nodeSelector": {"disk": "ssd", "zone": "a"}}, "metadata": {"labels": {"a": "1"}}});
        let patch = json!({
            "spec": {"nodeSelector": {"$patch": "replace", "zone": "b"}},
            "metadata": {"labels": {"$patch": "delete"}}
        });
        let got = pod(live, patch).unwrap();
        assert_eq!(got["spec"]["nodeSelector"], json!({"zone": "b"}));
        assert_eq!(got["metadata"]["labels"], json!({}));
    }

    #[test]
    fn merge_directive_is_rejected_like_upstream() {
        let live = json!({"spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "a"}]}});
        assert_eq!(
            err_text(pod(live.clone(), json!({"spec": {"nodeSelector": {"$patch": "merge", "zone": "b"}}}))),
            "unknown patch type: merge in map: map[$patch:merge zone:b]"
        );
        assert_eq!(
            err_text(pod(live, json!({"spec": {"containers": [{"$patch": "merge"}]}}))),
            "merging lists cannot yet be specified in the patch"
        );
    }

    #[test]
    fn invalid_patch_directive_values() {
        let live = json!({"spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "a"}]}});
        assert_eq!(
            err_text(pod(live.clone(), json!({"spec": {"nodeSelector": {"$patch": 1}}}))),
            "unknown patch type: %!s(int64=1) in map: map[$patch:1]"
        );
        assert_eq!(
            err_text(pod(live, json!({"spec": {"containers": [{"$patch": "bogus", "name": "a"}]}}))),
            "unknown patch type: bogus in map: map[$patch:bogus name:a]"
        );
    }

    #[test]
    fn labels_and_annotations_set_to_null_are_removed() {
        let live = json!({"metadata": {"labels": {"app": "web", "tier": "fe"}, "annotations": {"a": "1"}}});
        // kubectl label app- / kubectl annotate a- --overwrite
        let patch = json!({"metadata": {"labels": {"app": null, "new": "x"}, "annotations": null}});
        let got = pod(live, patch).unwrap();
        assert_eq!(got["metadata"], json!({"labels": {"tier": "fe", "new": "x"}}));
    }

    #[test]
    fn kubectl_scale_sets_replicas() {
        let live = json!({"spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}}});
        let got = deployment(live, json!({"spec": {"replicas": 3}})).unwrap();
        assert_eq!(got["spec"], json!({"replicas": 3, "selector": {"matchLabels": {"app": "web"}}}));
    }

    #[test]
    fn finalizers_removed_with_delete_from_primitive_list() {
        let live = json!({"metadata": {"finalizers": ["a/x", "b/y", "c/z"]}});
        let patch = json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["b/y"]}});
        assert_eq!(pod(live.clone(), patch).unwrap()["metadata"]["finalizers"], json!(["a/x", "c/z"]));

        // kubectl apply: add one, drop one, keep the configured order.
        let patch = json!({"metadata": {
            "$setElementOrder/finalizers": ["c/z", "d/w"],
            "$deleteFromPrimitiveList/finalizers": ["a/x"],
            "finalizers": ["d/w"]
        }});
        assert_eq!(pod(live, patch).unwrap()["metadata"]["finalizers"], json!(["b/y", "c/z", "d/w"]));
    }

    #[test]
    fn primitive_merge_list_is_an_ordered_union() {
        let live = json!({"metadata": {"finalizers": ["a", "b"]}});
        let patch = json!({"metadata": {"finalizers": ["c", "a"]}});
        assert_eq!(pod(live, patch).unwrap()["metadata"]["finalizers"], json!(["c", "a", "b"]));
    }

    #[test]
    fn volumes_retain_keys_switches_source() {
        let live = json!({"spec": {"volumes": [
            {"name": "data", "emptyDir": {"medium": "Memory"}},
            {"name": "keep", "secret": {"secretName": "s"}}
        ]}});
        let patch = json!({"spec": {
            "$setElementOrder/volumes": [{"name": "data"}, {"name": "keep"}],
            "volumes": [{"$retainKeys": ["configMap", "name"], "name": "data", "configMap": {"name": "cfg"}}]
        }});
        let got = pod(live, patch).unwrap();
        assert_eq!(
            got["spec"]["volumes"],
            json!([{"name": "data", "configMap": {"name": "cfg"}}, {"name": "keep", "secret": {"secretName": "s"}}])
        );
    }

    #[test]
    fn deployment_strategy_retain_keys_clears_rolling_update() {
        let live = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}}});
        let patch = json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null}}});
        assert_eq!(deployment(live, patch).unwrap()["spec"]["strategy"], json!({"type": "Recreate"}));
    }

    #[test]
    fn retain_keys_rejects_keys_it_does_not_retain() {
        let live = json!({"spec": {"strategy": {"type": "RollingUpdate"}}});
        let err =
            deployment(live.clone(), json!({"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {}}}}))
                .unwrap_err();
        assert_eq!(err.to_string(), "invalid patch format of retainKeys");
        assert_eq!((err.status_code(), err.status_reason()), (400, "BadRequest"));
        assert_eq!(
            err_text(deployment(live, json!({"spec": {"strategy": {"$retainKeys": "type"}}}))),
            "invalid patch format of retainKeys"
        );
    }

    #[test]
    fn ports_merge_by_integer_key() {
        let live =
            json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80}, {"containerPort": 443}]}]}});
        let patch =
            json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 443, "protocol": "TCP"}]}]}});
        let got = pod(live, patch).unwrap();
        // Items already on the server keep their server order.
        assert_eq!(
            got["spec"]["containers"][0]["ports"],
            json!([{"containerPort": 80}, {"containerPort": 443, "protocol": "TCP"}])
        );
    }

    #[test]
    fn lists_without_strategy_and_nested_lists_are_replaced() {
        let live = json!({"spec": {
            "tolerations": [{"key": "a"}, {"key": "b"}],
            "containers": [{"name": "a", "args": ["x", "y"]}]
        }});
        let patch = json!({"spec": {"tolerations": [{"key": "c"}], "containers": [{"name": "a", "args": ["z"]}]}});
        let got = pod(live, patch).unwrap();
        assert_eq!(got["spec"]["tolerations"], json!([{"key": "c"}]));
        assert_eq!(got["spec"]["containers"][0]["args"], json!(["z"]));
    }

    #[test]
    fn new_values_lose_nulls_and_directive_items() {
        let live = json!({"spec": {}});
        let patch = json!({"spec": {"containers": [
            {"name": "a", "image": null, "env": [{"name": "X", "$patch": "delete"}, {"name": "Y"}]}
        ]}});
        let got = pod(live, patch).unwrap();
        assert_eq!(got["spec"]["containers"], json!([{"name": "a", "env": [{"name": "Y"}]}]));
    }

    #[test]
    fn items_appended_to_a_merge_list_keep_their_content_verbatim() {
        // Upstream appends new patch items without cleaning them.
        let live = json!({"spec": {"containers": [{"name": "a"}]}});
        let patch = json!({"spec": {"containers": [{"name": "b", "image": null}]}});
        let got = pod(live, patch).unwrap();
        assert_eq!(got["spec"]["containers"], json!([{"name": "b", "image": null}, {"name": "a"}]));
    }

    #[test]
    fn missing_merge_key_error_matches_upstream() {
        let live = json!({"spec": {"containers": [{"name": "a", "image": "a"}]}});
        let err = pod(live, json!({"spec": {"containers": [{"image": "nginx:1.25"}]}})).unwrap_err();
        assert_eq!(err.to_string(), "map: map[image:nginx:1.25] does not contain declared merge key: name");
        assert_eq!((err.status_code(), err.status_reason()), (500, ""));
    }

    #[test]
    fn setelementorder_errors() {
        let live = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
        assert_eq!(
            err_text(pod(
                live.clone(),
                json!({"spec": {
                    "$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
                    "containers": [{"name": "b"}, {"name": "a"}]
                }})
            )),
            "The order in patch list:\n[map[name:b] map[name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n"
        );
        let err = pod(live.clone(), json!({"spec": {"$setElementOrderX/containers": []}})).unwrap_err();
        assert_eq!(err.to_string(), "invalid patch format of setElementOrder list");
        assert_eq!(err.status_code(), 400);
        assert_eq!(
            err_text(pod(live, json!({"spec": {"$setElementOrder/containers": "a"}}))),
            "expected a []interface {}, but received a string"
        );
    }

    #[test]
    fn delete_from_primitive_list_errors() {
        let live = json!({"metadata": {"finalizers": ["a"]}});
        let err = pod(live, json!({"metadata": {"$deleteFromPrimitiveListfinalizers": ["a"]}})).unwrap_err();
        assert_eq!(err.to_string(), "invalid patch format of primitive list");
        assert_eq!(err.status_code(), 400);
    }

    #[test]
    fn list_of_lists_is_unprocessable() {
        let live = json!({"metadata": {"finalizers": [["a"]]}});
        let err = pod(live, json!({"metadata": {"finalizers": [["b"]]}})).unwrap_err();
        assert_eq!(err, SmpError::NoListOfLists);
        assert_eq!((err.status_code(), err.status_reason()), (422, "Invalid"));
        assert_eq!(err.status_message(), "the server rejected our request due to an error in our request");
    }

    #[test]
    fn mixed_item_types_error() {
        let live = json!({"metadata": {"finalizers": ["a"]}});
        assert_eq!(
            err_text(pod(live, json!({"metadata": {"finalizers": [1]}}))),
            "list element types are not identical: [[a] [1]]"
        );
    }

    #[test]
    fn maps_of_objects_merge_only_where_upstream_can() {
        let schema = TableSchema(HashMap::from([
            (("Thing", "byName"), meta(map_of(strukt("Entry")), &[], None)),
            (("Entry", "a"), meta(Shape::Scalar, &[], None)),
        ]));
        let original = json!({"byName": {"x": {"a": 1}, "y": {"a": 2}}});
        // New keys, nulls and scalar replacements work...
        let got = apply(&original, &json!({"byName": {"y": null, "z": {"a": 3, "b": null}}}), &schema, "Thing");
        assert_eq!(got.unwrap(), json!({"byName": {"x": {"a": 1}, "z": {"a": 3}}}));
        // ...but merging into an existing object value fails as it does upstream.
        let err = apply(&original, &json!({"byName": {"x": {"a": 5}}}), &schema, "Thing").unwrap_err();
        assert_eq!(err.to_string(), "merging an object in json but data type is not struct, instead is: map");
    }

    #[test]
    fn unknown_fields_merge_as_free_form_json() {
        let live = json!({"spec": {"extra": {"a": {"b": 1, "c": 2}, "list": [1, 2]}}});
        let patch = json!({"spec": {"extra": {"a": {"c": null, "d": 3}, "list": [3]}}});
        let got = pod(live, patch).unwrap();
        assert_eq!(got["spec"]["extra"], json!({"a": {"b": 1, "d": 3}, "list": [3]}));
    }

    #[test]
    fn opaque_values_are_replaced_whole() {
        let schema = merge_item_schema();
        let original = json!({"jsonItem": {"a": {"b": 1}, "c": 2}});
        let got = apply(&original, &json!({"jsonItem": {"a": {"d": 1}}}), &schema, "MergeItem").unwrap();
        assert_eq!(got, json!({"jsonItem": {"a": {"d": 1}}}));
    }

    #[test]
    fn non_object_documents_are_rejected() {
        let schema = kube_schema();
        assert_eq!(apply(&json!([]), &json!({}), &schema, "Pod"), Err(SmpError::BadJsonDoc));
        assert_eq!(apply(&json!({}), &json!("x"), &schema, "Pod"), Err(SmpError::BadJsonDoc));
        assert_eq!(apply(&json!({"a": 1}), &Value::Null, &schema, "Pod"), Ok(json!({"a": 1})));
    }

    #[test]
    fn objects_as_merge_key_values_panic_upstream() {
        let live = json!({"spec": {"containers": [{"name": {"x": 1}}]}});
        let err = pod(live, json!({"spec": {"containers": [{"name": {"x": 1}}]}})).unwrap_err();
        assert_eq!(err, SmpError::Panic("runtime error: comparing uncomparable type map[string]interface {}".into()));
        assert_eq!(err.status_code(), 500);
    }

    #[test]
    fn go_formatting() {
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(123456.0), "123456");
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(0.0001), "0.0001");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(-2.5e100), "-2.5e+100");
        assert_eq!(go_s(&json!(1.5)), "%!s(float64=1.5)");
        assert_eq!(go_s(&json!(true)), "%!s(bool=true)");
        assert_eq!(go_s(&Value::Null), "%!s(<nil>)");
        let map = json!({"b": [1, "x", null], "a": {"c": 2.0}});
        assert_eq!(go_map_v(map.as_object().unwrap()), "map[a:map[c:2] b:[1 x <nil>]]");
    }

    #[test]
    fn go_stable_sort_matches_a_stable_sort_for_a_strict_order() {
        let mut values: Vec<(u32, usize)> = (0..200).map(|i| ((i * 7919 % 13) as u32, i)).collect();
        let mut expected = values.clone();
        expected.sort_by_key(|v| v.0);
        go_stable_sort(&mut values, &mut |a, b| a.0 < b.0);
        assert_eq!(values, expected);
    }

    #[test]
    fn deduplicate_moves_the_last_item_into_the_gap() {
        let got = deduplicate_scalars(vec![json!("a"), json!("b"), json!("a"), json!("c"), json!("d")]);
        assert_eq!(got, vec![json!("a"), json!("b"), json!("d"), json!("c")]);
    }

    /// Apply cases taken from upstream's patch_test.go tables (see
    /// `upstream_patch_test_tables`).
    const UPSTREAM_CASES: &str = r##"
[
{"expected":{"mergingIntList":[1,2,3]},"name":"custom/unique scalars when merging lists","original":{"mergingIntList":[1,2]},"patch":{"mergingIntList":[2,3]}},
{"expected":{"simpleMap":{}},"name":"custom/delete map from nested map","original":{"simpleMap":{"key1":1,"key2":1}},"patch":{"simpleMap":{"$patch":"delete"}}},
{"expected":{"mergingList":[]},"name":"custom/delete all items from merging list","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"mergingList":[{"$patch":"replace"}]}},
{"expected":{"mergingList":[]},"name":"custom/merge empty merging lists","original":{"mergingList":[]},"patch":{"mergingList":[]}},
{"expected":{},"name":"custom/delete all keys from map","original":{"name":1,"value":1},"patch":{"$patch":"replace"}},
{"expected":{"other":"a"},"name":"custom/add key and delete all keys from map","original":{"name":1,"value":1},"patch":{"$patch":"replace","other":"a"}},
{"expected":{"mergingList":[{"name":2,"value":"a"}]},"name":"custom/delete all duplicate entries in a merging list","original":{"mergingList":[{"name":1},{"name":1},{"name":2,"value":"a"},{"name":3},{"name":3}]},"patch":{"mergingList":[{"$patch":"delete","name":1},{"$patch":"delete","name":3}]}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"custom/retainKeys map can add a field when no retainKeys directive present","original":{"retainKeysMap":{"name":"foo"}},"patch":{"retainKeysMap":{"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"b"}},"name":"custom/retainKeys map can change a field when no retainKeys directive present","original":{"retainKeysMap":{"name":"foo","value":"a"}},"patch":{"retainKeysMap":{"value":"b"}}},
{"expected":{"retainKeysMap":{"name":"foo"}},"name":"custom/retainKeys map can delete a field when no retainKeys directive present","original":{"retainKeysMap":{"name":"foo","value":"a"}},"patch":{"retainKeysMap":{"value":null}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"a"}},"name":"custom/retainKeys map merge an empty map","original":{"retainKeysMap":{"name":"foo","value":"a"}},"patch":{"retainKeysMap":{}}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"name":"custom/retainKeys list can add a field when no retainKeys directive present","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"patch":{"retainKeysMergingList":[{"name":"foo","value":"a"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"b"}]},"name":"custom/retainKeys list can change a field when no retainKeys directive present","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"patch":{"retainKeysMergingList":[{"name":"foo","value":"b"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"name":"custom/retainKeys list can delete a field when no retainKeys directive present","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"patch":{"retainKeysMergingList":[{"name":"foo","value":null}]}},
{"expected":{"mergingList":[{"name":1,"value":"a"},{"name":2,"other":"x","value":"b"},{"name":3,"value":"c"}]},"name":"custom/preserve the order from the patch in a merging list","original":{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]},"patch":{"mergingList":[{"name":1,"value":"a"},{"name":2,"other":"x"},{"name":3,"value":"c"}]}},
{"expected":{"mergingList":[{"name":1,"value":"a"},{"name":2,"value":"b"},{"name":3,"value":"c"}]},"name":"custom/preserve the order from the patch in a merging list 2","original":{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]},"patch":{"mergingList":[{"name":1,"value":"a"},{"name":3,"value":"c"}]}},
{"expected":{"mergingIntList":[1,2,3]},"name":"custom/preserve the order from the patch in a merging int list","original":{"mergingIntList":[1,2,3]},"patch":{"mergingIntList":[1,2,3]}},
{"expected":{"mergingIntList":[1,2,3]},"name":"custom/preserve the order from the patch in a merging int list","original":{"mergingIntList":[1,2,3]},"patch":{"mergingIntList":[1,3]}},
{"expected":{"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]},"name":"custom-raw/$setElementOrder contains item that is not present in the list to be merged","original":{"mergingList":[{"name":1},{"name":3}]},"patch":{"$setElementOrder/mergingList":[{"name":3},{"name":2},{"name":1}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}},
{"expected":{"mergingIntList":[3,1]},"name":"custom-raw/$setElementOrder contains item that is not present in the int list to be merged","original":{"mergingIntList":[1,3]},"patch":{"$setElementOrder/mergingIntList":[3,2,1]}},
{"error":"doesn't match","name":"custom-raw/should check if order in $setElementOrder and patch list match","original":{"mergingList":[{"name":1},{"name":3},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}},
{"error":"doesn't match","name":"custom-raw/$setElementOrder contains item that is not present in the int list to be merged","original":{"mergingIntList":[1,3,2]},"patch":{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3,1]}},
{"error":"does not contain declared merge key","name":"custom-raw/missing merge key should error out","original":{"mergingList":[{"name":1,"value":"a"}]},"patch":{"mergingList":[{"value":"b"}]}},
{"expected":{"mergingIntList":[1,2]},"name":"custom-raw/$deleteFromPrimitiveList of nonexistent item in primitive list should not add the item to the list","original":{"mergingIntList":[1,2]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3]}},
{"expected":{"mergingIntList":null},"name":"custom-raw/$deleteFromPrimitiveList on empty primitive list should not add the item to the list","original":{"mergingIntList":null},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3]}},
{"expected":{"foo":["bar"]},"name":"custom-raw/$deleteFromPrimitiveList on nonexistent primitive list should not add the primitive list","original":{"foo":["bar"]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3]}},
{"expected":{"mergingIntList":[1,3]},"name":"custom-raw/$deleteFromPrimitiveList should delete item from a list with merge patch strategy","original":{"mergingIntList":[1,2,3]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[2]}},
{"expected":{"nonMergingIntList":[1,3]},"name":"custom-raw/$deleteFromPrimitiveList should delete item from a list without merge patch strategy","original":{"nonMergingIntList":[1,2,3]},"patch":{"$deleteFromPrimitiveList/nonMergingIntList":[2]}},
{"expected":{"name":1,"value":1},"name":"create/nil original/two-way","original":{},"patch":{"name":1,"value":1}},
{"expected":{"name":1,"other":"a","value":1},"name":"create/nil original/three-way","original":{"name":1,"other":"a"},"patch":{"value":1}},
{"expected":{"name":1},"name":"create/nil patch/two-way","original":{"name":1},"patch":{}},
{"expected":{"name":1},"name":"create/nil patch/three-way","original":{"name":1},"patch":{}},
{"expected":{"name":1,"value":1},"name":"create/add field to map/two-way","original":{"name":1},"patch":{"value":1}},
{"expected":{"name":1,"other":"a","value":1},"name":"create/add field to map/three-way","original":{"name":1,"other":"a"},"patch":{"value":1}},
{"expected":{"name":1,"value":1},"name":"create/add field to map with conflict/two-way","original":{"name":1},"patch":{"value":1}},
{"expected":{"name":1,"other":"a","value":1},"name":"create/add field to map with conflict/three-way","original":{"name":"a","other":"a"},"patch":{"name":1,"value":1}},
{"expected":{"value":1},"name":"create/add field and delete field from map/two-way","original":{"name":1},"patch":{"name":null,"value":1}},
{"expected":{"other":"a","value":1},"name":"create/add field and delete field from map/three-way","original":{"name":1,"other":"a"},"patch":{"name":null,"value":1}},
{"expected":{"value":1},"name":"create/add field and delete field from map with conflict/two-way","original":{"name":1},"patch":{"name":null,"value":1}},
{"expected":{"other":"a","value":1},"name":"create/add field and delete field from map with conflict/three-way","original":{"name":"a","other":"a"},"patch":{"name":null,"value":1}},
{"expected":{"simpleMap":{"key1":1}},"name":"create/delete field from nested map/two-way","original":{"simpleMap":{"key1":1,"key2":1}},"patch":{"simpleMap":{"key2":null}}},
{"expected":{"simpleMap":{"key1":1,"other":"a"}},"name":"create/delete field from nested map/three-way","original":{"simpleMap":{"key1":1,"key2":1,"other":"a"}},"patch":{"simpleMap":{"key2":null}}},
{"expected":{"simpleMap":{"key1":1}},"name":"create/delete field from nested map with conflict/two-way","original":{"simpleMap":{"key1":1,"key2":1}},"patch":{"simpleMap":{"key2":null}}},
{"expected":{"simpleMap":{"key1":1,"other":"a"}},"name":"create/delete field from nested map with conflict/three-way","original":{"simpleMap":{"key1":"a","key2":1,"other":"a"}},"patch":{"simpleMap":{"key1":1,"key2":null}}},
{"expected":{},"name":"create/delete all fields from map/two-way","original":{"name":1,"value":1},"patch":{"name":null,"value":null}},
{"expected":{"other":"a"},"name":"create/delete all fields from map/three-way","original":{"name":1,"other":"a","value":1},"patch":{"name":null,"value":null}},
{"expected":{},"name":"create/delete all fields from map with conflict/two-way","original":{"name":1,"value":1},"patch":{"name":null,"value":null}},
{"expected":{"other":"a"},"name":"create/delete all fields from map with conflict/three-way","original":{"name":1,"other":"a","value":"a"},"patch":{"name":null,"value":null}},
{"expected":{"other":"a"},"name":"create/add field and delete all fields from map/two-way","original":{"name":1,"value":1},"patch":{"name":null,"other":"a","value":null}},
{"expected":{"other":"a"},"name":"create/add field and delete all fields from map/three-way","original":{"name":1,"other":"a","value":1},"patch":{"name":null,"value":null}},
{"expected":{"other":"a"},"name":"create/add field and delete all fields from map with conflict/two-way","original":{"name":1,"value":1},"patch":{"name":null,"other":"a","value":null}},
{"expected":{"other":"a"},"name":"create/add field and delete all fields from map with conflict/three-way","original":{"name":1,"other":"b","value":1},"patch":{"name":null,"other":"a","value":null}},
{"expected":{"nonMergingIntList":[2,3]},"name":"create/replace list of scalars/two-way","original":{"nonMergingIntList":[1,2]},"patch":{"nonMergingIntList":[2,3]}},
{"expected":{"nonMergingIntList":[2,3]},"name":"create/replace list of scalars/three-way","original":{"nonMergingIntList":[1,2]},"patch":{"nonMergingIntList":[2,3]}},
{"expected":{"nonMergingIntList":[2,3]},"name":"create/replace list of scalars with conflict/two-way","original":{"nonMergingIntList":[1,2]},"patch":{"nonMergingIntList":[2,3]}},
{"expected":{"nonMergingIntList":[2,3]},"name":"create/replace list of scalars with conflict/three-way","original":{"nonMergingIntList":[1,4]},"patch":{"nonMergingIntList":[2,3]}},
{"expected":{"mergingList":[]},"name":"create/delete all maps from merging list/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"mergingList":[{"$patch":"delete","name":1},{"$patch":"delete","name":2}]}},
{"expected":{"mergingList":[]},"name":"create/delete all maps from merging list/three-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"mergingList":[{"$patch":"delete","name":1},{"$patch":"delete","name":2}]}},
{"expected":{"mergingList":[]},"name":"create/delete all maps from merging list with conflict/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"mergingList":[{"$patch":"delete","name":1},{"$patch":"delete","name":2}]}},
{"expected":{"mergingList":[]},"name":"create/delete all maps from merging list with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"mergingList":[{"$patch":"delete","name":1},{"$patch":"delete","name":2}]}},
{"expected":{"mergingList":[]},"name":"create/delete all maps from empty merging list/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"mergingList":[{"$patch":"delete","name":1},{"$patch":"delete","name":2}]}},
{"expected":{"mergingList":[]},"name":"create/delete all maps from empty merging list/three-way","original":{"mergingList":[]},"patch":{"mergingList":[{"$patch":"delete","name":1},{"$patch":"delete","name":2}]}},
{"expected":{"mergingList":[]},"name":"create/merge empty merging lists/two-way","original":{"mergingList":[]},"patch":{}},
{"expected":{"mergingList":[]},"name":"create/merge empty merging lists/three-way","original":{"mergingList":[]},"patch":{}},
{"expected":{"name":1,"value":1},"name":"create/defined null values should propagate overwrite current fields (with conflict)/two-way","original":{"name":2},"patch":{"name":1,"other":null,"value":1}},
{"expected":{"name":1,"value":1},"name":"create/defined null values should propagate overwrite current fields (with conflict)/three-way","original":{"name":"a","other":"a"},"patch":{"name":1,"other":null,"value":1}},
{"expected":{"name":"modified-name"},"name":"create/defined null values should propagate removing original fields/two-way","original":{"name":"original-name","value":"original-value"},"patch":{"name":"modified-name","value":null}},
{"expected":{"name":"modified-name","other":"current-other"},"name":"create/defined null values should propagate removing original fields/three-way","original":{"name":"original-name","other":"current-other","value":"original-value"},"patch":{"name":"modified-name","value":null}},
{"expected":{"name":"a","retainKeysMap":{"name":"foo"}},"name":"create/nil patch with retainKeys map/two-way","original":{"name":"a","retainKeysMap":{"name":"foo"}},"patch":{}},
{"expected":{"name":"a","retainKeysMap":{"name":"foo"},"value":"b"},"name":"create/nil patch with retainKeys map/three-way","original":{"name":"a","retainKeysMap":{"name":"foo"},"value":"b"},"patch":{}},
{"expected":{"name":"a","retainKeysMap":{"name":"foo"},"value":"b"},"name":"create/retainKeys map with no change should not be present/two-way","original":{"name":"a","retainKeysMap":{"name":"foo"}},"patch":{"value":"b"}},
{"expected":{"name":"a","other":"c","retainKeysMap":{"name":"foo"},"value":"b"},"name":"create/retainKeys map with no change should not be present/three-way","original":{"name":"a","other":"c","retainKeysMap":{"name":"foo"}},"patch":{"value":"b"}},
{"expected":{"mergingList":[{"name":"hello"}],"name":"hi"},"name":"raw/nested patch merge with empty list/two-way","original":{"name":"hi"},"patch":{"mergingList":[{"name":"hello"},{"$patch":"delete","name":"doesntexist"}]}},
{"expected":{"mergingList":[{"name":"hello"},{"name":"hello2"}],"name":"hi"},"name":"raw/nested patch merge with empty list/three-way","original":{"mergingList":[{"name":"hello2"}],"name":"hi"},"patch":{"$setElementOrder/mergingList":[{"name":"hello"},{"name":"doesntexist"}],"mergingList":[{"name":"hello"}]}},
{"expected":{"mergingIntList":[1,2]},"name":"raw/delete items in lists of scalars/two-way","original":{"mergingIntList":[1,2,3]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[1,2]}},
{"expected":{"mergingIntList":[1,2,4]},"name":"raw/delete items in lists of scalars/three-way","original":{"mergingIntList":[1,2,3,4]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[1,2]}},
{"expected":{"mergingIntList":[1,2]},"name":"raw/delete all duplicate items in lists of scalars/two-way","original":{"mergingIntList":[1,2,3,3]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[1,2]}},
{"expected":{"mergingIntList":[1,2,4]},"name":"raw/delete all duplicate items in lists of scalars/three-way","original":{"mergingIntList":[1,2,3,3,4]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[1,2]}},
{"expected":{"mergingIntList":[1,2,4]},"name":"raw/add and delete items in lists of scalars/two-way","original":{"mergingIntList":[1,2,3]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[1,2,4],"mergingIntList":[4]}},
{"expected":{"mergingIntList":[1,2,4]},"name":"raw/add and delete items in lists of scalars/three-way","original":{"mergingIntList":[1,2,3,4]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[1,2,4]}},
{"expected":{"mergingList":[{"name":4,"value":4},{"name":1},{"name":2,"value":2},{"name":3,"value":3}]},"name":"raw/merge lists of maps/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":4},{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}},
{"expected":{"mergingList":[{"name":4,"value":4},{"name":1,"other":"a"},{"name":2,"other":"b","value":2},{"name":3,"value":3}]},"name":"raw/merge lists of maps/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":4},{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}},
{"expected":{"mergingList":[{"name":1},{"name":2,"value":2},{"name":3,"value":3}]},"name":"raw/merge lists of maps with conflict/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":3,"value":3}]}},
{"expected":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2},{"name":3,"value":3}]},"name":"raw/merge lists of maps with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":3}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":2,"value":2},{"name":3,"value":3}]}},
{"expected":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"name":"raw/add field to map in merging list/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}]}},
{"expected":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":2}]},"name":"raw/add field to map in merging list/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}]}},
{"expected":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"name":"raw/add field to map in merging list/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}]}},
{"expected":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":2}]},"name":"raw/add field to map in merging list/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}]}},
{"expected":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"name":"raw/add field to map in merging list with conflict/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}]}},
{"expected":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"value":2},{"name":3,"other":"b","value":2}]},"name":"raw/add field to map in merging list with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":3,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]}},
{"expected":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"name":"raw/add duplicate field to map in merging list/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}]}},
{"expected":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":2}]},"name":"raw/add duplicate field to map in merging list/three-way","original":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":2}]},"patch":{}},
{"expected":{"mergingList":[{"name":1,"value":"a"},{"name":2},{"name":3}]},"name":"raw/add an item that already exists in current object in merging list/two-way","original":{"mergingList":[{"name":1,"value":"a"},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":3}]}},
{"expected":{"mergingList":[{"name":1,"other":"x","value":"a"},{"name":2},{"name":3}]},"name":"raw/add an item that already exists in current object in merging list/three-way","original":{"mergingList":[{"name":1,"other":"x","value":"a"},{"name":2},{"name":3}]},"patch":{}},
{"expected":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"name":"raw/add duplicate field to map in merging list with conflict/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}]}},
{"expected":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":2}]},"name":"raw/add duplicate field to map in merging list with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":3}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":2,"value":2}]}},
{"expected":{"mergingList":[{"name":1,"value":"a"},{"name":2,"value":2}]},"name":"raw/replace map field value in merging list/two-way","original":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":"a"}]}},
{"expected":{"mergingList":[{"name":1,"other":"a","value":"a"},{"name":2,"other":"b","value":2}]},"name":"raw/replace map field value in merging list/three-way","original":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":"a"}]}},
{"expected":{"mergingList":[{"name":1,"value":"a"},{"name":2,"value":2}]},"name":"raw/replace map field value in merging list with conflict/two-way","original":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":"a"}]}},
{"expected":{"mergingList":[{"name":1,"other":"a","value":"a"},{"name":2,"other":"b","value":2}]},"name":"raw/replace map field value in merging list with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a","value":3},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":"a"}]}},
{"expected":{"mergingList":[{"name":2}]},"name":"raw/delete map from merging list/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2,"other":"b"}]},"name":"raw/delete map from merging list/three-way","original":{"mergingList":[{"name":1},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2}]},"name":"raw/delete map from merging list with conflict/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2,"other":"b"}]},"name":"raw/delete map from merging list with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2}]},"name":"raw/delete missing map from merging list/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2,"other":"b"}]},"name":"raw/delete missing map from merging list/three-way","original":{"mergingList":[{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2}]},"name":"raw/delete missing map from merging list with conflict/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2},{"name":3,"other":"a"}]},"name":"raw/delete missing map from merging list with conflict/three-way","original":{"mergingList":[{"name":3,"other":"a"}]},"patch":{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"name":2},{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2},{"name":3}]},"name":"raw/add map and delete map from merging list/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":3},{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2,"other":"b"},{"name":4,"other":"c"},{"name":3}]},"name":"raw/add map and delete map from merging list/three-way","original":{"mergingList":[{"name":1},{"name":2,"other":"b"},{"name":4,"other":"c"}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":3},{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":2},{"name":3}]},"name":"raw/add map and delete map from merging list with conflict/two-way","original":{"mergingList":[{"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":3},{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":4,"other":"c"},{"name":2},{"name":3}]},"name":"raw/add map and delete map from merging list with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":4,"other":"c"}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":2},{"name":3},{"$patch":"delete","name":1}]}},
{"expected":{"mergingList":[{"name":1},{"name":2,"value":2}]},"name":"raw/delete field from map in merging list/two-way","original":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}},
{"expected":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"name":"raw/delete field from map in merging list/three-way","original":{"mergingList":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}},
{"expected":{"mergingList":[{"name":1},{"name":2,"value":2}]},"name":"raw/delete field from map in merging list with conflict/two-way","original":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}},
{"expected":{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2}]},"name":"raw/delete field from map in merging list with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a","value":"a"},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}},
{"expected":{"mergingList":[{"name":1},{"name":2,"value":2}]},"name":"raw/delete missing field from map in merging list/two-way","original":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}},
{"expected":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"name":"raw/delete missing field from map in merging list/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}},
{"expected":{"mergingList":[{"name":1},{"name":2,"value":2}]},"name":"raw/delete missing field from map in merging list with conflict/two-way","original":{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}},
{"expected":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"name":"raw/delete missing field from map in merging list with conflict/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null},{"name":2,"value":2}]}},
{"expected":{"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]},{"name":2}]},"name":"raw/replace non merging list nested in merging list/two-way","original":{"mergingList":[{"name":1,"nonMergingList":[{"name":1},{"name":2,"value":2}]},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]}]}},
{"expected":{"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}],"other":"a"},{"name":2,"other":"b"}]},"name":"raw/replace non merging list nested in merging list/three-way","original":{"mergingList":[{"name":1,"nonMergingList":[{"name":1},{"name":2,"value":2}],"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]}]}},
{"expected":{"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]},{"name":2}]},"name":"raw/replace non merging list nested in merging list with value conflict/two-way","original":{"mergingList":[{"name":1,"nonMergingList":[{"name":1},{"name":2,"value":2}]},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]}]}},
{"expected":{"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}],"other":"a"},{"name":2,"other":"b"}]},"name":"raw/replace non merging list nested in merging list with value conflict/three-way","original":{"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":"c"}],"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]}]}},
{"expected":{"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]},{"name":2}]},"name":"raw/replace non merging list nested in merging list with deletion conflict/two-way","original":{"mergingList":[{"name":1,"nonMergingList":[{"name":1},{"name":2,"value":2}]},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]}]}},
{"expected":{"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}],"other":"a"},{"name":2,"other":"b"}]},"name":"raw/replace non merging list nested in merging list with deletion conflict/three-way","original":{"mergingList":[{"name":1,"nonMergingList":[{"name":2,"value":2}],"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]}]}},
{"expected":{"mergingList":[{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}],"name":1},{"name":2}]},"name":"raw/add field to map in merging list nested in merging list/two-way","original":{"mergingList":[{"mergingList":[{"name":1},{"name":2,"value":2}],"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergingList":[{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"name":"raw/add field to map in merging list nested in merging list/three-way","original":{"mergingList":[{"mergingList":[{"name":1},{"name":2,"value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergingList":[{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}],"name":1},{"name":2}]},"name":"raw/add field to map in merging list nested in merging list with value conflict/two-way","original":{"mergingList":[{"mergingList":[{"name":1},{"name":2,"value":2}],"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergingList":[{"mergingList":[{"name":1,"other":"c","value":1},{"name":2,"other":"d","value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"name":"raw/add field to map in merging list nested in merging list with value conflict/three-way","original":{"mergingList":[{"mergingList":[{"name":1,"other":"c","value":"a"},{"name":2,"other":"d","value":"b"}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1},{"name":2,"value":2}],"name":1}]}},
{"expected":{"mergingList":[{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}],"name":1},{"name":2}]},"name":"raw/add field to map in merging list nested in merging list with deletion conflict/two-way","original":{"mergingList":[{"mergingList":[{"name":1},{"name":2,"value":2}],"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergingList":[{"mergingList":[{"name":1,"value":1},{"name":2,"other":"d","value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"name":"raw/add field to map in merging list nested in merging list with deletion conflict/three-way","original":{"mergingList":[{"mergingList":[{"name":2,"other":"d","value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergingList":[{"mergingList":[{"name":2,"value":2},{"name":1,"value":1}],"name":1},{"name":2}]},"name":"raw/add field to map in merging list nested in merging list with deletion conflict/two-way","original":{"mergingList":[{"mergingList":[{"name":1},{"name":2,"value":2}],"name":1},{"name":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":2},{"name":1}],"mergingList":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergingList":[{"mergingList":[{"name":2,"other":"d","value":2},{"name":1,"value":1}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"name":"raw/add field to map in merging list nested in merging list with deletion conflict/three-way","original":{"mergingList":[{"mergingList":[{"name":2,"other":"d","value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":2},{"name":1}],"mergingList":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergeItemPtr":[{"name":1},{"name":2}]},"name":"raw/add map to merging list by pointer/two-way","original":{"mergeItemPtr":[{"name":1}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":2}]}},
{"expected":{"mergeItemPtr":[{"name":1,"other":"a"},{"name":2},{"name":3}]},"name":"raw/add map to merging list by pointer/three-way","original":{"mergeItemPtr":[{"name":1,"other":"a"},{"name":3}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":2}]}},
{"expected":{"mergeItemPtr":[{"name":1},{"name":2}]},"name":"raw/add map to merging list by pointer with conflict/two-way","original":{"mergeItemPtr":[{"name":1}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":2}]}},
{"expected":{"mergeItemPtr":[{"name":1},{"name":2},{"name":3}]},"name":"raw/add map to merging list by pointer with conflict/three-way","original":{"mergeItemPtr":[{"name":3}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":1},{"name":2}]}},
{"expected":{"mergeItemPtr":[{"mergeItemPtr":[{"name":1,"value":1},{"name":2,"value":2}],"name":1},{"name":2}]},"name":"raw/add field to map in merging list by pointer/two-way","original":{"mergeItemPtr":[{"mergeItemPtr":[{"name":1},{"name":2,"value":2}],"name":1},{"name":2}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergeItemPtr":[{"mergeItemPtr":[{"name":1,"other":"a","value":1},{"name":2,"other":"b","value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"name":"raw/add field to map in merging list by pointer/three-way","original":{"mergeItemPtr":[{"mergeItemPtr":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergeItemPtr":[{"mergeItemPtr":[{"name":1,"value":1},{"name":2,"value":2}],"name":1},{"name":2}]},"name":"raw/add field to map in merging list by pointer with conflict/two-way","original":{"mergeItemPtr":[{"mergeItemPtr":[{"name":1},{"name":2,"value":2}],"name":1},{"name":2}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergeItemPtr":[{"mergeItemPtr":[{"name":1,"value":1},{"name":2,"other":"b","value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"name":"raw/add field to map in merging list by pointer with conflict/three-way","original":{"mergeItemPtr":[{"mergeItemPtr":[{"name":1,"value":"a"},{"name":2,"other":"b","value":2}],"name":1,"other":"a"},{"name":2,"other":"b"}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":1,"value":1}],"name":1}]}},
{"expected":{"mergingIntList":[1,2,3]},"name":"raw/merge lists of scalars/two-way","original":{"mergingIntList":[1,2]},"patch":{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3]}},
{"expected":{"mergingIntList":[1,2,3,4]},"name":"raw/merge lists of scalars/three-way","original":{"mergingIntList":[1,2,4]},"patch":{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3]}},
{"expected":{"mergingIntList":[1,2,3]},"name":"raw/add duplicate field to map in merging int list/two-way","original":{"mergingIntList":[1,2]},"patch":{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3]}},
{"expected":{"mergingIntList":[1,2,3]},"name":"raw/add duplicate field to map in merging int list/three-way","original":{"mergingIntList":[1,2,3]},"patch":{}},
{"expected":{"mergingIntList":[3,1,2]},"name":"raw/add an item in a list of primitives and preserve order/two-way","original":{"mergingIntList":[1,2]},"patch":{"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]}},
{"expected":{"mergingIntList":[3,1,4,2]},"name":"raw/add an item in a list of primitives and preserve order/three-way","original":{"mergingIntList":[1,4,2]},"patch":{"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]}},
{"expected":{"mergingIntList":[2,1]},"name":"raw/delete an item in a list of primitives and preserve order/two-way","original":{"mergingIntList":[1,2,3]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[2,1]}},
{"expected":{"mergingIntList":[2,1]},"name":"raw/delete an item in a list of primitives and preserve order/three-way","original":{"mergingIntList":[1,2,3]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[2,1]}},
{"expected":{"mergingList":[{"name":3,"value":3},{"name":1},{"name":2,"value":2}]},"name":"raw/add an item in a list and preserve order/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":3},{"name":1},{"name":2}],"mergingList":[{"name":3,"value":3}]}},
{"expected":{"mergingList":[{"name":3,"value":3},{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"name":"raw/add an item in a list and preserve order/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":3},{"name":1},{"name":2}],"mergingList":[{"name":3,"value":3}]}},
{"expected":{"mergingList":[{"name":1},{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3}]},"name":"raw/add multiple items in a list and preserve order/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":4},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}},
{"expected":{"mergingList":[{"name":1,"other":"a"},{"name":4,"value":4},{"name":2,"other":"b","value":2},{"name":3,"value":3}]},"name":"raw/add multiple items in a list and preserve order/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":4},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}},
{"expected":{"mergingList":[{"name":2,"value":2},{"name":1}]},"name":"raw/delete an item in a list and preserve order/two-way","original":{"mergingList":[{"name":1},{"name":3,"value":3},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":1}],"mergingList":[{"$patch":"delete","name":3}]}},
{"expected":{"mergingList":[{"name":2,"other":"b","value":2},{"name":1,"other":"a"}]},"name":"raw/delete an item in a list and preserve order/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2},{"name":3,"value":3}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":1}],"mergingList":[{"$patch":"delete","name":3}]}},
{"expected":{"mergingList":[{"name":2,"value":2},{"name":3,"value":"x"},{"name":1}]},"name":"raw/change an item in a list and preserve order/two-way","original":{"mergingList":[{"name":1},{"name":3,"value":3},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":3},{"name":1}],"mergingList":[{"name":3,"value":"x"}]}},
{"expected":{"mergingList":[{"name":2,"other":"b","value":2},{"name":3,"value":"x"},{"name":1,"other":"a"}]},"name":"raw/change an item in a list and preserve order/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2},{"name":3,"value":3}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":3},{"name":1}],"mergingList":[{"name":3,"value":"x"}]}},
{"expected":{"mergingList":[{"name":4,"value":4},{"name":2,"value":2},{"name":1}]},"name":"raw/add and delete an item in a list and preserve order/two-way","original":{"mergingList":[{"name":1},{"name":3,"value":3},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":1}],"mergingList":[{"name":4,"value":4},{"$patch":"delete","name":3}]}},
{"expected":{"mergingList":[{"name":4,"value":4},{"name":2,"other":"b","value":2},{"name":1,"other":"a"}]},"name":"raw/add and delete an item in a list and preserve order/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b","value":2},{"name":3,"value":3}]},"patch":{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":1}],"mergingList":[{"name":4,"value":4},{"$patch":"delete","name":3}]}},
{"expected":{"mergingList":[{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3},{"name":1}]},"name":"raw/set elements order in a list/two-way","original":{"mergingList":[{"name":1},{"name":3,"value":3},{"name":4,"value":4},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":3},{"name":1}]}},
{"expected":{"mergingList":[{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3},{"name":1,"other":"a"}]},"name":"raw/set elements order in a list/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":3,"value":3},{"name":4,"value":4},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":3},{"name":1}]}},
{"expected":{"mergingList":[{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3},{"name":1}]},"name":"raw/set elements order in a list with server-only items/two-way","original":{"mergingList":[{"name":1},{"name":3,"value":3},{"name":4,"value":4},{"name":2,"value":2}]},"patch":{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":3},{"name":1}]}},
{"expected":{"mergingList":[{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3},{"name":1,"other":"a"},{"name":9}]},"name":"raw/set elements order in a list with server-only items/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":3,"value":3},{"name":4,"value":4},{"name":2,"value":2},{"name":9}]},"patch":{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":3},{"name":1}]}},
{"expected":{"mergingList":[{"name":2,"value":2},{"name":1},{"name":4,"value":4},{"name":3,"value":3}]},"name":"raw/set elements order in a list with server-only items 2/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2},{"name":3,"value":3},{"name":4,"value":4}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]}},
{"expected":{"mergingList":[{"name":2,"value":2},{"name":1,"other":"a"},{"name":9},{"name":4,"value":4},{"name":3,"value":3}]},"name":"raw/set elements order in a list with server-only items 2/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2},{"name":9},{"name":3,"value":3},{"name":4,"value":4}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]}},
{"expected":{"mergingList":[{"name":2,"value":2},{"name":1},{"name":4,"value":4},{"name":3,"value":3}]},"name":"raw/set elements order in a list with server-only items 3/two-way","original":{"mergingList":[{"name":1},{"name":2,"value":2},{"name":3,"value":3},{"name":4,"value":4}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]}},
{"expected":{"mergingList":[{"name":2,"value":2},{"name":1,"other":"a"},{"name":7},{"name":9},{"name":8},{"name":4,"value":4},{"name":3,"value":3}]},"name":"raw/set elements order in a list with server-only items 3/three-way","original":{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2},{"name":7},{"name":9},{"name":8},{"name":3,"value":3},{"name":4,"value":4}]},"patch":{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]}},
{"expected":{"mergingIntList":[3,1,2]},"name":"raw/add an item in a int list and preserve order/two-way","original":{"mergingIntList":[1,2]},"patch":{"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]}},
{"expected":{"mergingIntList":[3,1,2]},"name":"raw/add an item in a int list and preserve order/three-way","original":{"mergingIntList":[1,2]},"patch":{"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]}},
{"expected":{"mergingIntList":[1,4,2,3]},"name":"raw/add multiple items in a int list and preserve order/two-way","original":{"mergingIntList":[1,2]},"patch":{"$setElementOrder/mergingIntList":[1,4,2,3],"mergingIntList":[4,3]}},
{"expected":{"mergingIntList":[1,4,2,3]},"name":"raw/add multiple items in a int list and preserve order/three-way","original":{"mergingIntList":[1,2]},"patch":{"$setElementOrder/mergingIntList":[1,4,2,3],"mergingIntList":[4,3]}},
{"expected":{"mergingIntList":[2,1]},"name":"raw/delete an item in a int list and preserve order/two-way","original":{"mergingIntList":[1,3,2]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[2,1]}},
{"expected":{"mergingIntList":[2,1]},"name":"raw/delete an item in a int list and preserve order/three-way","original":{"mergingIntList":[1,2,3]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[2,1]}},
{"expected":{"mergingIntList":[4,2,1]},"name":"raw/add and delete an item in a int list and preserve order/two-way","original":{"mergingIntList":[1,3,2]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[4,2,1],"mergingIntList":[4]}},
{"expected":{"mergingIntList":[4,2,1]},"name":"raw/add and delete an item in a int list and preserve order/three-way","original":{"mergingIntList":[1,2,3]},"patch":{"$deleteFromPrimitiveList/mergingIntList":[3],"$setElementOrder/mergingIntList":[4,2,1],"mergingIntList":[4]}},
{"expected":{"mergingIntList":[4,2,3,1]},"name":"raw/set elements order in a int list/two-way","original":{"mergingIntList":[1,3,4,2]},"patch":{"$setElementOrder/mergingIntList":[4,2,3,1]}},
{"expected":{"mergingIntList":[4,2,3,1]},"name":"raw/set elements order in a int list/three-way","original":{"mergingIntList":[1,3,4,2]},"patch":{"$setElementOrder/mergingIntList":[4,2,3,1]}},
{"expected":{"mergingIntList":[4,2,3,1]},"name":"raw/set elements order in a int list with server-only items/two-way","original":{"mergingIntList":[1,3,4,2]},"patch":{"$setElementOrder/mergingIntList":[4,2,3,1]}},
{"expected":{"mergingIntList":[4,2,3,1,9]},"name":"raw/set elements order in a int list with server-only items/three-way","original":{"mergingIntList":[1,3,4,2,9]},"patch":{"$setElementOrder/mergingIntList":[4,2,3,1]}},
{"expected":{"mergingIntList":[2,1,4,3]},"name":"raw/set elements order in a int list with server-only items 2/two-way","original":{"mergingIntList":[1,2,3,4]},"patch":{"$setElementOrder/mergingIntList":[2,1,4,3]}},
{"expected":{"mergingIntList":[2,1,9,4,3]},"name":"raw/set elements order in a int list with server-only items 2/three-way","original":{"mergingIntList":[1,2,9,3,4]},"patch":{"$setElementOrder/mergingIntList":[2,1,4,3]}},
{"expected":{"mergingIntList":[2,2,1,4,3]},"name":"raw/set elements order in a int list with server-only items 3/two-way","original":{"mergingIntList":[1,2,3,2,4]},"patch":{"$setElementOrder/mergingIntList":[2,1,4,3,2]}},
{"expected":{"mergingIntList":[2,2,1,4,3]},"name":"raw/set elements order in a int list with server-only items 3/three-way","original":{"mergingIntList":[1,2,3,2,4]},"patch":{"$setElementOrder/mergingIntList":[2,1,4,3,2]}},
{"expected":{"retainKeysMap":{"other":"bar"}},"name":"raw/retainKeys map should clear defaulted field/two-way","original":{},"patch":{"retainKeysMap":{"other":"bar"}}},
{"expected":{"retainKeysMap":{"other":"bar"}},"name":"raw/retainKeys map should clear defaulted field/three-way","original":{"retainKeysMap":{"value":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["other"],"other":"bar"}}},
{"expected":{"retainKeysMap":{"name":"type2","other":"bar"}},"name":"raw/retainKeys map should clear defaulted field with conflict (discriminated union)/two-way","original":{},"patch":{"retainKeysMap":{"name":"type2","other":"bar"}}},
{"expected":{"retainKeysMap":{"name":"type2","other":"bar"}},"name":"raw/retainKeys map should clear defaulted field with conflict (discriminated union)/three-way","original":{"retainKeysMap":{"name":"type1","value":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["name","other"],"name":"type2","other":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map adds a field/two-way","original":{"retainKeysMap":{"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map adds a field/three-way","original":{"retainKeysMap":{"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map adds a field and clear a field/two-way","original":{"retainKeysMap":{"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map adds a field and clear a field/three-way","original":{"retainKeysMap":{"name":"foo","other":"a"}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo"}},"name":"raw/retainKeys map deletes a field/two-way","original":{"retainKeysMap":{"name":"foo","value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name"],"value":null}}},
{"expected":{"retainKeysMap":{"name":"foo"}},"name":"raw/retainKeys map deletes a field/three-way","original":{"retainKeysMap":{"name":"foo","value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name"],"value":null}}},
{"expected":{"retainKeysMap":{"name":"foo"}},"name":"raw/retainKeys map deletes a field and clears a field/two-way","original":{"retainKeysMap":{"name":"foo","value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name"],"value":null}}},
{"expected":{"retainKeysMap":{"name":"foo"}},"name":"raw/retainKeys map deletes a field and clears a field/three-way","original":{"retainKeysMap":{"name":"foo","other":"a","value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name"],"value":null}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map clears a field/two-way","original":{"retainKeysMap":{"name":"foo","value":"bar"}},"patch":{}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map clears a field/three-way","original":{"retainKeysMap":{"name":"foo","other":"a","value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"]}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a"},"value":"bar"}},"name":"raw/retainKeys map nested map with no change/two-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a"}}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a"},"value":"bar"}},"name":"raw/retainKeys map nested map with no change/three-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a"}}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a","key2":"b"},"value":"bar"}},"name":"raw/retainKeys map adds a field in a nested map/two-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a"},"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key2":"b"}}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a","key2":"b","key3":"c"},"value":"bar"}},"name":"raw/retainKeys map adds a field in a nested map/three-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a","key3":"c"},"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key2":"b"}}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a"},"value":"bar"}},"name":"raw/retainKeys map deletes a field in a nested map/two-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a","key2":"b"},"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key2":null}}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a","key3":"c"},"value":"bar"}},"name":"raw/retainKeys map deletes a field in a nested map/three-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a","key2":"b","key3":"c"},"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key2":null}}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"x","key2":"b"},"value":"bar"}},"name":"raw/retainKeys map changes a field in a nested map/two-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a","key2":"b"},"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key1":"x"}}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"x","key2":"b","key3":"c"},"value":"bar"}},"name":"raw/retainKeys map changes a field in a nested map/three-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a","key2":"b","key3":"c"},"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key1":"x"}}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"modified","key2":"b"},"value":"bar"}},"name":"raw/retainKeys map changes a field in a nested map with conflict/two-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"old","key2":"b"},"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key1":"modified"}}}},
{"expected":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"modified","key2":"b","key3":"c"},"value":"bar"}},"name":"raw/retainKeys map changes a field in a nested map with conflict/three-way","original":{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"new","key2":"b","key3":"c"},"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key1":"modified"}}}},
{"expected":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"c"},{"name":"b"}],"value":"bar"}},"name":"raw/retainKeys map replaces non-merging list/two-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}],"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","nonMergingList","value"],"nonMergingList":[{"name":"a"},{"name":"c"},{"name":"b"}]}}},
{"expected":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"c"},{"name":"b"}],"value":"bar"}},"name":"raw/retainKeys map replaces non-merging list/three-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}],"value":"bar"}},"patch":{"retainKeysMap":{"$retainKeys":["name","nonMergingList","value"],"nonMergingList":[{"name":"a"},{"name":"c"},{"name":"b"}]}}},
{"expected":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}],"value":"bar"}},"name":"raw/retainKeys map nested non-merging list with no change/two-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}]}},"patch":{"retainKeysMap":{"$retainKeys":["name","nonMergingList","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}],"value":"bar"}},"name":"raw/retainKeys map nested non-merging list with no change/three-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}]}},"patch":{"retainKeysMap":{"$retainKeys":["name","nonMergingList","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}],"value":"bar"}},"name":"raw/retainKeys map nested non-merging list with no change with conflict/two-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}]}},"patch":{"retainKeysMap":{"$retainKeys":["name","nonMergingList","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}],"value":"bar"}},"name":"raw/retainKeys map nested non-merging list with no change with conflict/three-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"},{"name":"c"}]}},"patch":{"retainKeysMap":{"$retainKeys":["name","nonMergingList","value"],"nonMergingList":[{"name":"a"},{"name":"b"}],"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map deletes nested non-merging list/two-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}]}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"nonMergingList":null,"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map deletes nested non-merging list/three-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}]}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"nonMergingList":null,"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map delete nested non-merging list with conflict/two-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}]}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"nonMergingList":null,"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map delete nested non-merging list with conflict/three-way","original":{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"},{"name":"c"}]}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"nonMergingList":null,"value":"bar"}}},
{"expected":{"retainKeysMap":{"mergingIntList":[1,2],"name":"foo","value":"bar"}},"name":"raw/retainKeys map nested merging int list with no change/two-way","original":{"retainKeysMap":{"mergingIntList":[1,2],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingIntList","name","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"mergingIntList":[1,2,3],"name":"foo","value":"bar"}},"name":"raw/retainKeys map nested merging int list with no change/three-way","original":{"retainKeysMap":{"mergingIntList":[1,2,3],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingIntList","name","value"],"$setElementOrder/mergingIntList":[1,2],"value":"bar"}}},
{"expected":{"retainKeysMap":{"mergingIntList":[1,2,4],"name":"foo"}},"name":"raw/retainKeys map adds an item in nested merging int list/two-way","original":{"retainKeysMap":{"mergingIntList":[1,2],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingIntList","name"],"$setElementOrder/mergingIntList":[1,2,4],"mergingIntList":[4]}}},
{"expected":{"retainKeysMap":{"mergingIntList":[1,2,4,3],"name":"foo"}},"name":"raw/retainKeys map adds an item in nested merging int list/three-way","original":{"retainKeysMap":{"mergingIntList":[1,2,3],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingIntList","name"],"$setElementOrder/mergingIntList":[1,2,4],"mergingIntList":[4]}}},
{"expected":{"retainKeysMap":{"mergingIntList":[1,3],"name":"foo"}},"name":"raw/retainKeys map deletes an item in nested merging int list/two-way","original":{"retainKeysMap":{"mergingIntList":[1,2,3],"name":"foo"}},"patch":{"retainKeysMap":{"$deleteFromPrimitiveList/mergingIntList":[2],"$retainKeys":["mergingIntList","name"],"$setElementOrder/mergingIntList":[1,3]}}},
{"expected":{"retainKeysMap":{"mergingIntList":[1,3,4],"name":"foo"}},"name":"raw/retainKeys map deletes an item in nested merging int list/three-way","original":{"retainKeysMap":{"mergingIntList":[1,2,3,4],"name":"foo"}},"patch":{"retainKeysMap":{"$deleteFromPrimitiveList/mergingIntList":[2],"$retainKeys":["mergingIntList","name"],"$setElementOrder/mergingIntList":[1,3]}}},
{"expected":{"retainKeysMap":{"mergingIntList":[1,3,5],"name":"foo"}},"name":"raw/retainKeys map adds an item and deletes an item in nested merging int list/two-way","original":{"retainKeysMap":{"mergingIntList":[1,2,3],"name":"foo"}},"patch":{"retainKeysMap":{"$deleteFromPrimitiveList/mergingIntList":[2],"$retainKeys":["mergingIntList","name"],"$setElementOrder/mergingIntList":[1,3,5],"mergingIntList":[5]}}},
{"expected":{"retainKeysMap":{"mergingIntList":[1,3,5,4],"name":"foo"}},"name":"raw/retainKeys map adds an item and deletes an item in nested merging int list/three-way","original":{"retainKeysMap":{"mergingIntList":[1,2,3,4],"name":"foo"}},"patch":{"retainKeysMap":{"$deleteFromPrimitiveList/mergingIntList":[2],"$retainKeys":["mergingIntList","name"],"$setElementOrder/mergingIntList":[1,3,5],"mergingIntList":[5]}}},
{"expected":{"retainKeysMap":{"name":"foo"}},"name":"raw/retainKeys map deletes nested merging int list/two-way","original":{"retainKeysMap":{"mergingIntList":[1,2,3],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["name"],"mergingIntList":null}}},
{"expected":{"retainKeysMap":{"name":"foo"}},"name":"raw/retainKeys map deletes nested merging int list/three-way","original":{"retainKeysMap":{"mergingIntList":[1,2,3],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["name"],"mergingIntList":null}}},
{"expected":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"}],"name":"foo","value":"bar"}},"name":"raw/retainKeys map nested merging list with no change/two-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingList","name","value"],"value":"bar"}}},
{"expected":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"},{"name":"c"}],"name":"foo","value":"bar"}},"name":"raw/retainKeys map nested merging list with no change/three-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"},{"name":"c"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingList","name","value"],"$setElementOrder/mergingList":[{"name":"a"},{"name":"b"}],"value":"bar"}}},
{"expected":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"},{"name":"c"}],"name":"foo"}},"name":"raw/retainKeys map adds an item in nested merging list/two-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"},{"name":"b"},{"name":"c"}],"mergingList":[{"name":"c"}]}}},
{"expected":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"x"}],"name":"foo"}},"name":"raw/retainKeys map adds an item in nested merging list/three-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"},{"name":"x"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"},{"name":"b"},{"name":"c"}],"mergingList":[{"name":"c"}]}}},
{"expected":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b","value":"bar"}],"name":"foo"}},"name":"raw/retainKeys map changes an item in nested merging list/two-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b","value":"foo"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"},{"name":"b"}],"mergingList":[{"name":"b","value":"bar"}]}}},
{"expected":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b","value":"bar"},{"name":"x"}],"name":"foo"}},"name":"raw/retainKeys map changes an item in nested merging list/three-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b","value":"foo"},{"name":"x"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"},{"name":"b"}],"mergingList":[{"name":"b","value":"bar"}]}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map deletes nested merging list/two-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"mergingList":null,"value":"bar"}}},
{"expected":{"retainKeysMap":{"name":"foo","value":"bar"}},"name":"raw/retainKeys map deletes nested merging list/three-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["name","value"],"mergingList":null,"value":"bar"}}},
{"expected":{"retainKeysMap":{"mergingList":[{"name":"a"}],"name":"foo"}},"name":"raw/retainKeys map deletes an item in nested merging list/two-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"}],"mergingList":[{"$patch":"delete","name":"b"}]}}},
{"expected":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"x"}],"name":"foo"}},"name":"raw/retainKeys map deletes an item in nested merging list/three-way","original":{"retainKeysMap":{"mergingList":[{"name":"a"},{"name":"b"},{"name":"x"}],"name":"foo"}},"patch":{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"}],"mergingList":[{"$patch":"delete","name":"b"}]}}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"name":"raw/retainKeys list of maps clears a field/two-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"patch":{}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"name":"raw/retainKeys list of maps clears a field/three-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","other":"x","value":"a"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"modified"}]},"name":"raw/retainKeys list of maps clears a field with conflict/two-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"old"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"modified"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"modified"}]},"name":"raw/retainKeys list of maps clears a field with conflict/three-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","other":"x","value":"new"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"modified"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"new"}]},"name":"raw/retainKeys list of maps changes a field and clear a field/two-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"old"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"new"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"new"}]},"name":"raw/retainKeys list of maps changes a field and clear a field/three-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","other":"x","value":"old"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"new"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"new"}]},"name":"raw/retainKeys list of maps changes a field and clear a field with conflict/two-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"old"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"new"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"new"}]},"name":"raw/retainKeys list of maps changes a field and clear a field with conflict/three-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","other":"x","value":"modified"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"new"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"name":"raw/retainKeys list of maps adds a field/two-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"a"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"name":"raw/retainKeys list of maps adds a field/three-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"a"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"name":"raw/retainKeys list of maps adds a field and clear a field/two-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"a"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"name":"raw/retainKeys list of maps adds a field and clear a field/three-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","other":"x"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"a"}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"name":"raw/retainKeys list of maps deletes a field/two-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name"],"name":"foo","value":null}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"name":"raw/retainKeys list of maps deletes a field/three-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name"],"name":"foo","value":null}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"name":"raw/retainKeys list of maps deletes a field and clear a field/two-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name"],"name":"foo","value":null}]}},
{"expected":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]},"name":"raw/retainKeys list of maps deletes a field and clear a field/three-way","original":{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","other":"x","value":"a"}]},"patch":{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name"],"name":"foo","value":null}]}},
{"expected":{"mergeItemPtr":[{"name":"d","value":"d"},{"name":"c","value":"c"}],"mergingList":[{"name":"b","value":"b"}]},"name":"raw/delete and reorder in one list, reorder in another/two-way","original":{"mergeItemPtr":[{"name":"c","value":"c"},{"name":"d","value":"d"}],"mergingList":[{"name":"a","value":"a"},{"name":"b","value":"b"}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":"d"},{"name":"c"}],"$setElementOrder/mergingList":[{"name":"b"}],"mergingList":[{"$patch":"delete","name":"a"}]}},
{"expected":{"mergeItemPtr":[{"name":"d","value":"d"},{"name":"c","value":"c"}],"mergingList":[{"name":"b","value":"b"}]},"name":"raw/delete and reorder in one list, reorder in another/three-way","original":{"mergeItemPtr":[{"name":"c","value":"c"},{"name":"d","value":"d"}],"mergingList":[{"name":"a","value":"a"},{"name":"b","value":"b"}]},"patch":{"$setElementOrder/mergeItemPtr":[{"name":"d"},{"name":"c"}],"$setElementOrder/mergingList":[{"name":"b"}],"mergingList":[{"$patch":"delete","name":"a"}]}},
{"expected":{"mergingList":[{"name":1},{"name":2},{"name":3}],"name":"my-object","other":"current-other","replacingItem":{"Newly":"Modified","The":"RawExtension","Yaml":"Inside"},"value":"some-value"},"name":"raw/replace RawExtension field, rest unchanched/two-way","original":{"name":"my-object","other":"current-other","replacingItem":{"Field":"Period","Some":"Generic","The":"RawExtension","Yaml":"Inside"},"value":"some-value"},"patch":{"mergingList":[{"name":1},{"name":2},{"name":3}],"replacingItem":{"Newly":"Modified","The":"RawExtension","Yaml":"Inside"}}},
{"expected":{"mergingList":[{"name":1},{"name":2},{"name":3}],"name":"my-object","other":"current-other","replacingItem":{"Newly":"Modified","The":"RawExtension","Yaml":"Inside"},"value":"some-value"},"name":"raw/replace RawExtension field, rest unchanched/three-way","original":{"mergingList":[{"name":1},{"name":2},{"name":3}],"name":"my-object","other":"current-other","replacingItem":{"Field":"Period","Some":"Generic","The":"RawExtension","Yaml":"Inside"},"value":"some-value"},"patch":{"replacingItem":{"Newly":"Modified","The":"RawExtension","Yaml":"Inside"}}},
{"expected":{"mergingList":[{"name":1},{"name":2}],"name":"my-object","other":"current-other","replacingItem":{"Newly":"Modified","The":"RawExtension","Yaml":"Inside"},"value":"some-value"},"name":"raw/replace RawExtension field and merge list/two-way","original":{"mergingList":[{"name":1}],"name":"my-object","other":"current-other","replacingItem":{"Field":"Period","Some":"Generic","The":"RawExtension","Yaml":"Inside"},"value":"some-value"},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":2}],"replacingItem":{"Newly":"Modified","The":"RawExtension","Yaml":"Inside"}}},
{"expected":{"mergingList":[{"name":1},{"name":2},{"name":3}],"name":"my-object","other":"current-other","replacingItem":{"Newly":"Modified","The":"RawExtension","Yaml":"Inside"},"value":"some-value"},"name":"raw/replace RawExtension field and merge list/three-way","original":{"mergingList":[{"name":1},{"name":3}],"name":"my-object","other":"current-other","replacingItem":{"Field":"Period","Some":"Generic","The":"RawExtension","Yaml":"Inside"},"value":"some-value"},"patch":{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":2}],"replacingItem":{"Newly":"Modified","The":"RawExtension","Yaml":"Inside"}}}
]
"##;
}
