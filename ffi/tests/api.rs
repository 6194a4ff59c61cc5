//! The C API called from Rust: the header's version macros match the crate, and
//! `qrpay_inspect_json` returns exactly the bytes of `qrpay inspect --json` (the core's
//! `json::to_string` in lenient mode, masked) for every spec vector input.

mod common;

use common::{inputs, root};
use qrpay_core::decode::{decode_with, Options};
use qrpay_core::json::JsonOptions;

#[test]
fn header_version_macros_match_the_crate() {
    let h = std::fs::read_to_string(root().join("ffi/include/qrpay.h")).unwrap();
    let mac = |name: &str| -> String {
        let prefix = format!("#define {name} ");
        h.lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("{name} missing"))
            .trim()
            .to_owned()
    };
    assert_eq!(mac("QRPAY_VERSION_MAJOR"), env!("CARGO_PKG_VERSION_MAJOR"));
    assert_eq!(mac("QRPAY_VERSION_MINOR"), env!("CARGO_PKG_VERSION_MINOR"));
    assert_eq!(mac("QRPAY_VERSION_PATCH"), env!("CARGO_PKG_VERSION_PATCH"));
    // The library and the crate manifest agree too.
    let v = unsafe { std::ffi::CStr::from_ptr(qrpay::qrpay_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

fn call(text: &str, flags: u32) -> Vec<u8> {
    let mut n = 0usize;
    let s = unsafe {
        qrpay::qrpay_inspect_json_flags(
            text.as_ptr(),
            text.len(),
            flags,
            std::ptr::null_mut(),
            0,
            &mut n,
        )
    };
    assert_eq!(s, qrpay::qrpay_status::QRPAY_BUFFER_TOO_SMALL);
    let mut buf = vec![0u8; n];
    let s = unsafe {
        qrpay::qrpay_inspect_json_flags(
            text.as_ptr(),
            text.len(),
            flags,
            buf.as_mut_ptr(),
            buf.len(),
            &mut n,
        )
    };
    assert_eq!(s, qrpay::qrpay_status::QRPAY_OK);
    assert_eq!(n, buf.len());
    buf
}

#[test]
fn inspect_json_is_the_cli_bytes_for_every_vector() {
    let mut all = Vec::new();
    inputs(&root().join("spec/vectors"), &mut all);
    assert!(all.len() > 500, "only {} vectors", all.len());
    for text in &all {
        let want = qrpay_core::json::to_string(
            &decode_with(text, Options::default()),
            JsonOptions::default(),
        );
        let mut n = 0usize;
        let mut buf = vec![0u8; want.len()];
        let s = unsafe {
            qrpay::qrpay_inspect_json(
                text.as_ptr(),
                text.len(),
                buf.as_mut_ptr(),
                buf.len(),
                &mut n,
            )
        };
        assert_eq!(s, qrpay::qrpay_status::QRPAY_OK, "{text}");
        assert_eq!(&buf[..n], want.as_bytes(), "{text}");
        let strict = qrpay_core::json::to_string(
            &decode_with(
                text,
                Options {
                    mode: qrpay_core::Mode::Strict,
                },
            ),
            JsonOptions { reveal: true },
        );
        assert_eq!(
            call(text, qrpay::QRPAY_FLAG_STRICT | qrpay::QRPAY_FLAG_REVEAL),
            strict.as_bytes()
        );
    }
}

#[test]
fn pkg_config_version_matches_the_crate() {
    let pc = std::fs::read_to_string(root().join("ffi/qrpay.pc.in")).unwrap();
    let v = pc
        .lines()
        .find_map(|l| l.strip_prefix("Version: "))
        .unwrap();
    assert_eq!(v, env!("CARGO_PKG_VERSION"));
}
