//! Times `sitrep serve`'s incremental rebuilds without a server or browser: builds a site
//! once with a [`Rebuilder`], then repeatedly makes one kind of edit (and reverts it) and
//! reports the rebuild times. A benchmark, not a test; the site folder is edited in place
//! and restored.
//!
//!   cargo run --release --example rebuild_bench -- SITE [RUNS] [EDIT]
//!
//! EDIT picks the edits whose name contains it ("body", "title", "claim", "label"). The
//! output goes to `/dev/shm/sitrep-rebuild-bench-out-PID` (under `$SITREP_BENCH_OUT`
//! instead of `/dev/shm` when set, e.g. to a disk when memory is short) and is deleted at
//! the end.

use std::path::{Path, PathBuf};
use std::time::Instant;

use sitrep::rebuild::{Changes, Rebuilder};
use sitrep::site::Overrides;

fn first(dir: &Path) -> PathBuf {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names.remove(0)
}

/// Replaces the first line starting with `prefix` by `f(line)`.
fn edit_line(text: &str, prefix: &str, f: impl Fn(&str) -> String) -> String {
    let mut done = false;
    text.split_inclusive('\n')
        .map(|line| {
            if !done && line.trim_start().starts_with(prefix) {
                done = true;
                let end = if line.ends_with('\n') { "\n" } else { "" };
                f(line.trim_end_matches('\n')) + end
            } else {
                line.to_string()
            }
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let site = PathBuf::from(&args[1]);
    let runs: usize = args.get(2).map_or(5, |r| r.parse().unwrap());
    let parent = std::env::var_os("SITREP_BENCH_OUT").unwrap_or("/dev/shm".into());
    let out = Path::new(&parent).join(format!("sitrep-rebuild-bench-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let mut rebuilder = Rebuilder::new(&site, Some(&out), Overrides::default(), false);
    let started = Instant::now();
    let outcome = rebuilder.rebuild(&Changes::everything());
    assert!(outcome.result.is_ok(), "{:?}", outcome.result.err());
    println!(
        "first build: {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let incident = first(&site.join("content/incidents"));
    let figure = first(&site.join("content/figures"));
    type Edit = Box<dyn Fn(&str, usize) -> String>;
    let edits: Vec<(&str, &PathBuf, Edit)> = vec![
        (
            "incident body",
            &incident,
            Box::new(|t, n| format!("{t}\nAn edit {n}.\n")),
        ),
        (
            "incident title",
            &incident,
            Box::new(|t, n| edit_line(t, "title:", |l| format!("{l} edit {n}"))),
        ),
        (
            "claim value",
            &figure,
            Box::new(|t, n| edit_line(t, "value:", |l| format!("{l}{n}"))),
        ),
        (
            "figure label",
            &figure,
            Box::new(|t, n| edit_line(t, "label:", |l| format!("{l} edit {n}"))),
        ),
    ];
    let only = args.get(3);
    for (name, path, edit) in &edits {
        if only.is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        let original = std::fs::read_to_string(path).unwrap();
        let rel = path.strip_prefix(&site).unwrap().to_path_buf();
        let mut times = Vec::new();
        let mut detail = String::new();
        for n in 0..runs {
            for text in [edit(&original, n + 1), original.clone()] {
                std::fs::write(path, &text).unwrap();
                let mut changes = Changes::default();
                changes.add(&site, &rel);
                let started = Instant::now();
                let outcome = rebuilder.rebuild(&changes);
                times.push(started.elapsed().as_secs_f64() * 1e3);
                match &outcome.result {
                    Ok(update) => {
                        detail = format!(
                            "{} files rendered, {} written{}",
                            update.files,
                            update.written.len(),
                            update
                                .full_reason
                                .map_or(String::new(), |r| format!(", full: {r}"))
                        )
                    }
                    Err(d) => panic!("{name}: {d:?}"),
                }
            }
        }
        std::fs::write(path, &original).unwrap();
        times.sort_by(f64::total_cmp);
        println!(
            "{name:>15}: median {:7.1} ms  min {:7.1} ms  max {:7.1} ms  ({detail})",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
    drop(rebuilder);
    let _ = std::fs::remove_dir_all(&out);
}
