//! `qrpay token`, `qrpay paycode`, `qrpay totp`: thin wrappers over `qrpay::token`,
//! `qrpay::paycode` and `qrpay::otp`. The CLI reads the clock (when `--time` is absent) and
//! the JSON state files; the core does neither.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Subcommand;
use qrpay::otp::{Algorithm, SecretKey, Totp};
use qrpay::paycode::{self, Layout, MemoryReplayGuard, Window};
use qrpay::token::{
    self, Account, Assurance, Channel, DomainControls, IssueRequest, MemoryVault, Par, Token,
    TokenRange, TokenRequestorId, TokenVault, Tokenizer, Usage, VaultEntry,
};
use serde_json::{json, Value};

/// Security subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Issue or resolve payment tokens, kept in a JSON vault file.
    ///
    /// The vault file holds the accounts in clear: protect it.
    Token {
        #[command(subcommand)]
        action: Box<TokenAction>,
    },
    /// Generate or verify dynamic consumer payment codes (spec/paycode.md).
    Paycode {
        #[command(subcommand)]
        action: Box<PaycodeAction>,
    },
    /// Print an RFC 6238 TOTP value (conformance helper).
    Totp {
        /// The key in hexadecimal.
        #[arg(long)]
        key_hex: String,
        /// Unix seconds (default: now).
        #[arg(long)]
        time: Option<u64>,
        /// Digits (6 to 9).
        #[arg(long, default_value_t = 6)]
        digits: u8,
        /// sha1, sha256 or sha512.
        #[arg(long, default_value = "sha1")]
        algo: String,
        /// Time step in seconds.
        #[arg(long, default_value_t = 30)]
        step: u64,
    },
}

/// `qrpay token ...`.
#[derive(Subcommand)]
pub enum TokenAction {
    /// Issue (or return the already issued) token of an account; prints the token.
    Issue {
        /// The vault file (created when absent).
        #[arg(long)]
        vault: PathBuf,
        /// The tokenisation key in hexadecimal (at least 16 bytes).
        #[arg(long)]
        key_hex: String,
        /// The PAN to tokenise.
        #[arg(
            long,
            conflicts_with = "account_id",
            required_unless_present = "account_id"
        )]
        pan: Option<String>,
        /// Another account id to tokenise.
        #[arg(long)]
        account_id: Option<String>,
        /// The token domain.
        #[arg(long, default_value = "default")]
        domain: String,
        /// Lowest token BIN prefix.
        #[arg(long, default_value = "490000")]
        bin_low: String,
        /// Highest token BIN prefix (default: --bin-low).
        #[arg(long)]
        bin_high: Option<String>,
        /// Token length (13 to 19).
        #[arg(long, default_value_t = 16)]
        length: u8,
        /// Allowed channels (mpm, cpm, paycode); repeat; none = all.
        #[arg(long)]
        channel: Vec<String>,
        /// Allowed merchant ids; repeat.
        #[arg(long)]
        merchant: Vec<String>,
        /// Allowed acquirer ids; repeat.
        #[arg(long)]
        acquirer: Vec<String>,
        /// Last valid Unix second.
        #[arg(long)]
        not_after: Option<u64>,
        /// Allowed detokenisations.
        #[arg(long)]
        max_uses: Option<u32>,
        /// Payment Account Reference (29 upper-case alphanumerics).
        #[arg(long)]
        par: Option<String>,
        /// Token requestor ID (11 digits).
        #[arg(long)]
        trid: Option<String>,
        /// Assurance method code (00 to 99).
        #[arg(long, default_value_t = 0)]
        assurance: u8,
    },
    /// Resolve a token to its account when its controls allow; exit 1 with the failing
    /// control otherwise.
    Resolve {
        /// The token.
        token: String,
        /// The vault file.
        #[arg(long)]
        vault: PathBuf,
        /// The channel of this use.
        #[arg(long, default_value = "cpm")]
        channel: String,
        /// The merchant id of this use.
        #[arg(long)]
        merchant: Option<String>,
        /// The acquirer id of this use.
        #[arg(long)]
        acquirer: Option<String>,
        /// Unix seconds (default: now).
        #[arg(long)]
        time: Option<u64>,
    },
}

/// Layout options shared by generate and verify.
#[derive(clap::Args)]
pub struct LayoutArgs {
    /// The wallet whose prefix rule to use (unionpay, wechatpay, alipay).
    #[arg(long, default_value = "unionpay", conflicts_with = "prefix")]
    wallet: String,
    /// A prefix of your own (2 to 4 digits) instead of a wallet's.
    #[arg(long)]
    prefix: Option<String>,
    /// Code length with --prefix (18 or 19).
    #[arg(long, default_value_t = 19)]
    length: u8,
    /// OTP digits.
    #[arg(long, default_value_t = 8)]
    digits: u8,
    /// sha1, sha256 or sha512.
    #[arg(long, default_value = "sha256")]
    algo: String,
    /// Time step in seconds.
    #[arg(long, default_value_t = 30)]
    step: u64,
}

/// `qrpay paycode ...`.
#[derive(Subcommand)]
pub enum PaycodeAction {
    /// Print the code of a device at a time.
    Generate {
        /// The device key in hexadecimal (at least 16 bytes).
        #[arg(long)]
        key_hex: String,
        /// Unix seconds (default: now).
        #[arg(long)]
        time: Option<u64>,
        /// The token index the code carries.
        #[arg(long, default_value_t = 0)]
        index: u64,
        #[command(flatten)]
        layout: LayoutArgs,
    },
    /// Verify a code: exit 0 when accepted, 1 with the reason otherwise.
    Verify {
        /// The code.
        code: String,
        /// The device key in hexadecimal.
        #[arg(long)]
        key_hex: String,
        /// Unix seconds (default: now).
        #[arg(long)]
        time: Option<u64>,
        /// Steps before the current one accepted.
        #[arg(long, default_value_t = 1)]
        past: u32,
        /// Steps after the current one accepted.
        #[arg(long, default_value_t = 0)]
        future: u32,
        /// A JSON file of accepted codes, to refuse replays across runs.
        #[arg(long)]
        state: Option<PathBuf>,
        #[command(flatten)]
        layout: LayoutArgs,
    },
}

fn bad(msg: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}

fn now_or(time: Option<u64>) -> io::Result<u64> {
    match time {
        Some(t) => Ok(t),
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .map_err(|_| bad("the system clock is before 1970")),
    }
}

fn key(hex: &str) -> io::Result<SecretKey> {
    SecretKey::from_hex(hex).map_err(bad)
}

fn algo(name: &str) -> io::Result<Algorithm> {
    Algorithm::parse(name).ok_or_else(|| bad("--algo is sha1, sha256 or sha512"))
}

/// Runs one security subcommand.
pub fn run(cmd: Command) -> io::Result<ExitCode> {
    match cmd {
        Command::Totp {
            key_hex,
            time,
            digits,
            algo: a,
            step,
        } => {
            let totp = Totp {
                algorithm: algo(&a)?,
                digits,
                step,
                t0: 0,
            };
            let code = totp.code(&key(&key_hex)?, now_or(time)?).map_err(bad)?;
            println!("{code}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Paycode { action } => run_paycode(*action),
        Command::Token { action } => run_token(*action),
    }
}

fn layout(a: &LayoutArgs) -> io::Result<Layout> {
    let mut l = match &a.prefix {
        Some(p) => Layout::new(p, a.length, a.digits),
        None => Layout::for_wallet(&a.wallet).and_then(|l| {
            let mut l2 = Layout::new(l.prefix(), l.length(), a.digits)?;
            l2.binding = l.binding;
            Ok(l2)
        }),
    }
    .map_err(bad)?;
    l.algorithm = algo(&a.algo)?;
    l.step = a.step;
    Ok(l)
}

fn run_paycode(action: PaycodeAction) -> io::Result<ExitCode> {
    match action {
        PaycodeAction::Generate {
            key_hex,
            time,
            index,
            layout: la,
        } => {
            let code = paycode::generate(&layout(&la)?, &key(&key_hex)?, index, now_or(time)?)
                .map_err(bad)?;
            println!("{code}");
            Ok(ExitCode::SUCCESS)
        }
        PaycodeAction::Verify {
            code,
            key_hex,
            time,
            past,
            future,
            state,
            layout: la,
        } => {
            let l = layout(&la)?;
            let mut guard = MemoryReplayGuard::default();
            if let Some(p) = &state {
                if let Some(v) = read_json(p)? {
                    for e in v
                        .get("accepted")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let (Some(i), Some(s)) = (
                            e.get("index").and_then(Value::as_u64),
                            e.get("step").and_then(Value::as_u64),
                        ) {
                            guard.restore(i, s);
                        }
                    }
                }
            }
            let r = paycode::verify(
                &l,
                &key(&key_hex)?,
                &code,
                now_or(time)?,
                Window { past, future },
                &mut guard,
            );
            match r {
                Ok(a) => {
                    if let Some(p) = &state {
                        let accepted: Vec<Value> = guard
                            .entries()
                            .map(|(i, s)| json!({"index": i, "step": s}))
                            .collect();
                        write_json(p, &json!({ "accepted": accepted }))?;
                    }
                    println!("accepted: index {} step {}", a.index, a.step);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("qrpay: rejected: {e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

fn read_json(p: &Path) -> io::Result<Option<Value>> {
    match fs::read(p) {
        Ok(b) => serde_json::from_slice(&b)
            .map(Some)
            .map_err(|e| bad(format!("{} is not JSON: {e}", p.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn write_json(p: &Path, v: &Value) -> io::Result<()> {
    let tmp = p.with_extension("tmp");
    {
        let mut f = fs::File::create(&tmp)?;
        serde_json::to_writer_pretty(&mut f, v).map_err(io::Error::other)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
    }
    fs::rename(tmp, p)
}

fn channel(s: &str) -> io::Result<Channel> {
    Channel::parse(s).ok_or_else(|| bad("a channel is mpm, cpm or paycode"))
}

fn entry_to_json(e: &VaultEntry) -> Value {
    let t = &e.token;
    json!({
        "token": t.number(),
        "domain": t.domain,
        "account_kind": match e.account.kind() { token::AccountKind::Pan => "pan", token::AccountKind::Id => "id" },
        "account": e.account.reveal(),
        "assurance": t.assurance.code(),
        "par": t.par.as_ref().map(Par::as_str),
        "trid": t.requestor.as_ref().map(TokenRequestorId::as_str),
        "pan_last4": t.pan_last4,
        "channels": e.controls.channels.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "merchants": e.controls.merchants,
        "acquirers": e.controls.acquirers,
        "not_after": e.controls.not_after,
        "max_uses": e.controls.max_uses,
        "uses": e.uses,
    })
}

fn entry_from_json(v: &Value) -> io::Result<VaultEntry> {
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    let list = |k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(String::from))
            .collect()
    };
    let broken = || bad("the vault file has a malformed entry");
    let mut token = Token::restore(
        s("token").ok_or_else(broken)?,
        s("domain").ok_or_else(broken)?,
    )
    .map_err(bad)?;
    token.assurance = v
        .get("assurance")
        .and_then(Value::as_u64)
        .and_then(|c| u8::try_from(c).ok())
        .and_then(Assurance::from_code)
        .unwrap_or_default();
    token.par = s("par").map(Par::new).transpose().map_err(bad)?;
    token.requestor = s("trid")
        .map(TokenRequestorId::new)
        .transpose()
        .map_err(bad)?;
    token.pan_last4 = s("pan_last4").map(String::from);
    let account = match s("account_kind") {
        Some("pan") => Account::pan(s("account").ok_or_else(broken)?),
        Some("id") => Account::id(s("account").ok_or_else(broken)?),
        _ => return Err(broken()),
    }
    .map_err(bad)?;
    let channels = list("channels")
        .iter()
        .map(|c| channel(c))
        .collect::<io::Result<Vec<_>>>()?;
    Ok(VaultEntry {
        token,
        account,
        controls: DomainControls {
            channels,
            merchants: list("merchants"),
            acquirers: list("acquirers"),
            not_after: v.get("not_after").and_then(Value::as_u64),
            max_uses: v
                .get("max_uses")
                .and_then(Value::as_u64)
                .and_then(|m| u32::try_from(m).ok()),
        },
        uses: v
            .get("uses")
            .and_then(Value::as_u64)
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(0),
    })
}

fn load_vault(p: &Path) -> io::Result<MemoryVault> {
    let mut vault = MemoryVault::default();
    if let Some(v) = read_json(p)? {
        for e in v
            .get("tokens")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let entry = entry_from_json(e)?;
            // The in-memory vault cannot fail.
            let _ = vault.insert(entry);
        }
    }
    Ok(vault)
}

fn save_vault(p: &Path, vault: &MemoryVault) -> io::Result<()> {
    let tokens: Vec<Value> = vault.entries().map(entry_to_json).collect();
    write_json(p, &json!({ "tokens": tokens }))
}

fn run_token(action: TokenAction) -> io::Result<ExitCode> {
    match action {
        TokenAction::Issue {
            vault: path,
            key_hex,
            pan,
            account_id,
            domain,
            bin_low,
            bin_high,
            length,
            channel: channels,
            merchant,
            acquirer,
            not_after,
            max_uses,
            par,
            trid,
            assurance,
        } => {
            let range = TokenRange::new(&bin_low, bin_high.as_deref().unwrap_or(&bin_low), length)
                .map_err(bad)?;
            let tokenizer = Tokenizer::new(key(&key_hex)?, range).map_err(bad)?;
            let account = match (pan, account_id) {
                (Some(p), _) => Account::pan(&p),
                (None, Some(a)) => Account::id(&a),
                (None, None) => return Err(bad("give --pan or --account-id")),
            }
            .map_err(bad)?;
            let controls = DomainControls {
                channels: channels
                    .iter()
                    .map(|c| channel(c))
                    .collect::<io::Result<_>>()?,
                merchants: merchant,
                acquirers: acquirer,
                not_after,
                max_uses,
            };
            let mut req = IssueRequest::new(&domain, account, controls);
            req.assurance =
                Assurance::from_code(assurance).ok_or_else(|| bad("--assurance is 0 to 99"))?;
            req.par = par.as_deref().map(Par::new).transpose().map_err(bad)?;
            req.requestor = trid
                .as_deref()
                .map(TokenRequestorId::new)
                .transpose()
                .map_err(bad)?;
            let mut vault = load_vault(&path)?;
            let tok = tokenizer.issue(&mut vault, req).map_err(bad)?;
            save_vault(&path, &vault)?;
            println!("{}", tok.number());
            Ok(ExitCode::SUCCESS)
        }
        TokenAction::Resolve {
            token: number,
            vault: path,
            channel: ch,
            merchant,
            acquirer,
            time,
        } => {
            let mut vault = load_vault(&path)?;
            let usage = Usage {
                channel: channel(&ch)?,
                merchant_id: merchant.as_deref(),
                acquirer_id: acquirer.as_deref(),
                now: now_or(time)?,
            };
            match token::detokenize(&mut vault, &number, &usage) {
                Ok(r) => {
                    save_vault(&path, &vault)?;
                    println!("{}", r.account.reveal());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("qrpay: refused: {e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
