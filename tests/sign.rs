//! Signing: the reference vectors of `spec/signing/vectors.json` (written by an independent
//! Python implementation of `spec/signing.md`), tamper detection over every position, and
//! signed corpus codes that stay valid EMV and scheme codes.

use std::collections::BTreeSet;

use proptest::prelude::*;
use qrpay::decode::Options;
use qrpay::otp::SecretKey;
use qrpay::sign::{self, Algorithm, Signer, Status, TrustStore};
use qrpay::{decode_with, Mode};
use serde_json::Value;

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/spec/signing/vectors.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn signers(v: &Value) -> (Signer, Signer) {
    let ed = &v["keys"]["ed25519"];
    let hm = &v["keys"]["hmac-sha256-128"];
    (
        Signer::from_hex(
            Algorithm::Ed25519,
            ed["seed_hex"].as_str().unwrap(),
            ed["key_id"].as_str().unwrap(),
        )
        .unwrap(),
        Signer::from_hex(
            Algorithm::HmacSha256,
            hm["key_hex"].as_str().unwrap(),
            hm["key_id"].as_str().unwrap(),
        )
        .unwrap(),
    )
}

/// A trust list (the `spec/routing/trust.json` format) with the vectors' keys.
fn store(v: &Value) -> TrustStore {
    let ed = &v["keys"]["ed25519"];
    let hm = &v["keys"]["hmac-sha256-128"];
    let json = format!(
        r#"{{"version": 1, "effective": "2026-01-01", "entries": [
        {{"key_id": "{}", "algorithm": "ed25519", "public_key_hex": "{}", "not_before": 0,
          "not_after": 18446744073709551615, "signer": "Test Acquirer", "source": "spec/signing/vectors.json"}},
        {{"key_id": "{}", "algorithm": "hmac-sha256-128", "not_before": 0,
          "not_after": 18446744073709551615, "signer": "Closed Loop", "source": "spec/signing/vectors.json"}}]}}"#,
        ed["key_id"].as_str().unwrap(),
        ed["public_key_hex"].as_str().unwrap(),
        hm["key_id"].as_str().unwrap(),
    );
    let mut s = TrustStore::from_json(json.as_bytes()).unwrap();
    let key = SecretKey::from_hex(hm["key_hex"].as_str().unwrap()).unwrap();
    s.attach_hmac_key(hm["key_id"].as_str().unwrap(), key)
        .unwrap();
    s
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn strict_codes(p: &str) -> BTreeSet<&'static str> {
    decode_with(p, Options { mode: Mode::Strict })
        .report
        .issues()
        .iter()
        .map(|i| i.code.as_str())
        .collect()
}

#[test]
fn reference_vectors() {
    let v = vectors();
    let (ed, hm) = signers(&v);
    let store = store(&v);
    let mut checked = 0;
    for t in v["vectors"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        let signed = t["signed"].as_str().unwrap();
        let status = sign::verify(signed, &store, 1_800_000_000);
        assert_eq!(status.as_str(), t["expect"].as_str().unwrap(), "{name}");
        let Some(unsigned) = t["unsigned"].as_str() else {
            continue;
        };
        if t["expect"] != "signed-valid" {
            continue;
        }
        let signer = if t["algorithm"] == "ed25519" {
            &ed
        } else {
            &hm
        };
        // Our signer produces exactly the reference payload.
        assert_eq!(
            sign::sign_payload(unsigned, signer).unwrap(),
            signed,
            "{name}"
        );
        let sig = sign::read(signed).unwrap().unwrap();
        assert_eq!(
            hex(&sig.message()),
            t["message_hex"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            hex(&sig.bytes),
            t["signature_hex"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(sig.key_id, t["key_id"].as_str().unwrap());
        assert_eq!(sig.algorithm.as_str(), t["algorithm"].as_str().unwrap());
        // Signed codes raise no issue the unsigned code did not (strict EMV and schemes).
        let before = strict_codes(unsigned);
        let after = strict_codes(signed);
        assert!(after.is_subset(&before), "{name}: {after:?} vs {before:?}");
        assert_eq!(
            qrpay::decode(signed).schemes,
            qrpay::decode(unsigned).schemes,
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 10);
}

/// Every signed code of the vectors, with the store that verifies them (loaded once).
fn signed_codes() -> &'static (Vec<String>, TrustStore) {
    static ONCE: std::sync::OnceLock<(Vec<String>, TrustStore)> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let v = vectors();
        let codes = v["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["expect"] == "signed-valid")
            .map(|t| t["signed"].as_str().unwrap().to_string())
            .collect();
        (codes, store(&v))
    })
}

fn with_crc(body: &str) -> String {
    let mut out = body.to_string();
    let c = qrpay::crc::to_hex(qrpay::crc::crc16(out.as_bytes()));
    out.extend(c.iter().map(|&b| char::from(b)));
    out
}

/// Every position of two signed codes (Ed25519 and HMAC), each changed to a neighbouring
/// character with the CRC recomputed: never `signed-valid`.
#[test]
fn every_position_exhaustively() {
    let (codes, store) = signed_codes();
    for code in codes.iter().take(2) {
        let chars: Vec<char> = code.chars().collect();
        for pos in 0..chars.len() {
            for delta in [1u8, 0x2F] {
                let mut changed = chars.clone();
                let c = chars[pos] as u32 as u8;
                changed[pos] = char::from(0x20 + (c - 0x20 + delta) % 0x5F);
                let mut t: String = changed.into_iter().collect();
                if pos < chars.len() - 4 {
                    t = with_crc(&t[..t.len() - 4]);
                }
                let st = sign::verify(&t, store, 0);
                assert!(!st.is_valid(), "{t} -> {st:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any one-character change anywhere, CRC recomputed afterwards (what a fraudster
    /// would do) or not, is never `signed-valid`.
    #[test]
    fn any_one_character_change_fails(which in 0usize..10, pos in 0usize..512, c in 0x20u8..0x7F, fix in any::<bool>()) {
        let (codes, store) = signed_codes();
        let code = &codes[which % codes.len()];
        let chars: Vec<char> = code.chars().collect();
        let pos = pos % chars.len();
        prop_assume!(chars[pos] != char::from(c));
        let mut changed = chars.clone();
        changed[pos] = char::from(c);
        let mut t: String = changed.into_iter().collect();
        if fix && pos < chars.len() - 4 {
            t = with_crc(&t[..t.len() - 4]);
        }
        let st = sign::verify(&t, store, 0);
        prop_assert!(!st.is_valid(), "{t} -> {st:?}");
    }

    /// Changing any character of the signature itself, CRC fixed: `signed-invalid`.
    #[test]
    fn any_change_to_the_signature_is_invalid(which in 0usize..10, k in 0usize..86, c in prop::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".to_vec())) {
        let (codes, store) = signed_codes();
        let code = &codes[which % codes.len()];
        let sig = sign::read(code).unwrap().unwrap();
        let m = qrpay::mpm::parse(code).unwrap();
        // Character positions of the 03 values of the signature templates.
        let mut spots = Vec::new();
        for id in &sig.ids {
            let t = m.get(*id).unwrap();
            // Signature templates are ASCII: byte and character offsets coincide inside.
            let base = code.find(t).unwrap();
            let v3 = qrpay::tlv::Walker::new(t).map(|e| e.unwrap()).find(|e| e.id == 3).unwrap();
            let start = base + v3.offset + 4;
            spots.extend(start..start + v3.len);
        }
        let pos = spots[k % spots.len()];
        let mut b = code.clone().into_bytes();
        prop_assume!(b[pos] != c);
        b[pos] = c;
        let t = with_crc(&String::from_utf8(b).unwrap()[..code.len() - 4]);
        let st = sign::verify(&t, store, 0);
        prop_assert!(matches!(st, Status::SignedInvalid { .. }), "{t} -> {st:?}");
    }
}

#[test]
fn unsigned_codes_say_unsigned() {
    let (_, store) = signed_codes();
    for line in corpus() {
        let p = line["payload"].as_str().unwrap();
        if !p.contains("org.qrpay.sig") {
            assert_eq!(sign::verify(p, store, 0), Status::Unsigned, "{p}");
        }
    }
}

fn corpus() -> Vec<Value> {
    let text = include_str!("../spec/corpus/payloads.jsonl");
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The smallest QR version (1-40) that holds `text` in byte mode at EC level M (MPM §4.12
/// asks for byte mode).
fn qr_version(text: &str) -> i16 {
    use qrcode::bits::Bits;
    use qrcode::{EcLevel, Version};
    for v in 1..=40 {
        let mut b = Bits::new(Version::Normal(v));
        if b.push_byte_data(text.as_bytes()).is_ok() && b.push_terminator(EcLevel::M).is_ok() {
            return v;
        }
    }
    0
}

#[test]
fn qr_version_matches_the_iso_capacity_table() {
    // ISO/IEC 18004 Table 7, level M byte capacities: v1 14, v2 26, v7 122, v10 213.
    assert_eq!(qr_version(&"x".repeat(14)), 1);
    assert_eq!(qr_version(&"x".repeat(15)), 2);
    assert_eq!(qr_version(&"x".repeat(122)), 7);
    assert_eq!(qr_version(&"x".repeat(123)), 8);
    assert_eq!(qr_version(&"x".repeat(213)), 10);
}

/// Signs every intact MPM code of the corpus that can be re-emitted: each verifies, raises
/// no new strict issue, keeps its schemes; prints the growth.
#[test]
fn corpus_codes_stay_valid_when_signed() {
    let v = vectors();
    let (ed, hm) = signers(&v);
    let store = store(&v);
    let rows = corpus();
    if rows.is_empty() {
        eprintln!("corpus not found; skipped");
        return;
    }
    let mut signed_n = 0;
    let mut grow = [(0usize, 0usize, 0usize); 2];
    let mut versions = Vec::new();
    for r in &rows {
        if r["kind"] != "emv-mpm" || r["verdict"] != "intact" {
            continue;
        }
        let p = r["payload"].as_str().unwrap();
        for (k, s) in [&ed, &hm].into_iter().enumerate() {
            let Ok(signed) = sign::sign_payload(p, s) else {
                continue;
            };
            assert!(sign::verify(&signed, &store, 0).is_valid(), "{signed}");
            let canonical = qrpay::mpm::MpmBuilder::from_mpm(&qrpay::mpm::parse(p).unwrap())
                .build_lenient()
                .unwrap();
            let before = strict_codes(&canonical);
            let after = strict_codes(&signed);
            assert!(after.is_subset(&before), "{p}: {after:?} vs {before:?}");
            assert_eq!(qrpay::decode(&signed).schemes, qrpay::decode(p).schemes);
            let extra = signed.chars().count() - canonical.chars().count();
            grow[k].0 += 1;
            grow[k].1 = grow[k].1.max(extra);
            grow[k].2 += extra;
            versions.push((k, qr_version(&canonical), qr_version(&signed)));
            signed_n += 1;
        }
    }
    assert!(signed_n > 100, "{signed_n}");
    for (k, name) in ["ed25519", "hmac"].iter().enumerate() {
        let (n, max, sum) = grow[k];
        eprintln!(
            "{name}: {n} codes signed, +{} characters on average, +{max} at most",
            sum / n.max(1)
        );
    }
    for (k, name) in ["ed25519", "hmac"].iter().enumerate() {
        let vs: Vec<_> = versions.iter().filter(|v| v.0 == k).collect();
        let n = vs.len().max(1) as f64;
        let before: i16 = vs.iter().map(|v| v.1).sum();
        let after: i16 = vs.iter().map(|v| v.2).sum();
        eprintln!(
            "{name}: QR version (byte mode, EC M) {:.1} -> {:.1} on average, largest signed {}",
            f64::from(before) / n,
            f64::from(after) / n,
            vs.iter().map(|v| v.2).max().unwrap_or(0)
        );
    }
}

#[test]
fn the_shipped_trust_list_loads() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/spec/routing/trust.json"
    ))
    .unwrap();
    let mut s = TrustStore::from_json(&bytes).unwrap();
    assert_eq!(s.entries().len(), 2);
    assert_eq!(s.effective(), "2026-01-01");
    // The vectors' Ed25519 code verifies against it inside the validity period, and is
    // reported expired outside it.
    let (codes, _) = signed_codes();
    assert!(sign::verify(&codes[0], &s, 1_800_000_000).is_valid());
    assert_eq!(
        sign::verify(&codes[0], &s, 1_900_000_000).as_str(),
        "signed-expired-key"
    );
    // The HMAC code needs its secret.
    assert_eq!(
        sign::verify(&codes[1], &s, 1_800_000_000).as_str(),
        "signed-unknown-key"
    );
    let v = vectors();
    let key =
        SecretKey::from_hex(v["keys"]["hmac-sha256-128"]["key_hex"].as_str().unwrap()).unwrap();
    s.attach_hmac_key("closed-loop:7", key).unwrap();
    assert!(sign::verify(&codes[1], &s, 1_800_000_000).is_valid());
}

proptest! {
    /// Arbitrary text around the GUID, and signed codes cut anywhere: reading, verifying and
    /// decoding never panic, and nothing but a genuine code is `signed-valid`.
    #[test]
    fn arbitrary_input_never_panics(pre in "[0-9A-Za-z ]{0,40}", mid in "\\PC{0,20}", cut in 0usize..400, which in 0usize..10) {
        let (codes, store) = signed_codes();
        let text = format!("{pre}80{:02}org.qrpay.sig{mid}6304ABCD", 13 + mid.chars().count());
        let _ = sign::read(&text);
        prop_assert!(!sign::verify(&text, store, 0).is_valid());
        let _ = qrpay::decode(&text);
        let code = &codes[which % codes.len()];
        let cut = code.char_indices().map(|(i, _)| i).nth(cut % code.chars().count()).unwrap_or(0);
        let head = &code[..cut];
        prop_assert!(!sign::verify(head, store, 0).is_valid());
        let _ = qrpay::decode(head);
    }
}
