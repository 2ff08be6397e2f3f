//! Nothing outside the output is ever written or deleted: an output folder that holds
//! someone else's files, or overlaps the site's inputs, is refused with an error naming
//! where it was set, and the folder and the site are left exactly as they were.

mod common;

use std::path::Path;

use common::*;
use sitrep::pipeline::{BuildOptions, build};
use sitrep::serve::{self, ServeOptions};

/// A copy of the valid fixture in `dir/site`, with `output` set in its site.toml.
fn site_with_output(dir: &Path, output: Option<&str>) -> std::path::PathBuf {
    let site = dir.join("site");
    copy_tree(&fixture("valid"), &site);
    if let Some(output) = output {
        let config = site.join("site.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, format!("{text}output = {output:?}\n")).unwrap();
    }
    site
}

/// A folder of files sitrep did not write.
fn foreign_folder(dir: &Path) -> std::path::PathBuf {
    let folder = dir.join("shared");
    std::fs::create_dir_all(folder.join("seeds")).unwrap();
    std::fs::write(folder.join("seeds/report.txt"), "an archived report").unwrap();
    std::fs::write(folder.join("notes.md"), "someone's notes").unwrap();
    folder
}

fn build_from_config(site: &Path, force: bool) -> Result<(), sitrep::diagnostics::Diagnostics> {
    build(&BuildOptions {
        root: site.to_path_buf(),
        force,
        ..BuildOptions::default()
    })
    .map(|_| ())
}

/// The line of `site.toml` that sets `output` (1-based).
fn output_line(site: &Path) -> usize {
    let text = std::fs::read_to_string(site.join("site.toml")).unwrap();
    1 + text.lines().position(|l| l.starts_with("output")).unwrap()
}

#[test]
fn a_relative_output_onto_a_foreign_folder_is_refused_and_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = foreign_folder(dir.path());
    let site = site_with_output(dir.path(), Some("../shared"));
    let before = snapshot(dir.path());

    let err = build_from_config(&site, false).expect_err("a foreign folder is refused");
    let refusal = err
        .iter()
        .find(|d| d.message.contains("did not write"))
        .unwrap_or_else(|| panic!("no refusal among {err:?}"));
    assert_eq!(refusal.file, Path::new("site.toml"));
    assert_eq!(refusal.line, output_line(&site));
    assert!(refusal.message.contains("shared"), "{}", refusal.message);
    assert!(refusal.hint.as_deref().unwrap().contains("--force"));
    assert_eq!(snapshot(dir.path()), before, "nothing anywhere changed");
    assert!(foreign.join("seeds/report.txt").is_file());
}

#[test]
fn an_absolute_output_onto_a_foreign_folder_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = foreign_folder(dir.path());
    let site = site_with_output(dir.path(), Some(foreign.to_str().unwrap()));
    let before = snapshot(dir.path());
    assert!(build_from_config(&site, false).is_err());
    assert_eq!(snapshot(dir.path()), before);

    // --force adopts it: its files are replaced by the site, marked as sitrep's own.
    build_from_config(&site, true).expect("--force adopts the folder");
    assert!(foreign.join("index.html").is_file());
    assert!(!foreign.join("notes.md").exists());
    assert!(foreign.join(".sitrep-output").is_file());
    // From then on it is sitrep's, and later builds need no --force.
    build_from_config(&site, false).expect("a marked folder is sitrep's own");
}

#[test]
fn new_empty_marked_and_default_folders_are_built_into() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_output(dir.path(), None);
    // The default `public/` inside the site, even holding files of an older build.
    std::fs::create_dir_all(site.join("public")).unwrap();
    std::fs::write(site.join("public/old.html"), "old").unwrap();
    build_from_config(&site, false).expect("the default output folder");
    assert!(!site.join("public/old.html").exists());
    // An empty folder and an absent one.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    build_into(&site, &empty).expect("an empty folder");
    build_into(&site, &dir.path().join("absent/deeper")).expect("an absent folder");
    // A folder an earlier build wrote, with a file added since.
    std::fs::write(empty.join("extra.txt"), "x").unwrap();
    build_into(&site, &empty).expect("a marked folder");
    assert!(!empty.join("extra.txt").exists());
}

#[test]
fn an_output_overlapping_an_input_is_refused_even_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_output(dir.path(), None);
    // An archive kept beside the site, as the shipped briefing's sources are.
    let archives = dir.path().join("archives");
    std::fs::create_dir_all(&archives).unwrap();
    std::fs::rename(site.join("archives/wire.txt"), archives.join("wire.txt")).unwrap();
    let source = site.join("content/sources/wire.yaml");
    let text = std::fs::read_to_string(&source).unwrap();
    let text = text.replace("archives/wire.txt", "../archives/wire.txt");
    std::fs::write(&source, text).unwrap();
    let before = snapshot(dir.path());

    for (out, why) in [
        (archives.clone(), "it contains `../archives/wire.txt`"),
        (site.join("content/out"), "it lies inside `content`"),
        (site.join("themes"), "it is `themes`"),
        (site.join("themes/default"), "it lies inside `themes`"),
        (site.clone(), "it contains the site itself"),
        (dir.path().to_path_buf(), "it contains the site itself"),
    ] {
        let mut options = options(&site, &out, None);
        options.force = true;
        let err = build(&options).expect_err("an output overlapping an input");
        assert!(
            err.iter().any(|d| d.message.contains(why)),
            "{}: {err:?}",
            out.display()
        );
        assert_eq!(snapshot(dir.path()), before, "{}", out.display());
    }
}

#[test]
fn a_symbolic_link_cannot_disguise_the_site_as_an_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_output(dir.path(), None);
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(site.join("content"), &link).unwrap();
    let before = snapshot(&site);
    let mut options = options(&site, &link, None);
    options.force = true;
    let err = build(&options).expect_err("the link leads into content/");
    assert!(
        err.iter().any(|d| d.message.contains("`content`")),
        "{err:?}"
    );
    assert_eq!(snapshot(&site), before);
}

#[test]
fn serve_refuses_a_foreign_output_folder_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = foreign_folder(dir.path());
    let site = site_with_output(dir.path(), Some("../shared"));
    let before = snapshot(dir.path());
    let result = serve::start(ServeOptions {
        root: site.clone(),
        out: None,
        bind: std::net::Ipv4Addr::LOCALHOST.into(),
        port: 0,
        poll: false,
        force: false,
        strict: false,
        limits: Default::default(),
        on_build: None,
    });
    let message = result.err().expect("serve refuses the folder");
    assert!(message.contains("did not write"), "{message}");
    assert!(message.contains("--force"), "{message}");
    assert_eq!(snapshot(dir.path()), before);
    assert!(foreign.join("notes.md").is_file());
}
