//! CRC-16/CCITT-FALSE, the checksum of EMV QR payloads (MPM §4.7.3).
//!
//! Polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR; the check value of
//! `"123456789"` is `0x29B1`. It runs over the UTF-8 bytes of the payload up to and including
//! the `6304` header of the CRC object. The table-driven implementation is the `crc` crate's
//! slice-by-16 table (`CRC_16_IBM_3740` is the catalogue name of the same algorithm). With the
//! `simd-crc` feature (on by default; it needs `std`), inputs of 128 bytes or more go to the
//! `crc-fast` crate, which folds 16 or more bytes at a time with carry-less multiplication
//! (PCLMULQDQ/VPCLMULQDQ on x86-64, PMULL on aarch64, chosen at run time). crc-fast is fastest
//! on a block of a multiple of 128 bytes that starts on a 16-byte boundary; other input below
//! 512 bytes is copied to the end of such a zeroed block first (see `padded`). Measured here
//! (PERFORMANCE.md): the 153 bytes of a Thai bill take 41 ns that way, 47 by the table; an
//! unaligned 248 bytes 42 ns, 62 by the table; 256 aligned bytes 24 ns, 56 by the table.
//!
//! ```
//! assert_eq!(qrpay::crc::crc16(b"123456789"), 0x29B1);
//! let payload = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
//! assert_eq!(qrpay::crc::check(payload), qrpay::crc::CrcCheck::Ok { lowercase: false });
//! ```

use crc::{Crc, Table, CRC_16_IBM_3740};

static ALGO: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&CRC_16_IBM_3740);

/// From this many bytes on, [`crc16`] uses carry-less multiplication for input that starts on
/// a 16-byte boundary (feature `simd-crc`).
pub const SIMD_FROM: usize = 256;

/// From this many bytes on, [`crc16`] uses carry-less multiplication for any input (feature
/// `simd-crc`).
pub const SIMD_FROM_UNALIGNED: usize = 1024;

/// CRC-16/CCITT-FALSE of `bytes`.
///
/// The table takes 16 bytes per step but the bytes after the last whole block one at a time,
/// each step waiting for the one before (about 2 ns a byte here, 4 ns a block). So input
/// with 8 to 15 such bytes is read as if it began with as many zero bytes as make its length
/// a multiple of 16, from a start state that those zero bytes turn into the initial value
/// (`LEAD`): the same CRC with one more block and no single bytes. Measured over 120–170
/// bytes: 4–37% faster with 9–15 trailing bytes, no change with 8, slower with fewer.
#[inline]
pub fn crc16(bytes: &[u8]) -> u16 {
    #[cfg(feature = "simd-crc")]
    if bytes.len() >= PAD_FROM {
        return simd(bytes);
    }
    // Seven trailing bytes or fewer cost less than the extra block.
    if bytes.len() % 16 < 8 {
        return ALGO.checksum(bytes);
    }
    with_lead(bytes)
}

/// From this many bytes to 511, input that [`crc16`] does not hand to carry-less multiplication
/// as it is goes there padded (feature `simd-crc`). Measured here: padded, 128–143 bytes take
/// 35–36 ns, the table 30–37 ns at 128 bytes and 37–47 at 136; beside the parse of a 147-byte
/// Pix payload, parse + strict validation + CRC took 103–107 ns instead of 124–128 with the
/// table.
/// Below 128 bytes the table is as fast or faster (64–120 bytes: 16–40 ns, padded 35–50).
#[cfg(feature = "simd-crc")]
const PAD_FROM: usize = 128;

/// [`crc16`] of [`PAD_FROM`] bytes or more: carry-less multiplication of the input as it is
/// when it starts on a 16-byte boundary and crc-fast folds it in few passes (256 bytes or more,
/// at most 32 of them after the last 128-byte block, or 512 bytes or more), or when it is long;
/// otherwise padded below 512 bytes; the table from 512 to 1023 unaligned bytes.
#[cfg(feature = "simd-crc")]
#[inline(never)]
fn simd(bytes: &[u8]) -> u16 {
    let len = bytes.len();
    let aligned = (bytes.as_ptr() as usize) % 16 == 0;
    if len >= SIMD_FROM_UNALIGNED
        || (aligned && len >= SIMD_FROM && (len >= 512 || len % 128 <= 32))
    {
        // A 16-bit CRC: the upper bits of the u64 are zero.
        crc_fast::checksum(crc_fast::CrcAlgorithm::Crc16Ibm3740, bytes) as u16
    } else if len < 512 {
        padded(bytes)
    } else {
        ALGO.checksum(bytes)
    }
}

/// `N` bytes on a 16-byte boundary.
#[cfg(feature = "simd-crc")]
#[repr(align(16))]
struct Aligned<const N: usize>([u8; N]);

/// [`crc16`] by carry-less multiplication of `bytes` (at most 511) laid at the end of a block of
/// 256 or 512 zero bytes on a 16-byte boundary: crc-fast folds such a block in one pass, while
/// it reads other input in three (an unaligned head, the aligned blocks, the tail), each ended
/// by a reduction. Zero bytes leave a zero register as it is, so CRC-16/XMODEM (this CRC
/// started from 0) of the block equals XMODEM of `bytes`; and as the CRC is linear in the start
/// value and the data, CCITT-FALSE of `bytes` is that XOR CCITT-FALSE of as many zero bytes
/// ([`ZEROS`]).
#[cfg(feature = "simd-crc")]
fn padded(bytes: &[u8]) -> u16 {
    if bytes.len() <= 256 {
        padded_in(&mut Aligned([0; 256]).0, bytes)
    } else {
        padded_in(&mut Aligned([0; 512]).0, bytes)
    }
}

/// [`padded`] in `block` (zeroed, on a 16-byte boundary, at least as long as `bytes`).
#[cfg(feature = "simd-crc")]
#[inline(always)]
fn padded_in(block: &mut [u8], bytes: &[u8]) -> u16 {
    // The last `bytes.len()` bytes of the block (the table for input longer than the block).
    let Some(tail) = (block.len().checked_sub(bytes.len())).and_then(|lead| block.get_mut(lead..))
    else {
        return ALGO.checksum(bytes);
    };
    tail.copy_from_slice(bytes);
    let xmodem = crc_fast::checksum(crc_fast::CrcAlgorithm::Crc16Xmodem, block) as u16;
    xmodem ^ ZEROS.get(bytes.len()).copied().unwrap_or(0)
}

/// `ZEROS[n]`: CRC-16/CCITT-FALSE of `n` zero bytes.
#[cfg(feature = "simd-crc")]
#[allow(clippy::indexing_slicing)]
const ZEROS: [u16; 512] = {
    let mut zeros = [INIT; 512];
    let mut n = 1;
    while n < 512 {
        zeros[n] = after_zero_byte(zeros[n - 1]);
        n += 1;
    }
    zeros
};

/// The register value after one zero byte from `before`: eight steps of the shift register.
#[cfg(feature = "simd-crc")]
const fn after_zero_byte(before: u16) -> u16 {
    let mut s = before;
    let mut bit = 0;
    while bit < 8 {
        s = if s & 0x8000 != 0 {
            (s << 1) ^ 0x1021
        } else {
            s << 1
        };
        bit += 1;
    }
    s
}

/// [`crc16`] of input with 8 to 15 bytes after its last whole block, read after a lead of
/// zero bytes that completes that block.
fn with_lead(bytes: &[u8]) -> u16 {
    let lead = bytes.len().wrapping_neg() % 16;
    let (head, rest) = bytes.split_at(16 - lead);
    let mut first = [0u8; 16];
    if let Some(tail) = first.get_mut(lead..) {
        tail.copy_from_slice(head);
    }
    let mut digest = ALGO.digest_with_initial(LEAD.get(lead).copied().unwrap_or(INIT));
    digest.update(&first);
    digest.update(rest);
    digest.finalize()
}

/// The initial value of the CRC register.
const INIT: u16 = CRC_16_IBM_3740.init;

/// `LEAD[n]`: the register value that `n` zero bytes turn into [`INIT`].
// Evaluated at compile time: an index out of range would stop the build, not a program.
#[allow(clippy::indexing_slicing)]
const LEAD: [u16; 16] = {
    let mut lead = [INIT; 16];
    let mut n = 1;
    while n < 16 {
        lead[n] = before_zero_byte(lead[n - 1]);
        n += 1;
    }
    lead
};

/// The register value that one zero byte turns into `after`: eight steps of the shift
/// register run backwards. A forward step shifts left and, when the bit shifted out was set,
/// adds the polynomial 0x1021, whose lowest bit is set; so the lowest bit of a result tells
/// which case made it.
const fn before_zero_byte(after: u16) -> u16 {
    let mut s = after;
    let mut bit = 0;
    while bit < 8 {
        s = if s & 1 != 0 {
            ((s ^ 0x1021) >> 1) | 0x8000
        } else {
            s >> 1
        };
        bit += 1;
    }
    s
}

/// The four upper-case hex digits of `crc`, as EMV writes them.
pub fn to_hex(crc: u16) -> [u8; 4] {
    let x = u32::from(crc);
    // One nibble a byte, the most significant first in memory (little-endian byte 0).
    let n = (x >> 12) | (x >> 8 & 0xF) << 8 | (x >> 4 & 0xF) << 16 | (x & 0xF) << 24;
    // 1 in the bytes whose nibble is 10 or more. They take a letter: 'A' comes 7 places
    // after the character that follows '9'.
    let letter = (n + 0x0606_0606) >> 4 & 0x0101_0101;
    (n + 0x3030_3030 + letter * 7).to_le_bytes()
}

/// Parses four hex digits, either case.
pub fn from_hex(digits: &[u8]) -> Option<u16> {
    hex4(digits).map(|(v, _)| v)
}

/// For each byte: its value as a hex digit, plus 0x10 for a lower-case letter; 0x80 when it is
/// not a hex digit. (Indexing in a constant: out of bounds would fail the build, not a call.)
#[allow(clippy::indexing_slicing)]
const HEX: [u8; 256] = {
    let mut t = [0x80u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'A' as usize + i] = 10 + i as u8;
        t[b'a' as usize + i] = 0x10 | (10 + i as u8);
        i += 1;
    }
    t
};

/// The value of one hex digit, either case; `None` for any other byte. The same table as
/// [`hex4`]: the crate's one definition of a hex digit.
pub(crate) fn hex_digit(c: u8) -> Option<u8> {
    let v = HEX.get(usize::from(c)).copied().unwrap_or(0x80);
    (v & 0x80 == 0).then_some(v & 0xF)
}

/// Four hex digits: their value, and whether any is a lower-case letter. Four table lookups
/// without a branch per digit, and independent of the CRC it is compared with.
#[inline]
fn hex4(digits: &[u8]) -> Option<(u16, bool)> {
    let &[a, b, c, d] = digits else {
        return None;
    };
    let v = [a, b, c, d].map(|x| HEX.get(usize::from(x)).copied().unwrap_or(0x80));
    let all = v[0] | v[1] | v[2] | v[3];
    if all & 0x80 != 0 {
        return None;
    }
    let n = |x: u8| u16::from(x & 0xF);
    Some((
        n(v[0]) << 12 | n(v[1]) << 8 | n(v[2]) << 4 | n(v[3]),
        all & 0x10 != 0,
    ))
}

/// What the CRC of an EMV payload says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CrcCheck {
    /// The payload ends in `6304` and four hex digits that match.
    Ok {
        /// The digits used lower case (readable, but MPM v1.1 asks for upper case).
        lowercase: bool,
    },
    /// The payload ends in `6304` and four hex digits that do not match.
    Mismatch {
        /// The value in the payload.
        stated: u16,
        /// The value computed over the payload.
        computed: u16,
    },
    /// The payload does not end in `6304` and four hex digits.
    Missing,
}

impl CrcCheck {
    /// `"ok"`, `"mismatch"` or `"missing"`, the names used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            CrcCheck::Ok { .. } => "ok",
            CrcCheck::Mismatch { .. } => "mismatch",
            CrcCheck::Missing => "missing",
        }
    }
}

/// Checks the CRC that ends an EMV payload.
///
/// The CRC object must be the last 8 characters: `6304` and four hex digits in either case.
/// This looks only at the text, so it also answers for payloads whose TLV structure is broken.
pub fn check(payload: &str) -> CrcCheck {
    let b = payload.as_bytes();
    if b.len() < 8 {
        return CrcCheck::Missing;
    }
    let (covered, digits) = b.split_at(b.len() - 4);
    if !covered.ends_with(b"6304") {
        return CrcCheck::Missing;
    }
    let Some((stated, lowercase)) = hex4(digits) else {
        return CrcCheck::Missing;
    };
    let computed = crc16(covered);
    if computed == stated {
        CrcCheck::Ok { lowercase }
    } else {
        CrcCheck::Mismatch { stated, computed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!(crc16(b""), 0xFFFF);
    }

    #[test]
    fn to_hex_is_upper_case_hex_of_every_value() {
        for v in 0..=u16::MAX {
            let want = alloc::format!("{v:04X}");
            assert_eq!(&to_hex(v), want.as_bytes(), "{v}");
            assert_eq!(from_hex(&to_hex(v)), Some(v));
        }
    }

    #[test]
    fn hex4_reads_every_four_byte_pattern_of_hex_and_near_misses() {
        // Each byte from the digits, both cases of every letter and their neighbours.
        let pool = b"0189:/@AFGaf`g \x7f\x80\xff";
        for &a in pool.iter() {
            for &b in pool.iter() {
                for &c in pool.iter() {
                    for &d in pool.iter() {
                        let w = [a, b, c, d];
                        let want = core::str::from_utf8(&w)
                            .ok()
                            .filter(|s| s.bytes().all(|x| x.is_ascii_hexdigit()))
                            .and_then(|s| u16::from_str_radix(s, 16).ok())
                            .map(|v| (v, w.iter().any(u8::is_ascii_lowercase)));
                        assert_eq!(hex4(&w), want, "{w:?}");
                    }
                }
            }
        }
        assert_eq!(hex4(b"123"), None);
        assert_eq!(hex4(b"12345"), None);
    }

    #[test]
    fn hex_digit_is_a_hex_digit_of_either_case() {
        for c in 0..=u8::MAX {
            let want = char::from(c).to_digit(16).map(|d| d as u8);
            assert_eq!(hex_digit(c), want, "{c:#x}");
        }
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(&to_hex(0x007B), b"007B");
        assert_eq!(from_hex(b"e9fC"), Some(0xE9FC));
        assert_eq!(from_hex(b"M2B3"), None);
        assert_eq!(from_hex(b"123"), None);
    }

    /// An independent bitwise implementation, straight from the polynomial.
    fn bitwise(bytes: &[u8]) -> u16 {
        let mut crc = 0xFFFFu16;
        for &b in bytes {
            crc ^= u16::from(b) << 8;
            for _ in 0..8 {
                crc = if crc & 0x8000 != 0 {
                    (crc << 1) ^ 0x1021
                } else {
                    crc << 1
                };
            }
        }
        crc
    }

    #[cfg(feature = "simd-crc")]
    #[test]
    fn padded_block_takes_any_length() {
        // Shorter than the block, as long, and longer (which the table takes instead).
        let data: alloc::vec::Vec<u8> = (0..600u32).map(|i| (i * 31 + 7) as u8).collect();
        for n in [0, 1, 143, 255, 256, 257, 511] {
            let mut block = [0u8; 256];
            assert_eq!(
                padded_in(&mut block, &data[..n]),
                bitwise(&data[..n]),
                "{n}"
            );
        }
    }

    #[test]
    fn lead_states_become_the_initial_value() {
        // The bitwise register started at LEAD[n] and fed n zero bytes holds 0xFFFF (that
        // `crc16` then equals the plain CRC is checked on every length below).
        for (n, &start) in LEAD.iter().enumerate() {
            let mut crc = start;
            for _ in 0..n * 8 {
                crc = if crc & 0x8000 != 0 {
                    (crc << 1) ^ 0x1021
                } else {
                    crc << 1
                };
            }
            assert_eq!(crc, 0xFFFF, "lead {n}");
        }
    }

    #[test]
    fn table_matches_bitwise_on_many_lengths() {
        // Both sides of SIMD_FROM, and long inputs that use the widest folds.
        let data: alloc::vec::Vec<u8> = (0..5000u32).map(|i| (i * 31 + 7) as u8).collect();
        for n in (0..700).chain([1023, 1024, 1025, 2953, 4095, 4096, 4296, 4900]) {
            // Every start alignment.
            for at in 0..17 {
                let d = &data[at..at + n];
                assert_eq!(crc16(d), bitwise(d), "length {n} at {at}");
            }
        }
    }

    #[test]
    fn lowercase_digits_are_read_and_flagged() {
        let body = "000201010211";
        let mut s = alloc::string::String::from(body);
        s.push_str("6304");
        let c = crc16(s.as_bytes());
        let hex = to_hex(c);
        let lower: alloc::string::String =
            hex.iter().map(|b| b.to_ascii_lowercase() as char).collect();
        let upper = core::str::from_utf8(&hex).unwrap();
        let with_upper = alloc::format!("{s}{upper}");
        let with_lower = alloc::format!("{s}{lower}");
        assert_eq!(check(&with_upper), CrcCheck::Ok { lowercase: false });
        let has_letter = hex.iter().any(u8::is_ascii_alphabetic);
        assert_eq!(
            check(&with_lower),
            CrcCheck::Ok {
                lowercase: has_letter
            }
        );
        assert_eq!(check("0002010102116304"), CrcCheck::Missing);
        assert_eq!(check("00020101021163040000").as_str(), "mismatch");
    }
}
