//! Laos LAO QR (LAPNet, AID `A005266284662577`, tag 38): 01 member IIN, 02 type, 03
//! receiver ID; often with UnionPay-format 15.

use super::{account_where, expect_country, expect_currency, starts_ic};
use crate::mpm::Mpm;
use crate::report::Report;

/// The LAPNet AID.
pub const LAPNET_AID: &str = "A005266284662577";

/// The LAO QR member IIN, type and receiver ID (01, 02, 03).
pub fn read<'a>(m: &Mpm<'a>) -> Option<[Option<&'a str>; 3]> {
    let (_, t) = account_where(m, |g| starts_ic(g, LAPNET_AID))?;
    Some([t.get(1), t.get(2), t.get(3)])
}

/// Checks the LAO QR profile: currency 418, country LA.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["418"], "418 (LAK)");
    expect_country(m, report, &["LA"], "LA");
}
