//! Hand-written cases: every special JSON form, the envelope and watch frames
//! against k8s-pb's types, and malformed or hostile input.

use k8s_pb::api::core::v1 as core;
use k8s_pb::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiext;
use k8s_pb::apimachinery::pkg::api::resource::Quantity;
use k8s_pb::apimachinery::pkg::apis::meta::v1 as meta;
use k8s_pb::apimachinery::pkg::runtime;
use k8s_pb::apimachinery::pkg::util::intstr::IntOrString;
use prost::Message;
use serde_json::{Value, json};

use super::*;

const POD: &str = "io.k8s.api.core.v1.Pod";
const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const SCHEMA: &str = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps";
const WATCH_EVENT: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";

fn round_trip(type_name: &str, value: &Value) -> Value {
    decode(type_name, &encode(type_name, value).unwrap()).unwrap()
}

fn decode_error(type_name: &str, bytes: &[u8]) -> String {
    decode(type_name, bytes).unwrap_err().to_string()
}

fn rich_pod() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web-0",
            "namespace": "default",
            "uid": "6f1c0e4e-3b8a-4c61-9f6e-2f4f7a1d9b10",
            "resourceVersion": "1234",
            "generation": 3,
            "creationTimestamp": "2024-03-04T05:06:07Z",
            "labels": {"app": "web", "tier": "frontend"},
            "annotations": {"note": "x"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                                 "uid": "u-1", "controller": true, "blockOwnerDeletion": true}],
            "finalizers": ["example.com/f"],
            "managedFields": [{"manager": "kubectl", "operation": "Apply", "apiVersion": "v1",
                               "time": "2024-03-04T05:06:07Z", "fieldsType": "FieldsV1",
                               "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}}}}]
        },
        "spec": {
            "volumes": [{"name": "data", "hostPath": {"path": "/srv", "type": "Directory"}},
                        {"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420}}],
            "containers": [{
                "name": "web",
                "image": "nginx:1.27",
                "command": ["nginx", "-g", "daemon off;"],
                "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
                "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m"}},
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10},
                "readinessProbe": {"tcpSocket": {"port": 80}}
            }],
            "securityContext": {"runAsUser": 1000, "supplementalGroups": [1, 2, 3_000_000_000i64]},
            "nodeSelector": {"disktype": "ssd"},
            "terminationGracePeriodSeconds": 30
        },
        "status": {"phase": "Running", "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}],
                   "startTime": "2024-03-04T05:06:08Z",
                   "conditions": [{"type": "Ready", "status": "True",
                                   "lastTransitionTime": "2024-03-04T05:06:09Z"}]}
    })
}

#[test]
fn a_rich_pod_round_trips_and_matches_k8s_pb() {
    let pod = rich_pod();
    let bytes = encode(POD, &pod).unwrap();
    let decoded = core::Pod::decode(&bytes[..]).unwrap();
    let spec = decoded.spec.as_ref().unwrap();
    assert_eq!(decoded.metadata.as_ref().unwrap().name.as_deref(), Some("web-0"));
    assert_eq!(spec.containers[0].image.as_deref(), Some("nginx:1.27"));
    assert_eq!(spec.security_context.as_ref().unwrap().supplemental_groups, vec![1, 2, 3_000_000_000]);
    assert_eq!(decoded.status.as_ref().unwrap().pod_ips[0].ip.as_deref(), Some("10.0.0.5"));
    // Go's marshaller and prost write the same bytes for the same values.
    assert_eq!(decoded.encode_to_vec(), bytes);
    let mut expected = pod;
    let fields = expected.as_object_mut().unwrap();
    fields.remove("apiVersion");
    fields.remove("kind");
    assert_eq!(decode(POD, &bytes).unwrap(), expected);
}

#[test]
fn int_or_string_is_a_number_or_a_string() {
    let port = "io.k8s.api.core.v1.ServicePort";
    let numeric = json!({"port": 80, "targetPort": 8080});
    let bytes = encode(port, &numeric).unwrap();
    let decoded = core::ServicePort::decode(&bytes[..]).unwrap();
    let expected = IntOrString { r#type: Some(0), int_val: Some(8080), str_val: Some(String::new()) };
    assert_eq!(decoded.target_port, Some(expected));
    assert_eq!(decoded.encode_to_vec(), bytes);
    assert_eq!(round_trip(port, &numeric), numeric);

    let named = json!({"port": 80, "targetPort": "http"});
    let decoded = core::ServicePort::decode(&encode(port, &named).unwrap()[..]).unwrap();
    let expected = IntOrString { r#type: Some(1), int_val: Some(0), str_val: Some("http".into()) };
    assert_eq!(decoded.target_port, Some(expected));
    assert_eq!(round_trip(port, &named), named);

    for bad in [json!(1.5), json!(true), json!(4_294_967_296i64), json!({})] {
        let err = encode(port, &json!({"targetPort": bad})).unwrap_err().to_string();
        assert!(err.contains("at targetPort"), "{err}");
    }
    let impossible = core::ServicePort {
        target_port: Some(IntOrString { r#type: Some(7), ..Default::default() }),
        ..Default::default()
    };
    assert!(decode_error(port, &impossible.encode_to_vec()).contains("impossible IntOrString.Type 7"));
}

#[test]
fn quantities_are_strings_and_numbers_become_strings() {
    let requirements = "io.k8s.api.core.v1.ResourceRequirements";
    let value = json!({"limits": {"memory": "1Gi", "cpu": 2}, "requests": {"cpu": "250m"}});
    let bytes = encode(requirements, &value).unwrap();
    let decoded = core::ResourceRequirements::decode(&bytes[..]).unwrap();
    assert_eq!(decoded.limits["cpu"], Quantity { string: Some("2".into()) });
    assert_eq!(decoded.limits["memory"], Quantity { string: Some("1Gi".into()) });
    assert_eq!(decoded.encode_to_vec(), bytes, "map entries are sorted by key");
    assert_eq!(
        decode(requirements, &bytes).unwrap(),
        json!({"limits": {"memory": "1Gi", "cpu": "2"}, "requests": {"cpu": "250m"}})
    );
    // A map entry without a value is the zero Quantity, which Go prints as "0".
    let mut entry = Vec::new();
    wire::put_bytes(&mut entry, 1, b"cpu");
    let mut bytes = Vec::new();
    wire::put_bytes(&mut bytes, 1, &entry);
    assert_eq!(decode(requirements, &bytes).unwrap(), json!({"limits": {"cpu": "0"}}));
}

#[test]
fn times_are_rfc3339_in_seconds_and_zero_times_follow_go() {
    let value = json!({"name": "a", "creationTimestamp": "2006-01-02T15:04:05Z"});
    let bytes = encode(OBJECT_META, &value).unwrap();
    let decoded = meta::ObjectMeta::decode(&bytes[..]).unwrap();
    assert_eq!(decoded.creation_timestamp, Some(meta::Time { seconds: Some(1_136_214_245), nanos: Some(0) }));
    assert_eq!(decode(OBJECT_META, &bytes).unwrap(), value);
    // Offsets and fractions are accepted; JSON shows UTC whole seconds.
    let offset = json!({"creationTimestamp": "2006-01-02T08:04:05.75-07:00"});
    assert_eq!(round_trip(OBJECT_META, &offset), json!({"creationTimestamp": "2006-01-02T15:04:05Z"}));
    // Go writes the zero Time as an empty message: creationTimestamp is
    // `omitzero` and disappears, deletionTimestamp (a pointer) shows null.
    let zero = meta::ObjectMeta {
        name: Some("a".into()),
        creation_timestamp: Some(meta::Time::default()),
        deletion_timestamp: Some(meta::Time::default()),
        ..Default::default()
    };
    assert_eq!(decode(OBJECT_META, &zero.encode_to_vec()).unwrap(), json!({"name": "a", "deletionTimestamp": null}));
    // Go's zero instant written explicitly is still the zero time.
    let explicit = meta::ObjectMeta {
        deletion_timestamp: Some(meta::Time { seconds: Some(-62_135_596_800), nanos: Some(0) }),
        ..Default::default()
    };
    assert_eq!(decode(OBJECT_META, &explicit.encode_to_vec()).unwrap(), json!({"deletionTimestamp": null}));
    assert_eq!(round_trip(OBJECT_META, &json!({"deletionTimestamp": null})), json!({}));
    let err = encode(OBJECT_META, &json!({"creationTimestamp": "yesterday"})).unwrap_err().to_string();
    assert!(err.contains("at creationTimestamp") && err.contains("RFC 3339"), "{err}");
    let far = meta::ObjectMeta {
        creation_timestamp: Some(meta::Time { seconds: Some(i64::MAX), nanos: None }),
        ..Default::default()
    };
    assert!(decode_error(OBJECT_META, &far.encode_to_vec()).contains("outside years 0-9999"));
}

#[test]
fn micro_times_keep_six_fractional_digits() {
    let event = "io.k8s.api.events.v1.Event";
    let value = json!({"eventTime": "2024-01-02T03:04:05.123456Z", "reason": "Started"});
    let bytes = encode(event, &value).unwrap();
    let decoded = k8s_pb::api::events::v1::Event::decode(&bytes[..]).unwrap();
    assert_eq!(decoded.event_time, Some(meta::MicroTime { seconds: Some(1_704_164_645), nanos: Some(123_456_000) }));
    assert_eq!(decode(event, &bytes).unwrap(), value);
    let nanos = k8s_pb::api::events::v1::Event {
        event_time: Some(meta::MicroTime { seconds: Some(1_704_164_645), nanos: Some(123_456_789) }),
        ..Default::default()
    };
    assert_eq!(decode(event, &nanos.encode_to_vec()).unwrap(), json!({"eventTime": "2024-01-02T03:04:05.123456Z"}));
    assert_eq!(
        round_trip(event, &json!({"eventTime": "2024-01-02T03:04:05Z"})),
        json!({"eventTime": "2024-01-02T03:04:05.000000Z"})
    );
}

#[test]
fn durations_are_go_duration_strings() {
    let metrics = "io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics";
    let value = json!({"window": "1m30.5s", "usage": {"cpu": "100m"}});
    let bytes = encode(metrics, &value).unwrap();
    let decoded = k8s_pb::metrics::pkg::apis::metrics::v1beta1::NodeMetrics::decode(&bytes[..]).unwrap();
    assert_eq!(decoded.window, Some(meta::Duration { duration: Some(90_500_000_000) }));
    assert_eq!(decode(metrics, &bytes).unwrap(), value);
    assert_eq!(round_trip(metrics, &json!({"window": "1500us"})), json!({"window": "1.5ms"}));
    assert!(
        encode(metrics, &json!({"window": "1 minute"})).unwrap_err().to_string().contains("unknown unit \" minute\"")
    );
}

#[test]
fn raw_extensions_and_fields_v1_embed_json() {
    let revision = "io.k8s.api.apps.v1.ControllerRevision";
    let value = json!({"revision": 2, "data": {"spec": {"template": {"metadata": {"labels": {"a": "b"}}}}, "n": [1, 2.5, null]}});
    let bytes = encode(revision, &value).unwrap();
    let decoded = k8s_pb::api::apps::v1::ControllerRevision::decode(&bytes[..]).unwrap();
    let raw = decoded.data.unwrap().raw.unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&raw).unwrap(), value["data"]);
    assert_eq!(decode(revision, &bytes).unwrap(), value);

    let managed = json!({"managedFields": [{"manager": "m", "fieldsType": "FieldsV1",
                                            "fieldsV1": {"f:spec": {"f:replicas": {}}}}]});
    let bytes = encode(OBJECT_META, &managed).unwrap();
    let decoded = meta::ObjectMeta::decode(&bytes[..]).unwrap();
    let raw = decoded.managed_fields[0].fields_v1.as_ref().unwrap().raw.clone().unwrap();
    assert_eq!(raw, br#"{"f:spec":{"f:replicas":{}}}"#);
    assert_eq!(decode(OBJECT_META, &bytes).unwrap(), managed);

    // kube-apiserver embeds objects in protobuf as their own envelope.
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}});
    let with_envelope = k8s_pb::api::apps::v1::ControllerRevision {
        data: Some(runtime::RawExtension { raw: Some(encode_object(&pod).unwrap()) }),
        ..Default::default()
    };
    assert_eq!(decode(revision, &with_envelope.encode_to_vec()).unwrap(), json!({"data": pod}));
    let garbage = k8s_pb::api::apps::v1::ControllerRevision {
        data: Some(runtime::RawExtension { raw: Some(b"\x01\x02 not json".to_vec()) }),
        ..Default::default()
    };
    let err = decode_error(revision, &garbage.encode_to_vec());
    assert!(err.contains("at data") && err.contains("not JSON"), "{err}");
}

#[test]
fn json_schema_props_or_array_bool_and_string_array() {
    let schema = json!({
        "type": "object",
        "properties": {
            "spec": {"type": "object", "additionalProperties": false,
                     "x-kubernetes-preserve-unknown-fields": true},
            "tags": {"type": "array", "items": {"type": "string"}},
            "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}],
                     "additionalItems": {"type": "boolean"}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}}
        },
        "dependencies": {"a": ["b", "c"], "d": {"required": ["e"]}},
        "default": {"x": 1},
        "enum": ["a", 1, null],
        "example": "x",
        "$ref": "#/definitions/y",
        "x-kubernetes-validations": [{"rule": "self.x > 0", "message": "x"}]
    });
    let bytes = encode(SCHEMA, &schema).unwrap();
    let decoded = apiext::JsonSchemaProps::decode(&bytes[..]).unwrap();
    let spec = &decoded.properties["spec"];
    let no_extra = apiext::JsonSchemaPropsOrBool { allows: Some(false), schema: None };
    assert_eq!(spec.additional_properties.as_deref(), Some(&no_extra));
    assert_eq!(spec.x_kubernetes_preserve_unknown_fields, Some(true));
    let tags = decoded.properties["tags"].items.as_deref().unwrap();
    assert_eq!(tags.schema.as_ref().unwrap().r#type.as_deref(), Some("string"));
    assert!(tags.j_son_schemas.is_empty());
    assert_eq!(decoded.properties["pair"].items.as_deref().unwrap().j_son_schemas.len(), 2);
    let labels = decoded.properties["labels"].additional_properties.as_deref().unwrap();
    assert_eq!(labels.allows, Some(true));
    assert_eq!(decoded.dependencies["a"].property, vec!["b".to_owned(), "c".to_owned()]);
    assert_eq!(decoded.dependencies["d"].schema.as_ref().unwrap().required, vec!["e".to_owned()]);
    assert_eq!(decoded.r#ref.as_deref(), Some("#/definitions/y"));
    assert_eq!(decoded.r#enum.len(), 3);
    assert_eq!(decode(SCHEMA, &bytes).unwrap(), schema);
    assert_eq!(decode(SCHEMA, &decoded.encode_to_vec()).unwrap(), schema);
}

#[test]
fn bytes_fields_are_base64() {
    let secret = "io.k8s.api.core.v1.Secret";
    let value = json!({"type": "Opaque", "data": {"token": "aGVsbG8=", "empty": ""}, "stringData": {"a": "b"}});
    let bytes = encode(secret, &value).unwrap();
    let decoded = core::Secret::decode(&bytes[..]).unwrap();
    assert_eq!(decoded.data["token"], b"hello");
    assert_eq!(decoded.data["empty"], b"");
    assert_eq!(decode(secret, &bytes).unwrap(), value);
    let err = encode(secret, &json!({"data": {"token": "not base64!"}})).unwrap_err().to_string();
    assert!(err.contains(r#"at data["token"]"#) && err.contains("base64"), "{err}");

    let csr = "io.k8s.api.certificates.v1.CertificateSigningRequestSpec";
    let value = json!({"request": "LS0tLS1CRUdJTg==", "signerName": "kubernetes.io/kube-apiserver-client",
                       "extra": {"scopes": ["a", "b"]}, "usages": ["client auth"]});
    let bytes = encode(csr, &value).unwrap();
    let decoded = k8s_pb::api::certificates::v1::CertificateSigningRequestSpec::decode(&bytes[..]).unwrap();
    assert_eq!(decoded.request.as_deref(), Some(&b"-----BEGIN"[..]));
    assert_eq!(decoded.extra["scopes"].items, vec!["a".to_owned(), "b".to_owned()]);
    assert_eq!(decode(csr, &bytes).unwrap(), value);
}

#[test]
fn maps_of_strings_bytes_and_messages() {
    let config_map = "io.k8s.api.core.v1.ConfigMap";
    let value = json!({"data": {"b": "2", "a": "1"}, "binaryData": {"bin": "AAEC"}});
    let bytes = encode(config_map, &value).unwrap();
    let decoded = core::ConfigMap::decode(&bytes[..]).unwrap();
    assert_eq!(decoded.data.keys().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(decoded.binary_data["bin"], [0, 1, 2]);
    assert_eq!(decoded.encode_to_vec(), bytes);
    assert_eq!(decode(config_map, &bytes).unwrap(), value);
    // A JSON null map value is Go's zero value.
    assert_eq!(round_trip(config_map, &json!({"data": {"a": null}})), json!({"data": {"a": ""}}));
    let user = "io.k8s.api.authentication.v1.UserInfo";
    let value = json!({"username": "alice", "groups": ["g"], "extra": {"scopes": ["x", "y"], "none": []}});
    assert_eq!(round_trip(user, &value), value);
    assert!(encode(config_map, &json!({"data": ["a"]})).unwrap_err().to_string().contains("expected an object"));
}

#[test]
fn repeated_scalars_are_written_unpacked_and_read_either_way() {
    let context = "io.k8s.api.core.v1.PodSecurityContext";
    let bytes = encode(context, &json!({"supplementalGroups": [1, -2, 300]})).unwrap();
    // Field 4, varint, once per value (proto2 is not packed).
    assert_eq!(bytes[0], 0x20);
    assert_eq!(bytes.iter().filter(|&&b| b == 0x20).count(), 3);
    let mut packed = Vec::new();
    let mut values = Vec::new();
    for v in [5i64, -6, 7] {
        wire::put_varint(&mut values, v as u64);
    }
    wire::put_bytes(&mut packed, 4, &values);
    wire::put_varint_field(&mut packed, 4, 8);
    assert_eq!(decode(context, &packed).unwrap(), json!({"supplementalGroups": [5, -6, 7, 8]}));
    let decoded = core::PodSecurityContext::decode(&bytes[..]).unwrap();
    assert_eq!(decoded.supplemental_groups, vec![1, -2, 300]);
}

#[test]
fn int64_values_keep_full_precision() {
    let value = json!({"generation": 9_007_199_254_740_993i64, "deletionGracePeriodSeconds": -1});
    let bytes = encode(OBJECT_META, &value).unwrap();
    assert_eq!(meta::ObjectMeta::decode(&bytes[..]).unwrap().generation, Some(9_007_199_254_740_993));
    assert_eq!(decode(OBJECT_META, &bytes).unwrap(), value);
    let err = encode(OBJECT_META, &json!({"generation": 1.5})).unwrap_err().to_string();
    assert!(err.contains("at generation") && err.contains("64-bit integer"), "{err}");
    let port = "io.k8s.api.core.v1.ContainerPort";
    assert!(
        encode(port, &json!({"containerPort": 2_147_483_648i64})).unwrap_err().to_string().contains("out of range")
    );
}

#[test]
fn keys_without_proto_fields_are_skipped() {
    let noisy = json!({"apiVersion": "v1", "kind": "Pod", "bogus": 1,
                       "metadata": {"name": "x", "bogus": {"deep": [1]}}});
    let plain = json!({"metadata": {"name": "x"}});
    assert_eq!(encode(POD, &noisy).unwrap(), encode(POD, &plain).unwrap());
}

#[test]
fn zero_values_go_writes_are_dropped_where_go_json_omits_them() {
    // What a Go client sends: every non-pointer field, zero or not.
    let pod = core::Pod {
        spec: Some(core::PodSpec {
            node_name: Some(String::new()),
            host_network: Some(false),
            termination_grace_period_seconds: Some(0),
            containers: vec![core::Container {
                name: Some("c".into()),
                ports: vec![core::ContainerPort {
                    name: Some(String::new()),
                    host_port: Some(0),
                    container_port: Some(0),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    };
    let decoded = decode(POD, &pod.encode_to_vec()).unwrap();
    // nodeName, hostNetwork, name and hostPort are omitempty non-pointers;
    // terminationGracePeriodSeconds is a pointer, containerPort is required.
    assert_eq!(
        decoded,
        json!({"spec": {"terminationGracePeriodSeconds": 0,
                        "containers": [{"name": "c", "ports": [{"containerPort": 0}]}]}})
    );
    let deployment =
        k8s_pb::api::apps::v1::DeploymentSpec { replicas: Some(0), paused: Some(false), ..Default::default() };
    assert_eq!(
        decode("io.k8s.api.apps.v1.DeploymentSpec", &deployment.encode_to_vec()).unwrap(),
        json!({"replicas": 0})
    );
}

#[test]
fn inline_members_share_the_parent_object() {
    let volume = "io.k8s.api.core.v1.Volume";
    let value = json!({"name": "v", "hostPath": {"path": "/x"}});
    let bytes = encode(volume, &value).unwrap();
    let decoded = core::Volume::decode(&bytes[..]).unwrap();
    let source = decoded.volume_source.unwrap();
    assert_eq!(source.host_path.unwrap().path.as_deref(), Some("/x"));
    assert_eq!(decode(volume, &bytes).unwrap(), value);
    let ephemeral = "io.k8s.api.core.v1.EphemeralContainer";
    let value = json!({"name": "debug", "image": "busybox", "targetContainerName": "web"});
    assert_eq!(round_trip(ephemeral, &value), value);
    assert_eq!(required_fields(volume), Some(vec!["name"]));
    assert_eq!(required_fields(ephemeral), Some(vec!["name"]));
}

#[test]
fn kinds_map_to_message_types() {
    assert_eq!(type_name_for("apps/v1", "Deployment"), Some("io.k8s.api.apps.v1.Deployment"));
    assert_eq!(type_name_for("v1", "ConfigMapList"), Some("io.k8s.api.core.v1.ConfigMapList"));
    assert_eq!(
        type_name_for("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
        Some("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition")
    );
    assert_eq!(
        type_name_for("apiregistration.k8s.io/v1", "APIService"),
        Some("io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService")
    );
    assert_eq!(
        type_name_for("meta.k8s.io/v1", "PartialObjectMetadataList"),
        Some("io.k8s.apimachinery.pkg.apis.meta.v1.PartialObjectMetadataList")
    );
    assert_eq!(type_name_for("v1", "Status"), Some("io.k8s.apimachinery.pkg.apis.meta.v1.Status"));
    assert_eq!(type_name_for("v1", "NoSuchKind"), None);
    assert!(matches!(encode("io.k8s.api.core.v1.Nope", &json!({})), Err(ProtoError::UnknownType(_))));
    let err = encode_object(&json!({"apiVersion": "v9", "kind": "Pod"})).unwrap_err();
    assert!(matches!(err, ProtoError::UnknownKind { .. }), "{err}");
}

#[test]
fn envelope_matches_k8s_pb_runtime_unknown() {
    let raw = encode(POD, &rich_pod()).unwrap();
    let envelope = wrap("v1", "Pod", &raw);
    assert_eq!(&envelope[..4], b"k8s\0");
    let unknown = runtime::Unknown {
        type_meta: Some(runtime::TypeMeta { api_version: Some("v1".into()), kind: Some("Pod".into()) }),
        raw: Some(raw.clone()),
        content_encoding: Some(String::new()),
        content_type: Some(String::new()),
    };
    assert_eq!(envelope[4..], unknown.encode_to_vec());
    assert_eq!(runtime::Unknown::decode(&envelope[4..]).unwrap(), unknown);
    assert_eq!(unwrap(&envelope).unwrap(), ("v1".to_owned(), "Pod".to_owned(), raw.clone()));
    // Without the content fields, and with a field from the future.
    let mut sparse = b"k8s\0".to_vec();
    sparse.extend(runtime::Unknown { content_encoding: None, content_type: None, ..unknown.clone() }.encode_to_vec());
    wire::put_varint_field(&mut sparse, 9, 1);
    assert_eq!(unwrap(&sparse).unwrap(), ("v1".to_owned(), "Pod".to_owned(), raw));
    let as_json =
        decode("io.k8s.apimachinery.pkg.runtime.Unknown", &wrap("apps/v1", "Deployment", b"\x01\x02\x03")[4..]);
    assert_eq!(
        as_json.unwrap(),
        json!({"typeMeta": {"apiVersion": "apps/v1", "kind": "Deployment"}, "raw": "AQID",
               "contentEncoding": "", "contentType": ""})
    );
    let object = rich_pod();
    assert_eq!(decode_object(&encode_object(&object).unwrap()).unwrap(), object);
}

#[test]
fn malformed_envelopes_are_errors() {
    assert!(unwrap(b"").unwrap_err().to_string().contains("empty data"));
    assert!(unwrap(b"k8s\0").unwrap_err().to_string().contains("empty body"));
    assert!(unwrap(b"{\"kind\":\"Pod\"}").unwrap_err().to_string().contains("prefix"));
    assert!(unwrap(b"k8s").is_err());
    let envelope = wrap("v1", "Pod", b"abc");
    // Cutting inside typeMeta or raw leaves a length that overruns.
    assert!(unwrap(&envelope[..6]).unwrap_err().to_string().contains("exceeds"));
    for len in 5..envelope.len() {
        let _ = unwrap(&envelope[..len]);
    }
    assert!(unwrap(b"k8s\0\x0a\x05\x0a").is_err());
    assert!(unwrap(b"k8s\0\x08\x01").unwrap_err().to_string().contains("typeMeta has wire type 0"));
    assert!(unwrap(b"k8s\0\x0a\x02\x0a\xff").is_err());
    assert!(decode_object(b"k8s\0\x12\x00").unwrap_err().to_string().contains("no protobuf message type"));
}

#[test]
fn watch_frames_match_kube_apiserver() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "resourceVersion": "7"}});
    let envelope = encode_object(&pod).unwrap();
    let frame = encode_watch_event("ADDED", &envelope);
    let len = u32::from_be_bytes([frame[0], frame[1], frame[2], frame[3]]) as usize;
    assert_eq!(len, frame.len() - 4);
    // The event itself has no envelope; its object is the pod's envelope.
    let event = meta::WatchEvent::decode(&frame[4..]).unwrap();
    assert_eq!(event.r#type.as_deref(), Some("ADDED"));
    assert_eq!(event.object.unwrap().raw.unwrap(), envelope);
    assert_eq!(decode(WATCH_EVENT, &frame[4..]).unwrap(), json!({"type": "ADDED", "object": pod}));

    let mut stream = frame.clone();
    stream.extend(encode_watch_event("DELETED", &envelope));
    let (kind, object, used) = decode_watch_event(&stream).unwrap();
    assert_eq!((kind.as_str(), &object, used), ("ADDED", &envelope, frame.len()));
    let (kind, object, _) = decode_watch_event(&stream[used..]).unwrap();
    assert_eq!((kind.as_str(), object), ("DELETED", envelope.clone()));
    assert!(decode_watch_event(&frame[..3]).unwrap_err().to_string().contains("too short"));
    assert!(decode_watch_event(&frame[..frame.len() - 1]).unwrap_err().to_string().contains("only"));
    assert!(decode_watch_event(&[0, 0, 0, 0]).unwrap_err().to_string().contains("without a type"));
    assert!(decode_watch_event(&[0, 0, 0, 2, 0x08, 0x01]).is_err());
}

#[test]
fn malformed_messages_are_errors() {
    let port = "io.k8s.api.core.v1.ContainerPort";
    assert!(decode_error(port, &[0x10, 0x80]).contains("truncated varint"));
    let err = decode_error(port, &[0x1a, 0x01, b'x']);
    assert!(err.contains("at containerPort") && err.contains("wire type 2"), "{err}");
    assert!(decode_error(port, &[0x0a, 0x05, b'a']).contains("exceeds"));
    assert!(decode_error(port, &[0x0b]).contains("start-group"));
    assert!(decode_error(port, &[0x00, 0x00]).contains("field number 0"));
    assert!(decode_error(port, &[0x10; 11]).contains("truncated varint"));
    let err = decode_error(POD, &[0x12, 0x04, 0x12, 0x02, 0x0a, 0x05]);
    assert!(err.contains("at spec.containers[0]") && err.contains("exceeds"), "{err}");
    // Unknown fields of every wire type are skipped.
    let mut unknown = Vec::new();
    wire::put_varint_field(&mut unknown, 99, 1);
    wire::put_bytes(&mut unknown, 100, b"xyz");
    unknown.extend([0xa5, 0x06, 1, 2, 3, 4, 0xa9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8]);
    wire::put_varint_field(&mut unknown, 3, 80);
    assert_eq!(decode(port, &unknown).unwrap(), json!({"containerPort": 80}));
    // Invalid UTF-8 is replaced as Go's JSON encoder does.
    assert_eq!(decode(port, &[0x0a, 0x02, 0xff, b'a']).unwrap(), json!({"name": "\u{fffd}a"}));
    // maximum (field 9, double) = NaN has no JSON form.
    let err = decode_error(SCHEMA, &[0x49, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    assert!(err.contains("at maximum") && err.contains("NaN"), "{err}");
    assert_eq!(decode(SCHEMA, &[0x49, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f]).unwrap(), json!({"maximum": 1.5}));
}

#[test]
fn truncated_and_corrupted_pods_never_panic() {
    let bytes = encode(POD, &rich_pod()).unwrap();
    for len in 0..bytes.len() {
        let _ = decode(POD, &bytes[..len]);
    }
    let mut failures = 0;
    for at in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut corrupt = bytes.clone();
            corrupt[at] ^= flip;
            failures += usize::from(decode(POD, &corrupt).is_err());
            let _ = decode_object(&wrap("v1", "Pod", &corrupt));
        }
    }
    assert!(failures > 0);
}

#[test]
fn deep_nesting_is_refused_without_exhausting_the_stack() {
    // JSONSchemaProps.not (field 28) nested 100,000 times, built from the
    // outside in: the content length of each level is known beforehand.
    let mut lengths = vec![0usize];
    for _ in 0..100_000 {
        let inner = lengths[lengths.len() - 1];
        let mut prefix = Vec::new();
        wire::put_key(&mut prefix, 28, wire::LEN);
        wire::put_varint(&mut prefix, inner as u64);
        lengths.push(prefix.len() + inner);
    }
    let mut bytes = Vec::new();
    for &inner in lengths[..lengths.len() - 1].iter().rev() {
        wire::put_key(&mut bytes, 28, wire::LEN);
        wire::put_varint(&mut bytes, inner as u64);
    }
    assert_eq!(bytes.len(), lengths[lengths.len() - 1]);
    let err = decode_error(SCHEMA, &bytes);
    assert!(err.contains(&format!("nested deeper than {MAX_DEPTH} levels")), "{err}");
    // Within the limit it decodes.
    let mut shallow = Vec::new();
    for _ in 0..50 {
        let mut outer = Vec::new();
        wire::put_bytes(&mut outer, 28, &shallow);
        shallow = outer;
    }
    assert!(decode(SCHEMA, &shallow).is_ok());

    let mut value = json!({});
    for _ in 0..1000 {
        value = json!({"not": value});
    }
    assert!(encode(SCHEMA, &value).unwrap_err().to_string().contains("nested deeper"));
    let mut deep_json = json!(1);
    for _ in 0..1000 {
        deep_json = json!([deep_json]);
    }
    let err = encode(SCHEMA, &json!({"default": deep_json})).unwrap_err().to_string();
    assert!(err.contains("at default") && err.contains("nested deeper"), "{err}");
    // Embedded JSON as deep as serde_json parses round-trips.
    let mut deepest = json!(1);
    for _ in 0..127 {
        deepest = json!([deepest]);
    }
    let text = deepest.to_string();
    let deepest: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(round_trip(SCHEMA, &json!({"default": deepest})), json!({"default": deepest}));
    // Embedded JSON nested deeper than serde_json's own limit is an error too.
    let raw = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let revision = k8s_pb::api::apps::v1::ControllerRevision {
        data: Some(runtime::RawExtension { raw: Some(raw.into_bytes()) }),
        ..Default::default()
    };
    assert!(decode_error("io.k8s.api.apps.v1.ControllerRevision", &revision.encode_to_vec()).contains("not JSON"));
}

#[test]
fn wrong_json_types_name_the_path() {
    let err = encode(POD, &json!({"spec": {"containers": [{"name": "a"}, {"name": 5}]}})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot encode io.k8s.api.core.v1.Pod as protobuf at spec.containers[1].name: expected a string, got a number"
    );
    let err = encode(POD, &json!({"spec": {"containers": {"name": "a"}}})).unwrap_err().to_string();
    assert!(err.ends_with("at spec.containers: expected an array, got an object"), "{err}");
    let err = encode(POD, &json!([])).unwrap_err().to_string();
    assert!(err.contains("at the top level: expected an object"), "{err}");
    let err = encode(POD, &json!({"spec": {"hostNetwork": "yes"}})).unwrap_err().to_string();
    assert!(err.contains("expected a boolean, got a string"), "{err}");
}

#[test]
fn the_table_covers_kubernetes_1_35() {
    let table = table::table().unwrap();
    assert!(table.messages.len() > 1200);
    for name in [
        POD,
        OBJECT_META,
        "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
        WATCH_EVENT,
        "io.k8s.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata",
        "io.k8s.apimachinery.pkg.apis.meta.v1.PartialObjectMetadataList",
        "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
        "io.k8s.apimachinery.pkg.runtime.Unknown",
        "io.k8s.apimachinery.pkg.runtime.RawExtension",
        "io.k8s.api.core.v1.PodList",
        "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService",
    ] {
        assert!(table.index(name).is_some(), "{name}");
    }
}
