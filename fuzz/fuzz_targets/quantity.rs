//! Resource quantities: any string parses or is an error; a parsed
//! quantity's canonical form parses back to the same canonical form, unless
//! that form is past the documented digit limit (`MAX_DIGITS`: a huge
//! exponent that only the short fast path accepted, where kube-apiserver
//! would build a number of hundreds of megabytes) or has an exponent of
//! nine digits or more.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubox_fuzz::quantity(data));
