#![no_main]
//! Dynamic payment codes: arbitrary code text, clock and window through
//! `qrpay::paycode::verify` (fixed device key, a fuzzed choice of layout) and
//! `formats::paycode::parse`; and a code generated at the fuzzed time must verify once,
//! within its window, and then be refused as a replay.
//!
//! Input: 8 bytes Unix time, 1 byte past steps, 1 byte future steps, 1 byte layout choice,
//! 1 byte clock offset (signed, in steps) for the generated code, 4 bytes index, then the text.

use libfuzzer_sys::fuzz_target;
use qrpay::formats::paycode;
use qrpay::otp::SecretKey;
use qrpay::paycode::{self as pc, Binding, Layout, MemoryReplayGuard, PaycodeError, Window};
use qrpay::report::Report;
use qrpay::Mode;

const KEY: [u8; 32] = [0x5a; 32];

fn layout(sel: u8) -> Option<Layout> {
    let mut l = match sel % 6 {
        0 => Layout::for_wallet("unionpay").ok()?,
        1 => Layout::for_wallet("wechatpay").ok()?,
        2 => Layout::for_wallet("alipay").ok()?,
        3 => Layout::new("62", 19, 6).ok()?,
        4 => Layout::new("1234", 18, 9).ok()?,
        _ => Layout::new("28", 18, 8).ok()?,
    };
    if sel & 0x08 != 0 {
        l.binding = Binding::None;
    }
    // A zero step and a T0 after the clock are caller errors the code must refuse, not
    // divide by or underflow on.
    l.step = match (sel >> 4) & 3 {
        0 => 30,
        1 => 60,
        2 => 1,
        _ => 0,
    };
    if sel & 0x40 != 0 {
        l.t0 = 1_700_000_000;
    }
    Some(l)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 16 {
        return;
    }
    let (head, rest) = data.split_at(16);
    let mut t = [0u8; 8];
    t.copy_from_slice(&head[..8]);
    let now = u64::from_le_bytes(t);
    // Windows are bounded here: verify costs one HMAC per step of the window (see
    // fuzz/README.md), which the caller chooses.
    let window = Window {
        past: u32::from(head[8]),
        future: u32::from(head[9]),
    };
    let Some(layout) = layout(head[10]) else {
        return;
    };
    let offset = i64::from(head[11] as i8);
    let mut index = u64::from(u32::from_le_bytes([head[12], head[13], head[14], head[15]]));
    if head[10] & 0x80 == 0 {
        index %= 10u64.pow(layout.index_digits() as u32);
    }
    let key = SecretKey::new(KEY.to_vec());

    // Arbitrary text: never panics; what verifies is a code of the layout.
    let text = String::from_utf8_lossy(rest);
    let mut guard = MemoryReplayGuard::default();
    if let Ok(a) = pc::verify(&layout, &key, &text, now, window, &mut guard) {
        assert_eq!(text.len(), usize::from(layout.length()));
        assert!(text.starts_with(layout.prefix()));
        // Single use.
        assert!(matches!(
            pc::verify(&layout, &key, &text, now, window, &mut guard),
            Err(PaycodeError::Replayed)
        ));
        assert_eq!(guard.entries().count(), 1);
        let _ = a;
    }
    let _ = pc::split(&layout, &text);
    if let Ok(p) = paycode::parse(&text) {
        let mut r = Report::new(Mode::Strict);
        p.validate(&mut r);
        let _ = p.fields();
        let _ = p.payment();
        assert!(paycode::detect(&text));
    }

    // Generated at now + offset steps, verified at now.
    let step = layout.step;
    let Some(made_at) = now.checked_add_signed(offset.saturating_mul(step as i64)) else {
        return;
    };
    let Ok(code) = pc::generate(&layout, &key, index, made_at) else {
        return;
    };
    assert_eq!(code.len(), usize::from(layout.length()));
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    assert!(pc::split(&layout, &code).is_ok());
    let mut guard = MemoryReplayGuard::default();
    let got = pc::verify(&layout, &key, &code, now, window, &mut guard);
    let (Ok(s_now), Ok(s_made)) = (
        (now.checked_sub(layout.t0)).map(|e| e / step).ok_or(()),
        (made_at.checked_sub(layout.t0)).map(|e| e / step).ok_or(()),
    ) else {
        assert!(got.is_err());
        return;
    };
    let first = s_now.saturating_sub(u64::from(window.past));
    let last = s_now.saturating_add(u64::from(window.future));
    if (first..=last).contains(&s_made) {
        // Another step of the window may give the same digits (1 in 10^6 per step), so the
        // accepted step is the made one or a later one of the same OTP.
        let a = match got {
            Ok(a) => a,
            Err(e) => panic!("generated code refused: {e:?} (made {s_made}, now {s_now})"),
        };
        assert_eq!(a.index, index);
        assert!(a.step >= s_made && a.step <= last);
        assert!(matches!(
            pc::verify(&layout, &key, &code, now, window, &mut guard),
            Err(PaycodeError::Replayed)
        ));
    } else if s_made < first {
        // Expired (or, by an OTP collision with a step in the window, accepted).
        assert!(!matches!(got, Err(PaycodeError::Format(_))));
    } else {
        assert!(!matches!(got, Err(PaycodeError::Format(_) | PaycodeError::Expired)));
    }
});
