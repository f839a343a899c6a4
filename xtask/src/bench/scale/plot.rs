//! The scaling plot: time per operation against operation count, as hand-written SVG.
//!
//! Two panels side by side, since the two series differ by three orders of magnitude:
//! generation (ms per operation) and the crate's debug build (s per operation). A flat
//! line means linear cost. The real spec is drawn as a separate marker beside the
//! synthetic series, so a reader sees whether it sits on the line.

use std::fmt::Write as _;

/// One panel: a title, the unit of its y axis, the synthetic series and the real point.
pub(super) struct Panel<'a> {
    pub(super) title: &'a str,
    pub(super) unit: &'a str,
    /// `(operations, value per operation)`, in operation order.
    pub(super) synthetic: &'a [(usize, f64)],
    /// `(label, operations, value per operation)` of a real spec.
    pub(super) real: Option<(&'a str, usize, f64)>,
}

const PANEL_W: f64 = 360.0;
const PANEL_H: f64 = 240.0;
const MARGIN_L: f64 = 56.0;
const MARGIN_R: f64 = 16.0;
const MARGIN_T: f64 = 36.0;
const MARGIN_B: f64 = 44.0;

/// The whole SVG document for `panels`, laid out left to right.
pub(super) fn svg(panels: &[Panel<'_>]) -> String {
    let width = PANEL_W * panels.len() as f64;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{PANEL_H:.0}\" \
         viewBox=\"0 0 {width:.0} {PANEL_H:.0}\" font-family=\"sans-serif\" font-size=\"11\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    for (i, panel) in panels.iter().enumerate() {
        draw(&mut out, panel, PANEL_W * i as f64);
    }
    out.push_str("</svg>\n");
    out
}

/// Where a panel's plot area is, and its scales.
struct Frame {
    x0: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    max_n: f64,
    max_v: f64,
}

impl Frame {
    fn new(panel: &Panel<'_>, x0: f64) -> Self {
        let values = panel
            .synthetic
            .iter()
            .copied()
            .chain(panel.real.map(|(_, n, v)| (n, v)));
        let (max_n, max_v) = values.fold((0usize, 0.0f64), |(n, v), (pn, pv)| {
            (n.max(pn), if pv.is_finite() { v.max(pv) } else { v })
        });
        Frame {
            x0,
            left: x0 + MARGIN_L,
            right: x0 + PANEL_W - MARGIN_R,
            top: MARGIN_T,
            bottom: PANEL_H - MARGIN_B,
            max_n: nice(max_n as f64),
            max_v: nice(max_v),
        }
    }

    fn x(&self, n: f64) -> f64 {
        self.left + (self.right - self.left) * n / self.max_n
    }

    fn y(&self, v: f64) -> f64 {
        self.bottom - (self.bottom - self.top) * v / self.max_v
    }
}

fn draw(out: &mut String, panel: &Panel<'_>, x0: f64) {
    let f = Frame::new(panel, x0);
    axes(out, panel, &f);
    let points: Vec<(f64, f64)> = panel
        .synthetic
        .iter()
        .filter(|p| p.1.is_finite())
        .map(|&(n, v)| (f.x(n as f64), f.y(v)))
        .collect();
    if let Some((first, rest)) = points.split_first() {
        let mut d = format!("M{:.1},{:.1}", first.0, first.1);
        for p in rest {
            let _ = write!(d, " L{:.1},{:.1}", p.0, p.1);
        }
        let _ = writeln!(
            out,
            "<path d=\"{d}\" stroke=\"#1f77b4\" stroke-width=\"2\" fill=\"none\"/>"
        );
    }
    for (px, py) in &points {
        let _ = writeln!(
            out,
            "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"3.5\" fill=\"#1f77b4\"/>"
        );
    }
    let _ = writeln!(
        out,
        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"#1f77b4\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\">synthetic</text>",
        f.left + 10.0,
        f.top + 4.0,
        f.left + 18.0,
        f.top + 8.0
    );
    if let Some((name, n, v)) = panel.real.filter(|r| r.2.is_finite()) {
        let (px, py) = (f.x(n as f64), f.y(v));
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"#d62728\"/>\n\
             <rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"#d62728\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            px - 4.0,
            py - 4.0,
            f.left + 6.0,
            f.top + 12.0,
            f.left + 18.0,
            f.top + 20.0,
            escape(name)
        );
    }
}

/// The title, the axes, four grid lines on each, and their labels.
fn axes(out: &mut String, panel: &Panel<'_>, f: &Frame) {
    let (left, right, top, bottom) = (f.left, f.right, f.top, f.bottom);
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">{}</text>",
        f.x0 + PANEL_W / 2.0,
        escape(panel.title)
    );
    let _ = writeln!(
        out,
        "<path d=\"M{left:.1},{top:.1} V{bottom:.1} H{right:.1}\" stroke=\"black\" fill=\"none\"/>"
    );
    for k in 1..=4 {
        let v = f.max_v * f64::from(k) / 4.0;
        let n = f.max_n * f64::from(k) / 4.0;
        let _ = writeln!(
            out,
            "<path d=\"M{left:.1},{yv:.1} H{right:.1}\" stroke=\"#ddd\"/>\n\
             <text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"end\">{}</text>\n\
             <text x=\"{nx:.1}\" y=\"{ny:.1}\" text-anchor=\"middle\">{}</text>",
            label(v),
            label(n),
            yv = f.y(v),
            lx = left - 4.0,
            ly = f.y(v) + 4.0,
            nx = f.x(n),
            ny = bottom + 14.0,
        );
    }
    let (mid_x, mid_y, axis_x) = ((left + right) / 2.0, (top + bottom) / 2.0, f.x0 + 14.0);
    let _ = writeln!(
        out,
        "<text x=\"{mid_x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">operations</text>\n\
         <text x=\"{axis_x:.1}\" y=\"{mid_y:.1}\" text-anchor=\"middle\" \
         transform=\"rotate(-90 {axis_x:.1} {mid_y:.1})\">{}</text>",
        PANEL_H - 8.0,
        escape(panel.unit)
    );
}

/// The smallest of 1, 2 or 5 times a power of ten that is at least `v`, so the axis
/// ends on a round number.
fn nice(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|c| *c >= v * (1.0 - 1e-9))
        .unwrap_or(10.0 * p)
}

/// A tick label: whole numbers from 100 up, else up to three decimals, trailing zeros cut.
fn label(v: f64) -> String {
    if v >= 100.0 {
        return format!("{v:.0}");
    }
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice(1_500.0), 2_000.0);
        assert_eq!(nice(0.42), 0.5);
        assert_eq!(nice(1_000.0), 1_000.0);
        assert_eq!(nice(0.0), 1.0);
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(label(3.75), "3.75");
        assert_eq!(label(12.5), "12.5");
        assert_eq!(label(0.125), "0.125");
        assert_eq!(label(1_500.0), "1500");
        assert_eq!(label(2.0), "2");
    }

    #[test]
    fn svg_has_a_line_per_series_and_a_marker_for_the_real_spec() {
        let synthetic = [(100, 0.5), (1_000, 0.6)];
        let text = svg(&[Panel {
            title: "generate",
            unit: "ms per operation",
            synthetic: &synthetic,
            real: Some(("stripe <454>", 454, 1.5)),
        }]);
        assert!(text.starts_with("<svg "));
        assert!(text.ends_with("</svg>\n"));
        assert_eq!(text.matches("stroke=\"#1f77b4\"").count(), 1);
        assert!(text.contains("stripe &lt;454&gt;"));
    }
}
