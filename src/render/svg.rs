//! Inline SVG charts drawn at build time, with no JavaScript: a claims chart per figure
//! (each claim a point or an interval on a shared axis) and a compact range strip for the
//! overview. Every text node is escaped; each chart has a `<title>` and `<desc>`.

use std::fmt::Write;

use crate::escape::escape_html;

use crate::analyse::qualifiers::format_number;
use crate::analyse::{ClaimAnalysis, FigureAnalysis};
use crate::model::{Claim, Figure, FigureIx, Rank};
use crate::site::Site;

const WIDTH: f64 = 760.0;

/// A coordinate, written as `{:.1}` writes an `f64` (one decimal, the same digits) but
/// without its cost: the exact formatting of a float to a precision takes some 1,700
/// instructions, and the charts write tens of thousands of coordinates. Only a value whose
/// tenths are a tie (or too large to tell) goes through `{:.1}` itself.
#[derive(Clone, Copy)]
struct Px(f64);

impl std::fmt::Display for Px {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = self.0 * 10.0;
        let rounded = tenths.round();
        // The product is within 2⁻⁵² of the exact tenths, far less than the margin asked
        // for here, so the rounding is the exact value's unless it is near a tie.
        let near_tie = ((tenths - rounded).abs() - 0.5).abs() < 1e-6;
        if !rounded.is_finite() || rounded.abs() >= 1e9 || near_tie {
            return write!(f, "{:.1}", self.0);
        }
        let n = rounded.abs() as u64;
        let sign = if self.0.is_sign_negative() { "-" } else { "" };
        write!(f, "{sign}{}.{}", n / 10, n % 10)
    }
}
const LABEL_WIDTH: f64 = 300.0;
const RIGHT_PAD: f64 = 30.0;
const ROW: f64 = 26.0;
const TOP: f64 = 34.0;
const AXIS: f64 = 30.0;

/// A "nice" axis maximum and tick step covering `max`.
fn axis(max: f64) -> (f64, f64) {
    let max = if max <= 0.0 { 1.0 } else { max };
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let step = if step < 1.0 { 1.0 } else { step };
    ((max / step).ceil() * step, step)
}

/// The horizontal scale of a claims chart: values from 0 to `max` over the plot area.
struct Scale {
    max: f64,
    step: f64,
    plot: f64,
}

impl Scale {
    /// The x position of `v`.
    fn x(&self, v: f64) -> f64 {
        LABEL_WIDTH + (v / self.max).clamp(0.0, 1.0) * self.plot
    }
}

/// The claims chart of figure `f`.
pub fn figure_chart(site: &Site, f: FigureIx) -> String {
    let figure = &site.briefing.figures[f];
    let analysis = &site.analysis.figures[f];
    let claims = &analysis.claims;
    let data_max = claims
        .iter()
        .map(|c| c.bounds.high.unwrap_or(c.bounds.low).max(c.point))
        .fold(analysis.high, f64::max);
    let (max, step) = axis(data_max * 1.15);
    let scale = Scale {
        max,
        step,
        plot: WIDTH - LABEL_WIDTH - RIGHT_PAD,
    };
    let height = TOP + ROW * claims.len() as f64 + AXIS + 16.0;
    let id = format!("chart-{}", figure.id);
    let mut svg = String::with_capacity(2048 + 400 * claims.len());
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc">"#
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}: every claim on one axis</title><desc id="{id}-desc">{} claims from {} sources. Low {}, best estimate {}, high {}{} {}. The claims table below gives the same data as text.</desc>"#,
        escape_html(&figure.label),
        claims.len(),
        analysis.sources.len(),
        format_number(analysis.low),
        format_number(analysis.best),
        format_number(analysis.high),
        if analysis.open_ended { "+" } else { "" },
        escape_html(&figure.unit),
    );
    let bottom = TOP + ROW * claims.len() as f64;
    grid(&mut svg, &scale, bottom, &figure.unit);
    estimate_markers(&mut svg, &scale, bottom, analysis, &figure.unit);
    for (n, (claim, ca)) in figure.claims.iter().zip(claims).enumerate() {
        claim_row(&mut svg, site, &scale, figure, n, (claim, ca));
    }
    svg.push_str("</svg>");
    svg
}

/// The grid lines, ticks and axis label of a claims chart whose rows end at `bottom`.
fn grid(svg: &mut String, scale: &Scale, bottom: f64, unit: &str) {
    let mut tick = 0.0;
    while tick <= scale.max + scale.step / 2.0 {
        let tx = Px(scale.x(tick));
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{tx}" y1="{TOP}" x2="{tx}" y2="{bottom}"/><text class="tick" x="{tx}" y="{}" text-anchor="middle">{}</text>"#,
            Px(bottom + 16.0),
            format_number(tick)
        );
        tick += scale.step;
    }
    let _ = write!(
        svg,
        r#"<text class="axis-label" x="{}" y="{}" text-anchor="middle">{}</text>"#,
        Px(LABEL_WIDTH + scale.plot / 2.0),
        Px(bottom + 34.0),
        escape_html(unit)
    );
}

/// Estimate markers across all rows, explained by one legend line above the plot.
fn estimate_markers(
    svg: &mut String,
    scale: &Scale,
    bottom: f64,
    analysis: &FigureAnalysis,
    unit: &str,
) {
    for (class, value) in [
        ("est-low", analysis.low),
        ("est-high", analysis.high),
        ("est-best", analysis.best),
    ] {
        let vx = Px(scale.x(value));
        let _ = write!(
            svg,
            r#"<line class="{class}" x1="{vx}" y1="{TOP}" x2="{vx}" y2="{bottom}"/>"#
        );
    }
    let _ = write!(
        svg,
        r#"<text class="legend" x="{LABEL_WIDTH}" y="16"><tspan class="est-low-label">low {}</tspan> · <tspan class="est-best-label">best {}</tspan> · <tspan class="est-high-label">high {}{}</tspan> {}</text>"#,
        format_number(analysis.low),
        format_number(analysis.best),
        format_number(analysis.high),
        if analysis.open_ended { "+" } else { "" },
        escape_html(unit),
    );
}

/// Claim `n` of `figure` as a row of the claims chart: its label and its mark.
fn claim_row(
    svg: &mut String,
    site: &Site,
    scale: &Scale,
    figure: &Figure,
    n: usize,
    (claim, ca): (&Claim, &ClaimAnalysis),
) {
    let cy = TOP + ROW * n as f64 + ROW / 2.0;
    let mut class = String::from("claim");
    if !ca.is_current() {
        class.push_str(" superseded");
    }
    if claim.rank == Rank::Disputed {
        class.push_str(" disputed");
    }
    if !ca.counted {
        class.push_str(" not-counted");
    }
    let party = site
        .briefing
        .party(&claim.stated_by.party)
        .map_or(claim.stated_by.party.as_str(), |p| p.name.as_str());
    let label = format!("{} · {}", claim.source, party);
    let short: String = if label.chars().count() > 44 {
        format!("{}…", label.chars().take(43).collect::<String>())
    } else {
        label.clone()
    };
    let worded = format!("{} {}", super::context::worded(site, claim), figure.unit);
    let _ = write!(
        svg,
        r#"<g class="{class}" data-claim="{}"><title>{}: {}</title><text class="claim-label" x="{}" y="{}" text-anchor="end">{}</text>"#,
        super::context::claim_anchor(claim, n),
        escape_html(&label),
        escape_html(&worded),
        Px(LABEL_WIDTH - 8.0),
        Px(cy + 4.0),
        escape_html(&short)
    );
    claim_mark(svg, scale, cy, ca);
    svg.push_str("</g>");
}

/// A claim's mark on its row at `cy`: a point, an interval, or an open-ended bar.
fn claim_mark(svg: &mut String, scale: &Scale, y: f64, ca: &ClaimAnalysis) {
    let lx = Px(scale.x(ca.bounds.low));
    let (cy, above) = (Px(y), Px(y - 4.0));
    match ca.bounds.high {
        Some(h) if h == ca.bounds.low => {
            let _ = write!(
                svg,
                r#"<circle class="mark point" cx="{lx}" cy="{cy}" r="5"/>"#
            );
        }
        Some(h) => {
            let (hx, px) = (Px(scale.x(h)), Px(scale.x(ca.point)));
            let _ = write!(
                svg,
                r#"<path class="mark interval" d="M{lx} {above}v8M{lx} {cy}H{hx}M{hx} {above}v8"/><circle class="point-value" cx="{px}" cy="{cy}" r="3"/>"#,
            );
        }
        None => {
            let end = LABEL_WIDTH + scale.plot + RIGHT_PAD / 2.0;
            let (head, end) = (Px(end - 6.0), Px(end));
            let (top, bottom) = (Px(y - 5.0), Px(y + 5.0));
            let _ = write!(
                svg,
                r#"<path class="mark open" d="M{lx} {above}v8M{lx} {cy}H{end}M{head} {top}L{end} {cy}L{head} {bottom}"/>"#,
            );
        }
    }
}

/// The count of figure `f` over time: each claim with a statement date (not "unknown") at
/// its day, a dot at its value and a bar over its bounds, one party's claims joined by a
/// line. `None` when fewer than two days have claims.
pub fn time_chart(site: &Site, f: FigureIx) -> Option<String> {
    let figure = &site.briefing.figures[f];
    let analysis = &site.analysis.figures[f];
    let dated: Vec<(usize, (u8, i64))> = (figure.claims.iter().enumerate())
        .filter_map(|(n, c)| {
            let when = c.stated_on.as_ref()?;
            (when.start != crate::model::DateValue::Unknown).then(|| (n, when.sort_key()))
        })
        .collect();
    let mut days: Vec<((u8, i64), String)> = dated
        .iter()
        .map(|&(n, key)| {
            (
                key,
                figure.claims[n]
                    .stated_on
                    .as_ref()
                    .map(|w| w.start.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect();
    days.sort();
    days.dedup_by(|a, b| a.0 == b.0);
    if days.len() < 2 {
        return None;
    }
    let top_of = |n: usize| {
        let c = &analysis.claims[n];
        c.bounds.high.unwrap_or(c.point).max(c.point)
    };
    let max = dated.iter().map(|&(n, _)| top_of(n)).fold(0.0, f64::max);
    let (axis_max, step) = axis(max * 1.15);
    let (left, top, plot_w, plot_h) = (70.0, 30.0, WIDTH - 100.0, 180.0);
    let height = top + plot_h + 60.0;
    let slot = plot_w / days.len() as f64;
    let day_x = |key: (u8, i64)| {
        let i = days.iter().position(|d| d.0 == key).unwrap_or(0);
        left + (i as f64 + 0.5) * slot
    };
    let y = |v: f64| top + plot_h * (1.0 - (v / axis_max).clamp(0.0, 1.0));
    let id = format!("time-{}", figure.id);
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        r#"<svg class="chart time-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}: the count over time</title><desc id="{id}-desc">{} dated claims on {} days, in {}. The claims table below gives the same data as text.</desc>"#,
        escape_html(&figure.label),
        dated.len(),
        days.len(),
        escape_html(&figure.unit)
    );
    time_axis(
        &mut svg,
        figure,
        axis_max,
        step,
        (left, top, plot_w, plot_h),
        &y,
    );
    for (key, label) in &days {
        let _ = write!(
            svg,
            r#"<text class="tick day" x="{}" y="{}" text-anchor="middle">{}</text>"#,
            Px(day_x(*key)),
            Px(top + plot_h + 20.0),
            escape_html(label)
        );
    }
    time_lines(&mut svg, site, f, &dated, &day_x, &y);
    for &(n, key) in &dated {
        time_mark(&mut svg, site, f, n, day_x(key), &y, top);
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The value axis of the time chart: grid lines, ticks and the unit.
fn time_axis(
    svg: &mut String,
    figure: &crate::model::Figure,
    axis_max: f64,
    step: f64,
    (left, top, plot_w, plot_h): (f64, f64, f64, f64),
    y: &dyn Fn(f64) -> f64,
) {
    let mut tick = 0.0;
    while tick <= axis_max + step / 2.0 {
        let (at, ty) = (y(tick), Px(y(tick)));
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{left}" y1="{ty}" x2="{}" y2="{ty}"/><text class="tick" x="{}" y="{}" text-anchor="end">{}</text>"#,
            Px(left + plot_w),
            Px(left - 6.0),
            Px(at + 4.0),
            format_number(tick)
        );
        tick += step;
    }
    let _ = write!(
        svg,
        r#"<text class="axis-label" x="14" y="{}" text-anchor="middle" transform="rotate(-90 14 {})">{}</text>"#,
        Px(top + plot_h / 2.0),
        Px(top + plot_h / 2.0),
        escape_html(&figure.unit)
    );
}

/// One line per party through its dated claims, in time order.
fn time_lines(
    svg: &mut String,
    site: &Site,
    f: FigureIx,
    dated: &[(usize, (u8, i64))],
    day_x: &dyn Fn((u8, i64)) -> f64,
    y: &dyn Fn(f64) -> f64,
) {
    let figure = &site.briefing.figures[f];
    let analysis = &site.analysis.figures[f];
    let mut parties: Vec<&str> = dated
        .iter()
        .map(|&(n, _)| figure.claims[n].stated_by.party.as_str())
        .collect();
    parties.sort_unstable();
    parties.dedup();
    for party in parties {
        let mut points: Vec<((u8, i64), f64)> = dated
            .iter()
            .filter(|&&(n, _)| figure.claims[n].stated_by.party == party)
            .map(|&(n, key)| (key, analysis.claims[n].point))
            .collect();
        if points.len() < 2 {
            continue;
        }
        points.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let path: Vec<String> = points
            .iter()
            .map(|&(key, v)| format!("{},{}", Px(day_x(key)), Px(y(v))))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="party-line" data-party="{}" points="{}"/>"#,
            escape_html(party),
            path.join(" ")
        );
    }
}

/// Claim `n` of figure `f` on the time chart, at `cx`.
fn time_mark(
    svg: &mut String,
    site: &Site,
    f: FigureIx,
    n: usize,
    cx: f64,
    y: &dyn Fn(f64) -> f64,
    top: f64,
) {
    let figure = &site.briefing.figures[f];
    let claim = &figure.claims[n];
    let ca = &site.analysis.figures[f].claims[n];
    let mut class = String::from("claim");
    if !ca.is_current() {
        class.push_str(" superseded");
    }
    if claim.rank == Rank::Disputed {
        class.push_str(" disputed");
    }
    let who = super::context::StatedByCtx::new(site, claim).label;
    let on = claim
        .stated_on
        .as_ref()
        .map(|w| w.label())
        .unwrap_or_default();
    let _ = write!(
        svg,
        r#"<g class="{class}" data-claim="{}"><title>{}: {} {} ({on})</title>"#,
        super::context::claim_anchor(claim, n),
        escape_html(&who),
        escape_html(&super::context::worded(site, claim)),
        escape_html(&figure.unit),
    );
    let (low, high) = (y(ca.bounds.low), ca.bounds.high.map_or(top, y));
    let cx = Px(cx);
    if (low - high).abs() > 0.5 {
        let (low, high) = (Px(low), Px(high));
        let _ = write!(
            svg,
            r#"<path class="mark interval" d="M{cx} {low}V{high}"/>"#
        );
    }
    let _ = write!(
        svg,
        r#"<circle class="mark point" cx="{cx}" cy="{}" r="5"/></g>"#,
        Px(y(ca.point))
    );
}

/// A compact low–best–high strip for the overview's key-figures table.
pub fn range_strip(site: &Site, f: FigureIx) -> String {
    let analysis = &site.analysis.figures[f];
    let figure = &site.briefing.figures[f];
    let (axis_max, _) = axis(analysis.high * 1.1);
    let width = 160.0;
    let x = |v: f64| 4.0 + (v / axis_max).clamp(0.0, 1.0) * (width - 8.0);
    let (low, high) = (x(analysis.low), x(analysis.high));
    let (lx, hx, bx) = (Px(low), Px(high), Px(x(analysis.best)));
    let open = if analysis.open_ended {
        format!(
            r#"<path class="strip-open" d="M{hx} 8H{}"/>"#,
            Px(width - 2.0)
        )
    } else {
        String::new()
    };
    format!(
        r#"<svg class="strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 16" width="{width}" height="16" role="img"><title>{}: low {}, best {}, high {}{} {}</title><path class="strip-axis" d="M4 8H{}"/><path class="strip-range" d="M{lx} 8H{}"/>{open}<circle class="strip-best" cx="{bx}" cy="8" r="4"/></svg>"#,
        escape_html(&figure.label),
        format_number(analysis.low),
        format_number(analysis.best),
        format_number(analysis.high),
        if analysis.open_ended {
            "+ (open-ended)"
        } else {
            ""
        },
        escape_html(&figure.unit),
        Px(width - 4.0),
        Px(high.max(low + 1.0)),
    )
}

#[cfg(test)]
mod tests {
    use super::{Px, axis};

    #[test]
    fn coordinates_are_written_as_one_decimal_formatting_writes_them() {
        // Ties in binary and in decimal (0.25, 0.15, 2.675), signs, zeros, large values
        // and a spread of fractions.
        let mut values = vec![0.0, -0.0, 0.04, -0.04, 0.05, 0.15, 0.25, 0.35, 2.675, -2.25];
        values.extend([1e8, 1e9 / 7.0, 1e12 + 0.05, f64::NAN, f64::INFINITY, -1e300]);
        values.extend((0..20_000).map(|n| f64::from(n) * 0.0137 - 40.0));
        values.extend((0..2_000).map(|n| f64::from(n) / 20.0));
        for v in values {
            assert_eq!(Px(v).to_string(), format!("{v:.1}"), "{v}");
        }
    }

    #[test]
    fn axes_are_round() {
        assert_eq!(axis(19.55), (20.0, 5.0));
        let (max, step) = axis(140.0);
        assert!(max >= 140.0 && (max / step).fract() == 0.0);
        assert_eq!(axis(0.0), (1.0, 1.0));
    }
}
