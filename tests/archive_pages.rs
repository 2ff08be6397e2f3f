//! Archive pages (`archive/<source>.html`): the shipped briefing publishes its archived
//! texts with every quote highlighted exactly once per claim, claims and passages linking
//! to each other; a saved web page's quote split across tags is highlighted; a source that
//! is not published gets no page and none of its text in the output; hostile archive text
//! is escaped.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use scraper::{ElementRef, Html};
use sitrep::pipeline::check::{self, CheckOptions};
use sitrep::validate::normalize_quote;

/// An element's text, normalised as quotes are compared.
fn normalized_text(element: ElementRef) -> String {
    normalize_quote(&element.text().collect::<String>())
}

/// The `<mark>` a passage anchor points at: the element itself, or the mark it is in.
fn mark_of<'a>(html: &'a Html, id: &str) -> ElementRef<'a> {
    let found: Vec<ElementRef> = html.select(&sel(&format!("[id=\"{id}\"]"))).collect();
    assert_eq!(found.len(), 1, "one element with id {id}");
    let element = found[0];
    if element.value().name() == "mark" {
        return element;
    }
    let mark = element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "mark")
        .unwrap_or_else(|| panic!("{id} is not in a highlighted passage"));
    assert_eq!(element.value().attr("class"), Some("passage-start"));
    mark
}

/// The text of `mark` from the anchor `id` on, normalised as quotes are compared.
fn text_from(mark: ElementRef, id: &str) -> String {
    let inner = mark.inner_html();
    let after = match mark.value().attr("id") == Some(id) {
        true => &inner[..],
        false => {
            let start = format!("id=\"{id}\"></span>");
            &inner[inner.find(&start).unwrap() + start.len()..]
        }
    };
    let fragment = Html::parse_fragment(after);
    normalize_quote(&fragment.root_element().text().collect::<String>())
}

#[test]
fn every_quote_of_the_shipped_briefing_is_highlighted_once_and_linked_both_ways() {
    let tmp = temp_dir("archive-shipped");
    let out = tmp.path().join("public");
    build_shipped(&out, None);
    let mut pages: BTreeMap<String, Html> = BTreeMap::new();
    let mut load = |rel: &str| -> Html {
        pages
            .entry(rel.to_string())
            .or_insert_with(|| page(&out, rel))
            .clone()
    };
    let mut claims = 0;
    for figure_page in html_files(&out)
        .iter()
        .filter(|p| p.starts_with("figures/"))
    {
        let html = load(figure_page);
        for row in html.select(&sel("table.claims tr.claim")) {
            claims += 1;
            let anchor = row
                .value()
                .attr("id")
                .expect("figure page rows are anchored");
            let quote = normalized_text(row.select(&sel("blockquote")).next().unwrap());
            // Claim → passage.
            let link = (row.select(&sel("a.passage-link")).next())
                .unwrap_or_else(|| panic!("{figure_page}#{anchor}: no link to its passage"));
            let (target, fragment) = resolve(figure_page, link.value().attr("href").unwrap());
            assert!(target.starts_with("archive/"), "{target}");
            let archive = load(&target);
            let fragment = fragment.expect("a passage anchor");
            let mark = mark_of(&archive, &fragment);
            // The passage holds the quote, starting where the anchor is.
            let from_anchor = text_from(mark, &fragment);
            assert!(
                from_anchor.starts_with(&quote),
                "{figure_page}#{anchor}: `{quote}` not at {target}#{fragment}: `{from_anchor}`"
            );
            // Passage → claim: exactly one link back to this claim on the whole page, right
            // after its passage.
            let back = format!("../{figure_page}#{anchor}");
            let backlinks: Vec<ElementRef> = archive
                .select(&sel(&format!(".passage-claims a[href=\"{back}\"]")))
                .collect();
            assert_eq!(backlinks.len(), 1, "{target}: links back to {back}");
            let claims_after_mark = mark
                .next_siblings()
                .filter_map(ElementRef::wrap)
                .next()
                .expect("the passage's links follow it");
            assert_eq!(
                claims_after_mark.value().attr("class"),
                Some("passage-claims")
            );
            assert!(
                claims_after_mark
                    .html()
                    .contains(&format!("href=\"{back}\""))
            );
            let (back_page, back_anchor) = resolve(&target, &back);
            assert!(ids(&load(&back_page)).contains(&back_anchor.unwrap()));
        }
    }
    assert_eq!(claims, 51, "the shipped briefing's claims");
    // The source pages link to their archive pages.
    for source_page in html_files(&out)
        .iter()
        .filter(|p| p.starts_with("sources/"))
    {
        let html = load(source_page);
        let archive_links: Vec<String> = internal_refs(&html)
            .into_iter()
            .filter(|r| r.contains("archive/"))
            .collect();
        assert!(
            !archive_links.is_empty(),
            "{source_page} links to its archived text"
        );
    }
    // And `sitrep check` resolves every link and anchor.
    let report = check::check(&CheckOptions {
        site: options(&repo_root(), &out, None),
        ..CheckOptions::default()
    })
    .unwrap();
    assert!(report.passed(), "{:?}", report.diagnostics);
    assert!(
        report.links.failures.is_empty(),
        "{:?}",
        report.links.failures
    );
}

/// The fixture's wire report as a saved web page: quotes split across inline tags and
/// entities.
const WIRE_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><title>Prison attacked</title>
<script>window.x = "More than 30 inmates escaped.";</script></head>
<body><nav><a href="/">Home</a></nav><article>
<p>Militants attacked a prison in <a href="/northtown">Northtown</a> on Saturday, officials said.</p>
<p>The army said <strong>18 civilians</strong> and 15&nbsp;soldiers were killed, 33 people in all.</p>
<p>Security forces killed <em>92</em> attackers on Saturday, the army said.</p>
<p>Over the past 48 hours <span class="hl">at least</span>
   133 militants have been killed, authorities said.</p>
<p>More than 30 inmates escaped.</p>
</article></body></html>
"#;

/// The valid fixture with `wire` archived as `name` (holding `text`) and published, and
/// `daily` published only as `site.toml` says, unless `daily_opts_out`.
fn fixture_with(dir: &Path, name: &str, text: &str, site_wide: bool) -> PathBuf {
    let site = dir.join("site");
    copy_tree(&fixture("valid"), &site);
    std::fs::remove_file(site.join("archives/wire.txt")).unwrap();
    std::fs::write(site.join("archives").join(name), text).unwrap();
    let source = site.join("content/sources/wire.yaml");
    edit(
        &source,
        "archive: archives/wire.txt",
        &format!("archive: archives/{name}\npublish_archive: true"),
    );
    if site_wide {
        edit(
            &site.join("site.toml"),
            "language",
            "publish_archive = true\nlanguage",
        );
        let daily = site.join("content/sources/daily.yaml");
        edit(
            &daily,
            "language: en",
            "language: en\npublish_archive: false",
        );
    }
    site
}

#[test]
fn a_quote_split_across_tags_of_a_saved_page_is_highlighted() {
    let tmp = temp_dir("archive-html");
    let site = fixture_with(tmp.path(), "wire.html", WIRE_PAGE, false);
    let (_dir, out) = build_ok(&site);
    let html = page(&out, "archive/wire.html");
    let marks: Vec<String> = html
        .select(&sel("mark.passage"))
        .map(normalized_text)
        .collect();
    // Two quotes of the second paragraph overlap nothing; the <strong>, &nbsp; and <span>
    // splits are gone from the readable text the page shows.
    for expected in [
        "the army said 18 civilians",
        "15 soldiers were killed",
        "33 people in all",
        "security forces killed 92 attackers",
        "at least 133 militants have been killed",
        "more than 30 inmates escaped.",
    ] {
        assert_eq!(
            marks.iter().filter(|m| *m == expected).count(),
            1,
            "{expected} in {marks:?}"
        );
    }
    assert_eq!(marks.len(), 6);
    // The page furniture is not shown.
    let text = normalized_text(html.select(&sel(".archive-text")).next().unwrap());
    assert!(
        !text.contains("home") && !text.contains("window.x"),
        "{text}"
    );
}

#[test]
fn an_unpublished_source_gets_no_page_and_none_of_its_text_is_output() {
    let tmp = temp_dir("archive-unpublished");
    let wire = std::fs::read_to_string(fixture("valid").join("archives/wire.txt")).unwrap();
    // site.toml publishes by default; `daily` opts out.
    let site = fixture_with(tmp.path(), "wire.txt", &wire, true);
    let (_dir, out) = build_ok(&site);
    assert!(out.join("archive/wire.html").is_file());
    assert!(!out.join("archive/daily.html").exists());
    // A sentence of the daily's archive that no claim quotes appears nowhere.
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("chief minister said on Sunday"),
            "{}",
            path.display()
        );
        assert!(!text.contains("archive/daily.html"), "{}", path.display());
    }
    // Its claims still say their quote was verified, and against which file.
    let html = page(&out, "figures/civilians-killed.html");
    let daily_row = html
        .select(&sel("tr.claim"))
        .find(|row| row.html().contains("sources/daily.html"))
        .unwrap();
    assert!(daily_row.select(&sel(".badge.verified")).next().is_some());
    assert_eq!(
        texts_in(&daily_row, ".verified-against code"),
        ["archives/daily.txt"]
    );
    assert!(daily_row.select(&sel("a.passage-link")).next().is_none());
    // A source that asks to be published but has no archive: a located warning, no page.
    let tmp = temp_dir("archive-none");
    let none = tmp.path().join("site");
    copy_tree(&fixture("valid"), &none);
    let source = none.join("content/sources/daily.yaml");
    edit(
        &source,
        "archive: archives/daily.txt\n",
        "publish_archive: true\n",
    );
    let report = build_into(&none, &tmp.path().join("out")).expect("it builds");
    let warning = (report.diagnostics.iter())
        .find(|d| d.message.contains("nothing to publish"))
        .unwrap_or_else(|| panic!("{:?}", report.diagnostics));
    let line = std::fs::read_to_string(&source)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("publish_archive"))
        .unwrap()
        + 1;
    assert_eq!((warning.line, warning.column), (line, 18), "{warning}");
    assert!(!tmp.path().join("out/archive").exists());
    // Without any opt-in, no archive page at all.
    let tmp = temp_dir("archive-off");
    let plain = tmp.path().join("site");
    copy_tree(&fixture("valid"), &plain);
    let (_dir, out) = build_ok(&plain);
    assert!(!out.join("archive").exists());
}

#[test]
fn hostile_archive_text_is_escaped() {
    let tmp = temp_dir("archive-hostile");
    let wire = std::fs::read_to_string(fixture("valid").join("archives/wire.txt")).unwrap();
    let hostile = format!(
        "<script>alert('archive')</script> <img src=x onerror=alert(2)>\n\
         \u{202E}reversed text & more\n{wire}"
    );
    let site = fixture_with(tmp.path(), "wire.txt", &hostile, false);
    let (_dir, out) = build_ok(&site);
    let raw = std::fs::read_to_string(out.join("archive/wire.html")).unwrap();
    let html = Html::parse_document(&raw);
    assert!(
        html.select(&sel("script"))
            .all(|s| !s.inner_html().contains("alert")),
        "no script from the archive"
    );
    assert!(html.select(&sel(".archive-text img")).next().is_none());
    assert!(raw.contains("&lt;script&gt;alert(&#39;archive&#39;)&lt;/script&gt;"));
    // The right-to-left override is closed and isolated where it is.
    assert!(raw.contains("\u{2068}\u{202E}reversed text &amp; more\u{202C}\u{2069}"));
}
