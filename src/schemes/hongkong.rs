//! Hong Kong FPS (HKICL, GUID `hk.com.hkicl`): 01 participant code (3 digits), 02 FPS ID,
//! 03 mobile (`+852-…`), 04 e-mail, 05 expiry `YYMMDDhhmmss`. Often combined with UnionPay
//! (primitive 15).

use super::{account_where, expect_country, expect_currency, is_digits, push};
use super::{sub_path, Date, Expiry, SchemeData, SchemeId};
use crate::mpm::{Mpm, Prompted, SubIndex};
use crate::report::{Code, Detail, Path, Report};

/// The FPS GUID.
pub const GUID: &str = "hk.com.hkicl";

/// The typed view of an FPS template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fps<'a> {
    /// Root ID of the template (26).
    pub account_id: u8,
    /// 01 participant (bank) code.
    pub participant: Option<&'a str>,
    /// 02 FPS ID.
    pub fps_id: Option<&'a str>,
    /// 03 mobile number.
    pub mobile: Option<&'a str>,
    /// 04 e-mail address.
    pub email: Option<&'a str>,
    /// 05 expiry, when a valid `YYMMDDhhmmss`.
    pub expiry: Option<Expiry>,
    /// 62/05 reference label.
    pub reference: Option<&'a str>,
}

/// Reads `YYMMDDhhmmss` (years 2000–2099).
pub fn parse_yymmddhhmmss(v: &str) -> Option<Expiry> {
    if v.len() != 12 || !is_digits(v) {
        return None;
    }
    let n = |i: usize| v.get(i..i + 2).and_then(|s| s.parse::<u8>().ok());
    let date = Date::new(2000 + u16::from(n(0)?), n(2)?, n(4)?)?;
    let (hour, minute, second) = (n(6)?, n(8)?, n(10)?);
    (hour < 24 && minute < 60 && second < 60).then_some(Expiry::DateTime {
        date,
        hour,
        minute,
        second,
    })
}

/// Reads the FPS template of `m`.
pub fn read<'a>(m: &Mpm<'a>) -> Option<Fps<'a>> {
    let (a, t) = account_where(m, |g| g.eq_ignore_ascii_case(GUID))?;
    Some(Fps {
        account_id: a.id,
        participant: t.get(1),
        fps_id: t.get(2),
        mobile: t.get(3),
        email: t.get(4),
        expiry: t.get(5).and_then(parse_yymmddhhmmss),
        reference: match m.additional_data().and_then(|d| d.reference_label()) {
            Some(Prompted::Value(v)) => Some(v),
            _ => None,
        },
    })
}

/// Checks the FPS profile: an FPS ID, mobile or e-mail; a 3-digit participant code when
/// present; currency 344 or 156; country HK.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    if let Some((a, t)) = account_where(m, |g| g.eq_ignore_ascii_case(GUID)) {
        let t = SubIndex::new(t);
        if !t.has(2) && !t.has(3) && !t.has(4) {
            push(
                report,
                Code::SchemeFpsAccount,
                Path::id(a.id),
                a.offset,
                Detail::Missing("02 FPS ID, 03 mobile or 04 e-mail"),
            );
        }
        if let Some(v) = t.get(1) {
            if !(v.len() == 3 && is_digits(v)) {
                push(
                    report,
                    Code::SchemeFpsAccount,
                    sub_path(a.id, 1),
                    t.sub_offset(1),
                    Detail::Expected("a participant code of 3 digits"),
                );
            }
        }
    }
    expect_currency(m, report, &["344", "156"], "344 (HKD) or 156 (CNY)");
    expect_country(m, report, &["HK"], "HK");
}

/// The FPS part of the payment view: FPS ID, mobile or e-mail as payee; expiry.
pub fn payment_data<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let f = read(m)?;
    let mut d = SchemeData::new(SchemeId::Fps);
    let (kind, payee) = match (f.fps_id, f.mobile, f.email) {
        (Some(v), _, _) => ("fps-id", Some(v)),
        (None, Some(v), _) => ("mobile", Some(v)),
        (None, None, Some(v)) => ("email", Some(v)),
        _ => ("", None),
    };
    d.payee = payee;
    d.payee_kind = payee.map(|_| kind);
    d.institution = f.participant;
    d.reference = f.reference;
    d.expires = f.expiry;
    Some(d)
}
