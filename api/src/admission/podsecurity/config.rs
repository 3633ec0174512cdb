//! The PodSecurity plugin's configuration
//! (`pod-security.admission.config.k8s.io/v1` `PodSecurityConfiguration`):
//! the policy of namespaces without labels, and the users, namespaces and
//! runtime classes that are exempt.

use serde::Deserialize;
use serde_json::Value;

use super::levels::{Level, LevelVersion, Policy, Version};
use crate::validation::field::{self, FieldError, Path};
use crate::validation::names::{is_dns1123_label, is_dns1123_subdomain};

/// The configuration's API group.
pub const CONFIG_GROUP: &str = "pod-security.admission.config.k8s.io";

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Not YAML or JSON of the expected shape.
    #[error("failed to decode PodSecurityConfiguration: {0}")]
    Decode(String),
    /// apiVersion or kind is not one the plugin reads.
    #[error("unsupported PodSecurityConfiguration apiVersion/kind {api_version:?}/{kind:?}")]
    Unsupported {
        /// The document's apiVersion.
        api_version: String,
        /// The document's kind.
        kind: String,
    },
    /// Field errors, as kube-apiserver reports them.
    #[error("invalid PodSecurityConfiguration: {}", field::aggregate_message(.0))]
    Invalid(Vec<FieldError>),
}

/// The wire form: every field optional, levels and versions as strings.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Document {
    #[serde(rename = "apiVersion")]
    api_version: String,
    kind: String,
    defaults: Defaults,
    exemptions: Exemptions,
}

/// `defaults`: empty levels are privileged, empty versions latest.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Defaults {
    enforce: String,
    #[serde(rename = "enforce-version")]
    enforce_version: String,
    audit: String,
    #[serde(rename = "audit-version")]
    audit_version: String,
    warn: String,
    #[serde(rename = "warn-version")]
    warn_version: String,
}

/// `exemptions`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Exemptions {
    /// Requesting users whose pods are not checked.
    pub usernames: Vec<String>,
    /// Namespaces whose pods are not checked.
    pub namespaces: Vec<String>,
    /// Runtime classes whose pods are not checked.
    #[serde(rename = "runtimeClasses")]
    pub runtime_classes: Vec<String>,
}

/// A validated configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodSecurityConfiguration {
    /// The policy of a namespace without Pod Security labels.
    pub defaults: Policy,
    /// Who and what is not checked.
    pub exemptions: Exemptions,
}

impl PodSecurityConfiguration {
    /// Parses a YAML or JSON `PodSecurityConfiguration` (v1, v1beta1 or v1alpha1).
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let doc: Document = serde_saphyr::from_str(text).map_err(|e| ConfigError::Decode(e.to_string()))?;
        Self::from_document(doc)
    }

    /// Reads the configuration from a decoded object (e.g. an
    /// AdmissionConfiguration plugin's `configuration`).
    pub fn from_value(value: &Value) -> Result<Self, ConfigError> {
        let doc: Document = serde_json::from_value(value.clone()).map_err(|e| ConfigError::Decode(e.to_string()))?;
        Self::from_document(doc)
    }

    fn from_document(doc: Document) -> Result<Self, ConfigError> {
        let version_ok = ["v1", "v1beta1", "v1alpha1"].iter().any(|v| doc.api_version == format!("{CONFIG_GROUP}/{v}"));
        if !version_ok || doc.kind != "PodSecurityConfiguration" {
            return Err(ConfigError::Unsupported { api_version: doc.api_version, kind: doc.kind });
        }
        let d = doc.defaults;
        let or = |s: String, default: &str| if s.is_empty() { default.to_string() } else { s };
        let fields = [
            ("enforce", or(d.enforce, "privileged")),
            ("enforce-version", or(d.enforce_version, "latest")),
            ("warn", or(d.warn, "privileged")),
            ("warn-version", or(d.warn_version, "latest")),
            ("audit", or(d.audit, "privileged")),
            ("audit-version", or(d.audit_version, "latest")),
        ];
        let mut errs = Vec::new();
        let mut levels = [Level::Privileged; 3];
        let mut versions = [Version::Latest; 3];
        for (i, (name, value)) in fields.iter().enumerate() {
            let path = Path::new("defaults").child(name);
            let parsed = if i % 2 == 0 {
                Level::parse(value).map(|l| levels[i / 2] = l)
            } else {
                Version::parse(value).map(|v| versions[i / 2] = v)
            };
            if let Err(detail) = parsed {
                errs.push(field::invalid(&path, value.as_str(), detail));
            }
        }
        let ex = doc.exemptions;
        validate_list(&mut errs, "namespaces", &ex.namespaces, |s| is_dns1123_label(s).join(", "));
        validate_list(&mut errs, "runtimeClasses", &ex.runtime_classes, |s| is_dns1123_subdomain(s).join(", "));
        validate_list(&mut errs, "usernames", &ex.usernames, |s| {
            if s.is_empty() { "username must not be empty".to_string() } else { String::new() }
        });
        if !errs.is_empty() {
            return Err(ConfigError::Invalid(errs));
        }
        Ok(Self {
            defaults: Policy {
                enforce: LevelVersion::new(levels[0], versions[0]),
                warn: LevelVersion::new(levels[1], versions[1]),
                audit: LevelVersion::new(levels[2], versions[2]),
            },
            exemptions: ex,
        })
    }
}

/// Checks each entry of an exemption list (`problem` returns "" when valid)
/// and refuses duplicates.
fn validate_list(errs: &mut Vec<FieldError>, list: &str, items: &[String], problem: impl Fn(&str) -> String) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let path = Path::new("exemptions").child(list).index(i);
        let detail = problem(item);
        if !detail.is_empty() {
            errs.push(field::invalid(&path, item.as_str(), detail));
        } else if !seen.insert(item.as_str()) {
            errs.push(field::duplicate(&path, item.as_str()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_defaults_and_exemptions() {
        let cfg = PodSecurityConfiguration::parse(
            r#"
apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults:
  enforce: baseline
  enforce-version: v1.22
  audit: restricted
  warn: restricted
  warn-version: latest
exemptions:
  usernames: ["system:serviceaccount:kube-system:replicaset-controller"]
  namespaces: [kube-system]
  runtimeClasses: [kata]
"#,
        )
        .expect("valid configuration");
        assert_eq!(cfg.defaults.enforce.to_string(), "baseline:v1.22");
        assert_eq!(cfg.defaults.audit.to_string(), "restricted:latest");
        assert_eq!(cfg.defaults.warn.to_string(), "restricted:latest");
        assert_eq!(cfg.exemptions.namespaces, vec!["kube-system"]);
        assert_eq!(cfg.exemptions.runtime_classes, vec!["kata"]);
        assert_eq!(cfg.exemptions.usernames.len(), 1);
    }

    #[test]
    fn empty_defaults_are_privileged_latest_and_json_parses() {
        let cfg = PodSecurityConfiguration::parse(
            r#"{"apiVersion":"pod-security.admission.config.k8s.io/v1beta1","kind":"PodSecurityConfiguration"}"#,
        )
        .expect("valid configuration");
        assert!(cfg.defaults.fully_privileged());
        assert_eq!(cfg.defaults.enforce.version, Version::Latest);
        let from_value = PodSecurityConfiguration::from_value(&serde_json::json!({
            "apiVersion": "pod-security.admission.config.k8s.io/v1",
            "kind": "PodSecurityConfiguration",
            "defaults": {"enforce": "restricted"}
        }))
        .expect("valid configuration");
        assert_eq!(from_value.defaults.enforce.to_string(), "restricted:latest");
    }

    #[test]
    fn invalid_values_are_reported_per_field() {
        let err = PodSecurityConfiguration::parse(
            r#"
apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults:
  enforce: strict
  audit-version: v2.0
exemptions:
  usernames: ["a", "", "a"]
  namespaces: ["Bad_NS", "ok", "ok"]
  runtimeClasses: ["x..y"]
"#,
        )
        .expect_err("invalid configuration");
        let ConfigError::Invalid(errs) = err else { panic!("expected field errors") };
        let messages: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages[0],
            r#"defaults.enforce: Invalid value: "strict": must be one of privileged, baseline, restricted"#
        );
        assert_eq!(messages[1], r#"defaults.audit-version: Invalid value: "v2.0": must be "latest" or "v1.x""#);
        assert!(messages[2].starts_with(r#"exemptions.namespaces[0]: Invalid value: "Bad_NS": "#), "{}", messages[2]);
        assert_eq!(messages[3], r#"exemptions.namespaces[2]: Duplicate value: "ok""#);
        assert!(messages[4].starts_with(r#"exemptions.runtimeClasses[0]: Invalid value: "x..y": "#), "{}", messages[4]);
        assert_eq!(messages[5], r#"exemptions.usernames[1]: Invalid value: "": username must not be empty"#);
        assert_eq!(messages[6], r#"exemptions.usernames[2]: Duplicate value: "a""#);
    }

    #[test]
    fn wrong_kind_is_refused() {
        let err = PodSecurityConfiguration::parse("apiVersion: v1\nkind: ConfigMap\n").expect_err("wrong kind");
        assert!(matches!(err, ConfigError::Unsupported { .. }));
    }
}
