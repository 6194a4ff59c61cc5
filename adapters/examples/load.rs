//! Load figures against local servers (bounded: a fixed number of operations).
//!
//! ```text
//! eval "$(adapters/services.sh start /tmp/qrpay-svc)"
//! cargo run -p qrpay-adapters --release --example load [-- CODES ACCOUNTS THREADS]
//! adapters/services.sh stop /tmp/qrpay-svc
//! ```
//!
//! Redis: THREADS verifiers, each with its own connection, verify one stream of CODES
//! payment codes, every code presented once to each verifier; prints verifications per
//! second and how many codes were accepted twice (must be 0) or never (must be 0).
//! PostgreSQL: THREADS hosts tokenise ACCOUNTS distinct accounts, then resolve each token
//! once; prints tokenisations and detokenisations per second.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use qrpay::otp::SecretKey;
use qrpay::paycode::{generate, verify, Layout, PaycodeError, Window};
use qrpay::token::{
    detokenize, Account, Channel, DomainControls, IssueRequest, TokenRange, Tokenizer, Usage,
};
use qrpay_adapters::{ttl_for, GuardConfig, PostgresTokenVault, RedisReplayGuard};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() -> Res<()> {
    let (codes, accounts, threads) = (arg(1, 20_000), arg(2, 4_000), arg(3, 4).max(1));
    match std::env::var("QRPAY_TEST_REDIS_URL") {
        Ok(url) => redis_load(&url, codes, threads)?,
        Err(_) => println!("redis: skipped (QRPAY_TEST_REDIS_URL is not set)"),
    }
    match std::env::var("QRPAY_TEST_POSTGRES_URL") {
        Ok(url) => postgres_load(&url, accounts, threads)?,
        Err(_) => println!("postgres: skipped (QRPAY_TEST_POSTGRES_URL is not set)"),
    }
    Ok(())
}

fn redis_load(url: &str, n: usize, threads: usize) -> Res<()> {
    let layout = Layout::for_wallet("unionpay")?;
    let window = Window::default();
    let key = SecretKey::new((1u8..=32).collect());
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let stream = (0..n as u64)
        .map(|i| generate(&layout, &key, i, now))
        .collect::<Result<Vec<_>, _>>()?;
    let config = GuardConfig {
        prefix: format!("qrpay-load:{}:{now}", std::process::id()),
        ..GuardConfig::new(
            url,
            layout.prefix(),
            ttl_for(&layout, window, Duration::ZERO),
        )
    };
    let accepted: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
    let barrier = Barrier::new(threads + 1);
    let elapsed = std::thread::scope(|s| -> Res<Duration> {
        let handles: Vec<_> = (0..threads)
            .map(|th| {
                let (config, stream, accepted, layout, key, barrier) =
                    (config.clone(), &stream, &accepted, &layout, &key, &barrier);
                s.spawn(move || -> Res<()> {
                    let mut guard = RedisReplayGuard::connect(config)?;
                    barrier.wait();
                    for k in 0..n {
                        let i = (k + th * n / threads) % n;
                        match verify(layout, key, &stream[i], now, window, &mut guard) {
                            Ok(_) => {
                                accepted[i].fetch_add(1, Ordering::Relaxed);
                            }
                            Err(PaycodeError::Replayed) => {}
                            Err(e) => return Err(format!("code {i}: {e}").into()),
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        for h in handles {
            h.join().map_err(|_| "verifier panicked")??;
        }
        Ok(start.elapsed())
    })?;
    let doubles = accepted
        .iter()
        .filter(|a| a.load(Ordering::Relaxed) > 1)
        .count();
    let lost = accepted
        .iter()
        .filter(|a| a.load(Ordering::Relaxed) == 0)
        .count();
    let calls = n * threads;
    println!(
        "redis: {threads} verifiers, {n} codes x {threads} presentations = {calls} verifications \
         in {:.2} s: {:.0} verifications/s; accepted twice: {doubles}, never: {lost}",
        elapsed.as_secs_f64(),
        calls as f64 / elapsed.as_secs_f64()
    );
    if doubles + lost > 0 {
        return Err("a code was accepted twice or never".into());
    }
    Ok(())
}

fn postgres_load(base: &str, n: usize, threads: usize) -> Res<()> {
    let schema = format!("qrpay_load_{}", std::process::id());
    let mut admin = postgres::Client::connect(base, postgres::NoTls)?;
    admin.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))?;
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    PostgresTokenVault::connect(&url)?.migrate()?;
    let tokenizer = Tokenizer::new(
        SecretKey::new(vec![0x5a; 32]),
        TokenRange::new("490000", "490099", 16)?,
    )?;
    let account = |i: usize| Account::pan(&format!("62{:014}", i * 7919));
    let run = |phase: u8| -> Res<Duration> {
        let barrier = Barrier::new(threads + 1);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|th| {
                    let (url, tokenizer, barrier) = (&url, &tokenizer, &barrier);
                    s.spawn(move || -> Res<()> {
                        let mut vault = PostgresTokenVault::connect(url)?;
                        barrier.wait();
                        for i in (th..n).step_by(threads) {
                            let req =
                                IssueRequest::new("load", account(i)?, DomainControls::default());
                            let token = tokenizer.issue(&mut vault, req)?;
                            if phase == 1 {
                                let usage = Usage {
                                    channel: Channel::Cpm,
                                    merchant_id: None,
                                    acquirer_id: None,
                                    now: 0,
                                };
                                detokenize(&mut vault, token.number(), &usage)?;
                            }
                        }
                        Ok(())
                    })
                })
                .collect();
            barrier.wait();
            let start = Instant::now();
            for h in handles {
                h.join().map_err(|_| "host panicked")??;
            }
            Ok(start.elapsed())
        })
    };
    let issue = run(0)?;
    let rows: i64 = admin
        .query_one(&format!("SELECT count(*) FROM {schema}.qrpay_tokens"), &[])?
        .get(0);
    // Phase 1: issue again (idempotent: a read) and resolve each token once.
    let resolve = run(1)?;
    admin.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))?;
    println!(
        "postgres: {threads} hosts, {n} accounts: {:.0} tokenisations/s ({rows} rows); \
         re-issue + detokenise: {:.0} accounts/s",
        n as f64 / issue.as_secs_f64(),
        n as f64 / resolve.as_secs_f64()
    );
    if rows != n as i64 {
        return Err("row count differs from the account count".into());
    }
    Ok(())
}
