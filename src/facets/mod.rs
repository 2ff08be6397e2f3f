//! Facets: the fixed, typed properties readers browse and filter by (place, category,
//! actor, outcome, source, stated-by party, month). [`of_incident`] is the one statement
//! of what an incident's facet values are; the search index (`search/site.rs`) indexes
//! them as `facet:value` terms and the browse pages ([`Browse`], built with the site's
//! index) list the incidents of each value, so a filter on a browse page and a facet term
//! of the search index always mean the same thing.

mod browse;

pub use browse::{Browse, FacetTerms, IncidentValues, Term, UNDATED, filter_names, month_label};

use crate::model::{DateValue, Figure, Incident, Source};

/// A facet readers browse by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Place,
    Category,
    Actor,
    Outcome,
    Source,
    Party,
    Month,
}

impl Facet {
    /// Every facet, in the order the browse page lists them.
    pub const ALL: [Facet; 7] = [
        Facet::Place,
        Facet::Category,
        Facet::Actor,
        Facet::Outcome,
        Facet::Source,
        Facet::Party,
        Facet::Month,
    ];

    /// The facet's name in search terms (`place:turbat`), URL fragments and folders.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Place => "place",
            Facet::Category => "category",
            Facet::Actor => "actor",
            Facet::Outcome => "outcome",
            Facet::Source => "source",
            Facet::Party => "party",
            Facet::Month => "month",
        }
    }

    /// The plural, the name of the facet's index page (`browse/places.html`).
    pub fn plural(self) -> &'static str {
        match self {
            Facet::Place => "places",
            Facet::Category => "categories",
            Facet::Actor => "actors",
            Facet::Outcome => "outcomes",
            Facet::Source => "sources",
            Facet::Party => "parties",
            Facet::Month => "months",
        }
    }

    /// The facet as a heading ("Places").
    pub fn title(self) -> &'static str {
        match self {
            Facet::Place => "Places",
            Facet::Category => "Categories",
            Facet::Actor => "Actors",
            Facet::Outcome => "Outcomes",
            Facet::Source => "Sources",
            Facet::Party => "Stated by",
            Facet::Month => "Months",
        }
    }

    /// The facet's position in [`Facet::ALL`].
    pub fn position(self) -> usize {
        self as usize
    }
}

/// An incident's facet values, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFacets<'a> {
    /// Country, province and district, widest first.
    pub place: [Option<&'a str>; 3],
    pub category: &'a str,
    pub outcome: &'a str,
    pub actors: &'a [String],
    pub sources: &'a [String],
    /// `YYYY-MM` of the start date, when it has a calendar month.
    pub month: Option<String>,
}

/// What an incident's facet values are: the one place that says so.
pub fn of_incident(incident: &Incident) -> IncidentFacets<'_> {
    let p = &incident.place;
    IncidentFacets {
        place: [
            Some(p.country.as_str()),
            p.province.as_deref(),
            p.district.as_deref(),
        ],
        category: &incident.category,
        outcome: &incident.outcome,
        actors: &incident.actors,
        sources: &incident.sources,
        month: month(&incident.date.start),
    }
}

/// The actor an `actors` entry names: the entry without a trailing note in parentheses
/// ("Baloch Liberation Army (claimed responsibility)" is "Baloch Liberation Army"), so that
/// incidents noting different things about one actor share its browse page.
pub fn actor_name(entry: &str) -> &str {
    match entry.strip_suffix(')').and_then(|_| entry.find(" (")) {
        Some(at) if at > 0 => entry[..at].trim_end(),
        _ => entry,
    }
}

impl IncidentFacets<'_> {
    /// Calls `each` with every facet and value, places widest first (values may repeat).
    pub fn each(&self, each: &mut dyn FnMut(Facet, &str)) {
        for place in self.place.iter().flatten() {
            each(Facet::Place, place);
        }
        each(Facet::Category, self.category);
        each(Facet::Outcome, self.outcome);
        (self.actors.iter()).for_each(|a| each(Facet::Actor, actor_name(a)));
        self.sources.iter().for_each(|s| each(Facet::Source, s));
        if let Some(month) = &self.month {
            each(Facet::Month, month);
        }
    }

    /// The facet terms (`place:turbat`, see [`term`]) of these values, sorted, each once,
    /// separated by spaces: what a list item carries for the browse filter.
    pub fn terms(&self) -> String {
        let mut terms = Vec::new();
        self.each(&mut |facet, value| terms.extend(term(facet, value)));
        terms.sort();
        terms.dedup();
        terms.join(" ")
    }
}

/// A figure's facet values: the place of its scope, and the source and stated-by party of
/// each claim.
pub fn of_figure(figure: &Figure, each: &mut dyn FnMut(Facet, &str)) {
    if let Some(place) = &figure.scope.place {
        each(Facet::Place, place);
    }
    for claim in &figure.claims {
        each(Facet::Source, &claim.source);
        each(Facet::Party, &claim.stated_by.party);
    }
}

/// A source's facet value: its id.
pub fn of_source(source: &Source, each: &mut dyn FnMut(Facet, &str)) {
    each(Facet::Source, &source.id);
}

/// The normalised form of a facet value (its words joined by `-`, see
/// [`crate::search::tokenise::slug`]): values with the same key are one value. Empty when
/// the value has no letters or digits.
pub fn key(value: &str) -> String {
    crate::search::tokenise::slug(value)
}

/// The search term of `value` of `facet` (`place:pasni-port`), or `None` when the value has
/// no letters or digits.
pub fn term(facet: Facet, value: &str) -> Option<String> {
    crate::search::facet_term(facet.name(), value)
}

/// `YYYY-MM` of a date with a calendar month.
fn month(date: &DateValue) -> Option<String> {
    match *date {
        DateValue::Day { year, month, .. } | DateValue::Month { year, month } => {
            Some(format!("{year:04}-{month:02}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::actor_name;

    #[test]
    fn an_actors_note_in_parentheses_is_not_part_of_its_name() {
        let bla = "Baloch Liberation Army";
        assert_eq!(
            actor_name("Baloch Liberation Army (claimed responsibility)"),
            bla
        );
        assert_eq!(actor_name(bla), bla);
        // Parentheses inside the name, or not at the end, stay.
        assert_eq!(actor_name("(unnamed) gunmen"), "(unnamed) gunmen");
        assert_eq!(actor_name("Army (Pakistan) units"), "Army (Pakistan) units");
    }
}
