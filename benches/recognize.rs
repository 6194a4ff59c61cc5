//! `recognize` (kind, schemes, parse and validation) over every payload of the corpus.
//!
//! `cargo bench --bench recognize`; the throughput line is payloads per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn corpus() -> Vec<String> {
    include_str!("../spec/corpus/payloads.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["payload"].as_str().map(str::to_owned))
        .collect()
}

fn bench(c: &mut Criterion) {
    let all = corpus();
    let mut g = c.benchmark_group("recognize");
    g.throughput(Throughput::Elements(all.len() as u64));
    g.bench_function("corpus", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for p in &all {
                let d = qrpay::recognize(black_box(p));
                n += d.schemes.len() + usize::from(d.is_intact());
            }
            n
        })
    });
    g.bench_function("corpus-kind-only", |b| {
        b.iter(|| {
            all.iter()
                .filter(|p| {
                    !matches!(
                        qrpay::recognize::guess(black_box(p)),
                        qrpay::recognize::Guess::Unknown
                    )
                })
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
