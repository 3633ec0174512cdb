//! The log backend (`--audit-log-path`): one event per line, as JSON
//! (`--audit-log-format json`, the default) or kube-apiserver's legacy text
//! line, written by a thread of its own. Files rotate as kube-apiserver's
//! (lumberjack) do: when a write would pass `--audit-log-maxsize`
//! megabytes (default 100), the file is renamed `NAME-<UTC time>.EXT` and a
//! new one started; backups beyond `--audit-log-maxbackup` or older than
//! `--audit-log-maxage` days are removed, and `--audit-log-compress`
//! gzips them.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::{Backend, Event, Queue};
use crate::timefmt::Timestamp;

/// The line format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON Event per line.
    Json,
    /// kube-apiserver's legacy text line.
    Legacy,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "json" => Ok(Format::Json),
            "legacy" => Ok(Format::Legacy),
            _ => Err(format!("invalid audit log format {s:?}, allowed formats are \"json,legacy\"")),
        }
    }
}

/// The log backend's settings.
#[derive(Clone, Debug)]
pub struct LogOptions {
    /// The file, or `-` for standard output.
    pub path: PathBuf,
    /// Megabytes before rotation; 0 means lumberjack's default, 100.
    pub max_size_mb: u64,
    /// Rotated files kept; 0 keeps all.
    pub max_backups: usize,
    /// Days rotated files are kept; 0 keeps them whatever their age.
    pub max_age_days: u64,
    /// Whether rotated files are gzipped.
    pub compress: bool,
    /// The line format.
    pub format: Format,
    /// Events queued for the writer before new ones are dropped.
    pub buffer_size: usize,
}

/// Opens the log and starts its writer.
pub fn start(options: LogOptions) -> Result<Arc<dyn Backend>, String> {
    let mut sink = Sink::open(options.clone())?;
    let (queue, mut rx) = Queue::new("log", options.buffer_size);
    std::thread::Builder::new()
        .name("audit-log".into())
        .spawn(move || {
            while let Some(event) = rx.blocking_recv() {
                sink.write(&super::finish(event));
                // Write whatever else is queued, then flush once.
                while let Ok(event) = rx.try_recv() {
                    sink.write(&super::finish(event));
                }
                sink.flush();
            }
            sink.flush();
        })
        .map_err(|e| format!("starting the audit log writer: {e}"))?;
    Ok(Arc::new(queue))
}

enum Out {
    Stdout(std::io::Stdout),
    File(BufWriter<File>),
}

struct Sink {
    options: LogOptions,
    out: Out,
    size: u64,
    failing: bool,
}

impl Sink {
    fn open(options: LogOptions) -> Result<Self, String> {
        if options.path.as_os_str() == "-" {
            return Ok(Self { options, out: Out::Stdout(std::io::stdout()), size: 0, failing: false });
        }
        if let Some(dir) = options.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        let file = open_log(&options.path).map_err(|e| format!("opening {}: {e}", options.path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(Self { options, out: Out::File(BufWriter::new(file)), size, failing: false })
    }

    fn max_size(&self) -> u64 {
        let mb = if self.options.max_size_mb == 0 { 100 } else { self.options.max_size_mb };
        mb.saturating_mul(1024 * 1024)
    }

    fn write(&mut self, event: &Event) {
        let mut line = match self.options.format {
            Format::Json => match serde_json::to_vec(event) {
                Ok(v) => v,
                Err(err) => {
                    tracing::error!(%err, "encoding an audit event");
                    return;
                }
            },
            Format::Legacy => legacy_line(event).into_bytes(),
        };
        line.push(b'\n');
        if matches!(self.out, Out::File(_)) && self.size > 0 && self.size + line.len() as u64 > self.max_size() {
            self.rotate();
        }
        let result = match &mut self.out {
            Out::Stdout(s) => s.write_all(&line),
            Out::File(f) => f.write_all(&line),
        };
        match result {
            Ok(()) => {
                self.size += line.len() as u64;
                self.failing = false;
            }
            Err(err) => {
                if !self.failing {
                    tracing::error!(%err, path = %self.options.path.display(), "writing the audit log");
                }
                self.failing = true;
            }
        }
    }

    fn flush(&mut self) {
        let _ = match &mut self.out {
            Out::Stdout(s) => s.flush(),
            Out::File(f) => f.flush(),
        };
    }

    /// Renames the file to its backup name, starts a new one and prunes
    /// old backups.
    fn rotate(&mut self) {
        self.flush();
        let path = self.options.path.clone();
        let mut at = SystemTime::now();
        let mut backup = backup_name(&path, at);
        while backup.exists() {
            at += Duration::from_millis(1);
            backup = backup_name(&path, at);
        }
        if let Err(err) = std::fs::rename(&path, &backup) {
            tracing::error!(%err, "rotating the audit log");
            return;
        }
        match open_log(&path) {
            Ok(file) => {
                self.out = Out::File(BufWriter::new(file));
                self.size = 0;
            }
            Err(err) => tracing::error!(%err, "reopening the audit log after rotation"),
        }
        if let Err(err) = prune(&self.options) {
            tracing::warn!(%err, "pruning rotated audit logs");
        }
    }
}

fn open_log(path: &Path) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// `dir/NAME-2006-01-02T15-04-05.000.EXT`, lumberjack's backup name.
fn backup_name(path: &Path, at: SystemTime) -> PathBuf {
    let (prefix, ext) = split_name(path);
    let d = at.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let t = Timestamp { seconds: d.as_secs() as i64, nanos: d.subsec_nanos() };
    let stamp = t.rfc3339(); // 2006-01-02T15:04:05Z
    let stamp = format!("{}.{:03}", stamp.trim_end_matches('Z').replace(':', "-"), d.subsec_millis());
    path.with_file_name(format!("{prefix}-{stamp}{ext}"))
}

fn split_name(path: &Path) -> (String, String) {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match name.rfind('.') {
        Some(i) if i > 0 => (name[..i].to_string(), name[i..].to_string()),
        _ => (name, String::new()),
    }
}

/// The rotated files of `path`, newest first, with their times.
fn backups(path: &Path) -> std::io::Result<Vec<(PathBuf, SystemTime)>> {
    let (prefix, ext) = split_name(path);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&format!("{prefix}-")) else { continue };
        let stamp = rest.strip_suffix(&format!("{ext}.gz")).or_else(|| rest.strip_suffix(ext.as_str()));
        let Some(at) = stamp.and_then(parse_stamp) else { continue };
        out.push((entry.path(), at));
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.1));
    Ok(out)
}

fn parse_stamp(s: &str) -> Option<SystemTime> {
    // 2006-01-02T15-04-05.000
    let (date, time) = s.split_once('T')?;
    let (hms, millis) = time.split_once('.')?;
    let text = format!("{date}T{}.{millis}Z", hms.replace('-', ":"));
    let t = Timestamp::parse(&text).ok()?;
    let secs = u64::try_from(t.seconds).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::new(secs, t.nanos))
}

fn prune(options: &LogOptions) -> std::io::Result<()> {
    let all = backups(&options.path)?;
    let now = SystemTime::now();
    for (i, (path, at)) in all.iter().enumerate() {
        let too_many = options.max_backups > 0 && i >= options.max_backups;
        let too_old = options.max_age_days > 0
            && now.duration_since(*at).unwrap_or_default() > Duration::from_secs(options.max_age_days * 86_400);
        if too_many || too_old {
            std::fs::remove_file(path)?;
        } else if options.compress && path.extension().is_none_or(|e| e != "gz") {
            compress(path)?;
        }
    }
    Ok(())
}

fn compress(path: &Path) -> std::io::Result<()> {
    let mut gz_name = path.as_os_str().to_owned();
    gz_name.push(".gz");
    let gz_path = PathBuf::from(gz_name);
    let mut input = File::open(path)?;
    let output = open_log(&gz_path)?;
    let mut encoder = flate2::write::GzEncoder::new(output, flate2::Compression::default());
    std::io::copy(&mut input, &mut encoder)?;
    encoder.finish()?.sync_all()?;
    std::fs::remove_file(path)
}

/// kube-apiserver's legacy line.
pub fn legacy_line(e: &Event) -> String {
    let quoted = |v: &[String]| v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(",");
    let (user, groups) = if e.user.username.is_empty() {
        ("<none>".to_string(), "<none>".to_string())
    } else if e.user.groups.is_empty() {
        (e.user.username.clone(), "<none>".to_string())
    } else {
        (e.user.username.clone(), quoted(&e.user.groups))
    };
    let (as_user, as_groups) = match &e.impersonated_user {
        Some(u) => (u.username.clone(), quoted(&u.groups)),
        None => ("<self>".to_string(), "<lookup>".to_string()),
    };
    let namespace = e.object_ref.as_ref().map(|o| o.namespace.as_str()).filter(|n| !n.is_empty()).unwrap_or("<none>");
    let response = e
        .response_status
        .as_ref()
        .and_then(|s| s["code"].as_i64())
        .map(|c| c.to_string())
        .unwrap_or_else(|| "<deferred>".into());
    let ip = e.source_ips.first().map(String::as_str).unwrap_or("<unknown>");
    format!(
        "{} AUDIT: id={:?} stage={:?} ip={:?} method={:?} user={:?} groups={:?} as={:?} asgroups={:?} user-agent={:?} namespace={:?} uri={:?} response=\"{response}\"",
        e.request_received_timestamp,
        e.audit_id,
        e.stage,
        ip,
        e.verb,
        user,
        groups,
        as_user,
        as_groups,
        e.user_agent,
        namespace,
        e.request_uri
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: usize) -> Event {
        Event {
            kind: "Event",
            api_version: "audit.k8s.io/v1",
            level: "Metadata",
            audit_id: format!("id-{n}"),
            stage: "ResponseComplete",
            request_uri: "/api/v1/namespaces/default/pods".into(),
            verb: "list".into(),
            user: super::super::EventUser {
                username: "alice".into(),
                groups: vec!["system:authenticated".into()],
                ..Default::default()
            },
            impersonated_user: None,
            source_ips: vec!["127.0.0.1".into()],
            user_agent: "kubectl".into(),
            object_ref: None,
            response_status: Some(serde_json::json!({"metadata": {}, "code": 200})),
            request_object: None,
            response_object: None,
            request_received_timestamp: "2026-11-25T04:00:00.000000Z".into(),
            stage_timestamp: "2026-11-25T04:00:00.000100Z".into(),
            annotations: Default::default(),
        }
    }

    #[test]
    fn the_log_rotates_and_keeps_max_backups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        let options = LogOptions {
            path: path.clone(),
            max_size_mb: 1,
            max_backups: 2,
            max_age_days: 0,
            compress: false,
            format: Format::Json,
            buffer_size: 10,
        };
        let mut sink = Sink::open(options).unwrap();
        let line_len = serde_json::to_vec(&event(0)).unwrap().len() + 1;
        let per_file = (1024 * 1024) / line_len;
        for i in 0..per_file * 4 + 3 {
            sink.write(&event(i));
        }
        sink.flush();
        let backups = backups(&path).unwrap();
        assert_eq!(backups.len(), 2, "{backups:?}");
        for (p, _) in &backups {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with("audit-") && name.ends_with(".log"), "{name}");
            assert!(std::fs::metadata(p).unwrap().len() <= 1024 * 1024);
        }
        let current = std::fs::read_to_string(&path).unwrap();
        assert!((1..per_file).contains(&current.lines().count()));
        assert!(
            current.ends_with(&format!("\"id-{}\",", per_file * 4 + 2))
                || current.contains(&format!("\"id-{}\"", per_file * 4 + 2))
        );
        assert!(current.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    }

    #[test]
    fn backup_names_round_trip() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_764_043_200_123);
        let name = backup_name(Path::new("/var/log/audit.log"), at);
        assert_eq!(name, Path::new("/var/log/audit-2025-11-25T04-00-00.123.log"));
        let stamp = name
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_start_matches("audit-")
            .trim_end_matches(".log")
            .to_string();
        assert_eq!(parse_stamp(&stamp), Some(at));
    }

    #[test]
    fn the_legacy_line_is_upstreams() {
        let line = legacy_line(&event(7));
        assert_eq!(
            line,
            r#"2026-11-25T04:00:00.000000Z AUDIT: id="id-7" stage="ResponseComplete" ip="127.0.0.1" method="list" user="alice" groups="\"system:authenticated\"" as="<self>" asgroups="<lookup>" user-agent="kubectl" namespace="<none>" uri="/api/v1/namespaces/default/pods" response="200""#
        );
    }
}
