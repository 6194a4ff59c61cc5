//! Malaysia DuitNow QR (PayNet, RID `A000000615`): template 26 with 01 application ID,
//! 02 account token and 03 expiry (milliseconds since the epoch). Real codes write the
//! payload format indicator as `02`.
//!
//! ```
//! use qrpay::schemes::duitnow::{self, DuitNowBuilder};
//! let p = DuitNowBuilder::new("588734", "MAEPP1111351701298", "KEDAI RUNCIT", "KUALA LUMPUR")
//!     .amount("1.00").build().unwrap();
//! let m = qrpay::mpm::parse(&p).unwrap();
//! let v = duitnow::read(&m).unwrap();
//! assert_eq!(v.app_id, Some("588734"));
//! ```

use alloc::string::String;

use super::{account_where, expect_country, expect_currency, is_digits, push};
use super::{starts_ic, sub_path, Expiry, SchemeData, SchemeId};
use crate::mpm::{BuildError, Mpm, MpmBuilder, SubIndex};
use crate::report::{Code, Detail, Path, Report};

/// PayNet's RID; the DuitNow GUID is `A000000615000101`.
pub const RID: &str = "A000000615";
/// The DuitNow QR GUID.
pub const GUID: &str = "A000000615000101";

/// The typed view of a DuitNow code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DuitNow<'a> {
    /// Root ID of the template (26).
    pub account_id: u8,
    /// 00 payload format indicator as written (`02` in the wild, `01` per EMV).
    pub pfi: Option<&'a str>,
    /// 01 application (participant) ID.
    pub app_id: Option<&'a str>,
    /// 02 account token.
    pub account: Option<&'a str>,
    /// 03 expiry, milliseconds since the epoch, when 13 digits.
    pub expires_ms: Option<u64>,
}

/// Reads the DuitNow template of `m`.
pub fn read<'a>(m: &Mpm<'a>) -> Option<DuitNow<'a>> {
    let (a, t) = account_where(m, |g| starts_ic(g, RID))?;
    Some(DuitNow {
        account_id: a.id,
        pfi: m.payload_format_indicator(),
        app_id: t.get(1),
        account: t.get(2),
        expires_ms: t
            .get(3)
            .filter(|v| v.len() == 13 && is_digits(v))
            .and_then(|v| v.parse().ok()),
    })
}

/// Checks the DuitNow profile: 6-digit application ID and account token, currency 458,
/// country MY.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    if let Some((a, t)) = account_where(m, |g| starts_ic(g, RID)) {
        let t = SubIndex::new(t);
        match t.get(1) {
            Some(v) if v.len() == 6 && is_digits(v) => {}
            Some(_) => push(
                report,
                Code::SchemeDuitnowAccount,
                sub_path(a.id, 1),
                t.sub_offset(1),
                Detail::Expected("an application ID of 6 digits"),
            ),
            None => push(
                report,
                Code::SchemeDuitnowAccount,
                Path::id(a.id),
                a.offset,
                Detail::Missing("01 application ID"),
            ),
        }
        if !t.has(2) {
            push(
                report,
                Code::SchemeDuitnowAccount,
                Path::id(a.id),
                a.offset,
                Detail::Missing("02 account"),
            );
        }
    }
    expect_currency(m, report, &["458"], "458 (MYR)");
    expect_country(m, report, &["MY"], "MY");
}

/// The DuitNow part of the payment view: account token as payee, expiry.
pub fn payment_data<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let v = read(m)?;
    let mut d = SchemeData::new(SchemeId::Duitnow);
    d.payee = v.account;
    d.payee_kind = Some("account");
    d.institution = v.app_id;
    d.expires = v.expires_ms.map(Expiry::EpochMillis);
    Some(d)
}

/// Builds DuitNow codes (template 26, MYR, country MY). The payload format indicator is the
/// EMV `01`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuitNowBuilder {
    app_id: String,
    account: String,
    name: String,
    city: String,
    mcc: String,
    amount: Option<String>,
    expires_ms: Option<u64>,
    reference: Option<String>,
}

impl DuitNowBuilder {
    /// A code paying `account` through participant `app_id` (6 digits).
    pub fn new(app_id: &str, account: &str, name: &str, city: &str) -> DuitNowBuilder {
        DuitNowBuilder {
            app_id: String::from(app_id),
            account: String::from(account),
            name: String::from(name),
            city: String::from(city),
            mcc: String::from("0000"),
            amount: None,
            expires_ms: None,
            reference: None,
        }
    }

    /// 52 merchant category code (default `0000`).
    pub fn mcc(mut self, mcc: &str) -> DuitNowBuilder {
        self.mcc = String::from(mcc);
        self
    }

    /// 54 the amount in ringgit (makes the code dynamic).
    pub fn amount(mut self, amount: &str) -> DuitNowBuilder {
        self.amount = Some(String::from(amount));
        self
    }

    /// 26/03 expiry in milliseconds since the epoch (from the caller's clock).
    pub fn expires_ms(mut self, ms: u64) -> DuitNowBuilder {
        self.expires_ms = Some(ms);
        self
    }

    /// 62/05 reference label.
    pub fn reference(mut self, r: &str) -> DuitNowBuilder {
        self.reference = Some(String::from(r));
        self
    }

    /// The MPM builder this code amounts to.
    pub fn to_mpm(&self) -> MpmBuilder {
        let mut b = MpmBuilder::new(&self.mcc, "458", "MY", &self.name, &self.city)
            .set_sub(26, 0, GUID)
            .set_sub(26, 1, &self.app_id)
            .set_sub(26, 2, &self.account);
        if let Some(ms) = self.expires_ms {
            b = b.set_sub(26, 3, &alloc::format!("{ms}"));
        }
        if let Some(r) = &self.reference {
            b = b.additional(5, r);
        }
        match &self.amount {
            Some(a) => b.dynamic().amount(a),
            None => b.static_code(),
        }
    }

    /// Emits the payload, refusing what EMV or the DuitNow profile forbids.
    pub fn build(&self) -> Result<String, BuildError> {
        super::finish(&self.to_mpm(), false, SchemeId::Duitnow)
    }
}
