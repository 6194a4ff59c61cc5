//! Directory files (feature `json`), routing profiles as JSON, and the JSON of a [`Decision`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Deserialize;
use serde_json::{json, Value};

use super::directory::{parse_date, Directory, DirectoryBuilder, DirectoryError, EntrySpec};
use super::{Accept, Decision, KeyKind, Profile, Role, FORMAT};
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

/// Why a routing profile given as JSON was refused. Nothing is half-read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The text is not JSON.
    #[error("not JSON: {0}")]
    Json(String),
    /// The JSON is not of the documented shape (a missing, unknown or mistyped member).
    #[error("not a routing profile: {0}")]
    Shape(&'static str),
    /// A scheme id qrpay does not know.
    #[error("unknown scheme id {0:?}")]
    UnknownScheme(String),
    /// `role` is neither `wallet` nor `acquirer`.
    #[error("unknown role {0:?} (want \"wallet\" or \"acquirer\")")]
    Role(String),
}

/// Longest profile name, in bytes.
const MAX_NAME: usize = 1024;

fn short(s: &str) -> String {
    s.chars().take(64).collect()
}

fn codes(v: Option<&Value>, what: &'static str) -> Result<Vec<String>, ProfileError> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|c| {
                c.as_str()
                    .filter(|c| (1..=8).contains(&c.len()))
                    .map(str::to_ascii_uppercase)
                    .ok_or(ProfileError::Shape(what))
            })
            .collect(),
        Some(_) => Err(ProfileError::Shape(what)),
    }
}

fn accept_of(v: &Value) -> Result<Accept, ProfileError> {
    let scheme =
        |s: &str| SchemeId::from_str_opt(s).ok_or_else(|| ProfileError::UnknownScheme(short(s)));
    match v {
        Value::String(s) => Ok(Accept::any(scheme(s)?)),
        Value::Object(o) => {
            if o.keys()
                .any(|k| !matches!(k.as_str(), "scheme" | "countries" | "currencies"))
            {
                return Err(ProfileError::Shape(
                    "an accept entry has only scheme, countries and currencies",
                ));
            }
            let id = o
                .get("scheme")
                .and_then(Value::as_str)
                .ok_or(ProfileError::Shape("an accept entry needs a scheme string"))?;
            Ok(Accept {
                scheme: scheme(id)?,
                countries: codes(
                    o.get("countries"),
                    "countries is an array of ISO 3166-1 alpha-2 codes",
                )?,
                currencies: codes(
                    o.get("currencies"),
                    "currencies is an array of ISO 4217 alphabetic codes",
                )?,
            })
        }
        _ => Err(ProfileError::Shape(
            "an accept entry is a scheme id or an object",
        )),
    }
}

impl Profile {
    /// Reads a profile from JSON: either an object
    /// `{"name": "upi-app", "role": "wallet", "accept": [{"scheme": "upi", "countries": ["IN"],
    /// "currencies": ["INR"]}, "visa"], "now_ms": 1767225600000}` (only `accept` is required;
    /// `name` defaults to `"profile"`, `role` to `"wallet"`, `now_ms` to none, i.e. no expiry
    /// check; an accept entry is a scheme id or an object whose `countries` and `currencies`
    /// default to any), or a bare array of scheme ids in priority order (a wallet).
    /// Unknown members are errors.
    ///
    /// ```
    /// use qrpay::routing::{Profile, Role};
    /// use qrpay::schemes::SchemeId;
    /// let p = Profile::from_json(br#"["upi", "visa"]"#).unwrap();
    /// assert_eq!(p, Profile::wallet("profile", &[SchemeId::Upi, SchemeId::Visa]));
    /// let p = Profile::from_json(br#"{"name": "t", "role": "acquirer",
    ///     "accept": [{"scheme": "alipay", "countries": ["cn"]}], "now_ms": 5}"#).unwrap();
    /// assert_eq!(p, Profile::acquirer("t", &[SchemeId::Alipay]).in_countries(&["CN"]).at(5));
    /// assert!(Profile::from_json(br#"["zelle"]"#).is_err());
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Profile, ProfileError> {
        let v: Value =
            serde_json::from_slice(bytes).map_err(|e| ProfileError::Json(e.to_string()))?;
        let accept_list = |v: Option<&Value>| match v {
            Some(Value::Array(a)) => a.iter().map(accept_of).collect::<Result<Vec<_>, _>>(),
            _ => Err(ProfileError::Shape("accept is an array")),
        };
        match &v {
            Value::Array(_) => Ok(Profile {
                name: "profile".to_string(),
                role: Role::Wallet,
                accept: accept_list(Some(&v))?,
                now_ms: None,
            }),
            Value::Object(o) => {
                if o.keys()
                    .any(|k| !matches!(k.as_str(), "name" | "role" | "accept" | "now_ms"))
                {
                    return Err(ProfileError::Shape(
                        "a profile has only name, role, accept and now_ms",
                    ));
                }
                let name = match o.get("name") {
                    None => "profile".to_string(),
                    Some(Value::String(s)) if s.len() <= MAX_NAME => s.clone(),
                    Some(_) => return Err(ProfileError::Shape("name is a string")),
                };
                let role = match o.get("role") {
                    None => Role::Wallet,
                    Some(Value::String(s)) if s == "wallet" => Role::Wallet,
                    Some(Value::String(s)) if s == "acquirer" => Role::Acquirer,
                    Some(Value::String(s)) => return Err(ProfileError::Role(short(s))),
                    Some(_) => return Err(ProfileError::Shape("role is a string")),
                };
                let now_ms = match o.get("now_ms") {
                    None | Some(Value::Null) => None,
                    Some(n) => Some(n.as_u64().ok_or(ProfileError::Shape(
                        "now_ms is a whole number of milliseconds since 1970",
                    ))?),
                };
                Ok(Profile {
                    name,
                    role,
                    accept: accept_list(o.get("accept"))?,
                    now_ms,
                })
            }
            _ => Err(ProfileError::Shape(
                "a profile is an object or an array of scheme ids",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_json_errors() {
        let bad = |t: &str| Profile::from_json(t.as_bytes()).unwrap_err();
        assert!(matches!(bad("{"), ProfileError::Json(_)));
        assert!(matches!(bad("42"), ProfileError::Shape(_)));
        assert!(matches!(bad("{}"), ProfileError::Shape(_)));
        assert!(matches!(
            bad(r#"{"accept": "upi"}"#),
            ProfileError::Shape(_)
        ));
        assert!(matches!(
            bad(r#"{"accept": [], "colour": 1}"#),
            ProfileError::Shape(_)
        ));
        assert!(matches!(
            bad(r#"{"accept": [{"scheme": "upi", "limit": 1}]}"#),
            ProfileError::Shape(_)
        ));
        assert!(matches!(
            bad(r#"{"accept": [{"scheme": "upi", "countries": "IN"}]}"#),
            ProfileError::Shape(_)
        ));
        assert!(matches!(
            bad(r#"{"accept": ["upi"], "now_ms": -1}"#),
            ProfileError::Shape(_)
        ));
        assert_eq!(
            bad(r#"{"accept": ["upi"], "role": "merchant"}"#),
            ProfileError::Role("merchant".into())
        );
        assert_eq!(bad(r#"["UPI"]"#), ProfileError::UnknownScheme("UPI".into()));
    }

    #[test]
    fn profile_json_members() {
        let p = Profile::from_json(
            br#"{"name": "w", "accept": [{"scheme": "upi", "currencies": ["inr"]}, "visa"],
                 "now_ms": null}"#,
        )
        .unwrap();
        assert_eq!(p.name, "w");
        assert_eq!(p.role, Role::Wallet);
        assert_eq!(p.now_ms, None);
        assert_eq!(p.accept.len(), 2);
        assert_eq!(p.accept[0].scheme, SchemeId::Upi);
        assert_eq!(p.accept[0].currencies, ["INR"]);
        assert!(p.accept[0].countries.is_empty());
        assert_eq!(p.accept[1], Accept::any(SchemeId::Visa));
        // An empty list is a profile that takes nothing.
        assert!(Profile::from_json(b"[]").unwrap().accept.is_empty());
    }
}
