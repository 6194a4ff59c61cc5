//! Directory files (feature `json`) and the JSON of a [`Decision`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Deserialize;
use serde_json::{json, Value};

use super::directory::{parse_date, Directory, DirectoryBuilder, DirectoryError, EntrySpec};
use super::{Decision, KeyKind, FORMAT};
use crate::schemes::SchemeId;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: String,
    version: String,
    effective: String,
    entries: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    kind: String,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    lengths: Option<[u64; 2]>,
    scheme: String,
    network: String,
    countries: Vec<String>,
    currencies: Vec<String>,
    clearing: String,
    source: String,
}

impl Directory {
    /// Reads a directory file (format in `spec/routing/README.md`). Every entry is checked
    /// before anything is returned: an error means nothing was loaded.
    ///
    /// ```
    /// use qrpay::routing::{Directory, DirectoryError, Merge};
    /// let mine = br#"{"format": "qrpay-routing/1", "version": "mine-1", "effective": "2026-01-01",
    ///   "entries": [{"kind": "guid", "keys": ["com.example.pay"], "scheme": "pix",
    ///   "network": "example", "countries": ["BR"], "currencies": ["BRL"],
    ///   "clearing": "pix-spi", "source": "our contract"}]}"#;
    /// let mine = Directory::from_json(mine).unwrap();
    /// let all = Directory::builtin().merge(&mine, Merge::Strict).unwrap();
    /// assert_eq!(all.lookup_guid("COM.EXAMPLE.PAY").unwrap().network.network, "example");
    /// assert_eq!(all.lookup_guid("br.gov.bcb.pix").unwrap().network.clearing, "pix-spi");
    ///
    /// let bad = br#"{"format": "qrpay-routing/1", "version": "x", "effective": "2026-01-01",
    ///   "entries": [{"kind": "guid", "keys": ["a"], "scheme": "zelle", "network": "z",
    ///   "countries": [], "currencies": [], "clearing": "z", "source": "s"}]}"#;
    /// assert!(matches!(Directory::from_json(bad), Err(DirectoryError::UnknownScheme { .. })));
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Directory, DirectoryError> {
        let raw: RawFile =
            serde_json::from_slice(bytes).map_err(|e| DirectoryError::Shape(e.to_string()))?;
        if raw.format != FORMAT {
            return Err(DirectoryError::Format(
                raw.format.chars().take(64).collect(),
            ));
        }
        let effective = parse_date(&raw.effective)
            .ok_or_else(|| DirectoryError::Effective(raw.effective.chars().take(64).collect()))?;
        let mut b = DirectoryBuilder::new(&raw.version, effective)?;
        for (i, e) in raw.entries.iter().enumerate() {
            let kind =
                KeyKind::from_str_opt(&e.kind).ok_or_else(|| DirectoryError::UnknownKind {
                    entry: i,
                    value: e.kind.chars().take(64).collect(),
                })?;
            let scheme =
                SchemeId::from_str_opt(&e.scheme).ok_or_else(|| DirectoryError::UnknownScheme {
                    entry: i,
                    value: e.scheme.chars().take(64).collect(),
                })?;
            let lengths = match e.lengths {
                None => None,
                Some([a, b]) => match (u8::try_from(a), u8::try_from(b)) {
                    (Ok(a), Ok(b)) => Some((a, b)),
                    _ => {
                        return Err(DirectoryError::BadField {
                            entry: i,
                            field: "lengths",
                            why: "want [min, max] with 1 <= min <= max <= 64",
                        })
                    }
                },
            };
            let keys: Vec<&str> = e.keys.iter().map(String::as_str).collect();
            let countries: Vec<&str> = e.countries.iter().map(String::as_str).collect();
            let currencies: Vec<&str> = e.currencies.iter().map(String::as_str).collect();
            b.add(&EntrySpec {
                kind,
                keys: &keys,
                lengths,
                scheme,
                network: &e.network,
                countries: &countries,
                currencies: &currencies,
                clearing: &e.clearing,
                source: &e.source,
            })?;
        }
        Ok(b.build())
    }
}

/// A decision as JSON: `chosen` (scheme id or `null`), `reason`, `message`, `candidates`
/// (ranked; each `scheme`, `network`, `clearing`, `path`, `identifier`, `matched`, `priority`
/// or `null`, `status`), `unrouted` (`path`, `identifier`), `profile`, `directory`.
pub fn decision_to_value(d: &Decision) -> Value {
    json!({
        "chosen": d.chosen.map(SchemeId::as_str),
        "reason": d.reason.as_str(),
        "message": d.reason.message(),
        "candidates": d.candidates.iter().map(|c| json!({
            "scheme": c.scheme.as_str(),
            "network": c.network,
            "clearing": c.clearing,
            "path": c.path,
            "identifier": c.identifier,
            "matched": c.matched.as_str(),
            "priority": c.priority,
            "status": c.status.as_str(),
        })).collect::<Vec<_>>(),
        "unrouted": d.unrouted.iter().map(|u| json!({
            "path": u.path,
            "identifier": u.identifier,
        })).collect::<Vec<_>>(),
        "profile": d.profile,
        "directory": d.directory,
    })
}

/// [`decision_to_value`] as compact text.
pub fn decision_to_string(d: &Decision) -> String {
    decision_to_value(d).to_string()
}
