//! `qrpay_mpm_parse_into` reuses its handle's memory: once the handle has held every spec
//! vector's MPM payload, reading one again allocates exactly what the decoder allocates by
//! itself (nothing for many payloads; a report with issues, or a signature's bytes, for others).
//! Counted with a global allocator wrapper; this file is its own test binary.

mod common;
#[path = "../../tests/support/counting_alloc.rs"]
mod counting_alloc;

use common::{inputs, root};
use counting_alloc::allocations;
use qrpay::qrpay_status::{QRPAY_NOT_MPM, QRPAY_OK};
use qrpay_core::decode::{decode_with, Kind, Options};

const SHORT: &str = "00020101021153037645802TH5904SHOP6007BANGKOK6304";

fn handle(text: &str) -> *mut qrpay::qrpay_mpm {
    let mut m = std::ptr::null_mut();
    // SAFETY: `text` is live for the call; `m` is a valid out pointer.
    let s = unsafe { qrpay::qrpay_mpm_parse(text.as_ptr(), text.len(), &mut m) };
    assert_eq!(s, QRPAY_OK);
    m
}

fn read(m: *mut qrpay::qrpay_mpm, text: &str) -> qrpay::qrpay_status {
    // SAFETY: `m` is a live handle of this thread; `text` is live for the call.
    unsafe { qrpay::qrpay_mpm_parse_into(m, text.as_ptr(), text.len(), 0) }
}

#[test]
fn a_warm_handle_allocates_only_what_the_decoder_does() {
    let mut all = Vec::new();
    inputs(&root().join("spec/vectors"), &mut all);
    let m = handle(SHORT);
    // The counter sees this thread's allocations: the longest MPM payload, read into a handle
    // made for a short one, makes its buffers grow (more allocations than the decoder's own).
    let long = all
        .iter()
        .filter(|t| decode_with(t, Options::default()).kind == Kind::EmvMpm)
        .max_by_key(|t| t.len())
        .unwrap();
    let own = allocations(|| {
        std::hint::black_box(decode_with(long, Options::default()));
    });
    let mut status = QRPAY_NOT_MPM;
    let grew = allocations(|| status = read(m, long));
    assert_eq!(status, QRPAY_OK);
    assert!(
        grew > own,
        "reading {} bytes into a handle made for {}: {grew} allocations, the decoder's {own}",
        long.len(),
        SHORT.len()
    );
    // Warm: every vector once, so the buffers reach their largest sizes.
    let mpm: Vec<&String> = all.iter().filter(|t| read(m, t) != QRPAY_NOT_MPM).collect();
    let mut none = 0;
    for text in &mpm {
        // What the decoder allocates by itself (a report with issues, a signature's bytes).
        let own = allocations(|| {
            std::hint::black_box(decode_with(text, Options::default()));
        });
        let mut status = QRPAY_NOT_MPM;
        let n = allocations(|| status = read(m, text));
        assert_eq!(status, QRPAY_OK);
        assert_eq!(n, own, "reading {text} into a warm handle");
        none += usize::from(n == 0);
    }
    assert!(
        none >= 40,
        "only {none} of {} MPM vectors read with no allocation",
        mpm.len()
    );
    // SAFETY: made by `handle`, freed once.
    unsafe { qrpay::qrpay_mpm_free(m) };
    eprintln!(
        "{} MPM vectors, {none} read with no allocation at all",
        mpm.len()
    );
}

#[test]
fn a_new_handle_per_payload_allocates() {
    // What the reuse saves: `qrpay_mpm_parse` makes a handle (and its copy of the payload).
    let n = allocations(|| {
        let m = handle(SHORT);
        // SAFETY: made by `handle`, freed once.
        unsafe { qrpay::qrpay_mpm_free(m) };
    });
    assert!(n >= 2, "{n}");
}
