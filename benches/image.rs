//! QR image speed: renders/s for a 200-byte MPM payload; scans/s for a 640×480 and a
//! 1920×1080 frame, with the default passes (invert, threshold, pyramid, sharpen, deskew) and
//! without, on a frame holding the code (the first pass reads it) and on one without (every
//! pass runs). `no-deskew` is the default without the deskewed passes; `no-code-tilted` is a
//! frame without a code whose edges show a 20° skew (a tilted grid of blocks), so that the
//! deskewed passes run (on a flat frame the skew estimate finds no edges and they do not).
//!
//! `cargo bench --bench image` (needs the `image` feature; the workspace build enables it
//! through the CLI, else add `--features image,rxing,quircs`).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use qrpay::image::{deskew_step, encode, scan_with, Backend, RenderOptions, ScanOptions, Size};
use std::hint::black_box;

fn payload_200() -> String {
    include_str!("../spec/corpus/payloads.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|r| r["kind"] == "emv-mpm" && r["verdict"] == "intact")
        .filter_map(|r| r["payload"].as_str().map(str::to_owned))
        .filter(|p| p.is_ascii())
        .min_by_key(|p| p.len().abs_diff(200))
        .expect("a corpus payload")
}

/// A `w`×`h` grey frame with the code at `px` pixels per module, its top-left at (x, y).
fn frame(p: &str, w: usize, h: usize, px: u32, x: usize, y: usize) -> Vec<u8> {
    let (code, side) = encode(p)
        .expect("encode")
        .to_luma(&RenderOptions {
            size: Size::PerModule(px),
            ..RenderOptions::default()
        })
        .expect("raster");
    let side = side as usize;
    let mut f = vec![190u8; w * h];
    for r in 0..side {
        f[(y + r) * w + x..(y + r) * w + x + side].copy_from_slice(&code[r * side..(r + 1) * side]);
    }
    f
}

fn bench(c: &mut Criterion) {
    let p = payload_200();
    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(1));
    let opts = RenderOptions::default();
    g.bench_function(BenchmarkId::new("encode", p.len()), |b| {
        b.iter(|| encode(black_box(&p)).expect("encode"))
    });
    g.bench_function(BenchmarkId::new("png", p.len()), |b| {
        b.iter(|| {
            encode(black_box(&p))
                .expect("encode")
                .to_png(&opts)
                .expect("png")
        })
    });
    g.bench_function(BenchmarkId::new("svg", p.len()), |b| {
        b.iter(|| {
            encode(black_box(&p))
                .expect("encode")
                .to_svg(&opts)
                .expect("svg")
        })
    });
    g.finish();

    let frames = [
        ("640x480", 640, 480, frame(&p, 640, 480, 3, 150, 60)),
        ("1920x1080", 1920, 1080, frame(&p, 1920, 1080, 4, 1500, 40)),
    ];
    // No code, but edges at 20°: 8×24 px dark blocks in a tilted grid.
    let tilted = |w: usize, h: usize| -> Vec<u8> {
        let (s, c) = 20f32.to_radians().sin_cos();
        (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                let (u, v) = (x * c + y * s, -x * s + y * c);
                if (u / 8.0).floor().rem_euclid(2.0) == 0.0
                    && (v / 24.0).floor().rem_euclid(2.0) == 0.0
                {
                    60
                } else {
                    200
                }
            })
            .collect()
    };
    let mut g = c.benchmark_group("scan");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    for (name, w, h, f) in &frames {
        let blank = vec![190u8; w * h];
        let tilt = tilted(*w, *h);
        let configs = [
            ("default", ScanOptions::default()),
            (
                "no-sharpen",
                ScanOptions {
                    sharpen: false,
                    ..ScanOptions::default()
                },
            ),
            (
                "no-deskew",
                ScanOptions {
                    deskew: false,
                    ..ScanOptions::default()
                },
            ),
            ("no-prep", ScanOptions::plain(Backend::default_cascade())),
        ];
        for (cfg, o) in &configs {
            let found = scan_with(f, *w, *h, *w, o).expect("scan");
            assert_eq!(found.first().map(|s| s.payload.as_str()), Some(p.as_str()));
            g.bench_function(BenchmarkId::new(format!("code/{cfg}"), name), |b| {
                b.iter(|| scan_with(black_box(f), *w, *h, *w, o).expect("scan"))
            });
            g.bench_function(BenchmarkId::new(format!("no-code/{cfg}"), name), |b| {
                b.iter(|| scan_with(black_box(&blank), *w, *h, *w, o).expect("scan"))
            });
            if *cfg == "default" || *cfg == "no-deskew" {
                g.bench_function(
                    BenchmarkId::new(format!("no-code-tilted/{cfg}"), name),
                    |b| b.iter(|| scan_with(black_box(&tilt), *w, *h, *w, o).expect("scan")),
                );
            }
        }
        // The deskew step alone (skew estimate, rotation by 20°) on the tilted frame, and the
        // estimate alone on the frame with the code (no skew to correct).
        let (skew, rotated) = deskew_step(&tilt, *w, *h).expect("deskew");
        // (Hard-edged, the grid's digitised edges read as about 26.6°: still in range.)
        assert!(skew.is_some_and(|a| (3.0..=30.0).contains(&a)) && rotated.is_some());
        g.bench_function(BenchmarkId::new("deskew-step/tilted", name), |b| {
            b.iter(|| deskew_step(black_box(&tilt), *w, *h).expect("deskew"))
        });
        g.bench_function(BenchmarkId::new("deskew-step/code", name), |b| {
            b.iter(|| deskew_step(black_box(f), *w, *h).expect("deskew"))
        });
        for bk in Backend::available() {
            let o = ScanOptions::plain(vec![bk]);
            g.bench_function(
                BenchmarkId::new(format!("code/{}", bk.as_str()), name),
                |b| b.iter(|| scan_with(black_box(f), *w, *h, *w, &o).expect("scan")),
            );
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
