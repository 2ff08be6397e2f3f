//! The search index files: built from real sites, decoded the way `search.js` reads them
//! (the JSON inside each `sitrepSearch.x(…)` call, sets decoded by `search::decode_set`).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{build_ok, copy_tree, fixture, page, sel, temp_dir};
use serde_json::Value;
use sitrep::search::{DOCS_PER_SHARD, DOCS_PER_TERM_SHARD, decode_set, parse_file};

/// A term with the documents containing it and those whose title does.
type Entry = (String, Vec<u32>, Vec<u32>);

/// A built site's index, decoded.
struct Decoded {
    manifest: Value,
    manifest_bytes: usize,
    /// Term shards by number: their terms in file order, each with (all, title) ids.
    shards: BTreeMap<usize, Vec<Entry>>,
    /// Document rows by id: [kind, url, title, date, place, snippet].
    docs: Vec<Vec<String>>,
}

impl Decoded {
    fn read(out: &Path) -> Decoded {
        let dir = out.join("search");
        let bytes = std::fs::read(dir.join("manifest.js")).unwrap();
        let manifest = parse_file(&bytes).expect("manifest parses");
        let mut shards = BTreeMap::new();
        let mut doc_files = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let Some(n) = name.strip_suffix(".js").and_then(|s| s.get(1..)) else {
                continue;
            };
            let Ok(n) = n.parse::<usize>() else { continue };
            let value = parse_file(&std::fs::read(dir.join(&name)).unwrap()).expect(&name);
            assert_eq!(value[0], n, "{name} names its own number");
            if name.starts_with('t') {
                shards.insert(n, terms_of(&value[1]));
            } else {
                doc_files.insert(n, value[1].clone());
            }
        }
        let mut docs = Vec::new();
        for (n, rows) in doc_files {
            assert_eq!(
                docs.len(),
                n * DOCS_PER_SHARD,
                "document shards are contiguous"
            );
            for row in rows.as_array().unwrap() {
                let row = row.as_array().unwrap();
                docs.push(
                    row.iter()
                        .map(|v| v.as_str().unwrap().to_string())
                        .collect(),
                );
            }
        }
        Decoded {
            manifest,
            manifest_bytes: bytes.len(),
            shards,
            docs,
        }
    }

    /// The (all, title) document sets of `term`, looked up as the script does: in the
    /// shard the manifest's ranges point to.
    fn lookup(&self, term: &str) -> Option<(Vec<u32>, Vec<u32>)> {
        let ranges = self.manifest["shards"].as_array().unwrap();
        let at = ranges
            .iter()
            .rposition(|r| utf16(r[1].as_str().unwrap()) <= utf16(term))?;
        let n = ranges[at][0].as_u64().unwrap() as usize;
        let (_, all, title) = self.shards[&n].iter().find(|(t, _, _)| t == term)?;
        Some((all.clone(), title.clone()))
    }

    /// The URLs of the documents containing `term`.
    fn urls(&self, term: &str) -> Vec<String> {
        let (all, _) = self.lookup(term).unwrap_or_default();
        all.iter()
            .map(|&id| self.docs[id as usize][1].clone())
            .collect()
    }
}

fn terms_of(object: &Value) -> Vec<Entry> {
    // serde_json keeps insertion order only with `preserve_order`; the order is checked on
    // the raw text in `terms_are_sorted_and_shards_cover_them_in_order`.
    object
        .as_object()
        .unwrap()
        .iter()
        .map(|(term, sets)| match sets {
            Value::String(all) => (term.clone(), decode_set(all), vec![]),
            Value::Array(pair) => (
                term.clone(),
                decode_set(pair[0].as_str().unwrap()),
                decode_set(pair[1].as_str().unwrap()),
            ),
            other => panic!("unexpected entry for {term}: {other}"),
        })
        .collect()
}

fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// The fixture briefing plus an incident in Pasnī and `extra` numbered incidents, each
/// with a word of its own (`solo<n>word`).
fn site(dir: &Path, extra: usize, site_toml: Option<&str>) {
    copy_tree(&fixture("valid"), dir);
    if let Some(text) = site_toml {
        std::fs::write(dir.join("site.toml"), text).unwrap();
    }
    let incidents = dir.join("content/incidents");
    std::fs::write(
        incidents.join("harbour.md"),
        "---\ntitle: Harbour blockade\ndate: 2024-03-05\nplace:\n  district: Pasnī\n  province: Westprov\n  country: Examplia\ncategory: blockade\noutcome: foiled\nsources: [wire]\n---\nBoats were held outside Gwādar harbour [@wire].\n",
    )
    .unwrap();
    for n in 0..extra {
        std::fs::write(
            incidents.join(format!("extra-{n}.md")),
            format!(
                "---\ntitle: Extra incident {n}\ndate: 2023-01-{:02}\nplace: {{country: Examplia}}\ncategory: patrol\noutcome: unclear\nsources: [wire]\n---\nA patrol reported solo{n}word near the border [@wire].\n",
                n % 28 + 1
            ),
        )
        .unwrap();
    }
}

#[test]
fn a_word_maps_to_exactly_the_documents_that_contain_it() {
    let tmp = temp_dir("search-words");
    site(tmp.path(), 0, None);
    let (_out_dir, out) = build_ok(tmp.path());
    let index = Decoded::read(&out);
    // "stormed" is only in the body of the prison attack.
    assert_eq!(index.urls("stormed"), ["incidents/prison-attack.html"]);
    // "freed" is in the label, definition and a claim quote of one figure only.
    assert_eq!(index.urls("freed"), ["figures/inmates-freed.html"]);
    // "prison" is in the prison attack's title and body, in a figure's definition ("the
    // Northtown prison") and in the wire source's title: three documents, two of them
    // with the word in their title.
    let (all, title) = index.lookup("prison").unwrap();
    let url = |id: &u32| index.docs[*id as usize][1].clone();
    assert_eq!(
        all.iter().map(url).collect::<Vec<_>>(),
        [
            "incidents/prison-attack.html",
            "figures/inmates-freed.html",
            "sources/wire.html"
        ]
    );
    assert_eq!(
        title.iter().map(url).collect::<Vec<_>>(),
        ["incidents/prison-attack.html", "sources/wire.html"]
    );
    // Diacritics are removed and case folded: "Pasnī" and "Gwādar" are found as written
    // without them, and the district is a facet term.
    assert_eq!(index.urls("pasni"), ["incidents/harbour.html"]);
    assert_eq!(index.urls("gwadar"), ["incidents/harbour.html"]);
    assert_eq!(index.urls("place:pasni"), ["incidents/harbour.html"]);
    assert_eq!(index.urls("month:2024-03"), ["incidents/harbour.html"]);
    assert_eq!(index.urls("outcome:foiled"), ["incidents/harbour.html"]);
    assert!(index.lookup("Pasnī").is_none() && index.lookup("gwādar").is_none());
    // Link targets and citations are not words of the text.
    assert!(index.lookup("wire").is_none_or(|(all, _)| {
        all.iter()
            .all(|&id| index.docs[id as usize][0] != "incident")
    }));
    // Incidents come newest first (the March 2024 harbour blockade before the undated
    // fixture incidents), then figures, then sources.
    let kinds: Vec<&str> = index.docs.iter().map(|row| &*row[0]).collect();
    assert_eq!(kinds[..3], ["incident"; 3]);
    assert_eq!(kinds[3..9], ["figure"; 6]);
    assert_eq!(kinds[9..], ["source"; 2]);
    let harbour = &index.docs[0];
    assert_eq!(
        harbour[1..5],
        [
            "incidents/harbour.html",
            "Harbour blockade",
            "5 March 2024",
            "Pasnī, Westprov, Examplia"
        ]
    );
    assert_eq!(harbour[5], "Boats were held outside Gwādar harbour.");
}

#[test]
fn terms_are_sorted_and_shards_cover_them_in_order() {
    let tmp = temp_dir("search-shards");
    // 400 + 3 incidents, 6 figures and 2 sources: 411 documents, so 4 term shards and 13
    // document shards, beside the script, the manifest and the names of six facets' values.
    site(tmp.path(), 400, None);
    let (_out_dir, out) = build_ok(tmp.path());
    let index = Decoded::read(&out);
    let docs = 411;
    assert_eq!(index.manifest["docs"], docs);
    assert_eq!(index.docs.len(), docs);
    assert_eq!(index.shards.len(), docs.div_ceil(DOCS_PER_TERM_SHARD));
    assert_eq!(
        std::fs::read_dir(out.join("search")).unwrap().count(),
        1 + 1 + 4 + 13 + 6
    );
    // Every numbered word maps to its incident alone.
    for n in [0, 7, 199, 399] {
        assert_eq!(
            index.urls(&format!("solo{n}word")),
            [format!("incidents/extra-{n}.html")]
        );
    }
    // The manifest lists non-empty shards in order, each with its first term; within and
    // across shards the terms are strictly increasing (as JavaScript compares strings).
    let ranges = index.manifest["shards"].as_array().unwrap();
    let mut previous: Option<Vec<u16>> = None;
    let mut listed = Vec::new();
    for range in ranges {
        let n = range[0].as_u64().unwrap() as usize;
        listed.push(n);
        let text = std::fs::read_to_string(out.join(format!("search/t{n}.js"))).unwrap();
        let terms = raw_terms(&text);
        assert_eq!(
            terms[0],
            range[1].as_str().unwrap(),
            "shard {n} starts at its first term"
        );
        for term in terms {
            let key = utf16(&term);
            assert!(
                previous.as_ref().is_none_or(|p| *p < key),
                "{term} out of order"
            );
            previous = Some(key);
        }
    }
    assert!(listed.windows(2).all(|w| w[0] < w[1]));
    assert!(
        listed.len() >= 3,
        "the terms are spread over the shards: {listed:?}"
    );
    // Small: a shard number and a short term per shard.
    assert!(index.manifest_bytes < 400, "{}", index.manifest_bytes);
}

/// The terms of a term shard in file order, read from its text.
fn raw_terms(text: &str) -> Vec<String> {
    let body = text.split_once(",{").unwrap().1;
    let mut terms = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let end = after.find('"').unwrap();
        terms.push(after[..end].to_string());
        // Skip the value: a string or a two-string array, up to the next entry.
        let value = &after[end + 2..];
        let skip = if value.starts_with('[') {
            value.find(']').unwrap() + 1
        } else {
            value[1..].find('"').unwrap() + 2
        };
        rest = &value[skip..];
    }
    terms
}

#[test]
fn search_can_be_turned_off() {
    let tmp = temp_dir("search-off");
    let toml = "title = \"Fixture briefing\"\n\n[search]\nenabled = false\n";
    site(tmp.path(), 0, Some(toml));
    let (_out_dir, out) = build_ok(tmp.path());
    assert!(!out.join("search").exists());
    assert!(!out.join("search.html").exists());
    let html = page(&out, "index.html");
    assert_eq!(html.select(&sel("form[role=search]")).count(), 0);

    let tmp = temp_dir("search-on");
    site(tmp.path(), 0, None);
    let (_out_dir, out) = build_ok(tmp.path());
    let html = page(&out, "incidents/wave.html");
    let form = html
        .select(&sel("header form[role=search]"))
        .next()
        .unwrap();
    assert_eq!(form.attr("action"), Some("../search.html"));
    let html = page(&out, "search.html");
    let script = html.select(&sel("script[src]")).next().unwrap();
    assert_eq!(script.attr("src"), Some("search/search.js"));
    assert_eq!(html.select(&sel("noscript")).count(), 1);
}

/// The browse filter's options on every browse page of `out`: (facet, value, name).
fn filter_options(out: &Path) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out.join("browse")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = path
            .strip_prefix(out)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let html = page(out, &rel);
        for select in html.select(&sel("#facet-filter select[data-facet]")) {
            let facet = select.attr("data-facet").unwrap();
            for option in select.select(&sel("option[value]")) {
                let value = option.attr("value").unwrap();
                if value.is_empty() {
                    continue;
                }
                let text: String = option.text().collect();
                let (name, _count) = text.rsplit_once(" (").unwrap();
                found.push((facet.into(), value.into(), name.into()));
            }
        }
    }
    found
}

#[test]
fn facet_values_are_named_as_browse_pages_name_them() {
    let tmp = temp_dir("search-labels");
    site(tmp.path(), 0, None);
    let (_out_dir, out) = build_ok(tmp.path());
    let index = Decoded::read(&out);
    let mut names: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for facet in ["place", "category", "actor", "outcome", "source", "month"] {
        let bytes = std::fs::read(out.join(format!("search/f-{facet}.js"))).unwrap();
        let value = parse_file(&bytes).expect("parses");
        assert_eq!(value[0], facet);
        let labels = value[1].as_object().unwrap();
        let labels: BTreeMap<String, String> = (labels.iter())
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        // Every value of the facet among incidents' terms is named, and nothing else.
        let mut keys: Vec<String> = (index.shards.values().flatten())
            .filter_map(|(term, all, _)| {
                let key = term.strip_prefix(&format!("{facet}:"))?;
                let incident = |id: &u32| index.docs[*id as usize][0] == "incident";
                all.iter().any(incident).then(|| key.to_string())
            })
            .collect();
        keys.sort();
        assert_eq!(labels.keys().cloned().collect::<Vec<_>>(), keys, "{facet}");
        names.insert(facet.into(), labels);
    }
    assert!(
        !out.join("search/f-party.js").exists(),
        "no incident has a party"
    );
    // Named as written, in the site's words, by title, as a month.
    assert_eq!(names["place"]["pasni"], "Pasnī");
    assert_eq!(names["month"]["2024-03"], "March 2024");
    let wire = page(&out, "sources/wire.html");
    let title: String = wire.select(&sel("h1")).next().unwrap().text().collect();
    assert_eq!(names["source"]["wire"], title.trim());
    // Each option of every browse page's filter is named as the file names it.
    let options = filter_options(&out);
    assert!(options.iter().any(|(f, _, _)| f == "source"));
    for (facet, value, name) in options {
        assert_eq!(names[&facet][&value], name, "{facet}:{value}");
    }
}
