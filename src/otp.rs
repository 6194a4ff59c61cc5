//! One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA-1, -SHA-256 and
//! -SHA-512, the building block of dynamic consumer payment codes ([`crate::paycode`]).
//!
//! The clock is an argument (Unix seconds); keys are [`SecretKey`]s, wiped from memory when
//! dropped and never shown by `Debug`. Codes are compared in constant time.
//!
//! ```
//! use qrpay::otp::{hotp, Algorithm, SecretKey, Totp};
//! let key = SecretKey::new(b"12345678901234567890".to_vec());
//! // RFC 4226 Appendix D, count 0.
//! assert_eq!(hotp(&key, 0, 6, Algorithm::Sha1).unwrap(), 755224);
//! // RFC 6238 Appendix B, T = 59 s, SHA-1, 8 digits.
//! let totp = Totp { digits: 8, ..Totp::default() };
//! assert_eq!(totp.code(&key, 59).unwrap(), "94287082");
//! assert_eq!(totp.verify(&key, "94287082", 60, 1, 0).unwrap(), Some(1));
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret key (an HMAC key for OTPs or token derivation). Its bytes are overwritten with
/// zeros when it is dropped; `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(Vec<u8>);

impl SecretKey {
    /// Takes ownership of the key bytes.
    pub fn new(bytes: Vec<u8>) -> SecretKey {
        SecretKey(bytes)
    }

    /// Reads a key written in hexadecimal (upper or lower case, even number of digits, not
    /// empty). The error does not repeat the text.
    pub fn from_hex(text: &str) -> Result<SecretKey, OtpError> {
        let b = text.as_bytes();
        if b.is_empty() || b.len() % 2 != 0 {
            return Err(OtpError::KeyHex);
        }
        let mut out = Vec::with_capacity(b.len() / 2);
        for pair in b.chunks_exact(2) {
            let hi = hex_value(pair.first().copied());
            let lo = hex_value(pair.get(1).copied());
            match (hi, lo) {
                (Some(h), Some(l)) => out.push(h << 4 | l),
                _ => {
                    out.zeroize();
                    return Err(OtpError::KeyHex);
                }
            }
        }
        Ok(SecretKey(out))
    }

    /// The key bytes (for the caller's own HMAC use; do not log them).
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for an empty key.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The value of a hex digit, either case ([`crate::crc::hex_digit`]).
pub(crate) fn hex_value(c: Option<u8>) -> Option<u8> {
    c.and_then(crate::crc::hex_digit)
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for SecretKey {}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({} bytes)", self.0.len())
    }
}

/// The HMAC hash function.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC-SHA-1 (RFC 4226's function, TOTP's default).
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// `"sha1"`, `"sha256"` or `"sha512"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Reads [`Algorithm::as_str`]'s names (case-insensitive; `sha-256` is accepted too).
    pub fn parse(name: &str) -> Option<Algorithm> {
        let mut n = String::with_capacity(name.len());
        n.extend(
            name.chars()
                .filter(|c| *c != '-')
                .map(|c| c.to_ascii_lowercase()),
        );
        match n.as_str() {
            "sha1" => Some(Algorithm::Sha1),
            "sha256" => Some(Algorithm::Sha256),
            "sha512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an OTP cannot be computed or checked. Never carries key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OtpError {
    /// The number of digits is not 6 to 9.
    #[error("an OTP has 6 to 9 digits, not {0}")]
    Digits(u8),
    /// The key is empty.
    #[error("the key is empty")]
    EmptyKey,
    /// The key is not an even number of hexadecimal digits.
    #[error("the key is not an even, non-zero number of hexadecimal digits")]
    KeyHex,
    /// The time step is zero.
    #[error("the TOTP time step is zero")]
    Step,
    /// The time is before T0.
    #[error("the time is before the TOTP epoch T0")]
    BeforeEpoch,
}

/// HMAC of `parts` (concatenated) under `key` with `algorithm`.
pub(crate) fn hmac(key: &[u8], algorithm: Algorithm, parts: &[&[u8]]) -> Vec<u8> {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        // HMAC accepts keys of any length: `new_from_slice` cannot fail for it.
        match <M as hmac::digest::KeyInit>::new_from_slice(key) {
            Ok(mut m) => {
                for p in parts {
                    m.update(p);
                }
                m.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }
    match algorithm {
        Algorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, parts),
        Algorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, parts),
        Algorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, parts),
    }
}

/// RFC 4226 §5.3 dynamic truncation: 31 bits at the offset the last byte's low nibble
/// gives.
fn truncate(mac: &[u8]) -> u32 {
    let offset = mac.last().map_or(0, |b| usize::from(b & 0x0f));
    let mut v = [0u8; 4];
    for (i, slot) in v.iter_mut().enumerate() {
        *slot = mac.get(offset + i).copied().unwrap_or(0);
    }
    u32::from_be_bytes(v) & 0x7fff_ffff
}

fn check_digits(digits: u8) -> Result<u32, OtpError> {
    if !(6..=9).contains(&digits) {
        return Err(OtpError::Digits(digits));
    }
    Ok(10u32.pow(u32::from(digits)))
}

/// HOTP value of an HMAC message that starts with the 8-byte big-endian counter and may go
/// on with `extra` (empty for RFC 4226).
pub(crate) fn hotp_with(
    key: &SecretKey,
    counter: u64,
    extra: &[u8],
    digits: u8,
    algorithm: Algorithm,
) -> Result<u32, OtpError> {
    let modulus = check_digits(digits)?;
    if key.is_empty() {
        return Err(OtpError::EmptyKey);
    }
    let mut mac = hmac(key.expose(), algorithm, &[&counter.to_be_bytes(), extra]);
    let v = truncate(&mac) % modulus;
    mac.zeroize();
    Ok(v)
}

/// HOTP(K, C) of RFC 4226 with `digits` (6 to 9) digits, as a number (see [`format()`]).
pub fn hotp(
    key: &SecretKey,
    counter: u64,
    digits: u8,
    algorithm: Algorithm,
) -> Result<u32, OtpError> {
    hotp_with(key, counter, &[], digits, algorithm)
}

/// `value` written with exactly `digits` digits (leading zeros kept).
pub fn format(value: u32, digits: u8) -> String {
    let s = alloc::format!("{value}");
    let mut out = String::new();
    for _ in s.len()..usize::from(digits) {
        out.push('0');
    }
    out.push_str(&s);
    out
}

/// Constant-time equality of two codes (lengths are not secret).
pub fn codes_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// TOTP parameters of RFC 6238 (defaults: SHA-1, 6 digits, 30-second steps from T0 = 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Totp {
    /// The HMAC hash.
    pub algorithm: Algorithm,
    /// Digits of the code (6 to 9).
    pub digits: u8,
    /// The time step X in seconds.
    pub step: u64,
    /// T0, the Unix time the steps count from.
    pub t0: u64,
}

impl Default for Totp {
    fn default() -> Totp {
        Totp {
            algorithm: Algorithm::Sha1,
            digits: 6,
            step: 30,
            t0: 0,
        }
    }
}

impl Totp {
    /// T = floor((time − T0) / X).
    pub fn counter(&self, unix_time: u64) -> Result<u64, OtpError> {
        if self.step == 0 {
            return Err(OtpError::Step);
        }
        let elapsed = unix_time
            .checked_sub(self.t0)
            .ok_or(OtpError::BeforeEpoch)?;
        Ok(elapsed / self.step)
    }

    /// The TOTP value at `unix_time` as a number.
    pub fn value(&self, key: &SecretKey, unix_time: u64) -> Result<u32, OtpError> {
        hotp(key, self.counter(unix_time)?, self.digits, self.algorithm)
    }

    /// The TOTP code at `unix_time`, `digits` long.
    pub fn code(&self, key: &SecretKey, unix_time: u64) -> Result<String, OtpError> {
        Ok(format(self.value(key, unix_time)?, self.digits))
    }

    /// The code of time step `counter`.
    pub fn code_at_step(&self, key: &SecretKey, counter: u64) -> Result<String, OtpError> {
        Ok(format(
            hotp(key, counter, self.digits, self.algorithm)?,
            self.digits,
        ))
    }

    /// Checks `code` against the steps from `past` before to `future` after the step of
    /// `unix_time`, comparing in constant time and trying every step in the window. Returns
    /// the matching step (the latest when several match), or `None`. Replay protection is
    /// the caller's (see [`crate::paycode::ReplayGuard`]).
    pub fn verify(
        &self,
        key: &SecretKey,
        code: &str,
        unix_time: u64,
        past: u32,
        future: u32,
    ) -> Result<Option<u64>, OtpError> {
        check_digits(self.digits)?;
        if key.is_empty() {
            return Err(OtpError::EmptyKey);
        }
        let now = self.counter(unix_time)?;
        let first = now.saturating_sub(u64::from(past));
        let last = now.saturating_add(u64::from(future));
        let mut found = None;
        let mut step = first;
        loop {
            let expected = self.code_at_step(key, step)?;
            if codes_equal(&expected, code) {
                found = Some(step);
            }
            if step >= last {
                break;
            }
            step += 1;
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> SecretKey {
        SecretKey::new(s.as_bytes().to_vec())
    }

    /// RFC 4226 Appendix D.
    #[test]
    fn rfc4226_appendix_d() {
        let k = key("12345678901234567890");
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (c, e) in expected.iter().enumerate() {
            assert_eq!(
                hotp(&k, c as u64, 6, Algorithm::Sha1).unwrap(),
                *e,
                "count {c}"
            );
        }
    }

    /// RFC 6238 Appendix B (8 digits; each hash has its own seed length).
    #[test]
    fn rfc6238_appendix_b() {
        let k1 = key("12345678901234567890");
        let k256 = key("12345678901234567890123456789012");
        let k512 = key("1234567890123456789012345678901234567890123456789012345678901234");
        let rows: [(u64, u64, &str, &str, &str); 6] = [
            (59, 1, "94287082", "46119246", "90693936"),
            (1111111109, 37037036, "07081804", "68084774", "25091201"),
            (1111111111, 37037037, "14050471", "67062674", "99943326"),
            (1234567890, 41152263, "89005924", "91819424", "93441116"),
            (2000000000, 66666666, "69279037", "90698825", "38618901"),
            (20000000000, 666666666, "65353130", "77737706", "47863826"),
        ];
        for (t, step, s1, s256, s512) in rows {
            for (alg, k, want) in [
                (Algorithm::Sha1, &k1, s1),
                (Algorithm::Sha256, &k256, s256),
                (Algorithm::Sha512, &k512, s512),
            ] {
                let totp = Totp {
                    algorithm: alg,
                    digits: 8,
                    ..Totp::default()
                };
                assert_eq!(totp.counter(t).unwrap(), step);
                assert_eq!(totp.code(k, t).unwrap(), want, "{alg} at {t}");
                assert_eq!(totp.verify(k, want, t, 0, 0).unwrap(), Some(step));
            }
        }
    }

    #[test]
    fn window_and_errors() {
        let k = key("12345678901234567890");
        let totp = Totp {
            digits: 8,
            ..Totp::default()
        };
        // 94287082 is step 1 (30..60 s).
        assert_eq!(totp.verify(&k, "94287082", 89, 1, 0).unwrap(), Some(1));
        assert_eq!(totp.verify(&k, "94287082", 90, 1, 0).unwrap(), None);
        assert_eq!(totp.verify(&k, "94287082", 29, 0, 1).unwrap(), Some(1));
        assert_eq!(totp.verify(&k, "94287082", 29, 0, 0).unwrap(), None);
        assert_eq!(totp.verify(&k, "9428708", 59, 1, 1).unwrap(), None);
        assert_eq!(totp.verify(&k, "", 59, 1, 1).unwrap(), None);
        assert_eq!(
            Totp { digits: 5, ..totp }.code(&k, 0),
            Err(OtpError::Digits(5))
        );
        assert_eq!(Totp { step: 0, ..totp }.code(&k, 0), Err(OtpError::Step));
        assert_eq!(
            Totp { t0: 100, ..totp }.code(&k, 99),
            Err(OtpError::BeforeEpoch)
        );
        assert_eq!(
            totp.code(&SecretKey::new(Vec::new()), 0),
            Err(OtpError::EmptyKey)
        );
        // Window at the very end of time does not overflow.
        assert!(totp.verify(&k, "00000000", u64::MAX, 2, 2).is_ok());
    }

    #[test]
    fn hex_keys_and_debug() {
        let k = SecretKey::from_hex("3132333435363738393031323334353637383930").unwrap();
        assert_eq!(k.expose(), b"12345678901234567890");
        assert_eq!(format!("{k:?}"), "SecretKey(20 bytes)");
        assert_eq!(SecretKey::from_hex("abc"), Err(OtpError::KeyHex));
        assert_eq!(SecretKey::from_hex("zz"), Err(OtpError::KeyHex));
        assert_eq!(SecretKey::from_hex(""), Err(OtpError::KeyHex));
        assert_eq!(SecretKey::from_hex("AbCd").unwrap().expose(), &[0xab, 0xcd]);
        assert_eq!(Algorithm::parse("SHA-256"), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::parse("md5"), None);
        assert_eq!(format(7081804, 8), "07081804");
    }
}
