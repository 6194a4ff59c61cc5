//! QR images (feature `image`): render payloads for merchants and terminals, scan codes from
//! camera frames.
//!
//! Rendering ([`encode`], [`encode_with`] → [`Symbol`]) follows the per-format rules: EMV
//! payloads (MPM §4.12, CPM) in one byte-mode segment, with ECI 26 (UTF-8) when a byte is
//! outside the EMV common character set 0x20–0x7E; EPC at error correction M and version 13
//! at most; Swiss QR-bill at M, version 25 at most, with the Swiss cross drawn in SVG and PNG;
//! error correction M and a 4-module quiet zone by default. What cannot fit is refused with a
//! [`RenderError`].
//!
//! Scanning ([`scan`], [`scan_with`]) takes an 8-bit luma frame and returns every code found
//! ([`Scan`]: payload text, corners, backend). Backends sit behind a small internal trait:
//! `rqrr` always, `rxing` and `quircs` with the features of the same names; the default
//! cascade is rxing then quircs (see spec/image.md for the measurements behind it).
//!
//! ```
//! use qrpay::image::{encode, scan, RenderOptions};
//! let payload = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
//! let symbol = encode(payload).unwrap();
//! assert!(symbol.is_byte_mode() && symbol.has_eci());
//! let (luma, side) = symbol.to_luma(&RenderOptions::default()).unwrap();
//! let found = scan(&luma, side as usize, side as usize, side as usize).unwrap();
//! assert_eq!(found[0].payload, payload);
//! assert!(found[0].decode().is_intact());
//! ```

mod prep;
mod render;
mod scan;

pub use render::{
    encode, encode_with, Ec, Eci, EncodeOptions, RenderError, RenderOptions, Segments, Size,
    Symbol, TermStyle, MAX_SIDE as MAX_RENDER_SIDE,
};
#[doc(hidden)]
pub use scan::deskew_step;
pub use scan::{
    scan, scan_with, Backend, Pass, Point, Scan, ScanError, ScanOptions, MAX_PIXELS, MAX_SIDE,
};
