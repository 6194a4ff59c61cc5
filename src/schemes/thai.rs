//! Thailand Thai QR: PromptPay credit transfer (AID `A000000677010111`, tag 29) and bill
//! payment (AID `A000000677010112` domestic, `A000000677012006` cross-border, tag 30).
//!
//! ```
//! use qrpay::schemes::thai::{self, PromptPayBuilder, ProxyKind};
//! let p = PromptPayBuilder::mobile("0801234567").unwrap().amount("100.00").build().unwrap();
//! let m = qrpay::mpm::parse(&p).unwrap();
//! let v = thai::read_promptpay(&m).unwrap();
//! assert_eq!(v.proxy_kind, Some(ProxyKind::Mobile));
//! assert_eq!(v.proxy, Some("0066801234567"));
//! ```

use alloc::string::String;

use super::{account_where, expect_country, expect_currency, is_digits, push};
use super::{starts_ic, sub_path, Folded, SchemeData, SchemeId};
use crate::mpm::{BuildError, Mpm, MpmBuilder, SubIndex};
use crate::report::{Code, Detail, Path, Report};

/// The Thai QR RID (every AID of the family starts with it).
pub const RID: &str = "A000000677";
/// Credit transfer with a PromptPay ID, merchant presented.
pub const CREDIT_TRANSFER_AID: &str = "A000000677010111";
/// Credit transfer, customer presented.
pub const CUSTOMER_PRESENTED_AID: &str = "A000000677010114";
/// Bill payment AIDs: domestic, cross-border.
pub const BILL_AIDS: [&str; 2] = ["A000000677010112", "A000000677012006"];

/// What a PromptPay proxy is (29/01–05).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProxyKind {
    /// 01 mobile number, `0066` and 9 digits.
    Mobile,
    /// 02 national ID or tax ID, 13 digits.
    NationalId,
    /// 03 e-wallet ID, 15 digits.
    EWallet,
    /// 04 bank account (up to 43 characters).
    BankAccount,
    /// 05 one-time account (10 digits).
    Ota,
}

impl ProxyKind {
    /// The sub-ID that carries it.
    pub const fn sub_id(self) -> u8 {
        match self {
            ProxyKind::Mobile => 1,
            ProxyKind::NationalId => 2,
            ProxyKind::EWallet => 3,
            ProxyKind::BankAccount => 4,
            ProxyKind::Ota => 5,
        }
    }

    /// `"mobile"`, `"national-id"`, `"e-wallet"`, `"bank-account"`, `"ota"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProxyKind::Mobile => "mobile",
            ProxyKind::NationalId => "national-id",
            ProxyKind::EWallet => "e-wallet",
            ProxyKind::BankAccount => "bank-account",
            ProxyKind::Ota => "ota",
        }
    }

    /// True when `v` has the shape this kind requires.
    pub fn accepts(self, v: &str) -> bool {
        match self {
            ProxyKind::Mobile => v.len() == 13 && v.starts_with("0066") && is_digits(v),
            ProxyKind::NationalId => v.len() == 13 && is_digits(v),
            ProxyKind::EWallet => v.len() == 15 && is_digits(v),
            ProxyKind::BankAccount => v.len() <= 43 && is_digits(v),
            ProxyKind::Ota => v.len() == 10 && is_digits(v),
        }
    }
}

const PROXIES: [ProxyKind; 4] = [
    ProxyKind::Mobile,
    ProxyKind::NationalId,
    ProxyKind::EWallet,
    ProxyKind::BankAccount,
];

/// The typed view of a PromptPay credit transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PromptPay<'a> {
    /// The root ID of the template (29).
    pub account_id: u8,
    /// The AID as written.
    pub aid: &'a str,
    /// The first proxy present (01–04).
    pub proxy_kind: Option<ProxyKind>,
    /// Its value.
    pub proxy: Option<&'a str>,
    /// 05 one-time account, if any.
    pub ota: Option<&'a str>,
}

/// The AIDs the readers and validators look for, folded to compare a word at a time.
const TRANSFER: [Folded; 2] = [
    Folded::new(CREDIT_TRANSFER_AID),
    Folded::new(CUSTOMER_PRESENTED_AID),
];
const BILL: [Folded; 2] = [Folded::new(BILL_AIDS[0]), Folded::new(BILL_AIDS[1])];

/// `g` is a PromptPay credit-transfer AID (merchant- or customer-presented), in any case.
fn is_transfer_aid(g: &str) -> bool {
    TRANSFER.iter().any(|f| f.is(g.as_bytes()))
}

/// `g` is a Thai QR bill-payment AID (domestic or cross-border), in any case.
fn is_bill_aid(g: &str) -> bool {
    BILL.iter().any(|f| f.is(g.as_bytes()))
}

/// Reads the first PromptPay credit-transfer template of `m`.
pub fn read_promptpay<'a>(m: &Mpm<'a>) -> Option<PromptPay<'a>> {
    let (a, t) = account_where(m, is_transfer_aid)?;
    let first = PROXIES
        .iter()
        .find_map(|&k| t.get(k.sub_id()).map(|v| (k, v)));
    Some(PromptPay {
        account_id: a.id,
        aid: t.guid()?,
        proxy_kind: first.map(|p| p.0),
        proxy: first.map(|p| p.1),
        ota: t.get(5),
    })
}

/// Checks the PromptPay profile: exactly one proxy of the right shape, currency 764,
/// country TH.
pub fn validate_promptpay(m: &Mpm<'_>, report: &mut Report) {
    if let Some((a, t)) = account_where(m, is_transfer_aid) {
        let t = SubIndex::new(t);
        let present: usize = PROXIES
            .iter()
            .filter(|k| t.get(k.sub_id()).is_some())
            .count();
        if present == 0 {
            push(
                report,
                Code::SchemePromptpayProxy,
                Path::id(a.id),
                a.offset,
                Detail::Missing("a proxy: 01 mobile, 02 national ID, 03 e-wallet or 04 account"),
            );
        } else if present > 1 {
            push(
                report,
                Code::SchemePromptpayProxy,
                Path::id(a.id),
                a.offset,
                Detail::Text("more than one proxy (01-04)"),
            );
        }
        for k in PROXIES.iter().chain([ProxyKind::Ota].iter()) {
            if let Some(v) = t.get(k.sub_id()) {
                if !k.accepts(v) {
                    push(
                        report,
                        Code::SchemePromptpayProxy,
                        sub_path(a.id, k.sub_id()),
                        t.sub_offset(k.sub_id()),
                        Detail::Expected(match k {
                            ProxyKind::Mobile => "0066 and 9 digits",
                            ProxyKind::NationalId => "13 digits",
                            ProxyKind::EWallet => "15 digits",
                            ProxyKind::BankAccount => "up to 43 digits",
                            ProxyKind::Ota => "10 digits",
                        }),
                    );
                }
            }
        }
    }
    expect_currency(m, report, &["764"], "764 (THB)");
    expect_country(m, report, &["TH"], "TH");
}

/// The typed view of a Thai QR bill payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ThaiBill<'a> {
    /// The root ID of the template (30).
    pub account_id: u8,
    /// The AID as written.
    pub aid: &'a str,
    /// True for the cross-border AID `A000000677012006`.
    pub cross_border: bool,
    /// 01 biller ID: tax ID (13 digits) and suffix (2 digits).
    pub biller_id: Option<&'a str>,
    /// 02 reference 1.
    pub ref1: Option<&'a str>,
    /// 03 reference 2.
    pub ref2: Option<&'a str>,
}

/// Reads the first Thai QR bill-payment template of `m`.
pub fn read_bill<'a>(m: &Mpm<'a>) -> Option<ThaiBill<'a>> {
    let (a, t) = account_where(m, is_bill_aid)?;
    let aid = t.guid()?;
    Some(ThaiBill {
        account_id: a.id,
        aid,
        cross_border: BILL[1].is(aid.as_bytes()),
        biller_id: t.get(1),
        ref1: t.get(2),
        ref2: t.get(3),
    })
}

/// Checks the bill-payment profile: 15-digit biller ID, reference 1 (≤20), currency 764.
pub fn validate_bill(m: &Mpm<'_>, report: &mut Report) {
    let Some((a, t)) = account_where(m, is_bill_aid) else {
        return;
    };
    let t = SubIndex::new(t);
    match t.get(1) {
        Some(v) if v.len() == 15 && is_digits(v) => {}
        Some(_) => push(
            report,
            Code::SchemeThaiqrBiller,
            sub_path(a.id, 1),
            t.sub_offset(1),
            Detail::Expected("a biller ID of 15 digits (tax ID and suffix)"),
        ),
        None => push(
            report,
            Code::SchemeThaiqrBiller,
            Path::id(a.id),
            a.offset,
            Detail::Missing("01 biller ID"),
        ),
    }
    match t.get(2) {
        // No more characters than bytes: counted only when the bytes exceed 20.
        Some(v) if v.len() <= 20 || v.chars().count() <= 20 => {}
        Some(_) => push(
            report,
            Code::SchemeThaiqrBiller,
            sub_path(a.id, 2),
            t.sub_offset(2),
            Detail::Expected("reference 1 of at most 20 characters"),
        ),
        None => push(
            report,
            Code::SchemeThaiqrBiller,
            Path::id(a.id),
            a.offset,
            Detail::Missing("02 reference 1"),
        ),
    }
    expect_currency(m, report, &["764"], "764 (THB)");
    expect_country(m, report, &["TH"], "TH");
}

/// The PromptPay part of the payment view: the proxy as payee.
pub fn payment_data_promptpay<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let p = read_promptpay(m)?;
    let mut d = SchemeData::new(SchemeId::Promptpay);
    d.payee = p.proxy;
    d.payee_kind = p.proxy_kind.map(ProxyKind::as_str);
    Some(d)
}

/// The bill-payment part of the payment view: biller as payee, reference 1 as reference.
pub fn payment_data_bill<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let b = read_bill(m)?;
    let mut d = SchemeData::new(SchemeId::ThaiqrBill);
    d.payee = b.biller_id;
    d.payee_kind = Some("biller-id");
    d.reference = b.ref1;
    Some(d)
}

/// Why a PromptPay proxy was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a PromptPay {0}")]
pub struct ProxyError(&'static str);

/// Builds PromptPay credit-transfer codes the way Thai banks emit them: no 52/59/60
/// (built leniently), 01 = 12 when an amount is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptPayBuilder {
    kind: ProxyKind,
    proxy: String,
    amount: Option<String>,
}

impl PromptPayBuilder {
    /// A mobile number: `0812345678`, `66812345678`, `+66812345678` or already
    /// `0066812345678`; written as `0066` and 9 digits.
    pub fn mobile(number: &str) -> Result<PromptPayBuilder, ProxyError> {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        let national = if let Some(r) = digits.strip_prefix("0066") {
            r
        } else if let Some(r) = digits.strip_prefix("66") {
            r
        } else if let Some(r) = digits.strip_prefix('0') {
            r
        } else {
            return Err(ProxyError("mobile number"));
        };
        let proxy = alloc::format!("0066{national}");
        let ok = number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '));
        if !ok || !ProxyKind::Mobile.accepts(&proxy) {
            return Err(ProxyError("mobile number"));
        }
        Ok(PromptPayBuilder {
            kind: ProxyKind::Mobile,
            proxy,
            amount: None,
        })
    }

    /// A national ID or tax ID (13 digits).
    pub fn national_id(id: &str) -> Result<PromptPayBuilder, ProxyError> {
        PromptPayBuilder::with(ProxyKind::NationalId, id, "national ID (13 digits)")
    }

    /// An e-wallet ID (15 digits).
    pub fn ewallet(id: &str) -> Result<PromptPayBuilder, ProxyError> {
        PromptPayBuilder::with(ProxyKind::EWallet, id, "e-wallet ID (15 digits)")
    }

    fn with(kind: ProxyKind, v: &str, what: &'static str) -> Result<PromptPayBuilder, ProxyError> {
        if !kind.accepts(v) {
            return Err(ProxyError(what));
        }
        Ok(PromptPayBuilder {
            kind,
            proxy: String::from(v),
            amount: None,
        })
    }

    /// 54 the amount in baht.
    pub fn amount(mut self, amount: &str) -> PromptPayBuilder {
        self.amount = Some(String::from(amount));
        self
    }

    /// The MPM builder this code amounts to.
    pub fn to_mpm(&self) -> MpmBuilder {
        let b = MpmBuilder::empty()
            .account_template(
                29,
                &[(0, CREDIT_TRANSFER_AID), (self.kind.sub_id(), &self.proxy)],
            )
            .set(53, "764")
            .set(58, "TH");
        match &self.amount {
            Some(a) => b.dynamic().amount(a),
            None => b.static_code(),
        }
    }

    /// Emits the payload (leniently: PromptPay omits 52, 59 and 60).
    pub fn build(&self) -> Result<String, BuildError> {
        super::finish(&self.to_mpm(), true, SchemeId::Promptpay)
    }
}

/// True when `guid` is a Thai QR AID.
pub fn is_thai_aid(guid: &str) -> bool {
    starts_ic(guid, RID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_normalisation() {
        for n in [
            "0801234567",
            "66801234567",
            "+66 80 123 4567",
            "0066801234567",
        ] {
            assert_eq!(
                PromptPayBuilder::mobile(n).unwrap().proxy,
                "0066801234567",
                "{n}"
            );
        }
        assert!(PromptPayBuilder::mobile("080123456").is_err());
        assert!(PromptPayBuilder::mobile("1801234567").is_err());
        assert!(PromptPayBuilder::national_id("110170009999").is_err());
    }

    #[test]
    fn aid_tests_ignore_case_and_nothing_else() {
        let transfer = [CREDIT_TRANSFER_AID, CUSTOMER_PRESENTED_AID];
        let all = [transfer[0], transfer[1], BILL_AIDS[0], BILL_AIDS[1]];
        let mut texts = alloc::vec::Vec::new();
        for aid in all {
            texts.push(aid.to_owned());
            texts.push(aid.to_ascii_lowercase());
            // Every one-byte change, and one byte more or less.
            for at in 0..aid.len() {
                for c in [b'0', b'1', b'2', b'6', b'9', b'a', b'B', b'@'] {
                    let mut t = aid.as_bytes().to_vec();
                    t[at] = c;
                    texts.push(String::from_utf8(t).unwrap());
                }
            }
            texts.push(alloc::format!("{aid}0"));
            texts.push(aid[..aid.len() - 1].to_owned());
        }
        let (mut hits, mut misses) = (0, 0);
        for t in &texts {
            let want_transfer = transfer.iter().any(|a| t.eq_ignore_ascii_case(a));
            let want_bill = BILL_AIDS.iter().any(|a| t.eq_ignore_ascii_case(a));
            assert_eq!(is_transfer_aid(t), want_transfer, "{t}");
            assert_eq!(is_bill_aid(t), want_bill, "{t}");
            if want_transfer || want_bill {
                hits += 1;
            } else {
                misses += 1;
            }
        }
        // The four AIDs, in both cases, and edits that leave them unchanged or only
        // change a letter's case.
        assert!(hits >= 8 && misses > 400, "{hits} {misses}");
    }
}
