//! One entry for every payload: [`decode`] says what the text is, reads it, and reports what
//! is wrong with it.

use alloc::string::String;

use crate::crc::{self, CrcCheck};
use crate::formats::{self, Format, FormatKind};
use crate::mpm::{self, Mpm};
use crate::recognize::{self, Guess};
use crate::report::{Class, Code, Detail, Mode, Path, Report};
use crate::schemes::{self, SchemeId, SchemeSet};

/// What kind of payment code a text is. The string forms are part of the JSON contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// EMVCo merchant-presented mode.
    EmvMpm,
    /// EMVCo consumer-presented mode.
    EmvCpm,
    /// A UPI intent link.
    Upi,
    /// An EPC069-12 SEPA credit transfer.
    EpcSct,
    /// A Swiss QR-bill.
    SwissQrBill,
    /// An Alipay receive-code URL.
    AlipayUrl,
    /// A WeChat Pay receive-code URL.
    WechatUrl,
    /// A UnionPay receive-code URL.
    UnionpayUrl,
    /// A numeric consumer payment code (付款码).
    Paycode,
    /// Not a payment code qrpay knows.
    Unknown,
}

impl Kind {
    /// `"emv-mpm"`, `"emv-cpm"`, `"upi"`, `"epc-sct"`, `"swiss-qr-bill"`, `"alipay-url"`,
    /// `"wechat-url"`, `"unionpay-url"`, `"paycode"` or `"unknown"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::EmvMpm => "emv-mpm",
            Kind::EmvCpm => "emv-cpm",
            Kind::Upi => "upi",
            Kind::EpcSct => "epc-sct",
            Kind::SwissQrBill => "swiss-qr-bill",
            Kind::AlipayUrl => "alipay-url",
            Kind::WechatUrl => "wechat-url",
            Kind::UnionpayUrl => "unionpay-url",
            Kind::Paycode => "paycode",
            Kind::Unknown => "unknown",
        }
    }
}

impl From<FormatKind> for Kind {
    fn from(k: FormatKind) -> Kind {
        match k {
            FormatKind::Upi => Kind::Upi,
            FormatKind::EpcSct => Kind::EpcSct,
            FormatKind::SwissQrBill => Kind::SwissQrBill,
            FormatKind::AlipayUrl => Kind::AlipayUrl,
            FormatKind::WechatUrl => Kind::WechatUrl,
            FormatKind::UnionpayUrl => Kind::UnionpayUrl,
            FormatKind::Paycode => Kind::Paycode,
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
// The MPM view (an index of 100 value starts, about 200 bytes) and the format views are
// larger than `None`, but live on the stack: boxing them would cost an allocation on the hot
// decode path, which is meant to allocate nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum View<'a> {
    /// An MPM payload whose root structure walks.
    Mpm(Mpm<'a>),
    /// A non-EMV format.
    Format(Format<'a>),
    /// An EMV CPM payload whose base64 and BER-TLV are sound.
    Cpm(crate::cpm::Cpm),
    /// Nothing could be read (or, for a wrapped payload that had to be percent-decoded, see
    /// [`Decoded::inner`]).
    None,
}

/// A deep link that carried the payload (e.g. `qpaywallet://q?qPay_QRcode=...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wrapper<'a> {
    /// The link's scheme as written.
    pub scheme: &'a str,
    /// The query parameter that held the payload.
    pub param: &'a str,
    /// Character offset of the payload in the link.
    pub offset: usize,
}

/// What [`decode`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text as given.
    pub text: &'a str,
    /// What kind of code it is (for a wrapper link, the kind it carries).
    pub kind: Kind,
    /// The CRC, for kinds that carry one.
    pub crc: Option<CrcCheck>,
    /// Structure and checksum sound or not.
    pub verdict: Verdict,
    /// The parsed content.
    pub view: View<'a>,
    /// What is wrong, graded in the mode asked for. For a wrapped payload, offsets count
    /// from the start of the payload inside the link; for a payload in white space
    /// (`input.whitespace`), from its first character.
    pub report: Report,
    /// The schemes and networks the code names.
    pub schemes: SchemeSet,
    /// The deep link that carried the payload, if any.
    pub wrapper: Option<Wrapper<'a>>,
    /// The payload inside a wrapper link when it had to be percent-decoded (the typed view
    /// is then [`View::None`]: decode this text to get it).
    pub inner: Option<String>,
}

impl<'a> Decoded<'a> {
    /// The MPM view, when the text is an MPM payload whose structure walks.
    pub fn mpm(&self) -> Option<&Mpm<'a>> {
        match &self.view {
            View::Mpm(m) => Some(m),
            _ => None,
        }
    }

    /// The CPM view.
    pub fn cpm(&self) -> Option<&crate::cpm::Cpm> {
        match &self.view {
            View::Cpm(c) => Some(c),
            _ => None,
        }
    }

    /// The non-EMV format view.
    pub fn format(&self) -> Option<&Format<'a>> {
        match &self.view {
            View::Format(f) => Some(f),
            _ => None,
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

/// Says what `text` is, parses it and validates it (CRC and scheme rules included) in one
/// call. Unknown text is a result (`Kind::Unknown` with a `kind.unknown` issue), not an error.
/// White space around an EMV payload, a link or a payment code is read past and reported
/// (`input.whitespace`).
///
/// ```
/// use qrpay::{decode_with, decode::Options, Mode, Code};
/// let d = decode_with("000201010211", Options { mode: Mode::Strict });
/// assert_eq!(d.kind.as_str(), "emv-mpm");
/// assert_eq!(d.verdict.as_str(), "broken");
/// assert!(d.report.has(Code::CrcMissing));
///
/// let upi = qrpay::decode("upi://pay?pa=shop@okbank&pn=Shop&am=10.00&cu=INR");
/// assert_eq!(upi.kind.as_str(), "upi");
/// assert!(upi.schemes.contains(qrpay::schemes::SchemeId::Upi));
/// ```
pub fn decode_with(text: &str, opts: Options) -> Decoded<'_> {
    if let Some(inner) = surrounded_by_space(text) {
        let mut d = decode_payload(inner, opts);
        d.text = text;
        d.report.push(
            Code::InputWhitespace,
            Class::Deviation,
            Path::ROOT,
            0,
            Detail::Text("not part of it; read without it"),
        );
        return d;
    }
    decode_payload(text, opts)
}

/// The payload inside white space (space, tab, CR, LF) that surrounds `text`, when that
/// payload is an EMV code, a deep link or URL, or a payment code; `None` when nothing
/// surrounds it or when it is a line-based format (EPC, Swiss QR-bill), whose line ends
/// belong to it, or nothing qrpay reads.
fn surrounded_by_space(text: &str) -> Option<&str> {
    let space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    // The common case, decided from two bytes.
    if !text.starts_with(space) && !text.ends_with(space) {
        return None;
    }
    // EPC and Swiss QR-bill texts start with their service tags and often end a line.
    if text.starts_with("BCD") || text.starts_with("SPC") {
        return None;
    }
    let inner = text.trim_matches(space);
    match recognize::guess(inner) {
        Guess::Mpm | Guess::Cpm | Guess::Wrapped(_) => Some(inner),
        Guess::Format(FormatKind::EpcSct | FormatKind::SwissQrBill) => None,
        Guess::Format(_) => Some(inner),
        Guess::Empty | Guess::TooLong | Guess::Unknown => None,
    }
}

/// [`decode_with`] for text without surrounding white space.
fn decode_payload(text: &str, opts: Options) -> Decoded<'_> {
    let mut report = Report::new(opts.mode);
    match recognize::guess(text) {
        Guess::Empty => {
            report.push(Code::InputEmpty, Class::Fatal, Path::ROOT, 0, Detail::None);
            unknown(text, report)
        }
        Guess::TooLong => {
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
            unknown(text, report)
        }
        Guess::Wrapped(w) => {
            let wrapper = Some(Wrapper {
                scheme: w.scheme,
                param: w.param,
                offset: w.offset,
            });
            match w.inner {
                alloc::borrow::Cow::Borrowed(inner) => {
                    let mut d = decode_with(inner, opts);
                    d.text = text;
                    d.wrapper = wrapper;
                    d
                }
                alloc::borrow::Cow::Owned(inner) => {
                    let d = decode_with(&inner, opts);
                    let (kind, crc, verdict, report, schemes) =
                        (d.kind, d.crc, d.verdict, d.report, d.schemes);
                    Decoded {
                        text,
                        kind,
                        crc,
                        verdict,
                        view: View::None,
                        report,
                        schemes,
                        wrapper,
                        inner: Some(inner),
                    }
                }
            }
        }
        Guess::Format(k) => match formats::parse_kind(k, text) {
            Some(f) => decode_format(text, f, report),
            None => {
                report.push(Code::KindUnknown, Class::Fatal, Path::ROOT, 0, Detail::None);
                unknown(text, report)
            }
        },
        Guess::Mpm => decode_mpm(text, report),
        Guess::Cpm => decode_cpm(text, opts.mode),
        Guess::Unknown => {
            report.push(Code::KindUnknown, Class::Fatal, Path::ROOT, 0, Detail::None);
            unknown(text, report)
        }
    }
}

/// The same as [`decode_with`]: says what a text is (kind, schemes, view and issues).
pub fn recognize(text: &str) -> Decoded<'_> {
    decode(text)
}

fn unknown(text: &str, report: Report) -> Decoded<'_> {
    Decoded {
        text,
        kind: Kind::Unknown,
        crc: None,
        verdict: Verdict::Broken,
        view: View::None,
        report,
        schemes: SchemeSet::EMPTY,
        wrapper: None,
        inner: None,
    }
}

fn decode_format<'a>(text: &'a str, f: Format<'a>, mut report: Report) -> Decoded<'a> {
    f.validate(&mut report);
    let verdict = if report.issues().iter().any(|i| i.class == Class::Fatal) {
        Verdict::Broken
    } else {
        Verdict::Intact
    };
    let mut set = SchemeSet::EMPTY;
    let scheme = match &f {
        Format::Upi(_) => Some(SchemeId::Upi),
        Format::Url(u) => match u.kind() {
            FormatKind::AlipayUrl => Some(SchemeId::Alipay),
            FormatKind::WechatUrl => Some(SchemeId::Wechatpay),
            _ => Some(SchemeId::Unionpay),
        },
        Format::Paycode(p) => SchemeId::from_str_opt(p.rule().wallet),
        Format::Epc(_) | Format::Swiss(_) => None,
    };
    if let Some(s) = scheme {
        set.insert(s);
    }
    Decoded {
        text,
        kind: f.kind().into(),
        crc: None,
        verdict,
        view: View::Format(f),
        report,
        schemes: set,
        wrapper: None,
        inner: None,
    }
}

fn decode_cpm(text: &str, mode: Mode) -> Decoded<'_> {
    let (cpm, report) = crate::cpm::decode_report(text, mode);
    let verdict = crate::cpm::verdict(cpm.as_ref());
    let mut set = SchemeSet::EMPTY;
    if let Some(c) = &cpm {
        for t in c.application_templates() {
            if let Some(aid) = t.aid() {
                // An AID is at most 16 bytes: 32 hex digits, on the stack.
                let mut hex = [0u8; 32];
                let mut n = 0;
                for (pair, b) in hex.chunks_exact_mut(2).zip(aid) {
                    let [_, _, hi, lo] = crate::crc::to_hex(u16::from(*b));
                    pair.copy_from_slice(&[hi, lo]);
                    n += 2;
                }
                if let Some(h) = hex.get(..n).and_then(|h| core::str::from_utf8(h).ok()) {
                    set.extend(schemes::schemes_of_cpm_aid(h));
                }
            }
        }
    }
    Decoded {
        text,
        kind: Kind::EmvCpm,
        crc: None,
        verdict,
        view: cpm.map_or(View::None, View::Cpm),
        report,
        schemes: set,
        wrapper: None,
        inner: None,
    }
}

fn decode_mpm(text: &str, mut report: Report) -> Decoded<'_> {
    let check = crc::check(text);
    // The view (256 bytes) is indexed where the result keeps it: parsing it elsewhere
    // and moving it in costs a copy or two.
    let mut view = View::Mpm(Mpm::blank(text));
    let mut verdict = Verdict::Broken;
    let mut set = SchemeSet::EMPTY;
    if let View::Mpm(m) = &mut view {
        if m.index().is_ok() {
            mpm::validate_checked(m, check, &mut report);
            set = schemes::identify(m);
            schemes::validate_found(set, m, &mut report);
            crate::sign::validate(m, &mut report);
            if matches!(check, CrcCheck::Ok { .. }) {
                verdict = Verdict::Intact;
            }
        } else {
            mpm::report_broken(text, &mut report);
            view = View::None;
        }
    }
    Decoded {
        text,
        kind: Kind::EmvMpm,
        crc: Some(check),
        verdict,
        view,
        report,
        schemes: set,
        wrapper: None,
        inner: None,
    }
}
