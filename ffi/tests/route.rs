//! `qrpay_route` gives the bytes of `qrpay::routing::decision_to_string` (what `qrpay route
//! --json` prints) for every corpus payload and every example profile, with the profile sent
//! as JSON written here from the profile's fields; `qrpay_scan_json` gives the JSON of
//! `Scan::to_json` for a rendered corpus payload.

use std::path::Path;

use qrpay::*;
use qrpay_core::routing::{self, Role, Router};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn out(f: impl Fn(*mut u8, usize, *mut usize) -> qrpay_status) -> (qrpay_status, Vec<u8>) {
    let mut n = 0usize;
    let s = f(std::ptr::null_mut(), 0, &mut n);
    if s != qrpay_status::QRPAY_BUFFER_TOO_SMALL {
        return (s, Vec::new());
    }
    let mut buf = vec![0u8; n];
    let s = f(buf.as_mut_ptr(), buf.len(), &mut n);
    buf.truncate(n);
    (s, buf)
}

fn profile_json(p: &routing::Profile) -> String {
    serde_json::json!({
        "name": p.name,
        "role": match p.role { Role::Wallet => "wallet", Role::Acquirer => "acquirer" },
        "accept": p.accept.iter().map(|a| serde_json::json!({
            "scheme": a.scheme.as_str(),
            "countries": a.countries,
            "currencies": a.currencies,
        })).collect::<Vec<_>>(),
        "now_ms": 1_767_225_600_000u64,
    })
    .to_string()
}

#[test]
fn route_is_the_cli_json_for_the_corpus() {
    let corpus = std::fs::read_to_string(root().join("spec/corpus/payloads.jsonl")).unwrap();
    let router = Router::builtin();
    let mut dir = std::ptr::null_mut();
    assert_eq!(
        unsafe { qrpay_directory_new_builtin(&mut dir) },
        qrpay_status::QRPAY_OK
    );
    let mut n = 0;
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = row["payload"].as_str().unwrap();
        for p in routing::example_profiles() {
            let p = p.at(1_767_225_600_000);
            let want = routing::decision_to_string(&router.route(&qrpay_core::decode(text), &p));
            let pj = profile_json(&p);
            let (s, got) = out(|o, c, l| unsafe {
                qrpay_route(
                    dir,
                    text.as_ptr(),
                    text.len(),
                    pj.as_ptr(),
                    pj.len(),
                    o,
                    c,
                    l,
                )
            });
            assert_eq!(s, qrpay_status::QRPAY_OK, "{text}");
            assert_eq!(String::from_utf8(got).unwrap(), want, "{text} / {}", p.name);
            n += 1;
        }
    }
    unsafe { qrpay_directory_free(dir) };
    assert!(n > 100, "{n}");
}

#[cfg(feature = "image")]
#[test]
fn scan_json_is_the_cli_json() {
    use qrpay_core::image::{encode, scan, RenderOptions};
    let text = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
    let (luma, side) = encode(text)
        .unwrap()
        .to_luma(&RenderOptions::default())
        .unwrap();
    let side = side as usize;
    let want = serde_json::Value::Array(
        scan(&luma, side, side, side)
            .unwrap()
            .iter()
            .map(|s| s.to_json(qrpay_core::Mode::Lenient, Default::default()))
            .collect(),
    )
    .to_string();
    let (s, got) =
        out(|o, c, l| unsafe { qrpay_scan_json(luma.as_ptr(), side, side, side, o, c, l) });
    assert_eq!(s, qrpay_status::QRPAY_OK);
    assert_eq!(String::from_utf8(got).unwrap(), want);
    assert!(want.contains("\"payload\":\"00020101"));
}

#[cfg(not(feature = "image"))]
#[test]
fn image_functions_are_unsupported_without_the_feature() {
    let mut n = 0;
    let mut side = 0;
    let s = unsafe {
        qrpay_render_matrix(
            b"x".as_ptr(),
            1,
            4,
            std::ptr::null_mut(),
            0,
            &mut n,
            &mut side,
        )
    };
    assert_eq!(s, qrpay_status::QRPAY_UNSUPPORTED);
    let px = [255u8; 16];
    let s = unsafe { qrpay_scan_json(px.as_ptr(), 4, 4, 4, std::ptr::null_mut(), 0, &mut n) };
    assert_eq!(s, qrpay_status::QRPAY_UNSUPPORTED);
}
