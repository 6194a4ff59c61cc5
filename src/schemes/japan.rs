//! Japan JPQR (GUID `jp.or.paymentsjapan`): 01–04 the four levels of the unified merchant
//! ID.

use super::{account_where, expect_country, expect_currency};
use crate::mpm::Mpm;
use crate::report::Report;

/// The JPQR GUID.
pub const GUID: &str = "jp.or.paymentsjapan";

/// The four levels of the JPQR merchant ID (01–04).
pub fn merchant_id<'a>(m: &Mpm<'a>) -> Option<[Option<&'a str>; 4]> {
    let (_, t) = account_where(m, |g| g.eq_ignore_ascii_case(GUID))?;
    Some([t.get(1), t.get(2), t.get(3), t.get(4)])
}

/// Checks the JPQR profile: currency 392, country JP.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["392"], "392 (JPY)");
    expect_country(m, report, &["JP"], "JP");
}

/// AIDs seen in JPQR consumer-presented codes. Weakly sourced: the JPQR CPM test sample of
/// `kenmaz/JPQRReader` (`CPMDecoderTests.swift`) carries `A000000065039202` under the JCB RID;
/// no public JPQR CPM specification was found to confirm the list.
pub const CPM_AIDS: &[&str] = &["A000000065039202"];
