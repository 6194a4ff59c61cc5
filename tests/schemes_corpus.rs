//! Every labelled EMV-MPM row of the corpus (spec/corpus/schemes-mpm.jsonl, copied verbatim
//! from the project corpus): `identify` finds at least the schemes the label names.

use qrpay::schemes::{self, SchemeId};
use serde_json::Value;

#[test]
fn identify_finds_the_labelled_schemes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/corpus/schemes-mpm.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        assert_eq!(row["kind"], "emv-mpm");
        let mut payload = row["payload"].as_str().unwrap();
        if row.get("wrapped").is_some() {
            // The labels describe the EMV payload the deep link carries.
            payload = payload.split_once("qPay_QRcode=").unwrap().1;
        }
        let m = qrpay::mpm::parse(payload).unwrap();
        let found = schemes::identify(&m);
        for id in row["scheme_ids"].as_array().unwrap() {
            let id: SchemeId = id.as_str().unwrap().parse().unwrap();
            assert!(found.contains(id), "{payload}: {id} not in {found:?}");
        }
        n += 1;
    }
    assert_eq!(n, 34);
}
