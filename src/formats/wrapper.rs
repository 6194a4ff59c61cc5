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

use percent_encoding::{percent_decode, percent_decode_str};

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

/// True when `v` percent-decodes to a text that [`looks_emv`], read from its first bytes
/// only (six decoded bytes come from at most 18 written ones). A lossy UTF-8 reading keeps
/// ASCII bytes where they are and puts no ASCII in place of an invalid sequence, so this is
/// the same answer as decoding the whole value first.
fn starts_emv_raw(v: &str) -> bool {
    let mut head = [0u8; 6];
    let mut n = 0;
    for (slot, b) in head.iter_mut().zip(percent_decode(v.as_bytes())) {
        *slot = b;
        n += 1;
    }
    let head = head.get(..n).unwrap_or(&[]);
    head.starts_with(b"000201") || head.starts_with(b"000202") || head.starts_with(b"hQV")
}

/// True when `text` is a deep link carrying an EMV payload (see [`unwrap`]).
pub fn detect(text: &str) -> bool {
    unwrap(text).is_some()
}

/// Finds the EMV payload in a deep link: the parameter of a [`KNOWN`] wrapper, or else the
/// first query parameter of any `scheme://...?` link whose value starts like EMV. `+` is read
/// as a space only when that makes the payload's CRC match and the literal reading does not.
#[inline]
pub fn unwrap(text: &str) -> Option<Wrapped<'_>> {
    if text.len() > crate::mpm::MAX_PAYLOAD_BYTES {
        return None;
    }
    // A scheme has no `:`, so the `://` that ends a valid one is the first `:` of the text:
    // the same answer as splitting at the first `://` and checking the scheme, found with a
    // byte search instead of a substring search over every payload that is no link. The
    // search is inlined into the caller; only a text with a `:` pays for the call below.
    let n = first_colon(text.as_bytes())?;
    unwrap_at(text, n)
}

/// [`unwrap`] once the first `:` of `text` is known to be at `n`.
#[inline(never)]
fn unwrap_at(text: &str, n: usize) -> Option<Wrapped<'_>> {
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
        // Whichever reading `decode` picks starts the same way: the prefixes hold no `+` nor
        // space, and the readings differ only where a literal `+` is. A value whose first
        // byte is no `%` decodes to a text that starts with that byte, which must then be
        // the `0` or `h` every EMV prefix starts with.
        if known.is_none()
            && (!matches!(v.as_bytes().first(), Some(b'0' | b'h' | b'%')) || !starts_emv_raw(v))
        {
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

/// The index of the first `:` in `b`. Blocks of 64 bytes (16 for a shorter text) are tested
/// with a non-short-circuit fold, which the compiler turns into vector compares, and what is
/// left as the last block of the text (overlapping the one before); only a block that has a
/// `:` is searched byte by byte.
#[inline]
fn first_colon(b: &[u8]) -> Option<usize> {
    let from = if b.len() >= 64 {
        colon_block::<64>(b)?
    } else if b.len() >= 16 {
        colon_block::<16>(b)?
    } else {
        0
    };
    b.get(from..)?
        .iter()
        .position(|&c| c == b':')
        .map(|i| from + i)
}

/// Where the first `:` of `b` (at least `N` bytes long) is to be searched from, or `None`
/// when `b` has none.
#[inline]
fn colon_block<const N: usize>(b: &[u8]) -> Option<usize> {
    fn any_colon<const N: usize>(c: &[u8; N]) -> bool {
        c.iter().fold(false, |any, &x| any | (x == b':'))
    }
    let mut at = 0;
    for c in b.chunks_exact(N) {
        if c.first_chunk::<N>().is_some_and(any_colon) {
            return Some(at);
        }
        at += N;
    }
    // The bytes from `at` on are fewer than `N`: the last `N` cover them, and the part of
    // those before `at` was found to have no `:` already.
    (at < b.len() && b.last_chunk::<N>().is_some_and(any_colon)).then_some(at)
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
        // Every length up to three blocks of 64, a colon at every place or none, and a second
        // colon that may fall in the last block.
        for len in 0usize..200 {
            for pos in 0..=len {
                for second in [None, Some(len.saturating_sub(1))] {
                    let mut v = alloc::vec![b'x'; len];
                    if let Some(p) = v.get_mut(pos) {
                        *p = b':';
                    }
                    if let Some(p) = second.and_then(|s| v.get_mut(s)) {
                        *p = b':';
                    }
                    let want = v.iter().position(|&c| c == b':');
                    assert_eq!(super::first_colon(&v), want, "{len} {pos} {second:?}");
                }
            }
        }
    }

    use super::*;

    const QPAY: &str = "qpaywallet://q?qPay_QRcode=0002010102121531279404962794049600230510458969827440014A00000084300010108CAXBMNUB02105003398216520460105303496540498005802MN5912TESTMERCHANT6011Ulaanbaatar6263012594949dc4a35f42ff97dab887e0505TR0010721VIEq2AqUbkE9Sptzlh0ua7106QPP_QR7815820049046391391790222800201630465F3";

    #[test]
    fn raw_prefix_test_agrees_with_decoding() {
        for v in [
            "",
            "0",
            "00020",
            "000201",
            "000202X",
            "000203",
            "%30%30%30%32%30%31",
            "%300%3002%301",
            "hQV",
            "hQ",
            "%68QV",
            "h%51V+",
            "0002+1",
            "%2B00201",
            "00%3201%",
            "%",
            "%3",
            "%G0",
            "000201%FF",
            "%FF000201",
            "hQVD%E2%82",
            "+000201",
            "000%2",
        ] {
            let (inner, _) = decode(v);
            assert_eq!(starts_emv_raw(v), looks_emv(&inner), "{v}");
        }
    }

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
