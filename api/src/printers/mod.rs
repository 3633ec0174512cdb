//! Server-side Table printing: the columns and cells kube-apiserver returns when a client
//! asks for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (what `kubectl get` shows).
//!
//! Like kube-apiserver, the server always prints the wide form: every column, including the
//! priority-1 ones that kubectl only shows with `-o wide`, and the matching cells. Objects
//! are read in their versioned JSON form; where kube-apiserver prints its internal types,
//! the same strings are computed from the JSON fields those types are converted from.
//! Resources without a dedicated printer get the default table (Name, Created At).

mod admission;
mod apps;
mod cluster;
mod core_group;
mod docs;
mod duration;
mod json;
mod labels;
mod networking;
mod quantity;
mod storage;
mod timestamp;

use serde_json::Value;

/// One column of a Table (metav1.TableColumnDefinition).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    /// OpenAPI type: "string", "integer", "number", "boolean", "date".
    pub type_: &'static str,
    /// "name" for the name column, else "" (or upstream's format).
    pub format: &'static str,
    pub description: &'static str,
    /// 0 for default columns, 1 for `-o wide` ones.
    pub priority: i32,
}

impl Column {
    /// A default (priority 0) column without a format.
    const fn new(name: &'static str, type_: &'static str, description: &'static str) -> Self {
        Column { name, type_, format: "", description, priority: 0 }
    }

    /// A column kubectl shows only with `-o wide`.
    const fn wide(name: &'static str, type_: &'static str, description: &'static str) -> Self {
        Column { name, type_, format: "", description, priority: 1 }
    }

    /// The `Name` column (format "name") most printers start with.
    const fn name() -> Self {
        Column { name: "Name", type_: "string", format: "name", description: docs::META_NAME, priority: 0 }
    }

    /// The `Age` column.
    const fn age() -> Self {
        Column::new("Age", "string", docs::META_CREATION)
    }
}

/// The description of the Name column.
pub const NAME_DESCRIPTION: &str = docs::META_NAME;

/// translateTimestampSince of an RFC 3339 text at `now` (Unix seconds):
/// a custom resource's `date` cells.
pub fn timestamp_since(text: &str, now: i64) -> String {
    timestamp::since(timestamp::parse_time(text), timestamp::Instant::from_unix_seconds(now))
}

/// The printer kube-apiserver's table convertor uses for one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Printer {
    Pod,
    PodTemplate,
    PodDisruptionBudget,
    ReplicationController,
    ReplicaSet,
    DaemonSet,
    Job,
    CronJob,
    Service,
    Ingress,
    IngressClass,
    StatefulSet,
    Endpoints,
    Node,
    Event,
    Namespace,
    Secret,
    ServiceAccount,
    PersistentVolume,
    PersistentVolumeClaim,
    ComponentStatus,
    Deployment,
    HorizontalPodAutoscaler,
    ConfigMap,
    NetworkPolicy,
    RoleBinding,
    ClusterRoleBinding,
    CertificateSigningRequest,
    ClusterTrustBundle,
    PodCertificateRequest,
    Lease,
    LeaseCandidate,
    StorageClass,
    VolumeAttributesClass,
    ControllerRevision,
    ResourceQuota,
    PriorityClass,
    RuntimeClass,
    VolumeAttachment,
    EndpointSlice,
    CsiNode,
    CsiDriver,
    CsiStorageCapacity,
    MutatingWebhookConfiguration,
    ValidatingWebhookConfiguration,
    ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
    MutatingAdmissionPolicy,
    MutatingAdmissionPolicyBinding,
    FlowSchema,
    PriorityLevelConfiguration,
    StorageVersion,
    Scale,
    DeviceClass,
    ResourceClaim,
    ResourceClaimTemplate,
    ResourceSlice,
    DeviceTaintRule,
    ServiceCidr,
    IpAddress,
    StorageVersionMigration,
    ApiService,
    Default,
}

/// Picks the printer for `resource` (plural, optionally `plural/subresource`) in `group`.
fn printer_for(group: &str, resource: &str) -> Printer {
    let (resource, subresource) = match resource.split_once('/') {
        Some((parent, sub)) => (parent, sub),
        None => (resource, ""),
    };
    // The scale subresources print the autoscaling/v1 Scale they return; other
    // subresources (status, ephemeralcontainers, ...) return the parent object.
    if subresource == "scale" {
        return Printer::Scale;
    }
    use Printer as P;
    match (group, resource) {
        ("", "pods") => P::Pod,
        ("", "podtemplates") => P::PodTemplate,
        ("", "replicationcontrollers") => P::ReplicationController,
        ("", "services") => P::Service,
        ("", "endpoints") => P::Endpoints,
        ("", "nodes") => P::Node,
        ("", "events") | ("events.k8s.io", "events") => P::Event,
        ("", "namespaces") => P::Namespace,
        ("", "secrets") => P::Secret,
        ("", "serviceaccounts") => P::ServiceAccount,
        ("", "persistentvolumes") => P::PersistentVolume,
        ("", "persistentvolumeclaims") => P::PersistentVolumeClaim,
        ("", "componentstatuses") => P::ComponentStatus,
        ("", "configmaps") => P::ConfigMap,
        ("", "resourcequotas") => P::ResourceQuota,
        ("apps", "replicasets") => P::ReplicaSet,
        ("apps", "daemonsets") => P::DaemonSet,
        ("apps", "statefulsets") => P::StatefulSet,
        ("apps", "deployments") => P::Deployment,
        ("apps", "controllerrevisions") => P::ControllerRevision,
        ("batch", "jobs") => P::Job,
        ("batch", "cronjobs") => P::CronJob,
        ("autoscaling", "horizontalpodautoscalers") => P::HorizontalPodAutoscaler,
        ("policy", "poddisruptionbudgets") => P::PodDisruptionBudget,
        ("networking.k8s.io", "ingresses") => P::Ingress,
        ("networking.k8s.io", "ingressclasses") => P::IngressClass,
        ("networking.k8s.io", "networkpolicies") => P::NetworkPolicy,
        ("networking.k8s.io", "servicecidrs") => P::ServiceCidr,
        ("networking.k8s.io", "ipaddresses") => P::IpAddress,
        ("discovery.k8s.io", "endpointslices") => P::EndpointSlice,
        ("rbac.authorization.k8s.io", "rolebindings") => P::RoleBinding,
        ("rbac.authorization.k8s.io", "clusterrolebindings") => P::ClusterRoleBinding,
        ("certificates.k8s.io", "certificatesigningrequests") => P::CertificateSigningRequest,
        ("certificates.k8s.io", "clustertrustbundles") => P::ClusterTrustBundle,
        ("certificates.k8s.io", "podcertificaterequests") => P::PodCertificateRequest,
        ("coordination.k8s.io", "leases") => P::Lease,
        ("coordination.k8s.io", "leasecandidates") => P::LeaseCandidate,
        ("storage.k8s.io", "storageclasses") => P::StorageClass,
        ("storage.k8s.io", "volumeattributesclasses") => P::VolumeAttributesClass,
        ("storage.k8s.io", "volumeattachments") => P::VolumeAttachment,
        ("storage.k8s.io", "csinodes") => P::CsiNode,
        ("storage.k8s.io", "csidrivers") => P::CsiDriver,
        ("storage.k8s.io", "csistoragecapacities") => P::CsiStorageCapacity,
        ("admissionregistration.k8s.io", "mutatingwebhookconfigurations") => P::MutatingWebhookConfiguration,
        ("admissionregistration.k8s.io", "validatingwebhookconfigurations") => P::ValidatingWebhookConfiguration,
        ("admissionregistration.k8s.io", "validatingadmissionpolicies") => P::ValidatingAdmissionPolicy,
        ("admissionregistration.k8s.io", "validatingadmissionpolicybindings") => P::ValidatingAdmissionPolicyBinding,
        ("admissionregistration.k8s.io", "mutatingadmissionpolicies") => P::MutatingAdmissionPolicy,
        ("admissionregistration.k8s.io", "mutatingadmissionpolicybindings") => P::MutatingAdmissionPolicyBinding,
        ("scheduling.k8s.io", "priorityclasses") => P::PriorityClass,
        ("node.k8s.io", "runtimeclasses") => P::RuntimeClass,
        ("flowcontrol.apiserver.k8s.io", "flowschemas") => P::FlowSchema,
        ("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations") => P::PriorityLevelConfiguration,
        ("internal.apiserver.k8s.io", "storageversions") => P::StorageVersion,
        ("storagemigration.k8s.io", "storageversionmigrations") => P::StorageVersionMigration,
        ("resource.k8s.io", "deviceclasses") => P::DeviceClass,
        ("resource.k8s.io", "resourceclaims") => P::ResourceClaim,
        ("resource.k8s.io", "resourceclaimtemplates") => P::ResourceClaimTemplate,
        ("resource.k8s.io", "resourceslices") => P::ResourceSlice,
        ("resource.k8s.io", "devicetaintrules") => P::DeviceTaintRule,
        ("apiregistration.k8s.io", "apiservices") => P::ApiService,
        _ => P::Default,
    }
}

/// The columns kube-apiserver prints for `resource` (plural) in API group `group` ("" for core).
pub fn columns(group: &str, resource: &str) -> &'static [Column] {
    use Printer as P;
    match printer_for(group, resource) {
        P::Pod => core_group::POD_COLUMNS,
        P::PodTemplate => core_group::POD_TEMPLATE_COLUMNS,
        P::PodDisruptionBudget => apps::POD_DISRUPTION_BUDGET_COLUMNS,
        P::ReplicationController => apps::REPLICATION_CONTROLLER_COLUMNS,
        P::ReplicaSet => apps::REPLICA_SET_COLUMNS,
        P::DaemonSet => apps::DAEMON_SET_COLUMNS,
        P::Job => apps::JOB_COLUMNS,
        P::CronJob => apps::CRON_JOB_COLUMNS,
        P::Service => networking::SERVICE_COLUMNS,
        P::Ingress => networking::INGRESS_COLUMNS,
        P::IngressClass => networking::INGRESS_CLASS_COLUMNS,
        P::StatefulSet => apps::STATEFUL_SET_COLUMNS,
        P::Endpoints => networking::ENDPOINTS_COLUMNS,
        P::Node => core_group::NODE_COLUMNS,
        P::Event => core_group::EVENT_COLUMNS,
        P::Namespace => core_group::NAMESPACE_COLUMNS,
        P::Secret => core_group::SECRET_COLUMNS,
        P::ServiceAccount => core_group::SERVICE_ACCOUNT_COLUMNS,
        P::PersistentVolume => storage::PERSISTENT_VOLUME_COLUMNS,
        P::PersistentVolumeClaim => storage::PERSISTENT_VOLUME_CLAIM_COLUMNS,
        P::ComponentStatus => core_group::COMPONENT_STATUS_COLUMNS,
        P::Deployment => apps::DEPLOYMENT_COLUMNS,
        P::HorizontalPodAutoscaler => apps::HORIZONTAL_POD_AUTOSCALER_COLUMNS,
        P::ConfigMap => core_group::CONFIG_MAP_COLUMNS,
        P::NetworkPolicy => networking::NETWORK_POLICY_COLUMNS,
        P::RoleBinding => cluster::ROLE_BINDING_COLUMNS,
        P::ClusterRoleBinding => cluster::CLUSTER_ROLE_BINDING_COLUMNS,
        P::CertificateSigningRequest => cluster::CERTIFICATE_SIGNING_REQUEST_COLUMNS,
        P::ClusterTrustBundle => cluster::CLUSTER_TRUST_BUNDLE_COLUMNS,
        P::PodCertificateRequest => cluster::POD_CERTIFICATE_REQUEST_COLUMNS,
        P::Lease => cluster::LEASE_COLUMNS,
        P::LeaseCandidate => cluster::LEASE_CANDIDATE_COLUMNS,
        P::StorageClass => storage::STORAGE_CLASS_COLUMNS,
        P::VolumeAttributesClass => storage::VOLUME_ATTRIBUTES_CLASS_COLUMNS,
        P::ControllerRevision => apps::CONTROLLER_REVISION_COLUMNS,
        P::ResourceQuota => core_group::RESOURCE_QUOTA_COLUMNS,
        P::PriorityClass => cluster::PRIORITY_CLASS_COLUMNS,
        P::RuntimeClass => cluster::RUNTIME_CLASS_COLUMNS,
        P::VolumeAttachment => storage::VOLUME_ATTACHMENT_COLUMNS,
        P::EndpointSlice => networking::ENDPOINT_SLICE_COLUMNS,
        P::CsiNode => storage::CSI_NODE_COLUMNS,
        P::CsiDriver => storage::CSI_DRIVER_COLUMNS,
        P::CsiStorageCapacity => storage::CSI_STORAGE_CAPACITY_COLUMNS,
        P::MutatingWebhookConfiguration | P::ValidatingWebhookConfiguration => admission::WEBHOOK_CONFIGURATION_COLUMNS,
        P::ValidatingAdmissionPolicy => admission::VALIDATING_ADMISSION_POLICY_COLUMNS,
        P::MutatingAdmissionPolicy => admission::MUTATING_ADMISSION_POLICY_COLUMNS,
        P::ValidatingAdmissionPolicyBinding | P::MutatingAdmissionPolicyBinding => {
            admission::ADMISSION_POLICY_BINDING_COLUMNS
        }
        P::FlowSchema => cluster::FLOW_SCHEMA_COLUMNS,
        P::PriorityLevelConfiguration => cluster::PRIORITY_LEVEL_COLUMNS,
        P::StorageVersion => cluster::STORAGE_VERSION_COLUMNS,
        P::Scale => apps::SCALE_COLUMNS,
        P::DeviceClass => cluster::DEVICE_CLASS_COLUMNS,
        P::ResourceClaim => cluster::RESOURCE_CLAIM_COLUMNS,
        P::ResourceClaimTemplate => cluster::RESOURCE_CLAIM_TEMPLATE_COLUMNS,
        P::ResourceSlice => cluster::RESOURCE_SLICE_COLUMNS,
        P::DeviceTaintRule => cluster::DEVICE_TAINT_RULE_COLUMNS,
        P::ServiceCidr => networking::SERVICE_CIDR_COLUMNS,
        P::IpAddress => networking::IP_ADDRESS_COLUMNS,
        P::StorageVersionMigration => cluster::STORAGE_VERSION_MIGRATION_COLUMNS,
        P::ApiService => admission::API_SERVICE_COLUMNS,
        P::Default => DEFAULT_COLUMNS,
    }
}

/// The cells of one row for `object`, in column order; `now` is Unix seconds (for AGE and "ago" texts).
pub fn cells(group: &str, resource: &str, object: &Value, now: i64) -> Vec<Value> {
    use Printer as P;
    let now = timestamp::Instant::from_unix_seconds(now);
    match printer_for(group, resource) {
        P::Pod => core_group::pod(object, now),
        P::PodTemplate => core_group::pod_template(object),
        P::PodDisruptionBudget => apps::pod_disruption_budget(object, now),
        P::ReplicationController => apps::replication_controller(object, now),
        P::ReplicaSet => apps::replica_set(object, now),
        P::DaemonSet => apps::daemon_set(object, now),
        P::Job => apps::job(object, now),
        P::CronJob => apps::cron_job(object, now),
        P::Service => networking::service(object, now),
        P::Ingress => networking::ingress(object, now),
        P::IngressClass => networking::ingress_class(object, now),
        P::StatefulSet => apps::stateful_set(object, now),
        P::Endpoints => networking::endpoints(object, now),
        P::Node => core_group::node(object, now),
        P::Event => core_group::event(group, object, now),
        P::Namespace => core_group::namespace(object, now),
        P::Secret => core_group::secret(object, now),
        P::ServiceAccount => core_group::service_account(object, now),
        P::PersistentVolume => storage::persistent_volume(object, now),
        P::PersistentVolumeClaim => storage::persistent_volume_claim(object, now),
        P::ComponentStatus => core_group::component_status(object),
        P::Deployment => apps::deployment(object, now),
        P::HorizontalPodAutoscaler => apps::horizontal_pod_autoscaler(object, now),
        P::ConfigMap => core_group::config_map(object, now),
        P::NetworkPolicy => networking::network_policy(object, now),
        P::RoleBinding | P::ClusterRoleBinding => cluster::role_binding(object, now),
        P::CertificateSigningRequest => cluster::certificate_signing_request(object, now),
        P::ClusterTrustBundle => cluster::cluster_trust_bundle(object),
        P::PodCertificateRequest => cluster::pod_certificate_request(object),
        P::Lease => cluster::lease(object, now),
        P::LeaseCandidate => cluster::lease_candidate(object, now),
        P::StorageClass => storage::storage_class(object, now),
        P::VolumeAttributesClass => storage::volume_attributes_class(object, now),
        P::ControllerRevision => apps::controller_revision(object, now),
        P::ResourceQuota => core_group::resource_quota(object, now),
        P::PriorityClass => cluster::priority_class(object, now),
        P::RuntimeClass => cluster::runtime_class(object, now),
        P::VolumeAttachment => storage::volume_attachment(object, now),
        P::EndpointSlice => networking::endpoint_slice(object, now),
        P::CsiNode => storage::csi_node(object, now),
        P::CsiDriver => storage::csi_driver(object, now),
        P::CsiStorageCapacity => storage::csi_storage_capacity(object),
        P::MutatingWebhookConfiguration | P::ValidatingWebhookConfiguration => {
            admission::webhook_configuration(object, now)
        }
        P::ValidatingAdmissionPolicy => admission::admission_policy(object, "validations", now),
        P::MutatingAdmissionPolicy => admission::admission_policy(object, "mutations", now),
        P::ValidatingAdmissionPolicyBinding | P::MutatingAdmissionPolicyBinding => {
            admission::admission_policy_binding(object, now)
        }
        P::FlowSchema => cluster::flow_schema(object, now),
        P::PriorityLevelConfiguration => cluster::priority_level_configuration(object, now),
        P::StorageVersion => cluster::storage_version(object, now),
        P::Scale => apps::scale(object, now),
        P::DeviceClass | P::ResourceClaimTemplate => cluster::name_and_age(object, now),
        P::ResourceClaim => cluster::resource_claim(object, now),
        P::ResourceSlice => cluster::resource_slice(object, now),
        P::DeviceTaintRule => cluster::device_taint_rule(object, now),
        P::ServiceCidr => networking::service_cidr(object, now),
        P::IpAddress => networking::ip_address(object, now),
        P::StorageVersionMigration => cluster::storage_version_migration(object),
        P::ApiService => admission::api_service(object, now),
        P::Default => default_cells(object),
    }
}

/// The row conditions (metav1.TableRowCondition, as JSON) kube-apiserver attaches to the
/// row of `object`: only pods that have completed carry one.
pub fn row_conditions(group: &str, resource: &str, object: &Value) -> Vec<Value> {
    match printer_for(group, resource) {
        Printer::Pod => core_group::pod_row_conditions(object),
        _ => Vec::new(),
    }
}

/// The order in which kube-apiserver prints the rows of a list of `objects`, as indexes into
/// it: the list order, except for FlowSchemas, which print by matching precedence, then name.
pub fn list_order(group: &str, resource: &str, objects: &[Value]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..objects.len()).collect();
    if printer_for(group, resource) == Printer::FlowSchema {
        order.sort_by(|&a, &b| cluster::flow_schema_order(&objects[a], &objects[b]));
    }
    order
}

/// The default table's columns (for resources without a dedicated printer).
static DEFAULT_COLUMNS: &[Column] = &[Column::name(), Column::new("Created At", "date", docs::META_CREATION)];

/// The default table's cells: the name and the creation time in RFC3339, always in UTC.
fn default_cells(object: &Value) -> Vec<Value> {
    let created = timestamp::parse_time(json::str_at(object, &["metadata", "creationTimestamp"]));
    vec![Value::from(json::name(object)), Value::from(timestamp::format_rfc3339_utc(created))]
}

#[cfg(test)]
mod tests;
