//! Runs every vector in `spec/vectors/` (the same files `qrpay conform` runs).

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("spec/vectors is readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn vectors_under(sub: &str) -> Vec<(PathBuf, qrpay::conform::Vector)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("spec/vectors")
        .join(sub);
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("vector file");
        let file: qrpay::conform::VectorFile =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for v in file.vectors {
            out.push((f.clone(), v));
        }
    }
    out
}

#[test]
fn every_vector_passes() {
    let all = vectors_under("");
    let mut failures = Vec::new();
    for (f, v) in &all {
        if let Err(d) = qrpay::conform::check(v) {
            failures.push(format!("{}: {}: {}", f.display(), v.name, d.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn mpm_vectors_cover_every_mpm_issue_code() {
    let mpm = vectors_under("mpm");
    assert!(mpm.len() >= 150, "only {} MPM vectors", mpm.len());
    let mut names = std::collections::BTreeSet::new();
    for (_, v) in &mpm {
        assert!(
            names.insert(v.name.clone()),
            "duplicate vector name {}",
            v.name
        );
    }
    let covered: std::collections::BTreeSet<String> = mpm
        .iter()
        .flat_map(|(_, v)| v.expect.issues.clone().unwrap_or_default())
        .collect();
    for code in [
        "input.empty",
        "input.too-long",
        "tlv.header",
        "tlv.truncated",
        "tlv.zero-length",
        "crc.missing",
        "crc.mismatch",
        "crc.lowercase",
        "tag.duplicate",
        "tag.order",
        "tag.rfu",
        "field.missing",
        "field.format",
        "field.length",
        "field.value",
        "amount.invalid",
        "amount.decimals",
        "fee.inconsistent",
        "template.guid-missing",
        "template.empty",
        "pfi.unknown",
        "account.missing",
        "currency.unknown",
        "initiation.inconsistent",
        "payload.length",
        "kind.unknown",
    ] {
        assert!(covered.contains(code), "no vector expects {code}");
    }
}
