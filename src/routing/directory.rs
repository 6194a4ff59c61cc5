//! The routing directory: which network an identifier names, compiled into a byte trie for
//! longest-prefix lookup.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::schemes::{Date, SchemeId};

/// What kind of identifier a directory key is, and so how it is matched.
///
/// Every kind is matched without regard to ASCII case: GUIDs are case-insensitive (Pix writes
/// both `br.gov.bcb.pix` and `BR.GOV.BCB.PIX`), AIDs are hex, URL prefixes cover the scheme and
/// host (plus, for WeChat, a fixed path) which URLs compare without case, and the other kinds
/// are digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    /// A template GUID (sub-ID 00 of 26–51, 62/50–99, 80–99), matched whole.
    Guid,
    /// A template GUID prefix (an AID's RID, `ph.ppmi.`, `com.alipay`).
    GuidPrefix,
    /// A primitive merchant-account ID, 02–25, written with two digits.
    Primitive,
    /// A prefix of the AID (tag 4F, hex) of a consumer-presented code.
    CpmAid,
    /// A URL prefix (`wxp://`, `https://qr.alipay.com/`, `upi://`).
    Url,
    /// A numeric payment-code prefix, with the lengths the wallet issues.
    Paycode,
    /// A scheme recognised from a code's content rather than an identifier (KHQR account
    /// IDs, Bharat QR, NepalPay, QRIS acquirer templates): the entry has no keys and gives the
    /// network of the scheme [`crate::schemes::identify`] finds.
    Profile,
}

impl KeyKind {
    /// Every kind.
    pub const ALL: &'static [KeyKind] = &[
        KeyKind::Guid,
        KeyKind::GuidPrefix,
        KeyKind::Primitive,
        KeyKind::CpmAid,
        KeyKind::Url,
        KeyKind::Paycode,
        KeyKind::Profile,
    ];

    /// The stable string form used in directory files: `guid`, `guid-prefix`, `primitive`,
    /// `cpm-aid`, `url`, `paycode`, `profile`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyKind::Guid => "guid",
            KeyKind::GuidPrefix => "guid-prefix",
            KeyKind::Primitive => "primitive",
            KeyKind::CpmAid => "cpm-aid",
            KeyKind::Url => "url",
            KeyKind::Paycode => "paycode",
            KeyKind::Profile => "profile",
        }
    }

    /// The kind whose string form is `s`.
    pub fn from_str_opt(s: &str) -> Option<KeyKind> {
        KeyKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// The trie's key space (first byte of every key) and whether keys of this kind match as
    /// prefixes.
    const fn space(self) -> (u8, bool) {
        match self {
            KeyKind::Guid => (b'g', false),
            KeyKind::GuidPrefix => (b'g', true),
            KeyKind::Primitive => (b'm', false),
            KeyKind::CpmAid => (b'c', true),
            KeyKind::Url => (b'u', true),
            KeyKind::Paycode => (b'n', true),
            KeyKind::Profile => (b'p', false),
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One directory entry as written: its keys and the network they name. The compiled-in
/// table and loaded files both go through [`DirectoryBuilder::add`], which checks every field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntrySpec<'a> {
    /// How the keys match.
    pub kind: KeyKind,
    /// The identifiers (none for [`KeyKind::Profile`]).
    pub keys: &'a [&'a str],
    /// For payment codes: the shortest and longest length in digits.
    pub lengths: Option<(u8, u8)>,
    /// The scheme the identifiers belong to.
    pub scheme: SchemeId,
    /// The network operator's id (`npci`, `hkicl`, `unionpay`...).
    pub network: &'a str,
    /// ISO 3166-1 alpha-2 countries where the network takes codes; empty for international.
    pub countries: &'a [&'a str],
    /// ISO 4217 alphabetic currencies the network carries; empty for any.
    pub currencies: &'a [&'a str],
    /// The clearing route (`cups`, `netsunion`, `pix-spi`, `napas`, `itmx`, `fast-sg`,
    /// `npci`, `hkicl`..., or `label` for a label that routes nothing itself).
    pub clearing: &'a str,
    /// Where the mapping comes from.
    pub source: &'a str,
}

/// A network as the directory describes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Network {
    /// The scheme.
    pub scheme: SchemeId,
    /// The network operator's id.
    pub network: String,
    /// Countries (ISO 3166-1 alpha-2) where it takes codes; empty for international.
    pub countries: Vec<String>,
    /// Currencies (ISO 4217 alphabetic) it carries; empty for any.
    pub currencies: Vec<String>,
    /// The clearing route.
    pub clearing: String,
    /// Where the mapping comes from.
    pub source: String,
}

/// One key of the directory.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// How the key matches.
    pub kind: KeyKind,
    /// The key as written (for [`KeyKind::Profile`], the scheme id).
    pub key: String,
    /// For payment codes: the lengths the wallet issues.
    pub lengths: Option<(u8, u8)>,
    network: u32,
}

/// What a lookup found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit<'d> {
    /// The matching key.
    pub entry: &'d Entry,
    /// The network it names.
    pub network: &'d Network,
}

/// Why a directory could not be built. Nothing is loaded when one is returned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DirectoryError {
    /// The file is not JSON of the documented shape (a missing or unknown member, a wrong
    /// type...).
    #[error("not a routing directory: {0}")]
    Shape(String),
    /// `format` is not `qrpay-routing/1`.
    #[error("unsupported directory format {0:?}")]
    Format(String),
    /// `version` is empty or too long.
    #[error("bad directory version")]
    Version,
    /// `effective` is not a `YYYY-MM-DD` date.
    #[error("bad effective date {0:?} (want YYYY-MM-DD)")]
    Effective(String),
    /// An entry names a scheme qrpay does not know.
    #[error("entry {entry}: unknown scheme id {value:?}")]
    UnknownScheme {
        /// Index of the entry.
        entry: usize,
        /// The scheme as written.
        value: String,
    },
    /// An entry has an unknown `kind`.
    #[error("entry {entry}: unknown key kind {value:?}")]
    UnknownKind {
        /// Index of the entry.
        entry: usize,
        /// The kind as written.
        value: String,
    },
    /// A key does not fit its kind.
    #[error("entry {entry}: bad {kind} key {key:?}: {why}")]
    BadKey {
        /// Index of the entry.
        entry: usize,
        /// The kind.
        kind: KeyKind,
        /// The key as written.
        key: String,
        /// What is wrong.
        why: &'static str,
    },
    /// Another field is wrong.
    #[error("entry {entry}: bad {field}: {why}")]
    BadField {
        /// Index of the entry.
        entry: usize,
        /// The field's name.
        field: &'static str,
        /// What is wrong.
        why: &'static str,
    },
    /// The same key (same kind of match) appears twice for the same scheme.
    #[error("entry {entry}: duplicate {kind} key {key:?} (first in entry {first})")]
    Duplicate {
        /// Index of the entry repeating the key.
        entry: usize,
        /// The kind.
        kind: KeyKind,
        /// The key.
        key: String,
        /// Index of the entry that has it first.
        first: usize,
    },
    /// The same key (same kind of match) names two different networks.
    #[error(
        "entry {entry}: {kind} key {key:?} names {scheme} but entry {first} gave it to {other}"
    )]
    Conflict {
        /// Index of the entry.
        entry: usize,
        /// The kind.
        kind: KeyKind,
        /// The key.
        key: String,
        /// The scheme this entry gives.
        scheme: SchemeId,
        /// Index of the entry that has it first.
        first: usize,
        /// The scheme that entry gives.
        other: SchemeId,
    },
    /// More keys or entries than a directory may hold ([`MAX_KEYS`]).
    #[error("more than {MAX_KEYS} keys")]
    TooLarge,
}

/// Most keys one directory holds.
pub const MAX_KEYS: usize = 1_000_000;
/// Longest key, in bytes.
pub const MAX_KEY_LEN: usize = 128;
/// Longest text field (network, clearing, source, version), in bytes.
pub const MAX_TEXT_LEN: usize = 1024;

const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Node {
    /// First edge out of this node, and how many.
    edges: u32,
    n_edges: u32,
    /// The bytes (lower case) this node stands for beyond its edge's byte: chains of nodes
    /// with one child and no entry are merged into one node (a radix tree).
    label: u32,
    label_len: u32,
    exact: u32,
    prefix: u32,
}

/// A compiled directory: entries, networks and the lookup trie. Build one with
/// [`Directory::builtin`], [`DirectoryBuilder`], [`Directory::merge`] or (feature `json`)
/// [`Directory::from_json`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directory {
    version: String,
    effective: Date,
    networks: Vec<Network>,
    entries: Vec<Entry>,
    nodes: Vec<Node>,
    edge_bytes: Vec<u8>,
    edge_child: Vec<u32>,
    labels: Vec<u8>,
}

/// How [`Directory::merge`] treats a key both directories hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// A key in both is an error ([`DirectoryError::Duplicate`] or
    /// [`DirectoryError::Conflict`]).
    Strict,
    /// The overlay's entry replaces the base's.
    Override,
}

/// Reads `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mut compact = String::with_capacity(8);
    compact.push_str(s.get(..4)?);
    compact.push_str(s.get(5..7)?);
    compact.push_str(s.get(8..)?);
    Date::parse_yyyymmdd(&compact)
}

fn check_text(entry: usize, field: &'static str, v: &str) -> Result<(), DirectoryError> {
    let bad = |why| DirectoryError::BadField { entry, field, why };
    if v.is_empty() {
        return Err(bad("empty"));
    }
    if v.len() > MAX_TEXT_LEN {
        return Err(bad("too long"));
    }
    if v.chars().any(char::is_control) {
        return Err(bad("control character"));
    }
    Ok(())
}

fn check_id(entry: usize, field: &'static str, v: &str) -> Result<(), DirectoryError> {
    let bad = |why| DirectoryError::BadField { entry, field, why };
    if v.is_empty() || v.len() > 64 {
        return Err(bad("want 1 to 64 characters"));
    }
    if !v
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err(bad("want lower-case letters, digits, '-', '.', '_'"));
    }
    Ok(())
}

fn check_key(entry: usize, kind: KeyKind, key: &str) -> Result<(), DirectoryError> {
    let bad = |why| DirectoryError::BadKey {
        entry,
        kind,
        key: key.to_string(),
        why,
    };
    if key.is_empty() {
        return Err(bad("empty"));
    }
    if key.len() > MAX_KEY_LEN {
        return Err(bad("too long"));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad("want printable ASCII without spaces"));
    }
    match kind {
        KeyKind::Guid | KeyKind::GuidPrefix if key.len() > 32 => {
            Err(bad("a GUID has at most 32 characters"))
        }
        KeyKind::Primitive => {
            let n = key.parse::<u8>().ok().filter(|_| key.len() == 2);
            match n {
                Some(2..=25) => Ok(()),
                _ => Err(bad("want a two-digit ID 02 to 25")),
            }
        }
        KeyKind::CpmAid => {
            if key.len() % 2 != 0 || key.len() > 32 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
                Err(bad("want 1 to 16 bytes in hex"))
            } else {
                Ok(())
            }
        }
        KeyKind::Url => {
            let scheme_ok = key.split_once(':').is_some_and(|(s, _)| {
                s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            });
            if scheme_ok {
                Ok(())
            } else {
                Err(bad("want a URL prefix starting with its scheme"))
            }
        }
        KeyKind::Paycode => {
            if key.len() > 24 || !key.bytes().all(|b| b.is_ascii_digit()) {
                Err(bad("want 1 to 24 digits"))
            } else {
                Ok(())
            }
        }
        KeyKind::Profile => Err(bad("a profile entry has no keys")),
        _ => Ok(()),
    }
}

/// Builds a [`Directory`] entry by entry, checking each; nothing is usable until
/// [`DirectoryBuilder::build`] succeeds.
#[derive(Clone, Debug)]
pub struct DirectoryBuilder {
    dir: Directory,
    /// Per key: the input entry index it came from.
    origin: Vec<usize>,
    entries_seen: usize,
    /// Temporary trie: first child and next sibling per node, in byte order.
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    byte: Vec<u8>,
    slots: Vec<(u32, u32)>,
}

impl DirectoryBuilder {
    /// An empty directory of `version` in force from `effective`.
    pub fn new(version: &str, effective: Date) -> Result<DirectoryBuilder, DirectoryError> {
        if version.is_empty() || version.len() > 64 || version.chars().any(char::is_control) {
            return Err(DirectoryError::Version);
        }
        Ok(DirectoryBuilder {
            dir: Directory {
                version: version.to_string(),
                effective,
                networks: Vec::new(),
                entries: Vec::new(),
                nodes: Vec::new(),
                edge_bytes: Vec::new(),
                edge_child: Vec::new(),
                labels: Vec::new(),
            },
            origin: Vec::new(),
            entries_seen: 0,
            first_child: alloc::vec![NONE],
            next_sibling: alloc::vec![NONE],
            byte: alloc::vec![0],
            slots: alloc::vec![(NONE, NONE)],
        })
    }

    /// Checks `e` and adds its keys. On error the builder is unchanged.
    pub fn add(&mut self, e: &EntrySpec<'_>) -> Result<(), DirectoryError> {
        let idx = self.entries_seen;
        self.add_at(idx, e, false)?;
        self.entries_seen += 1;
        Ok(())
    }

    fn check(&self, idx: usize, e: &EntrySpec<'_>) -> Result<(), DirectoryError> {
        check_id(idx, "network", e.network)?;
        check_id(idx, "clearing", e.clearing)?;
        check_text(idx, "source", e.source)?;
        let field = |field, why| DirectoryError::BadField {
            entry: idx,
            field,
            why,
        };
        for c in e.countries {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(field(
                    "countries",
                    "want ISO 3166-1 alpha-2 codes (upper case)",
                ));
            }
        }
        for c in e.currencies {
            if c.len() != 3
                || !c.bytes().all(|b| b.is_ascii_uppercase())
                || crate::currency::by_alpha(c).is_none()
            {
                return Err(field("currencies", "want ISO 4217 alphabetic codes"));
            }
        }
        if e.countries.len() > 300 || e.currencies.len() > 300 {
            return Err(field("countries", "too many"));
        }
        match (e.kind, e.lengths) {
            (KeyKind::Paycode, Some((min, max))) => {
                if min == 0 || min > max || max > 64 {
                    return Err(field(
                        "lengths",
                        "want [min, max] with 1 <= min <= max <= 64",
                    ));
                }
                if e.keys.iter().any(|k| k.len() > usize::from(min)) {
                    return Err(field(
                        "lengths",
                        "a prefix is longer than the shortest code",
                    ));
                }
            }
            (KeyKind::Paycode, None) => return Err(field("lengths", "a paycode entry needs it")),
            (_, Some(_)) => return Err(field("lengths", "only paycode entries have it")),
            (_, None) => {}
        }
        if e.kind == KeyKind::Profile {
            if let Some(k) = e.keys.first() {
                return Err(DirectoryError::BadKey {
                    entry: idx,
                    kind: e.kind,
                    key: k.to_string(),
                    why: "a profile entry has no keys",
                });
            }
        } else if e.keys.is_empty() {
            return Err(field("keys", "empty"));
        }
        for k in e.keys {
            check_key(idx, e.kind, k)?;
        }
        if self.dir.entries.len() + e.keys.len().max(1) > MAX_KEYS {
            return Err(DirectoryError::TooLarge);
        }
        Ok(())
    }

    /// Adds `e` as input entry `idx`. With `skip_taken`, keys already present are skipped
    /// silently (used by [`Merge::Override`]).
    fn add_at(
        &mut self,
        idx: usize,
        e: &EntrySpec<'_>,
        skip_taken: bool,
    ) -> Result<(), DirectoryError> {
        self.check(idx, e)?;
        // Find every key's slot first so that an error leaves the builder unchanged.
        let profile_key = [e.scheme.as_str()];
        let keys: &[&str] = if e.kind == KeyKind::Profile {
            &profile_key
        } else {
            e.keys
        };
        let (space, _) = e.kind.space();
        for (i, k) in keys.iter().enumerate() {
            if let Some(taken) = self.taken(e.kind, space, k) {
                if skip_taken {
                    continue;
                }
                let first = self.origin.get(taken as usize).copied().unwrap_or(0);
                let other = self.scheme_of(taken);
                return Err(if other == Some(e.scheme) {
                    DirectoryError::Duplicate {
                        entry: idx,
                        kind: e.kind,
                        key: k.to_string(),
                        first,
                    }
                } else {
                    DirectoryError::Conflict {
                        entry: idx,
                        kind: e.kind,
                        key: k.to_string(),
                        scheme: e.scheme,
                        first,
                        other: other.unwrap_or(e.scheme),
                    }
                });
            }
            // The same key twice in one entry.
            if keys.iter().take(i).any(|p| p.eq_ignore_ascii_case(k)) {
                if skip_taken {
                    continue;
                }
                return Err(DirectoryError::Duplicate {
                    entry: idx,
                    kind: e.kind,
                    key: k.to_string(),
                    first: idx,
                });
            }
        }
        let net = self.dir.networks.len() as u32;
        let mut used = false;
        for (i, k) in keys.iter().enumerate() {
            if self.taken(e.kind, space, k).is_some()
                || keys.iter().take(i).any(|p| p.eq_ignore_ascii_case(k))
            {
                continue;
            }
            used = true;
            let entry_no = self.dir.entries.len() as u32;
            self.dir.entries.push(Entry {
                kind: e.kind,
                key: k.to_string(),
                lengths: e.lengths,
                network: net,
            });
            self.origin.push(idx);
            let node = self.insert_path(space, k);
            if let Some(slot) = self.slots.get_mut(node as usize) {
                if e.kind.space().1 {
                    slot.1 = entry_no;
                } else {
                    slot.0 = entry_no;
                }
            }
        }
        if used {
            self.dir.networks.push(Network {
                scheme: e.scheme,
                network: e.network.to_string(),
                countries: e.countries.iter().map(|s| s.to_string()).collect(),
                currencies: e.currencies.iter().map(|s| s.to_string()).collect(),
                clearing: e.clearing.to_string(),
                source: e.source.to_string(),
            });
        }
        Ok(())
    }

    fn scheme_of(&self, entry: u32) -> Option<SchemeId> {
        let e = self.dir.entries.get(entry as usize)?;
        self.dir.networks.get(e.network as usize).map(|n| n.scheme)
    }

    fn child(&self, node: u32, b: u8) -> Option<u32> {
        let mut c = *self.first_child.get(node as usize)?;
        while c != NONE {
            let cb = *self.byte.get(c as usize)?;
            if cb == b {
                return Some(c);
            }
            if cb > b {
                return None;
            }
            c = *self.next_sibling.get(c as usize)?;
        }
        None
    }

    /// The entry already holding key `k` of `kind`, if any.
    fn taken(&self, kind: KeyKind, space: u8, k: &str) -> Option<u32> {
        let mut node = self.child(0, space)?;
        for b in k.bytes() {
            node = self.child(node, b.to_ascii_lowercase())?;
        }
        let (exact, prefix) = *self.slots.get(node as usize)?;
        let v = if kind.space().1 { prefix } else { exact };
        (v != NONE).then_some(v)
    }

    fn insert_path(&mut self, space: u8, k: &str) -> u32 {
        let mut node = self.insert_child(0, space);
        for b in k.bytes() {
            node = self.insert_child(node, b.to_ascii_lowercase());
        }
        node
    }

    fn insert_child(&mut self, node: u32, b: u8) -> u32 {
        let new = self.byte.len() as u32;
        let mut prev = NONE;
        let mut c = self.first_child.get(node as usize).copied().unwrap_or(NONE);
        while c != NONE {
            let cb = self.byte.get(c as usize).copied().unwrap_or(0);
            if cb == b {
                return c;
            }
            if cb > b {
                break;
            }
            prev = c;
            c = self.next_sibling.get(c as usize).copied().unwrap_or(NONE);
        }
        self.byte.push(b);
        self.first_child.push(NONE);
        self.next_sibling.push(c);
        self.slots.push((NONE, NONE));
        let link = if prev == NONE {
            self.first_child.get_mut(node as usize)
        } else {
            self.next_sibling.get_mut(prev as usize)
        };
        if let Some(l) = link {
            *l = new;
        }
        new
    }

    /// The compiled directory.
    pub fn build(self) -> Directory {
        let mut dir = self.dir;
        let n = self.byte.len();
        let get = |v: &Vec<u32>, i: u32| v.get(i as usize).copied().unwrap_or(NONE);
        let slots = |i: u32| self.slots.get(i as usize).copied().unwrap_or((NONE, NONE));
        let mut nodes: Vec<Node> = Vec::with_capacity(n);
        let mut edge_bytes = Vec::with_capacity(n);
        let mut edge_child = Vec::with_capacity(n);
        let mut labels = Vec::new();
        // Breadth first: (temporary node, its index in `nodes`).
        let (exact, prefix) = slots(0);
        nodes.push(Node {
            edges: 0,
            n_edges: 0,
            label: 0,
            label_len: 0,
            exact,
            prefix,
        });
        let mut queue = alloc::collections::VecDeque::new();
        queue.push_back((0u32, 0u32));
        while let Some((t, at)) = queue.pop_front() {
            let start = edge_bytes.len() as u32;
            let mut c = get(&self.first_child, t);
            while c != NONE {
                edge_bytes.push(self.byte.get(c as usize).copied().unwrap_or(0));
                // Follow the chain of single children without entries.
                let label = labels.len() as u32;
                let mut end = c;
                loop {
                    let only = get(&self.first_child, end);
                    let single = only != NONE && get(&self.next_sibling, only) == NONE;
                    if !single || slots(end) != (NONE, NONE) {
                        break;
                    }
                    labels.push(self.byte.get(only as usize).copied().unwrap_or(0));
                    end = only;
                }
                let (exact, prefix) = slots(end);
                let idx = nodes.len() as u32;
                nodes.push(Node {
                    edges: 0,
                    n_edges: 0,
                    label,
                    label_len: labels.len() as u32 - label,
                    exact,
                    prefix,
                });
                edge_child.push(idx);
                queue.push_back((end, idx));
                c = get(&self.next_sibling, c);
            }
            if let Some(node) = nodes.get_mut(at as usize) {
                node.edges = start;
                node.n_edges = edge_bytes.len() as u32 - start;
            }
        }
        dir.nodes = nodes;
        dir.edge_bytes = edge_bytes;
        dir.edge_child = edge_child;
        dir.labels = labels;
        dir
    }
}

impl Directory {
    /// The directory compiled into qrpay (`spec/routing/directory.json`).
    pub fn builtin() -> Directory {
        let effective = parse_date(super::table::EFFECTIVE).unwrap_or(Date {
            year: 2026,
            month: 1,
            day: 1,
        });
        let mut b = match DirectoryBuilder::new(super::table::VERSION, effective) {
            Ok(b) => b,
            Err(_) => return Directory::empty(),
        };
        for e in super::table::ENTRIES {
            // The table is checked by the tests; a bad entry is left out rather than panic.
            let _ = b.add(e);
        }
        b.build()
    }

    /// A directory with no entries.
    pub fn empty() -> Directory {
        Directory {
            version: String::from("empty"),
            effective: Date {
                year: 1970,
                month: 1,
                day: 1,
            },
            networks: Vec::new(),
            entries: Vec::new(),
            nodes: alloc::vec![Node {
                edges: 0,
                n_edges: 0,
                label: 0,
                label_len: 0,
                exact: NONE,
                prefix: NONE,
            }],
            edge_bytes: Vec::new(),
            edge_child: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// The directory's version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The date the directory is in force from.
    pub fn effective(&self) -> Date {
        self.effective
    }

    /// Every key, in the order added.
    pub fn entries(&self) -> impl Iterator<Item = Hit<'_>> + '_ {
        self.entries.iter().filter_map(|e| self.hit(e))
    }

    /// How many keys the directory holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the directory holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn hit<'d>(&'d self, e: &'d Entry) -> Option<Hit<'d>> {
        Some(Hit {
            entry: e,
            network: self.networks.get(e.network as usize)?,
        })
    }

    fn hit_at(&self, i: u32) -> Option<Hit<'_>> {
        self.hit(self.entries.get(i as usize)?)
    }

    #[inline]
    fn child(&self, node: &Node, b: u8) -> Option<u32> {
        let start = node.edges as usize;
        let bytes = self.edge_bytes.get(start..start + node.n_edges as usize)?;
        let i = if bytes.len() <= 12 {
            bytes.iter().position(|&x| x == b)?
        } else {
            bytes.binary_search(&b).ok()?
        };
        self.edge_child.get(start + i).copied()
    }

    /// Follows the edge for `b` out of `node`, then that child's label against the start of
    /// `tail`: the child and what is left of `tail`.
    #[inline]
    fn step<'q>(&self, node: &Node, b: u8, tail: &'q [u8]) -> Option<(&Node, &'q [u8])> {
        let next = self.nodes.get(self.child(node, b)? as usize)?;
        let start = next.label as usize;
        let label = self.labels.get(start..start + next.label_len as usize)?;
        let head = tail.get(..label.len())?;
        if !head
            .iter()
            .zip(label)
            .all(|(q, l)| q.to_ascii_lowercase() == *l)
        {
            return None;
        }
        Some((next, tail.get(label.len()..).unwrap_or_default()))
    }

    /// Walks `key` in `space`: the deepest prefix entry accepted by `fits`, or the exact
    /// entry when the whole key is a key.
    #[inline]
    fn find(&self, space: u8, key: &[u8], fits: impl Fn(u32) -> bool) -> Option<u32> {
        let root = self.nodes.first()?;
        let (mut node, mut rest) = self.step(root, space, key)?;
        let mut best = NONE;
        loop {
            if node.prefix != NONE && fits(node.prefix) {
                best = node.prefix;
            }
            if rest.is_empty() && node.exact != NONE {
                return Some(node.exact);
            }
            let [b, tail @ ..] = rest else { break };
            match self.step(node, b.to_ascii_lowercase(), tail) {
                Some((n, r)) => (node, rest) = (n, r),
                None => break,
            }
        }
        (best != NONE).then_some(best)
    }

    /// The network of a template GUID: an exact GUID entry, else the longest GUID prefix.
    /// Case-insensitive.
    pub fn lookup_guid(&self, guid: &str) -> Option<Hit<'_>> {
        self.hit_at(self.find(b'g', guid.as_bytes(), |_| true)?)
    }

    /// The network of primitive merchant account `id` (02–25).
    pub fn lookup_primitive(&self, id: u8) -> Option<Hit<'_>> {
        if !(2..=25).contains(&id) {
            return None;
        }
        let key = [b'0' + id / 10, b'0' + id % 10];
        self.hit_at(self.find(b'm', &key, |_| false)?)
    }

    /// The network of a consumer-presented code's AID (hex, any case): the longest prefix.
    pub fn lookup_cpm_aid(&self, aid_hex: &str) -> Option<Hit<'_>> {
        self.hit_at(self.find(b'c', aid_hex.as_bytes(), |_| true)?)
    }

    /// The network of a URL: the longest prefix, without regard to case.
    pub fn lookup_url(&self, url: &str) -> Option<Hit<'_>> {
        self.hit_at(self.find(b'u', url.as_bytes(), |_| true)?)
    }

    /// The network of a numeric payment code: the longest prefix whose lengths admit the
    /// code's length. `None` for anything but 1–64 ASCII digits.
    pub fn lookup_paycode(&self, code: &str) -> Option<Hit<'_>> {
        let n = code.len();
        if n == 0 || n > 64 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let fits = |i: u32| {
            self.entries
                .get(i as usize)
                .and_then(|e| e.lengths)
                .is_some_and(|(min, max)| (usize::from(min)..=usize::from(max)).contains(&n))
        };
        self.hit_at(self.find(b'n', code.as_bytes(), fits)?)
    }

    /// The network of a scheme recognised by content ([`KeyKind::Profile`] entries).
    pub fn lookup_profile(&self, scheme: SchemeId) -> Option<Hit<'_>> {
        self.hit_at(self.find(b'p', scheme.as_str().as_bytes(), |_| false)?)
    }

    /// This directory's entries as specs, grouped back by network.
    fn specs(&self) -> Vec<(Vec<&str>, &Entry, &Network)> {
        let mut out: Vec<(Vec<&str>, &Entry, &Network)> = Vec::new();
        let mut last = NONE;
        for e in &self.entries {
            let Some(n) = self.networks.get(e.network as usize) else {
                continue;
            };
            match out.last_mut() {
                Some((keys, _, _)) if last == e.network => {
                    if e.kind != KeyKind::Profile {
                        keys.push(&e.key);
                    }
                }
                _ => {
                    let keys = if e.kind == KeyKind::Profile {
                        Vec::new()
                    } else {
                        alloc::vec![e.key.as_str()]
                    };
                    out.push((keys, e, n));
                }
            }
            last = e.network;
        }
        out
    }

    /// A new directory holding the entries of `self` and of `overlay` (whose version and
    /// effective date it takes). With [`Merge::Strict`] a key both hold is an error; with
    /// [`Merge::Override`] the overlay's entry wins. `self` is left as it was either way.
    /// Entry indices in errors count the base's entries first, then the overlay's.
    pub fn merge(&self, overlay: &Directory, how: Merge) -> Result<Directory, DirectoryError> {
        let mut b = DirectoryBuilder::new(&overlay.version, overlay.effective)?;
        let base = self.specs();
        let over = overlay.specs();
        let add = |b: &mut DirectoryBuilder,
                   idx: usize,
                   (keys, e, n): &(Vec<&str>, &Entry, &Network),
                   skip: bool| {
            let countries: Vec<&str> = n.countries.iter().map(String::as_str).collect();
            let currencies: Vec<&str> = n.currencies.iter().map(String::as_str).collect();
            let spec = EntrySpec {
                kind: e.kind,
                keys,
                lengths: e.lengths,
                scheme: n.scheme,
                network: &n.network,
                countries: &countries,
                currencies: &currencies,
                clearing: &n.clearing,
                source: &n.source,
            };
            b.add_at(idx, &spec, skip)
        };
        match how {
            Merge::Strict => {
                for (i, s) in base.iter().chain(over.iter()).enumerate() {
                    add(&mut b, i, s, false)?;
                }
            }
            Merge::Override => {
                for (i, s) in over.iter().enumerate() {
                    add(&mut b, base.len() + i, s, false)?;
                }
                for (i, s) in base.iter().enumerate() {
                    add(&mut b, i, s, true)?;
                }
            }
        }
        Ok(b.build())
    }
}

impl Default for Directory {
    fn default() -> Directory {
        Directory::builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec<'a>(kind: KeyKind, keys: &'a [&'a str], scheme: SchemeId) -> EntrySpec<'a> {
        EntrySpec {
            kind,
            keys,
            lengths: (kind == KeyKind::Paycode).then_some((18, 18)),
            scheme,
            network: "n",
            countries: &[],
            currencies: &[],
            clearing: "c",
            source: "test",
        }
    }

    fn date() -> Date {
        Date::new(2026, 1, 1).unwrap()
    }

    #[test]
    fn builtin_loads_every_table_entry() {
        let mut b = DirectoryBuilder::new(super::super::table::VERSION, date()).unwrap();
        for e in super::super::table::ENTRIES {
            b.add(e).unwrap();
        }
        assert_eq!(Directory::builtin().len(), b.build().len());
        assert_eq!(
            parse_date(super::super::table::EFFECTIVE),
            Date::new(2026, 11, 26)
        );
    }

    #[test]
    fn longest_prefix_and_exact_win() {
        let mut b = DirectoryBuilder::new("t", date()).unwrap();
        b.add(&spec(KeyKind::GuidPrefix, &["A0000006"], SchemeId::Qpay))
            .unwrap();
        b.add(&spec(
            KeyKind::GuidPrefix,
            &["A000000677"],
            SchemeId::Promptpay,
        ))
        .unwrap();
        b.add(&spec(
            KeyKind::Guid,
            &["A000000677010112"],
            SchemeId::ThaiqrBill,
        ))
        .unwrap();
        let d = b.build();
        let s = |g: &str| d.lookup_guid(g).map(|h| h.network.scheme);
        assert_eq!(s("a000000677010111"), Some(SchemeId::Promptpay));
        assert_eq!(s("A000000677010112"), Some(SchemeId::ThaiqrBill));
        assert_eq!(s("A0000006770101120"), Some(SchemeId::Promptpay));
        assert_eq!(s("A000000699"), Some(SchemeId::Qpay));
        assert_eq!(s("A00000069"), Some(SchemeId::Qpay));
        assert_eq!(s("A000000"), None);
        assert_eq!(s(""), None);
    }

    #[test]
    fn duplicates_and_conflicts_are_typed_and_leave_nothing() {
        let mut b = DirectoryBuilder::new("t", date()).unwrap();
        b.add(&spec(KeyKind::Guid, &["x.y"], SchemeId::Pix))
            .unwrap();
        let before = b.clone().build();
        assert!(matches!(
            b.add(&spec(KeyKind::Guid, &["a.b", "X.Y"], SchemeId::Pix)),
            Err(DirectoryError::Duplicate {
                entry: 1,
                first: 0,
                ..
            })
        ));
        assert!(matches!(
            b.add(&spec(KeyKind::Guid, &["X.y"], SchemeId::Fps)),
            Err(DirectoryError::Conflict {
                other: SchemeId::Pix,
                ..
            })
        ));
        assert!(matches!(
            b.add(&spec(KeyKind::Guid, &["q", "q"], SchemeId::Fps)),
            Err(DirectoryError::Duplicate { .. })
        ));
        // A prefix and an exact key of the same text do not clash.
        assert_eq!(b.clone().build(), before);
        b.add(&spec(KeyKind::GuidPrefix, &["x.y"], SchemeId::Fps))
            .unwrap();
    }

    #[test]
    fn bad_fields() {
        let mut b = DirectoryBuilder::new("t", date()).unwrap();
        let bad = [
            spec(KeyKind::Primitive, &["1"], SchemeId::Visa),
            spec(KeyKind::Primitive, &["26"], SchemeId::Visa),
            spec(KeyKind::CpmAid, &["A0G0"], SchemeId::Visa),
            spec(KeyKind::CpmAid, &["A00"], SchemeId::Visa),
            spec(KeyKind::Url, &["//x"], SchemeId::Visa),
            spec(KeyKind::Paycode, &["1a"], SchemeId::Visa),
            spec(KeyKind::Guid, &["has space"], SchemeId::Visa),
            spec(KeyKind::Guid, &[], SchemeId::Visa),
            spec(KeyKind::Profile, &["khqr"], SchemeId::Khqr),
            EntrySpec {
                countries: &["br"],
                ..spec(KeyKind::Guid, &["a"], SchemeId::Pix)
            },
            EntrySpec {
                currencies: &["XYZ"],
                ..spec(KeyKind::Guid, &["a"], SchemeId::Pix)
            },
            EntrySpec {
                lengths: Some((20, 18)),
                ..spec(KeyKind::Paycode, &["10"], SchemeId::Wechatpay)
            },
            EntrySpec {
                lengths: None,
                ..spec(KeyKind::Paycode, &["10"], SchemeId::Wechatpay)
            },
            EntrySpec {
                lengths: Some((1, 2)),
                ..spec(KeyKind::Guid, &["a"], SchemeId::Pix)
            },
            EntrySpec {
                network: "Bad Net",
                ..spec(KeyKind::Guid, &["a"], SchemeId::Pix)
            },
        ];
        for e in &bad {
            assert!(b.add(e).is_err(), "{e:?}");
        }
        assert!(b.build().is_empty());
    }

    #[test]
    fn paycode_lengths_pick_the_rule() {
        let mut b = DirectoryBuilder::new("t", date()).unwrap();
        b.add(&EntrySpec {
            lengths: Some((16, 24)),
            ..spec(KeyKind::Paycode, &["6"], SchemeId::Alipay)
        })
        .unwrap();
        b.add(&EntrySpec {
            lengths: Some((19, 19)),
            ..spec(KeyKind::Paycode, &["62"], SchemeId::Unionpay)
        })
        .unwrap();
        let d = b.build();
        let s = |c: &str| d.lookup_paycode(c).map(|h| h.network.scheme);
        assert_eq!(s("6212345678901234567"), Some(SchemeId::Unionpay));
        assert_eq!(s("621234567890123456"), Some(SchemeId::Alipay));
        assert_eq!(s("62123456789012345678901234"), None);
        assert_eq!(s("62x2345678901234567"), None);
    }

    #[test]
    fn merge_strict_and_override() {
        let mut b = DirectoryBuilder::new("base", date()).unwrap();
        b.add(&spec(KeyKind::Guid, &["a", "b"], SchemeId::Pix))
            .unwrap();
        let base = b.build();
        let mut o = DirectoryBuilder::new("over", date()).unwrap();
        o.add(&spec(KeyKind::Guid, &["B", "c"], SchemeId::Fps))
            .unwrap();
        let over = o.build();
        assert!(matches!(
            base.merge(&over, Merge::Strict),
            Err(DirectoryError::Conflict { .. })
        ));
        let m = base.merge(&over, Merge::Override).unwrap();
        assert_eq!(m.version(), "over");
        assert_eq!(m.len(), 3);
        assert_eq!(m.lookup_guid("a").unwrap().network.scheme, SchemeId::Pix);
        assert_eq!(m.lookup_guid("b").unwrap().network.scheme, SchemeId::Fps);
        assert_eq!(m.lookup_guid("c").unwrap().network.scheme, SchemeId::Fps);
        // The base is untouched.
        assert_eq!(base.lookup_guid("b").unwrap().network.scheme, SchemeId::Pix);
    }
}
