//! # qrpay
//!
//! Interoperable payment QR codes: read any merchant's or wallet's code, say what it is and
//! whether it is sound, and build canonical ones.
//!
//! The core does no I/O: time, randomness and storage are passed in by the caller. It builds
//! without `std` (with `alloc`) for terminal firmware.
//!
//! ```
//! let payload = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
//! let d = qrpay::decode(payload);
//! assert_eq!(d.kind.as_str(), "emv-mpm");
//! assert!(d.is_intact());
//! let mpm = d.mpm().unwrap();
//! assert_eq!(mpm.merchant_name(), Some("BEST TRANSPORT"));
//! assert_eq!(mpm.amount().unwrap().as_str(), "23.72");
//! assert_eq!(mpm.currency().unwrap().alpha, "CNY");
//! assert_eq!(mpm.language().unwrap().merchant_name(), Some("最佳运输"));
//! ```
// Without `std` the library is `no_std`; its unit tests link std either way (the harness
// needs it), so they also run in the firmware configuration: `--no-default-features
// --features alloc`, the table CRC at every length.
#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Nothing that reads outside input may panic: no unwrap/expect/panic!, no indexing that can
// go out of bounds (use `get`), outside tests.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

extern crate alloc;

#[cfg(feature = "json")]
pub mod conform;
pub mod cpm;
pub mod crc;
pub mod currency;
pub mod decode;
#[cfg(feature = "json")]
pub mod encode;
pub mod fields;
pub mod formats;
#[cfg(feature = "image")]
pub mod image;
#[cfg(feature = "json")]
pub mod json;
pub mod mpm;
pub mod otp;
pub mod paycode;
pub mod policy;
pub mod recognize;
pub mod report;
pub mod request;
pub mod routing;
pub mod schemes;
pub mod sign;
pub mod tlv;
pub mod token;

/// A deterministic random generator for the unit tests.
#[cfg(test)]
pub(crate) fn xorshift(state: &mut u64) -> u64 {
    // xorshift64 with shifts 13, 7, 17: the sequences the tests were written with.
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

pub use decode::{decode, decode_with, recognize, Decoded, Kind, Verdict};
pub use report::{Code, Issue, Mode, Path, Report, Severity};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
