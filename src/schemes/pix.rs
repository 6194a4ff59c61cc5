//! Brazil Pix (BR Code): merchant-account template with GUID `br.gov.bcb.pix` (older
//! `br.gov.bcb.spi`), 01 key or 25 payload URL, 02 free text, 03 FSS ISPB; txid in 62/05.
//!
//! ```
//! use qrpay::schemes::pix::{self, KeyKind, PixBuilder};
//! let p = PixBuilder::new("fulano@example.com", "FULANO DE TAL", "BRASILIA")
//!     .amount("10.00").txid("PEDIDO123").build().unwrap();
//! let m = qrpay::mpm::parse(&p).unwrap();
//! let v = pix::read(&m).unwrap();
//! assert_eq!(v.key_kind, Some(KeyKind::Email));
//! assert_eq!(v.txid(), Some("PEDIDO123"));
//! ```

use alloc::string::String;

use super::{account_where, expect_country, expect_currency, push, sub_offset, sub_path};
use super::{SchemeData, SchemeId};
use crate::mpm::{BuildError, Mpm, MpmBuilder, Prompted, Template};
use crate::report::{Code, Detail, Path, Report, Seg};

/// GUIDs of the Pix template (matched case-insensitively).
pub const GUIDS: [&str; 2] = ["br.gov.bcb.pix", "br.gov.bcb.spi"];

/// What a Pix key is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// An e-mail address.
    Email,
    /// A Brazilian phone number `+55` and 10–11 digits.
    Phone,
    /// A CPF: 11 digits.
    Cpf,
    /// A CNPJ: 14 digits.
    Cnpj,
    /// A random key (EVP): a UUID with hyphens.
    Evp,
}

impl KeyKind {
    /// `"email"`, `"phone"`, `"cpf"`, `"cnpj"`, `"evp"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyKind::Email => "email",
            KeyKind::Phone => "phone",
            KeyKind::Cpf => "cpf",
            KeyKind::Cnpj => "cnpj",
            KeyKind::Evp => "evp",
        }
    }
}

fn is_uuid(s: &str) -> bool {
    // Hyphens at 8, 13, 18 and 23, hex digits elsewhere: the hyphens are checked and
    // replaced with `0`, then the 36 bytes (padded with `0`) are checked 8 at a time.
    let Ok(b) = <&[u8; 36]>::try_from(s.as_bytes()) else {
        return false;
    };
    let mut w = [b'0'; 40];
    if let Some(head) = w.first_chunk_mut::<36>() {
        *head = *b;
    }
    for i in [8, 13, 18, 23] {
        match w.get_mut(i) {
            Some(c) if *c == b'-' => *c = b'0',
            _ => return false,
        }
    }
    w.chunks_exact(8).all(|c| {
        c.first_chunk::<8>()
            .is_some_and(|c| all_hex(u64::from_le_bytes(*c)))
    })
}

/// True when each of the 8 bytes of `x` is an ASCII hex digit.
#[inline]
fn all_hex(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    // Each byte ASCII, so below 0x80: adding at most 0x50 carries into no other byte, and
    // the top bit of `x + (0x80 - lo)` and not of `x + (0x7f - hi)` says lo <= x <= hi.
    let in_range = |x: u64, lo: u64, hi: u64| (x + (0x80 - lo) * ONES) & !(x + (0x7f - hi) * ONES);
    // `x | 0x20` is in a-f exactly when x is in A-F or a-f.
    let letters = x | (0x20 * ONES);
    x & HIGH == 0 && (in_range(x, 0x30, 0x39) | in_range(letters, 0x61, 0x66)) & HIGH == HIGH
}

fn is_email(s: &str) -> bool {
    // One pass over the bytes: every byte graphic, exactly one `@` with something before it,
    // and after it a host holding a `.` that neither starts nor ends it (what splitting at
    // the first `@` and testing both parts says).
    let b = s.as_bytes();
    let mut at = None;
    let mut dot = false;
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_graphic() {
            return false;
        }
        match c {
            b'@' if at.is_some() => return false,
            b'@' => at = Some(i),
            b'.' => dot |= at.is_some(),
            _ => {}
        }
    }
    match at {
        Some(i) if i > 0 && dot => b.get(i + 1) != Some(&b'.') && b.last() != Some(&b'.'),
        _ => false,
    }
}

/// The kind of Pix key `key` is, by its shape; `None` when it is none of them.
pub fn key_kind(key: &str) -> Option<KeyKind> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = key.strip_prefix("+55") {
        return (digits(rest) && (10..=11).contains(&rest.len())).then_some(KeyKind::Phone);
    }
    if digits(key) {
        return match key.len() {
            11 => Some(KeyKind::Cpf),
            14 => Some(KeyKind::Cnpj),
            _ => None,
        };
    }
    if is_uuid(key) {
        return Some(KeyKind::Evp);
    }
    is_email(key).then_some(KeyKind::Email)
}

/// The typed view of a Pix code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pix<'a> {
    /// The root ID of the Pix template (26 in practice).
    pub account_id: u8,
    /// The GUID as written (`br.gov.bcb.pix`, `BR.GOV.BCB.PIX`...).
    pub guid: &'a str,
    /// 01 the key (static codes).
    pub key: Option<&'a str>,
    /// The kind of the key, when it has a known shape.
    pub key_kind: Option<KeyKind>,
    /// 02 free text for the payer.
    pub info: Option<&'a str>,
    /// 03 ISPB of the withdrawal facilitator (Pix Saque/Troco).
    pub fss: Option<&'a str>,
    /// 25 the payload location (dynamic codes), without `https://`.
    pub url: Option<&'a str>,
    /// 62/05 the transaction id, or the prompt `***` (no txid).
    pub reference: Option<Prompted<'a>>,
    /// 25 of an unreserved template (80–99) with the Pix GUID: the recurrence (Pix
    /// Automático) location.
    pub recurrence_url: Option<&'a str>,
}

impl<'a> Pix<'a> {
    /// True for a dynamic code (payload URL in 25).
    pub fn is_dynamic(&self) -> bool {
        self.url.is_some()
    }

    /// The txid, unless absent or `***`.
    pub fn txid(&self) -> Option<&'a str> {
        match self.reference {
            Some(Prompted::Value(v)) => Some(v),
            _ => None,
        }
    }
}

/// Reads the first Pix template of `m`.
pub fn read<'a>(m: &Mpm<'a>) -> Option<Pix<'a>> {
    read_with_template(m).map(|(p, _)| p)
}

/// `g` is one of [`GUIDS`], ignoring ASCII case.
#[inline(always)]
fn is_pix(g: &str) -> bool {
    super::folded::PIX.iter().any(|p| p.is(g.as_bytes()))
}

/// [`read`], with the template read.
fn read_with_template<'a>(m: &Mpm<'a>) -> Option<(Pix<'a>, Template<'a>)> {
    let (a, t) = account_where(m, is_pix)?;
    let [guid, key, info, fss, url] = super::first_subs(t.as_str(), [0, 1, 2, 3, 25]);
    let p = Pix {
        account_id: a.id,
        guid: guid?,
        key,
        key_kind: key.and_then(key_kind),
        info,
        fss,
        url,
        reference: m.additional_data().and_then(|d| d.reference_label()),
        recurrence_url: recurrence_url(m),
    };
    Some((p, t))
}

/// The txid rule: 1–25 ASCII letters and digits.
pub fn is_txid(s: &str) -> bool {
    (1..=25).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Checks the Pix profile: key or URL present and well formed, txid, currency 986, MCC
/// `0000`, country BR.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    // What `read` finds, from the values alone: offsets are read only for an issue.
    let Some((id, v)) = super::account_value_where(m, is_pix) else {
        return;
    };
    // The template with its offset, for an issue.
    let t = || Template::new(v, m.offset_of(id).unwrap_or(0) + 4);
    let [key, url] = super::first_subs(v, [1, 25]);
    match key {
        // No key and no URL: the recurrence location of an unreserved Pix template counts
        // as one (`Pix::recurrence_url`).
        None if url.is_none() && recurrence_url(m).is_none() => push(
            report,
            Code::SchemePixKey,
            Path::id(id),
            t().offset().saturating_sub(4),
            Detail::Missing("01 key or 25 payload URL"),
        ),
        Some(k) if key_kind(k).is_none() || (k.len() > 77 && k.chars().count() > 77) => push(
            report,
            Code::SchemePixKey,
            sub_path(id, 1),
            sub_offset(&t(), 1),
            Detail::Expected("an e-mail, +55 phone, CPF (11 digits), CNPJ (14 digits) or EVP UUID"),
        ),
        _ => {}
    }
    if let Some(u) = url {
        let lower_scheme = super::starts_ic(u, "https://") || super::starts_ic(u, "http://");
        // At most 77 bytes is at most 77 characters: they are counted only past that.
        if lower_scheme || (u.len() > 77 && u.chars().count() > 77) || u.contains(' ') {
            push(
                report,
                Code::SchemePixUrl,
                sub_path(id, 25),
                sub_offset(&t(), 25),
                Detail::Expected("a location of at most 77 characters without https://"),
            );
        }
    }
    if let Some(ad) = m.get(62) {
        // The first 62/05 (`AdditionalData::reference_label`); `***` asks for no txid.
        let [txid] = super::first_subs(ad, [5]);
        if txid.is_some_and(|v| v != "***" && !is_txid(v)) {
            let at = m
                .additional_data()
                .and_then(|d| d.0.element(5))
                .map_or(0, |e| e.offset);
            push(
                report,
                Code::SchemePixTxid,
                Path::id(62).child(Seg::Id(5)),
                at,
                Detail::Expected("1 to 25 letters and digits, or ***"),
            );
        }
    }
    expect_currency(m, report, &["986"], "986 (BRL)");
    expect_country(m, report, &["BR"], "BR");
    if let Some(mcc) = m.mcc() {
        if mcc.as_bytes() != b"0000" {
            push(
                report,
                Code::SchemeMcc,
                Path::id(52),
                m.offset_of(52).unwrap_or(0),
                Detail::Expected("0000"),
            );
        }
    }
}

/// `Pix::recurrence_url`: 25 of the first unreserved template (80–99) whose GUID is Pix's
/// and that has a 25.
fn recurrence_url<'a>(m: &Mpm<'a>) -> Option<&'a str> {
    m.unreserved_templates().find_map(|(_, t)| {
        let g = t.guid()?;
        is_pix(g).then(|| t.get(25)).flatten()
    })
}

/// The Pix part of the payment view: key as payee, txid as reference, payload URL.
pub fn payment_data<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let p = read(m)?;
    let mut d = SchemeData::new(SchemeId::Pix);
    d.payee = p.key;
    d.payee_kind = p.key_kind.map(KeyKind::as_str);
    d.reference = p.txid();
    d.url = p.url;
    Some(d)
}

/// Builds Pix codes: static (key, optional amount, txid, message) or dynamic (payload URL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PixBuilder {
    key: Option<String>,
    url: Option<String>,
    info: Option<String>,
    amount: Option<String>,
    txid: Option<String>,
    name: String,
    city: String,
}

impl PixBuilder {
    /// A static code paying `key` (e-mail, `+55…` phone, CPF, CNPJ or EVP UUID) to the
    /// merchant `name` (≤25) in `city` (≤15).
    pub fn new(key: &str, name: &str, city: &str) -> PixBuilder {
        PixBuilder {
            key: Some(String::from(key)),
            url: None,
            info: None,
            amount: None,
            txid: None,
            name: String::from(name),
            city: String::from(city),
        }
    }

    /// A dynamic code whose payment the app fetches from `url` (without `https://`).
    pub fn dynamic(url: &str, name: &str, city: &str) -> PixBuilder {
        PixBuilder {
            key: None,
            url: Some(String::from(url)),
            ..PixBuilder::new("", name, city)
        }
    }

    /// 54 the amount in reais, as a decimal string.
    pub fn amount(mut self, amount: &str) -> PixBuilder {
        self.amount = Some(String::from(amount));
        self
    }

    /// 62/05 the txid (1–25 letters and digits); without it the code carries `***`.
    pub fn txid(mut self, txid: &str) -> PixBuilder {
        self.txid = Some(String::from(txid));
        self
    }

    /// 26/02 a message to the payer.
    pub fn info(mut self, text: &str) -> PixBuilder {
        self.info = Some(String::from(text));
        self
    }

    /// The MPM builder this code amounts to.
    pub fn to_mpm(&self) -> MpmBuilder {
        let mut b =
            MpmBuilder::new("0000", "986", "BR", &self.name, &self.city).set_sub(26, 0, GUIDS[0]);
        if let Some(k) = &self.key {
            b = b.set_sub(26, 1, k);
        }
        if let Some(i) = &self.info {
            b = b.set_sub(26, 2, i);
        }
        if let Some(u) = &self.url {
            b = b.set_sub(26, 25, u).dynamic();
        }
        if let Some(a) = &self.amount {
            b = b.amount(a);
        }
        b.additional(5, self.txid.as_deref().unwrap_or("***"))
    }

    /// Emits the payload, refusing what EMV or the Pix profile forbids.
    pub fn build(&self) -> Result<String, BuildError> {
        super::finish(&self.to_mpm(), false, SchemeId::Pix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_kinds() {
        assert_eq!(key_kind("fulano2019@example.com"), Some(KeyKind::Email));
        assert_eq!(key_kind("+5561912345678"), Some(KeyKind::Phone));
        assert_eq!(key_kind("12345678901"), Some(KeyKind::Cpf));
        assert_eq!(key_kind("12345678000195"), Some(KeyKind::Cnpj));
        assert_eq!(
            key_kind("123e4567-e12b-12d1-a456-426655440000"),
            Some(KeyKind::Evp)
        );
        for bad in [
            "",
            "12345",
            "+1555123",
            "fulano@",
            "@x.com",
            "no spaces@x.com",
            "+55123",
        ] {
            assert_eq!(key_kind(bad), None, "{bad}");
        }
    }

    #[test]
    fn uuid_shape_is_the_byte_rule() {
        // As first written: hyphens at 8, 13, 18, 23 and hex digits elsewhere, byte by byte.
        let slow = |s: &str| {
            let b = s.as_bytes();
            b.len() == 36
                && b.iter().enumerate().all(|(i, c)| match i {
                    8 | 13 | 18 | 23 => *c == b'-',
                    _ => c.is_ascii_hexdigit(),
                })
        };
        let good = "123e4567-e12b-12d1-a456-426655440000";
        let upper = "ABCDEF01-2345-6789-ABCD-EFABCDEF0123";
        let mut cases = alloc::vec![
            alloc::string::String::from(good),
            upper.into(),
            good.to_ascii_uppercase(),
            alloc::format!("{good}0"),
            good[1..].into(),
            "".into(),
        ];
        for base in [good, upper] {
            for i in 0..36 {
                for c in (0u8..128).map(char::from).chain(['é', '٣', '\u{7f}']) {
                    let mut v: alloc::vec::Vec<char> = base.chars().collect();
                    v[i] = c;
                    cases.push(v.into_iter().collect());
                }
            }
        }
        for s in cases {
            assert_eq!(is_uuid(&s), slow(&s), "{s:?}");
        }
    }

    #[test]
    fn txid_rule() {
        assert!(is_txid("NFeTEST0001"));
        assert!(!is_txid("INV/TEST"));
        assert!(!is_txid("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    /// The e-mail shape as first written: split at the first `@`, test both parts.
    fn is_email_split(s: &str) -> bool {
        match s.split_once('@') {
            Some((user, host)) => {
                !user.is_empty()
                    && host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
                    && !host.contains('@')
                    && s.bytes().all(|b| b.is_ascii_graphic())
            }
            None => false,
        }
    }

    #[test]
    fn email_shape_is_the_split_test() {
        let parts = ["", "a", "@", ".", "a.b", " ", "é", "@.", ".@", "x"];
        for a in parts {
            for b in parts {
                for c in parts {
                    for d in ["", "a", "."] {
                        let v = alloc::format!("{a}{b}{c}{d}");
                        assert_eq!(is_email(&v), is_email_split(&v), "{v:?}");
                    }
                }
            }
        }
        assert!(is_email("fulano@example.com"));
        assert!(!is_email("fulano@example."));
    }
}
