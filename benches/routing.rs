//! Routing directory: lookups per second in the compiled-in directory and in one of 100 000
//! synthetic entries, how long building that directory takes, and a full route decision.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qrpay::routing::{Directory, DirectoryBuilder, EntrySpec, KeyKind, Profile, Router};
use qrpay::schemes::{Date, SchemeId};
use std::hint::black_box;

const GUIDS: &[&str] = &[
    "br.gov.bcb.pix",
    "BR.GOV.BCB.PIX",
    "A000000677010111",
    "A000000677010112",
    "SG.PAYNOW",
    "hk.com.hkicl",
    "A0000005240117",
    "ID.CO.QRIS.WWW",
    "COM.ALIPAY.OPENAPI",
    "com.example.unknown",
];

/// 100 000 GUID-prefix keys `s<i>.<hash>.example` spread over the schemes.
fn synthetic_keys(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            format!("s{i}.{h:x}.example")
        })
        .collect()
}

fn build_synthetic(keys: &[String]) -> Directory {
    let mut b = DirectoryBuilder::new("synthetic", Date::new(2026, 1, 1).unwrap()).unwrap();
    for (i, k) in keys.iter().enumerate() {
        let scheme = SchemeId::ALL[i % SchemeId::ALL.len()];
        b.add(&EntrySpec {
            kind: KeyKind::GuidPrefix,
            keys: &[k.as_str()],
            lengths: None,
            scheme,
            network: "synthetic",
            countries: &[],
            currencies: &[],
            clearing: "synthetic",
            source: "bench",
        })
        .unwrap();
    }
    b.build()
}

fn bench(c: &mut Criterion) {
    let builtin = Directory::builtin();
    let mut g = c.benchmark_group("routing lookup");
    g.throughput(Throughput::Elements(GUIDS.len() as u64));
    g.bench_function("builtin guid x10", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for q in GUIDS {
                n += builtin.lookup_guid(black_box(q)).is_some() as usize;
            }
            n
        })
    });
    let keys = synthetic_keys(100_000);
    let big = build_synthetic(&keys);
    let queries: Vec<String> = keys
        .iter()
        .step_by(10_007)
        .map(|k| format!("{k}/0001"))
        .take(10)
        .collect();
    g.bench_function("100k synthetic guid x10", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for q in &queries {
                n += big.lookup_guid(black_box(q)).is_some() as usize;
            }
            n
        })
    });
    g.finish();

    let mut g = c.benchmark_group("routing build");
    g.sample_size(10);
    g.bench_function("100k synthetic entries", |b| {
        b.iter(|| build_synthetic(black_box(&keys)).len())
    });
    g.bench_function("builtin", |b| b.iter(|| Directory::builtin().len()));
    g.finish();

    let router = Router::builtin();
    let code = "000201010212021643926300000000850415540461000000008061661005900000000890827YESB0CMSNOC222333004882700126430010A0000005240117razorpaybqr@icici02041.1027350010A0000005240117RZPGT8ildsFTgS5Sp52047531530335654041.105802IN5906zxcbmn6005Delhi610611008562300514GT8ildsFTgS5Sp070838R004506304B6A9";
    let d = qrpay::decode(code);
    let p = Profile::wallet("w", &[SchemeId::Visa, SchemeId::Upi]);
    c.bench_function("route bharat qr (decoded)", |b| {
        b.iter(|| router.route(black_box(&d), &p).chosen)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
