//! `qrpay sign` writes the reference payloads of spec/signing/vectors.json and `qrpay verify`
//! reports their statuses, with exit 0 only for signed-valid.

use std::process::Command;

fn qrpay(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qrpay"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn vectors() -> serde_json::Value {
    let t = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/signing/vectors.json"
    ))
    .unwrap();
    serde_json::from_str(&t).unwrap()
}

#[test]
fn sign_and_verify_the_reference_vectors() {
    let v = vectors();
    let ed = &v["keys"]["ed25519"];
    let hm = &v["keys"]["hmac-sha256-128"];
    let hmac_arg = format!(
        "{}={}",
        hm["key_id"].as_str().unwrap(),
        hm["key_hex"].as_str().unwrap()
    );
    for t in v["vectors"].as_array().unwrap() {
        let signed = t["signed"].as_str().unwrap();
        let expect = t["expect"].as_str().unwrap();
        let (code, out, err) = qrpay(&[
            "verify",
            signed,
            "--trust",
            "spec/routing/trust.json",
            "--hmac-key",
            &hmac_arg,
            "--time",
            "1800000000",
            "--json",
        ]);
        let status: serde_json::Value = serde_json::from_str(&out).expect(&err);
        assert_eq!(status["status"], expect, "{signed}");
        assert_eq!(code, if expect == "signed-valid" { 0 } else { 1 }, "{err}");
        let Some(unsigned) = t["unsigned"].as_str() else {
            continue;
        };
        if expect != "signed-valid" {
            continue;
        }
        let (alg, key, kid) = if t["algorithm"] == "ed25519" {
            (
                "ed25519",
                ed["seed_hex"].as_str().unwrap(),
                ed["key_id"].as_str().unwrap(),
            )
        } else {
            (
                "hmac",
                hm["key_hex"].as_str().unwrap(),
                hm["key_id"].as_str().unwrap(),
            )
        };
        let (code, out, err) = qrpay(&[
            "sign",
            unsigned,
            "--alg",
            alg,
            "--key-hex",
            key,
            "--key-id",
            kid,
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, signed);
    }
}

#[test]
fn direct_keys_time_and_exit_codes() {
    let v = vectors();
    let signed = v["vectors"][0]["signed"].as_str().unwrap();
    let pk = v["keys"]["ed25519"]["public_key_hex"].as_str().unwrap();
    let (code, out, _) = qrpay(&["verify", signed, "--public-key-hex", pk]);
    assert_eq!((code, out.split(' ').next().unwrap()), (0, "signed-valid"));
    let (code, out, _) = qrpay(&[
        "verify",
        signed,
        "--public-key-hex",
        pk,
        "--key-id",
        "other",
    ]);
    assert_eq!(
        (code, out.as_str()),
        (1, "signed-unknown-key (ed25519, key acq-test-1)")
    );
    // The shipped list's key expires at the end of 2028.
    let (code, out, _) = qrpay(&[
        "verify",
        signed,
        "--trust",
        "spec/routing/trust.json",
        "--time",
        "1900000000",
    ]);
    assert_eq!(
        (code, out.split(' ').next().unwrap()),
        (1, "signed-expired-key")
    );
    let unsigned = v["vectors"][0]["unsigned"].as_str().unwrap();
    let (code, out, _) = qrpay(&["verify", unsigned, "--public-key-hex", pk]);
    assert_eq!((code, out.as_str()), (1, "unsigned"));
    // Bad arguments: exit 2.
    let (code, _, err) = qrpay(&["verify", signed]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = qrpay(&["sign", unsigned, "--alg", "ed25519", "--key-hex", "abcd"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("32 bytes"), "{err}");
    // A payload that cannot be signed: exit 1 with the reason.
    let (code, _, err) = qrpay(&[
        "sign",
        "hello",
        "--alg",
        "hmac",
        "--key-hex",
        &"00".repeat(16),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot be signed"), "{err}");
}
