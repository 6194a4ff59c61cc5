//! The EMV QR text grammar: `ID(2) LEN(2) VALUE`, lengths counted in characters.
//!
//! [`Walker`] iterates the data objects of one level (the root, or a template's value) and
//! hands out borrowed [`Element`]s. It never allocates and stops at the first structural
//! error, which names the character offset and the declared and remaining lengths.
//!
//! ```
//! use qrpay::tlv::Walker;
//! let ids: Vec<u8> = Walker::new("000201010211")
//!     .map(|e| e.unwrap().id)
//!     .collect();
//! assert_eq!(ids, [0, 1]);
//!
//! let err = Walker::new("0002015937ab").nth(1).unwrap().unwrap_err();
//! assert_eq!(err.to_string(), "ID 59 declared 37 characters but 2 remain at character 10");
//! ```

use core::fmt;

pub mod ber;

/// One data object of the EMV text grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Element<'a> {
    /// The two-digit ID, 0–99.
    pub id: u8,
    /// The value, borrowed from the payload.
    pub value: &'a str,
    /// Character offset of the ID in the whole payload.
    pub offset: usize,
    /// Length of the value in characters (as declared).
    pub len: usize,
}

impl<'a> Element<'a> {
    /// Character offset of the value in the whole payload.
    pub fn value_offset(&self) -> usize {
        self.offset + 4
    }

    /// The data objects inside this element's value, as a template.
    pub fn children(&self) -> Walker<'a> {
        Walker::at(self.value, self.value_offset())
    }
}

/// What is wrong with a TLV structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TlvErrorKind {
    /// The 4 characters at `offset` are not a 2-digit ID and a 2-digit length (or fewer than
    /// 4 characters remain).
    Header,
    /// The object declares more characters than remain.
    Truncated {
        /// Characters declared.
        declared: usize,
        /// Characters remaining after the header.
        remaining: usize,
    },
}

/// A structural error with its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TlvError {
    /// What is wrong.
    pub kind: TlvErrorKind,
    /// Character offset of the header of the object that could not be read.
    pub offset: usize,
    /// The ID of that object, when its header had one.
    pub id: Option<u8>,
}

impl fmt::Display for TlvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TlvErrorKind::Header => write!(
                f,
                "expected a 2-digit ID and 2-digit length at character {}",
                self.offset
            ),
            TlvErrorKind::Truncated {
                declared,
                remaining,
            } => {
                if let Some(id) = self.id {
                    write!(f, "ID {id:02} ")?;
                }
                write!(
                    f,
                    "declared {declared} characters but {remaining} remain at character {}",
                    self.offset + 4
                )
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for TlvError {}

/// Iterates the data objects of one level. After an error it yields nothing more.
#[derive(Clone, Debug)]
pub struct Walker<'a> {
    rest: &'a str,
    /// Character offset of `rest` in the whole payload.
    pos: usize,
    /// `rest` is ASCII, so characters and bytes coincide.
    ascii: bool,
    done: bool,
}

#[inline]
fn two_digits(b: &[u8]) -> Option<u8> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9', ..] => Some((a - b'0') * 10 + (c - b'0')),
        _ => None,
    }
}

impl<'a> Walker<'a> {
    /// Walks a whole payload (offsets start at 0).
    #[inline]
    pub fn new(text: &'a str) -> Walker<'a> {
        Walker::at(text, 0)
    }

    /// Walks `text`, which starts at character `offset` of the payload (for templates).
    #[inline]
    pub fn at(text: &'a str, offset: usize) -> Walker<'a> {
        Walker {
            rest: text,
            pos: offset,
            ascii: text.is_ascii(),
            done: false,
        }
    }

    /// Like [`Walker::at`] for text already known to be ASCII (or not), skipping the scan.
    #[inline]
    pub(crate) fn at_known(text: &'a str, offset: usize, ascii: bool) -> Walker<'a> {
        Walker {
            rest: text,
            pos: offset,
            ascii: ascii || text.is_ascii(),
            done: false,
        }
    }

    /// Character offset of the next object.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// What is left to walk.
    pub fn remainder(&self) -> &'a str {
        self.rest
    }

    #[cold]
    fn fail(
        &mut self,
        kind: TlvErrorKind,
        id: Option<u8>,
    ) -> Option<Result<Element<'a>, TlvError>> {
        self.done = true;
        Some(Err(TlvError {
            kind,
            offset: self.pos,
            id,
        }))
    }
}

impl<'a> Walker<'a> {
    /// The general step: any text, errors included. Kept out of line so that the ASCII step
    /// in [`Iterator::next`] stays small enough to inline into every loop.
    #[inline(never)]
    fn next_slow(&mut self) -> Option<Result<Element<'a>, TlvError>> {
        let b = self.rest.as_bytes();
        let header = match b {
            [a, c, d, e, ..] => [*a, *c, *d, *e],
            _ => return self.fail(TlvErrorKind::Header, two_digits(b)),
        };
        let digit = |x: u8| x.wrapping_sub(b'0');
        let [h0, h1, h2, h3] = header.map(digit);
        if h0 >= 10 || h1 >= 10 || h2 >= 10 || h3 >= 10 {
            return self.fail(TlvErrorKind::Header, two_digits(b));
        }
        let id = h0 * 10 + h1;
        let len = usize::from(h2 * 10 + h3);
        // The header is 4 ASCII digits, so byte 4 is a character boundary.
        let body = self.rest.get(4..).unwrap_or("");
        let end = if self.ascii {
            (len <= body.len()).then_some(len)
        } else {
            let mut it = body.char_indices();
            match len.checked_sub(1).map(|n| it.nth(n)) {
                None => Some(0),
                Some(Some((i, c))) => Some(i + c.len_utf8()),
                Some(None) => None,
            }
        };
        let Some((value, rest)) = end.and_then(|end| body.split_at_checked(end)) else {
            let remaining = if self.ascii {
                body.len()
            } else {
                body.chars().count()
            };
            return self.fail(
                TlvErrorKind::Truncated {
                    declared: len,
                    remaining,
                },
                Some(id),
            );
        };
        let e = Element {
            id,
            value,
            offset: self.pos,
            len,
        };
        self.rest = rest;
        self.pos += 4 + len;
        Some(Ok(e))
    }
}

/// Reads the header at the start of ASCII bytes `b`: `(id, len)` when it is 4 digits and the
/// value fits in what remains.
#[inline(always)]
pub(crate) fn ascii_header(b: &[u8]) -> Option<(u8, usize)> {
    split_ascii(b).map(|(id, value, _)| (id, value.len()))
}

/// Splits the data object at the start of ASCII bytes `b`: `(id, value, rest)` when its
/// header is 4 digits and its value fits in what remains.
#[inline(always)]
pub(crate) fn split_ascii(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (header, tail) = b.split_first_chunk::<4>()?;
    let d = u32::from_le_bytes(*header).wrapping_sub(0x3030_3030);
    // A byte below '0' borrows and sets its own top bit; a byte above '9' sets the top bit
    // of `d + 0x76`. Carries and borrows only leave bytes that are flagged themselves, so the
    // test is exact: zero exactly when all four bytes are digits.
    if (d | d.wrapping_add(0x7676_7676)) & 0x8080_8080 != 0 {
        return None;
    }
    // Digits d0..d3 in bytes 0..3: byte k of `10·d + (d >> 8)` is 10·d[k] + d[k+1], at most
    // 99, so no byte carries into the next: byte 0 is the ID, byte 2 the length.
    let t = d.wrapping_mul(10).wrapping_add(d >> 8);
    let (value, rest) = tail.split_at_checked(usize::from((t >> 16) as u8))?;
    Some((t as u8, value, rest))
}

impl<'a> Iterator for Walker<'a> {
    type Item = Result<Element<'a>, TlvError>;

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.rest.is_empty() {
            return None;
        }
        if self.ascii {
            if let Some((id, len)) = ascii_header(self.rest.as_bytes()) {
                // ASCII: every byte is a character boundary and `4 + len` is in bounds.
                if let (Some(value), Some(rest)) =
                    (self.rest.get(4..4 + len), self.rest.get(4 + len..))
                {
                    let e = Element {
                        id,
                        value,
                        offset: self.pos,
                        len,
                    };
                    self.rest = rest;
                    self.pos += 4 + len;
                    return Some(Ok(e));
                }
            }
        }
        self.next_slow()
    }
}

/// True when `text` walks as a sequence of data objects to its very end.
pub fn walks(text: &str) -> bool {
    Walker::new(text).all(|r| r.is_ok())
}

/// Writes one data object (`ID LEN VALUE`) to `out`, the length counted in characters.
/// Returns `None`, writing nothing, when the value is empty or longer than 99 characters.
#[cfg(feature = "alloc")]
pub fn write(out: &mut alloc::string::String, id: u8, value: &str) -> Option<()> {
    let n = value.chars().count();
    if n == 0 || n > 99 || id > 99 {
        return None;
    }
    let digits = |v: usize| [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8];
    let h = digits(usize::from(id));
    let l = digits(n);
    out.push(h[0] as char);
    out.push(h[1] as char);
    out.push(l[0] as char);
    out.push(l[1] as char);
    out.push_str(value);
    Some(())
}

/// A small deterministic generator of TLV-like ASCII text for tests: data objects with
/// random IDs, nested ones up to `depth`, some of them broken (short values, stray bytes).
#[cfg(test)]
pub(crate) fn tlv_like(seed: &mut u64, depth: u32) -> alloc::string::String {
    fn next(seed: &mut u64, n: u64) -> usize {
        (crate::xorshift(seed) % n) as usize
    }
    let mut s = alloc::string::String::new();
    for _ in 0..next(seed, 10) {
        let id = next(seed, 100);
        let value = if depth > 0 && next(seed, 3) == 0 {
            tlv_like(seed, depth - 1)
        } else {
            let n = next(seed, 14);
            (0..n)
                .map(|_| match next(seed, 40) {
                    0 => '\u{7f}',
                    1 => '\u{1f}',
                    _ => char::from(b' ' + next(seed, 95) as u8),
                })
                .collect()
        };
        let declared = match next(seed, 12) {
            0 => value.len() + 1 + next(seed, 3),
            1 => value.len().saturating_sub(1),
            _ => value.len(),
        };
        s.push_str(&alloc::format!("{:02}{:02}", id, declared.min(99)));
        s.push_str(value.get(..value.len().min(99)).unwrap_or(""));
        if next(seed, 25) == 0 {
            s.push(char::from(b'/' + next(seed, 12) as u8));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn multibyte_lengths_count_characters() {
        let t = "0104最佳运输0202北京";
        let v: Vec<_> = Walker::new(t).map(|e| e.unwrap()).collect();
        assert_eq!(v[0].value, "最佳运输");
        assert_eq!(v[1].id, 2);
        assert_eq!(v[1].offset, 8);
        assert_eq!(v[1].value, "北京");
    }

    #[test]
    fn truncation_reports_declared_and_remaining() {
        let e = Walker::new("0002010105ab").nth(1).unwrap().unwrap_err();
        assert_eq!(e.offset, 6);
        assert_eq!(
            e.kind,
            TlvErrorKind::Truncated {
                declared: 5,
                remaining: 2
            }
        );
        let e = Walker::new("00020153").nth(1).unwrap().unwrap_err();
        assert_eq!(e.kind, TlvErrorKind::Header);
        let e = Walker::new("0002北京01").nth(1).unwrap().unwrap_err();
        assert_eq!(e.kind, TlvErrorKind::Header);
        assert_eq!(e.offset, 6);
        let e = Walker::new("0103北京").next().unwrap().unwrap_err();
        assert_eq!(
            e.kind,
            TlvErrorKind::Truncated {
                declared: 3,
                remaining: 2
            }
        );
    }

    #[test]
    fn zero_length_is_walkable() {
        let v: Vec<_> = Walker::new("59006010Phnom Penh")
            .map(|e| e.unwrap())
            .collect();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].value, "");
    }

    #[test]
    fn template_offsets_are_absolute() {
        let t = "000201620805041234";
        let e = Walker::new(t).nth(1).unwrap().unwrap();
        let c = e.children().next().unwrap().unwrap();
        assert_eq!((c.id, c.offset, c.value), (5, 10, "1234"));
    }

    /// The header test straight from its definition.
    fn naive_header(b: &[u8]) -> Option<(u8, usize)> {
        let d: Vec<u8> = b.get(..4)?.iter().map(|c| c.wrapping_sub(b'0')).collect();
        if d.iter().any(|&x| x > 9) {
            return None;
        }
        let len = usize::from(d[2]) * 10 + usize::from(d[3]);
        (len <= b.len() - 4).then_some((d[0] * 10 + d[1], len))
    }

    #[test]
    fn swar_header_matches_definition() {
        let pool = [
            0u8, b'/', b'0', b'1', b'5', b'9', b':', b'A', 0x7F, 0x80, 0xC6, 0xFF,
        ];
        let mut buf = [b'x'; 104];
        for a in pool {
            for b in pool {
                for c in pool {
                    for d in pool {
                        buf[..4].copy_from_slice(&[a, b, c, d]);
                        for total in [0, 3, 4, 5, 13, 40, 103, 104] {
                            let s = &buf[..total];
                            let want = naive_header(s);
                            assert_eq!(ascii_header(s), want, "{s:?}");
                            let split = want.map(|(id, len)| (id, &s[4..4 + len], &s[4 + len..]));
                            assert_eq!(split_ascii(s), split, "{s:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn ascii_step_matches_general_step() {
        let mut seed = 7;
        for _ in 0..5000 {
            let t = tlv_like(&mut seed, 1);
            let fast: Vec<_> = Walker::new(&t).collect();
            let mut w = Walker::new(&t);
            w.ascii = false;
            let general: Vec<_> = w.collect();
            assert_eq!(fast, general, "{t}");
        }
    }

    #[test]
    fn writer_counts_characters() {
        let mut s = alloc::string::String::new();
        write(&mut s, 1, "最佳运输").unwrap();
        assert_eq!(s, "0104最佳运输");
        assert!(write(&mut s, 1, "").is_none());
    }
}
