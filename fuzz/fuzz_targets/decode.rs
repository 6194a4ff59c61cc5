#![no_main]
//! Any bytes that are UTF-8 go through `decode` in both modes, the JSON object (its text,
//! written directly, must be the text of its `Value`), and (for MPM) the builder round trip:
//! parse -> build -> parse must give the same fields.

use libfuzzer_sys::fuzz_target;
use qrpay::decode::{decode_with, Options};
use qrpay::mpm::MpmBuilder;
use qrpay::Mode;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for mode in [Mode::Strict, Mode::Lenient] {
        let d = decode_with(text, Options { mode });
        let v = qrpay::json::to_value(&d, Default::default());
        assert_eq!(qrpay::json::to_string(&d, Default::default()), v.to_string());
        if let Some(m) = d.mpm() {
            let b = MpmBuilder::from_mpm(m);
            if let Ok(p) = b.build_lenient() {
                let again = qrpay::mpm::parse(&p).expect("built payloads parse");
                assert_eq!(MpmBuilder::from_mpm(&again), b);
            }
        }
    }
});
