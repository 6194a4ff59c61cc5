//! EPC069-12 "Quick Response Code: guidelines to enable data capture for the initiation of a
//! SEPA credit transfer" (the "GiroCode" / "BCD" code).
//!
//! Up to 12 elements, one a line (LF or CR LF), nothing after the last populated one:
//! service tag `BCD`, version `001` (BIC mandatory) or `002` (BIC optional), character set
//! `1`–`8`, identification `SCT`, BIC, beneficiary name (≤ 70), IBAN (≤ 34), amount
//! (`EUR` + 0.01 to 999999999.99, ≤ 2 decimals, optional), purpose (4 characters),
//! structured remittance (ISO 11649 RF reference, ≤ 35) *or* unstructured remittance (≤ 140),
//! beneficiary-to-originator information (≤ 70). The whole payload fits 331 bytes (QR
//! version 13, level M).
//!
//! ```
//! use qrpay::formats::epc;
//! let e = epc::parse("BCD\n002\n1\nSCT\n\nWikimedia Foerdergesellschaft\nDE33100205000001194700\nEUR20\n\n\nSpende fuer Wikipedia").unwrap();
//! assert_eq!(e.iban(), Some("DE33100205000001194700"));
//! assert_eq!(e.amount(), Some("20"));
//! let text = epc::EpcBuilder::new("Red Cross of Belgium", "BE72000000001616")
//!     .bic("BPOTBEB1").amount("1").purpose("CHAR").text("Urgency fund").build().unwrap();
//! assert_eq!(text, "BCD\n002\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\nUrgency fund");
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::{
    char_offset, decimal, iban_check, int_digits_at_most, is_bic, is_creditor_reference,
    is_nonzero, split_lines, IbanCheck, Lines, NotFormat, Payment,
};
use crate::fields::Field;
use crate::report::{Class, Code, Detail, Issue, Path, Report, Seg};

/// The most bytes an EPC payload may have (QR version 13, error correction M).
pub const MAX_BYTES: usize = 331;

/// The element names (field paths) in payload order.
pub const ELEMENTS: [(&str, &str); 12] = [
    ("service-tag", "service tag"),
    ("version", "version"),
    ("charset", "character set"),
    ("identification", "identification"),
    ("bic", "BIC of the beneficiary bank"),
    ("name", "beneficiary name"),
    ("iban", "beneficiary account (IBAN)"),
    ("amount", "amount"),
    ("purpose", "purpose code"),
    ("reference", "structured remittance (creditor reference)"),
    ("text", "unstructured remittance"),
    ("information", "beneficiary to originator information"),
];

const BIC: usize = 4;
const NAME: usize = 5;
const IBAN: usize = 6;
const AMOUNT: usize = 7;
const PURPOSE: usize = 8;
const REFERENCE: usize = 9;
const TEXT: usize = 10;
const INFO: usize = 11;

/// True when the first line is `BCD`.
pub fn detect(text: &str) -> bool {
    text.strip_prefix("BCD")
        .is_some_and(|r| r.starts_with('\n') || r.starts_with("\r\n"))
}

/// A parsed EPC payload, borrowing the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Epc<'a> {
    text: &'a str,
    lines: Lines<'a, 13>,
}

/// Reads an EPC payload. Fails only when the text is not one (see [`detect`]); every rule is
/// checked by [`Epc::validate`].
pub fn parse(text: &str) -> Result<Epc<'_>, NotFormat> {
    if text.len() > crate::mpm::MAX_PAYLOAD_BYTES {
        return Err(NotFormat::TooLong(text.len()));
    }
    if !detect(text) {
        return Err(NotFormat::Kind("EPC"));
    }
    // One more than the 12 elements, so that excess shows.
    let (lines, _) = split_lines::<13>(text);
    Ok(Epc { text, lines })
}

fn path(i: usize) -> Path {
    Path::one(Seg::Name(ELEMENTS.get(i).map_or("epc", |e| e.0)))
}

impl<'a> Epc<'a> {
    /// The payload as given.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Element `i` (0-based, see [`ELEMENTS`]), `None` when absent or empty.
    pub fn element(&self, i: usize) -> Option<&'a str> {
        self.lines
            .get(i)
            .filter(|_| i < ELEMENTS.len())
            .map(|l| l.text)
            .filter(|t| !t.is_empty())
    }

    fn off(&self, i: usize) -> usize {
        self.lines.offset(i)
    }

    /// Version (`001` or `002`).
    pub fn version(&self) -> Option<&'a str> {
        self.element(1)
    }

    /// Character set (`1` = UTF-8 ... `8` = ISO 8859-15).
    pub fn charset(&self) -> Option<&'a str> {
        self.element(2)
    }

    /// BIC of the beneficiary's bank.
    pub fn bic(&self) -> Option<&'a str> {
        self.element(BIC)
    }

    /// Beneficiary name.
    pub fn name(&self) -> Option<&'a str> {
        self.element(NAME)
    }

    /// Beneficiary IBAN.
    pub fn iban(&self) -> Option<&'a str> {
        self.element(IBAN)
    }

    /// The amount element as written (`EUR12.3`).
    pub fn amount_raw(&self) -> Option<&'a str> {
        self.element(AMOUNT)
    }

    /// The amount without its `EUR` prefix.
    pub fn amount(&self) -> Option<&'a str> {
        self.amount_raw().and_then(|a| a.strip_prefix("EUR"))
    }

    /// Purpose code.
    pub fn purpose(&self) -> Option<&'a str> {
        self.element(PURPOSE)
    }

    /// Structured remittance (ISO 11649 creditor reference).
    pub fn reference(&self) -> Option<&'a str> {
        self.element(REFERENCE)
    }

    /// Unstructured remittance text.
    pub fn remittance_text(&self) -> Option<&'a str> {
        self.element(TEXT)
    }

    /// Beneficiary to originator information.
    pub fn information(&self) -> Option<&'a str> {
        self.element(INFO)
    }

    /// Checks the payload against EPC069-12.
    pub fn validate(&self, report: &mut Report) {
        let n = self.lines.len();
        if n > ELEMENTS.len() {
            report.push(
                Code::EpcStructure,
                Class::Deviation,
                Path::ROOT,
                self.off(ELEMENTS.len()),
                Detail::Text("more than 12 elements"),
            );
        } else if let Some(last) = self.lines.iter().rposition(|l| !l.text.is_empty()) {
            if last + 1 < n {
                report.push(
                    Code::EpcTrailing,
                    Class::Deviation,
                    Path::ROOT,
                    self.off(last + 1),
                    Detail::None,
                );
            }
        }
        let charset = self.charset();
        let bytes = if charset == Some("1") {
            self.text.len()
        } else {
            self.text.chars().count()
        };
        if bytes > MAX_BYTES {
            report.push(
                Code::EpcPayloadLength,
                Class::Deviation,
                Path::ROOT,
                0,
                Detail::Length {
                    min: 1,
                    max: MAX_BYTES as u32,
                    found: bytes.min(u32::MAX as usize) as u32,
                },
            );
        }
        let version = self.version();
        if !matches!(version, Some("001" | "002")) {
            report.push(
                Code::EpcVersion,
                Class::Fatal,
                path(1),
                self.off(1),
                Detail::Expected("001 or 002"),
            );
        }
        match charset {
            Some(c) if matches!(c.as_bytes(), [b'1'..=b'8']) => {
                if c == "2" {
                    if let Some((i, _)) = self.text.char_indices().find(|(_, ch)| *ch > '\u{FF}') {
                        report.push(
                            Code::EpcCharset,
                            Class::Deviation,
                            path(2),
                            char_offset(self.text, i),
                            Detail::Text("a character outside ISO 8859-1"),
                        );
                    }
                }
            }
            _ => report.push(
                Code::EpcCharset,
                Class::Fatal,
                path(2),
                self.off(2),
                Detail::Expected("1 to 8"),
            ),
        }
        if self.element(3) != Some("SCT") {
            report.push(
                Code::EpcIdentification,
                Class::Fatal,
                path(3),
                self.off(3),
                Detail::Expected("SCT"),
            );
        }
        match self.bic() {
            None if version == Some("001") => report.push(
                Code::EpcBicMissing,
                Class::Deviation,
                path(BIC),
                self.off(BIC),
                Detail::Missing("BIC"),
            ),
            Some(b) if !is_bic(b) => report.push(
                Code::EpcBicFormat,
                Class::Deviation,
                path(BIC),
                self.off(BIC),
                Detail::Expected("8 or 11 characters: AAAABBCC[DDD]"),
            ),
            _ => {}
        }
        if self.name().is_none_or(|n| n.trim().is_empty()) {
            report.push(
                Code::EpcNameMissing,
                Class::Deviation,
                path(NAME),
                self.off(NAME),
                Detail::Missing("beneficiary name"),
            );
        }
        match self.iban() {
            None => report.push(
                Code::EpcIbanMissing,
                Class::Fatal,
                path(IBAN),
                self.off(IBAN),
                Detail::Missing("IBAN"),
            ),
            Some(iban) => match iban_check(iban) {
                IbanCheck::Ok => {}
                IbanCheck::Format => report.push(
                    Code::EpcIbanFormat,
                    Class::Fatal,
                    path(IBAN),
                    self.off(IBAN),
                    Detail::Expected("2 letters, 2 digits, up to 30 letters or digits"),
                ),
                IbanCheck::Checksum => report.push(
                    Code::EpcIbanChecksum,
                    Class::Fatal,
                    path(IBAN),
                    self.off(IBAN),
                    Detail::None,
                ),
            },
        }
        if let Some(raw) = self.amount_raw() {
            let ok = raw.strip_prefix("EUR").is_some_and(|a| {
                decimal(a, 2).is_some() && is_nonzero(a) && int_digits_at_most(a, 9)
            });
            if !ok {
                report.push(
                    Code::EpcAmount,
                    Class::Deviation,
                    path(AMOUNT),
                    self.off(AMOUNT),
                    Detail::Expected("EUR followed by 0.01 to 999999999.99"),
                );
            }
        }
        if let Some(p) = self.purpose() {
            if p.len() != 4 || !p.bytes().all(|c| c.is_ascii_alphanumeric()) {
                report.push(
                    Code::EpcPurpose,
                    Class::Deviation,
                    path(PURPOSE),
                    self.off(PURPOSE),
                    Detail::Expected("4 letters or digits (ISO 20022 purpose code)"),
                );
            }
        }
        if let Some(r) = self.reference() {
            if !is_creditor_reference(r) {
                report.push(
                    Code::EpcReference,
                    Class::Deviation,
                    path(REFERENCE),
                    self.off(REFERENCE),
                    Detail::Expected("RF, 2 check digits, up to 21 letters or digits"),
                );
            }
            if self.remittance_text().is_some() {
                report.push(
                    Code::EpcRemittanceBoth,
                    Class::Deviation,
                    path(TEXT),
                    self.off(TEXT),
                    Detail::None,
                );
            }
        }
        // BIC, IBAN, amount, purpose and reference are bounded by their own grammar.
        for (i, max) in [(NAME, 70), (TEXT, 140), (INFO, 70)] {
            if let Some(v) = self.element(i) {
                let len = v.chars().count();
                if len > max {
                    report.push(
                        Code::EpcLength,
                        Class::Deviation,
                        path(i),
                        self.off(i),
                        Detail::Length {
                            min: 0,
                            max: max as u32,
                            found: len as u32,
                        },
                    );
                }
            }
        }
    }

    /// Every populated element, in payload order. The amount is listed as `currency` (`EUR`)
    /// and `amount` (the decimal).
    pub fn fields(&self) -> Vec<Field<'a>> {
        let mut out = Vec::new();
        for (i, (l, &(path, name))) in self.lines.iter().zip(ELEMENTS.iter()).enumerate() {
            if l.text.is_empty() {
                continue;
            }
            let off = char_offset(self.text, l.start);
            if i == AMOUNT {
                if let Some(a) = l.text.strip_prefix("EUR") {
                    out.push(Field {
                        path: String::from("currency"),
                        name: "currency",
                        value: Cow::Borrowed("EUR"),
                        offset: off,
                    });
                    out.push(Field {
                        path: String::from(path),
                        name,
                        value: Cow::Borrowed(a),
                        offset: off + 3,
                    });
                    continue;
                }
            }
            out.push(Field {
                path: String::from(path),
                name,
                value: Cow::Borrowed(l.text),
                offset: off,
            });
        }
        out
    }

    /// The uniform payment view: name, IBAN, amount in EUR, the structured reference (or the
    /// remittance text), the IBAN's country.
    pub fn payment(&self) -> Payment<'a> {
        Payment {
            payee: self.name().map(Cow::Borrowed),
            account: self.iban().map(Cow::Borrowed),
            amount: self.amount().map(Cow::Borrowed),
            currency: Some("EUR"),
            reference: self
                .reference()
                .or_else(|| self.remittance_text())
                .map(Cow::Borrowed),
            country: self
                .iban()
                .and_then(|i| i.get(..2))
                .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()))
                .map(Cow::Borrowed),
        }
    }
}

/// Why an EPC payload could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A value holds a line break.
    #[error("the {0} holds a line break")]
    LineBreak(&'static str),
    /// The payload breaks a rule (the issue says which).
    #[error("{0}")]
    Invalid(alloc::boxed::Box<Issue>),
}

/// Builds EPC069-12 payloads: LF between elements, nothing after the last populated element.
/// Version `002` and character set `1` (UTF-8) unless told otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EpcBuilder {
    version: String,
    charset: u8,
    values: [String; 12],
}

impl EpcBuilder {
    /// A credit transfer to `name` at `iban`.
    pub fn new(name: &str, iban: &str) -> EpcBuilder {
        let mut b = EpcBuilder {
            version: String::from("002"),
            charset: 1,
            values: Default::default(),
        };
        b.values[NAME] = String::from(name);
        b.values[IBAN] = String::from(iban);
        b
    }

    /// Version `001`: the BIC becomes mandatory.
    pub fn version_001(mut self) -> EpcBuilder {
        self.version = String::from("001");
        self
    }

    /// Character set number (1 = UTF-8, 2 = ISO 8859-1 ... 8 = ISO 8859-15). The text built
    /// is a Rust string; the caller encodes it in that character set.
    pub fn charset(mut self, n: u8) -> EpcBuilder {
        self.charset = n;
        self
    }

    fn with(mut self, i: usize, v: &str) -> EpcBuilder {
        if let Some(slot) = self.values.get_mut(i) {
            *slot = String::from(v);
        }
        self
    }

    /// BIC of the beneficiary's bank.
    pub fn bic(self, bic: &str) -> EpcBuilder {
        self.with(BIC, bic)
    }

    /// Amount in euro, a decimal string (`12.3`); written after `EUR`.
    pub fn amount(self, amount: &str) -> EpcBuilder {
        self.with(AMOUNT, amount)
    }

    /// Purpose code (4 characters).
    pub fn purpose(self, p: &str) -> EpcBuilder {
        self.with(PURPOSE, p)
    }

    /// Structured remittance: an ISO 11649 creditor reference.
    pub fn reference(self, r: &str) -> EpcBuilder {
        self.with(REFERENCE, r)
    }

    /// Unstructured remittance text.
    pub fn text(self, t: &str) -> EpcBuilder {
        self.with(TEXT, t)
    }

    /// Beneficiary to originator information.
    pub fn information(self, t: &str) -> EpcBuilder {
        self.with(INFO, t)
    }

    /// Writes the payload without checking it (line breaks in values are still refused).
    pub fn build_unchecked(&self) -> Result<String, BuildError> {
        let mut parts: [&str; 12] = [""; 12];
        let charset = [b'0' + self.charset.min(9)];
        let charset = core::str::from_utf8(&charset).unwrap_or("1");
        parts[0] = "BCD";
        parts[1] = &self.version;
        parts[2] = charset;
        parts[3] = "SCT";
        let amount;
        let elements = parts
            .iter_mut()
            .zip(self.values.iter())
            .zip(ELEMENTS.iter());
        for ((part, v), element) in elements.skip(BIC) {
            if v.contains(['\n', '\r']) {
                return Err(BuildError::LineBreak(element.1));
            }
            *part = v.as_str();
        }
        let given = self.values.get(AMOUNT).filter(|a| !a.is_empty());
        if let (Some(a), Some(slot)) = (given, parts.get_mut(AMOUNT)) {
            amount = alloc::format!("EUR{a}");
            *slot = &amount;
        }
        let last = parts.iter().rposition(|p| !p.is_empty()).unwrap_or(0);
        Ok(parts.get(..=last).unwrap_or(&parts).join("\n"))
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

    fn codes(text: &str) -> Vec<&'static str> {
        let mut r = Report::new(Mode::Strict);
        parse(text).unwrap().validate(&mut r);
        let mut v: Vec<_> = r.issues().iter().map(|i| i.code.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn wikipedia_sample_is_valid() {
        let t = "BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\nUrgency fund\nSample EPC QR code";
        assert!(codes(t).is_empty(), "{:?}", codes(t));
        let e = parse(t).unwrap();
        assert_eq!(e.purpose(), Some("CHAR"));
        assert_eq!(e.reference(), None);
        assert_eq!(e.information(), Some("Sample EPC QR code"));
        let p = e.payment();
        assert_eq!(p.country.as_deref(), Some("BE"));
        assert_eq!(p.amount.as_deref(), Some("1"));
    }

    #[test]
    fn crlf_and_trailing_line() {
        let t = "BCD\r\n002\r\n1\r\nSCT\r\n\r\nX\r\nBE72000000001616\r\n";
        assert_eq!(parse(t).unwrap().iban(), Some("BE72000000001616"));
        assert_eq!(codes(t), ["epc.trailing"]);
    }

    #[test]
    fn rule_breaches() {
        assert_eq!(
            codes("BCD\n001\n9\nSCX\n\n\nBE72000000001617\nEUR0.001\nCHARITY\nRF18539007547035\nt"),
            [
                "epc.bic-missing",
                "epc.charset",
                "epc.iban-checksum",
                "epc.identification",
                "epc.name-missing",
                "epc.purpose",
                "epc.reference",
                "epc.remittance-both",
                "epc.amount",
            ]
            .iter()
            .copied()
            .collect::<alloc::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn builder_refuses_bad_values() {
        assert!(matches!(
            EpcBuilder::new("A", "BE72000000001616").amount("0").build(),
            Err(BuildError::Invalid(i)) if i.code == Code::EpcAmount
        ));
        assert!(matches!(
            EpcBuilder::new("A\nB", "BE72000000001616").build(),
            Err(BuildError::LineBreak(_))
        ));
        assert_eq!(
            EpcBuilder::new("A", "BE72000000001616").build().unwrap(),
            "BCD\n002\n1\nSCT\n\nA\nBE72000000001616"
        );
    }
}
