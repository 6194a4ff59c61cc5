//! `mpm::parse` + strict validation (CRC included) of an intact, valid payload allocate
//! nothing, and neither do `decode`/`recognize` of the scheme payloads of the corpus (issues
//! found go into a `Vec`, so payloads with issues may allocate: only those whose report is
//! empty are held to zero). Counted with a global allocator wrapper; this file is its own
//! test binary.

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::allocations;

const THAI_BILL: &str = "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631";
const ANNEX: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

#[test]
fn parse_and_strict_validation_allocate_nothing() {
    for p in [THAI_BILL, ANNEX] {
        let mut valid = false;
        let n = allocations(|| {
            let m = qrpay::mpm::parse(p).expect("parses");
            let mut r = qrpay::Report::new(qrpay::Mode::Strict);
            qrpay::mpm::validate(&m, &mut r);
            valid = r.is_empty();
            std::hint::black_box(&m);
        });
        assert!(valid, "{p} should be strictly valid");
        assert_eq!(n, 0, "{p}: {n} allocations");
        let n = allocations(|| {
            let d = qrpay::decode_with(
                p,
                qrpay::decode::Options {
                    mode: qrpay::Mode::Strict,
                },
            );
            assert!(d.is_intact() && d.report.is_empty());
            std::hint::black_box(&d);
        });
        assert_eq!(n, 0, "decode of {p}: {n} allocations");
    }
}

/// Intact corpus payloads labelled with `scheme` (labels from the corpus, not from qrpay).
fn corpus_payloads(scheme: &str) -> Vec<String> {
    include_str!("../spec/corpus/payloads.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["verdict"] == "intact" && v["kind"] == "emv-mpm")
        .filter(|v| {
            v["scheme_ids"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|i| i == scheme))
        })
        .filter_map(|v| v["payload"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn recognize_and_decode_of_scheme_payloads_allocate_nothing() {
    for (scheme, at_least) in [
        ("pix", 3),
        ("promptpay", 2),
        ("sgqr", 1),
        ("paynow", 1),
        ("vietqr", 1),
        ("khqr", 1),
        ("fps", 1),
    ] {
        let payloads = corpus_payloads(scheme);
        let mut clean = 0;
        for p in &payloads {
            for mode in [qrpay::Mode::Lenient, qrpay::Mode::Strict] {
                let mut empty = false;
                let n = allocations(|| {
                    let d = qrpay::decode_with(p, qrpay::decode::Options { mode });
                    assert!(d.is_intact(), "{p}");
                    assert!(
                        d.schemes.iter().any(|s| s.as_str() == scheme),
                        "{scheme} not found in {p}"
                    );
                    empty = d.report.is_empty();
                    std::hint::black_box(&d);
                });
                if empty {
                    assert_eq!(n, 0, "decode of {scheme} payload {p}: {n} allocations");
                    clean += 1;
                }
            }
            let mut empty = false;
            let n = allocations(|| {
                let d = qrpay::recognize(p);
                empty = d.report.is_empty();
                std::hint::black_box(&d);
            });
            if empty {
                assert_eq!(n, 0, "recognize of {scheme} payload {p}: {n} allocations");
            }
        }
        assert!(
            clean >= at_least,
            "{scheme}: only {clean} clean decodes of {} payloads",
            payloads.len()
        );
    }
}

#[test]
fn the_counter_counts() {
    // Guards the test above against a counter that never moves.
    let n = allocations(|| {
        std::hint::black_box(vec![1u8; 16]);
    });
    assert!(n >= 1);
}

/// The carry-less-multiply CRC (feature `simd-crc`, for long or 16-byte-aligned input) and
/// the table allocate nothing either, the very first call included (CPU detection).
#[test]
fn crc_of_aligned_and_long_input_allocates_nothing() {
    // A heap buffer starts on a 16-byte boundary; the slices from 1 do not.
    let data: Vec<u8> = (0..4097u32).map(|i| (i * 7 + 3) as u8).collect();
    for (at, n) in [
        (0, 256),
        (0, 4096),
        (1, 1024),
        (1, 4096),
        (1, 300),
        (0, 100),
    ] {
        let d = &data[at..at + n];
        let crc = std::cell::Cell::new(0);
        let count = allocations(|| crc.set(qrpay::crc::crc16(d)));
        assert_eq!(count, 0, "{n} bytes at {at}");
        std::hint::black_box(crc.get());
    }
    // A heap copy of the Annex example (260 bytes, aligned): decode allocates nothing.
    let annex = String::from(ANNEX);
    let n = allocations(|| {
        let d = qrpay::decode_with(
            &annex,
            qrpay::decode::Options {
                mode: qrpay::Mode::Strict,
            },
        );
        assert!(d.report.is_empty() && d.is_intact());
        std::hint::black_box(&d);
    });
    assert_eq!(n, 0);
}
