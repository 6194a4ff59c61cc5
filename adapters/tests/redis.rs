//! RedisReplayGuard against a real Redis (`QRPAY_TEST_REDIS_URL`, e.g. what
//! `adapters/services.sh start` prints); the fail-closed tests need no server.
#![cfg(feature = "redis")]

use std::collections::HashSet;
use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use qrpay::otp::SecretKey;
use qrpay::paycode::{generate, verify, Layout, PaycodeError, ReplayGuard, Window};
use qrpay_adapters::{ttl_for, GuardConfig, RedisGuardError, RedisReplayGuard, Rule};

/// The server's URL, or `None` (with a message) when the variable is not set.
fn url(test: &str) -> Option<String> {
    match std::env::var("QRPAY_TEST_REDIS_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            // CI sets QRPAY_TEST_REQUIRE_SERVERS: there a skip is a failure.
            assert!(
                std::env::var_os("QRPAY_TEST_REQUIRE_SERVERS").is_none(),
                "QRPAY_TEST_REDIS_URL is not set but QRPAY_TEST_REQUIRE_SERVERS is"
            );
            println!("skipped {test}: QRPAY_TEST_REDIS_URL is not set");
            None
        }
    }
}

/// A key prefix no other test run uses.
fn prefix(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("qrpay-test:{}:{nanos}:{test}", std::process::id())
}

fn config(url: &str, test: &str, network: &str, ttl: Duration) -> GuardConfig {
    GuardConfig {
        prefix: prefix(test),
        ..GuardConfig::new(url, network, ttl)
    }
}

fn raw(url: &str) -> redis::Connection {
    redis::Client::open(url).unwrap().get_connection().unwrap()
}

fn key() -> SecretKey {
    SecretKey::new((1u8..=32).collect())
}

const T: u64 = 1_700_000_000;

#[test]
fn accepted_once_per_code_and_namespaced() {
    let Some(url) = url("accepted_once_per_code_and_namespaced") else {
        return;
    };
    let layout = Layout::for_wallet("unionpay").unwrap();
    let w = Window::default();
    let mut cfg = config(
        &url,
        "once",
        "62",
        ttl_for(&layout, w, Duration::from_secs(30)),
    );
    let mut g = RedisReplayGuard::connect(cfg.clone()).unwrap();
    let code = generate(&layout, &key(), 42, T).unwrap();
    let ok = verify(&layout, &key(), &code, T + 3, w, &mut g).unwrap();
    assert_eq!((ok.index, ok.step), (42, T / 30));
    // The same code again, here or through another connection: refused.
    assert!(matches!(
        verify(&layout, &key(), &code, T + 4, w, &mut g),
        Err(PaycodeError::Replayed)
    ));
    let mut other = RedisReplayGuard::connect(cfg.clone()).unwrap();
    assert!(matches!(
        verify(&layout, &key(), &code, T + 4, w, &mut other),
        Err(PaycodeError::Replayed)
    ));
    // The next step's code of the same device, and another device: accepted.
    let next = generate(&layout, &key(), 42, T + 30).unwrap();
    assert!(verify(&layout, &key(), &next, T + 31, w, &mut other).is_ok());
    assert!(g.claim(43, T / 30).unwrap());
    // Another network's device 42 at the same step is another key.
    cfg.network = String::from("25");
    let mut alipay = RedisReplayGuard::connect(cfg.clone()).unwrap();
    assert!(alipay.claim(42, T / 30).unwrap());
    assert!(!alipay.claim(42, T / 30).unwrap());
    assert_eq!(alipay.key(42, 7), format!("{}:25:42:7", cfg.prefix));
}

#[test]
fn expiry_is_the_window() {
    let Some(url) = url("expiry_is_the_window") else {
        return;
    };
    let layout = Layout::for_wallet("unionpay").unwrap();
    // Default window (one past step) and one step of skew: 3 steps of 30 s.
    let cfg = GuardConfig {
        prefix: prefix("expiry"),
        ..GuardConfig::for_layout(&url, &layout, Window::default())
    };
    assert_eq!(cfg.ttl, Duration::from_secs(90));
    assert_eq!(cfg.network, "62");
    let mut g = RedisReplayGuard::connect(cfg).unwrap();
    assert!(g.claim(1, 5).unwrap());
    let pttl: i64 = redis::cmd("PTTL")
        .arg(g.key(1, 5))
        .query(&mut raw(&url))
        .unwrap();
    assert!((89_000..=90_000).contains(&pttl), "PTTL {pttl}");
    // A short TTL: once it has passed the key is gone and the store holds nothing more.
    let mut short =
        RedisReplayGuard::connect(config(&url, "short", "62", Duration::from_millis(150))).unwrap();
    assert!(short.claim(9, 9).unwrap());
    assert!(!short.claim(9, 9).unwrap());
    std::thread::sleep(Duration::from_millis(400));
    let exists: i64 = redis::cmd("EXISTS")
        .arg(short.key(9, 9))
        .query(&mut raw(&url))
        .unwrap();
    assert_eq!(exists, 0);
}

#[test]
fn monotonic_rule_refuses_earlier_steps() {
    let Some(url) = url("monotonic_rule_refuses_earlier_steps") else {
        return;
    };
    let cfg = GuardConfig {
        rule: Rule::Monotonic,
        ..config(&url, "mono", "62", Duration::from_secs(60))
    };
    let mut a = RedisReplayGuard::connect(cfg.clone()).unwrap();
    let mut b = RedisReplayGuard::connect(cfg).unwrap();
    assert!(a.claim(7, 100).unwrap());
    assert!(!b.claim(7, 100).unwrap());
    assert!(
        !b.claim(7, 99).unwrap(),
        "an earlier step after a later one"
    );
    assert!(b.claim(7, 101).unwrap());
    assert!(!a.claim(7, 100).unwrap());
    assert!(a.claim(8, 50).unwrap(), "devices are independent");
}

/// A port where nothing listens.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn fails_closed_when_unreachable() {
    let url = format!("redis://127.0.0.1:{}/", closed_port());
    let layout = Layout::for_wallet("unionpay").unwrap();
    let cfg = GuardConfig::for_layout(&url, &layout, Window::default());
    assert!(matches!(
        RedisReplayGuard::connect(cfg.clone()),
        Err(RedisGuardError::Unreachable(_))
    ));
    let mut g = RedisReplayGuard::new(cfg).unwrap();
    let code = generate(&layout, &key(), 1, T).unwrap();
    for _ in 0..2 {
        let e = verify(&layout, &key(), &code, T, Window::default(), &mut g).unwrap_err();
        assert!(
            matches!(e, PaycodeError::Guard(RedisGuardError::Unreachable(_))),
            "{e:?}"
        );
    }
    let text = RedisReplayGuard::connect(GuardConfig::new(&url, "62", Duration::from_secs(1)))
        .unwrap_err()
        .to_string();
    assert!(text.starts_with("replay store unreachable"), "{text}");
}

#[test]
fn fails_closed_when_silent() {
    // A server that accepts connections and never answers: the call times out.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut s in listener.incoming().flatten().take(4) {
            let mut buf = [0u8; 256];
            let _ = s.set_read_timeout(Some(Duration::from_millis(50)));
            let _ = s.read(&mut buf);
            held.push(s);
        }
        std::thread::sleep(Duration::from_secs(5));
    });
    let cfg = GuardConfig {
        timeout: Duration::from_millis(300),
        ..GuardConfig::new(
            &format!("redis://127.0.0.1:{port}/"),
            "62",
            Duration::from_secs(60),
        )
    };
    let mut g = RedisReplayGuard::new(cfg).unwrap();
    let started = Instant::now();
    assert!(g.claim(1, 1).is_err());
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn bad_configuration() {
    let cfg = |network: &str, ttl: Duration| GuardConfig::new("redis://127.0.0.1/", network, ttl);
    assert!(RedisReplayGuard::new(cfg("62", Duration::ZERO)).is_err());
    assert!(RedisReplayGuard::new(cfg("6:2", Duration::from_secs(1))).is_err());
    assert!(RedisReplayGuard::new(cfg("", Duration::from_secs(1))).is_err());
    assert!(matches!(
        RedisReplayGuard::new(GuardConfig::new("http://x", "62", Duration::from_secs(1))),
        Err(RedisGuardError::Url(_))
    ));
}

/// Four verifiers, each with its own connection, verify one stream of codes; every code is
/// presented three times to each of them. Each code must be accepted exactly once.
#[test]
fn concurrent_verifiers_accept_each_code_once() {
    let Some(url) = url("concurrent_verifiers_accept_each_code_once") else {
        return;
    };
    const CODES: usize = 1500;
    const THREADS: usize = 4;
    const TIMES: usize = 3;
    let layout = Layout::for_wallet("unionpay").unwrap();
    let w = Window::default();
    let cfg = config(
        &url,
        "concurrent",
        "62",
        ttl_for(&layout, w, Duration::ZERO),
    );
    // Devices 0..CODES/2, two consecutive steps each.
    let codes: Vec<(String, u64)> = (0..CODES as u64)
        .map(|i| {
            let t = T + (i % 2) * 30;
            (generate(&layout, &key(), i / 2, t).unwrap(), t)
        })
        .collect();
    let accepted: Vec<AtomicU32> = (0..CODES).map(|_| AtomicU32::new(0)).collect();
    let barrier = Barrier::new(THREADS);
    std::thread::scope(|s| {
        for th in 0..THREADS {
            let (cfg, codes, accepted, layout, barrier) =
                (cfg.clone(), &codes, &accepted, &layout, &barrier);
            s.spawn(move || {
                let mut g = RedisReplayGuard::connect(cfg).unwrap();
                barrier.wait();
                for round in 0..TIMES {
                    // Each thread walks the stream from its own offset.
                    for k in 0..CODES {
                        let n = (k + th * CODES / THREADS + round * 7) % CODES;
                        let (code, t) = &codes[n];
                        match verify(layout, &key(), code, *t + 1, w, &mut g) {
                            Ok(_) => {
                                accepted[n].fetch_add(1, Ordering::SeqCst);
                            }
                            Err(PaycodeError::Replayed) => {}
                            Err(e) => panic!("code {n}: {e:?}"),
                        }
                    }
                }
            });
        }
    });
    let counts: Vec<u32> = accepted.iter().map(|a| a.load(Ordering::SeqCst)).collect();
    let lost = counts.iter().filter(|&&c| c == 0).count();
    let doubled = counts.iter().filter(|&&c| c > 1).count();
    assert_eq!(
        (lost, doubled),
        (0, 0),
        "codes never accepted, accepted twice"
    );
    // The store holds exactly one key per code.
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}:*", cfg.prefix))
        .query(&mut raw(&url))
        .unwrap();
    let distinct: HashSet<String> = keys.into_iter().collect();
    assert_eq!(distinct.len(), CODES);
}
