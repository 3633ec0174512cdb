//! Encryption at rest (`--encryption-provider-config`), as kube-apiserver
//! does it: every stored value of a configured resource passes through the
//! resource's ordered provider list. Writes use the first provider; reads
//! pick the provider by the value's prefix (`k8s:enc:aescbc:v1:<key>:`,
//! `k8s:enc:aesgcm:v1:<key>:`, `k8s:enc:secretbox:v1:<key>:`,
//! `k8s:enc:kms:v2:<name>:`, none for identity). A value read with any but
//! the first provider and key is stale, so an update rewrites it even when
//! nothing changed (that is how `kubectl replace` rotates keys).
//!
//! The registry calls [`decode_stored`] and [`encode_stored`] at every
//! place bytes leave or enter the store; without a configuration they are
//! the plain codec, with no copy.

pub mod config;
pub mod kms;
pub mod providers;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::RwLock;
use serde_json::Value;

use self::config::{EncryptionConfig, ProviderConfig, parse_group_resource};
use self::kms::{GrpcKms, KmsProvider};
use self::providers::Cipher;
use crate::catalog::ResourceSpec;
use crate::codec;
use crate::errors::{ApiError, ApiResult};

/// Why a value could not be transformed (kube-apiserver's wording).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct TransformError(String);

impl TransformError {
    /// An error saying `why`.
    pub fn new(why: impl Into<String>) -> Self {
        Self(why.into())
    }
}

/// One provider of a resource's list.
enum Provider {
    Identity,
    Keyed { prefix: &'static str, what: &'static str, keys: Vec<(String, Cipher)> },
    Kms(Arc<KmsProvider>),
}

const ENCRYPTED_PREFIX: &[u8] = b"k8s:enc:";

/// The ordered providers of one group-resource.
pub struct ResourceTransformer {
    providers: Vec<Arc<Provider>>,
}

impl ResourceTransformer {
    /// Decrypts a stored value; `true` when it is stale (not written with
    /// the first provider and key).
    pub async fn from_storage<'a>(&self, data: &'a [u8], key: &str) -> Result<(Cow<'a, [u8]>, bool), TransformError> {
        let mut errors: Vec<TransformError> = Vec::new();
        for (i, provider) in self.providers.iter().enumerate() {
            let stale_provider = i != 0;
            match &**provider {
                Provider::Identity => {
                    // Encrypted data is left to the providers after identity
                    // (how one migrates away from encryption).
                    if data.starts_with(ENCRYPTED_PREFIX) {
                        continue;
                    }
                    return Ok((Cow::Borrowed(data), stale_provider));
                }
                Provider::Keyed { prefix, what, keys } => {
                    let Some(rest) = data.strip_prefix(prefix.as_bytes()) else { continue };
                    match open_keyed(keys, what, rest, key.as_bytes()) {
                        Ok((plain, stale)) => return Ok((Cow::Owned(plain), stale || stale_provider)),
                        Err(e) => errors.push(e),
                    }
                }
                Provider::Kms(kms) => {
                    let Some(rest) = data.strip_prefix(kms.prefix().as_bytes()) else { continue };
                    match kms.open(rest, key.as_bytes()).await {
                        Ok((plain, stale)) => return Ok((Cow::Owned(plain), stale || stale_provider)),
                        Err(e) => errors.push(e),
                    }
                }
            }
        }
        Err(match errors.len() {
            0 => TransformError::new("no matching prefix found"),
            1 => errors.remove(0),
            _ => TransformError::new(format!(
                "[{}]",
                errors.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            )),
        })
    }

    /// Encrypts a value with the first provider.
    pub async fn to_storage(&self, data: Vec<u8>, key: &str) -> Result<Vec<u8>, TransformError> {
        let Some(first) = self.providers.first() else { return Ok(data) };
        match &**first {
            Provider::Identity => Ok(data),
            Provider::Keyed { prefix, keys, .. } => {
                let Some((name, cipher)) = keys.first() else {
                    return Err(TransformError::new("no key configured"));
                };
                let sealed = cipher.seal(&data, key.as_bytes())?;
                let mut out = Vec::with_capacity(prefix.len() + name.len() + 1 + sealed.len());
                out.extend_from_slice(prefix.as_bytes());
                out.extend_from_slice(name.as_bytes());
                out.push(b':');
                out.extend_from_slice(&sealed);
                Ok(out)
            }
            Provider::Kms(kms) => {
                let sealed = kms.seal(&data, key.as_bytes()).await?;
                let mut out = Vec::with_capacity(kms.prefix().len() + sealed.len());
                out.extend_from_slice(kms.prefix().as_bytes());
                out.extend_from_slice(&sealed);
                Ok(out)
            }
        }
    }
}

fn open_keyed(
    keys: &[(String, Cipher)],
    what: &str,
    data: &[u8],
    authenticated: &[u8],
) -> Result<(Vec<u8>, bool), TransformError> {
    let mut errors = Vec::new();
    for (j, (name, cipher)) in keys.iter().enumerate() {
        let Some(rest) = data.strip_prefix(name.as_bytes()).and_then(|r| r.strip_prefix(b":")) else { continue };
        match cipher.open(rest, authenticated) {
            Ok(plain) => return Ok((plain, j != 0)),
            Err(e) => errors.push(e),
        }
    }
    Err(match errors.len() {
        0 => TransformError::new(format!("no matching key was found for the provided {what} transformer")),
        1 => errors.remove(0),
        _ => {
            TransformError::new(format!("[{}]", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")))
        }
    })
}

/// The transformers of a loaded configuration, by group-resource.
struct Transformers {
    by_resource: HashMap<(String, String), Arc<ResourceTransformer>>,
    kms: Vec<Arc<KmsProvider>>,
    /// Bumped when this configuration is replaced (ends its KMS pollers).
    generation: u64,
}

impl Transformers {
    fn lookup(&self, group: &str, resource: &str) -> Option<&Arc<ResourceTransformer>> {
        if self.by_resource.is_empty() {
            return None;
        }
        self.by_resource
            .get(&(group.to_string(), resource.to_string()))
            .or_else(|| self.by_resource.get(&(group.to_string(), "*".to_string())))
            .or_else(|| self.by_resource.get(&("*".to_string(), "*".to_string())))
    }
}

/// Builds the transformers of a configuration (no network calls: KMS
/// plugins are reached lazily).
fn build(config: &EncryptionConfig, generation: u64) -> Result<Transformers, String> {
    let mut by_resource: HashMap<(String, String), Vec<Arc<Provider>>> = HashMap::new();
    let mut kms_all = Vec::new();
    for entry in &config.resources {
        let mut providers = Vec::new();
        for p in &entry.providers {
            let keyed =
                |prefix, what, keys: &[(String, Vec<u8>)], make: fn(&[u8]) -> Result<Cipher, TransformError>| {
                    let keys = keys
                        .iter()
                        .map(|(n, k)| make(k).map(|c| (n.clone(), c)))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| e.to_string())?;
                    Ok::<_, String>(Provider::Keyed { prefix, what, keys })
                };
            providers.push(Arc::new(match p {
                ProviderConfig::Identity => Provider::Identity,
                ProviderConfig::AesCbc(keys) => keyed("k8s:enc:aescbc:v1:", "AES", keys, |k| Ok(Cipher::cbc(k)))?,
                ProviderConfig::AesGcm(keys) => keyed("k8s:enc:aesgcm:v1:", "AES", keys, Cipher::gcm)?,
                ProviderConfig::Secretbox(keys) => {
                    keyed("k8s:enc:secretbox:v1:", "Secretbox", keys, Cipher::secretbox)?
                }
                ProviderConfig::Kms(k) => {
                    let service = GrpcKms::new(PathBuf::from(&k.socket), k.timeout).map_err(|e| e.to_string())?;
                    let kms = Arc::new(KmsProvider::new(&k.name, Box::new(service)));
                    kms_all.push(kms.clone());
                    Provider::Kms(kms)
                }
            }));
        }
        for res in &entry.resources {
            let (group, resource) = parse_group_resource(res);
            by_resource.entry((group.to_string(), resource.to_string())).or_default().extend(providers.iter().cloned());
        }
    }
    let by_resource =
        by_resource.into_iter().map(|(gr, providers)| (gr, Arc::new(ResourceTransformer { providers }))).collect();
    Ok(Transformers { by_resource, kms: kms_all, generation })
}

/// The encryption configuration in force, replaced as a whole on reload.
pub struct Encryption {
    path: PathBuf,
    current: RwLock<Arc<Transformers>>,
    hash: RwLock<[u8; 32]>,
    generation: AtomicU64,
}

impl std::fmt::Debug for Encryption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encryption").field("path", &self.path).finish_non_exhaustive()
    }
}

fn digest(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

fn load_file(path: &Path) -> Result<(EncryptionConfig, [u8; 32]), String> {
    let data = std::fs::read(path)
        .map_err(|e| format!("error reading encryption provider configuration file {:?}: {e}", path.display()))?;
    let config = config::parse(&path.display().to_string(), &data)?;
    Ok((config, digest(&data)))
}

impl Encryption {
    /// Loads the configuration file; an invalid file is an error (the
    /// server refuses to start). Needs a Tokio runtime when the file
    /// names KMS plugins (their status is polled).
    pub fn load(path: &Path) -> Result<Arc<Self>, String> {
        let (config, hash) = load_file(path)?;
        let transformers = build(&config, 0)?;
        let this = Arc::new(Self {
            path: path.to_path_buf(),
            current: RwLock::new(Arc::new(transformers)),
            hash: RwLock::new(hash),
            generation: AtomicU64::new(0),
        });
        this.start_kms_pollers();
        tracing::info!(path = %path.display(), resources = config.resources.len(), "encryption at rest configured");
        Ok(this)
    }

    /// The transformer of a group-resource, `None` when it is stored as is.
    pub fn transformer(&self, group: &str, resource: &str) -> Option<Arc<ResourceTransformer>> {
        self.current.read().lookup(group, resource).cloned()
    }

    /// Whether any KMS provider is configured.
    pub fn has_kms(&self) -> bool {
        !self.current.read().kms.is_empty()
    }

    /// The health of every KMS provider (kube-apiserver's `kms-providers`
    /// check): the first failure.
    pub async fn check_kms(&self) -> Result<(), String> {
        let kms = self.current.read().kms.clone();
        for k in kms {
            k.check().await?;
        }
        Ok(())
    }

    fn start_kms_pollers(self: &Arc<Self>) {
        let current = self.current.read().clone();
        if current.kms.is_empty() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        for k in &current.kms {
            let weak = Arc::downgrade(self);
            let generation = current.generation;
            runtime.spawn(
                k.clone()
                    .poll(move || weak.upgrade().is_some_and(|e| e.generation.load(Ordering::Acquire) == generation)),
            );
        }
    }

    /// Re-reads the file if its contents changed. A file that fails to
    /// load leaves the configuration in force (and is reported).
    pub fn reload(self: &Arc<Self>) -> Result<bool, String> {
        let data = std::fs::read(&self.path).map_err(|e| {
            format!("error reading encryption provider configuration file {:?}: {e}", self.path.display())
        })?;
        let hash = digest(&data);
        if *self.hash.read() == hash {
            return Ok(false);
        }
        let result = config::parse(&self.path.display().to_string(), &data).and_then(|config| {
            let generation = self.generation.load(Ordering::Acquire) + 1;
            build(&config, generation)
        });
        // A bad file is reported once, not at every poll.
        *self.hash.write() = hash;
        let transformers = result?;
        self.generation.store(transformers.generation, Ordering::Release);
        *self.current.write() = Arc::new(transformers);
        self.start_kms_pollers();
        Ok(true)
    }

    /// Polls the file every `interval` and reloads it when it changes
    /// (`--encryption-provider-config-automatic-reload`).
    pub async fn watch(self: Arc<Self>, interval: Duration) {
        let weak = Arc::downgrade(&self);
        drop(self);
        loop {
            tokio::time::sleep(interval).await;
            let Some(this) = weak.upgrade() else { return };
            match this.reload() {
                Ok(true) => tracing::info!(path = %this.path.display(), "encryption provider configuration reloaded"),
                Ok(false) => {}
                Err(err) => tracing::error!(
                    path = %this.path.display(),
                    %err,
                    "loading the changed encryption provider configuration failed; keeping the one in force"
                ),
            }
        }
    }
}

/// Decodes a stored value of `spec` (a storage form) at `key`, decrypting
/// it first when its resource is encrypted. `true`: the value is stale.
pub async fn decode_stored(
    encryption: Option<&Encryption>,
    spec: &ResourceSpec,
    key: &str,
    bytes: &[u8],
    revision: i64,
) -> ApiResult<(Value, bool)> {
    let Some(t) = encryption.and_then(|e| e.transformer(&spec.storage_group, &spec.plural)) else {
        return Ok((codec::decode_stored(spec, bytes, revision)?, false));
    };
    let (plain, stale) = t.from_storage(bytes, key).await.map_err(|err| {
        tracing::error!(%key, %err, "failed to decrypt data");
        ApiError::internal(&err)
    })?;
    Ok((codec::decode_stored(spec, &plain, revision)?, stale))
}

/// Encodes `object` of `spec` (a storage form) for `key`, encrypting it when
/// its resource is encrypted.
pub async fn encode_stored(
    encryption: Option<&Encryption>,
    spec: &ResourceSpec,
    key: &str,
    object: &mut Value,
) -> ApiResult<Vec<u8>> {
    let bytes = codec::encode_for_storage(spec, object)?;
    let Some(t) = encryption.and_then(|e| e.transformer(&spec.storage_group, &spec.plural)) else {
        return Ok(bytes);
    };
    t.to_storage(bytes, key).await.map_err(|err| {
        tracing::error!(%key, %err, "failed to encrypt data");
        ApiError::internal(&err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE="; // 32 x '1'
    const K2: &str = "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI="; // 32 x '2'

    fn transformers(yaml: &str) -> Transformers {
        let text = format!("kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v1\nresources:\n{yaml}");
        build(&config::parse("t", text.as_bytes()).unwrap(), 0).unwrap()
    }

    #[tokio::test]
    async fn prefixes_rotation_and_identity() {
        let key = "/registry/secrets/default/s";
        let old = transformers(&format!(
            "- resources: [secrets]\n  providers:\n  - aescbc: {{keys: [{{name: key1, secret: {K1}}}]}}\n"
        ));
        let t = old.lookup("", "secrets").unwrap();
        assert!(old.lookup("", "configmaps").is_none());
        let stored = t.to_storage(b"k8s\0plain".to_vec(), key).await.unwrap();
        assert!(stored.starts_with(b"k8s:enc:aescbc:v1:key1:"));
        assert_eq!(stored.len(), "k8s:enc:aescbc:v1:key1:".len() + 16 + 16);
        assert_eq!(t.from_storage(&stored, key).await.unwrap(), (Cow::Borrowed(&b"k8s\0plain"[..]), false));
        // No identity: unencrypted data is refused.
        assert_eq!(t.from_storage(b"k8s\0plain", key).await.unwrap_err().to_string(), "no matching prefix found");
        // key2 first: key1 values are stale; writes use key2.
        let new = transformers(&format!(
            "- resources: [secrets]\n  providers:\n  - aesgcm: {{keys: [{{name: key2, secret: {K2}}}]}}\n  - aescbc: {{keys: [{{name: key1, secret: {K1}}}]}}\n  - identity: {{}}\n"
        ));
        let t2 = new.lookup("", "secrets").unwrap();
        assert!(t2.from_storage(&stored, key).await.unwrap().1);
        assert_eq!(t2.from_storage(b"k8s\0plain", key).await.unwrap(), (Cow::Borrowed(&b"k8s\0plain"[..]), true));
        let restored = t2.to_storage(b"x".to_vec(), key).await.unwrap();
        assert!(restored.starts_with(b"k8s:enc:aesgcm:v1:key2:"));
        assert!(!t2.from_storage(&restored, key).await.unwrap().1);
        // A GCM value moved to another key fails authentication.
        assert_eq!(
            t2.from_storage(&restored, "/registry/secrets/default/other").await.unwrap_err().to_string(),
            "cipher: message authentication failed"
        );
        // A key name nobody knows, and a wrong key under a known name.
        let unknown = [b"k8s:enc:aescbc:v1:key9:".as_slice(), &stored[23..]].concat();
        assert_eq!(
            t.from_storage(&unknown, key).await.unwrap_err().to_string(),
            "no matching key was found for the provided AES transformer"
        );
        let wrong = transformers(&format!(
            "- resources: [secrets]\n  providers:\n  - aescbc: {{keys: [{{name: key1, secret: {K2}}}]}}\n"
        ));
        let err = wrong.lookup("", "secrets").unwrap().from_storage(&stored, key).await.unwrap_err().to_string();
        assert!(err.contains("PKCS7") || err.contains("padding"), "{err}");
        // Identity first writes plain and reads encrypted data through the rest.
        let back = transformers(&format!(
            "- resources: [secrets]\n  providers:\n  - identity: {{}}\n  - aescbc: {{keys: [{{name: key1, secret: {K1}}}]}}\n"
        ));
        let tb = back.lookup("", "secrets").unwrap();
        assert_eq!(tb.to_storage(b"plain".to_vec(), key).await.unwrap(), b"plain");
        assert_eq!(tb.from_storage(&stored, key).await.unwrap(), (Cow::Borrowed(&b"k8s\0plain"[..]), true));
    }

    #[tokio::test]
    async fn wildcards_pick_the_entry() {
        let t = transformers(&format!(
            "- resources: [secrets]\n  providers: [{{secretbox: {{keys: [{{name: s, secret: {K1}}}]}}}}]\n- resources: ['*.apps']\n  providers: [{{aesgcm: {{keys: [{{name: g, secret: {K1}}}]}}}}]\n- resources: ['*.']\n  providers: [{{aescbc: {{keys: [{{name: c, secret: {K1}}}]}}}}]\n- resources: ['*.*']\n  providers: [{{identity: {{}}}}]\n"
        ));
        let prefix = |g: &str, r: &str| {
            let t = t.lookup(g, r).unwrap().clone();
            async move { t.to_storage(b"v".to_vec(), "/k").await.unwrap() }
        };
        assert!(prefix("", "secrets").await.starts_with(b"k8s:enc:secretbox:v1:s:"));
        assert!(prefix("apps", "deployments").await.starts_with(b"k8s:enc:aesgcm:v1:g:"));
        assert!(prefix("", "configmaps").await.starts_with(b"k8s:enc:aescbc:v1:c:"));
        assert_eq!(prefix("batch", "jobs").await, b"v");
    }
}
