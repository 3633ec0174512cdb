//! The API's TLS configuration, with kube-apiserver's flags: the serving
//! certificate (`--tls-cert-file`/`--tls-private-key-file`, or the one kubox
//! generated), re-read when the files change on disk; `--tls-min-version`
//! (TLS 1.2 or 1.3; rustls has no TLS 1.0 or 1.1 at all);
//! `--tls-cipher-suites` (Go's names; like Go, they choose among the TLS 1.2
//! suites, TLS 1.3's are always on); client certificates verified against
//! kubox's CA and `--client-ca-file` when presented; h2 and http/1.1 by ALPN.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use kubox_api::auth::authn::CertificateAuthenticator;
use parking_lot::{Mutex, RwLock};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert, WebPkiClientVerifier};
use rustls::sign::CertifiedKey;

/// What the flags ask for.
#[derive(Clone, Debug, Default)]
pub struct TlsOptions {
    /// The serving certificate chain (PEM).
    pub cert_file: PathBuf,
    /// Its private key (PEM).
    pub key_file: PathBuf,
    /// kubox's CA, whose client certificates are accepted.
    pub ca_file: PathBuf,
    /// `--client-ca-file`.
    pub client_ca_file: Option<PathBuf>,
    /// `--requestheader-client-ca-file`: the authenticating proxy's CA.
    pub requestheader_ca_file: Option<PathBuf>,
    /// `--tls-min-version`: VersionTLS12 or VersionTLS13.
    pub min_version: Option<String>,
    /// `--tls-cipher-suites`, Go's names.
    pub cipher_suites: Vec<String>,
}

/// The serving certificate, re-read when its files change.
#[derive(Debug)]
pub struct ReloadingCert {
    cert_file: PathBuf,
    key_file: PathBuf,
    current: RwLock<Arc<CertifiedKey>>,
    stamps: Mutex<(Option<SystemTime>, Option<SystemTime>)>,
    provider: Arc<CryptoProvider>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn load_key(cert_file: &Path, key_file: &Path, provider: &CryptoProvider) -> Result<CertifiedKey> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_file)
        .with_context(|| format!("reading {}", cert_file.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}", cert_file.display()))?;
    if chain.is_empty() {
        bail!("{}: no certificate in it", cert_file.display());
    }
    let key = PrivateKeyDer::from_pem_file(key_file).with_context(|| format!("reading {}", key_file.display()))?;
    let certified = CertifiedKey::from_der(chain, key, provider)
        .with_context(|| format!("{} and {} do not make a usable pair", cert_file.display(), key_file.display()))?;
    Ok(certified)
}

impl ReloadingCert {
    fn new(cert_file: &Path, key_file: &Path, provider: Arc<CryptoProvider>) -> Result<Arc<Self>> {
        let current = load_key(cert_file, key_file, &provider)?;
        Ok(Arc::new(Self {
            cert_file: cert_file.to_path_buf(),
            key_file: key_file.to_path_buf(),
            current: RwLock::new(Arc::new(current)),
            stamps: Mutex::new((modified(cert_file), modified(key_file))),
            provider,
        }))
    }

    /// Re-reads the files if either changed since the last look. A pair
    /// that does not load is logged and the current one kept (a rotation
    /// writes the two files one after the other).
    pub fn refresh(&self) {
        let stamps = (modified(&self.cert_file), modified(&self.key_file));
        let mut seen = self.stamps.lock();
        if *seen == stamps {
            return;
        }
        match load_key(&self.cert_file, &self.key_file, &self.provider) {
            Ok(key) => {
                *self.current.write() = Arc::new(key);
                *seen = stamps;
                tracing::info!(cert = %self.cert_file.display(), "serving certificate reloaded");
            }
            Err(err) => tracing::warn!(err = format!("{err:#}"), "serving certificate changed but does not load yet"),
        }
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.read().clone())
    }
}

/// Looks at the certificate files every second.
pub async fn watch(cert: Arc<ReloadingCert>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        cert.refresh();
    }
}

/// The crypto provider with the TLS 1.2 suites `names` asks for (all of
/// ring's when empty) and every TLS 1.3 suite.
fn provider(names: &[String]) -> Result<CryptoProvider> {
    let mut provider = rustls::crypto::ring::default_provider();
    if names.is_empty() {
        return Ok(provider);
    }
    let all = provider.cipher_suites.clone();
    let tls12 = |s: &rustls::SupportedCipherSuite| s.tls13().is_none();
    let name_of = |s: &rustls::SupportedCipherSuite| format!("{:?}", s.suite());
    let mut chosen: Vec<rustls::SupportedCipherSuite> = all.iter().filter(|s| !tls12(s)).copied().collect();
    for name in names {
        let name = name.trim();
        // Go also accepts the ChaCha20 suites without the hash's name.
        let long = if name.ends_with("_CHACHA20_POLY1305") { format!("{name}_SHA256") } else { name.to_string() };
        match all.iter().find(|s| name_of(s) == long) {
            Some(s) if tls12(s) => chosen.push(*s),
            Some(_) => {} // TLS 1.3 suites are always on, as in Go.
            None => bail!(
                "--tls-cipher-suites: unsupported cipher suite {name:?} (supported: {})",
                all.iter().filter(|s| tls12(s)).map(name_of).collect::<Vec<_>>().join(", ")
            ),
        }
    }
    provider.cipher_suites = chosen;
    Ok(provider)
}

/// The certificates of PEM files, as a root store.
fn roots(files: &[PathBuf]) -> Result<rustls::RootCertStore> {
    let mut roots = rustls::RootCertStore::empty();
    for file in files {
        let mut added = 0;
        for cert in CertificateDer::pem_file_iter(file).with_context(|| format!("reading {}", file.display()))? {
            roots.add(cert.with_context(|| format!("reading {}", file.display()))?)?;
            added += 1;
        }
        if added == 0 {
            bail!("{}: no certificate in it", file.display());
        }
    }
    Ok(roots)
}

/// What [`server_config`] makes.
pub struct Tls {
    /// The server configuration.
    pub config: Arc<rustls::ServerConfig>,
    /// The serving certificate, to watch for changes.
    pub serving: Arc<ReloadingCert>,
    /// Sorts verified client certificates into users and proxies.
    pub certificates: Arc<CertificateAuthenticator>,
}

/// The server configuration.
pub fn server_config(options: &TlsOptions) -> Result<Tls> {
    let provider = Arc::new(provider(&options.cipher_suites)?);
    let versions: &[&'static rustls::SupportedProtocolVersion] = match options.min_version.as_deref() {
        None | Some("") | Some("VersionTLS12") => &[&rustls::version::TLS13, &rustls::version::TLS12],
        Some("VersionTLS13") => &[&rustls::version::TLS13],
        Some(v @ ("VersionTLS10" | "VersionTLS11")) => {
            bail!("--tls-min-version {v} is not supported: kubox serves TLS 1.2 and 1.3 only")
        }
        Some(v) => bail!("--tls-min-version {v:?}: expected VersionTLS12 or VersionTLS13"),
    };
    let mut client_files = vec![options.ca_file.clone()];
    client_files.extend(options.client_ca_file.clone());
    let client_roots = roots(&client_files)?;
    let proxy_roots = options.requestheader_ca_file.as_ref().map(|f| roots(std::slice::from_ref(f))).transpose()?;
    let mut all = client_roots.clone();
    if let Some(p) = &proxy_roots {
        all.roots.extend(p.roots.iter().cloned());
    }
    let verifier = |r: rustls::RootCertStore| {
        WebPkiClientVerifier::builder_with_provider(Arc::new(r), provider.clone()).allow_unauthenticated().build()
    };
    let certificates =
        Arc::new(CertificateAuthenticator::new(verifier(client_roots)?, proxy_roots.map(verifier).transpose()?));
    let verifier = verifier(all)?;
    let cert = ReloadingCert::new(&options.cert_file, &options.key_file, provider.clone())?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)?
        .with_client_cert_verifier(verifier)
        .with_cert_resolver(cert.clone());
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Tls { config: Arc::new(config), serving: cert, certificates })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cipher_suites_take_gos_names_and_refuse_unknown_ones() {
        let p = provider(&[
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into(),
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305".into(),
        ])
        .unwrap();
        let names: Vec<String> = p.cipher_suites.iter().map(|s| format!("{:?}", s.suite())).collect();
        assert!(names.contains(&"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".to_string()), "{names:?}");
        assert!(names.contains(&"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256".to_string()), "{names:?}");
        assert!(names.contains(&"TLS13_AES_128_GCM_SHA256".to_string()), "{names:?}");
        assert!(!names.contains(&"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384".to_string()), "{names:?}");
        let err = provider(&["TLS_RSA_WITH_RC4_128_SHA".into()]).unwrap_err().to_string();
        assert!(err.contains("unsupported cipher suite \"TLS_RSA_WITH_RC4_128_SHA\""), "{err}");
    }
}
