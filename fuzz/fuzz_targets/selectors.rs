//! Label and field selector parsing: any string parses or is an error; a
//! parsed selector prints as a selector that parses to the same terms (a
//! label selector to the same text; a field selector's terms may come back
//! in another order, as upstream sorts the raw terms before it normalises
//! `==` to `=`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubox_fuzz::selectors(data));
