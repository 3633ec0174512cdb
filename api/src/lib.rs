//! kubox-api: the HTTP pipeline and the Kubernetes API semantics.
//!
//! It reaches the store only through [`kubox_storage::Store`]. For now it
//! serves the health endpoints; the Kubernetes REST API arrives with its
//! issue and follows the request path in `docs/architecture.md`.

pub mod health;
