//! Strategic merge patch with the real schema: the input is a type byte,
//! then a JSON array `[original, patch]`; any pair applies or is an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubox_fuzz::strategic_merge(data));
