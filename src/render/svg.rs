//! Inline SVG charts drawn at build time, with no JavaScript: a claims chart per figure
//! (each claim a point or an interval on a shared axis) and a compact range strip for the
//! overview. Every text node is escaped; each chart has a `<title>` and `<desc>`.

use std::fmt::Write;

use crate::markdown::escape_html;

use crate::analyse::qualifiers::format_number;
use crate::model::Rank;
use crate::site::Site;

const WIDTH: f64 = 760.0;
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

/// The claims chart of figure `f`.
pub fn figure_chart(site: &Site, f: usize) -> String {
    let figure = &site.briefing.figures[f];
    let analysis = &site.analysis.figures[f];
    let claims = &analysis.claims;
    let data_max = claims
        .iter()
        .map(|c| c.bounds.high.unwrap_or(c.bounds.low).max(c.point))
        .fold(analysis.high, f64::max);
    let (axis_max, step) = axis(data_max * 1.15);
    let plot = WIDTH - LABEL_WIDTH - RIGHT_PAD;
    let x = |v: f64| LABEL_WIDTH + (v / axis_max).clamp(0.0, 1.0) * plot;
    let height = TOP + ROW * claims.len() as f64 + AXIS;
    let id = format!("chart-{}", figure.id);
    let mut svg = String::with_capacity(2048 + 400 * claims.len());
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc">"#
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}: every claim on one axis</title><desc id="{id}-desc">{} claims from {} sources. Low {}, best estimate {}, high {}{}. The claims table below gives the same data as text.</desc>"#,
        escape_html(&figure.label),
        claims.len(),
        analysis.sources.len(),
        format_number(analysis.low),
        format_number(analysis.best),
        format_number(analysis.high),
        if analysis.open_ended {
            " (some claims set no upper limit)"
        } else {
            ""
        },
    );
    // Grid and ticks.
    let bottom = TOP + ROW * claims.len() as f64;
    let mut tick = 0.0;
    while tick <= axis_max + step / 2.0 {
        let tx = x(tick);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{tx:.1}" y1="{TOP}" x2="{tx:.1}" y2="{bottom}"/><text class="tick" x="{tx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            bottom + 16.0,
            format_number(tick)
        );
        tick += step;
    }
    // Estimate markers across all rows, explained by one legend line above the plot.
    for (class, value) in [
        ("est-low", analysis.low),
        ("est-high", analysis.high),
        ("est-best", analysis.best),
    ] {
        let vx = x(value);
        let _ = write!(
            svg,
            r#"<line class="{class}" x1="{vx:.1}" y1="{TOP}" x2="{vx:.1}" y2="{bottom}"/>"#
        );
    }
    let _ = write!(
        svg,
        r#"<text class="legend" x="{LABEL_WIDTH}" y="16"><tspan class="est-low-label">low {}</tspan> · <tspan class="est-best-label">best {}</tspan> · <tspan class="est-high-label">high {}{}</tspan></text>"#,
        format_number(analysis.low),
        format_number(analysis.best),
        format_number(analysis.high),
        if analysis.open_ended { "+" } else { "" },
    );
    for (n, (claim, ca)) in figure.claims.iter().zip(claims).enumerate() {
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
        let worded = super::context::worded(site, claim);
        let _ = write!(
            svg,
            r#"<g class="{class}" data-claim="{}"><title>{}: {}</title><text class="claim-label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            super::context::claim_anchor(claim, n),
            escape_html(&label),
            escape_html(&worded),
            LABEL_WIDTH - 8.0,
            cy + 4.0,
            escape_html(&short)
        );
        let lx = x(ca.bounds.low);
        match ca.bounds.high {
            Some(h) if h == ca.bounds.low => {
                let _ = write!(
                    svg,
                    r#"<circle class="mark point" cx="{lx:.1}" cy="{cy:.1}" r="5"/>"#
                );
            }
            Some(h) => {
                let hx = x(h);
                let _ = write!(
                    svg,
                    r#"<path class="mark interval" d="M{lx:.1} {:.1}v8M{lx:.1} {cy:.1}H{hx:.1}M{hx:.1} {:.1}v8"/><circle class="point-value" cx="{:.1}" cy="{cy:.1}" r="3"/>"#,
                    cy - 4.0,
                    cy - 4.0,
                    x(ca.point)
                );
            }
            None => {
                let end = LABEL_WIDTH + plot + RIGHT_PAD / 2.0;
                let _ = write!(
                    svg,
                    r#"<path class="mark open" d="M{lx:.1} {:.1}v8M{lx:.1} {cy:.1}H{end:.1}M{:.1} {:.1}L{end:.1} {cy:.1}L{:.1} {:.1}"/>"#,
                    cy - 4.0,
                    end - 6.0,
                    cy - 5.0,
                    end - 6.0,
                    cy + 5.0
                );
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// A compact low–best–high strip for the overview's key-figures table.
pub fn range_strip(site: &Site, f: usize) -> String {
    let analysis = &site.analysis.figures[f];
    let figure = &site.briefing.figures[f];
    let (axis_max, _) = axis(analysis.high * 1.1);
    let width = 160.0;
    let x = |v: f64| 4.0 + (v / axis_max).clamp(0.0, 1.0) * (width - 8.0);
    let (lx, hx, bx) = (x(analysis.low), x(analysis.high), x(analysis.best));
    let open = if analysis.open_ended {
        format!(
            r#"<path class="strip-open" d="M{hx:.1} 8H{:.1}"/>"#,
            width - 2.0
        )
    } else {
        String::new()
    };
    format!(
        r#"<svg class="strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 16" width="{width}" height="16" role="img"><title>{}: low {}, best {}, high {}{}</title><path class="strip-axis" d="M4 8H{:.1}"/><path class="strip-range" d="M{lx:.1} 8H{:.1}"/>{open}<circle class="strip-best" cx="{bx:.1}" cy="8" r="4"/></svg>"#,
        escape_html(&figure.label),
        format_number(analysis.low),
        format_number(analysis.best),
        format_number(analysis.high),
        if analysis.open_ended {
            ", open-ended"
        } else {
            ""
        },
        width - 4.0,
        hx.max(lx + 1.0),
    )
}

#[cfg(test)]
mod tests {
    use super::axis;

    #[test]
    fn axes_are_round() {
        assert_eq!(axis(19.55), (20.0, 5.0));
        let (max, step) = axis(140.0);
        assert!(max >= 140.0 && (max / step).fract() == 0.0);
        assert_eq!(axis(0.0), (1.0, 1.0));
    }
}
