//! Per-call overhead of the C API: `qrpay_inspect_json` (through the extern "C" function,
//! into a caller buffer) against the Rust calls it wraps (`decode` + `json::to_string`), on
//! the same payloads; and an MPM handle made and freed per payload (`qrpay_mpm_parse` +
//! `qrpay_mpm_free`) against one handle read into again (`qrpay_mpm_parse_into`).
//! Run: `cargo run -p qrpay-ffi --release --example overhead`.

use std::hint::black_box;
use std::time::Instant;

use qrpay_core::json::JsonOptions;

const CN: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
const THAI_BILL: &str = "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631";
const UPI: &str = "upi://pay?pa=shop@okbank&pn=Shop&am=10.00&cu=INR";

fn time(iters: u32, mut f: impl FnMut()) -> f64 {
    for _ in 0..iters / 10 {
        f();
    }
    let t = Instant::now();
    for _ in 0..iters {
        f();
    }
    t.elapsed().as_nanos() as f64 / f64::from(iters)
}

fn main() {
    let iters = 20_000;
    let mut buf = vec![0u8; 8192];
    for (name, p) in [("CN reference MPM", CN), ("UPI link", UPI)] {
        // Best of 5 rounds each, interleaved, to damp noise on a shared machine.
        let (mut rust, mut ffi) = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            rust = rust.min(time(iters, || {
                let s = qrpay_core::json::to_string(
                    &qrpay_core::decode(black_box(p)),
                    JsonOptions::default(),
                );
                black_box(s);
            }));
            ffi = ffi.min(time(iters, || {
                let mut n = 0usize;
                // SAFETY: p and buf are live for the call; n is a valid out pointer.
                let s = unsafe {
                    qrpay::qrpay_inspect_json(
                        black_box(p).as_ptr(),
                        p.len(),
                        buf.as_mut_ptr(),
                        buf.len(),
                        &mut n,
                    )
                };
                black_box((s, n));
            }));
        }
        println!(
            "{name}: rust {rust:.0} ns/call, ffi {ffi:.0} ns/call, ratio {:.3}",
            ffi / rust
        );
    }

    let mut held = std::ptr::null_mut();
    // SAFETY: CN is live for the call; `held` is a valid out pointer.
    let s = unsafe { qrpay::qrpay_mpm_parse(CN.as_ptr(), CN.len(), &mut held) };
    assert_eq!(s, qrpay::qrpay_status::QRPAY_OK);
    for (name, p) in [("CN reference MPM", CN), ("Thai bill MPM", THAI_BILL)] {
        let (mut each, mut into) = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            each = each.min(time(iters, || {
                let mut m = std::ptr::null_mut();
                // SAFETY: p is live for the call; `m` is a valid out pointer; the handle is
                // freed once.
                unsafe {
                    let s = qrpay::qrpay_mpm_parse(black_box(p).as_ptr(), p.len(), &mut m);
                    black_box(s);
                    qrpay::qrpay_mpm_free(m);
                }
            }));
            into = into.min(time(iters, || {
                // SAFETY: `held` is a live handle of this thread; p is live for the call.
                let s =
                    unsafe { qrpay::qrpay_mpm_parse_into(held, black_box(p).as_ptr(), p.len(), 0) };
                black_box(s);
            }));
        }
        println!(
            "{name}: parse + free {each:.0} ns/payload, parse_into one handle {into:.0} ns/payload, ratio {:.3}",
            into / each
        );
    }
    // SAFETY: made above, freed once.
    unsafe { qrpay::qrpay_mpm_free(held) };
}
