//! The input map: every output file with the [`Input`]s it declares, and for each input
//! the files that read it, so that the files to render again after an edit are looked up,
//! not worked out by a second set of rules. `sitrep serve` keeps it between rebuilds.

use std::collections::{BTreeSet, HashMap};

use ahash::RandomState;
use rayon::prelude::*;

use super::inputs::Input;
use super::{Job, exports, feeds, pages, search_files};
use crate::site::Site;
/// The inputs of `job`.
pub fn of_job(site: &Site, job: Job) -> Vec<Input> {
    match job {
        Job::ClaimsCsv => exports::claims_csv_inputs(),
        Job::IncidentsCsv => exports::incidents_csv_inputs(),
        Job::MatrixCsv => exports::matrix_csv_inputs(),
        Job::FiguresJson => exports::figures_json_inputs(),
        Job::Sitemap | Job::SitemapPart(_) | Job::Robots | Job::Feed => feeds::inputs(job),
        Job::SearchScript
        | Job::SearchManifest
        | Job::SearchTerms(_)
        | Job::SearchDocs(_)
        | Job::SearchLabels(_) => search_files::inputs(site, job),
        _ => pages::inputs(site, job),
    }
}

/// Every output file of a site with the inputs it reads, and for each input the files that
/// read it.
#[derive(Debug, Default)]
pub struct InputMap {
    readers: HashMap<Input, Vec<Job>, RandomState>,
    /// The inputs of each output file of one item (incident, figure, source, page): those
    /// follow the relations between items, so they are declared again when re-rendered.
    inputs: HashMap<Job, Vec<Input>, RandomState>,
}

impl InputMap {
    /// The map of every output file of `site`.
    pub fn of(site: &Site) -> InputMap {
        let jobs = super::pages(site);
        let declared: Vec<(Job, Vec<Input>)> = (jobs.into_par_iter())
            .map(|job| (job, of_job(site, job)))
            .collect();
        let mut map = InputMap::default();
        for (job, inputs) in declared {
            map.declare(job, inputs);
        }
        map
    }

    fn declare(&mut self, job: Job, inputs: Vec<Input>) {
        for &input in &inputs {
            self.readers.entry(input).or_default().push(job);
        }
        if per_item(job) {
            self.inputs.insert(job, inputs);
        }
    }

    /// The output files that read any of `changed`.
    pub fn readers(&self, changed: &[Input]) -> BTreeSet<Job> {
        (changed.iter())
            .filter_map(|input| self.readers.get(input))
            .flatten()
            .copied()
            .collect()
    }

    /// Declares the inputs of `jobs` (rendered from `site`) again.
    pub fn redeclare(&mut self, site: &Site, jobs: &BTreeSet<Job>) {
        for &job in jobs.iter().filter(|&&job| per_item(job)) {
            for input in self.inputs.remove(&job).unwrap_or_default() {
                if let Some(readers) = self.readers.get_mut(&input) {
                    readers.retain(|&j| j != job);
                }
            }
            self.declare(job, of_job(site, job));
        }
    }
}

/// Whether `job` renders one item, whose inputs follow the relations between items.
fn per_item(job: Job) -> bool {
    matches!(
        job,
        Job::Incident(_) | Job::Figure(_) | Job::Source(_) | Job::Archive(_) | Job::Page(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FigureIx, SourceIx};
    use crate::render::split::Listing;
    use crate::site::{self, Overrides};

    /// The valid fixture with listings split into pages of one entry.
    fn split_site() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let (site, diagnostics) = site::load(&root, &Overrides::default());
        let mut site = site.unwrap_or_else(|| panic!("the valid fixture loads: {diagnostics:?}"));
        site.config.listings.page_size = 1;
        site
    }

    #[test]
    fn a_summary_is_read_by_the_list_page_that_shows_it_only() {
        let site = split_site();
        assert!(site.briefing.figures.len() >= 2 && site.briefing.sources.len() >= 2);
        let map = InputMap::of(&site);
        // One entry a page: figure 1 is on the figure list's second page, source 1 on the
        // source list's; an edit of either re-renders that page and no other list page.
        let figure = map.readers(&[Input::FigureSummary(FigureIx::new(1))]);
        let source = map.readers(&[Input::SourceSummary(SourceIx::new(1))]);
        for (readers, listing, first) in [
            (figure, Listing::Figures, Job::FigureList),
            (source, Listing::Sources, Job::SourceList),
        ] {
            let lists: Vec<Job> = (readers.into_iter())
                .filter(|&job| job == first || matches!(job, Job::ListPage(l, _) if l == listing))
                .collect();
            assert_eq!(lists, [Job::ListPage(listing, 1)]);
        }
    }
}
