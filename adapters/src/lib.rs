//! Shared stores for running qrpay on many hosts. The core crate does no I/O: its
//! [`qrpay::paycode::ReplayGuard`] and [`qrpay::token::TokenVault`] traits are the host's
//! storage. On one host the in-memory ones do; on a fleet every host must see the same
//! state, or a one-time code could be accepted once per host and a token would resolve only
//! where it was issued. This crate puts them in the stores acquirers already run:
//!
//! - [`RedisReplayGuard`] (feature `redis`): one atomic Redis command per accepted code.
//! - [`PostgresTokenVault`] (feature `postgres`): the vault in one table, with unique
//!   constraints for concurrent tokenisation and row locks for usage counts.
//!
//! Both fail closed: when the store cannot answer, the code is refused and the token is not
//! resolved, with an error that says the store is unreachable.
//!
//! ```no_run
//! # #[cfg(all(feature = "redis", feature = "postgres"))] {
//! use qrpay::otp::SecretKey;
//! use qrpay::paycode::{verify, Layout, Window};
//! use qrpay::token::{detokenize, Channel, Usage};
//! use qrpay_adapters::{GuardConfig, PostgresTokenVault, RedisReplayGuard};
//!
//! let layout = Layout::for_wallet("unionpay").unwrap();
//! let window = Window::default();
//! let mut guard =
//!     RedisReplayGuard::connect(GuardConfig::for_layout("redis://10.0.0.5/", &layout, window))
//!         .unwrap();
//! let mut vault = PostgresTokenVault::connect("postgresql://qrpay@10.0.0.6/qrpay").unwrap();
//! vault.migrate().unwrap();
//! # let (key, code, now, token) = (SecretKey::new(vec![1; 32]), "", 0, "");
//! let accepted = verify(&layout, &key, code, now, window, &mut guard);
//! let usage = Usage { channel: Channel::Paycode, merchant_id: None, acquirer_id: None, now };
//! let resolved = detokenize(&mut vault, token, &usage);
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

#[cfg(feature = "postgres")]
pub mod postgres_vault;
#[cfg(feature = "redis")]
pub mod redis_guard;

#[cfg(feature = "postgres")]
pub use postgres_vault::{migrate, PgVaultError, PostgresTokenVault};
#[cfg(feature = "redis")]
pub use redis_guard::{ttl_for, GuardConfig, RedisGuardError, RedisReplayGuard, Rule};
