//! Conformance vectors: the language-neutral JSON test format of `spec/vectors/` and the
//! check of one vector against this library. Reading the files is the caller's job (the CLI's
//! `qrpay conform`, the test suite); this module does no I/O.
//!
//! ```
//! let file = r#"{"description": "demo", "vectors": [{"name": "empty", "source": "hand-made",
//!   "input": "", "mode": "strict", "expect": {"kind": "unknown", "issues": ["input.empty"]}}]}"#;
//! let f: qrpay::conform::VectorFile = serde_json::from_str(file).unwrap();
//! assert!(qrpay::conform::check(&f.vectors[0]).is_ok());
//! ```

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decode::{decode_with, Options};
use crate::json::{to_value, JsonOptions};
use crate::Mode;

/// One file of vectors.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct VectorFile {
    /// What the vectors cover.
    pub description: String,
    /// The vectors.
    pub vectors: Vec<Vector>,
}

/// One payload and what qrpay must say of it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Vector {
    /// A short unique name.
    pub name: String,
    /// Where the payload comes from.
    pub source: String,
    /// The exact text a scanner reads.
    pub input: String,
    /// `"strict"` or `"lenient"`.
    pub mode: String,
    /// The expectations.
    pub expect: Expect,
}

/// What a vector expects; absent members are not checked.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Expect {
    /// The `kind` member.
    pub kind: String,
    /// The `verdict` member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// The `crc` member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crc: Option<String>,
    /// The `valid` member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    /// The exact set of distinct issue codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<Vec<String>>,
    /// Scheme ids that must be among those reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schemes: Option<Vec<String>>,
    /// Field values by path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

/// Parses a mode name.
pub fn mode(name: &str) -> Option<Mode> {
    match name {
        "strict" => Some(Mode::Strict),
        "lenient" => Some(Mode::Lenient),
        _ => None,
    }
}

/// Checks the inspect object `got` (as produced by [`crate::json::to_value`], or by the C
/// API) against `expect`. Returns every difference.
pub fn compare(expect: &Expect, got: &Value) -> Result<(), Vec<String>> {
    let mut diffs = Vec::new();
    let s = |k: &str| got.get(k).and_then(Value::as_str);
    if s("kind") != Some(expect.kind.as_str()) {
        diffs.push(format!(
            "kind: expected {}, got {:?}",
            expect.kind,
            s("kind")
        ));
    }
    for (name, want) in [("verdict", &expect.verdict), ("crc", &expect.crc)] {
        if let Some(w) = want {
            if s(name) != Some(w.as_str()) {
                diffs.push(format!("{name}: expected {w}, got {:?}", s(name)));
            }
        }
    }
    if let Some(v) = expect.valid {
        let g = got.get("valid").and_then(Value::as_bool);
        if g != Some(v) {
            diffs.push(format!("valid: expected {v}, got {g:?}"));
        }
    }
    if let Some(want) = &expect.issues {
        let want: BTreeSet<&str> = want.iter().map(String::as_str).collect();
        let have: BTreeSet<&str> = got
            .get("issues")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|i| i.get("code")?.as_str()).collect())
            .unwrap_or_default();
        if want != have {
            diffs.push(format!("issues: expected {want:?}, got {have:?}"));
        }
    }
    if let Some(want) = &expect.schemes {
        let have: BTreeSet<&str> = got
            .get("schemes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for w in want {
            if !have.contains(w.as_str()) {
                diffs.push(format!("schemes: expected {w} among {have:?}"));
            }
        }
    }
    if let Some(want) = &expect.fields {
        let list = got.get("fields").and_then(Value::as_array);
        for (path, value) in want {
            let found = list.and_then(|l| {
                l.iter()
                    .find(|f| f.get("path").and_then(Value::as_str) == Some(path.as_str()))
                    .and_then(|f| f.get("value")?.as_str())
            });
            if found != Some(value.as_str()) {
                diffs.push(format!("field {path}: expected {value:?}, got {found:?}"));
            }
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs)
    }
}

/// Runs one vector through [`decode_with`] and compares the JSON object.
pub fn check(v: &Vector) -> Result<(), Vec<String>> {
    let Some(m) = mode(&v.mode) else {
        return Err(alloc::vec![format!("unknown mode {:?}", v.mode)]);
    };
    let d = decode_with(&v.input, Options { mode: m });
    compare(&v.expect, &to_value(&d, JsonOptions { reveal: true }))
}
