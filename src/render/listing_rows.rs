//! The rows the site-wide listings are made of, each from one item: a figure's matrix row,
//! an incident or a figure's dated claims on the timeline. `render::rows` keeps them.

use std::fmt::Write;

use crate::escape::escape_html;
use crate::model::When;
use crate::render::context::*;
use crate::site::Site;

/// Figure `f`'s row of the matrix: a cell per source, each the source's claims as links.
pub(in crate::render) fn matrix_row(site: &Site, f: usize) -> String {
    let b = &site.briefing;
    let figure = &b.figures[f];
    let mut cells: Vec<Vec<usize>> = vec![Vec::new(); b.sources.len()];
    for (c, claim) in figure.claims.iter().enumerate() {
        if let Some(s) = b.source_index(&claim.source) {
            cells[s].push(c);
        }
    }
    let mut row = String::with_capacity(b.sources.len() * 9 + 200);
    let _ = write!(
        row,
        "<tr>\n<th scope=\"row\"><a href=\"{}\">{}</a> <span class=\"unit\">({})</span>",
        escape_html(&figure_url(&figure.id)),
        escape_html(&figure.label),
        escape_html(&figure.unit)
    );
    if let Some(window) = &figure.scope.window {
        let _ = write!(
            row,
            "<br><span class=\"muted\">{}</span>",
            escape_html(window)
        );
    }
    row.push_str("</th>\n");
    for claims in site.index.sources_by_date.iter().map(|&s| &cells[s]) {
        row.push_str("<td>");
        for (n, &c) in claims.iter().enumerate() {
            let claim = &figure.claims[c];
            if n > 0 {
                row.push_str("<br>");
            }
            let superseded = !site.analysis.figures[f].claims[c].is_current();
            let _ = write!(
                row,
                "<a class=\"cell-claim{}\" href=\"{}#{}\" title=\"{}\">{}</a>",
                if superseded { " superseded" } else { "" },
                escape_html(&figure_url(&figure.id)),
                escape_html(&claim_anchor(claim, c)),
                escape_html(&format!(
                    "{}: {} {}",
                    StatedByCtx::new(site, claim).label,
                    worded(site, claim),
                    figure.unit
                )),
                escape_html(&worded(site, claim))
            );
        }
        row.push_str("</td>");
    }
    row.push_str("\n</tr>\n");
    row
}

/// A day on the timeline: its sort key and its heading.
type DayKey = ((u8, i64), String);

/// One incident or statement on the timeline, with the day it is listed under.
#[derive(Debug, Clone)]
pub(in crate::render) struct TimelineEntry {
    pub(in crate::render) day: DayKey,
    pub(in crate::render) precision: &'static str,
    /// The time of day in minutes, if the date gives one as HH:MM: a day lists its entries
    /// without a time first, then the others by time.
    time: Option<u16>,
    /// 0 for incidents, 1 for statements: a day lists its incidents first (at one time).
    kind: u8,
    title: String,
    /// The incident's index (and 0), or the figure's and the claim's: the order of entries
    /// alike in all else.
    item: (usize, usize),
    /// The entry as an HTML list item on the timeline page (at the site root).
    pub(in crate::render) html: String,
}

impl TimelineEntry {
    fn new(
        date: &When,
        kind: u8,
        item: (usize, usize),
        title: String,
        url: &str,
        detail: &str,
    ) -> TimelineEntry {
        let name = ["incident", "statement"][usize::from(kind)];
        let time = match &date.time {
            Some(time) => format!("<span class=\"time\">{}</span> ", escape_html(time)),
            None => String::new(),
        };
        let html = format!(
            "<li class=\"entry-{name}\">{time}<span class=\"badge kind\">{name}</span> <a href=\"{}\">{}</a>{}<br><span class=\"meta\">{}</span></li>\n",
            escape_html(url),
            escape_html(&title),
            if date.is_inferred() {
                " <span class=\"badge inferred\">inferred</span>"
            } else {
                ""
            },
            escape_html(detail),
        );
        TimelineEntry {
            day: (date.sort_key(), date.start.to_string()),
            precision: date.start.precision(),
            time: date.time_of_day(),
            kind,
            title,
            item,
            html,
        }
    }

    /// The timeline's order: by day; within a day, entries without a time of day first,
    /// then by time; at one time incidents first, then by title, then by incident index or
    /// by figure and claim. For incidents that is their time order
    /// (`Index::incidents_by_time`: date, time, title, index).
    pub(in crate::render) fn timeline_cmp(&self, other: &TimelineEntry) -> std::cmp::Ordering {
        (&self.day, self.time, self.kind, &self.title, self.item).cmp(&(
            &other.day,
            other.time,
            other.kind,
            &other.title,
            other.item,
        ))
    }
}

/// Incident `i` on the timeline.
pub(in crate::render) fn timeline_incident(site: &Site, i: usize) -> TimelineEntry {
    let incident = &site.briefing.incidents[i];
    TimelineEntry::new(
        &incident.date,
        0,
        (i, 0),
        incident.title.clone(),
        &incident_url(&incident.id),
        &format!("{} · {}", incident.place, incident.outcome),
    )
}

/// Figure `f`'s claims with a `stated_on` date, as timeline statements.
pub(in crate::render) fn timeline_statements(site: &Site, f: usize) -> Vec<TimelineEntry> {
    let figure = &site.briefing.figures[f];
    let mut entries = Vec::new();
    for (c, claim) in figure.claims.iter().enumerate() {
        let Some(date) = &claim.stated_on else {
            continue;
        };
        entries.push(TimelineEntry::new(
            date,
            1,
            (f, c),
            format!("{}: {} {}", figure.label, worded(site, claim), figure.unit),
            &format!("{}#{}", figure_url(&figure.id), claim_anchor(claim, c)),
            &format!("{} — {}", StatedByCtx::new(site, claim).label, claim.source),
        ));
    }
    entries
}
