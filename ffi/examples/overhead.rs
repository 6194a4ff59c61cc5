//! Per-call overhead of the C API: `qrpay_inspect_json` (through the extern "C" function,
//! into a caller buffer) against the Rust calls it wraps (`decode` + `json::to_string`), on
//! the same payloads. Run: `cargo run -p qrpay-ffi --release --example overhead`.

use std::hint::black_box;
use std::time::Instant;

use qrpay_core::json::JsonOptions;

const CN: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
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
}
