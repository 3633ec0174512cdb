//! Helpers for the end-to-end tests: build and start the real `kubox`
//! binary on a free loopback port with a temporary data directory, talk to
//! it over plain HTTP, and stop it with a signal.

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
        let mut child = Command::new(kubox_binary())
            .args(["serve", "--secure-port", "0", "--data-dir"])
            .arg(data_dir)
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

    /// Sends `GET path` and returns the status code and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        http_get(self.address, path)
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

/// A plain HTTP/1.1 GET; the wire format is the point, so no client library.
pub fn http_get(address: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).expect("connecting");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("read timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").expect("sending");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reading the response");
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status code");
    let chunked = head.lines().any(|l| l.to_ascii_lowercase().starts_with("transfer-encoding: chunked"));
    let body = if chunked { dechunk(body) } else { body.to_string() };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}
