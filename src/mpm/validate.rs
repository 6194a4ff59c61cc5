//! The MPM v1.1 rules, checked over a parsed payload.
//!
//! Each rule reports through [`Report`] with a [`Class`]: `Fatal` for what no mode can read
//! past (a CRC that does not match), `Deviation` for what the spec forbids but real schemes do
//! (lenient mode reads it with a warning), `Advice` for what is legal but non-canonical.

use super::{is_amount, is_amount_bytes, ConsumerDataRequest, MerchantChannel, Mpm};
use crate::crc::{self, CrcCheck};

use crate::currency;
use crate::report::{Class, Code, Detail, Path, Report, Seg};
use crate::tlv::{ascii_header, split_ascii, Element, TlvErrorKind, Walker};

/// Checks `m` against MPM v1.1 (CRC included) and adds what it finds to `report`.
///
/// ```
/// use qrpay::{mpm, Mode, Report};
/// let m = mpm::parse("000202010211520400005802BR6304ABCD").unwrap();
/// let mut r = Report::new(Mode::Strict);
/// mpm::validate(&m, &mut r);
/// assert!(r.has(qrpay::Code::PfiUnknown));
/// assert!(r.has(qrpay::Code::CrcMismatch));
/// ```
#[inline]
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    validate_checked(m, crate::crc::check(m.as_str()), report);
}

/// [`validate`] with the CRC check already made by the caller (so [`crate::decode()`] computes
/// the CRC once per payload).
#[inline]
pub(crate) fn validate_checked(m: &Mpm<'_>, check: CrcCheck, report: &mut Report) {
    if m.fast() == Fast::Clean && check == (CrcCheck::Ok { lowercase: false }) {
        return;
    }
    validate_rest(m, check, report);
}

/// [`validate_checked`] when something may be reported.
fn validate_rest(m: &Mpm<'_>, check: CrcCheck, report: &mut Report) {
    let text = m.as_str();
    // Indexing decided what is left (`Fast`): nothing but the CRC, the flagged objects and
    // the mandatory and fee checks, or everything (an irregular root: the general checks
    // below, which name every deviation).
    match m.fast() {
        Fast::Clean => {
            crc_rules(m.clean_chars(), check, report);
            return;
        }
        Fast::Rules => {
            // The general checks below, less the objects indexing found with nothing to
            // report: same issues, same order.
            let chars = m.clean_chars();
            crc_rules(chars, check, report);
            let mut bits = m.dirty();
            while bits != 0 {
                let id = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                if let Some(e) = m.object(id) {
                    root_object(m, &e, report);
                }
            }
            mandatory(m, chars, report);
            fees(m, report);
            return;
        }
        Fast::General => {}
    }
    let chars = if m.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    };
    crc_rules(chars, check, report);
    if chars > 512 {
        report.push(
            Code::PayloadLength,
            Class::Deviation,
            Path::ROOT,
            512,
            Detail::Length {
                min: 1,
                max: 512,
                found: chars as u32,
            },
        );
    }
    if m.is_irregular() {
        root_order(m, report);
    }
    for e in m.objects() {
        root_object(m, &e, report);
    }
    mandatory(m, chars, report);
    fees(m, report);
}

/// What indexing (`Clean`) left for validation to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fast {
    /// Nothing but the CRC.
    Clean,
    /// A regular root: the CRC, [`root_object`] for the objects flagged in `Mpm::dirty`
    /// (the others have nothing to report), [`mandatory`] and [`fees`].
    Rules,
    /// Anything: the general checks.
    General,
}

/// The rules [`root_object`], [`mandatory`] and [`fees`] check, applied to each root object
/// while [`super::parse`] indexes it (values outside the common set are left to
/// [`root_object`], except the names in template 64). For each object it answers only
/// "nothing to report" or "not sure": an object it is unsure of (a reserved ID, a broken
/// template, a value out of range...) is flagged, and validation runs [`root_object`] on the
/// flagged objects alone, which names every deviation ([`Fast::Rules`]).
pub(super) struct Clean<'a> {
    /// Bit `id` set: root object `id` may have something to report.
    dirty: u128,
    dynamic: bool,
    currency: Option<&'static currency::Currency>,
    amount: &'a [u8],
    tip: &'a [u8],
}

impl<'a> Clean<'a> {
    pub(super) fn new() -> Clean<'a> {
        Clean {
            dirty: 0,
            dynamic: false,
            currency: None,
            amount: &[],
            tip: &[],
        }
    }

    /// Root object `id` with value `v` (its first occurrence, if the root is regular).
    #[inline(always)]
    pub(super) fn object(&mut self, id: u8, v: &'a [u8]) {
        let ok = match id {
            0 => v == b"01",
            1 => {
                self.dynamic = v == b"12";
                self.dynamic || v == b"11"
            }
            // Text of at most 99 characters, all in the common set.
            2..=25 | 63 => true,
            26..=51 | 80..=99 => clean_guid_template(v),
            52 => v.len() == 4 && v.iter().all(u8::is_ascii_digit),
            53 => {
                self.currency = currency::by_numeric_bytes(v);
                self.currency.is_some()
            }
            54 => {
                self.amount = v;
                v.len() <= 13 && is_amount_bytes(v)
            }
            55 => {
                self.tip = v;
                matches!(v, b"01" | b"02" | b"03")
            }
            56 => v.len() <= 13 && is_amount_bytes(v),
            57 => core::str::from_utf8(v).is_ok_and(is_percentage),
            58 => matches!(v, [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase()),
            59 => v.len() <= 25,
            60 => v.len() <= 15,
            61 => v.len() <= 10,
            62 => clean_additional_data(v),
            64 => clean_language(v),
            // Reserved IDs: the general checks.
            _ => false,
        };
        if !ok {
            self.flag(id);
        }
    }

    /// Root object `id` is to be checked by [`root_object`].
    #[cold]
    fn flag(&mut self, id: u8) {
        self.dirty |= 1u128 << (id % 128);
    }

    /// [`Clean::object`] for a payload that is not all in 0x20–0x7E: a value outside the
    /// common set is clean only in the alternate-language fields (64/01, 64/02), which the
    /// caller reads with [`language_text`].
    #[inline]
    pub(super) fn text_object(&mut self, id: u8, v: &'a str) {
        if is_ans(v) {
            self.object(id, v.as_bytes());
        } else {
            self.flag(id);
        }
    }

    /// The language template (64) of a payload that is not all in 0x20–0x7E, found clean or
    /// not by [`language_text`].
    pub(super) fn language(&mut self, clean: bool) {
        if !clean {
            self.flag(64);
        }
    }

    /// After the last object of a regular root: what is left to check, and the objects that
    /// [`root_object`] must look at. `present` has bit `id` set for each root ID present.
    #[inline(always)]
    pub(super) fn finish(&self, present: u128) -> (Fast, u128) {
        const ACCOUNTS: u128 = ((1u128 << 52) - 1) & !3;
        const REQUIRED: u128 = 1 | 1 << 52 | 1 << 53 | 1 << 58 | 1 << 59 | 1 << 60;
        // What `mandatory` and `fees` report on.
        let mut left = present & REQUIRED != REQUIRED || present & ACCOUNTS == 0;
        left |= self.dynamic && present & 1 << 54 == 0;
        // 56 goes with indicator 02 and 57 with 03, each both ways (see `fees`).
        let (fixed, percent) = (present & 1 << 56 != 0, present & 1 << 57 != 0);
        left |= (self.tip == b"02") != fixed || (self.tip == b"03") != percent;
        // A fraction should have the currency's number of decimals (see `root_object`).
        let a = self.amount;
        let decimals = a
            .iter()
            .position(|&c| c == b'.')
            .map_or(0, |p| a.len() - p - 1);
        let decimals = match self.currency.and_then(|c| c.exponent) {
            Some(exp) => decimals != 0 && decimals != usize::from(exp),
            None => false,
        };
        let dirty = self.dirty | u128::from(decimals) << 54;
        if left || dirty != 0 {
            (Fast::Rules, dirty)
        } else {
            (Fast::Clean, 0)
        }
    }
}

/// Walks the sub-objects of a template value in an all-ANS payload, calling `each` with every
/// `(id, value)`; false when the value is empty, does not walk to its end, repeats an ID, has
/// a zero length or a sub-ID above 63, or `each` says false. (Sub-IDs above 63 are rare; the
/// general checks read them, and one word of presence bits costs less than two.)
#[inline(always)]
fn clean_template(v: &[u8], mut each: impl FnMut(u8, &[u8]) -> bool) -> bool {
    if v.is_empty() {
        return false;
    }
    let mut seen = 0u64;
    let mut rest = v;
    while !rest.is_empty() {
        let Some((id, value, next)) = split_ascii(rest) else {
            return false;
        };
        let bit = 1u64 << (id & 63);
        if id >= 64 || seen & bit != 0 || value.is_empty() || !each(id, value) {
            return false;
        }
        seen |= bit;
        rest = next;
    }
    true
}

/// A template that must carry a GUID of at most 32 characters, with nothing to report.
#[inline]
fn clean_guid_template(v: &[u8]) -> bool {
    let mut guid = false;
    clean_template(v, |id, value| {
        if id == 0 {
            guid = true;
            value.len() <= 32
        } else {
            true
        }
    }) && guid
}

/// The additional data template (62), with nothing to report.
fn clean_additional_data(v: &[u8]) -> bool {
    clean_template(v, |id, value| match id {
        1..=8 => value.len() <= 25,
        9 => ConsumerDataRequest::from_bytes(value).is_some(),
        10 => value.len() <= 20,
        11 => MerchantChannel::from_bytes(value).is_some(),
        50..=99 => clean_guid_template(value),
        // 00 and 12–49 are reserved.
        _ => false,
    })
}

/// The language template (64) with nothing to report: 00 and 01 present, no other ID.
fn clean_language(v: &[u8]) -> bool {
    let mut has = [false; 2];
    clean_template(v, |id, value| {
        if let Some(h) = has.get_mut(usize::from(id)) {
            *h = true;
        }
        clean_language_sub(id, || value, value.len())
    }) && has == [true, true]
}

/// Sub-object `id` of the language template, of `chars` characters, with nothing to report:
/// 00 two letters (its bytes read only then), 01 at most 25 characters, 02 at most 15, no
/// other ID.
#[inline(always)]
fn clean_language_sub<'v>(id: u8, value: impl FnOnce() -> &'v [u8], chars: usize) -> bool {
    match id {
        0 => matches!(value(), [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic()),
        1 => chars <= 25,
        2 => chars <= 15,
        _ => false,
    }
}

/// [`clean_language`] for a payload that is not all in 0x20–0x7E, read in place: the
/// template's sub-objects from byte `start` of `text` for `chars` characters (lengths count
/// characters, and only 01 and 02 may hold characters outside the common set). The byte where
/// the template ends and whether it has nothing to report; `None` when its sub-objects do not
/// walk to exactly `chars` characters (the template is then to be reported). Reading the
/// template once gives both its end and its rules: the root walk need not step over its
/// characters first.
pub(super) fn language_text(text: &str, start: usize, chars: usize) -> Option<(usize, bool)> {
    let b = text.as_bytes();
    // Bit `id` set: sub-object 00, 01 or 02 seen (no other may appear).
    let mut seen = 0u8;
    let mut clean = true;
    let (mut pos, mut left) = (start, chars);
    while left != 0 {
        let (id, len) = ascii_header(b.get(pos..)?)?;
        left = left.checked_sub(4 + len)?;
        // The header is ASCII, so its end is a character boundary.
        let value = pos + 4;
        // An ASCII value ends `len` bytes on whatever its bytes are: with the test predicted,
        // the next header is read without waiting for this value's bytes, which stepping
        // over them (`advance_in`) would make it do.
        let end = match b.get(value..value + len) {
            Some(v) if v.is_ascii() => value + len,
            _ => super::advance_in(text, value, len)?,
        };
        let bit = 1u8 << id.min(7);
        clean &= seen & bit == 0
            && len != 0
            && clean_language_sub(id, || b.get(value..end).unwrap_or_default(), len);
        seen |= bit;
        pos = end;
    }
    Some((pos, clean && seen & 3 == 3))
}

/// 00 first, 63 last, no duplicates, no zero lengths: a walk of the root in payload order,
/// only for payloads that [`super::parse`] found irregular.
#[cold]
fn root_order(m: &Mpm<'_>, report: &mut Report) {
    let mut seen = 0u128;
    let mut first = true;
    let mut crc_at = None;
    for e in m.elements().map_while(Result::ok) {
        let bit = 1u128 << (e.id % 100);
        if seen & bit != 0 {
            report.push(
                Code::TagDuplicate,
                Class::Deviation,
                Path::id(e.id),
                e.offset,
                Detail::FirstAt(m.offset_of(e.id).unwrap_or(0) as u32),
            );
        }
        seen |= bit;
        if first && e.id != 0 && m.get(0).is_some() {
            report.push(
                Code::TagOrder,
                Class::Deviation,
                Path::id(0),
                m.offset_of(0).unwrap_or(0),
                Detail::Text("ID 00 must be the first data object"),
            );
        }
        first = false;
        if e.id == 63 {
            crc_at = Some(e.offset);
        } else if let Some(at) = crc_at.take() {
            report.push(
                Code::TagOrder,
                Class::Deviation,
                Path::id(63),
                at,
                Detail::Text("ID 63 must be the last data object"),
            );
        }
        if e.len == 0 {
            report.push(
                Code::TlvZeroLength,
                Class::Deviation,
                Path::id(e.id),
                e.offset,
                Detail::Expected("a length from 01 to 99"),
            );
        }
    }
}

/// Adds the issues a CRC check implies.
pub(crate) fn crc_rules(chars: usize, check: CrcCheck, report: &mut Report) {
    let at = chars.saturating_sub(4);
    match check {
        CrcCheck::Ok { lowercase: false } => {}
        CrcCheck::Ok { lowercase: true } => report.push(
            Code::CrcLowercase,
            Class::Deviation,
            Path::id(63),
            at,
            Detail::Expected("upper-case hex digits"),
        ),
        CrcCheck::Mismatch { stated, computed } => report.push(
            Code::CrcMismatch,
            Class::Fatal,
            Path::id(63),
            at,
            Detail::Crc { stated, computed },
        ),
        CrcCheck::Missing => report.push(
            Code::CrcMissing,
            Class::Fatal,
            Path::id(63),
            chars,
            Detail::None,
        ),
    }
}

/// True when every byte of `s` is in 0x20–0x7E, eight bytes at a time.
#[inline]
fn is_ans(s: &str) -> bool {
    is_ans_bytes(s.as_bytes())
}

/// [`is_ans`] over bytes: 16 bytes or more by the block test that classifies payloads
/// ([`super::all_common`]), fewer by two overlapping words.
#[inline]
fn is_ans_bytes(b: &[u8]) -> bool {
    use super::{outside_unmasked as bad, HIGH};
    if b.len() >= 16 {
        return super::all_common(b);
    }
    if let (Some(head), Some(tail)) = (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        // 8 to 15 bytes.
        let acc = bad(u64::from_le_bytes(*head)) | bad(u64::from_le_bytes(*tail));
        return acc & HIGH == 0;
    }
    if let (Some(head), Some(tail)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        // 4 to 7 bytes.
        const ONES32: u32 = 0x0101_0101;
        let bad32 = |x: u32| (x.wrapping_sub(ONES32 * 0x20) & !x) | (x.wrapping_add(ONES32) | x);
        let acc = bad32(u32::from_le_bytes(*head)) | bad32(u32::from_le_bytes(*tail));
        return acc & (ONES32 * 0x80) == 0;
    }
    b.iter().all(|&c| (0x20..=0x7E).contains(&c))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a value's length (in characters) and that it is in `ans` (when `ans`). `path` is
/// built only when there is something to report.
#[inline(always)]
fn text_field(
    report: &mut Report,
    path: impl Fn() -> Path,
    offset: usize,
    v: &str,
    max: u32,
    ans: bool,
) -> bool {
    // ANS text is ASCII: its length in characters is its length in bytes.
    if v.len() <= max as usize && is_ans(v) {
        return true;
    }
    text_field_slow(report, path(), offset, v, max, ans)
}

#[cold]
#[inline(never)]
fn text_field_slow(
    report: &mut Report,
    path: Path,
    offset: usize,
    v: &str,
    max: u32,
    ans: bool,
) -> bool {
    let is_ans_text = is_ans(v);
    let n = if is_ans_text {
        v.len()
    } else {
        v.chars().count()
    } as u32;
    let mut ok = true;
    if n > max {
        ok = false;
        report.push(
            Code::FieldLength,
            Class::Deviation,
            path,
            offset,
            Detail::Length {
                min: 1,
                max,
                found: n,
            },
        );
    }
    if ans && !is_ans_text {
        ok = false;
        report.push(
            Code::FieldFormat,
            Class::Deviation,
            path,
            offset,
            Detail::Expected("characters of the EMV common character set (0x20-0x7E)"),
        );
    }
    ok
}

/// A fixed number of digits.
#[inline(always)]
fn digits_field(
    report: &mut Report,
    path: impl Fn() -> Path,
    offset: usize,
    v: &str,
    len: u32,
) -> bool {
    if v.len() == len as usize && is_digits(v) {
        return true;
    }
    digits_field_slow(report, path(), offset, v, len)
}

#[cold]
#[inline(never)]
fn digits_field_slow(report: &mut Report, path: Path, offset: usize, v: &str, len: u32) -> bool {
    if !is_digits(v) {
        report.push(
            Code::FieldFormat,
            Class::Deviation,
            path,
            offset,
            Detail::Expected("digits"),
        );
        false
    } else if v.len() as u32 != len {
        report.push(
            Code::FieldLength,
            Class::Deviation,
            path,
            offset,
            Detail::Length {
                min: len,
                max: len,
                found: v.len() as u32,
            },
        );
        false
    } else {
        true
    }
}

#[inline]
fn amount_field(
    report: &mut Report,
    path: impl Fn() -> Path + Copy,
    offset: usize,
    v: &str,
) -> bool {
    let len_ok = text_field(report, path, offset, v, 13, false);
    if !is_amount(v) {
        report.push(
            Code::AmountInvalid,
            Class::Deviation,
            path(),
            offset,
            Detail::Expected("a non-zero decimal such as 98.73 (digits, one optional '.')"),
        );
        return false;
    }
    len_ok
}

/// Walks a template's sub-objects: structure, duplicates, zero lengths. Returns `None` when
/// the template does not walk, else its GUID (sub-ID 00) if it has one.
#[inline(always)]
fn template_structure<'a>(
    report: &mut Report,
    path: impl Fn() -> Path,
    t: &Element<'a>,
    ascii: bool,
) -> Option<Option<Element<'a>>> {
    // In a payload that is not all ASCII, most templates still are.
    if ascii || t.value.is_ascii() {
        if let Some(guid) = clean_ascii_template(t) {
            return Some(guid);
        }
    }
    template_structure_slow(report, path(), t, ascii)
}

/// For a template of an ASCII payload that reads to its end with no repeated ID and no zero
/// length (so [`template_structure_slow`] would report nothing): its GUID, if any.
#[inline]
fn clean_ascii_template<'a>(t: &Element<'a>) -> Option<Option<Element<'a>>> {
    let v = t.value.as_bytes();
    if v.is_empty() {
        return None;
    }
    let mut seen = 0u128;
    let mut pos = 0;
    let mut guid = None;
    while let Some(rest) = v.get(pos..).filter(|r| !r.is_empty()) {
        let (id, len) = ascii_header(rest)?;
        let bit = 1u128 << id;
        if seen & bit != 0 || len == 0 {
            return None;
        }
        seen |= bit;
        if id == 0 {
            guid = Some(Element {
                id,
                value: t.value.get(pos + 4..pos + 4 + len)?,
                offset: t.value_offset() + pos,
                len,
            });
        }
        pos += 4 + len;
    }
    Some(guid)
}

#[cold]
#[inline(never)]
fn template_structure_slow<'a>(
    report: &mut Report,
    path: Path,
    t: &Element<'a>,
    ascii: bool,
) -> Option<Option<Element<'a>>> {
    let mut seen = 0u128;
    let mut any = false;
    let mut guid = None;
    for r in kids(t, ascii) {
        match r {
            Ok(c) => {
                any = true;
                if c.id == 0 && guid.is_none() {
                    guid = Some(c);
                }
                let bit = 1u128 << c.id;
                if seen & bit != 0 {
                    report.push(
                        Code::TagDuplicate,
                        Class::Deviation,
                        path.child(Seg::Id(c.id)),
                        c.offset,
                        Detail::FirstAt(first_offset(t, c.id)),
                    );
                }
                seen |= bit;
                if c.len == 0 {
                    report.push(
                        Code::TlvZeroLength,
                        Class::Deviation,
                        path.child(Seg::Id(c.id)),
                        c.offset,
                        Detail::Expected("a length from 01 to 99"),
                    );
                }
            }
            Err(e) => {
                let (code, detail) = match e.kind {
                    TlvErrorKind::Header => (Code::TlvHeader, Detail::None),
                    TlvErrorKind::Truncated {
                        declared,
                        remaining,
                    } => (
                        Code::TlvTruncated,
                        Detail::Truncated {
                            declared: declared as u32,
                            remaining: remaining as u32,
                        },
                    ),
                };
                let p = match e.id {
                    Some(id) if code == Code::TlvTruncated => path.child(Seg::Id(id)),
                    _ => path,
                };
                report.push(code, Class::Deviation, p, e.offset, detail);
                return None;
            }
        }
    }
    if !any {
        report.push(
            Code::TemplateEmpty,
            Class::Deviation,
            path,
            t.value_offset(),
            Detail::None,
        );
    }
    Some(guid)
}

/// The sub-objects of template `t`; `ascii` when the whole payload is known to be ASCII.
#[inline]
fn kids<'a>(t: &Element<'a>, ascii: bool) -> Walker<'a> {
    Walker::at_known(t.value, t.value_offset(), ascii)
}

/// The sub-objects of a template that walks (the first error ends the walk).
struct Kids<'a>(Walker<'a>);

impl<'a> Iterator for Kids<'a> {
    type Item = Element<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Element<'a>> {
        self.0.next()?.ok()
    }
}

/// Character offset of the first sub-object `id` of template `t` (for duplicates).
#[cold]
fn first_offset(t: &Element<'_>, id: u8) -> u32 {
    t.children()
        .map_while(Result::ok)
        .find(|c| c.id == id)
        .map_or(0, |c| c.offset as u32)
}

/// A template that must carry a GUID (26–51, 62/50–99, 80–99).
#[inline]
fn guid_template(
    report: &mut Report,
    path: impl Fn() -> Path + Copy,
    t: &Element<'_>,
    ascii: bool,
) {
    let Some(guid) = template_structure(report, path, t, ascii) else {
        return;
    };
    match guid {
        None => report.push(
            Code::TemplateGuidMissing,
            Class::Deviation,
            path(),
            t.offset,
            Detail::None,
        ),
        Some(g) => {
            let p = move || path().child(Seg::Id(0));
            text_field(report, p, g.offset, g.value, 32, true);
        }
    }
}

fn root_object(m: &Mpm<'_>, e: &Element<'_>, report: &mut Report) {
    let path = || Path::id(e.id);
    let ascii = m.is_ascii();
    let (v, at) = (e.value, e.offset);
    match e.id {
        0 => {
            if v != "01" {
                report.push(
                    Code::PfiUnknown,
                    Class::Deviation,
                    path(),
                    at,
                    Detail::Expected("01"),
                );
            }
        }
        1 => {
            if digits_field(report, path, at, v, 2) && v != "11" && v != "12" {
                report.push(
                    Code::FieldValue,
                    Class::Deviation,
                    path(),
                    at,
                    Detail::Expected("11 (static) or 12 (dynamic)"),
                );
            }
        }
        2..=25 => {
            text_field(report, path, at, v, 99, true);
        }
        26..=51 | 80..=99 => guid_template(report, path, e, ascii),
        52 => {
            digits_field(report, path, at, v, 4);
        }
        53 => {
            if digits_field(report, path, at, v, 3) && currency::by_numeric(v).is_none() {
                report.push(
                    Code::CurrencyUnknown,
                    Class::Deviation,
                    path(),
                    at,
                    Detail::Expected("an ISO 4217 numeric code"),
                );
            }
        }
        54 => {
            if amount_field(report, path, at, v) {
                let exp = m.currency().and_then(|c| c.exponent);
                let dec = super::Amount::new(v).decimals();
                // Whole amounts ("98", "98.") are canonical enough; a fraction should have
                // the currency's number of decimals ("100.5" for USD is legal, not canonical).
                if let Some(exp) = exp {
                    if dec > 0 && dec != usize::from(exp) {
                        report.push(
                            Code::AmountDecimals,
                            Class::Advice,
                            path(),
                            at,
                            Detail::Decimals {
                                found: dec.min(255) as u8,
                                exponent: exp,
                            },
                        );
                    }
                }
            }
        }
        55 => {
            if digits_field(report, path, at, v, 2) && !matches!(v, "01" | "02" | "03") {
                report.push(
                    Code::FieldValue,
                    Class::Deviation,
                    path(),
                    at,
                    Detail::Expected("01, 02 or 03"),
                );
            }
        }
        56 => {
            amount_field(report, path, at, v);
        }
        57 => percentage(report, path(), at, v),
        58 => {
            let b = v.as_bytes();
            if b.len() != 2 {
                report.push(
                    Code::FieldLength,
                    Class::Deviation,
                    path(),
                    at,
                    Detail::Length {
                        min: 2,
                        max: 2,
                        found: v.chars().count() as u32,
                    },
                );
            } else if !b.iter().all(u8::is_ascii_uppercase) {
                report.push(
                    Code::FieldFormat,
                    Class::Deviation,
                    path(),
                    at,
                    Detail::Expected("an ISO 3166-1 alpha-2 code in upper case"),
                );
            }
        }
        59 => {
            text_field(report, path, at, v, 25, true);
        }
        60 => {
            text_field(report, path, at, v, 15, true);
        }
        61 => {
            text_field(report, path, at, v, 10, true);
        }
        62 => additional_data(report, path, e, ascii),
        63 => {}
        64 => language(report, path(), e, ascii),
        _ => report.push(
            Code::TagRfu,
            Class::Deviation,
            path(),
            at,
            Detail::Text("IDs 65-79 are reserved for EMVCo; readers ignore them"),
        ),
    }
}

/// "00.01" to "99.99": digits with an optional '.', at most 5 characters, not all zero.
fn is_percentage(v: &str) -> bool {
    v.len() <= 5 && {
        let (int, frac) = v.split_once('.').unwrap_or((v, ""));
        let digits_ok = !int.is_empty()
            && int.len() <= 2
            && frac.len() <= 2
            && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit());
        digits_ok && v.bytes().any(|b| (b'1'..=b'9').contains(&b))
    }
}

fn percentage(report: &mut Report, path: Path, at: usize, v: &str) {
    if !is_percentage(v) {
        report.push(
            Code::AmountInvalid,
            Class::Deviation,
            path,
            at,
            Detail::Expected("a percentage from 00.01 to 99.99 without '%'"),
        );
    }
}

fn additional_data(
    report: &mut Report,
    path: impl Fn() -> Path + Copy,
    e: &Element<'_>,
    ascii: bool,
) {
    if template_structure(report, path, e, ascii).is_none() {
        return;
    }
    for c in Kids(kids(e, ascii)) {
        let p = move || path().child(Seg::Id(c.id));
        let (v, at) = (c.value, c.offset);
        match c.id {
            0 => report.push(
                Code::TagRfu,
                Class::Deviation,
                p(),
                at,
                Detail::Text("62 has no sub-ID 00"),
            ),
            1..=8 => {
                text_field(report, p, at, v, 25, true);
            }
            9 => {
                if ConsumerDataRequest::parse(v).is_none() {
                    report.push(
                        Code::FieldValue,
                        Class::Deviation,
                        p(),
                        at,
                        Detail::Expected("A, M and E, each at most once"),
                    );
                }
            }
            10 => {
                text_field(report, p, at, v, 20, true);
            }
            11 => {
                if MerchantChannel::parse(v).is_none() {
                    report.push(
                        Code::FieldValue,
                        Class::Deviation,
                        p(),
                        at,
                        Detail::Expected("3 characters: media 0-7, location 0-3, presence 0-3"),
                    );
                }
            }
            12..=49 => report.push(
                Code::TagRfu,
                Class::Deviation,
                p(),
                at,
                Detail::Text("62/12-49 are reserved for EMVCo"),
            ),
            _ => guid_template(report, p, &c, ascii),
        }
    }
}

fn language(report: &mut Report, path: Path, e: &Element<'_>, ascii: bool) {
    if template_structure(report, || path, e, ascii).is_none() {
        return;
    }
    let mut has = [false; 2];
    for c in Kids(kids(e, ascii)) {
        let p = path.child(Seg::Id(c.id));
        match c.id {
            0 => {
                has[0] = true;
                if c.value.len() != 2 || !c.value.bytes().all(|b| b.is_ascii_alphabetic()) {
                    report.push(
                        Code::FieldFormat,
                        Class::Deviation,
                        p,
                        c.offset,
                        Detail::Expected("an ISO 639 alpha-2 language code"),
                    );
                }
            }
            1 => {
                has[1] = true;
                text_field(report, || p, c.offset, c.value, 25, false);
            }
            2 => {
                text_field(report, || p, c.offset, c.value, 15, false);
            }
            _ => report.push(
                Code::TagRfu,
                Class::Deviation,
                p,
                c.offset,
                Detail::Text("64/03-99 are reserved for EMVCo"),
            ),
        }
    }
    for (i, name) in [
        (0u8, "64.00 language preference"),
        (1, "64.01 alternate merchant name"),
    ] {
        if !has.get(usize::from(i)).copied().unwrap_or(false) {
            report.push(
                Code::FieldMissing,
                Class::Deviation,
                path.child(Seg::Id(i)),
                e.offset,
                Detail::Missing(name),
            );
        }
    }
}

fn mandatory(m: &Mpm<'_>, end: usize, report: &mut Report) {
    const ACCOUNTS: u128 = ((1u128 << 52) - 1) & !3;
    const REQUIRED: u128 = 1 | 1 << 52 | 1 << 53 | 1 << 58 | 1 << 59 | 1 << 60;
    let bits = m.present_bits();
    // Everything mandatory is present and the code is not dynamic without an amount: the
    // common case, decided from the presence bits alone.
    if bits & REQUIRED == REQUIRED
        && bits & ACCOUNTS != 0
        && (bits & 1 << 54 != 0 || m.get(1) != Some("12"))
    {
        return;
    }
    // Indexed objects always read back, so presence is the bit.
    if bits & 1 == 0 {
        report.push(
            Code::FieldMissing,
            Class::Deviation,
            Path::id(0),
            0,
            Detail::Missing("00 payload format indicator"),
        );
    }
    if bits & ACCOUNTS == 0 {
        report.push(
            Code::AccountMissing,
            Class::Deviation,
            Path::one(Seg::Range(2, 51)),
            0,
            Detail::None,
        );
    }
    for (id, name) in [
        (52u8, "52 merchant category code"),
        (53, "53 transaction currency"),
        (58, "58 country code"),
        (59, "59 merchant name"),
        (60, "60 merchant city"),
    ] {
        if bits & 1 << id == 0 {
            report.push(
                Code::FieldMissing,
                Class::Deviation,
                Path::id(id),
                end,
                Detail::Missing(name),
            );
        }
    }
    if bits & 1 << 54 == 0 && matches!(m.initiation(), Some(super::Initiation::Dynamic)) {
        report.push(
            Code::InitiationInconsistent,
            Class::Advice,
            Path::id(1),
            m.offset_of(1).unwrap_or(0),
            Detail::Text("a dynamic code (12) without an amount (54)"),
        );
    }
}

/// 55 decides whether 56 or 57 may appear (MPM §4.7.6–4.7.8).
fn fees(m: &Mpm<'_>, report: &mut Report) {
    if m.present_bits() & (1 << 55 | 1 << 56 | 1 << 57) == 0 {
        return;
    }
    let ind = m.get(55);
    let at = |id| m.offset_of(id).unwrap_or(0);
    let mut bad = |id: u8, why: &'static str| {
        report.push(
            Code::FeeInconsistent,
            Class::Deviation,
            Path::id(id),
            at(id),
            Detail::Text(why),
        );
    };
    match ind {
        Some("02") if m.get(56).is_none() => bad(55, "indicator 02 needs a fixed fee in 56"),
        Some("03") if m.get(57).is_none() => bad(55, "indicator 03 needs a percentage in 57"),
        _ => {}
    }
    if m.get(56).is_some() && ind != Some("02") {
        bad(56, "a fixed fee (56) needs indicator 02 in 55");
    }
    if m.get(57).is_some() && ind != Some("03") {
        bad(57, "a percentage fee (57) needs indicator 03 in 55");
    }
}

/// Reports a root structure that does not walk, and what the CRC says, for payloads that
/// [`super::parse`] rejects.
pub(crate) fn broken(text: &str, report: &mut Report) {
    if let Some(Err(e)) = Walker::new(text).find(|r| r.is_err()) {
        match e.kind {
            TlvErrorKind::Header => report.push(
                Code::TlvHeader,
                Class::Fatal,
                Path::ROOT,
                e.offset,
                Detail::None,
            ),
            TlvErrorKind::Truncated {
                declared,
                remaining,
            } => report.push(
                Code::TlvTruncated,
                Class::Fatal,
                e.id.map_or(Path::ROOT, Path::id),
                e.offset,
                Detail::Truncated {
                    declared: declared as u32,
                    remaining: remaining as u32,
                },
            ),
        }
    }
    crc_rules(text.chars().count(), crc::check(text), report);
}

#[cfg(test)]
mod tests {
    use super::is_ans;
    use crate::mpm::{parse, Mpm};
    use crate::{Mode, Report};
    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;

    /// The issues of `m` in strict mode: code, class, path, offset and detail, in order.
    fn issues(m: &Mpm<'_>) -> Vec<String> {
        let mut r = Report::new(Mode::Strict);
        super::validate(m, &mut r);
        r.issues()
            .iter()
            .map(|i| {
                alloc::format!(
                    "{:?} {:?} {} {} {:?}",
                    i.code,
                    i.class,
                    i.path,
                    i.offset,
                    i.detail
                )
            })
            .collect()
    }

    /// `m` with the fast path turned off: the general checks alone.
    fn general(m: &Mpm<'_>) -> Vec<String> {
        let mut g = m.clone();
        g.fast = super::Fast::General;
        g.chars = 0;
        issues(&g)
    }

    fn corpus() -> Vec<String> {
        include_str!("../../spec/corpus/payloads.jsonl")
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["payload"].as_str().map(String::from))
            .collect()
    }

    #[test]
    fn fast_path_reports_what_the_general_checks_report() {
        let mut fast = 0;
        let mut fast_utf8 = 0;
        let mut mutated = 0;
        for p in corpus() {
            let Ok(m) = parse(&p) else { continue };
            assert_eq!(issues(&m), general(&m), "{p}");
            if m.fast() == super::Fast::General {
                continue;
            }
            fast += 1;
            if !p.is_ascii() {
                fast_utf8 += 1;
                // Each character replaced by one of another width: lengths still count
                // characters, so the structure stays and only the rules can change.
                let chars: Vec<char> = p.chars().collect();
                for i in 0..chars.len() {
                    for c in ['最', 'é', 'A', '\u{7f}'] {
                        let mut e = chars.clone();
                        e[i] = c;
                        let e: String = e.into_iter().collect();
                        let Ok(m) = parse(&e) else { continue };
                        assert_eq!(issues(&m), general(&m), "{e}");
                        mutated += 1;
                    }
                }
            }
            // Every one-byte edit of a payload the fast path accepts: the edits that break a
            // rule must leave the fast path and be reported exactly as the general checks do.
            let b = p.as_bytes();
            for i in 0..b.len() {
                for c in [b'0', b'9', b'.', b'A', b'a', b' ', b'~'] {
                    let mut e = b.to_vec();
                    e[i] = c;
                    let Ok(e) = String::from_utf8(e) else {
                        continue;
                    };
                    let Ok(m) = parse(&e) else { continue };
                    assert_eq!(issues(&m), general(&m), "{e}");
                    mutated += 1;
                }
            }
        }
        // The corpus is mostly clean payloads: the fast path must be what reads them.
        assert!(fast > 100, "{fast}");
        assert!(fast_utf8 >= 3, "{fast_utf8}");
        assert!(mutated > 100_000, "{mutated}");
    }

    #[test]
    fn template_sub_ids_above_63_read_as_the_general_checks_read_them() {
        // Merchant-account and additional-data templates with sub-IDs 64-99: the fast rules
        // leave them to the general checks, which must find what they always found.
        for (id, value) in [
            (29, "0012A000000677017002XY"),
            (29, "0012A00000067701990512345"),
            (29, "0012A000000677016400"),
            (62, "07021T8004ABCD"),
            (62, "0702T16410001234567890"),
        ] {
            let body = alloc::format!(
                "000201010211{id:02}{:02}{value}5204581253037645802TH5904SHOP6007BANGKOK6304",
                value.len()
            );
            let p = alloc::format!("{body}{:04X}", crate::crc::crc16(body.as_bytes()));
            let m = parse(&p).unwrap();
            // Regular roots: the fast path reads them, flagging the template.
            assert_eq!(m.fast(), super::Fast::Rules, "{p}");
            assert_eq!(issues(&m), general(&m), "{p}");
        }
    }

    /// Values around every limit the rules have (lengths 13, 15, 20, 25, 32...), and the
    /// shapes of the coded fields.
    fn probes() -> Vec<String> {
        let mut v: Vec<String> = [
            "01", "02", "03", "11", "12", "00", "1", "1.5", "100.00", "100.5", "0.00", "5.", "ZH",
            "zh", "Z1", "A", "AME", "AA", "123", "764", "999", "0000", "00.01", "99.99", "100",
            "1.234", "TH", "th",
        ]
        .iter()
        .map(|s| String::from(*s))
        .collect();
        for n in [
            4, 9, 10, 11, 12, 13, 14, 15, 16, 19, 20, 21, 24, 25, 26, 31, 32, 33, 99,
        ] {
            v.push("A".repeat(n));
            v.push("7".repeat(n));
        }
        // Characters outside the common set, where lengths count characters, not bytes.
        for n in [1, 2, 14, 15, 16, 24, 25, 26] {
            v.push("最".repeat(n));
            v.push(alloc::format!("é{}", "A".repeat(n - 1)));
        }
        v.push(String::from("\u{1f}A"));
        v
    }

    fn tlv(items: &[(u8, String)]) -> String {
        items
            .iter()
            .map(|(id, v)| alloc::format!("{id:02}{:02}{v}", v.chars().count()))
            .collect()
    }

    /// A Thai payload (mandatory objects, a GUID template) with language template `lang`
    /// and its CRC.
    fn with_language(lang: &str) -> String {
        let root: Vec<(u8, String)> = [
            (0, "01"),
            (1, "11"),
            (29, "0012A00000067701"),
            (52, "5812"),
            (53, "764"),
            (58, "TH"),
            (59, "SHOP"),
            (60, "BANGKOK"),
            (64, lang),
        ]
        .iter()
        .map(|(id, v)| (*id, String::from(*v)))
        .collect();
        let body = alloc::format!("{}6304", tlv(&root));
        alloc::format!("{body}{:04X}", crate::crc::crc16(body.as_bytes()))
    }

    #[test]
    fn fast_path_agrees_on_language_templates() {
        let mut fast = 0;
        // Templates 64 with names outside the common set, well formed and not: duplicates,
        // other IDs, zero lengths, a language that is not two letters, limits.
        let subs: Vec<(u8, String)> = [
            (0, "ZH"),
            (0, "Z1"),
            (0, "ZHO"),
            (1, "最佳运输"),
            (1, "最"),
            (2, "北京"),
            (3, "北"),
            (1, ""),
        ]
        .iter()
        .map(|(id, v)| (*id, String::from(*v)))
        .chain([
            (1, "é".repeat(25)),
            (1, "é".repeat(26)),
            (2, "京".repeat(15)),
            (2, "京".repeat(16)),
        ])
        .collect();
        let mut checked = 0;
        for a in 0..subs.len() {
            for b in 0..subs.len() {
                for c in 0..=subs.len() {
                    let mut t = alloc::vec![subs[a].clone(), subs[b].clone()];
                    if c < subs.len() {
                        t.push(subs[c].clone());
                    }
                    let lang = tlv(&t);
                    if lang.chars().count() > 99 {
                        continue;
                    }
                    let p = with_language(&lang);
                    let m = parse(&p).unwrap();
                    assert_eq!(issues(&m), general(&m), "{p}");
                    checked += 1;
                    // The language template decided by the fast check, not handed on.
                    if m.fast() != super::Fast::General && m.dirty() & 1 << 64 == 0 {
                        fast += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
        assert!(
            fast >= 30,
            "{fast} of {checked} templates decided by the fast check"
        );
    }

    #[test]
    fn language_template_read_in_place() {
        // Each template sits inside a payload that goes on after it, so a sub-object that
        // overruns the template would find characters to read.
        let cases = [
            ("0002ZH0104最佳运输0202北京", Some(true)),
            ("0002ZH0104最佳运输", Some(true)),
            ("0104最佳运输0002ZH", Some(true)),
            ("0002Z10104最佳运输", Some(false)),
            ("0104最佳运输", Some(false)),
            ("0002ZH0104最佳运输0304北京北京", Some(false)),
            ("0002ZH0104最佳运输0104最佳运输", Some(false)),
            // 01 declares two characters of four; the rest is no header.
            ("0002ZH0102最佳运输", None),
            // 01 declares more characters than the template holds.
            ("0002ZH0110最佳运输", None),
            ("0002ZH01", None),
        ];
        for (lang, want) in cases {
            let chars = lang.chars().count();
            let text = alloc::format!("64{chars:02}{lang}5303764");
            let got = super::language_text(&text, 4, chars);
            assert_eq!(got.map(|(_, clean)| clean), want, "{lang}");
            if let Some((end, _)) = got {
                assert_eq!(end, 4 + lang.len(), "{lang}");
            }
            // In a whole payload: a template found clean is not flagged, any other is, and
            // either way validation reports what the general checks report.
            let p = with_language(lang);
            let m = parse(&p).unwrap();
            assert_ne!(m.fast(), super::Fast::General, "{p}");
            assert_eq!(m.dirty() & 1 << 64 == 0, want == Some(true), "{p}");
            assert_eq!(issues(&m), general(&m), "{p}");
        }
    }

    #[test]
    fn fast_path_agrees_on_rewritten_fields() {
        let mut checked = 0;
        for p in corpus() {
            let Ok(m) = parse(&p) else { continue };
            if m.fast() == super::Fast::General {
                continue;
            }
            let root: Vec<(u8, String)> = m
                .elements()
                .map(|e| e.map(|e| (e.id, String::from(e.value))))
                .collect::<Result<_, _>>()
                .unwrap();
            let mut check = |items: &[(u8, String)]| {
                let t = tlv(items);
                if t.chars().count() > 512 {
                    return;
                }
                // A template grown past 99 characters no longer walks: nothing to compare.
                let Ok(m) = parse(&t) else { return };
                assert_eq!(issues(&m), general(&m), "{t}");
                checked += 1;
            };
            for (i, (id, value)) in root.iter().enumerate() {
                // Each root value replaced by each probe.
                for probe in probes() {
                    let mut r = root.clone();
                    r[i].1 = probe;
                    check(&r);
                }
                // Each sub-object of a template replaced by each probe, removed, or joined by
                // a new sub-object.
                let Ok(subs) = crate::tlv::Walker::new(value)
                    .map(|e| e.map(|e| (e.id, String::from(e.value))))
                    .collect::<Result<Vec<_>, _>>()
                else {
                    continue;
                };
                if !matches!(id, 26..=51 | 62 | 64 | 80..=99) {
                    continue;
                }
                for j in 0..subs.len() {
                    for probe in probes() {
                        let mut s = subs.clone();
                        s[j].1 = probe;
                        let mut r = root.clone();
                        r[i].1 = tlv(&s);
                        check(&r);
                    }
                    let mut s = subs.clone();
                    s.remove(j);
                    let mut r = root.clone();
                    r[i].1 = tlv(&s);
                    check(&r);
                }
                for extra in [0u8, 1, 2, 3, 9, 10, 11, 12, 49, 50, 99] {
                    for n in [14, 16, 20, 21, 25, 26, 32, 33] {
                        let mut s = subs.clone();
                        s.push((extra, "A".repeat(n)));
                        let mut r = root.clone();
                        r[i].1 = tlv(&s);
                        check(&r);
                    }
                }
            }
            // Each root object removed, and fee objects added.
            for i in 0..root.len() {
                let mut r = root.clone();
                r.remove(i);
                check(&r);
            }
            for fees in [
                &[(55u8, "01")][..],
                &[(55, "02"), (56, "1.00")],
                &[(55, "03"), (57, "3.00")],
                &[(55, "02")],
                &[(56, "1.00")],
                &[(55, "03"), (56, "1.00")],
                &[(57, "3.00")],
                &[(65, "X")],
            ] {
                let mut r = root.clone();
                let at = r.len().saturating_sub(1);
                for (k, (id, v)) in fees.iter().enumerate() {
                    r.insert(at + k, (*id, String::from(*v)));
                }
                check(&r);
            }
        }
        assert!(checked > 50_000, "{checked}");
    }

    #[test]
    fn ans_check_matches_definition() {
        let odd = [
            ' ', '~', 'A', '\u{7f}', '\u{1f}', '\0', 'é', '最', '\u{80}', '\u{ff}',
        ];
        for len in 0..24 {
            for at in 0..len {
                for c in odd {
                    let s: alloc::string::String =
                        (0..len).map(|i| if i == at { c } else { 'A' }).collect();
                    let want = s.bytes().all(|b| (0x20..=0x7E).contains(&b));
                    assert_eq!(is_ans(&s), want, "{s:?}");
                }
            }
        }
    }

    /// One data object of a generated root: an ID, and a value that is either text or a
    /// template of sub-objects. `skew` is added to the length written in the header (0
    /// nearly always; otherwise the root stops walking, or walks differently).
    #[derive(Clone, Debug)]
    struct Object {
        id: u8,
        value: Value,
        skew: i8,
    }

    #[derive(Clone, Debug)]
    enum Value {
        Text(String),
        Template(Vec<(u8, String, i8)>),
    }

    /// The ID or length field of a header: two digits, `n` clamped to 00–99.
    fn two(n: i64) -> String {
        alloc::format!("{:02}", n.clamp(0, 99))
    }

    fn encode(objects: &[Object]) -> String {
        let mut out = String::new();
        for o in objects {
            let value = match &o.value {
                Value::Text(t) => t.clone(),
                Value::Template(subs) => subs
                    .iter()
                    .map(|(id, v, skew)| {
                        let n = v.chars().count() as i64 + i64::from(*skew);
                        alloc::format!("{}{}{v}", two(i64::from(*id)), two(n))
                    })
                    .collect(),
            };
            let n = value.chars().count() as i64 + i64::from(o.skew);
            out.push_str(&two(i64::from(o.id)));
            out.push_str(&two(n));
            out.push_str(&value);
        }
        out
    }

    /// Text values: the probes (every limit and coded shape) and short strings over a pool
    /// that mixes the common set with characters of two, three and four bytes, DEL and a
    /// control character.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pool = proptest::sample::select(vec![
            '0', '1', '2', '5', '9', '.', 'A', 'Z', 'a', ' ', '*', '~', 'é', '最', '😀', '\u{7f}',
            '\u{1}',
        ]);
        prop_oneof![
            3 => proptest::sample::select(probes()),
            2 => proptest::collection::vec(pool, 0..=30).prop_map(|c| c.into_iter().collect()),
        ]
    }

    /// IDs weighted towards those with rules: 00, 01, the account templates, 52–64 and the
    /// unreserved templates, with the reserved ones now and then.
    fn id() -> impl proptest::strategy::Strategy<Value = u8> {
        use proptest::prelude::*;
        prop_oneof![
            1 => Just(0u8),
            1 => Just(1u8),
            2 => 2u8..=25,
            3 => 26u8..=51,
            6 => 52u8..=64,
            1 => 65u8..=79,
            2 => 80u8..=99,
        ]
    }

    fn skew() -> impl proptest::strategy::Strategy<Value = i8> {
        use proptest::prelude::*;
        prop_oneof![60 => Just(0i8), 1 => Just(-1i8), 1 => Just(1i8), 1 => Just(-3i8)]
    }

    fn object() -> impl proptest::strategy::Strategy<Value = Object> {
        use proptest::prelude::*;
        let sub = (0u8..=99, text(), skew());
        let value = prop_oneof![
            1 => text().prop_map(Value::Text),
            1 => proptest::collection::vec(sub, 0..=5).prop_map(Value::Template),
        ];
        (id(), value, skew()).prop_map(|(id, value, skew)| Object { id, value, skew })
    }

    /// The objects of a payload that has what the rules ask for (a GUID template, the
    /// mandatory objects, amounts and fees in the shapes that do and do not fit their
    /// currency and indicator, language and additional data templates), in order.
    fn merchant() -> impl proptest::strategy::Strategy<Value = Vec<Object>> {
        use proptest::prelude::*;
        // The first value (one that keeps the payload clean) three times in four, else any.
        let pick = |v: &[&'static str]| {
            let first = String::from(v[0]);
            prop_oneof![
                3 => Just(first),
                1 => proptest::sample::select(v.to_vec()).prop_map(String::from),
            ]
        };
        let plain = |id: u8, value: String| Object {
            id,
            value: Value::Text(value),
            skew: 0,
        };
        let template = |id: u8, subs: Vec<(u8, String)>| Object {
            id,
            value: Value::Template(subs.into_iter().map(|(i, v)| (i, v, 0)).collect()),
            skew: 0,
        };
        let name = prop_oneof![
            4 => pick(&["SHOP", "BEST TRANSPORT", "A"]),
            2 => pick(&["最佳运输", "Café é", "北京", "😀"]),
            1 => text(),
        ];
        let optional_sub = |ids: core::ops::RangeInclusive<u8>| {
            prop_oneof![
                2 => Just(Vec::new()),
                1 => proptest::collection::vec((ids, text()), 1..=2),
            ]
        };
        (
            (
                pick(&["11", "12", "13"]),
                26u8..=51,
                pick(&["A000000677010111", "D15600000000", "br.gov.bcb.pix", ""]),
                optional_sub(1..=99),
                pick(&["5812", "0000", "58A2"]),
                pick(&["764", "156", "392", "986", "999"]),
                proptest::option::of(pick(&["1500.00", "23.72", "100", "1.5", "0.5", "1.234"])),
            ),
            (
                proptest::option::weighted(0.3, pick(&["01", "02", "03", "04"])),
                proptest::option::weighted(0.2, pick(&["1.00", "5"])),
                proptest::option::weighted(0.2, pick(&["3.5", "50", "101"])),
                pick(&["TH", "CN", "th"]),
                name.clone(),
                name.clone(),
            ),
            (
                proptest::option::weighted(0.3, optional_sub(1..=99)),
                proptest::option::of((
                    pick(&["ZH", "TH", "z1"]),
                    name.clone(),
                    proptest::option::of(name),
                )),
            ),
        )
            .prop_map(move |(a, b, c)| {
                let (indicator, account, guid, subs, mcc, currency, amount) = a;
                let (tip, fixed, percent, country, merchant, city) = b;
                let (additional, language) = c;
                let mut root = vec![plain(1, indicator)];
                let mut account_subs = vec![(0, guid)];
                account_subs.extend(subs);
                root.push(template(account, account_subs));
                root.push(plain(52, mcc));
                root.push(plain(53, currency));
                root.extend(amount.map(|v| plain(54, v)));
                root.extend(tip.map(|v| plain(55, v)));
                root.extend(fixed.map(|v| plain(56, v)));
                root.extend(percent.map(|v| plain(57, v)));
                root.push(plain(58, country));
                root.push(plain(59, merchant));
                root.push(plain(60, city));
                root.extend(additional.map(|subs| template(62, subs)));
                if let Some((lang, name, city)) = language {
                    let mut subs = vec![(0, lang), (1, name)];
                    subs.extend(city.map(|c| (2, c)));
                    root.push(template(64, subs));
                }
                root
            })
    }

    /// A payload: usually 00 first, then either objects of any ID and shape or a merchant's
    /// objects (`merchant`) with a few random ones inserted, dropped or repeated; then
    /// usually a CRC object whose value is right (upper or lower case), wrong, or missing.
    fn payload() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let random = proptest::collection::vec(object(), 0..=18);
        let edit = (any::<u8>(), 0u8..4, object());
        let edits = prop_oneof![
            2 => Just(Vec::new()),
            1 => proptest::collection::vec(edit, 1..=3),
        ];
        let near = (merchant(), edits).prop_map(|(mut root, edits)| {
            for (at, what, o) in edits {
                let at = usize::from(at) % (root.len() + 1);
                match what {
                    0 | 1 => root.insert(at, o),
                    2 if at < root.len() => {
                        root.remove(at);
                    }
                    _ => {
                        if let Some(o) = root.get(at).cloned() {
                            root.push(o);
                        }
                    }
                }
            }
            root
        });
        let objects = prop_oneof![1 => random, 3 => near];
        (proptest::bool::weighted(0.8), objects, 0u8..6).prop_map(|(lead, objects, crc)| {
            let mut body = String::new();
            if lead {
                body.push_str("000201");
            }
            body.push_str(&encode(&objects));
            if crc == 5 {
                return body;
            }
            body.push_str("6304");
            let value = crate::crc::crc16(body.as_bytes());
            let tail = match crc {
                0..=2 => alloc::format!("{value:04X}"),
                3 => alloc::format!("{value:04x}"),
                _ => alloc::format!("{:04X}", value ^ 1),
            };
            body + &tail
        })
    }

    /// The generator reaches every way of reading a root, so that the comparison below
    /// covers them: roots that do not walk, the general checks, the fast path with flagged
    /// objects and with nothing to report, and text that is not ASCII.
    #[test]
    fn generated_roots_reach_every_path() {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = payload();
        let (mut broken, mut general, mut rules, mut clean, mut utf8) = (0, 0, 0, 0, 0);
        for _ in 0..2000 {
            let Ok(tree) = strategy.new_tree(&mut runner) else {
                continue;
            };
            let p = tree.current();
            utf8 += usize::from(!p.is_ascii());
            match parse(&p).map(|m| m.fast()) {
                Err(_) => broken += 1,
                Ok(super::Fast::General) => general += 1,
                Ok(super::Fast::Rules) => rules += 1,
                Ok(super::Fast::Clean) => clean += 1,
            }
        }
        assert!(broken >= 100, "{broken}");
        assert!(general >= 200, "{general}");
        assert!(rules >= 400, "{rules}");
        assert!(clean >= 20, "{clean}");
        assert!(utf8 >= 400, "{utf8}");
    }

    /// `Mpm::read` into one view, payload after payload (the corpus forwards then backwards,
    /// so each payload follows two others; those that are not MPM included): the view equals
    /// what `parse` returns, or is the empty view with `parse`'s error. Nothing of the payload
    /// before stays.
    #[test]
    fn read_in_place_equals_parse_on_the_corpus() {
        let all = corpus();
        let mut m = Mpm::empty();
        let (mut read, mut failed) = (0, 0);
        for p in all.iter().chain(all.iter().rev()) {
            match (m.read(p), parse(p)) {
                (Ok(()), Ok(v)) => {
                    assert_eq!(m, v, "{p}");
                    read += 1;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "{p}");
                    assert_eq!(m, Mpm::empty(), "{p}");
                    failed += 1;
                }
                (a, b) => panic!("{p}: read {a:?}, parse {:?}", b.map(|_| ())),
            }
        }
        assert!(read >= 400 && failed >= 100, "{read} {failed}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// A view that held a corpus payload (or failed to read one), then reads a generated
        /// payload, equals `parse` of the second (or is empty, with the same error).
        #[test]
        fn read_into_a_used_view_equals_parse(
            a in proptest::sample::select(corpus()),
            b in payload(),
        ) {
            let mut m = Mpm::empty();
            let _ = m.read(&a);
            let got = m.read(&b);
            match parse(&b) {
                Ok(v) => {
                    proptest::prop_assert_eq!(got, Ok(()), "{} then {}", a, b);
                    proptest::prop_assert_eq!(&m, &v, "{} then {}", a, b);
                }
                Err(e) => {
                    proptest::prop_assert_eq!(got, Err(e), "{} then {}", a, b);
                    proptest::prop_assert_eq!(&m, &Mpm::empty(), "{} then {}", a, b);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// Generated roots of every shape (templates, characters of every width, reserved
        /// IDs, duplicates, zero and wrong lengths, CRCs right and wrong): the index the
        /// fast path builds is the general walker's, and strict validation reports what the
        /// general checks report, issue for issue.
        #[test]
        fn fast_path_matches_the_general_reader_on_generated_roots(p in payload()) {
            let Ok(m) = parse(&p) else {
                // A root that does not walk fails in the general walker as well.
                let mut w = Mpm::blank(&p);
                proptest::prop_assert!(w.index_walker().is_err() || p.is_empty(), "{}", p);
                return Ok(());
            };
            let mut walked = m.clone();
            walked.index_walker().unwrap();
            proptest::prop_assert_eq!(&walked, &m, "{}", p);
            let mut slow = walked;
            slow.ascii_until = 0;
            slow.fast = super::Fast::General;
            slow.chars = 0;
            slow.dirty = 0;
            proptest::prop_assert_eq!(issues(&m), issues(&slow), "{}", p);
        }
    }
}
