//! `/openapi/v2` in gnostic protobuf, the form kubectl and client-go ask
//! for: the negotiation, ETag and legacy path over plain HTTPS, then
//! kubectl 1.28 (whose create/apply build their validator and strategic
//! merge patches from this document) creating, rejecting an unknown field,
//! applying twice with an edit, and explaining from the v2 document.

use std::path::Path;

use kubox_tests::Kubox;

const KUBECTL_128: &str = "/usr/lib/google-cloud-sdk/bin/kubectl.1.28";
const PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

const CREATE: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.25
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
"#;

const BOGUS: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: bogus
spec:
  bogus: true
  selector: {matchLabels: {app: bogus}}
  template:
    metadata: {labels: {app: bogus}}
    spec:
      containers: [{name: app, image: busybox:1.36}]
"#;

const APPLY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        env: [{name: A, value: "1"}]
      - name: sidecar
        image: busybox:1.36
"#;

/// The edit: more replicas, a new image, the sidecar gone.
const APPLY_EDITED: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: app
        image: nginx:1.26
        env: [{name: A, value: "1"}]
"#;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn openapi_v2_protobuf_negotiation_etag_and_legacy_path() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());

    let json = kubox.request("GET", "/openapi/v2", &[], b"", true);
    assert_eq!(json.status, 200);
    assert_eq!(json.header("content-type"), Some("application/json"));
    assert_eq!(json.json()["swagger"], "2.0");
    let etag = json.header("etag").expect("an ETag").to_string();

    let pb = kubox.request("GET", "/openapi/v2", &[("Accept", PROTOBUF)], b"", true);
    assert_eq!(pb.status, 200);
    assert_eq!(pb.header("content-type"), Some("application/com.github.proto-openapi.spec.v2.v1.0+protobuf"));
    assert!(pb.all("vary").iter().any(|v| v.contains("Accept")), "{:?}", pb.headers);
    // Like kube-apiserver, both forms carry the JSON document's ETag.
    assert_eq!(pb.header("etag"), Some(etag.as_str()));
    // Document.swagger (field 1) = "2.0", then Document.info (field 2).
    assert_eq!(&pb.body[..5], b"\x0a\x032.0");
    assert_eq!(pb.body[5], 0x12);
    let text = String::from_utf8_lossy(&pb.body);
    assert!(text.contains("io.k8s.api.apps.v1.Deployment") && text.contains("x-kubernetes-patch-merge-key"));

    // The other spelling of the media type, and a list where protobuf ranks first.
    let newer = kubox.request(
        "GET",
        "/openapi/v2",
        &[("Accept", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")],
        b"",
        true,
    );
    assert_eq!(newer.body, pb.body);
    let accept = format!("application/json;q=0.5, {PROTOBUF}");
    let ranked = kubox.request("GET", "/openapi/v2", &[("Accept", &accept)], b"", true);
    assert_eq!(ranked.header("content-type"), Some("application/com.github.proto-openapi.spec.v2.v1.0+protobuf"));

    let cached = kubox.request("GET", "/openapi/v2", &[("Accept", PROTOBUF), ("If-None-Match", &etag)], b"", true);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    assert_eq!(cached.header("etag"), Some(etag.as_str()));

    let refused = kubox.request("GET", "/openapi/v2", &[("Accept", "application/xml")], b"", true);
    assert_eq!(refused.status, 406);

    // The path client-go falls back to when /openapi/v2 fails.
    let legacy = kubox.request("GET", "/swagger-2.0.0.pb-v1", &[], b"", true);
    assert_eq!(legacy.status, 200);
    assert_eq!(legacy.body, pb.body);

    // The document is not for anonymous requests, like the rest of the API.
    assert_eq!(kubox.request("GET", "/openapi/v2", &[("Accept", PROTOBUF)], b"", false).status, 403);
}

#[test]
fn kubectl_1_28_validates_and_applies_with_the_v2_document() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    let kubectl = |args: &[&str]| kubox.kubectl_with(KUBECTL_128, args, &[]);

    // create builds its validator from /openapi/v2 (a 406 there made it
    // fail with "the server could not find the requested resource").
    let create = write(dir.path(), "create.yaml", CREATE);
    let out = kubectl(&["create", "-f", &create]);
    assert!(out.success, "create failed:\n{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("deployment.apps/web created"), "{}", out.stdout);
    assert!(out.stdout.contains("configmap/settings created"), "{}", out.stdout);
    assert_eq!(kubectl(&["get", "configmap", "settings", "-o", "jsonpath={.data.mode}"]).ok(), "fast");

    // An unknown field fails, checked by the server (fieldValidation=Strict,
    // which kubectl sends once the document says PATCH takes it) or by
    // kubectl's own schema validation.
    let bogus = write(dir.path(), "bogus.yaml", BOGUS);
    let out = kubectl(&["create", "-f", &bogus]);
    assert!(!out.success, "an unknown field was accepted:\n{}", out.stdout);
    assert!(
        out.stderr.contains(r#"unknown field "spec.bogus""#) || out.stderr.contains(r#"unknown field "bogus""#),
        "{}",
        out.stderr
    );
    assert!(!kubectl(&["get", "deployment", "bogus"]).success, "the bogus deployment was created");

    // apply twice with an edit, and a change by someone else in between:
    // the three-way strategic merge patch kubectl computes from the
    // document's patch strategies and merge keys keeps the other change,
    // drops the removed container and updates the rest.
    let apply = write(dir.path(), "apply.yaml", APPLY);
    let out = kubectl(&["apply", "-f", &apply]);
    assert!(out.success, "apply failed:\n{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("deployment.apps/api created"), "{}", out.stdout);
    let patch =
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"patched"}]}]}}}}"#;
    kubectl(&["patch", "deployment", "api", "--type=strategic", "-p", patch]).ok();
    let edited = write(dir.path(), "apply.yaml", APPLY_EDITED);
    let out = kubectl(&["apply", "-f", &edited]);
    assert!(out.success, "second apply failed:\n{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("deployment.apps/api configured"), "{}", out.stdout);
    assert!(!out.stderr.contains("error calculating patch from openapi spec"), "{}", out.stderr);
    let deployment: serde_json::Value =
        serde_json::from_str(&kubectl(&["get", "deployment", "api", "-o", "json"]).ok()).unwrap();
    assert_eq!(deployment["spec"]["replicas"], 3);
    let containers = deployment["spec"]["template"]["spec"]["containers"].as_array().unwrap();
    assert_eq!(containers.len(), 1, "the sidecar is removed: {containers:?}");
    assert_eq!(containers[0]["name"], "app");
    assert_eq!(containers[0]["image"], "nginx:1.26");
    let mut env: Vec<String> = containers[0]["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}={}", e["name"].as_str().unwrap(), e["value"].as_str().unwrap()))
        .collect();
    env.sort();
    assert_eq!(env, ["A=1", "B=patched"], "the other writer's env var is kept");

    // explain, from the v3 documents (the default) and from the v2 one.
    for output in ["plaintext", "plaintext-openapiv2"] {
        let out = kubectl(&["explain", "deployment.spec", &format!("--output={output}")]).ok();
        assert!(out.contains("KIND:") && out.contains("Deployment"), "{output}: {out}");
        assert!(out.contains("replicas") && out.contains("template"), "{output}: {out}");
        assert!(out.contains("DeploymentSpec is the specification"), "{output}: {out}");
    }
}
