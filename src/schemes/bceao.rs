//! BCEAO PI-SPI (UEMOA instant payments, GUID `int.bceao.pi`): 01 alias (a UUID "adresse
//! de paiement" or a phone alias); currency XOF (952).

use super::{account_where, expect_country, expect_currency};
use crate::mpm::Mpm;
use crate::report::Report;

/// The PI-SPI GUID.
pub const GUID: &str = "int.bceao.pi";

/// The UEMOA member states (ISO 3166-1 alpha-2).
pub const UEMOA: &[&str] = &["BJ", "BF", "CI", "GW", "ML", "NE", "SN", "TG"];

/// The PI-SPI alias (01).
pub fn alias<'a>(m: &Mpm<'a>) -> Option<&'a str> {
    account_where(m, |g| g.eq_ignore_ascii_case(GUID)).and_then(|(_, t)| t.get(1))
}

/// Checks the PI-SPI profile: currency 952, country in the UEMOA.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["952"], "952 (XOF)");
    expect_country(m, report, UEMOA, "a UEMOA member state");
}
