//! National and network profiles over the MPM view: which schemes a code belongs to, their
//! typed fields, their own rules on top of EMV, and builders for the common ones.
//!
//! * [`identify`] names every scheme a payload carries (a code can name several: SGQR,
//!   Bharat QR, HK FPS with UnionPay) from GUIDs matched case-insensitively, primitive
//!   merchant-account IDs 02–25 and template content. It never allocates.
//! * [`validate`] runs the profile of every scheme found and reports `scheme.*` issues
//!   ([`Class::Deviation`] for a broken scheme rule).
//! * [`payment_data`] gives what a scheme adds to the uniform payment view (Pix txid as the
//!   reference, PayNow and KHQR expiry, the payee's proxy...).
//! * One module per profile holds the typed view (`pix::read`), the validator and, for the
//!   codes merchants generate most, a builder (`pix::PixBuilder`...).
//!
//! ```
//! use qrpay::schemes::{self, SchemeId};
//! let m = qrpay::mpm::parse("00020101021129370016A000000677010111011300668012345675802TH530376463046197").unwrap();
//! let found = schemes::identify(&m);
//! assert!(found.contains(SchemeId::Promptpay));
//! let pp = schemes::thai::read_promptpay(&m).unwrap();
//! assert_eq!(pp.proxy, Some("0066801234567"));
//! ```

pub mod bceao;
pub mod cambodia;
pub mod cards;
pub mod china;
pub mod duitnow;
pub mod hongkong;
pub mod india;
pub mod japan;
pub mod kenya;
pub mod laos;
pub mod mongolia;
pub mod nepal;
pub mod philippines;
pub mod pix;
pub mod qris;
pub mod singapore;
pub mod thai;
pub mod unionpay;
pub mod vietnam;

use core::fmt;
use core::str::FromStr;

use alloc::string::String;

use crate::mpm::{self, BuildError, MerchantAccount, Mpm, MpmBuilder, Template};
use crate::report::{Class, Code, Detail, Mode, Path, Report, Seg, Severity};

macro_rules! scheme_ids {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, )*) => {
        /// A payment scheme or network qrpay can name. The string forms are stable.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum SchemeId {
            $( $(#[$doc])* $variant, )*
        }

        impl SchemeId {
            /// Every scheme, in declaration order (also the order [`SchemeSet::iter`] uses).
            pub const ALL: &'static [SchemeId] = &[$(SchemeId::$variant,)*];

            /// The stable string form, e.g. `"pix"`, `"thaiqr-bill"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( SchemeId::$variant => $text, )* }
            }

            /// The scheme whose string form is `s` (exact, lower case).
            pub fn from_str_opt(s: &str) -> Option<SchemeId> {
                match s { $( $text => Some(SchemeId::$variant), )* _ => None }
            }
        }
    };
}

scheme_ids! {
    /// Brazil Pix (BR Code).
    Pix = "pix",
    /// Thailand PromptPay (Thai QR credit transfer).
    Promptpay = "promptpay",
    /// Thailand Thai QR bill payment.
    ThaiqrBill = "thaiqr-bill",
    /// Singapore PayNow.
    Paynow = "paynow",
    /// Singapore SGQR (the national multi-scheme label, and NETS).
    Sgqr = "sgqr",
    /// Indonesia QRIS.
    Qris = "qris",
    /// Malaysia DuitNow QR.
    Duitnow = "duitnow",
    /// Vietnam VietQR (NAPAS 247).
    Vietqr = "vietqr",
    /// Vietnam VNPAY-QR.
    Vnpay = "vnpay",
    /// Philippines QR Ph.
    Qrph = "qrph",
    /// Hong Kong Faster Payment System.
    Fps = "fps",
    /// India Bharat QR.
    Bharatqr = "bharatqr",
    /// India UPI (inside Bharat QR).
    Upi = "upi",
    /// Cambodia KHQR (Bakong).
    Khqr = "khqr",
    /// Nepal Fonepay.
    Fonepay = "fonepay",
    /// Nepal NepalPay QR (NCHL).
    Nepalpay = "nepalpay",
    /// Mongolia QPay.
    Qpay = "qpay",
    /// Laos LAO QR (LAPNet).
    Laoqr = "laoqr",
    /// Kenya KE-QR (Central Bank of Kenya).
    Keqr = "keqr",
    /// BCEAO PI-SPI (UEMOA instant payments).
    Pispi = "pispi",
    /// Japan JPQR.
    Jpqr = "jpqr",
    /// UnionPay (primitive 15–16, AIDs A000000333, China RID D156).
    Unionpay = "unionpay",
    /// Visa (primitive 02–03).
    Visa = "visa",
    /// Mastercard (primitive 04–05).
    Mastercard = "mastercard",
    /// American Express (primitive 11–12).
    Amex = "amex",
    /// JCB (primitive 13–14).
    Jcb = "jcb",
    /// Discover (primitive 09–10).
    Discover = "discover",
    /// RuPay (primitive 06–08 in Bharat QR).
    Rupay = "rupay",
    /// Alipay (template GUID `com.alipay…`).
    Alipay = "alipay",
    /// WeChat Pay (template GUID `com.qq.weixin.pay`).
    Wechatpay = "wechatpay",
}

impl fmt::Display for SchemeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is no [`SchemeId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a known scheme id")]
pub struct UnknownScheme;

impl FromStr for SchemeId {
    type Err = UnknownScheme;
    fn from_str(s: &str) -> Result<SchemeId, UnknownScheme> {
        SchemeId::from_str_opt(s).ok_or(UnknownScheme)
    }
}

/// A set of schemes, held in one machine word (no allocation).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SchemeSet(u64);

impl SchemeSet {
    /// The empty set.
    pub const EMPTY: SchemeSet = SchemeSet(0);

    const fn bit(id: SchemeId) -> u64 {
        1u64 << (id as u32)
    }

    /// A set of one scheme.
    pub const fn of(id: SchemeId) -> SchemeSet {
        SchemeSet(SchemeSet::bit(id))
    }

    /// Adds `id`.
    pub fn insert(&mut self, id: SchemeId) {
        self.0 |= SchemeSet::bit(id);
    }

    /// Adds every scheme of `other`.
    pub fn extend(&mut self, other: SchemeSet) {
        self.0 |= other.0;
    }

    /// True when `id` is in the set.
    pub const fn contains(&self, id: SchemeId) -> bool {
        self.0 & SchemeSet::bit(id) != 0
    }

    /// True when the set is empty.
    pub const fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// How many schemes the set holds.
    pub const fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// The schemes, in [`SchemeId::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = SchemeId> + '_ {
        // Bit `i` is `SchemeId::ALL[i]`: the set bits, lowest first, are the ids in order.
        let mut bits = self.0;
        core::iter::from_fn(move || {
            while bits != 0 {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(&id) = SchemeId::ALL.get(i) {
                    return Some(id);
                }
            }
            None
        })
    }
}

impl fmt::Debug for SchemeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(SchemeId::as_str))
            .finish()
    }
}

impl FromIterator<SchemeId> for SchemeSet {
    fn from_iter<I: IntoIterator<Item = SchemeId>>(iter: I) -> SchemeSet {
        let mut s = SchemeSet::EMPTY;
        for id in iter {
            s.insert(id);
        }
        s
    }
}

/// ASCII case-insensitive prefix test.
pub(crate) fn starts_ic(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// An ASCII text of 8 to 24 bytes to compare case-insensitively a word at a time: its bytes
/// lower-cased, and 0x20 on its letters, in three 8-byte words at 0, 8 (or `len - 16`) and
/// `len - 8` (overlapping when shorter than 24).
#[derive(Clone, Copy)]
pub(crate) struct Folded {
    len: usize,
    lower: [u64; 3],
    mask: [u64; 3],
}

impl Folded {
    /// Folds `p` (ASCII, 8 to 24 bytes). Used for constants only, so a pattern out of that
    /// range stops the build.
    pub(crate) const fn new(p: &str) -> Folded {
        let len = p.len();
        assert!(
            len >= 8 && len <= 24 && p.is_ascii(),
            "a folded pattern has 8 to 24 ASCII bytes"
        );
        let [o0, o1, o2] = Folded::offsets(len);
        let (mut l0, mut l1, mut l2, mut m0, mut m1, mut m2) = (0, 0, 0, 0, 0, 0);
        let mut rest = p.as_bytes();
        let mut i = 0;
        while let [c, tail @ ..] = rest {
            (l0, m0) = Folded::put(l0, m0, o0, i, *c);
            (l1, m1) = Folded::put(l1, m1, o1, i, *c);
            (l2, m2) = Folded::put(l2, m2, o2, i, *c);
            i += 1;
            rest = tail;
        }
        Folded {
            len,
            lower: [l0, l1, l2],
            mask: [m0, m1, m2],
        }
    }

    /// Adds byte `c` at index `i` of the text to the word starting at `o`, when it covers it.
    const fn put(lower: u64, mask: u64, o: usize, i: usize, c: u8) -> (u64, u64) {
        if i < o || i >= o + 8 {
            return (lower, mask);
        }
        let shift = 8 * (i - o);
        let letter = if c.is_ascii_alphabetic() { 0x20 } else { 0 };
        (
            lower | (c.to_ascii_lowercase() as u64) << shift,
            mask | letter << shift,
        )
    }

    /// Where the three words start for a text of `len` bytes.
    const fn offsets(len: usize) -> [usize; 3] {
        let last = len.saturating_sub(8);
        let mid = if last < 8 { last } else { 8 };
        [0, mid, last]
    }

    /// `s` starts with the text, ignoring ASCII case: `starts_ic(s, p)`.
    #[inline(always)]
    pub(crate) fn starts(&self, s: &[u8]) -> bool {
        let word = |o: usize| {
            s.get(o..)
                .and_then(|r| r.first_chunk::<8>())
                .map(|w| u64::from_le_bytes(*w))
        };
        let [a, b, c] = Folded::offsets(self.len);
        let [la, lb, lc] = self.lower;
        let [ma, mb, mc] = self.mask;
        s.len() >= self.len
            && word(a).is_some_and(|w| w | ma == la)
            && word(b).is_some_and(|w| w | mb == lb)
            && word(c).is_some_and(|w| w | mc == lc)
    }

    /// `s` is the text, ignoring ASCII case: `s.eq_ignore_ascii_case(p)`.
    #[inline(always)]
    pub(crate) fn is(&self, s: &[u8]) -> bool {
        s.len() == self.len && self.starts(s)
    }
}

/// The GUIDs [`schemes_of_guid`] compares of 8 bytes or more, folded.
pub(crate) mod folded {
    use super::*;
    pub(crate) const PIX: [Folded; 2] = [Folded::new(pix::GUIDS[0]), Folded::new(pix::GUIDS[1])];
    pub(super) const PAYNOW: Folded = Folded::new(singapore::PAYNOW_GUID);
    pub(super) const NETS: Folded = Folded::new(singapore::NETS_GUID);
    pub(super) const QRIS: [Folded; 2] = [
        Folded::new(qris::NATIONAL_GUIDS[0]),
        Folded::new(qris::NATIONAL_GUIDS[1]),
    ];
    pub(super) const BCEAO: Folded = Folded::new(bceao::GUID);
    pub(super) const PPMI: Folded = Folded::new(philippines::PPMI_PREFIX);
    pub(super) const P2P: Folded = Folded::new(philippines::P2P_GUID);
    pub(super) const ALIPAY: Folded = Folded::new(china::ALIPAY_GUID_PREFIX);
    pub(super) const WECHAT: Folded = Folded::new(china::WECHAT_GUID);
    pub(super) const FPS: Folded = Folded::new(hongkong::GUID);
    pub(super) const FONEPAY: Folded = Folded::new(nepal::FONEPAY_GUID);
    pub(super) const KEQR: Folded = Folded::new(kenya::GUID);
    pub(super) const JPQR: Folded = Folded::new(japan::GUID);
}

/// The schemes a GUID (template sub-ID 00) names, matched case-insensitively.
pub fn schemes_of_guid(guid: &str) -> SchemeSet {
    use folded as f;
    use SchemeId as S;
    let g = guid.as_bytes();
    // One chain of tests, the first that matches deciding, split by the first letter of what
    // it looks for (a GUID can only match tests whose text starts with its own first letter):
    // the order within each letter is the order of the chain.
    let one = match g.first().map(u8::to_ascii_lowercase) {
        Some(b'a') => return registered_aid(g).unwrap_or(SchemeSet::EMPTY),
        Some(b'b') => f::PIX.iter().any(|p| p.is(g)).then_some(S::Pix),
        Some(b's') => {
            if f::PAYNOW.is(g) {
                Some(S::Paynow)
            } else {
                (guid.eq_ignore_ascii_case(singapore::SGQR_GUID) || f::NETS.is(g))
                    .then_some(S::Sgqr)
            }
        }
        Some(b'i') => {
            if f::QRIS.iter().any(|p| p.is(g)) {
                Some(S::Qris)
            } else {
                f::BCEAO.is(g).then_some(S::Pispi)
            }
        }
        Some(b'p') => f::PPMI.starts(g).then_some(S::Qrph),
        Some(b'c') => {
            if f::P2P.is(g) {
                Some(S::Qrph)
            } else if f::ALIPAY.starts(g) {
                Some(S::Alipay)
            } else {
                f::WECHAT.is(g).then_some(S::Wechatpay)
            }
        }
        Some(b'h') => f::FPS.is(g).then_some(S::Fps),
        Some(b'f') => f::FONEPAY.is(g).then_some(S::Fonepay),
        Some(b'k') => f::KEQR.is(g).then_some(S::Keqr),
        Some(b'j') => f::JPQR.is(g).then_some(S::Jpqr),
        Some(b'd') => starts_ic(guid, unionpay::CHINA_RID).then_some(S::Unionpay),
        _ => None,
    };
    one.map_or(SchemeSet::EMPTY, SchemeSet::of)
}

/// Bytes 2 to 9 of `s` as a little-endian word (`s` at least 10 bytes long).
const fn aid_word(s: &str) -> u64 {
    match s.as_bytes() {
        [_, _, a, b, c, d, e, f, g, h, ..] => u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h]),
        _ => 0,
    }
}

/// [`aid_word`] of the `i`-th RID of [`cards::RIDS`] (0 past its end).
const fn card_word(i: usize) -> u64 {
    let mut rest = cards::RIDS;
    let mut k = 0;
    while let [(rid, _), tail @ ..] = rest {
        if k == i {
            return aid_word(rid);
        }
        k += 1;
        rest = tail;
    }
    0
}

/// [`schemes_of_guid`] for a GUID starting with `A` or `a`: registered application
/// identifiers, each `A0` and digits. Digits compare exactly, so after the first byte the
/// comparison is of bytes: bytes 2 to 9 tell every RID here apart.
fn registered_aid(g: &[u8]) -> Option<SchemeSet> {
    use SchemeId as S;
    const THAI: u64 = aid_word(thai::RID);
    const DUITNOW: u64 = aid_word(duitnow::RID);
    const VIETQR: u64 = aid_word(vietnam::VIETQR_RID);
    const VNPAY: u64 = aid_word(vietnam::VNPAY_RID);
    const UPI: u64 = aid_word(india::UPI_RID);
    const QPAY: u64 = aid_word(mongolia::QPAY_AID);
    const LAPNET: u64 = aid_word(laos::LAPNET_AID);
    const UNIONPAY: u64 = aid_word(unionpay::RID);
    const VISA: u64 = card_word(0);
    const MASTERCARD: u64 = card_word(1);
    const AMEX: u64 = card_word(2);
    const JCB: u64 = card_word(3);
    const DISCOVER: u64 = card_word(4);
    // The bytes after the first ten of an AID longer than its RID.
    let tail = |aid: &str| g.get(10..aid.len()) == aid.as_bytes().get(10..);
    if g.get(1) != Some(&b'0') {
        return None;
    }
    let w = u64::from_le_bytes(*g.get(2..)?.first_chunk::<8>()?);
    let id = match w {
        THAI => {
            let mut set = SchemeSet::of(S::Promptpay);
            if g.len() == AID_HEAD && thai::BILL_AIDS.iter().any(|b| tail(b)) {
                set.insert(S::ThaiqrBill);
            }
            return Some(set);
        }
        DUITNOW => S::Duitnow,
        VIETQR => S::Vietqr,
        VNPAY => S::Vnpay,
        UPI => S::Upi,
        QPAY if tail(mongolia::QPAY_AID) => S::Qpay,
        LAPNET if tail(laos::LAPNET_AID) => S::Laoqr,
        UNIONPAY => S::Unionpay,
        VISA => S::Visa,
        MASTERCARD => S::Mastercard,
        AMEX => S::Amex,
        JCB => S::Jcb,
        DISCOVER => S::Discover,
        _ => return None,
    };
    Some(SchemeSet::of(id))
}

/// The length of the Thai bill AIDs, the only whole AIDs [`registered_aid`] compares.
const AID_HEAD: usize = 16;

/// The schemes the AID (tag 4F, in hex) of a consumer-presented code names: its network by
/// RID, plus profiles known by their AID (JPQR).
pub fn schemes_of_cpm_aid(aid_hex: &str) -> SchemeSet {
    let mut set = schemes_of_guid(aid_hex);
    if japan::CPM_AIDS.iter().any(|a| starts_ic(aid_hex, a)) {
        set.insert(SchemeId::Jpqr);
    }
    set
}

/// The schemes a primitive merchant account (IDs 02–25) names, without context.
pub fn schemes_of_primitive(id: u8) -> SchemeSet {
    match id {
        2 | 3 => SchemeSet::of(SchemeId::Visa),
        4 | 5 => SchemeSet::of(SchemeId::Mastercard),
        9 | 10 => SchemeSet::of(SchemeId::Discover),
        11 | 12 => SchemeSet::of(SchemeId::Amex),
        13 | 14 => SchemeSet::of(SchemeId::Jcb),
        15 | 16 => SchemeSet::of(SchemeId::Unionpay),
        _ => SchemeSet::EMPTY,
    }
}

/// Every scheme `m` carries: GUIDs of merchant-account templates (26–51), of payment-system
/// templates (62/50–99) and of unreserved templates (80–99); primitive IDs 02–25; and
/// profiles recognised by content (KHQR Bakong account IDs, Bharat QR, NepalPay, QRIS
/// acquirer templates). Never allocates.
pub fn identify(m: &Mpm<'_>) -> SchemeSet {
    let mut set = SchemeSet::EMPTY;
    // Only primitive IDs 02-16 name a scheme by themselves.
    for id in m.ids_in(2, 16) {
        set.extend(schemes_of_primitive(id));
    }
    // What `Mpm::guids` yields, in its order, without the offsets it does not need.
    let guid = |v| Template::new(v, 0).guid();
    // KHQR: what `cambodia::read` finds, a GUID of 29 or 30 holding an `@`, seen on the way.
    let mut khqr = false;
    for id in m.ids_in(26, 51) {
        if let Some(g) = m.get(id).and_then(guid) {
            set.extend(schemes_of_guid(g));
            // Without an early exit, so the compiler compares 16 bytes at a time.
            khqr |= (id == 29 || id == 30) && g.bytes().fold(false, |at, b| at | (b == b'@'));
        }
    }
    if let Some(ad) = m.get(62) {
        for_each_object(ad, |id, v| {
            if id >= 50 {
                if let Some(g) = guid(v) {
                    set.extend(schemes_of_guid(g));
                }
            }
        });
    }
    for id in m.ids_in(80, 99) {
        if let Some(g) = m.get(id).and_then(guid) {
            set.extend(schemes_of_guid(g));
        }
    }
    if khqr {
        set.insert(SchemeId::Khqr);
    }
    if india::is_bharat_qr(m, set) {
        set.insert(SchemeId::Bharatqr);
        if m.any_in(6, 8) {
            set.insert(SchemeId::Rupay);
        }
    }
    if nepal::is_nepalpay(m) {
        set.insert(SchemeId::Nepalpay);
    }
    // The country test first, inline: the out-of-line test is for Indonesian codes only.
    if !set.contains(SchemeId::Qris) && country_is(m, *b"ID") && qris::has_acquirer_template(m) {
        set.insert(SchemeId::Qris);
    }
    set
}

/// Calls `f` with the ID and value of each data object of `value`, in order, stopping at the
/// first structural error: what `Walker::new(value).map_while(Result::ok)` yields, read
/// straight from the bytes when the value is ASCII (where the walker's step is exactly
/// `tlv::split_ascii`).
#[inline(always)]
pub(crate) fn for_each_object<'a>(value: &'a str, mut f: impl FnMut(u8, &'a str)) {
    if !value.is_ascii() {
        for e in crate::tlv::Walker::new(value).map_while(Result::ok) {
            f(e.id, e.value);
        }
        return;
    }
    let mut rest = value.as_bytes();
    let mut pos = 0;
    while let Some((id, v, next)) = crate::tlv::split_ascii(rest) {
        // ASCII: every byte index is a character boundary.
        let start = pos + 4;
        if let Some(v) = value.get(start..start + v.len()) {
            f(id, v);
        }
        pos = start + v.len();
        rest = next;
    }
}

/// The value of the first data object with each ID of `ids`, in one walk of `value`: what
/// [`Template::get`] answers for each ID, read as [`for_each_object`] reads.
#[inline(always)]
pub(crate) fn first_subs<const N: usize>(value: &str, ids: [u8; N]) -> [Option<&str>; N] {
    let mut out = [None; N];
    for_each_object(value, |id, v| {
        for (slot, &want) in out.iter_mut().zip(&ids) {
            if want == id && slot.is_none() {
                *slot = Some(v);
            }
        }
    });
    out
}

/// True when the country code (58) is `cc`, compared inline.
#[inline]
pub(crate) fn country_is(m: &Mpm<'_>, cc: [u8; 2]) -> bool {
    m.value_is(58, &cc)
}

/// Checks `m` against the profile of every scheme [`identify`] finds, adding `scheme.*`
/// issues to `report`. Run it after [`crate::mpm::validate`]: it checks only what the
/// schemes add to EMV.
pub fn validate(m: &Mpm<'_>, report: &mut Report) {
    validate_found(identify(m), m, report);
}

/// [`validate`] for the schemes `found` (what [`identify`] returned for `m`), so a caller that
/// already identified them does not do it twice.
pub fn validate_found(found: SchemeSet, m: &Mpm<'_>, report: &mut Report) {
    for id in found.iter() {
        validate_scheme(id, m, report);
    }
}

/// Checks `m` against the profile of scheme `id` (whether or not `m` carries it: a profile
/// whose template is absent adds nothing).
pub fn validate_scheme(id: SchemeId, m: &Mpm<'_>, report: &mut Report) {
    use SchemeId as S;
    match id {
        S::Pix => pix::validate(m, report),
        S::Promptpay => thai::validate_promptpay(m, report),
        S::ThaiqrBill => thai::validate_bill(m, report),
        S::Paynow => singapore::validate_paynow(m, report),
        S::Sgqr => singapore::validate_sgqr(m, report),
        S::Qris => qris::validate(m, report),
        S::Duitnow => duitnow::validate(m, report),
        S::Vietqr => vietnam::validate_vietqr(m, report),
        S::Vnpay => vietnam::validate_vnpay(m, report),
        S::Qrph => philippines::validate(m, report),
        S::Fps => hongkong::validate(m, report),
        S::Bharatqr => india::validate_bharatqr(m, report),
        S::Upi => india::validate_upi(m, report),
        S::Khqr => cambodia::validate(m, report),
        S::Fonepay | S::Nepalpay => nepal::validate(m, report),
        S::Qpay => mongolia::validate(m, report),
        S::Laoqr => laos::validate(m, report),
        S::Keqr => kenya::validate(m, report),
        S::Pispi => bceao::validate(m, report),
        S::Jpqr => japan::validate(m, report),
        S::Unionpay
        | S::Visa
        | S::Mastercard
        | S::Amex
        | S::Jcb
        | S::Discover
        | S::Rupay
        | S::Alipay
        | S::Wechatpay => {}
    }
}

/// A calendar date (no time zone: the scheme's local date).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// Year, e.g. 2025.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31 (checked against the month).
    pub day: u8,
}

impl Date {
    /// A date if `year`, `month` and `day` name a real day of the Gregorian calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Reads `YYYYMMDD`.
    pub fn parse_yyyymmdd(s: &str) -> Option<Date> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n = |r: core::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u16>().ok());
        Date::new(n(0..4)?, n(4..6)? as u8, n(6..8)? as u8)
    }
}

/// When a code stops being payable, as the scheme writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expiry {
    /// The last day (PayNow 26/04 `YYYYMMDD`), in the scheme's local time.
    Date(Date),
    /// A local date and time (HK FPS 26/05 `YYMMDDhhmmss`, years 2000–2099).
    DateTime {
        /// The day.
        date: Date,
        /// Hour 0–23.
        hour: u8,
        /// Minute 0–59.
        minute: u8,
        /// Second 0–59.
        second: u8,
    },
    /// Milliseconds since the Unix epoch (KHQR 99/01, DuitNow 26/03).
    EpochMillis(u64),
}

impl Expiry {
    /// For an epoch expiry, whether it is past at `now_ms` (milliseconds since the Unix
    /// epoch, from the caller's clock); `None` for local dates, whose time zone the caller
    /// knows better.
    pub fn is_past_at(&self, now_ms: u64) -> Option<bool> {
        match *self {
            Expiry::EpochMillis(t) => Some(now_ms >= t),
            _ => None,
        }
    }
}

/// What a scheme adds to the uniform payment view of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SchemeData<'a> {
    /// The scheme this is about.
    pub scheme: SchemeId,
    /// What kind of payee identifier [`SchemeData::payee`] is (`"email"`, `"mobile"`,
    /// `"cpf"`, `"national-id"`, `"vpa"`, `"account"`, `"uen"`...).
    pub payee_kind: Option<&'static str>,
    /// The payee as the scheme identifies it (Pix key, PromptPay proxy, VPA...).
    pub payee: Option<&'a str>,
    /// The payee's bank or acquirer, when the scheme names it (VietQR BIN, KHQR bank).
    pub institution: Option<&'a str>,
    /// The reference the payer's app must carry (Pix txid, PayNow bill number...).
    pub reference: Option<&'a str>,
    /// When the code stops being payable.
    pub expires: Option<Expiry>,
    /// Whether the payer may change the amount (PayNow 26/03).
    pub amount_editable: Option<bool>,
    /// A location the app fetches the payment from (Pix dynamic 26/25, without scheme).
    pub url: Option<&'a str>,
}

impl<'a> SchemeData<'a> {
    /// Nothing known beyond the scheme.
    pub const fn new(scheme: SchemeId) -> SchemeData<'a> {
        SchemeData {
            scheme,
            payee_kind: None,
            payee: None,
            institution: None,
            reference: None,
            expires: None,
            amount_editable: None,
            url: None,
        }
    }
}

/// What scheme `id` adds to the payment view of `m` (only the scheme; fields it does not
/// define stay `None`).
pub fn payment_data<'a>(id: SchemeId, m: &Mpm<'a>) -> SchemeData<'a> {
    use SchemeId as S;
    let d = SchemeData::new(id);
    match id {
        S::Pix => pix::payment_data(m),
        S::Promptpay => thai::payment_data_promptpay(m),
        S::ThaiqrBill => thai::payment_data_bill(m),
        S::Paynow => singapore::payment_data(m),
        S::Qris => qris::payment_data(m),
        S::Duitnow => duitnow::payment_data(m),
        S::Vietqr => vietnam::payment_data(m),
        S::Fps => hongkong::payment_data(m),
        S::Upi | S::Bharatqr => india::payment_data(id, m),
        S::Khqr => cambodia::payment_data(m),
        _ => None,
    }
    .unwrap_or(d)
}

/// [`payment_data`] for every scheme [`identify`] finds.
pub fn payment_data_all<'a, 'm>(m: &'m Mpm<'a>) -> impl Iterator<Item = SchemeData<'a>> + 'm {
    let set = identify(m);
    SchemeId::ALL
        .iter()
        .copied()
        .filter(move |&id| set.contains(id))
        .map(move |id| payment_data(id, m))
}

// ---- helpers shared by the profiles ----

/// Root object `id` of `m` as a merchant account (what [`Mpm::merchant_accounts`] yields
/// for it).
#[inline]
pub(crate) fn account_of<'a>(m: &Mpm<'a>, id: u8) -> Option<MerchantAccount<'a>> {
    Some(MerchantAccount {
        id,
        value: m.get(id)?,
        offset: m.offset_of(id)?,
    })
}

/// The merchant-account templates of `m` with IDs `lo` to `hi` (within 26–51), in ID order:
/// [`Mpm::merchant_accounts`] with their templates, without visiting the other IDs.
#[inline]
pub(crate) fn account_templates<'a, 'm>(
    m: &'m Mpm<'a>,
    lo: u8,
    hi: u8,
) -> impl Iterator<Item = (MerchantAccount<'a>, Template<'a>)> + 'm {
    m.ids_in(lo.max(26), hi.min(51)).filter_map(move |id| {
        let a = account_of(m, id)?;
        Some((a, a.template()?))
    })
}

/// The first merchant-account template (26–51) whose GUID satisfies `pred`.
pub(crate) fn account_where<'a>(
    m: &Mpm<'a>,
    pred: impl Fn(&str) -> bool,
) -> Option<(MerchantAccount<'a>, Template<'a>)> {
    account_templates(m, 26, 51).find(|(_, t)| t.guid().is_some_and(&pred))
}

/// The value of root object `id` of `m` and its GUID (sub-ID 00), read from the value alone
/// (offsets are for issues, and cost a count over non-ASCII text).
#[inline(always)]
pub(crate) fn value_and_guid<'a>(m: &Mpm<'a>, id: u8) -> Option<(&'a str, &'a str)> {
    let v = m.get(id)?;
    Some((v, Template::new(v, 0).guid()?))
}

/// The ID and value of the first merchant-account template (26–51) whose GUID satisfies
/// `pred`: the template [`account_where`] finds, without its offset.
#[inline(always)]
pub(crate) fn account_value_where<'a>(
    m: &Mpm<'a>,
    pred: impl Fn(&str) -> bool,
) -> Option<(u8, &'a str)> {
    // A plain loop: iterator adapters here are left out of line.
    for id in m.ids_in(26, 51) {
        match value_and_guid(m, id) {
            Some((v, g)) if pred(g) => return Some((id, v)),
            _ => {}
        }
    }
    None
}

/// Path of sub-object `sub` of root `id`.
pub(crate) fn sub_path(id: u8, sub: u8) -> Path {
    Path::id(id).child(Seg::Id(sub))
}

/// The offset of sub-object `sub` of `t`, or of the template when absent.
pub(crate) fn sub_offset(t: &Template<'_>, sub: u8) -> usize {
    t.element(sub)
        .map_or(t.offset().saturating_sub(4), |e| e.offset)
}

pub(crate) fn push(report: &mut Report, code: Code, path: Path, offset: usize, detail: Detail) {
    report.push(code, Class::Deviation, path, offset, detail);
}

pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn is_alnum(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// 53 must be one of `allowed` (when present: its absence is EMV's rule).
#[inline]
pub(crate) fn expect_currency(
    m: &Mpm<'_>,
    report: &mut Report,
    allowed: &[&str],
    what: &'static str,
) {
    // Inlined into each profile, the comparison is with constants; the issue is out of line.
    if m.has(53) && !allowed.iter().any(|a| m.value_is(53, a.as_bytes())) {
        wrong_root(m, report, Code::SchemeCurrency, 53, what);
    }
}

/// Reports that root object `id` is not what the scheme expects.
#[cold]
#[inline(never)]
fn wrong_root(m: &Mpm<'_>, report: &mut Report, code: Code, id: u8, what: &'static str) {
    push(
        report,
        code,
        Path::id(id),
        m.offset_of(id).unwrap_or(0),
        Detail::Expected(what),
    );
}

/// 58 must be one of `allowed` (when present).
#[inline]
pub(crate) fn expect_country(
    m: &Mpm<'_>,
    report: &mut Report,
    allowed: &[&str],
    what: &'static str,
) {
    if m.has(58) && !allowed.iter().any(|a| m.value_is(58, a.as_bytes())) {
        wrong_root(m, report, Code::SchemeCountry, 58, what);
    }
}

/// Builds with `b` (strictly, or leniently for schemes that deviate from EMV on purpose) and
/// refuses a payload that breaks the rules of scheme `id`.
pub(crate) fn finish(b: &MpmBuilder, lenient: bool, id: SchemeId) -> Result<String, BuildError> {
    let out = if lenient {
        b.build_lenient()?
    } else {
        b.build()?
    };
    let found = out.chars().count();
    let m = mpm::parse(&out).map_err(|_| BuildError::TooLong {
        path: Path::ROOT,
        found,
    })?;
    let mut r = Report::new(Mode::Strict);
    validate_scheme(id, &m, &mut r);
    match r.issues().iter().find(|i| i.severity == Severity::Error) {
        Some(i) => Err(BuildError::Invalid(alloc::boxed::Box::new(*i))),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_fit_the_set() {
        assert_eq!(SchemeId::ALL.len(), 30);
        assert!(SchemeId::ALL.len() <= 64);
        for (i, a) in SchemeId::ALL.iter().enumerate() {
            assert_eq!(a.as_str().parse::<SchemeId>(), Ok(*a));
            for b in &SchemeId::ALL[i + 1..] {
                assert_ne!(a.as_str(), b.as_str());
            }
        }
        assert_eq!("PIX".parse::<SchemeId>(), Err(UnknownScheme));
    }

    #[test]
    fn set_operations() {
        let mut s = SchemeSet::EMPTY;
        assert!(s.is_empty());
        s.insert(SchemeId::Wechatpay);
        s.insert(SchemeId::Pix);
        s.insert(SchemeId::Pix);
        assert_eq!(s.len(), 2);
        let v: alloc::vec::Vec<_> = s.iter().collect();
        assert_eq!(v, [SchemeId::Pix, SchemeId::Wechatpay]);
    }

    #[test]
    fn set_iterates_in_declaration_order() {
        let all: SchemeSet = SchemeId::ALL.iter().copied().collect();
        assert_eq!(all.iter().collect::<alloc::vec::Vec<_>>(), SchemeId::ALL);
        for &id in SchemeId::ALL {
            assert_eq!(
                SchemeSet::of(id).iter().collect::<alloc::vec::Vec<_>>(),
                [id]
            );
        }
        assert_eq!(SchemeSet::EMPTY.iter().next(), None);
    }

    /// Template values: generated TLV-like texts, and non-ASCII ones (read by the walker),
    /// cut inside a character or not.
    fn template_samples() -> alloc::vec::Vec<alloc::string::String> {
        let mut seed = 7;
        let mut texts: alloc::vec::Vec<alloc::string::String> = (0..3000)
            .map(|_| crate::tlv::tlv_like(&mut seed, 2))
            .collect();
        for t in [
            "0002é10103abc",
            "0003日本x0102ab",
            "0102ab0005日本",
            "0102ab99",
        ] {
            texts.push(t.into());
        }
        texts
    }

    #[test]
    fn for_each_object_is_the_walk() {
        for t in template_samples() {
            let walked: alloc::vec::Vec<(u8, &str)> = crate::tlv::Walker::new(&t)
                .map_while(Result::ok)
                .map(|e| (e.id, e.value))
                .collect();
            let mut seen = alloc::vec::Vec::new();
            for_each_object(&t, |id, v| seen.push((id, v)));
            assert_eq!(seen, walked, "{t:?}");
        }
    }

    #[test]
    fn first_subs_is_get_for_each() {
        let mut texts = template_samples();
        for v in [
            "0014br.gov.bcb.pix0115a@b.com0210Pedido 1230201X",
            "0103ABC0015com.paycashless2503u/v",
            "0014br.gov.bcb.pix01",
            "0002é10103abc0103xyz",
            "",
            "9999",
        ] {
            texts.push(v.into());
        }
        let mut found = 0;
        for v in &texts {
            let t = Template::new(v, 4);
            // IDs the text holds (the second may repeat), and ones it may not.
            let mut held = t.iter().map_while(Result::ok).map(|e| e.id);
            let ids = [held.nth(1).unwrap_or(1), held.next().unwrap_or(2), 0, 25];
            let got = first_subs(v, ids);
            assert_eq!(got, ids.map(|id| t.get(id)), "{v:?}");
            assert_eq!(
                first_subs(v, [0, 1, 2, 3, 25]),
                [0, 1, 2, 3, 25].map(|id| t.get(id))
            );
            found += got.iter().flatten().count();
        }
        assert!(found > 2_000, "{found}");
    }

    #[test]
    fn account_value_where_is_account_where() {
        let values = [
            "0014br.gov.bcb.pix0105a@b.c",
            "0014BR.GOV.BCB.PIX",
            "0010A0000007270127000697041501",
            "0105a@b.c0014br.gov.bcb.pix",
            "0002é10014br.gov.bcb.pix",
            "0014br.gov.bcb.spi01",
            "0103abc",
            "",
        ];
        let preds: [fn(&str) -> bool; 3] = [
            |g| pix::GUIDS.iter().any(|p| g.eq_ignore_ascii_case(p)),
            |g| starts_ic(g, vietnam::VIETQR_RID),
            |_| true,
        ];
        let mut checked = 0;
        let mut seed = 3u64;
        for _ in 0..2000 {
            let mut text = alloc::string::String::from("000201");
            if seed % 5 == 0 {
                text.push_str("0203日本");
            }
            for id in [26, 29, 38, 51, 52] {
                let k = (crate::xorshift(&mut seed) % (values.len() as u64 + 2)) as usize;
                if let Some(v) = values.get(k) {
                    text.push_str(&alloc::format!("{id:02}{:02}{v}", v.chars().count()));
                }
            }
            let Ok(m) = mpm::parse(&text) else { continue };
            for pred in preds {
                let want = account_where(&m, pred).map(|(a, _)| (a.id, a.value));
                checked += usize::from(want.is_some());
                assert_eq!(account_value_where(&m, pred), want, "{text}");
            }
        }
        assert!(checked > 1_000, "{checked}");
    }

    /// The chain [`schemes_of_guid`] splits by first letter, as one chain.
    fn schemes_of_guid_chain(guid: &str) -> SchemeSet {
        use SchemeId as S;
        let eq = |s: &str| guid.eq_ignore_ascii_case(s);
        let pre = |p: &str| starts_ic(guid, p);
        let mut set = SchemeSet::EMPTY;
        if pix::GUIDS.iter().any(|g| eq(g)) {
            set.insert(S::Pix);
        } else if pre(thai::RID) {
            set.insert(S::Promptpay);
            if thai::BILL_AIDS.iter().any(|g| eq(g)) {
                set.insert(S::ThaiqrBill);
            }
        } else if eq(singapore::PAYNOW_GUID) {
            set.insert(S::Paynow);
        } else if eq(singapore::SGQR_GUID) || eq(singapore::NETS_GUID) {
            set.insert(S::Sgqr);
        } else if qris::NATIONAL_GUIDS.iter().any(|g| eq(g)) {
            set.insert(S::Qris);
        } else if pre(duitnow::RID) {
            set.insert(S::Duitnow);
        } else if pre(vietnam::VIETQR_RID) {
            set.insert(S::Vietqr);
        } else if pre(vietnam::VNPAY_RID) {
            set.insert(S::Vnpay);
        } else if pre("ph.ppmi.") || eq(philippines::P2P_GUID) {
            set.insert(S::Qrph);
        } else if eq(hongkong::GUID) {
            set.insert(S::Fps);
        } else if pre(india::UPI_RID) {
            set.insert(S::Upi);
        } else if eq(nepal::FONEPAY_GUID) {
            set.insert(S::Fonepay);
        } else if pre(mongolia::QPAY_AID) {
            set.insert(S::Qpay);
        } else if pre(laos::LAPNET_AID) {
            set.insert(S::Laoqr);
        } else if eq(kenya::GUID) {
            set.insert(S::Keqr);
        } else if eq(bceao::GUID) {
            set.insert(S::Pispi);
        } else if eq(japan::GUID) {
            set.insert(S::Jpqr);
        } else if pre(unionpay::RID) || pre(unionpay::CHINA_RID) {
            set.insert(S::Unionpay);
        } else if pre(china::ALIPAY_GUID_PREFIX) {
            set.insert(S::Alipay);
        } else if eq(china::WECHAT_GUID) {
            set.insert(S::Wechatpay);
        } else if let Some(id) = cards::network_of_aid(guid) {
            set.insert(id);
        }
        set
    }

    #[test]
    fn guid_dispatch_is_the_chain() {
        let known = [
            pix::GUIDS[0],
            pix::GUIDS[1],
            thai::RID,
            thai::CREDIT_TRANSFER_AID,
            thai::BILL_AIDS[0],
            thai::BILL_AIDS[1],
            singapore::PAYNOW_GUID,
            singapore::SGQR_GUID,
            singapore::NETS_GUID,
            qris::NATIONAL_GUIDS[0],
            qris::NATIONAL_GUIDS[1],
            duitnow::GUID,
            vietnam::VIETQR_RID,
            vietnam::VNPAY_RID,
            "ph.ppmi.p2pqrpay",
            "ph.ppmi.",
            "ph.ppmi",
            philippines::P2P_GUID,
            hongkong::GUID,
            india::UPI_RID,
            nepal::FONEPAY_GUID,
            mongolia::QPAY_AID,
            laos::LAPNET_AID,
            kenya::GUID,
            bceao::GUID,
            japan::GUID,
            unionpay::RID,
            unionpay::CHINA_RID,
            china::ALIPAY_GUID_PREFIX,
            "com.alipay.xyz",
            china::WECHAT_GUID,
            "A0000000031010",
            "A000000004",
            "A000000025",
            "A0000000651010",
            "A000000152",
            "A0000000",
            "A",
            "",
            "é",
            "Aé00000677",
            "A000000677é",
            "A0000008430002",
            "A000000843",
            "A005266284662578",
            "A0052662846625",
            "A1000000677",
            "A000000677012007",
        ];
        let mut cases = alloc::vec::Vec::new();
        for k in known {
            for v in [
                alloc::string::String::from(k),
                k.to_ascii_lowercase(),
                k.to_ascii_uppercase(),
                alloc::format!("{k}0"),
                alloc::format!("{k}0123456789abcdef"),
                alloc::format!("x{k}"),
                k.get(..k.len().saturating_sub(1)).unwrap_or("").into(),
            ] {
                cases.push(v);
            }
        }
        for g in cases {
            assert_eq!(schemes_of_guid(&g), schemes_of_guid_chain(&g), "{g}");
        }
    }

    #[test]
    fn folded_is_eq_ignore_ascii_case() {
        let pats = [
            "br.gov.bcb.pix",
            "br.gov.bcb.spi",
            "ID.CO.QRIS.WWW",
            "ID.OR.GPNQR.WWW",
            "ke.go.qr",
            "jp.or.paymentsjapan",
            "com.qq.weixin.pay",
            "SG.PAYNOW",
            "0123456789abcdefABCDEF@.",
        ];
        let mut seed = 3u64;
        for p in pats {
            let f = Folded::new(p);
            let mut cases = alloc::vec![
                alloc::string::String::from(p),
                p.to_ascii_uppercase(),
                p.to_ascii_lowercase(),
                alloc::format!("{p}x"),
                alloc::format!("x{p}"),
                p.get(1..).unwrap_or("").into(),
                p.get(..p.len() - 1).unwrap_or("").into(),
            ];
            // Each byte changed: flipped 0x20 (a case change for letters only), to a
            // non-ASCII character, to a neighbour.
            for i in 0..p.len() {
                for c in [0x20u8, 0x01, 0x80] {
                    let mut b = p.as_bytes().to_vec();
                    b[i] ^= c;
                    if let Ok(s) = alloc::string::String::from_utf8(b) {
                        cases.push(s);
                    }
                }
                let mut s = alloc::string::String::from(&p[..i]);
                s.push('é');
                s.push_str(&p[i + 1..]);
                cases.push(s);
            }
            for _ in 0..200 {
                let bits = crate::xorshift(&mut seed);
                let mut b = p.as_bytes().to_vec();
                for (k, x) in b.iter_mut().enumerate() {
                    if (bits >> (k % 60)) & 1 == 1 {
                        x.make_ascii_uppercase();
                    }
                }
                cases.push(alloc::string::String::from_utf8(b).unwrap());
            }
            for s in cases {
                assert_eq!(f.is(s.as_bytes()), s.eq_ignore_ascii_case(p), "{p} {s}");
                assert_eq!(f.starts(s.as_bytes()), starts_ic(&s, p), "{p} {s}");
            }
        }
    }

    #[test]
    fn folded_guids_fit() {
        // Folded::new wants 8 to 24 bytes of ASCII.
        let all = [
            pix::GUIDS[0],
            pix::GUIDS[1],
            singapore::PAYNOW_GUID,
            singapore::NETS_GUID,
            qris::NATIONAL_GUIDS[0],
            qris::NATIONAL_GUIDS[1],
            bceao::GUID,
            philippines::PPMI_PREFIX,
            philippines::P2P_GUID,
            china::ALIPAY_GUID_PREFIX,
            china::WECHAT_GUID,
            hongkong::GUID,
            nepal::FONEPAY_GUID,
            kenya::GUID,
            japan::GUID,
        ];
        for g in all {
            assert!((8..=24).contains(&g.len()) && g.is_ascii(), "{g}");
        }
        // registered_aid: every RID and AID is `A0` and digits, told apart by bytes 2-9.
        let aids = [
            thai::RID,
            duitnow::RID,
            vietnam::VIETQR_RID,
            vietnam::VNPAY_RID,
            india::UPI_RID,
            mongolia::QPAY_AID,
            laos::LAPNET_AID,
            unionpay::RID,
            cards::RIDS[0].0,
            cards::RIDS[1].0,
            cards::RIDS[2].0,
            cards::RIDS[3].0,
            cards::RIDS[4].0,
        ];
        assert_eq!(cards::RIDS.len(), 5);
        for (i, a) in aids.iter().enumerate() {
            assert!(a.len() >= 10 && a.starts_with("A0"), "{a}");
            assert!(a[1..].bytes().all(|b| b.is_ascii_digit()), "{a}");
            for b in &aids[i + 1..] {
                assert_ne!(a[2..10], b[2..10], "{a} {b}");
            }
        }
        for b in thai::BILL_AIDS {
            assert!(b.len() == AID_HEAD && b.starts_with(thai::RID), "{b}");
            assert!(b.bytes().skip(1).all(|c| c.is_ascii_digit()), "{b}");
        }
    }

    #[test]
    fn dates() {
        assert!(Date::parse_yyyymmdd("20240229").is_some());
        assert!(Date::parse_yyyymmdd("20230229").is_none());
        assert!(Date::parse_yyyymmdd("21001301").is_none());
        assert!(Date::parse_yyyymmdd("2024022").is_none());
        assert!(Date::parse_yyyymmdd("２０２４0229").is_none());
    }
}
