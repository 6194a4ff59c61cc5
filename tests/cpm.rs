//! CPM: vectors, Annex B examples, POI selection, builder round trips, robustness.

use std::collections::BTreeSet;

use proptest::prelude::*;
use qrpay::cpm::{
    self, Cpm, CpmData, CpmError, CryptogramData, Digits, Pan, PoiError, Preference, RawObject,
    TemplateData, TerminalConfig, Track2,
};
use qrpay::report::Mode;
use qrpay::tlv::ber::{self, Reader, Tag};

const B1: &str = "hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8=";
const B2: &str = "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==";
const UNIONPAY: &str = "hQVDUFYwMWFWTwigAAADMwEBAlcRYmNgAQBxNnLSMSIBAAABiAFfNAEAYzOfJghWite85mtxi58nAYCfEBEHAAEDoAAAAQgwMDAwMDAwMZ82AhEiggIAAJ83BCJgSI4=";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

// ---------------------------------------------------------------- vectors

#[test]
fn vectors() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/vectors/cpm");
    let mut n = 0;
    let mut codes_seen = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut names = BTreeSet::new();
        for v in doc["vectors"].as_array().unwrap() {
            n += 1;
            let name = v["name"].as_str().unwrap();
            assert!(names.insert(name.to_string()), "duplicate name {name}");
            let input = v["input"].as_str().unwrap();
            let mode = match v["mode"].as_str().unwrap() {
                "strict" => Mode::Strict,
                _ => Mode::Lenient,
            };
            let e = &v["expect"];
            assert_eq!(e["kind"], "emv-cpm", "{name}");
            let (c, r) = cpm::decode_report(input, mode);
            if let Some(verdict) = e["verdict"].as_str() {
                assert_eq!(cpm::verdict(c.as_ref()).as_str(), verdict, "{name}: {r:?}");
            }
            if let Some(valid) = e["valid"].as_bool() {
                assert_eq!(r.is_strictly_valid(), valid, "{name}: {r:?}");
            }
            if let Some(issues) = e["issues"].as_array() {
                let want: BTreeSet<&str> = issues.iter().map(|i| i.as_str().unwrap()).collect();
                let got: BTreeSet<&str> = r.issues().iter().map(|i| i.code.as_str()).collect();
                assert_eq!(got, want, "{name}: {:#?}", r.issues());
                codes_seen.extend(want.iter().map(|s| s.to_string()));
            }
            if let Some(fields) = e["fields"].as_object() {
                let c = c.as_ref().unwrap_or_else(|| panic!("{name}: no payload"));
                let list = c.fields(false);
                for (p, want) in fields {
                    let got = list.iter().find(|f| &f.path == p);
                    assert_eq!(
                        got.map(|f| f.value.as_ref()),
                        Some(want.as_str().unwrap()),
                        "{name}: field {p}"
                    );
                }
            }
        }
    }
    assert!(n >= 40, "only {n} vectors");
    for code in [
        "cpm.base64",
        "cpm.pfi",
        "cpm.template-missing",
        "ber.truncated",
        "ber.tag",
        "ber.length",
        "ber.depth",
        "cpm.duplicate",
        "cpm.aid",
        "cpm.order",
        "cpm.template-count",
        "field.missing",
        "field.format",
        "field.length",
    ] {
        assert!(codes_seen.contains(code), "no vector for {code}");
    }
}

#[test]
fn every_corpus_row_is_a_vector() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/vectors/cpm/corpus.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus).unwrap()).unwrap();
    let inputs: BTreeSet<&str> = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["input"].as_str().unwrap())
        .collect();
    let text = include_str!("../spec/corpus/payloads.jsonl");
    let mut rows = 0;
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        if row["kind"] == "emv-cpm" {
            rows += 1;
            let p = row["payload"].as_str().unwrap();
            assert!(inputs.contains(p), "corpus row missing from vectors: {p}");
            // Every row decodes to a payload (base64 and BER sound) except the truncated one
            // a peer marks invalid.
            let (c, _) = cpm::decode_report(p, Mode::Lenient);
            assert_eq!(c.is_some(), row["peer_expect"] != "invalid", "{p}");
        }
    }
    assert!(rows >= 4);
}

// ---------------------------------------------------------------- Annex B

#[test]
fn annex_b1_fields() {
    let c = Cpm::decode(B1).unwrap();
    assert_eq!(c.pfi(), Some(&b"CPV01"[..]));
    let apps: Vec<_> = c.application_templates().collect();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].aid().unwrap(), unhex("A0000000555555"));
    let t2 = apps[0].track2().unwrap();
    assert_eq!(t2.pan().reveal(), "1234567890123458");
    assert_eq!(t2.expiry(), "1912");
    assert_eq!(t2.service_code(), "201");
    assert_eq!(t2.reveal_discretionary(), "12345");
    assert!(c.common_data().is_none());
    let f = c.fields(true);
    let paths: Vec<_> = f.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["85", "61", "61.4F", "61.57"]);
    assert_eq!(f[3].value, "1234567890123458D191220112345F");
    assert_eq!(f[2].offset, 9);
}

#[test]
fn annex_b2_fields() {
    let c = Cpm::decode(B2).unwrap();
    let apps: Vec<_> = c.application_templates().collect();
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[0].aid().unwrap(), unhex("A0000000555555"));
    assert_eq!(apps[0].label(), Some("Product1"));
    assert_eq!(apps[1].aid().unwrap(), unhex("A0000000666666"));
    assert_eq!(apps[1].label(), Some("Product2"));
    let common = c.common_data().unwrap();
    assert_eq!(common.pan().unwrap().reveal(), "1234567890123458");
    assert_eq!(common.cardholder_name(), Some("CARDHOLDER/EMV"));
    assert_eq!(common.language_preference(), Some("ruesdeen"));
    let tr = common.transparent().unwrap();
    assert_eq!(tr.tag().value(), 0x64);
    assert_eq!(
        tr.issuer_application_data().unwrap(),
        unhex("06010A03000000")
    );
    assert_eq!(tr.cryptogram().unwrap(), unhex("584FD385FA234BCC"));
    assert_eq!(tr.atc(), Some(1));
    assert_eq!(tr.unpredictable_number().unwrap(), unhex("6D58EF13"));
    let f = c.fields(true);
    let get = |p: &str| f.iter().find(|x| x.path == p).map(|x| x.value.to_string());
    assert_eq!(get("62.5A").as_deref(), Some("1234567890123458"));
    assert_eq!(get("62.64.9F26").as_deref(), Some("584FD385FA234BCC"));
}

#[test]
fn unionpay_cryptogram_data() {
    let c = Cpm::decode(UNIONPAY).unwrap();
    let app = c.application_templates().next().unwrap();
    assert_eq!(app.aid().unwrap(), unhex("A000000333010102"));
    assert_eq!(app.pan_sequence_number().unwrap().as_str(), "00");
    let t2 = app.track2().unwrap();
    assert_eq!(t2.pan().reveal(), "6263600100713672");
    assert_eq!(t2.expiry(), "2312");
    let tr = app.transparent().unwrap();
    assert_eq!(tr.cid(), Some(0x80));
    assert_eq!(tr.atc(), Some(0x1122));
    assert_eq!(tr.aip(), Some([0, 0]));
}

// ---------------------------------------------------------------- masking

#[test]
fn pan_and_track2_are_masked_unless_revealed() {
    for text in [B1, B2, UNIONPAY] {
        let c = Cpm::decode(text).unwrap();
        let secrets = ["1234567890123458", "6263600100713672", "D191220112345"];
        let shown = format!(
            "{c:?} {:?} {:?}",
            c.application_templates().collect::<Vec<_>>(),
            c.fields(false)
        );
        for s in secrets {
            assert!(!shown.contains(s), "{s} leaked in {shown}");
        }
        for t in c.application_templates().chain(c.common_data()) {
            if let Some(t2) = t.track2() {
                let d = format!("{t2} {t2:?} {:?}", t2.pan());
                assert!(!d.contains(t2.pan().reveal()), "{d}");
                assert!(d.contains(t2.pan().last4()));
            }
        }
        // With reveal, the hex of 57/5A is all there.
        let all = format!("{:?}", c.fields(true));
        assert!(secrets.iter().any(|s| all.contains(s)));
    }
    let b1 = Cpm::decode(B1).unwrap();
    let f = b1.fields(false);
    assert_eq!(f[3].value, "123456******3458D************");
    assert!(
        f[1].value.contains("**"),
        "template hex hides its 57: {}",
        f[1].value
    );
}

// ---------------------------------------------------------------- POI

const AID5: &[u8] = &[0xA0, 0, 0, 0, 0x55, 0x55, 0x55];
const AID6: &[u8] = &[0xA0, 0, 0, 0, 0x66, 0x66, 0x66];

#[test]
fn select_first_eligible_by_default() {
    let c = Cpm::decode(B2).unwrap();
    let aids = [AID6, AID5];
    let s = cpm::select(&c, &TerminalConfig::new(&aids)).unwrap();
    assert_eq!((s.index, s.aid_index, s.eligible), (0, 1, 2));
    // POI data: 4F, 50 of the first 61, then 5A, 5F20, 5F2D of 62; 64 forwarded as is.
    let tags: Vec<u32> = s.poi_data.iter().map(|t| t.tag.value()).collect();
    assert_eq!(tags, [0x4F, 0x50, 0x5A, 0x5F20, 0x5F2D]);
    assert!(s.application_transparent.is_none());
    assert_eq!(
        s.transparent_data(),
        unhex("9F100706010A030000009F2608584FD385FA234BCC9F360200019F37046D58EF13")
    );
    let cfg = TerminalConfig {
        preference: Preference::ConfiguredOrder,
        ..TerminalConfig::new(&aids)
    };
    let s = cpm::select(&c, &cfg).unwrap();
    assert_eq!((s.index, s.template.label()), (1, Some("Product2")));
}

#[test]
fn select_matches_exactly_or_by_prefix() {
    let c = Cpm::decode(B2).unwrap();
    let rid: &[u8] = &[0xA0, 0, 0, 0, 0x66];
    let aids = [rid];
    let s = cpm::select(&c, &TerminalConfig::new(&aids)).unwrap();
    assert_eq!(
        s.index, 1,
        "A000000066 is the left-most part of the second AID only"
    );
    let exact = TerminalConfig {
        partial_selection: false,
        ..TerminalConfig::new(&aids)
    };
    assert_eq!(
        cpm::select(&c, &exact).unwrap_err(),
        PoiError::NoEligibleTemplate
    );
    // A configured AID longer than 4F never matches.
    let long: &[u8] = &[0xA0, 0, 0, 0, 0x55, 0x55, 0x55, 0x01];
    let aids = [long];
    assert_eq!(
        cpm::select(&c, &TerminalConfig::new(&aids)).unwrap_err(),
        PoiError::NoEligibleTemplate
    );
}

fn tlv(tag: u32, v: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    ber::write(&mut out, Tag::new(tag).unwrap(), v).unwrap();
    out
}

fn payload(objs: &[Vec<u8>]) -> Cpm {
    let mut d = tlv(0x85, b"CPV01");
    for o in objs {
        d.extend_from_slice(o);
    }
    Cpm::from_tlv(d).unwrap()
}

#[test]
fn select_skips_unusable_templates_and_reports_duplicates() {
    let pan = tlv(0x5A, &unhex("1234567890123458"));
    // First 61 has a 4-byte AID: skipped even though the terminal lists it.
    let short: &[u8] = &[0xA0, 0, 0, 0];
    let c = payload(&[
        tlv(0x61, &[tlv(0x4F, short), pan.clone()].concat()),
        tlv(0x61, &[tlv(0x4F, AID5), pan.clone()].concat()),
    ]);
    let aids = [short, AID5];
    let s = cpm::select(&c, &TerminalConfig::new(&aids)).unwrap();
    assert_eq!((s.index, s.eligible), (1, 1));

    let c = payload(&[tlv(
        0x61,
        &[tlv(0x4F, AID5), pan.clone(), pan.clone()].concat(),
    )]);
    assert!(matches!(
        cpm::select(&c, &TerminalConfig::new(&[AID5])),
        Err(PoiError::Duplicate { .. })
    ));

    let c = payload(&[
        tlv(0x61, &[tlv(0x4F, AID5), tlv(0x50, b"A")].concat()),
        tlv(0x61, &[tlv(0x4F, AID6)].concat()),
        tlv(0x62, &[pan.clone(), tlv(0x50, b"B")].concat()),
    ]);
    let e = cpm::select(&c, &TerminalConfig::new(&[AID5])).unwrap_err();
    assert!(matches!(e, PoiError::InBothTemplates { tag, .. } if tag.value() == 0x50));
    // The second 61 has no 50, so selecting it works.
    let s = cpm::select(&c, &TerminalConfig::new(&[AID6])).unwrap();
    assert_eq!(s.index, 1);

    let c = payload(&[tlv(0x61, &tlv(0x4F, AID5))]);
    assert_eq!(
        cpm::select(&c, &TerminalConfig::new(&[AID5])).unwrap_err(),
        PoiError::NoAccountData
    );
    // Unknown objects are kept in the POI data; other templates are kept aside.
    let c = payload(&[
        tlv(
            0x61,
            &[tlv(0x4F, AID5), pan.clone(), tlv(0x9F74, b"x")].concat(),
        ),
        tlv(0x70, &tlv(0x9F75, b"y")),
    ]);
    let s = cpm::select(&c, &TerminalConfig::new(&[AID5])).unwrap();
    assert!(s.get(0x9F74).is_some());
    assert_eq!(s.others.len(), 1);
}

#[test]
fn select_refuses_wrong_pfi() {
    let mut d = tlv(0x85, b"CPV02");
    d.extend(tlv(0x61, &tlv(0x4F, AID5)));
    let (c, _) = cpm::decode_report(&base64_encode(&d), Mode::Lenient);
    assert_eq!(
        cpm::select(&c.unwrap(), &TerminalConfig::new(&[AID5])).unwrap_err(),
        PoiError::Pfi
    );
    assert_eq!(Cpm::from_tlv(d), Err(CpmError::Pfi));
}

fn base64_encode(d: &[u8]) -> String {
    // A plain RFC 4648 encoder, independent of the crate under test.
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for ch in d.chunks(3) {
        let b = [ch[0], *ch.get(1).unwrap_or(&0), *ch.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= ch.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

// ---------------------------------------------------------------- other entry points

#[test]
fn not_cpm_text_is_not_decoded() {
    assert_eq!(Cpm::decode(""), Err(CpmError::Empty));
    assert_eq!(Cpm::decode("hQVKUFFSMQ=="), Err(CpmError::NotCpm));
    assert_eq!(Cpm::decode("000201010211"), Err(CpmError::NotCpm));
    let long = format!("hQVDUFY{}", "A".repeat(5000));
    assert!(matches!(Cpm::decode(&long), Err(CpmError::TooLong { .. })));
    let (c, r) = cpm::decode_report(&long, Mode::Lenient);
    assert!(c.is_none());
    assert_eq!(r.issues()[0].code.as_str(), "input.too-long");
    let (_, r) = cpm::decode_report("", Mode::Lenient);
    assert_eq!(r.issues()[0].code.as_str(), "input.empty");
    let (_, r) = cpm::decode_report("000201010211", Mode::Lenient);
    assert_eq!(r.issues()[0].code.as_str(), "cpm.pfi");
    assert!(matches!(
        Cpm::decode("hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8"),
        Err(CpmError::Base64 { .. })
    ));
    assert_eq!(
        Cpm::decode("hQVDUFYwMQ=="),
        Err(CpmError::NoApplicationTemplate)
    );
}

#[test]
fn issue_paths_and_offsets_are_in_bytes() {
    // 61 with a 9F24 of 28 bytes: path 61.9F24 at byte 7 + 2 + 9 = 18 (85 05 CPV01 is 7
    // bytes, 61's header 2, 4F 07 ... 9 bytes).
    let d = [
        tlv(0x85, b"CPV01"),
        tlv(
            0x61,
            &[
                tlv(0x4F, AID5),
                tlv(0x9F24, &[b'Q'; 28]),
                tlv(0x5A, &unhex("1234567890123458")),
            ]
            .concat(),
        ),
    ]
    .concat();
    let (_, r) = cpm::decode_report(&base64_encode(&d), Mode::Strict);
    let i = &r.issues()[0];
    assert_eq!(i.code.as_str(), "field.length");
    assert_eq!(i.path.to_string(), "61.9F24");
    assert_eq!(i.offset, 18);
}

// ---------------------------------------------------------------- builder

#[test]
fn builder_reproduces_annex_b2_and_unionpay() {
    let b2 = CpmData {
        applications: vec![
            TemplateData {
                aid: Some(AID5.to_vec()),
                label: Some("Product1".into()),
                ..Default::default()
            },
            TemplateData {
                aid: Some(AID6.to_vec()),
                label: Some("Product2".into()),
                ..Default::default()
            },
        ],
        common: Some(TemplateData {
            pan: Pan::new("1234567890123458"),
            cardholder_name: Some("CARDHOLDER/EMV".into()),
            language_preference: Some("ruesdeen".into()),
            transparent: vec![
                raw(0x9F10, "06010A03000000"),
                raw(0x9F26, "584FD385FA234BCC"),
                raw(0x9F36, "0001"),
                raw(0x9F37, "6D58EF13"),
            ],
            ..Default::default()
        }),
        others: vec![],
    };
    assert_eq!(b2.build().unwrap(), B2);

    let up = CpmData {
        applications: vec![TemplateData {
            aid: Some(unhex("A000000333010102")),
            track2: Track2::new("6263600100713672", "2312", "201", "0000018801"),
            pan_sequence_number: Digits::new("00"),
            transparent: CryptogramData {
                cryptogram: unhex("568AD7BCE66B718B").try_into().unwrap(),
                cid: 0x80,
                issuer_application_data: unhex(
                    "07000103A00000010830303030303030 31"
                        .replace(' ', "")
                        .as_str(),
                ),
                atc: 0x1122,
                aip: [0, 0],
                unpredictable_number: unhex("2260488E").try_into().unwrap(),
            }
            .objects(),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert_eq!(up.build().unwrap(), UNIONPAY);
}

fn raw(tag: u32, hex: &str) -> RawObject {
    RawObject {
        tag: Tag::new(tag).unwrap(),
        value: unhex(hex),
    }
}

#[test]
fn builder_refuses_what_cpm_forbids() {
    use cpm::BuildError;
    let app = |aid: &[u8]| TemplateData {
        aid: Some(aid.to_vec()),
        pan: Pan::new("1234567890123458"),
        ..Default::default()
    };
    let one = |t| CpmData {
        applications: vec![t],
        ..Default::default()
    };
    assert_eq!(CpmData::default().build(), Err(BuildError::TemplateCount));
    assert_eq!(
        one(app(&[0xA0, 0, 0, 0])).build(),
        Err(BuildError::Aid { index: 0 })
    );
    let mut t = app(AID5);
    t.par = Some("short".into());
    assert!(matches!(one(t).build(), Err(BuildError::Field { .. })));
    let mut t = app(AID5);
    t.pan = None;
    assert_eq!(one(t).build(), Err(BuildError::NoAccountData { index: 0 }));
    let mut t = app(AID5);
    t.other.push(raw(0x5F20, "4142"));
    assert!(matches!(one(t).build(), Err(BuildError::RawObject { .. })));
    let two = CpmData {
        applications: vec![app(AID5), app(AID6)],
        common: Some(TemplateData {
            pan: Pan::new("1234"),
            ..Default::default()
        }),
        others: vec![],
    };
    assert!(matches!(
        two.build(),
        Err(BuildError::InBothTemplates { .. })
    ));
    let mut big = app(AID5);
    big.other.push(RawObject {
        tag: Tag::new(0x9F74).unwrap(),
        value: vec![0; 4000],
    });
    assert_eq!(one(big).build(), Err(BuildError::TooLong));
}

// ---------------------------------------------------------------- properties

fn digits(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, min..=max)
        .prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

fn text(re: &'static str) -> impl Strategy<Value = String> {
    proptest::string::string_regex(re).unwrap()
}

/// Tags that no typed field uses, primitive, 1 or 2 bytes.
fn free_tag() -> impl Strategy<Value = Tag> {
    prop_oneof![
        (0x9F40u32..0x9F7F).prop_map(|t| Tag::new(t).unwrap()),
        (0xC0u32..0xDE).prop_map(|t| Tag::new(t).unwrap()),
        (0x5F40u32..0x5F4F).prop_map(|t| Tag::new(t).unwrap()),
    ]
}

fn raws(max: usize) -> impl Strategy<Value = Vec<RawObject>> {
    proptest::collection::vec(
        (free_tag(), proptest::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(tag, value)| RawObject { tag, value }),
        0..=max,
    )
    .prop_map(|mut v| {
        let mut seen = BTreeSet::new();
        v.retain(|o| seen.insert(o.tag));
        v
    })
}

fn template(app: bool) -> impl Strategy<Value = TemplateData> {
    let track = (
        digits(12, 19),
        digits(2, 2),
        1u8..=12,
        digits(3, 3),
        digits(0, 6),
    )
        .prop_map(|(p, y, m, s, d)| Track2::new(&p, &format!("{y}{m:02}"), &s, &d));
    (
        (
            proptest::option::of(proptest::collection::vec(any::<u8>(), 5..=16)),
            proptest::option::of(text("[A-Za-z0-9 ]{1,16}")),
            proptest::option::of(track),
            proptest::option::of(digits(1, 19).prop_map(|s| Pan::new(&s).unwrap())),
            proptest::option::of(text("[ -~]{2,26}")),
            proptest::option::of(text("([a-z]{2}){1,4}")),
            proptest::option::of(text("mailto:[a-z]{1,20}@[a-z]{1,10}\\.com")),
        ),
        (
            proptest::option::of(any::<u16>()),
            proptest::option::of(digits(11, 11)),
            proptest::option::of(text("[A-Z0-9]{29}")),
            proptest::option::of(digits(4, 4)),
            proptest::option::of(digits(2, 2)),
            raws(3),
            raws(6),
        ),
    )
        .prop_map(
            move |(
                (aid, label, t2, pan, name, lang, url),
                (ver, trid, par, l4, seq, other, transparent),
            )| {
                TemplateData {
                    aid: if app {
                        aid.or(Some(vec![0xA0, 0, 0, 0, 1]))
                    } else {
                        aid
                    },
                    label,
                    track2: t2.flatten(),
                    pan,
                    cardholder_name: name,
                    language_preference: lang,
                    issuer_url: url,
                    app_version: ver,
                    token_requestor_id: trid.and_then(|s| Digits::new(&s)),
                    par,
                    pan_last4: l4.and_then(|s| Digits::new(&s)),
                    pan_sequence_number: seq.and_then(|s| Digits::new(&s)),
                    other,
                    transparent,
                }
            },
        )
}

fn cpm_data() -> impl Strategy<Value = CpmData> {
    prop_oneof![
        template(true).prop_map(|a| CpmData {
            applications: vec![a],
            ..Default::default()
        }),
        (
            template(true),
            template(true),
            proptest::option::of(template(false))
        )
            .prop_map(|(a, b, c)| CpmData {
                applications: vec![a, b],
                common: c,
                others: vec![],
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decode_build_round_trips(x in cpm_data()) {
        // Data the builder refuses is fine; what it emits must decode to the same data.
        if let Ok(text) = x.build() {
            let c = Cpm::decode(&text).unwrap();
            prop_assert_eq!(CpmData::from_cpm(&c), x.clone());
            let (_, r) = cpm::decode_report(&text, Mode::Strict);
            // Built payloads break no rule (the raw objects use unassigned tags).
            prop_assert!(r.is_strictly_valid(), "{:?}", r.issues());
        } else {
            let x2 = x.clone();
            let no_account = x2.applications.iter().any(|a| a.track2.is_none() && a.pan.is_none());
            let both = x2.common.is_some();
            prop_assert!(no_account || both, "refused {:?}", x.build());
        }
    }

    #[test]
    fn base64_mutations_never_panic(
        pick in 0usize..3,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let mut s: Vec<u8> = [B1, B2, UNIONPAY][pick].as_bytes().to_vec();
        for (at, b, op) in edits {
            let i = at % (s.len() + 1);
            match op {
                0 if i < s.len() => s[i] = b,
                1 => s.insert(i, b),
                _ => s.truncate(i.max(7)),
            }
        }
        let text = String::from_utf8_lossy(&s);
        exercise(&text);
    }

    #[test]
    fn tlv_mutations_never_panic(
        pick in 0usize..3,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut d = Cpm::decode([B1, B2, UNIONPAY][pick]).unwrap().into_bytes();
        for (at, b, op) in edits {
            let i = at % (d.len() + 1);
            match op {
                0 if i < d.len() => d[i] = b,
                1 => d.insert(i, b),
                _ => d.truncate(i),
            }
        }
        // Keep the prefix so the text is decoded at all.
        let mut full = unhex("8505435056");
        full.extend_from_slice(d.get(5..).unwrap_or(&[]));
        exercise(&base64_encode(&full));
        let _ = Cpm::from_tlv(d);
    }

    #[test]
    fn random_tlv_never_panics(d in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut full = unhex("8505435056");
        full.extend_from_slice(&d);
        exercise(&base64_encode(&full));
        let _ = ber::check(&d, ber::Limits::DEFAULT);
    }

    #[test]
    fn ber_round_trips(
        objs in proptest::collection::vec((ber_tag(), 0usize..400), 1..6),
        fill in any::<u8>(),
    ) {
        let mut out = Vec::new();
        for (t, len) in &objs {
            ber::write(&mut out, *t, &vec![fill; *len]).unwrap();
        }
        let back: Vec<_> = Reader::new(&out).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(back.len(), objs.len());
        let mut at = 0;
        for (b, (t, len)) in back.iter().zip(&objs) {
            prop_assert_eq!(b.tag, *t);
            prop_assert_eq!(b.value.len(), *len);
            prop_assert_eq!(b.offset, at);
            prop_assert!(b.has_minimal_length());
            prop_assert_eq!(b.header_len, t.len() + ber::length_len(*len));
            let (t2, n) = Tag::parse(&out[b.offset..]).unwrap();
            prop_assert_eq!((t2, n), (*t, t.len()));
            at = b.end();
        }
        prop_assert_eq!(at, out.len());
    }
}

/// Any well-formed tag of 1 to 4 bytes.
fn ber_tag() -> impl Strategy<Value = Tag> {
    prop_oneof![
        any::<u8>()
            .prop_filter("single byte", |b| b & 0x1F != 0x1F)
            .prop_map(|b| Tag::new(u32::from(b)).unwrap()),
        (0u8..8, 0u8..0x80)
            .prop_map(|(c, b)| Tag::new((u32::from(c << 5 | 0x1F) << 8) | u32::from(b)).unwrap()),
        (0u8..8, 0x80u8..=0xFF, 0u8..0x80).prop_map(|(c, b, e)| {
            Tag::new((u32::from(c << 5 | 0x1F) << 16) | (u32::from(b) << 8) | u32::from(e)).unwrap()
        }),
        (0u8..8, 0x80u8..=0xFF, 0x80u8..=0xFF, 0u8..0x80).prop_map(|(c, b, d, e)| {
            Tag::new(
                (u32::from(c << 5 | 0x1F) << 24)
                    | (u32::from(b) << 16)
                    | (u32::from(d) << 8)
                    | u32::from(e),
            )
            .unwrap()
        }),
    ]
}

fn exercise(text: &str) {
    for mode in [Mode::Strict, Mode::Lenient] {
        let (c, r) = cpm::decode_report(text, mode);
        for i in r.issues() {
            let _ = i.to_string();
        }
        if let Some(c) = c {
            let _ = c.fields(false);
            let _ = c.fields(true);
            let _ = format!("{c:?}");
            let _ = CpmData::from_cpm(&c);
            let _ = cpm::select(&c, &TerminalConfig::new(&[AID5, AID6]));
            for t in c.application_templates().chain(c.common_data()) {
                let _ = (t.track2(), t.pan(), t.token_requestor_id(), t.par());
            }
        }
    }
    let _ = Cpm::decode(text);
}

#[test]
fn ber_errors_name_their_template() {
    // 61 { 4F ..., 9F24 declaring 40 bytes with 3 left }
    let d = [
        tlv(0x85, b"CPV01"),
        vec![0x61, 15],
        tlv(0x4F, AID5),
        vec![0x9F, 0x24, 40, b'A', b'B', b'C'],
    ]
    .concat();
    let (c, r) = cpm::decode_report(&base64_encode(&d), Mode::Strict);
    assert!(c.is_none());
    let i = &r.issues()[0];
    assert_eq!(i.code.as_str(), "ber.truncated");
    assert_eq!(i.path.to_string(), "61.9F24");
    assert_eq!(i.offset, 21, "the value starts after 7 + 2 + 9 + 3 bytes");
    assert!(
        i.to_string().contains("declares 40 bytes but 3 remain"),
        "{i}"
    );
}
