//! MPM decode speed: parse + strict validation + CRC of the 157-byte Thai bill-payment
//! payload and of the EMVCo annex example (the view returned by `mpm::parse`, and read in
//! place into one view with `Mpm::read`), beside the CRC of the same bytes alone.
//!
//! `cargo bench --bench mpm`; criterion prints time per payload (payloads/s = 1 / time).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

const THAI_BILL: &str = "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631";
const ANNEX: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

fn decode_strict(p: &str) -> bool {
    let m = qrpay::mpm::parse(p).expect("parses");
    let mut r = qrpay::Report::new(qrpay::Mode::Strict);
    qrpay::mpm::validate(&m, &mut r);
    r.is_empty()
}

/// [`decode_strict`] with the payload read into `m`, a view kept from call to call.
fn read_strict<'a>(m: &mut qrpay::mpm::Mpm<'a>, p: &'a str) -> bool {
    m.read(p).expect("parses");
    let mut r = qrpay::Report::new(qrpay::Mode::Strict);
    qrpay::mpm::validate(m, &mut r);
    r.is_empty()
}

fn bench(c: &mut Criterion) {
    assert!(decode_strict(THAI_BILL) && decode_strict(ANNEX));
    let mut view = qrpay::mpm::Mpm::empty();
    assert!(read_strict(&mut view, THAI_BILL) && read_strict(&mut view, ANNEX));
    let mut g = c.benchmark_group("mpm");
    for (name, p) in [("thai-bill-157B", THAI_BILL), ("emvco-annex", ANNEX)] {
        g.throughput(Throughput::Elements(1));
        g.bench_with_input(BenchmarkId::new("parse+strict+crc", name), p, |b, p| {
            b.iter(|| decode_strict(black_box(p)))
        });
        g.bench_with_input(BenchmarkId::new("read+strict+crc", name), p, |b, p| {
            let mut m = qrpay::mpm::Mpm::empty();
            b.iter(|| read_strict(&mut m, black_box(p)))
        });
        g.bench_with_input(BenchmarkId::new("decode-strict", name), p, |b, p| {
            b.iter(|| {
                qrpay::decode_with(
                    black_box(p),
                    qrpay::decode::Options {
                        mode: qrpay::Mode::Strict,
                    },
                )
                .is_valid()
            })
        });
        let covered = &p.as_bytes()[..p.len() - 4];
        g.bench_with_input(BenchmarkId::new("crc-only", name), covered, |b, bytes| {
            b.iter(|| qrpay::crc::crc16(black_box(bytes)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
