//! Structured authentication configuration: kube-apiserver's
//! `--authentication-config` file (`AuthenticationConfiguration` of
//! `apiserver.config.k8s.io/v1`, `v1beta1` or `v1alpha1`).
//!
//! The file lists JWT authenticators, one per issuer (its keys from the
//! issuer's discovery document, or, as a kubox extension for air-gapped
//! installs, from a local JWKS file named by `issuer.kuboxJWKSFile`), with
//! claim validation rules, claim mappings and user validation rules written
//! as claims or CEL expressions, and the anonymous authenticator's settings.
//!
//! Like kube-apiserver, the file is decoded strictly and validated with
//! upstream's field paths and messages; a bad file stops the start. The
//! file is then polled: a valid change replaces the JWT authenticators, an
//! invalid one is logged and the previous configuration stays. The
//! `anonymous` section may not change after the start.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use parking_lot::{Mutex, RwLock};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AUTHENTICATED, UserInfo};
use crate::cel::{self, CelError, Environment, Limits, Program};
use crate::validation::field::{self, FieldError, Path};

/// The API versions kube-apiserver 1.35 reads the file in.
pub const API_VERSIONS: &[&str] =
    &["apiserver.config.k8s.io/v1", "apiserver.config.k8s.io/v1beta1", "apiserver.config.k8s.io/v1alpha1"];

/// Most JWT authenticators a file may list (upstream's limit).
const MAX_JWT_AUTHENTICATORS: usize = 64;

/// The system trust store, used when an issuer names no CA.
const SYSTEM_CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// How long a discovered key set is trusted before an unknown key id
/// triggers a new fetch (go-oidc refetches on unknown keys, rate-limited).
const KEY_REFRESH_INTERVAL: Duration = Duration::from_secs(10);

/// Clock skew allowed on `nbf`, as go-oidc allows.
const NOT_BEFORE_LEEWAY: i64 = 5 * 60;

/// The algorithms kube-apiserver accepts for structured JWT authenticators.
const SIGNING_ALGORITHMS: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
];

// ---------------------------------------------------------------------------
// The file's types.

/// `AuthenticationConfiguration`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthenticationConfiguration {
    /// `apiserver.config.k8s.io/v1` (or v1beta1, v1alpha1).
    #[serde(default)]
    pub api_version: String,
    /// `AuthenticationConfiguration`.
    #[serde(default)]
    pub kind: String,
    /// The JWT authenticators.
    #[serde(default)]
    pub jwt: Vec<JwtAuthenticatorConfig>,
    /// The anonymous authenticator.
    #[serde(default)]
    pub anonymous: Option<AnonymousConfig>,
}

/// One JWT authenticator.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtAuthenticatorConfig {
    /// Who issues the tokens and for whom.
    #[serde(default)]
    pub issuer: Issuer,
    /// Rules every token's claims must pass.
    #[serde(default)]
    pub claim_validation_rules: Vec<ClaimValidationRule>,
    /// How claims become the user.
    #[serde(default)]
    pub claim_mappings: ClaimMappings,
    /// Rules the resulting user must pass.
    #[serde(default)]
    pub user_validation_rules: Vec<UserValidationRule>,
}

/// `issuer`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Issuer {
    /// The `iss` of the tokens (https).
    #[serde(default)]
    pub url: String,
    /// Where the discovery document is, when not under `url`.
    #[serde(default, rename = "discoveryURL")]
    pub discovery_url: String,
    /// PEM CA bundle for the discovery and JWKS requests.
    #[serde(default)]
    pub certificate_authority: String,
    /// Accepted audiences (any one must be in `aud`).
    #[serde(default)]
    pub audiences: Vec<String>,
    /// `MatchAny` (the only policy).
    #[serde(default)]
    pub audience_match_policy: String,
    /// `controlplane` or `cluster`; kubox has no egress selector and
    /// connects directly.
    #[serde(default)]
    pub egress_selector_type: String,
    /// kubox extension: the issuer's JWKS as a local file, instead of
    /// discovery (air-gapped installs). Re-read when it changes.
    #[serde(default, rename = "kuboxJWKSFile")]
    pub kubox_jwks_file: String,
}

/// `claimValidationRules[]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimValidationRule {
    /// A claim that must be present...
    #[serde(default)]
    pub claim: String,
    /// ...with this string value.
    #[serde(default)]
    pub required_value: String,
    /// Or a CEL expression over `claims` that must be true.
    #[serde(default)]
    pub expression: String,
    /// The message when the expression is false.
    #[serde(default)]
    pub message: String,
}

/// `claimMappings`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimMappings {
    /// The user name (required).
    #[serde(default)]
    pub username: PrefixedClaimOrExpression,
    /// The groups.
    #[serde(default)]
    pub groups: PrefixedClaimOrExpression,
    /// The uid.
    #[serde(default)]
    pub uid: ClaimOrExpression,
    /// Extra attributes.
    #[serde(default)]
    pub extra: Vec<ExtraMapping>,
}

/// A claim with a prefix, or an expression.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrefixedClaimOrExpression {
    /// The claim.
    #[serde(default)]
    pub claim: String,
    /// Its prefix (required with `claim`; "" for none).
    #[serde(default)]
    pub prefix: Option<String>,
    /// A CEL expression over `claims`.
    #[serde(default)]
    pub expression: String,
}

/// A claim or an expression.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimOrExpression {
    /// The claim.
    #[serde(default)]
    pub claim: String,
    /// A CEL expression over `claims`.
    #[serde(default)]
    pub expression: String,
}

/// `claimMappings.extra[]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtraMapping {
    /// A domain-prefixed, lowercase key.
    #[serde(default)]
    pub key: String,
    /// A CEL expression over `claims` giving a string or a list of strings.
    #[serde(default)]
    pub value_expression: String,
}

/// `userValidationRules[]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserValidationRule {
    /// A CEL expression over `user` that must be true.
    #[serde(default)]
    pub expression: String,
    /// The message when it is false.
    #[serde(default)]
    pub message: String,
}

/// `anonymous`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnonymousConfig {
    /// Whether anonymous requests are served.
    #[serde(default)]
    pub enabled: bool,
    /// When set, only requests for these paths may be anonymous.
    #[serde(default)]
    pub conditions: Vec<AnonymousCondition>,
}

/// `anonymous.conditions[]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnonymousCondition {
    /// A request path, matched exactly.
    #[serde(default)]
    pub path: String,
}

impl AnonymousConfig {
    /// Whether a request for `path` without credentials is anonymous.
    pub fn allows(&self, path: &str) -> bool {
        self.enabled && (self.conditions.is_empty() || self.conditions.iter().any(|c| c.path == path))
    }
}

// ---------------------------------------------------------------------------
// Loading errors.

/// Why a configuration was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not an AuthenticationConfiguration.
    #[error("{0}")]
    Decode(String),
    /// The configuration is invalid: upstream's field errors.
    #[error("{}", field::aggregate_message(.0))]
    Invalid(Vec<FieldError>),
}

/// Decodes the file's bytes (YAML or JSON) strictly, as kube-apiserver does.
pub fn decode(data: &[u8]) -> Result<AuthenticationConfiguration, ConfigError> {
    if data.iter().all(u8::is_ascii_whitespace) {
        return Err(ConfigError::Decode("empty config data".into()));
    }
    let text = std::str::from_utf8(data).map_err(|e| ConfigError::Decode(format!("not UTF-8: {e}")))?;
    let value: Value =
        serde_saphyr::from_str(text).map_err(|e| ConfigError::Decode(format!("decoding the configuration: {e}")))?;
    let api_version = value["apiVersion"].as_str().unwrap_or_default();
    let kind = value["kind"].as_str().unwrap_or_default();
    if api_version.is_empty() || kind.is_empty() {
        return Err(ConfigError::Decode(format!(
            "Object 'apiVersion' and 'kind' are required (found apiVersion {api_version:?}, kind {kind:?})"
        )));
    }
    if !API_VERSIONS.contains(&api_version) || kind != "AuthenticationConfiguration" {
        return Err(ConfigError::Decode(format!(
            "no kind {kind:?} is registered for version {api_version:?} (expected AuthenticationConfiguration in {})",
            API_VERSIONS.join(", ")
        )));
    }
    serde_json::from_value(value).map_err(|e| ConfigError::Decode(format!("strict decoding error: {e}")))
}

// ---------------------------------------------------------------------------
// Validation and compilation.

/// The CEL environments of authentication expressions, as upstream
/// declares them: `claims` for claim mappings and validation rules, `user`
/// for user validation rules.
#[derive(Debug)]
pub struct Environments {
    /// Expressions over `claims`.
    pub claims: Arc<Environment>,
    /// Expressions over `user`.
    pub user: Arc<Environment>,
}

/// The environments, with the default limits.
pub fn environments() -> Arc<Environments> {
    Arc::new(Environments {
        claims: Arc::new(Environment::new(&["claims"], Limits::default())),
        user: Arc::new(Environment::new(&["user"], Limits::default())),
    })
}

/// How a claim or expression mapping is computed.
#[derive(Clone, Debug)]
enum Mapping {
    Claim { claim: String, prefix: String },
    Expression(Program),
}

/// One compiled JWT authenticator, before its keys are fetched.
#[derive(Clone, Debug)]
struct Compiled {
    issuer: String,
    discovery_url: String,
    certificate_authority: String,
    audiences: Vec<String>,
    jwks_file: Option<PathBuf>,
    required_claims: Vec<(String, String)>,
    claim_rules: Vec<(Program, String)>,
    username: Mapping,
    groups: Option<Mapping>,
    uid: Option<Mapping>,
    extra: Vec<(String, Program)>,
    user_rules: Vec<(Program, String)>,
}

fn cel_error(path: &Path, expression: &str, e: CelError) -> FieldError {
    field::invalid(path, expression, e.to_string())
}

/// Upstream's issuer URL checks (https, no user, query or fragment).
fn validate_url(url: &str, disallowed: &[String], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if disallowed.iter().any(|d| d == url) {
        let mut list = disallowed.to_vec();
        list.sort();
        list.dedup();
        errs.push(field::invalid(
            path,
            url,
            format!("URL must not overlap with disallowed issuers: [{}]", list.join(" ")),
        ));
    }
    let scheme = url.split_once("://").map(|(s, _)| s).filter(|s| !s.contains('/')).unwrap_or("");
    if scheme != "https" {
        errs.push(field::invalid(path, url, "URL scheme must be https"));
    }
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        errs.push(field::invalid(path, url, "URL must not contain a username or password"));
    }
    let before_fragment = url.split('#').next().unwrap_or("");
    if before_fragment.split_once('?').is_some_and(|(_, q)| !q.is_empty()) {
        errs.push(field::invalid(path, url, "URL must not contain a query"));
    }
    if url.split_once('#').is_some_and(|(_, f)| !f.is_empty()) {
        errs.push(field::invalid(path, url, "URL must not contain a fragment"));
    }
    errs
}

fn validate_issuer(issuer: &Issuer, disallowed: &[String], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let url_path = path.child("url");
    if issuer.url.is_empty() {
        errs.push(field::required(&url_path, ""));
    } else {
        errs.extend(validate_url(&issuer.url, disallowed, &url_path));
    }
    if !issuer.discovery_url.is_empty() {
        let p = path.child("discoveryURL");
        if !issuer.url.is_empty() && issuer.url.trim_end_matches('/') == issuer.discovery_url.trim_end_matches('/') {
            errs.push(field::invalid(&p, issuer.discovery_url.as_str(), "discoveryURL must be different from URL"));
        }
        errs.extend(validate_url(&issuer.discovery_url, &[], &p));
    }
    let aud_path = path.child("audiences");
    let policy_path = path.child("audienceMatchPolicy");
    if issuer.audiences.is_empty() {
        errs.push(field::required(&aud_path, format!("at least one {aud_path} is required")));
    } else {
        let mut seen = HashSet::new();
        for (i, a) in issuer.audiences.iter().enumerate() {
            if a.is_empty() {
                errs.push(field::required(&aud_path.index(i), ""));
            }
            if !seen.insert(a) {
                errs.push(field::duplicate(&aud_path.index(i), a.as_str()));
            }
        }
        let policy = issuer.audience_match_policy.as_str();
        if issuer.audiences.len() > 1 && policy != "MatchAny" {
            errs.push(field::invalid(
                &policy_path,
                policy,
                "audienceMatchPolicy must be MatchAny for multiple audiences",
            ));
        }
        if issuer.audiences.len() == 1 && !policy.is_empty() && policy != "MatchAny" {
            errs.push(field::invalid(
                &policy_path,
                policy,
                "audienceMatchPolicy must be empty or MatchAny for single audience",
            ));
        }
    }
    if !issuer.certificate_authority.is_empty()
        && crate::client::tls_config(&issuer.certificate_authority, None).is_err()
        || !issuer.certificate_authority.is_empty() && !issuer.certificate_authority.contains("-----BEGIN CERTIFICATE")
    {
        errs.push(field::invalid(
            &path.child("certificateAuthority"),
            "<omitted>",
            "data does not contain any valid RSA or ECDSA certificates",
        ));
    }
    match issuer.egress_selector_type.as_str() {
        "" | "controlplane" | "cluster" => {}
        other => errs.push(field::invalid(
            &path.child("egressSelectorType"),
            other,
            "egress selector must be either controlplane or cluster",
        )),
    }
    if !issuer.kubox_jwks_file.is_empty() {
        let p = path.child("kuboxJWKSFile");
        if !FsPath::new(&issuer.kubox_jwks_file).is_absolute() {
            errs.push(field::invalid(&p, issuer.kubox_jwks_file.as_str(), "must be an absolute path"));
        }
        match std::fs::read(&issuer.kubox_jwks_file) {
            Err(e) => errs.push(field::invalid(&p, issuer.kubox_jwks_file.as_str(), format!("reading the file: {e}"))),
            Ok(data) => {
                if let Err(e) =
                    serde_json::from_slice::<Value>(&data).map_err(|e| e.to_string()).and_then(|v| parse_jwks(&v))
                {
                    errs.push(field::invalid(&p, issuer.kubox_jwks_file.as_str(), e));
                }
            }
        }
    }
    errs
}

/// Validates a prefixed claim or expression mapping; `Ok(None)` when unset.
fn prefixed_mapping(
    env: &Environment,
    m: &PrefixedClaimOrExpression,
    path: &Path,
    required: bool,
    errs: &mut Vec<FieldError>,
) -> Option<Mapping> {
    match (m.claim.is_empty(), m.expression.is_empty()) {
        (false, false) => {
            errs.push(field::invalid(path, "", "claim and expression can't both be set"));
            None
        }
        (true, true) => {
            if required {
                errs.push(field::required(path, "claim or expression is required"));
            }
            None
        }
        (true, false) => {
            if let Some(prefix) = &m.prefix {
                errs.push(field::invalid(
                    &path.child("prefix"),
                    prefix.as_str(),
                    "may not be specified when expression is set",
                ));
            }
            let p = path.child("expression");
            match env.compile(&m.expression) {
                Ok(program) => Some(Mapping::Expression(program)),
                Err(e) => {
                    errs.push(cel_error(&p, &m.expression, e));
                    None
                }
            }
        }
        (false, true) => match &m.prefix {
            None => {
                errs.push(field::required(
                    &path.child("prefix"),
                    "prefix is required when claim is set. It can be set to an empty string to disable prefixing",
                ));
                None
            }
            Some(prefix) => Some(Mapping::Claim { claim: m.claim.clone(), prefix: prefix.clone() }),
        },
    }
}

/// Upstream's `IsDomainPrefixedPath` for extra keys.
fn domain_prefixed_path(key: &str, path: &Path) -> Vec<FieldError> {
    if key.is_empty() {
        return vec![field::required(path, "")];
    }
    let Some((host, rest)) = key.split_once('/').filter(|(h, r)| !h.is_empty() && !r.is_empty()) else {
        return vec![field::invalid(path, key, "must be a domain-prefixed path (such as \"acme.io/foo\")")];
    };
    let mut errs: Vec<FieldError> = crate::validation::names::is_dns1123_subdomain(host)
        .into_iter()
        .map(|m| field::invalid(path, host, m))
        .collect();
    let ok = rest.chars().all(|c| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c));
    if !ok {
        errs.push(field::invalid(
            path,
            rest,
            "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
        ));
    }
    errs
}

fn is_kubernetes_domain(key: &str) -> bool {
    let domain = key.split_once('/').map_or("", |(d, _)| d);
    domain == "kubernetes.io" || domain.ends_with(".kubernetes.io") || domain == "k8s.io" || domain.ends_with(".k8s.io")
}

fn compile_authenticator(
    envs: &Environments,
    a: &JwtAuthenticatorConfig,
    disallowed: &[String],
    path: &Path,
) -> (Option<Compiled>, Vec<FieldError>) {
    let env = &envs.claims;
    let mut errs = validate_issuer(&a.issuer, disallowed, &path.child("issuer"));
    let mut uses_email_verified = false;

    // Claim validation rules.
    let rules_path = path.child("claimValidationRules");
    let mut required_claims = Vec::new();
    let mut claim_rules = Vec::new();
    let mut seen_claims = HashSet::new();
    let mut seen_expressions = HashSet::new();
    for (i, rule) in a.claim_validation_rules.iter().enumerate() {
        let p = rules_path.index(i);
        match (rule.claim.is_empty(), rule.expression.is_empty()) {
            (false, false) => {
                errs.push(field::invalid(&p, rule.claim.as_str(), "claim and expression can't both be set"))
            }
            (true, true) => errs.push(field::required(&p, "claim or expression is required")),
            (false, true) => {
                if !rule.message.is_empty() {
                    errs.push(field::invalid(
                        &p.child("message"),
                        rule.message.as_str(),
                        "may not be specified when claim is set",
                    ));
                }
                if !seen_claims.insert(rule.claim.clone()) {
                    errs.push(field::duplicate(&p.child("claim"), rule.claim.as_str()));
                }
                required_claims.push((rule.claim.clone(), rule.required_value.clone()));
            }
            (true, false) => {
                if !rule.required_value.is_empty() {
                    errs.push(field::invalid(
                        &p.child("requiredValue"),
                        rule.required_value.as_str(),
                        "may not be specified when expression is set",
                    ));
                }
                if !seen_expressions.insert(rule.expression.clone()) {
                    errs.push(field::duplicate(&p.child("expression"), rule.expression.as_str()));
                    continue;
                }
                match env.compile(&rule.expression) {
                    Ok(program) => {
                        uses_email_verified |= program.selects("claims", "email_verified");
                        claim_rules.push((program, rule.message.clone()));
                    }
                    Err(e) => errs.push(cel_error(&p.child("expression"), &rule.expression, e)),
                }
            }
        }
    }

    // Claim mappings.
    let m = &a.claim_mappings;
    let mp = path.child("claimMappings");
    let username = prefixed_mapping(env, &m.username, &mp.child("username"), true, &mut errs);
    let groups = prefixed_mapping(env, &m.groups, &mp.child("groups"), false, &mut errs);
    let mut uses_email = false;
    if let Some(Mapping::Expression(p)) = &username {
        uses_email = p.selects("claims", "email");
        uses_email_verified |= p.selects("claims", "email_verified");
    }
    let uid = match (m.uid.claim.is_empty(), m.uid.expression.is_empty()) {
        (false, false) => {
            errs.push(field::invalid(&mp.child("uid"), "", "claim and expression can't both be set"));
            None
        }
        (false, true) => Some(Mapping::Claim { claim: m.uid.claim.clone(), prefix: String::new() }),
        (true, false) => match env.compile(&m.uid.expression) {
            Ok(p) => Some(Mapping::Expression(p)),
            Err(e) => {
                errs.push(cel_error(&mp.child("uid").child("expression"), &m.uid.expression, e));
                None
            }
        },
        (true, true) => None,
    };
    let mut extra = Vec::new();
    let mut seen_keys = HashSet::new();
    for (i, x) in m.extra.iter().enumerate() {
        let p = mp.child("extra").index(i);
        let kp = p.child("key");
        errs.extend(domain_prefixed_path(&x.key, &kp));
        if x.key != x.key.to_lowercase() {
            errs.push(field::invalid(&kp, x.key.as_str(), "must be lowercase"));
        }
        if is_kubernetes_domain(&x.key) {
            errs.push(field::invalid(
                &kp,
                x.key.as_str(),
                "k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use",
            ));
        }
        if !seen_keys.insert(x.key.clone()) {
            errs.push(field::duplicate(&kp, x.key.as_str()));
            continue;
        }
        if x.value_expression.is_empty() {
            errs.push(field::required(&p.child("valueExpression"), ""));
            continue;
        }
        match env.compile(&x.value_expression) {
            Ok(program) => {
                uses_email_verified |= program.selects("claims", "email_verified");
                extra.push((x.key.clone(), program));
            }
            Err(e) => errs.push(cel_error(&p.child("valueExpression"), &x.value_expression, e)),
        }
    }
    if uses_email && !uses_email_verified {
        errs.push(field::invalid(
            &mp.child("username").child("expression"),
            m.username.expression.as_str(),
            "claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression",
        ));
    }

    // User validation rules.
    let up = path.child("userValidationRules");
    let mut user_rules = Vec::new();
    let mut seen = HashSet::new();
    for (i, rule) in a.user_validation_rules.iter().enumerate() {
        let p = up.index(i).child("expression");
        if rule.expression.is_empty() {
            errs.push(field::required(&p, ""));
            continue;
        }
        if !seen.insert(rule.expression.clone()) {
            errs.push(field::duplicate(&p, rule.expression.as_str()));
            continue;
        }
        match envs.user.compile(&rule.expression) {
            Ok(program) => user_rules.push((program, rule.message.clone())),
            Err(e) => errs.push(cel_error(&p, &rule.expression, e)),
        }
    }

    let compiled = username.filter(|_| errs.is_empty()).map(|username| Compiled {
        issuer: a.issuer.url.clone(),
        discovery_url: a.issuer.discovery_url.clone(),
        certificate_authority: a.issuer.certificate_authority.clone(),
        audiences: a.issuer.audiences.clone(),
        jwks_file: (!a.issuer.kubox_jwks_file.is_empty()).then(|| PathBuf::from(&a.issuer.kubox_jwks_file)),
        required_claims,
        claim_rules,
        username,
        groups,
        uid,
        extra,
        user_rules,
    });
    (compiled, errs)
}

/// Validates and compiles a configuration, with upstream's messages.
/// `disallowed_issuers` are the service account issuers, which a JWT
/// authenticator may not claim.
fn compile(
    envs: &Environments,
    c: &AuthenticationConfiguration,
    disallowed_issuers: &[String],
) -> Result<Vec<Compiled>, Vec<FieldError>> {
    let root = Path::new("jwt");
    if c.jwt.len() > MAX_JWT_AUTHENTICATORS {
        return Err(vec![field::too_many(&root, c.jwt.len() as i64, MAX_JWT_AUTHENTICATORS as i64)]);
    }
    let mut errs = Vec::new();
    let mut out = Vec::new();
    let mut issuers = HashSet::new();
    let mut discovery_urls = HashSet::new();
    for (i, a) in c.jwt.iter().enumerate() {
        let p = root.index(i);
        let (compiled, e) = compile_authenticator(envs, a, disallowed_issuers, &p);
        errs.extend(e);
        out.extend(compiled);
        if !issuers.insert(a.issuer.url.clone()) {
            errs.push(field::duplicate(&p.child("issuer").child("url"), a.issuer.url.as_str()));
        }
        if !a.issuer.discovery_url.is_empty() && !discovery_urls.insert(a.issuer.discovery_url.clone()) {
            errs.push(field::duplicate(&p.child("issuer").child("discoveryURL"), a.issuer.discovery_url.as_str()));
        }
    }
    if let Some(anon) = &c.anonymous
        && !anon.enabled
        && !anon.conditions.is_empty()
    {
        let conditions: Vec<Value> = anon.conditions.iter().map(|c| json!({"path": c.path})).collect();
        errs.push(field::invalid(
            &Path::new("anonymous").child("conditions"),
            Value::Array(conditions),
            "enabled should be set to true when conditions are defined",
        ));
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

/// Decodes and validates a file's bytes: what `--authentication-config`
/// would be given them.
pub fn validate(
    envs: &Environments,
    data: &[u8],
    disallowed_issuers: &[String],
) -> Result<AuthenticationConfiguration, ConfigError> {
    let c = decode(data)?;
    compile(envs, &c, disallowed_issuers).map_err(ConfigError::Invalid)?;
    Ok(c)
}

// ---------------------------------------------------------------------------
// Keys.

/// A verification key of an issuer.
struct Key {
    kid: Option<String>,
    key: DecodingKey,
    algorithms: Vec<Algorithm>,
}

/// The usable keys of a JWKS (`{"keys": [...]}`); keys of unknown types are
/// skipped, as go-jose does.
fn parse_jwks(jwks: &Value) -> Result<Vec<Key>, String> {
    let set: JwkSet = serde_json::from_value(jwks.clone()).map_err(|e| format!("not a JWKS: {e}"))?;
    let mut keys = Vec::new();
    for jwk in &set.keys {
        let Ok(key) = DecodingKey::from_jwk(jwk) else { continue };
        let by_type: Vec<Algorithm> = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => vec![
                Algorithm::RS256,
                Algorithm::RS384,
                Algorithm::RS512,
                Algorithm::PS256,
                Algorithm::PS384,
                Algorithm::PS512,
            ],
            AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
                EllipticCurve::P256 => vec![Algorithm::ES256],
                EllipticCurve::P384 => vec![Algorithm::ES384],
                _ => continue,
            },
            _ => continue,
        };
        let algorithms = match jwk.common.key_algorithm.and_then(|a| a.to_string().parse::<Algorithm>().ok()) {
            Some(alg) if by_type.contains(&alg) => vec![alg],
            Some(_) => continue,
            None => by_type,
        };
        keys.push(Key { kid: jwk.common.key_id.clone(), key, algorithms });
    }
    if keys.is_empty() {
        return Err("the JWKS has no usable key".into());
    }
    Ok(keys)
}

/// The issuer's JWKS, from its discovery document (`discovery_url`, or
/// `issuer/.well-known/openid-configuration`), over TLS trusting `ca_pem`.
/// Like go-oidc, the document must name the issuer itself.
pub async fn discover_jwks(issuer: &str, discovery_url: &str, ca_pem: &str) -> Result<Value, String> {
    let tls = crate::client::tls_config(ca_pem, None).map_err(|e| format!("the issuer's CA: {e:#}"))?;
    let discovery = if discovery_url.is_empty() {
        format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'))
    } else {
        discovery_url.to_string()
    };
    let (code, body) = crate::client::request(tls.clone(), "GET", &discovery, None, None)
        .await
        .map_err(|e| format!("fetching {discovery}: {e:#}"))?;
    if code != 200 {
        return Err(format!("fetching {discovery}: HTTP {code}"));
    }
    let doc: Value = serde_json::from_slice(&body).map_err(|e| format!("{discovery}: not JSON: {e}"))?;
    if doc["issuer"].as_str() != Some(issuer) {
        return Err(format!(
            "oidc: issuer did not match the issuer returned by provider, expected {issuer:?} got {:?}",
            doc["issuer"].as_str().unwrap_or_default()
        ));
    }
    let jwks_uri = doc["jwks_uri"].as_str().ok_or_else(|| format!("{discovery}: no jwks_uri"))?;
    let (code, body) = crate::client::request(tls, "GET", jwks_uri, None, None)
        .await
        .map_err(|e| format!("fetching {jwks_uri}: {e:#}"))?;
    if code != 200 {
        return Err(format!("fetching {jwks_uri}: HTTP {code}"));
    }
    serde_json::from_slice(&body).map_err(|e| format!("{jwks_uri}: not JSON: {e}"))
}

/// An issuer's current keys and where they came from.
#[derive(Default)]
struct KeyState {
    keys: Option<Arc<Vec<Key>>>,
    /// The local file's bytes the keys were read from.
    file_bytes: Option<Vec<u8>>,
    /// When discovery was last tried.
    fetched_at: Option<Instant>,
}

// ---------------------------------------------------------------------------
// The authenticator.

/// One issuer's authenticator.
pub struct JwtAuthenticator {
    c: Compiled,
    keys: RwLock<KeyState>,
    /// Serialises key refreshes.
    refreshing: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for JwtAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JwtAuthenticator({})", self.c.issuer)
    }
}

fn now_seconds() -> i64 {
    crate::timefmt::Timestamp::now().seconds
}

fn rfc3339(seconds: i64) -> String {
    crate::timefmt::Timestamp { seconds, nanos: 0 }.rfc3339()
}

/// A claim as a string, with upstream's messages.
fn string_claim(claims: &Value, name: &str) -> Result<String, String> {
    match claims.get(name) {
        None => Err("claim not present".into()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!("json: cannot unmarshal {} into Go value of type string", json_type(other))),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A CEL result as a list of strings: a string, a list of strings, or
/// null; empty strings are dropped.
fn string_list(v: &cel::Value) -> Result<Vec<String>, String> {
    const WANT: &str = "expression must return a string or a list of strings";
    match v {
        cel::Value::String(s) => Ok(if s.is_empty() { Vec::new() } else { vec![s.to_string()] }),
        cel::Value::List(items) => {
            let mut out = Vec::new();
            for item in items.iter() {
                match item {
                    cel::Value::String(s) if s.is_empty() => {}
                    cel::Value::String(s) => out.push(s.to_string()),
                    _ => return Err(WANT.into()),
                }
            }
            Ok(out)
        }
        cel::Value::Null => Ok(Vec::new()),
        _ => Err(WANT.into()),
    }
}

impl JwtAuthenticator {
    fn new(c: Compiled) -> Self {
        Self { c, keys: RwLock::new(KeyState::default()), refreshing: tokio::sync::Mutex::new(()) }
    }

    /// The issuer URL tokens must carry as `iss`.
    pub fn issuer(&self) -> &str {
        &self.c.issuer
    }

    /// Whether any mapping or rule is a CEL expression.
    fn uses_cel(&self) -> bool {
        matches!(self.c.username, Mapping::Expression(_))
            || matches!(self.c.groups, Some(Mapping::Expression(_)))
            || matches!(self.c.uid, Some(Mapping::Expression(_)))
            || !self.c.extra.is_empty()
            || !self.c.claim_rules.is_empty()
            || !self.c.user_rules.is_empty()
    }

    /// Loads or refreshes the keys: the local file when it changed, or
    /// discovery when `force` or no keys are known and the last try is
    /// older than the refresh interval.
    async fn refresh_keys(&self, force: bool) -> Result<(), String> {
        let _one = self.refreshing.lock().await;
        if let Some(path) = &self.c.jwks_file {
            let data = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
            if self.keys.read().file_bytes.as_ref() == Some(&data) {
                return Ok(());
            }
            let jwks: Value =
                serde_json::from_slice(&data).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
            let keys = parse_jwks(&jwks).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut state = self.keys.write();
            state.keys = Some(Arc::new(keys));
            state.file_bytes = Some(data);
            return Ok(());
        }
        {
            let state = self.keys.read();
            let recent = state.fetched_at.is_some_and(|t| t.elapsed() < KEY_REFRESH_INTERVAL);
            if recent || (state.keys.is_some() && !force) {
                return Ok(());
            }
        }
        self.keys.write().fetched_at = Some(Instant::now());
        let ca = if self.c.certificate_authority.is_empty() {
            std::fs::read_to_string(SYSTEM_CA_BUNDLE).map_err(|e| format!("reading {SYSTEM_CA_BUNDLE}: {e}"))?
        } else {
            self.c.certificate_authority.clone()
        };
        let jwks = discover_jwks(&self.c.issuer, &self.c.discovery_url, &ca).await?;
        let keys = parse_jwks(&jwks)?;
        self.keys.write().keys = Some(Arc::new(keys));
        Ok(())
    }

    /// Verifies the signature, issuer, expiry, not-before and audience;
    /// the verified claims.
    async fn verify(&self, token: &str) -> Result<Value, String> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|e| format!("oidc: verify token: malformed jwt: {e}"))?;
        if !SIGNING_ALGORITHMS.contains(&header.alg) {
            return Err(format!(
                "oidc: verify token: oidc: id token signed with unsupported algorithm, expected {SIGNING_ALGORITHMS:?} got {:?}",
                header.alg
            ));
        }
        let mut validation = Validation::new(header.alg);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.leeway = 0;
        validation.set_required_spec_claims::<&str>(&[]);
        validation.set_issuer(&[&self.c.issuer]);
        let try_keys = |keys: &[Key]| {
            keys.iter()
                .filter(|k| k.algorithms.contains(&header.alg) && (header.kid.is_none() || k.kid == header.kid))
                .find_map(|k| jsonwebtoken::decode::<Value>(token, &k.key, &validation).ok())
        };
        let keys = self.keys.read().keys.clone();
        let mut verified = keys.as_deref().and_then(|k| try_keys(k));
        if verified.is_none() && self.c.jwks_file.is_none() {
            // An unknown key may be a rotated one: fetch the keys again
            // (at most once per refresh interval).
            if let Err(e) = self.refresh_keys(true).await {
                tracing::warn!(issuer = %self.c.issuer, error = %e, "refreshing the issuer's keys");
            }
            let keys = self.keys.read().keys.clone();
            verified = keys.as_deref().and_then(|k| try_keys(k));
        }
        if self.keys.read().keys.is_none() {
            return Err("oidc: authenticator not initialized".into());
        }
        let claims = verified
            .ok_or_else(|| {
                "oidc: verify token: failed to verify signature: failed to verify id token signature".to_string()
            })?
            .claims;
        let now = now_seconds();
        let exp = claims["exp"].as_f64().map(|e| e as i64).unwrap_or(0);
        if exp < now {
            return Err(format!("oidc: verify token: oidc: token is expired (Token Expiry: {})", rfc3339(exp)));
        }
        if let Some(nbf) = claims["nbf"].as_f64().map(|n| n as i64)
            && now + NOT_BEFORE_LEEWAY < nbf
        {
            return Err(format!(
                "oidc: verify token: oidc: current time {} before the nbf (not before) time: {}",
                rfc3339(now),
                rfc3339(nbf)
            ));
        }
        let aud: Vec<String> = match &claims["aud"] {
            Value::String(a) => vec![a.clone()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            _ => Vec::new(),
        };
        if !aud.iter().any(|a| self.c.audiences.contains(a)) {
            let mut want = self.c.audiences.clone();
            want.sort();
            return Err(format!("oidc: verify token: oidc: expected audience in {want:?} got {aud:?}"));
        }
        Ok(claims)
    }

    /// Claims to user, as upstream orders it: username, groups, uid, extra,
    /// required claims, claim validation rules, user validation rules.
    fn map_claims(&self, envs: &Environments, claims: &Value) -> Result<UserInfo, String> {
        let env = &envs.claims;
        let cel_claims = if self.uses_cel() {
            env.value_of(claims).map_err(|e| format!("oidc: could not convert claims to unstructured: {e}"))?
        } else {
            cel::Value::Null
        };
        let eval = |p: &Program| env.evaluate(p, &[("claims", cel_claims.clone())]);

        let name = match &self.c.username {
            Mapping::Expression(p) => match eval(p) {
                Ok(cel::Value::String(s)) => s.to_string(),
                Ok(_) => {
                    return Err(
                        "oidc: error evaluating username claim expression: username claim expression must return a string"
                            .into(),
                    );
                }
                Err(e) => return Err(format!("oidc: error evaluating username claim expression: {e}")),
            },
            Mapping::Claim { claim, prefix } => {
                let name =
                    string_claim(claims, claim).map_err(|e| format!("oidc: parse username claims {claim:?}: {e}"))?;
                if claim == "email" && claims.get("email_verified").is_some() {
                    match &claims["email_verified"] {
                        Value::Bool(true) => {}
                        Value::Bool(false) => return Err("oidc: email not verified".into()),
                        other => {
                            return Err(format!(
                                "oidc: parse 'email_verified' claim: json: cannot unmarshal {} into Go value of type bool",
                                json_type(other)
                            ));
                        }
                    }
                }
                format!("{prefix}{name}")
            }
        };

        let mut groups: Vec<String> = Vec::new();
        let from_claim = match &self.c.groups {
            Some(Mapping::Claim { claim, prefix }) => match claims.get(claim) {
                Some(Value::String(g)) => {
                    groups.push(format!("{prefix}{g}"));
                    true
                }
                Some(Value::Array(list)) => {
                    for g in list {
                        let g = g.as_str().ok_or_else(|| {
                            format!("oidc: parse groups claim {claim:?}: json: cannot unmarshal array into Go value of type string")
                        })?;
                        groups.push(format!("{prefix}{g}"));
                    }
                    true
                }
                Some(other) => {
                    return Err(format!(
                        "oidc: parse groups claim {claim:?}: json: cannot unmarshal {} into Go value of type string",
                        json_type(other)
                    ));
                }
                None => false,
            },
            _ => false,
        };
        if !from_claim && let Some(Mapping::Expression(p)) = &self.c.groups {
            let v = eval(p).map_err(|e| format!("oidc: error evaluating group claim expression: {e}"))?;
            groups = string_list(&v).map_err(|e| format!("oidc: error evaluating group claim expression: {e}"))?;
        }

        let uid = match &self.c.uid {
            None => String::new(),
            Some(Mapping::Claim { claim, .. }) => {
                string_claim(claims, claim).map_err(|e| format!("oidc: parse uid claim {claim:?}: {e}"))?
            }
            Some(Mapping::Expression(p)) => match eval(p) {
                Ok(cel::Value::String(s)) => s.to_string(),
                Ok(_) => {
                    return Err(
                        "oidc: error evaluating uid claim expression: uid claim expression must return a string".into(),
                    );
                }
                Err(e) => return Err(format!("oidc: error evaluating uid claim expression: {e}")),
            },
        };

        let mut extra = BTreeMap::new();
        for (key, p) in &self.c.extra {
            let v =
                eval(p).map_err(|e| format!("oidc: error evaluating extra claim expression: {}: {e}", p.source()))?;
            let values = string_list(&v)
                .map_err(|e| format!("oidc: error evaluating extra claim expression: {}: {e}", p.source()))?;
            if !values.is_empty() {
                extra.insert(key.clone(), values);
            }
        }

        for (claim, want) in &self.c.required_claims {
            if claims.get(claim).is_none() {
                return Err(format!("oidc: required claim {claim} not present in ID token"));
            }
            let got = string_claim(claims, claim).map_err(|e| format!("oidc: parse claim {claim}: {e}"))?;
            if &got != want {
                // The claim's value is not logged: it may be sensitive.
                return Err(format!("oidc: required claim {claim} value does not match"));
            }
        }

        for (p, message) in &self.c.claim_rules {
            match eval(p) {
                Ok(cel::Value::Bool(true)) => {}
                Ok(cel::Value::Bool(false)) => {
                    return Err(format!(
                        "oidc: error evaluating claim validation expression: validation expression '{}' failed: {message}",
                        p.source()
                    ));
                }
                Ok(_) => {
                    return Err(
                        "oidc: error evaluating claim validation expression: validation expression must return a boolean"
                            .into(),
                    );
                }
                Err(e) => return Err(format!("oidc: error evaluating claim validation expression: {e}")),
            }
        }

        let mut user = UserInfo { name, uid, groups, extra };
        if !self.c.user_rules.is_empty() {
            let user_value = envs
                .user
                .value_of(&json!({"username": user.name, "uid": user.uid, "groups": user.groups, "extra": user.extra}))
                .map_err(|e| format!("oidc: could not convert user info to unstructured: {e}"))?;
            for (p, message) in &self.c.user_rules {
                match envs.user.evaluate(p, &[("user", user_value.clone())]) {
                    Ok(cel::Value::Bool(true)) => {}
                    Ok(cel::Value::Bool(false)) => {
                        return Err(format!(
                            "oidc: error evaluating user info validation rule: validation expression '{}' failed: {message}",
                            p.source()
                        ));
                    }
                    Ok(_) => {
                        return Err(
                            "oidc: error evaluating user info validation rule: validation expression must return a boolean"
                                .into(),
                        );
                    }
                    Err(e) => return Err(format!("oidc: error evaluating user info validation rule: {e}")),
                }
            }
        }
        if !user.groups.iter().any(|g| g == AUTHENTICATED) {
            user.groups.push(AUTHENTICATED.into());
        }
        Ok(user)
    }

    /// The user of `token`, whose `iss` is this issuer.
    async fn authenticate(self: &Arc<Self>, envs: &Arc<Environments>, token: &str) -> Result<UserInfo, String> {
        let claims = self.verify(token).await?;
        if !self.uses_cel() {
            return self.map_claims(envs, &claims);
        }
        let this = self.clone();
        let both = envs.clone();
        match envs.claims.evaluate_bounded(move |_| Ok(this.map_claims(&both, &claims))).await {
            Ok(result) => result,
            Err(e) => Err(format!("oidc: evaluating CEL expressions: {e}")),
        }
    }
}

/// A loaded configuration.
struct Loaded {
    /// The file's bytes.
    data: Vec<u8>,
    jwt: Vec<Arc<JwtAuthenticator>>,
}

/// The authenticators of an `--authentication-config` file, reloaded when
/// it changes.
pub struct StructuredAuthn {
    path: PathBuf,
    disallowed_issuers: Vec<String>,
    envs: Arc<Environments>,
    anonymous: Option<AnonymousConfig>,
    current: RwLock<Arc<Loaded>>,
    /// The bytes last tried (loaded or found invalid), so an invalid file
    /// is reported once, not at every poll.
    tracked: Mutex<Vec<u8>>,
}

impl std::fmt::Debug for StructuredAuthn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StructuredAuthn({})", self.path.display())
    }
}

async fn build(
    envs: &Environments,
    data: &[u8],
    disallowed: &[String],
) -> Result<(AuthenticationConfiguration, Loaded), ConfigError> {
    let c = decode(data)?;
    let compiled = compile(envs, &c, disallowed).map_err(ConfigError::Invalid)?;
    let mut jwt = Vec::new();
    for compiled in compiled {
        let a = Arc::new(JwtAuthenticator::new(compiled));
        // An issuer that cannot be reached now is retried when its tokens
        // arrive; its tokens fail until then, as upstream's do.
        if let Err(e) = a.refresh_keys(false).await {
            tracing::warn!(issuer = %a.c.issuer, error = %e, "the issuer's keys are not available yet");
        }
        jwt.push(a);
    }
    Ok((c, Loaded { data: data.to_vec(), jwt }))
}

fn read(path: &FsPath) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path).map_err(|source| ConfigError::Read { path: path.display().to_string(), source })
}

impl StructuredAuthn {
    /// Loads `path`; an error says what is wrong with the file.
    /// `disallowed_issuers` are the service account issuers.
    pub async fn load(path: &FsPath, disallowed_issuers: Vec<String>) -> Result<Arc<Self>, ConfigError> {
        let envs = environments();
        let data = read(path)?;
        let (c, loaded) = build(&envs, &data, &disallowed_issuers).await?;
        Ok(Arc::new(Self {
            path: path.to_path_buf(),
            disallowed_issuers,
            envs,
            anonymous: c.anonymous,
            tracked: Mutex::new(data),
            current: RwLock::new(Arc::new(loaded)),
        }))
    }

    /// The `anonymous` section, if the file has one (fixed at start).
    pub fn anonymous(&self) -> Option<&AnonymousConfig> {
        self.anonymous.as_ref()
    }

    /// The issuers of the current JWT authenticators.
    pub fn issuers(&self) -> Vec<String> {
        self.current.read().jwt.iter().map(|a| a.c.issuer.clone()).collect()
    }

    /// The user of a JWT; `Ok(None)` when its (unverified) `iss` is no
    /// configured issuer's.
    pub async fn authenticate(&self, token: &str, unverified: &Value) -> Result<Option<UserInfo>, String> {
        let Some(iss) = unverified["iss"].as_str() else { return Ok(None) };
        let Some(a) = self.current.read().jwt.iter().find(|a| a.c.issuer == iss).cloned() else {
            return Ok(None);
        };
        a.authenticate(&self.envs, token).await.map(Some)
    }

    /// Checks the file once: reloads it when it changed and is valid, logs
    /// why not otherwise; refreshes local key files. `Ok(true)` when a new
    /// configuration was taken.
    pub async fn poll(&self) -> Result<bool, ConfigError> {
        let authenticators = self.current.read().jwt.clone();
        for a in authenticators {
            if a.c.jwks_file.is_some()
                && let Err(e) = a.refresh_keys(false).await
            {
                tracing::error!(issuer = %a.c.issuer, error = %e, "reloading the issuer's JWKS file; keeping the previous keys");
            }
        }
        let data = read(&self.path)?;
        if self.current.read().data == data {
            *self.tracked.lock() = data;
            return Ok(false);
        }
        if *self.tracked.lock() == data {
            return Ok(false);
        }
        *self.tracked.lock() = data.clone();
        let (c, loaded) = build(&self.envs, &data, &self.disallowed_issuers).await?;
        if c.anonymous != self.anonymous {
            return Err(ConfigError::Invalid(vec![field::forbidden(
                &Path::new("anonymous"),
                "changed from initial configuration file",
            )]));
        }
        *self.current.write() = Arc::new(loaded);
        Ok(true)
    }

    /// Polls the file every `interval`, for ever.
    pub async fn watch(self: Arc<Self>, interval: Duration) {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match self.poll().await {
                Ok(true) => tracing::info!(path = %self.path.display(), "reloaded authentication config"),
                Ok(false) => {}
                Err(e) => tracing::error!(path = %self.path.display(), error = %e,
                    "failed to reload authentication config; keeping the previous one"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(yaml: &str) -> Vec<String> {
        let envs = environments();
        match validate(&envs, yaml.as_bytes(), &["https://kubernetes.default.svc.cluster.local".into()]) {
            Ok(_) => Vec::new(),
            Err(ConfigError::Invalid(errs)) => errs.iter().map(ToString::to_string).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    const HEAD: &str = "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n";

    fn jwt(body: &str) -> String {
        format!("{HEAD}jwt:\n{body}")
    }

    #[test]
    fn a_good_file_validates_in_every_version() {
        for v in ["v1", "v1beta1", "v1alpha1"] {
            let yaml = format!(
                "apiVersion: apiserver.config.k8s.io/{v}\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://issuer.example\n    audiences: [kubox]\n  claimMappings:\n    username:\n      expression: \"'user:' + claims.sub\"\n    groups:\n      claim: groups\n      prefix: 'oidc:'\n    extra:\n    - key: example.com/team\n      valueExpression: claims.team\n  claimValidationRules:\n  - expression: claims.exp - claims.iat <= 3600\n    message: too long\n  userValidationRules:\n  - expression: \"!user.username.startsWith('system:')\"\n    message: no system users\nanonymous:\n  enabled: true\n  conditions:\n  - path: /livez\n"
            );
            assert_eq!(messages(&yaml), Vec::<String>::new(), "{v}");
        }
    }

    #[test]
    fn decoding_is_strict_and_versioned() {
        assert_eq!(messages(""), ["empty config data"]);
        assert!(messages("apiVersion: v1\nkind: ConfigMap\n")[0].contains("no kind \"ConfigMap\" is registered"));
        assert!(messages(&format!("{HEAD}jwts: []\n"))[0].contains("unknown field `jwts`"));
        assert!(
            messages(&jwt("- issuer:\n    url: https://a\n    audiences: [x]\n    bogus: 1\n  claimMappings:\n    username: {claim: sub, prefix: ''}\n"))[0]
                .contains("unknown field `bogus`")
        );
    }

    #[test]
    fn issuer_errors_carry_upstreams_paths_and_messages() {
        let m = messages(&jwt(
            "- issuer:\n    url: http://u:p@issuer.example/x?q=1#f\n    audiences: []\n  claimMappings:\n    username: {claim: sub, prefix: ''}\n",
        ));
        assert_eq!(
            m,
            [
                "jwt[0].issuer.url: Invalid value: \"http://u:p@issuer.example/x?q=1#f\": URL scheme must be https",
                "jwt[0].issuer.url: Invalid value: \"http://u:p@issuer.example/x?q=1#f\": URL must not contain a username or password",
                "jwt[0].issuer.url: Invalid value: \"http://u:p@issuer.example/x?q=1#f\": URL must not contain a query",
                "jwt[0].issuer.url: Invalid value: \"http://u:p@issuer.example/x?q=1#f\": URL must not contain a fragment",
                "jwt[0].issuer.audiences: Required value: at least one jwt[0].issuer.audiences is required",
            ]
        );
        let m = messages(&jwt(
            "- issuer:\n    url: https://kubernetes.default.svc.cluster.local\n    discoveryURL: https://kubernetes.default.svc.cluster.local/\n    audiences: [a, b, a]\n    certificateAuthority: nope\n  claimMappings:\n    username: {claim: sub, prefix: ''}\n",
        ));
        assert_eq!(
            m,
            [
                "jwt[0].issuer.url: Invalid value: \"https://kubernetes.default.svc.cluster.local\": URL must not overlap with disallowed issuers: [https://kubernetes.default.svc.cluster.local]",
                "jwt[0].issuer.discoveryURL: Invalid value: \"https://kubernetes.default.svc.cluster.local/\": discoveryURL must be different from URL",
                "jwt[0].issuer.audiences[2]: Duplicate value: \"a\"",
                "jwt[0].issuer.audienceMatchPolicy: Invalid value: \"\": audienceMatchPolicy must be MatchAny for multiple audiences",
                "jwt[0].issuer.certificateAuthority: Invalid value: \"<omitted>\": data does not contain any valid RSA or ECDSA certificates",
            ]
        );
        let m = messages(&jwt(
            "- issuer:\n    url: https://a\n    audiences: [x]\n    kuboxJWKSFile: relative.json\n  claimMappings:\n    username: {claim: sub, prefix: ''}\n",
        ));
        assert_eq!(m[0], "jwt[0].issuer.kuboxJWKSFile: Invalid value: \"relative.json\": must be an absolute path");
        assert!(
            m[1].starts_with("jwt[0].issuer.kuboxJWKSFile: Invalid value: \"relative.json\": reading the file: "),
            "{m:?}"
        );
        let two = "- issuer:\n    url: https://same\n    audiences: [x]\n  claimMappings:\n    username: {claim: sub, prefix: ''}\n";
        assert_eq!(messages(&jwt(&format!("{two}{two}"))), ["jwt[1].issuer.url: Duplicate value: \"https://same\""]);
    }

    #[test]
    fn mapping_and_rule_errors_carry_upstreams_messages() {
        let issuer = "- issuer:\n    url: https://issuer.example\n    audiences: [x]\n";
        let m = messages(&jwt(&format!("{issuer}  claimMappings:\n    username: {{claim: sub}}\n")));
        assert_eq!(
            m,
            [
                "jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing"
            ]
        );
        let m = messages(&jwt(&format!("{issuer}  claimMappings:\n    username: {{}}\n")));
        assert_eq!(m, ["jwt[0].claimMappings.username: Required value: claim or expression is required"]);
        let m = messages(&jwt(&format!(
            "{issuer}  claimMappings:\n    username: {{claim: sub, expression: claims.sub}}\n    groups: {{expression: claims.g, prefix: x}}\n    uid: {{claim: a, expression: claims.b}}\n"
        )));
        assert_eq!(
            m,
            [
                "jwt[0].claimMappings.username: Invalid value: \"\": claim and expression can't both be set",
                "jwt[0].claimMappings.groups.prefix: Invalid value: \"x\": may not be specified when expression is set",
                "jwt[0].claimMappings.uid: Invalid value: \"\": claim and expression can't both be set",
            ]
        );
        let m = messages(&jwt(&format!(
            "{issuer}  claimMappings:\n    username: {{expression: claims.email}}\n    extra:\n    - key: Example.com/x\n      valueExpression: claims.x\n    - key: kubernetes.io/x\n      valueExpression: claims.x\n    - key: nodomain\n      valueExpression: claims.x\n    - key: a.io/y\n"
        )));
        assert_eq!(
            m,
            [
                "jwt[0].claimMappings.extra[0].key: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "jwt[0].claimMappings.extra[0].key: Invalid value: \"Example.com/x\": must be lowercase",
                "jwt[0].claimMappings.extra[1].key: Invalid value: \"kubernetes.io/x\": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use",
                "jwt[0].claimMappings.extra[2].key: Invalid value: \"nodomain\": must be a domain-prefixed path (such as \"acme.io/foo\")",
                "jwt[0].claimMappings.extra[3].valueExpression: Required value",
                "jwt[0].claimMappings.username.expression: Invalid value: \"claims.email\": claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression",
            ]
        );
        let m = messages(&jwt(&format!(
            "{issuer}  claimMappings:\n    username: {{expression: 'claims.sub +'}}\n  claimValidationRules:\n  - {{claim: a, expression: claims.a}}\n  - {{}}\n  - {{claim: hd, requiredValue: x, message: m}}\n  - {{expression: claims.x, requiredValue: v1}}\n  - {{expression: claims.x}}\n  userValidationRules:\n  - {{expression: ''}}\n  - {{expression: 'claims.sub == \"\"'}}\n"
        )));
        assert_eq!(
            m[0],
            "jwt[0].claimValidationRules[0]: Invalid value: \"a\": claim and expression can't both be set"
        );
        assert_eq!(m[1], "jwt[0].claimValidationRules[1]: Required value: claim or expression is required");
        assert_eq!(
            m[2],
            "jwt[0].claimValidationRules[2].message: Invalid value: \"m\": may not be specified when claim is set"
        );
        assert_eq!(
            m[3],
            "jwt[0].claimValidationRules[3].requiredValue: Invalid value: \"v1\": may not be specified when expression is set"
        );
        assert_eq!(m[4], "jwt[0].claimValidationRules[4].expression: Duplicate value: \"claims.x\"");
        assert!(m[5].starts_with("jwt[0].claimMappings.username.expression: Invalid value: \"claims.sub +\": compilation failed: ERROR: <input>:1:"), "{}", m[5]);
        assert_eq!(m[6], "jwt[0].userValidationRules[0].expression: Required value");
        // User validation rules see `user`, not `claims`.
        assert_eq!(
            m[7],
            "jwt[0].userValidationRules[1].expression: Invalid value: \"claims.sub == \\\"\\\"\": compilation failed: undeclared reference to 'claims'"
        );
        assert_eq!(m.len(), 8, "{m:#?}");
        let m = messages(&format!("{HEAD}anonymous:\n  enabled: false\n  conditions:\n  - path: /livez\n"));
        assert_eq!(
            m,
            [
                "anonymous.conditions: Invalid value: [{\"path\":\"/livez\"}]: enabled should be set to true when conditions are defined"
            ]
        );
    }

    #[test]
    fn anonymous_conditions_match_paths_exactly() {
        let a = AnonymousConfig { enabled: true, conditions: vec![AnonymousCondition { path: "/livez".into() }] };
        assert!(a.allows("/livez"));
        assert!(!a.allows("/livez/ping"));
        assert!(!a.allows("/api"));
        assert!(AnonymousConfig { enabled: true, conditions: vec![] }.allows("/api"));
        assert!(!AnonymousConfig::default().allows("/livez"));
    }

    struct Issuer {
        key: jsonwebtoken::EncodingKey,
        dir: tempfile::TempDir,
    }

    impl Issuer {
        fn new() -> Self {
            let kp = rcgen::KeyPair::generate().unwrap();
            let key = jsonwebtoken::EncodingKey::from_ec_pem(kp.serialize_pem().as_bytes()).unwrap();
            let mut jwk = jsonwebtoken::jwk::Jwk::from_encoding_key(&key, Algorithm::ES256).unwrap();
            jwk.common.key_id = Some("k1".into());
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("jwks.json"), json!({"keys": [jwk]}).to_string()).unwrap();
            Self { key, dir }
        }

        fn jwks(&self) -> String {
            self.dir.path().join("jwks.json").display().to_string()
        }

        fn token(&self, claims: &Value) -> (String, Value) {
            let header = jsonwebtoken::Header { kid: Some("k1".into()), ..jsonwebtoken::Header::new(Algorithm::ES256) };
            (jsonwebtoken::encode(&header, claims, &self.key).unwrap(), claims.clone())
        }

        fn config(&self, mappings: &str) -> PathBuf {
            let path = self.dir.path().join("authn.yaml");
            std::fs::write(
                &path,
                format!(
                    "{HEAD}jwt:\n- issuer:\n    url: https://issuer.example\n    audiences: [kubox, other]\n    audienceMatchPolicy: MatchAny\n    kuboxJWKSFile: {}\n{mappings}",
                    self.jwks()
                ),
            )
            .unwrap();
            path
        }
    }

    #[tokio::test]
    async fn tokens_map_to_users_through_claims_and_cel() {
        let issuer = Issuer::new();
        let path = issuer.config(
            "  claimMappings:\n    username:\n      expression: \"'user:' + claims.sub\"\n    groups:\n      claim: groups\n      prefix: 'oidc:'\n    uid:\n      expression: claims.sub + '-uid'\n    extra:\n    - key: example.com/team\n      valueExpression: claims.team\n    - key: example.com/none\n      valueExpression: \"''\"\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  - expression: \"claims.sub != 'banned'\"\n    message: banned user\n  userValidationRules:\n  - expression: \"!user.username.startsWith('user:system')\"\n    message: no system users\n",
        );
        let authn = StructuredAuthn::load(&path, vec![]).await.unwrap();
        let now = now_seconds();
        let good = json!({"iss": "https://issuer.example", "aud": ["other"], "sub": "u1", "exp": now + 60,
                          "groups": ["dev", "ops"], "team": ["a", "b"], "hd": "example.com"});
        let (t, c) = issuer.token(&good);
        let user = authn.authenticate(&t, &c).await.unwrap().unwrap();
        assert_eq!(user.name, "user:u1");
        assert_eq!(user.uid, "u1-uid");
        assert_eq!(user.groups, ["oidc:dev", "oidc:ops", AUTHENTICATED]);
        assert_eq!(
            user.extra,
            BTreeMap::from([("example.com/team".to_string(), vec!["a".to_string(), "b".to_string()])])
        );

        let refused = |patch: Value| {
            let mut claims = good.clone();
            for (k, v) in patch.as_object().unwrap() {
                if v.is_null() {
                    claims.as_object_mut().unwrap().remove(k);
                } else {
                    claims[k] = v.clone();
                }
            }
            issuer.token(&claims)
        };
        for (patch, want) in [
            (json!({"sub": "banned"}), "validation expression 'claims.sub != 'banned'' failed: banned user"),
            (json!({"sub": "system:x"}), "user info validation rule: validation expression"),
            (json!({"hd": "evil.com"}), "oidc: required claim hd value does not match"),
            (json!({"hd": null}), "oidc: required claim hd not present in ID token"),
            (json!({"aud": "elsewhere"}), "expected audience in [\"kubox\", \"other\"]"),
            (json!({"exp": now - 1}), "oidc: token is expired"),
            (json!({"exp": null}), "oidc: token is expired"),
            (json!({"nbf": now + 600}), "before the nbf (not before) time"),
            (json!({"sub": 5}), "oidc: error evaluating username claim expression"),
        ] {
            let (t, c) = refused(patch.clone());
            let err = authn.authenticate(&t, &c).await.unwrap_err();
            assert!(err.contains(want), "{patch}: {err}");
        }
        // Within the not-before leeway.
        let (t, c) = refused(json!({"nbf": now + 60}));
        assert!(authn.authenticate(&t, &c).await.is_ok());
        // Another issuer is not this authenticator's to judge.
        let (t, c) = refused(json!({"iss": "https://elsewhere"}));
        assert_eq!(authn.authenticate(&t, &c).await, Ok(None));
        // A forged signature.
        let forger = Issuer::new();
        let (t, c) = forger.token(&good);
        assert!(authn.authenticate(&t, &c).await.unwrap_err().contains("failed to verify signature"));

        // A valid change is taken; an invalid one is reported and the
        // previous configuration stays.
        assert!(!authn.poll().await.unwrap());
        issuer.config("  claimMappings:\n    username:\n      claim: sub\n      prefix: 'p:'\n");
        assert!(authn.poll().await.unwrap());
        let (t, c) = issuer.token(&good);
        assert_eq!(authn.authenticate(&t, &c).await.unwrap().unwrap().name, "p:u1");
        issuer.config("  claimMappings:\n    username:\n      claim: sub\n");
        assert!(matches!(authn.poll().await, Err(ConfigError::Invalid(_))));
        // Reported once, then left alone until the file changes again.
        assert!(!authn.poll().await.unwrap());
        assert_eq!(authn.authenticate(&t, &c).await.unwrap().unwrap().name, "p:u1");
        // The anonymous section may not change.
        std::fs::write(
            &path,
            format!(
                "{}anonymous:\n  enabled: true\n",
                std::fs::read_to_string(&path).unwrap().replace("claim: sub\n", "claim: sub\n      prefix: ''\n")
            ),
        )
        .unwrap();
        assert!(
            authn
                .poll()
                .await
                .unwrap_err()
                .to_string()
                .contains("anonymous: Forbidden: changed from initial configuration file")
        );
    }

    #[tokio::test]
    async fn email_usernames_need_a_verified_email() {
        let issuer = Issuer::new();
        let path = issuer.config("  claimMappings:\n    username:\n      claim: email\n      prefix: ''\n");
        let authn = StructuredAuthn::load(&path, vec![]).await.unwrap();
        let now = now_seconds();
        let claims =
            json!({"iss": "https://issuer.example", "aud": "kubox", "exp": now + 60, "email": "a@example.com"});
        let (t, c) = issuer.token(&claims);
        assert_eq!(authn.authenticate(&t, &c).await.unwrap().unwrap().name, "a@example.com");
        let mut unverified = claims.clone();
        unverified["email_verified"] = json!(false);
        let (t, c) = issuer.token(&unverified);
        assert_eq!(authn.authenticate(&t, &c).await.unwrap_err(), "oidc: email not verified");
    }
}
