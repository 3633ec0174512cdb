//! CustomResourceDefinitions through real clients: three CRDs shaped like
//! well-known operators' (a cert-manager Certificate, a prometheus-operator
//! Prometheus with the scale subresource, an Argo CD Application in two
//! versions) applied with kubectl and served at once; custom objects
//! created, printed with their columns, defaulted, pruned, refused with
//! upstream's messages, patched, scaled, listed by category, explained and
//! watched with kube-rs; name conflicts, invalid schemas, deletion of a CRD
//! with its objects, and a restart.

use std::time::{Duration, Instant};

use futures::StreamExt;
use kube::api::{Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, PostParams, WatchEvent, WatchParams};
use kubox_tests::{KubectlOutput, Kubox};
use serde_json::{Value, json};

const CERTIFICATE_CRD: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: certificates.certs.example.io
spec:
  group: certs.example.io
  scope: Namespaced
  names:
    plural: certificates
    singular: certificate
    kind: Certificate
    listKind: CertificateList
    shortNames: [cert, certs]
    categories: [all, certmgr]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Ready
      type: string
      jsonPath: .status.conditions[?(@.type=="Ready")].status
    - name: Secret
      type: string
      jsonPath: .spec.secretName
    - name: Duration
      type: string
      jsonPath: .spec.duration
      priority: 1
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: A Certificate requests an X.509 certificate from an issuer.
        required: [spec]
        properties:
          spec:
            type: object
            description: The desired state of the Certificate.
            required: [secretName, issuerRef]
            properties:
              secretName:
                type: string
                description: Name of the Secret that will hold the signed key pair.
                minLength: 1
              duration:
                type: string
                default: 2160h
              dnsNames:
                type: array
                items: {type: string}
                x-kubernetes-list-type: set
              privateKey:
                type: object
                default: {}
                properties:
                  algorithm:
                    type: string
                    enum: [RSA, ECDSA, Ed25519]
                    default: RSA
                  size:
                    type: integer
                    minimum: 256
                    maximum: 8192
              issuerRef:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  kind: {type: string, default: Issuer}
          status:
            type: object
            properties:
              conditions:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [type]
                items:
                  type: object
                  required: [type, status]
                  properties:
                    type: {type: string}
                    status: {type: string, enum: ["True", "False", "Unknown"]}
                    message: {type: string}
"#;

const PROMETHEUS_CRD: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: prometheuses.monitoring.example.io
spec:
  group: monitoring.example.io
  scope: Namespaced
  names:
    plural: prometheuses
    singular: prometheus
    kind: Prometheus
    listKind: PrometheusList
    shortNames: [prom]
    categories: [prometheus-operator]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.selector
    additionalPrinterColumns:
    - name: Version
      type: string
      jsonPath: .spec.version
    - name: Desired
      type: integer
      jsonPath: .spec.replicas
    - name: Ready
      type: integer
      jsonPath: .status.availableReplicas
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              version: {type: string}
              replicas: {type: integer, format: int32, default: 1, minimum: 0}
              retention: {type: string, pattern: '^(0|([0-9]+(y|w|d|h|m|s|ms))+)$', default: 24h}
              serviceMonitorSelector:
                type: object
                x-kubernetes-map-type: atomic
                properties:
                  matchLabels:
                    type: object
                    additionalProperties: {type: string}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    port: {x-kubernetes-int-or-string: true}
              podMetadata:
                type: object
                x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            properties:
              replicas: {type: integer}
              availableReplicas: {type: integer}
              selector: {type: string}
"#;

const APPLICATION_CRD: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: applications.argoproj.example.io
spec:
  group: argoproj.example.io
  scope: Namespaced
  names:
    plural: applications
    singular: application
    kind: Application
    listKind: ApplicationList
    shortNames: [app, apps]
  conversion:
    strategy: None
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Sync Status
      type: string
      jsonPath: .status.sync.status
    - name: Health Status
      type: string
      jsonPath: .status.health.status
    schema:
      openAPIV3Schema: &schema
        type: object
        required: [spec]
        properties:
          spec:
            type: object
            required: [destination, source]
            properties:
              project: {type: string, default: default}
              source:
                type: object
                required: [repoURL]
                properties:
                  repoURL: {type: string}
                  path: {type: string}
                  targetRevision: {type: string, default: HEAD}
              destination:
                type: object
                properties:
                  server: {type: string}
                  namespace: {type: string}
              syncPolicy:
                type: object
                properties:
                  automated:
                    type: object
                    properties:
                      prune: {type: boolean, default: false}
                      selfHeal: {type: boolean, default: false}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
  - name: v1beta1
    served: true
    storage: false
    subresources:
      status: {}
    schema:
      openAPIV3Schema: *schema
"#;

/// Applies YAML with kubectl.
fn apply(k: &Kubox, name: &str, yaml: &str, extra: &[&str]) -> KubectlOutput {
    let path = k.data_dir.join(format!("{name}.yaml"));
    std::fs::write(&path, yaml).unwrap();
    let path = path.to_string_lossy().to_string();
    let mut args = vec!["apply", "-f", path.as_str()];
    args.extend_from_slice(extra);
    k.kubectl(&args)
}

fn request_json(k: &Kubox, method: &str, path: &str, content_type: &str, body: &Value) -> (u16, Value, Vec<String>) {
    let body = serde_json::to_vec(body).unwrap();
    let r = k.request(method, path, &[("Content-Type", content_type), ("Accept", "application/json")], &body, true);
    let warnings = r.all("warning").into_iter().map(str::to_string).collect();
    let v = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    (r.status, v, warnings)
}

fn get_json(k: &Kubox, path: &str) -> (u16, Value) {
    let r = k.request("GET", path, &[("Accept", "application/json")], b"", true);
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

fn wait_for(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn condition(crd: &Value, type_: &str) -> Value {
    crd["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == type_))
        .cloned()
        .unwrap_or(Value::Null)
}

const CERTS: &str = "/apis/certs.example.io/v1/namespaces/default/certificates";

fn certificate(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "certs.example.io/v1", "kind": "Certificate", "metadata": {"name": name}, "spec": spec})
}

#[test]
fn crds_are_served_validated_printed_and_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());

    // Served at once: the first create right after `kubectl apply` returns.
    let out = apply(&k, "cert-crd", CERTIFICATE_CRD, &[]).ok();
    assert!(
        out.contains("customresourcedefinition.apiextensions.k8s.io/certificates.certs.example.io created"),
        "{out}"
    );
    let applied = Instant::now();
    let mut created = (0, Value::Null, Vec::new());
    wait_for("the Certificate resource", Duration::from_secs(1), || {
        created = request_json(
            &k,
            "POST",
            CERTS,
            "application/json",
            &certificate(
                "web",
                json!({"secretName": "web-tls", "dnsNames": ["example.com"], "issuerRef": {"name": "letsencrypt"}, "bogus": 1}),
            ),
        );
        created.0 == 201
    });
    assert!(applied.elapsed() < Duration::from_secs(1));
    let (_, web, warnings) = created;
    // Pruned, with the warning; defaulted.
    assert!(web["spec"].get("bogus").is_none(), "{web}");
    assert!(warnings.iter().any(|w| w.contains(r#"unknown field \"spec.bogus\""#)), "{warnings:?}");
    assert_eq!(web["spec"]["duration"], "2160h");
    assert_eq!(web["spec"]["privateKey"], json!({"algorithm": "RSA"}));
    assert_eq!(web["spec"]["issuerRef"]["kind"], "Issuer");
    assert_eq!(web["metadata"]["generation"], 1);

    // The CRD's status.
    let (_, crd) =
        get_json(&k, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/certificates.certs.example.io");
    wait_for("Established", Duration::from_secs(5), || {
        let (_, crd) =
            get_json(&k, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/certificates.certs.example.io");
        condition(&crd, "Established")["status"] == "True"
    });
    let _ = crd;
    let (_, crd) =
        get_json(&k, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/certificates.certs.example.io");
    assert_eq!(condition(&crd, "NamesAccepted")["reason"], "NoConflicts");
    assert_eq!(crd["status"]["acceptedNames"]["shortNames"], json!(["cert", "certs"]));
    assert_eq!(crd["status"]["storedVersions"], json!(["v1"]));

    // Invalid objects: upstream's 422.
    let (code, status, _) = request_json(
        &k,
        "POST",
        CERTS,
        "application/json",
        &certificate(
            "bad",
            json!({"secretName": "", "issuerRef": {}, "privateKey": {"algorithm": "DSA", "size": "big"}}),
        ),
    );
    assert_eq!(code, 422, "{status}");
    let message = status["message"].as_str().unwrap();
    for part in [
        r#"Certificate.certs.example.io "bad" is invalid: ["#,
        r#"spec.privateKey.size: Invalid value: "string": spec.privateKey.size in body must be of type integer: "string""#,
        r#"spec.privateKey.algorithm: Unsupported value: "DSA": supported values: "RSA", "ECDSA", "Ed25519""#,
        r#"spec.secretName: Invalid value: "": spec.secretName in body should be at least 1 chars long"#,
        "spec.issuerRef.name: Required value",
    ] {
        assert!(message.contains(part), "{part} not in {message}");
    }
    // kubectl shows the same.
    let bad = apply(
        &k,
        "bad-cert",
        "apiVersion: certs.example.io/v1\nkind: Certificate\nmetadata: {name: bad, namespace: default}\nspec: {secretName: s, issuerRef: {name: x}, dnsNames: [a, a]}\n",
        &[],
    );
    assert!(!bad.success);
    assert!(bad.stderr.contains(r#"spec.dnsNames[1]: Duplicate value: "a""#), "{}", bad.stderr);
    // Strict field validation refuses unknown fields.
    let strict = apply(
        &k,
        "strict-cert",
        "apiVersion: certs.example.io/v1\nkind: Certificate\nmetadata: {name: strict, namespace: default}\nspec: {secretName: s, issuerRef: {name: x}, colour: blue}\n",
        &["--validate=strict"],
    );
    assert!(!strict.success);
    assert!(strict.stderr.contains(r#"strict decoding error: unknown field "spec.colour""#), "{}", strict.stderr);

    // Status subresource: the main resource ignores status, /status ignores the rest.
    let (code, o, _) = request_json(
        &k,
        "PATCH",
        &format!("{CERTS}/web"),
        "application/merge-patch+json",
        &json!({"spec": {"secretName": "web-tls-2"}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
    );
    assert_eq!(code, 200, "{o}");
    assert_eq!(o["spec"]["secretName"], "web-tls-2");
    assert!(o.get("status").is_none(), "{o}");
    assert_eq!(o["metadata"]["generation"], 2);
    let (code, o, _) = request_json(
        &k,
        "PATCH",
        &format!("{CERTS}/web/status"),
        "application/merge-patch+json",
        &json!({"spec": {"secretName": "ignored"}, "status": {"conditions": [{"type": "Ready", "status": "True", "message": "issued"}]}}),
    );
    assert_eq!(code, 200, "{o}");
    assert_eq!(o["spec"]["secretName"], "web-tls-2");
    assert_eq!(o["status"]["conditions"][0]["status"], "True");
    assert_eq!(o["metadata"]["generation"], 2);
    // Strategic merge patch does not apply to custom resources.
    let (code, o, _) =
        request_json(&k, "PATCH", &format!("{CERTS}/web"), "application/strategic-merge-patch+json", &json!({}));
    assert_eq!(code, 415, "{o}");
    assert_eq!(
        o["message"],
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    );
    // JSON patch works.
    let (code, o, _) = request_json(
        &k,
        "PATCH",
        &format!("{CERTS}/web"),
        "application/json-patch+json",
        &json!([{"op": "add", "path": "/spec/dnsNames/-", "value": "www.example.com"}]),
    );
    assert_eq!(code, 200, "{o}");
    assert_eq!(o["spec"]["dnsNames"], json!(["example.com", "www.example.com"]));

    // Printer columns, short names, categories.
    let table = k.kubectl(&["get", "cert"]).ok();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["NAME", "READY", "SECRET", "AGE"], "{table}");
    assert_eq!(lines[1].split_whitespace().take(3).collect::<Vec<_>>(), ["web", "True", "web-tls-2"], "{table}");
    let wide = k.kubectl(&["get", "certificates.certs.example.io", "-o", "wide"]).ok();
    assert!(wide.lines().next().unwrap().contains("DURATION") && wide.contains("2160h"), "{wide}");
    let all = k.kubectl(&["get", "all"]).ok();
    assert!(all.contains("certificate.certs.example.io/web"), "{all}");
    // One kind in the category: kubectl prints its own columns.
    let by_category = k.kubectl(&["get", "certmgr"]).ok();
    assert!(by_category.lines().nth(1).is_some_and(|l| l.starts_with("web ")), "{by_category}");

    // kubectl explain reads the published schema.
    let explain = k.kubectl(&["explain", "certificate.spec"]).ok();
    assert!(
        explain.contains("secretName") && explain.contains("Name of the Secret that will hold the signed key pair"),
        "{explain}"
    );

    // The scale subresource.
    apply(&k, "prom-crd", PROMETHEUS_CRD, &[]).ok();
    wait_for("the Prometheus resource", Duration::from_secs(2), || k.kubectl(&["get", "prom"]).success);
    apply(
        &k,
        "prom",
        "apiVersion: monitoring.example.io/v1\nkind: Prometheus\nmetadata: {name: main, namespace: default}\nspec: {version: v2.53.0, replicas: 2, ports: [{name: web, port: 9090}, {name: grpc, port: grpc}], podMetadata: {labels: {team: a}, anything: {goes: here}}}\n",
        &[],
    )
    .ok();
    let out = k.kubectl(&["scale", "prometheus", "main", "--replicas=3"]).ok();
    assert!(out.contains("prometheus.monitoring.example.io/main scaled"), "{out}");
    let (_, prom) = get_json(&k, "/apis/monitoring.example.io/v1/namespaces/default/prometheuses/main");
    assert_eq!(prom["spec"]["replicas"], 3);
    assert_eq!(prom["spec"]["retention"], "24h");
    assert_eq!(prom["spec"]["podMetadata"]["anything"]["goes"], "here");
    let (code, o, _) = request_json(
        &k,
        "PATCH",
        "/apis/monitoring.example.io/v1/namespaces/default/prometheuses/main/status",
        "application/merge-patch+json",
        &json!({"status": {"replicas": 3, "availableReplicas": 2, "selector": "app=prometheus"}}),
    );
    assert_eq!(code, 200, "{o}");
    let (code, scale) = get_json(&k, "/apis/monitoring.example.io/v1/namespaces/default/prometheuses/main/scale");
    assert_eq!(code, 200);
    assert_eq!((scale["kind"].as_str(), scale["apiVersion"].as_str()), (Some("Scale"), Some("autoscaling/v1")));
    assert_eq!(scale["spec"]["replicas"], 3);
    assert_eq!(scale["status"], json!({"replicas": 3, "selector": "app=prometheus"}));
    let table = k.kubectl(&["get", "prom", "main"]).ok();
    assert_eq!(
        table.lines().nth(1).unwrap().split_whitespace().take(4).collect::<Vec<_>>(),
        ["main", "v2.53.0", "3", "2"],
        "{table}"
    );
    let (code, o, _) = request_json(
        &k,
        "PATCH",
        "/apis/monitoring.example.io/v1/namespaces/default/prometheuses/main",
        "application/merge-patch+json",
        &json!({"spec": {"retention": "forever"}}),
    );
    assert_eq!(code, 422);
    assert!(o["message"].as_str().unwrap().contains(
        r#"spec.retention: Invalid value: "forever": spec.retention in body should match '^(0|([0-9]+(y|w|d|h|m|s|ms))+)$'"#
    ), "{o}");

    // Two versions, conversion None: stored in v1alpha1, served in both.
    apply(&k, "app-crd", APPLICATION_CRD, &[]).ok();
    let apps_beta = "/apis/argoproj.example.io/v1beta1/namespaces/default/applications";
    let mut made = (0, Value::Null, Vec::new());
    wait_for("the Application resource", Duration::from_secs(2), || {
        made = request_json(
            &k,
            "POST",
            apps_beta,
            "application/json",
            &json!({"apiVersion": "argoproj.example.io/v1beta1", "kind": "Application", "metadata": {"name": "guestbook"},
                    "spec": {"source": {"repoURL": "https://github.com/argoproj/argocd-example-apps", "path": "guestbook"},
                             "destination": {"server": "https://kubernetes.default.svc", "namespace": "guestbook"},
                             "syncPolicy": {"automated": {}}}}),
        );
        made.0 == 201
    });
    assert_eq!(made.1["apiVersion"], "argoproj.example.io/v1beta1");
    assert_eq!(made.1["spec"]["project"], "default");
    assert_eq!(made.1["spec"]["source"]["targetRevision"], "HEAD");
    assert_eq!(made.1["spec"]["syncPolicy"]["automated"], json!({"prune": false, "selfHeal": false}));
    let (_, alpha) = get_json(&k, "/apis/argoproj.example.io/v1alpha1/namespaces/default/applications/guestbook");
    assert_eq!(alpha["apiVersion"], "argoproj.example.io/v1alpha1");
    let (_, crd) =
        get_json(&k, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.argoproj.example.io");
    assert_eq!(crd["status"]["storedVersions"], json!(["v1alpha1"]));
    let (_, group) = get_json(&k, "/apis/argoproj.example.io");
    assert_eq!(group["preferredVersion"]["version"], "v1beta1", "{group}");

    // A CRD whose short name is taken is not accepted.
    let conflicting = CERTIFICATE_CRD
        .replace("certificates.certs.example.io", "certificaterequests.certs.example.io")
        .replace("plural: certificates", "plural: certificaterequests")
        .replace("singular: certificate", "singular: certificaterequest")
        .replace("kind: Certificate\n", "kind: CertificateRequest\n")
        .replace("listKind: CertificateList", "listKind: CertificateRequestList")
        .replace("shortNames: [cert, certs]", "shortNames: [cert]");
    apply(&k, "conflict-crd", &conflicting, &[]).ok();
    wait_for("NamesAccepted=False", Duration::from_secs(5), || {
        let (_, crd) = get_json(
            &k,
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/certificaterequests.certs.example.io",
        );
        let c = condition(&crd, "NamesAccepted");
        c["status"] == "False" && c["reason"] == "ShortNamesConflict" && c["message"] == r#""cert" is already in use"#
    });
    let (code, _) = get_json(&k, "/apis/certs.example.io/v1/namespaces/default/certificaterequests");
    assert_eq!(code, 404);
    // Gone, so that the Certificate CRD made again below gets its names back.
    k.kubectl(&["delete", "crd", "certificaterequests.certs.example.io", "--timeout=20s"]).ok();

    // An invalid schema is refused with upstream's path and message.
    let invalid = CERTIFICATE_CRD
        .replace("certificates.certs.example.io", "widgets.certs.example.io")
        .replace("plural: certificates", "plural: widgets")
        .replace("singular: certificate", "singular: widget")
        .replace("kind: Certificate\n", "kind: Widget\n")
        .replace("listKind: CertificateList", "listKind: WidgetList")
        .replace("shortNames: [cert, certs]", "shortNames: [wd]")
        .replace(
            "          spec:\n            type: object\n            description: The desired state",
            "          spec:\n            description: The desired state",
        );
    let refused = apply(&k, "invalid-crd", &invalid, &[]);
    assert!(!refused.success);
    assert!(
        refused.stderr.contains("spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"),
        "{}",
        refused.stderr
    );

    // Deleting a CRD deletes its objects, then the CRD.
    let deleted = k.kubectl(&["delete", "crd", "certificates.certs.example.io", "--timeout=20s"]).ok();
    assert!(deleted.contains("deleted"), "{deleted}");
    let (code, _) =
        get_json(&k, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/certificates.certs.example.io");
    assert_eq!(code, 404);
    wait_for("the Certificate resource to go", Duration::from_secs(5), || get_json(&k, CERTS).0 == 404);
    apply(&k, "cert-crd", CERTIFICATE_CRD, &[]).ok();
    wait_for("the Certificate resource again", Duration::from_secs(2), || get_json(&k, CERTS).0 == 200);
    let (_, list) = get_json(&k, CERTS);
    assert_eq!(list["items"], json!([]), "{list}");
    assert_eq!(list["kind"], "CertificateList");

    // After a restart the CRDs and their objects are served at once.
    let data = k.data_dir.clone();
    let exit = k.stop(libc::SIGTERM, Duration::from_secs(20));
    assert!(exit.status.success(), "{}", exit.stderr);
    let k = Kubox::start(&data);
    let (code, prom) = get_json(&k, "/apis/monitoring.example.io/v1/namespaces/default/prometheuses/main");
    assert_eq!(code, 200, "{prom}");
    assert_eq!(prom["spec"]["replicas"], 3);
    let table = k.kubectl(&["get", "applications.argoproj.example.io"]).ok();
    assert!(table.contains("guestbook"), "{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kube_rs_watches_custom_objects() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    apply(&k, "prom-crd", PROMETHEUS_CRD, &[]).ok();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let kubeconfig = kube::config::Kubeconfig::read_from(k.kubeconfig()).unwrap();
    let config =
        kube::Config::from_custom_kubeconfig(kubeconfig, &kube::config::KubeConfigOptions::default()).await.unwrap();
    let client = kube::Client::try_from(config).unwrap();
    let ar = ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk("monitoring.example.io", "v1", "Prometheus"),
        "prometheuses",
    );
    let api: Api<DynamicObject> = Api::namespaced_with(client, "default", &ar);
    let start = Instant::now();
    let list = loop {
        match api.list(&Default::default()).await {
            Ok(l) => break l,
            Err(e) => {
                assert!(start.elapsed() < Duration::from_secs(1), "not served within a second: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    let rv = list.metadata.resource_version.unwrap();
    let mut events = api.watch(&WatchParams::default(), &rv).await.unwrap().boxed();

    let mut obj = DynamicObject::new("main", &ar).within("default");
    obj.data = json!({"spec": {"version": "v3.0.0", "replicas": 1}});
    let created = api.create(&PostParams::default(), &obj).await.unwrap();
    assert_eq!(created.data["spec"]["retention"], "24h");
    let mut changed = created.clone();
    changed.data["spec"]["replicas"] = json!(2);
    api.replace("main", &PostParams::default(), &changed).await.unwrap();
    api.delete("main", &DeleteParams::default()).await.unwrap();

    let mut seen = Vec::new();
    while seen.len() < 3 {
        let event = tokio::time::timeout(Duration::from_secs(10), events.next()).await.unwrap().unwrap().unwrap();
        match event {
            WatchEvent::Added(o) => seen.push(("ADDED", o.data["spec"]["replicas"].clone())),
            WatchEvent::Modified(o) => seen.push(("MODIFIED", o.data["spec"]["replicas"].clone())),
            WatchEvent::Deleted(o) => seen.push(("DELETED", o.data["spec"]["replicas"].clone())),
            WatchEvent::Bookmark(_) => {}
            WatchEvent::Error(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(seen, vec![("ADDED", json!(1)), ("MODIFIED", json!(2)), ("DELETED", json!(2))]);
    let err = api.get("main").await.unwrap_err();
    assert!(matches!(err, kube::Error::Api(s) if s.code == 404));
}
