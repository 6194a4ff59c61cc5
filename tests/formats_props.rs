//! Property tests: build -> parse gives back the same fields (UPI, EPC, Swiss QR-bill), and
//! no input, random or mutated from a real payload, makes any reader panic.

use proptest::prelude::*;
use qrpay::formats::{self, epc, swiss, upi, wrapper};
use qrpay::{Mode, Report};

/// IBAN check digits computed here (ISO 13616: move the country and "00" to the end, letters
/// as 10..35, 98 minus the remainder mod 97), independently of the crate.
fn with_check_digits(country: &str, bban: &str) -> String {
    let mut r: u64 = 0;
    for c in bban.chars().chain(country.chars()).chain("00".chars()) {
        let v = c.to_digit(36).unwrap() as u64;
        r = if v >= 10 {
            (r * 100 + v) % 97
        } else {
            (r * 10 + v) % 97
        };
    }
    format!("{country}{:02}{bban}", 98 - r)
}

fn qrr(base26: &str) -> String {
    let t = [0u32, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    let mut carry = 0;
    for c in base26.chars() {
        carry = t[((carry + c.to_digit(10).unwrap()) % 10) as usize];
    }
    format!("{base26}{}", (10 - carry) % 10)
}

fn amount(max_int: u64) -> impl Strategy<Value = String> {
    (1..=max_int, 0u32..100, 0usize..3).prop_map(|(i, f, d)| match d {
        0 => i.to_string(),
        1 => format!("{i}.{}", f % 10),
        _ => format!("{i}.{f:02}"),
    })
}

fn no_breaks(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            8 => proptest::char::range(' ', '~'),
            1 => proptest::char::range('\u{A0}', '\u{17F}'),
            1 => Just('€'),
        ],
        1..=max,
    )
    .prop_map(|v| v.into_iter().collect::<String>())
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn get<'a>(f: &'a [qrpay::fields::Field<'a>], path: &str) -> Option<&'a str> {
    f.iter().find(|x| x.path == path).map(|x| x.value.as_ref())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn upi_build_parse_round_trip(
        handle in "[a-z0-9][a-z0-9._-]{0,15}",
        psp in "[a-z][a-z0-9.-]{1,10}",
        pn in any::<String>().prop_filter("not blank", |s| !s.trim().is_empty()),
        am in amount(99_999_999),
        tn in any::<String>(),
        tr in proptest::option::of("[A-Za-z0-9]{1,35}"),
    ) {
        let pa = format!("{handle}@{psp}");
        let mut b = upi::UpiBuilder::new(&pa, &pn).amount(&am).note(&tn);
        if let Some(tr) = &tr {
            b = b.reference(tr);
        }
        let link = b.build().unwrap();
        prop_assert_eq!(formats::detect(&link), Some(formats::FormatKind::Upi));
        let u = upi::parse(&link).unwrap();
        let mut r = Report::new(Mode::Strict);
        u.validate(&mut r);
        prop_assert!(r.is_empty(), "{:?}", r);
        let f = u.fields();
        prop_assert_eq!(get(&f, "pa"), Some(pa.as_str()));
        prop_assert_eq!(get(&f, "pn"), Some(pn.as_str()));
        prop_assert_eq!(get(&f, "am"), Some(am.as_str()));
        prop_assert_eq!(get(&f, "tn"), Some(tn.as_str()));
        prop_assert_eq!(get(&f, "cu"), Some("INR"));
        prop_assert_eq!(get(&f, "tr"), tr.as_deref());
        // Rebuilding from the parsed link gives the same link.
        prop_assert_eq!(upi::UpiBuilder::from_upi(&u).build().unwrap(), link);
    }

    #[test]
    fn epc_build_parse_round_trip(
        name in no_breaks(30),
        country in "[A-Z]{2}",
        bban in "[0-9A-Z]{11,20}",
        am in proptest::option::of(amount(999_999_999)),
        purpose in proptest::option::of("[A-Z]{4}"),
        reference in proptest::option::of("[0-9A-Z]{1,21}"),
        text in proptest::option::of(no_breaks(40)),
        info in proptest::option::of(no_breaks(30)),
        bic in proptest::option::of("[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?"),
    ) {
        let iban = with_check_digits(&country, &bban);
        let mut b = epc::EpcBuilder::new(&name, &iban);
        if let Some(x) = &bic { b = b.bic(x); }
        if let Some(x) = &am { b = b.amount(x); }
        if let Some(x) = &purpose { b = b.purpose(x); }
        let rf = reference.as_deref().and_then(formats::creditor_reference);
        match (&rf, &text) {
            (Some(r), _) => b = b.reference(r),
            (None, Some(t)) => b = b.text(t),
            _ => {}
        }
        if let Some(x) = &info { b = b.information(x); }
        let out = b.build().unwrap();
        prop_assert!(out.len() <= epc::MAX_BYTES);
        prop_assert_eq!(formats::detect(&out), Some(formats::FormatKind::EpcSct));
        let e = epc::parse(&out).unwrap();
        let f = e.fields();
        prop_assert_eq!(get(&f, "name"), Some(name.as_str()));
        prop_assert_eq!(get(&f, "iban"), Some(iban.as_str()));
        prop_assert_eq!(get(&f, "bic"), bic.as_deref());
        prop_assert_eq!(get(&f, "amount"), am.as_deref());
        prop_assert_eq!(get(&f, "purpose"), purpose.as_deref());
        prop_assert_eq!(get(&f, "reference"), rf.as_deref());
        let want_text = if rf.is_some() { None } else { text.as_deref() };
        prop_assert_eq!(get(&f, "text"), want_text);
        prop_assert_eq!(get(&f, "information"), info.as_deref());
        let pay = e.payment();
        prop_assert_eq!(pay.country.as_deref(), Some(country.as_str()));
    }

    #[test]
    fn swiss_build_parse_round_trip(
        qr in any::<bool>(),
        acct in "[0-9A-Z]{12}",
        iid in 0u32..100_000,
        li in any::<bool>(),
        name in no_breaks(70),
        street in proptest::option::of(no_breaks(70)),
        building in proptest::option::of("[0-9]{1,4}[a-z]?"),
        postcode in "[0-9]{4,6}",
        town in no_breaks(35),
        debtor in any::<bool>(),
        combined in any::<bool>(),
        am in proptest::option::of((0u64..1_000_000_000, 0u32..100).prop_map(|(i, f)| format!("{i}.{f:02}"))),
        eur in any::<bool>(),
        ref_digits in "[0-9]{25}[1-9]",
        scor in proptest::option::of("[0-9A-Z]{1,21}"),
        message in proptest::option::of(no_breaks(60)),
        bill in proptest::option::of("//S1/10/[0-9]{1,20}"),
        alts in proptest::collection::vec("[a-zA-Z]{2,8}/[ -~]{0,80}", 0..=2),
    ) {
        let iid = if qr { 30000 + iid % 2000 } else if (30000..32000).contains(&iid) { iid - 20000 } else { iid };
        let country = if li { "LI" } else { "CH" };
        let iban = with_check_digits(country, &format!("{iid:05}{acct}"));
        let creditor = if combined {
            swiss::Address::combined(&name, street.as_deref().unwrap_or(""), &format!("{postcode} {town}"), "CH")
        } else {
            swiss::Address::structured(&name, street.as_deref().unwrap_or(""), building.as_deref().unwrap_or(""), &postcode, &town, "CH")
        };
        let mut b = swiss::SwissBuilder::new(&iban, creditor).currency(if eur { "EUR" } else { "CHF" });
        let am = am.filter(|a| a != "0.00");
        if let Some(a) = &am { b = b.amount(a); }
        if debtor {
            b = b.debtor(swiss::Address::structured("Pia Muster", "Marktgasse", "28", "9400", "Rorschach", "CH"));
        }
        let reference = if qr {
            let r = qrr(&ref_digits);
            b = b.qr_reference(&r);
            Some(r)
        } else if let Some(r) = scor.as_deref().and_then(formats::creditor_reference) {
            b = b.creditor_reference(&r);
            Some(r)
        } else {
            None
        };
        if let Some(m) = &message { b = b.message(m); }
        if let Some(x) = &bill { b = b.bill_information(x); }
        for a in &alts { b = b.alternative_scheme(a); }
        let out = b.build().unwrap();
        prop_assert_eq!(formats::detect(&out), Some(formats::FormatKind::SwissQrBill));
        let s = swiss::parse(&out).unwrap();
        let f = s.fields();
        prop_assert_eq!(get(&f, "iban"), Some(iban.as_str()));
        prop_assert_eq!(s.is_qr_iban(), qr);
        prop_assert_eq!(get(&f, "creditor.name"), Some(name.as_str()));
        if combined {
            let line2 = format!("{postcode} {town}");
            prop_assert_eq!(get(&f, "creditor.line2"), Some(line2.as_str()));
        } else {
            prop_assert_eq!(get(&f, "creditor.town"), Some(town.as_str()));
            prop_assert_eq!(get(&f, "creditor.building"), building.as_deref());
        }
        prop_assert_eq!(get(&f, "amount"), am.as_deref());
        prop_assert_eq!(get(&f, "currency"), Some(if eur { "EUR" } else { "CHF" }));
        prop_assert_eq!(get(&f, "debtor.town").is_some(), debtor);
        prop_assert_eq!(get(&f, "reference"), reference.as_deref());
        prop_assert_eq!(get(&f, "message"), message.as_deref());
        prop_assert_eq!(s.bill_information(), bill.as_deref());
        prop_assert_eq!(s.alternative_schemes().collect::<Vec<_>>(), alts.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

const SEEDS: &[&str] = &[
    "upi://pay?pa=bhar4t%40upi&pn=Bharat+Sahu&am=150.00&tn=Order+42",
    "gpay://upi/pay?pa=merchant%40pspbank&pn=MyNameHere&tr=1533&tn=Test%20deposit&am=5000&cu=INR&mc=621",
    "BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\nUrgency fund\nSample EPC QR code",
    "SPC\n0200\n1\nCH5800791123000889012\nS\nRobert Schneider AG\nRue du Lac\n1268\n2501\nBiel\nCH\n\n\n\n\n\n\n\n199.95\nCHF\nK\nPia-Maria Rutschmann-Schnyder\nGrosse Marktgasse 28\n9400 Rorschach\n\n\nCH\nSCOR\nRF18539007547034\n\nEPD\n//S1/10/1\neBill/B/x",
    "HTTPS://QR.ALIPAY.COM/FKX074142EKXD0OIMV8B60",
    "weixin://wxpay/bizpayurl?pr=AbC",
    "https://qr.95516.com/00010000/62028489073949969691921655610979",
    "135112298638468293",
    "qpaywallet://q?qPay_QRcode=000201010212%2053037646304ABCD",
];

fn exercise(text: &str) {
    for mode in [Mode::Strict, Mode::Lenient] {
        if let Some(f) = formats::parse(text) {
            let mut r = Report::new(mode);
            f.validate(&mut r);
            for i in r.issues() {
                let _ = i.to_string();
            }
            let _ = f.fields();
            let _ = f.payment();
        }
    }
    if let Some(w) = wrapper::unwrap(text) {
        let _ = qrpay::decode(&w.inner);
    }
    let _ = formats::detect(text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn mutations_never_panic(
        seed in 0..SEEDS.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..8),
    ) {
        let mut chars: Vec<char> = SEEDS[seed].chars().collect();
        for (at, op, c) in edits {
            let i = at.index(chars.len() + 1);
            match op {
                0 => chars.insert(i, c),
                1 if i < chars.len() => { chars.remove(i); }
                2 if i < chars.len() => chars[i] = c,
                3 => chars.insert(i, ['\n', '\r', '%', '&', '=', '+', '?', '/'][usize::from(c as u8 % 8)]),
                _ => {}
            }
        }
        let text: String = chars.into_iter().collect();
        exercise(&text);
    }

    #[test]
    fn random_text_after_a_prefix_never_panics(
        prefix in prop::sample::select(vec!["upi://pay?", "gpay://upi/pay?", "BCD\n", "BCD\r\n", "SPC\n", "SPC\r\n",
            "wxp://", "weixin://wxpay/", "https://qr.alipay.com/", "https://qr.95516.com/", "qpaywallet://q?qPay_QRcode=", "x://y?z=", ""]),
        rest in any::<String>(),
    ) {
        exercise(&format!("{prefix}{rest}"));
    }
}
