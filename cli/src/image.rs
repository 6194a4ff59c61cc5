//! `qrpay render` and `qrpay scan`: QR images for merchants, terminals and camera frames.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use qrpay::image::{self as qr, RenderOptions, Size, TermStyle};
use qrpay::json::JsonOptions;
use qrpay::Mode;

/// Output format of `qrpay render`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// SVG document.
    Svg,
    /// PNG image (8-bit greyscale).
    Png,
    /// Unicode half blocks for a terminal.
    Term,
    /// Module matrix as text: one line per row, `1` dark, `0` light.
    Matrix,
}

/// `qrpay render`: EMV payloads use byte mode (MPM §4.12) with ECI 26 when needed; EPC and
/// Swiss QR-bill use error correction M within their version limits; payloads that cannot fit
/// are refused.
#[derive(Args)]
pub struct RenderArgs {
    /// The payload text, or `-` for standard input.
    payload: Option<String>,
    /// Output format (default: from the -o extension, else the terminal).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Output file (default: standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Pixels (SVG units) per module (default 8).
    #[arg(long)]
    module: Option<u32>,
    /// Whole image size in pixels, quiet zone included (overrides --module).
    #[arg(long)]
    size: Option<u32>,
    /// Quiet zone in modules.
    #[arg(long, default_value_t = 4)]
    quiet_zone: u32,
    /// Mixed numeric/alphanumeric/byte segments: smaller, but outside MPM §4.12 for EMV.
    #[arg(long)]
    compact: bool,
    /// Error correction level L, M, Q or H (default M).
    #[arg(long)]
    ec: Option<char>,
    /// Terminal output for dark text on a light background.
    #[arg(long)]
    light: bool,
}

/// `qrpay scan`: with --json, one JSON array: per code, `payload`, `corners`, `backend` and
/// the members of `inspect --json`. An image without a code gives `[]`; exit status 0 unless an
/// image could not be read.
#[derive(Args)]
pub struct ScanArgs {
    /// Image files (PNG or JPEG).
    #[arg(required = true)]
    images: Vec<PathBuf>,
    /// Print a JSON array.
    #[arg(long)]
    json: bool,
    /// Judge payloads by the spec as written.
    #[arg(long)]
    strict: bool,
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.into())
}

pub fn render(a: RenderArgs, stdin: fn() -> io::Result<String>) -> io::Result<ExitCode> {
    let payload = match a.payload.as_deref() {
        None | Some("-") => stdin()?,
        Some(p) => p.to_owned(),
    };
    let ec = match a.ec.map(|c| c.to_ascii_uppercase()) {
        None => None,
        Some('L') => Some(qr::Ec::L),
        Some('M') => Some(qr::Ec::M),
        Some('Q') => Some(qr::Ec::Q),
        Some('H') => Some(qr::Ec::H),
        Some(c) => return Err(bad(format!("error correction {c}: use L, M, Q or H"))),
    };
    let enc = qr::EncodeOptions {
        ec,
        segments: if a.compact {
            qr::Segments::Mixed
        } else {
            qr::Segments::Auto
        },
        ..qr::EncodeOptions::default()
    };
    let sym = qr::encode_with(&payload, &enc).map_err(|e| bad(e.to_string()))?;
    let size = match (a.size, a.module) {
        (Some(t), _) => Size::Total(t),
        (None, Some(m)) => Size::PerModule(m),
        (None, None) => Size::PerModule(8),
    };
    let opts = RenderOptions {
        quiet_zone: a.quiet_zone,
        size,
        swiss_cross: None,
    };
    // Without --format: from the output file's extension, else the terminal.
    let format = a.format.unwrap_or_else(|| {
        match a
            .output
            .as_deref()
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
        {
            Some(e) if e.eq_ignore_ascii_case("png") => Format::Png,
            Some(e) if e.eq_ignore_ascii_case("svg") => Format::Svg,
            Some(_) => Format::Matrix,
            None => Format::Term,
        }
    });
    let style = if a.light {
        TermStyle::DarkOnLight
    } else {
        TermStyle::LightOnDark
    };
    let bytes = match format {
        Format::Svg => sym
            .to_svg(&opts)
            .map_err(|e| bad(e.to_string()))?
            .into_bytes(),
        Format::Png => sym.to_png(&opts).map_err(|e| bad(e.to_string()))?,
        Format::Term => sym.to_terminal(a.quiet_zone, style).into_bytes(),
        Format::Matrix => sym.to_matrix_text(a.quiet_zone).into_bytes(),
    };
    match a.output {
        Some(p) if p.as_os_str() != "-" => std::fs::write(p, bytes)?,
        _ => io::stdout().lock().write_all(&bytes)?,
    }
    eprintln!(
        "version {} ({}×{} modules), EC {}, {}{}",
        sym.version(),
        sym.width(),
        sym.width(),
        sym.ec().as_str(),
        match (sym.is_byte_mode(), sym.kind().as_str().starts_with("emv")) {
            (true, _) => "byte mode",
            (false, true) => "mixed segments (outside EMV MPM §4.12)",
            (false, false) => "mixed segments",
        },
        if sym.has_eci() {
            ", ECI 26 (UTF-8)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Largest image file read, in bytes.
const MAX_FILE: u64 = 64 << 20;

pub fn scan(a: &ScanArgs) -> io::Result<ExitCode> {
    let (images, as_json) = (&a.images, a.json);
    let mode = if a.strict {
        Mode::Strict
    } else {
        Mode::Lenient
    };
    let mut all = Vec::new();
    let mut out = io::stdout().lock();
    for path in images {
        let meta = std::fs::metadata(path)?;
        if meta.len() > MAX_FILE {
            return Err(bad(format!("{}: larger than 64 MiB", path.display())));
        }
        let mut reader = image::ImageReader::open(path)?
            .with_guessed_format()
            .map_err(|e| bad(format!("{}: {e}", path.display())))?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(qr::MAX_SIDE as u32);
        limits.max_image_height = Some(qr::MAX_SIDE as u32);
        limits.max_alloc = Some(512 << 20);
        reader.limits(limits);
        let img = reader
            .decode()
            .map_err(|e| bad(format!("{}: {e}", path.display())))?
            .into_luma8();
        let (w, h) = (img.width() as usize, img.height() as usize);
        let found =
            qr::scan(img.as_raw(), w, h, w).map_err(|e| bad(format!("{}: {e}", path.display())))?;
        if as_json {
            for s in &found {
                all.push(s.to_json(mode, JsonOptions::default()));
            }
        } else {
            for s in &found {
                let d = s.decode();
                writeln!(
                    out,
                    "{}: {} {} ({}, read by {}): {}",
                    path.display(),
                    d.kind.as_str(),
                    d.verdict.as_str(),
                    corners(s),
                    s.backend.as_str(),
                    s.payload
                )?;
            }
            if found.is_empty() {
                writeln!(out, "{}: no QR code found", path.display())?;
            }
        }
    }
    if as_json {
        writeln!(out, "{}", serde_json::Value::Array(all))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn corners(s: &qr::Scan) -> String {
    s.corners
        .iter()
        .map(|p| format!("{:.0},{:.0}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ")
}
