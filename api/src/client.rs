//! A small HTTPS client for the `kubox cluster` commands, joining, OIDC
//! discovery and authentication webhooks: one HTTP/1.1 request per
//! connection, the server verified against a given CA (or, only to fetch the
//! CA itself when joining, against nothing: the join token pins the CA by its
//! hash).

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// TLS trusting `ca_pem`, presenting a client certificate if given.
pub fn tls_config(ca_pem: &str, client: Option<(&str, &str)>) -> Result<Arc<rustls::ClientConfig>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.context("reading the CA certificate")?)?;
    }
    let builder = rustls::ClientConfig::builder().with_root_certificates(roots);
    let config = match client {
        Some((cert, key)) => {
            let chain = CertificateDer::pem_slice_iter(cert.as_bytes()).collect::<Result<Vec<_>, _>>()?;
            builder.with_client_auth_cert(chain, PrivateKeyDer::from_pem_slice(key.as_bytes())?)?
        }
        None => builder.with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

/// Accepts any server certificate. Used only to download a CA whose hash
/// the caller then checks against the one in the join token.
#[derive(Debug)]
struct AcceptAny(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// TLS that verifies nothing (see [`AcceptAny`]).
pub fn unverified_tls() -> Arc<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        rustls::ClientConfig::builder()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAny(provider)))
            .with_no_client_auth(),
    )
}

/// Sends one request; returns the status and the body.
pub async fn request(
    tls: Arc<rustls::ClientConfig>,
    method: &str,
    url: &str,
    bearer: Option<&str>,
    body: Option<Vec<u8>>,
) -> Result<(u16, Vec<u8>)> {
    let uri: http::Uri = url.parse().with_context(|| format!("invalid URL {url}"))?;
    if uri.scheme_str() != Some("https") {
        bail!("{url} is not an https URL");
    }
    let host = uri.host().context("URL without a host")?.trim_start_matches('[').trim_end_matches(']').to_string();
    let port = uri.port_u16().unwrap_or(443);
    let tcp =
        tokio::time::timeout(std::time::Duration::from_secs(10), tokio::net::TcpStream::connect((host.as_str(), port)))
            .await
            .with_context(|| format!("connecting to {host}:{port} timed out"))?
            .with_context(|| format!("connecting to {host}:{port}"))?;
    let name = ServerName::try_from(host.clone()).with_context(|| format!("invalid server name {host}"))?;
    let stream = tokio_rustls::TlsConnector::from(tls).connect(name, tcp).await.context("TLS handshake")?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let mut req = http::Request::builder()
        .method(method)
        .uri(uri.path_and_query().map_or("/", |p| p.as_str()))
        .header(http::header::HOST, format!("{host}:{port}"))
        .header(http::header::ACCEPT, "application/json");
    if let Some(token) = bearer {
        req = req.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if body.is_some() {
        req = req.header(http::header::CONTENT_TYPE, "application/json");
    }
    let resp = sender.send_request(req.body(Full::new(Bytes::from(body.unwrap_or_default())))?).await?;
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await?.to_bytes().to_vec();
    Ok((status, bytes))
}

/// A server a kubeconfig names (kube-apiserver's webhook configuration
/// files are kubeconfigs): its URL, the CA to trust, and the credentials to
/// present (client certificate or bearer token), from the first cluster and
/// user, inline data or files (relative to the kubeconfig).
pub struct KubeconfigServer {
    /// The server URL.
    pub server: String,
    /// TLS trusting the CA, with the client certificate if any.
    pub tls: Arc<rustls::ClientConfig>,
    /// The bearer token, if any.
    pub token: Option<String>,
}

impl KubeconfigServer {
    /// Reads `path`.
    pub fn load(path: &std::path::Path) -> Result<Self> {
        use base64::Engine;
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let v: serde_json::Value =
            serde_saphyr::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        let field = |data: &str, file: &str| -> Result<Option<String>> {
            if let Some(d) = v.pointer(data).and_then(|x| x.as_str()) {
                return Ok(Some(String::from_utf8(base64::engine::general_purpose::STANDARD.decode(d)?)?));
            }
            match v.pointer(file).and_then(|x| x.as_str()) {
                Some(f) => {
                    let f = dir.join(f);
                    Ok(Some(std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?))
                }
                None => Ok(None),
            }
        };
        let server = v
            .pointer("/clusters/0/cluster/server")
            .and_then(|x| x.as_str())
            .with_context(|| format!("{}: no clusters[0].cluster.server", path.display()))?;
        let ca = field("/clusters/0/cluster/certificate-authority-data", "/clusters/0/cluster/certificate-authority")?
            .unwrap_or_else(|| std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt").unwrap_or_default());
        let cert = field("/users/0/user/client-certificate-data", "/users/0/user/client-certificate")?;
        let key = field("/users/0/user/client-key-data", "/users/0/user/client-key")?;
        let client = match (&cert, &key) {
            (Some(c), Some(k)) => Some((c.as_str(), k.as_str())),
            _ => None,
        };
        let tls = tls_config(&ca, client)?;
        let token = v.pointer("/users/0/user/token").and_then(|x| x.as_str()).map(str::to_string);
        Ok(Self { server: server.to_string(), tls, token })
    }

    /// POSTs `body` (JSON) to the server URL; the status and the body.
    pub async fn post(&self, body: &serde_json::Value) -> Result<(u16, Vec<u8>)> {
        request(self.tls.clone(), "POST", &self.server, self.token.as_deref(), Some(body.to_string().into_bytes()))
            .await
    }
}
