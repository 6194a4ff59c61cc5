//! Cross-app routing: which network a payment code can be paid or forwarded through, and which
//! one a given wallet or acquirer takes.
//!
//! * The [`Directory`] maps identifiers (template GUIDs, primitive merchant-account IDs
//!   02–25, CPM AIDs, URL prefixes, numeric payment-code prefixes) to networks: scheme id,
//!   operator, countries, currencies and clearing route. The default is compiled in from
//!   `spec/routing/directory.json` (format in `spec/routing/README.md`); a caller can build its
//!   own ([`DirectoryBuilder`], or [`Directory::from_json`] with feature `json`) and
//!   [`Directory::merge`] it over the default. Lookups walk a byte trie: longest prefix wins,
//!   exact GUIDs beat prefixes, ASCII case is ignored.
//! * A [`Profile`] says which networks a wallet can pay through (or an acquirer can forward
//!   to), in priority order, with optional country and currency limits.
//! * [`Router::route`] ranks every network a code names against the profile and picks one,
//!   or says why none ([`Reason`]). It is deterministic: ties go to the profile's order, then
//!   to the order of the code.
//!
//! ```
//! use qrpay::routing::{Profile, Reason, Router};
//! use qrpay::schemes::SchemeId;
//! // HK FPS with UnionPay in primitive 15 (corpus).
//! let code = "0002010102121531479803444798034459803449399006326450012hk.com.hkicl0209166069526051229123123595952049399530334454042.005802HK5902NA6002HK6293011900-12348A10798425380218001-20200726084100032263ee92126d3fb9ff7bed98041802150821101001445D80560013com.swiftpass0212181570002009041900-12348A10798425386304F335";
//! let d = qrpay::decode(code);
//! let router = Router::builtin();
//! let up = router.route(&d, &Profile::wallet("unionpay-app", &[SchemeId::Unionpay]));
//! assert_eq!(up.chosen, Some(SchemeId::Unionpay));
//! assert_eq!(up.candidates[0].clearing, "cups");
//! let pix = router.route(&d, &Profile::wallet("pix-app", &[SchemeId::Pix]));
//! assert_eq!(pix.chosen, None);
//! assert_eq!(pix.reason, Reason::NoAcceptedNetwork);
//! ```

mod directory;
#[cfg(feature = "json")]
mod json;
mod table;

pub use directory::{
    parse_date, Directory, DirectoryBuilder, DirectoryError, Entry, EntrySpec, Hit, KeyKind, Merge,
    Network, MAX_KEYS, MAX_KEY_LEN, MAX_TEXT_LEN,
};
#[cfg(feature = "json")]
pub use json::{decision_to_string, decision_to_value, ProfileError};

/// The `format` string of directory files this version reads.
pub const FORMAT: &str = table::FORMAT;

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::decode::{Decoded, Kind, Verdict, View};
use crate::schemes::{Date, Expiry, SchemeId};

/// Whose profile it is: which side of the counter scans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    /// A wallet app scanning merchant-presented codes (EMV MPM, UPI links, receive URLs).
    #[default]
    Wallet,
    /// An acquirer or terminal reading consumer-presented codes (EMV CPM, numeric payment
    /// codes) and forwarding them to a network.
    Acquirer,
}

impl Role {
    /// `"wallet"` or `"acquirer"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Wallet => "wallet",
            Role::Acquirer => "acquirer",
        }
    }
}

/// One network a profile takes, with optional limits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Accept {
    /// The scheme.
    pub scheme: SchemeId,
    /// Only codes of these countries (58, ISO 3166-1 alpha-2); empty for any.
    pub countries: Vec<String>,
    /// Only codes in these currencies (ISO 4217 alphabetic); empty for any.
    pub currencies: Vec<String>,
}

impl Accept {
    /// `scheme` without limits.
    pub fn any(scheme: SchemeId) -> Accept {
        Accept {
            scheme,
            countries: Vec::new(),
            currencies: Vec::new(),
        }
    }
}

/// What a wallet can pay through, or an acquirer can forward to, in priority order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Profile {
    /// A name for reports (`"pix-app"`).
    pub name: String,
    /// Wallet or acquirer.
    pub role: Role,
    /// Accepted networks, first preferred.
    pub accept: Vec<Accept>,
    /// The caller's clock, in milliseconds since the Unix epoch (UTC), to check expiry; `None`
    /// skips the check.
    pub now_ms: Option<u64>,
}

impl Profile {
    /// A wallet taking `schemes` in this order, without limits.
    pub fn wallet(name: &str, schemes: &[SchemeId]) -> Profile {
        Profile {
            name: name.to_string(),
            role: Role::Wallet,
            accept: schemes.iter().copied().map(Accept::any).collect(),
            now_ms: None,
        }
    }

    /// An acquirer or terminal forwarding to `schemes` in this order, without limits.
    pub fn acquirer(name: &str, schemes: &[SchemeId]) -> Profile {
        Profile {
            role: Role::Acquirer,
            ..Profile::wallet(name, schemes)
        }
    }

    /// Limits every accepted network to codes of `countries`.
    pub fn in_countries(mut self, countries: &[&str]) -> Profile {
        for a in &mut self.accept {
            a.countries = countries.iter().map(|c| c.to_string()).collect();
        }
        self
    }

    /// Limits every accepted network to codes in `currencies`.
    pub fn in_currencies(mut self, currencies: &[&str]) -> Profile {
        for a in &mut self.accept {
            a.currencies = currencies.iter().map(|c| c.to_string()).collect();
        }
        self
    }

    /// Checks expiry against `now_ms` (milliseconds since the Unix epoch, UTC).
    pub fn at(mut self, now_ms: u64) -> Profile {
        self.now_ms = Some(now_ms);
        self
    }
}

/// How a candidate network stands against the profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// The profile takes it and the code fits its limits.
    Accepted,
    /// The profile takes the scheme but not the code's currency (or the network does not
    /// carry it).
    CurrencyMismatch,
    /// The profile takes the scheme but not the code's country (or the network does not
    /// serve it).
    CountryMismatch,
    /// The profile does not take the scheme.
    NotAccepted,
}

impl Status {
    /// `"accepted"`, `"currency-mismatch"`, `"country-mismatch"` or `"not-accepted"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Accepted => "accepted",
            Status::CurrencyMismatch => "currency-mismatch",
            Status::CountryMismatch => "country-mismatch",
            Status::NotAccepted => "not-accepted",
        }
    }
}

/// A network the code names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Candidate {
    /// The scheme.
    pub scheme: SchemeId,
    /// The network operator.
    pub network: String,
    /// The clearing route.
    pub clearing: String,
    /// Where the identifier is in the code (`26`, `15`, `62.50`, `61#1.4F`; empty for a
    /// whole non-EMV code or a scheme recognised by content).
    pub path: String,
    /// The identifier that named the network (GUID, primitive ID, AID, URL prefix, code
    /// prefix, or the scheme id for content rules).
    pub identifier: String,
    /// What kind of directory key matched.
    pub matched: KeyKind,
    /// The position of the scheme in the profile (0 = preferred), if it takes it.
    pub priority: Option<usize>,
    /// How it stands.
    pub status: Status,
}

/// Why a decision is what it is. The string forms are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// One network of the code is accepted: it is chosen.
    OnlyAccepted,
    /// Several are accepted: the profile's preferred one is chosen.
    HighestPriority,
    /// The code names networks, none of which the profile takes.
    NoAcceptedNetwork,
    /// The profile takes a network of the code, but not in the code's currency.
    CurrencyMismatch,
    /// The profile takes a network of the code, but not in the code's country.
    CountryMismatch,
    /// The code's expiry is past at the profile's clock.
    Expired,
    /// The structure or checksum of the code is broken.
    BrokenCode,
    /// The text is no payment code qrpay knows.
    UnknownCode,
    /// The code names no network the directory knows (e.g. an EPC or Swiss bill).
    NoNetwork,
    /// A consumer-presented code given to a wallet, or a merchant-presented one to an
    /// acquirer.
    WrongPresentment,
}

impl Reason {
    /// `"only-accepted"`, `"highest-priority"`, `"no-accepted-network"`,
    /// `"currency-mismatch"`, `"country-mismatch"`, `"expired"`, `"broken-code"`,
    /// `"unknown-code"`, `"no-network"` or `"wrong-presentment"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::OnlyAccepted => "only-accepted",
            Reason::HighestPriority => "highest-priority",
            Reason::NoAcceptedNetwork => "no-accepted-network",
            Reason::CurrencyMismatch => "currency-mismatch",
            Reason::CountryMismatch => "country-mismatch",
            Reason::Expired => "expired",
            Reason::BrokenCode => "broken-code",
            Reason::UnknownCode => "unknown-code",
            Reason::NoNetwork => "no-network",
            Reason::WrongPresentment => "wrong-presentment",
        }
    }

    /// One line for people.
    pub const fn message(self) -> &'static str {
        match self {
            Reason::OnlyAccepted => "the only network of the code the profile takes",
            Reason::HighestPriority => {
                "several networks of the code are taken; the profile prefers this one"
            }
            Reason::NoAcceptedNetwork => "the profile takes none of the code's networks",
            Reason::CurrencyMismatch => {
                "the profile takes a network of the code, but not in the code's currency"
            }
            Reason::CountryMismatch => {
                "the profile takes a network of the code, but not in the code's country"
            }
            Reason::Expired => "the code has expired",
            Reason::BrokenCode => "the code's structure or checksum is broken",
            Reason::UnknownCode => "not a payment code",
            Reason::NoNetwork => "the code names no network the directory knows",
            Reason::WrongPresentment => {
                "the profile reads the other presentment (merchant- vs consumer-presented)"
            }
        }
    }
}

/// An identifier of the code the directory does not know.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Unrouted {
    /// Where it is.
    pub path: String,
    /// The identifier.
    pub identifier: String,
}

/// What [`Router::route`] decided.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decision {
    /// The chosen network's scheme, if any.
    pub chosen: Option<SchemeId>,
    /// Why.
    pub reason: Reason,
    /// Every network of the code, one per scheme, ranked: accepted first in the profile's
    /// order, then the others in the code's order. When a network is chosen it is first.
    pub candidates: Vec<Candidate>,
    /// Identifiers of the code the directory does not know.
    pub unrouted: Vec<Unrouted>,
    /// The profile's name.
    pub profile: String,
    /// The directory's version.
    pub directory: String,
}

impl Decision {
    /// The chosen candidate.
    pub fn chosen_candidate(&self) -> Option<&Candidate> {
        self.chosen.and(self.candidates.first())
    }
}

/// Routes codes with a [`Directory`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Router {
    dir: Directory,
}

impl Default for Router {
    fn default() -> Router {
        Router::builtin()
    }
}

/// Whether a code is consumer-presented.
fn consumer_presented(kind: Kind) -> bool {
    matches!(kind, Kind::EmvCpm | Kind::Paycode)
}

struct Found<'d> {
    hit: Hit<'d>,
    path: String,
    identifier: String,
}

impl Router {
    /// A router over `dir`.
    pub fn new(dir: Directory) -> Router {
        Router { dir }
    }

    /// A router over the compiled-in directory.
    pub fn builtin() -> Router {
        Router::new(Directory::builtin())
    }

    /// The directory.
    pub fn directory(&self) -> &Directory {
        &self.dir
    }

    fn find<'d>(
        &'d self,
        d: &Decoded<'_>,
        found: &mut Vec<Found<'d>>,
        unrouted: &mut Vec<Unrouted>,
    ) {
        let dir = &self.dir;
        let mut guid = |path: String, g: &str, found: &mut Vec<Found<'d>>| match dir.lookup_guid(g)
        {
            Some(hit) => found.push(Found {
                hit,
                path,
                identifier: g.to_string(),
            }),
            None => unrouted.push(Unrouted {
                path,
                identifier: g.to_string(),
            }),
        };
        match &d.view {
            View::Mpm(m) => {
                for a in m.merchant_accounts() {
                    let path = alloc::format!("{:02}", a.id);
                    match a.template() {
                        Some(t) => {
                            if let Some(g) = t.guid() {
                                guid(path, g, found);
                            }
                        }
                        None => {
                            if let Some(hit) = dir.lookup_primitive(a.id) {
                                found.push(Found {
                                    hit,
                                    identifier: path.clone(),
                                    path,
                                });
                            }
                        }
                    }
                }
                if let Some(ad) = m.additional_data() {
                    for (id, t) in ad.payment_system_templates() {
                        if let Some(g) = t.guid() {
                            guid(alloc::format!("62.{id:02}"), g, found);
                        }
                    }
                }
                for (id, t) in m.unreserved_templates() {
                    if let Some(g) = t.guid() {
                        guid(alloc::format!("{id:02}"), g, found);
                    }
                }
            }
            View::Cpm(c) => {
                for (i, t) in c.application_templates().enumerate() {
                    let Some(aid) = t.aid() else { continue };
                    let mut hex = String::with_capacity(aid.len() * 2);
                    for b in aid.iter().take(64) {
                        let h = crate::crc::to_hex(u16::from(*b));
                        hex.push(char::from(h[2]));
                        hex.push(char::from(h[3]));
                    }
                    let path = alloc::format!("61#{}.4F", i + 1);
                    match dir.lookup_cpm_aid(&hex) {
                        Some(hit) => found.push(Found {
                            hit,
                            path,
                            identifier: hex,
                        }),
                        None => unrouted.push(Unrouted {
                            path,
                            identifier: hex,
                        }),
                    }
                }
            }
            View::Format(f) => {
                use crate::formats::Format;
                let hit = match f {
                    Format::Upi(_) | Format::Url(_) => dir.lookup_url(d.text),
                    Format::Paycode(p) => dir.lookup_paycode(p.text()),
                    _ => None,
                };
                if let Some(hit) = hit {
                    found.push(Found {
                        identifier: hit.entry.key.clone(),
                        hit,
                        path: String::new(),
                    });
                }
            }
            View::None => {}
        }
        // Schemes recognised by content that no identifier named.
        for s in d.schemes.iter() {
            if found.iter().any(|f| f.hit.network.scheme == s) {
                continue;
            }
            if let Some(hit) = dir.lookup_profile(s) {
                found.push(Found {
                    hit,
                    path: String::new(),
                    identifier: s.as_str().to_string(),
                });
            }
        }
    }

    /// Ranks the networks of `d` for profile `p` and picks one, or says why none.
    pub fn route(&self, d: &Decoded<'_>, p: &Profile) -> Decision {
        // A wrapped payload that had to be percent-decoded: route what it carries.
        if let (View::None, Some(inner)) = (&d.view, &d.inner) {
            let mut again = crate::decode(inner);
            again.verdict = d.verdict;
            return self.route(&again, p);
        }
        let mut found = Vec::new();
        let mut unrouted = Vec::new();
        self.find(d, &mut found, &mut unrouted);
        let req = crate::request::of(d);
        let country = req.as_ref().and_then(|r| r.country.clone());
        let currency = req.as_ref().and_then(|r| r.currency);
        let mut candidates: Vec<(usize, Candidate)> = Vec::new();
        for (order, f) in found.iter().enumerate() {
            let n = f.hit.network;
            if candidates.iter().any(|(_, c)| c.scheme == n.scheme) {
                continue;
            }
            let priority = p.accept.iter().position(|a| a.scheme == n.scheme);
            let status = match priority.and_then(|i| p.accept.get(i)) {
                None => Status::NotAccepted,
                Some(a) => status(a, n, country.as_deref(), currency),
            };
            candidates.push((
                order,
                Candidate {
                    scheme: n.scheme,
                    network: n.network.clone(),
                    clearing: n.clearing.clone(),
                    path: f.path.clone(),
                    identifier: f.identifier.clone(),
                    matched: f.hit.entry.kind,
                    priority,
                    status,
                },
            ));
        }
        candidates.sort_by_key(|(order, c)| {
            (
                c.status != Status::Accepted,
                c.priority.unwrap_or(usize::MAX),
                *order,
            )
        });
        let candidates: Vec<Candidate> = candidates.into_iter().map(|(_, c)| c).collect();
        let accepted = candidates
            .iter()
            .filter(|c| c.status == Status::Accepted)
            .count();
        let expired = match (p.now_ms, req.as_ref().and_then(|r| r.expiry)) {
            (Some(now), Some(e)) => is_expired(&e, country.as_deref(), now),
            _ => false,
        };
        let any = |s: Status| candidates.iter().any(|c| c.status == s);
        let reason = if d.kind == Kind::Unknown {
            Reason::UnknownCode
        } else if d.verdict == Verdict::Broken {
            Reason::BrokenCode
        } else if consumer_presented(d.kind) != (p.role == Role::Acquirer) {
            Reason::WrongPresentment
        } else if expired {
            Reason::Expired
        } else if candidates.is_empty() {
            Reason::NoNetwork
        } else if accepted == 1 {
            Reason::OnlyAccepted
        } else if accepted > 1 {
            Reason::HighestPriority
        } else if any(Status::CurrencyMismatch) {
            Reason::CurrencyMismatch
        } else if any(Status::CountryMismatch) {
            Reason::CountryMismatch
        } else {
            Reason::NoAcceptedNetwork
        };
        let chosen = matches!(reason, Reason::OnlyAccepted | Reason::HighestPriority)
            .then(|| candidates.first().map(|c| c.scheme))
            .flatten();
        Decision {
            chosen,
            reason,
            candidates,
            unrouted,
            profile: p.name.clone(),
            directory: self.dir.version().to_string(),
        }
    }
}

fn status(a: &Accept, n: &Network, country: Option<&str>, currency: Option<&str>) -> Status {
    let has = |list: &[String], v: Option<&str>| {
        list.is_empty() || v.is_none_or(|v| list.iter().any(|x| x.eq_ignore_ascii_case(v)))
    };
    if !has(&n.currencies, currency) || !has(&a.currencies, currency) {
        Status::CurrencyMismatch
    } else if !has(&n.countries, country) || !has(&a.countries, country) {
        Status::CountryMismatch
    } else {
        Status::Accepted
    }
}

/// Days from 1970-01-01 to `d` (proleptic Gregorian).
fn days_from_civil(d: Date) -> i64 {
    let (m, day) = (i64::from(d.month), i64::from(d.day));
    let y = i64::from(d.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// UTC offset in minutes of the country whose local dates a scheme writes; unknown countries
/// take UTC−12, the last place a date ends, so a code is never called expired too early.
fn utc_offset_minutes(country: Option<&str>) -> i64 {
    match country.unwrap_or("") {
        "HK" | "SG" | "CN" | "MY" | "PH" | "MN" => 480,
        "TH" | "VN" | "KH" | "LA" | "ID" => 420,
        "IN" => 330,
        "NP" => 345,
        "JP" => 540,
        "KE" => 180,
        "BR" => -180,
        _ => -720,
    }
}

/// Whether expiry `e` is past at `now_ms` (UTC). Local dates are read in the code's country's
/// time; a date expires at the end of that day.
pub fn is_expired(e: &Expiry, country: Option<&str>, now_ms: u64) -> bool {
    let local_ms = |date: Date, secs: i64| {
        let offset = utc_offset_minutes(country) * 60_000;
        days_from_civil(date) * 86_400_000 + secs * 1000 - offset
    };
    let end_ms = match *e {
        Expiry::EpochMillis(t) => return now_ms >= t,
        Expiry::Date(date) => local_ms(date, 86_400),
        Expiry::DateTime {
            date,
            hour,
            minute,
            second,
        } => local_ms(
            date,
            i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second),
        ),
    };
    i64::try_from(now_ms).map_or(true, |now| now >= end_ms)
}

/// Example profiles for the interoperability matrix (`qrpay matrix`).
pub fn example_profiles() -> Vec<Profile> {
    use SchemeId as S;
    alloc::vec![
        Profile::wallet("unionpay-app", &[S::Unionpay]),
        Profile::wallet("pix-app", &[S::Pix])
            .in_countries(&["BR"])
            .in_currencies(&["BRL"]),
        Profile::wallet(
            "sea-wallet",
            &[
                S::Paynow,
                S::Sgqr,
                S::Duitnow,
                S::Promptpay,
                S::Qris,
                S::Vietqr,
                S::Qrph,
                S::Khqr,
                S::Laoqr,
                S::Unionpay,
            ],
        ),
        Profile::wallet("upi-app", &[S::Upi]).in_countries(&["IN"]),
        Profile::wallet(
            "card-wallet",
            &[
                S::Visa,
                S::Mastercard,
                S::Amex,
                S::Jcb,
                S::Discover,
                S::Rupay
            ],
        ),
        Profile::wallet("alipay-app", &[S::Alipay, S::Unionpay]),
        Profile::acquirer("cn-acquirer", &[S::Wechatpay, S::Alipay, S::Unionpay]),
        Profile::acquirer(
            "jp-terminal",
            &[S::Jpqr, S::Jcb, S::Visa, S::Mastercard, S::Unionpay],
        ),
    ]
}

/// The example profile named `name`.
pub fn example_profile(name: &str) -> Option<Profile> {
    example_profiles().into_iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(Date::new(1970, 1, 1).unwrap()), 0);
        assert_eq!(days_from_civil(Date::new(2000, 3, 1).unwrap()), 11_017);
        assert_eq!(days_from_civil(Date::new(2024, 2, 29).unwrap()), 19_782);
    }

    #[test]
    fn expiry_in_local_time() {
        let d = Date::new(2030, 12, 31).unwrap();
        // 2030-12-31 24:00 at UTC+8 is 2030-12-31T16:00Z = 1924963200000 ms (Python datetime).
        let end = 1_924_963_200_000;
        assert!(!is_expired(&Expiry::Date(d), Some("SG"), end - 1));
        assert!(is_expired(&Expiry::Date(d), Some("SG"), end));
        // Unknown country: the last time zone (UTC-12), 20 hours later.
        assert!(!is_expired(&Expiry::Date(d), None, end));
        assert!(is_expired(&Expiry::Date(d), None, end + 20 * 3_600_000));
        assert!(is_expired(&Expiry::EpochMillis(5), None, 5));
        assert!(!is_expired(&Expiry::EpochMillis(5), None, 4));
    }
}
