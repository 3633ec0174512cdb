//! kubox-api: the HTTP pipeline and the Kubernetes API semantics.
//!
//! A request travels: TLS and the client certificate's identity
//! ([`server`]) → request info ([`request`]) → authentication → the
//! resource handlers ([`handlers`]): decode ([`codec`], [`schema`]) →
//! defaulting ([`defaults`]) → server-set fields and the resource's strategy
//! ([`strategy`]) → validation ([`validation`]) → encode → store
//! transaction ([`registry`]); reads come from the watch cache
//! ([`watchcache`]) or the store, and leave as JSON, YAML, protobuf, a
//! Table or PartialObjectMetadata ([`render`], [`negotiation`]).
//!
//! The API layer reaches the store only through [`kubox_storage::Store`].
//! See `docs/api.md`.

// An `ApiError` carries a whole metav1.Status (message, details, causes) and
// is built at most once per failed request; boxing it would cost an
// allocation on every error and save nothing measurable on success paths.
#![allow(clippy::result_large_err)]

pub mod admission;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod cel;
pub mod client;
pub mod codec;
pub mod convert;
pub mod crd;
pub mod debug;
pub mod defaults;
pub mod discovery;
pub mod encryption;
pub mod errors;
pub mod handlers;
pub mod health;
pub mod jsondup;
pub mod managedfields;
pub mod negotiation;
pub mod openapi;
pub mod openapi_pb;
pub mod patch;
pub mod printers;
pub mod protobuf;
pub mod quantity;
pub mod registry;
pub mod render;
pub mod request;
pub mod reviews;
pub mod schema;
pub mod selectors;
pub mod server;
pub mod strategy;
pub mod timefmt;
pub mod validation;
pub mod watchcache;
