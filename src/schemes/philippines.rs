//! Philippines QR Ph: P2M template (GUID `ph.ppmi.p2m`, usually 28), P2P template (GUID
//! `com.p2pqrpay`, usually 27), network template `ph.ppmi.qrph` (88); 01 acquirer BIC,
//! 02/03 account or merchant IDs.

use super::{account_where, expect_country, expect_currency, starts_ic};
use crate::mpm::Mpm;
use crate::report::Report;

/// The P2P GUID.
pub const P2P_GUID: &str = "com.p2pqrpay";

/// How the GUIDs of the PPMI templates (P2M, network) start.
pub(crate) const PPMI_PREFIX: &str = "ph.ppmi.";

/// The typed view of a QR Ph code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QrPh<'a> {
    /// Root ID of the template.
    pub account_id: u8,
    /// True for person-to-person (`com.p2pqrpay`).
    pub p2p: bool,
    /// 01 acquirer BIC (e.g. `GXCHPHM2XXX`).
    pub acquirer_bic: Option<&'a str>,
    /// 02 (P2P: account number; P2M: merchant ID at the acquirer).
    pub id2: Option<&'a str>,
    /// 03 (P2M: merchant ID; P2P: account).
    pub id3: Option<&'a str>,
}

/// Reads the QR Ph view of `m`.
pub fn read<'a>(m: &Mpm<'a>) -> Option<QrPh<'a>> {
    let (a, t) = account_where(m, |g| {
        starts_ic(g, PPMI_PREFIX) || g.eq_ignore_ascii_case(P2P_GUID)
    })?;
    Some(QrPh {
        account_id: a.id,
        p2p: t.guid().is_some_and(|g| g.eq_ignore_ascii_case(P2P_GUID)),
        acquirer_bic: t.get(1),
        id2: t.get(2),
        id3: t.get(3),
    })
}

/// Checks the QR Ph profile: currency 608, country PH.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    expect_currency(m, report, &["608"], "608 (PHP)");
    expect_country(m, report, &["PH"], "PH");
}
