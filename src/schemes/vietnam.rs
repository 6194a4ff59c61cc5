//! Vietnam: VietQR (NAPAS 247, AID `A000000727`, tag 38: 01 beneficiary {00 acquirer BIN,
//! 01 account or card}, 02 service code) and VNPAY-QR (AID `A000000775`, 01 merchant ID).
//!
//! ```
//! use qrpay::schemes::vietnam::{self, Service, VietQrBuilder};
//! let p = VietQrBuilder::account("970422", "0123456789").amount("50000").build().unwrap();
//! let m = qrpay::mpm::parse(&p).unwrap();
//! let v = vietnam::read_vietqr(&m).unwrap();
//! assert_eq!((v.bin, v.account, v.service), (Some("970422"), Some("0123456789"), Some(Service::ToAccount)));
//! ```

use alloc::string::String;

use super::{account_where, expect_country, expect_currency, is_alnum, is_digits, push};
use super::{starts_ic, sub_path, SchemeData, SchemeId};
use crate::mpm::{BuildError, Mpm, MpmBuilder, Prompted, Template};
use crate::report::{Code, Detail, Path, Report, Seg};

/// NAPAS RID (VietQR GUID).
pub const VIETQR_RID: &str = "A000000727";
/// VNPAY RID.
pub const VNPAY_RID: &str = "A000000775";

/// VietQR service code (38/02).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// `QRIBFTTA`: transfer to an account.
    ToAccount,
    /// `QRIBFTTC`: transfer to a card.
    ToCard,
    /// `QRPUSH`: payment to a merchant.
    Push,
}

impl Service {
    /// The code as written.
    pub const fn as_str(self) -> &'static str {
        match self {
            Service::ToAccount => "QRIBFTTA",
            Service::ToCard => "QRIBFTTC",
            Service::Push => "QRPUSH",
        }
    }

    /// Reads a service code.
    pub fn parse(v: &str) -> Option<Service> {
        Some(match v {
            "QRIBFTTA" => Service::ToAccount,
            "QRIBFTTC" => Service::ToCard,
            "QRPUSH" => Service::Push,
            _ => return None,
        })
    }
}

/// The typed view of a VietQR code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VietQr<'a> {
    /// Root ID of the template (38).
    pub account_id: u8,
    /// 01/00 acquirer BIN (6 digits, `97xxxx`).
    pub bin: Option<&'a str>,
    /// 01/01 account or card number.
    pub account: Option<&'a str>,
    /// 02 service, when known.
    pub service: Option<Service>,
    /// 02 as written.
    pub service_raw: Option<&'a str>,
    /// 62/08 purpose of transaction (the transfer message).
    pub purpose: Option<&'a str>,
}

fn beneficiary<'a>(t: &Template<'a>) -> Option<Template<'a>> {
    t.element(1)
        .map(|e| Template::new(e.value, e.value_offset()))
}

/// Reads the VietQR template of `m`.
pub fn read_vietqr<'a>(m: &Mpm<'a>) -> Option<VietQr<'a>> {
    let (a, t) = account_where(m, |g| starts_ic(g, VIETQR_RID))?;
    let b = beneficiary(&t);
    Some(VietQr {
        account_id: a.id,
        bin: b.and_then(|b| b.get(0)),
        account: b.and_then(|b| b.get(1)),
        service: t.get(2).and_then(Service::parse),
        service_raw: t.get(2),
        purpose: match m.additional_data().and_then(|d| d.purpose()) {
            Some(Prompted::Value(v)) => Some(v),
            _ => None,
        },
    })
}

/// Checks the VietQR profile: nested beneficiary with a 6-digit BIN and an account or card
/// number (≤19 letters and digits), known service, currency 704, country VN.
pub fn validate_vietqr(m: &Mpm<'_>, report: &mut Report) {
    // What `account_where` finds, from the values alone: offsets are read only for an issue.
    let found = super::account_value_where(m, |g| starts_ic(g, VIETQR_RID));
    if let Some((id, v)) = found {
        let offset = || m.offset_of(id).unwrap_or(0);
        let t = || Template::new(v, offset() + 4);
        // 01 beneficiary, 02 service.
        let [beneficiary, service] = super::first_subs(v, [1, 2]);
        match beneficiary {
            None => {
                push(
                    report,
                    Code::SchemeVietqrBin,
                    Path::id(id),
                    offset(),
                    Detail::Missing("01 beneficiary with 00 BIN"),
                );
                push(
                    report,
                    Code::SchemeVietqrAccount,
                    Path::id(id),
                    offset(),
                    Detail::Missing("01 beneficiary with 01 account"),
                );
            }
            Some(b) => {
                let [bin, account] = super::first_subs(b, [0, 1]);
                let bp = sub_path(id, 1);
                // Offsets in the beneficiary template, for an issue.
                let at = || super::sub_offset(&t(), 1);
                let offset_in = |sub| {
                    t().element(1)
                        .and_then(|e| Template::new(e.value, e.value_offset()).element(sub))
                        .map_or(0, |e| e.offset)
                };
                match bin {
                    Some(v) if v.len() == 6 && is_digits(v) => {}
                    Some(_) => push(
                        report,
                        Code::SchemeVietqrBin,
                        bp.child(Seg::Id(0)),
                        offset_in(0),
                        Detail::Expected("6 digits"),
                    ),
                    None => push(
                        report,
                        Code::SchemeVietqrBin,
                        bp,
                        at(),
                        Detail::Missing("01/00 acquirer BIN"),
                    ),
                }
                match account {
                    Some(v) if v.len() <= 19 && is_alnum(v) => {}
                    Some(_) => push(
                        report,
                        Code::SchemeVietqrAccount,
                        bp.child(Seg::Id(1)),
                        offset_in(1),
                        Detail::Expected(
                            "an account or card number of up to 19 letters and digits",
                        ),
                    ),
                    None => push(
                        report,
                        Code::SchemeVietqrAccount,
                        bp,
                        at(),
                        Detail::Missing("01/01 account or card number"),
                    ),
                }
            }
        }
        match service {
            Some(v) if Service::parse(v).is_some() => {}
            Some(_) => push(
                report,
                Code::SchemeVietqrService,
                sub_path(id, 2),
                super::sub_offset(&t(), 2),
                Detail::Expected("QRIBFTTA, QRIBFTTC or QRPUSH"),
            ),
            None => push(
                report,
                Code::SchemeVietqrService,
                Path::id(id),
                offset(),
                Detail::Missing("02 service code"),
            ),
        }
    }
    expect_currency(m, report, &["704"], "704 (VND)");
    expect_country(m, report, &["VN"], "VN");
}

/// Checks the VNPAY profile: currency 704, country VN.
pub fn validate_vnpay(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["704"], "704 (VND)");
    expect_country(m, report, &["VN"], "VN");
}

/// The VietQR part of the payment view: account as payee, BIN as institution, purpose as
/// reference.
pub fn payment_data<'a>(m: &Mpm<'a>) -> Option<SchemeData<'a>> {
    let v = read_vietqr(m)?;
    let mut d = SchemeData::new(SchemeId::Vietqr);
    d.payee = v.account;
    d.payee_kind = Some(if v.service == Some(Service::ToCard) {
        "card"
    } else {
        "account"
    });
    d.institution = v.bin;
    d.reference = v.purpose;
    Some(d)
}

/// Builds VietQR transfer codes as banks emit them (no 52/59/60: built leniently).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VietQrBuilder {
    bin: String,
    account: String,
    service: Service,
    amount: Option<String>,
    purpose: Option<String>,
    merchant: Option<(String, String)>,
}

impl VietQrBuilder {
    /// A transfer to account `account` at the bank with BIN `bin` (6 digits).
    pub fn account(bin: &str, account: &str) -> VietQrBuilder {
        VietQrBuilder::new(bin, account, Service::ToAccount)
    }

    /// A transfer to card `card` at the bank with BIN `bin`.
    pub fn card(bin: &str, card: &str) -> VietQrBuilder {
        VietQrBuilder::new(bin, card, Service::ToCard)
    }

    fn new(bin: &str, account: &str, service: Service) -> VietQrBuilder {
        VietQrBuilder {
            bin: String::from(bin),
            account: String::from(account),
            service,
            amount: None,
            purpose: None,
            merchant: None,
        }
    }

    /// 54 the amount in dong (makes the code dynamic).
    pub fn amount(mut self, amount: &str) -> VietQrBuilder {
        self.amount = Some(String::from(amount));
        self
    }

    /// 62/08 the transfer message.
    pub fn purpose(mut self, text: &str) -> VietQrBuilder {
        self.purpose = Some(String::from(text));
        self
    }

    /// 52 `0000`, 59 and 60: a code EMV accepts strictly.
    pub fn merchant(mut self, name: &str, city: &str) -> VietQrBuilder {
        self.merchant = Some((String::from(name), String::from(city)));
        self
    }

    /// The MPM builder this code amounts to.
    pub fn to_mpm(&self) -> MpmBuilder {
        let mut inner = String::new();
        let ok = crate::tlv::write(&mut inner, 0, &self.bin).is_some()
            && crate::tlv::write(&mut inner, 1, &self.account).is_some();
        if !ok {
            // An over-long value: keep it visible so the builder refuses it by length.
            inner = alloc::format!("{}{}", self.bin, self.account);
        }
        let mut b = MpmBuilder::empty()
            .account_template(
                38,
                &[(0, "A000000727"), (1, &inner), (2, self.service.as_str())],
            )
            .set(53, "704")
            .set(58, "VN");
        if let Some((n, c)) = &self.merchant {
            b = b.set(52, "0000").set(59, n).set(60, c);
        }
        if let Some(p) = &self.purpose {
            b = b.additional(8, p);
        }
        match &self.amount {
            Some(a) => b.dynamic().amount(a),
            None => b.static_code(),
        }
    }

    /// Emits the payload (leniently unless a merchant is set), refusing what the VietQR
    /// profile forbids.
    pub fn build(&self) -> Result<String, BuildError> {
        super::finish(&self.to_mpm(), self.merchant.is_none(), SchemeId::Vietqr)
    }
}
