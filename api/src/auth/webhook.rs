//! Webhook token authentication (`--authentication-token-webhook-config-file`):
//! a token no other authenticator knows is sent to a remote service as a
//! TokenReview (authentication.k8s.io/v1), and its answer is cached for
//! `--authentication-token-webhook-cache-ttl` (by the token's digest, at
//! most [`MAX_ENTRIES`] entries).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{AUTHENTICATED, UserInfo};
use crate::client::KubeconfigServer;

/// Cached answers at most; the cache is emptied when full.
pub const MAX_ENTRIES: usize = 10_000;

/// Answers by token digest, with when they came.
type Cache = HashMap<[u8; 32], (Instant, Option<UserInfo>)>;

/// The authenticator.
pub struct TokenWebhook {
    server: KubeconfigServer,
    ttl: Duration,
    cache: Mutex<Cache>,
}

impl TokenWebhook {
    /// From a webhook configuration file (a kubeconfig).
    pub fn load(path: &std::path::Path, ttl: Duration) -> Result<Self, String> {
        let server = KubeconfigServer::load(path).map_err(|e| format!("{e:#}"))?;
        Ok(Self { server, ttl, cache: Mutex::new(HashMap::new()) })
    }

    /// The user the webhook says `token` is; `Ok(None)` when it says the
    /// token is not authenticated.
    pub async fn authenticate(&self, token: &str) -> Result<Option<UserInfo>, String> {
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some((at, user)) = self.cache.lock().get(&key)
            && at.elapsed() < self.ttl
        {
            return Ok(user.clone());
        }
        let review = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                            "metadata": {"creationTimestamp": null}, "spec": {"token": token}, "status": {"user": {}}});
        let (code, body) = self.server.post(&review).await.map_err(|e| format!("token webhook: {e:#}"))?;
        if !(200..300).contains(&code) {
            return Err(format!("token webhook: HTTP {code}"));
        }
        let answer: Value = serde_json::from_slice(&body).map_err(|e| format!("token webhook: {e}"))?;
        let status = &answer["status"];
        let user = (status["authenticated"] == true).then(|| {
            let strings = |v: &Value| -> Vec<String> {
                v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
            };
            let u = &status["user"];
            let mut groups = strings(&u["groups"]);
            if !groups.iter().any(|g| g == AUTHENTICATED) {
                groups.push(AUTHENTICATED.into());
            }
            let extra: BTreeMap<String, Vec<String>> = u["extra"]
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), strings(v))).collect())
                .unwrap_or_default();
            UserInfo {
                name: u["username"].as_str().unwrap_or_default().to_string(),
                uid: u["uid"].as_str().unwrap_or_default().to_string(),
                groups,
                extra,
            }
        });
        let mut cache = self.cache.lock();
        if cache.len() >= MAX_ENTRIES {
            cache.clear();
        }
        cache.insert(key, (Instant::now(), user.clone()));
        Ok(user)
    }
}
