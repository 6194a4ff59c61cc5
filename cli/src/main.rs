//! `qrpay`: inspect, build and conformance-test payment QR codes.
#![forbid(unsafe_code)]

use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use qrpay::decode::{decode_with, Options};
use qrpay::json::{self, JsonOptions};
use qrpay::Mode;

mod encode;
mod image;
mod route;
mod security;
mod sign;
mod text;

/// Inspect, build and conformance-test payment QR codes.
#[derive(Parser)]
#[command(name = "qrpay", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Say what a payload is, list its fields and what is wrong with it.
    ///
    /// Reads the payload from the argument, or from standard input when it is `-` or absent
    /// (one trailing line break is dropped). Exit status: 0 when no error was found in the
    /// chosen mode, 1 otherwise (with --jsonl: 0 unless input could not be read).
    Inspect {
        /// The payload text, or `-` for standard input.
        payload: Option<String>,
        /// Judge by the spec as written (default: lenient, as real scanners read).
        #[arg(long)]
        strict: bool,
        /// Print the JSON object instead of the readable tree.
        #[arg(long)]
        json: bool,
        /// Read JSON Lines on standard input (each line a JSON string holding one payload)
        /// and write one JSON object a line, in the same order.
        #[arg(long, conflicts_with = "payload")]
        jsonl: bool,
        /// Show sensitive values (PAN, Track 2) unmasked.
        #[arg(long)]
        reveal: bool,
    },
    /// Run conformance vectors (files or folders of `*.json`) and print `N passed, M failed`.
    Conform {
        /// Vector files or folders (searched recursively).
        #[arg(default_value = "spec/vectors")]
        paths: Vec<PathBuf>,
        /// Print every vector's name, not only failures.
        #[arg(long, short)]
        verbose: bool,
    },
    Encode(encode::Encode),
    #[command(flatten)]
    Security(security::Command),
    /// Pick the network a wallet (or, with --acquirer, a terminal) routes a code through.
    ///
    /// Exit status: 0 when a network is chosen, 1 when none (the reason is printed), 2 on
    /// bad arguments.
    Route(route::RouteArgs),
    /// The interoperability matrix: for every code of a corpus, the route each example
    /// profile takes.
    Matrix(route::MatrixArgs),
    /// Draw a payload as a QR code: SVG, PNG, terminal blocks or the module matrix.
    Render(image::RenderArgs),
    /// Find and read every QR code in PNG or JPEG images.
    Scan(image::ScanArgs),
    #[command(flatten)]
    Sign(sign::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Inspect {
            payload,
            strict,
            json,
            jsonl,
            reveal,
        } => {
            let mode = if strict { Mode::Strict } else { Mode::Lenient };
            let opts = JsonOptions { reveal };
            if jsonl {
                inspect_jsonl(mode, opts)
            } else {
                inspect(payload, mode, json, opts)
            }
        }
        Command::Conform { paths, verbose } => conform(&paths, verbose),
        Command::Encode(e) => encode::run(e),
        Command::Security(c) => security::run(c),
        Command::Route(a) => route::route(a),
        Command::Matrix(a) => route::matrix(a),
        Command::Render(a) => image::render(a, read_stdin),
        Command::Scan(a) => image::scan(&a),
        Command::Sign(c) => sign::run(c),
    };
    match r {
        Ok(code) => code,
        // A reader that stopped early (`qrpay ... | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qrpay: {e}");
            ExitCode::from(2)
        }
    }
}

/// Largest payload read from standard input or one JSON Lines entry.
const MAX_INPUT: u64 = 1 << 20;

fn read_stdin() -> io::Result<String> {
    let mut s = String::new();
    io::stdin().lock().take(MAX_INPUT).read_to_string(&mut s)?;
    if let Some(t) = s.strip_suffix('\n') {
        let t = t.strip_suffix('\r').unwrap_or(t);
        s.truncate(t.len());
    }
    Ok(s)
}

fn inspect(
    payload: Option<String>,
    mode: Mode,
    as_json: bool,
    opts: JsonOptions,
) -> io::Result<ExitCode> {
    let text = match payload.as_deref() {
        None | Some("-") => read_stdin()?,
        Some(p) => p.to_owned(),
    };
    let d = decode_with(&text, Options { mode });
    let mut out = io::stdout().lock();
    if as_json {
        writeln!(out, "{}", json::to_string(&d, opts))?;
    } else {
        text::render(&mut out, &d, opts)?;
    }
    Ok(if d.report.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn inspect_jsonl(mode: Mode, opts: JsonOptions) -> io::Result<ExitCode> {
    let stdin = io::stdin().lock();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut reader = stdin.take(u64::MAX);
    let mut line = Vec::new();
    loop {
        line.clear();
        // Bound each line: read at most MAX_INPUT bytes, then skip the rest of it.
        let n = (&mut reader).take(MAX_INPUT).read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        let complete = line.last() == Some(&b'\n');
        let too_long = !complete && n as u64 == MAX_INPUT;
        if too_long {
            let mut sink = Vec::new();
            loop {
                sink.clear();
                let m = (&mut reader).take(MAX_INPUT).read_until(b'\n', &mut sink)?;
                if m == 0 || sink.last() == Some(&b'\n') {
                    break;
                }
            }
        }
        let text = if too_long {
            json::invalid_input("the line is longer than 1 MiB", mode).to_string()
        } else {
            match serde_json::from_slice::<serde_json::Value>(trim_eol(&line)) {
                Ok(serde_json::Value::String(s)) => {
                    json::to_string(&decode_with(&s, Options { mode }), opts)
                }
                Ok(_) => json::invalid_input("the line is JSON but not a string", mode).to_string(),
                Err(e) => {
                    json::invalid_input(&format!("the line is not JSON ({e})"), mode).to_string()
                }
            }
        };
        writeln!(out, "{text}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn trim_eol(b: &[u8]) -> &[u8] {
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    b.strip_suffix(b"\r").unwrap_or(b)
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for e in entries {
            collect(&e, files)?;
        }
    } else if path.extension().is_some_and(|e| e == "json") {
        files.push(path.to_owned());
    }
    Ok(())
}

fn conform(paths: &[PathBuf], verbose: bool) -> io::Result<ExitCode> {
    let mut files = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: no such file or folder", p.display()),
            ));
        }
        collect(p, &mut files)?;
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut out = io::stdout().lock();
    for f in &files {
        let text = std::fs::read_to_string(f)?;
        let file: qrpay::conform::VectorFile = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                writeln!(out, "FAIL {}: not a vector file: {e}", f.display())?;
                failed += 1;
                continue;
            }
        };
        let (mut p, mut n) = (0usize, 0usize);
        for v in &file.vectors {
            match qrpay::conform::check(v) {
                Ok(()) => {
                    p += 1;
                    if verbose {
                        writeln!(out, "ok   {}: {}", f.display(), v.name)?;
                    }
                }
                Err(diffs) => {
                    n += 1;
                    writeln!(out, "FAIL {}: {}", f.display(), v.name)?;
                    for d in diffs {
                        writeln!(out, "       {d}")?;
                    }
                }
            }
        }
        eprintln!("{}: {p} passed, {n} failed", f.display());
        passed += p;
        failed += n;
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    Ok(if failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
