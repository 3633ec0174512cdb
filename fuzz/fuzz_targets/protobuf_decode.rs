//! The protobuf transcoder on raw message bytes of many types: malformed
//! wire data is an error, never a panic; what decodes encodes again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubox_fuzz::protobuf_decode(data));
