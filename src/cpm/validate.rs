//! Reporting every problem of a CPM payload through the shared [`Report`].

use super::values::{is_an, is_ans, is_cn_pan, is_track2_with_month, Digits};
use super::{decode_base64, tags, Cpm, LIMITS, MAX_DEPTH, MAX_TEXT_LEN, PFI, PREFIX};
use crate::decode::Verdict;
use crate::report::{Class, Code, Detail, Mode, Path, Report, Seg};
use crate::tlv::ber::{BerError, Reader, Tlv};

/// Decodes `text` as CPM in `mode` and reports everything wrong with it. The `Cpm` is there
/// whenever base64 and BER-TLV are sound (even with a wrong PFI), for inspection; see
/// [`verdict`].
///
/// ```
/// use qrpay::{cpm, Mode, Code};
/// let (c, r) = cpm::decode_report("hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8=", Mode::Strict);
/// assert!(r.is_empty());
/// assert_eq!(cpm::verdict(c.as_ref()).as_str(), "intact");
/// let (c, r) = cpm::decode_report("hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGR", Mode::Strict);
/// assert!(r.has(Code::BerTruncated));
/// assert_eq!(cpm::verdict(c.as_ref()).as_str(), "broken");
/// ```
pub fn decode_report(text: &str, mode: Mode) -> (Option<Cpm>, Report) {
    let mut report = Report::new(mode);
    let cpm = validate(text, &mut report);
    (cpm, report)
}

/// `intact` when base64 and BER-TLV are sound, the PFI is 85 "CPV01" first, and at least one
/// 61 has an AID (4F) of 5–16 bytes; else `broken`. Pass what [`decode_report`] returned.
pub fn verdict(cpm: Option<&Cpm>) -> Verdict {
    match cpm {
        Some(c) if c.is_intact() => Verdict::Intact,
        _ => Verdict::Broken,
    }
}

/// Decodes `text` as CPM, pushing every issue to `report`; returns the payload when base64
/// and BER-TLV are sound. Issue offsets are bytes of the decoded data, except for
/// `input.*`, the prefix check (`cpm.pfi` at offset 0) and `cpm.base64`, which count
/// characters of the text.
///
/// Issue codes: `input.empty`, `input.too-long`, `cpm.base64` (fatal; a deviation when
/// only the padding is missing), `cpm.pfi`, `ber.truncated`, `ber.tag`, `ber.length`
/// (fatal; advice for a non-minimal length), `ber.depth`, then those of [`check`].
pub fn validate(text: &str, report: &mut Report) -> Option<Cpm> {
    if text.is_empty() {
        report.push(Code::InputEmpty, Class::Fatal, Path::ROOT, 0, Detail::None);
        return None;
    }
    if text.len() > MAX_TEXT_LEN {
        report.push(
            Code::InputTooLong,
            Class::Fatal,
            Path::ROOT,
            0,
            Detail::Length {
                min: 1,
                max: MAX_TEXT_LEN as u32,
                found: u32::try_from(text.len()).unwrap_or(u32::MAX),
            },
        );
        return None;
    }
    if !text.starts_with(PREFIX) {
        report.push(
            Code::CpmPfi,
            Class::Fatal,
            Path::ROOT,
            0,
            Detail::Expected("text starting with \"hQVDUFY\" (base64 of 85 05 \"CPV\")"),
        );
        return None;
    }
    let data = match decode_base64(text, true) {
        Ok(d) => d,
        Err(offset) => match decode_base64(text, false) {
            Ok(d) => {
                report.push(
                    Code::CpmBase64,
                    Class::Deviation,
                    Path::ROOT,
                    text.len(),
                    Detail::Text("the padding ('=') is missing or wrong"),
                );
                d
            }
            Err(_) => {
                report.push(
                    Code::CpmBase64,
                    Class::Fatal,
                    Path::ROOT,
                    offset,
                    Detail::Expected("standard base64 (A-Z a-z 0-9 + /, '=' padding)"),
                );
                return None;
            }
        },
    };
    let mut clash = false;
    let top = Reader::with_limits(&data, LIMITS);
    if let Err((e, parent)) = walk(top, Path::ROOT, report, &mut clash) {
        report_ber(&e, parent, report);
        return None;
    }
    // `walk` went over the whole tree with the same limits and stopped at any error
    // `ber::check` would find, so the data is checked BER-TLV already.
    let cpm = Cpm::from_walked(data);
    check_with(&cpm, report, clash);
    Some(cpm)
}

fn report_ber(e: &BerError, parent: Path, report: &mut Report) {
    let detail = match *e {
        BerError::Truncated {
            declared,
            remaining,
            ..
        } => Detail::BerTruncated {
            declared: u32::try_from(declared).unwrap_or(u32::MAX),
            remaining: u32::try_from(remaining).unwrap_or(u32::MAX),
        },
        BerError::TagTruncated { .. } => Detail::Text("the data ends inside a tag"),
        BerError::TagTooLong { .. } => Detail::Text("a tag of more than 4 bytes"),
        BerError::LengthTruncated { .. } => Detail::Text("the data ends inside a length"),
        BerError::LengthIndefinite { .. } => Detail::Text("indefinite length 0x80"),
        BerError::LengthTooLong { .. } => Detail::Text("a length of more than 4 bytes"),
        BerError::Depth { .. } => Detail::Text("more than 8 levels"),
        BerError::TooLarge { .. } => Detail::None,
    };
    let path = match e.tag() {
        Some(t) => parent.child(Seg::Tag(t.value())),
        None => parent,
    };
    report.push(e.code(), Class::Fatal, path, e.offset(), detail);
}

/// Walks the whole tree; reports non-minimal lengths as advice; returns the first error and
/// the path of the template it is in.
// The error carries the path by value so that the error path stays allocation-free.
#[allow(clippy::result_large_err)]
/// Also sets `clash` when two objects of one level below the top may have the same tag (see
/// [`TagFilter`]): when it stays false, no template holds a duplicate.
fn walk(
    r: Reader<'_>,
    path: Path,
    report: &mut Report,
    clash: &mut bool,
) -> Result<(), (BerError, Path)> {
    let mut seen = TagFilter::default();
    for t in r {
        let t = t.map_err(|e| (e, path))?;
        // The top level may repeat 61 and is not checked for duplicates.
        *clash |= t.depth > 1 && seen.insert(t.tag.value());
        // The path is made only where it is used: most objects need none.
        let here = || path.child(Seg::Tag(t.tag.value()));
        if !t.has_minimal_length() {
            report.push(
                Code::BerLength,
                Class::Advice,
                here(),
                t.offset,
                Detail::Text("the length is not in its shortest form"),
            );
        }
        if t.is_constructed() && !t.value.is_empty() {
            if t.depth >= MAX_DEPTH {
                return Err((
                    BerError::Depth {
                        offset: t.value_offset(),
                        max: MAX_DEPTH,
                    },
                    here(),
                ));
            }
            walk(t.children(), here(), report, clash)?;
        }
    }
    Ok(())
}

/// Checks the content of a decoded payload against CPM v1.1 and pushes what is wrong:
///
/// * `cpm.pfi` (fatal): the first object is not 85 "CPV01";
/// * `cpm.template-missing` (fatal): no 61;
/// * `cpm.template-count` (deviation): more than two 61, more than one 62, or a 62 with one 61;
/// * `cpm.order` (deviation): another object before a 61 or 62;
/// * `cpm.aid` (fatal when no 61 is left usable, else deviation): 4F missing or not 5–16 bytes;
/// * `cpm.duplicate` (fatal): an object twice in a 61 or 62, or in both a 61 and the 62,
///   or 85 twice; (deviation) twice inside a transparent template;
/// * `field.missing` (deviation): neither 57 nor 5A for an application (CPM v1.1 Table 6.1);
/// * `field.length` / `field.format` (deviation): an Annex A object of the wrong length or
///   format, wherever it appears.
pub fn check(cpm: &Cpm, report: &mut Report) {
    check_with(cpm, report, true);
}

/// [`check`]; `clash` false says no level of the tree has two objects with one tag, so the
/// duplicate checks have nothing to find.
fn check_with(cpm: &Cpm, report: &mut Report, clash: bool) {
    // The top level is walked again where needed rather than collected: it has a handful
    // of objects, and a walk costs less than an allocation.
    let root = || cpm.objects();
    let mut pfi_seen: Option<usize> = None;
    let mut n61 = 0usize;
    let mut n62 = 0usize;
    let mut other_before: Option<Tlv<'_>> = None;
    // Gathered on the same walk (they push nothing): application templates with a usable
    // AID, and the first common data template.
    let mut usable = 0usize;
    let mut common: Option<super::Template<'_>> = None;
    let mut any = false;
    for (i, t) in root().enumerate() {
        any = true;
        match t.tag.value() {
            tags::APPLICATION_TEMPLATE => {
                usable += usize::from(super::Template(t).usable_aid().is_some());
            }
            tags::COMMON_DATA_TEMPLATE if common.is_none() => common = Some(super::Template(t)),
            _ => {}
        }
        if i == 0 {
            if t.tag.value() == tags::PFI {
                pfi_seen = Some(t.offset);
                if t.value != PFI.as_bytes() {
                    report.push(
                        Code::CpmPfi,
                        Class::Fatal,
                        Path::one(Seg::Tag(tags::PFI)),
                        t.offset,
                        Detail::Expected("\"CPV01\""),
                    );
                }
            } else {
                report.push(
                    Code::CpmPfi,
                    Class::Fatal,
                    Path::ROOT,
                    t.offset,
                    Detail::Missing("85 \"CPV01\" must be the first data object"),
                );
            }
            // The first object may be a 61 when the PFI is missing.
            if t.tag.value() == tags::APPLICATION_TEMPLATE {
                n61 += 1;
            }
            continue;
        }
        match t.tag.value() {
            tags::PFI => match pfi_seen {
                Some(first) => report.push(
                    Code::CpmDuplicate,
                    Class::Fatal,
                    Path::one(Seg::Tag(tags::PFI)),
                    t.offset,
                    Detail::FirstAt(first as u32),
                ),
                None => report.push(
                    Code::CpmPfi,
                    Class::Fatal,
                    Path::one(Seg::Tag(tags::PFI)),
                    t.offset,
                    Detail::Text("85 must be the first data object"),
                ),
            },
            tags::APPLICATION_TEMPLATE | tags::COMMON_DATA_TEMPLATE => {
                if t.tag.value() == tags::APPLICATION_TEMPLATE {
                    n61 += 1;
                } else {
                    n62 += 1;
                }
                if let Some(o) = other_before.take() {
                    report.push(
                        Code::CpmOrder,
                        Class::Deviation,
                        Path::one(Seg::Tag(o.tag.value())),
                        o.offset,
                        Detail::Text("other templates come after the 61 and 62 templates"),
                    );
                }
            }
            _ => {
                if other_before.is_none() {
                    other_before = Some(t);
                }
            }
        }
    }
    if !any {
        report.push(
            Code::CpmPfi,
            Class::Fatal,
            Path::ROOT,
            0,
            Detail::Missing("85 \"CPV01\" must be the first data object"),
        );
    }
    if n61 == 0 {
        report.push(
            Code::CpmTemplateMissing,
            Class::Fatal,
            Path::ROOT,
            0,
            Detail::Missing("61"),
        );
    }
    let count_issue = if n61 > 2 {
        Some("at most two application templates (61)")
    } else if n62 > 1 {
        Some("at most one common data template (62)")
    } else if n62 == 1 && n61 == 1 {
        Some("a common data template (62) goes with two application templates")
    } else {
        None
    };
    if let Some(why) = count_issue {
        report.push(
            Code::CpmTemplateCount,
            Class::Deviation,
            Path::ROOT,
            0,
            Detail::Text(why),
        );
    }
    for (i, t) in root().enumerate() {
        let t = &t;
        let path = Path::one(Seg::Tag(t.tag.value()));
        match t.tag.value() {
            tags::APPLICATION_TEMPLATE => {
                let app = super::Template(*t);
                let aid_class = if usable > 0 {
                    Class::Deviation
                } else {
                    Class::Fatal
                };
                match app.get(tags::AID) {
                    None => report.push(
                        Code::CpmAid,
                        aid_class,
                        path,
                        t.offset,
                        Detail::Missing("4F"),
                    ),
                    Some(a) if !(5..=16).contains(&a.value.len()) => report.push(
                        Code::CpmAid,
                        aid_class,
                        path.child(Seg::Tag(tags::AID)),
                        a.offset,
                        Detail::Length {
                            min: 5,
                            max: 16,
                            found: a.value.len() as u32,
                        },
                    ),
                    Some(_) => {}
                }
                // Whether the 61 itself holds 57 or 5A comes from the walk that checks it.
                let app_account =
                    check_template(t, path, tags::APPLICATION_TRANSPARENT, clash, report);
                let has_account =
                    |x: &super::Template<'_>| x.objects().any(|o| is_account(o.tag.value()));
                if !app_account && !common.as_ref().is_some_and(has_account) {
                    report.push(
                        Code::FieldMissing,
                        Class::Deviation,
                        path,
                        t.offset,
                        Detail::Missing("57 (Track 2) or 5A (PAN)"),
                    );
                }
                if let Some(c) = common {
                    for o in c.objects() {
                        if o.tag.value() == tags::COMMON_TRANSPARENT {
                            continue;
                        }
                        if app.get(o.tag.value()).is_some() {
                            report.push(
                                Code::CpmDuplicate,
                                Class::Fatal,
                                Path::one(Seg::Tag(tags::COMMON_DATA_TEMPLATE))
                                    .child(Seg::Tag(o.tag.value())),
                                o.offset,
                                Detail::Text("the object is in both 61 and 62"),
                            );
                        }
                    }
                }
            }
            tags::COMMON_DATA_TEMPLATE => {
                check_template(t, path, tags::COMMON_TRANSPARENT, clash, report);
            }
            tags::PFI if i == 0 => {}
            _ if t.is_constructed() => check_objects(t, &path, report),
            _ => check_value(t, &Path::ROOT, report),
        }
    }
}

/// True for the tags that name the account: 57 (Track 2) and 5A (PAN).
fn is_account(tag: u32) -> bool {
    tag == tags::TRACK2 || tag == tags::PAN
}

/// A 61 or 62: duplicates are fatal among its own objects; its transparent template's
/// duplicates are deviations. True when one of its own objects is 57 or 5A.
fn check_template(
    t: &Tlv<'_>,
    path: Path,
    transparent: u32,
    clash: bool,
    report: &mut Report,
) -> bool {
    if clash {
        duplicates(t, path, Class::Fatal, report);
    }
    let mut account = false;
    for o in t.children().map_while(Result::ok) {
        account |= is_account(o.tag.value());
        if o.tag.value() == transparent {
            let p = path.child(Seg::Tag(o.tag.value()));
            if clash {
                duplicates(&o, p, Class::Deviation, report);
            }
            check_objects(&o, &p, report);
        } else if o.is_constructed() {
            check_objects(&o, &path.child(Seg::Tag(o.tag.value())), report);
        } else {
            check_value(&o, &path, report);
        }
    }
    account
}

fn duplicates(t: &Tlv<'_>, path: Path, class: Class, report: &mut Report) {
    // One walk with a 128-bit filter of the tags seen: two equal tags always meet in the
    // filter, so when no two tags do there is no duplicate and nothing to report. Only a
    // template where two tags meet is compared pair by pair below.
    let mut seen = TagFilter::default();
    let mut clash = false;
    for o in t.children().map_while(Result::ok) {
        clash |= seen.insert(o.tag.value());
    }
    if !clash {
        return;
    }
    let objs: alloc::vec::Vec<Tlv<'_>> = t.children().map_while(Result::ok).collect();
    for (i, o) in objs.iter().enumerate() {
        if let Some(first) = objs
            .get(..i)
            .and_then(|s| s.iter().find(|p| p.tag == o.tag))
        {
            // CPM §5.1.1: a duplicate primitive is an error; a repeated template is not
            // named there, so it is a deviation.
            let class = if o.is_constructed() {
                Class::Deviation
            } else {
                class
            };
            report.push(
                Code::CpmDuplicate,
                class,
                path.child(Seg::Tag(o.tag.value())),
                o.offset,
                Detail::FirstAt(first.offset as u32),
            );
        }
    }
}

/// A 128-bit filter of tags: two equal tags always land on the same bit, so a level whose
/// tags never meet in the filter has no duplicate.
#[derive(Default)]
struct TagFilter(u128);

impl TagFilter {
    /// Adds `tag`; true when its bit was already set (maybe the same tag seen before).
    fn insert(&mut self, tag: u32) -> bool {
        // The multiplier puts the CPM Annex A tags and the common EMV cryptogram tags
        // (40 of them) on 40 different bits, so a real payload rarely needs the slow path.
        let bit = 1u128 << (tag.wrapping_mul(0x831A_4B7F) >> 25);
        let hit = self.0 & bit != 0;
        self.0 |= bit;
        hit
    }
}

/// Checks every primitive inside a constructed object (at `path`), recursively.
fn check_objects(t: &Tlv<'_>, path: &Path, report: &mut Report) {
    for o in t.children().map_while(Result::ok) {
        if o.is_constructed() {
            if o.depth < MAX_DEPTH {
                check_objects(&o, &path.child(Seg::Tag(o.tag.value())), report);
            }
        } else {
            check_value(&o, path, report);
        }
    }
}

/// Length and format of one Annex A / cryptogram data object, in the object at `parent`
/// (the issue's path, made only when there is one, is `parent` and the object's tag).
fn check_value(t: &Tlv<'_>, parent: &Path, report: &mut Report) {
    let v = t.value;
    let n = v.len();
    let path = || parent.child(Seg::Tag(t.tag.value()));
    let mut length = |min: usize, max: usize| {
        if n < min || n > max {
            report.push(
                Code::FieldLength,
                Class::Deviation,
                path(),
                t.offset,
                Detail::Length {
                    min: min as u32,
                    max: max as u32,
                    found: n as u32,
                },
            );
        }
    };
    let format: Option<(bool, &'static str)> = match t.tag.value() {
        tags::LABEL => {
            length(1, 16);
            Some((
                v.iter().all(|c| c.is_ascii_alphanumeric() || *c == b' '),
                "letters, digits and spaces",
            ))
        }
        tags::TRACK2 => {
            length(1, super::TRACK2_MAX_BYTES);
            Some((
                is_track2_with_month(v),
                "PAN, D, YYMM, service code, discretionary digits, F pad",
            ))
        }
        tags::PAN => {
            length(1, 10);
            Some((is_cn_pan(v), "up to 19 digits padded with F"))
        }
        tags::CARDHOLDER_NAME => {
            length(2, 26);
            Some((is_ans(v), "printable ASCII (ans)"))
        }
        tags::LANGUAGE => {
            length(2, 8);
            Some((is_an(v) && n % 2 == 0, "1 to 4 two-letter ISO 639-1 codes"))
        }
        tags::ISSUER_URL => {
            length(1, usize::MAX);
            Some((is_ans(v), "printable ASCII (ans)"))
        }
        tags::APP_VERSION | tags::ATC | tags::AIP => {
            length(2, 2);
            None
        }
        tags::TOKEN_REQUESTOR_ID => {
            length(6, 6);
            Some((
                Digits::<11>::from_bcd(v, true).is_some(),
                "11 BCD digits after a 0 nibble",
            ))
        }
        tags::PAR => {
            length(29, 29);
            Some((
                v.iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                "upper-case letters and digits",
            ))
        }
        tags::PAN_LAST4 => {
            length(2, 2);
            Some((Digits::<4>::from_bcd(v, false).is_some(), "4 BCD digits"))
        }
        tags::PAN_SEQUENCE => {
            length(1, 1);
            Some((Digits::<2>::from_bcd(v, false).is_some(), "2 BCD digits"))
        }
        tags::CRYPTOGRAM => {
            length(8, 8);
            None
        }
        tags::CID => {
            length(1, 1);
            None
        }
        tags::IAD => {
            length(1, 32);
            None
        }
        tags::UNPREDICTABLE_NUMBER => {
            length(4, 4);
            None
        }
        _ => None,
    };
    if let Some((false, what)) = format {
        report.push(
            Code::FieldFormat,
            Class::Deviation,
            path(),
            t.offset,
            Detail::Expected(what),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> alloc::vec::Vec<&'static str> {
        let (_, r) = decode_report(text, Mode::Strict);
        let mut v: alloc::vec::Vec<_> = r.issues().iter().map(|i| i.code.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn annex_examples_are_clean() {
        assert!(codes("hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8=").is_empty());
        assert!(codes("hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==").is_empty());
    }

    #[test]
    fn duplicates_are_found_after_the_walk_filter() {
        use base64::Engine as _;
        let data: &[u8] = &[
            0x85, 0x05, b'C', b'P', b'V', b'0', b'1', // PFI
            0x61, 0x19, // application template
            0x4F, 0x07, 0xA0, 0, 0, 0, 0x55, 0x55, 0x55, // AID
            0x50, 0x01, b'A', 0x50, 0x01, b'B', // label twice
            0x63, 0x08, 0x9F, 0x10, 0x01, 0x00, 0x9F, 0x10, 0x01, 0x00, // 9F10 twice in 63
        ];
        let text = base64::engine::general_purpose::STANDARD.encode(data);
        let (c, r) = decode_report(&text, Mode::Strict);
        assert!(c.is_some());
        let dups: alloc::vec::Vec<(alloc::string::String, Class, usize)> = r
            .issues()
            .iter()
            .filter(|i| i.code == Code::CpmDuplicate)
            .map(|i| (i.path.to_string(), i.class, i.offset))
            .collect();
        assert_eq!(
            dups,
            [
                ("61.50".into(), Class::Fatal, 21),
                ("61.63.9F10".into(), Class::Deviation, 30),
            ]
        );
        // Without duplicates, nothing is reported.
        let (_, r) = decode_report(
            "hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8=",
            Mode::Strict,
        );
        assert!(!r.has(Code::CpmDuplicate));
    }

    #[test]
    fn common_tags_take_different_filter_bits() {
        let common = [
            0x85, 0x61, 0x62, 0x63, 0x64, 0x4F, 0x50, 0x57, 0x5A, 0x5F20, 0x5F2D, 0x5F50, 0x5F34,
            0x9F08, 0x9F19, 0x9F24, 0x9F25, 0x9F26, 0x9F27, 0x9F10, 0x9F36, 0x82, 0x9F37, 0x9F74,
            0x9F02, 0x9F03, 0x9F1A, 0x95, 0x9A, 0x9C, 0x5F2A, 0x9F33, 0x9F34, 0x9F35, 0x9F1E, 0x84,
            0x9F09, 0x9F41, 0x9F53, 0x9F6E,
        ];
        let mut f = TagFilter::default();
        for t in common {
            assert!(!f.insert(t), "{t:X}");
        }
        assert!(f.insert(0x9F10));
    }

    #[test]
    fn missing_padding_is_a_deviation() {
        let (c, r) = decode_report(
            "hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8",
            Mode::Lenient,
        );
        assert!(c.is_some());
        assert!(r.has(Code::CpmBase64));
        assert!(!r.has_errors());
    }
}
