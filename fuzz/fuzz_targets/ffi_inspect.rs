#![no_main]
//! The C API's inspect call (`qrpay_inspect_json`, `qrpay_inspect_json_flags`) through the
//! `qrpay-ffi` crate: arbitrary bytes, invalid UTF-8 included, with a size query, a small
//! buffer and a large one. On `QRPAY_OK` the bytes written are exactly the core's JSON text
//! (`qrpay::json::to_string` of the decode in the same mode); on `QRPAY_BUFFER_TOO_SMALL`
//! the size reported is its length and the buffer is untouched; invalid UTF-8 gives
//! `QRPAY_INVALID_UTF8` and writes nothing; `QRPAY_PANIC` never happens.
//!
//! Input: 1 byte flags (bit 0 strict, bit 1 reveal, bit 2 an unknown flag bit), 1 byte small
//! capacity, then the text bytes.

use libfuzzer_sys::fuzz_target;
use qrpay::decode::{decode_with, Options};
use qrpay::json::JsonOptions;
use qrpay::Mode;
use qrpay_ffi::qrpay_status::{self, *};
use qrpay_ffi::{
    qrpay_inspect_json, qrpay_inspect_json_flags, QRPAY_FLAG_REVEAL, QRPAY_FLAG_STRICT,
};

const FILL: u8 = 0xA5;
const UNSET: usize = usize::MAX - 7;

/// Calls the function with a buffer of `cap` bytes (NULL when `cap` is 0 and `null` is set).
fn call(text: &[u8], flags: Option<u32>, cap: usize, null: bool) -> (qrpay_status, Vec<u8>, usize) {
    let mut buf = vec![FILL; cap];
    let mut len = UNSET;
    let out = if null && cap == 0 {
        core::ptr::null_mut()
    } else {
        buf.as_mut_ptr()
    };
    // SAFETY: `text` is readable for its length, `buf` writable for `cap` bytes (or NULL with
    // cap 0), `len` writable; no overlap.
    let st = unsafe {
        match flags {
            None => qrpay_inspect_json(text.as_ptr(), text.len(), out, cap, &mut len),
            Some(f) => qrpay_inspect_json_flags(text.as_ptr(), text.len(), f, out, cap, &mut len),
        }
    };
    (st, buf, len)
}

fuzz_target!(|data: &[u8]| {
    let [f, small, bytes @ ..] = data else {
        return;
    };
    let flags = (f & 1 != 0).then_some(QRPAY_FLAG_STRICT).unwrap_or(0)
        | (f & 2 != 0).then_some(QRPAY_FLAG_REVEAL).unwrap_or(0)
        | (f & 4 != 0).then_some(1u32 << 20).unwrap_or(0);
    let use_flags = f & 8 != 0 || flags != 0;
    let flags_arg = use_flags.then_some(flags);

    let expected = std::str::from_utf8(bytes).ok().map(|t| {
        let mode = if flags & QRPAY_FLAG_STRICT != 0 {
            Mode::Strict
        } else {
            Mode::Lenient
        };
        let d = if use_flags {
            decode_with(t, Options { mode })
        } else {
            // The plain call is documented as `qrpay::decode` (lenient, masked).
            qrpay::decode(t)
        };
        qrpay::json::to_string(
            &d,
            JsonOptions {
                reveal: flags & QRPAY_FLAG_REVEAL != 0,
            },
        )
        .into_bytes()
    });

    // Large: room to spare (the JSON length plus slack, or 64 KiB when there is none).
    let large = expected.as_ref().map_or(1 << 16, |j| j.len() + 64);
    for (cap, null) in [
        (0usize, true),
        (0, false),
        (usize::from(*small), false),
        (large, false),
    ] {
        let (st, buf, len) = call(bytes, flags_arg, cap, null);
        assert_ne!(st, QRPAY_PANIC, "inspect panicked on {bytes:?}");
        if flags & (1 << 20) != 0 {
            assert_eq!(st, QRPAY_INVALID_ARGUMENT);
            assert_eq!(len, UNSET);
            assert!(buf.iter().all(|&b| b == FILL));
            continue;
        }
        let Some(json) = &expected else {
            assert_eq!(st, QRPAY_INVALID_UTF8);
            assert_eq!(len, UNSET, "out_len written on invalid UTF-8");
            assert!(buf.iter().all(|&b| b == FILL), "buffer written on invalid UTF-8");
            continue;
        };
        match st {
            QRPAY_OK => {
                assert!(json.len() <= cap);
                assert_eq!(len, json.len());
                assert_eq!(&buf[..len], &json[..], "C output differs from the core JSON");
                assert!(buf[len..].iter().all(|&b| b == FILL), "written past out_len");
            }
            QRPAY_BUFFER_TOO_SMALL => {
                assert!(json.len() > cap);
                assert_eq!(len, json.len(), "size needed differs from the JSON length");
                assert!(buf.iter().all(|&b| b == FILL), "buffer written on BUFFER_TOO_SMALL");
            }
            other => panic!("unexpected status {other:?} for cap {cap}"),
        }
    }
});
