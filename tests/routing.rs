//! Routing: the directory against the spec file and the scheme tables, route selection on real
//! corpus codes, the interoperability matrix, and bad directory files.

use proptest::prelude::*;
use qrpay::decode;
use qrpay::routing::{
    self, Directory, DirectoryError, KeyKind, Merge, Profile, Reason, Router, Status,
};
use qrpay::schemes::{self, SchemeId};
use serde_json::Value;

const DIRECTORY: &str = include_str!("../spec/routing/directory.json");

fn corpus() -> Vec<Value> {
    include_str!("../spec/corpus/payloads.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn row(scheme_label: &str) -> Vec<String> {
    corpus()
        .into_iter()
        .filter(|r| r["scheme"].as_str().unwrap_or("").starts_with(scheme_label))
        .map(|r| r["payload"].as_str().unwrap().to_owned())
        .collect()
}

fn labels(r: &Value) -> Vec<SchemeId> {
    r["scheme_ids"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap().parse().unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn builtin_is_the_spec_file() {
    let file = Directory::from_json(DIRECTORY.as_bytes()).unwrap();
    assert_eq!(
        file,
        Directory::builtin(),
        "run spec/tools/routing_table.py"
    );
    let v: Value = serde_json::from_str(DIRECTORY).unwrap();
    assert_eq!(v["format"], routing::FORMAT);
    assert_eq!(file.version(), v["version"].as_str().unwrap());
}

#[test]
fn every_scheme_id_has_a_network() {
    let d = Directory::builtin();
    for id in SchemeId::ALL {
        assert!(
            d.entries().any(|h| h.network.scheme == *id),
            "{id} has no directory entry"
        );
    }
    for h in d.entries() {
        assert!(!h.network.clearing.is_empty() && !h.network.source.is_empty());
    }
}

/// The directory agrees with the identifier tables of `qrpay::schemes` and
/// `qrpay::formats::paycode` (written separately, from the dossier).
#[test]
fn directory_agrees_with_the_scheme_tables() {
    use schemes::*;
    let d = Directory::builtin();
    let mut guids: Vec<&str> = vec![
        singapore::PAYNOW_GUID,
        singapore::SGQR_GUID,
        singapore::NETS_GUID,
        hongkong::GUID,
        nepal::FONEPAY_GUID,
        kenya::GUID,
        bceao::GUID,
        japan::GUID,
        china::WECHAT_GUID,
        philippines::P2P_GUID,
        "ph.ppmi.p2m",
        "ph.ppmi.qrph",
        "COM.ALIPAY.OPENAPI",
        thai::CREDIT_TRANSFER_AID,
        duitnow::GUID,
        vietnam::VIETQR_RID,
        vietnam::VNPAY_RID,
        india::UPI_RID,
        mongolia::QPAY_AID,
        laos::LAPNET_AID,
        unionpay::RID,
        "D15600000000",
    ];
    guids.extend(pix::GUIDS);
    guids.extend(qris::NATIONAL_GUIDS);
    guids.extend(thai::BILL_AIDS);
    guids.extend(cards::RIDS.iter().map(|(r, _)| *r));
    for g in guids {
        let want = schemes_of_guid(g);
        let got = d
            .lookup_guid(g)
            .unwrap_or_else(|| panic!("{g} not in the directory"))
            .network
            .scheme;
        assert!(want.contains(got), "{g}: directory {got}, schemes {want:?}");
        let upper = g.to_ascii_uppercase();
        assert_eq!(d.lookup_guid(&upper).unwrap().network.scheme, got);
    }
    for id in 2u8..=25 {
        let want = schemes_of_primitive(id);
        let got = d.lookup_primitive(id).map(|h| h.network.scheme);
        match got {
            Some(s) if !want.is_empty() => assert!(want.contains(s), "{id:02}"),
            Some(s) => assert_eq!(s, SchemeId::Rupay, "{id:02}: only Bharat QR's 06-08"),
            None => assert!(want.is_empty(), "{id:02}"),
        }
    }
    for rule in qrpay::formats::paycode::RULES {
        for p in rule.prefixes.0..=rule.prefixes.1 {
            for len in rule.lengths.0..=rule.lengths.1 {
                let code = format!("{p:02}{}", "7".repeat(usize::from(len) - 2));
                let hit = d.lookup_paycode(&code).unwrap();
                assert_eq!(hit.network.scheme.as_str(), rule.wallet, "{code}");
            }
            let short = format!("{p:02}{}", "7".repeat(usize::from(rule.lengths.0) - 3));
            assert!(d.lookup_paycode(&short).is_none(), "{short}");
        }
    }
    for aid in japan::CPM_AIDS {
        assert_eq!(
            d.lookup_cpm_aid(aid).unwrap().network.scheme,
            SchemeId::Jpqr
        );
    }
    assert_eq!(
        d.lookup_cpm_aid("a000000333010101").unwrap().network.scheme,
        SchemeId::Unionpay
    );
}

fn route(payload: &str, p: &Profile) -> routing::Decision {
    Router::builtin().route(&decode(payload), p)
}

#[test]
fn bharat_qr_routes_to_upi_or_visa() {
    let codes = row("IN Bharat QR");
    assert_eq!(codes.len(), 2);
    for c in &codes {
        let upi = route(c, &Profile::wallet("upi", &[SchemeId::Upi]));
        assert_eq!(upi.chosen, Some(SchemeId::Upi), "{upi:?}");
        assert_eq!(upi.reason, Reason::OnlyAccepted);
        assert_eq!(upi.candidates[0].clearing, "npci");
        assert_eq!(upi.candidates[0].identifier, "A000000524");
        let visa = route(c, &Profile::wallet("visa", &[SchemeId::Visa]));
        assert_eq!(visa.chosen, Some(SchemeId::Visa));
        assert_eq!(visa.candidates[0].path, "02");
        // Both: the profile's order decides.
        let both = route(c, &Profile::wallet("w", &[SchemeId::Visa, SchemeId::Upi]));
        assert_eq!(both.chosen, Some(SchemeId::Visa));
        assert_eq!(both.reason, Reason::HighestPriority);
        assert_eq!(both.candidates[1].scheme, SchemeId::Upi);
        let both = route(c, &Profile::wallet("w", &[SchemeId::Upi, SchemeId::Visa]));
        assert_eq!(both.chosen, Some(SchemeId::Upi));
        // Every network of a Bharat QR code is a candidate.
        let all: Vec<SchemeId> = upi.candidates.iter().map(|c| c.scheme).collect();
        for s in [
            SchemeId::Upi,
            SchemeId::Visa,
            SchemeId::Mastercard,
            SchemeId::Rupay,
            SchemeId::Bharatqr,
        ] {
            assert!(all.contains(&s), "{s} missing from {all:?}");
        }
    }
}

#[test]
fn hk_fps_with_unionpay() {
    let c = &row("HK FPS + UnionPay")[0];
    let up = route(c, &Profile::wallet("unionpay-app", &[SchemeId::Unionpay]));
    assert_eq!(up.chosen, Some(SchemeId::Unionpay));
    assert_eq!(up.candidates[0].path, "15");
    assert_eq!(up.candidates[0].clearing, "cups");
    assert_eq!(up.candidates[1].scheme, SchemeId::Fps);
    assert_eq!(up.candidates[1].status, Status::NotAccepted);
    let fps = route(
        c,
        &Profile::wallet("hk", &[SchemeId::Fps, SchemeId::Unionpay]),
    );
    assert_eq!(fps.chosen, Some(SchemeId::Fps));
    assert_eq!(fps.candidates[0].clearing, "hkicl");
    // Limits: an FPS wallet for CNY codes only, or for Singapore only.
    let cny = route(
        c,
        &Profile::wallet("hk", &[SchemeId::Fps]).in_currencies(&["CNY"]),
    );
    assert_eq!((cny.chosen, cny.reason), (None, Reason::CurrencyMismatch));
    let sg = route(
        c,
        &Profile::wallet("sg", &[SchemeId::Fps]).in_countries(&["SG"]),
    );
    assert_eq!((sg.chosen, sg.reason), (None, Reason::CountryMismatch));
}

#[test]
fn no_accepted_network_says_why() {
    let c = &row("HK FPS + UnionPay")[0];
    let d = route(c, &Profile::wallet("pix-app", &[SchemeId::Pix]));
    assert_eq!(d.chosen, None);
    assert_eq!(d.reason, Reason::NoAcceptedNetwork);
    assert!(d.candidates.iter().all(|c| c.status == Status::NotAccepted));
    let j = routing::decision_to_value(&d);
    assert_eq!(j["chosen"], Value::Null);
    assert_eq!(j["reason"], "no-accepted-network");
    assert_eq!(j["candidates"][0]["scheme"], "unionpay");
    assert_eq!(j["candidates"][0]["network"], "unionpay");
    assert_eq!(j["candidates"][0]["clearing"], "cups");
    // A Pix code in a Pix app, and a Pix code in dollars.
    let pix = &row("BR Pix (BR Code)")[0];
    let ok = route(pix, &routing::example_profile("pix-app").unwrap());
    assert_eq!(ok.chosen, Some(SchemeId::Pix));
    assert_eq!(ok.candidates[0].clearing, "pix-spi");
}

#[test]
fn expiry_uses_the_callers_clock() {
    // PayNow with 26/04 expiry 20301231 (Singapore time, UTC+8): it ends at
    // 2030-12-31T16:00:00Z = 1924963200000 ms (Python datetime).
    let c = &row("SG PayNow (mobile proxy)")[0];
    let p = Profile::wallet("paynow", &[SchemeId::Paynow]);
    assert_eq!(route(c, &p).chosen, Some(SchemeId::Paynow));
    let before = route(c, &p.clone().at(1_924_963_199_000));
    assert_eq!(before.chosen, Some(SchemeId::Paynow));
    let after = route(c, &p.at(1_924_963_200_000));
    assert_eq!((after.chosen, after.reason), (None, Reason::Expired));
    assert_eq!(after.candidates[0].scheme, SchemeId::Paynow);
}

#[test]
fn acquirers_route_consumer_codes() {
    let cn = routing::example_profile("cn-acquirer").unwrap();
    let wechat = route("135112298638468293", &cn);
    assert_eq!(wechat.chosen, Some(SchemeId::Wechatpay));
    assert_eq!(wechat.candidates[0].matched, KeyKind::Paycode);
    assert_eq!(wechat.candidates[0].clearing, "netsunion");
    assert_eq!(
        route("289431869362714645", &cn).chosen,
        Some(SchemeId::Alipay)
    );
    // A wallet does not pay a consumer's code.
    let w = route(
        "135112298638468293",
        &Profile::wallet("w", &[SchemeId::Wechatpay]),
    );
    assert_eq!((w.chosen, w.reason), (None, Reason::WrongPresentment));
    // JPQR CPM (corpus): AID A000000065039202, longer than JCB's RID.
    let jp = &row("JP JPQR CPM")[0];
    let t = route(jp, &routing::example_profile("jp-terminal").unwrap());
    assert_eq!(t.chosen, Some(SchemeId::Jpqr));
    assert_eq!(t.candidates[0].identifier, "A000000065039202");
    let jcb_only = route(jp, &Profile::acquirer("jcb", &[SchemeId::Jcb]));
    assert_eq!(jcb_only.reason, Reason::NoAcceptedNetwork);
}

#[test]
fn other_forms() {
    // Deep link around an EMV code.
    let q = &row("MN QPay deep link")[0];
    assert_eq!(
        route(q, &Profile::wallet("mn", &[SchemeId::Qpay])).chosen,
        Some(SchemeId::Qpay)
    );
    for (p, s) in [
        (
            "HTTPS://QR.ALIPAY.COM/FKX074142EKXD0OIMV8B60",
            SchemeId::Alipay,
        ),
        (
            "wxp://f2f0mMaZS-xnKyAZaTyn813TQRZHTRKPzI6UWxldiWDYemRIq8Stt_LPfd1sLyV4v1jR",
            SchemeId::Wechatpay,
        ),
        (
            "https://qr.95516.com/00010000/62028489073949969691921655610979",
            SchemeId::Unionpay,
        ),
        (
            "upi://pay?pa=shop@okbank&pn=Shop&am=10.00&cu=INR",
            SchemeId::Upi,
        ),
    ] {
        let d = route(p, &Profile::wallet("w", &[s]));
        assert_eq!(d.chosen, Some(s), "{p}");
        assert_eq!(d.candidates[0].matched, KeyKind::Url);
    }
    let epc = corpus()
        .into_iter()
        .find(|r| r["kind"] == "epc-sct")
        .unwrap();
    let d = route(
        epc["payload"].as_str().unwrap(),
        &Profile::wallet("w", &[SchemeId::Pix]),
    );
    assert_eq!((d.chosen, d.reason), (None, Reason::NoNetwork));
    assert_eq!(
        route("hello", &Profile::wallet("w", &[SchemeId::Pix])).reason,
        Reason::UnknownCode
    );
    // A KHQR code: the scheme comes from content, not an identifier.
    let kh = &row("KH KHQR (Bakong)")[0];
    let d = route(kh, &Profile::wallet("kh", &[SchemeId::Khqr]));
    assert_eq!(d.chosen, Some(SchemeId::Khqr));
    assert_eq!(d.candidates[0].matched, KeyKind::Profile);
}

#[test]
fn broken_codes_are_not_paid() {
    let c = corpus();
    let bad = c
        .iter()
        .find(|r| r["verdict"] == "broken" && !labels(r).is_empty())
        .unwrap();
    let d = route(
        bad["payload"].as_str().unwrap(),
        &Profile::wallet("w", &labels(bad)),
    );
    assert_eq!((d.chosen, d.reason), (None, Reason::BrokenCode));
}

/// The interoperability matrix over the corpus: deterministic, a chosen network is always
/// one the profile takes, and every intact labelled code routes in a profile taking exactly
/// its labelled schemes (the labels are the corpus's, not qrpay's).
#[test]
fn interoperability_matrix() {
    let router = Router::builtin();
    let profiles = routing::example_profiles();
    assert!(profiles.len() >= 4);
    let mut routed = 0;
    for r in corpus() {
        let p = r["payload"].as_str().unwrap();
        let d = decode(p);
        for prof in &profiles {
            let a = router.route(&d, prof);
            assert_eq!(a, router.route(&decode(p), prof), "deterministic");
            if let Some(s) = a.chosen {
                assert!(prof.accept.iter().any(|x| x.scheme == s));
                assert_eq!(a.candidates[0].scheme, s);
                assert_eq!(a.candidates[0].status, Status::Accepted);
                routed += 1;
            }
        }
        let want = labels(&r);
        if want.is_empty() || r["verdict"] != "intact" {
            continue;
        }
        let consumer = matches!(r["kind"].as_str(), Some("emv-cpm" | "paycode"));
        let prof = if consumer {
            Profile::acquirer("labels", &want)
        } else {
            Profile::wallet("labels", &want)
        };
        let dec = router.route(&d, &prof);
        let chosen = dec.chosen.unwrap_or_else(|| panic!("{p}: {dec:?}"));
        assert!(want.contains(&chosen), "{p}");
        assert_eq!(chosen, want[0], "{p}: the first label is preferred");
    }
    assert!(routed > 20, "{routed}");
}

// ---- bad directory files ----

fn file(entries: &str) -> String {
    format!(
        r#"{{"format": "qrpay-routing/1", "version": "t", "effective": "2026-01-01", "entries": [{entries}]}}"#
    )
}

fn entry(kind: &str, keys: &str, scheme: &str) -> String {
    format!(
        r#"{{"kind": "{kind}", "keys": {keys}, "scheme": "{scheme}", "network": "n", "countries": [], "currencies": [], "clearing": "c", "source": "s"}}"#
    )
}

#[test]
fn bad_directories_give_typed_errors() {
    let good = entry("guid", r#"["a.b"]"#, "pix");
    type Case = (String, fn(&DirectoryError) -> bool);
    let cases: Vec<Case> = vec![
        ("".into(), |e| matches!(e, DirectoryError::Shape(_))),
        ("[]".into(), |e| matches!(e, DirectoryError::Shape(_))),
        (file(&good).replace("qrpay-routing/1", "v2"), |e| {
            matches!(e, DirectoryError::Format(_))
        }),
        (file(&good).replace("2026-01-01", "2026-02-30"), |e| {
            matches!(e, DirectoryError::Effective(_))
        }),
        (
            file(&good).replace(r#""version": "t""#, r#""version": """#),
            |e| matches!(e, DirectoryError::Version),
        ),
        (file(&entry("guid", r#"["x"]"#, "zelle")), |e| {
            matches!(e, DirectoryError::UnknownScheme { entry: 0, .. })
        }),
        (file(&entry("iban", r#"["x"]"#, "pix")), |e| {
            matches!(e, DirectoryError::UnknownKind { .. })
        }),
        (
            file(&format!("{good}, {}", entry("guid", r#"["A.B"]"#, "pix"))),
            |e| {
                matches!(
                    e,
                    DirectoryError::Duplicate {
                        entry: 1,
                        first: 0,
                        ..
                    }
                )
            },
        ),
        (
            file(&format!("{good}, {}", entry("guid", r#"["a.b"]"#, "fps"))),
            |e| matches!(e, DirectoryError::Conflict { entry: 1, .. }),
        ),
        (file(&entry("primitive", r#"["26"]"#, "visa")), |e| {
            matches!(e, DirectoryError::BadKey { .. })
        }),
        (file(&entry("paycode", r#"["10"]"#, "wechatpay")), |e| {
            matches!(
                e,
                DirectoryError::BadField {
                    field: "lengths",
                    ..
                }
            )
        }),
        (
            file(&good.replace(r#""source": "s""#, r#""source": "s", "extra": 1"#)),
            |e| matches!(e, DirectoryError::Shape(_)),
        ),
        (
            file(&good.replace(r#""countries": []"#, r#""countries": ["Brazil"]"#)),
            |e| {
                matches!(
                    e,
                    DirectoryError::BadField {
                        field: "countries",
                        ..
                    }
                )
            },
        ),
    ];
    for (text, ok) in cases {
        match Directory::from_json(text.as_bytes()) {
            Ok(_) => panic!("loaded {text}"),
            Err(e) => assert!(ok(&e), "{text}: {e:?}"),
        }
    }
}

#[test]
fn merging_a_user_directory() {
    let base = Directory::builtin();
    // Re-point the Pix GUID at another network: strict refuses, override takes it.
    let mine = file(&entry("guid", r#"["BR.GOV.BCB.PIX"]"#, "pix"));
    let mine = Directory::from_json(mine.as_bytes()).unwrap();
    assert!(matches!(
        base.merge(&mine, Merge::Strict),
        Err(DirectoryError::Duplicate { .. })
    ));
    let m = base.merge(&mine, Merge::Override).unwrap();
    assert_eq!(
        m.lookup_guid("br.gov.bcb.pix").unwrap().network.network,
        "n"
    );
    assert_eq!(
        m.lookup_guid("br.gov.bcb.spi").unwrap().network.network,
        "bcb-pix"
    );
    assert_eq!(m.len(), base.len());
    assert_eq!(base, Directory::builtin(), "the base is untouched");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Arbitrary bytes never panic and never load.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Directory::from_json(&bytes);
    }

    /// Corrupting the real file (cut, flip a byte) never panics; a successful load is a
    /// complete directory.
    #[test]
    fn corrupted_files_never_panic(cut in 0usize..DIRECTORY.len(), at in 0usize..DIRECTORY.len(), b in any::<u8>()) {
        let mut bytes = DIRECTORY.as_bytes().to_vec();
        bytes[at] = b;
        if let Ok(d) = Directory::from_json(&bytes) {
            prop_assert!(d.len() + 2 >= Directory::builtin().len());
        }
        // A cut that only drops trailing white space leaves the whole document.
        let cut_text = &DIRECTORY.as_bytes()[..cut];
        if cut_text.trim_ascii_end() != DIRECTORY.as_bytes().trim_ascii_end() {
            prop_assert!(Directory::from_json(cut_text).is_err());
        }
    }

    /// A bad entry anywhere among good ones fails the whole file: nothing half-loads.
    #[test]
    fn one_bad_entry_fails_the_file(n in 1usize..20, bad_at in 0usize..20, which in 0usize..4) {
        let bad_at = bad_at % (n + 1);
        let bad = match which {
            0 => entry("guid", r#"["k0"]"#, "pix"),          // duplicate of entry 0
            1 => entry("guid", r#"["x"]"#, "not-a-scheme"),
            2 => entry("primitive", r#"["99"]"#, "visa"),
            _ => entry("guid", r#"["k0"]"#, "fps"),          // conflict with entry 0
        };
        let mut es: Vec<String> = (0..n).map(|i| entry("guid", &format!(r#"["k{i}"]"#), "pix")).collect();
        es.insert(bad_at.max(1).min(es.len()), bad);
        prop_assert!(Directory::from_json(file(&es.join(",")).as_bytes()).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The trie agrees with a plain scan: exact GUID first, else the longest prefix, without
    /// regard to case.
    #[test]
    fn lookup_matches_a_linear_scan(
        keys in proptest::collection::btree_set(("[a-cA-C.]{1,6}", any::<bool>()), 1..30),
        queries in proptest::collection::vec("[a-cA-C.]{0,8}", 1..30),
    ) {
        use qrpay::routing::{DirectoryBuilder, EntrySpec};
        let mut b = DirectoryBuilder::new("p", qrpay::schemes::Date::new(2026, 1, 1).unwrap()).unwrap();
        let mut kept: Vec<(String, bool, SchemeId)> = Vec::new();
        for (i, (k, prefix)) in keys.iter().enumerate() {
            let scheme = SchemeId::ALL[i % SchemeId::ALL.len()];
            let e = EntrySpec {
                kind: if *prefix { KeyKind::GuidPrefix } else { KeyKind::Guid },
                keys: &[k.as_str()],
                lengths: None,
                scheme,
                network: "n",
                countries: &[],
                currencies: &[],
                clearing: "c",
                source: "s",
            };
            if b.add(&e).is_ok() {
                kept.push((k.to_ascii_lowercase(), *prefix, scheme));
            }
        }
        let d = b.build();
        for q in queries {
            let ql = q.to_ascii_lowercase();
            let want = kept
                .iter()
                .find(|(k, p, _)| !p && *k == ql)
                .or_else(|| {
                    kept.iter()
                        .filter(|(k, p, _)| *p && ql.starts_with(k.as_str()))
                        .max_by_key(|(k, _, _)| k.len())
                })
                .map(|(_, _, s)| *s);
            prop_assert_eq!(d.lookup_guid(&q).map(|h| h.network.scheme), want, "{}", q);
        }
    }
}
