//! The node's certificates, generated at first start in `DATA/pki` and
//! reused after: a CA, a serving certificate for the API (SANs for the
//! `kubernetes` Service names, localhost, 127.0.0.1 and the bind and
//! advertise addresses), and an admin client certificate
//! (CN=kubernetes-admin, O=system:masters). Keys are ECDSA P-256 and
//! written 0600. `DATA/admin.kubeconfig` points kubectl at the node.

use std::fs;
use std::net::IpAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};

/// Paths of the node's PKI files.
pub struct Pki {
    /// The directory.
    pub dir: PathBuf,
}

const CA_CERT: &str = "ca.crt";
const CA_KEY: &str = "ca.key";
const SERVING_CERT: &str = "apiserver.crt";
const SERVING_KEY: &str = "apiserver.key";
const ADMIN_CERT: &str = "admin.crt";
const ADMIN_KEY: &str = "admin.key";
/// The key that signs service account tokens (EC P-256).
pub const SERVICE_ACCOUNT_KEY: &str = "sa.key";
const PEER_CA_CERT: &str = "peer-ca.crt";
const PEER_CA_KEY: &str = "peer-ca.key";
const PEER_CERT: &str = "peer.crt";
const PEER_KEY: &str = "peer.key";

/// The cluster-wide CAs every node holds: the API's (clients trust it, and
/// every node's serving certificate comes from it) and the peers'; and the
/// service account signing key.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterCas {
    /// The API CA certificate.
    pub ca_crt: String,
    /// Its key.
    pub ca_key: String,
    /// The peer CA certificate.
    pub peer_ca_crt: String,
    /// Its key.
    pub peer_ca_key: String,
    /// The key that signs service account tokens, so a token from any node
    /// is good on every node.
    #[serde(default)]
    pub service_account_key: String,
}

fn write_private(path: &Path, contents: &str) -> Result<()> {
    fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
        .with_context(|| format!("protecting {}", path.display()))
}

/// Valid from yesterday (clock skew) for `years` years.
fn validity(params: &mut CertificateParams, years: i32) {
    let now = kubox_api::timefmt::Timestamp::now();
    let yesterday = kubox_api::timefmt::Timestamp { seconds: now.seconds - 86400, nanos: 0 }.rfc3339();
    let (y, m, d) = (&yesterday[0..4], &yesterday[5..7], &yesterday[8..10]);
    let (y, m, d): (i32, u8, u8) = (y.parse().unwrap_or(2026), m.parse().unwrap_or(1), d.parse().unwrap_or(1));
    params.not_before = rcgen::date_time_ymd(y, m, d);
    params.not_after = rcgen::date_time_ymd(y + years, m, d.min(28));
}

/// Creates a self-signed CA valid for ten years and writes it.
fn new_ca(common_name: &str, cert_path: &Path, key_path: &Path) -> Result<Issuer<'static, KeyPair>> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(DnType::CommonName, common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    validity(&mut params, 10);
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    fs::write(cert_path, cert.pem())?;
    write_private(key_path, &key.serialize_pem())?;
    Ok(Issuer::new(params, key))
}

impl Pki {
    /// Loads the PKI in `data_dir/pki`, creating what is missing. `hosts` are
    /// extra names and addresses the serving certificate must cover.
    pub fn ensure(data_dir: &Path, hosts: &[String]) -> Result<Self> {
        let dir = data_dir.join("pki");
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))?;
        let pki = Self { dir };
        let issuer = pki.ca()?;
        if !pki.path(SERVING_CERT).exists() || !pki.path(SERVING_KEY).exists() {
            let mut names: Vec<String> = vec![
                "kubernetes".into(),
                "kubernetes.default".into(),
                "kubernetes.default.svc".into(),
                "kubernetes.default.svc.cluster.local".into(),
                "localhost".into(),
                "127.0.0.1".into(),
                "::1".into(),
            ];
            for h in hosts {
                if !names.contains(h) && !h.is_empty() && h != "0.0.0.0" && h != "::" {
                    names.push(h.clone());
                }
            }
            let mut params = CertificateParams::new(names)?;
            params.distinguished_name.push(DnType::CommonName, "kube-apiserver");
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
            validity(&mut params, 1);
            let key = KeyPair::generate()?;
            let cert = params.signed_by(&key, &issuer)?;
            fs::write(pki.path(SERVING_CERT), cert.pem())?;
            write_private(&pki.path(SERVING_KEY), &key.serialize_pem())?;
        }
        if !pki.path(SERVICE_ACCOUNT_KEY).exists() {
            write_private(&pki.path(SERVICE_ACCOUNT_KEY), &KeyPair::generate()?.serialize_pem())?;
        }
        if !pki.path(ADMIN_CERT).exists() || !pki.path(ADMIN_KEY).exists() {
            let mut params = CertificateParams::new(Vec::<String>::new())?;
            params.distinguished_name.push(DnType::CommonName, "kubernetes-admin");
            params.distinguished_name.push(DnType::OrganizationName, "system:masters");
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
            validity(&mut params, 1);
            let key = KeyPair::generate()?;
            let cert = params.signed_by(&key, &issuer)?;
            fs::write(pki.path(ADMIN_CERT), cert.pem())?;
            write_private(&pki.path(ADMIN_KEY), &key.serialize_pem())?;
        }
        Ok(pki)
    }

    /// The Raft transport's identity: the cluster's peer CA (created here
    /// on the first node; a joining node receives it) and this node's
    /// certificate from it, for both ends of every peer connection.
    pub fn peer_identity(&self, node_id: u64) -> Result<kubox_raft::PeerIdentity> {
        let (ca_cert, ca_key) = (self.path(PEER_CA_CERT), self.path(PEER_CA_KEY));
        if !ca_cert.exists() || !ca_key.exists() {
            let ca = kubox_raft::PeerCa::generate()?;
            fs::write(&ca_cert, &ca.cert_pem)?;
            write_private(&ca_key, &ca.key_pem)?;
        }
        let ca = kubox_raft::PeerCa { cert_pem: fs::read_to_string(&ca_cert)?, key_pem: fs::read_to_string(&ca_key)? };
        if !self.path(PEER_CERT).exists() || !self.path(PEER_KEY).exists() {
            let id = ca.issue(node_id).context("issuing this node's peer certificate")?;
            fs::write(self.path(PEER_CERT), &id.cert_pem)?;
            write_private(&self.path(PEER_KEY), &id.key_pem)?;
        }
        Ok(kubox_raft::PeerIdentity {
            ca_pem: ca.cert_pem,
            cert_pem: fs::read_to_string(self.path(PEER_CERT))?,
            key_pem: fs::read_to_string(self.path(PEER_KEY))?,
        })
    }

    /// Writes the cluster's CAs received when joining, before [`Pki::ensure`]
    /// makes this node's certificates from them.
    pub fn install_cluster_cas(data_dir: &Path, cas: &ClusterCas) -> Result<()> {
        let dir = data_dir.join("pki");
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))?;
        fs::write(dir.join(CA_CERT), &cas.ca_crt)?;
        write_private(&dir.join(CA_KEY), &cas.ca_key)?;
        fs::write(dir.join(PEER_CA_CERT), &cas.peer_ca_crt)?;
        write_private(&dir.join(PEER_CA_KEY), &cas.peer_ca_key)?;
        if !cas.service_account_key.is_empty() {
            write_private(&dir.join(SERVICE_ACCOUNT_KEY), &cas.service_account_key)?;
        }
        Ok(())
    }

    /// The cluster's CAs, to hand to a joining node.
    pub fn cluster_cas(&self) -> Result<ClusterCas> {
        let read = |n: &str| fs::read_to_string(self.path(n)).with_context(|| format!("reading {n}"));
        Ok(ClusterCas {
            ca_crt: read(CA_CERT)?,
            ca_key: read(CA_KEY)?,
            peer_ca_crt: read(PEER_CA_CERT)?,
            peer_ca_key: read(PEER_CA_KEY)?,
            service_account_key: read(SERVICE_ACCOUNT_KEY)?,
        })
    }

    /// A file of the PKI.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The CA as an issuer, created if missing.
    fn ca(&self) -> Result<Issuer<'static, KeyPair>> {
        let (cert_path, key_path) = (self.path(CA_CERT), self.path(CA_KEY));
        if cert_path.exists() && key_path.exists() {
            let cert = fs::read_to_string(&cert_path)?;
            let key = KeyPair::from_pem(&fs::read_to_string(&key_path)?).context("reading the CA key")?;
            return Issuer::from_ca_cert_pem(&cert, key).context("reading the CA certificate");
        }
        new_ca("kubernetes", &cert_path, &key_path)
    }

    /// The TLS settings of the API on this PKI: its serving certificate
    /// and CA, unless the flags name others.
    pub fn tls_options(&self, cert_file: Option<&Path>, key_file: Option<&Path>) -> crate::tls::TlsOptions {
        crate::tls::TlsOptions {
            cert_file: cert_file.map_or_else(|| self.path(SERVING_CERT), Path::to_path_buf),
            key_file: key_file.map_or_else(|| self.path(SERVING_KEY), Path::to_path_buf),
            ca_file: self.path(CA_CERT),
            ..crate::tls::TlsOptions::default()
        }
    }

    /// Writes `DATA/admin.kubeconfig` for `server` (an https URL).
    pub fn write_admin_kubeconfig(&self, path: &Path, server: &str) -> Result<()> {
        let b64 = |name: &str| -> Result<String> {
            Ok(base64::engine::general_purpose::STANDARD.encode(fs::read(self.path(name))?))
        };
        let kubeconfig = format!(
            "apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: {ca}
    server: {server}
  name: kubox
contexts:
- context:
    cluster: kubox
    user: kubernetes-admin
  name: kubernetes-admin@kubox
current-context: kubernetes-admin@kubox
preferences: {{}}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: {cert}
    client-key-data: {key}
",
            ca = b64(CA_CERT)?,
            cert = b64(ADMIN_CERT)?,
            key = b64(ADMIN_KEY)?,
        );
        write_private(path, &kubeconfig)
    }
}

/// The address clients use to reach `bind` (loopback for a wildcard bind).
pub fn client_host(bind: IpAddr) -> String {
    match bind {
        ip if ip.is_unspecified() && ip.is_ipv6() => "::1".into(),
        ip if ip.is_unspecified() => "127.0.0.1".into(),
        ip => ip.to_string(),
    }
}

/// The URL form of a host (IPv6 in brackets).
pub fn url_host(host: &str) -> String {
    if host.contains(':') { format!("[{host}]") } else { host.to_string() }
}
