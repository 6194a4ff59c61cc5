//! BER-TLV as EMV uses it (EMV Book 3 Annex B): binary tags of one or more bytes, definite
//! lengths in short or long form, constructed objects that hold more objects.
//!
//! [`Reader`] iterates the objects of one level and hands out borrowed [`Tlv`]s; it never
//! allocates. [`Tlv::children`] walks a constructed object one level deeper, and refuses to go
//! deeper than [`Limits::max_depth`]. Every error names the byte offset where it starts.
//! [`check`] walks a whole tree once, so that later walks of the same bytes cannot fail.
//!
//! Writing ([`write()`], [`write_header`]) always uses the shortest definite length.
//!
//! ```
//! use qrpay::tlv::ber::{Reader, Tag};
//! let data = [0x61, 0x09, 0x4F, 0x07, 0xA0, 0, 0, 0, 0x55, 0x55, 0x55];
//! let app = Reader::new(&data).next().unwrap().unwrap();
//! assert_eq!(app.tag, Tag::new(0x61).unwrap());
//! assert!(app.is_constructed());
//! let aid = app.children().next().unwrap().unwrap();
//! assert_eq!((aid.tag.value(), aid.offset, aid.value.len()), (0x4F, 2, 7));
//!
//! let err = Reader::new(&[0x5F, 0x20, 0x05, b'A']).next().unwrap().unwrap_err();
//! assert_eq!(err.to_string(), "tag 5F20 declares 5 bytes but 1 remain at byte 3");
//! ```

use core::fmt;

/// The most bytes a tag may have here (EMV uses at most 2; 4 fit a `u32`).
pub const MAX_TAG_BYTES: usize = 4;
/// The most bytes a long-form length may use after its `0x8n` byte.
pub const MAX_LENGTH_BYTES: usize = 4;

/// A BER tag: its bytes, big-endian, in a `u32` (`0x9F24`, `0x61`).
///
/// A tag's first byte is non-zero whenever it has more than one byte (its low five bits are
/// `11111`), so the number says how many bytes the tag has.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(u32);

impl Tag {
    /// The tag whose bytes are `raw` (e.g. `0x5F20`), when those bytes form one well-formed
    /// tag: a first byte with low bits `11111` is followed by bytes with b8 set, then one
    /// with b8 clear; any other first byte stands alone.
    // `bytes` has 4 elements and both loops stop before index 4 (`start < 3`, `i < 4`); a
    // `const fn` cannot use `get`.
    #[allow(clippy::indexing_slicing)]
    pub const fn new(raw: u32) -> Option<Tag> {
        let bytes = raw.to_be_bytes();
        let mut start = 0;
        while start < 3 && bytes[start] == 0 {
            start += 1;
        }
        let first = bytes[start];
        if start == 3 {
            return if first & 0x1F == 0x1F {
                None
            } else {
                Some(Tag(raw))
            };
        }
        if first & 0x1F != 0x1F {
            return None;
        }
        let mut i = start + 1;
        while i < 4 {
            let last = i == 3;
            if (bytes[i] & 0x80 != 0) == last {
                return None;
            }
            i += 1;
        }
        Some(Tag(raw))
    }

    /// A tag from a constant known to be well formed (crate-internal tag tables).
    pub(crate) const fn from_known(raw: u32) -> Tag {
        Tag(raw)
    }

    /// Reads one tag from the start of `data`: the tag and how many bytes it took.
    pub fn parse(data: &[u8]) -> Result<(Tag, usize), BerError> {
        let Some(&first) = data.first() else {
            return Err(BerError::TagTruncated { offset: 0 });
        };
        let mut raw = u32::from(first);
        if first & 0x1F != 0x1F {
            return Ok((Tag(raw), 1));
        }
        let mut n = 1;
        loop {
            let Some(&b) = data.get(n) else {
                return Err(BerError::TagTruncated { offset: 0 });
            };
            n += 1;
            if n > MAX_TAG_BYTES {
                return Err(BerError::TagTooLong { offset: 0 });
            }
            raw = (raw << 8) | u32::from(b);
            if b & 0x80 == 0 {
                return Ok((Tag(raw), n));
            }
        }
    }

    /// The tag's bytes as a number (`0x9F24`).
    pub const fn value(self) -> u32 {
        self.0
    }

    /// How many bytes the tag has (1 to 4).
    pub const fn len(self) -> usize {
        match self.0 {
            0..=0xFF => 1,
            0x100..=0xFFFF => 2,
            0x1_0000..=0xFF_FFFF => 3,
            _ => 4,
        }
    }

    /// Always false: a tag has at least one byte (present for API symmetry with `len`).
    pub const fn is_empty(self) -> bool {
        false
    }

    /// The first byte, which carries the class and the constructed bit.
    pub const fn first_byte(self) -> u8 {
        (self.0 >> (8 * (self.len() - 1))) as u8
    }

    /// True when the tag marks a constructed object (b6 of the first byte set): its value is
    /// more BER-TLV.
    pub const fn is_constructed(self) -> bool {
        self.first_byte() & 0x20 != 0
    }

    /// The class bits (b8–b7 of the first byte): 0 universal, 1 application, 2
    /// context-specific, 3 private.
    pub const fn class(self) -> u8 {
        self.first_byte() >> 6
    }

    /// Appends the tag's bytes to `out`.
    #[cfg(feature = "alloc")]
    pub fn write(self, out: &mut alloc::vec::Vec<u8>) {
        let b = self.0.to_be_bytes();
        out.extend_from_slice(b.get(4 - self.len()..).unwrap_or(&b));
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0w$X}", self.0, w = 2 * self.len())
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({self})")
    }
}

/// What is wrong with BER-TLV data. Offsets are bytes from the start of the data the
/// outermost [`Reader`] was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum BerError {
    /// The data ends inside a tag.
    #[error("the data ends inside a tag at byte {offset}")]
    TagTruncated {
        /// Where the tag starts.
        offset: usize,
    },
    /// A tag has more than [`MAX_TAG_BYTES`] bytes.
    #[error("a tag at byte {offset} is longer than 4 bytes")]
    TagTooLong {
        /// Where the tag starts.
        offset: usize,
    },
    /// The data ends before or inside a length.
    #[error("the data ends inside the length of tag {tag} at byte {offset}")]
    LengthTruncated {
        /// The tag whose length is missing.
        tag: Tag,
        /// Where the length starts.
        offset: usize,
    },
    /// The indefinite length `0x80`, which EMV does not allow.
    #[error("tag {tag} has the indefinite length 0x80 at byte {offset}")]
    LengthIndefinite {
        /// The tag.
        tag: Tag,
        /// Where the length starts.
        offset: usize,
    },
    /// A long-form length of more than [`MAX_LENGTH_BYTES`] bytes, or the reserved `0xFF`.
    #[error("tag {tag} has a length of {bytes} bytes at byte {offset}")]
    LengthTooLong {
        /// The tag.
        tag: Tag,
        /// Where the length starts.
        offset: usize,
        /// How many length bytes the first length byte announces.
        bytes: u8,
    },
    /// The value is longer than what remains.
    #[error("tag {tag} declares {declared} bytes but {remaining} remain at byte {offset}")]
    Truncated {
        /// The tag.
        tag: Tag,
        /// Where the value starts.
        offset: usize,
        /// Bytes declared.
        declared: usize,
        /// Bytes remaining after the length.
        remaining: usize,
    },
    /// Constructed objects nest deeper than allowed.
    #[error("objects nest deeper than {max} levels at byte {offset}")]
    Depth {
        /// Where the object that is too deep starts.
        offset: usize,
        /// The limit.
        max: u8,
    },
    /// The data is larger than allowed.
    #[error("{size} bytes of data exceed the limit of {max}")]
    TooLarge {
        /// Size of the data.
        size: usize,
        /// The limit.
        max: usize,
    },
}

impl BerError {
    /// Byte offset where the problem starts.
    pub const fn offset(&self) -> usize {
        match *self {
            BerError::TagTruncated { offset }
            | BerError::TagTooLong { offset }
            | BerError::LengthTruncated { offset, .. }
            | BerError::LengthIndefinite { offset, .. }
            | BerError::LengthTooLong { offset, .. }
            | BerError::Truncated { offset, .. }
            | BerError::Depth { offset, .. } => offset,
            BerError::TooLarge { .. } => 0,
        }
    }

    /// The tag concerned, when it could be read.
    pub const fn tag(&self) -> Option<Tag> {
        match *self {
            BerError::LengthTruncated { tag, .. }
            | BerError::LengthIndefinite { tag, .. }
            | BerError::LengthTooLong { tag, .. }
            | BerError::Truncated { tag, .. } => Some(tag),
            _ => None,
        }
    }

    /// The issue code for this error: `ber.truncated`, `ber.tag`, `ber.length`, `ber.depth`
    /// or `input.too-long`.
    pub const fn code(&self) -> crate::report::Code {
        use crate::report::Code;
        match self {
            BerError::TagTruncated { .. }
            | BerError::LengthTruncated { .. }
            | BerError::Truncated { .. } => Code::BerTruncated,
            BerError::TagTooLong { .. } => Code::BerTag,
            BerError::LengthIndefinite { .. } | BerError::LengthTooLong { .. } => Code::BerLength,
            BerError::Depth { .. } => Code::BerDepth,
            BerError::TooLarge { .. } => Code::InputTooLong,
        }
    }

    const fn shifted(self, by: usize) -> BerError {
        match self {
            BerError::TagTruncated { offset } => BerError::TagTruncated {
                offset: offset + by,
            },
            BerError::TagTooLong { offset } => BerError::TagTooLong {
                offset: offset + by,
            },
            other => other,
        }
    }
}

/// Bounds on what a [`Reader`] accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// The most levels of objects: 1 allows only the top level, 2 one level of templates...
    pub max_depth: u8,
    /// The most bytes of data.
    pub max_size: usize,
}

impl Limits {
    /// 8 levels, 64 KiB.
    pub const DEFAULT: Limits = Limits {
        max_depth: 8,
        max_size: 64 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// One BER-TLV data object, borrowed from the data.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tlv<'a> {
    /// The tag.
    pub tag: Tag,
    /// The value bytes.
    pub value: &'a [u8],
    /// Byte offset of the tag from the start of the outermost data.
    pub offset: usize,
    /// Bytes taken by the tag and the length.
    pub header_len: usize,
    /// Nesting level: 1 for a top-level object.
    pub depth: u8,
    limits: Limits,
}

impl fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tlv")
            .field("tag", &self.tag)
            .field("len", &self.value.len())
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}

impl<'a> Tlv<'a> {
    /// True when the value is more BER-TLV (see [`Tag::is_constructed`]).
    pub const fn is_constructed(&self) -> bool {
        self.tag.is_constructed()
    }

    /// Byte offset of the value.
    pub const fn value_offset(&self) -> usize {
        self.offset + self.header_len
    }

    /// Byte offset just past the value.
    pub const fn end(&self) -> usize {
        self.value_offset() + self.value.len()
    }

    /// True when the length used the fewest bytes possible.
    pub const fn has_minimal_length(&self) -> bool {
        self.header_len == self.tag.len() + length_len(self.value.len())
    }

    /// The objects inside this object's value, one level deeper. Yields a
    /// [`BerError::Depth`] when that level is beyond the limit.
    pub fn children(&self) -> Reader<'a> {
        let depth = self.depth.saturating_add(1);
        Reader {
            rest: self.value,
            pos: self.value_offset(),
            depth,
            limits: self.limits,
            refused: depth > self.limits.max_depth,
        }
    }
}

/// Iterates the objects of one level. After an error it yields nothing more.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    /// The data not read yet; emptied by an error, so that nothing more is read.
    rest: &'a [u8],
    pos: usize,
    depth: u8,
    limits: Limits,
    /// The limits refuse this reader's data as a whole (too large, or too deep): the first
    /// object read gives that error. Known when the reader is made, so reading an object
    /// tests one flag.
    refused: bool,
}

impl<'a> Reader<'a> {
    /// Reads top-level objects of `data` with [`Limits::DEFAULT`].
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader::with_limits(data, Limits::DEFAULT)
    }

    /// Reads top-level objects of `data` with `limits`.
    pub fn with_limits(data: &'a [u8], limits: Limits) -> Reader<'a> {
        Reader {
            rest: data,
            pos: 0,
            depth: 1,
            limits,
            refused: data.len() > limits.max_size || 1 > limits.max_depth,
        }
    }

    /// Byte offset of the next object.
    pub fn offset(&self) -> usize {
        self.pos
    }

    #[cold]
    fn fail(&mut self, e: BerError) -> Option<Result<Tlv<'a>, BerError>> {
        self.rest = &[];
        Some(Err(e))
    }

    /// The error of a [`refused`](Self::refused) reader: too large is tested first, and only
    /// of the top level before anything was read.
    #[cold]
    fn refuse(&mut self) -> Option<Result<Tlv<'a>, BerError>> {
        let e = if self.pos == 0 && self.depth == 1 && self.rest.len() > self.limits.max_size {
            BerError::TooLarge {
                size: self.rest.len(),
                max: self.limits.max_size,
            }
        } else {
            BerError::Depth {
                offset: self.pos,
                max: self.limits.max_depth,
            }
        };
        self.fail(e)
    }

    /// The length after the tag when it takes more than one byte (`l0` is its first byte,
    /// 0x80 or more); `rest` starts at `l0`. `None` when the length is refused (already
    /// reported through [`fail`](Self::fail)).
    #[cold]
    fn long_length(
        &mut self,
        tag: Tag,
        len_at: usize,
        l0: u8,
        rest: &[u8],
    ) -> Result<(usize, usize), Option<Result<Tlv<'a>, BerError>>> {
        if l0 == 0x80 {
            return Err(self.fail(BerError::LengthIndefinite {
                tag,
                offset: len_at,
            }));
        }
        let n = usize::from(l0 & 0x7F);
        if n > MAX_LENGTH_BYTES {
            return Err(self.fail(BerError::LengthTooLong {
                tag,
                offset: len_at,
                bytes: l0 & 0x7F,
            }));
        }
        let Some(bytes) = rest.get(1..=n) else {
            return Err(self.fail(BerError::LengthTruncated {
                tag,
                offset: len_at,
            }));
        };
        let v = bytes.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
        Ok((usize::try_from(v).unwrap_or(usize::MAX), 1 + n))
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Tlv<'a>, BerError>;

    /// The common object, a tag of one or two bytes and a length of one, read inline; any
    /// other (and any error) by the general path, which reads it again from the start.
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if !self.refused {
            let (tag, tag_len, l0, body) = match *self.rest {
                [t0, l0, ref body @ ..] if t0 & 0x1F != 0x1F && l0 < 0x80 => {
                    (u32::from(t0), 1, l0, body)
                }
                [t0, t1, l0, ref body @ ..] if t0 & 0x1F == 0x1F && t1 < 0x80 && l0 < 0x80 => {
                    ((u32::from(t0) << 8) | u32::from(t1), 2, l0, body)
                }
                _ => return self.next_general(),
            };
            if let Some((value, after)) = body.split_at_checked(usize::from(l0)) {
                let header_len = tag_len + 1;
                let tlv = Tlv {
                    tag: Tag(tag),
                    value,
                    offset: self.pos,
                    header_len,
                    depth: self.depth,
                    limits: self.limits,
                };
                self.rest = after;
                self.pos += header_len + value.len();
                return Some(Ok(tlv));
            }
        }
        self.next_general()
    }
}

impl<'a> Reader<'a> {
    /// [`Iterator::next`] for any object and every error.
    #[inline(never)]
    fn next_general(&mut self) -> Option<Result<Tlv<'a>, BerError>> {
        if self.rest.is_empty() {
            return None;
        }
        if self.refused {
            return self.refuse();
        }
        let (tag, tag_len) = match Tag::parse(self.rest) {
            Ok(t) => t,
            Err(e) => return self.fail(e.shifted(self.pos)),
        };
        let len_at = self.pos + tag_len;
        let rest = self.rest.get(tag_len..).unwrap_or_default();
        let Some(&l0) = rest.first() else {
            return self.fail(BerError::LengthTruncated {
                tag,
                offset: len_at,
            });
        };
        let (declared, len_len) = if l0 < 0x80 {
            (usize::from(l0), 1)
        } else {
            match self.long_length(tag, len_at, l0, rest) {
                Ok(l) => l,
                Err(e) => return e,
            }
        };
        let body = rest.get(len_len..).unwrap_or_default();
        let Some(value) = body.get(..declared) else {
            return self.fail(BerError::Truncated {
                tag,
                offset: len_at + len_len,
                declared,
                remaining: body.len(),
            });
        };
        let header_len = tag_len + len_len;
        let tlv = Tlv {
            tag,
            value,
            offset: self.pos,
            header_len,
            depth: self.depth,
            limits: self.limits,
        };
        self.rest = body.get(declared..).unwrap_or_default();
        self.pos += header_len + declared;
        Some(Ok(tlv))
    }
}

/// Walks every object of `data`, descending into constructed ones, and returns the first
/// error. Uses no heap: the walk keeps one reader per level on the stack, at most
/// `limits.max_depth` of them (capped at 16).
pub fn check(data: &[u8], limits: Limits) -> Result<(), BerError> {
    const CAP: usize = 16;
    let limits = Limits {
        max_depth: limits.max_depth.min(CAP as u8),
        ..limits
    };
    let mut stack: [Option<Reader<'_>>; CAP] = Default::default();
    let mut top = 0usize;
    stack[0] = Some(Reader::with_limits(data, limits));
    loop {
        let next = match stack.get_mut(top).and_then(Option::as_mut) {
            Some(r) => r.next(),
            None => return Ok(()),
        };
        match next {
            Some(Err(e)) => return Err(e),
            Some(Ok(t)) if t.is_constructed() && !t.value.is_empty() => {
                if usize::from(t.depth) >= usize::from(limits.max_depth) {
                    return Err(BerError::Depth {
                        offset: t.value_offset(),
                        max: limits.max_depth,
                    });
                }
                top += 1;
                if let Some(slot) = stack.get_mut(top) {
                    *slot = Some(t.children());
                }
            }
            Some(Ok(_)) => {}
            None => {
                if top == 0 {
                    return Ok(());
                }
                if let Some(slot) = stack.get_mut(top) {
                    *slot = None;
                }
                top -= 1;
            }
        }
    }
}

/// How many bytes the shortest definite length of `len` takes.
pub const fn length_len(len: usize) -> usize {
    if len < 0x80 {
        1
    } else if len <= 0xFF {
        2
    } else if len <= 0xFFFF {
        3
    } else if len <= 0xFF_FFFF {
        4
    } else {
        5
    }
}

/// Appends the shortest definite length of `len` to `out`. Lengths beyond `u32::MAX` are
/// not written and return `None`.
#[cfg(feature = "alloc")]
pub fn write_length(out: &mut alloc::vec::Vec<u8>, len: usize) -> Option<()> {
    let n = u32::try_from(len).ok()?;
    if n < 0x80 {
        out.push(n as u8);
        return Some(());
    }
    let b = n.to_be_bytes();
    let k = length_len(len) - 1;
    out.push(0x80 | k as u8);
    out.extend_from_slice(b.get(4 - k..)?);
    Some(())
}

/// Appends a tag and the shortest definite length of `len`.
#[cfg(feature = "alloc")]
pub fn write_header(out: &mut alloc::vec::Vec<u8>, tag: Tag, len: usize) -> Option<()> {
    if u32::try_from(len).is_err() {
        return None;
    }
    tag.write(out);
    write_length(out, len)
}

/// Appends one object (tag, shortest length, value). Returns `None`, writing nothing, when
/// the value is longer than `u32::MAX` bytes.
#[cfg(feature = "alloc")]
pub fn write(out: &mut alloc::vec::Vec<u8>, tag: Tag, value: &[u8]) -> Option<()> {
    write_header(out, tag, value.len())?;
    out.extend_from_slice(value);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn tlvs(data: &[u8]) -> Vec<Result<Tlv<'_>, BerError>> {
        Reader::new(data).collect()
    }

    #[test]
    fn tag_new_checks_shape() {
        assert!(Tag::new(0x9F24).is_some());
        assert!(Tag::new(0x5F20).is_some());
        assert!(Tag::new(0x61).is_some());
        assert!(Tag::new(0x9F).is_none(), "needs a subsequent byte");
        assert!(Tag::new(0x9F81).is_none(), "last byte has b8 set");
        assert!(Tag::new(0x9F8101).is_some());
        assert!(Tag::new(0x4F01).is_none(), "4F is a one-byte tag");
        assert!(Tag::new(0x00).is_some());
    }

    #[test]
    fn constructed_bit_and_display() {
        let t = Tag::new(0x61).unwrap();
        assert!(t.is_constructed());
        assert!(!Tag::new(0x9F26).unwrap().is_constructed());
        assert!(Tag::new(0xBF0C).unwrap().is_constructed());
        assert_eq!(alloc::format!("{}", Tag::new(0x9F24).unwrap()), "9F24");
        assert_eq!(alloc::format!("{}", Tag::new(0x05).unwrap()), "05");
    }

    #[test]
    fn long_form_lengths() {
        let mut d = vec![0x5F, 0x50, 0x81, 0x80];
        d.extend_from_slice(&[b'x'; 128]);
        let t = tlvs(&d).remove(0).unwrap();
        assert_eq!(t.value.len(), 128);
        assert_eq!(t.header_len, 4);
        assert!(t.has_minimal_length());
        let d = [0x04, 0x82, 0x00, 0x01, 0xAA];
        let t = tlvs(&d).remove(0).unwrap();
        assert_eq!(t.value, &[0xAA]);
        assert!(!t.has_minimal_length());
    }

    #[test]
    fn errors_carry_offsets() {
        let d = [0x04, 0x01, 0xAA, 0x61, 0x80, 0x00, 0x00];
        assert_eq!(
            tlvs(&d)[1],
            Err(BerError::LengthIndefinite {
                tag: Tag(0x61),
                offset: 4
            })
        );
        let d = [0x04, 0x01, 0xAA, 0x9F];
        assert_eq!(tlvs(&d)[1], Err(BerError::TagTruncated { offset: 3 }));
        let d = [0x04, 0x01, 0xAA, 0x9F, 0x81, 0x82, 0x83, 0x04];
        assert_eq!(tlvs(&d)[1], Err(BerError::TagTooLong { offset: 3 }));
        let d = [0x04, 0x85, 1, 2, 3, 4, 5];
        assert!(matches!(
            tlvs(&d)[0],
            Err(BerError::LengthTooLong { bytes: 5, .. })
        ));
        let d = [0x04, 0x82, 0x01];
        assert!(matches!(
            tlvs(&d)[0],
            Err(BerError::LengthTruncated { offset: 1, .. })
        ));
        let d = [0x04];
        assert!(matches!(
            tlvs(&d)[0],
            Err(BerError::LengthTruncated { offset: 1, .. })
        ));
        assert_eq!(tlvs(&d).len(), 1, "stops after an error");
    }

    /// Every object and error of `r` and, depth first, of its constructed objects' values.
    fn read_all<'a>(
        mut r: Reader<'a>,
        general_only: bool,
        out: &mut Vec<Result<Tlv<'a>, BerError>>,
    ) {
        loop {
            let next = if general_only {
                r.next_general()
            } else {
                r.next()
            };
            let Some(item) = next else { return };
            out.push(item);
            if let Ok(t) = item {
                if t.is_constructed() {
                    read_all(t.children(), general_only, out);
                }
            }
        }
    }

    #[test]
    fn the_inline_path_reads_as_the_general_one() {
        // Short random data of few distinct bytes, so that short and long tags, short and long
        // lengths, truncations and nesting all occur; small limits so that both refusals do.
        let alphabet = [
            0x00, 0x01, 0x02, 0x03, 0x05, 0x1F, 0x20, 0x3F, 0x4F, 0x5F, 0x61, 0x7F, 0x80, 0x81,
            0x82, 0x85, 0x9F, 0xBF, 0xFF,
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut rand = || crate::xorshift(&mut seed);
        for _ in 0..20_000 {
            let len = (rand() % 24) as usize;
            let data: Vec<u8> = (0..len)
                .map(|_| alphabet[(rand() % alphabet.len() as u64) as usize])
                .collect();
            let limits = Limits {
                max_depth: (rand() % 4) as u8,
                max_size: (rand() % 32) as usize,
            };
            let (mut fast, mut general) = (Vec::new(), Vec::new());
            read_all(Reader::with_limits(&data, limits), false, &mut fast);
            read_all(Reader::with_limits(&data, limits), true, &mut general);
            assert_eq!(fast, general, "{data:02X?} {limits:?}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        // 10 nested 0x62 templates around one primitive.
        let mut d = vec![0x04, 0x00];
        for _ in 0..10 {
            let mut o = vec![0x62, d.len() as u8];
            o.extend_from_slice(&d);
            d = o;
        }
        let lim = Limits {
            max_depth: 8,
            max_size: 1000,
        };
        let e = check(&d, lim).unwrap_err();
        assert!(matches!(e, BerError::Depth { max: 8, .. }), "{e:?}");
        assert_eq!(e.offset(), 16);
        let lim = Limits {
            max_depth: 11,
            max_size: 1000,
        };
        assert_eq!(check(&d, lim), Ok(()));
        let lim = Limits {
            max_depth: 11,
            max_size: 10,
        };
        assert!(matches!(check(&d, lim), Err(BerError::TooLarge { .. })));
    }

    #[test]
    fn writes_minimal_lengths() {
        for (len, header) in [
            (0usize, vec![0x04, 0x00]),
            (127, vec![0x04, 0x7F]),
            (128, vec![0x04, 0x81, 0x80]),
            (255, vec![0x04, 0x81, 0xFF]),
            (256, vec![0x04, 0x82, 0x01, 0x00]),
            (70000, vec![0x04, 0x83, 0x01, 0x11, 0x70]),
        ] {
            let mut out = Vec::new();
            write_header(&mut out, Tag::new(0x04).unwrap(), len).unwrap();
            assert_eq!(out, header, "{len}");
            assert_eq!(out.len(), 1 + length_len(len));
        }
    }
}
