// Code generated from the Kubernetes 1.35 Go API types (k8s.io/api, apimachinery,
// apiextensions-apiserver and kube-aggregator at release-1.35). DO NOT EDIT.
//
// For each Go struct that matters to the JSON shape: the fields encoding/json
// always writes (and their zero value), and the fields to walk to reach such
// fields or resource.Quantity values.

use super::shape::{Field as F, Walk as W, Zero as Z};

/// Struct shapes, indexed by the numbers in `Z::Struct` and `W::*`.
pub(super) static TYPES: &[&[F]] = &[
    // admissionregistration/v1.AuditAnnotation
    &[
        F { name: "key", zero: Some(Z::Str), walk: W::No },
        F { name: "valueExpression", zero: Some(Z::Str), walk: W::No },
    ],
    // admissionregistration/v1.ExpressionWarning
    &[F { name: "fieldRef", zero: Some(Z::Str), walk: W::No }, F { name: "warning", zero: Some(Z::Str), walk: W::No }],
    // admissionregistration/v1.MatchCondition
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "expression", zero: Some(Z::Str), walk: W::No }],
    // admissionregistration/v1.MatchResources
    &[
        F { name: "namespaceSelector", zero: None, walk: W::Struct(330) },
        F { name: "objectSelector", zero: None, walk: W::Struct(330) },
    ],
    // admissionregistration/v1.MutatingWebhook
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "clientConfig", zero: Some(Z::Struct(18)), walk: W::Struct(18) },
        F { name: "namespaceSelector", zero: None, walk: W::Struct(330) },
        F { name: "objectSelector", zero: None, walk: W::Struct(330) },
        F { name: "sideEffects", zero: Some(Z::Null), walk: W::No },
        F { name: "admissionReviewVersions", zero: Some(Z::Null), walk: W::No },
        F { name: "matchConditions", zero: None, walk: W::Each(2) },
    ],
    // admissionregistration/v1.MutatingWebhookConfiguration
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "webhooks", zero: None, walk: W::Each(4) },
    ],
    // admissionregistration/v1.ParamRef
    &[F { name: "selector", zero: None, walk: W::Struct(330) }],
    // admissionregistration/v1.ServiceReference
    &[F { name: "namespace", zero: Some(Z::Str), walk: W::No }, F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // admissionregistration/v1.TypeChecking
    &[F { name: "expressionWarnings", zero: None, walk: W::Each(1) }],
    // admissionregistration/v1.ValidatingAdmissionPolicy
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(12)), walk: W::Struct(12) },
        F { name: "status", zero: Some(Z::Struct(13)), walk: W::Struct(13) },
    ],
    // admissionregistration/v1.ValidatingAdmissionPolicyBinding
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(11)), walk: W::Struct(11) },
    ],
    // admissionregistration/v1.ValidatingAdmissionPolicyBindingSpec
    &[
        F { name: "paramRef", zero: None, walk: W::Struct(6) },
        F { name: "matchResources", zero: None, walk: W::Struct(3) },
    ],
    // admissionregistration/v1.ValidatingAdmissionPolicySpec
    &[
        F { name: "matchConstraints", zero: None, walk: W::Struct(3) },
        F { name: "validations", zero: None, walk: W::Each(16) },
        F { name: "auditAnnotations", zero: None, walk: W::Each(0) },
        F { name: "matchConditions", zero: None, walk: W::Each(2) },
        F { name: "variables", zero: None, walk: W::Each(17) },
    ],
    // admissionregistration/v1.ValidatingAdmissionPolicyStatus
    &[
        F { name: "typeChecking", zero: None, walk: W::Struct(8) },
        F { name: "conditions", zero: None, walk: W::Each(328) },
    ],
    // admissionregistration/v1.ValidatingWebhook
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "clientConfig", zero: Some(Z::Struct(18)), walk: W::Struct(18) },
        F { name: "namespaceSelector", zero: None, walk: W::Struct(330) },
        F { name: "objectSelector", zero: None, walk: W::Struct(330) },
        F { name: "sideEffects", zero: Some(Z::Null), walk: W::No },
        F { name: "admissionReviewVersions", zero: Some(Z::Null), walk: W::No },
        F { name: "matchConditions", zero: None, walk: W::Each(2) },
    ],
    // admissionregistration/v1.ValidatingWebhookConfiguration
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "webhooks", zero: None, walk: W::Each(14) },
    ],
    // admissionregistration/v1.Validation
    &[F { name: "expression", zero: Some(Z::Str), walk: W::No }],
    // admissionregistration/v1.Variable
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "expression", zero: Some(Z::Str), walk: W::No }],
    // admissionregistration/v1.WebhookClientConfig
    &[F { name: "service", zero: None, walk: W::Struct(7) }],
    // apiextensions/v1.ConversionRequest
    &[
        F { name: "uid", zero: Some(Z::Str), walk: W::No },
        F { name: "desiredAPIVersion", zero: Some(Z::Str), walk: W::No },
        F { name: "objects", zero: Some(Z::Null), walk: W::No },
    ],
    // apiextensions/v1.ConversionResponse
    &[
        F { name: "uid", zero: Some(Z::Str), walk: W::No },
        F { name: "convertedObjects", zero: Some(Z::Null), walk: W::No },
        F { name: "result", zero: Some(Z::Struct(334)), walk: W::Struct(334) },
    ],
    // apiextensions/v1.ConversionReview
    &[F { name: "request", zero: None, walk: W::Struct(19) }, F { name: "response", zero: None, walk: W::Struct(20) }],
    // apiextensions/v1.CustomResourceColumnDefinition
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "jsonPath", zero: Some(Z::Str), walk: W::No },
    ],
    // apiextensions/v1.CustomResourceConversion
    &[F { name: "strategy", zero: Some(Z::Str), walk: W::No }, F { name: "webhook", zero: None, walk: W::Struct(35) }],
    // apiextensions/v1.CustomResourceDefinition
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(27)), walk: W::Struct(27) },
        F { name: "status", zero: Some(Z::Struct(28)), walk: W::Struct(28) },
    ],
    // apiextensions/v1.CustomResourceDefinitionCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // apiextensions/v1.CustomResourceDefinitionNames
    &[F { name: "plural", zero: Some(Z::Str), walk: W::No }, F { name: "kind", zero: Some(Z::Str), walk: W::No }],
    // apiextensions/v1.CustomResourceDefinitionSpec
    &[
        F { name: "group", zero: Some(Z::Str), walk: W::No },
        F { name: "names", zero: Some(Z::Struct(26)), walk: W::Struct(26) },
        F { name: "scope", zero: Some(Z::Str), walk: W::No },
        F { name: "versions", zero: Some(Z::Null), walk: W::Each(29) },
        F { name: "conversion", zero: None, walk: W::Struct(23) },
    ],
    // apiextensions/v1.CustomResourceDefinitionStatus
    &[
        F { name: "conditions", zero: Some(Z::Null), walk: W::Each(25) },
        F { name: "acceptedNames", zero: Some(Z::Struct(26)), walk: W::Struct(26) },
        F { name: "storedVersions", zero: Some(Z::Null), walk: W::No },
    ],
    // apiextensions/v1.CustomResourceDefinitionVersion
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "served", zero: Some(Z::Bool), walk: W::No },
        F { name: "storage", zero: Some(Z::Bool), walk: W::No },
        F { name: "subresources", zero: None, walk: W::Struct(31) },
        F { name: "additionalPrinterColumns", zero: None, walk: W::Each(22) },
        F { name: "selectableFields", zero: None, walk: W::Each(32) },
    ],
    // apiextensions/v1.CustomResourceSubresourceScale
    &[
        F { name: "specReplicasPath", zero: Some(Z::Str), walk: W::No },
        F { name: "statusReplicasPath", zero: Some(Z::Str), walk: W::No },
    ],
    // apiextensions/v1.CustomResourceSubresources
    &[F { name: "scale", zero: None, walk: W::Struct(30) }],
    // apiextensions/v1.SelectableField
    &[F { name: "jsonPath", zero: Some(Z::Str), walk: W::No }],
    // apiextensions/v1.ServiceReference
    &[F { name: "namespace", zero: Some(Z::Str), walk: W::No }, F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // apiextensions/v1.WebhookClientConfig
    &[F { name: "service", zero: None, walk: W::Struct(33) }],
    // apiextensions/v1.WebhookConversion
    &[
        F { name: "clientConfig", zero: None, walk: W::Struct(34) },
        F { name: "conversionReviewVersions", zero: Some(Z::Null), walk: W::No },
    ],
    // apiregistration/v1.APIService
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(38)), walk: W::Struct(38) },
        F { name: "status", zero: Some(Z::Struct(39)), walk: W::Struct(39) },
    ],
    // apiregistration/v1.APIServiceCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // apiregistration/v1.APIServiceSpec
    &[
        F { name: "groupPriorityMinimum", zero: Some(Z::Int), walk: W::No },
        F { name: "versionPriority", zero: Some(Z::Int), walk: W::No },
    ],
    // apiregistration/v1.APIServiceStatus
    &[F { name: "conditions", zero: None, walk: W::Each(37) }],
    // apps/v1.ControllerRevision
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "data", zero: Some(Z::Null), walk: W::No },
        F { name: "revision", zero: Some(Z::Int), walk: W::No },
    ],
    // apps/v1.DaemonSet
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(43)), walk: W::Struct(43) },
        F { name: "status", zero: Some(Z::Struct(44)), walk: W::Struct(44) },
    ],
    // apps/v1.DaemonSetCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // apps/v1.DaemonSetSpec
    &[
        F { name: "selector", zero: Some(Z::Null), walk: W::Struct(330) },
        F { name: "template", zero: Some(Z::Struct(243)), walk: W::Struct(243) },
        F { name: "updateStrategy", zero: Some(Z::EmptyStruct), walk: W::No },
    ],
    // apps/v1.DaemonSetStatus
    &[
        F { name: "currentNumberScheduled", zero: Some(Z::Int), walk: W::No },
        F { name: "numberMisscheduled", zero: Some(Z::Int), walk: W::No },
        F { name: "desiredNumberScheduled", zero: Some(Z::Int), walk: W::No },
        F { name: "numberReady", zero: Some(Z::Int), walk: W::No },
        F { name: "conditions", zero: None, walk: W::Each(42) },
    ],
    // apps/v1.Deployment
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(47)), walk: W::Struct(47) },
        F { name: "status", zero: Some(Z::Struct(48)), walk: W::Struct(48) },
    ],
    // apps/v1.DeploymentCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastUpdateTime", zero: Some(Z::Null), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // apps/v1.DeploymentSpec
    &[
        F { name: "selector", zero: Some(Z::Null), walk: W::Struct(330) },
        F { name: "template", zero: Some(Z::Struct(243)), walk: W::Struct(243) },
        F { name: "strategy", zero: Some(Z::EmptyStruct), walk: W::No },
    ],
    // apps/v1.DeploymentStatus
    &[F { name: "conditions", zero: None, walk: W::Each(46) }],
    // apps/v1.ReplicaSet
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(51)), walk: W::Struct(51) },
        F { name: "status", zero: Some(Z::Struct(52)), walk: W::Struct(52) },
    ],
    // apps/v1.ReplicaSetCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // apps/v1.ReplicaSetSpec
    &[
        F { name: "selector", zero: Some(Z::Null), walk: W::Struct(330) },
        F { name: "template", zero: Some(Z::Struct(243)), walk: W::Struct(243) },
    ],
    // apps/v1.ReplicaSetStatus
    &[F { name: "replicas", zero: Some(Z::Int), walk: W::No }, F { name: "conditions", zero: None, walk: W::Each(50) }],
    // apps/v1.StatefulSet
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(56)), walk: W::Struct(56) },
        F { name: "status", zero: Some(Z::Struct(57)), walk: W::Struct(57) },
    ],
    // apps/v1.StatefulSetCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // apps/v1.StatefulSetOrdinals
    &[F { name: "start", zero: Some(Z::Int), walk: W::No }],
    // apps/v1.StatefulSetSpec
    &[
        F { name: "selector", zero: Some(Z::Null), walk: W::Struct(330) },
        F { name: "template", zero: Some(Z::Struct(243)), walk: W::Struct(243) },
        F { name: "volumeClaimTemplates", zero: None, walk: W::Each(217) },
        F { name: "serviceName", zero: Some(Z::Str), walk: W::No },
        F { name: "updateStrategy", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "ordinals", zero: None, walk: W::Struct(55) },
    ],
    // apps/v1.StatefulSetStatus
    &[
        F { name: "replicas", zero: Some(Z::Int), walk: W::No },
        F { name: "conditions", zero: None, walk: W::Each(54) },
        F { name: "availableReplicas", zero: Some(Z::Int), walk: W::No },
    ],
    // authentication/v1.SelfSubjectReview
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "status", zero: Some(Z::Struct(59)), walk: W::Struct(59) },
    ],
    // authentication/v1.SelfSubjectReviewStatus
    &[F { name: "userInfo", zero: Some(Z::EmptyStruct), walk: W::No }],
    // authentication/v1.TokenRequest
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(61)), walk: W::Struct(61) },
        F { name: "status", zero: Some(Z::Struct(62)), walk: W::Struct(62) },
    ],
    // authentication/v1.TokenRequestSpec
    &[
        F { name: "audiences", zero: Some(Z::Null), walk: W::No },
        F { name: "expirationSeconds", zero: Some(Z::Null), walk: W::No },
        F { name: "boundObjectRef", zero: Some(Z::Null), walk: W::No },
    ],
    // authentication/v1.TokenRequestStatus
    &[
        F { name: "token", zero: Some(Z::Str), walk: W::No },
        F { name: "expirationTimestamp", zero: Some(Z::Null), walk: W::No },
    ],
    // authentication/v1.TokenReview
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "status", zero: Some(Z::Struct(64)), walk: W::Struct(64) },
    ],
    // authentication/v1.TokenReviewStatus
    &[F { name: "user", zero: Some(Z::EmptyStruct), walk: W::No }],
    // authorization/v1.FieldSelectorAttributes
    &[F { name: "requirements", zero: None, walk: W::Each(329) }],
    // authorization/v1.LabelSelectorAttributes
    &[F { name: "requirements", zero: None, walk: W::Each(331) }],
    // authorization/v1.LocalSubjectAccessReview
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(75)), walk: W::Struct(75) },
        F { name: "status", zero: Some(Z::Struct(76)), walk: W::Struct(76) },
    ],
    // authorization/v1.NonResourceRule
    &[F { name: "verbs", zero: Some(Z::Null), walk: W::No }],
    // authorization/v1.ResourceAttributes
    &[
        F { name: "fieldSelector", zero: None, walk: W::Struct(65) },
        F { name: "labelSelector", zero: None, walk: W::Struct(66) },
    ],
    // authorization/v1.ResourceRule
    &[F { name: "verbs", zero: Some(Z::Null), walk: W::No }],
    // authorization/v1.SelfSubjectAccessReview
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(72)), walk: W::Struct(72) },
        F { name: "status", zero: Some(Z::Struct(76)), walk: W::Struct(76) },
    ],
    // authorization/v1.SelfSubjectAccessReviewSpec
    &[F { name: "resourceAttributes", zero: None, walk: W::Struct(69) }],
    // authorization/v1.SelfSubjectRulesReview
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "status", zero: Some(Z::Struct(77)), walk: W::Struct(77) },
    ],
    // authorization/v1.SubjectAccessReview
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(75)), walk: W::Struct(75) },
        F { name: "status", zero: Some(Z::Struct(76)), walk: W::Struct(76) },
    ],
    // authorization/v1.SubjectAccessReviewSpec
    &[F { name: "resourceAttributes", zero: None, walk: W::Struct(69) }],
    // authorization/v1.SubjectAccessReviewStatus
    &[F { name: "allowed", zero: Some(Z::Bool), walk: W::No }],
    // authorization/v1.SubjectRulesReviewStatus
    &[
        F { name: "resourceRules", zero: Some(Z::Null), walk: W::Each(70) },
        F { name: "nonResourceRules", zero: Some(Z::Null), walk: W::Each(68) },
        F { name: "incomplete", zero: Some(Z::Bool), walk: W::No },
    ],
    // autoscaling/v1.CrossVersionObjectReference
    &[F { name: "kind", zero: Some(Z::Str), walk: W::No }, F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // autoscaling/v1.HorizontalPodAutoscaler
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(80)), walk: W::Struct(80) },
        F { name: "status", zero: Some(Z::Struct(81)), walk: W::Struct(81) },
    ],
    // autoscaling/v1.HorizontalPodAutoscalerSpec
    &[
        F { name: "scaleTargetRef", zero: Some(Z::Struct(78)), walk: W::Struct(78) },
        F { name: "maxReplicas", zero: Some(Z::Int), walk: W::No },
    ],
    // autoscaling/v1.HorizontalPodAutoscalerStatus
    &[
        F { name: "currentReplicas", zero: Some(Z::Int), walk: W::No },
        F { name: "desiredReplicas", zero: Some(Z::Int), walk: W::No },
    ],
    // autoscaling/v1.Scale
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "status", zero: Some(Z::Struct(83)), walk: W::Struct(83) },
    ],
    // autoscaling/v1.ScaleStatus
    &[F { name: "replicas", zero: Some(Z::Int), walk: W::No }],
    // autoscaling/v2.ContainerResourceMetricSource
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "target", zero: Some(Z::Struct(99)), walk: W::Struct(99) },
        F { name: "container", zero: Some(Z::Str), walk: W::No },
    ],
    // autoscaling/v2.ContainerResourceMetricStatus
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "current", zero: Some(Z::Struct(100)), walk: W::Struct(100) },
        F { name: "container", zero: Some(Z::Str), walk: W::No },
    ],
    // autoscaling/v2.CrossVersionObjectReference
    &[F { name: "kind", zero: Some(Z::Str), walk: W::No }, F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // autoscaling/v2.ExternalMetricSource
    &[
        F { name: "metric", zero: Some(Z::Struct(96)), walk: W::Struct(96) },
        F { name: "target", zero: Some(Z::Struct(99)), walk: W::Struct(99) },
    ],
    // autoscaling/v2.ExternalMetricStatus
    &[
        F { name: "metric", zero: Some(Z::Struct(96)), walk: W::Struct(96) },
        F { name: "current", zero: Some(Z::Struct(100)), walk: W::Struct(100) },
    ],
    // autoscaling/v2.HPAScalingPolicy
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "value", zero: Some(Z::Int), walk: W::No },
        F { name: "periodSeconds", zero: Some(Z::Int), walk: W::No },
    ],
    // autoscaling/v2.HPAScalingRules
    &[F { name: "policies", zero: None, walk: W::Each(89) }, F { name: "tolerance", zero: None, walk: W::Quantity }],
    // autoscaling/v2.HorizontalPodAutoscaler
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(94)), walk: W::Struct(94) },
        F { name: "status", zero: Some(Z::Struct(95)), walk: W::Struct(95) },
    ],
    // autoscaling/v2.HorizontalPodAutoscalerBehavior
    &[F { name: "scaleUp", zero: None, walk: W::Struct(90) }, F { name: "scaleDown", zero: None, walk: W::Struct(90) }],
    // autoscaling/v2.HorizontalPodAutoscalerCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // autoscaling/v2.HorizontalPodAutoscalerSpec
    &[
        F { name: "scaleTargetRef", zero: Some(Z::Struct(86)), walk: W::Struct(86) },
        F { name: "maxReplicas", zero: Some(Z::Int), walk: W::No },
        F { name: "metrics", zero: None, walk: W::Each(97) },
        F { name: "behavior", zero: None, walk: W::Struct(92) },
    ],
    // autoscaling/v2.HorizontalPodAutoscalerStatus
    &[
        F { name: "desiredReplicas", zero: Some(Z::Int), walk: W::No },
        F { name: "currentMetrics", zero: Some(Z::Null), walk: W::Each(98) },
        F { name: "conditions", zero: None, walk: W::Each(93) },
    ],
    // autoscaling/v2.MetricIdentifier
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "selector", zero: None, walk: W::Struct(330) }],
    // autoscaling/v2.MetricSpec
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "object", zero: None, walk: W::Struct(101) },
        F { name: "pods", zero: None, walk: W::Struct(103) },
        F { name: "resource", zero: None, walk: W::Struct(105) },
        F { name: "containerResource", zero: None, walk: W::Struct(84) },
        F { name: "external", zero: None, walk: W::Struct(87) },
    ],
    // autoscaling/v2.MetricStatus
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "object", zero: None, walk: W::Struct(102) },
        F { name: "pods", zero: None, walk: W::Struct(104) },
        F { name: "resource", zero: None, walk: W::Struct(106) },
        F { name: "containerResource", zero: None, walk: W::Struct(85) },
        F { name: "external", zero: None, walk: W::Struct(88) },
    ],
    // autoscaling/v2.MetricTarget
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "value", zero: None, walk: W::Quantity },
        F { name: "averageValue", zero: None, walk: W::Quantity },
    ],
    // autoscaling/v2.MetricValueStatus
    &[F { name: "value", zero: None, walk: W::Quantity }, F { name: "averageValue", zero: None, walk: W::Quantity }],
    // autoscaling/v2.ObjectMetricSource
    &[
        F { name: "describedObject", zero: Some(Z::Struct(86)), walk: W::Struct(86) },
        F { name: "target", zero: Some(Z::Struct(99)), walk: W::Struct(99) },
        F { name: "metric", zero: Some(Z::Struct(96)), walk: W::Struct(96) },
    ],
    // autoscaling/v2.ObjectMetricStatus
    &[
        F { name: "metric", zero: Some(Z::Struct(96)), walk: W::Struct(96) },
        F { name: "current", zero: Some(Z::Struct(100)), walk: W::Struct(100) },
        F { name: "describedObject", zero: Some(Z::Struct(86)), walk: W::Struct(86) },
    ],
    // autoscaling/v2.PodsMetricSource
    &[
        F { name: "metric", zero: Some(Z::Struct(96)), walk: W::Struct(96) },
        F { name: "target", zero: Some(Z::Struct(99)), walk: W::Struct(99) },
    ],
    // autoscaling/v2.PodsMetricStatus
    &[
        F { name: "metric", zero: Some(Z::Struct(96)), walk: W::Struct(96) },
        F { name: "current", zero: Some(Z::Struct(100)), walk: W::Struct(100) },
    ],
    // autoscaling/v2.ResourceMetricSource
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "target", zero: Some(Z::Struct(99)), walk: W::Struct(99) },
    ],
    // autoscaling/v2.ResourceMetricStatus
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "current", zero: Some(Z::Struct(100)), walk: W::Struct(100) },
    ],
    // batch/v1.CronJob
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(108)), walk: W::Struct(108) },
        F { name: "status", zero: Some(Z::EmptyStruct), walk: W::No },
    ],
    // batch/v1.CronJobSpec
    &[
        F { name: "schedule", zero: Some(Z::Str), walk: W::No },
        F { name: "jobTemplate", zero: Some(Z::Struct(113)), walk: W::Struct(113) },
    ],
    // batch/v1.Job
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(111)), walk: W::Struct(111) },
        F { name: "status", zero: Some(Z::Struct(112)), walk: W::Struct(112) },
    ],
    // batch/v1.JobCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastProbeTime", zero: Some(Z::Null), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // batch/v1.JobSpec
    &[
        F { name: "podFailurePolicy", zero: None, walk: W::Struct(114) },
        F { name: "successPolicy", zero: None, walk: W::Struct(118) },
        F { name: "selector", zero: None, walk: W::Struct(330) },
        F { name: "template", zero: Some(Z::Struct(243)), walk: W::Struct(243) },
    ],
    // batch/v1.JobStatus
    &[F { name: "conditions", zero: None, walk: W::Each(110) }],
    // batch/v1.JobTemplateSpec
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(111)), walk: W::Struct(111) },
    ],
    // batch/v1.PodFailurePolicy
    &[F { name: "rules", zero: Some(Z::Null), walk: W::Each(117) }],
    // batch/v1.PodFailurePolicyOnExitCodesRequirement
    &[F { name: "operator", zero: Some(Z::Str), walk: W::No }, F { name: "values", zero: Some(Z::Null), walk: W::No }],
    // batch/v1.PodFailurePolicyOnPodConditionsPattern
    &[F { name: "type", zero: Some(Z::Str), walk: W::No }, F { name: "status", zero: Some(Z::Str), walk: W::No }],
    // batch/v1.PodFailurePolicyRule
    &[
        F { name: "action", zero: Some(Z::Str), walk: W::No },
        F { name: "onExitCodes", zero: None, walk: W::Struct(115) },
        F { name: "onPodConditions", zero: None, walk: W::Each(116) },
    ],
    // batch/v1.SuccessPolicy
    &[F { name: "rules", zero: Some(Z::Null), walk: W::No }],
    // certificates/v1.CertificateSigningRequest
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(121)), walk: W::Struct(121) },
        F { name: "status", zero: Some(Z::Struct(122)), walk: W::Struct(122) },
    ],
    // certificates/v1.CertificateSigningRequestCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastUpdateTime", zero: Some(Z::Null), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // certificates/v1.CertificateSigningRequestSpec
    &[
        F { name: "request", zero: Some(Z::Null), walk: W::No },
        F { name: "signerName", zero: Some(Z::Str), walk: W::No },
    ],
    // certificates/v1.CertificateSigningRequestStatus
    &[F { name: "conditions", zero: None, walk: W::Each(120) }],
    // coordination/v1.Lease
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::EmptyStruct), walk: W::No },
    ],
    // core/v1.AWSElasticBlockStoreVolumeSource
    &[F { name: "volumeID", zero: Some(Z::Str), walk: W::No }],
    // core/v1.Affinity
    &[
        F { name: "nodeAffinity", zero: None, walk: W::Struct(203) },
        F { name: "podAffinity", zero: None, walk: W::Struct(226) },
        F { name: "podAntiAffinity", zero: None, walk: W::Struct(228) },
    ],
    // core/v1.AppArmorProfile
    &[F { name: "type", zero: Some(Z::Str), walk: W::No }],
    // core/v1.AttachedVolume
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "devicePath", zero: Some(Z::Str), walk: W::No }],
    // core/v1.AzureDiskVolumeSource
    &[F { name: "diskName", zero: Some(Z::Str), walk: W::No }, F { name: "diskURI", zero: Some(Z::Str), walk: W::No }],
    // core/v1.AzureFilePersistentVolumeSource
    &[
        F { name: "secretName", zero: Some(Z::Str), walk: W::No },
        F { name: "shareName", zero: Some(Z::Str), walk: W::No },
        F { name: "secretNamespace", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.AzureFileVolumeSource
    &[
        F { name: "secretName", zero: Some(Z::Str), walk: W::No },
        F { name: "shareName", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.Binding
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "target", zero: Some(Z::EmptyStruct), walk: W::No },
    ],
    // core/v1.CSIPersistentVolumeSource
    &[
        F { name: "driver", zero: Some(Z::Str), walk: W::No },
        F { name: "volumeHandle", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.CSIVolumeSource
    &[F { name: "driver", zero: Some(Z::Str), walk: W::No }],
    // core/v1.CephFSPersistentVolumeSource
    &[F { name: "monitors", zero: Some(Z::Null), walk: W::No }],
    // core/v1.CephFSVolumeSource
    &[F { name: "monitors", zero: Some(Z::Null), walk: W::No }],
    // core/v1.CinderPersistentVolumeSource
    &[F { name: "volumeID", zero: Some(Z::Str), walk: W::No }],
    // core/v1.CinderVolumeSource
    &[F { name: "volumeID", zero: Some(Z::Str), walk: W::No }],
    // core/v1.ClusterTrustBundleProjection
    &[
        F { name: "labelSelector", zero: None, walk: W::Struct(330) },
        F { name: "path", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.ComponentCondition
    &[F { name: "type", zero: Some(Z::Str), walk: W::No }, F { name: "status", zero: Some(Z::Str), walk: W::No }],
    // core/v1.ComponentStatus
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "conditions", zero: None, walk: W::Each(139) },
    ],
    // core/v1.ConfigMap
    &[F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) }],
    // core/v1.ConfigMapKeySelector
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }],
    // core/v1.ConfigMapNodeConfigSource
    &[
        F { name: "namespace", zero: Some(Z::Str), walk: W::No },
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "kubeletConfigKey", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.ConfigMapProjection
    &[F { name: "items", zero: None, walk: W::Each(186) }],
    // core/v1.ConfigMapVolumeSource
    &[F { name: "items", zero: None, walk: W::Each(186) }],
    // core/v1.Container
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "ports", zero: None, walk: W::Each(149) },
        F { name: "env", zero: None, walk: W::Each(165) },
        F { name: "resources", zero: Some(Z::Struct(263)), walk: W::Struct(263) },
        F { name: "resizePolicy", zero: None, walk: W::Each(150) },
        F { name: "volumeMounts", zero: None, walk: W::Each(293) },
        F { name: "volumeDevices", zero: None, walk: W::Each(292) },
        F { name: "livenessProbe", zero: None, walk: W::Struct(247) },
        F { name: "readinessProbe", zero: None, walk: W::Struct(247) },
        F { name: "startupProbe", zero: None, walk: W::Struct(247) },
        F { name: "lifecycle", zero: None, walk: W::Struct(187) },
        F { name: "securityContext", zero: None, walk: W::Struct(274) },
    ],
    // core/v1.ContainerExtendedResourceRequest
    &[
        F { name: "containerName", zero: Some(Z::Str), walk: W::No },
        F { name: "resourceName", zero: Some(Z::Str), walk: W::No },
        F { name: "requestName", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.ContainerImage
    &[F { name: "names", zero: Some(Z::Null), walk: W::No }],
    // core/v1.ContainerPort
    &[F { name: "containerPort", zero: Some(Z::Int), walk: W::No }],
    // core/v1.ContainerResizePolicy
    &[
        F { name: "resourceName", zero: Some(Z::Str), walk: W::No },
        F { name: "restartPolicy", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.ContainerState
    &[
        F { name: "running", zero: None, walk: W::Struct(152) },
        F { name: "terminated", zero: None, walk: W::Struct(153) },
    ],
    // core/v1.ContainerStateRunning
    &[F { name: "startedAt", zero: Some(Z::Null), walk: W::No }],
    // core/v1.ContainerStateTerminated
    &[
        F { name: "exitCode", zero: Some(Z::Int), walk: W::No },
        F { name: "startedAt", zero: Some(Z::Null), walk: W::No },
        F { name: "finishedAt", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.ContainerStatus
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "state", zero: Some(Z::Struct(151)), walk: W::Struct(151) },
        F { name: "lastState", zero: Some(Z::Struct(151)), walk: W::Struct(151) },
        F { name: "ready", zero: Some(Z::Bool), walk: W::No },
        F { name: "restartCount", zero: Some(Z::Int), walk: W::No },
        F { name: "image", zero: Some(Z::Str), walk: W::No },
        F { name: "imageID", zero: Some(Z::Str), walk: W::No },
        F { name: "allocatedResources", zero: None, walk: W::ResourceList },
        F { name: "resources", zero: None, walk: W::Struct(263) },
        F { name: "volumeMounts", zero: None, walk: W::Each(294) },
        F { name: "user", zero: None, walk: W::Struct(155) },
        F { name: "allocatedResourcesStatus", zero: None, walk: W::Each(264) },
    ],
    // core/v1.ContainerUser
    &[F { name: "linux", zero: None, walk: W::Struct(192) }],
    // core/v1.DaemonEndpoint
    &[F { name: "Port", zero: Some(Z::Int), walk: W::No }],
    // core/v1.DownwardAPIProjection
    &[F { name: "items", zero: None, walk: W::Each(158) }],
    // core/v1.DownwardAPIVolumeFile
    &[
        F { name: "path", zero: Some(Z::Str), walk: W::No },
        F { name: "fieldRef", zero: None, walk: W::Struct(215) },
        F { name: "resourceFieldRef", zero: None, walk: W::Struct(258) },
    ],
    // core/v1.DownwardAPIVolumeSource
    &[F { name: "items", zero: None, walk: W::Each(158) }],
    // core/v1.EmptyDirVolumeSource
    &[F { name: "sizeLimit", zero: None, walk: W::Quantity }],
    // core/v1.EndpointAddress
    &[F { name: "ip", zero: Some(Z::Str), walk: W::No }],
    // core/v1.EndpointPort
    &[F { name: "port", zero: Some(Z::Int), walk: W::No }],
    // core/v1.EndpointSubset
    &[
        F { name: "addresses", zero: None, walk: W::Each(161) },
        F { name: "notReadyAddresses", zero: None, walk: W::Each(161) },
        F { name: "ports", zero: None, walk: W::Each(162) },
    ],
    // core/v1.Endpoints
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "subsets", zero: None, walk: W::Each(163) },
    ],
    // core/v1.EnvVar
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "valueFrom", zero: None, walk: W::Struct(166) }],
    // core/v1.EnvVarSource
    &[
        F { name: "fieldRef", zero: None, walk: W::Struct(215) },
        F { name: "resourceFieldRef", zero: None, walk: W::Struct(258) },
        F { name: "configMapKeyRef", zero: None, walk: W::Struct(142) },
        F { name: "secretKeyRef", zero: None, walk: W::Struct(271) },
        F { name: "fileKeyRef", zero: None, walk: W::Struct(171) },
    ],
    // core/v1.EphemeralContainer
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "ports", zero: None, walk: W::Each(149) },
        F { name: "env", zero: None, walk: W::Each(165) },
        F { name: "resources", zero: Some(Z::Struct(263)), walk: W::Struct(263) },
        F { name: "resizePolicy", zero: None, walk: W::Each(150) },
        F { name: "volumeMounts", zero: None, walk: W::Each(293) },
        F { name: "volumeDevices", zero: None, walk: W::Each(292) },
        F { name: "livenessProbe", zero: None, walk: W::Struct(247) },
        F { name: "readinessProbe", zero: None, walk: W::Struct(247) },
        F { name: "startupProbe", zero: None, walk: W::Struct(247) },
        F { name: "lifecycle", zero: None, walk: W::Struct(187) },
        F { name: "securityContext", zero: None, walk: W::Struct(274) },
    ],
    // core/v1.EphemeralVolumeSource
    &[F { name: "volumeClaimTemplate", zero: None, walk: W::Struct(221) }],
    // core/v1.Event
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "involvedObject", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "source", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "firstTimestamp", zero: Some(Z::Null), walk: W::No },
        F { name: "lastTimestamp", zero: Some(Z::Null), walk: W::No },
        F { name: "eventTime", zero: Some(Z::Null), walk: W::No },
        F { name: "series", zero: None, walk: W::Struct(170) },
        F { name: "reportingComponent", zero: Some(Z::Str), walk: W::No },
        F { name: "reportingInstance", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.EventSeries
    &[F { name: "lastObservedTime", zero: Some(Z::Null), walk: W::No }],
    // core/v1.FileKeySelector
    &[
        F { name: "volumeName", zero: Some(Z::Str), walk: W::No },
        F { name: "path", zero: Some(Z::Str), walk: W::No },
        F { name: "key", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.FlexPersistentVolumeSource
    &[F { name: "driver", zero: Some(Z::Str), walk: W::No }],
    // core/v1.FlexVolumeSource
    &[F { name: "driver", zero: Some(Z::Str), walk: W::No }],
    // core/v1.GCEPersistentDiskVolumeSource
    &[F { name: "pdName", zero: Some(Z::Str), walk: W::No }],
    // core/v1.GRPCAction
    &[F { name: "port", zero: Some(Z::Int), walk: W::No }, F { name: "service", zero: Some(Z::Null), walk: W::No }],
    // core/v1.GitRepoVolumeSource
    &[F { name: "repository", zero: Some(Z::Str), walk: W::No }],
    // core/v1.GlusterfsPersistentVolumeSource
    &[F { name: "endpoints", zero: Some(Z::Str), walk: W::No }, F { name: "path", zero: Some(Z::Str), walk: W::No }],
    // core/v1.GlusterfsVolumeSource
    &[F { name: "endpoints", zero: Some(Z::Str), walk: W::No }, F { name: "path", zero: Some(Z::Str), walk: W::No }],
    // core/v1.HTTPGetAction
    &[
        F { name: "port", zero: Some(Z::IntOrString), walk: W::No },
        F { name: "httpHeaders", zero: None, walk: W::Each(180) },
    ],
    // core/v1.HTTPHeader
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "value", zero: Some(Z::Str), walk: W::No }],
    // core/v1.HostAlias
    &[F { name: "ip", zero: Some(Z::Str), walk: W::No }],
    // core/v1.HostIP
    &[F { name: "ip", zero: Some(Z::Str), walk: W::No }],
    // core/v1.HostPathVolumeSource
    &[F { name: "path", zero: Some(Z::Str), walk: W::No }],
    // core/v1.ISCSIPersistentVolumeSource
    &[
        F { name: "targetPortal", zero: Some(Z::Str), walk: W::No },
        F { name: "iqn", zero: Some(Z::Str), walk: W::No },
        F { name: "lun", zero: Some(Z::Int), walk: W::No },
    ],
    // core/v1.ISCSIVolumeSource
    &[
        F { name: "targetPortal", zero: Some(Z::Str), walk: W::No },
        F { name: "iqn", zero: Some(Z::Str), walk: W::No },
        F { name: "lun", zero: Some(Z::Int), walk: W::No },
    ],
    // core/v1.KeyToPath
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }, F { name: "path", zero: Some(Z::Str), walk: W::No }],
    // core/v1.Lifecycle
    &[
        F { name: "postStart", zero: None, walk: W::Struct(188) },
        F { name: "preStop", zero: None, walk: W::Struct(188) },
    ],
    // core/v1.LifecycleHandler
    &[
        F { name: "httpGet", zero: None, walk: W::Struct(179) },
        F { name: "tcpSocket", zero: None, walk: W::Struct(284) },
        F { name: "sleep", zero: None, walk: W::Struct(282) },
    ],
    // core/v1.LimitRange
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(191)), walk: W::Struct(191) },
    ],
    // core/v1.LimitRangeItem
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "max", zero: None, walk: W::ResourceList },
        F { name: "min", zero: None, walk: W::ResourceList },
        F { name: "default", zero: None, walk: W::ResourceList },
        F { name: "defaultRequest", zero: None, walk: W::ResourceList },
        F { name: "maxLimitRequestRatio", zero: None, walk: W::ResourceList },
    ],
    // core/v1.LimitRangeSpec
    &[F { name: "limits", zero: Some(Z::Null), walk: W::Each(190) }],
    // core/v1.LinuxContainerUser
    &[F { name: "uid", zero: Some(Z::Int), walk: W::No }, F { name: "gid", zero: Some(Z::Int), walk: W::No }],
    // core/v1.LoadBalancerIngress
    &[F { name: "ports", zero: None, walk: W::Each(244) }],
    // core/v1.LoadBalancerStatus
    &[F { name: "ingress", zero: None, walk: W::Each(193) }],
    // core/v1.LocalVolumeSource
    &[F { name: "path", zero: Some(Z::Str), walk: W::No }],
    // core/v1.ModifyVolumeStatus
    &[F { name: "status", zero: Some(Z::Str), walk: W::No }],
    // core/v1.NFSVolumeSource
    &[F { name: "server", zero: Some(Z::Str), walk: W::No }, F { name: "path", zero: Some(Z::Str), walk: W::No }],
    // core/v1.Namespace
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "status", zero: Some(Z::Struct(200)), walk: W::Struct(200) },
    ],
    // core/v1.NamespaceCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.NamespaceStatus
    &[F { name: "conditions", zero: None, walk: W::Each(199) }],
    // core/v1.Node
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(212)), walk: W::Struct(212) },
        F { name: "status", zero: Some(Z::Struct(213)), walk: W::Struct(213) },
    ],
    // core/v1.NodeAddress
    &[F { name: "type", zero: Some(Z::Str), walk: W::No }, F { name: "address", zero: Some(Z::Str), walk: W::No }],
    // core/v1.NodeAffinity
    &[
        F { name: "requiredDuringSchedulingIgnoredDuringExecution", zero: None, walk: W::Struct(209) },
        F { name: "preferredDuringSchedulingIgnoredDuringExecution", zero: None, walk: W::Each(246) },
    ],
    // core/v1.NodeCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastHeartbeatTime", zero: Some(Z::Null), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.NodeConfigSource
    &[F { name: "configMap", zero: None, walk: W::Struct(143) }],
    // core/v1.NodeConfigStatus
    &[
        F { name: "assigned", zero: None, walk: W::Struct(205) },
        F { name: "active", zero: None, walk: W::Struct(205) },
        F { name: "lastKnownGood", zero: None, walk: W::Struct(205) },
    ],
    // core/v1.NodeDaemonEndpoints
    &[F { name: "kubeletEndpoint", zero: Some(Z::Struct(156)), walk: W::Struct(156) }],
    // core/v1.NodeRuntimeHandler
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // core/v1.NodeSelector
    &[F { name: "nodeSelectorTerms", zero: Some(Z::Null), walk: W::Each(211) }],
    // core/v1.NodeSelectorRequirement
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }, F { name: "operator", zero: Some(Z::Str), walk: W::No }],
    // core/v1.NodeSelectorTerm
    &[
        F { name: "matchExpressions", zero: None, walk: W::Each(210) },
        F { name: "matchFields", zero: None, walk: W::Each(210) },
    ],
    // core/v1.NodeSpec
    &[
        F { name: "taints", zero: None, walk: W::Each(285) },
        F { name: "configSource", zero: None, walk: W::Struct(205) },
    ],
    // core/v1.NodeStatus
    &[
        F { name: "capacity", zero: None, walk: W::ResourceList },
        F { name: "allocatable", zero: None, walk: W::ResourceList },
        F { name: "conditions", zero: None, walk: W::Each(204) },
        F { name: "addresses", zero: None, walk: W::Each(202) },
        F { name: "daemonEndpoints", zero: Some(Z::Struct(207)), walk: W::Struct(207) },
        F { name: "nodeInfo", zero: Some(Z::Struct(214)), walk: W::Struct(214) },
        F { name: "images", zero: None, walk: W::Each(148) },
        F { name: "volumesAttached", zero: None, walk: W::Each(127) },
        F { name: "config", zero: None, walk: W::Struct(206) },
        F { name: "runtimeHandlers", zero: None, walk: W::Each(208) },
    ],
    // core/v1.NodeSystemInfo
    &[
        F { name: "machineID", zero: Some(Z::Str), walk: W::No },
        F { name: "systemUUID", zero: Some(Z::Str), walk: W::No },
        F { name: "bootID", zero: Some(Z::Str), walk: W::No },
        F { name: "kernelVersion", zero: Some(Z::Str), walk: W::No },
        F { name: "osImage", zero: Some(Z::Str), walk: W::No },
        F { name: "containerRuntimeVersion", zero: Some(Z::Str), walk: W::No },
        F { name: "kubeletVersion", zero: Some(Z::Str), walk: W::No },
        F { name: "kubeProxyVersion", zero: Some(Z::Str), walk: W::No },
        F { name: "operatingSystem", zero: Some(Z::Str), walk: W::No },
        F { name: "architecture", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.ObjectFieldSelector
    &[F { name: "fieldPath", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PersistentVolume
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(223)), walk: W::Struct(223) },
        F { name: "status", zero: Some(Z::EmptyStruct), walk: W::No },
    ],
    // core/v1.PersistentVolumeClaim
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(219)), walk: W::Struct(219) },
        F { name: "status", zero: Some(Z::Struct(220)), walk: W::Struct(220) },
    ],
    // core/v1.PersistentVolumeClaimCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastProbeTime", zero: Some(Z::Null), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.PersistentVolumeClaimSpec
    &[
        F { name: "selector", zero: None, walk: W::Struct(330) },
        F { name: "resources", zero: Some(Z::Struct(297)), walk: W::Struct(297) },
        F { name: "dataSource", zero: None, walk: W::Struct(289) },
        F { name: "dataSourceRef", zero: None, walk: W::Struct(290) },
    ],
    // core/v1.PersistentVolumeClaimStatus
    &[
        F { name: "capacity", zero: None, walk: W::ResourceList },
        F { name: "conditions", zero: None, walk: W::Each(218) },
        F { name: "allocatedResources", zero: None, walk: W::ResourceList },
        F { name: "modifyVolumeStatus", zero: None, walk: W::Struct(196) },
    ],
    // core/v1.PersistentVolumeClaimTemplate
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(219)), walk: W::Struct(219) },
    ],
    // core/v1.PersistentVolumeClaimVolumeSource
    &[F { name: "claimName", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PersistentVolumeSpec
    &[
        F { name: "capacity", zero: None, walk: W::ResourceList },
        F { name: "gcePersistentDisk", zero: None, walk: W::Struct(174) },
        F { name: "awsElasticBlockStore", zero: None, walk: W::Struct(124) },
        F { name: "hostPath", zero: None, walk: W::Struct(183) },
        F { name: "glusterfs", zero: None, walk: W::Struct(177) },
        F { name: "nfs", zero: None, walk: W::Struct(197) },
        F { name: "rbd", zero: None, walk: W::Struct(250) },
        F { name: "iscsi", zero: None, walk: W::Struct(184) },
        F { name: "cinder", zero: None, walk: W::Struct(136) },
        F { name: "cephfs", zero: None, walk: W::Struct(134) },
        F { name: "flexVolume", zero: None, walk: W::Struct(172) },
        F { name: "azureFile", zero: None, walk: W::Struct(129) },
        F { name: "vsphereVolume", zero: None, walk: W::Struct(298) },
        F { name: "quobyte", zero: None, walk: W::Struct(249) },
        F { name: "azureDisk", zero: None, walk: W::Struct(128) },
        F { name: "photonPersistentDisk", zero: None, walk: W::Struct(224) },
        F { name: "portworxVolume", zero: None, walk: W::Struct(245) },
        F { name: "scaleIO", zero: None, walk: W::Struct(265) },
        F { name: "local", zero: None, walk: W::Struct(195) },
        F { name: "csi", zero: None, walk: W::Struct(132) },
        F { name: "nodeAffinity", zero: None, walk: W::Struct(295) },
    ],
    // core/v1.PhotonPersistentDiskVolumeSource
    &[F { name: "pdID", zero: Some(Z::Str), walk: W::No }],
    // core/v1.Pod
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(239)), walk: W::Struct(239) },
        F { name: "status", zero: Some(Z::Struct(240)), walk: W::Struct(240) },
    ],
    // core/v1.PodAffinity
    &[
        F { name: "requiredDuringSchedulingIgnoredDuringExecution", zero: None, walk: W::Each(227) },
        F { name: "preferredDuringSchedulingIgnoredDuringExecution", zero: None, walk: W::Each(299) },
    ],
    // core/v1.PodAffinityTerm
    &[
        F { name: "labelSelector", zero: None, walk: W::Struct(330) },
        F { name: "topologyKey", zero: Some(Z::Str), walk: W::No },
        F { name: "namespaceSelector", zero: None, walk: W::Struct(330) },
    ],
    // core/v1.PodAntiAffinity
    &[
        F { name: "requiredDuringSchedulingIgnoredDuringExecution", zero: None, walk: W::Each(227) },
        F { name: "preferredDuringSchedulingIgnoredDuringExecution", zero: None, walk: W::Each(299) },
    ],
    // core/v1.PodCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastProbeTime", zero: Some(Z::Null), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.PodExecOptions
    &[F { name: "command", zero: Some(Z::Null), walk: W::No }],
    // core/v1.PodExtendedResourceClaimStatus
    &[
        F { name: "requestMappings", zero: Some(Z::Null), walk: W::Each(147) },
        F { name: "resourceClaimName", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.PodIP
    &[F { name: "ip", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PodOS
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PodReadinessGate
    &[F { name: "conditionType", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PodResourceClaim
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PodResourceClaimStatus
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PodSchedulingGate
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PodSecurityContext
    &[
        F { name: "sysctls", zero: None, walk: W::Each(283) },
        F { name: "seccompProfile", zero: None, walk: W::Struct(269) },
        F { name: "appArmorProfile", zero: None, walk: W::Struct(126) },
    ],
    // core/v1.PodSpec
    &[
        F { name: "volumes", zero: None, walk: W::Each(291) },
        F { name: "initContainers", zero: None, walk: W::Each(146) },
        F { name: "containers", zero: Some(Z::Null), walk: W::Each(146) },
        F { name: "ephemeralContainers", zero: None, walk: W::Each(167) },
        F { name: "securityContext", zero: None, walk: W::Struct(238) },
        F { name: "affinity", zero: None, walk: W::Struct(125) },
        F { name: "hostAliases", zero: None, walk: W::Each(181) },
        F { name: "readinessGates", zero: None, walk: W::Each(234) },
        F { name: "overhead", zero: None, walk: W::ResourceList },
        F { name: "topologySpreadConstraints", zero: None, walk: W::Each(288) },
        F { name: "os", zero: None, walk: W::Struct(233) },
        F { name: "schedulingGates", zero: None, walk: W::Each(237) },
        F { name: "resourceClaims", zero: None, walk: W::Each(235) },
        F { name: "resources", zero: None, walk: W::Struct(263) },
        F { name: "workloadRef", zero: None, walk: W::Struct(300) },
    ],
    // core/v1.PodStatus
    &[
        F { name: "conditions", zero: None, walk: W::Each(229) },
        F { name: "hostIPs", zero: None, walk: W::Each(182) },
        F { name: "podIPs", zero: None, walk: W::Each(232) },
        F { name: "initContainerStatuses", zero: None, walk: W::Each(154) },
        F { name: "containerStatuses", zero: None, walk: W::Each(154) },
        F { name: "ephemeralContainerStatuses", zero: None, walk: W::Each(154) },
        F { name: "resourceClaimStatuses", zero: None, walk: W::Each(236) },
        F { name: "extendedResourceClaimStatus", zero: None, walk: W::Struct(231) },
        F { name: "allocatedResources", zero: None, walk: W::ResourceList },
        F { name: "resources", zero: None, walk: W::Struct(263) },
    ],
    // core/v1.PodStatusResult
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "status", zero: Some(Z::Struct(240)), walk: W::Struct(240) },
    ],
    // core/v1.PodTemplate
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "template", zero: Some(Z::Struct(243)), walk: W::Struct(243) },
    ],
    // core/v1.PodTemplateSpec
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(239)), walk: W::Struct(239) },
    ],
    // core/v1.PortStatus
    &[F { name: "port", zero: Some(Z::Int), walk: W::No }, F { name: "protocol", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PortworxVolumeSource
    &[F { name: "volumeID", zero: Some(Z::Str), walk: W::No }],
    // core/v1.PreferredSchedulingTerm
    &[
        F { name: "weight", zero: Some(Z::Int), walk: W::No },
        F { name: "preference", zero: Some(Z::Struct(211)), walk: W::Struct(211) },
    ],
    // core/v1.Probe
    &[
        F { name: "httpGet", zero: None, walk: W::Struct(179) },
        F { name: "tcpSocket", zero: None, walk: W::Struct(284) },
        F { name: "grpc", zero: None, walk: W::Struct(175) },
    ],
    // core/v1.ProjectedVolumeSource
    &[F { name: "sources", zero: Some(Z::Null), walk: W::Each(296) }],
    // core/v1.QuobyteVolumeSource
    &[F { name: "registry", zero: Some(Z::Str), walk: W::No }, F { name: "volume", zero: Some(Z::Str), walk: W::No }],
    // core/v1.RBDPersistentVolumeSource
    &[F { name: "monitors", zero: Some(Z::Null), walk: W::No }, F { name: "image", zero: Some(Z::Str), walk: W::No }],
    // core/v1.RBDVolumeSource
    &[F { name: "monitors", zero: Some(Z::Null), walk: W::No }, F { name: "image", zero: Some(Z::Str), walk: W::No }],
    // core/v1.RangeAllocation
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "range", zero: Some(Z::Str), walk: W::No },
        F { name: "data", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.ReplicationController
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(255)), walk: W::Struct(255) },
        F { name: "status", zero: Some(Z::Struct(256)), walk: W::Struct(256) },
    ],
    // core/v1.ReplicationControllerCondition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.ReplicationControllerSpec
    &[F { name: "template", zero: None, walk: W::Struct(243) }],
    // core/v1.ReplicationControllerStatus
    &[
        F { name: "replicas", zero: Some(Z::Int), walk: W::No },
        F { name: "conditions", zero: None, walk: W::Each(254) },
    ],
    // core/v1.ResourceClaim
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // core/v1.ResourceFieldSelector
    &[
        F { name: "resource", zero: Some(Z::Str), walk: W::No },
        F { name: "divisor", zero: Some(Z::Quantity), walk: W::Quantity },
    ],
    // core/v1.ResourceHealth
    &[F { name: "resourceID", zero: Some(Z::Str), walk: W::No }],
    // core/v1.ResourceQuota
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(261)), walk: W::Struct(261) },
        F { name: "status", zero: Some(Z::Struct(262)), walk: W::Struct(262) },
    ],
    // core/v1.ResourceQuotaSpec
    &[
        F { name: "hard", zero: None, walk: W::ResourceList },
        F { name: "scopeSelector", zero: None, walk: W::Struct(267) },
    ],
    // core/v1.ResourceQuotaStatus
    &[F { name: "hard", zero: None, walk: W::ResourceList }, F { name: "used", zero: None, walk: W::ResourceList }],
    // core/v1.ResourceRequirements
    &[
        F { name: "limits", zero: None, walk: W::ResourceList },
        F { name: "requests", zero: None, walk: W::ResourceList },
        F { name: "claims", zero: None, walk: W::Each(257) },
    ],
    // core/v1.ResourceStatus
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "resources", zero: None, walk: W::Each(259) }],
    // core/v1.ScaleIOPersistentVolumeSource
    &[
        F { name: "gateway", zero: Some(Z::Str), walk: W::No },
        F { name: "system", zero: Some(Z::Str), walk: W::No },
        F { name: "secretRef", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.ScaleIOVolumeSource
    &[
        F { name: "gateway", zero: Some(Z::Str), walk: W::No },
        F { name: "system", zero: Some(Z::Str), walk: W::No },
        F { name: "secretRef", zero: Some(Z::Null), walk: W::No },
    ],
    // core/v1.ScopeSelector
    &[F { name: "matchExpressions", zero: None, walk: W::Each(268) }],
    // core/v1.ScopedResourceSelectorRequirement
    &[
        F { name: "scopeName", zero: Some(Z::Str), walk: W::No },
        F { name: "operator", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.SeccompProfile
    &[F { name: "type", zero: Some(Z::Str), walk: W::No }],
    // core/v1.Secret
    &[F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) }],
    // core/v1.SecretKeySelector
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }],
    // core/v1.SecretProjection
    &[F { name: "items", zero: None, walk: W::Each(186) }],
    // core/v1.SecretVolumeSource
    &[F { name: "items", zero: None, walk: W::Each(186) }],
    // core/v1.SecurityContext
    &[
        F { name: "seccompProfile", zero: None, walk: W::Struct(269) },
        F { name: "appArmorProfile", zero: None, walk: W::Struct(126) },
    ],
    // core/v1.SerializedReference
    &[F { name: "reference", zero: Some(Z::EmptyStruct), walk: W::No }],
    // core/v1.Service
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(280)), walk: W::Struct(280) },
        F { name: "status", zero: Some(Z::Struct(281)), walk: W::Struct(281) },
    ],
    // core/v1.ServiceAccount
    &[F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) }],
    // core/v1.ServiceAccountTokenProjection
    &[F { name: "path", zero: Some(Z::Str), walk: W::No }],
    // core/v1.ServicePort
    &[
        F { name: "port", zero: Some(Z::Int), walk: W::No },
        F { name: "targetPort", zero: Some(Z::IntOrString), walk: W::No },
    ],
    // core/v1.ServiceSpec
    &[F { name: "ports", zero: None, walk: W::Each(279) }],
    // core/v1.ServiceStatus
    &[
        F { name: "loadBalancer", zero: Some(Z::Struct(194)), walk: W::Struct(194) },
        F { name: "conditions", zero: None, walk: W::Each(328) },
    ],
    // core/v1.SleepAction
    &[F { name: "seconds", zero: Some(Z::Int), walk: W::No }],
    // core/v1.Sysctl
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "value", zero: Some(Z::Str), walk: W::No }],
    // core/v1.TCPSocketAction
    &[F { name: "port", zero: Some(Z::IntOrString), walk: W::No }],
    // core/v1.Taint
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }, F { name: "effect", zero: Some(Z::Str), walk: W::No }],
    // core/v1.TopologySelectorLabelRequirement
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }, F { name: "values", zero: Some(Z::Null), walk: W::No }],
    // core/v1.TopologySelectorTerm
    &[F { name: "matchLabelExpressions", zero: None, walk: W::Each(286) }],
    // core/v1.TopologySpreadConstraint
    &[
        F { name: "maxSkew", zero: Some(Z::Int), walk: W::No },
        F { name: "topologyKey", zero: Some(Z::Str), walk: W::No },
        F { name: "whenUnsatisfiable", zero: Some(Z::Str), walk: W::No },
        F { name: "labelSelector", zero: None, walk: W::Struct(330) },
    ],
    // core/v1.TypedLocalObjectReference
    &[
        F { name: "apiGroup", zero: Some(Z::Null), walk: W::No },
        F { name: "kind", zero: Some(Z::Str), walk: W::No },
        F { name: "name", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.TypedObjectReference
    &[
        F { name: "apiGroup", zero: Some(Z::Null), walk: W::No },
        F { name: "kind", zero: Some(Z::Str), walk: W::No },
        F { name: "name", zero: Some(Z::Str), walk: W::No },
    ],
    // core/v1.Volume
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "hostPath", zero: None, walk: W::Struct(183) },
        F { name: "emptyDir", zero: None, walk: W::Struct(160) },
        F { name: "gcePersistentDisk", zero: None, walk: W::Struct(174) },
        F { name: "awsElasticBlockStore", zero: None, walk: W::Struct(124) },
        F { name: "gitRepo", zero: None, walk: W::Struct(176) },
        F { name: "secret", zero: None, walk: W::Struct(273) },
        F { name: "nfs", zero: None, walk: W::Struct(197) },
        F { name: "iscsi", zero: None, walk: W::Struct(185) },
        F { name: "glusterfs", zero: None, walk: W::Struct(178) },
        F { name: "persistentVolumeClaim", zero: None, walk: W::Struct(222) },
        F { name: "rbd", zero: None, walk: W::Struct(251) },
        F { name: "flexVolume", zero: None, walk: W::Struct(173) },
        F { name: "cinder", zero: None, walk: W::Struct(137) },
        F { name: "cephfs", zero: None, walk: W::Struct(135) },
        F { name: "downwardAPI", zero: None, walk: W::Struct(159) },
        F { name: "azureFile", zero: None, walk: W::Struct(130) },
        F { name: "configMap", zero: None, walk: W::Struct(145) },
        F { name: "vsphereVolume", zero: None, walk: W::Struct(298) },
        F { name: "quobyte", zero: None, walk: W::Struct(249) },
        F { name: "azureDisk", zero: None, walk: W::Struct(128) },
        F { name: "photonPersistentDisk", zero: None, walk: W::Struct(224) },
        F { name: "projected", zero: None, walk: W::Struct(248) },
        F { name: "portworxVolume", zero: None, walk: W::Struct(245) },
        F { name: "scaleIO", zero: None, walk: W::Struct(266) },
        F { name: "csi", zero: None, walk: W::Struct(133) },
        F { name: "ephemeral", zero: None, walk: W::Struct(168) },
    ],
    // core/v1.VolumeDevice
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "devicePath", zero: Some(Z::Str), walk: W::No }],
    // core/v1.VolumeMount
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "mountPath", zero: Some(Z::Str), walk: W::No }],
    // core/v1.VolumeMountStatus
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "mountPath", zero: Some(Z::Str), walk: W::No }],
    // core/v1.VolumeNodeAffinity
    &[F { name: "required", zero: None, walk: W::Struct(209) }],
    // core/v1.VolumeProjection
    &[
        F { name: "secret", zero: None, walk: W::Struct(272) },
        F { name: "downwardAPI", zero: None, walk: W::Struct(157) },
        F { name: "configMap", zero: None, walk: W::Struct(144) },
        F { name: "serviceAccountToken", zero: None, walk: W::Struct(278) },
        F { name: "clusterTrustBundle", zero: None, walk: W::Struct(138) },
    ],
    // core/v1.VolumeResourceRequirements
    &[
        F { name: "limits", zero: None, walk: W::ResourceList },
        F { name: "requests", zero: None, walk: W::ResourceList },
    ],
    // core/v1.VsphereVirtualDiskVolumeSource
    &[F { name: "volumePath", zero: Some(Z::Str), walk: W::No }],
    // core/v1.WeightedPodAffinityTerm
    &[
        F { name: "weight", zero: Some(Z::Int), walk: W::No },
        F { name: "podAffinityTerm", zero: Some(Z::Struct(227)), walk: W::Struct(227) },
    ],
    // core/v1.WorkloadReference
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "podGroup", zero: Some(Z::Str), walk: W::No }],
    // discovery/v1.Endpoint
    &[
        F { name: "addresses", zero: Some(Z::Null), walk: W::No },
        F { name: "conditions", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "hints", zero: None, walk: W::Struct(302) },
    ],
    // discovery/v1.EndpointHints
    &[F { name: "forZones", zero: None, walk: W::Each(305) }, F { name: "forNodes", zero: None, walk: W::Each(304) }],
    // discovery/v1.EndpointSlice
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "addressType", zero: Some(Z::Str), walk: W::No },
        F { name: "endpoints", zero: Some(Z::Null), walk: W::Each(301) },
        F { name: "ports", zero: Some(Z::Null), walk: W::No },
    ],
    // discovery/v1.ForNode
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // discovery/v1.ForZone
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // events/v1.Event
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "eventTime", zero: Some(Z::Null), walk: W::No },
        F { name: "series", zero: None, walk: W::Struct(307) },
        F { name: "regarding", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "deprecatedSource", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "deprecatedFirstTimestamp", zero: Some(Z::Null), walk: W::No },
        F { name: "deprecatedLastTimestamp", zero: Some(Z::Null), walk: W::No },
    ],
    // events/v1.EventSeries
    &[
        F { name: "count", zero: Some(Z::Int), walk: W::No },
        F { name: "lastObservedTime", zero: Some(Z::Null), walk: W::No },
    ],
    // flowcontrol/v1.FlowDistinguisherMethod
    &[F { name: "type", zero: Some(Z::Str), walk: W::No }],
    // flowcontrol/v1.FlowSchema
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(311)), walk: W::Struct(311) },
        F { name: "status", zero: Some(Z::Struct(312)), walk: W::Struct(312) },
    ],
    // flowcontrol/v1.FlowSchemaCondition
    &[F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No }],
    // flowcontrol/v1.FlowSchemaSpec
    &[
        F { name: "priorityLevelConfiguration", zero: Some(Z::Struct(320)), walk: W::Struct(320) },
        F { name: "matchingPrecedence", zero: Some(Z::Int), walk: W::No },
        F { name: "distinguisherMethod", zero: None, walk: W::Struct(308) },
        F { name: "rules", zero: None, walk: W::Each(317) },
    ],
    // flowcontrol/v1.FlowSchemaStatus
    &[F { name: "conditions", zero: None, walk: W::Each(310) }],
    // flowcontrol/v1.GroupSubject
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // flowcontrol/v1.LimitResponse
    &[F { name: "type", zero: Some(Z::Str), walk: W::No }, F { name: "queuing", zero: None, walk: W::Struct(323) }],
    // flowcontrol/v1.LimitedPriorityLevelConfiguration
    &[
        F { name: "nominalConcurrencyShares", zero: Some(Z::Null), walk: W::No },
        F { name: "limitResponse", zero: Some(Z::Struct(314)), walk: W::Struct(314) },
    ],
    // flowcontrol/v1.NonResourcePolicyRule
    &[
        F { name: "verbs", zero: Some(Z::Null), walk: W::No },
        F { name: "nonResourceURLs", zero: Some(Z::Null), walk: W::No },
    ],
    // flowcontrol/v1.PolicyRulesWithSubjects
    &[
        F { name: "subjects", zero: Some(Z::Null), walk: W::Each(326) },
        F { name: "resourceRules", zero: None, walk: W::Each(324) },
        F { name: "nonResourceRules", zero: None, walk: W::Each(316) },
    ],
    // flowcontrol/v1.PriorityLevelConfiguration
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(321)), walk: W::Struct(321) },
        F { name: "status", zero: Some(Z::Struct(322)), walk: W::Struct(322) },
    ],
    // flowcontrol/v1.PriorityLevelConfigurationCondition
    &[F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No }],
    // flowcontrol/v1.PriorityLevelConfigurationReference
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // flowcontrol/v1.PriorityLevelConfigurationSpec
    &[F { name: "type", zero: Some(Z::Str), walk: W::No }, F { name: "limited", zero: None, walk: W::Struct(315) }],
    // flowcontrol/v1.PriorityLevelConfigurationStatus
    &[F { name: "conditions", zero: None, walk: W::Each(319) }],
    // flowcontrol/v1.QueuingConfiguration
    &[
        F { name: "queues", zero: Some(Z::Int), walk: W::No },
        F { name: "handSize", zero: Some(Z::Int), walk: W::No },
        F { name: "queueLengthLimit", zero: Some(Z::Int), walk: W::No },
    ],
    // flowcontrol/v1.ResourcePolicyRule
    &[
        F { name: "verbs", zero: Some(Z::Null), walk: W::No },
        F { name: "apiGroups", zero: Some(Z::Null), walk: W::No },
        F { name: "resources", zero: Some(Z::Null), walk: W::No },
        F { name: "namespaces", zero: Some(Z::Null), walk: W::No },
    ],
    // flowcontrol/v1.ServiceAccountSubject
    &[F { name: "namespace", zero: Some(Z::Str), walk: W::No }, F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // flowcontrol/v1.Subject
    &[
        F { name: "kind", zero: Some(Z::Str), walk: W::No },
        F { name: "user", zero: None, walk: W::Struct(327) },
        F { name: "group", zero: None, walk: W::Struct(313) },
        F { name: "serviceAccount", zero: None, walk: W::Struct(325) },
    ],
    // flowcontrol/v1.UserSubject
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // meta/v1.Condition
    &[
        F { name: "type", zero: Some(Z::Str), walk: W::No },
        F { name: "status", zero: Some(Z::Str), walk: W::No },
        F { name: "lastTransitionTime", zero: Some(Z::Null), walk: W::No },
        F { name: "reason", zero: Some(Z::Str), walk: W::No },
        F { name: "message", zero: Some(Z::Str), walk: W::No },
    ],
    // meta/v1.FieldSelectorRequirement
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }, F { name: "operator", zero: Some(Z::Str), walk: W::No }],
    // meta/v1.LabelSelector
    &[F { name: "matchExpressions", zero: None, walk: W::Each(331) }],
    // meta/v1.LabelSelectorRequirement
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }, F { name: "operator", zero: Some(Z::Str), walk: W::No }],
    // meta/v1.ObjectMeta
    &[F { name: "ownerReferences", zero: None, walk: W::Each(333) }],
    // meta/v1.OwnerReference
    &[
        F { name: "apiVersion", zero: Some(Z::Str), walk: W::No },
        F { name: "kind", zero: Some(Z::Str), walk: W::No },
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "uid", zero: Some(Z::Str), walk: W::No },
    ],
    // meta/v1.Status
    &[F { name: "metadata", zero: Some(Z::EmptyStruct), walk: W::No }],
    // networking/v1.HTTPIngressPath
    &[
        F { name: "pathType", zero: Some(Z::Null), walk: W::No },
        F { name: "backend", zero: Some(Z::Struct(340)), walk: W::Struct(340) },
    ],
    // networking/v1.HTTPIngressRuleValue
    &[F { name: "paths", zero: Some(Z::Null), walk: W::Each(335) }],
    // networking/v1.IPAddress
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::EmptyStruct), walk: W::No },
    ],
    // networking/v1.IPBlock
    &[F { name: "cidr", zero: Some(Z::Str), walk: W::No }],
    // networking/v1.Ingress
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(349)), walk: W::Struct(349) },
        F { name: "status", zero: Some(Z::Struct(350)), walk: W::Struct(350) },
    ],
    // networking/v1.IngressBackend
    &[
        F { name: "service", zero: None, walk: W::Struct(348) },
        F { name: "resource", zero: None, walk: W::Struct(289) },
    ],
    // networking/v1.IngressClass
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(343)), walk: W::Struct(343) },
    ],
    // networking/v1.IngressClassParametersReference
    &[
        F { name: "kind", zero: Some(Z::Str), walk: W::No },
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "scope", zero: Some(Z::Null), walk: W::No },
    ],
    // networking/v1.IngressClassSpec
    &[F { name: "parameters", zero: None, walk: W::Struct(342) }],
    // networking/v1.IngressLoadBalancerIngress
    &[F { name: "ports", zero: None, walk: W::Each(346) }],
    // networking/v1.IngressLoadBalancerStatus
    &[F { name: "ingress", zero: None, walk: W::Each(344) }],
    // networking/v1.IngressPortStatus
    &[F { name: "port", zero: Some(Z::Int), walk: W::No }, F { name: "protocol", zero: Some(Z::Str), walk: W::No }],
    // networking/v1.IngressRule
    &[F { name: "http", zero: None, walk: W::Struct(336) }],
    // networking/v1.IngressServiceBackend
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "port", zero: Some(Z::EmptyStruct), walk: W::No }],
    // networking/v1.IngressSpec
    &[
        F { name: "defaultBackend", zero: None, walk: W::Struct(340) },
        F { name: "rules", zero: None, walk: W::Each(347) },
    ],
    // networking/v1.IngressStatus
    &[F { name: "loadBalancer", zero: Some(Z::Struct(345)), walk: W::Struct(345) }],
    // networking/v1.NetworkPolicy
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(355)), walk: W::Struct(355) },
    ],
    // networking/v1.NetworkPolicyEgressRule
    &[F { name: "to", zero: None, walk: W::Each(354) }],
    // networking/v1.NetworkPolicyIngressRule
    &[F { name: "from", zero: None, walk: W::Each(354) }],
    // networking/v1.NetworkPolicyPeer
    &[
        F { name: "podSelector", zero: None, walk: W::Struct(330) },
        F { name: "namespaceSelector", zero: None, walk: W::Struct(330) },
        F { name: "ipBlock", zero: None, walk: W::Struct(338) },
    ],
    // networking/v1.NetworkPolicySpec
    &[
        F { name: "podSelector", zero: Some(Z::Struct(330)), walk: W::Struct(330) },
        F { name: "ingress", zero: None, walk: W::Each(353) },
        F { name: "egress", zero: None, walk: W::Each(352) },
    ],
    // networking/v1.ServiceCIDR
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::EmptyStruct), walk: W::No },
        F { name: "status", zero: Some(Z::Struct(357)), walk: W::Struct(357) },
    ],
    // networking/v1.ServiceCIDRStatus
    &[F { name: "conditions", zero: None, walk: W::Each(328) }],
    // node/v1.Overhead
    &[F { name: "podFixed", zero: None, walk: W::ResourceList }],
    // node/v1.RuntimeClass
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "handler", zero: Some(Z::Str), walk: W::No },
        F { name: "overhead", zero: None, walk: W::Struct(358) },
    ],
    // policy/v1.Eviction
    &[F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) }],
    // policy/v1.PodDisruptionBudget
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(362)), walk: W::Struct(362) },
        F { name: "status", zero: Some(Z::Struct(363)), walk: W::Struct(363) },
    ],
    // policy/v1.PodDisruptionBudgetSpec
    &[F { name: "selector", zero: None, walk: W::Struct(330) }],
    // policy/v1.PodDisruptionBudgetStatus
    &[
        F { name: "disruptionsAllowed", zero: Some(Z::Int), walk: W::No },
        F { name: "currentHealthy", zero: Some(Z::Int), walk: W::No },
        F { name: "desiredHealthy", zero: Some(Z::Int), walk: W::No },
        F { name: "expectedPods", zero: Some(Z::Int), walk: W::No },
        F { name: "conditions", zero: None, walk: W::Each(328) },
    ],
    // rbac/v1.AggregationRule
    &[F { name: "clusterRoleSelectors", zero: None, walk: W::Each(330) }],
    // rbac/v1.ClusterRole
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "rules", zero: Some(Z::Null), walk: W::Each(367) },
        F { name: "aggregationRule", zero: None, walk: W::Struct(364) },
    ],
    // rbac/v1.ClusterRoleBinding
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "subjects", zero: None, walk: W::Each(371) },
        F { name: "roleRef", zero: Some(Z::Struct(370)), walk: W::Struct(370) },
    ],
    // rbac/v1.PolicyRule
    &[F { name: "verbs", zero: Some(Z::Null), walk: W::No }],
    // rbac/v1.Role
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "rules", zero: Some(Z::Null), walk: W::Each(367) },
    ],
    // rbac/v1.RoleBinding
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "subjects", zero: None, walk: W::Each(371) },
        F { name: "roleRef", zero: Some(Z::Struct(370)), walk: W::Struct(370) },
    ],
    // rbac/v1.RoleRef
    &[
        F { name: "apiGroup", zero: Some(Z::Str), walk: W::No },
        F { name: "kind", zero: Some(Z::Str), walk: W::No },
        F { name: "name", zero: Some(Z::Str), walk: W::No },
    ],
    // rbac/v1.Subject
    &[F { name: "kind", zero: Some(Z::Str), walk: W::No }, F { name: "name", zero: Some(Z::Str), walk: W::No }],
    // resource/v1.AllocatedDeviceStatus
    &[
        F { name: "driver", zero: Some(Z::Str), walk: W::No },
        F { name: "pool", zero: Some(Z::Str), walk: W::No },
        F { name: "device", zero: Some(Z::Str), walk: W::No },
        F { name: "conditions", zero: Some(Z::Null), walk: W::Each(328) },
    ],
    // resource/v1.AllocationResult
    &[
        F { name: "devices", zero: Some(Z::Struct(382)), walk: W::Struct(382) },
        F { name: "nodeSelector", zero: None, walk: W::Struct(209) },
    ],
    // resource/v1.CELDeviceSelector
    &[F { name: "expression", zero: Some(Z::Str), walk: W::No }],
    // resource/v1.CapacityRequestPolicy
    &[
        F { name: "default", zero: Some(Z::Null), walk: W::Quantity },
        F { name: "validValues", zero: None, walk: W::Quantities },
        F { name: "validRange", zero: None, walk: W::Struct(376) },
    ],
    // resource/v1.CapacityRequestPolicyRange
    &[
        F { name: "min", zero: None, walk: W::Quantity },
        F { name: "max", zero: None, walk: W::Quantity },
        F { name: "step", zero: None, walk: W::Quantity },
    ],
    // resource/v1.CapacityRequirements
    &[F { name: "requests", zero: None, walk: W::QuantityValues }],
    // resource/v1.Counter
    &[F { name: "value", zero: Some(Z::Quantity), walk: W::Quantity }],
    // resource/v1.CounterSet
    &[F { name: "name", zero: Some(Z::Str), walk: W::No }, F { name: "counters", zero: None, walk: W::Values(378) }],
    // resource/v1.Device
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "capacity", zero: None, walk: W::Values(383) },
        F { name: "consumesCounters", zero: None, walk: W::Each(389) },
        F { name: "nodeSelector", zero: None, walk: W::Struct(209) },
        F { name: "taints", zero: None, walk: W::Each(394) },
    ],
    // resource/v1.DeviceAllocationConfiguration
    &[F { name: "source", zero: Some(Z::Str), walk: W::No }, F { name: "opaque", zero: None, walk: W::Struct(396) }],
    // resource/v1.DeviceAllocationResult
    &[F { name: "results", zero: None, walk: W::Each(391) }, F { name: "config", zero: None, walk: W::Each(381) }],
    // resource/v1.DeviceCapacity
    &[
        F { name: "value", zero: Some(Z::Quantity), walk: W::Quantity },
        F { name: "requestPolicy", zero: None, walk: W::Struct(375) },
    ],
    // resource/v1.DeviceClaim
    &[
        F { name: "requests", zero: Some(Z::Null), walk: W::Each(390) },
        F { name: "config", zero: None, walk: W::Each(385) },
    ],
    // resource/v1.DeviceClaimConfiguration
    &[F { name: "opaque", zero: None, walk: W::Struct(396) }],
    // resource/v1.DeviceClass
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(388)), walk: W::Struct(388) },
    ],
    // resource/v1.DeviceClassConfiguration
    &[F { name: "opaque", zero: None, walk: W::Struct(396) }],
    // resource/v1.DeviceClassSpec
    &[F { name: "selectors", zero: None, walk: W::Each(392) }, F { name: "config", zero: None, walk: W::Each(387) }],
    // resource/v1.DeviceCounterConsumption
    &[
        F { name: "counterSet", zero: Some(Z::Str), walk: W::No },
        F { name: "counters", zero: None, walk: W::Values(378) },
    ],
    // resource/v1.DeviceRequest
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "exactly", zero: None, walk: W::Struct(395) },
        F { name: "firstAvailable", zero: None, walk: W::Each(393) },
    ],
    // resource/v1.DeviceRequestAllocationResult
    &[
        F { name: "request", zero: Some(Z::Str), walk: W::No },
        F { name: "driver", zero: Some(Z::Str), walk: W::No },
        F { name: "pool", zero: Some(Z::Str), walk: W::No },
        F { name: "device", zero: Some(Z::Str), walk: W::No },
        F { name: "consumedCapacity", zero: None, walk: W::QuantityValues },
    ],
    // resource/v1.DeviceSelector
    &[F { name: "cel", zero: None, walk: W::Struct(374) }],
    // resource/v1.DeviceSubRequest
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "deviceClassName", zero: Some(Z::Str), walk: W::No },
        F { name: "selectors", zero: None, walk: W::Each(392) },
        F { name: "capacity", zero: None, walk: W::Struct(377) },
    ],
    // resource/v1.DeviceTaint
    &[F { name: "key", zero: Some(Z::Str), walk: W::No }, F { name: "effect", zero: Some(Z::Str), walk: W::No }],
    // resource/v1.ExactDeviceRequest
    &[
        F { name: "deviceClassName", zero: Some(Z::Str), walk: W::No },
        F { name: "selectors", zero: None, walk: W::Each(392) },
        F { name: "capacity", zero: None, walk: W::Struct(377) },
    ],
    // resource/v1.OpaqueDeviceConfiguration
    &[
        F { name: "driver", zero: Some(Z::Str), walk: W::No },
        F { name: "parameters", zero: Some(Z::Null), walk: W::No },
    ],
    // resource/v1.ResourceClaim
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(399)), walk: W::Struct(399) },
        F { name: "status", zero: Some(Z::Struct(400)), walk: W::Struct(400) },
    ],
    // resource/v1.ResourceClaimConsumerReference
    &[
        F { name: "resource", zero: Some(Z::Str), walk: W::No },
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "uid", zero: Some(Z::Str), walk: W::No },
    ],
    // resource/v1.ResourceClaimSpec
    &[F { name: "devices", zero: Some(Z::Struct(384)), walk: W::Struct(384) }],
    // resource/v1.ResourceClaimStatus
    &[
        F { name: "allocation", zero: None, walk: W::Struct(373) },
        F { name: "reservedFor", zero: None, walk: W::Each(398) },
        F { name: "devices", zero: None, walk: W::Each(372) },
    ],
    // resource/v1.ResourceClaimTemplate
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(402)), walk: W::Struct(402) },
    ],
    // resource/v1.ResourceClaimTemplateSpec
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(399)), walk: W::Struct(399) },
    ],
    // resource/v1.ResourcePool
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "generation", zero: Some(Z::Int), walk: W::No },
        F { name: "resourceSliceCount", zero: Some(Z::Int), walk: W::No },
    ],
    // resource/v1.ResourceSlice
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(405)), walk: W::Struct(405) },
    ],
    // resource/v1.ResourceSliceSpec
    &[
        F { name: "driver", zero: Some(Z::Str), walk: W::No },
        F { name: "pool", zero: Some(Z::Struct(403)), walk: W::Struct(403) },
        F { name: "nodeSelector", zero: None, walk: W::Struct(209) },
        F { name: "devices", zero: None, walk: W::Each(380) },
        F { name: "sharedCounters", zero: None, walk: W::Each(379) },
    ],
    // scheduling/v1.PriorityClass
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "value", zero: Some(Z::Int), walk: W::No },
    ],
    // storage/v1.CSIDriver
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(408)), walk: W::Struct(408) },
    ],
    // storage/v1.CSIDriverSpec
    &[F { name: "tokenRequests", zero: None, walk: W::Each(414) }],
    // storage/v1.CSINode
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(411)), walk: W::Struct(411) },
    ],
    // storage/v1.CSINodeDriver
    &[
        F { name: "name", zero: Some(Z::Str), walk: W::No },
        F { name: "nodeID", zero: Some(Z::Str), walk: W::No },
        F { name: "topologyKeys", zero: Some(Z::Null), walk: W::No },
    ],
    // storage/v1.CSINodeSpec
    &[F { name: "drivers", zero: Some(Z::Null), walk: W::Each(410) }],
    // storage/v1.CSIStorageCapacity
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "nodeTopology", zero: None, walk: W::Struct(330) },
        F { name: "storageClassName", zero: Some(Z::Str), walk: W::No },
        F { name: "capacity", zero: None, walk: W::Quantity },
        F { name: "maximumVolumeSize", zero: None, walk: W::Quantity },
    ],
    // storage/v1.StorageClass
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "provisioner", zero: Some(Z::Str), walk: W::No },
        F { name: "allowedTopologies", zero: None, walk: W::Each(287) },
    ],
    // storage/v1.TokenRequest
    &[F { name: "audience", zero: Some(Z::Str), walk: W::No }],
    // storage/v1.VolumeAttachment
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "spec", zero: Some(Z::Struct(417)), walk: W::Struct(417) },
        F { name: "status", zero: Some(Z::Struct(418)), walk: W::Struct(418) },
    ],
    // storage/v1.VolumeAttachmentSource
    &[F { name: "inlineVolumeSpec", zero: None, walk: W::Struct(223) }],
    // storage/v1.VolumeAttachmentSpec
    &[
        F { name: "attacher", zero: Some(Z::Str), walk: W::No },
        F { name: "source", zero: Some(Z::Struct(416)), walk: W::Struct(416) },
        F { name: "nodeName", zero: Some(Z::Str), walk: W::No },
    ],
    // storage/v1.VolumeAttachmentStatus
    &[
        F { name: "attached", zero: Some(Z::Bool), walk: W::No },
        F { name: "attachError", zero: None, walk: W::Struct(420) },
        F { name: "detachError", zero: None, walk: W::Struct(420) },
    ],
    // storage/v1.VolumeAttributesClass
    &[
        F { name: "metadata", zero: Some(Z::Struct(332)), walk: W::Struct(332) },
        F { name: "driverName", zero: Some(Z::Str), walk: W::No },
    ],
    // storage/v1.VolumeError
    &[F { name: "time", zero: Some(Z::Null), walk: W::No }],
];

/// Kinds with a shape: (group, version, kind, index into `TYPES`).
pub(super) static ROOTS: &[(&str, &str, &str, u16)] = &[
    ("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", 9),
    ("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding", 10),
    ("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", 15),
    ("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", 5),
    ("apiextensions.k8s.io", "v1", "CustomResourceDefinition", 24),
    ("apiextensions.k8s.io", "v1", "ConversionReview", 21),
    ("apiregistration.k8s.io", "v1", "APIService", 36),
    ("apps", "v1", "StatefulSet", 53),
    ("apps", "v1", "Deployment", 45),
    ("apps", "v1", "DaemonSet", 41),
    ("apps", "v1", "ReplicaSet", 49),
    ("apps", "v1", "ControllerRevision", 40),
    ("authentication.k8s.io", "v1", "TokenReview", 63),
    ("authentication.k8s.io", "v1", "TokenRequest", 60),
    ("authentication.k8s.io", "v1", "SelfSubjectReview", 58),
    ("authorization.k8s.io", "v1", "SubjectAccessReview", 74),
    ("authorization.k8s.io", "v1", "SelfSubjectAccessReview", 71),
    ("authorization.k8s.io", "v1", "LocalSubjectAccessReview", 67),
    ("authorization.k8s.io", "v1", "SelfSubjectRulesReview", 73),
    ("autoscaling", "v1", "HorizontalPodAutoscaler", 79),
    ("autoscaling", "v1", "Scale", 82),
    ("autoscaling", "v2", "HorizontalPodAutoscaler", 91),
    ("batch", "v1", "Job", 109),
    ("batch", "v1", "CronJob", 107),
    ("certificates.k8s.io", "v1", "CertificateSigningRequest", 119),
    ("coordination.k8s.io", "v1", "Lease", 123),
    ("", "v1", "PersistentVolume", 216),
    ("", "v1", "PersistentVolumeClaim", 217),
    ("", "v1", "PodStatusResult", 241),
    ("", "v1", "Pod", 225),
    ("", "v1", "PodTemplate", 242),
    ("", "v1", "ReplicationController", 253),
    ("", "v1", "Service", 276),
    ("", "v1", "ServiceAccount", 277),
    ("", "v1", "Endpoints", 164),
    ("", "v1", "Node", 201),
    ("", "v1", "Namespace", 198),
    ("", "v1", "Binding", 131),
    ("", "v1", "PodExecOptions", 230),
    ("", "v1", "SerializedReference", 275),
    ("", "v1", "Event", 169),
    ("", "v1", "LimitRange", 189),
    ("", "v1", "ResourceQuota", 260),
    ("", "v1", "Secret", 270),
    ("", "v1", "ConfigMap", 141),
    ("", "v1", "ComponentStatus", 140),
    ("", "v1", "RangeAllocation", 252),
    ("discovery.k8s.io", "v1", "EndpointSlice", 303),
    ("events.k8s.io", "v1", "Event", 306),
    ("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", 309),
    ("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration", 318),
    ("networking.k8s.io", "v1", "NetworkPolicy", 351),
    ("networking.k8s.io", "v1", "Ingress", 339),
    ("networking.k8s.io", "v1", "IngressClass", 341),
    ("networking.k8s.io", "v1", "IPAddress", 337),
    ("networking.k8s.io", "v1", "ServiceCIDR", 356),
    ("node.k8s.io", "v1", "RuntimeClass", 359),
    ("policy", "v1", "PodDisruptionBudget", 361),
    ("policy", "v1", "Eviction", 360),
    ("rbac.authorization.k8s.io", "v1", "Role", 368),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding", 369),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole", 365),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", 366),
    ("resource.k8s.io", "v1", "ResourceSlice", 404),
    ("resource.k8s.io", "v1", "ResourceClaim", 397),
    ("resource.k8s.io", "v1", "DeviceClass", 386),
    ("resource.k8s.io", "v1", "ResourceClaimTemplate", 401),
    ("scheduling.k8s.io", "v1", "PriorityClass", 406),
    ("storage.k8s.io", "v1", "StorageClass", 413),
    ("storage.k8s.io", "v1", "VolumeAttachment", 415),
    ("storage.k8s.io", "v1", "CSIDriver", 407),
    ("storage.k8s.io", "v1", "CSINode", 409),
    ("storage.k8s.io", "v1", "CSIStorageCapacity", 412),
    ("storage.k8s.io", "v1", "VolumeAttributesClass", 419),
];
