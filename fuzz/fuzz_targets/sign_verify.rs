#![no_main]
//! Signed merchant codes: arbitrary text through `sign::read` and `sign::verify` with a
//! small trust store (the keys of spec/signing/vectors.json, so the seeds verify), and
//! whatever can be signed (`sign_payload`) must then verify as signed-valid with the key it
//! was signed with (signed-expired-key outside that key's validity period), read back as
//! signed, and sign again to the same text.
//!
//! Input: 1 byte signer choice, 1 byte clock (× 20 s), then the text.

use libfuzzer_sys::fuzz_target;
use qrpay::otp::SecretKey;
use qrpay::sign::{self, Invalid, Signer, Status, TrustEntry, TrustStore, VerifyKey};
use std::sync::OnceLock;

/// RFC 8032 §7.1 TEST 1 secret (public test key), key id as in spec/signing/gen_vectors.py.
const ED_SEED: [u8; 32] = [
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c,
    0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae,
    0x7f, 0x60,
];
const ED_KID: &str = "acq-test-1";
const HM_KID: &str = "closed-loop:7";
/// A second Ed25519 key valid only from 1000 to 2000 (Unix seconds).
const OLD_SEED: [u8; 32] = [0x11; 32];
const OLD_KID: &str = "acq-old";
const OLD_FROM: u64 = 1000;
const OLD_TO: u64 = 2000;

fn hmac_key() -> SecretKey {
    SecretKey::new((0u8..32).collect())
}

struct Fixture {
    store: TrustStore,
    signers: Vec<Signer>,
}

fn fixture() -> Option<Fixture> {
    let ed = Signer::ed25519(&ED_SEED, ED_KID).ok()?;
    let hm = Signer::hmac(hmac_key(), HM_KID).ok()?;
    let old = Signer::ed25519(&OLD_SEED, OLD_KID).ok()?;
    let mut store = TrustStore::new();
    store
        .insert(TrustEntry::new(Some(ED_KID), ed.verify_key(), "acquirer"))
        .ok()?;
    store
        .insert(TrustEntry::new(
            Some(HM_KID),
            VerifyKey::hmac(hmac_key()).ok()?,
            "closed loop",
        ))
        .ok()?;
    let mut e = TrustEntry::new(Some(OLD_KID), old.verify_key(), "old acquirer");
    e.not_before = OLD_FROM;
    e.not_after = OLD_TO;
    store.insert(e).ok()?;
    Some(Fixture {
        store,
        signers: vec![ed, hm, old],
    })
}

fuzz_target!(|data: &[u8]| {
    static FIX: OnceLock<Option<Fixture>> = OnceLock::new();
    let Some(fix) = FIX.get_or_init(fixture) else {
        panic!("fixture keys refused");
    };
    let [sel, clock, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let now = u64::from(*clock) * 20;

    // Reading and verifying anything.
    let read = sign::read(text);
    let status = sign::verify(text, &fix.store, now);
    match (&read, &status) {
        (Ok(None), Status::Unsigned) => {}
        (Ok(None), s) => panic!("read says unsigned, verify says {s}"),
        (Err(m), Status::SignedInvalid { reason, .. }) => {
            assert_eq!(*reason, Invalid::Malformed(*m));
        }
        (Err(_), s) => panic!("read says malformed, verify says {s}"),
        (Ok(Some(_)), Status::Unsigned) => panic!("read found a signature, verify says unsigned"),
        (Ok(Some(sig)), s) => {
            assert!(!matches!(
                s,
                Status::SignedInvalid {
                    reason: Invalid::Malformed(_),
                    ..
                }
            ));
            let _ = sig.message();
            if let Status::SignedValid { key_id, .. } | Status::SignedExpiredKey { key_id, .. } = s
            {
                assert_eq!(key_id, sig.key_id);
            }
        }
    }
    let _ = status.to_string();
    let mut d = qrpay::decode(text);
    let checked = sign::check(&mut d, &fix.store, now);
    if matches!(checked, Status::SignedInvalid { .. }) {
        assert!(!d.is_valid());
    }

    // Signing whatever signs; the result must verify with the signer's key.
    let signer = &fix.signers[usize::from(*sel) % fix.signers.len()];
    let Ok(signed) = sign::sign_payload(text, signer) else {
        return;
    };
    assert!(signed.chars().count() <= sign::MAX_SIGNED_CHARS);
    let Ok(Some(sig)) = sign::read(&signed) else {
        panic!("signed payload does not read as signed: {signed}");
    };
    assert_eq!(sig.key_id, signer.key_id());
    assert_eq!(sig.algorithm, signer.algorithm());
    let st = sign::verify(&signed, &fix.store, now);
    let in_period = signer.key_id() != OLD_KID || (OLD_FROM..=OLD_TO).contains(&now);
    if in_period {
        assert!(
            st.is_valid(),
            "signed payload verifies as {st}: {signed} (from {text})"
        );
    } else {
        assert!(
            matches!(st, Status::SignedExpiredKey { .. }),
            "signed payload with expired key verifies as {st}: {signed}"
        );
    }
    // Signing is canonical: signing the signed text again gives it back.
    match sign::sign_payload(&signed, signer) {
        Ok(again) => assert_eq!(again, signed, "re-signing changed the payload (from {text})"),
        Err(e) => panic!("a signed payload cannot be signed again: {e} ({signed})"),
    }
});
