//! The bodies of kubox's fuzz targets, one function per target, and the
//! types a target picks from with its input's first byte, so that one input
//! stream reaches every decoder path of many message and schema types.
//!
//! Each function takes any bytes and panics only on a bug. The libFuzzer
//! binaries in `fuzz_targets/` call them (coverage-guided, `fuzz/run.sh`);
//! the workspace test `tests/tests/fuzz_smoke.rs` includes this file and
//! runs them on mutated seeds for a bounded time on every CI run.

use std::collections::BTreeMap;

use kubox_api::quantity::{Format, Quantity, QuantityError};
use kubox_api::schema::Schema;
use kubox_api::selectors::{FieldSelector, LabelSelector, unescape_field_selector_value};
use serde_json::Value;

/// OpenAPI definition names (and protobuf message names) the typed targets
/// pick from: core and workload types, the ones with quantities,
/// int-or-strings, MicroTime, RawExtension, FieldsV1, recursive schemas
/// (JSONSchemaProps) and the meta types every response uses.
pub const TYPES: &[&str] = &[
    "io.k8s.api.core.v1.Pod",
    "io.k8s.api.core.v1.ConfigMap",
    "io.k8s.api.core.v1.Secret",
    "io.k8s.api.core.v1.Service",
    "io.k8s.api.core.v1.Node",
    "io.k8s.api.core.v1.Namespace",
    "io.k8s.api.core.v1.PersistentVolumeClaim",
    "io.k8s.api.core.v1.Event",
    "io.k8s.api.core.v1.PodList",
    "io.k8s.api.apps.v1.Deployment",
    "io.k8s.api.apps.v1.StatefulSet",
    "io.k8s.api.apps.v1.DaemonSet",
    "io.k8s.api.batch.v1.CronJob",
    "io.k8s.api.autoscaling.v1.Scale",
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
    "io.k8s.api.networking.v1.Ingress",
    "io.k8s.api.networking.v1.NetworkPolicy",
    "io.k8s.api.rbac.v1.ClusterRole",
    "io.k8s.api.coordination.v1.Lease",
    "io.k8s.api.events.v1.Event",
    "io.k8s.api.discovery.v1.EndpointSlice",
    "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent",
];

/// Splits an input into a type (chosen by its first byte) and the rest.
pub fn pick_type(data: &[u8]) -> Option<(&'static str, &[u8])> {
    let (first, rest) = data.split_first()?;
    Some((TYPES[usize::from(*first) % TYPES.len()], rest))
}

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target by name, in the order `fuzz/run.sh` runs them.
pub const TARGETS: &[(&str, Target)] = &[
    ("jsondup", jsondup),
    ("protobuf_decode", protobuf_decode),
    ("protobuf_envelope", protobuf_envelope),
    ("quantity", quantity),
    ("schema_decode", schema_decode),
    ("selectors", selectors),
    ("strategic_merge", strategic_merge),
];

/// The request-body JSON parser that reports duplicate fields: any bytes
/// give a value or an error, never a panic or a stack overflow.
pub fn jsondup(data: &[u8]) {
    if let Ok((value, duplicates)) = kubox_api::jsondup::parse(data) {
        // What it accepts, serde_json accepts too, with the same value
        // (the last of duplicated keys wins in both).
        let plain: serde_json::Value = serde_json::from_slice(data).expect("jsondup accepted what serde_json refuses");
        assert_eq!(plain, value);
        if duplicates.is_empty() {
            assert!(!value.to_string().is_empty());
        }
    }
}

/// The protobuf transcoder on raw message bytes of many types: malformed
/// wire data is an error, never a panic; what decodes encodes again.
pub fn protobuf_decode(data: &[u8]) {
    let Some((type_name, raw)) = pick_type(data) else { return };
    match kubox_api::protobuf::decode(type_name, raw) {
        Ok(value) => {
            // The JSON form of a decoded message is one the encoder takes.
            let _ = kubox_api::protobuf::encode(type_name, &value);
        }
        Err(kubox_api::protobuf::ProtoError::UnknownType(t)) => panic!("fuzz type list names an unknown type {t}"),
        Err(_) => {}
    }
}

/// The `k8s\0` envelope, the typed decode behind it, and protobuf watch
/// frames: hostile bytes are an error, never a panic.
pub fn protobuf_envelope(data: &[u8]) {
    let _ = kubox_api::protobuf::unwrap(data);
    let _ = kubox_api::protobuf::decode_object(data);
    // The same bytes behind the magic, so the envelope parser sees them.
    let mut enveloped = kubox_api::protobuf::MAGIC.to_vec();
    enveloped.extend_from_slice(data);
    if let Ok((api_version, kind, raw)) = kubox_api::protobuf::unwrap(&enveloped) {
        let _ = kubox_api::protobuf::decode_object(&enveloped);
        // Wrapping what was unwrapped gives an envelope that unwraps the same.
        let again = kubox_api::protobuf::wrap(&api_version, &kind, &raw);
        assert_eq!(kubox_api::protobuf::unwrap(&again), Ok((api_version, kind, raw)));
    }
    let mut rest = data;
    for _ in 0..16 {
        match kubox_api::protobuf::decode_watch_event(rest) {
            Ok((_, object, used)) => {
                let _ = kubox_api::protobuf::decode_object(&object);
                assert!(used > 0 && used <= rest.len(), "a frame used {used} of {} bytes", rest.len());
                rest = &rest[used..];
            }
            Err(_) => break,
        }
    }
}

/// Resource quantities: any string parses or is an error; a parsed
/// quantity's canonical form parses back to the same canonical form, unless
/// that form is past the documented digit limit (`MAX_DIGITS`: a huge
/// exponent that only the short fast path accepted, where kube-apiserver
/// would build a number of hundreds of megabytes) or has an exponent of
/// nine digits or more, or is a binary amount written without a binary
/// suffix (then the same value, whose own canonical form is stable).
pub fn quantity(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(q) = Quantity::parse(text) else { return };
    let canonical = q.canonical();
    // Exponents of nine digits and more: kube-apiserver computes with
    // numbers of that many digits or wraps its 32-bit scale; nothing stable
    // to compare against.
    if canonical.split_once(['e', 'E']).is_some_and(|(_, exponent)| exponent.trim_start_matches('-').len() >= 9) {
        return;
    }
    let again = match Quantity::parse(&canonical) {
        Ok(again) => again,
        Err(QuantityError::Numeric) => return,
        Err(e) => panic!("{text:?} -> {canonical:?} does not parse: {e}"),
    };
    if q.format() == Format::BinarySi && again.format() != Format::BinarySi {
        // Like kube-apiserver, a binary amount that is no multiple of 1024
        // is written as plain digits, which read back as DecimalSI and are
        // then written with a decimal suffix where one fits
        // (`922337203687.5Ki` -> `944473296576000` -> `944473296576k`).
        assert_eq!(again, q, "{text:?} -> {canonical:?} changes the value");
        let decimal = again.canonical();
        let third = match Quantity::parse(&decimal) {
            Ok(third) => third,
            Err(e) => panic!("{text:?} -> {canonical:?} -> {decimal:?} does not parse: {e}"),
        };
        assert_eq!(third.canonical(), decimal, "canonical form of {canonical:?} is not stable");
    } else {
        assert_eq!(again.canonical(), canonical, "canonical form of {text:?} is not stable");
    }
    let _ = (q.value(), q.milli_value(), q.checked_add(&again), q.checked_sub(&again), q.neg().canonical());
}

/// The schema walk a request body goes through (pruning, type checks,
/// canonical quantities and times): any JSON value decodes or is an error,
/// and the result encodes as protobuf or is an error, never a panic.
pub fn schema_decode(data: &[u8]) {
    let Some((type_name, json)) = pick_type(data) else { return };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(json) else { return };
    let schema = Schema::get();
    assert!(schema.def(type_name).is_some(), "fuzz type list names an unknown type {type_name}");
    let mut unknown = Vec::new();
    if schema.decode(type_name, &mut value, &mut unknown).is_ok() {
        // Decoding is idempotent: a decoded value has nothing left to prune.
        let mut again = value.clone();
        let mut unknown_again = Vec::new();
        schema.decode(type_name, &mut again, &mut unknown_again).expect("a decoded value decodes again");
        assert!(unknown_again.is_empty(), "unknown fields after decoding: {unknown_again:?}");
        assert_eq!(again, value, "decoding a decoded value changed it");
        let _ = kubox_api::protobuf::encode(type_name, &value);
    }
}

/// Label and field selector parsing: any string parses or is an error; a
/// parsed selector prints as a selector that parses to the same terms (a
/// label selector to the same text; a field selector's terms may come back
/// in another order, as upstream sorts the raw terms before it normalises
/// `==` to `=`).
pub fn selectors(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(selector) = LabelSelector::parse(text) {
        let printed = selector.to_string();
        let again = LabelSelector::parse(&printed).unwrap_or_else(|e| panic!("{printed:?} does not parse: {e}"));
        assert_eq!(again.to_string(), printed);
        let labels: BTreeMap<String, String> = [("app", "web"), ("tier", "1"), ("a.b/c", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(selector.matches_set(&labels), again.matches_set(&labels));
    }
    if let Ok(selector) = FieldSelector::parse(text) {
        let printed = selector.to_string();
        let again = FieldSelector::parse(&printed).unwrap_or_else(|e| panic!("{printed:?} does not parse: {e}"));
        let terms = |s: &FieldSelector| {
            let mut t: Vec<String> = s.requirements().iter().map(ToString::to_string).collect();
            t.sort();
            t
        };
        assert_eq!(terms(&again), terms(&selector), "{text:?} printed as {printed:?}");
        let fields: BTreeMap<String, String> = [("metadata.name", "x"), ("spec.nodeName", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(selector.matches(&fields), again.matches(&fields));
    }
    let _ = unescape_field_selector_value(text);
}

/// Strategic merge patch with the real schema: the input is a type byte,
/// then a JSON array `[original, patch]`; any pair applies or is an error.
pub fn strategic_merge(data: &[u8]) {
    let Some((type_name, json)) = pick_type(data) else { return };
    let Ok(Value::Array(pair)) = serde_json::from_slice::<Value>(json) else { return };
    let [original, patch] = pair.as_slice() else { return };
    let schema = Schema::get();
    assert!(schema.def(type_name).is_some(), "fuzz type list names an unknown type {type_name}");
    if let Ok(merged) = kubox_api::patch::strategic::apply(original, patch, schema, type_name) {
        // The result is an object a second patch applies to.
        let _ = kubox_api::patch::strategic::apply(&merged, patch, schema, type_name);
    }
}
