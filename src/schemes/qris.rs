//! Indonesia QRIS: national template (51, GUID `ID.CO.QRIS.WWW`, older `ID.OR.GPNQR.WWW`)
//! with the NMID (51/02) and merchant criteria (51/03); acquirer (PJSP) templates in 26–45
//! with the merchant PAN (01, `9360…`), merchant ID (02) and criteria (03).
//!
//! ```
//! use qrpay::schemes::qris::{self, Criteria, QrisBuilder};
//! let p = QrisBuilder::new("ID1020021181745", Criteria::Umi, "TOKO MAJU", "JAKARTA", "5411")
//!     .build().unwrap();
//! let m = qrpay::mpm::parse(&p).unwrap();
//! let v = qris::read(&m).unwrap();
//! assert_eq!(v.nmid, Some("ID1020021181745"));
//! assert_eq!(v.criteria, Some(Criteria::Umi));
//! ```

use alloc::string::String;

use super::{expect_country, expect_currency, is_digits, push, sub_offset, sub_path};
use super::{SchemeData, SchemeId};
use crate::mpm::{BuildError, MerchantAccount, Mpm, MpmBuilder, Template};
use crate::report::{Code, Detail, Path, Report};

/// GUIDs of the national QRIS template.
pub const NATIONAL_GUIDS: [&str; 2] = ["ID.CO.QRIS.WWW", "ID.OR.GPNQR.WWW"];

/// Merchant criteria (03).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Criteria {
    /// `UMI` micro enterprise.
    Umi,
    /// `UKE` small enterprise.
    Uke,
    /// `UME` medium enterprise.
    Ume,
    /// `UBE` large enterprise.
    Ube,
    /// `URE` regular (other).
    Ure,
}

impl Criteria {
    /// The code as written.
    pub const fn as_str(self) -> &'static str {
        match self {
            Criteria::Umi => "UMI",
            Criteria::Uke => "UKE",
            Criteria::Ume => "UME",
            Criteria::Ube => "UBE",
            Criteria::Ure => "URE",
        }
    }

    /// Reads a criteria code.
    pub fn parse(v: &str) -> Option<Criteria> {
        Some(match v {
            "UMI" => Criteria::Umi,
            "UKE" => Criteria::Uke,
            "UME" => Criteria::Ume,
            "UBE" => Criteria::Ube,
            "URE" => Criteria::Ure,
            _ => return None,
        })
    }
}

/// An acquirer (PJSP) template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Acquirer<'a> {
    /// Root ID (26–45).
    pub account_id: u8,
    /// The acquirer's reverse-domain GUID (`ID.DANA.WWW`, `COM.GO-JEK.WWW`...).
    pub guid: &'a str,
    /// 01 merchant PAN.
    pub pan: Option<&'a str>,
    /// 02 merchant ID at the acquirer.
    pub merchant_id: Option<&'a str>,
    /// 03 criteria.
    pub criteria: Option<&'a str>,
}

/// The typed view of a QRIS code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Qris<'a> {
    /// Root ID of the national template (51), if present.
    pub national_id: Option<u8>,
    /// 51/02 national merchant ID.
    pub nmid: Option<&'a str>,
    /// 51/03 merchant criteria (from the acquirer template when 51 lacks it).
    pub criteria: Option<Criteria>,
    /// The first acquirer template.
    pub acquirer: Option<Acquirer<'a>>,
}

/// `g` is one of [`NATIONAL_GUIDS`], ignoring ASCII case.
#[inline(always)]
fn is_national(g: &str) -> bool {
    super::folded::QRIS.iter().any(|p| p.is(g.as_bytes()))
}

fn national<'a>(m: &Mpm<'a>) -> Option<(MerchantAccount<'a>, Template<'a>)> {
    super::account_where(m, is_national)
}

fn acquirers<'a, 'm>(
    m: &'m Mpm<'a>,
) -> impl Iterator<Item = (MerchantAccount<'a>, Template<'a>)> + 'm {
    super::account_templates(m, 26, 45).filter(|(_, t)| t.guid().is_some_and(|g| !is_national(g)))
}

/// True for an Indonesian code (58 `ID`) with an acquirer template whose 01 is a QRIS
/// merchant PAN (`9360` and 12–15 more digits).
pub fn has_acquirer_template(m: &Mpm<'_>) -> bool {
    super::country_is(m, *b"ID")
        && acquirers(m).any(|(_, t)| {
            t.get(1).is_some_and(|p| {
                p.starts_with("9360") && is_digits(p) && (16..=19).contains(&p.len())
            })
        })
}

/// Reads the QRIS view of `m` (national template or acquirer template).
pub fn read<'a>(m: &Mpm<'a>) -> Option<Qris<'a>> {
    let nat = national(m);
    let acq = acquirers(m).next().and_then(|(a, t)| {
        Some(Acquirer {
            account_id: a.id,
            guid: t.guid()?,
            pan: t.get(1),
            merchant_id: t.get(2),
            criteria: t.get(3),
        })
    });
    if nat.is_none() && acq.is_none() {
        return None;
    }
    let nat_criteria = nat.as_ref().and_then(|(_, t)| t.get(3));
    Some(Qris {
        national_id: nat.as_ref().map(|(a, _)| a.id),
        nmid: nat.as_ref().and_then(|(_, t)| t.get(2)),
        criteria: nat_criteria
            .or(acq.and_then(|a| a.criteria))
            .and_then(Criteria::parse),
        acquirer: acq,
    })
}

/// The NMID shape: `ID` and 10–13 digits.
pub fn is_nmid(v: &str) -> bool {
    v.strip_prefix("ID")
        .is_some_and(|d| is_digits(d) && (10..=13).contains(&d.len()))
}

/// Checks the QRIS profile: NMID and criteria in the national template, known criteria in
/// acquirer templates, currency 360, country ID.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    // What `national` and `acquirers` find, from the values: offsets only for an issue.
    let mut national = None;
    // Bit `id - 26`: template `id` (26-45) has a GUID that is not a national one.
    let mut acquirers = 0u32;
    for id in m.ids_in(26, 51) {
        let Some((v, g)) = super::value_and_guid(m, id) else {
            continue;
        };
        if is_national(g) {
            national = national.or(Some((id, v)));
        } else if id <= 45 {
            acquirers |= 1 << (id - 26);
        }
    }
    if let Some((id, v)) = national {
        let offset = || m.offset_of(id).unwrap_or(0);
        let [nmid, crit] = super::first_subs(v, [2, 3]);
        match nmid {
            Some(n) if is_nmid(n) => {}
            Some(_) => push(
                report,
                Code::SchemeQrisNmid,
                sub_path(id, 2),
                sub_offset(&Template::new(v, offset() + 4), 2),
                Detail::Expected("ID and 10 to 13 digits"),
            ),
            None => push(
                report,
                Code::SchemeQrisNmid,
                Path::id(id),
                offset(),
                Detail::Missing("02 NMID"),
            ),
        }
        criteria(m, report, id, v, crit, true);
    }
    while acquirers != 0 {
        let id = 26 + acquirers.trailing_zeros() as u8;
        acquirers &= acquirers - 1;
        if let Some(v) = m.get(id) {
            let [crit] = super::first_subs(v, [3]);
            criteria(m, report, id, v, crit, false);
        }
    }
    expect_currency(m, report, &["360"], "360 (IDR)");
    expect_country(m, report, &["ID"], "ID");
}

/// Checks the criteria `crit` (the first 03) of template `id` whose value is `v`.
fn criteria(
    m: &Mpm<'_>,
    report: &mut Report,
    id: u8,
    v: &str,
    crit: Option<&str>,
    mandatory: bool,
) {
    let offset = || m.offset_of(id).unwrap_or(0);
    match crit {
        Some(c) if Criteria::parse(c).is_some() => {}
        Some(_) => push(
            report,
            Code::SchemeQrisCriteria,
            sub_path(id, 3),
            sub_offset(&Template::new(v, offset() + 4), 3),
            Detail::Expected("UMI, UKE, UME, UBE or URE"),
        ),
        None if mandatory => push(
            report,
            Code::SchemeQrisCriteria,
            Path::id(id),
            offset(),
            Detail::Missing("03 merchant criteria"),
        ),
        None => {}
    }
}

/// The QRIS part of the payment view: the NMID (or acquirer merchant ID) as payee.
pub fn payment_data<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let q = read(m)?;
    let mut d = SchemeData::new(SchemeId::Qris);
    match (q.nmid, q.acquirer) {
        (Some(n), _) => {
            d.payee = Some(n);
            d.payee_kind = Some("nmid");
        }
        (None, Some(a)) => {
            d.payee = a.pan;
            d.payee_kind = Some("merchant-pan");
        }
        _ => {}
    }
    d.institution = q.acquirer.map(|a| a.guid);
    Some(d)
}

/// Builds QRIS codes: the national template 51 and, optionally, an acquirer template 26.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrisBuilder {
    nmid: String,
    criteria: Criteria,
    name: String,
    city: String,
    mcc: String,
    acquirer: Option<(String, String, String)>,
    amount: Option<String>,
    postal: Option<String>,
}

impl QrisBuilder {
    /// A static code for the merchant with national ID `nmid` (`ID` + digits).
    pub fn new(nmid: &str, criteria: Criteria, name: &str, city: &str, mcc: &str) -> QrisBuilder {
        QrisBuilder {
            nmid: String::from(nmid),
            criteria,
            name: String::from(name),
            city: String::from(city),
            mcc: String::from(mcc),
            acquirer: None,
            amount: None,
            postal: None,
        }
    }

    /// Template 26 of the acquirer `guid` (e.g. `ID.DANA.WWW`) with the merchant PAN and the
    /// acquirer's merchant ID.
    pub fn acquirer(mut self, guid: &str, pan: &str, merchant_id: &str) -> QrisBuilder {
        self.acquirer = Some((
            String::from(guid),
            String::from(pan),
            String::from(merchant_id),
        ));
        self
    }

    /// 54 the amount in rupiah (makes the code dynamic).
    pub fn amount(mut self, amount: &str) -> QrisBuilder {
        self.amount = Some(String::from(amount));
        self
    }

    /// 61 postal code.
    pub fn postal_code(mut self, code: &str) -> QrisBuilder {
        self.postal = Some(String::from(code));
        self
    }

    /// The MPM builder this code amounts to.
    pub fn to_mpm(&self) -> MpmBuilder {
        let c = self.criteria.as_str();
        let mut b = MpmBuilder::new(&self.mcc, "360", "ID", &self.name, &self.city)
            .account_template(51, &[(0, NATIONAL_GUIDS[0]), (2, &self.nmid), (3, c)]);
        if let Some((g, pan, mid)) = &self.acquirer {
            b = b.account_template(26, &[(0, g), (1, pan), (2, mid), (3, c)]);
        }
        if let Some(p) = &self.postal {
            b = b.postal_code(p);
        }
        match &self.amount {
            Some(a) => b.dynamic().amount(a),
            None => b.static_code(),
        }
    }

    /// Emits the payload, refusing what EMV or the QRIS profile forbids.
    pub fn build(&self) -> Result<String, BuildError> {
        super::finish(&self.to_mpm(), false, SchemeId::Qris)
    }
}
