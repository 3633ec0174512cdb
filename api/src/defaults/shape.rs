//! The JSON shape kube-apiserver's Go encoding gives a built-in object.
//!
//! kube-apiserver decodes a body into Go structs and encodes them back, so
//! fields a client left out come back when encoding/json always writes them:
//! non-pointer structs (`resources: {}`, `status: {loadBalancer: {}}`),
//! fields without `omitempty` (`status.replicas: 0`, `rules: null`,
//! `divisor: "0"`), zero times (`lastTimestamp: null`). Quantities come back
//! in canonical form, and resource lists rounded up to milli units. The table
//! of such fields is generated from the Go types in `shape_table.rs`.

use serde_json::Value;

use super::quantity;
use super::shape_table::{ROOTS, TYPES};
use super::value::Object;

/// One field of a Go struct that matters to its JSON shape.
pub(super) struct Field {
    /// The JSON name.
    pub(super) name: &'static str,
    /// What Go writes when the field is unset, if it writes anything.
    pub(super) zero: Option<Zero>,
    /// What to look into when the field is set.
    pub(super) walk: Walk,
}

/// The JSON Go writes for an unset field.
#[derive(Clone, Copy)]
pub(super) enum Zero {
    /// `""`.
    Str,
    /// `0` (Go prints a zero float the same way).
    Int,
    /// `false`.
    Bool,
    /// `null`: a nil pointer, slice or map, or a zero time.
    Null,
    /// `"0"`: a zero resource.Quantity.
    Quantity,
    /// `0`: a zero IntOrString.
    IntOrString,
    /// `{}`: a struct whose zero value writes nothing more.
    EmptyStruct,
    /// The zero value of the struct at this index of `TYPES`.
    Struct(u16),
}

/// What a set field holds that needs shaping.
#[derive(Clone, Copy)]
pub(super) enum Walk {
    /// Nothing.
    No,
    /// A struct (or pointer to one) at this index of `TYPES`.
    Struct(u16),
    /// A slice of such structs.
    Each(u16),
    /// A map with such structs as values.
    Values(u16),
    /// A resource.Quantity.
    Quantity,
    /// A slice of quantities.
    Quantities,
    /// A map of quantities.
    QuantityValues,
    /// A core/v1 ResourceList, which core defaulting rounds up to milli units.
    ResourceList,
}

/// Gives `object` the shape Go encoding gives the kind; unknown kinds are
/// left alone.
pub(super) fn apply(group: &str, version: &str, kind: &str, object: &mut Object) {
    let Some(&(_, _, _, index)) = ROOTS.iter().find(|(g, v, k, _)| *g == group && *v == version && *k == kind) else {
        return;
    };
    // Only groups whose generated defaulters include core's round resource lists.
    let round = matches!(group, "" | "apps" | "batch");
    shape_struct(index, object, round);
}

fn shape_struct(index: u16, object: &mut Object, round: bool) {
    let Some(fields) = TYPES.get(usize::from(index)) else { return };
    for field in fields.iter() {
        match object.get_mut(field.name) {
            None | Some(Value::Null) => {
                if let Some(zero) = field.zero {
                    object.insert(field.name.to_owned(), zero_value(zero, round));
                }
            }
            Some(value) => walk(field.walk, value, round),
        }
    }
}

fn walk(walk: Walk, value: &mut Value, round: bool) {
    match walk {
        Walk::No => {}
        Walk::Struct(index) => {
            if let Some(object) = value.as_object_mut() {
                shape_struct(index, object, round);
            }
        }
        Walk::Each(index) => {
            for object in value.as_array_mut().into_iter().flatten().filter_map(Value::as_object_mut) {
                shape_struct(index, object, round);
            }
        }
        Walk::Values(index) => {
            for object in
                value.as_object_mut().into_iter().flat_map(|m| m.values_mut()).filter_map(Value::as_object_mut)
            {
                shape_struct(index, object, round);
            }
        }
        Walk::Quantity => quantity::canonicalize(value, false),
        Walk::Quantities => {
            for item in value.as_array_mut().into_iter().flatten() {
                quantity::canonicalize(item, false);
            }
        }
        Walk::QuantityValues | Walk::ResourceList => {
            let round = round && matches!(walk, Walk::ResourceList);
            for item in value.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
                quantity::canonicalize(item, round);
            }
        }
    }
}

fn zero_value(zero: Zero, round: bool) -> Value {
    match zero {
        Zero::Str => Value::String(String::new()),
        Zero::Int | Zero::IntOrString => Value::from(0),
        Zero::Bool => Value::Bool(false),
        Zero::Null => Value::Null,
        Zero::Quantity => Value::String("0".to_owned()),
        Zero::EmptyStruct => Value::Object(Object::new()),
        Zero::Struct(index) => {
            let mut object = Object::new();
            shape_struct(index, &mut object, round);
            Value::Object(object)
        }
    }
}
