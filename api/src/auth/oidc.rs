//! OpenID Connect ID tokens as bearer tokens, with kube-apiserver's
//! `--oidc-*` flags: the issuer's keys (a JWKS fetched from its discovery
//! document at start, or read from a file for air-gapped installs), the
//! client id as the required audience, the username and groups claims with
//! their prefixes, and required claims.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use super::{AUTHENTICATED, UserInfo};

/// The flags.
#[derive(Clone, Debug, Default)]
pub struct OidcOptions {
    /// `--oidc-issuer-url`: tokens with another `iss` are not ours.
    pub issuer_url: String,
    /// `--oidc-client-id`: the audience tokens must carry.
    pub client_id: String,
    /// `--oidc-username-claim` (default `sub`).
    pub username_claim: String,
    /// `--oidc-username-prefix`: `None` for upstream's default (the issuer
    /// and `#`, except for the `email` claim), `-` for none.
    pub username_prefix: Option<String>,
    /// `--oidc-groups-claim`.
    pub groups_claim: Option<String>,
    /// `--oidc-groups-prefix`.
    pub groups_prefix: String,
    /// `--oidc-required-claim key=value`, each required.
    pub required_claims: Vec<(String, String)>,
    /// `--oidc-signing-algs` (default RS256).
    pub signing_algs: Vec<Algorithm>,
}

/// The authenticator.
pub struct Oidc {
    options: OidcOptions,
    keys: Vec<(Option<String>, DecodingKey, Algorithm)>,
}

impl Oidc {
    /// Builds it over the issuer's JWKS (`{"keys": [...]}`).
    pub fn new(options: OidcOptions, jwks: &Value) -> Result<Self, String> {
        if options.issuer_url.is_empty() || options.client_id.is_empty() {
            return Err("--oidc-issuer-url and --oidc-client-id are both required".into());
        }
        let set: JwkSet = serde_json::from_value(jwks.clone()).map_err(|e| format!("the issuer's JWKS: {e}"))?;
        let mut keys = Vec::new();
        for jwk in &set.keys {
            let Ok(key) = DecodingKey::from_jwk(jwk) else { continue };
            let by_type = match &jwk.algorithm {
                jsonwebtoken::jwk::AlgorithmParameters::EllipticCurve(_) => Some(Algorithm::ES256),
                jsonwebtoken::jwk::AlgorithmParameters::RSA(_) => Some(Algorithm::RS256),
                _ => None,
            };
            let alg = jwk.common.key_algorithm.and_then(|a| a.to_string().parse::<Algorithm>().ok()).or(by_type);
            let Some(alg) = alg else { continue };
            keys.push((jwk.common.key_id.clone(), key, alg));
        }
        if keys.is_empty() {
            return Err("the issuer's JWKS has no usable key".into());
        }
        Ok(Self { options, keys })
    }

    /// The user of an ID token; `Ok(None)` when the token is not from this
    /// issuer.
    pub fn authenticate(&self, token: &str, unverified: &Value) -> Result<Option<UserInfo>, String> {
        let o = &self.options;
        if unverified["iss"].as_str() != Some(o.issuer_url.as_str()) {
            return Ok(None);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|e| format!("oidc: malformed jwt: {e}"))?;
        let algs = if o.signing_algs.is_empty() { vec![Algorithm::RS256] } else { o.signing_algs.clone() };
        if !algs.contains(&header.alg) {
            return Err(format!("oidc: token signed with unsupported algorithm {:?}", header.alg));
        }
        let mut validation = Validation::new(header.alg);
        validation.leeway = 0;
        validation.validate_nbf = true;
        validation.set_issuer(&[&o.issuer_url]);
        validation.set_audience(&[&o.client_id]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        let claims = self
            .keys
            .iter()
            .filter(|(kid, _, alg)| *alg == header.alg && (header.kid.is_none() || *kid == header.kid))
            .find_map(|(_, key, _)| jsonwebtoken::decode::<Value>(token, key, &validation).ok())
            .ok_or_else(|| "oidc: verify token: failed to verify signature, expiry or audience".to_string())?
            .claims;
        let claim = if o.username_claim.is_empty() { "sub" } else { o.username_claim.as_str() };
        let name =
            claims[claim].as_str().ok_or_else(|| format!("oidc: parse username claims {claim:?}: no such claim"))?;
        if claim == "email" && claims["email_verified"] == Value::Bool(false) {
            return Err("oidc: email not verified".into());
        }
        let prefix = match o.username_prefix.as_deref() {
            Some("-") => String::new(),
            Some(p) => p.to_string(),
            None if claim == "email" => String::new(),
            None => format!("{}#", o.issuer_url),
        };
        for (k, v) in &o.required_claims {
            if claims[k.as_str()].as_str() != Some(v.as_str()) {
                return Err(format!("oidc: required claim {k} not found or does not match"));
            }
        }
        let mut groups: Vec<String> = match o.groups_claim.as_deref().map(|c| &claims[c]) {
            Some(Value::String(g)) => vec![format!("{}{g}", o.groups_prefix)],
            Some(Value::Array(list)) => {
                list.iter().filter_map(Value::as_str).map(|g| format!("{}{g}", o.groups_prefix)).collect()
            }
            _ => Vec::new(),
        };
        groups.push(AUTHENTICATED.into());
        Ok(Some(UserInfo { name: format!("{prefix}{name}"), groups, ..UserInfo::default() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::json;

    const ISSUER: &str = "https://issuer.example";

    fn setup(options: OidcOptions) -> (Oidc, EncodingKey, String) {
        let kp = rcgen::KeyPair::generate().unwrap();
        let encoding = EncodingKey::from_ec_pem(kp.serialize_pem().as_bytes()).unwrap();
        let mut jwk = jsonwebtoken::jwk::Jwk::from_encoding_key(&encoding, Algorithm::ES256).unwrap();
        jwk.common.key_id = Some("k1".into());
        let jwks = json!({"keys": [jwk]});
        (Oidc::new(options, &jwks).unwrap(), encoding, "k1".into())
    }

    fn options() -> OidcOptions {
        OidcOptions {
            issuer_url: ISSUER.into(),
            client_id: "kubox".into(),
            groups_claim: Some("groups".into()),
            groups_prefix: "oidc:".into(),
            signing_algs: vec![Algorithm::ES256],
            ..OidcOptions::default()
        }
    }

    fn token(key: &EncodingKey, kid: &str, claims: &Value) -> (String, Value) {
        let t = jsonwebtoken::encode(&Header { kid: Some(kid.into()), ..Header::new(Algorithm::ES256) }, claims, key)
            .unwrap();
        (t, claims.clone())
    }

    #[test]
    fn id_tokens_map_to_users_and_bad_ones_are_refused() {
        let (oidc, key, kid) = setup(options());
        let now = crate::timefmt::Timestamp::now().seconds;
        let good = json!({"iss": ISSUER, "aud": "kubox", "sub": "u1", "exp": now + 60, "groups": ["dev", "ops"]});
        let (t, c) = token(&key, &kid, &good);
        let user = oidc.authenticate(&t, &c).unwrap().unwrap();
        assert_eq!(user.name, "https://issuer.example#u1");
        assert_eq!(user.groups, ["oidc:dev", "oidc:ops", AUTHENTICATED]);
        let mut wrong_aud = good.clone();
        wrong_aud["aud"] = json!("other");
        let (t, c) = token(&key, &kid, &wrong_aud);
        assert!(oidc.authenticate(&t, &c).is_err());
        let mut expired = good.clone();
        expired["exp"] = json!(now - 5);
        let (t, c) = token(&key, &kid, &expired);
        assert!(oidc.authenticate(&t, &c).is_err());
        let mut other = good.clone();
        other["iss"] = json!("https://elsewhere");
        let (t, c) = token(&key, &kid, &other);
        assert!(oidc.authenticate(&t, &c).unwrap().is_none());

        let (oidc, key, kid) = setup(OidcOptions {
            username_claim: "email".into(),
            required_claims: vec![("hd".into(), "example.com".into())],
            ..options()
        });
        let mail = json!({"iss": ISSUER, "aud": "kubox", "sub": "u1", "exp": now + 60, "email": "a@example.com",
                          "email_verified": true, "hd": "example.com"});
        let (t, c) = token(&key, &kid, &mail);
        assert_eq!(oidc.authenticate(&t, &c).unwrap().unwrap().name, "a@example.com");
        let mut unverified = mail.clone();
        unverified["email_verified"] = json!(false);
        let (t, c) = token(&key, &kid, &unverified);
        assert_eq!(oidc.authenticate(&t, &c).unwrap_err(), "oidc: email not verified");
        let mut no_hd = mail.clone();
        no_hd["hd"] = json!("evil.com");
        let (t, c) = token(&key, &kid, &no_hd);
        assert!(oidc.authenticate(&t, &c).is_err());
    }
}
