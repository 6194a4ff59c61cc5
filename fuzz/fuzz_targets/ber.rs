#![no_main]
//! BER-TLV: any bytes through the reader (recursing into constructed objects) and the
//! whole-tree check.

use libfuzzer_sys::fuzz_target;
use qrpay::tlv::ber::{self, Limits, Reader};

fn walk(data: &[u8], depth: usize) {
    for t in Reader::new(data) {
        let Ok(t) = t else { return };
        if depth < 16 && t.is_constructed() {
            walk(t.value, depth + 1);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    walk(data, 0);
    let _ = ber::check(data, Limits::default());
});
