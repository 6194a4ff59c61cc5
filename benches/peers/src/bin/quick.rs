//! Quick timings for A/B comparisons of qrpay alone (no peers): each workload is timed as
//! the best of many short passes, which on a shared machine picks the undisturbed ones. Used
//! to decide changes whose cost is latency, not instruction count (callgrind cannot see
//! those). The ratios come from the peers benchmark (`qrpay-peer-bench`), not this.
//!
//! Prints the best pass and the median one. `quick [passes]`: Thai bill, EMVCo Annex and its ASCII twin (parse + strict validation +
//! CRC, parse alone, CRC alone), then `recognize` over the corpus. Payloads are heap copies,
//! as a decoder hands them over.

use std::hint::black_box;
use std::time::Instant;

const THAI_BILL: &str = "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631";
const ANNEX: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

fn parse_strict(p: &str) -> bool {
    match qrpay::mpm::parse(black_box(p)) {
        Ok(m) => {
            let mut r = qrpay::Report::new(qrpay::Mode::Strict);
            qrpay::mpm::validate(&m, &mut r);
            r.is_empty()
        }
        Err(_) => false,
    }
}

fn parse_only(p: &str) -> bool {
    qrpay::mpm::parse(black_box(p)).is_ok()
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
        .unwrap_or(200);
    let body = ANNEX[..ANNEX.len() - 4]
        .replace("最佳运输", "ZJYS")
        .replace("北京", "BJ");
    let twin = format!("{body}{:04X}", qrpay::crc::crc16(body.as_bytes()));
    let (thai, annex) = (THAI_BILL.to_owned(), ANNEX.to_owned());
    let cases: [Case; 9] = [
        ("thai parse+strict", &thai, parse_strict),
        ("thai parse", &thai, parse_only),
        ("thai crc", &thai, crc_only),
        ("annex parse+strict", &annex, parse_strict),
        ("annex parse", &annex, parse_only),
        ("annex crc", &annex, crc_only),
        ("twin parse+strict", &twin, parse_strict),
        ("twin parse", &twin, parse_only),
        ("twin crc", &twin, crc_only),
    ];
    for (name, p, f) in cases {
        let (ns, median) = best(passes, 5000, || usize::from(f(p)));
        println!("{name:<24} {ns:8.1} ns (median pass {median:.1})");
    }
    let all: Vec<String> = include_str!("../../../../spec/corpus/payloads.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["payload"].as_str().map(str::to_owned))
        .collect();
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
