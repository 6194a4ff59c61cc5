//! India Bharat QR: card networks in primitive IDs (02 Visa, 04 Mastercard, 06–08 NPCI /
//! RuPay) and UPI templates (GUID = NPCI RID `A000000524`; 26/01 VPA, 27/01 reference).

use super::{expect_country, expect_currency, push, starts_ic, SchemeData, SchemeId, SchemeSet};
use crate::mpm::{MerchantAccount, Mpm, Template};
use crate::report::{Code, Detail, Path, Report, Seg};

/// NPCI's RID, the GUID of UPI templates in Bharat QR.
pub const UPI_RID: &str = "A000000524";

/// The typed view of the UPI part of a Bharat QR code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Upi<'a> {
    /// Root ID of the template carrying the VPA.
    pub account_id: Option<u8>,
    /// The payee's virtual payment address.
    pub vpa: Option<&'a str>,
    /// The transaction reference (01 of a UPI template without `@`, e.g. 27).
    pub reference: Option<&'a str>,
    /// 02 of the VPA template: the amount repeated in dynamic codes.
    pub amount: Option<&'a str>,
}

fn upi_templates<'a, 'm>(
    m: &'m Mpm<'a>,
) -> impl Iterator<Item = (MerchantAccount<'a>, Template<'a>)> + 'm {
    super::account_templates(m, 26, 51)
        .filter(|(_, t)| t.guid().is_some_and(|g| starts_ic(g, UPI_RID)))
}

/// True when `v` is a VPA: `handle@psp`, letters, digits, `.`, `-`, `_` before the `@`,
/// letters, digits, `.` and `-` after.
pub fn is_vpa(v: &str) -> bool {
    match v.split_once('@') {
        Some((h, p)) => {
            !h.is_empty()
                && !p.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        }
        None => false,
    }
}

/// Reads the UPI part of `m`.
pub fn read_upi<'a>(m: &Mpm<'a>) -> Option<Upi<'a>> {
    let mut u = Upi {
        account_id: None,
        vpa: None,
        reference: None,
        amount: None,
    };
    let mut any = false;
    for (a, t) in upi_templates(m) {
        any = true;
        match t.get(1) {
            Some(v) if v.contains('@') && u.vpa.is_none() => {
                u.account_id = Some(a.id);
                u.vpa = Some(v);
                u.amount = t.get(2);
            }
            Some(v) if !v.contains('@') && u.reference.is_none() => u.reference = Some(v),
            _ => {}
        }
    }
    any.then_some(u)
}

/// The typed view of a Bharat QR code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BharatQr<'a> {
    /// 02 Visa card number.
    pub visa: Option<&'a str>,
    /// 04 Mastercard card number.
    pub mastercard: Option<&'a str>,
    /// 06 or 07 NPCI (RuPay) merchant ID.
    pub rupay: Option<&'a str>,
    /// 08 IFSC and account number.
    pub ifsc_account: Option<&'a str>,
    /// The UPI part.
    pub upi: Option<Upi<'a>>,
}

/// Reads the Bharat QR view of `m`.
pub fn read_bharatqr<'a>(m: &Mpm<'a>) -> BharatQr<'a> {
    BharatQr {
        visa: m.get(2),
        mastercard: m.get(4),
        rupay: m.get(6).or(m.get(7)),
        ifsc_account: m.get(8),
        upi: read_upi(m),
    }
}

/// True for a Bharat QR code: country IN with a UPI template or an NPCI primitive (06–08),
/// or a UPI template next to a card-network primitive.
pub fn is_bharat_qr(m: &Mpm<'_>, found: SchemeSet) -> bool {
    let npci = m.any_in(6, 8);
    let upi = found.contains(SchemeId::Upi);
    if !upi && !npci {
        return false;
    }
    (super::country_is(m, *b"IN") && (upi || npci)) || (upi && m.any_in(2, 25))
}

/// Checks the Bharat QR profile: currency 356, country IN.
pub fn validate_bharatqr(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["356"], "356 (INR)");
    expect_country(m, report, &["IN"], "IN");
}

/// Checks the UPI profile inside Bharat QR: one UPI template carries a well-formed VPA in
/// 01; currency 356; country IN.
pub fn validate_upi(m: &Mpm<'_>, report: &mut Report) {
    let mut first = None;
    let mut has_vpa = false;
    for (a, t) in upi_templates(m) {
        first.get_or_insert(a);
        if let Some(e) = t.element(1).filter(|e| e.value.contains('@')) {
            has_vpa = true;
            if !is_vpa(e.value) {
                push(
                    report,
                    Code::SchemeUpiVpa,
                    Path::id(a.id).child(Seg::Id(1)),
                    e.offset,
                    Detail::Expected("a VPA handle@psp"),
                );
            }
        }
    }
    if let (Some(a), false) = (first, has_vpa) {
        push(
            report,
            Code::SchemeUpiVpa,
            Path::id(a.id),
            a.offset,
            Detail::Missing("01 VPA in a UPI template"),
        );
    }
    expect_currency(m, report, &["356"], "356 (INR)");
    expect_country(m, report, &["IN"], "IN");
}

/// The UPI / Bharat QR part of the payment view: the VPA as payee, the UPI reference.
pub fn payment_data<'a>(id: SchemeId, m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let u = read_upi(m)?;
    let mut d = SchemeData::new(id);
    d.payee = u.vpa;
    d.payee_kind = u.vpa.map(|_| "vpa");
    d.reference = u.reference;
    Some(d)
}
