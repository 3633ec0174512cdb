//! Discovery, from the catalog: `/api`, `/apis`, `/apis/G`, `/api/v1`,
//! `/apis/G/V` (APIVersions, APIGroupList, APIGroup, APIResourceList), and
//! aggregated discovery (`apidiscovery.k8s.io` v2 and v2beta1
//! APIGroupDiscoveryList), which kubectl asks for first. The documents are
//! built once and served with an ETag.

use base64::Engine;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::catalog::{Catalog, ResourceSpec};

/// Prebuilt discovery documents.
pub struct Discovery {
    /// `/api` (APIVersions); the server address is added per request.
    pub api_versions: Value,
    /// `/apis` (APIGroupList).
    pub group_list: Value,
    /// `/apis/G` (APIGroup), by group.
    pub groups: Vec<(String, Value)>,
    /// `/api/v1` and `/apis/G/V` (APIResourceList), by group-version.
    pub resource_lists: Vec<(String, Value)>,
    /// Aggregated discovery of the core group (`/api`), by version (v2, v2beta1).
    pub aggregated_core: Vec<(String, Value)>,
    /// Aggregated discovery of the named groups (`/apis`), by version.
    pub aggregated_groups: Vec<(String, Value)>,
}

/// `storageVersionHash`: the first 8 bytes of the SHA-256 of the storage
/// version's "group/version/kind", base64.
fn storage_version_hash(r: &ResourceSpec) -> String {
    let gvk = format!("{}/{}/{}", r.group, r.storage_version, r.kind);
    let sum = Sha256::digest(gvk.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(&sum[..8])
}

fn group_version(group: &str, version: &str) -> String {
    if group.is_empty() { version.to_string() } else { format!("{group}/{version}") }
}

fn resource_list(group: &str, version: &str, resources: &[&ResourceSpec]) -> Value {
    let mut items = Vec::new();
    for r in resources {
        let mut m = Map::new();
        m.insert("name".into(), json!(r.plural));
        m.insert("singularName".into(), json!(r.singular));
        m.insert("namespaced".into(), json!(r.namespaced));
        m.insert("kind".into(), json!(r.kind));
        m.insert("verbs".into(), json!(r.verbs));
        if !r.short_names.is_empty() {
            m.insert("shortNames".into(), json!(r.short_names));
        }
        if !r.categories.is_empty() {
            m.insert("categories".into(), json!(r.categories));
        }
        if r.is_stored() {
            m.insert("storageVersionHash".into(), json!(storage_version_hash(r)));
        }
        items.push(Value::Object(m));
        for s in &r.subresources {
            let mut m = Map::new();
            m.insert("name".into(), json!(format!("{}/{}", r.plural, s.name)));
            m.insert("singularName".into(), json!(""));
            m.insert("namespaced".into(), json!(r.namespaced));
            if s.group != r.group || s.version != r.version {
                m.insert("group".into(), json!(s.group));
                m.insert("version".into(), json!(s.version));
            }
            m.insert("kind".into(), json!(s.kind));
            m.insert("verbs".into(), json!(s.verbs));
            items.push(Value::Object(m));
        }
    }
    let mut list =
        json!({"kind": "APIResourceList", "groupVersion": group_version(group, version), "resources": items});
    if !group.is_empty() {
        list["apiVersion"] = json!("v1");
    }
    list
}

fn aggregated_group(catalog: &Catalog, group: &str, versions: &[String]) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| {
            let resources: Vec<Value> = catalog
                .in_version(group, v)
                .map(|r| {
                    let mut m = Map::new();
                    m.insert("resource".into(), json!(r.plural));
                    m.insert("responseKind".into(), json!({"group": "", "version": "", "kind": r.kind}));
                    m.insert("scope".into(), json!(if r.namespaced { "Namespaced" } else { "Cluster" }));
                    m.insert("singularResource".into(), json!(r.singular));
                    m.insert("verbs".into(), json!(r.verbs));
                    if !r.short_names.is_empty() {
                        m.insert("shortNames".into(), json!(r.short_names));
                    }
                    if !r.categories.is_empty() {
                        m.insert("categories".into(), json!(r.categories));
                    }
                    if !r.subresources.is_empty() {
                        let subs: Vec<Value> = r
                            .subresources
                            .iter()
                            .map(|s| {
                                let (g, ver) = if s.group == r.group && s.version == r.version { ("", "") } else { (s.group.as_str(), s.version.as_str()) };
                                json!({"subresource": s.name, "responseKind": {"group": g, "version": ver, "kind": s.kind}, "verbs": s.verbs})
                            })
                            .collect();
                        m.insert("subresources".into(), Value::Array(subs));
                    }
                    Value::Object(m)
                })
                .collect();
            json!({"version": v, "resources": resources, "freshness": "Current"})
        })
        .collect();
    json!({"metadata": {"name": group, "creationTimestamp": null}, "versions": versions})
}

impl Discovery {
    /// Builds every document from the catalog.
    pub fn build(catalog: &Catalog) -> Self {
        let mut groups = Vec::new();
        let mut group_entries = Vec::new();
        let mut resource_lists = Vec::new();
        let mut aggregated_items = Vec::new();
        let mut core_item = json!(null);
        for (group, versions) in catalog.groups() {
            for v in versions {
                let rs: Vec<&ResourceSpec> = catalog.in_version(group, v).map(|r| r.as_ref()).collect();
                resource_lists.push((group_version(group, v), resource_list(group, v, &rs)));
            }
            if group.is_empty() {
                core_item = aggregated_group(catalog, group, versions);
                continue;
            }
            let gv = |v: &String| json!({"groupVersion": group_version(group, v), "version": v});
            let entry = json!({
                "name": group,
                "versions": versions.iter().map(gv).collect::<Vec<_>>(),
                "preferredVersion": gv(&versions[0]),
            });
            let mut doc = entry.clone();
            doc["kind"] = json!("APIGroup");
            doc["apiVersion"] = json!("v1");
            groups.push((group.clone(), doc));
            group_entries.push(entry);
            aggregated_items.push(aggregated_group(catalog, group, versions));
        }
        let aggregated = |items: Vec<Value>, version: &str| json!({"kind": "APIGroupDiscoveryList", "apiVersion": format!("apidiscovery.k8s.io/{version}"), "metadata": {}, "items": items});
        Discovery {
            api_versions: json!({"kind": "APIVersions", "versions": ["v1"]}),
            group_list: json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": group_entries}),
            groups,
            resource_lists,
            aggregated_core: ["v2", "v2beta1"]
                .iter()
                .map(|v| (v.to_string(), aggregated(vec![core_item.clone()], v)))
                .collect(),
            aggregated_groups: ["v2", "v2beta1"]
                .iter()
                .map(|v| (v.to_string(), aggregated(aggregated_items.clone(), v)))
                .collect(),
        }
    }

    /// The APIGroup document of a group.
    pub fn group(&self, name: &str) -> Option<&Value> {
        self.groups.iter().find(|(g, _)| g == name).map(|(_, v)| v)
    }

    /// The APIResourceList of a group-version.
    pub fn resources(&self, group_version: &str) -> Option<&Value> {
        self.resource_lists.iter().find(|(gv, _)| gv == group_version).map(|(_, v)| v)
    }

    /// An aggregated document by prefix (`api` or `apis`) and version.
    pub fn aggregated(&self, prefix: &str, version: &str) -> Option<&Value> {
        let docs = if prefix == "api" { &self.aggregated_core } else { &self.aggregated_groups };
        docs.iter().find(|(v, _)| v == version).map(|(_, d)| d)
    }
}

/// A strong ETag of a document (the hex SHA-256 of its JSON).
pub fn etag(body: &[u8]) -> String {
    let sum = Sha256::digest(body);
    format!("\"{}\"", hex_upper(&sum))
}

/// Upper-case hex.
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_look_like_kube_apiservers() {
        let d = Discovery::build(&Catalog::builtin());
        let core = d.resources("v1").unwrap();
        assert!(core.get("apiVersion").is_none(), "the core APIResourceList has no apiVersion");
        let pods = core["resources"].as_array().unwrap().iter().find(|r| r["name"] == "pods").unwrap();
        assert_eq!(pods["shortNames"], json!(["po"]));
        assert_eq!(pods["storageVersionHash"], "xPOwRZ+Yhw8=");
        let eviction = core["resources"].as_array().unwrap().iter().find(|r| r["name"] == "pods/eviction").unwrap();
        assert_eq!((eviction["group"].as_str(), eviction["version"].as_str()), (Some("policy"), Some("v1")));
        let apps = d.resources("apps/v1").unwrap();
        assert_eq!(apps["apiVersion"], "v1");
        assert_eq!(d.group("apps").unwrap()["preferredVersion"]["groupVersion"], "apps/v1");
        let agg = d.aggregated("apis", "v2").unwrap();
        let apps_item = agg["items"].as_array().unwrap().iter().find(|i| i["metadata"]["name"] == "apps").unwrap();
        let deploy = apps_item["versions"][0]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["resource"] == "deployments")
            .unwrap();
        assert_eq!(deploy["responseKind"], json!({"group": "", "version": "", "kind": "Deployment"}));
        let scale = deploy["subresources"].as_array().unwrap().iter().find(|s| s["subresource"] == "scale").unwrap();
        assert_eq!(scale["responseKind"], json!({"group": "autoscaling", "version": "v1", "kind": "Scale"}));
        assert_eq!(d.aggregated("api", "v2").unwrap()["items"][0]["metadata"]["name"], "");
    }
}
