//! Printers for API extension points: admission webhook configurations, admission policies
//! and their bindings, and APIServices (whose table kube-aggregator builds itself).

use serde_json::Value;

use super::Column;
use super::json::{arr_at, get, len_at, name, str_at};
use super::labels::label_selector_go_string;
use super::timestamp::{Instant, age};

pub(super) static WEBHOOK_CONFIGURATION_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Webhooks", "integer", "Webhooks indicates the number of webhooks registered in this configuration"),
    Column::age(),
];

pub(super) static VALIDATING_ADMISSION_POLICY_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new(
        "Validations",
        "integer",
        "Validations indicates the number of validation rules defined in this configuration",
    ),
    Column::new("ParamKind", "string", "ParamKind specifies the kind of resources used to parameterize this policy"),
    Column::age(),
];

pub(super) static MUTATING_ADMISSION_POLICY_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new(
        "Mutations",
        "integer",
        "Mutation indicates the number of mutations rules defined in this configuration",
    ),
    Column::new("ParamKind", "string", "ParamKind specifies the kind of resources used to parameterize this policy"),
    Column::age(),
];

pub(super) static ADMISSION_POLICY_BINDING_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new(
        "PolicyName",
        "string",
        "PolicyName indicates the policy definition which the policy binding binded to",
    ),
    Column::new("ParamRef", "string", "ParamRef indicates the param resource which sets the configration param"),
    Column::age(),
];

pub(super) static API_SERVICE_COLUMNS: &[Column] = &[
    Column::name(),
    Column::new("Service", "string", "The reference to the service that hosts this API endpoint."),
    Column::new("Available", "string", "Whether this service is available."),
    Column::age(),
];

pub(super) fn webhook_configuration(configuration: &Value, now: Instant) -> Vec<Value> {
    vec![
        Value::from(name(configuration)),
        Value::from(len_at(configuration, &["webhooks"])),
        Value::from(age(configuration, now)),
    ]
}

/// A validating or mutating admission policy; `rules` names the counted list.
pub(super) fn admission_policy(policy: &Value, rules: &str, now: Instant) -> Vec<Value> {
    let param_kind = match get(policy, &["spec", "paramKind"]).filter(|p| !p.is_null()) {
        Some(kind) => format!("{}/{}", str_at(kind, &["apiVersion"]), str_at(kind, &["kind"])),
        None => "<unset>".to_string(),
    };
    vec![
        Value::from(name(policy)),
        Value::from(len_at(policy, &["spec", rules])),
        Value::from(param_kind),
        Value::from(age(policy, now)),
    ]
}

/// An admission policy binding; a name-less param reference prints its selector as a Go struct.
pub(super) fn admission_policy_binding(binding: &Value, now: Instant) -> Vec<Value> {
    let mut param = "<unset>".to_string();
    if let Some(reference) = get(binding, &["spec", "paramRef"]).filter(|p| !p.is_null()) {
        let param_name = str_at(reference, &["name"]);
        let namespace = str_at(reference, &["namespace"]);
        if !param_name.is_empty() {
            // A param without a namespace may be cluster-scoped, so it prints with "*".
            param = if namespace.is_empty() { format!("*/{param_name}") } else { format!("{namespace}/{param_name}") };
        } else if let Some(selector) = reference.get("selector").filter(|s| !s.is_null()) {
            param = label_selector_go_string(selector);
        }
    }
    vec![
        Value::from(name(binding)),
        Value::from(str_at(binding, &["spec", "policyName"])),
        Value::from(param),
        Value::from(age(binding, now)),
    ]
}

/// The APIService row: SERVICE ("namespace/name" or "Local") and AVAILABLE from the
/// Available condition ("True", or "False (Reason)").
pub(super) fn api_service(service: &Value, now: Instant) -> Vec<Value> {
    let backend = match get(service, &["spec", "service"]).filter(|s| !s.is_null()) {
        Some(s) => format!("{}/{}", str_at(s, &["namespace"]), str_at(s, &["name"])),
        None => "Local".to_string(),
    };
    let available = arr_at(service, &["status", "conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == "Available")
        .map_or("Unknown".to_string(), |condition| {
            let status = str_at(condition, &["status"]);
            let reason = str_at(condition, &["reason"]);
            if status == "True" || reason.is_empty() { status.to_string() } else { format!("{status} ({reason})") }
        });
    vec![Value::from(name(service)), Value::from(backend), Value::from(available), Value::from(age(service, now))]
}
