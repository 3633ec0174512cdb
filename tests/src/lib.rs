//! Helpers for the end-to-end tests: build and start the real `kubox`
//! binary on a free loopback port with a temporary data directory, talk to
//! it over HTTPS (with or without the admin client certificate) and with the
//! real kubectl, and stop it with a signal.

pub mod cluster;
pub mod faults;
pub mod kms_plugin;
pub mod linearizability;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The `kubox` binary of this workspace, built (or found up to date) once
/// per test process, in the profile the tests were built in.
pub fn kubox_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // target/<profile>/deps/<test binary>
        let exe = std::env::current_exe().expect("test binary path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--workspace", "--bins", "--quiet"]).current_dir(env!("CARGO_MANIFEST_DIR"));
        if release {
            build.arg("--release");
        }
        let status = build.status().expect("running cargo build");
        assert!(status.success(), "cargo build of the kubox binary failed");
        profile_dir.join("kubox")
    })
}

/// A running `kubox serve`.
pub struct Kubox {
    child: Child,
    /// Where it listens.
    pub address: SocketAddr,
    /// Its data directory.
    pub data_dir: PathBuf,
    log: Arc<Mutex<Vec<String>>>,
}

/// What a `kubox` process printed and how it ended.
pub struct Exit {
    /// The exit status.
    pub status: ExitStatus,
    /// Everything it wrote to stderr.
    pub stderr: String,
}

impl Kubox {
    /// Starts `kubox serve` on `data_dir` and a free port, and waits until
    /// it serves.
    pub fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[])
    }

    /// [`Kubox::start`] with more `kubox serve` flags.
    pub fn start_with(data_dir: &Path, flags: &[&str]) -> Self {
        let mut child = Command::new(kubox_binary())
            .args(["serve", "--secure-port", "0", "--peer-port", "0", "--data-dir"])
            .arg(data_dir)
            .args(flags)
            .env("KUBOX_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting kubox");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let log2 = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = line.split("address=").nth(1) {
                    let addr = addr.split_whitespace().next().unwrap_or_default().to_string();
                    let _ = tx.send(addr);
                }
                log2.lock().unwrap().push(line);
            }
        });
        let address = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(a) => a.parse().expect("listen address in the log"),
            Err(_) => {
                let _ = child.kill();
                panic!("kubox did not start serving: {:?}", log.lock().unwrap());
            }
        };
        Self { child, address, data_dir: data_dir.to_path_buf(), log }
    }

    /// Sends `GET path` without a client certificate; returns the status
    /// code and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let r = self.request("GET", path, &[], b"", false);
        (r.status, String::from_utf8_lossy(&r.body).into_owned())
    }

    /// Sends a request as the admin (client certificate) or anonymously.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        admin: bool,
    ) -> HttpResponse {
        https_request(self.address, &self.data_dir.join("pki"), method, path, headers, body, admin)
    }

    /// The admin kubeconfig kubox wrote.
    pub fn kubeconfig(&self) -> PathBuf {
        self.data_dir.join("admin.kubeconfig")
    }

    /// Runs kubectl (`KUBECTL` or /usr/bin/kubectl) against this server.
    pub fn kubectl(&self, args: &[&str]) -> KubectlOutput {
        self.kubectl_with(&kubectl_binary(), args, &[])
    }

    /// Runs a given kubectl binary with extra environment.
    pub fn kubectl_with(&self, binary: &str, args: &[&str], env: &[(&str, &str)]) -> KubectlOutput {
        let out = Command::new(binary)
            .args(args)
            .env("KUBECONFIG", self.kubeconfig())
            .env("HOME", self.data_dir.join("home"))
            .envs(env.iter().copied())
            .output()
            .unwrap_or_else(|e| panic!("running {binary}: {e} (is kubectl installed?)"));
        KubectlOutput {
            success: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The log lines so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Sends `signal` and waits (at most `timeout`) for the process to end.
    pub fn stop(mut self, signal: i32, timeout: Duration) -> Exit {
        // SAFETY: kill(2) on our own child's pid has no memory effects.
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for kubox") {
                std::thread::sleep(Duration::from_millis(50)); // let the log reader finish
                return Exit { status, stderr: self.log().join("\n") };
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("kubox did not exit within {timeout:?} of signal {signal}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Kubox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The raw value stored under `key` in a stopped node's data directory
/// (`kubox debug get`, as `etcdctl get` prints it), `None` if absent.
pub fn raw_value(data_dir: &Path, key: &str) -> Option<Vec<u8>> {
    let out = Command::new(kubox_binary())
        .args(["debug", "get", key, "--data-dir"])
        .arg(data_dir)
        .output()
        .expect("running kubox debug get");
    assert!(out.status.success(), "kubox debug get failed: {}", String::from_utf8_lossy(&out.stderr));
    if out.stdout.is_empty() {
        return None;
    }
    let prefix = format!("{key}\n");
    let value = out.stdout.strip_prefix(prefix.as_bytes()).expect("the key line first");
    Some(value.strip_suffix(b"\n").unwrap_or(value).to_vec())
}

/// Runs `kubox` with `args` to completion (for commands that should fail fast).
pub fn run_kubox(args: &[&str], timeout: Duration) -> Exit {
    let mut child = Command::new(kubox_binary())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting kubox");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("waiting for kubox") {
            let mut out = String::new();
            let _ = stderr.read_to_string(&mut out);
            return Exit { status, stderr: out };
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kubox {args:?} did not exit within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What kubectl printed.
pub struct KubectlOutput {
    /// Whether it exited 0.
    pub success: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl KubectlOutput {
    /// Standard output, after asserting success.
    pub fn ok(self) -> String {
        assert!(self.success, "kubectl failed:\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self.stdout
    }
}

/// The kubectl to run: `$KUBECTL`, or the machine's /usr/bin/kubectl.
pub fn kubectl_binary() -> String {
    std::env::var("KUBECTL").unwrap_or_else(|_| "/usr/bin/kubectl".into())
}

/// A response read off the wire.
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked and decompressed.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's first value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a header.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn tls_config(pki: &Path, admin: bool) -> Arc<rustls::ClientConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(pki.join("ca.crt")).expect("reading ca.crt") {
        roots.add(c.expect("a CA certificate")).expect("adding the CA");
    }
    let builder = rustls::ClientConfig::builder().with_root_certificates(roots);
    let config = if admin {
        let chain = CertificateDer::pem_file_iter(pki.join("admin.crt"))
            .expect("admin.crt")
            .collect::<Result<Vec<_>, _>>()
            .expect("admin cert");
        let key = PrivateKeyDer::from_pem_file(pki.join("admin.key")).expect("admin.key");
        builder.with_client_auth_cert(chain, key).expect("client auth")
    } else {
        builder.with_no_client_auth()
    };
    Arc::new(config)
}

/// One HTTP/1.1 request over TLS; the wire format is the point here, so no
/// client library.
pub fn https_request(
    address: SocketAddr,
    pki: &Path,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    admin: bool,
) -> HttpResponse {
    try_https_request(address, pki, method, path, headers, body, admin).unwrap_or_else(|e| panic!("{e}"))
}

/// [`https_request`], failing instead of panicking when the server cannot
/// be reached or drops the connection (a server that was just killed).
pub fn try_https_request(
    address: SocketAddr,
    pki: &Path,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    admin: bool,
) -> Result<HttpResponse, String> {
    let tcp = TcpStream::connect_timeout(&address, Duration::from_secs(5)).map_err(|e| format!("connecting: {e}"))?;
    tcp.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| format!("read timeout: {e}"))?;
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("server name");
    let conn = rustls::ClientConnection::new(tls_config(pki, admin), name).expect("TLS client");
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    tls.write_all(req.as_bytes()).map_err(|e| format!("sending: {e}"))?;
    tls.write_all(body).map_err(|e| format!("sending the body: {e}"))?;
    let mut raw = Vec::new();
    match tls.read_to_end(&mut raw) {
        Ok(_) => {}
        // A peer that closes without close_notify still sent the response.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => {}
        Err(e) => return Err(format!("reading the response: {e}")),
    }
    if !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        return Err("the connection closed before a complete response".into());
    }
    Ok(parse_response(&raw))
}

/// Parses a raw HTTP/1.1 response.
pub fn parse_response(raw: &[u8]) -> HttpResponse {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    if headers.iter().any(|(k, v)| k == "content-encoding" && v == "gzip") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut out).expect("gunzip");
        body = out;
    }
    HttpResponse { status, headers, body }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..end]);
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || body.len() < end + 2 + n {
            break;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + n]);
        body = &body[(end + 4 + n).min(body.len())..];
    }
    out
}
