//! The rows the site-wide listings are made of, each from one item: a figure's matrix row,
//! an incident or a figure's dated claims on the timeline, an incident's values in a browse
//! page's filter. `render::rows` keeps them. HTML is written once as a [`Rooted`], for
//! pages at any folder depth.

use std::fmt::Write;

use crate::escape::escape_html;
use crate::model::{FigureIx, IncidentIx, IxVec, SourceIx, When};
use crate::render::context::*;
use crate::render::rooted::Rooted;
use crate::render::split::Month;
use crate::site::Site;

/// Figure `f`'s row of the matrix, in parts: the heading cell and the cells of the sources
/// that report the figure.
#[derive(Debug, Clone, Default)]
pub(in crate::render) struct MatrixRow {
    /// `<tr>` and the row's heading cell.
    head: Rooted,
    /// The contents of each non-empty cell, by column (the source's position in
    /// `Lookups::sources_by_date`), in column order.
    cells: Vec<(usize, Rooted)>,
}

impl MatrixRow {
    /// The columns (positions in `Lookups::sources_by_date`) with a non-empty cell.
    pub(in crate::render) fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.cells.iter().map(|(column, _)| *column)
    }

    /// The row as HTML for a page at `root` showing `columns` (ascending positions in
    /// `Lookups::sources_by_date`, a superset of the row's own).
    pub(in crate::render) fn html(&self, columns: &[usize], root: &str) -> String {
        let cells: usize = self.cells.iter().map(|(_, cell)| cell.len()).sum();
        let mut row = String::with_capacity(self.head.len() + cells + columns.len() * 9 + 16);
        self.head.write_to(&mut row, root);
        let mut own = self.cells.iter().peekable();
        for &column in columns {
            row.push_str("<td>");
            if let Some((_, cell)) = own.next_if(|(c, _)| *c == column) {
                cell.write_to(&mut row, root);
            }
            row.push_str("</td>");
        }
        row.push_str("\n</tr>\n");
        row
    }
}

/// Figure `f`'s row of the matrix: a cell per source, each the source's claims as links.
/// `column_of` is each source's position in `Lookups::sources_by_date`.
pub(in crate::render) fn matrix_row(
    site: &Site,
    f: FigureIx,
    column_of: &IxVec<SourceIx, usize>,
) -> MatrixRow {
    let b = &site.briefing;
    let figure = &b.figures[f];
    let url = figure_url(&figure.id);
    let mut head = Rooted::default();
    head.push_str("<tr>\n<th scope=\"row\"><a href=\"");
    head.link(&url);
    let _ = write!(
        head,
        "\">{}</a> <span class=\"unit\">({})</span>",
        escape_html(&figure.label),
        escape_html(&figure.unit)
    );
    if let Some(window) = &figure.scope.window {
        let _ = write!(
            head,
            "<br><span class=\"muted\">{}</span>",
            escape_html(window)
        );
    }
    head.push_str("</th>\n");
    let mut claims: Vec<(usize, usize)> = (site.index.claim_sources[f].iter().enumerate())
        .filter_map(|(c, s)| Some((column_of[(*s)?], c)))
        .collect();
    // By column; a cell lists its claims in the figure's order.
    claims.sort_unstable();
    let mut cells: Vec<(usize, Rooted)> = Vec::new();
    for (column, c) in claims {
        let claim = &figure.claims[c];
        let cell = match cells.last_mut() {
            Some((last, cell)) if *last == column => {
                cell.push_str("<br>");
                cell
            }
            _ => {
                cells.push((column, Rooted::default()));
                &mut cells.last_mut().expect("just pushed").1
            }
        };
        let superseded = !site.analysis.figures[f].claims[c].is_current();
        let _ = write!(
            cell,
            "<a class=\"cell-claim{}\" href=\"",
            if superseded { " superseded" } else { "" }
        );
        cell.link(&format!("{url}#{}", claim_anchor(claim, c)));
        let _ = write!(
            cell,
            "\" title=\"{}\">{}</a>",
            escape_html(&format!(
                "{}: {} {}",
                StatedByCtx::new(site, claim).label,
                worded(site, claim),
                figure.unit
            )),
            escape_html(&worded(site, claim))
        );
    }
    MatrixRow { head, cells }
}

/// A day on the timeline: its sort key and its heading.
type DayKey = ((u8, i64), String);

/// One incident or statement on the timeline, with the day it is listed under.
#[derive(Debug, Clone)]
pub(in crate::render) struct TimelineEntry {
    pub(in crate::render) day: DayKey,
    /// The month the entry is listed under when the timeline is split by month.
    pub(in crate::render) month: Month,
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
    /// The entry as an HTML list item on a timeline page.
    pub(in crate::render) html: Rooted,
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
        let mut html = Rooted::default();
        let _ = write!(
            html,
            "<li class=\"entry-{name}\">{time}<span class=\"badge kind\">{name}</span> <a href=\""
        );
        html.link(url);
        let _ = writeln!(
            html,
            "\">{}</a>{}<br><span class=\"meta\">{}</span></li>",
            escape_html(&title),
            if date.is_inferred() {
                " <span class=\"badge inferred\">inferred</span>"
            } else {
                ""
            },
            escape_html(detail),
        );
        TimelineEntry {
            month: Month::of(date),
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
    /// (`Lookups::incidents_by_time`: date, time, title, index).
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
pub(in crate::render) fn timeline_incident(site: &Site, i: IncidentIx) -> TimelineEntry {
    let incident = &site.briefing.incidents[i];
    TimelineEntry::new(
        &incident.date,
        0,
        (i.get(), 0),
        incident.title.clone(),
        &incident_url(&incident.id),
        &format!("{} · {}", incident.place, incident.outcome),
    )
}

/// Figure `f`'s claims with a `stated_on` date, as timeline statements.
pub(in crate::render) fn timeline_statements(site: &Site, f: FigureIx) -> Vec<TimelineEntry> {
    let figure = &site.briefing.figures[f];
    let mut entries = Vec::new();
    for (c, claim) in figure.claims.iter().enumerate() {
        let Some(date) = &claim.stated_on else {
            continue;
        };
        entries.push(TimelineEntry::new(
            date,
            1,
            (f.get(), c),
            format!("{}: {} {}", figure.label, worded(site, claim), figure.unit),
            &format!("{}#{}", figure_url(&figure.id), claim_anchor(claim, c)),
            &format!("{} — {}", StatedByCtx::new(site, claim).label, claim.source),
        ));
    }
    entries
}
