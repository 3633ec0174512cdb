//! KMS v2 envelope encryption, as kube-apiserver does it.
//!
//! A stored value is `k8s:enc:kms:v2:<provider>:` followed by the protobuf
//! `EncryptedObject` {encryptedData, keyID, encryptedDEKSource, annotations,
//! encryptedDEKSourceType}. The server holds one random 32-byte seed, which
//! the plugin encrypted once (`Encrypt`) into `encryptedDEKSource`; each
//! write derives a fresh AES-256-GCM key from it with HKDF-SHA256 over 32
//! random bytes of info (`HKDF_SHA256_XNONCE_AES_GCM_SEED`). Reads look the
//! seed up by the object's encrypted DEK source, key ID and annotations in a
//! cache, so only the first read of a seed costs a `Decrypt` call. The
//! plugin's `Status` is polled: a new key ID makes a new seed, and values
//! under an older key ID read as stale (a no-op update rewrites them).
//!
//! The plugin is a gRPC service (`v2.KeyManagementService`) on a unix
//! socket.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use parking_lot::{Mutex, RwLock};
use prost::Message;

use super::TransformError;
use super::providers::{self, Gcm, KDF_SIZE};

/// `encryptedDEKSourceType`: the plaintext of encryptedDEKSource is the DEK.
pub const AES_GCM_KEY: i32 = 0;
/// `encryptedDEKSourceType`: the plaintext is an HKDF seed.
pub const HKDF_SHA256_XNONCE_AES_GCM_SEED: i32 = 1;
/// A decrypted seed stays cached this long after its last use (upstream: a day).
const CACHE_TTL: Duration = Duration::from_secs(24 * 3600);
/// How often a healthy plugin's Status is polled (upstream: a minute).
const STATUS_INTERVAL: Duration = Duration::from_secs(60);
/// How often an unhealthy plugin's Status is polled (upstream: 10 s).
const STATUS_RETRY: Duration = Duration::from_secs(10);

/// The messages of `k8s.io/kms/apis/v2/api.proto` and the stored
/// `EncryptedObject` of `kmsv2/v2/api.proto`.
pub mod proto {
    use std::collections::HashMap;

    /// `v2.StatusRequest`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct StatusRequest {}

    /// `v2.StatusResponse`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct StatusResponse {
        /// The plugin's API version (`v2`).
        #[prost(string, tag = "1")]
        pub version: String,
        /// `ok` when healthy.
        #[prost(string, tag = "2")]
        pub healthz: String,
        /// The current key ID.
        #[prost(string, tag = "3")]
        pub key_id: String,
    }

    /// `v2.DecryptRequest`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct DecryptRequest {
        /// The data to decrypt.
        #[prost(bytes = "vec", tag = "1")]
        pub ciphertext: Vec<u8>,
        /// A unique id of the request.
        #[prost(string, tag = "2")]
        pub uid: String,
        /// The key ID the data was encrypted with.
        #[prost(string, tag = "3")]
        pub key_id: String,
        /// The annotations the plugin returned at encryption.
        #[prost(map = "string, bytes", tag = "4")]
        pub annotations: HashMap<String, Vec<u8>>,
    }

    /// `v2.DecryptResponse`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct DecryptResponse {
        /// The decrypted data.
        #[prost(bytes = "vec", tag = "1")]
        pub plaintext: Vec<u8>,
    }

    /// `v2.EncryptRequest`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct EncryptRequest {
        /// The data to encrypt.
        #[prost(bytes = "vec", tag = "1")]
        pub plaintext: Vec<u8>,
        /// A unique id of the request.
        #[prost(string, tag = "2")]
        pub uid: String,
    }

    /// `v2.EncryptResponse`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct EncryptResponse {
        /// The encrypted data.
        #[prost(bytes = "vec", tag = "1")]
        pub ciphertext: Vec<u8>,
        /// The key ID used.
        #[prost(string, tag = "2")]
        pub key_id: String,
        /// Metadata stored (in plaintext) with the data.
        #[prost(map = "string, bytes", tag = "3")]
        pub annotations: HashMap<String, Vec<u8>>,
    }

    /// The stored `EncryptedObject`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct EncryptedObject {
        /// The encrypted data.
        #[prost(bytes = "vec", tag = "1")]
        pub encrypted_data: Vec<u8>,
        /// The KMS key ID.
        #[prost(string, tag = "2")]
        pub key_id: String,
        /// The encrypted DEK or seed.
        #[prost(bytes = "vec", tag = "3")]
        pub encrypted_dek_source: Vec<u8>,
        /// The plugin's annotations.
        #[prost(map = "string, bytes", tag = "4")]
        pub annotations: HashMap<String, Vec<u8>>,
        /// What encrypted_dek_source holds (0: a DEK, 1: an HKDF seed).
        #[prost(int32, tag = "5")]
        pub encrypted_dek_source_type: i32,
    }

    /// The gRPC method paths.
    pub const STATUS: &str = "/v2.KeyManagementService/Status";
    /// Decrypt.
    pub const DECRYPT: &str = "/v2.KeyManagementService/Decrypt";
    /// Encrypt.
    pub const ENCRYPT: &str = "/v2.KeyManagementService/Encrypt";
}

/// What the server needs of a KMS v2 plugin.
pub trait KmsService: Send + Sync {
    /// `Status`.
    fn status(&self) -> BoxFuture<'_, Result<proto::StatusResponse, String>>;
    /// `Encrypt`.
    fn encrypt(&self, req: proto::EncryptRequest) -> BoxFuture<'_, Result<proto::EncryptResponse, String>>;
    /// `Decrypt`.
    fn decrypt(&self, req: proto::DecryptRequest) -> BoxFuture<'_, Result<proto::DecryptResponse, String>>;
}

/// A plugin reached over gRPC on a unix socket (connected lazily, so a
/// plugin that starts after the server is found when it comes).
pub struct GrpcKms {
    channel: tonic::transport::Channel,
    timeout: Duration,
}

impl GrpcKms {
    /// A client of the plugin listening on `socket`.
    pub fn new(socket: PathBuf, timeout: Duration) -> Result<Self, TransformError> {
        let endpoint = tonic::transport::Endpoint::from_static("http://kms.plugin").timeout(timeout);
        let channel = endpoint.connect_with_connector_lazy(tower::service_fn(move |_: http::Uri| {
            let socket = socket.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(&socket).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(stream))
            }
        }));
        Ok(Self { channel, timeout })
    }

    async fn call<Req, Resp>(&self, path: &'static str, req: Req) -> Result<Resp, String>
    where
        Req: Message + Send + Sync + 'static,
        Resp: Message + Default + Send + Sync + 'static,
    {
        let call = async {
            let mut grpc = tonic::client::Grpc::new(self.channel.clone());
            grpc.ready().await.map_err(|e| format!("connecting to the KMS plugin: {e}"))?;
            let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
            grpc.unary(tonic::Request::new(req), http::uri::PathAndQuery::from_static(path), codec)
                .await
                .map(tonic::Response::into_inner)
                .map_err(|s| format!("rpc error: code = {:?} desc = {}", s.code(), s.message()))
        };
        match tokio::time::timeout(self.timeout, call).await {
            Ok(r) => r,
            Err(_) => Err(format!("rpc error: code = DeadlineExceeded desc = no answer within {:?}", self.timeout)),
        }
    }
}

impl KmsService for GrpcKms {
    fn status(&self) -> BoxFuture<'_, Result<proto::StatusResponse, String>> {
        Box::pin(self.call(proto::STATUS, proto::StatusRequest {}))
    }
    fn encrypt(&self, req: proto::EncryptRequest) -> BoxFuture<'_, Result<proto::EncryptResponse, String>> {
        Box::pin(self.call(proto::ENCRYPT, req))
    }
    fn decrypt(&self, req: proto::DecryptRequest) -> BoxFuture<'_, Result<proto::DecryptResponse, String>> {
        Box::pin(self.call(proto::DECRYPT, req))
    }
}

/// A decrypted DEK source.
enum Dek {
    /// An HKDF seed: a key per object.
    Seed(Vec<u8>),
    /// A DEK used directly (older kube-apiserver writes).
    Key(Gcm),
}

/// Decrypted DEK sources by cache key, with their last use.
type DekCache = HashMap<Vec<u8>, (Arc<Dek>, Instant)>;

/// The seed writes use, with its encrypted form.
struct WriteState {
    seed: Vec<u8>,
    key_id: String,
    encrypted_dek_source: Vec<u8>,
    annotations: HashMap<String, Vec<u8>>,
}

/// One configured KMS v2 provider.
pub struct KmsProvider {
    name: String,
    prefix: String,
    service: Box<dyn KmsService>,
    write: RwLock<Option<Arc<WriteState>>>,
    rotate: tokio::sync::Mutex<()>,
    cache: Mutex<DekCache>,
    health: Mutex<Option<(Instant, Result<(), String>)>>,
}

impl KmsProvider {
    /// A provider named `name` calling `service`.
    pub fn new(name: &str, service: Box<dyn KmsService>) -> Self {
        Self {
            name: name.to_string(),
            prefix: format!("k8s:enc:kms:v2:{name}:"),
            service,
            write: RwLock::new(None),
            rotate: tokio::sync::Mutex::new(()),
            cache: Mutex::new(HashMap::new()),
            health: Mutex::new(None),
        }
    }

    /// The provider's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `k8s:enc:kms:v2:<name>:`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Asks the plugin for its status and makes a new seed if its key ID
    /// changed (or there is none yet).
    pub async fn refresh(&self) -> Result<(), String> {
        let status = self.service.status().await;
        let result = async {
            let status = status.map_err(|e| {
                format!(
                    "failed to perform status section of the healthz check for KMS Provider {}, error: {e}",
                    self.name
                )
            })?;
            let mut errs = Vec::new();
            if status.healthz != "ok" {
                errs.push(format!("got unexpected healthz status: {}", status.healthz));
            }
            if status.version != "v2" && status.version != "v2beta1" {
                errs.push(format!("expected KMSv2 API version v2, got {}", status.version));
            }
            if status.key_id.is_empty() {
                errs.push("got invalid KMSv2 KeyID: keyID is empty".to_string());
            } else if let Err(e) = self.rotate_if_needed(&status.key_id).await {
                errs.push(e);
            }
            if errs.is_empty() {
                Ok(())
            } else {
                Err(format!("kmsv2 Provider {} is not healthy, error: {}", self.name, errs.join(", ")))
            }
        }
        .await;
        *self.health.lock() = Some((Instant::now(), result.clone()));
        result
    }

    /// The health check: the last status, asked again when older than
    /// the poll interval (a failure after 10 s).
    pub async fn check(&self) -> Result<(), String> {
        let last = self.health.lock().clone();
        match last {
            Some((at, Ok(()))) if at.elapsed() < STATUS_INTERVAL => Ok(()),
            Some((at, Err(e))) if at.elapsed() < STATUS_RETRY => Err(e),
            _ => self.refresh().await,
        }
    }

    /// Polls the plugin's status until `alive` says the provider is gone.
    pub async fn poll(self: Arc<Self>, alive: impl Fn() -> bool + Send) {
        loop {
            let wait = match self.refresh().await {
                Ok(()) => STATUS_INTERVAL,
                Err(err) => {
                    tracing::warn!(provider = %self.name, %err, "KMS v2 plugin is not healthy");
                    STATUS_RETRY
                }
            };
            tokio::time::sleep(wait).await;
            if !alive() {
                return;
            }
        }
    }

    async fn rotate_if_needed(&self, key_id: &str) -> Result<(), String> {
        if self.write.read().as_ref().is_some_and(|s| s.key_id == key_id) {
            return Ok(());
        }
        let _one = self.rotate.lock().await;
        if self.write.read().as_ref().is_some_and(|s| s.key_id == key_id) {
            return Ok(());
        }
        let mut seed = vec![0u8; KDF_SIZE];
        providers::random(&mut seed).map_err(|e| e.to_string())?;
        let uid = uuid::Uuid::new_v4().to_string();
        let resp = self
            .service
            .encrypt(proto::EncryptRequest { plaintext: seed.clone(), uid: uid.clone() })
            .await
            .map_err(|e| format!("failed to encrypt DEK, error: {e}"))?;
        validate_parts(&resp.ciphertext, &resp.key_id, &resp.annotations)?;
        if !key_id.is_empty() && resp.key_id != key_id {
            return Err(format!("failed to rotate DEK uid={uid:?}: the Encrypt key ID differs from the Status key ID"));
        }
        let state = WriteState {
            seed: seed.clone(),
            key_id: resp.key_id.clone(),
            encrypted_dek_source: resp.ciphertext.clone(),
            annotations: resp.annotations.clone(),
        };
        let cache_key = cache_key(HKDF_SHA256_XNONCE_AES_GCM_SEED, &resp.ciphertext, &resp.key_id, &resp.annotations);
        self.cache.lock().insert(cache_key, (Arc::new(Dek::Seed(seed)), Instant::now()));
        *self.write.write() = Some(Arc::new(state));
        tracing::info!(provider = %self.name, "KMS v2: a new DEK seed is in use");
        Ok(())
    }

    /// Encrypts `data` (the value without the prefix).
    pub async fn seal(&self, data: &[u8], authenticated: &[u8]) -> Result<Vec<u8>, TransformError> {
        let state = self.write.read().clone();
        let state = match state {
            Some(s) => s,
            None => {
                // Not set up yet (the plugin was down at start): try now.
                self.refresh().await.map_err(TransformError::new)?;
                self.write
                    .read()
                    .clone()
                    .ok_or_else(|| TransformError::new(format!("KMS provider {} has no DEK seed", self.name)))?
            }
        };
        let mut info = [0u8; KDF_SIZE];
        let mut nonce = [0u8; 12];
        providers::random(&mut info)?;
        providers::random(&mut nonce)?;
        let encrypted_data = providers::seed_seal(&state.seed, &info, &nonce, data, authenticated)?;
        let object = proto::EncryptedObject {
            encrypted_data,
            key_id: state.key_id.clone(),
            encrypted_dek_source: state.encrypted_dek_source.clone(),
            annotations: state.annotations.clone(),
            encrypted_dek_source_type: HKDF_SHA256_XNONCE_AES_GCM_SEED,
        };
        Ok(object.encode_to_vec())
    }

    /// Decrypts `data` (after the prefix); `true` when it was written under
    /// another key ID than the current one (stale).
    pub async fn open(&self, data: &[u8], authenticated: &[u8]) -> Result<(Vec<u8>, bool), TransformError> {
        let object = proto::EncryptedObject::decode(data).map_err(|e| TransformError::new(e.to_string()))?;
        validate_object(&object).map_err(TransformError::new)?;
        let key = cache_key(
            object.encrypted_dek_source_type,
            &object.encrypted_dek_source,
            &object.key_id,
            &object.annotations,
        );
        let cached = self.cache.lock().get_mut(&key).map(|(dek, used)| {
            *used = Instant::now();
            dek.clone()
        });
        let dek = match cached {
            Some(d) => d,
            None => {
                let resp = self
                    .service
                    .decrypt(proto::DecryptRequest {
                        ciphertext: object.encrypted_dek_source.clone(),
                        uid: uuid::Uuid::new_v4().to_string(),
                        key_id: object.key_id.clone(),
                        annotations: object.annotations.clone(),
                    })
                    .await
                    .map_err(|e| TransformError::new(format!("failed to decrypt DEK, error: {e}")))?;
                let dek = Arc::new(if object.encrypted_dek_source_type == HKDF_SHA256_XNONCE_AES_GCM_SEED {
                    if resp.plaintext.len() < KDF_SIZE {
                        return Err(TransformError::new(format!(
                            "invalid seed length {} used for key generation",
                            resp.plaintext.len()
                        )));
                    }
                    Dek::Seed(resp.plaintext)
                } else {
                    Dek::Key(Gcm::new(&resp.plaintext)?)
                });
                let mut cache = self.cache.lock();
                cache.retain(|_, (_, used)| used.elapsed() < CACHE_TTL);
                cache.insert(key, (dek.clone(), Instant::now()));
                dek
            }
        };
        let plain = match &*dek {
            Dek::Seed(seed) => providers::seed_open(seed, &object.encrypted_data, authenticated)?,
            Dek::Key(gcm) => gcm.open(&object.encrypted_data, authenticated)?,
        };
        let stale = self.write.read().as_ref().is_none_or(|s| {
            s.key_id != object.key_id || object.encrypted_dek_source_type != HKDF_SHA256_XNONCE_AES_GCM_SEED
        });
        Ok((plain, stale))
    }
}

fn validate_parts(source: &[u8], key_id: &str, annotations: &HashMap<String, Vec<u8>>) -> Result<(), String> {
    if source.is_empty() {
        return Err("failed to validate encrypted DEK source: encrypted DEK source is empty".into());
    }
    if source.len() > 1024 {
        return Err(format!(
            "failed to validate encrypted DEK source: encrypted DEK source is {} bytes, which exceeds the max size of 1024",
            source.len()
        ));
    }
    if key_id.is_empty() {
        return Err("failed to validate key id: keyID is empty".into());
    }
    if key_id.len() > 1024 {
        return Err(format!(
            "failed to validate key id: keyID is {} bytes, which exceeds the max size of 1024",
            key_id.len()
        ));
    }
    let size: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if size > 32 * 1024 {
        return Err(format!(
            "failed to validate annotations: total size of annotations is {size}, which exceeds the max size of 32768"
        ));
    }
    Ok(())
}

fn validate_object(o: &proto::EncryptedObject) -> Result<(), String> {
    if o.encrypted_dek_source_type != AES_GCM_KEY && o.encrypted_dek_source_type != HKDF_SHA256_XNONCE_AES_GCM_SEED {
        return Err(format!("unknown encryptedDEKSourceType: {}", o.encrypted_dek_source_type));
    }
    if o.encrypted_data.is_empty() {
        return Err("encrypted data is empty".into());
    }
    validate_parts(&o.encrypted_dek_source, &o.key_id, &o.annotations)
}

/// The DEK cache key: source type, encrypted source, key ID and the sorted
/// annotations, length-prefixed (kube-apiserver's generateCacheKey).
fn cache_key(kind: i32, source: &[u8], key_id: &str, annotations: &HashMap<String, Vec<u8>>) -> Vec<u8> {
    let mut b = Vec::with_capacity(8 + source.len() + key_id.len());
    b.extend_from_slice(&(kind as u32).to_be_bytes());
    let add = |b: &mut Vec<u8>, bytes: &[u8]| {
        b.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
        b.extend_from_slice(bytes);
    };
    add(&mut b, source);
    add(&mut b, key_id.as_bytes());
    if !annotations.is_empty() {
        b.extend_from_slice(&(annotations.len() as u32).to_be_bytes());
        let sorted: BTreeMap<&String, &Vec<u8>> = annotations.iter().collect();
        for (k, v) in sorted {
            add(&mut b, k.as_bytes());
            add(&mut b, v);
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A plugin that "encrypts" by XOR with a byte per key ID.
    struct Fake {
        key_id: Mutex<String>,
        decrypts: AtomicUsize,
    }

    fn xor(data: &[u8], key_id: &str) -> Vec<u8> {
        let k = key_id.bytes().fold(0u8, |a, b| a ^ b) | 1;
        data.iter().map(|b| b ^ k).collect()
    }

    impl KmsService for Arc<Fake> {
        fn status(&self) -> BoxFuture<'_, Result<proto::StatusResponse, String>> {
            let key_id = self.key_id.lock().clone();
            Box::pin(async move { Ok(proto::StatusResponse { version: "v2".into(), healthz: "ok".into(), key_id }) })
        }
        fn encrypt(&self, req: proto::EncryptRequest) -> BoxFuture<'_, Result<proto::EncryptResponse, String>> {
            let key_id = self.key_id.lock().clone();
            Box::pin(async move {
                Ok(proto::EncryptResponse {
                    ciphertext: xor(&req.plaintext, &key_id),
                    key_id,
                    annotations: HashMap::from([("kms.example.com".to_string(), b"v".to_vec())]),
                })
            })
        }
        fn decrypt(&self, req: proto::DecryptRequest) -> BoxFuture<'_, Result<proto::DecryptResponse, String>> {
            self.decrypts.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move { Ok(proto::DecryptResponse { plaintext: xor(&req.ciphertext, &req.key_id) }) })
        }
    }

    #[tokio::test]
    async fn envelope_round_trip_cache_and_rotation() {
        let fake = Arc::new(Fake { key_id: Mutex::new("k1".into()), decrypts: AtomicUsize::new(0) });
        let p = KmsProvider::new("vault", Box::new(fake.clone()));
        p.refresh().await.unwrap();
        let ad = b"/registry/secrets/default/s";
        let sealed = p.seal(b"plain object", ad).await.unwrap();
        let o = proto::EncryptedObject::decode(&sealed[..]).unwrap();
        assert_eq!(o.key_id, "k1");
        assert_eq!(o.encrypted_dek_source_type, HKDF_SHA256_XNONCE_AES_GCM_SEED);
        assert_eq!(o.encrypted_dek_source.len(), 32);
        assert_eq!(o.encrypted_data.len(), 32 + 12 + 12 + 16);
        assert_eq!(o.annotations["kms.example.com"], b"v");
        // The seed of our own writes is cached: no Decrypt call.
        assert_eq!(p.open(&sealed, ad).await.unwrap(), (b"plain object".to_vec(), false));
        assert_eq!(fake.decrypts.load(Ordering::SeqCst), 0);
        assert!(p.open(&sealed, b"/registry/secrets/default/other").await.is_err());
        // Another server (a fresh cache) calls Decrypt once, then caches.
        let other = KmsProvider::new("vault", Box::new(fake.clone()));
        assert_eq!(other.open(&sealed, ad).await.unwrap().0, b"plain object");
        assert_eq!(other.open(&sealed, ad).await.unwrap().0, b"plain object");
        assert_eq!(fake.decrypts.load(Ordering::SeqCst), 1);
        // A new key ID: a new seed, and old values read as stale.
        *fake.key_id.lock() = "k2".into();
        p.refresh().await.unwrap();
        assert_eq!(p.open(&sealed, ad).await.unwrap(), (b"plain object".to_vec(), true));
        let resealed = p.seal(b"plain object", ad).await.unwrap();
        assert_eq!(proto::EncryptedObject::decode(&resealed[..]).unwrap().key_id, "k2");
        // Garbage is refused with upstream's validation messages.
        assert!(p.open(b"\x0a\x00", ad).await.unwrap_err().to_string().contains("encrypted data is empty"));
    }

    #[tokio::test]
    async fn reads_a_value_sealed_by_the_upstream_algorithm() {
        // Built here step by step as kube-apiserver does: seed, info,
        // nonce, HKDF-SHA256 expand, AES-256-GCM with the key as AD.
        let fake = Arc::new(Fake { key_id: Mutex::new("kid".into()), decrypts: AtomicUsize::new(0) });
        let seed = [0x42u8; 32];
        let data =
            providers::seed_seal(&seed, &[7u8; 32], &[9u8; 12], b"{\"kind\":\"Secret\"}", b"/registry/secrets/a/b")
                .unwrap();
        let object = proto::EncryptedObject {
            encrypted_data: data,
            key_id: "kid".into(),
            encrypted_dek_source: xor(&seed, "kid"),
            annotations: HashMap::new(),
            encrypted_dek_source_type: HKDF_SHA256_XNONCE_AES_GCM_SEED,
        };
        let p = KmsProvider::new("p", Box::new(fake));
        let (plain, _) = p.open(&object.encode_to_vec(), b"/registry/secrets/a/b").await.unwrap();
        assert_eq!(plain, b"{\"kind\":\"Secret\"}");
        // The protobuf field numbers are upstream's: 1 data, 2 keyID, 3 source, 5 type.
        let bytes = object.encode_to_vec();
        assert_eq!(bytes[0], 0x0a);
        assert!(bytes.windows(5).any(|w| w == [0x12, 3, b'k', b'i', b'd']));
        assert_eq!(&bytes[bytes.len() - 2..], &[0x28, 1]);
    }
}
