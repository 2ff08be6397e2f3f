//! The options of the browse filter: each facet's values as the filter names and lists
//! them, worked out once per site (every browse page's filter lists some of them).

use crate::facets::{Facet, Term};
use crate::render::context::outcome_word;
use crate::site::Site;

/// The name of `term` of `facet` on browse pages and in the filter.
pub(in crate::render) fn label(site: &Site, facet: Facet, term: &Term) -> String {
    match facet {
        Facet::Outcome => outcome_word(site, &term.label),
        _ => term.title(facet),
    }
}

/// Every facet's terms that are filter values, in the order the filter lists them: months
/// newest first, other values by name (case aside; alike names in the order of their
/// values), each with its name.
#[derive(Debug)]
pub(in crate::render) struct FilterOrder {
    by_facet: Vec<Vec<(u32, String)>>,
}

impl FilterOrder {
    pub(in crate::render) fn new(site: &Site) -> FilterOrder {
        let by_facet = (Facet::ALL.iter())
            .map(|&facet| {
                let terms = site.index.browse.of(facet);
                let mut found: Vec<(&str, u32)> = (terms.iter().enumerate())
                    .filter_map(|(t, term)| Some((term.filter_value()?, t as u32)))
                    .collect();
                found.sort_by_key(|&(value, _)| value);
                let mut options: Vec<(u32, String)> = (found.into_iter())
                    .map(|(_, t)| (t, label(site, facet, &terms[t as usize])))
                    .collect();
                match facet {
                    Facet::Month => options.reverse(),
                    // A stable sort: options named alike stay in the order of their values.
                    _ => options.sort_by_cached_key(|(_, label)| label.to_lowercase()),
                }
                options
            })
            .collect();
        FilterOrder { by_facet }
    }

    /// The terms of `facet` that are filter values, in order, with their names.
    pub(in crate::render) fn of(&self, facet: Facet) -> &[(u32, String)] {
        &self.by_facet[facet.position()]
    }
}
