//! Property tests: builder and parser agree, and no input makes decode panic.

use proptest::prelude::*;
use qrpay::decode::{decode_with, Options};
use qrpay::mpm::{self, MpmBuilder};
use qrpay::Mode;

fn ans(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0x20u8..=0x7E, 1..=max)
        .prop_map(|v| v.into_iter().map(char::from).collect())
}

fn multibyte(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        any::<char>().prop_filter("printable", |c| !c.is_control()),
        1..=max,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn amount() -> impl Strategy<Value = String> {
    (1u64..99_999_999, 0u8..100).prop_map(|(i, f)| format!("{i}.{f:02}"))
}

fn currency() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(
        qrpay::currency::ALL
            .iter()
            .filter(|c| c.exponent == Some(2))
            .map(|c| c.numeric)
            .collect::<Vec<_>>(),
    )
}

prop_compose! {
    fn merchant()(
        mcc in "[0-9]{4}",
        cur in currency(),
        country in "[A-Z]{2}",
        name in ans(25),
        city in ans(15),
        acct_id in 26u8..=51,
        guid in "[A-Za-z0-9.]{1,32}",
        subs in proptest::collection::btree_map(1u8..=99, ans(15), 0..=3),
        amt in proptest::option::of(amount()),
        dynamic in any::<bool>(),
        extra in proptest::collection::btree_map(1u8..=8, ans(25), 0..=3),
        lang in proptest::option::of(("[A-Z]{2}", multibyte(25), proptest::option::of(multibyte(15)))),
        postal in proptest::option::of(ans(10)),
    ) -> MpmBuilder {
        let mut t: Vec<(u8, &str)> = vec![(0, guid.as_str())];
        t.extend(subs.iter().map(|(k, v)| (*k, v.as_str())));
        let mut b = MpmBuilder::new(&mcc, cur, &country, &name, &city).account_template(acct_id, &t);
        if dynamic { b = b.dynamic() } else { b = b.static_code() }
        if let Some(a) = &amt { b = b.amount(a) }
        for (k, v) in &extra { b = b.additional(*k, v) }
        if let Some((l, n, c)) = &lang { b = b.language(l, n, c.as_deref()) }
        if let Some(p) = &postal { b = b.postal_code(p) }
        b
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_of_build_gives_back_the_same_fields(b in merchant()) {
        let payload = b.build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let m = mpm::parse(&payload).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(MpmBuilder::from_mpm(&m), b);
        let d = decode_with(&payload, Options { mode: Mode::Strict });
        prop_assert!(d.is_intact());
        prop_assert!(!d.report.has_errors(), "{:?}", d.report);
        // The CRC is always upper-case hex.
        let crc = &payload[payload.len() - 4..];
        prop_assert_eq!(crc.to_ascii_uppercase(), crc);
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
        for mode in [Mode::Strict, Mode::Lenient] {
            let d = decode_with(&s, Options { mode });
            let _ = qrpay::json::to_value(&d, Default::default());
        }
    }

    #[test]
    fn emv_shaped_text_never_panics(s in "([0-9]{2}(0[0-9]|1[0-5])[0-9A-Za-z最.]{0,15}){0,20}(6304[0-9A-Fa-f]{4})?") {
        let d = decode_with(&s, Options { mode: Mode::Strict });
        let _ = qrpay::json::to_value(&d, Default::default());
        if let Some(m) = d.mpm() {
            let _ = MpmBuilder::from_mpm(m).build_lenient();
            let _ = m.fields();
        }
    }
}

fn corpus_payloads() -> &'static [String] {
    static ALL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        include_str!("../spec/corpus/payloads.jsonl")
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["payload"].as_str().map(str::to_owned))
            .collect()
    })
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    Replace(usize, char),
    Truncate(usize),
    Swap(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let ch = prop_oneof![
        proptest::char::range('0', '9'),
        Just('6'),
        Just('最'),
        any::<char>(),
    ];
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), ch.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<usize>(), ch).prop_map(|(i, c)| Edit::Replace(i, c)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
    ]
}

fn apply(s: &str, edits: &[Edit]) -> String {
    let mut c: Vec<char> = s.chars().collect();
    for e in edits {
        let n = c.len().max(1);
        match *e {
            Edit::Delete(i) if !c.is_empty() => {
                c.remove(i % n);
            }
            Edit::Insert(i, ch) => c.insert(i % (c.len() + 1), ch),
            Edit::Replace(i, ch) if !c.is_empty() => c[i % n] = ch,
            Edit::Truncate(i) => c.truncate(i % (c.len() + 1)),
            Edit::Swap(a, b) if !c.is_empty() => c.swap(a % n, b % n),
            _ => {}
        }
    }
    c.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn mutated_real_payloads_never_panic(
        idx in any::<prop::sample::Index>(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let all = corpus_payloads();
        let p = apply(idx.get(all).as_str(), &edits);
        for mode in [Mode::Strict, Mode::Lenient] {
            let d = decode_with(&p, Options { mode });
            let _ = qrpay::json::to_value(&d, Default::default());
            if let Some(m) = d.mpm() {
                let _ = MpmBuilder::from_mpm(m).build();
            }
        }
    }
}
