//! `qrpay_sign`, `qrpay_verify` and `qrpay_verify_key` reproduce spec/signing/vectors.json.

use std::path::Path;

use qrpay::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn call(f: impl Fn(*mut u8, usize, *mut usize) -> qrpay_status) -> (qrpay_status, String) {
    let mut buf = vec![0u8; 2048];
    let mut n = 0usize;
    let s = f(buf.as_mut_ptr(), buf.len(), &mut n);
    buf.truncate(if s == qrpay_status::QRPAY_OK { n } else { 0 });
    (s, String::from_utf8(buf).unwrap())
}

#[test]
fn sign_and_verify_through_the_c_api() {
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("spec/signing/vectors.json")).unwrap(),
    )
    .unwrap();
    let trust = std::fs::read(root().join("spec/routing/trust.json")).unwrap();
    let ed = &v["keys"]["ed25519"];
    let hm = &v["keys"]["hmac-sha256-128"];
    for t in v["vectors"].as_array().unwrap() {
        let signed = t["signed"].as_str().unwrap();
        let (s, json) = call(|o, c, n| unsafe {
            qrpay_verify(
                signed.as_ptr(),
                signed.len(),
                trust.as_ptr(),
                trust.len(),
                1_800_000_000,
                o,
                c,
                n,
            )
        });
        assert_eq!(s, qrpay_status::QRPAY_OK);
        let st: serde_json::Value = serde_json::from_str(&json).unwrap();
        let expect = t["expect"].as_str().unwrap();
        if t["algorithm"] == "hmac-sha256-128" {
            // A trust list carries no HMAC secret.
            assert_eq!(st["status"], "signed-unknown-key");
        } else {
            assert_eq!(st["status"], expect, "{signed}");
        }
        let Some(unsigned) = t["unsigned"].as_str() else {
            continue;
        };
        let (alg, key, kid, vkey) = if t["algorithm"] == "ed25519" {
            (
                QRPAY_SIGN_ED25519,
                unhex(ed["seed_hex"].as_str().unwrap()),
                ed["key_id"].as_str().unwrap(),
                unhex(ed["public_key_hex"].as_str().unwrap()),
            )
        } else {
            let k = unhex(hm["key_hex"].as_str().unwrap());
            (
                QRPAY_SIGN_HMAC,
                k.clone(),
                hm["key_id"].as_str().unwrap(),
                k,
            )
        };
        let (s, out) = call(|o, c, n| unsafe {
            qrpay_sign(
                unsigned.as_ptr(),
                unsigned.len(),
                alg,
                key.as_ptr(),
                key.len(),
                kid.as_ptr(),
                kid.len(),
                o,
                c,
                n,
            )
        });
        assert_eq!(s, qrpay_status::QRPAY_OK);
        assert_eq!(out, signed);
        let (s, json) = call(|o, c, n| unsafe {
            qrpay_verify_key(
                signed.as_ptr(),
                signed.len(),
                alg,
                vkey.as_ptr(),
                vkey.len(),
                o,
                c,
                n,
            )
        });
        assert_eq!(s, qrpay_status::QRPAY_OK);
        assert!(json.contains("\"status\":\"signed-valid\""), "{json}");
    }
    // Errors.
    let p = "000201";
    let k = [0u8; 31];
    let (s, _) = call(|o, c, n| unsafe {
        qrpay_sign(
            p.as_ptr(),
            p.len(),
            QRPAY_SIGN_ED25519,
            k.as_ptr(),
            k.len(),
            b"k".as_ptr(),
            1,
            o,
            c,
            n,
        )
    });
    assert_eq!(s, qrpay_status::QRPAY_INVALID_ARGUMENT);
    let (s, _) = call(|o, c, n| unsafe {
        qrpay_sign(
            p.as_ptr(),
            p.len(),
            9,
            k.as_ptr(),
            k.len(),
            b"k".as_ptr(),
            1,
            o,
            c,
            n,
        )
    });
    assert_eq!(s, qrpay_status::QRPAY_INVALID_ARGUMENT);
    let k = [0u8; 32];
    let (s, _) = call(|o, c, n| unsafe {
        qrpay_sign(
            p.as_ptr(),
            p.len(),
            QRPAY_SIGN_ED25519,
            k.as_ptr(),
            k.len(),
            b"k".as_ptr(),
            1,
            o,
            c,
            n,
        )
    });
    assert_eq!(s, qrpay_status::QRPAY_SIGN_ERROR);
    let bad = br#"{"version": 2}"#;
    let (s, _) = call(|o, c, n| unsafe {
        qrpay_verify(p.as_ptr(), p.len(), bad.as_ptr(), bad.len(), 0, o, c, n)
    });
    assert_eq!(s, qrpay_status::QRPAY_TRUST_ERROR);
    let (s, _) = call(|o, c, n| unsafe {
        qrpay_verify(p.as_ptr(), p.len(), std::ptr::null(), 0, 0, o, c, n)
    });
    assert_eq!(s, qrpay_status::QRPAY_NULL_POINTER);
}
