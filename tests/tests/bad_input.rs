//! Bad input end to end: malformed bodies in every format, bodies of the
//! wrong type or place, oversized bodies and objects, invalid names and
//! labels, bad query parameters, strict field validation, unsupported media
//! types, bad patches, missing objects and verbs, stale updates. Each gets
//! the HTTP status, Status reason and message kube-apiserver 1.35 answers
//! with (its texts from k8s.io/apiserver's handlers and k8s.io/apimachinery's
//! serializers, errors and validation), never a panic or a hang. Where kubox
//! differs on purpose (docs/api.md lists the differences), the test says so.

use kubox_tests::{HttpResponse, Kubox};
use serde_json::{Value, json};

const CONFIGMAPS: &str = "/api/v1/namespaces/default/configmaps";
const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/default/deployments";
const JSON: (&str, &str) = ("Content-Type", "application/json");
const YAML: (&str, &str) = ("Content-Type", "application/yaml");
const PROTOBUF: (&str, &str) = ("Content-Type", "application/vnd.kubernetes.protobuf");

/// The Status in a response, after checking the HTTP status and that the
/// body is a Failure Status with the same code.
fn failure(r: &HttpResponse, code: u16) -> Value {
    assert_eq!(r.status, code, "{}", r.text());
    let s = r.json();
    assert_eq!((s["kind"].as_str(), s["apiVersion"].as_str()), (Some("Status"), Some("v1")), "{s}");
    assert_eq!(s["status"], "Failure", "{s}");
    assert_eq!(s["code"], code, "{s}");
    s
}

/// Asserts code, reason (None: no reason, as Go omits StatusReasonUnknown)
/// and the exact message.
fn expect(r: &HttpResponse, code: u16, reason: Option<&str>, message: &str) -> Value {
    let s = failure(r, code);
    assert_eq!(s["reason"].as_str(), reason, "{s}");
    assert_eq!(s["message"].as_str(), Some(message), "{s}");
    s
}

/// Asserts code, reason and that the message starts with `prefix` and ends
/// with `suffix` (the part in between is a parser's own wording).
fn expect_around(r: &HttpResponse, code: u16, reason: &str, prefix: &str, suffix: &str) -> Value {
    let s = failure(r, code);
    assert_eq!(s["reason"].as_str(), Some(reason), "{s}");
    let message = s["message"].as_str().unwrap_or_default();
    assert!(message.starts_with(prefix) && message.ends_with(suffix), "message {message:?}");
    s
}

/// kube-apiserver's summary of a body in decode errors: the text when it
/// starts with `{`, hex otherwise, cut at 30 bytes.
fn summary(body: &[u8]) -> String {
    let head = &body[..body.len().min(30)];
    let mut s = if body.first() == Some(&b'{') {
        String::from_utf8_lossy(head).into_owned()
    } else {
        head.iter().map(|b| format!("{b:02x}")).collect()
    };
    if body.len() > 30 {
        s.push_str(" ...");
    }
    s
}

fn post(k: &Kubox, path: &str, content_type: (&str, &str), body: &[u8]) -> HttpResponse {
    k.request("POST", path, &[content_type], body, true)
}

fn post_json(k: &Kubox, path: &str, body: &Value) -> HttpResponse {
    post(k, path, JSON, body.to_string().as_bytes())
}

fn configmap(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})
}

fn deployment(name: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}
            }
        }
    })
}

/// A protobuf length-delimited field.
fn pb_field(tag: u8, bytes: &[u8]) -> Vec<u8> {
    assert!(bytes.len() < 128);
    let mut out = vec![tag << 3 | 2, bytes.len() as u8];
    out.extend_from_slice(bytes);
    out
}

/// A `k8s\0` envelope of apiVersion v1 / kind ConfigMap around `raw`.
fn pb_envelope(raw: &[u8]) -> Vec<u8> {
    let type_meta = [pb_field(1, b"v1"), pb_field(2, b"ConfigMap")].concat();
    [b"k8s\0".to_vec(), pb_field(1, &type_meta), pb_field(2, raw)].concat()
}

const UNRECOGNIZED: &str = "the object provided is unrecognized (must be of type ConfigMap): ";

#[test]
fn malformed_json_yaml_and_protobuf_bodies_are_400s() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());

    // JSON that ends early, and JSON that never starts.
    let cut = br#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"#;
    let r = post(&k, CONFIGMAPS, JSON, cut);
    let message = format!(
        "{UNRECOGNIZED}couldn't get version/kind; json parse error: unexpected end of JSON input ({})",
        summary(cut)
    );
    expect(&r, 400, Some("BadRequest"), &message);
    assert!(message.ends_with(r#"({"apiVersion":"v1","kind":"Con ...)"#));
    let r = post(&k, CONFIGMAPS, JSON, b"xyz");
    expect(
        &r,
        400,
        Some("BadRequest"),
        &format!(
            "{UNRECOGNIZED}couldn't get version/kind; json parse error: invalid character 'x' looking for beginning of value (78797a)"
        ),
    );
    // Valid JSON that is not an object.
    let r = post(&k, CONFIGMAPS, JSON, b"[1]");
    expect(
        &r,
        400,
        Some("BadRequest"),
        &format!(
            "{UNRECOGNIZED}couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }} (5b315d)"
        ),
    );
    // An empty body.
    expect(
        &post(&k, CONFIGMAPS, JSON, b""),
        400,
        Some("BadRequest"),
        &format!("{UNRECOGNIZED}couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)"),
    );

    // YAML: the words after the line are the YAML parser's own.
    let yaml = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n";
    let r = post(&k, CONFIGMAPS, YAML, yaml);
    expect_around(
        &r,
        400,
        "BadRequest",
        &format!("{UNRECOGNIZED}error converting YAML to JSON: yaml: line "),
        &format!(" ({})", summary(yaml)),
    );

    // Protobuf: a bad magic number, an envelope cut short, garbage inside
    // a good envelope, nothing at all.
    let bad_magic = b"k9s\0abc";
    expect(
        &post(&k, CONFIGMAPS, PROTOBUF, bad_magic),
        400,
        Some("BadRequest"),
        &format!(
            "{UNRECOGNIZED}provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (6b397300616263)"
        ),
    );
    let truncated = b"k8s\0\x0a\x05\x0a\x02v1";
    expect(
        &post(&k, CONFIGMAPS, PROTOBUF, truncated),
        400,
        Some("BadRequest"),
        &format!("{UNRECOGNIZED}unexpected EOF (6b3873000a050a027631)"),
    );
    expect(
        &post(&k, CONFIGMAPS, PROTOBUF, &pb_envelope(b"\xff\xff\xff")),
        400,
        Some("BadRequest"),
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: unexpected EOF",
    );
    expect(
        &post(&k, CONFIGMAPS, PROTOBUF, &pb_envelope(b"\x0a\x05\x0a")),
        400,
        Some("BadRequest"),
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: unexpected EOF",
    );
    expect(
        &post(&k, CONFIGMAPS, PROTOBUF, b"k8s\0"),
        400,
        Some("BadRequest"),
        &format!("{UNRECOGNIZED}empty body (6b387300)"),
    );
    expect(
        &post(&k, CONFIGMAPS, PROTOBUF, b""),
        400,
        Some("BadRequest"),
        &format!("{UNRECOGNIZED}empty data (<empty>)"),
    );
    // A well-formed protobuf ConfigMap still works.
    let meta = pb_field(1, b"pb");
    let r = post(&k, CONFIGMAPS, PROTOBUF, &pb_envelope(&pb_field(1, &meta)));
    assert_eq!(r.status, 201, "{}", r.text());

    // 10,000 levels of nesting inside an object: deeper than kube-apiserver's
    // JSON scanner allows (10,000 in all).
    let mut deep = br#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"k":"#.to_vec();
    deep.extend(std::iter::repeat_n(b'[', 10_000));
    deep.extend(std::iter::repeat_n(b']', 10_000));
    deep.extend_from_slice(b"}}");
    expect(
        &post(&k, CONFIGMAPS, JSON, &deep),
        400,
        Some("BadRequest"),
        &format!("{UNRECOGNIZED}couldn't get version/kind; json parse error: exceeded max depth ({})", summary(&deep)),
    );
    // The server is still well.
    assert_eq!(k.request("GET", CONFIGMAPS, &[], b"", true).status, 200);
}

#[test]
fn bodies_of_the_wrong_type_or_place_are_400s() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());

    // A kind the endpoint does not serve.
    let mut secret = configmap("a");
    secret["kind"] = json!("Secret");
    expect(
        &post_json(&k, CONFIGMAPS, &secret),
        400,
        Some("BadRequest"),
        "Secret in version \"v1\" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion",
    );
    let mut wrong = deployment("a");
    wrong["kind"] = json!("StatefulSet");
    expect(
        &post_json(&k, DEPLOYMENTS, &wrong),
        400,
        Some("BadRequest"),
        "StatefulSet in version \"v1\" cannot be handled as a Deployment: converting (v1.StatefulSet) to (apps.Deployment): unknown conversion",
    );
    // A version that has no such kind.
    let mut apps = configmap("a");
    apps["apiVersion"] = json!("apps/v1");
    expect(
        &post_json(&k, CONFIGMAPS, &apps),
        400,
        Some("BadRequest"),
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: no kind \"ConfigMap\" is registered for version \"apps/v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"",
    );
    let mut unknown = configmap("a");
    unknown["kind"] = json!("Gadget");
    expect(
        &post_json(&k, CONFIGMAPS, &unknown),
        400,
        Some("BadRequest"),
        "Gadget in version \"v1\" cannot be handled as a ConfigMap: no kind \"Gadget\" is registered for version \"v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"",
    );
    // Another served version of the same kind.
    let hpa = json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
                     "spec": {"maxReplicas": 2, "scaleTargetRef": {"kind": "Deployment", "name": "d"}}});
    expect(
        &post_json(&k, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", &hpa),
        400,
        Some("BadRequest"),
        "the API version in the data (autoscaling/v1) does not match the expected API version (autoscaling/v2)",
    );

    // A namespace in the body that is not the URL's.
    let mut elsewhere = configmap("a");
    elsewhere["metadata"]["namespace"] = json!("kube-system");
    expect(
        &post_json(&k, CONFIGMAPS, &elsewhere),
        400,
        Some("BadRequest"),
        "the namespace of the provided object does not match the namespace sent on the request",
    );
    assert_eq!(post_json(&k, CONFIGMAPS, &configmap("a")).status, 201);
    let r = k.request("PUT", &format!("{CONFIGMAPS}/a"), &[JSON], elsewhere.to_string().as_bytes(), true);
    expect(
        &r,
        400,
        Some("BadRequest"),
        "the namespace of the provided object does not match the namespace sent on the request",
    );
    // An update whose name is not the URL's.
    let r = k.request("PUT", &format!("{CONFIGMAPS}/a"), &[JSON], configmap("b").to_string().as_bytes(), true);
    expect(&r, 400, Some("BadRequest"), "the name of the object (b) does not match the name on the URL (a)");
}

#[test]
fn oversized_bodies_and_objects() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());

    // Over the 3 MiB request body limit.
    let mut big = configmap("big");
    big["data"] = json!({"k": "x".repeat(3 * 1024 * 1024)});
    expect(
        &post_json(&k, CONFIGMAPS, &big),
        413,
        Some("RequestEntityTooLarge"),
        "Request entity too large: limit is 3145728",
    );

    // Over a ConfigMap's 1 MiB of data: validation refuses it.
    big["data"] = json!({"a": "x".repeat(600 * 1024), "b": "y".repeat(600 * 1024)});
    let s = expect(
        &post_json(&k, CONFIGMAPS, &big),
        422,
        Some("Invalid"),
        "ConfigMap \"big\" is invalid: []: Too long: may not be more than 1048576 bytes",
    );
    assert_eq!(s["details"]["causes"][0]["reason"], "FieldValueTooLong");
    assert_eq!(s["details"]["causes"][0]["message"], "Too long: may not be more than 1048576 bytes");

    // A valid object whose stored form is over etcd's 1.5 MiB request limit:
    // kube-apiserver passes etcd's refusal through as a reasonless 500.
    let mut huge = deployment("huge");
    huge["spec"]["template"]["spec"]["containers"][0]["env"] =
        json!([{"name": "BIG", "value": "z".repeat(1600 * 1024)}]);
    expect(&post_json(&k, DEPLOYMENTS, &huge), 500, None, "etcdserver: request is too large");
    let r = k.request("GET", &format!("{DEPLOYMENTS}/huge"), &[], b"", true);
    assert_eq!(r.status, 404, "nothing was stored: {}", r.text());
    // The store took nothing and still serves.
    assert_eq!(post_json(&k, DEPLOYMENTS, &deployment("small")).status, 201);
}

#[test]
fn invalid_names_and_labels_are_422s() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    const SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    // Namespaced: a ConfigMap's name is a DNS subdomain.
    for bad in ["Upper", "under_score", "dot.", "sp ace"] {
        let s = expect(
            &post_json(&k, CONFIGMAPS, &configmap(bad)),
            422,
            Some("Invalid"),
            &format!("ConfigMap \"{bad}\" is invalid: metadata.name: Invalid value: \"{bad}\": {SUBDOMAIN}"),
        );
        assert_eq!((s["details"]["name"].as_str(), s["details"]["kind"].as_str()), (Some(bad), Some("ConfigMap")));
        assert_eq!(s["details"]["causes"][0]["field"], "metadata.name");
        assert_eq!(s["details"]["causes"][0]["reason"], "FieldValueInvalid");
    }
    let long = "a".repeat(254);
    expect(
        &post_json(&k, CONFIGMAPS, &configmap(&long)),
        422,
        Some("Invalid"),
        &format!(
            "ConfigMap \"{long}\" is invalid: metadata.name: Invalid value: \"{long}\": must be no more than 253 characters"
        ),
    );

    // Cluster-scoped: a Namespace's name is a DNS label.
    let namespace = |name: &str| json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}});
    for (bad, why) in [("Upper", LABEL), ("under_score", LABEL), ("dotted.name", "must not contain dots")] {
        expect(
            &post_json(&k, "/api/v1/namespaces", &namespace(bad)),
            422,
            Some("Invalid"),
            &format!("Namespace \"{bad}\" is invalid: metadata.name: Invalid value: \"{bad}\": {why}"),
        );
    }
    let long = "n".repeat(64);
    expect(
        &post_json(&k, "/api/v1/namespaces", &namespace(&long)),
        422,
        Some("Invalid"),
        // The name is also the kubernetes.io/metadata.name label defaulting sets.
        &format!(
            "Namespace \"{long}\" is invalid: [metadata.name: Invalid value: \"{long}\": must be no more than 63 characters, metadata.labels: Invalid value: \"{long}\": must be no more than 63 bytes]"
        ),
    );

    // Label keys and values.
    let labelled = |key: &str, value: &str| {
        let mut c = configmap("l");
        c["metadata"]["labels"] = json!({key: value});
        c
    };
    expect(
        &post_json(&k, CONFIGMAPS, &labelled("-bad", "v")),
        422,
        Some("Invalid"),
        "ConfigMap \"l\" is invalid: metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
    expect(
        &post_json(&k, CONFIGMAPS, &labelled("a/b/c", "v")),
        422,
        Some("Invalid"),
        "ConfigMap \"l\" is invalid: metadata.labels: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    expect(
        &post_json(&k, CONFIGMAPS, &labelled("ok", "bad value!")),
        422,
        Some("Invalid"),
        "ConfigMap \"l\" is invalid: metadata.labels: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
    let long_value = "v".repeat(64);
    expect(
        &post_json(&k, CONFIGMAPS, &labelled("ok", &long_value)),
        422,
        Some("Invalid"),
        &format!(
            "ConfigMap \"l\" is invalid: metadata.labels: Invalid value: \"{long_value}\": must be no more than 63 bytes"
        ),
    );
}

#[test]
fn query_parameters_unknown_are_ignored_and_bad_values_refused() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let get = |path: &str| k.request("GET", path, &[], b"", true);

    // Unknown parameters are ignored, on reads and writes.
    assert_eq!(get(&format!("{CONFIGMAPS}?foo=bar&limit=1&x")).status, 200);
    let r = post_json(&k, &format!("{CONFIGMAPS}?frobnicate=yes"), &configmap("a"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get(&format!("{CONFIGMAPS}/a?unknown=1")).status, 200);

    // Integers that are not.
    expect(
        &get(&format!("{CONFIGMAPS}?limit=abc")),
        400,
        Some("BadRequest"),
        "strconv.ParseInt: parsing \"abc\": invalid syntax",
    );
    expect(
        &get(&format!("{CONFIGMAPS}?limit=")),
        400,
        Some("BadRequest"),
        "strconv.ParseInt: parsing \"\": invalid syntax",
    );
    expect(
        &get(&format!("{CONFIGMAPS}?limit=99999999999999999999")),
        400,
        Some("BadRequest"),
        "strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
    );
    expect(
        &get(&format!("{CONFIGMAPS}?watch=true&timeoutSeconds=x")),
        400,
        Some("BadRequest"),
        "strconv.ParseInt: parsing \"x\": invalid syntax",
    );
    // Booleans: anything but 0 and false is true, never an error.
    let r = get(&format!("{CONFIGMAPS}?watch=true&timeoutSeconds=1&allowWatchBookmarks=maybe"));
    assert_eq!(r.status, 200, "{}", r.text());
    // watch=maybe is a watch (a_watch_flag_is_read_as_kube_apiserver_reads_it).
    assert!(get(&format!("{CONFIGMAPS}?watch=maybe&timeoutSeconds=1")).status < 300);

    // List options that contradict each other.
    let s = expect(
        &get(&format!("{CONFIGMAPS}?resourceVersionMatch=NotOlderThan")),
        422,
        Some("Invalid"),
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
    );
    assert_eq!(
        (s["details"]["group"].as_str(), s["details"]["kind"].as_str()),
        (Some("meta.k8s.io"), Some("ListOptions"))
    );

    // Write options.
    expect(
        &post_json(&k, &format!("{CONFIGMAPS}?fieldValidation=Bogus"), &configmap("b")),
        422,
        Some("Invalid"),
        "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Bogus\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
    );
    let r = k.request(
        "PUT",
        &format!("{CONFIGMAPS}/a?fieldValidation=Bogus"),
        &[JSON],
        configmap("a").to_string().as_bytes(),
        true,
    );
    expect(
        &r,
        422,
        Some("Invalid"),
        "UpdateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Bogus\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
    );
    let s = expect(
        &post_json(&k, &format!("{CONFIGMAPS}?dryRun=Yes"), &configmap("b")),
        422,
        Some("Invalid"),
        "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Yes\"}: supported values: \"All\"",
    );
    assert_eq!(s["details"]["causes"][0]["reason"], "FieldValueNotSupported");
    let r = k.request(
        "PATCH",
        &format!("{CONFIGMAPS}/a?dryRun=All&dryRun=Yes"),
        &[("Content-Type", "application/merge-patch+json")],
        b"{}",
        true,
    );
    expect(
        &r,
        422,
        Some("Invalid"),
        "PatchOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"All\", \"Yes\"}: supported values: \"All\"",
    );
    // dryRun=All twice is still a dry run.
    let r = post_json(&k, &format!("{CONFIGMAPS}?dryRun=All&dryRun=All"), &configmap("dry"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get(&format!("{CONFIGMAPS}/dry")).status, 404);
    let s = expect(
        &k.request("DELETE", &format!("{CONFIGMAPS}/a?propagationPolicy=Sideways"), &[], b"", true),
        422,
        Some("Invalid"),
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
    );
    assert_eq!(
        (s["details"]["group"].as_str(), s["details"]["kind"].as_str()),
        (Some("meta.k8s.io"), Some("DeleteOptions"))
    );
    // The object is untouched by all of it.
    assert_eq!(get(&format!("{CONFIGMAPS}/a")).status, 200);
}

#[test]
fn field_validation_strict_refuses_and_warn_warns() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let mut extra = deployment("d");
    extra["spec"]["foo"] = json!(1);

    expect(
        &post_json(&k, &format!("{DEPLOYMENTS}?fieldValidation=Strict"), &extra),
        400,
        Some("BadRequest"),
        "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.foo\"",
    );
    let duplicated = br#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","name":"b"}}"#;
    expect(
        &post(&k, &format!("{CONFIGMAPS}?fieldValidation=Strict"), JSON, duplicated),
        400,
        Some("BadRequest"),
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: duplicate field \"metadata.name\"",
    );

    // The default (Warn) stores the object and says what it dropped.
    let r = post_json(&k, DEPLOYMENTS, &extra);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.all("warning"), [r#"299 - "unknown field \"spec.foo\"""#]);
    assert!(r.json()["spec"].get("foo").is_none());
    let r = post(&k, CONFIGMAPS, JSON, duplicated);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.all("warning"), [r#"299 - "duplicate field \"metadata.name\"""#]);
    assert_eq!(r.json()["metadata"]["name"], "b");
    // Ignore says nothing.
    let mut other = extra.clone();
    other["metadata"]["name"] = json!("e");
    let r = post_json(&k, &format!("{DEPLOYMENTS}?fieldValidation=Ignore"), &other);
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(r.all("warning").is_empty());
}

#[test]
fn unsupported_media_types_and_patches() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    assert_eq!(post_json(&k, CONFIGMAPS, &configmap("a")).status, 201);
    let a = format!("{CONFIGMAPS}/a");

    expect(
        &post(&k, CONFIGMAPS, ("Content-Type", "text/plain"), b"hello"),
        415,
        Some("UnsupportedMediaType"),
        "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
    );
    expect(
        &k.request("GET", &a, &[("Accept", "text/html")], b"", true),
        406,
        Some("NotAcceptable"),
        "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf",
    );
    let patch = |content_type: &str, body: &str| {
        k.request("PATCH", &a, &[("Content-Type", content_type)], body.as_bytes(), true)
    };
    // Not a patch type.
    expect(
        &patch("application/json", "{}"),
        415,
        Some("UnsupportedMediaType"),
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml",
    );
    // Server-side apply: not yet.
    expect_around(
        &patch("application/apply-patch+yaml", "data: {}"),
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: ",
        "",
    );
    // A JSON patch that fails is a 422 (json_patch_failures_are_generic_422s
    // checks the words), and so is an operation that does not exist.
    failure(&patch("application/json-patch+json", r#"[{"op":"test","path":"/metadata/name","value":"z"}]"#), 422);
    failure(&patch("application/json-patch+json", r#"[{"op":"bogus","path":"/data/a","value":"x"}]"#), 422);
    // A JSON patch that is not a list of operations.
    failure(&patch("application/json-patch+json", r#"{"op":"add"}"#), 400);
    // Malformed patch JSON.
    failure(&patch("application/merge-patch+json", "{"), 400);
    // A strategic merge patch with an unknown $patch directive.
    let s = failure(&patch("application/strategic-merge-patch+json", r#"{"$patch":"bogus"}"#), 400);
    assert_eq!(s["message"], "unknown patch type: bogus in map: map[$patch:bogus]");
    // The object is as it was.
    let r = k.request("GET", &a, &[], b"", true);
    assert_eq!(r.json()["metadata"]["name"], "a");
    assert!(r.json().get("data").is_none());
}

#[test]
fn missing_objects_resources_and_verbs() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());

    let s = expect(
        &k.request("GET", &format!("{CONFIGMAPS}/missing"), &[], b"", true),
        404,
        Some("NotFound"),
        "configmaps \"missing\" not found",
    );
    assert_eq!(s["details"], json!({"name": "missing", "kind": "configmaps"}));
    let s = expect(
        &k.request("GET", &format!("{DEPLOYMENTS}/missing"), &[], b"", true),
        404,
        Some("NotFound"),
        "deployments.apps \"missing\" not found",
    );
    assert_eq!(s["details"], json!({"name": "missing", "group": "apps", "kind": "deployments"}));
    for path in ["/api/v1/nosuchthings", "/apis/apps/v1/namespaces/default/gadgets/x", "/apis/nosuch.group/v1/things"] {
        expect(
            &k.request("GET", path, &[], b"", true),
            404,
            Some("NotFound"),
            "the server could not find the requested resource",
        );
    }

    // Verbs a resource does not have: no route for the method (405), or no
    // route for the path at all (404).
    const NOT_ALLOWED: &str = "the server does not allow this method on the requested resource";
    expect(&post_json(&k, "/api/v1/componentstatuses", &json!({})), 405, Some("MethodNotAllowed"), NOT_ALLOWED);
    expect(
        &k.request("DELETE", "/api/v1/componentstatuses/etcd-0", &[], b"", true),
        405,
        Some("MethodNotAllowed"),
        NOT_ALLOWED,
    );
    let review = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": "x"}});
    expect(
        &k.request("PUT", "/apis/authentication.k8s.io/v1/tokenreviews", &[JSON], review.to_string().as_bytes(), true),
        405,
        Some("MethodNotAllowed"),
        NOT_ALLOWED,
    );
    expect(
        &k.request("GET", "/apis/authentication.k8s.io/v1/tokenreviews", &[], b"", true),
        405,
        Some("MethodNotAllowed"),
        NOT_ALLOWED,
    );
    expect(
        &k.request(
            "PUT",
            "/apis/authentication.k8s.io/v1/tokenreviews/x",
            &[JSON],
            review.to_string().as_bytes(),
            true,
        ),
        404,
        Some("NotFound"),
        "the server could not find the requested resource",
    );
}

#[test]
fn a_stale_resource_version_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let created = post_json(&k, CONFIGMAPS, &configmap("a")).json();
    let stale = created["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    let mut update = created.clone();
    update["data"] = json!({"k": "1"});
    let r = k.request("PUT", &format!("{CONFIGMAPS}/a"), &[JSON], update.to_string().as_bytes(), true);
    assert_eq!(r.status, 200, "{}", r.text());
    // The same update again carries the old resourceVersion.
    update["data"] = json!({"k": "2"});
    let r = k.request("PUT", &format!("{CONFIGMAPS}/a"), &[JSON], update.to_string().as_bytes(), true);
    let s = expect(
        &r,
        409,
        Some("Conflict"),
        "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again",
    );
    assert_eq!(s["details"], json!({"name": "a", "kind": "configmaps"}));
    // A patch with a stale resourceVersion precondition too.
    let r = k.request(
        "PATCH",
        &format!("{CONFIGMAPS}/a"),
        &[("Content-Type", "application/merge-patch+json")],
        json!({"metadata": {"resourceVersion": stale}, "data": {"k": "3"}}).to_string().as_bytes(),
        true,
    );
    failure(&r, 409);
    let now = k.request("GET", &format!("{CONFIGMAPS}/a"), &[], b"", true).json();
    assert_eq!(now["data"], json!({"k": "1"}));
}

#[test]
fn a_watch_flag_is_read_as_kube_apiserver_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    // Anything but 0 or false is true, as in kube-apiserver's query conversion.
    let r = k.request("GET", &format!("{CONFIGMAPS}?watch=maybe&timeoutSeconds=1"), &[], b"", true);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(!r.text().contains("\"kind\":\"ConfigMapList\""), "a list, not a watch: {}", r.text());
    let r = k.request("GET", &format!("{CONFIGMAPS}?watch=FALSE"), &[], b"", true);
    assert!(r.text().contains("\"kind\":\"ConfigMapList\""), "a list: {}", r.text());
}

#[test]
fn json_patch_failures_are_generic_422s() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    assert_eq!(post_json(&k, CONFIGMAPS, &configmap("a")).status, 201);
    // As kube-apiserver's NewGenericServerResponse: the library's error is
    // not in the answer, and details is present but empty.
    for ops in [
        r#"[{"op":"test","path":"/metadata/name","value":"z"}]"#,
        r#"[{"op":"test","path":"/metadata/missing","value":"z"}]"#,
        r#"[{"op":"test","path":"/data/missing","value":"z"}]"#,
        r#"[{"op":"add","path":"/data/a","value":"x"}]"#,
        r#"[{"op":"bogus","path":"/data/a","value":"x"}]"#,
    ] {
        let r = k.request(
            "PATCH",
            &format!("{CONFIGMAPS}/a"),
            &[("Content-Type", "application/json-patch+json")],
            ops.as_bytes(),
            true,
        );
        let s = expect(&r, 422, Some("Invalid"), "the server rejected our request due to an error in our request");
        assert_eq!(s["details"], json!({}), "{ops}");
    }
    // A patch that is not a list of operations does not decode: 400.
    let r = k.request(
        "PATCH",
        &format!("{CONFIGMAPS}/a"),
        &[("Content-Type", "application/json-patch+json")],
        br#"{"op":"add"}"#,
        true,
    );
    assert_eq!(r.status, 400, "{}", r.text());
}

#[test]
fn a_bad_strategic_patch_directive_is_a_400() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    assert_eq!(post_json(&k, CONFIGMAPS, &configmap("a")).status, 201);
    // kube-apiserver answers this with a 500 and no reason; the fault is the
    // client's, so kubox says 400 with the same words.
    let r = k.request(
        "PATCH",
        &format!("{CONFIGMAPS}/a"),
        &[("Content-Type", "application/strategic-merge-patch+json")],
        br#"{"$patch":"bogus"}"#,
        true,
    );
    expect(&r, 400, Some("BadRequest"), "unknown patch type: bogus in map: map[$patch:bogus]");
}
