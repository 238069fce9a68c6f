//! Decoding profiles and error bodies from arbitrary bytes never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    logto_account::fuzzing::decode_account(data);
    logto_account::fuzzing::decode_error(data);
});
