//! The trust store: which keys verify which acquirers' codes, and when.

use alloc::string::String;
use alloc::vec::Vec;

use super::{is_key_id, Algorithm, SignError, VerifyKey};
use crate::otp::SecretKey;

/// Why a trust list or entry was refused. A refused list is not loaded at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// The bytes are not JSON of the trust-list shape (the parser's message).
    #[error("the trust list is not JSON of the expected shape: {0}")]
    Json(String),
    /// The version is not 1.
    #[error("trust list version {0} is not supported (expected 1)")]
    Version(u64),
    /// The effective date is not `YYYY-MM-DD`.
    #[error("the effective date is not YYYY-MM-DD")]
    Effective,
    /// An entry is unusable.
    #[error("entry {index}: {reason}")]
    Entry {
        /// 0-based position in `entries`.
        index: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Two entries have the same key id.
    #[error("entry {index}: key id {key_id} is listed twice")]
    Duplicate {
        /// 0-based position of the second one.
        index: usize,
        /// The key id.
        key_id: String,
    },
    /// No HMAC entry has this key id (when attaching an HMAC secret).
    #[error("no HMAC entry has key id {0}")]
    NoHmacEntry(String),
    /// A key is unusable.
    #[error("{0}")]
    Key(SignError),
}

/// One trusted key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustEntry {
    /// The key id codes name; `None` matches any key id (a key given directly).
    pub key_id: Option<String>,
    /// The algorithm the key is for.
    pub algorithm: Algorithm,
    /// The key. `None` for an HMAC entry of a trust list whose secret the caller has not
    /// attached (see [`TrustStore::attach_hmac_key`]).
    pub key: Option<VerifyKey>,
    /// First second (Unix time) the key is valid, inclusive.
    pub not_before: u64,
    /// Last second (Unix time) the key is valid, inclusive.
    pub not_after: u64,
    /// Who signs with the key (the acquirer's name).
    pub signer: String,
    /// Where the key was published.
    pub source: String,
}

impl TrustEntry {
    /// An entry valid at all times.
    pub fn new(key_id: Option<&str>, key: VerifyKey, signer: &str) -> TrustEntry {
        TrustEntry {
            key_id: key_id.map(String::from),
            algorithm: key.algorithm(),
            key: Some(key),
            not_before: 0,
            not_after: u64::MAX,
            signer: String::from(signer),
            source: String::new(),
        }
    }

    /// True when `not_before <= now <= not_after`.
    pub fn valid_at(&self, now: u64) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

/// Trusted keys by key id. Built in code or loaded from `spec/routing/trust.json`-style
/// bytes ([`TrustStore::from_json`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustStore {
    version: u64,
    effective: String,
    entries: Vec<TrustEntry>,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> TrustStore {
        TrustStore {
            version: 1,
            effective: String::new(),
            entries: Vec::new(),
        }
    }

    /// A store of one key, valid at all times, for key id `key_id` (or any key id); its
    /// signer is "the key given".
    pub fn single(key: VerifyKey, key_id: Option<&str>) -> Result<TrustStore, TrustError> {
        let mut s = TrustStore::new();
        s.insert(TrustEntry::new(key_id, key, "the key given"))?;
        Ok(s)
    }

    /// Adds an entry; refuses a malformed key id, a duplicate key id, a validity period
    /// that ends before it starts, or a key of another algorithm than the entry's.
    pub fn insert(&mut self, e: TrustEntry) -> Result<(), TrustError> {
        let index = self.entries.len();
        let bad = |reason| TrustError::Entry { index, reason };
        if let Some(k) = &e.key_id {
            if !is_key_id(k) {
                return Err(bad(
                    "key_id must be 1 to 32 letters, digits, '.', '_', ':' or '-'",
                ));
            }
        }
        if e.not_before > e.not_after {
            return Err(bad("not_before is after not_after"));
        }
        if e.key.as_ref().is_some_and(|k| k.algorithm() != e.algorithm) {
            return Err(bad("the key is not for the entry's algorithm"));
        }
        if self.entries.iter().any(|x| x.key_id == e.key_id) {
            return Err(TrustError::Duplicate {
                index,
                key_id: e.key_id.unwrap_or_default(),
            });
        }
        self.entries.push(e);
        Ok(())
    }

    /// Supplies the secret of the HMAC entry `key_id` (trust lists never carry HMAC keys).
    pub fn attach_hmac_key(&mut self, key_id: &str, key: SecretKey) -> Result<(), TrustError> {
        let key = VerifyKey::hmac(key).map_err(TrustError::Key)?;
        let e = self
            .entries
            .iter_mut()
            .find(|e| e.algorithm == Algorithm::HmacSha256 && e.key_id.as_deref() == Some(key_id))
            .ok_or_else(|| TrustError::NoHmacEntry(String::from(key_id)))?;
        e.key = Some(key);
        Ok(())
    }

    /// The entry for `key_id`: the one with that id, else one that matches any id.
    pub fn find(&self, key_id: &str) -> Option<&TrustEntry> {
        self.entries
            .iter()
            .find(|e| e.key_id.as_deref() == Some(key_id))
            .or_else(|| self.entries.iter().find(|e| e.key_id.is_none()))
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[TrustEntry] {
        &self.entries
    }

    /// The list's version (1).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The list's effective date (`YYYY-MM-DD`; empty for a store built in code).
    pub fn effective(&self) -> &str {
        &self.effective
    }

    /// Loads a trust list (the format of `spec/signing.md`, e.g. `spec/routing/trust.json`).
    /// Either every entry loads or none does.
    ///
    /// ```
    /// let json = br#"{"version": 1, "effective": "2026-01-01", "entries": [
    ///   {"key_id": "acq-1", "algorithm": "ed25519",
    ///    "public_key_hex": "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    ///    "not_before": 0, "not_after": 4102444799, "signer": "Example Acquirer", "source": "test"}]}"#;
    /// let store = qrpay::sign::TrustStore::from_json(json).unwrap();
    /// assert_eq!(store.find("acq-1").unwrap().signer, "Example Acquirer");
    /// assert!(qrpay::sign::TrustStore::from_json(b"{}").is_err());
    /// ```
    #[cfg(feature = "json")]
    pub fn from_json(bytes: &[u8]) -> Result<TrustStore, TrustError> {
        let raw: RawList = serde_json::from_slice(bytes)
            .map_err(|e| TrustError::Json(alloc::string::ToString::to_string(&e)))?;
        if raw.version != 1 {
            return Err(TrustError::Version(raw.version));
        }
        if !is_date(&raw.effective) {
            return Err(TrustError::Effective);
        }
        let mut store = TrustStore {
            version: raw.version,
            effective: raw.effective,
            entries: Vec::with_capacity(raw.entries.len()),
        };
        for (index, r) in raw.entries.into_iter().enumerate() {
            let bad = |reason| TrustError::Entry { index, reason };
            let algorithm = Algorithm::from_name(&r.algorithm)
                .filter(|_| r.algorithm != "hmac")
                .ok_or(bad("algorithm must be ed25519 or hmac-sha256-128"))?;
            let key = match (algorithm, r.public_key_hex.as_deref()) {
                (Algorithm::Ed25519, Some(h)) => Some(VerifyKey::ed25519_hex(h).map_err(|_| {
                    bad("public_key_hex is not a valid Ed25519 public key (64 hex digits)")
                })?),
                (Algorithm::Ed25519, None) => {
                    return Err(bad("an ed25519 entry needs public_key_hex"))
                }
                (Algorithm::HmacSha256, None) => None,
                (Algorithm::HmacSha256, Some(_)) => {
                    return Err(bad(
                        "an HMAC entry has no public key (its secret is supplied by the caller)",
                    ))
                }
            };
            if r.signer.is_empty() {
                return Err(bad("signer is empty"));
            }
            if !is_key_id(&r.key_id) {
                return Err(bad(
                    "key_id must be 1 to 32 letters, digits, '.', '_', ':' or '-'",
                ));
            }
            store.insert(TrustEntry {
                key_id: Some(r.key_id),
                algorithm,
                key,
                not_before: r.not_before,
                not_after: r.not_after,
                signer: r.signer,
                source: r.source,
            })?;
        }
        Ok(store)
    }
}

#[cfg(feature = "json")]
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |r: core::ops::Range<usize>| {
        b.get(r)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| d.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')))
    };
    b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && num(0..4).is_some()
        && num(5..7).is_some_and(|m| (1..=12).contains(&m))
        && num(8..10).is_some_and(|d| (1..=31).contains(&d))
}

#[cfg(feature = "json")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    version: u64,
    effective: String,
    entries: Vec<RawEntry>,
}

#[cfg(feature = "json")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    key_id: String,
    algorithm: String,
    #[serde(default)]
    public_key_hex: Option<String>,
    not_before: u64,
    not_after: u64,
    signer: String,
    source: String,
}
