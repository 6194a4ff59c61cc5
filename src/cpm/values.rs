//! Typed CPM values: digit strings held inline, and the PAN and Track 2 data whose `Debug`
//! and `Display` mask them.

use core::fmt;

/// Up to `N` decimal digits held inline (no heap), e.g. a token requestor ID.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digits<const N: usize> {
    buf: [u8; N],
    len: u8,
}

impl<const N: usize> Digits<N> {
    /// The digits of `s` when it is 1 to `N` ASCII digits.
    pub fn new(s: &str) -> Option<Self> {
        Self::from_nibbles(s.bytes().map(|b| b.wrapping_sub(b'0')))
    }

    fn from_nibbles(it: impl Iterator<Item = u8>) -> Option<Self> {
        let mut buf = [b'0'; N];
        let mut len = 0usize;
        for d in it {
            if d > 9 || len >= N {
                return None;
            }
            *buf.get_mut(len)? = b'0' + d;
            len += 1;
        }
        if len == 0 || N > 255 {
            return None;
        }
        Some(Digits {
            buf,
            len: len as u8,
        })
    }

    /// Reads BCD bytes of format `n` (EMV Book 3): every nibble a digit. With `skip_lead`,
    /// the first nibble must be 0 and is dropped (9F19 keeps 11 digits in 6 bytes).
    pub(crate) fn from_bcd(bytes: &[u8], skip_lead: bool) -> Option<Self> {
        let mut nib = nibbles(bytes);
        if skip_lead && nib.next() != Some(0) {
            return None;
        }
        Self::from_nibbles(nib)
    }

    /// The digits as text.
    pub fn as_str(&self) -> &str {
        self.buf
            .get(..usize::from(self.len))
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// How many digits.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always false: `Digits` holds at least one digit.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends the digits as BCD (two a byte; with `lead_zero` a 0 nibble first, and an odd
    /// count is padded with a trailing `F`).
    #[cfg(feature = "alloc")]
    pub(crate) fn write_bcd(&self, out: &mut alloc::vec::Vec<u8>, lead_zero: bool) {
        let lead = lead_zero.then_some(0u8);
        let mut it = lead
            .into_iter()
            .chain(self.as_str().bytes().map(|b| b - b'0'));
        while let Some(hi) = it.next() {
            let lo = it.next().unwrap_or(0xF);
            out.push((hi << 4) | lo);
        }
    }
}

impl<const N: usize> fmt::Debug for Digits<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl<const N: usize> fmt::Display for Digits<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The nibbles of `bytes`, high first.
pub(crate) fn nibbles(bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    bytes.iter().flat_map(|b| [b >> 4, b & 0x0F])
}

/// Writes `digits` masked: the first 6 and last 4 shown when there are 13 or more, else only
/// the last 4 (and nothing when there are 4 or fewer).
fn write_masked(f: &mut fmt::Formatter<'_>, digits: &str) -> fmt::Result {
    let n = digits.len();
    let (head, tail) = if n >= 13 {
        (6, 4)
    } else if n > 4 {
        (0, 4)
    } else {
        (0, 0)
    };
    for (i, c) in digits.chars().enumerate() {
        if i < head || i >= n - tail {
            write!(f, "{c}")?;
        } else {
            f.write_str("*")?;
        }
    }
    Ok(())
}

/// A primary account number (or payment token): 1 to 19 digits. `Debug` and `Display` show
/// at most the first 6 and last 4 digits; [`Pan::reveal`] gives them all.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Pan(Digits<19>);

impl Pan {
    /// The PAN whose digits are `s` (1 to 19 ASCII digits).
    pub fn new(s: &str) -> Option<Pan> {
        Digits::new(s).map(Pan)
    }

    /// Reads format `cn` (tag 5A): digits, then only `F` nibbles to pad.
    pub fn from_cn(bytes: &[u8]) -> Option<Pan> {
        let mut nib = nibbles(bytes).peekable();
        let d = Digits::from_nibbles(core::iter::from_fn(|| nib.next_if(|&n| n <= 9)))?;
        nib.all(|n| n == 0xF).then_some(Pan(d))
    }

    /// All the digits. Call only where the full PAN is needed.
    pub fn reveal(&self) -> &str {
        self.0.as_str()
    }

    /// The last four digits (fewer when the PAN is shorter).
    pub fn last4(&self) -> &str {
        let s = self.0.as_str();
        s.get(s.len().saturating_sub(4)..).unwrap_or("")
    }

    /// How many digits.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends the PAN in format `cn` (padded with `F` to a whole byte).
    #[cfg(feature = "alloc")]
    pub(crate) fn write_cn(&self, out: &mut alloc::vec::Vec<u8>) {
        self.0.write_bcd(out, false);
    }
}

impl fmt::Display for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_masked(f, self.0.as_str())
    }
}

impl fmt::Debug for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pan({self})")
    }
}

/// Track 2 Equivalent Data (tag 57): PAN, `D`, expiry `YYMM`, service code, discretionary
/// data, `F`-padded to a whole byte, at most 19 bytes. `Debug` and `Display` mask the PAN and
/// hide everything after the separator.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Track2 {
    pan: Pan,
    expiry: Digits<4>,
    service_code: Digits<3>,
    discretionary: Option<Digits<32>>,
}

/// The most bytes tag 57 may have.
pub const TRACK2_MAX_BYTES: usize = 19;

impl Track2 {
    /// Track 2 data from its parts; `None` unless each is all digits, the PAN 1–19 digits,
    /// the expiry 4 and the service code 3, and the whole fits 19 bytes.
    pub fn new(pan: &str, expiry: &str, service_code: &str, discretionary: &str) -> Option<Track2> {
        let t = Track2 {
            pan: Pan::new(pan)?,
            expiry: Digits::new(expiry).filter(|d| d.len() == 4)?,
            service_code: Digits::new(service_code).filter(|d| d.len() == 3)?,
            discretionary: if discretionary.is_empty() {
                None
            } else {
                Some(Digits::new(discretionary)?)
            },
        };
        (t.nibble_count().div_ceil(2) <= TRACK2_MAX_BYTES).then_some(t)
    }

    fn nibble_count(&self) -> usize {
        self.pan.len() + 1 + 4 + 3 + self.discretionary.as_ref().map_or(0, Digits::len)
    }

    /// Reads tag 57's value. `None` when it is not PAN `D` YYMM service-code digits, with `F`
    /// only as the last nibble, within 19 bytes.
    pub fn parse(bytes: &[u8]) -> Option<Track2> {
        if bytes.len() > TRACK2_MAX_BYTES {
            return None;
        }
        let mut nib = nibbles(bytes).peekable();
        let pan = Digits::from_nibbles(core::iter::from_fn(|| nib.next_if(|&n| n <= 9)))?;
        if nib.next() != Some(0xD) {
            return None;
        }
        let expiry = Digits::from_nibbles(nib.by_ref().take(4))?;
        let service_code = Digits::from_nibbles(nib.by_ref().take(3))?;
        if expiry.len() != 4 || service_code.len() != 3 {
            return None;
        }
        let mut disc = [0u8; 32];
        let mut n = 0usize;
        let mut padded = false;
        for d in nib {
            match d {
                0..=9 if !padded => {
                    *disc.get_mut(n)? = d;
                    n += 1;
                }
                0xF if !padded => padded = true,
                _ => return None,
            }
        }
        let t = Track2 {
            pan: Pan(pan),
            expiry,
            service_code,
            discretionary: if n == 0 {
                None
            } else {
                Digits::from_nibbles(disc.iter().take(n).copied())
            },
        };
        // `F` pads an odd count of nibbles, nothing else.
        (padded == (t.nibble_count() % 2 == 1)).then_some(t)
    }

    /// The PAN (masked when printed).
    pub fn pan(&self) -> &Pan {
        &self.pan
    }

    /// The expiry date, `YYMM`.
    pub fn expiry(&self) -> &str {
        self.expiry.as_str()
    }

    /// The three-digit service code.
    pub fn service_code(&self) -> &str {
        self.service_code.as_str()
    }

    /// The discretionary data (may hold card verification values). Call only where needed.
    pub fn reveal_discretionary(&self) -> &str {
        self.discretionary.as_ref().map_or("", Digits::as_str)
    }

    /// Appends tag 57's value.
    #[cfg(feature = "alloc")]
    pub(crate) fn write(&self, out: &mut alloc::vec::Vec<u8>) {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<alloc::vec::Vec<u8>>();
        let mut n = digits(self.pan.reveal());
        n.push(0xD);
        n.extend(digits(self.expiry()));
        n.extend(digits(self.service_code()));
        n.extend(digits(self.reveal_discretionary()));
        if n.len() % 2 == 1 {
            n.push(0xF);
        }
        for pair in n.chunks(2) {
            if let [hi, lo] = pair {
                out.push((hi << 4) | lo);
            }
        }
    }
}

impl fmt::Display for Track2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}D", self.pan)?;
        for _ in 0..self.nibble_count() - self.pan.len() - 1 {
            f.write_str("*")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Track2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Track2({self})")
    }
}

/// True for EMV format `an`: ASCII letters and digits.
pub(crate) fn is_an(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_alphanumeric)
}

/// `Pan::from_cn(bytes).is_some()` without building the PAN: 1 to 19 digit nibbles, then
/// only `F` nibbles.
pub(crate) fn is_cn_pan(bytes: &[u8]) -> bool {
    let mut digits = 0usize;
    let mut padding = false;
    for &b in bytes {
        for n in [b >> 4, b & 0x0F] {
            match n {
                0xF => padding = true,
                _ if padding => return false,
                0..=9 => digits += 1,
                _ => return false,
            }
        }
    }
    (1..=19).contains(&digits)
}

/// True when `bytes` read as Track 2 data ([`Track2::parse`]) and the expiry's month is 1
/// to 12, without building the value.
pub(crate) fn is_track2_with_month(bytes: &[u8]) -> bool {
    if bytes.len() > TRACK2_MAX_BYTES {
        return false;
    }
    let mut nib = nibbles(bytes);
    let mut pan = 0usize;
    let mut next = nib.next();
    while let Some(0..=9) = next {
        pan += 1;
        next = nib.next();
    }
    if pan == 0 || pan > 19 || next != Some(0xD) {
        return false;
    }
    let mut expiry = [0u8; 4];
    for e in &mut expiry {
        match nib.next() {
            Some(n @ 0..=9) => *e = n,
            _ => return false,
        }
    }
    for _ in 0..3 {
        if !matches!(nib.next(), Some(0..=9)) {
            return false;
        }
    }
    // Discretionary digits, then at most one `F`, which must be the last nibble (it then
    // pads an odd count, as `parse` requires).
    let mut padded = false;
    for n in nib {
        match n {
            0..=9 if !padded => {}
            0xF if !padded => padded = true,
            _ => return false,
        }
    }
    let [_, _, m1, m2] = expiry;
    (1..=12).contains(&(m1 * 10 + m2))
}

/// True for EMV format `ans` (Book 4 Annex B common character set, 0x20–0x7E).
pub(crate) fn is_ans(b: &[u8]) -> bool {
    b.iter().all(|c| (0x20..=0x7E).contains(c))
}

#[cfg(test)]
mod tests {

    #[test]
    fn value_checks_agree_with_the_parsers() {
        let month_ok = |v: &[u8]| {
            Track2::parse(v).is_some_and(|t2| {
                t2.expiry()
                    .get(2..)
                    .and_then(|m| m.parse::<u8>().ok())
                    .is_some_and(|m| (1..=12).contains(&m))
            })
        };
        let nibble_set = [0u8, 1, 2, 9, 0xA, 0xD, 0xF, 0xF, 0xD, 3];
        let mut state = 0x7A6B_5C4D_3E2F_1001u64;
        for _ in 0..200_000 {
            let seed = crate::xorshift(&mut state);
            let len = (seed % 23) as usize;
            let mut v: Vec<u8> = Vec::new();
            let mut r = seed;
            for k in 0..len {
                if k % 6 == 0 {
                    r = r.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(k as u64);
                }
                let hi = nibble_set[(r % 10) as usize];
                let lo = nibble_set[((r >> 4) % 10) as usize];
                // Mostly digits, so that long valid values occur.
                let (hi, lo) = if (r >> 8) % 4 == 0 {
                    (hi, lo)
                } else {
                    ((r >> 12) as u8 % 10, (r >> 16) as u8 % 10)
                };
                v.push(hi << 4 | lo);
                r >>= 20;
            }
            // A Track 2 shape now and then: digits, D, digits, F.
            if seed % 3 == 0 && len > 2 {
                let d = (seed >> 20) as usize % len;
                v[d] = (v[d] & 0xF0) | 0x0D;
                if seed % 2 == 0 {
                    let last = v.len() - 1;
                    v[last] |= 0x0F;
                }
            }
            assert_eq!(is_cn_pan(&v), Pan::from_cn(&v).is_some(), "{v:02X?}");
            assert_eq!(is_track2_with_month(&v), month_ok(&v), "{v:02X?}");
        }
        for ok in [
            &[
                0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x58, 0xD1, 0x91, 0x22, 0x01,
            ][..],
            &[
                0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0xD2, 0x51, 0x22, 0x01, 0x1F,
            ],
        ] {
            assert!(is_track2_with_month(ok) && month_ok(ok), "{ok:02X?}");
        }
        assert!(is_cn_pan(&[0x12, 0x34, 0x5F]) && !is_cn_pan(&[0xF1]));
    }
    use super::*;
    use alloc::format;
    use alloc::vec::Vec;

    #[test]
    fn pan_masks_middle_digits() {
        let p = Pan::new("1234567890123458").unwrap();
        assert_eq!(format!("{p}"), "123456******3458");
        assert_eq!(format!("{p:?}"), "Pan(123456******3458)");
        assert_eq!(p.reveal(), "1234567890123458");
        assert_eq!(format!("{}", Pan::new("12345678").unwrap()), "****5678");
        assert_eq!(format!("{}", Pan::new("1234").unwrap()), "****");
        assert!(Pan::new("12345678901234567890").is_none());
        assert!(Pan::new("1234x").is_none());
    }

    #[test]
    fn cn_pan_takes_trailing_f_only() {
        let p = Pan::from_cn(&[0x93, 0x60, 0x09, 0x14, 0x30, 0x10, 0x05, 0x31, 0x72, 0x0F]);
        assert_eq!(p.unwrap().reveal(), "9360091430100531720");
        assert!(Pan::from_cn(&[0x12, 0xF3]).is_none());
        assert!(Pan::from_cn(&[0xFF]).is_none());
    }

    #[test]
    fn track2_annex_b1() {
        // CPM Annex B.1: 1234567890123458 D 1912 201 12345 F
        let raw = [
            0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x58, 0xD1, 0x91, 0x22, 0x01, 0x12, 0x34,
            0x5F,
        ];
        let t = Track2::parse(&raw).unwrap();
        assert_eq!(t.pan().reveal(), "1234567890123458");
        assert_eq!(t.expiry(), "1912");
        assert_eq!(t.service_code(), "201");
        assert_eq!(t.reveal_discretionary(), "12345");
        assert_eq!(format!("{t:?}"), "Track2(123456******3458D************)");
        let mut out = Vec::new();
        t.write(&mut out);
        assert_eq!(out, raw);
        // Without the last byte the nibble count is even and needs no pad.
        assert_eq!(
            Track2::parse(&raw[..14]).unwrap().reveal_discretionary(),
            "1234"
        );
        // An F that does not pad is refused, as is a missing separator.
        assert!(Track2::parse(&raw[..8]).is_none());
        let mut bad = raw;
        bad[13] = 0xF4;
        assert!(Track2::parse(&bad).is_none());
    }

    #[test]
    fn bcd_with_leading_zero() {
        let d = Digits::<11>::from_bcd(&[0x09, 0x99, 0x01, 0x23, 0x45, 0x67], true).unwrap();
        assert_eq!(d.as_str(), "99901234567");
        let mut out = Vec::new();
        d.write_bcd(&mut out, true);
        assert_eq!(out, [0x09, 0x99, 0x01, 0x23, 0x45, 0x67]);
        assert!(Digits::<11>::from_bcd(&[0x19, 0x99, 0x01, 0x23, 0x45, 0x67], true).is_none());
    }
}
