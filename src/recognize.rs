//! What kind of code a text is, decided from its shape before any parsing.
//!
//! The order matters: deep links that carry an EMV payload first, then EMV CPM (base64 that
//! starts `hQV`, the encoding of tag 85 with length 5), then the non-EMV formats
//! (URL schemes, `BCD`, `SPC`, numeric payment codes by prefix and length), then EMV MPM.
//! A text is taken for MPM only when it looks like one: it starts with `00` and two digits
//! (the payload format indicator), or its first two data objects walk, or it ends with a CRC
//! object (`6304` and four hex digits). So a long number is not MPM merely because it starts
//! with digits.
//!
//! ```
//! use qrpay::recognize::{guess, Guess};
//! assert!(matches!(guess("000201010211"), Guess::Mpm));
//! assert!(matches!(guess("991234567890123456"), Guess::Unknown));
//! assert!(matches!(guess("upi://pay?pa=a@b"), Guess::Format(_)));
//! ```

use crate::formats::{self, wrapper, FormatKind, Wrapped};
use crate::tlv::Walker;

/// The kind a text appears to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guess<'a> {
    /// Nothing to read.
    Empty,
    /// Longer than qrpay reads ([`crate::mpm::MAX_PAYLOAD_BYTES`]).
    TooLong,
    /// A deep link carrying an EMV payload.
    Wrapped(Wrapped<'a>),
    /// A non-EMV format.
    Format(FormatKind),
    /// EMV merchant-presented mode.
    Mpm,
    /// EMV consumer-presented mode: base64 starting `hQV` (tag 85, length 5).
    Cpm,
    /// None of these.
    Unknown,
}

/// True when `text` has the shape of an EMV MPM payload (see the module documentation).
pub fn looks_like_mpm(text: &str) -> bool {
    let b = text.as_bytes();
    if !b
        .first_chunk::<4>()
        .is_some_and(|h| h.iter().all(u8::is_ascii_digit))
    {
        return false;
    }
    if b.starts_with(b"00") {
        return true;
    }
    if Walker::new(text).take(2).filter(|r| r.is_ok()).count() == 2 {
        return true;
    }
    matches!(crate::crc::check(text), crate::crc::CrcCheck::Ok { .. })
        || b.len() >= 8 && b.get(b.len() - 8..b.len() - 4) == Some(b"6304".as_slice())
}

/// Decides what `text` appears to be, without parsing it fully.
#[inline]
pub fn guess(text: &str) -> Guess<'_> {
    if text.is_empty() {
        return Guess::Empty;
    }
    if text.len() > crate::mpm::MAX_PAYLOAD_BYTES {
        return Guess::TooLong;
    }
    // The common case first: a text starting with `00` and two digits is MPM unless it is a
    // deep link. It is not CPM (`hQV`), not a letter-led format, and not a payment code (no
    // rule of `paycode::RULES` has the prefix 00, checked when compiling), so `detect`
    // would say `None` and `looks_like_mpm` `true`: the same answer without either.
    if let Some([b'0', b'0', c, d]) = text.as_bytes().first_chunk::<4>() {
        if c.is_ascii_digit() && d.is_ascii_digit() {
            return match wrapper::unwrap(text) {
                Some(w) => Guess::Wrapped(w),
                None => Guess::Mpm,
            };
        }
    }
    guess_other(text)
}

/// [`guess`] for a text that does not start with `00` and two digits.
#[inline(never)]
fn guess_other(text: &str) -> Guess<'_> {
    if let Some(w) = wrapper::unwrap(text) {
        return Guess::Wrapped(w);
    }
    if text.starts_with("hQV") {
        return Guess::Cpm;
    }
    if let Some(k) = formats::detect(text) {
        return Guess::Format(k);
    }
    if looks_like_mpm(text) {
        return Guess::Mpm;
    }
    Guess::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order of the module documentation, every test made.
    fn reference(text: &str) -> Guess<'_> {
        if text.is_empty() {
            Guess::Empty
        } else if text.len() > crate::mpm::MAX_PAYLOAD_BYTES {
            Guess::TooLong
        } else if let Some(w) = wrapper::unwrap(text) {
            Guess::Wrapped(w)
        } else if text.starts_with("hQV") {
            Guess::Cpm
        } else if let Some(k) = formats::detect(text) {
            Guess::Format(k)
        } else if looks_like_mpm(text) {
            Guess::Mpm
        } else {
            Guess::Unknown
        }
    }

    #[test]
    fn shortcut_for_00_agrees_with_the_full_order() {
        let texts = [
            "0",
            "00",
            "000",
            "0002",
            "00020101021163041234",
            "0012345678901234567",
            "001234567890123456789",
            "0099",
            "00a1",
            "0x00",
            "0002app://x?p=000201010211",
            "0002app://x?p=hQVDUFYw",
            "0002a pp://x?p=000201010211",
            "0002://x?p=000201010211",
            "00020101021126360014br.gov.bcb.pix2514https://a.b/c6304ABCD",
            "1012345678901234567",
            "625000000000000000",
        ];
        for t in texts {
            assert_eq!(guess(t), reference(t), "{t}");
        }
        for i in 0..=9999u32 {
            let t = alloc::format!("00{i:04}");
            assert_eq!(guess(&t), reference(&t), "{t}");
            let t = alloc::format!("00{i:02}{i:016}");
            assert_eq!(guess(&t), reference(&t), "{t}");
        }
    }
}
