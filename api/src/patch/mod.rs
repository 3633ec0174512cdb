//! Patches: JSON patch (RFC 6902) and JSON merge patch (RFC 7386) come from
//! the json-patch crate; strategic merge patch is ours, driven by the
//! schema's patch strategies and merge keys.

pub mod strategic;
