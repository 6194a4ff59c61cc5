//! CPM decode + POI selection of the CPM Annex B.2 payload.

use criterion::{criterion_group, criterion_main, Criterion};
use qrpay::cpm::{self, Cpm, TerminalConfig};
use qrpay::Mode;
use std::hint::black_box;

const B2: &str = "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==";
const AIDS: &[&[u8]] = &[&[0xA0, 0, 0, 0, 0x66, 0x66, 0x66], &[0xA0, 0, 0, 0, 0x55]];

fn bench(c: &mut Criterion) {
    let cfg = TerminalConfig::new(AIDS);
    c.bench_function("cpm decode+select annex B.2", |b| {
        b.iter(|| {
            let cpm = Cpm::decode(black_box(B2)).unwrap();
            let s = cpm::select(&cpm, &cfg).unwrap();
            black_box((s.index, s.poi_data.len(), s.transparent_data().len()))
        })
    });
    c.bench_function("cpm decode_report (strict) annex B.2", |b| {
        b.iter(|| {
            let (cpm, r) = cpm::decode_report(black_box(B2), Mode::Strict);
            black_box((cpm.is_some(), r.is_empty()))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
