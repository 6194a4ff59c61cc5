//! Payloads from a JSON description (the "Encode JSON" format of `spec/README.md`): what the
//! C API's `qrpay_mpm_build_json` and other non-Rust callers use instead of
//! [`crate::mpm::MpmBuilder`].
//!
//! Two forms, which may be mixed in one object:
//!
//! - raw data objects: `{"objects": {"52": "5812", "29": {"00": "A000000677010111", "01": "0066812345678"}}}`
//!   (a string is a primitive value, an object of sub-IDs a template);
//! - named members: `mcc`, `currency` (ISO 4217 numeric or alphabetic), `country`,
//!   `merchant_name`, `merchant_city`, `postal_code`, `initiation` (`"static"` or
//!   `"dynamic"`), `amount`, `tip` (`"prompt"`), `fee_fixed`, `fee_percentage`, `accounts`
//!   (a list of `{"id": 29, "guid": "...", "fields": {"01": "..."}}` or `{"id": 2, "value": "..."}`),
//!   `additional` (sub-IDs of 62), `language` (`{"language": "ZH", "name": "...", "city": "..."}`).
//!
//! `"lenient": true` builds with [`MpmBuilder::build_lenient`](crate::mpm::MpmBuilder::build_lenient)
//! (for schemes that deviate from MPM on purpose). Unknown members and values of the wrong type
//! are errors: nothing is dropped silently.
//!
//! ```
//! let desc = serde_json::json!({
//!     "mcc": "5812", "currency": "THB", "country": "TH",
//!     "merchant_name": "SOMCHAI SHOP", "merchant_city": "BANGKOK",
//!     "initiation": "dynamic", "amount": "1500.00",
//!     "accounts": [{"id": 29, "guid": "A000000677010111", "fields": {"01": "0066812345678"}}],
//! });
//! let payload = qrpay::encode::mpm_from_json(&desc).unwrap();
//! let d = qrpay::decode(&payload);
//! assert!(d.is_intact() && d.is_valid());
//! assert_eq!(d.mpm().unwrap().get(53), Some("764"));
//! ```

use alloc::string::{String, ToString};
use serde_json::{Map, Value};

use crate::mpm::{BuildError, MpmBuilder};

/// Why a JSON description could not be turned into a payload.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The description is not a JSON object.
    #[error("the description is not a JSON object")]
    NotObject,
    /// A member this format does not define.
    #[error("unknown member {0:?}")]
    UnknownMember(String),
    /// A member whose value has the wrong JSON type.
    #[error("member {member:?} must be {expected}")]
    Type {
        /// Where, e.g. `accounts[0].id`.
        member: String,
        /// What it must be.
        expected: &'static str,
    },
    /// An ID or sub-ID that is not two digits (`"00"`–`"99"`), or an ID given twice.
    #[error("bad data object ID {0:?}")]
    Id(String),
    /// A value outside the words the format knows (e.g. an unknown currency).
    #[error("member {member:?} has an unknown value {value:?}")]
    Value {
        /// Which member.
        member: String,
        /// What it held.
        value: String,
    },
    /// The MPM builder refused the payload.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// A scheme or format builder refused the payload (the message says why).
    #[error("{0}")]
    Refused(String),
}

fn text<'v>(v: &'v Value, member: &str) -> Result<&'v str, EncodeError> {
    v.as_str().ok_or_else(|| EncodeError::Type {
        member: member.to_string(),
        expected: "a string",
    })
}

fn object<'v>(v: &'v Value, member: &str) -> Result<&'v Map<String, Value>, EncodeError> {
    v.as_object().ok_or_else(|| EncodeError::Type {
        member: member.to_string(),
        expected: "an object",
    })
}

/// `"00"`–`"99"` (exactly two digits) as a number.
fn id(s: &str) -> Result<u8, EncodeError> {
    let b = s.as_bytes();
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Ok((a - b'0') * 10 + (c - b'0')),
        _ => Err(EncodeError::Id(s.to_string())),
    }
}

fn id_number(v: &Value, member: &str) -> Result<u8, EncodeError> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .filter(|&n| n <= 99)
            .map(|n| n as u8)
            .ok_or_else(|| EncodeError::Id(n.to_string())),
        Value::String(s) => id(s),
        _ => Err(EncodeError::Type {
            member: member.to_string(),
            expected: "an ID (number 0-99 or two-digit string)",
        }),
    }
}

/// Sets the sub-objects of template `parent` from `{"00": "...", ...}`.
fn subs(
    mut b: MpmBuilder,
    parent: u8,
    map: &Map<String, Value>,
    member: &str,
) -> Result<MpmBuilder, EncodeError> {
    for (k, v) in map {
        let sub = id(k)?;
        b = b.set_sub(parent, sub, text(v, &alloc::format!("{member}.{k}"))?);
    }
    Ok(b)
}

/// Builds an MPM payload from its JSON description (see the module documentation and
/// `spec/README.md`, "Encode JSON"). Strict by default: the payload must follow MPM v1.1.
pub fn mpm_from_json(desc: &Value) -> Result<String, EncodeError> {
    let o = desc.as_object().ok_or(EncodeError::NotObject)?;
    let mut b = MpmBuilder::empty();
    let mut lenient = false;
    // Raw objects first; an ID given both raw and by name is ambiguous and refused below.
    if let Some(objs) = o.get("objects") {
        for (k, v) in object(objs, "objects")? {
            let n = id(k)?;
            b = match v {
                Value::String(s) => b.set(n, s),
                Value::Object(m) => {
                    if m.is_empty() {
                        return Err(EncodeError::Type {
                            member: alloc::format!("objects.{k}"),
                            expected: "a non-empty template",
                        });
                    }
                    subs(b, n, m, &alloc::format!("objects.{k}"))?
                }
                _ => {
                    return Err(EncodeError::Type {
                        member: alloc::format!("objects.{k}"),
                        expected: "a string or an object of sub-IDs",
                    })
                }
            };
        }
    }
    let raw: alloc::collections::BTreeSet<u8> = b.objects().keys().copied().collect();
    let named = |b: MpmBuilder, n: u8, v: &str| -> Result<MpmBuilder, EncodeError> {
        if raw.contains(&n) || b.objects().contains_key(&n) {
            return Err(EncodeError::Id(alloc::format!("{n:02}")));
        }
        Ok(b.set(n, v))
    };
    for (k, v) in o {
        b = match k.as_str() {
            "objects" => b,
            "lenient" => {
                lenient = v.as_bool().ok_or_else(|| EncodeError::Type {
                    member: k.clone(),
                    expected: "true or false",
                })?;
                b
            }
            "mcc" => named(b, 52, text(v, k)?)?,
            "country" => named(b, 58, text(v, k)?)?,
            "merchant_name" => named(b, 59, text(v, k)?)?,
            "merchant_city" => named(b, 60, text(v, k)?)?,
            "postal_code" => named(b, 61, text(v, k)?)?,
            "amount" => named(b, 54, text(v, k)?)?,
            "currency" => {
                let s = text(v, k)?;
                let numeric = if s.bytes().all(|c| c.is_ascii_digit()) {
                    s
                } else {
                    crate::currency::by_alpha(s)
                        .ok_or_else(|| EncodeError::Value {
                            member: k.clone(),
                            value: s.to_string(),
                        })?
                        .numeric
                };
                named(b, 53, numeric)?
            }
            "initiation" => match text(v, k)? {
                "static" => named(b, 1, "11")?,
                "dynamic" => named(b, 1, "12")?,
                other => {
                    return Err(EncodeError::Value {
                        member: k.clone(),
                        value: other.to_string(),
                    })
                }
            },
            "tip" => match text(v, k)? {
                "prompt" => named(b, 55, "01")?,
                other => {
                    return Err(EncodeError::Value {
                        member: k.clone(),
                        value: other.to_string(),
                    })
                }
            },
            "fee_fixed" => named(named(b, 55, "02")?, 56, text(v, k)?)?,
            "fee_percentage" => named(named(b, 55, "03")?, 57, text(v, k)?)?,
            "additional" if raw.contains(&62) => return Err(EncodeError::Id("62".into())),
            "additional" => subs(b, 62, object(v, k)?, k)?,
            "language" if raw.contains(&64) => return Err(EncodeError::Id("64".into())),
            "language" => {
                let m = object(v, k)?;
                let mut b = b;
                for (lk, lv) in m {
                    let sub = match lk.as_str() {
                        "language" => 0,
                        "name" => 1,
                        "city" => 2,
                        _ => return Err(EncodeError::UnknownMember(alloc::format!("{k}.{lk}"))),
                    };
                    b = b.set_sub(64, sub, text(lv, &alloc::format!("{k}.{lk}"))?);
                }
                b
            }
            "accounts" => {
                let list = v.as_array().ok_or_else(|| EncodeError::Type {
                    member: k.clone(),
                    expected: "an array",
                })?;
                let mut b = b;
                for (i, a) in list.iter().enumerate() {
                    let at = alloc::format!("accounts[{i}]");
                    let a = object(a, &at)?;
                    let n = id_number(
                        a.get("id").ok_or_else(|| EncodeError::Type {
                            member: alloc::format!("{at}.id"),
                            expected: "present",
                        })?,
                        &alloc::format!("{at}.id"),
                    )?;
                    if raw.contains(&n) || b.objects().contains_key(&n) {
                        return Err(EncodeError::Id(alloc::format!("{n:02}")));
                    }
                    for key in a.keys() {
                        if !matches!(key.as_str(), "id" | "guid" | "fields" | "value") {
                            return Err(EncodeError::UnknownMember(alloc::format!("{at}.{key}")));
                        }
                    }
                    if let Some(val) = a.get("value") {
                        if a.contains_key("guid") || a.contains_key("fields") {
                            return Err(EncodeError::Type {
                                member: at,
                                expected: "either value or guid/fields",
                            });
                        }
                        b = b.set(n, text(val, &alloc::format!("{at}.value"))?);
                        continue;
                    }
                    let mut any = false;
                    if let Some(g) = a.get("guid") {
                        b = b.set_sub(n, 0, text(g, &alloc::format!("{at}.guid"))?);
                        any = true;
                    }
                    if let Some(f) = a.get("fields") {
                        let fat = alloc::format!("{at}.fields");
                        let m = object(f, &fat)?;
                        any |= !m.is_empty();
                        b = subs(b, n, m, &fat)?;
                    }
                    if !any {
                        return Err(EncodeError::Type {
                            member: at,
                            expected: "an account with value, guid or fields",
                        });
                    }
                }
                b
            }
            other => return Err(EncodeError::UnknownMember(other.to_string())),
        };
    }
    Ok(if lenient {
        b.build_lenient()?
    } else {
        b.build()?
    })
}

/// Builds a payload for a named scheme from `{"scheme": "...", ...}`; without `scheme` (or
/// with `"scheme": "emv"`) the object is an MPM description for [`mpm_from_json`].
///
/// | scheme | members (`?` optional) |
/// |---|---|
/// | `pix` | `key`, `name`, `city`, `amount?`, `txid?`, `info?` |
/// | `promptpay` | one of `mobile`, `national_id`, `ewallet`; `amount?` |
/// | `paynow` | one of `mobile`, `uen`; `amount?`, `editable?` (bool), `reference?`, `name?`, `city?` |
/// | `vietqr` | `bin`, one of `account`, `card`; `amount?`, `purpose?`, `name?`, `city?` |
/// | `upi` | `pa`, `pn`, `am?`, `tn?`, `tr?`, `mc?`, `cu?` |
///
/// Values are strings (amounts as decimal strings). Unknown members are refused.
///
/// ```
/// let desc = serde_json::json!({"scheme": "pix", "key": "+5561912345678",
///     "name": "FULANO DE TAL", "city": "BRASILIA", "amount": "10.00"});
/// let payload = qrpay::encode::from_json(&desc).unwrap();
/// let d = qrpay::decode(&payload);
/// assert!(d.is_intact());
/// assert!(d.schemes.contains(qrpay::schemes::SchemeId::Pix));
/// ```
pub fn from_json(desc: &Value) -> Result<String, EncodeError> {
    let o = desc.as_object().ok_or(EncodeError::NotObject)?;
    let scheme = match o.get("scheme") {
        None => return mpm_from_json(desc),
        Some(v) => text(v, "scheme")?,
    };
    let get =
        |k: &str| -> Result<Option<&str>, EncodeError> { o.get(k).map(|v| text(v, k)).transpose() };
    let need = |k: &str| -> Result<&str, EncodeError> {
        get(k)?.ok_or_else(|| EncodeError::Type {
            member: k.to_string(),
            expected: "a string (required)",
        })
    };
    let allowed: &[&str] = match scheme {
        "emv" => {
            let mut rest = o.clone();
            rest.remove("scheme");
            return mpm_from_json(&Value::Object(rest));
        }
        "pix" => &["key", "name", "city", "amount", "txid", "info"],
        "promptpay" => &["mobile", "national_id", "ewallet", "amount"],
        "paynow" => &[
            "mobile",
            "uen",
            "amount",
            "editable",
            "reference",
            "name",
            "city",
        ],
        "vietqr" => &[
            "bin", "account", "card", "amount", "purpose", "name", "city",
        ],
        "upi" => &["pa", "pn", "am", "tn", "tr", "mc", "cu"],
        other => {
            return Err(EncodeError::Value {
                member: "scheme".to_string(),
                value: other.to_string(),
            })
        }
    };
    if let Some(k) = o
        .keys()
        .find(|k| *k != "scheme" && !allowed.contains(&k.as_str()))
    {
        return Err(EncodeError::UnknownMember(k.clone()));
    }
    let refused = |e: &dyn core::fmt::Display| EncodeError::Refused(e.to_string());
    use crate::schemes::{pix, singapore, thai, vietnam};
    match scheme {
        "pix" => {
            let mut b = pix::PixBuilder::new(need("key")?, need("name")?, need("city")?);
            if let Some(a) = get("amount")? {
                b = b.amount(a);
            }
            if let Some(t) = get("txid")? {
                b = b.txid(t);
            }
            if let Some(i) = get("info")? {
                b = b.info(i);
            }
            b.build().map_err(|e| refused(&e))
        }
        "promptpay" => {
            let b = match (get("mobile")?, get("national_id")?, get("ewallet")?) {
                (Some(m), None, None) => thai::PromptPayBuilder::mobile(m),
                (None, Some(n), None) => thai::PromptPayBuilder::national_id(n),
                (None, None, Some(e)) => thai::PromptPayBuilder::ewallet(e),
                _ => {
                    return Err(EncodeError::Type {
                        member: "mobile|national_id|ewallet".to_string(),
                        expected: "exactly one of them",
                    })
                }
            }
            .map_err(|e| refused(&e))?;
            let b = match get("amount")? {
                Some(a) => b.amount(a),
                None => b,
            };
            b.build().map_err(|e| refused(&e))
        }
        "paynow" => {
            let mut b = match (get("mobile")?, get("uen")?) {
                (Some(m), None) => singapore::PayNowBuilder::mobile(m),
                (None, Some(u)) => singapore::PayNowBuilder::uen(u),
                _ => {
                    return Err(EncodeError::Type {
                        member: "mobile|uen".to_string(),
                        expected: "exactly one of them",
                    })
                }
            };
            if let Some(a) = get("amount")? {
                b = b.amount(a);
            }
            if let Some(v) = o.get("editable") {
                let e = v.as_bool().ok_or_else(|| EncodeError::Type {
                    member: "editable".to_string(),
                    expected: "a boolean",
                })?;
                b = b.editable(e);
            }
            if let Some(r) = get("reference")? {
                b = b.reference(r);
            }
            if let (Some(n), Some(c)) = (get("name")?, get("city")?) {
                b = b.merchant(n, c);
            }
            b.build().map_err(|e| refused(&e))
        }
        "vietqr" => {
            let bin = need("bin")?;
            let mut b = match (get("account")?, get("card")?) {
                (Some(a), None) => vietnam::VietQrBuilder::account(bin, a),
                (None, Some(c)) => vietnam::VietQrBuilder::card(bin, c),
                _ => {
                    return Err(EncodeError::Type {
                        member: "account|card".to_string(),
                        expected: "exactly one of them",
                    })
                }
            };
            if let Some(a) = get("amount")? {
                b = b.amount(a);
            }
            if let Some(p) = get("purpose")? {
                b = b.purpose(p);
            }
            if let (Some(n), Some(c)) = (get("name")?, get("city")?) {
                b = b.merchant(n, c);
            }
            b.build().map_err(|e| refused(&e))
        }
        _ => {
            let mut b = crate::formats::upi::UpiBuilder::new(need("pa")?, need("pn")?);
            for k in ["am", "tn", "tr", "mc", "cu"] {
                if let Some(v) = get(k)? {
                    b = b.set(k, v);
                }
            }
            b.build().map_err(|e| refused(&e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_and_named_give_the_same_payload() {
        let raw = json!({"objects": {
            "01": "11", "29": {"00": "A000000677010111", "01": "0066812345678"},
            "52": "5812", "53": "764", "58": "TH", "59": "SHOP", "60": "BANGKOK"}});
        let named = json!({"initiation": "static", "mcc": "5812", "currency": "THB",
            "country": "TH", "merchant_name": "SHOP", "merchant_city": "BANGKOK",
            "accounts": [{"id": "29", "guid": "A000000677010111", "fields": {"01": "0066812345678"}}]});
        let a = mpm_from_json(&raw).unwrap();
        let b = mpm_from_json(&named).unwrap();
        assert_eq!(a, b);
        // Written out by hand from the MPM grammar (ID, 2-digit length, value).
        assert!(a.starts_with("000201010211"));
        assert!(a.contains("29370016A0000006770101110113006681234567852045812530376458"));
        assert!(a.contains("5802TH5904SHOP6007BANGKOK6304"));
        assert_eq!(crate::crc::check(&a).as_str(), "ok");
    }

    #[test]
    fn refusals() {
        let base = || {
            json!({"mcc": "5812", "currency": "764", "country": "TH", "merchant_name": "SHOP",
            "merchant_city": "BANGKOK", "accounts": [{"id": 2, "value": "4000123456789012"}]})
        };
        assert!(mpm_from_json(&base()).is_ok());
        let mut v = base();
        v["colour"] = json!("red");
        assert_eq!(
            mpm_from_json(&v),
            Err(EncodeError::UnknownMember("colour".into()))
        );
        let mut v = base();
        v["currency"] = json!("XXQ");
        assert!(matches!(mpm_from_json(&v), Err(EncodeError::Value { .. })));
        let mut v = base();
        v["objects"] = json!({"52": "5999"});
        assert_eq!(mpm_from_json(&v), Err(EncodeError::Id("52".into())));
        let mut v = base();
        v["objects"] = json!({"5": "x"});
        assert_eq!(mpm_from_json(&v), Err(EncodeError::Id("5".into())));
        let mut v = base();
        v["tip"] = json!("prompt");
        v["fee_fixed"] = json!("1.00");
        assert_eq!(mpm_from_json(&v), Err(EncodeError::Id("55".into())));
        let mut v = base();
        v["amount"] = json!(10);
        assert!(matches!(mpm_from_json(&v), Err(EncodeError::Type { .. })));
        let mut v = base();
        v["amount"] = json!("0");
        assert!(matches!(mpm_from_json(&v), Err(EncodeError::Build(_))));
        assert_eq!(mpm_from_json(&json!([1])), Err(EncodeError::NotObject));
        // PromptPay-like code without 52/59/60: refused strictly, built leniently.
        let pp = json!({"initiation": "static", "currency": "764", "country": "TH",
            "accounts": [{"id": 29, "guid": "A000000677010111", "fields": {"01": "0066812345678"}}]});
        assert!(mpm_from_json(&pp).is_err());
        let mut pp = pp;
        pp["lenient"] = json!(true);
        assert!(mpm_from_json(&pp).is_ok());
    }

    #[test]
    fn multibyte_language_template_counts_characters() {
        let v = json!({"mcc": "4111", "currency": "CNY", "country": "CN",
            "merchant_name": "BEST TRANSPORT", "merchant_city": "BEIJING",
            "accounts": [{"id": 2, "value": "4000123456789012"}],
            "language": {"language": "ZH", "name": "最佳运输", "city": "北京"},
            "additional": {"05": "INV1"}});
        let p = mpm_from_json(&v).unwrap();
        // From the dossier's CN reference payload: 64 20 holds 0002ZH 0104最佳运输 0202北京.
        assert!(p.contains("64200002ZH0104最佳运输0202北京"));
        assert!(p.contains("62080504INV1"));
        assert_eq!(crate::crc::check(&p).as_str(), "ok");
    }
}
