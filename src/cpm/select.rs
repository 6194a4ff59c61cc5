//! POI processing of a CPM payload, in the order CPM v1.1 §5.1.1.4–5.1.1.11 gives.

use alloc::vec::Vec;

use super::{tags, Cpm, Template};
use crate::tlv::ber::{Tag, Tlv};

/// How the POI chooses between two eligible application templates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Preference {
    /// The first eligible template in the payload (CPM v1.1, SB-236: the rule when the
    /// merchant configured no preference).
    #[default]
    FirstEligible,
    /// The eligible template whose AID matched the earliest entry of
    /// [`TerminalConfig::aids`]; ties go to the first in the payload.
    ConfiguredOrder,
}

/// What the terminal supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TerminalConfig<'c> {
    /// The AIDs the terminal accepts (each 5–16 bytes to be useful).
    pub aids: &'c [&'c [u8]],
    /// Whether a configured AID may match a longer 4F by being its left-most part (partial
    /// selection). CPM allows it; some terminals turn it off per AID.
    pub partial_selection: bool,
    /// How to choose between two eligible templates.
    pub preference: Preference,
}

impl<'c> TerminalConfig<'c> {
    /// `aids`, partial selection on, first eligible template preferred.
    pub const fn new(aids: &'c [&'c [u8]]) -> TerminalConfig<'c> {
        TerminalConfig {
            aids,
            partial_selection: true,
            preference: Preference::FirstEligible,
        }
    }

    /// The index of the first configured AID that `aid` matches.
    pub fn matching_aid(&self, aid: &[u8]) -> Option<usize> {
        self.aids.iter().position(|c| {
            (5..=16).contains(&c.len())
                && (*c == aid || (self.partial_selection && aid.starts_with(c)))
        })
    }
}

/// Why the POI cannot process a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PoiError {
    /// The first object is not 85 "CPV01" (§5.1.1.3).
    #[error("the payload format indicator is not 85 \"CPV01\"")]
    Pfi,
    /// No application template at all (§5.1.1.3).
    #[error("no application template (61)")]
    NoApplicationTemplate,
    /// No 61 has a usable AID that the terminal supports.
    #[error("no application template with an AID the terminal supports")]
    NoEligibleTemplate,
    /// A primitive data object occurs twice in the POI data.
    #[error("data object {tag} occurs twice in the POI data (byte {offset})")]
    Duplicate {
        /// The tag.
        tag: Tag,
        /// Byte offset of the second occurrence.
        offset: usize,
    },
    /// A data object is in both the selected 61 and the 62.
    #[error(
        "data object {tag} is in both the application and the common data template (byte {offset})"
    )]
    InBothTemplates {
        /// The tag.
        tag: Tag,
        /// Byte offset of the occurrence in 62.
        offset: usize,
    },
    /// Neither 57 nor 5A in the selected 61 and the 62 (CPM v1.1 Table 6.1).
    #[error("neither Track 2 (57) nor PAN (5A) is present")]
    NoAccountData,
}

/// What the POI selected and what it forwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection<'a> {
    /// Which 61 (0 for the first in the payload).
    pub index: usize,
    /// The selected 61.
    pub template: Template<'a>,
    /// Index in [`TerminalConfig::aids`] of the AID that matched.
    pub aid_index: usize,
    /// How many 61 were eligible.
    pub eligible: usize,
    /// The common data template, if any.
    pub common: Option<Template<'a>>,
    /// POI data: every object of the selected 61 and of the 62 except their transparent
    /// templates, in payload order (unknown objects included: "ignore but not discard").
    pub poi_data: Vec<Tlv<'a>>,
    /// The 63 inside the selected 61.
    pub application_transparent: Option<Tlv<'a>>,
    /// The 64 inside the 62.
    pub common_transparent: Option<Tlv<'a>>,
    /// Top-level objects other than 85, 61 and 62, kept.
    pub others: Vec<Tlv<'a>>,
}

impl<'a> Selection<'a> {
    /// The first POI data object with `tag`.
    pub fn get(&self, tag: u32) -> Option<&Tlv<'a>> {
        self.poi_data.iter().find(|t| t.tag.value() == tag)
    }

    /// The transparent data to forward: the content of 63 then of 64.
    pub fn transparent_data(&self) -> Vec<u8> {
        let mut v = Vec::new();
        for t in [self.application_transparent, self.common_transparent]
            .into_iter()
            .flatten()
        {
            v.extend_from_slice(t.value);
        }
        v
    }
}

/// Processes `cpm` as a POI would: skip 61s without a 4F of 5–16 bytes or whose AID the
/// terminal does not support (exact, or partial when the configured AID is the left-most
/// part of 4F); among two eligible, apply the terminal's [`Preference`]; then build the POI
/// data and the transparent data.
///
/// ```
/// use qrpay::cpm::{self, Cpm, TerminalConfig, Preference};
/// let b2 = "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==";
/// let c = Cpm::decode(b2).unwrap();
/// let aids: &[&[u8]] = &[&[0xA0, 0, 0, 0, 0x66, 0x66, 0x66], &[0xA0, 0, 0, 0, 0x55, 0x55, 0x55]];
/// let first = cpm::select(&c, &TerminalConfig::new(aids)).unwrap();
/// assert_eq!(first.template.label(), Some("Product1"));
/// let cfg = TerminalConfig { preference: Preference::ConfiguredOrder, ..TerminalConfig::new(aids) };
/// let pref = cpm::select(&c, &cfg).unwrap();
/// assert_eq!(pref.template.label(), Some("Product2"));
/// assert_eq!(pref.transparent_data().len(), 33);
/// ```
pub fn select<'a>(cpm: &'a Cpm, config: &TerminalConfig<'_>) -> Result<Selection<'a>, PoiError> {
    if !cpm.has_valid_pfi() {
        return Err(PoiError::Pfi);
    }
    let mut any = false;
    let mut best: Option<(usize, Template<'a>, usize)> = None;
    let mut eligible = 0usize;
    for (i, t) in cpm.application_templates().enumerate() {
        any = true;
        let Some(aid) = t.usable_aid() else { continue };
        let Some(k) = config.matching_aid(aid) else {
            continue;
        };
        eligible += 1;
        let better = match (&best, config.preference) {
            (None, _) => true,
            (Some(_), Preference::FirstEligible) => false,
            (Some((_, _, bk)), Preference::ConfiguredOrder) => k < *bk,
        };
        if better {
            best = Some((i, t, k));
        }
    }
    if !any {
        return Err(PoiError::NoApplicationTemplate);
    }
    let Some((index, template, aid_index)) = best else {
        return Err(PoiError::NoEligibleTemplate);
    };
    let common = cpm.common_data();
    let mut poi_data: Vec<Tlv<'a>> = Vec::new();
    let mut application_transparent = None;
    let mut common_transparent = None;
    for o in template.objects() {
        if o.tag.value() == tags::APPLICATION_TRANSPARENT && application_transparent.is_none() {
            application_transparent = Some(o);
            continue;
        }
        if !o.is_constructed() && poi_data.iter().any(|p| p.tag == o.tag) {
            return Err(PoiError::Duplicate {
                tag: o.tag,
                offset: o.offset,
            });
        }
        poi_data.push(o);
    }
    let from_app = poi_data.len();
    if let Some(c) = common {
        for o in c.objects() {
            if o.tag.value() == tags::COMMON_TRANSPARENT && common_transparent.is_none() {
                common_transparent = Some(o);
                continue;
            }
            if poi_data
                .get(..from_app)
                .is_some_and(|a| a.iter().any(|p| p.tag == o.tag))
            {
                return Err(PoiError::InBothTemplates {
                    tag: o.tag,
                    offset: o.offset,
                });
            }
            if !o.is_constructed() && poi_data.iter().any(|p| p.tag == o.tag) {
                return Err(PoiError::Duplicate {
                    tag: o.tag,
                    offset: o.offset,
                });
            }
            poi_data.push(o);
        }
    }
    if !poi_data
        .iter()
        .any(|t| matches!(t.tag.value(), tags::TRACK2 | tags::PAN))
    {
        return Err(PoiError::NoAccountData);
    }
    Ok(Selection {
        index,
        template,
        aid_index,
        eligible,
        common,
        poi_data,
        application_transparent,
        common_transparent,
        others: cpm
            .other_objects()
            .filter(|t| t.tag.value() != tags::PFI)
            .collect(),
    })
}
