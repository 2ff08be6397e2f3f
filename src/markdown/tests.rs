//! Tests of Markdown scanning and rendering: citations, first paragraphs, sanitising.

use super::*;

struct Known;
impl CitationResolver for Known {
    fn title(&self, id: &str) -> Option<&str> {
        (id == "a" || id == "b").then_some("Title <A>")
    }
}

#[test]
fn citations_become_links_and_are_located() {
    let md = "Text [@a; @b, para. 2] and [@zz].\n";
    let html = render(md, "../", &Known, false);
    assert!(html.contains("href=\"../sources/a.html\""), "{html}");
    assert!(html.contains("title=\"Title &lt;A&gt;\""), "{html}");
    assert!(html.contains(", para. 2"), "{html}");
    assert!(html.contains("[@zz]"), "{html}");
    let body = scan(md);
    let ids: Vec<_> = body.citations.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "zz"]);
    assert_eq!(&md[body.citations[2].range.clone()], "@zz");
}

#[test]
fn text_without_citations_renders_as_plain_markdown() {
    let md = "A *b* \"c\" [see @ here] me@x.org\nnext [link](http://x.org) `[@a]`\n\n| t |\n|---|\n| 1 |\n";
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut plain = String::new();
    html::push_html(&mut plain, Parser::new_ext(md, options));
    assert_eq!(render(md, "", &Known, false), plain);
}

#[test]
fn raw_html_and_script_urls_are_neutralised() {
    let md = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](JavaScript:z) <b>hi</b>\n";
    let html = render(md, "", &Known, false);
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.to_lowercase().contains("javascript:"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
}

#[test]
fn an_id_must_follow_its_at_sign_and_escaped_ids_are_located() {
    // Found by fuzzing: `[@ title: ]` was read as a citation of `title:`.
    assert!(scan("See [@ title: ] here.").citations.is_empty());
    // `@a\_b` in the source cites `a_b`; its range covers the `@a\_b` written.
    let text = "Text [@a\\_b].";
    let body = scan(text);
    assert_eq!(body.citations.len(), 1);
    assert_eq!(body.citations[0].id, "a_b");
    assert_eq!(&text[body.citations[0].range.clone()], "@a\\_b");
}

#[test]
fn citations_may_wrap_across_lines() {
    let md = "Text [@a;\n@b] end.\n";
    let html = render(md, "", &Known, false);
    assert!(html.contains("href=\"sources/b.html\""), "{html}");
    assert!(!html.contains("[@"), "{html}");
    assert_eq!(&md[scan(md).citations[1].range.clone()], "@b");
}

#[test]
fn citations_in_code_are_left_alone() {
    let html = render("`[@a]`\n", "", &Known, false);
    assert!(scan("`[@a]`\n").citations.is_empty());
    assert!(html.contains("<code>[@a]</code>"), "{html}");
}

#[test]
fn emails_and_brackets_are_not_citations() {
    let body = scan("mail me@x.org and [see @ here]\n");
    assert!(body.citations.is_empty(), "{:?}", body.citations);
}

#[test]
fn first_paragraph_drops_citations() {
    let body = scan("# Heading\n\nMilitants attacked [@a]. More\nlines.\n\nSecond.");
    assert_eq!(body.first_paragraph, "Militants attacked. More lines.");
    assert_eq!(body.summary(20), "Militants attacked…");
}
