//! Chinese wallets inside EMV MPM (e.g. SGQR codes): Alipay (GUID `com.alipay…`, such as
//! `COM.ALIPAY.OPENAPI`) and WeChat Pay (GUID `COM.QQ.WEIXIN.PAY`). Their URL and numeric
//! codes are not MPM and are recognised elsewhere.

use super::account_where;
use crate::mpm::Mpm;

/// Prefix of Alipay GUIDs.
pub const ALIPAY_GUID_PREFIX: &str = "com.alipay";
/// The WeChat Pay GUID.
pub const WECHAT_GUID: &str = "com.qq.weixin.pay";

/// The WeChat Pay merchant account (01).
pub fn wechat_merchant<'a>(m: &Mpm<'a>) -> Option<&'a str> {
    account_where(m, |g| g.eq_ignore_ascii_case(WECHAT_GUID)).and_then(|(_, t)| t.get(1))
}

/// The Alipay merchant account (01).
pub fn alipay_merchant<'a>(m: &Mpm<'a>) -> Option<&'a str> {
    account_where(m, |g| super::starts_ic(g, ALIPAY_GUID_PREFIX)).and_then(|(_, t)| t.get(1))
}
