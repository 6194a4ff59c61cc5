#![no_main]
//! MPM round trip: whatever parses, rebuilt canonically, parses to the same data objects.

use libfuzzer_sys::fuzz_target;
use qrpay::mpm::{self, MpmBuilder};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(m) = mpm::parse(text) else { return };
    let b = MpmBuilder::from_mpm(&m);
    if let Ok(p) = b.build_lenient() {
        let again = mpm::parse(&p).expect("a built payload parses");
        assert_eq!(MpmBuilder::from_mpm(&again), b);
        assert_eq!(qrpay::crc::check(&p).as_str(), "ok");
    }
});
