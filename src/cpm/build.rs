//! Wallet side: emit a CPM payload from data the caller supplies (token or PAN, cryptogram
//! bytes computed elsewhere). Canonical BER-TLV: shortest lengths, known objects in a fixed
//! order; base64 with padding and no line breaks.

use alloc::string::String;
use alloc::vec::Vec;

use super::values::{is_an, is_ans, Digits, Pan, Track2};
use super::{tags, Cpm, Template, LIMITS, MAX_TEXT_LEN, PFI};
use crate::tlv::ber::{self, Tag};

/// A data object kept as bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawObject {
    /// The tag.
    pub tag: Tag,
    /// The value (BER-TLV itself when the tag is constructed).
    pub value: Vec<u8>,
}

/// Cryptogram data a card application computed (this crate computes none), for a
/// transparent template.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CryptogramData {
    /// 9F26 Application Cryptogram.
    pub cryptogram: [u8; 8],
    /// 9F27 Cryptogram Information Data.
    pub cid: u8,
    /// 9F10 Issuer Application Data (1–32 bytes).
    pub issuer_application_data: Vec<u8>,
    /// 9F36 Application Transaction Counter.
    pub atc: u16,
    /// 82 Application Interchange Profile.
    pub aip: [u8; 2],
    /// 9F37 Unpredictable Number.
    pub unpredictable_number: [u8; 4],
}

impl CryptogramData {
    /// The objects in the order UnionPay's example uses: 9F26, 9F27, 9F10, 9F36, 82, 9F37.
    pub fn objects(&self) -> Vec<RawObject> {
        let o = |tag: u32, value: &[u8]| RawObject {
            tag: self::tag(tag),
            value: value.to_vec(),
        };
        alloc::vec![
            o(tags::CRYPTOGRAM, &self.cryptogram),
            o(tags::CID, &[self.cid]),
            o(tags::IAD, &self.issuer_application_data),
            o(tags::ATC, &self.atc.to_be_bytes()),
            o(tags::AIP, &self.aip),
            o(tags::UNPREDICTABLE_NUMBER, &self.unpredictable_number),
        ]
    }
}

/// The content of one template: a 61 (application) or the 62 (common data). Known objects
/// are typed; anything else goes in `other`; the content of the transparent template (63 in
/// a 61, 64 in the 62) goes in `transparent`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TemplateData {
    /// 4F, the AID (5–16 bytes; required in a 61).
    pub aid: Option<Vec<u8>>,
    /// 50, application label (1–16 letters, digits, spaces).
    pub label: Option<String>,
    /// 57, Track 2 equivalent data.
    pub track2: Option<Track2>,
    /// 5A, the PAN or payment token.
    pub pan: Option<Pan>,
    /// 5F20, cardholder name (2–26 printable ASCII).
    pub cardholder_name: Option<String>,
    /// 5F2D, language preference (1–4 two-letter codes run together).
    pub language_preference: Option<String>,
    /// 5F50, issuer URL.
    pub issuer_url: Option<String>,
    /// 9F08, application version number.
    pub app_version: Option<u16>,
    /// 9F19, token requestor ID (11 digits).
    pub token_requestor_id: Option<Digits<11>>,
    /// 9F24, payment account reference (29 upper-case letters and digits).
    pub par: Option<String>,
    /// 9F25, last 4 digits of the PAN.
    pub pan_last4: Option<Digits<4>>,
    /// 5F34, PAN sequence number (2 digits).
    pub pan_sequence_number: Option<Digits<2>>,
    /// Other objects, written after the known ones, in order. Their tags must not be one of
    /// the above nor a transparent template.
    pub other: Vec<RawObject>,
    /// The transparent template's content (written last, only when not empty).
    pub transparent: Vec<RawObject>,
}

/// A whole CPM payload to build (the PFI is always "CPV01").
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CpmData {
    /// One or two application templates (61).
    pub applications: Vec<TemplateData>,
    /// The common data template (62), only with two applications.
    pub common: Option<TemplateData>,
    /// Other top-level templates (constructed tags other than 61 and 62), written last.
    pub others: Vec<RawObject>,
}

/// Why a payload cannot be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Not one or two applications, or a common data template with one application.
    #[error(
        "a CPM payload has one application template, or two and an optional common data template"
    )]
    TemplateCount,
    /// An application has no AID of 5–16 bytes.
    #[error("application {index} has no AID (4F) of 5 to 16 bytes")]
    Aid {
        /// Which application (0-based).
        index: usize,
    },
    /// A value does not have the length or format CPM Annex A gives.
    #[error("data object {tag} is not {expected}")]
    Field {
        /// The tag.
        tag: Tag,
        /// What it should be.
        expected: &'static str,
    },
    /// An application has neither 57 nor 5A (in itself or in the common data).
    #[error("application {index} has neither Track 2 (57) nor PAN (5A)")]
    NoAccountData {
        /// Which application (0-based).
        index: usize,
    },
    /// The same object is set in an application and in the common data.
    #[error("data object {tag} is in both an application and the common data template")]
    InBothTemplates {
        /// The tag.
        tag: Tag,
    },
    /// A raw object uses a tag reserved for a typed field or a template, is duplicated, or is
    /// constructed with a value that is not BER-TLV.
    #[error("raw data object {tag} is not allowed there")]
    RawObject {
        /// The tag.
        tag: Tag,
    },
    /// The payload would be longer than [`MAX_TEXT_LEN`] characters of base64.
    #[error("the payload would exceed {MAX_TEXT_LEN} characters")]
    TooLong,
}

/// A tag from the constants in [`tags`], all well formed.
fn tag(v: u32) -> Tag {
    Tag::from_known(v)
}

fn field(t: u32, expected: &'static str) -> BuildError {
    BuildError::Field {
        tag: tag(t),
        expected,
    }
}

const KNOWN: [u32; 12] = [
    tags::AID,
    tags::LABEL,
    tags::TRACK2,
    tags::PAN,
    tags::CARDHOLDER_NAME,
    tags::LANGUAGE,
    tags::ISSUER_URL,
    tags::APP_VERSION,
    tags::TOKEN_REQUESTOR_ID,
    tags::PAR,
    tags::PAN_LAST4,
    tags::PAN_SEQUENCE,
];

impl TemplateData {
    /// The tags of the objects this template will contain (transparent excluded).
    fn present(&self) -> Vec<u32> {
        let mut v = Vec::new();
        let flags = [
            self.aid.is_some(),
            self.label.is_some(),
            self.track2.is_some(),
            self.pan.is_some(),
            self.cardholder_name.is_some(),
            self.language_preference.is_some(),
            self.issuer_url.is_some(),
            self.app_version.is_some(),
            self.token_requestor_id.is_some(),
            self.par.is_some(),
            self.pan_last4.is_some(),
            self.pan_sequence_number.is_some(),
        ];
        for (t, on) in KNOWN.iter().zip(flags) {
            if on {
                v.push(*t);
            }
        }
        v.extend(self.other.iter().map(|o| o.tag.value()));
        v
    }

    fn has_account(&self) -> bool {
        self.track2.is_some() || self.pan.is_some()
    }

    /// Appends this template's content (not its own tag and length).
    fn write_content(&self, out: &mut Vec<u8>, transparent_tag: u32) -> Result<(), BuildError> {
        let too_long = BuildError::TooLong;
        let mut put = |t: u32, v: &[u8]| ber::write(out, tag(t), v).ok_or(too_long);
        if let Some(a) = &self.aid {
            if !(5..=16).contains(&a.len()) {
                return Err(field(tags::AID, "5 to 16 bytes"));
            }
            put(tags::AID, a)?;
        }
        if let Some(s) = &self.label {
            let b = s.as_bytes();
            if !(1..=16).contains(&b.len())
                || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b' ')
            {
                return Err(field(tags::LABEL, "1 to 16 letters, digits or spaces"));
            }
            put(tags::LABEL, b)?;
        }
        if let Some(t2) = &self.track2 {
            let mut v = Vec::new();
            t2.write(&mut v);
            put(tags::TRACK2, &v)?;
        }
        if let Some(p) = &self.pan {
            let mut v = Vec::new();
            p.write_cn(&mut v);
            put(tags::PAN, &v)?;
        }
        if let Some(s) = &self.cardholder_name {
            let b = s.as_bytes();
            if !(2..=26).contains(&b.len()) || !is_ans(b) {
                return Err(field(
                    tags::CARDHOLDER_NAME,
                    "2 to 26 printable ASCII characters",
                ));
            }
            put(tags::CARDHOLDER_NAME, b)?;
        }
        if let Some(s) = &self.language_preference {
            let b = s.as_bytes();
            if !(2..=8).contains(&b.len()) || b.len() % 2 != 0 || !is_an(b) {
                return Err(field(tags::LANGUAGE, "1 to 4 two-letter language codes"));
            }
            put(tags::LANGUAGE, b)?;
        }
        if let Some(s) = &self.issuer_url {
            let b = s.as_bytes();
            if b.is_empty() || !is_ans(b) {
                return Err(field(tags::ISSUER_URL, "printable ASCII"));
            }
            put(tags::ISSUER_URL, b)?;
        }
        if let Some(v) = self.app_version {
            put(tags::APP_VERSION, &v.to_be_bytes())?;
        }
        if let Some(d) = &self.token_requestor_id {
            if d.len() != 11 {
                return Err(field(tags::TOKEN_REQUESTOR_ID, "11 digits"));
            }
            let mut v = Vec::new();
            d.write_bcd(&mut v, true);
            put(tags::TOKEN_REQUESTOR_ID, &v)?;
        }
        if let Some(s) = &self.par {
            let b = s.as_bytes();
            if b.len() != 29
                || !b
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                return Err(field(tags::PAR, "29 upper-case letters and digits"));
            }
            put(tags::PAR, b)?;
        }
        if let Some(d) = &self.pan_last4 {
            if d.len() != 4 {
                return Err(field(tags::PAN_LAST4, "4 digits"));
            }
            let mut v = Vec::new();
            d.write_bcd(&mut v, false);
            put(tags::PAN_LAST4, &v)?;
        }
        if let Some(d) = &self.pan_sequence_number {
            if d.len() != 2 {
                return Err(field(tags::PAN_SEQUENCE, "2 digits"));
            }
            let mut v = Vec::new();
            d.write_bcd(&mut v, false);
            put(tags::PAN_SEQUENCE, &v)?;
        }
        let mut seen: Vec<Tag> = Vec::new();
        for o in &self.other {
            if KNOWN.contains(&o.tag.value())
                || o.tag.value() == transparent_tag
                || seen.contains(&o.tag)
            {
                return Err(BuildError::RawObject { tag: o.tag });
            }
            seen.push(o.tag);
            raw(out, o)?;
        }
        if !self.transparent.is_empty() {
            let mut inner = Vec::new();
            for o in &self.transparent {
                raw(&mut inner, o)?;
            }
            ber::write(out, tag(transparent_tag), &inner).ok_or(BuildError::TooLong)?;
        }
        Ok(())
    }

    /// The typed content of a decoded template: known objects into their fields (the
    /// first of each, when well formed), the rest into `other`, the transparent template's
    /// content into `transparent`.
    pub fn from_template(t: &Template<'_>) -> TemplateData {
        let transparent_tag = match t.tag().value() {
            tags::COMMON_DATA_TEMPLATE => tags::COMMON_TRANSPARENT,
            _ => tags::APPLICATION_TRANSPARENT,
        };
        let mut d = TemplateData::default();
        let mut transparent_done = false;
        for o in t.objects() {
            let v = o.value;
            let text = || core::str::from_utf8(v).ok().map(String::from);
            let used = match o.tag.value() {
                tags::AID if d.aid.is_none() => {
                    d.aid = Some(v.to_vec());
                    true
                }
                tags::LABEL if d.label.is_none() => {
                    d.label = text();
                    d.label.is_some()
                }
                tags::TRACK2 if d.track2.is_none() => {
                    d.track2 = Track2::parse(v);
                    d.track2.is_some()
                }
                tags::PAN if d.pan.is_none() => {
                    d.pan = Pan::from_cn(v);
                    d.pan.is_some()
                }
                tags::CARDHOLDER_NAME if d.cardholder_name.is_none() => {
                    d.cardholder_name = text();
                    d.cardholder_name.is_some()
                }
                tags::LANGUAGE if d.language_preference.is_none() => {
                    d.language_preference = text();
                    d.language_preference.is_some()
                }
                tags::ISSUER_URL if d.issuer_url.is_none() => {
                    d.issuer_url = text();
                    d.issuer_url.is_some()
                }
                tags::APP_VERSION if d.app_version.is_none() => {
                    d.app_version = match v {
                        [a, b] => Some(u16::from_be_bytes([*a, *b])),
                        _ => None,
                    };
                    d.app_version.is_some()
                }
                tags::TOKEN_REQUESTOR_ID if d.token_requestor_id.is_none() => {
                    d.token_requestor_id = Some(v)
                        .filter(|v| v.len() == 6)
                        .and_then(|v| Digits::from_bcd(v, true));
                    d.token_requestor_id.is_some()
                }
                tags::PAR if d.par.is_none() => {
                    d.par = text();
                    d.par.is_some()
                }
                tags::PAN_LAST4 if d.pan_last4.is_none() => {
                    d.pan_last4 = Some(v)
                        .filter(|v| v.len() == 2)
                        .and_then(|v| Digits::from_bcd(v, false));
                    d.pan_last4.is_some()
                }
                tags::PAN_SEQUENCE if d.pan_sequence_number.is_none() => {
                    d.pan_sequence_number = Some(v)
                        .filter(|v| v.len() == 1)
                        .and_then(|v| Digits::from_bcd(v, false));
                    d.pan_sequence_number.is_some()
                }
                x if x == transparent_tag && !transparent_done => {
                    transparent_done = true;
                    d.transparent = Template(o)
                        .objects()
                        .map(|c| RawObject {
                            tag: c.tag,
                            value: c.value.to_vec(),
                        })
                        .collect();
                    true
                }
                _ => false,
            };
            if !used {
                d.other.push(RawObject {
                    tag: o.tag,
                    value: v.to_vec(),
                });
            }
        }
        d
    }
}

fn raw(out: &mut Vec<u8>, o: &RawObject) -> Result<(), BuildError> {
    if o.tag.is_constructed() && ber::check(&o.value, LIMITS).is_err() {
        return Err(BuildError::RawObject { tag: o.tag });
    }
    ber::write(out, o.tag, &o.value).ok_or(BuildError::TooLong)
}

impl CpmData {
    /// The BER-TLV bytes: 85 "CPV01", the 61s, the 62, the other templates.
    pub fn to_tlv(&self) -> Result<Vec<u8>, BuildError> {
        let n = self.applications.len();
        if !(1..=2).contains(&n) || (n == 1 && self.common.is_some()) {
            return Err(BuildError::TemplateCount);
        }
        let common_tags = self
            .common
            .as_ref()
            .map(TemplateData::present)
            .unwrap_or_default();
        for (index, a) in self.applications.iter().enumerate() {
            if !a.aid.as_ref().is_some_and(|x| (5..=16).contains(&x.len())) {
                return Err(BuildError::Aid { index });
            }
            if !a.has_account() && !self.common.as_ref().is_some_and(TemplateData::has_account) {
                return Err(BuildError::NoAccountData { index });
            }
            if let Some(t) = a.present().into_iter().find(|t| common_tags.contains(t)) {
                return Err(BuildError::InBothTemplates { tag: tag(t) });
            }
        }
        let mut out = Vec::new();
        ber::write(&mut out, tag(tags::PFI), PFI.as_bytes()).ok_or(BuildError::TooLong)?;
        for a in &self.applications {
            let mut inner = Vec::new();
            a.write_content(&mut inner, tags::APPLICATION_TRANSPARENT)?;
            ber::write(&mut out, tag(tags::APPLICATION_TEMPLATE), &inner)
                .ok_or(BuildError::TooLong)?;
        }
        if let Some(c) = &self.common {
            let mut inner = Vec::new();
            c.write_content(&mut inner, tags::COMMON_TRANSPARENT)?;
            ber::write(&mut out, tag(tags::COMMON_DATA_TEMPLATE), &inner)
                .ok_or(BuildError::TooLong)?;
        }
        for o in &self.others {
            if !o.tag.is_constructed()
                || matches!(
                    o.tag.value(),
                    tags::APPLICATION_TEMPLATE | tags::COMMON_DATA_TEMPLATE
                )
            {
                return Err(BuildError::RawObject { tag: o.tag });
            }
            raw(&mut out, o)?;
        }
        if out.len().div_ceil(3) * 4 > MAX_TEXT_LEN {
            return Err(BuildError::TooLong);
        }
        Ok(out)
    }

    /// The payload text: padded base64 of [`CpmData::to_tlv`], no line breaks.
    ///
    /// ```
    /// use qrpay::cpm::{CpmData, TemplateData, Track2};
    /// let app = TemplateData {
    ///     aid: Some(vec![0xA0, 0, 0, 0, 0x55, 0x55, 0x55]),
    ///     track2: Track2::new("1234567890123458", "1912", "201", "12345"),
    ///     ..Default::default()
    /// };
    /// let data = CpmData { applications: vec![app], ..Default::default() };
    /// // CPM Annex B.1
    /// assert_eq!(data.build().unwrap(), "hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8=");
    /// ```
    pub fn build(&self) -> Result<String, BuildError> {
        use base64::Engine as _;
        Ok(base64::engine::general_purpose::STANDARD.encode(self.to_tlv()?))
    }

    /// The payload as a decoded [`Cpm`].
    pub fn to_cpm(&self) -> Result<Cpm, BuildError> {
        // What `to_tlv` writes is BER within the limits by construction.
        Cpm::from_ber(self.to_tlv()?).map_err(|_| BuildError::TooLong)
    }

    /// The typed content of a decoded payload (the inverse of [`CpmData::to_tlv`] for what
    /// it writes).
    pub fn from_cpm(cpm: &Cpm) -> CpmData {
        CpmData {
            applications: cpm
                .application_templates()
                .map(|t| TemplateData::from_template(&t))
                .collect(),
            common: cpm.common_data().map(|t| TemplateData::from_template(&t)),
            others: cpm
                .other_objects()
                .map(|o| RawObject {
                    tag: o.tag,
                    value: o.value.to_vec(),
                })
                .collect(),
        }
    }
}
