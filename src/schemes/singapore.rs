//! Singapore: PayNow (GUID `SG.PAYNOW`, PayNow QR Specifications v1.3) and the SGQR label
//! template (GUID `SG.SGQR`, usually in 51; NETS `SG.COM.NETS` is counted as SGQR).
//!
//! ```
//! use qrpay::schemes::singapore::{self, PayNowBuilder, ProxyType};
//! let p = PayNowBuilder::uen("201403121W").amount("10.50").reference("INV001").build().unwrap();
//! let m = qrpay::mpm::parse(&p).unwrap();
//! let v = singapore::read_paynow(&m).unwrap();
//! assert_eq!(v.proxy_type, Some(ProxyType::Uen));
//! assert_eq!(v.editable, Some(false));
//! ```

use alloc::string::String;

use super::{account_where, expect_country, expect_currency, is_digits, push};
use super::{sub_path, Date, Expiry, SchemeData, SchemeId};
use crate::mpm::{BuildError, Mpm, MpmBuilder, Prompted, SubIndex};
use crate::report::{Code, Detail, Path, Report};

/// The PayNow GUID.
pub const PAYNOW_GUID: &str = "SG.PAYNOW";
/// The SGQR GUID.
pub const SGQR_GUID: &str = "SG.SGQR";
/// The NETS GUID (part of SGQR codes).
pub const NETS_GUID: &str = "SG.COM.NETS";

/// PayNow proxy type (26/01).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProxyType {
    /// `0`: mobile number (`+65…`).
    Mobile,
    /// `2`: Unique Entity Number of a business.
    Uen,
}

impl ProxyType {
    /// The value in 26/01.
    pub const fn code(self) -> &'static str {
        match self {
            ProxyType::Mobile => "0",
            ProxyType::Uen => "2",
        }
    }

    /// `"mobile"` or `"uen"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProxyType::Mobile => "mobile",
            ProxyType::Uen => "uen",
        }
    }

    fn from_code(v: &str) -> Option<ProxyType> {
        match v {
            "0" => Some(ProxyType::Mobile),
            "2" => Some(ProxyType::Uen),
            _ => None,
        }
    }

    /// True when `v` has this type's shape: `+` and 8–15 digits, or a UEN of 9–13 letters
    /// and digits (entity number and optional suffix).
    pub fn accepts(self, v: &str) -> bool {
        match self {
            ProxyType::Mobile => v
                .strip_prefix('+')
                .is_some_and(|d| is_digits(d) && (8..=15).contains(&d.len())),
            ProxyType::Uen => {
                (9..=13).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric())
            }
        }
    }
}

/// The typed view of a PayNow template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PayNow<'a> {
    /// The root ID of the template (26 preferred; IDs float in SGQR).
    pub account_id: u8,
    /// 01 proxy type, when known.
    pub proxy_type: Option<ProxyType>,
    /// 01 as written.
    pub proxy_type_raw: Option<&'a str>,
    /// 02 proxy value.
    pub proxy: Option<&'a str>,
    /// 03 whether the payer may edit the amount.
    pub editable: Option<bool>,
    /// 04 expiry date, when a valid `YYYYMMDD`.
    pub expiry: Option<Date>,
    /// 04 as written.
    pub expiry_raw: Option<&'a str>,
    /// 62/01 bill number: the transaction reference.
    pub reference: Option<&'a str>,
}

fn paynow_account<'a>(
    m: &Mpm<'a>,
) -> Option<(crate::mpm::MerchantAccount<'a>, crate::mpm::Template<'a>)> {
    account_where(m, |g| g.eq_ignore_ascii_case(PAYNOW_GUID))
}

/// Reads the PayNow template of `m`.
pub fn read_paynow<'a>(m: &Mpm<'a>) -> Option<PayNow<'a>> {
    let (a, t) = paynow_account(m)?;
    let raw = t.get(1);
    Some(PayNow {
        account_id: a.id,
        proxy_type: raw.and_then(ProxyType::from_code),
        proxy_type_raw: raw,
        proxy: t.get(2),
        editable: match t.get(3) {
            Some("1") => Some(true),
            Some("0") => Some(false),
            _ => None,
        },
        expiry: t.get(4).and_then(Date::parse_yyyymmdd),
        expiry_raw: t.get(4),
        reference: match m.additional_data().and_then(|d| d.bill_number()) {
            Some(Prompted::Value(v)) => Some(v),
            _ => None,
        },
    })
}

/// Checks the PayNow profile: proxy type and value, editable flag (1 when there is no
/// amount), expiry date, currency 702, country SG.
pub fn validate_paynow(m: &Mpm<'_>, report: &mut Report) {
    let Some((a, t)) = paynow_account(m) else {
        return;
    };
    let t = SubIndex::new(t);
    let id = a.id;
    let ty = t.get(1).and_then(ProxyType::from_code);
    match (t.get(1), ty) {
        (None, _) => push(
            report,
            Code::SchemePaynowProxy,
            Path::id(id),
            a.offset,
            Detail::Missing("01 proxy type"),
        ),
        (Some(_), None) => push(
            report,
            Code::SchemePaynowProxy,
            sub_path(id, 1),
            t.sub_offset(1),
            Detail::Expected("0 (mobile) or 2 (UEN)"),
        ),
        _ => {}
    }
    match (t.get(2), ty) {
        (None, _) => push(
            report,
            Code::SchemePaynowProxy,
            Path::id(id),
            a.offset,
            Detail::Missing("02 proxy value"),
        ),
        (Some(v), Some(k)) if !k.accepts(v) => push(
            report,
            Code::SchemePaynowProxy,
            sub_path(id, 2),
            t.sub_offset(2),
            Detail::Expected(match k {
                ProxyType::Mobile => "+ and 8 to 15 digits",
                ProxyType::Uen => "a UEN of 9 to 13 letters and digits",
            }),
        ),
        _ => {}
    }
    match t.get(3) {
        None => push(
            report,
            Code::SchemePaynowEditable,
            Path::id(id),
            a.offset,
            Detail::Missing("03 amount editable"),
        ),
        Some("1") => {}
        Some("0") if m.get(54).is_none() => push(
            report,
            Code::SchemePaynowEditable,
            sub_path(id, 3),
            t.sub_offset(3),
            Detail::Text("the amount must be editable (1) when the code has no amount"),
        ),
        Some("0") => {}
        Some(_) => push(
            report,
            Code::SchemePaynowEditable,
            sub_path(id, 3),
            t.sub_offset(3),
            Detail::Expected("0 or 1"),
        ),
    }
    if let Some(v) = t.get(4) {
        if Date::parse_yyyymmdd(v).is_none() {
            push(
                report,
                Code::SchemePaynowExpiry,
                sub_path(id, 4),
                t.sub_offset(4),
                Detail::Expected("a date YYYYMMDD"),
            );
        }
    }
    expect_currency(m, report, &["702"], "702 (SGD)");
    expect_country(m, report, &["SG"], "SG");
}

/// The typed view of an SGQR label template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sgqr<'a> {
    /// The root ID (51 in practice).
    pub account_id: u8,
    /// 01 SGQR ID number.
    pub sgqr_id: Option<&'a str>,
    /// 02 version (e.g. `01.0001`).
    pub version: Option<&'a str>,
    /// 03 postal code.
    pub postal_code: Option<&'a str>,
    /// 04 level.
    pub level: Option<&'a str>,
    /// 05 unit number.
    pub unit: Option<&'a str>,
    /// 06 miscellaneous.
    pub misc: Option<&'a str>,
    /// 07 revision date.
    pub date: Option<&'a str>,
}

/// Reads the SGQR template of `m`.
pub fn read_sgqr<'a>(m: &Mpm<'a>) -> Option<Sgqr<'a>> {
    let (a, t) = account_where(m, |g| g.eq_ignore_ascii_case(SGQR_GUID))?;
    Some(Sgqr {
        account_id: a.id,
        sgqr_id: t.get(1),
        version: t.get(2),
        postal_code: t.get(3),
        level: t.get(4),
        unit: t.get(5),
        misc: t.get(6),
        date: t.get(7),
    })
}

/// Checks the SGQR profile: the SGQR template carries its ID; currency 702, country SG.
pub fn validate_sgqr(m: &Mpm<'_>, report: &mut Report) {
    if let Some((a, t)) = account_where(m, |g| g.eq_ignore_ascii_case(SGQR_GUID)) {
        if t.get(1).is_none() {
            push(
                report,
                Code::SchemeSgqrId,
                Path::id(a.id),
                a.offset,
                Detail::Missing("01 SGQR ID"),
            );
        }
    }
    expect_currency(m, report, &["702"], "702 (SGD)");
    expect_country(m, report, &["SG"], "SG");
}

/// The PayNow part of the payment view: proxy, bill number, expiry, editable flag.
pub fn payment_data<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let p = read_paynow(m)?;
    let mut d = SchemeData::new(SchemeId::Paynow);
    d.payee = p.proxy;
    d.payee_kind = p.proxy_type.map(ProxyType::as_str);
    d.reference = p.reference;
    d.expires = p.expiry.map(Expiry::Date);
    d.amount_editable = p.editable;
    Some(d)
}

/// Builds PayNow codes (template 26, MCC 0000, SGD, name `NA` and city `Singapore` unless
/// set).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayNowBuilder {
    ty: ProxyType,
    proxy: String,
    amount: Option<String>,
    editable: Option<bool>,
    expiry: Option<Date>,
    reference: Option<String>,
    name: String,
    city: String,
}

impl PayNowBuilder {
    /// Pays a mobile number (`+65…`).
    pub fn mobile(number: &str) -> PayNowBuilder {
        PayNowBuilder::new(ProxyType::Mobile, number)
    }

    /// Pays a business by its UEN.
    pub fn uen(uen: &str) -> PayNowBuilder {
        PayNowBuilder::new(ProxyType::Uen, uen)
    }

    fn new(ty: ProxyType, proxy: &str) -> PayNowBuilder {
        PayNowBuilder {
            ty,
            proxy: String::from(proxy),
            amount: None,
            editable: None,
            expiry: None,
            reference: None,
            name: String::from("NA"),
            city: String::from("Singapore"),
        }
    }

    /// 54 the amount in SGD; the amount is then fixed unless [`PayNowBuilder::editable`].
    pub fn amount(mut self, amount: &str) -> PayNowBuilder {
        self.amount = Some(String::from(amount));
        self
    }

    /// 03 whether the payer may edit the amount (always 1 without an amount).
    pub fn editable(mut self, editable: bool) -> PayNowBuilder {
        self.editable = Some(editable);
        self
    }

    /// 04 the last day the code can be paid.
    pub fn expiry(mut self, date: Date) -> PayNowBuilder {
        self.expiry = Some(date);
        self
    }

    /// 62/01 the bill number the payment carries.
    pub fn reference(mut self, r: &str) -> PayNowBuilder {
        self.reference = Some(String::from(r));
        self
    }

    /// 59 and 60 the merchant name and city.
    pub fn merchant(mut self, name: &str, city: &str) -> PayNowBuilder {
        self.name = String::from(name);
        self.city = String::from(city);
        self
    }

    /// The MPM builder this code amounts to.
    pub fn to_mpm(&self) -> MpmBuilder {
        let editable = self.editable.unwrap_or(self.amount.is_none());
        let mut b = MpmBuilder::new("0000", "702", "SG", &self.name, &self.city)
            .set_sub(26, 0, PAYNOW_GUID)
            .set_sub(26, 1, self.ty.code())
            .set_sub(26, 2, &self.proxy)
            .set_sub(26, 3, if editable { "1" } else { "0" });
        if let Some(d) = self.expiry {
            let s = alloc::format!("{:04}{:02}{:02}", d.year, d.month, d.day);
            b = b.set_sub(26, 4, &s);
        }
        if let Some(a) = &self.amount {
            b = b.amount(a);
        }
        if let Some(r) = &self.reference {
            b = b.additional(1, r);
        }
        b.static_code()
    }

    /// Emits the payload, refusing what EMV or the PayNow profile forbids.
    pub fn build(&self) -> Result<String, BuildError> {
        super::finish(&self.to_mpm(), false, SchemeId::Paynow)
    }
}
