//! UnionPay in EMV MPM: primitive IDs 15–16, templates with UnionPay AIDs (RID
//! `A000000333`) or China's RID `D156…` (the EMVCo annex example).

use crate::mpm::Mpm;

/// UnionPay's RID.
pub const RID: &str = "A000000333";
/// The ISO RID for China (`D` + country 156).
pub const CHINA_RID: &str = "D156";

/// A UnionPay primitive merchant account (15 or 16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnionPayAccount<'a> {
    /// 15 or 16.
    pub id: u8,
    /// The value as written.
    pub value: &'a str,
    /// The common 31-character layout: acquirer IIN (8 digits), forwarding IIN (8 digits)
    /// and merchant ID (15), when the value has it.
    pub layout: Option<(&'a str, &'a str, &'a str)>,
}

/// Reads the first UnionPay primitive account of `m`.
pub fn read<'a>(m: &Mpm<'a>) -> Option<UnionPayAccount<'a>> {
    let a = m.merchant_accounts().find(|a| a.id == 15 || a.id == 16)?;
    let v = a.value;
    let layout = (v.len() == 31
        && v.get(..16)
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit())))
    .then(|| Some((v.get(..8)?, v.get(8..16)?, v.get(16..)?)))
    .flatten();
    Some(UnionPayAccount {
        id: a.id,
        value: v,
        layout,
    })
}
