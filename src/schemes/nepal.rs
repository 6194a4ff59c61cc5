//! Nepal: Fonepay (GUID `fonepay.com`, 26/07 merchant ID) and NepalPay QR (NCHL), which
//! carries its account in the UnionPay-format primitive 15.

use super::{account_where, expect_country, expect_currency};
use crate::mpm::Mpm;
use crate::report::Report;

/// The Fonepay GUID.
pub const FONEPAY_GUID: &str = "fonepay.com";

/// The Fonepay merchant ID (26/07).
pub fn fonepay_merchant_id<'a>(m: &Mpm<'a>) -> Option<&'a str> {
    account_where(m, |g| g.eq_ignore_ascii_case(FONEPAY_GUID)).and_then(|(_, t)| t.get(7))
}

/// True for a NepalPay code: country NP with a primitive 15 or 16.
pub fn is_nepalpay(m: &Mpm<'_>) -> bool {
    m.any_in(15, 16) && super::country_is(m, *b"NP")
}

/// Checks the Nepal profiles: currency 524, country NP.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["524"], "524 (NPR)");
    expect_country(m, report, &["NP"], "NP");
}
