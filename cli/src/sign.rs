//! `qrpay sign` and `qrpay verify`: tamper-evident merchant codes (spec/signing.md).

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Subcommand};
use qrpay::otp::SecretKey;
use qrpay::sign::{self, Algorithm, Signer, TrustStore, VerifyKey};

#[derive(Subcommand)]
pub enum Command {
    /// Sign an MPM payload (re-emitted canonically; a previous signature is replaced) and
    /// print the signed payload.
    ///
    /// For ed25519 the key is the 32-byte secret seed (64 hex digits); for hmac a shared key
    /// of at least 16 bytes. Exit 1 with the reason when the payload cannot be signed.
    Sign {
        /// The payload text, or `-` for standard input.
        payload: String,
        /// ed25519 or hmac (HMAC-SHA-256 truncated to 128 bits).
        #[arg(long, value_parser = ["ed25519", "hmac"])]
        alg: String,
        /// The secret key in hex.
        #[arg(long)]
        key_hex: String,
        /// The key id written in the code (1-32 of A-Z a-z 0-9 . _ : -).
        #[arg(long, default_value = "k1")]
        key_id: String,
    },
    /// Verify a signed payload and print its status: signed-valid, signed-invalid,
    /// signed-unknown-key, signed-expired-key or unsigned.
    ///
    /// Exit status: 0 only for signed-valid, 1 for any other status, 2 for bad arguments.
    #[command(group(ArgGroup::new("key").required(true).args(["key_hex", "public_key_hex", "trust"])))]
    Verify {
        /// The payload text, or `-` for standard input.
        payload: String,
        /// An HMAC key in hex.
        #[arg(long)]
        key_hex: Option<String>,
        /// An Ed25519 public key in hex (64 digits).
        #[arg(long)]
        public_key_hex: Option<String>,
        /// A trust list (the spec/routing/trust.json format).
        #[arg(long)]
        trust: Option<PathBuf>,
        /// With --key-hex or --public-key-hex: the key id the key is for (default: any).
        #[arg(long, conflicts_with = "trust")]
        key_id: Option<String>,
        /// With --trust: the secret of an HMAC entry, as KEY_ID=HEX (repeatable).
        #[arg(long, requires = "trust", value_name = "KEY_ID=HEX")]
        hmac_key: Vec<String>,
        /// Verification time in Unix seconds (default: now).
        #[arg(long)]
        time: Option<u64>,
        /// Print the status as a JSON object.
        #[arg(long)]
        json: bool,
    },
}

fn read_payload(p: &str) -> io::Result<String> {
    if p != "-" {
        return Ok(p.to_owned());
    }
    let mut s = String::new();
    io::stdin().lock().take(1 << 20).read_to_string(&mut s)?;
    let t = s.trim_end_matches(['\n', '\r']).len();
    s.truncate(t);
    Ok(s)
}

fn usage(cmd: &str, msg: &dyn std::fmt::Display) -> io::Result<ExitCode> {
    eprintln!("qrpay {cmd}: {msg}");
    Ok(ExitCode::from(2))
}

pub fn run(c: Command) -> io::Result<ExitCode> {
    match c {
        Command::Sign {
            payload,
            alg,
            key_hex,
            key_id,
        } => {
            let text = read_payload(&payload)?;
            let Some(alg) = Algorithm::from_name(&alg) else {
                return usage("sign", &"--alg is ed25519 or hmac");
            };
            let signer = match Signer::from_hex(alg, &key_hex, &key_id) {
                Ok(s) => s,
                Err(e) => return usage("sign", &e),
            };
            match sign::sign_payload(&text, &signer) {
                Ok(signed) => {
                    writeln!(io::stdout().lock(), "{signed}")?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("qrpay sign: {e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Verify {
            payload,
            key_hex,
            public_key_hex,
            trust,
            key_id,
            hmac_key,
            time,
            json,
        } => {
            let text = read_payload(&payload)?;
            let store = match (key_hex, public_key_hex, trust) {
                (Some(k), _, _) => {
                    let key = SecretKey::from_hex(&k)
                        .map_err(|_| "--key-hex is not hexadecimal".to_owned())
                        .and_then(|k| VerifyKey::hmac(k).map_err(|e| e.to_string()));
                    key.and_then(|k| {
                        TrustStore::single(k, key_id.as_deref()).map_err(|e| e.to_string())
                    })
                }
                (_, Some(p), _) => VerifyKey::ed25519_hex(&p)
                    .map_err(|e| e.to_string())
                    .and_then(|k| {
                        TrustStore::single(k, key_id.as_deref()).map_err(|e| e.to_string())
                    }),
                (_, _, Some(path)) => load_trust(&path, &hmac_key),
                (None, None, None) => Err("give --key-hex, --public-key-hex or --trust".into()),
            };
            let store = match store {
                Ok(s) => s,
                Err(e) => return usage("verify", &e),
            };
            let now = time.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            });
            let status = sign::verify(&text, &store, now);
            let mut out = io::stdout().lock();
            if json {
                writeln!(out, "{}", sign::status_json(&status))?;
            } else {
                writeln!(out, "{status}")?;
            }
            Ok(if status.is_valid() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

fn load_trust(path: &PathBuf, hmac_keys: &[String]) -> Result<TrustStore, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut s = TrustStore::from_json(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    for kv in hmac_keys {
        let Some((id, hex)) = kv.split_once('=') else {
            return Err("--hmac-key is KEY_ID=HEX".into());
        };
        let key = SecretKey::from_hex(hex).map_err(|_| "--hmac-key: not hexadecimal".to_owned())?;
        s.attach_hmac_key(id, key).map_err(|e| e.to_string())?;
    }
    Ok(s)
}
