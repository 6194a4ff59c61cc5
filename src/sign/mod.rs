//! Tamper-evident merchant codes: a signature carried inside an EMV MPM payload, in one or
//! two unreserved templates (IDs 80–99) whose GUID is [`GUID`], so that every EMV reader
//! still accepts the code and ignores the signature. The format is specified in
//! `spec/signing.md`; this module signs ([`sign_builder`], [`sign_payload`]), reads
//! ([`read`]) and verifies ([`verify`], [`check`]) it.
//!
//! Two algorithms: Ed25519 (RFC 8032) for open verification by any wallet holding the
//! acquirer's public key, and HMAC-SHA-256 truncated to 128 bits for closed loops where the
//! verifier shares the key. Keys and time come from the caller; secret keys are wiped when
//! dropped.
//!
//! ```
//! use qrpay::mpm::MpmBuilder;
//! use qrpay::sign::{self, Signer, Status, TrustStore};
//! let seed = [7u8; 32];
//! let signer = Signer::ed25519(&seed, "acq-1").unwrap();
//! let b = MpmBuilder::new("5812", "764", "TH", "SHOP", "BANGKOK")
//!     .account_template(29, &[(0, "A000000677010111"), (1, "0066812345678")]);
//! let signed = sign::sign_builder(&b, &signer).unwrap();
//! assert!(qrpay::decode(&signed).is_valid());
//!
//! let store = TrustStore::single(signer.verify_key(), Some("acq-1")).unwrap();
//! assert!(matches!(sign::verify(&signed, &store, 0), Status::SignedValid { .. }));
//! let unsigned = b.build().unwrap();
//! assert_eq!(sign::verify(&unsigned, &store, 0), Status::Unsigned);
//! ```

mod trust;

pub use trust::{TrustEntry, TrustError, TrustStore};

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::Signer as _;
use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::crc::{self, CrcCheck};
use crate::decode::Decoded;
use crate::mpm::{self, BuildError, MpmBuilder};
use crate::otp::SecretKey;
use crate::report::{Class, Code, Detail, Issue, Mode, Path, Report, Severity};
use crate::tlv::{self, Element, Walker};

/// The globally unique identifier (sub-ID 00) of a signature template.
pub const GUID: &str = "org.qrpay.sig";

/// The domain-separation prefix of the signed message (followed by a zero byte).
pub const DOMAIN: &str = "org.qrpay.sig/1";

/// The longest key id, in characters.
pub const MAX_KEY_ID: usize = 32;

/// The shortest HMAC key, in bytes.
pub const HMAC_MIN_KEY: usize = 16;

/// The most characters MPM v1.1 §4.1 allows in a payload; a signed code stays within it.
pub const MAX_SIGNED_CHARS: usize = 512;

/// A signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Ed25519 (RFC 8032, pure): 64-byte signatures, 32-byte public keys.
    Ed25519,
    /// HMAC-SHA-256 (RFC 2104) truncated to its first 16 bytes; a shared secret key.
    HmacSha256,
}

impl Algorithm {
    /// The name used in JSON and the CLI: `"ed25519"` or `"hmac-sha256-128"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Ed25519 => "ed25519",
            Algorithm::HmacSha256 => "hmac-sha256-128",
        }
    }

    /// The identifier written in the payload (sub-ID 01): `"E1"` or `"H1"`.
    pub const fn code(self) -> &'static str {
        match self {
            Algorithm::Ed25519 => "E1",
            Algorithm::HmacSha256 => "H1",
        }
    }

    /// The algorithm whose payload identifier is `code`.
    pub fn from_code(code: &str) -> Option<Algorithm> {
        match code {
            "E1" => Some(Algorithm::Ed25519),
            "H1" => Some(Algorithm::HmacSha256),
            _ => None,
        }
    }

    /// Reads [`Algorithm::as_str`]'s names; `"hmac"` is accepted for HMAC.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "ed25519" => Some(Algorithm::Ed25519),
            "hmac" | "hmac-sha256-128" => Some(Algorithm::HmacSha256),
            _ => None,
        }
    }

    /// Signature length in bytes: 64 or 16.
    pub const fn signature_len(self) -> usize {
        match self {
            Algorithm::Ed25519 => 64,
            Algorithm::HmacSha256 => 16,
        }
    }

    /// Signature length in base64url characters without padding: 86 or 22.
    pub const fn encoded_len(self) -> usize {
        (self.signature_len() * 4).div_ceil(3)
    }
}

/// True for a valid key id: 1 to [`MAX_KEY_ID`] ASCII letters, digits, `.`, `_`, `:`, `-`.
pub fn is_key_id(s: &str) -> bool {
    (1..=MAX_KEY_ID).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

fn is_base64url(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why signing failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The key id is not 1 to 32 letters, digits, `.`, `_`, `:` or `-`.
    #[error("the key id must be 1 to 32 letters, digits, '.', '_', ':' or '-'")]
    KeyId,
    /// The key is not usable (the message says why; it never repeats the key).
    #[error("bad key: {0}")]
    Key(&'static str),
    /// The builder refused the payload.
    #[error("{0}")]
    Build(#[from] BuildError),
    /// The payload to sign is not an intact MPM payload.
    #[error("the payload cannot be signed: {0}")]
    Payload(&'static str),
    /// Fewer unreserved template IDs (80–99) are free than the signature needs.
    #[error("no free unreserved template IDs (80-99) for the signature")]
    NoFreeTemplate,
    /// The signed payload would exceed 512 characters.
    #[error("the signed payload has {0} characters, more than the 512 MPM allows")]
    TooLong(usize),
    /// The signed payload breaks a rule it did not break before (the issue says which).
    #[error("the signed payload breaks a rule: {0}")]
    Invalid(Box<Issue>),
}

/// A verification key: an Ed25519 public key or a shared HMAC key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyKey {
    /// An Ed25519 public key (a valid, non-weak curve point).
    Ed25519(ed25519_dalek::VerifyingKey),
    /// An HMAC key of at least [`HMAC_MIN_KEY`] bytes (wiped when dropped).
    Hmac(SecretKey),
}

impl VerifyKey {
    /// An Ed25519 public key from its 32 bytes; refuses bytes that are not a curve point
    /// and weak (small-order) keys.
    pub fn ed25519(public: &[u8; 32]) -> Result<VerifyKey, SignError> {
        let k = ed25519_dalek::VerifyingKey::from_bytes(public)
            .map_err(|_| SignError::Key("not an Ed25519 public key"))?;
        if k.is_weak() {
            return Err(SignError::Key("a weak (small-order) Ed25519 public key"));
        }
        Ok(VerifyKey::Ed25519(k))
    }

    /// An Ed25519 public key from 64 hex digits.
    pub fn ed25519_hex(hex: &str) -> Result<VerifyKey, SignError> {
        let bytes = SecretKey::from_hex(hex).map_err(|_| SignError::Key("not hexadecimal"))?;
        let arr: [u8; 32] = bytes
            .expose()
            .try_into()
            .map_err(|_| SignError::Key("an Ed25519 public key has 32 bytes (64 hex digits)"))?;
        VerifyKey::ed25519(&arr)
    }

    /// An HMAC key of at least 16 bytes.
    pub fn hmac(key: SecretKey) -> Result<VerifyKey, SignError> {
        if key.len() < HMAC_MIN_KEY {
            return Err(SignError::Key("an HMAC key has at least 16 bytes"));
        }
        Ok(VerifyKey::Hmac(key))
    }

    /// The algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            VerifyKey::Ed25519(_) => Algorithm::Ed25519,
            VerifyKey::Hmac(_) => Algorithm::HmacSha256,
        }
    }

    /// Checks `signature` over exactly `message` (no qrpay framing): Ed25519 with the strict
    /// rules of `verify_strict` (canonical S, no small-order R or key); HMAC compared in
    /// constant time.
    pub fn verify_message(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            VerifyKey::Ed25519(k) => match ed25519_dalek::Signature::from_slice(signature) {
                Ok(s) => k.verify_strict(message, &s).is_ok(),
                Err(_) => false,
            },
            VerifyKey::Hmac(key) => match hmac_tag(key.expose(), message) {
                Some(tag) => bool::from(tag.as_slice().ct_eq(signature)),
                None => false,
            },
        }
    }
}

fn hmac_tag(key: &[u8], message: &[u8]) -> Option<Zeroizing<[u8; 16]>> {
    let mut mac = <Hmac<sha2::Sha256> as hmac::digest::KeyInit>::new_from_slice(key).ok()?;
    mac.update(message);
    let full = mac.finalize().into_bytes();
    let mut tag = Zeroizing::new([0u8; 16]);
    tag.copy_from_slice(full.get(..16)?);
    Some(tag)
}

enum SignKey {
    Ed25519(ed25519_dalek::SigningKey),
    Hmac(SecretKey),
}

/// A signing key and its key id. Secret material is wiped when dropped and never shown by
/// `Debug`.
pub struct Signer {
    key_id: String,
    key: SignKey,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Signer({}, key id {:?})",
            self.algorithm().as_str(),
            self.key_id
        )
    }
}

impl Signer {
    /// An Ed25519 signer from its 32-byte secret seed (RFC 8032 §5.1.5).
    pub fn ed25519(seed: &[u8; 32], key_id: &str) -> Result<Signer, SignError> {
        if !is_key_id(key_id) {
            return Err(SignError::KeyId);
        }
        Ok(Signer {
            key_id: String::from(key_id),
            key: SignKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed)),
        })
    }

    /// An HMAC-SHA-256/128 signer; the key has at least 16 bytes.
    pub fn hmac(key: SecretKey, key_id: &str) -> Result<Signer, SignError> {
        if !is_key_id(key_id) {
            return Err(SignError::KeyId);
        }
        if key.len() < HMAC_MIN_KEY {
            return Err(SignError::Key("an HMAC key has at least 16 bytes"));
        }
        Ok(Signer {
            key_id: String::from(key_id),
            key: SignKey::Hmac(key),
        })
    }

    /// A signer from a key in hex: the 32-byte seed for Ed25519, the key for HMAC.
    pub fn from_hex(alg: Algorithm, key_hex: &str, key_id: &str) -> Result<Signer, SignError> {
        let key = SecretKey::from_hex(key_hex).map_err(|_| SignError::Key("not hexadecimal"))?;
        match alg {
            Algorithm::Ed25519 => {
                let mut seed = Zeroizing::new([0u8; 32]);
                if key.len() != 32 {
                    return Err(SignError::Key(
                        "an Ed25519 seed has 32 bytes (64 hex digits)",
                    ));
                }
                seed.copy_from_slice(key.expose());
                Signer::ed25519(&seed, key_id)
            }
            Algorithm::HmacSha256 => Signer::hmac(key, key_id),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        match self.key {
            SignKey::Ed25519(_) => Algorithm::Ed25519,
            SignKey::Hmac(_) => Algorithm::HmacSha256,
        }
    }

    /// The key id written in the payload.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The Ed25519 public key (`None` for HMAC).
    pub fn public_key(&self) -> Option<[u8; 32]> {
        match &self.key {
            SignKey::Ed25519(k) => Some(k.verifying_key().to_bytes()),
            SignKey::Hmac(_) => None,
        }
    }

    /// The key that verifies this signer's signatures (for HMAC, a copy of the secret).
    pub fn verify_key(&self) -> VerifyKey {
        match &self.key {
            SignKey::Ed25519(k) => VerifyKey::Ed25519(k.verifying_key()),
            SignKey::Hmac(k) => VerifyKey::Hmac(k.clone()),
        }
    }

    /// Signs exactly `message` (no qrpay framing): 64 bytes for Ed25519, 16 for HMAC.
    pub fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        match &self.key {
            SignKey::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
            SignKey::Hmac(k) => hmac_tag(k.expose(), message)
                .map(|t| t.to_vec())
                .unwrap_or_default(),
        }
    }
}

/// The bytes that are signed: [`DOMAIN`], 0x00, the algorithm identifier, 0x00, the key id,
/// 0x00, then the payload's data objects (header and value, as written) in payload order,
/// leaving out the signature templates and the final CRC object.
pub fn message(alg: Algorithm, key_id: &str, parts: &[&str]) -> Vec<u8> {
    let n: usize = parts.iter().map(|p| p.len()).sum();
    let mut m = Vec::with_capacity(DOMAIN.len() + key_id.len() + n + 6);
    m.extend_from_slice(DOMAIN.as_bytes());
    m.push(0);
    m.extend_from_slice(alg.code().as_bytes());
    m.push(0);
    m.extend_from_slice(key_id.as_bytes());
    m.push(0);
    for p in parts {
        m.extend_from_slice(p.as_bytes());
    }
    m
}

/// Why a signature template cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{reason} (template {id:02}, character {offset})")]
pub struct Malformed {
    /// The root ID of the template (0 when the payload itself does not read).
    pub id: u8,
    /// Character offset of the template (or of the structural error).
    pub offset: usize,
    /// What is wrong.
    pub reason: &'static str,
}

/// A signature read from a payload (not yet verified).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature<'a> {
    /// The algorithm named in sub-ID 01.
    pub algorithm: Algorithm,
    /// The key id of sub-ID 02.
    pub key_id: &'a str,
    /// The decoded signature.
    pub bytes: Vec<u8>,
    /// The root IDs of the signature templates, in payload order.
    pub ids: Vec<u8>,
    /// Character offset of the first signature template.
    pub offset: usize,
    /// The payload's data objects that are signed (raw text, in order).
    parts: Vec<&'a str>,
}

impl Signature<'_> {
    /// The signed message (see [`message`]).
    pub fn message(&self) -> Vec<u8> {
        message(self.algorithm, self.key_id, &self.parts)
    }
}

/// The raw text (header and value) of an element, located by the value's position.
fn raw<'a>(text: &'a str, e: &Element<'_>) -> Option<&'a str> {
    let start = (e.value.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    text.get(start.checked_sub(4)?..start + e.value.len())
}

/// A root object is a signature template when its ID is 80–99 and its value contains the
/// GUID text.
fn claims_signature(e: &Element<'_>) -> bool {
    (80..=99).contains(&e.id) && contains_guid(e.value)
}

/// True when some root object of `m` claims to be a signature template. Without an ID of
/// 80-99 none does (the presence bits say so at once); with a regular root (no duplicate)
/// the first occurrence of each present ID is every occurrence, so only those values are
/// searched; otherwise every root object is.
fn may_be_signed(m: &mpm::Mpm<'_>) -> bool {
    if !m.any_in(80, 99) {
        return false;
    }
    if m.is_irregular() {
        return m
            .elements()
            .map_while(Result::ok)
            .any(|e| claims_signature(&e));
    }
    m.ids_in(80, 99)
        .any(|id| m.get(id).is_some_and(contains_guid))
}

/// `v.contains(GUID)`, without building a substring searcher for short values.
fn contains_guid(v: &str) -> bool {
    const G: &[u8] = GUID.as_bytes();
    const N: usize = G.len();
    // Bit `c` set: byte `c` occurs in the GUID (all ASCII).
    const IN_GUID: u128 = {
        let mut mask = 0u128;
        let mut rest = G;
        while let [c, tail @ ..] = rest {
            mask |= 1 << *c;
            rest = tail;
        }
        mask
    };
    let b = v.as_bytes();
    // Every occurrence covers exactly one of the positions N-1, 2N-1, 3N-1...: probe those,
    // and where the byte occurs in the GUID compare the windows it would be part of. Values
    // without the GUID's letters (digits, mostly) cost one test per N bytes.
    let mut p = N - 1;
    while let Some(&c) = b.get(p) {
        if c < 128 && IN_GUID >> c & 1 != 0 {
            for (k, &g) in G.iter().enumerate() {
                if g == c && b.get(p - k..p - k + N) == Some(G) {
                    return true;
                }
            }
        }
        p += N;
    }
    false
}

/// Reads the signature of a payload: `Ok(None)` when it has no signature template,
/// `Err` when a signature template is present but malformed. Does not look at keys or the
/// CRC value (see [`verify`]).
pub fn read(text: &str) -> Result<Option<Signature<'_>>, Malformed> {
    let mut sigs: Vec<Element<'_>> = Vec::new();
    let mut parts: Vec<&str> = Vec::new();
    let mut last: Option<Element<'_>> = None;
    for e in Walker::new(text) {
        let e = match e {
            Ok(e) => e,
            Err(err) if text.contains(GUID) => {
                return Err(Malformed {
                    id: err.id.unwrap_or(0),
                    offset: err.offset,
                    reason: "the payload's data objects do not read to the end",
                })
            }
            Err(_) => return Ok(None),
        };
        if let Some(prev) = last.replace(e) {
            if claims_signature(&prev) {
                sigs.push(prev);
            } else {
                parts.push(raw(text, &prev).unwrap_or(""));
            }
        }
    }
    let Some(last) = last else { return Ok(None) };
    if claims_signature(&last) {
        sigs.push(last);
    }
    let Some(first) = sigs.first().copied() else {
        return Ok(None);
    };
    if last.id != 63 || last.len != 4 {
        return Err(Malformed {
            id: first.id,
            offset: first.offset,
            reason: "the payload does not end with its CRC (63)",
        });
    }
    // The templates take the lowest IDs of 80-99 that no other root object uses, ascending.
    let used = Walker::new(text)
        .map_while(Result::ok)
        .filter(|e| !claims_signature(e))
        .fold(0u128, |acc, e| acc | 1u128 << e.id);
    let mut free = (80u8..=99).filter(|id| used & (1u128 << id) == 0);
    if sigs.iter().any(|t| free.next() != Some(t.id)) {
        return Err(Malformed {
            id: first.id,
            offset: first.offset,
            reason: "the signature templates do not take the lowest free IDs of 80-99 in order",
        });
    }
    let mut algorithm = None;
    let mut key_id = "";
    let mut encoded = String::new();
    let count = sigs.len();
    for (i, t) in sigs.iter().enumerate() {
        let bad = |reason| Malformed {
            id: t.id,
            offset: t.offset,
            reason,
        };
        let expected: &[u8] = if i == 0 { &[0, 1, 2, 3] } else { &[0, 3] };
        let layout = if i == 0 {
            "expected sub-IDs 00, 01, 02 and 03, in this order"
        } else {
            "expected sub-IDs 00 and 03, in this order"
        };
        let mut n = 0;
        for c in t.children() {
            let c = c.map_err(|_| bad("the sub-objects do not read to the end"))?;
            if expected.get(n) != Some(&c.id) {
                return Err(bad(layout));
            }
            n += 1;
            match c.id {
                0 if c.value != GUID => return Err(bad("sub-ID 00 is not org.qrpay.sig")),
                1 => {
                    algorithm = Some(
                        Algorithm::from_code(c.value)
                            .ok_or(bad("unknown algorithm (sub-ID 01 is not E1 or H1)"))?,
                    )
                }
                2 if !is_key_id(c.value) => return Err(bad("the key id (sub-ID 02) is malformed")),
                2 => key_id = c.value,
                3 if c.value.is_empty() || !is_base64url(c.value) => {
                    return Err(bad("the signature (sub-ID 03) is not base64url"))
                }
                3 => encoded.push_str(c.value),
                _ => {}
            }
        }
        if n != expected.len() {
            return Err(bad(layout));
        }
        if i + 1 < count && t.value.len() != 99 {
            return Err(bad(
                "a signature template other than the last must be filled to 99 characters",
            ));
        }
    }
    let bad = |reason| Malformed {
        id: first.id,
        offset: first.offset,
        reason,
    };
    let algorithm = algorithm.ok_or(bad("no algorithm"))?;
    if encoded.len() != algorithm.encoded_len() {
        return Err(bad("the signature has the wrong length for its algorithm"));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded.as_bytes())
        .map_err(|_| bad("the signature is not canonical base64url"))?;
    if bytes.len() != algorithm.signature_len() {
        return Err(bad("the signature has the wrong length for its algorithm"));
    }
    Ok(Some(Signature {
        algorithm,
        key_id,
        bytes,
        ids: sigs.iter().map(|e| e.id).collect(),
        offset: first.offset,
        parts,
    }))
}

/// The values of the signature templates for `encoded` (base64url), each at most 99
/// characters, every one but the last filled to 99.
fn templates(alg: Algorithm, key_id: &str, encoded: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = encoded;
    while !rest.is_empty() {
        let mut v = String::with_capacity(99);
        tlv::write(&mut v, 0, GUID)?;
        if out.is_empty() {
            tlv::write(&mut v, 1, alg.code())?;
            tlv::write(&mut v, 2, key_id)?;
        }
        let room = 99usize.checked_sub(v.len() + 4)?;
        let take = room.min(rest.len());
        let (seg, tail) = rest.split_at_checked(take)?;
        tlv::write(&mut v, 3, seg)?;
        out.push(v);
        rest = tail;
    }
    Some(out)
}

/// Builds the payload of `b` (strict MPM rules, like [`MpmBuilder::build`]) and signs it.
/// Any signature templates already in the builder are replaced.
pub fn sign_builder(b: &MpmBuilder, s: &Signer) -> Result<String, SignError> {
    let unsigned = b.build()?;
    attach(&unsigned, s, Mode::Strict)
}

/// Signs an existing payload: it must be an intact MPM payload (its data objects read and
/// its CRC matches). It is re-emitted canonically (IDs and sub-IDs in ascending order, first
/// occurrence of a duplicated ID kept) with the lenient rules of
/// [`MpmBuilder::build_lenient`], any previous signature replaced.
pub fn sign_payload(text: &str, s: &Signer) -> Result<String, SignError> {
    if !matches!(crc::check(text), CrcCheck::Ok { .. }) {
        return Err(SignError::Payload("its CRC is missing or does not match"));
    }
    let m = mpm::parse(text)
        .map_err(|_| SignError::Payload("it is not an MPM payload whose data objects read"))?;
    let unsigned = MpmBuilder::from_mpm(&m).build_lenient()?;
    attach(&unsigned, s, Mode::Lenient)
}

/// Adds the signature templates to a canonical payload.
fn attach(unsigned: &str, s: &Signer, mode: Mode) -> Result<String, SignError> {
    let broken = || SignError::Payload("its data objects do not read");
    let mut kept: Vec<(u8, &str)> = Vec::new();
    let mut used = 0u128;
    for e in Walker::new(unsigned) {
        let e = e.map_err(|_| broken())?;
        if e.id == 63 || claims_signature(&e) {
            continue;
        }
        used |= 1u128 << e.id;
        kept.push((e.id, raw(unsigned, &e).ok_or_else(broken)?));
    }
    let alg = s.algorithm();
    let parts: Vec<&str> = kept.iter().map(|(_, r)| *r).collect();
    let msg = message(alg, s.key_id(), &parts);
    let encoded = URL_SAFE_NO_PAD.encode(s.sign_message(&msg));
    let values = templates(alg, s.key_id(), &encoded).ok_or(SignError::KeyId)?;
    let free: Vec<u8> = (80u8..=99)
        .filter(|id| used & (1u128 << id) == 0)
        .take(values.len())
        .collect();
    if free.len() < values.len() {
        return Err(SignError::NoFreeTemplate);
    }
    let mut extra = free.iter().zip(values.iter()).peekable();
    let mut out = String::with_capacity(unsigned.len() + 200);
    for (id, r) in &kept {
        while let Some((tid, v)) = extra.next_if(|(tid, _)| **tid < *id) {
            tlv::write(&mut out, *tid, v).ok_or(SignError::KeyId)?;
        }
        out.push_str(r);
    }
    for (tid, v) in extra {
        tlv::write(&mut out, *tid, v).ok_or(SignError::KeyId)?;
    }
    out.push_str("6304");
    let c = crc::to_hex(crc::crc16(out.as_bytes()));
    out.extend(c.iter().map(|&b| char::from(b)));

    let chars = out.chars().count();
    if chars > MAX_SIGNED_CHARS {
        return Err(SignError::TooLong(chars));
    }
    let m = mpm::parse(&out).map_err(|_| broken())?;
    let mut r = Report::new(mode);
    mpm::validate(&m, &mut r);
    crate::schemes::validate(&m, &mut r);
    validate(&m, &mut r);
    if let Some(i) = r
        .issues()
        .iter()
        .find(|i| i.severity == Severity::Error && i.class != Class::Advice)
    {
        // Refuse only what signing added: an issue the unsigned payload did not have.
        let mut before = Report::new(mode);
        if let Ok(u) = mpm::parse(unsigned) {
            mpm::validate(&u, &mut before);
            crate::schemes::validate(&u, &mut before);
        }
        if !before.has(i.code) {
            return Err(SignError::Invalid(Box::new(*i)));
        }
    }
    // The payload must read back as signed over the same message.
    match read(&out) {
        Ok(Some(sig)) if sig.message() == msg => Ok(out),
        _ => Err(SignError::Payload("the signed payload does not read back")),
    }
}

/// Why a signature was found invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Invalid {
    /// A signature template is present but malformed.
    Malformed(Malformed),
    /// The payload around the signature is not intact (its CRC does not match or is in
    /// lower case).
    Integrity(&'static str),
    /// The key id is trusted for another algorithm than the one the code names.
    Algorithm,
    /// The signature does not verify against the key.
    Mismatch,
}

impl Invalid {
    /// `"malformed"`, `"integrity"`, `"algorithm"` or `"mismatch"`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Invalid::Malformed(_) => "malformed",
            Invalid::Integrity(_) => "integrity",
            Invalid::Algorithm => "algorithm",
            Invalid::Mismatch => "mismatch",
        }
    }

    /// A fixed explanation.
    pub const fn text(&self) -> &'static str {
        match self {
            Invalid::Malformed(m) => m.reason,
            Invalid::Integrity(t) => t,
            Invalid::Algorithm => "the key id is trusted for another algorithm",
            Invalid::Mismatch => "the signature does not verify",
        }
    }
}

/// What verification says of a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// No signature template.
    Unsigned,
    /// The signature verifies with a trusted key valid at the given time.
    SignedValid {
        /// The algorithm.
        algorithm: Algorithm,
        /// The key id in the code.
        key_id: String,
        /// Who holds the key (the trust entry's signer).
        signer: String,
    },
    /// A signature is present and is malformed or does not verify: the code was altered.
    SignedInvalid {
        /// Why.
        reason: Invalid,
        /// Root ID of the (first) signature template.
        id: u8,
        /// Its character offset.
        offset: usize,
    },
    /// The key id is not in the trust store (or, for HMAC, no secret was supplied for it).
    SignedUnknownKey {
        /// The algorithm.
        algorithm: Algorithm,
        /// The key id in the code.
        key_id: String,
    },
    /// The signature verifies but the key is not valid at the given time.
    SignedExpiredKey {
        /// The algorithm.
        algorithm: Algorithm,
        /// The key id in the code.
        key_id: String,
        /// Who holds the key.
        signer: String,
    },
}

impl Status {
    /// `"unsigned"`, `"signed-valid"`, `"signed-invalid"`, `"signed-unknown-key"` or
    /// `"signed-expired-key"`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Status::Unsigned => "unsigned",
            Status::SignedValid { .. } => "signed-valid",
            Status::SignedInvalid { .. } => "signed-invalid",
            Status::SignedUnknownKey { .. } => "signed-unknown-key",
            Status::SignedExpiredKey { .. } => "signed-expired-key",
        }
    }

    /// True only for [`Status::SignedValid`].
    pub const fn is_valid(&self) -> bool {
        matches!(self, Status::SignedValid { .. })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        match self {
            Status::Unsigned => Ok(()),
            Status::SignedValid {
                algorithm,
                key_id,
                signer,
            } => write!(
                f,
                " ({}, key {key_id}, signer {signer})",
                algorithm.as_str()
            ),
            Status::SignedInvalid { reason, .. } => write!(f, ": {}", reason.text()),
            Status::SignedUnknownKey { algorithm, key_id } => {
                write!(f, " ({}, key {key_id})", algorithm.as_str())
            }
            Status::SignedExpiredKey {
                algorithm,
                key_id,
                signer,
            } => write!(
                f,
                " ({}, key {key_id}, signer {signer})",
                algorithm.as_str()
            ),
        }
    }
}

/// Verifies the signature of `text` against `store` at time `now` (Unix seconds).
///
/// Order: no signature template → `Unsigned`; malformed template → `SignedInvalid`; CRC
/// missing, wrong or lower-case → `SignedInvalid`; key id not trusted (or an HMAC id without
/// its secret) → `SignedUnknownKey`; algorithm differs from the trusted key's, or the
/// signature does not verify → `SignedInvalid`; key outside its validity period →
/// `SignedExpiredKey`; otherwise `SignedValid`.
pub fn verify(text: &str, store: &TrustStore, now: u64) -> Status {
    let sig = match read(text) {
        Ok(None) => return Status::Unsigned,
        Ok(Some(s)) => s,
        Err(m) => {
            return Status::SignedInvalid {
                reason: Invalid::Malformed(m),
                id: m.id,
                offset: m.offset,
            }
        }
    };
    let (id, offset) = (sig.ids.first().copied().unwrap_or(0), sig.offset);
    let invalid = |reason| Status::SignedInvalid { reason, id, offset };
    match crc::check(text) {
        CrcCheck::Ok { lowercase: false } => {}
        CrcCheck::Ok { lowercase: true } => {
            return invalid(Invalid::Integrity(
                "the CRC is in lower case (a signed code's CRC is upper case)",
            ))
        }
        _ => return invalid(Invalid::Integrity("the CRC is missing or does not match")),
    }
    let unknown = || Status::SignedUnknownKey {
        algorithm: sig.algorithm,
        key_id: String::from(sig.key_id),
    };
    let Some(entry) = store.find(sig.key_id) else {
        return unknown();
    };
    if entry.algorithm != sig.algorithm {
        return invalid(Invalid::Algorithm);
    }
    let Some(key) = entry.key.as_ref() else {
        return unknown();
    };
    if key.algorithm() != sig.algorithm {
        return invalid(Invalid::Algorithm);
    }
    if !key.verify_message(&sig.message(), &sig.bytes) {
        return invalid(Invalid::Mismatch);
    }
    let (algorithm, key_id, signer) = (
        sig.algorithm,
        String::from(sig.key_id),
        entry.signer.clone(),
    );
    if entry.valid_at(now) {
        Status::SignedValid {
            algorithm,
            key_id,
            signer,
        }
    } else {
        Status::SignedExpiredKey {
            algorithm,
            key_id,
            signer,
        }
    }
}

/// Verifies a decoded payload and, when the signature is invalid, adds a
/// `signature.invalid` issue (fatal: the code then is not valid) to its report, unless one
/// is there already. Payloads that are not MPM are `Unsigned`.
pub fn check(d: &mut Decoded<'_>, store: &TrustStore, now: u64) -> Status {
    let status = match (d.mpm(), &d.inner) {
        (Some(m), _) => verify(m.as_str(), store, now),
        (None, Some(inner)) => verify(inner, store, now),
        (None, None) => Status::Unsigned,
    };
    if let Status::SignedInvalid { reason, id, offset } = &status {
        if !d.report.has(Code::SignatureInvalid) {
            d.report.push(
                Code::SignatureInvalid,
                Class::Fatal,
                Path::id(*id),
                *offset,
                Detail::Text(reason.text()),
            );
        }
    }
    status
}

/// The keyless check [`crate::decode()`] runs: a signature template that is present but
/// malformed is a fatal `signature.invalid` issue.
pub fn validate(m: &mpm::Mpm<'_>, report: &mut Report) {
    // Without allocating for codes that have no signature template (decode allocates
    // nothing for a sound payload).
    if !may_be_signed(m) {
        return;
    }
    if let Err(e) = read(m.as_str()) {
        report.push(
            Code::SignatureInvalid,
            Class::Fatal,
            Path::id(e.id),
            e.offset,
            Detail::Text(e.reason),
        );
    }
}

/// The `signature` member of the inspect JSON: present only when the payload has a
/// signature template; `status` is `"unverified"` (no keys were given) or `"malformed"`.
#[cfg(feature = "json")]
pub fn inspect_json(d: &Decoded<'_>) -> Option<serde_json::Value> {
    use serde_json::json;
    let text = d.mpm().map(|m| m.as_str())?;
    match read(text) {
        Ok(None) => None,
        Ok(Some(s)) => Some(json!({
            "algorithm": s.algorithm.as_str(),
            "key_id": s.key_id,
            "templates": s.ids.iter().map(|i| alloc::format!("{i:02}")).collect::<Vec<_>>(),
            "status": "unverified",
        })),
        Err(e) => Some(json!({
            "status": "malformed",
            "reason": e.reason,
            "path": alloc::format!("{:02}", e.id),
            "offset": e.offset,
        })),
    }
}

/// A verification status as JSON: `status` and, where known, `algorithm`, `key_id`,
/// `signer`, `reason` (`malformed`, `integrity`, `algorithm`, `mismatch`) and `message`.
#[cfg(feature = "json")]
pub fn status_json(s: &Status) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut o = Map::new();
    o.insert("status".into(), s.as_str().into());
    match s {
        Status::Unsigned => {}
        Status::SignedValid {
            algorithm,
            key_id,
            signer,
        }
        | Status::SignedExpiredKey {
            algorithm,
            key_id,
            signer,
        } => {
            o.insert("algorithm".into(), algorithm.as_str().into());
            o.insert("key_id".into(), key_id.as_str().into());
            o.insert("signer".into(), signer.as_str().into());
        }
        Status::SignedUnknownKey { algorithm, key_id } => {
            o.insert("algorithm".into(), algorithm.as_str().into());
            o.insert("key_id".into(), key_id.as_str().into());
        }
        Status::SignedInvalid { reason, id, offset } => {
            o.insert("reason".into(), reason.as_str().into());
            o.insert("message".into(), reason.text().into());
            o.insert("path".into(), alloc::format!("{id:02}").into());
            o.insert("offset".into(), (*offset).into());
        }
    }
    Value::Object(o)
}

#[cfg(test)]
mod tests;
