//! The real kubectl against the real kubox: create, apply (three times, with
//! edits), every output format, watch, the three patch types, label,
//! annotate, scale, replace, edit, delete and wait, diff, api-resources,
//! api-versions, explain, get all, and namespace deletion with content.
//! Run with the machine's kubectl (a dispatcher that picks a version for the
//! server) and explicitly with the newest (1.33) and an old one (1.28).

use std::time::{Duration, Instant};

use kubox_tests::Kubox;

const KUBECTL_133: &str = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
const KUBECTL_128: &str = "/usr/lib/google-cloud-sdk/bin/kubectl.1.28";

const APP: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        args: ["sleep", "3600"]
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
      - name: sidecar
        image: busybox:1.36
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
"#;

struct Session {
    kubox: Kubox,
    _dir: tempfile::TempDir,
    kubectl: String,
}

impl Session {
    fn new(kubectl: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let kubox = Kubox::start(dir.path());
        Self { kubox, _dir: dir, kubectl: kubectl.to_string() }
    }

    fn run(&self, args: &[&str]) -> String {
        self.kubox.kubectl_with(&self.kubectl, args, &[]).ok()
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        self.kubox.kubectl_with(&self.kubectl, args, env).ok()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.kubox.kubectl_with(&self.kubectl, args, &[]);
        assert!(!out.success, "expected kubectl {args:?} to fail, got: {}", out.stdout);
        out.stderr
    }

    fn file(&self, name: &str, contents: &str) -> String {
        let path = self.kubox.data_dir.join(name);
        std::fs::write(&path, contents).unwrap();
        path.to_string_lossy().into_owned()
    }
}

/// create, apply three times with edits (a changed replica count, a
/// changed env value, a removed container), diff, and the output formats.
fn apply_and_outputs(s: &Session) {
    let app = s.file("app.yaml", APP);
    let out = s.run(&["create", "-f", &app]);
    assert!(out.contains("deployment.apps/api created") && out.contains("service/api created"), "{out}");
    s.run(&["delete", "-f", &app, "--wait"]);
    assert!(s.run(&["apply", "-f", &app]).contains("deployment.apps/api created"));

    let edited = APP.replace("replicas: 2", "replicas: 3").replace(r#"value: "2""#, r#"value: "22""#);
    s.file("app.yaml", &edited);
    let out = s.run(&["apply", "-f", &app]);
    assert!(out.contains("deployment.apps/api configured") && out.contains("service/api unchanged"), "{out}");
    let without_sidecar = edited.replace("      - name: sidecar\n        image: busybox:1.36\n", "");
    s.file("app.yaml", &without_sidecar);
    assert!(s.run(&["apply", "-f", &app]).contains("deployment.apps/api configured"));
    assert!(s.run(&["apply", "-f", &app]).contains("deployment.apps/api unchanged"));
    let state = s.run(&["get", "deploy", "api", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].env[1].value}"]);
    assert_eq!(state, "3 app 22");

    // diff is a server-side dry run: nothing to show, then a change.
    let out = s.kubox.kubectl_with(&s.kubectl, &["diff", "-f", &app], &[]);
    assert!(out.success && out.stdout.is_empty(), "diff of an applied file: {} {}", out.stdout, out.stderr);
    s.file("app.yaml", &without_sidecar.replace("replicas: 3", "replicas: 4"));
    let out = s.kubox.kubectl_with(&s.kubectl, &["diff", "-f", &app], &[]);
    assert_eq!(out.stdout.lines().filter(|l| l.starts_with("+  replicas: 4")).count(), 1, "{}", out.stdout);
    assert_eq!(s.run(&["get", "deploy", "api", "-o", "jsonpath={.spec.replicas}"]), "3", "diff changed nothing");

    // Output formats.
    let yaml = s.run(&["get", "deploy", "api", "-o", "yaml"]);
    for field in [
        "progressDeadlineSeconds: 600",
        "revisionHistoryLimit: 10",
        "maxSurge: 25%",
        "terminationMessagePath: /dev/termination-log",
        "imagePullPolicy: IfNotPresent",
        "schedulerName: default-scheduler",
        "status: {}",
    ] {
        assert!(yaml.contains(field), "defaulted field {field} missing:\n{yaml}");
    }
    let json: serde_json::Value = serde_json::from_str(&s.run(&["get", "svc", "api", "-o", "json"])).unwrap();
    assert_eq!(json["spec"]["type"], "ClusterIP");
    assert!(json["spec"]["clusterIP"].as_str().unwrap().starts_with("10."));
    assert_eq!(json["spec"]["ports"][0]["protocol"], "TCP");
    let wide = s.run(&["get", "deploy", "-o", "wide"]);
    let header: Vec<&str> = wide.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]);
    assert!(wide.contains("app=api"), "{wide}");
    assert_eq!(s.run(&["get", "cm", "settings", "-o", "name"]), "configmap/settings\n");
    assert_eq!(
        s.run(&["get", "cm", "settings", "-o", "custom-columns=NAME:.metadata.name,MODE:.data.mode"]),
        "NAME       MODE\nsettings   fast\n"
    );
    let svc = s.run(&["get", "svc"]);
    assert!(svc.lines().next().unwrap().starts_with("NAME         TYPE        CLUSTER-IP"), "{svc}");
    assert!(svc.contains("kubernetes   ClusterIP   10.96.0.1"), "{svc}");
}

/// label, annotate, scale, the three patch types, replace and edit.
fn changes(s: &Session) {
    s.run(&["create", "deployment", "web", "--image=nginx:1.25", "--replicas=2"]);
    s.run(&["label", "deploy", "web", "tier=front"]);
    s.run(&["annotate", "deploy", "web", "owner=team-a"]);
    assert_eq!(s.run(&["get", "deploy", "-l", "tier=front", "-o", "name"]), "deployment.apps/web\n");
    assert_eq!(
        s.run(&["get", "deploy", "-l", "tier!=front", "-o", "name"]),
        "deployment.apps/api\n",
        "objects without the label match !="
    );
    s.run(&["scale", "deploy", "web", "--replicas=5"]);
    assert_eq!(s.run(&["get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.metadata.generation}"]), "5 2");
    s.run(&["patch", "deploy", "web", "--type=merge", "-p", r#"{"spec":{"minReadySeconds":7}}"#]);
    s.run(&["patch", "deploy", "web", "--type=json", "-p", r#"[{"op":"replace","path":"/spec/replicas","value":1}]"#]);
    s.run(&[
        "patch",
        "deploy",
        "web",
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}"#,
    ]);
    assert_eq!(
        s.run(&["get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.spec.minReadySeconds} {.spec.template.spec.containers[0].image} {.metadata.labels.tier} {.metadata.annotations.owner}"]),
        "1 7 nginx:1.26 front team-a"
    );
    // A failing JSON patch test op is refused and changes nothing.
    let err = s.fails(&[
        "patch",
        "deploy",
        "web",
        "--type=json",
        "-p",
        r#"[{"op":"test","path":"/spec/replicas","value":9}]"#,
    ]);
    // kube-apiserver does not say why a JSON patch failed; kubectl prints this.
    assert!(
        err.contains("The request is invalid: the server rejected our request due to an error in our request"),
        "{err}"
    );

    s.run(&["create", "configmap", "cfg", "--from-literal=a=1", "--from-literal=b=2"]);
    let mut cm = s.run(&["get", "cm", "cfg", "-o", "yaml"]);
    cm = cm.replace("a: \"1\"", "a: \"100\"");
    let path = s.file("cm.yaml", &cm);
    assert!(s.run(&["replace", "-f", &path]).contains("configmap/cfg replaced"));
    // replace with a stale resourceVersion is a conflict.
    let err = s.fails(&["replace", "-f", &path]);
    assert!(err.contains("Conflict") && err.contains("the object has been modified"), "{err}");
    let editor = s.file("editor.sh", "#!/bin/sh\nsed -i 's/b: \"2\"/b: edited/' \"$1\"\n");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    assert!(s.run_env(&["edit", "cm", "cfg"], &[("KUBE_EDITOR", &editor)]).contains("configmap/cfg edited"));
    assert_eq!(s.run(&["get", "cm", "cfg", "-o", "jsonpath={.data.a},{.data.b}"]), "100,edited");
}

/// get -w sees ADDED, MODIFIED and DELETED; delete --wait and wait --for=delete.
fn watch_and_delete(s: &Session) {
    let mut watcher = std::process::Command::new(&s.kubectl)
        .args(["get", "cm", "-w", "--output-watch-events", "--request-timeout=20s"])
        .env("KUBECONFIG", s.kubox.kubeconfig())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    s.run(&["create", "cm", "w1", "--from-literal=x=1"]);
    s.run(&["label", "cm", "w1", "a=b"]);
    s.run(&["delete", "cm", "w1", "--wait"]);
    std::thread::sleep(Duration::from_millis(700));
    let _ = watcher.kill();
    let out = watcher.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let events: Vec<(&str, &str)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() >= 2).then(|| (f[0], f[1]))
        })
        .collect();
    assert!(
        events.contains(&("ADDED", "w1"))
            && events.contains(&("MODIFIED", "w1"))
            && events.contains(&("DELETED", "w1")),
        "{text}"
    );

    s.run(&["run", "p1", "--image=nginx"]);
    let start = Instant::now();
    let mut waiter = std::process::Command::new(&s.kubectl)
        .args(["wait", "--for=delete", "pod/p1", "--timeout=30s"])
        .env("KUBECONFIG", s.kubox.kubeconfig())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(s.run(&["delete", "pod", "p1", "--wait"]).contains("pod \"p1\" deleted"));
    let status = waiter.wait().unwrap();
    assert!(status.success(), "kubectl wait --for=delete did not see the deletion");
    assert!(start.elapsed() < Duration::from_secs(20), "kubectl wait took {:?}", start.elapsed());
    assert!(s.fails(&["get", "pod", "p1"]).contains("NotFound"));
}

/// Discovery and OpenAPI as kubectl uses them.
fn discovery(s: &Session) {
    let resources = s.run(&["api-resources"]);
    assert!(resources.lines().count() >= 60, "{resources}");
    let deploy = resources.lines().find(|l| l.starts_with("deployments")).unwrap();
    assert_eq!(
        deploy.split_whitespace().collect::<Vec<_>>(),
        ["deployments", "deploy", "apps/v1", "true", "Deployment"]
    );
    let versions = s.run(&["api-versions"]);
    for gv in [
        "v1",
        "apps/v1",
        "autoscaling/v1",
        "autoscaling/v2",
        "batch/v1",
        "rbac.authorization.k8s.io/v1",
        "resource.k8s.io/v1",
    ] {
        assert!(versions.lines().any(|l| l == gv), "{gv} missing from {versions}");
    }
    let explain = s.run(&["explain", "pods.spec.containers"]);
    assert!(
        explain.contains("KIND:") && explain.contains("Pod") && explain.contains("FIELD: containers <[]Container>"),
        "{explain}"
    );
    assert!(explain.contains("imagePullPolicy"), "{explain}");
    let explain = s.run(&["explain", "deployment.spec.strategy.rollingUpdate.maxSurge"]);
    assert!(explain.contains("maxSurge") && explain.contains("IntOrString"), "{explain}");
}

/// get all -A, and a namespace with content that deletes completely.
fn namespaces(s: &Session) {
    s.run(&["create", "namespace", "work"]);
    s.run(&["-n", "work", "create", "configmap", "x", "--from-literal=k=v"]);
    s.run(&["-n", "work", "create", "deployment", "d", "--image=nginx"]);
    s.run(&["-n", "work", "run", "p", "--image=nginx"]);
    s.run(&["-n", "work", "create", "service", "clusterip", "svc", "--tcp=80:8080"]);
    let all = s.run(&["get", "all", "-A"]);
    for line in [
        "work        pod/p",
        "work        service/svc",
        "default     service/kubernetes",
        "work        deployment.apps/d",
    ] {
        assert!(all.lines().any(|l| l.starts_with(line)), "{line} missing from:\n{all}");
    }
    assert_eq!(
        s.run(&[
            "get",
            "ns",
            "work",
            "-o",
            "jsonpath={.spec.finalizers[0]} {.status.phase} {.metadata.labels.kubernetes\\.io/metadata\\.name}"
        ]),
        "kubernetes Active work"
    );
    assert!(s.run(&["delete", "namespace", "work", "--timeout=60s"]).contains("namespace \"work\" deleted"));
    let out = s.kubox.kubectl_with(&s.kubectl, &["get", "ns", "work"], &[]);
    assert!(!out.success && out.stderr.contains("NotFound"), "{}", out.stderr);
    // Creating in a missing namespace is refused as kube-apiserver refuses it.
    let err = s.fails(&["-n", "gone", "create", "configmap", "c"]);
    assert!(err.contains("namespaces \"gone\" not found"), "{err}");
}

#[test]
fn kubectl_end_to_end() {
    let s = Session::new(&kubox_tests::kubectl_binary());
    apply_and_outputs(&s);
    changes(&s);
    watch_and_delete(&s);
    discovery(&s);
    namespaces(&s);
}

#[test]
fn kubectl_1_33_end_to_end() {
    let s = Session::new(KUBECTL_133);
    apply_and_outputs(&s);
    changes(&s);
    discovery(&s);
}

#[test]
fn kubectl_1_28_end_to_end() {
    let s = Session::new(KUBECTL_128);
    apply_and_outputs(&s);
    changes(&s);
    discovery(&s);
    namespaces(&s);
}
