//! [`RedisReplayGuard`]: the single-use check of payment codes in Redis, shared by every
//! host that verifies codes.
//!
//! Each acceptance is one atomic Redis command, so two hosts presented the same code at the
//! same moment cannot both accept it:
//!
//! - [`Rule::Once`] (default): `SET <prefix>:<network>:<index>:<step> 1 NX PX <ttl>`. The
//!   first `SET` of a code wins; the key lives as long as the code can still be accepted
//!   anywhere, then expires, so the store stays bounded by the codes of one window.
//! - [`Rule::Monotonic`]: a short Lua script on `<prefix>:<network>:<index>` keeps the last
//!   accepted step of each device and refuses that step and earlier ones (RFC 6238 §5.2):
//!   what [`qrpay::paycode::MemoryReplayGuard`] does on one host.
//!
//! The guard fails closed: when Redis cannot be reached, or does not answer within the
//! timeout, [`ReplayGuard::claim`] returns an error and [`qrpay::paycode::verify`] refuses
//! the code with [`qrpay::paycode::PaycodeError::Guard`]. A code whose `SET` reached Redis
//! but whose answer was lost is refused here and as a replay afterwards: the customer shows
//! a fresh code (one time step later), never a double payment.

use std::time::Duration;

use qrpay::paycode::{Layout, ReplayGuard, Window};

/// Which codes a device may still use once one was accepted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Every code once: one key per device and time step (`SET NX PX`).
    #[default]
    Once,
    /// Only codes of a later time step than the last accepted one (a Lua script).
    Monotonic,
}

/// Where and how a [`RedisReplayGuard`] keeps its keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardConfig {
    /// `redis://host:port/db` (or `rediss://`, `redis+unix://`).
    pub url: String,
    /// First part of every key (default `qrpay:replay`), so one Redis can serve several
    /// applications.
    pub prefix: String,
    /// The network (or wallet, issuer) the device indexes belong to: the second part of
    /// every key, since an index is only unique within its network.
    pub network: String,
    /// How long an accepted code is remembered: at least as long as any host may still
    /// accept it (see [`ttl_for`]).
    pub ttl: Duration,
    /// Which codes are refused.
    pub rule: Rule,
    /// Connect, read and write timeout of each Redis call (default 2 s).
    pub timeout: Duration,
}

impl GuardConfig {
    /// A configuration with the default prefix, rule and timeout.
    pub fn new(url: &str, network: &str, ttl: Duration) -> GuardConfig {
        GuardConfig {
            url: url.to_owned(),
            prefix: String::from("qrpay:replay"),
            network: network.to_owned(),
            ttl,
            rule: Rule::Once,
            timeout: Duration::from_secs(2),
        }
    }

    /// The configuration for codes of `layout` verified with `window`: the layout's prefix
    /// names the network, and the TTL is [`ttl_for`] with one time step of clock skew.
    pub fn for_layout(url: &str, layout: &Layout, window: Window) -> GuardConfig {
        let skew = Duration::from_secs(layout.step);
        GuardConfig::new(url, layout.prefix(), ttl_for(layout, window, skew))
    }
}

/// How long a code stays acceptable somewhere in the fleet after a host first accepts it:
/// a code of step `s` is accepted while the verifier's step is in `s - future ..= s + past`,
/// so `(past + 1 + future)` steps, plus `max_skew`, the most any verifier's clock may lag
/// behind another's.
pub fn ttl_for(layout: &Layout, window: Window, max_skew: Duration) -> Duration {
    let steps = u64::from(window.past) + 1 + u64::from(window.future);
    Duration::from_secs(layout.step.saturating_mul(steps)).saturating_add(max_skew)
}

/// Why the guard could not say whether a code is new. The code is then refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisGuardError {
    /// The URL is not a Redis URL.
    #[error("bad Redis URL: {0}")]
    Url(#[source] redis::RedisError),
    /// The configuration is not usable.
    #[error("bad replay guard configuration: {0}")]
    Config(&'static str),
    /// Redis could not be reached (refused, timed out, authentication failed).
    #[error("replay store unreachable: {0}")]
    Unreachable(#[source] redis::RedisError),
    /// A command failed or timed out; whether it took effect is unknown.
    #[error("replay store command failed: {0}")]
    Command(#[source] redis::RedisError),
}

/// Lua: accept `ARGV[1]` (a step) when it is later than the stored one; keep it `ARGV[2]`
/// milliseconds. Runs atomically on the server.
const MONOTONIC: &str = r"
local last = redis.call('GET', KEYS[1])
if last and tonumber(last) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
";

/// A [`ReplayGuard`] in Redis. One per thread (it holds one connection, reopened after an
/// error); any number of threads, processes and hosts may share the Redis behind it.
pub struct RedisReplayGuard {
    client: redis::Client,
    conn: Option<redis::Connection>,
    config: GuardConfig,
    ttl_ms: u64,
    script: redis::Script,
}

impl std::fmt::Debug for RedisReplayGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: show only the key space.
        f.debug_struct("RedisReplayGuard")
            .field("prefix", &self.config.prefix)
            .field("network", &self.config.network)
            .field("ttl", &self.config.ttl)
            .field("rule", &self.config.rule)
            .field("connected", &self.conn.is_some())
            .finish()
    }
}

impl RedisReplayGuard {
    /// A guard that connects on first use (and again after an error).
    pub fn new(config: GuardConfig) -> Result<RedisReplayGuard, RedisGuardError> {
        let ttl_ms = u64::try_from(config.ttl.as_millis()).unwrap_or(u64::MAX);
        if ttl_ms == 0 {
            return Err(RedisGuardError::Config("the TTL is zero"));
        }
        if config.timeout.is_zero() {
            return Err(RedisGuardError::Config("the timeout is zero"));
        }
        let bad_part = |s: &str| s.is_empty() || s.contains(':') || s.contains(char::is_whitespace);
        if config.prefix.is_empty() || bad_part(&config.network) {
            return Err(RedisGuardError::Config(
                "the prefix is empty, or the network is empty or holds ':' or spaces",
            ));
        }
        let client = redis::Client::open(config.url.as_str()).map_err(RedisGuardError::Url)?;
        Ok(RedisReplayGuard {
            client,
            conn: None,
            config,
            ttl_ms,
            script: redis::Script::new(MONOTONIC),
        })
    }

    /// A guard connected now: fails when Redis does not answer a `PING`.
    pub fn connect(config: GuardConfig) -> Result<RedisReplayGuard, RedisGuardError> {
        let mut guard = RedisReplayGuard::new(config)?;
        guard.ping()?;
        Ok(guard)
    }

    /// The configuration.
    pub fn config(&self) -> &GuardConfig {
        &self.config
    }

    /// Checks that Redis answers (a health probe).
    pub fn ping(&mut self) -> Result<(), RedisGuardError> {
        let conn = self.connection()?;
        let r: Result<String, _> = redis::cmd("PING").query(conn);
        self.settle(r).map(|_| ())
    }

    /// The key that records `index`'s code of `step` (under [`Rule::Monotonic`], `index`'s
    /// last accepted step).
    pub fn key(&self, index: u64, step: u64) -> String {
        match self.config.rule {
            Rule::Once => format!(
                "{}:{}:{index}:{step}",
                self.config.prefix, self.config.network
            ),
            Rule::Monotonic => format!("{}:{}:{index}", self.config.prefix, self.config.network),
        }
    }

    fn connection(&mut self) -> Result<&mut redis::Connection, RedisGuardError> {
        open(&self.client, &mut self.conn, self.config.timeout)
    }

    /// Passes a result on; after an error the connection is dropped (its stream may hold
    /// a late answer) and the next call opens a new one.
    fn settle<T>(&mut self, r: redis::RedisResult<T>) -> Result<T, RedisGuardError> {
        r.map_err(|e| {
            self.conn = None;
            RedisGuardError::Command(e)
        })
    }
}

impl ReplayGuard for RedisReplayGuard {
    type Error = RedisGuardError;

    fn claim(&mut self, index: u64, step: u64) -> Result<bool, RedisGuardError> {
        let key = self.key(index, step);
        let conn = open(&self.client, &mut self.conn, self.config.timeout)?;
        let ttl_ms = self.ttl_ms;
        let r = match self.config.rule {
            Rule::Once => redis::cmd("SET")
                .arg(&key)
                .arg(1)
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms)
                .query::<Option<String>>(conn)
                .map(|ok| ok.is_some()),
            Rule::Monotonic => self
                .script
                .key(&key)
                .arg(step)
                .arg(ttl_ms)
                .invoke::<i64>(conn)
                .map(|n| n == 1),
        };
        self.settle(r)
    }
}

/// The open connection, or a new one with `timeout` on connect, reads and writes.
fn open<'a>(
    client: &redis::Client,
    slot: &'a mut Option<redis::Connection>,
    timeout: Duration,
) -> Result<&'a mut redis::Connection, RedisGuardError> {
    if slot.is_none() {
        let c = client
            .get_connection_with_timeout(timeout)
            .map_err(RedisGuardError::Unreachable)?;
        c.set_read_timeout(Some(timeout))
            .and_then(|()| c.set_write_timeout(Some(timeout)))
            .map_err(RedisGuardError::Unreachable)?;
        *slot = Some(c);
    }
    slot.as_mut()
        .ok_or(RedisGuardError::Config("no connection"))
}
