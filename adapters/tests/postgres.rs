//! PostgresTokenVault against a real PostgreSQL (`QRPAY_TEST_POSTGRES_URL`, e.g. what
//! `adapters/services.sh start` prints). Each test works in a schema of its own.
#![cfg(feature = "postgres")]

use std::collections::HashSet;
use std::net::TcpListener;
use std::sync::Barrier;

use qrpay::otp::SecretKey;
use qrpay::token::{
    detokenize, Account, Assurance, Channel, Control, DomainControls, IssueRequest, Par,
    TokenError, TokenRange, TokenRequestorId, TokenVault, Tokenizer, Usage,
};
use qrpay_adapters::{PgVaultError, PostgresTokenVault};

/// The URL of a fresh schema for `test`, or `None` (with a message) when the variable is
/// not set.
fn url(test: &str) -> Option<String> {
    let base = match std::env::var("QRPAY_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            // CI sets QRPAY_TEST_REQUIRE_SERVERS: there a skip is a failure.
            assert!(
                std::env::var_os("QRPAY_TEST_REQUIRE_SERVERS").is_none(),
                "QRPAY_TEST_POSTGRES_URL is not set but QRPAY_TEST_REQUIRE_SERVERS is"
            );
            println!("skipped {test}: QRPAY_TEST_POSTGRES_URL is not set");
            return None;
        }
    };
    let schema = format!("qrpay_t{}_{test}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-csearch_path%3D{schema}"))
}

fn vault(url: &str) -> PostgresTokenVault {
    let mut v = PostgresTokenVault::connect(url).unwrap();
    v.migrate().unwrap();
    v
}

fn tokenizer(key: u8) -> Tokenizer {
    Tokenizer::new(
        SecretKey::new(vec![key; 32]),
        TokenRange::new("490000", "490099", 16).unwrap(),
    )
    .unwrap()
}

fn usage(now: u64) -> Usage<'static> {
    Usage {
        channel: Channel::Cpm,
        merchant_id: Some("M1"),
        acquirer_id: Some("ACQ"),
        now,
    }
}

#[test]
fn migrate_once() {
    let Some(url) = url("migrate_once") else {
        return;
    };
    let mut v = PostgresTokenVault::connect(&url).unwrap();
    assert_eq!(v.migrate().unwrap(), vec![1]);
    assert_eq!(v.migrate().unwrap(), Vec::<i32>::new());
    let mut other = PostgresTokenVault::connect(&url).unwrap();
    assert!(other.migrate().unwrap().is_empty());
}

#[test]
fn issued_on_one_host_resolves_on_another() {
    let Some(url) = url("resolves_elsewhere") else {
        return;
    };
    let (mut a, mut b) = (vault(&url), vault(&url));
    let controls = DomainControls {
        channels: vec![Channel::Cpm, Channel::Paycode],
        merchants: vec![String::from("M1")],
        acquirers: vec![String::from("ACQ")],
        not_after: Some(2_000),
        max_uses: Some(2),
    };
    let acct = Account::pan("6212345678901232").unwrap();
    let mut req = IssueRequest::new("wallet-a", acct.clone(), controls.clone());
    req.assurance = Assurance::InteractiveTwoFactor;
    req.par = Some(Par::new("V0010013817079744624328754398").unwrap());
    req.requestor = Some(TokenRequestorId::new("40010030273").unwrap());
    let t = tokenizer(7);
    let tok = t.issue(&mut a, req.clone()).unwrap();
    // Idempotent across hosts: B issuing the same request gets the same token.
    assert_eq!(t.issue(&mut b, req).unwrap(), tok);
    let entry = b.get(tok.number()).unwrap().unwrap();
    assert_eq!(entry.token, tok);
    assert!(entry.account.ct_eq(&acct));
    assert_eq!(entry.controls, controls);
    assert_eq!(entry.uses, 0);
    assert_eq!(tok.pan_last4.as_deref(), Some("1232"));
    // Controls name the failure, wherever the token is used; denials count nothing.
    let n = tok.number();
    let deny = |v: &mut PostgresTokenVault, u: Usage<'_>| detokenize(v, n, &u).unwrap_err();
    assert!(matches!(
        deny(
            &mut b,
            Usage {
                channel: Channel::Mpm,
                ..usage(1_000)
            }
        ),
        TokenError::Denied(Control::Channel)
    ));
    assert!(matches!(
        deny(
            &mut a,
            Usage {
                merchant_id: Some("M2"),
                ..usage(1_000)
            }
        ),
        TokenError::Denied(Control::Merchant)
    ));
    assert!(matches!(
        deny(&mut b, usage(2_001)),
        TokenError::Denied(Control::Expiry)
    ));
    let r1 = detokenize(&mut b, n, &usage(1_000)).unwrap();
    assert_eq!((r1.account.reveal(), r1.uses), ("6212345678901232", 1));
    let r2 = detokenize(&mut a, n, &usage(2_000)).unwrap();
    assert_eq!(r2.uses, 2);
    assert_eq!(r2.token, tok);
    assert!(matches!(
        deny(&mut b, usage(1_000)),
        TokenError::Denied(Control::UsageCount)
    ));
    assert_eq!(a.get(n).unwrap().unwrap().uses, 2);
    assert!(matches!(
        detokenize(&mut a, "4900000000000000", &usage(1_000)),
        Err(TokenError::UnknownToken)
    ));
    // An account id, no controls.
    let id = Account::id("wallet-user-17").unwrap();
    let tok2 = t
        .issue(
            &mut a,
            IssueRequest::new("wallet-a", id.clone(), DomainControls::default()),
        )
        .unwrap();
    let r = detokenize(&mut b, tok2.number(), &usage(u64::MAX)).unwrap();
    assert!(r.account.ct_eq(&id));
    assert_eq!(r.token.pan_last4, None);
}

#[test]
fn constraints() {
    let Some(url) = url("constraints") else {
        return;
    };
    let mut v = vault(&url);
    let acct = Account::pan("6212345678901232").unwrap();
    let req = || IssueRequest::new("d", acct.clone(), DomainControls::default());
    let tok = tokenizer(1).issue(&mut v, req()).unwrap();
    // Another key (a rotated one) would give the account a second token in the domain.
    assert!(matches!(
        tokenizer(2).issue(&mut v, req()),
        Err(TokenError::Vault(PgVaultError::AccountHasToken))
    ));
    // In another domain it gets one.
    let other = tokenizer(2)
        .issue(
            &mut v,
            IssueRequest::new("d2", acct.clone(), DomainControls::default()),
        )
        .unwrap();
    assert_ne!(other.number(), tok.number());
    // A plain insert of a stored number is refused; insert_new says "taken".
    let entry = v.get(tok.number()).unwrap().unwrap();
    assert!(matches!(
        v.insert(entry.clone()),
        Err(PgVaultError::NumberTaken)
    ));
    assert!(!v.insert_new(entry.clone()).unwrap());
    assert!(matches!(
        v.record_use("4900000000000000"),
        Err(PgVaultError::UnknownToken)
    ));
    // Values the columns cannot hold are refused before the database sees them.
    let mut big = entry;
    big.controls.not_after = Some(u64::MAX);
    assert!(matches!(v.insert_new(big), Err(PgVaultError::Range(_))));
}

#[test]
fn errors_never_quote_the_account() {
    let Some(url) = url("errors_quiet") else {
        return;
    };
    let mut v = vault(&url);
    // A constraint the entry breaks: PostgreSQL's DETAIL would quote the failing row.
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(
            "ALTER TABLE qrpay_tokens ADD CONSTRAINT no_62 CHECK (account NOT LIKE '62%')",
        )
        .unwrap();
    let pan = "6212345678901232";
    let req = IssueRequest::new("d", Account::pan(pan).unwrap(), DomainControls::default());
    let e = tokenizer(1).issue(&mut v, req).unwrap_err();
    let TokenError::Vault(PgVaultError::Query(ref failure)) = e else {
        panic!("{e:?}");
    };
    assert_eq!(
        failure.sqlstate.as_deref(),
        Some("23514"),
        "check_violation"
    );
    let texts = [
        format!("{e}"),
        format!("{e:?}"),
        format!("{failure}"),
        format!("{v:?}"),
    ];
    for t in &texts {
        assert!(!t.contains("123456789"), "{t}");
    }
    assert!(texts[2].contains("no_62"), "{}", texts[2]);
}

#[test]
fn fails_closed_when_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = PostgresTokenVault::connect(&format!("postgresql://postgres@127.0.0.1:{port}/x"))
        .unwrap_err();
    assert!(matches!(e, PgVaultError::Unreachable(_)), "{e:?}");
    assert!(e.to_string().starts_with("token vault unreachable"));
    assert!(matches!(
        PostgresTokenVault::connect("postgresql://[bad"),
        Err(PgVaultError::Url(_))
    ));
}

/// Four hosts tokenise the same accounts at once, each in its own order: every account
/// gets one token, the same on every host, and the table holds one row per account.
#[test]
fn concurrent_tokenisation_yields_one_token() {
    let Some(url) = url("concurrent_issue") else {
        return;
    };
    const ACCOUNTS: u64 = 300;
    const THREADS: u64 = 4;
    vault(&url);
    let barrier = Barrier::new(THREADS as usize);
    let results: Vec<Vec<(u64, String)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|th| {
                let (url, barrier) = (&url, &barrier);
                s.spawn(move || {
                    let mut v = PostgresTokenVault::connect(url).unwrap();
                    let t = tokenizer(9);
                    barrier.wait();
                    (0..ACCOUNTS)
                        .map(|k| {
                            // Thread th walks the accounts with stride 7 from its offset.
                            let i = (k * 7 + th * 11) % ACCOUNTS;
                            let acct = Account::pan(&format!("62{:014}", i * 7919)).unwrap();
                            let req = IssueRequest::new("d", acct, DomainControls::default());
                            (i, t.issue(&mut v, req).unwrap().number().to_owned())
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut by_account = vec![HashSet::new(); ACCOUNTS as usize];
    for (i, number) in results.iter().flatten() {
        by_account[*i as usize].insert(number.clone());
    }
    assert!(by_account.iter().all(|s| s.len() == 1), "one token each");
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let rows: i64 = admin
        .query_one("SELECT count(*) FROM qrpay_tokens", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, ACCOUNTS as i64);
}

/// A token allowing 50 uses, 4 hosts trying 30 times each: exactly 50 succeed.
#[test]
fn concurrent_uses_respect_the_count() {
    let Some(url) = url("concurrent_uses") else {
        return;
    };
    const MAX: u32 = 50;
    let mut v = vault(&url);
    let controls = DomainControls {
        max_uses: Some(MAX),
        ..DomainControls::default()
    };
    let tok = tokenizer(3)
        .issue(
            &mut v,
            IssueRequest::new("d", Account::pan("6212345678901232").unwrap(), controls),
        )
        .unwrap();
    let barrier = Barrier::new(4);
    let outcomes: Vec<(u32, u32, Vec<u32>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (url, barrier, n) = (&url, &barrier, tok.number());
                s.spawn(move || {
                    let mut v = PostgresTokenVault::connect(url).unwrap();
                    barrier.wait();
                    let (mut ok, mut denied, mut seen) = (0, 0, Vec::new());
                    for _ in 0..30 {
                        match detokenize(&mut v, n, &usage(0)) {
                            Ok(r) => {
                                ok += 1;
                                seen.push(r.uses);
                            }
                            Err(TokenError::Denied(Control::UsageCount)) => denied += 1,
                            Err(e) => panic!("{e:?}"),
                        }
                    }
                    (ok, denied, seen)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok: u32 = outcomes.iter().map(|o| o.0).sum();
    let denied: u32 = outcomes.iter().map(|o| o.1).sum();
    assert_eq!((ok, denied), (MAX, 120 - MAX));
    // Each success saw its own count: 1..=50, none twice.
    let mut seen: Vec<u32> = outcomes.iter().flat_map(|o| o.2.clone()).collect();
    seen.sort_unstable();
    assert_eq!(seen, (1..=MAX).collect::<Vec<_>>());
    assert_eq!(v.get(tok.number()).unwrap().unwrap().uses, MAX);
}
