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
        Job::SearchScript | Job::SearchManifest | Job::SearchTerms(_) | Job::SearchDocs(_) => {
            search_files::inputs(site, job)
        }
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
