//! CustomResourceDefinitions served as apiextensions-apiserver serves them:
//! each established CRD becomes one catalog entry per served version
//! ([`resource_specs`]), with what is special about custom resources kept in
//! a [`CustomResource`] (the version's structural schema, printer columns,
//! scale paths). The controller ([`controller`]) keeps the registry's catalog
//! in step with the stored CRDs; [`schema`] prunes, defaults and validates
//! custom objects; [`validation`] checks CRDs themselves; [`columns`] prints
//! their Tables.

pub mod columns;
pub mod controller;
pub mod schema;
pub mod validation;

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use crate::catalog::{ResourceSpec, SubresourceSpec};

/// The group of CustomResourceDefinitions.
pub const GROUP: &str = "apiextensions.k8s.io";
/// The finalizer that keeps a deleted CRD until its objects are gone.
pub const CLEANUP_FINALIZER: &str = "customresourcecleanup.apiextensions.k8s.io";

/// The scale subresource's paths (`spec.versions[].subresources.scale`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalePaths {
    /// `.spec.replicas`.
    pub spec_replicas: String,
    /// `.status.replicas`.
    pub status_replicas: String,
    /// `.status.selector` (optional).
    pub label_selector: Option<String>,
}

/// What a custom resource version adds to its catalog entry.
#[derive(Clone, Debug)]
pub struct CustomResource {
    /// The CRD's name (`<plural>.<group>`).
    pub crd_name: String,
    /// The version's `openAPIV3Schema`, when it has one.
    pub schema: Option<Value>,
    /// The Table columns after Name.
    pub columns: Vec<columns::PrinterColumn>,
    /// The scale subresource, if enabled.
    pub scale: Option<ScalePaths>,
    /// The CRD is being deleted: no new objects.
    pub terminating: bool,
}

impl CustomResource {
    /// Prunes a decoded body; returns the unknown fields' paths.
    pub fn prune(&self, object: &mut Value) -> Vec<String> {
        let mut unknown = Vec::new();
        if let Some(s) = &self.schema {
            schema::prune_object(s, object, &mut unknown);
        }
        unknown
    }

    /// Applies the schema's defaults.
    pub fn default(&self, object: &mut Value) {
        if let Some(s) = &self.schema {
            schema::default_object(s, object);
        }
    }

    /// Validates an object against the schema.
    pub fn validate(&self, object: &Value) -> Vec<crate::validation::field::FieldError> {
        match &self.schema {
            Some(s) => schema::validate_object(s, object),
            None => Vec::new(),
        }
    }
}

/// The verbs of a custom resource, in kube-apiserver's discovery order.
const VERBS: &[&str] = &["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];

/// Kubernetes' version priority: GA before beta before alpha, higher
/// numbers first, then anything else alphabetically.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    fn parse(v: &str) -> Option<(u64, u8, u64)> {
        let rest = v.strip_prefix('v')?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let major: u64 = digits.parse().ok()?;
        if major == 0 {
            return None;
        }
        let tail = &rest[digits.len()..];
        if tail.is_empty() {
            return Some((major, 2, 0));
        }
        let (level, n) = if let Some(n) = tail.strip_prefix("beta") {
            (1, n)
        } else if let Some(n) = tail.strip_prefix("alpha") {
            (0, n)
        } else {
            return None;
        };
        let minor: u64 = n.parse().ok()?;
        Some((major, level, minor))
    }
    match (parse(a), parse(b)) {
        (Some((ma, la, na)), Some((mb, lb, nb))) => lb.cmp(&la).then(mb.cmp(&ma)).then(nb.cmp(&na)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
}

/// The names a CRD asks for (`spec.names`, with upstream's defaults for
/// singular and listKind).
pub fn requested_names(crd: &Value) -> Value {
    let mut names = crd["spec"]["names"].clone();
    if !names.is_object() {
        names = json!({});
    }
    let kind = names["kind"].as_str().unwrap_or("").to_string();
    if names["singular"].as_str().is_none_or(str::is_empty) {
        names["singular"] = json!(kind.to_lowercase());
    }
    if names["listKind"].as_str().is_none_or(str::is_empty) && !kind.is_empty() {
        names["listKind"] = json!(format!("{kind}List"));
    }
    names
}

/// The storage version of a CRD.
pub fn storage_version(crd: &Value) -> Option<String> {
    crd["spec"]["versions"]
        .as_array()?
        .iter()
        .find(|v| v["storage"].as_bool() == Some(true))
        .and_then(|v| v["name"].as_str())
        .map(str::to_string)
}

/// The catalog entries of a CRD: one per served version, named by
/// `names` (the accepted names).
pub fn resource_specs(crd: &Value, names: &Value) -> Vec<ResourceSpec> {
    let spec = &crd["spec"];
    let group = spec["group"].as_str().unwrap_or("").to_string();
    let plural = names["plural"].as_str().unwrap_or("").to_string();
    let kind = names["kind"].as_str().unwrap_or("").to_string();
    if group.is_empty() || plural.is_empty() || kind.is_empty() {
        return Vec::new();
    }
    let Some(storage_version) = storage_version(crd) else { return Vec::new() };
    let singular =
        names["singular"].as_str().filter(|s| !s.is_empty()).map_or_else(|| kind.to_lowercase(), str::to_string);
    let list_kind =
        names["listKind"].as_str().filter(|s| !s.is_empty()).map_or_else(|| format!("{kind}List"), str::to_string);
    let namespaced = spec["scope"].as_str() != Some("Cluster");
    let crd_name = crd["metadata"]["name"].as_str().unwrap_or("").to_string();
    let terminating = crd["metadata"]["deletionTimestamp"].is_string();
    let mut out = Vec::new();
    for v in spec["versions"].as_array().map(Vec::as_slice).unwrap_or_default() {
        if v["served"].as_bool() != Some(true) {
            continue;
        }
        let Some(version) = v["name"].as_str() else { continue };
        let has_status = v["subresources"]["status"].is_object();
        let scale = v["subresources"]["scale"].as_object().map(|s| ScalePaths {
            spec_replicas: s.get("specReplicasPath").and_then(Value::as_str).unwrap_or(".spec.replicas").to_string(),
            status_replicas: s
                .get("statusReplicasPath")
                .and_then(Value::as_str)
                .unwrap_or(".status.replicas")
                .to_string(),
            label_selector: s.get("labelSelectorPath").and_then(Value::as_str).map(str::to_string),
        });
        let mut subresources = Vec::new();
        if has_status {
            subresources.push(SubresourceSpec {
                name: "status".into(),
                group: group.clone(),
                version: version.into(),
                kind: kind.clone(),
                verbs: vec!["get".into(), "patch".into(), "update".into()],
            });
        }
        if scale.is_some() {
            subresources.push(SubresourceSpec {
                name: "scale".into(),
                group: "autoscaling".into(),
                version: "v1".into(),
                kind: "Scale".into(),
                verbs: vec!["get".into(), "patch".into(), "update".into()],
            });
        }
        let custom = CustomResource {
            crd_name: crd_name.clone(),
            schema: v["schema"]["openAPIV3Schema"].as_object().map(|s| Value::Object(s.clone())),
            columns: columns::from_version(v),
            scale,
            terminating,
        };
        out.push(ResourceSpec::custom(crate::catalog::CustomSpec {
            group: group.clone(),
            version: version.to_string(),
            kind: kind.clone(),
            list_kind: list_kind.clone(),
            plural: plural.clone(),
            singular: singular.clone(),
            short_names: strings(&names["shortNames"]),
            categories: strings(&names["categories"]),
            namespaced,
            verbs: VERBS.iter().map(|s| s.to_string()).collect(),
            subresources,
            definition: definition_name(&group, version, &kind),
            list_definition: definition_name(&group, version, &list_kind),
            storage_prefix: format!("/registry/{group}/{plural}"),
            storage_version: storage_version.clone(),
            has_status,
            custom,
        }));
    }
    out
}

/// The OpenAPI definition name of a custom kind: the group reversed, then
/// version and kind (`io.cert-manager.v1.Certificate`), as kube-apiserver's
/// `ToRESTFriendlyName`.
pub fn definition_name(group: &str, version: &str, kind: &str) -> String {
    let reversed: Vec<&str> = group.split('.').rev().collect();
    format!("{}.{version}.{kind}", reversed.join("."))
}

/// The OpenAPI (v2 shape) definitions of a served custom kind and its list.
pub fn openapi_definitions(spec: &ResourceSpec) -> Vec<(String, Value)> {
    let Some(custom) = &spec.custom else { return Vec::new() };
    let gvk = json!([{"group": spec.group, "version": spec.version, "kind": spec.kind}]);
    let mut def = match &custom.schema {
        Some(s) => strip_for_openapi(s),
        None => json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
    };
    let props = def.as_object_mut().map(|m| m.entry("properties").or_insert_with(|| json!({})));
    if let Some(Value::Object(props)) = props {
        props.insert("apiVersion".into(), json!({"description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources", "type": "string"}));
        props.insert("kind".into(), json!({"description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds", "type": "string"}));
        props.insert("metadata".into(), json!({"description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", "$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}));
    }
    def["x-kubernetes-group-version-kind"] = gvk;
    let list_gvk = json!([{"group": spec.group, "version": spec.version, "kind": spec.list_kind}]);
    let list = json!({
        "description": format!("{} is a list of {}", spec.list_kind, spec.kind),
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {"type": "string"},
            "items": {"type": "array", "items": {"$ref": format!("#/definitions/{}", spec.definition)}},
            "kind": {"type": "string"},
            "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"},
        },
        "x-kubernetes-group-version-kind": list_gvk,
    });
    vec![(spec.definition.clone(), def), (spec.list_definition.clone(), list)]
}

/// A schema as published: what only the server needs (defaults stay, CEL
/// rules and nested metadata details go) is dropped.
fn strip_for_openapi(s: &Value) -> Value {
    match s {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                match k.as_str() {
                    "x-kubernetes-validations" => {}
                    "properties" | "patternProperties" | "definitions" => {
                        let props = v
                            .as_object()
                            .map(|ps| ps.iter().map(|(pk, pv)| (pk.clone(), strip_for_openapi(pv))).collect())
                            .unwrap_or_default();
                        out.insert(k.clone(), Value::Object(props));
                    }
                    _ => {
                        out.insert(k.clone(), strip_for_openapi(v));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(strip_for_openapi).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_by_kubernetes_priority() {
        let mut vs = vec!["v1alpha1", "foo", "v2beta1", "v1", "v2", "v1beta2", "v1beta1", "bar"];
        vs.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(vs, vec!["v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "bar", "foo"]);
    }

    #[test]
    fn a_crd_becomes_one_entry_per_served_version() {
        let crd = json!({
            "metadata": {"name": "widgets.example.com"},
            "spec": {
                "group": "example.com",
                "scope": "Namespaced",
                "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"], "categories": ["all"]},
                "versions": [
                    {"name": "v1", "served": true, "storage": true, "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.size", "statusReplicasPath": ".status.size"}},
                     "schema": {"openAPIV3Schema": {"type": "object"}}},
                    {"name": "v1beta1", "served": true, "storage": false, "schema": {"openAPIV3Schema": {"type": "object"}}},
                    {"name": "v1alpha1", "served": false, "storage": false, "schema": {"openAPIV3Schema": {"type": "object"}}}
                ]
            }
        });
        let specs = resource_specs(&crd, &requested_names(&crd));
        assert_eq!(specs.len(), 2);
        let v1 = &specs[0];
        assert_eq!((v1.singular.as_str(), v1.list_kind.as_str()), ("widget", "WidgetList"));
        assert_eq!(v1.key("ns", "a"), "/registry/example.com/widgets/ns/a");
        assert_eq!(v1.definition, "com.example.v1.Widget");
        assert!(v1.has_status && v1.subresource("scale").is_some());
        assert_eq!(specs[1].storage_version, "v1");
        assert!(!specs[1].has_status && !specs[1].is_storage_form());
    }
}
