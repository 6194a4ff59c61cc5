//! Runs spec/vectors/{upi,epc,swiss,urls,paycode} and every corpus row of the non-EMV kinds
//! through `qrpay::formats` (the lead's `conform` runner goes through `decode` instead).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use qrpay::formats::{self, wrapper};
use qrpay::{Mode, Report};
use serde_json::Value;

const DIRS: &[&str] = &["upi", "epc", "swiss", "urls", "paycode"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vector_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in DIRS {
        let dir = root().join("spec/vectors").join(d);
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn mode_of(v: &Value) -> Mode {
    match v["mode"].as_str() {
        Some("strict") => Mode::Strict,
        _ => Mode::Lenient,
    }
}

/// Checks one vector; returns a description of each disagreement.
fn run(file: &Path, v: &Value) -> Vec<String> {
    let name = format!("{}: {}", file.display(), v["name"]);
    let input = v["input"].as_str().unwrap();
    let expect = &v["expect"];
    let kind = expect["kind"].as_str().unwrap();
    let mut errs = Vec::new();
    match kind {
        "unknown" => {
            if let Some(k) = formats::detect(input) {
                errs.push(format!("{name}: detected as {}", k.as_str()));
            }
            return errs;
        }
        "emv-mpm" | "emv-cpm" => {
            let Some(w) = wrapper::unwrap(input) else {
                errs.push(format!("{name}: no wrapped payload found"));
                return errs;
            };
            let d = qrpay::decode(&w.inner);
            if d.kind.as_str() != kind {
                errs.push(format!("{name}: inner kind {}", d.kind.as_str()));
            }
            if let Some(c) = expect["crc"].as_str() {
                let got = d.crc.map(|c| c.as_str());
                if got != Some(c) {
                    errs.push(format!("{name}: crc {got:?}, expected {c}"));
                }
            }
            if let Some(vd) = expect["verdict"].as_str() {
                if d.verdict.as_str() != vd {
                    errs.push(format!("{name}: verdict {}", d.verdict.as_str()));
                }
            }
            return errs;
        }
        _ => {}
    }
    let detected = formats::detect(input).map(|k| k.as_str());
    if detected != Some(kind) {
        errs.push(format!("{name}: detected {detected:?}, expected {kind}"));
        return errs;
    }
    let Some(f) = formats::parse(input) else {
        errs.push(format!("{name}: does not parse"));
        return errs;
    };
    let mut report = Report::new(mode_of(v));
    f.validate(&mut report);
    if let Some(issues) = expect["issues"].as_array() {
        let want: BTreeSet<&str> = issues.iter().map(|i| i.as_str().unwrap()).collect();
        let got: BTreeSet<&str> = report.issues().iter().map(|i| i.code.as_str()).collect();
        if want != got {
            errs.push(format!("{name}: issues {got:?}, expected {want:?}"));
        }
    }
    if let Some(valid) = expect["valid"].as_bool() {
        if report.is_strictly_valid() != valid {
            errs.push(format!("{name}: valid {}, expected {valid}", !valid));
        }
    }
    if let Some(fields) = expect["fields"].as_object() {
        let got = f.fields();
        for (path, want) in fields {
            let want = want.as_str().unwrap();
            match got.iter().find(|g| &g.path == path) {
                Some(g) if g.value == want => {}
                Some(g) => errs.push(format!("{name}: {path} = {:?}, expected {want:?}", g.value)),
                None => errs.push(format!("{name}: no field {path}")),
            }
        }
    }
    errs
}

#[test]
fn every_vector_holds() {
    let mut errs = Vec::new();
    let mut n = 0;
    for file in vector_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        for v in doc["vectors"].as_array().unwrap() {
            n += 1;
            errs.extend(run(&file, v));
        }
    }
    assert!(n > 150, "only {n} vectors found");
    assert!(
        errs.is_empty(),
        "{} of {n} vectors fail:\n{}",
        errs.len(),
        errs.join("\n")
    );
}

#[test]
fn every_vector_file_names_each_issue_code_it_expects() {
    // Every code a vector expects exists, and every code of these formats is expected by at
    // least one vector.
    let mut seen = BTreeSet::new();
    for file in vector_files() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for v in doc["vectors"].as_array().unwrap() {
            for i in v["expect"]["issues"].as_array().into_iter().flatten() {
                let c = i.as_str().unwrap();
                assert!(qrpay::Code::from_str_opt(c).is_some(), "unknown code {c}");
                seen.insert(c.to_string());
            }
        }
    }
    for c in qrpay::Code::ALL {
        let s = c.as_str();
        if ["upi.", "epc.", "swiss.", "url.", "paycode."]
            .iter()
            .any(|p| s.starts_with(p))
        {
            assert!(seen.contains(s), "no vector expects {s}");
        }
    }
}

/// The corpus rows of the non-EMV kinds (copied from the shared corpus with their labels).
fn corpus() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join("spec/corpus/formats.jsonl")).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_corpus_row_detects_as_its_label_and_parses() {
    let rows = corpus();
    let mut counts = std::collections::BTreeMap::new();
    for r in &rows {
        let payload = r["payload"].as_str().unwrap();
        let kind = r["kind"].as_str().unwrap();
        if r.get("wrapped").is_some() {
            let w = wrapper::unwrap(payload).expect("wrapped payload found");
            assert_eq!(qrpay::decode(&w.inner).kind.as_str(), kind, "{payload}");
            assert!(formats::detect(payload).is_none());
            continue;
        }
        *counts.entry(kind).or_insert(0) += 1;
        assert_eq!(
            formats::detect(payload).map(|k| k.as_str()),
            Some(kind),
            "{payload}"
        );
        let f = formats::parse(payload).expect("parses");
        assert_eq!(f.kind().as_str(), kind);
        assert!(!f.fields().is_empty());
        // Labelled scheme ids name the wallet.
        if let Some(ids) = r["scheme_ids"].as_array() {
            let fields = f.fields();
            for id in ids {
                let id = id.as_str().unwrap();
                if kind != "upi" {
                    assert!(
                        fields.iter().any(|g| g.path == "wallet" && g.value == id),
                        "{payload}: {id}"
                    );
                }
            }
        }
    }
    // The label counts of the shared corpus (payloads.jsonl) for these kinds.
    let want = [
        ("alipay-url", 1),
        ("epc-sct", 3),
        ("paycode", 2),
        ("swiss-qr-bill", 21),
        ("unionpay-url", 1),
        ("upi", 2),
        ("wechat-url", 1),
    ];
    assert_eq!(counts.into_iter().collect::<Vec<_>>(), want);
}

#[test]
fn emv_payloads_are_none_of_these_formats() {
    // EMV MPM payloads start with digits; none may pass for a payment code or anything else.
    for p in [
        "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING6304A13A",
        "000201010211",
        "0002010102115204000053037645802TH6304ABCD",
        "hQVDUFYwMWETTwegAAAAVVVVVVcTQ3YAAAAAAAAW0jAiAQFH",
    ] {
        assert_eq!(formats::detect(p), None, "{p}");
    }
}
