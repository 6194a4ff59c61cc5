//! Quick timings for A/B comparisons of qrpay alone (no peers): each workload is timed as
//! the best of many short passes, which on a shared machine picks the undisturbed ones. Used
//! to decide changes whose cost is latency, not instruction count (callgrind cannot see
//! those). The ratios come from the peers benchmark (`qrpay-peer-bench`), not this.
//!
//! Prints the best pass and the median one. `quick [passes]`: Thai bill, Pix, EMVCo Annex and
//! its ASCII twin (parse + strict validation + CRC with the view returned by `mpm::parse` and
//! with it read in place by `Mpm::read`, parse alone, CRC alone; for the ASCII ones also the
//! walk floor, a bare step from header to header with no checks), then `recognize` over the
//! corpus. Payloads are heap copies, as a decoder hands them over.

use std::hint::black_box;
use std::time::Instant;

use qrpay_peer_bench::{
    ascii_twin, corpus, qrpay_parse_strict as parse_strict, qrpay_read_strict as read_strict,
    ANNEX, THAI_BILL,
};

fn parse_only(p: &str) -> bool {
    qrpay::mpm::parse(black_box(p)).is_ok()
}

/// The least any reader of EMV text must do: step from header to header (four digits, the
/// last two the value's length), here over the root and into every template (IDs 26–51, 62,
/// 64, 80–99), checking nothing else and recording nothing. A floor for `parse`, not a reader:
/// it takes lengths as bytes, so it is timed on ASCII payloads only.
fn walk_floor(p: &str) -> bool {
    // The header step of qrpay's own walker (`tlv::split_ascii`): the four digits checked and
    // read as one 32-bit word.
    fn step(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (h, tail) = b.split_first_chunk::<4>()?;
        let d = u32::from_le_bytes(*h).wrapping_sub(0x3030_3030);
        if (d | d.wrapping_add(0x7676_7676)) & 0x8080_8080 != 0 {
            return None;
        }
        let t = d.wrapping_mul(10).wrapping_add(d >> 8);
        let (value, rest) = tail.split_at_checked(usize::from((t >> 16) as u8))?;
        Some((t as u8, value, rest))
    }
    let mut rest = black_box(p).as_bytes();
    let mut n = 0usize;
    while let Some((id, value, next)) = step(rest) {
        if matches!(id, 26..=51 | 62 | 64 | 80..=99) {
            let mut inner = value;
            while let Some((_, _, after)) = step(inner) {
                n += 1;
                inner = after;
            }
        }
        n += 1;
        rest = next;
    }
    rest.is_empty() && n != 0
}

fn crc_only(p: &str) -> bool {
    qrpay::crc::check(black_box(p)).as_str().len() == 2
}

/// A workload: its name, the payload and the call timed.
type Case<'a> = (&'static str, &'a str, fn(&str) -> bool);

/// Nanoseconds per call of `f` over `passes` passes of `calls` calls: the best pass and the
/// median one.
fn best(passes: usize, calls: usize, mut f: impl FnMut() -> usize) -> (f64, f64) {
    let mut times = Vec::with_capacity(passes);
    for _ in 0..passes {
        let t = Instant::now();
        let mut acc = 0;
        for _ in 0..calls {
            acc += f();
        }
        black_box(acc);
        times.push(t.elapsed().as_nanos() as f64 / calls as f64);
    }
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

fn main() {
    let passes: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200)
        .max(1);
    let twin = ascii_twin();
    let (thai, annex) = (THAI_BILL.to_owned(), ANNEX.to_owned());
    let pix = qrpay_peer_bench::PIX.to_owned();
    let cases: [Case; 16] = [
        ("thai parse+strict", &thai, parse_strict),
        ("thai read+strict", &thai, read_strict),
        ("thai parse", &thai, parse_only),
        ("thai walk floor", &thai, walk_floor),
        ("thai crc", &thai, crc_only),
        ("pix parse+strict", &pix, parse_strict),
        ("pix read+strict", &pix, read_strict),
        ("annex parse+strict", &annex, parse_strict),
        ("annex read+strict", &annex, read_strict),
        ("annex parse", &annex, parse_only),
        ("annex crc", &annex, crc_only),
        ("twin parse+strict", &twin, parse_strict),
        ("twin read+strict", &twin, read_strict),
        ("twin parse", &twin, parse_only),
        ("twin walk floor", &twin, walk_floor),
        ("twin crc", &twin, crc_only),
    ];
    for (name, p, f) in cases {
        let (ns, median) = best(passes, 5000, || usize::from(f(p)));
        println!("{name:<24} {ns:8.1} ns (median pass {median:.1})");
    }
    let all = corpus();
    let (per, median) = best(passes, 1, || {
        all.iter()
            .map(|p| {
                let d = qrpay::recognize(black_box(p));
                d.schemes.len() + usize::from(d.is_intact())
            })
            .sum()
    });
    let n = all.len() as f64;
    let (per, median) = (per / n, median / n);
    println!(
        "{:<24} {per:8.1} ns per payload ({:.2} M/s; median pass {median:.1} ns, {:.2} M/s; \
         {passes} passes over {} payloads)",
        "recognize corpus",
        1e3 / per,
        1e3 / median,
        all.len()
    );
}
