//! Reading input safely: files that are not regular files (a named pipe, a device), byte
//! order marks, and symbolic links inside `content/`. Each case builds a copy of the valid
//! fixture once, changes it, and checks the diagnostic (file, line, message), that the
//! previous output is untouched and that nothing in the site folder changed.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use sitrep::diagnostics::{Diagnostic, Diagnostics};
use sitrep::rebuild::{Changes, Rebuilder};
use sitrep::site::Overrides;

/// Long enough for a debug build on a busy machine; a build blocked on a pipe never ends.
const HANG: Duration = Duration::from_secs(20);

/// A copy of the valid fixture with one good build in `public/`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(fixture("valid")) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(fixture("valid")).unwrap();
            let target = dir.path().join("site").join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        let site = Site { dir };
        build_into(&site.root(), &site.out()).expect("the valid fixture builds");
        site
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Builds in another thread, so a build that blocks fails the test instead of hanging it.
    fn build(&self) -> Result<sitrep::pipeline::BuildReport, Diagnostics> {
        let (root, out) = (self.root(), self.out());
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = send.send(build_into(&root, &out));
        });
        receive
            .recv_timeout(HANG)
            .expect("the build finishes instead of blocking")
    }
}

/// Every regular file under `dir` with its bytes (pipes and devices are not read).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The error about `file` at `line` whose message contains `message`, or a panic listing all.
fn find<'a>(
    diagnostics: &'a Diagnostics,
    file: &str,
    line: usize,
    message: &str,
) -> &'a Diagnostic {
    diagnostics
        .iter()
        .find(|d| {
            d.is_error()
                && d.file == Path::new(file)
                && d.line == line
                && d.message.contains(message)
        })
        .unwrap_or_else(|| {
            let all: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
            panic!(
                "no error {file}:{line}: {message}; got:\n{}",
                all.join("\n")
            )
        })
}

/// Runs a failing build and checks the output and the site folder were left as they were.
fn failing_build(site: &Site) -> Diagnostics {
    let (out, root) = (snapshot(&site.out()), snapshot(&site.root()));
    let diagnostics = site.build().expect_err("the build fails");
    assert_eq!(
        snapshot(&site.out()),
        out,
        "the previous output was changed"
    );
    assert_eq!(snapshot(&site.root()), root, "the site folder was changed");
    diagnostics
}

fn mkfifo(path: &Path) {
    std::fs::remove_file(path).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn a_named_pipe_as_archive_is_an_error_not_a_hang() {
    let site = Site::new();
    mkfifo(&site.path("archives/wire.txt"));
    let diagnostics = failing_build(&site);
    // wire.yaml's fourth line is `archive: archives/wire.txt`.
    let d = find(
        &diagnostics,
        "content/sources/wire.yaml",
        4,
        "is a named pipe (FIFO), not a regular file",
    );
    assert_eq!(d.column, 10, "{d}");
    assert!(d.hint.is_some());

    // `serve`'s rebuilds read through the same function.
    std::fs::remove_file(site.path("archives/wire.txt")).unwrap();
    std::fs::copy(
        fixture("valid/archives/wire.txt"),
        site.path("archives/wire.txt"),
    )
    .unwrap();
    let served = site.dir.path().join("served");
    let mut rebuilder = Rebuilder::new(&site.root(), Some(&served), Overrides::default(), false);
    assert!(rebuilder.rebuild(&Changes::everything()).result.is_ok());
    mkfifo(&site.path("archives/wire.txt"));
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(rebuilder.rebuild(&Changes::everything()).result);
    });
    let result = receive.recv_timeout(HANG).expect("the rebuild finishes");
    let diagnostics = result.expect_err("the rebuild fails");
    find(&diagnostics, "content/sources/wire.yaml", 4, "named pipe");
}

#[test]
fn an_archive_linked_to_dev_zero_is_refused() {
    let site = Site::new();
    let archive = site.path("archives/daily.txt");
    std::fs::remove_file(&archive).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &archive).unwrap();
    let diagnostics = failing_build(&site);
    // daily.yaml's eighth line is `archive: archives/daily.txt`.
    find(
        &diagnostics,
        "content/sources/daily.yaml",
        8,
        "is a device, not a regular file",
    );
}

#[test]
fn content_files_that_are_not_regular_files_are_errors() {
    let site = Site::new();
    mkfifo(&site.path("content/figures/militants-day.yaml"));
    let diagnostics = failing_build(&site);
    find(
        &diagnostics,
        "content/figures/militants-day.yaml",
        0,
        "named pipe",
    );
}

#[test]
fn byte_order_marks_are_accepted_and_positions_stay_right() {
    let site = Site::new();
    let bom = |rel: &str| {
        let path = site.path(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    };
    for rel in [
        "site.toml",
        "content/figures/inmates-freed.yaml",
        "content/incidents/wave.md",
        "content/index.md",
        "content/sources/wire.yaml",
        "archives/wire.txt",
    ] {
        bom(rel);
    }
    let report = site.build().expect("files with a byte order mark build");
    assert_eq!(
        report.quotes_verified, report.quotes_total,
        "quotes still match their archives"
    );
    let figure = page(&site.out(), "figures/inmates-freed.html");
    assert_eq!(texts(&figure, "h1"), ["Inmates freed"]);
    let incident = page(&site.out(), "incidents/wave.html");
    assert_eq!(texts(&incident, "h1"), ["Wave of attacks"]);

    // An error after a byte order mark is on the line and column an editor shows.
    let path = site.path("content/figures/inmates-freed.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("unit: people", "unti: people")).unwrap();
    let diagnostics = failing_build(&site);
    let d = find(
        &diagnostics,
        "content/figures/inmates-freed.yaml",
        2,
        "unknown field `unti`",
    );
    assert_eq!(d.column, 1, "{d}");
    let path = site.path("content/incidents/wave.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("outcome: repelled", "outcome: repeled")).unwrap();
    let diagnostics = failing_build(&site);
    // The front matter's `---` is line 1, then title, date and its three fields, place and
    // its two, category: `outcome:` is line 11.
    find(
        &diagnostics,
        "content/incidents/wave.md",
        11,
        "unknown outcome `repeled`",
    );
}

#[test]
fn a_symbolic_link_inside_the_site_is_followed() {
    let site = Site::new();
    let figure = site.path("content/figures/militants-day.yaml");
    std::fs::create_dir_all(site.path("shared")).unwrap();
    std::fs::rename(&figure, site.path("shared/militants-day.yaml")).unwrap();
    std::os::unix::fs::symlink("../../shared/militants-day.yaml", &figure).unwrap();
    site.build()
        .expect("a link to a file inside the site builds");
    let html = page(&site.out(), "figures/militants-day.html");
    assert_eq!(texts(&html, "h1"), ["Militants killed on the day"]);
}

#[test]
fn symbolic_links_out_of_the_site_or_in_loops_are_errors() {
    let site = Site::new();
    let figure = site.path("content/figures/militants-day.yaml");
    let elsewhere = site.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::rename(&figure, elsewhere.join("militants-day.yaml")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("militants-day.yaml"), &figure).unwrap();
    // A link to itself, and a folder linking back to its parent.
    std::os::unix::fs::symlink("self.yaml", site.path("content/figures/self.yaml")).unwrap();
    std::os::unix::fs::symlink("..", site.path("content/figures/again")).unwrap();
    std::os::unix::fs::symlink("missing.yaml", site.path("content/figures/gone.yaml")).unwrap();
    // Templates are listed by the same rule.
    std::fs::write(elsewhere.join("page.html"), "{% extends \"base.html\" %}").unwrap();
    std::fs::create_dir_all(site.path("templates")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.join("page.html"),
        site.path("templates/page.html"),
    )
    .unwrap();
    let diagnostics = failing_build(&site);

    let target = elsewhere.canonicalize().unwrap().join("militants-day.yaml");
    let d = find(
        &diagnostics,
        "content/figures/militants-day.yaml",
        0,
        &format!(
            "content/figures/militants-day.yaml is a symbolic link to {}, outside the site folder",
            target.display()
        ),
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("copy the file into the site"),
        "{d}"
    );
    find(
        &diagnostics,
        "content/figures/self.yaml",
        0,
        "is a symbolic link to self.yaml, which loops",
    );
    find(
        &diagnostics,
        "content/figures/again",
        0,
        "is a symbolic link to .., which leads back",
    );
    find(
        &diagnostics,
        "content/figures/gone.yaml",
        0,
        "is a symbolic link to missing.yaml, which does not exist",
    );
    find(
        &diagnostics,
        "templates/page.html",
        0,
        "outside the site folder",
    );
}

#[test]
fn a_theme_is_a_name_under_themes_never_a_path() {
    let site = Site::new();
    // A folder outside the site that looks like a theme: it must never be published.
    let outside = site.dir.path().join("outside");
    std::fs::create_dir_all(outside.join("static")).unwrap();
    std::fs::write(outside.join("static/secret.txt"), "not for publishing").unwrap();
    std::fs::create_dir_all(site.path("themes/dark/static")).unwrap();
    std::fs::write(site.path("themes/dark/static/style.css"), "body{}").unwrap();
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    // site.toml has three lines; the theme is the fourth.
    for theme in [outside.display().to_string(), "../../outside".to_string()] {
        let text = format!("{config}theme = \"{theme}\"\n");
        std::fs::write(site.path("site.toml"), text).unwrap();
        let diagnostics = failing_build(&site);
        let d = find(&diagnostics, "site.toml", 4, "is not a theme name");
        assert_eq!(d.column, 1, "{d}");
        let hint = d.hint.as_deref().unwrap();
        assert!(hint.contains("`dark`, `default`"), "{hint}");
    }
    std::fs::write(
        site.path("site.toml"),
        format!("{config}theme = \"drak\"\n"),
    )
    .unwrap();
    let diagnostics = failing_build(&site);
    let d = find(&diagnostics, "site.toml", 4, "theme `drak` not found");
    assert_eq!(d.hint.as_deref(), Some("did you mean `dark`?"));
    assert!(!site.out().join("secret.txt").exists());
}
