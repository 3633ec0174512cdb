//! The resource catalog: one entry per resource and served version, with
//! everything that differs between resources (names, scope, verbs,
//! subresources, storage key, selectable fields, and the per-resource
//! strategy hooks). The generic registry reads only this.
//!
//! Built-in entries come from `builtin.rs` (Kubernetes 1.35 discovery data);
//! custom resources will join at run time.

pub mod builtin;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;

use crate::strategy::{self, Hooks};
use crate::validation::{self, NameRule};

/// A subresource of a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubresourceSpec {
    /// Its name (`status`, `scale`, ...).
    pub name: String,
    /// The group, version and kind of its object.
    pub group: String,
    /// Version of its object.
    pub version: String,
    /// Kind of its object.
    pub kind: String,
    /// Verbs it supports.
    pub verbs: Vec<String>,
}

/// One resource in one served group-version.
#[derive(Clone)]
pub struct ResourceSpec {
    /// API group, "" for core.
    pub group: String,
    /// Served version.
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Kind of lists.
    pub list_kind: String,
    /// Plural (URL segment).
    pub plural: String,
    /// Singular.
    pub singular: String,
    /// Short names.
    pub short_names: Vec<String>,
    /// Categories (`all`, ...).
    pub categories: Vec<String>,
    /// Namespaced or cluster-scoped.
    pub namespaced: bool,
    /// Verbs of the main resource.
    pub verbs: Vec<String>,
    /// Subresources.
    pub subresources: Vec<SubresourceSpec>,
    /// OpenAPI definition of the kind in this version.
    pub definition: String,
    /// OpenAPI definition of its list.
    pub list_definition: String,
    /// etcd key prefix ("" when not stored).
    pub storage_prefix: String,
    /// The group objects are stored in: the resource's own group except for
    /// events.k8s.io Events, which kube-apiserver keeps as core v1 Events.
    pub storage_group: String,
    /// The version objects are stored in.
    pub storage_version: String,
    /// Field labels accepted in field selectors, besides metadata.name and metadata.namespace.
    pub field_selectors: Vec<String>,
    /// Whether there is a status subresource (status ignored on main writes,
    /// generation bumped on spec changes).
    pub has_status: bool,
    /// Whether objects have a protobuf form (every built-in does).
    pub protobuf: bool,
    /// The name rule for objects.
    pub name_rule: NameRule,
    /// Per-resource behaviour.
    pub hooks: &'static Hooks,
    /// The built-in entry this came from (None for custom resources).
    pub builtin: Option<&'static builtin::BuiltinResource>,
    /// What a custom resource adds (None for built-ins).
    pub custom: Option<Arc<crate::crd::CustomResource>>,
}

/// The parts of a custom resource's catalog entry that come from its CRD.
pub struct CustomSpec {
    /// API group.
    pub group: String,
    /// Served version.
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Kind of lists.
    pub list_kind: String,
    /// Plural.
    pub plural: String,
    /// Singular.
    pub singular: String,
    /// Short names.
    pub short_names: Vec<String>,
    /// Categories.
    pub categories: Vec<String>,
    /// Namespaced or cluster-scoped.
    pub namespaced: bool,
    /// Verbs.
    pub verbs: Vec<String>,
    /// Subresources.
    pub subresources: Vec<SubresourceSpec>,
    /// OpenAPI definition name.
    pub definition: String,
    /// OpenAPI definition name of the list.
    pub list_definition: String,
    /// `/registry/<group>/<plural>`.
    pub storage_prefix: String,
    /// The CRD's storage version.
    pub storage_version: String,
    /// Whether the status subresource is enabled.
    pub has_status: bool,
    /// Schema, columns, scale.
    pub custom: crate::crd::CustomResource,
}

impl std::fmt::Debug for ResourceSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ResourceSpec({}/{} {})", self.group, self.version, self.plural)
    }
}

impl ResourceSpec {
    fn from_builtin(b: &'static builtin::BuiltinResource) -> Self {
        let list_kind = b
            .list_definition
            .rsplit('.')
            .next()
            .filter(|s| !s.is_empty())
            .map_or_else(|| format!("{}List", b.kind), str::to_string);
        let owned = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        ResourceSpec {
            group: b.group.into(),
            version: b.version.into(),
            kind: b.kind.into(),
            list_kind,
            plural: b.plural.into(),
            singular: b.singular.into(),
            short_names: owned(b.short_names),
            categories: owned(b.categories),
            namespaced: b.namespaced,
            verbs: owned(b.verbs),
            subresources: b
                .subresources
                .iter()
                .map(|s| SubresourceSpec {
                    name: s.name.into(),
                    group: s.group.into(),
                    version: s.version.into(),
                    kind: s.kind.into(),
                    verbs: owned(s.verbs),
                })
                .collect(),
            definition: b.definition.into(),
            list_definition: b.list_definition.into(),
            storage_prefix: b.storage_prefix.into(),
            storage_group: b.storage_group().into(),
            storage_version: b.storage_version.into(),
            field_selectors: owned(b.field_selectors),
            has_status: b.has_status,
            protobuf: true,
            name_rule: validation::name_rule(b.group, b.plural),
            hooks: strategy::hooks_for(b.group, b.plural),
            builtin: Some(b),
            custom: None,
        }
    }

    /// The entry of a custom resource version.
    pub fn custom(c: CustomSpec) -> Self {
        ResourceSpec {
            name_rule: NameRule::DnsSubdomain,
            hooks: strategy::custom_hooks(c.has_status),
            group: c.group.clone(),
            version: c.version,
            kind: c.kind,
            list_kind: c.list_kind,
            plural: c.plural,
            singular: c.singular,
            short_names: c.short_names,
            categories: c.categories,
            namespaced: c.namespaced,
            verbs: c.verbs,
            subresources: c.subresources,
            definition: c.definition,
            list_definition: c.list_definition,
            storage_prefix: c.storage_prefix,
            storage_group: c.group,
            storage_version: c.storage_version,
            field_selectors: Vec::new(),
            has_status: c.has_status,
            protobuf: false,
            builtin: None,
            custom: Some(Arc::new(c.custom)),
        }
    }

    /// The field a field-selector label selects (`spec.host` is pods'
    /// alias of `spec.nodeName`), or `None` if the resource does not support it.
    pub fn field_label(&self, label: &str) -> Option<String> {
        match self.builtin {
            Some(b) => b.field_label(label).map(str::to_string),
            None => matches!(label, "metadata.name" | "metadata.namespace").then(|| label.to_string()),
        }
    }

    /// `apps/v1`, or `v1` for core.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() { self.version.clone() } else { format!("{}/{}", self.group, self.version) }
    }

    /// The group and resource, as error messages name them.
    pub fn group_resource(&self) -> crate::errors::GroupResource<'_> {
        crate::errors::GroupResource { group: &self.group, resource: &self.plural }
    }

    /// Whether the main resource supports `verb`.
    pub fn supports(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }

    /// A subresource by name.
    pub fn subresource(&self, name: &str) -> Option<&SubresourceSpec> {
        self.subresources.iter().find(|s| s.name == name)
    }

    /// Whether this group-version is the one objects are stored in, so
    /// reads and writes need no conversion.
    pub fn is_storage_form(&self) -> bool {
        self.group == self.storage_group && self.version == self.storage_version
    }

    /// Whether objects are kept in the store.
    pub fn is_stored(&self) -> bool {
        !self.storage_prefix.is_empty()
    }

    /// The store key of an object.
    pub fn key(&self, namespace: &str, name: &str) -> String {
        if self.namespaced {
            format!("{}/{}/{}", self.storage_prefix, namespace, name)
        } else {
            format!("{}/{}", self.storage_prefix, name)
        }
    }

    /// The store key prefix of a namespace's objects, or of all objects.
    pub fn key_prefix(&self, namespace: &str) -> String {
        if self.namespaced && !namespace.is_empty() {
            format!("{}/{}/", self.storage_prefix, namespace)
        } else {
            format!("{}/", self.storage_prefix)
        }
    }

    /// The values of the selectable fields of an object, for field selectors.
    pub fn field_values(&self, object: &Value) -> BTreeMap<String, String> {
        let mut fields = BTreeMap::new();
        let meta = &object["metadata"];
        fields.insert("metadata.name".into(), meta["name"].as_str().unwrap_or("").to_string());
        if self.namespaced {
            fields.insert("metadata.namespace".into(), meta["namespace"].as_str().unwrap_or("").to_string());
        }
        for label in &self.field_selectors {
            fields.insert(label.clone(), (self.hooks.field_value)(object, label));
        }
        fields
    }
}

/// Every resource served, with indexes.
pub struct Catalog {
    resources: Vec<Arc<ResourceSpec>>,
    by_path: HashMap<(String, String, String), usize>,
    groups: Vec<(String, Vec<String>)>,
    /// OpenAPI definitions of the custom kinds (and their lists).
    custom_definitions: BTreeMap<String, Value>,
}

impl Catalog {
    /// The built-in resources of Kubernetes 1.35.
    pub fn builtin() -> Self {
        let resources: Vec<Arc<ResourceSpec>> =
            builtin::BUILTIN_RESOURCES.iter().map(|b| Arc::new(ResourceSpec::from_builtin(b))).collect();
        let mut by_path = HashMap::new();
        for (i, r) in resources.iter().enumerate() {
            by_path.insert((r.group.clone(), r.version.clone(), r.plural.clone()), i);
        }
        // Groups in discovery order, each with its versions, preferred first.
        let mut groups: Vec<(String, Vec<String>)> = vec![(String::new(), vec!["v1".to_string()])];
        for (group, preferred) in builtin::GROUPS {
            let mut versions: Vec<String> = Vec::new();
            for r in resources.iter().filter(|r| r.group == *group) {
                if !versions.contains(&r.version) {
                    versions.push(r.version.clone());
                }
            }
            versions.sort_by_key(|v| (v != preferred, std::cmp::Reverse(v.clone())));
            if !versions.is_empty() {
                groups.push((group.to_string(), versions));
            }
        }
        Self { resources, by_path, groups, custom_definitions: BTreeMap::new() }
    }

    /// This catalog with custom resources added after the built-ins (their
    /// groups after the built-in groups, versions by Kubernetes' version
    /// priority, preferred first). A custom entry that would shadow a
    /// built-in path is left out.
    pub fn with_custom(&self, custom: Vec<Arc<ResourceSpec>>) -> Self {
        let mut resources = self.resources.clone();
        let mut by_path = self.by_path.clone();
        let mut groups = self.groups.clone();
        let mut custom_definitions = self.custom_definitions.clone();
        for r in custom {
            let path = (r.group.clone(), r.version.clone(), r.plural.clone());
            if by_path.contains_key(&path)
                || groups.iter().any(|(g, _)| *g == r.group && self.resources.iter().any(|b| b.group == r.group))
            {
                continue;
            }
            match groups.iter_mut().find(|(g, _)| *g == r.group) {
                Some((_, versions)) => {
                    if !versions.contains(&r.version) {
                        versions.push(r.version.clone());
                        versions.sort_by(|a, b| crate::crd::compare_versions(a, b));
                    }
                }
                None => groups.push((r.group.clone(), vec![r.version.clone()])),
            }
            custom_definitions.extend(crate::crd::openapi_definitions(&r));
            by_path.insert(path, resources.len());
            resources.push(r);
        }
        Self { resources, by_path, groups, custom_definitions }
    }

    /// OpenAPI definitions of the custom kinds, by name.
    pub fn custom_definitions(&self) -> &BTreeMap<String, Value> {
        &self.custom_definitions
    }

    /// A resource by group, version and plural.
    pub fn get(&self, group: &str, version: &str, plural: &str) -> Option<&Arc<ResourceSpec>> {
        self.by_path.get(&(group.to_string(), version.to_string(), plural.to_string())).map(|&i| &self.resources[i])
    }

    /// Every resource.
    pub fn all(&self) -> &[Arc<ResourceSpec>] {
        &self.resources
    }

    /// The resources of one group-version, in catalog order.
    pub fn in_version<'a>(
        &'a self,
        group: &'a str,
        version: &'a str,
    ) -> impl Iterator<Item = &'a Arc<ResourceSpec>> + 'a {
        self.resources.iter().filter(move |r| r.group == group && r.version == version)
    }

    /// Groups in discovery order, with their versions (preferred first).
    pub fn groups(&self) -> &[(String, Vec<String>)] {
        &self.groups
    }

    /// The resource kept under a storage prefix in its storage version (the
    /// one the registry reads and writes).
    pub fn storage_resource(&self, r: &ResourceSpec) -> Arc<ResourceSpec> {
        self.get(&r.storage_group, &r.storage_version, &r.plural).cloned().unwrap_or_else(|| Arc::new(r.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_indexes() {
        let c = Catalog::builtin();
        let pods = c.get("", "v1", "pods").unwrap();
        assert!(pods.namespaced && pods.has_status);
        assert_eq!(pods.key("ns", "p"), "/registry/pods/ns/p");
        assert_eq!(c.get("", "v1", "nodes").unwrap().key("", "n"), "/registry/minions/n");
        assert_eq!(c.get("", "v1", "services").unwrap().key_prefix("ns"), "/registry/services/specs/ns/");
        assert_eq!(c.groups()[0].0, "");
        let autoscaling = c.groups().iter().find(|(g, _)| g == "autoscaling").unwrap();
        assert_eq!(autoscaling.1, vec!["v2", "v1"]);
        let hpa_v1 = c.get("autoscaling", "v1", "horizontalpodautoscalers").unwrap();
        assert_eq!(c.storage_resource(hpa_v1).version, "v2");
    }
}
