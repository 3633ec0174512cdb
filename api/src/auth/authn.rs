//! The authenticators, tried in kube-apiserver's order: a verified client
//! certificate, then a bearer token (the static token file, bootstrap
//! tokens, service account JWTs), then anonymous.
//!
//! A request that presents a bearer token no authenticator accepts is
//! refused (401) even when anonymous requests are allowed, as upstream's
//! `FailOnError` union does. Tokens from the token file are looked up by
//! their SHA-256 digest, and bootstrap token secrets are compared in constant
//! time, so response times do not leak how much of a token matched.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rcgen::PublicKeyData;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use x509_parser::prelude::FromDer;

use super::{ANONYMOUS, AUTHENTICATED, UNAUTHENTICATED, UserInfo};
use crate::registry::{ReadAt, Registry};

/// The default service account issuer (what kubeadm configures).
pub const DEFAULT_ISSUER: &str = "https://kubernetes.default.svc.cluster.local";
/// The issuer of legacy Secret-based service account tokens.
const LEGACY_ISSUER: &str = "kubernetes/serviceaccount";
/// The extra key naming the credential (a token's `jti`).
const CREDENTIAL_ID: &str = "authentication.kubernetes.io/credential-id";

/// The identity of a verified client certificate: CN is the user, each O a
/// group, plus system:authenticated.
pub fn user_from_certificate(der: &[u8]) -> Option<UserInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let subject = cert.subject();
    let name = subject.iter_common_name().next()?.as_str().ok()?.to_string();
    let mut groups: Vec<String> =
        subject.iter_organization().filter_map(|o| o.as_str().ok().map(str::to_string)).collect();
    groups.push(AUTHENTICATED.into());
    Some(UserInfo { name, groups, ..UserInfo::default() })
}

/// A verified TLS client certificate, sorted by the CA that signed it.
#[derive(Clone, Debug)]
pub enum PeerCertificate {
    /// From a client CA: the certificate's user.
    User(UserInfo),
    /// From the request-header CA: an authenticating proxy, by CN.
    Proxy(String),
}

/// Sorts client certificates: kube-apiserver verifies a certificate against
/// the client CAs for the x509 authenticator and, separately, against
/// `--requestheader-client-ca-file` for the request-header one, so a proxy's
/// certificate is never taken for a user's.
pub struct CertificateAuthenticator {
    client: Arc<dyn rustls::server::danger::ClientCertVerifier>,
    proxy: Option<Arc<dyn rustls::server::danger::ClientCertVerifier>>,
}

impl CertificateAuthenticator {
    /// Verifies with `client` (client CAs) and `proxy` (request-header CA).
    pub fn new(
        client: Arc<dyn rustls::server::danger::ClientCertVerifier>,
        proxy: Option<Arc<dyn rustls::server::danger::ClientCertVerifier>>,
    ) -> Self {
        Self { client, proxy }
    }

    /// What the handshake's chain (leaf first) is.
    pub fn classify(&self, chain: &[rustls::pki_types::CertificateDer<'static>]) -> Option<PeerCertificate> {
        let (leaf, intermediates) = chain.split_first()?;
        let now = rustls::pki_types::UnixTime::now();
        if self.client.verify_client_cert(leaf, intermediates, now).is_ok() {
            return user_from_certificate(leaf).map(PeerCertificate::User);
        }
        let proxy = self.proxy.as_ref()?;
        proxy.verify_client_cert(leaf, intermediates, now).ok()?;
        let (_, cert) = x509_parser::parse_x509_certificate(leaf).ok()?;
        let cn = cert.subject().iter_common_name().next()?.as_str().ok()?.to_string();
        Some(PeerCertificate::Proxy(cn))
    }
}

/// The authenticating proxy's headers (`--requestheader-*`).
#[derive(Clone, Debug, Default)]
pub struct RequestHeaders {
    /// Proxy certificate CNs allowed; empty allows any from the CA.
    pub allowed_names: Vec<String>,
    /// Headers naming the user, first non-empty wins.
    pub username: Vec<String>,
    /// Headers naming groups (every value of each).
    pub group: Vec<String>,
    /// Prefixes of headers carrying extra attributes.
    pub extra_prefixes: Vec<String>,
}

impl RequestHeaders {
    /// The user the proxy `cn` asserts in `headers`, if it may and does.
    fn user(&self, cn: &str, headers: &http::HeaderMap) -> Option<UserInfo> {
        if !self.allowed_names.is_empty() && !self.allowed_names.iter().any(|n| n == cn) {
            return None;
        }
        let name = self
            .username
            .iter()
            .find_map(|h| headers.get(h.as_str()).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()))?
            .to_string();
        let mut groups: Vec<String> = self
            .group
            .iter()
            .flat_map(|h| headers.get_all(h.as_str()).iter())
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect();
        groups.push(AUTHENTICATED.into());
        let mut extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in headers {
            for prefix in &self.extra_prefixes {
                if let Some(key) = k.as_str().strip_prefix(&prefix.to_ascii_lowercase())
                    && let Ok(v) = v.to_str()
                {
                    extra.entry(super::gate::percent_decode(key)).or_default().push(v.to_string());
                }
            }
        }
        Some(UserInfo { name, uid: String::new(), groups, extra })
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Compares without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `--token-auth-file`: CSV lines `token,user,uid[,"group1,group2"]`.
#[derive(Default)]
pub struct TokenFile {
    users: HashMap<[u8; 32], UserInfo>,
}

impl std::fmt::Debug for TokenFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenFile({} tokens)", self.users.len())
    }
}

impl TokenFile {
    /// Reads the file; a malformed line is an error naming it.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn parse(text: &str) -> Result<Self, String> {
        let mut users = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let fields = csv_fields(line);
            if fields.len() < 3 {
                return Err(format!("line {}: token file records need at least 3 fields (token,user,uid)", n + 1));
            }
            if fields[0].is_empty() {
                continue;
            }
            let mut groups: Vec<String> = fields
                .get(3)
                .map(|g| g.split(',').map(str::trim).filter(|g| !g.is_empty()).map(str::to_string).collect())
                .unwrap_or_default();
            groups.push(AUTHENTICATED.into());
            let user = UserInfo { name: fields[1].clone(), uid: fields[2].clone(), groups, ..UserInfo::default() };
            if users.insert(digest(&fields[0]), user).is_some() {
                tracing::warn!(line = n + 1, "duplicate token in the token file; the last one wins");
            }
        }
        Ok(Self { users })
    }

    fn lookup(&self, token: &str) -> Option<UserInfo> {
        self.users.get(&digest(token)).cloned()
    }
}

/// Splits one CSV line, honouring double quotes (`""` is a quote).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The object a bound token is tied to.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct BoundRef {
    /// Its name.
    pub name: String,
    /// Its uid.
    pub uid: String,
}

/// The `kubernetes.io` claim of a bound service account token.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct KubernetesClaim {
    /// The service account's namespace.
    pub namespace: String,
    /// The service account.
    pub serviceaccount: BoundRef,
    /// The pod it is bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<BoundRef>,
    /// The secret it is bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<BoundRef>,
    /// The node it is bound to (or that the pod runs on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<BoundRef>,
    /// Seconds after which the kubelet should refresh it, when projected.
    #[serde(default, rename = "warnafter", skip_serializing_if = "Option::is_none")]
    pub warn_after: Option<i64>,
}

/// The claims of a bound service account token, as kube-apiserver signs them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Claims {
    /// Audiences.
    pub aud: Vec<String>,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// Issuer.
    pub iss: String,
    /// Token id.
    #[serde(default)]
    pub jti: String,
    /// The Kubernetes claim.
    #[serde(rename = "kubernetes.io")]
    pub kubernetes: KubernetesClaim,
    /// Not before.
    pub nbf: i64,
    /// `system:serviceaccount:NS:NAME`.
    pub sub: String,
}

/// The claims of a legacy Secret-based token.
#[derive(Debug, Deserialize)]
struct LegacyClaims {
    iss: String,
    sub: String,
    #[serde(rename = "kubernetes.io/serviceaccount/namespace")]
    namespace: String,
    #[serde(rename = "kubernetes.io/serviceaccount/secret.name")]
    secret: String,
    #[serde(rename = "kubernetes.io/serviceaccount/service-account.name")]
    name: String,
    #[serde(rename = "kubernetes.io/serviceaccount/service-account.uid")]
    uid: String,
}

/// A key that verifies tokens.
struct VerifyKey {
    kid: String,
    key: DecodingKey,
    algorithms: Vec<Algorithm>,
}

/// Service account token signing and verification.
pub struct ServiceAccountTokens {
    issuers: Vec<String>,
    audiences: Vec<String>,
    signing: EncodingKey,
    signing_kid: String,
    keys: Vec<VerifyKey>,
    jwks: Value,
}

/// Where the key files are, and the issuer settings.
#[derive(Clone, Debug, Default)]
pub struct ServiceAccountOptions {
    /// `--service-account-issuer` (the first signs; all are accepted).
    pub issuers: Vec<String>,
    /// `--api-audiences` (default: the first issuer).
    pub audiences: Vec<String>,
    /// `--service-account-signing-key-file` (an EC P-256 private key, PEM;
    /// kubox's PKI generates the default one).
    pub signing_key_file: PathBuf,
    /// `--service-account-key-file` (public or private keys, PEM; default:
    /// the signing key).
    pub key_files: Vec<PathBuf>,
}

/// The base64url SHA-256 of a DER SubjectPublicKeyInfo, as kube-apiserver
/// names its keys.
fn key_id(spki_der: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(spki_der))
}

/// The verifying keys of one PEM file: every PUBLIC KEY, RSA PUBLIC KEY,
/// CERTIFICATE or private key block in it.
fn verify_keys(path: &Path) -> Result<Vec<(VerifyKey, Value)>, String> {
    let pem = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for block in x509_parser::pem::Pem::iter_from_buffer(&pem) {
        let block = block.map_err(|e| format!("{}: {e}", path.display()))?;
        let spki = match block.label.as_str() {
            "PUBLIC KEY" => block.contents.clone(),
            "CERTIFICATE" => {
                let (_, cert) = x509_parser::parse_x509_certificate(&block.contents)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                cert.tbs_certificate.subject_pki.raw.to_vec()
            }
            "PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY" => {
                let text = String::from_utf8_lossy(&pem).to_string();
                let kp = rcgen::KeyPair::from_pem(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                kp.subject_public_key_info()
            }
            _ => continue,
        };
        let public_pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(&spki)
        );
        let (key, algorithms) = if let Ok(k) = DecodingKey::from_ec_pem(public_pem.as_bytes()) {
            (k, vec![Algorithm::ES256, Algorithm::ES384])
        } else if let Ok(k) = DecodingKey::from_rsa_pem(public_pem.as_bytes()) {
            (k, vec![Algorithm::RS256, Algorithm::RS384, Algorithm::RS512])
        } else {
            return Err(format!("{}: a {} block that is neither an EC nor an RSA key", path.display(), block.label));
        };
        let kid = key_id(&spki);
        let jwk = jwk_of(&spki, &kid, algorithms[0]);
        out.push((VerifyKey { kid, key, algorithms }, jwk));
    }
    if out.is_empty() {
        return Err(format!("{}: no public key found", path.display()));
    }
    Ok(out)
}

/// The JWK of a public key (a DER SubjectPublicKeyInfo), for
/// `/openid/v1/jwks`.
fn jwk_of(spki: &[u8], kid: &str, alg: Algorithm) -> Value {
    use x509_parser::public_key::PublicKey;
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let Ok((_, info)) = x509_parser::x509::SubjectPublicKeyInfo::from_der(spki) else {
        return json!({"use": "sig", "kid": kid, "alg": format!("{alg:?}")});
    };
    match info.parsed().ok() {
        Some(PublicKey::RSA(rsa)) => {
            let trim = |b: &[u8]| b.iter().position(|&x| x != 0).map_or(Vec::new(), |i| b[i..].to_vec());
            json!({"use": "sig", "kty": "RSA", "kid": kid, "alg": format!("{alg:?}"),
                   "n": b64(&trim(rsa.modulus)), "e": b64(&trim(rsa.exponent))})
        }
        Some(PublicKey::EC(point)) => {
            let data = point.data();
            let half = data.len().saturating_sub(1) / 2;
            let crv = if half == 48 { "P-384" } else { "P-256" };
            let (x, y) = if data.first() == Some(&4) && half > 0 {
                (&data[1..1 + half], &data[1 + half..])
            } else {
                (&data[..0], &data[..0])
            };
            json!({"use": "sig", "kty": "EC", "kid": kid, "crv": crv, "alg": format!("{alg:?}"), "x": b64(x), "y": b64(y)})
        }
        _ => json!({"use": "sig", "kid": kid, "alg": format!("{alg:?}")}),
    }
}

impl ServiceAccountTokens {
    /// Loads the keys.
    pub fn load(options: &ServiceAccountOptions) -> Result<Self, String> {
        let path = &options.signing_key_file;
        let pem = std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let signing = EncodingKey::from_ec_pem(pem.as_bytes()).map_err(|e| {
            format!("{}: the service account signing key must be an EC P-256 private key: {e}", path.display())
        })?;
        let kp = rcgen::KeyPair::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))?;
        let signing_kid = key_id(&kp.subject_public_key_info());
        let files = if options.key_files.is_empty() { vec![path.clone()] } else { options.key_files.clone() };
        let mut keys = Vec::new();
        let mut jwks = Vec::new();
        for f in &files {
            for (k, jwk) in verify_keys(f)? {
                keys.push(k);
                jwks.push(jwk);
            }
        }
        if !keys.iter().any(|k| k.kid == signing_kid) {
            return Err(format!(
                "the service account signing key {} is not among the verification keys (--service-account-key-file)",
                path.display()
            ));
        }
        let issuers =
            if options.issuers.is_empty() { vec![DEFAULT_ISSUER.to_string()] } else { options.issuers.clone() };
        let audiences = if options.audiences.is_empty() { vec![issuers[0].clone()] } else { options.audiences.clone() };
        Ok(Self { issuers, audiences, signing, signing_kid, keys, jwks: json!({"keys": jwks}) })
    }

    /// The issuer new tokens carry.
    pub fn issuer(&self) -> &str {
        &self.issuers[0]
    }

    /// The audiences a token without its own gets, and that the API accepts.
    pub fn audiences(&self) -> &[String] {
        &self.audiences
    }

    /// `/openid/v1/jwks`.
    pub fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// `/.well-known/openid-configuration`.
    pub fn openid_configuration(&self) -> Value {
        json!({
            "issuer": self.issuer(),
            "jwks_uri": format!("{}/openid/v1/jwks", self.issuer().trim_end_matches('/')),
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
        })
    }

    /// Signs `claims`.
    pub fn sign(&self, claims: &Claims) -> Result<String, String> {
        let header = Header { kid: Some(self.signing_kid.clone()), ..Header::new(Algorithm::ES256) };
        jsonwebtoken::encode(&header, claims, &self.signing).map_err(|e| format!("signing a token: {e}"))
    }

    /// Verifies a token's signature and times. `Ok(None)`: not a token of
    /// this issuer (another authenticator may know it).
    fn verify(&self, token: &str) -> Result<Option<Verified>, String> {
        let Some(unverified) = unverified_claims(token) else { return Ok(None) };
        let iss = unverified["iss"].as_str().unwrap_or_default();
        let legacy = iss == LEGACY_ISSUER;
        if !legacy && !self.issuers.iter().any(|i| i == iss) {
            return Ok(None);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| "invalid bearer token".to_string())?;
        let candidates = self.keys.iter().filter(|k| header.kid.as_ref().is_none_or(|kid| *kid == k.kid));
        for key in candidates {
            if !key.algorithms.contains(&header.alg) {
                continue;
            }
            let mut v = Validation::new(header.alg);
            v.leeway = 0;
            if legacy {
                v.validate_exp = false;
                v.required_spec_claims.clear();
                v.validate_aud = false;
                v.set_issuer(&[LEGACY_ISSUER]);
                if let Ok(data) = jsonwebtoken::decode::<LegacyClaims>(token, &key.key, &v) {
                    return Ok(Some(Verified::Legacy(data.claims)));
                }
                continue;
            }
            v.validate_nbf = true;
            v.set_issuer(&self.issuers);
            v.set_audience(&self.audiences);
            v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
            match jsonwebtoken::decode::<Claims>(token, &key.key, &v) {
                Ok(data) => return Ok(Some(Verified::Bound(Box::new(data.claims)))),
                Err(e) => {
                    use jsonwebtoken::errors::ErrorKind;
                    match e.kind() {
                        ErrorKind::ExpiredSignature => return Err("Token has expired.".into()),
                        ErrorKind::ImmatureSignature => return Err("Token is not yet valid.".into()),
                        ErrorKind::InvalidAudience => return Err("Token audiences are invalid".into()),
                        _ => continue,
                    }
                }
            }
        }
        Err("invalid bearer token".into())
    }
}

/// A JWT's payload, before any check (to route it to its issuer).
fn unverified_claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&raw).ok()
}

enum Verified {
    Bound(Box<Claims>),
    Legacy(LegacyClaims),
}

/// What the authenticators are configured with.
#[derive(Default)]
pub struct AuthnOptions {
    /// `--token-auth-file`.
    pub token_file: Option<TokenFile>,
    /// `--anonymous-auth`.
    pub anonymous: bool,
    /// `--enable-bootstrap-token-auth`.
    pub bootstrap_tokens: bool,
    /// Service account tokens.
    pub service_accounts: Option<Arc<ServiceAccountTokens>>,
    /// The authenticating proxy's headers, when a request-header CA is set.
    pub request_headers: Option<RequestHeaders>,
    /// OpenID Connect ID tokens.
    pub oidc: Option<super::oidc::Oidc>,
    /// The JWT authenticators (and anonymous settings) of
    /// `--authentication-config`.
    pub structured: Option<Arc<super::authn_config::StructuredAuthn>>,
    /// The token webhook, asked last.
    pub webhook: Option<super::webhook::TokenWebhook>,
}

/// The authenticator chain.
pub struct Authenticator {
    options: AuthnOptions,
    registry: Arc<Registry>,
}

/// The user of a service account.
pub fn service_account_user(namespace: &str, name: &str, uid: &str) -> UserInfo {
    UserInfo {
        name: format!("system:serviceaccount:{namespace}:{name}"),
        uid: uid.to_string(),
        groups: vec![
            "system:serviceaccounts".into(),
            format!("system:serviceaccounts:{namespace}"),
            AUTHENTICATED.into(),
        ],
        extra: BTreeMap::new(),
    }
}

impl Authenticator {
    /// The chain over `registry` (where service accounts, pods and secrets
    /// are looked up).
    pub fn new(options: AuthnOptions, registry: Arc<Registry>) -> Self {
        Self { options, registry }
    }

    /// Service account tokens, when configured.
    pub fn service_accounts(&self) -> Option<&Arc<ServiceAccountTokens>> {
        self.options.service_accounts.as_ref()
    }

    /// Who the request for `path` is: `certificate` is the verified client
    /// certificate (a user's, or an authenticating proxy's whose headers
    /// name the user), then the Authorization header, then anonymous (for
    /// the paths the authentication configuration's conditions allow, when
    /// it has an `anonymous` section). `Err` is a 401 with the reason to log
    /// (never the token).
    pub async fn authenticate(
        &self,
        certificate: Option<&PeerCertificate>,
        headers: &http::HeaderMap,
        path: &str,
    ) -> Result<UserInfo, String> {
        match certificate {
            Some(PeerCertificate::Proxy(cn)) => {
                if let Some(user) = self.options.request_headers.as_ref().and_then(|r| r.user(cn, headers)) {
                    return Ok(user);
                }
            }
            Some(PeerCertificate::User(user)) => return Ok(user.clone()),
            None => {}
        }
        let authorization = headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let token = authorization.and_then(|h| {
            let (scheme, rest) = h.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
        let anonymous = match self.options.structured.as_ref().and_then(|s| s.anonymous()) {
            Some(config) => config.allows(path),
            None => self.options.anonymous,
        };
        match token {
            Some(token) if !token.is_empty() => self.authenticate_token(token).await,
            _ if anonymous => {
                Ok(UserInfo { name: ANONYMOUS.into(), groups: vec![UNAUTHENTICATED.into()], ..UserInfo::default() })
            }
            _ => Err("no credentials".into()),
        }
    }

    /// A bearer token: the token file, bootstrap tokens, then service
    /// account JWTs.
    pub async fn authenticate_token(&self, token: &str) -> Result<UserInfo, String> {
        if let Some(user) = self.options.token_file.as_ref().and_then(|f| f.lookup(token)) {
            return Ok(user);
        }
        if self.options.bootstrap_tokens
            && let Some(user) = self.bootstrap_token(token).await?
        {
            return Ok(user);
        }
        if let Some(sa) = &self.options.service_accounts {
            match sa.verify(token)? {
                Some(Verified::Bound(claims)) => return self.bound_token_user(&claims).await,
                Some(Verified::Legacy(claims)) => return self.legacy_token_user(token, &claims).await,
                None => {}
            }
        }
        if let Some(oidc) = &self.options.oidc
            && let Some(claims) = unverified_claims(token)
            && let Some(user) = oidc.authenticate(token, &claims)?
        {
            return Ok(user);
        }
        if let Some(structured) = &self.options.structured
            && let Some(claims) = unverified_claims(token)
            && let Some(user) = structured.authenticate(token, &claims).await?
        {
            return Ok(user);
        }
        if let Some(webhook) = &self.options.webhook
            && let Some(user) = webhook.authenticate(token).await?
        {
            return Ok(user);
        }
        Err("invalid bearer token".into())
    }

    async fn object(&self, resource: &str, namespace: &str, name: &str) -> Option<Value> {
        let spec = self.registry.catalog().get("", "v1", resource)?.clone();
        let o = self.registry.get(&spec, namespace, name, ReadAt::Any).await.ok()?;
        o.value().ok()
    }

    async fn bound_token_user(&self, claims: &Claims) -> Result<UserInfo, String> {
        let k = &claims.kubernetes;
        let sa = self
            .object("serviceaccounts", &k.namespace, &k.serviceaccount.name)
            .await
            .ok_or_else(|| format!("service account {}/{} has been deleted", k.namespace, k.serviceaccount.name))?;
        let uid = sa["metadata"]["uid"].as_str().unwrap_or_default();
        if uid != k.serviceaccount.uid {
            return Err(format!("service account UID ({uid}) does not match claim ({})", k.serviceaccount.uid));
        }
        let mut user = service_account_user(&k.namespace, &k.serviceaccount.name, uid);
        for (resource, bound, extra) in [("pods", &k.pod, "pod"), ("secrets", &k.secret, "secret")] {
            if let Some(b) = bound {
                let o = self
                    .object(resource, &k.namespace, &b.name)
                    .await
                    .ok_or_else(|| format!("{resource} {}/{} has been deleted", k.namespace, b.name))?;
                let found = o["metadata"]["uid"].as_str().unwrap_or_default();
                if found != b.uid {
                    return Err(format!("{resource} UID ({found}) does not match claim ({})", b.uid));
                }
                if extra == "pod" {
                    user.extra.insert("authentication.kubernetes.io/pod-name".into(), vec![b.name.clone()]);
                    user.extra.insert("authentication.kubernetes.io/pod-uid".into(), vec![b.uid.clone()]);
                }
            }
        }
        if let Some(node) = &k.node {
            if k.pod.is_none() {
                let o = self
                    .object("nodes", "", &node.name)
                    .await
                    .ok_or_else(|| format!("node {} has been deleted", node.name))?;
                let found = o["metadata"]["uid"].as_str().unwrap_or_default();
                if found != node.uid {
                    return Err(format!("node UID ({found}) does not match claim ({})", node.uid));
                }
            }
            user.extra.insert("authentication.kubernetes.io/node-name".into(), vec![node.name.clone()]);
            user.extra.insert("authentication.kubernetes.io/node-uid".into(), vec![node.uid.clone()]);
        }
        if !claims.jti.is_empty() {
            user.extra.insert(CREDENTIAL_ID.into(), vec![format!("JTI={}", claims.jti)]);
        }
        Ok(user)
    }

    async fn legacy_token_user(&self, token: &str, claims: &LegacyClaims) -> Result<UserInfo, String> {
        let secret = self
            .object("secrets", &claims.namespace, &claims.secret)
            .await
            .ok_or_else(|| format!("secret {}/{} has been deleted", claims.namespace, claims.secret))?;
        let stored = secret["data"]["token"]
            .as_str()
            .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
            .unwrap_or_default();
        if !constant_time_eq(&stored, token.as_bytes()) {
            return Err(format!("token does not match the one in secret {}/{}", claims.namespace, claims.secret));
        }
        let sa = self
            .object("serviceaccounts", &claims.namespace, &claims.name)
            .await
            .ok_or_else(|| format!("service account {}/{} has been deleted", claims.namespace, claims.name))?;
        let uid = sa["metadata"]["uid"].as_str().unwrap_or_default();
        if uid != claims.uid {
            return Err(format!("service account UID ({uid}) does not match claim ({})", claims.uid));
        }
        if claims.sub != format!("system:serviceaccount:{}:{}", claims.namespace, claims.name)
            || claims.iss != LEGACY_ISSUER
        {
            return Err("invalid bearer token".into());
        }
        let mut user = service_account_user(&claims.namespace, &claims.name, uid);
        user.extra.insert(CREDENTIAL_ID.into(), vec![format!("JTI={}", claims.secret)]);
        Ok(user)
    }

    /// A bootstrap token `ID.SECRET`: the Secret `bootstrap-token-ID` in
    /// kube-system, of type bootstrap.kubernetes.io/token, usable for
    /// authentication and not expired.
    async fn bootstrap_token(&self, token: &str) -> Result<Option<UserInfo>, String> {
        let Some((id, secret)) = token.split_once('.') else { return Ok(None) };
        let lower = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !lower(id, 6) || !lower(secret, 16) {
            return Ok(None);
        }
        // A token of the bootstrap shape that does not match is left to the
        // other authenticators, as upstream's returns no opinion.
        let Some(object) = self.object("secrets", "kube-system", &format!("bootstrap-token-{id}")).await else {
            return Ok(None);
        };
        let field = |k: &str| {
            object["data"][k]
                .as_str()
                .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
                .map(|v| String::from_utf8_lossy(&v).to_string())
                .unwrap_or_default()
        };
        let usable = object["type"] == "bootstrap.kubernetes.io/token"
            && object["metadata"]["deletionTimestamp"].is_null()
            && field("usage-bootstrap-authentication") == "true"
            && field("token-id") == id
            && constant_time_eq(field("token-secret").as_bytes(), secret.as_bytes());
        let expiration = field("expiration");
        let expired = !expiration.is_empty()
            && crate::timefmt::Timestamp::parse(&expiration)
                .map_or(true, |t| t.seconds <= crate::timefmt::Timestamp::now().seconds);
        if !usable || expired {
            return Ok(None);
        }
        let mut groups = vec!["system:bootstrappers".to_string()];
        groups
            .extend(field("auth-extra-groups").split(',').map(str::trim).filter(|g| !g.is_empty()).map(str::to_string));
        groups.push(AUTHENTICATED.into());
        Ok(Some(UserInfo { name: format!("system:bootstrap:{id}"), groups, ..UserInfo::default() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_file_lines_are_csv_with_quoted_groups() {
        let f = TokenFile::parse("t1,alice,1,\"dev,ops\"\n\nt2,bob,2\n").unwrap();
        let alice = f.lookup("t1").unwrap();
        assert_eq!(alice.name, "alice");
        assert_eq!(alice.uid, "1");
        assert_eq!(alice.groups, ["dev", "ops", AUTHENTICATED]);
        assert_eq!(f.lookup("t2").unwrap().groups, [AUTHENTICATED]);
        assert!(f.lookup("t3").is_none());
        assert!(TokenFile::parse("only,two\n").unwrap_err().contains("line 1"));
    }

    #[test]
    fn constant_time_comparison_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    fn tokens(dir: &Path) -> ServiceAccountTokens {
        std::fs::write(dir.join("sa.key"), rcgen::KeyPair::generate().unwrap().serialize_pem()).unwrap();
        ServiceAccountTokens::load(&ServiceAccountOptions {
            signing_key_file: dir.join("sa.key"),
            ..ServiceAccountOptions::default()
        })
        .unwrap()
    }

    fn claims(now: i64) -> Claims {
        Claims {
            aud: vec![DEFAULT_ISSUER.into()],
            exp: now + 600,
            iat: now,
            iss: DEFAULT_ISSUER.into(),
            jti: "j".into(),
            kubernetes: KubernetesClaim {
                namespace: "default".into(),
                serviceaccount: BoundRef { name: "default".into(), uid: "u".into() },
                ..KubernetesClaim::default()
            },
            nbf: now,
            sub: "system:serviceaccount:default:default".into(),
        }
    }

    #[test]
    fn signed_tokens_verify_and_forgeries_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let sa = tokens(dir.path());
        let now = crate::timefmt::Timestamp::now().seconds;
        let token = sa.sign(&claims(now)).unwrap();
        assert!(matches!(sa.verify(&token), Ok(Some(Verified::Bound(_)))));
        assert_eq!(sa.jwks()["keys"][0]["kty"], "EC");
        assert_eq!(sa.jwks()["keys"][0]["crv"], "P-256");
        assert_eq!(sa.jwks()["keys"][0]["x"].as_str().map(str::len), Some(43));
        assert_eq!(sa.jwks()["keys"][0]["kid"], sa.signing_kid.as_str());

        // Expired, not yet valid, wrong audience.
        let mut c = claims(now);
        c.exp = now - 10;
        assert_eq!(sa.verify(&sa.sign(&c).unwrap()).err().as_deref(), Some("Token has expired."));
        let mut c = claims(now);
        c.nbf = now + 600;
        c.exp = now + 1200;
        assert_eq!(sa.verify(&sa.sign(&c).unwrap()).err().as_deref(), Some("Token is not yet valid."));
        let mut c = claims(now);
        c.aud = vec!["elsewhere".into()];
        assert!(sa.verify(&sa.sign(&c).unwrap()).is_err());
        // Another issuer is not ours to judge.
        let mut c = claims(now);
        c.iss = "https://other".into();
        assert!(matches!(sa.verify(&sa.sign(&c).unwrap()), Ok(None)));

        // alg none, and HS256 keyed with the public key.
        let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let payload = b64(&serde_json::to_value(claims(now)).unwrap());
        let none = format!("{}.{payload}.", b64(&json!({"alg": "none", "typ": "JWT"})));
        assert!(sa.verify(&none).is_err());
        let public = std::fs::read(dir.path().join("sa.key")).unwrap();
        let hs = jsonwebtoken::encode(
            &Header { kid: Some(sa.signing_kid.clone()), ..Header::new(Algorithm::HS256) },
            &claims(now),
            &EncodingKey::from_secret(&public),
        )
        .unwrap();
        assert!(sa.verify(&hs).is_err());
        // A key from elsewhere.
        let other = tempfile::tempdir().unwrap();
        let forged = tokens(other.path()).sign(&claims(now)).unwrap();
        assert!(sa.verify(&forged).is_err());
    }
}
