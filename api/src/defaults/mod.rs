//! Defaulting: the values kube-apiserver 1.35 fills into a built-in object
//! when it decodes it, so that what kubox stores and returns matches a real
//! cluster field for field.
//!
//! [`apply`] runs, in kube-apiserver's order, the hand-written defaulters
//! (`SetDefaults_*`), the declared `+default` values, the few default-like
//! steps of the registry strategies and of version conversion that a client
//! can observe (the Namespace `kubernetes` finalizer, Service
//! `ipFamilyPolicy`, `serviceAccount` mirroring `serviceAccountName`,
//! Secret `stringData` folding into `data`, StatefulSet claim template
//! `apiVersion`/`kind`), and finally gives the object the shape Go's JSON
//! encoding gives it: always-written fields, canonical quantities.
//!
//! Like kube-apiserver, defaulting is meant to run on every decode: request
//! bodies and objects read back from storage. It is idempotent, so the
//! registry may run it again after its own create-time changes (Job
//! selectors, reset statuses). Steps that only a create performs run only
//! when the object has no `metadata.resourceVersion`.
//!
//! Feature gates take their 1.35 defaults; each group's module names the
//! gates it assumes.

mod admissionregistration;
mod apiextensions;
mod apiregistration;
mod apps;
mod autoscaling;
mod batch;
mod core;
mod discovery;
mod flowcontrol;
mod image;
mod networking;
mod pod;
mod quantity;
mod rbac;
mod resource;
mod scheduling;
mod service;
mod shape;
mod shape_table;
mod storage;
mod value;

#[cfg(test)]
mod tests;

/// Applies kube-apiserver's defaults for `kind` of `group`/`version` ("" group for core) to `object` in place.
/// Unknown kinds are left alone.
pub fn apply(group: &str, version: &str, kind: &str, object: &mut serde_json::Value) {
    let Some(object) = object.as_object_mut() else { return };
    match (group, version, kind) {
        ("", "v1", "Pod") => pod::pod(object),
        ("", "v1", "PodTemplate") => core::pod_template(object),
        ("", "v1", "ReplicationController") => core::replication_controller(object),
        ("", "v1", "Service") => service::service(object),
        ("", "v1", "Secret") => core::secret(object),
        ("", "v1", "PersistentVolume") => core::persistent_volume(object),
        ("", "v1", "PersistentVolumeClaim") => core::persistent_volume_claim(object),
        ("", "v1", "Namespace") => core::namespace(object),
        ("", "v1", "Node") => core::node(object),
        ("", "v1", "Endpoints") => core::endpoints(object),
        ("", "v1", "LimitRange") => core::limit_range(object),
        ("apps", "v1", "Deployment") => apps::deployment(object),
        ("apps", "v1", "ReplicaSet") => apps::replica_set(object),
        ("apps", "v1", "StatefulSet") => apps::stateful_set(object),
        ("apps", "v1", "DaemonSet") => apps::daemon_set(object),
        ("batch", "v1", "Job") => batch::job(object),
        ("batch", "v1", "CronJob") => batch::cron_job(object),
        ("autoscaling", "v1", "HorizontalPodAutoscaler") => autoscaling::horizontal_pod_autoscaler_v1(object),
        ("autoscaling", "v2", "HorizontalPodAutoscaler") => autoscaling::horizontal_pod_autoscaler_v2(object),
        ("networking.k8s.io", "v1", "NetworkPolicy") => networking::network_policy(object),
        ("networking.k8s.io", "v1", "IngressClass") => networking::ingress_class(object),
        ("rbac.authorization.k8s.io", "v1", "RoleBinding" | "ClusterRoleBinding") => rbac::binding(object),
        ("storage.k8s.io", "v1", "StorageClass") => storage::storage_class(object),
        ("storage.k8s.io", "v1", "CSIDriver") => storage::csi_driver(object),
        ("storage.k8s.io", "v1", "VolumeAttachment") => storage::volume_attachment(object),
        ("scheduling.k8s.io", "v1", "PriorityClass") => scheduling::priority_class(object),
        ("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration") => {
            admissionregistration::webhook_configuration(object, false);
        }
        ("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration") => {
            admissionregistration::webhook_configuration(object, true);
        }
        ("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy") => {
            admissionregistration::validating_admission_policy(object);
        }
        ("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding") => {
            admissionregistration::validating_admission_policy_binding(object);
        }
        ("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema") => flowcontrol::flow_schema(object),
        ("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration") => {
            flowcontrol::priority_level_configuration(object);
        }
        ("discovery.k8s.io", "v1", "EndpointSlice") => discovery::endpoint_slice(object),
        ("resource.k8s.io", "v1", "ResourceClaim") => resource::resource_claim(object),
        ("resource.k8s.io", "v1", "ResourceClaimTemplate") => resource::resource_claim_template(object),
        ("apiextensions.k8s.io", "v1", "CustomResourceDefinition") => {
            apiextensions::custom_resource_definition(object);
        }
        ("apiregistration.k8s.io", "v1", "APIService") => apiregistration::api_service(object),
        // ConfigMap, ServiceAccount, ResourceQuota, Event, ControllerRevision,
        // PodDisruptionBudget, Ingress, Lease, RuntimeClass, CSR and the rest
        // have no defaulters; they still get their Go shape below.
        _ => {}
    }
    shape::apply(group, version, kind, object);
}
