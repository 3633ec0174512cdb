//! OpenAPI: `/openapi/v2` (one Swagger 2.0 document) and `/openapi/v3` (an
//! index of per group-version OpenAPI 3.0 documents, each addressed with
//! `?hash=` so clients can cache it forever). Definitions come from the
//! embedded schema; paths from the catalog. kubectl reads these for
//! `kubectl explain`, and before using server-side field validation or
//! dry-run it checks that the PATCH operation of the resource's path takes
//! the `fieldValidation` / `dryRun` query parameters.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha512};

use crate::catalog::{Catalog, ResourceSpec};
use crate::discovery::hex_upper;
use crate::schema::Schema;

/// The version the documents report.
pub const KUBERNETES_VERSION: &str = "v1.35.0";

/// One built document, with its serialized form and hash.
pub struct Doc {
    /// The JSON bytes.
    pub body: Vec<u8>,
    /// Upper-case hex SHA-512 of the body (the `?hash=` value and ETag).
    pub hash: String,
}

impl Doc {
    fn new(v: &Value) -> Self {
        let body = serde_json::to_vec(v).unwrap_or_default();
        let hash = hex_upper(&Sha512::digest(&body));
        Self { body, hash }
    }
}

/// Every OpenAPI document, built on first use.
pub struct OpenApi {
    v2: OnceLock<Doc>,
    v2_protobuf: OnceLock<Result<Doc, String>>,
    v3: OnceLock<(Doc, BTreeMap<String, Doc>)>,
    catalog: std::sync::Arc<Catalog>,
}

impl OpenApi {
    /// Documents for a catalog.
    pub fn new(catalog: std::sync::Arc<Catalog>) -> Self {
        Self { v2: OnceLock::new(), v2_protobuf: OnceLock::new(), v3: OnceLock::new(), catalog }
    }

    /// The Swagger 2.0 document.
    pub fn v2(&self) -> &Doc {
        self.v2.get_or_init(|| Doc::new(&build_v2(&self.catalog)))
    }

    /// The Swagger 2.0 document as gnostic protobuf (what kubectl's
    /// `OpenAPISchema()` asks for), converted from the JSON one. Like
    /// kube-apiserver, it carries the JSON document's hash as its ETag: the
    /// two differ by `Accept`, which the responses name in `Vary`.
    pub fn v2_protobuf(&self) -> Result<&Doc, &str> {
        let built = self.v2_protobuf.get_or_init(|| {
            let json = self.v2();
            let started = std::time::Instant::now();
            let doc: Value = serde_json::from_slice(&json.body).map_err(|e| e.to_string())?;
            let body = crate::openapi_pb::swagger_to_protobuf(&doc)?;
            tracing::debug!(bytes = body.len(), elapsed = ?started.elapsed(), "built the protobuf OpenAPI v2 document");
            Ok(Doc { body, hash: json.hash.clone() })
        });
        built.as_ref().map_err(String::as_str)
    }

    /// The v3 index and the per group-version documents (keyed `api/v1`, `apis/apps/v1`).
    pub fn v3(&self) -> &(Doc, BTreeMap<String, Doc>) {
        self.v3.get_or_init(|| build_v3(&self.catalog))
    }
}

struct Param {
    name: &'static str,
    description: &'static str,
    ty: &'static str,
}

const PRETTY: Param = Param {
    name: "pretty",
    description: "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
    ty: "string",
};
const DRY_RUN: Param = Param {
    name: "dryRun",
    description: "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed",
    ty: "string",
};
const FIELD_MANAGER: Param = Param {
    name: "fieldManager",
    description: "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.",
    ty: "string",
};
const FIELD_VALIDATION: Param = Param {
    name: "fieldValidation",
    description: "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.",
    ty: "string",
};
const FORCE: Param = Param {
    name: "force",
    description: "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.",
    ty: "boolean",
};
const GRACE: Param = Param {
    name: "gracePeriodSeconds",
    description: "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.",
    ty: "integer",
};
const PROPAGATION: Param = Param {
    name: "propagationPolicy",
    description: "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
    ty: "string",
};
const LIST_PARAMS: &[Param] = &[
    Param {
        name: "allowWatchBookmarks",
        description: "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.",
        ty: "boolean",
    },
    Param {
        name: "continue",
        description: "The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize.",
        ty: "string",
    },
    Param {
        name: "fieldSelector",
        description: "A selector to restrict the list of returned objects by their fields. Defaults to everything.",
        ty: "string",
    },
    Param {
        name: "labelSelector",
        description: "A selector to restrict the list of returned objects by their labels. Defaults to everything.",
        ty: "string",
    },
    Param {
        name: "limit",
        description: "limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.",
        ty: "integer",
    },
    Param {
        name: "resourceVersion",
        description: "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset",
        ty: "string",
    },
    Param {
        name: "resourceVersionMatch",
        description: "resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset",
        ty: "string",
    },
    Param {
        name: "sendInitialEvents",
        description: "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic \"Bookmark\" event  will be sent. The bookmark will report the ResourceVersion (RV) corresponding to the set of objects, and be marked with `\"k8s.io/initial-events-end\": \"true\"` annotation.",
        ty: "boolean",
    },
    Param {
        name: "timeoutSeconds",
        description: "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.",
        ty: "integer",
    },
    Param {
        name: "watch",
        description: "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.",
        ty: "boolean",
    },
];

fn v2_param(p: &Param) -> Value {
    json!({"name": p.name, "in": "query", "description": p.description, "type": p.ty, "uniqueItems": true})
}

fn v3_param(p: &Param) -> Value {
    json!({"name": p.name, "in": "query", "description": p.description, "schema": {"type": p.ty, "uniqueItems": true}})
}

fn path_param(name: &str, v3: bool) -> Value {
    let description = if name == "namespace" {
        "object name and auth scope, such as for teams and projects"
    } else {
        "name of the object"
    };
    if v3 {
        json!({"name": name, "in": "path", "description": description, "required": true, "schema": {"type": "string", "uniqueItems": true}})
    } else {
        json!({"name": name, "in": "path", "description": description, "required": true, "type": "string", "uniqueItems": true})
    }
}

/// The Go-style identifier of a group for operation ids (`AppsV1`, `CoreV1`,
/// `RbacAuthorizationV1`).
fn op_group(r: &ResourceSpec) -> String {
    let group = if r.group.is_empty() { "core" } else { r.group.trim_end_matches(".k8s.io") };
    let mut out = String::new();
    for part in group.split(['.', '-']) {
        let mut c = part.chars();
        if let Some(f) = c.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(c);
        }
    }
    let mut v = r.version.chars();
    if let Some(f) = v.next() {
        out.push(f.to_ascii_uppercase());
        out.extend(v);
    }
    out
}

fn tag(r: &ResourceSpec) -> String {
    let group =
        if r.group.is_empty() { "core".to_string() } else { r.group.trim_end_matches(".k8s.io").replace('.', "_") };
    format!("{group}_{}", r.version)
}

/// One operation of the API: path, HTTP method, `x-kubernetes-action`, the
/// definition of the response, operation id and query parameters.
type Operation = (String, &'static str, &'static str, String, String, Vec<&'static Param>);

/// Every operation on a resource.
fn operations(r: &ResourceSpec) -> Vec<Operation> {
    let prefix = if r.group.is_empty() { "/api/v1".to_string() } else { format!("/apis/{}/{}", r.group, r.version) };
    let collection = if r.namespaced {
        format!("{prefix}/namespaces/{{namespace}}/{}", r.plural)
    } else {
        format!("{prefix}/{}", r.plural)
    };
    let item = format!("{collection}/{{name}}");
    let ns = if r.namespaced { "Namespaced" } else { "" };
    let g = op_group(r);
    let kind = &r.kind;
    let mut ops = Vec::new();
    let write: Vec<&'static Param> = vec![&DRY_RUN, &FIELD_MANAGER, &FIELD_VALIDATION];
    let mut patch = write.clone();
    patch.push(&FORCE);
    let list: Vec<&'static Param> = LIST_PARAMS.iter().collect();
    let delete: Vec<&'static Param> = vec![&DRY_RUN, &GRACE, &PROPAGATION];
    for verb in &r.verbs {
        match verb.as_str() {
            "list" => {
                ops.push((
                    collection.clone(),
                    "get",
                    "list",
                    r.list_definition.clone(),
                    format!("list{g}{ns}{kind}"),
                    list.clone(),
                ));
                if r.namespaced {
                    ops.push((
                        format!("{prefix}/{}", r.plural),
                        "get",
                        "list",
                        r.list_definition.clone(),
                        format!("list{g}{kind}ForAllNamespaces"),
                        list.clone(),
                    ));
                }
            }
            "create" => ops.push((
                collection.clone(),
                "post",
                "post",
                r.definition.clone(),
                format!("create{g}{ns}{kind}"),
                write.clone(),
            )),
            "deletecollection" => {
                let mut p = delete.clone();
                p.extend(LIST_PARAMS.iter());
                ops.push((
                    collection.clone(),
                    "delete",
                    "deletecollection",
                    "io.k8s.apimachinery.pkg.apis.meta.v1.Status".into(),
                    format!("deleteCollection{g}{ns}{kind}"),
                    p,
                ));
            }
            "get" => ops.push((item.clone(), "get", "get", r.definition.clone(), format!("read{g}{ns}{kind}"), vec![])),
            "update" => ops.push((
                item.clone(),
                "put",
                "put",
                r.definition.clone(),
                format!("replace{g}{ns}{kind}"),
                write.clone(),
            )),
            "patch" => ops.push((
                item.clone(),
                "patch",
                "patch",
                r.definition.clone(),
                format!("patch{g}{ns}{kind}"),
                patch.clone(),
            )),
            "delete" => ops.push((
                item.clone(),
                "delete",
                "delete",
                "io.k8s.apimachinery.pkg.apis.meta.v1.Status".into(),
                format!("delete{g}{ns}{kind}"),
                delete.clone(),
            )),
            _ => {}
        }
    }
    for s in &r.subresources {
        let path = format!("{item}/{}", s.name);
        let def = Schema::get().for_gvk(&s.group, &s.version, &s.kind).unwrap_or(&r.definition).to_string();
        let sub = {
            let mut c = s.name.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        };
        for verb in &s.verbs {
            let (method, action, id, params) = match verb.as_str() {
                "get" => ("get", "get", format!("read{g}{ns}{kind}{sub}"), vec![]),
                "update" => ("put", "put", format!("replace{g}{ns}{kind}{sub}"), write.clone()),
                "patch" => ("patch", "patch", format!("patch{g}{ns}{kind}{sub}"), patch.clone()),
                "create" => ("post", "post", format!("create{g}{ns}{kind}{sub}"), write.clone()),
                _ => continue,
            };
            ops.push((path.clone(), method, action, def.clone(), id, params));
        }
    }
    ops
}

fn build_paths(
    catalog: &Catalog,
    filter: impl Fn(&ResourceSpec) -> bool,
    v3: bool,
) -> (Map<String, Value>, BTreeSet<String>) {
    let mut paths = Map::new();
    let mut roots = BTreeSet::new();
    for r in catalog.all().iter().filter(|r| filter(r)) {
        for (path, method, action, def, id, params) in operations(r) {
            roots.insert(def.clone());
            let mut parameters: Vec<Value> =
                params.iter().map(|p| if v3 { v3_param(p) } else { v2_param(p) }).collect();
            if matches!(method, "post" | "put" | "patch") || (method == "delete" && action == "delete") {
                let body_def = if method == "delete" {
                    "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions".to_string()
                } else if method == "patch" {
                    "io.k8s.apimachinery.pkg.apis.meta.v1.Patch".to_string()
                } else {
                    def.clone()
                };
                roots.insert(body_def.clone());
                if !v3 {
                    parameters.insert(0, json!({"name": "body", "in": "body", "required": method != "delete", "schema": {"$ref": format!("#/definitions/{body_def}")}}));
                }
            }
            let schema_ref = |d: &str| {
                if v3 {
                    json!({"$ref": format!("#/components/schemas/{d}")})
                } else {
                    json!({"$ref": format!("#/definitions/{d}")})
                }
            };
            let ok = if v3 {
                json!({"description": "OK", "content": {"application/json": {"schema": schema_ref(&def)}, "application/yaml": {"schema": schema_ref(&def)}, "application/vnd.kubernetes.protobuf": {"schema": schema_ref(&def)}}})
            } else {
                json!({"description": "OK", "schema": schema_ref(&def)})
            };
            let mut responses = json!({"200": ok, "401": {"description": "Unauthorized"}});
            if method == "post" {
                responses["201"] = responses["200"].clone();
                responses["201"]["description"] = json!("Created");
                responses["202"] = responses["200"].clone();
                responses["202"]["description"] = json!("Accepted");
            }
            let (group, version, kind) = (r.group.clone(), r.version.clone(), r.kind.clone());
            let mut op = json!({
                "description": format!("{action} {}", r.kind),
                "operationId": id,
                "tags": [tag(r)],
                "parameters": parameters,
                "responses": responses,
                "x-kubernetes-action": action,
                "x-kubernetes-group-version-kind": {"group": group, "kind": kind, "version": version},
            });
            if v3 {
                if matches!(method, "post" | "put" | "patch") {
                    let body_def = if method == "patch" {
                        "io.k8s.apimachinery.pkg.apis.meta.v1.Patch".to_string()
                    } else {
                        def.clone()
                    };
                    let types: &[&str] = if method == "patch" {
                        &[
                            "application/json-patch+json",
                            "application/merge-patch+json",
                            "application/strategic-merge-patch+json",
                            "application/apply-patch+yaml",
                        ]
                    } else {
                        &["*/*"]
                    };
                    let content: Map<String, Value> =
                        types.iter().map(|t| (t.to_string(), json!({"schema": schema_ref(&body_def)}))).collect();
                    op["requestBody"] = json!({"content": content, "required": true});
                }
            } else {
                op["consumes"] = json!(["*/*"]);
                op["produces"] = json!(["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
                op["schemes"] = json!(["https"]);
            }
            let entry = paths.entry(path.clone()).or_insert_with(|| {
                let mut p = vec![];
                if path.contains("{name}") {
                    p.push(path_param("name", v3));
                }
                if path.contains("{namespace}") {
                    p.push(path_param("namespace", v3));
                }
                p.push(if v3 { v3_param(&PRETTY) } else { v2_param(&PRETTY) });
                json!({"parameters": p})
            });
            entry[method] = op;
        }
    }
    (paths, roots)
}

/// Rewrites refs and shapes of a v2 definition for OpenAPI 3.
fn to_v3(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                if k == "$ref" {
                    let r = x.as_str().unwrap_or("").replace("#/definitions/", "#/components/schemas/");
                    out.insert(k.clone(), json!(r));
                } else {
                    out.insert(k.clone(), to_v3(x));
                }
            }
            // kube-apiserver wraps a ref with siblings (a description) in allOf.
            if out.contains_key("$ref") && out.len() > 1 {
                let r = out.remove("$ref").unwrap_or_default();
                out.insert("allOf".into(), json!([{"$ref": r}]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(to_v3).collect()),
        other => other.clone(),
    }
}

/// The definitions reachable from `roots`.
fn closure(roots: &BTreeSet<String>, custom: &BTreeMap<String, Value>) -> BTreeSet<String> {
    let raw = Schema::get().raw();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.iter().cloned().collect();
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "$ref" {
                        if let Some(r) = x.as_str() {
                            out.push(r.trim_start_matches("#/definitions/").to_string());
                        }
                    } else {
                        refs(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    while let Some(d) = todo.pop() {
        if !seen.insert(d.clone()) {
            continue;
        }
        if let Some(def) = raw.get(&d).or_else(|| custom.get(&d)) {
            refs(def, &mut todo);
        }
    }
    seen
}

/// The built-in definitions and the custom kinds'.
fn definitions_with_custom(catalog: &Catalog) -> Value {
    let custom = catalog.custom_definitions();
    if custom.is_empty() {
        return json!(Schema::get().raw());
    }
    let mut all = Schema::get().raw().clone();
    all.extend(custom.iter().map(|(k, v)| (k.clone(), v.clone())));
    Value::Object(all)
}

fn build_v2(catalog: &Catalog) -> Value {
    let (paths, _) = build_paths(catalog, |_| true, false);
    json!({
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": KUBERNETES_VERSION},
        "paths": paths,
        "definitions": definitions_with_custom(catalog),
        "securityDefinitions": {"BearerToken": {"description": "Bearer Token authentication", "type": "apiKey", "name": "authorization", "in": "header"}},
        "security": [{"BearerToken": []}],
    })
}

fn build_v3(catalog: &Catalog) -> (Doc, BTreeMap<String, Doc>) {
    let raw = Schema::get().raw();
    let mut docs = BTreeMap::new();
    for (group, versions) in catalog.groups() {
        for version in versions {
            let key = if group.is_empty() { format!("api/{version}") } else { format!("apis/{group}/{version}") };
            let (paths, mut roots) = build_paths(catalog, |r| r.group == *group && r.version == *version, true);
            roots.insert("io.k8s.apimachinery.pkg.apis.meta.v1.Status".into());
            roots.insert("io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent".into());
            let custom = catalog.custom_definitions();
            let schemas: Map<String, Value> = closure(&roots, custom)
                .into_iter()
                .filter_map(|d| raw.get(&d).or_else(|| custom.get(&d)).map(|v| (d.clone(), to_v3(v))))
                .collect();
            let doc = json!({
                "openapi": "3.0.0",
                "info": {"title": "Kubernetes", "version": KUBERNETES_VERSION},
                "paths": paths,
                "components": {
                    "schemas": schemas,
                    "securitySchemes": {"BearerToken": {"type": "apiKey", "description": "Bearer Token authentication", "name": "authorization", "in": "header"}},
                },
            });
            docs.insert(key, Doc::new(&doc));
        }
    }
    let index: Map<String, Value> = docs
        .iter()
        .map(|(k, d)| (k.clone(), json!({"serverRelativeURL": format!("/openapi/v3/{k}?hash={}", d.hash)})))
        .collect();
    (Doc::new(&json!({"paths": index})), docs)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn v3_documents_let_kubectl_use_server_side_validation() {
        let o = OpenApi::new(Arc::new(Catalog::builtin()));
        let (index, docs) = o.v3();
        let index: Value = serde_json::from_slice(&index.body).unwrap();
        let url = index["paths"]["apis/apps/v1"]["serverRelativeURL"].as_str().unwrap();
        assert!(url.starts_with("/openapi/v3/apis/apps/v1?hash="));
        let apps: Value = serde_json::from_slice(&docs["apis/apps/v1"].body).unwrap();
        let patch = &apps["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
        assert_eq!(patch["x-kubernetes-group-version-kind"]["kind"], "Deployment");
        let names: Vec<&str> =
            patch["parameters"].as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
        assert!(names.contains(&"fieldValidation") && names.contains(&"dryRun"));
        let schemas = apps["components"]["schemas"].as_object().unwrap();
        assert!(schemas.contains_key("io.k8s.api.apps.v1.Deployment"));
        assert!(
            schemas.contains_key("io.k8s.api.core.v1.PodSpec"),
            "definitions reachable from the kinds are included"
        );
        let core: Value = serde_json::from_slice(&docs["api/v1"].body).unwrap();
        let pod = &core["components"]["schemas"]["io.k8s.api.core.v1.Pod"];
        assert_eq!(pod["x-kubernetes-group-version-kind"][0]["kind"], "Pod");
        let v2: Value = serde_json::from_slice(&o.v2().body).unwrap();
        assert_eq!(v2["swagger"], "2.0");
        assert!(v2["paths"]["/api/v1/namespaces/{namespace}/pods"]["get"]["operationId"] == "listCoreV1NamespacedPod");
    }
}
