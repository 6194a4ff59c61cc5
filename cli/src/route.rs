//! `qrpay route` and `qrpay matrix`: route selection with the routing directory.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use qrpay::routing::{self, Accept, Decision, Directory, Merge, Profile, Role, Router};
use qrpay::schemes::SchemeId;

/// Arguments of `qrpay route`.
#[derive(Args)]
pub struct RouteArgs {
    /// The payload text, or `-` for standard input.
    payload: Option<String>,
    /// Networks the wallet (or acquirer) takes, as stable scheme ids in priority order,
    /// e.g. `unionpay,pix`.
    #[arg(long, value_delimiter = ',', required = true)]
    accept: Vec<String>,
    /// Take only codes of this country (ISO 3166-1 alpha-2, e.g. `HK`).
    #[arg(long)]
    country: Option<String>,
    /// Take only codes in this currency (ISO 4217 alphabetic, e.g. `HKD`).
    #[arg(long)]
    currency: Option<String>,
    /// Route as an acquirer/terminal reading consumer-presented codes.
    #[arg(long)]
    acquirer: bool,
    /// Milliseconds since the Unix epoch to check expiry against (default: now).
    #[arg(long)]
    now_ms: Option<u64>,
    /// A directory file merged over the built-in one (its entries win).
    #[arg(long)]
    directory: Option<PathBuf>,
    /// Print the decision as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `qrpay matrix`.
#[derive(Args)]
pub struct MatrixArgs {
    /// A JSON Lines corpus (one object a line with a `payload` member).
    #[arg(default_value = "spec/corpus/payloads.jsonl")]
    corpus: PathBuf,
    /// Print one JSON object a line instead of the table.
    #[arg(long)]
    json: bool,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn router(directory: Option<&PathBuf>) -> io::Result<Router> {
    let base = Directory::builtin();
    let Some(path) = directory else {
        return Ok(Router::new(base));
    };
    let bytes = std::fs::read(path)?;
    let bad = |e: qrpay::routing::DirectoryError| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    };
    let mine = Directory::from_json(&bytes).map_err(bad)?;
    Ok(Router::new(
        base.merge(&mine, Merge::Override).map_err(bad)?,
    ))
}

fn print_decision(out: &mut impl Write, d: &Decision) -> io::Result<()> {
    match d.chosen {
        Some(s) => writeln!(
            out,
            "chosen: {s}  ({}: {})",
            d.reason.as_str(),
            d.reason.message()
        )?,
        None => writeln!(
            out,
            "chosen: none  ({}: {})",
            d.reason.as_str(),
            d.reason.message()
        )?,
    }
    for (i, c) in d.candidates.iter().enumerate() {
        writeln!(
            out,
            "  {}. {:<12} network {:<14} clearing {:<10} {:<18} at {:<6} {}",
            i + 1,
            c.scheme.as_str(),
            c.network,
            c.clearing,
            c.status.as_str(),
            if c.path.is_empty() { "-" } else { &c.path },
            c.identifier
        )?;
    }
    for u in &d.unrouted {
        writeln!(out, "  unknown identifier at {}: {}", u.path, u.identifier)?;
    }
    Ok(())
}

/// `qrpay route`: exit 0 when a network is chosen, 1 when none, 2 on bad arguments.
pub fn route(a: RouteArgs) -> io::Result<ExitCode> {
    let mut accept = Vec::new();
    for s in a.accept.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let scheme: SchemeId = s.parse().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("--accept: unknown scheme id {s:?}"),
            )
        })?;
        let mut acc = Accept::any(scheme);
        acc.countries
            .extend(a.country.iter().map(|c| c.to_ascii_uppercase()));
        acc.currencies
            .extend(a.currency.iter().map(|c| c.to_ascii_uppercase()));
        accept.push(acc);
    }
    let profile = Profile {
        name: "command-line".into(),
        role: if a.acquirer {
            Role::Acquirer
        } else {
            Role::Wallet
        },
        accept,
        now_ms: Some(a.now_ms.unwrap_or_else(now_ms)),
    };
    let text = match a.payload.as_deref() {
        None | Some("-") => super::read_stdin()?,
        Some(p) => p.to_owned(),
    };
    let router = router(a.directory.as_ref())?;
    let d = router.route(&qrpay::decode(&text), &profile);
    let mut out = io::stdout().lock();
    if a.json {
        writeln!(out, "{}", routing::decision_to_string(&d))?;
    } else {
        print_decision(&mut out, &d)?;
    }
    Ok(if d.chosen.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `qrpay matrix`: for every code of the corpus and every example profile, the route taken.
pub fn matrix(a: MatrixArgs) -> io::Result<ExitCode> {
    let text = std::fs::read_to_string(&a.corpus)?;
    let router = Router::builtin();
    let profiles = routing::example_profiles();
    let mut out = io::BufWriter::new(io::stdout().lock());
    if !a.json {
        write!(out, "{:>4}  {:<14} {:<22}", "row", "kind", "networks")?;
        for p in &profiles {
            write!(out, " {:<20}", p.name)?;
        }
        writeln!(out)?;
    }
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("line {}: {e}", i + 1),
                ))
            }
        };
        let Some(payload) = v["payload"].as_str() else {
            continue;
        };
        let d = qrpay::decode(payload);
        let decisions: Vec<Decision> = profiles.iter().map(|p| router.route(&d, p)).collect();
        if a.json {
            let routes: serde_json::Map<String, serde_json::Value> = profiles
                .iter()
                .zip(&decisions)
                .map(|(p, d)| (p.name.clone(), routing::decision_to_value(d)))
                .collect();
            let row = serde_json::json!({
                "line": i + 1,
                "kind": d.kind.as_str(),
                "payload": payload,
                "routes": routes,
            });
            writeln!(out, "{row}")?;
            continue;
        }
        let nets: Vec<&str> = decisions
            .first()
            .map(|x| x.candidates.iter().map(|c| c.scheme.as_str()).collect())
            .unwrap_or_default();
        let mut nets = nets.join(",");
        if nets.len() > 22 {
            nets.truncate(21);
            nets.push('+');
        }
        write!(out, "{:>4}  {:<14} {:<22}", i + 1, d.kind.as_str(), nets)?;
        for x in &decisions {
            let cell = match x.chosen {
                Some(s) => s.as_str().to_string(),
                None => format!("- {}", x.reason.as_str()),
            };
            write!(out, " {cell:<20}")?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
