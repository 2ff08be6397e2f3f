//! Rows of the site-wide listings, each made from one figure or incident: matrix rows,
//! timeline entries, `claims.csv` and `incidents.csv` rows, `figures.json` entries and
//! incident list items. The
//! listings are put together from these rows, so a listing of thousands of items can be
//! remade from kept rows after an edit of one. So are the orders and groupings the split
//! listings are cut by: the timeline's entries in order and by month, the checks by month
//! (`check_months.rs`) and the figures on each page of the matrix, so that a page of a
//! split listing costs what it shows.
//!
//! A build makes each row when its listing needs it and keeps only incident list items
//! (three kinds of page show them).
//! `sitrep serve` keeps every row between rebuilds and forgets those whose input changed:
//! each row is keyed by the input it is made from (see `cache.rs`).

use std::borrow::{Borrow, Cow};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::{Mutex, OnceLock};

use tera::{Context, Value};

use super::cache::{Slot, Slots};
use super::check_months::CheckMonths;
use super::data;
use super::filter_options::FilterOrder;
use super::inputs::{Input, SiteFact};
use super::listing_rows::{self, MatrixRow, TimelineEntry};
use super::paginate::page_range;
use super::rooted::Rooted;
use super::shared::{Shared, with_entry};
use super::split::{self, Month, MonthCounts};
use super::templates::Templates;
use crate::facets::{self, IncidentValues};
use crate::model::{FigureIx, IncidentIx, IxVec, SourceIx};
use crate::site::Site;

/// An incident list a page shows.
#[derive(Debug, Clone)]
pub(in crate::render) enum IncidentList {
    /// Every incident in time order, on a page at the site root.
    All,
    /// The incidents that list source `s`, on its page (one folder down).
    OfSource(SourceIx),
    /// The latest incidents, newest first, on the overview of a long briefing (see
    /// `pages::overview`).
    Latest(Vec<IncidentIx>),
    /// The incidents a browse page shows and the page's `root`, each carrying its facet
    /// terms for the browse filter (see `pages/browse.rs`).
    Browse(Vec<IncidentIx>, String),
}

/// The checks one page of a month of the checks listing shows.
#[derive(Debug, Default)]
pub(in crate::render) struct CheckPage {
    /// Positions in `Analysis::checks`, in the order shown.
    pub(in crate::render) shown: Vec<usize>,
    /// How many checks the month lists, and how many of them failed.
    pub(in crate::render) total: usize,
    pub(in crate::render) failed: usize,
}

/// The template that renders one incident of a list.
const INCIDENT_ITEM_TEMPLATE: &str = "incident_item.html";

/// Rows of one site. Every method must be given the site the rows were made for.
#[derive(Debug)]
pub(super) struct Rows {
    /// Whether matrix rows and data file rows are kept once made (the others always are).
    keep: bool,
    matrix: Slots<FigureIx, MatrixRow>,
    /// Each source's position in `Lookups::sources_by_date` (its column in the matrix).
    column_of: Slot<IxVec<SourceIx, usize>>,
    /// Each figure's dated claims on the timeline.
    statements: Slots<FigureIx, Vec<TimelineEntry>>,
    /// Each incident on the timeline.
    timeline_incidents: Slots<IncidentIx, TimelineEntry>,
    csv: Slots<FigureIx, Vec<u8>>,
    /// Each incident's `incidents.csv` row.
    incidents_csv: Slots<IncidentIx, Vec<u8>>,
    matrix_csv: Slots<FigureIx, Vec<u8>>,
    json: Slots<FigureIx, Vec<u8>>,
    /// Each incident as a list item, for pages at the site root and one folder down.
    incident_items: [Slots<IncidentIx, String>; 2],
    /// Each incident as a browse list item (with its facet terms), for pages at any depth.
    browse_items: Slots<IncidentIx, Option<Rooted>>,
    /// Each incident's browse values (kept also in a build: a browse page's filter counts
    /// the values of the incidents it shows).
    incident_values: Slot<IncidentValues>,
    /// The browse filter's options of every facet in the order it lists them (kept also in
    /// a build: every browse page's filter lists some).
    filter_order: Slot<FilterOrder>,
    /// Every incident's item at the site root, in time order, joined.
    all_incidents: Slot<Value>,
    timeline_order: Mutex<TimelineOrder>,
    /// The checks by month (kept also in a build: each month page shows some).
    check_months: Mutex<CheckMonths>,
    /// The figures on each page of the matrix (`split::matrix_pages`).
    matrix_pages: Slot<Vec<Range<usize>>>,
}

/// Where a timeline entry comes from: an incident, or a figure's dated claim (its position
/// among the figure's statements).
#[derive(Debug, Clone, Copy)]
enum TimelineItem {
    Incident(IncidentIx),
    Statement(FigureIx, usize),
}

/// The timeline's entries in order, kept with the rows they come from: the entries of
/// forgotten rows are taken out (also from their months), and put back in order once
/// remade, so the timeline is neither sorted nor cut into months again for each edit.
#[derive(Debug, Default)]
struct TimelineOrder {
    /// Every entry in timeline order, once the timeline has been made.
    entries: Option<Vec<TimelineItem>>,
    /// Figures and incidents whose entries were taken out since.
    figures: BTreeSet<FigureIx>,
    incidents: BTreeSet<IncidentIx>,
    /// `entries` by month (months with entries only), in timeline order within each, once
    /// a month page asked.
    months: Option<BTreeMap<Month, Vec<TimelineItem>>>,
}

/// The row in `cell`, made with `make` the first time when rows are kept, else made anew.
fn row<T: ToOwned + ?Sized>(
    keep: bool,
    cell: &OnceLock<T::Owned>,
    make: impl FnOnce() -> T::Owned,
) -> Cow<'_, T> {
    match keep {
        true => Cow::Borrowed(cell.get_or_init(make).borrow()),
        false => Cow::Owned(make()),
    }
}

impl Rows {
    /// Rows for a build: matrix rows and data file rows are made, used once and dropped.
    pub(super) fn new(site: &Site) -> Rows {
        let (figures, incidents) = (site.briefing.figures.len(), site.briefing.incidents.len());
        let (front, figure) = (Input::IncidentFront, Input::Figure);
        let incident_items = || Slots::new(incidents, front);
        Rows {
            keep: false,
            matrix: Slots::new(figures, figure),
            column_of: Slot::new(Input::Fact(SiteFact::SourceSummaries)),
            statements: Slots::new(figures, figure),
            timeline_incidents: Slots::new(incidents, front),
            csv: Slots::new(figures, figure),
            incidents_csv: Slots::new(incidents, front),
            matrix_csv: Slots::new(figures, figure),
            json: Slots::new(figures, figure),
            incident_items: [incident_items(), incident_items()],
            browse_items: Slots::new(incidents, front),
            incident_values: Slot::new(Input::Fact(SiteFact::Browse)),
            filter_order: Slot::new(Input::Fact(SiteFact::Browse)),
            all_incidents: Slot::new(Input::Fact(SiteFact::Incidents)),
            timeline_order: Mutex::default(),
            check_months: Mutex::default(),
            matrix_pages: Slot::new(Input::Fact(SiteFact::MatrixPages)),
        }
    }

    /// These rows, kept once made, until forgotten.
    pub(super) fn kept(self) -> Rows {
        Rows { keep: true, ..self }
    }

    /// Forgets the rows made from any of `changed`, and takes their entries out of the
    /// timeline's order (to be put back once remade).
    pub(super) fn forget(&mut self, changed: &[Input]) {
        let listed = self.timeline_months_of(changed);
        self.matrix.forget(changed);
        self.matrix_pages.forget(changed);
        (self.check_months.get_mut())
            .unwrap_or_else(|e| e.into_inner())
            .forget(changed);
        self.column_of.forget(changed);
        let figures = self.statements.forget(changed);
        self.csv.forget(changed);
        self.incidents_csv.forget(changed);
        self.matrix_csv.forget(changed);
        self.json.forget(changed);
        let incidents = self.timeline_incidents.forget(changed);
        for items in &mut self.incident_items {
            items.forget(changed);
        }
        self.browse_items.forget(changed);
        self.incident_values.forget(changed);
        self.filter_order.forget(changed);
        self.all_incidents.forget(changed);
        let order = self
            .timeline_order
            .get_mut()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(entries) = &mut order.entries {
            let kept = |e: &TimelineItem| match e {
                TimelineItem::Statement(f, _) => !figures.contains(f),
                TimelineItem::Incident(i) => !incidents.contains(i),
            };
            entries.retain(kept);
            if let Some(months) = &mut order.months {
                for month in listed {
                    if let Some(items) = months.get_mut(&month) {
                        items.retain(kept);
                        if items.is_empty() {
                            months.remove(&month);
                        }
                    }
                }
            }
            order.figures.extend(figures);
            order.incidents.extend(incidents);
        }
    }

    /// The months the kept timeline entries of the rows made from `changed` are listed
    /// under (entries not made are in no month's list).
    fn timeline_months_of(&self, changed: &[Input]) -> BTreeSet<Month> {
        let mut months = BTreeSet::new();
        for &input in changed {
            match input {
                Input::IncidentFront(i) => {
                    months.extend(self.timeline_incidents.get(i).map(|e| e.month));
                }
                Input::Figure(f) => {
                    let statements = self.statements.get(f).into_iter().flatten();
                    months.extend(statements.map(|e| e.month));
                }
                _ => {}
            }
        }
        months
    }

    /// The figures on each page of the matrix (see `split::matrix_pages`).
    pub(super) fn matrix_pages(&self, site: &Site) -> &[Range<usize>] {
        (self.matrix_pages.cell()).get_or_init(|| split::matrix_pages(site))
    }

    /// The checks listed under `month` on page `page` of its pages, failed ones first, and
    /// how many the month lists and how many of them failed.
    pub(super) fn month_checks(&self, site: &Site, month: Month, page: usize) -> CheckPage {
        let mut months = self.check_months.lock().unwrap_or_else(|e| e.into_inner());
        let Some(checks) = months.months(site).get(&month) else {
            return CheckPage::default();
        };
        let range = page_range(page, checks.checks.len(), site.config.listings.page_size);
        CheckPage {
            shown: checks.checks[range].to_vec(),
            total: checks.checks.len(),
            failed: checks.failed,
        }
    }

    /// How many checks each month lists, and how many of them failed (months without
    /// failed checks left out).
    pub(super) fn check_month_counts(&self, site: &Site) -> (MonthCounts, MonthCounts) {
        let mut months = self.check_months.lock().unwrap_or_else(|e| e.into_inner());
        months.counts(site)
    }

    /// Each source's column in the matrix.
    fn column_of(&self, site: &Site) -> &IxVec<SourceIx, usize> {
        self.column_of.cell().get_or_init(|| {
            let mut column_of = IxVec::filled(site.briefing.sources.len(), 0);
            for (column, &s) in site.index.sources_by_date.iter().enumerate() {
                column_of[s] = column;
            }
            column_of
        })
    }

    /// Figure `f`'s row of the matrix.
    pub(super) fn matrix_row(&self, site: &Site, f: FigureIx) -> Cow<'_, MatrixRow> {
        let make = || listing_rows::matrix_row(site, f, self.column_of(site));
        row::<MatrixRow>(self.keep, self.matrix.cell(f), make)
    }

    /// Figure `f`'s cells of the matrix as `matrix.csv` rows.
    pub(super) fn matrix_csv_rows(&self, site: &Site, f: FigureIx) -> Cow<'_, [u8]> {
        let make = || data::matrix_rows(site, f, self.column_of(site));
        row(self.keep, self.matrix_csv.cell(f), make)
    }

    /// Shows every incident and dated claim on the timeline, in timeline order (see
    /// [`TimelineEntry::timeline_cmp`]), to `show`. A build makes the entries for this call
    /// only; kept rows keep them, with their order.
    pub(super) fn timeline<R>(&self, site: &Site, show: impl FnOnce(&[&TimelineEntry]) -> R) -> R {
        if !self.keep {
            let b = &site.briefing;
            let incidents = IncidentIx::all(b.incidents.len())
                .map(|i| listing_rows::timeline_incident(site, i));
            let statements = FigureIx::all(b.figures.len())
                .flat_map(|f| listing_rows::timeline_statements(site, f));
            let mut entries: Vec<TimelineEntry> = incidents.chain(statements).collect();
            // No two entries are equal in the timeline order.
            entries.sort_unstable_by(TimelineEntry::timeline_cmp);
            return show(&entries.iter().collect::<Vec<_>>());
        }
        let order = self.ordered(site);
        let entries = order.entries.iter().flatten();
        show(&entries.map(|e| self.entry(site, *e)).collect::<Vec<_>>())
    }

    /// Shows the timeline entries of `month` that page `page` of its pages lists, in
    /// timeline order, and how many entries the month holds, to `show`. Entries are kept
    /// once made, with their order, also in a build (each month page shows some).
    pub(super) fn timeline_month<R>(
        &self,
        site: &Site,
        month: Month,
        page: usize,
        show: impl FnOnce(&[&TimelineEntry], usize) -> R,
    ) -> R {
        let mut order = self.ordered(site);
        let items = self.months(site, &mut order).get(&month);
        let items = items.map_or(&[][..], Vec::as_slice);
        let range = page_range(page, items.len(), site.config.listings.page_size);
        let entries: Vec<&TimelineEntry> = (items[range].iter())
            .map(|&e| self.entry(site, e))
            .collect();
        let total = items.len();
        drop(order);
        show(&entries, total)
    }

    /// How many entries the timeline lists under each month.
    pub(super) fn timeline_month_counts(&self, site: &Site) -> MonthCounts {
        let mut order = self.ordered(site);
        let months = self.months(site, &mut order);
        (months.iter())
            .map(|(&m, items)| (m, items.len()))
            .collect()
    }

    /// The timeline's entries by month, cut from `order` the first time.
    fn months<'a>(
        &self,
        site: &Site,
        order: &'a mut TimelineOrder,
    ) -> &'a BTreeMap<Month, Vec<TimelineItem>> {
        let entries = order.entries.iter().flatten();
        order.months.get_or_insert_with(|| {
            let mut months: BTreeMap<Month, Vec<TimelineItem>> = BTreeMap::new();
            for &item in entries {
                let month = self.entry(site, item).month;
                months.entry(month).or_default().push(item);
            }
            months
        })
    }

    /// The timeline's order, brought up to date: entries taken out since put back in
    /// order, or every entry sorted the first time.
    fn ordered(&self, site: &Site) -> std::sync::MutexGuard<'_, TimelineOrder> {
        let mut guard = self
            .timeline_order
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let order = &mut *guard;
        let in_order = |a: &TimelineItem, b: &TimelineItem| {
            let (a, b) = (self.entry(site, *a), self.entry(site, *b));
            a.timeline_cmp(b)
        };
        match &mut order.entries {
            Some(entries) => {
                let incidents = std::mem::take(&mut order.incidents);
                let mut remade: Vec<TimelineItem> =
                    incidents.into_iter().map(TimelineItem::Incident).collect();
                for f in std::mem::take(&mut order.figures) {
                    let count = self.statements(site, f).len();
                    remade.extend((0..count).map(|n| TimelineItem::Statement(f, n)));
                }
                for new in remade {
                    let at = entries.partition_point(|e| in_order(e, &new).is_lt());
                    entries.insert(at, new);
                    if let Some(months) = &mut order.months {
                        let month = self.entry(site, new).month;
                        let items = months.entry(month).or_default();
                        let at = items.partition_point(|e| in_order(e, &new).is_lt());
                        items.insert(at, new);
                    }
                }
            }
            None => {
                let b = &site.briefing;
                let mut entries: Vec<TimelineItem> = IncidentIx::all(b.incidents.len())
                    .map(TimelineItem::Incident)
                    .collect();
                for f in FigureIx::all(b.figures.len()) {
                    let count = self.statements(site, f).len();
                    entries.extend((0..count).map(|n| TimelineItem::Statement(f, n)));
                }
                // No two entries are equal in the timeline order.
                entries.sort_unstable_by(in_order);
                order.entries = Some(entries);
                order.months = None;
            }
        }
        guard
    }

    /// The kept entry of `entry`, made the first time.
    fn entry(&self, site: &Site, entry: TimelineItem) -> &TimelineEntry {
        match entry {
            TimelineItem::Incident(i) => (self.timeline_incidents)
                .get_or_make(i, || listing_rows::timeline_incident(site, i)),
            TimelineItem::Statement(f, n) => &self.statements(site, f)[n],
        }
    }

    /// Figure `f`'s dated claims on the timeline.
    fn statements(&self, site: &Site, f: FigureIx) -> &[TimelineEntry] {
        (self.statements).get_or_make(f, || listing_rows::timeline_statements(site, f))
    }

    /// Figure `f`'s claims as `claims.csv` rows.
    pub(super) fn csv_rows(&self, site: &Site, f: FigureIx) -> Cow<'_, [u8]> {
        row(self.keep, self.csv.cell(f), || data::claim_rows(site, f))
    }

    /// Incident `i`'s row of `incidents.csv`.
    pub(super) fn incident_csv_row(&self, site: &Site, i: IncidentIx) -> Cow<'_, [u8]> {
        row(self.keep, self.incidents_csv.cell(i), || {
            data::incident_row(site, i)
        })
    }

    /// Each incident's browse filter values: the browse table read the other way.
    pub(super) fn incident_values(&self, site: &Site) -> &IncidentValues {
        let incidents = site.briefing.incidents.len();
        (self.incident_values.cell())
            .get_or_init(|| (site.index.browse).filter_values_of_incidents(incidents))
    }

    /// The browse filter's options of every facet, in the order the filter lists them.
    pub(super) fn filter_order(&self, site: &Site) -> &FilterOrder {
        (self.filter_order.cell()).get_or_init(|| FilterOrder::new(site))
    }

    /// Figure `f`'s entry in `figures.json`.
    pub(super) fn json_entry(&self, site: &Site, f: FigureIx) -> Cow<'_, [u8]> {
        row(self.keep, self.json.cell(f), || data::figure_entry(site, f))
    }

    /// The `incident_item.html` items of `list`, joined. Items are kept, also in a build
    /// (the overview, the incident list and source pages show the same items), and so is
    /// the list of all incidents.
    pub(super) fn incident_list(
        &self,
        site: &Site,
        templates: &Templates,
        shared: &Shared,
        list: IncidentList,
    ) -> Result<Value, tera::Error> {
        match list {
            IncidentList::All => {
                if let Some(html) = self.all_incidents.cell().get() {
                    return Ok(html.clone());
                }
                let incidents = &site.index.incidents_by_time;
                let html = self.items(site, templates, shared, 0, incidents)?;
                let cell = self.all_incidents.cell();
                Ok(cell.get_or_init(|| Value::from(html)).clone())
            }
            IncidentList::Latest(incidents) => Ok(Value::from(
                self.items(site, templates, shared, 0, &incidents)?,
            )),
            IncidentList::OfSource(s) => {
                let incidents = &site.index.incidents_of_source[s];
                Ok(Value::from(
                    self.items(site, templates, shared, 1, incidents)?,
                ))
            }
            IncidentList::Browse(incidents, root) => Ok(Value::from(
                self.browse_items(site, templates, shared, &incidents, &root)?,
            )),
        }
    }

    /// The browse items of `incidents` for a page whose `root` is given, joined. Items are
    /// kept, also in a build: an incident is on the pages of each of its facet values.
    fn browse_items(
        &self,
        site: &Site,
        templates: &Templates,
        shared: &Shared,
        incidents: &[IncidentIx],
        root: &str,
    ) -> Result<String, tera::Error> {
        // The item's context, for `render` at any root.
        let context = |i: IncidentIx| {
            let terms = facets::of_incident(&site.briefing.incidents[i]).terms();
            let incident = with_entry(shared.incident(site, i), "facets", terms.into());
            let mut context = Context::new();
            context.insert_value("incident", incident);
            context
        };
        let render = |context: &mut Context, root: &str| {
            context.insert("root", root);
            templates.tera.render(INCIDENT_ITEM_TEMPLATE, context)
        };
        let mut items = Vec::with_capacity(incidents.len());
        for &i in incidents {
            let cell = self.browse_items.cell(i);
            let item = match cell.get() {
                Some(item) => item,
                None => {
                    let mut context = context(i);
                    let up = render(&mut context, "../")?;
                    let bare = render(&mut context, "")?;
                    cell.get_or_init(|| Rooted::from_renderings(bare, &up))
                }
            };
            items.push((i, item));
        }
        // Sized once: a list holds up to a page of items (500 by default).
        let len = (items.iter()).map(|(_, item)| item.as_ref().map_or(0, |r| r.len_at(root)));
        let mut html = String::with_capacity(len.sum());
        for (i, item) in items {
            match item {
                Some(item) => item.write_to(&mut html, root),
                None => html.push_str(&render(&mut context(i), root)?),
            }
        }
        Ok(html)
    }

    /// The items of `incidents` for a page `depth` folders below the site root, joined. A
    /// build keeps the items of source pages (an incident is on the page of each source that
    /// reports it); those at the root make up the kept list of all incidents.
    fn items(
        &self,
        site: &Site,
        templates: &Templates,
        shared: &Shared,
        depth: usize,
        incidents: &[IncidentIx],
    ) -> Result<String, tera::Error> {
        let root = ["", "../"][depth];
        let render = |i: IncidentIx| {
            let mut context = Context::new();
            context.insert_value("incident", shared.incident(site, i));
            context.insert("root", root);
            templates.tera.render(INCIDENT_ITEM_TEMPLATE, &context)
        };
        let keep = self.keep || depth > 0;
        let mut html = String::new();
        for &i in incidents {
            if !keep {
                html.push_str(&render(i)?);
                continue;
            }
            let cell = self.incident_items[depth].cell(i);
            let item = match cell.get() {
                Some(item) => item,
                None => {
                    let mut item = render(i)?;
                    // Tera sizes its output for the template, several times an item's length.
                    item.shrink_to_fit();
                    cell.get_or_init(|| item)
                }
            };
            html.push_str(item);
        }
        Ok(html)
    }
}
