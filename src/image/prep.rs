//! Preprocessing that helps every backend: inversion, adaptive threshold, downscaling,
//! sharpening.
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
        let sat = self.summed_area();
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

    /// Unsharp mask: each pixel pushed away from the mean of its 5×5 neighbourhood by
    /// `amount` times the difference. Restores the contrast of one-module details that a
    /// defocused camera (blur of about half a module) has flattened, which no backend reads.
    pub fn sharpened(&self, amount: u32) -> Gray {
        let (w, h) = (self.w, self.h);
        let sat = self.summed_area();
        let r = 2;
        let mut px = Vec::with_capacity(w * h);
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            for x in 0..w {
                let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                let sum = sat[y1 * (w + 1) + x1] + sat[y0 * (w + 1) + x0]
                    - sat[y0 * (w + 1) + x1]
                    - sat[y1 * (w + 1) + x0];
                let n = ((x1 - x0) * (y1 - y0)) as i64;
                let p = i64::from(self.px[y * w + x]);
                // p + amount·(p − mean), in integers: (p·n·(1 + amount) − amount·sum) / n.
                let num = p * n * (1 + i64::from(amount)) - i64::from(amount) * sum as i64;
                // Away from the borders the box is full: a constant divisor is much cheaper.
                let v = if n == 25 { num / 25 } else { num / n };
                px.push(v.clamp(0, 255) as u8);
            }
        }
        Gray { w, h, px }
    }

    /// Summed-area table, (w+1)×(h+1).
    fn summed_area(&self) -> Vec<u64> {
        let (w, h) = (self.w, self.h);
        let mut sat = vec![0u64; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0u64;
            for x in 0..w {
                row += u64::from(self.px[y * w + x]);
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        sat
    }
}

#[cfg(test)]
mod tests {
    use super::Gray;

    #[test]
    fn sharpening_keeps_flat_areas_and_steepens_edges() {
        // A vertical edge: columns 0–4 at 100, 5–9 at 160.
        let (w, h) = (10, 6);
        let px = (0..w * h)
            .map(|i| if i % w < 5 { 100 } else { 160 })
            .collect();
        let s = Gray { w, h, px }.sharpened(3);
        let at = |x: usize, y: usize| s.px[y * w + x];
        // Far from the edge (more than the 5×5 radius): unchanged.
        assert_eq!(at(0, 3), 100);
        assert_eq!(at(9, 3), 160);
        // Next to it: pushed apart, past the original levels. At x=4 the 5×5 box spans
        // columns 2..=6, mean (3·100 + 2·160)/5 = 124, so 100 + 3·(100 − 124) = 28; at x=5,
        // columns 3..=7, mean 136, so 160 + 3·(160 − 136) = 232.
        assert_eq!(at(4, 3), 28);
        assert_eq!(at(5, 3), 232);
        // Clamped, never wrapped.
        let px = (0..w * h)
            .map(|i| if i % w < 5 { 5 } else { 250 })
            .collect();
        let s = Gray { w, h, px }.sharpened(3);
        assert_eq!(s.px[3 * w + 4], 0);
        assert_eq!(s.px[3 * w + 5], 255);
    }
}
