//! Dynamic consumer payment codes (付款码): generation and verification of the 18- or
//! 19-digit one-time numeric code a wallet shows and a merchant scans. Layout (see
//! `spec/paycode.md`): network prefix + token index + a TOTP value from a per-device key.
//!
//! This is a design, not a published standard (dossier §6.2): JR/T 0245's encoding rules
//! are not public. The prefix defaults to the wallets' published prefixes in
//! [`crate::formats::paycode::RULES`] (so generated codes are recognised by
//! [`crate::formats::paycode::detect`]) and can be any 2 to 4 digits the caller gives.
//!
//! The code carries no account data (PBoC 2017 rules, dossier §3.2): the index is an opaque
//! number the issuer maps to a device key and a token. The clock is an argument; replays
//! are refused through the caller's [`ReplayGuard`].
//!
//! ```
//! use qrpay::otp::SecretKey;
//! use qrpay::paycode::{generate, verify, Layout, MemoryReplayGuard, Window};
//! let layout = Layout::for_wallet("unionpay").unwrap();
//! let key = SecretKey::new(vec![0x42; 32]);
//! let code = generate(&layout, &key, 123_456, 1_700_000_000).unwrap();
//! assert_eq!(code.len(), 19);
//! assert!(code.starts_with("62000123456"));
//! assert!(qrpay::formats::paycode::detect(&code));
//! let mut guard = MemoryReplayGuard::default();
//! let ok = verify(&layout, &key, &code, 1_700_000_010, Window::default(), &mut guard).unwrap();
//! assert_eq!(ok.index, 123_456);
//! // Accepted once only.
//! assert!(verify(&layout, &key, &code, 1_700_000_011, Window::default(), &mut guard).is_err());
//! ```

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::cpm::{CpmData, CryptogramData, Digits, Pan, TemplateData};
use crate::formats::paycode::{PaycodeRule, RULES};
use crate::otp::{self, Algorithm, OtpError, SecretKey};
use crate::token::Token;

/// What the OTP's HMAC covers besides the time step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Binding {
    /// The 8-byte step, then the prefix and index digits as ASCII: changing any digit of the
    /// code changes the expected OTP.
    #[default]
    PrefixAndIndex,
    /// Plain RFC 6238 TOTP of the device key (the prefix and index are only checked by the
    /// issuer's lookup).
    None,
}

/// The layout and OTP parameters of a payment code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Layout {
    prefix: String,
    length: u8,
    otp_digits: u8,
    /// The HMAC hash (default SHA-256).
    pub algorithm: Algorithm,
    /// Time step in seconds (default 30).
    pub step: u64,
    /// T0 in Unix seconds (default 0).
    pub t0: u64,
    /// What the HMAC covers.
    pub binding: Binding,
}

/// Why a code cannot be generated or is refused. Never carries key material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaycodeError<E = core::convert::Infallible> {
    /// The layout is not possible.
    #[error("bad layout: {0}")]
    Layout(&'static str),
    /// No wallet of that name in the rules, or its rule allows no 18- or 19-digit code.
    #[error("no paycode rule gives an 18- or 19-digit code for that wallet")]
    Wallet,
    /// The device key is shorter than 16 bytes.
    #[error("the device key is shorter than 16 bytes")]
    Key,
    /// The index does not fit the layout's index digits.
    #[error("the token index does not fit in {0} digits")]
    Index(usize),
    /// The text is not a code of this layout (length, digits or prefix).
    #[error("not a payment code of this layout: {0}")]
    Format(&'static str),
    /// The OTP matches no step in the window.
    #[error("the one-time value does not match")]
    Mismatch,
    /// The OTP matches a step before the window: the code has expired.
    #[error("the code has expired")]
    Expired,
    /// The code (or a later one of the same index) was already accepted.
    #[error("the code was already used")]
    Replayed,
    /// The OTP computation failed.
    #[error(transparent)]
    Otp(#[from] OtpError),
    /// The token cannot be put in a CPM payload.
    #[error("the token cannot be put in a CPM payload: {0}")]
    Cpm(&'static str),
    /// The replay guard failed.
    #[error("replay guard error")]
    Guard(E),
}

impl Layout {
    /// `prefix` (2 to 4 digits) + index + `otp_digits` (6 to 9) OTP digits, `length` (18 or
    /// 19) in all; at least 5 index digits are left. SHA-256, 30-second steps.
    pub fn new(prefix: &str, length: u8, otp_digits: u8) -> Result<Layout, PaycodeError> {
        if !(2..=4).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PaycodeError::Layout("the prefix is 2 to 4 digits"));
        }
        if !(18..=19).contains(&length) {
            return Err(PaycodeError::Layout("a payment code is 18 or 19 digits"));
        }
        if !(6..=9).contains(&otp_digits) {
            return Err(PaycodeError::Layout("the OTP is 6 to 9 digits"));
        }
        Ok(Layout {
            prefix: String::from(prefix),
            length,
            otp_digits,
            algorithm: Algorithm::Sha256,
            step: 30,
            t0: 0,
            binding: Binding::PrefixAndIndex,
        })
    }

    /// The layout for a wallet of [`RULES`] (`"unionpay"`, `"wechatpay"`, `"alipay"`).
    pub fn for_wallet(wallet: &str) -> Result<Layout, PaycodeError> {
        Layout::for_wallet_in(RULES, wallet)
    }

    /// The layout for `wallet` in `rules` (e.g. a routing directory's table): the lowest
    /// prefix of its rule, the shortest of 18 and 19 digits its rule allows, 8 OTP digits.
    pub fn for_wallet_in(rules: &[PaycodeRule], wallet: &str) -> Result<Layout, PaycodeError> {
        let rule = rules
            .iter()
            .find(|r| r.wallet == wallet)
            .ok_or(PaycodeError::Wallet)?;
        Layout::from_rule(rule)
    }

    /// The layout for `scheme` from a routing directory's payment-code entries: the first
    /// `paycode` key of that scheme gives the prefix, and the shortest of 18 and 19 digits its
    /// lengths allow the length; 8 OTP digits. This is how a deployment keeps generation in
    /// step with the directory its acquirers route by.
    ///
    /// ```
    /// use qrpay::{paycode::Layout, routing::Directory, schemes::SchemeId};
    /// let l = Layout::from_directory(&Directory::builtin(), SchemeId::Unionpay).unwrap();
    /// assert_eq!((l.prefix(), l.length()), ("62", 19));
    /// ```
    pub fn from_directory(
        dir: &crate::routing::Directory,
        scheme: crate::schemes::SchemeId,
    ) -> Result<Layout, PaycodeError> {
        let hit = dir
            .entries()
            .find(|h| {
                h.network.scheme == scheme && h.entry.kind == crate::routing::KeyKind::Paycode
            })
            .ok_or(PaycodeError::Wallet)?;
        let (lo, hi) = hit.entry.lengths.ok_or(PaycodeError::Wallet)?;
        let length = [18u8, 19]
            .into_iter()
            .find(|l| (lo..=hi).contains(l))
            .ok_or(PaycodeError::Wallet)?;
        Layout::new(&hit.entry.key, length, 8)
    }

    /// The layout of one rule (see [`Layout::for_wallet_in`]).
    pub fn from_rule(rule: &PaycodeRule) -> Result<Layout, PaycodeError> {
        let length = [18u8, 19]
            .into_iter()
            .find(|l| (rule.lengths.0..=rule.lengths.1).contains(l))
            .ok_or(PaycodeError::Wallet)?;
        let prefix = alloc::format!("{:02}", rule.prefixes.0);
        Layout::new(&prefix, length, 8)
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Total digits.
    pub fn length(&self) -> u8 {
        self.length
    }

    /// OTP digits.
    pub fn otp_digits(&self) -> u8 {
        self.otp_digits
    }

    /// Index digits: what the prefix and OTP leave.
    pub fn index_digits(&self) -> usize {
        usize::from(self.length) - self.prefix.len() - usize::from(self.otp_digits)
    }

    fn step_of(&self, unix_time: u64) -> Result<u64, OtpError> {
        otp::Totp {
            algorithm: self.algorithm,
            digits: self.otp_digits,
            step: self.step,
            t0: self.t0,
        }
        .counter(unix_time)
    }

    /// The OTP digits for `index_text` (already formatted) at time step `step`.
    fn otp_at(&self, key: &SecretKey, index_text: &str, step: u64) -> Result<String, OtpError> {
        let mut extra = Vec::new();
        if self.binding == Binding::PrefixAndIndex {
            extra.extend_from_slice(self.prefix.as_bytes());
            extra.extend_from_slice(index_text.as_bytes());
        }
        let v = otp::hotp_with(key, step, &extra, self.otp_digits, self.algorithm)?;
        Ok(otp::format(v, self.otp_digits))
    }
}

fn check_key(key: &SecretKey) -> Result<(), PaycodeError> {
    if key.len() < 16 {
        return Err(PaycodeError::Key);
    }
    Ok(())
}

/// The code for device `index` at `unix_time`.
pub fn generate(
    layout: &Layout,
    key: &SecretKey,
    index: u64,
    unix_time: u64,
) -> Result<String, PaycodeError> {
    check_key(key)?;
    let width = layout.index_digits();
    if index >= 10u64.saturating_pow(width as u32) {
        return Err(PaycodeError::Index(width));
    }
    let index_text = alloc::format!("{index:0width$}");
    let step = layout.step_of(unix_time)?;
    let otp = layout.otp_at(key, &index_text, step)?;
    let mut code = String::with_capacity(usize::from(layout.length));
    code.push_str(&layout.prefix);
    code.push_str(&index_text);
    code.push_str(&otp);
    Ok(code)
}

/// A code split by a layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The prefix.
    pub prefix: &'a str,
    /// The index digits.
    pub index: &'a str,
    /// The OTP digits.
    pub otp: &'a str,
}

impl Parts<'_> {
    /// The index as a number.
    pub fn index_value(&self) -> u64 {
        self.index.parse().unwrap_or(0)
    }
}

/// Splits `code` by `layout`: checks the length, the digits and the prefix.
pub fn split<'a>(layout: &Layout, code: &'a str) -> Result<Parts<'a>, PaycodeError> {
    if code.len() != usize::from(layout.length) {
        return Err(PaycodeError::Format("wrong length"));
    }
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PaycodeError::Format("not all digits"));
    }
    let p = layout.prefix.len();
    let i = p + layout.index_digits();
    match (code.get(..p), code.get(p..i), code.get(i..)) {
        (Some(prefix), Some(index), Some(otp)) if prefix == layout.prefix => {
            Ok(Parts { prefix, index, otp })
        }
        _ => Err(PaycodeError::Format("wrong prefix")),
    }
}

/// The time steps around "now" that a code may come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    /// Steps before the current one accepted (default 1).
    pub past: u32,
    /// Steps after the current one accepted, for clock drift (default 0).
    pub future: u32,
}

impl Default for Window {
    fn default() -> Window {
        Window { past: 1, future: 0 }
    }
}

impl Window {
    /// The widest window [`verify`] accepts on each side: one HMAC is computed per step, so
    /// the window bounds the work of a verification (1 000 steps is over 8 hours at 30 s).
    pub const MAX_STEPS: u32 = 1000;
}

/// How many steps before the window a mismatch is looked for to say "expired" rather than
/// "does not match".
const EXPIRY_LOOKBACK: u64 = 10;

/// Single-use storage for verified codes, kept by the host.
pub trait ReplayGuard {
    /// The storage's error.
    type Error;

    /// Records that `index`'s code of time step `step` is being accepted; returns `false`
    /// (and records nothing) when that code was already accepted.
    fn claim(&mut self, index: u64, step: u64) -> Result<bool, Self::Error>;
}

/// A replay guard in memory: per index the last accepted step; a code of that step or an
/// earlier one is refused (RFC 6238 §5.2). One entry per index, so it stays bounded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryReplayGuard {
    last: BTreeMap<u64, u64>,
}

impl MemoryReplayGuard {
    /// The last accepted step of each index.
    pub fn entries(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.last.iter().map(|(i, s)| (*i, *s))
    }

    /// Restores an entry (e.g. from the host's file).
    pub fn restore(&mut self, index: u64, step: u64) {
        let e = self.last.entry(index).or_insert(step);
        *e = (*e).max(step);
    }
}

impl ReplayGuard for MemoryReplayGuard {
    type Error = core::convert::Infallible;

    fn claim(&mut self, index: u64, step: u64) -> Result<bool, Self::Error> {
        match self.last.get(&index) {
            Some(last) if step <= *last => Ok(false),
            _ => {
                self.last.insert(index, step);
                Ok(true)
            }
        }
    }
}

/// An accepted code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The token index it carried.
    pub index: u64,
    /// The time step it was made at.
    pub step: u64,
}

fn widen<E>(e: PaycodeError) -> PaycodeError<E> {
    match e {
        PaycodeError::Layout(s) => PaycodeError::Layout(s),
        PaycodeError::Wallet => PaycodeError::Wallet,
        PaycodeError::Key => PaycodeError::Key,
        PaycodeError::Index(n) => PaycodeError::Index(n),
        PaycodeError::Format(s) => PaycodeError::Format(s),
        PaycodeError::Mismatch => PaycodeError::Mismatch,
        PaycodeError::Expired => PaycodeError::Expired,
        PaycodeError::Replayed => PaycodeError::Replayed,
        PaycodeError::Otp(o) => PaycodeError::Otp(o),
        PaycodeError::Cpm(s) => PaycodeError::Cpm(s),
        PaycodeError::Guard(never) => match never {},
    }
}

/// Verifies `code` at `unix_time` with the device `key` the caller looked up from its
/// index: layout, then the OTP against every step of `window` (constant-time compare),
/// then single use through `guard`.
pub fn verify<G: ReplayGuard>(
    layout: &Layout,
    key: &SecretKey,
    code: &str,
    unix_time: u64,
    window: Window,
    guard: &mut G,
) -> Result<Accepted, PaycodeError<G::Error>> {
    check_key(key).map_err(widen)?;
    if window.past > Window::MAX_STEPS || window.future > Window::MAX_STEPS {
        return Err(PaycodeError::Layout(
            "the verification window is at most 1000 steps each side",
        ));
    }
    let parts = split(layout, code).map_err(widen)?;
    let now = layout.step_of(unix_time)?;
    let first = now.saturating_sub(u64::from(window.past));
    let last = now.saturating_add(u64::from(window.future));
    let mut matched = None;
    let mut step = first.saturating_sub(EXPIRY_LOOKBACK);
    loop {
        let expected = layout.otp_at(key, parts.index, step)?;
        if otp::codes_equal(&expected, parts.otp) {
            matched = Some(step);
        }
        if step >= last {
            break;
        }
        step += 1;
    }
    let step = match matched {
        Some(s) if s >= first => s,
        Some(_) => return Err(PaycodeError::Expired),
        None => return Err(PaycodeError::Mismatch),
    };
    let index = parts.index_value();
    if !guard.claim(index, step).map_err(PaycodeError::Guard)? {
        return Err(PaycodeError::Replayed);
    }
    Ok(Accepted { index, step })
}

/// The same token as an EMV CPM payload: one application template with the AID, the token
/// as 5A, its requestor (9F19), PAR (9F24) and PAN last four (9F25) when known, and the
/// caller's cryptogram data in the transparent template 63.
pub fn cpm_data(
    token: &Token,
    aid: &[u8],
    cryptogram: &CryptogramData,
) -> Result<CpmData, PaycodeError> {
    let pan = Pan::new(token.number()).ok_or(PaycodeError::Cpm("token digits"))?;
    let requestor = match &token.requestor {
        Some(r) => {
            Some(Digits::<11>::new(r.as_str()).ok_or(PaycodeError::Cpm("token requestor ID"))?)
        }
        None => None,
    };
    let last4 = match &token.pan_last4 {
        Some(l) => Some(Digits::<4>::new(l).ok_or(PaycodeError::Cpm("PAN last four"))?),
        None => None,
    };
    let app = TemplateData {
        aid: Some(aid.to_vec()),
        pan: Some(pan),
        token_requestor_id: requestor,
        par: token.par.as_ref().map(|p| String::from(p.as_str())),
        pan_last4: last4,
        transparent: cryptogram.objects(),
        ..TemplateData::default()
    };
    Ok(CpmData {
        applications: alloc::vec![app],
        ..CpmData::default()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn windows_wider_than_the_bound_are_refused_at_once() {
        let layout = Layout::for_wallet("unionpay").unwrap();
        let key = SecretKey::new(vec![7u8; 32]);
        let code = generate(&layout, &key, 1, 1_700_000_000).unwrap();
        let mut guard = MemoryReplayGuard::default();
        let wide = Window {
            past: u32::MAX,
            future: 0,
        };
        assert!(matches!(
            verify(&layout, &key, &code, 1_700_000_000, wide, &mut guard),
            Err(PaycodeError::Layout(_))
        ));
        let ok = Window {
            past: Window::MAX_STEPS,
            future: 0,
        };
        assert!(verify(&layout, &key, &code, 1_700_000_000, ok, &mut guard).is_ok());
    }

    #[test]
    fn directory_and_rules_give_the_same_layouts() {
        let dir = crate::routing::Directory::builtin();
        for (scheme, wallet) in [
            (crate::schemes::SchemeId::Unionpay, "unionpay"),
            (crate::schemes::SchemeId::Wechatpay, "wechatpay"),
            (crate::schemes::SchemeId::Alipay, "alipay"),
        ] {
            let a = Layout::from_directory(&dir, scheme).unwrap();
            let b = Layout::for_wallet(wallet).unwrap();
            assert_eq!(
                (a.prefix(), a.length()),
                (b.prefix(), b.length()),
                "{wallet}"
            );
        }
        assert!(Layout::from_directory(&dir, crate::schemes::SchemeId::Pix).is_err());
    }

    use super::*;
    use crate::token::{
        Account, DomainControls, IssueRequest, MemoryVault, Par, TokenRange, TokenRequestorId,
        Tokenizer,
    };
    use proptest::prelude::*;

    const T: u64 = 1_700_000_000; // a multiple of 10, step 56_666_666 starts at 1_699_999_980

    fn key() -> SecretKey {
        SecretKey::new((100u8..132).collect())
    }

    #[test]
    fn layouts_from_rules() {
        let u = Layout::for_wallet("unionpay").unwrap();
        assert_eq!((u.prefix(), u.length(), u.index_digits()), ("62", 19, 9));
        let w = Layout::for_wallet("wechatpay").unwrap();
        assert_eq!((w.prefix(), w.length(), w.index_digits()), ("10", 18, 8));
        let a = Layout::for_wallet("alipay").unwrap();
        assert_eq!((a.prefix(), a.length()), ("25", 18));
        assert_eq!(Layout::for_wallet("nope"), Err(PaycodeError::Wallet));
        for l in [u, w, a] {
            let c = generate(&l, &key(), 7, T).unwrap();
            // Recognised, and attributed to the wallet, by the detector of formats::paycode.
            let p = crate::formats::paycode::parse(&c).unwrap();
            let mut r = crate::report::Report::new(crate::report::Mode::Strict);
            p.validate(&mut r);
            assert!(r.is_empty(), "{c}");
            let d = crate::decode(&c);
            assert_eq!(d.kind.as_str(), "paycode");
        }
        assert!(Layout::new("6", 19, 8).is_err());
        assert!(Layout::new("62", 20, 8).is_err());
        assert!(Layout::new("62", 19, 5).is_err());
        assert_eq!(Layout::new("6212", 18, 9).unwrap().index_digits(), 5);
    }

    #[test]
    fn once_only_window_and_tamper() {
        let l = Layout::for_wallet("unionpay").unwrap();
        let k = key();
        let code = generate(&l, &k, 42, T).unwrap();
        assert_eq!(&code[..11], "62000000042");
        let mut g = MemoryReplayGuard::default();
        let ok = verify(&l, &k, &code, T + 5, Window::default(), &mut g).unwrap();
        assert_eq!(ok.index, 42);
        assert_eq!(ok.step, T / 30);
        assert_eq!(
            verify(&l, &k, &code, T + 6, Window::default(), &mut g),
            Err(PaycodeError::Replayed)
        );
        // Window: generated in step s; accepted through step s+1 with past = 1, not at s+2.
        let step_start = T / 30 * 30;
        let c2 = generate(&l, &k, 43, step_start).unwrap();
        let mut g2 = MemoryReplayGuard::default();
        assert_eq!(
            verify(&l, &k, &c2, step_start + 60, Window::default(), &mut g2),
            Err(PaycodeError::Expired)
        );
        assert_eq!(
            verify(&l, &k, &c2, step_start - 1, Window::default(), &mut g2),
            Err(PaycodeError::Mismatch),
            "a code from the future is refused without a future window"
        );
        assert!(verify(
            &l,
            &k,
            &c2,
            step_start - 1,
            Window { past: 0, future: 1 },
            &mut g2
        )
        .is_ok());
        let c3 = generate(&l, &k, 44, step_start).unwrap();
        assert!(verify(&l, &k, &c3, step_start + 59, Window::default(), &mut g2).is_ok());
        // Wrong key.
        let c4 = generate(&l, &k, 45, T).unwrap();
        let other = SecretKey::new(vec![1; 32]);
        assert_eq!(
            verify(&l, &other, &c4, T, Window::default(), &mut g2),
            Err(PaycodeError::Mismatch)
        );
        // Format.
        assert_eq!(
            verify(&l, &k, "6200000004512345678", T, Window::default(), &mut g2).map(|_| ()),
            Err(PaycodeError::Mismatch)
        );
        assert!(matches!(
            verify(&l, &k, "620000000451234567", T, Window::default(), &mut g2),
            Err(PaycodeError::Format(_))
        ));
        assert!(matches!(
            verify(&l, &k, "6300000004512345678", T, Window::default(), &mut g2),
            Err(PaycodeError::Format(_))
        ));
        assert!(matches!(
            verify(&l, &k, "62000000045123456 8", T, Window::default(), &mut g2),
            Err(PaycodeError::Format(_))
        ));
        assert_eq!(
            generate(&l, &k, 1_000_000_000, T),
            Err(PaycodeError::Index(9))
        );
        assert_eq!(
            generate(&l, &SecretKey::new(vec![1; 15]), 1, T),
            Err(PaycodeError::Key)
        );
    }

    #[test]
    fn plain_rfc6238_binding() {
        // With Binding::None the OTP digits are RFC 6238 TOTP of the key: the SHA-256
        // Appendix B value at T = 59 (8 digits) ends the code.
        let mut l = Layout::new("62", 19, 8).unwrap();
        l.binding = Binding::None;
        let k = SecretKey::new(b"12345678901234567890123456789012".to_vec());
        let c = generate(&l, &k, 1, 59).unwrap();
        assert_eq!(c, "6200000000146119246");
        l.algorithm = Algorithm::Sha512;
        let k = SecretKey::new(
            b"1234567890123456789012345678901234567890123456789012345678901234".to_vec(),
        );
        assert_eq!(
            generate(&l, &k, 1, 1111111111).unwrap(),
            "6200000000199943326"
        );
    }

    #[test]
    fn cpm_payload_from_token() {
        let t = Tokenizer::new(
            SecretKey::new(vec![7; 32]),
            TokenRange::new("621094", "621094", 19).unwrap(),
        )
        .unwrap();
        let mut v = MemoryVault::default();
        let mut req = IssueRequest::new(
            "cpm",
            Account::pan("6212345678901232").unwrap(),
            DomainControls::default(),
        );
        req.par = Some(
            Par::new(
                "Q1J4AwSWD4Jvn1X0nDuoR8i0aDY5X"
                    .to_ascii_uppercase()
                    .as_str(),
            )
            .unwrap(),
        );
        req.requestor = Some(TokenRequestorId::new("40010030273").unwrap());
        let tok = t.issue(&mut v, req).unwrap();
        let crypt = CryptogramData {
            cryptogram: [1, 2, 3, 4, 5, 6, 7, 8],
            cid: 0x80,
            issuer_application_data: alloc::vec![0x07, 0x01, 0x01],
            atc: 1,
            aip: [0x19, 0x80],
            unpredictable_number: [9, 9, 9, 9],
        };
        let data = cpm_data(&tok, &[0xA0, 0, 0, 0x03, 0x33, 0x01, 0x01, 0x01], &crypt).unwrap();
        let text = data.build().unwrap();
        // Read back through the CPM decoder.
        let cpm = crate::cpm::Cpm::decode(&text).unwrap();
        let app = cpm.application_templates().next().unwrap();
        assert_eq!(app.pan().unwrap().reveal(), tok.number());
        assert_eq!(app.token_requestor_id().unwrap().as_str(), "40010030273");
        assert_eq!(app.par(), Some("Q1J4AWSWD4JVN1X0NDUOR8I0ADY5X"));
        assert_eq!(app.pan_last4().unwrap().as_str(), "1232");
        let t = app.transparent().unwrap();
        assert_eq!(t.cryptogram(), Some(&[1, 2, 3, 4, 5, 6, 7, 8][..]));
        assert_eq!(t.atc(), Some(1));
        let d = crate::decode(&text);
        assert_eq!(d.kind.as_str(), "emv-cpm");
    }

    proptest! {
        #[test]
        fn any_one_digit_changed_fails(index in 0u64..1_000_000_000, t in 1_000_000u64..4_000_000_000, pos in 0usize..19, delta in 1u8..10) {
            let l = Layout::for_wallet("unionpay").unwrap();
            let k = key();
            let code = generate(&l, &k, index, t).unwrap();
            let mut bytes = code.clone().into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            let mut g = MemoryReplayGuard::default();
            let wide = Window { past: 1, future: 1 };
            prop_assert!(verify(&l, &k, &changed, t, wide, &mut g).is_err());
            // The original still verifies, once.
            prop_assert!(verify(&l, &k, &code, t, Window::default(), &mut g).is_ok());
            prop_assert_eq!(verify(&l, &k, &code, t, Window::default(), &mut g), Err(PaycodeError::Replayed));
        }
    }
}
