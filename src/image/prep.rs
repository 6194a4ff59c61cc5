//! Preprocessing that helps every backend: inversion, adaptive threshold, downscaling,
//! sharpening, deskewing.
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

    /// The frame's skew in degrees, in (−45°, 45°]: the dominant orientation of its edges,
    /// folded modulo 90° (a QR code's module edges run along its two axes, 90° apart). A
    /// histogram of Sobel gradient angles in 1° bins, weighted by gradient magnitude, finds
    /// the peak (smoothed, it must stand out from the mean); the angle is then the
    /// magnitude-weighted circular mean (of 4θ, which folds modulo 90°) of the gradients within
    /// 8° of it: the peak of a digitised edge's histogram sits up to 2–3° off its true angle,
    /// the mean does not. `None` when the frame has too few edges or no orientation stands
    /// out (flat frames, noise).
    pub fn skew(&self) -> Option<f32> {
        let (w, h) = (self.w, self.h);
        if w < 3 || h < 3 {
            return None;
        }
        let mut hist = [0f32; 90];
        // Per bin, Σ m·cos 4θ and Σ m·sin 4θ.
        let mut c4s = [0f32; 90];
        let mut s4s = [0f32; 90];
        let mut total = 0f32;
        let rows = |y: usize| self.px.get(y * w..(y + 1) * w);
        for y in 1..h - 1 {
            let (Some(r0), Some(r1), Some(r2)) = (rows(y - 1), rows(y), rows(y + 1)) else {
                return None;
            };
            for ((a, b), c) in r0.windows(3).zip(r1.windows(3)).zip(r2.windows(3)) {
                let (&[a0, a1, a2], &[b0, _, b2], &[c0, c1, c2]) = (a, b, c) else {
                    continue;
                };
                let [a0, a1, a2, b0, b2, c0, c1, c2] =
                    [a0, a1, a2, b0, b2, c0, c1, c2].map(i32::from);
                let gx = (a2 + 2 * b2 + c2) - (a0 + 2 * b0 + c0);
                let gy = (c0 + 2 * c1 + c2) - (a0 + 2 * a1 + a2);
                let m2 = gx * gx + gy * gy;
                // Below a step of about 8 grey levels: flat, or sensor noise.
                if m2 < EDGE_MIN * EDGE_MIN {
                    continue;
                }
                let (fx, fy, fm2) = (gx as f32, gy as f32, m2 as f32);
                let m = fm2.sqrt();
                let deg = fy.atan2(fx).to_degrees().rem_euclid(90.0);
                // Split between the two nearest bins (centres at whole degrees).
                let lo = deg.floor();
                let frac = deg - lo;
                let i = (lo as usize) % 90;
                if let Some(v) = hist.get_mut(i) {
                    *v += m * (1.0 - frac);
                }
                if let Some(v) = hist.get_mut((i + 1) % 90) {
                    *v += m * frac;
                }
                // cos 2θ, sin 2θ, then cos 4θ, sin 4θ, without trigonometry.
                let (c2, s2) = ((fx * fx - fy * fy) / fm2, 2.0 * fx * fy / fm2);
                if let (Some(c), Some(s)) = (c4s.get_mut(i), s4s.get_mut(i)) {
                    *c += m * (c2 * c2 - s2 * s2);
                    *s += m * 2.0 * c2 * s2;
                }
                total += m;
            }
        }
        // Enough edge for a code of a few dozen modules.
        if total < 255.0 * 4.0 * 200.0 {
            return None;
        }
        // Circular smoothing, weights 1 2 3 2 1.
        let at = |i: isize| hist.get(i.rem_euclid(90) as usize).copied().unwrap_or(0.0);
        let smooth: Vec<f32> = (0..90isize)
            .map(|i| at(i - 2) + 2.0 * at(i - 1) + 3.0 * at(i) + 2.0 * at(i + 1) + at(i + 2))
            .collect();
        let (peak, &top) = smooth
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        let mean = smooth.iter().sum::<f32>() / 90.0;
        if top < PEAK_OVER_MEAN * mean {
            return None;
        }
        // Circular mean of 4θ over the bins within 8° of the peak.
        let (mut c, mut s) = (0f32, 0f32);
        for d in -8..=8isize {
            let i = (peak as isize + d).rem_euclid(90) as usize;
            c += c4s.get(i).copied().unwrap_or(0.0);
            s += s4s.get(i).copied().unwrap_or(0.0);
        }
        if c == 0.0 && s == 0.0 {
            return None;
        }
        // atan2 is in (−180°, 180°]: a quarter of it is in (−45°, 45°].
        Some(s.atan2(c).to_degrees() / 4.0)
    }

    /// The frame rotated by `−deg` (undoing a skew of `deg`, as [`Gray::skew`] measures it),
    /// bilinear, on a canvas holding the whole rotated frame, filled with the frame's mean
    /// luma. `None` when that canvas would exceed `max_pixels`.
    pub fn deskewed(&self, deg: f32, max_pixels: usize) -> Option<(Gray, Rotation)> {
        let (w, h) = (self.w, self.h);
        let (sin, cos) = deg.to_radians().sin_cos();
        let (wf, hf) = (w as f32, h as f32);
        let wo = (wf * cos.abs() + hf * sin.abs()).ceil() as usize;
        let ho = (wf * sin.abs() + hf * cos.abs()).ceil() as usize;
        if wo == 0 || ho == 0 || wo.checked_mul(ho)? > max_pixels || self.px.len() != w * h {
            return None;
        }
        let rot = Rotation {
            cos,
            sin,
            ci: (wf / 2.0, hf / 2.0),
            co: (wo as f32 / 2.0, ho as f32 / 2.0),
        };
        let fill = {
            let sum: u64 = self.px.iter().map(|&p| u64::from(p)).sum();
            (sum / (w * h).max(1) as u64) as u8
        };
        let get = |x: usize, y: usize| self.px.get(y * w + x).copied().unwrap_or(fill);
        let mut px = Vec::with_capacity(wo * ho);
        for yo in 0..ho {
            // Source position of the centre of (0, yo), in pixel-index coordinates, and its
            // step per output column.
            let dy = yo as f32 + 0.5 - rot.co.1;
            let dx0 = 0.5 - rot.co.0;
            let mut sx = rot.ci.0 + dx0 * cos - dy * sin - 0.5;
            let mut sy = rot.ci.1 + dx0 * sin + dy * cos - 0.5;
            for _ in 0..wo {
                let v = if sx < -0.5 || sy < -0.5 || sx > wf - 0.5 || sy > hf - 0.5 {
                    fill
                } else {
                    let (fx, fy) = (sx.max(0.0).floor(), sy.max(0.0).floor());
                    let (ax, ay) = ((sx - fx).clamp(0.0, 1.0), (sy - fy).clamp(0.0, 1.0));
                    let (x0, y0) = (fx as usize, fy as usize);
                    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
                    let top = f32::from(get(x0, y0)) * (1.0 - ax) + f32::from(get(x1, y0)) * ax;
                    let bot = f32::from(get(x0, y1)) * (1.0 - ax) + f32::from(get(x1, y1)) * ax;
                    (top * (1.0 - ay) + bot * ay + 0.5) as u8
                };
                px.push(v);
                sx += cos;
                sy += sin;
            }
        }
        Some((Gray { w: wo, h: ho, px }, rot))
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

/// Smallest Sobel gradient magnitude counted as an edge (a step of 8 grey levels).
const EDGE_MIN: i32 = 4 * 8;
/// How far the smoothed orientation peak must stand above the histogram's mean.
const PEAK_OVER_MEAN: f32 = 1.5;

/// The rotation of a deskewed frame: maps its points back to the frame it came from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rotation {
    cos: f32,
    sin: f32,
    /// Centre of the source frame.
    ci: (f32, f32),
    /// Centre of the deskewed frame.
    co: (f32, f32),
}

impl Rotation {
    /// A point of the deskewed frame in the source frame's coordinates.
    pub fn to_source(self, x: f32, y: f32) -> (f32, f32) {
        let (dx, dy) = (x - self.co.0, y - self.co.1);
        (
            self.ci.0 + dx * self.cos - dy * self.sin,
            self.ci.1 + dx * self.sin + dy * self.cos,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Gray;

    /// A checkerboard of `cell`-pixel squares rotated by `deg` about the frame's centre
    /// (each pixel the mean of 4×4 point samples), on white beyond `radius`.
    fn rotated_board(side: usize, cell: f32, deg: f32, radius: f32) -> Gray {
        let (s, c) = deg.to_radians().sin_cos();
        let m = side as f32 / 2.0;
        let mut px = Vec::with_capacity(side * side);
        for y in 0..side {
            for x in 0..side {
                let mut dark = 0;
                for sy in 0..4 {
                    for sx in 0..4 {
                        let dx = x as f32 + (sx as f32 + 0.5) / 4.0 - m;
                        let dy = y as f32 + (sy as f32 + 0.5) / 4.0 - m;
                        // Board coordinates: rotate the frame point back by `deg`.
                        let (u, v) = (dx * c + dy * s, -dx * s + dy * c);
                        if u.abs() < radius
                            && v.abs() < radius
                            && ((u / cell).floor() + (v / cell).floor()) as i64 % 2 == 0
                        {
                            dark += 1;
                        }
                    }
                }
                px.push(255 - (dark * 255 / 16) as u8);
            }
        }
        Gray {
            w: side,
            h: side,
            px,
        }
    }

    /// Sobel's orientation of a sharp digitised edge is off by up to about 1.3° (the suite's
    /// codes read with far more residual skew than that).
    #[test]
    fn skew_is_measured_folded_and_undone() {
        for deg in [-28.0f32, -12.5, 0.0, 7.0, 20.0, 30.0, 44.0] {
            let g = rotated_board(160, 6.0, deg, 50.0);
            let got = g.skew().unwrap_or(f32::NAN);
            // 44° folds to −46° or 44° depending on the rounding side: compare modulo 90.
            let err = (got - deg + 45.0).rem_euclid(90.0) - 45.0;
            assert!(err.abs() < 1.5, "{deg}°: measured {got}");
            // A quarter turn more is the same skew.
            let g = rotated_board(160, 6.0, deg + 90.0, 50.0);
            let again = g.skew().unwrap_or(f32::NAN);
            let err = (again - deg + 45.0).rem_euclid(90.0) - 45.0;
            assert!(err.abs() < 1.5, "{deg}° + 90°: measured {again}");
        }
        // Rotated back, the board is square to the frame again.
        let g = rotated_board(160, 6.0, 22.0, 50.0);
        let (d, rot) = g.deskewed(22.0, 1 << 20).expect("deskewed");
        assert!(d.skew().is_some_and(|a| a.abs() < 1.5), "{:?}", d.skew());
        // The canvas holds the whole rotated frame: 160·(cos 22° + sin 22°) ≈ 208.3.
        assert_eq!((d.w, d.h), (209, 209));
        assert_eq!(d.px.len(), d.w * d.h);
        // Centres map to centres; a point of the board maps back where it was.
        let (x, y) = rot.to_source(104.5, 104.5);
        assert!((x - 80.0).abs() < 1e-3 && (y - 80.0).abs() < 1e-3);
        // Board corner (−50, −50) from the centre, rotated by 22° in the frame.
        let (s, c) = 22f32.to_radians().sin_cos();
        let (fx, fy) = (80.0 - 50.0 * c + 50.0 * s, 80.0 - 50.0 * s - 50.0 * c);
        let (x, y) = rot.to_source(104.5 - 50.0, 104.5 - 50.0);
        assert!(
            (x - fx).abs() < 1e-3 && (y - fy).abs() < 1e-3,
            "{x},{y} vs {fx},{fy}"
        );
        // Too large a canvas is refused.
        assert!(g.deskewed(22.0, 200 * 200).is_none());
    }

    #[test]
    fn no_skew_without_a_dominant_orientation() {
        // Flat.
        let flat = Gray {
            w: 200,
            h: 150,
            px: vec![190; 200 * 150],
        };
        assert_eq!(flat.skew(), None);
        // Noise: edges everywhere, no orientation.
        let mut z = 0x1234_5678_u64;
        let px = (0..200 * 150)
            .map(|_| (crate::xorshift(&mut z) >> 56) as u8)
            .collect();
        assert_eq!(Gray { w: 200, h: 150, px }.skew(), None);
        // Degenerate sizes.
        for (w, h) in [(1, 1), (2, 9), (9, 2)] {
            let g = Gray {
                w,
                h,
                px: vec![0; w * h],
            };
            assert_eq!(g.skew(), None);
        }
    }

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
