#![no_main]
//! CPM: arbitrary text, and arbitrary BER-TLV bytes behind a valid PFI, base64-encoded.

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use qrpay::{cpm, Mode};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = cpm::decode_report(text, Mode::Strict);
    }
    let mut raw = b"\x85\x05CPV01".to_vec();
    raw.extend_from_slice(data);
    let text = base64::engine::general_purpose::STANDARD.encode(&raw);
    for mode in [Mode::Strict, Mode::Lenient] {
        let (c, _) = cpm::decode_report(&text, mode);
        if let Some(c) = c {
            let _ = c.fields(false);
            let aids: [&[u8]; 2] = [b"\xA0\x00\x00\x03\x33", b"\xA0\x00\x00\x00\x03"];
            let cfg = cpm::TerminalConfig::new(&aids);
            let _ = cpm::select(&c, &cfg);
        }
    }
});
