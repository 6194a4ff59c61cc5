//! Builders: build -> parse -> identify -> the same typed fields, for generated inputs; and
//! the payload passes EMV (strict, or lenient where the scheme omits 52/59/60) and the
//! scheme profile.

use proptest::prelude::*;
use qrpay::mpm::{self, Prompted};
use qrpay::schemes::{self, cambodia, duitnow, pix, qris, singapore, thai, vietnam, SchemeId};
use qrpay::{Mode, Report};

fn checked(p: &str, id: SchemeId, strict_emv: bool) -> mpm::Mpm<'_> {
    assert_eq!(qrpay::crc::check(p).as_str(), "ok");
    let m = mpm::parse(p).unwrap();
    assert!(schemes::identify(&m).contains(id), "{p}");
    let mut r = Report::new(Mode::Strict);
    schemes::validate(&m, &mut r);
    assert!(r.is_strictly_valid(), "{p}: {:?}", r.issues());
    if strict_emv {
        let mut e = Report::new(Mode::Strict);
        mpm::validate(&m, &mut e);
        assert!(e.is_strictly_valid(), "{p}: {:?}", e.issues());
    }
    m
}

fn amount() -> impl Strategy<Value = Option<String>> {
    proptest::option::of((1u32..10_000_000, 0u32..100).prop_map(|(a, c)| format!("{a}.{c:02}")))
}

fn name() -> impl Strategy<Value = String> {
    "[A-Z][A-Z ]{0,23}[A-Z]"
}

fn city() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z]{0,14}"
}

proptest! {
    #[test]
    fn pix_round_trip(
        key in prop_oneof![
            "[a-z0-9]{1,20}@[a-z]{2,10}\\.com",
            "\\+55[0-9]{11}",
            "[0-9]{11}",
            "[0-9]{14}",
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        ],
        txid in proptest::option::of("[A-Za-z0-9]{1,25}"),
        amount in amount(), n in name(), c in city(),
    ) {
        let mut b = pix::PixBuilder::new(&key, &n, &c);
        if let Some(a) = &amount { b = b.amount(a); }
        if let Some(t) = &txid { b = b.txid(t); }
        let p = b.build().unwrap();
        let m = checked(&p, SchemeId::Pix, true);
        let v = pix::read(&m).unwrap();
        prop_assert_eq!(v.key, Some(key.as_str()));
        prop_assert!(v.key_kind.is_some());
        prop_assert_eq!(v.txid(), txid.as_deref());
        if txid.is_none() { prop_assert_eq!(v.reference, Some(Prompted::Prompt)); }
        prop_assert_eq!(m.amount().map(|a| a.as_str()), amount.as_deref());
        prop_assert_eq!(m.merchant_name(), Some(n.as_str()));
    }

    #[test]
    fn pix_dynamic_round_trip(path in "[a-z]{3,20}\\.com\\.br/qr/v2/[0-9a-f]{32}", n in name(), c in city()) {
        let p = pix::PixBuilder::dynamic(&path, &n, &c).build().unwrap();
        let m = checked(&p, SchemeId::Pix, false);
        let v = pix::read(&m).unwrap();
        prop_assert_eq!(v.url, Some(path.as_str()));
        prop_assert!(v.is_dynamic());
        prop_assert_eq!(schemes::payment_data(SchemeId::Pix, &m).url, Some(path.as_str()));
    }

    #[test]
    fn promptpay_round_trip(kind in 0u8..3, digits in "[0-9]{15}", mobile in "[689][0-9]{8}", amount in amount()) {
        let (b, want_kind, want) = match kind {
            0 => (thai::PromptPayBuilder::mobile(&format!("0{mobile}")).unwrap(), thai::ProxyKind::Mobile, format!("0066{mobile}")),
            1 => (thai::PromptPayBuilder::national_id(&digits[..13]).unwrap(), thai::ProxyKind::NationalId, digits[..13].to_string()),
            _ => (thai::PromptPayBuilder::ewallet(&digits).unwrap(), thai::ProxyKind::EWallet, digits.clone()),
        };
        let b = match &amount { Some(a) => b.amount(a), None => b };
        let p = b.build().unwrap();
        let m = checked(&p, SchemeId::Promptpay, false);
        let v = thai::read_promptpay(&m).unwrap();
        prop_assert_eq!(v.proxy_kind, Some(want_kind));
        prop_assert_eq!(v.proxy, Some(want.as_str()));
        prop_assert_eq!(m.amount().map(|a| a.as_str()), amount.as_deref());
        prop_assert!(m.merchant_name().is_none());
    }

    #[test]
    fn paynow_round_trip(
        uen in proptest::option::of("[0-9]{9}[A-Z]"),
        mobile in "\\+65[89][0-9]{7}",
        amount in amount(),
        editable in proptest::option::of(any::<bool>()),
        day in proptest::option::of((2025u16..2100, 1u8..13, 1u8..29)),
        reference in proptest::option::of("[A-Z0-9]{1,25}"),
    ) {
        let mut b = match &uen {
            Some(u) => singapore::PayNowBuilder::uen(u),
            None => singapore::PayNowBuilder::mobile(&mobile),
        };
        if let Some(a) = &amount { b = b.amount(a); }
        let editable = if amount.is_none() { Some(true) } else { editable };
        if let Some(e) = editable { b = b.editable(e); }
        let date = day.map(|(y, mo, d)| schemes::Date::new(y, mo, d).unwrap());
        if let Some(d) = date { b = b.expiry(d); }
        if let Some(r) = &reference { b = b.reference(r); }
        let p = b.build().unwrap();
        let m = checked(&p, SchemeId::Paynow, true);
        let v = singapore::read_paynow(&m).unwrap();
        let (ty, proxy) = match &uen {
            Some(u) => (singapore::ProxyType::Uen, u.as_str()),
            None => (singapore::ProxyType::Mobile, mobile.as_str()),
        };
        prop_assert_eq!(v.proxy_type, Some(ty));
        prop_assert_eq!(v.proxy, Some(proxy));
        prop_assert_eq!(v.editable, Some(editable.unwrap_or(false)));
        prop_assert_eq!(v.expiry, date);
        prop_assert_eq!(v.reference, reference.as_deref());
        let d = schemes::payment_data(SchemeId::Paynow, &m);
        prop_assert_eq!(d.expires, date.map(schemes::Expiry::Date));
    }

    #[test]
    fn vietqr_round_trip(
        bin in "97[0-9]{4}", acct in "[0-9A-Z]{6,19}", card in any::<bool>(),
        amount in proptest::option::of(1u32..100_000_000), purpose in proptest::option::of("[A-Za-z0-9 ]{1,25}"),
        merchant in proptest::option::of((name(), city())),
    ) {
        let mut b = if card { vietnam::VietQrBuilder::card(&bin, &acct) } else { vietnam::VietQrBuilder::account(&bin, &acct) };
        let amount = amount.map(|a| a.to_string());
        if let Some(a) = &amount { b = b.amount(a); }
        if let Some(p) = &purpose { b = b.purpose(p); }
        if let Some((n, c)) = &merchant { b = b.merchant(n, c); }
        let p = b.build().unwrap();
        let m = checked(&p, SchemeId::Vietqr, merchant.is_some());
        let v = vietnam::read_vietqr(&m).unwrap();
        prop_assert_eq!(v.bin, Some(bin.as_str()));
        prop_assert_eq!(v.account, Some(acct.as_str()));
        prop_assert_eq!(v.service, Some(if card { vietnam::Service::ToCard } else { vietnam::Service::ToAccount }));
        prop_assert_eq!(v.purpose, purpose.as_deref());
    }

    #[test]
    fn qris_round_trip(
        nmid in "ID[0-9]{13}", crit in 0usize..5, n in name(), c in city(), mcc in "[0-9]{4}",
        acq in proptest::option::of(("(ID|COM)\\.[A-Z]{3,10}\\.WWW", "9360[0-9]{14}", "[0-9A-Z]{6,15}")),
        amount in proptest::option::of(1u32..10_000_000),
    ) {
        let all = [qris::Criteria::Umi, qris::Criteria::Uke, qris::Criteria::Ume, qris::Criteria::Ube, qris::Criteria::Ure];
        let mut b = qris::QrisBuilder::new(&nmid, all[crit], &n, &c, &mcc);
        if let Some((g, pan, mid)) = &acq { b = b.acquirer(g, pan, mid); }
        let amount = amount.map(|a| format!("{a}.00"));
        if let Some(a) = &amount { b = b.amount(a); }
        let p = b.build().unwrap();
        let m = checked(&p, SchemeId::Qris, true);
        let v = qris::read(&m).unwrap();
        prop_assert_eq!(v.nmid, Some(nmid.as_str()));
        prop_assert_eq!(v.criteria, Some(all[crit]));
        prop_assert_eq!(v.acquirer.map(|a| (a.guid, a.pan, a.merchant_id)),
            acq.as_ref().map(|(g, p, m)| (g.as_str(), Some(p.as_str()), Some(m.as_str()))));
    }

    #[test]
    fn khqr_round_trip(
        user in "[a-z_]{1,15}", bank in "[a-z]{4}", merchant in proptest::option::of(("[0-9]{6,12}", "[A-Z][a-z]{2,12} Bank")),
        usd in any::<bool>(), created in 1_600_000_000_000u64..1_900_000_000_000, ttl in proptest::option::of(1u64..10_000_000),
        n in name(), c in city(),
    ) {
        let acct = format!("{user}@{bank}");
        let mut b = match &merchant {
            Some((id, bk)) => cambodia::KhqrBuilder::merchant(&acct, id, bk, &n, &c),
            None => cambodia::KhqrBuilder::individual(&acct, &n, &c),
        };
        if usd { b = b.currency(cambodia::KhqrCurrency::Usd).amount("1.50"); }
        if let Some(t) = ttl { b = b.expiry(created, created + t); }
        let p = b.build().unwrap();
        let m = checked(&p, SchemeId::Khqr, true);
        let v = cambodia::read(&m).unwrap();
        prop_assert_eq!(v.account, acct.as_str());
        prop_assert_eq!(v.merchant_id, merchant.as_ref().map(|(id, _)| id.as_str()));
        prop_assert_eq!(v.expires_ms, ttl.map(|t| created + t));
        prop_assert_eq!(m.currency_code(), Some(if usd { "840" } else { "116" }));
        let d = schemes::payment_data(SchemeId::Khqr, &m);
        prop_assert_eq!(d.expires, ttl.map(|t| schemes::Expiry::EpochMillis(created + t)));
    }

    #[test]
    fn duitnow_round_trip(
        app in "[0-9]{6}", acct in "[A-Z0-9]{10,25}", n in name(), c in city(),
        amount in amount(), exp in proptest::option::of(1_600_000_000_000u64..9_999_999_999_999),
    ) {
        let mut b = duitnow::DuitNowBuilder::new(&app, &acct, &n, &c);
        if let Some(a) = &amount { b = b.amount(a); }
        if let Some(e) = exp { b = b.expires_ms(e); }
        let p = b.build().unwrap();
        let m = checked(&p, SchemeId::Duitnow, true);
        let v = duitnow::read(&m).unwrap();
        prop_assert_eq!(v.app_id, Some(app.as_str()));
        prop_assert_eq!(v.account, Some(acct.as_str()));
        prop_assert_eq!(v.expires_ms, exp);
        prop_assert_eq!(v.pfi, Some("01"));
    }
}

#[test]
fn builders_refuse_scheme_breaks() {
    assert!(pix::PixBuilder::new("not a key", "A", "B").build().is_err());
    assert!(pix::PixBuilder::new("a@b.com", "A", "B")
        .txid("INV/1")
        .build()
        .is_err());
    assert!(pix::PixBuilder::dynamic("https://x.com/a", "A", "B")
        .build()
        .is_err());
    assert!(singapore::PayNowBuilder::mobile("91234567")
        .build()
        .is_err());
    assert!(singapore::PayNowBuilder::uen("201403121W")
        .editable(false)
        .build()
        .is_err());
    assert!(vietnam::VietQrBuilder::account("9704", "0123")
        .build()
        .is_err());
    assert!(
        qris::QrisBuilder::new("1020021181745", qris::Criteria::Umi, "A", "B", "5411")
            .build()
            .is_err()
    );
    assert!(cambodia::KhqrBuilder::individual("a@b", "A", "B")
        .expiry(5, 4)
        .build()
        .is_err());
    assert!(duitnow::DuitNowBuilder::new("12", "X", "A", "B")
        .build()
        .is_err());
}

proptest! {
    /// identify, validate and payment_data never panic, whatever the template content.
    #[test]
    fn profiles_never_panic(
        guid in prop_oneof![
            Just("br.gov.bcb.pix".to_string()), Just("A000000677010111".to_string()),
            Just("SG.PAYNOW".to_string()), Just("ID.CO.QRIS.WWW".to_string()),
            Just("A000000727".to_string()), Just("hk.com.hkicl".to_string()),
            Just("A000000524".to_string()), Just("a@b".to_string()), "[ -~]{1,12}",
        ],
        id in 26u8..52, subs in proptest::collection::vec((0u8..100, "[ -~é]{1,20}"), 0..5),
        extra in "[0-9]{0,6}", country in "[A-Z]{2}",
    ) {
        let mut t = format!("00{:02}{guid}", guid.chars().count());
        for (s, v) in &subs { t.push_str(&format!("{s:02}{:02}{v}", v.chars().count())); }
        let body = format!("000201{id:02}{:02}{t}5802{country}9913{extra}6304", t.chars().count());
        if let Ok(m) = mpm::parse(&body) {
            let set = schemes::identify(&m);
            let mut r = Report::new(Mode::Strict);
            schemes::validate(&m, &mut r);
            for s in set.iter() { let _ = schemes::payment_data(s, &m); }
        }
    }
}
