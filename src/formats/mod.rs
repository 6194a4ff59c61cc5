//! Payment codes that are not EMV: UPI links, EPC069-12 SEPA credit transfers ("GiroCode"),
//! Swiss QR-bills, Chinese wallet receive-code URLs, numeric consumer payment codes (付款码)
//! and deep links that wrap an EMV payload.
//!
//! Each format has a cheap `detect(text) -> bool`, a lenient `parse` giving a borrowed view
//! (parsing fails only when the text is not that format at all), a `validate` that reports
//! through [`Report`], a `fields()` listing and a `payment()` giving the
//! uniform [`Payment`] view. [`parse`] does the detection for every format at once.
//!
//! ```
//! use qrpay::formats::{self, FormatKind};
//! use qrpay::{Mode, Report};
//! let f = formats::parse("upi://pay?pa=shop@okbank&pn=Shop&am=10.50&cu=INR").unwrap();
//! assert_eq!(f.kind(), FormatKind::Upi);
//! let p = f.payment();
//! assert_eq!(p.amount.as_deref(), Some("10.50"));
//! assert_eq!(p.currency, Some("INR"));
//! let mut r = Report::new(Mode::Strict);
//! f.validate(&mut r);
//! assert!(r.is_empty());
//! ```

use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::fields::Field;
use crate::report::{Issue, Report};

pub mod epc;
pub mod paycode;
pub mod swiss;
pub mod upi;
pub mod urls;
pub mod wrapper;

pub use epc::Epc;
pub use paycode::Paycode;
pub use swiss::SwissBill;
pub use upi::Upi;
pub use urls::WalletUrl;
pub use wrapper::Wrapped;

/// The kinds of non-EMV codes this module reads. The string forms match the corpus labels and
/// the JSON `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormatKind {
    /// A UPI intent link (`upi://pay?...`).
    Upi,
    /// An EPC069-12 SEPA credit transfer (`BCD`).
    EpcSct,
    /// A Swiss QR-bill (`SPC`).
    SwissQrBill,
    /// An Alipay receive-code URL.
    AlipayUrl,
    /// A WeChat Pay receive-code URL.
    WechatUrl,
    /// A UnionPay receive-code URL.
    UnionpayUrl,
    /// A numeric consumer payment code (付款码).
    Paycode,
}

impl FormatKind {
    /// `"upi"`, `"epc-sct"`, `"swiss-qr-bill"`, `"alipay-url"`, `"wechat-url"`,
    /// `"unionpay-url"` or `"paycode"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FormatKind::Upi => "upi",
            FormatKind::EpcSct => "epc-sct",
            FormatKind::SwissQrBill => "swiss-qr-bill",
            FormatKind::AlipayUrl => "alipay-url",
            FormatKind::WechatUrl => "wechat-url",
            FormatKind::UnionpayUrl => "unionpay-url",
            FormatKind::Paycode => "paycode",
        }
    }
}

/// What any payment code says about the payment, whatever its format: the fields a wallet
/// shows before it pays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payment<'a> {
    /// Who is paid.
    pub payee: Option<Cow<'a, str>>,
    /// The payee's account as the format writes it (VPA, IBAN, URL id...).
    pub account: Option<Cow<'a, str>>,
    /// The amount as a decimal string, as written (never a float).
    pub amount: Option<Cow<'a, str>>,
    /// ISO 4217 alphabetic currency code.
    pub currency: Option<&'static str>,
    /// The payment reference (transaction reference, creditor reference...).
    pub reference: Option<Cow<'a, str>>,
    /// ISO 3166 alpha-2 country, when the format implies or states one.
    pub country: Option<Cow<'a, str>>,
}

/// A parsed non-EMV code of any kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format<'a> {
    /// A UPI link.
    Upi(Upi<'a>),
    /// An EPC069-12 credit transfer.
    Epc(Epc<'a>),
    /// A Swiss QR-bill.
    Swiss(SwissBill<'a>),
    /// A wallet receive-code URL.
    Url(WalletUrl<'a>),
    /// A numeric consumer payment code.
    Paycode(Paycode<'a>),
}

impl<'a> Format<'a> {
    /// The kind of code.
    pub fn kind(&self) -> FormatKind {
        match self {
            Format::Upi(_) => FormatKind::Upi,
            Format::Epc(_) => FormatKind::EpcSct,
            Format::Swiss(_) => FormatKind::SwissQrBill,
            Format::Url(u) => u.kind(),
            Format::Paycode(_) => FormatKind::Paycode,
        }
    }

    /// Checks the format's rules, adding what is wrong to `report`.
    pub fn validate(&self, report: &mut Report) {
        match self {
            Format::Upi(v) => v.validate(report),
            Format::Epc(v) => v.validate(report),
            Format::Swiss(v) => v.validate(report),
            Format::Url(v) => v.validate(report),
            Format::Paycode(v) => v.validate(report),
        }
    }

    /// Every field, in payload order.
    pub fn fields(&self) -> Vec<Field<'a>> {
        match self {
            Format::Upi(v) => v.fields(),
            Format::Epc(v) => v.fields(),
            Format::Swiss(v) => v.fields(),
            Format::Url(v) => v.fields(),
            Format::Paycode(v) => v.fields(),
        }
    }

    /// The uniform payment view.
    pub fn payment(&self) -> Payment<'a> {
        match self {
            Format::Upi(v) => v.payment(),
            Format::Epc(v) => v.payment(),
            Format::Swiss(v) => v.payment(),
            Format::Url(v) => v.payment(),
            Format::Paycode(v) => v.payment(),
        }
    }
}

/// The kind of non-EMV code `text` is, if any. Cheap: looks at the start of the text (and,
/// for payment codes, at its digits). Wrapper links are not a kind: see [`wrapper::unwrap`].
pub fn detect(text: &str) -> Option<FormatKind> {
    // Every format but the payment codes starts with a letter (`upi://`, an app's scheme,
    // `BCD`, `SPC`, a wallet URL: see the `prefixes_start_with_letters` tests), so a text
    // that starts with a digit, as every EMV MPM payload does, can only be a payment code.
    if text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return paycode::detect(text).then_some(FormatKind::Paycode);
    }
    // `SPC` and `BCD` first: two exact prefixes, which no UPI prefix (`upi://` and the apps',
    // starting u, g, t or p in any case) shares, so the answer is the same as testing UPI
    // first, at less cost for the bills.
    if swiss::detect(text) {
        Some(FormatKind::SwissQrBill)
    } else if epc::detect(text) {
        Some(FormatKind::EpcSct)
    } else if upi::detect(text) {
        Some(FormatKind::Upi)
    } else if let Some(w) = urls::detect_wallet(text) {
        Some(w.kind())
    } else if paycode::detect(text) {
        Some(FormatKind::Paycode)
    } else {
        None
    }
}

/// Detects and parses `text` as any non-EMV format. `None` when it is none of them.
pub fn parse(text: &str) -> Option<Format<'_>> {
    parse_kind(detect(text)?, text)
}

/// Parses `text` as the format [`detect`] found it to be (`kind`, passed back so that the
/// text is not looked at twice). `None` when that format's parser refuses it.
pub fn parse_kind(kind: FormatKind, text: &str) -> Option<Format<'_>> {
    Some(match kind {
        FormatKind::Upi => Format::Upi(upi::parse(text).ok()?),
        FormatKind::EpcSct => Format::Epc(epc::parse(text).ok()?),
        FormatKind::SwissQrBill => Format::Swiss(swiss::parse(text).ok()?),
        FormatKind::AlipayUrl | FormatKind::WechatUrl | FormatKind::UnionpayUrl => {
            Format::Url(urls::parse(text).ok()?)
        }
        FormatKind::Paycode => Format::Paycode(paycode::parse(text).ok()?),
    })
}

/// Parses a payload a builder just wrote and validates it strictly: the first issue that
/// would be an error in strict mode, which the builder then refuses.
pub(crate) fn strict_refusal<T>(
    parsed: Result<T, NotFormat>,
    validate: impl FnOnce(&T, &mut Report),
) -> Option<Issue> {
    let mut report = Report::new(crate::Mode::Strict);
    match parsed {
        Ok(v) => validate(&v, &mut report),
        Err(_) => report.push(
            crate::Code::KindUnknown,
            crate::report::Class::Fatal,
            crate::Path::ROOT,
            0,
            crate::report::Detail::None,
        ),
    }
    report.first_strict_error().copied()
}

/// Why a text could not be read as a given format at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotFormat {
    /// The text does not start the way the format does.
    #[error("the text is not a {0} code")]
    Kind(&'static str),
    /// The text is longer than qrpay reads.
    #[error("the text has {0} bytes, more than qrpay reads")]
    TooLong(usize),
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.

/// Character offset of byte index `byte` in `text` (clamped to the text).
pub(crate) fn char_offset(text: &str, byte: usize) -> usize {
    let mut n = 0;
    for (i, _) in text.char_indices() {
        if i >= byte {
            break;
        }
        n += 1;
    }
    n
}

/// Byte offset of `part` inside `text` when `part` is a sub-slice of it, else 0.
pub(crate) fn byte_pos(text: &str, part: &str) -> usize {
    let base = text.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    if p >= base && p <= base + text.len() {
        p - base
    } else {
        0
    }
}

/// `s` starts with `prefix`, ASCII case ignored.
pub(crate) fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.as_bytes()
            .iter()
            .zip(prefix.as_bytes())
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// One line of a line-based format, with its byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub text: &'a str,
    pub start: usize,
}

/// The lines of a line-based format, kept as byte spans in a fixed table of `N` (no heap):
/// the formats read at most a few dozen lines of a text of at most
/// [`crate::mpm::MAX_PAYLOAD_BYTES`] bytes, so a span fits in two `u16`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lines<'a, const N: usize> {
    text: &'a str,
    /// Start and end byte of each line; entries past `len` stay zero.
    spans: [[u16; 2]; N],
    len: u8,
}

impl<'a, const N: usize> Lines<'a, N> {
    /// How many lines.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Line `i`.
    pub fn get(&self, i: usize) -> Option<Line<'a>> {
        let &[start, end] = self.spans.get(..self.len())?.get(i)?;
        let (start, end) = (usize::from(start), usize::from(end));
        Some(Line {
            text: self.text.get(start..end).unwrap_or(""),
            start,
        })
    }

    /// Lines `first` to `first + 6`, a line past the last (or beyond `N`) read as empty.
    pub fn seven(&self, first: usize) -> [&'a str; 7] {
        let mut out = [""; 7];
        // Entries past `len` are zero, so they read as empty without a test of `len`.
        if let Some(spans) = self.spans.get(first..).and_then(|s| s.first_chunk::<7>()) {
            for (o, &[start, end]) in out.iter_mut().zip(spans) {
                *o = self
                    .text
                    .get(usize::from(start)..usize::from(end))
                    .unwrap_or("");
            }
        } else {
            for (k, o) in out.iter_mut().enumerate() {
                *o = self.get(first + k).map_or("", |l| l.text);
            }
        }
        out
    }

    /// Character offset of line `i` in the text (the text's length in characters when there
    /// is no such line: where a missing line would start).
    pub fn offset(&self, i: usize) -> usize {
        self.get(i).map_or(self.text.chars().count(), |l| {
            char_offset(self.text, l.start)
        })
    }

    /// The lines in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Line<'a>> + ExactSizeIterator + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(Line { text: "", start: 0 }))
    }

    fn push(&mut self, start: usize, end: usize) {
        let at = |x: usize| u16::try_from(x).unwrap_or(u16::MAX);
        let n = self.len();
        if let Some(slot) = self.spans.get_mut(n) {
            *slot = [at(start), at(end)];
            self.len += 1;
        }
    }
}

/// The index of the first byte of `b` that is neither printable ASCII (0x20 to 0x7E) nor LF
/// nor CR, tested eight bytes at a time.
pub(crate) fn first_unplain(b: &[u8]) -> Option<usize> {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut base = 0;
    while let Some(rest) = b.get(base..).filter(|r| !r.is_empty()) {
        let w = u64::from_le_bytes(match rest.first_chunk::<8>() {
            Some(w) => *w,
            // The last bytes, padded with spaces (plain).
            None => {
                let mut w = [b' '; 8];
                for (w, &c) in w.iter_mut().zip(rest) {
                    *w = c;
                }
                w
            }
        });
        // Below 0x20: adding 0x60 to a byte under 0x80 reaches bit 7 only from 0x20 on.
        let control = !((w & LOW7) + 0x6060_6060_6060_6060) & !w & HIGH;
        let odd = (control & !break_mask(w)) | zero_bytes(w ^ 0x7F7F_7F7F_7F7F_7F7F) | (w & HIGH);
        if odd != 0 {
            return Some(base + (odd.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    None
}

/// Splits on LF, CR LF or a lone CR (each line without its terminator), at most `N` lines
/// (`N` below 256); the rest, if any, is returned as the last line. Also says whether any
/// CR LF was seen. The text must have at most [`crate::mpm::MAX_PAYLOAD_BYTES`] bytes (the
/// parsers check that first).
pub(crate) fn split_lines<const N: usize>(text: &str) -> (Lines<'_, N>, bool) {
    let mut out = Lines {
        text,
        spans: [[0; 2]; N],
        len: 0,
    };
    let b = text.as_bytes();
    let mut start = 0;
    let mut crlf = false;
    // Eight bytes at a time: a mask of the LF and CR bytes, taken in order. A CR LF's LF,
    // when its bit comes up, is before `start` and passed over.
    let mut base = 0;
    'scan: while let Some(rest) = b.get(base..).filter(|r| !r.is_empty()) {
        let word = match rest.first_chunk::<8>() {
            Some(w) => *w,
            // The last bytes, padded with zeros (no break).
            None => {
                let mut w = [0u8; 8];
                for (w, &c) in w.iter_mut().zip(rest) {
                    *w = c;
                }
                w
            }
        };
        let mut m = break_mask(u64::from_le_bytes(word));
        while m != 0 {
            let i = base + (m.trailing_zeros() / 8) as usize;
            m &= m - 1;
            if i < start {
                continue;
            }
            if out.len() + 1 >= N {
                break 'scan;
            }
            out.push(start, i);
            start = if b.get(i) == Some(&b'\r') && b.get(i + 1) == Some(&b'\n') {
                crlf = true;
                i + 2
            } else {
                i + 1
            };
        }
        base += 8;
    }
    out.push(start, text.len());
    (out, crlf)
}

/// 0x80 in each byte of `w` that is LF or CR, 0 in the others.
fn break_mask(w: u64) -> u64 {
    zero_bytes(w ^ 0x0A0A_0A0A_0A0A_0A0A) | zero_bytes(w ^ 0x0D0D_0D0D_0D0D_0D0D)
}

/// 0x80 in each byte of `x` that is zero, 0 in the others: the low seven bits plus 0x7F
/// carry into bit 7 unless they are all zero, and bit 7 itself is added in; no carry
/// leaves a byte.
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Remainder mod 97 of the number a string of digits and letters stands for (A=10 ... Z=35,
/// either case), the string being `first` then `second`. `None` if any other character
/// occurs.
fn mod97_chars(first: &[u8], second: &[u8]) -> Option<u32> {
    // The number is built in a u64 and reduced only when it could overflow at the next
    // step (two more decimal digits): the same remainder, with a division every ~8 letters.
    const REDUCE_AT: u64 = u64::MAX / 100 - 100;
    let mut r: u64 = 0;
    for part in [first, second] {
        for &c in part {
            let (v, scale) = match c {
                b'0'..=b'9' => (c - b'0', 10),
                b'A'..=b'Z' => (c - b'A' + 10, 100),
                b'a'..=b'z' => (c - b'a' + 10, 100),
                _ => return None,
            };
            if r >= REDUCE_AT {
                r %= 97;
            }
            r = r * scale + u64::from(v);
        }
    }
    Some((r % 97) as u32)
}

/// How an IBAN fares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IbanCheck {
    /// Shape and ISO 13616 mod-97 check both hold.
    Ok,
    /// Not 2 upper-case letters, 2 digits and 11 to 30 upper-case letters or digits.
    Format,
    /// The shape holds but the mod-97 check fails.
    Checksum,
}

/// Checks an IBAN in electronic form (no spaces): shape and mod-97 (ISO 13616).
///
/// ```
/// use qrpay::formats::{iban_check, IbanCheck};
/// assert_eq!(iban_check("BE72000000001616"), IbanCheck::Ok);
/// assert_eq!(iban_check("BE72000000001617"), IbanCheck::Checksum);
/// assert_eq!(iban_check("be72000000001616"), IbanCheck::Format);
/// ```
pub fn iban_check(iban: &str) -> IbanCheck {
    let b = iban.as_bytes();
    let Some((head @ [c1, c2, d1, d2], bban)) = b.split_first_chunk::<4>() else {
        return IbanCheck::Format;
    };
    let shape = (15..=34).contains(&b.len())
        && c1.is_ascii_uppercase()
        && c2.is_ascii_uppercase()
        && d1.is_ascii_digit()
        && d2.is_ascii_digit()
        && bban
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !shape {
        return IbanCheck::Format;
    }
    match mod97_chars(bban, head) {
        Some(1) => IbanCheck::Ok,
        _ => IbanCheck::Checksum,
    }
}

/// True for a valid ISO 11649 creditor reference: `RF`, two check digits, 1 to 21 letters or
/// digits, mod-97 of the rearranged reference equal to 1. Upper case only, no spaces.
///
/// ```
/// assert!(qrpay::formats::is_creditor_reference("RF18539007547034"));
/// assert!(!qrpay::formats::is_creditor_reference("RF19539007547034"));
/// ```
pub fn is_creditor_reference(r: &str) -> bool {
    let b = r.as_bytes();
    let Some((head @ [b'R', b'F', d1, d2], body)) = b.split_first_chunk::<4>() else {
        return false;
    };
    (5..=25).contains(&b.len())
        && d1.is_ascii_digit()
        && d2.is_ascii_digit()
        && body
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && mod97_chars(body, head) == Some(1)
}

/// The ISO 11649 creditor reference for `base` (1 to 21 upper-case letters or digits):
/// `RF`, two check digits, `base`. `None` if `base` does not fit.
pub fn creditor_reference(base: &str) -> Option<alloc::string::String> {
    let b = base.as_bytes();
    if b.is_empty()
        || b.len() > 21
        || !b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    let r = mod97_chars(b, b"RF00")?;
    Some(alloc::format!("RF{:02}{base}", 98 - r))
}

/// The recursive mod-10 carry (Swiss QRR / ISR reference) after the digits of `digits`.
fn mod10_carry(digits: &[u8]) -> Option<u8> {
    const TABLE: [u8; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    let mut carry = 0u8;
    for c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        carry = TABLE
            .get(usize::from((carry + (c - b'0')) % 10))
            .copied()
            .unwrap_or(0);
    }
    Some(carry)
}

/// The check digit the recursive mod-10 algorithm gives for `digits` (ASCII digits).
pub fn mod10_check_digit(digits: &str) -> Option<u8> {
    mod10_carry(digits.as_bytes()).map(|c| (10 - c) % 10)
}

/// True for a valid Swiss QR reference: 27 digits whose last is the recursive mod-10 check
/// digit of the first 26, not all zeros.
///
/// ```
/// assert!(qrpay::formats::is_qr_reference("210000000003139471430009017"));
/// assert!(!qrpay::formats::is_qr_reference("210000000003139471430009018"));
/// ```
pub fn is_qr_reference(r: &str) -> bool {
    let b = r.as_bytes();
    b.len() == 27 && mod10_carry(b) == Some(0) && b.iter().any(|&c| c != b'0')
}

/// Checks a plain decimal: digits, optionally `.` and 0 to `max_decimals` digits (at least
/// one digit after a `.`), no sign, no exponent. Returns the number of decimals.
pub(crate) fn decimal(s: &str, max_decimals: usize) -> Option<usize> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int.is_empty() || !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match frac {
        None => Some(0),
        Some(f) if !f.is_empty() && f.len() <= max_decimals => {
            f.bytes().all(|c| c.is_ascii_digit()).then_some(f.len())
        }
        Some(_) => None,
    }
}

/// True when a decimal (as [`decimal`] accepts) is not zero.
pub(crate) fn is_nonzero(s: &str) -> bool {
    s.bytes().any(|c| (b'1'..=b'9').contains(&c))
}

/// The integer part of a decimal has at most `digits` digits after leading zeros.
pub(crate) fn int_digits_at_most(s: &str, digits: usize) -> bool {
    let int = s.split('.').next().unwrap_or("");
    int.trim_start_matches('0').len() <= digits
}

/// True for a BIC: 4 letters (bank), 2 letters (country), 2 letters or digits (location),
/// optionally 3 letters or digits (branch). Upper case.
pub fn is_bic(s: &str) -> bool {
    let b = s.as_bytes();
    let Some((bank_country, rest)) = b.split_first_chunk::<6>() else {
        return false;
    };
    (b.len() == 8 || b.len() == 11)
        && bank_country.iter().all(u8::is_ascii_uppercase)
        && rest
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_formats_start_with_letters() {
        assert!(!super::epc::detect("0CD\n") && super::epc::detect("BCD\n"));
        assert!(!super::swiss::detect("0PC\n") && super::swiss::detect("SPC\n"));
    }

    use super::*;

    #[test]
    fn ibans_from_published_examples() {
        // Examples printed in ISO 13616 / bank documentation and the corpus.
        for ok in [
            "DE89370400440532013000",
            "GB29NWBK60161331926819",
            "CH9300762011623852957",
            "BE72000000001616",
            "CH4431999123000889012",
            "CH5800791123000889012",
        ] {
            assert_eq!(iban_check(ok), IbanCheck::Ok, "{ok}");
        }
        assert_eq!(iban_check("DE89370400440532013001"), IbanCheck::Checksum);
        assert_eq!(iban_check("DE89 3704 0044 0532 0130 00"), IbanCheck::Format);
        assert_eq!(iban_check(""), IbanCheck::Format);
        assert_eq!(iban_check("DÉ89370400440532013000"), IbanCheck::Format);
    }

    #[test]
    fn creditor_references() {
        // ISO 11649 example "RF18 5390 0754 7034" and the corpus' SCOR values.
        assert!(is_creditor_reference("RF18539007547034"));
        assert!(is_creditor_reference("RF485000056789012345"));
        assert!(!is_creditor_reference("RF18539007547035"));
        assert!(!is_creditor_reference("RF1"));
        assert_eq!(
            creditor_reference("539007547034").as_deref(),
            Some("RF18539007547034")
        );
        assert_eq!(creditor_reference(""), None);
    }

    #[test]
    fn qr_references() {
        // SIX IG QR-bill example reference "21 00000 00003 13947 14300 09017".
        assert!(is_qr_reference("210000000003139471430009017"));
        assert_eq!(mod10_check_digit("21000000000313947143000901"), Some(7));
        assert!(!is_qr_reference("000000000000000000000000000"));
        assert!(!is_qr_reference("21000000000313947143000901"));
    }

    #[test]
    fn lines_split_on_lf_crlf_and_cr() {
        let (l, crlf) = split_lines::<10>("a\r\nb\nc\rd");
        let t: Vec<&str> = l.iter().map(|l| l.text).collect();
        assert_eq!(t, ["a", "b", "c", "d"]);
        assert!(crlf);
        assert_eq!(l.get(1).unwrap().start, 3);
        let (l, _) = split_lines::<2>("a\nb\nc");
        assert_eq!(l.get(1).unwrap().text, "b\nc");
        assert_eq!(l.len(), 2);
        let (l, crlf) = split_lines::<10>("");
        assert_eq!((l.len(), l.get(0).unwrap().text, crlf), (1, "", false));
        let (l, _) = split_lines::<10>("x\r");
        let t: Vec<(&str, usize)> = l.iter().map(|l| (l.text, l.start)).collect();
        assert_eq!(t, [("x", 0), ("", 2)]);
        let (l, crlf) = split_lines::<10>("\r\r\n\n");
        let t: Vec<(&str, usize)> = l.iter().map(|l| (l.text, l.start)).collect();
        assert_eq!(t, [("", 0), ("", 1), ("", 3), ("", 4)]);
        assert!(crlf);
    }

    /// Line spans and CR LF flag, read a byte at a time.
    fn split_slowly(text: &str, n: usize) -> (Vec<(usize, usize)>, bool) {
        let b = text.as_bytes();
        let (mut out, mut start, mut i, mut crlf) = (Vec::new(), 0, 0, false);
        while let Some(&c) = b.get(i) {
            if c == b'\n' || c == b'\r' {
                if out.len() + 1 >= n {
                    break;
                }
                out.push((start, i));
                if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                    crlf = true;
                    i += 1;
                }
                start = i + 1;
            }
            i += 1;
        }
        out.push((start, b.len()));
        (out, crlf)
    }

    #[test]
    fn lines_split_as_a_byte_walk_does() {
        let pieces = [
            "a",
            "\n",
            "\r",
            "\r\n",
            "é",
            "\n\r",
            "0123456",
            "\u{0D}\u{8D}",
        ];
        let mut state = 0x1234_5678_9ABC_DEF1u64;
        for _ in 0..5_000 {
            let mut text = alloc::string::String::new();
            let seed = crate::xorshift(&mut state);
            for k in 0..(seed % 40) {
                text.push_str(pieces[((seed >> (k % 60)) as usize + k as usize) % pieces.len()]);
            }
            let (l, crlf) = split_lines::<6>(&text);
            let got: Vec<(usize, usize)> = l
                .iter()
                .map(|l| (l.start, l.start + l.text.len()))
                .collect();
            assert_eq!((got, crlf), split_slowly(&text, 6), "{text:?}");
            let (l, crlf) = split_lines::<42>(&text);
            let got: Vec<(usize, usize)> = l
                .iter()
                .map(|l| (l.start, l.start + l.text.len()))
                .collect();
            assert_eq!((got, crlf), split_slowly(&text, 42), "{text:?}");
        }
    }

    #[test]
    fn first_unplain_matches_position() {
        let plain = |c: u8| matches!(c, b' '..=b'~' | b'\n' | b'\r');
        for len in 0usize..20 {
            for pos in 0..=len {
                for odd in 0..=255u8 {
                    let mut v = alloc::vec![b'a'; len];
                    if let Some(p) = v.get_mut(pos) {
                        *p = odd;
                    }
                    let want = v.iter().position(|&c| !plain(c));
                    assert_eq!(first_unplain(&v), want, "{v:?}");
                }
            }
        }
    }

    #[test]
    fn mod97_reduces_as_each_step_would() {
        // The remainder taken after every character, as ISO 7064 describes it.
        let stepwise = |text: &[u8]| {
            let mut r = 0u32;
            for &c in text {
                let v = match c {
                    b'0'..=b'9' => u32::from(c - b'0'),
                    b'A'..=b'Z' => u32::from(c - b'A') + 10,
                    b'a'..=b'z' => u32::from(c - b'a') + 10,
                    _ => return None,
                };
                r = (if v >= 10 { r * 100 + v } else { r * 10 + v }) % 97;
            }
            Some(r)
        };
        let chars = b"0123456789AZaz9Z-";
        let mut state = 0x0DDB_1A5E_5BAD_5EEDu64;
        for _ in 0..20_000 {
            let seed = crate::xorshift(&mut state);
            let len = (seed % 64) as usize;
            let text: Vec<u8> = (0..len)
                .map(|k| chars[((seed >> (k % 56)) as usize + k) % chars.len()])
                .collect();
            let split = (seed >> 58) as usize % (len + 1);
            let (a, b) = text.split_at(split);
            assert_eq!(mod97_chars(a, b), stepwise(&text), "{text:?}");
        }
    }

    #[test]
    fn detect_order_is_the_documented_one() {
        // UPI, EPC, Swiss, wallet URL, payment code: the order `detect` documents.
        let reference = |t: &str| {
            if upi::detect(t) {
                Some(FormatKind::Upi)
            } else if epc::detect(t) {
                Some(FormatKind::EpcSct)
            } else if swiss::detect(t) {
                Some(FormatKind::SwissQrBill)
            } else if let Some(w) = urls::detect_wallet(t) {
                Some(w.kind())
            } else if paycode::detect(t) {
                Some(FormatKind::Paycode)
            } else {
                None
            }
        };
        let heads = [
            "SPC",
            "BCD",
            "spc",
            "upi://",
            "UPI://",
            "gpay://upi/",
            "tez://upi/",
            "phonepe://",
            "paytmmp://",
            "PhonePe://",
            "https://qr.alipay.com/",
            "wxp://",
            "",
        ];
        let tails = [
            "",
            "\n",
            "\r\n",
            "pay?pa=a@b",
            "\n0200\n1",
            "\r",
            "mandate?x=1",
        ];
        for h in heads {
            for m in heads {
                for t in tails {
                    let text = alloc::format!("{h}{t}{m}{t}");
                    assert_eq!(detect(&text), reference(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal("12.30", 2), Some(2));
        assert_eq!(decimal("12", 2), Some(0));
        assert_eq!(decimal("12.", 2), None);
        assert_eq!(decimal(".5", 2), None);
        assert_eq!(decimal("1.234", 2), None);
        assert_eq!(decimal("-1", 2), None);
        assert_eq!(decimal("1e3", 2), None);
    }
}
