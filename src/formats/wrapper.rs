//! Deep links that carry an EMV payload in a query parameter, e.g. Mongolian bank apps'
//! `qpaywallet://q?qPay_QRcode=<EMV MPM>` (dossier §5.5). [`unwrap`] gives the inner text,
//! percent-decoded, so the caller can decode it as whatever kind it is.
//!
//! ```
//! use qrpay::formats::wrapper;
//! let w = wrapper::unwrap("qpaywallet://q?qPay_QRcode=000201010211%20X").unwrap();
//! assert_eq!(w.scheme, "qpaywallet");
//! assert_eq!(w.param, "qPay_QRcode");
//! assert_eq!(w.inner, "000201010211 X");
//! ```

use alloc::borrow::Cow;

use percent_encoding::percent_decode_str;

use super::{byte_pos, char_offset};
use crate::crc::{self, CrcCheck};

/// Known wrappers: scheme (matched without case) and the parameter holding the payload.
pub static KNOWN: &[(&str, &str)] = &[("qpaywallet", "qPay_QRcode"), ("tdbbank", "qPay_QRcode")];

/// A payload found inside a deep link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wrapped<'a> {
    /// The link as given.
    pub text: &'a str,
    /// The link's scheme as written (`qpaywallet`).
    pub scheme: &'a str,
    /// The parameter that held the payload (`qPay_QRcode`).
    pub param: &'a str,
    /// The parameter's value as written.
    pub raw: &'a str,
    /// The payload, percent-decoded (borrowed when nothing needed decoding).
    pub inner: Cow<'a, str>,
    /// Character offset of the value in the link.
    pub offset: usize,
    /// True when the value had to be (or could not cleanly be) percent-decoded.
    pub decoded: bool,
}

/// True when `inner` looks like an EMV payload: MPM (`000201`/`000202`) or CPM base64
/// (`hQV`).
fn looks_emv(inner: &str) -> bool {
    inner.starts_with("000201") || inner.starts_with("000202") || inner.starts_with("hQV")
}

/// True when `text` is a deep link carrying an EMV payload (see [`unwrap`]).
pub fn detect(text: &str) -> bool {
    unwrap(text).is_some()
}

/// Finds the EMV payload in a deep link: the parameter of a [`KNOWN`] wrapper, or else the
/// first query parameter of any `scheme://...?` link whose value starts like EMV. `+` is read
/// as a space only when that makes the payload's CRC match and the literal reading does not.
pub fn unwrap(text: &str) -> Option<Wrapped<'_>> {
    if text.len() > crate::mpm::MAX_PAYLOAD_BYTES {
        return None;
    }
    // A scheme has no `:`, so the `://` that ends a valid one is the first `:` of the text:
    // the same answer as splitting at the first `://` and checking the scheme, found with a
    // byte search instead of a substring search over every payload that is no link.
    let n = first_colon(text.as_bytes())?;
    let (scheme, rest) = (text.get(..n)?, text.get(n..)?.strip_prefix("://")?);
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        return None;
    }
    let (_, query) = rest.split_once('?')?;
    let known = KNOWN
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(scheme))
        .map(|(_, p)| *p);
    for kv in query.split('&') {
        let Some((k, v)) = kv.split_once('=') else {
            continue;
        };
        let wanted = match known {
            Some(p) => k == p,
            None => true,
        };
        if !wanted {
            continue;
        }
        let (inner, decoded) = decode(v);
        if known.is_some() || looks_emv(&inner) {
            return Some(Wrapped {
                text,
                scheme,
                param: k,
                raw: v,
                inner,
                offset: char_offset(text, byte_pos(text, v)),
                decoded,
            });
        }
    }
    None
}

/// The index of the first `:` in `b`, eight bytes at a time.
fn first_colon(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let x =
            c.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w)) ^ (ONES * u64::from(b':'));
        // The classic zero-byte test: a borrow only runs into bytes above a zero one, so the
        // lowest flagged byte is the first `:`.
        let z = x.wrapping_sub(ONES) & !x & (ONES * 0x80);
        if z != 0 {
            return Some(at + (z.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b':')
        .map(|i| at + i)
}

fn decode(v: &str) -> (Cow<'_, str>, bool) {
    let literal = percent_decode_str(v).decode_utf8_lossy();
    let changed = matches!(literal, Cow::Owned(_));
    if v.contains('+') {
        let crc_ok = |s: &str| matches!(crc::check(s), CrcCheck::Ok { .. });
        if !crc_ok(&literal) {
            let spaced = v.replace('+', " ");
            let alt = percent_decode_str(&spaced).decode_utf8_lossy().into_owned();
            if crc_ok(&alt) {
                return (Cow::Owned(alt), true);
            }
        }
    }
    (literal, changed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_colon_matches_find() {
        let texts = [
            "",
            ":",
            "a:",
            "abcdefg:",
            "abcdefgh:",
            "abcdefghijklmnop:x:",
            "no colon here at all",
            "é北:x",
            "\u{3a}\u{ba}",
            "0123456789012345678901234567:",
        ];
        for t in texts {
            assert_eq!(super::first_colon(t.as_bytes()), t.find(':'), "{t}");
        }
        for i in 0..40 {
            let mut s = alloc::string::String::from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789;9:");
            s.insert(i, ':');
            assert_eq!(super::first_colon(s.as_bytes()), s.find(':'), "{s}");
        }
    }

    use super::*;

    const QPAY: &str = "qpaywallet://q?qPay_QRcode=0002010102121531279404962794049600230510458969827440014A00000084300010108CAXBMNUB02105003398216520460105303496540498005802MN5912TESTMERCHANT6011Ulaanbaatar6263012594949dc4a35f42ff97dab887e0505TR0010721VIEq2AqUbkE9Sptzlh0ua7106QPP_QR7815820049046391391790222800201630465F3";

    #[test]
    fn corpus_qpay_link() {
        let w = unwrap(QPAY).unwrap();
        assert!(matches!(w.inner, Cow::Borrowed(_)));
        assert!(w.inner.starts_with("000201"));
        assert!(w.inner.ends_with("630465F3"));
        assert_eq!(w.offset, 27);
        assert!(matches!(crc::check(&w.inner), CrcCheck::Ok { .. }));
    }

    #[test]
    fn generic_and_plus_handling() {
        let inner = crate::mpm::MpmBuilder::new("5812", "496", "MN", "A+B SHOP", "UB")
            .account(2, "4111111111111111")
            .build()
            .unwrap();
        // Built by plain concatenation: the literal + must survive.
        let link = alloc::format!("bank://pay?x=1&qr={inner}");
        let w = unwrap(&link).unwrap();
        assert_eq!(w.param, "qr");
        assert_eq!(w.inner, inner.as_str());
        // Form-encoded: spaces became +, and only the spaced reading has a matching CRC.
        let inner2 = crate::mpm::MpmBuilder::new("5812", "496", "MN", "MY SHOP", "UB")
            .account(2, "4111111111111111")
            .build()
            .unwrap();
        let link = alloc::format!("bank://pay?qr={}", inner2.replace(' ', "+"));
        assert_eq!(unwrap(&link).unwrap().inner, inner2.as_str());
        assert!(unwrap("https://example.com/?q=hello").is_none());
        assert!(unwrap("upi://pay?pa=a@b").is_none());
    }
}
