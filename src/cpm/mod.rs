//! EMVCo QR Code Specification for Payment Systems — Consumer-Presented Mode (CPM v1.1):
//! the wallet shows base64 text of BER-TLV data; the merchant's POI reads it.
//!
//! * Read: [`Cpm::decode`] (structure must hold) or [`decode_report`] / [`validate`] (every
//!   problem reported through [`Report`](crate::report::Report), issue offsets in bytes of the
//!   decoded data, except `cpm.base64` which counts characters of the text).
//! * Look inside: [`Cpm::application_templates`], [`Cpm::common_data`], [`Template`]'s typed
//!   accessors, [`Cpm::fields`].
//! * Process at the POI: [`select`] with a [`TerminalConfig`] (CPM §5.1.1.4–5.1.1.11).
//! * Build on the wallet side: [`CpmData`] / [`TemplateData`] → [`CpmData::build`].
//!
//! PAN and Track 2 values are masked in `Debug`/`Display` ([`Pan`], [`Track2`]) and in
//! [`Cpm::fields`] unless asked; [`Pan::reveal`] gives the digits.
//!
//! ```
//! use qrpay::cpm::{self, Cpm, TerminalConfig};
//! let cpm = Cpm::decode("hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8=").unwrap();
//! let app = cpm.application_templates().next().unwrap();
//! assert_eq!(app.aid(), Some(&[0xA0, 0, 0, 0, 0x55, 0x55, 0x55][..]));
//! let t2 = app.track2().unwrap();
//! assert_eq!(t2.to_string(), "123456******3458D************");
//! assert_eq!((t2.pan().reveal(), t2.expiry()), ("1234567890123458", "1912"));
//!
//! let aids: &[&[u8]] = &[&[0xA0, 0, 0, 0, 0x55]];
//! let sel = cpm::select(&cpm, &TerminalConfig::new(aids)).unwrap();
//! assert_eq!(sel.index, 0);
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;

use crate::fields::Field;
use crate::tlv::ber::{self, BerError, Limits, Reader, Tag, Tlv};

mod build;
mod select;
mod validate;
mod values;

pub use build::{BuildError, CpmData, CryptogramData, RawObject, TemplateData};
pub use select::{select, PoiError, Preference, Selection, TerminalConfig};
pub use validate::{check, decode_report, validate, verdict};
pub use values::{Digits, Pan, Track2, TRACK2_MAX_BYTES};

/// The text every CPM payload starts with: base64 of `85 05 "CPV`.
pub const PREFIX: &str = "hQVDUFY";
/// The payload format indicator of CPM v1.0 and v1.1.
pub const PFI: &str = "CPV01";
/// The longest text qrpay decodes (characters). CPM asks readers for 512 bytes of QR data;
/// this leaves room for larger codes while bounding the work.
pub const MAX_TEXT_LEN: usize = 4096;
/// How deep templates may nest.
pub const MAX_DEPTH: u8 = 8;
/// The BER bounds used for CPM data.
pub const LIMITS: Limits = Limits {
    max_depth: MAX_DEPTH,
    max_size: MAX_TEXT_LEN / 4 * 3,
};

/// CPM tags (the bytes of the tag, as in [`Tag::value`]).
pub mod tags {
    /// Payload Format Indicator, `an` 5, "CPV01".
    pub const PFI: u32 = 0x85;
    /// Application Template.
    pub const APPLICATION_TEMPLATE: u32 = 0x61;
    /// Common Data Template.
    pub const COMMON_DATA_TEMPLATE: u32 = 0x62;
    /// Application Specific Transparent Template (inside 61).
    pub const APPLICATION_TRANSPARENT: u32 = 0x63;
    /// Common Data Transparent Template (inside 62).
    pub const COMMON_TRANSPARENT: u32 = 0x64;
    /// ADF Name (AID), `b` 5–16.
    pub const AID: u32 = 0x4F;
    /// Application Label, `ans` 1–16.
    pub const LABEL: u32 = 0x50;
    /// Track 2 Equivalent Data, `b` ≤ 19.
    pub const TRACK2: u32 = 0x57;
    /// Application PAN, `cn` ≤ 10.
    pub const PAN: u32 = 0x5A;
    /// Cardholder Name, `ans` 2–26.
    pub const CARDHOLDER_NAME: u32 = 0x5F20;
    /// Language Preference, `an` 2–8.
    pub const LANGUAGE: u32 = 0x5F2D;
    /// Issuer URL, `ans`.
    pub const ISSUER_URL: u32 = 0x5F50;
    /// Application PAN Sequence Number, `n` 1.
    pub const PAN_SEQUENCE: u32 = 0x5F34;
    /// Application Version Number, `b` 2.
    pub const APP_VERSION: u32 = 0x9F08;
    /// Token Requestor ID, `n` 6 (11 digits).
    pub const TOKEN_REQUESTOR_ID: u32 = 0x9F19;
    /// Payment Account Reference, `an` 29.
    pub const PAR: u32 = 0x9F24;
    /// Last 4 Digits of PAN, `n` 2.
    pub const PAN_LAST4: u32 = 0x9F25;
    /// Application Cryptogram, `b` 8.
    pub const CRYPTOGRAM: u32 = 0x9F26;
    /// Cryptogram Information Data, `b` 1.
    pub const CID: u32 = 0x9F27;
    /// Issuer Application Data, `b` ≤ 32.
    pub const IAD: u32 = 0x9F10;
    /// Application Transaction Counter, `b` 2.
    pub const ATC: u32 = 0x9F36;
    /// Application Interchange Profile, `b` 2.
    pub const AIP: u32 = 0x82;
    /// Unpredictable Number, `b` 4.
    pub const UNPREDICTABLE_NUMBER: u32 = 0x9F37;
}

/// The name CPM (Annex A) or EMV gives a tag, or `""`.
pub fn tag_name(tag: u32) -> &'static str {
    use tags::*;
    match tag {
        PFI => "Payload Format Indicator",
        APPLICATION_TEMPLATE => "Application Template",
        COMMON_DATA_TEMPLATE => "Common Data Template",
        APPLICATION_TRANSPARENT => "Application Specific Transparent Template",
        COMMON_TRANSPARENT => "Common Data Transparent Template",
        AID => "ADF Name (AID)",
        LABEL => "Application Label",
        TRACK2 => "Track 2 Equivalent Data",
        PAN => "Application PAN",
        CARDHOLDER_NAME => "Cardholder Name",
        LANGUAGE => "Language Preference",
        ISSUER_URL => "Issuer URL",
        PAN_SEQUENCE => "Application PAN Sequence Number",
        APP_VERSION => "Application Version Number",
        TOKEN_REQUESTOR_ID => "Token Requestor ID",
        PAR => "Payment Account Reference",
        PAN_LAST4 => "Last 4 Digits of PAN",
        CRYPTOGRAM => "Application Cryptogram",
        CID => "Cryptogram Information Data",
        IAD => "Issuer Application Data",
        ATC => "Application Transaction Counter",
        AIP => "Application Interchange Profile",
        UNPREDICTABLE_NUMBER => "Unpredictable Number",
        _ => "",
    }
}

/// Tags whose values are text (`an`/`ans`).
fn is_text_tag(tag: u32) -> bool {
    use tags::*;
    matches!(
        tag,
        PFI | LABEL | CARDHOLDER_NAME | LANGUAGE | ISSUER_URL | PAR
    )
}

/// Why [`Cpm::decode`] or [`Cpm::from_tlv`] refused the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CpmError {
    /// The text is empty.
    #[error("the payload is empty")]
    Empty,
    /// The text is longer than [`MAX_TEXT_LEN`].
    #[error("the payload has {len} characters, more than the {max} qrpay reads")]
    TooLong {
        /// Characters in the text.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The text does not start with [`PREFIX`], so CPM §5.1.1.1 says not to decode it.
    #[error("the payload does not start with \"hQVDUFY\" (85 05 \"CPV\")")]
    NotCpm,
    /// The text is not base64.
    #[error("invalid base64 at character {offset}")]
    Base64 {
        /// Character offset of the problem (the text length when it is the length).
        offset: usize,
    },
    /// The decoded bytes are not BER-TLV.
    #[error(transparent)]
    Ber(#[from] BerError),
    /// The first object is not 85 "CPV01".
    #[error("the first data object is not the payload format indicator 85 \"CPV01\"")]
    Pfi,
    /// There is no application template 61.
    #[error("no application template (61)")]
    NoApplicationTemplate,
}

/// Decodes base64 text, canonical padding required (`strict`) or not. Errors give the
/// character offset.
pub(crate) fn decode_base64(text: &str, strict: bool) -> Result<Vec<u8>, usize> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
    if let Some(data) = decode_canonical(text.as_bytes()) {
        return Ok(data);
    }
    let r = if strict {
        STANDARD.decode(text)
    } else {
        STANDARD_PAD_INDIFFERENT.decode(text)
    };
    r.map_err(|e| match e {
        base64::DecodeError::InvalidByte(i, _) => i,
        base64::DecodeError::InvalidLastSymbol { offset, .. } => offset,
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => text.len(),
    })
}

/// The value of each base64 character (standard alphabet), 0xFF for any other byte.
// Indexing in a constant: a slip fails the build, not a run.
#[allow(clippy::indexing_slicing)]
const BASE64_VALUES: [u8; 256] = {
    let mut t = [0xFF; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < alphabet.len() {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Decodes canonical base64: standard alphabet, padded to a multiple of four, no bits set
/// past the data in the last character. Such a text decodes to the same bytes with or
/// without padding required, and every other text (`None` here) is left to the `base64`
/// crate, which says what is wrong with it.
fn decode_canonical(text: &[u8]) -> Option<Vec<u8>> {
    let value = |c: u8| BASE64_VALUES.get(usize::from(c)).copied().unwrap_or(0xFF);
    let (body, last) = text.split_last_chunk::<4>()?;
    if body.len() % 4 != 0 {
        return None;
    }
    // The last quad: four characters, or three and `=`, or two and `==`.
    let [a_char, b_char, c_char, d_char] = *last;
    let (a, b, c, d) = (value(a_char), value(b_char), value(c_char), value(d_char));
    let (tail, n) = match (c_char, d_char) {
        (b'=', b'=') if b & 0x0F == 0 => ([a << 2 | b >> 4, 0, 0], 1),
        (_, b'=') if c != 0xFF && c & 0x03 == 0 => ([a << 2 | b >> 4, b << 4 | c >> 2, 0], 2),
        _ if (c | d) & 0xC0 == 0 => ([a << 2 | b >> 4, b << 4 | c >> 2, c << 6 | d], 3),
        _ => return None,
    };
    if (a | b) & 0xC0 != 0 {
        return None;
    }
    let mut out = alloc::vec![0u8; body.len() / 4 * 3 + n];
    let (head, end) = out.split_at_mut(body.len() / 4 * 3);
    for (q, o) in body.chunks_exact(4).zip(head.chunks_exact_mut(3)) {
        let (Some(&[a, b, c, d]), Some(o)) = (q.first_chunk::<4>(), o.first_chunk_mut::<3>())
        else {
            return None;
        };
        let (a, b, c, d) = (value(a), value(b), value(c), value(d));
        if (a | b | c | d) & 0xC0 != 0 {
            return None;
        }
        let v = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
        *o = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
    }
    end.copy_from_slice(tail.get(..n)?);
    Some(out)
}

/// A decoded CPM payload: the BER-TLV bytes (owned), checked to walk to the end within
/// [`LIMITS`]. Views into them ([`Template`], [`Tlv`]) borrow from this value.
///
/// `Debug` shows the structure, never PAN or Track 2 data.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cpm {
    data: Vec<u8>,
}

impl fmt::Debug for Cpm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut l = f.debug_list();
        for t in self.objects() {
            l.entry(&t);
        }
        l.finish()
    }
}

impl Cpm {
    /// Decodes CPM text as CPM §5.1.1.1–5.1.1.3 order: the text must start with
    /// [`PREFIX`], be padded standard base64, decode to BER-TLV that starts with 85 "CPV01"
    /// and hold at least one 61. For every problem at once, with lenient base64 padding, use
    /// [`decode_report`].
    pub fn decode(text: &str) -> Result<Cpm, CpmError> {
        if text.is_empty() {
            return Err(CpmError::Empty);
        }
        if text.len() > MAX_TEXT_LEN {
            return Err(CpmError::TooLong {
                len: text.len(),
                max: MAX_TEXT_LEN,
            });
        }
        if !text.starts_with(PREFIX) {
            return Err(CpmError::NotCpm);
        }
        let data = decode_base64(text, true).map_err(|offset| CpmError::Base64 { offset })?;
        Cpm::from_tlv(data)
    }

    /// Takes BER-TLV bytes (already base64-decoded) with the same checks as [`Cpm::decode`].
    pub fn from_tlv(data: Vec<u8>) -> Result<Cpm, CpmError> {
        let cpm = Cpm::from_ber(data)?;
        if !cpm.has_valid_pfi() {
            return Err(CpmError::Pfi);
        }
        if cpm.application_templates().next().is_none() {
            return Err(CpmError::NoApplicationTemplate);
        }
        Ok(cpm)
    }

    /// Takes bytes that need only be BER-TLV (any content).
    pub(crate) fn from_ber(data: Vec<u8>) -> Result<Cpm, BerError> {
        ber::check(&data, LIMITS)?;
        Ok(Cpm { data })
    }

    /// Takes bytes a walk with [`LIMITS`] has just found to be BER-TLV to the end (see
    /// `validate::walk`): the same as [`Cpm::from_ber`] without walking them again.
    pub(crate) fn from_walked(data: Vec<u8>) -> Cpm {
        debug_assert!(ber::check(&data, LIMITS).is_ok());
        Cpm { data }
    }

    /// The BER-TLV bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }

    /// The BER-TLV bytes, taken out.
    pub fn into_bytes(self) -> Vec<u8> {
        self.data
    }

    /// The payload as CPM text (padded base64, no line breaks).
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.data)
    }

    /// The top-level data objects, in order.
    pub fn objects(&self) -> impl Iterator<Item = Tlv<'_>> + '_ {
        Reader::with_limits(&self.data, LIMITS).map_while(Result::ok)
    }

    /// The payload format indicator's value when the first object is tag 85.
    pub fn pfi(&self) -> Option<&[u8]> {
        self.objects()
            .next()
            .filter(|t| t.tag.value() == tags::PFI)
            .map(|t| t.value)
    }

    /// True when the first object is 85 "CPV01".
    pub fn has_valid_pfi(&self) -> bool {
        self.pfi() == Some(PFI.as_bytes())
    }

    /// The application templates (61), in order.
    pub fn application_templates(&self) -> impl Iterator<Item = Template<'_>> + '_ {
        self.objects()
            .filter(|t| t.tag.value() == tags::APPLICATION_TEMPLATE)
            .map(Template)
    }

    /// The common data template (62), the first when there are several.
    pub fn common_data(&self) -> Option<Template<'_>> {
        self.objects()
            .find(|t| t.tag.value() == tags::COMMON_DATA_TEMPLATE)
            .map(Template)
    }

    /// Top-level objects other than 85, 61 and 62 ("other templates", kept as they are).
    pub fn other_objects(&self) -> impl Iterator<Item = Tlv<'_>> + '_ {
        self.objects().filter(|t| {
            !matches!(
                t.tag.value(),
                tags::PFI | tags::APPLICATION_TEMPLATE | tags::COMMON_DATA_TEMPLATE
            )
        })
    }

    /// The CPM verdict: the PFI is 85 "CPV01" first and at least one 61 has an AID (4F) of
    /// 5–16 bytes. (A `Cpm` exists only when base64 and BER-TLV were sound.)
    pub fn is_intact(&self) -> bool {
        // One walk: the first object is the PFI, so the 61s are among the rest.
        let mut objects = self.objects();
        objects
            .next()
            .is_some_and(|t| t.tag.value() == tags::PFI && t.value == PFI.as_bytes())
            && objects.any(|t| {
                t.tag.value() == tags::APPLICATION_TEMPLATE && Template(t).usable_aid().is_some()
            })
    }

    /// Every data object, depth first, templates before their content: path (`61.9F24`),
    /// name, value and byte offset. Binary values are upper-case hex, `an`/`ans` values
    /// text. PAN (5A) and Track 2 (57) are masked — also inside the hex of the templates
    /// holding them — unless `reveal` is true. Paths carry no index: both application
    /// templates of a two-application payload are listed under `61`, in payload order.
    pub fn fields(&self, reveal: bool) -> Vec<Field<'_>> {
        let mut secrets: Vec<(usize, usize)> = Vec::new();
        if !reveal {
            collect_secrets(Reader::with_limits(&self.data, LIMITS), &mut secrets);
        }
        let mut out = Vec::new();
        push_fields(
            Reader::with_limits(&self.data, LIMITS),
            "",
            &secrets,
            reveal,
            &mut out,
        );
        out
    }
}

fn collect_secrets(r: Reader<'_>, out: &mut Vec<(usize, usize)>) {
    for t in r.map_while(Result::ok) {
        match t.tag.value() {
            tags::PAN | tags::TRACK2 => out.push((t.value_offset(), t.end())),
            _ if t.is_constructed() && t.depth < MAX_DEPTH => collect_secrets(t.children(), out),
            _ => {}
        }
    }
}

/// Upper-case hex of `bytes` (which start at byte `at`), with bytes inside `secrets` shown as
/// `**`.
fn hex_masked(bytes: &[u8], at: usize, secrets: &[(usize, usize)]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for (i, b) in bytes.iter().enumerate() {
        let pos = at + i;
        if secrets.iter().any(|&(a, e)| (a..e).contains(&pos)) {
            s.push_str("**");
        } else {
            let [_, _, hi, lo] = crate::crc::to_hex(u16::from(*b));
            s.push(char::from(hi));
            s.push(char::from(lo));
        }
    }
    s
}

fn field_value<'a>(t: &Tlv<'a>, secrets: &[(usize, usize)], reveal: bool) -> Cow<'a, str> {
    let tag = t.tag.value();
    if !reveal {
        match tag {
            tags::PAN => {
                return Cow::Owned(match Pan::from_cn(t.value) {
                    Some(p) => alloc::format!("{p}"),
                    None => "*".repeat(t.value.len() * 2),
                })
            }
            tags::TRACK2 => {
                return Cow::Owned(match Track2::parse(t.value) {
                    Some(p) => alloc::format!("{p}"),
                    None => "*".repeat(t.value.len() * 2),
                })
            }
            _ => {}
        }
    }
    if is_text_tag(tag) && values::is_ans(t.value) {
        if let Ok(s) = core::str::from_utf8(t.value) {
            return Cow::Borrowed(s);
        }
    }
    Cow::Owned(hex_masked(t.value, t.value_offset(), secrets))
}

fn push_fields<'a>(
    r: Reader<'a>,
    parent: &str,
    secrets: &[(usize, usize)],
    reveal: bool,
    out: &mut Vec<Field<'a>>,
) {
    for t in r.map_while(Result::ok) {
        let path = if parent.is_empty() {
            alloc::format!("{}", t.tag)
        } else {
            alloc::format!("{parent}.{}", t.tag)
        };
        out.push(Field {
            path: path.clone(),
            name: tag_name(t.tag.value()),
            value: field_value(&t, secrets, reveal),
            offset: t.offset,
        });
        if t.is_constructed() && t.depth < MAX_DEPTH {
            push_fields(t.children(), &path, secrets, reveal, out);
        }
    }
}

/// A constructed CPM template (61, 62, 63, 64 or any other) with typed access to the data
/// objects CPM Annex A defines. Accessors look at this template's own objects (not inside
/// nested templates) and return `None` when the object is absent or malformed (see
/// [`validate`] for why).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Template<'a>(pub Tlv<'a>);

impl fmt::Debug for Template<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Template({}, {} bytes)", self.0.tag, self.0.value.len())
    }
}

impl<'a> Template<'a> {
    /// The template's tag.
    pub fn tag(&self) -> Tag {
        self.0.tag
    }

    /// Byte offset of the template in the payload.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// The template's objects, in order.
    pub fn objects(&self) -> impl Iterator<Item = Tlv<'a>> + 'a {
        self.0.children().map_while(Result::ok)
    }

    /// The first object with `tag` (e.g. `0x9F24`).
    pub fn get(&self, tag: u32) -> Option<Tlv<'a>> {
        self.objects().find(|t| t.tag.value() == tag)
    }

    fn value(&self, tag: u32) -> Option<&'a [u8]> {
        self.get(tag).map(|t| t.value)
    }

    fn text(&self, tag: u32) -> Option<&'a str> {
        self.value(tag).and_then(|v| core::str::from_utf8(v).ok())
    }

    /// The transparent template inside: 63 in a 61, 64 in a 62.
    pub fn transparent(&self) -> Option<Template<'a>> {
        let want = match self.0.tag.value() {
            tags::APPLICATION_TEMPLATE => tags::APPLICATION_TRANSPARENT,
            tags::COMMON_DATA_TEMPLATE => tags::COMMON_TRANSPARENT,
            _ => return None,
        };
        self.get(want).map(Template)
    }

    /// 4F, the ADF name (AID), whatever its length.
    pub fn aid(&self) -> Option<&'a [u8]> {
        self.value(tags::AID)
    }

    /// 4F when it has 5 to 16 bytes, the only AIDs a POI uses.
    pub fn usable_aid(&self) -> Option<&'a [u8]> {
        self.aid().filter(|a| (5..=16).contains(&a.len()))
    }

    /// 50, the application label.
    pub fn label(&self) -> Option<&'a str> {
        self.text(tags::LABEL)
    }

    /// 57, Track 2 equivalent data.
    pub fn track2(&self) -> Option<Track2> {
        self.value(tags::TRACK2).and_then(Track2::parse)
    }

    /// 5A, the application PAN.
    pub fn pan(&self) -> Option<Pan> {
        self.value(tags::PAN).and_then(Pan::from_cn)
    }

    /// 5F20, the cardholder name.
    pub fn cardholder_name(&self) -> Option<&'a str> {
        self.text(tags::CARDHOLDER_NAME)
    }

    /// 5F2D, language preference: 1–4 ISO 639-1 codes run together (`"ruesdeen"`).
    pub fn language_preference(&self) -> Option<&'a str> {
        self.text(tags::LANGUAGE)
    }

    /// 5F50, the issuer URL (`tel:` or `mailto:` for e-receipts).
    pub fn issuer_url(&self) -> Option<&'a str> {
        self.text(tags::ISSUER_URL)
    }

    /// 9F08, the application version number (CPM: `0x0010` when absent, not filled in here).
    pub fn app_version(&self) -> Option<u16> {
        match self.value(tags::APP_VERSION)? {
            [a, b] => Some(u16::from_be_bytes([*a, *b])),
            _ => None,
        }
    }

    /// 9F19, the token requestor ID: 11 digits from 6 BCD bytes with a leading 0 nibble.
    pub fn token_requestor_id(&self) -> Option<Digits<11>> {
        self.value(tags::TOKEN_REQUESTOR_ID)
            .filter(|v| v.len() == 6)
            .and_then(|v| Digits::from_bcd(v, true))
    }

    /// 9F24, the payment account reference (29 characters).
    pub fn par(&self) -> Option<&'a str> {
        self.text(tags::PAR)
    }

    /// 9F25, the last 4 digits of the PAN.
    pub fn pan_last4(&self) -> Option<Digits<4>> {
        self.value(tags::PAN_LAST4)
            .filter(|v| v.len() == 2)
            .and_then(|v| Digits::from_bcd(v, false))
    }

    /// 5F34, the PAN sequence number (2 digits).
    pub fn pan_sequence_number(&self) -> Option<Digits<2>> {
        self.value(tags::PAN_SEQUENCE)
            .filter(|v| v.len() == 1)
            .and_then(|v| Digits::from_bcd(v, false))
    }

    /// 9F26, the application cryptogram (8 bytes).
    pub fn cryptogram(&self) -> Option<&'a [u8]> {
        self.value(tags::CRYPTOGRAM)
    }

    /// 9F27, cryptogram information data.
    pub fn cid(&self) -> Option<u8> {
        match self.value(tags::CID)? {
            [b] => Some(*b),
            _ => None,
        }
    }

    /// 9F10, issuer application data.
    pub fn issuer_application_data(&self) -> Option<&'a [u8]> {
        self.value(tags::IAD)
    }

    /// 9F36, the application transaction counter.
    pub fn atc(&self) -> Option<u16> {
        match self.value(tags::ATC)? {
            [a, b] => Some(u16::from_be_bytes([*a, *b])),
            _ => None,
        }
    }

    /// 82, the application interchange profile.
    pub fn aip(&self) -> Option<[u8; 2]> {
        match self.value(tags::AIP)? {
            [a, b] => Some([*a, *b]),
            _ => None,
        }
    }

    /// 9F37, the unpredictable number.
    pub fn unpredictable_number(&self) -> Option<&'a [u8]> {
        self.value(tags::UNPREDICTABLE_NUMBER)
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
    use base64::Engine as _;

    #[test]
    fn canonical_base64_decodes_as_the_crate_does() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut rand = || crate::xorshift(&mut seed);
        // Every encoding of random data takes the short way, with the crate's bytes.
        for len in 0..64usize {
            for _ in 0..50 {
                let data: alloc::vec::Vec<u8> = (0..len).map(|_| rand() as u8).collect();
                let text = STANDARD.encode(&data);
                let fast = super::decode_canonical(text.as_bytes());
                assert_eq!(fast.as_deref(), (len > 0).then_some(&data[..]), "{text}");
            }
        }
        // Short texts of alphabet letters, padding, other bytes and last letters with bits
        // past the data: whatever the short way accepts, both engines read alike.
        let chars = b"AQgw/+9zB=-= \nAAAE";
        let mut taken = 0;
        for _ in 0..100_000 {
            let len = (rand() % 13) as usize;
            let text: alloc::vec::Vec<u8> = (0..len)
                .map(|_| chars[(rand() % chars.len() as u64) as usize])
                .collect();
            if let Some(v) = super::decode_canonical(&text) {
                taken += 1;
                assert_eq!(STANDARD.decode(&text).ok(), Some(v.clone()), "{text:?}");
                assert_eq!(STANDARD_PAD_INDIFFERENT.decode(&text).ok(), Some(v));
            } else if let Ok(v) = STANDARD.decode(&text) {
                assert!(v.is_empty(), "{text:?} is canonical");
            }
        }
        assert!(taken > 1000, "{taken}");
    }
}
