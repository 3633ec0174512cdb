//! The schema walk a request body goes through (pruning, type checks,
//! canonical quantities and times): any JSON value decodes or is an error,
//! and the result encodes as protobuf or is an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubox_fuzz::schema_decode(data));
