//! One payment view for every format: what a wallet shows before it pays, whatever code it
//! scanned.
//!
//! ```
//! // A PromptPay code (as PromptPay emits them: no 52, 59, 60) asking for 50 baht.
//! let payload = qrpay::mpm::MpmBuilder::empty()
//!     .static_code()
//!     .account_template(29, &[(0, "A000000677010111"), (1, "0066812345678")])
//!     .set(53, "764")
//!     .set(58, "TH")
//!     .amount("50")
//!     .build_lenient()
//!     .unwrap();
//! let d = qrpay::decode(&payload);
//! let r = qrpay::request::of(&d).unwrap();
//! assert_eq!(r.amount.as_deref(), Some("50.00")); // written with the currency's 2 decimals
//! assert_eq!(r.currency, Some("THB"));
//! assert_eq!(r.initiation, Some("static"));
//! assert_eq!(r.networks[0].schemes.iter().next().unwrap().as_str(), "promptpay");
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::decode::{Decoded, View};
use crate::mpm::{Initiation, Mpm, Prompted};
use crate::schemes::{self, Expiry, SchemeSet};

/// A network account a code names: where the payment can go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkAccount<'a> {
    /// Where it is in the payload (`29`, `62.50`, or empty for a whole non-EMV code).
    pub path: String,
    /// What identifies the network: the GUID of an EMV template, the value of a primitive
    /// account (02–25), or the payee account of a non-EMV code.
    pub identifier: Cow<'a, str>,
    /// The schemes this account belongs to.
    pub schemes: SchemeSet,
}

/// The payment a code asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentRequest<'a> {
    /// Who is paid.
    pub payee_name: Option<Cow<'a, str>>,
    /// The payee's city.
    pub payee_city: Option<Cow<'a, str>>,
    /// The payee's account as the scheme identifies it (Pix key, VPA, IBAN, proxy...).
    pub account: Option<Cow<'a, str>>,
    /// The amount as a decimal string, written with the currency's number of decimals when it
    /// has no more than that (`"1500"` in THB is `"1500.00"`); never a float.
    pub amount: Option<Cow<'a, str>>,
    /// ISO 4217 alphabetic currency code.
    pub currency: Option<&'static str>,
    /// The reference the payment must carry.
    pub reference: Option<Cow<'a, str>>,
    /// `"static"` or `"dynamic"` where the code says.
    pub initiation: Option<&'static str>,
    /// When the code stops being payable.
    pub expiry: Option<Expiry>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<Cow<'a, str>>,
    /// Every network account the code names.
    pub networks: Vec<NetworkAccount<'a>>,
}

/// Writes `amount` with `exponent` decimals when it is a plain decimal with no more than
/// that; otherwise returns it as written.
pub fn normalize_amount(amount: &str, exponent: Option<u8>) -> Cow<'_, str> {
    let Some(exp) = exponent else {
        return Cow::Borrowed(amount);
    };
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let plain = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !plain
        || frac.len() > usize::from(exp)
        || (frac.len() == usize::from(exp) && (exp > 0 || !amount.contains('.')))
    {
        return Cow::Borrowed(amount);
    }
    let mut s = String::with_capacity(int.len() + 1 + usize::from(exp));
    s.push_str(int);
    if exp > 0 {
        s.push('.');
        s.push_str(frac);
        for _ in frac.len()..usize::from(exp) {
            s.push('0');
        }
    }
    Cow::Owned(s)
}

fn mpm_request<'a>(m: &Mpm<'a>, set: SchemeSet) -> PaymentRequest<'a> {
    let currency = m.currency();
    let mut r = PaymentRequest {
        payee_name: m.merchant_name().map(Cow::Borrowed),
        payee_city: m.merchant_city().map(Cow::Borrowed),
        amount: m
            .amount()
            .map(|a| normalize_amount(a.as_str(), currency.and_then(|c| c.exponent))),
        currency: currency.map(|c| c.alpha),
        initiation: match m.initiation() {
            Some(Initiation::Static) => Some("static"),
            Some(Initiation::Dynamic) => Some("dynamic"),
            _ => None,
        },
        country: m.country().map(Cow::Borrowed),
        ..PaymentRequest::default()
    };
    for data in schemes::payment_data_all(m) {
        if r.account.is_none() {
            r.account = data.payee.map(Cow::Borrowed);
        }
        if r.reference.is_none() {
            r.reference = data.reference.map(Cow::Borrowed);
        }
        if r.expiry.is_none() {
            r.expiry = data.expires;
        }
    }
    if r.reference.is_none() {
        let ad = m.additional_data();
        let value = |p: Option<Prompted<'a>>| match p {
            Some(Prompted::Value(v)) => Some(Cow::Borrowed(v)),
            _ => None,
        };
        r.reference = ad
            .and_then(|a| value(a.reference_label()))
            .or_else(|| ad.and_then(|a| value(a.bill_number())));
    }
    for a in m.merchant_accounts() {
        let (identifier, schemes) = match a.template() {
            Some(t) => match t.guid() {
                Some(g) => (g, schemes::schemes_of_guid(g)),
                None => continue,
            },
            None => (a.value, schemes::schemes_of_primitive(a.id)),
        };
        // Keep only schemes the whole code was found to carry, plus what the account names.
        let mut s = schemes;
        if s.is_empty() {
            s = set;
        }
        r.networks.push(NetworkAccount {
            path: alloc::format!("{:02}", a.id),
            identifier: Cow::Borrowed(identifier),
            schemes: s,
        });
    }
    if let Some(ad) = m.additional_data() {
        for (id, t) in ad.payment_system_templates() {
            if let Some(g) = t.guid() {
                r.networks.push(NetworkAccount {
                    path: alloc::format!("62.{id:02}"),
                    identifier: Cow::Borrowed(g),
                    schemes: schemes::schemes_of_guid(g),
                });
            }
        }
    }
    for (id, t) in m.unreserved_templates() {
        if let Some(g) = t.guid() {
            r.networks.push(NetworkAccount {
                path: alloc::format!("{id:02}"),
                identifier: Cow::Borrowed(g),
                schemes: schemes::schemes_of_guid(g),
            });
        }
    }
    r
}

/// The payment view of a decoded code; `None` when nothing could be read.
pub fn of<'a>(d: &Decoded<'a>) -> Option<PaymentRequest<'a>> {
    match &d.view {
        View::Mpm(m) => Some(mpm_request(m, d.schemes)),
        View::Format(f) => {
            let p = f.payment();
            let exponent = p
                .currency
                .and_then(crate::currency::by_alpha)
                .and_then(|c| c.exponent);
            let amount = p.amount.map(|a| match a {
                Cow::Borrowed(s) => normalize_amount(s, exponent),
                Cow::Owned(s) => Cow::Owned(normalize_amount(&s, exponent).into_owned()),
            });
            let networks = match &p.account {
                Some(acct) => alloc::vec![NetworkAccount {
                    path: String::new(),
                    identifier: acct.clone(),
                    schemes: d.schemes,
                }],
                None => Vec::new(),
            };
            Some(PaymentRequest {
                payee_name: p.payee,
                payee_city: None,
                account: p.account,
                amount,
                currency: p.currency,
                reference: p.reference,
                initiation: None,
                expiry: None,
                country: p.country,
                networks,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_the_currency_exponent() {
        assert_eq!(normalize_amount("1500", Some(2)), "1500.00");
        assert_eq!(normalize_amount("98.", Some(2)), "98.00");
        assert_eq!(normalize_amount("98.5", Some(2)), "98.50");
        assert_eq!(normalize_amount("98.73", Some(2)), "98.73");
        assert_eq!(normalize_amount("100.555", Some(2)), "100.555");
        assert_eq!(normalize_amount("100", Some(0)), "100");
        assert_eq!(normalize_amount("100.", Some(0)), "100");
        assert_eq!(normalize_amount("1.5", Some(3)), "1.500");
        assert_eq!(normalize_amount("abc", Some(2)), "abc");
        assert_eq!(normalize_amount("12", None), "12");
    }
}
