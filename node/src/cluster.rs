//! Clusters from the operator's side: this node's cluster identity
//! (`DATA/cluster.json`), joining a cluster with a token, the join tokens
//! themselves, the `/kubox/v1/...` endpoints behind joining and the
//! `kubox cluster` commands.
//!
//! Joining, as k3s does it: a token `K10<sha256 of the cluster CA>::<id>.<secret>`
//! lets a new node fetch the CA from any member (`/kubox/v1/cacerts`) and
//! check it against the hash before trusting it; then it presents the token
//! to `/kubox/v1/join` and receives the cluster's id, a node id and the
//! cluster's CAs. It starts its Raft node and asks the leader, over the peer
//! transport, to add it: as a learner until it has caught up, then as a voter.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use kubox_api::server::CertificateUser;
use kubox_raft::{NodeId, RaftNode};
use kubox_storage::{KeyRange, PutRequest, RangeRequest, Store};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::pki::{ClusterCas, Pki};

const CLUSTER_FILE: &str = "cluster.json";
const TOKEN_PREFIX: &str = "/kubox/join-tokens/";
/// How long a join token is valid unless asked otherwise.
pub const DEFAULT_TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Which cluster this data directory belongs to, and as which node.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterFile {
    /// The cluster's id, the same on every member.
    pub cluster_id: String,
    /// This node's id.
    pub node_id: NodeId,
    /// Set while this node has joined but is not yet a member: the peer
    /// (raft address) that asks the leader to add it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_peer: Option<String>,
}

impl ClusterFile {
    /// Reads `DATA/cluster.json`, if there is one.
    pub fn load(data_dir: &Path) -> Result<Option<Self>> {
        let path = data_dir.join(CLUSTER_FILE);
        match std::fs::read(&path) {
            Ok(b) => Ok(Some(serde_json::from_slice(&b).with_context(|| format!("reading {}", path.display()))?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    /// Writes it atomically.
    pub fn save(&self, data_dir: &Path) -> Result<()> {
        let path = data_dir.join(CLUSTER_FILE);
        let tmp = data_dir.join(format!("{CLUSTER_FILE}.tmp"));
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))
    }

    /// A new cluster with this node as its first member.
    pub fn new_cluster() -> Self {
        Self { cluster_id: uuid::Uuid::new_v4().simple().to_string(), node_id: new_node_id(), join_peer: None }
    }
}

fn new_node_id() -> NodeId {
    (uuid::Uuid::new_v4().as_u128() as u64 & (u64::MAX >> 1)).max(1)
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

fn random_hex(bytes: usize) -> String {
    let mut out = String::new();
    while out.len() < bytes * 2 {
        out.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    out.truncate(bytes * 2);
    out
}

/// A parsed join token.
struct JoinToken {
    ca_hash: String,
    id: String,
    secret: String,
}

impl JoinToken {
    fn parse(token: &str) -> Result<Self> {
        let bad =
            || anyhow::anyhow!("invalid join token: expected K10<ca hash>::<id>.<secret> (from `kubox cluster token`)");
        let rest = token.trim().strip_prefix("K10").ok_or_else(bad)?;
        let (ca_hash, cred) = rest.split_once("::").ok_or_else(bad)?;
        let (id, secret) = cred.split_once('.').ok_or_else(bad)?;
        let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
        if ca_hash.len() != 64 || !hex(ca_hash) || !hex(id) || !hex(secret) {
            return Err(bad());
        }
        Ok(Self { ca_hash: ca_hash.to_ascii_lowercase(), id: id.into(), secret: secret.into() })
    }
}

/// What a member answers a joining node.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct JoinResponse {
    cluster_id: String,
    node_id: NodeId,
    /// The raft address of the member that answered.
    peer: String,
    cas: ClusterCas,
}

/// The CA certificates a member at `url` serves, unverified (the caller
/// checks them): the status and the body.
pub async fn fetch_ca(url: &str) -> Result<(u16, Vec<u8>)> {
    let url = url.trim_end_matches('/');
    kubox_api::client::request(
        kubox_api::client::unverified_tls(),
        "GET",
        &format!("{url}/kubox/v1/cacerts"),
        None,
        None,
    )
    .await
}

/// Joins the cluster `url` belongs to: fetches and checks its CA, presents
/// the token, installs the cluster's CAs in `data_dir` and returns the
/// identity to start with.
pub async fn join(data_dir: &Path, url: &str, token: &str) -> Result<ClusterFile> {
    let token_parsed = JoinToken::parse(token)?;
    let url = url.trim_end_matches('/');
    let (status, ca) = fetch_ca(url).await.with_context(|| format!("fetching the cluster CA from {url}"))?;
    if status != 200 {
        bail!("fetching the cluster CA from {url}: HTTP {status}");
    }
    if sha256_hex(&ca) != token_parsed.ca_hash {
        bail!(
            "the CA of {url} does not match the join token: the token is from another cluster, or someone is in between"
        );
    }
    let ca = String::from_utf8(ca).context("the cluster CA is not PEM text")?;
    let tls = kubox_api::client::tls_config(&ca, None)?;
    let (status, body) =
        kubox_api::client::request(tls, "POST", &format!("{url}/kubox/v1/join"), Some(token), Some(b"{}".to_vec()))
            .await
            .with_context(|| format!("joining through {url}"))?;
    if status != 200 {
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
        bail!("{url} refused to let this node join (HTTP {status}): {message}");
    }
    let resp: JoinResponse = serde_json::from_slice(&body).context("reading the join answer")?;
    Pki::install_cluster_cas(data_dir, &resp.cas)?;
    let file = ClusterFile { cluster_id: resp.cluster_id, node_id: resp.node_id, join_peer: Some(resp.peer) };
    file.save(data_dir)?;
    tracing::info!(cluster = %file.cluster_id, node = file.node_id, "joined; waiting to be made a member");
    Ok(file)
}

/// What the cluster endpoints need.
pub struct ClusterApi {
    /// This node.
    pub node: Arc<RaftNode>,
    /// Its PKI directory.
    pub pki: PathBuf,
}

fn status_error(code: StatusCode, reason: &str, message: &str) -> Response {
    let body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code.as_u16()});
    (code, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

fn json_ok(v: serde_json::Value) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

/// Refuses (with the answer to send) anyone but system:masters.
fn refuse_unless_admin(req: &Request) -> Option<Response> {
    match req.extensions().get::<CertificateUser>().and_then(|c| match &c.0 {
        kubox_api::auth::authn::PeerCertificate::User(u) => Some(u),
        kubox_api::auth::authn::PeerCertificate::Proxy(_) => None,
    }) {
        Some(id) if id.groups.iter().any(|g| g == "system:masters") => None,
        Some(id) => Some(status_error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            &format!("user \"{}\" cannot manage the cluster: only system:masters may", id.name),
        )),
        None => Some(status_error(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized")),
    }
}

/// The routes under `/kubox/v1/`.
pub fn router(api: Arc<ClusterApi>) -> Router {
    Router::new()
        .route("/kubox/v1/cacerts", get(cacerts))
        .route("/kubox/v1/join", post(join_handler))
        .route("/kubox/v1/cluster/tokens", post(create_token))
        .route("/kubox/v1/cluster/status", get(status))
        .route("/kubox/v1/cluster/members/{id}", delete(remove_member))
        .with_state(api)
}

async fn cacerts(State(api): State<Arc<ClusterApi>>) -> Response {
    match std::fs::read(api.pki.join("ca.crt")) {
        Ok(pem) => (StatusCode::OK, [(header::CONTENT_TYPE, "application/x-pem-file")], pem).into_response(),
        Err(e) => status_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", &format!("reading the CA: {e}")),
    }
}

#[derive(Deserialize)]
struct TokenQuery {
    ttl: Option<String>,
}

async fn create_token(State(api): State<Arc<ClusterApi>>, Query(q): Query<TokenQuery>, req: Request) -> Response {
    if let Some(refusal) = refuse_unless_admin(&req) {
        return refusal;
    }
    let ttl = match q.ttl.as_deref().map(crate::compactor::parse_duration) {
        None => DEFAULT_TOKEN_TTL,
        Some(Ok(d)) if !d.is_zero() => d,
        Some(_) => {
            return status_error(StatusCode::BAD_REQUEST, "BadRequest", "ttl must be a positive duration such as 2h");
        }
    };
    let ca = match std::fs::read(api.pki.join("ca.crt")) {
        Ok(c) => c,
        Err(e) => {
            return status_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", &format!("reading the CA: {e}"));
        }
    };
    let (id, secret) = (random_hex(6), random_hex(16));
    let expires = kubox_storage::now_ms() / 1000 + ttl.as_secs() as i64;
    let record = json!({"secretSha256": sha256_hex(secret.as_bytes()), "expiresAt": expires});
    let put = PutRequest {
        key: format!("{TOKEN_PREFIX}{id}").into(),
        value: record.to_string().into(),
        ..Default::default()
    };
    if let Err(e) = api.node.put(put).await {
        return status_error(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable", &format!("storing the token: {e}"));
    }
    let token = format!("K10{}::{id}.{secret}", sha256_hex(&ca));
    json_ok(json!({"token": token, "expiresAt": expires}))
}

/// Checks the join token; on refusal, the status and message to answer.
async fn check_token(api: &ClusterApi, headers: &HeaderMap) -> Result<(), (StatusCode, String)> {
    let unauthorized = |m: &str| (StatusCode::UNAUTHORIZED, m.to_string());
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| unauthorized("a join token is required"))?;
    let token = JoinToken::parse(bearer).map_err(|e| unauthorized(&e.to_string()))?;
    let stored = api
        .node
        .range(RangeRequest::new(KeyRange::key(format!("{TOKEN_PREFIX}{}", token.id))))
        .await
        .map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    let record: serde_json::Value = stored
        .kvs
        .first()
        .and_then(|kv| serde_json::from_slice(&kv.value).ok())
        .ok_or_else(|| unauthorized("unknown join token"))?;
    if record["secretSha256"].as_str() != Some(sha256_hex(token.secret.as_bytes()).as_str()) {
        return Err(unauthorized("invalid join token"));
    }
    if record["expiresAt"].as_i64().unwrap_or(0) < kubox_storage::now_ms() / 1000 {
        return Err(unauthorized("the join token has expired"));
    }
    Ok(())
}

async fn join_handler(State(api): State<Arc<ClusterApi>>, headers: HeaderMap) -> Response {
    if let Err((code, message)) = check_token(&api, &headers).await {
        let reason = if code == StatusCode::UNAUTHORIZED { "Unauthorized" } else { "ServiceUnavailable" };
        return status_error(code, reason, &message);
    }
    let cas = match (Pki { dir: api.pki.clone() }).cluster_cas() {
        Ok(c) => c,
        Err(e) => return status_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", &format!("{e:#}")),
    };
    let members: Vec<NodeId> = api.node.status().members.iter().map(|m| m.id).collect();
    let mut node_id = new_node_id();
    while members.contains(&node_id) {
        node_id = new_node_id();
    }
    let resp = JoinResponse {
        cluster_id: api.node.cluster_id().to_string(),
        node_id,
        peer: api.node.node_info().raft_addr.clone(),
        cas,
    };
    tracing::info!(node = node_id, "a node is joining");
    json_ok(serde_json::to_value(resp).unwrap_or_default())
}

async fn status(State(api): State<Arc<ClusterApi>>, req: Request) -> Response {
    if let Some(refusal) = refuse_unless_admin(&req) {
        return refusal;
    }
    json_ok(serde_json::to_value(api.node.status()).unwrap_or_default())
}

async fn remove_member(State(api): State<Arc<ClusterApi>>, UrlPath(id): UrlPath<String>, req: Request) -> Response {
    if let Some(refusal) = refuse_unless_admin(&req) {
        return refusal;
    }
    let Ok(id) = u64::from_str_radix(id.trim_start_matches("0x"), 16) else {
        return status_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!("{id:?} is not a node id (hex, as `kubox cluster members` shows)"),
        );
    };
    match api.node.remove_member(id).await {
        Ok(()) => json_ok(json!({"removed": format!("{id:x}")})),
        Err(kubox_storage::StoreError::InvalidArgument(m)) => status_error(StatusCode::BAD_REQUEST, "BadRequest", &m),
        Err(e) => status_error(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable", &e.to_string()),
    }
}

/// Where the `kubox cluster` commands connect, from a kubeconfig.
pub struct AdminClient {
    server: String,
    tls: Arc<rustls::ClientConfig>,
}

impl AdminClient {
    /// Reads the first cluster and user of `kubeconfig` (inline data, as
    /// `admin.kubeconfig` has).
    pub fn from_kubeconfig(kubeconfig: &Path) -> Result<Self> {
        let k = kubox_api::client::KubeconfigServer::load(kubeconfig)?;
        Ok(Self { server: k.server.trim_end_matches('/').to_string(), tls: k.tls })
    }

    async fn call(&self, method: &str, path: &str) -> Result<serde_json::Value> {
        let url = format!("{}{path}", self.server);
        let (status, body) = kubox_api::client::request(self.tls.clone(), method, &url, None, None).await?;
        let v: serde_json::Value =
            serde_json::from_slice(&body).unwrap_or_else(|_| json!({"message": String::from_utf8_lossy(&body)}));
        if status != 200 {
            bail!("{} (HTTP {status})", v["message"].as_str().unwrap_or("request failed"));
        }
        Ok(v)
    }
}

/// `kubox cluster ...`.
pub async fn command(client: AdminClient, cmd: crate::ClusterCommand) -> Result<()> {
    use crate::ClusterCommand as C;
    match cmd {
        C::Token { ttl } => {
            let v = client.call("POST", &format!("/kubox/v1/cluster/tokens?ttl={}s", ttl.as_secs())).await?;
            println!("{}", v["token"].as_str().unwrap_or_default());
        }
        C::Members => {
            let v = client.call("GET", "/kubox/v1/cluster/status").await?;
            let leader = v["leader"].as_u64();
            println!("{:<18} {:<16} {:<24} {:<32} {:<8} LEADER", "ID", "NAME", "RAFT", "API", "VOTER");
            for m in v["members"].as_array().into_iter().flatten() {
                let id = m["id"].as_u64().unwrap_or(0);
                println!(
                    "{:<18} {:<16} {:<24} {:<32} {:<8} {}",
                    format!("{id:x}"),
                    m["node"]["name"].as_str().unwrap_or(""),
                    m["node"]["raft_addr"].as_str().unwrap_or(""),
                    m["node"]["api_url"].as_str().unwrap_or(""),
                    m["voter"].as_bool().unwrap_or(false),
                    if leader == Some(id) { "*" } else { "" }
                );
            }
        }
        C::Status => {
            let v = client.call("GET", "/kubox/v1/cluster/status").await?;
            println!("node:      {:x}", v["id"].as_u64().unwrap_or(0));
            println!("role:      {}", v["role"].as_str().unwrap_or(""));
            println!("term:      {}", v["term"]);
            println!("leader:    {}", v["leader"].as_u64().map_or("none".to_string(), |l| format!("{l:x}")));
            println!("log:       {}", v["last_log_index"]);
            println!("committed: {}", v["commit_index"]);
            println!("applied:   {}", v["applied_index"]);
            println!("snapshot:  {}", v["snapshot_index"]);
            println!("revision:  {}", v["revision"]);
            println!("members:   {}", v["members"].as_array().map_or(0, |m| m.len()));
        }
        C::Remove { node } => {
            client.call("DELETE", &format!("/kubox/v1/cluster/members/{node}")).await?;
            println!("node {node} removed");
        }
    }
    Ok(())
}
