//! India UPI intent links (NPCI UPI Linking Specification): `upi://pay?pa=...&pn=...`.
//!
//! The scheme and action are matched without regard to case; `upi://mandate` (AutoPay) and the
//! app-specific variants `gpay://upi/pay`, `tez://upi/pay`, `phonepe://pay` and
//! `paytmmp://pay` are read too (the latter with an advice: only that app opens them).
//! Values are percent-decoded (`+` is a space, as HTML forms and every UPI app write it);
//! the quirks real links have are read and reported, not rejected: unencoded spaces and
//! `&`, bad escapes, duplicate keys (the first wins). Unknown keys are kept.
//!
//! ```
//! use qrpay::formats::upi;
//! let u = upi::parse("upi://pay?pa=bhar4t%40upi&pn=Bharat+Sahu&am=150.00&tn=Order+42").unwrap();
//! assert_eq!(u.get("pa").as_deref(), Some("bhar4t@upi"));
//! assert_eq!(u.get("pn").as_deref(), Some("Bharat Sahu"));
//! let link = upi::UpiBuilder::new("shop@okbank", "Shop & Co").amount("99.5").build().unwrap();
//! assert_eq!(link, "upi://pay?pa=shop@okbank&pn=Shop%20%26%20Co&am=99.5&cu=INR");
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::otp::hex_value;

use super::{byte_pos, char_offset, decimal, is_nonzero, starts_with_ci, NotFormat, Payment};
use crate::fields::Field;
use crate::report::{Class, Code, Detail, Issue, Path, Report, Seg};

/// The longest link read (a QR symbol holds at most 4296 alphanumeric characters).
const MAX_LEN: usize = crate::mpm::MAX_PAYLOAD_BYTES;

/// Prefixes (lower case) of app-specific schemes that carry UPI parameters, then the action.
const APP_PREFIXES: &[&str] = &["gpay://upi/", "tez://upi/", "phonepe://", "paytmmp://"];

/// The parameters NPCI defines (and those seen in the wild), with their names. The order is
/// the one [`UpiBuilder`] writes.
pub const KNOWN_PARAMS: &[(&str, &str)] = &[
    ("pa", "payee address (VPA)"),
    ("pn", "payee name"),
    ("mc", "merchant category code"),
    ("tid", "PSP transaction id"),
    ("tr", "transaction reference"),
    ("tn", "transaction note"),
    ("am", "amount"),
    ("mam", "minimum amount"),
    ("cu", "currency"),
    ("url", "reference URL"),
    ("mode", "initiation mode"),
    ("purpose", "purpose code"),
    ("orgid", "organisation id"),
    ("sign", "signature"),
    ("ver", "version"),
    ("qrMedium", "QR medium"),
    ("QRexpire", "QR expiry"),
    ("QRts", "QR timestamp"),
    ("mid", "merchant id"),
    ("msid", "merchant store id"),
    ("mtid", "merchant terminal id"),
    ("gstBrkUp", "GST breakup"),
    ("invoiceNo", "invoice number"),
    ("invoiceDate", "invoice date"),
    ("gstIn", "GSTIN"),
];

fn known(key: &str) -> Option<(&'static str, &'static str)> {
    KNOWN_PARAMS.iter().find(|(k, _)| *k == key).copied()
}

/// True when `text` is a UPI link: `upi://` or an app-specific UPI scheme, any case.
pub fn detect(text: &str) -> bool {
    split_scheme(text).is_some()
}

/// The scheme prefix (`upi://` or an app's) and the rest.
fn split_scheme(text: &str) -> Option<(&str, &str, bool)> {
    if starts_with_ci(text, "upi://") {
        return Some((text.get(..6)?, text.get(6..)?, false));
    }
    for p in APP_PREFIXES {
        if starts_with_ci(text, p) {
            let rest = text.get(p.len()..)?;
            let action = action_of(rest).0;
            if action.eq_ignore_ascii_case("pay") || action.eq_ignore_ascii_case("mandate") {
                return Some((text.get(..p.len())?, rest, true));
            }
        }
    }
    None
}

/// Splits `pay?x=y` into the action (without a trailing `/`) and the query (after `?`).
fn action_of(rest: &str) -> (&str, Option<&str>) {
    let (a, q) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    (a.strip_suffix('/').unwrap_or(a), q)
}

/// What a link asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action<'a> {
    /// `pay`: a payment.
    Pay,
    /// `mandate`: a recurring-payment (AutoPay) mandate.
    Mandate,
    /// Anything else.
    Other(&'a str),
}

/// One query parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param<'a> {
    /// The key, percent-decoded.
    pub key: Cow<'a, str>,
    /// The value, percent-decoded (`+` read as a space).
    pub value: Cow<'a, str>,
    /// The value as written.
    pub raw: &'a str,
    /// Byte offset of the key in the link.
    pub offset: usize,
    /// True when the key or value has an unencoded space or `&`, a bad escape or bytes that
    /// are not UTF-8.
    pub unclean: bool,
}

/// A parsed UPI link, borrowing the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upi<'a> {
    text: &'a str,
    scheme: &'a str,
    app: bool,
    action: &'a str,
    params: Vec<Param<'a>>,
}

/// Reads a UPI link. Fails only when the text is not one (see [`detect`]).
pub fn parse(text: &str) -> Result<Upi<'_>, NotFormat> {
    if text.len() > MAX_LEN {
        return Err(NotFormat::TooLong(text.len()));
    }
    let (scheme, rest, app) = split_scheme(text).ok_or(NotFormat::Kind("UPI"))?;
    let (action, query) = action_of(rest);
    // Room for the parameters of a usual link at once, rather than growing through 4 and 8.
    let mut params: Vec<Param<'_>> = Vec::with_capacity(if query.is_some() { 12 } else { 0 });
    if let Some(q) = query {
        let mut pos = byte_pos(text, q);
        for seg in q.split('&') {
            let seg_start = pos;
            pos += seg.len() + 1;
            if seg.is_empty() {
                continue;
            }
            match seg.split_once('=') {
                Some((k, v)) => {
                    let (key, bad_k) = decode(k);
                    let (value, bad_v) = decode(v);
                    params.push(Param {
                        key,
                        value,
                        raw: v,
                        offset: seg_start,
                        unclean: bad_k || bad_v,
                    });
                }
                None => {
                    // An `&` that was not encoded inside the previous value: glue it back.
                    if let Some(last) = params.last_mut() {
                        let start = byte_pos(text, last.raw);
                        let end = seg_start + seg.len();
                        if let Some(raw) = text.get(start..end) {
                            last.raw = raw;
                            last.value = decode(raw).0;
                            last.unclean = true;
                            continue;
                        }
                    }
                    params.push(Param {
                        key: decode(seg).0,
                        value: Cow::Borrowed(""),
                        raw: "",
                        offset: seg_start,
                        unclean: true,
                    });
                }
            }
        }
    }
    Ok(Upi {
        text,
        scheme,
        app,
        action,
        params,
    })
}

/// Percent-decodes a query component (`+` is a space). Also says whether it was unclean:
/// a raw space, control or non-ASCII character, a bad `%` escape, or bytes that are not UTF-8.
fn decode(s: &str) -> (Cow<'_, str>, bool) {
    let b = s.as_bytes();
    let mut bad = false;
    // A `+`, or a `%` with two hex digits (an escape): the text changes when decoded.
    let mut changes = false;
    for (i, &c) in b.iter().enumerate() {
        if c == b'%' {
            let ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            bad |= !ok;
            changes |= ok;
        } else if c == b'+' {
            changes = true;
        } else if c <= b' ' || c >= 0x7F {
            bad = true;
        }
    }
    if !changes {
        return (Cow::Borrowed(s), bad);
    }
    // `+` as a space, then the escapes, in one pass: the bytes `s.replace('+', " ")`
    // percent-decodes to (a `+` is no hex digit, so it never ends an escape either way).
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            if let (Some(hi), Some(lo)) = (
                hex_value(b.get(i + 1).copied()),
                hex_value(b.get(i + 2).copied()),
            ) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(if c == b'+' { b' ' } else { c });
        i += 1;
    }
    let decoded = match String::from_utf8(out) {
        Ok(v) => v,
        Err(e) => {
            bad = true;
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    (Cow::Owned(decoded), bad)
}

/// The decoding `decode` replaced, kept to test it against.
#[cfg(test)]
fn decode_reference(s: &str) -> (Cow<'_, str>, bool) {
    use percent_encoding::percent_decode_str;
    let b = s.as_bytes();
    let mut bad = false;
    for (i, &c) in b.iter().enumerate() {
        if c == b'%' {
            let ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            bad |= !ok;
        } else if c <= b' ' || c >= 0x7F {
            bad = true;
        }
    }
    if !s.contains(['%', '+']) {
        return (Cow::Borrowed(s), bad);
    }
    let decoded = if s.contains('+') {
        let spaced = s.replace('+', " ");
        let d = percent_decode_str(&spaced);
        match d.decode_utf8() {
            Ok(v) => Cow::Owned(v.into_owned()),
            Err(_) => {
                bad = true;
                Cow::Owned(percent_decode_str(&spaced).decode_utf8_lossy().into_owned())
            }
        }
    } else {
        match percent_decode_str(s).decode_utf8() {
            Ok(v) => v,
            Err(_) => {
                bad = true;
                percent_decode_str(s).decode_utf8_lossy()
            }
        }
    };
    (decoded, bad)
}

/// True for a VPA: `handle@psp`, the handle of letters, digits, `.`, `-`, `_`, the PSP of
/// letters, digits, `.` and `-`.
pub fn is_vpa(s: &str) -> bool {
    match s.split_once('@') {
        Some((h, p)) => {
            !h.is_empty()
                && !p.is_empty()
                && h.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
                && p.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'))
        }
        None => false,
    }
}

fn path_of(key: &str) -> Path {
    known(key).map_or(Path::ROOT, |(k, _)| Path::one(Seg::Name(k)))
}

impl<'a> Upi<'a> {
    /// The link as given.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The scheme prefix as written (`upi://`, `gpay://upi/`...).
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// True for an app-specific scheme (only that app opens the link).
    pub fn is_app_specific(&self) -> bool {
        self.app
    }

    /// What the link asks for.
    pub fn action(&self) -> Action<'a> {
        if self.action.eq_ignore_ascii_case("pay") {
            Action::Pay
        } else if self.action.eq_ignore_ascii_case("mandate") {
            Action::Mandate
        } else {
            Action::Other(self.action)
        }
    }

    /// Every parameter in link order, duplicates included.
    pub fn params(&self) -> &[Param<'a>] {
        &self.params
    }

    /// The first value of `key` (keys are case-sensitive, as NPCI writes them).
    pub fn get(&self, key: &str) -> Option<Cow<'a, str>> {
        self.param(key).map(|p| p.value.clone())
    }

    fn param(&self, key: &str) -> Option<&Param<'a>> {
        self.params.iter().find(|p| p.key == key)
    }

    /// Payee VPA (`pa`).
    pub fn payee_address(&self) -> Option<Cow<'a, str>> {
        self.get("pa")
    }

    /// Payee name (`pn`).
    pub fn payee_name(&self) -> Option<Cow<'a, str>> {
        self.get("pn")
    }

    /// Amount (`am`), a decimal string.
    pub fn amount(&self) -> Option<Cow<'a, str>> {
        self.get("am")
    }

    /// Currency (`cu`); UPI is INR when absent.
    pub fn currency(&self) -> Option<Cow<'a, str>> {
        self.get("cu")
    }

    /// Transaction reference (`tr`).
    pub fn reference(&self) -> Option<Cow<'a, str>> {
        self.get("tr")
    }

    /// Transaction note (`tn`).
    pub fn note(&self) -> Option<Cow<'a, str>> {
        self.get("tn")
    }

    /// Merchant category code (`mc`).
    pub fn merchant_code(&self) -> Option<Cow<'a, str>> {
        self.get("mc")
    }

    fn off(&self, p: &Param<'_>) -> usize {
        char_offset(self.text, p.offset)
    }

    /// Checks the link against the UPI linking rules.
    pub fn validate(&self, report: &mut Report) {
        if self.app {
            report.push(
                Code::UpiScheme,
                Class::Advice,
                Path::ROOT,
                0,
                Detail::Text("an app-specific scheme: only that app opens it"),
            );
        }
        if let Action::Other(_) = self.action() {
            report.push(
                Code::UpiScheme,
                Class::Deviation,
                Path::ROOT,
                0,
                Detail::Expected("upi://pay or upi://mandate"),
            );
        }
        for (i, p) in self.params.iter().enumerate() {
            // The path (a search of the known keys) is made only for an issue.
            let path = || path_of(&p.key);
            if p.unclean {
                report.push(
                    Code::UpiEncoding,
                    Class::Deviation,
                    path(),
                    self.off(p),
                    Detail::None,
                );
            }
            if let Some(first) = self.params.iter().take(i).find(|q| q.key == p.key) {
                report.push(
                    Code::UpiDuplicate,
                    Class::Deviation,
                    path(),
                    self.off(p),
                    Detail::FirstAt(self.off(first) as u32),
                );
            }
        }
        match self.param("pa") {
            None => report.push(
                Code::UpiPaMissing,
                Class::Fatal,
                Path::one(Seg::Name("pa")),
                0,
                Detail::Missing("pa"),
            ),
            Some(p) if !is_vpa(&p.value) => report.push(
                Code::UpiPaFormat,
                Class::Deviation,
                Path::one(Seg::Name("pa")),
                self.off(p),
                Detail::Expected("handle@psp"),
            ),
            Some(_) => {}
        }
        if self.param("pn").is_none_or(|p| p.value.trim().is_empty()) {
            report.push(
                Code::UpiPnMissing,
                Class::Deviation,
                Path::one(Seg::Name("pn")),
                self.param("pn").map_or(0, |p| self.off(p)),
                Detail::Missing("pn"),
            );
        }
        for key in ["am", "mam"] {
            if let Some(p) = self.param(key) {
                if decimal(&p.value, 2).is_none() || !is_nonzero(&p.value) {
                    report.push(
                        Code::UpiAmount,
                        Class::Deviation,
                        path_of(key),
                        self.off(p),
                        Detail::Expected("a positive decimal with at most 2 decimals"),
                    );
                }
            }
        }
        if let Some(p) = self.param("cu") {
            if p.value != "INR" {
                report.push(
                    Code::UpiCurrency,
                    Class::Deviation,
                    path_of("cu"),
                    self.off(p),
                    Detail::Expected("INR"),
                );
            }
        }
        if let Some(p) = self.param("mc") {
            if p.value.len() != 4 || !p.value.bytes().all(|c| c.is_ascii_digit()) {
                report.push(
                    Code::UpiMc,
                    Class::Deviation,
                    path_of("mc"),
                    self.off(p),
                    Detail::Expected("4 digits (ISO 18245)"),
                );
            } else if p.value != "0000" && self.param("tr").is_none() {
                report.push(
                    Code::UpiTrMissing,
                    Class::Deviation,
                    path_of("tr"),
                    self.off(p),
                    Detail::Missing("tr"),
                );
            }
        }
        for key in ["mode", "purpose"] {
            if let Some(p) = self.param(key) {
                if p.value.len() != 2 || !p.value.bytes().all(|c| c.is_ascii_digit()) {
                    report.push(
                        Code::UpiValue,
                        Class::Deviation,
                        path_of(key),
                        self.off(p),
                        Detail::Expected("2 digits"),
                    );
                }
            }
        }
    }

    /// Every parameter in link order: path = key, name from the NPCI table.
    pub fn fields(&self) -> Vec<Field<'a>> {
        self.params
            .iter()
            .map(|p| Field {
                path: String::from(p.key.as_ref()),
                name: known(&p.key).map_or("", |(_, n)| n),
                value: p.value.clone(),
                offset: self.off(p),
            })
            .collect()
    }

    /// The uniform payment view: `pn`, `pa`, `am`, `cu` (INR when absent), `tr`, country IN.
    pub fn payment(&self) -> Payment<'a> {
        let currency = match self.currency() {
            None => Some("INR"),
            Some(c) => crate::currency::by_alpha(&c).map(|c| c.alpha),
        };
        Payment {
            payee: self.payee_name(),
            account: self.payee_address(),
            amount: self.amount(),
            currency,
            reference: self.reference(),
            country: Some(Cow::Borrowed("IN")),
        }
    }
}

/// What is percent-encoded in values: everything but RFC 3986 unreserved characters and `@`
/// (several UPI apps mis-read `%40` in `pa`).
const VALUE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Why a link could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A key is empty or not letters, digits and `_`.
    #[error("the key {0:?} is not letters, digits and _")]
    Key(String),
    /// The link breaks a rule (the issue says which).
    #[error("{0}")]
    Invalid(alloc::boxed::Box<Issue>),
}

/// Builds canonical UPI links: `upi://pay?`, the NPCI keys in [`KNOWN_PARAMS`] order, then
/// other keys in the order given; values percent-encoded except unreserved characters and `@`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpiBuilder {
    mandate: bool,
    params: Vec<(String, String)>,
}

impl UpiBuilder {
    /// A payment link to `pa` (a VPA) named `pn`, in INR.
    pub fn new(pa: &str, pn: &str) -> UpiBuilder {
        UpiBuilder::default()
            .set("pa", pa)
            .set("pn", pn)
            .set("cu", "INR")
    }

    /// A builder holding every parameter of a parsed link (first values only).
    pub fn from_upi(u: &Upi<'_>) -> UpiBuilder {
        let mut b = UpiBuilder {
            mandate: u.action() == Action::Mandate,
            params: Vec::new(),
        };
        for p in u.params() {
            if !b.params.iter().any(|(k, _)| *k == p.key) {
                b.params
                    .push((p.key.clone().into_owned(), p.value.clone().into_owned()));
            }
        }
        b
    }

    /// Makes it an AutoPay `upi://mandate` link.
    pub fn mandate(mut self) -> UpiBuilder {
        self.mandate = true;
        self
    }

    /// Sets `key` (replacing an earlier value).
    pub fn set(mut self, key: &str, value: &str) -> UpiBuilder {
        match self.params.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = String::from(value),
            None => self.params.push((String::from(key), String::from(value))),
        }
        self
    }

    /// Removes `key`.
    pub fn remove(mut self, key: &str) -> UpiBuilder {
        self.params.retain(|(k, _)| k != key);
        self
    }

    /// Amount (`am`), a decimal string with at most 2 decimals.
    pub fn amount(self, am: &str) -> UpiBuilder {
        self.set("am", am)
    }

    /// Transaction note (`tn`).
    pub fn note(self, tn: &str) -> UpiBuilder {
        self.set("tn", tn)
    }

    /// Transaction reference (`tr`).
    pub fn reference(self, tr: &str) -> UpiBuilder {
        self.set("tr", tr)
    }

    /// Merchant category code (`mc`).
    pub fn merchant_code(self, mc: &str) -> UpiBuilder {
        self.set("mc", mc)
    }

    /// Writes the link without checking it.
    pub fn build_unchecked(&self) -> String {
        let mut out = String::from(if self.mandate {
            "upi://mandate?"
        } else {
            "upi://pay?"
        });
        let known_first = KNOWN_PARAMS
            .iter()
            .filter_map(|(k, _)| self.params.iter().find(|(pk, _)| pk == k));
        let others = self.params.iter().filter(|(k, _)| known(k).is_none());
        for (i, (k, v)) in known_first.chain(others).enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.extend(utf8_percent_encode(k, VALUE_SET));
            out.push('=');
            out.extend(utf8_percent_encode(v, VALUE_SET));
        }
        out
    }

    /// Writes the link; refuses one that would not pass strict validation.
    pub fn build(&self) -> Result<String, BuildError> {
        for (k, _) in &self.params {
            if k.is_empty() || !k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
                return Err(BuildError::Key(k.clone()));
            }
        }
        let out = self.build_unchecked();
        if let Some(i) = super::strict_refusal(parse(&out), |v, r| v.validate(r)) {
            return Err(BuildError::Invalid(alloc::boxed::Box::new(i)));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn decode_agrees_with_replace_then_percent_decode() {
        use super::*;
        let pieces = [
            "a", "+", "%", "%2", "%20", "%2B", "%41", "%e9", "%C3%A9", "%ff", "%zz", " ", "&", "é",
            "%C3", "%A9", "\u{7f}", "%%41", "9",
        ];
        let mut state = 0x0005_EED0_F0DD_u64;
        for _ in 0..20_000 {
            let seed = crate::xorshift(&mut state);
            let mut text = String::new();
            for k in 0..(seed % 9) {
                text.push_str(pieces[((seed >> (k * 5)) as usize) % pieces.len()]);
            }
            let (got, want) = (decode(&text), decode_reference(&text));
            assert_eq!(got, want, "{text:?}");
            assert_eq!(
                matches!(got.0, Cow::Borrowed(_)),
                matches!(want.0, Cow::Borrowed(_)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn prefixes_start_with_letters() {
        // `formats::detect` relies on it to send texts starting with a digit straight to
        // the payment-code rules.
        for p in super::APP_PREFIXES.iter().chain(&["upi://"]) {
            assert!(p.as_bytes()[0].is_ascii_alphabetic(), "{p}");
        }
    }

    use super::*;
    use crate::report::Mode;

    fn codes(text: &str, mode: Mode) -> Vec<&'static str> {
        let mut r = Report::new(mode);
        parse(text).unwrap().validate(&mut r);
        let mut v: Vec<_> = r.issues().iter().map(|i| i.code.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn reads_the_corpus_links() {
        let u = parse("gpay://upi/pay?pa=merchant%40pspbank&pn=MyNameHere&tr=15330175804633937&tn=Test%20deposit%2015330175804633937%20DH0490&am=5000&cu=INR&mc=621").unwrap();
        assert!(u.is_app_specific());
        assert_eq!(u.payee_address().as_deref(), Some("merchant@pspbank"));
        assert_eq!(
            u.note().as_deref(),
            Some("Test deposit 15330175804633937 DH0490")
        );
        assert_eq!(
            codes(u.text(), Mode::Strict),
            ["upi.mc", "upi.scheme"],
            "mc=621 is not an MCC"
        );
    }

    #[test]
    fn scheme_and_action_ignore_case() {
        assert!(detect("UPI://PAY?pa=a@b&pn=x"));
        assert!(detect("upi://mandate?pa=a@b"));
        assert!(!detect("upi:/pay"));
        assert!(!detect("phonepe://scan"));
        assert_eq!(
            parse("UPI://Pay/?pa=a@b&pn=x").unwrap().action(),
            Action::Pay
        );
    }

    #[test]
    fn quirks_are_read_and_reported() {
        let t = "upi://pay?pa=a@b&pn=Tom & Jerry&tn=UPI Payment by Deeplinking&pa=c@d&am=1%2";
        let u = parse(t).unwrap();
        assert_eq!(u.get("pn").as_deref(), Some("Tom & Jerry"));
        assert_eq!(u.get("tn").as_deref(), Some("UPI Payment by Deeplinking"));
        assert_eq!(u.get("pa").as_deref(), Some("a@b"), "first wins");
        assert_eq!(u.get("am").as_deref(), Some("1%2"));
        assert_eq!(
            codes(t, Mode::Lenient),
            ["upi.amount", "upi.duplicate", "upi.encoding"]
        );
        let u = parse("upi://pay?pa=a@b&pn=%FF").unwrap();
        assert_eq!(u.get("pn").as_deref(), Some("\u{FFFD}"));
    }

    #[test]
    fn missing_payee_is_fatal() {
        let mut r = Report::new(Mode::Lenient);
        parse("upi://pay").unwrap().validate(&mut r);
        assert!(r.has_errors());
        assert!(r.has(Code::UpiPaMissing));
    }

    #[test]
    fn builder_encodes_and_orders() {
        let link = UpiBuilder::default()
            .set("orgid", "159761")
            .set("pn", "Café Ω")
            .set("pa", "x.y@ok-bank")
            .set("zz", "a+b=c")
            .amount("10")
            .build()
            .unwrap();
        assert_eq!(
            link,
            "upi://pay?pa=x.y@ok-bank&pn=Caf%C3%A9%20%CE%A9&am=10&orgid=159761&zz=a%2Bb%3Dc"
        );
        assert!(matches!(
            UpiBuilder::new("nope", "x").build(),
            Err(BuildError::Invalid(i)) if i.code == Code::UpiPaFormat
        ));
        assert!(UpiBuilder::new("a@b", "x").set("", "v").build().is_err());
    }
}
