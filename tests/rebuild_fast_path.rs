//! What the fast path of `sitrep::rebuild::Rebuilder` makes again beside the edited items,
//! each against a clean build: the months an incident leaves and joins (the timeline's
//! month pages and their fingerprints are made again only for the months an edit
//! touches), and the archives (read again only where an edit needs them, where they
//! could not be read before, or all when the caller cannot watch them).

mod common;

use std::path::Path;

/// A copy of the shipped briefing (see `common::BriefingCopy`).
use common::BriefingCopy as Site;

/// The shipped briefing, with its incidents spread over months and listings split into
/// pages of `page_size` when given.
fn new_site(page_size: Option<usize>) -> Site {
    let config = std::fs::read_to_string(common::repo_root().join("site.toml")).unwrap();
    let site = Site::new("rebuild-fast-path", &config);
    if let Some(size) = page_size {
        common::spread_over_months(&site.root, size);
    }
    site
}

/// An incident moved from one month to another by its date: the month it leaves and the
/// one it joins both change (on the fast path when no month comes or goes), as in a clean
/// build. `common::spread_over_months` dates one incident 2025-02-14 and another
/// 2025-02-28, so February keeps an entry when the first moves to April (2025-04 and
/// 2025-04-20 are there already).
#[test]
fn an_incident_moved_to_another_month_changes_both_months() {
    let site = new_site(Some(3));
    let mut rebuilder = site.rebuilder();
    let file = (common::files(&site.root.join("content/incidents")).into_iter())
        .map(|f| format!("content/incidents/{}", f.display()))
        .find(|f| site.read(f).contains("on: 2025-02-14"))
        .expect("an incident of 14 February");
    let before = site.assert_clean("first build");
    let february = Path::new("timeline/2025-02.html");
    let april = Path::new("timeline/2025-04.html");
    assert!(before.contains_key(february) && before.contains_key(april));
    site.write(
        &file,
        &site.read(&file).replace("on: 2025-02-14", "on: 2025-04-03"),
    );
    let update = site.rebuild_after(&mut rebuilder, &file);
    let after = site.assert_clean("moved to April");
    assert!(
        !update.full,
        "no month came or went: {:?}",
        update.full_reason
    );
    for month in [february, april] {
        assert_ne!(before.get(month), after.get(month), "{}", month.display());
    }
    // And back: both months as they were.
    site.write(
        &file,
        &site.read(&file).replace("on: 2025-04-03", "on: 2025-02-14"),
    );
    site.rebuild_after(&mut rebuilder, &file);
    let back = site.assert_clean("moved back");
    for month in [february, april] {
        assert_eq!(before.get(month), back.get(month), "{}", month.display());
    }
}

/// The source of the quotes of `total-deaths.yaml`, its archive, and an incident to edit.
const SOURCE: &str = "content/sources/000_081c7ac4728af589.yaml";
const ARCHIVE: &str = "archive/000_081c7ac4728af589.txt";
const INCIDENT: &str = "content/incidents/hospital-emergency.md";

/// An archive that could not be read (a warning: its quotes are not verified) may be in a
/// folder no watcher could watch: when it appears, unreported, the next incident edit
/// reads it (and takes the full path), so the quotes are verified as in a clean build.
#[test]
fn an_archive_that_appears_is_read_by_the_next_edit() {
    let site = new_site(None);
    let later = "archive/later/000.txt";
    site.write(SOURCE, &site.read(SOURCE).replace(ARCHIVE, later));
    let mut rebuilder = site.rebuilder();
    site.assert_clean("archive missing");
    std::fs::create_dir_all(site.root.join("archive/later")).unwrap();
    site.write(later, &site.read(ARCHIVE));
    site.write(
        INCIDENT,
        &format!("{}\nAn added line.\n", site.read(INCIDENT)),
    );
    site.rebuild_after(&mut rebuilder, INCIDENT);
    site.assert_clean("archive appeared");
}

/// A caller that cannot watch every archive says so, and then each rebuild finds an
/// unreported archive change itself: here a line added to a published archive, noticed by
/// an incident edit.
#[test]
fn archives_not_watched_are_read_by_every_edit() {
    let site = new_site(None);
    let mut rebuilder = site.rebuilder();
    rebuilder.set_archives_watched(false);
    site.write(
        ARCHIVE,
        &format!("An added first line.\n{}", site.read(ARCHIVE)),
    );
    site.write(
        INCIDENT,
        &format!("{}\nAn added line.\n", site.read(INCIDENT)),
    );
    site.rebuild_after(&mut rebuilder, INCIDENT);
    let after = site.assert_clean("archive changed unreported");
    let page = &after[Path::new("archive/000_081c7ac4728af589.html")];
    assert!(String::from_utf8_lossy(page).contains("An added first line."));
}
