//! What the peers benchmark and its helper binaries (`profile`, `quick`) share: the payloads,
//! the corpus and the qrpay call they time.

use std::hint::black_box;

/// The Thai bill payment from the issue (157 bytes).
pub const THAI_BILL: &str = "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631";
/// The EMVCo MPM Annex example (260 bytes, UTF-8 names in template 64).
pub const ANNEX: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
/// pix-utils' static Pix test vector (147 bytes).
pub const PIX: &str = "00020126510014br.gov.bcb.pix0115thalesog@me.com0210Pedido 123520400005303986540510.005802BR5914THALES OGLIARI6015SAO MIGUEL DO O62070503***63040DC6";

/// The Annex example with ASCII names of the same character counts and its CRC recomputed:
/// the same structure without UTF-8, which promptparse can read.
pub fn ascii_twin() -> String {
    let body = ANNEX[..ANNEX.len() - 4]
        .replace("最佳运输", "ZJYS")
        .replace("北京", "BJ");
    let crc = qrpay::crc::crc16(body.as_bytes());
    format!("{body}{crc:04X}")
}

/// The payloads of qrpay's corpus (`spec/corpus/payloads.jsonl`).
pub fn corpus() -> Vec<String> {
    include_str!("../../../spec/corpus/payloads.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["payload"].as_str().map(str::to_owned))
        .collect()
}

/// qrpay: `mpm::parse` + `mpm::validate` in strict mode (CRC included); true when nothing is
/// wrong.
pub fn qrpay_parse_strict(p: &str) -> bool {
    match qrpay::mpm::parse(black_box(p)) {
        Ok(m) => {
            let mut r = qrpay::Report::new(qrpay::Mode::Strict);
            qrpay::mpm::validate(&m, &mut r);
            r.is_empty()
        }
        Err(_) => false,
    }
}

/// qrpay: `Mpm::read` (the view read in place) + `mpm::validate` in strict mode (CRC
/// included); true when nothing is wrong.
pub fn qrpay_read_strict(p: &str) -> bool {
    let mut m = qrpay::mpm::Mpm::empty();
    match m.read(black_box(p)) {
        Ok(()) => {
            let mut r = qrpay::Report::new(qrpay::Mode::Strict);
            qrpay::mpm::validate(&m, &mut r);
            r.is_empty()
        }
        Err(_) => false,
    }
}
