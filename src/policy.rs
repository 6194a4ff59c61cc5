//! Risk rules of the PBoC 2017 barcode-payment rules (《条码支付业务规范（试行）》银发〔2017〕296号,
//! dossier §3.2): verification levels A to D, their daily cumulative limits per customer,
//! and the validity of dynamic codes.
//!
//! | Level | Verification | Daily limit |
//! |---|---|---|
//! | A | ≥ 2 factors including a digital certificate or e-signature | agreed with the customer |
//! | B | ≥ 2 factors, no certificate | 5 000 CNY |
//! | C | fewer than 2 factors | 1 000 CNY |
//! | D | static code, whatever the verification | 500 CNY |
//!
//! Static or dynamic is read from the code itself (a [`Decoded`]). Amounts are minor units
//! (fen) or decimal strings, never floats. The daily total and the clock come from the
//! caller.
//!
//! ```
//! use qrpay::policy::*;
//! let d = qrpay::decode("135112298638468293"); // a WeChat Pay consumer code: dynamic
//! let v = Verification { factors: 2, certificate: false };
//! let attempt = Attempt::new(&d, v, Fen::parse("1200.50").unwrap(), Fen::parse("3000").unwrap(), 0);
//! let decision = check(&Policy::default(), &attempt);
//! assert_eq!(decision, Decision::Allow { level: Level::B, remaining: Fen(79_950) });
//! ```

use core::fmt;

use crate::decode::{Decoded, Kind, View};
use crate::mpm::Initiation;

/// An amount in fen (CNY minor units, 0.01 CNY).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fen(pub u64);

impl Fen {
    /// Reads a plain decimal CNY amount: digits, optionally `.` and one or two digits
    /// (`"5000"`, `"0.5"`, `"23.72"`). `None` for anything else or an overflow.
    pub fn parse(s: &str) -> Option<Fen> {
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) if !f.is_empty() => (i, f),
            Some(_) => return None,
            None => (s, ""),
        };
        if int.is_empty()
            || int.len() > 17
            || frac.len() > 2
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let yuan: u64 = int.parse().ok()?;
        let mut f: u64 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        if frac.len() == 1 {
            f *= 10;
        }
        yuan.checked_mul(100)?.checked_add(f).map(Fen)
    }

    /// CNY, `n` yuan.
    pub const fn yuan(n: u64) -> Fen {
        Fen(n * 100)
    }
}

impl fmt::Display for Fen {
    /// `"5000.00"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Risk-prevention capability level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Two or more factors including a digital certificate or electronic signature.
    A,
    /// Two or more factors, none a certificate or signature.
    B,
    /// Fewer than two factors.
    C,
    /// A static code.
    D,
}

impl Level {
    /// `"A"` to `"D"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::A => "A",
            Level::B => "B",
            Level::C => "C",
            Level::D => "D",
        }
    }
}

/// How the customer was verified for this payment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Verification {
    /// Valid verification factors (password, biometrics, device, SMS code...).
    pub factors: u8,
    /// One of them is a digital certificate or electronic signature.
    pub certificate: bool,
}

/// Whether a code is static or dynamic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nature {
    /// Printed or reusable: MPM with point of initiation 11, receive-code URLs.
    Static,
    /// One-time: MPM with point of initiation 12, consumer payment codes, CPM.
    Dynamic,
    /// The code does not say (MPM without ID 01, other formats): treated as static.
    Unknown,
}

/// Reads static or dynamic from the code.
pub fn nature(d: &Decoded<'_>) -> Nature {
    match d.kind {
        Kind::Paycode | Kind::EmvCpm => Nature::Dynamic,
        Kind::AlipayUrl | Kind::WechatUrl | Kind::UnionpayUrl => Nature::Static,
        Kind::EmvMpm => {
            let of = |m: &crate::mpm::Mpm<'_>| match m.initiation() {
                Some(Initiation::Static) => Nature::Static,
                Some(Initiation::Dynamic) => Nature::Dynamic,
                _ => Nature::Unknown,
            };
            match (&d.view, &d.inner) {
                (View::Mpm(m), _) => of(m),
                (_, Some(inner)) => {
                    let inner_d = crate::decode(inner);
                    match &inner_d.view {
                        View::Mpm(m) => of(m),
                        _ => Nature::Unknown,
                    }
                }
                _ => Nature::Unknown,
            }
        }
        _ => Nature::Unknown,
    }
}

/// The level of a payment: D for a static (or unknown) code, else by verification.
pub fn level(nature: Nature, v: Verification) -> Level {
    match nature {
        Nature::Static | Nature::Unknown => Level::D,
        Nature::Dynamic if v.factors >= 2 && v.certificate => Level::A,
        Nature::Dynamic if v.factors >= 2 => Level::B,
        Nature::Dynamic => Level::C,
    }
}

/// Limits and validity. Defaults are the 2017 rules' numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Policy {
    /// Level B daily limit (default 5 000 CNY).
    pub limit_b: Fen,
    /// Level C daily limit (default 1 000 CNY).
    pub limit_c: Fen,
    /// Level D daily limit (default 500 CNY).
    pub limit_d: Fen,
    /// Seconds a dynamic code stays valid after it was made (default 60).
    pub dynamic_validity: u64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            limit_b: Fen::yuan(5_000),
            limit_c: Fen::yuan(1_000),
            limit_d: Fen::yuan(500),
            dynamic_validity: 60,
        }
    }
}

/// One payment to judge.
#[derive(Clone, Copy, Debug)]
pub struct Attempt<'a, 'd> {
    /// The code scanned.
    pub code: &'a Decoded<'d>,
    /// How the customer was verified.
    pub verification: Verification,
    /// This payment's amount.
    pub amount: Fen,
    /// What the customer already paid today at this level's scope (one bank account, or
    /// all accounts at one payment institution).
    pub daily_total: Fen,
    /// The level A limit agreed with the customer (`None`: none agreed, level A refused).
    pub agreed_limit: Option<Fen>,
    /// When a dynamic code was made (Unix seconds), when known.
    pub issued_at: Option<u64>,
    /// Now (Unix seconds).
    pub now: u64,
}

impl<'a, 'd> Attempt<'a, 'd> {
    /// An attempt with no agreed limit and no issue time.
    pub fn new(
        code: &'a Decoded<'d>,
        verification: Verification,
        amount: Fen,
        daily_total: Fen,
        now: u64,
    ) -> Attempt<'a, 'd> {
        Attempt {
            code,
            verification,
            amount,
            daily_total,
            agreed_limit: None,
            issued_at: None,
            now,
        }
    }
}

/// Why a payment is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DenyReason {
    /// The daily total with this payment would pass the level's limit.
    DailyLimit {
        /// The limit.
        limit: Fen,
        /// Today's total with this payment (saturating).
        total: Fen,
    },
    /// Level A with no limit agreed with the customer.
    NoAgreedLimit,
    /// The dynamic code is older than the validity.
    CodeExpired {
        /// Its age in seconds.
        age: u64,
        /// The validity.
        validity: u64,
    },
    /// A zero amount.
    ZeroAmount,
}

impl fmt::Display for DenyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DenyReason::DailyLimit { limit, total } => {
                write!(
                    f,
                    "daily total {total} CNY would pass the {limit} CNY limit"
                )
            }
            DenyReason::NoAgreedLimit => {
                f.write_str("level A needs a limit agreed with the customer")
            }
            DenyReason::CodeExpired { age, validity } => {
                write!(f, "the dynamic code is {age} s old, valid {validity} s")
            }
            DenyReason::ZeroAmount => f.write_str("the amount is zero"),
        }
    }
}

/// The decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allowed; `remaining` is what the customer may still pay today at this level.
    Allow {
        /// The level.
        level: Level,
        /// Limit left after this payment.
        remaining: Fen,
    },
    /// Refused.
    Deny {
        /// The level.
        level: Level,
        /// Why.
        reason: DenyReason,
    },
}

impl Decision {
    /// True for [`Decision::Allow`].
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow { .. })
    }
}

/// Judges one payment: the level from the code and verification, the dynamic code's age,
/// then the daily limit (a total equal to the limit is allowed).
pub fn check(policy: &Policy, a: &Attempt<'_, '_>) -> Decision {
    let nat = nature(a.code);
    let level = level(nat, a.verification);
    let deny = |reason| Decision::Deny { level, reason };
    if a.amount.0 == 0 {
        return deny(DenyReason::ZeroAmount);
    }
    if nat == Nature::Dynamic {
        if let Some(t) = a.issued_at {
            let age = a.now.saturating_sub(t);
            if age > policy.dynamic_validity {
                return deny(DenyReason::CodeExpired {
                    age,
                    validity: policy.dynamic_validity,
                });
            }
        }
    }
    let limit = match level {
        Level::A => match a.agreed_limit {
            Some(l) => l,
            None => return deny(DenyReason::NoAgreedLimit),
        },
        Level::B => policy.limit_b,
        Level::C => policy.limit_c,
        Level::D => policy.limit_d,
    };
    let total = Fen(a.daily_total.0.saturating_add(a.amount.0));
    if total > limit {
        return deny(DenyReason::DailyLimit { limit, total });
    }
    Decision::Allow {
        level,
        remaining: Fen(limit.0 - total.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    /// Dossier §4.1/§1: a UnionPay-style MPM with point of initiation 12 (dynamic).
    const MPM_DYNAMIC: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

    fn static_mpm() -> alloc::string::String {
        // The same payload as a static code: 010211, no amount, CRC recomputed.
        let body = MPM_DYNAMIC
            .replace("010212", "010211")
            .replace("540523.72", "");
        let body = &body[..body.len() - 4];
        format!("{body}{:04X}", crate::crc::crc16(body.as_bytes()))
    }

    const V2: Verification = Verification {
        factors: 2,
        certificate: false,
    };

    #[test]
    fn natures() {
        assert_eq!(nature(&crate::decode(MPM_DYNAMIC)), Nature::Dynamic);
        let s = static_mpm();
        let d = crate::decode(&s);
        assert!(d.is_intact(), "{s}");
        assert_eq!(nature(&d), Nature::Static);
        assert_eq!(
            nature(&crate::decode("135112298638468293")),
            Nature::Dynamic
        );
        assert_eq!(
            nature(&crate::decode("https://qr.alipay.com/fkx12345abcde")),
            Nature::Static
        );
        assert_eq!(
            nature(&crate::decode(
                "hQVDUFYwMWEaTwegAAAAVVVVVw8SNFZ4kBI0WNGRIgESNF8="
            )),
            Nature::Dynamic
        );
        assert_eq!(nature(&crate::decode("hello")), Nature::Unknown);
    }

    #[test]
    fn levels() {
        let c = |factors, certificate| Verification {
            factors,
            certificate,
        };
        assert_eq!(level(Nature::Dynamic, c(2, true)), Level::A);
        assert_eq!(level(Nature::Dynamic, c(3, false)), Level::B);
        assert_eq!(level(Nature::Dynamic, c(1, true)), Level::C);
        assert_eq!(level(Nature::Dynamic, c(0, false)), Level::C);
        assert_eq!(level(Nature::Static, c(3, true)), Level::D);
        assert_eq!(level(Nature::Unknown, c(3, true)), Level::D);
    }

    /// Each level at, below and above its limit: the limits are the dossier's numbers
    /// (B 5 000, C 1 000, D 500 CNY; A as agreed).
    #[test]
    fn limits_at_below_above() {
        let dynamic = crate::decode(MPM_DYNAMIC);
        let s = static_mpm();
        let stat = crate::decode(&s);
        let p = Policy::default();
        let cases: [(&Decoded<'_>, Verification, Option<Fen>, Level, &str); 4] = [
            (
                &dynamic,
                Verification {
                    factors: 2,
                    certificate: true,
                },
                Some(Fen::yuan(20_000)),
                Level::A,
                "20000.00",
            ),
            (&dynamic, V2, None, Level::B, "5000.00"),
            (
                &dynamic,
                Verification {
                    factors: 1,
                    certificate: false,
                },
                None,
                Level::C,
                "1000.00",
            ),
            (&stat, V2, None, Level::D, "500.00"),
        ];
        for (code, v, agreed, lvl, limit_text) in cases {
            let limit = Fen::parse(limit_text).unwrap();
            let earlier = Fen::yuan(100);
            let run = |amount: Fen| {
                let mut a = Attempt::new(code, v, amount, earlier, 0);
                a.agreed_limit = agreed;
                check(&p, &a)
            };
            // At the limit: allowed, nothing left.
            assert_eq!(
                run(Fen(limit.0 - earlier.0)),
                Decision::Allow {
                    level: lvl,
                    remaining: Fen(0)
                },
                "{lvl:?} at"
            );
            // One fen below.
            assert_eq!(
                run(Fen(limit.0 - earlier.0 - 1)),
                Decision::Allow {
                    level: lvl,
                    remaining: Fen(1)
                },
                "{lvl:?} below"
            );
            // One fen above.
            assert_eq!(
                run(Fen(limit.0 - earlier.0 + 1)),
                Decision::Deny {
                    level: lvl,
                    reason: DenyReason::DailyLimit {
                        limit,
                        total: Fen(limit.0 + 1)
                    }
                },
                "{lvl:?} above"
            );
        }
        // Level A without an agreed limit.
        let a = Attempt::new(
            &dynamic,
            Verification {
                factors: 2,
                certificate: true,
            },
            Fen(1),
            Fen(0),
            0,
        );
        assert_eq!(
            check(&p, &a),
            Decision::Deny {
                level: Level::A,
                reason: DenyReason::NoAgreedLimit
            }
        );
    }

    #[test]
    fn dynamic_validity_and_amounts() {
        let d = crate::decode("135112298638468293");
        let p = Policy::default();
        let mut a = Attempt::new(&d, V2, Fen::yuan(1), Fen(0), 1_060);
        a.issued_at = Some(1_000);
        assert!(check(&p, &a).is_allowed(), "60 s old is still valid");
        a.now = 1_061;
        let r = check(&p, &a);
        assert_eq!(
            r,
            Decision::Deny {
                level: Level::B,
                reason: DenyReason::CodeExpired {
                    age: 61,
                    validity: 60
                }
            }
        );
        let p30 = Policy {
            dynamic_validity: 30,
            ..p
        };
        a.now = 1_031;
        assert!(!check(&p30, &a).is_allowed());
        // Static codes have no validity window.
        let s = static_mpm();
        let sd = crate::decode(&s);
        let mut b = Attempt::new(&sd, V2, Fen::yuan(1), Fen(0), 10_000);
        b.issued_at = Some(0);
        assert!(check(&p, &b).is_allowed());
        b.amount = Fen(0);
        assert!(!check(&p, &b).is_allowed());
        // Amounts.
        assert_eq!(Fen::parse("23.72"), Some(Fen(2372)));
        assert_eq!(Fen::parse("0.5"), Some(Fen(50)));
        assert_eq!(Fen::parse("5000"), Some(Fen(500_000)));
        for bad in [
            "",
            ".5",
            "5.",
            "1.234",
            "-1",
            "1e3",
            "１",
            "99999999999999999999",
        ] {
            assert_eq!(Fen::parse(bad), None, "{bad}");
        }
        assert_eq!(format!("{}", Fen(500_005)), "5000.05");
        let deny = DenyReason::DailyLimit {
            limit: Fen::yuan(500),
            total: Fen(50_001),
        };
        assert_eq!(
            format!("{deny}"),
            "daily total 500.01 CNY would pass the 500.00 CNY limit"
        );
        // A daily total near u64::MAX does not overflow.
        let c = Attempt::new(&d, V2, Fen(u64::MAX), Fen(u64::MAX), 0);
        assert!(!check(&p, &c).is_allowed());
    }
}
