//! The `--encryption-provider-config` file: an `EncryptionConfiguration` of
//! `apiserver.config.k8s.io/v1` (YAML or JSON), parsed and validated with
//! kube-apiserver's rules and wording.

use std::time::Duration;

use base64::Engine;
use serde::Deserialize;

use super::providers::{AES_KEY_SIZES, SECRETBOX_KEY_SIZES};

/// The group-version of the file.
pub const API_VERSION: &str = "apiserver.config.k8s.io/v1";
/// The KMS call timeout when the file gives none (kube-apiserver's).
pub const DEFAULT_KMS_TIMEOUT: Duration = Duration::from_secs(3);

/// A parsed and validated configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct EncryptionConfig {
    /// The entries, in file order.
    pub resources: Vec<ResourceConfig>,
}

/// One `resources[]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceConfig {
    /// The group-resources it applies to, as written (`secrets`, `*.apps`, `*.*`).
    pub resources: Vec<String>,
    /// Its providers, the first used for writes.
    pub providers: Vec<ProviderConfig>,
}

/// One provider.
#[derive(Clone, PartialEq)]
pub enum ProviderConfig {
    /// Stored as is.
    Identity,
    /// AES-CBC keys (name, key bytes).
    AesCbc(Vec<(String, Vec<u8>)>),
    /// AES-GCM keys.
    AesGcm(Vec<(String, Vec<u8>)>),
    /// XSalsa20-Poly1305 keys.
    Secretbox(Vec<(String, Vec<u8>)>),
    /// A KMS v2 plugin.
    Kms(KmsConfig),
}

// Never prints key material.
impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |keys: &[(String, Vec<u8>)]| keys.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        match self {
            Self::Identity => write!(f, "identity"),
            Self::AesCbc(k) => write!(f, "aescbc{:?}", names(k)),
            Self::AesGcm(k) => write!(f, "aesgcm{:?}", names(k)),
            Self::Secretbox(k) => write!(f, "secretbox{:?}", names(k)),
            Self::Kms(k) => write!(f, "kms({}, {})", k.name, k.endpoint),
        }
    }
}

/// A KMS v2 provider.
#[derive(Clone, Debug, PartialEq)]
pub struct KmsConfig {
    /// Its name (part of the stored prefix).
    pub name: String,
    /// `unix:///path`.
    pub endpoint: String,
    /// The socket path of `endpoint`.
    pub socket: String,
    /// The timeout of each call.
    pub timeout: Duration,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfig {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    api_version: String,
    #[serde(default)]
    resources: Vec<RawResource>,
}

#[derive(Deserialize)]
struct RawResource {
    #[serde(default)]
    resources: Vec<String>,
    #[serde(default)]
    providers: Vec<RawProvider>,
}

#[derive(Deserialize)]
struct RawProvider {
    aesgcm: Option<RawKeys>,
    aescbc: Option<RawKeys>,
    secretbox: Option<RawKeys>,
    identity: Option<serde::de::IgnoredAny>,
    kms: Option<RawKms>,
}

#[derive(Deserialize)]
struct RawKeys {
    #[serde(default)]
    keys: Vec<RawKey>,
}

#[derive(Deserialize)]
struct RawKey {
    #[serde(default)]
    name: String,
    #[serde(default)]
    secret: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawKms {
    #[serde(default)]
    api_version: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    endpoint: String,
    cachesize: Option<i64>,
    timeout: Option<String>,
}

/// Parses and validates the file's contents (`path` names it in errors).
pub fn parse(path: &str, data: &[u8]) -> Result<EncryptionConfig, String> {
    if data.is_empty() {
        return Err(format!("encryption provider configuration file {path:?} is empty"));
    }
    let text = std::str::from_utf8(data)
        .map_err(|_| format!("error decoding encryption provider configuration file {path:?}: not UTF-8"))?;
    let raw: RawConfig = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_saphyr::from_str(text).map_err(|e| e.to_string())
    }
    .map_err(|e| format!("error decoding encryption provider configuration file {path:?}: {e}"))?;
    let known = match raw.api_version.as_str() {
        API_VERSION => raw.kind == "EncryptionConfiguration",
        // The file format before apiserver.config.k8s.io.
        "v1" => raw.kind == "EncryptionConfiguration" || raw.kind == "EncryptionConfig",
        _ => false,
    };
    if raw.kind.is_empty() || raw.api_version.is_empty() {
        return Err(format!(
            "error decoding encryption provider configuration file {path:?}: Object 'Kind' or 'apiVersion' is missing (expected kind: EncryptionConfiguration, apiVersion: {API_VERSION})"
        ));
    }
    if !known {
        return Err(format!(
            "error decoding encryption provider configuration file {path:?}: no kind {:?} is registered for version {:?} (expected kind: EncryptionConfiguration, apiVersion: {API_VERSION})",
            raw.kind, raw.api_version
        ));
    }
    validate(raw)
}

/// A list of field errors, printed as Go's `ErrorList.ToAggregate()`.
struct Errors(Vec<String>);

impl Errors {
    fn required(&mut self, path: &str, detail: &str) {
        self.0.push(format!("{path}: Required value: {detail}"));
    }
    fn invalid(&mut self, path: &str, value: &str, detail: &str) {
        self.0.push(format!("{path}: Invalid value: {value:?}: {detail}"));
    }
    fn into_result(self) -> Result<(), String> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.into_iter().next().unwrap_or_default()),
            _ => Err(format!("[{}]", self.0.join(", "))),
        }
    }
}

/// (group, resource) of `resource.group` (Go's schema.ParseGroupResource).
pub fn parse_group_resource(s: &str) -> (&str, &str) {
    match s.split_once('.') {
        Some((resource, group)) => (group, resource),
        None => ("", s),
    }
}

fn validate(raw: RawConfig) -> Result<EncryptionConfig, String> {
    let mut errs = Errors(Vec::new());
    if raw.resources.is_empty() {
        errs.required("resources", "at least one resources is required");
        return Err(errs.into_result().err().unwrap_or_default());
    }
    let mut kms_names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut v1_kms = false;
    for (i, entry) in raw.resources.into_iter().enumerate() {
        let r = format!("resources[{i}].resources");
        let p = format!("resources[{i}].providers");
        if entry.resources.is_empty() {
            errs.required(&r, &format!("at least one {r} is required"));
        }
        validate_overlap(&entry.resources, &r, &mut errs);
        validate_names(&entry.resources, &r, &mut errs);
        if entry.providers.is_empty() {
            errs.required(&p, &format!("at least one {p} is required"));
        }
        let mut providers = Vec::new();
        for (j, provider) in entry.providers.into_iter().enumerate() {
            let path = format!("{p}[{j}]");
            let count = [
                provider.aesgcm.is_some(),
                provider.aescbc.is_some(),
                provider.secretbox.is_some(),
                provider.identity.is_some(),
                provider.kms.is_some(),
            ]
            .into_iter()
            .filter(|x| *x)
            .count();
            if count != 1 {
                if count > 1 {
                    errs.invalid(
                        &path,
                        "providers",
                        "more than one provider specified in a single element, should split into different list elements",
                    );
                } else {
                    errs.invalid(
                        &path,
                        "providers",
                        "provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity",
                    );
                }
                continue;
            }
            if let Some(k) = provider.kms {
                match validate_kms(k, &format!("{path}.kms"), &mut kms_names, &mut errs) {
                    Some(Ok(kms)) => providers.push(ProviderConfig::Kms(kms)),
                    Some(Err(())) => v1_kms = true,
                    None => {}
                }
            } else if let Some(k) = provider.aesgcm {
                providers.push(ProviderConfig::AesGcm(validate_keys(
                    k.keys,
                    &format!("{path}.aesgcm.keys"),
                    AES_KEY_SIZES,
                    &mut errs,
                )));
            } else if let Some(k) = provider.aescbc {
                providers.push(ProviderConfig::AesCbc(validate_keys(
                    k.keys,
                    &format!("{path}.aescbc.keys"),
                    AES_KEY_SIZES,
                    &mut errs,
                )));
            } else if let Some(k) = provider.secretbox {
                providers.push(ProviderConfig::Secretbox(validate_keys(
                    k.keys,
                    &format!("{path}.secretbox.keys"),
                    SECRETBOX_KEY_SIZES,
                    &mut errs,
                )));
            } else {
                providers.push(ProviderConfig::Identity);
            }
        }
        out.push(ResourceConfig { resources: entry.resources, providers });
    }
    errs.into_result()?;
    if v1_kms {
        // KMS v1 is behind the KMSv1 feature gate, off since 1.29.
        return Err("KMSv1 is deprecated and will only receive security updates going forward. Use KMSv2 instead.  Set --feature-gates=KMSv1=true to use the deprecated KMSv1 feature.".into());
    }
    let config = EncryptionConfig { resources: out };
    check_masking(&config)?;
    Ok(config)
}

fn validate_overlap(resources: &[String], path: &str, errs: &mut Errors) {
    if resources.len() < 2 {
        return;
    }
    let parsed: Vec<(&str, &str)> = resources.iter().map(|r| parse_group_resource(r)).collect();
    let (mut overlap, mut duplicate) = (false, false);
    for (i, a) in parsed.iter().enumerate() {
        for (j, b) in parsed.iter().enumerate() {
            if i == j {
                continue;
            }
            if a == b && !duplicate {
                duplicate = true;
                continue;
            }
            if overlap {
                continue;
            }
            if *a == ("*", "*") {
                overlap = true;
                continue;
            }
            if a.0 != b.0 {
                continue;
            }
            if a.1 == "*" || b.1 == "*" {
                overlap = true;
            }
        }
    }
    let value = format!("[{}]", resources.join(" "));
    if duplicate {
        errs.invalid(path, &value, "the same resource cannot be specified multiple times");
    }
    if overlap {
        errs.invalid(
            path,
            &value,
            "using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked",
        );
    }
}

fn validate_names(resources: &[String], path: &str, errs: &mut Errors) {
    for (j, res) in resources.iter().enumerate() {
        let p = format!("{path}[{j}]");
        if res.chars().any(|c| c.is_uppercase()) {
            errs.invalid(&p, res, "resource name should not contain capital letters");
            continue;
        }
        if res == "*" {
            errs.invalid(
                &p,
                res,
                "use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources",
            );
            continue;
        }
        if matches!(res.as_str(), "apiserveripinfo" | "serviceipallocations" | "servicenodeportallocations") {
            errs.invalid(&p, res, "resources which do not have REST API/s cannot be encrypted");
            continue;
        }
        let (group, resource) = parse_group_resource(res);
        if group == "events.k8s.io" {
            errs.invalid(
                &p,
                res,
                "'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events' instead in the config file",
            );
            continue;
        }
        if group == "extensions" {
            errs.invalid(&p, res, "'extensions' group has been removed and cannot be used for encryption");
            continue;
        }
        if group == "*" && resource != "*" {
            errs.invalid(&p, res, "encrypting the same resource across groups is not supported");
        }
    }
}

fn validate_keys(keys: Vec<RawKey>, path: &str, sizes: &[usize], errs: &mut Errors) -> Vec<(String, Vec<u8>)> {
    if keys.is_empty() {
        errs.required(path, &format!("at least one {path} is required"));
    }
    let mut out = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        let p = format!("{path}[{i}]");
        if key.name.is_empty() {
            errs.required(&format!("{p}.name"), "name is a mandatory field for a key");
        }
        if key.secret.is_empty() {
            errs.required(&format!("{p}.secret"), "secret is a mandatory field for a key");
            continue;
        }
        let Ok(secret) = base64::engine::general_purpose::STANDARD.decode(key.secret.trim_end_matches(['\n', '\r']))
        else {
            errs.invalid(&format!("{p}.secret"), "REDACTED", "secrets must be base64 encoded");
            continue;
        };
        if !sizes.contains(&secret.len()) {
            let expected = sizes.iter().map(usize::to_string).collect::<Vec<_>>().join(" ");
            errs.invalid(
                &format!("{p}.secret"),
                "REDACTED",
                &format!("secret is not of the expected length, got {}, expected one of [{expected}]", secret.len()),
            );
            continue;
        }
        out.push((key.name, secret));
    }
    out
}

/// `Some(Err(()))`: a valid KMS v1 provider (refused after validation).
fn validate_kms(k: RawKms, path: &str, names: &mut Vec<String>, errs: &mut Errors) -> Option<Result<KmsConfig, ()>> {
    // An empty apiVersion defaults to v1, as kube-apiserver's defaulting does.
    let api_version = if k.api_version.is_empty() { "v1".to_string() } else { k.api_version };
    let before = errs.0.len();
    if k.name.is_empty() {
        errs.required(&format!("{path}.name"), "name is a mandatory field for a provider");
    } else if k.name.contains(':') {
        errs.invalid(
            &format!("{path}.name"),
            &k.name,
            &format!("invalid KMS provider name {}, must not contain ':'", k.name),
        );
    } else if names.contains(&k.name) {
        errs.invalid(
            &format!("{path}.name"),
            &k.name,
            &format!("duplicate KMS provider name {}, names must be unique", k.name),
        );
    }
    names.push(k.name.clone());
    if api_version != "v1" && api_version != "v2" {
        errs.invalid(
            &format!("{path}.apiVersion"),
            &api_version,
            "unsupported apiVersion apiVersion for KMS provider, only v1 and v2 are supported",
        );
    }
    if api_version == "v2" && k.cachesize.is_some_and(|c| c != 0) {
        errs.invalid(
            &format!("{path}.cachesize"),
            &k.cachesize.unwrap_or(0).to_string(),
            "cachesize is not supported in v2",
        );
    }
    let timeout = match k.timeout.as_deref() {
        None | Some("") => DEFAULT_KMS_TIMEOUT,
        Some(t) => match parse_go_duration(t) {
            Some(d) if !d.is_zero() => d,
            Some(_) => {
                errs.invalid(&format!("{path}.timeout"), t, "timeout should be a positive value");
                DEFAULT_KMS_TIMEOUT
            }
            None => {
                errs.invalid(&format!("{path}.timeout"), t, "invalid duration");
                DEFAULT_KMS_TIMEOUT
            }
        },
    };
    let mut socket = String::new();
    if k.endpoint.is_empty() {
        errs.required(&format!("{path}.endpoint"), "endpoint is a mandatory field for a KMS provider");
    } else {
        match k.endpoint.split_once("://") {
            Some(("unix", rest)) if !rest.is_empty() => socket = rest.to_string(),
            Some(("unix", _)) => errs.invalid(
                &format!("{path}.endpoint"),
                &k.endpoint,
                "invalid endpoint for kms provider, error: empty path",
            ),
            Some((scheme, _)) => errs.invalid(
                &format!("{path}.endpoint"),
                &k.endpoint,
                &format!("unsupported scheme {scheme:?} for KMS provider, only unix is supported"),
            ),
            None => errs.invalid(
                &format!("{path}.endpoint"),
                &k.endpoint,
                "unsupported scheme \"\" for KMS provider, only unix is supported",
            ),
        }
    }
    if errs.0.len() != before {
        return None;
    }
    if api_version == "v1" {
        return Some(Err(()));
    }
    Some(Ok(KmsConfig { name: k.name, endpoint: k.endpoint, socket, timeout }))
}

/// kube-apiserver refuses an entry that an earlier `*.group` or `*.*`
/// entry masks.
fn check_masking(config: &EncryptionConfig) -> Result<(), String> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let yaml = |g: &str, r: &str| {
        if g.is_empty() && r == "*" {
            "*.".to_string()
        } else if g.is_empty() {
            r.to_string()
        } else {
            format!("{r}.{g}")
        }
    };
    for entry in &config.resources {
        for res in &entry.resources {
            let (group, resource) = parse_group_resource(res);
            if seen.iter().any(|(g, r)| g == group && r == "*") {
                return Err(format!(
                    "resource {:?} is masked by earlier rule {:?}",
                    yaml(group, resource),
                    yaml(group, "*")
                ));
            }
            if seen.iter().any(|(g, r)| g == "*" && r == "*") {
                return Err(format!("resource {:?} is masked by earlier rule {:?}", yaml(group, resource), "*.*"));
            }
            seen.push((group.to_string(), resource.to_string()));
        }
    }
    Ok(())
}

/// A Go duration (`3s`, `1m30s`, `500ms`, `1.5s`).
pub fn parse_go_duration(s: &str) -> Option<Duration> {
    let mut rest = s.trim();
    if rest == "0" {
        return Some(Duration::ZERO);
    }
    let mut total = 0f64;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let value: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += value * scale;
        rest = &rest[unit_end..];
    }
    Some(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    const K32: &str = "c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/IDEyMzQ="; // 32 bytes

    fn parse_ok(text: &str) -> EncryptionConfig {
        parse("enc.yaml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn parse_err(text: &str) -> String {
        parse("enc.yaml", text.as_bytes()).unwrap_err()
    }

    #[test]
    fn parses_yaml_and_json() {
        let c = parse_ok(&format!(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets, configmaps]\n  providers:\n  - aescbc:\n      keys:\n      - name: key1\n        secret: {K32}\n  - identity: {{}}\n- resources: ['*.apps']\n  providers:\n  - kms:\n      apiVersion: v2\n      name: vault\n      endpoint: unix:///tmp/kms.sock\n      timeout: 500ms\n- resources: ['*.*']\n  providers:\n  - secretbox:\n      keys: [{{name: k, secret: {K32}}}]\n"
        ));
        assert_eq!(c.resources.len(), 3);
        assert_eq!(c.resources[0].providers.len(), 2);
        assert!(
            matches!(&c.resources[0].providers[0], ProviderConfig::AesCbc(k) if k[0].0 == "key1" && k[0].1.len() == 32)
        );
        assert_eq!(c.resources[0].providers[1], ProviderConfig::Identity);
        match &c.resources[1].providers[0] {
            ProviderConfig::Kms(k) => {
                assert_eq!(k.socket, "/tmp/kms.sock");
                assert_eq!(k.timeout, Duration::from_millis(500));
            }
            other => panic!("{other:?}"),
        }
        let json = format!(
            r#"{{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{{"resources":["secrets"],"providers":[{{"aesgcm":{{"keys":[{{"name":"g","secret":"{K32}"}}]}}}}]}}]}}"#
        );
        assert!(matches!(parse_ok(&json).resources[0].providers[0], ProviderConfig::AesGcm(_)));
        // The legacy kind and version.
        parse_ok(
            "kind: EncryptionConfig\napiVersion: v1\nresources:\n- resources: [secrets]\n  providers: [{identity: {}}]\n",
        );
    }

    #[test]
    fn refuses_unknown_kinds_and_bad_providers() {
        assert!(
            parse_err("kind: Foo\napiVersion: apiserver.config.k8s.io/v1\nresources: []\n").contains("no kind \"Foo\"")
        );
        assert!(
            parse_err("kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v2\n")
                .contains("is registered")
        );
        assert!(parse("f", b"").unwrap_err().contains("is empty"));
        let head = "kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v1\n";
        let e = parse_err(&format!(
            "{head}resources:\n- resources: [secrets]\n  providers:\n  - aescbc:\n      keys: [{{name: k, secret: c2hvcnQ=}}]\n"
        ));
        assert_eq!(
            e,
            "resources[0].providers[0].aescbc.keys[0].secret: Invalid value: \"REDACTED\": secret is not of the expected length, got 5, expected one of [16 24 32]"
        );
        let e = parse_err(&format!(
            "{head}resources:\n- resources: [secrets]\n  providers:\n  - secretbox:\n      keys: [{{name: k, secret: 'not base64!'}}]\n"
        ));
        assert!(e.contains("secrets must be base64 encoded"), "{e}");
        let e = parse_err(&format!(
            "{head}resources:\n- resources: [secrets]\n  providers:\n  - kms: {{name: a, endpoint: 'unix:///x'}}\n"
        ));
        assert!(e.starts_with("KMSv1 is deprecated"), "{e}");
        let e = parse_err(&format!(
            "{head}resources:\n- resources: [secrets]\n  providers:\n  - kms: {{apiVersion: v2, name: 'a:b', endpoint: 'tcp://x'}}\n"
        ));
        assert!(e.contains("must not contain ':'") && e.contains("only unix is supported"), "{e}");
        let e = parse_err(&format!(
            "{head}resources:\n- resources: [secrets]\n  providers:\n  - identity: {{}}\n    aescbc: {{keys: [{{name: k, secret: {K32}}}]}}\n"
        ));
        assert!(e.contains("more than one provider"), "{e}");
        let e = parse_err(&format!("{head}resources:\n- resources: [secrets]\n  providers: []\n"));
        assert!(e.contains("at least one resources[0].providers is required"), "{e}");
    }

    #[test]
    fn group_resource_rules() {
        let head = "kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v1\nresources:\n";
        let with = |res: &str| format!("{head}- resources: {res}\n  providers: [{{identity: {{}}}}]\n");
        assert!(
            parse_err(&with("[secrets, secrets]")).contains("the same resource cannot be specified multiple times")
        );
        assert!(parse_err(&with("[secrets, '*.']")).contains("overlapping resources"));
        assert!(parse_err(&with("['*.*', secrets]")).contains("overlapping resources"));
        assert!(parse_err(&with("['*']")).contains("use '*.' to encrypt all the resources"));
        assert!(parse_err(&with("[Secrets]")).contains("capital letters"));
        assert!(parse_err(&with("['events.events.k8s.io']")).contains("Use 'events' instead"));
        assert!(parse_err(&with("['deployments.extensions']")).contains("'extensions' group has been removed"));
        assert!(parse_err(&with("['secrets.*']")).contains("across groups"));
        assert!(parse_err(&with("[serviceipallocations]")).contains("do not have REST API"));
        parse_ok(&with("[secrets, configmaps, '*.apps', 'widgets.example.com']"));
        // An earlier wildcard masks a later entry.
        let two = |a: &str, b: &str| {
            format!(
                "{head}- resources: {a}\n  providers: [{{identity: {{}}}}]\n- resources: {b}\n  providers: [{{identity: {{}}}}]\n"
            )
        };
        assert_eq!(parse_err(&two("['*.*']", "[secrets]")), "resource \"secrets\" is masked by earlier rule \"*.*\"");
        assert_eq!(parse_err(&two("['*.']", "[secrets]")), "resource \"secrets\" is masked by earlier rule \"*.\"");
        assert_eq!(
            parse_err(&two("['*.apps']", "[deployments.apps]")),
            "resource \"deployments.apps\" is masked by earlier rule \"*.apps\""
        );
        parse_ok(&two("[secrets]", "['*.*']"));
        parse_ok(&two("[secrets]", "[secrets]"));
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("3s"), Some(Duration::from_secs(3)));
        assert_eq!(parse_go_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_go_duration("3"), None);
    }
}
