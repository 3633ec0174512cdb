//! The resource handlers: one function per verb, between the HTTP request
//! (already authenticated) and the registry. They parse query parameters
//! and bodies as kube-apiserver does, decide the response format, and turn
//! every failure into its Status.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::catalog::ResourceSpec;
use crate::codec;
use crate::errors::{ApiError, ApiResult};
use crate::managedfields;
use crate::negotiation::{self, BodyType, Format, Negotiated, Shape, Target};
use crate::registry::{
    DeleteOptions, DeleteOutcome, ListOptions, Part, Patch, PropagationPolicy, ReadAt, Registry, WatchParams,
    WriteContext,
};
use crate::render::{self, IncludeObject};
use crate::request::RequestInfo;
use crate::reviews;
use crate::schema::Schema;
use crate::selectors::{FieldSelector, LabelSelector};
use crate::validation::field::{ErrorType, FieldError, go_quote, raw_value};
use crate::watchcache::{CachedObject, EventType, WatchMsg};

/// The largest request body accepted (kube-apiserver's MaxRequestBodyBytes).
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;
/// kube-apiserver's `--min-request-timeout`: watches last between this and twice this.
const MIN_REQUEST_TIMEOUT: u64 = 1800;

/// The caller (the gate's user).
pub type Identity = crate::auth::UserInfo;

/// Query parameters, by name (first value wins, as Go's url.Values.Get).
pub struct Query(HashMap<String, Vec<String>>);

impl Query {
    /// Parses a raw query string.
    pub fn parse(raw: Option<&str>) -> Self {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            m.entry(k.into_owned()).or_default().push(v.into_owned());
        }
        Self(m)
    }

    /// The first value of a parameter.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).and_then(|v| v.first()).map(String::as_str)
    }

    /// All values of a parameter.
    pub fn all(&self, k: &str) -> &[String] {
        self.0.get(k).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A boolean option (see [`crate::request::query_bool`]).
    fn bool(&self, k: &str) -> ApiResult<Option<bool>> {
        Ok(self.get(k).map(crate::request::query_bool))
    }

    /// An integer option; a value that is not one is a 400 with Go's
    /// strconv.ParseInt error, as kube-apiserver's parameter decoding gives.
    fn int(&self, k: &str) -> ApiResult<Option<i64>> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|e: std::num::ParseIntError| {
                let why = match e.kind() {
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => "value out of range",
                    _ => "invalid syntax",
                };
                ApiError::bad_request(format!("strconv.ParseInt: parsing {}: {why}", go_quote(v)))
            }),
        }
    }
}

/// Everything a handler needs about the request.
pub struct Call<'a> {
    /// The registry.
    pub registry: &'a Arc<Registry>,
    /// Authentication and authorization.
    pub auth: &'a Arc<crate::auth::gate::AuthState>,
    /// The resource.
    pub spec: Arc<ResourceSpec>,
    /// The parsed request.
    pub info: RequestInfo,
    /// The query.
    pub query: Query,
    /// The headers.
    pub headers: HeaderMap,
    /// The caller.
    pub identity: Identity,
}

impl Call<'_> {
    fn namespace(&self) -> &str {
        if self.spec.namespaced { &self.info.namespace } else { "" }
    }

    fn accept(&self) -> Option<&str> {
        self.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())
    }

    fn negotiate(&self, target: Target) -> ApiResult<Negotiated> {
        negotiation::negotiate(self.accept(), target, self.spec.protobuf)
    }

    /// The options type kube-apiserver decodes this write's query into.
    fn options_kind(&self) -> &'static str {
        match self.info.verb.as_str() {
            "update" => "UpdateOptions",
            "patch" => "PatchOptions",
            "delete" | "deletecollection" => "DeleteOptions",
            _ => "CreateOptions",
        }
    }

    /// The write's options, validated as kube-apiserver's
    /// Validate{Create,Update,Patch,Delete}Options does (422 on
    /// `meta.k8s.io` `<Verb>Options`).
    fn write_context(&self) -> ApiResult<WriteContext> {
        let dry_run = self.query.all("dryRun");
        let mut errs = Vec::new();
        if !dry_run.iter().all(|v| v == "All") {
            let values: Vec<String> = dry_run.iter().map(|v| go_quote(v)).collect();
            errs.push(FieldError {
                error_type: ErrorType::NotSupported,
                field: "dryRun".into(),
                bad_value: Some(raw_value(format!("[]string{{{}}}", values.join(", ")))),
                detail: "supported values: \"All\"".into(),
            });
        }
        let kind = self.options_kind();
        if kind != "DeleteOptions"
            && let Some(v) = self.query.get("fieldValidation")
            && !matches!(v, "" | "Ignore" | "Strict" | "Warn")
        {
            errs.push(FieldError {
                error_type: ErrorType::NotSupported,
                field: "fieldValidation".into(),
                bad_value: Some(json!(v)),
                detail: "supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"".into(),
            });
        }
        if !errs.is_empty() {
            return Err(ApiError::invalid("meta.k8s.io", kind, "", &errs));
        }
        let dry = !dry_run.is_empty();
        let ua = self.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
        Ok(WriteContext {
            dry_run: dry,
            field_manager: managedfields::manager_name(self.query.get("fieldManager"), ua),
            user: self.identity.name.clone(),
            groups: self.identity.groups.clone(),
        })
    }

    fn include_object(&self) -> ApiResult<IncludeObject> {
        match self.query.get("includeObject") {
            None | Some("") | Some("Metadata") => Ok(IncludeObject::Metadata),
            Some("None") => Ok(IncludeObject::None),
            Some("Object") => Ok(IncludeObject::Object),
            Some(other) => {
                Err(ApiError::bad_request(format!("includeObject {other:?} is not one of None, Metadata, Object")))
            }
        }
    }

    fn respond_object(
        &self,
        status: StatusCode,
        o: &CachedObject,
        n: &Negotiated,
        warnings: &[String],
    ) -> ApiResult<Response> {
        let body = render::object_body(&self.spec, o, n, self.include_object()?)?;
        Ok(render::respond(status, &n.content_type(), body, &self.headers, warnings))
    }
}

/// Runs a resource request.
pub async fn handle(call: Call<'_>, body: Body) -> Response {
    let negotiated_for_errors = call.negotiate(Target::Object).ok();
    let result = dispatch(&call, body).await;
    match result {
        Ok(r) => r,
        Err(err) => render::error_response(&err, negotiated_for_errors.as_ref(), &call.headers),
    }
}

async fn dispatch(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    let spec = &call.spec;
    let info = &call.info;
    // Namespaced objects are addressed inside a namespace; only lists and
    // watches may span all namespaces.
    if spec.namespaced
        && info.namespace.is_empty()
        && !matches!(info.verb.as_str(), "list" | "watch" | "deletecollection")
    {
        return Err(not_found_path());
    }
    if !spec.namespaced && spec.plural != "namespaces" && !info.namespace.is_empty() {
        return Err(not_found_path());
    }
    if !info.subresource.is_empty() {
        return subresource(call, body).await;
    }
    let verb = if info.verb == "deletecollection" && spec.plural == "namespaces" {
        "deletecollection"
    } else {
        info.verb.as_str()
    };
    if !spec.supports(verb) {
        return Err(unsupported_verb(spec, verb, !info.name.is_empty()));
    }
    if !spec.is_stored() {
        return reviews::handle(call, body).await;
    }
    match verb {
        "get" => get(call).await,
        "list" => list(call).await,
        "watch" => watch(call).await,
        "create" => create(call, body).await,
        "update" => update(call, body, Part::Main).await,
        "patch" => patch(call, body, Part::Main).await,
        "delete" => delete(call, body).await,
        "deletecollection" => delete_collection(call, body).await,
        _ => Err(ApiError::method_not_supported(&spec.group_resource(), verb)),
    }
}

/// What kube-apiserver answers a verb a resource does not have with: its
/// router has no route for the path (404) or none for the method (405);
/// only a watch of a listable resource gets the "not supported" Status.
fn unsupported_verb(spec: &ResourceSpec, verb: &str, named: bool) -> ApiError {
    let path_verbs: &[&str] =
        if named { &["get", "update", "patch", "delete"] } else { &["list", "create", "deletecollection"] };
    if verb == "watch" && spec.supports("list") {
        ApiError::method_not_supported(&spec.group_resource(), verb)
    } else if !path_verbs.iter().any(|v| spec.supports(v)) {
        not_found_path()
    } else {
        ApiError::method_not_allowed()
    }
}

/// The 404 kube-apiserver gives for a path that names no resource.
pub fn not_found_path() -> ApiError {
    let mut e = ApiError::not_found(&crate::errors::GroupResource { group: "", resource: "" }, "");
    e.message = "the server could not find the requested resource".into();
    e.name.clear();
    e
}

fn read_at_param(q: &Query) -> ApiResult<ReadAt> {
    Ok(match q.get("resourceVersion").unwrap_or("") {
        "" => ReadAt::Consistent,
        "0" => ReadAt::Any,
        v => ReadAt::NotOlderThan(
            v.parse::<i64>().map_err(|_| ApiError::bad_request(format!("invalid resource version: {v:?}")))?,
        ),
    })
}

async fn get(call: &Call<'_>) -> ApiResult<Response> {
    let n = call.negotiate(Target::Object)?;
    let o = call.registry.get(&call.spec, call.namespace(), &call.info.name, read_at_param(&call.query)?).await?;
    call.respond_object(StatusCode::OK, &o, &n, &[])
}

/// Parses and checks label and field selectors.
fn selectors(call: &Call<'_>) -> ApiResult<(Option<LabelSelector>, Option<FieldSelector>)> {
    let labels = match call.query.get("labelSelector").filter(|s| !s.is_empty()) {
        Some(s) => Some(LabelSelector::parse(s).map_err(|e| ApiError::bad_request(e.to_string()))?),
        None => None,
    };
    let fields = match call.query.get("fieldSelector").filter(|s| !s.is_empty()) {
        Some(s) => {
            let parsed = FieldSelector::parse(s).map_err(|e| ApiError::bad_request(e.to_string()))?;
            let spec = call.spec.clone();
            let converted = parsed
                .transform(|field, value| match spec.field_label(field) {
                    Some(f) => Ok((f, value.to_string())),
                    None if spec.field_selectors.is_empty() => {
                        crate::selectors::default_field_label_conversion(field, value)
                    }
                    None => Err(crate::selectors::SelectorError::new(format!("field label not supported: {field}"))),
                })
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            Some(converted)
        }
        None => None,
    };
    Ok((labels, fields))
}

async fn list(call: &Call<'_>) -> ApiResult<Response> {
    let n = call.negotiate(Target::List)?;
    let (labels, fields) = selectors(call)?;
    let opts = ListOptions {
        labels,
        fields,
        resource_version: call.query.get("resourceVersion").unwrap_or("").to_string(),
        resource_version_match: call.query.get("resourceVersionMatch").unwrap_or("").to_string(),
        limit: call.query.int("limit")?.unwrap_or(0),
        continue_token: call.query.get("continue").unwrap_or("").to_string(),
    };
    let page = call.registry.list(&call.spec, call.namespace(), &opts).await?;
    let meta = render::list_meta(page.resource_version, page.continue_token.as_deref(), page.remaining_item_count);
    let body = render::list_body(&call.spec, &page.items, meta, &n, call.include_object()?)?;
    Ok(render::respond(StatusCode::OK, &n.content_type(), body, &call.headers, &[]))
}

/// kube-apiserver's ValidateListOptions for watches.
fn watch_option_errors(q: &Query, send_initial: Option<bool>, bookmarks: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rvm = q.get("resourceVersionMatch").unwrap_or("");
    let forbid = |field: &str, detail: &str| FieldError {
        error_type: ErrorType::Forbidden,
        field: field.into(),
        bad_value: None,
        detail: detail.into(),
    };
    if send_initial.is_some() {
        if rvm != "NotOlderThan" {
            errs.push(forbid(
                "resourceVersionMatch",
                "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
            ));
        }
        if send_initial == Some(true) && !bookmarks {
            errs.push(forbid(
                "allowWatchBookmarks",
                "allowWatchBookmarks must be set to true when sendInitialEvents is true",
            ));
        }
    }
    if !rvm.is_empty() {
        if send_initial.is_none() {
            errs.push(forbid(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
            ));
        }
        if rvm != "NotOlderThan" {
            errs.push(FieldError {
                error_type: ErrorType::NotSupported,
                field: "resourceVersionMatch".into(),
                bad_value: Some(json!(rvm)),
                detail: "supported values: \"NotOlderThan\"".into(),
            });
        }
        if q.get("continue").is_some_and(|c| !c.is_empty()) {
            errs.push(forbid("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
        }
    }
    errs
}

async fn watch(call: &Call<'_>) -> ApiResult<Response> {
    let n = call.negotiate(Target::Watch)?;
    let (labels, mut fields) = selectors(call)?;
    // A watch of one named object (GET .../name?watch=true) selects it by name.
    if !call.info.name.is_empty() {
        let combined = match &fields {
            Some(f) if !f.is_empty() => format!("{f},metadata.name={}", call.info.name),
            _ => format!("metadata.name={}", call.info.name),
        };
        fields = Some(FieldSelector::parse(&combined).map_err(|e| ApiError::bad_request(e.to_string()))?);
    }
    let bookmarks = call.query.bool("allowWatchBookmarks")?.unwrap_or(false);
    let send_initial = call.query.bool("sendInitialEvents")?;
    let errs = watch_option_errors(&call.query, send_initial, bookmarks);
    if !errs.is_empty() {
        return Err(ApiError::invalid("meta.k8s.io", "ListOptions", "", &errs));
    }
    let timeout = match call.query.int("timeoutSeconds")? {
        Some(t) if t > 0 => Duration::from_secs(t as u64),
        _ => {
            let jitter = uuid::Uuid::new_v4().as_u128() as u64 % MIN_REQUEST_TIMEOUT;
            Duration::from_secs(MIN_REQUEST_TIMEOUT + jitter)
        }
    };
    let deadline = Instant::now() + timeout;
    let params = WatchParams {
        labels,
        fields,
        resource_version: call.query.get("resourceVersion").unwrap_or("").to_string(),
        allow_bookmarks: bookmarks,
        send_initial_events: send_initial,
        deadline: Some(deadline),
    };
    let content_type = match n.format {
        Format::Protobuf => "application/vnd.kubernetes.protobuf;stream=watch".to_string(),
        _ => n.content_type(),
    };
    let rx = match call.registry.watch(&call.spec, call.namespace(), "", &params).await {
        Ok(rx) => rx,
        // A start that is too old is an ERROR event on a 200 stream, as kube-apiserver sends it.
        Err(e) if e.code == 410 => {
            let frame = error_frame(&e, n.format);
            return Ok(render::respond(StatusCode::OK, &content_type, frame, &call.headers, &[]));
        }
        Err(e) => return Err(e),
    };
    let stream = WatchEncoder {
        registry: call.registry.clone(),
        spec: call.spec.clone(),
        negotiated: n,
        include: call.include_object()?,
        first_table: true,
    }
    .into_stream(rx, deadline);
    let mut resp = Response::new(Body::from_stream(stream));
    if let Ok(ct) = header::HeaderValue::from_str(&content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache, private"));
    Ok(resp)
}

fn error_frame(e: &ApiError, format: Format) -> Bytes {
    let status = e.to_status();
    let object = match format {
        Format::Protobuf => crate::protobuf::encode("io.k8s.apimachinery.pkg.apis.meta.v1.Status", &status)
            .map(|raw| Bytes::from(crate::protobuf::wrap("v1", "Status", &raw)))
            .unwrap_or_default(),
        _ => Bytes::from(serde_json::to_vec(&status).unwrap_or_default()),
    };
    render::watch_frame("ERROR", &object, format)
}

/// Encodes watch messages for the wire.
struct WatchEncoder {
    registry: Arc<Registry>,
    spec: Arc<ResourceSpec>,
    negotiated: Negotiated,
    include: IncludeObject,
    first_table: bool,
}

impl WatchEncoder {
    fn into_stream(
        mut self,
        mut rx: tokio::sync::mpsc::Receiver<WatchMsg>,
        deadline: Instant,
    ) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
        async_stream_fn(move |tx| async move {
            let sleep = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline));
            tokio::pin!(sleep);
            loop {
                tokio::select! {
                    msg = rx.recv() => match msg {
                        Some(m) => match self.encode(m) {
                            Ok(frame) => if tx.send(Ok(frame)).await.is_err() { return },
                            Err(e) => {
                                let _ = tx.send(Ok(error_frame(&e, self.negotiated.format))).await;
                                return;
                            }
                        },
                        None => return,
                    },
                    _ = &mut sleep => return,
                }
            }
        })
    }

    fn encode(&mut self, msg: WatchMsg) -> ApiResult<Bytes> {
        let format = self.negotiated.format;
        match msg {
            WatchMsg::Event(t, o) => {
                let o = self.registry.to_version(&self.spec, o)?;
                let object = match &self.negotiated.shape {
                    Shape::Table(v) => {
                        let table = render::table(
                            &self.spec,
                            std::slice::from_ref(&o),
                            v,
                            None,
                            self.include,
                            self.first_table,
                        )?;
                        self.first_table = false;
                        Bytes::from(serde_json::to_vec(&table).map_err(ApiError::internal)?)
                    }
                    Shape::PartialObjectMetadata(v) => {
                        let pom = render::partial_object_metadata(&o, v)?;
                        match format {
                            Format::Protobuf => Bytes::from(crate::protobuf::wrap(
                                &format!("meta.k8s.io/{v}"),
                                "PartialObjectMetadata",
                                &crate::protobuf::encode(
                                    "io.k8s.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata",
                                    &pom,
                                )
                                .map_err(|e| ApiError::internal(e.to_string()))?,
                            )),
                            _ => Bytes::from(serde_json::to_vec(&pom).map_err(ApiError::internal)?),
                        }
                    }
                    _ => match format {
                        Format::Protobuf => o.protobuf(&self.spec)?.clone(),
                        _ => o.json(),
                    },
                };
                Ok(render::watch_frame(t.as_str(), &object, format))
            }
            WatchMsg::Bookmark { revision, initial_end } => {
                let (api_version, kind) = match &self.negotiated.shape {
                    Shape::PartialObjectMetadata(v) | Shape::Table(v) => {
                        (format!("meta.k8s.io/{v}"), "PartialObjectMetadata".to_string())
                    }
                    _ => (self.spec.api_version(), self.spec.kind.clone()),
                };
                let mut meta = json!({"resourceVersion": revision.to_string(), "creationTimestamp": null});
                if initial_end {
                    meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
                }
                let object = json!({"kind": kind, "apiVersion": api_version, "metadata": meta});
                let bytes = match format {
                    Format::Protobuf => {
                        let def = crate::schema::Schema::get()
                            .for_gvk(&self.spec.group, &self.spec.version, &self.spec.kind)
                            .unwrap_or(&self.spec.definition)
                            .to_string();
                        Bytes::from(crate::protobuf::wrap(
                            &api_version,
                            &kind,
                            &crate::protobuf::encode(&def, &object).map_err(|e| ApiError::internal(e.to_string()))?,
                        ))
                    }
                    _ => Bytes::from(serde_json::to_vec(&object).map_err(ApiError::internal)?),
                };
                Ok(render::watch_frame("BOOKMARK", &bytes, format))
            }
        }
    }
}

/// A stream fed by an async producer through a small channel.
fn async_stream_fn<F, Fut>(f: F) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static
where
    F: FnOnce(tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    tokio::spawn(f(tx));
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

/// Reads a body, refusing more than the limit.
pub(crate) async fn read_body(body: Body) -> ApiResult<Bytes> {
    let limited = http_body_util::Limited::new(body, MAX_BODY_BYTES);
    match http_body_util::BodyExt::collect(limited).await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
            Err(ApiError::too_large(&format!("limit is {MAX_BODY_BYTES}")))
        }
        Err(e) => Err(ApiError::bad_request(format!("reading the request body: {e}"))),
    }
}

fn body_type(call: &Call<'_>) -> ApiResult<BodyType> {
    let ct = call.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    negotiation::body_type(ct).ok_or_else(|| ApiError::unsupported_media_type(negotiation::ACCEPTED))
}

/// The fieldValidation directive.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldValidation {
    Ignore,
    Warn,
    Strict,
}

fn field_validation(q: &Query) -> ApiResult<FieldValidation> {
    match q.get("fieldValidation").unwrap_or("") {
        "" | "Warn" => Ok(FieldValidation::Warn),
        "Strict" => Ok(FieldValidation::Strict),
        "Ignore" => Ok(FieldValidation::Ignore),
        // Writes validate their options first (write_context); this is for
        // the create-only APIs that do not.
        other => Err(ApiError::invalid(
            "meta.k8s.io",
            "CreateOptions",
            "",
            &[FieldError {
                error_type: ErrorType::NotSupported,
                field: "fieldValidation".into(),
                bad_value: Some(json!(other)),
                detail: "supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"".into(),
            }],
        )),
    }
}

/// Walks a decoded body through the schema: prunes unknown fields, checks
/// types, canonicalises values, and applies fieldValidation. Returns the
/// warnings to send.
fn decode_object(
    spec: &ResourceSpec,
    value: &mut Value,
    duplicates: Vec<String>,
    fv: FieldValidation,
) -> ApiResult<Vec<String>> {
    let body_kind = value["kind"].as_str().unwrap_or(&spec.kind).to_string();
    let body_version = value["apiVersion"]
        .as_str()
        .map(|av| codec::split_api_version(av).1.to_string())
        .unwrap_or_else(|| spec.version.clone());
    let cannot = |why: String| {
        ApiError::bad_request(format!(
            "{body_kind} in version {body_version:?} cannot be handled as a {}: {why}",
            spec.kind
        ))
    };
    let mut unknown = Vec::new();
    match &spec.custom {
        // A custom object: pruned to its version's structural schema, then
        // defaulted (types are checked by validation, as a 422).
        Some(custom) => {
            unknown = custom.prune(value);
            custom.default(value);
        }
        None => Schema::get().decode(&spec.definition, value, &mut unknown).map_err(|e| cannot(e.message))?,
    }
    let mut issues: Vec<String> = unknown.iter().map(|f| format!("unknown field {f:?}")).collect();
    issues.extend(duplicates.iter().map(|f| format!("duplicate field {f:?}")));
    match fv {
        FieldValidation::Strict if !issues.is_empty() => {
            Err(cannot(format!("strict decoding error: {}", issues.join(", "))))
        }
        FieldValidation::Warn => Ok(issues),
        _ => Ok(Vec::new()),
    }
}

/// Checks apiVersion and kind of a body against the endpoint, and sets them.
fn check_type(spec: &ResourceSpec, value: &mut Value) -> ApiResult<()> {
    let expected = spec.api_version();
    let kind = value["kind"].as_str().filter(|s| !s.is_empty()).unwrap_or(&spec.kind);
    let av = value["apiVersion"].as_str().filter(|s| !s.is_empty()).unwrap_or(&expected);
    if (av, kind) != (expected.as_str(), spec.kind.as_str()) && spec.protobuf {
        // A built-in kind the body's version does not have: kube-apiserver's
        // scheme cannot even make the object to decode into.
        let (group, version) = codec::split_api_version(av);
        if Schema::get().for_gvk(group, version, kind).is_none() {
            return Err(ApiError::bad_request(format!(
                "{kind} in version {version:?} cannot be handled as a {}: {}",
                spec.kind,
                codec::not_registered(kind, av)
            )));
        }
    }
    if let Some(av) = value["apiVersion"].as_str().filter(|s| !s.is_empty())
        && av != expected
        && kind == spec.kind
    {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({av}) does not match the expected API version ({expected})"
        )));
    }
    if let Some(kind) = value["kind"].as_str().filter(|s| !s.is_empty())
        && kind != spec.kind
    {
        let version = value["apiVersion"].as_str().map_or(spec.version.as_str(), |av| codec::split_api_version(av).1);
        return Err(ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {}: converting ({version}.{kind}) to ({}.{}): unknown conversion",
            spec.kind,
            internal_package(&spec.group),
            spec.kind
        )));
    }
    if let Some(m) = value.as_object_mut() {
        m.insert("apiVersion".into(), json!(expected));
        m.insert("kind".into(), json!(spec.kind));
    }
    Ok(())
}

/// The Go package of a group's internal types, as conversion errors name
/// them (`core.ConfigMap`, `apps.Deployment`, `rbac.Role`).
fn internal_package(group: &str) -> &str {
    match group {
        "" | "events.k8s.io" => "core",
        "internal.apiserver.k8s.io" => "apiserverinternal",
        g => g.split('.').next().unwrap_or(g),
    }
}

/// Reads, decodes and checks an object body.
async fn object_from_body(call: &Call<'_>, body: Body) -> ApiResult<(Value, Vec<String>)> {
    let bt = body_type(call)?;
    if !matches!(bt, BodyType::Json | BodyType::Yaml | BodyType::Protobuf) {
        return Err(ApiError::unsupported_media_type(negotiation::ACCEPTED));
    }
    let fv = field_validation(&call.query)?;
    let bytes = read_body(body).await?;
    let decoded = codec::decode_body(&call.spec, &bytes, bt)?;
    let mut value = decoded.value;
    check_type(&call.spec, &mut value)?;
    let warnings = decode_object(&call.spec, &mut value, decoded.duplicates, fv)?;
    Ok((value, warnings))
}

async fn create(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    if call.spec.custom.as_ref().is_some_and(|c| c.terminating) {
        let mut err = ApiError::method_not_supported(&call.spec.group_resource(), "create");
        err.message = "create not allowed while custom resource definition is terminating".into();
        return Err(err);
    }
    let n = call.negotiate(Target::Object)?;
    let ctx = call.write_context()?;
    let (value, warnings) = object_from_body(call, body).await?;
    let o = call.registry.create(&call.spec, call.namespace(), value, &ctx).await?;
    call.respond_object(StatusCode::CREATED, &o, &n, &warnings)
}

async fn update(call: &Call<'_>, body: Body, part: Part) -> ApiResult<Response> {
    let n = call.negotiate(Target::Object)?;
    let ctx = call.write_context()?;
    let (value, warnings) = object_from_body(call, body).await?;
    let (o, created) = call.registry.update(&call.spec, call.namespace(), &call.info.name, part, value, &ctx).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    call.respond_object(status, &o, &n, &warnings)
}

/// Reads a patch body of one of the patch types.
async fn patch_from_body(call: &Call<'_>, body: Body) -> ApiResult<Patch> {
    let bt = body_type(call)?;
    let bytes = read_body(body).await?;
    let parse =
        |b: &[u8]| -> ApiResult<Value> { serde_json::from_slice(b).map_err(|e| ApiError::bad_request(e.to_string())) };
    if call.spec.custom.is_some() && matches!(bt, BodyType::StrategicMergePatch) {
        // Custom resources have no Go types to carry patch strategies.
        return Err(ApiError::unsupported_media_type(&[
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/apply-patch+yaml",
        ]));
    }
    match bt {
        BodyType::JsonPatch => Ok(Patch::Json(parse(&bytes)?)),
        BodyType::MergePatch => Ok(Patch::Merge(parse(&bytes)?)),
        BodyType::StrategicMergePatch => Ok(Patch::Strategic(parse(&bytes)?)),
        BodyType::ApplyPatch => Err(ApiError::unsupported_media_type(&[
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/strategic-merge-patch+json (server-side apply, application/apply-patch+yaml, is not supported by kubox yet)",
        ])),
        _ => Err(ApiError::unsupported_media_type(&[
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/strategic-merge-patch+json",
            "application/apply-patch+yaml",
        ])),
    }
}

async fn patch(call: &Call<'_>, body: Body, part: Part) -> ApiResult<Response> {
    let n = call.negotiate(Target::Object)?;
    let ctx = call.write_context()?;
    let fv = field_validation(&call.query)?;
    let p = patch_from_body(call, body).await?;
    let warnings = Mutex::new(Vec::new());
    let spec = call.spec.clone();
    let decode = |mut v: Value| -> ApiResult<Value> {
        check_type(&spec, &mut v)?;
        let w = decode_object(&spec, &mut v, Vec::new(), fv)?;
        if let Ok(mut all) = warnings.lock() {
            *all = w;
        }
        Ok(v)
    };
    let target = crate::registry::ObjectRef { spec: &call.spec, namespace: call.namespace(), name: &call.info.name };
    let o = call.registry.patch(&target, part, &p, &ctx, &decode).await?;
    let warnings = warnings.into_inner().unwrap_or_default();
    call.respond_object(StatusCode::OK, &o, &n, &warnings)
}

/// DeleteOptions from the body (JSON or protobuf, if any) and the query,
/// and whether the body asks for a dry run (`dryRun: ["All"]`, which is
/// where client-go and `kubectl delete --dry-run=server` put it).
async fn delete_options(call: &Call<'_>, body: Body) -> ApiResult<(DeleteOptions, Option<bool>, bool)> {
    let bytes = read_body(body).await?;
    let mut opts = DeleteOptions::default();
    let mut orphan = None;
    let body_value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else if bytes.starts_with(crate::protobuf::MAGIC) {
        crate::protobuf::decode_object(&bytes)
            .map_err(|e| ApiError::bad_request(format!("couldn't decode DeleteOptions: {e}")))?
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}")))?
    };
    let dry_run: Vec<&str> = body_value["dryRun"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    if dry_run.iter().any(|v| *v != "All") {
        let values: Vec<String> = dry_run.iter().map(|v| go_quote(v)).collect();
        return Err(invalid_delete_options(
            ErrorType::NotSupported,
            "dryRun",
            raw_value(format!("[]string{{{}}}", values.join(", "))),
            "supported values: \"All\"",
        ));
    }
    let body_dry_run = !dry_run.is_empty();
    let q = &call.query;
    opts.grace_period_seconds = body_value["gracePeriodSeconds"].as_i64().or(q.int("gracePeriodSeconds")?);
    opts.uid = body_value["preconditions"]["uid"].as_str().map(str::to_string);
    opts.resource_version = body_value["preconditions"]["resourceVersion"].as_str().map(str::to_string);
    if let Some(o) = body_value["orphanDependents"].as_bool().or(q.bool("orphanDependents")?) {
        orphan = Some(o);
        opts.propagation = Some(if o { PropagationPolicy::Orphan } else { PropagationPolicy::Background });
    }
    let policy = body_value["propagationPolicy"]
        .as_str()
        .map(str::to_string)
        .or_else(|| q.get("propagationPolicy").map(str::to_string));
    if let Some(p) = policy {
        if orphan.is_some() {
            return Err(invalid_delete_options(
                ErrorType::Invalid,
                "propagationPolicy",
                json!(p),
                "orphanDependents and deletionPropagation cannot be both set",
            ));
        }
        opts.propagation = Some(match p.as_str() {
            "Orphan" => PropagationPolicy::Orphan,
            "Background" => PropagationPolicy::Background,
            "Foreground" => PropagationPolicy::Foreground,
            other => {
                return Err(invalid_delete_options(
                    ErrorType::NotSupported,
                    "propagationPolicy",
                    json!(other),
                    "supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
                ));
            }
        });
    }
    if let Some(g) = opts.grace_period_seconds
        && g < 0
    {
        opts.grace_period_seconds = Some(0);
    }
    Ok((opts, orphan, body_dry_run))
}

/// A 422 for one bad field of DeleteOptions.
fn invalid_delete_options(error_type: ErrorType, field: &str, bad_value: Value, detail: &str) -> ApiError {
    ApiError::invalid(
        "meta.k8s.io",
        "DeleteOptions",
        "",
        &[FieldError { error_type, field: field.into(), bad_value: Some(bad_value), detail: detail.into() }],
    )
}

/// Resources whose DELETE answers with the deleted object rather than a
/// Status (kube-apiserver's ReturnDeletedObject).
fn returns_deleted_object(spec: &ResourceSpec) -> bool {
    matches!(
        (spec.group.as_str(), spec.plural.as_str()),
        ("", "pods") | ("", "serviceaccounts") | ("storage.k8s.io", "storageclasses")
    )
}

async fn delete(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    let n = call.negotiate(Target::Object)?;
    let mut ctx = call.write_context()?;
    let (opts, orphan, dry_run) = delete_options(call, body).await?;
    ctx.dry_run |= dry_run;
    match call.registry.delete(&call.spec, call.namespace(), &call.info.name, &opts, &ctx).await? {
        DeleteOutcome::Pending(o) => {
            let status = if orphan == Some(false) { StatusCode::ACCEPTED } else { StatusCode::OK };
            call.respond_object(status, &o, &n, &[])
        }
        DeleteOutcome::Deleted(o) if returns_deleted_object(&call.spec) => {
            call.respond_object(StatusCode::OK, &o, &n, &[])
        }
        DeleteOutcome::Deleted(o) => {
            let mut details = json!({"name": o.name, "kind": call.spec.plural});
            if !call.spec.group.is_empty() {
                details["group"] = json!(call.spec.group);
            }
            if let Some(uid) = o.value()?["metadata"]["uid"].as_str() {
                details["uid"] = json!(uid);
            }
            let status =
                json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details});
            let body = match n.format {
                Format::Protobuf => crate::protobuf::encode("io.k8s.apimachinery.pkg.apis.meta.v1.Status", &status)
                    .map(|raw| Bytes::from(crate::protobuf::wrap("v1", "Status", &raw)))
                    .map_err(|e| ApiError::internal(e.to_string()))?,
                f => render::encode_value(&status, f)?,
            };
            let ct = if n.format == Format::Protobuf {
                Format::Protobuf.media_type().to_string()
            } else {
                n.format.media_type().to_string()
            };
            Ok(render::respond(StatusCode::OK, &ct, body, &call.headers, &[]))
        }
    }
}

async fn delete_collection(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    let n = call.negotiate(Target::List)?;
    let mut ctx = call.write_context()?;
    let (labels, fields) = selectors(call)?;
    let list = ListOptions {
        labels,
        fields,
        resource_version: call.query.get("resourceVersion").unwrap_or("").to_string(),
        resource_version_match: call.query.get("resourceVersionMatch").unwrap_or("").to_string(),
        ..ListOptions::default()
    };
    let (opts, _, dry_run) = delete_options(call, body).await?;
    ctx.dry_run |= dry_run;
    let deleted = call.registry.delete_collection(&call.spec, call.namespace(), &list, &opts, &ctx).await?;
    let revision = deleted.iter().map(|o| o.revision).max().unwrap_or(0);
    let n = Negotiated { format: n.format, shape: Shape::Object };
    let body =
        render::list_body(&call.spec, &deleted, render::list_meta(revision, None, None), &n, IncludeObject::Metadata)?;
    Ok(render::respond(StatusCode::OK, &n.content_type(), body, &call.headers, &[]))
}

/// Subresources: status, scale, finalize, binding, eviction, approval, and
/// the pod subresources that need a kubelet.
async fn subresource(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    let spec = &call.spec;
    let info = &call.info;
    let Some(sub) = spec.subresource(&info.subresource).cloned() else {
        return Err(not_found_path());
    };
    let verb = info.verb.as_str();
    if !sub.verbs.iter().any(|v| v == verb) {
        return Err(ApiError::method_not_allowed());
    }
    match (sub.name.as_str(), verb) {
        ("status" | "approval" | "ephemeralcontainers" | "resize", "get") => get(call).await,
        ("status" | "approval", "update") => update(call, body, Part::Status).await,
        ("status" | "approval", "patch") => patch(call, body, Part::Status).await,
        ("ephemeralcontainers" | "resize", "update") => update(call, body, Part::Main).await,
        ("ephemeralcontainers" | "resize", "patch") => patch(call, body, Part::Main).await,
        ("finalize", "update") => update(call, body, Part::Finalize).await,
        ("scale", _) => scale(call, body).await,
        ("binding", "create") => reviews::bind_pod(call, body).await,
        ("token", "create") => reviews::request_token(call, body).await,
        ("eviction", "create") => reviews::evict_pod(call, body).await,
        ("log" | "exec" | "attach" | "portforward" | "proxy", _) => reviews::needs_kubelet(call).await,
        _ => Err(ApiError::method_not_supported(&spec.group_resource(), verb)),
    }
}

async fn scale(call: &Call<'_>, body: Body) -> ApiResult<Response> {
    let scale_def = "io.k8s.api.autoscaling.v1.Scale";
    let n = negotiation::negotiate(call.accept(), Target::Object, true)?;
    let ns = call.namespace();
    let name = &call.info.name;
    let ctx = call.write_context()?;
    let scale = match call.info.verb.as_str() {
        "get" => call.registry.get_scale(&call.spec, ns, name).await?,
        "update" => {
            let bytes = read_body(body).await?;
            let bt = body_type(call)?;
            let decoded = codec::decode_body(&call.spec, &bytes, bt)?;
            let mut s = decoded.value;
            let mut unknown = Vec::new();
            Schema::get().decode(scale_def, &mut s, &mut unknown).map_err(|e| ApiError::bad_request(e.message))?;
            call.registry.update_scale(&call.spec, ns, name, &ctx, &move |_| Ok(s.clone())).await?
        }
        "patch" => {
            let p = patch_from_body(call, body).await?;
            call.registry
                .update_scale(&call.spec, ns, name, &ctx, &move |current| {
                    let mut doc = current.clone();
                    match &p {
                        Patch::Json(ops) => {
                            let ops: json_patch::Patch = serde_json::from_value(ops.clone())
                                .map_err(|e| ApiError::bad_request(e.to_string()))?;
                            json_patch::patch(&mut doc, &ops).map_err(|e| ApiError::bad_request(e.to_string()))?;
                        }
                        Patch::Merge(m) => json_patch::merge(&mut doc, m),
                        Patch::Strategic(m) => {
                            doc = crate::patch::strategic::apply(current, m, Schema::get(), scale_def)
                                .map_err(|e| ApiError::bad_request(e.status_message()))?;
                        }
                    }
                    Ok(doc)
                })
                .await?
        }
        v => return Err(ApiError::method_not_supported(&call.spec.group_resource(), v)),
    };
    let body = match n.format {
        Format::Protobuf => crate::protobuf::encode(scale_def, &scale)
            .map(|raw| Bytes::from(crate::protobuf::wrap("autoscaling/v1", "Scale", &raw)))
            .map_err(|e| ApiError::internal(e.to_string()))?,
        f => render::encode_value(&scale, f)?,
    };
    let ct = if n.format == Format::Protobuf {
        Format::Protobuf.media_type().to_string()
    } else {
        n.format.media_type().to_string()
    };
    Ok(render::respond(StatusCode::OK, &ct, body, &call.headers, &[]))
}

/// Creates an object of a non-stored, create-only API and returns 201 with it.
pub fn created(call: &Call<'_>, object: &Value) -> ApiResult<Response> {
    let n = negotiation::negotiate(call.accept(), Target::Object, call.spec.protobuf)?;
    let own_kind = object["kind"].as_str().is_some_and(|k| k != call.spec.kind);
    let body = match n.format {
        // A subresource answering with its own kind (TokenRequest).
        Format::Protobuf if own_kind => {
            crate::protobuf::encode_object(object).map(Bytes::from).map_err(|e| ApiError::internal(e.to_string()))?
        }
        Format::Protobuf => crate::protobuf::encode(&call.spec.definition, object)
            .map(|raw| Bytes::from(crate::protobuf::wrap(&call.spec.api_version(), &call.spec.kind, &raw)))
            .map_err(|e| ApiError::internal(e.to_string()))?,
        f => render::encode_value(object, f)?,
    };
    Ok(render::respond(StatusCode::CREATED, n.format.media_type(), body, &call.headers, &[]))
}

/// Reads a create-only API's body (decoded and checked, fieldValidation applied).
pub async fn read_object(call: &Call<'_>, body: Body) -> ApiResult<Value> {
    Ok(object_from_body(call, body).await?.0)
}

/// Re-exported for tests of watch framing.
pub fn event_name(t: EventType) -> &'static str {
    t.as_str()
}
