#![no_main]
//! Any bytes as a routing directory file: loading never panics, and a directory that loads
//! answers lookups and merges over the built-in one without panicking.

use libfuzzer_sys::fuzz_target;
use qrpay::routing::{Directory, Merge};
use qrpay::schemes::SchemeId;

fuzz_target!(|data: &[u8]| {
    let Ok(d) = Directory::from_json(data) else { return };
    for h in d.entries() {
        let _ = d.lookup_guid(&h.entry.key);
        let _ = d.lookup_cpm_aid(&h.entry.key);
        let _ = d.lookup_url(&h.entry.key);
        let _ = d.lookup_paycode(&h.entry.key);
    }
    for id in SchemeId::ALL {
        let _ = d.lookup_profile(*id);
    }
    let base = Directory::builtin();
    for how in [Merge::Strict, Merge::Override] {
        if let Ok(m) = base.merge(&d, how) {
            assert!(m.len() >= d.len());
        }
    }
});
