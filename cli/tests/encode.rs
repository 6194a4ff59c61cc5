//! `qrpay encode` builds codes that `qrpay inspect` reads back with the same fields.

use std::process::Command;

fn qrpay(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qrpay"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn inspect(payload: &str) -> serde_json::Value {
    let (code, out, err) = qrpay(&["inspect", "--json", "--strict", payload]);
    assert!(code == 0 || code == 1, "{err}");
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn pix_from_key_value_pairs() {
    let (code, p, err) = qrpay(&[
        "encode",
        "--scheme",
        "pix",
        "key=+5561912345678",
        "name=FULANO DE TAL",
        "city=BRASILIA",
        "amount=10.00",
        "txid=PEDIDO42",
    ]);
    assert_eq!(code, 0, "{err}");
    let v = inspect(&p);
    assert_eq!(v["kind"], "emv-mpm");
    assert_eq!(v["verdict"], "intact");
    assert!(v["schemes"].as_array().unwrap().iter().any(|s| s == "pix"));
    assert_eq!(v["request"]["payee_name"], "FULANO DE TAL");
    assert_eq!(v["request"]["amount"], "10.00");
    assert_eq!(v["request"]["currency"], "BRL");
    assert_eq!(v["request"]["reference"], "PEDIDO42");
}

#[test]
fn promptpay_paynow_vietqr_upi_and_raw_emv() {
    for (args, kind, scheme) in [
        (
            vec!["--scheme", "promptpay", "mobile=0812345678", "amount=50.00"],
            "emv-mpm",
            "promptpay",
        ),
        (
            vec!["--scheme", "paynow", "mobile=+6591234567", "amount=5.00"],
            "emv-mpm",
            "paynow",
        ),
        (
            vec![
                "--scheme",
                "vietqr",
                "bin=970422",
                "account=0123456789",
                "amount=10000",
            ],
            "emv-mpm",
            "vietqr",
        ),
        (
            vec!["--scheme", "upi", "pa=shop@okaxis", "pn=Shop", "am=12.50"],
            "upi",
            "upi",
        ),
    ] {
        let mut a = vec!["encode"];
        a.extend(args.iter().copied());
        let (code, p, err) = qrpay(&a);
        assert_eq!(code, 0, "{args:?}: {err}");
        let v = inspect(&p);
        assert_eq!(v["kind"], kind, "{p}");
        assert_eq!(v["verdict"], "intact", "{p}");
        assert!(
            v["schemes"].as_array().unwrap().iter().any(|s| s == scheme),
            "{p}: {v}"
        );
    }
    let desc = r#"{"mcc":"5812","currency":"THB","country":"TH","merchant_name":"SHOP","merchant_city":"BANGKOK","accounts":[{"id":29,"guid":"A000000677010111","fields":{"01":"0066812345678"}}]}"#;
    let (code, p, err) = qrpay(&["encode", desc]);
    assert_eq!(code, 0, "{err}");
    let v = inspect(&p);
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["request"]["payee_city"], "BANGKOK");
}

#[test]
fn refusals_name_the_problem() {
    let (code, _, err) = qrpay(&["encode", "--scheme", "pix", "key=x"]);
    assert_eq!(code, 1);
    assert!(err.contains("name"), "{err}");
    let (code, _, err) = qrpay(&["encode", "--scheme", "nope", "a=b"]);
    assert_eq!(code, 1);
    assert!(err.contains("nope"), "{err}");
    let (code, _, err) = qrpay(&["encode", "--scheme", "pix", "colour=red"]);
    assert_eq!(code, 1);
    assert!(err.contains("colour"), "{err}");
}
