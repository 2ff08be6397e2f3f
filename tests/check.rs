//! `sitrep check`: a freshly built site passes; broken links, missing anchors, missing
//! assets, out-of-date output, a missing output folder and dead external links fail, each
//! named with its page and link.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use common::{build_shipped, fixture_site, html_files, options, repo_root, temp_dir};
use sitrep::pipeline::check::{self, CheckOptions, CheckReport};

const BASE: &str = "https://example.org/briefing/";

fn check_options(root: &Path, out: &Path, base_url: Option<&str>) -> CheckOptions {
    CheckOptions {
        site: options(root, out, base_url),
        ..CheckOptions::default()
    }
}

/// `(page, link)` of every broken link.
fn broken(report: &CheckReport) -> Vec<(String, String)> {
    report
        .links
        .failures
        .iter()
        .map(|f| (f.page.clone(), f.link.clone()))
        .collect()
}

/// Runs the `sitrep` binary; returns its exit code and stderr.
fn sitrep(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_freshly_built_site_passes() {
    for base_url in [Some(BASE), None] {
        let tmp = temp_dir(&format!("check-pass-{}", base_url.is_some()));
        let out = tmp.path().join("public");
        build_shipped(&out, base_url);
        let report = check::check(&check_options(&repo_root(), &out, base_url)).unwrap();
        assert_eq!(broken(&report), Vec::<(String, String)>::new());
        assert!(report.out_of_date.is_empty(), "{:?}", report.out_of_date);
        assert!(report.passed(), "{:?}", report.diagnostics);
        // 57 pages, the 5 archive pages, search.html and the browse pages (browse.html, browse/…).
        let browse = (html_files(&out).iter())
            .filter(|f| f.starts_with("browse"))
            .count();
        assert!(browse > 20, "{browse}");
        assert_eq!(report.links.pages, 63 + browse);
        assert!(report.links.internal > 1000, "{}", report.links.internal);
    }
}

#[test]
fn the_command_exits_zero_on_a_good_site_and_one_on_a_bad_one() {
    let tmp = temp_dir("check-cli");
    let out = tmp.path().join("public");
    let out_arg = out.to_str().unwrap();
    let root = repo_root();
    let root_arg = root.to_str().unwrap();
    let (code, stderr) = sitrep(&["check", "--root", root_arg, "--out", out_arg, "--build"]);
    assert_eq!(code, 0, "{stderr}");
    let page = out.join("sources.html");
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        html.replace("</main>", "<a href=\"gone.html\">x</a></main>"),
    )
    .unwrap();
    let (code, stderr) = sitrep(&["check", "--root", root_arg, "--out", out_arg]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("sources.html"), "{stderr}");
    assert!(stderr.contains("broken link `gone.html`"), "{stderr}");
}

const BROKEN_404: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<p><a href="nowhere.html">a missing page</a> · <a href="{{ root }}index.html#no-such-anchor">a missing anchor</a>
· <a href="{{ root }}index.html#main">a good anchor</a></p>
<img src="{{ root }}static/missing.png" alt="a missing image">
{% endblock content %}
"#;

#[test]
fn broken_links_anchors_and_assets_from_a_template_fail() {
    let tmp = temp_dir("check-template");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    fixture_site(&site, &[("404.html", BROKEN_404)]);
    let out = tmp.path().join("public");
    let options = CheckOptions {
        build_first: true,
        ..check_options(&site, &out, None)
    };
    let report = check::check(&options).unwrap();
    assert!(!report.passed());
    let failures = &report.links.failures;
    let page = |link: &str| {
        failures
            .iter()
            .find(|f| f.link == link)
            .unwrap_or_else(|| panic!("`{link}` is not reported: {failures:?}"))
    };
    assert_eq!(page("nowhere.html").page, "404.html");
    assert!(page("nowhere.html").reason.contains("does not exist"));
    assert_eq!(page("index.html#no-such-anchor").page, "404.html");
    assert!(
        page("index.html#no-such-anchor")
            .reason
            .contains("no element with id `no-such-anchor`")
    );
    assert_eq!(page("static/missing.png").page, "404.html");
    assert!(page("static/missing.png").reason.contains("asset"));
    assert_eq!(failures.len(), 3, "the good anchor passes: {failures:?}");
    // Each is an error located in the output file.
    let located: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.file.ends_with("404.html"))
        .collect();
    assert_eq!(located.len(), 3);
    assert!(located.iter().all(|d| d.line > 0 && d.column > 0));
}

#[test]
fn a_corrupted_output_file_is_out_of_date_and_its_links_fail() {
    let tmp = temp_dir("check-corrupt");
    let out = tmp.path().join("public");
    build_shipped(&out, Some(BASE));
    let page = out.join("incidents").join("gwadar-suicide-bombing.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let html = html.replace(
        "</main>",
        "<a href=\"../figures/nope.html\">x</a><a href=\"/index.html\">y</a><img src=\"pic.png\" alt=\"\"></main>",
    );
    std::fs::write(&page, html).unwrap();
    std::fs::remove_file(out.join("static").join("favicon.svg")).unwrap();
    let report = check::check(&check_options(&repo_root(), &out, Some(BASE))).unwrap();
    assert!(!report.passed());
    assert_eq!(
        report.out_of_date,
        [
            "incidents/gwadar-suicide-bombing.html",
            "static/favicon.svg"
        ]
    );
    let bombing = "incidents/gwadar-suicide-bombing.html".to_string();
    let failures = broken(&report);
    for link in ["../figures/nope.html", "/index.html", "pic.png"] {
        assert!(
            failures.contains(&(bombing.clone(), link.to_string())),
            "{link}: {failures:?}"
        );
    }
    // The missing favicon breaks the icon link of every page, the 404 page's absolute one too.
    assert!(failures.contains(&("index.html".into(), "static/favicon.svg".into())));
    assert!(failures.contains(&("404.html".into(), format!("{BASE}static/favicon.svg"))));
}

#[test]
fn a_missing_output_folder_says_to_build() {
    let tmp = temp_dir("check-missing");
    let out = tmp.path().join("never-built");
    let diagnostics = check::check(&check_options(&repo_root(), &out, None)).unwrap_err();
    let error = diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert!(error.message.contains("no built site"), "{error:?}");
    assert!(error.hint.as_deref().unwrap_or("").contains("sitrep build"));
}

#[test]
fn content_errors_stop_the_check_as_they_stop_the_build() {
    let tmp = temp_dir("check-content");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    fixture_site(&site, &[]);
    let figure = site.join("content/figures/banks-robbed.yaml");
    let text = std::fs::read_to_string(&figure).unwrap();
    std::fs::write(
        &figure,
        text.replace("source: 000_081c7ac4728af589", "source: no-such-source"),
    )
    .unwrap();
    let out = tmp.path().join("public");
    let diagnostics = check::check(&check_options(&site, &out, None)).unwrap_err();
    assert!(
        diagnostics
            .iter()
            .any(|d| d.is_error() && d.file.ends_with("banks-robbed.yaml")),
        "{diagnostics:?}"
    );
}

/// A tiny HTTP server on a loopback port: `/ok` answers 200, everything else 404.
fn serve_http() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let status = if request.split(' ').nth(1) == Some("/ok") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

#[test]
fn external_links_are_fetched_only_when_asked() {
    let port = serve_http();
    let tmp = temp_dir("check-external");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let template = format!(
        "{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ title }}}}</h1>\
         <p><a href=\"http://127.0.0.1:{port}/ok\">up</a> <a href=\"http://127.0.0.1:{port}/dead\">down</a></p>\
         {{% endblock content %}}"
    );
    fixture_site(&site, &[("404.html", &template)]);
    let out = tmp.path().join("public");
    let offline = CheckOptions {
        build_first: true,
        ..check_options(&site, &out, None)
    };
    let report = check::check(&offline).unwrap();
    assert!(report.passed(), "{:?}", report.diagnostics);
    assert_eq!(report.links.external_seen, 2);
    assert_eq!(report.links.external_fetched, 0);
    let online = CheckOptions {
        external: true,
        ..check_options(&site, &out, None)
    };
    let report = check::check(&online).unwrap();
    assert_eq!(report.links.external_fetched, 2);
    assert_eq!(
        broken(&report),
        [(
            "404.html".to_string(),
            format!("http://127.0.0.1:{port}/dead")
        )]
    );
    assert!(report.links.failures[0].reason.contains("HTTP 404"));
}
