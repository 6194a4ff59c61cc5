use super::*;
use alloc::string::ToString;
use alloc::vec;

fn unhex(s: &str) -> Vec<u8> {
    SecretKey::from_hex(s)
        .map(|k| k.expose().to_vec())
        .unwrap_or_default()
}

fn seed(s: &str) -> [u8; 32] {
    unhex(s).try_into().unwrap()
}

/// RFC 8032 §7.1 TEST 1–3: secret seed, public key, message, signature.
const RFC8032: [(&str, &str, &str, &str); 3] = [
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
];

#[test]
fn rfc8032_vectors_through_the_wrapper() {
    for (sk, pk, msg, sig) in RFC8032 {
        let s = Signer::ed25519(&seed(sk), "k").unwrap();
        assert_eq!(s.public_key().unwrap().to_vec(), unhex(pk));
        let m = if msg.is_empty() {
            Vec::new()
        } else {
            unhex(msg)
        };
        assert_eq!(s.sign_message(&m), unhex(sig));
        let vk = VerifyKey::ed25519_hex(pk).unwrap();
        assert!(vk.verify_message(&m, &unhex(sig)));
        let mut bad = unhex(sig);
        bad[63] ^= 0x01;
        assert!(!vk.verify_message(&m, &bad));
        assert!(!vk.verify_message(b"x", &unhex(sig)));
        assert!(!vk.verify_message(&m, &unhex(sig)[..63]));
    }
}

#[test]
fn hmac_is_rfc4231_truncated_and_compared_whole() {
    // RFC 4231 §4.6 test case 5: HMAC-SHA-256 truncated to 128 bits.
    let key = VerifyKey::hmac(SecretKey::new(vec![0x0c; 20])).unwrap();
    let tag = unhex("a3b6167473100ee06e0c796c2955552b");
    assert!(key.verify_message(b"Test With Truncation", &tag));
    // Every byte counts, and a prefix or an extension never matches.
    for i in 0..16 {
        let mut t = tag.clone();
        t[i] ^= 0x80;
        assert!(!key.verify_message(b"Test With Truncation", &t));
    }
    assert!(!key.verify_message(b"Test With Truncation", &tag[..15]));
    assert!(!key.verify_message(b"Test With Truncation", &[]));
    let mut long = tag.clone();
    long.push(0);
    assert!(!key.verify_message(b"Test With Truncation", &long));
    // RFC 4231 §4.2 test case 1, first 16 bytes.
    let s = Signer::hmac(SecretKey::new(vec![0x0b; 20]), "h").unwrap();
    assert_eq!(
        s.sign_message(b"Hi There"),
        unhex("b0344c61d8db38535ca8afceaf0bf12b")
    );
}

#[test]
fn keys_and_key_ids_are_checked() {
    assert_eq!(
        Signer::hmac(SecretKey::new(vec![1; 15]), "k").unwrap_err(),
        SignError::Key("an HMAC key has at least 16 bytes")
    );
    assert_eq!(Signer::ed25519(&[1; 32], "").unwrap_err(), SignError::KeyId);
    assert_eq!(
        Signer::ed25519(&[1; 32], &"k".repeat(33)).unwrap_err(),
        SignError::KeyId
    );
    assert_eq!(
        Signer::ed25519(&[1; 32], "a b").unwrap_err(),
        SignError::KeyId
    );
    assert!(Signer::ed25519(&[1; 32], "A.z_0:9-").is_ok());
    assert!(Signer::from_hex(Algorithm::Ed25519, "00", "k").is_err());
    assert!(Signer::from_hex(Algorithm::Ed25519, "zz", "k").is_err());
    // The identity point is a weak key.
    let mut ident = [0u8; 32];
    ident[0] = 1;
    assert!(VerifyKey::ed25519(&ident).is_err());
    // Debug never shows key bytes.
    let s = Signer::from_hex(Algorithm::HmacSha256, &"ab".repeat(16), "k").unwrap();
    let d = alloc::format!("{s:?}");
    assert!(!d.to_lowercase().contains("abab"), "{d}");
}

fn builder() -> MpmBuilder {
    MpmBuilder::new("5812", "764", "TH", "SHOP", "BANGKOK")
        .account_template(29, &[(0, "A000000677010111"), (1, "0066812345678")])
}

#[test]
fn template_layout_follows_the_spec() {
    let s = Signer::ed25519(&[9; 32], "acq-1").unwrap();
    let p = sign_builder(&builder(), &s).unwrap();
    let ids: Vec<u8> = Walker::new(&p).map(|e| e.unwrap().id).collect();
    assert_eq!(ids, [0, 29, 52, 53, 58, 59, 60, 80, 81, 63]);
    let m = mpm::parse(&p).unwrap();
    let t80 = m.get(80).unwrap();
    let t81 = m.get(81).unwrap();
    // 00 GUID, 01 E1, 02 key id, 03 first 99-31-5 = 63 characters of the signature.
    assert_eq!(t80.len(), 99);
    assert!(
        t80.starts_with("0013org.qrpay.sig0102E10205acq-10363"),
        "{t80}"
    );
    assert!(t81.starts_with("0013org.qrpay.sig0323"), "{t81}");
    assert_eq!(t81.len(), 17 + 4 + 86 - 63);
    let sig = read(&p).unwrap().unwrap();
    assert_eq!(sig.ids, [80, 81]);
    assert_eq!(sig.key_id, "acq-1");
    assert_eq!(sig.algorithm, Algorithm::Ed25519);
    // HMAC fits one template.
    let h = Signer::hmac(SecretKey::new(vec![5; 32]), "h1").unwrap();
    let p = sign_builder(&builder(), &h).unwrap();
    let sig = read(&p).unwrap().unwrap();
    assert_eq!(sig.ids, [80]);
    assert_eq!(
        mpm::parse(&p).unwrap().get(80).unwrap().len(),
        17 + 6 + 6 + 4 + 22
    );
}

#[test]
fn signing_skips_used_unreserved_ids_and_replaces_old_signatures() {
    let s = Signer::ed25519(&[9; 32], "acq-1").unwrap();
    let b = builder()
        .set_template(80, &[(0, "com.example"), (1, "X")])
        .set_template(82, &[(0, "com.example.two"), (1, "Y")]);
    let p = sign_builder(&b, &s).unwrap();
    assert_eq!(read(&p).unwrap().unwrap().ids, [81, 83]);
    let store = TrustStore::single(s.verify_key(), None).unwrap();
    assert!(verify(&p, &store, 0).is_valid());
    // Re-signing with another key replaces the signature.
    let s2 = Signer::ed25519(&[10; 32], "acq-2").unwrap();
    let p2 = sign_payload(&p, &s2).unwrap();
    let sig = read(&p2).unwrap().unwrap();
    assert_eq!((sig.key_id, sig.ids.as_slice()), ("acq-2", &[81u8, 83][..]));
    assert!(!verify(&p2, &store, 0).is_valid());
    let store2 = TrustStore::single(s2.verify_key(), Some("acq-2")).unwrap();
    assert!(verify(&p2, &store2, 0).is_valid());
    // All 20 unreserved IDs in use but one: no room for an Ed25519 signature.
    let mut full = builder();
    for id in 80..99 {
        full = full.set_template(id, &[(0, "com.example")]);
    }
    assert_eq!(
        sign_builder(&full, &s).unwrap_err(),
        SignError::NoFreeTemplate
    );
}

#[test]
fn statuses() {
    let s = Signer::ed25519(&[9; 32], "acq-1").unwrap();
    let p = sign_builder(&builder(), &s).unwrap();
    let mut store = TrustStore::new();
    let mut e = TrustEntry::new(Some("acq-1"), s.verify_key(), "Bank A");
    e.not_before = 100;
    e.not_after = 200;
    store.insert(e).unwrap();
    assert_eq!(
        verify(&p, &store, 150),
        Status::SignedValid {
            algorithm: Algorithm::Ed25519,
            key_id: "acq-1".to_string(),
            signer: "Bank A".to_string()
        }
    );
    assert_eq!(verify(&p, &store, 100).as_str(), "signed-valid");
    assert_eq!(verify(&p, &store, 200).as_str(), "signed-valid");
    assert_eq!(verify(&p, &store, 99).as_str(), "signed-expired-key");
    assert_eq!(verify(&p, &store, 201).as_str(), "signed-expired-key");
    assert_eq!(
        verify(&p, &TrustStore::new(), 150).as_str(),
        "signed-unknown-key"
    );
    // The right id but another key: invalid, not unknown.
    let other = TrustStore::single(
        Signer::ed25519(&[8; 32], "acq-1").unwrap().verify_key(),
        Some("acq-1"),
    )
    .unwrap();
    assert!(matches!(
        verify(&p, &other, 0),
        Status::SignedInvalid {
            reason: Invalid::Mismatch,
            id: 80,
            ..
        }
    ));
    // An id trusted for HMAC, a code that says Ed25519.
    let h = TrustStore::single(
        VerifyKey::hmac(SecretKey::new(vec![1; 16])).unwrap(),
        Some("acq-1"),
    )
    .unwrap();
    assert!(matches!(
        verify(&p, &h, 0),
        Status::SignedInvalid {
            reason: Invalid::Algorithm,
            ..
        }
    ));
    assert_eq!(
        verify(&builder().build().unwrap(), &store, 150),
        Status::Unsigned
    );
    assert_eq!(verify("not a code", &store, 150), Status::Unsigned);
    assert_eq!(verify("", &store, 150), Status::Unsigned);
}

#[test]
fn expiry_is_reported_only_for_a_signature_that_verifies() {
    let s = Signer::ed25519(&[9; 32], "acq-1").unwrap();
    let p = sign_builder(&builder(), &s).unwrap();
    let mut store = TrustStore::new();
    let mut e = TrustEntry::new(Some("acq-1"), s.verify_key(), "Bank A");
    e.not_after = 10;
    store.insert(e).unwrap();
    let k = p.find("SHOP").unwrap();
    let mut t = String::from(&p[..k]);
    t.push_str("SHOQ");
    t.push_str(&p[k + 4..p.len() - 4]);
    let c = crc::to_hex(crc::crc16(t.as_bytes()));
    t.extend(c.iter().map(|&b| char::from(b)));
    assert_eq!(verify(&t, &store, 50).as_str(), "signed-invalid");
    assert_eq!(verify(&p, &store, 50).as_str(), "signed-expired-key");
}

/// Replaces `from` by `to` in a signed payload and fixes the CRC.
fn edit(p: &str, from: &str, to: &str) -> String {
    let body = p[..p.len() - 4].replacen(from, to, 1);
    let c = crc::to_hex(crc::crc16(body.as_bytes()));
    let mut out = body;
    out.extend(c.iter().map(|&b| char::from(b)));
    out
}

#[test]
fn malformed_templates_are_fatal_in_decode() {
    let s = Signer::hmac(SecretKey::new(vec![5; 32]), "h1").unwrap();
    let p = sign_builder(&builder(), &s).unwrap();
    let d = crate::decode_with(&p, crate::decode::Options { mode: Mode::Strict });
    assert!(d.report.is_empty(), "{:?}", d.report.issues());
    let cases = [
        (
            "0102H1",
            "0102X1",
            "unknown algorithm (sub-ID 01 is not E1 or H1)",
        ),
        ("0202h1", "0202h ", "the key id (sub-ID 02) is malformed"),
        // A signature character that is not base64url.
        (
            "0322",
            "0322+",
            "the signature (sub-ID 03) is not base64url",
        ),
    ];
    for (from, to, reason) in cases {
        let mut t = edit(&p, from, to);
        if to == "0322+" {
            // keep the length: drop the character after the inserted one
            let k = t.find("0322+").unwrap() + 5;
            t.remove(k);
            t = edit(&t, "", "");
        }
        for mode in [Mode::Strict, Mode::Lenient] {
            let d = crate::decode_with(&t, crate::decode::Options { mode });
            let i = d
                .report
                .issues()
                .iter()
                .find(|i| i.code == Code::SignatureInvalid)
                .unwrap_or_else(|| panic!("{t}: {:?}", d.report.issues()));
            assert_eq!(i.severity, Severity::Error);
            assert_eq!(i.detail, Detail::Text(reason), "{t}");
            assert_eq!(i.path, Path::id(80));
            assert!(!d.is_valid());
            assert!(d.is_intact(), "structure and CRC still hold");
        }
        let st = verify(&t, &TrustStore::new(), 0);
        assert!(
            matches!(
                st,
                Status::SignedInvalid {
                    reason: Invalid::Malformed(_),
                    ..
                }
            ),
            "{st:?}"
        );
    }
    // Sub-objects out of order or missing.
    let t = edit(&p, "0013org.qrpay.sig0102H1", "0102H10013org.qrpay.sig");
    assert!(read(&t).is_err());
    // Extra sub-object.
    let m = mpm::parse(&p).unwrap();
    let at = m.offset_of(80).unwrap();
    let mut t = String::from(&p[..at]);
    let _ = tlv::write(&mut t, 80, &alloc::format!("{}0401X", m.get(80).unwrap()));
    t.push_str("63040000");
    let t = edit(&t, "", "");
    assert_eq!(
        read(&t).unwrap_err().reason,
        "expected sub-IDs 00, 01, 02 and 03, in this order"
    );
}

#[test]
fn renumbered_or_duplicated_templates_are_malformed() {
    let s = Signer::ed25519(&[9; 32], "acq-1").unwrap();
    let p = sign_builder(&builder(), &s).unwrap();
    let store = TrustStore::single(s.verify_key(), None).unwrap();
    assert!(verify(&p, &store, 0).is_valid());
    let why = "the signature templates do not take the lowest free IDs of 80-99 in order";
    for (from, to) in [
        ("80990013org", "82990013org"),
        ("80990013org", "81990013org"),
        ("81440013org", "82440013org"),
    ] {
        let t = edit(&p, from, to);
        assert_eq!(read(&t).unwrap_err().reason, why, "{t}");
        assert_eq!(verify(&t, &store, 0).as_str(), "signed-invalid");
    }
}

#[test]
fn check_adds_the_issue_with_keys() {
    let s = Signer::ed25519(&[9; 32], "acq-1").unwrap();
    let p = sign_builder(&builder(), &s).unwrap();
    let wrong =
        TrustStore::single(Signer::ed25519(&[8; 32], "x").unwrap().verify_key(), None).unwrap();
    let mut d = crate::decode(&p);
    assert!(d.is_valid());
    let st = check(&mut d, &wrong, 0);
    assert_eq!(st.as_str(), "signed-invalid");
    assert!(d.report.has(Code::SignatureInvalid));
    assert!(d.report.has_errors());
    assert!(!d.is_valid());
    let right = TrustStore::single(s.verify_key(), None).unwrap();
    let mut d = crate::decode(&p);
    assert!(check(&mut d, &right, 0).is_valid());
    assert!(d.report.is_empty());
}

#[cfg(feature = "json")]
#[test]
fn inspect_json_has_a_signature_member_only_when_signed() {
    let s = Signer::ed25519(&[9; 32], "acq-1").unwrap();
    let p = sign_builder(&builder(), &s).unwrap();
    let v = crate::json::to_value(&crate::decode(&p), Default::default());
    assert_eq!(
        v["signature"],
        serde_json::json!({"algorithm": "ed25519", "key_id": "acq-1", "templates": ["80", "81"], "status": "unverified"})
    );
    let v = crate::json::to_value(
        &crate::decode(&builder().build().unwrap()),
        Default::default(),
    );
    assert!(v.get("signature").is_none());
    let t = edit(&p, "0102E1", "0102Z1");
    let v = crate::json::to_value(&crate::decode(&t), Default::default());
    assert_eq!(v["signature"]["status"], "malformed");
    assert_eq!(v["valid"], false);
    let st = status_json(&verify(
        &p,
        &TrustStore::single(s.verify_key(), None).unwrap(),
        0,
    ));
    assert_eq!(st["status"], "signed-valid");
    assert_eq!(st["key_id"], "acq-1");
}

#[cfg(feature = "json")]
#[test]
fn trust_list_loads_whole_or_not_at_all() {
    let pk = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let entry = |kid: &str, alg: &str, key: Option<&str>, nb: u64, na: u64| {
        let key = key.map_or(String::new(), |k| {
            alloc::format!(r#""public_key_hex": "{k}","#)
        });
        alloc::format!(
            r#"{{"key_id": "{kid}", "algorithm": "{alg}", {key} "not_before": {nb}, "not_after": {na}, "signer": "Bank", "source": "test"}}"#
        )
    };
    let list = |entries: &[String]| {
        alloc::format!(
            r#"{{"version": 1, "effective": "2026-01-31", "entries": [{}]}}"#,
            entries.join(",")
        )
    };
    let good = list(&[
        entry("a", "ed25519", Some(pk), 0, 10),
        entry("h", "hmac-sha256-128", None, 0, 10),
    ]);
    let mut s = TrustStore::from_json(good.as_bytes()).unwrap();
    assert_eq!(s.entries().len(), 2);
    assert_eq!(s.effective(), "2026-01-31");
    assert!(s.find("h").unwrap().key.is_none());
    assert!(s.attach_hmac_key("h", SecretKey::new(vec![1; 16])).is_ok());
    assert!(s.attach_hmac_key("a", SecretKey::new(vec![1; 16])).is_err());
    assert!(s.attach_hmac_key("h", SecretKey::new(vec![1; 15])).is_err());
    assert!(s.find("zz").is_none());

    let bad = [
        (
            list(&[
                entry("a", "ed25519", Some(pk), 0, 10),
                entry("a", "ed25519", Some(pk), 0, 10),
            ]),
            "listed twice",
        ),
        (
            list(&[entry("a", "ed25519", None, 0, 10)]),
            "needs public_key_hex",
        ),
        (
            list(&[entry("a", "ed25519", Some("00"), 0, 10)]),
            "public_key_hex",
        ),
        (
            list(&[entry("a", "hmac-sha256-128", Some(pk), 0, 10)]),
            "no public key",
        ),
        (list(&[entry("a", "rsa", None, 0, 10)]), "algorithm"),
        (list(&[entry("a", "hmac", None, 0, 10)]), "algorithm"),
        (list(&[entry("a b", "ed25519", Some(pk), 0, 10)]), "key_id"),
        (
            list(&[entry("a", "ed25519", Some(pk), 11, 10)]),
            "not_before",
        ),
        (
            list(&[entry("a", "ed25519", Some(pk), 0, 10)]).replace("2026-01-31", "2026-13-01"),
            "YYYY-MM-DD",
        ),
        (
            list(&[entry("a", "ed25519", Some(pk), 0, 10)])
                .replace("\"version\": 1", "\"version\": 2"),
            "version 2",
        ),
        (
            list(&[entry("a", "ed25519", Some(pk), 0, 10)])
                .replace("\"source\"", "\"extra\": 1, \"source\""),
            "unknown field",
        ),
        (
            list(&[entry("a", "ed25519", Some(pk), 0, 10)])
                .replace("0, \"not_after\"", "-1, \"not_after\""),
            "JSON",
        ),
        (String::from("[]"), "JSON"),
    ];
    for (text, needle) in bad {
        let e = TrustStore::from_json(text.as_bytes()).unwrap_err();
        assert!(e.to_string().contains(needle), "{e} / {text}");
    }
}

#[test]
fn contains_guid_is_contains() {
    let parts = [
        "",
        "0",
        "org",
        ".qrpay",
        ".sig",
        GUID,
        "org.qrpay.si",
        "rg.qrpay.sig",
        "oorg.qrpay.sig",
        "é",
        "gggg",
        "0013",
        "org.qrpay.sigorg",
    ];
    for a in parts {
        for b in parts {
            for c in parts {
                let v = alloc::format!("{a}{b}{c}");
                assert_eq!(contains_guid(&v), v.contains(GUID), "{v:?}");
                for pad in 1..14 {
                    let w = alloc::format!("{}{v}", "x".repeat(pad));
                    assert_eq!(contains_guid(&w), w.contains(GUID), "{w:?}");
                }
            }
        }
    }
}
