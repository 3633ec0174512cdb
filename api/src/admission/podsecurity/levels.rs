//! Pod Security levels, versions and the namespace labels that select them
//! (`pod-security.kubernetes.io/{enforce,audit,warn}[-version]`).

use std::collections::BTreeMap;
use std::fmt;

use crate::validation::field::{self, FieldError, Path};

/// Prefix of the namespace labels and of the audit annotations.
pub const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";
/// Namespace label with the enforce level.
pub const ENFORCE_LEVEL_LABEL: &str = "pod-security.kubernetes.io/enforce";
/// Namespace label with the enforce version.
pub const ENFORCE_VERSION_LABEL: &str = "pod-security.kubernetes.io/enforce-version";
/// Namespace label with the audit level.
pub const AUDIT_LEVEL_LABEL: &str = "pod-security.kubernetes.io/audit";
/// Namespace label with the audit version.
pub const AUDIT_VERSION_LABEL: &str = "pod-security.kubernetes.io/audit-version";
/// Namespace label with the warn level.
pub const WARN_LEVEL_LABEL: &str = "pod-security.kubernetes.io/warn";
/// Namespace label with the warn version.
pub const WARN_VERSION_LABEL: &str = "pod-security.kubernetes.io/warn-version";

/// A Pod Security Standards level, least to most restrictive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// No restrictions.
    Privileged,
    /// Prevents known privilege escalations.
    Baseline,
    /// Current pod hardening best practices.
    Restricted,
}

impl Level {
    /// The label value (`privileged`, `baseline`, `restricted`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }

    /// Parses a label value, with upstream's error detail.
    pub fn parse(s: &str) -> Result<Level, String> {
        match s {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err("must be one of privileged, baseline, restricted".to_string()),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy version: `v1.<minor>` or `latest` (newer than every minor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// `v1.<minor>`.
    Minor(u32),
    /// `latest`: the newest checks this server knows.
    Latest,
}

impl Version {
    /// Parses `latest` or `v1.x`, with upstream's error detail.
    pub fn parse(s: &str) -> Result<Version, String> {
        const DETAIL: &str = r#"must be "latest" or "v1.x""#;
        if s == "latest" {
            return Ok(Version::Latest);
        }
        let digits = s.strip_prefix("v1.").ok_or_else(|| DETAIL.to_string())?;
        // Like upstream's `^v1\.([0-9]|[1-9][0-9]*)$`: no sign, no leading zero.
        if digits.is_empty()
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || (digits.len() > 1 && digits.starts_with('0'))
        {
            return Err(DETAIL.to_string());
        }
        digits.parse::<u32>().map(Version::Minor).map_err(|_| DETAIL.to_string())
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Minor(m) => write!(f, "v1.{m}"),
            Version::Latest => f.write_str("latest"),
        }
    }
}

/// A level pinned to a version, printed `restricted:latest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LevelVersion {
    /// The level.
    pub level: Level,
    /// The version of the level's checks.
    pub version: Version,
}

impl LevelVersion {
    /// A level at a version.
    pub fn new(level: Level, version: Version) -> Self {
        Self { level, version }
    }

    /// Whether two level-versions check the same thing (every privileged is alike).
    pub fn equivalent(&self, other: &LevelVersion) -> bool {
        (self.level == Level::Privileged && other.level == Level::Privileged) || self == other
    }
}

impl Default for LevelVersion {
    fn default() -> Self {
        Self::new(Level::Privileged, Version::Latest)
    }
}

impl fmt::Display for LevelVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.version)
    }
}

/// The three modes of a namespace's policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Violations are rejected (pods only).
    pub enforce: LevelVersion,
    /// Violations are recorded in the audit event.
    pub audit: LevelVersion,
    /// Violations are returned as warnings.
    pub warn: LevelVersion,
}

impl Policy {
    /// Whether all three modes are privileged (nothing to check).
    pub fn fully_privileged(&self) -> bool {
        self.enforce.level == Level::Privileged
            && self.audit.level == Level::Privileged
            && self.warn.level == Level::Privileged
    }

    /// Whether each mode is equivalent to the other policy's.
    pub fn equivalent(&self, other: &Policy) -> bool {
        self.enforce.equivalent(&other.enforce)
            && self.audit.equivalent(&other.audit)
            && self.warn.equivalent(&other.warn)
    }
}

/// The policy a namespace's labels select over `defaults`, with the label
/// errors kube-apiserver reports on `metadata.labels[...]`.
///
/// Like upstream: an invalid enforce level leaves the level as restricted
/// (fail closed), invalid audit and warn levels become privileged (fail
/// open), an invalid version becomes latest; and a namespace that sets only
/// an enforce level warns at that level too, when it is stricter than warn.
pub fn policy_from_labels(labels: &BTreeMap<String, String>, defaults: &Policy) -> (Policy, Vec<FieldError>) {
    let mut p = *defaults;
    let mut errs = Vec::new();
    if labels.is_empty() {
        return (p, errs);
    }
    let labels_path = Path::new("metadata").child("labels");
    let mut invalid = |label: &str, value: &str, detail: String| {
        errs.push(field::invalid(&labels_path.key(label), value, detail));
    };
    let mut has_enforce_level = false;
    if let Some(v) = labels.get(ENFORCE_LEVEL_LABEL) {
        match Level::parse(v) {
            Ok(l) => {
                p.enforce.level = l;
                has_enforce_level = true;
            }
            Err(e) => {
                p.enforce.level = Level::Restricted;
                invalid(ENFORCE_LEVEL_LABEL, v, e);
            }
        }
    }
    if let Some(v) = labels.get(ENFORCE_VERSION_LABEL) {
        p.enforce.version = Version::parse(v).unwrap_or_else(|e| {
            invalid(ENFORCE_VERSION_LABEL, v, e);
            Version::Latest
        });
    }
    if let Some(v) = labels.get(AUDIT_LEVEL_LABEL) {
        p.audit.level = Level::parse(v).unwrap_or_else(|e| {
            invalid(AUDIT_LEVEL_LABEL, v, e);
            Level::Privileged
        });
    }
    if let Some(v) = labels.get(AUDIT_VERSION_LABEL) {
        p.audit.version = Version::parse(v).unwrap_or_else(|e| {
            invalid(AUDIT_VERSION_LABEL, v, e);
            Version::Latest
        });
    }
    let has_warn_level = labels.contains_key(WARN_LEVEL_LABEL);
    if let Some(v) = labels.get(WARN_LEVEL_LABEL) {
        p.warn.level = Level::parse(v).unwrap_or_else(|e| {
            invalid(WARN_LEVEL_LABEL, v, e);
            Level::Privileged
        });
    }
    let has_warn_version = labels.contains_key(WARN_VERSION_LABEL);
    if let Some(v) = labels.get(WARN_VERSION_LABEL) {
        p.warn.version = Version::parse(v).unwrap_or_else(|e| {
            invalid(WARN_VERSION_LABEL, v, e);
            Version::Latest
        });
    }
    if !has_warn_level && has_enforce_level && p.enforce.level > p.warn.level {
        p.warn.level = p.enforce.level;
        if !has_warn_version {
            p.warn.version = p.enforce.version;
        }
    }
    (p, errs)
}

/// The string labels of an object's `metadata.labels`.
pub fn labels_of(metadata: &serde_json::Value) -> BTreeMap<String, String> {
    metadata
        .get("labels")
        .and_then(|l| l.as_object())
        .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn versions_parse_like_upstream() {
        assert_eq!(Version::parse("latest"), Ok(Version::Latest));
        assert_eq!(Version::parse("v1.0"), Ok(Version::Minor(0)));
        assert_eq!(Version::parse("v1.35"), Ok(Version::Minor(35)));
        assert_eq!(Version::parse("v1.999"), Ok(Version::Minor(999)));
        for bad in ["", "v1", "v1.", "v1.01", "v2.0", "1.22", "v1.-1", "v1.2a", "Latest"] {
            assert_eq!(Version::parse(bad), Err(r#"must be "latest" or "v1.x""#.to_string()), "{bad}");
        }
        assert!(Version::Minor(22) < Version::Minor(100));
        assert!(Version::Minor(1000) < Version::Latest);
        assert_eq!(LevelVersion::new(Level::Restricted, Version::Minor(22)).to_string(), "restricted:v1.22");
    }

    #[test]
    fn levels_parse_like_upstream() {
        assert_eq!(Level::parse("baseline"), Ok(Level::Baseline));
        assert_eq!(Level::parse("Baseline"), Err("must be one of privileged, baseline, restricted".to_string()));
    }

    #[test]
    fn labels_select_the_policy_over_defaults() {
        let defaults = Policy::default();
        let (p, errs) = policy_from_labels(&labels(&[]), &defaults);
        assert!(errs.is_empty());
        assert!(p.fully_privileged());

        let (p, errs) = policy_from_labels(
            &labels(&[(ENFORCE_LEVEL_LABEL, "baseline"), (ENFORCE_VERSION_LABEL, "v1.22")]),
            &defaults,
        );
        assert!(errs.is_empty());
        assert_eq!(p.enforce.to_string(), "baseline:v1.22");
        // Warn follows an enforce level that is stricter.
        assert_eq!(p.warn.to_string(), "baseline:v1.22");
        assert_eq!(p.audit.to_string(), "privileged:latest");

        let (p, _) = policy_from_labels(
            &labels(&[(ENFORCE_LEVEL_LABEL, "baseline"), (WARN_LEVEL_LABEL, "privileged")]),
            &defaults,
        );
        assert_eq!(p.warn.level, Level::Privileged);
        let (p, _) =
            policy_from_labels(&labels(&[(ENFORCE_LEVEL_LABEL, "baseline"), (WARN_VERSION_LABEL, "v1.10")]), &defaults);
        assert_eq!(p.warn.to_string(), "baseline:v1.10");
    }

    #[test]
    fn invalid_labels_fail_closed_for_enforce_and_open_for_audit_and_warn() {
        let (p, errs) = policy_from_labels(
            &labels(&[
                (ENFORCE_LEVEL_LABEL, "bogus"),
                (ENFORCE_VERSION_LABEL, "v1.01"),
                (AUDIT_LEVEL_LABEL, "x"),
                (WARN_LEVEL_LABEL, "y"),
            ]),
            &Policy::default(),
        );
        assert_eq!(p.enforce.to_string(), "restricted:latest");
        assert_eq!(p.audit.level, Level::Privileged);
        assert_eq!(p.warn.level, Level::Privileged);
        let messages: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            vec![
                r#"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus": must be one of privileged, baseline, restricted"#,
                r#"metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "v1.01": must be "latest" or "v1.x""#,
                r#"metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "x": must be one of privileged, baseline, restricted"#,
                r#"metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "y": must be one of privileged, baseline, restricted"#,
            ]
        );
    }
}
