//! The browse table: every value of every facet, with the incidents (in time order) and,
//! for sources and parties, the claims that have it. Built with the site's index from the
//! values [`of_incident`] states; the browse pages (`render/pages/browse.rs`) only read it.
//!
//! Values are merged by [`key`] (so "Turbat" and "turbat" are one value, as they are one
//! search term). Places form a hierarchy, country › province › district: a place's
//! incidents include those of the places inside it. Each value gets a file name part
//! ([`Term::slug`]) that is a safe slug and unique within its facet.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Facet, key, of_incident, term};
use crate::model::{Briefing, DateValue, FigureIx, IncidentIx, IxVec};

/// The [`Term::key`] of the month page listing incidents without a calendar month.
pub const UNDATED: &str = "undated";

/// Longest file name part kept as it is (a longer one is cut and given a hash).
const MAX_SLUG: usize = 80;

/// Every value of every facet, facet by facet in [`Facet::ALL`] order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Browse {
    pub facets: Vec<FacetTerms>,
}

/// One facet's values, in the order its index page lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct FacetTerms {
    pub facet: Facet,
    pub terms: Vec<Term>,
}

/// One value of a facet.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The normalised value; for places the keys of country, province and district joined
    /// by `/` (an absent province is empty).
    pub key: String,
    /// The file name part of the value's pages: a safe slug, unique within the facet.
    pub slug: String,
    /// The value as written (the first spelling in time order).
    pub label: String,
    /// The value's search term (`place:turbat`), the browse filter's value.
    pub filter: Option<String>,
    /// 0 for countries, 1 for provinces, 2 for districts; 0 for other facets.
    pub depth: usize,
    /// The place this place is in (a position in the same facet's terms).
    pub parent: Option<usize>,
    /// The places in this place.
    pub children: Vec<usize>,
    /// Incident indices, in time order.
    pub incidents: Vec<IncidentIx>,
    /// (figure, claim) pairs, in figure order.
    pub claims: Vec<(FigureIx, usize)>,
}

impl Browse {
    /// The table of `briefing`, whose incidents in time order are `by_time`.
    pub fn build(briefing: &Briefing, by_time: &[IncidentIx]) -> Browse {
        let mut found: Vec<BTreeMap<String, Term>> = vec![BTreeMap::new(); Facet::ALL.len()];
        for &i in by_time {
            let values = of_incident(&briefing.incidents[i]);
            add_places(&mut found[Facet::Place.position()], &values.place, i);
            values.each(&mut |facet, value| {
                if facet == Facet::Place {
                    return;
                }
                let label = match facet {
                    Facet::Source => briefing
                        .source_index(value)
                        .map_or(value, |s| &briefing.sources[s].title),
                    _ => value,
                };
                add(&mut found[facet.position()], facet, value, label, |t| {
                    push_once(&mut t.incidents, i)
                });
            });
            if values.month.is_none() {
                let months = &mut found[Facet::Month.position()];
                let undated = months.entry(UNDATED.into()).or_insert_with(|| {
                    Term::new(UNDATED.into(), "Without a calendar month".into(), None)
                });
                undated.incidents.push(i);
            }
        }
        for (f, figure) in briefing.indexed_figures() {
            for (c, claim) in figure.claims.iter().enumerate() {
                let source = &claim.source;
                let title =
                    (briefing.source_index(source)).map_or(source, |s| &briefing.sources[s].title);
                add(
                    &mut found[Facet::Source.position()],
                    Facet::Source,
                    source,
                    title,
                    |t| t.claims.push((f, c)),
                );
                let party = &claim.stated_by.party;
                let name =
                    (briefing.parties.iter().find(|p| &p.id == party)).map_or(party, |p| &p.name);
                add(
                    &mut found[Facet::Party.position()],
                    Facet::Party,
                    party,
                    name,
                    |t| t.claims.push((f, c)),
                );
            }
        }
        let facets = Facet::ALL
            .iter()
            .zip(found)
            .map(|(&facet, terms)| FacetTerms::new(facet, terms))
            .collect();
        Browse { facets }
    }

    /// Moves incident `i` to its place in every value's incidents after it moved within
    /// `by_time` (the incidents in time order; its facet values unchanged). Returns `false`,
    /// changing nothing, when `i` is or becomes the first incident of a value: a value's
    /// label is its spelling there, so [`Browse::build`] must make the table again.
    pub fn reorder_incident(&mut self, i: IncidentIx, by_time: &[IncidentIx]) -> bool {
        let mut rank: IxVec<IncidentIx, usize> = IxVec::filled(by_time.len(), 0);
        for (r, &x) in by_time.iter().enumerate() {
            rank[x] = r;
        }
        let mut moves = Vec::new();
        for (n, facet) in self.facets.iter().enumerate() {
            for (t, term) in facet.terms.iter().enumerate() {
                let Some(from) = term.incidents.iter().position(|&x| x == i) else {
                    continue;
                };
                let others = term.incidents.iter().filter(|&&x| x != i);
                let to = others.take_while(|&&x| rank[x] < rank[i]).count();
                if from == 0 || to == 0 {
                    return false;
                }
                moves.push((n, t, from, to));
            }
        }
        for (n, t, from, to) in moves {
            let list = &mut self.facets[n].terms[t].incidents;
            list.remove(from);
            list.insert(to, i);
        }
        true
    }

    /// The values of `facet`.
    pub fn of(&self, facet: Facet) -> &[Term] {
        self.facets.get(facet.position()).map_or(&[], |f| &f.terms)
    }

    /// The table read the other way, as the browse filter sees it: the filter values each
    /// of `incidents` incidents has. A value is named by the first of its facet's terms
    /// with its filter value (see [`Term::filter_value`]: districts of one name in two
    /// provinces are one value), each once per incident; terms without one are left out.
    pub fn filter_values_of_incidents(&self, incidents: usize) -> IncidentValues {
        let mut of: Vec<Vec<(Facet, u32)>> = vec![Vec::new(); incidents];
        for f in &self.facets {
            for (term, name) in f.terms.iter().zip(filter_names(&f.terms)) {
                let Some(name) = name else {
                    continue;
                };
                let named = (f.facet, name);
                for &i in &term.incidents {
                    let values = &mut of[i.get()];
                    if !values.contains(&named) {
                        values.push(named);
                    }
                }
            }
        }
        let mut starts = Vec::with_capacity(incidents + 1);
        starts.push(0);
        let mut values = Vec::new();
        for list in of {
            values.extend(list);
            starts.push(values.len() as u32);
        }
        IncidentValues { starts, values }
    }
}

/// For each of a facet's `terms`, the position of the term that names its browse filter
/// value: the first with the same value (see [`Term::filter_value`]: districts of one name
/// in two provinces are one value); `None` for a term without one.
pub fn filter_names(terms: &[Term]) -> Vec<Option<u32>> {
    let mut first: HashMap<&str, u32> = HashMap::new();
    (terms.iter().enumerate())
        .map(|(t, term)| Some(*first.entry(term.filter_value()?).or_insert(t as u32)))
        .collect()
}

/// Each incident's filter values (see [`Browse::filter_values_of_incidents`]): the facet
/// and position of the term naming each, facet by facet.
#[derive(Debug, Default)]
pub struct IncidentValues {
    /// Where each incident's values start in `values`, and where the last one's end.
    starts: Vec<u32>,
    values: Vec<(Facet, u32)>,
}

impl IncidentValues {
    /// Incident `i`'s values.
    pub fn of(&self, i: IncidentIx) -> &[(Facet, u32)] {
        let (start, end) = (self.starts[i.get()], self.starts[i.get() + 1]);
        &self.values[start as usize..end as usize]
    }
}

impl Term {
    fn new(key: String, label: String, filter: Option<String>) -> Term {
        Term {
            key,
            slug: String::new(),
            label,
            filter,
            depth: 0,
            parent: None,
            children: Vec::new(),
            incidents: Vec::new(),
            claims: Vec::new(),
        }
    }

    /// The browse filter's value for this one: the part of its search term after
    /// `facet:` (`turbat`). Values alike in it (districts of one name in two provinces)
    /// are one value to the filter.
    pub fn filter_value(&self) -> Option<&str> {
        Some(self.filter.as_deref()?.split_once(':')?.1)
    }

    /// The value as a heading: months as "March 2025".
    pub fn title(&self, facet: Facet) -> String {
        match facet {
            Facet::Month => month_label(&self.key).unwrap_or_else(|| self.label.clone()),
            _ => self.label.clone(),
        }
    }
}

fn push_once(list: &mut Vec<IncidentIx>, i: IncidentIx) {
    if list.last() != Some(&i) {
        list.push(i);
    }
}

/// Adds `value` of `facet` (shown as `label`) if new, and calls `update` with its term.
fn add(
    terms: &mut BTreeMap<String, Term>,
    facet: Facet,
    value: &str,
    label: &str,
    update: impl FnOnce(&mut Term),
) {
    let key = key(value);
    if key.is_empty() {
        return;
    }
    let term = terms
        .entry(key)
        .or_insert_with_key(|key| Term::new(key.clone(), label.into(), term(facet, value)));
    update(term);
}

/// Adds incident `i` to its country, province and district.
fn add_places(terms: &mut BTreeMap<String, Term>, place: &[Option<&str>; 3], i: IncidentIx) {
    let mut path = String::new();
    for (depth, value) in place.iter().enumerate() {
        let part = value.map(key).unwrap_or_default();
        if depth == 0 && part.is_empty() {
            return;
        }
        if depth > 0 {
            path.push('/');
        }
        path.push_str(&part);
        let Some(value) = value.filter(|_| !part.is_empty()) else {
            continue;
        };
        let term = terms.entry(path.clone()).or_insert_with(|| {
            let mut term = Term::new(path.clone(), value.to_string(), term(Facet::Place, value));
            term.depth = depth;
            term
        });
        push_once(&mut term.incidents, i);
    }
}

impl FacetTerms {
    /// The terms found, put in index order with their hierarchy and file names.
    fn new(facet: Facet, found: BTreeMap<String, Term>) -> FacetTerms {
        let mut terms: Vec<Term> = found.into_values().collect();
        match facet {
            Facet::Place => order_places(&mut terms),
            // Newest first, then the incidents without a month.
            Facet::Month => {
                terms.sort_by(|a, b| (a.key == UNDATED, &b.key).cmp(&(b.key == UNDATED, &a.key)))
            }
            _ => terms.sort_by(|a, b| {
                (a.label.to_lowercase(), &a.key).cmp(&(b.label.to_lowercase(), &b.key))
            }),
        }
        let mut taken = HashSet::new();
        for term in &mut terms {
            let mut slug = file_slug(&term.key);
            let mut n = 2;
            while !taken.insert(slug.clone()) {
                slug = format!("{}-{n}", file_slug(&term.key));
                n += 1;
            }
            term.slug = slug;
        }
        FacetTerms { facet, terms }
    }
}

/// Puts places in hierarchy order (each followed by the places in it, by name) and links
/// parents and children. A place whose parent has no value of its own (a district with no
/// province) hangs from the nearest place above it.
fn order_places(terms: &mut Vec<Term>) {
    let by_key: BTreeMap<String, usize> = (terms.iter().enumerate())
        .map(|(n, t)| (t.key.clone(), n))
        .collect();
    let parent_of = |term: &Term| {
        let mut key = term.key.as_str();
        while let Some((up, _)) = key.rsplit_once('/') {
            if let Some(&p) = by_key.get(up) {
                return Some(p);
            }
            key = up;
        }
        None
    };
    let parents: Vec<Option<usize>> = terms.iter().map(parent_of).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); terms.len()];
    let mut roots = Vec::new();
    for (n, parent) in parents.iter().enumerate() {
        match parent {
            Some(p) => children[*p].push(n),
            None => roots.push(n),
        }
    }
    let name = |n: &usize| (terms[*n].label.to_lowercase(), terms[*n].key.clone());
    for list in children.iter_mut().chain([&mut roots]) {
        list.sort_by_key(name);
    }
    // Depth-first: each place, then the places in it.
    let mut order = Vec::with_capacity(terms.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(n) = stack.pop() {
        order.push(n);
        stack.extend(children[n].iter().rev());
    }
    let mut position = vec![0; terms.len()];
    for (at, &n) in order.iter().enumerate() {
        position[n] = at;
    }
    let mut old: Vec<Option<Term>> = std::mem::take(terms).into_iter().map(Some).collect();
    for &n in &order {
        let mut term = old[n]
            .take()
            .unwrap_or_else(|| unreachable!("each place once"));
        term.parent = parents[n].map(|p| position[p]);
        term.children = children[n].iter().map(|&c| position[c]).collect();
        terms.push(term);
    }
}

/// The file name part for `key`: the key itself when it is a short ASCII safe slug (`/`
/// becomes `_`, which keys never hold otherwise), else its ASCII letters and digits cut
/// short, with a hash of the whole key so that keys alike in ASCII stay apart.
fn file_slug(key: &str) -> String {
    let plain = key.replace('/', "_");
    if crate::model::is_safe_slug(&plain) && plain.len() <= MAX_SLUG {
        return plain;
    }
    let ascii: String = (plain.chars())
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'))
        .take(MAX_SLUG)
        .collect();
    let ascii = ascii.trim_start_matches(['-', '_']);
    let head = if ascii.is_empty() { "v" } else { ascii };
    format!("{head}-{:08x}", fnv(key) as u32)
}

/// FNV-1a: a hash that stays the same from build to build (file names depend on it).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// "March 2025" for `2025-03`.
pub fn month_label(key: &str) -> Option<String> {
    let (year, month) = key.split_once('-')?;
    let date = DateValue::Month {
        year: year.parse().ok()?,
        month: month.parse().ok()?,
    };
    Some(date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_slugs_are_safe_and_keep_apart_what_slugs_alike() {
        assert_eq!(file_slug("turbat"), "turbat");
        assert_eq!(
            file_slug("pakistan/balochistan/kech"),
            "pakistan_balochistan_kech"
        );
        assert_eq!(file_slug("pakistan//kech"), "pakistan__kech");
        let urdu = file_slug("تربت");
        assert!(crate::model::is_safe_slug(&urdu), "{urdu}");
        assert_ne!(urdu, file_slug("کیچ"));
        let long = "a".repeat(120);
        assert!(crate::model::is_safe_slug(&file_slug(&long)));
        assert_ne!(file_slug(&long), file_slug(&"a".repeat(121)));
    }

    /// A value with the incidents given, in that order.
    fn value(key: &str, incidents: &[usize]) -> Term {
        let mut term = Term::new(key.into(), key.into(), None);
        term.incidents = ixs(incidents);
        term
    }

    fn ixs(incidents: &[usize]) -> Vec<IncidentIx> {
        incidents.iter().map(|&i| IncidentIx::new(i)).collect()
    }

    #[test]
    fn a_reordered_incident_moves_within_each_value_unless_it_is_first() {
        // Time order 3, 0, 1, 2; incident 0 moves to the end (3, 1, 2, 0). Value `a` holds
        // every incident: 0 goes from position 1 to the end. Value `b` holds 3, 0, 2: 0
        // goes after 2. Value `c` lacks 0 and stays as it is.
        let table = |a: &[usize], b: &[usize]| Browse {
            facets: vec![FacetTerms {
                facet: Facet::Category,
                terms: vec![value("a", a), value("b", b), value("c", &[1, 2])],
            }],
        };
        let mut browse = table(&[3, 0, 1, 2], &[3, 0, 2]);
        assert!(browse.reorder_incident(IncidentIx::new(0), &ixs(&[3, 1, 2, 0])));
        assert_eq!(browse, table(&[3, 1, 2, 0], &[3, 2, 0]));
        // Moving 0 to the front would make it the first of `a` and `b`, whose labels are
        // their first incident's spelling: nothing changes, the table must be built again.
        let mut browse = table(&[3, 0, 1, 2], &[3, 0, 2]);
        assert!(!browse.reorder_incident(IncidentIx::new(0), &ixs(&[0, 3, 1, 2])));
        assert_eq!(browse, table(&[3, 0, 1, 2], &[3, 0, 2]));
    }

    #[test]
    fn each_incident_has_the_filter_values_whose_lists_include_it() {
        // Category values a (incidents 0, 2), b (1) and a second a, alike to the filter
        // (2, 3), and one without a filter value (0); actor value c (2, 0). Incident 0 has
        // a and c, 1 has b, 2 has a once (both a terms: named by the first) and c, 3 has a
        // (named by the first term, which does not list it).
        let filtered = |key: &str, incidents: &[usize]| {
            let mut term = value(key, incidents);
            term.filter = Some(format!("f:{key}"));
            term
        };
        let browse = Browse {
            facets: vec![
                FacetTerms {
                    facet: Facet::Category,
                    terms: vec![
                        filtered("a", &[0, 2]),
                        filtered("b", &[1]),
                        filtered("a", &[2, 3]),
                        value("none", &[0]),
                    ],
                },
                FacetTerms {
                    facet: Facet::Actor,
                    terms: vec![filtered("c", &[2, 0])],
                },
            ],
        };
        let values = browse.filter_values_of_incidents(4);
        let of = |i| values.of(IncidentIx::new(i)).to_vec();
        let (category, actor) = (Facet::Category, Facet::Actor);
        assert_eq!(of(0), [(category, 0), (actor, 0)]);
        assert_eq!(of(1), [(category, 1)]);
        assert_eq!(of(2), [(category, 0), (actor, 0)]);
        assert_eq!(of(3), [(category, 0)]);
    }

    #[test]
    fn month_labels() {
        assert_eq!(month_label("2025-03").as_deref(), Some("March 2025"));
        assert_eq!(month_label(UNDATED), None);
    }
}
