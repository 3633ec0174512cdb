//! `/healthz`, `/livez` and `/readyz`, as kube-apiserver serves them: `ok`
//! when every check passes; with `?verbose`, one `[+]name ok` line per check
//! and `<endpoint> check passed`; on failure a 500 with `[-]name failed:
//! reason withheld` lines (the reason goes to the log) and `<endpoint> check
//! failed`. `?exclude=name` skips a check; `/<endpoint>/<name>` runs one.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::future::BoxFuture;
use kubox_storage::Store;

/// How long one check may take before it counts as failed (kube-apiserver
/// gives its etcd check the same two seconds).
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

type CheckFn = dyn Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync;

/// One named health check.
#[derive(Clone)]
pub struct Check {
    name: &'static str,
    run: Arc<CheckFn>,
}

impl Check {
    /// A check named `name` that runs `run`.
    pub fn new<F, Fut>(name: &'static str, run: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        Self { name, run: Arc::new(move || Box::pin(run())) }
    }

    /// `ping`: passes whenever the server answers.
    pub fn ping() -> Self {
        Self::new("ping", || async { Ok(()) })
    }

    /// `shutdown`: fails once graceful shutdown has begun, so that load
    /// balancers stop sending traffic (a readiness check only).
    pub fn shutdown(shutting_down: Arc<AtomicBool>) -> Self {
        Self::new("shutdown", move || {
            let down = shutting_down.load(Ordering::SeqCst);
            async move { if down { Err("process is shutting down".to_string()) } else { Ok(()) } }
        })
    }

    /// `store`: the store answers a read and its last write did not fail.
    pub fn store(store: Arc<dyn Store>) -> Self {
        Self::new("store", move || {
            let store = store.clone();
            async move { store.health().await.map_err(|e| e.to_string()) }
        })
    }

    async fn run(&self) -> Result<(), String> {
        match tokio::time::timeout(CHECK_TIMEOUT, (self.run)()).await {
            Ok(result) => result,
            Err(_) => Err(format!("timed out after {CHECK_TIMEOUT:?}")),
        }
    }
}

/// The checks behind each endpoint.
#[derive(Clone, Default)]
pub struct HealthChecks {
    /// `/healthz` (deprecated upstream, still used by many tools).
    pub healthz: Vec<Check>,
    /// `/livez`: is the process alive, or should it be restarted?
    pub livez: Vec<Check>,
    /// `/readyz`: should it receive traffic?
    pub readyz: Vec<Check>,
}

/// The router serving the three endpoints and their per-check paths.
pub fn router(checks: HealthChecks) -> Router {
    let mut router = Router::new();
    for (endpoint, list) in [("healthz", checks.healthz), ("livez", checks.livez), ("readyz", checks.readyz)] {
        let endpoint_checks = Arc::new(Endpoint { name: endpoint, checks: list });
        router = router
            .route(&format!("/{endpoint}"), get(all_checks).with_state(endpoint_checks.clone()))
            .route(&format!("/{endpoint}/{{check}}"), get(one_check).with_state(endpoint_checks));
    }
    router
}

struct Endpoint {
    name: &'static str,
    checks: Vec<Check>,
}

fn text(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
    resp
}

async fn all_checks(State(endpoint): State<Arc<Endpoint>>, RawQuery(query): RawQuery) -> Response {
    let mut verbose = false;
    let mut excluded = HashSet::new();
    for pair in query.as_deref().unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "verbose" => verbose = true,
            "exclude" => {
                excluded.insert(v.to_string());
            }
            _ => {}
        }
    }
    let excluded = &excluded;
    let results = futures::future::join_all(
        endpoint
            .checks
            .iter()
            .map(|c| async move { if excluded.contains(c.name) { None } else { Some(c.run().await) } }),
    )
    .await;

    let mut body = String::new();
    let mut failed = false;
    for (check, result) in endpoint.checks.iter().zip(results) {
        match result {
            None => body.push_str(&format!("[+]{} excluded: ok\n", check.name)),
            Some(Ok(())) => body.push_str(&format!("[+]{} ok\n", check.name)),
            Some(Err(reason)) => {
                failed = true;
                tracing::warn!(endpoint = endpoint.name, check = check.name, %reason, "health check failed");
                body.push_str(&format!("[-]{} failed: reason withheld\n", check.name));
            }
        }
    }
    for name in excluded {
        if !endpoint.checks.iter().any(|c| c.name == name) {
            body.push_str(&format!("warn: some health checks cannot be excluded: no matches for \"{name}\"\n"));
        }
    }
    if failed {
        body.push_str(&format!("{} check failed\n", endpoint.name));
        return text(StatusCode::INTERNAL_SERVER_ERROR, body);
    }
    if !verbose {
        return text(StatusCode::OK, "ok".to_string());
    }
    body.push_str(&format!("{} check passed\n", endpoint.name));
    text(StatusCode::OK, body)
}

async fn one_check(State(endpoint): State<Arc<Endpoint>>, Path(name): Path<String>) -> Response {
    let Some(check) = endpoint.checks.iter().find(|c| c.name == name) else {
        return text(StatusCode::NOT_FOUND, "404 page not found\n".to_string());
    };
    match check.run().await {
        Ok(()) => text(StatusCode::OK, "ok".to_string()),
        Err(reason) => {
            tracing::warn!(endpoint = endpoint.name, check = check.name, %reason, "health check failed");
            text(StatusCode::INTERNAL_SERVER_ERROR, format!("internal server error: {reason}\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    fn checks(store_ok: bool) -> HealthChecks {
        let store =
            Check::new("store", move || async move { if store_ok { Ok(()) } else { Err("disk full".to_string()) } });
        HealthChecks {
            healthz: vec![Check::ping(), store.clone()],
            livez: vec![Check::ping(), store.clone()],
            readyz: vec![Check::ping(), store, Check::shutdown(Arc::new(AtomicBool::new(false)))],
        }
    }

    async fn get(router: &Router, uri: &str) -> (StatusCode, String) {
        let resp = router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = resp.status();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn passing_checks() {
        let r = router(checks(true));
        assert_eq!(get(&r, "/healthz").await, (StatusCode::OK, "ok".into()));
        let (status, body) = get(&r, "/readyz?verbose").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "[+]ping ok\n[+]store ok\n[+]shutdown ok\nreadyz check passed\n");
        let (_, body) = get(&r, "/livez?verbose&exclude=store").await;
        assert_eq!(body, "[+]ping ok\n[+]store excluded: ok\nlivez check passed\n");
        assert_eq!(get(&r, "/livez/store").await, (StatusCode::OK, "ok".into()));
        assert_eq!(get(&r, "/livez/nope").await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn failing_checks_withhold_the_reason() {
        let r = router(checks(false));
        let (status, body) = get(&r, "/livez").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body, "[+]ping ok\n[-]store failed: reason withheld\nlivez check failed\n");
        let (status, body) = get(&r, "/readyz/store").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body, "internal server error: disk full\n");
        // Excluding the failing check makes the endpoint pass.
        assert_eq!(get(&r, "/livez?exclude=store").await, (StatusCode::OK, "ok".into()));
    }
}
