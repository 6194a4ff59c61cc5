#![no_main]
//! MPM round trip: whatever parses, rebuilt canonically, parses to the same data objects.
//! And `Mpm::read` into a view that held another payload gives what `parse` gives (or the
//! same error, leaving the view empty).

use libfuzzer_sys::fuzz_target;
use qrpay::mpm::{self, Mpm, MpmBuilder};

/// The EMVCo Annex example: a view that held it has UTF-8 values, templates and 15 root IDs.
const HELD: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut view = Mpm::empty();
    view.read(HELD).expect("the Annex example reads");
    match (view.read(text), mpm::parse(text)) {
        (Ok(()), Ok(m)) => assert_eq!(view, m),
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            assert_eq!(view, Mpm::empty());
        }
        (a, b) => panic!("read {a:?}, parse {:?}", b.map(|_| ())),
    }
    let Ok(m) = mpm::parse(text) else { return };
    let b = MpmBuilder::from_mpm(&m);
    if let Ok(p) = b.build_lenient() {
        let again = mpm::parse(&p).expect("a built payload parses");
        assert_eq!(MpmBuilder::from_mpm(&again), b);
        assert_eq!(qrpay::crc::check(&p).as_str(), "ok");
    }
});
