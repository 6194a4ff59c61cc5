//! Finding and reading QR codes in 8-bit luma frames.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::string::String;
use std::time::{Duration, Instant};
use std::vec::Vec;

use super::prep::{Gray, Rotation};
use crate::decode::{Decoded, Kind};

/// Largest side of a frame, in pixels.
pub const MAX_SIDE: usize = 8192;
/// Largest frame, in pixels (16 Mpixel).
pub const MAX_PIXELS: usize = 16 * 1024 * 1024;

/// A decoder backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// `rxing` (port of ZXing / zxing-cpp's QR reader). Feature `rxing`.
    Rxing,
    /// `quircs` (port of quirc). Feature `quircs`.
    Quircs,
    /// `rqrr` (quirc-derived). Always there with feature `image`.
    Rqrr,
}

impl Backend {
    /// `"rxing"`, `"quircs"` or `"rqrr"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Backend::Rxing => "rxing",
            Backend::Quircs => "quircs",
            Backend::Rqrr => "rqrr",
        }
    }

    /// The backends compiled in, in the default cascade order (chosen by the robustness
    /// suite in `tests/image_robustness.rs`, see spec/image.md): rxing, then quircs, then rqrr.
    pub fn available() -> Vec<Backend> {
        [
            #[cfg(feature = "rxing")]
            Backend::Rxing,
            #[cfg(feature = "quircs")]
            Backend::Quircs,
            Backend::Rqrr,
        ]
        .to_vec()
    }

    /// The default cascade: every compiled backend except rqrr when a stronger one is there
    /// (rqrr adds no code the others miss in our suite and is the slowest).
    pub fn default_cascade() -> Vec<Backend> {
        let all = Backend::available();
        if all.len() > 1 {
            all.into_iter().filter(|b| *b != Backend::Rqrr).collect()
        } else {
            all
        }
    }
}

/// A point in frame coordinates (pixels; fractional for downscaled passes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Column.
    pub x: f32,
    /// Row.
    pub y: f32,
}

/// Which preprocessing produced a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pass {
    /// The frame as given.
    Plain,
    /// Luminance inverted (light-on-dark codes).
    Inverted,
    /// Adaptive threshold.
    Threshold,
    /// Adaptive threshold of the inverted frame.
    ThresholdInverted,
    /// Sharpened (unsharp mask): blurred codes.
    Sharpened,
    /// Sharpened and inverted.
    SharpenedInverted,
    /// Deskewed: rotated back by the skew its edges show (codes held at an angle).
    Deskewed,
    /// Deskewed, then adaptive threshold.
    DeskewedThreshold,
    /// Deskewed, then sharpened.
    DeskewedSharpened,
}

/// One code found in a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Scan {
    /// The payload text. Bytes that are not UTF-8 were read as ISO/IEC 8859-1 (the QR default
    /// character set); see `latin1`.
    pub payload: String,
    /// The symbol's corners in frame pixels, top-left, top-right, bottom-right, bottom-left of
    /// the symbol: the backend's first corner, then clockwise in the frame. When the code is
    /// rotated, "top-left" is the symbol's own corner, not the frame's.
    pub corners: [Point; 4],
    /// The backend that read it.
    pub backend: Backend,
    /// The preprocessing pass that read it.
    pub pass: Pass,
    /// Downscale factor of the pyramid level (1, 2, 4, …).
    pub scale: u32,
    /// The payload bytes were not UTF-8 and were read as ISO/IEC 8859-1.
    pub latin1: bool,
}

impl Scan {
    /// Decode the payload ([`crate::decode()`]).
    pub fn decode(&self) -> Decoded<'_> {
        crate::decode(&self.payload)
    }

    /// The `qrpay scan --json` object: `payload`, `corners` (`[[x, y], …]`), `backend`, and the
    /// members of the `inspect --json` object for the payload.
    #[cfg(feature = "json")]
    pub fn to_json(&self, mode: crate::Mode, opts: crate::json::JsonOptions) -> serde_json::Value {
        let d = crate::decode::decode_with(&self.payload, crate::decode::Options { mode });
        let mut v = crate::json::to_value(&d, opts);
        let corners: Vec<serde_json::Value> = self
            .corners
            .iter()
            .map(|p| serde_json::json!([round1(p.x), round1(p.y)]))
            .collect();
        if let serde_json::Value::Object(m) = &mut v {
            let mut o = serde_json::Map::new();
            o.insert("payload".into(), self.payload.clone().into());
            o.insert("corners".into(), corners.into());
            o.insert("backend".into(), self.backend.as_str().into());
            for (k, val) in core::mem::take(m) {
                o.insert(k, val);
            }
            *m = o;
        }
        v
    }
}

#[cfg(feature = "json")]
fn round1(v: f32) -> f64 {
    (f64::from(v) * 10.0).round() / 10.0
}

/// How to scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanOptions {
    /// Backends, tried in this order (default: [`Backend::default_cascade`]).
    pub backends: Vec<Backend>,
    /// Retry on inverted luminance (light-on-dark codes).
    pub invert: bool,
    /// Retry on an adaptively thresholded frame (low contrast, uneven light, noise).
    pub threshold: bool,
    /// Retry on downscaled frames (halving while the shorter side stays ≥ 120 px).
    pub pyramid: bool,
    /// When every other pass found nothing, go over the levels again with the frame
    /// sharpened (unsharp mask; and inverted too when `invert`): reads codes blurred by about
    /// half a module. Frames read earlier do not pay for it.
    pub sharpen: bool,
    /// When every other pass (the sharpened ones included) found nothing, estimate the
    /// frame's skew from its edge orientations and, when it is between 3° and 30°, go over
    /// the levels again with the frame rotated back by it: reads small or blurred codes held
    /// at an angle, which backends miss. Frames read earlier do not pay for it.
    pub deskew: bool,
    /// Run every pass and backend and collect everything, instead of stopping after the first
    /// backend call that reads a sound code.
    pub exhaustive: bool,
    /// No new backend call starts after this much time (a call already running is not
    /// interrupted; the size bound limits how long one can take).
    pub budget: Option<Duration>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            backends: Backend::default_cascade(),
            invert: true,
            threshold: true,
            pyramid: true,
            sharpen: true,
            deskew: true,
            exhaustive: false,
            budget: Some(Duration::from_secs(2)),
        }
    }
}

impl ScanOptions {
    /// No preprocessing: the frame as given, one pass per backend.
    pub fn plain(backends: Vec<Backend>) -> Self {
        ScanOptions {
            backends,
            invert: false,
            threshold: false,
            pyramid: false,
            sharpen: false,
            deskew: false,
            exhaustive: false,
            budget: Some(Duration::from_secs(2)),
        }
    }
}

/// Why a frame could not be scanned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// Width or height is zero.
    #[error("the frame is empty ({width}×{height})")]
    Empty {
        /// Width.
        width: usize,
        /// Height.
        height: usize,
    },
    /// The frame is larger than [`MAX_SIDE`] or [`MAX_PIXELS`].
    #[error("the frame is {width}×{height}; at most {MAX_SIDE} px a side and {MAX_PIXELS} pixels")]
    TooLarge {
        /// Width.
        width: usize,
        /// Height.
        height: usize,
    },
    /// The stride is smaller than the width.
    #[error("stride {stride} is smaller than the width {width}")]
    Stride {
        /// Stride.
        stride: usize,
        /// Width.
        width: usize,
    },
    /// The buffer is shorter than `stride × (height − 1) + width`.
    #[error("the buffer holds {len} bytes, the frame needs {needed}")]
    Buffer {
        /// Bytes given.
        len: usize,
        /// Bytes needed.
        needed: usize,
    },
}

/// What a backend found, in the coordinates of the image it was given.
struct Found {
    bytes: Vec<u8>,
    corners: [Point; 4],
}

/// The small interface every decoder backend implements.
trait Decoder {
    fn detect(&self, img: &Gray) -> Vec<Found>;
}

struct Rqrr;

impl Decoder for Rqrr {
    fn detect(&self, img: &Gray) -> Vec<Found> {
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(img.w, img.h, |x, y| {
            img.px.get(y * img.w + x).copied().unwrap_or(255)
        });
        let mut out = Vec::new();
        for grid in prepared.detect_grids() {
            let mut bytes = Vec::new();
            if grid.decode_to(&mut bytes).is_ok() {
                let c = grid.bounds.map(|p| Point {
                    x: p.x as f32,
                    y: p.y as f32,
                });
                out.push(Found { bytes, corners: c });
            }
        }
        out
    }
}

#[cfg(feature = "quircs")]
struct Quircs;

#[cfg(feature = "quircs")]
impl Decoder for Quircs {
    fn detect(&self, img: &Gray) -> Vec<Found> {
        let mut q = quircs::Quirc::default();
        let mut out = Vec::new();
        for code in q.identify(img.w, img.h, &img.px).flatten() {
            if let Ok(data) = code.decode() {
                let c = code.corners.map(|p| Point {
                    x: p.x as f32,
                    y: p.y as f32,
                });
                out.push(Found {
                    bytes: data.payload,
                    corners: c,
                });
            }
        }
        out
    }
}

#[cfg(feature = "rxing")]
struct Rxing;

#[cfg(feature = "rxing")]
impl Decoder for Rxing {
    fn detect(&self, img: &Gray) -> Vec<Found> {
        use rxing::multi::MultipleBarcodeReader;
        let (Ok(w), Ok(h)) = (u32::try_from(img.w), u32::try_from(img.h)) else {
            return Vec::new();
        };
        let Ok(source) = rxing::Luma8LuminanceSource::new(img.px.clone(), w, h) else {
            return Vec::new();
        };
        let mut bitmap = rxing::BinaryBitmap::new(rxing::common::HybridBinarizer::new(source));
        let hints = rxing::DecodeHints {
            // Try-harder has had an endless loop reported (rxing #69); our own passes do the
            // extra work instead.
            TryHarder: Some(false),
            PossibleFormats: Some(std::collections::HashSet::from([
                rxing::BarcodeFormat::QR_CODE,
            ])),
            ..Default::default()
        };
        let mut reader = rxing::qrcode::cpp_port::QrReader;
        let Ok(results) = reader.decode_multiple_with_hints(&mut bitmap, &hints) else {
            return Vec::new();
        };
        results
            .into_iter()
            .filter_map(|r| {
                let pts = r.getPoints();
                let p = |i: usize| pts.get(i).map(|p| Point { x: p.x, y: p.y });
                let corners = [p(0)?, p(1)?, p(2)?, p(3)?];
                Some(Found {
                    bytes: r.getText().as_bytes().to_vec(),
                    corners,
                })
            })
            .collect()
    }
}

fn decoder(b: Backend) -> Option<Box<dyn Decoder>> {
    match b {
        Backend::Rqrr => Some(Box::new(Rqrr)),
        #[cfg(feature = "quircs")]
        Backend::Quircs => Some(Box::new(Quircs)),
        #[cfg(feature = "rxing")]
        Backend::Rxing => Some(Box::new(Rxing)),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// Scan a frame with the default options. `luma` holds `height` rows of `stride` bytes, each
/// row's first `width` bytes being 8-bit luminance (0 black).
pub fn scan(
    luma: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<Vec<Scan>, ScanError> {
    scan_with(luma, width, height, stride, &ScanOptions::default())
}

fn check(luma: &[u8], width: usize, height: usize, stride: usize) -> Result<(), ScanError> {
    if width == 0 || height == 0 {
        return Err(ScanError::Empty { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE || width.saturating_mul(height) > MAX_PIXELS {
        return Err(ScanError::TooLarge { width, height });
    }
    if stride < width {
        return Err(ScanError::Stride { stride, width });
    }
    let needed = stride
        .checked_mul(height - 1)
        .and_then(|n| n.checked_add(width))
        .ok_or(ScanError::Stride { stride, width })?;
    if luma.len() < needed {
        return Err(ScanError::Buffer {
            len: luma.len(),
            needed,
        });
    }
    Ok(())
}

fn text_of(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => (
            e.into_bytes().iter().map(|&b| char::from(b)).collect(),
            true,
        ),
    }
}

/// A read is sound unless it is an EMV MPM payload whose CRC does not match (a decoder that
/// returned wrong bytes); then the cascade goes on.
fn sound(payload: &str) -> bool {
    let d = crate::decode(payload);
    !(d.kind == Kind::EmvMpm && matches!(d.crc, Some(crate::crc::CrcCheck::Mismatch { .. })))
}

/// The backend's first corner (the symbol's top-left), then the others clockwise in the frame
/// (y down): backends differ in the order they report.
fn clockwise(c: [Point; 4]) -> [Point; 4] {
    let (cx, cy) = centre(&c);
    let angle = |p: &Point| {
        let a = (p.y - cy).atan2(p.x - cx) - (c[0].y - cy).atan2(c[0].x - cx);
        if a < 0.0 {
            a + std::f32::consts::TAU
        } else {
            a
        }
    };
    let mut rest = [c[1], c[2], c[3]];
    rest.sort_by(|a, b| angle(a).total_cmp(&angle(b)));
    [c[0], rest[0], rest[1], rest[2]]
}

fn centre(c: &[Point; 4]) -> (f32, f32) {
    let x = c.iter().map(|p| p.x).sum::<f32>() / 4.0;
    let y = c.iter().map(|p| p.y).sum::<f32>() / 4.0;
    (x, y)
}

fn same_code(a: &Scan, b: &Scan) -> bool {
    if a.payload != b.payload {
        return false;
    }
    let (ax, ay) = centre(&a.corners);
    let (bx, by) = centre(&b.corners);
    let side = ((a.corners[0].x - a.corners[1].x).powi(2)
        + (a.corners[0].y - a.corners[1].y).powi(2))
    .sqrt()
    .max(8.0);
    (ax - bx).powi(2) + (ay - by).powi(2) < side * side
}

/// Scan a frame: every code found, each read by the first backend and pass that could.
///
/// Passes, in order, stopping after the first backend call that yields a sound read unless
/// [`ScanOptions::exhaustive`]: for each pyramid level (the frame, then halves), the plain
/// frame, the inverted one, the thresholded one, the thresholded inverted one; within each,
/// every backend in order; then, if nothing was read and [`ScanOptions::sharpen`], the same
/// levels again, sharpened (then sharpened and inverted). (So a frame
/// with two codes gives both when one backend call reads both, as rxing does for codes of
/// similar size; `exhaustive` collects from every call.) Each backend call runs under
/// `catch_unwind` (decoders have had panics reported); a panicking call counts as "nothing
/// found".
pub fn scan_with(
    luma: &[u8],
    width: usize,
    height: usize,
    stride: usize,
    opts: &ScanOptions,
) -> Result<Vec<Scan>, ScanError> {
    check(luma, width, height, stride)?;
    let start = Instant::now();
    let mut px = Vec::with_capacity(width * height);
    for row in luma.chunks(stride).take(height) {
        px.extend_from_slice(row.get(..width).unwrap_or(row));
    }
    // Every row was `width` bytes (the buffer check above), so px is exactly width * height:
    // the invariant the preprocessing's pixel loops rely on.
    if px.len() != width * height {
        return Err(ScanError::Buffer {
            len: luma.len(),
            needed: width * height,
        });
    }
    let base = Gray {
        w: width,
        h: height,
        px,
    };
    let decoders: Vec<(Backend, Box<dyn Decoder>)> = opts
        .backends
        .iter()
        .filter_map(|&b| decoder(b).map(|d| (b, d)))
        .collect();
    let mut found: Vec<Scan> = Vec::new();
    let mut levels: Vec<(Gray, u32)> = Vec::new();
    let mut level = Some(base);
    let mut scale = 1u32;
    let ctx = Ctx {
        decoders: &decoders,
        opts,
        start,
    };
    let mut stop = false;
    while let Some(img) = level.take() {
        let mut passes: Vec<Pass> = vec![Pass::Plain];
        if opts.invert {
            passes.push(Pass::Inverted);
        }
        if opts.threshold {
            passes.push(Pass::Threshold);
            if opts.invert {
                passes.push(Pass::ThresholdInverted);
            }
        }
        if ctx.run(&img, scale, None, &passes, &mut found) {
            stop = true;
            break;
        }
        let next = (opts.pyramid && img.w.min(img.h) / 2 >= 120).then(|| img.half());
        if opts.sharpen || opts.deskew {
            levels.push((img, scale));
        }
        if let Some(n) = next {
            level = Some(n);
            scale *= 2;
        }
    }
    if opts.sharpen && !stop {
        let mut passes: Vec<Pass> = vec![Pass::Sharpened];
        if opts.invert {
            passes.push(Pass::SharpenedInverted);
        }
        for (img, scale) in &levels {
            if ctx.run(img, *scale, None, &passes, &mut found) {
                stop = true;
                break;
            }
        }
    }
    if opts.deskew && !stop {
        // The skew, measured once on the full frame (small modules need its resolution).
        let angle = levels
            .first()
            .and_then(|(img, _)| img.skew())
            .filter(|a| (DESKEW_MIN..=DESKEW_MAX).contains(&a.abs()));
        if let Some(angle) = angle {
            let passes = [
                Pass::Deskewed,
                Pass::DeskewedThreshold,
                Pass::DeskewedSharpened,
            ];
            for (img, scale) in &levels {
                let Some((rotated, rot)) = img.deskewed(angle, MAX_PIXELS) else {
                    continue;
                };
                if ctx.run(&rotated, *scale, Some(rot), &passes, &mut found) {
                    break;
                }
            }
        }
    }
    // A sound read replaces an unsound one of the same place.
    let snapshot = found.clone();
    found.retain(|s| {
        sound(&s.payload)
            || !snapshot
                .iter()
                .any(|o| sound(&o.payload) && centre_near(o, s))
    });
    Ok(found)
}

/// What [`deskew_step`] measured: the skew, the rotated frame's size.
#[doc(hidden)]
pub type DeskewStep = (Option<f32>, Option<(usize, usize)>);

/// The deskew step alone, as [`scan_with`] runs it on a full frame: the skew estimate and,
/// when it is between 3° and 30°, the rotation back. Returns the skew measured (if any) and
/// the side lengths of the rotated frame (if rotated). For benchmarks; not a stable API.
#[doc(hidden)]
pub fn deskew_step(luma: &[u8], width: usize, height: usize) -> Result<DeskewStep, ScanError> {
    check(luma, width, height, width)?;
    let img = Gray {
        w: width,
        h: height,
        px: luma.get(..width * height).unwrap_or(luma).to_vec(),
    };
    let skew = img.skew();
    let rotated = skew
        .filter(|a| (DESKEW_MIN..=DESKEW_MAX).contains(&a.abs()))
        .and_then(|a| img.deskewed(a, MAX_PIXELS))
        .map(|(g, _)| (g.w, g.h));
    Ok((skew, rotated))
}

/// What every pass needs: the decoders, the options, when the scan started.
struct Ctx<'a> {
    decoders: &'a [(Backend, Box<dyn Decoder>)],
    opts: &'a ScanOptions,
    start: Instant,
}

impl Ctx<'_> {
    /// Run `passes` over one pyramid level (`rot`: rotated by the deskew), adding what is
    /// read to `found`. True when the scan should stop (a sound read and not exhaustive, or
    /// the time budget is spent).
    fn run(
        &self,
        img: &Gray,
        scale: u32,
        rot: Option<Rotation>,
        passes: &[Pass],
        found: &mut Vec<Scan>,
    ) -> bool {
        // The thresholded or sharpened image, reused by the pass that inverts it.
        let mut prev: Option<Gray> = None;
        for &pass in passes {
            let variant = match pass {
                Pass::Plain | Pass::Deskewed => None,
                Pass::Inverted => Some(img.inverted()),
                Pass::Threshold | Pass::DeskewedThreshold => Some(img.thresholded()),
                Pass::Sharpened | Pass::DeskewedSharpened => Some(img.sharpened(SHARPEN)),
                Pass::ThresholdInverted | Pass::SharpenedInverted => {
                    prev.as_ref().map(Gray::inverted)
                }
            };
            let view = variant.as_ref().unwrap_or(img);
            let mut sound_here = false;
            for (backend, dec) in self.decoders {
                if self.opts.budget.is_some_and(|b| self.start.elapsed() > b) {
                    return true;
                }
                let Ok(results) = catch_unwind(AssertUnwindSafe(|| dec.detect(view))) else {
                    continue;
                };
                for f in results {
                    let corners = clockwise(f.corners.map(|p| match rot {
                        Some(r) => {
                            let (x, y) = r.to_source(p.x, p.y);
                            Point { x, y }
                        }
                        None => p,
                    }));
                    let (payload, latin1) = text_of(f.bytes);
                    let k = scale as f32;
                    let s = Scan {
                        payload,
                        corners: corners.map(|p| Point {
                            x: p.x * k,
                            y: p.y * k,
                        }),
                        backend: *backend,
                        pass,
                        scale,
                        latin1,
                    };
                    let ok = sound(&s.payload);
                    sound_here |= ok;
                    // Keep the first read of a code.
                    if !found.iter().any(|o| same_code(o, &s)) {
                        found.push(s);
                    }
                }
                if sound_here && !self.opts.exhaustive {
                    return true;
                }
            }
            if matches!(pass, Pass::Threshold | Pass::Sharpened) {
                prev = variant;
            }
        }
        false
    }
}

/// Unsharp-mask amount of the sharpened passes (see `Gray::sharpened`).
const SHARPEN: u32 = 3;
/// Smallest skew, in degrees, the deskew passes correct: below it backends read as they are.
const DESKEW_MIN: f32 = 3.0;
/// Largest skew the deskew passes correct: towards 45° the folded orientation is ambiguous,
/// and backends read codes at 45° anyway.
const DESKEW_MAX: f32 = 30.0;

fn centre_near(a: &Scan, b: &Scan) -> bool {
    let mut b2 = b.clone();
    b2.payload.clone_from(&a.payload);
    same_code(a, &b2)
}

#[cfg(test)]
mod bounds_tests {
    use super::*;

    #[test]
    fn absurd_strides_are_refused_not_wrapped() {
        let luma = [0u8; 64];
        for stride in [usize::MAX, usize::MAX / 2, usize::MAX / 3 + 1] {
            assert!(matches!(
                scan(&luma, 8, 8, stride),
                Err(ScanError::Stride { .. } | ScanError::Buffer { .. })
            ));
        }
        assert!(scan(&luma, 8, 8, 8).is_ok());
    }
}
