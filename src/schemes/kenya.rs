//! Kenya KE-QR (Central Bank of Kenya, GUID `ke.go.qr` in 28 P2P, 29 merchant, 82, 83).

use super::{account_where, expect_country, expect_currency};
use crate::mpm::Mpm;
use crate::report::Report;

/// The KE-QR GUID.
pub const GUID: &str = "ke.go.qr";

/// The KE-QR account (01 of the first `ke.go.qr` template: phone number or till).
pub fn account<'a>(m: &Mpm<'a>) -> Option<&'a str> {
    account_where(m, |g| g.eq_ignore_ascii_case(GUID)).and_then(|(_, t)| t.get(1))
}

/// Checks the KE-QR profile: currency 404, country KE.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["404"], "404 (KES)");
    expect_country(m, report, &["KE"], "KE");
}
