//! A KMS v2 plugin for the tests: the `v2.KeyManagementService` gRPC
//! service (k8s.io/kms/apis/v2/api.proto, its messages written out here
//! from the proto, independently of the server's copy) on a unix socket.
//! It "encrypts" by XOR with a byte derived from the current key ID and
//! tags the ciphertext with the key ID, so a wrong key ID fails; it counts
//! Decrypt calls so tests can see the server's DEK cache at work.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::future::BoxFuture;

#[derive(Clone, PartialEq, prost::Message)]
struct StatusRequest {}

#[derive(Clone, PartialEq, prost::Message)]
struct StatusResponse {
    #[prost(string, tag = "1")]
    version: String,
    #[prost(string, tag = "2")]
    healthz: String,
    #[prost(string, tag = "3")]
    key_id: String,
}

#[derive(Clone, PartialEq, prost::Message)]
struct DecryptRequest {
    #[prost(bytes = "vec", tag = "1")]
    ciphertext: Vec<u8>,
    #[prost(string, tag = "2")]
    uid: String,
    #[prost(string, tag = "3")]
    key_id: String,
    #[prost(map = "string, bytes", tag = "4")]
    annotations: HashMap<String, Vec<u8>>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct DecryptResponse {
    #[prost(bytes = "vec", tag = "1")]
    plaintext: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct EncryptRequest {
    #[prost(bytes = "vec", tag = "1")]
    plaintext: Vec<u8>,
    #[prost(string, tag = "2")]
    uid: String,
}

#[derive(Clone, PartialEq, prost::Message)]
struct EncryptResponse {
    #[prost(bytes = "vec", tag = "1")]
    ciphertext: Vec<u8>,
    #[prost(string, tag = "2")]
    key_id: String,
    #[prost(map = "string, bytes", tag = "3")]
    annotations: HashMap<String, Vec<u8>>,
}

struct State {
    key_id: Mutex<String>,
    decrypts: AtomicUsize,
    encrypts: AtomicUsize,
}

fn mask(key_id: &str) -> u8 {
    key_id.bytes().fold(0x5au8, |a, b| a.rotate_left(1) ^ b) | 1
}

impl State {
    fn encrypt(&self, req: EncryptRequest) -> EncryptResponse {
        self.encrypts.fetch_add(1, Ordering::SeqCst);
        let key_id = self.key_id.lock().unwrap().clone();
        let m = mask(&key_id);
        let mut ciphertext = format!("{key_id}:").into_bytes();
        ciphertext.extend(req.plaintext.iter().map(|b| b ^ m));
        EncryptResponse {
            ciphertext,
            key_id,
            annotations: HashMap::from([("test.kms.kubox.dev".to_string(), b"1".to_vec())]),
        }
    }

    fn decrypt(&self, req: DecryptRequest) -> Result<DecryptResponse, tonic::Status> {
        self.decrypts.fetch_add(1, Ordering::SeqCst);
        let tag = format!("{}:", req.key_id);
        let Some(body) = req.ciphertext.strip_prefix(tag.as_bytes()) else {
            return Err(tonic::Status::invalid_argument("ciphertext does not belong to this key ID"));
        };
        let m = mask(&req.key_id);
        Ok(DecryptResponse { plaintext: body.iter().map(|b| b ^ m).collect() })
    }
}

#[derive(Clone)]
struct Service(Arc<State>);

type Body = tonic::body::Body;

fn unary<Req, Resp>(
    req: http::Request<Body>,
    f: impl Fn(Req) -> Result<Resp, tonic::Status> + Send + Sync + Clone + 'static,
) -> BoxFuture<'static, Result<http::Response<Body>, Infallible>>
where
    Req: prost::Message + Default + Send + Sync + 'static,
    Resp: prost::Message + Send + Sync + 'static,
{
    Box::pin(async move {
        let mut grpc = tonic::server::Grpc::new(tonic_prost::ProstCodec::<Resp, Req>::default());
        let svc = tower::service_fn(move |r: tonic::Request<Req>| {
            let f = f.clone();
            async move { f(r.into_inner()).map(tonic::Response::new) }
        });
        Ok(grpc.unary(svc, req).await)
    })
}

impl tower::Service<http::Request<Body>> for Service {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        let state = self.0.clone();
        match req.uri().path() {
            "/v2.KeyManagementService/Status" => unary(req, move |_: StatusRequest| {
                Ok(StatusResponse {
                    version: "v2".into(),
                    healthz: "ok".into(),
                    key_id: state.key_id.lock().unwrap().clone(),
                })
            }),
            "/v2.KeyManagementService/Encrypt" => unary(req, move |r: EncryptRequest| Ok(state.encrypt(r))),
            "/v2.KeyManagementService/Decrypt" => unary(req, move |r: DecryptRequest| state.decrypt(r)),
            _ => Box::pin(async { Ok(tonic::Status::unimplemented("no such method").into_http()) }),
        }
    }
}

/// A running test plugin; stops when dropped.
pub struct KmsPlugin {
    state: Arc<State>,
    /// The socket it listens on.
    pub socket: PathBuf,
    runtime: Option<tokio::runtime::Runtime>,
}

impl KmsPlugin {
    /// Starts the plugin on `socket` with key ID `key_id`.
    pub fn start(socket: &Path, key_id: &str) -> Self {
        let state = Arc::new(State {
            key_id: Mutex::new(key_id.to_string()),
            decrypts: AtomicUsize::new(0),
            encrypts: AtomicUsize::new(0),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the KMS plugin");
        let _ = std::fs::remove_file(socket);
        let listener = {
            let _guard = runtime.enter();
            tokio::net::UnixListener::bind(socket).expect("binding the KMS plugin socket")
        };
        let incoming = futures::stream::unfold(listener, |l| async move {
            let r = l.accept().await.map(|(s, _)| s);
            Some((r, l))
        });
        let svc = Service(state.clone());
        runtime.spawn(async move {
            let _ = tonic::transport::Server::builder().serve_with_incoming(svc, incoming).await;
        });
        Self { state, socket: socket.to_path_buf(), runtime: Some(runtime) }
    }

    /// Changes the key ID (a KEK rotation in the KMS).
    pub fn set_key_id(&self, key_id: &str) {
        *self.state.key_id.lock().unwrap() = key_id.to_string();
    }

    /// Decrypt calls so far.
    pub fn decrypts(&self) -> usize {
        self.state.decrypts.load(Ordering::SeqCst)
    }

    /// Encrypt calls so far.
    pub fn encrypts(&self) -> usize {
        self.state.encrypts.load(Ordering::SeqCst)
    }
}

impl Drop for KmsPlugin {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
        let _ = std::fs::remove_file(&self.socket);
    }
}
