//! The `k8s\0` envelope, the typed decode behind it, and protobuf watch
//! frames: hostile bytes are an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubox_fuzz::protobuf_envelope(data));
