//! The HTTPS server: the accept loop (rustls, HTTP/1.1 and HTTP/2 by ALPN,
//! the verified client certificate's user attached to every request), the
//! router, the gate of every API request (authentication, impersonation and
//! authorization, `crate::auth::gate`; the health endpoints and /version are
//! open, as kube-apiserver's public-info-viewer role makes them), and the
//! discovery, OpenAPI, OIDC discovery and version handlers.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use bytes::Bytes;
use futures::FutureExt;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::audit::{self, Auditor};
use crate::auth::UserInfo;
use crate::auth::authn::{CertificateAuthenticator, PeerCertificate};
use crate::auth::gate;
use crate::auth::gate::AuthState;
use crate::catalog::Catalog;
use crate::discovery::{self, Discovery};
use crate::errors::ApiError;
use crate::handlers::{self, Call, Query};
use crate::health::{self, HealthChecks};
use crate::negotiation::{self, Shape, Target};
use crate::openapi::{KUBERNETES_VERSION, OpenApi};
use crate::registry::Registry;
use crate::render;
use crate::request;
use crate::timefmt::Timestamp;

/// The documents built from one catalog: rebuilt when the registry's
/// catalog is swapped (a CRD came or went).
pub struct Views {
    /// The catalog they were built from.
    pub catalog: Arc<Catalog>,
    /// Discovery documents.
    pub discovery: Discovery,
    /// OpenAPI documents (built on first use).
    pub openapi: OpenApi,
}

impl Views {
    fn new(catalog: Arc<Catalog>) -> Self {
        Self { discovery: Discovery::build(&catalog), openapi: OpenApi::new(catalog.clone()), catalog }
    }
}

/// Everything the handlers share.
pub struct ApiState {
    /// The registry.
    pub registry: Arc<Registry>,
    /// Discovery and OpenAPI of the current catalog.
    views: parking_lot::RwLock<Arc<Views>>,
    /// Authentication and authorization.
    pub auth: Arc<AuthState>,
    /// The audit policy and backends, when auditing is on.
    pub audit: Option<Arc<Auditor>>,
}

impl ApiState {
    /// State over a registry.
    pub fn new(registry: Arc<Registry>, auth: Arc<AuthState>, audit: Option<Arc<Auditor>>) -> Arc<Self> {
        let views = parking_lot::RwLock::new(Arc::new(Views::new(registry.catalog())));
        Arc::new(Self { views, registry, auth, audit })
    }

    /// The discovery and OpenAPI documents of the catalog served now,
    /// rebuilt once after each catalog swap.
    pub fn views(&self) -> Arc<Views> {
        let catalog = self.registry.catalog();
        let current = self.views.read().clone();
        if Arc::ptr_eq(&current.catalog, &catalog) {
            return current;
        }
        let fresh = Arc::new(Views::new(catalog));
        *self.views.write() = fresh.clone();
        fresh
    }
}

/// The client's address, attached by the accept loop.
#[derive(Clone, Copy, Debug)]
pub struct PeerAddr(pub std::net::SocketAddr);

/// A verified client certificate, attached by the accept loop.
#[derive(Clone, Debug)]
pub struct CertificateUser(pub PeerCertificate);

/// The `/version` document.
pub fn version_info() -> Value {
    json!({
        "major": "1",
        "minor": "35",
        "emulationMajor": "1",
        "emulationMinor": "35",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "34",
        "gitVersion": KUBERNETES_VERSION,
        "gitCommit": concat!("kubox-", env!("CARGO_PKG_VERSION")),
        "gitTreeState": "clean",
        "buildDate": "1970-01-01T00:00:00Z",
        "goVersion": "n/a (kubox is written in Rust)",
        "compiler": "rustc",
        "platform": format!("{}/{}", std::env::consts::OS, if std::env::consts::ARCH == "x86_64" { "amd64" } else { std::env::consts::ARCH }),
    })
}

/// The router: health and version (open), everything else authenticated
/// (the debug endpoints of `--profiling` too).
pub fn router(state: Arc<ApiState>, checks: HealthChecks, debug: crate::debug::Debug) -> Router {
    let api = Router::new()
        .merge(crate::debug::router(debug))
        .route("/api", any(api_or_apis))
        .route("/api/{*rest}", any(api_or_apis))
        .route("/apis", any(api_or_apis))
        .route("/apis/{*rest}", any(api_or_apis))
        .route("/openapi/v2", get(openapi_v2))
        .route("/swagger-2.0.0.pb-v1", get(openapi_v2_legacy_protobuf))
        .route("/openapi/v3", get(openapi_v3_index))
        .route("/openapi/v3/{*path}", get(openapi_v3_doc))
        .route("/.well-known/openid-configuration", get(openid_configuration))
        .route("/openid/v1/jwks", get(openid_jwks))
        .fallback(not_found)
        .with_state(state.clone())
        .layer(middleware::from_fn_with_state(state, authenticate));
    Router::new().merge(health::router(checks)).route("/version", get(version)).merge(api)
}

/// The gate: who is asking, as whom, and may they; and the audit record of
/// what they asked and got (kube-apiserver's authentication, audit,
/// impersonation and authorization filters, in that order).
async fn authenticate(State(state): State<Arc<ApiState>>, mut req: Request, next: Next) -> Response {
    let certificate = req.extensions().get::<CertificateUser>().map(|c| c.0.clone());
    let uri = req.uri().clone();
    let method = req.method().clone();
    let facts = state.audit.as_ref().map(|_| {
        let peer = req.extensions().get::<PeerAddr>().map(|p| p.0.ip());
        audit::RequestFacts::new(&uri, req.headers(), peer, Timestamp::now())
    });
    let audit_id = match &facts {
        Some(f) => f.audit_id.clone(),
        None => audit::RequestFacts::audit_id(req.headers()),
    };
    let user = match state.auth.authenticate(certificate.as_ref(), uri.path(), req.headers()).await {
        Ok(user) => user,
        Err(err) => {
            if let (Some(auditor), Some(facts)) = (&state.audit, &facts) {
                let a = audit::anonymous_attributes(&method, uri.path(), uri.query());
                let methods = audit::auth_methods(req.headers(), uri.query(), certificate.is_some());
                auditor.failed_authentication(facts, &a, &methods);
            }
            return with_audit_id(render::error_response(&err, None, req.headers()), &audit_id);
        }
    };
    let (recorder, long_running) = match (&state.audit, &facts) {
        (Some(auditor), Some(facts)) => {
            let a = gate::attributes(&user, &method, uri.path(), uri.query());
            (auditor.begin(facts, &a), audit::long_running(&a))
        }
        _ => (None, false),
    };
    match state.auth.authorize_request(user, &method, uri.path(), uri.query(), req.headers(), recorder.as_deref()).await
    {
        Ok(user) => {
            req.extensions_mut().insert(user);
        }
        Err(err) => {
            let resp = render::error_response(&err, None, req.headers());
            return finish_audit(resp, recorder, false, &audit_id);
        }
    }
    if let Some(r) = &recorder
        && r.wants_request_body()
    {
        let r = r.clone();
        req = req.map(|body| Body::new(audit::RequestBody::new(body, r)));
    }
    match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(resp) => finish_audit(resp, recorder, long_running, &audit_id),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(%message, path = uri.path(), "a request handler panicked");
            if let Some(r) = &recorder {
                r.panicked(&message);
            }
            let err = ApiError::new(
                500,
                "InternalError",
                "This request caused apiserver to panic. Look in the logs for details.",
            );
            with_audit_id(render::error_response(&err, None, &HeaderMap::new()), &audit_id)
        }
    }
}

/// Notes the response in the audit record and hands its body to the
/// recorder, which emits ResponseComplete when the body ends.
fn finish_audit(
    resp: Response,
    recorder: Option<Arc<audit::Recorder>>,
    long_running: bool,
    audit_id: &str,
) -> Response {
    let mut resp = with_audit_id(resp, audit_id);
    let Some(r) = recorder else { return resp };
    let status = resp.extensions_mut().remove::<render::RenderedStatus>();
    r.response_status(resp.status().as_u16(), status.as_ref().map(|s| &s.0));
    if let Some(ct) = resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        r.response_content_type(ct);
    }
    if long_running {
        r.response_started();
    }
    resp.map(|body| Body::new(audit::ResponseBody::new(body, r)))
}

fn with_audit_id(mut resp: Response, audit_id: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(audit_id) {
        resp.headers_mut().insert(audit::AUDIT_ID_HEADER, v);
    }
    resp
}

/// The service account issuer's OIDC discovery document.
async fn openid_configuration(State(state): State<Arc<ApiState>>) -> Response {
    match state.auth.authn.service_accounts() {
        Some(sa) => json_response(StatusCode::OK, &sa.openid_configuration()),
        None => not_found_response(),
    }
}

/// The service account issuer's public keys.
async fn openid_jwks(State(state): State<Arc<ApiState>>) -> Response {
    match state.auth.authn.service_accounts() {
        Some(sa) => {
            let mut resp = json_response(StatusCode::OK, sa.jwks());
            resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/jwk-set+json"));
            resp
        }
        None => not_found_response(),
    }
}

fn not_found_response() -> Response {
    let mut resp = (StatusCode::NOT_FOUND, "404 page not found\n").into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    resp
}

async fn version() -> Response {
    json_response(StatusCode::OK, &version_info())
}

fn json_response(status: StatusCode, v: &Value) -> Response {
    let mut resp = (status, serde_json::to_vec(v).unwrap_or_default()).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

async fn not_found(req: Request) -> Response {
    let _ = req;
    let mut resp = (StatusCode::NOT_FOUND, "404 page not found\n").into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    resp
}

/// Everything under /api and /apis: discovery or a resource.
async fn api_or_apis(State(state): State<Arc<ApiState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let query = Query::parse(parts.uri.query());
    let watch = query.get("watch").is_some_and(request::query_bool);
    let info = request::parse(&parts.method, parts.uri.path(), watch);
    let identity = parts.extensions.get::<UserInfo>().cloned().unwrap_or_default();
    if !info.is_resource {
        return discovery_response(&state, &info, &parts.method, &parts.headers);
    }
    let Some(spec) = state.registry.catalog().get(&info.group, &info.version, &info.resource).cloned() else {
        return render::error_response(&handlers::not_found_path(), None, &parts.headers);
    };
    let span = tracing::debug_span!("request", verb = %info.verb, resource = %info.resource, namespace = %info.namespace, name = %info.name, user = %identity.name);
    let _enter = span.enter();
    let call =
        Call { registry: &state.registry, auth: &state.auth, spec, info, query, headers: parts.headers, identity };
    handlers::handle(call, body).await
}

fn discovery_response(state: &ApiState, info: &request::RequestInfo, method: &Method, headers: &HeaderMap) -> Response {
    if *method != Method::GET && *method != Method::HEAD {
        let mut err = ApiError::method_not_supported(
            &crate::errors::GroupResource { group: "", resource: "" },
            &method.as_str().to_lowercase(),
        );
        err.message = "the server does not allow this method on the requested resource".into();
        return render::error_response(&err, None, headers);
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let views = state.views();
    let d = &views.discovery;
    let doc: Option<Value> = match (info.api_prefix.as_str(), info.group.as_str(), info.version.as_str()) {
        (prefix @ ("api" | "apis"), "", "") => match negotiation::negotiate(accept, Target::Discovery, false) {
            Ok(n) => {
                if let Shape::Discovery(v) = &n.shape
                    && let Some(doc) = d.aggregated(prefix, v)
                {
                    let body = Bytes::from(serde_json::to_vec(doc).unwrap_or_default());
                    let etag = discovery::etag(&body);
                    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    let mut resp = render::respond(StatusCode::OK, &n.content_type(), body, headers, &[]);
                    if let Ok(v) = HeaderValue::from_str(&etag) {
                        resp.headers_mut().insert(header::ETAG, v);
                    }
                    return resp;
                }
                if prefix == "api" { Some(d.api_versions.clone()) } else { Some(d.group_list.clone()) }
            }
            Err(e) => return render::error_response(&e, None, headers),
        },
        ("api", "", v) => d.resources(v).cloned(),
        ("apis", g, "") => d.group(g).cloned(),
        ("apis", g, v) => d.resources(&format!("{g}/{v}")).cloned(),
        _ => None,
    };
    match doc {
        Some(doc) => match negotiation::negotiate(accept, Target::Other, false) {
            Ok(n) => match render::encode_value(&doc, n.format) {
                Ok(body) => render::respond(StatusCode::OK, n.format.media_type(), body, headers, &[]),
                Err(e) => render::error_response(&e, None, headers),
            },
            Err(e) => render::error_response(&e, None, headers),
        },
        None => render::error_response(&handlers::not_found_path(), None, headers),
    }
}

/// The media type of the protobuf OpenAPI v2 document; kubectl asks for it
/// by the older spelling, [`OPENAPI_V2_PROTOBUF_OLD`], and gets it under this one.
const OPENAPI_V2_PROTOBUF: &str = "com.github.proto-openapi.spec.v2.v1.0+protobuf";
/// The spelling client-go's discovery `OpenAPISchema()` sends.
const OPENAPI_V2_PROTOBUF_OLD: &str = "com.github.proto-openapi.spec.v2@v1.0+protobuf";

/// `/openapi/v2`: the Swagger 2.0 document as JSON or, when the `Accept`
/// header asks for it, as gnostic protobuf, negotiated as kube-openapi's
/// handler does; 406 when neither is acceptable, 304 when `If-None-Match`
/// names the current ETag.
async fn openapi_v2(State(state): State<Arc<ApiState>>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    match openapi_v2_form(accept) {
        Some(false) => openapi_v2_response(Ok(state.views().openapi.v2()), "application/json", &headers),
        Some(true) => openapi_v2_response(
            state.views().openapi.v2_protobuf(),
            &format!("application/{OPENAPI_V2_PROTOBUF}"),
            &headers,
        ),
        None => {
            let mut resp = StatusCode::NOT_ACCEPTABLE.into_response();
            resp.headers_mut().append(header::VARY, HeaderValue::from_static("Accept"));
            resp
        }
    }
}

/// `/swagger-2.0.0.pb-v1`: the protobuf document at the path servers before
/// Kubernetes 1.10 used, which client-go's discovery still tries when
/// `/openapi/v2` fails.
async fn openapi_v2_legacy_protobuf(State(state): State<Arc<ApiState>>, headers: HeaderMap) -> Response {
    openapi_v2_response(
        state.views().openapi.v2_protobuf(),
        "application/com.github.googleapis.gnostic.OpenAPIv2@68f4ded+protobuf",
        &headers,
    )
}

/// Whether an `Accept` header selects the protobuf form (`Some(true)`), the
/// JSON one (`Some(false)`) or neither. Like kube-openapi (with goautoneg),
/// clauses are ordered by quality and specificity, and the first clause that
/// JSON or protobuf matches decides; a missing header means `*/*`.
fn openapi_v2_form(accept: &str) -> Option<bool> {
    struct Clause<'a> {
        ty: &'a str,
        subtype: &'a str,
        q: f64,
    }
    let accept = if accept.trim().is_empty() { "*/*" } else { accept };
    let mut clauses: Vec<Clause> = Vec::new();
    for part in accept.split(',') {
        let mut params = part.trim_matches(' ').split(';');
        let range = params.next().unwrap_or("");
        let sp: Vec<&str> = range.split('/').collect();
        let ty = sp[0].trim_matches(' ');
        let subtype = match sp.len() {
            1 if ty == "*" => "*",
            2 => sp[1].trim_matches(' '),
            _ => continue,
        };
        let mut q = 1.0;
        for param in params {
            if let Some((k, v)) = param.split_once('=')
                && k.trim_matches(' ') == "q"
            {
                // goautoneg reads an unparsable quality as 0.
                q = v.parse::<f32>().map(f64::from).unwrap_or(0.0);
            }
        }
        clauses.push(Clause { ty, subtype, q });
    }
    // goautoneg's order, with the insertion sort Go uses for short lists.
    let less =
        |a: &Clause, b: &Clause| a.q > b.q || (a.ty != "*" && b.ty == "*") || (a.subtype != "*" && b.subtype == "*");
    for i in 1..clauses.len() {
        let mut j = i;
        while j > 0 && less(&clauses[j], &clauses[j - 1]) {
            clauses.swap(j, j - 1);
            j -= 1;
        }
    }
    let offered = [("json", false), (OPENAPI_V2_PROTOBUF_OLD, true), (OPENAPI_V2_PROTOBUF, true)];
    clauses.iter().find_map(|c| {
        offered
            .iter()
            .find(|(subtype, _)| (c.ty == "application" || c.ty == "*") && (c.subtype == *subtype || c.subtype == "*"))
            .map(|(_, protobuf)| *protobuf)
    })
}

/// One form of the v2 document with its ETag (the JSON document's hash for
/// both forms, as kube-apiserver sends) and `Vary: Accept`; 304 when
/// `If-None-Match` names the ETag (or is `*`), 503 when the document could
/// not be built.
fn openapi_v2_response(doc: Result<&crate::openapi::Doc, &str>, content_type: &str, headers: &HeaderMap) -> Response {
    let doc = match doc {
        Ok(doc) => doc,
        Err(err) => {
            tracing::error!(%err, "serving the OpenAPI v2 document");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let etag = format!("\"{}\"", doc.hash);
    let not_modified =
        headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|v| {
            v.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
        });
    let mut resp = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        render::respond(StatusCode::OK, content_type, Bytes::from(doc.body.clone()), headers, &[])
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.append(header::VARY, HeaderValue::from_static("Accept"));
    resp
}

async fn openapi_v3_index(State(state): State<Arc<ApiState>>, headers: HeaderMap) -> Response {
    let views = state.views();
    let (index, _) = views.openapi.v3();
    render::respond(StatusCode::OK, "application/json", Bytes::from(index.body.clone()), &headers, &[])
}

async fn openapi_v3_doc(State(state): State<Arc<ApiState>>, req: Request) -> Response {
    let headers = req.headers().clone();
    let path = req.uri().path().trim_start_matches("/openapi/v3/").to_string();
    let query = Query::parse(req.uri().query());
    let views = state.views();
    let (_, docs) = views.openapi.v3();
    let Some(doc) = docs.get(&path) else {
        return not_found(req).await;
    };
    match query.get("hash") {
        // An outdated hash is redirected to the current document.
        Some(h) if h != doc.hash => {
            let mut resp = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("/openapi/v3/{path}?hash={}", doc.hash)) {
                resp.headers_mut().insert(header::LOCATION, v);
            }
            return resp;
        }
        _ => {}
    }
    let etag = format!("\"{}\"", doc.hash);
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut resp = render::respond(StatusCode::OK, "application/json", Bytes::from(doc.body.clone()), &headers, &[]);
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if query.get("hash").is_some() {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, immutable"));
        h.insert(header::EXPIRES, HeaderValue::from_static("Thu, 31 Dec 2099 23:59:59 GMT"));
    }
    resp
}

/// Serves `app` over TLS on `listener` until `shutdown` resolves, then lets
/// open connections finish for up to `drain`.
pub async fn serve_tls(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    certificates: Arc<CertificateAuthenticator>,
    app: Router,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) {
    let acceptor = TlsAcceptor::from(tls);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(err) => {
                    tracing::warn!(%err, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let app = app.clone();
        let certificates = certificates.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let tls = match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(err)) => {
                    tracing::debug!(%err, %peer, "TLS handshake failed");
                    return;
                }
                Err(_) => return,
            };
            let identity =
                tls.get_ref().1.peer_certificates().and_then(|chain| certificates.classify(chain)).map(CertificateUser);
            let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let mut req = req.map(Body::new);
                req.extensions_mut().insert(PeerAddr(peer));
                if let Some(id) = &identity {
                    req.extensions_mut().insert(id.clone());
                }
                app.clone().oneshot(req)
            });
            let mut builder = auto::Builder::new(TokioExecutor::new());
            builder.http1().timer(TokioTimer::new());
            builder
                .http2()
                .timer(TokioTimer::new())
                .max_concurrent_streams(1000)
                .keep_alive_interval(Some(Duration::from_secs(30)));
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(tls), service);
            let conn = watcher.watch(conn.into_owned());
            if let Err(err) = conn.await {
                tracing::debug!(err = %err, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(drain) => tracing::warn!("connections still open after {drain:?}; closing them"),
    }
}
