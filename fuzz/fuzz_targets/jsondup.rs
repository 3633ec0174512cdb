//! The request-body JSON parser that reports duplicate fields: any bytes
//! give a value or an error, never a panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubox_fuzz::jsondup(data));
