//! A fixed workload for `valgrind --tool=callgrind`: instruction counts, not time, decide
//! changes on a shared machine. `profile <thai|annex|twin|pix|thai-read|annex-read|twin-read|
//! crc-thai|decode-thai|mpm-corpus|recognize> [iterations]` (`-read`: the view read in place
//! with `Mpm::read` instead of returned by `mpm::parse`).

use std::hint::black_box;

use qrpay_peer_bench::{
    ascii_twin, corpus, qrpay_parse_strict as parse_strict, ANNEX, PIX, THAI_BILL,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "recognize".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let all = corpus();
    let twin = ascii_twin();
    // The corpus payloads read as MPM: parse and lenient validation, as `recognize` runs them.
    let mpms: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|p| matches!(qrpay::recognize::guess(p), qrpay::recognize::Guess::Mpm))
        .collect();
    let mut acc = 0usize;
    for _ in 0..n {
        acc += match what.as_str() {
            "thai" => usize::from(parse_strict(THAI_BILL)),
            "annex" => usize::from(parse_strict(ANNEX)),
            "pix" => usize::from(parse_strict(PIX)),
            "twin" => usize::from(parse_strict(&twin)),
            "thai-read" => usize::from(qrpay_peer_bench::qrpay_read_strict(THAI_BILL)),
            "annex-read" => usize::from(qrpay_peer_bench::qrpay_read_strict(ANNEX)),
            "twin-read" => usize::from(qrpay_peer_bench::qrpay_read_strict(&twin)),
            "mpm-corpus" => mpms
                .iter()
                .map(|p| match qrpay::mpm::parse(black_box(p)) {
                    Ok(m) => {
                        let mut r = qrpay::Report::new(qrpay::Mode::Lenient);
                        qrpay::mpm::validate(&m, &mut r);
                        r.issues().len()
                    }
                    Err(_) => 0,
                })
                .sum(),
            "crc-thai" => usize::from(qrpay::crc::crc16(black_box(&THAI_BILL.as_bytes()[..153]))),
            "decode-thai" => {
                let d = qrpay::decode_with(
                    black_box(THAI_BILL),
                    qrpay::decode::Options {
                        mode: qrpay::Mode::Strict,
                    },
                );
                usize::from(d.is_valid())
            }
            _ => all
                .iter()
                .map(|p| {
                    let d = qrpay::recognize(black_box(p));
                    d.schemes.len() + usize::from(d.is_intact())
                })
                .sum(),
        };
    }
    println!("{acc}");
}
