//! Cambodia KHQR (Bakong): template 29 (individual) or 30 (merchant) whose 00 is a Bakong
//! account ID `name@bank` rather than a GUID; 30/01 merchant ID, 30/02 acquiring bank;
//! template 99 {00 creation, 01 expiry} in milliseconds since the epoch (KHQR v1.3).
//!
//! ```
//! use qrpay::schemes::cambodia::{self, KhqrBuilder, KhqrCurrency};
//! let p = KhqrBuilder::individual("jonhsmith@nbcq", "Jonh Smith", "Phnom Penh")
//!     .currency(KhqrCurrency::Usd).amount("1.50")
//!     .expiry(1_700_000_000_000, 1_700_000_600_000)
//!     .build().unwrap();
//! let m = qrpay::mpm::parse(&p).unwrap();
//! let v = cambodia::read(&m).unwrap();
//! assert_eq!(v.account, "jonhsmith@nbcq");
//! assert_eq!(v.expires_ms, Some(1_700_000_600_000));
//! ```

use alloc::string::String;

use super::{expect_country, expect_currency, push, sub_offset, sub_path};
use super::{Expiry, SchemeData, SchemeId};
use crate::mpm::{BuildError, MerchantAccount, Mpm, MpmBuilder, Prompted, Template};
use crate::report::{Code, Detail, Path, Report};

/// Individual (29) or merchant (30) account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountType {
    /// Template 29.
    Individual,
    /// Template 30.
    Merchant,
}

/// The typed view of a KHQR code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Khqr<'a> {
    /// Individual or merchant.
    pub account_type: AccountType,
    /// 00 Bakong account ID.
    pub account: &'a str,
    /// 01 merchant ID (merchant) or account information (individual).
    pub merchant_id: Option<&'a str>,
    /// 02 acquiring bank.
    pub bank: Option<&'a str>,
    /// 99/00 creation time, milliseconds since the epoch.
    pub created_ms: Option<u64>,
    /// 99/01 expiry time, milliseconds since the epoch.
    pub expires_ms: Option<u64>,
    /// 62/02 mobile number.
    pub mobile: Option<&'a str>,
    /// 62/01 bill number.
    pub bill_number: Option<&'a str>,
}

/// True for a Bakong account ID shape: `name@bank`, no spaces, one `@`, both parts
/// non-empty.
pub fn looks_like_account(v: &str) -> bool {
    // One pass over the bytes: exactly one `@`, neither first nor last, every byte graphic
    // (what splitting at the first `@` and testing both parts says).
    let b = v.as_bytes();
    let mut at = None;
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_graphic() {
            return false;
        }
        if c == b'@' {
            if at.is_some() {
                return false;
            }
            at = Some(i);
        }
    }
    at.is_some_and(|i| i > 0 && i + 1 < b.len())
}

fn account<'a>(m: &Mpm<'a>) -> Option<(MerchantAccount<'a>, Template<'a>, &'a str)> {
    super::account_templates(m, 29, 30).find_map(|(a, t)| {
        let g = t.guid()?;
        g.contains('@').then_some((a, t, g))
    })
}

fn millis(v: Option<&str>) -> Option<u64> {
    // Thirteen digits always fit a u64, so this is what `parse` gives.
    let v = v.filter(|v| v.len() == 13)?;
    v.bytes().try_fold(0u64, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u64::from(b - b'0'))
    })
}

fn prompted_value(p: Option<Prompted<'_>>) -> Option<&str> {
    match p {
        Some(Prompted::Value(v)) => Some(v),
        _ => None,
    }
}

/// Reads the KHQR view of `m`: a template 29 or 30 whose 00 holds an `@`.
pub fn read<'a>(m: &Mpm<'a>) -> Option<Khqr<'a>> {
    let (a, t, acct) = account(m)?;
    let times = m.get(99).map(|v| Template::new(v, 0));
    let ad = m.additional_data();
    Some(Khqr {
        account_type: if a.id == 29 {
            AccountType::Individual
        } else {
            AccountType::Merchant
        },
        account: acct,
        merchant_id: t.get(1),
        bank: t.get(2),
        created_ms: millis(times.and_then(|t| t.get(0))),
        expires_ms: millis(times.and_then(|t| t.get(1))),
        mobile: prompted_value(ad.and_then(|d| d.mobile_number())),
        bill_number: prompted_value(ad.and_then(|d| d.bill_number())),
    })
}

/// Checks the KHQR profile: account ID shape (≤32), merchant ID and bank for merchants,
/// timestamps in 99 (creation, then an optional later expiry), currency 116 or 840, country KH.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    // What `account` finds, read from the values: the offsets matter only for an issue.
    let Some((id, v, acct)) = m.ids_in(29, 30).find_map(|id| {
        let v = m.get(id)?;
        let g = Template::new(v, 0).guid()?;
        g.bytes().any(|b| b == b'@').then_some((id, v, g))
    }) else {
        return;
    };
    let offset = || m.offset_of(id).unwrap_or(0);
    // An account that looks right is ASCII: its characters are its bytes.
    if !looks_like_account(acct) || acct.len() > 32 {
        push(
            report,
            Code::SchemeKhqrAccount,
            sub_path(id, 0),
            sub_offset(&Template::new(v, offset() + 4), 0),
            Detail::Expected("a Bakong account ID name@bank of at most 32 characters"),
        );
    }
    if id == 30 {
        // Bit 1: 30/01 merchant ID present; bit 2: 30/02 acquiring bank present.
        let mut seen = 0u8;
        super::for_each_object(v, |sub, _| {
            if sub == 1 || sub == 2 {
                seen |= sub;
            }
        });
        if seen & 1 == 0 {
            push(
                report,
                Code::SchemeKhqrAccount,
                Path::id(30),
                offset(),
                Detail::Missing("30/01 merchant ID"),
            );
        }
        if seen & 2 == 0 {
            push(
                report,
                Code::SchemeKhqrAccount,
                Path::id(30),
                offset(),
                Detail::Missing("30/02 acquiring bank"),
            );
        }
    }
    // The template's offset matters only for the issue: it is found only then.
    if let Some(v) = m.get(99) {
        let [first, until] = super::first_subs(v, [0, 1]);
        let created = millis(first);
        let expires = millis(until);
        let ok = match (created, until, expires) {
            (Some(_), None, _) => true,
            (Some(c), Some(_), Some(e)) => e > c,
            _ => false,
        };
        if let (false, Some(at)) = (ok, m.offset_of(99)) {
            push(
                report,
                Code::SchemeKhqrExpiry,
                Path::id(99),
                at,
                Detail::Expected(
                    "00 creation and 01 expiry, 13-digit milliseconds, expiry after creation",
                ),
            );
        }
    }
    expect_currency(m, report, &["116", "840"], "116 (KHR) or 840 (USD)");
    expect_country(m, report, &["KH"], "KH");
}

/// The KHQR part of the payment view: account ID, bank, bill number, expiry.
pub fn payment_data<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let k = read(m)?;
    let mut d = SchemeData::new(SchemeId::Khqr);
    d.payee = Some(k.account);
    d.payee_kind = Some("bakong-account");
    d.institution = k.bank;
    d.reference = k.bill_number;
    d.expires = k.expires_ms.map(Expiry::EpochMillis);
    Some(d)
}

/// KHQR currencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KhqrCurrency {
    /// Riel, 116.
    Khr,
    /// US dollar, 840.
    Usd,
}

/// Builds KHQR codes (individual 29 or merchant 30; MCC 5999 by default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KhqrBuilder {
    merchant: Option<(String, String)>,
    account: String,
    name: String,
    city: String,
    currency: KhqrCurrency,
    mcc: String,
    amount: Option<String>,
    times: Option<(u64, u64)>,
    bill: Option<String>,
    mobile: Option<String>,
}

impl KhqrBuilder {
    /// An individual's code (template 29).
    pub fn individual(account: &str, name: &str, city: &str) -> KhqrBuilder {
        KhqrBuilder {
            merchant: None,
            account: String::from(account),
            name: String::from(name),
            city: String::from(city),
            currency: KhqrCurrency::Khr,
            mcc: String::from("5999"),
            amount: None,
            times: None,
            bill: None,
            mobile: None,
        }
    }

    /// A merchant's code (template 30) with its merchant ID and acquiring bank.
    pub fn merchant(
        account: &str,
        merchant_id: &str,
        bank: &str,
        name: &str,
        city: &str,
    ) -> KhqrBuilder {
        KhqrBuilder {
            merchant: Some((String::from(merchant_id), String::from(bank))),
            ..KhqrBuilder::individual(account, name, city)
        }
    }

    /// 53 riel (default) or dollars.
    pub fn currency(mut self, c: KhqrCurrency) -> KhqrBuilder {
        self.currency = c;
        self
    }

    /// 52 merchant category code.
    pub fn mcc(mut self, mcc: &str) -> KhqrBuilder {
        self.mcc = String::from(mcc);
        self
    }

    /// 54 the amount (makes the code dynamic).
    pub fn amount(mut self, amount: &str) -> KhqrBuilder {
        self.amount = Some(String::from(amount));
        self
    }

    /// 99 creation and expiry, milliseconds since the epoch (from the caller's clock).
    pub fn expiry(mut self, created_ms: u64, expires_ms: u64) -> KhqrBuilder {
        self.times = Some((created_ms, expires_ms));
        self
    }

    /// 62/01 bill number.
    pub fn bill_number(mut self, b: &str) -> KhqrBuilder {
        self.bill = Some(String::from(b));
        self
    }

    /// 62/02 mobile number.
    pub fn mobile(mut self, n: &str) -> KhqrBuilder {
        self.mobile = Some(String::from(n));
        self
    }

    /// The MPM builder this code amounts to.
    pub fn to_mpm(&self) -> MpmBuilder {
        let cur = match self.currency {
            KhqrCurrency::Khr => "116",
            KhqrCurrency::Usd => "840",
        };
        let mut b = MpmBuilder::new(&self.mcc, cur, "KH", &self.name, &self.city);
        b = match &self.merchant {
            Some((id, bank)) => b.account_template(30, &[(0, &self.account), (1, id), (2, bank)]),
            None => b.account_template(29, &[(0, &self.account)]),
        };
        if let Some((c, e)) = self.times {
            b = b.set_template(
                99,
                &[(0, &alloc::format!("{c}")), (1, &alloc::format!("{e}"))],
            );
        }
        if let Some(v) = &self.bill {
            b = b.additional(1, v);
        }
        if let Some(v) = &self.mobile {
            b = b.additional(2, v);
        }
        match &self.amount {
            Some(a) => b.dynamic().amount(a),
            None => b.static_code(),
        }
    }

    /// Emits the payload, refusing what EMV or the KHQR profile forbids.
    pub fn build(&self) -> Result<String, BuildError> {
        super::finish(&self.to_mpm(), false, SchemeId::Khqr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The account shape as first written: split at the first `@`, test both parts.
    fn looks_like_account_split(v: &str) -> bool {
        match v.split_once('@') {
            Some((name, bank)) => {
                !name.is_empty()
                    && !bank.is_empty()
                    && !bank.contains('@')
                    && v.bytes().all(|b| b.is_ascii_graphic())
            }
            None => false,
        }
    }

    #[test]
    fn account_shape_is_the_split_test() {
        let parts = ["", "a", "ab", "@", "@@", " ", "é", "x y", "\u{7f}", "9"];
        for a in parts {
            for b in parts {
                for c in parts {
                    let v = alloc::format!("{a}{b}{c}");
                    assert_eq!(
                        looks_like_account(&v),
                        looks_like_account_split(&v),
                        "{v:?}"
                    );
                }
            }
        }
        assert!(looks_like_account("jonhsmith@nbcq"));
        assert!(!looks_like_account("jonh@smith@nbcq"));
    }

    #[test]
    fn millis_reads_thirteen_digits() {
        assert_eq!(millis(Some("1700000000000")), Some(1_700_000_000_000));
        assert_eq!(millis(Some("9999999999999")), Some(9_999_999_999_999));
        assert_eq!(millis(Some("170000000000")), None);
        assert_eq!(millis(Some("17000000000000")), None);
        assert_eq!(millis(Some("170000000000a")), None);
        assert_eq!(millis(Some("+700000000000")), None);
        assert_eq!(millis(None), None);
    }
}
