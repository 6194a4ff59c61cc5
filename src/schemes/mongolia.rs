//! Mongolia QPay: template with AID `A0000008430001` (27 in practice; 01 bank code such as
//! `CAXBMNUB`, 02 account), often with UnionPay-format 15 and RFU IDs 71/78/79.

use super::{account_where, expect_country, expect_currency, starts_ic};
use crate::mpm::Mpm;
use crate::report::Report;

/// The QPay AID.
pub const QPAY_AID: &str = "A0000008430001";

/// The QPay bank code and account (01, 02).
pub fn read<'a>(m: &Mpm<'a>) -> Option<(Option<&'a str>, Option<&'a str>)> {
    let (_, t) = account_where(m, |g| starts_ic(g, QPAY_AID))?;
    Some((t.get(1), t.get(2)))
}

/// Checks the QPay profile: currency 496, country MN.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["496"], "496 (MNT)");
    expect_country(m, report, &["MN"], "MN");
}
