//! One entry for every payload: [`decode`] says what the text is, reads it, and reports what
//! is wrong with it.

use crate::crc::{self, CrcCheck};
use crate::mpm::{self, Mpm};
use crate::report::{Class, Code, Detail, Mode, Path, Report};

/// What kind of payment code a text is. The string forms are part of the JSON contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// EMVCo merchant-presented mode.
    EmvMpm,
    /// Not a payment code qrpay knows.
    Unknown,
}

impl Kind {
    /// `"emv-mpm"`, `"unknown"`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::EmvMpm => "emv-mpm",
            Kind::Unknown => "unknown",
        }
    }
}

/// Whether the payload's structure and checksum hold, whatever the rules say of its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The structure reads to its end and the checksum (where the format has one) matches.
    Intact,
    /// Something is unreadable or the checksum fails.
    Broken,
}

impl Verdict {
    /// `"intact"` or `"broken"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Intact => "intact",
            Verdict::Broken => "broken",
        }
    }
}

/// The parsed view of a payload.
// The MPM view is large (an index of 100 IDs) but lives on the stack: boxing it would cost
// an allocation on the hot decode path, which is meant to allocate nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum View<'a> {
    /// An MPM payload whose root structure walks.
    Mpm(Mpm<'a>),
    /// Nothing could be read.
    None,
}

/// What [`decode`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text as given.
    pub text: &'a str,
    /// What kind of code it is.
    pub kind: Kind,
    /// The CRC, for kinds that carry one.
    pub crc: Option<CrcCheck>,
    /// Structure and checksum sound or not.
    pub verdict: Verdict,
    /// The parsed content.
    pub view: View<'a>,
    /// What is wrong, graded in the mode asked for.
    pub report: Report,
}

impl<'a> Decoded<'a> {
    /// The MPM view, when the text is an MPM payload whose structure walks.
    pub fn mpm(&self) -> Option<&Mpm<'a>> {
        match &self.view {
            View::Mpm(m) => Some(m),
            View::None => None,
        }
    }

    /// True when the structure reads and the checksum matches.
    pub fn is_intact(&self) -> bool {
        self.verdict == Verdict::Intact
    }

    /// True when no issue would be an error in strict mode.
    pub fn is_valid(&self) -> bool {
        self.report.is_strictly_valid()
    }
}

/// Options for [`decode_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// How deviations are graded.
    pub mode: Mode,
}

/// Decodes in lenient mode. See [`decode_with`].
pub fn decode(text: &str) -> Decoded<'_> {
    decode_with(text, Options::default())
}

/// True when the text looks like EMV MPM: it starts with four digits (an ID and a length).
fn looks_like_mpm(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit)
}

/// Says what `text` is, parses it and validates it (CRC included) in one call. Unknown text is
/// a result (`Kind::Unknown` with a `kind.unknown` issue), not an error.
///
/// ```
/// use qrpay::{decode_with, decode::Options, Mode, Code};
/// let d = decode_with("000201010211", Options { mode: Mode::Strict });
/// assert_eq!(d.kind.as_str(), "emv-mpm");
/// assert_eq!(d.verdict.as_str(), "broken");
/// assert!(d.report.has(Code::CrcMissing));
/// ```
pub fn decode_with(text: &str, opts: Options) -> Decoded<'_> {
    let mut report = Report::new(opts.mode);
    if text.is_empty() {
        report.push(Code::InputEmpty, Class::Fatal, Path::ROOT, 0, Detail::None);
        return unknown(text, report);
    }
    if text.len() > mpm::MAX_PAYLOAD_BYTES {
        report.push(
            Code::InputTooLong,
            Class::Fatal,
            Path::ROOT,
            0,
            Detail::Length {
                min: 1,
                max: mpm::MAX_PAYLOAD_BYTES as u32,
                found: text.len().min(u32::MAX as usize) as u32,
            },
        );
        return unknown(text, report);
    }
    if looks_like_mpm(text) {
        return decode_mpm(text, report);
    }
    report.push(Code::KindUnknown, Class::Fatal, Path::ROOT, 0, Detail::None);
    unknown(text, report)
}

fn unknown(text: &str, report: Report) -> Decoded<'_> {
    Decoded {
        text,
        kind: Kind::Unknown,
        crc: None,
        verdict: Verdict::Broken,
        view: View::None,
        report,
    }
}

fn decode_mpm(text: &str, mut report: Report) -> Decoded<'_> {
    let check = crc::check(text);
    match mpm::parse(text) {
        Ok(m) => {
            mpm::validate(&m, &mut report);
            let verdict = if matches!(check, CrcCheck::Ok { .. }) {
                Verdict::Intact
            } else {
                Verdict::Broken
            };
            Decoded {
                text,
                kind: Kind::EmvMpm,
                crc: Some(check),
                verdict,
                view: View::Mpm(m),
                report,
            }
        }
        Err(_) => {
            mpm::report_broken(text, &mut report);
            Decoded {
                text,
                kind: Kind::EmvMpm,
                crc: Some(check),
                verdict: Verdict::Broken,
                view: View::None,
                report,
            }
        }
    }
}
