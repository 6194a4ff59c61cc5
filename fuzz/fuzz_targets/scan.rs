#![no_main]
//! QR scanning: small random luma frames (at most 96 × 96, so each run stays fast) through
//! `qrpay::image::scan_with` with fuzzed passes and backend order; and render → scan of the
//! input as a payload: whatever `image::encode` accepts must scan back to the same text.
//!
//! Input: byte 0 selects the mode and options, then
//! - frame mode: width, height, stride slack, then the pixels (repeated to fill the frame
//!   when bit 1 of byte 0 is set, else taken as they are, possibly too short);
//! - render mode: the payload text (at most 300 bytes).
//!
//! The backends run under `catch_unwind` in `scan_with`, which the library relies on
//! ("a panicking call counts as nothing found"). libFuzzer's panic hook would abort on those
//! contained panics; this target's hook lets a panic raised inside a third-party decoder
//! (a file under a Cargo registry) unwind to that `catch_unwind` and prints it once per
//! location, and still aborts on any other panic. Set `QRPAY_FUZZ_DECODER_PANICS=abort` to
//! stop on decoder panics too.

use libfuzzer_sys::fuzz_target;
use qrpay::image::{self, Backend, RenderOptions, ScanError, ScanOptions, Size};
use std::collections::HashSet;
use std::sync::{Mutex, Once};

const MAX: usize = 96;

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let abort_all = std::env::var("QRPAY_FUZZ_DECODER_PANICS").is_ok_and(|v| v == "abort");
        let seen: Mutex<HashSet<String>> = Mutex::new(HashSet::new());
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map(|l| l.file().to_string()).unwrap_or_default();
            let third_party = file.contains("/registry/src/") || file.contains("/git/checkouts/");
            if third_party && !abort_all {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                if seen.lock().map(|mut s| s.insert(at.clone())).unwrap_or(false) {
                    eprintln!("contained decoder panic at {at}: {info}");
                }
                return;
            }
            default(info);
            std::process::abort();
        }));
    });
}

fn options(sel: u8) -> ScanOptions {
    let all = Backend::available();
    let mut backends = match (sel >> 2) & 3 {
        0 => Backend::default_cascade(),
        1 => all.clone(),
        2 => all.iter().rev().copied().collect(),
        _ => vec![all[usize::from(sel >> 6) % all.len()]],
    };
    if backends.is_empty() {
        backends = all;
    }
    ScanOptions {
        backends,
        invert: sel & 0x10 != 0,
        threshold: sel & 0x20 != 0,
        pyramid: true,
        exhaustive: sel & 0x40 != 0,
        sharpen: sel & 0x80 != 0,
        deskew: sel & 0x80 != 0,
        budget: Some(std::time::Duration::from_secs(2)),
    }
}

fn frame(sel: u8, rest: &[u8]) {
    let [w, h, slack, px @ ..] = rest else {
        return;
    };
    let width = usize::from(*w) % MAX + 1;
    let height = usize::from(*h) % MAX + 1;
    // Mostly a valid stride; sometimes one shorter than the width (refused).
    let stride = if *slack == 0xFF {
        width - 1
    } else {
        width + usize::from(*slack % 8)
    };
    let needed = stride * (height - 1) + width;
    let luma: Vec<u8> = if sel & 2 != 0 && !px.is_empty() {
        px.iter().copied().cycle().take(needed).collect()
    } else {
        px.to_vec()
    };
    let opts = options(sel);
    match image::scan_with(&luma, width, height, stride, &opts) {
        Ok(found) => {
            for s in &found {
                let _ = s.decode();
                let _ = s.to_json(qrpay::Mode::Lenient, Default::default());
            }
        }
        Err(ScanError::Stride { .. }) => assert!(stride < width),
        Err(ScanError::Buffer { len, needed: n }) => {
            assert_eq!(n, needed);
            assert!(len < needed);
        }
        Err(e) => panic!("unexpected scan error for a {width}×{height} frame: {e}"),
    }
    // The plain entry point too, on what the frame holds.
    if luma.len() >= needed && stride >= width {
        let _ = image::scan(&luma, width, height, stride);
    }
}

fn render(rest: &[u8]) {
    if rest.is_empty() || rest.len() > 300 {
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(symbol) = image::encode(text) else {
        return;
    };
    let ro = RenderOptions {
        quiet_zone: 4,
        size: Size::PerModule(3),
        swiss_cross: Some(false),
    };
    let Ok((luma, side)) = symbol.to_luma(&ro) else {
        panic!("encoded symbol (version {}) cannot be drawn", symbol.version());
    };
    let side = side as usize;
    let found = match image::scan(&luma, side, side, side) {
        Ok(f) => f,
        Err(e) => panic!("rendered frame refused by scan: {e}"),
    };
    assert!(
        found.iter().any(|s| s.payload == text),
        "render→scan lost the payload: version {}, eci {}, byte mode {}, kind {}, wrote {:?}, read {:?}",
        symbol.version(),
        symbol.has_eci(),
        symbol.is_byte_mode(),
        symbol.kind().as_str(),
        text,
        found.iter().map(|s| (&s.payload, s.backend.as_str(), s.latin1)).collect::<Vec<_>>()
    );
}

fuzz_target!(|data: &[u8]| {
    install_hook();
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    if sel & 1 == 0 {
        frame(sel, rest);
    } else {
        render(rest);
    }
});
