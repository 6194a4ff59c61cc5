//! Stress: a million mutated corpus payloads through `decode` (both modes) and the JSON object,
//! with no panic; prints how long it took.
//!
//! `cargo run --release --example stress [-- COUNT]`

use std::time::Instant;

use qrpay::decode::{decode_with, Options};
use qrpay::Mode;

/// xorshift64*: a small deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ALPHABET: &[char] = &[
    '0', '1', '2', '5', '6', '9', 'A', 'F', 'a', '.', '*', ' ', '\n', '%', '=', '&', '最', 'é',
    '\u{0}',
];

fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let n = c.len();
        match rng.below(6) {
            0 if n > 0 => {
                c.remove(rng.below(n));
            }
            1 => {
                let ch = ALPHABET[rng.below(ALPHABET.len())];
                c.insert(rng.below(n + 1), ch);
            }
            2 if n > 0 => c[rng.below(n)] = ALPHABET[rng.below(ALPHABET.len())],
            3 => c.truncate(rng.below(n + 1)),
            4 if n > 1 => {
                let (a, b) = (rng.below(n), rng.below(n));
                c.swap(a, b);
            }
            _ if n > 4 => {
                // Duplicate a slice: repeated data objects, runaway lengths.
                let a = rng.below(n);
                let b = (a + rng.below(12)).min(n);
                let piece: Vec<char> = c[a..b].to_vec();
                let at = rng.below(c.len() + 1);
                c.splice(at..at, piece);
            }
            _ => {}
        }
    }
    c.into_iter().collect()
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let corpus: Vec<String> = include_str!("../spec/corpus/payloads.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["payload"].as_str().map(str::to_owned))
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start = Instant::now();
    let mut intact = 0usize;
    for i in 0..count {
        let base = &corpus[i % corpus.len()];
        let p = mutate(&mut rng, base);
        let mode = if i % 2 == 0 {
            Mode::Strict
        } else {
            Mode::Lenient
        };
        let d = decode_with(&p, Options { mode });
        intact += usize::from(d.is_intact());
        if i % 64 == 0 {
            let _ = qrpay::json::to_value(&d, Default::default());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{count} mutated payloads decoded in {secs:.2} s ({:.0}/s), {intact} still intact, no panic",
        count as f64 / secs
    );
}
