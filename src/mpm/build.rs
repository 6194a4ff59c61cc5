//! Owned builder that emits canonical MPM payloads.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::{parse, validate, Initiation, Mpm};
use crate::report::{Class, Issue, Mode, Path, Report, Seg};
use crate::tlv;

/// Why a payload could not be built. Nothing is truncated silently: a value that does not
/// fit is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// An ID outside 00–99, or one the builder writes itself (00, 63).
    #[error("ID {0} cannot be set (00 and 63 are written by the builder; IDs go up to 99)")]
    Id(u8),
    /// A value is empty: EMV lengths are 01–99.
    #[error("the value at {0} is empty")]
    Empty(Path),
    /// A value (or a template's content) is longer than 99 characters.
    #[error("the value at {path} has {found} characters, more than 99")]
    TooLong {
        /// Which data object.
        path: Path,
        /// Its length in characters.
        found: usize,
    },
    /// The payload breaks a rule of MPM v1.1 (the issue says which).
    #[error("{0}")]
    Invalid(Issue),
}

/// The value of one root data object.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// A primitive value.
    Text(String),
    /// A template: sub-IDs and values, written in ascending sub-ID order.
    Template(BTreeMap<u8, String>),
}

/// Builds canonical MPM payloads: 00 first, then ascending IDs (sub-IDs ascending inside
/// templates), 63 last with an upper-case CRC.
///
/// ```
/// use qrpay::mpm::MpmBuilder;
/// let payload = MpmBuilder::new("5812", "764", "TH", "SOMCHAI SHOP", "BANGKOK")
///     .dynamic()
///     .account_template(30, &[(0, "A000000677010112"), (1, "099999999999999"), (2, "CUST001"), (3, "INV2024001")])
///     .amount("1500.00")
///     .additional(7, "T1")
///     .build()
///     .unwrap();
/// assert!(payload.starts_with("000201010212"));
/// let m = qrpay::mpm::parse(&payload).unwrap();
/// assert_eq!(m.merchant_name(), Some("SOMCHAI SHOP"));
/// assert_eq!(qrpay::crc::check(&payload).as_str(), "ok");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MpmBuilder {
    objects: BTreeMap<u8, Value>,
}

impl MpmBuilder {
    /// A builder with the mandatory fields other than merchant account information:
    /// MCC (52), currency (53, ISO 4217 numeric), country (58), merchant name (59) and
    /// city (60).
    pub fn new(mcc: &str, currency: &str, country: &str, name: &str, city: &str) -> MpmBuilder {
        MpmBuilder::empty()
            .set(52, mcc)
            .set(53, currency)
            .set(58, country)
            .set(59, name)
            .set(60, city)
    }

    /// A builder with nothing set.
    pub fn empty() -> MpmBuilder {
        MpmBuilder::default()
    }

    /// Takes every data object of a parsed payload except 00 and 63 (which the builder
    /// writes), so that `MpmBuilder::from_mpm(&parse(&b.build()?)?) == b`.
    pub fn from_mpm(m: &Mpm<'_>) -> MpmBuilder {
        let mut b = MpmBuilder::empty();
        for e in m.elements().map_while(Result::ok) {
            if e.id == 0 || e.id == 63 || b.objects.contains_key(&e.id) {
                continue;
            }
            let v = if super::is_template(e.id) && tlv::walks(e.value) {
                Value::Template(
                    e.children()
                        .map_while(Result::ok)
                        .map(|c| (c.id, String::from(c.value)))
                        .collect(),
                )
            } else {
                Value::Text(String::from(e.value))
            };
            b.objects.insert(e.id, v);
        }
        b
    }

    /// Sets root ID `id` to a primitive value (replacing what was there).
    pub fn set(mut self, id: u8, value: &str) -> MpmBuilder {
        self.objects.insert(id, Value::Text(String::from(value)));
        self
    }

    /// Sets root ID `id` to a template of `(sub-ID, value)` pairs.
    pub fn set_template(mut self, id: u8, subs: &[(u8, &str)]) -> MpmBuilder {
        let t = subs.iter().map(|&(k, v)| (k, String::from(v))).collect();
        self.objects.insert(id, Value::Template(t));
        self
    }

    /// Sets one sub-object of template `id`, creating the template if needed.
    pub fn set_sub(mut self, id: u8, sub: u8, value: &str) -> MpmBuilder {
        let entry = self
            .objects
            .entry(id)
            .or_insert_with(|| Value::Template(BTreeMap::new()));
        if let Value::Text(_) = entry {
            *entry = Value::Template(BTreeMap::new());
        }
        if let Value::Template(t) = entry {
            t.insert(sub, String::from(value));
        }
        self
    }

    /// 01 = `11`: a static code.
    pub fn static_code(self) -> MpmBuilder {
        self.set(1, "11")
    }

    /// 01 = `12`: a dynamic code.
    pub fn dynamic(self) -> MpmBuilder {
        self.set(1, "12")
    }

    /// 01 from an [`Initiation`].
    pub fn initiation(self, i: Initiation<'_>) -> MpmBuilder {
        match i {
            Initiation::Static => self.static_code(),
            Initiation::Dynamic => self.dynamic(),
            Initiation::Other(v) => self.set(1, v),
        }
    }

    /// A primitive merchant account (IDs 02–25, e.g. 02 for Visa).
    pub fn account(self, id: u8, value: &str) -> MpmBuilder {
        self.set(id, value)
    }

    /// A merchant account template (IDs 26–51) with its GUID as sub-ID 00.
    pub fn account_template(self, id: u8, subs: &[(u8, &str)]) -> MpmBuilder {
        self.set_template(id, subs)
    }

    /// 54 Transaction amount, as a decimal string.
    pub fn amount(self, amount: &str) -> MpmBuilder {
        self.set(54, amount)
    }

    /// 55 = `01`: prompt the consumer for a tip.
    pub fn tip_prompt(self) -> MpmBuilder {
        self.set(55, "01")
    }

    /// 55 = `02` with a fixed convenience fee in 56.
    pub fn fee_fixed(self, fee: &str) -> MpmBuilder {
        self.set(55, "02").set(56, fee)
    }

    /// 55 = `03` with a percentage convenience fee in 57.
    pub fn fee_percentage(self, pct: &str) -> MpmBuilder {
        self.set(55, "03").set(57, pct)
    }

    /// 61 Postal code.
    pub fn postal_code(self, code: &str) -> MpmBuilder {
        self.set(61, code)
    }

    /// One sub-object of 62, the additional data field template (e.g. 05 reference label).
    pub fn additional(self, sub: u8, value: &str) -> MpmBuilder {
        self.set_sub(62, sub, value)
    }

    /// 64, the merchant name (and city) in another language.
    pub fn language(self, lang: &str, name: &str, city: Option<&str>) -> MpmBuilder {
        let b = self.set_sub(64, 0, lang).set_sub(64, 1, name);
        match city {
            Some(c) => b.set_sub(64, 2, c),
            None => b,
        }
    }

    /// The data objects set so far.
    pub fn objects(&self) -> &BTreeMap<u8, Value> {
        &self.objects
    }

    fn emit(&self) -> Result<String, BuildError> {
        let mut out = String::with_capacity(256);
        tlv::write(&mut out, 0, "01").ok_or(BuildError::Id(0))?;
        for (&id, v) in &self.objects {
            if id == 0 || id == 63 || id > 99 {
                return Err(BuildError::Id(id));
            }
            let path = Path::id(id);
            match v {
                Value::Text(s) => put(&mut out, path, id, s)?,
                Value::Template(t) => {
                    let mut inner = String::new();
                    for (&sub, s) in t {
                        if sub > 99 {
                            return Err(BuildError::Id(sub));
                        }
                        put(&mut inner, path.child(Seg::Id(sub)), sub, s)?;
                    }
                    put(&mut out, path, id, &inner)?;
                }
            }
        }
        out.push_str("6304");
        let crc = crate::crc::to_hex(crate::crc::crc16(out.as_bytes()));
        out.extend(crc.iter().map(|&b| char::from(b)));
        Ok(out)
    }

    fn check(&self, mode: Mode) -> Result<String, BuildError> {
        let out = self.emit()?;
        let m = parse(&out).map_err(|_| BuildError::TooLong {
            path: Path::ROOT,
            found: out.chars().count(),
        })?;
        let mut r = Report::new(mode);
        validate(&m, &mut r);
        let refused = r
            .issues()
            .iter()
            .find(|i| i.severity == crate::Severity::Error && i.class != Class::Advice);
        match refused {
            Some(i) => Err(BuildError::Invalid(*i)),
            None => Ok(out),
        }
    }

    /// Emits the payload, refusing anything MPM v1.1 forbids (strict mode).
    pub fn build(&self) -> Result<String, BuildError> {
        self.check(Mode::Strict)
    }

    /// Emits the payload, refusing only what no reader could read (values that do not fit,
    /// a CRC problem). For schemes that deviate from MPM on purpose, e.g. PromptPay codes
    /// without 52, 59 and 60.
    pub fn build_lenient(&self) -> Result<String, BuildError> {
        self.check(Mode::Lenient)
    }
}

fn put(out: &mut String, path: Path, id: u8, value: &str) -> Result<(), BuildError> {
    let n = value.chars().count();
    if n == 0 {
        return Err(BuildError::Empty(path));
    }
    tlv::write(out, id, value).ok_or(BuildError::TooLong { path, found: n })
}

/// The values of a builder as a list, for comparison in tests.
impl From<&MpmBuilder> for Vec<(u8, Value)> {
    fn from(b: &MpmBuilder) -> Self {
        b.objects.iter().map(|(k, v)| (*k, v.clone())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    fn base() -> MpmBuilder {
        MpmBuilder::new("5812", "764", "TH", "SHOP", "BANGKOK")
            .account_template(29, &[(0, "A000000677010111"), (1, "0066812345678")])
    }

    #[test]
    fn canonical_order_and_upper_crc() {
        let p = base().amount("10.00").static_code().build().unwrap();
        let ids: Vec<u8> = tlv::Walker::new(&p).map(|e| e.unwrap().id).collect();
        assert_eq!(ids, [0, 1, 29, 52, 53, 54, 58, 59, 60, 63]);
        let crc = &p[p.len() - 4..];
        assert_eq!(crc, crc.to_ascii_uppercase());
        assert_eq!(crate::crc::check(&p).as_str(), "ok");
    }

    #[test]
    fn refuses_instead_of_truncating() {
        let e = base()
            .set(59, "A NAME THAT IS FAR TOO LONG FOR EMV")
            .build()
            .unwrap_err();
        match e {
            BuildError::Invalid(i) => {
                assert_eq!(i.code, Code::FieldLength);
                assert_eq!(i.path, Path::id(59));
            }
            other => panic!("{other:?}"),
        }
        let long = "x".repeat(100);
        assert!(matches!(
            base().set(61, &long).build(),
            Err(BuildError::TooLong { found: 100, .. })
        ));
        assert!(matches!(
            base().set(63, "ABCD").build(),
            Err(BuildError::Id(63))
        ));
        assert!(matches!(
            base().set(61, "").build(),
            Err(BuildError::Empty(_))
        ));
        let no_acct = MpmBuilder::new("5812", "764", "TH", "SHOP", "BANGKOK");
        assert!(
            matches!(no_acct.build(), Err(BuildError::Invalid(i)) if i.code == Code::AccountMissing)
        );
        assert!(
            matches!(base().amount("0").build(), Err(BuildError::Invalid(i)) if i.code == Code::AmountInvalid)
        );
        assert!(
            matches!(base().set(55, "02").build(), Err(BuildError::Invalid(i)) if i.code == Code::FeeInconsistent)
        );
    }

    #[test]
    fn lenient_build_allows_scheme_deviations() {
        let b = MpmBuilder::empty()
            .static_code()
            .account_template(29, &[(0, "A000000677010111"), (1, "0066812345678")])
            .set(53, "764")
            .set(58, "TH");
        assert!(b.build().is_err());
        let p = b.build_lenient().unwrap();
        assert_eq!(crate::crc::check(&p).as_str(), "ok");
    }

    #[test]
    fn round_trip_multibyte() {
        let b = base().language("ZH", "最佳运输", Some("北京"));
        let p = b.build().unwrap();
        let back = MpmBuilder::from_mpm(&parse(&p).unwrap());
        assert_eq!(back, b);
    }
}
