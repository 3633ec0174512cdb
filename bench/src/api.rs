//! The API benchmark: a Kubernetes API server measured the way a Go client
//! (client-go) uses it: HTTP/2 over TLS, one connection multiplexed (a few
//! for a thousand watches, as Go opens another when a connection's stream
//! limit is reached), JSON bodies, gzip accepted. By default it starts the
//! kubox binary itself on a temporary data directory; given a kubeconfig it
//! measures whatever server that names, kube-apiserver for instance.
//!
//! Every workload is bounded by a count and a deadline, and the report puts
//! each figure next to its target and the reference figures of the issue.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use base64::Engine;
use bytes::{Bytes, BytesMut};
use http::{Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http2;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::stats::Stats;

/// The parts of the benchmark, each a group of rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// Create, get and update of ConfigMaps and Pods.
    Objects,
    /// Full and paginated lists of many ConfigMaps.
    List,
    /// Delivery of a create to many watchers.
    Watch,
    /// Process start to `/readyz` ok (kubox only: the bench starts it).
    Startup,
    /// Resident memory at idle and holding many ConfigMaps.
    Memory,
}

impl Part {
    /// Every part, in run order.
    pub const ALL: [Part; 5] = [Part::Objects, Part::List, Part::Watch, Part::Startup, Part::Memory];
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Measure the server this kubeconfig names instead of starting kubox.
    pub kubeconfig: Option<PathBuf>,
    /// The kubox binary to start.
    pub kubox: PathBuf,
    /// With `kubeconfig`: the server's pid, for its resident memory.
    pub server_pid: Option<u32>,
    /// Requests per object workload and client count (split among the clients).
    pub ops: usize,
    /// Concurrent clients of the object and list workloads.
    pub clients: Vec<usize>,
    /// ConfigMaps the list workloads read.
    pub list_objects: usize,
    /// Lists per list workload and client count.
    pub list_ops: usize,
    /// Page size of the paginated list.
    pub page_size: usize,
    /// Watcher counts of the watch workload.
    pub watchers: Vec<usize>,
    /// Creates each watch row delivers.
    pub watch_events: usize,
    /// Starts measured for the time to ready.
    pub startups: usize,
    /// ConfigMaps held for the memory figure.
    pub memory_objects: usize,
    /// Concurrent creators when filling (list data, memory data).
    pub fill_clients: usize,
    /// Longest one row may run, whatever its count says.
    pub deadline: Duration,
    /// Longest a fill may run.
    pub fill_deadline: Duration,
    /// HTTP/2 connections the clients share (client-go opens one).
    pub connections: usize,
    /// Accept gzip, as Go's HTTP transport does unless told not to.
    pub gzip: bool,
    /// Which parts to run.
    pub parts: Vec<Part>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            kubeconfig: None,
            kubox: default_kubox_binary(),
            server_pid: None,
            ops: 5000,
            clients: vec![1, 16, 64],
            list_objects: 10_000,
            list_ops: 20,
            page_size: 500,
            watchers: vec![1, 100, 1000],
            watch_events: 100,
            startups: 5,
            memory_objects: 100_000,
            fill_clients: 64,
            deadline: Duration::from_secs(30),
            fill_deadline: Duration::from_secs(600),
            connections: 1,
            gzip: true,
            parts: Part::ALL.to_vec(),
        }
    }
}

/// The release `kubox` next to this bench binary, or `target/release/kubox`.
pub fn default_kubox_binary() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("kubox")))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("target/release/kubox"))
}

/// Streams one HTTP/2 connection carries at most for watches (Go's server
/// default is 250; kube-apiserver and kubox allow more).
const WATCHES_PER_CONNECTION: usize = 250;
/// The annotation carrying a watched create's start time, in nanoseconds
/// since the bench's base instant.
const SENT_ANNOTATION: &str = "kubox-bench/sent";
/// How long a create may take to reach every watcher before the row fails.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------
// Connection: kubeconfig, TLS, HTTP/2.

/// Where an API server is and how to authenticate to it.
pub struct Endpoint {
    /// `https://host:port`, plus the kubeconfig's path prefix if any.
    pub server: String,
    host: String,
    port: u16,
    server_name: ServerName<'static>,
    tls: Arc<rustls::ClientConfig>,
    token: Option<String>,
}

impl Endpoint {
    /// Reads the current context of a kubeconfig: the server URL, its CA,
    /// and a client certificate and key or a bearer token.
    pub fn from_kubeconfig(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let doc: Value = serde_saphyr::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let named = |list: &str, name: &str, field: &str| -> anyhow::Result<Value> {
            doc[list]
                .as_array()
                .and_then(|l| l.iter().find(|e| e["name"] == name))
                .map(|e| e[field].clone())
                .ok_or_else(|| anyhow!("{}: no {list} entry named {name:?}", path.display()))
        };
        let current = doc["current-context"].as_str().context("the kubeconfig has no current-context")?;
        let context = named("contexts", current, "context")?;
        let cluster = named("clusters", context["cluster"].as_str().unwrap_or(""), "cluster")?;
        let user = named("users", context["user"].as_str().unwrap_or(""), "user")?;
        // `x-data` inline (base64) or `x` as a file relative to the kubeconfig.
        let material = |v: &Value, inline: &str, file: &str| -> anyhow::Result<Option<Vec<u8>>> {
            if let Some(data) = v[inline].as_str() {
                return Ok(Some(base64::engine::general_purpose::STANDARD.decode(data.trim())?));
            }
            match v[file].as_str() {
                Some(f) => Ok(Some(std::fs::read(dir.join(f)).with_context(|| format!("reading {f}"))?)),
                None => Ok(None),
            }
        };

        let server = cluster["server"].as_str().context("the cluster has no server")?.trim_end_matches('/');
        let rest = server.strip_prefix("https://").context("only https:// servers are supported")?;
        let authority = rest.split('/').next().unwrap_or(rest);
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
                (h.trim_start_matches('[').trim_end_matches(']').to_string(), p.parse().context("server port")?)
            }
            _ => (authority.trim_start_matches('[').trim_end_matches(']').to_string(), 443),
        };
        let name = cluster["tls-server-name"].as_str().unwrap_or(&host).to_string();
        let server_name = ServerName::try_from(name).context("server name")?;

        let ca = material(&cluster, "certificate-authority-data", "certificate-authority")?
            .context("the kubeconfig names no certificate authority (insecure-skip-tls-verify is not supported)")?;
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(&ca) {
            roots.add(cert.context("reading the CA")?)?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots);
        let cert = material(&user, "client-certificate-data", "client-certificate")?;
        let key = material(&user, "client-key-data", "client-key")?;
        let mut tls = match (cert, key) {
            (Some(cert), Some(key)) => {
                let chain = CertificateDer::pem_slice_iter(&cert).collect::<Result<Vec<_>, _>>()?;
                builder.with_client_auth_cert(chain, PrivateKeyDer::from_pem_slice(&key)?)?
            }
            _ => builder.with_no_client_auth(),
        };
        tls.alpn_protocols = vec![b"h2".to_vec()];
        let token = match (user["token"].as_str(), user["tokenFile"].as_str()) {
            (Some(t), _) => Some(t.to_string()),
            (None, Some(f)) => Some(std::fs::read_to_string(dir.join(f))?.trim().to_string()),
            (None, None) => None,
        };
        if user.get("exec").is_some_and(|e| !e.is_null()) && token.is_none() {
            bail!("exec credential plugins are not supported: use a client certificate or a token");
        }
        Ok(Self { server: server.to_string(), host, port, server_name, tls: Arc::new(tls), token })
    }

    /// Opens one HTTP/2 connection.
    async fn connect(&self) -> anyhow::Result<http2::SendRequest<Full<Bytes>>> {
        let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
            .await
            .with_context(|| format!("connecting to {}", self.server))?;
        tcp.set_nodelay(true)?;
        let tls = tokio_rustls::TlsConnector::from(self.tls.clone())
            .connect(self.server_name.clone(), tcp)
            .await
            .with_context(|| format!("TLS handshake with {}", self.server))?;
        if tls.get_ref().1.alpn_protocol() != Some(b"h2") {
            bail!("{} did not agree to HTTP/2", self.server);
        }
        // Go's HTTP/2 transport: 4 MiB per stream, 1 GiB per connection.
        let (send, conn) = http2::Builder::new(TokioExecutor::new())
            .initial_stream_window_size(4 << 20)
            .initial_connection_window_size(1 << 30)
            .max_concurrent_reset_streams(4096)
            .handshake(TokioIo::new(tls))
            .await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(send)
    }
}

/// A response, its body read (and gunzipped).
pub struct Reply {
    /// Status code.
    pub status: StatusCode,
    /// Body.
    pub body: Bytes,
}

impl Reply {
    /// The body, if the status is `want`.
    fn expect(self, want: StatusCode, what: &str) -> anyhow::Result<Bytes> {
        if self.status != want {
            let text = String::from_utf8_lossy(&self.body);
            bail!("{what}: expected {want}, got {}: {}", self.status, text.chars().take(400).collect::<String>());
        }
        Ok(self.body)
    }
}

/// An API client over one or a few multiplexed HTTP/2 connections.
#[derive(Clone)]
pub struct Client {
    endpoint: Arc<Endpoint>,
    connections: Arc<Vec<http2::SendRequest<Full<Bytes>>>>,
    next: Arc<AtomicUsize>,
    gzip: bool,
}

impl Client {
    /// Opens `connections` connections to `endpoint`.
    pub async fn connect(endpoint: Arc<Endpoint>, connections: usize, gzip: bool) -> anyhow::Result<Self> {
        let mut conns = Vec::with_capacity(connections.max(1));
        for _ in 0..connections.max(1) {
            conns.push(endpoint.connect().await?);
        }
        Ok(Self { endpoint, connections: Arc::new(conns), next: Arc::new(AtomicUsize::new(0)), gzip })
    }

    fn build(&self, method: Method, path: &str, body: Option<Bytes>) -> anyhow::Result<Request<Full<Bytes>>> {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.endpoint.server))
            .header(header::ACCEPT, "application/json")
            .header(header::USER_AGENT, concat!("kubox-bench/", env!("CARGO_PKG_VERSION")));
        if self.gzip {
            req = req.header(header::ACCEPT_ENCODING, "gzip");
        }
        if let Some(token) = &self.endpoint.token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        Ok(req.body(Full::new(body.unwrap_or_default()))?)
    }

    async fn open(&self, method: Method, path: &str, body: Option<Bytes>) -> anyhow::Result<http::Response<Incoming>> {
        let req = self.build(method, path, body)?;
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.connections.len();
        let mut conn = self.connections[i].clone();
        conn.ready().await.context("the HTTP/2 connection closed")?;
        Ok(conn.send_request(req).await?)
    }

    /// Sends a request and reads the whole response.
    pub async fn send(&self, method: Method, path: &str, body: Option<Bytes>) -> anyhow::Result<Reply> {
        let resp = self.open(method, path, body).await?;
        let status = resp.status();
        let gzipped = resp.headers().get(header::CONTENT_ENCODING).is_some_and(|v| v == "gzip");
        let mut body = resp.into_body().collect().await?.to_bytes();
        if gzipped {
            let mut out = Vec::with_capacity(body.len() * 4);
            flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut out).context("gunzip")?;
            body = Bytes::from(out);
        }
        Ok(Reply { status, body })
    }

    /// Opens a watch; the response has its headers, the body streams.
    async fn watch(&self, path: &str) -> anyhow::Result<Incoming> {
        let resp = self.open(Method::GET, path, None).await?;
        if resp.status() != StatusCode::OK {
            let status = resp.status();
            let body = resp.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            bail!("watch {path}: {status}: {}", String::from_utf8_lossy(&body));
        }
        Ok(resp.into_body())
    }
}

// ---------------------------------------------------------------------------
// The kubox process.

/// A `kubox serve` this bench started, stopped on drop.
pub struct KuboxProcess {
    child: Child,
    /// Its data directory.
    pub data_dir: PathBuf,
    /// Where it serves (`host:port`).
    pub address: String,
    log: Arc<Mutex<VecDeque<String>>>,
    _dir: tempfile::TempDir,
}

impl KuboxProcess {
    /// Starts `kubox serve` on an empty temporary data directory and a free
    /// port, and waits until `/readyz` says ok; returns it and the time from
    /// spawning the process to that answer.
    pub async fn start(binary: &Path) -> anyhow::Result<(Self, Duration)> {
        let dir = tempfile::tempdir()?;
        let data_dir = dir.path().to_path_buf();
        let started = Instant::now();
        let mut child = Command::new(binary)
            .args(["serve", "--secure-port", "0", "--peer-port", "0", "--data-dir"])
            .arg(&data_dir)
            .env("KUBOX_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {} (cargo build --release --workspace --bins)", binary.display()))?;
        let stderr = child.stderr.take().context("stderr is piped")?;
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("kubox is serving")
                    && let Some(addr) = line.split("address=").nth(1).and_then(|a| a.split_whitespace().next())
                {
                    let _ = tx.send(addr.to_string());
                }
                if let Ok(mut l) = lines.lock() {
                    if l.len() == 200 {
                        l.pop_front();
                    }
                    l.push_back(line);
                }
            }
        });
        let mut process = Self { child, data_dir, address: String::new(), log, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(60);
        process.address = loop {
            if let Ok(a) = rx.try_recv() {
                break a;
            }
            if let Some(status) = process.child.try_wait()? {
                bail!("kubox exited with {status} before serving:\n{}", process.log_tail());
            }
            if Instant::now() > deadline {
                bail!("kubox did not start serving within 60 s:\n{}", process.log_tail());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        let endpoint = Arc::new(Endpoint::from_kubeconfig(&process.kubeconfig())?);
        let mut client: Option<Client> = None;
        loop {
            if client.is_none() {
                client = Client::connect(endpoint.clone(), 1, false).await.ok();
            }
            if let Some(c) = &client {
                match c.send(Method::GET, "/readyz", None).await {
                    Ok(r) if r.status == StatusCode::OK && r.body.as_ref() == b"ok" => break,
                    Ok(_) => {}
                    Err(_) => client = None,
                }
            }
            if Instant::now() > deadline {
                bail!("kubox did not become ready within 60 s:\n{}", process.log_tail());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let ready = started.elapsed();
        Ok((process, ready))
    }

    /// The admin kubeconfig kubox wrote.
    pub fn kubeconfig(&self) -> PathBuf {
        self.data_dir.join("admin.kubeconfig")
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn log_tail(&self) -> String {
        self.log.lock().map(|l| l.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap_or_default()
    }

    /// Stops it with SIGTERM (SIGKILL after 15 s).
    pub fn stop(mut self) {
        self.terminate();
    }

    fn terminate(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        // SAFETY: kill(2) on our own child's pid has no memory effects.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for KuboxProcess {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// Resident memory of a process (VmRSS in /proc/PID/status), in bytes.
pub fn resident_bytes(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).context("no VmRSS line")?;
    let kib: u64 = line.split_whitespace().nth(1).context("VmRSS value")?.parse()?;
    Ok(kib * 1024)
}

// ---------------------------------------------------------------------------
// The objects.

/// The kinds the object workloads write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A ConfigMap with 1 KiB of data.
    ConfigMap,
    /// A realistic Pod of about 3 KiB.
    Pod,
}

impl Kind {
    fn plural(self) -> &'static str {
        match self {
            Kind::ConfigMap => "configmaps",
            Kind::Pod => "pods",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::ConfigMap => "ConfigMap (1 KiB)",
            Kind::Pod => "Pod (3 KiB)",
        }
    }

    /// A new object.
    pub fn object(self, namespace: &str, name: &str) -> Value {
        match self {
            Kind::ConfigMap => config_map(namespace, name),
            Kind::Pod => pod(namespace, name),
        }
    }

    /// The object changed for an update: new data, or a new annotation
    /// (most of a Pod's spec is immutable).
    fn change(self, object: &mut Value, round: usize) {
        match self {
            Kind::ConfigMap => object["data"]["payload"] = json!(payload(round)),
            Kind::Pod => {
                object["metadata"]["annotations"]["kubox-bench/round"] = json!(round.to_string());
            }
        }
    }
}

/// 1 KiB of text that differs per round.
fn payload(round: usize) -> String {
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..1024).map(|i| alphabet[(i + round) % alphabet.len()] as char).collect()
}

fn config_map(namespace: &str, name: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": "kubox-bench"}},
        "data": {"payload": payload(0)},
    })
}

/// A Pod as a Deployment would create it: an init container, an app and a
/// sidecar, env from fields and secrets, volumes, probes, resources.
fn pod(namespace: &str, name: &str) -> Value {
    let resources = |rc: &str, rm: &str, lc: &str, lm: &str| json!({"requests": {"cpu": rc, "memory": rm}, "limits": {"cpu": lc, "memory": lm}});
    let field = |name: &str, path: &str| json!({"name": name, "valueFrom": {"fieldRef": {"fieldPath": path}}});
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {
                "app.kubernetes.io/name": "checkout",
                "app.kubernetes.io/instance": "checkout-prod",
                "app.kubernetes.io/version": "2.14.3",
                "app.kubernetes.io/component": "api",
                "app.kubernetes.io/part-of": "shop",
                "pod-template-hash": "7f9c6d8b5",
            },
            "annotations": {
                "prometheus.io/scrape": "true",
                "prometheus.io/port": "9090",
                "prometheus.io/path": "/metrics",
                "kubectl.kubernetes.io/default-container": "app",
                "checksum/config": "9f2c1e7a4b6d8f0e3a5c7b9d1f2e4a6c8b0d2f4e6a8c0b2d4f6e8a0c2b4d6f8e",
            },
        },
        "spec": {
            "initContainers": [{
                "name": "migrate",
                "image": "registry.example.com/shop/checkout-migrate:2.14.3",
                "command": ["/bin/migrate", "--database-url=$(DATABASE_URL)", "--timeout=120s"],
                "env": [{"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"name": "checkout-db", "key": "url"}}}],
                "resources": resources("100m", "64Mi", "500m", "128Mi"),
            }],
            "containers": [
                {
                    "name": "app",
                    "image": "registry.example.com/shop/checkout:2.14.3",
                    "args": ["--port=8080", "--metrics-port=9090", "--log-level=info"],
                    "ports": [
                        {"name": "http", "containerPort": 8080, "protocol": "TCP"},
                        {"name": "metrics", "containerPort": 9090, "protocol": "TCP"},
                    ],
                    "env": [
                        field("POD_NAME", "metadata.name"),
                        field("POD_NAMESPACE", "metadata.namespace"),
                        field("NODE_NAME", "spec.nodeName"),
                        {"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"name": "checkout-db", "key": "url"}}},
                        {"name": "CACHE_TTL", "value": "300s"},
                        {"name": "FEATURE_FLAGS", "value": "new-cart,express-checkout"},
                    ],
                    "envFrom": [{"configMapRef": {"name": "checkout-config"}}],
                    "resources": resources("250m", "256Mi", "1", "512Mi"),
                    "volumeMounts": [
                        {"name": "config", "mountPath": "/etc/checkout", "readOnly": true},
                        {"name": "tls", "mountPath": "/etc/tls", "readOnly": true},
                        {"name": "tmp", "mountPath": "/tmp"},
                    ],
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "initialDelaySeconds": 10, "periodSeconds": 10},
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 5, "failureThreshold": 3},
                    "securityContext": {
                        "runAsNonRoot": true,
                        "runAsUser": 10001,
                        "allowPrivilegeEscalation": false,
                        "readOnlyRootFilesystem": true,
                        "capabilities": {"drop": ["ALL"]},
                    },
                },
                {
                    "name": "proxy",
                    "image": "registry.example.com/mesh/proxy:1.22.1",
                    "args": ["proxy", "sidecar", "--concurrency=2"],
                    "ports": [{"name": "proxy-admin", "containerPort": 15000, "protocol": "TCP"}],
                    "env": [field("POD_IP", "status.podIP"), {"name": "MESH_CLUSTER", "value": "prod-eu-1"}],
                    "resources": resources("50m", "64Mi", "200m", "128Mi"),
                    "volumeMounts": [{"name": "mesh-certs", "mountPath": "/var/run/mesh", "readOnly": true}],
                },
            ],
            "volumes": [
                {"name": "config", "configMap": {"name": "checkout-config"}},
                {"name": "tls", "secret": {"secretName": "checkout-tls", "defaultMode": 420}},
                {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}},
                {"name": "mesh-certs", "emptyDir": {"medium": "Memory"}},
            ],
            "automountServiceAccountToken": false,
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            ],
            "terminationGracePeriodSeconds": 30,
            "securityContext": {"fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
        },
    })
}

fn collection(namespace: &str, plural: &str) -> String {
    format!("/api/v1/namespaces/{namespace}/{plural}")
}

async fn ensure(client: &Client, path: &str, object: Value) -> anyhow::Result<()> {
    let reply = client.send(Method::POST, path, Some(Bytes::from(object.to_string()))).await?;
    match reply.status {
        StatusCode::CREATED | StatusCode::CONFLICT => Ok(()),
        _ => reply.expect(StatusCode::CREATED, path).map(|_| ()),
    }
}

/// Creates a namespace with a `default` ServiceAccount (which
/// kube-apiserver's admission wants for Pods; no controller makes one when
/// only the API server runs).
async fn namespace(client: &Client, name: &str) -> anyhow::Result<()> {
    ensure(client, "/api/v1/namespaces", json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}))
        .await?;
    ensure(
        client,
        &collection(name, "serviceaccounts"),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}),
    )
    .await
}

/// Creates `count` ConfigMaps named `{prefix}{i}` with `clients` concurrent
/// creators; returns the create latencies and the wall time.
async fn fill(
    client: &Client,
    namespace: &str,
    prefix: &str,
    count: usize,
    clients: usize,
    deadline: Duration,
) -> anyhow::Result<Stats> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let path = collection(namespace, "configmaps");
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let (client, next, path, namespace, prefix) =
            (client.clone(), next.clone(), path.clone(), namespace.to_string(), prefix.to_string());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count || started.elapsed() > deadline {
                    return anyhow::Ok(latencies);
                }
                let body = Bytes::from(config_map(&namespace, &format!("{prefix}{i}")).to_string());
                let t = Instant::now();
                client.send(Method::POST, &path, Some(body)).await?.expect(StatusCode::CREATED, "create")?;
                latencies.push(t.elapsed());
            }
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await??);
    }
    Ok(Stats::new(latencies, started.elapsed()))
}

// ---------------------------------------------------------------------------
// The report.

/// What a row measured.
#[derive(Clone, Debug)]
pub enum Figure {
    /// Requests: throughput and latency.
    Load(Stats),
    /// Durations without a meaningful rate (time to ready).
    Latency(Stats),
    /// Resident memory in bytes.
    Memory(u64),
}

/// A target and whether the figure meets it.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The target, as the issue states it.
    pub target: &'static str,
    /// Whether it is met.
    pub met: bool,
}

/// One row of the report.
#[derive(Clone, Debug)]
pub struct ApiRow {
    /// The workload.
    pub workload: String,
    /// The load it ran under ("16 clients", "100 watchers", ...).
    pub load: String,
    /// The figure.
    pub figure: Figure,
    /// The target, where the issue sets one for this row.
    pub verdict: Option<Verdict>,
    /// kube-apiserver's figure from the issue, where it gives one.
    pub reference: Option<&'static str>,
}

/// The results of a run.
pub struct Report {
    /// What was measured: the server URL and its /version.
    pub server: String,
    /// The rows, in report order.
    pub rows: Vec<ApiRow>,
}

/// What a row is, for its target and reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Create(Kind),
    Get(Kind),
    Update(Kind),
    List,
    Watch,
    Ready,
    IdleMemory,
    FullMemory,
    Other,
}

const MB: f64 = 1_000_000.0;

fn judge(measure: Measure, n: usize, figure: &Figure) -> (Option<Verdict>, Option<&'static str>) {
    let (tput, p50, p99) = match figure {
        Figure::Load(s) | Figure::Latency(s) => (s.throughput(), s.p50, s.p99),
        Figure::Memory(_) => (0.0, Duration::ZERO, Duration::ZERO),
    };
    let bytes = match figure {
        Figure::Memory(b) => *b as f64,
        _ => 0.0,
    };
    let ms = |v: u64| Duration::from_millis(v);
    let v = |target, met| Some(Verdict { target, met });
    match (measure, n) {
        (Measure::Create(_) | Measure::Update(_), 16) => {
            let reference = matches!(measure, Measure::Create(Kind::ConfigMap)).then_some("≈700/s, p99 60 ms");
            (v("≥ 3,000/s and p99 ≤ 15 ms", tput >= 3000.0 && p99 <= ms(15)), reference)
        }
        (Measure::Get(k), 16) => (v("≥ 10,000/s", tput >= 10_000.0), (k == Kind::ConfigMap).then_some("≈1,070/s")),
        (Measure::List, 1) => (v("p50 ≤ 100 ms", p50 <= ms(100)), None),
        (Measure::Watch, 100) => (v("p99 ≤ 10 ms", p99 <= ms(10)), Some("p99 45 ms")),
        (Measure::Watch, 1000) => (v("p99 ≤ 20 ms", p99 <= ms(20)), None),
        (Measure::Ready, _) => (v("≤ 300 ms", p50 <= ms(300)), Some("5.3 s")),
        (Measure::IdleMemory, _) => (v("≤ 40 MB", bytes <= 40.0 * MB), Some("290 MB (load not stated)")),
        (Measure::FullMemory, _) => (v("≤ 400 MB", bytes <= 400.0 * MB), None),
        _ => (None, None),
    }
}

fn row(workload: impl Into<String>, load: String, n: usize, measure: Measure, figure: Figure) -> ApiRow {
    let (verdict, reference) = judge(measure, n, &figure);
    ApiRow { workload: workload.into(), load, figure, verdict, reference }
}

fn ms_text(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        format!("{ms:.3} ms")
    } else if ms < 100.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// Thousands separated by commas.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 client", "1,000 watchers".
fn counted(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n as u64), if n == 1 { "" } else { "s" })
}

/// The report as a Markdown table.
pub fn markdown(rows: &[ApiRow]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| workload | load | count | ops/s | p50 | p99 | target | met | reference: kube-apiserver 1.28 + etcd 3.4 (from the issue, not measured in this run) |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---|---|---|");
    for r in rows {
        let (count, ops, p50, p99) = match &r.figure {
            Figure::Load(s) => {
                (thousands(s.count as u64), thousands(s.throughput().round() as u64), ms_text(s.p50), ms_text(s.p99))
            }
            Figure::Latency(s) => (thousands(s.count as u64), "-".into(), ms_text(s.p50), ms_text(s.p99)),
            Figure::Memory(b) => ("-".into(), "-".into(), format!("{:.1} MB", *b as f64 / MB), "-".into()),
        };
        let (target, met) = match &r.verdict {
            Some(v) => (v.target, if v.met { "yes" } else { "**no**" }),
            None => ("", ""),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {count} | {ops} | {p50} | {p99} | {target} | {met} | {} |",
            r.workload,
            r.load,
            r.reference.unwrap_or("")
        );
    }
    out
}

// ---------------------------------------------------------------------------
// The run.

struct Bench<'a> {
    cfg: &'a Config,
    client: Client,
    endpoint: Arc<Endpoint>,
    /// Prefix of every namespace this run creates.
    prefix: String,
    /// Time zero of the watch stamps.
    base: Instant,
}

/// Runs the configured parts and returns the rows.
pub async fn run(cfg: &Config) -> anyhow::Result<Report> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let external = match &cfg.kubeconfig {
        Some(path) => Some(Arc::new(Endpoint::from_kubeconfig(path)?)),
        None => None,
    };
    let mut server = match &external {
        Some(e) => e.server.clone(),
        None => format!("kubox ({})", cfg.kubox.display()),
    };
    let mut rows = Vec::new();
    if cfg.parts.iter().any(|p| matches!(p, Part::Objects | Part::List | Part::Watch)) {
        let (process, endpoint) = match &external {
            Some(e) => (None, e.clone()),
            None => {
                let (p, _) = KuboxProcess::start(&cfg.kubox).await?;
                let endpoint = Arc::new(Endpoint::from_kubeconfig(&p.kubeconfig())?);
                (Some(p), endpoint)
            }
        };
        let client = Client::connect(endpoint.clone(), cfg.connections, cfg.gzip).await?;
        let version = client.send(Method::GET, "/version", None).await?.expect(StatusCode::OK, "GET /version")?;
        let version: Value = serde_json::from_slice(&version)?;
        server = format!("{server}, {}", version["gitVersion"].as_str().unwrap_or("unknown version"));
        let prefix = format!("kubox-bench-{}", run_suffix());
        let bench = Bench { cfg, client, endpoint, prefix, base: Instant::now() };
        if cfg.parts.contains(&Part::Objects) {
            rows.extend(bench.objects().await?);
        }
        if cfg.parts.contains(&Part::List) {
            rows.extend(bench.lists().await?);
        }
        if cfg.parts.contains(&Part::Watch) {
            rows.extend(bench.watches().await?);
        }
        let pid = process.as_ref().map(KuboxProcess::pid).or(cfg.server_pid);
        if let Some(pid) = pid {
            rows.push(row(
                "resident memory after the rows above",
                "-".into(),
                0,
                Measure::Other,
                Figure::Memory(resident_bytes(pid)?),
            ));
        }
        match process {
            Some(p) => p.stop(),
            None => bench.clean_up().await,
        }
    }
    if cfg.parts.contains(&Part::Startup) && external.is_none() {
        rows.push(startup(cfg).await?);
    }
    if cfg.parts.contains(&Part::Memory) {
        rows.extend(memory(cfg, external.as_ref()).await?);
    }
    Ok(Report { server, rows })
}

/// A short, run-unique suffix for namespace names.
fn run_suffix() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    format!("{:x}", (nanos as u64) ^ (u64::from(std::process::id()) << 40)).chars().rev().take(8).collect()
}

/// The item count and continue token of a list body.
#[derive(Deserialize)]
struct ListHead {
    metadata: ListMeta,
    items: Vec<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct ListMeta {
    #[serde(default, rename = "continue")]
    continue_token: Option<String>,
    #[serde(default, rename = "resourceVersion")]
    resource_version: Option<String>,
}

impl Bench<'_> {
    /// Create, get and update rows for both kinds at every client count.
    async fn objects(&self) -> anyhow::Result<Vec<ApiRow>> {
        let ns = format!("{}-objects", self.prefix);
        namespace(&self.client, &ns).await?;
        let mut rows = Vec::new();
        for kind in [Kind::ConfigMap, Kind::Pod] {
            let mut by_phase: [Vec<ApiRow>; 3] = Default::default();
            for &clients in &self.cfg.clients {
                let [create, get, update] = self.object_rows(&ns, kind, clients).await?;
                let load = counted(clients, "client");
                by_phase[0].push(row(
                    format!("create {}", kind.label()),
                    load.clone(),
                    clients,
                    Measure::Create(kind),
                    Figure::Load(create),
                ));
                by_phase[1].push(row(
                    format!("get {}", kind.label()),
                    load.clone(),
                    clients,
                    Measure::Get(kind),
                    Figure::Load(get),
                ));
                by_phase[2].push(row(
                    format!("update {}, PUT", kind.label()),
                    load,
                    clients,
                    Measure::Update(kind),
                    Figure::Load(update),
                ));
            }
            rows.extend(by_phase.into_iter().flatten());
        }
        Ok(rows)
    }

    /// Creates `ops` objects with `clients` clients, gets them, updates them.
    async fn object_rows(&self, ns: &str, kind: Kind, clients: usize) -> anyhow::Result<[Stats; 3]> {
        let per_client = self.cfg.ops.div_ceil(clients);
        let path = collection(ns, kind.plural());
        let deadline = self.cfg.deadline;

        // Create: each client keeps what the server returned, to update it.
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let (client, path, ns) = (self.client.clone(), path.clone(), ns.to_string());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_client);
                let mut objects = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    if started.elapsed() > deadline {
                        break;
                    }
                    let name = format!("{}-{clients}-{c}-{i}", kind.plural().trim_end_matches('s'));
                    let body = Bytes::from(kind.object(&ns, &name).to_string());
                    let t = Instant::now();
                    let reply = client.send(Method::POST, &path, Some(body)).await?;
                    latencies.push(t.elapsed());
                    let created: Value = serde_json::from_slice(&reply.expect(StatusCode::CREATED, "create")?)?;
                    objects.push(created);
                }
                anyhow::Ok((latencies, objects))
            }));
        }
        let mut latencies = Vec::new();
        let mut objects: Vec<Vec<Value>> = Vec::new();
        for t in tasks {
            let (l, o) = t.await??;
            latencies.extend(l);
            objects.push(o);
        }
        let create = Stats::new(latencies, started.elapsed());

        // Get: each client reads its own objects round-robin.
        let started = Instant::now();
        let mut tasks = Vec::new();
        for own in &objects {
            let names: Vec<String> =
                own.iter().filter_map(|o| o["metadata"]["name"].as_str().map(str::to_string)).collect();
            let (client, path) = (self.client.clone(), path.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    if started.elapsed() > deadline || names.is_empty() {
                        break;
                    }
                    let url = format!("{path}/{}", names[i % names.len()]);
                    let t = Instant::now();
                    let reply = client.send(Method::GET, &url, None).await?;
                    latencies.push(t.elapsed());
                    reply.expect(StatusCode::OK, "get")?;
                }
                anyhow::Ok(latencies)
            }));
        }
        let mut latencies = Vec::new();
        for t in tasks {
            latencies.extend(t.await??);
        }
        let get = Stats::new(latencies, started.elapsed());

        // Update: PUT the last version each client holds, with its resourceVersion.
        let started = Instant::now();
        let mut tasks = Vec::new();
        for mut own in objects {
            let (client, path) = (self.client.clone(), path.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    if started.elapsed() > deadline || own.is_empty() {
                        break;
                    }
                    let j = i % own.len();
                    let object = &mut own[j];
                    kind.change(object, i + 1);
                    let url = format!("{path}/{}", object["metadata"]["name"].as_str().unwrap_or(""));
                    let body = Bytes::from(object.to_string());
                    let t = Instant::now();
                    let reply = client.send(Method::PUT, &url, Some(body)).await?;
                    latencies.push(t.elapsed());
                    *object = serde_json::from_slice(&reply.expect(StatusCode::OK, "update")?)?;
                }
                anyhow::Ok(latencies)
            }));
        }
        let mut latencies = Vec::new();
        for t in tasks {
            latencies.extend(t.await??);
        }
        let update = Stats::new(latencies, started.elapsed());
        Ok([create, get, update])
    }

    /// Full and paginated lists of `list_objects` ConfigMaps.
    async fn lists(&self) -> anyhow::Result<Vec<ApiRow>> {
        let ns = format!("{}-list", self.prefix);
        namespace(&self.client, &ns).await?;
        let n = self.cfg.list_objects;
        let filled = fill(&self.client, &ns, "item-", n, self.cfg.fill_clients, self.cfg.fill_deadline).await?;
        if filled.count < n {
            bail!("created only {} of {n} ConfigMaps to list within {:?}", filled.count, self.cfg.fill_deadline);
        }
        let mut full = Vec::new();
        let mut paged = Vec::new();
        for &clients in &self.cfg.clients {
            full.push((clients, self.list_row(&ns, clients, None).await?));
        }
        for &clients in &self.cfg.clients {
            paged.push((clients, self.list_row(&ns, clients, Some(self.cfg.page_size)).await?));
        }
        // The target is for 10,000 objects; smaller runs are not judged.
        let measure = if n >= 10_000 { Measure::List } else { Measure::Other };
        let mut rows = Vec::new();
        for (clients, stats) in full {
            rows.push(row(
                format!("list {} ConfigMaps (one request)", thousands(n as u64)),
                counted(clients, "client"),
                clients,
                measure,
                Figure::Load(stats),
            ));
        }
        for (clients, stats) in paged {
            let mut r = row(
                format!(
                    "list {} ConfigMaps (pages of {}, following continue)",
                    thousands(n as u64),
                    self.cfg.page_size
                ),
                counted(clients, "client"),
                clients,
                measure,
                Figure::Load(stats),
            );
            if clients == 1 && n >= 4000 {
                r.reference = Some("p50 132 ms (≈4,000 ConfigMaps, pages of 500)");
            }
            rows.push(r);
        }
        Ok(rows)
    }

    /// `list_ops` lists by `clients` clients; each list is one request, or
    /// every page of a paginated list.
    async fn list_row(&self, ns: &str, clients: usize, page: Option<usize>) -> anyhow::Result<Stats> {
        let per_client = self.cfg.list_ops.div_ceil(clients);
        let expected = self.cfg.list_objects;
        let deadline = self.cfg.deadline;
        let path = collection(ns, "configmaps");
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let (client, path) = (self.client.clone(), path.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    if started.elapsed() > deadline {
                        break;
                    }
                    let t = Instant::now();
                    let mut items = 0;
                    let mut token: Option<String> = None;
                    let took = loop {
                        let url = match (page, &token) {
                            (None, _) => path.clone(),
                            (Some(limit), None) => format!("{path}?limit={limit}"),
                            (Some(limit), Some(c)) => format!("{path}?limit={limit}&continue={c}"),
                        };
                        let body = client.send(Method::GET, &url, None).await?.expect(StatusCode::OK, "list")?;
                        // A whole list is timed to its last byte; a paginated
                        // one reads each page's continue token to go on.
                        let received = t.elapsed();
                        let head: ListHead = serde_json::from_slice(&body)?;
                        items += head.items.len();
                        token = head.metadata.continue_token.filter(|c| !c.is_empty());
                        if token.is_none() {
                            break received;
                        }
                    };
                    latencies.push(took);
                    if items != expected {
                        bail!("a list returned {items} ConfigMaps, expected {expected}");
                    }
                }
                anyhow::Ok(latencies)
            }));
        }
        let mut latencies = Vec::new();
        for t in tasks {
            latencies.extend(t.await??);
        }
        Ok(Stats::new(latencies, started.elapsed()))
    }

    /// Watch delivery rows, one per watcher count.
    async fn watches(&self) -> anyhow::Result<Vec<ApiRow>> {
        let mut rows = Vec::new();
        for &watchers in &self.cfg.watchers {
            let stats = self.watch_row(watchers).await?;
            rows.push(row(
                "watch delivery (create → every watcher)",
                counted(watchers, "watcher"),
                watchers,
                Measure::Watch,
                Figure::Load(stats),
            ));
        }
        Ok(rows)
    }

    /// `watchers` watches of one namespace; `watch_events` creates one at a
    /// time, each waiting until every watcher has it. Each delivery's delay
    /// is from the start of its create to the moment the watcher read it.
    async fn watch_row(&self, watchers: usize) -> anyhow::Result<Stats> {
        let ns = format!("{}-watch-{watchers}", self.prefix);
        namespace(&self.client, &ns).await?;
        let path = collection(&ns, "configmaps");
        let body =
            self.client.send(Method::GET, &format!("{path}?limit=1"), None).await?.expect(StatusCode::OK, "list")?;
        let rv = serde_json::from_slice::<ListHead>(&body)?.metadata.resource_version.unwrap_or_default();
        let connections = watchers.div_ceil(WATCHES_PER_CONNECTION);
        let watch_client = Client::connect(self.endpoint.clone(), connections, self.cfg.gzip).await?;
        let watch_path = format!("{path}?watch=1&resourceVersion={rv}&timeoutSeconds=600");
        let opened = futures::future::try_join_all((0..watchers).map(|_| watch_client.watch(&watch_path))).await?;

        let delivered = Arc::new(AtomicUsize::new(0));
        let complete = Arc::new(Notify::new());
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::with_capacity(watchers);
        for body in opened {
            let (delivered, complete, stop) = (delivered.clone(), complete.clone(), stop_rx.clone());
            tasks.push(tokio::spawn(read_watch(body, self.base, watchers, delivered, complete, stop)));
        }

        let started = Instant::now();
        for i in 0..self.cfg.watch_events {
            if started.elapsed() > self.cfg.deadline {
                break;
            }
            let mut object = config_map(&ns, &format!("event-{i}"));
            let sent = self.base.elapsed().as_nanos() as u64;
            object["metadata"]["annotations"] = json!({SENT_ANNOTATION: sent.to_string()});
            let body = Bytes::from(object.to_string());
            self.client.send(Method::POST, &path, Some(body)).await?.expect(StatusCode::CREATED, "create")?;
            let want = (i + 1) * watchers;
            let wait_until = tokio::time::Instant::now() + DELIVERY_TIMEOUT;
            loop {
                let notified = complete.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if delivered.load(Ordering::SeqCst) >= want {
                    break;
                }
                if tokio::time::timeout_at(wait_until, notified).await.is_err() {
                    let got = delivered.load(Ordering::SeqCst) - i * watchers;
                    bail!("create {i} reached {got} of {watchers} watchers within {DELIVERY_TIMEOUT:?}");
                }
            }
        }
        let elapsed = started.elapsed();
        let _ = stop_tx.send(true);
        let mut latencies = Vec::new();
        for t in tasks {
            latencies.extend(t.await??);
        }
        Ok(Stats::new(latencies, elapsed))
    }

    /// Deletes the namespaces of this run (on a server the bench did not start).
    async fn clean_up(&self) {
        let list = self.client.send(Method::GET, "/api/v1/namespaces", None).await;
        let Ok(Ok(body)) = list.map(|r| r.expect(StatusCode::OK, "list namespaces")) else { return };
        let Ok(namespaces) = serde_json::from_slice::<Value>(&body) else { return };
        for ns in namespaces["items"].as_array().into_iter().flatten() {
            if let Some(name) = ns["metadata"]["name"].as_str().filter(|n| n.starts_with(&self.prefix)) {
                let _ = self.client.send(Method::DELETE, &format!("/api/v1/namespaces/{name}"), None).await;
            }
        }
    }
}

/// Reads one watch until told to stop; returns each ADDED event's delay
/// from its create's start. Counts deliveries and signals when a create
/// has reached every watcher.
async fn read_watch(
    mut body: Incoming,
    base: Instant,
    watchers: usize,
    delivered: Arc<AtomicUsize>,
    complete: Arc<Notify>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Vec<Duration>> {
    let needle = format!("\"{SENT_ANNOTATION}\":\"");
    let mut buf = BytesMut::new();
    let mut latencies = Vec::new();
    loop {
        let frame = tokio::select! {
            f = body.frame() => f,
            _ = stop.changed() => return Ok(latencies),
        };
        let now = base.elapsed();
        let Some(frame) = frame else { bail!("the watch ended early") };
        let Ok(data) = frame?.into_data() else { continue };
        buf.extend_from_slice(&data);
        while let Some(end) = buf.iter().position(|b| *b == b'\n') {
            let line = buf.split_to(end + 1);
            if !line.starts_with(b"{\"type\":\"ADDED\"") {
                if line.starts_with(b"{\"type\":\"ERROR\"") {
                    bail!("watch error: {}", String::from_utf8_lossy(&line));
                }
                continue;
            }
            let Some(at) = find(&line, needle.as_bytes()) else { continue };
            let digits: &[u8] = &line[at + needle.len()..];
            let stamp: u64 = digits
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .fold(0u64, |n, b| n.wrapping_mul(10).wrapping_add(u64::from(b - b'0')));
            latencies.push(now.saturating_sub(Duration::from_nanos(stamp)));
            if (delivered.fetch_add(1, Ordering::SeqCst) + 1).is_multiple_of(watchers) {
                complete.notify_waiters();
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    (0..hay.len().saturating_sub(needle.len() - 1)).find(|&i| hay[i] == first && &hay[i..i + needle.len()] == needle)
}

/// Time from spawning kubox on an empty data directory to `/readyz` ok.
async fn startup(cfg: &Config) -> anyhow::Result<ApiRow> {
    let mut times = Vec::new();
    let started = Instant::now();
    for _ in 0..cfg.startups.max(1) {
        let (process, ready) = KuboxProcess::start(&cfg.kubox).await?;
        times.push(ready);
        process.stop();
    }
    let stats = Stats::new(times, started.elapsed());
    Ok(row(
        "start to /readyz ok, empty data dir (p50 is the median)",
        counted(stats.count, "start"),
        0,
        Measure::Ready,
        Figure::Latency(stats),
    ))
}

/// Resident memory of a fresh kubox at idle, then holding `memory_objects`
/// ConfigMaps (or of the external server given by pid).
async fn memory(cfg: &Config, external: Option<&Arc<Endpoint>>) -> anyhow::Result<Vec<ApiRow>> {
    let (process, endpoint, pid) = match external {
        Some(e) => match cfg.server_pid {
            Some(pid) => (None, e.clone(), pid),
            None => return Ok(Vec::new()),
        },
        None => {
            let (p, _) = KuboxProcess::start(&cfg.kubox).await?;
            let endpoint = Arc::new(Endpoint::from_kubeconfig(&p.kubeconfig())?);
            let pid = p.pid();
            (Some(p), endpoint, pid)
        }
    };
    // Let start-up work (caches, bootstrap, allocations) settle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = resident_bytes(pid)?;
    let client = Client::connect(endpoint, cfg.connections, cfg.gzip).await?;
    let ns = format!("kubox-bench-{}-memory", run_suffix());
    namespace(&client, &ns).await?;
    let n = cfg.memory_objects;
    let filled = fill(&client, &ns, "cm-", n, cfg.fill_clients, cfg.fill_deadline).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let full = resident_bytes(pid)?;
    let held = filled.count;
    let mut rows = vec![
        row("resident memory at idle after start", "-".into(), 0, Measure::IdleMemory, Figure::Memory(idle)),
        row(
            format!("create {} ConfigMaps (1 KiB), to hold them", thousands(n as u64)),
            counted(cfg.fill_clients, "client"),
            cfg.fill_clients,
            Measure::Other,
            Figure::Load(filled),
        ),
    ];
    // The target is for 100,000 objects; smaller runs are not judged.
    let measure = if held >= 100_000 { Measure::FullMemory } else { Measure::Other };
    rows.push(row(
        format!("resident memory holding {} 1-KiB ConfigMaps", thousands(held as u64)),
        "-".into(),
        0,
        measure,
        Figure::Memory(full),
    ));
    if cfg.kubeconfig.is_some() {
        let _ = client.send(Method::DELETE, &format!("/api/v1/namespaces/{ns}"), None).await;
    }
    if let Some(p) = process {
        p.stop();
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_judged_on_the_right_rows() {
        let fast = Stats::new(vec![Duration::from_millis(2); 4000], Duration::from_secs(1));
        let (v, r) = judge(Measure::Create(Kind::ConfigMap), 16, &Figure::Load(fast.clone()));
        assert!(v.is_some_and(|v| v.met) && r.is_some());
        let (v, _) = judge(Measure::Create(Kind::ConfigMap), 1, &Figure::Load(fast.clone()));
        assert!(v.is_none(), "the create target is set at 16 clients");
        let (v, _) = judge(Measure::Get(Kind::Pod), 16, &Figure::Load(fast));
        assert!(v.is_some_and(|v| !v.met), "4,000/s is short of 10,000/s");
        let (v, _) = judge(Measure::IdleMemory, 0, &Figure::Memory(41_000_000));
        assert!(v.is_some_and(|v| !v.met));
    }

    #[test]
    fn objects_have_the_sizes_the_workloads_promise() {
        let cm = Kind::ConfigMap.object("bench", "cm-1").to_string().len();
        let pod = Kind::Pod.object("bench", "pod-1").to_string().len();
        assert!((1024..1400).contains(&cm), "ConfigMap is {cm} bytes");
        assert!((2800..3600).contains(&pod), "Pod is {pod} bytes");
    }

    #[test]
    fn report_rows_show_target_and_reference() {
        let s = Stats::new(vec![Duration::from_millis(3); 10], Duration::from_secs(1));
        let rows = vec![row(
            "create ConfigMap (1 KiB)",
            "16 clients".into(),
            16,
            Measure::Create(Kind::ConfigMap),
            Figure::Load(s),
        )];
        let table = markdown(&rows);
        assert!(
            table.contains("| create ConfigMap (1 KiB) | 16 clients | 10 | 10 | 3.00 ms | 3.00 ms | ≥ 3,000/s and p99 ≤ 15 ms | **no** | ≈700/s, p99 60 ms |"),
            "{table}"
        );
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
    }
}
