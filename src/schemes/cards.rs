//! Card networks in EMV MPM: primitive IDs 02–14 (Visa, Mastercard, Discover, Amex, JCB)
//! and their AIDs when a template carries one.

use super::{starts_ic, SchemeId};
use crate::mpm::Mpm;

/// Card-network RIDs and the scheme each names.
pub const RIDS: &[(&str, SchemeId)] = &[
    ("A000000003", SchemeId::Visa),
    ("A000000004", SchemeId::Mastercard),
    ("A000000025", SchemeId::Amex),
    ("A000000065", SchemeId::Jcb),
    ("A000000152", SchemeId::Discover),
];

/// The card network an AID names.
pub fn network_of_aid(aid: &str) -> Option<SchemeId> {
    RIDS.iter()
        .find(|(r, _)| starts_ic(aid, r))
        .map(|(_, id)| *id)
}

/// The primitive IDs a card network owns (MPM Table 4.1).
pub const fn primitive_ids(id: SchemeId) -> &'static [u8] {
    match id {
        SchemeId::Visa => &[2, 3],
        SchemeId::Mastercard => &[4, 5],
        SchemeId::Discover => &[9, 10],
        SchemeId::Amex => &[11, 12],
        SchemeId::Jcb => &[13, 14],
        SchemeId::Unionpay => &[15, 16],
        SchemeId::Rupay => &[6, 7, 8],
        _ => &[],
    }
}

/// The first merchant account value of network `id` in its primitive IDs.
pub fn account<'a>(m: &Mpm<'a>, id: SchemeId) -> Option<&'a str> {
    primitive_ids(id).iter().find_map(|&p| m.get(p))
}
