//! Swiss QR-bill: the Swiss QR Code of the Swiss Implementation Guidelines QR-bill v2.x
//! (SIX, "Swiss Payments Code", QR type `SPC`, version `0200`, coding type `1`).
//!
//! One element a line (LF or CR LF, no break after the last element):
//!
//! | lines | elements |
//! |---|---|
//! | 1–3 | `SPC`, `0200`, `1` |
//! | 4 | IBAN or QR-IBAN, 21 characters, CH or LI |
//! | 5–11 | creditor: address type `S`/`K`, name, street or line 1, number or line 2, postcode, town, country |
//! | 12–18 | ultimate creditor (reserved, empty) |
//! | 19–20 | amount (empty, or 0.00–999999999.99 with 2 decimals), currency `CHF`/`EUR` |
//! | 21–27 | ultimate debtor (optional, same 7 fields) |
//! | 28–29 | reference type `QRR` (27 digits, recursive mod 10, QR-IBAN only) / `SCOR` (ISO 11649) / `NON`, reference |
//! | 30–31 | unstructured message (≤ 140), trailer `EPD` |
//! | then | bill information (`//...`, optional), up to two alternative schemes (≤ 100) |
//!
//! Since IG v2.2 an empty bill information line may be left out, so a line after `EPD` that
//! does not start with `//` is read as an alternative scheme.
//!
//! ```
//! use qrpay::formats::swiss::{self, Address, SwissBuilder};
//! let text = SwissBuilder::new(
//!     "CH4431999123000889012",
//!     Address::structured("Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH"),
//! )
//! .amount("1949.75")
//! .qr_reference("210000000003139471430009017")
//! .message("Order of 15 June 2020")
//! .build()
//! .unwrap();
//! let bill = swiss::parse(&text).unwrap();
//! assert!(bill.is_qr_iban());
//! assert_eq!(bill.reference(), Some("210000000003139471430009017"));
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::{
    char_offset, decimal, iban_check, int_digits_at_most, is_creditor_reference, is_qr_reference,
    split_lines, IbanCheck, Lines, NotFormat, Payment,
};
use crate::fields::Field;
use crate::report::{Class, Code, Detail, Issue, Path, Report, Seg};

/// The most characters a Swiss QR Code may hold.
pub const MAX_CHARS: usize = 997;

const IBAN: usize = 3;
const CREDITOR: usize = 4;
const ULTIMATE_CREDITOR: usize = 11;
const AMOUNT: usize = 18;
const CURRENCY: usize = 19;
const DEBTOR: usize = 20;
const REF_TYPE: usize = 27;
const REFERENCE: usize = 28;
const MESSAGE: usize = 29;
const TRAILER: usize = 30;
/// Lines up to and including the trailer.
const CORE_LINES: usize = 31;
/// Lines the layout allows: core, bill information, two alternative schemes.
const MAX_LINES: usize = 34;
/// Lines read apart (the rest, if any, is one last line).
const SPLIT_LINES: usize = MAX_LINES + 8;

/// True when the first line is `SPC`.
pub fn detect(text: &str) -> bool {
    text.strip_prefix("SPC")
        .is_some_and(|r| r.starts_with('\n') || r.starts_with("\r\n"))
}

/// A parsed QR-bill, borrowing the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwissBill<'a> {
    text: &'a str,
    lines: Lines<'a, SPLIT_LINES>,
    /// Index of the bill-information line, when there is one.
    bill_info: Option<usize>,
    /// Indices of the alternative-scheme lines.
    alt: core::ops::Range<usize>,
    /// Index one past the last non-empty line (trailing empty lines are not content).
    end: usize,
}

/// Reads a QR-bill. Fails only when the text is not one (see [`detect`]); a truncated bill
/// is read as far as it goes and [`SwissBill::validate`] says what is missing.
pub fn parse(text: &str) -> Result<SwissBill<'_>, NotFormat> {
    if text.len() > crate::mpm::MAX_PAYLOAD_BYTES {
        return Err(NotFormat::TooLong(text.len()));
    }
    if !detect(text) {
        return Err(NotFormat::Kind("Swiss QR-bill"));
    }
    let (lines, _) = split_lines::<SPLIT_LINES>(text);
    let end = lines
        .iter()
        .rposition(|l| !l.text.is_empty())
        .map_or(0, |i| i + 1);
    let mut bill_info = None;
    let mut alt = 0..0;
    if end > CORE_LINES {
        let first = CORE_LINES;
        let text = lines.get(first).map_or("", |l| l.text);
        let start = if text.starts_with("//") || text.is_empty() {
            bill_info = Some(first);
            first + 1
        } else {
            first
        };
        alt = start..end;
    }
    Ok(SwissBill {
        text,
        lines,
        bill_info,
        alt,
        end,
    })
}

/// True when `v` is empty or only white space (`v.trim().is_empty()`), decided by the first
/// byte when that is an ASCII character other than white space.
fn is_blank(v: &str) -> bool {
    match v.as_bytes().first() {
        None => true,
        Some(&b) if b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ') => false,
        Some(_) => v.chars().all(char::is_whitespace),
    }
}

/// Address type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressKind {
    /// `S`: structured (street, building number, postcode, town).
    Structured,
    /// `K`: combined (two free address lines).
    Combined,
}

/// An address as the bill holds it (7 lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressView<'a> {
    /// `S` or `K` as written (`None` when empty).
    pub kind: Option<&'a str>,
    /// Name or company.
    pub name: &'a str,
    /// Street (`S`) or address line 1 (`K`).
    pub line1: &'a str,
    /// Building number (`S`) or address line 2 (`K`).
    pub line2: &'a str,
    /// Postcode (`S` only).
    pub postcode: &'a str,
    /// Town (`S` only).
    pub town: &'a str,
    /// ISO 3166 alpha-2 country.
    pub country: &'a str,
}

impl AddressView<'_> {
    /// True when all 7 lines are empty.
    pub fn is_empty(&self) -> bool {
        self.kind.is_none()
            && [
                self.name,
                self.line1,
                self.line2,
                self.postcode,
                self.town,
                self.country,
            ]
            .iter()
            .all(|s| s.is_empty())
    }
}

const ADDRESS_FIELDS_S: [&str; 7] = [
    "type", "name", "street", "building", "postcode", "town", "country",
];
const ADDRESS_FIELDS_K: [&str; 7] = [
    "type", "name", "line1", "line2", "postcode", "town", "country",
];

/// Reference type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferenceType {
    /// `QRR`: QR reference, 27 digits (QR-IBAN only).
    Qrr,
    /// `SCOR`: ISO 11649 creditor reference.
    Scor,
    /// `NON`: no reference.
    Non,
}

impl ReferenceType {
    /// `"QRR"`, `"SCOR"` or `"NON"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ReferenceType::Qrr => "QRR",
            ReferenceType::Scor => "SCOR",
            ReferenceType::Non => "NON",
        }
    }

    fn from_str(s: &str) -> Option<ReferenceType> {
        match s {
            "QRR" => Some(ReferenceType::Qrr),
            "SCOR" => Some(ReferenceType::Scor),
            "NON" => Some(ReferenceType::Non),
            _ => None,
        }
    }
}

/// True for an IBAN whose institution id (characters 5–9) is 30000–31999: a QR-IBAN.
pub fn is_qr_iban(iban: &str) -> bool {
    iban.get(4..9)
        .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
        .and_then(|d| d.parse::<u32>().ok())
        .is_some_and(|iid| (30000..=31999).contains(&iid))
}

/// The characters the guidelines allow (IG v2.x §4.1.1): Basic Latin, Latin-1 Supplement,
/// Latin Extended-A, Ș ș Ț ț and €.
fn allowed_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{17F}' | '\u{218}'..='\u{21B}' | '\u{20AC}')
}

fn p1(name: &'static str) -> Path {
    Path::one(Seg::Name(name))
}

impl<'a> SwissBill<'a> {
    /// The payload as given.
    pub fn text(&self) -> &'a str {
        self.text
    }

    fn line(&self, i: usize) -> Option<&'a str> {
        self.lines.get(i).map(|l| l.text)
    }

    /// Line `i` (0-based) when present and not empty.
    fn value(&self, i: usize) -> Option<&'a str> {
        self.line(i).filter(|t| !t.is_empty())
    }

    fn off(&self, i: usize) -> usize {
        self.lines.offset(i)
    }

    /// Version (`0200`).
    pub fn version(&self) -> Option<&'a str> {
        self.value(1)
    }

    /// The creditor's IBAN or QR-IBAN.
    pub fn iban(&self) -> Option<&'a str> {
        self.value(IBAN)
    }

    /// True when the account is a QR-IBAN.
    pub fn is_qr_iban(&self) -> bool {
        self.iban().is_some_and(is_qr_iban)
    }

    fn address(&self, start: usize) -> AddressView<'a> {
        // The seven lines at once: a line past the last reads as empty, as `line` gives it.
        let [kind, name, line1, line2, postcode, town, country] = self.lines.seven(start);
        AddressView {
            kind: Some(kind).filter(|k| !k.is_empty()),
            name,
            line1,
            line2,
            postcode,
            town,
            country,
        }
    }

    /// The creditor.
    pub fn creditor(&self) -> AddressView<'a> {
        self.address(CREDITOR)
    }

    /// The ultimate debtor, when given.
    pub fn debtor(&self) -> Option<AddressView<'a>> {
        Some(self.address(DEBTOR)).filter(|a| !a.is_empty())
    }

    /// The amount as written (`None` when open).
    pub fn amount(&self) -> Option<&'a str> {
        self.value(AMOUNT)
    }

    /// Currency (`CHF` or `EUR`).
    pub fn currency(&self) -> Option<&'a str> {
        self.value(CURRENCY)
    }

    /// Reference type as written.
    pub fn reference_type_raw(&self) -> Option<&'a str> {
        self.value(REF_TYPE)
    }

    /// Reference type.
    pub fn reference_type(&self) -> Option<ReferenceType> {
        self.reference_type_raw().and_then(ReferenceType::from_str)
    }

    /// The reference.
    pub fn reference(&self) -> Option<&'a str> {
        self.value(REFERENCE)
    }

    /// Unstructured message.
    pub fn message(&self) -> Option<&'a str> {
        self.value(MESSAGE)
    }

    /// Bill information (Swico `//S1/...` and the like).
    pub fn bill_information(&self) -> Option<&'a str> {
        self.bill_info.and_then(|i| self.value(i))
    }

    /// Alternative schemes (`eBill/B/...`, `twint/...`).
    pub fn alternative_schemes(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.alt.clone().filter_map(|i| self.line(i))
    }

    fn too_long(&self, report: &mut Report, path: impl FnOnce() -> Path, i: usize, max: usize) {
        // A line has no more characters than bytes: only a longer one needs counting.
        if let Some(v) = self.line(i).filter(|v| v.len() > max) {
            let n = v.chars().count();
            if n > max {
                report.push(
                    Code::SwissLength,
                    Class::Deviation,
                    path(),
                    self.off(i),
                    Detail::Length {
                        min: 0,
                        max: max as u32,
                        found: n as u32,
                    },
                );
            }
        }
    }

    fn check_address(&self, report: &mut Report, start: usize, name: &'static str, optional: bool) {
        let a = self.address(start);
        if a.is_empty() {
            if !optional {
                report.push(
                    Code::SwissAddress,
                    Class::Deviation,
                    p1(name),
                    self.off(start),
                    Detail::Missing("the creditor's address"),
                );
            }
            return;
        }
        let (labels, kind) = match a.kind {
            Some("S") => (ADDRESS_FIELDS_S, Some(AddressKind::Structured)),
            Some("K") => (ADDRESS_FIELDS_K, Some(AddressKind::Combined)),
            _ => (ADDRESS_FIELDS_S, None),
        };
        let at = |i: usize| p1(name).child(Seg::Name(labels.get(i).copied().unwrap_or("address")));
        let Some(kind) = kind else {
            report.push(
                Code::SwissAddress,
                Class::Deviation,
                at(0),
                self.off(start),
                Detail::Expected("S or K"),
            );
            return;
        };
        let mut need = |i: usize, v: &str, what: &'static str| {
            if is_blank(v) {
                report.push(
                    Code::SwissAddress,
                    Class::Deviation,
                    at(i),
                    self.off(start + i),
                    Detail::Missing(what),
                );
            }
        };
        need(1, a.name, "name");
        match kind {
            AddressKind::Structured => {
                need(4, a.postcode, "postcode");
                need(5, a.town, "town");
            }
            AddressKind::Combined => need(3, a.line2, "address line 2 (postcode and town)"),
        }
        need(6, a.country, "country");
        if kind == AddressKind::Combined {
            for i in [4, 5] {
                if self.value(start + i).is_some() {
                    report.push(
                        Code::SwissAddress,
                        Class::Deviation,
                        at(i),
                        self.off(start + i),
                        Detail::Text("must be empty in a combined (K) address"),
                    );
                }
            }
        }
        if !a.country.is_empty()
            && (a.country.len() != 2 || !a.country.bytes().all(|c| c.is_ascii_uppercase()))
        {
            report.push(
                Code::SwissAddress,
                Class::Deviation,
                at(6),
                self.off(start + 6),
                Detail::Expected("an ISO 3166 alpha-2 country code"),
            );
        }
        let (l1, l2) = match kind {
            AddressKind::Structured => (70, 16),
            AddressKind::Combined => (70, 70),
        };
        // The lines read above are those `too_long` would read (a missing one is empty, and
        // an empty line is never too long).
        for (i, v, max) in [
            (1, a.name, 70),
            (2, a.line1, l1),
            (3, a.line2, l2),
            (4, a.postcode, 16),
            (5, a.town, 35),
        ] {
            if v.len() > max {
                self.too_long(report, || at(i), start + i, max);
            }
        }
    }

    /// Checks the bill against the Swiss Implementation Guidelines QR-bill v2.x.
    pub fn validate(&self, report: &mut Report) {
        let complete = self.lines.len() >= CORE_LINES && self.line(TRAILER) == Some("EPD");
        if !complete {
            let (off, what) = if self.lines.len() < CORE_LINES {
                (self.off(self.lines.len()), "fewer than 31 lines")
            } else {
                (self.off(TRAILER), "line 31 is not the trailer EPD")
            };
            report.push(
                Code::SwissStructure,
                Class::Fatal,
                Path::ROOT,
                off,
                Detail::Text(what),
            );
        } else if self.end < self.lines.len() {
            report.push(
                Code::SwissTrailing,
                Class::Deviation,
                Path::ROOT,
                self.off(self.end),
                Detail::None,
            );
        }
        if self.end > MAX_LINES {
            report.push(
                Code::SwissStructure,
                Class::Fatal,
                Path::ROOT,
                self.off(MAX_LINES),
                Detail::Text("more than 34 lines"),
            );
        }
        // Characters are never more than bytes: only a long text needs counting.
        let n = if self.text.len() > MAX_CHARS {
            self.text.chars().count()
        } else {
            0
        };
        if n > MAX_CHARS {
            report.push(
                Code::SwissPayloadLength,
                Class::Deviation,
                Path::ROOT,
                0,
                Detail::Length {
                    min: 1,
                    max: MAX_CHARS as u32,
                    found: n as u32,
                },
            );
        }
        // Printable ASCII, LF and CR are allowed: characters are only decoded where a byte is
        // none of these (always a character boundary, as the bytes before it are ASCII), and
        // the search for the next such byte resumes after each allowed one.
        let mut from = 0;
        let bad = loop {
            let Some(k) = self
                .text
                .get(from..)
                .and_then(|r| super::first_unplain(r.as_bytes()))
            else {
                break None;
            };
            let at = from + k;
            let Some(c) = self.text.get(at..).and_then(|r| r.chars().next()) else {
                break None;
            };
            if !allowed_char(c) && c != '\n' && c != '\r' {
                break Some(at);
            }
            from = at + c.len_utf8();
        };
        if let Some(i) = bad {
            report.push(
                Code::SwissCharset,
                Class::Deviation,
                Path::ROOT,
                char_offset(self.text, i),
                Detail::Text("a character outside the Latin set of IG §4.1.1"),
            );
        }
        match self.version() {
            Some("0200") => {}
            Some(v)
                if v.len() == 4 && v.starts_with("02") && v.bytes().all(|c| c.is_ascii_digit()) =>
            {
                report.push(
                    Code::SwissVersion,
                    Class::Deviation,
                    p1("version"),
                    self.off(1),
                    Detail::Expected("0200"),
                )
            }
            _ => report.push(
                Code::SwissVersion,
                Class::Fatal,
                p1("version"),
                self.off(1),
                Detail::Expected("0200"),
            ),
        }
        if self.value(2) != Some("1") {
            report.push(
                Code::SwissCoding,
                Class::Fatal,
                p1("coding"),
                self.off(2),
                Detail::Expected("1"),
            );
        }
        if self.lines.len() > IBAN {
            self.check_iban(report);
        }
        if self.lines.len() > CREDITOR {
            self.check_address(report, CREDITOR, "creditor", false);
        }
        if (ULTIMATE_CREDITOR..ULTIMATE_CREDITOR + 7).any(|i| self.value(i).is_some()) {
            report.push(
                Code::SwissUltimateCreditor,
                Class::Deviation,
                p1("ultimate-creditor"),
                self.off(ULTIMATE_CREDITOR),
                Detail::Text("reserved for future use: must be empty"),
            );
        }
        if let Some(a) = self.amount() {
            let ok = a.len() <= 12
                && decimal(a, 2) == Some(2)
                && int_digits_at_most(a, 9)
                && (a.starts_with("0.") || !a.starts_with('0'));
            if !ok {
                report.push(
                    Code::SwissAmount,
                    Class::Deviation,
                    p1("amount"),
                    self.off(AMOUNT),
                    Detail::Expected("0.00 to 999999999.99 with 2 decimals, no leading zeros"),
                );
            } else if !super::is_nonzero(a)
                && !self
                    .message()
                    .is_some_and(|m| m.contains("DO NOT USE FOR PAYMENT"))
            {
                report.push(
                    Code::SwissNotification,
                    Class::Advice,
                    p1("amount"),
                    self.off(AMOUNT),
                    Detail::Text("a notification (0.00) should say DO NOT USE FOR PAYMENT"),
                );
            }
        }
        if self.lines.len() > CURRENCY && !matches!(self.currency(), Some("CHF" | "EUR")) {
            report.push(
                Code::SwissCurrency,
                Class::Deviation,
                p1("currency"),
                self.off(CURRENCY),
                Detail::Expected("CHF or EUR"),
            );
        }
        if self.lines.len() > DEBTOR {
            self.check_address(report, DEBTOR, "debtor", true);
        }
        if self.lines.len() > REF_TYPE {
            self.check_reference(report);
        }
        self.too_long(report, || p1("message"), MESSAGE, 140);
        if let Some(b) = self.bill_info {
            self.too_long(report, || p1("bill-info"), b, 140);
            // Characters are never more than bytes: two short lines need no counting.
            let (m, bi) = (self.message(), self.bill_information());
            let bytes = m.map_or(0, str::len) + bi.map_or(0, str::len);
            let total = if bytes > 140 {
                m.map_or(0, |m| m.chars().count()) + bi.map_or(0, |m| m.chars().count())
            } else {
                bytes
            };
            if total > 140 && m.is_some_and(|m| m.chars().count() <= 140) {
                report.push(
                    Code::SwissLength,
                    Class::Deviation,
                    p1("bill-info"),
                    self.off(b),
                    Detail::Text("message and bill information together exceed 140 characters"),
                );
            }
        }
        if self.alt.len() > 2 {
            report.push(
                Code::SwissAltSchemes,
                Class::Deviation,
                p1("alt-scheme"),
                self.alt.clone().nth(2).map_or(0, |a| self.off(a)),
                Detail::Text("more than two alternative schemes"),
            );
        }
        for i in self.alt.clone() {
            let n = self.line(i).map_or(0, |s| s.chars().count());
            if n > 100 {
                report.push(
                    Code::SwissAltSchemes,
                    Class::Deviation,
                    p1("alt-scheme"),
                    self.off(i),
                    Detail::Length {
                        min: 0,
                        max: 100,
                        found: n as u32,
                    },
                );
            }
        }
    }

    fn check_iban(&self, report: &mut Report) {
        let Some(iban) = self.iban() else {
            report.push(
                Code::SwissIban,
                Class::Fatal,
                p1("iban"),
                self.off(IBAN),
                Detail::Missing("the creditor's IBAN"),
            );
            return;
        };
        let shape = iban.len() == 21 && (iban.starts_with("CH") || iban.starts_with("LI"));
        match iban_check(iban) {
            IbanCheck::Ok if shape => {}
            IbanCheck::Checksum if shape => report.push(
                Code::SwissIbanChecksum,
                Class::Fatal,
                p1("iban"),
                self.off(IBAN),
                Detail::None,
            ),
            _ => report.push(
                Code::SwissIban,
                Class::Fatal,
                p1("iban"),
                self.off(IBAN),
                Detail::Expected("a 21-character CH or LI IBAN without spaces"),
            ),
        }
    }

    fn check_reference(&self, report: &mut Report) {
        let rt = self.reference_type();
        let reference = self.reference();
        let path = p1("reference");
        match rt {
            None => report.push(
                Code::SwissReferenceType,
                Class::Deviation,
                p1("reference-type"),
                self.off(REF_TYPE),
                Detail::Expected("QRR, SCOR or NON"),
            ),
            Some(ReferenceType::Qrr) => {
                if !self.is_qr_iban() && self.iban().is_some() {
                    report.push(
                        Code::SwissReferenceType,
                        Class::Deviation,
                        p1("reference-type"),
                        self.off(REF_TYPE),
                        Detail::Text("QRR needs a QR-IBAN"),
                    );
                }
                match reference {
                    Some(r) if is_qr_reference(r) => {}
                    Some(r) if r.len() == 27 && r.bytes().all(|c| c.is_ascii_digit()) => report
                        .push(
                            Code::SwissReference,
                            Class::Fatal,
                            path,
                            self.off(REFERENCE),
                            Detail::Text("the mod-10 check digit does not match"),
                        ),
                    _ => report.push(
                        Code::SwissReference,
                        Class::Deviation,
                        path,
                        self.off(REFERENCE),
                        Detail::Expected("27 digits"),
                    ),
                }
            }
            Some(ReferenceType::Scor) => match reference {
                Some(r) if is_creditor_reference(r) => {}
                _ => report.push(
                    Code::SwissReference,
                    Class::Deviation,
                    path,
                    self.off(REFERENCE),
                    Detail::Expected("an ISO 11649 creditor reference (RF...)"),
                ),
            },
            Some(ReferenceType::Non) => {
                if reference.is_some() {
                    report.push(
                        Code::SwissReference,
                        Class::Deviation,
                        path,
                        self.off(REFERENCE),
                        Detail::Text("must be empty with NON"),
                    );
                }
            }
        }
        if self.is_qr_iban() && rt.is_some() && rt != Some(ReferenceType::Qrr) {
            report.push(
                Code::SwissReferenceType,
                Class::Deviation,
                p1("reference-type"),
                self.off(REF_TYPE),
                Detail::Text("a QR-IBAN needs a QRR reference"),
            );
        }
    }

    /// Every non-empty line, in payload order, with paths `version`, `iban`,
    /// `creditor.name`, `amount`, `currency`, `debtor.town`, `reference-type`, `reference`,
    /// `message`, `trailer`, `bill-info`, `alt-scheme`...
    pub fn fields(&self) -> Vec<Field<'a>> {
        let mut out = Vec::new();
        let labels_for = |start: usize| match self.value(start) {
            Some("K") => ADDRESS_FIELDS_K,
            _ => ADDRESS_FIELDS_S,
        };
        // The label of line `i` of the address that starts at line `first`.
        let label_at = |first: usize, i: usize| -> &'static str {
            i.checked_sub(first)
                .and_then(|k| labels_for(first).get(k).copied())
                .unwrap_or("line")
        };
        for (i, l) in self.lines.iter().enumerate() {
            if l.text.is_empty() || i >= self.end {
                continue;
            }
            let (path, name): (Cow<'static, str>, &'static str) = match i {
                0 => ("qr-type".into(), "QR type"),
                1 => ("version".into(), "version"),
                2 => ("coding".into(), "coding type"),
                IBAN => ("iban".into(), "IBAN"),
                CREDITOR..=10 => (
                    alloc::format!("creditor.{}", label_at(CREDITOR, i)).into(),
                    "creditor",
                ),
                ULTIMATE_CREDITOR..=17 => (
                    alloc::format!("ultimate-creditor.{}", label_at(ULTIMATE_CREDITOR, i)).into(),
                    "ultimate creditor",
                ),
                AMOUNT => ("amount".into(), "amount"),
                CURRENCY => ("currency".into(), "currency"),
                DEBTOR..=26 => (
                    alloc::format!("debtor.{}", label_at(DEBTOR, i)).into(),
                    "ultimate debtor",
                ),
                REF_TYPE => ("reference-type".into(), "reference type"),
                REFERENCE => ("reference".into(), "reference"),
                MESSAGE => ("message".into(), "unstructured message"),
                TRAILER => ("trailer".into(), "trailer"),
                _ if Some(i) == self.bill_info => ("bill-info".into(), "bill information"),
                _ => ("alt-scheme".into(), "alternative scheme"),
            };
            out.push(Field {
                path: path.into_owned(),
                name,
                value: Cow::Borrowed(l.text),
                offset: char_offset(self.text, l.start),
            });
        }
        out
    }

    /// The uniform payment view: creditor name, IBAN, amount, currency, reference, the
    /// creditor's country.
    pub fn payment(&self) -> Payment<'a> {
        let c = self.creditor();
        Payment {
            payee: Some(c.name).filter(|s| !s.is_empty()).map(Cow::Borrowed),
            account: self.iban().map(Cow::Borrowed),
            amount: self.amount().map(Cow::Borrowed),
            currency: self
                .currency()
                .and_then(crate::currency::by_alpha)
                .map(|c| c.alpha),
            reference: self.reference().map(Cow::Borrowed),
            country: Some(c.country).filter(|s| !s.is_empty()).map(Cow::Borrowed),
        }
    }
}

/// An address to build: structured (`S`) or combined (`K`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    kind: AddressKind,
    lines: [String; 6],
}

impl Address {
    /// A structured (`S`) address.
    pub fn structured(
        name: &str,
        street: &str,
        building: &str,
        postcode: &str,
        town: &str,
        country: &str,
    ) -> Address {
        Address {
            kind: AddressKind::Structured,
            lines: [name, street, building, postcode, town, country].map(String::from),
        }
    }

    /// A combined (`K`) address: two free lines (the second holds postcode and town).
    pub fn combined(name: &str, line1: &str, line2: &str, country: &str) -> Address {
        Address {
            kind: AddressKind::Combined,
            lines: [name, line1, line2, "", "", country].map(String::from),
        }
    }
}

/// Why a QR-bill could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A value holds a line break.
    #[error("a value holds a line break")]
    LineBreak,
    /// The bill breaks a rule (the issue says which).
    #[error("{0}")]
    Invalid(alloc::boxed::Box<Issue>),
}

/// Builds QR-bill payloads: `SPC`/`0200`/`1`, LF between lines, the 31 core lines, then bill
/// information and alternative schemes when given, no break after the last line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwissBuilder {
    iban: String,
    creditor: Address,
    amount: String,
    currency: String,
    debtor: Option<Address>,
    reference_type: ReferenceType,
    reference: String,
    message: String,
    bill_info: String,
    alt: Vec<String>,
}

impl SwissBuilder {
    /// A bill payable to `creditor` at `iban`, in CHF, open amount, no reference.
    pub fn new(iban: &str, creditor: Address) -> SwissBuilder {
        SwissBuilder {
            iban: String::from(iban),
            creditor,
            amount: String::new(),
            currency: String::from("CHF"),
            debtor: None,
            reference_type: ReferenceType::Non,
            reference: String::new(),
            message: String::new(),
            bill_info: String::new(),
            alt: Vec::new(),
        }
    }

    /// Amount, a decimal string with 2 decimals (`1949.75`).
    pub fn amount(mut self, a: &str) -> SwissBuilder {
        self.amount = String::from(a);
        self
    }

    /// Currency, `CHF` or `EUR`.
    pub fn currency(mut self, c: &str) -> SwissBuilder {
        self.currency = String::from(c);
        self
    }

    /// The ultimate debtor.
    pub fn debtor(mut self, d: Address) -> SwissBuilder {
        self.debtor = Some(d);
        self
    }

    /// A QR reference (`QRR`, 27 digits; needs a QR-IBAN).
    pub fn qr_reference(mut self, r: &str) -> SwissBuilder {
        self.reference_type = ReferenceType::Qrr;
        self.reference = String::from(r);
        self
    }

    /// An ISO 11649 creditor reference (`SCOR`).
    pub fn creditor_reference(mut self, r: &str) -> SwissBuilder {
        self.reference_type = ReferenceType::Scor;
        self.reference = String::from(r);
        self
    }

    /// Unstructured message.
    pub fn message(mut self, m: &str) -> SwissBuilder {
        self.message = String::from(m);
        self
    }

    /// Bill information (`//S1/...`).
    pub fn bill_information(mut self, b: &str) -> SwissBuilder {
        self.bill_info = String::from(b);
        self
    }

    /// Adds an alternative scheme (at most two are valid).
    pub fn alternative_scheme(mut self, s: &str) -> SwissBuilder {
        self.alt.push(String::from(s));
        self
    }

    /// Writes the payload without checking it (line breaks in values are still refused).
    pub fn build_unchecked(&self) -> Result<String, BuildError> {
        fn addr<'x>(out: &mut Vec<&'x str>, a: Option<&'x Address>) {
            match a {
                Some(a) => {
                    out.push(match a.kind {
                        AddressKind::Structured => "S",
                        AddressKind::Combined => "K",
                    });
                    out.extend(a.lines.iter().map(String::as_str));
                }
                None => out.extend([""; 7]),
            }
        }
        let mut out: Vec<&str> = Vec::with_capacity(MAX_LINES);
        out.extend(["SPC", "0200", "1", self.iban.as_str()]);
        addr(&mut out, Some(&self.creditor));
        addr(&mut out, None);
        out.push(&self.amount);
        out.push(&self.currency);
        addr(&mut out, self.debtor.as_ref());
        out.push(self.reference_type.as_str());
        out.push(&self.reference);
        out.push(&self.message);
        out.push("EPD");
        if !self.bill_info.is_empty() || !self.alt.is_empty() {
            out.push(&self.bill_info);
        }
        out.extend(self.alt.iter().map(String::as_str));
        if out.iter().any(|s| s.contains(['\n', '\r'])) {
            return Err(BuildError::LineBreak);
        }
        Ok(out.join("\n"))
    }

    /// Writes the payload; refuses one that would not pass strict validation.
    pub fn build(&self) -> Result<String, BuildError> {
        let out = self.build_unchecked()?;
        if let Some(i) = super::strict_refusal(parse(&out), |v, r| v.validate(r)) {
            return Err(BuildError::Invalid(alloc::boxed::Box::new(i)));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Mode;

    #[test]
    fn blank_is_trim_empty() {
        let pieces = [
            "", " ", "\t", "\u{0B}", "\u{85}", "\u{A0}", "\u{3000}", "a", "é", "\u{1F}", "x y",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let v = alloc::format!("{a}{b}{c}");
                    assert_eq!(super::is_blank(&v), v.trim().is_empty(), "{v:?}");
                }
            }
        }
        for b in 0..=0x7Fu8 {
            let v = alloc::string::String::from(char::from(b));
            assert_eq!(super::is_blank(&v), v.trim().is_empty(), "{b}");
        }
    }

    #[test]
    fn charset_offset_is_the_first_character_outside_the_set() {
        let base = SwissBuilder::new(
            "CH4431999123000889012",
            Address::structured(
                "Robert Schneider AG",
                "Rue du Lac",
                "1268",
                "2501",
                "Biel",
                "CH",
            ),
        )
        .qr_reference("210000000003139471430009017")
        .message("MSG")
        .build()
        .unwrap();
        // The first character that is neither allowed nor CR/LF, counted in characters.
        let reference = |t: &str| {
            t.char_indices()
                .find(|&(_, c)| !allowed_char(c) && c != '\n' && c != '\r')
                .map(|(i, _)| char_offset(t, i))
        };
        for msg in [
            "Zürich € café",
            "Zürich 北京",
            "北",
            "é\tx",
            "abc\u{7f}",
            "ÿĀſ Șș Țț",
            "\u{218}\u{21C}",
            "a€b€c€d€e€f€g€h€i€j€k€l€m€n€o€p€北",
            "0123456789abcdefé0123456789abcdef\u{1}",
        ] {
            let text = base.replace("MSG", msg);
            let mut r = Report::new(Mode::Strict);
            parse(&text).unwrap().validate(&mut r);
            let found = r
                .issues()
                .iter()
                .find(|i| i.code == Code::SwissCharset)
                .map(|i| i.offset);
            assert_eq!(found, reference(&text), "{msg}");
        }
        let mut r = Report::new(Mode::Strict);
        parse(&base.replace("MSG", "Zürich"))
            .unwrap()
            .validate(&mut r);
        assert!(!r.has(Code::SwissCharset));
    }

    fn codes(text: &str) -> Vec<&'static str> {
        let mut r = Report::new(Mode::Strict);
        parse(text).unwrap().validate(&mut r);
        let mut v: Vec<_> = r.issues().iter().map(|i| i.code.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    const EXAMPLE1: &str = "SPC\n0200\n1\nCH5800791123000889012\nS\nRobert Schneider AG\nRue du Lac\n1268\n2501\nBiel\nCH\n\n\n\n\n\n\n\n3949.75\nCHF\nS\nPia Rutschmann\nMarktgasse\n28\n9400\nRorschach\nCH\nNON\n\nBill no. 3139 for gardening work and disposal of waste material\nEPD";

    #[test]
    fn guideline_example_reads_and_is_valid() {
        assert!(codes(EXAMPLE1).is_empty(), "{:?}", codes(EXAMPLE1));
        let b = parse(EXAMPLE1).unwrap();
        assert_eq!(b.amount(), Some("3949.75"));
        assert_eq!(b.creditor().town, "Biel");
        assert_eq!(b.debtor().unwrap().name, "Pia Rutschmann");
        assert_eq!(b.reference_type(), Some(ReferenceType::Non));
        assert!(!b.is_qr_iban());
        let crlf = EXAMPLE1.replace('\n', "\r\n");
        assert!(codes(&crlf).is_empty());
    }

    #[test]
    fn qr_iban_needs_qrr() {
        let t = EXAMPLE1.replace("CH5800791123000889012", "CH4431999123000889012");
        assert_eq!(codes(&t), ["swiss.reference-type"]);
        let t = t.replace("NON\n\n", "QRR\n210000000003139471430009017\n");
        assert!(codes(&t).is_empty());
        let bad = t.replace("009017", "009018");
        assert_eq!(codes(&bad), ["swiss.reference"]);
    }

    #[test]
    fn after_epd() {
        let t = alloc::format!("{EXAMPLE1}\n//S1/10/10201409\neBill/B/peter@muster.ch");
        let b = parse(&t).unwrap();
        assert_eq!(b.bill_information(), Some("//S1/10/10201409"));
        assert_eq!(
            b.alternative_schemes().collect::<Vec<_>>(),
            ["eBill/B/peter@muster.ch"]
        );
        let t = alloc::format!("{EXAMPLE1}\neBill/B/x\ntwint/y\nthird");
        let b = parse(&t).unwrap();
        assert_eq!(b.bill_information(), None);
        assert_eq!(b.alternative_schemes().count(), 3);
        assert_eq!(codes(&t), ["swiss.alt-schemes"]);
        assert_eq!(codes(&alloc::format!("{EXAMPLE1}\n")), ["swiss.trailing"]);
    }

    #[test]
    fn truncated_bill_is_structure_error() {
        assert_eq!(
            codes("SPC\r\n0200\r\n1\r\nCH4431999123000889012\r\nS\r\nJane"),
            ["swiss.address", "swiss.structure"]
        );
    }

    #[test]
    fn builder_round_trip() {
        let text = SwissBuilder::new(
            "CH5800791123000889012",
            Address::combined("Pia", "Grosse Marktgasse 28", "9400 Rorschach", "CH"),
        )
        .creditor_reference("RF18539007547034")
        .alternative_scheme("eBill/B/x")
        .build()
        .unwrap();
        let b = parse(&text).unwrap();
        assert_eq!(b.creditor().line2, "9400 Rorschach");
        assert_eq!(b.bill_information(), None);
        assert_eq!(b.alternative_schemes().collect::<Vec<_>>(), ["eBill/B/x"]);
        assert!(SwissBuilder::new(
            "CH5800791123000889012",
            Address::structured("A", "", "", "", "Bern", "CH")
        )
        .build()
        .is_err());
    }
}
