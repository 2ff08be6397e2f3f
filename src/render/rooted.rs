//! HTML written once and placed on pages at any folder depth: matrix rows, timeline
//! entries and browse list items are made once and shown on pages whose `root` (`""`,
//! `"../"`, …) differs. The HTML is kept as written for the site root, with the positions
//! where each page's `root` goes.

use std::fmt::Write;

use crate::escape::escape_html;

/// HTML whose links are relative to the site root, written for a page at any depth: the
/// page's `root` goes in at each of `roots`.
#[derive(Debug, Clone, Default)]
pub(in crate::render) struct Rooted {
    html: String,
    /// Where the page's `root` goes in `html`, ascending.
    roots: Vec<usize>,
}

impl Rooted {
    /// Appends `url` (root-relative), escaped, as a link.
    pub(in crate::render) fn link(&mut self, url: &str) {
        self.roots.push(self.html.len());
        self.html.push_str(&escape_html(url));
    }

    /// Appends HTML without links (already escaped).
    pub(in crate::render) fn push_str(&mut self, html: &str) {
        self.html.push_str(html);
    }

    /// The item from a template's renderings of it with `root` empty (`bare`) and `../`
    /// (`up`): where `up` has `../` that `bare` has not, the template wrote `root`. Roots
    /// are always `../` repeated, so where in a run of `../` the insertion is counted makes
    /// no difference. `None` when the two differ otherwise (a template that uses `root` in
    /// other ways).
    pub(in crate::render) fn from_renderings(mut bare: String, up: &str) -> Option<Rooted> {
        let (a, b) = (bare.as_bytes(), up.as_bytes());
        let (mut i, mut j, mut roots) = (0, 0, Vec::new());
        while j < b.len() {
            if i < a.len() && a[i] == b[j] {
                i += 1;
                j += 1;
            } else {
                roots.push(i);
                j += 3;
            }
        }
        // Tera sizes its output for the template, several times an item's length.
        bare.shrink_to_fit();
        let item = Rooted { html: bare, roots };
        let valid = item.roots.iter().all(|&at| item.html.is_char_boundary(at));
        (valid && item.shown("../") == up).then_some(item)
    }

    /// The length of the HTML as a page whose `root` is given shows it.
    pub(in crate::render) fn len_at(&self, root: &str) -> usize {
        self.html.len() + self.roots.len() * root.len()
    }

    /// Appends the HTML, as a page whose `root` is given shows it, to `out`.
    pub(in crate::render) fn write_to(&self, out: &mut String, root: &str) {
        let mut from = 0;
        for &at in &self.roots {
            out.push_str(&self.html[from..at]);
            out.push_str(root);
            from = at;
        }
        out.push_str(&self.html[from..]);
    }

    /// The HTML as a page whose `root` is given shows it.
    fn shown(&self, root: &str) -> String {
        let mut out = String::with_capacity(self.len_at(root));
        self.write_to(&mut out, root);
        out
    }

    /// The length of the HTML at the site root.
    pub(in crate::render) fn len(&self) -> usize {
        self.html.len()
    }
}

impl Write for Rooted {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_take_the_root_of_the_page() {
        let mut item = Rooted::default();
        item.push_str("<a href=\"");
        item.link("figures/a&b.html");
        item.push_str("\">A</a>");
        assert_eq!(item.shown(""), "<a href=\"figures/a&amp;b.html\">A</a>");
        assert_eq!(
            item.shown("../../"),
            "<a href=\"../../figures/a&amp;b.html\">A</a>"
        );
    }

    #[test]
    fn renderings_give_the_roots_a_template_wrote() {
        let render = |root: &str| format!("<a href=\"{root}x.html\">{root}é</a><b>{root}</b>");
        let item = Rooted::from_renderings(render(""), &render("../")).expect("roots only");
        for root in ["", "../", "../../../"] {
            assert_eq!(item.shown(root), render(root));
        }
        // A template that writes something else for `../` is rendered for each page.
        let other = |root: &str| format!("<p>{}</p>", root.len());
        assert!(Rooted::from_renderings(other(""), &other("../")).is_none());
    }
}
