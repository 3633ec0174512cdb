//! Content negotiation: which format and which shape a response takes, from
//! the `Accept` header (JSON, YAML or protobuf; the object itself, a Table, a
//! PartialObjectMetadata or PartialObjectMetadataList, an aggregated
//! discovery document), and which format a request body is in, from
//! `Content-Type`. As kube-apiserver, the first acceptable entry in q order
//! wins; nothing acceptable is a 406.

use crate::errors::ApiError;

/// A wire format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `application/json`.
    Json,
    /// `application/yaml`.
    Yaml,
    /// `application/vnd.kubernetes.protobuf`.
    Protobuf,
}

impl Format {
    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Yaml => "application/yaml",
            Format::Protobuf => "application/vnd.kubernetes.protobuf",
        }
    }
}

/// What the response holds, beyond its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The resource itself (or a list of it).
    Object,
    /// A `meta.k8s.io` Table of the given version (`v1`, `v1beta1`).
    Table(String),
    /// `meta.k8s.io` PartialObjectMetadata of the given version.
    PartialObjectMetadata(String),
    /// `meta.k8s.io` PartialObjectMetadataList of the given version.
    PartialObjectMetadataList(String),
    /// `apidiscovery.k8s.io` APIGroupDiscoveryList of the given version (`v2`, `v2beta1`).
    Discovery(String),
}

/// The outcome of negotiating a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Negotiated {
    /// The format.
    pub format: Format,
    /// The shape.
    pub shape: Shape,
}

impl Negotiated {
    /// The `Content-Type` of the response.
    pub fn content_type(&self) -> String {
        match &self.shape {
            Shape::Object => self.format.media_type().to_string(),
            Shape::Table(v) => format!("{};as=Table;v={v};g=meta.k8s.io", self.format.media_type()),
            Shape::PartialObjectMetadata(v) => {
                format!("{};as=PartialObjectMetadata;v={v};g=meta.k8s.io", self.format.media_type())
            }
            Shape::PartialObjectMetadataList(v) => {
                format!("{};as=PartialObjectMetadataList;v={v};g=meta.k8s.io", self.format.media_type())
            }
            Shape::Discovery(v) => {
                format!("{};g=apidiscovery.k8s.io;v={v};as=APIGroupDiscoveryList", self.format.media_type())
            }
        }
    }
}

/// What a request may be answered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A single object of a resource (get, create, ...).
    Object,
    /// A list of a resource.
    List,
    /// A watch stream.
    Watch,
    /// A discovery endpoint (`/api`, `/apis`).
    Discovery,
    /// Anything else: JSON or YAML of a fixed type (Status, version, ...).
    Other,
}

/// The media types offered when nothing acceptable was asked for.
pub const ACCEPTED: &[&str] = &["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

struct MediaRange<'a> {
    kind: &'a str,
    subtype: &'a str,
    params: Vec<(&'a str, &'a str)>,
    q: f32,
}

fn parse_ranges(header: &str) -> Vec<MediaRange<'_>> {
    let mut out = Vec::new();
    for entry in header.split(',') {
        let mut pieces = entry.split(';').map(str::trim);
        let Some(full) = pieces.next().filter(|s| !s.is_empty()) else { continue };
        let (kind, subtype) = full.split_once('/').unwrap_or((full, ""));
        let mut params = Vec::new();
        let mut q = 1.0;
        for p in pieces {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let (k, v) = (k.trim(), v.trim().trim_matches('"'));
            if k == "q" {
                q = v.parse().unwrap_or(0.0);
            } else {
                params.push((k, v));
            }
        }
        out.push(MediaRange { kind, subtype, params, q });
    }
    // Stable: equal q keeps the client's order.
    out.sort_by(|a, b| b.q.partial_cmp(&a.q).unwrap_or(std::cmp::Ordering::Equal));
    out
}

fn format_of(kind: &str, subtype: &str, protobuf_ok: bool) -> Option<Format> {
    match (kind, subtype) {
        ("application", "json") | ("application", "*") | ("*", "*") | ("*", "") => Some(Format::Json),
        ("application", "yaml") => Some(Format::Yaml),
        ("application", "vnd.kubernetes.protobuf") if protobuf_ok => Some(Format::Protobuf),
        _ => None,
    }
}

/// Negotiates a response for `target` from the `Accept` header.
/// `protobuf_ok` says whether the resource has a protobuf form.
pub fn negotiate(accept: Option<&str>, target: Target, protobuf_ok: bool) -> Result<Negotiated, ApiError> {
    let header = accept.unwrap_or("").trim();
    if header.is_empty() {
        return Ok(Negotiated { format: Format::Json, shape: Shape::Object });
    }
    for range in parse_ranges(header) {
        if range.q <= 0.0 {
            continue;
        }
        let Some(format) = format_of(range.kind, range.subtype, protobuf_ok) else { continue };
        let param = |k: &str| range.params.iter().find(|(pk, _)| *pk == k).map(|(_, v)| *v);
        let (as_, group, version) = (param("as"), param("g"), param("v"));
        if param("stream").is_some_and(|s| s != "watch") {
            continue;
        }
        let shape = match as_ {
            None => Shape::Object,
            Some("Table") if group == Some("meta.k8s.io") && matches!(version, Some("v1" | "v1beta1")) => {
                if format == Format::Protobuf || !matches!(target, Target::Object | Target::List | Target::Watch) {
                    continue;
                }
                Shape::Table(version.unwrap_or("v1").to_string())
            }
            Some("PartialObjectMetadata")
                if group == Some("meta.k8s.io") && matches!(version, Some("v1" | "v1beta1")) =>
            {
                if !matches!(target, Target::Object | Target::Watch) {
                    continue;
                }
                Shape::PartialObjectMetadata(version.unwrap_or("v1").to_string())
            }
            Some("PartialObjectMetadataList")
                if group == Some("meta.k8s.io") && matches!(version, Some("v1" | "v1beta1")) =>
            {
                if target != Target::List {
                    continue;
                }
                Shape::PartialObjectMetadataList(version.unwrap_or("v1").to_string())
            }
            Some("APIGroupDiscoveryList")
                if group == Some("apidiscovery.k8s.io") && matches!(version, Some("v2" | "v2beta1")) =>
            {
                if target != Target::Discovery || format == Format::Protobuf {
                    continue;
                }
                Shape::Discovery(version.unwrap_or("v2").to_string())
            }
            Some(_) => continue,
        };
        if format == Format::Protobuf && matches!(target, Target::Discovery | Target::Other) {
            continue;
        }
        return Ok(Negotiated { format, shape });
    }
    Err(ApiError::not_acceptable(ACCEPTED))
}

/// The format of a request body, from its `Content-Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyType {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// Kubernetes protobuf (enveloped).
    Protobuf,
    /// RFC 6902 JSON patch.
    JsonPatch,
    /// RFC 7386 JSON merge patch.
    MergePatch,
    /// Strategic merge patch.
    StrategicMergePatch,
    /// Server-side apply (YAML or JSON).
    ApplyPatch,
}

/// Reads a `Content-Type`; `None` when it is not one kubox knows.
pub fn body_type(content_type: Option<&str>) -> Option<BodyType> {
    let ct = content_type.unwrap_or("application/json");
    let media = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    Some(match media.as_str() {
        "application/json" | "" => BodyType::Json,
        "application/yaml" | "application/x-yaml" | "text/yaml" => BodyType::Yaml,
        "application/vnd.kubernetes.protobuf" => BodyType::Protobuf,
        "application/json-patch+json" => BodyType::JsonPatch,
        "application/merge-patch+json" => BodyType::MergePatch,
        "application/strategic-merge-patch+json" => BodyType::StrategicMergePatch,
        "application/apply-patch+yaml" | "application/apply-patch+cbor" => BodyType::ApplyPatch,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_get_asks_for_a_table_first() {
        let n = negotiate(
            Some("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"),
            Target::List,
            true,
        )
        .unwrap();
        assert_eq!(n.shape, Shape::Table("v1".into()));
        assert_eq!(n.content_type(), "application/json;as=Table;v=v1;g=meta.k8s.io");
    }

    #[test]
    fn aggregated_discovery_and_fallbacks() {
        let header = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        assert_eq!(negotiate(Some(header), Target::Discovery, false).unwrap().shape, Shape::Discovery("v2".into()));
        // The same header on a resource falls back to plain JSON.
        assert_eq!(negotiate(Some(header), Target::Object, true).unwrap().shape, Shape::Object);
        assert_eq!(
            negotiate(Some("application/vnd.kubernetes.protobuf, */*"), Target::Object, true).unwrap().format,
            Format::Protobuf
        );
        assert_eq!(
            negotiate(Some("application/vnd.kubernetes.protobuf, */*"), Target::Object, false).unwrap().format,
            Format::Json
        );
        assert_eq!(negotiate(Some("text/html"), Target::Object, true).unwrap_err().code, 406);
        assert_eq!(
            negotiate(Some("application/yaml;q=0.5, application/json;q=0.9"), Target::Object, true).unwrap().format,
            Format::Json
        );
    }

    #[test]
    fn body_types() {
        assert_eq!(body_type(None), Some(BodyType::Json));
        assert_eq!(body_type(Some("application/json; charset=utf-8")), Some(BodyType::Json));
        assert_eq!(body_type(Some("application/strategic-merge-patch+json")), Some(BodyType::StrategicMergePatch));
        assert_eq!(body_type(Some("text/plain")), None);
    }
}
