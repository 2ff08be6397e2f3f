//! `sitrep serve` end to end, without a browser: each test copies the shipped briefing into
//! a temporary folder, starts a server on a free port, edits files the way editors do and
//! checks what the server did. The main check: after edits settle, the output folder is
//! byte-identical to a clean `sitrep build` of the same files. Waiting is always "poll the
//! server's status until a condition holds, or fail after a generous timeout"; nothing
//! asserts on timing.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sitrep::pipeline::{BuildOptions, build};
use sitrep::serve::{self, ServeOptions, Server, Status};

const TIMEOUT: Duration = Duration::from_secs(60);
const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A copy of the shipped briefing in its own temporary folder, removed on drop.
struct Fixture {
    dir: PathBuf,
    site: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!(
            "sitrep-serve-test-{}-{}-{name}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let site = dir.join("site");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for item in ["content", "archive", "templates", "themes", "site.toml"] {
            copy(&repo.join(item), &site.join(item));
        }
        Fixture { dir, site }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Saves in place, as most editors' plain "write" does.
    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Saves atomically: a temporary file beside the target, then a rename over it.
    fn write_atomically(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let temporary = path.with_file_name(format!(".{name}.tmp"));
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(&temporary, &path).unwrap();
    }

    fn start(&self) -> Server {
        let server = serve::start(ServeOptions {
            root: self.site.clone(),
            out: None,
            bind: LOCALHOST,
            port: 0,
            poll: false,
            force: false,
            strict: false,
            on_build: None,
            limits: Default::default(),
        })
        .expect("the server starts");
        let status = server.status();
        assert_eq!(status.builds, 1);
        assert!(status.errors.is_none(), "{:?}", status.errors);
        server
    }

    /// What a clean `sitrep build` of the site's current files writes.
    fn clean_build(&self) -> BTreeMap<String, Vec<u8>> {
        let out = self.dir.join("clean");
        let report = build(&BuildOptions {
            root: self.site.clone(),
            out: Some(out.clone()),
            ..BuildOptions::default()
        });
        assert!(report.is_ok(), "the clean build fails: {report:?}");
        read_tree(&out)
    }

    /// Waits until the served output equals a clean build of the current files.
    fn assert_settles_to_clean_build(&self, server: &Server) {
        let expected = self.clean_build();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let served = read_tree(&server.out());
            if served == expected {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "the served site never matched a clean build: {}",
                    describe_difference(&served, &expected)
                );
            }
            // Wait for the next build (or give the file system a moment) before comparing again.
            let builds = server.status().builds;
            let _ = server.wait_for(Duration::from_millis(200), |s| s.builds > builds);
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// Every file under `dir`, by `/`-separated relative path.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(&entry.path(), &format!("{name}/"), files);
            } else {
                files.insert(name, std::fs::read(entry.path()).unwrap_or_default());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, "", &mut files);
    files
}

fn describe_difference(
    served: &BTreeMap<String, Vec<u8>>,
    expected: &BTreeMap<String, Vec<u8>>,
) -> String {
    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !served.contains_key(*k))
        .collect();
    let extra: Vec<&String> = served
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let different: Vec<&String> = expected
        .iter()
        .filter(|(k, v)| served.get(*k).is_some_and(|s| s != *v))
        .map(|(k, _)| k)
        .collect();
    format!("missing {missing:?}, extra {extra:?}, different {different:?}")
}

fn wait(server: &Server, what: &str, ready: impl Fn(&Status) -> bool) -> Status {
    server
        .wait_for(TIMEOUT, ready)
        .unwrap_or_else(|status| panic!("timed out waiting for {what}; status: {status:#?}"))
}

/// One raw HTTP/1.1 GET (the path is sent exactly as given): status, headers, body.
fn get(server: &Server, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        server.addr().port()
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (
        status,
        head.to_ascii_lowercase(),
        response[split + 4..].to_vec(),
    )
}

const INCIDENT: &str = "content/incidents/hospital-emergency.md";
const OTHER_INCIDENT: &str = "content/incidents/gwadar-port-breach-attempt.md";
const FIGURE: &str = "content/figures/banks-robbed.yaml";

#[test]
fn an_atomic_save_triggers_exactly_one_rebuild() {
    let site = Fixture::new("atomic");
    let server = site.start();
    let text = site.read(INCIDENT).replace(
        "The reports do not name",
        "Atomic-save marker. The reports do not name",
    );
    site.write_atomically(INCIDENT, &text);
    let status = wait(&server, "the rebuild", |s| s.builds >= 2);
    let record = &status.log[1];
    assert!(record.ok);
    assert_eq!(
        record.changes.content.iter().collect::<Vec<_>>(),
        [Path::new(INCIDENT)],
        "only the saved file counts, not the temporary one"
    );
    assert!(
        record
            .written
            .contains(&"incidents/hospital-emergency.html".to_string())
    );

    // A second, different edit: if the atomic save (or the rebuild reading its inputs, or
    // writing its output) had caused another rebuild, it would come before this one.
    let other = format!("{}\nSentinel paragraph.\n", site.read(OTHER_INCIDENT));
    site.write(OTHER_INCIDENT, &other);
    let status = wait(&server, "the sentinel rebuild", |s| {
        s.log
            .iter()
            .any(|r| r.changes.content.contains(Path::new(OTHER_INCIDENT)))
    });
    let numbers: Vec<u64> = status.log.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 3], "{:#?}", status.log);
    let (code, _, body) = get(&server, "/incidents/hospital-emergency.html");
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&body).contains("Atomic-save marker."));
    site.assert_settles_to_clean_build(&server);
}

#[test]
fn a_hundred_rapid_saves_end_in_a_clean_build() {
    let site = Fixture::new("rapid");
    let server = site.start();
    let original = site.read(INCIDENT);
    for n in 0..100 {
        let text = format!("{original}\nRapid save number {n}.\n");
        if n % 2 == 0 {
            site.write(INCIDENT, &text);
        } else {
            site.write_atomically(INCIDENT, &text);
        }
    }
    site.assert_settles_to_clean_build(&server);
    let (_, _, body) = get(&server, "/incidents/hospital-emergency.html");
    assert!(String::from_utf8_lossy(&body).contains("Rapid save number 99."));
    let status = server.status();
    assert!(status.log.iter().all(|r| r.ok), "{:#?}", status.log);
    assert!(
        status.builds < 100,
        "bursts are debounced into few rebuilds, got {}",
        status.builds
    );
}

#[test]
fn deleting_and_recreating_files_and_folders() {
    let site = Fixture::new("delete");
    let server = site.start();
    let page = "/incidents/extra-incident.html";
    let extra = site.read(INCIDENT).replace(
        "title: Emergency declared at all hospitals",
        "title: An extra incident",
    );
    site.write("content/incidents/extra-incident.md", &extra);
    site.assert_settles_to_clean_build(&server);
    assert_eq!(get(&server, page).0, 200);

    std::fs::remove_file(site.path("content/incidents/extra-incident.md")).unwrap();
    site.assert_settles_to_clean_build(&server);
    let (code, _, body) = get(&server, page);
    assert_eq!(code, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));

    site.write("content/incidents/extra-incident.md", &extra);
    site.assert_settles_to_clean_build(&server);
    assert_eq!(get(&server, page).0, 200);

    // A new folder with a file in it, then the folder renamed, then removed.
    site.write("content/incidents/more/nested-incident.md", &extra);
    site.assert_settles_to_clean_build(&server);
    assert_eq!(get(&server, "/incidents/nested-incident.html").0, 200);
    std::fs::rename(
        site.path("content/incidents/more"),
        site.path("content/incidents/moved"),
    )
    .unwrap();
    site.assert_settles_to_clean_build(&server);
    assert_eq!(get(&server, "/incidents/nested-incident.html").0, 200);
    std::fs::remove_dir_all(site.path("content/incidents/moved")).unwrap();
    site.assert_settles_to_clean_build(&server);
    assert_eq!(get(&server, "/incidents/nested-incident.html").0, 404);
}

#[test]
fn a_yaml_error_keeps_the_last_good_site_and_reports_file_and_line() {
    let site = Fixture::new("yaml-error");
    let server = site.start();
    let mut socket = Socket::connect(&server);
    let hello = socket.next();
    assert_eq!(hello["type"], "hello");

    let good = site.read(FIGURE);
    let before = get(&server, "/figures/banks-robbed.html").2;
    let broken = good.replacen("unit: banks", "unit: [banks", 1);
    assert_ne!(broken, good);
    site.write(FIGURE, &broken);
    let status = wait(&server, "the error", |s| s.errors.is_some());
    let errors = status.errors.unwrap();
    let error = errors
        .iter()
        .find(|d| d.is_error())
        .expect("an error diagnostic");
    assert_eq!(error.file, Path::new(FIGURE));
    assert!(error.line >= 2, "{error:?}");

    // Open pages get the diagnostics; the last good page is still served.
    let message = socket.next_of_type("errors");
    let first = &message["diagnostics"][0];
    assert_eq!(first["file"], FIGURE);
    assert_eq!(first["line"], error.line);
    assert!(first["column"].as_u64().is_some());
    assert!(first["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(get(&server, "/figures/banks-robbed.html").2, before);
    // A page opened while the site is broken gets the errors straight away.
    let mut late = Socket::connect(&server);
    assert_eq!(late.next()["type"], "hello");
    assert_eq!(late.next()["type"], "errors");

    site.write_atomically(FIGURE, &good);
    wait(&server, "the fix", |s| s.errors.is_none() && s.builds >= 3);
    let reload = socket.next_of_type("reload");
    assert_eq!(
        reload["all"], true,
        "every page drops its overlay: {reload}"
    );
    site.assert_settles_to_clean_build(&server);
}

#[test]
fn a_css_change_is_sent_as_a_stylesheet_swap() {
    let site = Fixture::new("css");
    let server = site.start();
    let mut socket = Socket::connect(&server);
    assert_eq!(socket.next()["type"], "hello");
    let css = "themes/default/static/style.css";
    site.write(
        css,
        &format!("{}\nbody {{ outline: 1px solid red; }}\n", site.read(css)),
    );
    let message = socket.next();
    assert_eq!(message["type"], "css", "{message}");
    assert_eq!(message["files"][0], "static/style.css");
    site.assert_settles_to_clean_build(&server);
}

#[test]
fn serving_refuses_paths_outside_the_output() {
    let site = Fixture::new("paths");
    let server = site.start();
    let out = server.out().to_path_buf();

    let (code, head, body) = get(&server, "/incidents/hospital-emergency.html");
    assert_eq!(code, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    // The response is the file plus the script tag, and nothing else.
    let file = std::fs::read(out.join("incidents/hospital-emergency.html")).unwrap();
    let body = String::from_utf8(body).unwrap();
    let script_start = body.find("<script src=\"/__sitrep/live.js\"").unwrap();
    let script_end = script_start + body[script_start..].find("</script>").unwrap() + 9;
    assert_eq!(
        format!("{}{}", &body[..script_start], &body[script_end..]).as_bytes(),
        file
    );
    assert!(!String::from_utf8_lossy(&file).contains("__sitrep"));

    for (path, kind) in [
        ("/static/style.css", "text/css"),
        ("/data/figures.json", "application/json"),
        ("/data/claims.csv", "text/csv"),
        ("/static/favicon.svg", "image/svg+xml"),
        ("/__sitrep/live.js", "text/javascript"),
    ] {
        let (code, head, _) = get(&server, path);
        assert_eq!(code, 200, "{path}");
        assert!(
            head.contains(&format!("content-type: {kind}")),
            "{path}: {head}"
        );
    }
    let (code, _, body) = get(&server, "/no/such/page.html");
    assert_eq!(code, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));

    // A secret beside the output, and links inside the output pointing out of it.
    std::fs::write(site.dir.join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(site.dir.join("secret.txt"), out.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&site.dir, out.join("leakdir")).unwrap();
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/leakdir/site/site.toml",
    ] {
        let (code, _, body) = get(&server, path);
        assert!(code == 400 || code == 404, "{path} gave {code}");
        assert!(!String::from_utf8_lossy(&body).contains("secret\n") && body != b"secret");
    }
}

#[test]
fn a_port_in_use_is_a_clear_error_naming_the_flag() {
    let site = Fixture::new("port");
    let taken = TcpListener::bind((LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let result = serve::start(ServeOptions {
        root: site.site.clone(),
        out: None,
        bind: LOCALHOST,
        port,
        poll: false,
        force: false,
        strict: false,
        on_build: None,
        limits: Default::default(),
    });
    let message = result.err().expect("the port is taken");
    assert!(message.contains("--port"), "{message}");
    assert!(message.contains(&port.to_string()), "{message}");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&site.site)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("already in use") && stderr.contains("--port"),
        "{stderr}"
    );
}

/// A small deterministic random number generator (xorshift), so edit sequences repeat.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [String]) -> &'a String {
        &items[self.below(items.len())]
    }
}

fn files_in(site: &Fixture, folder: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(site.path(folder))
        .unwrap()
        .flatten()
        .map(|e| format!("{folder}/{}", e.file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".md") || p.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

/// Replaces the first line starting with `prefix` (after indentation) with `prefix` and
/// `value`.
fn set_line(text: &str, prefix: &str, value: &str, nth: usize) -> String {
    let mut seen = 0;
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if line.trim_start().starts_with(prefix) {
            if seen == nth {
                out.push_str(&format!("{}{prefix} {value}\n", &line[..indent]));
                seen += 1;
                continue;
            }
            seen += 1;
        }
        out.push_str(line);
    }
    out
}

/// One random, valid edit: the kinds of change analysts make, through every rebuild path.
fn random_edit(site: &Fixture, rng: &mut Rng, step: usize) -> String {
    let incidents = files_in(site, "content/incidents");
    let figures = files_in(site, "content/figures");
    let sources = files_in(site, "content/sources");
    let (file, text) = match rng.below(17) {
        14 => {
            // Moves an incident to another day: lists, timeline and the figures scoped to it.
            let file = rng.pick(&incidents).clone();
            let day = ["Friday", "Saturday", "Sunday", "2025-03-11"][rng.below(4)];
            (file.clone(), set_line(&site.read(&file), "on:", day, 0))
        }
        15 => {
            // Moves a claim's statement to another day on the timeline.
            let file = rng.pick(&figures).clone();
            let text = site.read(&file);
            let dates = (text.lines())
                .filter(|line| line.trim_start().starts_with("on:"))
                .count();
            if dates == 0 {
                return format!("step {step}: nothing to do");
            }
            let nth = rng.below(dates);
            let day = ["Friday", "Saturday", "Sunday", "unknown"][rng.below(4)];
            (file, set_line(&text, "on:", day, nth))
        }
        16 => {
            // Another party states a claim: the checks per party change, and how many there are.
            let file = rng.pick(&figures).clone();
            let text = site.read(&file);
            let nth = rng.below(text.matches("party:").count().max(1));
            let party = ["pakistan-military", "police", "report-itself"][rng.below(3)];
            (file, set_line(&text, "party:", party, nth))
        }
        13 => {
            // Rewrites the start of the first paragraph, which the feed entry shows.
            let file = rng.pick(&incidents).clone();
            let text = site.read(&file);
            let Some(body) = text
                .match_indices("\n---\n")
                .next()
                .map(|(i, m)| i + m.len())
            else {
                return format!("step {step}: nothing to do");
            };
            let text = format!(
                "{}Step {step} opens the summary. {}",
                &text[..body],
                &text[body..]
            );
            (file, text)
        }
        0 | 1 => {
            let file = rng.pick(&incidents).clone();
            let text = format!(
                "{}\nStep {step} adds a sentence [@000_081c7ac4728af589].\n",
                site.read(&file)
            );
            (file, text)
        }
        2 => {
            let file = rng.pick(&incidents).clone();
            let text = set_line(
                &site.read(&file),
                "title:",
                &format!("Incident title {step}"),
                0,
            );
            (file, text)
        }
        3 | 4 => {
            let file = rng.pick(&figures).clone();
            let text = site.read(&file);
            let values = text.matches("- value: ").count();
            if values == 0 {
                return format!("step {step}: nothing to do");
            }
            let nth = rng.below(values);
            let value = (1 + rng.below(60)).to_string();
            (file, set_line(&text, "- value:", &value, nth))
        }
        5 => {
            let file = rng.pick(&figures).clone();
            let text = set_line(
                &site.read(&file),
                "label:",
                &format!("Figure label {step}"),
                0,
            );
            (file, text)
        }
        6 => {
            let file = rng.pick(&sources).clone();
            let text = set_line(
                &site.read(&file),
                "title:",
                &format!("Source title {step}"),
                0,
            );
            (file, text)
        }
        7 => {
            let file = ["content/methodology.md", "content/index.md"][rng.below(2)].to_string();
            let text = format!("{}\nStep {step} adds a paragraph.\n", site.read(&file));
            (file, text)
        }
        8 => {
            let file = "themes/default/static/style.css".to_string();
            let text = format!("{}\n.step-{step} {{ color: red; }}\n", site.read(&file));
            (file, text)
        }
        9 => {
            // Add an incident, or remove one added earlier.
            let added: Vec<String> = incidents
                .iter()
                .filter(|p| p.contains("/added-"))
                .cloned()
                .collect();
            if !added.is_empty() && rng.below(2) == 0 {
                let file = rng.pick(&added).clone();
                std::fs::remove_file(site.path(&file)).unwrap();
                return format!("step {step}: removed {file}");
            }
            let file = format!("content/incidents/added-{step}.md");
            let text = set_line(&site.read(INCIDENT), "title:", &format!("Added {step}"), 0);
            (file, text)
        }
        11 => {
            // The `updated` time feeds the Atom feed and the sitemap's `lastmod`.
            let file = rng.pick(&incidents).clone();
            let text = site.read(&file);
            let day = format!("2026-12-{:02}", 1 + rng.below(28));
            let text = if text.contains("\nupdated:") {
                set_line(&text, "updated:", &day, 0)
            } else {
                text.replacen("\ntitle:", &format!("\nupdated: {day}\ntitle:"), 1)
            };
            (file, text)
        }
        12 => {
            // A value of a figure in `sum_of`/`within` relations: the checks between
            // figures change.
            let file = "content/figures/total-deaths.yaml".to_string();
            let value = (1 + rng.below(200)).to_string();
            (
                file.clone(),
                set_line(&site.read(&file), "- value:", &value, 0),
            )
        }
        _ => {
            // Drop the last source an incident lists, or list another one.
            let file = rng.pick(&incidents).clone();
            let text = site.read(&file);
            let extra = "  - 002_4275175c3a3a087f\n";
            let text = if text.contains(extra) {
                text.replacen(extra, "", 1)
            } else {
                text.replacen("sources:\n", &format!("sources:\n{extra}"), 1)
            };
            (file, text)
        }
    };
    if rng.below(2) == 0 {
        site.write_atomically(&file, &text);
    } else {
        site.write(&file, &text);
    }
    format!("step {step}: {file}")
}

/// Random edits, each followed by a byte-for-byte comparison with a clean build. With
/// `base_url` the site also has an Atom feed and a sitemap, whose entries follow edits: a
/// sitemap index of several files, with 20 URLs per file.
fn random_edits_match_clean_builds(seed: u64, base_url: Option<&str>) {
    let site = Fixture::new(&format!("random-{seed}"));
    if let Some(url) = base_url {
        // Top-level keys go before the first table.
        let config = format!(
            "base_url = \"{url}\"\n{}\n[sitemap]\nurls_per_file = 20\n",
            site.read("site.toml")
        );
        site.write("site.toml", &config);
    }
    let server = site.start();
    let mut rng = Rng(seed);
    let mut history = Vec::new();
    for step in 0..24 {
        let builds = server.status().builds;
        // Sometimes two edits land in one batch.
        history.push(random_edit(&site, &mut rng, step));
        if rng.below(3) == 0 {
            history.push(random_edit(&site, &mut rng, step + 1000));
        }
        let _ = server.wait_for(TIMEOUT, |s| s.builds > builds);
        let expected = site.clean_build();
        let deadline = Instant::now() + TIMEOUT;
        while read_tree(&server.out()) != expected {
            assert!(
                Instant::now() < deadline,
                "after {history:#?} the served site differs from a clean build: {}",
                describe_difference(&read_tree(&server.out()), &expected)
            );
            let builds = server.status().builds;
            let _ = server.wait_for(Duration::from_millis(200), |s| s.builds > builds);
        }
    }
    let status = server.status();
    assert!(status.log.iter().all(|r| r.ok), "{:#?}", status.log);
    // The sequence exercised partial re-rendering, not only full builds.
    let total = status.log[0].pages;
    assert!(
        status.log.iter().any(|r| r.pages > 0 && r.pages < total),
        "{:#?}",
        status.log
    );
}

/// Edits whose rows `sitrep serve` keeps between rebuilds (claims, labels, dates, parties,
/// incident titles and dates), each followed by its revert; after each, the output matches
/// a clean build. A source edit in between re-renders everything, and the edits after it
/// start from rows made anew.
#[test]
fn edits_and_their_reverts_match_clean_builds() {
    let site = Fixture::new("revert");
    let server = site.start();
    let total = "content/figures/total-deaths.yaml";
    let source = files_in(&site, "content/sources")[0].clone();
    let edits = [
        (total, "- value:", "7", 0),
        (total, "label:", "Everyone killed", 0),
        (total, "on:", "Sunday", 0),
        (total, "party:", "police", 0),
        ("content/figures/civilians-killed.yaml", "key:", "false", 0),
        (INCIDENT, "title:", "A retitled incident", 0),
        (INCIDENT, "on:", "Friday", 0),
        (source.as_str(), "title:", "A retitled source", 0),
        (total, "- value:", "9", 1),
    ];
    for (file, prefix, value, nth) in edits {
        let original = site.read(file);
        let edited = set_line(&original, prefix, value, nth);
        assert_ne!(edited, original, "{file}: {prefix}");
        for text in [edited, original] {
            let builds = server.status().builds;
            site.write(file, &text);
            wait(&server, "the rebuild", |s| s.builds > builds);
            site.assert_settles_to_clean_build(&server);
        }
    }
    let status = server.status();
    assert!(status.log.iter().all(|r| r.ok), "{:#?}", status.log);
    let total_pages = status.log[0].pages;
    let partial = status.log.iter().filter(|r| r.pages < total_pages).count();
    assert!(
        partial >= 10,
        "most edits re-render a few pages: {:#?}",
        status.log
    );
}

#[test]
fn random_edit_sequences_match_clean_builds_seed_1() {
    random_edits_match_clean_builds(0x9E37_79B9_7F4A_7C15, None);
}

#[test]
fn random_edit_sequences_match_clean_builds_seed_2() {
    random_edits_match_clean_builds(0x2545_F491_4F6C_DD1D, None);
}

#[test]
fn random_edit_sequences_with_sitemap_and_feed_match_clean_builds() {
    random_edits_match_clean_builds(0x94D0_49BB_1331_11EB, Some("https://example.org/briefing/"));
}

/// A WebSocket client of the live-reload channel.
struct Socket(tungstenite::WebSocket<TcpStream>);

impl Socket {
    fn connect(server: &Server) -> Socket {
        let stream = TcpStream::connect(server.addr()).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let url = format!("ws://{}/__sitrep/ws", server.addr());
        let (socket, _) = tungstenite::client(url, stream).expect("the WebSocket opens");
        Socket(socket)
    }

    fn next(&mut self) -> serde_json::Value {
        loop {
            match self.0.read().expect("a message before the timeout") {
                tungstenite::Message::Text(text) => return serde_json::from_str(&text).unwrap(),
                tungstenite::Message::Close(_) => panic!("the server closed the socket"),
                _ => {}
            }
        }
    }

    fn next_of_type(&mut self, kind: &str) -> serde_json::Value {
        loop {
            let message = self.next();
            if message["type"] == kind {
                return message;
            }
        }
    }
}

/// The browser tests' sequence on one server: an incident's summary edited, the fact table
/// broken and fixed, then the stylesheet edited. Each step ends in a clean build's output,
/// and the stylesheet edit writes only the stylesheet and the page that inlines it.
#[test]
fn a_body_edit_then_an_error_and_its_fix_leave_nothing_stale() {
    let site = Fixture::new("sequence");
    let server = site.start();
    let step = |file: &str, text: &str| {
        let builds = server.status().builds;
        site.write_atomically(file, text);
        wait(&server, "the rebuild", |s| s.builds > builds)
    };

    let body = site.read(INCIDENT);
    let marked = body.replacen(
        "The reports do not name",
        "A marker. The reports do not name",
        1,
    );
    assert_ne!(marked, body);
    step(INCIDENT, &marked);
    site.assert_settles_to_clean_build(&server);

    let good = site.read(FIGURE);
    let broken = step(FIGURE, &good.replacen("unit: banks", "unit: [banks", 1));
    assert!(broken.errors.is_some());
    let fixed = step(FIGURE, &good);
    assert!(fixed.errors.is_none(), "{:?}", fixed.errors);
    site.assert_settles_to_clean_build(&server);

    let css = "themes/default/static/style.css";
    let styled = step(
        css,
        &format!("{}\nbody {{ color: red; }}\n", site.read(css)),
    );
    let written = &styled.log.last().unwrap().written;
    assert_eq!(written, &["404.html", "static/style.css"]);
    site.assert_settles_to_clean_build(&server);
}

#[test]
fn an_outcome_outside_the_vocabulary_is_an_error_while_serving() {
    // Outcomes are checked against the site's vocabulary after loading, so the fast path
    // that patches an edited incident into the kept site must check them too.
    let site = Fixture::new("vocabulary");
    let server = site.start();
    let step = |file: &str, text: &str| {
        let builds = server.status().builds;
        site.write_atomically(file, text);
        wait(&server, "the rebuild", |s| s.builds > builds)
    };
    let good = site.read(INCIDENT);
    let broken = step(INCIDENT, &set_line(&good, "outcome:", "averted", 0));
    let errors = format!("{:?}", broken.errors);
    assert!(errors.contains("unknown outcome `averted`"), "{errors}");
    let fixed = step(INCIDENT, &good);
    assert!(fixed.errors.is_none(), "{:?}", fixed.errors);
    site.assert_settles_to_clean_build(&server);
}

#[test]
fn anchored_weekdays_stay_anchored_in_edited_items() {
    // Saturday 2025-03-08 anchors every "Saturday" of the shipped briefing. Editing an
    // incident or a figure dated Saturday takes the fast path that patches the edited item
    // into the kept site: it must be anchored there as a clean build anchors it.
    let site = Fixture::new("anchors");
    let toml = site.read("site.toml") + "\n[dates]\nSaturday = \"2025-03-08\"\n";
    site.write("site.toml", &toml);
    let server = site.start();
    let step = |file: &str, text: &str| {
        let builds = server.status().builds;
        site.write_atomically(file, text);
        wait(&server, "the rebuild", |s| s.builds > builds)
    };
    let incident = site.read(INCIDENT);
    let retitled = incident.replacen(
        "title: Emergency declared at all hospitals",
        "title: Emergency declared at every hospital",
        1,
    );
    assert_ne!(retitled, incident);
    assert!(step(INCIDENT, &retitled).errors.is_none());
    site.assert_settles_to_clean_build(&server);
    let figure = site.read(FIGURE);
    let edited = figure.replacen("unit: banks", "unit: bank branches", 1);
    assert_ne!(edited, figure);
    assert!(step(FIGURE, &edited).errors.is_none());
    site.assert_settles_to_clean_build(&server);
}

/// Archived source texts are inputs: an edit to one (here in `archive/`, outside
/// `content/`) rebuilds the site at once, not at the next other edit.
#[test]
fn an_edited_archive_rebuilds_the_site() {
    let site = Fixture::new("archive");
    let server = site.start();
    let archive = "archive/000_081c7ac4728af589.txt";
    let good = site.read(archive);
    let quoted = "the violence has claimed over 120 lives";
    assert!(good.contains(quoted));
    // The figure's quote is no longer in the archive: an error at the claim.
    site.write_atomically(archive, &good.replace(quoted, "the violence went on"));
    let status = wait(&server, "the archive edit", |s| s.errors.is_some());
    let errors = status.errors.unwrap();
    assert!(
        errors
            .iter()
            .any(|d| d.is_error() && d.file.starts_with("content/figures")),
        "{errors:#?}"
    );
    site.write(archive, &good);
    wait(&server, "the fix", |s| s.errors.is_none() && s.builds >= 3);
    site.assert_settles_to_clean_build(&server);
}

/// `strict = true` in site.toml makes warnings errors while serving, as in `sitrep build`:
/// an edit that only causes a warning (a citation of a source the incident does not list)
/// keeps the last good site served and shows the warning, as an error, in the overlay.
#[test]
fn strict_serving_shows_warnings_as_errors() {
    let site = Fixture::new("strict");
    site.write(
        "site.toml",
        &format!("strict = true\n{}", site.read("site.toml")),
    );
    let server = site.start();
    let mut socket = Socket::connect(&server);
    assert_eq!(socket.next()["type"], "hello");
    let good = site.read(INCIDENT);
    assert!(!good.contains("003_1dc21bb44045b34d"));
    let page = "/incidents/hospital-emergency.html";
    let before = get(&server, page).2;

    let builds = server.status().builds;
    let cited = format!("{good}\nAlso reported [@003_1dc21bb44045b34d].\n");
    site.write_atomically(INCIDENT, &cited);
    let status = wait(&server, "the rebuild", |s| s.builds > builds);
    let errors = status.errors.expect("the warning fails the rebuild");
    let error = (errors.iter())
        .find(|d| d.file == Path::new(INCIDENT))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(error.is_error(), "{error:?}");
    assert!(
        error
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("strict = true"),
        "{error:?}"
    );
    let message = socket.next_of_type("errors");
    assert_eq!(message["diagnostics"][0]["file"], INCIDENT);
    assert_eq!(get(&server, page).2, before);

    site.write_atomically(INCIDENT, &good);
    wait(&server, "the fix", |s| {
        s.errors.is_none() && s.builds > builds + 1
    });
    site.assert_settles_to_clean_build(&server);
}
