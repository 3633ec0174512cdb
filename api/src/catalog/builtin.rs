//! The built-in resources kube-apiserver 1.35 serves by default in its GA
//! group-versions: discovery facts (names, scope, verbs, subresources,
//! categories), the OpenAPI definitions, the etcd key prefix and storage
//! version, and the field labels a `fieldSelector` may use.
//!
//! Only GA versions enabled by default are listed; alpha and beta versions
//! are not served. Custom resources are not here: their catalog entries come
//! from their CustomResourceDefinitions.

/// A subresource of a built-in resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subresource {
    /// "status", "scale", "log", "exec", "binding", "eviction", "token", "approval", "finalize", "proxy", "attach", "portforward", "ephemeralcontainers", "resize", ...
    pub name: &'static str,
    /// Group, version and kind of the subresource's object as discovery reports it ("" group for core; for scale: "autoscaling", "v1", "Scale").
    ///
    /// Always filled in here; discovery itself leaves group and version empty
    /// when they equal the parent resource's (see
    /// [`Subresource::discovery_group_version`]).
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub verbs: &'static [&'static str],
}

/// One built-in resource in one served group-version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltinResource {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// URL path segment, lower-case plural.
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub namespaced: bool,
    /// Verbs of the main resource, in discovery's order.
    pub verbs: &'static [&'static str],
    pub subresources: &'static [Subresource],
    /// The OpenAPI definition of the kind, e.g. "io.k8s.api.core.v1.Pod".
    pub definition: &'static str,
    /// The OpenAPI definition of the list kind, e.g. "io.k8s.api.core.v1.PodList" ("" for create-only review APIs).
    pub list_definition: &'static str,
    /// The etcd key prefix, e.g. "/registry/pods" (objects live at <prefix>/<namespace>/<name> or <prefix>/<name>). "" for resources that are not stored.
    pub storage_prefix: &'static str,
    /// The version objects are stored in (same as `version` unless another served version is the storage version).
    ///
    /// Only horizontalpodautoscalers differ (autoscaling/v2 for both served
    /// versions). events.k8s.io/v1 events share core v1 events' storage.
    /// kube-apiserver itself still encodes CustomResourceDefinitions as the
    /// unserved apiextensions.k8s.io/v1beta1 in etcd; that is not mirrored here.
    pub storage_version: &'static str,
    /// Field labels accepted in fieldSelector besides metadata.name and metadata.namespace.
    ///
    /// These are the labels kube-apiserver's field label conversion accepts
    /// for the kind; see [`BuiltinResource::field_label`] for the full rule
    /// (aliases, and the cluster-scoped kinds that reject metadata.namespace).
    pub field_selectors: &'static [&'static str],
    /// Whether the resource has a status that writes to the main resource ignore (a status subresource), which also means metadata.generation is bumped on spec changes.
    ///
    /// Exactly the resources whose discovery lists a `status` subresource.
    pub has_status: bool,
}

/// Verbs of an ordinary stored resource.
const STANDARD_VERBS: &[&str] = &["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
/// Namespaces cannot be deleted as a collection.
const STANDARD_VERBS_NO_DELETECOLLECTION: &[&str] = &["create", "delete", "get", "list", "patch", "update", "watch"];
const CREATE_ONLY: &[&str] = &["create"];
const CREATE_GET: &[&str] = &["create", "get"];
const GET_ONLY: &[&str] = &["get"];
const GET_LIST: &[&str] = &["get", "list"];
const GET_PATCH_UPDATE: &[&str] = &["get", "patch", "update"];
const UPDATE_ONLY: &[&str] = &["update"];
/// The verbs of the proxy subresources of nodes, pods and services.
const PROXY_VERBS: &[&str] = &["create", "delete", "get", "patch", "update"];

/// Every built-in resource, grouped by API group in discovery order (core first, then /apis order), then by version, then by resource name.
///
/// Versions of one group follow discovery's order, preferred version first
/// (autoscaling/v2 before autoscaling/v1).
pub static BUILTIN_RESOURCES: &[BuiltinResource] = &[
    // core/v1
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "Binding",
        plural: "bindings",
        singular: "binding",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: CREATE_ONLY,
        subresources: &[],
        definition: "io.k8s.api.core.v1.Binding",
        list_definition: "",
        storage_prefix: "",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "ComponentStatus",
        plural: "componentstatuses",
        singular: "componentstatus",
        short_names: &["cs"],
        categories: &[],
        namespaced: false,
        verbs: GET_LIST,
        subresources: &[],
        definition: "io.k8s.api.core.v1.ComponentStatus",
        list_definition: "io.k8s.api.core.v1.ComponentStatusList",
        storage_prefix: "",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "ConfigMap",
        plural: "configmaps",
        singular: "configmap",
        short_names: &["cm"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.core.v1.ConfigMap",
        list_definition: "io.k8s.api.core.v1.ConfigMapList",
        storage_prefix: "/registry/configmaps",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "Endpoints",
        plural: "endpoints",
        singular: "endpoints",
        short_names: &["ep"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.core.v1.Endpoints",
        list_definition: "io.k8s.api.core.v1.EndpointsList",
        storage_prefix: "/registry/services/endpoints",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "Event",
        plural: "events",
        singular: "event",
        short_names: &["ev"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.core.v1.Event",
        list_definition: "io.k8s.api.core.v1.EventList",
        storage_prefix: "/registry/events",
        storage_version: "v1",
        field_selectors: &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "LimitRange",
        plural: "limitranges",
        singular: "limitrange",
        short_names: &["limits"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.core.v1.LimitRange",
        list_definition: "io.k8s.api.core.v1.LimitRangeList",
        storage_prefix: "/registry/limitranges",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "Namespace",
        plural: "namespaces",
        singular: "namespace",
        short_names: &["ns"],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS_NO_DELETECOLLECTION,
        subresources: &[
            Subresource { name: "finalize", group: "", version: "v1", kind: "Namespace", verbs: UPDATE_ONLY },
            Subresource { name: "status", group: "", version: "v1", kind: "Namespace", verbs: GET_PATCH_UPDATE },
        ],
        definition: "io.k8s.api.core.v1.Namespace",
        list_definition: "io.k8s.api.core.v1.NamespaceList",
        storage_prefix: "/registry/namespaces",
        storage_version: "v1",
        field_selectors: &["status.phase"],
        has_status: true,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "Node",
        plural: "nodes",
        singular: "node",
        short_names: &["no"],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[
            Subresource { name: "proxy", group: "", version: "v1", kind: "NodeProxyOptions", verbs: PROXY_VERBS },
            Subresource { name: "status", group: "", version: "v1", kind: "Node", verbs: GET_PATCH_UPDATE },
        ],
        definition: "io.k8s.api.core.v1.Node",
        list_definition: "io.k8s.api.core.v1.NodeList",
        storage_prefix: "/registry/minions",
        storage_version: "v1",
        field_selectors: &["spec.unschedulable"],
        has_status: true,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "PersistentVolumeClaim",
        plural: "persistentvolumeclaims",
        singular: "persistentvolumeclaim",
        short_names: &["pvc"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "",
            version: "v1",
            kind: "PersistentVolumeClaim",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.core.v1.PersistentVolumeClaim",
        list_definition: "io.k8s.api.core.v1.PersistentVolumeClaimList",
        storage_prefix: "/registry/persistentvolumeclaims",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "PersistentVolume",
        plural: "persistentvolumes",
        singular: "persistentvolume",
        short_names: &["pv"],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "",
            version: "v1",
            kind: "PersistentVolume",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.core.v1.PersistentVolume",
        list_definition: "io.k8s.api.core.v1.PersistentVolumeList",
        storage_prefix: "/registry/persistentvolumes",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "Pod",
        plural: "pods",
        singular: "pod",
        short_names: &["po"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[
            Subresource { name: "attach", group: "", version: "v1", kind: "PodAttachOptions", verbs: CREATE_GET },
            Subresource { name: "binding", group: "", version: "v1", kind: "Binding", verbs: CREATE_ONLY },
            Subresource { name: "ephemeralcontainers", group: "", version: "v1", kind: "Pod", verbs: GET_PATCH_UPDATE },
            Subresource { name: "eviction", group: "policy", version: "v1", kind: "Eviction", verbs: CREATE_ONLY },
            Subresource { name: "exec", group: "", version: "v1", kind: "PodExecOptions", verbs: CREATE_GET },
            Subresource { name: "log", group: "", version: "v1", kind: "Pod", verbs: GET_ONLY },
            Subresource {
                name: "portforward",
                group: "",
                version: "v1",
                kind: "PodPortForwardOptions",
                verbs: CREATE_GET,
            },
            Subresource { name: "proxy", group: "", version: "v1", kind: "PodProxyOptions", verbs: PROXY_VERBS },
            Subresource { name: "resize", group: "", version: "v1", kind: "Pod", verbs: GET_PATCH_UPDATE },
            Subresource { name: "status", group: "", version: "v1", kind: "Pod", verbs: GET_PATCH_UPDATE },
        ],
        definition: "io.k8s.api.core.v1.Pod",
        list_definition: "io.k8s.api.core.v1.PodList",
        storage_prefix: "/registry/pods",
        storage_version: "v1",
        field_selectors: &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        has_status: true,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "PodTemplate",
        plural: "podtemplates",
        singular: "podtemplate",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.core.v1.PodTemplate",
        list_definition: "io.k8s.api.core.v1.PodTemplateList",
        storage_prefix: "/registry/podtemplates",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "ReplicationController",
        plural: "replicationcontrollers",
        singular: "replicationcontroller",
        short_names: &["rc"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[
            Subresource { name: "scale", group: "autoscaling", version: "v1", kind: "Scale", verbs: GET_PATCH_UPDATE },
            Subresource {
                name: "status",
                group: "",
                version: "v1",
                kind: "ReplicationController",
                verbs: GET_PATCH_UPDATE,
            },
        ],
        definition: "io.k8s.api.core.v1.ReplicationController",
        list_definition: "io.k8s.api.core.v1.ReplicationControllerList",
        storage_prefix: "/registry/controllers",
        storage_version: "v1",
        field_selectors: &["status.replicas"],
        has_status: true,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "ResourceQuota",
        plural: "resourcequotas",
        singular: "resourcequota",
        short_names: &["quota"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "",
            version: "v1",
            kind: "ResourceQuota",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.core.v1.ResourceQuota",
        list_definition: "io.k8s.api.core.v1.ResourceQuotaList",
        storage_prefix: "/registry/resourcequotas",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "Secret",
        plural: "secrets",
        singular: "secret",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.core.v1.Secret",
        list_definition: "io.k8s.api.core.v1.SecretList",
        storage_prefix: "/registry/secrets",
        storage_version: "v1",
        field_selectors: &["type"],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "ServiceAccount",
        plural: "serviceaccounts",
        singular: "serviceaccount",
        short_names: &["sa"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "token",
            group: "authentication.k8s.io",
            version: "v1",
            kind: "TokenRequest",
            verbs: CREATE_ONLY,
        }],
        definition: "io.k8s.api.core.v1.ServiceAccount",
        list_definition: "io.k8s.api.core.v1.ServiceAccountList",
        storage_prefix: "/registry/serviceaccounts",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "",
        version: "v1",
        kind: "Service",
        plural: "services",
        singular: "service",
        short_names: &["svc"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[
            Subresource { name: "proxy", group: "", version: "v1", kind: "ServiceProxyOptions", verbs: PROXY_VERBS },
            Subresource { name: "status", group: "", version: "v1", kind: "Service", verbs: GET_PATCH_UPDATE },
        ],
        definition: "io.k8s.api.core.v1.Service",
        list_definition: "io.k8s.api.core.v1.ServiceList",
        storage_prefix: "/registry/services/specs",
        storage_version: "v1",
        field_selectors: &["spec.clusterIP", "spec.type"],
        has_status: true,
    },
    // apiregistration.k8s.io/v1
    BuiltinResource {
        group: "apiregistration.k8s.io",
        version: "v1",
        kind: "APIService",
        plural: "apiservices",
        singular: "apiservice",
        short_names: &[],
        categories: &["api-extensions"],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "apiregistration.k8s.io",
            version: "v1",
            kind: "APIService",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService",
        list_definition: "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceList",
        storage_prefix: "/registry/apiregistration.k8s.io/apiservices",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    // apps/v1
    BuiltinResource {
        group: "apps",
        version: "v1",
        kind: "ControllerRevision",
        plural: "controllerrevisions",
        singular: "controllerrevision",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.apps.v1.ControllerRevision",
        list_definition: "io.k8s.api.apps.v1.ControllerRevisionList",
        storage_prefix: "/registry/controllerrevisions",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "apps",
        version: "v1",
        kind: "DaemonSet",
        plural: "daemonsets",
        singular: "daemonset",
        short_names: &["ds"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "apps",
            version: "v1",
            kind: "DaemonSet",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.apps.v1.DaemonSet",
        list_definition: "io.k8s.api.apps.v1.DaemonSetList",
        storage_prefix: "/registry/daemonsets",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "apps",
        version: "v1",
        kind: "Deployment",
        plural: "deployments",
        singular: "deployment",
        short_names: &["deploy"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[
            Subresource { name: "scale", group: "autoscaling", version: "v1", kind: "Scale", verbs: GET_PATCH_UPDATE },
            Subresource { name: "status", group: "apps", version: "v1", kind: "Deployment", verbs: GET_PATCH_UPDATE },
        ],
        definition: "io.k8s.api.apps.v1.Deployment",
        list_definition: "io.k8s.api.apps.v1.DeploymentList",
        storage_prefix: "/registry/deployments",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "apps",
        version: "v1",
        kind: "ReplicaSet",
        plural: "replicasets",
        singular: "replicaset",
        short_names: &["rs"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[
            Subresource { name: "scale", group: "autoscaling", version: "v1", kind: "Scale", verbs: GET_PATCH_UPDATE },
            Subresource { name: "status", group: "apps", version: "v1", kind: "ReplicaSet", verbs: GET_PATCH_UPDATE },
        ],
        definition: "io.k8s.api.apps.v1.ReplicaSet",
        list_definition: "io.k8s.api.apps.v1.ReplicaSetList",
        storage_prefix: "/registry/replicasets",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "apps",
        version: "v1",
        kind: "StatefulSet",
        plural: "statefulsets",
        singular: "statefulset",
        short_names: &["sts"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[
            Subresource { name: "scale", group: "autoscaling", version: "v1", kind: "Scale", verbs: GET_PATCH_UPDATE },
            Subresource { name: "status", group: "apps", version: "v1", kind: "StatefulSet", verbs: GET_PATCH_UPDATE },
        ],
        definition: "io.k8s.api.apps.v1.StatefulSet",
        list_definition: "io.k8s.api.apps.v1.StatefulSetList",
        storage_prefix: "/registry/statefulsets",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    // events.k8s.io/v1
    BuiltinResource {
        group: "events.k8s.io",
        version: "v1",
        kind: "Event",
        plural: "events",
        singular: "event",
        short_names: &["ev"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.events.v1.Event",
        list_definition: "io.k8s.api.events.v1.EventList",
        storage_prefix: "/registry/events",
        storage_version: "v1",
        field_selectors: &[
            "regarding.kind",
            "regarding.namespace",
            "regarding.name",
            "regarding.uid",
            "regarding.apiVersion",
            "regarding.resourceVersion",
            "regarding.fieldPath",
            "reason",
            "reportingController",
            "type",
        ],
        has_status: false,
    },
    // authentication.k8s.io/v1
    BuiltinResource {
        group: "authentication.k8s.io",
        version: "v1",
        kind: "SelfSubjectReview",
        plural: "selfsubjectreviews",
        singular: "selfsubjectreview",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: CREATE_ONLY,
        subresources: &[],
        definition: "io.k8s.api.authentication.v1.SelfSubjectReview",
        list_definition: "",
        storage_prefix: "",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "authentication.k8s.io",
        version: "v1",
        kind: "TokenReview",
        plural: "tokenreviews",
        singular: "tokenreview",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: CREATE_ONLY,
        subresources: &[],
        definition: "io.k8s.api.authentication.v1.TokenReview",
        list_definition: "",
        storage_prefix: "",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // authorization.k8s.io/v1
    BuiltinResource {
        group: "authorization.k8s.io",
        version: "v1",
        kind: "LocalSubjectAccessReview",
        plural: "localsubjectaccessreviews",
        singular: "localsubjectaccessreview",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: CREATE_ONLY,
        subresources: &[],
        definition: "io.k8s.api.authorization.v1.LocalSubjectAccessReview",
        list_definition: "",
        storage_prefix: "",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "authorization.k8s.io",
        version: "v1",
        kind: "SelfSubjectAccessReview",
        plural: "selfsubjectaccessreviews",
        singular: "selfsubjectaccessreview",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: CREATE_ONLY,
        subresources: &[],
        definition: "io.k8s.api.authorization.v1.SelfSubjectAccessReview",
        list_definition: "",
        storage_prefix: "",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "authorization.k8s.io",
        version: "v1",
        kind: "SelfSubjectRulesReview",
        plural: "selfsubjectrulesreviews",
        singular: "selfsubjectrulesreview",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: CREATE_ONLY,
        subresources: &[],
        definition: "io.k8s.api.authorization.v1.SelfSubjectRulesReview",
        list_definition: "",
        storage_prefix: "",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "authorization.k8s.io",
        version: "v1",
        kind: "SubjectAccessReview",
        plural: "subjectaccessreviews",
        singular: "subjectaccessreview",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: CREATE_ONLY,
        subresources: &[],
        definition: "io.k8s.api.authorization.v1.SubjectAccessReview",
        list_definition: "",
        storage_prefix: "",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // autoscaling/v2
    BuiltinResource {
        group: "autoscaling",
        version: "v2",
        kind: "HorizontalPodAutoscaler",
        plural: "horizontalpodautoscalers",
        singular: "horizontalpodautoscaler",
        short_names: &["hpa"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "autoscaling",
            version: "v2",
            kind: "HorizontalPodAutoscaler",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
        list_definition: "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerList",
        storage_prefix: "/registry/horizontalpodautoscalers",
        storage_version: "v2",
        field_selectors: &[],
        has_status: true,
    },
    // autoscaling/v1
    BuiltinResource {
        group: "autoscaling",
        version: "v1",
        kind: "HorizontalPodAutoscaler",
        plural: "horizontalpodautoscalers",
        singular: "horizontalpodautoscaler",
        short_names: &["hpa"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "autoscaling",
            version: "v1",
            kind: "HorizontalPodAutoscaler",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler",
        list_definition: "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerList",
        storage_prefix: "/registry/horizontalpodautoscalers",
        storage_version: "v2",
        field_selectors: &[],
        has_status: true,
    },
    // batch/v1
    BuiltinResource {
        group: "batch",
        version: "v1",
        kind: "CronJob",
        plural: "cronjobs",
        singular: "cronjob",
        short_names: &["cj"],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "batch",
            version: "v1",
            kind: "CronJob",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.batch.v1.CronJob",
        list_definition: "io.k8s.api.batch.v1.CronJobList",
        storage_prefix: "/registry/cronjobs",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "batch",
        version: "v1",
        kind: "Job",
        plural: "jobs",
        singular: "job",
        short_names: &[],
        categories: &["all"],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "batch",
            version: "v1",
            kind: "Job",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.batch.v1.Job",
        list_definition: "io.k8s.api.batch.v1.JobList",
        storage_prefix: "/registry/jobs",
        storage_version: "v1",
        field_selectors: &["status.successful"],
        has_status: true,
    },
    // certificates.k8s.io/v1
    BuiltinResource {
        group: "certificates.k8s.io",
        version: "v1",
        kind: "CertificateSigningRequest",
        plural: "certificatesigningrequests",
        singular: "certificatesigningrequest",
        short_names: &["csr"],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[
            Subresource {
                name: "approval",
                group: "certificates.k8s.io",
                version: "v1",
                kind: "CertificateSigningRequest",
                verbs: GET_PATCH_UPDATE,
            },
            Subresource {
                name: "status",
                group: "certificates.k8s.io",
                version: "v1",
                kind: "CertificateSigningRequest",
                verbs: GET_PATCH_UPDATE,
            },
        ],
        definition: "io.k8s.api.certificates.v1.CertificateSigningRequest",
        list_definition: "io.k8s.api.certificates.v1.CertificateSigningRequestList",
        storage_prefix: "/registry/certificatesigningrequests",
        storage_version: "v1",
        field_selectors: &["spec.signerName"],
        has_status: true,
    },
    // networking.k8s.io/v1
    BuiltinResource {
        group: "networking.k8s.io",
        version: "v1",
        kind: "IngressClass",
        plural: "ingressclasses",
        singular: "ingressclass",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.networking.v1.IngressClass",
        list_definition: "io.k8s.api.networking.v1.IngressClassList",
        storage_prefix: "/registry/ingressclasses",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "networking.k8s.io",
        version: "v1",
        kind: "Ingress",
        plural: "ingresses",
        singular: "ingress",
        short_names: &["ing"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "networking.k8s.io",
            version: "v1",
            kind: "Ingress",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.networking.v1.Ingress",
        list_definition: "io.k8s.api.networking.v1.IngressList",
        storage_prefix: "/registry/ingress",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "networking.k8s.io",
        version: "v1",
        kind: "IPAddress",
        plural: "ipaddresses",
        singular: "ipaddress",
        short_names: &["ip"],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.networking.v1.IPAddress",
        list_definition: "io.k8s.api.networking.v1.IPAddressList",
        storage_prefix: "/registry/ipaddresses",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "networking.k8s.io",
        version: "v1",
        kind: "NetworkPolicy",
        plural: "networkpolicies",
        singular: "networkpolicy",
        short_names: &["netpol"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.networking.v1.NetworkPolicy",
        list_definition: "io.k8s.api.networking.v1.NetworkPolicyList",
        storage_prefix: "/registry/networkpolicies",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "networking.k8s.io",
        version: "v1",
        kind: "ServiceCIDR",
        plural: "servicecidrs",
        singular: "servicecidr",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "networking.k8s.io",
            version: "v1",
            kind: "ServiceCIDR",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.networking.v1.ServiceCIDR",
        list_definition: "io.k8s.api.networking.v1.ServiceCIDRList",
        storage_prefix: "/registry/servicecidrs",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    // policy/v1
    BuiltinResource {
        group: "policy",
        version: "v1",
        kind: "PodDisruptionBudget",
        plural: "poddisruptionbudgets",
        singular: "poddisruptionbudget",
        short_names: &["pdb"],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "policy",
            version: "v1",
            kind: "PodDisruptionBudget",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.policy.v1.PodDisruptionBudget",
        list_definition: "io.k8s.api.policy.v1.PodDisruptionBudgetList",
        storage_prefix: "/registry/poddisruptionbudgets",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    // rbac.authorization.k8s.io/v1
    BuiltinResource {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind: "ClusterRoleBinding",
        plural: "clusterrolebindings",
        singular: "clusterrolebinding",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.rbac.v1.ClusterRoleBinding",
        list_definition: "io.k8s.api.rbac.v1.ClusterRoleBindingList",
        storage_prefix: "/registry/clusterrolebindings",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind: "ClusterRole",
        plural: "clusterroles",
        singular: "clusterrole",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.rbac.v1.ClusterRole",
        list_definition: "io.k8s.api.rbac.v1.ClusterRoleList",
        storage_prefix: "/registry/clusterroles",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind: "RoleBinding",
        plural: "rolebindings",
        singular: "rolebinding",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.rbac.v1.RoleBinding",
        list_definition: "io.k8s.api.rbac.v1.RoleBindingList",
        storage_prefix: "/registry/rolebindings",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind: "Role",
        plural: "roles",
        singular: "role",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.rbac.v1.Role",
        list_definition: "io.k8s.api.rbac.v1.RoleList",
        storage_prefix: "/registry/roles",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // storage.k8s.io/v1
    BuiltinResource {
        group: "storage.k8s.io",
        version: "v1",
        kind: "CSIDriver",
        plural: "csidrivers",
        singular: "csidriver",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.storage.v1.CSIDriver",
        list_definition: "io.k8s.api.storage.v1.CSIDriverList",
        storage_prefix: "/registry/csidrivers",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "storage.k8s.io",
        version: "v1",
        kind: "CSINode",
        plural: "csinodes",
        singular: "csinode",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.storage.v1.CSINode",
        list_definition: "io.k8s.api.storage.v1.CSINodeList",
        storage_prefix: "/registry/csinodes",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "storage.k8s.io",
        version: "v1",
        kind: "CSIStorageCapacity",
        plural: "csistoragecapacities",
        singular: "csistoragecapacity",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.storage.v1.CSIStorageCapacity",
        list_definition: "io.k8s.api.storage.v1.CSIStorageCapacityList",
        storage_prefix: "/registry/csistoragecapacities",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "storage.k8s.io",
        version: "v1",
        kind: "StorageClass",
        plural: "storageclasses",
        singular: "storageclass",
        short_names: &["sc"],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.storage.v1.StorageClass",
        list_definition: "io.k8s.api.storage.v1.StorageClassList",
        storage_prefix: "/registry/storageclasses",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "storage.k8s.io",
        version: "v1",
        kind: "VolumeAttachment",
        plural: "volumeattachments",
        singular: "volumeattachment",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "storage.k8s.io",
            version: "v1",
            kind: "VolumeAttachment",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.storage.v1.VolumeAttachment",
        list_definition: "io.k8s.api.storage.v1.VolumeAttachmentList",
        storage_prefix: "/registry/volumeattachments",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "storage.k8s.io",
        version: "v1",
        kind: "VolumeAttributesClass",
        plural: "volumeattributesclasses",
        singular: "volumeattributesclass",
        short_names: &["vac"],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.storage.v1.VolumeAttributesClass",
        list_definition: "io.k8s.api.storage.v1.VolumeAttributesClassList",
        storage_prefix: "/registry/volumeattributesclasses",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // admissionregistration.k8s.io/v1
    BuiltinResource {
        group: "admissionregistration.k8s.io",
        version: "v1",
        kind: "MutatingWebhookConfiguration",
        plural: "mutatingwebhookconfigurations",
        singular: "mutatingwebhookconfiguration",
        short_names: &[],
        categories: &["api-extensions"],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration",
        list_definition: "io.k8s.api.admissionregistration.v1.MutatingWebhookConfigurationList",
        storage_prefix: "/registry/mutatingwebhookconfigurations",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "admissionregistration.k8s.io",
        version: "v1",
        kind: "ValidatingAdmissionPolicy",
        plural: "validatingadmissionpolicies",
        singular: "validatingadmissionpolicy",
        short_names: &[],
        categories: &["api-extensions"],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "admissionregistration.k8s.io",
            version: "v1",
            kind: "ValidatingAdmissionPolicy",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy",
        list_definition: "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyList",
        storage_prefix: "/registry/validatingadmissionpolicies",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "admissionregistration.k8s.io",
        version: "v1",
        kind: "ValidatingAdmissionPolicyBinding",
        plural: "validatingadmissionpolicybindings",
        singular: "validatingadmissionpolicybinding",
        short_names: &[],
        categories: &["api-extensions"],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding",
        list_definition: "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingList",
        storage_prefix: "/registry/validatingadmissionpolicybindings",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "admissionregistration.k8s.io",
        version: "v1",
        kind: "ValidatingWebhookConfiguration",
        plural: "validatingwebhookconfigurations",
        singular: "validatingwebhookconfiguration",
        short_names: &[],
        categories: &["api-extensions"],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration",
        list_definition: "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfigurationList",
        storage_prefix: "/registry/validatingwebhookconfigurations",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // apiextensions.k8s.io/v1
    BuiltinResource {
        group: "apiextensions.k8s.io",
        version: "v1",
        kind: "CustomResourceDefinition",
        plural: "customresourcedefinitions",
        singular: "customresourcedefinition",
        short_names: &["crd", "crds"],
        categories: &["api-extensions"],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "apiextensions.k8s.io",
            version: "v1",
            kind: "CustomResourceDefinition",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
        list_definition: "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionList",
        storage_prefix: "/registry/apiextensions.k8s.io/customresourcedefinitions",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    // scheduling.k8s.io/v1
    BuiltinResource {
        group: "scheduling.k8s.io",
        version: "v1",
        kind: "PriorityClass",
        plural: "priorityclasses",
        singular: "priorityclass",
        short_names: &["pc"],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.scheduling.v1.PriorityClass",
        list_definition: "io.k8s.api.scheduling.v1.PriorityClassList",
        storage_prefix: "/registry/priorityclasses",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // coordination.k8s.io/v1
    BuiltinResource {
        group: "coordination.k8s.io",
        version: "v1",
        kind: "Lease",
        plural: "leases",
        singular: "lease",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.coordination.v1.Lease",
        list_definition: "io.k8s.api.coordination.v1.LeaseList",
        storage_prefix: "/registry/leases",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // node.k8s.io/v1
    BuiltinResource {
        group: "node.k8s.io",
        version: "v1",
        kind: "RuntimeClass",
        plural: "runtimeclasses",
        singular: "runtimeclass",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.node.v1.RuntimeClass",
        list_definition: "io.k8s.api.node.v1.RuntimeClassList",
        storage_prefix: "/registry/runtimeclasses",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // discovery.k8s.io/v1
    BuiltinResource {
        group: "discovery.k8s.io",
        version: "v1",
        kind: "EndpointSlice",
        plural: "endpointslices",
        singular: "endpointslice",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.discovery.v1.EndpointSlice",
        list_definition: "io.k8s.api.discovery.v1.EndpointSliceList",
        storage_prefix: "/registry/endpointslices",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    // resource.k8s.io/v1
    BuiltinResource {
        group: "resource.k8s.io",
        version: "v1",
        kind: "DeviceClass",
        plural: "deviceclasses",
        singular: "deviceclass",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.resource.v1.DeviceClass",
        list_definition: "io.k8s.api.resource.v1.DeviceClassList",
        storage_prefix: "/registry/deviceclasses",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "resource.k8s.io",
        version: "v1",
        kind: "ResourceClaim",
        plural: "resourceclaims",
        singular: "resourceclaim",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "resource.k8s.io",
            version: "v1",
            kind: "ResourceClaim",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.resource.v1.ResourceClaim",
        list_definition: "io.k8s.api.resource.v1.ResourceClaimList",
        storage_prefix: "/registry/resourceclaims",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "resource.k8s.io",
        version: "v1",
        kind: "ResourceClaimTemplate",
        plural: "resourceclaimtemplates",
        singular: "resourceclaimtemplate",
        short_names: &[],
        categories: &[],
        namespaced: true,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.resource.v1.ResourceClaimTemplate",
        list_definition: "io.k8s.api.resource.v1.ResourceClaimTemplateList",
        storage_prefix: "/registry/resourceclaimtemplates",
        storage_version: "v1",
        field_selectors: &[],
        has_status: false,
    },
    BuiltinResource {
        group: "resource.k8s.io",
        version: "v1",
        kind: "ResourceSlice",
        plural: "resourceslices",
        singular: "resourceslice",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[],
        definition: "io.k8s.api.resource.v1.ResourceSlice",
        list_definition: "io.k8s.api.resource.v1.ResourceSliceList",
        storage_prefix: "/registry/resourceslices",
        storage_version: "v1",
        field_selectors: &["spec.nodeName", "spec.driver"],
        has_status: false,
    },
    // flowcontrol.apiserver.k8s.io/v1
    BuiltinResource {
        group: "flowcontrol.apiserver.k8s.io",
        version: "v1",
        kind: "FlowSchema",
        plural: "flowschemas",
        singular: "flowschema",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "flowcontrol.apiserver.k8s.io",
            version: "v1",
            kind: "FlowSchema",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.flowcontrol.v1.FlowSchema",
        list_definition: "io.k8s.api.flowcontrol.v1.FlowSchemaList",
        storage_prefix: "/registry/flowschemas",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
    BuiltinResource {
        group: "flowcontrol.apiserver.k8s.io",
        version: "v1",
        kind: "PriorityLevelConfiguration",
        plural: "prioritylevelconfigurations",
        singular: "prioritylevelconfiguration",
        short_names: &[],
        categories: &[],
        namespaced: false,
        verbs: STANDARD_VERBS,
        subresources: &[Subresource {
            name: "status",
            group: "flowcontrol.apiserver.k8s.io",
            version: "v1",
            kind: "PriorityLevelConfiguration",
            verbs: GET_PATCH_UPDATE,
        }],
        definition: "io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration",
        list_definition: "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationList",
        storage_prefix: "/registry/prioritylevelconfigurations",
        storage_version: "v1",
        field_selectors: &[],
        has_status: true,
    },
];

/// The group order of /apis (with the preferred version of each group).
///
/// The core group is served at /api and is not listed.
pub static GROUPS: &[(&str, &str)] = &[
    ("apiregistration.k8s.io", "v1"),
    ("apps", "v1"),
    ("events.k8s.io", "v1"),
    ("authentication.k8s.io", "v1"),
    ("authorization.k8s.io", "v1"),
    ("autoscaling", "v2"),
    ("batch", "v1"),
    ("certificates.k8s.io", "v1"),
    ("networking.k8s.io", "v1"),
    ("policy", "v1"),
    ("rbac.authorization.k8s.io", "v1"),
    ("storage.k8s.io", "v1"),
    ("admissionregistration.k8s.io", "v1"),
    ("apiextensions.k8s.io", "v1"),
    ("scheduling.k8s.io", "v1"),
    ("coordination.k8s.io", "v1"),
    ("node.k8s.io", "v1"),
    ("discovery.k8s.io", "v1"),
    ("resource.k8s.io", "v1"),
    ("flowcontrol.apiserver.k8s.io", "v1"),
];

/// The built-in resource served at `group`/`version` under `plural`.
pub fn find(group: &str, version: &str, plural: &str) -> Option<&'static BuiltinResource> {
    BUILTIN_RESOURCES.iter().find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// The built-in resource whose objects are `kind` in `group`/`version`.
///
/// Every served group-version-kind maps to one resource.
pub fn find_kind(group: &str, version: &str, kind: &str) -> Option<&'static BuiltinResource> {
    BUILTIN_RESOURCES.iter().find(|r| r.group == group && r.version == version && r.kind == kind)
}

impl BuiltinResource {
    /// The subresource called `name`, if the resource has one.
    pub fn subresource(&self, name: &str) -> Option<&'static Subresource> {
        self.subresources.iter().find(|s| s.name == name)
    }

    /// Whether objects of this resource are kept in the store (review APIs,
    /// bindings and componentstatuses are not).
    pub fn is_stored(&self) -> bool {
        !self.storage_prefix.is_empty()
    }

    /// The label a `fieldSelector` term on `label` selects by, or `None` when
    /// kube-apiserver rejects the label ("field label not supported").
    ///
    /// Like kube-apiserver, every kind accepts metadata.name; metadata.namespace
    /// is accepted too, except by the cluster-scoped kinds that have their own
    /// field labels (nodes, namespaces, certificatesigningrequests,
    /// resourceslices), whose conversion lists only metadata.name. Pods still
    /// accept the pre-v1 `spec.host` as an alias of `spec.nodeName`.
    pub fn field_label(&self, label: &str) -> Option<&'static str> {
        match label {
            "metadata.name" => Some("metadata.name"),
            "metadata.namespace" => {
                (self.namespaced || self.field_selectors.is_empty()).then_some("metadata.namespace")
            }
            "spec.host" if self.group.is_empty() && self.plural == "pods" => Some("spec.nodeName"),
            _ => {
                let found = self.field_selectors.iter().copied().find(|f| *f == label)?;
                // events.k8s.io Events are selected by the stored core v1
                // Event's fields, as kube-apiserver's field label conversion does.
                Some(if self.storage_group() != self.group { core_event_field(found) } else { found })
            }
        }
    }

    /// The group objects are stored in (see [`BuiltinResource::storage_version`]).
    pub fn storage_group(&self) -> &'static str {
        if self.group == "events.k8s.io" && self.plural == "events" { "" } else { self.group }
    }
}

/// The core v1 Event field an events.k8s.io/v1 Event field label selects.
fn core_event_field(label: &'static str) -> &'static str {
    match label {
        "regarding.kind" => "involvedObject.kind",
        "regarding.namespace" => "involvedObject.namespace",
        "regarding.name" => "involvedObject.name",
        "regarding.uid" => "involvedObject.uid",
        "regarding.apiVersion" => "involvedObject.apiVersion",
        "regarding.resourceVersion" => "involvedObject.resourceVersion",
        "regarding.fieldPath" => "involvedObject.fieldPath",
        "reportingController" => "reportingComponent",
        other => other,
    }
}

impl Subresource {
    /// The group and version discovery shows for this subresource under
    /// `parent`: empty when they are the parent's own group-version, like
    /// kube-apiserver's discovery documents.
    pub fn discovery_group_version(&self, parent: &BuiltinResource) -> (&'static str, &'static str) {
        if self.group == parent.group && self.version == parent.version { ("", "") } else { (self.group, self.version) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_version_plural_is_unique() {
        for (i, a) in BUILTIN_RESOURCES.iter().enumerate() {
            for b in &BUILTIN_RESOURCES[i + 1..] {
                assert!(
                    (a.group, a.version, a.plural) != (b.group, b.version, b.plural),
                    "duplicate {}/{}/{}",
                    a.group,
                    a.version,
                    a.plural
                );
                assert!(
                    (a.group, a.version, a.kind) != (b.group, b.version, b.kind),
                    "duplicate kind {}/{}/{}",
                    a.group,
                    a.version,
                    a.kind
                );
            }
        }
        assert_eq!(BUILTIN_RESOURCES.len(), 66);
    }

    #[test]
    fn order_is_core_then_apis_order_then_plural() {
        let group_rank = |group: &str| -> usize {
            if group.is_empty() {
                0
            } else {
                1 + GROUPS.iter().position(|(g, _)| *g == group).expect("group listed in GROUPS")
            }
        };
        for pair in BUILTIN_RESOURCES.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let (ra, rb) = (group_rank(a.group), group_rank(b.group));
            assert!(ra <= rb, "{} listed before {}", a.group, b.group);
            if ra == rb && a.version == b.version {
                assert!(a.plural < b.plural, "{} before {}", a.plural, b.plural);
            }
        }
        // The version blocks of autoscaling follow discovery: v2 first.
        let hpa: Vec<&str> = BUILTIN_RESOURCES.iter().filter(|r| r.group == "autoscaling").map(|r| r.version).collect();
        assert_eq!(hpa, ["v2", "v1"]);
    }

    #[test]
    fn every_group_is_served_in_its_preferred_version() {
        for (group, version) in GROUPS {
            assert!(
                BUILTIN_RESOURCES.iter().any(|r| r.group == *group && r.version == *version),
                "{group}/{version} has no resources"
            );
        }
        assert_eq!(GROUPS[0], ("apiregistration.k8s.io", "v1"));
        assert!(GROUPS.contains(&("autoscaling", "v2")));
        assert_eq!(GROUPS.len(), 20);
    }

    #[test]
    fn category_all_is_exactly_upstreams() {
        let mut all: Vec<(&str, &str)> =
            BUILTIN_RESOURCES.iter().filter(|r| r.categories.contains(&"all")).map(|r| (r.group, r.plural)).collect();
        all.dedup();
        all.sort();
        let mut want = vec![
            ("", "pods"),
            ("", "replicationcontrollers"),
            ("", "services"),
            ("apps", "daemonsets"),
            ("apps", "deployments"),
            ("apps", "replicasets"),
            ("apps", "statefulsets"),
            ("autoscaling", "horizontalpodautoscalers"),
            ("batch", "cronjobs"),
            ("batch", "jobs"),
        ];
        want.sort();
        assert_eq!(all, want);
    }

    #[test]
    fn has_status_matches_the_status_subresource() {
        for r in BUILTIN_RESOURCES {
            assert_eq!(r.has_status, r.subresource("status").is_some(), "{}", r.plural);
        }
        let pods = find("", "v1", "pods").expect("pods");
        assert!(pods.has_status);
        assert!(!find("", "v1", "configmaps").expect("configmaps").has_status);
    }

    #[test]
    fn stored_resources_have_registry_prefixes_and_full_verbs() {
        for r in BUILTIN_RESOURCES {
            if r.is_stored() {
                assert!(r.storage_prefix.starts_with("/registry/"), "{}", r.plural);
                assert!(r.verbs.contains(&"watch"), "{}", r.plural);
                assert!(!r.list_definition.is_empty(), "{}", r.plural);
            } else {
                assert!(!r.verbs.contains(&"watch"), "{}", r.plural);
                assert!(r.field_selectors.is_empty(), "{}", r.plural);
            }
        }
        let prefix = |g: &str, v: &str, p: &str| find(g, v, p).map(|r| r.storage_prefix);
        assert_eq!(prefix("", "v1", "nodes"), Some("/registry/minions"));
        assert_eq!(prefix("", "v1", "services"), Some("/registry/services/specs"));
        assert_eq!(prefix("", "v1", "endpoints"), Some("/registry/services/endpoints"));
        assert_eq!(prefix("", "v1", "replicationcontrollers"), Some("/registry/controllers"));
        assert_eq!(prefix("networking.k8s.io", "v1", "ingresses"), Some("/registry/ingress"));
        assert_eq!(
            prefix("apiregistration.k8s.io", "v1", "apiservices"),
            Some("/registry/apiregistration.k8s.io/apiservices")
        );
        assert_eq!(
            prefix("apiextensions.k8s.io", "v1", "customresourcedefinitions"),
            Some("/registry/apiextensions.k8s.io/customresourcedefinitions")
        );
        assert_eq!(prefix("", "v1", "events"), prefix("events.k8s.io", "v1", "events"));
        assert_eq!(prefix("", "v1", "bindings"), Some(""));
        assert_eq!(prefix("apps", "v1", "deployments"), Some("/registry/deployments"));
    }

    #[test]
    fn only_horizontalpodautoscalers_are_stored_in_another_version() {
        for r in BUILTIN_RESOURCES {
            if r.plural == "horizontalpodautoscalers" {
                assert_eq!(r.storage_version, "v2");
            } else {
                assert_eq!(r.storage_version, r.version, "{}", r.plural);
            }
        }
    }

    #[test]
    fn field_labels_follow_the_conversion_rules() {
        let pods = find("", "v1", "pods").expect("pods");
        assert_eq!(pods.field_label("spec.nodeName"), Some("spec.nodeName"));
        assert_eq!(pods.field_label("spec.host"), Some("spec.nodeName"));
        assert_eq!(pods.field_label("metadata.namespace"), Some("metadata.namespace"));
        assert_eq!(pods.field_label("spec.containers"), None);

        let nodes = find("", "v1", "nodes").expect("nodes");
        assert_eq!(nodes.field_label("metadata.name"), Some("metadata.name"));
        assert_eq!(nodes.field_label("metadata.namespace"), None);
        assert_eq!(nodes.field_label("spec.unschedulable"), Some("spec.unschedulable"));
        assert_eq!(nodes.field_label("spec.host"), None);

        let pvs = find("", "v1", "persistentvolumes").expect("persistentvolumes");
        assert_eq!(pvs.field_label("metadata.namespace"), Some("metadata.namespace"));
        assert_eq!(pvs.field_label("name"), None);

        let events = find("events.k8s.io", "v1", "events").expect("events");
        assert_eq!(events.field_label("regarding.kind"), Some("involvedObject.kind"), "selects the stored core field");
        assert_eq!(events.field_label("reportingController"), Some("reportingComponent"));
        assert_eq!(events.field_label("involvedObject.kind"), None);
        assert_eq!(events.field_label("source"), None);
    }

    #[test]
    fn subresources_carry_their_discovery_kinds() {
        let deployments = find("apps", "v1", "deployments").expect("deployments");
        let scale = deployments.subresource("scale").expect("scale");
        assert_eq!((scale.group, scale.version, scale.kind), ("autoscaling", "v1", "Scale"));
        assert_eq!(scale.discovery_group_version(deployments), ("autoscaling", "v1"));
        let status = deployments.subresource("status").expect("status");
        assert_eq!((status.group, status.version, status.kind), ("apps", "v1", "Deployment"));
        assert_eq!(status.discovery_group_version(deployments), ("", ""));

        let pods = find("", "v1", "pods").expect("pods");
        let eviction = pods.subresource("eviction").expect("eviction");
        assert_eq!((eviction.group, eviction.kind, eviction.verbs), ("policy", "Eviction", CREATE_ONLY));
        let names: Vec<&str> = pods.subresources.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "attach",
                "binding",
                "ephemeralcontainers",
                "eviction",
                "exec",
                "log",
                "portforward",
                "proxy",
                "resize",
                "status"
            ]
        );
        let token = find("", "v1", "serviceaccounts").and_then(|r| r.subresource("token")).expect("token");
        assert_eq!((token.group, token.version, token.kind), ("authentication.k8s.io", "v1", "TokenRequest"));
    }

    #[test]
    fn lookups_by_kind_and_plural_agree() {
        for r in BUILTIN_RESOURCES {
            assert_eq!(find_kind(r.group, r.version, r.kind), Some(r));
            assert_eq!(find(r.group, r.version, r.plural), Some(r));
        }
        assert_eq!(find("", "v1", "widgets"), None);
        assert_eq!(find("apps", "v1beta1", "deployments"), None);
    }
}
