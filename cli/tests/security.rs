//! `qrpay totp`, `qrpay paycode`, `qrpay token` end to end.

use std::process::Command;

fn qrpay(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_qrpay"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// RFC 6238 Appendix B through the CLI.
#[test]
fn totp_rfc6238() {
    let k1 = hex("12345678901234567890");
    let k256 = hex("12345678901234567890123456789012");
    let k512 = hex("1234567890123456789012345678901234567890123456789012345678901234");
    for (k, algo, t, want) in [
        (&k1, "sha1", "1234567890", "89005924"),
        (&k256, "sha256", "2000000000", "90698825"),
        (&k512, "sha512", "1111111109", "25091201"),
    ] {
        let (rc, out, _) = qrpay(&[
            "totp",
            "--key-hex",
            k,
            "--time",
            t,
            "--digits",
            "8",
            "--algo",
            algo,
        ]);
        assert_eq!((rc, out.trim()), (0, want));
    }
}

#[test]
fn paycode_once_and_token_controls() {
    let dir = std::env::temp_dir().join(format!("qrpay-sec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let vault = dir.join("vault.json");
    let (state, vault) = (state.to_str().unwrap(), vault.to_str().unwrap());
    let key = "00112233445566778899aabbccddeeff";
    let (rc, code, _) = qrpay(&[
        "paycode",
        "generate",
        "--key-hex",
        key,
        "--time",
        "1700000000",
        "--index",
        "5",
    ]);
    assert_eq!(rc, 0);
    let code = code.trim();
    assert_eq!(code.len(), 19);
    let verify = |t: &str| {
        qrpay(&[
            "paycode",
            "verify",
            code,
            "--key-hex",
            key,
            "--time",
            t,
            "--state",
            state,
        ])
    };
    assert_eq!(verify("1700000001").0, 0);
    let (rc, _, err) = verify("1700000002");
    assert_eq!(rc, 1);
    assert!(err.contains("already used"), "{err}");

    let (rc, tok, _) = qrpay(&[
        "token",
        "issue",
        "--vault",
        vault,
        "--key-hex",
        key,
        "--pan",
        "6212345678901232",
        "--channel",
        "paycode",
    ]);
    assert_eq!(rc, 0);
    let tok = tok.trim();
    assert_ne!(tok, "6212345678901232");
    let (rc, _, err) = qrpay(&[
        "token",
        "resolve",
        tok,
        "--vault",
        vault,
        "--channel",
        "mpm",
    ]);
    assert_eq!(rc, 1);
    assert!(
        err.contains("channel") && !err.contains("6212345678901232"),
        "{err}"
    );
    let (rc, out, _) = qrpay(&[
        "token",
        "resolve",
        tok,
        "--vault",
        vault,
        "--channel",
        "paycode",
    ]);
    assert_eq!((rc, out.trim()), (0, "6212345678901232"));
    let _ = std::fs::remove_dir_all(&dir);
}
