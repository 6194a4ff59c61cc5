//! Encoding a payload into a QR symbol and drawing it (module matrix, SVG, PNG, terminal).

use std::fmt::Write as _;
use std::string::String;
use std::vec::Vec;

use qrcode::bits::Bits;
use qrcode::{EcLevel, QrCode, Version};

use crate::decode::Kind;

/// QR error-correction level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ec {
    /// About 7 % of codewords can be restored.
    L,
    /// About 15 % (the default, and what EPC and Swiss QR-bill require).
    M,
    /// About 25 %.
    Q,
    /// About 30 %.
    H,
}

impl Ec {
    fn level(self) -> EcLevel {
        match self {
            Ec::L => EcLevel::L,
            Ec::M => EcLevel::M,
            Ec::Q => EcLevel::Q,
            Ec::H => EcLevel::H,
        }
    }

    /// `"L"`, `"M"`, `"Q"` or `"H"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Ec::L => "L",
            Ec::M => "M",
            Ec::Q => "Q",
            Ec::H => "H",
        }
    }
}

/// How the payload is split into QR segments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Segments {
    /// Byte mode for EMV (MPM §4.12, CPM), EPC (whose 331-byte limit assumes it) and Swiss
    /// QR-bill; mixed segments for the rest.
    #[default]
    Auto,
    /// One byte-mode segment.
    ByteOnly,
    /// Numeric/alphanumeric/byte segments chosen to make the symbol small. For an EMV payload
    /// this is **outside MPM §4.12** (which asks for byte mode only): smaller symbols scan
    /// better, but a strict reader may refuse them.
    Mixed,
}

/// Whether an ECI designator (26, UTF-8) precedes the data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Eci {
    /// ECI 26 when a byte is outside the EMV common character set (0x20–0x7E), except for
    /// EPC and Swiss QR-bill, whose payloads name their character set themselves.
    #[default]
    Auto,
    /// Never.
    Never,
    /// Always ECI 26.
    Utf8,
}

/// What to encode and how; [`RenderOptions::default`] follows the per-format rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Error correction; `None`: M (EPC and Swiss QR-bill require M, and refuse another level).
    pub ec: Option<Ec>,
    /// Segmentation.
    pub segments: Segments,
    /// ECI header.
    pub eci: Eci,
    /// Largest version allowed; `None`: 40, or the format's limit (EPC 13, Swiss QR-bill 25).
    pub max_version: Option<u8>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            ec: None,
            segments: Segments::Auto,
            eci: Eci::Auto,
            max_version: None,
        }
    }
}

/// Why a payload could not be made into a symbol or drawn.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The payload does not fit in the largest version allowed.
    #[error("{bytes} bytes do not fit in a QR symbol of version {max_version} at level {ec}")]
    TooLong {
        /// Payload length in bytes.
        bytes: usize,
        /// The largest version that was allowed.
        max_version: u8,
        /// The level asked for.
        ec: &'static str,
    },
    /// The format fixes the error-correction level and another one was asked for.
    #[error("{kind} codes use error correction M, not {asked}")]
    EcLevel {
        /// The payload kind.
        kind: &'static str,
        /// The level asked for.
        asked: &'static str,
    },
    /// The version limit is outside 1..=40 or above the format's own limit.
    #[error("version limit {asked} is outside 1..={limit}")]
    Version {
        /// The limit asked for.
        asked: u8,
        /// The largest allowed.
        limit: u8,
    },
    /// The size asked for is too small for the symbol (fewer pixels than modules) or too large.
    #[error("a size of {asked} px cannot hold {modules} modules (largest image: {MAX_SIDE} px)")]
    Size {
        /// Pixels asked for.
        asked: u32,
        /// Modules across, quiet zone included.
        modules: u32,
    },
    /// The encoder refused the data (should not happen for valid options).
    #[error("QR encoder: {0}")]
    Encoder(String),
    /// PNG encoding failed.
    #[error("PNG: {0}")]
    Png(String),
}

/// Largest side of a drawn image, in pixels.
pub const MAX_SIDE: u32 = 16_384;

/// An encoded QR symbol: the module matrix without quiet zone, and how it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    width: usize,
    dark: Vec<bool>,
    version: u8,
    ec: Ec,
    kind: Kind,
    eci: bool,
    byte_mode: bool,
}

/// Encode `payload` with the default options (per-format rules).
pub fn encode(payload: &str) -> Result<Symbol, RenderError> {
    encode_with(payload, &EncodeOptions::default())
}

fn format_limit(kind: Kind) -> (u8, bool) {
    // (largest version, EC fixed at M)
    match kind {
        Kind::EpcSct => (13, true),
        Kind::SwissQrBill => (25, true),
        _ => (40, false),
    }
}

/// Encode `payload` into a symbol.
pub fn encode_with(payload: &str, opts: &EncodeOptions) -> Result<Symbol, RenderError> {
    let kind = crate::decode(payload).kind;
    let (limit, fixed_m) = format_limit(kind);
    let ec = opts.ec.unwrap_or(Ec::M);
    if fixed_m && ec != Ec::M {
        return Err(RenderError::EcLevel {
            kind: kind.as_str(),
            asked: ec.as_str(),
        });
    }
    let max_version = opts.max_version.unwrap_or(limit);
    if max_version == 0 || max_version > limit {
        return Err(RenderError::Version {
            asked: max_version,
            limit,
        });
    }
    let emv = matches!(kind, Kind::EmvMpm | Kind::EmvCpm);
    let byte_mode = match opts.segments {
        Segments::ByteOnly => true,
        Segments::Mixed => false,
        Segments::Auto => emv || matches!(kind, Kind::EpcSct | Kind::SwissQrBill),
    };
    let outside_common = payload.bytes().any(|b| !(0x20..=0x7e).contains(&b));
    let eci = match opts.eci {
        Eci::Never => false,
        Eci::Utf8 => true,
        Eci::Auto => outside_common && !matches!(kind, Kind::EpcSct | Kind::SwissQrBill),
    };
    let data = payload.as_bytes();
    for v in 1..=max_version {
        let mut bits = Bits::new(Version::Normal(i16::from(v)));
        let pushed = (|| {
            if eci {
                bits.push_eci_designator(26)?;
            }
            if byte_mode {
                bits.push_byte_data(data)?;
            } else {
                bits.push_optimal_data(data)?;
            }
            bits.push_terminator(ec.level())
        })();
        match pushed {
            Ok(()) => {}
            Err(qrcode::types::QrError::DataTooLong) => continue,
            Err(e) => return Err(RenderError::Encoder(e.to_string())),
        }
        let code =
            QrCode::with_bits(bits, ec.level()).map_err(|e| RenderError::Encoder(e.to_string()))?;
        let width = code.width();
        let dark = code
            .into_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        return Ok(Symbol {
            width,
            dark,
            version: v,
            ec,
            kind,
            eci,
            byte_mode,
        });
    }
    Err(RenderError::TooLong {
        bytes: data.len(),
        max_version,
        ec: ec.as_str(),
    })
}

/// Size of a drawn image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// Pixels (PNG) or SVG user units per module.
    PerModule(u32),
    /// The whole image, quiet zone included, at most this many pixels across (the module size is
    /// the largest whole number that fits, at least 1).
    Total(u32),
}

/// How to draw a symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// Light modules around the symbol (default 4, the ISO/IEC 18004 minimum).
    pub quiet_zone: u32,
    /// Image size (default 8 px per module).
    pub size: Size,
    /// Swiss cross in the centre: `None` = for Swiss QR-bill payloads only.
    pub swiss_cross: Option<bool>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            quiet_zone: 4,
            size: Size::PerModule(8),
            swiss_cross: None,
        }
    }
}

/// Terminal drawing style.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TermStyle {
    /// Light modules as filled blocks: for light text on a dark background (most terminals).
    #[default]
    LightOnDark,
    /// Dark modules as filled blocks: for dark text on a light background (and printouts).
    DarkOnLight,
}

impl Symbol {
    /// Modules across (without quiet zone): 17 + 4 × version.
    pub fn width(&self) -> usize {
        self.width
    }
    /// QR version (1–40).
    pub fn version(&self) -> u8 {
        self.version
    }
    /// Error-correction level.
    pub fn ec(&self) -> Ec {
        self.ec
    }
    /// The payload kind the per-format rules were chosen for.
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// Whether an ECI 26 (UTF-8) designator was written.
    pub fn has_eci(&self) -> bool {
        self.eci
    }
    /// Whether the data is one byte-mode segment (MPM §4.12).
    pub fn is_byte_mode(&self) -> bool {
        self.byte_mode
    }
    /// Row-major module matrix, `true` = dark, `width()²` entries, no quiet zone.
    pub fn modules(&self) -> &[bool] {
        &self.dark
    }
    /// Whether the module at column `x`, row `y` is dark (outside the symbol: light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark.get(y * self.width + x) == Some(&true)
    }

    fn dark_with_quiet(&self, x: i64, y: i64) -> bool {
        x >= 0 && y >= 0 && self.is_dark(x as usize, y as usize)
    }

    /// The matrix as text: one line per row, `1` dark, `0` light, quiet zone included.
    pub fn to_matrix_text(&self, quiet_zone: u32) -> String {
        let q = i64::from(quiet_zone);
        let n = self.width as i64;
        let mut s = String::new();
        for y in -q..n + q {
            for x in -q..n + q {
                s.push(if self.dark_with_quiet(x, y) { '1' } else { '0' });
            }
            s.push('\n');
        }
        s
    }

    /// The symbol in Unicode half blocks (two module rows per text line), quiet zone included.
    pub fn to_terminal(&self, quiet_zone: u32, style: TermStyle) -> String {
        let q = i64::from(quiet_zone);
        let n = self.width as i64;
        let filled = |x, y| self.dark_with_quiet(x, y) == (style == TermStyle::DarkOnLight);
        let mut s = String::new();
        let mut y = -q;
        while y < n + q {
            for x in -q..n + q {
                let top = filled(x, y);
                let bottom = y + 1 < n + q && filled(x, y + 1);
                s.push(match (top, bottom) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                });
            }
            s.push('\n');
            y += 2;
        }
        s
    }

    fn module_px(&self, opts: &RenderOptions) -> Result<(u32, u32), RenderError> {
        let modules = u32::try_from(self.width)
            .unwrap_or(u32::MAX)
            .saturating_add(opts.quiet_zone.saturating_mul(2));
        let (px, asked) = match opts.size {
            Size::PerModule(p) => (p, p.saturating_mul(modules)),
            Size::Total(t) => (t / modules.max(1), t),
        };
        let side = px.saturating_mul(modules);
        if px == 0 || side > MAX_SIDE {
            return Err(RenderError::Size { asked, modules });
        }
        Ok((px, modules))
    }

    fn wants_cross(&self, opts: &RenderOptions) -> bool {
        opts.swiss_cross.unwrap_or(self.kind == Kind::SwissQrBill)
    }

    /// The Swiss cross as rectangles `(x, y, w, h, dark)` in module units relative to the
    /// symbol's top-left corner (without quiet zone): the 7 mm cross of a 46 mm symbol,
    /// scaled, centred; a white square, a black square inside it, a white cross on top.
    fn cross_rects(&self) -> [(f64, f64, f64, f64, bool); 4] {
        let n = self.width as f64;
        let side = n * 7.0 / 46.0;
        let x0 = (n - side) / 2.0;
        let inset = side / 14.0;
        let black = side - 2.0 * inset;
        // Swiss flag proportions: arms 6/32 wide, the cross 20/32 long, of the black square.
        let arm = black * 6.0 / 32.0;
        let len = black * 20.0 / 32.0;
        let c = n / 2.0;
        [
            (x0, x0, side, side, false),
            (x0 + inset, x0 + inset, black, black, true),
            (c - arm / 2.0, c - len / 2.0, arm, len, false),
            (c - len / 2.0, c - arm / 2.0, len, arm, false),
        ]
    }

    /// An SVG document: one path for the dark modules on a white background.
    pub fn to_svg(&self, opts: &RenderOptions) -> Result<String, RenderError> {
        let (px, modules) = self.module_px(opts)?;
        let side = px * modules;
        let q = opts.quiet_zone;
        let mut s = String::new();
        let _ = write!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
             version=\"1.1\" width=\"{side}\" height=\"{side}\" viewBox=\"0 0 {modules} {modules}\" \
             shape-rendering=\"crispEdges\">\n<rect width=\"{modules}\" height=\"{modules}\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\""
        );
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    let _ = write!(
                        s,
                        "M{} {}h{}v1h-{}z",
                        start as u32 + q,
                        y as u32 + q,
                        x - start,
                        x - start
                    );
                } else {
                    x += 1;
                }
            }
        }
        s.push_str("\"/>\n");
        if self.wants_cross(opts) {
            for (x, y, w, h, dark) in self.cross_rects() {
                let _ = writeln!(
                    s,
                    "<rect x=\"{:.3}\" y=\"{:.3}\" width=\"{:.3}\" height=\"{:.3}\" fill=\"{}\"/>",
                    x + f64::from(q),
                    y + f64::from(q),
                    w,
                    h,
                    if dark { "#000" } else { "#fff" }
                );
            }
        }
        s.push_str("</svg>\n");
        Ok(s)
    }

    /// The symbol as 8-bit luma pixels (0 dark, 255 light), row-major, with its side in
    /// pixels. Firmware that draws its own pixels can use [`Symbol::modules`] instead.
    pub fn to_luma(&self, opts: &RenderOptions) -> Result<(Vec<u8>, u32), RenderError> {
        let (px, modules) = self.module_px(opts)?;
        let side = px * modules;
        let q = i64::from(opts.quiet_zone);
        let mut img = vec![255u8; (side as usize) * (side as usize)];
        for (i, p) in img.iter_mut().enumerate() {
            let x = (i % side as usize) as i64 / i64::from(px) - q;
            let y = (i / side as usize) as i64 / i64::from(px) - q;
            if self.dark_with_quiet(x, y) {
                *p = 0;
            }
        }
        if self.wants_cross(opts) {
            let off = f64::from(opts.quiet_zone) * f64::from(px);
            let scale = f64::from(px);
            for (x, y, w, h, dark) in self.cross_rects() {
                let x0 = (off + x * scale).round() as usize;
                let y0 = (off + y * scale).round() as usize;
                let x1 = (off + (x + w) * scale).round() as usize;
                let y1 = (off + (y + h) * scale).round() as usize;
                for yy in y0..y1.min(side as usize) {
                    for xx in x0..x1.min(side as usize) {
                        if let Some(p) = img.get_mut(yy * side as usize + xx) {
                            *p = if dark { 0 } else { 255 };
                        }
                    }
                }
            }
        }
        Ok((img, side))
    }

    /// A PNG file (8-bit greyscale).
    pub fn to_png(&self, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
        let (img, side) = self.to_luma(opts)?;
        let mut out = Vec::new();
        let png_err = |e: png::EncodingError| RenderError::Png(e.to_string());
        {
            let mut enc = png::Encoder::new(&mut out, side, side);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header().map_err(png_err)?;
            w.write_image_data(&img).map_err(png_err)?;
        }
        Ok(out)
    }
}
