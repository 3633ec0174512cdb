//! Mutual TLS for the Raft transport: every node holds a certificate signed
//! by the cluster's peer CA (created by the first node), presents it as both
//! server and client, and accepts only peers whose certificate that CA signed.

use std::sync::Arc;
use std::time::Duration;

use rustls::RootCertStore;
use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// The name every peer certificate carries and every peer checks.
pub const PEER_SERVER_NAME: &str = "kubox-peer";
/// The ALPN protocol of the transport.
const ALPN: &[u8] = b"kubox-raft/1";

/// A cluster's peer CA, as PEM.
#[derive(Clone, Debug)]
pub struct PeerCa {
    /// The CA certificate.
    pub cert_pem: String,
    /// Its private key.
    pub key_pem: String,
}

impl PeerCa {
    /// A new self-signed peer CA (ECDSA P-256), for a new cluster.
    pub fn generate() -> anyhow::Result<Self> {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(rcgen::DnType::CommonName, "kubox-peer-ca");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let key = rcgen::KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Self { cert_pem: cert.pem(), key_pem: key.serialize_pem() })
    }

    /// A certificate for node `node_id` (SAN `kubox-peer`, server and
    /// client use), signed by this CA.
    pub fn issue(&self, node_id: u64) -> anyhow::Result<PeerIdentity> {
        let ca_key = rcgen::KeyPair::from_pem(&self.key_pem)?;
        let issuer = rcgen::Issuer::from_ca_cert_pem(&self.cert_pem, ca_key)?;
        let mut params = rcgen::CertificateParams::new(vec![PEER_SERVER_NAME.to_string()])?;
        params.distinguished_name.push(rcgen::DnType::CommonName, format!("kubox-node-{node_id:x}"));
        params.extended_key_usages =
            vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth, rcgen::ExtendedKeyUsagePurpose::ClientAuth];
        params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature, rcgen::KeyUsagePurpose::KeyEncipherment];
        let key = rcgen::KeyPair::generate()?;
        let cert = params.signed_by(&key, &issuer)?;
        Ok(PeerIdentity { ca_pem: self.cert_pem.clone(), cert_pem: cert.pem(), key_pem: key.serialize_pem() })
    }
}

/// A node's identity in the cluster, as PEM.
#[derive(Clone, Debug)]
pub struct PeerIdentity {
    /// The cluster's peer CA certificate.
    pub ca_pem: String,
    /// This node's certificate (SAN `kubox-peer`), signed by the CA.
    pub cert_pem: String,
    /// This node's private key.
    pub key_pem: String,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn parts(id: &PeerIdentity) -> anyhow::Result<(RootCertStore, Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
    let mut roots = RootCertStore::empty();
    for ca in CertificateDer::pem_slice_iter(id.ca_pem.as_bytes()) {
        roots.add(ca.map_err(|e| anyhow::anyhow!("reading the peer CA: {e}"))?)?;
    }
    let chain = CertificateDer::pem_slice_iter(id.cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("reading the peer certificate: {e}"))?;
    let key = PrivateKeyDer::from_pem_slice(id.key_pem.as_bytes())
        .map_err(|e| anyhow::anyhow!("reading the peer key: {e}"))?;
    Ok((roots, chain, key))
}

fn transport() -> Arc<quinn::TransportConfig> {
    let mut t = quinn::TransportConfig::default();
    // A dead peer is noticed within a few seconds, a live idle one kept.
    t.keep_alive_interval(Some(Duration::from_millis(250)));
    t.max_idle_timeout(Some(Duration::from_millis(1500).try_into().expect("1.5 s is a valid idle timeout")));
    t.max_concurrent_bidi_streams(1024u32.into());
    Arc::new(t)
}

/// The server side: requires a client certificate from the cluster CA.
pub fn server_config(id: &PeerIdentity) -> anyhow::Result<quinn::ServerConfig> {
    let (roots, chain, key) = parts(id)?;
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider()).build()?;
    let mut tls = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)?;
    tls.alpn_protocols = vec![ALPN.to_vec()];
    let quic = quinn::crypto::rustls::QuicServerConfig::try_from(tls)?;
    let mut config = quinn::ServerConfig::with_crypto(Arc::new(quic));
    config.transport_config(transport());
    Ok(config)
}

/// The client side: trusts only the cluster CA, presents this node's cert.
pub fn client_config(id: &PeerIdentity) -> anyhow::Result<quinn::ClientConfig> {
    let (roots, chain, key) = parts(id)?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)?;
    tls.alpn_protocols = vec![ALPN.to_vec()];
    let quic = quinn::crypto::rustls::QuicClientConfig::try_from(tls)?;
    let mut config = quinn::ClientConfig::new(Arc::new(quic));
    config.transport_config(transport());
    Ok(config)
}
