//! Response bodies: an object, a list, a Table, PartialObjectMetadata(List)
//! or a Status, in the negotiated format. Objects come from the watch cache
//! with their JSON and protobuf forms cached, so a list of a thousand
//! objects or a thousand watchers do not serialize the same object again.
//!
//! As kube-apiserver, items of a list carry no apiVersion and kind, and
//! responses of 128 KiB or more are gzip-compressed for clients that accept it.

use std::io::Write;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::{BufMut, Bytes, BytesMut};
use serde_json::{Map, Value, json};

use crate::catalog::ResourceSpec;
use crate::errors::{ApiError, ApiResult};
use crate::negotiation::{Format, Negotiated, Shape};
use crate::printers;
use crate::timefmt::Timestamp;
use crate::watchcache::CachedObject;

/// Responses this big or bigger are compressed when the client accepts gzip.
const GZIP_THRESHOLD: usize = 128 * 1024;

/// What a Table row carries besides its cells (`includeObject`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeObject {
    /// No object.
    None,
    /// PartialObjectMetadata (the default).
    Metadata,
    /// The whole object.
    Object,
}

/// Builds a response with a body and content type, compressing it when
/// large and the client accepts gzip.
pub fn respond(
    status: StatusCode,
    content_type: &str,
    body: Bytes,
    request_headers: &HeaderMap,
    warnings: &[String],
) -> Response {
    let gzip = body.len() >= GZIP_THRESHOLD
        && request_headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let (body, encoding) = if gzip {
        let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::fast());
        match enc.write_all(&body).and_then(|_| enc.finish()) {
            Ok(compressed) => (Bytes::from(compressed), Some("gzip")),
            Err(_) => (body, None),
        }
    } else {
        (body, None)
    };
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, ct);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
    if let Some(enc) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    for w in warnings {
        if let Ok(v) = HeaderValue::from_str(&warning_header(w)) {
            h.append("Warning", v);
        }
    }
    resp
}

/// `299 - "text"`, as kube-apiserver formats warnings.
pub fn warning_header(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("299 - \"{escaped}\"")
}

/// An error as a Status response in the negotiated format (JSON when the
/// client asked for something the Status cannot be).
pub fn error_response(err: &ApiError, negotiated: Option<&Negotiated>, request_headers: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(err.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let value = err.to_status();
    let mut resp = if let Some(n) = negotiated
        && n.format == Format::Protobuf
        && let Ok(raw) = crate::protobuf::encode("io.k8s.apimachinery.pkg.apis.meta.v1.Status", &value)
    {
        let body = crate::protobuf::wrap("v1", "Status", &raw);
        respond(status, Format::Protobuf.media_type(), Bytes::from(body), request_headers, &[])
    } else {
        let body = serde_json::to_vec(&value).unwrap_or_default();
        respond(status, "application/json", Bytes::from(body), request_headers, &[])
    };
    resp.extensions_mut().insert(RenderedStatus(value));
    resp
}

/// The Status an error response carries, for the audit record.
#[derive(Clone, Debug)]
pub struct RenderedStatus(pub Value);

/// The JSON of an object without apiVersion and kind, for list items.
pub fn item_json(o: &CachedObject) -> Bytes {
    o.item_json().clone()
}

/// Encodes one value in a format.
pub fn encode_value(value: &Value, format: Format) -> Result<Bytes, ApiError> {
    match format {
        Format::Json | Format::Protobuf => serde_json::to_vec(value).map(Bytes::from).map_err(ApiError::internal),
        Format::Yaml => serde_saphyr::to_string(value).map(Bytes::from).map_err(ApiError::internal),
    }
}

/// The body of a single object.
pub fn object_body(
    spec: &ResourceSpec,
    o: &CachedObject,
    n: &Negotiated,
    include: IncludeObject,
) -> Result<Bytes, ApiError> {
    match &n.shape {
        Shape::Object => match n.format {
            Format::Json => Ok(o.json()),
            Format::Yaml => encode_value(&o.value()?, Format::Yaml),
            Format::Protobuf => Ok(o.protobuf(spec)?.clone()),
        },
        Shape::Table(v) => encode_value(
            &table(spec, std::slice::from_ref(&Arc::new(clone_obj(spec, o)?)), v, None, include, true)?,
            n.format,
        ),
        Shape::PartialObjectMetadata(v) => {
            let pom = partial_object_metadata(o, v)?;
            match n.format {
                Format::Protobuf => proto_of(
                    "io.k8s.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata",
                    &format!("meta.k8s.io/{v}"),
                    "PartialObjectMetadata",
                    &pom,
                ),
                f => encode_value(&pom, f),
            }
        }
        _ => Err(ApiError::not_acceptable(crate::negotiation::ACCEPTED)),
    }
}

fn clone_obj(spec: &ResourceSpec, o: &CachedObject) -> ApiResult<CachedObject> {
    Ok(CachedObject::new(spec, o.key.clone(), o.revision, o.value()?))
}

fn proto_of(def: &str, api_version: &str, kind: &str, value: &Value) -> Result<Bytes, ApiError> {
    let raw = crate::protobuf::encode(def, value).map_err(|e| ApiError::internal(format!("encoding {kind}: {e}")))?;
    Ok(Bytes::from(crate::protobuf::wrap(api_version, kind, &raw)))
}

/// PartialObjectMetadata of an object.
pub fn partial_object_metadata(o: &CachedObject, version: &str) -> ApiResult<Value> {
    let mut item = o.item_value()?;
    let metadata = item.get_mut("metadata").map(Value::take).unwrap_or(Value::Null);
    Ok(json!({"kind": "PartialObjectMetadata", "apiVersion": format!("meta.k8s.io/{version}"), "metadata": metadata}))
}

/// The list metadata.
pub fn list_meta(resource_version: i64, continue_token: Option<&str>, remaining: Option<i64>) -> Value {
    let mut m = Map::new();
    m.insert("resourceVersion".into(), json!(resource_version.to_string()));
    if let Some(c) = continue_token {
        m.insert("continue".into(), json!(c));
    }
    if let Some(r) = remaining {
        m.insert("remainingItemCount".into(), json!(r));
    }
    Value::Object(m)
}

/// The body of a list.
pub fn list_body(
    spec: &ResourceSpec,
    items: &[Arc<CachedObject>],
    meta: Value,
    n: &Negotiated,
    include: IncludeObject,
) -> Result<Bytes, ApiError> {
    match &n.shape {
        Shape::Object if n.format == Format::Json => {
            // Assembled from each item's cached JSON.
            let mut out = BytesMut::with_capacity(64 + items.len() * 1024);
            out.put_slice(
                format!(
                    "{{\"kind\":{},\"apiVersion\":{},\"metadata\":",
                    json!(spec.list_kind),
                    json!(spec.api_version())
                )
                .as_bytes(),
            );
            out.put_slice(&serde_json::to_vec(&meta).unwrap_or_default());
            out.put_slice(b",\"items\":[");
            for (i, o) in items.iter().enumerate() {
                if i > 0 {
                    out.put_u8(b',');
                }
                out.put_slice(&item_json(o));
            }
            out.put_slice(b"]}");
            Ok(out.freeze())
        }
        Shape::Object => {
            let list = json!({
                "kind": spec.list_kind,
                "apiVersion": spec.api_version(),
                "metadata": meta,
                "items": items.iter().map(|o| o.item_value()).collect::<ApiResult<Vec<_>>>()?,
            });
            match n.format {
                Format::Protobuf => proto_of(&spec.list_definition, &spec.api_version(), &spec.list_kind, &list),
                f => encode_value(&list, f),
            }
        }
        Shape::Table(v) => encode_value(&table(spec, items, v, Some(meta), include, true)?, n.format),
        Shape::PartialObjectMetadataList(v) => {
            let list = json!({
                "kind": "PartialObjectMetadataList",
                "apiVersion": format!("meta.k8s.io/{v}"),
                "metadata": meta,
                "items": items.iter().map(|o| partial_object_metadata(o, v)).collect::<ApiResult<Vec<_>>>()?,
            });
            match n.format {
                Format::Protobuf => proto_of(
                    "io.k8s.apimachinery.pkg.apis.meta.v1.PartialObjectMetadataList",
                    &format!("meta.k8s.io/{v}"),
                    "PartialObjectMetadataList",
                    &list,
                ),
                f => encode_value(&list, f),
            }
        }
        _ => Err(ApiError::not_acceptable(crate::negotiation::ACCEPTED)),
    }
}

/// A meta.k8s.io Table of objects, with the resource's printer columns.
pub fn table(
    spec: &ResourceSpec,
    items: &[Arc<CachedObject>],
    version: &str,
    meta: Option<Value>,
    include: IncludeObject,
    with_columns: bool,
) -> ApiResult<Value> {
    let now = Timestamp::now().seconds;
    let columns = printers::columns(&spec.group, &spec.plural);
    let custom_columns = spec.custom.as_ref().map(|c| &c.columns);
    let rows = items
        .iter()
        .map(|o| {
            let value = o.value()?;
            let cells = match custom_columns {
                Some(cols) => crate::crd::columns::cells(cols, &value, now),
                None => printers::cells(&spec.group, &spec.plural, &value, now),
            };
            let mut row = json!({"cells": cells});
            match include {
                IncludeObject::None => {}
                IncludeObject::Metadata => row["object"] = partial_object_metadata(o, version)?,
                IncludeObject::Object => row["object"] = value,
            }
            Ok(row)
        })
        .collect::<ApiResult<Vec<Value>>>()?;
    let mut t = json!({
        "kind": "Table",
        "apiVersion": format!("meta.k8s.io/{version}"),
        "metadata": meta.unwrap_or_else(|| json!({"resourceVersion": items.first().map(|o| o.revision.to_string()).unwrap_or_default()})),
        "rows": rows,
    });
    if with_columns && let Some(cols) = custom_columns {
        t["columnDefinitions"] = Value::Array(crate::crd::columns::definitions(cols));
    } else if with_columns {
        t["columnDefinitions"] = Value::Array(
            columns
                .iter()
                .map(|c| {
                    json!({"name": c.name, "type": c.type_, "format": c.format, "description": c.description, "priority": c.priority})
                })
                .collect(),
        );
    } else {
        t["columnDefinitions"] = Value::Null;
    }
    Ok(t)
}

/// One watch event, framed for the wire: a JSON line, or a length-prefixed
/// protobuf WatchEvent.
pub fn watch_frame(event_type: &str, object: &Bytes, format: Format) -> Bytes {
    match format {
        Format::Protobuf => Bytes::from(crate::protobuf::encode_watch_event(event_type, object)),
        _ => {
            let mut out = BytesMut::with_capacity(object.len() + 32);
            out.put_slice(b"{\"type\":\"");
            out.put_slice(event_type.as_bytes());
            out.put_slice(b"\",\"object\":");
            out.put_slice(object);
            out.put_slice(b"}\n");
            out.freeze()
        }
    }
}
