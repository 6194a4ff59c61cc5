//! A fixed workload for `valgrind --tool=callgrind`: instruction counts, not time, decide
//! changes on a shared machine. `profile <thai|annex|twin|pix|crc-thai|decode-thai|mpm-corpus|recognize> [iterations]`.

use std::hint::black_box;

const THAI_BILL: &str = "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631";
const ANNEX: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
const PIX: &str = "00020126510014br.gov.bcb.pix0115thalesog@me.com0210Pedido 123520400005303986540510.005802BR5914THALES OGLIARI6015SAO MIGUEL DO O62070503***63040DC6";

fn parse_strict(p: &str) -> bool {
    let m = qrpay::mpm::parse(black_box(p)).expect("parses");
    let mut r = qrpay::Report::new(qrpay::Mode::Strict);
    qrpay::mpm::validate(&m, &mut r);
    r.is_empty()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "recognize".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let all: Vec<String> = include_str!("../../../../spec/corpus/payloads.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["payload"].as_str().map(str::to_owned))
        .collect();
    // The Annex example with ASCII names of the same character counts (as in the peers
    // benchmark): the same structure without the UTF-8 path.
    let body = ANNEX[..ANNEX.len() - 4]
        .replace("最佳运输", "ZJYS")
        .replace("北京", "BJ");
    let twin = format!("{body}{:04X}", qrpay::crc::crc16(body.as_bytes()));
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
