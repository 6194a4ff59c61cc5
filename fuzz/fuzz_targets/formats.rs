#![no_main]
//! Non-EMV formats: the text after each format's prefix is arbitrary.

use libfuzzer_sys::fuzz_target;
use qrpay::decode::{decode_with, Options};
use qrpay::Mode;

const PREFIXES: &[&str] = &[
    "upi://pay?",
    "BCD\n002\n1\nSCT\n",
    "SPC\n0200\n1\n",
    "https://qr.alipay.com/",
    "wxp://",
    "https://qr.95516.com/",
    "qpaywallet://q?qPay_QRcode=",
    "62",
    "",
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Ok(rest) = std::str::from_utf8(rest) else { return };
    let text = format!("{}{rest}", PREFIXES[usize::from(sel) % PREFIXES.len()]);
    for mode in [Mode::Strict, Mode::Lenient] {
        let d = decode_with(&text, Options { mode });
        let _ = qrpay::json::to_value(&d, Default::default());
    }
});
