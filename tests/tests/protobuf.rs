//! Protobuf on the wire, kind by kind: for every stored resource that can be
//! created, a minimal valid object is created once as JSON and once as
//! protobuf (`application/vnd.kubernetes.protobuf`, the `k8s\0` envelope
//! client-go sends), then read back as JSON and as protobuf. The four views
//! must agree: the protobuf request decodes to the same object as the JSON
//! one, and the protobuf response carries exactly what the JSON one does.
//!
//! The set of kinds comes from the server's own discovery, so a resource
//! added to the catalog without a fixture here fails the test.

use std::collections::BTreeMap;

use kubox_api::protobuf::{decode_object, encode_object};
use kubox_tests::{HttpResponse, Kubox};
use serde_json::{Value, json};

const PROTOBUF: &str = "application/vnd.kubernetes.protobuf";

/// Resources whose create is not a stored object (reviews, subresource-like
/// kinds) and so have no GET to compare.
const NOT_STORED: &[&str] = &[
    "bindings",
    "tokenreviews",
    "selfsubjectreviews",
    "localsubjectaccessreviews",
    "selfsubjectaccessreviews",
    "selfsubjectrulesreviews",
    "subjectaccessreviews",
];

fn pod_spec() -> Value {
    json!({"containers": [{"name": "c", "image": "busybox", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]})
}

fn template() -> Value {
    json!({"metadata": {"labels": {"app": "x"}}, "spec": pod_spec()})
}

/// A minimal valid body (without name, apiVersion and kind) per
/// `group/version/plural`.
fn fixtures() -> BTreeMap<&'static str, Value> {
    let selector = json!({"matchLabels": {"app": "x"}});
    let rule = json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]});
    let webhook = |name: &str| {
        json!({
            "name": name,
            "clientConfig": {"url": "https://example.com/hook"},
            "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}],
            "sideEffects": "None",
            "admissionReviewVersions": ["v1"],
        })
    };
    BTreeMap::from([
        ("v1/configmaps", json!({"data": {"a": "1"}, "binaryData": {"b": "AAEC"}})),
        (
            "v1/endpoints",
            json!({"subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80, "protocol": "TCP"}]}]}),
        ),
        (
            "v1/events",
            json!({"involvedObject": {"kind": "Pod", "name": "p", "namespace": "default"}, "reason": "Test", "message": "m", "type": "Normal", "count": 2, "firstTimestamp": "2026-01-02T03:04:05Z"}),
        ),
        ("v1/limitranges", json!({"spec": {"limits": [{"type": "Container", "default": {"cpu": "500m"}}]}})),
        ("v1/namespaces", json!({"metadata": {"labels": {"team": "a"}}})),
        ("v1/nodes", json!({"spec": {"podCIDR": "10.244.0.0/24", "taints": [{"key": "k", "effect": "NoSchedule"}]}})),
        (
            "v1/persistentvolumeclaims",
            json!({"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}),
        ),
        (
            "v1/persistentvolumes",
            json!({"spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/tmp/pv"}}}),
        ),
        ("v1/pods", json!({"spec": pod_spec()})),
        ("v1/podtemplates", json!({"template": template()})),
        (
            "v1/replicationcontrollers",
            json!({"spec": {"replicas": 2, "selector": {"app": "x"}, "template": template()}}),
        ),
        ("v1/resourcequotas", json!({"spec": {"hard": {"pods": "10", "requests.cpu": "2"}}})),
        ("v1/secrets", json!({"type": "Opaque", "data": {"k": "dmFsdWU="}, "stringData": {"s": "plain"}})),
        ("v1/serviceaccounts", json!({"automountServiceAccountToken": false})),
        ("v1/services", json!({"spec": {"selector": {"app": "x"}, "ports": [{"port": 80, "targetPort": 8080}]}})),
        (
            "apiregistration.k8s.io/v1/apiservices",
            json!({"spec": {"group": "example.com", "version": "v1", "groupPriorityMinimum": 100, "versionPriority": 10, "service": {"namespace": "default", "name": "api"}}}),
        ),
        ("apps/v1/controllerrevisions", json!({"revision": 3, "data": {"spec": {"x": 1}}})),
        ("apps/v1/daemonsets", json!({"spec": {"selector": selector, "template": template()}})),
        ("apps/v1/deployments", json!({"spec": {"replicas": 2, "selector": selector, "template": template()}})),
        ("apps/v1/replicasets", json!({"spec": {"selector": selector, "template": template()}})),
        ("apps/v1/statefulsets", json!({"spec": {"serviceName": "s", "selector": selector, "template": template()}})),
        (
            "events.k8s.io/v1/events",
            json!({"eventTime": "2026-01-02T03:04:05.123456Z", "reportingController": "kubox.test/c", "reportingInstance": "i", "action": "Act", "reason": "Why", "type": "Normal", "regarding": {"kind": "Pod", "name": "p"}}),
        ),
        (
            "autoscaling/v2/horizontalpodautoscalers",
            json!({"spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d"}, "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}}),
        ),
        (
            "autoscaling/v1/horizontalpodautoscalers",
            json!({"spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d"}, "minReplicas": 2, "maxReplicas": 5, "targetCPUUtilizationPercentage": 60}}),
        ),
        (
            "batch/v1/cronjobs",
            json!({"spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}], "restartPolicy": "OnFailure"}}}}}}),
        ),
        (
            "batch/v1/jobs",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}], "restartPolicy": "Never"}}}}),
        ),
        (
            "certificates.k8s.io/v1/certificatesigningrequests",
            json!({"spec": {"request": csr_pem(), "signerName": "example.com/signer", "usages": ["digital signature"]}}),
        ),
        ("networking.k8s.io/v1/ingressclasses", json!({"spec": {"controller": "example.com/ingress"}})),
        (
            "networking.k8s.io/v1/ingresses",
            json!({"spec": {"rules": [{"host": "a.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}}),
        ),
        (
            "networking.k8s.io/v1/networkpolicies",
            json!({"spec": {"podSelector": selector, "policyTypes": ["Ingress"]}}),
        ),
        ("networking.k8s.io/v1/servicecidrs", json!({"spec": {"cidrs": ["10.200.0.0/16"]}})),
        ("policy/v1/poddisruptionbudgets", json!({"spec": {"minAvailable": 1, "selector": selector}})),
        (
            "rbac.authorization.k8s.io/v1/clusterrolebindings",
            json!({"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"}]}),
        ),
        ("rbac.authorization.k8s.io/v1/clusterroles", json!({"rules": [rule]})),
        (
            "rbac.authorization.k8s.io/v1/rolebindings",
            json!({"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"}, "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"}]}),
        ),
        ("rbac.authorization.k8s.io/v1/roles", json!({"rules": [rule]})),
        ("storage.k8s.io/v1/csidrivers", json!({"spec": {"attachRequired": true, "podInfoOnMount": false}})),
        ("storage.k8s.io/v1/csinodes", json!({"spec": {"drivers": [{"name": "example.csi", "nodeID": "n1"}]}})),
        ("storage.k8s.io/v1/csistoragecapacities", json!({"storageClassName": "fast", "capacity": "10Gi"})),
        ("storage.k8s.io/v1/storageclasses", json!({"provisioner": "example.com/p", "parameters": {"k": "v"}})),
        (
            "storage.k8s.io/v1/volumeattachments",
            json!({"spec": {"attacher": "example.csi", "nodeName": "n1", "source": {"persistentVolumeName": "pv"}}}),
        ),
        (
            "storage.k8s.io/v1/volumeattributesclasses",
            json!({"driverName": "example.csi", "parameters": {"iops": "100"}}),
        ),
        (
            "admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
            json!({"webhooks": [webhook("m.example.com")]}),
        ),
        (
            "admissionregistration.k8s.io/v1/validatingadmissionpolicies",
            json!({"spec": {"matchConstraints": {"resourceRules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}]}, "validations": [{"expression": "object.metadata.name != 'x'"}]}}),
        ),
        (
            "admissionregistration.k8s.io/v1/validatingadmissionpolicybindings",
            json!({"spec": {"policyName": "p", "validationActions": ["Deny"]}}),
        ),
        (
            "admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
            json!({"webhooks": [webhook("v.example.com")]}),
        ),
        ("scheduling.k8s.io/v1/priorityclasses", json!({"value": 1000, "description": "test"})),
        (
            "coordination.k8s.io/v1/leases",
            json!({"spec": {"holderIdentity": "me", "leaseDurationSeconds": 15, "renewTime": "2026-01-02T03:04:05.000000Z"}}),
        ),
        ("node.k8s.io/v1/runtimeclasses", json!({"handler": "runc"})),
        (
            "discovery.k8s.io/v1/endpointslices",
            json!({"addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"], "conditions": {"ready": true}}], "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}),
        ),
        (
            "resource.k8s.io/v1/deviceclasses",
            json!({"spec": {"selectors": [{"cel": {"expression": "device.driver == 'x'"}}]}}),
        ),
        (
            "resource.k8s.io/v1/resourceclaims",
            json!({"spec": {"devices": {"requests": [{"name": "r", "exactly": {"deviceClassName": "gpu"}}]}}}),
        ),
        (
            "resource.k8s.io/v1/resourceclaimtemplates",
            json!({"spec": {"spec": {"devices": {"requests": [{"name": "r", "exactly": {"deviceClassName": "gpu"}}]}}}}),
        ),
        (
            "resource.k8s.io/v1/resourceslices",
            json!({"spec": {"driver": "example.com", "pool": {"name": "p", "generation": 1, "resourceSliceCount": 1}, "allNodes": true}}),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1/flowschemas",
            json!({"spec": {"priorityLevelConfiguration": {"name": "global-default"}, "matchingPrecedence": 5000, "rules": [{"subjects": [{"kind": "Group", "group": {"name": "system:authenticated"}}], "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "namespaces": ["*"]}]}]}}),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations",
            json!({"spec": {"type": "Limited", "limited": {"nominalConcurrencyShares": 10, "limitResponse": {"type": "Reject"}}}}),
        ),
        (
            "apiextensions.k8s.io/v1/customresourcedefinitions",
            json!({"spec": {"group": "example.com", "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"}, "scope": "Namespaced", "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}}]}}),
        ),
        (
            "networking.k8s.io/v1/ipaddresses",
            json!({"spec": {"parentRef": {"resource": "services", "name": "s", "namespace": "default"}}}),
        ),
    ])
}

/// A PEM certificate request, as the CSR API requires (base64 of the PEM).
fn csr_pem() -> String {
    use base64::Engine as _;
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["kubox.test".into()]).unwrap();
    let csr = params.serialize_request(&key).unwrap();
    base64::engine::general_purpose::STANDARD.encode(csr.pem().unwrap())
}

/// Object names that are not free-form: the IPAddress name is the address,
/// the CRD name is `<plural>.<group>`.
fn name_for(key: &str, suffix: &str) -> String {
    match key {
        "networking.k8s.io/v1/ipaddresses" => format!("10.250.0.{}", if suffix == "json" { 1 } else { 2 }),
        "apiextensions.k8s.io/v1/customresourcedefinitions" => {
            format!("widgets{}.example.com", if suffix == "json" { "" } else { "b" })
        }
        // events.k8s.io/v1 Events are core/v1 Events, and autoscaling/v1
        // HorizontalPodAutoscalers autoscaling/v2 ones, in the same storage.
        "events.k8s.io/v1/events" | "autoscaling/v1/horizontalpodautoscalers" => format!("fixture-other-{suffix}"),
        _ => format!("fixture-{suffix}"),
    }
}

struct Resource {
    key: String,
    api_version: String,
    kind: String,
    plural: String,
    namespaced: bool,
}

impl Resource {
    fn collection(&self) -> String {
        let base = if self.api_version == "v1" { "/api/v1".to_string() } else { format!("/apis/{}", self.api_version) };
        if self.namespaced {
            format!("{base}/namespaces/default/{}", self.plural)
        } else {
            format!("{base}/{}", self.plural)
        }
    }
}

/// Every resource (not subresource) the server says can be created, in every
/// served version, from aggregated discovery.
fn creatable(k: &Kubox) -> Vec<Resource> {
    let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    let mut out = Vec::new();
    for path in ["/api", "/apis"] {
        let r = k.request("GET", path, &[("Accept", accept)], b"", true);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        for group in r.json()["items"].as_array().unwrap() {
            let group_name = group["metadata"]["name"].as_str().unwrap_or_default();
            for version in group["versions"].as_array().unwrap() {
                let v = version["version"].as_str().unwrap();
                let api_version = if group_name.is_empty() { v.to_string() } else { format!("{group_name}/{v}") };
                for res in version["resources"].as_array().unwrap() {
                    let plural = res["resource"].as_str().unwrap();
                    let verbs: Vec<&str> = res["verbs"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
                    if !verbs.contains(&"create") || NOT_STORED.contains(&plural) {
                        continue;
                    }
                    out.push(Resource {
                        key: format!("{api_version}/{plural}"),
                        api_version: api_version.clone(),
                        kind: res["responseKind"]["kind"].as_str().unwrap().to_string(),
                        plural: plural.to_string(),
                        namespaced: res["scope"] == "Namespaced",
                    });
                }
            }
        }
    }
    out
}

/// The fields that differ between two creates of the same body.
/// An object without what a controller may write between two reads: the
/// CRD controller sets a new CRD's status (and so its resourceVersion and
/// managedFields) at once; its plural follows its name, which differs per
/// wire.
fn settled(key: &str, mut object: Value) -> Value {
    if key == "apiextensions.k8s.io/v1/customresourcedefinitions" {
        if let Some(m) = object.as_object_mut() {
            m.remove("status");
        }
        if let Some(meta) = object["metadata"].as_object_mut() {
            meta.remove("resourceVersion");
            meta.remove("managedFields");
        }
        object["spec"]["names"]["plural"] = json!("<plural>");
    }
    object
}

fn normalized(object: Value) -> Value {
    // The name and uid also appear elsewhere: a namespace's
    // kubernetes.io/metadata.name label, a Job's selector and pod labels.
    let mut text = object.to_string();
    for field in ["name", "uid"] {
        if let Some(value) = object["metadata"][field].as_str().filter(|v| !v.is_empty()) {
            text = text.replace(&format!("\"{value}\""), &format!("\"<{field}>\""));
        }
    }
    let mut object: Value = serde_json::from_str(&text).unwrap();
    let meta = object["metadata"].as_object_mut().unwrap();
    for field in ["resourceVersion", "creationTimestamp", "managedFields"] {
        meta.remove(field);
    }
    // Allocated service addresses differ between two services.
    if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
        for field in ["clusterIP", "clusterIPs"] {
            spec.remove(field);
        }
    }
    object
}

fn pb_object(r: &HttpResponse, what: &str) -> Value {
    assert!(r.status == 200 || r.status == 201, "{what}: {} {}", r.status, r.text());
    assert_eq!(r.header("content-type"), Some(PROTOBUF), "{what}");
    decode_object(&r.body).unwrap_or_else(|e| panic!("{what}: decoding the protobuf response: {e}"))
}

#[test]
fn every_stored_kind_round_trips_through_protobuf() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let mut fixtures = fixtures();
    let resources = creatable(&k);
    assert!(resources.len() >= 55, "discovery lists {} creatable resources", resources.len());

    for res in &resources {
        let Some(body) = fixtures.remove(res.key.as_str()) else {
            panic!("no protobuf fixture for {} (kind {})", res.key, res.kind);
        };
        let mut created = Vec::new();
        for wire in ["json", "pb"] {
            let mut object = body.clone();
            object["apiVersion"] = json!(res.api_version);
            object["kind"] = json!(res.kind);
            if object.get("metadata").is_none() {
                object["metadata"] = json!({});
            }
            let name = name_for(&res.key, wire);
            object["metadata"]["name"] = json!(name);
            if res.key == "apiextensions.k8s.io/v1/customresourcedefinitions" {
                // A CRD is named <plural>.<group>.
                object["spec"]["names"]["plural"] = json!(name.split('.').next().unwrap_or_default());
            }
            let (content_type, bytes) = match wire {
                "json" => ("application/json", serde_json::to_vec(&object).unwrap()),
                _ => (PROTOBUF, encode_object(&object).unwrap_or_else(|e| panic!("{}: encoding: {e}", res.key))),
            };
            let r = k.request(
                "POST",
                &res.collection(),
                &[("Content-Type", content_type), ("Accept", PROTOBUF)],
                &bytes,
                true,
            );
            assert_eq!(r.status, 201, "{} created as {wire}: {}", res.key, summary(&r));
            let from_create = pb_object(&r, &res.key);

            let path = format!("{}/{name}", res.collection());
            let as_json = k.request("GET", &path, &[("Accept", "application/json")], b"", true);
            assert_eq!(as_json.status, 200, "{path}: {}", as_json.text());
            let as_json = settled(&res.key, as_json.json());
            let as_pb =
                settled(&res.key, pb_object(&k.request("GET", &path, &[("Accept", PROTOBUF)], b"", true), &path));
            let from_create = settled(&res.key, from_create);
            assert_eq!(without_nulls(&as_pb), without_nulls(&as_json), "{path}: the protobuf and JSON views differ");
            assert_eq!(
                without_nulls(&from_create),
                without_nulls(&as_json),
                "{path}: the create response differs from the stored object"
            );
            for (field, value) in body.as_object().unwrap() {
                // A Secret's stringData is write-only: it is merged into data.
                if !["metadata", "status", "stringData"].contains(&field.as_str()) {
                    assert!(as_json.get(field).is_some(), "{path}: field {field} was lost (sent {value})");
                }
            }
            created.push(normalized(as_json));
        }
        assert_eq!(created[0], created[1], "{}: a protobuf create differs from the same JSON create", res.key);

        // The list, as protobuf, decodes to the JSON list's items.
        let list_pb = pb_object(&k.request("GET", &res.collection(), &[("Accept", PROTOBUF)], b"", true), &res.key);
        let list_json = k.request("GET", &res.collection(), &[("Accept", "application/json")], b"", true).json();
        assert_eq!(
            without_nulls(&list_pb["items"]),
            without_nulls(&list_json["items"]),
            "{}: list views differ",
            res.key
        );
        assert_eq!(list_pb["kind"], json!(format!("{}List", res.kind)), "{}", res.key);
    }
    let unused: Vec<_> = fixtures.keys().collect();
    assert!(unused.is_empty(), "fixtures for resources the server does not list as creatable: {unused:?}");
}

/// The value with null fields dropped. kube-apiserver's JSON writes a zero
/// struct-typed time (an Event's `eventTime`, `lastTimestamp`) as `null`,
/// where protobuf has no field at all; clients read both as unset.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn summary(r: &HttpResponse) -> String {
    match decode_object(&r.body) {
        Ok(v) => v.to_string(),
        Err(_) => r.text(),
    }
}
