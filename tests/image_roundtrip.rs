//! Render → scan round trips over the corpus, and the per-format rendering rules checked
//! against independent capacity arithmetic (ISO/IEC 18004 tables).
#![cfg(feature = "image")]

use qrpay::image::{
    encode, encode_with, scan, scan_with, Backend, Ec, EncodeOptions, RenderError, RenderOptions,
    ScanOptions, Segments, Size,
};
use serde_json::Value;

/// Data codewords at error correction M, versions 1–40 (ISO/IEC 18004:2015 Table 7).
const DATA_CODEWORDS_M: [usize; 40] = [
    16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669,
    714, 782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914,
    1992, 2102, 2216, 2334,
];

/// Smallest version holding `n` bytes in one byte-mode segment at level M, with or without
/// an ECI designator (4-bit mode + 8-bit designator for values < 128).
fn byte_mode_version(n: usize, eci: bool) -> usize {
    for (i, &cw) in DATA_CODEWORDS_M.iter().enumerate() {
        let v = i + 1;
        let count_bits = if v <= 9 { 8 } else { 16 };
        let bits = if eci { 12 } else { 0 } + 4 + count_bits + 8 * n;
        if bits <= cw * 8 {
            return v;
        }
    }
    panic!("{n} bytes do not fit");
}

fn intact_rows() -> Vec<(String, String)> {
    include_str!("../spec/corpus/payloads.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .filter(|r| r["kind"] != "emv-mpm" || r["verdict"] == "intact")
        .map(|r| {
            (
                r["kind"].as_str().expect("kind").to_owned(),
                r["payload"].as_str().expect("payload").to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_intact_corpus_payload_round_trips() {
    let rows = intact_rows();
    assert!(rows.len() > 200, "corpus rows: {}", rows.len());
    let opts = RenderOptions {
        size: Size::PerModule(3),
        ..RenderOptions::default()
    };
    let mut failures = Vec::new();
    for (kind, p) in &rows {
        let sym = match encode(p) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{kind}: encode failed ({e}): {p}"));
                continue;
            }
        };
        let (luma, side) = sym.to_luma(&opts).expect("raster");
        let side = side as usize;
        let found = scan(&luma, side, side, side).expect("scan");
        if found.len() != 1 || found[0].payload != *p {
            failures.push(format!(
                "{kind}: read {:?} for {p}",
                found.iter().map(|s| &s.payload).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn emv_payloads_use_one_byte_segment_and_eci_26_only_outside_the_common_set() {
    for (kind, p) in intact_rows() {
        if kind != "emv-mpm" {
            continue;
        }
        let sym = encode(&p).expect("encode");
        let eci = p.bytes().any(|b| !(0x20..=0x7e).contains(&b));
        assert_eq!(sym.has_eci(), eci, "{p}");
        assert!(sym.is_byte_mode());
        assert_eq!(sym.ec(), Ec::M);
        // The version is the smallest that holds the bytes in byte mode: mixed segments would
        // give a smaller one for these digit-heavy payloads.
        assert_eq!(
            usize::from(sym.version()),
            byte_mode_version(p.len(), eci),
            "{p}"
        );
        assert_eq!(sym.width(), 17 + 4 * usize::from(sym.version()));
    }
}

#[test]
fn compact_mode_is_smaller_for_emv_and_still_reads() {
    let p = intact_rows()
        .into_iter()
        .find(|(k, p)| k == "emv-mpm" && p.len() > 150 && p.is_ascii())
        .expect("a long ASCII MPM payload")
        .1;
    let byte = encode(&p).expect("byte");
    let mixed = encode_with(
        &p,
        &EncodeOptions {
            segments: Segments::Mixed,
            ..EncodeOptions::default()
        },
    )
    .expect("mixed");
    assert!(
        mixed.version() < byte.version(),
        "{} vs {}",
        mixed.version(),
        byte.version()
    );
    assert!(!mixed.is_byte_mode());
    let (luma, side) = mixed.to_luma(&RenderOptions::default()).expect("raster");
    let s = side as usize;
    assert_eq!(scan(&luma, s, s, s).expect("scan")[0].payload, p);
}

fn epc(remittance_len: usize) -> String {
    // EPC069-12 layout; the unstructured remittance pads the payload to the size wanted.
    let head = "BCD\n002\n1\nSCT\n\nFranz Mustermänn\nDE71110220330123456789\nEUR12.3\n\n\n";
    format!("{head}{}", "x".repeat(remittance_len))
}

#[test]
fn epc_is_limited_to_version_13_at_level_m() {
    // Version 13-M holds 334 codewords: 4 + 16 bits of header leave 331 bytes.
    let head = epc(0).len();
    let fits = epc(331 - head);
    assert_eq!(fits.len(), 331);
    let sym = encode(&fits).expect("331 bytes fit");
    assert_eq!(sym.kind().as_str(), "epc-sct");
    assert_eq!((sym.version(), sym.ec()), (13, Ec::M));
    assert!(!sym.has_eci(), "EPC names its character set in line 3");
    let too_long = epc(332 - head);
    assert!(matches!(
        encode(&too_long),
        Err(RenderError::TooLong {
            max_version: 13,
            ..
        })
    ));
    let other_ec = EncodeOptions {
        ec: Some(Ec::H),
        ..EncodeOptions::default()
    };
    assert!(matches!(
        encode_with(&fits, &other_ec),
        Err(RenderError::EcLevel { .. })
    ));
}

#[test]
fn anything_too_long_is_refused() {
    let p = "a".repeat(2400);
    assert!(matches!(
        encode(&p),
        Err(RenderError::TooLong {
            max_version: 40,
            ..
        })
    ));
    let small = EncodeOptions {
        max_version: Some(2),
        ..EncodeOptions::default()
    };
    assert!(matches!(
        encode_with(&"x".repeat(40), &small),
        Err(RenderError::TooLong { .. })
    ));
    let sym = encode("hello").expect("encode");
    let tiny = RenderOptions {
        size: Size::Total(20),
        ..RenderOptions::default()
    };
    assert!(matches!(sym.to_png(&tiny), Err(RenderError::Size { .. })));
}

#[test]
fn swiss_bill_has_the_cross_and_still_reads() {
    let (_, p) = intact_rows()
        .into_iter()
        .find(|(k, _)| k == "swiss-qr-bill")
        .expect("a Swiss row");
    let sym = encode(&p).expect("encode");
    assert_eq!(sym.ec(), Ec::M);
    assert!(sym.version() <= 25);
    let px = 6u32;
    let opts = RenderOptions {
        size: Size::PerModule(px),
        ..RenderOptions::default()
    };
    let (luma, side) = sym.to_luma(&opts).expect("raster");
    let s = side as usize;
    let at = |fx: f64, fy: f64| {
        // Position in symbol fractions (0..1 over the symbol without quiet zone).
        let n = sym.width() as f64 * f64::from(px);
        let q = 4.0 * f64::from(px);
        let x = (q + fx * n) as usize;
        let y = (q + fy * n) as usize;
        luma[y * s + x]
    };
    // The cross is 7/46 of the symbol: centre white (the cross), a point on the diagonal
    // inside the black square black, and the rim white.
    let half = 7.0 / 46.0 / 2.0;
    assert_eq!(at(0.5, 0.5), 255, "white cross centre");
    assert_eq!(at(0.5 - half * 0.7, 0.5 - half * 0.7), 0, "black square");
    assert_eq!(
        at(0.5 - half * 0.97, 0.5 - half * 0.97),
        255,
        "white border"
    );
    assert!(sym.to_svg(&opts).expect("svg").contains("<rect x="));
    let found = scan(&luma, s, s, s).expect("scan");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].payload, p);
}

#[test]
fn every_backend_reads_a_clean_code_and_reports_its_corners() {
    let p = intact_rows()[0].1.clone();
    let sym = encode(&p).expect("encode");
    let px = 4usize;
    let (luma, side) = sym
        .to_luma(&RenderOptions {
            size: Size::PerModule(px as u32),
            ..RenderOptions::default()
        })
        .expect("raster");
    let s = side as usize;
    let q = (4 * px) as f32;
    let far = (4 + sym.width()) as f32 * px as f32;
    let want = [(q, q), (far, q), (far, far), (q, far)];
    for b in Backend::available() {
        let found = scan_with(&luma, s, s, s, &ScanOptions::plain(vec![b])).expect("scan");
        assert_eq!(found.len(), 1, "{b:?}");
        assert_eq!(found[0].payload, p, "{b:?}");
        assert_eq!(found[0].backend, b);
        for (c, w) in found[0].corners.iter().zip(want) {
            assert!(
                (c.x - w.0).abs() <= 2.5 * px as f32 && (c.y - w.1).abs() <= 2.5 * px as f32,
                "{b:?}: corners {:?}, want {want:?}",
                found[0].corners
            );
        }
    }
}

#[test]
fn frames_are_bounded_and_checked() {
    use qrpay::image::ScanError;
    assert!(matches!(scan(&[], 0, 10, 0), Err(ScanError::Empty { .. })));
    assert!(matches!(
        scan(&[0; 10], 10, 2, 10),
        Err(ScanError::Buffer { .. })
    ));
    assert!(matches!(
        scan(&[0; 10], 10, 1, 5),
        Err(ScanError::Stride { .. })
    ));
    assert!(matches!(
        scan(&[], 5000, 5000, 5000),
        Err(ScanError::TooLarge { .. })
    ));
    // A blank frame and a noise frame hold no code.
    assert!(scan(&[255; 640 * 480], 640, 480, 640)
        .expect("blank")
        .is_empty());
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let noise: Vec<u8> = (0..320 * 240)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 56) as u8
        })
        .collect();
    assert!(scan(&noise, 320, 240, 320).expect("noise").is_empty());
}

#[test]
fn stride_and_terminal_and_matrix() {
    let sym = encode("upi://pay?pa=merchant@bank&pn=Shop&am=10.00&cu=INR").expect("encode");
    let (luma, side) = sym.to_luma(&RenderOptions::default()).expect("raster");
    let s = side as usize;
    // Same frame with a wider stride (padding bytes set to black, which must be ignored).
    let stride = s + 13;
    let mut padded = vec![0u8; stride * s];
    for y in 0..s {
        padded[y * stride..y * stride + s].copy_from_slice(&luma[y * s..(y + 1) * s]);
    }
    assert_eq!(scan(&padded, s, s, stride).expect("scan").len(), 1);
    let m = sym.to_matrix_text(4);
    assert_eq!(m.lines().count(), sym.width() + 8);
    assert!(m.lines().all(|l| l.len() == sym.width() + 8));
    // Finder pattern top-left: row 4 (first symbol row) is 7 dark modules then a light one.
    assert!(m.lines().nth(4).expect("row").starts_with("000011111110"));
    let t = sym.to_terminal(4, qrpay::image::TermStyle::DarkOnLight);
    assert_eq!(t.lines().count(), (sym.width() + 8).div_ceil(2));
    let png = sym.to_png(&RenderOptions::default()).expect("png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}
