//! The profiling and debug endpoints of `--profiling` (on by default, as in
//! kube-apiserver), behind the same gate as every API request, so only users
//! allowed `get` (or `put`) on the non-resource URL `/debug/...` reach them
//! (cluster-admin and system:masters by default):
//!
//! - `/debug/pprof/` lists the profiles;
//! - `/debug/pprof/profile?seconds=N` samples the CPU for N seconds (30 by
//!   default) and answers a gzipped `profile.proto`, the format of Go's
//!   net/http/pprof, so `go tool pprof` and other pprof viewers read it;
//! - `/debug/pprof/cmdline` is the command line, NUL-separated;
//! - `PUT /debug/flags/v` with a number sets the log verbosity, as
//!   kube-apiserver's klog `-v` (0-2 info, 3-5 debug, 6 and more trace for
//!   kubox's own modules).
//!
//! Go's heap, goroutine, block and mutex profiles have no Rust counterpart
//! here and answer 404 `Unknown profile`, as Go does for a name it lacks.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use prost::Message;

/// Sets the log verbosity from a kube-style `-v` level.
pub type VerbositySetter = Arc<dyn Fn(u32) -> Result<(), String> + Send + Sync>;

/// What the debug endpoints need.
#[derive(Clone, Default)]
pub struct Debug {
    /// Whether `--profiling` is on.
    pub profiling: bool,
    /// The log verbosity setter, when logging can be changed at run time.
    pub verbosity: Option<VerbositySetter>,
}

/// The longest CPU profile.
const MAX_SECONDS: u64 = 300;
/// Samples per second.
const FREQUENCY: i32 = 100;

/// The debug routes (empty unless `--profiling`).
pub fn router<S: Clone + Send + Sync + 'static>(debug: Debug) -> axum::Router<S> {
    if !debug.profiling {
        return axum::Router::new();
    }
    let debug = Arc::new(debug);
    axum::Router::new()
        .route("/debug/pprof", get(index))
        .route("/debug/pprof/", get(index))
        .route("/debug/pprof/profile", get(cpu_profile))
        .route("/debug/pprof/cmdline", get(cmdline))
        .route("/debug/pprof/{name}", get(unknown_profile))
        .route("/debug/flags/v", any(set_verbosity))
        .with_state(debug)
}

fn text(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    resp.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    resp
}

async fn index() -> Response {
    let body = "<html>\n<head><title>/debug/pprof/</title></head>\n<body>\n/debug/pprof/<br>\n<br>\nTypes of profiles available:\n<table>\n<thead><td>Count</td><td>Profile</td></thead>\n<tr><td></td><td><a href='cmdline'>cmdline</a></td></tr>\n<tr><td></td><td><a href='profile'>profile</a></td></tr>\n</table>\n<ul>\n<li><div class=profile-name>cmdline: </div> The command line invocation of the current program</li>\n<li><div class=profile-name>profile: </div> CPU profile. You can specify the duration in the seconds GET parameter. After you get the profile file, use the go tool pprof command to investigate the profile.</li>\n</ul>\n</body>\n</html>\n";
    let mut resp = (StatusCode::OK, body).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    resp
}

async fn cmdline() -> Response {
    let args: Vec<String> = std::env::args().collect();
    text(StatusCode::OK, args.join("\0"))
}

async fn unknown_profile(Path(name): Path<String>) -> Response {
    tracing::debug!(profile = %name, "an unknown profile was asked for");
    text(StatusCode::NOT_FOUND, "Unknown profile\n".into())
}

async fn cpu_profile(Query(query): Query<std::collections::HashMap<String, String>>) -> Response {
    let seconds = match query.get("seconds").map(|s| s.parse::<u64>()) {
        None => 30,
        Some(Ok(n)) if (1..=MAX_SECONDS).contains(&n) => n,
        Some(_) => {
            return text(
                StatusCode::BAD_REQUEST,
                format!("Bad Request: seconds must be a number from 1 to {MAX_SECONDS}\n"),
            );
        }
    };
    match tokio::task::spawn_blocking(move || profile_cpu(Duration::from_secs(seconds))).await {
        Ok(Ok(bytes)) => {
            let mut resp = (StatusCode::OK, Body::from(bytes)).into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
            h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"profile\""));
            h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
            resp
        }
        Ok(Err(err)) => text(StatusCode::INTERNAL_SERVER_ERROR, format!("Could not enable CPU profiling: {err}\n")),
        Err(err) => text(StatusCode::INTERNAL_SERVER_ERROR, format!("CPU profiling failed: {err}\n")),
    }
}

/// Samples the CPU for `duration` and encodes the samples as a gzipped
/// profile.proto.
fn profile_cpu(duration: Duration) -> Result<Vec<u8>, String> {
    let guard = pprof::ProfilerGuardBuilder::default()
        .frequency(FREQUENCY)
        .blocklist(&["libc", "libgcc", "pthread", "vdso"])
        .build()
        .map_err(|e| e.to_string())?;
    let started = SystemTime::now();
    std::thread::sleep(duration);
    let report = guard.report().build().map_err(|e| e.to_string())?;
    drop(guard);
    let samples = report.data.iter().map(|(frames, count)| {
        let stack: Vec<(String, String, i64)> = frames
            .frames
            .iter()
            .flatten()
            .map(|s| {
                let file = s.filename.as_ref().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                (s.name(), file, i64::from(s.lineno.unwrap_or(0)))
            })
            .collect();
        (stack, frames.thread_name_or_id(), *count as i64)
    });
    let profile = encode_profile(samples, started, duration);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&profile.encode_to_vec()).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

/// Builds a CPU profile from samples: (stack of (function, file, line),
/// innermost first; thread; count).
fn encode_profile(
    samples: impl Iterator<Item = (Vec<(String, String, i64)>, String, i64)>,
    started: SystemTime,
    duration: Duration,
) -> pb::Profile {
    let period = 1_000_000_000 / i64::from(FREQUENCY);
    let mut strings = Strings::default();
    let mut profile = pb::Profile {
        sample_type: vec![
            pb::ValueType { r#type: strings.id("samples"), unit: strings.id("count") },
            pb::ValueType { r#type: strings.id("cpu"), unit: strings.id("nanoseconds") },
        ],
        period_type: Some(pb::ValueType { r#type: strings.id("cpu"), unit: strings.id("nanoseconds") }),
        period,
        time_nanos: started.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(0),
        duration_nanos: duration.as_nanos() as i64,
        ..pb::Profile::default()
    };
    let thread_key = strings.id("thread");
    let mut functions: std::collections::HashMap<(i64, i64), u64> = std::collections::HashMap::new();
    let mut locations: std::collections::HashMap<(u64, i64), u64> = std::collections::HashMap::new();
    for (stack, thread, count) in samples {
        let mut location_ids = Vec::with_capacity(stack.len());
        for (name, file, line) in stack {
            let key = (strings.id(&name), strings.id(&file));
            let next = functions.len() as u64 + 1;
            let function_id = *functions.entry(key).or_insert_with(|| {
                profile.function.push(pb::Function {
                    id: next,
                    name: key.0,
                    system_name: key.0,
                    filename: key.1,
                    start_line: 0,
                });
                next
            });
            let next = locations.len() as u64 + 1;
            let location_id = *locations.entry((function_id, line)).or_insert_with(|| {
                profile.location.push(pb::Location {
                    id: next,
                    line: vec![pb::Line { function_id, line }],
                    ..pb::Location::default()
                });
                next
            });
            location_ids.push(location_id);
        }
        profile.sample.push(pb::Sample {
            location_id: location_ids,
            value: vec![count, count * period],
            label: vec![pb::Label { key: thread_key, str: strings.id(&thread), ..pb::Label::default() }],
        });
    }
    profile.string_table = strings.table;
    profile
}

/// profile.proto's string table: index 0 is "".
struct Strings {
    table: Vec<String>,
    ids: std::collections::HashMap<String, i64>,
}

impl Default for Strings {
    fn default() -> Self {
        Self { table: vec![String::new()], ids: std::collections::HashMap::from([(String::new(), 0)]) }
    }
}

impl Strings {
    fn id(&mut self, s: &str) -> i64 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.table.len() as i64;
        self.table.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }
}

/// kube-apiserver's `PUT /debug/flags/v`.
async fn set_verbosity(State(debug): State<Arc<Debug>>, req: Request) -> Response {
    if req.method() != Method::PUT {
        return text(StatusCode::NOT_ACCEPTABLE, "unsupported http method".into());
    }
    let body = match crate::handlers::read_body(req.into_body()).await {
        Ok(b) => b,
        Err(err) => return text(StatusCode::BAD_REQUEST, format!("error reading request body: {}", err.message)),
    };
    let value = String::from_utf8_lossy(&body).trim().to_string();
    let Ok(level) = value.parse::<u32>() else {
        return text(
            StatusCode::BAD_REQUEST,
            format!("failed set klog.logging.verbosity {value}: strconv.ParseInt: parsing {value:?}: invalid syntax"),
        );
    };
    let Some(setter) = &debug.verbosity else {
        return text(StatusCode::BAD_REQUEST, "the log verbosity cannot be changed in this process".into());
    };
    match setter(level) {
        Ok(()) => text(StatusCode::OK, format!("successfully set klog.logging.verbosity to {value}")),
        Err(err) => text(StatusCode::BAD_REQUEST, format!("failed set klog.logging.verbosity {value}: {err}")),
    }
}

/// The `tracing` filter for a kube-style verbosity level.
pub fn filter_for_verbosity(level: u32) -> String {
    let crates = ["kubox", "kubox_api", "kubox_storage", "kubox_raft"];
    let own = match level {
        0..=2 => return "info,openraft=warn".into(),
        3..=5 => "debug",
        _ => "trace",
    };
    let mut filter = String::from("info,openraft=warn");
    for c in crates {
        filter.push_str(&format!(",{c}={own}"));
    }
    filter
}

/// profile.proto (github.com/google/pprof/proto/profile.proto), the
/// messages a CPU profile uses.
mod pb {
    /// A profile.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Profile {
        #[prost(message, repeated, tag = "1")]
        pub sample_type: Vec<ValueType>,
        #[prost(message, repeated, tag = "2")]
        pub sample: Vec<Sample>,
        #[prost(message, repeated, tag = "4")]
        pub location: Vec<Location>,
        #[prost(message, repeated, tag = "5")]
        pub function: Vec<Function>,
        #[prost(string, repeated, tag = "6")]
        pub string_table: Vec<String>,
        #[prost(int64, tag = "9")]
        pub time_nanos: i64,
        #[prost(int64, tag = "10")]
        pub duration_nanos: i64,
        #[prost(message, optional, tag = "11")]
        pub period_type: Option<ValueType>,
        #[prost(int64, tag = "12")]
        pub period: i64,
    }

    /// A value's type and unit (string table indexes).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ValueType {
        #[prost(int64, tag = "1")]
        pub r#type: i64,
        #[prost(int64, tag = "2")]
        pub unit: i64,
    }

    /// A stack and its values.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Sample {
        #[prost(uint64, repeated, tag = "1")]
        pub location_id: Vec<u64>,
        #[prost(int64, repeated, tag = "2")]
        pub value: Vec<i64>,
        #[prost(message, repeated, tag = "3")]
        pub label: Vec<Label>,
    }

    /// A sample's label.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Label {
        #[prost(int64, tag = "1")]
        pub key: i64,
        #[prost(int64, tag = "2")]
        pub str: i64,
        #[prost(int64, tag = "3")]
        pub num: i64,
    }

    /// A program location.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Location {
        #[prost(uint64, tag = "1")]
        pub id: u64,
        #[prost(uint64, tag = "2")]
        pub mapping_id: u64,
        #[prost(uint64, tag = "3")]
        pub address: u64,
        #[prost(message, repeated, tag = "4")]
        pub line: Vec<Line>,
    }

    /// A function and line of a location.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Line {
        #[prost(uint64, tag = "1")]
        pub function_id: u64,
        #[prost(int64, tag = "2")]
        pub line: i64,
    }

    /// A function.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Function {
        #[prost(uint64, tag = "1")]
        pub id: u64,
        #[prost(int64, tag = "2")]
        pub name: i64,
        #[prost(int64, tag = "3")]
        pub system_name: i64,
        #[prost(int64, tag = "4")]
        pub filename: i64,
        #[prost(int64, tag = "5")]
        pub start_line: i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_shares_functions_and_locations_and_values_count_and_time() {
        let stack = |names: &[&str]| names.iter().map(|n| (n.to_string(), "src/x.rs".to_string(), 7)).collect();
        let samples =
            vec![(stack(&["leaf", "main"]), "worker".to_string(), 3), (stack(&["other", "main"]), "worker".into(), 2)];
        let p = encode_profile(samples.into_iter(), SystemTime::UNIX_EPOCH, Duration::from_secs(1));
        assert_eq!(p.string_table[0], "");
        assert_eq!(p.function.len(), 3);
        assert_eq!(p.location.len(), 3);
        assert_eq!(p.sample.len(), 2);
        assert_eq!(p.sample[0].value, [3, 30_000_000]);
        let name = |id: i64| p.string_table[id as usize].as_str();
        assert_eq!(name(p.sample_type[1].r#type), "cpu");
        assert_eq!(name(p.period_type.as_ref().unwrap().unit), "nanoseconds");
        // The shared caller is one location.
        assert_eq!(p.sample[0].location_id[1], p.sample[1].location_id[1]);
        let round = pb::Profile::decode(&p.encode_to_vec()[..]).unwrap();
        assert_eq!(round, p);
    }

    #[test]
    fn verbosity_levels_map_to_filters() {
        assert_eq!(filter_for_verbosity(0), "info,openraft=warn");
        assert!(filter_for_verbosity(4).contains("kubox_api=debug"));
        assert!(filter_for_verbosity(9).contains("kubox_storage=trace"));
    }
}
