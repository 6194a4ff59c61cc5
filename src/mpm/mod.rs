//! EMVCo merchant-presented mode (QRCPS MPM v1.1): a borrowed view with typed accessors,
//! validation in strict and lenient modes, and a builder of canonical payloads.
//!
//! ```
//! use qrpay::mpm;
//! let text = "00020101021229370016A000000677010111011300668123456785802TH53037646304FE29";
//! # let text = &qrpay::mpm::MpmBuilder::new("0000", "764", "TH", "SHOP", "BANGKOK")
//! #     .account_template(29, &[(0, "A000000677010111"), (1, "0066812345678")]).build().unwrap();
//! let m = mpm::parse(text).unwrap();
//! assert_eq!(m.currency().unwrap().alpha, "THB");
//! let acct = m.merchant_accounts().next().unwrap();
//! assert_eq!(acct.guid(), Some("A000000677010111"));
//! ```

mod build;
mod validate;

pub use build::{BuildError, MpmBuilder};
pub(crate) use validate::broken as report_broken;
pub use validate::validate;
pub(crate) use validate::validate_checked;

use crate::currency::{self, Currency};
use crate::tlv::{Element, TlvError, Walker};

/// The most characters qrpay reads in any payload. A QR symbol holds at most 7089 digits or
/// 2953 bytes; 4296 is the alphanumeric maximum of version 40.
pub const MAX_PAYLOAD_BYTES: usize = 4296;

/// Why a payload could not be read as MPM at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The payload is empty.
    #[error("the payload is empty")]
    Empty,
    /// The payload is longer than [`MAX_PAYLOAD_BYTES`].
    #[error("the payload has {0} bytes, more than the {MAX_PAYLOAD_BYTES} qrpay reads")]
    TooLong(usize),
    /// The root data objects do not walk.
    #[error("{0}")]
    Tlv(TlvError),
}

/// A parsed MPM payload: borrows the text, indexes the first occurrence of each root ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mpm<'a> {
    text: &'a str,
    /// Byte index of the value of the first occurrence of each root ID; 0 means absent (a
    /// value never starts at byte 0: its header comes first). Payloads are at most
    /// [`MAX_PAYLOAD_BYTES`], so 16 bits suffice. The rest is derived: the length from the
    /// two header digits just before the value, the end from the length (in bytes for ASCII
    /// text, in characters otherwise) and the character offset of the header from the byte
    /// index. Keeping 200 bytes instead of 600 makes the view cheap to build and to move.
    starts: [u16; 100],
    /// Bit `id` set: root ID present.
    present: u128,
    /// Something the order checks must look at: a duplicate, a zero length, 00 not first, or
    /// an object after 63. When false, validation need not walk the root again.
    irregular: bool,
    /// Bytes before this index are ASCII, so there characters and bytes coincide (the whole
    /// text is ASCII when it equals the length).
    ascii_until: u16,
    /// Found while indexing (see `validate::Clean`): what validation has left to check.
    fast: validate::Fast,
    /// The number of characters, found with `fast` (0 when it is `Fast::General`).
    chars: u16,
    /// With `Fast::Rules`: bit `id` set when root object `id` may have something to report.
    dirty: u128,
}

/// Reads the root structure of an MPM payload. It checks only that the data objects walk;
/// [`validate`] checks the rules and [`crate::decode()`] does both with the CRC. A loop over
/// many payloads can read each into one view with [`Mpm::read`] instead, which saves moving
/// the view out of this function.
#[inline]
pub fn parse(text: &str) -> Result<Mpm<'_>, ParseError> {
    // Inlined, so the view is built in the caller's frame; the move into the `Result` still
    // costs a 256-byte copy, which the compiler keeps because the view's address escapes
    // into `index` (`Mpm::read` has none).
    let mut m = Mpm::blank(text);
    m.index()?;
    Ok(m)
}

impl<'a> Mpm<'a> {
    /// A view of `text` with nothing indexed yet: [`Mpm::index`] fills it in. For callers
    /// that keep the view inside a larger value and index it there, without a copy.
    #[inline]
    pub(crate) fn blank(text: &'a str) -> Mpm<'a> {
        Mpm {
            text,
            starts: [0; 100],
            present: 0,
            irregular: false,
            ascii_until: 0,
            fast: validate::Fast::General,
            chars: 0,
            dirty: 0,
        }
    }

    /// A view that holds no payload, to read payloads into with [`Mpm::read`]. It reads as
    /// the empty text: every getter answers `None`, [`Mpm::objects`] yields nothing.
    #[inline]
    pub fn empty() -> Mpm<'a> {
        Mpm::blank("")
    }

    /// Reads `text` into this view in place, replacing what it held: [`parse`] without
    /// returning the view by value: `parse` moves the 256-byte view out of its frame, a copy
    /// the compiler keeps, which took 3–14 ns a payload in the measurements of PERFORMANCE.md.
    /// A loop over many payloads can keep one view and read each into it. On an error the view
    /// is [`Mpm::empty`].
    ///
    /// ```
    /// use qrpay::mpm::{self, Mpm};
    /// # let a = &qrpay::mpm::MpmBuilder::new("0000", "764", "TH", "SHOP", "BANGKOK")
    /// #     .account_template(29, &[(0, "A000000677010111"), (1, "0066812345678")]).build().unwrap();
    /// # let b = &qrpay::mpm::MpmBuilder::new("0000", "702", "SG", "KOPI", "SINGAPORE")
    /// #     .account_template(26, &[(0, "SG.PAYNOW"), (1, "2"), (2, "200012345X")]).build().unwrap();
    /// let mut m = Mpm::empty();
    /// let mut currencies = Vec::new();
    /// for payload in [a, b] {
    ///     m.read(payload)?;
    ///     let mut report = qrpay::Report::new(qrpay::Mode::Strict);
    ///     mpm::validate(&m, &mut report);
    ///     assert!(report.is_empty());
    ///     currencies.push(m.currency().unwrap().alpha);
    /// }
    /// assert_eq!(currencies, ["THB", "SGD"]);
    /// assert!(m.read("0002").is_err());
    /// assert_eq!(m, Mpm::empty());
    /// # Ok::<(), qrpay::mpm::ParseError>(())
    /// ```
    #[inline]
    pub fn read(&mut self, text: &'a str) -> Result<(), ParseError> {
        *self = Mpm::blank(text);
        let read = self.index();
        if read.is_err() {
            self.clear();
        }
        read
    }

    /// [`Mpm::read`] after an error: no payload.
    #[cold]
    fn clear(&mut self) {
        *self = Mpm::empty();
    }

    /// Fills in the index of a [`Mpm::blank`] view; the same errors as [`parse`].
    pub(crate) fn index(&mut self) -> Result<(), ParseError> {
        let text = self.text;
        if text.is_empty() {
            return Err(ParseError::Empty);
        }
        if text.len() > MAX_PAYLOAD_BYTES {
            return Err(ParseError::TooLong(text.len()));
        }
        let b = text.as_bytes();
        let (ascii_until, odd) = classify(b);
        self.ascii_until = ascii_until as u16;
        // A root that walks with no repeated ID and no zero length (nearly every real
        // payload) is read straight from the bytes, checking the rules on the way; anything
        // else, errors included, goes through the general walker.
        let indexed = if odd.0 == b.len() {
            self.index_regular::<true>(odd)
        } else {
            self.index_regular::<false>(odd)
        };
        if !indexed {
            self.index_walker()?;
        }
        Ok(())
    }
}

/// The length of the ASCII prefix of `b`, and a span of `b` outside which every byte is in
/// 0x20–0x7E: it starts at the first byte outside that range and ends just past the last
/// (or, when a byte below 0x20 precedes it, a little later); `(b.len(), b.len())` when there
/// is no such byte. The common case, no such byte, is one pass of 16-byte blocks; the span
/// is looked for only when there is one.
#[inline]
fn classify(b: &[u8]) -> (usize, (usize, usize)) {
    let none = (b.len(), b.len());
    if b.len() < 16 {
        return match b.iter().position(|c| !(0x20..=0x7E).contains(c)) {
            None => (b.len(), none),
            Some(lo) => (first_non_ascii(b), (lo, b.len())),
        };
    }
    if all_common(b) {
        return (b.len(), none);
    }
    let odd = odd_span(b);
    // The bytes before the span are ASCII.
    let ascii_until = odd.0 + first_non_ascii(b.get(odd.0..).unwrap_or_default());
    (ascii_until, odd)
}

/// Whether every byte of `b` (at least 16 long) is in 0x20–0x7E, that is, whether every
/// byte less 0x20 (wrapping) is below 0x5F. The largest such difference is kept per lane of
/// a 16-byte block, with no branch until the end: a form the compiler turns into two vector
/// instructions per block (a byte subtraction and a byte maximum). The last 16 bytes cover
/// the tail, overlapping the last whole block.
#[inline(always)]
pub(super) fn all_common(b: &[u8]) -> bool {
    fn fold(top: &mut [u8; 16], c: &[u8; 16]) {
        for (t, &c) in top.iter_mut().zip(c) {
            *t = (*t).max(c.wrapping_sub(0x20));
        }
    }
    let mut top = [0u8; 16];
    for c in b.chunks_exact(16) {
        if let Some(c) = c.first_chunk::<16>() {
            fold(&mut top, c);
        }
    }
    if let Some(c) = b.last_chunk::<16>() {
        fold(&mut top, c);
    }
    top.iter().fold(0, |m, &t| m.max(t)) < 0x5F
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;

/// The top bit of each byte of `x` (little-endian) that is below 0x20 or above 0x7E, and
/// possibly of bytes after such a byte: a borrow or a carry starts only at a flagged byte
/// and moves up, so the lowest flagged byte is always a true one.
#[inline(always)]
fn outside(x: u64) -> u64 {
    outside_unmasked(x) & HIGH
}

/// [`outside`] before the mask: only the top bits mean anything (a word has a byte below
/// 0x20 or above 0x7E exactly when one of them is set: the classic "has less" and "has
/// more" tests).
#[inline(always)]
fn outside_unmasked(x: u64) -> u64 {
    (x.wrapping_sub(ONES * 0x20) & !x) | (x.wrapping_add(ONES) | x)
}

/// For a `b` of at least eight bytes with a byte outside 0x20–0x7E: where the first such byte
/// is, and an end past which there is none (see [`classify`]).
#[cold]
fn odd_span(b: &[u8]) -> (usize, usize) {
    let word = |at: usize| {
        b.get(at..)
            .and_then(|r| r.first_chunk::<8>())
            .map_or(0, |w| outside(u64::from_le_bytes(*w)))
    };
    let last = b.len() - 8;
    // Blocks from the front, then words from the first block with a flagged byte (or the
    // last whole block's end), the last eight bytes overlapping.
    let mut at = 0;
    while at + 32 <= b.len() && !odd_32(b, at) {
        at += 32;
    }
    let mut at = at.min(last);
    let lo = loop {
        let o = word(at);
        if o != 0 {
            break at + (o.trailing_zeros() / 8) as usize;
        }
        if at == last {
            break b.len();
        }
        at = (at + 8).min(last);
    };
    // From the back, the same down to the word that holds byte `lo` (flagged, so the words
    // end there at the latest).
    let floor = lo.min(last);
    let mut end = b.len();
    while end >= floor + 32 && !odd_32(b, end - 32) {
        end -= 32;
    }
    let mut at = end.saturating_sub(8).clamp(floor, last);
    let hi = loop {
        let o = word(at);
        if o != 0 {
            break at + 8 - (o.leading_zeros() / 8) as usize;
        }
        if at == floor {
            break b.len();
        }
        at = at.saturating_sub(8).max(floor);
    };
    (lo, hi.max(lo))
}

/// Whether any of the 32 bytes of `b` from `at` is outside 0x20–0x7E (false when fewer
/// remain); a form the compiler turns into a few vector instructions.
#[inline(always)]
fn odd_32(b: &[u8], at: usize) -> bool {
    b.get(at..)
        .and_then(|r| r.first_chunk::<32>())
        .is_some_and(|r| {
            r.iter()
                .fold(false, |o, &c| o | (c.wrapping_sub(0x20) > 0x5E))
        })
}

/// `str::is_ascii`, eight bytes at a time including the tail (the standard one finishes
/// byte by byte).
#[inline]
fn is_ascii(b: &[u8]) -> bool {
    if b.len() < 8 {
        return b.is_ascii();
    }
    let word = |c: &[u8]| c.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w));
    let mut acc = 0;
    for c in b.chunks_exact(8) {
        acc |= word(c);
    }
    // The last eight bytes cover the tail (overlapping the last chunk).
    acc |= word(b.get(b.len() - 8..).unwrap_or(&[]));
    acc & HIGH == 0
}

/// The index of the first byte of `b` that is not ASCII (`b.len()` when none is).
fn first_non_ascii(b: &[u8]) -> usize {
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let w = c.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w)) & HIGH;
        if w != 0 {
            // Little-endian: the lowest flagged byte is the first non-ASCII one.
            return at + (w.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = chunks.remainder();
    at + tail.iter().position(|&c| c >= 0x80).unwrap_or(tail.len())
}

/// Byte index just past `chars` characters of `text` from byte `start` (`None` when fewer
/// remain). `ascii_until` is the length of the text's ASCII prefix.
#[inline]
fn advance(text: &str, ascii_until: usize, start: usize, chars: usize) -> Option<usize> {
    if start + chars <= ascii_until {
        return Some(start + chars);
    }
    advance_slow(text, start, chars)
}

/// [`advance`] past the ASCII prefix: counts the bytes that start a character (all but
/// `10xxxxxx`), eight at a time.
#[inline(never)]
pub(super) fn advance_slow(text: &str, start: usize, chars: usize) -> Option<usize> {
    advance_in(text, start, chars)
}

/// [`advance_slow`] inlined, for the language template's values, which follow one another
/// (each end locates the next header): no call and no spilled registers on that chain.
#[inline(always)]
pub(super) fn advance_in(text: &str, start: usize, chars: usize) -> Option<usize> {
    let b = text.as_bytes().get(start..)?;
    // Characters still to pass; the byte that starts the next one is the end.
    let mut left = chars;
    let mut at = 0;
    while let Some(w) = b.get(at..).and_then(|r| r.first_chunk::<8>()) {
        let w = u64::from_le_bytes(*w);
        // Top bit of each byte that starts a character: not (bit 7 set and bit 6 clear).
        let mut starts = !(w & !(w << 1)) & HIGH;
        // Their count: the sum of the bytes of `starts >> 7` (each 0 or 1) gathers in the top
        // byte of the product with 0x0101…01 (no popcount instruction in baseline x86-64).
        let n = ((starts >> 7).wrapping_mul(ONES) >> 56) as usize;
        if left < n {
            // The end is the start bit `left` places above the lowest.
            for _ in 0..left {
                starts &= starts - 1;
            }
            return Some(start + at + (starts.trailing_zeros() / 8) as usize);
        }
        left -= n;
        at += 8;
    }
    for (k, &c) in b.iter().enumerate().skip(at) {
        if c & 0xC0 != 0x80 {
            if left == 0 {
                return Some(start + k);
            }
            left -= 1;
        }
    }
    (left == 0).then_some(start + b.len())
}

impl<'a> Mpm<'a> {
    /// Records root object `id` found at character `offset`, its value starting at byte
    /// `start`.
    #[inline(always)]
    fn record(&mut self, id: u8, len: usize, offset: usize, start: usize) {
        let bit = 1u128 << id;
        self.irregular |= self.present & bit != 0 || len == 0 || (id == 0 && offset != 0);
        if self.present & bit == 0 {
            if let Some(slot) = self.starts.get_mut(usize::from(id)) {
                *slot = start as u16;
            }
        }
        self.present |= bit;
    }

    /// Indexes a root straight from the bytes, checking each object's rules on the way
    /// (`validate::Clean`); false (with `self` to be reset) when it does not walk or repeats
    /// an ID or has a zero length. Every byte outside the span `odd` is in 0x20–0x7E (see
    /// [`classify`]), so there a value of `len` characters is its next `len` bytes; a value
    /// that reaches into the span is read character by character. `ANS`: the span is empty
    /// (the whole payload is in 0x20–0x7E).
    #[inline(always)]
    fn index_regular<const ANS: bool>(&mut self, odd: (usize, usize)) -> bool {
        let b = self.text.as_bytes();
        let base = b.as_ptr() as usize;
        let mut irregular = false;
        // Bytes minus characters so far: UTF-8 continuation bytes seen.
        let mut extra = 0;
        // An object after 63: caught as it comes when the payload has bytes outside
        // 0x20–0x7E, from where 63 ends when it has none (after the loop).
        let mut after_crc = false;
        // Two 64-bit halves: cheaper to set a bit in than a u128.
        let mut present = [0u64; 2];
        let mut rules = validate::Clean::new();
        let mut rest = b;
        while !rest.is_empty() {
            // The value's first `len` bytes (a value of `len` characters has at least as many).
            let Some((id, first, next)) = crate::tlv::split_ascii(rest) else {
                return false;
            };
            let (Some(slot), Some(half)) = (
                self.starts.get_mut(usize::from(id)),
                present.get_mut(usize::from(id >> 6)),
            ) else {
                return false;
            };
            let (start, len) = (first.as_ptr() as usize - base, first.len());
            // A duplicate or a zero length: the general walker indexes the payload again
            // (below), keeping each ID's first occurrence; until then the last one is kept.
            let bit = 1 << (id & 63);
            irregular |= (*half & bit != 0) | (len == 0);
            *half |= bit;
            *slot = start as u16;
            if !ANS {
                irregular |= after_crc;
                after_crc = id == 63;
            }
            rest = if ANS || start + len <= odd.0 || start >= odd.1 {
                // All in 0x20–0x7E: those bytes are the value.
                rules.object(id, first);
                next
            } else {
                let Some(end) = self.odd_value(&mut rules, id, start, len) else {
                    return false;
                };
                extra += end - start - len;
                b.get(end..).unwrap_or_default()
            };
        }
        if irregular {
            return false;
        }
        // 00 not first, or (`ANS`) something after the (first) 63: a 63 that is not last
        // ends before the text does. A second 63 is a duplicate, irregular already.
        irregular |= self.starts[0] > 4;
        if let Some(&crc) = self.starts.get(63).filter(|&&s| ANS && s != 0) {
            let crc = usize::from(crc);
            // The two length digits just before the value.
            let len = match b.get(crc.saturating_sub(2)..crc) {
                Some(&[t, u]) => {
                    usize::from(t.wrapping_sub(b'0')) * 10 + usize::from(u.wrapping_sub(b'0'))
                }
                _ => 0,
            };
            irregular |= crc + len != b.len();
        }
        self.present = u128::from(present[0]) | u128::from(present[1]) << 64;
        self.irregular = irregular;
        let chars = b.len() - extra;
        (self.fast, self.dirty) = if !irregular && chars <= 512 {
            rules.finish(self.present)
        } else {
            (validate::Fast::General, 0)
        };
        self.chars = if self.fast != validate::Fast::General {
            chars as u16
        } else {
            0
        };
        true
    }

    /// A root value of `len` characters from byte `start` that may hold bytes outside
    /// 0x20–0x7E: its rules (`validate::Clean`), and the byte where it ends (`None` when
    /// fewer characters remain).
    #[cold]
    fn odd_value(
        &self,
        rules: &mut validate::Clean<'a>,
        id: u8,
        start: usize,
        len: usize,
    ) -> Option<usize> {
        let text = self.text;
        let first = text.as_bytes().get(start..start + len).unwrap_or_default();
        // A value whose first `len` bytes are ASCII is those bytes; one that is not ASCII
        // holds more bytes than characters.
        if start + len <= usize::from(self.ascii_until) || first.is_ascii() {
            rules.text_object(id, text.get(start..start + len).unwrap_or_default());
            Some(start + len)
        } else if let Some((end, clean)) = (id == 64)
            .then(|| validate::language_text(text, start, len))
            .flatten()
        {
            rules.language(clean);
            Some(end)
        } else {
            let end = advance_slow(text, start, len)?;
            rules.text_object(id, text.get(start..end).unwrap_or_default());
            Some(end)
        }
    }

    /// Indexes any root with the general walker, which also names structural errors.
    #[cold]
    fn index_walker(&mut self) -> Result<(), ParseError> {
        self.starts = [0; 100];
        self.present = 0;
        self.irregular = false;
        let base = self.text.as_ptr() as usize;
        let mut after_crc = false;
        for e in Walker::new(self.text) {
            let e = e.map_err(ParseError::Tlv)?;
            self.irregular |= after_crc;
            after_crc = e.id == 63;
            let start = e.value.as_ptr() as usize - base;
            self.record(e.id, e.len, e.offset, start);
        }
        Ok(())
    }
}

/// The first `chars` characters of `rest` (`None` when fewer remain): the reference the
/// tests hold [`advance_slow`] to.
#[cfg(test)]
fn value_of_chars(rest: &str, chars: usize) -> Option<&str> {
    let Some(last) = chars.checked_sub(1) else {
        return Some("");
    };
    let (i, c) = rest.char_indices().nth(last)?;
    rest.get(..i + c.len_utf8())
}

/// The payment networks that own the primitive merchant-account IDs 02–25 (MPM Table 4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Network {
    /// IDs 02–03.
    Visa,
    /// IDs 04–05.
    Mastercard,
    /// IDs 06–08 and 17–25, reserved by EMVCo (06–08 carry RuPay in Bharat QR).
    Emvco,
    /// IDs 09–10.
    Discover,
    /// IDs 11–12.
    Amex,
    /// IDs 13–14.
    Jcb,
    /// IDs 15–16.
    UnionPay,
}

impl Network {
    /// The owner of primitive ID `id`, for 02–25.
    pub const fn of_id(id: u8) -> Option<Network> {
        Some(match id {
            2 | 3 => Network::Visa,
            4 | 5 => Network::Mastercard,
            6..=8 | 17..=25 => Network::Emvco,
            9 | 10 => Network::Discover,
            11 | 12 => Network::Amex,
            13 | 14 => Network::Jcb,
            15 | 16 => Network::UnionPay,
            _ => return None,
        })
    }

    /// Lower-case name (`"visa"`, `"unionpay"`...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Network::Visa => "visa",
            Network::Mastercard => "mastercard",
            Network::Emvco => "emvco",
            Network::Discover => "discover",
            Network::Amex => "amex",
            Network::Jcb => "jcb",
            Network::UnionPay => "unionpay",
        }
    }
}

/// Point of initiation method (ID 01).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Initiation<'a> {
    /// `11`: the same code for many payments.
    Static,
    /// `12`: a new code for each payment.
    Dynamic,
    /// Any other value (RFU).
    Other(&'a str),
}

impl<'a> Initiation<'a> {
    fn from_value(v: &'a str) -> Initiation<'a> {
        match v {
            "11" => Initiation::Static,
            "12" => Initiation::Dynamic,
            o => Initiation::Other(o),
        }
    }
}

/// An amount as the payload writes it (`"98.73"`, `"98"`, `"98."`): a decimal string, never a
/// float.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Amount<'a>(&'a str);

impl<'a> Amount<'a> {
    /// Wraps a value without checking it; see [`Amount::is_valid`].
    pub const fn new(s: &'a str) -> Amount<'a> {
        Amount(s)
    }

    /// The text as written.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }

    /// Digits with at most one `.`, at least one non-zero digit, not starting with `.`
    /// (MPM §4.7.5).
    pub fn is_valid(&self) -> bool {
        is_amount(self.0)
    }

    /// Digits after the decimal mark (`"98."` has 0).
    pub fn decimals(&self) -> usize {
        let b = self.0.as_bytes();
        b.iter()
            .position(|&c| c == b'.')
            .map_or(0, |p| b.len() - p - 1)
    }
}

/// The MPM amount grammar (54 and 56): `^\d+(\.\d*)?$` with a non-zero digit.
pub fn is_amount(s: &str) -> bool {
    is_amount_bytes(s.as_bytes())
}

/// [`is_amount`] over bytes.
#[inline]
pub(crate) fn is_amount_bytes(s: &[u8]) -> bool {
    let mut dot = false;
    let mut nonzero = false;
    for (i, &c) in s.iter().enumerate() {
        match c {
            b'0' => {}
            b'1'..=b'9' => nonzero = true,
            // One '.', after at least one digit.
            b'.' if !dot && i > 0 => dot = true,
            _ => return false,
        }
    }
    nonzero
}

/// Tip or convenience indicator (ID 55) with its fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tip<'a> {
    /// `01`: the app prompts the consumer for a tip.
    Prompt,
    /// `02`: a fixed convenience fee (ID 56), if present.
    Fixed(Option<Amount<'a>>),
    /// `03`: a percentage convenience fee (ID 57, e.g. `"3.00"`), if present.
    Percentage(Option<&'a str>),
    /// Any other value (RFU).
    Other(&'a str),
}

/// A data object of a template: its sub-objects are read on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Template<'a> {
    value: &'a str,
    offset: usize,
}

impl<'a> Template<'a> {
    /// A template whose value is `value`, starting at character `offset` of the payload.
    pub const fn new(value: &'a str, offset: usize) -> Template<'a> {
        Template { value, offset }
    }

    /// The raw value.
    pub const fn as_str(&self) -> &'a str {
        self.value
    }

    /// Character offset of the value in the payload.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The sub-objects, in order, stopping at the first structural error.
    pub fn iter(&self) -> Walker<'a> {
        // The eight-bytes-at-a-time ASCII test: templates are short, the standard one pays
        // for its alignment handling.
        Walker::at_known(self.value, self.offset, is_ascii(self.value.as_bytes()))
    }

    /// True when the value walks as data objects to its end.
    pub fn is_well_formed(&self) -> bool {
        self.iter().all(|r| r.is_ok())
    }

    /// The first sub-object with ID `id` (the walk stops at a structural error).
    pub fn get(&self, id: u8) -> Option<&'a str> {
        self.element(id).map(|e| e.value)
    }

    /// The first sub-object with ID `id`, with its offset.
    pub fn element(&self, id: u8) -> Option<Element<'a>> {
        self.iter().map_while(Result::ok).find(|e| e.id == id)
    }

    /// The globally unique identifier (sub-ID 00), wherever it stands in the template.
    #[inline]
    pub fn guid(&self) -> Option<&'a str> {
        // Nearly always the first object: when its header and value are ASCII, the walker
        // would read it from the bytes just so.
        if let Some((0, len)) = crate::tlv::ascii_header(self.value.as_bytes()) {
            if let Some(v) = self
                .value
                .get(4..4 + len)
                .filter(|v| is_ascii(v.as_bytes()))
            {
                return Some(v);
            }
        }
        self.get(0)
    }
}

/// The sub-objects of a [`Template`] indexed in one walk, so that looking up several sub-IDs
/// costs one walk instead of one each. Lookups answer exactly as [`Template::element`] does
/// (first occurrence, nothing after a structural error).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SubIndex<'a> {
    t: Template<'a>,
    /// Bit `id` set: sub-ID `id` occurs before any structural error.
    present: u128,
    /// Byte index of the value of the first occurrence of each sub-ID (0: absent; a value
    /// never starts at byte 0). Used only when `indexed`.
    starts: [u8; 100],
    /// The value is ASCII and at most 255 bytes, so `starts` holds it; otherwise lookups
    /// walk the template.
    indexed: bool,
}

impl<'a> SubIndex<'a> {
    /// Indexes the sub-objects of `t`.
    #[inline]
    pub(crate) fn new(t: Template<'a>) -> SubIndex<'a> {
        let b = t.value.as_bytes();
        let mut ix = SubIndex {
            t,
            present: 0,
            starts: [0; 100],
            indexed: b.len() <= usize::from(u8::MAX) && is_ascii(b),
        };
        if !ix.indexed {
            ix.present = t
                .iter()
                .map_while(Result::ok)
                .fold(0, |acc, e| acc | 1u128 << e.id);
            return ix;
        }
        // ASCII: the walker's step is exactly `ascii_header` (it fails where that refuses).
        let mut pos = 0;
        while let Some(rest) = b.get(pos..).filter(|r| !r.is_empty()) {
            let Some((id, len)) = crate::tlv::ascii_header(rest) else {
                break;
            };
            let bit = 1u128 << id;
            if ix.present & bit == 0 {
                ix.present |= bit;
                if let Some(slot) = ix.starts.get_mut(usize::from(id)) {
                    *slot = (pos + 4) as u8;
                }
            }
            pos += 4 + len;
        }
        ix
    }

    /// True when sub-ID `id` occurs (as [`Template::element`] would find it).
    #[inline]
    pub(crate) fn has(&self, id: u8) -> bool {
        id < 100 && self.present & 1u128 << id != 0
    }

    /// [`Template::element`].
    #[inline]
    pub(crate) fn element(&self, id: u8) -> Option<Element<'a>> {
        if !self.has(id) {
            return None;
        }
        if !self.indexed {
            return self.t.element(id);
        }
        let start = usize::from(*self.starts.get(usize::from(id))?);
        let len = match self.t.value.as_bytes().get(start.checked_sub(2)?..start)? {
            [a, b] => usize::from(a.wrapping_sub(b'0')) * 10 + usize::from(b.wrapping_sub(b'0')),
            _ => return None,
        };
        Some(Element {
            id,
            value: self.t.value.get(start..start + len)?,
            offset: self.t.offset + start - 4,
            len,
        })
    }

    /// [`Template::get`].
    #[inline]
    pub(crate) fn get(&self, id: u8) -> Option<&'a str> {
        self.element(id).map(|e| e.value)
    }

    /// The offset of sub-object `sub`, or of the template's header when absent.
    #[inline]
    pub(crate) fn sub_offset(&self, sub: u8) -> usize {
        self.element(sub)
            .map_or(self.t.offset.saturating_sub(4), |e| e.offset)
    }
}

/// Merchant account information (IDs 02–51).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MerchantAccount<'a> {
    /// The root ID, 02–51.
    pub id: u8,
    /// The raw value.
    pub value: &'a str,
    /// Character offset of the data object.
    pub offset: usize,
}

impl<'a> MerchantAccount<'a> {
    /// The network that owns a primitive ID (02–25).
    pub fn network(&self) -> Option<Network> {
        Network::of_id(self.id)
    }

    /// For IDs 26–51, the template.
    pub fn template(&self) -> Option<Template<'a>> {
        (26..=51)
            .contains(&self.id)
            .then(|| Template::new(self.value, self.offset + 4))
    }

    /// For IDs 26–51, the template's GUID (sub-ID 00).
    pub fn guid(&self) -> Option<&'a str> {
        self.template().and_then(|t| t.guid())
    }
}

/// A value of 62/01–08: the text, or `***` asking the app to prompt the consumer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prompted<'a> {
    /// A value to use as is.
    Value(&'a str),
    /// `***`: the app must ask the consumer.
    Prompt,
}

impl<'a> Prompted<'a> {
    fn from_value(v: &'a str) -> Prompted<'a> {
        if v == "***" {
            Prompted::Prompt
        } else {
            Prompted::Value(v)
        }
    }
}

/// Additional consumer data request (62/09): what the app must ask the consumer for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ConsumerDataRequest {
    /// `A`: address.
    pub address: bool,
    /// `M`: mobile number.
    pub mobile: bool,
    /// `E`: email.
    pub email: bool,
}

impl ConsumerDataRequest {
    /// Reads a 62/09 value; `None` for a letter other than A, M, E or a repeated letter.
    pub fn parse(v: &str) -> Option<ConsumerDataRequest> {
        Self::from_bytes(v.as_bytes())
    }

    /// [`ConsumerDataRequest::parse`] of the value's bytes (validation reads them without
    /// checking UTF-8 first: only ASCII letters can succeed).
    pub(crate) fn from_bytes(v: &[u8]) -> Option<ConsumerDataRequest> {
        let mut r = ConsumerDataRequest::default();
        if v.is_empty() || v.len() > 3 {
            return None;
        }
        for &c in v {
            let flag = match c {
                b'A' => &mut r.address,
                b'M' => &mut r.mobile,
                b'E' => &mut r.email,
                _ => return None,
            };
            if *flag {
                return None;
            }
            *flag = true;
        }
        Some(r)
    }
}

/// Merchant channel (62/11, MPM v1.1 Tables 4.5–4.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MerchantChannel {
    /// Where the code is shown.
    pub media: Media,
    /// Where the transaction takes place.
    pub location: Location,
    /// Who attends the point of interaction.
    pub presence: Presence,
}

/// First character of 62/11.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Media {
    /// `0` Print — merchant sticker.
    PrintSticker,
    /// `1` Print — bill or invoice.
    PrintBill,
    /// `2` Print — magazine or poster.
    PrintPoster,
    /// `3` Print — other.
    PrintOther,
    /// `4` Screen — merchant POS/POI.
    ScreenPos,
    /// `5` Screen — website.
    ScreenWebsite,
    /// `6` Screen — app.
    ScreenApp,
    /// `7` Screen — other.
    ScreenOther,
}

/// Second character of 62/11.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// `0` At the merchant's premises or registered address.
    AtPremises,
    /// `1` Not at the merchant's premises.
    NotAtPremises,
    /// `2` Remote commerce.
    Remote,
    /// `3` Other.
    Other,
}

/// Third character of 62/11.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presence {
    /// `0` Attended POI.
    Attended,
    /// `1` Unattended.
    Unattended,
    /// `2` Semi-attended (self-checkout).
    SemiAttended,
    /// `3` Other.
    Other,
}

impl MerchantChannel {
    /// Reads a 62/11 value; `None` unless it is 3 characters each in its defined range.
    pub fn parse(v: &str) -> Option<MerchantChannel> {
        Self::from_bytes(v.as_bytes())
    }

    /// [`MerchantChannel::parse`] of the value's bytes (validation reads them without checking
    /// UTF-8 first: only ASCII digits can succeed).
    pub(crate) fn from_bytes(v: &[u8]) -> Option<MerchantChannel> {
        let [m, l, p] = <[u8; 3]>::try_from(v).ok()?;
        let media = match m {
            b'0' => Media::PrintSticker,
            b'1' => Media::PrintBill,
            b'2' => Media::PrintPoster,
            b'3' => Media::PrintOther,
            b'4' => Media::ScreenPos,
            b'5' => Media::ScreenWebsite,
            b'6' => Media::ScreenApp,
            b'7' => Media::ScreenOther,
            _ => return None,
        };
        let location = match l {
            b'0' => Location::AtPremises,
            b'1' => Location::NotAtPremises,
            b'2' => Location::Remote,
            b'3' => Location::Other,
            _ => return None,
        };
        let presence = match p {
            b'0' => Presence::Attended,
            b'1' => Presence::Unattended,
            b'2' => Presence::SemiAttended,
            b'3' => Presence::Other,
            _ => return None,
        };
        Some(MerchantChannel {
            media,
            location,
            presence,
        })
    }
}

/// Additional data field template (ID 62).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AdditionalData<'a>(pub Template<'a>);

macro_rules! prompted {
    ($($(#[$doc:meta])* $name:ident = $id:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(&self) -> Option<Prompted<'a>> {
                self.0.get($id).map(Prompted::from_value)
            }
        )*
    };
}

impl<'a> AdditionalData<'a> {
    prompted! {
        /// 01 Bill number.
        bill_number = 1;
        /// 02 Mobile number.
        mobile_number = 2;
        /// 03 Store label.
        store_label = 3;
        /// 04 Loyalty number.
        loyalty_number = 4;
        /// 05 Reference label (Pix carries its txid here).
        reference_label = 5;
        /// 06 Customer label.
        customer_label = 6;
        /// 07 Terminal label.
        terminal_label = 7;
        /// 08 Purpose of transaction.
        purpose = 8;
    }

    /// 09 Additional consumer data request, raw.
    pub fn consumer_data_request_raw(&self) -> Option<&'a str> {
        self.0.get(9)
    }

    /// 09 Additional consumer data request, decoded (`None` if absent or malformed).
    pub fn consumer_data_request(&self) -> Option<ConsumerDataRequest> {
        self.0.get(9).and_then(ConsumerDataRequest::parse)
    }

    /// 10 Merchant tax ID.
    pub fn merchant_tax_id(&self) -> Option<&'a str> {
        self.0.get(10)
    }

    /// 11 Merchant channel, raw.
    pub fn merchant_channel_raw(&self) -> Option<&'a str> {
        self.0.get(11)
    }

    /// 11 Merchant channel, decoded (`None` if absent or malformed).
    pub fn merchant_channel(&self) -> Option<MerchantChannel> {
        self.0.get(11).and_then(MerchantChannel::parse)
    }

    /// 50–99 payment-system specific templates.
    pub fn payment_system_templates(&self) -> impl Iterator<Item = (u8, Template<'a>)> + 'a {
        self.0
            .iter()
            .map_while(Result::ok)
            .filter(|e| e.id >= 50)
            .map(|e| (e.id, Template::new(e.value, e.value_offset())))
    }
}

/// Merchant information — language template (ID 64).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LanguageTemplate<'a>(pub Template<'a>);

impl<'a> LanguageTemplate<'a> {
    /// 00 Language preference (ISO 639 alpha-2).
    pub fn language(&self) -> Option<&'a str> {
        self.0.get(0)
    }
    /// 01 Merchant name in that language.
    pub fn merchant_name(&self) -> Option<&'a str> {
        self.0.get(1)
    }
    /// 02 Merchant city in that language.
    pub fn merchant_city(&self) -> Option<&'a str> {
        self.0.get(2)
    }
}

impl<'a> Mpm<'a> {
    /// The whole payload.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The first occurrence of each root ID present, in ascending ID order.
    pub fn objects(&self) -> impl Iterator<Item = Element<'a>> + '_ {
        let mut bits = self.present;
        core::iter::from_fn(move || {
            while bits != 0 {
                let id = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                if let Some(e) = self.object(id) {
                    return Some(e);
                }
            }
            None
        })
    }

    /// Root object `id` (its first occurrence) with its character offset, reading its slot
    /// once. `len` is the byte length: validation reads it only to spot zero.
    #[inline]
    fn object(&self, id: u8) -> Option<Element<'a>> {
        let start = usize::from(*self.starts.get(usize::from(id))?);
        let header = start.checked_sub(4)?;
        let len = match self.text.as_bytes().get(header + 2..start)? {
            [a, b] => usize::from(a.wrapping_sub(b'0')) * 10 + usize::from(b.wrapping_sub(b'0')),
            _ => return None,
        };
        let value = if start + len <= usize::from(self.ascii_until) {
            // Header and value lie in the ASCII prefix: bytes are characters.
            self.text.get(start..start + len)?
        } else {
            let (value, offset) = (self.get(id)?, self.offset_of(id)?);
            return Some(Element {
                id,
                value,
                offset,
                len: value.len(),
            });
        };
        Some(Element {
            id,
            value,
            offset: header,
            len: value.len(),
        })
    }

    /// True when the root has a duplicate, a zero length, 00 not first or an object after 63.
    pub(crate) fn is_irregular(&self) -> bool {
        self.irregular
    }

    /// What indexing found validation has left to check.
    pub(crate) fn fast(&self) -> validate::Fast {
        self.fast
    }

    /// With `Fast::Rules`, the root objects [`validate`] must check (bit `id` for ID `id`).
    pub(crate) fn dirty(&self) -> u128 {
        self.dirty
    }

    /// The number of characters, when [`Mpm::fast`] is not `Fast::General`.
    pub(crate) fn clean_chars(&self) -> usize {
        usize::from(self.chars)
    }

    /// True when the payload is ASCII, so character offsets and byte offsets coincide.
    pub(crate) fn is_ascii(&self) -> bool {
        usize::from(self.ascii_until) == self.text.len()
    }

    /// Bit `id` set: root ID `id` present.
    pub(crate) fn present_bits(&self) -> u128 {
        self.present
    }

    /// True when root ID `id` is present: `self.get(id).is_some()`, from the presence bits.
    #[inline]
    pub(crate) fn has(&self, id: u8) -> bool {
        id < 100 && self.present & 1u128 << id != 0
    }

    /// The root IDs from `lo` to `hi` (both included) that are present, in ascending order.
    #[inline]
    pub(crate) fn ids_in(&self, lo: u8, hi: u8) -> impl Iterator<Item = u8> {
        let mask = (u128::MAX >> (127 - u32::from(hi.min(127)))) & (u128::MAX << lo.min(127));
        let mut bits = self.present & mask;
        core::iter::from_fn(move || {
            (bits != 0).then(|| {
                let id = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                id
            })
        })
    }

    /// True when some root ID from `lo` to `hi` (both included) is present.
    #[inline]
    pub(crate) fn any_in(&self, lo: u8, hi: u8) -> bool {
        self.ids_in(lo, hi).next().is_some()
    }

    /// The root data objects in order, duplicates included.
    pub fn elements(&self) -> Walker<'a> {
        Walker::new(self.text)
    }

    /// The value of root ID `id` (its first occurrence).
    #[inline]
    pub fn get(&self, id: u8) -> Option<&'a str> {
        let start = usize::from(*self.starts.get(usize::from(id))?);
        if start == 0 {
            return None;
        }
        // The two length digits of the header end where the value starts.
        let len = match self.text.as_bytes().get(start.checked_sub(2)?..start)? {
            [a, b] => usize::from(a.wrapping_sub(b'0')) * 10 + usize::from(b.wrapping_sub(b'0')),
            _ => return None,
        };
        let end = advance(self.text, usize::from(self.ascii_until), start, len)?;
        self.text.get(start..end)
    }

    /// `self.get(id) == Some(want)` for an ASCII `want` of at most 99 bytes, from the header
    /// and the value's first bytes: a value of `want.len()` characters whose bytes start with
    /// `want` (all ASCII, one character each) is `want`.
    #[inline]
    pub(crate) fn value_is(&self, id: u8, want: &[u8]) -> bool {
        let Some(&start) = self.starts.get(usize::from(id)) else {
            return false;
        };
        let start = usize::from(start);
        let b = self.text.as_bytes();
        let n = want.len();
        debug_assert!(n <= 99, "a value has at most 99 characters");
        // No object starts at byte 0 (`start` 0 means absent): the header is in front.
        start >= 4
            && b.get(start - 2..start) == Some(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8])
            && b.get(start..start + n) == Some(want)
    }

    /// Character offset of root ID `id` (its first occurrence).
    #[inline]
    pub fn offset_of(&self, id: u8) -> Option<usize> {
        let start = usize::from(*self.starts.get(usize::from(id))?);
        let header = start.checked_sub(4).filter(|_| start != 0)?;
        let ascii_until = usize::from(self.ascii_until);
        if header <= ascii_until {
            Some(header)
        } else {
            Some(ascii_until + self.text.get(ascii_until..header)?.chars().count())
        }
    }

    fn template(&self, id: u8) -> Option<Template<'a>> {
        Some(Template::new(self.get(id)?, self.offset_of(id)? + 4))
    }

    /// 00 Payload format indicator (`"01"`).
    pub fn payload_format_indicator(&self) -> Option<&'a str> {
        self.get(0)
    }

    /// 01 Point of initiation method.
    pub fn initiation(&self) -> Option<Initiation<'a>> {
        self.get(1).map(Initiation::from_value)
    }

    /// 02–51 Merchant account information, in ID order.
    pub fn merchant_accounts(&self) -> impl Iterator<Item = MerchantAccount<'a>> + '_ {
        self.ids_in(2, 51).filter_map(move |id| {
            Some(MerchantAccount {
                id,
                value: self.get(id)?,
                offset: self.offset_of(id)?,
            })
        })
    }

    /// 52 Merchant category code (ISO 18245).
    pub fn mcc(&self) -> Option<&'a str> {
        self.get(52)
    }

    /// 53 Transaction currency, as written.
    pub fn currency_code(&self) -> Option<&'a str> {
        self.get(53)
    }

    /// 53 Transaction currency, looked up in ISO 4217.
    pub fn currency(&self) -> Option<&'static Currency> {
        currency::by_numeric(self.get(53)?)
    }

    /// 54 Transaction amount.
    pub fn amount(&self) -> Option<Amount<'a>> {
        self.get(54).map(Amount)
    }

    /// 55 Tip or convenience indicator, with 56 or 57.
    pub fn tip(&self) -> Option<Tip<'a>> {
        Some(match self.get(55)? {
            "01" => Tip::Prompt,
            "02" => Tip::Fixed(self.get(56).map(Amount)),
            "03" => Tip::Percentage(self.get(57)),
            o => Tip::Other(o),
        })
    }

    /// 56 Value of convenience fee fixed.
    pub fn convenience_fee_fixed(&self) -> Option<Amount<'a>> {
        self.get(56).map(Amount)
    }

    /// 57 Value of convenience fee percentage.
    pub fn convenience_fee_percentage(&self) -> Option<&'a str> {
        self.get(57)
    }

    /// 58 Country code (ISO 3166-1 alpha-2).
    pub fn country(&self) -> Option<&'a str> {
        self.get(58)
    }

    /// 59 Merchant name.
    pub fn merchant_name(&self) -> Option<&'a str> {
        self.get(59)
    }

    /// 60 Merchant city.
    pub fn merchant_city(&self) -> Option<&'a str> {
        self.get(60)
    }

    /// 61 Postal code.
    pub fn postal_code(&self) -> Option<&'a str> {
        self.get(61)
    }

    /// 62 Additional data field template.
    pub fn additional_data(&self) -> Option<AdditionalData<'a>> {
        self.template(62).map(AdditionalData)
    }

    /// 63 CRC, as written.
    pub fn crc(&self) -> Option<&'a str> {
        self.get(63)
    }

    /// 64 Merchant information — language template.
    pub fn language(&self) -> Option<LanguageTemplate<'a>> {
        self.template(64).map(LanguageTemplate)
    }

    /// 65–79 data objects reserved for future use: kept, never interpreted.
    pub fn rfu(&self) -> impl Iterator<Item = Element<'a>> + 'a {
        self.elements()
            .map_while(Result::ok)
            .filter(|e| (65..=79).contains(&e.id))
    }

    /// 80–99 unreserved templates, in ID order.
    pub fn unreserved_templates(&self) -> impl Iterator<Item = (u8, Template<'a>)> + '_ {
        self.ids_in(80, 99)
            .filter_map(move |id| Some((id, self.template(id)?)))
    }

    /// Every data object as a flat list (templates, then their sub-objects), for display.
    #[cfg(feature = "alloc")]
    pub fn fields(&self) -> alloc::vec::Vec<crate::fields::Field<'a>> {
        use crate::fields::Field;
        use alloc::borrow::Cow;
        let mut out = alloc::vec::Vec::new();
        for e in self.elements().map_while(Result::ok) {
            out.push(Field {
                path: alloc::format!("{:02}", e.id),
                name: root_name(e.id),
                value: Cow::Borrowed(e.value),
                offset: e.offset,
            });
            if is_template(e.id) && crate::tlv::walks(e.value) {
                for c in e.children().map_while(Result::ok) {
                    out.push(Field {
                        path: alloc::format!("{:02}.{:02}", e.id, c.id),
                        name: sub_name(e.id, c.id),
                        value: Cow::Borrowed(c.value),
                        offset: c.offset,
                    });
                    if e.id == 62 && c.id >= 50 && crate::tlv::walks(c.value) {
                        for g in c.children().map_while(Result::ok) {
                            out.push(Field {
                                path: alloc::format!("{:02}.{:02}.{:02}", e.id, c.id, g.id),
                                name: if g.id == 0 {
                                    "Globally Unique Identifier"
                                } else {
                                    ""
                                },
                                value: Cow::Borrowed(g.value),
                                offset: g.offset,
                            });
                        }
                    }
                }
            }
        }
        out
    }

    /// Every globally unique identifier in the payload: merchant-account templates 26–51,
    /// payment-system templates 62/50–99 and unreserved templates 80–99.
    pub fn guids(&self) -> impl Iterator<Item = &'a str> + '_ {
        let accounts = self.merchant_accounts().filter_map(|a| a.guid());
        let extra = self
            .additional_data()
            .into_iter()
            .flat_map(|a| a.payment_system_templates())
            .filter_map(|(_, t)| t.guid());
        let unreserved = self.unreserved_templates().filter_map(|(_, t)| t.guid());
        accounts.chain(extra).chain(unreserved)
    }
}

/// The name MPM v1.1 gives a root data object.
pub fn root_name(id: u8) -> &'static str {
    match id {
        0 => "Payload Format Indicator",
        1 => "Point of Initiation Method",
        2..=3 => "Merchant Account Information (Visa)",
        4..=5 => "Merchant Account Information (Mastercard)",
        6..=8 => "Merchant Account Information (EMVCo)",
        9..=10 => "Merchant Account Information (Discover)",
        11..=12 => "Merchant Account Information (Amex)",
        13..=14 => "Merchant Account Information (JCB)",
        15..=16 => "Merchant Account Information (UnionPay)",
        17..=25 => "Merchant Account Information (EMVCo)",
        26..=51 => "Merchant Account Information",
        52 => "Merchant Category Code",
        53 => "Transaction Currency",
        54 => "Transaction Amount",
        55 => "Tip or Convenience Indicator",
        56 => "Value of Convenience Fee Fixed",
        57 => "Value of Convenience Fee Percentage",
        58 => "Country Code",
        59 => "Merchant Name",
        60 => "Merchant City",
        61 => "Postal Code",
        62 => "Additional Data Field Template",
        63 => "CRC",
        64 => "Merchant Information - Language Template",
        65..=79 => "RFU for EMVCo",
        _ => "Unreserved Template",
    }
}

/// The name of sub-object `sub` of root template `parent` (empty when it has none).
pub fn sub_name(parent: u8, sub: u8) -> &'static str {
    match (parent, sub) {
        (26..=51 | 80..=99, 0) => "Globally Unique Identifier",
        (26..=51 | 80..=99, _) => "Payment network specific",
        (62, 1) => "Bill Number",
        (62, 2) => "Mobile Number",
        (62, 3) => "Store Label",
        (62, 4) => "Loyalty Number",
        (62, 5) => "Reference Label",
        (62, 6) => "Customer Label",
        (62, 7) => "Terminal Label",
        (62, 8) => "Purpose of Transaction",
        (62, 9) => "Additional Consumer Data Request",
        (62, 10) => "Merchant Tax ID",
        (62, 11) => "Merchant Channel",
        (62, 12..=49) => "RFU for EMVCo",
        (62, 50..=99) => "Payment System specific template",
        (64, 0) => "Language Preference",
        (64, 1) => "Merchant Name - Alternate Language",
        (64, 2) => "Merchant City - Alternate Language",
        (64, _) => "RFU for EMVCo",
        _ => "",
    }
}

/// True for root IDs whose value is a template.
pub const fn is_template(id: u8) -> bool {
    matches!(id, 26..=51 | 62 | 64 | 80..=99)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNEX: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

    /// Random text of `n` characters drawn from ASCII letters, control characters, DEL and
    /// two-, three- and four-byte characters.
    fn mixed_text(seed: &mut u64, n: usize) -> alloc::string::String {
        const PICK: [char; 10] = ['a', 'Z', '0', ' ', '\n', '\u{7f}', 'é', '北', '😀', '~'];
        (0..n)
            .map(|_| {
                let r = crate::xorshift(seed);
                // Mostly plain ASCII, as payloads are.
                if r % 4 == 0 {
                    PICK[(r >> 8) as usize % PICK.len()]
                } else {
                    char::from(b'A' + (r >> 8) as u8 % 26)
                }
            })
            .collect()
    }

    #[test]
    fn empty_view_answers_nothing() {
        let m = Mpm::empty();
        assert_eq!(m.as_str(), "");
        assert_eq!(m.objects().count(), 0);
        assert_eq!(m.elements().count(), 0);
        for id in 0..=255u8 {
            assert_eq!(m.get(id), None, "{id}");
            assert_eq!(m.offset_of(id), None, "{id}");
        }
        assert_eq!(m.merchant_accounts().count(), 0);
        assert_eq!(m.currency_code(), None);
        // A view that held a payload and failed to read the next is that empty view again.
        let mut used = parse(ANNEX).unwrap();
        assert!(used.read("0002").is_err());
        assert_eq!(used, m);
    }

    #[test]
    fn advance_slow_counts_characters() {
        let mut seed = 5;
        for n in 0..80 {
            let t = mixed_text(&mut seed, n);
            for (start, _) in t.char_indices().chain(core::iter::once((t.len(), ' '))) {
                for chars in 0..=n + 2 {
                    let want = value_of_chars(&t[start..], chars).map(|v| start + v.len());
                    assert_eq!(
                        advance_slow(&t, start, chars),
                        want,
                        "{t:?} {start} {chars}"
                    );
                }
            }
        }
        assert_eq!(advance_slow("ab", 3, 0), None);
    }

    #[test]
    fn all_common_agrees_with_a_byte_scan() {
        let mut seed = 11;
        for n in 16..=80 {
            // Letters and the two ends of the range, 0x20 and 0x7E.
            let mut b: alloc::vec::Vec<u8> = (0..n)
                .map(|_| match crate::xorshift(&mut seed) % 8 {
                    0 => b' ',
                    1 => b'~',
                    r => b'A' + r as u8,
                })
                .collect();
            assert!(all_common(&b), "{b:?}");
            for at in 0..n {
                let keep = b[at];
                for odd in [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF] {
                    b[at] = odd;
                    assert!(!all_common(&b), "{n} {at} {odd:#x}");
                }
                b[at] = keep;
            }
        }
    }

    #[test]
    fn classify_finds_the_ascii_prefix_and_the_odd_span() {
        let mut seed = 9;
        for i in 0..4000 {
            let t = mixed_text(&mut seed, i % 300);
            let b = t.as_bytes();
            let (ascii_until, (lo, hi)) = classify(b);
            let odd = |c: &u8| !(0x20..=0x7E).contains(c);
            assert_eq!(
                ascii_until,
                b.iter().position(|c| !c.is_ascii()).unwrap_or(b.len())
            );
            match b.iter().rposition(odd) {
                None => assert_eq!((lo, hi), (b.len(), b.len()), "{t:?}"),
                Some(last) => {
                    assert_eq!(Some(lo), b.iter().position(odd), "{t:?}");
                    assert!(last < hi && hi <= b.len(), "{t:?} {hi}");
                }
            }
        }
    }

    #[test]
    fn classify_finds_sparse_odd_bytes_in_every_block_position() {
        // One or two bytes outside 0x20–0x7E in plain text: the span and the ASCII prefix for
        // every placement, across block and word boundaries and the overlapping last word.
        for n in (16..=70).chain([127, 128, 129, 255, 256, 257, 300]) {
            for i in 0..n {
                for j in (i..n).step_by(5) {
                    for (x, y) in [(0x1F, 0x7F), (0x80, 0x00), (0x7F, 0xC3)] {
                        let mut b = alloc::vec![b'A'; n];
                        b[i] = x;
                        b[j] = y;
                        let non_ascii = b.iter().position(|&c| c >= 0x80).unwrap_or(n);
                        let (ascii_until, (lo, hi)) = classify(&b);
                        let at = format!("{n} {i} {j} {x:#x} {y:#x}");
                        assert_eq!((ascii_until, lo), (non_ascii, i), "{at}");
                        assert!(j < hi && hi <= n, "{at} {hi}");
                    }
                }
            }
        }
    }

    #[test]
    fn annex_example_fields() {
        let m = parse(ANNEX).unwrap();
        assert_eq!(m.payload_format_indicator(), Some("01"));
        assert_eq!(m.initiation(), Some(Initiation::Dynamic));
        let accts: alloc::vec::Vec<_> = m.merchant_accounts().collect();
        assert_eq!(accts.len(), 2);
        assert_eq!(accts[0].id, 29);
        assert_eq!(accts[0].guid(), Some("D15600000000"));
        assert_eq!(accts[0].template().unwrap().get(5), Some("A93FO3230Q"));
        assert_eq!(accts[1].guid(), Some("D15600000001"));
        assert_eq!(m.mcc(), Some("4111"));
        assert_eq!(m.currency().unwrap().alpha, "CNY");
        assert_eq!(m.amount().unwrap().as_str(), "23.72");
        assert_eq!(m.tip(), Some(Tip::Prompt));
        assert_eq!(m.country(), Some("CN"));
        assert_eq!(m.merchant_city(), Some("BEIJING"));
        let ad = m.additional_data().unwrap();
        assert_eq!(ad.store_label(), Some(Prompted::Value("1234")));
        assert_eq!(ad.customer_label(), Some(Prompted::Prompt));
        assert_eq!(ad.terminal_label(), Some(Prompted::Value("A6008667")));
        let cdr = ad.consumer_data_request().unwrap();
        assert!(cdr.mobile && cdr.email && !cdr.address);
        let lang = m.language().unwrap();
        assert_eq!(lang.language(), Some("ZH"));
        assert_eq!(lang.merchant_name(), Some("最佳运输"));
        assert_eq!(lang.merchant_city(), Some("北京"));
        let (id, t) = m.unreserved_templates().next().unwrap();
        assert_eq!((id, t.guid()), (91, Some("A011223344998877")));
        assert_eq!(m.crc(), Some("A13A"));
        assert_eq!(m.guids().count(), 3);
    }

    #[test]
    fn amount_grammar() {
        for ok in ["98.73", "98", "98.", "0.5", "100.5"] {
            assert!(is_amount(ok), "{ok}");
        }
        for bad in [
            "98,73", "3 705", ".5", "0", "0.00", "", "1.2.3", "-1", "1e5",
        ] {
            assert!(!is_amount(bad), "{bad}");
        }
        assert_eq!(Amount::new("98.").decimals(), 0);
        assert_eq!(Amount::new("1.255").decimals(), 3);
    }

    #[test]
    fn merchant_channel_and_cdr() {
        let c = MerchantChannel::parse("521").unwrap();
        assert_eq!(c.media, Media::ScreenWebsite);
        assert_eq!(c.location, Location::Remote);
        assert_eq!(c.presence, Presence::Unattended);
        assert!(MerchantChannel::parse("8").is_none());
        assert!(MerchantChannel::parse("480").is_none());
        assert!(ConsumerDataRequest::parse("AA").is_none());
        assert!(ConsumerDataRequest::parse("AME").is_some());
        assert!(ConsumerDataRequest::parse("X").is_none());
    }

    /// Payloads for the fast-path tests: generated ones, with and without a valid CRC
    /// object at the end, plus real ones.
    fn fast_path_samples() -> alloc::vec::Vec<alloc::string::String> {
        let mut seed = 11;
        let mut out = alloc::vec::Vec::new();
        for i in 0..3000 {
            let mut t = crate::tlv::tlv_like(&mut seed, 2);
            if i % 2 == 0 {
                t.push_str("6304");
                let crc = crate::crc::to_hex(crate::crc::crc16(t.as_bytes()));
                t.push_str(core::str::from_utf8(&crc).unwrap());
            }
            // Every third one with some letters made non-ASCII (lengths count characters, so
            // the structure stays the same): the character-aware paths.
            if i % 3 == 0 {
                t = t
                    .chars()
                    .enumerate()
                    .map(|(k, c)| match (c.is_ascii_alphabetic(), k % 3) {
                        (true, 0) => 'é',
                        (true, 1) => '北',
                        _ => c,
                    })
                    .collect();
            }
            out.push(t);
        }
        out.push(ANNEX.into());
        out.push("00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631".into());
        out
    }

    #[test]
    fn ascii_index_matches_walker_index() {
        for t in fast_path_samples() {
            let Ok(fast) = parse(&t) else { continue };
            let mut general = fast.clone();
            general.index_walker().unwrap();
            assert_eq!(fast, general, "{t}");
        }
    }

    #[test]
    fn ascii_validation_matches_general_validation() {
        use crate::{Mode, Report};
        let mut checked = 0;
        for t in fast_path_samples() {
            let Ok(m) = parse(&t) else { continue };
            let mut general = m.clone();
            general.ascii_until = 0;
            general.fast = validate::Fast::General;
            general.chars = 0;
            let issues = |m: &Mpm<'_>| {
                let mut r = Report::new(Mode::Strict);
                validate(m, &mut r);
                let mut v: alloc::vec::Vec<_> = r
                    .issues()
                    .iter()
                    .map(|i| (i.code, alloc::format!("{}", i.path), i.offset))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(issues(&m), issues(&general), "{t}");
            checked += 1;
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn has_is_get_some() {
        let mut present = 0;
        for t in fast_path_samples() {
            let Ok(m) = parse(&t) else { continue };
            for id in 0..=u8::MAX {
                assert_eq!(m.has(id), m.get(id).is_some(), "{t} {id}");
                present += usize::from(m.has(id));
            }
        }
        assert!(present > 5_000, "{present}");
    }

    #[test]
    fn value_is_is_get() {
        let mut checked = 0;
        for t in fast_path_samples() {
            let Ok(m) = parse(&t) else { continue };
            for id in 0..=100u8 {
                let got = m.get(id);
                let mut wants = alloc::vec!["", "0", "01", "ID", "KH", "116", "é"];
                // The value itself, a prefix and an extension of it (ASCII wants only).
                let own = got.filter(|v| v.is_ascii() && v.len() <= 98).unwrap_or("");
                let longer = alloc::format!("{own}0");
                wants.extend([own, own.get(..own.len() / 2).unwrap_or(""), &longer]);
                for w in wants.iter().filter(|w| w.is_ascii()) {
                    assert_eq!(
                        m.value_is(id, w.as_bytes()),
                        got == Some(*w),
                        "{t} {id} {w}"
                    );
                    checked += usize::from(got == Some(*w));
                }
            }
        }
        assert!(checked > 2_000, "{checked}");
    }

    #[test]
    fn sub_index_answers_as_element() {
        let mut seed = 5;
        let mut values: alloc::vec::Vec<alloc::string::String> = [
            "0014br.gov.bcb.pix0115a@b.com0210Pedido 1230201X",
            "0103ABC0015com.paycashless2503u/v",
            "0014br.gov.bcb.pix01",
            "0104最佳运输0202北京0002ZH",
            "",
            "9999",
            "0000",
        ]
        .map(alloc::string::String::from)
        .to_vec();
        for _ in 0..2000 {
            values.push(crate::tlv::tlv_like(&mut seed, 1));
        }
        values.push("0103abc".repeat(40));
        values.push("0003北京".into());
        values.push("0002北京0003abc".into());
        values.push("0005ab北京c".into());
        for (i, v) in values.iter().enumerate() {
            let t = Template::new(v, 7 + i);
            let ix = SubIndex::new(t);
            assert_eq!(t.guid(), t.get(0), "{v}");
            for id in 0..=100 {
                assert_eq!(ix.element(id), t.element(id), "{v} {id}");
                assert_eq!(ix.has(id), t.element(id).is_some(), "{v} {id}");
            }
        }
    }

    #[test]
    fn guid_found_anywhere_in_template() {
        let t = Template::new("0103ABC0015com.paycashless", 0);
        assert_eq!(t.guid(), Some("com.paycashless"));
    }
}
