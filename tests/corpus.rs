//! The corpus of published payloads (a copy in `spec/corpus/`), labelled by an independent
//! checker: qrpay must agree on every `emv-mpm` row.

use qrpay::decode::{decode_with, Options};
use qrpay::Mode;
use serde_json::Value;

fn rows() -> Vec<Value> {
    let text = include_str!("../spec/corpus/payloads.jsonl");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("corpus line is JSON"))
        .collect()
}

#[test]
fn mpm_rows_get_their_labelled_verdict_and_crc() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for r in rows() {
        if r["kind"] != "emv-mpm" {
            continue;
        }
        let p = r["payload"].as_str().expect("payload");
        for mode in [Mode::Lenient, Mode::Strict] {
            let d = decode_with(p, Options { mode });
            let got = (
                d.kind.as_str(),
                d.verdict.as_str(),
                d.crc.map(|c| c.as_str()),
            );
            let want = (
                "emv-mpm",
                r["verdict"].as_str().expect("verdict"),
                r["crc"].as_str(),
            );
            if got != want {
                wrong.push(format!("{p}: got {got:?}, labelled {want:?}"));
            }
            // The verdict's tlv half: a broken root walk is reported as such.
            let tlv_ok = r["tlv_ok"].as_bool().expect("tlv_ok");
            let walks = d.mpm().is_some() || d.inner.is_some();
            assert_eq!(walks, tlv_ok, "{p}");
        }
        checked += 1;
    }
    assert!(checked >= 280, "only {checked} rows");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn intact_rows_never_report_errors_in_lenient_mode_except_rules_they_break_badly() {
    // Lenient mode reads what real schemes emit: an intact payload has no error there.
    for r in rows() {
        if r["kind"] != "emv-mpm" || r["verdict"] != "intact" || r.get("wrapped").is_some() {
            continue;
        }
        let p = r["payload"].as_str().expect("payload");
        let d = decode_with(
            p,
            Options {
                mode: Mode::Lenient,
            },
        );
        let errors: Vec<String> = d
            .report
            .issues()
            .iter()
            .filter(|i| i.severity == qrpay::Severity::Error)
            .map(|i| i.to_string())
            .collect();
        assert!(errors.is_empty(), "{p}: {errors:?}");
    }
}

#[test]
fn annex_example_with_chinese_text_decodes() {
    let annex = rows()
        .into_iter()
        .find(|r| r["scheme"] == "EMVCo MPM reference example (CN)")
        .expect("annex row");
    let d = qrpay::decode(annex["payload"].as_str().expect("payload"));
    assert!(d.is_intact() && d.is_valid(), "{:?}", d.report);
    let m = d.mpm().expect("view");
    let lang = m.language().expect("64");
    assert_eq!(lang.merchant_name(), Some("最佳运输"));
    assert_eq!(lang.merchant_city(), Some("北京"));
}

#[test]
fn every_row_gets_its_labelled_kind_and_schemes() {
    let mut wrong = Vec::new();
    let mut with_ids = 0;
    for r in rows() {
        let p = r["payload"].as_str().expect("payload");
        let want = r["kind"].as_str().expect("kind");
        let want = if want == "other" { "unknown" } else { want };
        let d = qrpay::decode(p);
        if d.kind.as_str() != want {
            wrong.push(format!("{p}: kind {}, labelled {want}", d.kind.as_str()));
        }
        if let Some(ids) = r.get("scheme_ids").and_then(Value::as_array) {
            with_ids += 1;
            for id in ids {
                let id = id.as_str().expect("scheme id");
                let s = qrpay::schemes::SchemeId::from_str_opt(id)
                    .unwrap_or_else(|| panic!("unknown scheme id {id} in the corpus"));
                if !d.schemes.contains(s) {
                    let got: Vec<_> = d.schemes.iter().map(|s| s.as_str()).collect();
                    wrong.push(format!("{p}: schemes {got:?} lack {id}"));
                }
            }
        }
    }
    assert!(with_ids >= 40, "only {with_ids} rows with scheme ids");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn payment_view_of_real_codes() {
    // The Thai bill-payment sample: values read off the payload text by hand.
    let thai = "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631";
    let d = qrpay::decode(thai);
    let v = qrpay::json::to_value(&d, Default::default());
    let r = &v["request"];
    assert_eq!(r["payee_name"], "SOMCHAI SHOP");
    assert_eq!(r["payee_city"], "BANGKOK");
    assert_eq!(r["amount"], "1500.00");
    assert_eq!(r["currency"], "THB");
    assert_eq!(r["country"], "TH");
    assert_eq!(r["initiation"], "dynamic");
    assert_eq!(r["networks"][0]["path"], "30");
    assert_eq!(r["networks"][0]["identifier"], "A000000677010112");
    let schemes = r["networks"][0]["schemes"].as_array().expect("schemes");
    assert!(schemes.iter().any(|s| s == "thaiqr-bill"), "{schemes:?}");

    // A UPI link: amount written with INR's two decimals.
    let d =
        qrpay::decode("upi://pay?pa=merchant@okicici&pn=Test%20Shop&am=250.5&cu=INR&tn=Order%2042");
    let v = qrpay::json::to_value(&d, Default::default());
    assert_eq!(v["request"]["payee_name"], "Test Shop");
    assert_eq!(v["request"]["amount"], "250.50");
    assert_eq!(v["request"]["currency"], "INR");
    assert_eq!(v["request"]["account"], "merchant@okicici");

    // The wrapped QPay code: the request describes the payload inside the link.
    let wrapped = rows()
        .into_iter()
        .find(|r| r.get("wrapped").is_some())
        .expect("a wrapped row");
    let d = qrpay::decode(wrapped["payload"].as_str().expect("payload"));
    let v = qrpay::json::to_value(&d, Default::default());
    assert_eq!(v["wrapper"]["param"], "qPay_QRcode");
    assert_eq!(v["request"]["currency"], "MNT");
}

/// A scanner in keyboard mode ends a code with CR LF; a copy adds spaces. Every corpus row
/// whose kind does not use line ends itself reads the same with white space around it, plus
/// one `input.whitespace` deviation (an error in strict mode, a warning in lenient mode).
#[test]
fn surrounding_white_space_is_read_and_reported() {
    use qrpay::{Code, Severity};
    let mut checked = 0;
    for r in rows() {
        let p = r["payload"].as_str().expect("payload");
        let kind = r["kind"].as_str().expect("kind");
        if p.is_empty() || p.trim() != p {
            continue;
        }
        for mode in [Mode::Lenient, Mode::Strict] {
            let bare = decode_with(p, Options { mode });
            for wrapped in [format!("{p}\r\n"), format!(" {p}"), format!("\t{p} \n")] {
                let d = decode_with(&wrapped, Options { mode });
                if matches!(kind, "epc-sct" | "swiss-qr-bill" | "unknown") {
                    // Line-based formats keep their line ends; unknown text stays unknown.
                    assert!(!d.report.has(Code::InputWhitespace), "{wrapped:?}");
                    continue;
                }
                assert_eq!(d.text, wrapped);
                assert_eq!(d.kind, bare.kind, "{wrapped:?}");
                assert_eq!(d.verdict, bare.verdict, "{wrapped:?}");
                assert_eq!(d.crc, bare.crc, "{wrapped:?}");
                assert_eq!(d.schemes, bare.schemes, "{wrapped:?}");
                let (last, rest) = d.report.issues().split_last().expect("an issue");
                assert_eq!(rest, bare.report.issues(), "{wrapped:?}");
                assert_eq!(last.code, Code::InputWhitespace);
                let want = match mode {
                    Mode::Strict => Severity::Error,
                    Mode::Lenient => Severity::Warning,
                };
                assert_eq!(last.severity, want);
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
    // White space alone is nothing to read.
    let d = decode_with(" \r\n", Options::default());
    assert_eq!(d.kind.as_str(), "unknown");
}

/// `json::to_string` writes the inspect object straight to the serializer; `json::to_value`
/// builds the `Value`, whose text (keys sorted) is the contract. They must give the same
/// bytes for every corpus payload, in both modes, masked and revealed.
#[test]
fn inspect_json_text_is_the_text_of_its_value() {
    let mut n = 0;
    for r in rows() {
        let p = r["payload"].as_str().expect("payload");
        for mode in [Mode::Lenient, Mode::Strict] {
            let d = decode_with(p, Options { mode });
            for reveal in [false, true] {
                let opts = qrpay::json::JsonOptions { reveal };
                let text = qrpay::json::to_string(&d, opts);
                assert_eq!(text, qrpay::json::to_value(&d, opts).to_string(), "{p}");
                // And it reads back as that value.
                let back: Value = serde_json::from_str(&text).expect("valid JSON");
                assert_eq!(back, qrpay::json::to_value(&d, opts), "{p}");
                n += 1;
            }
        }
    }
    assert!(n >= 4 * 300, "{n}");
}
