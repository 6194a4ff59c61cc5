//! Payment tokenisation (dossier §6.1): a payment token stands in for a PAN or account id.
//!
//! A token is 13 to 19 digits, passes Luhn, lies in a configured token BIN range, is never
//! the PAN it replaces, and is derived with HMAC-SHA-256 from a secret key, the token domain
//! and the account, so the same account in the same domain always gets the same token.
//! When two accounts would get the same number, the [`TokenVault`] (the host's storage)
//! says so and the next candidate is taken. Detokenisation checks the token domain
//! restriction controls (channel, merchant, acquirer, expiry, usage count) and names the
//! one that failed.
//!
//! Nothing here does I/O: the key, the clock and the vault come from the caller.
//! Account numbers never appear in `Debug` output or error messages.
//!
//! ```
//! use qrpay::otp::SecretKey;
//! use qrpay::token::*;
//! let range = TokenRange::new("490000", "490099", 16).unwrap();
//! let tokenizer = Tokenizer::new(SecretKey::new(vec![7; 32]), range).unwrap();
//! let mut vault = MemoryVault::default();
//! let account = Account::pan("6212345678901232").unwrap();
//! let request = IssueRequest::new("wallet-a", account, DomainControls::default());
//! let token = tokenizer.issue(&mut vault, request).unwrap();
//! assert!(token.number().starts_with("4900"));
//! assert!(luhn_valid(token.number()));
//! let usage = Usage { channel: Channel::Cpm, merchant_id: None, acquirer_id: None, now: 0 };
//! let resolved = detokenize(&mut vault, token.number(), &usage).unwrap();
//! assert_eq!(resolved.account.reveal(), "6212345678901232");
//! ```

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::otp::{self, Algorithm, SecretKey};

/// True when `digits` is all ASCII digits, not empty, and passes the Luhn check.
pub fn luhn_valid(digits: &str) -> bool {
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && luhn_sum(digits.as_bytes(), false) % 10 == 0
}

/// The Luhn check digit to append to `digits` (all ASCII digits).
pub fn luhn_check_digit(digits: &str) -> Option<u8> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let s = luhn_sum(digits.as_bytes(), true);
    Some(((10 - s % 10) % 10) as u8)
}

/// Luhn sum; `double_last` is true when the rightmost digit given is doubled (a check digit
/// will follow).
fn luhn_sum(digits: &[u8], double_last: bool) -> u32 {
    let mut sum = 0u32;
    for (i, b) in digits.iter().rev().enumerate() {
        let d = u32::from(b.wrapping_sub(b'0'));
        let double = (i % 2 == 0) == double_last;
        sum += if double {
            let x = d * 2;
            if x > 9 {
                x - 9
            } else {
                x
            }
        } else {
            d
        };
    }
    sum
}

/// The account a token replaces: a PAN (12 to 19 digits) or another account id (1 to 64
/// printable ASCII characters). Wiped when dropped; `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    kind: AccountKind,
    value: String,
}

/// What an [`Account`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountKind {
    /// A card number.
    Pan,
    /// Another account identifier (wallet account, bank account).
    Id,
}

impl Account {
    /// A PAN: 12 to 19 digits (the Luhn check is not required; some domestic PANs lack it).
    pub fn pan(digits: &str) -> Result<Account, TokenError> {
        if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TokenError::Account("a PAN is 12 to 19 digits"));
        }
        Ok(Account {
            kind: AccountKind::Pan,
            value: String::from(digits),
        })
    }

    /// Another account identifier: 1 to 64 printable ASCII characters.
    pub fn id(text: &str) -> Result<Account, TokenError> {
        if !(1..=64).contains(&text.len()) || !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(TokenError::Account(
                "an account id is 1 to 64 printable ASCII characters",
            ));
        }
        Ok(Account {
            kind: AccountKind::Id,
            value: String::from(text),
        })
    }

    /// PAN or id.
    pub fn kind(&self) -> AccountKind {
        self.kind
    }

    /// The account itself (for the host's authorisation path; never log it).
    pub fn reveal(&self) -> &str {
        &self.value
    }

    /// The last four digits of a PAN (what a receipt and CPM tag 9F25 show).
    pub fn pan_last4(&self) -> Option<&str> {
        match self.kind {
            AccountKind::Pan => self.value.get(self.value.len().saturating_sub(4)..),
            AccountKind::Id => None,
        }
    }

    /// Constant-time equality (the account is secret).
    pub fn ct_eq(&self, other: &Account) -> bool {
        self.kind == other.kind
            && self.value.len() == other.value.len()
            && bool::from(self.value.as_bytes().ct_eq(other.value.as_bytes()))
    }
}

impl Drop for Account {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            AccountKind::Pan => write!(f, "Account(PAN, {} digits, redacted)", self.value.len()),
            AccountKind::Id => f.write_str("Account(id, redacted)"),
        }
    }
}

/// A token BIN range: tokens start with a prefix between `low` and `high` (inclusive, both
/// the same number of digits) and are `length` digits long, the last a Luhn check digit.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenRange {
    low: String,
    high: String,
    length: u8,
}

/// Fewest digits a token has between its prefix and its check digit.
pub const MIN_FREE_DIGITS: usize = 6;

impl TokenRange {
    /// A range of prefixes `low..=high` (1 to 12 digits, same length) for tokens of `length`
    /// digits (13 to 19) that leave at least [`MIN_FREE_DIGITS`] digits to derive.
    pub fn new(low: &str, high: &str, length: u8) -> Result<TokenRange, TokenError> {
        let digits = |s: &str| (1..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(low) || !digits(high) || low.len() != high.len() || low > high {
            return Err(TokenError::Range(
                "the prefixes are 1 to 12 digits, of one length, low <= high",
            ));
        }
        if !(13..=19).contains(&length) {
            return Err(TokenError::Range("a token is 13 to 19 digits"));
        }
        if usize::from(length) < low.len() + 1 + MIN_FREE_DIGITS {
            return Err(TokenError::Range(
                "the prefix leaves fewer than 6 digits to derive",
            ));
        }
        Ok(TokenRange {
            low: String::from(low),
            high: String::from(high),
            length,
        })
    }

    /// Token length in digits.
    pub fn length(&self) -> u8 {
        self.length
    }

    /// The lowest prefix.
    pub fn low(&self) -> &str {
        &self.low
    }

    /// The highest prefix.
    pub fn high(&self) -> &str {
        &self.high
    }

    /// True when `number` starts with a prefix of the range (any length).
    pub fn covers(&self, number: &str) -> bool {
        number.get(..self.low.len()).is_some_and(|p| {
            p.bytes().all(|b| b.is_ascii_digit()) && *p >= *self.low && *p <= *self.high
        })
    }

    /// True when `number` is a well-formed token of this range: the length, the prefix and
    /// the Luhn check.
    pub fn contains(&self, number: &str) -> bool {
        number.len() == usize::from(self.length) && self.covers(number) && luhn_valid(number)
    }

    fn span(&self) -> u64 {
        let p = |s: &str| s.parse::<u64>().unwrap_or(0);
        p(&self.high) - p(&self.low) + 1
    }
}

/// Where a token is used (a token domain restriction control).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Merchant-presented QR code (the consumer scans).
    Mpm,
    /// Consumer-presented EMV QR code (the merchant scans).
    Cpm,
    /// Numeric dynamic consumer payment code.
    Paycode,
}

impl Channel {
    /// `"mpm"`, `"cpm"` or `"paycode"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Mpm => "mpm",
            Channel::Cpm => "cpm",
            Channel::Paycode => "paycode",
        }
    }

    /// Reads [`Channel::as_str`]'s names.
    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "mpm" => Some(Channel::Mpm),
            "cpm" => Some(Channel::Cpm),
            "paycode" => Some(Channel::Paycode),
            _ => None,
        }
    }
}

/// The token domain restriction controls checked on every detokenisation. Empty lists
/// allow everything; `None` limits nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DomainControls {
    /// Channels the token may be used in.
    pub channels: Vec<Channel>,
    /// Merchant ids the token may pay.
    pub merchants: Vec<String>,
    /// Acquirer ids the token may be presented by.
    pub acquirers: Vec<String>,
    /// Last Unix second the token may be used at.
    pub not_after: Option<u64>,
    /// How many detokenisations the token allows.
    pub max_uses: Option<u32>,
}

/// The control that denied a detokenisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Control {
    /// The channel is not allowed.
    Channel,
    /// The merchant is not allowed (or not given when the token is merchant-bound).
    Merchant,
    /// The acquirer is not allowed (or not given when the token is acquirer-bound).
    Acquirer,
    /// The token has expired.
    Expiry,
    /// The token's uses are spent.
    UsageCount,
}

impl Control {
    /// `"channel"`, `"merchant"`, `"acquirer"`, `"expiry"` or `"usage-count"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Control::Channel => "channel",
            Control::Merchant => "merchant",
            Control::Acquirer => "acquirer",
            Control::Expiry => "expiry",
            Control::UsageCount => "usage-count",
        }
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One use of a token, as the detokenisation request describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage<'a> {
    /// The channel.
    pub channel: Channel,
    /// The merchant, when known.
    pub merchant_id: Option<&'a str>,
    /// The acquirer, when known.
    pub acquirer_id: Option<&'a str>,
    /// Unix seconds now (the caller's clock).
    pub now: u64,
}

impl DomainControls {
    /// The first control `usage` fails, given `uses` earlier detokenisations; `None` when
    /// all pass. Order: expiry, channel, merchant, acquirer, usage count.
    pub fn check(&self, usage: &Usage<'_>, uses: u32) -> Option<Control> {
        if self.not_after.is_some_and(|t| usage.now > t) {
            return Some(Control::Expiry);
        }
        if !self.channels.is_empty() && !self.channels.contains(&usage.channel) {
            return Some(Control::Channel);
        }
        let allowed = |list: &[String], id: Option<&str>| {
            list.is_empty() || id.is_some_and(|id| list.iter().any(|m| m == id))
        };
        if !allowed(&self.merchants, usage.merchant_id) {
            return Some(Control::Merchant);
        }
        if !allowed(&self.acquirers, usage.acquirer_id) {
            return Some(Control::Acquirer);
        }
        if self.max_uses.is_some_and(|m| uses >= m) {
            return Some(Control::UsageCount);
        }
        None
    }
}

/// Payment Account Reference (EMV Bulletin 167; CPM tag 9F24): 29 upper-case letters and
/// digits linking a PAN and all its tokens.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Par(String);

impl Par {
    /// Checks the 29 upper-case alphanumerics.
    pub fn new(s: &str) -> Result<Par, TokenError> {
        if s.len() != 29
            || !s
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(TokenError::Par);
        }
        Ok(Par(String::from(s)))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Token Requestor ID (CPM tag 9F19): 11 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenRequestorId(String);

impl TokenRequestorId {
    /// Checks the 11 digits.
    pub fn new(s: &str) -> Result<TokenRequestorId, TokenError> {
        if s.len() != 11 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TokenError::TokenRequestorId);
        }
        Ok(TokenRequestorId(String::from(s)))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Token assurance: how the token requestor and account holder were verified at issuance
/// (ID&V method codes as networks publish them, dossier §6.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Assurance {
    /// 00: no identification and verification.
    #[default]
    None,
    /// 10: card issuer account verification.
    AccountVerification,
    /// 11: issuer interactive cardholder verification, one factor.
    InteractiveOneFactor,
    /// 12: issuer interactive cardholder verification, two factors.
    InteractiveTwoFactor,
    /// 13: issuer risk-oriented non-interactive verification.
    RiskBased,
    /// 14: issuer asserted authentication.
    IssuerAsserted,
    /// Another two-digit code.
    Other(u8),
}

impl Assurance {
    /// The two-digit code.
    pub fn code(self) -> u8 {
        match self {
            Assurance::None => 0,
            Assurance::AccountVerification => 10,
            Assurance::InteractiveOneFactor => 11,
            Assurance::InteractiveTwoFactor => 12,
            Assurance::RiskBased => 13,
            Assurance::IssuerAsserted => 14,
            Assurance::Other(c) => c,
        }
    }

    /// From a code 0 to 99.
    pub fn from_code(code: u8) -> Option<Assurance> {
        Some(match code {
            0 => Assurance::None,
            10 => Assurance::AccountVerification,
            11 => Assurance::InteractiveOneFactor,
            12 => Assurance::InteractiveTwoFactor,
            13 => Assurance::RiskBased,
            14 => Assurance::IssuerAsserted,
            c if c < 100 => Assurance::Other(c),
            _ => return None,
        })
    }
}

/// A payment token and what travels with it (nothing here is the account).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    number: String,
    /// The token domain it was issued in.
    pub domain: String,
    /// Assurance at issuance.
    pub assurance: Assurance,
    /// The account's PAR.
    pub par: Option<Par>,
    /// The token requestor.
    pub requestor: Option<TokenRequestorId>,
    /// The last four digits of the PAN it replaces (receipts, CPM 9F25).
    pub pan_last4: Option<String>,
}

impl Token {
    /// A token read back from storage: `number` must be 13 to 19 digits passing Luhn.
    pub fn restore(number: &str, domain: &str) -> Result<Token, TokenError> {
        if !(13..=19).contains(&number.len()) || !luhn_valid(number) {
            return Err(TokenError::Range("a token is 13 to 19 digits passing Luhn"));
        }
        Ok(Token {
            number: String::from(number),
            domain: String::from(domain),
            assurance: Assurance::None,
            par: None,
            requestor: None,
            pan_last4: None,
        })
    }

    /// The token number.
    pub fn number(&self) -> &str {
        &self.number
    }
}

/// What a vault keeps for one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultEntry {
    /// The token.
    pub token: Token,
    /// The account it replaces.
    pub account: Account,
    /// Its restriction controls.
    pub controls: DomainControls,
    /// Successful detokenisations so far.
    pub uses: u32,
}

/// The host's token storage, keyed by token number (unique across domains).
pub trait TokenVault {
    /// The storage's error.
    type Error;

    /// The entry of `number`, if any.
    fn get(&self, number: &str) -> Result<Option<VaultEntry>, Self::Error>;

    /// Stores a new entry (its number is not in the vault).
    fn insert(&mut self, entry: VaultEntry) -> Result<(), Self::Error>;

    /// Counts one more use of `number`; returns the new count.
    fn record_use(&mut self, number: &str) -> Result<u32, Self::Error>;

    /// Stores `entry` unless its number is taken; `Ok(false)` when another writer stored
    /// that number first. A vault shared by several hosts makes this one atomic step (e.g. a
    /// primary-key insert that does nothing on conflict). The default calls
    /// [`TokenVault::insert`] and returns `Ok(true)`: right for a vault with one writer.
    fn insert_new(&mut self, entry: VaultEntry) -> Result<bool, Self::Error> {
        self.insert(entry).map(|()| true)
    }

    /// Reads `number`, checks `usage` against its controls ([`DomainControls::check`]) and
    /// counts the use, as one step: a vault shared by several hosts does this in one
    /// transaction, so a token allowing `n` uses is resolved `n` times at most. The default
    /// calls [`TokenVault::get`] then [`TokenVault::record_use`]: right for a vault with one
    /// writer.
    fn consume(&mut self, number: &str, usage: &Usage<'_>) -> Result<Consumed, Self::Error> {
        let Some(mut entry) = self.get(number)? else {
            return Ok(Consumed::Unknown);
        };
        if let Some(c) = entry.controls.check(usage, entry.uses) {
            return Ok(Consumed::Denied(c));
        }
        entry.uses = self.record_use(number)?;
        Ok(Consumed::Used(entry))
    }
}

/// What [`TokenVault::consume`] did.
// Returned once per detokenisation and taken apart at once: boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Consumed {
    /// No such token; nothing counted.
    Unknown,
    /// A control denied the use; nothing counted.
    Denied(Control),
    /// The use was counted: the entry, its `uses` including this one.
    Used(VaultEntry),
}

/// A vault in memory (tests, the CLI with its JSON file).
#[derive(Clone, Debug, Default)]
pub struct MemoryVault {
    entries: BTreeMap<String, VaultEntry>,
}

/// The in-memory vault cannot fail; this error never occurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the in-memory vault has no such token")]
pub struct MemoryVaultError;

impl MemoryVault {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All entries, by token number.
    pub fn entries(&self) -> impl Iterator<Item = &VaultEntry> + '_ {
        self.entries.values()
    }
}

impl TokenVault for MemoryVault {
    type Error = MemoryVaultError;

    fn get(&self, number: &str) -> Result<Option<VaultEntry>, MemoryVaultError> {
        Ok(self.entries.get(number).cloned())
    }

    fn insert(&mut self, entry: VaultEntry) -> Result<(), MemoryVaultError> {
        self.entries.insert(entry.token.number.clone(), entry);
        Ok(())
    }

    fn record_use(&mut self, number: &str) -> Result<u32, MemoryVaultError> {
        let e = self.entries.get_mut(number).ok_or(MemoryVaultError)?;
        e.uses = e.uses.saturating_add(1);
        Ok(e.uses)
    }
}

/// Why a token cannot be issued or resolved. No variant carries an account number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError<E = MemoryVaultError> {
    /// The account is malformed.
    #[error("bad account: {0}")]
    Account(&'static str),
    /// The token range is malformed.
    #[error("bad token range: {0}")]
    Range(&'static str),
    /// The key is shorter than 16 bytes.
    #[error("the tokenisation key is shorter than 16 bytes")]
    Key,
    /// The domain name is empty or longer than 64 bytes.
    #[error("the token domain is 1 to 64 bytes")]
    Domain,
    /// The PAR is not 29 upper-case alphanumerics.
    #[error("a PAR is 29 upper-case letters and digits")]
    Par,
    /// The token requestor id is not 11 digits.
    #[error("a token requestor ID is 11 digits")]
    TokenRequestorId,
    /// The PAN lies in the token range (a token cannot be tokenised again).
    #[error("the PAN lies in the token BIN range")]
    AccountInTokenRange,
    /// Every candidate number was taken.
    #[error("no free token number after {0} candidates")]
    Exhausted(u32),
    /// The token is not in the vault.
    #[error("unknown token")]
    UnknownToken,
    /// A restriction control denied the use.
    #[error("denied by the {0} control")]
    Denied(Control),
    /// The vault failed.
    #[error("vault error")]
    Vault(E),
}

/// How many candidate numbers [`Tokenizer::issue`] tries before giving up.
pub const MAX_CANDIDATES: u32 = 64;

/// What to tokenise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueRequest {
    /// The token domain (1 to 64 bytes, e.g. a wallet and channel name).
    pub domain: String,
    /// The account.
    pub account: Account,
    /// Its controls.
    pub controls: DomainControls,
    /// Assurance at issuance.
    pub assurance: Assurance,
    /// The account's PAR.
    pub par: Option<Par>,
    /// The requestor.
    pub requestor: Option<TokenRequestorId>,
}

impl IssueRequest {
    /// A request with no assurance, PAR or requestor.
    pub fn new(domain: &str, account: Account, controls: DomainControls) -> IssueRequest {
        IssueRequest {
            domain: String::from(domain),
            account,
            controls,
            assurance: Assurance::None,
            par: None,
            requestor: None,
        }
    }
}

/// Derives and issues tokens in one BIN range under one secret key.
#[derive(Debug)]
pub struct Tokenizer {
    key: SecretKey,
    range: TokenRange,
}

/// Derivation label, so the key's HMACs for tokens differ from any other use.
const LABEL: &[u8] = b"qrpay token v1";

impl Tokenizer {
    /// A tokenizer; the key has at least 16 bytes.
    pub fn new(key: SecretKey, range: TokenRange) -> Result<Tokenizer, TokenError> {
        if key.len() < 16 {
            return Err(TokenError::Key);
        }
        Ok(Tokenizer { key, range })
    }

    /// The range.
    pub fn range(&self) -> &TokenRange {
        &self.range
    }

    /// Candidate number `attempt` for `account` in `domain`: HMAC-SHA-256 of the label,
    /// domain, account kind and account, and attempt, read as a prefix choice and the free
    /// digits, then the Luhn check digit. Pure: same inputs, same number.
    pub fn candidate(&self, domain: &str, account: &Account, attempt: u32) -> String {
        let kind = [match account.kind {
            AccountKind::Pan => b'P',
            AccountKind::Id => b'I',
        }];
        let dlen = (domain.len() as u32).to_be_bytes();
        let alen = (account.value.len() as u32).to_be_bytes();
        let mut mac = otp::hmac(
            self.key.expose(),
            Algorithm::Sha256,
            &[
                LABEL,
                &dlen,
                domain.as_bytes(),
                &kind,
                &alen,
                account.value.as_bytes(),
                &attempt.to_be_bytes(),
            ],
        );
        let word = |from: usize| {
            let mut b = [0u8; 16];
            for (i, slot) in b.iter_mut().enumerate() {
                *slot = mac.get(from + i).copied().unwrap_or(0);
            }
            u128::from_be_bytes(b)
        };
        let low: u64 = self.range.low.parse().unwrap_or(0);
        let prefix = low + (word(0) % u128::from(self.range.span())) as u64;
        let free = usize::from(self.range.length) - self.range.low.len() - 1;
        let body = word(16) % 10u128.pow(free as u32);
        mac.zeroize();
        let mut number = alloc::format!(
            "{prefix:0pw$}{body:0fw$}",
            pw = self.range.low.len(),
            fw = free
        );
        if let Some(c) = luhn_check_digit(&number) {
            number.push(char::from(b'0' + c));
        }
        number
    }

    /// Issues the token of `request.account` in `request.domain`: the first candidate that
    /// is not the PAN and is either free in the vault (then stored) or already this
    /// account's in this domain (then returned as stored: issuing is idempotent).
    pub fn issue<V: TokenVault>(
        &self,
        vault: &mut V,
        request: IssueRequest,
    ) -> Result<Token, TokenError<V::Error>> {
        if request.domain.is_empty() || request.domain.len() > 64 {
            return Err(TokenError::Domain);
        }
        if request.account.kind == AccountKind::Pan && self.range.covers(&request.account.value) {
            return Err(TokenError::AccountInTokenRange);
        }
        for attempt in 0..MAX_CANDIDATES {
            let number = self.candidate(&request.domain, &request.account, attempt);
            if number == request.account.value {
                continue;
            }
            match vault.get(&number).map_err(TokenError::Vault)? {
                Some(e) => {
                    if e.token.domain == request.domain && e.account.ct_eq(&request.account) {
                        return Ok(e.token);
                    }
                }
                None => {
                    let token = Token {
                        number: number.clone(),
                        domain: request.domain.clone(),
                        assurance: request.assurance,
                        par: request.par.clone(),
                        requestor: request.requestor.clone(),
                        pan_last4: request.account.pan_last4().map(String::from),
                    };
                    let stored = vault
                        .insert_new(VaultEntry {
                            token: token.clone(),
                            account: request.account.clone(),
                            controls: request.controls.clone(),
                            uses: 0,
                        })
                        .map_err(TokenError::Vault)?;
                    if stored {
                        return Ok(token);
                    }
                    // Another writer stored this number between the read and the insert:
                    // this account's token (a concurrent issue), or another account's.
                    if let Some(e) = vault.get(&number).map_err(TokenError::Vault)? {
                        if e.token.domain == request.domain && e.account.ct_eq(&request.account) {
                            return Ok(e.token);
                        }
                    }
                }
            }
        }
        Err(TokenError::Exhausted(MAX_CANDIDATES))
    }
}

/// A resolved token: the account and the token's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The account.
    pub account: Account,
    /// The token.
    pub token: Token,
    /// Uses including this one.
    pub uses: u32,
}

/// Resolves `number` to its account when every restriction control allows `usage`, and
/// counts the use, through [`TokenVault::consume`].
pub fn detokenize<V: TokenVault>(
    vault: &mut V,
    number: &str,
    usage: &Usage<'_>,
) -> Result<Resolved, TokenError<V::Error>> {
    match vault.consume(number, usage).map_err(TokenError::Vault)? {
        Consumed::Unknown => Err(TokenError::UnknownToken),
        Consumed::Denied(c) => Err(TokenError::Denied(c)),
        Consumed::Used(entry) => Ok(Resolved {
            uses: entry.uses,
            account: entry.account,
            token: entry.token,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use proptest::prelude::*;

    fn tokenizer(length: u8) -> Tokenizer {
        Tokenizer::new(
            SecretKey::new((0u8..32).collect()),
            TokenRange::new("490000", "490099", length).unwrap(),
        )
        .unwrap()
    }

    fn usage(channel: Channel) -> Usage<'static> {
        Usage {
            channel,
            merchant_id: None,
            acquirer_id: None,
            now: 1_000,
        }
    }

    #[test]
    fn luhn_known_numbers() {
        // Well-known test PANs (Visa 4111…1111, Mastercard 5555…4444) and the ISO/IEC 7812
        // worked example 7992739871 → check digit 3.
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("5555555555554444"));
        assert!(!luhn_valid("4111111111111112"));
        assert_eq!(luhn_check_digit("7992739871"), Some(3));
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("4111a"));
    }

    #[test]
    fn deterministic_and_idempotent() {
        let t = tokenizer(16);
        let mut v = MemoryVault::default();
        let acct = Account::pan("6212345678901232").unwrap();
        let a = t
            .issue(
                &mut v,
                IssueRequest::new("d1", acct.clone(), DomainControls::default()),
            )
            .unwrap();
        let b = t
            .issue(
                &mut v,
                IssueRequest::new("d1", acct.clone(), DomainControls::default()),
            )
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(v.len(), 1);
        // Another domain: another token.
        let c = t
            .issue(
                &mut v,
                IssueRequest::new("d2", acct.clone(), DomainControls::default()),
            )
            .unwrap();
        assert_ne!(a.number(), c.number());
        // Another key: another token, computed by a fresh vault.
        let t2 = Tokenizer::new(
            SecretKey::new(vec![9; 32]),
            TokenRange::new("490000", "490099", 16).unwrap(),
        )
        .unwrap();
        let mut v2 = MemoryVault::default();
        let d = t2
            .issue(
                &mut v2,
                IssueRequest::new("d1", acct, DomainControls::default()),
            )
            .unwrap();
        assert_ne!(a.number(), d.number());
        assert_eq!(a.pan_last4.as_deref(), Some("1232"));
    }

    #[test]
    fn collision_takes_next_candidate() {
        let t = tokenizer(16);
        let mut v = MemoryVault::default();
        let acct = Account::pan("6212345678901232").unwrap();
        let other = Account::pan("6212345678901240").unwrap();
        // Occupy the first candidate with another account.
        let first = t.candidate("d", &acct, 0);
        v.insert(VaultEntry {
            token: Token {
                number: first.clone(),
                domain: String::from("d"),
                assurance: Assurance::None,
                par: None,
                requestor: None,
                pan_last4: None,
            },
            account: other,
            controls: DomainControls::default(),
            uses: 0,
        })
        .unwrap();
        let tok = t
            .issue(
                &mut v,
                IssueRequest::new("d", acct.clone(), DomainControls::default()),
            )
            .unwrap();
        assert_ne!(tok.number(), first);
        assert_eq!(tok.number(), t.candidate("d", &acct, 1));
        let r = detokenize(&mut v, tok.number(), &usage(Channel::Mpm)).unwrap();
        assert!(r.account.ct_eq(&acct));
    }

    #[test]
    fn controls_name_the_failure() {
        let t = tokenizer(16);
        let mut v = MemoryVault::default();
        let controls = DomainControls {
            channels: alloc::vec![Channel::Cpm, Channel::Paycode],
            merchants: alloc::vec![String::from("M1")],
            acquirers: alloc::vec![String::from("ACQ")],
            not_after: Some(2_000),
            max_uses: Some(1),
        };
        let tok = t
            .issue(
                &mut v,
                IssueRequest::new("d", Account::id("wallet-user-17").unwrap(), controls),
            )
            .unwrap();
        let n = tok.number();
        let ok = Usage {
            channel: Channel::Cpm,
            merchant_id: Some("M1"),
            acquirer_id: Some("ACQ"),
            now: 1_500,
        };
        let deny = |v: &mut MemoryVault, u: Usage<'_>| detokenize(v, n, &u).unwrap_err();
        assert_eq!(
            deny(
                &mut v,
                Usage {
                    channel: Channel::Mpm,
                    ..ok
                }
            ),
            TokenError::Denied(Control::Channel)
        );
        assert_eq!(
            deny(
                &mut v,
                Usage {
                    merchant_id: Some("M2"),
                    ..ok
                }
            ),
            TokenError::Denied(Control::Merchant)
        );
        assert_eq!(
            deny(
                &mut v,
                Usage {
                    merchant_id: None,
                    ..ok
                }
            ),
            TokenError::Denied(Control::Merchant)
        );
        assert_eq!(
            deny(
                &mut v,
                Usage {
                    acquirer_id: Some("X"),
                    ..ok
                }
            ),
            TokenError::Denied(Control::Acquirer)
        );
        assert_eq!(
            deny(&mut v, Usage { now: 2_001, ..ok }),
            TokenError::Denied(Control::Expiry)
        );
        // At the expiry second it is still valid; one use allowed.
        let r = detokenize(&mut v, n, &Usage { now: 2_000, ..ok }).unwrap();
        assert_eq!(r.account.reveal(), "wallet-user-17");
        assert_eq!(r.uses, 1);
        assert_eq!(deny(&mut v, ok), TokenError::Denied(Control::UsageCount));
        assert_eq!(
            detokenize(&mut v, "4900000000000000", &ok).unwrap_err(),
            TokenError::UnknownToken
        );
        assert_eq!(
            format!(
                "{}",
                TokenError::<MemoryVaultError>::Denied(Control::UsageCount)
            ),
            "denied by the usage-count control"
        );
    }

    #[test]
    fn secrets_stay_out_of_debug_and_errors() {
        let pan = "6212345678901232";
        let key_bytes: Vec<u8> = (0u8..32).collect();
        let t = tokenizer(16);
        let mut v = MemoryVault::default();
        let acct = Account::pan(pan).unwrap();
        let tok = t
            .issue(
                &mut v,
                IssueRequest::new("d", acct.clone(), DomainControls::default()),
            )
            .unwrap();
        let entry = v.get(tok.number()).unwrap().unwrap();
        let resolved = detokenize(&mut v, tok.number(), &usage(Channel::Cpm)).unwrap();
        let texts = [
            format!("{acct:?}"),
            format!("{t:?}"),
            format!("{v:?}"),
            format!("{entry:?}"),
            format!("{resolved:?}"),
            format!("{tok:?}"),
            format!("{:?}", Account::id("secret-account-id").unwrap()),
            format!("{}", Account::pan("12").unwrap_err()),
            format!("{:?}", Account::pan("12345678901234567890").unwrap_err()),
            format!("{}", TokenError::<MemoryVaultError>::AccountInTokenRange),
        ];
        let key_hex: String = key_bytes.iter().map(|b| format!("{b:02x}")).collect();
        for s in &texts {
            assert!(!s.contains(pan), "{s}");
            assert!(!s.contains("123456789012"), "{s}");
            assert!(!s.contains("secret-account-id"), "{s}");
            assert!(!s.contains(&key_hex), "{s}");
            assert!(!s.contains("0, 1, 2, 3, 4"), "{s}");
        }
        assert!(texts[0].contains("redacted"));
    }

    #[test]
    fn validation() {
        assert!(Par::new("V0010013817079744624328754398").is_ok());
        assert_eq!(
            Par::new("v0010013817079744624328754398"),
            Err(TokenError::Par)
        );
        assert_eq!(
            Par::new("V001001381707974462432875439"),
            Err(TokenError::Par)
        );
        assert!(TokenRequestorId::new("40010030273").is_ok());
        assert_eq!(
            TokenRequestorId::new("4001003027"),
            Err(TokenError::TokenRequestorId)
        );
        assert_eq!(
            TokenRequestorId::new("4001003027a"),
            Err(TokenError::TokenRequestorId)
        );
        assert!(TokenRange::new("490000", "490099", 12).is_err());
        assert!(TokenRange::new("490000", "490099", 20).is_err());
        assert!(TokenRange::new("490099", "490000", 16).is_err());
        assert!(TokenRange::new("49000", "490099", 16).is_err());
        assert!(TokenRange::new("490000000", "490000000", 15).is_err());
        assert!(TokenRange::new("49000000", "49000000", 15).is_ok());
        assert_eq!(
            Tokenizer::new(
                SecretKey::new(vec![1; 15]),
                TokenRange::new("4", "4", 16).unwrap()
            )
            .unwrap_err(),
            TokenError::Key
        );
        let t = tokenizer(16);
        let mut v = MemoryVault::default();
        assert_eq!(
            t.issue(
                &mut v,
                IssueRequest::new(
                    "d",
                    Account::pan("4900501234567890").unwrap(),
                    DomainControls::default()
                )
            ),
            Err(TokenError::AccountInTokenRange)
        );
        assert_eq!(
            t.issue(
                &mut v,
                IssueRequest::new(
                    "",
                    Account::pan("5900501234567890").unwrap(),
                    DomainControls::default()
                )
            ),
            Err(TokenError::Domain)
        );
        assert_eq!(
            Assurance::from_code(12),
            Some(Assurance::InteractiveTwoFactor)
        );
        assert_eq!(Assurance::from_code(100), None);
        assert_eq!(Assurance::Other(42).code(), 42);
    }

    /// Distinct PANs never share a token in one domain: `n` PANs issued into one vault.
    /// Returns how many first candidates were already taken (collisions resolved).
    fn distinct(n: u64, length: u8) -> u64 {
        let t = Tokenizer::new(
            SecretKey::new(vec![0x5a; 32]),
            TokenRange::new("490000", "490000", length).unwrap(),
        )
        .unwrap();
        let mut v = MemoryVault::default();
        let mut collisions = 0;
        for i in 0..n {
            let acct = Account::pan(&format!("62{:014}", i * 7919)).unwrap();
            let tok = t
                .issue(
                    &mut v,
                    IssueRequest::new("d", acct.clone(), DomainControls::default()),
                )
                .unwrap();
            if tok.number() != t.candidate("d", &acct, 0) {
                collisions += 1;
            }
        }
        assert_eq!(v.len() as u64, n, "every PAN has its own token");
        collisions
    }

    /// 100 000 PANs into 16-digit tokens of one 6-digit BIN: 9 free digits (10^9 numbers),
    /// so about n²/2·10⁹ = 5 first candidates collide and must be moved.
    #[test]
    fn hundred_thousand_distinct() {
        let c = distinct(100_000, 16);
        assert!(c < 100, "{c} collisions");
    }

    /// The same with 13-digit tokens (6 free digits, 10^6 numbers): collisions are common
    /// (about n²/2·10⁶ = 5) for 10 000 PANs and all are resolved.
    #[test]
    fn collisions_resolved_in_a_small_space() {
        let c = distinct(10_000, 13);
        assert!(c > 0, "the small space must produce collisions");
    }

    /// One million PANs (run: `cargo test --release -p qrpay --lib token::tests::million
    /// -- --ignored`).
    #[test]
    #[ignore]
    fn million_distinct() {
        let c = distinct(1_000_000, 16);
        std::println!("1M PANs: {c} first-candidate collisions resolved");
    }

    /// A vault where another writer wins the first insert race: its entry (for `rival`'s
    /// account) lands on the number between `issue`'s read and its insert.
    struct RacingVault {
        inner: MemoryVault,
        rival: Option<Account>,
    }

    impl TokenVault for RacingVault {
        type Error = MemoryVaultError;
        fn get(&self, number: &str) -> Result<Option<VaultEntry>, MemoryVaultError> {
            self.inner.get(number)
        }
        fn insert(&mut self, entry: VaultEntry) -> Result<(), MemoryVaultError> {
            self.inner.insert(entry)
        }
        fn record_use(&mut self, number: &str) -> Result<u32, MemoryVaultError> {
            self.inner.record_use(number)
        }
        fn insert_new(&mut self, entry: VaultEntry) -> Result<bool, MemoryVaultError> {
            match self.rival.take() {
                Some(account) => {
                    self.inner.insert(VaultEntry { account, ..entry })?;
                    Ok(false)
                }
                None => self.inner.insert_new(entry),
            }
        }
    }

    #[test]
    fn lost_insert_race() {
        let t = tokenizer(16);
        let acct = Account::pan("6212345678901232").unwrap();
        let req = || IssueRequest::new("d", acct.clone(), DomainControls::default());
        // The same account issued concurrently elsewhere: its token is returned, one entry.
        let mut v = RacingVault {
            inner: MemoryVault::default(),
            rival: Some(acct.clone()),
        };
        let tok = t.issue(&mut v, req()).unwrap();
        assert_eq!(tok.number(), t.candidate("d", &acct, 0));
        assert_eq!(v.inner.len(), 1);
        // Another account took the number: the next candidate is stored.
        let mut v = RacingVault {
            inner: MemoryVault::default(),
            rival: Some(Account::pan("6212345678901240").unwrap()),
        };
        let tok = t.issue(&mut v, req()).unwrap();
        assert_eq!(tok.number(), t.candidate("d", &acct, 1));
        assert_eq!(v.inner.len(), 2);
        let r = detokenize(&mut v, tok.number(), &usage(Channel::Cpm)).unwrap();
        assert!(r.account.ct_eq(&acct));
        assert_eq!(r.uses, 1);
    }

    proptest! {
        #[test]
        fn tokens_are_sound(
            digits in "[0-35-9][0-9]{11,18}",
            length in 13u8..=19,
            domain in "[a-z]{1,8}",
        ) {
            let t = Tokenizer::new(
                SecretKey::new(vec![3; 32]),
                TokenRange::new("490000", "490099", length).unwrap(),
            ).unwrap();
            let mut v = MemoryVault::default();
            let acct = Account::pan(&digits).unwrap();
            let tok = t.issue(&mut v, IssueRequest::new(&domain, acct.clone(), DomainControls::default())).unwrap();
            prop_assert!(luhn_valid(tok.number()));
            prop_assert!(t.range().contains(tok.number()));
            prop_assert_eq!(tok.number().len(), usize::from(length));
            prop_assert_ne!(tok.number(), digits.as_str());
            let r = detokenize(&mut v, tok.number(), &usage(Channel::Paycode)).unwrap();
            prop_assert!(r.account.ct_eq(&acct));
            prop_assert_eq!(r.account.reveal(), digits.as_str());
        }
    }
}
