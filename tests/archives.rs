//! Archived source texts in their usual forms: a web page saved as HTML (quotes split
//! across tags, page furniture around the article) and Markdown verify every quote they
//! hold, and a quote that only the page furniture holds does not verify.

mod common;

use common::*;

/// The fixture's wire report as a saved web page: the article's sentences broken up by
/// inline tags and entities, inside navigation, scripts and a footer.
const WIRE_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Prison attacked in Northtown</title>
<script>window.tracking = "More than 30 inmates escaped.";</script>
<style>.lead::before { content: "Over the past"; }</style></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<p>Militants attacked a prison in <a href="/northtown">Northtown</a> on Saturday, officials said.</p>
<p>The army said <strong>18 civilians</strong> and 15&nbsp;soldiers were killed, 33 people in all.</p>
<p>Security forces killed <em>92</em> attackers on Saturday, the army said.</p>
<p class="lead">Over the past 48 hours <span class="hl">at least</span>
   133 militants have been killed, authorities said.</p>
<p>More than 30 inmates escaped.</p>
</article>
<footer>&copy; Example Wire. All rights reserved.</footer>
</body></html>
"#;

fn site_with_wire_archive(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let site = dir.join("site");
    copy_tree(&fixture("valid"), &site);
    std::fs::remove_file(site.join("archives/wire.txt")).unwrap();
    std::fs::write(site.join("archives").join(name), text).unwrap();
    let source = site.join("content/sources/wire.yaml");
    let yaml = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        yaml.replace("archives/wire.txt", &format!("archives/{name}")),
    )
    .unwrap();
    site
}

#[test]
fn quotes_verify_against_a_saved_web_page() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_wire_archive(dir.path(), "wire.html", WIRE_PAGE);
    let report = build_into(&site, &dir.path().join("out")).expect("the site builds");
    assert_eq!(
        report.quotes_verified,
        report.quotes_total,
        "{}",
        report.summary()
    );
    assert!(report.quotes_total > 0);
}

#[test]
fn a_quote_found_only_in_a_pages_script_does_not_verify() {
    let dir = tempfile::tempdir().unwrap();
    // The article no longer says it; only the tracking script does.
    let page = WIRE_PAGE.replace("<p>More than 30 inmates escaped.</p>", "");
    let site = site_with_wire_archive(dir.path(), "wire.html", &page);
    let err = build_into(&site, &dir.path().join("out")).expect_err("the quote is not there");
    assert!(
        err.iter()
            .any(|d| d.message.contains("does not occur in the archived text")),
        "{err:?}"
    );
}

#[test]
fn quotes_verify_against_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("valid").join("archives/wire.txt")).unwrap();
    let markdown = format!(
        "# Prison attacked\n\n{}",
        text.replace("at least 133", "*at least* 133")
            .replace("92 attackers", "**92** attackers")
    );
    let site = site_with_wire_archive(dir.path(), "wire.md", &markdown);
    let report = build_into(&site, &dir.path().join("out")).expect("the site builds");
    assert_eq!(
        report.quotes_verified,
        report.quotes_total,
        "{}",
        report.summary()
    );
}
