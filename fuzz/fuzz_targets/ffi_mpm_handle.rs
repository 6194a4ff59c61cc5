#![no_main]
//! The C API's MPM handle read into again (`qrpay_mpm_parse_into`): a handle that held one
//! text reads another, then the first again; after each read it answers every getter
//! (`get` of IDs 0–99, `get_sub` of the 62 and 64 templates, intact, valid, CRC, schemes,
//! issues) exactly as a new handle from `qrpay_mpm_parse_flags` of the same text, with the
//! same status; where that gives no handle, the used one is empty as documented. Never
//! `QRPAY_PANIC`.
//!
//! Input: 1 byte flags (bit 0 strict for the first text, bit 1 for the second), then the
//! texts separated by a 0xFF byte (never part of UTF-8); with no 0xFF the first text is the
//! EMVCo Annex example and the bytes are the second. Invalid UTF-8 is allowed on either side.

use libfuzzer_sys::fuzz_target;
use qrpay_ffi::qrpay_status::{self, *};
use qrpay_ffi::*;

const ANNEX: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

/// Everything a handle answers, in order.
#[derive(Debug, PartialEq, Eq)]
struct Answers(Vec<(qrpay_status, Vec<u8>)>);

fn describe(m: *const qrpay_mpm) -> Answers {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 8192];
    let mut text = |out: &mut Vec<(qrpay_status, Vec<u8>)>,
                    f: &dyn Fn(*mut u8, usize, *mut usize) -> qrpay_status| {
        let mut n = 0usize;
        let s = f(buf.as_mut_ptr(), buf.len(), &mut n);
        let v = if s == QRPAY_OK {
            buf[..n].to_vec()
        } else {
            Vec::new()
        };
        out.push((s, v));
    };
    // SAFETY (every call below): `m` is a live handle of this thread; the out pointers are
    // valid for the writes; `buf` for its length.
    for id in 0..=99u32 {
        text(&mut out, &|o, c, n| unsafe {
            qrpay_mpm_get(m, id, o, c, n)
        });
    }
    for t in [62u32, 64] {
        for sub in 0..=99u32 {
            text(&mut out, &|o, c, n| unsafe {
                qrpay_mpm_get_sub(m, t, sub, o, c, n)
            });
        }
    }
    let mut b = false;
    let s = unsafe { qrpay_mpm_is_intact(m, &mut b) };
    out.push((s, vec![u8::from(b)]));
    let s = unsafe { qrpay_mpm_is_valid(m, &mut b) };
    out.push((s, vec![u8::from(b)]));
    let mut crc = qrpay_crc::QRPAY_CRC_OK;
    let s = unsafe { qrpay_mpm_crc(m, &mut crc) };
    out.push((s, vec![crc as u8]));
    let mut count = 0usize;
    let s = unsafe { qrpay_mpm_scheme_count(m, &mut count) };
    out.push((s, count.to_le_bytes().to_vec()));
    for i in 0..count {
        text(&mut out, &|o, c, n| unsafe {
            qrpay_mpm_scheme(m, i, o, c, n)
        });
    }
    let s = unsafe { qrpay_mpm_issue_count(m, &mut count) };
    out.push((s, count.to_le_bytes().to_vec()));
    for i in 0..count {
        text(&mut out, &|o, c, n| unsafe {
            qrpay_mpm_issue_code(m, i, o, c, n)
        });
        text(&mut out, &|o, c, n| unsafe {
            qrpay_mpm_issue_path(m, i, o, c, n)
        });
        text(&mut out, &|o, c, n| unsafe {
            qrpay_mpm_issue_message(m, i, o, c, n)
        });
        let mut off = 0usize;
        let s = unsafe { qrpay_mpm_issue_offset(m, i, &mut off) };
        out.push((s, off.to_le_bytes().to_vec()));
        let s = unsafe { qrpay_mpm_issue_is_error(m, i, &mut b) };
        out.push((s, vec![u8::from(b)]));
    }
    Answers(out)
}

/// What a handle with no payload answers (`qrpay_mpm_parse_into`'s documentation).
fn assert_empty(a: &Answers) {
    let gets = 100 + 200;
    assert!(
        a.0[..gets].iter().all(|(s, _)| *s == QRPAY_NOT_FOUND),
        "a value in an empty handle"
    );
    let rest: Vec<_> = a.0[gets..].iter().map(|(s, v)| (*s, v.clone())).collect();
    let zero = 0usize.to_le_bytes().to_vec();
    assert_eq!(
        rest,
        vec![
            (QRPAY_OK, vec![0]),
            (QRPAY_OK, vec![0]),
            (QRPAY_OK, vec![qrpay_crc::QRPAY_CRC_MISSING as u8]),
            (QRPAY_OK, zero.clone()),
            (QRPAY_OK, zero),
        ]
    );
}

fn flags(strict: bool) -> u32 {
    if strict {
        QRPAY_FLAG_STRICT
    } else {
        0
    }
}

/// Reads `text` into `held` and checks it against a new handle of the same text.
fn read_and_compare(held: *mut qrpay_mpm, text: &[u8], flags: u32) {
    let mut fresh = core::ptr::null_mut();
    // SAFETY: `text` is readable for its length; `fresh` is a valid out pointer.
    let want = unsafe { qrpay_mpm_parse_flags(text.as_ptr(), text.len(), flags, &mut fresh) };
    // SAFETY: `held` is a live handle of this thread; `text` readable for its length.
    let got = unsafe { qrpay_mpm_parse_into(held, text.as_ptr(), text.len(), flags) };
    assert_ne!(got, QRPAY_PANIC);
    assert_eq!(got, want, "status of parse_into against parse_flags");
    let answers = describe(held);
    if want == QRPAY_OK {
        assert_eq!(
            answers,
            describe(fresh),
            "a used handle answers otherwise than a new one"
        );
        // SAFETY: made above, freed once.
        unsafe { qrpay_mpm_free(fresh) };
    } else {
        assert_empty(&answers);
    }
}

fuzz_target!(|data: &[u8]| {
    let [f, rest @ ..] = data else {
        return;
    };
    let (first, second) = match rest.iter().position(|&b| b == 0xFF) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (ANNEX.as_bytes(), rest),
    };
    let mut held = core::ptr::null_mut();
    // SAFETY: `first` is readable for its length; `held` a valid out pointer.
    let s =
        unsafe { qrpay_mpm_parse_flags(first.as_ptr(), first.len(), flags(f & 1 != 0), &mut held) };
    if s != QRPAY_OK {
        // The first text gives no handle: start from the Annex example.
        // SAFETY: as above.
        let s = unsafe { qrpay_mpm_parse(ANNEX.as_ptr(), ANNEX.len(), &mut held) };
        assert_eq!(s, QRPAY_OK);
    }
    read_and_compare(held, second, flags(f & 2 != 0));
    read_and_compare(held, first, flags(f & 1 != 0));
    // SAFETY: made above, freed once.
    unsafe { qrpay_mpm_free(held) };
});
