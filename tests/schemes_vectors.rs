//! Runs spec/vectors/schemes/**/*.json: decode (EMV rules and CRC) plus the scheme profiles,
//! and compares kind, verdict, CRC, validity, the exact issue set, the schemes found and
//! field values with the expectations written in the files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use qrpay::decode::Options;
use qrpay::mpm::{Mpm, Template};
use qrpay::{schemes, Mode, Report};
use serde_json::Value;

fn field<'a>(m: &Mpm<'a>, path: &str) -> Option<&'a str> {
    let mut ids = path.split('.').map(|s| s.parse::<u8>().ok());
    let root = ids.next()??;
    let mut v = m.get(root)?;
    for id in ids {
        v = Template::new(v, 0).get(id?)?;
    }
    Some(v)
}

fn mode(v: &Value) -> Mode {
    match v["mode"].as_str() {
        Some("strict") => Mode::Strict,
        _ => Mode::Lenient,
    }
}

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/vectors/schemes");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for f in std::fs::read_dir(dir).unwrap() {
                let p = f.unwrap().path();
                if p.extension().is_some_and(|e| e == "json") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

fn run_file(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    let vectors = file["vectors"].as_array().unwrap();
    for v in vectors {
        let name = format!("{}: {}", path.display(), v["name"].as_str().unwrap());
        let input = v["input"].as_str().unwrap();
        let exp = &v["expect"];
        let d = qrpay::decode_with(input, Options { mode: mode(v) });
        assert_eq!(d.kind.as_str(), exp["kind"].as_str().unwrap(), "{name}");
        if let Some(verdict) = exp["verdict"].as_str() {
            assert_eq!(d.verdict.as_str(), verdict, "{name}");
        }
        if let Some(crc) = exp["crc"].as_str() {
            assert_eq!(d.crc.map(|c| c.as_str()), Some(crc), "{name}");
        }
        let mut report = Report::new(mode(v));
        let found = d.mpm().map(schemes::identify).unwrap_or_default();
        if let Some(m) = d.mpm() {
            schemes::validate(m, &mut report);
        }
        let all: Vec<_> = d.report.issues().iter().chain(report.issues()).collect();
        if let Some(valid) = exp["valid"].as_bool() {
            let strictly = all.iter().all(|i| i.class == qrpay::report::Class::Advice);
            assert_eq!(strictly, valid, "{name}: {all:?}");
        }
        if let Some(issues) = exp["issues"].as_array() {
            let want: BTreeSet<&str> = issues.iter().map(|i| i.as_str().unwrap()).collect();
            let got: BTreeSet<&str> = all.iter().map(|i| i.code.as_str()).collect();
            assert_eq!(got, want, "{name}");
        }
        if let Some(ids) = exp["schemes"].as_array() {
            for id in ids {
                let id: schemes::SchemeId = id.as_str().unwrap().parse().unwrap();
                assert!(found.contains(id), "{name}: {id} not in {found:?}");
            }
        }
        if let Some(fields) = exp["fields"].as_object() {
            let m = d.mpm().unwrap();
            for (p, want) in fields {
                assert_eq!(field(m, p), want.as_str(), "{name}: field {p}");
            }
        }
    }
    vectors.len()
}

#[test]
fn scheme_vectors() {
    let n: usize = files().iter().map(|p| run_file(p)).sum();
    assert!(n >= 80, "only {n} vectors");
}

/// Every issue code the scheme profiles define has at least one vector that expects it.
#[test]
fn every_scheme_code_has_an_invalid_vector() {
    let mut expected = BTreeSet::new();
    for p in files() {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        for v in file["vectors"].as_array().unwrap() {
            for i in v["expect"]["issues"].as_array().into_iter().flatten() {
                expected.insert(i.as_str().unwrap().to_string());
            }
        }
    }
    for c in qrpay::Code::ALL {
        if c.as_str().starts_with("scheme.") {
            assert!(expected.contains(c.as_str()), "no vector for {c}");
        }
    }
}
