//! Chinese wallets' merchant receive codes (收款码) in URL form:
//!
//! * Alipay: `https://qr.alipay.com/<id>`, often upper-cased (`HTTPS://QR.ALIPAY.COM/FKX...`)
//!   to fit the QR alphanumeric mode;
//! * WeChat Pay: `wxp://<id>` (`f2f0...` personal, `wbf2f...` business) and the Native
//!   order form `weixin://wxpay/bizpayurl?pr=...` (or `?sr=...`);
//! * UnionPay: `https://qr.95516.com/<8-digit institution code>/<id>`.
//!
//! Scheme and host are matched without regard to case; the id is kept as written. Only the
//! issuing wallet can resolve these codes, so there is no amount or currency to read.
//!
//! ```
//! use qrpay::formats::urls::{self, Wallet};
//! let u = urls::parse("HTTPS://QR.ALIPAY.COM/FKX074142EKXD0OIMV8B60").unwrap();
//! assert_eq!(u.wallet(), Wallet::Alipay);
//! assert_eq!(u.id(), "FKX074142EKXD0OIMV8B60");
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::{byte_pos, char_offset, starts_with_ci, FormatKind, NotFormat, Payment};
use crate::fields::Field;
use crate::report::{Class, Code, Detail, Path, Report, Seg};

/// The wallet a receive-code URL belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wallet {
    /// Alipay (支付宝).
    Alipay,
    /// WeChat Pay (微信支付).
    WechatPay,
    /// UnionPay (云闪付).
    UnionPay,
}

impl Wallet {
    /// The kind string: `alipay-url`, `wechat-url`, `unionpay-url`.
    pub const fn kind(self) -> FormatKind {
        match self {
            Wallet::Alipay => FormatKind::AlipayUrl,
            Wallet::WechatPay => FormatKind::WechatUrl,
            Wallet::UnionPay => FormatKind::UnionpayUrl,
        }
    }

    /// Stable scheme id (`alipay`, `wechatpay`, `unionpay`), as the corpus `scheme_ids` use.
    pub const fn scheme_id(self) -> &'static str {
        match self {
            Wallet::Alipay => "alipay",
            Wallet::WechatPay => "wechatpay",
            Wallet::UnionPay => "unionpay",
        }
    }
}

/// One recognised URL form: prefix (matched without case), the wallet, whether it is the
/// insecure `http` variant, and the form's name.
struct Form {
    prefix: &'static str,
    wallet: Wallet,
    http: bool,
    shape: Shape,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// The rest of the URL is the id.
    Path,
    /// `<institution>/<id>` (UnionPay).
    InstitutionPath,
    /// `bizpayurl?pr=<id>` or `?sr=<id>` (WeChat Native).
    Query,
}

/// The table of forms, data rather than code so the routing directory can replace it.
static FORMS: &[Form] = &[
    Form {
        prefix: "https://qr.alipay.com/",
        wallet: Wallet::Alipay,
        http: false,
        shape: Shape::Path,
    },
    Form {
        prefix: "http://qr.alipay.com/",
        wallet: Wallet::Alipay,
        http: true,
        shape: Shape::Path,
    },
    Form {
        prefix: "wxp://",
        wallet: Wallet::WechatPay,
        http: false,
        shape: Shape::Path,
    },
    Form {
        prefix: "weixin://wxpay/",
        wallet: Wallet::WechatPay,
        http: false,
        shape: Shape::Query,
    },
    Form {
        prefix: "https://qr.95516.com/",
        wallet: Wallet::UnionPay,
        http: false,
        shape: Shape::InstitutionPath,
    },
    Form {
        prefix: "http://qr.95516.com/",
        wallet: Wallet::UnionPay,
        http: true,
        shape: Shape::InstitutionPath,
    },
];

fn form_of(text: &str) -> Option<&'static Form> {
    FORMS.iter().find(|f| starts_with_ci(text, f.prefix))
}

/// The wallet whose receive-code URL `text` is, if any.
pub fn detect_wallet(text: &str) -> Option<Wallet> {
    form_of(text).map(|f| f.wallet)
}

/// True when `text` is a wallet receive-code URL.
pub fn detect(text: &str) -> bool {
    form_of(text).is_some()
}

/// A parsed wallet URL, borrowing the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletUrl<'a> {
    text: &'a str,
    wallet: Wallet,
    http: bool,
    shape: Shape,
    /// Everything after the prefix.
    rest: &'a str,
    institution: Option<&'a str>,
    /// The query key (`pr`/`sr`) for the WeChat Native form.
    key: Option<&'a str>,
    id: &'a str,
}

/// Reads a wallet URL. Fails only when the text is not one (see [`detect`]).
pub fn parse(text: &str) -> Result<WalletUrl<'_>, NotFormat> {
    if text.len() > crate::mpm::MAX_PAYLOAD_BYTES {
        return Err(NotFormat::TooLong(text.len()));
    }
    let f = form_of(text).ok_or(NotFormat::Kind("wallet URL"))?;
    let rest = text.get(f.prefix.len()..).unwrap_or("");
    let (institution, key, id) = match f.shape {
        Shape::Path => (None, None, rest),
        Shape::InstitutionPath => match rest.split_once('/') {
            Some((inst, id)) => (Some(inst), None, id),
            None => (None, None, rest),
        },
        Shape::Query => {
            let q = rest.split_once('?').map_or("", |(_, q)| q);
            let hit = q
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "pr" || *k == "sr");
            match hit {
                Some((k, v)) => (None, Some(k), v),
                None => (None, None, ""),
            }
        }
    };
    Ok(WalletUrl {
        text,
        wallet: f.wallet,
        http: f.http,
        shape: f.shape,
        rest,
        institution,
        key,
        id,
    })
}

impl<'a> WalletUrl<'a> {
    /// The URL as given.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Which wallet.
    pub fn wallet(&self) -> Wallet {
        self.wallet
    }

    /// The kind (`alipay-url`...).
    pub fn kind(&self) -> FormatKind {
        self.wallet.kind()
    }

    /// The code id (empty when missing).
    pub fn id(&self) -> &'a str {
        self.id
    }

    /// The UnionPay institution code.
    pub fn institution(&self) -> Option<&'a str> {
        self.institution
    }

    /// True for the WeChat Native order form (`weixin://wxpay/bizpayurl?pr=...`).
    pub fn is_native_order(&self) -> bool {
        self.shape == Shape::Query
    }

    /// Checks the URL's shape.
    pub fn validate(&self, report: &mut Report) {
        if self.http {
            report.push(
                Code::UrlScheme,
                Class::Advice,
                Path::ROOT,
                0,
                Detail::Expected("https"),
            );
        }
        let path = self.rest.split('?').next().unwrap_or("");
        if self.shape == Shape::Query && !path.eq_ignore_ascii_case("bizpayurl") {
            report.push(
                Code::UrlScheme,
                Class::Deviation,
                Path::ROOT,
                0,
                Detail::Expected("weixin://wxpay/bizpayurl?pr=..."),
            );
        }
        let id_off = char_offset(self.text, byte_pos(self.text, self.id));
        if self.id.is_empty() {
            report.push(
                Code::UrlIdMissing,
                Class::Fatal,
                Path::one(Seg::Name("id")),
                self.text.chars().count(),
                Detail::None,
            );
        } else {
            let ok = self.id.bytes().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, b'-' | b'_')
                    || (self.shape == Shape::Query && c == b'.')
            });
            if !ok {
                report.push(
                    Code::UrlIdFormat,
                    Class::Deviation,
                    Path::one(Seg::Name("id")),
                    id_off,
                    Detail::Expected("letters, digits, - and _"),
                );
            }
        }
        if self.shape == Shape::InstitutionPath {
            let ok = self
                .institution
                .is_some_and(|i| i.len() == 8 && i.bytes().all(|c| c.is_ascii_digit()));
            if !ok {
                report.push(
                    Code::UrlInstitution,
                    Class::Deviation,
                    Path::one(Seg::Name("institution")),
                    char_offset(self.text, byte_pos(self.text, self.rest)),
                    Detail::Expected("8 digits"),
                );
            }
        }
    }

    /// `wallet`, then `institution` (UnionPay), then `id` (or `pr`/`sr` for WeChat Native).
    pub fn fields(&self) -> Vec<Field<'a>> {
        let mut out = Vec::new();
        out.push(Field {
            path: String::from("wallet"),
            name: "wallet",
            value: Cow::Borrowed(self.wallet.scheme_id()),
            offset: 0,
        });
        if let Some(i) = self.institution {
            out.push(Field {
                path: String::from("institution"),
                name: "institution code",
                value: Cow::Borrowed(i),
                offset: char_offset(self.text, byte_pos(self.text, i)),
            });
        }
        if !self.id.is_empty() {
            out.push(Field {
                path: String::from(self.key.unwrap_or("id")),
                name: "code id",
                value: Cow::Borrowed(self.id),
                offset: char_offset(self.text, byte_pos(self.text, self.id)),
            });
        }
        out
    }

    /// The uniform payment view: only the account (the URL itself) and country CN; the
    /// wallet's server holds the rest.
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
    #[test]
    fn prefixes_start_with_letters() {
        // `formats::detect` relies on it to send texts starting with a digit straight to
        // the payment-code rules.
        for f in super::FORMS {
            assert!(f.prefix.as_bytes()[0].is_ascii_alphabetic(), "{}", f.prefix);
        }
    }

    use super::*;
    use crate::report::Mode;

    fn codes(text: &str) -> Vec<&'static str> {
        let mut r = Report::new(Mode::Strict);
        parse(text).unwrap().validate(&mut r);
        r.issues().iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn corpus_forms() {
        let u = parse("wxp://f2f0mMaZS-xnKyAZaTyn813TQRZHTRKPzI6UWxldiWDYemRIq8Stt_LPfd1sLyV4v1jR")
            .unwrap();
        assert_eq!(u.wallet(), Wallet::WechatPay);
        assert!(codes(u.text()).is_empty());
        let u = parse("https://qr.95516.com/00010000/62028489073949969691921655610979").unwrap();
        assert_eq!(u.institution(), Some("00010000"));
        assert_eq!(u.id(), "62028489073949969691921655610979");
        assert!(codes(u.text()).is_empty());
    }

    #[test]
    fn native_order_and_breaches() {
        let u = parse("weixin://wxpay/bizpayurl?pr=AbC123").unwrap();
        assert!(u.is_native_order());
        assert_eq!(u.id(), "AbC123");
        assert_eq!(u.fields()[1].path, "pr");
        assert_eq!(codes("weixin://wxpay/bizpayurl"), ["url.id-missing"]);
        assert_eq!(codes("https://qr.alipay.com/"), ["url.id-missing"]);
        assert_eq!(codes("http://qr.alipay.com/fkx1"), ["url.scheme"]);
        assert_eq!(codes("https://qr.95516.com/123/62x"), ["url.institution"]);
        assert_eq!(codes("wxp://a b"), ["url.id-format"]);
        assert!(!detect("https://qr.alipay.co/x"));
    }
}
