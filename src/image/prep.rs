//! Preprocessing that helps every backend: inversion, adaptive threshold, downscaling.
//!
//! Pixel loops index directly: every `Gray` holds `px.len() == w * h` (checked where frames
//! enter, in `scan`), and each loop is bounded by `w` and `h`; the robustness suite and the
//! fuzzed frame sizes exercise these bounds.
#![allow(clippy::indexing_slicing)]

use std::vec::Vec;

/// A contiguous 8-bit luma image.
#[derive(Clone, Debug)]
pub(crate) struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Gray {
    /// Light-on-dark becomes dark-on-light.
    pub fn inverted(&self) -> Gray {
        Gray {
            w: self.w,
            h: self.h,
            px: self.px.iter().map(|&p| 255 - p).collect(),
        }
    }

    /// Half the size, each pixel the mean of a 2×2 block.
    pub fn half(&self) -> Gray {
        let (w, h) = (self.w / 2, self.h / 2);
        let mut px = Vec::with_capacity(w * h);
        for y in 0..h {
            let r0 = &self.px[(2 * y) * self.w..];
            let r1 = &self.px[(2 * y + 1) * self.w..];
            for x in 0..w {
                let s = u16::from(r0[2 * x])
                    + u16::from(r0[2 * x + 1])
                    + u16::from(r1[2 * x])
                    + u16::from(r1[2 * x + 1]);
                px.push(((s + 2) / 4) as u8);
            }
        }
        Gray { w, h, px }
    }

    /// Binarise against the local mean (a box of about 1/8 of the shorter side): a pixel is dark
    /// when it is darker than its neighbourhood's mean by a small margin. Stretches low
    /// contrast and removes uneven lighting, which several backends binarise badly.
    pub fn thresholded(&self) -> Gray {
        let (w, h) = (self.w, self.h);
        // Summed-area table, (w+1)×(h+1).
        let mut sat = vec![0u64; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0u64;
            for x in 0..w {
                row += u64::from(self.px[y * w + x]);
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        let r = (w.min(h) / 16).max(7);
        let mut px = Vec::with_capacity(w * h);
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            for x in 0..w {
                let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                let sum = sat[y1 * (w + 1) + x1] + sat[y0 * (w + 1) + x0]
                    - sat[y0 * (w + 1) + x1]
                    - sat[y1 * (w + 1) + x0];
                let n = ((x1 - x0) * (y1 - y0)) as u64;
                let p = u64::from(self.px[y * w + x]);
                // Dark when below 97 % of the mean (and not in a flat area).
                px.push(if p * 100 * n < sum * 97 { 0 } else { 255 });
            }
        }
        Gray { w, h, px }
    }
}
