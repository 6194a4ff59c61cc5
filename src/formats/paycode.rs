//! Numeric consumer payment codes (付款码): the digits a merchant's scanner reads from a
//! wallet's "pay" screen. The wallet is known only by the code's prefix and length, which
//! each wallet publishes (dossier §3.4; JR/T 0245 allocations are not public), so the rules
//! are a `static` table that the routing directory can replace.
//!
//! ```
//! use qrpay::formats::paycode;
//! let p = paycode::parse("135112298638468293").unwrap();
//! assert_eq!(p.rule().wallet, "wechatpay");
//! assert!(!paycode::detect("00020101021229300012D156000000000510A93FO3230Q3128"));
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::{NotFormat, Payment};
use crate::fields::Field;
use crate::report::{Class, Code, Detail, Path, Report};

/// One wallet's published rule: two-digit prefixes and allowed lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PaycodeRule {
    /// Stable scheme id of the wallet (`wechatpay`, `alipay`, `unionpay`).
    pub wallet: &'static str,
    /// Smallest and largest two-digit prefix (inclusive).
    pub prefixes: (u8, u8),
    /// Shortest and longest length in digits (inclusive).
    pub lengths: (u8, u8),
}

/// The rules of dossier §3.4: WeChat Pay 10–15 and 18 digits; Alipay 25–30 and 16–24
/// digits; UnionPay 62 and 19 digits.
pub static RULES: &[PaycodeRule] = &RULE_TABLE;

const RULE_TABLE: [PaycodeRule; 3] = [
    PaycodeRule {
        wallet: "wechatpay",
        prefixes: (10, 15),
        lengths: (18, 18),
    },
    PaycodeRule {
        wallet: "alipay",
        prefixes: (25, 30),
        lengths: (16, 24),
    },
    PaycodeRule {
        wallet: "unionpay",
        prefixes: (62, 62),
        lengths: (19, 19),
    },
];

/// No rule of [`RULES`] takes the prefix `00`, which every EMV MPM payload starts with:
/// `recognize::guess` relies on it to skip [`detect`] for such a text. (Checked when
/// compiling.)
const _: () = {
    let mut rest: &[PaycodeRule] = &RULE_TABLE;
    while let [rule, tail @ ..] = rest {
        assert!(rule.prefixes.0 > 0);
        rest = tail;
    }
};

/// Shortest and longest text read as a payment code (the union of the table's lengths).
const LENGTHS: (usize, usize) = (16, 24);

/// The rule whose prefix `text` has, in `rules`.
pub fn rule_in<'r>(rules: &'r [PaycodeRule], text: &str) -> Option<&'r PaycodeRule> {
    let b = text.as_bytes();
    let (a, c) = (b.first()?, b.get(1)?);
    if !a.is_ascii_digit() || !c.is_ascii_digit() {
        return None;
    }
    let prefix = (a - b'0') * 10 + (c - b'0');
    rules
        .iter()
        .find(|r| (r.prefixes.0..=r.prefixes.1).contains(&prefix))
}

/// True when `text` is 16 to 24 digits (nothing else) with a prefix of [`RULES`]. An EMV
/// payload, which starts `00` and holds letters, never is.
pub fn detect(text: &str) -> bool {
    detect_in(RULES, text)
}

/// [`detect`] with another table.
pub fn detect_in(rules: &[PaycodeRule], text: &str) -> bool {
    (LENGTHS.0..=LENGTHS.1).contains(&text.len())
        && text.bytes().all(|c| c.is_ascii_digit())
        && rule_in(rules, text).is_some()
}

/// A consumer payment code and the rule its prefix matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paycode<'a> {
    text: &'a str,
    rule: &'static PaycodeRule,
}

/// Reads a payment code by [`RULES`]. Fails when the text is not one (see [`detect`]).
pub fn parse(text: &str) -> Result<Paycode<'_>, NotFormat> {
    parse_in(RULES, text)
}

/// [`parse`] with another (static) table.
pub fn parse_in<'a>(
    rules: &'static [PaycodeRule],
    text: &'a str,
) -> Result<Paycode<'a>, NotFormat> {
    if !detect_in(rules, text) {
        return Err(NotFormat::Kind("payment code"));
    }
    let rule = rule_in(rules, text).ok_or(NotFormat::Kind("payment code"))?;
    Ok(Paycode { text, rule })
}

impl<'a> Paycode<'a> {
    /// The digits.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The matching rule (and so the wallet).
    pub fn rule(&self) -> &'static PaycodeRule {
        self.rule
    }

    /// Checks the length against the wallet's rule.
    pub fn validate(&self, report: &mut Report) {
        let n = self.text.len();
        let (min, max) = self.rule.lengths;
        if !(usize::from(min)..=usize::from(max)).contains(&n) {
            report.push(
                Code::PaycodeLength,
                Class::Deviation,
                Path::ROOT,
                0,
                Detail::Length {
                    min: u32::from(min),
                    max: u32::from(max),
                    found: n as u32,
                },
            );
        }
    }

    /// `wallet` and `code`.
    pub fn fields(&self) -> Vec<Field<'a>> {
        alloc::vec![
            Field {
                path: String::from("wallet"),
                name: "wallet",
                value: Cow::Borrowed(self.rule.wallet),
                offset: 0,
            },
            Field {
                path: String::from("code"),
                name: "payment code",
                value: Cow::Borrowed(self.text),
                offset: 0,
            },
        ]
    }

    /// The uniform payment view: the code as the (consumer's) account, country CN.
    pub fn payment(&self) -> Payment<'a> {
        Payment {
            account: Some(Cow::Borrowed(self.text)),
            country: Some(Cow::Borrowed("CN")),
            ..Payment::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Mode;

    #[test]
    fn dossier_examples() {
        // Dossier §3.4: WeChat 135112298638468293, Alipay 289431869362714645 and the
        // Alipay doc's 28763443825664394 (17 digits).
        for (t, w) in [
            ("135112298638468293", "wechatpay"),
            ("289431869362714645", "alipay"),
            ("28763443825664394", "alipay"),
            ("6212345678901234567", "unionpay"),
        ] {
            let p = parse(t).unwrap();
            assert_eq!(p.rule().wallet, w);
            let mut r = Report::new(Mode::Strict);
            p.validate(&mut r);
            assert!(r.is_empty(), "{t}");
        }
    }

    #[test]
    fn wrong_length_and_non_codes() {
        let mut r = Report::new(Mode::Strict);
        parse("1351122986384682931").unwrap().validate(&mut r);
        assert!(r.has(Code::PaycodeLength));
        assert!(!detect("000201010211520441115802CN"));
        assert!(!detect("0002010102115204"));
        assert!(!detect("9912345678901234567"));
        assert!(!detect("135112298638468"), "15 digits");
        assert!(!detect("1351122986384682 "));
        assert!(
            detect("13511229863846829"),
            "17 digits: WeChat prefix, length reported"
        );
        assert!(!detect("1351122986384682a3"));
        assert!(!detect("١٣٥١١٢٢٩٨٦٣٨٤٦٨٢٩"));
    }
}
