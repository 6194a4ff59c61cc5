//! qrpay beside peer crates from crates.io, on the same payloads, in one run.
//!
//! `cargo run --release` in this directory (it is its own workspace, outside qrpay's).
//! Every figure is the best of several timed batches (the machine is shared: the best batch is
//! the one least disturbed), and every ratio divides two figures of this same run.
//!
//! Peers and the calls timed (the Rust crates on crates.io that read EMV QR payloads):
//! * `promptparse` 1.2.0: `parse(s, strict, true)`; strict checks the CRC first.
//! * `brcode` 1.4.2: `from_str(s)` plus `crc16_ccitt` of the covered bytes compared with the
//!   stated CRC (brcode's own parse does not check it).
//! * `emv-qrcps` 0.1.1: `helpers::validate(s)`, its CRC check (it has no generic parser).
//!
//! qrpay's parse + strict validation + CRC is timed two ways: `mpm::parse` (the view returned
//! by value) then `mpm::validate`, and `Mpm::read` (the view read in place) then
//! `mpm::validate`; each has its ratios.

use std::hint::black_box;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crc::{Crc, NoTable, Table, CRC_16_IBM_3740};
use qrpay_peer_bench::{
    ascii_twin, corpus, qrpay_parse_strict, qrpay_read_strict, ANNEX, PIX, THAI_BILL,
};

/// A timed call: its name, the call, calls per batch and the best nanoseconds per call.
type Entry<'a> = (String, Box<dyn FnMut() -> bool + 'a>, u64, f64);

/// Timed calls, measured together: each round runs one batch of every entry in turn, and
/// each keeps its best batch. On a shared machine this gives every entry the same chances at
/// the quiet moments, so ratios between entries hold even when absolute times drift.
struct Suite<'a> {
    entries: Vec<Entry<'a>>,
}

impl<'a> Suite<'a> {
    fn new() -> Self {
        Suite {
            entries: Vec::new(),
        }
    }

    fn add(&mut self, name: &str, f: impl FnMut() -> bool + 'a) {
        self.entries
            .push((name.to_owned(), Box::new(f), 1, f64::INFINITY));
    }

    /// Calibrates each entry to batches of about 5 ms, then runs `rounds` rounds.
    fn run(&mut self, rounds: usize) {
        let batch = Duration::from_millis(5);
        for (_, f, n, _) in &mut self.entries {
            loop {
                let t = Instant::now();
                for _ in 0..*n {
                    black_box(f());
                }
                if t.elapsed() >= batch {
                    break;
                }
                *n *= 2;
            }
        }
        for _ in 0..rounds {
            for (_, f, n, best) in &mut self.entries {
                // One untimed call first: the batch then times the entry's steady state, not
                // the switch from the entry before (caches and branch predictors filled by
                // other code; for `recognize`, a first cold pass over 330 payloads).
                black_box(f());
                let t = Instant::now();
                for _ in 0..*n {
                    black_box(f());
                }
                *best = best.min(t.elapsed().as_nanos() as f64 / *n as f64);
            }
        }
    }

    /// Best nanoseconds per call of entry `name`.
    fn ns(&self, name: &str) -> f64 {
        self.entries
            .iter()
            .find(|e| e.0 == name)
            .map_or(f64::NAN, |e| e.3)
    }
}

fn rate(ns: f64) -> String {
    let per_s = 1e9 / ns;
    if per_s >= 1e6 {
        format!("{:.2} M/s", per_s / 1e6)
    } else {
        format!("{:.0} k/s", per_s / 1e3)
    }
}

fn line(name: &str, ns: f64) {
    println!("  {name:<52} {ns:>9.1} ns   {:>11}", rate(ns));
}

/// qrpay: the whole `decode` in strict mode (kind, parse, EMV rules, scheme rules, CRC).
fn qrpay_decode_strict(p: &str) -> bool {
    let d = qrpay::decode_with(
        black_box(p),
        qrpay::decode::Options {
            mode: qrpay::Mode::Strict,
        },
    );
    d.is_intact() && d.is_valid()
}

fn promptparse(p: &str, strict: bool) -> bool {
    promptparse::parse(black_box(p), strict, true).is_some()
}

fn brcode_with_crc(p: &str) -> bool {
    let p = black_box(p);
    let parsed = brcode::from_str(p);
    let (body, stated) = p.split_at(p.len() - 4);
    !parsed.is_empty() && brcode::crc16_ccitt(body).eq_ignore_ascii_case(stated)
}

fn emv_qrcps_crc(p: &str) -> bool {
    emv_qrcps::helpers::validate(black_box(p))
}

/// True when `f(p)` returns without panicking (some peers panic on some payloads).
fn survives(f: fn(&str) -> bool, p: &str) -> Option<bool> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = catch_unwind(AssertUnwindSafe(|| f(p))).ok();
    std::panic::set_hook(hook);
    r
}

// ---- CRC-16/CCITT-FALSE references --------------------------------------------------------

static CRC_NOTABLE: Crc<u16, NoTable> = Crc::<u16, NoTable>::new(&CRC_16_IBM_3740);
static CRC_TABLE1: Crc<u16, Table<1>> = Crc::<u16, Table<1>>::new(&CRC_16_IBM_3740);
static CRC_TABLE16: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&CRC_16_IBM_3740);

/// Slicing-by-8 tables for polynomial 0x1021 (non-reflected), built here from the polynomial:
/// `T[0]` is the byte-at-a-time table, `T[k][b]` is `T[0][b]` advanced by k more zero bytes.
const fn slice8_tables() -> [[u16; 256]; 8] {
    let mut t = [[0u16; 256]; 8];
    let mut b = 0;
    while b < 256 {
        let mut c = (b as u16) << 8;
        let mut i = 0;
        while i < 8 {
            c = if c & 0x8000 != 0 {
                (c << 1) ^ 0x1021
            } else {
                c << 1
            };
            i += 1;
        }
        t[0][b] = c;
        b += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut b = 0;
        while b < 256 {
            let prev = t[k - 1][b];
            t[k][b] = (prev << 8) ^ t[0][(prev >> 8) as usize];
            b += 1;
        }
        k += 1;
    }
    t
}

static SLICE8: [[u16; 256]; 8] = slice8_tables();

/// Hand slicing-by-8: eight bytes per step, eight table look-ups.
fn crc_slice8(bytes: &[u8]) -> u16 {
    let t = &SLICE8;
    let mut crc = 0xFFFFu16;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let hi = (crc >> 8) as u8 ^ c[0];
        let lo = crc as u8 ^ c[1];
        crc = t[7][hi as usize]
            ^ t[6][lo as usize]
            ^ t[5][c[2] as usize]
            ^ t[4][c[3] as usize]
            ^ t[3][c[4] as usize]
            ^ t[2][c[5] as usize]
            ^ t[1][c[6] as usize]
            ^ t[0][c[7] as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc << 8) ^ t[0][((crc >> 8) as u8 ^ b) as usize];
    }
    crc
}

/// CRC-16/IBM-3740 (= CCITT-FALSE) with `crc-fast`, which folds with PCLMULQDQ/VPCLMULQDQ
/// (x86) or PMULL (aarch64), chosen at run time.
fn crc_clmul(bytes: &[u8]) -> u16 {
    crc_fast::checksum(crc_fast::CrcAlgorithm::Crc16Ibm3740, bytes) as u16
}

fn main() {
    // Every implementation must agree on what it is timed on.
    for p in [THAI_BILL, ANNEX, PIX] {
        assert!(qrpay_parse_strict(p), "qrpay strict {p}");
        assert!(qrpay_read_strict(p), "qrpay read strict {p}");
        assert!(emv_qrcps_crc(p), "emv-qrcps {p}");
    }
    assert!(qrpay_decode_strict(THAI_BILL) && qrpay_decode_strict(PIX));
    assert!(promptparse(THAI_BILL, true) && promptparse(PIX, true));
    assert!(brcode_with_crc(PIX));
    assert_eq!(crc_slice8(b"123456789"), 0x29B1);
    let twin = ascii_twin();
    assert!(
        qrpay_parse_strict(&twin) && qrpay_read_strict(&twin),
        "{twin}"
    );
    assert!(promptparse(&twin, true) && promptparse(&twin, false));
    let annex_strict = survives(|p| promptparse(p, true), ANNEX);
    let annex_lenient = survives(|p| promptparse(p, false), ANNEX);
    let all = corpus();
    // Each length twice: starting on a 16-byte boundary (a heap buffer, as a String's) and one
    // byte past it (as a payload inside a larger buffer). crc-fast's speed depends on it.
    let crc_bufs: Vec<Vec<u8>> = [153u32, 260, 512, 4096]
        .iter()
        .map(|&len| (0..len + 1).map(|i| (i * 131 + 17) as u8).collect())
        .collect();
    let crc_data: Vec<(String, &[u8])> = crc_bufs
        .iter()
        .flat_map(|b| {
            let n = b.len() - 1;
            [
                (format!("{n} B aligned"), &b[..n]),
                (format!("{n} B unaligned"), &b[1..]),
            ]
        })
        .collect();
    assert!(crc_data
        .iter()
        .all(|(l, d)| l.ends_with("unaligned") != (d.as_ptr() as usize).is_multiple_of(16)));
    for (_, d) in &crc_data {
        let expect = CRC_NOTABLE.checksum(d);
        assert_eq!(qrpay::crc::crc16(d), expect);
        assert_eq!(crc_slice8(d), expect);
        assert_eq!(CRC_TABLE1.checksum(d), expect);
        assert_eq!(CRC_TABLE16.checksum(d), expect);
        assert_eq!(crc_clmul(d), expect);
    }

    let mut s = Suite::new();
    for (name, p) in [("thai", THAI_BILL), ("pix", PIX), ("annex", ANNEX)] {
        s.add(&format!("{name} qrpay parse+strict"), move || {
            qrpay_parse_strict(p)
        });
        s.add(&format!("{name} qrpay read+strict"), move || {
            qrpay_read_strict(p)
        });
        s.add(&format!("{name} qrpay decode strict"), move || {
            qrpay_decode_strict(p)
        });
        s.add(&format!("{name} qrpay crc only"), move || {
            qrpay::crc::crc16(black_box(&p.as_bytes()[..p.len() - 4])) != 0
        });
        s.add(&format!("{name} emv-qrcps crc"), move || emv_qrcps_crc(p));
        if name != "annex" {
            s.add(&format!("{name} promptparse strict"), move || {
                promptparse(p, true)
            });
            s.add(&format!("{name} promptparse lenient"), move || {
                promptparse(p, false)
            });
        }
    }
    s.add("pix brcode+crc", || brcode_with_crc(PIX));
    let tw = twin.as_str();
    s.add("twin qrpay parse+strict", move || qrpay_parse_strict(tw));
    s.add("twin qrpay read+strict", move || qrpay_read_strict(tw));
    s.add("twin promptparse strict", move || promptparse(tw, true));
    s.add("twin promptparse lenient", move || promptparse(tw, false));
    for (n, d) in &crc_data {
        let d = *d;
        s.add(&format!("crc{n} qrpay crc16"), move || {
            qrpay::crc::crc16(black_box(d)) != 1
        });
        s.add(&format!("crc{n} crc NoTable"), move || {
            CRC_NOTABLE.checksum(black_box(d)) != 1
        });
        s.add(&format!("crc{n} crc Table<1>"), move || {
            CRC_TABLE1.checksum(black_box(d)) != 1
        });
        s.add(&format!("crc{n} crc Table<16>"), move || {
            CRC_TABLE16.checksum(black_box(d)) != 1
        });
        s.add(&format!("crc{n} hand slicing-by-8"), move || {
            crc_slice8(black_box(d)) != 1
        });
        s.add(
            &format!("crc{n} crc-fast (carry-less multiply)"),
            move || crc_clmul(black_box(d)) != 1,
        );
    }
    let corpus = &all;
    s.add("recognize corpus", move || {
        let mut n = 0usize;
        for p in corpus {
            let d = qrpay::recognize(black_box(p));
            n += d.schemes.len() + usize::from(d.is_intact());
        }
        n != 0
    });
    let rounds = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(40);
    println!(
        "qrpay peers benchmark: {} entries measured together, best of {rounds} interleaved rounds of ~5 ms each, one thread",
        s.entries.len()
    );
    s.run(rounds);

    let mut ratios: Vec<(String, f64, &str)> = Vec::new();
    for (title, name) in [
        ("Thai bill 157 B", "thai"),
        ("Pix 147 B", "pix"),
        ("EMVCo Annex example 260 B (UTF-8)", "annex"),
    ] {
        println!("\n{title}: parse + strict validation + CRC");
        let q = s.ns(&format!("{name} qrpay parse+strict"));
        let qr = s.ns(&format!("{name} qrpay read+strict"));
        let qd = s.ns(&format!("{name} qrpay decode strict"));
        let crc = s.ns(&format!("{name} qrpay crc only"));
        let em = s.ns(&format!("{name} emv-qrcps crc"));
        line("qrpay mpm::parse + mpm::validate (strict)", q);
        line("qrpay Mpm::read (in place) + mpm::validate (strict)", qr);
        line("qrpay decode_with (strict, schemes too)", qd);
        line("qrpay crc::crc16 only (same bytes)", crc);
        line("emv-qrcps helpers::validate (CRC only)", em);
        ratios.push((
            format!("{name}: qrpay parse+strict / its CRC only"),
            q / crc,
            if name == "thai" { "<= 4" } else { "" },
        ));
        if name == "annex" {
            println!("  promptparse strict on it: {}", outcome(annex_strict));
            println!("  promptparse lenient on it: {}", outcome(annex_lenient));
            let qt = s.ns("twin qrpay parse+strict");
            let qtr = s.ns("twin qrpay read+strict");
            let pp = s.ns("twin promptparse strict");
            let ppl = s.ns("twin promptparse lenient");
            println!(
                "  (promptparse slices bytes by character counts and panics on the UTF-8 names;"
            );
            println!("   it is timed on the ASCII twin: same structure, ASCII names, CRC recomputed, 252 B)");
            line("qrpay parse+strict on the ASCII twin", qt);
            line("qrpay read+strict on the ASCII twin", qtr);
            line("promptparse parse(strict=true) on the ASCII twin", pp);
            line("promptparse parse(strict=false) on the ASCII twin", ppl);
            // The comparison for the Annex example is promptparse's lenient mode.
            ratios.push((
                "annex: promptparse lenient (twin) / qrpay parse+strict (Annex)".into(),
                ppl / q,
                ">= 10",
            ));
            ratios.push((
                "annex: promptparse lenient (twin) / qrpay read+strict (Annex)".into(),
                ppl / qr,
                ">= 10",
            ));
            ratios.push((
                "annex: promptparse strict (twin) / qrpay parse+strict (Annex)".into(),
                pp / q,
                "",
            ));
            ratios.push((
                "twin: promptparse lenient / qrpay parse+strict".into(),
                ppl / qt,
                "",
            ));
            ratios.push((
                "twin: promptparse lenient / qrpay read+strict".into(),
                ppl / qtr,
                "",
            ));
            ratios.push((
                "twin: promptparse strict / qrpay parse+strict".into(),
                pp / qt,
                "",
            ));
        } else {
            let pp = s.ns(&format!("{name} promptparse strict"));
            let ppl = s.ns(&format!("{name} promptparse lenient"));
            line("promptparse parse(strict=true)", pp);
            line("promptparse parse(strict=false)", ppl);
            ratios.push((
                format!("{name}: promptparse strict / qrpay parse+strict"),
                pp / q,
                if name == "thai" { ">= 10" } else { "" },
            ));
            ratios.push((
                format!("{name}: promptparse strict / qrpay read+strict"),
                pp / qr,
                if name == "thai" { ">= 10" } else { "" },
            ));
            ratios.push((
                format!("{name}: promptparse strict / qrpay decode strict"),
                pp / qd,
                "",
            ));
        }
        ratios.push((
            format!("{name}: emv-qrcps CRC check / qrpay parse+strict"),
            em / q,
            "",
        ));
        if name == "pix" {
            let br = s.ns("pix brcode+crc");
            line("brcode from_str + crc16_ccitt", br);
            ratios.push(("pix: brcode / qrpay parse+strict".into(), br / q, ""));
            ratios.push(("pix: brcode / qrpay decode strict".into(), br / qd, ""));
        }
    }
    for (n, d) in &crc_data {
        println!("\nCRC-16/CCITT-FALSE over {n}");
        let bytes = d.len() as f64;
        let mut fastest_other = f64::INFINITY;
        for imp in [
            "qrpay crc16",
            "crc NoTable",
            "crc Table<1>",
            "crc Table<16>",
            "hand slicing-by-8",
            "crc-fast (carry-less multiply)",
        ] {
            let ns = s.ns(&format!("crc{n} {imp}"));
            println!("  {imp:<52} {ns:>9.1} ns   {:>6.2} GB/s", bytes / ns);
            if imp != "qrpay crc16" {
                fastest_other = fastest_other.min(ns);
            }
        }
        ratios.push((
            format!("CRC {n}: qrpay / fastest other"),
            s.ns(&format!("crc{n} qrpay crc16")) / fastest_other,
            "<= 1.5",
        ));
    }
    let per = s.ns("recognize corpus") / all.len() as f64;
    println!("\nrecognize over the corpus ({} payloads)", all.len());
    line("qrpay recognize, per payload", per);
    ratios.push(("recognize: M payloads/s".into(), 1e3 / per, ">= 3"));
    let thai = s.ns("thai qrpay parse+strict");
    ratios.push((
        "thai: qrpay parse+strict, M payloads/s".into(),
        1e3 / thai,
        ">= 5",
    ));

    println!("\nRatios (all from this run)");
    for (name, r, target) in &ratios {
        println!("  {name:<66} {r:>7.2}   {target}");
    }
}

fn outcome(r: Option<bool>) -> &'static str {
    match r {
        None => "panics",
        Some(true) => "accepts",
        Some(false) => "rejects",
    }
}
